/*
 * GHASH and AES-GCM (NIST SP 800-38D). Twin: nocrypto/_ref/gcm.py.
 *
 * The GHASH key is an opaque block of NOCRYPTO_GHASH_KEY_BYTES bytes made by
 * nocrypto_ghash_key from the hash subkey H = E(K, 0^128): the powers H^1..H^8, in a form
 * that both the PCLMULQDQ path and the portable constant-time path read, so a key made under
 * any nocrypto_cpu_restrict() mask works with every path. The AES key schedule comes from
 * nocrypto_aes_expand_key (aes.h).
 */
#ifndef NOCRYPTO_GCM_H
#define NOCRYPTO_GCM_H

#include <stddef.h>
#include <stdint.h>

#define NOCRYPTO_GHASH_KEY_BYTES 256

/* Precompute the GHASH key from h[16] = E(K, 0^128). */
void nocrypto_ghash_key(uint8_t *hkey, const uint8_t *h);

/* SP 800-38D §6.4: continue GHASH from y[16] over nblocks 16-byte blocks; y is updated. */
void nocrypto_ghash(const uint8_t *hkey, uint8_t *y, const uint8_t *data, size_t nblocks);

/* SP 800-38D §7.1: out[len + 16] = ciphertext || 16-byte tag of in[len] under the AES key
 * schedule and the pre-counter block j0[16], with additional data aad[aad_len]. */
void nocrypto_aes_gcm_seal(const uint8_t *schedule, const uint8_t *hkey, const uint8_t *j0,
                           const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                           uint8_t *out);

/* SP 800-38D §7.2: compute the tag over aad and in[len] (the ciphertext), compare its first
 * tag_len (1..16) bytes with tag in constant time, and only then decrypt into out[len].
 * Returns 1 on success, 0 on a mismatch (out is then left untouched). */
int nocrypto_aes_gcm_open(const uint8_t *schedule, const uint8_t *hkey, const uint8_t *j0,
                          const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                          const uint8_t *tag, size_t tag_len, uint8_t *out);

#endif /* NOCRYPTO_GCM_H */
