/*
 * Constant-time helpers.
 *
 * "Secrets do not steer" (DESIGN.md, principle 8): the only branch in this
 * file is the loop bound, which depends on the public length n.  The contents
 * of a and b never select a branch or a memory index.
 */
#include "ct.h"

int nocrypto_ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    /* Accumulate every difference: acc == 0 iff a[i] == b[i] for all i.
     * There is no early exit, so the running time does not reveal the
     * position of the first differing byte. */
    uint32_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc |= (uint32_t)(a[i] ^ b[i]);
        /* An empty asm that "may change" acc: the compiler cannot know acc's value
         * inside the loop, so it cannot add an early exit once acc != 0. */
        __asm__ volatile("" : "+r"(acc));
    }

    /* Turn acc into 0/1 without a comparison the compiler could lower to a
     * branch: acc is in [0, 255], so acc - 1 wraps to 0xFFFFFFFF (top bit
     * set) exactly when acc == 0, and is in [0, 254] (top bit clear)
     * otherwise. */
    return (int)(((acc - 1u) >> 31) & 1u);
}
