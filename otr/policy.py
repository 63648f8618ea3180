"""OTR policies (OTR protocol version 3, "Policies"): which protocol versions to speak and
when to start the AKE, as one :class:`Policy` flag set per session.

Version 1 of the protocol is not implemented, so ALLOW_V1 does not exist. The flag values are
those libotr uses (``OTRL_POLICY_*``), so a policy number means the same thing in both.
"""

from __future__ import annotations

from enum import IntFlag
from typing import Final

__all__ = ["Policy"]


class Policy(IntFlag):
    """The boolean policy flags of the specification, combinable with ``|``."""

    #: "Allow version 2 of the OTR protocol to be used."
    ALLOW_V2 = 0x02
    #: "Allow version 3 of the OTR protocol to be used."
    ALLOW_V3 = 0x04
    #: "Refuse to send unencrypted messages."
    REQUIRE_ENCRYPTION = 0x08
    #: "Advertise your support of OTR using the whitespace tag."
    SEND_WHITESPACE_TAG = 0x10
    #: "Start the OTR AKE when you receive a whitespace tag."
    WHITESPACE_START_AKE = 0x20
    #: "Start the OTR AKE when you receive an OTR Error Message."
    ERROR_START_AKE = 0x40

    #: Opportunistic OTR: versions 2 and 3, advertised with the whitespace tag, the AKE
    #: started on a tag or an error message.
    DEFAULT = ALLOW_V2 | ALLOW_V3 | SEND_WHITESPACE_TAG | WHITESPACE_START_AKE | ERROR_START_AKE
    #: Never send anything unencrypted.
    ALWAYS = ALLOW_V2 | ALLOW_V3 | REQUIRE_ENCRYPTION | WHITESPACE_START_AKE | ERROR_START_AKE

    def versions(self) -> frozenset[int]:
        """The protocol versions these flags allow."""
        # Read on every received message: a table lookup on the plain integer (the flag
        # operators of ``enum`` run Python code for each ``&``).
        return _VERSIONS[int(self) & (_V2 | _V3)]


_V2: Final = int(Policy.ALLOW_V2)
_V3: Final = int(Policy.ALLOW_V3)
#: The versions allowed, by the ALLOW_V2 and ALLOW_V3 bits of a policy.
_VERSIONS: Final = {
    0: frozenset[int](),
    _V2: frozenset({2}),
    _V3: frozenset({3}),
    _V2 | _V3: frozenset({2, 3}),
}
