"""The entry points: decode_der, decode_ber, encode_der."""

from __future__ import annotations

from typing import Literal, TypeVar, overload

from ._core import DEFAULT_LIMITS, Ctx, Limits, read_header
from ._errors import DecodeError, EncodeError
from ._grammar import Grammar

T = TypeVar("T")


def _decode(grammar: Grammar[T], data: bytes, ber: bool, limits: Limits) -> tuple[T, int]:
    if not isinstance(grammar, Grammar):
        raise TypeError(f"expected an asn1 grammar, not {type(grammar).__name__}")
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"expected bytes, not {type(data).__name__}")
    data = bytes(data)
    if len(data) > limits.max_size:
        raise DecodeError(f"input of {len(data)} bytes exceeds the limit of {limits.max_size}")
    ctx = Ctx(ber, limits)
    key, cons, cs, ce, ne = read_header(data, 0, len(data), ctx)
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
