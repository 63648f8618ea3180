/*
 * X25519 and X448 (RFC 7748) and the group operations of Ed25519 (RFC 8032, section 5.1).
 * Twin: nocrypto/_ref/ecx.py.
 *
 * Secrets (DESIGN.md, principle 8): the scalars of nocrypto_x25519, nocrypto_x448 and
 * nocrypto_ed25519_mul_base, and every input of nocrypto_ed25519_scalar_muladd, never steer a
 * branch or a memory index. nocrypto_ed25519_mul_add_vartime takes public inputs only
 * (signature verification) and is variable time.
 */
#ifndef NOCRYPTO_ECX_H
#define NOCRYPTO_ECX_H

#include <stddef.h>
#include <stdint.h>

/* RFC 7748 section 5: out[32] = X25519(scalar[32], u[32]); the scalar is clamped and the top
 * bit of u masked inside. An all-zero output (low-order u) is returned as is: the caller
 * decides (section 6.1). */
void nocrypto_x25519(uint8_t *out, const uint8_t *scalar, const uint8_t *u);

/* RFC 7748 section 5: out[56] = X448(scalar[56], u[56]); the scalar is clamped inside. */
void nocrypto_x448(uint8_t *out, const uint8_t *scalar, const uint8_t *u);

/* RFC 8032 5.1: out[32] = the encoding (5.1.2) of [s]B for the 32-byte little-endian scalar
 * s (any value below 2^256; reduced modulo L inside), constant time in s. */
void nocrypto_ed25519_mul_base(uint8_t *out, const uint8_t *s);

/* RFC 8032 5.1.7: out[32] = the encoding of [s]B - [k]A, where a[32] is the encoding of A
 * (decoded strictly, 5.1.3: y >= p and "x = 0 with the sign bit set" are refused) and s, k
 * are 32-byte little-endian scalars (any value below 2^256; k is NOT reduced modulo L, as A
 * may have a small-order component). Returns 1, or 0 (out untouched) if a does not decode.
 * Public inputs only: variable time. */
int nocrypto_ed25519_mul_add_vartime(uint8_t *out, const uint8_t *s, const uint8_t *k,
                                     const uint8_t *a);

/* RFC 8032 5.1.6 step 6: out[32] = (a * b + c) mod L for 32-byte little-endian a, b and a
 * 64-byte little-endian c, canonical (below L); constant time in all of them. */
void nocrypto_ed25519_scalar_muladd(uint8_t *out, const uint8_t *a, const uint8_t *b,
                                    const uint8_t *c);

#endif /* NOCRYPTO_ECX_H */
