"""otr: Off-the-Record messaging (OTR protocol version 3).

Will hold a pure OTR engine in the same shape as ``tls`` - immutable states,
steps that map a state and an input to a new state and output, randomness and
time passed in through the configuration - covering the authenticated key
exchange, data messages and the socialist millionaires' protocol, plus thin
adapters for I/O.

Depends on ``nocrypto`` (and ``asn1`` only if it needs it).
"""

from __future__ import annotations

__all__: list[str] = []
