"""``python -m asn1 dump FILE``: print the TLV tree of a DER, BER or PEM file.

Like ``dumpasn1`` or ``openssl asn1parse``: each line shows the offset, header and content
lengths, the tag, and the value (OIDs with their names). ``-`` reads standard input. Input
that is not valid DER (or BER with ``--ber``) exits with status 1 and the decode error.
"""

from __future__ import annotations

import argparse
import sys

from . import pem
from ._core import DEFAULT_LIMITS
from ._errors import DecodeError
from ._tree import dump as dump_tree


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    ap = argparse.ArgumentParser(prog="python -m asn1", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    dump = sub.add_parser("dump", help="print the element tree of a DER/BER/PEM file")
    dump.add_argument("file", help="input file, or - for standard input")
    dump.add_argument("--ber", action="store_true", help="accept BER, not only DER")
    dump.add_argument("--no-names", action="store_true", help="do not name known OIDs")
    args = ap.parse_args(argv)

    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.file, "rb") as f:
                data = f.read(DEFAULT_LIMITS.max_size + 1)
    except OSError as e:
        print(f"asn1 dump: {e}", file=sys.stderr)
        return 2

    try:
        blocks = pem.decode(data) if pem.looks_like_pem(data) else [("", data)]
        out = []
        for label, der in blocks:
            text = dump_tree(der, ber=args.ber, names=not args.no_names)
            if label:
                out.append(f"-- PEM {label} ({len(der)} bytes)\n")
            out.append(text)
    except DecodeError as e:
        print(f"asn1 dump: {args.file}: {e}", file=sys.stderr)
        return 1
    sys.stdout.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
