"""OTR policies (OTR protocol version 3, "Policies"): which protocol versions to speak and
when to start the AKE, as one :class:`Policy` flag set per session.

Version 1 of the protocol is not implemented, so ALLOW_V1 does not exist. The flag values are
those libotr uses (``OTRL_POLICY_*``), so a policy number means the same thing in both.
"""

from __future__ import annotations

from enum import IntFlag

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
        out = set()
        if self & Policy.ALLOW_V2:
            out.add(2)
        if self & Policy.ALLOW_V3:
            out.add(3)
        return frozenset(out)
