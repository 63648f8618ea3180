"""Benchmarks of nqsb against reference implementations: ``python bench/run.py``.

asn1, certificate: decode and re-encode the full structure of a typical certificate
(``vectors/x509/demo-cert.pem``, about 1.4 KB) with our grammar of RFC 5280
(``tests/asn1/modules/rfc5280.py``) and with asn1tools' DER codec compiled from the same module
as ASN.1 text (``tests/asn1/modules/rfc5280.asn``). Both leave ANY values (algorithm
parameters, attribute values) as raw bytes, so they do the same work. Every figure comes from
one run in this process: the best of 5 repeats of N loops, N chosen so that a repeat lasts at
least 0.2 s (as ``python -m timeit`` does). The ratio is asn1tools' time over ours: above 1,
we are faster.
"""

from __future__ import annotations

import sys
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script from anywhere: asn1 and tests import

import asn1tools  # noqa: E402

import asn1  # noqa: E402
from tests.asn1.modules import rfc5280  # noqa: E402

CERTIFICATE = REPO / "vectors" / "x509" / "demo-cert.pem"
REPEATS = 5


@dataclass(frozen=True)
class Timing:
    """Seconds per call, best of REPEATS, and the loops per repeat."""

    seconds: float
    loops: int


def measure(call: Callable[[], object]) -> Timing:
    timer = timeit.Timer(call)
    loops, _ = timer.autorange()
    best = min(timer.repeat(repeat=REPEATS, number=loops))
    return Timing(best / loops, loops)


def _micro(t: Timing) -> str:
    return f"{t.seconds * 1e6:9.1f} us ({t.loops:>5} loops)"


def bench_asn1_certificate() -> list[str]:
    der = asn1.pem.decode(CERTIFICATE.read_bytes(), label="CERTIFICATE")[0][1]
    grammar = rfc5280.Certificate
    spec: Any = asn1tools.compile_files(str(rfc5280.ASN_PATH), "der")

    ours = asn1.decode_der(grammar, der)
    theirs = spec.decode("Certificate", der)
    # Both must reproduce the certificate exactly, or the timings compare different work.
    if asn1.encode_der(grammar, ours) != der or bytes(spec.encode("Certificate", theirs)) != der:
        raise SystemExit(f"{CERTIFICATE}: a re-encoding differs from the input")

    rows = {
        "decode": (
            measure(lambda: asn1.decode_der(grammar, der)),
            measure(lambda: spec.decode("Certificate", der)),
        ),
        "encode": (
            measure(lambda: asn1.encode_der(grammar, ours)),
            measure(lambda: spec.encode("Certificate", theirs)),
        ),
        "decode + encode": (
            measure(lambda: asn1.encode_der(grammar, asn1.decode_der(grammar, der))),
            measure(lambda: spec.encode("Certificate", spec.decode("Certificate", der))),
        ),
    }
    name = CERTIFICATE.relative_to(REPO)
    lines = [
        f"asn1: the certificate {name} ({len(der)} bytes), RFC 5280 Certificate",
        f"  best of {REPEATS} repeats, time per call; ratio = asn1tools / nqsb (>1: nqsb faster)",
        f"  {'':<16}{'nqsb asn1':>28}{'asn1tools ' + asn1tools.__version__:>30}{'ratio':>9}",
    ]
    for label, (mine, other) in rows.items():
        ratio = other.seconds / mine.seconds
        lines.append(f"  {label:<16}{_micro(mine):>28}{_micro(other):>30}{ratio:>8.2f}x")
    return lines


from bench.crypto import bench_symmetric  # noqa: E402
from bench.otr import bench_otr  # noqa: E402
from bench.pk import bench_public_key  # noqa: E402
from bench.tls import bench_tls  # noqa: E402
from bench.x509 import bench_x509  # noqa: E402
from bench.x509_chain import bench_x509_chains  # noqa: E402

BENCHMARKS: tuple[Callable[[], list[str]], ...] = (
    bench_asn1_certificate,
    bench_symmetric,
    bench_public_key,
    bench_x509,
    bench_x509_chains,
    bench_otr,
    bench_tls,
)


def main() -> None:
    print(f"Python {sys.version.split()[0]} on {sys.platform}")
    for bench in BENCHMARKS:
        print()
        print("\n".join(bench()))


if __name__ == "__main__":
    main()
