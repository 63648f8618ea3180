"""The C kernels of nocrypto, built by cffi (see ``build.py``); private.

``_nocrypto`` is the compiled extension (``ffi``, ``lib``); the modules beside it
wrap each kernel behind the same names and signatures as its pure-Python twin in
``nocrypto._ref``.  Nothing outside ``nocrypto._backend`` imports from here.
"""
