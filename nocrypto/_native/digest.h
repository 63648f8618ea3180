/*
 * Hash compression functions: MD5 (RFC 1321), SHA-1, SHA-256 and SHA-512 (FIPS 180-4).
 * Twin: nocrypto/_ref/digest.py.
 *
 * Each function runs the compression function of its hash over nblocks whole blocks
 * (64 bytes; 128 for SHA-512), updating the chaining value in place. The chaining value
 * is kept serialised as the digest is: MD5 as 4 little-endian 32-bit words (16 bytes),
 * SHA-1 and SHA-256 as 5 and 8 big-endian 32-bit words (20 and 32 bytes), SHA-512 as
 * 8 big-endian 64-bit words (64 bytes). SHA-224 and SHA-384 use the SHA-256 and SHA-512
 * functions with their own initial values and truncate at the end (FIPS 180-4, 6.3/6.5).
 *
 * Padding is the caller's job. Nothing here branches on or indexes by the state or the
 * message: only nblocks (public) steers. SHA-1 and SHA-256 use the SHA extensions
 * (SHA-NI) when nocrypto_cpu_features() has NOCRYPTO_HW_SHA.
 */
#ifndef NOCRYPTO_DIGEST_H
#define NOCRYPTO_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define NOCRYPTO_MD5_STATE_BYTES    16
#define NOCRYPTO_SHA1_STATE_BYTES   20
#define NOCRYPTO_SHA256_STATE_BYTES 32
#define NOCRYPTO_SHA512_STATE_BYTES 64

void nocrypto_md5_compress(uint8_t *state, const uint8_t *blocks, size_t nblocks);
void nocrypto_sha1_compress(uint8_t *state, const uint8_t *blocks, size_t nblocks);
void nocrypto_sha256_compress(uint8_t *state, const uint8_t *blocks, size_t nblocks);
void nocrypto_sha512_compress(uint8_t *state, const uint8_t *blocks, size_t nblocks);

#endif /* NOCRYPTO_DIGEST_H */
