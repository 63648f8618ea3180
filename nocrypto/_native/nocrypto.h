/*
 * nocrypto C kernels: the declarations shared by the kernels and by the cffi
 * binding (nocrypto/_native/build.py).
 *
 * Rules every kernel keeps (DESIGN.md, principle 7; STYLE.md, convention 6):
 *   - symbols are prefixed nocrypto_;
 *   - arguments are pointers, lengths (size_t) and fixed-width integers only;
 *   - nothing is allocated, nothing is kept between calls;
 *   - no branch and no memory index depends on secret data.
 * Each kernel has a pure-Python twin in nocrypto/_ref/ that is its executable
 * specification.
 */
#ifndef NOCRYPTO_H
#define NOCRYPTO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Compare a[0..n) with b[0..n) in time that depends only on n.
 * Returns 1 if the two byte strings are equal, 0 otherwise.
 * Twin: nocrypto/_ref/ct.py, ct_equal.
 */
int nocrypto_ct_equal(const uint8_t *a, const uint8_t *b, size_t n);

#endif /* NOCRYPTO_H */
