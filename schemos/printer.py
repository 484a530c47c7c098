"""The external representation of Scheme data, as Guile 3 ``write``/``display`` print it.

The rules follow Guile's ``libguile/print.c`` (symbols, characters, strings),
``libguile/ports.c`` (string escapes) and ``libguile/numbers.c`` (numbers),
with the default print options (``escape-newlines`` on, ``r7rs-symbols``
off, ``quote-keywordish-symbols`` as the reader's ``keywords`` option, which
is off).  Where Guile's output would not read back as the same datum with
:mod:`schemos.reader` the printer deviates, and says so below.

The printer is iterative: neither a list of a million elements nor one
nested a hundred thousand deep in its car exhausts the Python stack.
"""

from __future__ import annotations

import math
import unicodedata
from fractions import Fraction
from functools import lru_cache
from typing import Any

from schemos.datum import (
    DEFAULT,
    EOF,
    NIL,
    UNDEFINED,
    UNSPECIFIED,
    Char,
    Keyword,
    Pair,
    Symbol,
    UninternedSymbol,
    Values,
)

__all__ = [
    "write_string",
    "display_string",
    "number_to_string",
    "symbol_to_string",
    "char_name",
    "CHAR_NAMES",
]

# ----------------------------------------------------------------- numbers


def _int_str(n: int) -> str:
    # str() of an int above ~4300 digits raises ValueError in Python 3.11
    # (the int/str conversion limit), so big numbers are split.
    if n < 0:
        return "-" + _int_str(-n)
    if n.bit_length() <= 13000:
        return str(n)
    k = int(n.bit_length() * 0.30102999566398120) // 2
    hi, lo = divmod(n, 10**k)
    return _int_str(hi) + _int_str(lo).rjust(k, "0")


def _float_str(x: float) -> str:
    """Guile's ``idbl2str`` for radix 10.

    Guile prints the shortest digit string that reads back as ``x``
    (Burger & Dybvig free-format), which is what Python's ``repr`` gives;
    only the placement of the point and the exponent differ.
    """
    if x != x:
        return "+nan.0"
    if x == math.inf:
        return "+inf.0"
    if x == -math.inf:
        return "-inf.0"
    if x == 0.0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    sign = "-" if x < 0 else ""
    mant, _, exp = repr(abs(x)).partition("e")
    ip, _, fp = mant.partition(".")
    digits = ip + fp
    # the value is 0.DIGITS * 10**k
    k = len(ip) + (int(exp) if exp else 0)
    stripped = digits.lstrip("0")
    k -= len(digits) - len(stripped)
    digits = stripped.rstrip("0") or "0"
    n = len(digits)
    expon = k - 1
    if k <= 0:
        if k <= -3:
            return f"{sign}{digits[0]}.{digits[1:] or '0'}e{expon}"
        return f"{sign}0.{'0' * -k}{digits}"
    if n >= k:
        return f"{sign}{digits[:k]}.{digits[k:] or '0'}"
    zeros = k - n
    # Guile switches to scientific notation rather than print more than
    # three zeros before the point of a number of 8 or more digits.
    if expon >= 7 and zeros >= 4 and expon >= zeros:
        return f"{sign}{digits[0]}.{digits[1:] or '0'}e{expon}"
    return f"{sign}{digits}{'0' * zeros}.0"


def number_to_string(x: Any, radix: int = 10) -> str:
    """``number->string``: the representation of number ``x`` in ``radix``.

    Inexact numbers are always printed in radix 10 (as Guile does for
    ``write``; Guile's ``number->string`` can print them in other radixes,
    which schemos does not support).
    """
    t = type(x)
    if t is int:
        if radix == 10:
            return _int_str(x)
        return _int_to_radix(x, radix)
    if t is Fraction:
        return f"{number_to_string(x.numerator, radix)}/{number_to_string(x.denominator, radix)}"
    if t is float:
        return _float_str(x)
    if t is complex:
        re_s = _float_str(x.real)
        im = x.imag
        plus = "+" if math.copysign(1.0, im) >= 0 and math.isfinite(im) else ""
        return f"{re_s}{plus}{_float_str(im)}i"
    raise TypeError(f"not a number: {x!r}")


_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _int_to_radix(n: int, radix: int) -> str:
    if not 2 <= radix <= 36:
        raise ValueError(f"radix out of range: {radix}")
    if n < 0:
        return "-" + _int_to_radix(-n, radix)
    if radix == 16:
        return format(n, "x")
    if radix == 8:
        return format(n, "o")
    if radix == 2:
        return format(n, "b")
    if n == 0:
        return "0"
    out = []
    while n:
        n, d = divmod(n, radix)
        out.append(_DIGITS36[d])
    return "".join(reversed(out))


# ------------------------------------------------------------- characters

#: Guile's names for characters, in the order ``scm_i_charname`` looks them up
#: when printing (R5RS, R6RS, R7RS, then the C0 control abbreviations).
CHAR_NAMES: dict[int, str] = {}
for _cp, _name in [
    (0x20, "space"), (0x0A, "newline"),
    (0x00, "nul"), (0x07, "alarm"), (0x08, "backspace"), (0x09, "tab"),
    (0x0A, "linefeed"), (0x0B, "vtab"), (0x0C, "page"), (0x0D, "return"),
    (0x1B, "esc"), (0x7F, "delete"),
    (0x1B, "escape"),
    *enumerate(
        "nul soh stx etx eot enq ack bel bs ht lf vt ff cr so si dle dc1 dc2 dc3"
        " dc4 nak syn etb can em sub esc fs gs rs us sp".split()
    ),
    (0x7F, "del"),
]:
    CHAR_NAMES.setdefault(_cp, _name)
del _cp, _name

# Unicode general categories (first letter) that Guile prints as themselves
_GRAPHIC = frozenset("LMNPS")
_DOTTED_CIRCLE = "\u25cc"


def char_name(cp: int) -> str:
    """What ``write`` prints after ``#\\`` for the character with code point ``cp``."""
    ch = chr(cp)
    if cp < 0x80:
        # fast path; ASCII has no combining characters
        if 0x21 <= cp < 0x7F:
            return ch
    elif unicodedata.combining(ch):
        # shown over a dotted circle so that it does not combine with "\"
        return _DOTTED_CIRCLE + ch
    elif unicodedata.category(ch)[0] in _GRAPHIC:
        return ch
    name = CHAR_NAMES.get(cp)
    if name is not None:
        return name
    return format(cp, "o")


# ---------------------------------------------------------------- strings

_STRING_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
}


def _escape_char(c: str) -> str:
    e = _STRING_ESCAPES.get(c)
    if e is not None:
        return e
    if c == " ":
        return c
    cp = ord(c)
    if cp >= 0x80 and unicodedata.category(c)[0] in _GRAPHIC:
        return c
    # Guile 3 (print.c write_string / ports.c encode_escape_sequence,
    # r6rs-hex-escapes off): other characters become \xHH with exactly two
    # hex digits and no ";" (which is what the reader's \x takes),
    # \uHHHH, or \UHHHHHH.
    if cp <= 0xFF:
        return f"\\x{cp:02x}"
    if cp <= 0xFFFF:
        return f"\\u{cp:04x}"
    return f"\\U{cp:06x}"


def _needs_escape(s: str) -> bool:
    if s.isascii():
        return not s.isprintable() or '"' in s or "\\" in s
    return True


def _write_str(s: str) -> str:
    if not _needs_escape(s):
        return f'"{s}"'
    out = ['"']
    for c in s:
        if " " <= c <= "~" and c != '"' and c != "\\":
            out.append(c)
        else:
            out.append(_escape_char(c))
    out.append('"')
    return "".join(out)


# ---------------------------------------------------------------- symbols

_INITIAL_CATEGORIES = frozenset(
    "Lu Ll Lt Lm Lo Mn Nl No Pd Pc Po Sc Sm Sk So Co".split()
)
_SUBSEQUENT_CATEGORIES = _INITIAL_CATEGORIES | {"Nd", "Mc", "Me"}
# ASCII characters allowed after the first one of a plain symbol
_ASCII_SUBSEQUENT = frozenset(
    c for c in map(chr, range(0x21, 0x7F))
    if unicodedata.category(c) in _SUBSEQUENT_CATEGORIES and c not in '";#'
)
_ASCII_INITIAL = frozenset(
    c for c in _ASCII_SUBSEQUENT
    if unicodedata.category(c) in _INITIAL_CATEGORIES and c not in "'`,|"
)


def _has_extended_read_syntax(name: str) -> bool:
    """Guile's ``symbol_has_extended_read_syntax``: must ``name`` be written ``#{...}#``?

    Two deviations keep ``read (write x)`` the identity: a leading ``|``
    needs quoting because schemos reads ``|...|`` symbols, and Guile's
    early exit for symbols starting or ending with ``:`` (which would let
    ``#{: a}#`` print as ``: a``) is not copied.
    """
    if not name:
        return True
    c = name[0]
    if c in "+-.0123456789":
        if name == ".":
            return True
        from schemos.reader import parse_number

        try:
            if parse_number(name) is not None:
                return True
        except Exception:
            # an out-of-range exponent: Guile's string->number would throw,
            # and the reader cannot read it as a symbol either
            return True
    if name.isascii():
        if c not in _ASCII_INITIAL:
            return True
        for ch in name:
            if ch not in _ASCII_SUBSEQUENT:
                return True
        return False
    if c in "'`,|\"#;" or unicodedata.category(c) not in _INITIAL_CATEGORIES:
        return True
    for ch in name[1:]:
        if ch in '";#' or unicodedata.category(ch) not in _SUBSEQUENT_CATEGORIES:
            return True
    return False


def _extended_symbol(name: str) -> str:
    out = ["#{"]
    for ch in name:
        # Guile prints "\" as is, which its reader then takes for an
        # escape; schemos escapes it so that the symbol reads back.
        if ch != "\\" and (
            ch == " " or unicodedata.category(ch) in _SUBSEQUENT_CATEGORIES
            or unicodedata.category(ch) == "Zs"
        ):
            out.append(ch)
        else:
            out.append(f"\\x{ord(ch):x};")
    out.append("}#")
    return "".join(out)


@lru_cache(maxsize=8192)
def symbol_to_string(name: str) -> str:
    """How ``write`` (and ``display``) print the symbol called ``name``."""
    if _has_extended_read_syntax(name):
        return _extended_symbol(name)
    return name


# --------------------------------------------------------------- printing


class _ListRest:
    """The part of a list still to print (after its first element)."""

    __slots__ = ("rest",)

    def __init__(self, rest: Any) -> None:
        self.rest = rest


class _VectorRest:
    __slots__ = ("vec", "i")

    def __init__(self, vec: list[Any], i: int) -> None:
        self.vec = vec
        self.i = i


class _Text:
    __slots__ = ("s",)

    def __init__(self, s: str) -> None:
        self.s = s


_CLOSE = _Text(")")


def _procedure_string(obj: Any) -> str:
    name = getattr(obj, "scm_name", None)
    if name is None and hasattr(obj, "__code__"):
        # a procedure compiled from Scheme: its name and parameters are in its code
        from schemos.runtime.procinfo import procedure_repr

        return procedure_repr(obj)
    if name is None:
        return f"#<procedure {id(obj):x}>"
    if not isinstance(name, str):
        name = write_string(name)
    params = getattr(obj, "scm_params", None)
    if params is None:
        return f"#<procedure {name}>"
    if isinstance(params, str):
        if not params.startswith("("):
            params = f"({params})"
    else:
        params = write_string(params)
    return f"#<procedure {name} {params}>"


def _atom(x: Any, write: bool) -> str | None:
    """The printed form of ``x`` if it is not a pair or vector, else ``None``."""
    t = type(x)
    if t is Symbol:
        return symbol_to_string(x.name)
    if t is str:
        return _write_str(x) if write else x
    if t is int:
        return _int_str(x)
    if t is bool:
        return "#t" if x else "#f"
    if t is Pair or t is list:
        return None
    if x is NIL:
        return "()"
    if t is Keyword:
        return "#:" + symbol_to_string(x.name)
    if t is Char:
        if write:
            return "#\\" + char_name(x.cp)
        return chr(x.cp)
    if t is float or t is Fraction or t is complex:
        return number_to_string(x)
    if x is UNSPECIFIED or x is DEFAULT:
        return "#<unspecified>"
    if x is EOF:
        return "#<eof>"
    if x is UNDEFINED:
        return "#<undefined>"
    if t is bytearray or t is bytes:
        return "#vu8(" + " ".join(map(str, x)) + ")"
    sw = getattr(x, "scm_write", None)
    if sw is not None:
        return sw(write)
    if t is Values:
        return " ".join(_to_string(v, write) for v in x.vals)
    if t is UninternedSymbol:
        return f"#<uninterned-symbol {symbol_to_string(x.name)} {id(x):x}>"
    if callable(x):
        return _procedure_string(x)
    return f"#<python {t.__name__} {x!r}>"


def _to_string(obj: Any, write: bool) -> str:
    s = _atom(obj, write)
    if s is not None:
        return s
    out: list[str] = []
    append = out.append
    stack: list[Any] = [obj]
    pop = stack.pop
    push = stack.append
    while stack:
        x = pop()
        t = type(x)
        if t is _ListRest:
            p = x.rest
            while type(p) is Pair:
                e = p.car
                p = p.cdr
                s = _atom(e, write)
                append(" ")
                if s is None:
                    # suspend this list until the nested element is printed
                    x.rest = p
                    push(x)
                    push(e)
                    break
                append(s)
            else:
                if p is NIL:
                    append(")")
                else:
                    append(" . ")
                    push(_CLOSE)
                    push(p)
        elif t is _VectorRest:
            vec = x.vec
            i = x.i
            n = len(vec)
            while i < n:
                e = vec[i]
                i += 1
                s = _atom(e, write)
                append(" ")
                if s is None:
                    x.i = i
                    push(x)
                    push(e)
                    break
                append(s)
            else:
                append(")")
        elif t is Pair:
            append("(")
            push(_ListRest(x.cdr))
            e = x.car
            s = _atom(e, write)
            if s is None:
                push(e)
            else:
                append(s)
        elif t is list:
            if not x:
                append("#()")
                continue
            append("#(")
            push(_VectorRest(x, 1))
            e = x[0]
            s = _atom(e, write)
            if s is None:
                push(e)
            else:
                append(s)
        elif t is _Text:
            append(x.s)
        else:
            s = _atom(x, write)
            append(s if s is not None else "")
    return "".join(out)


def write_string(obj: Any) -> str:
    """The text ``(write obj)`` prints in Guile 3."""
    return _to_string(obj, True)


def display_string(obj: Any) -> str:
    """The text ``(display obj)`` prints: strings and characters appear raw.

    Everything else prints as with :func:`write_string`, including symbols
    (Guile's ``display`` of ``(string->symbol "a b")`` also shows ``#{a b}#``).
    """
    return _to_string(obj, False)
