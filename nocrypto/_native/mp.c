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
 * - The RSA private operation by the CRT in one call (nocrypto_mp_rsa_crt): blinding,
 *   both half-size exponentiations, the recombination, the check m^e = c and the
 *   unblinding, each modulus's Montgomery constants computed once.
 *
 * Hardware paths (x86-64), chosen per call from public facts: products with BMI2's MULX
 * (when the CPU has BMI2 and nocrypto_cpu_features() allows AVX2, so that
 * nocrypto_cpu_restrict(0) selects the portable C), fully unrolled for 16 limbs (RSA-2048's
 * CRT halves) and 32; for 16 limbs on a CPU with ADX as well, row-wise 8x8 blocks with two
 * carry chains (ADCX, ADOX; see mul_adx_16); the table scan with AVX2 when the limb count is
 * a multiple of 4. The portable C computes the same values with the same (absence of)
 * branches.
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
#include "ctgrind.h"

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
 * the kernels may use AVX2, see x86_level) is three instructions after the multiply, with
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

/*
 * 16-limb Montgomery product and square with MULX, ADCX and ADOX (x86-64 BMI2 + ADX), for
 * RSA-2048's CRT halves. The operands are cut into 8-limb blocks (X = 2^512, R = X^2) and
 * every step is one 8x8 block: out (16 limbs) = u * v + c (+ d), u, v, c, d of 8 limbs,
 * which fits (u v + c + d <= (X - 1)^2 + 2 (X - 1) < X^2). Inside a block the product is
 * scanned by rows, rdx = v_i times the 8 limbs of u, added into a window of 9 registers
 * that holds positions i .. i + 8: the low words of the products ride the carry chain of
 * ADCX, the high words that of ADOX, so the two chains run side by side; the top register
 * is zeroed (clearing both flags) at the start of the row, takes the last high word and the
 * last carry, and the bottom one leaves the window (to memory) at the end of the row. The
 * addend c starts in the window; d_i enters the bottom register at row i on the ADOX chain
 * (the partial sums c + d mod 2^(64(i+1)) + u (v mod 2^(64(i+1))) stay below 2^(64(i+9)),
 * so no carry leaves the window). A reduction block does the same with u = n's low block
 * and rdx = m_i = (bottom register) * n0' mod 2^64, which clears the bottom limb.
 *
 * Montgomery product a b R^-1 mod n (a = a0 + a1 X, b and n alike; positions in blocks):
 *   (T0, H)  = a0 b0             (T1, G)  = a0 b1 + L
 *   (L, H')  = a1 b0 + H         (T2, T3) = a1 b1 + H' + G        a b = (T0, T1, T2, T3)
 *   M0: (0, Q) = M0 n0 + T0      (V1, V2) = M0 n1 + T1 + Q        (blocks 1, 2)
 *   M1: (0, Q') = M1 n0 + V1     (W2, W3) = M1 n1 + V2 + Q'       (blocks 2, 3)
 *   then a b + (M0 + M1 X) n = (W + (T2, T3)) R. For a < R and b < n (or the other way
 *   round) a b < R n, so s = W + (T2, T3), 16 limbs and a carry, is below 2n, and FINAL
 *   subtracts n once if s >= n, choosing by CMOV. The square uses 2 a0 a1 = a0 D + t a0 X
 *   with D = 2 a1 mod X and t the top bit of a1: (T0, H) = a0 a0, (T1, G) = a0 D + H,
 *   (T2, T3) = a1 a1 + G + t a0; three blocks instead of four (for a < n).
 *
 * Only the public block offsets address memory; there is no branch. All operands live in
 * one workspace (the caller's array ws, below) except u, so the asm needs two pointer
 * registers (and none of rbp, which a frame pointer may hold).
 */
#define MX(uo, lo, hi)                                                                        \
    "mulx " uo "(%[u]), %%rax, %%rcx\n\t"                                                     \
    "adcx %%rax, %%" lo "\n\t"                                                                \
    "adox %%rcx, %%" hi "\n\t"
#define ROW8(w0, w1, w2, w3, w4, w5, w6, w7, w8)                                              \
    MX("0", w0, w1) MX("8", w1, w2) MX("16", w2, w3) MX("24", w3, w4) MX("32", w4, w5)        \
    MX("40", w5, w6) MX("48", w6, w7) MX("56", w7, w8) "adc $0, %%" w8 "\n\t"
#define ROW8_(...) ROW8(__VA_ARGS__)

/* The window's registers at rows 0..7 (rotating), and positions 8..15 after row 7. */
#define WIN0 "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rbx"
#define WIN1 "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rbx", "r8"
#define WIN2 "r10", "r11", "r12", "r13", "r14", "r15", "rbx", "r8", "r9"
#define WIN3 "r11", "r12", "r13", "r14", "r15", "rbx", "r8", "r9", "r10"
#define WIN4 "r12", "r13", "r14", "r15", "rbx", "r8", "r9", "r10", "r11"
#define WIN5 "r13", "r14", "r15", "rbx", "r8", "r9", "r10", "r11", "r12"
#define WIN6 "r14", "r15", "rbx", "r8", "r9", "r10", "r11", "r12", "r13"
#define WIN7 "r15", "rbx", "r8", "r9", "r10", "r11", "r12", "r13", "r14"
#define FIRST(a, ...) a
#define LAST(a, b, c, d, e, f, g, h, i) i
#define FIRST_(...) FIRST(__VA_ARGS__)
#define LAST_(...) LAST(__VA_ARGS__)

/* Load / store 8 limbs at workspace offset o (a string, bytes) from / to 8 registers. */
#define LOAD8(o, r0, r1, r2, r3, r4, r5, r6, r7)                                              \
    "movq " o "+0(%[w]), %%" r0 "\n\tmovq " o "+8(%[w]), %%" r1 "\n\t"                        \
    "movq " o "+16(%[w]), %%" r2 "\n\tmovq " o "+24(%[w]), %%" r3 "\n\t"                      \
    "movq " o "+32(%[w]), %%" r4 "\n\tmovq " o "+40(%[w]), %%" r5 "\n\t"                      \
    "movq " o "+48(%[w]), %%" r6 "\n\tmovq " o "+56(%[w]), %%" r7 "\n\t"
#define STORE8(o, r0, r1, r2, r3, r4, r5, r6, r7)                                             \
    "movq %%" r0 ", " o "+0(%[w])\n\tmovq %%" r1 ", " o "+8(%[w])\n\t"                        \
    "movq %%" r2 ", " o "+16(%[w])\n\tmovq %%" r3 ", " o "+24(%[w])\n\t"                      \
    "movq %%" r4 ", " o "+32(%[w])\n\tmovq %%" r5 ", " o "+40(%[w])\n\t"                      \
    "movq %%" r6 ", " o "+48(%[w])\n\tmovq %%" r7 ", " o "+56(%[w])\n\t"
#define LOAD_C(o) LOAD8(o, "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15")
#define ZERO_C                                                                                \
    "xorl %%r8d, %%r8d\n\txorl %%r9d, %%r9d\n\txorl %%r10d, %%r10d\n\txorl %%r11d, %%r11d\n\t" \
    "xorl %%r12d, %%r12d\n\txorl %%r13d, %%r13d\n\txorl %%r14d, %%r14d\n\txorl %%r15d, %%r15d\n\t"
#define STORE_HI(o) STORE8(o, "rbx", "r8", "r9", "r10", "r11", "r12", "r13", "r14")

/* Row k of out = u v + c (+ d): rdx = v_k; d_k (if any) into the bottom on the ADOX chain. */
#define MA_ROW(k, v, d_op, o, win)                                                            \
    "movq " v "+8*" #k "(%[w]), %%rdx\n\t"                                                    \
    "xorq %%" LAST_(win) ", %%" LAST_(win) "\n\t" d_op ROW8_(win)                             \
    "movq %%" FIRST_(win) ", " o "+8*" #k "(%[w])\n\t"
#define D_OP(d, k, win) "adox " d "+8*" #k "(%[w]), %%" FIRST_(win) "\n\t"
#define MULADD(c_op, v, o)                                                                    \
    c_op MA_ROW(0, v, "", o, WIN0) MA_ROW(1, v, "", o, WIN1) MA_ROW(2, v, "", o, WIN2)       \
    MA_ROW(3, v, "", o, WIN3) MA_ROW(4, v, "", o, WIN4) MA_ROW(5, v, "", o, WIN5)            \
    MA_ROW(6, v, "", o, WIN6) MA_ROW(7, v, "", o, WIN7) STORE_HI(o "+64")
#define MULADD_D(c_op, v, d, o)                                                               \
    c_op MA_ROW(0, v, D_OP(d, 0, WIN0), o, WIN0) MA_ROW(1, v, D_OP(d, 1, WIN1), o, WIN1)     \
    MA_ROW(2, v, D_OP(d, 2, WIN2), o, WIN2) MA_ROW(3, v, D_OP(d, 3, WIN3), o, WIN3)           \
    MA_ROW(4, v, D_OP(d, 4, WIN4), o, WIN4) MA_ROW(5, v, D_OP(d, 5, WIN5), o, WIN5)           \
    MA_ROW(6, v, D_OP(d, 6, WIN6), o, WIN6) MA_ROW(7, v, D_OP(d, 7, WIN7), o, WIN7)           \
    STORE_HI(o "+64")

/* Row k of a reduction block: m_k = bottom * n0' (stored at m), then rdx = m_k times n0. */
#define RD_ROW(k, m, win)                                                                     \
    "movq %%" FIRST_(win) ", %%rdx\n\t"                                                       \
    "imulq " WS_N0I "(%[w]), %%rdx\n\t"                                                       \
    "movq %%rdx, " m "+8*" #k "(%[w])\n\t"                                                    \
    "xorq %%" LAST_(win) ", %%" LAST_(win) "\n\t" ROW8_(win)
#define REDUCE(c, m, q)                                                                       \
    LOAD_C(c) RD_ROW(0, m, WIN0) RD_ROW(1, m, WIN1) RD_ROW(2, m, WIN2) RD_ROW(3, m, WIN3)    \
    RD_ROW(4, m, WIN4) RD_ROW(5, m, WIN5) RD_ROW(6, m, WIN6) RD_ROW(7, m, WIN7) STORE_HI(q)

/* Workspace layout (byte offsets as strings for the asm, limb indices for C). */
#define WS_V "0"      /* 16 limbs: b (or a, for the square) */
#define WS_D "128"    /* 8: D = 2 a1 mod X (square) */
#define WS_TA "192"   /* 8: t a0 (square) */
#define WS_P1 "256"   /* 16: (T0, H) */
#define WS_P2 "384"   /* 16: (L, H') */
#define WS_P3 "512"   /* 16: (T1, G) */
#define WS_P4 "640"   /* 16: (T2, T3) */
#define WS_M0 "768"   /* 8 */
#define WS_Q0 "832"   /* 8 */
#define WS_V12 "896"  /* 16: (V1, V2) */
#define WS_M1 "1024"  /* 8 */
#define WS_Q1 "1088"  /* 8 */
#define WS_W "1152"   /* 16: (W2, W3) */
#define WS_N0I "1280" /* n0' */
#define WS_K "1288"   /* 16: R - n (the two's complement of n) */
#define WS_S "1416"   /* 16: the sum s = W + (T2, T3) */
#define WS_R "1544"   /* 16: the result */
enum { WSL_V = 0, WSL_D = 16, WSL_TA = 24, WSL_N0I = 160, WSL_K = 161, WSL_R = 193, WSL = 209 };

/* Limb k of the final step: s_k = W_k + (T2, T3)_k on the ADCX chain, stored; then
 * s_k + (R - n)_k on the ADOX chain, stored: the carry out of the first chain is the top bit
 * of s, that of the second says s mod R >= n. */
#define FIN_LIMB(k)                                                                           \
    "movq " WS_W "+8*" #k "(%[w]), %%rax\n\t"                                                 \
    "adcx " WS_P4 "+8*" #k "(%[w]), %%rax\n\t"                                                \
    "movq %%rax, " WS_S "+8*" #k "(%[w])\n\t"                                                 \
    "adox " WS_K "+8*" #k "(%[w]), %%rax\n\t"                                                 \
    "movq %%rax, " WS_R "+8*" #k "(%[w])\n\t"
/* Limb k of the choice: keep s_k over s_k - n when ZF is set (s < n), by CMOV. */
#define SEL_LIMB(k)                                                                           \
    "movq " WS_R "+8*" #k "(%[w]), %%rax\n\t"                                                 \
    "cmovzq " WS_S "+8*" #k "(%[w]), %%rax\n\t"                                               \
    "movq %%rax, " WS_R "+8*" #k "(%[w])\n\t"
/* r = s - n if s >= n, else s, for s = W + (T2, T3) < 2n: s >= n iff the sum carried out
 * of 16 limbs or s mod R + (R - n) did (no branch: the flags become a value, then ZF). */
#define FINAL                                                                                 \
    "xorl %%ecx, %%ecx\n\t"                                                                   \
    FIN_LIMB(0) FIN_LIMB(1) FIN_LIMB(2) FIN_LIMB(3) FIN_LIMB(4) FIN_LIMB(5) FIN_LIMB(6)      \
    FIN_LIMB(7) FIN_LIMB(8) FIN_LIMB(9) FIN_LIMB(10) FIN_LIMB(11) FIN_LIMB(12) FIN_LIMB(13)  \
    FIN_LIMB(14) FIN_LIMB(15)                                                                 \
    "setc %%cl\n\t"                                                                           \
    "seto %%dl\n\t"                                                                           \
    "orb %%dl, %%cl\n\t"                                                                      \
    SEL_LIMB(0) SEL_LIMB(1) SEL_LIMB(2) SEL_LIMB(3) SEL_LIMB(4) SEL_LIMB(5) SEL_LIMB(6)      \
    SEL_LIMB(7) SEL_LIMB(8) SEL_LIMB(9) SEL_LIMB(10) SEL_LIMB(11) SEL_LIMB(12) SEL_LIMB(13)  \
    SEL_LIMB(14) SEL_LIMB(15)

/* One asm statement of blocks: %[u] = uptr, %[w] = the caller's workspace ws. */
#define ADX_BLOCK(uptr, code)                                                                 \
    __asm__ volatile(code                                                                     \
                     :                                                                        \
                     : [u] "r"(uptr), [w] "r"(ws)                                             \
                     : "rax", "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13",    \
                       "r14", "r15", "cc", "memory")

/* k = R - n = ~n + 1, for an odd n (so ~n_0 + 1 does not carry). */
static inline void complement_16(limb *k, const limb *n)
{
    for (size_t j = 0; j < 16; j++) {
        k[j] = ~n[j];
    }
    k[0] += 1;
}

/* The reduction of (T0, T1, T2, T3) (in ws) and the final sum: out = a b R^-1 mod n. */
static __attribute__((target("bmi2,adx"), always_inline)) inline void
reduce_adx_16(limb *out, limb *ws, const limb *n)
{
    ADX_BLOCK(n, REDUCE(WS_P1, WS_M0, WS_Q0));
    ADX_BLOCK(n + 8, MULADD_D(LOAD_C(WS_P3), WS_M0, WS_Q0, WS_V12));
    ADX_BLOCK(n, REDUCE(WS_V12, WS_M1, WS_Q1));
    ADX_BLOCK(n + 8, MULADD_D(LOAD_C(WS_V12 "+64"), WS_M1, WS_Q1, WS_W) FINAL);
    memcpy(out, ws + WSL_R, 16 * sizeof(limb));
}

static __attribute__((target("bmi2,adx"))) void
mul_adx_16(limb *out, const limb *a, const limb *b, const limb *n, limb n0inv, size_t nl)
{
    (void)nl;
    limb ws[WSL];
    memcpy(ws + WSL_V, b, 16 * sizeof(limb));
    ws[WSL_N0I] = n0inv;
    complement_16(ws + WSL_K, n);
    ADX_BLOCK(a, MULADD(ZERO_C, WS_V, WS_P1));
    ADX_BLOCK(a + 8, MULADD(LOAD_C(WS_P1 "+64"), WS_V, WS_P2));
    ADX_BLOCK(a, MULADD(LOAD_C(WS_P2), WS_V "+64", WS_P3));
    ADX_BLOCK(a + 8, MULADD_D(LOAD_C(WS_P2 "+64"), WS_V "+64", WS_P3 "+64", WS_P4));
    reduce_adx_16(out, ws, n);
}

static __attribute__((target("bmi2,adx"))) void
sqr_adx_16(limb *out, const limb *a, const limb *b, const limb *n, limb n0inv, size_t nl)
{
    (void)b;
    (void)nl;
    limb ws[WSL];
    memcpy(ws + WSL_V, a, 16 * sizeof(limb));
    ws[WSL_N0I] = n0inv;
    complement_16(ws + WSL_K, n);
    /* D = 2 a1 mod X, t a0 with t = the bit shifted out (a mask, no branch). */
    limb t = (limb)0 - (a[15] >> 63);
    for (size_t j = 0; j < 8; j++) {
        ws[WSL_D + j] = (a[8 + j] << 1) | (j ? a[7 + j] >> 63 : 0);
        ws[WSL_TA + j] = a[j] & t;
    }
    ADX_BLOCK(a, MULADD(ZERO_C, WS_V, WS_P1));
    ADX_BLOCK(a, MULADD(LOAD_C(WS_P1 "+64"), WS_D, WS_P3));
    ADX_BLOCK(a + 8, MULADD_D(LOAD_C(WS_P3 "+64"), WS_V "+64", WS_TA, WS_P4));
    reduce_adx_16(out, ws, n);
}

/* BMI2 and ADX (CPUID.(EAX=7,ECX=0):EBX bits 8 and 19), read once (a benign race, as in
 * cpu.c: every thread computes the same value); the paths are used only while the kernels
 * may also use AVX2, so that nocrypto_cpu_restrict(0) selects the portable C. Returns
 * 0 (portable), 1 (BMI2) or 2 (BMI2 and ADX). In the `make ct` build under valgrind, whose
 * synthetic CPUID hides ADX although it runs ADCX and ADOX, BMI2 counts as ADX, so that
 * memcheck sees the ADX path. */
static int x86_level(void)
{
    static int level = -1;
    if (level < 0) {
        unsigned a, b, c, d;
        int ok = __get_cpuid_count(7, 0, &a, &b, &c, &d);
        level = !ok || !((b >> 8) & 1u) ? 0 : ((b >> 19) & 1u) ? 2 : 1;
#ifdef NOCRYPTO_CTGRIND
        if (level == 1 && RUNNING_ON_VALGRIND) {
            level = 2;
        }
#endif
    }
    return (nocrypto_cpu_features() & NOCRYPTO_HW_AVX2) != 0 ? level : 0;
}
#endif

/* The product and square for a modulus of nl limbs on this CPU (public choice). */
static void mont_ops(mont_fn **mul, mont_fn **sqr, size_t nl)
{
#ifdef MP_HAVE_BMI2_PATH
    int level = x86_level();
    if (level == 2 && nl == 16) {
        *mul = mul_adx_16;
        *sqr = sqr_adx_16;
        return;
    }
    if (level > 0) {
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
/* The same scan with AVX2 (nl a multiple of 4): each entry's mask is a vector compare of
 * the entry number with the index (no scalar mask array), and up to 16 limbs of the result
 * are gathered per pass over the table, in four accumulators. */
static __attribute__((target("avx2"))) void
table_select_avx2(limb *r, const limb *table, size_t count, limb index, size_t nl)
{
    const __m256i idx = _mm256_set1_epi64x((long long)index);
    const __m256i one = _mm256_set1_epi64x(1);
    size_t j = 0;
    for (; j + 16 <= nl; j += 16) {
        __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0, cur = a0;
        for (size_t i = 0; i < count; i++) {
            __m256i m = _mm256_cmpeq_epi64(cur, idx);
            const __m256i *e = (const __m256i *)(const void *)(table + i * nl + j);
            a0 = _mm256_or_si256(a0, _mm256_and_si256(_mm256_loadu_si256(e), m));
            a1 = _mm256_or_si256(a1, _mm256_and_si256(_mm256_loadu_si256(e + 1), m));
            a2 = _mm256_or_si256(a2, _mm256_and_si256(_mm256_loadu_si256(e + 2), m));
            a3 = _mm256_or_si256(a3, _mm256_and_si256(_mm256_loadu_si256(e + 3), m));
            cur = _mm256_add_epi64(cur, one);
        }
        __m256i *out = (__m256i *)(void *)(r + j);
        _mm256_storeu_si256(out, a0);
        _mm256_storeu_si256(out + 1, a1);
        _mm256_storeu_si256(out + 2, a2);
        _mm256_storeu_si256(out + 3, a3);
    }
    for (; j < nl; j += 4) {
        __m256i acc = _mm256_setzero_si256(), cur = acc;
        for (size_t i = 0; i < count; i++) {
            __m256i m = _mm256_cmpeq_epi64(cur, idx);
            __m256i e = _mm256_loadu_si256((const __m256i *)(const void *)(table + i * nl + j));
            acc = _mm256_or_si256(acc, _mm256_and_si256(e, m));
            cur = _mm256_add_epi64(cur, one);
        }
        _mm256_storeu_si256((__m256i *)(void *)(r + j), acc);
    }
}
#endif

static void table_select(limb *r, const limb *table, size_t count, limb index, size_t nl)
{
#ifdef MP_HAVE_BMI2_PATH
    if (nl % 4 == 0 && (nocrypto_cpu_features() & NOCRYPTO_HW_AVX2) != 0) {
        table_select_avx2(r, table, count, index, nl);
        return;
    }
#endif
    limb mask[(size_t)1 << MAX_WINDOW];
    for (size_t i = 0; i < count; i++) {
        mask[i] = mask_eq((limb)i, index);
    }
    table_select_portable(r, table, count, mask, nl);
}

static int bad_len(size_t len)
{
    return len == 0 || len % 8 != 0 || len > 8 * (size_t)MAXL;
}

/*
 * acc = the Montgomery form of x^exponent mod n, for xm = x R mod n and one = R mod n: the
 * fixed window of w = window_bits(exponent_bits) bits, left to right (HAC 14.82).
 * table[i] = x^i R mod n for i < 2^w; each window's entry is read by a full masked scan, and
 * a zero window multiplies too (by the form of 1), so the operations depend on
 * exponent_bits and nl only. acc may not alias xm or one.
 */
static void mont_exp(limb *acc, const limb *xm, const uint8_t *exponent, size_t exponent_bits,
                     const limb *one, const limb *n, limb n0inv, size_t nl, mont_fn *mul,
                     mont_fn *sqr)
{
    limb table[((size_t)1 << MAX_WINDOW) * MAXL], tmp[MAXL];
    unsigned w = window_bits(exponent_bits);
    size_t count = (size_t)1 << w;
    memcpy(table, one, nl * sizeof(limb));
    memcpy(table + nl, xm, nl * sizeof(limb));
    for (size_t i = 2; i < count; i++) {
        mul(table + i * nl, table + (i - 1) * nl, table + nl, n, n0inv, nl);
    }

    /* Left to right, one window at a time; the first window loads its entry directly. */
    size_t windows = (exponent_bits + w - 1) / w;
    if (windows == 0) {
        memcpy(acc, one, nl * sizeof(limb));
        return;
    }
    table_select(acc, table, count,
                 exponent_window(exponent, exponent_bits, (windows - 1) * w, w), nl);
    for (size_t k = windows - 1; k-- > 0;) {
        for (unsigned s = 0; s < w; s++) {
            sqr(acc, acc, acc, n, n0inv, nl);
        }
        table_select(tmp, table, count, exponent_window(exponent, exponent_bits, k * w, w), nl);
        mul(acc, acc, tmp, n, n0inv, nl);
    }
}

/* r = x R^-1 mod n (x < n): out of Montgomery form, a product with 1. */
static void from_mont(limb *r, const limb *x, const limb *n, limb n0inv, size_t nl, mont_fn *mul)
{
    limb one[MAXL] = {1};
    mul(r, x, one, n, n0inv, nl);
}

int nocrypto_mp_mod_exp(uint8_t *out, const uint8_t *base, const uint8_t *exponent,
                        size_t exponent_bits, const uint8_t *modulus, size_t len)
{
    if (bad_len(len) || exponent_bits > NOCRYPTO_MP_MAX_EXPONENT_BITS) {
        return -1;
    }
    size_t nl = len / 8;
    limb n[MAXL] = {0}, rr[MAXL], r2[MAXL], acc[MAXL], x[MAXL] = {0};
    load(n, modulus, nl);
    limb n0inv = nocrypto_mp_n0_inverse(n[0]);
    mont_fn *mul, *sqr;
    mont_ops(&mul, &sqr, nl);
    mont_setup(rr, r2, n, n0inv, nl, sqr);

    load(x, base, nl);
    mul(x, x, r2, n, n0inv, nl); /* base * R mod n */
    mont_exp(acc, x, exponent, exponent_bits, rr, n, n0inv, nl, mul, sqr);
    from_mont(acc, acc, n, n0inv, nl, mul);
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

/* --- RSA private operation by the CRT -------------------------------------------------- */

/* r = a + b mod m for a, b < m: the sum (with its carry) is below 2m; final_sub reduces. */
static void add_mod(limb *r, const limb *a, const limb *b, const limb *m, size_t nl)
{
    limb s[MAXL];
    limb carry = 0;
    for (size_t j = 0; j < nl; j++) {
        u128 z = (u128)a[j] + b[j] + carry;
        s[j] = (limb)z;
        carry = (limb)(z >> 64);
    }
    final_sub(r, s, carry, m, nl);
}

/* r = a - b mod m for a, b < m: the difference, plus m under the mask of its borrow. */
static void sub_mod(limb *r, const limb *a, const limb *b, const limb *m, size_t nl)
{
    limb d[MAXL];
    limb borrow = 0;
    for (size_t j = 0; j < nl; j++) {
        u128 z = (u128)a[j] - b[j] - borrow;
        d[j] = (limb)z;
        borrow = (limb)(z >> 64) & 1;
    }
    limb add = value_barrier((limb)0 - borrow);
    limb carry = 0;
    for (size_t j = 0; j < nl; j++) {
        u128 z = (u128)d[j] + (m[j] & add) + carry;
        r[j] = (limb)z;
        carry = (limb)(z >> 64);
    }
}

/*
 * y = x R mod m, the Montgomery form of x mod m, for x of xl limbs (any value) and m of ml
 * limbs with rr = R^2 mod m, R = 2^(64 ml). Horner's rule on the chunks of ml limbs,
 * x = sum c_k R^k: y = c_(K-1) R, then y = y R + c_k R for k = K-2 .. 0, each "times R" a
 * Montgomery product with R^2. A chunk need not be below m: a Montgomery product of a < R
 * and b < m is below (R m + R m) / R = 2m, which the final subtraction brings below m.
 * The chunk count and every index come from the public sizes.
 */
static void to_mont(limb *y, const limb *x, size_t xl, const limb *rr, const limb *m,
                    limb m0inv, size_t ml, mont_fn *mul)
{
    limb chunk[MAXL], t[MAXL];
    size_t chunks = (xl + ml - 1) / ml;
    for (size_t k = chunks; k-- > 0;) {
        size_t have = xl - k * ml < ml ? xl - k * ml : ml;
        memset(chunk, 0, ml * sizeof(limb));
        memcpy(chunk, x + k * ml, have * sizeof(limb));
        mul(t, chunk, rr, m, m0inv, ml);
        if (k == chunks - 1) {
            memcpy(y, t, ml * sizeof(limb));
        } else {
            mul(y, y, rr, m, m0inv, ml);
            add_mod(y, y, t, m, ml);
        }
    }
}

/* The Montgomery constants of one modulus: its limbs, n0', R mod m, R^2 mod m, products. */
struct mont_ctx {
    limb m[MAXL], one[MAXL], rr[MAXL];
    limb m0inv;
    size_t ml;
    mont_fn *mul, *sqr;
};

static void mont_ctx_init(struct mont_ctx *ctx, const uint8_t *modulus, size_t ml)
{
    ctx->ml = ml;
    load(ctx->m, modulus, ml);
    ctx->m0inv = nocrypto_mp_n0_inverse(ctx->m[0]);
    mont_ops(&ctx->mul, &ctx->sqr, ml);
    mont_setup(ctx->one, ctx->rr, ctx->m, ctx->m0inv, ml, ctx->sqr);
}

/* One CRT half: the Montgomery form of (c mod m)^d mod m, c of cl limbs, d of ml limbs. */
static void crt_half(limb *r, const limb *c, size_t cl, const uint8_t *d,
                     const struct mont_ctx *ctx)
{
    limb base[MAXL];
    to_mont(base, c, cl, ctx->rr, ctx->m, ctx->m0inv, ctx->ml, ctx->mul);
    mont_exp(r, base, d, 64 * ctx->ml, ctx->one, ctx->m, ctx->m0inv, ctx->ml, ctx->mul,
             ctx->sqr);
}

int nocrypto_mp_rsa_crt(uint8_t *out, uint8_t *blind_next, uint8_t *unblind_next,
                        const uint8_t *c_in, const uint8_t *blind_in,
                        const uint8_t *unblind_in, const uint8_t *modulus, size_t len,
                        const uint8_t *e, size_t e_bits, const uint8_t *p_in,
                        const uint8_t *dp, const uint8_t *qinv_in, size_t p_len,
                        const uint8_t *q_in, const uint8_t *dq, size_t q_len)
{
    if (bad_len(len) || bad_len(p_len) || bad_len(q_len) || p_len > len || q_len > len ||
        e_bits == 0 || e_bits > 8 * len) {
        return -1;
    }
    size_t nl = len / 8, pl = p_len / 8, ql = q_len / 8;
    struct mont_ctx N, P, Q;
    mont_ctx_init(&N, modulus, nl);
    mont_ctx_init(&P, p_in, pl);
    mont_ctx_init(&Q, q_in, ql);

    limb c[MAXL], a[MAXL], ai[MAXL], am[MAXL], cb[MAXL], t[MAXL];
    load(c, c_in, nl);
    load(a, blind_in, nl);
    load(ai, unblind_in, nl);

    /* Blind (Kocher 1996): cb = c a mod n, via am = a R mod n; the next blinding factor
     * a^2 = (a R) a R^-1 comes with it. */
    N.mul(am, a, N.rr, N.m, N.m0inv, nl);
    N.mul(cb, c, am, N.m, N.m0inv, nl);
    N.mul(t, am, a, N.m, N.m0inv, nl);
    store(blind_next, t, nl);

    /* RFC 8017 5.1.2 step 2.b: m1 = cb^dP mod p, m2 = cb^dQ mod q (Montgomery forms
     * m1m, m2m), h = (m1 - m2) qInv mod p, m = m2 + q h. */
    limb m1m[MAXL], m2m[MAXL], m2[MAXL], m2p[MAXL], h[MAXL], qinv[MAXL] = {0};
    crt_half(m1m, cb, nl, dp, &P);
    crt_half(m2m, cb, nl, dq, &Q);
    from_mont(m2, m2m, Q.m, Q.m0inv, ql, Q.mul);
    to_mont(m2p, m2, ql, P.rr, P.m, P.m0inv, pl, P.mul); /* m2 R mod p */
    sub_mod(t, m1m, m2p, P.m, pl);                        /* (m1 - m2) R mod p */
    load(qinv, qinv_in, pl);
    P.mul(h, t, qinv, P.m, P.m0inv, pl); /* (m1 - m2) qInv mod p, plain */

    /* mb = m2 + q h, schoolbook (pl + ql limbs; below n = p q, so its top limbs past nl are
     * zero for a consistent key, and dropping them only makes a bad result worse). */
    limb mb[2 * MAXL] = {0};
    memcpy(mb, m2, ql * sizeof(limb));
    for (size_t i = 0; i < pl; i++) {
        limb carry = 0;
        for (size_t j = 0; j < ql; j++) {
            u128 z = (u128)h[i] * Q.m[j] + mb[i + j] + carry;
            mb[i + j] = (limb)z;
            carry = (limb)(z >> 64);
        }
        for (size_t j = i + ql; j < pl + ql; j++) {
            u128 z = (u128)mb[j] + carry;
            mb[j] = (limb)z;
            carry = (limb)(z >> 64);
        }
    }

    /* Verify before release (Boneh, DeMillo, Lipton 1997): mb^e = cb mod n, by square and
     * multiply on the public e. mbm = mb R mod n. */
    limb mbm[MAXL], s[MAXL];
    N.mul(mbm, mb, N.rr, N.m, N.m0inv, nl);
    memcpy(s, mbm, nl * sizeof(limb));
    for (size_t i = e_bits - 1; i-- > 0;) {
        N.sqr(s, s, s, N.m, N.m0inv, nl);
        if ((e[i >> 3] >> (i & 7)) & 1) {
            N.mul(s, s, mbm, N.m, N.m0inv, nl);
        }
    }
    from_mont(s, s, N.m, N.m0inv, nl, N.mul);
    limb diff = 0;
    for (size_t j = 0; j < nl; j++) {
        diff |= s[j] ^ cb[j];
    }
    limb good = ~mask_nonzero(diff);

    /* Unblind: m = mb ai = (mb R) ai R^-1, released only if good; the next unblinding
     * factor ai^2 = (ai R) ai R^-1. */
    N.mul(t, mbm, ai, N.m, N.m0inv, nl);
    for (size_t j = 0; j < nl; j++) {
        t[j] &= good;
    }
    store(out, t, nl);
    N.mul(am, ai, N.rr, N.m, N.m0inv, nl);
    N.mul(t, am, ai, N.m, N.m0inv, nl);
    store(unblind_next, t, nl);
    return (int)(~good & 1);
}
