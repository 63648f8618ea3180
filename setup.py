"""Build hook for the cffi extension; all other metadata lives in pyproject.toml.

setuptools reads ``cffi_modules`` only from ``setup()`` keyword arguments, so
this file exists for that one line.
"""

from setuptools import setup

setup(cffi_modules=["nocrypto/_native/build.py:ffibuilder"])
