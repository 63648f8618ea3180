"""ASN.1 (X.680) with DER and BER (X.690), from combinators.

One description of a structure gives both a DER encoder and a strict decoder::

    import asn1
    AlgorithmIdentifier = asn1.sequence(
        ("algorithm", asn1.object_identifier),
        asn1.optional("parameters", asn1.any),
    )
    value = asn1.decode_der(AlgorithmIdentifier, data)   # ("1.2.840.113549.1.1.11", b"\\x05\\x00")
    data == asn1.encode_der(AlgorithmIdentifier, value)

Combinators are named after the ASN.1 keywords: :func:`sequence`, :func:`sequence_of`,
:func:`set`, :func:`set_of`, :func:`choice`, :func:`explicit`, :func:`implicit`,
:func:`optional`, :func:`default`, :func:`size`; :func:`map` turns values into other values
(tuples into dataclasses), :func:`fix` ties recursive types, :func:`encoded` keeps the exact
bytes of an element; :func:`dump` prints the TLV tree of any encoding.

Values: INTEGER ``int``, BOOLEAN ``bool``, NULL ``None``, OCTET STRING ``bytes``, BIT STRING
:class:`BitString`, OBJECT IDENTIFIER :class:`OID` (a ``str``), strings ``str``, times aware
``datetime``, SEQUENCE/SET ``tuple``, SEQUENCE OF/SET OF ``tuple``, CHOICE ``(name, value)``,
ANY the raw element ``bytes``.
"""

from __future__ import annotations

from . import oids, pem
from ._api import decode_ber, decode_der, encode_der
from ._core import DEFAULT_LIMITS, Limits, TagClass
from ._errors import DecodeError, EncodeError, GrammarError
from ._grammar import AnyNode as _AnyNode
from ._grammar import (
    Field,
    Grammar,
    choice,
    default,
    encoded,
    enumeration,
    explicit,
    fix,
    implicit,
    map,
    optional,
    required,
    sequence,
    sequence_of,
    set,
    set_of,
    size,
)
from ._primitives import (
    bit_string,
    bmp_string,
    boolean,
    enumerated,
    generalized_time,
    ia5_string,
    integer,
    named_bits,
    null,
    numeric_string,
    object_identifier,
    octet_string,
    printable_string,
    relative_oid,
    t61_string,
    teletex_string,
    universal_string,
    utc_time,
    utf8_string,
    visible_string,
)
from ._tree import dump
from ._values import OID, BitString, Encoded

UNIVERSAL = TagClass.UNIVERSAL
APPLICATION = TagClass.APPLICATION
CONTEXT = TagClass.CONTEXT
PRIVATE = TagClass.PRIVATE

any: Grammar[bytes] = _AnyNode()
"""ANY / ANY DEFINED BY: the exact encoded element as bytes (checked to be well formed)."""

__all__ = [
    "APPLICATION",
    "CONTEXT",
    "DEFAULT_LIMITS",
    "OID",
    "PRIVATE",
    "UNIVERSAL",
    "BitString",
    "DecodeError",
    "EncodeError",
    "Encoded",
    "Field",
    "Grammar",
    "GrammarError",
    "Limits",
    "TagClass",
    "any",
    "bit_string",
    "bmp_string",
    "boolean",
    "choice",
    "decode_ber",
    "decode_der",
    "default",
    "dump",
    "encode_der",
    "encoded",
    "enumerated",
    "enumeration",
    "explicit",
    "fix",
    "generalized_time",
    "ia5_string",
    "implicit",
    "integer",
    "map",
    "named_bits",
    "null",
    "numeric_string",
    "object_identifier",
    "octet_string",
    "oids",
    "optional",
    "pem",
    "printable_string",
    "relative_oid",
    "required",
    "sequence",
    "sequence_of",
    "set",
    "set_of",
    "size",
    "t61_string",
    "teletex_string",
    "universal_string",
    "utc_time",
    "utf8_string",
    "visible_string",
]
