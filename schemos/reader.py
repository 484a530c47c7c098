"""The Scheme reader: text to datums, as Guile 3.0's ``read`` does it.

The grammar is ``grammar/scheme.lark``, parsed by Lark's LALR parser.  This
module scans the text itself with one regular expression built from the
grammar's terminals (Lark's basic lexer would try them in the same order,
but its per-token bookkeeping costs a third of the reading time) and feeds
the tokens to the parser.  The scanning loop also handles what is beyond a
context-free token grammar or needs Guile's error messages:

* nested ``#| ... |#`` comments (scanned by hand when the grammar's
  non-nesting ``BLOCK_COMMENT`` does not match),
* a lone ``.`` is the dotted-pair marker only directly inside a list and
  not right after a prefix (``'.`` and ``#; .`` read the symbol ``.``),
* ``read`` on a port stops right after one datum,
* ``#!fold-case`` / ``#!no-fold-case``,
* unbalanced input gets Guile's messages, located at the offending text.

Each token's datum (number, symbol, string, character...) is computed
here as the token is lexed, so errors come out in text order; the parser
only assembles lists, vectors and prefixed forms.

Guile behaviour kept on purpose (see ``ice-9/read.scm``): ``\\xHH`` in a
string takes exactly two hex digits (``"\\x41;"`` is ``A;``), ``\\U`` takes
six; a backslash-newline in a string skips only the newline
(``hungry-eol-escapes`` is off by default); ``#t``/``#f`` need no delimiter
(``#t1`` is ``#t`` then ``1``); ``1+`` and ``1/0`` are symbols; ``( . x)``
reads as ``x``; ``#{...}#`` symbols; ``#u8(`` is a bytevector.  Beyond
Guile's defaults: R7RS ``|odd symbol|`` syntax and ``#\\U+41``.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any

from schemos.datum import EOF, NIL, Char, Keyword, Pair, SourceLoc, Symbol, from_list
from schemos.errors import Condition, SchemeError, read_error

__all__ = [
    "read_all",
    "read_one",
    "read_datum",
    "Reader",
    "is_complete",
    "parse_number",
    "char_by_name",
    "format_source_error",
]


# ------------------------------------------------------------------ errors


class _Failure(Exception):
    """A read error before it becomes a :class:`SchemeError`.

    ``incomplete`` marks errors that more input could cure (an unclosed
    paren or string...), which is what :func:`is_complete` asks about.
    """

    def __init__(self, message: str, loc: SourceLoc | None, hint: str | None = None,
                 incomplete: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.hint = hint
        self.incomplete = incomplete

    def to_scheme(self) -> SchemeError:
        return read_error(self.message, self.loc, hint=self.hint)


class _Tok:
    """A token as the parser sees it (Lark only needs ``type``).

    ``value`` is the datum of a self-evaluating token, computed as it is
    lexed; ``line`` is 1-based and ``col`` 0-based, as in :class:`SourceLoc`.
    """

    __slots__ = ("type", "text", "value", "pos", "line", "col")

    def __init__(self, type_: str, text: str, pos: int, line: int, col: int) -> None:
        self.type = type_
        self.text = text
        self.value: Any = None
        self.pos = pos
        self.line = line
        self.col = col

    def __repr__(self) -> str:
        return f"<{self.type} {self.text!r} at {self.line}:{self.col}>"


def _token_loc(tok: _Tok, filename: str | None) -> SourceLoc:
    return SourceLoc(filename, tok.line, tok.col)


def _offset_loc(tok: _Tok, offset: int, filename: str | None) -> SourceLoc:
    """The location of character ``offset`` of token ``tok`` (which may span lines)."""
    text = tok.text
    nl = text.rfind("\n", 0, offset)
    if nl < 0:
        return SourceLoc(filename, tok.line, tok.col + offset)
    return SourceLoc(filename, tok.line + text.count("\n", 0, offset), offset - nl - 1)


def _at(loc: SourceLoc) -> str:
    return f"{loc.line}:{loc.col}"


def _write(x: Any) -> str:
    from schemos.printer import write_string

    return write_string(x)


# ----------------------------------------------------------------- numbers


class _RangeError(Exception):
    """An exponent beyond what Guile's ``string->number`` accepts."""

    def __init__(self, exponent: int) -> None:
        super().__init__(exponent)
        self.exponent = exponent


_SCM_MAXEXP = 308  # DBL_MAX_10_EXP; negative exponents may go DBL_DIG + 1 further
_SIMPLE_INT = re.compile(r"[+-]?[0-9]+\Z")
_SIMPLE_DEC = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,2})?\Z")


def _digits_to_int(d: str, radix: int) -> int:
    # int() refuses decimal strings over 4300 digits (CVE-2020-10735 limit)
    if radix != 10 or len(d) <= 4000:
        return int(d, radix)
    h = len(d) // 2
    return _digits_to_int(d[:h], 10) * 10 ** (len(d) - h) + _digits_to_int(d[h:], 10)


def _to_inexact(v: Any) -> float:
    if type(v) is float:
        return v
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf


def _digit_value(c: str) -> int:
    if "0" <= c <= "9":
        return ord(c) - 48
    c = c.lower()
    if "a" <= c <= "z":
        return ord(c) - 87
    return 99


def _uinteger(s: str, idx: int, radix: int) -> tuple[int, int, bool] | None:
    """Guile's ``mem2uinteger``: digits, then optional ``#`` marks (read as 0)."""
    n = len(s)
    if idx == n or _digit_value(s[idx]) >= radix:
        return None
    start = idx
    idx += 1
    while idx < n and _digit_value(s[idx]) < radix:
        idx += 1
    digits = s[start:idx]
    hashes = 0
    while idx < n and s[idx] == "#":
        idx += 1
        hashes += 1
    value = _digits_to_int(digits, radix)
    if hashes:
        value *= radix**hashes
    return value, idx, hashes > 0


def _decimal_from_point(result: Any, s: str, idx: int,
                        inexact: bool) -> tuple[Any, int, bool] | None:
    """Guile's ``mem2decimal_from_point``: fraction digits and exponent, exactly."""
    n = len(s)
    if idx == n:
        return result, idx, inexact
    if s[idx] == ".":
        idx += 1
        start = idx
        while idx < n and ("0" <= s[idx] <= "9" or s[idx] == "#"):
            if s[idx] != "#" and inexact:
                return None
            if s[idx] == "#":
                inexact = True
            idx += 1
        frac = s[start:idx].replace("#", "0")
        if frac:
            result = result + Fraction(_digits_to_int(frac, 10), 10 ** len(frac))
        inexact = True
    if idx < n and s[idx] in "dDeEfFlLsS":
        idx += 1
        if idx == n:
            return None
        sign = 1
        if s[idx] in "+-":
            sign = -1 if s[idx] == "-" else 1
            idx += 1
            if idx == n:
                return None
        start = idx
        while idx < n and "0" <= s[idx] <= "9":
            idx += 1
        if idx == start:
            return None
        digits = s[start:idx].lstrip("0") or "0"
        exponent = int(digits) if len(digits) < 10 else 10**9
        if exponent > (_SCM_MAXEXP if sign == 1 else _SCM_MAXEXP + 16):
            raise _RangeError(exponent * sign)
        result = result * 10**exponent if sign == 1 else Fraction(result) / 10**exponent
        inexact = True
    return result, idx, inexact


def _ureal(s: str, idx: int, radix: int, forced: str | None,
           allow_inf_nan: bool) -> tuple[Any, int] | None:
    """Guile's ``mem2ureal``."""
    n = len(s)
    if idx == n:
        return None
    if allow_inf_nan and forced != "e" and idx + 5 <= n:
        head = s[idx:idx + 4].lower()
        if head == "inf." and s[idx + 4] == "0":
            return math.inf, idx + 5
        if head == "nan.":
            u = _uinteger(s, idx + 4, 10)
            if u is None or u[0] != 0:
                return None
            return math.nan, u[1]
    inexact = False
    if s[idx] == ".":
        if radix != 10 or idx + 1 == n or not "0" <= s[idx + 1] <= "9":
            return None
        r = _decimal_from_point(0, s, idx, False)
        if r is None:
            return None
        result, idx, inexact = r
    else:
        u = _uinteger(s, idx, radix)
        if u is None:
            return None
        result, idx, inexact = u
        if idx < n and s[idx] == "/":
            idx += 1
            if idx == n:
                return None
            d = _uinteger(s, idx, radix)
            if d is None or d[0] == 0:
                return None
            idx = d[1]
            inexact = inexact or d[2]
            result = Fraction(result, d[0])
        elif radix == 10:
            r = _decimal_from_point(result, s, idx, inexact)
            if r is None:
                return None
            result, idx, inexact = r
    if forced == "i" or (forced is None and inexact):
        return _to_inexact(result), idx
    if type(result) is Fraction and result.denominator == 1:
        result = result.numerator
    return result, idx


def _is_nan(x: Any) -> bool:
    return type(x) is float and x != x


def _rectangular(re_part: Any, im: Any) -> Any:
    if type(im) is int and im == 0:
        return re_part
    return complex(_to_inexact(re_part), _to_inexact(im))


def _polar(mag: Any, angle: Any) -> Any:
    if type(angle) is int and angle == 0:
        return mag
    m = _to_inexact(mag)
    a = _to_inexact(angle)
    if not math.isfinite(a):
        # C's sin and cos give NaN here where Python's raise
        return complex(math.nan, math.nan)
    return complex(m * math.cos(a), m * math.sin(a))


def _complex(s: str, idx: int, radix: int, forced: str | None) -> Any:
    """Guile's ``mem2complex``; ``None`` when ``s`` is not a number."""
    n = len(s)
    if idx == n:
        return None
    sign = 0
    if s[idx] == "+":
        sign = 1
        idx += 1
    elif s[idx] == "-":
        sign = -1
        idx += 1
    if idx == n:
        return None
    r = _ureal(s, idx, radix, forced, sign != 0)
    if r is None:
        # only +i and -i remain
        if sign and s[idx] in "iI" and idx + 1 == n:
            return _rectangular(0, sign)
        return None
    ureal, idx = r
    if sign == -1 and not _is_nan(ureal):
        ureal = -ureal
    if idx == n:
        return ureal
    c = s[idx]
    if c in "iI":
        if sign == 0 or idx + 1 != n:
            return None
        return _rectangular(0, ureal)
    if c == "@":
        idx += 1
        if idx == n:
            return None
        sign2 = 0
        if s[idx] in "+-":
            sign2 = 1 if s[idx] == "+" else -1
            idx += 1
            if idx == n:
                return None
        a = _ureal(s, idx, radix, forced, sign2 != 0)
        if a is None or a[1] != n:
            return None
        angle = a[0]
        if sign2 == -1 and not _is_nan(angle):
            angle = -angle
        return _polar(ureal, angle)
    if c in "+-":
        idx += 1
        if idx == n:
            return None
        sign2 = 1 if c == "+" else -1
        im_r = _ureal(s, idx, radix, forced, True)
        if im_r is None:
            imag: Any = sign2
        else:
            imag, idx = im_r
            if sign2 == -1 and not _is_nan(imag):
                imag = -imag
        if idx == n or s[idx] not in "iI" or idx + 1 != n:
            return None
        return _rectangular(ureal, imag)
    return None


def _string_to_number(s: str, radix: int) -> Any:
    idx = 0
    n = len(s)
    forced: str | None = None
    explicit_radix = 0
    while idx + 2 < n and s[idx] == "#":
        c = s[idx + 1].lower()
        if c in "bodx":
            if explicit_radix:
                return None
            explicit_radix = {"b": 2, "o": 8, "d": 10, "x": 16}[c]
        elif c in "ei":
            if forced:
                return None
            forced = c
        else:
            return None
        idx += 2
    return _complex(s, idx, explicit_radix or radix, forced)


def parse_number(text: str, radix: int = 10) -> int | Fraction | float | complex | None:
    """Guile's ``string->number``: the number ``text`` denotes, or ``None``.

    Radix prefixes (``#x #b #o #d``) and exactness prefixes (``#e #i``)
    are honoured in either order.  Like Guile, an exponent beyond 308
    (beyond 324 for negative ones) raises an ``out-of-range`` error.
    """
    if radix == 10:
        if _SIMPLE_INT.match(text):
            if len(text) <= 4000:
                return int(text)
            v = _digits_to_int(text.lstrip("+-"), 10)
            return -v if text[0] == "-" else v
        if _SIMPLE_DEC.match(text):
            return float(text)
    try:
        return _string_to_number(text, radix)
    except _RangeError as e:
        raise SchemeError(Condition(
            "out-of-range", "Value out of range: ~S", who="string->number",
            args=[e.exponent], irritants=[e.exponent], extra=from_list([e.exponent]),
        )) from None


# -------------------------------------------------------------- characters

_CHAR_NAMES: dict[str, int] = {}
for _names, _cps in [
    ("space newline", (0x20, 0x0A)),
    ("nul alarm backspace tab linefeed vtab page return esc delete",
     (0, 7, 8, 9, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B, 0x7F)),
    ("escape", (0x1B,)),
    ("nul soh stx etx eot enq ack bel bs ht lf vt ff cr so si dle dc1 dc2 dc3 dc4"
     " nak syn etb can em sub esc fs gs rs us sp del", (*range(0x21), 0x7F)),
    ("null nl np", (0, 0x0A, 0x0C)),
]:
    for _name, _cp in zip(_names.split(), _cps, strict=True):
        _CHAR_NAMES.setdefault(_name, _cp)
del _names, _cps, _name, _cp

_DOTTED_CIRCLE = "\u25cc"
_OCTAL = re.compile(r"[0-7]+\Z")
_HEX = re.compile(r"[0-9a-fA-F]+\Z")


def _code_point_char(cp: int) -> Char | None:
    if cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
        return None
    return Char(cp)


def char_by_name(name: str) -> Char | None:
    """The character ``#\\NAME`` denotes (``name`` without ``#\\``), or ``None``.

    As Guile: a single character; an octal code point (``101``); ``x41``;
    the R5RS/R6RS/R7RS names, C0 control abbreviations and ``null nl np``,
    all case-insensitively.  Also accepted: ``U+41`` and a combining
    character next to a dotted circle (as ``write`` prints one).
    """
    if len(name) == 1:
        return Char(ord(name))
    if len(name) == 2 and _DOTTED_CIRCLE in name:
        # Guile writes the circle first but its reader expects it second
        return Char(ord(name[1] if name[0] == _DOTTED_CIRCLE else name[0]))
    if _OCTAL.match(name):
        return _code_point_char(int(name, 8))
    if name[0] in "xX" and _HEX.match(name, 1):
        return _code_point_char(int(name[1:], 16))
    if name[:2] in ("U+", "u+") and _HEX.match(name, 2):
        return _code_point_char(int(name[2:], 16))
    cp = _CHAR_NAMES.get(name.lower())
    return Char(cp) if cp is not None else None


# ----------------------------------------------------------------- strings

_SIMPLE_ESCAPES = {
    "\\": "\\", '"': '"', "|": "|", "(": "(", "0": "\0", "f": "\f", "n": "\n",
    "r": "\r", "t": "\t", "a": "\a", "v": "\v", "b": "\b",
}
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def _bad_escape(tok: _Tok, offset: int, filename: str | None, got: str) -> _Failure:
    loc = _offset_loc(tok, offset, filename)
    return _Failure(f"invalid character in escape sequence: {_write(Char(ord(got)))}", loc,
                    hint="valid escapes: \\n \\t \\r \\a \\b \\f \\v \\0 \\\\ \\\" "
                         "\\xHH \\uHHHH \\UHHHHHH, and \\ at the end of a line")


def _decode_escapes(tok: _Tok, start: int, end: int, filename: str | None,
                    r6rs_hex: bool) -> str:
    """Decode the backslash escapes of ``tok[start:end]`` (Guile's ``read-string``).

    ``r6rs_hex`` selects ``\\x<hex>;`` (in ``|...|`` symbols) over Guile's
    fixed two-digit ``\\xHH`` (in strings).
    """
    s = tok.text
    out: list[str] = []
    i = start
    while True:
        j = s.find("\\", i, end)
        if j < 0:
            out.append(s[i:end])
            return "".join(out)
        out.append(s[i:j])
        c = s[j + 1]  # a closing delimiter always follows, so this exists
        i = j + 2
        simple = _SIMPLE_ESCAPES.get(c)
        if simple is not None:
            out.append(simple)
        elif c == "\n":
            pass
        elif c == "x" and r6rs_hex:
            k = i
            while k < end and s[k] in _HEX_DIGITS:
                k += 1
            if k == i or k >= end or s[k] != ";":
                raise _bad_escape(tok, k, filename, s[k])
            ch = _code_point_char(int(s[i:k], 16))
            if ch is None:
                raise _Failure("out-of-range character in escape sequence",
                               _offset_loc(tok, j, filename))
            out.append(chr(ch.cp))
            i = k + 1
        elif c in "xuU":
            width = 2 if c == "x" else 4 if c == "u" else 6
            for k in range(i, i + width):
                if k >= end or s[k] not in _HEX_DIGITS:
                    raise _bad_escape(tok, k, filename, s[k])
            ch = _code_point_char(int(s[i:i + width], 16))
            if ch is None:
                raise _Failure("out-of-range character in escape sequence",
                               _offset_loc(tok, j, filename))
            out.append(chr(ch.cp))
            i += width
        else:
            raise _bad_escape(tok, j + 1, filename, c)


def _decode_extended_symbol(tok: _Tok, filename: str | None) -> str:
    """The name inside ``#{...}#``: ``\\x<hex>;`` escapes, ``\\c`` is ``c``."""
    s = tok.text
    end = len(s) - 2
    if "\\" not in s:
        return s[2:end]
    out: list[str] = []
    i = 2
    while i < end:
        c = s[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        c = s[i + 1]
        if c != "x":
            out.append(c)
            i += 2
            continue
        k = i + 2
        while k < end and s[k] in _HEX_DIGITS:
            k += 1
        if k == i + 2 or k >= end or s[k] != ";":
            raise _bad_escape(tok, k, filename, s[k])
        ch = _code_point_char(int(s[i + 2:k], 16))
        if ch is None:
            raise _Failure("out-of-range character in escape sequence",
                           _offset_loc(tok, i, filename))
        out.append(chr(ch.cp))
        i = k + 1
    return "".join(out)


# -------------------------------------------------------- token -> datum

_NUMBER_START = frozenset("0123456789+-.")


def _atom_value(tok: _Tok, filename: str | None) -> Any:
    s = tok.text
    if s[0] in _NUMBER_START:
        try:
            n = parse_number(s)
        except SchemeError as e:
            raise _Failure(f"{e.payload.formatted_message()} (in {s})",
                           _token_loc(tok, filename)) from None
        if n is not None:
            return n
    return Symbol(s)


def _string_value(tok: _Tok, filename: str | None) -> str:
    s = tok.text
    if "\\" not in s:
        return s[1:-1]
    return _decode_escapes(tok, 1, len(s) - 1, filename, False)


def _char_value(tok: _Tok, filename: str | None) -> Char:
    name = tok.text[2:]
    ch = char_by_name(name)
    if ch is None:
        if _OCTAL.match(name) or name[:1] in "xXuU":
            raise _Failure(f"out-of-range character: #\\{name}", _token_loc(tok, filename))
        raise _Failure(f"unknown character name {name}", _token_loc(tok, filename),
                       hint="e.g. #\\a #\\space #\\newline #\\tab #\\nul #\\x41")
    return ch


def _boolean_value(tok: _Tok, filename: str | None) -> bool:
    return tok.text[1] in "tT"


def _keyword_value(tok: _Tok, filename: str | None) -> Keyword:
    name = tok.text[2:]
    if name[0] in _NUMBER_START:
        # what follows #: is read as an expression, which may be a number
        try:
            v = parse_number(name)
        except SchemeError:
            v = None
        if v is not None:
            raise _Failure(f"keyword prefix #: not followed by a symbol: {name}",
                           _token_loc(tok, filename))
    return Keyword(name)


def _hash_number_value(tok: _Tok, filename: str | None) -> Any:
    s = tok.text
    try:
        n = parse_number(s)
    except SchemeError as e:
        raise _Failure(f"{e.payload.formatted_message()} (in {s})",
                       _token_loc(tok, filename)) from None
    if n is None:
        raise _Failure(f"unknown # object: {_write(s)}", _token_loc(tok, filename))
    return n


def _ext_symbol_value(tok: _Tok, filename: str | None) -> Symbol:
    return Symbol(_decode_extended_symbol(tok, filename))


def _bar_symbol_value(tok: _Tok, filename: str | None) -> Symbol:
    s = tok.text
    if "\\" not in s:
        return Symbol(s[1:-1])
    return Symbol(_decode_escapes(tok, 1, len(s) - 1, filename, True))


_VALUE_MAKERS = {
    "ATOM": _atom_value,
    "STRING": _string_value,
    "CHAR": _char_value,
    "BOOLEAN": _boolean_value,
    "KEYWORD": _keyword_value,
    "HASH_NUMBER": _hash_number_value,
    "EXT_SYMBOL": _ext_symbol_value,
    "BAR_SYMBOL": _bar_symbol_value,
}

_PREFIX_SYMBOLS = {
    "'": (Symbol("quote"), "quoted expression"),
    "`": (Symbol("quasiquote"), "quasiquoted expression"),
    ",": (Symbol("unquote"), "unquoted expression"),
    ",@": (Symbol("unquote-splicing"), "subexpression of ,@"),
    "#'": (Symbol("syntax"), "syntax expression"),
    "#`": (Symbol("quasisyntax"), "quasisyntax expression"),
    "#,": (Symbol("unsyntax"), "unsyntax expression"),
    "#,@": (Symbol("unsyntax-splicing"), "unsyntax-splicing expression"),
    "#~": (Symbol("gexp"), "gexp"),
    "#$": (Symbol("ungexp"), "ungexp expression"),
    "#$@": (Symbol("ungexp-splicing"), "ungexp-splicing expression"),
    "#+": (Symbol("ungexp-native"), "ungexp-native expression"),
    "#+@": (Symbol("ungexp-native-splicing"), "ungexp-native-splicing expression"),
}


class _Skip:
    """What a ``#;`` comment leaves in a list: nothing."""

    __slots__ = ()


_SKIP = _Skip()


class _Builder:
    """Lark callbacks (rule and terminal names) turning the parse into datums."""

    def __init__(self) -> None:
        self.filename: str | None = None

    # terminals: the driver has put each token's datum in its ``value``
    def _value(self, tok: _Tok) -> Any:
        return tok.value

    ATOM = STRING = CHAR = BOOLEAN = KEYWORD = HASH_NUMBER = EXT_SYMBOL = BAR_SYMBOL = _value

    def file(self, ch: list[Any]) -> list[Any]:
        return [x for x in ch if x is not _SKIP]

    def single(self, ch: list[Any]) -> Any:
        return ch[-1]

    def dcomment(self, ch: list[Any]) -> _Skip:
        return _SKIP

    def list(self, ch: list[Any]) -> Any:
        open_tok = ch[0]
        loc = SourceLoc(self.filename, open_tok.line, open_tok.col)
        result: Any = NIL
        i = len(ch) - 2
        if open_tok.value is not None:
            # a dotted list (the driver stored the DOT token in the opener):
            # [open, elements..., DOT, #;..., tail, #;..., close]
            while ch[i] is _SKIP:
                i -= 1
            result = ch[i]
            i -= 1
            while ch[i] is not open_tok.value:
                i -= 1
            i -= 1
        while i > 0:
            x = ch[i]
            if x is not _SKIP:
                result = Pair(x, result, loc)
            i -= 1
        return result

    def vector(self, ch: list[Any]) -> list[Any]:
        return [x for x in ch[1:-1] if x is not _SKIP]

    def bytevector(self, ch: list[Any]) -> bytearray:
        items = [x for x in ch[1:-1] if x is not _SKIP]
        for x in items:
            if type(x) is not int or not 0 <= x <= 255:
                raise _Failure(f"invalid bytevector element: {_write(x)}",
                               _token_loc(ch[0], self.filename),
                               hint="bytevector elements are exact integers from 0 to 255")
        return bytearray(items)

    def abbreviation(self, ch: list[Any]) -> Pair:
        tok = ch[0]
        loc = SourceLoc(self.filename, tok.line, tok.col)
        return Pair(_PREFIX_SYMBOLS[tok.text][0], Pair(ch[-1], NIL, loc), loc)

    def prefixed_keyword(self, ch: list[Any]) -> Keyword:
        x = ch[-1]
        if type(x) is not Symbol:
            from schemos.printer import display_string

            raise _Failure(f"keyword prefix #: not followed by a symbol: {display_string(x)}",
                           _token_loc(ch[0], self.filename))
        return Keyword(x.name)


# ------------------------------------------------------------ the parser

_lock = threading.Lock()


class _Machinery:
    """The Lark parser, the token regex built from its terminals, and the callbacks."""

    def __init__(self) -> None:
        from lark import Lark

        from schemos.paths import GRAMMAR_DIR

        self.builder = _Builder()
        grammar = (GRAMMAR_DIR / "scheme.lark").read_text(encoding="utf-8")
        # cache=True pickles the analysed grammar in the temp directory, keyed
        # by the grammar text, which makes later start-ups much faster
        self.lark = Lark(grammar, parser="lalr", lexer="basic", start=["file", "single"],
                         transformer=self.builder, cache=True, maybe_placeholders=False)
        # Lark's basic lexer tries the terminals in this order and takes the
        # first that matches; one regex does the same without a Python call
        # and a line-counter update per token.
        terminals = sorted(self.lark.terminals, key=lambda t: (
            -t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
        self.token_re = re.compile("|".join(
            f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals))
        self.ignored = frozenset(self.lark.lexer_conf.ignore)


_machinery: list[_Machinery] = []


def _get_machinery() -> _Machinery:
    if not _machinery:
        _machinery.append(_Machinery())
    return _machinery[0]


_OPEN_CLOSE = {"LPAREN": ")", "LBRACKET": "]", "VECTOR_OPEN": ")", "BYTEVECTOR_OPEN": ")"}
_CLOSERS = frozenset({"RPAREN", "RBRACKET"})
_PREFIXES = frozenset({"PREFIX", "KW_PREFIX", "DATUM_COMMENT"})
_BLOCK_COMMENT_PART = re.compile(r"\|#|#\|")


class _Frame:
    """An open paren (or the top level) while reading."""

    __slots__ = ("tok", "close", "pending", "dot", "tail_done")

    def __init__(self, tok: _Tok | None, close: str | None) -> None:
        self.tok = tok
        self.close = close
        #: prefix tokens (' #: #; ...) still waiting for their datum
        self.pending: list[_Tok] = []
        self.dot: _Tok | None = None
        self.tail_done = False


def _prefix_what(tok: _Tok) -> str:
    t = tok.type
    if t == "DATUM_COMMENT":
        return "#; comment"
    if t == "KW_PREFIX":
        return "keyword"
    return _PREFIX_SYMBOLS[tok.text][1]


def _datum_done(frame: _Frame) -> bool:
    """A datum just ended in ``frame``: give it to the prefixes waiting for one.

    False when a ``#;`` swallowed it.
    """
    pending = frame.pending
    while pending:
        if pending.pop().type == "DATUM_COMMENT":
            return False
    if frame.dot is not None:
        frame.tail_done = True
    return True


def _eof_failure(frames: list[_Frame], end_loc: SourceLoc, filename: str | None) -> _Failure:
    top = frames[-1]
    if top.pending:
        tok = top.pending[-1]
        return _Failure(f"unexpected end of input while reading {_prefix_what(tok)}",
                        _token_loc(tok, filename),
                        hint=f"nothing follows this {_write(tok.text)} "
                             f"(the input ends at {_at(end_loc)})",
                        incomplete=True)
    if top.dot is not None and not top.tail_done:
        return _Failure("unexpected end of input while reading tail of improper list",
                        _token_loc(top.dot, filename),
                        hint=f"nothing follows this \".\" (the input ends at {_at(end_loc)})",
                        incomplete=True)
    assert top.tok is not None
    loc = _token_loc(top.tok, filename)
    hint = f"this {_write(top.tok.text)} at {_at(loc)} is not closed"
    if len(frames) > 2:
        outer = frames[1].tok
        assert outer is not None
        hint += (f"; {len(frames) - 1} parens are open, "
                 f"the outermost at {_at(_token_loc(outer, filename))}")
    return _Failure(f"unexpected end of input while searching for: {top.close}", loc,
                    hint=hint, incomplete=True)


def _skip_block_comment(text: str, pos: int, loc: SourceLoc) -> int:
    """The end of the (nested) ``#| ... |#`` comment starting at ``pos``."""
    depth = 0
    i = pos
    while True:
        m = _BLOCK_COMMENT_PART.search(text, i)
        if m is None:
            raise _Failure("unterminated `#| ... |#' comment", loc,
                           hint=f"this \"#|\" at {_at(loc)} has no matching \"|#\"",
                           incomplete=True)
        depth += 1 if m.group() == "#|" else -1
        i = m.end()
        if depth == 0:
            return i


def _no_token_failure(c: str, loc: SourceLoc) -> _Failure:
    if c == '"':
        return _Failure("unexpected end of input while reading string", loc,
                        hint=f"this string starting at {_at(loc)} is not closed",
                        incomplete=True)
    if c == "|":
        return _Failure("unexpected end of input while reading symbol", loc,
                        hint=f"this \"|\" at {_at(loc)} is not closed", incomplete=True)
    return _Failure(f"unexpected character {_write(Char(ord(c)))}", loc)


def _hash_other_failure(tok: _Tok, filename: str | None) -> _Failure:
    s = tok.text
    loc = _token_loc(tok, filename)
    if s == "#":
        return _Failure("unexpected end of input after #", loc, incomplete=True)
    c = s[1]
    if c == "\\":
        return _Failure("unexpected end of input after #\\", loc, incomplete=True)
    if c == "!":
        return _Failure("unterminated `#! ... !#' comment", loc,
                        hint=f"this \"#!\" at {_at(loc)} has no matching \"!#\"",
                        incomplete=True)
    if c == "{":
        return _Failure("end of input while reading symbol", loc,
                        hint=f"this \"#{{\" at {_at(loc)} has no matching \"}}#\"",
                        incomplete=True)
    if c == "v":
        return _Failure("invalid bytevector prefix", loc,
                        hint="bytevectors are written #vu8(1 2 3)")
    return _Failure(f"Unknown # object: {_write(s)}", loc)


def _missing_close(frame: _Frame, tok: _Tok, filename: str | None) -> _Failure:
    assert frame.dot is not None
    dot_loc = _token_loc(frame.dot, filename)
    return _Failure(f"missing close paren: {tok.text[0]}", _token_loc(tok, filename),
                    hint=f"only one datum may follow the \".\" at {_at(dot_loc)}")


def _unexpected_close(frames: list[_Frame], tok: _Tok, filename: str | None) -> _Failure:
    top = frames[-1]
    loc = _token_loc(tok, filename)
    if len(frames) == 1:
        hint = "no open paren is waiting for it"
    elif top.pending:
        p = top.pending[-1]
        hint = f"the {_write(p.text)} at {_at(_token_loc(p, filename))} needs a datum after it"
    else:
        assert top.dot is not None
        hint = f"a datum must follow the \".\" at {_at(_token_loc(top.dot, filename))}"
    return _Failure(f"unexpected {_write(tok.text)}", loc, hint=hint)


class _Cursor:
    """Where reading resumes in a text, as a port remembers it between reads."""

    __slots__ = ("pos", "line", "col", "fold_case")

    def __init__(self, pos: int = 0, line: int = 1, col: int = 0) -> None:
        self.pos = pos
        self.line = line  # 1-based
        self.col = col  # 0-based
        #: set by #!fold-case, cleared by #!no-fold-case (Guile keeps it per port)
        self.fold_case = False


def _run(text: str, filename: str | None, cur: _Cursor, mode: str) -> Any:
    """Read from ``text`` at ``cur``, which is advanced; ``mode`` is "file", "single" or "check".

    In "single" mode the result is ``EOF`` when no datum is left; in
    "check" mode nothing is parsed and the result is ``None``.
    """
    from lark.exceptions import UnexpectedInput

    m = _get_machinery()
    match = m.token_re.match
    ignored = m.ignored
    feed = None
    if mode != "check":
        start = "file" if mode == "file" else "single"
        feed = m.lark.parse_interactive(start=start).parser_state.feed_token
    frames = [_Frame(None, None)]
    top = frames[0]
    makers = _VALUE_MAKERS
    single = mode == "single"
    done = False
    pos = cur.pos
    line = cur.line
    line_start = pos - cur.col
    fold_case = cur.fold_case
    n = len(text)
    count = text.count
    try:
        while pos < n:
            mo = match(text, pos)
            if mo is None:
                loc = SourceLoc(filename, line, pos - line_start)
                if not text.startswith("#|", pos):
                    raise _no_token_failure(text[pos], loc)
                typ = "BLOCK_COMMENT"
                end = _skip_block_comment(text, pos, loc)
            else:
                typ = mo.lastgroup
                end = mo.end()
            if typ in ignored:
                if typ == "DIRECTIVE":
                    word = text[pos + 2:end]
                    if word == "fold-case":
                        fold_case = True
                    elif word == "no-fold-case" or word == "r6rs":
                        fold_case = False
                nl = count("\n", pos, end)
                if nl:
                    line += nl
                    line_start = text.rfind("\n", pos, end) + 1
                pos = end
                continue
            tok = _Tok(typ, mo.group(), pos, line, pos - line_start)  # type: ignore[union-attr]
            if typ == "STRING" or typ == "CHAR" or typ == "EXT_SYMBOL" or typ == "BAR_SYMBOL":
                nl = count("\n", pos, end)
                if nl:
                    line += nl
                    line_start = text.rfind("\n", pos, end) + 1
            pos = end
            complete = False
            maker = makers.get(typ)
            if maker is not None:
                if typ == "ATOM" and len(frames) > 1 and tok.text == "." and not top.pending:
                    if top.tail_done:
                        raise _missing_close(top, tok, filename)
                    opener = top.tok
                    assert opener is not None
                    if top.dot is None:
                        if opener.type != "LPAREN" and opener.type != "LBRACKET":
                            raise _Failure('unexpected "." in vector', _token_loc(tok, filename),
                                           hint="vectors cannot be dotted")
                        tok.type = "DOT"
                        top.dot = tok
                        opener.value = tok
                    else:
                        # Guile reads the datum after the dot with read-expr, so
                        # in "(a . .)" the second "." is the symbol
                        tok.value = Symbol(".")
                        complete = _datum_done(top)
                else:
                    if top.tail_done and not top.pending:
                        raise _missing_close(top, tok, filename)
                    if fold_case and (typ == "ATOM" or typ == "KEYWORD"):
                        tok.text = tok.text.lower()
                    tok.value = maker(tok, filename)
                    complete = _datum_done(top)
            elif typ in _OPEN_CLOSE:
                if top.tail_done and not top.pending:
                    raise _missing_close(top, tok, filename)
                top = _Frame(tok, _OPEN_CLOSE[typ])
                frames.append(top)
            elif typ in _CLOSERS:
                if len(frames) == 1 or top.pending or (top.dot is not None and not top.tail_done):
                    raise _unexpected_close(frames, tok, filename)
                if tok.text != top.close:
                    assert top.tok is not None
                    open_loc = _token_loc(top.tok, filename)
                    raise _Failure(f"mismatched close paren: {tok.text}", _token_loc(tok, filename),
                                   hint=f"the {_write(top.tok.text)} at {_at(open_loc)} "
                                        f"is closed by {_write(top.close)}")
                frames.pop()
                top = frames[-1]
                complete = _datum_done(top)
            elif typ in _PREFIXES:
                if typ != "DATUM_COMMENT" and top.tail_done and not top.pending:
                    raise _missing_close(top, tok, filename)
                top.pending.append(tok)
            else:  # HASH_OTHER
                raise _hash_other_failure(tok, filename)
            if feed is not None:
                try:
                    feed(tok)
                except UnexpectedInput as e:  # pragma: no cover - the checks above prevent it
                    raise _Failure("syntax error", _token_loc(tok, filename)) from e
            if complete and single and len(frames) == 1:
                done = True
                break
        end_col = pos - line_start
        if not done and (len(frames) > 1 or top.pending):
            raise _eof_failure(frames, SourceLoc(filename, line, end_col), filename)
    except _Failure as f:
        # like a port, leave the cursor after what was consumed: past the
        # offending token, or at the end when the input ran out
        if f.incomplete:
            line += count("\n", pos, n)
            line_start = text.rfind("\n", 0, n) + 1
            pos = n
        cur.pos = pos
        cur.line = line
        cur.col = pos - line_start
        cur.fold_case = fold_case
        raise
    cur.pos = pos
    cur.line = line
    cur.col = end_col
    cur.fold_case = fold_case
    if feed is None:
        return None
    if single and not done:
        return EOF
    try:
        return feed(_Tok("$END", "", pos, line, end_col), True)
    except UnexpectedInput as e:  # pragma: no cover
        raise _Failure("syntax error", SourceLoc(filename, line, end_col)) from e


def _guarded(text: str, filename: str | None, cur: _Cursor, mode: str) -> Any:
    with _lock:
        _get_machinery().builder.filename = filename
        try:
            return _run(text, filename, cur, mode)
        except _Failure as f:
            raise f.to_scheme() from None
        except RecursionError:
            raise read_error("expression too deeply nested",
                             SourceLoc(filename, cur.line, cur.col)) from None


def _cursor_at(text: str, pos: int) -> _Cursor:
    return _Cursor(pos, text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1))


# ------------------------------------------------------------- public API


def read_all(text: str, filename: str | None = None) -> list[Any]:
    """Every datum in ``text``, in order.

    Lists carry the :class:`SourceLoc` of their opening paren (``filename``,
    1-based line, 0-based column).  Malformed input raises a ``read-error``
    :class:`SchemeError` located at the offending text.
    """
    return _guarded(text, filename, _Cursor(), "file")


def read_one(text: str, filename: str | None = None) -> Any:
    """The first datum in ``text``, or ``EOF`` if there is none."""
    return _guarded(text, filename, _Cursor(), "single")


def read_datum(text: str, pos: int = 0, filename: str | None = None) -> tuple[Any, int]:
    """Read one datum from ``text`` starting at index ``pos``.

    Returns the datum (``EOF`` if only whitespace and comments remain) and
    the index just after it, as ``read`` leaves a port.  Line numbers count
    from the start of ``text``; to read many datums from a long text use
    :class:`Reader`, which does not recount lines.
    """
    cur = _cursor_at(text, pos)
    datum = _guarded(text, filename, cur, "single")
    return datum, cur.pos


class Reader:
    """Reads datums one at a time from a string, e.g. for a string port's ``read``.

    ``pos``, ``line`` (1-based) and ``col`` (0-based) say where the next read
    starts; each :meth:`read` advances them.  A ``#!fold-case`` directive
    stays in force for later reads, as it does for a Guile port.
    """

    def __init__(self, text: str, filename: str | None = None, pos: int = 0) -> None:
        self.text = text
        self.filename = filename
        self._cur = _cursor_at(text, pos)

    @property
    def pos(self) -> int:
        """Index in the text where the next read starts."""
        return self._cur.pos

    @property
    def line(self) -> int:
        """1-based line of :attr:`pos`."""
        return self._cur.line

    @property
    def col(self) -> int:
        """0-based column of :attr:`pos`."""
        return self._cur.col

    def read(self) -> Any:
        """The next datum, or ``EOF`` when only whitespace and comments are left."""
        return _guarded(self.text, self.filename, self._cur, "single")

    def __iter__(self) -> Iterator[Any]:
        """Iterate over the remaining datums."""
        while True:
            datum = self.read()
            if datum is EOF:
                return
            yield datum


#: characters that end an atom's token
_ATOM_DELIMITERS = frozenset(" \t\n\r\f\v()[]\";'`,")


def atom_location(text: str, filename: str | None, index: int) -> SourceLoc | None:
    """Where the ``index``-th top-level datum of ``text``, an atom, starts.

    Lists carry their location; a top-level symbol does not, so an error in
    evaluating one (an unbound variable) is located by reading ``text``
    again up to it.  ``None`` if ``text`` has no such datum.
    """
    reader = Reader(text, filename)
    for _ in range(index):
        if reader.read() is EOF:
            return None
    before = reader.pos
    if reader.read() is EOF:
        return None
    start = end = reader.pos
    while start > before and text[start - 1] not in _ATOM_DELIMITERS:
        start -= 1
    if start == end:
        return None
    line = text.count("\n", 0, start) + 1
    return SourceLoc(filename, line, start - (text.rfind("\n", 0, start) + 1))


def is_complete(text: str) -> bool:
    """Whether ``text`` needs no more input to be read (for a REPL's continuation lines).

    False for an unclosed paren, string, ``#|`` comment or a prefix such as
    ``'`` with nothing after it; True otherwise, including for text with a
    read error that more input cannot fix (that error is reported on reading).
    """
    with _lock:
        try:
            _run(text, None, _Cursor(), "check")
        except _Failure as f:
            return not f.incomplete
        except RecursionError:
            return True
    return True


def format_source_error(source: str | Sequence[str], loc: SourceLoc | None) -> str:
    """Show the source line of ``loc`` with a caret under its column.

    ``source`` is the whole text or its lines.  Returns ``""`` when the
    location is unknown or outside the text.  Example::

          3 | (define (f x)
            |         ^
    """
    if loc is None or loc.line is None or loc.line < 1:
        return ""
    lines = source.splitlines() if isinstance(source, str) else list(source)
    if loc.line > len(lines):
        return ""
    text = lines[loc.line - 1].rstrip("\r\n")
    col = max(0, min(loc.col or 0, len(text)))
    # keep tabs so the caret lines up however the terminal renders them
    pad = "".join("\t" if c == "\t" else " " for c in text[:col])
    gutter = str(loc.line)
    blank = " " * len(gutter)
    return f" {gutter} | {text}\n {blank} | {pad}^"
