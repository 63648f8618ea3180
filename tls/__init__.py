"""tls: a sans-I/O TLS 1.0-1.2 engine (RFC 2246, RFC 4346, RFC 5246).

Will hold the pure engine - ``client``/``server``/``handle``/``send`` over
immutable state values, with peer errors returned as the alert to send and
misuse raised - its configuration, events, errors and cipher suites, and, at
the edge, the only code that does I/O: the blocking socket adapter
(``tls.socket``), the asyncio adapter (``tls.aio``) and a command-line tool.

Depends on ``asn1``, ``nocrypto`` and ``x509``.
"""

from __future__ import annotations

__all__: list[str] = []
