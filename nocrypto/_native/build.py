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
from pathlib import Path

from cffi import FFI

_HERE = os.path.dirname(os.path.abspath(__file__))


def _rel(name: str) -> str:
    # setuptools wants source paths relative to the project root, which is the
    # working directory when pip or setup.py builds; stay correct if run elsewhere.
    return os.path.relpath(os.path.join(_HERE, name))


def _files(suffix: str) -> list[str]:
    return sorted(
        name
        for name in os.listdir(_HERE)
        if name.endswith(suffix) and not name.startswith("_")  # _nocrypto.c is generated
    )


#: The C declarations exposed to Python: every ``<kernel>.cdef`` file, in name order. Each
#: kernel keeps its declarations there (cffi cannot read the headers' preprocessor lines),
#: and ``_nocrypto.pyi`` types them.
CDEF = "\n".join(Path(_HERE, name).read_text() for name in _files(".cdef"))

#: The C kernels compiled into the extension: every ``.c`` file here.
SOURCES = _files(".c")
HEADERS = _files(".h")

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

#: ``make sanitize`` builds a separate copy with ``NOCRYPTO_SANITIZE=1``: AddressSanitizer and
#: UndefinedBehaviorSanitizer, every report fatal.
SANITIZE = os.environ.get("NOCRYPTO_SANITIZE") == "1"
SANITIZE_ARGS = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-g", "-O1"]
if SANITIZE:
    EXTRA_COMPILE_ARGS += [*SANITIZE_ARGS, "-fno-omit-frame-pointer"]

ffibuilder = FFI()
ffibuilder.cdef(CDEF)
ffibuilder.set_source(
    "nocrypto._native._nocrypto",
    "".join(f'#include "{name}"\n' for name in HEADERS),
    sources=[_rel(name) for name in SOURCES],
    depends=[_rel(name) for name in HEADERS + _files(".cdef")],
    include_dirs=[_rel(".")],
    extra_compile_args=EXTRA_COMPILE_ARGS,
    extra_link_args=SANITIZE_ARGS if SANITIZE else [],
)

if __name__ == "__main__":
    ffibuilder.compile(tmpdir=os.path.relpath(os.path.join(_HERE, "..", "..")), verbose=True)
