/*
 * Multi-precision modular arithmetic on 64-bit limbs. Twin: nocrypto/_ref/mp.py.
 *
 * - Montgomery multiplication (Montgomery, Math. Comp. 44, 1985), here in the Finely
 *   Integrated Product Scanning form of Koc, Acar and Kaliski (IEEE Micro 16(3), 1996):
 *   the columns of a*b and of m*n summed in a three-word accumulator, with a dedicated
 *   squaring; one final subtraction kept or dropped by mask. The twin states the same
 *   product in the CIOS form, limb by limb; both give a*b*R^-1 mod n, fully reduced.
 * - Montgomery setup in constant time: n0' = -n^-1 mod 2^64 by Newton iteration; R mod n
 *   and R^2 mod n by masked doublings and six Montgomery squarings (see mont_setup).
 * - Fixed-window exponentiation (HAC 14.82): the window width and the loop count come from
 *   the public exponent_bits only; each window's table entry is read by scanning every
 *   entry with masks.
 * - Modular inverse: binary extended Euclid with 2 * 64 * limbs masked iterations.
 *
 * Hardware paths (x86-64), chosen per call from public facts: products with BMI2's MULX
 * (when the CPU has BMI2 and nocrypto_cpu_features() allows AVX2, so that
 * nocrypto_cpu_restrict(0) selects the portable C), fully unrolled for 16 limbs (RSA-2048's
 * CRT halves) and 32; the table scan with AVX2 when the limb count is a multiple of 4. The
 * portable C computes the same values with the same (absence of) branches.
 *
 * "Secrets do not steer" (DESIGN.md, principle 8): every loop bound depends on the limb
 * count or on exponent_bits, both public; no branch and no memory index depends on the
 * value of an operand, the exponent or the modulus (the modulus is secret when it is an
 * RSA prime). Masks pass through value_barrier() so that the compiler cannot turn a masked
 * select back into a branch. Checked under valgrind memcheck with every input, the modulus
 * included, marked undefined, on both paths.
 */
#include "mp.h"

#include <string.h>

#include "cpu.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

__extension__ typedef unsigned __int128 u128;
typedef uint64_t limb;

#define MAXL NOCRYPTO_MP_MAX_LIMBS
#define MAX_WINDOW 5

/* An opaque copy of x: the compiler cannot reason about its value (ct.c does the same). */
static inline limb value_barrier(limb x)
{
    __asm__("" : "+r"(x));
    return x;
}

/* All ones if x != 0, else 0. */
static inline limb mask_nonzero(limb x)
{
    return value_barrier((limb)0 - ((x | ((limb)0 - x)) >> 63));
}

/* All ones if x == y, else 0. */
static inline limb mask_eq(limb x, limb y)
{
    return ~mask_nonzero(x ^ y);
}

static void load(limb *x, const uint8_t *p, size_t nl)
{
    for (size_t i = 0; i < nl; i++) {
        limb w = 0;
        for (unsigned b = 0; b < 8; b++) {
            w |= (limb)p[8 * i + b] << (8 * b);
        }
        x[i] = w;
    }
}

static void store(uint8_t *p, const limb *x, size_t nl)
{
    for (size_t i = 0; i < nl; i++) {
        for (unsigned b = 0; b < 8; b++) {
            p[8 * i + b] = (uint8_t)(x[i] >> (8 * b));
        }
    }
}

/* r = mask ? a : b, limb by limb. */
static void select_limbs(limb *r, limb mask, const limb *a, const limb *b, size_t nl)
{
    for (size_t i = 0; i < nl; i++) {
        r[i] = (a[i] & mask) | (b[i] & ~mask);
    }
}

uint64_t nocrypto_mp_n0_inverse(uint64_t n0)
{
    /* n0 * n0 = 1 mod 8 for odd n0, so x = n0 is correct to 3 bits; each Newton step
     * x <- x * (2 - n0 * x) doubles that: 6, 12, 24, 48, 96 >= 64 bits. */
    limb x = n0;
    for (int i = 0; i < 5; i++) {
        x *= 2 - n0 * x;
    }
    return (limb)0 - x;
}

/*
 * Final step of a Montgomery product: t (nl limbs plus a top carry bit hi) is below 2n;
 * r = t - n if t >= n, else t, chosen by mask.
 */
static void final_sub(limb *r, const limb *t, limb hi, const limb *n, size_t nl)
{
    limb d[MAXL];
    limb borrow = 0;
    for (size_t j = 0; j < nl; j++) {
        u128 z = (u128)t[j] - n[j] - borrow;
        d[j] = (limb)z;
        borrow = (limb)(z >> 64) & 1;
    }
    /* t >= n iff there was a carry out of the top limb or the subtraction did not borrow. */
    limb keep_t = value_barrier((limb)0 - (borrow & ~hi & 1));
    select_limbs(r, keep_t, t, d, nl);
}

/*
 * Montgomery products in the Finely Integrated Product Scanning form (Koç, Acar, Kaliski,
 * section 6): the columns of a*b and of m*n are summed together in a three-word
 * accumulator (c0, c1, c2), low column first. At column i < nl the accumulator's low word
 * fixes the quotient digit m_i = c0 * n0' mod 2^64, whose product m_i * n_0 clears it; from
 * column nl on, the low words are the result. The sum of one column is below
 * 2 * nl * 2^128 <= 2^136, so three words never overflow. With a, b < n the result is below
 * 2n: its top bit is c1 after the last column, and one masked subtraction finishes.
 *
 * Squaring adds each off-diagonal product a_j * a_(i-j), j < i - j, once into a second
 * accumulator (d0, d1, d2) and then twice (doubled) into the first, plus the diagonal
 * a_(i/2)^2: about nl^2/2 products instead of nl^2 for the a*a half.
 *
 * MAC(x, y, c0, c1, c2) adds x*y to the accumulator. The portable one is C with 128-bit
 * products; the x86-64 one (a hardware path: BMI2's MULX, used when the CPU has BMI2 and
 * the kernels may use AVX2, see use_bmi2) is three instructions after the multiply, with
 * no branch either way. The bodies are always inlined into functions for a constant nl of
 * 16 (RSA-2048's CRT halves: the compiler unrolls everything) and for any nl.
 */
#define MAC_PORTABLE(x, y, c0, c1, c2)                                                        \
    do {                                                                                      \
        u128 p_ = (u128)(x) * (y);                                                            \
        u128 s_ = (u128)(c0) + (limb)p_;                                                      \
        (c0) = (limb)s_;                                                                      \
        s_ = (u128)(c1) + (limb)(p_ >> 64) + (limb)(s_ >> 64);                                \
        (c1) = (limb)s_;                                                                      \
        (c2) += (limb)(s_ >> 64);                                                             \
    } while (0)

#if defined(__x86_64__)
#define MP_HAVE_BMI2_PATH 1
#define MAC_BMI2(x, y, c0, c1, c2)                                                            \
    do {                                                                                      \
        limb lo_, hi_;                                                                        \
        __asm__("mulx %[yy], %[lo], %[hi]\n\t"                                                \
                "add %[lo], %[a0]\n\t"                                                        \
                "adc %[hi], %[a1]\n\t"                                                        \
                "adc $0, %[a2]"                                                               \
                : [a0] "+r"(c0), [a1] "+r"(c1), [a2] "+r"(c2), [lo] "=&r"(lo_), [hi] "=&r"(hi_) \
                : "d"(x), [yy] "rm"(y)                                                        \
                : "cc");                                                                      \
    } while (0)
#endif

/* (c0, c1, c2) += 2 * (d0, d1, d2) (the doubled off-diagonal sum of a squaring column). */
#define ADD_TWICE(c0, c1, c2, d0, d1, d2)                                                     \
    do {                                                                                      \
        limb e2_ = ((d2) << 1) | ((d1) >> 63);                                                \
        limb e1_ = ((d1) << 1) | ((d0) >> 63);                                                \
        u128 s_ = (u128)(c0) + ((d0) << 1);                                                   \
        (c0) = (limb)s_;                                                                      \
        s_ = (u128)(c1) + e1_ + (limb)(s_ >> 64);                                             \
        (c1) = (limb)s_;                                                                      \
        (c2) += e2_ + (limb)(s_ >> 64);                                                       \
    } while (0)

#define FIPS_MUL_BODY(MAC)                                                                    \
    limb m[MAXL], r[MAXL];                                                                    \
    limb c0 = 0, c1 = 0, c2 = 0;                                                              \
    _Pragma("GCC unroll 16") for (size_t i = 0; i < nl; i++)                                  \
    {                                                                                         \
        _Pragma("GCC unroll 16") for (size_t j = 0; j < i; j++)                               \
        {                                                                                     \
            MAC(a[j], b[i - j], c0, c1, c2);                                                  \
            MAC(m[j], n[i - j], c0, c1, c2);                                                  \
        }                                                                                     \
        MAC(a[i], b[0], c0, c1, c2);                                                          \
        m[i] = c0 * n0inv;                                                                    \
        MAC(m[i], n[0], c0, c1, c2);                                                          \
        c0 = c1;                                                                              \
        c1 = c2;                                                                              \
        c2 = 0;                                                                               \
    }                                                                                         \
    _Pragma("GCC unroll 16") for (size_t i = nl; i < 2 * nl - 1; i++)                         \
    {                                                                                         \
        _Pragma("GCC unroll 16") for (size_t j = i - nl + 1; j < nl; j++)                     \
        {                                                                                     \
            MAC(a[j], b[i - j], c0, c1, c2);                                                  \
            MAC(m[j], n[i - j], c0, c1, c2);                                                  \
        }                                                                                     \
        r[i - nl] = c0;                                                                       \
        c0 = c1;                                                                              \
        c1 = c2;                                                                              \
        c2 = 0;                                                                               \
    }                                                                                         \
    r[nl - 1] = c0;                                                                           \
    final_sub(out, r, c1, n, nl);

#define FIPS_SQR_BODY(MAC)                                                                    \
    limb m[MAXL], r[MAXL];                                                                    \
    limb c0 = 0, c1 = 0, c2 = 0;                                                              \
    _Pragma("GCC unroll 16") for (size_t i = 0; i < nl; i++)                                  \
    {                                                                                         \
        limb d0 = 0, d1 = 0, d2 = 0;                                                          \
        _Pragma("GCC unroll 16") for (size_t j = 0; 2 * j < i; j++)                           \
        {                                                                                     \
            MAC(a[j], a[i - j], d0, d1, d2);                                                  \
        }                                                                                     \
        ADD_TWICE(c0, c1, c2, d0, d1, d2);                                                    \
        if (i % 2 == 0) {                                                                     \
            MAC(a[i / 2], a[i / 2], c0, c1, c2);                                              \
        }                                                                                     \
        _Pragma("GCC unroll 16") for (size_t j = 0; j < i; j++)                               \
        {                                                                                     \
            MAC(m[j], n[i - j], c0, c1, c2);                                                  \
        }                                                                                     \
        m[i] = c0 * n0inv;                                                                    \
        MAC(m[i], n[0], c0, c1, c2);                                                          \
        c0 = c1;                                                                              \
        c1 = c2;                                                                              \
        c2 = 0;                                                                               \
    }                                                                                         \
    _Pragma("GCC unroll 16") for (size_t i = nl; i < 2 * nl - 1; i++)                         \
    {                                                                                         \
        limb d0 = 0, d1 = 0, d2 = 0;                                                          \
        _Pragma("GCC unroll 16") for (size_t j = i - nl + 1; 2 * j < i; j++)                  \
        {                                                                                     \
            MAC(a[j], a[i - j], d0, d1, d2);                                                  \
        }                                                                                     \
        ADD_TWICE(c0, c1, c2, d0, d1, d2);                                                    \
        if (i % 2 == 0) {                                                                     \
            MAC(a[i / 2], a[i / 2], c0, c1, c2);                                              \
        }                                                                                     \
        _Pragma("GCC unroll 16") for (size_t j = i - nl + 1; j < nl; j++)                     \
        {                                                                                     \
            MAC(m[j], n[i - j], c0, c1, c2);                                                  \
        }                                                                                     \
        r[i - nl] = c0;                                                                       \
        c0 = c1;                                                                              \
        c1 = c2;                                                                              \
        c2 = 0;                                                                               \
    }                                                                                         \
    r[nl - 1] = c0;                                                                           \
    final_sub(out, r, c1, n, nl);

/* A Montgomery product or square: out = a * b * R^-1 mod n (b unused by squarings). */
typedef void mont_fn(limb *out, const limb *a, const limb *b, const limb *n, limb n0inv,
                     size_t nl);

static inline __attribute__((always_inline)) void
mul_portable(limb *out, const limb *a, const limb *b, const limb *n, limb n0inv, size_t nl)
{
    FIPS_MUL_BODY(MAC_PORTABLE)
}

static inline __attribute__((always_inline)) void
sqr_portable(limb *out, const limb *a, const limb *n, limb n0inv, size_t nl)
{
    FIPS_SQR_BODY(MAC_PORTABLE)
}

static void mul_portable_any(limb *out, const limb *a, const limb *b, const limb *n,
                             limb n0inv, size_t nl)
{
    mul_portable(out, a, b, n, n0inv, nl);
}

static void sqr_portable_any(limb *out, const limb *a, const limb *b, const limb *n,
                             limb n0inv, size_t nl)
{
    (void)b;
    sqr_portable(out, a, n, n0inv, nl);
}

#ifdef MP_HAVE_BMI2_PATH
static inline __attribute__((always_inline, target("bmi2"))) void
mul_bmi2(limb *out, const limb *a, const limb *b, const limb *n, limb n0inv, size_t nl)
{
    FIPS_MUL_BODY(MAC_BMI2)
}

static inline __attribute__((always_inline, target("bmi2"))) void
sqr_bmi2(limb *out, const limb *a, const limb *n, limb n0inv, size_t nl)
{
    FIPS_SQR_BODY(MAC_BMI2)
}

static __attribute__((target("bmi2"))) void
mul_bmi2_any(limb *out, const limb *a, const limb *b, const limb *n, limb n0inv, size_t nl)
{
    mul_bmi2(out, a, b, n, n0inv, nl);
}

static __attribute__((target("bmi2"))) void
sqr_bmi2_any(limb *out, const limb *a, const limb *b, const limb *n, limb n0inv, size_t nl)
{
    (void)b;
    sqr_bmi2(out, a, n, n0inv, nl);
}

static __attribute__((target("bmi2"))) void
mul_bmi2_16(limb *out, const limb *a, const limb *b, const limb *n, limb n0inv, size_t nl)
{
    (void)nl;
    mul_bmi2(out, a, b, n, n0inv, 16);
}

static __attribute__((target("bmi2"))) void
sqr_bmi2_16(limb *out, const limb *a, const limb *b, const limb *n, limb n0inv, size_t nl)
{
    (void)b;
    (void)nl;
    sqr_bmi2(out, a, n, n0inv, 16);
}

static __attribute__((target("bmi2"))) void
mul_bmi2_32(limb *out, const limb *a, const limb *b, const limb *n, limb n0inv, size_t nl)
{
    (void)nl;
    mul_bmi2(out, a, b, n, n0inv, 32);
}

static __attribute__((target("bmi2"))) void
sqr_bmi2_32(limb *out, const limb *a, const limb *b, const limb *n, limb n0inv, size_t nl)
{
    (void)b;
    (void)nl;
    sqr_bmi2(out, a, n, n0inv, 32);
}

/* BMI2 (CPUID.(EAX=7,ECX=0):EBX bit 8), read once (a benign race, as in cpu.c: every
 * thread computes the same value); the path is used only while the kernels may also use
 * AVX2, so that nocrypto_cpu_restrict(0) selects the portable C. */
static int use_bmi2(void)
{
    static int bmi2 = -1;
    if (bmi2 < 0) {
        unsigned a, b, c, d;
        bmi2 = __get_cpuid_count(7, 0, &a, &b, &c, &d) && ((b >> 8) & 1u);
    }
    return bmi2 && (nocrypto_cpu_features() & NOCRYPTO_HW_AVX2) != 0;
}
#endif

/* The product and square for a modulus of nl limbs on this CPU (public choice). */
static void mont_ops(mont_fn **mul, mont_fn **sqr, size_t nl)
{
#ifdef MP_HAVE_BMI2_PATH
    if (use_bmi2()) {
        *mul = nl == 16 ? mul_bmi2_16 : nl == 32 ? mul_bmi2_32 : mul_bmi2_any;
        *sqr = nl == 16 ? sqr_bmi2_16 : nl == 32 ? sqr_bmi2_32 : sqr_bmi2_any;
        return;
    }
#endif
    *mul = mul_portable_any;
    *sqr = sqr_portable_any;
}

void nocrypto_mp_mont_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *n,
                          uint64_t n0inv, size_t nl)
{
    mont_fn *mul, *sqr;
    mont_ops(&mul, &sqr, nl);
    mul(r, a, b, n, n0inv, nl);
}

/* x = 2x mod n for x < n: d = 2x - n in one pass, then keep 2x or d by mask. */
static void double_mod(limb *x, const limb *n, size_t nl)
{
    limb d[MAXL];
    limb carry = 0;
#if defined(__x86_64__)
    unsigned char borrow = 0;
#pragma GCC unroll 8
    for (size_t j = 0; j < nl; j++) {
        limb w = x[j];
        limb y = (w << 1) | carry;
        carry = w >> 63;
        unsigned long long t;
        borrow = _subborrow_u64(borrow, y, n[j], &t);
        d[j] = t;
        x[j] = y;
    }
#else
    limb borrow = 0;
    for (size_t j = 0; j < nl; j++) {
        limb w = x[j];
        limb y = (w << 1) | carry;
        carry = w >> 63;
        u128 z = (u128)y - n[j] - borrow;
        d[j] = (limb)z;
        borrow = (limb)(z >> 64) & 1;
        x[j] = y;
    }
#endif
    /* 2x >= n iff the shift carried out or the subtraction did not borrow. */
    limb keep_x = value_barrier((limb)0 - ((limb)borrow & ~carry & 1));
    select_limbs(x, keep_x, x, d, nl);
}

/*
 * rr = R mod n and r2 = R^2 mod n, R = 2^(64*nl), for n with exactly nl limbs.
 *
 * The top limb of n is not zero, so 2^(64*(nl-1)) < n is already reduced: 64 masked
 * doublings give R mod n. nl more give 2^nl * R mod n, the Montgomery form of 2^nl; six
 * Montgomery squarings take it to the form of 2^(64*nl) = R, which is R^2 mod n. Nothing
 * here depends on the bits of n: the bit length inside the top limb is never looked at.
 */
static void mont_setup(limb *rr, limb *r2, const limb *n, limb n0inv, size_t nl, mont_fn *sqr)
{
    memset(rr, 0, nl * sizeof(limb));
    rr[nl - 1] = 1;
    for (int i = 0; i < 64; i++) {
        double_mod(rr, n, nl);
    }
    memcpy(r2, rr, nl * sizeof(limb));
    for (size_t i = 0; i < nl; i++) {
        double_mod(r2, n, nl);
    }
    for (int i = 0; i < 6; i++) {
        sqr(r2, r2, r2, n, n0inv, nl);
    }
}

/* The window width for a public exponent length; the same function as the twin's. */
static unsigned window_bits(size_t exponent_bits)
{
    if (exponent_bits >= 512) {
        return 5;
    }
    if (exponent_bits >= 128) {
        return 4;
    }
    if (exponent_bits >= 32) {
        return 3;
    }
    if (exponent_bits >= 4) {
        return 2;
    }
    return 1;
}

/* The w-bit window of the exponent starting at bit pos (bits at or above ebits are 0).
 * The positions are public; only the bit values are secret, and they are not branched on. */
static limb exponent_window(const uint8_t *e, size_t ebits, size_t pos, unsigned w)
{
    limb digit = 0;
    for (unsigned b = 0; b < w; b++) {
        size_t p = pos + b;
        if (p < ebits) {
            digit |= (limb)((e[p >> 3] >> (p & 7)) & 1) << b;
        }
    }
    return digit;
}

/* r = table[index] (count entries of nl limbs), reading every entry: each limb of r is the
 * OR of that limb of every entry ANDed with its mask (all ones only for i == index). */
static void table_select_portable(limb *r, const limb *table, size_t count, const limb *mask,
                                  size_t nl)
{
    for (size_t j = 0; j < nl; j++) {
        limb acc = 0;
        for (size_t i = 0; i < count; i++) {
            acc |= table[i * nl + j] & mask[i];
        }
        r[j] = acc;
    }
}

#ifdef MP_HAVE_BMI2_PATH
/* The same scan, four limbs per AVX2 operation (nl a multiple of 4). */
static __attribute__((target("avx2"))) void
table_select_avx2(limb *r, const limb *table, size_t count, const limb *mask, size_t nl)
{
    for (size_t j = 0; j < nl; j += 4) {
        __m256i acc = _mm256_setzero_si256();
        for (size_t i = 0; i < count; i++) {
            __m256i m = _mm256_set1_epi64x((long long)mask[i]);
            __m256i e = _mm256_loadu_si256((const __m256i *)(const void *)(table + i * nl + j));
            acc = _mm256_or_si256(acc, _mm256_and_si256(e, m));
        }
        _mm256_storeu_si256((__m256i *)(void *)(r + j), acc);
    }
}
#endif

static void table_select(limb *r, const limb *table, size_t count, limb index, size_t nl)
{
    limb mask[(size_t)1 << MAX_WINDOW];
    for (size_t i = 0; i < count; i++) {
        mask[i] = mask_eq((limb)i, index);
    }
#ifdef MP_HAVE_BMI2_PATH
    if (nl % 4 == 0 && (nocrypto_cpu_features() & NOCRYPTO_HW_AVX2) != 0) {
        table_select_avx2(r, table, count, mask, nl);
        return;
    }
#endif
    table_select_portable(r, table, count, mask, nl);
}

static int bad_len(size_t len)
{
    return len == 0 || len % 8 != 0 || len > 8 * (size_t)MAXL;
}

int nocrypto_mp_mod_exp(uint8_t *out, const uint8_t *base, const uint8_t *exponent,
                        size_t exponent_bits, const uint8_t *modulus, size_t len)
{
    if (bad_len(len) || exponent_bits > NOCRYPTO_MP_MAX_EXPONENT_BITS) {
        return -1;
    }
    size_t nl = len / 8;
    limb n[MAXL] = {0}, rr[MAXL], r2[MAXL], acc[MAXL], tmp[MAXL] = {0};
    limb table[((size_t)1 << MAX_WINDOW) * MAXL];
    load(n, modulus, nl);
    limb n0inv = nocrypto_mp_n0_inverse(n[0]);
    mont_fn *mul, *sqr;
    mont_ops(&mul, &sqr, nl);
    mont_setup(rr, r2, n, n0inv, nl, sqr);

    /* table[i] = base^i * R mod n: the Montgomery forms of the powers 0 .. 2^w - 1. */
    unsigned w = window_bits(exponent_bits);
    size_t count = (size_t)1 << w;
    load(tmp, base, nl);
    memcpy(table, rr, nl * sizeof(limb));
    mul(table + nl, tmp, r2, n, n0inv, nl);
    for (size_t i = 2; i < count; i++) {
        mul(table + i * nl, table + (i - 1) * nl, table + nl, n, n0inv, nl);
    }

    /* Left to right, one window at a time; the first window loads its entry directly. */
    size_t windows = (exponent_bits + w - 1) / w;
    if (windows == 0) {
        memcpy(acc, rr, nl * sizeof(limb));
    } else {
        table_select(acc, table, count, exponent_window(exponent, exponent_bits,
                                                        (windows - 1) * w, w), nl);
        for (size_t k = windows - 1; k-- > 0;) {
            for (unsigned s = 0; s < w; s++) {
                sqr(acc, acc, acc, n, n0inv, nl);
            }
            table_select(tmp, table, count, exponent_window(exponent, exponent_bits, k * w, w),
                         nl);
            mul(acc, acc, tmp, n, n0inv, nl);
        }
    }

    /* Out of Montgomery form: acc * 1 * R^-1, fully reduced by the final subtraction. */
    memset(tmp, 0, nl * sizeof(limb));
    tmp[0] = 1;
    mul(acc, acc, tmp, n, n0inv, nl);
    store(out, acc, nl);
    return 0;
}

int nocrypto_mp_mod_mul(uint8_t *out, const uint8_t *a, const uint8_t *b,
                        const uint8_t *modulus, size_t len)
{
    if (bad_len(len)) {
        return -1;
    }
    size_t nl = len / 8;
    limb n[MAXL] = {0}, rr[MAXL], r2[MAXL], x[MAXL] = {0}, y[MAXL] = {0};
    load(n, modulus, nl);
    load(x, a, nl);
    load(y, b, nl);
    limb n0inv = nocrypto_mp_n0_inverse(n[0]);
    mont_fn *mul, *sqr;
    mont_ops(&mul, &sqr, nl);
    mont_setup(rr, r2, n, n0inv, nl, sqr);
    /* (a * b * R^-1) * R^2 * R^-1 = a * b mod n. */
    mul(x, x, y, n, n0inv, nl);
    mul(x, x, r2, n, n0inv, nl);
    store(out, x, nl);
    return 0;
}

/*
 * Binary extended Euclid with a fixed iteration count (twin: mod_inverse in _ref/mp.py).
 *
 * Invariants: a = u*x mod n, b = v*x mod n, b odd, gcd(a, b) = gcd(x, n). One step:
 *   if a odd: if a < b: swap(a, b), swap(u, v);  a -= b; u = u - v mod n
 *   a /= 2; u = u / 2 mod n  (= (u + n) / 2 if u is odd)
 * Bound: len(a) + len(b) <= 2k (k = bit size) falls by at least one per step while a != 0
 * (an even a loses a bit; an odd a gives the pair (|a - b| / 2, min(a, b)), and
 * len(|a - b| / 2) < len(max(a, b))), and len(b) >= 1, so a = 0 after at most 2k - 1 steps;
 * a = 0 is then a fixed point. With k = 64 * nl (the public size) 2k steps always suffice.
 * Then b = gcd(x, n) and v*x = b mod n: the answer is v if b == 1, else 0.
 */
int nocrypto_mp_mod_inverse(uint8_t *out, const uint8_t *a_in, const uint8_t *modulus,
                            size_t len)
{
    if (bad_len(len)) {
        return -1;
    }
    size_t nl = len / 8;
    limb n[MAXL] = {0}, a[MAXL] = {0}, b[MAXL], u[MAXL], v[MAXL];
    load(n, modulus, nl);
    load(a, a_in, nl);
    memcpy(b, n, nl * sizeof(limb));
    memset(u, 0, nl * sizeof(limb));
    memset(v, 0, nl * sizeof(limb));
    u[0] = 1;

    /* lt = [a < b], the borrow of a - b; each step computes the next one while it writes
     * the new a and b, so a step is three passes: (a, b), (u, v), then u's halving. */
    limb lt = 0;
    for (size_t j = 0; j < nl; j++) {
        u128 z = (u128)a[j] - b[j] - lt;
        lt = (limb)(z >> 64) & 1;
    }

    size_t steps = 2 * 64 * nl;
    for (size_t step = 0; step < steps; step++) {
        limb odd = value_barrier((limb)0 - (a[0] & 1));
        limb swap = odd & value_barrier((limb)0 - lt);

        /* (a, b) <- (|a - b| / 2, min(a, b)) if a is odd, (a / 2, b) if even: t = a' - b'
         * after the swap, halved one limb behind; the comparison of the new a and b runs
         * along, another limb behind. */
        limb borrow = 0, cmp = 0, prev = 0;
        for (size_t j = 0; j < nl; j++) {
            limb x = (a[j] ^ b[j]) & swap;
            limb nb = b[j] ^ x;
            u128 z = (u128)(a[j] ^ x) - (nb & odd) - borrow;
            limb t = (limb)z;
            borrow = (limb)(z >> 64) & 1;
            b[j] = nb;
            if (j > 0) {
                limb na = (prev >> 1) | (t << 63);
                a[j - 1] = na;
                u128 c = (u128)na - b[j - 1] - cmp;
                cmp = (limb)(c >> 64) & 1;
            }
            prev = t;
        }
        a[nl - 1] = prev >> 1;
        {
            u128 c = (u128)a[nl - 1] - b[nl - 1] - cmp;
            lt = (limb)(c >> 64) & 1;
        }

        /* (u, v) <- (u - v, u) after the same swap, the difference kept modulo 2^(64 nl)
         * with its borrow beta. */
        borrow = 0;
        for (size_t j = 0; j < nl; j++) {
            limb x = (u[j] ^ v[j]) & swap;
            limb nv = v[j] ^ x;
            u128 z = (u128)(u[j] ^ x) - (nv & odd) - borrow;
            u[j] = (limb)z;
            borrow = (limb)(z >> 64) & 1;
            v[j] = nv;
        }

        /* u <- (u + n * beta + n * [that is odd]) / 2: the true value w = u + n beta - 2^(64
         * nl) beta is in [0, 2n), so w / 2 < n; the carry out minus beta is w's top bit. */
        limb add1 = value_barrier((limb)0 - borrow);
        limb add2 = value_barrier((limb)0 - ((u[0] ^ borrow) & 1));
        u128 acc = 0;
        prev = 0;
        for (size_t j = 0; j < nl; j++) {
            acc += (u128)u[j] + (n[j] & add1) + (n[j] & add2);
            limb sj = (limb)acc;
            acc >>= 64;
            if (j > 0) {
                u[j - 1] = (prev >> 1) | (sj << 63);
            }
            prev = sj;
        }
        limb top = ((limb)acc - borrow) & 1;
        u[nl - 1] = (prev >> 1) | (top << 63);
    }

    /* b == 1? Accumulate b XOR 1 over every limb. */
    limb diff = b[0] ^ 1;
    for (size_t j = 1; j < nl; j++) {
        diff |= b[j];
    }
    limb is_one = ~mask_nonzero(diff);
    for (size_t j = 0; j < nl; j++) {
        v[j] &= is_one;
    }
    store(out, v, nl);
    return 0;
}
