"""Multi-precision modular arithmetic, pure-Python twin of ``nocrypto/_native/mp.c``.

This module is the executable specification of the C kernel: the same algorithms, step by
step, on the same 64-bit limbs.

- Montgomery multiplication (P. L. Montgomery, "Modular multiplication without trial
  division", Math. Comp. 44 (1985)), in the Coarsely Integrated Operand Scanning form of
  Koç, Acar and Kaliski ("Analyzing and comparing Montgomery multiplication algorithms",
  IEEE Micro 16(3), 1996): :func:`mont_mul_limbs` is written out with explicit limbs. The
  exponentiation below uses :func:`mont_mul`, the same operation on whole Python ints,
  ``(a*b + m*n) / R`` with ``m = -a*b/n mod R``: CIOS computes exactly that value (its
  word-by-word quotient digits m_i form the unique m < R), and the tests check the two
  against each other, so the fast form is the limb form. The C kernel sums the same
  products column by column (the FIPS form of the same paper, with a dedicated squaring):
  the same digits m_i, the same value.
- Montgomery setup: n0' = -n^-1 mod 2^64 by Newton iteration, R mod n and R^2 mod n by
  doubling with a conditional subtraction, then Montgomery squarings.
- Fixed-window exponentiation (HAC 14.82 / 14.94 with Montgomery reduction), the window
  width a function of the public *exponent_bits* only, every table entry read at each step
  and the wanted one kept with a mask.
- Modular inverse by a binary extended Euclidean algorithm with a fixed number of
  iterations (2 * bits of the modulus), every step taken with masks.
- The RSA private operation by the CRT (:func:`rsa_crt`, RFC 8017 5.1.2): blinding, the two
  half-size exponentiations, the recombination, the check m^e = c before release and the
  unblinding, in the order and with the Montgomery steps of ``nocrypto_mp_rsa_crt``. (The C
  kernel's 16-limb products on x86-64 with ADX scan 8x8 blocks by rows instead of columns;
  the values are the same Montgomery products.)

CPython gives no timing guarantee (big-int arithmetic is variable-time), so only the C
kernel is constant time; this twin keeps the algorithm's shape: no branch on a secret.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "LIMB_BITS",
    "MAX_EXPONENT_BITS",
    "MAX_LIMBS",
    "from_limbs",
    "mod_exp",
    "mod_inverse",
    "mod_mul",
    "mont_mul",
    "mont_mul_limbs",
    "mont_setup",
    "n0_inverse",
    "n0_inverse_full",
    "rsa_crt",
    "to_limbs",
    "window_bits",
]

LIMB_BITS: Final = 64
LIMB_MASK: Final = (1 << LIMB_BITS) - 1
#: 8192-bit moduli at most (nocrypto._backend.MAX_MODULUS_BITS).
MAX_LIMBS: Final = 128
#: The largest public exponent length mod_exp takes (eight times the largest modulus).
MAX_EXPONENT_BITS: Final = 65536


def _check_modulus(modulus: int) -> int:
    """Validate the modulus (odd, 3 <= n < 2**8192); return its number of limbs."""
    if modulus < 3 or modulus % 2 == 0:
        raise ValueError("mp: the modulus must be odd and at least 3")
    limbs = (modulus.bit_length() + LIMB_BITS - 1) // LIMB_BITS
    if limbs > MAX_LIMBS:
        raise ValueError("mp: the modulus must be below 2**8192")
    return limbs


def _check_operand(name: str, value: int, modulus: int) -> None:
    if not 0 <= value < modulus:
        raise ValueError(f"mp: {name} must be reduced, 0 <= {name} < modulus")


def to_limbs(value: int, limbs: int) -> list[int]:
    """*value* as *limbs* little-endian 64-bit words."""
    return [(value >> (LIMB_BITS * i)) & LIMB_MASK for i in range(limbs)]


def from_limbs(words: list[int]) -> int:
    """The integer whose little-endian 64-bit words are *words*."""
    value = 0
    for word in reversed(words):
        value = (value << LIMB_BITS) | word
    return value


def n0_inverse(n0: int) -> int:
    """n0' = -n0^-1 mod 2^64 for the odd low limb n0, by Newton (Hensel) iteration.

    x = n0 is an inverse of n0 modulo 2^3 (every odd square is 1 mod 8); each step
    x <- x * (2 - n0 * x) doubles the number of correct low bits: 3, 6, 12, 24, 48, 96.
    Five steps, no branch on n0.
    """
    x = n0
    for _ in range(5):
        x = (x * (2 - n0 * x)) & LIMB_MASK
    return (-x) & LIMB_MASK


def n0_inverse_full(n: int, r_bits: int) -> int:
    """-n^-1 mod R, R = 2^r_bits: the n0' of every limb at once (the whole-int quotient
    m = t * n' mod R of :func:`mont_mul`). Hensel lifting from the one-limb inverse, each
    step x <- x * (2 - n * x) doubling the number of correct bits."""
    x = -n0_inverse(n & LIMB_MASK) & LIMB_MASK  # n^-1 mod 2^64
    bits = LIMB_BITS
    while bits < r_bits:
        bits *= 2
        x = (x * (2 - n * x)) & ((1 << bits) - 1)
    return -x & ((1 << r_bits) - 1)


def mont_mul_limbs(a: list[int], b: list[int], n: list[int], n0inv: int) -> list[int]:
    """CIOS Montgomery multiplication on limbs: a * b * R^-1 mod n, R = 2^(64*len(n)).

    Koç-Acar-Kaliski, CIOS: for each word b_i, t += a * b_i; m = t_0 * n0' mod 2^64;
    t += m * n (now t_0 = 0); t >>= 64. With a, b < n the result t < 2n; one subtraction
    of n, kept or dropped by a mask (not a branch), brings it below n.
    """
    s = len(n)
    t = [0] * (s + 2)
    for i in range(s):
        # t += a * b[i]
        carry = 0
        for j in range(s):
            x = t[j] + a[j] * b[i] + carry
            t[j] = x & LIMB_MASK
            carry = x >> LIMB_BITS
        x = t[s] + carry
        t[s] = x & LIMB_MASK
        t[s + 1] = x >> LIMB_BITS
        # m = t_0 * n0' mod 2^64, so that t + m * n is divisible by 2^64
        m = (t[0] * n0inv) & LIMB_MASK
        x = t[0] + m * n[0]
        carry = x >> LIMB_BITS
        # t = (t + m * n) >> 64
        for j in range(1, s):
            x = t[j] + m * n[j] + carry
            t[j - 1] = x & LIMB_MASK
            carry = x >> LIMB_BITS
        x = t[s] + carry
        t[s - 1] = x & LIMB_MASK
        t[s] = t[s + 1] + (x >> LIMB_BITS)
    # Final conditional subtraction: d = t - n; keep d unless it borrowed.
    d = [0] * s
    borrow = 0
    for j in range(s):
        x = t[j] - n[j] - borrow
        d[j] = x & LIMB_MASK
        borrow = (x >> LIMB_BITS) & 1
    # t[s] is the top carry: t >= n iff t[s] == 1 or there was no borrow.
    keep_t = borrow & (1 - t[s])  # 1: t < n, keep t; 0: take t - n
    mask = -keep_t & LIMB_MASK
    return [(t[j] & mask) | (d[j] & ~mask & LIMB_MASK) for j in range(s)]


def mont_mul(a: int, b: int, n: int, n0inv_full: int, r_bits: int) -> int:
    """The value :func:`mont_mul_limbs` computes, on whole ints: a * b * R^-1 mod n.

    *n0inv_full* is -n^-1 mod R (R = 2^r_bits); the quotient m = (a*b*n0inv_full) mod R is
    the number whose words are the CIOS digits m_i. With a, b < n, t < 2n.
    """
    t = a * b
    m = ((t & ((1 << r_bits) - 1)) * n0inv_full) & ((1 << r_bits) - 1)
    t = (t + m * n) >> r_bits
    d = t - n
    # Masked select of t or t - n, as in the limb form (d < 0 iff t < n).
    keep_t = (d >> (r_bits + 1)) & 1
    mask = -keep_t
    return (t & mask) | (d & ~mask)


def _double_mod(x: int, n: int) -> int:
    """2x mod n for 0 <= x < n: double, then subtract n under a mask if 2x >= n."""
    y = 2 * x
    d = y - n
    keep_y = (d >> (n.bit_length() + 1)) & 1  # d < 0 iff 2x < n
    mask = -keep_y
    return (y & mask) | (d & ~mask)


def mont_setup(n: int) -> tuple[int, int, int, int]:
    """(limbs, n0', R mod n, R^2 mod n) for the odd modulus n, R = 2^(64*limbs).

    R mod n: n has exactly *limbs* limbs (its top limb is not zero: the limb count is the
    public size, the bit length inside the top limb is not used), so 2^(64*(limbs-1)) < n
    is already reduced; double it 64 times, each doubling followed by a masked conditional
    subtraction (no division: it is variable time in C). R^2 mod n: double another *limbs*
    times to get 2^(64*limbs + limbs) mod n, the Montgomery form of 2^limbs, then square it
    six times in Montgomery form: 2^limbs -> 2^(64*limbs) = R, whose Montgomery form is
    R^2 mod n. Cost: 64 + limbs doublings and six products, instead of 128*limbs doublings.
    """
    limbs = _check_modulus(n)
    n0inv = n0_inverse(n & LIMB_MASK)
    x = 1 << (LIMB_BITS * (limbs - 1))
    for _ in range(LIMB_BITS):
        x = _double_mod(x, n)
    r_mod_n = x
    for _ in range(limbs):
        x = _double_mod(x, n)
    r_bits = LIMB_BITS * limbs
    n0inv_full = n0_inverse_full(n, r_bits)
    for _ in range(6):
        x = mont_mul(x, x, n, n0inv_full, r_bits)
    return limbs, n0inv, r_mod_n, x


def window_bits(exponent_bits: int) -> int:
    """The window width for a public exponent length: about the width w that minimises
    2^w precomputed products plus exponent_bits / w window products (HAC 14.5.1). RSA
    private exponents (>= 512 bits) use 5; short public exponents use narrower windows."""
    if exponent_bits >= 512:
        return 5
    if exponent_bits >= 128:
        return 4
    if exponent_bits >= 32:
        return 3
    if exponent_bits >= 4:
        return 2
    return 1


def _select(table: list[int], index: int) -> int:
    """table[index], reading every entry: acc |= entry & mask(i == index)."""
    acc = 0
    for i, entry in enumerate(table):
        # (i ^ index) - 1 is negative exactly when i == index; its sign is the mask.
        mask = ((i ^ index) - 1) >> 64
        acc |= entry & mask
    return acc


def _mont_exp(
    xm: int, exponent: int, exponent_bits: int, one: int, n: int, n0inv_full: int, r_bits: int
) -> int:
    """The Montgomery form of x^exponent mod n, from xm = x R mod n and one = R mod n: the
    fixed window of :func:`mod_exp` (steps 1 and 2), shared with :func:`rsa_crt`."""

    def mul(x: int, y: int) -> int:
        return mont_mul(x, y, n, n0inv_full, r_bits)

    w = window_bits(exponent_bits)
    table = [one, xm]
    for _ in range(2, 1 << w):
        table.append(mul(table[-1], table[1]))
    windows = (exponent_bits + w - 1) // w
    mask = (1 << w) - 1
    acc = _select(table, (exponent >> ((windows - 1) * w)) & mask) if windows else one
    for k in range(windows - 2, -1, -1):
        for _ in range(w):
            acc = mul(acc, acc)
        acc = mul(acc, _select(table, (exponent >> (k * w)) & mask))
    return acc


def mod_exp(base: int, exponent: int, modulus: int, exponent_bits: int) -> int:
    """base^exponent mod modulus, for 0 <= exponent < 2**exponent_bits (public bound).

    Left-to-right fixed window of w = window_bits(exponent_bits) bits (HAC 14.82), with
    Montgomery products throughout:
    1. table[i] = base^i * R mod n for 0 <= i < 2^w (table[0] = R mod n, the form of 1);
    2. acc = table[top window]; then for each lower window of the exponent (the loop runs
       ceil(exponent_bits / w) - 1 times whatever the exponent is): w squarings, then one
       product with table[window]. Every entry is chosen by a full masked scan, and a zero
       window multiplies too (by the form of 1), so the sequence of operations is fixed;
    3. out of Montgomery form: a product with 1.
    """
    limbs = _check_modulus(modulus)
    _check_operand("base", base, modulus)
    if not 0 <= exponent_bits <= MAX_EXPONENT_BITS:
        raise ValueError("mp: exponent_bits must be in 0..65536")
    if not 0 <= exponent < 1 << exponent_bits:
        raise ValueError("mp: the exponent must satisfy 0 <= exponent < 2**exponent_bits")
    _, _, r_mod_n, r2_mod_n = mont_setup(modulus)
    r_bits = LIMB_BITS * limbs
    n0inv_full = n0_inverse_full(modulus, r_bits)
    base_m = mont_mul(base, r2_mod_n, modulus, n0inv_full, r_bits)
    acc = _mont_exp(base_m, exponent, exponent_bits, r_mod_n, modulus, n0inv_full, r_bits)
    # Leave Montgomery form: acc * 1 * R^-1 (fully reduced, < n).
    return mont_mul(acc, 1, modulus, n0inv_full, r_bits)


def mod_mul(a: int, b: int, modulus: int) -> int:
    """a * b mod modulus: two Montgomery products, (a * b * R^-1) * R^2 * R^-1."""
    limbs = _check_modulus(modulus)
    _check_operand("a", a, modulus)
    _check_operand("b", b, modulus)
    _, _, _, r2_mod_n = mont_setup(modulus)
    r_bits = LIMB_BITS * limbs
    n0inv_full = n0_inverse_full(modulus, r_bits)
    t = mont_mul(a, b, modulus, n0inv_full, r_bits)
    return mont_mul(t, r2_mod_n, modulus, n0inv_full, r_bits)


def mod_inverse(a: int, modulus: int) -> int:
    """a^-1 mod modulus (odd), or 0 when gcd(a, modulus) != 1; fixed iteration count.

    Binary extended Euclid on (a, b) = (x, n) with coefficients (u, v) = (1, 0), keeping
    the invariants a = u*x mod n, b = v*x mod n, b odd, gcd(a, b) = gcd(x, n). One step:

        if a is odd:
            if a < b: swap(a, b); swap(u, v)        # b stays odd: it takes the odd a
            a = a - b; u = u - v mod n              # odd - odd: a becomes even
        a = a / 2; u = u / 2 mod n                  # u/2 mod n = (u + n*(u odd)) / 2

    Iteration bound: let L = len(a) + len(b) (bit lengths); L <= 2k for a k-bit modulus.
    While a != 0, a step lowers L by at least 1: an even a loses a bit; for an odd a, the
    pair becomes (|a - b| / 2, min(a, b)) and len(|a - b| / 2) <= len(max(a, b)) - 1.
    Since b is odd, len(b) >= 1, so a = 0 after at most 2k - 1 steps, and a = 0 is a fixed
    point (even, halves to 0; b, v unchanged). After 2k steps b = gcd(x, n) and
    v*x = b mod n: the inverse is v if b == 1, and there is none otherwise (x = 0 gives
    b = n >= 3). Every step runs every operation; masks choose the results. (The C kernel
    runs 2 * 64 * limbs steps, a bound from the public size alone; the extra steps are
    steps from the fixed point, so the result is the same.)
    """
    _check_modulus(modulus)
    _check_operand("a", a, modulus)
    n = modulus
    k = n.bit_length()
    a_, b_, u, v = a, n, 1, 0
    top = k + 2  # bits above any intermediate value: sign bits for the masks
    for _ in range(2 * k):
        odd = -(a_ & 1)  # all ones if a is odd
        # a < b iff a - b is negative: then swap (under the mask "odd").
        lt = (a_ - b_) >> top  # all ones iff a < b
        swap = odd & lt
        a_, b_ = (a_ & ~swap) | (b_ & swap), (b_ & ~swap) | (a_ & swap)
        u, v = (u & ~swap) | (v & swap), (v & ~swap) | (u & swap)
        # a -= b and u -= v mod n, kept only if a was odd.
        a_ = a_ - (b_ & odd)
        d = u - (v & odd)
        u = d + (n & (d >> top))  # add n back if the subtraction went negative
        # Halve a (now even) and u modulo n.
        a_ >>= 1
        u = (u + (n & -(u & 1))) >> 1
    is_one = ((b_ ^ 1) - 1) >> top  # all ones iff b == 1
    return v & is_one


# --- the RSA private operation by the CRT (nocrypto_mp_rsa_crt) ---------------------------


class _Mont:
    """The Montgomery constants of one odd modulus m (R = 2^(64 * limbs)): R mod m,
    R^2 mod m and the whole-int -m^-1 mod R, as :func:`mont_setup` makes them."""

    def __init__(self, m: int) -> None:
        self.m = m
        self.limbs, _, self.one, self.rr = mont_setup(m)
        self.r_bits = LIMB_BITS * self.limbs
        self.n0inv_full = n0_inverse_full(m, self.r_bits)

    def mul(self, a: int, b: int) -> int:
        """a * b * R^-1 mod m, for a < R and b < m (the sum is then below 2m)."""
        return mont_mul(a, b, self.m, self.n0inv_full, self.r_bits)

    def to_mont(self, x: int, x_limbs: int) -> int:
        """x R mod m for any x of x_limbs limbs: Horner's rule on the chunks c_k of the
        modulus's limb count, x = sum c_k R^k; y = c_(K-1) R, then y = y R + c_k R, each
        "times R" a product with R^2 (a chunk may exceed m: a product of a < R and b < m
        is below 2m)."""
        chunks = -(-x_limbs // self.limbs)
        low = (1 << self.r_bits) - 1
        y = 0
        for k in range(chunks - 1, -1, -1):
            t = self.mul((x >> (k * self.r_bits)) & low, self.rr)
            y = t if k == chunks - 1 else _add_mod(self.mul(y, self.rr), t, self.m)
        return y


def _add_mod(a: int, b: int, m: int) -> int:
    """a + b mod m for a, b < m: the sum, less m under a mask when it is >= m."""
    s = a + b
    d = s - m
    keep_s = (d >> (m.bit_length() + 1)) & 1  # d < 0 iff s < m
    return (s & -keep_s) | (d & (keep_s - 1))


def _sub_mod(a: int, b: int, m: int) -> int:
    """a - b mod m for a, b < m: the difference, plus m under the mask of its sign."""
    d = a - b
    return d + (m & (d >> (m.bit_length() + 1)))


def rsa_crt(
    c: int, blind: int, unblind: int, n: int, e: int, p: int, q: int, dp: int, dq: int, qinv: int
) -> tuple[int, int, int] | None:
    """The RSA private operation (RFC 8017 5.1.2, second form of the key), blinded and
    verified, as ``nocrypto_mp_rsa_crt`` computes it. With a = *blind*, ai = *unblind*:

    1. blind (Kocher 1996): am = a R mod n, cb = c * a mod n; the next blinding factor
       a^2 = am * a * R^-1 comes with it;
    2. the halves (5.1.2 step 2.b.i-ii): m1 = cb^dP mod p and m2 = cb^dQ mod q, in
       Montgomery form, from cb reduced by :meth:`_Mont.to_mont`; the exponent loops run over
       all 64 * limbs bits of p and q;
    3. recombine (steps 2.b.iii-iv): h = (m1 - m2) qInv mod p, as the product of
       (m1 - m2) R mod p with qInv, then mb = m2 + q h (kept to n's limbs, as the C does);
    4. check before release (Boneh, DeMillo and Lipton 1997): mb^e = cb mod n, by square and
       multiply on the public e (its bits steer), in Montgomery form from mbm = mb R mod n;
    5. unblind: m = mbm * ai * R^-1 = mb * ai mod n; the next unblinding factor ai^2.

    Returns (m, a^2 mod n, ai^2 mod n), or None when the check fails.
    """
    limbs = _check_modulus(n)
    _check_operand("c", c, n)
    _check_operand("blind", blind, n)
    _check_operand("unblind", unblind, n)
    if not (3 <= p < n and 3 <= q < n and p & q & 1):
        raise ValueError("mp: p and q must be odd with 3 <= p, q < n")
    if not 1 <= e < n:
        raise ValueError("mp: e must satisfy 1 <= e < n")
    if not (0 <= dp < p and 0 <= dq < q and 0 <= qinv < p):
        raise ValueError("mp: dP, dQ and qInv must satisfy 0 <= dP < p, 0 <= dQ < q, 0 <= qInv < p")
    N, P, Q = _Mont(n), _Mont(p), _Mont(q)
    # 1. Blind.
    am = N.mul(blind, N.rr)
    cb = N.mul(c, am)
    blind_next = N.mul(am, blind)
    # 2. The two halves, in Montgomery form.
    m1m = _mont_exp(P.to_mont(cb, limbs), dp, P.r_bits, P.one, p, P.n0inv_full, P.r_bits)
    m2m = _mont_exp(Q.to_mont(cb, limbs), dq, Q.r_bits, Q.one, q, Q.n0inv_full, Q.r_bits)
    # 3. Recombine.
    m2 = Q.mul(m2m, 1)
    h = P.mul(_sub_mod(m1m, P.to_mont(m2, Q.limbs), p), qinv)
    mb = (m2 + q * h) & ((1 << N.r_bits) - 1)
    # 4. Check mb^e = cb mod n.
    mbm = N.mul(mb, N.rr)
    s = mbm
    for i in range(e.bit_length() - 2, -1, -1):
        s = N.mul(s, s)
        if (e >> i) & 1:
            s = N.mul(s, mbm)
    good = N.mul(s, 1) == cb
    # 5. Unblind; the next pair.
    m = N.mul(mbm, unblind)
    unblind_next = N.mul(N.mul(unblind, N.rr), unblind)
    return (m, blind_next, unblind_next) if good else None
