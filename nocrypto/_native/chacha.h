/*
 * ChaCha20, Poly1305 and the ChaCha20-Poly1305 AEAD (RFC 8439). Twin: nocrypto/_ref/chacha.py.
 *
 * All lengths are public; keys, nonces used as keys, plaintexts, keystream and the Poly1305
 * accumulator are secret and never steer a branch or a memory index (DESIGN.md, principle 8).
 * ChaCha20 has a portable C path and an AVX2 path (8 blocks at a time), chosen at run time
 * with nocrypto_cpu_features(); both are ARX code, constant time by construction.
 */
#ifndef NOCRYPTO_CHACHA_H
#define NOCRYPTO_CHACHA_H

#include <stddef.h>
#include <stdint.h>

/* RFC 8439 §2.4: XOR len bytes of in with the keystream of key[32] and nonce[12], starting
 * at block counter (the 32-bit block counter wraps modulo 2^32; callers must not let it).
 * in and out may be the same buffer. */
void nocrypto_chacha20_xor(const uint8_t *key, uint32_t counter, const uint8_t *nonce,
                           const uint8_t *in, uint8_t *out, size_t len);

/* RFC 8439 §2.5: the 16-byte Poly1305 tag of msg[len] under the one-time key[32]. */
void nocrypto_poly1305(uint8_t *tag, const uint8_t *key, const uint8_t *msg, size_t len);

/* RFC 8439 §2.8: out[len + 16] = ciphertext || tag of in[len] with additional data aad. */
void nocrypto_chacha20_poly1305_seal(const uint8_t *key, const uint8_t *nonce,
                                     const uint8_t *aad, size_t aad_len, const uint8_t *in,
                                     size_t len, uint8_t *out);

/* RFC 8439 §2.8: recompute the tag over aad and in[len] (the ciphertext), compare it with
 * tag[16] in constant time and only then decrypt into out[len]. Returns 1 on success, 0 on a
 * bad tag (out is then left untouched). */
int nocrypto_chacha20_poly1305_open(const uint8_t *key, const uint8_t *nonce,
                                    const uint8_t *aad, size_t aad_len, const uint8_t *in,
                                    size_t len, const uint8_t *tag, uint8_t *out);

#endif /* NOCRYPTO_CHACHA_H */
