/*
 * TDEA / 3DES-EDE (SP 800-67 Rev. 2) over DES (FIPS 46-3), ECB and CBC (SP 800-38A).
 * Twin: nocrypto/_ref/des.py. Kept only for the legacy TLS suite
 * TLS_RSA_WITH_3DES_EDE_CBC_SHA.
 *
 * A key schedule is an opaque block of NOCRYPTO_DES3_SCHEDULE_BYTES bytes made by
 * nocrypto_des3_expand_key from a 24-byte key K1 || K2 || K3. Blocks are 8 bytes.
 *
 * No table is indexed by secret data and no branch depends on it: each S-box is evaluated
 * by shifting 64-bit truth tables right by the 6-bit S-box input (a register operation),
 * and the permutations and the key schedule move bits with fixed shifts.
 */
#ifndef NOCRYPTO_DES_H
#define NOCRYPTO_DES_H

#include <stddef.h>
#include <stdint.h>

#define NOCRYPTO_DES3_SCHEDULE_BYTES 384

/* Expand a 24-byte key K1 || K2 || K3 (SP 800-67 3.2: keying options 1 and 2, and also the
 * degenerate K1 = K2 = K3 used by the NIST known-answer tests; refusing weak keying
 * options is the caller's job). Returns 0, or -1 if key_len != 24. */
int nocrypto_des3_expand_key(uint8_t *schedule, const uint8_t *key, size_t key_len);

/* TECB over nblocks whole 8-byte blocks (in and out may be the same buffer). */
void nocrypto_des3_ecb_encrypt(const uint8_t *schedule, const uint8_t *in, uint8_t *out,
                               size_t nblocks);
void nocrypto_des3_ecb_decrypt(const uint8_t *schedule, const uint8_t *in, uint8_t *out,
                               size_t nblocks);

/* TCBC over nblocks whole blocks; iv[8] is updated to the last ciphertext block, so calls
 * can be chained (in and out may be the same buffer). */
void nocrypto_des3_cbc_encrypt(const uint8_t *schedule, uint8_t *iv, const uint8_t *in,
                               uint8_t *out, size_t nblocks);
void nocrypto_des3_cbc_decrypt(const uint8_t *schedule, uint8_t *iv, const uint8_t *in,
                               uint8_t *out, size_t nblocks);

#endif /* NOCRYPTO_DES_H */
