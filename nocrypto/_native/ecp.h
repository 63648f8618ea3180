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

#endif /* NOCRYPTO_ECP_H */
