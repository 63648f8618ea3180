/*
 * Declassification for the constant-time check (`make ct`, tests/ct/README.md).
 *
 * Some results computed from secrets are public by design: whether an AEAD tag verified,
 * for instance. A kernel that must branch on such a result says so with
 * NOCRYPTO_DECLASSIFY(ptr, len) just before: a no-op in the library, and in the valgrind
 * build (-DNOCRYPTO_CTGRIND) a mark that the bytes are public from here on, so memcheck
 * reports only the branches that were not meant.
 */
#ifndef NOCRYPTO_CTGRIND_H
#define NOCRYPTO_CTGRIND_H

#ifdef NOCRYPTO_CTGRIND
#include <valgrind/memcheck.h>
#define NOCRYPTO_DECLASSIFY(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define NOCRYPTO_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

#endif /* NOCRYPTO_CTGRIND_H */
