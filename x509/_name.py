"""Distinguished names (RFC 5280 4.1.2.4, X.501): values, RFC 4514 strings, comparison.

- :class:`NameAttribute` is one AttributeTypeAndValue: the type OID and the exact DER of
  the value, with the value decoded to ``str`` when it is one of the string types
  (DirectoryString's TeletexString, PrintableString, UniversalString, UTF8String,
  BMPString, and IA5String, NumericString, VisibleString).
- :class:`Name` is an RDNSequence: ``str(name)`` is the RFC 4514 string (RDNs last to
  first, ``,`` between RDNs, ``+`` inside a multi-valued RDN, escaping of section 2.4, the
  short names of :data:`ATTRIBUTE_NAMES`, any other type as its dotted OID with the value
  as ``#`` and the hex of its DER); :meth:`Name.from_rfc4514` reads such strings back.
- ``==`` compares names exactly (the same DER); :meth:`Name.matches` is the name
  comparison of RFC 5280 7.1 used to chain certificates: the same number of RDNs, each
  RDN the same set of attributes, string values compared after a simplified RFC 4518
  preparation (NFKC, case folding, insignificant whitespace removed), other values by
  their DER. :attr:`Name.key` is a hashable form of that comparison, for indexing issuers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final

import asn1
from asn1 import OID

from . import _grammar as g
from ._errors import MAX_NAME_ATTRIBUTES, DecodeError

__all__ = ["ATTRIBUTE_NAMES", "Name", "NameAttribute"]

# Universal tag numbers of the string types.
_UTF8, _NUMERIC, _PRINTABLE, _TELETEX, _IA5, _VISIBLE, _UNIVERSAL, _BMP = (
    12,
    18,
    19,
    20,
    22,
    26,
    28,
    30,
)
_STRINGS: Final[dict[int, asn1.Grammar[str]]] = {
    _UTF8: asn1.utf8_string,
    _NUMERIC: asn1.numeric_string,
    _PRINTABLE: asn1.printable_string,
    _TELETEX: asn1.teletex_string,
    _IA5: asn1.ia5_string,
    _VISIBLE: asn1.visible_string,
    _UNIVERSAL: asn1.universal_string,
    _BMP: asn1.bmp_string,
}
#: The names of the string types by universal tag number.
STRING_TYPES: Final = {
    _UTF8: "UTF8String",
    _NUMERIC: "NumericString",
    _PRINTABLE: "PrintableString",
    _TELETEX: "TeletexString",
    _IA5: "IA5String",
    _VISIBLE: "VisibleString",
    _UNIVERSAL: "UniversalString",
    _BMP: "BMPString",
}
_TAG_BY_TYPE_NAME: Final = {v.lower(): k for k, v in STRING_TYPES.items()}

# (OID, short name, other accepted names, the string type new values are written in).
# X.520 makes countryName, serialNumber and dnQualifier PrintableStrings; emailAddress
# (RFC 2985) and domainComponent (RFC 4519) IA5Strings; RFC 5280 4.1.2.6 asks for
# UTF8String for the DirectoryString types.
_TYPES: Final = (
    ("2.5.4.3", "CN", ("commonName",), _UTF8),
    ("2.5.4.4", "SN", ("surname",), _UTF8),
    ("2.5.4.5", "serialNumber", (), _PRINTABLE),
    ("2.5.4.6", "C", ("countryName",), _PRINTABLE),
    ("2.5.4.7", "L", ("localityName",), _UTF8),
    ("2.5.4.8", "ST", ("stateOrProvinceName", "S"), _UTF8),
    ("2.5.4.9", "STREET", ("streetAddress",), _UTF8),
    ("2.5.4.10", "O", ("organizationName",), _UTF8),
    ("2.5.4.11", "OU", ("organizationalUnitName",), _UTF8),
    ("2.5.4.12", "title", (), _UTF8),
    ("2.5.4.13", "description", (), _UTF8),
    ("2.5.4.15", "businessCategory", (), _UTF8),
    ("2.5.4.17", "postalCode", (), _UTF8),
    ("2.5.4.41", "name", (), _UTF8),
    ("2.5.4.42", "GN", ("givenName",), _UTF8),
    ("2.5.4.43", "initials", (), _UTF8),
    ("2.5.4.44", "generationQualifier", (), _UTF8),
    ("2.5.4.46", "dnQualifier", (), _PRINTABLE),
    ("2.5.4.65", "pseudonym", (), _UTF8),
    ("2.5.4.97", "organizationIdentifier", (), _UTF8),
    ("0.9.2342.19200300.100.1.1", "UID", ("userId",), _UTF8),
    ("0.9.2342.19200300.100.1.25", "DC", ("domainComponent",), _IA5),
    ("1.2.840.113549.1.9.1", "emailAddress", ("E", "email"), _IA5),
    ("1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL", ("jurisdictionLocalityName",), _UTF8),
    ("1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST", ("jurisdictionStateOrProvinceName",), _UTF8),
    ("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC", ("jurisdictionCountryName",), _PRINTABLE),
)

#: The short name written in RFC 4514 strings, by attribute type OID.
ATTRIBUTE_NAMES: Final[dict[str, str]] = {oid: short for oid, short, _, _ in _TYPES}
_OID_BY_NAME: Final[dict[str, OID]] = {
    alias.lower(): OID(oid) for oid, short, aliases, _ in _TYPES for alias in (short, *aliases)
}
_DEFAULT_TAG: Final[dict[str, int]] = {oid: tag for oid, _, _, tag in _TYPES}

COMMON_NAME: Final = OID("2.5.4.3")


def attribute_type(name: str | OID) -> OID:
    """The OID for an attribute type given by short name ("CN"), long name ("commonName",
    any case) or dotted OID (also with the ``OID.`` prefix); ValueError otherwise."""
    if isinstance(name, OID):
        return name
    if not isinstance(name, str):
        raise TypeError(f"attribute type must be a str or OID, not {type(name).__name__}")
    known = _OID_BY_NAME.get(name.lower())
    if known is not None:
        return known
    dotted = name[4:] if name[:4].lower() == "oid." else name
    try:
        return OID(dotted)
    except ValueError:
        raise ValueError(f"unknown attribute type {name!r}") from None


def _string_of(der: bytes) -> str | None:
    """The text of a string-typed value, None for other types; DecodeError if a string
    type's content is invalid."""
    grammar = _STRINGS.get(der[0]) if der else None
    if grammar is None:
        return None
    return asn1.decode_der(grammar, der)


@dataclass(frozen=True, slots=True)
class NameAttribute:
    """One AttributeTypeAndValue: ``oid`` and ``der``, the exact DER of the value.

    ``value`` is the decoded text when the value is a string type, else None (the value is
    then only in ``der``); ``string_type`` names the string type ("UTF8String", ...).
    Make one with :meth:`of`. Equality is by type and exact DER.
    """

    oid: OID
    der: bytes
    value: str | None = field(init=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.oid, OID) or not isinstance(self.der, bytes):
            raise TypeError("NameAttribute(oid: OID, der: bytes)")
        try:
            text = _string_of(self.der)
        except asn1.DecodeError as e:
            label = ATTRIBUTE_NAMES.get(self.oid, self.oid)
            raise DecodeError(f"name attribute {label}: {e}") from None
        object.__setattr__(self, "value", text)

    @classmethod
    def of(cls, type: str | OID, value: str, string_type: str | None = None) -> NameAttribute:
        """The attribute *type* (short name, long name or OID) with the text *value*,
        written as *string_type* ("UTF8String", "PrintableString", "IA5String", ...; by
        default the type's usual string type, UTF8String for unknown types)."""
        oid = attribute_type(type)
        if not isinstance(value, str):
            raise TypeError("a name attribute value is a str")
        if string_type is None:
            tag = _DEFAULT_TAG.get(oid, _UTF8)
        else:
            found = _TAG_BY_TYPE_NAME.get(string_type.lower())
            if found is None:
                raise ValueError(f"unknown string type {string_type!r}")
            tag = found
        try:
            der = asn1.encode_der(_STRINGS[tag], value)
        except asn1.EncodeError as e:
            raise ValueError(f"{ATTRIBUTE_NAMES.get(oid, oid)}: {e}") from None
        return cls(oid, der)

    @property
    def string_type(self) -> str | None:
        """The ASN.1 string type of the value ("UTF8String", ...), None for other types."""
        return STRING_TYPES.get(self.der[0]) if self.value is not None else None

    @property
    def short_name(self) -> str:
        """The RFC 4514 type: the short name if known, else the dotted OID."""
        return ATTRIBUTE_NAMES.get(self.oid, self.oid)

    def __str__(self) -> str:
        """``type=value`` as in RFC 4514 2.3-2.4."""
        name = ATTRIBUTE_NAMES.get(self.oid)
        if name is None or self.value is None:
            return f"{name or self.oid}=#{self.der.hex().upper()}"
        return f"{name}={escape(self.value)}"

    def _key(self) -> str:
        """The comparison form (RFC 5280 7.1 with simplified RFC 4518 preparation)."""
        if self.value is None:
            return f"{self.oid}#{self.der.hex()}"
        folded = unicodedata.normalize("NFKC", self.value).casefold()
        return f"{self.oid}={' '.join(folded.split())}"

    def _to_grammar(self) -> g.AttributeTypeAndValue:
        return g.AttributeTypeAndValue(self.oid, self.der)


# The slots of the frozen NameAttribute, for Name._from_grammar.
_new: Final = object.__new__
_SET_OID: Final = vars(NameAttribute)["oid"].__set__
_SET_DER: Final = vars(NameAttribute)["der"].__set__
_SET_VALUE: Final = vars(NameAttribute)["value"].__set__

_SPECIAL: Final = frozenset('"+,;<>\\')
# The characters escape() changes anywhere in a value (it also changes a leading space or
# "#" and a trailing space); a value without any is written as it is.
_ESCAPED: Final = re.compile(r'[\x00-\x1f\x7f"+,;<>\\]').search


def _plain(value: str) -> bool:
    """Whether escape(value) is *value*."""
    if _ESCAPED(value) is not None:
        return False
    return not value or (value[0] != " " and value[0] != "#" and value[-1] != " ")


def escape(value: str) -> str:
    """*value* escaped as an RFC 4514 2.4 attribute value: a backslash before ``"+,;<>\\``,
    before a leading space or ``#`` and a trailing space; NUL and the other control
    characters as ``\\XX`` hex pairs. Other characters (UTF-8) are written as they are."""
    if _plain(value):
        return value
    out = []
    last = len(value) - 1
    for i, ch in enumerate(value):
        if ch in _SPECIAL or (i == 0 and ch in " #") or (i == last and ch == " "):
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):02X}")
        else:
            out.append(ch)
    return "".join(out)


class Name:
    """A distinguished name: ``rdns``, a tuple of RDNs (most significant first, as
    encoded), each a non-empty tuple of :class:`NameAttribute`.

    Immutable and hashable; ``==`` is exact equality, :meth:`matches` the RFC 5280 7.1
    comparison. Build one with :meth:`from_attributes` or :meth:`from_rfc4514`.
    """

    __slots__ = ("_der", "_key", "_str", "rdns")
    rdns: tuple[tuple[NameAttribute, ...], ...]

    def __init__(self, rdns: Iterable[Iterable[NameAttribute]] = ()) -> None:
        out = []
        count = 0
        for rdn in rdns:
            attrs = tuple(rdn)
            if not attrs:
                raise ValueError("a relative distinguished name has at least one attribute")
            if not all(isinstance(a, NameAttribute) for a in attrs):
                raise TypeError("an RDN is made of NameAttribute values")
            if len(attrs) > 1:
                # SET OF: keep the DER order, so that a Name equals its decoding.
                attrs = tuple(sorted(attrs, key=_atv_der))
            count += len(attrs)
            out.append(attrs)
        if count > MAX_NAME_ATTRIBUTES:
            raise DecodeError(f"name with more than {MAX_NAME_ATTRIBUTES} attributes")
        self.rdns = tuple(out)
        self._key: tuple[tuple[str, ...], ...] | None = None
        self._der: bytes | None = None
        self._str: str | None = None

    # --- construction ---------------------------------------------------------------------

    @classmethod
    def from_attributes(cls, attributes: Iterable[tuple[str | OID, str]]) -> Name:
        """A name of one attribute per RDN, in encoding order (most significant first):
        ``Name.from_attributes([("C", "DE"), ("O", "Example"), ("CN", "example.org")])``
        is ``CN=example.org,O=Example,C=DE``."""
        return cls([[NameAttribute.of(t, v)] for t, v in attributes])

    @classmethod
    def from_rfc4514(cls, text: str) -> Name:
        """The name of an RFC 4514 string (section 3): ``CN=x,O=y+OU=z,C=DE`` (RDNs last to
        first), types as short names, long names or dotted OIDs, values with ``\\``
        escapes (special characters or hex pairs of UTF-8) or as ``#`` and the hex of
        their DER. ValueError for a malformed string."""
        if not isinstance(text, str):
            raise TypeError("from_rfc4514 takes a str")
        rdns: list[list[NameAttribute]] = []
        current: list[NameAttribute] = []
        pos, n = 0, len(text)
        if not text.strip():
            return cls()
        while True:
            eq = text.find("=", pos)
            if eq < 0:
                raise ValueError(f"RFC 4514: no '=' after position {pos} in {text!r}")
            oid = attribute_type(text[pos:eq].strip())
            attribute, pos = _read_value(text, eq + 1, oid)
            current.append(attribute)
            if pos >= n:
                rdns.append(current)
                break
            if text[pos] == ",":
                rdns.append(current)
                current = []
            pos += 1
        return cls(reversed(rdns))

    @classmethod
    def _from_grammar(cls, name: g.Name) -> Name:
        # A decoded RDNSequence: each RDN is a non-empty SET OF (the grammar's SIZE(1..MAX))
        # already in DER order (X.690 11.6), which is the order __init__ sorts into. Each
        # attribute is NameAttribute(atv.type, atv.value), with its slots filled directly:
        # the checks of __post_init__ but the type checks, which the grammar makes.
        out = []
        for rdn in name.rdns:
            attributes = []
            for atv in rdn:
                oid, der = atv.type, atv.value
                grammar = _STRINGS.get(der[0]) if der else None  # _string_of, in place
                try:
                    text = None if grammar is None else asn1.decode_der(grammar, der)
                except asn1.DecodeError as e:
                    label = ATTRIBUTE_NAMES.get(oid, oid)
                    raise DecodeError(f"name attribute {label}: {e}") from None
                attribute = _new(NameAttribute)
                _SET_OID(attribute, oid)
                _SET_DER(attribute, der)
                _SET_VALUE(attribute, text)
                attributes.append(attribute)
            out.append(tuple(attributes))
        rdns = tuple(out)
        if not all(rdns):
            return cls(rdns)  # not from a decoding after all: __init__ says what is wrong
        if sum(map(len, rdns)) > MAX_NAME_ATTRIBUTES:
            raise DecodeError(f"name with more than {MAX_NAME_ATTRIBUTES} attributes")
        made = _new(cls)
        made.rdns = rdns
        made._key = None
        made._der = None
        made._str = None
        return made

    @classmethod
    def from_der(cls, der: bytes) -> Name:
        """The name encoded in *der* (a Name, RFC 5280 4.1.2.4)."""
        try:
            return cls._from_grammar(asn1.decode_der(g.NameG, der))
        except asn1.DecodeError as e:
            raise DecodeError(f"name: {e}") from None

    def _to_grammar(self) -> g.Name:
        return g.Name(tuple(tuple(a._to_grammar() for a in rdn) for rdn in self.rdns))

    # --- views ----------------------------------------------------------------------------

    @property
    def der(self) -> bytes:
        """The DER encoding of the name."""
        if self._der is None:
            self._der = asn1.encode_der(g.NameG, self._to_grammar())
        return self._der

    @property
    def attributes(self) -> tuple[NameAttribute, ...]:
        """Every attribute, in encoding order."""
        return tuple(a for rdn in self.rdns for a in rdn)

    def get(self, type: str | OID) -> tuple[str, ...]:
        """The text values of the attributes of *type*, in encoding order."""
        oid = attribute_type(type)
        return tuple(a.value for rdn in self.rdns for a in rdn if a.oid == oid and a.value)

    @property
    def common_names(self) -> tuple[str, ...]:
        """The commonName values (RFC 6125 6.4.4 looks at them only without SANs)."""
        return self.get(COMMON_NAME)

    def __iter__(self) -> Iterator[NameAttribute]:
        return iter(self.attributes)

    def __len__(self) -> int:
        return len(self.rdns)

    def __bool__(self) -> bool:
        return bool(self.rdns)

    def __str__(self) -> str:
        if self._str is None:
            # ",".join("+".join(map(str, rdn)) for rdn in reversed(self.rdns)), with
            # NameAttribute.__str__ written out.
            names = ATTRIBUTE_NAMES
            rdns = []
            for rdn in reversed(self.rdns):
                parts = []
                for a in rdn:
                    name, value = names.get(a.oid), a.value
                    if name is None or value is None:
                        parts.append(f"{name or a.oid}=#{a.der.hex().upper()}")
                    elif _ESCAPED(value) is None and (  # _plain(value), in place
                        not value or (value[0] != " " and value[0] != "#" and value[-1] != " ")
                    ):
                        parts.append(f"{name}={value}")
                    else:
                        parts.append(f"{name}={escape(value)}")
                rdns.append("+".join(parts))
            self._str = ",".join(rdns)
        return self._str

    def __repr__(self) -> str:
        return f"Name({str(self)!r})"

    # --- comparison -----------------------------------------------------------------------

    @property
    def key(self) -> tuple[tuple[str, ...], ...]:
        """The RFC 5280 7.1 comparison form: two names match iff their keys are equal."""
        if self._key is None:
            self._key = tuple(tuple(sorted(a._key() for a in rdn)) for rdn in self.rdns)
        return self._key

    def matches(self, other: Name) -> bool:
        """RFC 5280 7.1: the same number of RDNs, and RDN by RDN the same set of
        attributes with matching values (strings after case folding and whitespace
        folding, other values by DER)."""
        if not isinstance(other, Name):
            raise TypeError("Name.matches takes a Name")
        return self.key == other.key

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Name):
            return NotImplemented
        return self.rdns == other.rdns

    def __hash__(self) -> int:
        return hash(self.rdns)


def _atv_der(attribute: NameAttribute) -> bytes:
    return asn1.encode_der(g.AttributeTypeAndValueG, attribute._to_grammar())


_HEX: Final = frozenset("0123456789abcdefABCDEF")


def _read_value(text: str, pos: int, oid: OID) -> tuple[NameAttribute, int]:
    """One RFC 4514 attributeValue from *pos*; returns the attribute and the position of
    the ``,`` / ``+`` after it (or the end)."""
    n = len(text)
    if pos < n and text[pos] == "#":
        end = pos + 1
        while end < n and text[end] not in ",+":
            end += 1
        hexits = text[pos + 1 : end].strip()
        try:
            der = bytes.fromhex(hexits)
            asn1.decode_der(asn1.any, der)
            return NameAttribute(oid, der), end
        except (ValueError, asn1.DecodeError) as e:
            raise ValueError(f"RFC 4514: bad hexstring value {hexits!r}: {e}") from None
    out = bytearray()
    escaped: list[bool] = []  # per octet of out: whether it came from an escape
    while pos < n:
        ch = text[pos]
        if ch in ",+":
            break
        if ch == "\\":
            if pos + 1 >= n:
                raise ValueError("RFC 4514: a value ends with a lone backslash")
            nxt = text[pos + 1]
            if nxt in _HEX and pos + 2 < n and text[pos + 2] in _HEX:
                out.append(int(text[pos + 1 : pos + 3], 16))
                pos += 3
            elif nxt in _SPECIAL or nxt in " #=":
                out.extend(nxt.encode())
                pos += 2
            else:
                raise ValueError(f"RFC 4514: bad escape '\\{nxt}'")
            escaped.extend([True] * (len(out) - len(escaped)))
            continue
        if ch == "\0":
            raise ValueError("RFC 4514: NUL must be escaped")
        out.extend(ch.encode())
        escaped.extend([False] * (len(out) - len(escaped)))
        pos += 1
    # Unescaped spaces around a value are not part of it (leniency for "CN=a, O=b").
    start, end = 0, len(out)
    while start < end and out[start] == 0x20 and not escaped[start]:
        start += 1
    while end > start and out[end - 1] == 0x20 and not escaped[end - 1]:
        end -= 1
    try:
        value = bytes(out[start:end]).decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("RFC 4514: escaped octets are not UTF-8") from None
    return NameAttribute.of(oid, value), pos
