/*
 * TDEA / 3DES-EDE (SP 800-67 Rev. 2) over DES (FIPS 46-3), ECB and CBC (SP 800-38A).
 * Twin: nocrypto/_ref/des.py (which holds the FIPS 46-3 tables in their published form).
 *
 * Bits are numbered as in FIPS 46-3: bit 1 of a block is its most significant bit.
 *
 * Constant time: no table is indexed by secret data and no branch depends on it.
 * - The S-boxes are not looked up in memory. SBOX_BITS[i][b] is the truth table of output
 *   bit b of S_(i+1): its bit x is bit b of S_(i+1)(x), for the 64 inputs x. The S-box is
 *   evaluated by shifting those registers right by x; variable shifts are register
 *   operations of fixed latency on x86-64 and ARMv8 (no memory access depends on x).
 * - The permutations IP, IP^-1, PC-1 and PC-2 move bits with shifts by table entries, which
 *   are public; E is a rotation; P is folded into SBOX_POS.
 *
 * Schedule layout (NOCRYPTO_DES3_SCHEDULE_BYTES = 384): for K1, K2, K3 in turn, the round
 * keys K_1..K_16, each as 8 bytes holding its 6-bit groups (the inputs of S1..S8).
 */
#include "des.h"

#include <string.h>

/* --- FIPS 46-3 tables (public; indexed only by loop counters) ------------------------------ */

static const uint8_t IP[64] = {
    58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
    62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
    57, 49, 41, 33, 25, 17, 9,  1, 59, 51, 43, 35, 27, 19, 11, 3,
    61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
};

static const uint8_t FP[64] = {
    40, 8, 48, 16, 56, 24, 64, 32, 39, 7, 47, 15, 55, 23, 63, 31,
    38, 6, 46, 14, 54, 22, 62, 30, 37, 5, 45, 13, 53, 21, 61, 29,
    36, 4, 44, 12, 52, 20, 60, 28, 35, 3, 43, 11, 51, 19, 59, 27,
    34, 2, 42, 10, 50, 18, 58, 26, 33, 1, 41, 9,  49, 17, 57, 25,
};

static const uint8_t PC1[56] = {
    57, 49, 41, 33, 25, 17, 9,  1,  58, 50, 42, 34, 26, 18, 10, 2,  59, 51, 43,
    35, 27, 19, 11, 3,  60, 52, 44, 36, 63, 55, 47, 39, 31, 23, 15, 7,  62, 54,
    46, 38, 30, 22, 14, 6,  61, 53, 45, 37, 29, 21, 13, 5,  28, 20, 12, 4,
};

static const uint8_t PC2[48] = {
    14, 17, 11, 24, 1,  5,  3,  28, 15, 6,  21, 10, 23, 19, 12, 4,
    26, 8,  16, 7,  27, 20, 13, 2,  41, 52, 31, 37, 47, 55, 30, 40,
    51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
};

static const uint8_t SHIFTS[16] = {1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1};

/* Truth tables of S1..S8 (FIPS 46-3, appendix 1): bit x of SBOX_BITS[i][b] is bit b (0 =
 * least significant) of S_(i+1)(x), where x = b1 b2 b3 b4 b5 b6 is the 6-bit input read as
 * a number, so that the row is b1 b6 and the column b2 b3 b4 b5. Generated from the twin's
 * SBOXES; tests/nocrypto/test_des.py recomputes them and compares with this file. */
static const uint64_t SBOX_BITS[8][4] = {
    {0x917be9066f81b478u, 0x27e9d492609f1f29u, 0xb0c7871b497826bdu, 0x869d497a86e67619u},
    {0xcd235ad2b865168fu, 0x746a8b7462949fc3u, 0x68f93c169346c3e9u, 0xe196196e69c3a659u},
    {0x4b8d9c63a965569au, 0x76b9960c39c2b749u, 0xd96a863526f4794au, 0x96692d696b9c90d3u},
    {0x09b77c1ac34998e7u, 0xacd1168f692cce71u, 0xcb69718c74ca0e97u, 0x92c3e719ed90583eu},
    {0xa4cd96d24b76b948u, 0xc70b39c692f05d2bu, 0x695b9ca191666b96u, 0x429dcd6a79e1348eu},
    {0x95a36a597c3ca34cu, 0x52cbe13c6d9216dau, 0xc69938d615e69a69u, 0xb44ab695c9a4695bu},
    {0x348e9679497969a6u, 0x6a95f41a9e4b81f4u, 0x869cd96699e643c3u, 0x92c761f82c96d966u},
    {0x9f6281cd619c7c2bu, 0xa71658a7c8f13f0cu, 0x394e96b1596aa569u, 0xc17abd2438c716b9u},
};

/* Where P (FIPS 46-3, "the permutation function P") sends bit b of S_(i+1)'s output: the
 * bit index (0 = least significant) in the 32-bit value of f. Generated from the twin's P,
 * and recomputed by the same test. */
static const uint8_t SBOX_POS[8][4] = {
    {1, 9, 15, 23},  {14, 30, 4, 19}, {26, 2, 16, 8}, {31, 22, 12, 6},
    {29, 7, 18, 24}, {13, 21, 3, 28}, {25, 10, 20, 0}, {11, 17, 5, 27},
};

/* --- helpers --------------------------------------------------------------------------- */

static inline uint64_t load64be(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

static inline void store64be(uint8_t *p, uint64_t v)
{
    for (unsigned i = 8; i-- > 0;) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

/* Output bit i (from 1, most significant first) is bit table[i-1] of the width-bit x. */
static uint64_t permute(uint64_t x, const uint8_t *table, unsigned n, unsigned width)
{
    uint64_t out = 0;
    for (unsigned i = 0; i < n; i++) {
        out = (out << 1) | ((x >> (width - table[i])) & 1u);
    }
    return out;
}

static inline uint32_t rotl28(uint32_t x, unsigned n)
{
    return ((x << n) | (x >> (28u - n))) & 0x0fffffffu;
}

static inline uint32_t rotl32(uint32_t x, unsigned n)
{
    return (x << n) | (x >> ((32u - n) & 31u));
}

/* --- FIPS 46-3 ---------------------------------------------------------------------------- */

/* "Key schedule calculation": K_1..K_16 of one 8-byte key, each as its eight 6-bit groups. */
static void des_key_schedule(uint8_t ks[128], const uint8_t key[8])
{
    const uint64_t cd = permute(load64be(key), PC1, 56, 64);
    uint32_t c = (uint32_t)(cd >> 28), d = (uint32_t)cd & 0x0fffffffu;
    for (unsigned n = 0; n < 16; n++) {
        c = rotl28(c, SHIFTS[n]);
        d = rotl28(d, SHIFTS[n]);
        const uint64_t k = permute(((uint64_t)c << 28) | d, PC2, 48, 56);
        for (unsigned i = 0; i < 8; i++) {
            ks[8u * n + i] = (uint8_t)((k >> (42u - 6u * i)) & 0x3fu);
        }
    }
}

/* The cipher function f(R, K) = P(S1(B1) ... S8(B8)) where B1..B8 = E(R) + K. E(R)'s group
 * i is bits 4i .. 4i + 5 of R32 R1 R2 ... R32 R1, i.e. the low 6 bits of R rotated left by
 * 4i + 5. */
static inline uint32_t des_f(uint32_t r, const uint8_t k[8])
{
    uint32_t out = 0;
    for (unsigned i = 0; i < 8; i++) {
        const unsigned x = (rotl32(r, (4u * i + 5u) & 31u) & 0x3fu) ^ k[i];
        for (unsigned b = 0; b < 4; b++) {
            out |= (uint32_t)((SBOX_BITS[i][b] >> x) & 1u) << SBOX_POS[i][b];
        }
    }
    return out;
}

/* 16 rounds L_n = R_n-1, R_n = L_n-1 + f(R_n-1, K_n) (keys in reverse order to decipher),
 * ending with the halves exchanged: (l, r) becomes the preoutput R16 L16, which is also
 * IP of the next DES's input since IP(IP^-1(x)) = x. */
static void des_rounds(uint32_t *l, uint32_t *r, const uint8_t *ks, int decipher)
{
    uint32_t left = *l, right = *r;
    for (unsigned n = 0; n < 16; n++) {
        const uint8_t *k = ks + 8u * (decipher ? 15u - n : n);
        const uint32_t t = left ^ des_f(right, k);
        left = right;
        right = t;
    }
    *l = right;
    *r = left;
}

/* SP 800-67 3.1: forward C = E_K3(D_K2(E_K1(P))), inverse P = D_K1(E_K2(D_K3(C))). The
 * IP^-1 / IP pairs between the three DES operations cancel and are skipped. */
static uint64_t tdea(const uint8_t *schedule, uint64_t block, int inverse)
{
    const uint64_t x = permute(block, IP, 64, 64);
    uint32_t l = (uint32_t)(x >> 32), r = (uint32_t)x;
    if (!inverse) {
        des_rounds(&l, &r, schedule, 0);
        des_rounds(&l, &r, schedule + 128, 1);
        des_rounds(&l, &r, schedule + 256, 0);
    } else {
        des_rounds(&l, &r, schedule + 256, 1);
        des_rounds(&l, &r, schedule + 128, 0);
        des_rounds(&l, &r, schedule, 1);
    }
    return permute(((uint64_t)l << 32) | r, FP, 64, 64);
}

/* --- the interface of des.h --------------------------------------------------------------- */

int nocrypto_des3_expand_key(uint8_t *schedule, const uint8_t *key, size_t key_len)
{
    if (key_len != 24) {
        return -1;
    }
    memset(schedule, 0, NOCRYPTO_DES3_SCHEDULE_BYTES);
    for (unsigned j = 0; j < 3; j++) {
        des_key_schedule(schedule + 128u * j, key + 8u * j);
    }
    return 0;
}

static void ecb(const uint8_t *schedule, const uint8_t *in, uint8_t *out, size_t nblocks,
                int inverse)
{
    for (size_t i = 0; i < nblocks; i++) {
        store64be(out + 8u * i, tdea(schedule, load64be(in + 8u * i), inverse));
    }
}

void nocrypto_des3_ecb_encrypt(const uint8_t *schedule, const uint8_t *in, uint8_t *out,
                               size_t nblocks)
{
    ecb(schedule, in, out, nblocks, 0);
}

void nocrypto_des3_ecb_decrypt(const uint8_t *schedule, const uint8_t *in, uint8_t *out,
                               size_t nblocks)
{
    ecb(schedule, in, out, nblocks, 1);
}

void nocrypto_des3_cbc_encrypt(const uint8_t *schedule, uint8_t *iv, const uint8_t *in,
                               uint8_t *out, size_t nblocks)
{
    uint64_t chain = load64be(iv);
    for (size_t i = 0; i < nblocks; i++) {
        chain = tdea(schedule, load64be(in + 8u * i) ^ chain, 0);
        store64be(out + 8u * i, chain);
    }
    store64be(iv, chain);
}

void nocrypto_des3_cbc_decrypt(const uint8_t *schedule, uint8_t *iv, const uint8_t *in,
                               uint8_t *out, size_t nblocks)
{
    uint64_t chain = load64be(iv);
    for (size_t i = 0; i < nblocks; i++) {
        const uint64_t c = load64be(in + 8u * i); /* read before out (which may be in) */
        store64be(out + 8u * i, tdea(schedule, c, 1) ^ chain);
        chain = c;
    }
    store64be(iv, chain);
}
