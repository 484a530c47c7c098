"""ECDSA over the Ed25519 curve, as libgcrypt computes it for Guix.

Guix signs narinfos with keys made by ``(genkey (ecdsa (curve Ed25519)
(flags rfc6979)))``: this is not EdDSA but textbook ECDSA in the group of the
twisted Edwards curve ``-x² + y² = 1 + d·x²·y²`` over GF(2²⁵⁵ - 19), whose
base point has prime order ``n`` (253 bits).  As libgcrypt does it
(``cipher/ecc-ecdsa.c``):

- the hash ``h`` (the 32 bytes of a SHA-256) is read big-endian and
  truncated to the bit length of ``n`` (shifted right by 3);
- ``k`` comes from RFC 6979 (HMAC-SHA-256 over the secret ``d`` and the
  untruncated hash);
- ``r`` is the *affine x coordinate* of ``k·G``, reduced mod ``n``, and
  ``s = k⁻¹·(h + r·d) mod n``;
- verification computes ``X = (h·s⁻¹)·G + (r·s⁻¹)·Q`` and accepts when
  ``0 < r, s < n`` and ``x(X) mod n == r``.

The public key ``q`` is the point in EdDSA encoding: 32 bytes, ``y`` little
endian with the parity of ``x`` in the top bit (libgcrypt also accepts it
prefixed with ``0x40``, and the uncompressed ``0x04 || x || y``).

The ``cryptography`` package has Ed25519 *EdDSA* only, so the curve is done
here with Python integers (extended coordinates, a few milliseconds per
operation).  Nothing here is constant-time: it is fine for verifying, and for
signing on a machine whose other users cannot time the process.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator

#: the field prime
P = 2**255 - 19
#: the order of the base point
N = 2**252 + 27742317777372353535851937790883648493
#: the curve constant d = -121665/121666
D = (-121665 * pow(121666, -1, P)) % P
_SQRT_M1 = pow(2, (P - 1) // 4, P)

#: a point in extended coordinates (X, Y, Z, T) with x = X/Z, y = Y/Z, xy = T/Z
Point = tuple[int, int, int, int]
IDENTITY: Point = (0, 1, 1, 0)


class PointError(ValueError):
    """The bytes do not encode a point of the curve."""


def _recover_x(y: int, sign: int) -> int:
    if y >= P:
        raise PointError("y coordinate out of range")
    x2 = (y * y - 1) * pow(D * y * y + 1, -1, P) % P
    if x2 == 0:
        if sign:
            raise PointError("x = 0 with the sign bit set")
        return 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P:
        x = x * _SQRT_M1 % P
    if (x * x - x2) % P:
        raise PointError("not a point of Ed25519")
    if x & 1 != sign:
        x = P - x
    return x


_GY = 4 * pow(5, -1, P) % P
_GX = _recover_x(_GY, 0)
#: the base point
G: Point = (_GX, _GY, 1, _GX * _GY % P)


def add(p: Point, q: Point) -> Point:
    """The sum of two points (complete formula for a = -1)."""
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = 2 * t1 * t2 * D % P
    d = 2 * z1 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def double(p: Point) -> Point:
    """2·p."""
    x1, y1, z1, _ = p
    a = x1 * x1 % P
    b = y1 * y1 % P
    c = 2 * z1 * z1 % P
    h = a + b
    e = h - (x1 + y1) * (x1 + y1) % P
    g = a - b
    f = c + g
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def multiply(k: int, p: Point) -> Point:
    """k·p (double and add, most significant bit first)."""
    r = IDENTITY
    for bit in bin(k)[2:] if k > 0 else "":
        r = double(r)
        if bit == "1":
            r = add(r, p)
    return r


def _base_table() -> list[Point]:
    table = []
    q = G
    for _ in range(256):
        table.append(q)
        q = double(q)
    return table


_G_POWERS = _base_table()


def multiply_base(k: int) -> Point:
    """k·G, with the precomputed powers of two of G (additions only)."""
    r = IDENTITY
    i = 0
    while k:
        if k & 1:
            r = add(r, _G_POWERS[i])
        k >>= 1
        i += 1
    return r


def double_multiply(a: int, b: int, q: Point) -> Point:
    """a·G + b·q in one pass (Shamir's trick)."""
    gq = add(G, q)
    r = IDENTITY
    for i in range(max(a.bit_length(), b.bit_length()) - 1, -1, -1):
        r = double(r)
        bits = (a >> i & 1, b >> i & 1)
        if bits == (1, 1):
            r = add(r, gq)
        elif bits == (1, 0):
            r = add(r, G)
        elif bits == (0, 1):
            r = add(r, q)
    return r


def affine(p: Point) -> tuple[int, int]:
    """(x, y) of ``p``."""
    zi = pow(p[2], -1, P)
    return p[0] * zi % P, p[1] * zi % P


def on_curve(p: Point) -> bool:
    """True if ``p`` satisfies the curve equation."""
    x, y = affine(p)
    return (-x * x + y * y - 1 - D * x * x * y * y) % P == 0


def encode_point(p: Point) -> bytes:
    """The 32-byte EdDSA encoding of ``p`` (how libgcrypt writes ``q``)."""
    x, y = affine(p)
    return (y | (x & 1) << 255).to_bytes(32, "little")


def decode_point(data: bytes) -> Point:
    """The point ``data`` encodes: 32 bytes, 0x40 + 32 bytes, or 0x04 + x + y."""
    if len(data) == 33 and data[0] == 0x40:
        data = data[1:]
    if len(data) == 32:
        v = int.from_bytes(data, "little")
        y = v & ((1 << 255) - 1)
        x = _recover_x(y, v >> 255)
    elif len(data) == 65 and data[0] == 0x04:
        x = int.from_bytes(data[1:33], "big")
        y = int.from_bytes(data[33:], "big")
        if x >= P or y >= P:
            raise PointError("coordinate out of range")
    else:
        raise PointError(f"a public key point has 32 bytes, not {len(data)}")
    p = (x, y, 1, x * y % P)
    if not on_curve(p):
        raise PointError("not a point of Ed25519")
    return p


def hash_to_int(digest: bytes) -> int:
    """The hash as libgcrypt uses it: big-endian, truncated to the bit length of N."""
    h = int.from_bytes(digest, "big")
    excess = len(digest) * 8 - N.bit_length()
    return h >> excess if excess > 0 else h


def rfc6979_nonces(d: int, digest: bytes, hash_name: str = "sha256",
                   order: int = N) -> Iterator[int]:
    """The successive RFC 6979 candidates for ``k`` (libgcrypt's ``extraloops``).

    ``order`` is the group order (``q`` in the RFC); ``digest`` is ``h1``.
    """
    qlen = order.bit_length()
    rlen = (qlen + 7) // 8

    def bits2int(b: bytes) -> int:
        v = int.from_bytes(b, "big")
        return v >> (len(b) * 8 - qlen) if len(b) * 8 > qlen else v

    z = bits2int(digest)
    if z >= order:
        z -= order
    x_oct = d.to_bytes(rlen, "big")
    h_oct = z.to_bytes(rlen, "big")
    hlen = hashlib.new(hash_name).digest_size
    v = b"\x01" * hlen
    k = b"\x00" * hlen
    k = hmac.new(k, v + b"\x00" + x_oct + h_oct, hash_name).digest()
    v = hmac.new(k, v, hash_name).digest()
    k = hmac.new(k, v + b"\x01" + x_oct + h_oct, hash_name).digest()
    v = hmac.new(k, v, hash_name).digest()
    while True:
        t = b""
        while len(t) * 8 < qlen:
            v = hmac.new(k, v, hash_name).digest()
            t += v
        candidate = bits2int(t)
        if 0 < candidate < order:
            yield candidate
        k = hmac.new(k, v + b"\x00", hash_name).digest()
        v = hmac.new(k, v, hash_name).digest()


def sign(d: int, digest: bytes, hash_name: str = "sha256") -> tuple[int, int]:
    """The ECDSA signature (r, s) of ``digest`` with secret scalar ``d``, as libgcrypt."""
    if not 0 < d < N:
        raise ValueError("secret scalar out of range")
    h = hash_to_int(digest)
    for k in rfc6979_nonces(d, digest, hash_name):
        r = affine(multiply_base(k))[0] % N
        if r == 0:
            continue
        s = pow(k, -1, N) * (h + r * d) % N
        if s:
            return r, s
    raise AssertionError("unreachable")  # pragma: no cover


def verify(q: Point, digest: bytes, r: int, s: int) -> bool:
    """True if (r, s) is a valid signature of ``digest`` by public point ``q``."""
    if not (0 < r < N and 0 < s < N):
        return False
    h = hash_to_int(digest)
    w = pow(s, -1, N)
    x = double_multiply(h * w % N, r * w % N, q)
    if x[2] % P == 0:
        return False
    return affine(x)[0] % N == r


def generate_secret() -> int:
    """A random secret scalar in [1, N-1]."""
    return secrets.randbelow(N - 1) + 1


def public_point(d: int) -> Point:
    """Q = d·G."""
    return multiply_base(d)
