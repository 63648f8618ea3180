/*
 * AES (FIPS 197) and the modes ECB, CBC and CTR (SP 800-38A). Twin: nocrypto/_ref/aes.py.
 *
 * Two implementations, chosen when the key is expanded and recorded in the schedule:
 *
 * - AES-NI (NOCRYPTO_HW_AESNI): the round function in hardware; ECB, CBC decryption and
 *   CTR run 8 independent blocks at a time to fill the AES pipeline; CBC encryption is
 *   serial by nature. The key expansion computes SubWord with AESENCLAST (no tables).
 *
 * - Portable constant-time C: a bitsliced AES over 64-bit words, 4 blocks at a time. The
 *   S-box is a Boolean circuit (Boyar and Peralta's 113-gate circuit for the forward
 *   S-box, from "A new combinational logic minimization technique with applications to
 *   cryptology", SEA 2010); the inverse S-box reuses its inversion with the inverse affine
 *   map around it. No table is indexed by secret data, and no branch depends on it.
 *
 * Schedule layout (NOCRYPTO_AES_SCHEDULE_BYTES = 1024 bytes, all of it written):
 *
 *   [0..3]     implementation tag (little-endian uint32: IMPL_NI or IMPL_CT)
 *   [4..7]     number of rounds Nr (10, 12 or 14)
 *   [16..255]  AES-NI: encryption round keys, (Nr + 1) x 16 bytes (FIPS 197 w[] in order)
 *   [256..495] AES-NI: decryption round keys for the Equivalent Inverse Cipher (5.3.5)
 *   [16..975]  portable: bitsliced round keys, (Nr + 1) x 8 uint64 planes
 *
 * "Secrets do not steer" (DESIGN.md, principle 8): the only branches and loop bounds below
 * depend on the implementation tag, the round count, lengths and counter values, which are
 * all public.
 */
#include "aes.h"

#include <string.h>

#include "cpu.h"

#if defined(__x86_64__) || defined(__i386__)
#define NOCRYPTO_HAVE_X86 1
#include <immintrin.h>
#else
#define NOCRYPTO_HAVE_X86 0
#endif

#define IMPL_NI 0x494e5345u /* "ESNI" */
#define IMPL_CT 0x54435345u /* "ESCT" */

#define OFF_KEYS   16
#define OFF_DKEYS  256
#define MAX_ROUNDS 14

/* --- small helpers ------------------------------------------------------------------------ */

static inline uint32_t load32le(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline void store32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline uint64_t load64le(const uint8_t *p)
{
    return (uint64_t)load32le(p) | ((uint64_t)load32le(p + 4) << 32);
}

static inline void store64le(uint8_t *p, uint64_t v)
{
    store32le(p, (uint32_t)v);
    store32le(p + 4, (uint32_t)(v >> 32));
}

static inline uint64_t load64be(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

static inline void store64be(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

static inline uint64_t rotr64(uint64_t x, unsigned n)
{
    return (x >> n) | (x << (64u - n));
}

/* Overwrite a temporary that held secrets; the empty asm with a memory clobber keeps the
 * compiler from dropping the memset as a dead store. */
static void burn(void *p, size_t n)
{
    memset(p, 0, n);
    __asm__ volatile("" : : "r"(p) : "memory");
}

static unsigned rounds_of(const uint8_t *schedule)
{
    /* Only 10, 12 and 14 are ever written; anything else (a forged schedule) is read as
     * 10 so that no access leaves the 1024 bytes. */
    const uint32_t r = load32le(schedule + 4);
    return (r == 12u || r == 14u) ? (unsigned)r : 10u;
}

/* --- CTR counter arithmetic (public values) ------------------------------------------------ */

/* The counter block as a 128-bit big-endian integer (hi, lo), and the mask of its last
 * counter_bytes bytes, which are the only ones that change. */
typedef struct {
    uint64_t hi, lo;
    uint64_t mhi, mlo;
} ctr128;

static void ctr_load(ctr128 *c, const uint8_t *counter, unsigned counter_bytes)
{
    c->hi = load64be(counter);
    c->lo = load64be(counter + 8);
    const unsigned bits = 8u * counter_bytes;
    c->mlo = bits >= 64u ? ~(uint64_t)0 : (((uint64_t)1 << bits) - 1u);
    c->mhi = bits >= 128u ? ~(uint64_t)0 : bits <= 64u ? 0 : (((uint64_t)1 << (bits - 64u)) - 1u);
}

/* counter += n modulo 2^(8 * counter_bytes), leaving the other bytes alone. */
static void ctr_add(ctr128 *c, uint64_t n)
{
    const uint64_t lo = c->lo + n;
    const uint64_t hi = c->hi + (lo < c->lo ? 1u : 0u);
    c->lo = (c->lo & ~c->mlo) | (lo & c->mlo);
    c->hi = (c->hi & ~c->mhi) | (hi & c->mhi);
}

static void ctr_store(uint8_t *block, const ctr128 *c)
{
    store64be(block, c->hi);
    store64be(block + 8, c->lo);
}

/* How many blocks, from the current counter on, keep the carry inside the low 32 bits
 * (or inside the counter, if it is narrower): the AES-NI path adds in 32-bit lanes. */
static uint64_t ctr_blocks_before_carry(const ctr128 *c, unsigned counter_bytes)
{
    const unsigned bits = counter_bytes >= 4u ? 32u : 8u * counter_bytes;
    const uint64_t low = c->lo & ((((uint64_t)1) << bits) - 1u);
    return (((uint64_t)1) << bits) - low;
}

/* --- FIPS 197 5.2 KeyExpansion, word by word ---------------------------------------------- */

/* A word holds 4 bytes a0..a3 as the little-endian uint32 a0 | a1 << 8 | ... . */
typedef uint32_t (*subword_fn)(uint32_t);

static unsigned expand_words(uint32_t *w, const uint8_t *key, size_t key_len, subword_fn sub)
{
    const unsigned nk = (unsigned)(key_len / 4u);
    const unsigned nr = nk + 6u;
    const unsigned total = 4u * (nr + 1u);
    uint32_t rcon = 0x01; /* Rcon[i] = x^(i-1) in GF(2^8), in the first byte */
    for (unsigned i = 0; i < nk; i++) {
        w[i] = load32le(key + 4u * i);
    }
    for (unsigned i = nk; i < total; i++) {
        uint32_t temp = w[i - 1u];
        if (i % nk == 0) {
            /* RotWord [a0,a1,a2,a3] -> [a1,a2,a3,a0], then SubWord, then Rcon. */
            temp = sub((temp >> 8) | (temp << 24)) ^ rcon;
            rcon = (rcon << 1) ^ (0x11bu & (0u - (rcon >> 7)));
        } else if (nk > 6u && i % nk == 4u) {
            temp = sub(temp);
        }
        w[i] = w[i - nk] ^ temp;
    }
    return nr;
}

/* ========================================================================================= */
/* Portable constant-time C: bitsliced AES, 4 blocks in 8 uint64 bit planes                  */
/* ========================================================================================= */

/*
 * Layout. Plane j holds bit j (bit 0 = least significant) of every state byte of 4 blocks.
 * Byte (row r, column c) of block b (FIPS 197 3.4: input byte 4c + r) sits at bit
 * 16 r + 4 c + b. So each row is a 16-bit lane: ShiftRows rotates inside the lanes, and
 * MixColumns, which combines the rows of a column, rotates the whole word by 16 bits.
 */

/* Swap the bits of a selected by mask << shift with the bits of b selected by mask. */
#define SWAPMOVE(a, b, mask, shift)                                                          \
    do {                                                                                     \
        const uint64_t t_ = (((a) >> (shift)) ^ (b)) & (mask);                               \
        (b) ^= t_;                                                                           \
        (a) ^= t_ << (shift);                                                                \
    } while (0)

/* Exchange bit positions p and p + shift of x for the positions p selected by mask. */
#define DELTASWAP(x, mask, shift)                                                            \
    do {                                                                                     \
        const uint64_t t_ = ((x) ^ ((x) >> (shift))) & (mask);                               \
        (x) ^= t_ ^ (t_ << (shift));                                                         \
    } while (0)

/*
 * 64 input bytes (4 blocks) to the 8 planes. Word w = b + 4 h is the little-endian load of
 * bytes 8h..8h+7 of block b; bit 8 m + j of it is bit j of byte k = 8 h + m = 4 c + r. A
 * bit's address is then (word: b0 b1 h | position: j0 j1 j2 r0 r1 c0). Three SWAPMOVEs
 * exchange the word bits with j0 j1 j2, which leaves (word: j | position: b0 b1 c1 r0 r1
 * c0); three DELTASWAPs then rotate the last four position bits to c0 c1 r0 r1.
 */
static void ortho_in(uint64_t q[8], const uint8_t in[64])
{
    for (unsigned b = 0; b < 4; b++) {
        q[b] = load64le(in + 16u * b);
        q[b + 4u] = load64le(in + 16u * b + 8u);
    }
    for (unsigned i = 0; i < 8; i += 2) {
        SWAPMOVE(q[i], q[i + 1u], 0x5555555555555555u, 1);
    }
    for (unsigned i = 0; i < 8; i += 4) {
        SWAPMOVE(q[i], q[i + 2u], 0x3333333333333333u, 2);
        SWAPMOVE(q[i + 1u], q[i + 3u], 0x3333333333333333u, 2);
    }
    for (unsigned i = 0; i < 4; i++) {
        SWAPMOVE(q[i], q[i + 4u], 0x0f0f0f0f0f0f0f0fu, 4);
    }
    for (unsigned i = 0; i < 8; i++) {
        DELTASWAP(q[i], 0x00000000ffff0000u, 16); /* position bits 4 <-> 5 */
        DELTASWAP(q[i], 0x0000ff000000ff00u, 8);  /* 3 <-> 4 */
        DELTASWAP(q[i], 0x00f000f000f000f0u, 4);  /* 2 <-> 3 */
    }
}

/* The inverse of ortho_in (every step is an involution; run them in reverse order). */
static void ortho_out(uint8_t out[64], uint64_t q[8])
{
    for (unsigned i = 0; i < 8; i++) {
        DELTASWAP(q[i], 0x00f000f000f000f0u, 4);
        DELTASWAP(q[i], 0x0000ff000000ff00u, 8);
        DELTASWAP(q[i], 0x00000000ffff0000u, 16);
    }
    for (unsigned i = 0; i < 4; i++) {
        SWAPMOVE(q[i], q[i + 4u], 0x0f0f0f0f0f0f0f0fu, 4);
    }
    for (unsigned i = 0; i < 8; i += 4) {
        SWAPMOVE(q[i], q[i + 2u], 0x3333333333333333u, 2);
        SWAPMOVE(q[i + 1u], q[i + 3u], 0x3333333333333333u, 2);
    }
    for (unsigned i = 0; i < 8; i += 2) {
        SWAPMOVE(q[i], q[i + 1u], 0x5555555555555555u, 1);
    }
    for (unsigned b = 0; b < 4; b++) {
        store64le(out + 16u * b, q[b]);
        store64le(out + 16u * b + 8u, q[b + 4u]);
    }
}

/*
 * The S-box without its constant: x -> L(x^-1), where L is the linear part of the affine
 * map of FIPS 197 5.1.1 and 0^-1 = 0. This is the Boyar-Peralta circuit (a linear top
 * layer to a tower-field representation, a nonlinear middle computing the inversion, a
 * linear bottom layer back to the AES basis fused with L) with its four XNORs written as
 * XORs: the constant 0x63 is added by the callers. U0 is the most significant bit
 * (plane 7), and S0 the most significant output bit.
 */
static void sbox_core(uint64_t q[8])
{
    const uint64_t U0 = q[7], U1 = q[6], U2 = q[5], U3 = q[4];
    const uint64_t U4 = q[3], U5 = q[2], U6 = q[1], U7 = q[0];

    /* top linear layer */
    const uint64_t T1 = U0 ^ U3, T2 = U0 ^ U5, T3 = U0 ^ U6, T4 = U3 ^ U5, T5 = U4 ^ U6;
    const uint64_t T6 = T1 ^ T5, T7 = U1 ^ U2, T8 = U7 ^ T6, T9 = U7 ^ T7, T10 = T6 ^ T7;
    const uint64_t T11 = U1 ^ U5, T12 = U2 ^ U5, T13 = T3 ^ T4, T14 = T6 ^ T11;
    const uint64_t T15 = T5 ^ T11, T16 = T5 ^ T12, T17 = T9 ^ T16, T18 = U3 ^ U7;
    const uint64_t T19 = T7 ^ T18, T20 = T1 ^ T19, T21 = U6 ^ U7, T22 = T7 ^ T21;
    const uint64_t T23 = T2 ^ T22, T24 = T2 ^ T10, T25 = T20 ^ T17, T26 = T3 ^ T16;
    const uint64_t T27 = T1 ^ T12, D = U7;

    /* nonlinear middle: inversion in GF(((2^2)^2)^2) */
    const uint64_t M1 = T13 & T6, M2 = T23 & T8, M3 = T14 ^ M1, M4 = T19 & D, M5 = M4 ^ M1;
    const uint64_t M6 = T3 & T16, M7 = T22 & T9, M8 = T26 ^ M6, M9 = T20 & T17;
    const uint64_t M10 = M9 ^ M6, M11 = T1 & T15, M12 = T4 & T27, M13 = M12 ^ M11;
    const uint64_t M14 = T2 & T10, M15 = M14 ^ M11, M16 = M3 ^ M2, M17 = M5 ^ T24;
    const uint64_t M18 = M8 ^ M7, M19 = M10 ^ M15, M20 = M16 ^ M13, M21 = M17 ^ M15;
    const uint64_t M22 = M18 ^ M13, M23 = M19 ^ T25, M24 = M22 ^ M23, M25 = M22 & M20;
    const uint64_t M26 = M21 ^ M25, M27 = M20 ^ M21, M28 = M23 ^ M25, M29 = M28 & M27;
    const uint64_t M30 = M26 & M24, M31 = M20 & M23, M32 = M27 & M31, M33 = M27 ^ M25;
    const uint64_t M34 = M21 & M22, M35 = M24 & M34, M36 = M24 ^ M25, M37 = M21 ^ M29;
    const uint64_t M38 = M32 ^ M33, M39 = M23 ^ M30, M40 = M35 ^ M36, M41 = M38 ^ M40;
    const uint64_t M42 = M37 ^ M39, M43 = M37 ^ M38, M44 = M39 ^ M40, M45 = M42 ^ M41;
    const uint64_t M46 = M44 & T6, M47 = M40 & T8, M48 = M39 & D, M49 = M43 & T16;
    const uint64_t M50 = M38 & T9, M51 = M37 & T17, M52 = M42 & T15, M53 = M45 & T27;
    const uint64_t M54 = M41 & T10, M55 = M44 & T13, M56 = M40 & T23, M57 = M39 & T19;
    const uint64_t M58 = M43 & T3, M59 = M38 & T22, M60 = M37 & T20, M61 = M42 & T1;
    const uint64_t M62 = M45 & T4, M63 = M41 & T2;

    /* bottom linear layer */
    const uint64_t L0 = M61 ^ M62, L1 = M50 ^ M56, L2 = M46 ^ M48, L3 = M47 ^ M55;
    const uint64_t L4 = M54 ^ M58, L5 = M49 ^ M61, L6 = M62 ^ L5, L7 = M46 ^ L3;
    const uint64_t L8 = M51 ^ M59, L9 = M52 ^ M53, L10 = M53 ^ L4, L11 = M60 ^ L2;
    const uint64_t L12 = M48 ^ M51, L13 = M50 ^ L0, L14 = M52 ^ M61, L15 = M55 ^ L1;
    const uint64_t L16 = M56 ^ L0, L17 = M57 ^ L1, L18 = M58 ^ L8, L19 = M63 ^ L4;
    const uint64_t L20 = L0 ^ L1, L21 = L1 ^ L7, L22 = L3 ^ L12, L23 = L18 ^ L2;
    const uint64_t L24 = L15 ^ L9, L25 = L6 ^ L10, L26 = L7 ^ L9, L27 = L8 ^ L10;
    const uint64_t L28 = L11 ^ L14, L29 = L11 ^ L17;

    q[7] = L6 ^ L24;  /* S0 */
    q[6] = L16 ^ L26; /* S1 (an XNOR in the S-box) */
    q[5] = L19 ^ L28; /* S2 (XNOR) */
    q[4] = L6 ^ L21;  /* S3 */
    q[3] = L20 ^ L22; /* S4 */
    q[2] = L25 ^ L29; /* S5 */
    q[1] = L13 ^ L27; /* S6 (XNOR) */
    q[0] = L6 ^ L23;  /* S7 (XNOR) */
}

/* SubBytes (FIPS 197 5.1.1): S(x) = L(x^-1) + 0x63; 0x63 has bits 0, 1, 5 and 6. */
static void sub_bytes(uint64_t q[8])
{
    sbox_core(q);
    q[0] = ~q[0];
    q[1] = ~q[1];
    q[5] = ~q[5];
    q[6] = ~q[6];
}

/* L^-1, the linear part of the inverse affine map (FIPS 197 5.3.2):
 * bit i of the result is x[i+2] ^ x[i+5] ^ x[i+7] (indices mod 8). */
static void linear_inverse(uint64_t q[8])
{
    uint64_t x[8];
    for (unsigned i = 0; i < 8; i++) {
        x[i] = q[i];
    }
    for (unsigned i = 0; i < 8; i++) {
        q[i] = x[(i + 2u) & 7u] ^ x[(i + 5u) & 7u] ^ x[(i + 7u) & 7u];
    }
}

/* InvSubBytes (FIPS 197 5.3.2): S^-1(y) = (L^-1(y) + 0x05)^-1, where 0x05 = L^-1(0x63).
 * The inversion is the core circuit followed by L^-1 (core(z) = L(z^-1)). */
static void inv_sub_bytes(uint64_t q[8])
{
    linear_inverse(q);
    q[0] = ~q[0];
    q[2] = ~q[2];
    sbox_core(q);
    linear_inverse(q);
}

/* ShiftRows (5.1.2): row r of the new state, column c, is row r, column c + r of the old:
 * each 16-bit lane r rotates right by 4 r bits. */
static inline uint64_t shift_rows1(uint64_t x)
{
    return (x & 0x000000000000ffffu) | ((x >> 4) & 0x000000000fff0000u) |
           ((x << 12) & 0x00000000f0000000u) | ((x >> 8) & 0x000000ff00000000u) |
           ((x << 8) & 0x0000ff0000000000u) | ((x >> 12) & 0x000f000000000000u) |
           ((x << 4) & 0xfff0000000000000u);
}

/* InvShiftRows (5.3.1): lane r rotates left by 4 r bits. */
static inline uint64_t inv_shift_rows1(uint64_t x)
{
    return (x & 0x000000000000ffffu) | ((x << 4) & 0x00000000fff00000u) |
           ((x >> 12) & 0x00000000000f0000u) | ((x >> 8) & 0x000000ff00000000u) |
           ((x << 8) & 0x0000ff0000000000u) | ((x >> 4) & 0x0fff000000000000u) |
           ((x << 12) & 0xf000000000000000u);
}

/* Multiplication by x (xtime, 4.2.1) of 8 planes: a shift of the bit index, reduced by
 * m(x) = x^8 + x^4 + x^3 + x + 1. */
static inline void xtime8(uint64_t d[8], const uint64_t s[8])
{
    const uint64_t hi = s[7];
    d[7] = s[6];
    d[6] = s[5];
    d[5] = s[4];
    d[4] = s[3] ^ hi;
    d[3] = s[2] ^ hi;
    d[2] = s[1];
    d[1] = s[0] ^ hi;
    d[0] = hi;
}

/* MixColumns (5.1.3): out[r] = 2 a[r] + 3 a[r+1] + a[r+2] + a[r+3]
 *                            = 2 t[r] + a[r+1] + t[r+2]  with t[r] = a[r] + a[r+1].
 * Rotating a plane right by 16 bits brings row r + 1 into lane r. */
static void mix_columns(uint64_t q[8])
{
    uint64_t u[8], t[8], xt[8];
    for (unsigned i = 0; i < 8; i++) {
        u[i] = rotr64(q[i], 16);
        t[i] = q[i] ^ u[i];
    }
    xtime8(xt, t);
    for (unsigned i = 0; i < 8; i++) {
        q[i] = xt[i] ^ u[i] ^ rotr64(t[i], 32);
    }
}

/* InvMixColumns (5.3.3). Its matrix (0e 0b 0d 09) is the MixColumns matrix times
 * (05 00 04 00) (circulant), so first a[r] += 4 (a[r] + a[r+2]), then MixColumns. */
static void inv_mix_columns(uint64_t q[8])
{
    uint64_t v[8], x2[8], x4[8];
    for (unsigned i = 0; i < 8; i++) {
        v[i] = q[i] ^ rotr64(q[i], 32);
    }
    xtime8(x2, v);
    xtime8(x4, x2);
    for (unsigned i = 0; i < 8; i++) {
        q[i] ^= x4[i];
    }
    mix_columns(q);
}

static inline void add_round_key(uint64_t q[8], const uint8_t *rk)
{
    for (unsigned i = 0; i < 8; i++) {
        uint64_t k;
        memcpy(&k, rk + 8u * i, 8);
        q[i] ^= k;
    }
}

/* Cipher (5.1) on 4 blocks. */
static void ct_encrypt4(const uint8_t *schedule, const uint8_t in[64], uint8_t out[64])
{
    const unsigned nr = rounds_of(schedule);
    const uint8_t *rk = schedule + OFF_KEYS;
    uint64_t q[8];
    ortho_in(q, in);
    add_round_key(q, rk);
    for (unsigned round = 1; round <= nr; round++) {
        sub_bytes(q);
        for (unsigned i = 0; i < 8; i++) {
            q[i] = shift_rows1(q[i]);
        }
        if (round != nr) {
            mix_columns(q);
        }
        add_round_key(q, rk + 64u * round);
    }
    ortho_out(out, q);
    burn(q, sizeof q);
}

/* InvCipher (5.3) on 4 blocks. */
static void ct_decrypt4(const uint8_t *schedule, const uint8_t in[64], uint8_t out[64])
{
    const unsigned nr = rounds_of(schedule);
    const uint8_t *rk = schedule + OFF_KEYS;
    uint64_t q[8];
    ortho_in(q, in);
    add_round_key(q, rk + 64u * nr);
    for (unsigned round = nr; round-- > 0;) {
        for (unsigned i = 0; i < 8; i++) {
            q[i] = inv_shift_rows1(q[i]);
        }
        inv_sub_bytes(q);
        add_round_key(q, rk + 64u * round);
        if (round != 0) {
            inv_mix_columns(q);
        }
    }
    ortho_out(out, q);
    burn(q, sizeof q);
}

/* SubWord (5.2) with the same circuit: the 4 bytes go to bit planes 0..3 of a uint64. */
static uint32_t ct_subword(uint32_t w)
{
    uint64_t q[8];
    for (unsigned j = 0; j < 8; j++) {
        q[j] = 0;
        for (unsigned t = 0; t < 4; t++) {
            q[j] |= (uint64_t)((w >> (8u * t + j)) & 1u) << t;
        }
    }
    sub_bytes(q);
    uint32_t r = 0;
    for (unsigned j = 0; j < 8; j++) {
        for (unsigned t = 0; t < 4; t++) {
            r |= (uint32_t)((q[j] >> t) & 1u) << (8u * t + j);
        }
    }
    burn(q, sizeof q);
    return r;
}

static void ct_expand_key(uint8_t *schedule, const uint8_t *key, size_t key_len)
{
    uint32_t w[4 * (MAX_ROUNDS + 1)];
    uint8_t blocks[64];
    uint64_t q[8];
    const unsigned nr = expand_words(w, key, key_len, ct_subword);
    store32le(schedule, IMPL_CT);
    store32le(schedule + 4, nr);
    for (unsigned round = 0; round <= nr; round++) {
        /* The round key of all 4 blocks, in bitsliced form. */
        for (unsigned b = 0; b < 4; b++) {
            for (unsigned i = 0; i < 4; i++) {
                store32le(blocks + 16u * b + 4u * i, w[4u * round + i]);
            }
        }
        ortho_in(q, blocks);
        for (unsigned i = 0; i < 8; i++) {
            memcpy(schedule + OFF_KEYS + 64u * round + 8u * i, &q[i], 8);
        }
    }
    burn(w, sizeof w);
    burn(blocks, sizeof blocks);
    burn(q, sizeof q);
}

static inline void xor_bytes(uint8_t *out, const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = (uint8_t)(a[i] ^ b[i]);
    }
}

static void ct_ecb(const uint8_t *schedule, const uint8_t *in, uint8_t *out, size_t nblocks,
                   int decrypt)
{
    uint8_t buf[64];
    while (nblocks > 0) {
        const size_t n = nblocks < 4 ? nblocks : 4;
        memset(buf, 0, sizeof buf);
        memcpy(buf, in, 16u * n);
        if (decrypt) {
            ct_decrypt4(schedule, buf, buf);
        } else {
            ct_encrypt4(schedule, buf, buf);
        }
        memcpy(out, buf, 16u * n);
        in += 16u * n;
        out += 16u * n;
        nblocks -= n;
    }
    burn(buf, sizeof buf);
}

static void ct_cbc_encrypt(const uint8_t *schedule, uint8_t *iv, const uint8_t *in,
                           uint8_t *out, size_t nblocks)
{
    /* CBC encryption is serial: one block per 4-block call. */
    uint8_t buf[64];
    memset(buf, 0, sizeof buf);
    memcpy(buf, iv, 16);
    for (size_t i = 0; i < nblocks; i++) {
        xor_bytes(buf, buf, in + 16u * i, 16);
        ct_encrypt4(schedule, buf, buf);
        memcpy(out + 16u * i, buf, 16);
    }
    memcpy(iv, buf, 16);
    burn(buf, sizeof buf);
}

static void ct_cbc_decrypt(const uint8_t *schedule, uint8_t *iv, const uint8_t *in,
                           uint8_t *out, size_t nblocks)
{
    uint8_t buf[64], prev[80];
    memcpy(prev, iv, 16);
    while (nblocks > 0) {
        const size_t n = nblocks < 4 ? nblocks : 4;
        memset(buf, 0, sizeof buf);
        memcpy(buf, in, 16u * n);
        memcpy(prev + 16, in, 16u * n); /* keep the ciphertext: out may be in */
        ct_decrypt4(schedule, buf, buf);
        xor_bytes(out, buf, prev, 16u * n);
        memcpy(prev, prev + 16u * n, 16);
        in += 16u * n;
        out += 16u * n;
        nblocks -= n;
    }
    memcpy(iv, prev, 16);
    burn(buf, sizeof buf);
}

static void ct_ctr(const uint8_t *schedule, uint8_t *counter, unsigned counter_bytes,
                   const uint8_t *in, uint8_t *out, size_t len)
{
    uint8_t ks[64];
    ctr128 c;
    ctr_load(&c, counter, counter_bytes);
    while (len > 0) {
        const size_t n = len < 64 ? len : 64;
        const size_t used = (n + 15u) / 16u; /* blocks of this group that take a counter */
        for (unsigned b = 0; b < 4; b++) {
            ctr_store(ks + 16u * b, &c);
            if (b < used) {
                ctr_add(&c, 1);
            }
        }
        ct_encrypt4(schedule, ks, ks);
        xor_bytes(out, in, ks, n);
        in += n;
        out += n;
        len -= n;
    }
    ctr_store(counter, &c);
    burn(ks, sizeof ks);
}

/* ========================================================================================= */
/* AES-NI                                                                                    */
/* ========================================================================================= */

#if NOCRYPTO_HAVE_X86

#define NI __attribute__((target("aes,sse4.1")))

NI static uint32_t ni_subword(uint32_t w)
{
    /* With the word in all four columns, ShiftRows is the identity, so AESENCLAST with a
     * zero round key is SubBytes on each copy of the word. */
    const __m128i x = _mm_set1_epi32((int)w);
    return (uint32_t)_mm_cvtsi128_si32(_mm_aesenclast_si128(x, _mm_setzero_si128()));
}

NI static void ni_expand_key(uint8_t *schedule, const uint8_t *key, size_t key_len)
{
    uint32_t w[4 * (MAX_ROUNDS + 1)];
    const unsigned nr = expand_words(w, key, key_len, ni_subword);
    store32le(schedule, IMPL_NI);
    store32le(schedule + 4, nr);
    for (unsigned i = 0; i < 4u * (nr + 1u); i++) {
        store32le(schedule + OFF_KEYS + 4u * i, w[i]);
    }
    /* Equivalent Inverse Cipher (5.3.5): the round keys in reverse order, those of the
     * middle rounds passed through InvMixColumns. */
    const uint8_t *ek = schedule + OFF_KEYS;
    uint8_t *dk = schedule + OFF_DKEYS;
    _mm_storeu_si128((__m128i *)dk, _mm_loadu_si128((const __m128i *)(ek + 16u * nr)));
    for (unsigned i = 1; i < nr; i++) {
        const __m128i k = _mm_loadu_si128((const __m128i *)(ek + 16u * (nr - i)));
        _mm_storeu_si128((__m128i *)(dk + 16u * i), _mm_aesimc_si128(k));
    }
    _mm_storeu_si128((__m128i *)(dk + 16u * nr), _mm_loadu_si128((const __m128i *)ek));
    burn(w, sizeof w);
}

/* Round key i of a schedule's key array (unaligned: the schedule is any byte buffer). */
#define RK(p, i) _mm_loadu_si128((const __m128i *)((p) + 16u * (i)))
#define LOADU(p) _mm_loadu_si128((const __m128i *)(p))
#define STOREU(p, v) _mm_storeu_si128((__m128i *)(p), (v))

NI static inline __m128i ni_enc1(const uint8_t *rk, unsigned nr, __m128i x)
{
    x = _mm_xor_si128(x, RK(rk, 0));
    for (unsigned r = 1; r < nr; r++) {
        x = _mm_aesenc_si128(x, RK(rk, r));
    }
    return _mm_aesenclast_si128(x, RK(rk, nr));
}

NI static inline __m128i ni_dec1(const uint8_t *rk, unsigned nr, __m128i x)
{
    x = _mm_xor_si128(x, RK(rk, 0));
    for (unsigned r = 1; r < nr; r++) {
        x = _mm_aesdec_si128(x, RK(rk, r));
    }
    return _mm_aesdeclast_si128(x, RK(rk, nr));
}

/*
 * 8 independent blocks, held in the caller's variables x0..x7, through the rounds
 * together: AESENC has a latency of several cycles but a throughput of one or two per
 * cycle, so interleaving 8 blocks keeps the units busy. (Named variables rather than an
 * array, so that the compiler keeps them in registers.)
 */
#define NI_EACH8(op, k)                                                                      \
    do {                                                                                     \
        const __m128i k_ = (k);                                                              \
        x0 = op(x0, k_);                                                                     \
        x1 = op(x1, k_);                                                                     \
        x2 = op(x2, k_);                                                                     \
        x3 = op(x3, k_);                                                                     \
        x4 = op(x4, k_);                                                                     \
        x5 = op(x5, k_);                                                                     \
        x6 = op(x6, k_);                                                                     \
        x7 = op(x7, k_);                                                                     \
    } while (0)

#define NI_CIPHER8(rk, nr, round, last)                                                      \
    do {                                                                                     \
        NI_EACH8(_mm_xor_si128, RK(rk, 0));                                                  \
        for (unsigned r_ = 1; r_ < (nr); r_++) {                                             \
            NI_EACH8(round, RK(rk, r_));                                                     \
        }                                                                                    \
        NI_EACH8(last, RK(rk, nr));                                                          \
    } while (0)

#define NI_LOAD8(p)                                                                          \
    do {                                                                                     \
        x0 = LOADU((p) + 0);                                                                 \
        x1 = LOADU((p) + 16);                                                                \
        x2 = LOADU((p) + 32);                                                                \
        x3 = LOADU((p) + 48);                                                                \
        x4 = LOADU((p) + 64);                                                                \
        x5 = LOADU((p) + 80);                                                                \
        x6 = LOADU((p) + 96);                                                                \
        x7 = LOADU((p) + 112);                                                               \
    } while (0)

#define NI_STORE8(p)                                                                         \
    do {                                                                                     \
        STOREU((p) + 0, x0);                                                                 \
        STOREU((p) + 16, x1);                                                                \
        STOREU((p) + 32, x2);                                                                \
        STOREU((p) + 48, x3);                                                                \
        STOREU((p) + 64, x4);                                                                \
        STOREU((p) + 80, x5);                                                                \
        STOREU((p) + 96, x6);                                                                \
        STOREU((p) + 112, x7);                                                               \
    } while (0)

NI static void ni_ecb_encrypt(const uint8_t *schedule, const uint8_t *in, uint8_t *out,
                              size_t nblocks)
{
    const uint8_t *rk = schedule + OFF_KEYS;
    const unsigned nr = rounds_of(schedule);
    __m128i x0, x1, x2, x3, x4, x5, x6, x7;
    for (; nblocks >= 8; nblocks -= 8, in += 128, out += 128) {
        NI_LOAD8(in);
        NI_CIPHER8(rk, nr, _mm_aesenc_si128, _mm_aesenclast_si128);
        NI_STORE8(out);
    }
    for (; nblocks > 0; nblocks--, in += 16, out += 16) {
        STOREU(out, ni_enc1(rk, nr, LOADU(in)));
    }
}

NI static void ni_ecb_decrypt(const uint8_t *schedule, const uint8_t *in, uint8_t *out,
                              size_t nblocks)
{
    const uint8_t *rk = schedule + OFF_DKEYS;
    const unsigned nr = rounds_of(schedule);
    __m128i x0, x1, x2, x3, x4, x5, x6, x7;
    for (; nblocks >= 8; nblocks -= 8, in += 128, out += 128) {
        NI_LOAD8(in);
        NI_CIPHER8(rk, nr, _mm_aesdec_si128, _mm_aesdeclast_si128);
        NI_STORE8(out);
    }
    for (; nblocks > 0; nblocks--, in += 16, out += 16) {
        STOREU(out, ni_dec1(rk, nr, LOADU(in)));
    }
}

NI static void ni_cbc_encrypt(const uint8_t *schedule, uint8_t *iv, const uint8_t *in,
                              uint8_t *out, size_t nblocks)
{
    /* Serial: each block needs the previous ciphertext. The round keys are loaded once. */
    const uint8_t *rk = schedule + OFF_KEYS;
    const unsigned nr = rounds_of(schedule);
    __m128i k[MAX_ROUNDS + 1];
    for (unsigned r = 0; r <= nr; r++) {
        k[r] = RK(rk, r);
    }
    /* The critical path is the chain of rounds from block to block. AESENCLAST ends by
     * XORing its key, so the next block's input, C_i + P_i+1 + k[0], comes out of a second
     * AESENCLAST with the key k[nr] + k[0] + P_i+1, in parallel with C_i itself: no XOR is
     * left on the chain between two blocks. */
    __m128i c = LOADU(iv);
    if (nblocks > 0) {
        __m128i x = _mm_xor_si128(c, _mm_xor_si128(LOADU(in), k[0]));
        const __m128i k0last = _mm_xor_si128(k[0], k[nr]);
        for (size_t i = 0; i < nblocks; i++) {
            for (unsigned r = 1; r < nr; r++) {
                x = _mm_aesenc_si128(x, k[r]);
            }
            c = _mm_aesenclast_si128(x, k[nr]);
            STOREU(out + 16u * i, c);
            if (i + 1u < nblocks) {
                x = _mm_aesenclast_si128(x, _mm_xor_si128(k0last, LOADU(in + 16u * (i + 1u))));
            }
        }
    }
    STOREU(iv, c);
    burn(k, sizeof k);
}

NI static void ni_cbc_decrypt(const uint8_t *schedule, uint8_t *iv, const uint8_t *in,
                              uint8_t *out, size_t nblocks)
{
    const uint8_t *rk = schedule + OFF_DKEYS;
    const unsigned nr = rounds_of(schedule);
    __m128i x0, x1, x2, x3, x4, x5, x6, x7;
    __m128i prev = LOADU(iv);
    for (; nblocks >= 8; nblocks -= 8, in += 128, out += 128) {
        /* Every ciphertext block is read before any output is written: out may be in. */
        NI_LOAD8(in);
        const __m128i c7 = x7;
        NI_CIPHER8(rk, nr, _mm_aesdec_si128, _mm_aesdeclast_si128);
        x0 = _mm_xor_si128(x0, prev);
        x1 = _mm_xor_si128(x1, LOADU(in + 0));
        x2 = _mm_xor_si128(x2, LOADU(in + 16));
        x3 = _mm_xor_si128(x3, LOADU(in + 32));
        x4 = _mm_xor_si128(x4, LOADU(in + 48));
        x5 = _mm_xor_si128(x5, LOADU(in + 64));
        x6 = _mm_xor_si128(x6, LOADU(in + 80));
        x7 = _mm_xor_si128(x7, LOADU(in + 96));
        NI_STORE8(out);
        prev = c7;
    }
    for (; nblocks > 0; nblocks--, in += 16, out += 16) {
        const __m128i c = LOADU(in);
        STOREU(out, _mm_xor_si128(ni_dec1(rk, nr, c), prev));
        prev = c;
    }
    STOREU(iv, prev);
}

NI static void ni_ctr(const uint8_t *schedule, uint8_t *counter, unsigned counter_bytes,
                      const uint8_t *in, uint8_t *out, size_t len)
{
    const uint8_t *rk = schedule + OFF_KEYS;
    const unsigned nr = rounds_of(schedule);
    /* Reverses the 16 bytes: the last 4 bytes of the counter block become the first 32-bit
     * lane as a little-endian number, to which _mm_add_epi32 adds. */
    const __m128i bswap = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m128i one = _mm_set_epi32(0, 0, 0, 1);
    __m128i x0, x1, x2, x3, x4, x5, x6, x7;
    ctr128 c;
    uint8_t block[16];
    ctr_load(&c, counter, counter_bytes);
    size_t nblocks = len / 16u;
    while (nblocks > 0) {
        /* A run of blocks whose counters differ only in the low 32 bits, with no carry out
         * of them (or out of the counter, if it is narrower): plain lane additions. */
        const uint64_t room = ctr_blocks_before_carry(&c, counter_bytes);
        const size_t run = (uint64_t)nblocks < room ? nblocks : (size_t)room;
        ctr_store(block, &c);
        __m128i le = _mm_shuffle_epi8(LOADU(block), bswap);
        size_t n = run;
        for (; n >= 8; n -= 8, in += 128, out += 128) {
            x0 = _mm_shuffle_epi8(le, bswap);
            x1 = _mm_shuffle_epi8(_mm_add_epi32(le, _mm_set_epi32(0, 0, 0, 1)), bswap);
            x2 = _mm_shuffle_epi8(_mm_add_epi32(le, _mm_set_epi32(0, 0, 0, 2)), bswap);
            x3 = _mm_shuffle_epi8(_mm_add_epi32(le, _mm_set_epi32(0, 0, 0, 3)), bswap);
            x4 = _mm_shuffle_epi8(_mm_add_epi32(le, _mm_set_epi32(0, 0, 0, 4)), bswap);
            x5 = _mm_shuffle_epi8(_mm_add_epi32(le, _mm_set_epi32(0, 0, 0, 5)), bswap);
            x6 = _mm_shuffle_epi8(_mm_add_epi32(le, _mm_set_epi32(0, 0, 0, 6)), bswap);
            x7 = _mm_shuffle_epi8(_mm_add_epi32(le, _mm_set_epi32(0, 0, 0, 7)), bswap);
            le = _mm_add_epi32(le, _mm_set_epi32(0, 0, 0, 8));
            NI_CIPHER8(rk, nr, _mm_aesenc_si128, _mm_aesenclast_si128);
            x0 = _mm_xor_si128(x0, LOADU(in + 0));
            x1 = _mm_xor_si128(x1, LOADU(in + 16));
            x2 = _mm_xor_si128(x2, LOADU(in + 32));
            x3 = _mm_xor_si128(x3, LOADU(in + 48));
            x4 = _mm_xor_si128(x4, LOADU(in + 64));
            x5 = _mm_xor_si128(x5, LOADU(in + 80));
            x6 = _mm_xor_si128(x6, LOADU(in + 96));
            x7 = _mm_xor_si128(x7, LOADU(in + 112));
            NI_STORE8(out);
        }
        for (; n > 0; n--, in += 16, out += 16) {
            const __m128i k = ni_enc1(rk, nr, _mm_shuffle_epi8(le, bswap));
            le = _mm_add_epi32(le, one);
            STOREU(out, _mm_xor_si128(LOADU(in), k));
        }
        ctr_add(&c, (uint64_t)run);
        nblocks -= run;
    }
    const size_t tail = len % 16u;
    if (tail != 0) {
        ctr_store(block, &c);
        STOREU(block, ni_enc1(rk, nr, LOADU(block)));
        xor_bytes(out, in, block, tail);
        ctr_add(&c, 1);
    }
    ctr_store(counter, &c);
    burn(block, sizeof block);
}

#endif /* NOCRYPTO_HAVE_X86 */

/* ========================================================================================= */
/* The interface of aes.h: dispatch on the schedule's tag                                     */
/* ========================================================================================= */

static inline int is_ni(const uint8_t *schedule)
{
#if NOCRYPTO_HAVE_X86
    return load32le(schedule) == IMPL_NI;
#else
    (void)schedule;
    return 0;
#endif
}

int nocrypto_aes_expand_key(uint8_t *schedule, const uint8_t *key, size_t key_len)
{
    if (key_len != 16 && key_len != 24 && key_len != 32) {
        return -1;
    }
    memset(schedule, 0, NOCRYPTO_AES_SCHEDULE_BYTES);
#if NOCRYPTO_HAVE_X86
    if (nocrypto_cpu_features() & NOCRYPTO_HW_AESNI) {
        ni_expand_key(schedule, key, key_len);
        return 0;
    }
#endif
    ct_expand_key(schedule, key, key_len);
    return 0;
}

void nocrypto_aes_ecb_encrypt(const uint8_t *schedule, const uint8_t *in, uint8_t *out,
                              size_t nblocks)
{
#if NOCRYPTO_HAVE_X86
    if (is_ni(schedule)) {
        ni_ecb_encrypt(schedule, in, out, nblocks);
        return;
    }
#endif
    ct_ecb(schedule, in, out, nblocks, 0);
}

void nocrypto_aes_ecb_decrypt(const uint8_t *schedule, const uint8_t *in, uint8_t *out,
                              size_t nblocks)
{
#if NOCRYPTO_HAVE_X86
    if (is_ni(schedule)) {
        ni_ecb_decrypt(schedule, in, out, nblocks);
        return;
    }
#endif
    ct_ecb(schedule, in, out, nblocks, 1);
}

void nocrypto_aes_cbc_encrypt(const uint8_t *schedule, uint8_t *iv, const uint8_t *in,
                              uint8_t *out, size_t nblocks)
{
#if NOCRYPTO_HAVE_X86
    if (is_ni(schedule)) {
        ni_cbc_encrypt(schedule, iv, in, out, nblocks);
        return;
    }
#endif
    ct_cbc_encrypt(schedule, iv, in, out, nblocks);
}

void nocrypto_aes_cbc_decrypt(const uint8_t *schedule, uint8_t *iv, const uint8_t *in,
                              uint8_t *out, size_t nblocks)
{
#if NOCRYPTO_HAVE_X86
    if (is_ni(schedule)) {
        ni_cbc_decrypt(schedule, iv, in, out, nblocks);
        return;
    }
#endif
    ct_cbc_decrypt(schedule, iv, in, out, nblocks);
}

void nocrypto_aes_ctr(const uint8_t *schedule, uint8_t *counter, unsigned counter_bytes,
                      const uint8_t *in, uint8_t *out, size_t len)
{
    if (counter_bytes < 1u) {
        counter_bytes = 1u;
    } else if (counter_bytes > 16u) {
        counter_bytes = 16u;
    }
#if NOCRYPTO_HAVE_X86
    if (is_ni(schedule)) {
        ni_ctr(schedule, counter, counter_bytes, in, out, len);
        return;
    }
#endif
    ct_ctr(schedule, counter, counter_bytes, in, out, len);
}

const uint8_t *nocrypto_aes_ni_round_keys(const uint8_t *schedule, unsigned *rounds)
{
    if (!is_ni(schedule)) {
        return NULL;
    }
    if (rounds != NULL) {
        *rounds = rounds_of(schedule);
    }
    return schedule + OFF_KEYS;
}
