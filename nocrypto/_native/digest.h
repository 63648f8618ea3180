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

/*
 * One call for the end of a hash, a whole hash or a whole HMAC, to spare short messages the
 * cost of many calls. The hash is named by id: */
#define NOCRYPTO_HASH_MD5    0u
#define NOCRYPTO_HASH_SHA1   1u
#define NOCRYPTO_HASH_SHA224 2u
#define NOCRYPTO_HASH_SHA256 3u
#define NOCRYPTO_HASH_SHA384 4u
#define NOCRYPTO_HASH_SHA512 5u

/* out[out_len] = the digest (truncated for SHA-224 and SHA-384) of a message whose whole
 * blocks left the chaining value state (as above; not modified), whose remaining bytes are
 * tail[tail_len], tail_len < the block size, and whose length in bits is bits_hi:bits_lo:
 * pads (RFC 1321, 3.1-3.2; FIPS 180-4, 5.1) with the low-order 64 bits of the length (128
 * for SHA-384 and SHA-512) - the caller enforces the SHA bound on the message length - and
 * runs the last one or two compressions. Returns 0, or -1 for an unknown id, an out_len that
 * is not the digest size or a tail_len that is not below the block size.
 * Secret: state, tail (and out). */
int nocrypto_hash_finish(uint32_t id, uint8_t *out, size_t out_len, const uint8_t *state,
                         const uint8_t *tail, size_t tail_len, uint64_t bits_hi,
                         uint64_t bits_lo);

/* out[out_len] = the digest of data[len] (the whole hash: initial value, compressions,
 * padding). Returns 0, or -1 for an unknown id or an out_len that is not the digest size.
 * Secret: data (and out); only len steers. */
int nocrypto_hash_message(uint32_t id, uint8_t *out, size_t out_len, const uint8_t *data,
                          size_t len);

/* out[out_len] = HMAC(key, msg) (RFC 2104; FIPS 198-1) over the hash id; a key longer than
 * the block size is hashed first. Returns 0, or -1 for an unknown id or an out_len that is
 * not the digest size. Secret: key, msg (and out); only key_len and msg_len steer. */
int nocrypto_hmac(uint32_t id, uint8_t *out, size_t out_len, const uint8_t *key,
                  size_t key_len, const uint8_t *msg, size_t msg_len);

#endif /* NOCRYPTO_DIGEST_H */
