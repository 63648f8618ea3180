"""alltypes.asn in asn1 combinators, in the order and with the names of the ASN.1 module.

Every type the asn1 package supports, for the differential tests against asn1tools. Values
are plain tuples; the only ``map`` is :func:`asn1.enumeration` (ENUMERATED, and INTEGER with
named numbers).
RELATIVE-OID is absent because asn1tools' DER codec does not support it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asn1

ASN_PATH = Path(__file__).with_name("alltypes.asn")

# --- the universal types, one by one ---

Flag = asn1.boolean
Number = asn1.integer
Colour = asn1.enumeration(
    {"infrared": -1, "red": 0, "green": 1, "blue": 2, "ultraviolet": 1000}, asn1.enumerated
)
Version = asn1.enumeration({"v1": 0, "v2": 1, "v3": 2}, asn1.integer)
Bits = asn1.bit_string
Permissions = asn1.named_bits(
    "read",
    "write",
    "execute",
    "setuid",
    "setgid",
    "sticky",
    "hidden",
    "system",
    "archive",
    "compressed",
)
Octets = asn1.octet_string
Nothing = asn1.null
Identifier = asn1.object_identifier
Utf8 = asn1.utf8_string
Printable = asn1.printable_string
Ia5 = asn1.ia5_string
Numeric = asn1.numeric_string
Visible = asn1.visible_string
Teletex = asn1.teletex_string
Bmp = asn1.bmp_string
Universal = asn1.universal_string
Utc = asn1.utc_time
Generalized = asn1.generalized_time
Anything = asn1.any

# --- size constraints ---

ShortName = asn1.size(asn1.utf8_string, min=1, max=8)
Digest = asn1.size(asn1.octet_string, min=32, max=32)
Flags16 = asn1.size(asn1.bit_string, min=0, max=16)
Pair = asn1.size(asn1.sequence_of(asn1.integer), min=2, max=2)
Numbers = asn1.size(asn1.sequence_of(asn1.integer), min=1, max=4)

# --- CHOICE, and CHOICE nested untagged in CHOICE ---

Time = asn1.choice(("utc", asn1.utc_time), ("gen", asn1.generalized_time))
Shape = asn1.choice(
    ("circle", asn1.explicit(0, asn1.integer)),
    ("square", asn1.implicit(1, asn1.integer)),
    ("label", asn1.utf8_string),
    ("time", Time),
    (
        "point",
        asn1.implicit(
            2, asn1.sequence(("x", asn1.integer), ("y", asn1.integer)), cls=asn1.APPLICATION
        ),
    ),
    ("secret", asn1.explicit(3, asn1.octet_string, cls=asn1.PRIVATE)),
    ("many", asn1.implicit(5, Numbers)),
    ("far", asn1.implicit(1000, asn1.null)),
)

# --- SEQUENCE with OPTIONAL and DEFAULT components, tagged in every class ---

Record = asn1.sequence(
    ("id", asn1.integer),
    ("name", ShortName),
    asn1.default("active", asn1.boolean, True),
    asn1.default("priority", asn1.integer, 5),
    asn1.default("colour", Colour, "green"),
    asn1.optional("note", asn1.explicit(10, asn1.ia5_string)),
    asn1.optional("payload", asn1.implicit(11, asn1.octet_string)),
    asn1.default("perms", asn1.implicit(12, Permissions), frozenset({"read", "write"})),
    asn1.optional("created", asn1.explicit(3, asn1.generalized_time, cls=asn1.APPLICATION)),
    asn1.optional("owner", asn1.implicit(4, Identifier, cls=asn1.PRIVATE)),
    asn1.optional("shape", Shape),
)
Records = asn1.size(asn1.sequence_of(Record), min=0, max=3)

# --- SET, declared out of canonical tag order (X.690 10.3) ---

Bag = asn1.set(
    asn1.optional("secret", asn1.implicit(1, asn1.null, cls=asn1.PRIVATE), absent=False),
    ("second", asn1.explicit(2, asn1.integer)),
    ("label", asn1.printable_string),
    asn1.optional("app", asn1.explicit(1, asn1.boolean, cls=asn1.APPLICATION)),
    asn1.default("first", asn1.implicit(1, asn1.utf8_string), "first"),
    ("when", Time),
    asn1.default("flag", asn1.boolean, False),
    asn1.optional("far", asn1.implicit(40, asn1.integer, cls=asn1.APPLICATION)),
)

# --- SET OF (X.690 11.6) ---

Tags = asn1.size(asn1.set_of(asn1.octet_string), min=0, max=6)
Times = asn1.set_of(Time)
Bags = asn1.set_of(Bag)

# --- ANY, open and under a tag ---

Holder = asn1.sequence(
    ("kind", asn1.object_identifier),
    ("value", asn1.any),
    asn1.optional("extra", asn1.explicit(0, asn1.any)),
)

# --- recursive types ---

Tree = asn1.fix(
    lambda tree: asn1.sequence(
        ("value", asn1.integer), ("children", asn1.size(asn1.sequence_of(tree), min=0, max=3))
    )
)
Expr = asn1.fix(
    lambda expr: asn1.choice(
        ("num", asn1.integer),
        ("neg", asn1.explicit(0, expr)),
        ("sum", asn1.implicit(1, asn1.sequence_of(expr))),
    )
)

# --- everything together ---

Document = asn1.sequence(
    asn1.default("version", asn1.explicit(0, Version), "v2"),
    ("records", Records),
    ("bag", Bag),
    ("shapes", asn1.sequence_of(Shape)),
    ("tags", Tags),
    asn1.optional("holder", asn1.explicit(1, Holder)),
    asn1.optional("tree", asn1.implicit(2, Tree)),
    asn1.optional(
        "texts",
        asn1.explicit(
            7,
            asn1.sequence(
                ("visible", asn1.visible_string),
                ("numeric", asn1.numeric_string),
                ("teletex", asn1.teletex_string),
                ("bmp", asn1.bmp_string),
                ("universal", asn1.universal_string),
                ("bits", Bits),
                ("flags", Flags16),
            ),
            cls=asn1.APPLICATION,
        ),
    ),
)

TYPES: dict[str, asn1.Grammar[Any]] = {
    name: value for name, value in globals().items() if isinstance(value, asn1.Grammar)
}
