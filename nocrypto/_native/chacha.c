/*
 * ChaCha20 (RFC 8439 §2.3-2.4), Poly1305 (§2.5) and the AEAD ChaCha20-Poly1305 (§2.8).
 * Twin: nocrypto/_ref/chacha.py.
 *
 * Constant time (DESIGN.md, principle 8):
 * - ChaCha20 is additions, rotations and XORs of 32-bit words (ARX): no table, no branch on
 *   the state. The AVX2 path computes 8 blocks at once with the same operations.
 * - Poly1305 keeps the accumulator in radix 2^44 (limbs of 44, 44 and 42 bits) and multiplies
 *   with 64x64->128-bit integer products, which run in constant time on x86-64; carries are
 *   shifts and masks; the final reduction mod 2^130 - 5 selects h or h - p by a mask.
 * - The AEAD tag check accumulates the XOR of all 16 bytes (no early exit). The one branch on
 *   its outcome - whether to decrypt at all - is the public result of open, declassified
 *   with NOCRYPTO_DECLASSIFY (ctgrind.h) for the valgrind check.
 * Loop bounds and branches depend only on the public lengths.
 */
#include "chacha.h"

#include <string.h>

#include "cpu.h"
#include "ctgrind.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NOCRYPTO_CHACHA_X86 1
#endif

/* ----- little-endian loads and stores ------------------------------------------------- */

static inline uint32_t load32_le(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline void store32_le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline uint64_t load64_le(const uint8_t *p)
{
    return (uint64_t)load32_le(p) | ((uint64_t)load32_le(p + 4) << 32);
}

static inline void store64_le(uint8_t *p, uint64_t v)
{
    store32_le(p, (uint32_t)v);
    store32_le(p + 4, (uint32_t)(v >> 32));
}

/* Clear a secret temporary. The empty asm, which "reads" p and all memory, keeps the
 * compiler from dropping the memset as a store to memory that is dead afterwards. */
static void wipe(void *p, size_t n)
{
    memset(p, 0, n);
    __asm__ volatile("" : : "r"(p) : "memory");
}

/* ----- Poly1305, radix 2^44 ------------------------------------------------------------- */

typedef unsigned __int128 u128;

#define M44 ((uint64_t)0xfffffffffff)
#define M42 ((uint64_t)0x3ffffffffff)

typedef struct {
    uint64_t r[4][3];  /* r^1 .. r^4 (r^2.. only once powers == 1) */
    uint64_t h[3];     /* the accumulator */
    uint64_t pad[2];   /* s, the second half of the key */
    int powers;        /* r^2..r^4 computed (depends only on the public length) */
} poly1305_state;

/* h = h * r mod 2^130 - 5, partially reduced (limbs may exceed their width slightly).
 * 2^132 = 4 * 2^130 = 20 (mod p), so a product landing at 2^132 folds down times 20. */
static inline void poly_mul(uint64_t h[3], const uint64_t r[3])
{
    const uint64_t s1 = r[1] * 20, s2 = r[2] * 20;
    const u128 d0 = (u128)h[0] * r[0] + (u128)h[1] * s2 + (u128)h[2] * s1;
    u128 d1 = (u128)h[0] * r[1] + (u128)h[1] * r[0] + (u128)h[2] * s2;
    u128 d2 = (u128)h[0] * r[2] + (u128)h[1] * r[1] + (u128)h[2] * r[0];
    uint64_t c;
    c = (uint64_t)(d0 >> 44);
    h[0] = (uint64_t)d0 & M44;
    d1 += c;
    c = (uint64_t)(d1 >> 44);
    h[1] = (uint64_t)d1 & M44;
    d2 += c;
    c = (uint64_t)(d2 >> 42);
    h[2] = (uint64_t)d2 & M42;
    h[0] += c * 5;
    c = h[0] >> 44;
    h[0] &= M44;
    h[1] += c;
}

/* §2.5.1: r = clamp(key[0..16]), s = key[16..32]. */
static void poly1305_init(poly1305_state *st, const uint8_t *key)
{
    const uint64_t t0 = load64_le(key), t1 = load64_le(key + 8);
    /* r &= 0x0ffffffc0ffffffc0ffffffc0fffffff, split into 44/44/42 bits */
    st->r[0][0] = t0 & 0xffc0fffffff;
    st->r[0][1] = ((t0 >> 44) | (t1 << 20)) & 0xfffffc0ffff;
    st->r[0][2] = (t1 >> 24) & 0x00ffffffc0f;
    st->h[0] = st->h[1] = st->h[2] = 0;
    st->pad[0] = load64_le(key + 16);
    st->pad[1] = load64_le(key + 24);
    st->powers = 0;
}

/* Split a 16-byte block into limbs and add 2^128 * hibit (hibit is 1 for a full block). */
static inline void poly_load(uint64_t m[3], const uint8_t *p, uint64_t hibit)
{
    const uint64_t t0 = load64_le(p), t1 = load64_le(p + 8);
    m[0] = t0 & M44;
    m[1] = ((t0 >> 44) | (t1 << 20)) & M44;
    m[2] = ((t1 >> 24) & M42) | (hibit << 40);
}

/* d += a * r (three 128-bit column sums). */
static inline void poly_mac(u128 d[3], const uint64_t a[3], const uint64_t r[3])
{
    const uint64_t s1 = r[1] * 20, s2 = r[2] * 20;
    d[0] += (u128)a[0] * r[0] + (u128)a[1] * s2 + (u128)a[2] * s1;
    d[1] += (u128)a[0] * r[1] + (u128)a[1] * r[0] + (u128)a[2] * s2;
    d[2] += (u128)a[0] * r[2] + (u128)a[1] * r[1] + (u128)a[2] * r[0];
}

/* r^2, r^3, r^4 for the 4-block loop (computed once per message, when it is long enough:
 * the condition depends only on the public length). */
static inline void poly_powers(poly1305_state *st)
{
    if (!st->powers) {
        for (int k = 1; k < 4; k++) {
            memcpy(st->r[k], st->r[k - 1], sizeof st->r[k]);
            poly_mul(st->r[k], st->r[0]);
        }
        st->powers = 1;
    }
}

/* Four blocks: h = (h + m1) r^4 + m2 r^3 + m3 r^2 + m4 r. The four products are
 * independent, so the multiplier is kept busy instead of waiting on one long chain.
 * Bounds: limbs of h and m are below 2^45, of 20 r^k below 2^49, so each column sum of 12
 * products stays below 2^98. Needs poly_powers. */
static inline void poly_4blocks(poly1305_state *st, const uint8_t *m, uint64_t hibit)
{
    uint64_t *h = st->h;
    uint64_t a[3], b[3];
    u128 d[3] = {0, 0, 0};
    poly_load(a, m, hibit);
    a[0] += h[0];
    a[1] += h[1];
    a[2] += h[2];
    poly_mac(d, a, st->r[3]);
    poly_load(b, m + 16, hibit);
    poly_mac(d, b, st->r[2]);
    poly_load(b, m + 32, hibit);
    poly_mac(d, b, st->r[1]);
    poly_load(b, m + 48, hibit);
    poly_mac(d, b, st->r[0]);
    uint64_t c;
    c = (uint64_t)(d[0] >> 44);
    h[0] = (uint64_t)d[0] & M44;
    d[1] += c;
    c = (uint64_t)(d[1] >> 44);
    h[1] = (uint64_t)d[1] & M44;
    d[2] += c;
    c = (uint64_t)(d[2] >> 42);
    h[2] = (uint64_t)d[2] & M42;
    h[0] += c * 5;
    c = h[0] >> 44;
    h[0] &= M44;
    h[1] += c;
}

/* §2.5.1, the loop: for each 16-byte block m, h = (h + m + 2^128 * hibit) * r; four blocks
 * at a time while there are four. */
static void poly1305_blocks(poly1305_state *st, const uint8_t *m, size_t nblocks,
                            uint64_t hibit)
{
    if (nblocks >= 4) {
        poly_powers(st);
        while (nblocks >= 4) {
            poly_4blocks(st, m, hibit);
            m += 64;
            nblocks -= 4;
        }
    }
    uint64_t *h = st->h;
    while (nblocks > 0) {
        uint64_t a[3];
        poly_load(a, m, hibit);
        h[0] += a[0];
        h[1] += a[1];
        h[2] += a[2];
        poly_mul(h, st->r[0]);
        m += 16;
        nblocks--;
    }
}

/* Absorb len bytes whose last partial block, if any, is padded with zeros to 16 bytes and
 * counts as a full block (the AEAD's pad16, §2.8). */
static void poly1305_padded(poly1305_state *st, const uint8_t *m, size_t len)
{
    poly1305_blocks(st, m, len / 16, 1);
    const size_t rest = len % 16;
    if (rest) {
        uint8_t block[16] = {0};
        memcpy(block, m + len - rest, rest);
        poly1305_blocks(st, block, 1, 1);
        wipe(block, sizeof block);
    }
}

/* §2.5.1, the end: h mod p, plus s, mod 2^128. p = 2^130 - 5; h - p is selected by a mask
 * made from the borrow of h + 5 - 2^130, never by a branch. */
static void poly1305_finish(poly1305_state *st, uint8_t tag[16])
{
    uint64_t h0 = st->h[0], h1 = st->h[1], h2 = st->h[2], c;
    /* full carry (twice, so every limb is within its width) */
    for (int i = 0; i < 2; i++) {
        c = h1 >> 44;
        h1 &= M44;
        h2 += c;
        c = h2 >> 42;
        h2 &= M42;
        h0 += c * 5;
        c = h0 >> 44;
        h0 &= M44;
        h1 += c;
    }
    c = h1 >> 44;
    h1 &= M44;
    h2 += c;
    /* g = h + 5 - 2^130 */
    uint64_t g0 = h0 + 5;
    c = g0 >> 44;
    g0 &= M44;
    uint64_t g1 = h1 + c;
    c = g1 >> 44;
    g1 &= M44;
    const uint64_t g2 = h2 + c - ((uint64_t)1 << 42);
    /* g2's top bit is set iff h < p: then keep h, else take g */
    const uint64_t keep_g = (g2 >> 63) - 1; /* all ones iff h >= p */
    h0 = (h0 & ~keep_g) | (g0 & keep_g);
    h1 = (h1 & ~keep_g) | (g1 & keep_g);
    h2 = (h2 & ~keep_g) | (g2 & keep_g & M42);
    /* h + s mod 2^128 */
    const uint64_t s0 = st->pad[0], s1 = st->pad[1];
    h0 += s0 & M44;
    c = h0 >> 44;
    h0 &= M44;
    h1 += (((s0 >> 44) | (s1 << 20)) & M44) + c;
    c = h1 >> 44;
    h1 &= M44;
    h2 += ((s1 >> 24) & M42) + c;
    store64_le(tag, h0 | (h1 << 44));
    store64_le(tag + 8, (h1 >> 20) | (h2 << 24));
    wipe(st, sizeof *st);
}

void nocrypto_poly1305(uint8_t *tag, const uint8_t *key, const uint8_t *msg, size_t len)
{
    poly1305_state st;
    poly1305_init(&st, key);
    poly1305_blocks(&st, msg, len / 16, 1);
    const size_t rest = len % 16;
    if (rest) {
        /* §2.5.1: the last short block gets a 0x01 byte after it, then zeros. */
        uint8_t block[16] = {0};
        memcpy(block, msg + len - rest, rest);
        block[rest] = 1;
        poly1305_blocks(&st, block, 1, 0);
        wipe(block, sizeof block);
    }
    poly1305_finish(&st, tag);
}

/* ----- ChaCha20: portable C ------------------------------------------------------------- */

#define ROTL32(v, n) (((v) << (n)) | ((v) >> (32 - (n))))

/* §2.1: the quarter round. */
#define QR(a, b, c, d)                                                                         \
    do {                                                                                       \
        a += b;                                                                                \
        d ^= a;                                                                                \
        d = ROTL32(d, 16);                                                                     \
        c += d;                                                                                \
        b ^= c;                                                                                \
        b = ROTL32(b, 12);                                                                     \
        a += b;                                                                                \
        d ^= a;                                                                                \
        d = ROTL32(d, 8);                                                                      \
        c += d;                                                                                \
        b ^= c;                                                                                \
        b = ROTL32(b, 7);                                                                      \
    } while (0)

/* §2.3: the initial state: constants, key, block counter, nonce (all little-endian words). */
static void chacha20_init(uint32_t st[16], const uint8_t *key, uint32_t counter,
                          const uint8_t *nonce)
{
    st[0] = 0x61707865u; /* "expa" */
    st[1] = 0x3320646eu; /* "nd 3" */
    st[2] = 0x79622d32u; /* "2-by" */
    st[3] = 0x6b206574u; /* "te k" */
    for (int i = 0; i < 8; i++) {
        st[4 + i] = load32_le(key + 4 * i);
    }
    st[12] = counter;
    st[13] = load32_le(nonce);
    st[14] = load32_le(nonce + 4);
    st[15] = load32_le(nonce + 8);
}

/* §2.3: the 16 keystream words of one block for the state st (st[12] is the block
 * counter): 20 rounds, then the input state added. */
static void chacha20_block_words(const uint32_t st[16], uint32_t out[16])
{
    uint32_t x0 = st[0], x1 = st[1], x2 = st[2], x3 = st[3];
    uint32_t x4 = st[4], x5 = st[5], x6 = st[6], x7 = st[7];
    uint32_t x8 = st[8], x9 = st[9], x10 = st[10], x11 = st[11];
    uint32_t x12 = st[12], x13 = st[13], x14 = st[14], x15 = st[15];
    for (int i = 0; i < 10; i++) {
        /* column round */
        QR(x0, x4, x8, x12);
        QR(x1, x5, x9, x13);
        QR(x2, x6, x10, x14);
        QR(x3, x7, x11, x15);
        /* diagonal round */
        QR(x0, x5, x10, x15);
        QR(x1, x6, x11, x12);
        QR(x2, x7, x8, x13);
        QR(x3, x4, x9, x14);
    }
    out[0] = x0 + st[0];
    out[1] = x1 + st[1];
    out[2] = x2 + st[2];
    out[3] = x3 + st[3];
    out[4] = x4 + st[4];
    out[5] = x5 + st[5];
    out[6] = x6 + st[6];
    out[7] = x7 + st[7];
    out[8] = x8 + st[8];
    out[9] = x9 + st[9];
    out[10] = x10 + st[10];
    out[11] = x11 + st[11];
    out[12] = x12 + st[12];
    out[13] = x13 + st[13];
    out[14] = x14 + st[14];
    out[15] = x15 + st[15];
}

/* §2.3: one 64-byte keystream block, serialised little-endian. */
static void chacha20_block(const uint32_t st[16], uint8_t ks[64])
{
    uint32_t x[16];
    chacha20_block_words(st, x);
    for (int i = 0; i < 16; i++) {
        store32_le(ks + 4 * i, x[i]);
    }
    wipe(x, sizeof x);
}

/* XOR len bytes with the keystream from block st[12] on; st[12] advances past the blocks
 * used. Whole blocks are XORed a word at a time. */
static void chacha20_xor_portable(uint32_t st[16], const uint8_t *in, uint8_t *out, size_t len)
{
    uint32_t x[16];
    while (len >= 64) {
        chacha20_block_words(st, x);
        st[12]++;
        for (int i = 0; i < 16; i++) {
            store32_le(out + 4 * i, load32_le(in + 4 * i) ^ x[i]);
        }
        in += 64;
        out += 64;
        len -= 64;
    }
    if (len > 0) {
        uint8_t ks[64];
        chacha20_block(st, ks);
        st[12]++;
        for (size_t i = 0; i < len; i++) {
            out[i] = (uint8_t)(in[i] ^ ks[i]);
        }
        wipe(ks, sizeof ks);
    }
    wipe(x, sizeof x);
}

/* ----- ChaCha20: AVX2, 8 blocks at a time ------------------------------------------------ */

#ifdef NOCRYPTO_CHACHA_X86

/* Word-sliced: vector x[i] holds word i of 8 consecutive blocks (counters st[12] + 0..7). */
#define AVX2_ROTL(v, n) _mm256_or_si256(_mm256_slli_epi32(v, n), _mm256_srli_epi32(v, 32 - (n)))
#define AVX2_QR(a, b, c, d)                                                                    \
    do {                                                                                       \
        a = _mm256_add_epi32(a, b);                                                            \
        d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), rot16);                                \
        c = _mm256_add_epi32(c, d);                                                            \
        b = _mm256_xor_si256(b, c);                                                            \
        b = AVX2_ROTL(b, 12);                                                                  \
        a = _mm256_add_epi32(a, b);                                                            \
        d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), rot8);                                 \
        c = _mm256_add_epi32(c, d);                                                            \
        b = _mm256_xor_si256(b, c);                                                            \
        b = AVX2_ROTL(b, 7);                                                                   \
    } while (0)

/* Transpose the 8x8 words of x[base..base+8) (word-sliced) into 8 rows of 32 bytes: row j
 * is words base..base+7 of block j. */
__attribute__((target("avx2"))) static inline void avx2_transpose(const __m256i *x,
                                                                  __m256i row[8])
{
    const __m256i t0 = _mm256_unpacklo_epi32(x[0], x[1]);
    const __m256i t1 = _mm256_unpackhi_epi32(x[0], x[1]);
    const __m256i t2 = _mm256_unpacklo_epi32(x[2], x[3]);
    const __m256i t3 = _mm256_unpackhi_epi32(x[2], x[3]);
    const __m256i t4 = _mm256_unpacklo_epi32(x[4], x[5]);
    const __m256i t5 = _mm256_unpackhi_epi32(x[4], x[5]);
    const __m256i t6 = _mm256_unpacklo_epi32(x[6], x[7]);
    const __m256i t7 = _mm256_unpackhi_epi32(x[6], x[7]);
    /* u_k: words 0-3 of blocks k and k+4; v_k: words 4-7 of blocks k and k+4 */
    const __m256i u0 = _mm256_unpacklo_epi64(t0, t2);
    const __m256i u1 = _mm256_unpackhi_epi64(t0, t2);
    const __m256i u2 = _mm256_unpacklo_epi64(t1, t3);
    const __m256i u3 = _mm256_unpackhi_epi64(t1, t3);
    const __m256i v0 = _mm256_unpacklo_epi64(t4, t6);
    const __m256i v1 = _mm256_unpackhi_epi64(t4, t6);
    const __m256i v2 = _mm256_unpacklo_epi64(t5, t7);
    const __m256i v3 = _mm256_unpackhi_epi64(t5, t7);
    row[0] = _mm256_permute2x128_si256(u0, v0, 0x20);
    row[1] = _mm256_permute2x128_si256(u1, v1, 0x20);
    row[2] = _mm256_permute2x128_si256(u2, v2, 0x20);
    row[3] = _mm256_permute2x128_si256(u3, v3, 0x20);
    row[4] = _mm256_permute2x128_si256(u0, v0, 0x31);
    row[5] = _mm256_permute2x128_si256(u1, v1, 0x31);
    row[6] = _mm256_permute2x128_si256(u2, v2, 0x31);
    row[7] = _mm256_permute2x128_si256(u3, v3, 0x31);
}

/* 8 blocks from counter st[12]: out[512] = in[512] XOR keystream, or the keystream itself if
 * in is NULL (a public choice). Stitched with Poly1305: during the rounds, p absorbs
 * mac_blocks (at most 32) 16-byte blocks of mac, 4 per double round, so that the integer
 * multiplier works while the vector units run ChaCha20. */
__attribute__((target("avx2"))) static void chacha20_8blocks_avx2_mac(
    const uint32_t st[16], const uint8_t *in, uint8_t *out, poly1305_state *p,
    const uint8_t *mac, size_t mac_blocks)
{
    const __m256i rot16 = _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
                                           2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
    const __m256i rot8 = _mm256_setr_epi8(3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14,
                                          3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14);
    const size_t quads = mac_blocks / 4;
    if (quads > 0) {
        poly_powers(p);
    }
    __m256i x0 = _mm256_set1_epi32((int)st[0]), x1 = _mm256_set1_epi32((int)st[1]);
    __m256i x2 = _mm256_set1_epi32((int)st[2]), x3 = _mm256_set1_epi32((int)st[3]);
    __m256i x4 = _mm256_set1_epi32((int)st[4]), x5 = _mm256_set1_epi32((int)st[5]);
    __m256i x6 = _mm256_set1_epi32((int)st[6]), x7 = _mm256_set1_epi32((int)st[7]);
    __m256i x8 = _mm256_set1_epi32((int)st[8]), x9 = _mm256_set1_epi32((int)st[9]);
    __m256i x10 = _mm256_set1_epi32((int)st[10]), x11 = _mm256_set1_epi32((int)st[11]);
    __m256i x12 = _mm256_add_epi32(_mm256_set1_epi32((int)st[12]),
                                   _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    __m256i x13 = _mm256_set1_epi32((int)st[13]), x14 = _mm256_set1_epi32((int)st[14]);
    __m256i x15 = _mm256_set1_epi32((int)st[15]);
    const __m256i counters = x12;
    for (size_t i = 0; i < 10; i++) {
        AVX2_QR(x0, x4, x8, x12);
        AVX2_QR(x1, x5, x9, x13);
        AVX2_QR(x2, x6, x10, x14);
        AVX2_QR(x3, x7, x11, x15);
        AVX2_QR(x0, x5, x10, x15);
        AVX2_QR(x1, x6, x11, x12);
        AVX2_QR(x2, x7, x8, x13);
        AVX2_QR(x3, x4, x9, x14);
        if (i < quads) {
            poly_4blocks(p, mac + 64 * i, 1);
        }
    }
    if (mac_blocks > 4 * quads) {
        poly1305_blocks(p, mac + 64 * quads, mac_blocks - 4 * quads, 1);
    }
    __m256i x[16] = {x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15};
    for (int i = 0; i < 16; i++) {
        const __m256i s = i == 12 ? counters : _mm256_set1_epi32((int)st[i]);
        x[i] = _mm256_add_epi32(x[i], s);
    }
    __m256i lo[8], hi[8];
    avx2_transpose(x, lo);     /* bytes 0..31 of each block */
    avx2_transpose(x + 8, hi); /* bytes 32..63 of each block */
    if (in != NULL) {
        for (int j = 0; j < 8; j++) {
            const __m256i a = _mm256_loadu_si256((const __m256i *)(in + 64 * j));
            const __m256i b = _mm256_loadu_si256((const __m256i *)(in + 64 * j + 32));
            _mm256_storeu_si256((__m256i *)(out + 64 * j), _mm256_xor_si256(a, lo[j]));
            _mm256_storeu_si256((__m256i *)(out + 64 * j + 32), _mm256_xor_si256(b, hi[j]));
        }
    } else {
        for (int j = 0; j < 8; j++) {
            _mm256_storeu_si256((__m256i *)(out + 64 * j), lo[j]);
            _mm256_storeu_si256((__m256i *)(out + 64 * j + 32), hi[j]);
        }
    }
}

static void chacha20_8blocks_avx2(const uint32_t st[16], const uint8_t *in, uint8_t *out)
{
    chacha20_8blocks_avx2_mac(st, in, out, NULL, NULL, 0);
}

/* Short messages: 4 blocks (counters st[12] + 0..3) as two independent groups of two, each
 * group one ymm register per row of the state (low lane: one block, high lane: the next).
 * The rows are "diagonalised" by rotating words within each row for the diagonal round.
 * It costs less than three portable blocks or one word-sliced 8-block batch. ks[256]: the
 * keystream. */
#define ROWS_QR(a, b, c, d)                                                                    \
    do {                                                                                       \
        a = _mm256_add_epi32(a, b);                                                            \
        d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), rot16);                                \
        c = _mm256_add_epi32(c, d);                                                            \
        b = _mm256_xor_si256(b, c);                                                            \
        b = AVX2_ROTL(b, 12);                                                                  \
        a = _mm256_add_epi32(a, b);                                                            \
        d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), rot8);                                 \
        c = _mm256_add_epi32(c, d);                                                            \
        b = _mm256_xor_si256(b, c);                                                            \
        b = AVX2_ROTL(b, 7);                                                                   \
    } while (0)

__attribute__((target("avx2"))) static void chacha20_4blocks_avx2(const uint32_t st[16],
                                                                  uint8_t ks[256])
{
    const __m256i rot16 = _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
                                           2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
    const __m256i rot8 = _mm256_setr_epi8(3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14,
                                          3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14);
    const __m256i s0 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)st));
    const __m256i s1 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(st + 4)));
    const __m256i s2 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(st + 8)));
    const __m256i s3 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(st + 12)));
    const __m256i d0 = _mm256_add_epi32(s3, _mm256_setr_epi32(0, 0, 0, 0, 1, 0, 0, 0));
    const __m256i d1 = _mm256_add_epi32(s3, _mm256_setr_epi32(2, 0, 0, 0, 3, 0, 0, 0));
    __m256i a = s0, b = s1, c = s2, d = d0; /* blocks 0 and 1 */
    __m256i e = s0, f = s1, g = s2, h = d1; /* blocks 2 and 3 */
    for (int i = 0; i < 10; i++) {
        ROWS_QR(a, b, c, d);
        ROWS_QR(e, f, g, h);
        /* diagonalise: lane i of b, c, d becomes word i + 1, i + 2, i + 3 of its row */
        b = _mm256_shuffle_epi32(b, 0x39);
        c = _mm256_shuffle_epi32(c, 0x4e);
        d = _mm256_shuffle_epi32(d, 0x93);
        f = _mm256_shuffle_epi32(f, 0x39);
        g = _mm256_shuffle_epi32(g, 0x4e);
        h = _mm256_shuffle_epi32(h, 0x93);
        ROWS_QR(a, b, c, d);
        ROWS_QR(e, f, g, h);
        b = _mm256_shuffle_epi32(b, 0x93);
        c = _mm256_shuffle_epi32(c, 0x4e);
        d = _mm256_shuffle_epi32(d, 0x39);
        f = _mm256_shuffle_epi32(f, 0x93);
        g = _mm256_shuffle_epi32(g, 0x4e);
        h = _mm256_shuffle_epi32(h, 0x39);
    }
    a = _mm256_add_epi32(a, s0);
    b = _mm256_add_epi32(b, s1);
    c = _mm256_add_epi32(c, s2);
    d = _mm256_add_epi32(d, d0);
    e = _mm256_add_epi32(e, s0);
    f = _mm256_add_epi32(f, s1);
    g = _mm256_add_epi32(g, s2);
    h = _mm256_add_epi32(h, d1);
    _mm256_storeu_si256((__m256i *)ks, _mm256_permute2x128_si256(a, b, 0x20));
    _mm256_storeu_si256((__m256i *)(ks + 32), _mm256_permute2x128_si256(c, d, 0x20));
    _mm256_storeu_si256((__m256i *)(ks + 64), _mm256_permute2x128_si256(a, b, 0x31));
    _mm256_storeu_si256((__m256i *)(ks + 96), _mm256_permute2x128_si256(c, d, 0x31));
    _mm256_storeu_si256((__m256i *)(ks + 128), _mm256_permute2x128_si256(e, f, 0x20));
    _mm256_storeu_si256((__m256i *)(ks + 160), _mm256_permute2x128_si256(g, h, 0x20));
    _mm256_storeu_si256((__m256i *)(ks + 192), _mm256_permute2x128_si256(e, f, 0x31));
    _mm256_storeu_si256((__m256i *)(ks + 224), _mm256_permute2x128_si256(g, h, 0x31));
}

static void chacha20_xor_avx2(uint32_t st[16], const uint8_t *in, uint8_t *out, size_t len)
{
    while (len >= 512) {
        chacha20_8blocks_avx2(st, in, out);
        st[12] += 8;
        in += 512;
        out += 512;
        len -= 512;
    }
    if (len > 128) {
        /* The tail, its keystream through a buffer: one 8-block batch, or for 3 or 4 blocks
         * the 4-block row layout (cheaper than 3 portable blocks or a batch); up to two
         * blocks, the portable code is fastest (it has the shortest latency). */
        uint8_t ks[512];
        if (len > 256) {
            chacha20_8blocks_avx2(st, NULL, ks);
        } else {
            chacha20_4blocks_avx2(st, ks);
        }
        st[12] += (uint32_t)((len + 63) / 64);
        for (size_t i = 0; i < len; i++) {
            out[i] = (uint8_t)(in[i] ^ ks[i]);
        }
        wipe(ks, sizeof ks);
    } else if (len > 0) {
        chacha20_xor_portable(st, in, out, len);
    }
}
#endif /* NOCRYPTO_CHACHA_X86 */

static int use_avx2(void)
{
#ifdef NOCRYPTO_CHACHA_X86
    return (nocrypto_cpu_features() & NOCRYPTO_HW_AVX2) != 0;
#else
    return 0;
#endif
}

/* XOR with the keystream from block st[12] on (advancing it), on the best path. */
static void chacha20_xor_state(uint32_t st[16], const uint8_t *in, uint8_t *out, size_t len)
{
#ifdef NOCRYPTO_CHACHA_X86
    if (use_avx2()) {
        chacha20_xor_avx2(st, in, out, len);
        return;
    }
#endif
    chacha20_xor_portable(st, in, out, len);
}

void nocrypto_chacha20_xor(const uint8_t *key, uint32_t counter, const uint8_t *nonce,
                           const uint8_t *in, uint8_t *out, size_t len)
{
    uint32_t st[16];
    chacha20_init(st, key, counter, nonce);
    chacha20_xor_state(st, in, out, len);
    wipe(st, sizeof st);
}

/* ----- the AEAD (§2.8) ------------------------------------------------------------------ */

/* The keystream of the first blocks: block 0 gives the one-time Poly1305 key (§2.6), the
 * following ones encrypt the start of the message. With AVX2 this is the 4-block row layout
 * for a message of 2 or 3 blocks, one 8-block batch (counters 0..7) for a longer one, so a
 * short message costs one call; for a message of one block or less, or without AVX2, block
 * 0 alone (two portable blocks have the shortest latency). Returns the number of message bytes that ks
 * covers after its first 64 bytes. */
static size_t aead_first_blocks(uint32_t st[16], uint8_t ks[512], size_t len)
{
#ifdef NOCRYPTO_CHACHA_X86
    if (len > 64 && use_avx2()) {
        if (len <= 192) {
            chacha20_4blocks_avx2(st, ks);
            st[12] += 4;
            return 192;
        }
        chacha20_8blocks_avx2(st, NULL, ks);
        st[12] += 8;
        return 448;
    }
#endif
    chacha20_block(st, ks);
    st[12]++;
    return 0;
}

/* §2.8.1: mac_data = aad || pad16 || ciphertext || pad16 || le64(aad_len) || le64(len). */
static void aead_tag(const uint8_t polykey[32], const uint8_t *aad, size_t aad_len,
                     const uint8_t *ct, size_t len, uint8_t tag[16])
{
    poly1305_state p;
    poly1305_init(&p, polykey);
    poly1305_padded(&p, aad, aad_len);
    poly1305_padded(&p, ct, len);
    uint8_t lengths[16];
    store64_le(lengths, (uint64_t)aad_len);
    store64_le(lengths + 8, (uint64_t)len);
    poly1305_blocks(&p, lengths, 1, 1);
    poly1305_finish(&p, tag);
}

void nocrypto_chacha20_poly1305_seal(const uint8_t *key, const uint8_t *nonce,
                                     const uint8_t *aad, size_t aad_len, const uint8_t *in,
                                     size_t len, uint8_t *out)
{
    uint32_t st[16];
    uint8_t ks[512];
    poly1305_state p;
    chacha20_init(st, key, 0, nonce);
    const size_t head_max = aead_first_blocks(st, ks, len);
    poly1305_init(&p, ks);
    poly1305_padded(&p, aad, aad_len);
    size_t done = len < head_max ? len : head_max; /* ciphertext bytes written */
    for (size_t i = 0; i < done; i++) {
        out[i] = (uint8_t)(in[i] ^ ks[64 + i]);
    }
    size_t maced = 0; /* ciphertext bytes absorbed by Poly1305 (whole blocks until the end) */
#ifdef NOCRYPTO_CHACHA_X86
    if (use_avx2()) {
        /* Stitched: while AVX2 encrypts a batch, Poly1305 (integer multiplier, another
         * part of the core) absorbs the ciphertext of the batches before it. */
        while (len - done >= 512) {
            chacha20_8blocks_avx2_mac(st, in + done, out + done, &p, out + maced,
                                      (done - maced) / 16);
            st[12] += 8;
            maced = done;
            done += 512;
        }
    }
#endif
    chacha20_xor_state(st, in + done, out + done, len - done);
    poly1305_padded(&p, out + maced, len - maced);
    uint8_t lengths[16];
    store64_le(lengths, (uint64_t)aad_len);
    store64_le(lengths + 8, (uint64_t)len);
    poly1305_blocks(&p, lengths, 1, 1);
    poly1305_finish(&p, out + len);
    wipe(ks, sizeof ks);
    wipe(st, sizeof st);
}

int nocrypto_chacha20_poly1305_open(const uint8_t *key, const uint8_t *nonce,
                                    const uint8_t *aad, size_t aad_len, const uint8_t *in,
                                    size_t len, const uint8_t *tag, uint8_t *out)
{
    uint32_t st[16];
    uint8_t ks[512], expected[16];
    chacha20_init(st, key, 0, nonce);
    const size_t covered = aead_first_blocks(st, ks, len);
    aead_tag(ks, aad, aad_len, in, len, expected);
    /* Compare all 16 bytes, no early exit; acc is 0 iff the tags are equal. */
    uint32_t acc = 0;
    for (int i = 0; i < 16; i++) {
        acc |= (uint32_t)(expected[i] ^ tag[i]);
    }
    const int ok = (int)(((acc - 1u) >> 31) & 1u);
    /* Whether the tag verified is the public outcome of open (declassified for `make ct`):
     * decrypt only an authentic ciphertext. */
    NOCRYPTO_DECLASSIFY(&ok, sizeof ok);
    if (ok) {
        const size_t head = len < covered ? len : covered;
        for (size_t i = 0; i < head; i++) {
            out[i] = (uint8_t)(in[i] ^ ks[64 + i]);
        }
        chacha20_xor_state(st, in + head, out + head, len - head);
    }
    wipe(ks, sizeof ks);
    wipe(st, sizeof st);
    wipe(expected, sizeof expected);
    return ok;
}
