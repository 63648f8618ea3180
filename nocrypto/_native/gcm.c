/*
 * GHASH (NIST SP 800-38D §6.4) and AES-GCM (§7.1 GCM-AE, §7.2 GCM-AD).
 * Twin: nocrypto/_ref/gcm.py.
 *
 * Representation. GCM reads a 16-byte block as a polynomial over GF(2) whose x^0 coefficient
 * is the most significant bit of the first byte. Reading the block as a big-endian 128-bit
 * integer V therefore puts the coefficient of x^i at bit 127 - i: the bit order is reflected.
 * A carry-less product of two reflected values is the reflected product shifted right by one
 * bit, so both paths multiply, shift the 256-bit product left by one, and reduce modulo
 * x^128 + x^7 + x^2 + x + 1 written reflected (the method of Gueron and Kounavis, "Intel
 * Carry-Less Multiplication Instruction and its Usage for Computing the GCM Mode").
 *
 * Paths (chosen at run time, see cpu.h):
 * - PCLMULQDQ: Karatsuba products (3 PCLMULQDQ per block), aggregated over 8 blocks with the
 *   powers H^8..H^1 so that one reduction serves 8 blocks; with an AES-NI key schedule,
 *   AES-GCM seal runs a fused loop: 8 blocks of AES-CTR interleaved with the GHASH of the
 *   previous 8 ciphertext blocks.
 * - portable C: a 64x64-bit carry-less multiply made of ordinary integer multiplications of
 *   operands "with holes" (one bit in four kept, so the carries of an integer product never
 *   reach a bit that is kept), Karatsuba on top; AES through the AES kernel's own paths.
 *
 * Constant time (DESIGN.md, principle 8): no table and no branch depends on H, the data or
 * the tag. PCLMULQDQ, AES-NI and 64x64->128-bit MUL run in constant time on x86-64; the
 * portable multiply uses masks, never a data-dependent index. The tag comparison
 * accumulates the XOR of all tag bytes; the one branch on its outcome - whether to decrypt -
 * is the public result of open, declassified with NOCRYPTO_DECLASSIFY (ctgrind.h) for the
 * valgrind check. Loop bounds depend only on public lengths.
 */
#include "gcm.h"

#include <string.h>

#include "aes.h"
#include "cpu.h"
#include "ctgrind.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NOCRYPTO_GCM_X86 1
#endif

typedef unsigned __int128 u128;

/* ----- byte order helpers ---------------------------------------------------------------- */

static inline uint64_t load64_be(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

static inline void store64_be(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

static inline uint64_t load64_le(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

static inline void store64_le(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

/* Clear a secret temporary; the empty asm keeps the memset from being dropped. */
static void wipe(void *p, size_t n)
{
    memset(p, 0, n);
    __asm__ volatile("" : : "r"(p) : "memory");
}

/* ----- the GHASH key -------------------------------------------------------------------- */
/*
 * Layout of hkey (opaque to callers): for k = 1..8, at 16 (k - 1), the value V of H^k as two
 * little-endian 64-bit words, low then high (on x86 this is exactly the byte-reversed block,
 * ready for _mm_loadu_si128); at 128 + 16 (k - 1), the 64-bit word hi(V) ^ lo(V) of H^k
 * (Karatsuba's middle operand), then 8 zero bytes.
 */

typedef struct {
    uint64_t hi, lo; /* V = hi * 2^64 + lo: the block read big-endian */
} gf128;

static inline gf128 gf_load_block(const uint8_t *b)
{
    gf128 v = {load64_be(b), load64_be(b + 8)};
    return v;
}

static inline void gf_store_block(uint8_t *b, gf128 v)
{
    store64_be(b, v.hi);
    store64_be(b + 8, v.lo);
}

static inline gf128 hkey_power(const uint8_t *hkey, unsigned k)
{
    gf128 v = {load64_le(hkey + 16 * (k - 1) + 8), load64_le(hkey + 16 * (k - 1))};
    return v;
}

/* ----- portable carry-less multiplication ----------------------------------------------- */

/* The 128-bit carry-less product of a and b, from integer products of operands with holes.
 * Split each operand into four classes, bits i mod 4 = 0, 1, 2, 3. An integer product of a
 * class of a and a class of b has bits only at positions of one class (i + j mod 4), and at
 * such a position the count of contributing bit pairs; if that count is at most 15, it fits
 * in the 4 bits up to the next position of the class, so no carry reaches a kept bit and the
 * kept bit is the parity, i.e. the carry-less product bit. b's classes have 16 bits each; the
 * bottom 4 bits of a are taken out so a's classes have 15, and are added back by masks. */
static inline u128 clmul64(uint64_t a, uint64_t b)
{
    const uint64_t m0 = 0x1111111111111111u, m1 = m0 << 1, m2 = m0 << 2, m3 = m0 << 3;
    const uint64_t ah = a & ~(uint64_t)0xf;
    const uint64_t a0 = ah & m0, a1 = ah & m1, a2 = ah & m2, a3 = ah & m3;
    const uint64_t b0 = b & m0, b1 = b & m1, b2 = b & m2, b3 = b & m3;
    const u128 z0 = ((u128)a0 * b0) ^ ((u128)a1 * b3) ^ ((u128)a2 * b2) ^ ((u128)a3 * b1);
    const u128 z1 = ((u128)a0 * b1) ^ ((u128)a1 * b0) ^ ((u128)a2 * b3) ^ ((u128)a3 * b2);
    const u128 z2 = ((u128)a0 * b2) ^ ((u128)a1 * b1) ^ ((u128)a2 * b0) ^ ((u128)a3 * b3);
    const u128 z3 = ((u128)a0 * b3) ^ ((u128)a1 * b2) ^ ((u128)a2 * b1) ^ ((u128)a3 * b0);
    const u128 M0 = ((u128)m0 << 64) | m0;
    u128 z = (z0 & M0) | (z1 & (M0 << 1)) | (z2 & (M0 << 2)) | (z3 & (M0 << 3));
    for (int i = 0; i < 4; i++) {
        const uint64_t mask = (uint64_t)0 - ((a >> i) & 1); /* all ones iff bit i of a */
        z ^= (u128)(b & mask) << i;
    }
    return z;
}

/* Reduce the 256-bit reflected product z3:z2:z1:z0 (not yet shifted) to x * h in GCM's
 * field: shift left by one (see the top of the file), then fold the low half L = z1:z0,
 * which holds x^128..x^255, with x^128 = x^7 + x^2 + x + 1. In reflected order multiplying
 * by x^s is a right shift by s, so L contributes L ^ L>>1 ^ L>>2 ^ L>>7; the bits these
 * shifts push out (x^128.. again) are first folded into L as L<<127 ^ L<<126 ^ L<<121. */
static inline gf128 gf_reduce(uint64_t z3, uint64_t z2, uint64_t z1, uint64_t z0)
{
    z3 = (z3 << 1) | (z2 >> 63);
    z2 = (z2 << 1) | (z1 >> 63);
    z1 = (z1 << 1) | (z0 >> 63);
    z0 <<= 1;
    z1 ^= (z0 << 63) ^ (z0 << 62) ^ (z0 << 57);
    gf128 r;
    r.hi = z3 ^ z1 ^ (z1 >> 1) ^ (z1 >> 2) ^ (z1 >> 7);
    r.lo = z2 ^ z0 ^ ((z0 >> 1) | (z1 << 63)) ^ ((z0 >> 2) | (z1 << 62)) ^
           ((z0 >> 7) | (z1 << 57));
    return r;
}

/* x * h in GF(2^128) (SP 800-38D §6.3), Karatsuba: three 64x64 products. */
static gf128 gf_mul(gf128 x, gf128 h)
{
    const u128 lo = clmul64(x.lo, h.lo);
    const u128 hi = clmul64(x.hi, h.hi);
    const u128 mid = clmul64(x.lo ^ x.hi, h.lo ^ h.hi) ^ lo ^ hi;
    return gf_reduce((uint64_t)(hi >> 64), (uint64_t)hi ^ (uint64_t)(mid >> 64),
                     (uint64_t)(lo >> 64) ^ (uint64_t)mid, (uint64_t)lo);
}

static void ghash_portable(const uint8_t *hkey, gf128 *y, const uint8_t *data, size_t nblocks)
{
    const gf128 h = hkey_power(hkey, 1);
    gf128 acc = *y;
    for (size_t i = 0; i < nblocks; i++) {
        const gf128 x = gf_load_block(data + 16 * i);
        acc.hi ^= x.hi;
        acc.lo ^= x.lo;
        acc = gf_mul(acc, h);
    }
    *y = acc;
}

void nocrypto_ghash_key(uint8_t *hkey, const uint8_t *h)
{
    /* The powers are made with the portable multiply (constant time, and the key then
     * serves every path). */
    const gf128 h1 = gf_load_block(h);
    gf128 p = h1;
    for (unsigned k = 1; k <= 8; k++) {
        store64_le(hkey + 16 * (k - 1), p.lo);
        store64_le(hkey + 16 * (k - 1) + 8, p.hi);
        store64_le(hkey + 128 + 16 * (k - 1), p.lo ^ p.hi);
        store64_le(hkey + 128 + 16 * (k - 1) + 8, 0);
        p = gf_mul(p, h1);
    }
}

/* ----- PCLMULQDQ ------------------------------------------------------------------------- */

#ifdef NOCRYPTO_GCM_X86

#define GCM_CLMUL __attribute__((target("pclmul,sse4.1")))
#define GCM_AESNI __attribute__((target("aes,pclmul,sse4.1")))

/* Reverse the 16 bytes: the block <-> the register holding V (lane 0 = lo(V)). */
GCM_CLMUL static inline __m128i bswap128(__m128i v)
{
    return _mm_shuffle_epi8(v, _mm_setr_epi8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2,
                                             1, 0));
}

/* Aggregated Karatsuba: accumulators of the low, middle and high 128-bit partial products. */
typedef struct {
    __m128i lo, mid, hi;
} clmul_acc;

/* acc += x * H^k (unreduced); h = H^k, hk = its Karatsuba word. */
GCM_CLMUL static inline void clmul_step(clmul_acc *acc, __m128i x, __m128i h, __m128i hk)
{
    acc->lo = _mm_xor_si128(acc->lo, _mm_clmulepi64_si128(x, h, 0x00));
    acc->hi = _mm_xor_si128(acc->hi, _mm_clmulepi64_si128(x, h, 0x11));
    const __m128i fold = _mm_xor_si128(x, _mm_shuffle_epi32(x, 0x4e)); /* lo ^ hi */
    acc->mid = _mm_xor_si128(acc->mid, _mm_clmulepi64_si128(fold, hk, 0x00));
}

/* Karatsuba recombination, then the shift and reduction of gf_reduce on SSE registers. */
GCM_CLMUL static inline __m128i clmul_finish(clmul_acc acc)
{
    const __m128i mid = _mm_xor_si128(acc.mid, _mm_xor_si128(acc.lo, acc.hi));
    __m128i lo = _mm_xor_si128(acc.lo, _mm_slli_si128(mid, 8));
    __m128i hi = _mm_xor_si128(acc.hi, _mm_srli_si128(mid, 8));
    /* shift hi:lo left by one bit */
    __m128i c_lo = _mm_srli_epi32(lo, 31), c_hi = _mm_srli_epi32(hi, 31);
    lo = _mm_slli_epi32(lo, 1);
    hi = _mm_slli_epi32(hi, 1);
    const __m128i carry = _mm_srli_si128(c_lo, 12);
    c_hi = _mm_slli_si128(c_hi, 4);
    c_lo = _mm_slli_si128(c_lo, 4);
    lo = _mm_or_si128(lo, c_lo);
    hi = _mm_or_si128(_mm_or_si128(hi, c_hi), carry);
    /* fold L<<127 ^ L<<126 ^ L<<121 into L (only its low word matters) */
    __m128i t = _mm_xor_si128(_mm_xor_si128(_mm_slli_epi32(lo, 31), _mm_slli_epi32(lo, 30)),
                              _mm_slli_epi32(lo, 25));
    const __m128i cross = _mm_srli_si128(t, 4); /* bits crossing 32-bit lanes below */
    lo = _mm_xor_si128(lo, _mm_slli_si128(t, 12));
    /* hi ^ L ^ L>>1 ^ L>>2 ^ L>>7 */
    t = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi32(lo, 1), _mm_srli_epi32(lo, 2)),
                      _mm_srli_epi32(lo, 7));
    t = _mm_xor_si128(t, cross);
    return _mm_xor_si128(hi, _mm_xor_si128(lo, t));
}

GCM_CLMUL static inline clmul_acc clmul_zero(void)
{
    clmul_acc a = {_mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128()};
    return a;
}

/* acc += (y ^ X_0) H^8 + X_1 H^7 + ... + X_7 H^1 for the 8 blocks at data. */
GCM_CLMUL static inline void clmul_8blocks(clmul_acc *acc, const uint8_t *hkey, __m128i y,
                                           const uint8_t *data)
{
#define GHASH_STEP(j)                                                                          \
    do {                                                                                       \
        __m128i x_ = bswap128(_mm_loadu_si128((const __m128i *)(data + 16 * (j))));            \
        if ((j) == 0) {                                                                        \
            x_ = _mm_xor_si128(x_, y);                                                         \
        }                                                                                      \
        clmul_step(acc, x_, _mm_loadu_si128((const __m128i *)(hkey + 16 * (7 - (j)))),         \
                   _mm_loadu_si128((const __m128i *)(hkey + 128 + 16 * (7 - (j)))));           \
    } while (0)
    GHASH_STEP(0);
    GHASH_STEP(1);
    GHASH_STEP(2);
    GHASH_STEP(3);
    GHASH_STEP(4);
    GHASH_STEP(5);
    GHASH_STEP(6);
    GHASH_STEP(7);
#undef GHASH_STEP
}

/* y = GHASH continued over nblocks blocks: 8 blocks per reduction, block j of a group of k
 * multiplied by H^(k - j). */
GCM_CLMUL static __m128i ghash_clmul(const uint8_t *hkey, __m128i y, const uint8_t *data,
                                     size_t nblocks)
{
    while (nblocks >= 8) {
        clmul_acc acc = clmul_zero();
        clmul_8blocks(&acc, hkey, y, data);
        y = clmul_finish(acc);
        data += 128;
        nblocks -= 8;
    }
    if (nblocks > 0) {
        const size_t k = nblocks;
        clmul_acc acc = clmul_zero();
        for (size_t j = 0; j < k; j++) {
            __m128i x = bswap128(_mm_loadu_si128((const __m128i *)(data + 16 * j)));
            if (j == 0) {
                x = _mm_xor_si128(x, y);
            }
            const size_t power = k - j;
            const __m128i h = _mm_loadu_si128((const __m128i *)(hkey + 16 * (power - 1)));
            const __m128i hk =
                _mm_loadu_si128((const __m128i *)(hkey + 128 + 16 * (power - 1)));
            clmul_step(&acc, x, h, hk);
        }
        y = clmul_finish(acc);
    }
    return y;
}

/* AES-NI: one block. */
GCM_AESNI static inline __m128i aesni_block(const uint8_t *rk, unsigned rounds, __m128i b)
{
    b = _mm_xor_si128(b, _mm_loadu_si128((const __m128i *)rk));
    for (unsigned r = 1; r < rounds; r++) {
        b = _mm_aesenc_si128(b, _mm_loadu_si128((const __m128i *)(rk + 16 * r)));
    }
    return _mm_aesenclast_si128(b, _mm_loadu_si128((const __m128i *)(rk + 16 * rounds)));
}

#define AES_ROUND8(r)                                                                          \
    do {                                                                                       \
        const __m128i key_ = _mm_loadu_si128((const __m128i *)(rk + 16 * (r)));                \
        c[0] = _mm_aesenc_si128(c[0], key_);                                                   \
        c[1] = _mm_aesenc_si128(c[1], key_);                                                   \
        c[2] = _mm_aesenc_si128(c[2], key_);                                                   \
        c[3] = _mm_aesenc_si128(c[3], key_);                                                   \
        c[4] = _mm_aesenc_si128(c[4], key_);                                                   \
        c[5] = _mm_aesenc_si128(c[5], key_);                                                   \
        c[6] = _mm_aesenc_si128(c[6], key_);                                                   \
        c[7] = _mm_aesenc_si128(c[7], key_);                                                   \
    } while (0)

/* The 8 counter blocks ctr + 0..7 (ctr is the byte-reversed counter block, so its lane 0 is
 * the 32-bit counter: _mm_add_epi32 is inc32, wrapping modulo 2^32 as §6.2 requires), each
 * XORed with round key 0. */
GCM_AESNI static inline void ctr_first8(const uint8_t *rk, __m128i ctr, __m128i c[8])
{
    const __m128i k0 = _mm_loadu_si128((const __m128i *)rk);
    for (int j = 0; j < 8; j++) {
        c[j] = _mm_xor_si128(bswap128(_mm_add_epi32(ctr, _mm_setr_epi32(j, 0, 0, 0))), k0);
    }
}

GCM_AESNI static inline void ctr_last8(const uint8_t *rk, unsigned rounds, __m128i c[8],
                                       const uint8_t *in, uint8_t *out)
{
    const __m128i kl = _mm_loadu_si128((const __m128i *)(rk + 16 * rounds));
    for (int j = 0; j < 8; j++) {
        const __m128i ks = _mm_aesenclast_si128(c[j], kl);
        const __m128i p = _mm_loadu_si128((const __m128i *)(in + 16 * j));
        _mm_storeu_si128((__m128i *)(out + 16 * j), _mm_xor_si128(p, ks));
    }
}

/* CTR over len bytes from the byte-reversed counter *ctr (advanced), 8 blocks at a time. */
GCM_AESNI static void aesni_ctr(const uint8_t *rk, unsigned rounds, __m128i *ctr,
                                const uint8_t *in, uint8_t *out, size_t len)
{
    const __m128i eight = _mm_setr_epi32(8, 0, 0, 0);
    __m128i c[8];
    while (len >= 128) {
        ctr_first8(rk, *ctr, c);
        for (unsigned r = 1; r < rounds; r++) {
            AES_ROUND8(r);
        }
        ctr_last8(rk, rounds, c, in, out);
        *ctr = _mm_add_epi32(*ctr, eight);
        in += 128;
        out += 128;
        len -= 128;
    }
    if (len > 0) {
        /* the tail: one batch of keystream through a buffer */
        uint8_t buf[128];
        memset(buf, 0, sizeof buf);
        memcpy(buf, in, len);
        ctr_first8(rk, *ctr, c);
        for (unsigned r = 1; r < rounds; r++) {
            AES_ROUND8(r);
        }
        ctr_last8(rk, rounds, c, buf, buf);
        memcpy(out, buf, len);
        *ctr = _mm_add_epi32(*ctr, _mm_setr_epi32((int)((len + 15) / 16), 0, 0, 0));
        wipe(buf, sizeof buf);
    }
}

/* The fused loop of seal: nchunks chunks of 8 blocks (nchunks >= 1). While chunk i is
 * encrypted, the GHASH of chunk i - 1 (already in out) is computed between the AES rounds,
 * so that the AES and the carry-less multiplier units work at the same time. */
GCM_AESNI static __m128i aesni_gcm_encrypt_fused(const uint8_t *rk, unsigned rounds,
                                                 const uint8_t *hkey, __m128i y, __m128i *ctr,
                                                 const uint8_t *in, uint8_t *out,
                                                 size_t nchunks)
{
    const __m128i eight = _mm_setr_epi32(8, 0, 0, 0);
    __m128i c[8];
    ctr_first8(rk, *ctr, c);
    for (unsigned r = 1; r < rounds; r++) {
        AES_ROUND8(r);
    }
    ctr_last8(rk, rounds, c, in, out);
    *ctr = _mm_add_epi32(*ctr, eight);
    for (size_t i = 1; i < nchunks; i++) {
        const uint8_t *prev = out + 128 * (i - 1);
        clmul_acc acc = clmul_zero();
        ctr_first8(rk, *ctr, c);
#define FUSED_STEP(j)                                                                          \
    do {                                                                                       \
        AES_ROUND8((j) + 1);                                                                   \
        __m128i x_ = bswap128(_mm_loadu_si128((const __m128i *)(prev + 16 * (j))));            \
        if ((j) == 0) {                                                                        \
            x_ = _mm_xor_si128(x_, y);                                                         \
        }                                                                                      \
        clmul_step(&acc, x_, _mm_loadu_si128((const __m128i *)(hkey + 16 * (7 - (j)))),        \
                   _mm_loadu_si128((const __m128i *)(hkey + 128 + 16 * (7 - (j)))));           \
    } while (0)
        FUSED_STEP(0);
        FUSED_STEP(1);
        FUSED_STEP(2);
        FUSED_STEP(3);
        FUSED_STEP(4);
        FUSED_STEP(5);
        FUSED_STEP(6);
        FUSED_STEP(7);
#undef FUSED_STEP
        y = clmul_finish(acc);
        for (unsigned r = 9; r < rounds; r++) {
            AES_ROUND8(r);
        }
        ctr_last8(rk, rounds, c, in + 128 * i, out + 128 * i);
        *ctr = _mm_add_epi32(*ctr, eight);
    }
    return ghash_clmul(hkey, y, out + 128 * (nchunks - 1), 8);
}

/* GHASH of a byte string zero-padded to whole blocks (§7.1 step 5's 0^v and 0^u). */
GCM_CLMUL static __m128i ghash_clmul_padded(const uint8_t *hkey, __m128i y, const uint8_t *p,
                                            size_t len)
{
    y = ghash_clmul(hkey, y, p, len / 16);
    const size_t rest = len % 16;
    if (rest) {
        uint8_t block[16] = {0};
        memcpy(block, p + len - rest, rest);
        y = ghash_clmul(hkey, y, block, 1);
        wipe(block, sizeof block);
    }
    return y;
}

GCM_CLMUL static __m128i lengths_block(size_t aad_len, size_t len)
{
    /* [len(A)]_64 || [len(C)]_64, in bits; reflected: lane 1 = len(A), lane 0 = len(C) */
    return _mm_set_epi64x((long long)((uint64_t)aad_len * 8), (long long)((uint64_t)len * 8));
}

/* The whole seal on AES-NI + PCLMULQDQ; returns the tag block (before truncation). */
GCM_AESNI static void gcm_seal_ni(const uint8_t *rk, unsigned rounds, const uint8_t *hkey,
                                  const uint8_t *j0, const uint8_t *aad, size_t aad_len,
                                  const uint8_t *in, size_t len, uint8_t *out)
{
    const __m128i j = _mm_loadu_si128((const __m128i *)j0);
    __m128i ctr = _mm_add_epi32(bswap128(j), _mm_setr_epi32(1, 0, 0, 0)); /* inc32(J0) */
    __m128i y = ghash_clmul_padded(hkey, _mm_setzero_si128(), aad, aad_len);
    const size_t nchunks = len / 128;
    if (nchunks > 0) {
        y = aesni_gcm_encrypt_fused(rk, rounds, hkey, y, &ctr, in, out, nchunks);
    }
    const size_t done = 128 * nchunks;
    aesni_ctr(rk, rounds, &ctr, in + done, out + done, len - done);
    y = ghash_clmul_padded(hkey, y, out + done, len - done);
    clmul_acc acc = clmul_zero();
    clmul_step(&acc, _mm_xor_si128(y, lengths_block(aad_len, len)),
               _mm_loadu_si128((const __m128i *)hkey),
               _mm_loadu_si128((const __m128i *)(hkey + 128)));
    y = clmul_finish(acc);
    const __m128i tag = _mm_xor_si128(bswap128(y), aesni_block(rk, rounds, j));
    _mm_storeu_si128((__m128i *)(out + len), tag);
}

/* The tag check of open on AES-NI + PCLMULQDQ: the full 16-byte tag into expected. */
GCM_AESNI static void gcm_tag_ni(const uint8_t *rk, unsigned rounds, const uint8_t *hkey,
                                 const uint8_t *j0, const uint8_t *aad, size_t aad_len,
                                 const uint8_t *in, size_t len, uint8_t expected[16])
{
    __m128i y = ghash_clmul_padded(hkey, _mm_setzero_si128(), aad, aad_len);
    y = ghash_clmul_padded(hkey, y, in, len);
    clmul_acc acc = clmul_zero();
    clmul_step(&acc, _mm_xor_si128(y, lengths_block(aad_len, len)),
               _mm_loadu_si128((const __m128i *)hkey),
               _mm_loadu_si128((const __m128i *)(hkey + 128)));
    const __m128i ek = aesni_block(rk, rounds, _mm_loadu_si128((const __m128i *)j0));
    _mm_storeu_si128((__m128i *)expected, _mm_xor_si128(bswap128(clmul_finish(acc)), ek));
}

GCM_AESNI static void gcm_decrypt_ni(const uint8_t *rk, unsigned rounds, const uint8_t *j0,
                                     const uint8_t *in, size_t len, uint8_t *out)
{
    __m128i ctr = _mm_add_epi32(bswap128(_mm_loadu_si128((const __m128i *)j0)),
                                _mm_setr_epi32(1, 0, 0, 0));
    aesni_ctr(rk, rounds, &ctr, in, out, len);
}
#endif /* NOCRYPTO_GCM_X86 */

/* ----- GHASH over any path --------------------------------------------------------------- */

static int use_clmul(void)
{
#ifdef NOCRYPTO_GCM_X86
    return (nocrypto_cpu_features() & NOCRYPTO_HW_PCLMUL) != 0;
#else
    return 0;
#endif
}

/* y (a block, in GCM order) continued over nblocks blocks. */
static void ghash_blocks(const uint8_t *hkey, uint8_t y[16], const uint8_t *data,
                         size_t nblocks)
{
#ifdef NOCRYPTO_GCM_X86
    if (use_clmul()) {
        const __m128i v = ghash_clmul(hkey, bswap128(_mm_loadu_si128((const __m128i *)y)),
                                      data, nblocks);
        _mm_storeu_si128((__m128i *)y, bswap128(v));
        return;
    }
#endif
    gf128 v = gf_load_block(y);
    ghash_portable(hkey, &v, data, nblocks);
    gf_store_block(y, v);
}

void nocrypto_ghash(const uint8_t *hkey, uint8_t *y, const uint8_t *data, size_t nblocks)
{
    ghash_blocks(hkey, y, data, nblocks);
}

static void ghash_padded(const uint8_t *hkey, uint8_t y[16], const uint8_t *p, size_t len)
{
    ghash_blocks(hkey, y, p, len / 16);
    const size_t rest = len % 16;
    if (rest) {
        uint8_t block[16] = {0};
        memcpy(block, p + len - rest, rest);
        ghash_blocks(hkey, y, block, 1);
        wipe(block, sizeof block);
    }
}

/* §7.1 steps 5-6 (and §7.2 steps 6-7): S = GHASH(A 0^v C 0^u [len(A)]64 [len(C)]64), then
 * T = MSB(GCTR(J0, S)) = E(K, J0) ^ S, all 16 bytes, on the portable/generic path. */
static void gcm_tag_generic(const uint8_t *schedule, const uint8_t *hkey, const uint8_t *j0,
                            const uint8_t *aad, size_t aad_len, const uint8_t *c, size_t len,
                            uint8_t tag[16])
{
    uint8_t s[16] = {0}, lengths[16], ek[16];
    ghash_padded(hkey, s, aad, aad_len);
    ghash_padded(hkey, s, c, len);
    store64_be(lengths, (uint64_t)aad_len * 8);
    store64_be(lengths + 8, (uint64_t)len * 8);
    ghash_blocks(hkey, s, lengths, 1);
    nocrypto_aes_ecb_encrypt(schedule, j0, ek, 1);
    for (int i = 0; i < 16; i++) {
        tag[i] = (uint8_t)(s[i] ^ ek[i]);
    }
    wipe(s, sizeof s);
    wipe(ek, sizeof ek);
}

/* §7.1 step 3: C = GCTR(inc32(J0), P), through the AES kernel (which follows its
 * schedule's own path). */
static void gctr_generic(const uint8_t *schedule, const uint8_t *j0, const uint8_t *in,
                         uint8_t *out, size_t len)
{
    uint8_t counter[16];
    memcpy(counter, j0, 16);
    /* inc32: the last 4 bytes as a big-endian counter, modulo 2^32 */
    uint32_t c32 = ((uint32_t)counter[12] << 24) | ((uint32_t)counter[13] << 16) |
                   ((uint32_t)counter[14] << 8) | counter[15];
    c32++;
    counter[12] = (uint8_t)(c32 >> 24);
    counter[13] = (uint8_t)(c32 >> 16);
    counter[14] = (uint8_t)(c32 >> 8);
    counter[15] = (uint8_t)c32;
    nocrypto_aes_ctr(schedule, counter, 4, in, out, len);
}

/* The fused path needs an AES-NI schedule and PCLMULQDQ allowed now. */
static const uint8_t *fused_keys(const uint8_t *schedule, unsigned *rounds)
{
#ifdef NOCRYPTO_GCM_X86
    if (use_clmul()) {
        return nocrypto_aes_ni_round_keys(schedule, rounds);
    }
#endif
    (void)schedule;
    (void)rounds;
    return NULL;
}

void nocrypto_aes_gcm_seal(const uint8_t *schedule, const uint8_t *hkey, const uint8_t *j0,
                           const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                           uint8_t *out)
{
    unsigned rounds = 0;
    const uint8_t *rk = fused_keys(schedule, &rounds);
#ifdef NOCRYPTO_GCM_X86
    if (rk != NULL) {
        gcm_seal_ni(rk, rounds, hkey, j0, aad, aad_len, in, len, out);
        return;
    }
#endif
    (void)rk;
    gctr_generic(schedule, j0, in, out, len);
    gcm_tag_generic(schedule, hkey, j0, aad, aad_len, out, len, out + len);
}

int nocrypto_aes_gcm_open(const uint8_t *schedule, const uint8_t *hkey, const uint8_t *j0,
                          const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                          const uint8_t *tag, size_t tag_len, uint8_t *out)
{
    uint8_t expected[16];
    unsigned rounds = 0;
    const uint8_t *rk = fused_keys(schedule, &rounds);
#ifdef NOCRYPTO_GCM_X86
    if (rk != NULL) {
        gcm_tag_ni(rk, rounds, hkey, j0, aad, aad_len, in, len, expected);
    } else
#endif
    {
        gcm_tag_generic(schedule, hkey, j0, aad, aad_len, in, len, expected);
    }
    /* §7.2 step 8: compare the first tag_len bytes, all of them, no early exit. */
    if (tag_len > 16) {
        tag_len = 16; /* public; the wrapper never passes more */
    }
    uint32_t acc = 0;
    for (size_t i = 0; i < tag_len; i++) {
        acc |= (uint32_t)(expected[i] ^ tag[i]);
    }
    wipe(expected, sizeof expected);
    const int ok = (int)(((acc - 1u) >> 31) & 1u) & (tag_len > 0);
    /* Whether the tag verified is the public outcome of open (declassified for `make ct`):
     * decrypt only an authentic ciphertext. */
    NOCRYPTO_DECLASSIFY(&ok, sizeof ok);
    if (ok) {
#ifdef NOCRYPTO_GCM_X86
        if (rk != NULL) {
            gcm_decrypt_ni(rk, rounds, j0, in, len, out);
            return ok;
        }
#endif
        gctr_generic(schedule, j0, in, out, len);
    }
    return ok;
}
