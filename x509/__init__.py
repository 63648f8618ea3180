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

Path validation (RFC 5280 section 6) and host names (RFC 9525)::

    result = x509.validate(leaf, intermediates, roots, time=now, host="example.org")
    auth = x509.Authenticator.chain_of_trust(roots)     # or .system(), .cert_fingerprint(...)
    result = auth([leaf, *intermediates], "example.org", time=now)
    if isinstance(result, x509.Ok): result.path          # leaf ... trust anchor
    else: print(result)                                  # e.g. NotCA at depth 1, and why

- :func:`validate`, :class:`ValidationPolicy`, :class:`Ok`, :class:`Authenticator`;
  the reasons, all subclasses of :class:`ValidationError` (values, not exceptions):
  :class:`UnknownIssuer`, :class:`BadSignature`, :class:`Expired`, :class:`NotCA`,
  :class:`NameMismatch`, ...; :func:`verify_hostname`.

Depends on ``asn1`` and ``nocrypto`` only.
"""

from __future__ import annotations

from ._algorithms import PSSParameters
from ._authenticator import DEFAULT_TRUST_STORE, Authenticator, load_trust_store
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
from ._hostname import ReferenceIdentity, reference_identity, verify_hostname
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
from ._validation import MAX_BUILD_STEPS, MAX_PATH_LENGTH, Ok, ValidationPolicy, validate
from ._verrors import (
    BadSignature,
    ChainTooLong,
    EKUMismatch,
    Expired,
    FingerprintMismatch,
    InvalidCertificate,
    KeyUsageMissing,
    NameConstraintViolation,
    NameMismatch,
    NotCA,
    NotYetValid,
    PathLengthExceeded,
    PolicyViolation,
    Revoked,
    UnknownCriticalExtension,
    UnknownIssuer,
    UnsupportedKey,
    ValidationError,
    ValidationFailed,
    WeakSignatureAlgorithm,
)

__all__ = [
    "ATTRIBUTE_NAMES",
    "DEFAULT_TRUST_STORE",
    "MAX_BUILD_STEPS",
    "MAX_CERTIFICATE_SIZE",
    "MAX_CRL_SIZE",
    "MAX_EXTENSIONS",
    "MAX_GENERAL_NAMES",
    "MAX_NAME_ATTRIBUTES",
    "MAX_PATH_LENGTH",
    "MAX_REVOKED",
    "REASONS",
    "URI",
    "AccessDescription",
    "Attribute",
    "Authenticator",
    "AuthorityInformationAccess",
    "AuthorityKeyIdentifier",
    "BadSignature",
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
    "ChainTooLong",
    "DNSName",
    "DecodeError",
    "DeltaCRLIndicator",
    "DirectoryName",
    "DistributionPoint",
    "EDIPartyName",
    "EKUMismatch",
    "Expired",
    "ExtendedKeyUsage",
    "Extension",
    "ExtensionValue",
    "Extensions",
    "FingerprintMismatch",
    "FreshestCRL",
    "GeneralName",
    "HoldInstructionCode",
    "IPAddress",
    "IPNetwork",
    "InhibitAnyPolicy",
    "InvalidCertificate",
    "InvalidityDate",
    "IssuerAlternativeName",
    "IssuingDistributionPoint",
    "KeyUsage",
    "KeyUsageMissing",
    "Name",
    "NameAttribute",
    "NameConstraintViolation",
    "NameConstraints",
    "NameMismatch",
    "NotCA",
    "NotYetValid",
    "NoticeReference",
    "Ok",
    "OtherName",
    "PSSParameters",
    "PathLengthExceeded",
    "PolicyConstraints",
    "PolicyInformation",
    "PolicyMapping",
    "PolicyMappings",
    "PolicyQualifier",
    "PolicyViolation",
    "PrivateKey",
    "PrivateKeyUsagePeriod",
    "PublicKey",
    "PublicKeyInfo",
    "RFC822Name",
    "ReferenceIdentity",
    "RegisteredID",
    "Revoked",
    "RevokedCertificate",
    "SignatureAlgorithm",
    "SubjectAlternativeName",
    "SubjectDirectoryAttributes",
    "SubjectInformationAccess",
    "SubjectKeyIdentifier",
    "UnknownCriticalExtension",
    "UnknownIssuer",
    "UnsupportedAlgorithm",
    "UnsupportedKey",
    "UserNotice",
    "ValidationError",
    "ValidationFailed",
    "ValidationPolicy",
    "WeakSignatureAlgorithm",
    "X400Address",
    "dump_private_key",
    "dump_public_key",
    "load_pem_bundle",
    "load_private_key",
    "load_public_key",
    "load_trust_store",
    "reference_identity",
    "sign",
    "validate",
    "verify_hostname",
    "verify_signature",
]
