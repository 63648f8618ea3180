/*
 * NIST P-256, P-384 and P-521 point multiplication (FIPS 186-4 D.1.2, SEC 1).
 * Twin: nocrypto/_ref/ecp.py.
 *
 * curve: NOCRYPTO_ECP_P256, NOCRYPTO_ECP_P384 or NOCRYPTO_ECP_P521; L = 32, 48 or 66 bytes.
 * Points are SEC 1 uncompressed octet strings 0x04 || X || Y (1 + 2L bytes); scalars are
 * L-byte big-endian integers, any value (reduced modulo the group order n inside).
 *
 * Each function writes the result point into out[1 + 2L] and returns
 *   1  the result is a finite point (written to out);
 *   0  the result is the point at infinity (out is 0x04 followed by zeros);
 *  -1  the input point is not a valid point: not 0x04 || X || Y, a coordinate >= p, or not
 *      on the curve (SEC 1, 3.2.2.1) - out is untouched;
 *  -2  bad arguments: unknown curve or a length that is not the curve's.
 *
 * nocrypto_ecp_mul and nocrypto_ecp_mul_base are constant time in the scalar (complete
 * addition formulas, fixed windows, tables read whole); the input point of nocrypto_ecp_mul
 * is public. nocrypto_ecp_mul_add takes only public values and is variable time.
 */
#ifndef NOCRYPTO_ECP_H
#define NOCRYPTO_ECP_H

#include <stddef.h>
#include <stdint.h>

#define NOCRYPTO_ECP_P256 0u
#define NOCRYPTO_ECP_P384 1u
#define NOCRYPTO_ECP_P521 2u

/* out = scalar * point. Secret: scalar (and the result). */
int nocrypto_ecp_mul(uint32_t curve, uint8_t *out, size_t out_len, const uint8_t *scalar,
                     size_t scalar_len, const uint8_t *point, size_t point_len);

/* out = scalar * G. Secret: scalar (and the result). */
int nocrypto_ecp_mul_base(uint32_t curve, uint8_t *out, size_t out_len, const uint8_t *scalar,
                          size_t scalar_len);

/* out = u1 * G + u2 * point, for signature verification. All inputs public. */
int nocrypto_ecp_mul_add(uint32_t curve, uint8_t *out, size_t out_len, const uint8_t *u1,
                         const uint8_t *u2, size_t scalar_len, const uint8_t *point,
                         size_t point_len);

/* ECDSA signature (SEC 1 4.1.3; FIPS 186-4 6.4) with the private key d, the nonce k and the
 * hash value e (the leftmost bits of the message hash, SEC 1 4.1.3 step 5), all scalars as
 * above (reduced modulo n inside): R = k G, r = x_R mod n, s = k^-1 (e + r d) mod n, the
 * inverse by constant-time safegcd, the products in Montgomery form modulo n. Writes r || s
 * (2L bytes, big-endian) into sig[sig_len] and returns 1; returns 0, with sig zeroed, when
 * r = 0 or s = 0 (the caller takes another k); -2 for bad arguments (unknown curve,
 * sig_len != 2L, scalar_len != L). Constant time in d, k and e.
 * Secret: d, k (and e, treated as secret). */
int nocrypto_ecdsa_sign(uint32_t curve, uint8_t *sig, size_t sig_len, const uint8_t *d,
                        const uint8_t *k, const uint8_t *e, size_t scalar_len);

#endif /* NOCRYPTO_ECP_H */
