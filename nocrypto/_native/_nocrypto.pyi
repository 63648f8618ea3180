"""Type stub for the cffi extension built from ``nocrypto/_native/build.py``.

Keep in step with the ``*.cdef`` files: one method on ``_Lib`` per C declaration, under
the comment naming its file.
"""

from _cffi_backend import FFI, _CDataBase

_Buf = _CDataBase | bytes

class _Lib:
    # ct.cdef
    def nocrypto_ct_equal(self, a: _Buf, b: _Buf, n: int, /) -> int: ...

    # cpu.cdef
    def nocrypto_cpu_features(self) -> int: ...
    def nocrypto_cpu_restrict(self, mask: int, /) -> None: ...

    # digest.cdef
    def nocrypto_hash_finish(
        self,
        id: int,
        out: _Buf,
        out_len: int,
        state: _Buf,
        tail: _Buf,
        tail_len: int,
        bits_hi: int,
        bits_lo: int,
        /,
    ) -> int: ...
    def nocrypto_hash_message(
        self, id: int, out: _Buf, out_len: int, data: _Buf, len: int, /
    ) -> int: ...
    def nocrypto_hmac(
        self, id: int, out: _Buf, out_len: int, key: _Buf, key_len: int, msg: _Buf, msg_len: int, /
    ) -> int: ...
    def nocrypto_md5_compress(self, state: _Buf, blocks: _Buf, nblocks: int, /) -> None: ...
    def nocrypto_sha1_compress(self, state: _Buf, blocks: _Buf, nblocks: int, /) -> None: ...
    def nocrypto_sha256_compress(self, state: _Buf, blocks: _Buf, nblocks: int, /) -> None: ...
    def nocrypto_sha512_compress(self, state: _Buf, blocks: _Buf, nblocks: int, /) -> None: ...

    # aes.cdef
    NOCRYPTO_AES_SCHEDULE_BYTES: int
    def nocrypto_aes_expand_key(self, schedule: _Buf, key: _Buf, key_len: int, /) -> int: ...
    def nocrypto_aes_ecb_encrypt(
        self, schedule: _Buf, in_: _Buf, out: _Buf, nblocks: int, /
    ) -> None: ...
    def nocrypto_aes_ecb_decrypt(
        self, schedule: _Buf, in_: _Buf, out: _Buf, nblocks: int, /
    ) -> None: ...
    def nocrypto_aes_cbc_encrypt(
        self, schedule: _Buf, iv: _Buf, in_: _Buf, out: _Buf, nblocks: int, /
    ) -> None: ...
    def nocrypto_aes_cbc_decrypt(
        self, schedule: _Buf, iv: _Buf, in_: _Buf, out: _Buf, nblocks: int, /
    ) -> None: ...
    def nocrypto_aes_ctr(
        self, schedule: _Buf, counter: _Buf, counter_bytes: int, in_: _Buf, out: _Buf, len: int, /
    ) -> None: ...
    def nocrypto_aes_ni_round_keys(self, schedule: _Buf, rounds: _CDataBase, /) -> _CDataBase: ...

    # des.cdef
    NOCRYPTO_DES3_SCHEDULE_BYTES: int
    def nocrypto_des3_expand_key(self, schedule: _Buf, key: _Buf, key_len: int, /) -> int: ...
    def nocrypto_des3_ecb_encrypt(
        self, schedule: _Buf, in_: _Buf, out: _Buf, nblocks: int, /
    ) -> None: ...
    def nocrypto_des3_ecb_decrypt(
        self, schedule: _Buf, in_: _Buf, out: _Buf, nblocks: int, /
    ) -> None: ...
    def nocrypto_des3_cbc_encrypt(
        self, schedule: _Buf, iv: _Buf, in_: _Buf, out: _Buf, nblocks: int, /
    ) -> None: ...
    def nocrypto_des3_cbc_decrypt(
        self, schedule: _Buf, iv: _Buf, in_: _Buf, out: _Buf, nblocks: int, /
    ) -> None: ...

    # gcm.cdef
    NOCRYPTO_GHASH_KEY_BYTES: int
    def nocrypto_ghash_key(self, hkey: _Buf, h: _Buf, /) -> None: ...
    def nocrypto_ghash(self, hkey: _Buf, y: _Buf, data: _Buf, nblocks: int, /) -> None: ...
    def nocrypto_aes_gcm_seal(
        self,
        schedule: _Buf,
        hkey: _Buf,
        j0: _Buf,
        aad: _Buf,
        aad_len: int,
        in_: _Buf,
        len: int,
        out: _Buf,
        /,
    ) -> None: ...
    def nocrypto_aes_gcm_open(
        self,
        schedule: _Buf,
        hkey: _Buf,
        j0: _Buf,
        aad: _Buf,
        aad_len: int,
        in_: _Buf,
        len: int,
        tag: _Buf,
        tag_len: int,
        out: _Buf,
        /,
    ) -> int: ...

    # chacha.cdef
    def nocrypto_chacha20_xor(
        self, key: _Buf, counter: int, nonce: _Buf, in_: _Buf, out: _Buf, len: int, /
    ) -> None: ...
    def nocrypto_poly1305(self, tag: _Buf, key: _Buf, msg: _Buf, len: int, /) -> None: ...
    def nocrypto_chacha20_poly1305_seal(
        self,
        key: _Buf,
        nonce: _Buf,
        aad: _Buf,
        aad_len: int,
        in_: _Buf,
        len: int,
        out: _Buf,
        /,
    ) -> None: ...
    def nocrypto_chacha20_poly1305_open(
        self,
        key: _Buf,
        nonce: _Buf,
        aad: _Buf,
        aad_len: int,
        in_: _Buf,
        len: int,
        tag: _Buf,
        out: _Buf,
        /,
    ) -> int: ...

    # mp.cdef
    def nocrypto_mp_mod_exp(
        self, out: _Buf, base: _Buf, exponent: _Buf, exponent_bits: int, modulus: _Buf, len: int, /
    ) -> int: ...
    def nocrypto_mp_mod_mul(
        self, out: _Buf, a: _Buf, b: _Buf, modulus: _Buf, len: int, /
    ) -> int: ...
    def nocrypto_mp_mod_inverse(self, out: _Buf, a: _Buf, modulus: _Buf, len: int, /) -> int: ...
    def nocrypto_mp_rsa_crt(
        self,
        out: _Buf,
        blind_next: _Buf,
        unblind_next: _Buf,
        c: _Buf,
        blind: _Buf,
        unblind: _Buf,
        modulus: _Buf,
        len: int,
        e: _Buf,
        e_bits: int,
        p: _Buf,
        dp: _Buf,
        qinv: _Buf,
        p_len: int,
        q: _Buf,
        dq: _Buf,
        q_len: int,
        /,
    ) -> int: ...

    # ecp.cdef
    def nocrypto_ecdsa_sign(
        self,
        curve: int,
        sig: _Buf,
        sig_len: int,
        d: _Buf,
        k: _Buf,
        e: _Buf,
        scalar_len: int,
        /,
    ) -> int: ...
    def nocrypto_ecp_mul(
        self,
        curve: int,
        out: _Buf,
        out_len: int,
        scalar: _Buf,
        scalar_len: int,
        point: _Buf,
        point_len: int,
        /,
    ) -> int: ...
    def nocrypto_ecp_mul_base(
        self, curve: int, out: _Buf, out_len: int, scalar: _Buf, scalar_len: int, /
    ) -> int: ...
    def nocrypto_ecp_mul_add(
        self,
        curve: int,
        out: _Buf,
        out_len: int,
        u1: _Buf,
        u2: _Buf,
        scalar_len: int,
        point: _Buf,
        point_len: int,
        /,
    ) -> int: ...

    # ecx.cdef
    def nocrypto_x25519(self, out: _Buf, scalar: _Buf, u: _Buf, /) -> None: ...
    def nocrypto_x448(self, out: _Buf, scalar: _Buf, u: _Buf, /) -> None: ...
    def nocrypto_ed25519_mul_base(self, out: _Buf, s: _Buf, /) -> None: ...
    def nocrypto_ed25519_mul_add_vartime(self, out: _Buf, s: _Buf, k: _Buf, a: _Buf, /) -> int: ...
    def nocrypto_ed25519_scalar_muladd(self, out: _Buf, a: _Buf, b: _Buf, c: _Buf, /) -> None: ...

ffi: FFI
lib: _Lib
