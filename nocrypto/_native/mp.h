/*
 * Multi-precision modular arithmetic: Montgomery multiplication, fixed-window modular
 * exponentiation, constant-time modular inverse, for odd moduli of up to 8192 bits.
 * Twin: nocrypto/_ref/mp.py (the executable specification).
 *
 * Numbers cross the Python boundary as little-endian byte strings of len = 8 * limbs bytes
 * (1 <= limbs <= NOCRYPTO_MP_MAX_LIMBS). Preconditions the wrapper (nocrypto/_native/mp.py)
 * checks: the modulus is odd, at least 3, and its top limb is not zero (limbs is its exact
 * size); every other operand is below the modulus. The kernels keep no state and allocate
 * nothing (fixed-size stack buffers).
 *
 * Constant time: for a given limbs (and, for mod_exp, exponent_bits) the sequence of
 * instructions and memory addresses is fixed: no branch or index depends on the base, the
 * exponent, the operands or the modulus (which is secret for RSA's CRT halves p and q).
 */
#ifndef NOCRYPTO_MP_H
#define NOCRYPTO_MP_H

#include <stddef.h>
#include <stdint.h>

#define NOCRYPTO_MP_MAX_LIMBS 128 /* 8192-bit moduli */
#define NOCRYPTO_MP_MAX_EXPONENT_BITS 65536

/*
 * out = base^exponent mod modulus. exponent is (exponent_bits + 7) / 8 little-endian bytes
 * (the public bound 0 <= exponent < 2^exponent_bits fixes the loop); base, modulus and out
 * are len bytes. Returns 0, or -1 for a bad len or exponent_bits (public values only).
 */
int nocrypto_mp_mod_exp(uint8_t *out, const uint8_t *base, const uint8_t *exponent,
                        size_t exponent_bits, const uint8_t *modulus, size_t len);

/* out = a * b mod modulus (len bytes each). Returns 0, or -1 for a bad len. */
int nocrypto_mp_mod_mul(uint8_t *out, const uint8_t *a, const uint8_t *b,
                        const uint8_t *modulus, size_t len);

/*
 * out = a^-1 mod modulus, or 0 if gcd(a, modulus) != 1 (len bytes each). Returns 0, or -1
 * for a bad len.
 */
int nocrypto_mp_mod_inverse(uint8_t *out, const uint8_t *a, const uint8_t *modulus,
                            size_t len);

/* --- limb level, for other C kernels ------------------------------------------------- */

/* -n0^-1 mod 2^64 for an odd n0 (Newton iteration). */
uint64_t nocrypto_mp_n0_inverse(uint64_t n0);

/*
 * r = a * b * 2^(-64*nl) mod n (CIOS Montgomery product) for a, b < n, n odd with nl
 * limbs; n0inv = nocrypto_mp_n0_inverse(n[0]). r may alias a or b.
 */
void nocrypto_mp_mont_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *n,
                          uint64_t n0inv, size_t nl);

#endif /* NOCRYPTO_MP_H */
