/*
 * AES (FIPS 197) and its modes (SP 800-38A): the C-level interface other kernels use
 * (AES-GCM in gcm.c, the CSPRNG). Twin: nocrypto/_ref/aes.py.
 *
 * A key schedule is an opaque block of NOCRYPTO_AES_SCHEDULE_BYTES bytes made by
 * nocrypto_aes_expand_key. It records which implementation made it (AES-NI or the portable
 * constant-time C), and every function dispatches on that record, so a schedule stays valid
 * whatever nocrypto_cpu_restrict() says later.
 */
#ifndef NOCRYPTO_AES_H
#define NOCRYPTO_AES_H

#include <stddef.h>
#include <stdint.h>

#define NOCRYPTO_AES_SCHEDULE_BYTES 1024

/* Expand a 16-, 24- or 32-byte key. Returns 0, or -1 for another key length. */
int nocrypto_aes_expand_key(uint8_t *schedule, const uint8_t *key, size_t key_len);

/* ECB over nblocks whole 16-byte blocks (in and out may be the same buffer). */
void nocrypto_aes_ecb_encrypt(const uint8_t *schedule, const uint8_t *in, uint8_t *out,
                              size_t nblocks);
void nocrypto_aes_ecb_decrypt(const uint8_t *schedule, const uint8_t *in, uint8_t *out,
                              size_t nblocks);

/* CBC over nblocks whole blocks; iv[16] is updated to the last ciphertext block, so calls
 * can be chained. (in and out may be the same buffer.) */
void nocrypto_aes_cbc_encrypt(const uint8_t *schedule, uint8_t *iv, const uint8_t *in,
                              uint8_t *out, size_t nblocks);
void nocrypto_aes_cbc_decrypt(const uint8_t *schedule, uint8_t *iv, const uint8_t *in,
                              uint8_t *out, size_t nblocks);

/* CTR over len bytes (any length). The last counter_bytes (1..16) bytes of counter[16] are
 * a big-endian counter incremented once per block modulo 2^(8*counter_bytes); the other
 * bytes never change. counter[16] is updated to the counter of the next block (a final
 * partial block uses up its counter). (in and out may be the same buffer.) */
void nocrypto_aes_ctr(const uint8_t *schedule, uint8_t *counter, unsigned counter_bytes,
                      const uint8_t *in, uint8_t *out, size_t len);

/* For fused AES-NI kernels (AES-GCM): the encryption round keys (rounds + 1 of 16 bytes,
 * not necessarily 16-byte aligned: load them with _mm_loadu_si128) and the round count, or
 * NULL if the schedule was not made for AES-NI. */
const uint8_t *nocrypto_aes_ni_round_keys(const uint8_t *schedule, unsigned *rounds);

#endif /* NOCRYPTO_AES_H */
