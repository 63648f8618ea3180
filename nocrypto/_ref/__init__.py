"""Pure-Python twins of the C kernels in ``nocrypto._native``; private.

Each module here mirrors one C source file, with the same algorithm written for
reading: it is the kernel's executable specification.  Tests check the C kernel
against its twin on random inputs, and ``NOCRYPTO_BACKEND=python`` runs the
library on the twins alone (slowly) where no C compiler is available.
"""
