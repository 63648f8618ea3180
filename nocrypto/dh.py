"""Finite-field Diffie-Hellman key agreement.

Implements:

- RFC 7919 (Negotiated Finite Field DHE Parameters for TLS): the groups ffdhe2048 ...
  ffdhe8192 (appendix A), the check of the peer's public value (section 5.1) and short
  private exponents (section 5.2);
- RFC 3526 (More MODP Diffie-Hellman groups for IKE): the 1536-bit group 5 (OTR's) and the
  2048- to 8192-bit groups 14-18;
- NIST SP 800-56A rev. 3: key-pair generation by testing candidates (5.6.1.1.4), full
  public-key validation (5.6.2.3.1), the FFC DH primitive (5.7.1.1: Z = 1 is an error) and
  the shared secret as a byte string of the length of p (C.1, FE2OS);
- RFC 5246 section 8.1.2 (TLS 1.0-1.2), on request: the leading zero bytes of Z stripped.

The secret operations (y = g^x, Z = y^x) run in the ``mp`` kernel: a fixed-window
Montgomery exponentiation with a loop length fixed by a public bound on x and constant-time
table selection (``nocrypto._backend.MpKernel``).

>>> alice = FFDHE2048.generate_private_key()
>>> bob = FFDHE2048.generate_private_key()
>>> alice.exchange(bob.public_key()) == bob.exchange(alice.public_key())
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from nocrypto import _backend, primes, rng

__all__ = [
    "FFDHE2048",
    "FFDHE3072",
    "FFDHE4096",
    "FFDHE6144",
    "FFDHE8192",
    "GROUPS",
    "MODP1536",
    "MODP2048",
    "MODP3072",
    "MODP4096",
    "MODP6144",
    "MODP8192",
    "DHGroup",
    "DHPrivateKey",
    "DHPublicKey",
]

#: The smallest modulus ``DHGroup.validate`` can be asked to accept, in bits.
MIN_BITS_FLOOR: Final = 1024
#: The default minimum of ``DHGroup.validate`` (RFC 7919 section 1 / BCP 195).
DEFAULT_MIN_BITS: Final = 2048


def _hex(text: str) -> int:
    """An integer written as in the RFCs: hex digits in groups, across lines."""
    return int("".join(text.split()), 16)


# --- RFC 7919 appendix A: p = 2^b - 2^(b-64) + {[2^(b-130) e] + X} * 2^64 - 1, g = 2 ----------

_FFDHE2048_P = _hex(
    """
    FFFFFFFF FFFFFFFF ADF85458 A2BB4A9A AFDC5620 273D3CF1
    D8B9C583 CE2D3695 A9E13641 146433FB CC939DCE 249B3EF9
    7D2FE363 630C75D8 F681B202 AEC4617A D3DF1ED5 D5FD6561
    2433F51F 5F066ED0 85636555 3DED1AF3 B557135E 7F57C935
    984F0C70 E0E68B77 E2A689DA F3EFE872 1DF158A1 36ADE735
    30ACCA4F 483A797A BC0AB182 B324FB61 D108A94B B2C8E3FB
    B96ADAB7 60D7F468 1D4F42A3 DE394DF4 AE56EDE7 6372BB19
    0B07A7C8 EE0A6D70 9E02FCE1 CDF7E2EC C03404CD 28342F61
    9172FE9C E98583FF 8E4F1232 EEF28183 C3FE3B1B 4C6FAD73
    3BB5FCBC 2EC22005 C58EF183 7D1683B2 C6F34A26 C1B2EFFA
    886B4238 61285C97 FFFFFFFF FFFFFFFF
    """
)

_FFDHE3072_P = _hex(
    """
    FFFFFFFF FFFFFFFF ADF85458 A2BB4A9A AFDC5620 273D3CF1
    D8B9C583 CE2D3695 A9E13641 146433FB CC939DCE 249B3EF9
    7D2FE363 630C75D8 F681B202 AEC4617A D3DF1ED5 D5FD6561
    2433F51F 5F066ED0 85636555 3DED1AF3 B557135E 7F57C935
    984F0C70 E0E68B77 E2A689DA F3EFE872 1DF158A1 36ADE735
    30ACCA4F 483A797A BC0AB182 B324FB61 D108A94B B2C8E3FB
    B96ADAB7 60D7F468 1D4F42A3 DE394DF4 AE56EDE7 6372BB19
    0B07A7C8 EE0A6D70 9E02FCE1 CDF7E2EC C03404CD 28342F61
    9172FE9C E98583FF 8E4F1232 EEF28183 C3FE3B1B 4C6FAD73
    3BB5FCBC 2EC22005 C58EF183 7D1683B2 C6F34A26 C1B2EFFA
    886B4238 611FCFDC DE355B3B 6519035B BC34F4DE F99C0238
    61B46FC9 D6E6C907 7AD91D26 91F7F7EE 598CB0FA C186D91C
    AEFE1309 85139270 B4130C93 BC437944 F4FD4452 E2D74DD3
    64F2E21E 71F54BFF 5CAE82AB 9C9DF69E E86D2BC5 22363A0D
    ABC52197 9B0DEADA 1DBF9A42 D5C4484E 0ABCD06B FA53DDEF
    3C1B20EE 3FD59D7C 25E41D2B 66C62E37 FFFFFFFF FFFFFFFF
    """
)

_FFDHE4096_P = _hex(
    """
    FFFFFFFF FFFFFFFF ADF85458 A2BB4A9A AFDC5620 273D3CF1
    D8B9C583 CE2D3695 A9E13641 146433FB CC939DCE 249B3EF9
    7D2FE363 630C75D8 F681B202 AEC4617A D3DF1ED5 D5FD6561
    2433F51F 5F066ED0 85636555 3DED1AF3 B557135E 7F57C935
    984F0C70 E0E68B77 E2A689DA F3EFE872 1DF158A1 36ADE735
    30ACCA4F 483A797A BC0AB182 B324FB61 D108A94B B2C8E3FB
    B96ADAB7 60D7F468 1D4F42A3 DE394DF4 AE56EDE7 6372BB19
    0B07A7C8 EE0A6D70 9E02FCE1 CDF7E2EC C03404CD 28342F61
    9172FE9C E98583FF 8E4F1232 EEF28183 C3FE3B1B 4C6FAD73
    3BB5FCBC 2EC22005 C58EF183 7D1683B2 C6F34A26 C1B2EFFA
    886B4238 611FCFDC DE355B3B 6519035B BC34F4DE F99C0238
    61B46FC9 D6E6C907 7AD91D26 91F7F7EE 598CB0FA C186D91C
    AEFE1309 85139270 B4130C93 BC437944 F4FD4452 E2D74DD3
    64F2E21E 71F54BFF 5CAE82AB 9C9DF69E E86D2BC5 22363A0D
    ABC52197 9B0DEADA 1DBF9A42 D5C4484E 0ABCD06B FA53DDEF
    3C1B20EE 3FD59D7C 25E41D2B 669E1EF1 6E6F52C3 164DF4FB
    7930E9E4 E58857B6 AC7D5F42 D69F6D18 7763CF1D 55034004
    87F55BA5 7E31CC7A 7135C886 EFB4318A ED6A1E01 2D9E6832
    A907600A 918130C4 6DC778F9 71AD0038 092999A3 33CB8B7A
    1A1DB93D 7140003C 2A4ECEA9 F98D0ACC 0A8291CD CEC97DCF
    8EC9B55A 7F88A46B 4DB5A851 F44182E1 C68A007E 5E655F6A
    FFFFFFFF FFFFFFFF
    """
)

_FFDHE6144_P = _hex(
    """
    FFFFFFFF FFFFFFFF ADF85458 A2BB4A9A AFDC5620 273D3CF1
    D8B9C583 CE2D3695 A9E13641 146433FB CC939DCE 249B3EF9
    7D2FE363 630C75D8 F681B202 AEC4617A D3DF1ED5 D5FD6561
    2433F51F 5F066ED0 85636555 3DED1AF3 B557135E 7F57C935
    984F0C70 E0E68B77 E2A689DA F3EFE872 1DF158A1 36ADE735
    30ACCA4F 483A797A BC0AB182 B324FB61 D108A94B B2C8E3FB
    B96ADAB7 60D7F468 1D4F42A3 DE394DF4 AE56EDE7 6372BB19
    0B07A7C8 EE0A6D70 9E02FCE1 CDF7E2EC C03404CD 28342F61
    9172FE9C E98583FF 8E4F1232 EEF28183 C3FE3B1B 4C6FAD73
    3BB5FCBC 2EC22005 C58EF183 7D1683B2 C6F34A26 C1B2EFFA
    886B4238 611FCFDC DE355B3B 6519035B BC34F4DE F99C0238
    61B46FC9 D6E6C907 7AD91D26 91F7F7EE 598CB0FA C186D91C
    AEFE1309 85139270 B4130C93 BC437944 F4FD4452 E2D74DD3
    64F2E21E 71F54BFF 5CAE82AB 9C9DF69E E86D2BC5 22363A0D
    ABC52197 9B0DEADA 1DBF9A42 D5C4484E 0ABCD06B FA53DDEF
    3C1B20EE 3FD59D7C 25E41D2B 669E1EF1 6E6F52C3 164DF4FB
    7930E9E4 E58857B6 AC7D5F42 D69F6D18 7763CF1D 55034004
    87F55BA5 7E31CC7A 7135C886 EFB4318A ED6A1E01 2D9E6832
    A907600A 918130C4 6DC778F9 71AD0038 092999A3 33CB8B7A
    1A1DB93D 7140003C 2A4ECEA9 F98D0ACC 0A8291CD CEC97DCF
    8EC9B55A 7F88A46B 4DB5A851 F44182E1 C68A007E 5E0DD902
    0BFD64B6 45036C7A 4E677D2C 38532A3A 23BA4442 CAF53EA6
    3BB45432 9B7624C8 917BDD64 B1C0FD4C B38E8C33 4C701C3A
    CDAD0657 FCCFEC71 9B1F5C3E 4E46041F 388147FB 4CFDB477
    A52471F7 A9A96910 B855322E DB6340D8 A00EF092 350511E3
    0ABEC1FF F9E3A26E 7FB29F8C 183023C3 587E38DA 0077D9B4
    763E4E4B 94B2BBC1 94C6651E 77CAF992 EEAAC023 2A281BF6
    B3A739C1 22611682 0AE8DB58 47A67CBE F9C9091B 462D538C
    D72B0374 6AE77F5E 62292C31 1562A846 505DC82D B854338A
    E49F5235 C95B9117 8CCF2DD5 CACEF403 EC9D1810 C6272B04
    5B3B71F9 DC6B80D6 3FDD4A8E 9ADB1E69 62A69526 D43161C1
    A41D570D 7938DAD4 A40E329C D0E40E65 FFFFFFFF FFFFFFFF
    """
)

_FFDHE8192_P = _hex(
    """
    FFFFFFFF FFFFFFFF ADF85458 A2BB4A9A AFDC5620 273D3CF1
    D8B9C583 CE2D3695 A9E13641 146433FB CC939DCE 249B3EF9
    7D2FE363 630C75D8 F681B202 AEC4617A D3DF1ED5 D5FD6561
    2433F51F 5F066ED0 85636555 3DED1AF3 B557135E 7F57C935
    984F0C70 E0E68B77 E2A689DA F3EFE872 1DF158A1 36ADE735
    30ACCA4F 483A797A BC0AB182 B324FB61 D108A94B B2C8E3FB
    B96ADAB7 60D7F468 1D4F42A3 DE394DF4 AE56EDE7 6372BB19
    0B07A7C8 EE0A6D70 9E02FCE1 CDF7E2EC C03404CD 28342F61
    9172FE9C E98583FF 8E4F1232 EEF28183 C3FE3B1B 4C6FAD73
    3BB5FCBC 2EC22005 C58EF183 7D1683B2 C6F34A26 C1B2EFFA
    886B4238 611FCFDC DE355B3B 6519035B BC34F4DE F99C0238
    61B46FC9 D6E6C907 7AD91D26 91F7F7EE 598CB0FA C186D91C
    AEFE1309 85139270 B4130C93 BC437944 F4FD4452 E2D74DD3
    64F2E21E 71F54BFF 5CAE82AB 9C9DF69E E86D2BC5 22363A0D
    ABC52197 9B0DEADA 1DBF9A42 D5C4484E 0ABCD06B FA53DDEF
    3C1B20EE 3FD59D7C 25E41D2B 669E1EF1 6E6F52C3 164DF4FB
    7930E9E4 E58857B6 AC7D5F42 D69F6D18 7763CF1D 55034004
    87F55BA5 7E31CC7A 7135C886 EFB4318A ED6A1E01 2D9E6832
    A907600A 918130C4 6DC778F9 71AD0038 092999A3 33CB8B7A
    1A1DB93D 7140003C 2A4ECEA9 F98D0ACC 0A8291CD CEC97DCF
    8EC9B55A 7F88A46B 4DB5A851 F44182E1 C68A007E 5E0DD902
    0BFD64B6 45036C7A 4E677D2C 38532A3A 23BA4442 CAF53EA6
    3BB45432 9B7624C8 917BDD64 B1C0FD4C B38E8C33 4C701C3A
    CDAD0657 FCCFEC71 9B1F5C3E 4E46041F 388147FB 4CFDB477
    A52471F7 A9A96910 B855322E DB6340D8 A00EF092 350511E3
    0ABEC1FF F9E3A26E 7FB29F8C 183023C3 587E38DA 0077D9B4
    763E4E4B 94B2BBC1 94C6651E 77CAF992 EEAAC023 2A281BF6
    B3A739C1 22611682 0AE8DB58 47A67CBE F9C9091B 462D538C
    D72B0374 6AE77F5E 62292C31 1562A846 505DC82D B854338A
    E49F5235 C95B9117 8CCF2DD5 CACEF403 EC9D1810 C6272B04
    5B3B71F9 DC6B80D6 3FDD4A8E 9ADB1E69 62A69526 D43161C1
    A41D570D 7938DAD4 A40E329C CFF46AAA 36AD004C F600C838
    1E425A31 D951AE64 FDB23FCE C9509D43 687FEB69 EDD1CC5E
    0B8CC3BD F64B10EF 86B63142 A3AB8829 555B2F74 7C932665
    CB2C0F1C C01BD702 29388839 D2AF05E4 54504AC7 8B758282
    2846C0BA 35C35F5C 59160CC0 46FD8251 541FC68C 9C86B022
    BB709987 6A460E74 51A8A931 09703FEE 1C217E6C 3826E52C
    51AA691E 0E423CFC 99E9E316 50C1217B 624816CD AD9A95F9
    D5B80194 88D9C0A0 A1FE3075 A577E231 83F81D4A 3F2FA457
    1EFC8CE0 BA8A4FE8 B6855DFE 72B0A66E DED2FBAB FBE58A30
    FAFABE1C 5D71A87E 2F741EF8 C1FE86FE A6BBFDE5 30677F0D
    97D11D49 F7A8443D 0822E506 A9F4614E 011E2A94 838FF88C
    D68C8BB7 C5C6424C FFFFFFFF FFFFFFFF
    """
)

# --- RFC 3526 (and RFC 2409 section 6.2 for group 5): p = 2^b - 2^(b-64) - 1
#     + 2^64 * {[2^(b-130) pi] + X}, g = 2 -----------------------------------------------------

_MODP1536_P = _hex(
    """
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
    29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
    EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
    E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
    EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D
    C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F
    83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D
    670C354E 4ABC9804 F1746C08 CA237327 FFFFFFFF FFFFFFFF
    """
)

_MODP2048_P = _hex(
    """
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
    29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
    EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
    E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
    EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D
    C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F
    83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D
    670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B
    E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9
    DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510
    15728E5A 8AACAA68 FFFFFFFF FFFFFFFF
    """
)

_MODP3072_P = _hex(
    """
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
    29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
    EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
    E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
    EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D
    C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F
    83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D
    670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B
    E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9
    DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510
    15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64
    ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7
    ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B
    F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C
    BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31
    43DB5BFC E0FD108E 4B82D120 A93AD2CA FFFFFFFF FFFFFFFF
    """
)

_MODP4096_P = _hex(
    """
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
    29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
    EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
    E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
    EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D
    C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F
    83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D
    670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B
    E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9
    DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510
    15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64
    ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7
    ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B
    F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C
    BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31
    43DB5BFC E0FD108E 4B82D120 A9210801 1A723C12 A787E6D7
    88719A10 BDBA5B26 99C32718 6AF4E23C 1A946834 B6150BDA
    2583E9CA 2AD44CE8 DBBBC2DB 04DE8EF9 2E8EFC14 1FBECAA6
    287C5947 4E6BC05D 99B2964F A090C3A2 233BA186 515BE7ED
    1F612970 CEE2D7AF B81BDD76 2170481C D0069127 D5B05AA9
    93B4EA98 8D8FDDC1 86FFB7DC 90A6C08F 4DF435C9 34063199
    FFFFFFFF FFFFFFFF
    """
)

_MODP6144_P = _hex(
    """
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
    29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
    EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
    E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
    EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D
    C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F
    83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D
    670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B
    E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9
    DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510
    15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64
    ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7
    ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B
    F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C
    BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31
    43DB5BFC E0FD108E 4B82D120 A9210801 1A723C12 A787E6D7
    88719A10 BDBA5B26 99C32718 6AF4E23C 1A946834 B6150BDA
    2583E9CA 2AD44CE8 DBBBC2DB 04DE8EF9 2E8EFC14 1FBECAA6
    287C5947 4E6BC05D 99B2964F A090C3A2 233BA186 515BE7ED
    1F612970 CEE2D7AF B81BDD76 2170481C D0069127 D5B05AA9
    93B4EA98 8D8FDDC1 86FFB7DC 90A6C08F 4DF435C9 34028492
    36C3FAB4 D27C7026 C1D4DCB2 602646DE C9751E76 3DBA37BD
    F8FF9406 AD9E530E E5DB382F 413001AE B06A53ED 9027D831
    179727B0 865A8918 DA3EDBEB CF9B14ED 44CE6CBA CED4BB1B
    DB7F1447 E6CC254B 33205151 2BD7AF42 6FB8F401 378CD2BF
    5983CA01 C64B92EC F032EA15 D1721D03 F482D7CE 6E74FEF6
    D55E702F 46980C82 B5A84031 900B1C9E 59E7C97F BEC7E8F3
    23A97A7E 36CC88BE 0F1D45B7 FF585AC5 4BD407B2 2B4154AA
    CC8F6D7E BF48E1D8 14CC5ED2 0F8037E0 A79715EE F29BE328
    06A1D58B B7C5DA76 F550AA3D 8A1FBFF0 EB19CCB1 A313D55C
    DA56C9EC 2EF29632 387FE8D7 6E3C0468 043E8F66 3F4860EE
    12BF2D5B 0B7474D6 E694F91E 6DCC4024 FFFFFFFF FFFFFFFF
    """
)

_MODP8192_P = _hex(
    """
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
    29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
    EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
    E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
    EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D
    C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F
    83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D
    670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B
    E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9
    DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510
    15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64
    ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7
    ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B
    F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C
    BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31
    43DB5BFC E0FD108E 4B82D120 A9210801 1A723C12 A787E6D7
    88719A10 BDBA5B26 99C32718 6AF4E23C 1A946834 B6150BDA
    2583E9CA 2AD44CE8 DBBBC2DB 04DE8EF9 2E8EFC14 1FBECAA6
    287C5947 4E6BC05D 99B2964F A090C3A2 233BA186 515BE7ED
    1F612970 CEE2D7AF B81BDD76 2170481C D0069127 D5B05AA9
    93B4EA98 8D8FDDC1 86FFB7DC 90A6C08F 4DF435C9 34028492
    36C3FAB4 D27C7026 C1D4DCB2 602646DE C9751E76 3DBA37BD
    F8FF9406 AD9E530E E5DB382F 413001AE B06A53ED 9027D831
    179727B0 865A8918 DA3EDBEB CF9B14ED 44CE6CBA CED4BB1B
    DB7F1447 E6CC254B 33205151 2BD7AF42 6FB8F401 378CD2BF
    5983CA01 C64B92EC F032EA15 D1721D03 F482D7CE 6E74FEF6
    D55E702F 46980C82 B5A84031 900B1C9E 59E7C97F BEC7E8F3
    23A97A7E 36CC88BE 0F1D45B7 FF585AC5 4BD407B2 2B4154AA
    CC8F6D7E BF48E1D8 14CC5ED2 0F8037E0 A79715EE F29BE328
    06A1D58B B7C5DA76 F550AA3D 8A1FBFF0 EB19CCB1 A313D55C
    DA56C9EC 2EF29632 387FE8D7 6E3C0468 043E8F66 3F4860EE
    12BF2D5B 0B7474D6 E694F91E 6DBE1159 74A3926F 12FEE5E4
    38777CB6 A932DF8C D8BEC4D0 73B931BA 3BC832B6 8D9DD300
    741FA7BF 8AFC47ED 2576F693 6BA42466 3AAB639C 5AE4F568
    3423B474 2BF1C978 238F16CB E39D652D E3FDB8BE FC848AD9
    22222E04 A4037C07 13EB57A8 1A23F0C7 3473FC64 6CEA306B
    4BCBC886 2F8385DD FA9D4B7F A2C087E8 79683303 ED5BDD3A
    062B3CF5 B3A278A6 6D2A13F8 3F44F82D DF310EE0 74AB6A36
    4597E899 A0255DC1 64F31CC5 0846851D F9AB4819 5DED7EA1
    B1D510BD 7EE74D73 FAF36BC3 1ECFA268 359046F4 EB879F92
    4009438B 481C6CD7 889A002E D5EE382B C9190DA6 FC026E47
    9558E447 5677E9AA 9E3050E2 765694DF C81F56E8 80B96E71
    60C980DD 98EDD3DF FFFFFFFF FFFFFFFF
    """
)


# --- policy tables -----------------------------------------------------------------------

# Private-exponent sizes for the named groups, in bits: the larger of 2 * s (s the security
# strength of SP 800-56A rev. 3 appendix D / SP 800-57 part 1 table 2: 112, 128, 152, 176,
# 200) and, for ffdhe, RFC 7919 appendix A ("should choose a secret key of at least 225
# [275, 325, 375, 400] bits"); for the MODP groups, RFC 3526 section 8's larger estimate
# of the exponent size (240, 320, 420, 480, 540, 620).
_NAMED_PRIVATE_BITS: Final[Mapping[int, int]] = MappingProxyType(
    {
        _FFDHE2048_P: 225,
        _FFDHE3072_P: 275,
        _FFDHE4096_P: 325,
        _FFDHE6144_P: 375,
        _FFDHE8192_P: 400,
        _MODP1536_P: 240,
        _MODP2048_P: 320,
        _MODP3072_P: 420,
        _MODP4096_P: 480,
        _MODP6144_P: 540,
        _MODP8192_P: 620,
    }
)

# A candidate private key is rejected with probability below 1/2 (testing candidates,
# SP 800-56A 5.6.1.1.4); this many rejections in a row means the random source is broken.
_MAX_CANDIDATES: Final = 256


def _security_strength(bits: int) -> int:
    """The security strength of a prime modulus of *bits* bits: SP 800-57 part 1 rev. 5
    table 2 (1024: 80, 2048: 112, 3072: 128) and SP 800-56A rev. 3 appendix D (4096: 152,
    6144: 176, 8192: 200), rounded down to the nearest listed size."""
    for size, strength in ((8192, 200), (6144, 176), (4096, 152), (3072, 128), (2048, 112)):
        if bits >= size:
            return strength
    return 80


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- groups ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class DHGroup:
    """A finite-field Diffie-Hellman group: the prime *p*, the generator *g* and, when known,
    the prime order *q* of the subgroup g generates (the named groups are safe primes,
    q = (p - 1) / 2; the groups a TLS 1.0-1.2 server chooses come without q).

    The constructor checks what every use relies on and raises ValueError naming the rule:
    p odd and at most 8192 bits, 1 < g < p - 1, and q (if given) an odd divisor of p - 1
    with 2 < q < p - 1. :meth:`validate` adds the policy checks for groups received from a peer.
    *name* is informative only (groups compare by p, g and q).
    """

    p: int
    g: int
    q: int | None = None
    name: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        p, g, q = self.p, self.g, self.q
        if not (_is_int(p) and _is_int(g) and (q is None or _is_int(q))):
            raise TypeError("DH group: p, g and q must be ints")
        if p < 5 or p % 2 == 0:
            raise ValueError("DH group: p must be an odd prime (p odd and p >= 5)")
        if p.bit_length() > _backend.MAX_MODULUS_BITS:
            raise ValueError(f"DH group: p must be at most {_backend.MAX_MODULUS_BITS} bits")
        if not 1 < g < p - 1:
            raise ValueError("DH group: g must satisfy 1 < g < p - 1")
        if q is not None and not (2 < q < p - 1 and q % 2 == 1 and (p - 1) % q == 0):
            raise ValueError("DH group: q must be an odd divisor of p - 1 with 2 < q < p - 1")

    def __repr__(self) -> str:
        label = f"{self.name!r}, " if self.name is not None else ""
        q = "" if self.q is None else f", q of {self.q.bit_length()} bits"
        return f"DHGroup({label}p of {self.bits} bits, g={self.g}{q})"

    @classmethod
    def from_name(cls, name: str) -> DHGroup:
        """The named group *name* (case-insensitive): ``"ffdhe2048"`` ... ``"ffdhe8192"``
        (RFC 7919) or ``"modp1536"`` ... ``"modp8192"`` (RFC 3526)."""
        try:
            return GROUPS[name.lower()]
        except (KeyError, AttributeError):
            raise ValueError(f"unknown DH group {name!r}: known are {', '.join(GROUPS)}") from None

    @property
    def bits(self) -> int:
        """The size of p in bits."""
        return self.p.bit_length()

    @property
    def private_key_bits(self) -> int:
        """The size in bits of the private exponents :meth:`generate_private_key` draws.

        - Named groups: the larger of twice the security strength (SP 800-56A rev. 3
          5.6.1.1.1: N >= 2s) and the RFC's own advice (RFC 7919 appendix A, RFC 3526
          section 8): 225, 275, 325, 375, 400 bits for ffdhe2048 ... ffdhe8192; 240, 320,
          420, 480, 540, 620 bits for modp1536 ... modp8192. These short exponents are safe
          because q is a large prime (RFC 7919 section 5.2).
        - Other groups with a known q: 2s bits (at most the size of q).
        - Groups without q (a TLS server's choice): the full size of p, since a short
          exponent is unsafe when p - 1 may have small factors (van Oorschot and Wiener).
        """
        if self.q is None:
            return self.bits
        named = _NAMED_PRIVATE_BITS.get(self.p)
        wanted = named if named is not None else 2 * _security_strength(self.bits)
        return min(wanted, self.q.bit_length())

    def validate(self, min_bits: int = DEFAULT_MIN_BITS, check_safe_prime: bool = False) -> DHGroup:
        """Check a group received from a peer (a TLS ServerKeyExchange) and return it.

        p odd and 1 < g < p - 1 hold for every DHGroup (the constructor checks them). Here:
        p of at least *min_bits* bits (default 2048, configurable down to 1024 and never
        below: ValueError if asked; RFC 7919 section 1 explains why small and unknown groups
        are a risk), and g^q = 1 mod p when q is known (SP 800-56A rev. 3 5.5.2). With
        *check_safe_prime*: p and (p - 1) / 2 probable primes (FIPS 186-4 C.3 round counts
        for adversarial input), at the cost of two Miller-Rabin runs of the size of p.
        """
        if not _is_int(min_bits) or min_bits < MIN_BITS_FLOOR:
            raise ValueError(f"DH group: min_bits must be at least {MIN_BITS_FLOOR}")
        if self.bits < min_bits:
            raise ValueError(f"DH group: p has {self.bits} bits, below the minimum of {min_bits}")
        if self.q is not None:
            mp = _backend.mp()
            if mp.mod_exp(self.g, self.q, self.p, self.q.bit_length()) != 1:
                raise ValueError("DH group: g must generate the subgroup of order q (g^q = 1)")
        if check_safe_prime:
            if not primes.is_probable_prime(self.p):
                raise ValueError("DH group: p is not prime")
            if not primes.is_probable_prime((self.p - 1) // 2):
                raise ValueError("DH group: p is not a safe prime ((p - 1) / 2 is not prime)")
        return self

    def generate_private_key(
        self, random: Callable[[int], bytes] = rng.generate, bits: int | None = None
    ) -> DHPrivateKey:
        """A new private key, by testing candidates (SP 800-56A rev. 3 5.6.1.1.4).

        With a known q: N = *bits* (default :attr:`private_key_bits`), M = min(2^N, q),
        draw N random bits c until c <= M - 2, x = c + 1, so 1 <= x <= M - 1. Without q:
        x uniform in [1, p - 2] the same way. *bits* may ask for longer exponents (OTR uses
        320-bit exponents in the 1536-bit group) but not shorter than 2s (SP 800-56A).
        """
        bound = self.q.bit_length() if self.q is not None else self.bits
        if bits is None:
            bits = self.private_key_bits
        least = min(2 * _security_strength(self.bits), bound)
        if not _is_int(bits) or not least <= bits <= bound:
            raise ValueError(f"DH private key: bits must be in {least}..{bound}")
        limit = min(1 << bits, self.q) if self.q is not None else self.p - 1
        nbytes = (bits + 7) // 8
        for _ in range(_MAX_CANDIDATES):
            data = random(nbytes)
            if len(data) != nbytes:
                raise ValueError(f"random({nbytes}) returned {len(data)} bytes")
            c = int.from_bytes(data, "big") >> (8 * nbytes - bits)
            if c <= limit - 2:
                key = DHPrivateKey(self, c + 1)
                # x < 2^bits: the exponentiations loop over the requested size, whatever
                # the value drawn.
                object.__setattr__(key, "_exponent_bits", bits)
                return key
        raise RuntimeError("DH private key: the random source keeps failing the range test")


# --- keys --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DHPublicKey:
    """A public value y of *group*. The constructor checks 1 < y < p - 1 (RFC 7919 section
    5.1: "Peers MUST validate each other's public key Y"; this excludes 0, 1, p - 1, the
    elements of order 1 and 2, and out-of-range encodings); :meth:`validate` adds the
    subgroup check."""

    group: DHGroup
    y: int

    def __post_init__(self) -> None:
        if not isinstance(self.group, DHGroup):
            raise TypeError("DH public key: group must be a DHGroup")
        if not _is_int(self.y):
            raise TypeError("DH public key: y must be an int")
        if not 1 < self.y < self.group.p - 1:
            raise ValueError("DH public key: y must satisfy 1 < y < p - 1 (RFC 7919 5.1)")

    @classmethod
    def from_bytes(cls, group: DHGroup, data: bytes) -> DHPublicKey:
        """y from its big-endian encoding, with or without leading zero bytes, at most the
        length of p (TLS dh_Ys, RFC 5246 7.4.3; RFC 7919 section 4 pads it to that length)."""
        size = (group.bits + 7) // 8
        if not 1 <= len(data) <= size:
            raise ValueError(f"DH public key: the encoding must be 1 to {size} bytes")
        return cls(group, int.from_bytes(data, "big"))

    def to_bytes(self) -> bytes:
        """y big-endian, left-padded with zeros to the length of p (RFC 7919 section 4,
        RFC 8446 4.2.8.1; also valid in TLS 1.0-1.2)."""
        return self.y.to_bytes((self.group.bits + 7) // 8, "big")

    def validate(self) -> DHPublicKey:
        """Full public-key validation (SP 800-56A rev. 3 5.6.2.3.1) and return self:
        1 < y < p - 1 and, when q is known, y^q = 1 mod p, i.e. y lies in the subgroup of
        order q (for a safe-prime group: y is a quadratic residue). Costs one exponentiation
        by q; RFC 7919 5.1 requires only the range check, which the constructor does."""
        group = self.group
        if not 1 < self.y < group.p - 1:
            raise ValueError("DH public key: y must satisfy 1 < y < p - 1 (RFC 7919 5.1)")
        if group.q is not None:
            mp = _backend.mp()
            if mp.mod_exp(self.y, group.q, group.p, group.q.bit_length()) != 1:
                raise ValueError(
                    "DH public key: y is not in the subgroup of order q (y^q != 1 mod p)"
                )
        return self


@dataclass(frozen=True, slots=True)
class DHPrivateKey:
    """A private exponent x of *group*: 1 <= x <= q - 1 when q is known (SP 800-56A rev. 3
    5.6.1.1), else 1 <= x <= p - 2. ``repr`` does not show x."""

    group: DHGroup
    x: int = field(repr=False)
    _exponent_bits: int = field(init=False, repr=False, compare=False)
    _public: DHPublicKey | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        group, x = self.group, self.x
        if not isinstance(group, DHGroup):
            raise TypeError("DH private key: group must be a DHGroup")
        if not _is_int(x):
            raise TypeError("DH private key: x must be an int")
        if group.q is not None:
            if not 1 <= x <= group.q - 1:
                raise ValueError("DH private key: x must satisfy 1 <= x <= q - 1")
            bound = group.q.bit_length()
        else:
            if not 1 <= x <= group.p - 2:
                raise ValueError("DH private key: x must satisfy 1 <= x <= p - 2")
            bound = group.bits
        # The exponentiation loop runs over a public number of bits: the group's short
        # exponent size when x fits it (keys from generate_private_key), else the bound.
        short = group.private_key_bits
        object.__setattr__(self, "_exponent_bits", short if x >> short == 0 else bound)
        object.__setattr__(self, "_public", None)

    def public_key(self) -> DHPublicKey:
        """y = g^x mod p (computed once, in constant time)."""
        public = self._public
        if public is None:
            group = self.group
            y = _backend.mp().mod_exp(group.g, self.x, group.p, self._exponent_bits)
            public = DHPublicKey(group, y)
            object.__setattr__(self, "_public", public)
        return public

    def exchange(self, peer: DHPublicKey, *, strip_leading_zeros: bool = False) -> bytes:
        """The shared secret Z = y_peer^x mod p (SP 800-56A rev. 3 5.7.1.1), as bytes.

        By default Z is encoded big-endian to the length of p, leading zeros kept (SP
        800-56A C.1, PKCS #3 8.3, RFC 8446 7.4.1 and RFC 7919 in TLS 1.3). With
        *strip_leading_zeros* the leading zero bytes are removed, as TLS 1.0-1.2 require
        for the premaster secret (RFC 5246 8.1.2: "Leading bytes of Z that contain all zero
        bits are stripped before it is used as the pre_master_secret"); that variable
        length is a timing side channel of the protocol itself (the Raccoon attack), which
        this library cannot remove.

        The peer value must belong to the same group; its range 1 < y < p - 1 is checked
        on construction (call ``peer.validate()`` for the full subgroup check). Z <= 1 or
        Z = p - 1 (a peer value of small order) is refused with ValueError.
        """
        if not isinstance(peer, DHPublicKey):
            raise TypeError("DH exchange: peer must be a DHPublicKey")
        group = self.group
        if peer.group != group:
            raise ValueError("DH exchange: the peer's public key is in another group")
        z = _backend.mp().mod_exp(peer.y, self.x, group.p, self._exponent_bits)
        # SP 800-56A 5.7.1.1 step 2: "If z = 1, output an error indicator"; p - 1 (order 2)
        # likewise. Unreachable with a prime p and 1 < y < p - 1 unless y has small order.
        if z <= 1 or z == group.p - 1:
            raise ValueError("DH exchange: the shared secret is 0, 1 or p - 1 (bad peer value)")
        secret = z.to_bytes((group.bits + 7) // 8, "big")
        if strip_leading_zeros:
            secret = secret.lstrip(b"\x00")
        return secret


# --- the named groups --------------------------------------------------------------------

FFDHE2048: Final = DHGroup(_FFDHE2048_P, 2, (_FFDHE2048_P - 1) // 2, "ffdhe2048")
FFDHE3072: Final = DHGroup(_FFDHE3072_P, 2, (_FFDHE3072_P - 1) // 2, "ffdhe3072")
FFDHE4096: Final = DHGroup(_FFDHE4096_P, 2, (_FFDHE4096_P - 1) // 2, "ffdhe4096")
FFDHE6144: Final = DHGroup(_FFDHE6144_P, 2, (_FFDHE6144_P - 1) // 2, "ffdhe6144")
FFDHE8192: Final = DHGroup(_FFDHE8192_P, 2, (_FFDHE8192_P - 1) // 2, "ffdhe8192")
#: RFC 3526 section 2 (the 1536-bit group 5, used by OTR).
MODP1536: Final = DHGroup(_MODP1536_P, 2, (_MODP1536_P - 1) // 2, "modp1536")
MODP2048: Final = DHGroup(_MODP2048_P, 2, (_MODP2048_P - 1) // 2, "modp2048")
MODP3072: Final = DHGroup(_MODP3072_P, 2, (_MODP3072_P - 1) // 2, "modp3072")
MODP4096: Final = DHGroup(_MODP4096_P, 2, (_MODP4096_P - 1) // 2, "modp4096")
MODP6144: Final = DHGroup(_MODP6144_P, 2, (_MODP6144_P - 1) // 2, "modp6144")
MODP8192: Final = DHGroup(_MODP8192_P, 2, (_MODP8192_P - 1) // 2, "modp8192")

#: The named groups by lower-case name.
GROUPS: Final[Mapping[str, DHGroup]] = MappingProxyType(
    {
        group.name: group
        for group in (
            FFDHE2048,
            FFDHE3072,
            FFDHE4096,
            FFDHE6144,
            FFDHE8192,
            MODP1536,
            MODP2048,
            MODP3072,
            MODP4096,
            MODP6144,
            MODP8192,
        )
        if group.name is not None
    }
)
