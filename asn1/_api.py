"""The entry points: decode_der, decode_ber, encode_der."""

from __future__ import annotations

from typing import Literal, TypeVar, overload

from ._core import DEFAULT_LIMITS, Ctx, Limits, read_header
from ._errors import DecodeError, EncodeError
from ._fast import compiled, header
from ._grammar import Grammar

T = TypeVar("T")


def _decode(grammar: Grammar[T], data: bytes, ber: bool, limits: Limits) -> tuple[T, int]:
    if not isinstance(grammar, Grammar):
        raise TypeError(f"expected an asn1 grammar, not {type(grammar).__name__}")
    if type(data) is not bytes:
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"expected bytes, not {type(data).__name__}")
        data = bytes(data)
    n = len(data)
    if n > limits.max_size:
        raise DecodeError(f"input of {n} bytes exceeds the limit of {limits.max_size}")
    # DER goes through the grammar's compiled decoder when the limits provably hold (at most
    # n // 2 elements fit in n octets; the nesting depth is static). It only accepts what
    # the interpreter below accepts; anything else is decoded again by the interpreter,
    # which gives the error with its field path.
    if not ber and n // 2 <= limits.max_elements:
        fast = compiled(grammar, limits)
        if fast is not None:
            entry = grammar._entry
            if entry is None or entry[0] is not limits:
                # Inputs up to this size pass the limits and have a short-form length.
                largest = min(129, limits.max_size, 2 * limits.max_elements + 1)
                grammar._entry = (limits, fast, largest)
            try:
                if n > 1 and data[1] < 0x80 and data[0] & 0x1F != 0x1F and data[1] + 2 <= n:
                    cs, ce = 2, data[1] + 2  # the short form of length (X.690 8.1.3.4)
                else:
                    cs, ce = header(data, 0, n)
                return fast(data, 0, cs, ce), ce
            except Exception:  # any doubt: the interpreter below decides, and says why
                pass
    ctx = Ctx(ber, limits)
    key, cons, cs, ce, ne = read_header(data, 0, n, ctx)
    try:
        return grammar._dec(data, key, cons, 0, cs, ce, ne, ctx), ne
    except RecursionError:
        # Limits.max_depth keeps decoding well inside the default recursion limit; this
        # only fires when the caller itself is already deep in the stack.
        raise DecodeError("nesting too deep for the Python stack") from None


@overload
def decode_der(
    grammar: Grammar[T], data: bytes, *, rest: Literal[False] = ..., limits: Limits = ...
) -> T: ...
@overload
def decode_der(
    grammar: Grammar[T], data: bytes, *, rest: Literal[True], limits: Limits = ...
) -> tuple[T, bytes]: ...
def decode_der(
    grammar: Grammar[T], data: bytes, *, rest: bool = False, limits: Limits = DEFAULT_LIMITS
) -> T | tuple[T, bytes]:
    """Decode one DER element of *grammar* from *data*.

    Strict DER (X.690 clause 10-11): anything that is not the one canonical encoding fails
    with :class:`DecodeError`, which names the field path. Trailing bytes fail too, unless
    ``rest=True``, which returns ``(value, remaining_bytes)`` instead.
    """
    # The most common call: a small element with a short-form length (X.690 8.1.3.4) as the
    # whole input, for the limits of the grammar's last call, straight to its compiled
    # decoder (what _decode does, without its calls and checks: the entry holds for them).
    entry = getattr(grammar, "_entry", None)
    if entry is not None and entry[0] is limits and type(data) is bytes and not rest:
        n = len(data)
        if 2 <= n <= entry[2] and data[1] == n - 2 and data[0] & 0x1F != 0x1F:
            try:
                return entry[1](data, 0, 2, n)  # type: ignore[no-any-return]
            except Exception:  # any doubt: _decode below gives the answer
                pass
    value, end = _decode(grammar, data, False, limits)
    if rest:
        return value, bytes(data[end:])
    if end != len(data):
        raise DecodeError(f"{len(data) - end} trailing bytes after the element", end)
    return value


@overload
def decode_ber(
    grammar: Grammar[T], data: bytes, *, rest: Literal[False] = ..., limits: Limits = ...
) -> T: ...
@overload
def decode_ber(
    grammar: Grammar[T], data: bytes, *, rest: Literal[True], limits: Limits = ...
) -> tuple[T, bytes]: ...
def decode_ber(
    grammar: Grammar[T], data: bytes, *, rest: bool = False, limits: Limits = DEFAULT_LIMITS
) -> T | tuple[T, bytes]:
    """Decode one BER element: as :func:`decode_der`, but also accepting indefinite lengths,
    non-minimal lengths, constructed strings, unsorted SET/SET OF, explicit DEFAULT values,
    any non-zero BOOLEAN, and time values with offsets or without seconds."""
    value, end = _decode(grammar, data, True, limits)
    if rest:
        return value, bytes(data[end:])
    if end != len(data):
        raise DecodeError(f"{len(data) - end} trailing bytes after the element", end)
    return value


def encode_der(grammar: Grammar[T], value: T) -> bytes:
    """Encode *value* with *grammar* in DER; :class:`EncodeError` names the failing field."""
    if not isinstance(grammar, Grammar):
        raise TypeError(f"expected an asn1 grammar, not {type(grammar).__name__}")
    try:
        return grammar._enc(value)
    except RecursionError:
        raise EncodeError("value nested too deeply") from None
