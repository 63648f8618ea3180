"""x509: X.509 certificates, requests, CRLs and keys (RFC 5280, RFC 2986, RFC 5958).

Every structure is an ``asn1`` grammar transcribing the RFC (``x509._grammar``): one
description gives the strict DER decoder and the encoder. On top of them::

    cert = x509.Certificate.from_pem(text)           # the exact DER is kept: cert.der
    str(cert.subject)                                # 'CN=example.org,O=Example,C=DE'
    cert.extensions.subject_alternative_name         # SubjectAlternativeName((DNSName(...),))
    cert.verify_signature(issuer_cert)               # bool, never raises
    key = x509.load_private_key(pem)                 # a nocrypto key
    ca = x509.Certificate.create(subject=..., public_key=..., signing_key=..., ...)

- :class:`Certificate`, :func:`load_pem_bundle`; :class:`CertificationRequest` (PKCS #10);
  :class:`CertificateRevocationList`, :class:`RevokedCertificate`.
- :class:`Name`, :class:`NameAttribute` (RFC 4514 strings, RFC 5280 7.1 comparison).
- GeneralName values: :class:`DNSName`, :class:`RFC822Name`, :class:`URI`,
  :class:`IPAddress`, :class:`IPNetwork`, :class:`DirectoryName`, :class:`OtherName`,
  :class:`RegisteredID`, :class:`X400Address`, :class:`EDIPartyName`.
- :class:`Extensions`, :class:`Extension` and a typed class per RFC 5280 extension.
- Keys: :class:`PublicKeyInfo`, :func:`load_private_key`, :func:`dump_private_key`,
  :func:`load_public_key`, :func:`dump_public_key`.
- Signatures: :class:`SignatureAlgorithm`, :func:`verify_signature`, :func:`sign`.
- Errors: :class:`DecodeError` (a subclass of ``asn1.DecodeError``) and
  :class:`UnsupportedAlgorithm`; limits: :data:`MAX_CERTIFICATE_SIZE`, ...

Path validation, authenticators and host name checks build on these (issue 5, second
half). Depends on ``asn1`` and ``nocrypto`` only.
"""

from __future__ import annotations

from ._algorithms import PSSParameters
from ._certificate import Certificate, load_pem_bundle
from ._crl import CertificateRevocationList, RevokedCertificate
from ._csr import CertificationRequest
from ._errors import (
    MAX_CERTIFICATE_SIZE,
    MAX_CRL_SIZE,
    MAX_EXTENSIONS,
    MAX_GENERAL_NAMES,
    MAX_NAME_ATTRIBUTES,
    MAX_REVOKED,
    DecodeError,
    UnsupportedAlgorithm,
)
from ._extensions import (
    REASONS,
    AccessDescription,
    Attribute,
    AuthorityInformationAccess,
    AuthorityKeyIdentifier,
    BasicConstraints,
    CertificateIssuer,
    CertificatePolicies,
    CPSUri,
    CRLDistributionPoints,
    CRLNumber,
    CRLReason,
    DeltaCRLIndicator,
    DistributionPoint,
    ExtendedKeyUsage,
    Extension,
    Extensions,
    ExtensionValue,
    FreshestCRL,
    HoldInstructionCode,
    InhibitAnyPolicy,
    InvalidityDate,
    IssuerAlternativeName,
    IssuingDistributionPoint,
    KeyUsage,
    NameConstraints,
    NoticeReference,
    PolicyConstraints,
    PolicyInformation,
    PolicyMapping,
    PolicyMappings,
    PolicyQualifier,
    PrivateKeyUsagePeriod,
    SubjectAlternativeName,
    SubjectDirectoryAttributes,
    SubjectInformationAccess,
    SubjectKeyIdentifier,
    UserNotice,
)
from ._general_name import (
    URI,
    DirectoryName,
    DNSName,
    EDIPartyName,
    GeneralName,
    IPAddress,
    IPNetwork,
    OtherName,
    RegisteredID,
    RFC822Name,
    X400Address,
)
from ._keys import (
    PrivateKey,
    PublicKey,
    PublicKeyInfo,
    dump_private_key,
    dump_public_key,
    load_private_key,
    load_public_key,
)
from ._name import ATTRIBUTE_NAMES, Name, NameAttribute
from ._signature import SignatureAlgorithm, sign, verify_signature

__all__ = [
    "ATTRIBUTE_NAMES",
    "MAX_CERTIFICATE_SIZE",
    "MAX_CRL_SIZE",
    "MAX_EXTENSIONS",
    "MAX_GENERAL_NAMES",
    "MAX_NAME_ATTRIBUTES",
    "MAX_REVOKED",
    "REASONS",
    "URI",
    "AccessDescription",
    "Attribute",
    "AuthorityInformationAccess",
    "AuthorityKeyIdentifier",
    "BasicConstraints",
    "CPSUri",
    "CRLDistributionPoints",
    "CRLNumber",
    "CRLReason",
    "Certificate",
    "CertificateIssuer",
    "CertificatePolicies",
    "CertificateRevocationList",
    "CertificationRequest",
    "DNSName",
    "DecodeError",
    "DeltaCRLIndicator",
    "DirectoryName",
    "DistributionPoint",
    "EDIPartyName",
    "ExtendedKeyUsage",
    "Extension",
    "ExtensionValue",
    "Extensions",
    "FreshestCRL",
    "GeneralName",
    "HoldInstructionCode",
    "IPAddress",
    "IPNetwork",
    "InhibitAnyPolicy",
    "InvalidityDate",
    "IssuerAlternativeName",
    "IssuingDistributionPoint",
    "KeyUsage",
    "Name",
    "NameAttribute",
    "NameConstraints",
    "NoticeReference",
    "OtherName",
    "PSSParameters",
    "PolicyConstraints",
    "PolicyInformation",
    "PolicyMapping",
    "PolicyMappings",
    "PolicyQualifier",
    "PrivateKey",
    "PrivateKeyUsagePeriod",
    "PublicKey",
    "PublicKeyInfo",
    "RFC822Name",
    "RegisteredID",
    "RevokedCertificate",
    "SignatureAlgorithm",
    "SubjectAlternativeName",
    "SubjectDirectoryAttributes",
    "SubjectInformationAccess",
    "SubjectKeyIdentifier",
    "UnsupportedAlgorithm",
    "UserNotice",
    "X400Address",
    "dump_private_key",
    "dump_public_key",
    "load_pem_bundle",
    "load_private_key",
    "load_public_key",
    "sign",
    "verify_signature",
]
