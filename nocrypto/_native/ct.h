/*
 * Constant-time comparison. Twin: nocrypto/_ref/ct.py.
 */
#ifndef NOCRYPTO_CT_H
#define NOCRYPTO_CT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Compare a[0..n) with b[0..n) in time that depends only on n.
 * Returns 1 if the two byte strings are equal, 0 otherwise.
 * Twin: nocrypto/_ref/ct.py, ct_equal.
 */
int nocrypto_ct_equal(const uint8_t *a, const uint8_t *b, size_t n);

#endif /* NOCRYPTO_CT_H */
