/*
 * NIST P-256, P-384 and P-521 point multiplication (FIPS 186-4 D.1.2; SEC 1 2.3.3/2.3.4 for
 * the point encodings, 3.2.2.1 for their validation). Twin: nocrypto/_ref/ecp.py.
 *
 * Field: GF(p) elements in Montgomery form x R mod p, R = 2^(64 L), as L 64-bit limbs
 * (L = 4, 6, 9), least significant first, with 64x64->128-bit products (unsigned __int128).
 * The routines are generic in L (inlined into one instance per curve, so that L is a
 * constant and the limb loops unroll): the 2L-limb product or square, Montgomery reduction
 * (separated operand scanning), additions and subtractions, each ending in a subtraction
 * (or addition) of p selected by a mask. Two reductions use the shape of p instead of the
 * generic m p products: P-256 (-p^-1 mod 2^64 = 1; m p is shifts and one product, in
 * coarsely integrated operand scanning form) and P-521 (p = 2^521 - 1: m p = m 2^521 - m,
 * no product at all). Inversion (modulo p, and modulo n for ECDSA) is Bernstein and Yang's
 * safegcd: a fixed number of branch-free divsteps.
 *
 * Points: projective (X : Y : Z), the point at infinity (0 : 1 : 0), with the complete
 * formulas of Renes, Costello and Batina (EUROCRYPT 2016) for a = -3: algorithm 4
 * (addition), 5 (mixed addition) and 6 (doubling). They have no exceptional cases, so the
 * code never asks whether two points are equal, opposite or infinite.
 *
 * Scalars: read as L-byte integers, reduced modulo n by conditional subtractions of
 * n 2^i (masks), recoded into signed 5-bit digits in [-15, 16] (carry by arithmetic).
 * - nocrypto_ecp_mul: fixed window, table 1P..16P; per digit five doublings, a scan of the
 *   whole table keeping one entry by a mask, a masked negation and one addition.
 * - nocrypto_ecp_mul_base: comb over the precomputed affine tables of ecp_tables.h (table t
 *   holds j 2^(5 S t) G, j = 1..16); per digit a full table scan and one mixed addition
 *   whose result is kept by a mask (digit 0 adds nothing), plus (S - 1) rounds of five
 *   doublings.
 * - nocrypto_ecp_mul_add (verification, public inputs): comb for u1 G, width-5 NAF for u2 P;
 *   variable time.
 *
 * Constant time (DESIGN.md, principle 8): in mul and mul_base no branch, loop bound or
 * memory index depends on the scalar, the digits or the intermediate points; loop bounds
 * and table addresses depend only on the curve and the digit position. The input point of
 * mul is public (it is validated with ordinary branches). The result "point at infinity" is
 * returned as a value computed with masks.
 */
#include "ecp.h"

#include <string.h>

#define NOCRYPTO_ECP_INTERNAL
#include "ecp_tables.h"

typedef uint64_t limb;
typedef unsigned __int128 dlimb;

#define MAXL 9u      /* limbs of the largest field, P-521 */
#define ENTRIES 16u  /* 2^(ECP_WINDOW - 1) points per table */
#define MAXDIGITS 120u
#define MAXBYTES 66u

typedef limb fe[MAXL];

typedef struct {
    fe x, y, z;
} point;

struct curve {
    size_t limbs, bytes, order_bits, digits, comb_tables, comb_spacing;
    limb p0inv;
    const limb *p, *n, *rr, *one, *b, *comb;
};

static const struct curve curves[3] = {
    {ECP_P256_LIMBS, ECP_P256_BYTES, ECP_P256_ORDER_BITS, ECP_P256_DIGITS, ECP_P256_COMB_TABLES,
     ECP_P256_COMB_SPACING, ECP_P256_P0INV, ecp_p256_p, ecp_p256_n, ecp_p256_rr, ecp_p256_one,
     ecp_p256_b, ecp_p256_comb},
    {ECP_P384_LIMBS, ECP_P384_BYTES, ECP_P384_ORDER_BITS, ECP_P384_DIGITS, ECP_P384_COMB_TABLES,
     ECP_P384_COMB_SPACING, ECP_P384_P0INV, ecp_p384_p, ecp_p384_n, ecp_p384_rr, ecp_p384_one,
     ecp_p384_b, ecp_p384_comb},
    {ECP_P521_LIMBS, ECP_P521_BYTES, ECP_P521_ORDER_BITS, ECP_P521_DIGITS, ECP_P521_COMB_TABLES,
     ECP_P521_COMB_SPACING, ECP_P521_P0INV, ecp_p521_p, ecp_p521_n, ecp_p521_rr, ecp_p521_one,
     ecp_p521_b, ecp_p521_comb},
};

/* Clear a secret temporary; the empty asm keeps the compiler from dropping the memset. */
static void wipe(void *p, size_t n)
{
    memset(p, 0, n);
    __asm__ volatile("" : : "r"(p) : "memory");
}

/* All ones if a == b, else 0, without a comparison the compiler could turn into a branch. */
static inline limb ct_eq(limb a, limb b)
{
    limb x = a ^ b;
    return ((x | (0 - x)) >> 63) - 1;
}

/* ----- field arithmetic, generic in the limb count N ---------------------------------- */

/* The generic routines are inlined into per-curve instances where N is a constant; the
 * unroll pragmas then turn every limb loop into straight-line code on registers. */
#define INLINE static inline __attribute__((always_inline))
#define UNROLL _Pragma("GCC unroll 12")

/* r = t + top 2^(64 N) minus p if that is >= p (t + top 2^(64N) < 2p). */
INLINE void reduce_once(limb *r, const limb *t, limb top, const limb *p, size_t N)
{
    limb u[MAXL];
    limb borrow = 0;
    UNROLL
    for (size_t i = 0; i < N; i++) {
        dlimb d = (dlimb)t[i] - p[i] - borrow;
        u[i] = (limb)d;
        borrow = (limb)(d >> 64) & 1;
    }
    /* t + top 2^(64N) < p exactly when the subtraction borrowed past the top limb. */
    limb keep = 0 - ((top - borrow) >> 63);
    UNROLL
    for (size_t i = 0; i < N; i++) {
        r[i] = (t[i] & keep) | (u[i] & ~keep);
    }
}

/* P-256 (p = 2^256 - 2^224 + 2^192 + 2^96 - 1): Montgomery multiplication in coarsely
 * integrated operand scanning form (after each step of b t < 2p, so t fits in 4 limbs and
 * one bit), with the shape of p used in the reduction: -p^-1 mod 2^64 = 1, so m = t0;
 * t0 + m (2^64 - 1) = m 2^64 (the low limb vanishes, carry m); m p[1] + m = m 2^32 (a shift);
 * p[2] = 0; one product m p[3]. r may alias a or b. */
#define P256_P3 0xffffffff00000001u

static inline void p256_mul(limb *r, const limb *a, const limb *b)
{
    limb t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5;
    limb a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
    dlimb acc;
    UNROLL
    for (size_t i = 0; i < 4; i++) {
        limb bi = b[i];
        acc = (dlimb)a0 * bi + t0;
        t0 = (limb)acc;
        acc = (dlimb)a1 * bi + t1 + (limb)(acc >> 64);
        t1 = (limb)acc;
        acc = (dlimb)a2 * bi + t2 + (limb)(acc >> 64);
        t2 = (limb)acc;
        acc = (dlimb)a3 * bi + t3 + (limb)(acc >> 64);
        t3 = (limb)acc;
        acc = (dlimb)t4 + (limb)(acc >> 64);
        t4 = (limb)acc;
        t5 = (limb)(acc >> 64);
        limb m = t0;
        acc = (dlimb)t1 + (m << 32);
        t0 = (limb)acc;
        acc = (dlimb)t2 + (limb)(acc >> 64) + (m >> 32);
        t1 = (limb)acc;
        acc = (dlimb)m * P256_P3 + t3 + (limb)(acc >> 64);
        t2 = (limb)acc;
        acc = (dlimb)t4 + (limb)(acc >> 64);
        t3 = (limb)acc;
        t4 = t5 + (limb)(acc >> 64);
    }
    limb t[4] = {t0, t1, t2, t3};
    reduce_once(r, t, t4, ecp_p256_p, 4);
}

/* P-256 squaring: the 512-bit square (6 cross products doubled, 4 squares), then four
 * reduction steps as in p256_mul (separated operand scanning; the carry out of limb i + 4
 * is added at limb i + 5 in the next step). */
static inline void p256_sqr(limb *r, const limb *a)
{
    limb a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
    limb t[8];
    dlimb acc;
    acc = (dlimb)a0 * a1;
    t[1] = (limb)acc;
    acc = (dlimb)a0 * a2 + (limb)(acc >> 64);
    t[2] = (limb)acc;
    acc = (dlimb)a0 * a3 + (limb)(acc >> 64);
    t[3] = (limb)acc;
    t[4] = (limb)(acc >> 64);
    acc = (dlimb)a1 * a2 + t[3];
    t[3] = (limb)acc;
    acc = (dlimb)a1 * a3 + t[4] + (limb)(acc >> 64);
    t[4] = (limb)acc;
    t[5] = (limb)(acc >> 64);
    acc = (dlimb)a2 * a3 + t[5];
    t[5] = (limb)acc;
    t[6] = (limb)(acc >> 64);
    t[7] = t[6] >> 63;
    t[6] = (t[6] << 1) | (t[5] >> 63);
    t[5] = (t[5] << 1) | (t[4] >> 63);
    t[4] = (t[4] << 1) | (t[3] >> 63);
    t[3] = (t[3] << 1) | (t[2] >> 63);
    t[2] = (t[2] << 1) | (t[1] >> 63);
    t[1] = t[1] << 1;
    acc = (dlimb)a0 * a0;
    t[0] = (limb)acc;
    limb hi = (limb)(acc >> 64);
    acc = (dlimb)t[1] + hi;
    t[1] = (limb)acc;
    acc = (dlimb)a1 * a1 + t[2] + (limb)(acc >> 64);
    t[2] = (limb)acc;
    acc = (dlimb)t[3] + (limb)(acc >> 64);
    t[3] = (limb)acc;
    acc = (dlimb)a2 * a2 + t[4] + (limb)(acc >> 64);
    t[4] = (limb)acc;
    acc = (dlimb)t[5] + (limb)(acc >> 64);
    t[5] = (limb)acc;
    acc = (dlimb)a3 * a3 + t[6] + (limb)(acc >> 64);
    t[6] = (limb)acc;
    t[7] = t[7] + (limb)(acc >> 64);
    limb carry = 0;
    UNROLL
    for (size_t i = 0; i < 4; i++) {
        limb m = t[i];
        acc = (dlimb)t[i + 1] + (m << 32);
        t[i + 1] = (limb)acc;
        acc = (dlimb)t[i + 2] + (limb)(acc >> 64) + (m >> 32);
        t[i + 2] = (limb)acc;
        acc = (dlimb)m * P256_P3 + t[i + 3] + (limb)(acc >> 64);
        t[i + 3] = (limb)acc;
        acc = (dlimb)t[i + 4] + (limb)(acc >> 64) + carry;
        t[i + 4] = (limb)acc;
        carry = (limb)(acc >> 64);
    }
    reduce_once(r, t + 4, carry, ecp_p256_p, 4);
}

INLINE void add_n(limb *r, const limb *a, const limb *b, const limb *p, size_t N)
{
    limb t[MAXL];
    limb carry = 0;
    UNROLL
    for (size_t i = 0; i < N; i++) {
        dlimb s = (dlimb)a[i] + b[i] + carry;
        t[i] = (limb)s;
        carry = (limb)(s >> 64);
    }
    reduce_once(r, t, carry, p, N);
}

INLINE void sub_n(limb *r, const limb *a, const limb *b, const limb *p, size_t N)
{
    limb t[MAXL];
    limb borrow = 0;
    UNROLL
    for (size_t i = 0; i < N; i++) {
        dlimb d = (dlimb)a[i] - b[i] - borrow;
        t[i] = (limb)d;
        borrow = (limb)(d >> 64) & 1;
    }
    /* a - b < 0: add p back. */
    limb mask = 0 - borrow;
    limb carry = 0;
    UNROLL
    for (size_t i = 0; i < N; i++) {
        dlimb s = (dlimb)t[i] + (p[i] & mask) + carry;
        r[i] = (limb)s;
        carry = (limb)(s >> 64);
    }
}

/* The 2N-limb product a b (operand scanning). */
INLINE void mul_wide_n(limb *t, const limb *a, const limb *b, size_t N)
{
    UNROLL
    for (size_t j = 0; j < N; j++) {
        t[j] = 0;
    }
    UNROLL
    for (size_t i = 0; i < N; i++) {
        limb ai = a[i];
        dlimb c = 0;
        UNROLL
        for (size_t j = 0; j < N; j++) {
            c += (dlimb)ai * b[j] + t[i + j];
            t[i + j] = (limb)c;
            c >>= 64;
        }
        t[i + N] = (limb)c;
    }
}

/* The 2N-limb square of a: the cross products once, doubled, plus the squares. */
INLINE void sqr_wide_n(limb *t, const limb *a, size_t N)
{
    UNROLL
    for (size_t j = 0; j < 2 * N; j++) {
        t[j] = 0;
    }
    UNROLL
    for (size_t i = 0; i + 1 < N; i++) {
        limb ai = a[i];
        dlimb c = 0;
        UNROLL
        for (size_t j = i + 1; j < N; j++) {
            c += (dlimb)ai * a[j] + t[i + j];
            t[i + j] = (limb)c;
            c >>= 64;
        }
        t[i + N] = (limb)c;
    }
    limb top = 0;
    UNROLL
    for (size_t j = 0; j < 2 * N; j++) {
        limb v = t[j];
        t[j] = (v << 1) | top;
        top = v >> 63;
    }
    dlimb c = 0;
    UNROLL
    for (size_t i = 0; i < N; i++) {
        dlimb sq = (dlimb)a[i] * a[i];
        c += (dlimb)t[2 * i] + (limb)sq;
        t[2 * i] = (limb)c;
        c >>= 64;
        c += (dlimb)t[2 * i + 1] + (limb)(sq >> 64);
        t[2 * i + 1] = (limb)c;
        c >>= 64;
    }
}

/* r = t R^-1 mod p for a 2N-limb t < p R (separated operand scanning): N steps each adding
 * m p 2^(64 i) with m = t[i] (-p^-1) mod 2^64, which clears limb i; the carry out of limb
 * i + N goes into limb i + N + 1 at the next step. */
INLINE void redc_n(limb *r, limb *t, const limb *p, limb p0inv, size_t N)
{
    limb carry = 0;
    UNROLL
    for (size_t i = 0; i < N; i++) {
        limb m = t[i] * p0inv;
        dlimb c = 0;
        UNROLL
        for (size_t j = 0; j < N; j++) {
            c += (dlimb)m * p[j] + t[i + j];
            t[i + j] = (limb)c;
            c >>= 64;
        }
        c += (dlimb)t[i + N] + carry;
        t[i + N] = (limb)c;
        carry = (limb)(c >> 64);
    }
    reduce_once(r, t + N, carry, p, N);
}

/* P-521 (p = 2^521 - 1, R = 2^576): -p^-1 mod 2^64 = 1, so m = t[i], and m p = m 2^521 - m:
 * subtracting m clears limb i exactly, and m 2^521 2^(64 i) is m shifted left by 9 bits at
 * limb i + 8. Montgomery reduction without a multiplication. */
static inline void redc_p521(limb *r, limb *t)
{
    limb carry = 0;
    UNROLL
    for (size_t i = 0; i < 9; i++) {
        limb m = t[i];
        dlimb c = (dlimb)t[i + 8] + (m << 9);
        t[i + 8] = (limb)c;
        c = (dlimb)t[i + 9] + (m >> 55) + (limb)(c >> 64) + carry;
        t[i + 9] = (limb)c;
        carry = (limb)(c >> 64);
    }
    reduce_once(r, t + 9, carry, ecp_p521_p, 9);
}

static void mont_mul_6(limb *r, const limb *a, const limb *b)
{
    limb t[12];
    mul_wide_n(t, a, b, 6);
    redc_n(r, t, ecp_p384_p, ECP_P384_P0INV, 6);
}

static void mont_sqr_6(limb *r, const limb *a)
{
    limb t[12];
    sqr_wide_n(t, a, 6);
    redc_n(r, t, ecp_p384_p, ECP_P384_P0INV, 6);
}

static void mont_mul_9(limb *r, const limb *a, const limb *b)
{
    limb t[18];
    mul_wide_n(t, a, b, 9);
    redc_p521(r, t);
}

/* The field of the curve with N limbs (N identifies the curve). */
INLINE const limb *field_p(size_t N)
{
    return N == 4 ? ecp_p256_p : N == 6 ? ecp_p384_p : ecp_p521_p;
}

INLINE void f_mul(limb *r, const limb *a, const limb *b, size_t N)
{
    if (N == 4) {
        p256_mul(r, a, b);
    } else if (N == 6) {
        mont_mul_6(r, a, b);
    } else {
        mont_mul_9(r, a, b);
    }
}

INLINE void f_sqr(limb *r, const limb *a, size_t N)
{
    if (N == 4) {
        p256_sqr(r, a);
    } else if (N == 6) {
        mont_sqr_6(r, a);
    } else {
        /* the triangular square of 9 limbs spills registers and runs slower than the
         * product with gcc 12: square by multiplying */
        mont_mul_9(r, a, a);
    }
}

INLINE void f_add(limb *r, const limb *a, const limb *b, size_t N)
{
    add_n(r, a, b, field_p(N), N);
}

INLINE void f_sub(limb *r, const limb *a, const limb *b, size_t N)
{
    sub_n(r, a, b, field_p(N), N);
}

INLINE void f_copy(limb *r, const limb *a, size_t N)
{
    UNROLL
    for (size_t i = 0; i < N; i++) {
        r[i] = a[i];
    }
}

/* r = r if mask == 0, b if mask is all ones. */
INLINE void f_cmov(limb *r, const limb *b, limb mask, size_t N)
{
    UNROLL
    for (size_t i = 0; i < N; i++) {
        r[i] = (r[i] & ~mask) | (b[i] & mask);
    }
}

/* Non-inlined entry points for the code outside the hot loops. */
static void fe_mul(const struct curve *c, limb *r, const limb *a, const limb *b);

#define DISPATCH(c, call)                                                                   \
    switch ((c)->limbs) {                                                                  \
    case 4: {                                                                              \
        const size_t N = 4;                                                                \
        call;                                                                              \
    } break;                                                                               \
    case 6: {                                                                              \
        const size_t N = 6;                                                                \
        call;                                                                              \
    } break;                                                                               \
    default: {                                                                             \
        const size_t N = 9;                                                                \
        call;                                                                              \
    } break;                                                                               \
    }

static void fe_mul(const struct curve *c, limb *r, const limb *a, const limb *b)
{
    DISPATCH(c, f_mul(r, a, b, N))
}

static void fe_add(const struct curve *c, limb *r, const limb *a, const limb *b)
{
    DISPATCH(c, f_add(r, a, b, N))
}

static void fe_sub(const struct curve *c, limb *r, const limb *a, const limb *b)
{
    DISPATCH(c, f_sub(r, a, b, N))
}

static void fe_copy(const struct curve *c, limb *r, const limb *a)
{
    for (size_t i = 0; i < c->limbs; i++) {
        r[i] = a[i];
    }
}

static void fe_cmov(const struct curve *c, limb *r, const limb *b, limb mask)
{
    for (size_t i = 0; i < c->limbs; i++) {
        r[i] = (r[i] & ~mask) | (b[i] & mask);
    }
}

/* All ones if a == 0 (as an integer below p), else 0. */
static limb fe_is_zero(const struct curve *c, const limb *a)
{
    limb acc = 0;
    for (size_t i = 0; i < c->limbs; i++) {
        acc |= a[i];
    }
    return ct_eq(acc, 0);
}

/* Big-endian bytes[c->bytes] -> limbs (plain integer, not Montgomery). */
static void limbs_from_bytes(const struct curve *c, limb *r, const uint8_t *in)
{
    for (size_t i = 0; i < MAXL; i++) {
        r[i] = 0;
    }
    for (size_t i = 0; i < c->bytes; i++) {
        size_t pos = c->bytes - 1 - i; /* byte significance */
        r[pos / 8] |= (limb)in[i] << (8 * (pos % 8));
    }
}

static void limbs_to_bytes(const struct curve *c, uint8_t *out, const limb *a)
{
    for (size_t i = 0; i < c->bytes; i++) {
        size_t pos = c->bytes - 1 - i;
        out[i] = (uint8_t)(a[pos / 8] >> (8 * (pos % 8)));
    }
}

/* a < m as integers of c->limbs limbs. Variable time: for public values only. */
static int lt_public(const struct curve *c, const limb *a, const limb *m)
{
    for (size_t i = c->limbs; i-- > 0;) {
        if (a[i] != m[i]) {
            return a[i] < m[i];
        }
    }
    return 0;
}

static void to_mont(const struct curve *c, limb *r, const limb *a)
{
    fe_mul(c, r, a, c->rr);
}

static void from_mont(const struct curve *c, limb *r, const limb *a)
{
    fe one = {1};
    fe_mul(c, r, a, one);
}

/* ----- inversion modulo p or n: safegcd, constant time ------------------------------------- */

/* Bernstein and Yang, "Fast constant-time gcd computation and modular inversion" (TCHES
 * 2019), as libsecp256k1's modinv64 arranges it: the divstep
 *   (delta, f, g) -> (1 - delta, g, (g - f) / 2)         if delta > 0 and g is odd,
 *                    (1 + delta, f, (g + (g mod 2) f) / 2) otherwise,
 * from (1, M, x) drives g to 0 and f to +-gcd(M, x) = +-1 within floor((49 d + 57) / 17)
 * steps for d-bit inputs (their theorem 11.2: 741 for 256 bits, 1110 for 384, 1505 for
 * 521), whatever x. The steps run in batches of 62 on the low 64 bits of f and g alone,
 * each batch giving a 2x2 matrix T (scaled by 2^62) that is then applied to the full f, g
 * and to d, e, the coefficients with d x = f, e x = g (mod M); at the end d = +-x^-1.
 * A fixed number of batches per modulus, every step computed with masks: nothing depends
 * on x but the values. x = 0 gives 0, as Fermat's x^(M-2) would.
 *
 * Numbers are in signed base 2^62: limbs 0 .. S-2 in [0, 2^62), the top limb a signed
 * 64-bit value; d and e stay in (-2M, M) (the corrections of update_de). Right shifts of
 * negative values are arithmetic, as with gcc (and every compiler with __int128). */
#define S62 9u                   /* limbs of the largest modulus, 521 bits */
#define M62 (UINT64_MAX >> 2)    /* 2^62 - 1 */
typedef __int128 sdlimb;

struct inv_mod {
    size_t limbs;   /* S: 5, 7 or 9 */
    size_t batches; /* ceil(floor((49 d + 57) / 17) / 62) */
    uint64_t inv62; /* M^-1 mod 2^62 */
    int64_t m[S62]; /* M */
};

/* p and n of the three curves (computed with Python integers; a wrong constant breaks
 * every result, which the tests compare with Python's). */
static const struct inv_mod inv_p[3] = {
    {5, 12, 0x3fffffffffffffffu,
     {0x3fffffffffffffff, 0x00000003ffffffff, 0x0000000000000000, 0x3fffffc000000040,
      0x00000000000000ff}},
    {7, 18, 0x3ffffffeffffffffu,
     {0x00000000ffffffff, 0x3ffffffc00000000, 0x3fffffffffffffef, 0x3fffffffffffffff,
      0x3fffffffffffffff, 0x3fffffffffffffff, 0x0000000000000fff}},
    {9, 25, 0x3fffffffffffffffu,
     {0x3fffffffffffffff, 0x3fffffffffffffff, 0x3fffffffffffffff, 0x3fffffffffffffff,
      0x3fffffffffffffff, 0x3fffffffffffffff, 0x3fffffffffffffff, 0x3fffffffffffffff,
      0x0000000001ffffff}},
};
static const struct inv_mod inv_n[3] = {
    {5, 12, 0x332e375511ff43b1u,
     {0x33b9cac2fc632551, 0x339beab69c5e7a13, 0x3ffffffffffffffb, 0x3fffffc00000003f,
      0x00000000000000ff}},
    {7, 18, 0x112b9f76177023bbu,
     {0x2cec196accc52973, 0x206836c922c29deb, 0x3634d81f4372ddf5, 0x3ffffffffffffff1,
      0x3fffffffffffffff, 0x3fffffffffffffff, 0x0000000000000fff}},
    {9, 25, 0x22d0a33286566a39u,
     {0x3b6fb71e91386409, 0x2ed726e226711eba, 0x3cc0148f709a5d03, 0x21a1e0efcbe59adf,
      0x3ffffffffffffa51, 0x3fffffffffffffff, 0x3fffffffffffffff, 0x3fffffffffffffff,
      0x0000000001ffffff}},
};

/* All ones if v < 0, else 0 (v's sign bit spread; no arithmetic shift of a signed value). */
static inline uint64_t sign_mask(int64_t v)
{
    return 0 - ((uint64_t)v >> 63);
}

/* 62 divsteps on the low bits f0, g0 of f and g (f odd); returns the new delta and writes
 * T = [u v; q r] with u f0 + v g0 = 2^62 f', q f0 + r g0 = 2^62 g'. Branch-free: c1 is
 * "delta > 0", c2 "g odd"; g gains -f or f when odd, then f takes the old g and delta
 * flips when both hold; g halves while u and v double, so that the scale stays 2^i. */
static int64_t divsteps_62(int64_t delta, uint64_t f, uint64_t g, int64_t t[4])
{
    uint64_t u = 1, v = 0, q = 0, r = 1;
    for (int i = 0; i < 62; i++) {
        uint64_t c1 = sign_mask(-delta);
        uint64_t c2 = 0 - (g & 1);
        uint64_t x = (f ^ c1) - c1, y = (u ^ c1) - c1, z = (v ^ c1) - c1;
        g += x & c2;
        q += y & c2;
        r += z & c2;
        uint64_t m = c1 & c2;
        delta = (int64_t)((((uint64_t)delta ^ m) - m) + 1);
        f += g & m;
        u += q & m;
        v += r & m;
        g >>= 1;
        u <<= 1;
        v <<= 1;
    }
    t[0] = (int64_t)u;
    t[1] = (int64_t)v;
    t[2] = (int64_t)q;
    t[3] = (int64_t)r;
    return delta;
}

/* (f, g) = T (f, g) / 2^62, exactly (the low 62 bits of the products cancel). */
INLINE void update_fg(int64_t *f, int64_t *g, const int64_t t[4], size_t S)
{
    const int64_t u = t[0], v = t[1], q = t[2], r = t[3];
    sdlimb cf = (sdlimb)u * f[0] + (sdlimb)v * g[0];
    sdlimb cg = (sdlimb)q * f[0] + (sdlimb)r * g[0];
    cf >>= 62;
    cg >>= 62;
    UNROLL
    for (size_t i = 1; i < S; i++) {
        cf += (sdlimb)u * f[i] + (sdlimb)v * g[i];
        cg += (sdlimb)q * f[i] + (sdlimb)r * g[i];
        f[i - 1] = (int64_t)((uint64_t)cf & M62);
        g[i - 1] = (int64_t)((uint64_t)cg & M62);
        cf >>= 62;
        cg >>= 62;
    }
    f[S - 1] = (int64_t)cf;
    g[S - 1] = (int64_t)cg;
}

/* (d, e) = (T (d, e) + M (md, me)) / 2^62, i.e. T (d, e) / 2^62 mod M: md and me make the
 * low 62 bits vanish (with M^-1 mod 2^62); adding u and q when d < 0, v and r when e < 0
 * first keeps the results in (-2M, M). */
INLINE void update_de(int64_t *d, int64_t *e, const int64_t t[4], const struct inv_mod *im,
                      size_t S)
{
    const int64_t u = t[0], v = t[1], q = t[2], r = t[3];
    const uint64_t sd = sign_mask(d[S - 1]), se = sign_mask(e[S - 1]);
    uint64_t md = ((uint64_t)u & sd) + ((uint64_t)v & se);
    uint64_t me = ((uint64_t)q & sd) + ((uint64_t)r & se);
    sdlimb cd = (sdlimb)u * d[0] + (sdlimb)v * e[0];
    sdlimb ce = (sdlimb)q * d[0] + (sdlimb)r * e[0];
    md -= (im->inv62 * (uint64_t)cd + md) & M62;
    me -= (im->inv62 * (uint64_t)ce + me) & M62;
    cd += (sdlimb)im->m[0] * (int64_t)md;
    ce += (sdlimb)im->m[0] * (int64_t)me;
    cd >>= 62;
    ce >>= 62;
    UNROLL
    for (size_t i = 1; i < S; i++) {
        cd += (sdlimb)u * d[i] + (sdlimb)v * e[i] + (sdlimb)im->m[i] * (int64_t)md;
        ce += (sdlimb)q * d[i] + (sdlimb)r * e[i] + (sdlimb)im->m[i] * (int64_t)me;
        d[i - 1] = (int64_t)((uint64_t)cd & M62);
        e[i - 1] = (int64_t)((uint64_t)ce & M62);
        cd >>= 62;
        ce >>= 62;
    }
    d[S - 1] = (int64_t)cd;
    e[S - 1] = (int64_t)ce;
}

/* Carry the limbs of r into base-2^62 form (top limb signed). */
INLINE void carry_s62(int64_t *r, size_t S)
{
    UNROLL
    for (size_t i = 0; i + 1 < S; i++) {
        r[i + 1] += r[i] >> 62;
        r[i] = (int64_t)((uint64_t)r[i] & M62);
    }
}

/* r in (-2M, M) -> r (negated if sign < 0) mod M in [0, M), with masked additions of M. */
INLINE void normalize_s62(int64_t *r, int64_t sign, const struct inv_mod *im, size_t S)
{
    uint64_t add = sign_mask(r[S - 1]);
    UNROLL
    for (size_t i = 0; i < S; i++) {
        r[i] += (int64_t)((uint64_t)im->m[i] & add);
    }
    const uint64_t neg = sign_mask(sign);
    UNROLL
    for (size_t i = 0; i < S; i++) {
        r[i] = (int64_t)(((uint64_t)r[i] ^ neg) - neg);
    }
    carry_s62(r, S);
    add = sign_mask(r[S - 1]);
    UNROLL
    for (size_t i = 0; i < S; i++) {
        r[i] += (int64_t)((uint64_t)im->m[i] & add);
    }
    carry_s62(r, S);
}

/* x = x^-1 mod M (0 for x = 0), x < M in base 2^62. */
INLINE void modinv_s(int64_t *x, const struct inv_mod *im, size_t S)
{
    int64_t d[S62] = {0}, e[S62] = {0}, f[S62], g[S62], t[4];
    e[0] = 1;
    for (size_t i = 0; i < S; i++) {
        f[i] = im->m[i];
        g[i] = x[i];
    }
    int64_t delta = 1;
    for (size_t b = 0; b < im->batches; b++) {
        delta = divsteps_62(delta, (uint64_t)f[0], (uint64_t)g[0], t);
        update_de(d, e, t, im, S);
        update_fg(f, g, t, S);
    }
    /* g = 0 and f = +-1 (f = M, d = 0 for x = 0): d is +-x^-1. */
    normalize_s62(d, f[S - 1], im, S);
    for (size_t i = 0; i < S; i++) {
        x[i] = d[i];
    }
    wipe(d, sizeof d);
    wipe(e, sizeof e);
    wipe(f, sizeof f);
    wipe(g, sizeof g);
    wipe(t, sizeof t);
}

static void modinv(int64_t *x, const struct inv_mod *im)
{
    switch (im->limbs) {
    case 5:
        modinv_s(x, im, 5);
        break;
    case 7:
        modinv_s(x, im, 7);
        break;
    default:
        modinv_s(x, im, 9);
        break;
    }
}

/* r = a^-1 mod M for a < M of the curve's limbs (0 for a = 0), through base 2^62. */
static void inv_limbs(const struct curve *c, const struct inv_mod *im, limb *r, const limb *a)
{
    int64_t s[S62];
    for (size_t i = 0; i < im->limbs; i++) { /* bit positions are public */
        size_t bit = 62 * i, w = bit / 64, sh = bit % 64;
        limb v = a[w] >> sh;
        if (sh > 2 && w + 1 < c->limbs) {
            v |= a[w + 1] << (64 - sh);
        }
        s[i] = (int64_t)(v & M62);
    }
    modinv(s, im);
    for (size_t w = 0; w < c->limbs; w++) {
        r[w] = 0;
    }
    for (size_t i = 0; i < im->limbs; i++) {
        size_t bit = 62 * i, w = bit / 64, sh = bit % 64;
        limb v = (limb)s[i];
        r[w] |= v << sh;
        if (sh > 2 && w + 1 < c->limbs) {
            r[w + 1] |= v >> (64 - sh);
        }
    }
    wipe(s, sizeof s);
}

/* r = a^-1 in GF(p), both in Montgomery form (0 for a = 0): x = a R^-1 out of Montgomery
 * form, inverted, and back. */
static void fe_inv(const struct curve *c, limb *r, const limb *a)
{
    fe x;
    from_mont(c, x, a);
    inv_limbs(c, &inv_p[c - curves], x, x);
    to_mont(c, r, x);
    wipe(x, sizeof x);
}

/* ----- points (Renes-Costello-Batina 2016, a = -3) --------------------------------------- */

/* The curve constant b R of the curve with N limbs. */
INLINE const limb *curve_b(size_t N)
{
    return N == 4 ? ecp_p256_b : N == 6 ? ecp_p384_b : ecp_p521_b;
}

/* Algorithm 4: r = p + q (complete). r may alias p or q. */
INLINE void point_add_n(point *r, const point *p, const point *q, size_t N)
{
    const limb *b = curve_b(N);
    fe t0, t1, t2, t3, t4, x3, y3, z3;
    f_mul(t0, p->x, q->x, N); /* 1 */
    f_mul(t1, p->y, q->y, N); /* 2 */
    f_mul(t2, p->z, q->z, N); /* 3 */
    f_add(t3, p->x, p->y, N); /* 4 */
    f_add(t4, q->x, q->y, N); /* 5 */
    f_mul(t3, t3, t4, N);     /* 6 */
    f_add(t4, t0, t1, N);     /* 7 */
    f_sub(t3, t3, t4, N);     /* 8 */
    f_add(t4, p->y, p->z, N); /* 9 */
    f_add(x3, q->y, q->z, N); /* 10 */
    f_mul(t4, t4, x3, N);     /* 11 */
    f_add(x3, t1, t2, N);     /* 12 */
    f_sub(t4, t4, x3, N);     /* 13 */
    f_add(x3, p->x, p->z, N); /* 14 */
    f_add(y3, q->x, q->z, N); /* 15 */
    f_mul(x3, x3, y3, N);     /* 16 */
    f_add(y3, t0, t2, N);     /* 17 */
    f_sub(y3, x3, y3, N);     /* 18 */
    f_mul(z3, b, t2, N);      /* 19 */
    f_sub(x3, y3, z3, N);     /* 20 */
    f_add(z3, x3, x3, N);     /* 21 */
    f_add(x3, x3, z3, N);     /* 22 */
    f_sub(z3, t1, x3, N);     /* 23 */
    f_add(x3, t1, x3, N);     /* 24 */
    f_mul(y3, b, y3, N);      /* 25 */
    f_add(t1, t2, t2, N);     /* 26 */
    f_add(t2, t1, t2, N);     /* 27 */
    f_sub(y3, y3, t2, N);     /* 28 */
    f_sub(y3, y3, t0, N);     /* 29 */
    f_add(t1, y3, y3, N);     /* 30 */
    f_add(y3, t1, y3, N);     /* 31 */
    f_add(t1, t0, t0, N);     /* 32 */
    f_add(t0, t1, t0, N);     /* 33 */
    f_sub(t0, t0, t2, N);     /* 34 */
    f_mul(t1, t4, y3, N);     /* 35 */
    f_mul(t2, t0, y3, N);     /* 36 */
    f_mul(y3, x3, z3, N);     /* 37 */
    f_add(y3, y3, t2, N);     /* 38 */
    f_mul(x3, t3, x3, N);     /* 39 */
    f_sub(x3, x3, t1, N);     /* 40 */
    f_mul(z3, t4, z3, N);     /* 41 */
    f_mul(t1, t3, t0, N);     /* 42 */
    f_add(z3, z3, t1, N);     /* 43 */
    f_copy(r->x, x3, N);
    f_copy(r->y, y3, N);
    f_copy(r->z, z3, N);
}

/* Algorithm 5: r = p + (x2, y2), the second point affine and on the curve (never the point
 * at infinity); complete in p. r may alias p. */
INLINE void point_add_affine_n(point *r, const point *p, const limb *x2, const limb *y2,
                               size_t N)
{
    const limb *b = curve_b(N);
    fe t0, t1, t2, t3, t4, x3, y3, z3;
    f_mul(t0, p->x, x2, N);   /* 1 */
    f_mul(t1, p->y, y2, N);   /* 2 */
    f_add(t3, x2, y2, N);     /* 3 */
    f_add(t4, p->x, p->y, N); /* 4 */
    f_mul(t3, t3, t4, N);     /* 5 */
    f_add(t4, t0, t1, N);     /* 6 */
    f_sub(t3, t3, t4, N);     /* 7 */
    f_mul(t4, y2, p->z, N);   /* 8 */
    f_add(t4, t4, p->y, N);   /* 9 */
    f_mul(y3, x2, p->z, N);   /* 10 */
    f_add(y3, y3, p->x, N);   /* 11 */
    f_mul(z3, b, p->z, N);    /* 12 */
    f_sub(x3, y3, z3, N);     /* 13 */
    f_add(z3, x3, x3, N);     /* 14 */
    f_add(x3, x3, z3, N);     /* 15 */
    f_sub(z3, t1, x3, N);     /* 16 */
    f_add(x3, t1, x3, N);     /* 17 */
    f_mul(y3, b, y3, N);      /* 18 */
    f_add(t1, p->z, p->z, N); /* 19 */
    f_add(t2, t1, p->z, N);   /* 20 */
    f_sub(y3, y3, t2, N);     /* 21 */
    f_sub(y3, y3, t0, N);     /* 22 */
    f_add(t1, y3, y3, N);     /* 23 */
    f_add(y3, t1, y3, N);     /* 24 */
    f_add(t1, t0, t0, N);     /* 25 */
    f_add(t0, t1, t0, N);     /* 26 */
    f_sub(t0, t0, t2, N);     /* 27 */
    f_mul(t1, t4, y3, N);     /* 28 */
    f_mul(t2, t0, y3, N);     /* 29 */
    f_mul(y3, x3, z3, N);     /* 30 */
    f_add(y3, y3, t2, N);     /* 31 */
    f_mul(x3, t3, x3, N);     /* 32 */
    f_sub(x3, x3, t1, N);     /* 33 */
    f_mul(z3, t4, z3, N);     /* 34 */
    f_mul(t1, t3, t0, N);     /* 35 */
    f_add(z3, z3, t1, N);     /* 36 */
    f_copy(r->x, x3, N);
    f_copy(r->y, y3, N);
    f_copy(r->z, z3, N);
}

/* Algorithm 6: r = 2 p (complete). r may alias p. */
INLINE void point_double_n(point *r, const point *p, size_t N)
{
    const limb *b = curve_b(N);
    fe t0, t1, t2, t3, x3, y3, z3;
    f_sqr(t0, p->x, N);       /* 1 */
    f_sqr(t1, p->y, N);       /* 2 */
    f_sqr(t2, p->z, N);       /* 3 */
    f_mul(t3, p->x, p->y, N); /* 4 */
    f_add(t3, t3, t3, N);     /* 5 */
    f_mul(z3, p->x, p->z, N); /* 6 */
    f_add(z3, z3, z3, N);     /* 7 */
    f_mul(y3, b, t2, N);      /* 8 */
    f_sub(y3, y3, z3, N);     /* 9 */
    f_add(x3, y3, y3, N);     /* 10 */
    f_add(y3, x3, y3, N);     /* 11 */
    f_sub(x3, t1, y3, N);     /* 12 */
    f_add(y3, t1, y3, N);     /* 13 */
    f_mul(y3, x3, y3, N);     /* 14 */
    f_mul(x3, x3, t3, N);     /* 15 */
    f_add(t3, t2, t2, N);     /* 16 */
    f_add(t2, t2, t3, N);     /* 17 */
    f_mul(z3, b, z3, N);      /* 18 */
    f_sub(z3, z3, t2, N);     /* 19 */
    f_sub(z3, z3, t0, N);     /* 20 */
    f_add(t3, z3, z3, N);     /* 21 */
    f_add(z3, z3, t3, N);     /* 22 */
    f_add(t3, t0, t0, N);     /* 23 */
    f_add(t0, t3, t0, N);     /* 24 */
    f_sub(t0, t0, t2, N);     /* 25 */
    f_mul(t0, t0, z3, N);     /* 26 */
    f_add(y3, y3, t0, N);     /* 27 */
    f_mul(t0, p->y, p->z, N); /* 28 */
    f_add(t0, t0, t0, N);     /* 29 */
    f_mul(z3, t0, z3, N);     /* 30 */
    f_sub(x3, x3, z3, N);     /* 31 */
    f_mul(z3, t0, t1, N);     /* 32 */
    f_add(z3, z3, z3, N);     /* 33 */
    f_add(z3, z3, z3, N);     /* 34 */
    f_copy(r->x, x3, N);
    f_copy(r->y, y3, N);
    f_copy(r->z, z3, N);
}


static void point_add(const struct curve *c, point *r, const point *p, const point *q)
{
    DISPATCH(c, point_add_n(r, p, q, N))
}

static void point_add_affine(const struct curve *c, point *r, const point *p, const limb *x2,
                             const limb *y2)
{
    DISPATCH(c, point_add_affine_n(r, p, x2, y2, N))
}

static void point_double(const struct curve *c, point *r, const point *p)
{
    DISPATCH(c, point_double_n(r, p, N))
}

static void point_set_infinity(const struct curve *c, point *r)
{
    memset(r, 0, sizeof *r);
    fe_copy(c, r->y, c->one);
}

static void point_cmov(const struct curve *c, point *r, const point *q, limb mask)
{
    fe_cmov(c, r->x, q->x, mask);
    fe_cmov(c, r->y, q->y, mask);
    fe_cmov(c, r->z, q->z, mask);
}

/* ----- encodings ----------------------------------------------------------------------- */

/* SEC 1 2.3.4 (uncompressed only) and 3.2.2.1: 0x04 || X || Y with x, y < p on the curve.
 * Writes (x R, y R, R). The point is public: ordinary branches. */
static int decode_point(const struct curve *c, point *r, const uint8_t *in)
{
    fe x, y, lhs, rhs, t;
    if (in[0] != 0x04) {
        return -1;
    }
    limbs_from_bytes(c, x, in + 1);
    limbs_from_bytes(c, y, in + 1 + c->bytes);
    if (!lt_public(c, x, c->p) || !lt_public(c, y, c->p)) {
        return -1;
    }
    to_mont(c, x, x);
    to_mont(c, y, y);
    fe_mul(c, lhs, y, y);      /* y^2 */
    fe_mul(c, rhs, x, x);      /* x^2 */
    fe_mul(c, rhs, rhs, x);    /* x^3 */
    fe_add(c, t, x, x);
    fe_add(c, t, t, x);        /* 3x */
    fe_sub(c, rhs, rhs, t);
    fe_add(c, rhs, rhs, c->b); /* x^3 - 3x + b */
    if (memcmp(lhs, rhs, c->limbs * sizeof(limb)) != 0) {
        return -1;
    }
    fe_copy(c, r->x, x);
    fe_copy(c, r->y, y);
    fe_copy(c, r->z, c->one);
    return 0;
}

/* out = 0x04 || x || y of r (zeros for the point at infinity); returns all ones for the
 * point at infinity, else 0, computed without a branch. */
static limb encode_point(const struct curve *c, uint8_t *out, const point *r)
{
    fe zinv, x, y;
    limb infinity = fe_is_zero(c, r->z);
    fe_inv(c, zinv, r->z); /* 0 for Z = 0: x and y come out 0 */
    fe_mul(c, x, r->x, zinv);
    fe_mul(c, y, r->y, zinv);
    from_mont(c, x, x);
    from_mont(c, y, y);
    out[0] = 0x04;
    limbs_to_bytes(c, out + 1, x);
    limbs_to_bytes(c, out + 1 + c->bytes, y);
    wipe(zinv, sizeof zinv);
    wipe(x, sizeof x);
    wipe(y, sizeof y);
    return infinity;
}

/* ----- scalars ------------------------------------------------------------------------- */

/* k (limbs + 1 limbs, the top one 0) = the c->bytes-byte integer in, reduced modulo n by
 * conditional subtractions of n 2^i, i = 8 bytes - bits(n) .. 0 (k < 2^(i + 1) n before
 * step i). */
static void scalar_reduce(const struct curve *c, limb *k, const uint8_t *in)
{
    size_t N = c->limbs;
    limbs_from_bytes(c, k, in);
    k[N] = 0;
    for (size_t i = 8 * c->bytes - c->order_bits + 1; i-- > 0;) {
        limb m[MAXL], u[MAXL];
        /* m = n << i (public) */
        for (size_t j = 0; j < N; j++) {
            m[j] = c->n[j] << i;
            if (i != 0 && j != 0) {
                m[j] |= c->n[j - 1] >> (64 - i);
            }
        }
        limb borrow = 0;
        for (size_t j = 0; j < N; j++) {
            dlimb d = (dlimb)k[j] - m[j] - borrow;
            u[j] = (limb)d;
            borrow = (limb)(d >> 64) & 1;
        }
        limb keep = 0 - borrow; /* k < m: keep k */
        for (size_t j = 0; j < N; j++) {
            k[j] = (k[j] & keep) | (u[j] & ~keep);
        }
        wipe(u, sizeof u);
    }
}

/* The ECP_WINDOW bits of k at bit position pos (k has `limbs` limbs; 0 beyond). The
 * position is public. */
static limb window_at(const limb *k, size_t limbs, size_t pos)
{
    size_t i = pos / 64, s = pos % 64;
    limb v = i < limbs ? k[i] >> s : 0;
    if (s > 64 - ECP_WINDOW && i + 1 < limbs) {
        v |= k[i + 1] << (64 - s);
    }
    return v & ((1u << ECP_WINDOW) - 1);
}

/* Signed digits: k = sum (-1)^neg[i] mag[i] 2^(5 i), mag[i] in 0..16, for count digits.
 * The carry (window value + carry > 16) is computed with arithmetic. */
static void recode(const struct curve *c, uint8_t *mag, uint8_t *neg, const limb *k,
                   size_t count)
{
    limb carry = 0;
    for (size_t i = 0; i < count; i++) {
        limb d = window_at(k, c->limbs, ECP_WINDOW * i) + carry; /* 0 .. 32 */
        carry = ((limb)(ENTRIES)-d) >> 63;                      /* d > 16 */
        d -= carry << ECP_WINDOW;                                /* -15 .. 16, two's compl. */
        limb sign = d >> 63;
        mag[i] = (uint8_t)((d ^ (0 - sign)) + sign);
        neg[i] = (uint8_t)sign;
    }
}

/* r = table[mag - 1], negated if neg, or the point at infinity for mag = 0; every entry is
 * read and the wanted one kept by a mask. */
static void select_point(const struct curve *c, point *r, const point *table, limb mag,
                         limb neg)
{
    size_t N = c->limbs;
    memset(r, 0, sizeof *r);
    for (size_t j = 0; j < ENTRIES; j++) {
        limb m = ct_eq(j + 1, mag);
        for (size_t i = 0; i < N; i++) {
            r->x[i] |= table[j].x[i] & m;
            r->y[i] |= table[j].y[i] & m;
            r->z[i] |= table[j].z[i] & m;
        }
    }
    limb zero = ct_eq(mag, 0);
    for (size_t i = 0; i < N; i++) {
        r->y[i] |= c->one[i] & zero;
    }
    fe ny;
    fe zero_fe = {0};
    fe_sub(c, ny, zero_fe, r->y);
    fe_cmov(c, r->y, ny, 0 - neg);
}

/* (x, y) = comb entry mag of table t, negated if neg; (0, 0) for mag = 0. */
static void select_affine(const struct curve *c, limb *x, limb *y, const limb *table, limb mag,
                          limb neg)
{
    size_t N = c->limbs;
    for (size_t i = 0; i < N; i++) {
        x[i] = 0;
        y[i] = 0;
    }
    for (size_t j = 0; j < ENTRIES; j++) {
        limb m = ct_eq(j + 1, mag);
        const limb *e = table + 2 * N * j;
        for (size_t i = 0; i < N; i++) {
            x[i] |= e[i] & m;
            y[i] |= e[N + i] & m;
        }
    }
    fe ny;
    fe zero_fe = {0};
    fe_sub(c, ny, zero_fe, y);
    fe_cmov(c, y, ny, 0 - neg);
}

/* r = k G over the comb (k reduced, limbs + 1 limbs). Constant time in k. */
static void comb_mul(const struct curve *c, point *r, const limb *k)
{
    uint8_t mag[MAXDIGITS], neg[MAXDIGITS];
    size_t S = c->comb_spacing, T = c->comb_tables;
    point sum;
    fe qx, qy;
    recode(c, mag, neg, k, S * T);
    point_set_infinity(c, r);
    for (size_t u = S; u-- > 0;) {
        if (u != S - 1) {
            for (size_t d = 0; d < ECP_WINDOW; d++) {
                point_double(c, r, r);
            }
        }
        for (size_t t = 0; t < T; t++) {
            size_t i = S * t + u;
            select_affine(c, qx, qy, c->comb + t * ENTRIES * 2 * c->limbs, mag[i], neg[i]);
            point_add_affine(c, &sum, r, qx, qy);
            /* digit 0: the affine placeholder is not the point at infinity; drop the sum */
            point_cmov(c, r, &sum, ~ct_eq(mag[i], 0));
        }
    }
    wipe(mag, sizeof mag);
    wipe(neg, sizeof neg);
    wipe(&sum, sizeof sum);
    wipe(qx, sizeof qx);
    wipe(qy, sizeof qy);
}

static const struct curve *curve_for(uint32_t id, size_t out_len, size_t scalar_len)
{
    if (id > NOCRYPTO_ECP_P521) {
        return NULL;
    }
    const struct curve *c = &curves[id];
    if (out_len != 1 + 2 * c->bytes || scalar_len != c->bytes) {
        return NULL;
    }
    return c;
}

int nocrypto_ecp_mul(uint32_t curve, uint8_t *out, size_t out_len, const uint8_t *scalar,
                     size_t scalar_len, const uint8_t *point_in, size_t point_len)
{
    const struct curve *c = curve_for(curve, out_len, scalar_len);
    if (c == NULL || point_len != 1 + 2 * c->bytes) {
        return -2;
    }
    point table[ENTRIES], r, q;
    if (decode_point(c, &table[0], point_in) != 0) {
        return -1;
    }
    /* table[j - 1] = j P: even j by doubling, odd j by adding P */
    for (size_t j = 2; j <= ENTRIES; j++) {
        if (j % 2 == 0) {
            point_double(c, &table[j - 1], &table[j / 2 - 1]);
        } else {
            point_add(c, &table[j - 1], &table[j - 2], &table[0]);
        }
    }
    limb k[MAXL + 1];
    uint8_t mag[MAXDIGITS], neg[MAXDIGITS];
    scalar_reduce(c, k, scalar);
    recode(c, mag, neg, k, c->digits);
    select_point(c, &r, table, mag[c->digits - 1], neg[c->digits - 1]);
    for (size_t i = c->digits - 1; i-- > 0;) {
        for (size_t d = 0; d < ECP_WINDOW; d++) {
            point_double(c, &r, &r);
        }
        select_point(c, &q, table, mag[i], neg[i]);
        point_add(c, &r, &r, &q);
    }
    limb infinity = encode_point(c, out, &r);
    wipe(k, sizeof k);
    wipe(mag, sizeof mag);
    wipe(neg, sizeof neg);
    wipe(&r, sizeof r);
    wipe(&q, sizeof q);
    return (int)(1 & ~infinity);
}

int nocrypto_ecp_mul_base(uint32_t curve, uint8_t *out, size_t out_len, const uint8_t *scalar,
                          size_t scalar_len)
{
    const struct curve *c = curve_for(curve, out_len, scalar_len);
    if (c == NULL) {
        return -2;
    }
    limb k[MAXL + 1];
    point r;
    scalar_reduce(c, k, scalar);
    comb_mul(c, &r, k);
    limb infinity = encode_point(c, out, &r);
    wipe(k, sizeof k);
    wipe(&r, sizeof r);
    return (int)(1 & ~infinity);
}

/* ----- ECDSA signing: the scalar field GF(n) ----------------------------------------------- */

/* Montgomery arithmetic modulo the group order n, with the field's R = 2^(64 L): the
 * constants -n^-1 mod 2^64 and R^2 mod n (ecp_tables.h has neither). Computed with Python
 * integers as (-pow(n, -1, 2**64)) % 2**64 and 2**(128 L) % n; the tests check every
 * signature against Python integers, so a wrong constant cannot pass unnoticed. */
static const limb order_rr_p256[4] = {
    0x83244c95be79eea2u, 0x4699799c49bd6fa6u, 0x2845b2392b6bec59u, 0x66e12d94f3d95620u,
};
static const limb order_rr_p384[6] = {
    0x2d319b2419b409a9u, 0xff3d81e5df1aa419u, 0xbc3e483afcb82947u,
    0xd40d49174aab1cc5u, 0x3fb05b7a28266895u, 0x0c84ee012b39bf21u,
};
static const limb order_rr_p521[9] = {
    0x137cd04dcf15dd04u, 0xf707badce5547ea3u, 0x12a78d38794573ffu,
    0xd3721ef557f75e06u, 0xdd6e23d82e49c7dbu, 0xcff3d142b7756e3eu,
    0x5bcc6d61a8e567bcu, 0x2d8e03d1492d0d45u, 0x000000000000003du,
};

/* The group order n of the curve with N limbs, -n^-1 mod 2^64 and R^2 mod n. */
INLINE const limb *order_n(size_t N)
{
    return N == 4 ? ecp_p256_n : N == 6 ? ecp_p384_n : ecp_p521_n;
}

INLINE limb order_n0inv(size_t N)
{
    return N == 4 ? 0xccd1c8aaee00bc4fu : N == 6 ? 0x6ed46089e88fdc45u : 0x1d2f5ccd79a995c7u;
}

INLINE const limb *order_rr(size_t N)
{
    return N == 4 ? order_rr_p256 : N == 6 ? order_rr_p384 : order_rr_p521;
}

/* r = a b R^-1 mod n for a, b < n. r may alias a or b. */
INLINE void sc_mul_n(limb *r, const limb *a, const limb *b, size_t N)
{
    limb t[2 * MAXL];
    mul_wide_n(t, a, b, N);
    redc_n(r, t, order_n(N), order_n0inv(N), N);
}

/* SEC 1 4.1.3 step 6: s = k^-1 (e + r d) mod n for k, d, e, r < n, with kinv = k^-1 (by
 * inv_limbs): d R (d times R^2, reduced), r d R R^-1 = r d, t = e + r d, kinv R, and
 * kinv R t R^-1 = s. Constant time: products and additions with masked subtractions. */
INLINE void ecdsa_s_n(limb *s, const limb *kinv, const limb *d, const limb *e, const limb *r,
                      size_t N)
{
    limb dm[MAXL], t[MAXL], km[MAXL];
    sc_mul_n(dm, d, order_rr(N), N);
    sc_mul_n(t, dm, r, N);
    add_n(t, e, t, order_n(N), N);
    sc_mul_n(km, kinv, order_rr(N), N);
    sc_mul_n(s, km, t, N);
    wipe(dm, sizeof dm);
    wipe(t, sizeof t);
    wipe(km, sizeof km);
}

int nocrypto_ecdsa_sign(uint32_t curve, uint8_t *sig, size_t sig_len, const uint8_t *d,
                        const uint8_t *k, const uint8_t *e, size_t scalar_len)
{
    if (curve > NOCRYPTO_ECP_P521) {
        return -2;
    }
    const struct curve *c = &curves[curve];
    if (sig_len != 2 * c->bytes || scalar_len != c->bytes) {
        return -2;
    }
    limb kk[MAXL + 1], dd[MAXL + 1], ee[MAXL + 1];
    fe zinv, x, r, s, kinv;
    point R;
    scalar_reduce(c, kk, k);
    scalar_reduce(c, dd, d);
    scalar_reduce(c, ee, e);
    /* Steps 1-3: R = k G; r = x_R mod n. x_R < p < 2n for all three curves, so one masked
     * subtraction of n reduces it. For k = 0 mod n, R is the point at infinity, Z = 0, and
     * the inversion's 0 makes x = 0 and r = 0. */
    comb_mul(c, &R, kk);
    fe_inv(c, zinv, R.z);
    fe_mul(c, x, R.x, zinv);
    from_mont(c, x, x);
    DISPATCH(c, reduce_once(r, x, 0, order_n(N), N))
    /* Step 6 (k^-1 = 0 for k = 0 mod n, whose r = 0 already refuses it). */
    inv_limbs(c, &inv_n[curve], kinv, kk);
    DISPATCH(c, ecdsa_s_n(s, kinv, dd, ee, r, N))
    /* r = 0 or s = 0: no signature from this k (steps 3 and 6 "go to step 1"); the outputs
     * are zeroed by a mask and the flag is the only thing the caller learns. */
    limb bad = fe_is_zero(c, r) | fe_is_zero(c, s);
    limbs_to_bytes(c, sig, r);
    limbs_to_bytes(c, sig + c->bytes, s);
    for (size_t i = 0; i < sig_len; i++) {
        sig[i] = (uint8_t)(sig[i] & ~bad);
    }
    wipe(kk, sizeof kk);
    wipe(dd, sizeof dd);
    wipe(ee, sizeof ee);
    wipe(zinv, sizeof zinv);
    wipe(x, sizeof x);
    wipe(kinv, sizeof kinv);
    wipe(&R, sizeof R);
    return (int)(1 & ~bad);
}

/* ----- verification: u1 G + u2 P, public inputs, variable time ------------------------- */

/* The width-5 NAF of k (limbs + 1 limbs, destroyed): odd digits in [-15, 15], least
 * significant first. Returns the number of digits. */
static size_t wnaf(const struct curve *c, int8_t *naf, limb *k)
{
    size_t N = c->limbs + 1, len = 0;
    for (;;) {
        limb any = 0;
        for (size_t i = 0; i < N; i++) {
            any |= k[i];
        }
        if (any == 0) {
            return len;
        }
        int d = 0;
        if (k[0] & 1) {
            d = (int)(k[0] & 31);
            if (d >= 16) {
                d -= 32;
            }
            /* k -= d */
            limb carry = 0;
            if (d > 0) {
                carry = (limb)d;
                for (size_t i = 0; i < N && carry; i++) {
                    limb old = k[i];
                    k[i] = old - carry;
                    carry = old < carry;
                }
            } else {
                carry = (limb)(-d);
                for (size_t i = 0; i < N && carry; i++) {
                    k[i] += carry;
                    carry = k[i] < carry;
                }
            }
        }
        naf[len++] = (int8_t)d;
        for (size_t i = 0; i < N; i++) {
            k[i] = (k[i] >> 1) | (i + 1 < N ? k[i + 1] << 63 : 0);
        }
    }
}

int nocrypto_ecp_mul_add(uint32_t curve, uint8_t *out, size_t out_len, const uint8_t *u1,
                         const uint8_t *u2, size_t scalar_len, const uint8_t *point_in,
                         size_t point_len)
{
    const struct curve *c = curve_for(curve, out_len, scalar_len);
    if (c == NULL || point_len != 1 + 2 * c->bytes) {
        return -2;
    }
    point odd[8], twice, r, g;
    if (decode_point(c, &odd[0], point_in) != 0) {
        return -1;
    }
    point_double(c, &twice, &odd[0]);
    for (size_t j = 1; j < 8; j++) {
        point_add(c, &odd[j], &odd[j - 1], &twice); /* (2j + 1) P */
    }
    limb k[MAXL + 1];
    int8_t naf[8 * MAXBYTES + 2];
    scalar_reduce(c, k, u2);
    size_t len = wnaf(c, naf, k);
    point_set_infinity(c, &r);
    for (size_t i = len; i-- > 0;) {
        point_double(c, &r, &r);
        int d = naf[i];
        if (d > 0) {
            point_add(c, &r, &r, &odd[d / 2]);
        } else if (d < 0) {
            point q = odd[-d / 2];
            fe zero_fe = {0};
            fe_sub(c, q.y, zero_fe, q.y);
            point_add(c, &r, &r, &q);
        }
    }
    scalar_reduce(c, k, u1);
    comb_mul(c, &g, k);
    point_add(c, &r, &r, &g);
    limb infinity = encode_point(c, out, &r);
    return (int)(1 & ~infinity);
}
