"""GeneralName (RFC 5280 4.2.1.6) as typed values.

Each alternative of the CHOICE is a frozen dataclass: :class:`DNSName`, :class:`RFC822Name`,
:class:`URI` (IA5String text), :class:`IPAddress` (an ``ipaddress`` address, 4 or 16
octets), :class:`IPNetwork` (the address-and-mask form used in name constraints, 8 or 32
octets, RFC 5280 4.2.1.10; a mask that is not a prefix of ones is refused),
:class:`DirectoryName`, :class:`OtherName`, :class:`RegisteredID`, and, kept for
completeness, :class:`X400Address` and :class:`EDIPartyName`.

``str()`` gives the form ``openssl x509 -text`` prints ("DNS:example.org", "IP
Address:192.0.2.1", ...). Internationalised names (A-labels / U-labels) are left as they
are encoded: DNS names are IA5String, so A-labels.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeAlias

import asn1
from asn1 import OID

from . import _grammar as g
from ._errors import MAX_GENERAL_NAMES, DecodeError
from ._name import Name

__all__ = [
    "URI",
    "DNSName",
    "DirectoryName",
    "EDIPartyName",
    "GeneralName",
    "IPAddress",
    "IPNetwork",
    "OtherName",
    "RFC822Name",
    "RegisteredID",
    "X400Address",
]


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} takes a str")
    return value


@dataclass(frozen=True, slots=True)
class DNSName:
    """dNSName: a domain name in its ASCII (A-label) form, as encoded."""

    value: str

    def __post_init__(self) -> None:
        _text(self.value, "DNSName")

    def __str__(self) -> str:
        return f"DNS:{self.value}"

    def _choice(self) -> tuple[str, Any]:
        return ("dNSName", self.value)


@dataclass(frozen=True, slots=True)
class RFC822Name:
    """rfc822Name: an e-mail address (or, in name constraints, a host or domain)."""

    value: str

    def __post_init__(self) -> None:
        _text(self.value, "RFC822Name")

    def __str__(self) -> str:
        return f"email:{self.value}"

    def _choice(self) -> tuple[str, Any]:
        return ("rfc822Name", self.value)


@dataclass(frozen=True, slots=True)
class URI:
    """uniformResourceIdentifier."""

    value: str

    def __post_init__(self) -> None:
        _text(self.value, "URI")

    def __str__(self) -> str:
        return f"URI:{self.value}"

    def _choice(self) -> tuple[str, Any]:
        return ("uniformResourceIdentifier", self.value)


Address: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address
Network: TypeAlias = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class IPAddress:
    """iPAddress in a certificate or CRL: 4 octets (IPv4) or 16 (IPv6), RFC 5280 4.2.1.6."""

    value: Address

    def __post_init__(self) -> None:
        if not isinstance(self.value, ipaddress.IPv4Address | ipaddress.IPv6Address):
            raise TypeError("IPAddress takes an ipaddress.IPv4Address or IPv6Address")

    def __str__(self) -> str:
        return f"IP Address:{self.value}"

    def _choice(self) -> tuple[str, Any]:
        return ("iPAddress", self.value.packed)


@dataclass(frozen=True, slots=True)
class IPNetwork:
    """iPAddress in name constraints: address and mask, 8 octets (IPv4) or 32 (IPv6)
    (RFC 5280 4.2.1.10), as an ``ipaddress`` network."""

    value: Network

    def __post_init__(self) -> None:
        if not isinstance(self.value, ipaddress.IPv4Network | ipaddress.IPv6Network):
            raise TypeError("IPNetwork takes an ipaddress.IPv4Network or IPv6Network")

    def __str__(self) -> str:
        return f"IP:{self.value}"

    def _choice(self) -> tuple[str, Any]:
        return ("iPAddress", self.value.network_address.packed + self.value.netmask.packed)


@dataclass(frozen=True, slots=True)
class DirectoryName:
    """directoryName: a distinguished name."""

    value: Name

    def __post_init__(self) -> None:
        if not isinstance(self.value, Name):
            raise TypeError("DirectoryName takes a Name")

    def __str__(self) -> str:
        return f"DirName:{self.value}"

    def _choice(self) -> tuple[str, Any]:
        return ("directoryName", self.value._to_grammar())


@dataclass(frozen=True, slots=True)
class OtherName:
    """otherName: ``type_id`` and the exact DER of the value (inside its [0] EXPLICIT)."""

    type_id: OID
    value: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.type_id, OID) or not isinstance(self.value, bytes):
            raise TypeError("OtherName(type_id: OID, value: bytes)")

    def __str__(self) -> str:
        return f"othername:{self.type_id}:#{self.value.hex().upper()}"

    def _choice(self) -> tuple[str, Any]:
        return ("otherName", g.OtherName(self.type_id, self.value))


@dataclass(frozen=True, slots=True)
class RegisteredID:
    """registeredID: an object identifier."""

    value: OID

    def __post_init__(self) -> None:
        if not isinstance(self.value, OID):
            raise TypeError("RegisteredID takes an OID")

    def __str__(self) -> str:
        return f"Registered ID:{self.value}"

    def _choice(self) -> tuple[str, Any]:
        return ("registeredID", self.value)


@dataclass(frozen=True, slots=True)
class X400Address:
    """x400Address (ORAddress, X.411): not decoded; the DER of its components."""

    components: tuple[bytes, ...]

    def __str__(self) -> str:
        return "X400Name:<unsupported>"

    def _choice(self) -> tuple[str, Any]:
        return ("x400Address", self.components)


@dataclass(frozen=True, slots=True)
class EDIPartyName:
    """ediPartyName: the optional name assigner and the party name (DirectoryString text)."""

    name_assigner: str | None
    party_name: str

    def __str__(self) -> str:
        return f"EdiPartyName:{self.party_name}"

    def _choice(self) -> tuple[str, Any]:
        assigner = None if self.name_assigner is None else ("utf8String", self.name_assigner)
        return ("ediPartyName", g.EDIPartyName(assigner, ("utf8String", self.party_name)))


GeneralName: TypeAlias = (
    DNSName
    | RFC822Name
    | URI
    | IPAddress
    | IPNetwork
    | DirectoryName
    | OtherName
    | RegisteredID
    | X400Address
    | EDIPartyName
)

_MASKS: Final = {
    4: frozenset((0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF for n in range(33)),
    16: frozenset(((1 << 128) - 1) << (128 - n) & ((1 << 128) - 1) for n in range(129)),
}


def _network(octets: bytes) -> Network:
    """RFC 5280 4.2.1.10: address then mask, each 4 (IPv4) or 16 (IPv6) octets; the mask
    must be contiguous ones ("192.0.2.0/255.255.255.0"), the address without host bits."""
    half = len(octets) // 2
    if half not in (4, 16) or len(octets) != 2 * half:
        raise DecodeError(
            f"iPAddress constraint of {len(octets)} octets (8 for IPv4 or 32 for IPv6, "
            "RFC 5280 4.2.1.10)"
        )
    mask = int.from_bytes(octets[half:], "big")
    if mask not in _MASKS[half]:
        raise DecodeError(f"iPAddress constraint with a non-contiguous mask {octets[half:].hex()}")
    prefix = bin(mask).count("1")
    address = int.from_bytes(octets[:half], "big")
    if address & ~mask & ((1 << (8 * half)) - 1):
        raise DecodeError("iPAddress constraint with host bits set outside its mask")
    if half == 4:
        return ipaddress.IPv4Network((address, prefix))
    return ipaddress.IPv6Network((address, prefix))


_new: Final = object.__new__
# The GeneralName alternatives whose value is their text, and the setter of that slot.
_TEXT_NAMES: Final[dict[str, tuple[type, Callable[[object, str], None]]]] = {
    "dNSName": (DNSName, vars(DNSName)["value"].__set__),
    "rfc822Name": (RFC822Name, vars(RFC822Name)["value"].__set__),
    "uniformResourceIdentifier": (URI, vars(URI)["value"].__set__),
}


def from_choice(choice: tuple[str, Any], constraint: bool = False) -> GeneralName:
    """The typed value of a decoded GeneralName CHOICE (*constraint*: in a GeneralSubtree,
    where iPAddress is an address and a mask)."""
    kind, value = choice
    text = _TEXT_NAMES.get(kind)
    if text is not None:
        # DNSName(value), RFC822Name(value) or URI(value) for the str the grammar decoded
        # (IA5String): __post_init__ only checks that it is a str.
        made: GeneralName = _new(text[0])
        text[1](made, value)
        return made
    if kind == "iPAddress":
        if constraint:
            return IPNetwork(_network(value))
        if len(value) == 4:
            return IPAddress(ipaddress.IPv4Address(value))
        if len(value) == 16:
            return IPAddress(ipaddress.IPv6Address(value))
        raise DecodeError(f"iPAddress of {len(value)} octets (4 or 16, RFC 5280 4.2.1.6)")
    if kind == "directoryName":
        return DirectoryName(Name._from_grammar(value))
    if kind == "otherName":
        return OtherName(value.type_id, value.value)
    if kind == "registeredID":
        return RegisteredID(value)
    if kind == "x400Address":
        return X400Address(tuple(value))
    if kind == "ediPartyName":
        assigner = None if value.name_assigner is None else value.name_assigner[1]
        return EDIPartyName(assigner, value.party_name[1])
    raise DecodeError(f"unknown GeneralName alternative {kind}")  # pragma: no cover


def from_choices(
    choices: Iterable[tuple[str, Any]], what: str, constraint: bool = False
) -> tuple[GeneralName, ...]:
    """Typed values of GeneralNames, at most MAX_GENERAL_NAMES of them."""
    made: list[GeneralName] = []
    for c in choices:
        text = _TEXT_NAMES.get(c[0])
        if text is None:
            made.append(from_choice(c, constraint))
        else:  # from_choice's first case, in place
            name: GeneralName = _new(text[0])
            text[1](name, c[1])
            made.append(name)
    out = tuple(made)
    if len(out) > MAX_GENERAL_NAMES:
        raise DecodeError(f"{what}: more than {MAX_GENERAL_NAMES} names")
    return out


def to_choices(names: Sequence[GeneralName], what: str) -> tuple[tuple[str, Any], ...]:
    """The CHOICE values of typed GeneralNames (for encoding)."""
    if isinstance(names, str | bytes) or not isinstance(names, Sequence):
        raise TypeError(f"{what}: a sequence of GeneralName values")
    out = []
    for name in names:
        if not isinstance(
            name,
            DNSName
            | RFC822Name
            | URI
            | IPAddress
            | IPNetwork
            | DirectoryName
            | OtherName
            | RegisteredID
            | X400Address
            | EDIPartyName,
        ):
            raise TypeError(f"{what}: {name!r} is not a GeneralName")
        out.append(name._choice())
    return tuple(out)


def decode_general_names(der: bytes) -> tuple[GeneralName, ...]:
    """GeneralNames from DER (helper for tests and tools)."""
    try:
        choices: tuple[tuple[str, Any], ...] = asn1.decode_der(g.GeneralNames, der)
        return from_choices(choices, "GeneralNames")
    except asn1.DecodeError as e:
        raise DecodeError(f"GeneralNames: {e}") from None
