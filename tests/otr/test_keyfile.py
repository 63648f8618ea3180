"""libotr private-key files and fingerprints (otr._keyfile): a file libotr 4.1.1 wrote,
with the fingerprints libotr printed for it; round trips of generated keys; every atom
form of libgcrypt's advanced S-expressions; a table of malformed files; fingerprints
against hashlib; hypothesis: the reader raises nothing but KeyFileError on random and
mutated text."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nocrypto import dsa
from nocrypto.rng import Fortuna
from otr import _keyfile
from otr._keyfile import AccountKey, KeyFileError, read_private_keys, write_private_keys


def rng(seed: bytes) -> Callable[[int], bytes]:
    return Fortuna(seed=seed).generate


def libotr_account(name: str, protocol: str, p: str, q: str, g: str, y: str, x: str) -> str:
    """One account exactly as libotr 4.1.1 writes it (libgcrypt's advanced format, with its
    trailing spaces after "(private-key" and "(dsa")."""
    numbers = "".join(f"  ({n} #{v}#)\n" for n, v in zip("pqgyx", (p, q, g, y, x), strict=True))
    return (
        f" (account\n(name {name})\n(protocol {protocol})\n(private-key \n (dsa \n"
        + numbers
        + "  )\n )\n )\n"
    )


# Written by libotr 4.1.1 (Debian libotr5 4.1.1-5, libgcrypt 1.10.1) with two calls of
# otrl_privkey_generate(us, path, account, protocol); the fingerprints are what
# otrl_privkey_fingerprint printed for the two accounts right after.
LIBOTR_FILE = (
    "(privkeys\n"
    + libotr_account(
        '"alice@example.org"',
        "prpl-jabber",
        (
            "00E9450C70DEB0B4EBD61C35EACCA24261F6FA67C9AC84F0E6D2622FF0478047"
            "91D6B57BD1F970447759800C0B81DE319DF29596A58A17C9753F8EAD1A364373"
            "3F63F773AB0E62326DA81B1D7F1B0316C6CA148F67A0B7C4BF16121E5229E9D2"
            "A439097CC72B4800FB039317D7B82B0D73A6D6DD959CB007EF233C3D3B4E1A0B"
            "4F"
        ),
        "00A917C5A778A6EBFAC86818113D1B55B01F5309E9",
        (
            "00B56040C140266551A3011870DF8CA834C34C31D3604D334A9F5023567BB50B"
            "379EC1C37E7347623682BE523FF49A4978E40AA1D5CD46CFFC2946A427A0F1C0"
            "BF7D8CE9FAC497D17FE3692129E674A58C95DB951E6A2164E9B2E18EFF983284"
            "D1A4E18680700D977CE1F9760D6C5F2D31EC311312F21F6A76C8E0AC06D19F67"
            "EE"
        ),
        (
            "00C1B7CB62630A44C818C22005741E1C0AD02CF8B61682729FFED5A861B1E9E1"
            "87DD5CDB17A2D062676C3B34A7215A7B9A75C32B5680D43853FA73E5A9ED657A"
            "C7A29352F4AC396871E7094FF1F93EDDB65D759434455CF74D38F6EA17783C4D"
            "F92D764EDA2E75F44EB187BB3A6E3A7A7488F7BB14C0ACBEF2C3EB381FD6A449"
            "F7"
        ),
        "74248A507F6D3B2E7CA81B07F16EB8BBA3083F2D",
    )
    + libotr_account(
        '"Zoë 1"',
        "xmpp",
        (
            "00968C1D99A3098552033954A661B78E77005D293082797163804CEAF135C458"
            "5F5DAAE2CD5C253BA2A00B599C5D38F11EFF9F2403C706CC046365070E70335C"
            "C39098FE3A99B66620EB39A14824F679CAAAE56B86C4606D2999B86D27D44EBA"
            "EAC50447B72E95D81BD769AA5C61945A98F7B04D0CDD3AED3603795DAA0D6C34"
            "7F"
        ),
        "0099BF8D488EA81E40977F9C3FB9A3A899538228E5",
        (
            "579FFC5D8BAB9015FC8708DB71CC7CDD788BAD37B4B4ACBD568CD110B6D87EC8"
            "49DCC0CEAB63C7235089A9DA4FAAC32DD8511252F177EE24C71C316FB7167DFF"
            "A0A9FE926901D42813A046D551DA1132BDCEEB44D5D2112CA4F9CC30BBCA78B6"
            "BCD7A224678ACCB917B4BAA8D7EB2EC63A94A03043D9E89E5D0DE8C460E86A6C"
        ),
        (
            "008FC3928CDE6B4213DFE0AF4004F466AB661012012803FC4152ED3D1047BAB5"
            "BD26168370D875F30C13EAC491BD2A13DA7C23C0C86D53FC0697C61322AA428B"
            "A36A98775B0BCFFE60154FA2AE9AFAD93ED0E37B0049C810C9D78D8420707D2B"
            "2AE79DAEE6913C5EC21EF7A747FF14FDC2D60700BB390616142A552556CD66C6"
            "62"
        ),
        "189BC3D2D0E41E5827F79EE4F3582F7653F96188",
    )
    + ")\n"
)
LIBOTR_FINGERPRINTS = {
    ("alice@example.org", "prpl-jabber"): "05F04683 D854B601 272A7DCB 61BCAAD3 B60BBD6B",
    ("Zoë 1", "xmpp"): "54DE1638 947F2A92 AAF94A72 E34F9C5B 101C0721",
}


def mpi(value: int) -> bytes:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return len(raw).to_bytes(4, "big") + raw


def otr_fingerprint(key: dsa.DSAPublicKey) -> bytes:
    """Independently: SHA-1 of MPI(p) MPI(q) MPI(g) MPI(y)."""
    params = key.params
    return hashlib.sha1(mpi(params.p) + mpi(params.q) + mpi(params.g) + mpi(key.y)).digest()


def std_hex(value: int) -> str:
    """libgcrypt's STD form in hex: big-endian two's complement (a 00 before a top bit)."""
    return value.to_bytes(value.bit_length() // 8 + 1, "big").hex().upper()


@pytest.fixture(scope="module")
def libotr_keys() -> list[AccountKey]:
    return read_private_keys(LIBOTR_FILE)


@pytest.fixture(scope="module")
def generated() -> list[AccountKey]:
    random = rng(b"keyfile tests")
    return [
        _keyfile.generate_account_key("carol@example.org", "prpl-jabber", random),
        _keyfile.generate_account_key('dave "the" \\ smith', "prpl irc", random),
        _keyfile.generate_account_key("Zoë 名前", "1xmpp", random),
    ]


@pytest.fixture(scope="module")
def params_2048_224() -> dsa.DSAParameters:
    return dsa.DSAParameters.generate(2048, 224, random=rng(b"2048/224"))


# --- what libotr wrote ---------------------------------------------------------------------


def test_reads_the_file_libotr_wrote(libotr_keys: list[AccountKey]) -> None:
    assert [(k.account, k.protocol) for k in libotr_keys] == list(LIBOTR_FINGERPRINTS)
    for key in libotr_keys:
        expected = LIBOTR_FINGERPRINTS[(key.account, key.protocol)]
        assert _keyfile.human_fingerprint(key.fingerprint) == expected
        assert key.key.params.q.bit_length() == 160
        assert key.key.params.p.bit_length() == 1024
        key.key.params.validate_primes()
        key.key.public_key().validate()


def test_fingerprint_is_sha1_of_the_mpis(libotr_keys: list[AccountKey]) -> None:
    for key in libotr_keys:
        public = key.key.public_key()
        assert _keyfile.fingerprint(public) == otr_fingerprint(public)
        assert key.fingerprint == otr_fingerprint(public)


def test_human_fingerprint() -> None:
    fp = bytes(range(0xA0, 0xB4))
    text = _keyfile.human_fingerprint(fp)
    assert text == "A0A1A2A3 A4A5A6A7 A8A9AAAB ACADAEAF B0B1B2B3"
    assert text.replace(" ", "") == fp.hex().upper()
    for bad in (b"", b"x" * 19, b"x" * 21):
        with pytest.raises(ValueError):
            _keyfile.human_fingerprint(bad)


def test_fingerprint_needs_a_public_key(libotr_keys: list[AccountKey]) -> None:
    with pytest.raises(TypeError):
        _keyfile.fingerprint(libotr_keys[0].key)  # type: ignore[arg-type]


# --- round trips ---------------------------------------------------------------------------


def test_round_trip_of_generated_keys(generated: list[AccountKey]) -> None:
    text = write_private_keys(generated)
    assert read_private_keys(text) == generated
    assert read_private_keys(text.encode("utf-8")) == generated
    assert write_private_keys(read_private_keys(text)) == text


def test_round_trip_of_the_libotr_keys(libotr_keys: list[AccountKey]) -> None:
    assert read_private_keys(write_private_keys(libotr_keys)) == libotr_keys


def test_the_written_form(generated: list[AccountKey]) -> None:
    text = write_private_keys(generated[:1])
    assert text.startswith("(privkeys\n (account\n")
    assert '(name "carol@example.org")' in text  # "@" is not a token character
    assert "(protocol prpl-jabber)" in text  # a token
    params = generated[0].key.params
    # libgcrypt's STD form: a 00 before a first byte >= 0x80 (p of 1024 bits always).
    assert f"(p #00{params.p:X}#)" in text
    x = generated[0].key.x
    expected_x = f"{x:X}".rjust((x.bit_length() + 7) // 8 * 2, "0")
    if x.bit_length() % 8 == 0:
        expected_x = "00" + expected_x
    assert f"(x #{expected_x}#)" in text


@pytest.mark.parametrize(
    ("name", "atom"),
    [
        ("alice", "alice"),
        ("a-b.c/d_e:f*g+h=i", "a-b.c/d_e:f*g+h=i"),
        ("1alice", '"1alice"'),
        ("with space", '"with space"'),
        ('q"uo\\te', '"q\\"uo\\\\te"'),
        ("Zoë", "#5A6FC3AB#"),
        ("tab\there", "#7461620968657265#"),
    ],
)
def test_names_are_written_as_libgcrypt_would_read_them(
    generated: list[AccountKey], name: str, atom: str
) -> None:
    entry = AccountKey(name, "proto", generated[0].key)
    text = write_private_keys([entry])
    assert f"(name {atom})" in text
    assert read_private_keys(text) == [entry]


def test_empty_file_list() -> None:
    assert write_private_keys([]) == "(privkeys\n)\n"
    assert read_private_keys("(privkeys)") == []
    assert read_private_keys("  \n(privkeys\n)\n\n") == []


def test_write_rejects_duplicates(generated: list[AccountKey]) -> None:
    with pytest.raises(ValueError, match="twice"):
        write_private_keys([generated[0], generated[0]])


# --- the atom forms of libgcrypt's advanced syntax ------------------------------------------

ALICE = '(name "alice@example.org")'


def with_name(atom: str) -> str:
    assert ALICE in LIBOTR_FILE
    return LIBOTR_FILE.replace(ALICE, f"(name {atom})")


@pytest.mark.parametrize(
    ("atom", "expected"),
    [
        ('"alice@example.org"', "alice@example.org"),
        ("17:alice@example.org", "alice@example.org"),
        ('17"alice@example.org"', "alice@example.org"),
        ("#616C69636540#", "alice@"),
        ("# 61 6c\n 69 #", "ali"),
        ("6#616C69636540#", "alice@"),
        ("|" + base64.b64encode(b"alice@example.org").decode() + "|", "alice@example.org"),
        ("alice.example", "alice.example"),
        ('"a\\x41\\101\\n\\t\\"\\\\\\\'b"', "aAA\n\t\"\\'b"),
        ('"line\\\ncontinued"', "linecontinued"),
        ('"crlf\\\r\ncontinued"', "crlfcontinued"),
        ('"Zoë"', "Zoë"),
    ],
)
def test_atom_forms(atom: str, expected: str) -> None:
    keys = read_private_keys(with_name(atom))
    assert keys[0].account == expected


def test_fields_in_any_order() -> None:
    swapped = LIBOTR_FILE.replace("(protocol prpl-jabber)", "").replace(
        ALICE, '(protocol prpl-jabber) (name "alice@example.org")'
    )
    keys = read_private_keys(swapped)
    assert (keys[0].account, keys[0].protocol) == ("alice@example.org", "prpl-jabber")


# --- malformed files -----------------------------------------------------------------------

FIRST_P = LIBOTR_FILE.split("(p #", 1)[1].split("#", 1)[0]
FIRST_Y = LIBOTR_FILE.split("(y #", 1)[1].split("#", 1)[0]
FIRST_X = LIBOTR_FILE.split("(x #", 1)[1].split("#", 1)[0]
ONE_ACCOUNT = LIBOTR_FILE[: LIBOTR_FILE.index(" (account", 20)] + ")\n"

MALFORMED = {
    "empty": "",
    "only whitespace": " \n\t",
    "an atom": "privkeys",
    "unclosed": LIBOTR_FILE.rstrip()[:-1],
    "extra close": LIBOTR_FILE + ")",
    "trailing atom": LIBOTR_FILE + "x",
    "second expression": LIBOTR_FILE + "(privkeys)",
    "wrong head": LIBOTR_FILE.replace("(privkeys", "(pubkeys", 1),
    "head is a list": "((privkeys))",
    "account is an atom": "(privkeys account)",
    "empty account": "(privkeys (account))",
    "not an account": "(privkeys (user (name a)))",
    "missing name": LIBOTR_FILE.replace(ALICE, ""),
    "repeated name": LIBOTR_FILE.replace(ALICE, ALICE + ALICE),
    "unknown field": LIBOTR_FILE.replace(ALICE, ALICE + "(comment hello)"),
    "name is a list": LIBOTR_FILE.replace(ALICE, "(name (alice))"),
    "name with two values": LIBOTR_FILE.replace(ALICE, "(name alice bob)"),
    "empty name": with_name('""'),
    "name with NUL": with_name('"a\\000b"'),
    "name not UTF-8": with_name("#FF#"),
    "missing x": LIBOTR_FILE.replace(f"(x #{FIRST_X}#)", "", 1),
    "x is a list": LIBOTR_FILE.replace(f"(x #{FIRST_X}#)", "(x (a))", 1),
    "x is zero": LIBOTR_FILE.replace(f"(x #{FIRST_X}#)", "(x #00#)", 1),
    "y does not match x": LIBOTR_FILE.replace(FIRST_Y, FIRST_Y[:-2] + "01", 1),
    "negative p": LIBOTR_FILE.replace(f"(p #{FIRST_P}#)", f"(p #{FIRST_P[2:]}#)", 1),
    "p even": LIBOTR_FILE.replace(FIRST_P, FIRST_P[:-2] + "02", 1),
    "not dsa": LIBOTR_FILE.replace("(dsa", "(rsa", 1),
    "private-key empty": ONE_ACCOUNT.split("(private-key")[0] + "(private-key)))",
    "duplicate account": ONE_ACCOUNT[:-2] + ONE_ACCOUNT[len("(privkeys") : -2] + ")",
    "odd hex": with_name("#616#"),
    "bad hex digit": with_name("#61G1#"),
    "unterminated hex": "(privkeys (account (name #6161",
    "bad base64": with_name("|YW*j|"),
    "unterminated string": '(privkeys (account (name "alice',
    "unterminated escape": '(privkeys (account (name "alice\\',
    "unknown escape": with_name('"a\\qb"'),
    "short octal escape": with_name('"a\\12"'),
    "octal escape above 377": with_name('"a\\400"'),
    "short hex escape": with_name('"a\\x4"'),
    "display hint": with_name("[text/plain]alice"),
    "transport block": with_name("{KDE6YSk=}"),
    "length with no marker": with_name("12alice"),
    "length mismatch": with_name('3"alice"'),
    "verbatim past the end": "(privkeys (account (name 999:abc",
    "huge length": with_name("99999999999:a"),
    "stray character": with_name("\x01"),
    "too deep": "(privkeys " + "(" * 20 + ")" * 20 + ")",
    "too large": "(privkeys" + " " * (1 << 20) + ")",
    "lone surrogate": "(privkeys (account (name \ud800)))",
}

REASONS = {
    "empty": "end of data",
    "only whitespace": "end of data",
    "an atom": "expected a list",
    "unclosed": "unclosed list",
    "extra close": "after the S-expression",
    "trailing atom": "after the S-expression",
    "second expression": "after the S-expression",
    "wrong head": "(privkeys ...)",
    "head is a list": "(privkeys ...)",
    "account is an atom": "(account ...)",
    "empty account": "missing name, protocol, private-key",
    "not an account": "(account ...)",
    "missing name": "missing name",
    "repeated name": "repeated",
    "unknown field": "unexpected field 'comment'",
    "name is a list": "must be an atom",
    "name with two values": "(name value)",
    "empty name": "empty",
    "name with NUL": "NUL",
    "name not UTF-8": "not UTF-8",
    "missing x": "missing x",
    "x is a list": "x must be an atom",
    "x is zero": "0 < x < q",
    "y does not match x": "y is not g^x",
    "negative p": "negative",
    "p even": "odd primes",
    "not dsa": "(dsa ...)",
    "private-key empty": "(name value)",
    "duplicate account": "twice",
    "odd hex": "odd number",
    "bad hex digit": "non-hex",
    "unterminated hex": "unterminated hex",
    "bad base64": "base64",
    "unterminated string": "unterminated quoted",
    "unterminated escape": "unterminated escape",
    "unknown escape": "unknown escape",
    "short octal escape": "three octal",
    "octal escape above 377": "above",
    "short hex escape": "two hex",
    "display hint": "display hints",
    "transport block": "unexpected character",
    "length with no marker": "a length must be followed",
    "length mismatch": "length prefix says",
    "verbatim past the end": "past the end",
    "huge length": "too large",
    "stray character": "unexpected character",
    "too deep": "nested deeper",
    "too large": "larger than",
    "lone surrogate": "UTF-8",
}


@pytest.mark.parametrize("label", list(MALFORMED))
def test_malformed_files_are_rejected(label: str) -> None:
    with pytest.raises(KeyFileError) as info:
        read_private_keys(MALFORMED[label])
    assert REASONS[label] in str(info.value)


def test_every_malformed_case_names_its_reason() -> None:
    assert set(REASONS) == set(MALFORMED)


def dsa_file(key: dsa.DSAPrivateKey) -> str:
    """A one-account file for *key*, built independently of the writer."""
    values = (key.params.p, key.params.q, key.params.g, key.public_key().y, key.x)
    fields = " ".join(f"({n} #{std_hex(v)}#)" for n, v in zip("pqgyx", values, strict=True))
    return f'(privkeys (account (name "a") (protocol b) (private-key (dsa {fields}))))'


def test_a_q_that_is_not_160_bits_is_rejected(
    params_2048_224: dsa.DSAParameters, libotr_keys: list[AccountKey]
) -> None:
    key = dsa.DSAPrivateKey.generate(params_2048_224, random=rng(b"k"))
    with pytest.raises(KeyFileError, match="160-bit"):
        read_private_keys(dsa_file(key))
    with pytest.raises(ValueError, match="160-bit"):
        AccountKey("a", "b", key)
    # The control: the same file with a 160-bit key reads.
    assert read_private_keys(dsa_file(libotr_keys[0].key))[0].key == libotr_keys[0].key


def test_the_control_for_the_table() -> None:
    """The edits above start from a file that reads; the 160-bit case from one that would
    read with a 160-bit q."""
    assert len(read_private_keys(LIBOTR_FILE)) == 2
    assert len(read_private_keys(ONE_ACCOUNT)) == 1


@pytest.mark.parametrize(("account", "protocol"), [("", "p"), ("a", ""), ("a\x00b", "p")])
def test_account_key_checks_its_names(
    libotr_keys: list[AccountKey], account: str, protocol: str
) -> None:
    with pytest.raises(ValueError):
        AccountKey(account, protocol, libotr_keys[0].key)


def test_generate_account_key(generated: list[AccountKey]) -> None:
    for entry in generated:
        params = entry.key.params
        assert (params.L, params.N) == (1024, 160)
        params.validate_primes()
        entry.key.public_key().validate()
    assert len({entry.fingerprint for entry in generated}) == 3


# --- hypothesis: only KeyFileError ---------------------------------------------------------


def read_or_key_file_error(text: str | bytes) -> list[AccountKey] | None:
    try:
        return read_private_keys(text)
    except KeyFileError:
        return None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_random_text_only_raises_key_file_error(text: str) -> None:
    read_or_key_file_error(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='()#|":\\ \n0123456789abcdefxAF-privkeysaountmeclp', max_size=200))
def test_random_s_expressions_only_raise_key_file_error(text: str) -> None:
    read_or_key_file_error(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_only_raise_key_file_error(data: bytes) -> None:
    read_or_key_file_error(data)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_mutated_libotr_file_only_raises_key_file_error(data: st.DataObject) -> None:
    text = LIBOTR_FILE
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        position = data.draw(st.integers(0, len(text) - 1), label="position")
        replacement = data.draw(st.text(max_size=3), label="replacement")
        text = text[:position] + replacement + text[position + 1 :]
    result = read_or_key_file_error(text)
    if result is not None:  # an edit the format absorbs (whitespace, a name): still valid
        for entry in result:
            entry.key.public_key().validate()
