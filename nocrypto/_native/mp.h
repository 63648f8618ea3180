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

/*
 * The RSA private operation by the CRT (RFC 8017 5.1.2, second form of the key), blinded and
 * verified, with every secret in one call. With a = blind and ai = unblind (a = r^e and
 * ai = r^-1 mod n for a secret random r, or both 1):
 *   cb = c a mod n; m1 = cb^dP mod p; m2 = cb^dQ mod q; h = (m1 - m2) qInv mod p;
 *   mb = m2 + q h; then the check mb^e = cb mod n (a fault in either half or in the
 *   recombination fails it, Boneh-DeMillo-Lipton 1997), and out = mb ai mod n.
 * Also blind_next = a^2 mod n, unblind_next = ai^2 mod n (the next blinding pair).
 * c, blind, unblind, modulus, out, blind_next and unblind_next are len bytes; e is
 * (e_bits + 7) / 8 bytes with e_bits its exact bit length (public, 1 <= e < n); p, dp, qInv
 * are p_len bytes and q, dq are q_len bytes (p, q odd with a non-zero top limb; c, blind,
 * unblind < n; dP, qInv < p; dQ < q). The exponentiations run over 64 * limbs bits of dP
 * and dQ. Returns 0; 1 if the check failed (out is then all zero); -1 for bad sizes.
 * Constant time in everything but len, p_len, q_len and e.
 */
int nocrypto_mp_rsa_crt(uint8_t *out, uint8_t *blind_next, uint8_t *unblind_next,
                        const uint8_t *c, const uint8_t *blind, const uint8_t *unblind,
                        const uint8_t *modulus, size_t len, const uint8_t *e, size_t e_bits,
                        const uint8_t *p, const uint8_t *dp, const uint8_t *qinv, size_t p_len,
                        const uint8_t *q, const uint8_t *dq, size_t q_len);

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
