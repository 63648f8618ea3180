"""The backend door (``nocrypto._backend``), the ``ct_equal`` kernel and ``compare_digest``.

The C kernel is checked against its pure-Python twin (its executable
specification) and against ``==`` on random inputs.  When the whole run has
``NOCRYPTO_BACKEND=python`` (the reduced pass, as on a machine without a C
compiler) the native-only tests are skipped; otherwise a missing extension is a
failure, never a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nocrypto
from nocrypto import _backend
from nocrypto._ref import ct as ref_ct

ROOT = Path(__file__).resolve().parents[2]
PYTHON_ONLY_RUN = os.environ.get(_backend.ENV_VAR) == "python"


def native_ct_equal() -> Callable[[bytes, bytes], bool]:
    """The native ``ct_equal``; skip under a python-only run, else fail if not built."""
    try:
        from nocrypto._native.ct import ct_equal
    except ImportError as exc:
        if PYTHON_ONLY_RUN:
            pytest.skip(f"{_backend.ENV_VAR}=python for this run: native kernel not required")
        pytest.fail(f"the C extension is not importable ({exc}); run `make venv`")
    return ct_equal


@st.composite
def equal_length_pairs(draw: st.DrawFn) -> tuple[bytes, bytes]:
    """Two byte strings of one length in 0..300: equal, one bit apart, or unrelated."""
    a = draw(st.binary(min_size=0, max_size=300))
    kind = draw(st.sampled_from(["equal", "bit", "random"]))
    if kind == "equal" or not a:
        return a, bytes(a)
    if kind == "bit":
        position = draw(st.integers(min_value=0, max_value=len(a) - 1))
        bit = draw(st.integers(min_value=0, max_value=7))
        b = bytearray(a)
        b[position] ^= 1 << bit
        return a, bytes(b)
    return a, draw(st.binary(min_size=len(a), max_size=len(a)))


# -- ct_equal: native kernel vs twin vs == ------------------------------------


@given(equal_length_pairs())
def test_twin_ct_equal_is_eq(pair: tuple[bytes, bytes]) -> None:
    a, b = pair
    assert ref_ct.ct_equal(a, b) is (a == b)


@given(equal_length_pairs())
def test_selected_backend_ct_equal_is_eq(pair: tuple[bytes, bytes]) -> None:
    a, b = pair
    assert _backend.ct_equal(a, b) is (a == b)


def test_native_ct_equal_matches_twin() -> None:
    native = native_ct_equal()

    @given(equal_length_pairs())
    def check(pair: tuple[bytes, bytes]) -> None:
        a, b = pair
        expected = a == b
        assert ref_ct.ct_equal(a, b) is expected
        assert native(a, b) is expected
        # The raw kernel returns exactly 0 or 1, never another truthy value.
        from nocrypto._native._nocrypto import ffi, lib

        raw = lib.nocrypto_ct_equal(
            ffi.from_buffer("uint8_t[]", a), ffi.from_buffer("uint8_t[]", b), len(a)
        )
        assert raw == int(expected)

    check()


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (b"", b"", True),
        (b"\x00", b"\x00", True),
        (b"\x00", b"\x01", False),
        (b"\x00", b"\x80", False),
        (b"\xff" * 64, b"\xff" * 64, True),
        (b"\xff" * 63 + b"\xfe", b"\xff" * 64, False),
        (b"\x01" + b"\x00" * 299, b"\x00" * 300, False),
    ],
)
def test_ct_equal_table(a: bytes, b: bytes, expected: bool) -> None:
    assert ref_ct.ct_equal(a, b) is expected
    assert _backend.ct_equal(a, b) is expected


def test_ct_equal_rejects_length_mismatch() -> None:
    with pytest.raises(ValueError, match="same length"):
        ref_ct.ct_equal(b"ab", b"abc")
    with pytest.raises(ValueError, match="same length"):
        _backend.ct_equal(b"abc", b"ab")


def test_native_ct_equal_rejects_length_mismatch() -> None:
    native = native_ct_equal()
    with pytest.raises(ValueError, match="same length"):
        native(b"ab", b"abc")


# -- compare_digest -------------------------------------------------------------


def test_compare_digest_equal_and_unequal() -> None:
    assert nocrypto.compare_digest(b"tag", b"tag") is True
    assert nocrypto.compare_digest(b"tag", b"tab") is False
    assert nocrypto.compare_digest(b"", b"") is True


def test_compare_digest_unequal_length_is_false() -> None:
    assert nocrypto.compare_digest(b"abc", b"abcd") is False
    assert nocrypto.compare_digest(b"abcd", b"abc") is False
    assert nocrypto.compare_digest(b"", b"\x00") is False


def test_compare_digest_accepts_bytes_like() -> None:
    assert nocrypto.compare_digest(bytearray(b"xyz"), b"xyz") is True
    assert nocrypto.compare_digest(b"xyz", memoryview(b"xyz")) is True
    assert nocrypto.compare_digest(memoryview(b"xyz"), bytearray(b"xyw")) is False


@pytest.mark.parametrize("bad", ["text", 42, None, [1, 2, 3]])
def test_compare_digest_rejects_non_bytes(bad: object) -> None:
    with pytest.raises(TypeError, match="bytes-like"):
        nocrypto.compare_digest(bad, b"text")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="bytes-like"):
        nocrypto.compare_digest(b"text", bad)  # type: ignore[arg-type]


@given(equal_length_pairs())
def test_compare_digest_is_eq(pair: tuple[bytes, bytes]) -> None:
    a, b = pair
    assert nocrypto.compare_digest(a, b) is (a == b)


# -- backend selection ---------------------------------------------------------


def run_python(code: str, backend: str | None, *flags: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter at the repository root with ``NOCRYPTO_BACKEND``
    set to ``backend`` (or removed if ``None``)."""
    env = dict(os.environ)
    env.pop(_backend.ENV_VAR, None)
    if backend is not None:
        env[_backend.ENV_VAR] = backend
    return subprocess.run(
        [sys.executable, *flags, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


REPORT = "import nocrypto; print(nocrypto.backend())"

# Makes the C extension look unbuilt: a meta path finder consulted before the
# real ones that refuses nocrypto._native._nocrypto.
BLOCK_NATIVE = """
import sys

class _NoNative:
    def find_spec(self, name, path=None, target=None):
        if name == "nocrypto._native._nocrypto":
            raise ImportError("blocked by the test")
        return None

sys.meta_path.insert(0, _NoNative())
"""


def test_backend_in_process_matches_environment() -> None:
    assert nocrypto.backend() == _backend.NAME
    assert nocrypto.backend() in ("native", "python")
    if PYTHON_ONLY_RUN:
        assert nocrypto.backend() == "python"


def test_env_python_selects_twin() -> None:
    result = run_python(REPORT, "python", "-W", "error")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "python"


def test_env_bogus_is_value_error() -> None:
    result = run_python(REPORT, "bogus")
    assert result.returncode != 0
    assert "ValueError: NOCRYPTO_BACKEND must be one of 'native', 'python'" in result.stderr
    assert "'bogus'" in result.stderr


def test_env_unset_selects_native_when_built() -> None:
    native_ct_equal()  # fails (or skips in a python-only run) if the extension is not built
    # -W error: the fallback warning, if it were emitted, would abort the import.
    result = run_python(REPORT, None, "-W", "error")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "native"


def test_env_native_selects_native_when_built() -> None:
    native_ct_equal()
    result = run_python(REPORT, "native")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "native"


def test_fallback_warns_exactly_once_when_extension_missing() -> None:
    code = BLOCK_NATIVE + (
        "import nocrypto\n"
        "import nocrypto._backend\n"
        "import importlib\n"
        "importlib.import_module('nocrypto._backend')\n"
        "assert nocrypto.compare_digest(b'a', b'a')\n"
        "assert not nocrypto.compare_digest(b'a', b'b')\n"
        "print(nocrypto.backend())\n"
    )
    # -W always: the default filter would hide a repeated warning; this shows each one.
    result = run_python(code, None, "-W", "always")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "python"
    assert result.stderr.count(_backend.FALLBACK_WARNING) == 1, result.stderr
    assert "RuntimeWarning" in result.stderr


def test_env_native_without_extension_is_import_error() -> None:
    result = run_python(BLOCK_NATIVE + REPORT, "native")
    assert result.returncode != 0
    assert "ImportError: NOCRYPTO_BACKEND=native, but the C extension" in result.stderr


def test_env_python_never_loads_extension() -> None:
    code = (
        "import sys, nocrypto\nprint(any(m.startswith('nocrypto._native') for m in sys.modules))\n"
    )
    result = run_python(code, "python")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
