/*
 * Hash compression functions: MD5 (RFC 1321, section 3.4), SHA-1 (FIPS 180-4, 6.1.2),
 * SHA-256 (6.2.2) and SHA-512 (6.4.2). Twin: nocrypto/_ref/digest.py.
 *
 * Constant time: these functions are made of additions, rotations and bitwise logic on the
 * state and message words. The only branches are the loop over nblocks and the choice of
 * hardware path (both public); the only table (the round constants) is indexed by the
 * round number. No branch and no memory index depends on the state or on the message.
 *
 * SHA-1 and SHA-256 have a SHA-NI path (Intel SHA extensions: sha1rnds4, sha256rnds2 and
 * their message-schedule helpers), compiled with a per-function target attribute and
 * chosen at run time with nocrypto_cpu_features(). Both keep the chaining value in XMM
 * registers across all blocks of one call.
 */
#include "digest.h"

#include "cpu.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define NOCRYPTO_DIGEST_X86 1
#include <immintrin.h>
#endif

/* --- byte order and rotations ------------------------------------------------------------ */

static inline uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void store_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint64_t load_be64(const uint8_t *p)
{
    return (uint64_t)load_be32(p) << 32 | (uint64_t)load_be32(p + 4);
}

static inline void store_be64(uint8_t *p, uint64_t v)
{
    store_be32(p, (uint32_t)(v >> 32));
    store_be32(p + 4, (uint32_t)v);
}

/* n is a compile-time constant in 1..31 (63) at every use: no undefined shift by 32 (64). */
static inline uint32_t rotl32(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

static inline uint32_t rotr32(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static inline uint64_t rotr64(uint64_t x, unsigned n)
{
    return (x >> n) | (x << (64 - n));
}

/* Ch and Maj (FIPS 180-4, 4.1.1/4.1.2), in forms with one operation fewer:
 * Ch(x, y, z) = (x AND y) XOR (NOT x AND z) = z XOR (x AND (y XOR z)),
 * Maj(x, y, z) = (x AND y) XOR (x AND z) XOR (y AND z) = (x AND y) OR (z AND (x OR y)). */
#define CH(x, y, z)  ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

/* --- MD5 (RFC 1321) ------------------------------------------------------------------------ */

/* T[i] = floor(2^32 * |sin(i + 1)|) (RFC 1321, 3.4). */
static const uint32_t MD5_T[64] = {
    0xd76aa478u, 0xe8c7b756u, 0x242070dbu, 0xc1bdceeeu,
    0xf57c0fafu, 0x4787c62au, 0xa8304613u, 0xfd469501u,
    0x698098d8u, 0x8b44f7afu, 0xffff5bb1u, 0x895cd7beu,
    0x6b901122u, 0xfd987193u, 0xa679438eu, 0x49b40821u,
    0xf61e2562u, 0xc040b340u, 0x265e5a51u, 0xe9b6c7aau,
    0xd62f105du, 0x02441453u, 0xd8a1e681u, 0xe7d3fbc8u,
    0x21e1cde6u, 0xc33707d6u, 0xf4d50d87u, 0x455a14edu,
    0xa9e3e905u, 0xfcefa3f8u, 0x676f02d9u, 0x8d2a4c8au,
    0xfffa3942u, 0x8771f681u, 0x6d9d6122u, 0xfde5380cu,
    0xa4beea44u, 0x4bdecfa9u, 0xf6bb4b60u, 0xbebfbc70u,
    0x289b7ec6u, 0xeaa127fau, 0xd4ef3085u, 0x04881d05u,
    0xd9d4d039u, 0xe6db99e5u, 0x1fa27cf8u, 0xc4ac5665u,
    0xf4292244u, 0x432aff97u, 0xab9423a7u, 0xfc93a039u,
    0x655b59c3u, 0x8f0ccc92u, 0xffeff47du, 0x85845dd1u,
    0x6fa87e4fu, 0xfe2ce6e0u, 0xa3014314u, 0x4e0811a1u,
    0xf7537e82u, 0xbd3af235u, 0x2ad7d2bbu, 0xeb86d391u,
};

/* The auxiliary functions of RFC 1321, 3.4 (F and G in their one-operation-fewer forms). */
#define MD5_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MD5_G(x, y, z) ((y) ^ ((z) & ((x) ^ (y))))
#define MD5_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD5_I(x, y, z) ((y) ^ ((x) | ~(z)))

/* [abcd k s i]: a = b + ((a + f(b, c, d) + X[k] + T[i]) <<< s). */
#define MD5_STEP(f, a, b, c, d, k, s, i)               \
    do {                                               \
        (a) += f((b), (c), (d)) + x[(k)] + MD5_T[(i)]; \
        (a) = rotl32((a), (s)) + (b);                  \
    } while (0)

static void md5_portable(uint8_t *state, const uint8_t *blocks, size_t nblocks)
{
    uint32_t h0 = load_le32(state), h1 = load_le32(state + 4);
    uint32_t h2 = load_le32(state + 8), h3 = load_le32(state + 12);
    for (; nblocks > 0; nblocks--, blocks += 64) {
        uint32_t x[16];
        for (unsigned k = 0; k < 16; k++) {
            x[k] = load_le32(blocks + 4 * k);
        }
        uint32_t a = h0, b = h1, c = h2, d = h3;
        /* Round 1: X[i], shifts 7 12 17 22. */
        for (unsigned i = 0; i < 16; i += 4) {
            MD5_STEP(MD5_F, a, b, c, d, i, 7, i);
            MD5_STEP(MD5_F, d, a, b, c, i + 1, 12, i + 1);
            MD5_STEP(MD5_F, c, d, a, b, i + 2, 17, i + 2);
            MD5_STEP(MD5_F, b, c, d, a, i + 3, 22, i + 3);
        }
        /* Round 2: X[(5i + 1) mod 16], shifts 5 9 14 20. */
        for (unsigned i = 16; i < 32; i += 4) {
            MD5_STEP(MD5_G, a, b, c, d, (5 * i + 1) & 15, 5, i);
            MD5_STEP(MD5_G, d, a, b, c, (5 * i + 6) & 15, 9, i + 1);
            MD5_STEP(MD5_G, c, d, a, b, (5 * i + 11) & 15, 14, i + 2);
            MD5_STEP(MD5_G, b, c, d, a, (5 * i + 16) & 15, 20, i + 3);
        }
        /* Round 3: X[(3i + 5) mod 16], shifts 4 11 16 23. */
        for (unsigned i = 32; i < 48; i += 4) {
            MD5_STEP(MD5_H, a, b, c, d, (3 * i + 5) & 15, 4, i);
            MD5_STEP(MD5_H, d, a, b, c, (3 * i + 8) & 15, 11, i + 1);
            MD5_STEP(MD5_H, c, d, a, b, (3 * i + 11) & 15, 16, i + 2);
            MD5_STEP(MD5_H, b, c, d, a, (3 * i + 14) & 15, 23, i + 3);
        }
        /* Round 4: X[7i mod 16], shifts 6 10 15 21. */
        for (unsigned i = 48; i < 64; i += 4) {
            MD5_STEP(MD5_I, a, b, c, d, (7 * i) & 15, 6, i);
            MD5_STEP(MD5_I, d, a, b, c, (7 * i + 7) & 15, 10, i + 1);
            MD5_STEP(MD5_I, c, d, a, b, (7 * i + 14) & 15, 15, i + 2);
            MD5_STEP(MD5_I, b, c, d, a, (7 * i + 21) & 15, 21, i + 3);
        }
        h0 += a;
        h1 += b;
        h2 += c;
        h3 += d;
    }
    store_le32(state, h0);
    store_le32(state + 4, h1);
    store_le32(state + 8, h2);
    store_le32(state + 12, h3);
}

void nocrypto_md5_compress(uint8_t *state, const uint8_t *blocks, size_t nblocks)
{
    md5_portable(state, blocks, nblocks);
}

/* --- SHA-1 (FIPS 180-4, 6.1.2) --------------------------------------------------------------- */

/* W[t] of FIPS 180-4, 6.1.2 step 1, kept in a ring of 16 words: for t >= 16,
 * W[t] = ROTL1(W[t-3] XOR W[t-8] XOR W[t-14] XOR W[t-16]) overwrites W[t-16]. t is a
 * compile-time constant at every use, so the test t < 16 costs nothing. */
#define SHA1_W(t)                                                             \
    ((t) < 16 ? w[(t)]                                                        \
              : (w[(t) & 15] = rotl32(w[((t) - 3) & 15] ^ w[((t) - 8) & 15] ^ \
                                          w[((t) - 14) & 15] ^ w[(t) & 15],   \
                                      1)))

/* One round: T = ROTL5(a) + f(b, c, d) + e + K + W[t]; e = d; d = c; c = ROTL30(b); b = a;
 * a = T. The renaming is done by the caller rotating the argument names. */
#define SHA1_ROUND(f, k, a, b, c, d, e, t)                          \
    do {                                                            \
        (e) += rotl32((a), 5) + f((b), (c), (d)) + (k) + SHA1_W(t); \
        (b) = rotl32((b), 30);                                      \
    } while (0)
#define SHA1_CH(x, y, z)     CH(x, y, z)
#define SHA1_PARITY(x, y, z) ((x) ^ (y) ^ (z))
#define SHA1_MAJ(x, y, z)    MAJ(x, y, z)
/* Rounds t..t+4, where 0 <= t < 20 uses Ch and K0, 20 <= t < 40 Parity and K1,
 * 40 <= t < 60 Maj and K2, 60 <= t < 80 Parity and K3 (FIPS 180-4, 4.1.1 and 4.2.1). */
#define SHA1_FIVE(t)                                    \
    do {                                                \
        if ((t) < 20) {                                 \
            SHA1_FIVE_F(SHA1_CH, 0x5a827999u, (t));     \
        } else if ((t) < 40) {                          \
            SHA1_FIVE_F(SHA1_PARITY, 0x6ed9eba1u, (t)); \
        } else if ((t) < 60) {                          \
            SHA1_FIVE_F(SHA1_MAJ, 0x8f1bbcdcu, (t));    \
        } else {                                        \
            SHA1_FIVE_F(SHA1_PARITY, 0xca62c1d6u, (t)); \
        }                                               \
    } while (0)
#define SHA1_FIVE_F(f, k, t)                      \
    do {                                          \
        SHA1_ROUND(f, k, a, b, c, d, e, (t));     \
        SHA1_ROUND(f, k, e, a, b, c, d, (t) + 1); \
        SHA1_ROUND(f, k, d, e, a, b, c, (t) + 2); \
        SHA1_ROUND(f, k, c, d, e, a, b, (t) + 3); \
        SHA1_ROUND(f, k, b, c, d, e, a, (t) + 4); \
    } while (0)

static void sha1_portable(uint8_t *state, const uint8_t *blocks, size_t nblocks)
{
    uint32_t h0 = load_be32(state), h1 = load_be32(state + 4), h2 = load_be32(state + 8);
    uint32_t h3 = load_be32(state + 12), h4 = load_be32(state + 16);
    for (; nblocks > 0; nblocks--, blocks += 64) {
        /* 1. The message schedule (its first 16 words; the rest as the rounds go). */
        uint32_t w[16];
        for (unsigned t = 0; t < 16; t++) {
            w[t] = load_be32(blocks + 4 * t);
        }
        /* 2.-3. Initialise the working variables, then 80 rounds. */
        uint32_t a = h0, b = h1, c = h2, d = h3, e = h4;
        SHA1_FIVE(0);
        SHA1_FIVE(5);
        SHA1_FIVE(10);
        SHA1_FIVE(15);
        SHA1_FIVE(20);
        SHA1_FIVE(25);
        SHA1_FIVE(30);
        SHA1_FIVE(35);
        SHA1_FIVE(40);
        SHA1_FIVE(45);
        SHA1_FIVE(50);
        SHA1_FIVE(55);
        SHA1_FIVE(60);
        SHA1_FIVE(65);
        SHA1_FIVE(70);
        SHA1_FIVE(75);
        /* 4. The intermediate hash value. */
        h0 += a;
        h1 += b;
        h2 += c;
        h3 += d;
        h4 += e;
    }
    store_be32(state, h0);
    store_be32(state + 4, h1);
    store_be32(state + 8, h2);
    store_be32(state + 12, h3);
    store_be32(state + 16, h4);
}

#ifdef NOCRYPTO_DIGEST_X86

/* pshufb masks: reverse the 16 bytes of a register; byte-swap each 32-bit lane. */
static const uint8_t REVERSE_16[16] = {15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
static const uint8_t BSWAP_32X4[16] = {3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12};

/*
 * SHA-1 with SHA-NI. ABCD holds a, b, c, d in lanes 3..0; E holds e in lane 3 (as
 * sha1rnds4 and sha1nexte want them). Each group g of 4 rounds (0..19) works on the
 * schedule vector W[g] = W[4g..4g+3] (words in lanes 3..0), kept in a ring of 4 registers:
 * W[g+1] is finished (sha1msg2) in group g, W[g+2] gets its XOR with W[g] (group g), and
 * W[g+3] starts (sha1msg1) in group g, which is the recurrence of FIPS 180-4, 6.1.2 step 1
 * four words at a time.
 */
#define SHA1NI_GROUP(g, M0, M1, M2, M3, EC, EN)                              \
    do {                                                                     \
        if ((g) < 4) {                                                       \
            M0 = _mm_shuffle_epi8(                                           \
                _mm_loadu_si128((const __m128i *)(blocks + 16 * (g))), rev); \
        }                                                                    \
        if ((g) == 0) {                                                      \
            EC = _mm_add_epi32(EC, M0);                                      \
        } else {                                                             \
            EC = _mm_sha1nexte_epu32(EC, M0);                                \
        }                                                                    \
        EN = abcd;                                                           \
        if ((g) >= 3 && (g) <= 18) {                                         \
            M1 = _mm_sha1msg2_epu32(M1, M0);                                 \
        }                                                                    \
        abcd = _mm_sha1rnds4_epu32(abcd, EC, (g) / 5);                       \
        if ((g) >= 1 && (g) <= 16) {                                         \
            M3 = _mm_sha1msg1_epu32(M3, M0);                                 \
        }                                                                    \
        if ((g) >= 2 && (g) <= 17) {                                         \
            M2 = _mm_xor_si128(M2, M0);                                      \
        }                                                                    \
    } while (0)

__attribute__((target("sha,sse4.1"))) static void sha1_ni(uint8_t *state,
                                                          const uint8_t *blocks,
                                                          size_t nblocks)
{
    const __m128i rev = _mm_loadu_si128((const __m128i *)REVERSE_16);
    /* The big-endian bytes of a..d, reversed, are d..a as native words in lanes 0..3. */
    __m128i abcd = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)state), rev);
    __m128i e0 = _mm_insert_epi32(_mm_setzero_si128(), (int)load_be32(state + 16), 3);
    __m128i e1, w0, w1, w2, w3;
    for (; nblocks > 0; nblocks--, blocks += 64) {
        const __m128i abcd_save = abcd, e_save = e0;
        /* The ring: group g uses W[g mod 4]; the E registers alternate. */
        SHA1NI_GROUP(0, w0, w1, w2, w3, e0, e1);
        SHA1NI_GROUP(1, w1, w2, w3, w0, e1, e0);
        SHA1NI_GROUP(2, w2, w3, w0, w1, e0, e1);
        SHA1NI_GROUP(3, w3, w0, w1, w2, e1, e0);
        SHA1NI_GROUP(4, w0, w1, w2, w3, e0, e1);
        SHA1NI_GROUP(5, w1, w2, w3, w0, e1, e0);
        SHA1NI_GROUP(6, w2, w3, w0, w1, e0, e1);
        SHA1NI_GROUP(7, w3, w0, w1, w2, e1, e0);
        SHA1NI_GROUP(8, w0, w1, w2, w3, e0, e1);
        SHA1NI_GROUP(9, w1, w2, w3, w0, e1, e0);
        SHA1NI_GROUP(10, w2, w3, w0, w1, e0, e1);
        SHA1NI_GROUP(11, w3, w0, w1, w2, e1, e0);
        SHA1NI_GROUP(12, w0, w1, w2, w3, e0, e1);
        SHA1NI_GROUP(13, w1, w2, w3, w0, e1, e0);
        SHA1NI_GROUP(14, w2, w3, w0, w1, e0, e1);
        SHA1NI_GROUP(15, w3, w0, w1, w2, e1, e0);
        SHA1NI_GROUP(16, w0, w1, w2, w3, e0, e1);
        SHA1NI_GROUP(17, w1, w2, w3, w0, e1, e0);
        SHA1NI_GROUP(18, w2, w3, w0, w1, e0, e1);
        SHA1NI_GROUP(19, w3, w0, w1, w2, e1, e0);
        /* e0 = a after round 79; e = e_save + ROTL30(a), which is sha1nexte. */
        e0 = _mm_sha1nexte_epu32(e0, e_save);
        abcd = _mm_add_epi32(abcd, abcd_save);
    }
    _mm_storeu_si128((__m128i *)state, _mm_shuffle_epi8(abcd, rev));
    store_be32(state + 16, (uint32_t)_mm_extract_epi32(e0, 3));
}

#endif /* NOCRYPTO_DIGEST_X86 */

void nocrypto_sha1_compress(uint8_t *state, const uint8_t *blocks, size_t nblocks)
{
#ifdef NOCRYPTO_DIGEST_X86
    if (nocrypto_cpu_features() & NOCRYPTO_HW_SHA) {
        sha1_ni(state, blocks, nblocks);
        return;
    }
#endif
    sha1_portable(state, blocks, nblocks);
}

/* --- SHA-256 (FIPS 180-4, 6.2.2) ------------------------------------------------------------- */

/* K[t]: the first 32 bits of the fractional parts of the cube roots of the first 64
 * primes (FIPS 180-4, 4.2.2). */
static const uint32_t K256[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u,
    0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u,
    0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu,
    0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
    0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u,
    0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u,
    0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u,
    0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

#define BSIG0_256(x) (rotr32((x), 2) ^ rotr32((x), 13) ^ rotr32((x), 22))
#define BSIG1_256(x) (rotr32((x), 6) ^ rotr32((x), 11) ^ rotr32((x), 25))
#define SSIG0_256(x) (rotr32((x), 7) ^ rotr32((x), 18) ^ ((x) >> 3))
#define SSIG1_256(x) (rotr32((x), 17) ^ rotr32((x), 19) ^ ((x) >> 10))

/* W[t] of FIPS 180-4, 6.2.2 step 1, kept in a ring of 16 words: for t >= 16,
 * W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16] overwrites W[t-16]. t is a
 * compile-time constant at every use, so the test t < 16 costs nothing. */
#define SHA256_W(t)                                                                \
    ((t) < 16 ? w[(t)]                                                             \
              : (w[(t) & 15] += SSIG1_256(w[((t) - 2) & 15]) + w[((t) - 7) & 15] + \
                                SSIG0_256(w[((t) - 15) & 15])))

/* One round with the renaming h = g, g = f, ... left to the caller:
 * T1 = h + S1(e) + Ch(e, f, g) + K[t] + W[t]; T2 = S0(a) + Maj(a, b, c); d += T1;
 * h = T1 + T2. */
#define SHA256_ROUND(a, b, c, d, e, f, g, h, t)                                               \
    do {                                                                                      \
        const uint32_t t1 = (h) + BSIG1_256(e) + CH((e), (f), (g)) + K256[(t)] + SHA256_W(t); \
        const uint32_t t2 = BSIG0_256(a) + MAJ((a), (b), (c));                                \
        (d) += t1;                                                                            \
        (h) = t1 + t2;                                                                        \
    } while (0)
#define SHA256_EIGHT(t)                                \
    do {                                               \
        SHA256_ROUND(a, b, c, d, e, f, g, h, (t));     \
        SHA256_ROUND(h, a, b, c, d, e, f, g, (t) + 1); \
        SHA256_ROUND(g, h, a, b, c, d, e, f, (t) + 2); \
        SHA256_ROUND(f, g, h, a, b, c, d, e, (t) + 3); \
        SHA256_ROUND(e, f, g, h, a, b, c, d, (t) + 4); \
        SHA256_ROUND(d, e, f, g, h, a, b, c, (t) + 5); \
        SHA256_ROUND(c, d, e, f, g, h, a, b, (t) + 6); \
        SHA256_ROUND(b, c, d, e, f, g, h, a, (t) + 7); \
    } while (0)

static void sha256_portable(uint8_t *state, const uint8_t *blocks, size_t nblocks)
{
    uint32_t hv[8];
    for (unsigned i = 0; i < 8; i++) {
        hv[i] = load_be32(state + 4 * i);
    }
    for (; nblocks > 0; nblocks--, blocks += 64) {
        /* 1. The message schedule (its first 16 words; the rest as the rounds go). */
        uint32_t w[16];
        for (unsigned t = 0; t < 16; t++) {
            w[t] = load_be32(blocks + 4 * t);
        }
        /* 2.-3. Initialise the working variables, then 64 rounds. */
        uint32_t a = hv[0], b = hv[1], c = hv[2], d = hv[3];
        uint32_t e = hv[4], f = hv[5], g = hv[6], h = hv[7];
        SHA256_EIGHT(0);
        SHA256_EIGHT(8);
        SHA256_EIGHT(16);
        SHA256_EIGHT(24);
        SHA256_EIGHT(32);
        SHA256_EIGHT(40);
        SHA256_EIGHT(48);
        SHA256_EIGHT(56);
        /* 4. The intermediate hash value. */
        hv[0] += a;
        hv[1] += b;
        hv[2] += c;
        hv[3] += d;
        hv[4] += e;
        hv[5] += f;
        hv[6] += g;
        hv[7] += h;
    }
    for (unsigned i = 0; i < 8; i++) {
        store_be32(state + 4 * i, hv[i]);
    }
}

#ifdef NOCRYPTO_DIGEST_X86

/*
 * SHA-256 with SHA-NI. sha256rnds2 wants the state as two registers, ABEF = (a, b, e, f)
 * and CDGH = (c, d, g, h), each in lanes 3..0, and does two rounds with W[t] + K[t] in
 * lanes 0 and 1. Group g (0..15) does rounds 4g..4g+3 with the schedule vector W[g] from a
 * ring of 4 registers: in group g, W[g+1] is finished (add W[g-3..g] shifted by one word,
 * then sha256msg2) and W[g+3] is started (sha256msg1), the recurrence of FIPS 180-4,
 * 6.2.2 step 1 four words at a time.
 */
#define SHA256NI_GROUP(g, M0, M1, M2, M3)                                                   \
    do {                                                                                    \
        if ((g) < 4) {                                                                      \
            M0 = _mm_shuffle_epi8(                                                          \
                _mm_loadu_si128((const __m128i *)(blocks + 16 * (g))), bswap);              \
        }                                                                                   \
        __m128i wk = _mm_add_epi32(M0, _mm_loadu_si128((const __m128i *)(K256 + 4 * (g)))); \
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);                                       \
        if ((g) >= 3 && (g) <= 14) {                                                        \
            M1 = _mm_add_epi32(M1, _mm_alignr_epi8(M0, M3, 4));                             \
            M1 = _mm_sha256msg2_epu32(M1, M0);                                              \
        }                                                                                   \
        wk = _mm_shuffle_epi32(wk, 0x0E);                                                   \
        abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);                                       \
        if ((g) >= 1 && (g) <= 12) {                                                        \
            M3 = _mm_sha256msg1_epu32(M3, M0);                                              \
        }                                                                                   \
    } while (0)

__attribute__((target("sha,sse4.1"))) static void sha256_ni(uint8_t *state,
                                                            const uint8_t *blocks,
                                                            size_t nblocks)
{
    const __m128i bswap = _mm_loadu_si128((const __m128i *)BSWAP_32X4);
    /* (a, b, c, d) and (e, f, g, h) as native words in lanes 0..3. */
    const __m128i abcd_in = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)state), bswap);
    const __m128i efgh_in =
        _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(state + 16)), bswap);
    const __m128i badc = _mm_shuffle_epi32(abcd_in, 0xB1); /* lanes 0..3: b a d c */
    const __m128i hgfe = _mm_shuffle_epi32(efgh_in, 0x1B); /* lanes 0..3: h g f e */
    __m128i abef = _mm_alignr_epi8(badc, hgfe, 8);         /* lanes 0..3: f e b a */
    __m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xF0);      /* lanes 0..3: h g d c */
    __m128i w0, w1, w2, w3;
    for (; nblocks > 0; nblocks--, blocks += 64) {
        const __m128i abef_save = abef, cdgh_save = cdgh;
        SHA256NI_GROUP(0, w0, w1, w2, w3);
        SHA256NI_GROUP(1, w1, w2, w3, w0);
        SHA256NI_GROUP(2, w2, w3, w0, w1);
        SHA256NI_GROUP(3, w3, w0, w1, w2);
        SHA256NI_GROUP(4, w0, w1, w2, w3);
        SHA256NI_GROUP(5, w1, w2, w3, w0);
        SHA256NI_GROUP(6, w2, w3, w0, w1);
        SHA256NI_GROUP(7, w3, w0, w1, w2);
        SHA256NI_GROUP(8, w0, w1, w2, w3);
        SHA256NI_GROUP(9, w1, w2, w3, w0);
        SHA256NI_GROUP(10, w2, w3, w0, w1);
        SHA256NI_GROUP(11, w3, w0, w1, w2);
        SHA256NI_GROUP(12, w0, w1, w2, w3);
        SHA256NI_GROUP(13, w1, w2, w3, w0);
        SHA256NI_GROUP(14, w2, w3, w0, w1);
        SHA256NI_GROUP(15, w3, w0, w1, w2);
        abef = _mm_add_epi32(abef, abef_save);
        cdgh = _mm_add_epi32(cdgh, cdgh_save);
    }
    const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);     /* lanes 0..3: a b e f */
    const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);     /* lanes 0..3: g h c d */
    const __m128i abcd = _mm_blend_epi16(feba, dchg, 0xF0); /* lanes 0..3: a b c d */
    const __m128i efgh = _mm_alignr_epi8(dchg, feba, 8);    /* lanes 0..3: e f g h */
    _mm_storeu_si128((__m128i *)state, _mm_shuffle_epi8(abcd, bswap));
    _mm_storeu_si128((__m128i *)(state + 16), _mm_shuffle_epi8(efgh, bswap));
}

#endif /* NOCRYPTO_DIGEST_X86 */

void nocrypto_sha256_compress(uint8_t *state, const uint8_t *blocks, size_t nblocks)
{
#ifdef NOCRYPTO_DIGEST_X86
    if (nocrypto_cpu_features() & NOCRYPTO_HW_SHA) {
        sha256_ni(state, blocks, nblocks);
        return;
    }
#endif
    sha256_portable(state, blocks, nblocks);
}

/* --- SHA-512 (FIPS 180-4, 6.4.2) ------------------------------------------------------------- */

/* K[t]: the first 64 bits of the fractional parts of the cube roots of the first 80
 * primes (FIPS 180-4, 4.2.3). */
static const uint64_t K512[80] = {
    UINT64_C(0x428a2f98d728ae22), UINT64_C(0x7137449123ef65cd),
    UINT64_C(0xb5c0fbcfec4d3b2f), UINT64_C(0xe9b5dba58189dbbc),
    UINT64_C(0x3956c25bf348b538), UINT64_C(0x59f111f1b605d019),
    UINT64_C(0x923f82a4af194f9b), UINT64_C(0xab1c5ed5da6d8118),
    UINT64_C(0xd807aa98a3030242), UINT64_C(0x12835b0145706fbe),
    UINT64_C(0x243185be4ee4b28c), UINT64_C(0x550c7dc3d5ffb4e2),
    UINT64_C(0x72be5d74f27b896f), UINT64_C(0x80deb1fe3b1696b1),
    UINT64_C(0x9bdc06a725c71235), UINT64_C(0xc19bf174cf692694),
    UINT64_C(0xe49b69c19ef14ad2), UINT64_C(0xefbe4786384f25e3),
    UINT64_C(0x0fc19dc68b8cd5b5), UINT64_C(0x240ca1cc77ac9c65),
    UINT64_C(0x2de92c6f592b0275), UINT64_C(0x4a7484aa6ea6e483),
    UINT64_C(0x5cb0a9dcbd41fbd4), UINT64_C(0x76f988da831153b5),
    UINT64_C(0x983e5152ee66dfab), UINT64_C(0xa831c66d2db43210),
    UINT64_C(0xb00327c898fb213f), UINT64_C(0xbf597fc7beef0ee4),
    UINT64_C(0xc6e00bf33da88fc2), UINT64_C(0xd5a79147930aa725),
    UINT64_C(0x06ca6351e003826f), UINT64_C(0x142929670a0e6e70),
    UINT64_C(0x27b70a8546d22ffc), UINT64_C(0x2e1b21385c26c926),
    UINT64_C(0x4d2c6dfc5ac42aed), UINT64_C(0x53380d139d95b3df),
    UINT64_C(0x650a73548baf63de), UINT64_C(0x766a0abb3c77b2a8),
    UINT64_C(0x81c2c92e47edaee6), UINT64_C(0x92722c851482353b),
    UINT64_C(0xa2bfe8a14cf10364), UINT64_C(0xa81a664bbc423001),
    UINT64_C(0xc24b8b70d0f89791), UINT64_C(0xc76c51a30654be30),
    UINT64_C(0xd192e819d6ef5218), UINT64_C(0xd69906245565a910),
    UINT64_C(0xf40e35855771202a), UINT64_C(0x106aa07032bbd1b8),
    UINT64_C(0x19a4c116b8d2d0c8), UINT64_C(0x1e376c085141ab53),
    UINT64_C(0x2748774cdf8eeb99), UINT64_C(0x34b0bcb5e19b48a8),
    UINT64_C(0x391c0cb3c5c95a63), UINT64_C(0x4ed8aa4ae3418acb),
    UINT64_C(0x5b9cca4f7763e373), UINT64_C(0x682e6ff3d6b2b8a3),
    UINT64_C(0x748f82ee5defb2fc), UINT64_C(0x78a5636f43172f60),
    UINT64_C(0x84c87814a1f0ab72), UINT64_C(0x8cc702081a6439ec),
    UINT64_C(0x90befffa23631e28), UINT64_C(0xa4506cebde82bde9),
    UINT64_C(0xbef9a3f7b2c67915), UINT64_C(0xc67178f2e372532b),
    UINT64_C(0xca273eceea26619c), UINT64_C(0xd186b8c721c0c207),
    UINT64_C(0xeada7dd6cde0eb1e), UINT64_C(0xf57d4f7fee6ed178),
    UINT64_C(0x06f067aa72176fba), UINT64_C(0x0a637dc5a2c898a6),
    UINT64_C(0x113f9804bef90dae), UINT64_C(0x1b710b35131c471b),
    UINT64_C(0x28db77f523047d84), UINT64_C(0x32caab7b40c72493),
    UINT64_C(0x3c9ebe0a15c9bebc), UINT64_C(0x431d67c49c100d4c),
    UINT64_C(0x4cc5d4becb3e42b6), UINT64_C(0x597f299cfc657e2a),
    UINT64_C(0x5fcb6fab3ad6faec), UINT64_C(0x6c44198c4a475817),
};

#define BSIG0_512(x) (rotr64((x), 28) ^ rotr64((x), 34) ^ rotr64((x), 39))
#define BSIG1_512(x) (rotr64((x), 14) ^ rotr64((x), 18) ^ rotr64((x), 41))
#define SSIG0_512(x) (rotr64((x), 1) ^ rotr64((x), 8) ^ ((x) >> 7))
#define SSIG1_512(x) (rotr64((x), 19) ^ rotr64((x), 61) ^ ((x) >> 6))

/* W[t] of FIPS 180-4, 6.4.2 step 1, kept in a ring of 16 words: for t >= 16,
 * W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16] overwrites W[t-16]. t is a
 * compile-time constant at every use, so the test t < 16 costs nothing. */
#define SHA512_W(t)                                                                \
    ((t) < 16 ? w[(t)]                                                             \
              : (w[(t) & 15] += SSIG1_512(w[((t) - 2) & 15]) + w[((t) - 7) & 15] + \
                                SSIG0_512(w[((t) - 15) & 15])))

/* As SHA256_ROUND, with 64-bit words and the functions of FIPS 180-4, 4.1.3. */
#define SHA512_ROUND(a, b, c, d, e, f, g, h, t)                                               \
    do {                                                                                      \
        const uint64_t t1 = (h) + BSIG1_512(e) + CH((e), (f), (g)) + K512[(t)] + SHA512_W(t); \
        const uint64_t t2 = BSIG0_512(a) + MAJ((a), (b), (c));                                \
        (d) += t1;                                                                            \
        (h) = t1 + t2;                                                                        \
    } while (0)
#define SHA512_EIGHT(t)                                \
    do {                                               \
        SHA512_ROUND(a, b, c, d, e, f, g, h, (t));     \
        SHA512_ROUND(h, a, b, c, d, e, f, g, (t) + 1); \
        SHA512_ROUND(g, h, a, b, c, d, e, f, (t) + 2); \
        SHA512_ROUND(f, g, h, a, b, c, d, e, (t) + 3); \
        SHA512_ROUND(e, f, g, h, a, b, c, d, (t) + 4); \
        SHA512_ROUND(d, e, f, g, h, a, b, c, (t) + 5); \
        SHA512_ROUND(c, d, e, f, g, h, a, b, (t) + 6); \
        SHA512_ROUND(b, c, d, e, f, g, h, a, (t) + 7); \
    } while (0)

static void sha512_portable(uint8_t *state, const uint8_t *blocks, size_t nblocks)
{
    uint64_t hv[8];
    for (unsigned i = 0; i < 8; i++) {
        hv[i] = load_be64(state + 8 * i);
    }
    for (; nblocks > 0; nblocks--, blocks += 128) {
        /* 1. The message schedule (its first 16 words; the rest as the rounds go). */
        uint64_t w[16];
        for (unsigned t = 0; t < 16; t++) {
            w[t] = load_be64(blocks + 8 * t);
        }
        /* 2.-3. Initialise the working variables, then 80 rounds. */
        uint64_t a = hv[0], b = hv[1], c = hv[2], d = hv[3];
        uint64_t e = hv[4], f = hv[5], g = hv[6], h = hv[7];
        SHA512_EIGHT(0);
        SHA512_EIGHT(8);
        SHA512_EIGHT(16);
        SHA512_EIGHT(24);
        SHA512_EIGHT(32);
        SHA512_EIGHT(40);
        SHA512_EIGHT(48);
        SHA512_EIGHT(56);
        SHA512_EIGHT(64);
        SHA512_EIGHT(72);
        /* 4. The intermediate hash value. */
        hv[0] += a;
        hv[1] += b;
        hv[2] += c;
        hv[3] += d;
        hv[4] += e;
        hv[5] += f;
        hv[6] += g;
        hv[7] += h;
    }
    for (unsigned i = 0; i < 8; i++) {
        store_be64(state + 8 * i, hv[i]);
    }
}

void nocrypto_sha512_compress(uint8_t *state, const uint8_t *blocks, size_t nblocks)
{
    sha512_portable(state, blocks, nblocks);
}

/* --- finalisation and HMAC in one call ------------------------------------------------------ */

/* Everything the padding and HMAC need to know of a hash (RFC 1321, 3.1-3.3; FIPS 180-4,
 * 5.1 and 5.3): its compression function, the width of its chaining value, block and
 * digest, its initial value serialised as the state is, and its message-length field
 * (64 bits little-endian for MD5, 64 or 128 bits big-endian for SHA). */
struct hash_desc {
    void (*compress)(uint8_t *, const uint8_t *, size_t);
    size_t state_len, block_len, digest_len, length_len;
    int little_endian;
    const uint8_t *initial;
};

/* RFC 1321, 3.3: "word A: 01 23 45 67 ..." (low-order bytes first), as the MD5 state. */
static const uint8_t IV_MD5[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                   0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10};
/* FIPS 180-4, 5.3.1 - 5.3.5: H(0) as big-endian words. */
static const uint8_t IV_SHA1[20] = {0x67, 0x45, 0x23, 0x01, 0xef, 0xcd, 0xab, 0x89, 0x98, 0xba,
                                    0xdc, 0xfe, 0x10, 0x32, 0x54, 0x76, 0xc3, 0xd2, 0xe1, 0xf0};
static const uint8_t IV_SHA224[32] = {
    0xc1, 0x05, 0x9e, 0xd8, 0x36, 0x7c, 0xd5, 0x07, 0x30, 0x70, 0xdd, 0x17, 0xf7, 0x0e, 0x59, 0x39,
    0xff, 0xc0, 0x0b, 0x31, 0x68, 0x58, 0x15, 0x11, 0x64, 0xf9, 0x8f, 0xa7, 0xbe, 0xfa, 0x4f, 0xa4};
static const uint8_t IV_SHA256[32] = {
    0x6a, 0x09, 0xe6, 0x67, 0xbb, 0x67, 0xae, 0x85, 0x3c, 0x6e, 0xf3, 0x72, 0xa5, 0x4f, 0xf5, 0x3a,
    0x51, 0x0e, 0x52, 0x7f, 0x9b, 0x05, 0x68, 0x8c, 0x1f, 0x83, 0xd9, 0xab, 0x5b, 0xe0, 0xcd, 0x19};
static const uint8_t IV_SHA384[64] = {
    0xcb, 0xbb, 0x9d, 0x5d, 0xc1, 0x05, 0x9e, 0xd8, 0x62, 0x9a, 0x29, 0x2a, 0x36, 0x7c, 0xd5, 0x07,
    0x91, 0x59, 0x01, 0x5a, 0x30, 0x70, 0xdd, 0x17, 0x15, 0x2f, 0xec, 0xd8, 0xf7, 0x0e, 0x59, 0x39,
    0x67, 0x33, 0x26, 0x67, 0xff, 0xc0, 0x0b, 0x31, 0x8e, 0xb4, 0x4a, 0x87, 0x68, 0x58, 0x15, 0x11,
    0xdb, 0x0c, 0x2e, 0x0d, 0x64, 0xf9, 0x8f, 0xa7, 0x47, 0xb5, 0x48, 0x1d, 0xbe, 0xfa, 0x4f, 0xa4};
static const uint8_t IV_SHA512[64] = {
    0x6a, 0x09, 0xe6, 0x67, 0xf3, 0xbc, 0xc9, 0x08, 0xbb, 0x67, 0xae, 0x85, 0x84, 0xca, 0xa7, 0x3b,
    0x3c, 0x6e, 0xf3, 0x72, 0xfe, 0x94, 0xf8, 0x2b, 0xa5, 0x4f, 0xf5, 0x3a, 0x5f, 0x1d, 0x36, 0xf1,
    0x51, 0x0e, 0x52, 0x7f, 0xad, 0xe6, 0x82, 0xd1, 0x9b, 0x05, 0x68, 0x8c, 0x2b, 0x3e, 0x6c, 0x1f,
    0x1f, 0x83, 0xd9, 0xab, 0xfb, 0x41, 0xbd, 0x6b, 0x5b, 0xe0, 0xcd, 0x19, 0x13, 0x7e, 0x21, 0x79};

/* Indexed by the NOCRYPTO_HASH_* ids of digest.h. */
static const struct hash_desc HASHES[6] = {
    {nocrypto_md5_compress, 16, 64, 16, 8, 1, IV_MD5},
    {nocrypto_sha1_compress, 20, 64, 20, 8, 0, IV_SHA1},
    {nocrypto_sha256_compress, 32, 64, 28, 8, 0, IV_SHA224},
    {nocrypto_sha256_compress, 32, 64, 32, 8, 0, IV_SHA256},
    {nocrypto_sha512_compress, 64, 128, 48, 16, 0, IV_SHA384},
    {nocrypto_sha512_compress, 64, 128, 64, 16, 0, IV_SHA512},
};

#define MAX_STATE  64
#define MAX_BLOCK  128
#define MAX_DIGEST 64

/* Clear a secret temporary; the empty asm keeps the compiler from dropping the memset. */
static void wipe(void *p, size_t n)
{
    memset(p, 0, n);
    __asm__ volatile("" : : "r"(p) : "memory");
}

/* The hash of id, or NULL for an unknown id or a digest_len that is not its digest size. */
static const struct hash_desc *hash_for(uint32_t id, size_t digest_len)
{
    if (id > NOCRYPTO_HASH_SHA512 || HASHES[id].digest_len != digest_len) {
        return NULL;
    }
    return &HASHES[id];
}

/* out[digest_len] = the digest from the chaining value state (not modified) after the
 * message's whole blocks, its last tail_len < block_len bytes and its length in bits
 * bits_hi:bits_lo (the low-order length_len bytes of it are used). RFC 1321, 3.1-3.2 and
 * FIPS 180-4, 5.1.1-5.1.2: the bit "1", zeros up to length_len bytes short of a block
 * boundary, the length; one block, or two if the tail leaves no room for the length. */
static void finish(const struct hash_desc *h, uint8_t *out, const uint8_t *state,
                   const uint8_t *tail, size_t tail_len, uint64_t bits_hi, uint64_t bits_lo)
{
    uint8_t st[MAX_STATE], block[2 * MAX_BLOCK];
    size_t total = tail_len + 1 + h->length_len <= h->block_len ? h->block_len : 2 * h->block_len;
    memcpy(st, state, h->state_len);
    memcpy(block, tail, tail_len);
    block[tail_len] = 0x80;
    memset(block + tail_len + 1, 0, total - tail_len - 1);
    uint8_t *field = block + total - h->length_len;
    if (h->little_endian) {
        for (size_t i = 0; i < 8; i++) {
            field[i] = (uint8_t)(bits_lo >> (8 * i));
        }
    } else {
        if (h->length_len == 16) {
            store_be64(field, bits_hi);
            field += 8;
        }
        store_be64(field, bits_lo);
    }
    h->compress(st, block, total / h->block_len);
    memcpy(out, st, h->digest_len);
    wipe(st, sizeof st);
    wipe(block, sizeof block);
}

/* out[digest_len] = H(data): the initial value, every whole block, then finish. */
static void hash_oneshot(const struct hash_desc *h, uint8_t *out, const uint8_t *data,
                         size_t len)
{
    uint8_t st[MAX_STATE];
    size_t whole = len / h->block_len;
    memcpy(st, h->initial, h->state_len);
    h->compress(st, data, whole);
    finish(h, out, st, data + whole * h->block_len, len - whole * h->block_len,
           (uint64_t)(len >> 61), (uint64_t)len << 3);
    wipe(st, sizeof st);
}

int nocrypto_hash_finish(uint32_t id, uint8_t *out, size_t out_len, const uint8_t *state,
                         const uint8_t *tail, size_t tail_len, uint64_t bits_hi,
                         uint64_t bits_lo)
{
    const struct hash_desc *h = hash_for(id, out_len);
    if (h == NULL || tail_len >= h->block_len) {
        return -1;
    }
    finish(h, out, state, tail, tail_len, bits_hi, bits_lo);
    return 0;
}

int nocrypto_hash_message(uint32_t id, uint8_t *out, size_t out_len, const uint8_t *data,
                          size_t len)
{
    const struct hash_desc *h = hash_for(id, out_len);
    if (h == NULL) {
        return -1;
    }
    hash_oneshot(h, out, data, len);
    return 0;
}

/* RFC 2104, section 2 (FIPS 198-1, 4): H(K0 XOR opad, H(K0 XOR ipad, text)), K0 the key
 * padded with zeros to B bytes, or its hash so padded if it is longer than B. The inner hash
 * runs over B + msg_len bytes, the outer over B + L. Only the lengths steer. */
int nocrypto_hmac(uint32_t id, uint8_t *out, size_t out_len, const uint8_t *key,
                  size_t key_len, const uint8_t *msg, size_t msg_len)
{
    const struct hash_desc *h = hash_for(id, out_len);
    if (h == NULL) {
        return -1;
    }
    const size_t B = h->block_len;
    uint8_t k0[MAX_BLOCK], pad[MAX_BLOCK], st[MAX_STATE], inner[MAX_DIGEST];
    /* Step (1): K0. */
    memset(k0, 0, sizeof k0);
    if (key_len > B) {
        hash_oneshot(h, k0, key, key_len);
    } else {
        memcpy(k0, key, key_len);
    }
    /* Steps (2)-(4): H((K0 XOR ipad) || text), the key block first, then the text. */
    for (size_t i = 0; i < B; i++) {
        pad[i] = k0[i] ^ 0x36;
    }
    memcpy(st, h->initial, h->state_len);
    h->compress(st, pad, 1);
    size_t whole = msg_len / B;
    h->compress(st, msg, whole);
    uint64_t inner_len = (uint64_t)msg_len + B; /* below 2^64: msg_len is a memory size */
    finish(h, inner, st, msg + whole * B, msg_len - whole * B, inner_len >> 61, inner_len << 3);
    /* Steps (5)-(7): H((K0 XOR opad) || inner). */
    for (size_t i = 0; i < B; i++) {
        pad[i] = k0[i] ^ 0x5c;
    }
    memcpy(st, h->initial, h->state_len);
    h->compress(st, pad, 1);
    finish(h, out, st, inner, h->digest_len, 0, ((uint64_t)B + h->digest_len) << 3);
    wipe(k0, sizeof k0);
    wipe(pad, sizeof pad);
    wipe(st, sizeof st);
    wipe(inner, sizeof inner);
    return 0;
}
