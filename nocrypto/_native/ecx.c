/*
 * X25519 and X448 (RFC 7748) and the group operations of Ed25519 (RFC 8032, section 5.1).
 * Twin: nocrypto/_ref/ecx.py.
 *
 * Field arithmetic:
 * - GF(2^255 - 19) in radix 2^51 (five 64-bit limbs, 64x64->128-bit products), as in
 *   curve25519-donna-c64 and ref10's 64-bit variants. Every operation accepts limbs below 2^56
 *   (the subtrahend of sub: below 2^54); mul, sq, sub and mul_small return limbs below 2^52
 *   (carried), add returns the plain sum.
 *   Inversion is exponentiation to p - 2 (a fixed addition chain), constant time.
 * - GF(2^448 - 2^224 - 1) in radix 2^56 (eight limbs). With phi = 2^224, phi^2 = phi + 1
 *   modulo p: a product is three 4x4-limb half products (Karatsuba, 48 multiplications) that
 *   fold without any modular reduction step, and the carry out of the top limb re-enters at
 *   limbs 0 and 4. Every operation accepts limbs below 2^59 (the subtrahend of sub: below
 *   2^58) and (except add) returns limbs below 2^57.
 *
 * Constant time (DESIGN.md, principle 8): secret scalars steer no branch and no memory index.
 * - The Montgomery ladders (RFC 7748 section 5) run a fixed number of steps (255 / 448) and
 *   swap with masks (cswap); the bit index is the public loop counter.
 * - The fixed-base multiplication of Ed25519 uses signed radix-16 digits and a table of
 *   multiples of B (ecx_tables.h, generated); every entry of a row is read and the wanted one
 *   kept with masks (ge_select), the sign applied with a masked conditional negation.
 * - Scalars modulo L: Barrett reduction with fixed-size products and masked conditional
 *   subtractions.
 * - Masks go through an empty asm (value_barrier) so that the compiler cannot see that they
 *   are 0 or all-ones and turn the masked selections back into branches.
 * Only nocrypto_ed25519_mul_add_vartime (verification: public inputs) branches on its data.
 */
#include "ecx.h"

#include <string.h>

#define NOCRYPTO_ECX_TABLES 1
#include "ecx_tables.h"

typedef unsigned __int128 u128;

/* ----- helpers ------------------------------------------------------------------------- */

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
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static inline uint64_t value_barrier(uint64_t x)
{
    __asm__("" : "+r"(x));
    return x;
}

/* Clear a secret temporary; the asm keeps the compiler from dropping the dead store. */
static void wipe(void *p, size_t n)
{
    memset(p, 0, n);
    __asm__ volatile("" : : "r"(p) : "memory");
}

/* ===== GF(2^255 - 19), radix 2^51 ======================================================= */

#define M51 ((uint64_t)0x7FFFFFFFFFFFF)

typedef struct {
    uint64_t v[5];
} fe;

static inline void fe_0(fe *h)
{
    memset(h, 0, sizeof *h);
}

static inline void fe_1(fe *h)
{
    memset(h, 0, sizeof *h);
    h->v[0] = 1;
}

static inline void fe_add(fe *h, const fe *f, const fe *g)
{
    for (int i = 0; i < 5; i++) {
        h->v[i] = f->v[i] + g->v[i];
    }
}

/* Carry a 5-limb wide result into limbs below 2^52. */
static inline void fe_carry_wide(fe *h, u128 r0, u128 r1, u128 r2, u128 r3, u128 r4)
{
    r1 += r0 >> 51;
    r2 += r1 >> 51;
    r3 += r2 >> 51;
    r4 += r3 >> 51;
    u128 t = (u128)((uint64_t)r0 & M51) + (r4 >> 51) * 19;
    h->v[0] = (uint64_t)t & M51;
    h->v[1] = ((uint64_t)r1 & M51) + (uint64_t)(t >> 51);
    h->v[2] = (uint64_t)r2 & M51;
    h->v[3] = (uint64_t)r3 & M51;
    h->v[4] = (uint64_t)r4 & M51;
}

/* h = f - g: f + 8p - g (8p limb by limb exceeds any g below 2^54), then carried. */
static inline void fe_sub(fe *h, const fe *f, const fe *g)
{
    uint64_t r0 = f->v[0] + 0x3FFFFFFFFFFF68u - g->v[0]; /* 8 * (2^51 - 19) */
    uint64_t r1 = f->v[1] + 0x3FFFFFFFFFFFF8u - g->v[1]; /* 8 * (2^51 - 1) */
    uint64_t r2 = f->v[2] + 0x3FFFFFFFFFFFF8u - g->v[2];
    uint64_t r3 = f->v[3] + 0x3FFFFFFFFFFFF8u - g->v[3];
    uint64_t r4 = f->v[4] + 0x3FFFFFFFFFFFF8u - g->v[4];
    r1 += r0 >> 51;
    r2 += r1 >> 51;
    r3 += r2 >> 51;
    r4 += r3 >> 51;
    h->v[0] = (r0 & M51) + (r4 >> 51) * 19;
    h->v[1] = r1 & M51;
    h->v[2] = r2 & M51;
    h->v[3] = r3 & M51;
    h->v[4] = r4 & M51;
}

static inline void fe_neg(fe *h, const fe *f)
{
    fe zero;
    fe_0(&zero);
    fe_sub(h, &zero, f);
}

static void fe_mul(fe *h, const fe *f, const fe *g)
{
    const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
    const uint64_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2], g3 = g->v[3], g4 = g->v[4];
    const uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4;
    u128 r0 = (u128)f0 * g0 + (u128)f1 * g4_19 + (u128)f2 * g3_19 + (u128)f3 * g2_19 +
              (u128)f4 * g1_19;
    u128 r1 = (u128)f0 * g1 + (u128)f1 * g0 + (u128)f2 * g4_19 + (u128)f3 * g3_19 +
              (u128)f4 * g2_19;
    u128 r2 = (u128)f0 * g2 + (u128)f1 * g1 + (u128)f2 * g0 + (u128)f3 * g4_19 +
              (u128)f4 * g3_19;
    u128 r3 = (u128)f0 * g3 + (u128)f1 * g2 + (u128)f2 * g1 + (u128)f3 * g0 +
              (u128)f4 * g4_19;
    u128 r4 = (u128)f0 * g4 + (u128)f1 * g3 + (u128)f2 * g2 + (u128)f3 * g1 + (u128)f4 * g0;
    fe_carry_wide(h, r0, r1, r2, r3, r4);
}

/* h = f^2, times 2 if dbl (ref10's fe_sq2, for point doubling). */
static inline void fe_sq_x(fe *h, const fe *f, int dbl)
{
    const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
    const uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1;
    const uint64_t f1_38 = 38 * f1, f2_38 = 38 * f2, f3_38 = 38 * f3;
    const uint64_t f3_19 = 19 * f3, f4_19 = 19 * f4;
    u128 r0 = (u128)f0 * f0 + (u128)f1_38 * f4 + (u128)f2_38 * f3;
    u128 r1 = (u128)f0_2 * f1 + (u128)f2_38 * f4 + (u128)f3_19 * f3;
    u128 r2 = (u128)f0_2 * f2 + (u128)f1 * f1 + (u128)f3_38 * f4;
    u128 r3 = (u128)f0_2 * f3 + (u128)f1_2 * f2 + (u128)f4_19 * f4;
    u128 r4 = (u128)f0_2 * f4 + (u128)f1_2 * f3 + (u128)f2 * f2;
    if (dbl) { /* a compile-time constant at every call site */
        r0 <<= 1;
        r1 <<= 1;
        r2 <<= 1;
        r3 <<= 1;
        r4 <<= 1;
    }
    fe_carry_wide(h, r0, r1, r2, r3, r4);
}

static void fe_sq(fe *h, const fe *f)
{
    fe_sq_x(h, f, 0);
}

static void fe_sq2(fe *h, const fe *f)
{
    fe_sq_x(h, f, 1);
}

/* h = f^(2^n), n >= 1 (public). */
static void fe_sqn(fe *h, const fe *f, int n)
{
    fe_sq(h, f);
    for (int i = 1; i < n; i++) {
        fe_sq(h, h);
    }
}

static inline void fe_mul_small(fe *h, const fe *f, uint64_t n)
{
    fe_carry_wide(h, (u128)f->v[0] * n, (u128)f->v[1] * n, (u128)f->v[2] * n,
                  (u128)f->v[3] * n, (u128)f->v[4] * n);
}

/* z^(2^250 - 1) and z^11, the common prefix of inversion and of the square root's power. */
static void fe_pow_2_250_1(fe *out, fe *z11, const fe *z)
{
    fe t, z2, z9, z5_0, z10_0, z20_0, z50_0, z100_0;
    fe_sq(&z2, z);             /* 2 */
    fe_sqn(&t, &z2, 2);        /* 8 */
    fe_mul(&z9, &t, z);        /* 9 */
    fe_mul(z11, &z9, &z2);     /* 11 */
    fe_sq(&t, z11);            /* 22 */
    fe_mul(&z5_0, &t, &z9);    /* 2^5 - 1 */
    fe_sqn(&t, &z5_0, 5);      /* 2^10 - 2^5 */
    fe_mul(&z10_0, &t, &z5_0); /* 2^10 - 1 */
    fe_sqn(&t, &z10_0, 10);
    fe_mul(&z20_0, &t, &z10_0); /* 2^20 - 1 */
    fe_sqn(&t, &z20_0, 20);
    fe_mul(&t, &t, &z20_0); /* 2^40 - 1 */
    fe_sqn(&t, &t, 10);
    fe_mul(&z50_0, &t, &z10_0); /* 2^50 - 1 */
    fe_sqn(&t, &z50_0, 50);
    fe_mul(&z100_0, &t, &z50_0); /* 2^100 - 1 */
    fe_sqn(&t, &z100_0, 100);
    fe_mul(&t, &t, &z100_0); /* 2^200 - 1 */
    fe_sqn(&t, &t, 50);
    fe_mul(out, &t, &z50_0); /* 2^250 - 1 */
    wipe(&t, sizeof t);
    wipe(&z2, sizeof z2);
    wipe(&z9, sizeof z9);
    wipe(&z5_0, sizeof z5_0);
    wipe(&z10_0, sizeof z10_0);
    wipe(&z20_0, sizeof z20_0);
    wipe(&z50_0, sizeof z50_0);
    wipe(&z100_0, sizeof z100_0);
}

/* out = z^(p - 2) = z^(2^255 - 21) = 1/z (0 for z = 0). */
static void fe_invert(fe *out, const fe *z)
{
    fe t, z11;
    fe_pow_2_250_1(&t, &z11, z);
    fe_sqn(&t, &t, 5); /* 2^255 - 2^5 */
    fe_mul(out, &t, &z11);
    wipe(&t, sizeof t);
    wipe(&z11, sizeof z11);
}

/* out = z^((p - 5) / 8) = z^(2^252 - 3), for square roots (RFC 8032 5.1.3). */
static void fe_pow22523(fe *out, const fe *z)
{
    fe t, z11;
    fe_pow_2_250_1(&t, &z11, z);
    fe_sqn(&t, &t, 2); /* 2^252 - 4 */
    fe_mul(out, &t, z);
}

/* RFC 7748 section 5: the 255 low bits of s, little-endian (the top bit is ignored). */
static void fe_frombytes(fe *h, const uint8_t *s)
{
    const uint64_t w0 = load64_le(s), w1 = load64_le(s + 8), w2 = load64_le(s + 16),
                   w3 = load64_le(s + 24);
    h->v[0] = w0 & M51;
    h->v[1] = ((w0 >> 51) | (w1 << 13)) & M51;
    h->v[2] = ((w1 >> 38) | (w2 << 26)) & M51;
    h->v[3] = ((w2 >> 25) | (w3 << 39)) & M51;
    h->v[4] = (w3 >> 12) & M51;
}

/* The canonical encoding (value below p), in constant time (curve25519-donna's fcontract). */
static void fe_tobytes(uint8_t *s, const fe *f)
{
    uint64_t t[5];
    memcpy(t, f->v, sizeof t);
#define FE_CARRY()                                                                          \
    do {                                                                                    \
        t[1] += t[0] >> 51;                                                                 \
        t[0] &= M51;                                                                        \
        t[2] += t[1] >> 51;                                                                 \
        t[1] &= M51;                                                                        \
        t[3] += t[2] >> 51;                                                                 \
        t[2] &= M51;                                                                        \
        t[4] += t[3] >> 51;                                                                 \
        t[3] &= M51;                                                                        \
    } while (0)
#define FE_CARRY_FULL()                                                                     \
    do {                                                                                    \
        FE_CARRY();                                                                         \
        t[0] += 19 * (t[4] >> 51);                                                          \
        t[4] &= M51;                                                                        \
    } while (0)
    FE_CARRY_FULL();
    FE_CARRY_FULL();
    /* now 0 <= t < 2^255, carried: add 19, carry, so that t >= p wraps past 2^255 */
    t[0] += 19;
    FE_CARRY_FULL();
    /* now t + 19 (mod 2^255) in [19, 2^255): add 2^255 - 19 and drop bit 255 */
    t[0] += (M51 + 1) - 19;
    t[1] += (M51 + 1) - 1;
    t[2] += (M51 + 1) - 1;
    t[3] += (M51 + 1) - 1;
    t[4] += (M51 + 1) - 1;
    FE_CARRY();
    t[4] &= M51;
#undef FE_CARRY
#undef FE_CARRY_FULL
    store64_le(s, t[0] | (t[1] << 51));
    store64_le(s + 8, (t[1] >> 13) | (t[2] << 38));
    store64_le(s + 16, (t[2] >> 26) | (t[3] << 25));
    store64_le(s + 24, (t[3] >> 39) | (t[4] << 12));
    wipe(t, sizeof t);
}

/* Swap f and g if b == 1, leave them if b == 0, without a branch. */
static inline void fe_cswap(fe *f, fe *g, uint64_t b)
{
    const uint64_t mask = value_barrier(0 - b);
    for (int i = 0; i < 5; i++) {
        uint64_t x = mask & (f->v[i] ^ g->v[i]);
        f->v[i] ^= x;
        g->v[i] ^= x;
    }
}

/* f = g if b == 1, unchanged if b == 0, without a branch. */
static inline void fe_cmov(fe *f, const fe *g, uint64_t b)
{
    const uint64_t mask = value_barrier(0 - b);
    for (int i = 0; i < 5; i++) {
        f->v[i] ^= mask & (f->v[i] ^ g->v[i]);
    }
}

static void fe_load(fe *h, const uint64_t *limbs)
{
    memcpy(h->v, limbs, sizeof h->v);
}

/* Variable time (public values only): whether f is 0 modulo p, and its parity. */
static int fe_iszero_vartime(const fe *f)
{
    uint8_t s[32];
    fe_tobytes(s, f);
    uint8_t acc = 0;
    for (int i = 0; i < 32; i++) {
        acc |= s[i];
    }
    return acc == 0;
}

/* ===== X25519 (RFC 7748 section 5) ===================================================== */

void nocrypto_x25519(uint8_t *out, const uint8_t *scalar, const uint8_t *u)
{
    uint8_t k[32];
    memcpy(k, scalar, 32);
    /* decodeScalar25519: clear the 3 low bits and bit 255, set bit 254 */
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;

    fe x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb, t;
    fe_frombytes(&x1, u); /* decodeUCoordinate: the top bit masked, values >= p accepted */
    fe_1(&x2);
    fe_0(&z2);
    x3 = x1;
    fe_1(&z3);
    uint64_t swap = 0;
    for (int i = 254; i >= 0; i--) {
        const uint64_t k_t = (uint64_t)(k[i >> 3] >> (i & 7)) & 1;
        swap ^= k_t;
        fe_cswap(&x2, &x3, swap);
        fe_cswap(&z2, &z3, swap);
        swap = k_t;

        fe_add(&a, &x2, &z2);    /* A = x_2 + z_2 */
        fe_sq(&aa, &a);          /* AA = A^2 */
        fe_sub(&b, &x2, &z2);    /* B = x_2 - z_2 */
        fe_sq(&bb, &b);          /* BB = B^2 */
        fe_sub(&e, &aa, &bb);    /* E = AA - BB */
        fe_add(&c, &x3, &z3);    /* C = x_3 + z_3 */
        fe_sub(&d, &x3, &z3);    /* D = x_3 - z_3 */
        fe_mul(&da, &d, &a);     /* DA = D * A */
        fe_mul(&cb, &c, &b);     /* CB = C * B */
        fe_add(&t, &da, &cb);    /* x_3 = (DA + CB)^2 */
        fe_sq(&x3, &t);
        fe_sub(&t, &da, &cb);    /* z_3 = x_1 * (DA - CB)^2 */
        fe_sq(&t, &t);
        fe_mul(&z3, &x1, &t);
        fe_mul(&x2, &aa, &bb);   /* x_2 = AA * BB */
        fe_mul_small(&t, &e, 121665); /* z_2 = E * (AA + a24 * E), a24 = 121665 */
        fe_add(&t, &aa, &t);
        fe_mul(&z2, &e, &t);
    }
    fe_cswap(&x2, &x3, swap);
    fe_cswap(&z2, &z3, swap);
    fe_invert(&z2, &z2); /* x_2 * z_2^(p - 2) */
    fe_mul(&x2, &x2, &z2);
    fe_tobytes(out, &x2);

    wipe(k, sizeof k);
    wipe(&x2, sizeof x2);
    wipe(&z2, sizeof z2);
    wipe(&x3, sizeof x3);
    wipe(&z3, sizeof z3);
    wipe(&a, sizeof a);
    wipe(&aa, sizeof aa);
    wipe(&b, sizeof b);
    wipe(&bb, sizeof bb);
    wipe(&e, sizeof e);
    wipe(&c, sizeof c);
    wipe(&d, sizeof d);
    wipe(&da, sizeof da);
    wipe(&cb, sizeof cb);
    wipe(&t, sizeof t);
}

/* ===== GF(2^448 - 2^224 - 1), radix 2^56 =============================================== */

#define M56 ((uint64_t)0xFFFFFFFFFFFFFF)

typedef struct {
    uint64_t v[8];
} fe448;

static inline void fe448_add(fe448 *h, const fe448 *f, const fe448 *g)
{
    for (int i = 0; i < 8; i++) {
        h->v[i] = f->v[i] + g->v[i];
    }
}

/* Carry eight wide limbs into limbs below 2^57: 2^448 = 2^224 + 1 (mod p), so the carry out
 * of the top limb re-enters at limbs 0 and 4. */
static inline void fe448_carry_wide(fe448 *h, u128 *c)
{
#pragma GCC unroll 7
    for (int i = 0; i < 7; i++) {
        c[i + 1] += c[i] >> 56;
        c[i] &= M56;
    }
    const u128 top = c[7] >> 56;
    c[7] &= M56;
    c[0] += top;
    c[4] += top;
    c[1] += c[0] >> 56;
    c[0] &= M56;
    c[5] += c[4] >> 56;
    c[4] &= M56;
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) {
        h->v[i] = (uint64_t)c[i];
    }
}

/* h = f - g: f + 4p - g (4p limb by limb exceeds any g below 2^58), then carried. */
static inline void fe448_sub(fe448 *h, const fe448 *f, const fe448 *g)
{
    u128 c[8];
    for (int i = 0; i < 8; i++) {
        const uint64_t four_p = (i == 4) ? 4 * (M56 - 1) : 4 * M56;
        c[i] = f->v[i] + four_p - g->v[i];
    }
    fe448_carry_wide(h, c);
}

/* Products of 4-limb halves: P[0..6] = x * y as polynomials in t = 2^56 (no carries). */
static inline void fe448_mul4(u128 *P, const uint64_t *x, const uint64_t *y)
{
#pragma GCC unroll 7
    for (int k = 0; k < 7; k++) {
        P[k] = 0;
    }
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++) {
            P[i + j] += (u128)x[i] * y[j];
        }
    }
}

static inline void fe448_sq4(u128 *P, const uint64_t *x)
{
#pragma GCC unroll 7
    for (int k = 0; k < 7; k++) {
        P[k] = 0;
    }
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        P[2 * i] += (u128)x[i] * x[i];
        const uint64_t xi2 = 2 * x[i];
#pragma GCC unroll 4
        for (int j = i + 1; j < 4; j++) {
            P[i + j] += (u128)xi2 * x[j];
        }
    }
}

/* Karatsuba on the "golden ratio" phi = 2^224 (Hamburg, "Ed448-Goldilocks"): with
 * f = fL + fH phi, g = gL + gH phi and phi^2 = phi + 1 (mod p),
 *   f g = (fL gL + fH gH) + ((fL + fH)(gL + gH) - fL gL) phi.
 * Each half-product P = P_lo + phi P_hi (coefficients 0..3 and 4..6) folds in the same way:
 *   limb i     = P1[i] + P2[i] + P3[i+4] - P1[i+4]
 *   limb i + 4 = P2[i+4] + P3[i] - P1[i] + P3[i+4]
 * with P1 = fL gL, P2 = fH gH, P3 = (fL + fH)(gL + gH); no term goes negative, since
 * P3 >= P1 coefficient by coefficient. */
static inline void fe448_combine(fe448 *h, const u128 *P1, const u128 *P2, const u128 *P3)
{
    u128 c[8];
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        const u128 p1hi = (i < 3) ? P1[i + 4] : 0;
        const u128 p2hi = (i < 3) ? P2[i + 4] : 0;
        const u128 p3hi = (i < 3) ? P3[i + 4] : 0;
        c[i] = P1[i] + P2[i] + p3hi - p1hi;
        c[i + 4] = p2hi + P3[i] - P1[i] + p3hi;
    }
    fe448_carry_wide(h, c);
}

static void fe448_mul(fe448 *h, const fe448 *f, const fe448 *g)
{
    u128 P1[7], P2[7], P3[7];
    uint64_t ff[4], gg[4];
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        ff[i] = f->v[i] + f->v[i + 4];
        gg[i] = g->v[i] + g->v[i + 4];
    }
    fe448_mul4(P1, f->v, g->v);
    fe448_mul4(P2, f->v + 4, g->v + 4);
    fe448_mul4(P3, ff, gg);
    fe448_combine(h, P1, P2, P3);
}

static void fe448_sq(fe448 *h, const fe448 *f)
{
    u128 P1[7], P2[7], P3[7];
    uint64_t ff[4];
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        ff[i] = f->v[i] + f->v[i + 4];
    }
    fe448_sq4(P1, f->v);
    fe448_sq4(P2, f->v + 4);
    fe448_sq4(P3, ff);
    fe448_combine(h, P1, P2, P3);
}

static void fe448_sqn(fe448 *h, const fe448 *f, int n)
{
    fe448_sq(h, f);
    for (int i = 1; i < n; i++) {
        fe448_sq(h, h);
    }
}

static inline void fe448_mul_small(fe448 *h, const fe448 *f, uint64_t n)
{
    u128 c[8];
    for (int i = 0; i < 8; i++) {
        c[i] = (u128)f->v[i] * n;
    }
    fe448_carry_wide(h, c);
}

/* out = x^(p - 2) = x^(2^448 - 2^224 - 3): in binary, 223 ones, a zero, 222 ones, 0, 1. */
static void fe448_invert(fe448 *out, const fe448 *x)
{
    fe448 e2, e3, e6, e12, e24, e30, e48, e96, e192, e222, t;
    fe448_sq(&t, x);
    fe448_mul(&e2, &t, x); /* x^(2^2 - 1) */
    fe448_sq(&t, &e2);
    fe448_mul(&e3, &t, x); /* 2^3 - 1 */
    fe448_sqn(&t, &e3, 3);
    fe448_mul(&e6, &t, &e3);
    fe448_sqn(&t, &e6, 6);
    fe448_mul(&e12, &t, &e6);
    fe448_sqn(&t, &e12, 12);
    fe448_mul(&e24, &t, &e12);
    fe448_sqn(&t, &e24, 6);
    fe448_mul(&e30, &t, &e6);
    fe448_sqn(&t, &e24, 24);
    fe448_mul(&e48, &t, &e24);
    fe448_sqn(&t, &e48, 48);
    fe448_mul(&e96, &t, &e48);
    fe448_sqn(&t, &e96, 96);
    fe448_mul(&e192, &t, &e96);
    fe448_sqn(&t, &e192, 30);
    fe448_mul(&e222, &t, &e30); /* 2^222 - 1 */
    fe448_sq(&t, &e222);
    fe448_mul(&t, &t, x);       /* 2^223 - 1 */
    fe448_sqn(&t, &t, 223);     /* (2^223 - 1) * 2^223 */
    fe448_mul(&t, &t, &e222);   /* 223 ones, 0, 222 ones */
    fe448_sqn(&t, &t, 2);
    fe448_mul(out, &t, x); /* ... 0, 1 */
    wipe(&e2, sizeof e2);
    wipe(&e3, sizeof e3);
    wipe(&e6, sizeof e6);
    wipe(&e12, sizeof e12);
    wipe(&e24, sizeof e24);
    wipe(&e30, sizeof e30);
    wipe(&e48, sizeof e48);
    wipe(&e96, sizeof e96);
    wipe(&e192, sizeof e192);
    wipe(&e222, sizeof e222);
    wipe(&t, sizeof t);
}

static void fe448_frombytes(fe448 *h, const uint8_t *s)
{
    for (int i = 0; i < 8; i++) {
        uint64_t v = 0;
        for (int j = 6; j >= 0; j--) {
            v = (v << 8) | s[7 * i + j];
        }
        h->v[i] = v;
    }
}

/* The canonical encoding (value below p), in constant time. */
static void fe448_tobytes(uint8_t *s, const fe448 *f)
{
    uint64_t t[8], r[8];
    memcpy(t, f->v, sizeof t);
    /* Three carry passes: limbs below 2^56 and the value below 2^448. */
    for (int pass = 0; pass < 3; pass++) {
        for (int i = 0; i < 7; i++) {
            t[i + 1] += t[i] >> 56;
            t[i] &= M56;
        }
        const uint64_t top = t[7] >> 56;
        t[7] &= M56;
        t[0] += top;
        t[4] += top;
    }
    /* 2^448 < 2p: subtract p once if t >= p (keep t if the subtraction borrows). */
    uint64_t borrow = 0;
    for (int i = 0; i < 8; i++) {
        const uint64_t p_i = (i == 4) ? M56 - 1 : M56;
        const uint64_t d = t[i] - p_i - borrow;
        borrow = d >> 63;
        r[i] = d & M56;
    }
    const uint64_t keep = value_barrier(0 - borrow);
    for (int i = 0; i < 8; i++) {
        const uint64_t v = (t[i] & keep) | (r[i] & ~keep);
        for (int j = 0; j < 7; j++) {
            s[7 * i + j] = (uint8_t)(v >> (8 * j));
        }
    }
    wipe(t, sizeof t);
    wipe(r, sizeof r);
}

static inline void fe448_cswap(fe448 *f, fe448 *g, uint64_t b)
{
    const uint64_t mask = value_barrier(0 - b);
    for (int i = 0; i < 8; i++) {
        uint64_t x = mask & (f->v[i] ^ g->v[i]);
        f->v[i] ^= x;
        g->v[i] ^= x;
    }
}

/* ===== X448 (RFC 7748 section 5) ======================================================= */

void nocrypto_x448(uint8_t *out, const uint8_t *scalar, const uint8_t *u)
{
    uint8_t k[56];
    memcpy(k, scalar, 56);
    /* decodeScalar448: clear the 2 low bits, set bit 447 */
    k[0] &= 252;
    k[55] |= 128;

    fe448 x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb, t;
    fe448_frombytes(&x1, u); /* decodeUCoordinate: values >= p accepted */
    memset(&x2, 0, sizeof x2);
    x2.v[0] = 1;
    memset(&z2, 0, sizeof z2);
    x3 = x1;
    memset(&z3, 0, sizeof z3);
    z3.v[0] = 1;
    uint64_t swap = 0;
    for (int i = 447; i >= 0; i--) {
        const uint64_t k_t = (uint64_t)(k[i >> 3] >> (i & 7)) & 1;
        swap ^= k_t;
        fe448_cswap(&x2, &x3, swap);
        fe448_cswap(&z2, &z3, swap);
        swap = k_t;

        fe448_add(&a, &x2, &z2);
        fe448_sq(&aa, &a);
        fe448_sub(&b, &x2, &z2);
        fe448_sq(&bb, &b);
        fe448_sub(&e, &aa, &bb);
        fe448_add(&c, &x3, &z3);
        fe448_sub(&d, &x3, &z3);
        fe448_mul(&da, &d, &a);
        fe448_mul(&cb, &c, &b);
        fe448_add(&t, &da, &cb);
        fe448_sq(&x3, &t);
        fe448_sub(&t, &da, &cb);
        fe448_sq(&t, &t);
        fe448_mul(&z3, &x1, &t);
        fe448_mul(&x2, &aa, &bb);
        fe448_mul_small(&t, &e, 39081); /* a24 = 39081 */
        fe448_add(&t, &aa, &t);
        fe448_mul(&z2, &e, &t);
    }
    fe448_cswap(&x2, &x3, swap);
    fe448_cswap(&z2, &z3, swap);
    fe448_invert(&z2, &z2);
    fe448_mul(&x2, &x2, &z2);
    fe448_tobytes(out, &x2);

    wipe(k, sizeof k);
    wipe(&x2, sizeof x2);
    wipe(&z2, sizeof z2);
    wipe(&x3, sizeof x3);
    wipe(&z3, sizeof z3);
    wipe(&a, sizeof a);
    wipe(&aa, sizeof aa);
    wipe(&b, sizeof b);
    wipe(&bb, sizeof bb);
    wipe(&e, sizeof e);
    wipe(&c, sizeof c);
    wipe(&d, sizeof d);
    wipe(&da, sizeof da);
    wipe(&cb, sizeof cb);
    wipe(&t, sizeof t);
}

/* ===== Scalars modulo L (Ed25519 group order) ========================================= */

/* out[na + nb] = a[na] * b[nb], schoolbook; loop bounds are public sizes. */
static void mul_limbs(uint64_t *out, const uint64_t *a, int na, const uint64_t *b, int nb)
{
    for (int i = 0; i < na + nb; i++) {
        out[i] = 0;
    }
    for (int i = 0; i < na; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < nb; j++) {
            const u128 t = (u128)a[i] * b[j] + out[i + j] + carry;
            out[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        out[i + nb] = carry;
    }
}

/* r[5] -= m[5] if r >= m, with a mask. */
static void csub5(uint64_t *r, const uint64_t *m)
{
    uint64_t t[5], borrow = 0;
    for (int i = 0; i < 5; i++) {
        const u128 d = (u128)r[i] - m[i] - borrow;
        t[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    const uint64_t keep = value_barrier(0 - borrow); /* all ones: r < m, keep r */
    for (int i = 0; i < 5; i++) {
        r[i] = (r[i] & keep) | (t[i] & ~keep);
    }
    wipe(t, sizeof t);
}

/* r[4] = x[8] mod L, Barrett reduction (HAC algorithm 14.42 with b = 2^64, k = 4:
 * mu = floor(b^8 / L), valid for x < b^8), constant time. */
static void sc_barrett(uint64_t *r, const uint64_t *x)
{
    static const uint64_t l5[5] = {ED25519_L[0], ED25519_L[1], ED25519_L[2], ED25519_L[3], 0};
    uint64_t q2[10], ql[10], rr[5];
    mul_limbs(q2, x + 3, 5, ED25519_MU, 5); /* q1 = floor(x / b^3), q2 = q1 * mu */
    mul_limbs(ql, q2 + 5, 5, l5, 5);       /* q3 = floor(q2 / b^5), q3 * L */
    uint64_t borrow = 0;                    /* r = (x - q3 * L) mod b^5 */
    for (int i = 0; i < 5; i++) {
        const u128 d = (u128)x[i] - ql[i] - borrow;
        rr[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    csub5(rr, l5); /* 0 <= r < 3L: at most two subtractions */
    csub5(rr, l5);
    memcpy(r, rr, 4 * sizeof *r);
    wipe(q2, sizeof q2);
    wipe(ql, sizeof ql);
    wipe(rr, sizeof rr);
}

static void sc_load(uint64_t *x, const uint8_t *s, int n)
{
    for (int i = 0; i < n; i++) {
        x[i] = load64_le(s + 8 * i);
    }
}

static void sc_store(uint8_t *s, const uint64_t *x)
{
    for (int i = 0; i < 4; i++) {
        store64_le(s + 8 * i, x[i]);
    }
}

/* out[32] = s[32] mod L. */
static void sc_reduce32(uint8_t *out, const uint8_t *s)
{
    uint64_t x[8] = {0}, r[4];
    sc_load(x, s, 4);
    sc_barrett(r, x);
    sc_store(out, r);
    wipe(x, sizeof x);
    wipe(r, sizeof r);
}

void nocrypto_ed25519_scalar_muladd(uint8_t *out, const uint8_t *a, const uint8_t *b,
                                    const uint8_t *c)
{
    static const uint64_t l5[5] = {ED25519_L[0], ED25519_L[1], ED25519_L[2], ED25519_L[3], 0};
    uint64_t al[4], bl[4], x[8], ab[4], cr[4], sum[5];
    sc_load(al, a, 4);
    sc_load(bl, b, 4);
    mul_limbs(x, al, 4, bl, 4);
    sc_barrett(ab, x); /* a * b mod L */
    sc_load(x, c, 8);
    sc_barrett(cr, x); /* c mod L */
    uint64_t carry = 0;
    for (int i = 0; i < 4; i++) {
        const u128 t = (u128)ab[i] + cr[i] + carry;
        sum[i] = (uint64_t)t;
        carry = (uint64_t)(t >> 64);
    }
    sum[4] = carry;
    csub5(sum, l5); /* below 2L: one subtraction */
    sc_store(out, sum);
    wipe(al, sizeof al);
    wipe(bl, sizeof bl);
    wipe(x, sizeof x);
    wipe(ab, sizeof ab);
    wipe(cr, sizeof cr);
    wipe(sum, sizeof sum);
}

/* ===== Ed25519 group (RFC 8032 section 5.1), ref10-style coordinates ==================== */

/* Extended coordinates (5.1.4): x = X/Z, y = Y/Z, x*y = T/Z. */
typedef struct {
    fe X, Y, Z, T;
} ge_p3;

/* Projective: x = X/Z, y = Y/Z. */
typedef struct {
    fe X, Y, Z;
} ge_p2;

/* "Completed": x = X/Z, y = Y/T (the output of an addition, before its last products). */
typedef struct {
    fe X, Y, Z, T;
} ge_p1p1;

/* Affine, precomputed ("Niels"): y + x, y - x, 2*d*x*y. */
typedef struct {
    fe yplusx, yminusx, xy2d;
} ge_precomp;

/* Extended, precomputed for addition: Y + X, Y - X, Z, 2*d*T. */
typedef struct {
    fe YplusX, YminusX, Z, T2d;
} ge_cached;

static void ge_p3_0(ge_p3 *h)
{
    fe_0(&h->X);
    fe_1(&h->Y);
    fe_1(&h->Z);
    fe_0(&h->T);
}

static void ge_p1p1_to_p2(ge_p2 *r, const ge_p1p1 *p)
{
    fe_mul(&r->X, &p->X, &p->T);
    fe_mul(&r->Y, &p->Y, &p->Z);
    fe_mul(&r->Z, &p->Z, &p->T);
}

static void ge_p1p1_to_p3(ge_p3 *r, const ge_p1p1 *p)
{
    fe_mul(&r->X, &p->X, &p->T);
    fe_mul(&r->Y, &p->Y, &p->Z);
    fe_mul(&r->Z, &p->Z, &p->T);
    fe_mul(&r->T, &p->X, &p->Y);
}

static void ge_p3_to_p2(ge_p2 *r, const ge_p3 *p)
{
    r->X = p->X;
    r->Y = p->Y;
    r->Z = p->Z;
}

static void ge_p3_to_cached(ge_cached *r, const ge_p3 *p)
{
    fe d2;
    fe_load(&d2, ED25519_D2);
    fe_add(&r->YplusX, &p->Y, &p->X);
    fe_sub(&r->YminusX, &p->Y, &p->X);
    r->Z = p->Z;
    fe_mul(&r->T2d, &p->T, &d2);
}

/* RFC 8032 5.1.4 doubling (a = -1): A = X1^2, B = Y1^2, C = 2*Z1^2, H = A + B,
 * E = H - (X1 + Y1)^2, G = A - B, F = C + G; here with every output negated, which is the
 * same projective point: X = 2XY, Y = B + A, Z = B - A, T = C - (B - A). */
static void ge_p2_dbl(ge_p1p1 *r, const ge_p2 *p)
{
    fe t0;
    fe_sq(&r->X, &p->X);
    fe_sq(&r->Z, &p->Y);
    fe_sq2(&r->T, &p->Z);
    fe_add(&r->Y, &p->X, &p->Y);
    fe_sq(&t0, &r->Y);
    fe_add(&r->Y, &r->Z, &r->X);
    fe_sub(&r->Z, &r->Z, &r->X);
    fe_sub(&r->X, &t0, &r->Y);
    fe_sub(&r->T, &r->T, &r->Z);
}

static void ge_p3_dbl(ge_p1p1 *r, const ge_p3 *p)
{
    ge_p2 q;
    ge_p3_to_p2(&q, p);
    ge_p2_dbl(r, &q);
}

/* RFC 8032 5.1.4 addition (a = -1) with an affine point: A = (Y1 - X1)(y2 - x2),
 * B = (Y1 + X1)(y2 + x2), C = T1 * 2d * x2 * y2, D = 2 * Z1; E = B - A, F = D - C, G = D + C,
 * H = B + A; completed as X = E, Y = H, Z = G, T = F. */
static void ge_madd(ge_p1p1 *r, const ge_p3 *p, const ge_precomp *q)
{
    fe t0;
    fe_add(&r->X, &p->Y, &p->X);
    fe_sub(&r->Y, &p->Y, &p->X);
    fe_mul(&r->Z, &r->X, &q->yplusx);
    fe_mul(&r->Y, &r->Y, &q->yminusx);
    fe_mul(&r->T, &q->xy2d, &p->T);
    fe_add(&t0, &p->Z, &p->Z);
    fe_sub(&r->X, &r->Z, &r->Y);
    fe_add(&r->Y, &r->Z, &r->Y);
    fe_add(&r->Z, &t0, &r->T);
    fe_sub(&r->T, &t0, &r->T);
}

/* p - q for an affine q: the negation of q = (y - x, y + x, -2dxy). */
static void ge_msub(ge_p1p1 *r, const ge_p3 *p, const ge_precomp *q)
{
    fe t0;
    fe_add(&r->X, &p->Y, &p->X);
    fe_sub(&r->Y, &p->Y, &p->X);
    fe_mul(&r->Z, &r->X, &q->yminusx);
    fe_mul(&r->Y, &r->Y, &q->yplusx);
    fe_mul(&r->T, &q->xy2d, &p->T);
    fe_add(&t0, &p->Z, &p->Z);
    fe_sub(&r->X, &r->Z, &r->Y);
    fe_add(&r->Y, &r->Z, &r->Y);
    fe_sub(&r->Z, &t0, &r->T);
    fe_add(&r->T, &t0, &r->T);
}

/* RFC 8032 5.1.4 addition of two extended points (D = 2 * Z1 * Z2). */
static void ge_add(ge_p1p1 *r, const ge_p3 *p, const ge_cached *q)
{
    fe t0;
    fe_add(&r->X, &p->Y, &p->X);
    fe_sub(&r->Y, &p->Y, &p->X);
    fe_mul(&r->Z, &r->X, &q->YplusX);
    fe_mul(&r->Y, &r->Y, &q->YminusX);
    fe_mul(&r->T, &q->T2d, &p->T);
    fe_mul(&r->X, &p->Z, &q->Z);
    fe_add(&t0, &r->X, &r->X);
    fe_sub(&r->X, &r->Z, &r->Y);
    fe_add(&r->Y, &r->Z, &r->Y);
    fe_add(&r->Z, &t0, &r->T);
    fe_sub(&r->T, &t0, &r->T);
}

static void ge_sub(ge_p1p1 *r, const ge_p3 *p, const ge_cached *q)
{
    fe t0;
    fe_add(&r->X, &p->Y, &p->X);
    fe_sub(&r->Y, &p->Y, &p->X);
    fe_mul(&r->Z, &r->X, &q->YminusX);
    fe_mul(&r->Y, &r->Y, &q->YplusX);
    fe_mul(&r->T, &q->T2d, &p->T);
    fe_mul(&r->X, &p->Z, &q->Z);
    fe_add(&t0, &r->X, &r->X);
    fe_sub(&r->X, &r->Z, &r->Y);
    fe_add(&r->Y, &r->Z, &r->Y);
    fe_sub(&r->Z, &t0, &r->T);
    fe_add(&r->T, &t0, &r->T);
}

/* RFC 8032 5.1.2: the encoding of (x, y) = (X/Z, Y/Z): y little-endian, bit 255 = x mod 2.
 * Constant time (the inversion is an exponentiation). */
static void ge_encode(uint8_t *s, const fe *X, const fe *Y, const fe *Z)
{
    fe recip, x, y;
    uint8_t xb[32];
    fe_invert(&recip, Z);
    fe_mul(&x, X, &recip);
    fe_mul(&y, Y, &recip);
    fe_tobytes(s, &y);
    fe_tobytes(xb, &x);
    s[31] = (uint8_t)(s[31] | ((xb[0] & 1) << 7));
    wipe(&recip, sizeof recip);
    wipe(&x, sizeof x);
    wipe(&y, sizeof y);
    wipe(xb, sizeof xb);
}

/* RFC 8032 5.1.3, strictly: 0 if s is not the canonical encoding of a curve point. Variable
 * time: only for public points. */
static int ge_decode_vartime(ge_p3 *h, const uint8_t *s)
{
    uint8_t yb[32];
    memcpy(yb, s, 32);
    const int sign = yb[31] >> 7;
    yb[31] &= 0x7F;
    /* Step 1: "If the resulting value is >= p, decoding fails." p = 2^255 - 19 is
     * ed ff .. ff 7f little-endian; y (bit 255 clear) is >= p iff it is ff .. ff 7f above
     * byte 0 and byte 0 is >= 0xed. */
    int all_ones = yb[31] == 0x7F;
    for (int i = 1; i < 31; i++) {
        all_ones &= yb[i] == 0xFF;
    }
    if (all_ones && yb[0] >= 0xED) {
        return 0;
    }
    fe u, v, v3, vxx, check, d, sqrtm1;
    fe_load(&d, ED25519_D);
    fe_load(&sqrtm1, ED25519_SQRTM1);
    fe_frombytes(&h->Y, yb);
    fe_1(&h->Z);
    /* Step 2: u = y^2 - 1, v = d y^2 + 1, x = u v^3 (u v^7)^((p-5)/8). */
    fe_sq(&u, &h->Y);
    fe_mul(&v, &u, &d);
    fe_sub(&u, &u, &h->Z);
    fe_add(&v, &v, &h->Z);
    fe_sq(&v3, &v);
    fe_mul(&v3, &v3, &v); /* v^3 */
    fe_sq(&h->X, &v3);
    fe_mul(&h->X, &h->X, &v);
    fe_mul(&h->X, &h->X, &u); /* u v^7 */
    fe_pow22523(&h->X, &h->X);
    fe_mul(&h->X, &h->X, &v3);
    fe_mul(&h->X, &h->X, &u);
    /* Step 3: v x^2 = u: x; v x^2 = -u: x * 2^((p-1)/4); else no square root. */
    fe_sq(&vxx, &h->X);
    fe_mul(&vxx, &vxx, &v);
    fe_sub(&check, &vxx, &u);
    if (!fe_iszero_vartime(&check)) {
        fe_add(&check, &vxx, &u);
        if (!fe_iszero_vartime(&check)) {
            return 0;
        }
        fe_mul(&h->X, &h->X, &sqrtm1);
    }
    /* Step 4: "If x = 0, and x_0 = 1, decoding fails"; pick the root of parity x_0. */
    uint8_t xb[32];
    fe_tobytes(xb, &h->X);
    if (fe_iszero_vartime(&h->X) && sign) {
        return 0;
    }
    if ((xb[0] & 1) != sign) {
        fe_neg(&h->X, &h->X);
    }
    fe_mul(&h->T, &h->X, &h->Y);
    return 1;
}

/* t = b * 256^pos * B for a digit -8 <= b <= 8, reading all eight entries of the row and
 * keeping the wanted one with masks, then negating with a mask if b < 0. */
static void ge_select(ge_precomp *t, int pos, int8_t b)
{
    const uint32_t ub = (uint32_t)(int32_t)b;
    const uint32_t negative = ub >> 31;
    const uint32_t m = 0u - negative;
    const uint32_t babs = (ub ^ m) - m;
    fe_1(&t->yplusx);
    fe_1(&t->yminusx);
    fe_0(&t->xy2d);
    for (uint32_t j = 0; j < 8; j++) {
        const uint32_t x = babs ^ (j + 1);
        const uint64_t eq = (uint64_t)((x - 1u) >> 31); /* 1 iff babs == j + 1 */
        ge_precomp entry;
        fe_load(&entry.yplusx, ED25519_BASE_TABLE[pos][j][0]);
        fe_load(&entry.yminusx, ED25519_BASE_TABLE[pos][j][1]);
        fe_load(&entry.xy2d, ED25519_BASE_TABLE[pos][j][2]);
        fe_cmov(&t->yplusx, &entry.yplusx, eq);
        fe_cmov(&t->yminusx, &entry.yminusx, eq);
        fe_cmov(&t->xy2d, &entry.xy2d, eq);
    }
    ge_precomp minus;
    minus.yplusx = t->yminusx;
    minus.yminusx = t->yplusx;
    fe_neg(&minus.xy2d, &t->xy2d);
    fe_cmov(&t->yplusx, &minus.yplusx, negative);
    fe_cmov(&t->yminusx, &minus.yminusx, negative);
    fe_cmov(&t->xy2d, &minus.xy2d, negative);
    wipe(&minus, sizeof minus);
}

void nocrypto_ed25519_mul_base(uint8_t *out, const uint8_t *s)
{
    /* [s]B = [s mod L]B (B has order L); below L < 2^253 the top digit stays <= 8. */
    uint8_t a[32];
    sc_reduce32(a, s);
    /* Signed radix 16: a = sum e[i] 16^i with -8 <= e[i] <= 8 (arithmetic, no branch). */
    int8_t e[64];
    for (int i = 0; i < 32; i++) {
        e[2 * i] = (int8_t)(a[i] & 15);
        e[2 * i + 1] = (int8_t)((a[i] >> 4) & 15);
    }
    int8_t carry = 0;
    for (int i = 0; i < 63; i++) {
        e[i] = (int8_t)(e[i] + carry);
        carry = (int8_t)((e[i] + 8) >> 4);
        e[i] = (int8_t)(e[i] - carry * 16);
    }
    e[63] = (int8_t)(e[63] + carry);

    /* sum over odd i of e[i] 16^(i-1) B, times 16, plus the even i: 256^(i/2) rows. */
    ge_p3 h;
    ge_p1p1 r;
    ge_p2 q;
    ge_precomp t;
    ge_p3_0(&h);
    for (int i = 1; i < 64; i += 2) {
        ge_select(&t, i / 2, e[i]);
        ge_madd(&r, &h, &t);
        ge_p1p1_to_p3(&h, &r);
    }
    ge_p3_dbl(&r, &h);
    ge_p1p1_to_p2(&q, &r);
    ge_p2_dbl(&r, &q);
    ge_p1p1_to_p2(&q, &r);
    ge_p2_dbl(&r, &q);
    ge_p1p1_to_p2(&q, &r);
    ge_p2_dbl(&r, &q);
    ge_p1p1_to_p3(&h, &r);
    for (int i = 0; i < 64; i += 2) {
        ge_select(&t, i / 2, e[i]);
        ge_madd(&r, &h, &t);
        ge_p1p1_to_p3(&h, &r);
    }
    ge_encode(out, &h.X, &h.Y, &h.Z);

    wipe(a, sizeof a);
    wipe(e, sizeof e);
    wipe(&h, sizeof h);
    wipe(&r, sizeof r);
    wipe(&q, sizeof q);
    wipe(&t, sizeof t);
}

/* Width-w NAF of a 256-bit little-endian scalar: naf[257], every nonzero digit odd with
 * |digit| < 2^(w-1), and at least w - 1 zeros after each. Variable time (public scalars). */
static void wnaf_vartime(int8_t *naf, const uint8_t *s, int w)
{
    uint64_t x[5];
    sc_load(x, s, 4);
    x[4] = 0;
    const uint64_t width = (uint64_t)1 << w;
    memset(naf, 0, 257);
    for (int i = 0; i < 257; i++) {
        if (x[0] & 1) {
            int64_t digit = (int64_t)(x[0] & (width - 1));
            if (digit >= (int64_t)(width / 2)) {
                digit -= (int64_t)width;
            }
            naf[i] = (int8_t)digit;
            /* x -= digit: the low w bits become 0 */
            if (digit > 0) {
                uint64_t borrow = (uint64_t)digit;
                for (int j = 0; j < 5 && borrow; j++) {
                    const uint64_t old = x[j];
                    x[j] = old - borrow;
                    borrow = x[j] > old;
                }
            } else {
                uint64_t carry = (uint64_t)(-digit);
                for (int j = 0; j < 5 && carry; j++) {
                    x[j] += carry;
                    carry = x[j] < carry;
                }
            }
        }
        for (int j = 0; j < 4; j++) {
            x[j] = (x[j] >> 1) | (x[j + 1] << 63);
        }
        x[4] >>= 1;
    }
}

static void precomp_load(ge_precomp *p, const uint64_t (*entry)[5])
{
    fe_load(&p->yplusx, entry[0]);
    fe_load(&p->yminusx, entry[1]);
    fe_load(&p->xy2d, entry[2]);
}

int nocrypto_ed25519_mul_add_vartime(uint8_t *out, const uint8_t *s, const uint8_t *k,
                                     const uint8_t *a)
{
    ge_p3 A, u;
    if (!ge_decode_vartime(&A, a)) {
        return 0;
    }
    /* [s]B - [k]A = [s]B + [k](-A), -(x, y) = (-x, y) */
    fe_neg(&A.X, &A.X);
    fe_neg(&A.T, &A.T);

    uint8_t sr[32];
    sc_reduce32(sr, s); /* B has order L; k is not reduced (A may have a torsion part) */
    int8_t ns[257], nk[257];
    wnaf_vartime(ns, sr, 7);
    wnaf_vartime(nk, k, 5);

    /* Ai[j] = (2j + 1)(-A), j < 8 */
    ge_cached Ai[8];
    ge_p1p1 t;
    ge_p3 a2;
    ge_p3_to_cached(&Ai[0], &A);
    ge_p3_dbl(&t, &A);
    ge_p1p1_to_p3(&a2, &t);
    for (int j = 0; j < 7; j++) {
        ge_add(&t, &a2, &Ai[j]);
        ge_p1p1_to_p3(&u, &t);
        ge_p3_to_cached(&Ai[j + 1], &u);
    }

    int i = 256;
    while (i >= 0 && ns[i] == 0 && nk[i] == 0) {
        i--;
    }
    ge_p2 r;
    fe_0(&r.X);
    fe_1(&r.Y);
    fe_1(&r.Z);
    ge_precomp bp;
    for (; i >= 0; i--) {
        ge_p2_dbl(&t, &r);
        if (nk[i] > 0) {
            ge_p1p1_to_p3(&u, &t);
            ge_add(&t, &u, &Ai[nk[i] / 2]);
        } else if (nk[i] < 0) {
            ge_p1p1_to_p3(&u, &t);
            ge_sub(&t, &u, &Ai[(-nk[i]) / 2]);
        }
        if (ns[i] > 0) {
            ge_p1p1_to_p3(&u, &t);
            precomp_load(&bp, ED25519_BASE_ODD[ns[i] / 2]);
            ge_madd(&t, &u, &bp);
        } else if (ns[i] < 0) {
            ge_p1p1_to_p3(&u, &t);
            precomp_load(&bp, ED25519_BASE_ODD[(-ns[i]) / 2]);
            ge_msub(&t, &u, &bp);
        }
        ge_p1p1_to_p2(&r, &t);
    }
    ge_encode(out, &r.X, &r.Y, &r.Z);
    return 1;
}
