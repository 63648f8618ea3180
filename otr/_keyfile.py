"""OTR long-term keys: libotr's private-key file, fingerprints, key generation.

- The file format is libotr's (``otrl_privkey_read`` / ``otrl_privkey_generate`` in libotr
  4.1): one libgcrypt S-expression in its "advanced" text form::

      (privkeys
       (account
        (name "alice@example.org")
        (protocol prpl-jabber)
        (private-key (dsa (p #00FC...#) (q #00B3...#) (g #...#) (y #...#) (x #...#)))))

  libotr parses it with ``gcry_sexp_new`` and writes it with ``GCRYSEXP_FMT_ADVANCED``. The
  reader here takes the atoms that form accepts - tokens (``prpl-jabber``), quoted strings
  with C-like escapes, ``#hex#`` (whitespace allowed inside), ``|base64|`` and the
  length-prefixed verbatim form ``3:abc`` (a length may also precede the other forms) - but
  no display hints (``[...]``) and no transport blocks (``{...}``). MPIs are libgcrypt's
  "STD" form, two's complement: a value whose first byte has the top bit set would be
  negative, so such a value is refused and the writer prefixes it with 00, as libgcrypt does.
  The fields of ``account`` and of ``dsa`` may come in any order, each exactly once and
  with nothing else (stricter than libotr, which searches for them); an account may appear
  only once.
- Fingerprint (OTR version 3, "Public keys, signatures, and fingerprints"): SHA-1 of the
  OTR encoding of the public key without its 2-byte type, i.e. of MPI(p) MPI(q) MPI(g)
  MPI(y); shown as five groups of eight upper-case hex digits, as libotr does.
- OTR keys are DSA with a 160-bit q: "len is the length of the DSA public parameter q,
  which in current implementations must be 20 bytes" (SIG). :func:`generate_account_key`
  makes 1024/160 parameters (FIPS 186-4, as libotr's ``(genkey (dsa (nbits 4:1024)))``).

Every malformed input raises :class:`KeyFileError` (a ValueError) and nothing else;
limits are the constants below.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, TypeAlias

from nocrypto import dsa
from otr import _wire
from otr._wire import human_fingerprint

__all__ = [
    "MAX_DEPTH",
    "MAX_KEYFILE_BYTES",
    "AccountKey",
    "KeyFileError",
    "fingerprint",
    "generate_account_key",
    "human_fingerprint",
    "read_private_keys",
    "write_private_keys",
]

#: The largest key file read, in bytes (a DSA-1024 account takes about 700).
MAX_KEYFILE_BYTES: Final = 1 << 20
#: The deepest nesting of lists read (the format needs 4: privkeys, account, private-key,
#: dsa, and the field lists inside).
MAX_DEPTH: Final = 8
#: OTR's DSA q is 20 bytes (SIG).
_Q_BITS: Final = 160

_WHITESPACE: Final = b" \t\n\r\f\v"
# libgcrypt's token characters: letters, digits and these; a token may not start with a digit.
_TOKEN_SPECIALS: Final = b"-./_:*+="
_DIGITS: Final = b"0123456789"
_HEX_DIGITS: Final = b"0123456789abcdefABCDEF"
# Escapes in quoted strings (libgcrypt's sexp.c accepts these, plus \ooo, \xHH and a
# backslash before a line break).
_ESCAPES: Final = {
    ord("b"): b"\b",
    ord("t"): b"\t",
    ord("v"): b"\v",
    ord("n"): b"\n",
    ord("f"): b"\f",
    ord("r"): b"\r",
    ord('"'): b'"',
    ord("'"): b"'",
    ord("\\"): b"\\",
}


class KeyFileError(ValueError):
    """A malformed or unusable private-key file."""


Random: TypeAlias = Callable[[int], bytes]
_Node: TypeAlias = "bytes | list[_Node]"


@dataclass(frozen=True)
class AccountKey:
    """The long-term DSA key of one account (*account*, *protocol*: libotr's "name" and
    "protocol", e.g. ``"alice@example.org"``, ``"prpl-jabber"``)."""

    account: str
    protocol: str
    key: dsa.DSAPrivateKey

    def __post_init__(self) -> None:
        for label, value in (("account", self.account), ("protocol", self.protocol)):
            if not isinstance(value, str) or not value or "\x00" in value:
                raise ValueError(f"AccountKey: {label} must be a non-empty str without NUL")
        if not isinstance(self.key, dsa.DSAPrivateKey):
            raise TypeError("AccountKey: key must be a nocrypto.dsa.DSAPrivateKey")
        if self.key.params.q.bit_length() != _Q_BITS:
            raise ValueError("AccountKey: OTR needs a DSA key with a 160-bit q")

    @property
    def fingerprint(self) -> bytes:
        """The 20-byte OTR fingerprint of the public key."""
        return fingerprint(self.key.public_key())


# --- fingerprints (human_fingerprint: otr._wire's, re-exported) --------------------------


def fingerprint(public_key: dsa.DSAPublicKey) -> bytes:
    """The OTR fingerprint: SHA-1 of MPI(p) MPI(q) MPI(g) MPI(y) ("the SHA-1 hash of the
    public key ... if the pubkey type is 0x0000, those two leading 0x00 bytes are omitted")."""
    if not isinstance(public_key, dsa.DSAPublicKey):
        raise TypeError("fingerprint: expected a nocrypto.dsa.DSAPublicKey")
    return _wire.fingerprint(public_key)


def generate_account_key(account: str, protocol: str, random: Random) -> AccountKey:
    """A new DSA-1024/160 key (fresh FIPS 186-4 parameters) for *account* on *protocol*."""
    params = dsa.DSAParameters.generate(1024, 160, random=random)
    return AccountKey(account, protocol, dsa.DSAPrivateKey.generate(params, random=random))


# --- the S-expression reader ---------------------------------------------------------------


def _is_token_byte(byte: int) -> bool:
    """An ASCII letter or digit, or one of libgcrypt's token specials."""
    return (byte < 0x80 and chr(byte).isalnum()) or byte in _TOKEN_SPECIALS


class _Parser:
    """libgcrypt's advanced S-expression syntax, over bytes; raises KeyFileError only."""

    __slots__ = ("_data", "_pos")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def _fail(self, message: str) -> KeyFileError:
        return KeyFileError(f"key file, offset {self._pos}: {message}")

    def _skip_space(self) -> None:
        data = self._data
        while self._pos < len(data) and data[self._pos] in _WHITESPACE:
            self._pos += 1

    def document(self) -> _Node:
        """Exactly one list, with only whitespace around it."""
        self._skip_space()
        node = self._expression(0)
        self._skip_space()
        if self._pos != len(self._data):
            raise self._fail("data after the S-expression")
        if not isinstance(node, list):
            raise self._fail("expected a list")
        return node

    def _expression(self, depth: int) -> _Node:
        data = self._data
        if self._pos >= len(data):
            raise self._fail("unexpected end of data")
        if data[self._pos] == ord("("):
            return self._list(depth + 1)
        return self._atom()

    def _list(self, depth: int) -> list[_Node]:
        if depth > MAX_DEPTH:
            raise self._fail(f"lists nested deeper than {MAX_DEPTH}")
        self._pos += 1  # "("
        items: list[_Node] = []
        while True:
            self._skip_space()
            if self._pos >= len(self._data):
                raise self._fail("unclosed list")
            if self._data[self._pos] == ord(")"):
                self._pos += 1
                return items
            items.append(self._expression(depth))

    def _atom(self) -> bytes:
        data = self._data
        char = data[self._pos]
        if char in _DIGITS:
            return self._length_prefixed()
        if char == ord('"'):
            return self._quoted()
        if char == ord("#"):
            return self._hex()
        if char == ord("|"):
            return self._base64()
        if char not in _DIGITS and _is_token_byte(char):
            return self._token()
        if char == ord("["):
            raise self._fail("display hints are not supported")
        raise self._fail(f"unexpected character {chr(char)!r}")

    def _token(self) -> bytes:
        data = self._data
        start = self._pos
        while self._pos < len(data) and _is_token_byte(data[self._pos]):
            self._pos += 1
        return data[start : self._pos]

    def _length_prefixed(self) -> bytes:
        data = self._data
        start = self._pos
        while self._pos < len(data) and data[self._pos] in _DIGITS:
            self._pos += 1
        digits = data[start : self._pos]
        if len(digits) > 7:  # more than the file can hold
            raise self._fail("length prefix too large")
        length = int(digits)
        if self._pos >= len(data):
            raise self._fail("unexpected end of data after a length")
        marker = data[self._pos]
        if marker == ord(":"):  # verbatim: "3:abc"
            self._pos += 1
            if length > len(data) - self._pos:
                raise self._fail("verbatim string runs past the end")
            value = data[self._pos : self._pos + length]
            self._pos += length
            return value
        if marker == ord('"'):
            value = self._quoted()
        elif marker == ord("#"):
            value = self._hex()
        elif marker == ord("|"):
            value = self._base64()
        else:
            raise self._fail("a length must be followed by ':', '\"', '#' or '|'")
        if len(value) != length:
            raise self._fail(f"the length prefix says {length} bytes, the value has {len(value)}")
        return value

    def _delimited(self, close: int, what: str) -> bytes:
        """The raw bytes between the opening character at the cursor and *close*."""
        data = self._data
        end = data.find(bytes((close,)), self._pos + 1)
        if end < 0:
            raise self._fail(f"unterminated {what}")
        raw = data[self._pos + 1 : end]
        self._pos = end + 1
        return raw

    def _hex(self) -> bytes:
        raw = bytes(b for b in self._delimited(ord("#"), "hex string") if b not in _WHITESPACE)
        if any(b not in _HEX_DIGITS for b in raw):
            raise self._fail("non-hex character in a hex string")
        if len(raw) % 2:
            raise self._fail("odd number of hex digits")
        return bytes.fromhex(raw.decode("ascii"))

    def _base64(self) -> bytes:
        raw = bytes(b for b in self._delimited(ord("|"), "base64 string") if b not in _WHITESPACE)
        try:
            return base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise self._fail("bad base64 string") from None

    def _quoted(self) -> bytes:
        data = self._data
        self._pos += 1  # the opening quote
        out = bytearray()
        while True:
            if self._pos >= len(data):
                raise self._fail("unterminated quoted string")
            char = data[self._pos]
            self._pos += 1
            if char == ord('"'):
                return bytes(out)
            if char != ord("\\"):
                out.append(char)
                continue
            if self._pos >= len(data):
                raise self._fail("unterminated escape")
            escape = data[self._pos]
            self._pos += 1
            if escape in _ESCAPES:
                out += _ESCAPES[escape]
            elif escape in b"01234567":
                digits = data[self._pos - 1 : self._pos + 2]
                if len(digits) != 3 or any(d not in b"01234567" for d in digits):
                    raise self._fail("an octal escape needs three octal digits")
                value = int(digits, 8)
                if value > 0xFF:
                    raise self._fail("octal escape above \\377")
                out.append(value)
                self._pos += 2
            elif escape == ord("x"):
                digits = data[self._pos : self._pos + 2]
                if len(digits) != 2 or any(d not in _HEX_DIGITS for d in digits):
                    raise self._fail("a \\x escape needs two hex digits")
                out.append(int(digits, 16))
                self._pos += 2
            elif escape in b"\r\n":  # line continuation: \<LF>, \<CR>, \<CR><LF>, \<LF><CR>
                if (
                    self._pos < len(data)
                    and data[self._pos] in b"\r\n"
                    and data[self._pos] != escape
                ):
                    self._pos += 1
            else:
                raise self._fail(f"unknown escape \\{chr(escape)}")


# --- from the tree to keys -----------------------------------------------------------------


def _fields(items: list[_Node], names: tuple[str, ...], where: str) -> dict[str, _Node]:
    """The (name value) lists among *items*, by name: each of *names* exactly once and
    nothing else; the value is the second element."""
    found: dict[str, _Node] = {}
    for item in items:
        if not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], bytes):
            raise KeyFileError(f"key file: {where}: expected (name value) lists")
        name = item[0].decode("latin-1")
        if name not in names:
            raise KeyFileError(f"key file: {where}: unexpected field {name!r}")
        if name in found:
            raise KeyFileError(f"key file: {where}: field {name!r} repeated")
        found[name] = item[1]
    missing = [name for name in names if name not in found]
    if missing:
        raise KeyFileError(f"key file: {where}: missing {', '.join(missing)}")
    return found


def _atom_of(node: _Node, what: str) -> bytes:
    if not isinstance(node, bytes):
        raise KeyFileError(f"key file: {what} must be an atom")
    return node


def _sublist(node: _Node, head: str, where: str) -> list[_Node]:
    """*node* if it is a list starting with the token *head*."""
    if not isinstance(node, list) or not node or node[0] != head.encode():
        raise KeyFileError(f"key file: {where}: expected a ({head} ...) list")
    return node


def _text(value: bytes, what: str) -> str:
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        raise KeyFileError(f"key file: {what} is not UTF-8") from None
    if not text or "\x00" in text:
        raise KeyFileError(f"key file: {what} is empty or holds a NUL")
    return text


def _mpi(value: bytes, what: str) -> int:
    """A libgcrypt STD-format MPI: big-endian two's complement, so positive values have a
    clear top bit (libgcrypt writes a 00 before a byte >= 0x80)."""
    if value[:1] and value[0] & 0x80:
        raise KeyFileError(f"key file: {what} is negative (a leading 00 is missing)")
    return int.from_bytes(value, "big")


def _account(node: _Node, index: int) -> AccountKey:
    """(account (name N) (protocol P) (private-key (dsa (p ..) (q ..) (g ..) (y ..) (x ..))))"""
    where = f"account {index}"
    account = _fields(
        _sublist(node, "account", where)[1:], ("name", "protocol", "private-key"), where
    )
    private = account["private-key"]
    if not isinstance(private, list):
        raise KeyFileError(f"key file: {where}: expected (private-key (dsa ...))")
    dsa_fields = _fields(
        _sublist(private, "dsa", where)[1:], ("p", "q", "g", "y", "x"), f"{where}: dsa"
    )
    p, q, g, y, x = (
        _mpi(_atom_of(dsa_fields[n], f"{where}: {n}"), f"{where}: {n}")
        for n in ("p", "q", "g", "y", "x")
    )
    if q.bit_length() != _Q_BITS:
        raise KeyFileError(f"key file: {where}: OTR needs a 160-bit DSA q")
    try:
        key = dsa.DSAPrivateKey(dsa.DSAParameters(p, q, g), x)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"key file: {where}: bad DSA key: {exc}") from None
    if key.public_key().y != y:
        raise KeyFileError(f"key file: {where}: y is not g^x mod p")
    return AccountKey(
        _text(_atom_of(account["name"], f"{where}: name"), f"{where}: name"),
        _text(_atom_of(account["protocol"], f"{where}: protocol"), f"{where}: protocol"),
        key,
    )


def read_private_keys(text: str | bytes) -> list[AccountKey]:
    """The accounts of a libotr private-key file, in file order. KeyFileError on anything
    malformed: syntax, structure, a repeated account, a DSA key that is not valid or whose
    y does not match x, a q that is not 160 bits, a file over MAX_KEYFILE_BYTES."""
    if isinstance(text, str):
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            raise KeyFileError("key file: the text cannot be encoded as UTF-8") from None
    elif isinstance(text, bytes | bytearray):
        data = bytes(text)
    else:
        raise TypeError("read_private_keys: expected str or bytes")
    if len(data) > MAX_KEYFILE_BYTES:
        raise KeyFileError(f"key file: larger than {MAX_KEYFILE_BYTES} bytes")
    tree = _sublist(_Parser(data).document(), "privkeys", "top level")
    keys: list[AccountKey] = []
    seen: set[tuple[str, str]] = set()
    for index, node in enumerate(tree[1:], 1):
        account = _account(node, index)
        pair = (account.account, account.protocol)
        if pair in seen:
            raise KeyFileError(f"key file: account {index}: {pair} appears twice")
        seen.add(pair)
        keys.append(account)
    return keys


# --- the writer ----------------------------------------------------------------------------


def _atom(value: bytes) -> str:
    """An atom in a form libgcrypt reads, as its advanced format would print it: a token
    when it is one (and does not start with a digit), a quoted string when printable ASCII,
    else #hex# (libgcrypt itself puts bytes above 0xA0 raw between quotes; hex keeps the
    file ASCII)."""
    if value and value[0] not in _DIGITS and all(_is_token_byte(b) for b in value):
        return value.decode("ascii")
    if all(0x20 <= b < 0x7F for b in value):
        text = value.decode("ascii")
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "#" + value.hex().upper() + "#"


def _std_mpi(value: int) -> str:
    """A positive MPI in libgcrypt's STD form, as #hex#: a 00 before a top bit."""
    # bit_length // 8 + 1 bytes: the minimal length, plus a 00 exactly when the bit length
    # is a multiple of 8 (the top bit of the first byte set).
    raw = value.to_bytes(value.bit_length() // 8 + 1, "big")
    return "#" + raw.hex().upper() + "#"


def write_private_keys(keys: Sequence[AccountKey]) -> str:
    """A libotr private-key file holding *keys* (in order). ValueError if an
    (account, protocol) pair repeats."""
    seen: set[tuple[str, str]] = set()
    lines = ["(privkeys"]
    for entry in keys:
        if not isinstance(entry, AccountKey):
            raise TypeError("write_private_keys: expected AccountKey values")
        pair = (entry.account, entry.protocol)
        if pair in seen:
            raise ValueError(f"write_private_keys: {pair} appears twice")
        seen.add(pair)
        key = entry.key
        params = key.params
        numbers = (
            ("p", params.p),
            ("q", params.q),
            ("g", params.g),
            ("y", key.public_key().y),
            ("x", key.x),
        )
        lines += [
            " (account",
            f"  (name {_atom(entry.account.encode('utf-8'))})",
            f"  (protocol {_atom(entry.protocol.encode('utf-8'))})",
            "  (private-key",
            "   (dsa",
            *(f"    ({name} {_std_mpi(value)})" for name, value in numbers),
            "    )",
            "   )",
            "  )",
        ]
    lines.append(")")
    return "\n".join(lines) + "\n"
