"""Long fuzzing runs with atheris (``make fuzz``; not part of ``make test``).

    python tests/fuzz/run_atheris.py [TARGET] [libFuzzer flags, e.g. -max_total_time=600]

TARGET is one of tests/fuzz/targets.py's TARGETS (default: all of them, in turn, each with
the given flags). The seed corpus is the certificates under vectors/ and the system store.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import atheris  # noqa: E402

with atheris.instrument_imports():
    import asn1  # noqa: F401

from tests.fuzz.targets import TARGETS  # noqa: E402


def seed_corpus(directory: Path) -> None:
    sources = [*ROOT.glob("vectors/**/*.pem"), *Path("/etc/ssl/certs").glob("*.pem")][:50]
    from asn1 import pem

    for i, path in enumerate(sources):
        for j, (_, der) in enumerate(pem.decode(path.read_bytes())):
            (directory / f"seed-{i}-{j}").write_bytes(der)


def main() -> None:
    args = sys.argv[1:]
    if not any(a.startswith(("-max_total_time", "-runs")) for a in args):
        args.append("-max_total_time=60")
    if not args or args[0].startswith("-"):
        # atheris.Fuzz() ends the process: one child process per target.
        for name in TARGETS:
            print(f"== fuzzing {name}", flush=True)
            subprocess.run([sys.executable, __file__, name, *args], check=True)
        return
    target = TARGETS[args.pop(0)]
    with tempfile.TemporaryDirectory() as corpus:
        seed_corpus(Path(corpus))
        atheris.Setup([sys.argv[0], *args, corpus], target)
        atheris.Fuzz()


if __name__ == "__main__":
    main()
