/*
 * Constant-time check of the nocrypto C kernels under valgrind memcheck; see README.md.
 */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "aes.h"
#include "chacha.h"
#include "cpu.h"
#include "ct.h"
#include "des.h"
#include "digest.h"
#include "ecp.h"
#include "ecx.h"
#include "gcm.h"
#include "mp.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed + 31u * i);
    }
}

static void check_ct_equal(void)
{
    uint8_t a[100], b[100];
    fill(a, sizeof a, 1);
    fill(b, sizeof b, 1);
    b[57] ^= 4;
    SECRET(a, sizeof a);
    SECRET(b, sizeof b);
    int r = nocrypto_ct_equal(a, b, sizeof a);
    PUBLIC(&r, sizeof r);
    if (r != 0) {
        puts("ct_equal: wrong answer");
    }
}

static void check_digest(void)
{
    uint8_t state[64], blocks[4 * 128];
    fill(blocks, sizeof blocks, 3);
    const struct {
        void (*f)(uint8_t *, const uint8_t *, size_t);
        size_t state_len, block_len;
    } hashes[] = {
        {nocrypto_md5_compress, NOCRYPTO_MD5_STATE_BYTES, 64},
        {nocrypto_sha1_compress, NOCRYPTO_SHA1_STATE_BYTES, 64},
        {nocrypto_sha256_compress, NOCRYPTO_SHA256_STATE_BYTES, 64},
        {nocrypto_sha512_compress, NOCRYPTO_SHA512_STATE_BYTES, 128},
    };
    for (size_t i = 0; i < sizeof hashes / sizeof hashes[0]; i++) {
        fill(state, sizeof state, (uint8_t)i);
        /* HMAC keys and secrets pass through hash states and blocks: both secret. */
        SECRET(state, hashes[i].state_len);
        SECRET(blocks, sizeof blocks);
        hashes[i].f(state, blocks, sizeof blocks / hashes[i].block_len);
        PUBLIC(state, sizeof state);
    }
    /* The one-call kernels: the state, tail, message and key are secret; lengths public.
     * Tails that fit one padding block and tails that need two; keys shorter and longer
     * than the block (hashed first). */
    static const size_t digest_len[6] = {16, 20, 28, 32, 48, 64};
    uint8_t key[200], out[64];
    for (uint32_t id = NOCRYPTO_HASH_MD5; id <= NOCRYPTO_HASH_SHA512; id++) {
        const size_t block = id >= NOCRYPTO_HASH_SHA384 ? 128 : 64;
        const size_t tails[2] = {block / 2, block - 3};
        for (size_t t = 0; t < 2; t++) {
            fill(state, sizeof state, (uint8_t)(id + 10 * t));
            SECRET(state, sizeof state);
            SECRET(blocks, sizeof blocks);
            int r = nocrypto_hash_finish(id, out, digest_len[id], state, blocks, tails[t], 0,
                                         8 * (5 * block + tails[t]));
            PUBLIC(&r, sizeof r);
            PUBLIC(out, sizeof out);
            if (r != 0) {
                printf("hash_finish %u: returned %d\n", (unsigned)id, r);
            }
        }
        SECRET(blocks, sizeof blocks);
        int r1 = nocrypto_hash_message(id, out, digest_len[id], blocks, 3 * block + 7);
        PUBLIC(out, sizeof out);
        const size_t key_lens[3] = {0, 32, sizeof key};
        int r2 = 0;
        for (size_t k = 0; k < 3; k++) {
            fill(key, sizeof key, (uint8_t)(id + 40 + k));
            SECRET(key, sizeof key);
            SECRET(blocks, sizeof blocks);
            r2 |= nocrypto_hmac(id, out, digest_len[id], key, key_lens[k], blocks, 2 * block + 5);
            PUBLIC(out, sizeof out);
        }
        PUBLIC(&r1, sizeof r1);
        PUBLIC(&r2, sizeof r2);
        if (r1 != 0 || r2 != 0) {
            printf("hash_message / hmac %u: returned %d %d\n", (unsigned)id, r1, r2);
        }
    }
}

static void check_aes(void)
{
    static uint8_t schedule[NOCRYPTO_AES_SCHEDULE_BYTES];
    uint8_t key[32], iv[16], counter[16], in[16 * 9 + 5], out[sizeof in];
    for (size_t key_len = 16; key_len <= 32; key_len += 8) {
        fill(key, sizeof key, 9);
        fill(in, sizeof in, 10);
        fill(iv, sizeof iv, 11);
        fill(counter, sizeof counter, 12);
        SECRET(key, sizeof key);
        SECRET(in, sizeof in);
        if (nocrypto_aes_expand_key(schedule, key, key_len) != 0) {
            puts("aes: expand failed");
        }
        nocrypto_aes_ecb_encrypt(schedule, in, out, 9);
        nocrypto_aes_ecb_decrypt(schedule, in, out, 9);
        nocrypto_aes_cbc_encrypt(schedule, iv, in, out, 9);
        nocrypto_aes_cbc_decrypt(schedule, iv, in, out, 9);
        /* the counter is public; the key stream and data are not */
        nocrypto_aes_ctr(schedule, counter, 16, in, out, sizeof in);
        nocrypto_aes_ctr(schedule, counter, 4, in, out, sizeof in);
        PUBLIC(out, sizeof out);
        PUBLIC(schedule, sizeof schedule);
    }
}

static void check_des(void)
{
    static uint8_t schedule[NOCRYPTO_DES3_SCHEDULE_BYTES];
    uint8_t key[24], iv[8], in[8 * 5], out[sizeof in];
    fill(key, sizeof key, 21);
    fill(in, sizeof in, 22);
    fill(iv, sizeof iv, 23);
    SECRET(key, sizeof key);
    SECRET(in, sizeof in);
    if (nocrypto_des3_expand_key(schedule, key, sizeof key) != 0) {
        puts("des: expand failed");
    }
    nocrypto_des3_ecb_encrypt(schedule, in, out, 5);
    nocrypto_des3_ecb_decrypt(schedule, in, out, 5);
    nocrypto_des3_cbc_encrypt(schedule, iv, in, out, 5);
    nocrypto_des3_cbc_decrypt(schedule, iv, in, out, 5);
    PUBLIC(out, sizeof out);
}

static void check_ecx(void)
{
    uint8_t scalar[56], u[56], out[56], wide[64], a[32], b[32];
    fill(scalar, sizeof scalar, 31);
    fill(u, sizeof u, 32);
    fill(wide, sizeof wide, 33);
    fill(a, sizeof a, 34);
    fill(b, sizeof b, 35);
    /* Diffie-Hellman: the scalar is secret; the peer's u is treated as secret too. */
    SECRET(scalar, sizeof scalar);
    SECRET(u, sizeof u);
    nocrypto_x25519(out, scalar, u);
    nocrypto_x448(out, scalar, u);
    /* Ed25519 signing: [r]B with the secret nonce, S = r + k * s mod L with secret s, r. */
    nocrypto_ed25519_mul_base(out, scalar);
    SECRET(wide, sizeof wide);
    SECRET(b, sizeof b);
    nocrypto_ed25519_scalar_muladd(out, a, b, wide);
    PUBLIC(out, sizeof out);
}

static void check_chacha(void)
{
    uint8_t key[32], nonce[12], aad[20], in[300], out[300 + 16], tag[16];
    fill(key, sizeof key, 41);
    fill(nonce, sizeof nonce, 42);
    fill(aad, sizeof aad, 43);
    fill(in, sizeof in, 44);
    SECRET(key, sizeof key);
    SECRET(in, sizeof in);
    nocrypto_chacha20_xor(key, 1, nonce, in, out, sizeof in);
    nocrypto_poly1305(tag, key, in, sizeof in);
    nocrypto_chacha20_poly1305_seal(key, nonce, aad, sizeof aad, in, sizeof in, out);
    /* open: a good tag and a bad one (the tag check's outcome is declassified inside) */
    memcpy(tag, out + sizeof in, 16);
    int ok = nocrypto_chacha20_poly1305_open(key, nonce, aad, sizeof aad, out, sizeof in, tag,
                                             in);
    tag[3] ^= 1;
    int bad = nocrypto_chacha20_poly1305_open(key, nonce, aad, sizeof aad, out, sizeof in, tag,
                                              in);
    PUBLIC(&ok, sizeof ok);
    PUBLIC(&bad, sizeof bad);
    PUBLIC(out, sizeof out);
    if (ok != 1 || bad != 0) {
        printf("chacha20-poly1305: open gave %d and %d\n", ok, bad);
    }
}

static void check_gcm(void)
{
    static uint8_t schedule[NOCRYPTO_AES_SCHEDULE_BYTES];
    static uint8_t hkey[NOCRYPTO_GHASH_KEY_BYTES];
    uint8_t key[16], h[16], y[16], j0[16], aad[20], in[16 * 9 + 7], out[sizeof in + 16];
    uint8_t tag[16];
    fill(key, sizeof key, 51);
    fill(j0, sizeof j0, 52);
    fill(aad, sizeof aad, 53);
    fill(in, sizeof in, 54);
    memset(h, 0, sizeof h);
    SECRET(key, sizeof key);
    SECRET(in, sizeof in);
    nocrypto_aes_expand_key(schedule, key, sizeof key);
    nocrypto_aes_ecb_encrypt(schedule, h, h, 1); /* H = E(K, 0^128), secret */
    nocrypto_ghash_key(hkey, h);
    memset(y, 0, sizeof y);
    nocrypto_ghash(hkey, y, in, 9);
    nocrypto_aes_gcm_seal(schedule, hkey, j0, aad, sizeof aad, in, sizeof in, out);
    memcpy(tag, out + sizeof in, 16);
    int ok = nocrypto_aes_gcm_open(schedule, hkey, j0, aad, sizeof aad, out, sizeof in, tag, 16,
                                   in);
    tag[0] ^= 0x80;
    int bad = nocrypto_aes_gcm_open(schedule, hkey, j0, aad, sizeof aad, out, sizeof in, tag,
                                    16, in);
    PUBLIC(&ok, sizeof ok);
    PUBLIC(&bad, sizeof bad);
    PUBLIC(out, sizeof out);
    PUBLIC(y, sizeof y);
    if (ok != 1 || bad != 0) {
        printf("aes-gcm: open gave %d and %d\n", ok, bad);
    }
}

static void check_mp(void)
{
    /* RSA-CRT: base, exponent AND modulus (a prime of the key) are secret. */
    enum { LEN = 128 }; /* 1024-bit operands */
    uint8_t base[LEN], exponent[LEN], modulus[LEN], out[LEN];
    fill(base, sizeof base, 61);
    fill(exponent, sizeof exponent, 62);
    fill(modulus, sizeof modulus, 63);
    modulus[0] |= 1;         /* little-endian: odd */
    modulus[LEN - 1] |= 0x80; /* full size */
    base[LEN - 1] &= 0x3F;    /* below the modulus */
    SECRET(base, sizeof base);
    SECRET(exponent, sizeof exponent);
    SECRET(modulus, sizeof modulus);
    int r1 = nocrypto_mp_mod_exp(out, base, exponent, 8 * LEN, modulus, LEN);
    int r2 = nocrypto_mp_mod_mul(out, base, exponent, modulus, LEN);
    int r3 = nocrypto_mp_mod_inverse(out, base, modulus, LEN);
    PUBLIC(out, sizeof out);
    PUBLIC(&r1, sizeof r1);
    PUBLIC(&r2, sizeof r2);
    PUBLIC(&r3, sizeof r3);
    if (r1 != 0 || r2 != 0 || r3 != 0) {
        printf("mp: returned %d %d %d\n", r1, r2, r3);
    }

    /* The whole RSA-CRT private operation at RSA-2048's sizes (16-limb halves: the ADX
     * path on the first pass). Everything but the sizes and e is secret, n included; the
     * numbers are not a key, so the check fails (r4 = 1), which must not leak either. */
    enum { NLEN = 256, HLEN = 128 };
    static uint8_t c[NLEN], blind[NLEN], unblind[NLEN], n[NLEN], outs[3 * NLEN];
    static uint8_t p[HLEN], q[HLEN], dp[HLEN], dq[HLEN], qinv[HLEN];
    const uint8_t e[3] = {1, 0, 1}; /* 65537, public */
    fill(c, NLEN, 64);
    fill(blind, NLEN, 65);
    fill(unblind, NLEN, 66);
    fill(n, NLEN, 67);
    fill(p, HLEN, 68);
    fill(q, HLEN, 69);
    fill(dp, HLEN, 70);
    fill(dq, HLEN, 71);
    fill(qinv, HLEN, 72);
    n[0] |= 1;
    n[NLEN - 1] |= 0x80;
    p[0] |= 1;
    p[HLEN - 1] |= 0xC0;
    q[0] |= 1;
    q[HLEN - 1] |= 0xC0;
    c[NLEN - 1] &= 0x3F;
    blind[NLEN - 1] &= 0x3F;
    unblind[NLEN - 1] &= 0x3F;
    dp[HLEN - 1] &= 0x3F;
    dq[HLEN - 1] &= 0x3F;
    qinv[HLEN - 1] &= 0x3F;
    SECRET(c, NLEN);
    SECRET(blind, NLEN);
    SECRET(unblind, NLEN);
    SECRET(n, NLEN);
    SECRET(p, HLEN);
    SECRET(q, HLEN);
    SECRET(dp, HLEN);
    SECRET(dq, HLEN);
    SECRET(qinv, HLEN);
    int r4 = nocrypto_mp_rsa_crt(outs, outs + NLEN, outs + 2 * NLEN, c, blind, unblind, n, NLEN,
                                 e, 17, p, dp, qinv, HLEN, q, dq, HLEN);
    PUBLIC(outs, sizeof outs);
    PUBLIC(&r4, sizeof r4);
    if (r4 < 0) {
        printf("mp: rsa_crt returned %d\n", r4);
    }
}

static void check_ecp(void)
{
    static const size_t bytes[3] = {32, 48, 66};
    for (uint32_t curve = 0; curve < 3; curve++) {
        const size_t n = bytes[curve];
        uint8_t scalar[66], point[1 + 2 * 66], out[1 + 2 * 66];
        fill(scalar, n, (uint8_t)(70 + curve));
        /* A public point: the base point's multiple, computed before secrets are marked. */
        int r0 = nocrypto_ecp_mul_base(curve, point, 1 + 2 * n, scalar, n);
        SECRET(scalar, n);
        int r1 = nocrypto_ecp_mul_base(curve, out, 1 + 2 * n, scalar, n);
        int r2 = nocrypto_ecp_mul(curve, out, 1 + 2 * n, scalar, n, point, 1 + 2 * n);
        PUBLIC(out, sizeof out);
        PUBLIC(&r1, sizeof r1);
        PUBLIC(&r2, sizeof r2);
        if (r0 < 0 || r1 < 0 || r2 < 0) {
            printf("ecp %u: returned %d %d %d\n", (unsigned)curve, r0, r1, r2);
        }
        /* ECDSA signing: the private key d and the nonce k are secret, and so is the hash
         * value e here (it is a function of the message). k = 0 too: the point at infinity
         * and r = 0 take the same path. */
        uint8_t d[66], k[66], e[66], sig[2 * 66];
        fill(d, n, (uint8_t)(80 + curve));
        fill(e, n, (uint8_t)(90 + curve));
        for (int zero = 0; zero < 2; zero++) {
            fill(k, n, (uint8_t)(100 + curve));
            if (zero) {
                memset(k, 0, n);
            }
            SECRET(d, n);
            SECRET(k, n);
            SECRET(e, n);
            int r3 = nocrypto_ecdsa_sign(curve, sig, 2 * n, d, k, e, n);
            PUBLIC(sig, sizeof sig);
            PUBLIC(&r3, sizeof r3);
            if (r3 != 1 - zero) {
                printf("ecdsa %u: returned %d for %s k\n", (unsigned)curve, r3,
                       zero ? "a zero" : "a nonzero");
            }
        }
    }
}

/* A deliberately leaky kernel: valgrind must flag both the index and the branch. */
static const uint8_t table[256] = {1, 2, 3};

static uint8_t leaky(const uint8_t *secret)
{
    uint8_t x = table[secret[0]];
    if (secret[1] > 100) {
        x ^= 1;
    }
    return x;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--selftest") == 0) {
        uint8_t s[2] = {7, 200};
        SECRET(s, sizeof s);
        uint8_t x = leaky(s);
        PUBLIC(&x, 1);
        return x == 0xFF; /* never: keeps the call */
    }
    const uint32_t masks[2] = {0xFFFFFFFFu, 0u};
    for (int pass = 0; pass < 2; pass++) {
        nocrypto_cpu_restrict(masks[pass]);
        printf("pass %d: hardware features 0x%x\n", pass, (unsigned)nocrypto_cpu_features());
        check_ct_equal();
        check_digest();
        check_aes();
        check_des();
        check_ecx();
        check_chacha();
        check_gcm();
        check_mp();
        check_ecp();
    }
    return 0;
}
