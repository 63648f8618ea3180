"""Type stub for the cffi extension built from ``nocrypto/_native/build.py``.

Keep in step with ``build.CDEF``: one method on ``_Lib`` per C declaration.
"""

from _cffi_backend import FFI, _CDataBase

class _Lib:
    def nocrypto_ct_equal(self, a: _CDataBase | bytes, b: _CDataBase | bytes, n: int, /) -> int: ...

ffi: FFI
lib: _Lib
