"""cffi build script for the nocrypto C kernels (API mode, out-of-line).

setuptools runs this through ``cffi_modules`` in ``setup.py``; it produces the
extension module ``nocrypto._native._nocrypto`` with the attributes ``ffi`` and
``lib``.  It can also be run by hand from the repository root
(``python nocrypto/_native/build.py``), which builds the extension in place.

Only the declarations in ``CDEF`` are visible from Python; they must match
``nocrypto.h`` exactly, and the type stub ``_nocrypto.pyi`` must match them.
"""

from __future__ import annotations

import os

from cffi import FFI

_HERE = os.path.dirname(os.path.abspath(__file__))


def _rel(name: str) -> str:
    # setuptools wants source paths relative to the project root, which is the
    # working directory when pip or setup.py builds; stay correct if run elsewhere.
    return os.path.relpath(os.path.join(_HERE, name))


#: The C declarations exposed to Python (a copy of the prototypes in nocrypto.h).
CDEF = """
int nocrypto_ct_equal(const uint8_t *a, const uint8_t *b, size_t n);
"""

#: The C kernels compiled into the extension.
SOURCES = ["ct.c"]

#: Warnings are errors for the kernels; -fno-strict-aliasing because kernels
#: may view byte buffers as wider words.
EXTRA_COMPILE_ARGS = [
    "-std=c11",
    "-O2",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wconversion",
    "-fno-strict-aliasing",
]

ffibuilder = FFI()
ffibuilder.cdef(CDEF)
ffibuilder.set_source(
    "nocrypto._native._nocrypto",
    '#include "nocrypto.h"\n',
    sources=[_rel(name) for name in SOURCES],
    depends=[_rel("nocrypto.h")],
    include_dirs=[_rel(".")],
    extra_compile_args=EXTRA_COMPILE_ARGS,
)

if __name__ == "__main__":
    ffibuilder.compile(tmpdir=os.path.relpath(os.path.join(_HERE, "..", "..")), verbose=True)
