"""``python -m asn1 dump``: what a person running it sees, and its exit status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from asn1.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "vectors" / "x509" / "demo-cert.pem"


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "asn1", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_dump_demo_certificate() -> None:
    result = run("dump", str(DEMO))
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert out.startswith("-- PEM CERTIFICATE (1391 bytes)\n")
    lines = out.splitlines()
    assert lines[1].split() == ["0", "4+1387", "SEQUENCE"]
    assert "OBJECT IDENTIFIER 1.2.840.113549.1.1.11 (sha256WithRSAEncryption)" in out
    assert "PrintableString 'ISRG Root X1'" in out
    assert "UTCTime 2015-06-04T11:04:38+00:00" in out
    assert "(encapsulates)" in out  # the public key inside the BIT STRING
    assert "INTEGER 65537" in out


def test_dump_der_from_stdin_and_no_names() -> None:
    result = run("dump", "--no-names", "-", stdin=bytes.fromhex("300d06092a864886f70d01010b0500"))
    assert result.returncode == 0
    assert result.stdout.decode().splitlines() == [
        "     0 2+13    SEQUENCE",
        "     2 2+9       OBJECT IDENTIFIER 1.2.840.113549.1.1.11",
        "    13 2+0       NULL",
    ]


def test_bad_der_exits_non_zero_with_the_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.der"
    bad.write_bytes(bytes.fromhex("3080 020101 0000"))
    result = run("dump", str(bad))
    assert result.returncode == 1
    assert b"indefinite length is not allowed in DER" in result.stderr
    assert result.stdout == b""
    ok = run("dump", "--ber", str(bad))
    assert ok.returncode == 0
    assert ok.stdout.decode().splitlines()[0].split() == ["0", "2+inf", "SEQUENCE"]


def test_missing_file_and_in_process_main(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dump", str(tmp_path / "absent")]) == 2
    assert "No such file" in capsys.readouterr().err
    assert main(["dump", str(DEMO)]) == 0
    assert "SEQUENCE" in capsys.readouterr().out
