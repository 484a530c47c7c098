"""Nix base32, the encoding of hashes in Guix package definitions and store paths.

Guix writes a source's SHA-256 as ``(base32 "0p6qp47g…")``: 52 characters of
the alphabet ``0123456789abcdfghijklmnpqrsvwxyz`` (no ``e``, ``o``, ``u``,
``t``).  Unlike RFC 4648 base32, Nix's variant reads the *last* character
first and packs 5-bit digits from the least significant bit of byte 0
upwards, so a 32-byte hash becomes 52 characters and the string, read
right-to-left, is the little-endian bit stream of the bytes.

The Scheme face is ``(guix base32)``: ``nix-base32-string->bytevector``,
``bytevector->nix-base32-string``, ``nix-base32-charset`` and the RFC 4648
pair ``base32-string->bytevector``/``bytevector->base32-string``.
"""

from __future__ import annotations

from typing import Any

from schemos.datum import Symbol
from schemos.errors import Condition, SchemeError, wrong_type

#: the 32 digits of Nix base32, in order
NIX_ALPHABET = "0123456789abcdfghijklmnpqrsvwxyz"
_NIX_INDEX = {c: i for i, c in enumerate(NIX_ALPHABET)}

#: the RFC 4648 alphabet, which Guix uses lower-case
RFC_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_RFC_INDEX = {c: i for i, c in enumerate(RFC_ALPHABET)}


def nix_base32_encode(data: bytes | bytearray) -> str:
    """Encode ``data`` in Nix base32 (``bytevector->nix-base32-string``)."""
    size = len(data)
    if size == 0:
        return ""
    length = (size * 8 - 1) // 5 + 1
    out = []
    for n in range(length - 1, -1, -1):
        b = n * 5
        i, j = divmod(b, 8)
        c = data[i] >> j
        if i + 1 < size:
            c |= data[i + 1] << (8 - j)
        out.append(NIX_ALPHABET[c & 0x1F])
    return "".join(out)


def nix_base32_decode(text: str) -> bytearray:
    """Decode Nix base32 ``text`` into bytes; ``ValueError`` on a bad digit or length."""
    n = len(text)
    size = n * 5 // 8
    out = bytearray(size)
    for k in range(n):
        ch = text[n - k - 1]
        d = _NIX_INDEX.get(ch)
        if d is None:
            raise ValueError(f"invalid nix-base32 character: {ch!r}")
        b = k * 5
        i, j = divmod(b, 8)
        # a digit whose bits fall past the last byte means the text is not
        # the encoding of any byte string (Nix rejects it too)
        if i >= size:
            if d:
                raise ValueError("invalid nix-base32 string: excess bits")
            continue
        out[i] |= (d << j) & 0xFF
        if i + 1 < size:
            out[i + 1] |= d >> (8 - j)
        elif d >> (8 - j):
            raise ValueError("invalid nix-base32 string: excess bits")
    return out


def rfc_base32_encode(data: bytes | bytearray) -> str:
    """RFC 4648 base32 without padding, lower case (Guix's ``bytevector->base32-string``)."""
    bits = 0
    nbits = 0
    out = []
    for byte in data:
        bits = (bits << 8) | byte
        nbits += 8
        while nbits >= 5:
            nbits -= 5
            out.append(RFC_ALPHABET[(bits >> nbits) & 0x1F])
    if nbits:
        out.append(RFC_ALPHABET[(bits << (5 - nbits)) & 0x1F])
    return "".join(out)


def rfc_base32_decode(text: str) -> bytearray:
    """Inverse of :func:`rfc_base32_encode`."""
    bits = 0
    nbits = 0
    out = bytearray()
    for ch in text:
        d = _RFC_INDEX.get(ch)
        if d is None:
            raise ValueError(f"invalid base32 character: {ch!r}")
        bits = (bits << 5) | d
        nbits += 5
        if nbits >= 8:
            nbits -= 8
            out.append((bits >> nbits) & 0xFF)
    return out


# ------------------------------------------------------------ Scheme face

def _decoder(who: str, fn: Any) -> Any:
    def decode(text: Any) -> bytearray:
        if type(text) is not str:
            raise wrong_type(who, 1, "string", text)
        try:
            return fn(text)
        except ValueError as e:
            raise SchemeError(Condition(
                "misc-error", "~A: ~S", who=who, args=[str(e), text], irritants=[text],
                hint="a Guix sha256 is 52 characters of 0-9 and a-z without e, o, t, u"))\
                from None
    decode.scm_name = who  # type: ignore[attr-defined]
    decode.scm_params = "(str)"  # type: ignore[attr-defined]
    return decode


def _encoder(who: str, fn: Any) -> Any:
    def encode(bv: Any) -> str:
        if type(bv) is not bytearray:
            raise wrong_type(who, 1, "bytevector", bv)
        return fn(bv)
    encode.scm_name = who  # type: ignore[attr-defined]
    encode.scm_params = "(bv)"  # type: ignore[attr-defined]
    return encode


#: the procedures of ``(guix base32)``, by Scheme name
PROCEDURES: dict[str, Any] = {
    "nix-base32-string->bytevector": _decoder("nix-base32-string->bytevector",
                                              nix_base32_decode),
    "bytevector->nix-base32-string": _encoder("bytevector->nix-base32-string",
                                              nix_base32_encode),
    "base32-string->bytevector": _decoder("base32-string->bytevector", rfc_base32_decode),
    "bytevector->base32-string": _encoder("bytevector->base32-string", rfc_base32_encode),
}


def install(interp: Any, m: Any) -> None:
    """Fill the ``(guix base32)`` module."""
    from schemos.runtime.chars_strings import string_to_char_set

    for name, fn in PROCEDURES.items():
        m.define(name, fn)
        m.exports.add(Symbol(name))
    m.define("nix-base32-charset", string_to_char_set(NIX_ALPHABET))
    m.exports.add(Symbol("nix-base32-charset"))


def register() -> None:
    """Register ``(guix base32)``."""
    from schemos.modsys import register_module

    register_module("guix base32", install)


register()
