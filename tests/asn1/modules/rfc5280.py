"""RFC 5280 appendix A in asn1 combinators, in the order and with the names of rfc5280.asn.

Values are plain tuples (no ``map``), so that tests can convert them to and from asn1tools'
representation mechanically. The x509 package has its own typed transcription.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asn1

ASN_PATH = Path(__file__).with_name("rfc5280.asn")

Version = asn1.integer
CertificateSerialNumber = asn1.integer
Time = asn1.choice(("utcTime", asn1.utc_time), ("generalTime", asn1.generalized_time))
Validity = asn1.sequence(("notBefore", Time), ("notAfter", Time))
UniqueIdentifier = asn1.bit_string
AlgorithmIdentifier = asn1.sequence(
    ("algorithm", asn1.object_identifier),
    asn1.optional("parameters", asn1.any),
)
SubjectPublicKeyInfo = asn1.sequence(
    ("algorithm", AlgorithmIdentifier), ("subjectPublicKey", asn1.bit_string)
)
Extension = asn1.sequence(
    ("extnID", asn1.object_identifier),
    asn1.default("critical", asn1.boolean, False),
    ("extnValue", asn1.octet_string),
)
Extensions = asn1.size(asn1.sequence_of(Extension), min=1)
AttributeTypeAndValue = asn1.sequence(("type", asn1.object_identifier), ("value", asn1.any))
RelativeDistinguishedName = asn1.size(asn1.set_of(AttributeTypeAndValue), min=1)
RDNSequence = asn1.sequence_of(RelativeDistinguishedName)
Name = asn1.choice(("rdnSequence", RDNSequence))
DirectoryString = asn1.choice(
    ("teletexString", asn1.size(asn1.teletex_string, min=1)),
    ("printableString", asn1.size(asn1.printable_string, min=1)),
    ("universalString", asn1.size(asn1.universal_string, min=1)),
    ("utf8String", asn1.size(asn1.utf8_string, min=1)),
    ("bmpString", asn1.size(asn1.bmp_string, min=1)),
)
TBSCertificate = asn1.sequence(
    asn1.default("version", asn1.explicit(0, Version), 0),
    ("serialNumber", CertificateSerialNumber),
    ("signature", AlgorithmIdentifier),
    ("issuer", Name),
    ("validity", Validity),
    ("subject", Name),
    ("subjectPublicKeyInfo", SubjectPublicKeyInfo),
    asn1.optional("issuerUniqueID", asn1.implicit(1, UniqueIdentifier)),
    asn1.optional("subjectUniqueID", asn1.implicit(2, UniqueIdentifier)),
    asn1.optional("extensions", asn1.explicit(3, Extensions)),
)
Certificate = asn1.sequence(
    ("tbsCertificate", TBSCertificate),
    ("signatureAlgorithm", AlgorithmIdentifier),
    ("signature", asn1.bit_string),
)

# --- PKIX1Implicit88 ---
KeyIdentifier = asn1.octet_string
SubjectKeyIdentifier = KeyIdentifier
KeyUsage = asn1.named_bits(
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
)
AnotherName = asn1.sequence(
    ("type-id", asn1.object_identifier), ("value", asn1.explicit(0, asn1.any))
)
GeneralName = asn1.choice(
    ("otherName", asn1.implicit(0, AnotherName)),
    ("rfc822Name", asn1.implicit(1, asn1.ia5_string)),
    ("dNSName", asn1.implicit(2, asn1.ia5_string)),
    ("directoryName", asn1.explicit(4, Name)),
    ("uniformResourceIdentifier", asn1.implicit(6, asn1.ia5_string)),
    ("iPAddress", asn1.implicit(7, asn1.octet_string)),
    ("registeredID", asn1.implicit(8, asn1.object_identifier)),
)
GeneralNames = asn1.size(asn1.sequence_of(GeneralName), min=1)
SubjectAltName = GeneralNames
AuthorityKeyIdentifier = asn1.sequence(
    asn1.optional("keyIdentifier", asn1.implicit(0, KeyIdentifier)),
    asn1.optional("authorityCertIssuer", asn1.implicit(1, GeneralNames)),
    asn1.optional("authorityCertSerialNumber", asn1.implicit(2, CertificateSerialNumber)),
)
PolicyQualifierInfo = asn1.sequence(
    ("policyQualifierId", asn1.object_identifier), ("qualifier", asn1.any)
)
PolicyInformation = asn1.sequence(
    ("policyIdentifier", asn1.object_identifier),
    asn1.optional("policyQualifiers", asn1.size(asn1.sequence_of(PolicyQualifierInfo), min=1)),
)
CertificatePolicies = asn1.size(asn1.sequence_of(PolicyInformation), min=1)
BasicConstraints = asn1.sequence(
    asn1.default("cA", asn1.boolean, False),
    asn1.optional("pathLenConstraint", asn1.integer),
)
BaseDistance = asn1.integer
GeneralSubtree = asn1.sequence(
    ("base", GeneralName),
    asn1.default("minimum", asn1.implicit(0, BaseDistance), 0),
    asn1.optional("maximum", asn1.implicit(1, BaseDistance)),
)
GeneralSubtrees = asn1.size(asn1.sequence_of(GeneralSubtree), min=1)
NameConstraints = asn1.sequence(
    asn1.optional("permittedSubtrees", asn1.implicit(0, GeneralSubtrees)),
    asn1.optional("excludedSubtrees", asn1.implicit(1, GeneralSubtrees)),
)
ExtKeyUsageSyntax = asn1.size(asn1.sequence_of(asn1.object_identifier), min=1)
DistributionPointName = asn1.choice(
    ("fullName", asn1.implicit(0, GeneralNames)),
    ("nameRelativeToCRLIssuer", asn1.implicit(1, RelativeDistinguishedName)),
)
ReasonFlags = asn1.named_bits(
    "unused",
    "keyCompromise",
    "cACompromise",
    "affiliationChanged",
    "superseded",
    "cessationOfOperation",
    "certificateHold",
    "privilegeWithdrawn",
    "aACompromise",
)
DistributionPoint = asn1.sequence(
    asn1.optional("distributionPoint", asn1.explicit(0, DistributionPointName)),
    asn1.optional("reasons", asn1.implicit(1, ReasonFlags)),
    asn1.optional("cRLIssuer", asn1.implicit(2, GeneralNames)),
)
CRLDistributionPoints = asn1.size(asn1.sequence_of(DistributionPoint), min=1)
AccessDescription = asn1.sequence(
    ("accessMethod", asn1.object_identifier), ("accessLocation", GeneralName)
)
AuthorityInfoAccessSyntax = asn1.size(asn1.sequence_of(AccessDescription), min=1)

TYPES: dict[str, asn1.Grammar[Any]] = {
    name: value for name, value in globals().items() if isinstance(value, asn1.Grammar)
}
