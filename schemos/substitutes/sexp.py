"""libgcrypt's S-expressions, in which Guix writes keys, signatures and its ACL.

An S-expression is a list of lists and atoms; an atom is a byte string.
libgcrypt reads several notations for an atom — a token (``rfc6979``), a
``"quoted string"`` with C escapes, ``#hex#``, ``|base64|`` and the canonical
``3:foo`` (a decimal length, a colon and that many raw bytes) — and writes
two: the *canonical* form (``(3:foo3:bar)``, no spaces) and the *advanced*
form Guix uses for files and signatures, which :func:`to_advanced` reproduces
byte for byte (libgcrypt's ``gcry_sexp_sprint`` with
``GCRYSEXP_FMT_ADVANCED``; the first two lines end with a space)::

    (public-key
     (ecc
      (curve Ed25519)
      (q #8D156F295D24B0D9A86FA5741A840FF2D24F60F7B6C4134814AD55625971B394#)
      )
     )

In Python an S-expression is a ``list`` whose elements are ``bytes`` or
lists.  Parse errors are ``sexp-error`` conditions.
"""

from __future__ import annotations

import base64
import binascii
from typing import Union

from schemos.substitutes import substitute_error

#: an S-expression: a list of atoms (bytes) and lists
Sexp = list[Union[bytes, "Sexp"]]

#: the characters besides letters and digits a token may hold (libgcrypt's TOKEN_SPECIALS)
TOKEN_SPECIALS = b"-./_:*+="
_WHITESPACE = b" \t\v\f\r\n"
_ESCAPES = {ord("b"): 8, ord("t"): 9, ord("v"): 11, ord("n"): 10, ord("f"): 12,
            ord("r"): 13, ord('"'): 34, ord("'"): 39, ord("\\"): 92}
_UNESCAPES = {v: b"\\" + bytes([k]) for k, v in _ESCAPES.items()}
#: deeper nesting than this is refused (Guix's S-expressions are 5 levels deep)
MAX_DEPTH = 64


def _alpha(c: int) -> bool:
    return 65 <= c <= 90 or 97 <= c <= 122


def _digit(c: int) -> bool:
    return 48 <= c <= 57


def _token_char(c: int) -> bool:
    return _alpha(c) or _digit(c) or c in TOKEN_SPECIALS


class _Reader:
    def __init__(self, data: bytes, filename: str | None = None) -> None:
        self.data = data
        self.i = 0
        self.filename = filename

    def error(self, message: str) -> Exception:
        if self.filename is None:
            return substitute_error("sexp-error", f"invalid S-expression at byte {self.i}: "
                                    f"{message}")
        from schemos.datum import SourceLoc

        before = self.data[:self.i]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace"))
        return substitute_error("sexp-error", f"invalid S-expression: {message}",
                                loc=SourceLoc(self.filename, line, col))

    def skip_ws(self) -> None:
        d, i = self.data, self.i
        while i < len(d) and d[i] in _WHITESPACE:
            i += 1
        self.i = i

    def parse(self) -> Sexp:
        self.skip_ws()
        if self.i >= len(self.data) or self.data[self.i] != ord("("):
            raise self.error("expected '('")
        stack: list[Sexp] = []
        result: Sexp | None = None
        d = self.data
        while True:
            self.skip_ws()
            if self.i >= len(d):
                raise self.error("unexpected end (unbalanced parentheses)")
            c = d[self.i]
            if c == ord("("):
                if len(stack) >= MAX_DEPTH:
                    raise self.error("nested too deeply")
                new: Sexp = []
                if stack:
                    stack[-1].append(new)
                stack.append(new)
                self.i += 1
            elif c == ord(")"):
                self.i += 1
                done = stack.pop()
                if not stack:
                    result = done
                    break
            elif not stack:
                raise self.error("atom outside a list")
            else:
                stack[-1].append(self.atom())
        self.skip_ws()
        if self.i != len(d):
            raise self.error("data after the end of the S-expression")
        return result

    def atom(self) -> bytes:
        d = self.data
        c = d[self.i]
        length: int | None = None
        if _digit(c):
            start = self.i
            while self.i < len(d) and _digit(d[self.i]):
                self.i += 1
            if self.i - start > 9:
                raise self.error("length prefix too long")
            length = int(d[start:self.i])
            if self.i >= len(d):
                raise self.error("unexpected end after a length")
            c = d[self.i]
            if c == ord(":"):
                self.i += 1
                end = self.i + length
                if end > len(d):
                    raise self.error(f"{length}-byte atom runs past the end")
                data = d[self.i:end]
                self.i = end
                return data
            if c not in b'"#|':
                raise self.error("a length must be followed by ':', '\"', '#' or '|'")
        if c == ord('"'):
            data = self.quoted()
        elif c == ord("#"):
            data = self.hexadecimal()
        elif c == ord("|"):
            data = self.base64()
        elif c == ord("["):
            raise self.error("display hints are not supported")
        elif _token_char(c) and not _digit(c):
            start = self.i
            while self.i < len(d) and _token_char(d[self.i]):
                self.i += 1
            data = d[start:self.i]
        else:
            raise self.error(f"unexpected character {chr(c)!r}")
        if length is not None and length != len(data):
            raise self.error(f"atom has {len(data)} bytes, its prefix says {length}")
        return data

    def quoted(self) -> bytes:
        d = self.data
        self.i += 1
        out = bytearray()
        while True:
            if self.i >= len(d):
                raise self.error("unterminated string")
            c = d[self.i]
            self.i += 1
            if c == ord('"'):
                return bytes(out)
            if c != ord("\\"):
                out.append(c)
                continue
            if self.i >= len(d):
                raise self.error("unterminated string")
            e = d[self.i]
            self.i += 1
            if e in _ESCAPES:
                out.append(_ESCAPES[e])
            elif e == ord("x"):
                h = d[self.i:self.i + 2]
                try:
                    out.append(int(h, 16))
                except ValueError:
                    raise self.error("bad \\x escape") from None
                if len(h) != 2:
                    raise self.error("bad \\x escape")
                self.i += 2
            elif 48 <= e <= 55:
                o = d[self.i - 1:self.i + 2]
                if len(o) != 3 or not all(48 <= x <= 55 for x in o):
                    raise self.error("bad octal escape")
                out.append(int(o, 8) & 0xFF)
                self.i += 2
            elif e == ord("\n"):
                if self.i < len(d) and d[self.i] == ord("\r"):
                    self.i += 1
            elif e == ord("\r"):
                if self.i < len(d) and d[self.i] == ord("\n"):
                    self.i += 1
            else:
                raise self.error(f"bad escape \\{chr(e)}")

    def hexadecimal(self) -> bytes:
        d = self.data
        end = d.find(b"#", self.i + 1)
        if end < 0:
            raise self.error("unterminated #hex# atom")
        digits = bytes(c for c in d[self.i + 1:end] if c not in _WHITESPACE)
        if len(digits) % 2:
            raise self.error("odd number of hex digits")
        try:
            data = bytes.fromhex(digits.decode("ascii"))
        except (ValueError, UnicodeDecodeError):
            raise self.error("bad hex digit") from None
        self.i = end + 1
        return data

    def base64(self) -> bytes:
        d = self.data
        end = d.find(b"|", self.i + 1)
        if end < 0:
            raise self.error("unterminated |base64| atom")
        text = bytes(c for c in d[self.i + 1:end] if c not in _WHITESPACE)
        try:
            data = base64.b64decode(text, validate=True)
        except binascii.Error:
            raise self.error("bad base64") from None
        self.i = end + 1
        return data


def parse(text: str | bytes, filename: str | None = None) -> Sexp:
    """Parse one S-expression in any notation libgcrypt reads.

    With ``filename``, an error is located in that file (line and column)
    rather than at a byte offset.
    """
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    return _Reader(data, filename).parse()


def _suitable_encoding(atom: bytes) -> int:
    """libgcrypt's choice for an atom: 0 hex, 1 quoted string, 2 token."""
    if not atom:
        return 1
    if atom[0] & 0x80 or atom[0] == 0:
        return 0
    maybe_token = True
    for c in atom:
        if (c < 0x20 or 0x7F <= c <= 0xA0) and c not in b"\b\t\v\n\f\r\"'\\":
            return 0
        if maybe_token and not _token_char(c):
            maybe_token = False
    if maybe_token and not _digit(atom[0]):
        return 2
    return 1


def _string(atom: bytes) -> bytes:
    out = bytearray(b'"')
    for c in atom:
        esc = _UNESCAPES.get(c)
        if esc is not None:
            out += esc
        elif c < 0x20 or 0x7F <= c <= 0xA0:
            out += b"\\x%02x" % c
        else:
            out.append(c)
    out += b'"'
    return bytes(out)


def atom_advanced(atom: bytes) -> bytes:
    """How libgcrypt's advanced format writes ``atom``."""
    kind = _suitable_encoding(atom)
    if kind == 2:
        return atom
    if kind == 1:
        return _string(atom)
    return b"#" + atom.hex().upper().encode() + b"#"


def to_advanced(sexp: Sexp) -> str:
    """``sexp`` in libgcrypt's advanced format, exactly as Guix writes it.

    Every list but the outermost starts on a new line indented by its depth;
    an atom is followed by a space unless a ``)`` comes next; after a list,
    anything but another list goes on a new line indented like that list;
    a newline ends it all.
    """
    out = bytearray()

    def walk(x: Sexp, indent: int) -> None:
        if indent:
            out.extend(b"\n" + b" " * indent)
        out.extend(b"(")
        n = len(x)
        for i, item in enumerate(x):
            last = i == n - 1
            if isinstance(item, list):
                walk(item, indent + 1)
                # after a list, anything but another list starts a new line
                # indented as that list was
                if last or not isinstance(x[i + 1], list):
                    out.extend(b"\n" + b" " * (indent + 1))
            else:
                out.extend(atom_advanced(item))
                if not last:
                    out.extend(b" ")
        out.extend(b")")

    walk(sexp, 0)
    out.extend(b"\n")
    return out.decode("latin-1")


def to_canonical(sexp: Sexp) -> bytes:
    """``sexp`` in canonical form: ``(3:foo(3:bar))``."""
    out = bytearray()

    def walk(x: Sexp) -> None:
        out.extend(b"(")
        for item in x:
            if isinstance(item, list):
                walk(item)
            else:
                out.extend(b"%d:" % len(item))
                out.extend(item)
        out.extend(b")")

    walk(sexp)
    return bytes(out)


def find_token(sexp: Sexp, name: bytes) -> Sexp | None:
    """The first list (depth first, this one included) whose head is the atom ``name``.

    This is libgcrypt's ``gcry_sexp_find_token``.
    """
    stack = [sexp]
    while stack:
        x = stack.pop()
        if x and x[0] == name:
            return x
        stack.extend(reversed([y for y in x if isinstance(y, list)]))
    return None


def value(sexp: Sexp, name: bytes) -> bytes | None:
    """The atom after ``name`` in the list found by :func:`find_token`, if any."""
    x = find_token(sexp, name)
    if x is None or len(x) < 2 or isinstance(x[1], list):
        return None
    return x[1]


def to_python(sexp: Sexp | bytes) -> object:
    """Nested tuples of bytes: a hashable, comparable form (Guix compares keys so)."""
    if isinstance(sexp, list):
        return tuple(to_python(x) for x in sexp)
    return bytes(sexp)
