"""Characters, strings, char-sets, symbols and keywords.

Scheme strings are immutable Python ``str`` objects in schemos, so
``string-set!``, ``string-fill!`` and friends raise an error saying so.
A *char_pred* argument (as in Guile's SRFI-13 procedures) may be a
character, a :class:`CharSet` or a predicate procedure.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from schemos.datum import (
    NIL,
    UNSPECIFIED,
    Char,
    Keyword,
    Pair,
    Symbol,
    UninternedSymbol,
    _gensym_counter,
)
from schemos.errors import out_of_range, wrong_type
from schemos.runtime.builtin_errors import (
    misc_error,
    wrong_type_arg,
    wrong_type_nopos,
)
from schemos.runtime.core import call, primitive
from schemos.runtime.lists import _items, build_list

_SYMBOL_TYPES = (Symbol, UninternedSymbol)
_CHAR_TABLE = Char._table
_SYMBOL_TABLE = Symbol._table
_MISSING: Any = object()


# ---------------------------------------------------------------- characters


def _check_char(who: str, pos: int, c: Any) -> None:
    if type(c) is not Char:
        raise wrong_type(who, pos, "character", c)


@primitive("char?", "(x)")
def is_char(x: Any) -> bool:
    """Return #t iff X is a character, else #f."""
    return type(x) is Char


@primitive("char->integer", "(chr)")
def char_to_integer(chr: Any) -> int:
    """Return the Unicode code point of CHR."""
    if type(chr) is Char:
        return chr.cp
    raise wrong_type("char->integer", 1, "char", chr)


@primitive("integer->char", "(n)")
def integer_to_char(n: Any) -> Char:
    """Return the character whose Unicode code point is N."""
    if type(n) is not int:
        raise wrong_type("integer->char", 1, "exact integer", n)
    if n < 0 or n > 0x10FFFF or 0xD800 <= n <= 0xDFFF:
        raise out_of_range("integer->char", 1, n)
    return Char(n)


def _simple_upper(s: str) -> str:
    u = s.upper()
    return u if len(u) == 1 else s


def _simple_lower(s: str) -> str:
    u = s.lower()
    return u if len(u) == 1 else s


def _simple_fold(s: str) -> str:
    u = s.casefold()
    return u if len(u) == 1 else _simple_lower(s)


def _char_compare(name: str, key: Callable[[Char], Any], op: Callable[[Any, Any], bool]) -> Any:
    def compare(*chars: Any) -> bool:
        for i, c in enumerate(chars):
            if type(c) is not Char:
                raise wrong_type(name, i + 1, "character", c)
        for i in range(len(chars) - 1):
            if not op(key(chars[i]), key(chars[i + 1])):
                return False
        return True

    compare.__name__ = name
    return compare


def _cp(c: Char) -> int:
    return c.cp


def _ci(c: Char) -> int:
    return ord(_simple_fold(chr(c.cp)))


def _lt(a: Any, b: Any) -> bool:
    return a < b


def _gt(a: Any, b: Any) -> bool:
    return a > b


def _le(a: Any, b: Any) -> bool:
    return a <= b


def _ge(a: Any, b: Any) -> bool:
    return a >= b


def _eqop(a: Any, b: Any) -> bool:
    return a == b


_CMP_OPS = (("=", _eqop, "equal to"), ("<", _lt, "less than"), (">", _gt, "greater than"),
            ("<=", _le, "less than or equal to"), (">=", _ge, "greater than or equal to"))

for _sym, _op, _words in _CMP_OPS:
    _f = _char_compare(f"char{_sym}?", _cp, _op)
    _f.__doc__ = f"Return #t iff each character is {_words} the next one."
    primitive(f"char{_sym}?", "(#:optional _ _ . _)")(_f)
    _f = _char_compare(f"char-ci{_sym}?", _ci, _op)
    _f.__doc__ = f"Return #t iff each character is {_words} the next one, ignoring case."
    primitive(f"char-ci{_sym}?", "(#:optional _ _ . _)")(_f)


def _char_pred(name: str, test: Callable[[str], bool], doc: str) -> Any:
    def pred(chr: Any) -> bool:
        if type(chr) is not Char:
            raise wrong_type(name, 1, "character", chr)
        return test(chr.char)

    pred.__name__ = name
    pred.__doc__ = doc
    return primitive(name, "(chr)")(pred)


char_alphabetic = _char_pred("char-alphabetic?", str.isalpha,
                             "Return #t iff CHR is alphabetic, else #f.")
char_numeric = _char_pred("char-numeric?", str.isdecimal,
                          "Return #t iff CHR is numeric, else #f.")
char_whitespace = _char_pred("char-whitespace?", str.isspace,
                             "Return #t iff CHR is whitespace, else #f.")
char_upper_case = _char_pred("char-upper-case?", str.isupper,
                             "Return #t iff CHR is uppercase, else #f.")
char_lower_case = _char_pred("char-lower-case?", str.islower,
                             "Return #t iff CHR is lowercase, else #f.")
char_is_both = _char_pred("char-is-both?", lambda s: s.isupper() or s.islower(),
                          "Return #t iff CHR is either uppercase or lowercase, else #f.")


@primitive("char-upcase", "(chr)")
def char_upcase(chr: Any) -> Char:
    """Return the uppercase character version of CHR."""
    _check_char("char-upcase", 1, chr)
    return Char(ord(_simple_upper(chr.char)))


@primitive("char-downcase", "(chr)")
def char_downcase(chr: Any) -> Char:
    """Return the lowercase character version of CHR."""
    _check_char("char-downcase", 1, chr)
    return Char(ord(_simple_lower(chr.char)))


@primitive("char-titlecase", "(chr)")
def char_titlecase(chr: Any) -> Char:
    """Return the titlecase character version of CHR."""
    _check_char("char-titlecase", 1, chr)
    t = chr.char.title()
    return Char(ord(t)) if len(t) == 1 else chr


@primitive("char-foldcase", "(chr)")
def char_foldcase(chr: Any) -> Char:
    """Return the case-folded version of CHR."""
    _check_char("char-foldcase", 1, chr)
    return Char(ord(_simple_fold(chr.char)))


@primitive("digit-value", "(chr)")
def digit_value(chr: Any) -> Any:
    """If CHR is a decimal digit, return its numeric value, else #f."""
    _check_char("digit-value", 1, chr)
    return unicodedata.decimal(chr.char, False)


@primitive("char-general-category", "(chr)")
def char_general_category(chr: Any) -> Symbol:
    """Return a symbol representing the Unicode general category of CHR (e.g. Lu)."""
    _check_char("char-general-category", 1, chr)
    return Symbol(unicodedata.category(chr.char))


# ---------------------------------------------------------------- char-sets


class CharSet:
    """A set of characters: an explicit set of one-character strings, or a
    predicate on one-character strings (for the big Unicode classes)."""

    __slots__ = ("chars", "pred", "_listed")

    def __init__(self, chars: frozenset[str] | None = None,
                 pred: Callable[[str], bool] | None = None) -> None:
        self.chars = chars
        self.pred = pred
        self._listed: list[str] | None = None

    def contains(self, s: str) -> bool:
        """True if the one-character string ``s`` is in the set."""
        if self.chars is not None:
            return s in self.chars
        assert self.pred is not None
        return self.pred(s)

    def members(self) -> list[str]:
        """All members, in code point order."""
        if self.chars is not None:
            return sorted(self.chars)
        if self._listed is None:
            p = self.pred
            assert p is not None
            self._listed = [chr(i) for i in range(0x110000)
                            if not 0xD800 <= i <= 0xDFFF and p(chr(i))]
        return self._listed

    def scm_write(self, write: bool = True) -> str:
        """Printed representation, as Guile's ``#<charset {...}>``."""
        from schemos.printer import write_string

        ms = self.members()
        shown = " ".join(write_string(Char(ord(c))) for c in ms[:20])
        if len(ms) > 20:
            shown += " ..."
        return "#<charset {" + shown + "}>"

    def scm_equal(self, other: Any) -> bool:
        """``equal?`` on char-sets compares their members."""
        return type(other) is CharSet and (self is other or self.members() == other.members())


def _cat(prefixes: str) -> Callable[[str], bool]:
    def test(s: str) -> bool:
        return unicodedata.category(s)[0] in prefixes

    return test


char_set_letter = CharSet(pred=str.isalpha)
char_set_digit = CharSet(pred=str.isdecimal)
char_set_whitespace = CharSet(pred=str.isspace)
char_set_graphic = CharSet(pred=_cat("LMNPS"))
char_set_printing = CharSet(pred=lambda s: s.isspace() or unicodedata.category(s)[0] in "LMNPS")
char_set_letter_digit = CharSet(pred=lambda s: s.isalpha() or s.isdecimal())
char_set_upper = CharSet(pred=str.isupper)
char_set_lower = CharSet(pred=str.islower)
char_set_title = CharSet(pred=str.istitle)
char_set_punctuation = CharSet(pred=_cat("P"))
char_set_symbol = CharSet(pred=_cat("S"))
char_set_hex_digit = CharSet(frozenset("0123456789abcdefABCDEF"))
char_set_blank = CharSet(pred=lambda s: s == "\t" or unicodedata.category(s) == "Zs")
char_set_iso_control = CharSet(pred=lambda s: unicodedata.category(s) == "Cc")
char_set_ascii = CharSet(frozenset(chr(i) for i in range(128)))
char_set_empty = CharSet(frozenset())
char_set_full = CharSet(pred=lambda s: True)

#: the predefined char-sets, bound as variables (not procedures) in Scheme
CHAR_SETS: dict[str, CharSet] = {
    "char-set:letter": char_set_letter,
    "char-set:digit": char_set_digit,
    "char-set:whitespace": char_set_whitespace,
    "char-set:graphic": char_set_graphic,
    "char-set:printing": char_set_printing,
    "char-set:letter+digit": char_set_letter_digit,
    "char-set:upper-case": char_set_upper,
    "char-set:lower-case": char_set_lower,
    "char-set:title-case": char_set_title,
    "char-set:punctuation": char_set_punctuation,
    "char-set:symbol": char_set_symbol,
    "char-set:hex-digit": char_set_hex_digit,
    "char-set:blank": char_set_blank,
    "char-set:iso-control": char_set_iso_control,
    "char-set:ascii": char_set_ascii,
    "char-set:empty": char_set_empty,
    "char-set:full": char_set_full,
}


def _check_charset(who: str, pos: int, cs: Any) -> CharSet:
    if type(cs) is not CharSet:
        raise wrong_type(who, pos, "char-set", cs)
    return cs


@primitive("char-set?", "(obj)")
def is_char_set(obj: Any) -> bool:
    """Return #t if OBJ is a character set, #f otherwise."""
    return type(obj) is CharSet


@primitive("char-set", "rest")
def char_set(*rest: Any) -> CharSet:
    """Return a character set containing all given characters."""
    for i, c in enumerate(rest):
        _check_char("char-set", i + 1, c)
    return CharSet(frozenset(c.char for c in rest))


@primitive("char-set-contains?", "(cs ch)")
def char_set_contains(cs: Any, ch: Any) -> bool:
    """Return #t if CH is contained in the character set CS."""
    _check_charset("char-set-contains?", 1, cs)
    _check_char("char-set-contains?", 2, ch)
    return cs.contains(ch.char)


@primitive("char-set-complement", "(cs)")
def char_set_complement(cs: Any) -> CharSet:
    """Return the complement of the character set CS."""
    _check_charset("char-set-complement", 1, cs)
    return CharSet(pred=lambda s: not cs.contains(s))


def _base_members(who: str, base: Any) -> set[str]:
    if base is None:
        return set()
    return set(_check_charset(who, 2, base).members())


@primitive("string->char-set", "(str #:optional base_cs)")
def string_to_char_set(s: Any, base_cs: Any = None) -> CharSet:
    """Return a character set containing all characters from the string STR,
    added to BASE_CS if given."""
    _check_string("string->char-set", 1, s)
    return CharSet(frozenset(set(s) | _base_members("string->char-set", base_cs)))


@primitive("list->char-set", "(list #:optional base_cs)")
def list_to_char_set(lst: Any, base_cs: Any = None) -> CharSet:
    """Convert the character list LIST to a character set, added to BASE_CS if given."""
    chars = set()
    p = lst
    while type(p) is Pair:
        _check_char("list->char-set", 1, p.car)
        chars.add(p.car.char)
        p = p.cdr
    return CharSet(frozenset(chars | _base_members("list->char-set", base_cs)))


@primitive("char-set->list", "(cs)")
def char_set_to_list(cs: Any) -> Any:
    """Return a list containing the elements of the character set CS."""
    _check_charset("char-set->list", 1, cs)
    return build_list([Char(ord(c)) for c in cs.members()])


@primitive("char-set-size", "(cs)")
def char_set_size(cs: Any) -> int:
    """Return the number of elements in character set CS."""
    return len(_check_charset("char-set-size", 1, cs).members())


@primitive("char-set-union", "rest")
def char_set_union(*rest: Any) -> CharSet:
    """Return the union of all argument character sets."""
    sets = [_check_charset("char-set-union", i + 1, c) for i, c in enumerate(rest)]
    if all(c.chars is not None for c in sets):
        return CharSet(frozenset().union(*[c.chars for c in sets]))  # type: ignore[misc]
    return CharSet(pred=lambda s: any(c.contains(s) for c in sets))


@primitive("char-set-intersection", "(cs . rest)")
def char_set_intersection(cs: Any, *rest: Any) -> CharSet:
    """Return the intersection of all argument character sets."""
    sets = [_check_charset("char-set-intersection", i + 1, c)
            for i, c in enumerate((cs,) + rest)]
    return CharSet(pred=lambda s: all(c.contains(s) for c in sets))


@primitive("char-set-difference", "(cs1 . rest)")
def char_set_difference(cs1: Any, *rest: Any) -> CharSet:
    """Return the difference of all argument character sets."""
    first = _check_charset("char-set-difference", 1, cs1)
    others = [_check_charset("char-set-difference", i + 2, c) for i, c in enumerate(rest)]
    if first.chars is not None:
        return CharSet(frozenset(s for s in first.chars
                                 if not any(c.contains(s) for c in others)))
    return CharSet(pred=lambda s: first.contains(s) and not any(c.contains(s) for c in others))


@primitive("char-set-adjoin", "(cs . rest)")
def char_set_adjoin(cs: Any, *rest: Any) -> CharSet:
    """Add all character arguments to the character set CS."""
    base = _check_charset("char-set-adjoin", 1, cs)
    extra = frozenset(c.char for c in rest if type(c) is Char)
    if base.chars is not None:
        return CharSet(base.chars | extra)
    return CharSet(pred=lambda s: s in extra or base.contains(s))


@primitive("char-set-delete", "(cs . rest)")
def char_set_delete(cs: Any, *rest: Any) -> CharSet:
    """Delete all character arguments from the character set CS."""
    base = _check_charset("char-set-delete", 1, cs)
    gone = frozenset(c.char for c in rest if type(c) is Char)
    if base.chars is not None:
        return CharSet(base.chars - gone)
    return CharSet(pred=lambda s: s not in gone and base.contains(s))


@primitive("ucs-range->char-set", "(lower upper #:optional error base_cs)")
def ucs_range_to_char_set(lower: Any, upper: Any, error: Any = False,
                          base_cs: Any = None) -> CharSet:
    """Return a character set containing all characters whose code points are
    in the half-open range [LOWER, UPPER)."""
    chars = {chr(i) for i in range(lower, upper) if not 0xD800 <= i <= 0xDFFF}
    return CharSet(frozenset(chars | _base_members("ucs-range->char-set", base_cs)))


@primitive("char-set-filter", "(pred cs #:optional base_cs)")
def char_set_filter(pred: Any, cs: Any, base_cs: Any = None) -> CharSet:
    """Return a character set of the characters of CS that satisfy PRED."""
    base = _check_charset("char-set-filter", 2, cs)
    chars = {c for c in base.members() if call(pred, Char(ord(c))) is not False}
    return CharSet(frozenset(chars | _base_members("char-set-filter", base_cs)))


def char_matcher(who: str, pos: int, char_pred: Any) -> Callable[[str], bool]:
    """Turn a char_pred argument (char, char-set or procedure) into a Python test."""
    t = type(char_pred)
    if t is Char:
        c = char_pred.char
        return c.__eq__
    if t is CharSet:
        return char_pred.contains
    if callable(char_pred):
        def test(s: str) -> bool:
            return call(char_pred, Char(ord(s))) is not False

        return test
    raise wrong_type_arg(who, pos, char_pred)


# ---------------------------------------------------------------- strings: basics


def _check_string(who: str, pos: int, s: Any) -> None:
    if type(s) is not str:
        raise wrong_type(who, pos, "string", s)


def _range(who: str, s: str, start: Any, end: Any, pos: int) -> tuple[int, int]:
    """Validate optional START/END (argument positions POS, POS+1) for S."""
    n = len(s)
    if start is None:
        start = 0
    elif type(start) is not int:
        raise wrong_type(who, pos, "exact integer", start)
    if end is None:
        end = n
    elif type(end) is not int:
        raise wrong_type(who, pos + 1, "exact integer", end)
    if not 0 <= start <= n:
        raise out_of_range(who, pos, start)
    if not start <= end <= n:
        raise out_of_range(who, pos + 1, end)
    return start, end


def immutable_string_error(who: str, s: Any) -> Exception:
    """The error raised by procedures that would mutate a string."""
    return misc_error(who, "strings are immutable in schemos: cannot modify ~S", s)


@primitive("string?", "(obj)")
def is_string(obj: Any) -> bool:
    """Return #t if OBJ is a string, else #f."""
    return type(obj) is str


@primitive("make-string", "(k #:optional chr)")
def make_string(k: Any, chr: Any = None) -> str:
    """Return a newly allocated string of length K.  If CHR is given, then all
    elements of the string are initialized to CHR, otherwise the contents of
    the string are the NUL character."""
    if type(k) is not int or k < 0:
        raise wrong_type("make-string", 1, "exact non-negative integer", k)
    if chr is None:
        return "\x00" * k
    _check_char("make-string", 2, chr)
    return chr.char * k


@primitive("string", "chrs")
def scm_string(*chrs: Any) -> str:
    """Return a newly allocated string composed of the argument characters."""
    try:
        return "".join([c.char for c in chrs])
    except AttributeError:
        for c in chrs:
            if type(c) is not Char:
                raise wrong_type_nopos("string", "character", c) from None
        raise


@primitive("string-length", "(string)")
def string_length(string: Any) -> int:
    """Return the number of characters in STRING."""
    if type(string) is str:
        return len(string)
    raise wrong_type("string-length", 1, "string", string)


@primitive("string-null?", "(str)")
def string_null(s: Any) -> bool:
    """Return #t if STR's length is zero, and #f otherwise."""
    _check_string("string-null?", 1, s)
    return not s


@primitive("string-ref", "(str k)")
def string_ref(s: Any, k: Any) -> Char:
    """Return character K of STR using zero-origin indexing."""
    if type(s) is str and type(k) is int and 0 <= k < len(s):
        cp = ord(s[k])
        c = _CHAR_TABLE.get(cp)
        return c if c is not None else Char(cp)
    _check_string("string-ref", 1, s)
    if type(k) is not int:
        raise wrong_type("string-ref", 2, "exact integer", k)
    raise out_of_range("string-ref", 2, k)


@primitive("substring", "(str start #:optional end)")
def substring(s: Any, start: Any, end: Any = None) -> str:
    """Return a newly allocated string formed from the characters of STR
    beginning with index START (inclusive) and ending with index END (exclusive)."""
    if type(s) is str and type(start) is int and type(end) is int \
            and 0 <= start <= end <= len(s):
        return s[start:end]
    _check_string("substring", 1, s)
    a, b = _range("substring", s, start, end, 2)
    return s[a:b]


@primitive("string-append", "args")
def string_append(*args: Any) -> str:
    """Return a newly allocated string whose characters form the concatenation
    of the given strings, ARGS."""
    try:
        return "".join(args)
    except TypeError:
        for x in args:
            if type(x) is not str:
                raise wrong_type_nopos("string-append", "string", x) from None
        raise


@primitive("string-concatenate", "(ls)")
def string_concatenate(ls: Any) -> str:
    """Append the elements (which must be strings) of LS together into a single string."""
    return string_append(*_items("string-concatenate", 1, ls))


@primitive("string-concatenate-reverse", "(ls #:optional final_string end)")
def string_concatenate_reverse(ls: Any, final_string: Any = "", end: Any = None) -> str:
    """Append the strings of LS in reverse order, followed by FINAL_STRING."""
    items = _items("string-concatenate-reverse", 1, ls)
    fin = final_string if end is None else final_string[:end]
    return string_append(*reversed(items), fin)


@primitive("string-copy", "(str #:optional start end)")
def string_copy(s: Any, start: Any = None, end: Any = None) -> str:
    """Return a copy of the given string STR (or of its START..END part)."""
    _check_string("string-copy", 1, s)
    a, b = _range("string-copy", s, start, end, 2)
    return s[a:b]


alias_names: dict[str, Any] = {"substring/shared": substring, "substring/copy": substring}


@primitive("string->list", "(str #:optional start end)")
def string_to_list(s: Any, start: Any = None, end: Any = None) -> Any:
    """Return a newly allocated list of the characters that make up STR."""
    _check_string("string->list", 1, s)
    a, b = _range("string->list", s, start, end, 2)
    r = NIL
    for ch in reversed(s[a:b]):
        r = Pair(Char(ord(ch)), r)
    return r


@primitive("list->string", "(chars)")
def list_to_string(chars: Any) -> str:
    """Return a newly allocated string composed of the characters contained in CHARS."""
    out = []
    p = chars
    while type(p) is Pair:
        c = p.car
        if type(c) is not Char:
            raise wrong_type_nopos("string", "character", c)
        out.append(c.char)
        p = p.cdr
    if p is not NIL:
        raise wrong_type("list->string", 1, "list", chars)
    return "".join(out)


@primitive("reverse-list->string", "(chars)")
def reverse_list_to_string(chars: Any) -> str:
    """An efficient way to do (list->string (reverse chars))."""
    return list_to_string(chars)[::-1]


@primitive("string->vector", "(str #:optional start end)")
def string_to_vector(s: Any, start: Any = None, end: Any = None) -> list[Char]:
    """Return a newly allocated vector of the characters of STR."""
    _check_string("string->vector", 1, s)
    a, b = _range("string->vector", s, start, end, 2)
    return [Char(ord(c)) for c in s[a:b]]


@primitive("vector->string", "(v #:optional start end)")
def vector_to_string(v: Any, start: Any = None, end: Any = None) -> str:
    """Return a newly allocated string of the characters of the vector V."""
    if type(v) is not list:
        raise wrong_type("vector->string", 1, "vector", v)
    a = 0 if start is None else start
    b = len(v) if end is None else end
    out = []
    for c in v[a:b]:
        if type(c) is not Char:
            raise wrong_type("vector->string", 1, "character", c)
        out.append(c.char)
    return "".join(out)


@primitive("string-set!", "(str k chr)")
def string_set(s: Any, k: Any, chr: Any) -> Any:
    """Store CHR in element K of STR (unsupported: strings are immutable in schemos)."""
    _check_string("string-set!", 1, s)
    if type(k) is not int:
        raise wrong_type("string-set!", 2, "exact integer", k)
    if not 0 <= k < len(s):
        raise out_of_range("string-set!", 2, k)
    _check_char("string-set!", 3, chr)
    raise immutable_string_error("string-set!", s)


@primitive("string-fill!", "(str chr #:optional start end)")
def string_fill(s: Any, chr: Any, start: Any = None, end: Any = None) -> Any:
    """Store CHR in every element of STR (unsupported: strings are immutable in schemos)."""
    _check_string("string-fill!", 1, s)
    raise immutable_string_error("string-fill!", s)


@primitive("string-copy!", "(to at from #:optional start end)")
def string_copy_bang(to: Any, at: Any, frm: Any, start: Any = None, end: Any = None) -> Any:
    """Copy FROM into TO at AT (unsupported: strings are immutable in schemos)."""
    _check_string("string-copy!", 1, to)
    raise immutable_string_error("string-copy!", to)


# ---------------------------------------------------------------- comparison


def _string_compare(name: str, who: str, key: Callable[[str], str],
                    op: Callable[[Any, Any], bool]) -> Any:
    def compare(*strs: Any) -> bool:
        for i, s in enumerate(strs):
            if type(s) is not str:
                raise wrong_type(who, i + 1, "string", s)
        for i in range(len(strs) - 1):
            if not op(key(strs[i]), key(strs[i + 1])):
                return False
        return True

    compare.__name__ = name
    return compare


def _same(s: str) -> str:
    return s


def _fold(s: str) -> str:
    return s.casefold()


for _sym, _op, _words in _CMP_OPS:
    _f = _string_compare(f"string{_sym}?", f"string{_sym}", _same, _op)
    _f.__doc__ = f"Return #t iff each string is lexicographically {_words} the next."
    primitive(f"string{_sym}?", "(#:optional s1 s2 . rest)")(_f)
    _f = _string_compare(f"string-ci{_sym}?", f"string-ci{_sym}", _fold, _op)
    _f.__doc__ = f"Return #t iff each string is {_words} the next, ignoring case."
    primitive(f"string-ci{_sym}?", "(#:optional s1 s2 . rest)")(_f)


@primitive("string=?", "(#:optional s1 s2 . rest)")
def string_eq(s1: Any = _MISSING, s2: Any = _MISSING, *rest: Any) -> bool:
    """Lexicographic equality predicate; return #t if all strings are the same."""
    if type(s1) is str and type(s2) is str and not rest:
        return s1 == s2
    strs = [x for x in (s1, s2) if x is not _MISSING] + list(rest)
    for i, x in enumerate(strs):
        if type(x) is not str:
            raise wrong_type("string=", i + 1, "string", x)
    return all(x == strs[0] for x in strs)


# ---------------------------------------------------------------- case


def _simple_map(s: str, f: Callable[[str], str]) -> str:
    """Apply a case mapping character by character (Guile's simple case
    mapping: no length changes, no context-dependent final sigma)."""
    r = f(s)
    if len(r) == len(s) and "\u03a3" not in s:
        return r
    return "".join([f(c) if len(f(c)) == 1 else c for c in s])


@primitive("string-upcase", "(str #:optional start end)")
def string_upcase(s: Any, start: Any = None, end: Any = None) -> str:
    """Return a freshly allocated string containing the characters of STR in upper case."""
    _check_string("string-upcase", 1, s)
    a, b = _range("string-upcase", s, start, end, 2)
    return s[:a] + _simple_map(s[a:b], str.upper) + s[b:]


@primitive("string-downcase", "(str #:optional start end)")
def string_downcase(s: Any, start: Any = None, end: Any = None) -> str:
    """Return a freshly allocated string containing the characters of STR in lower case."""
    _check_string("string-downcase", 1, s)
    a, b = _range("string-downcase", s, start, end, 2)
    return s[:a] + _simple_map(s[a:b], str.lower) + s[b:]


@primitive("string-foldcase", "(str)")
def string_foldcase(s: Any) -> str:
    """Return the case-folded version of STR."""
    _check_string("string-foldcase", 1, s)
    return "".join([_simple_fold(c) for c in s])


@primitive("string-titlecase", "(str #:optional start end)")
def string_titlecase(s: Any, start: Any = None, end: Any = None) -> str:
    """Return a copy of STR with the first alphabetic character of each word
    upcased and the rest downcased."""
    _check_string("string-titlecase", 1, s)
    a, b = _range("string-titlecase", s, start, end, 2)
    out = []
    in_word = False
    for c in s[a:b]:
        if c.isalpha():
            out.append(_simple_lower(c) if in_word else (c.title() if len(c.title()) == 1
                                                          else c))
            in_word = True
        else:
            out.append(c)
            in_word = False
    return s[:a] + "".join(out) + s[b:]


alias_names["string-capitalize"] = string_titlecase


# ---------------------------------------------------------------- higher order


@primitive("string-for-each", "(proc s . rest)")
def string_for_each(proc: Any, s: Any, *rest: Any) -> Any:
    """Call (PROC chr) for each character of S (and of the REST strings, in parallel)."""
    _check_string("string-for-each", 2, s)
    if not rest:
        for c in s:
            call(proc, Char(ord(c)))
        return UNSPECIFIED
    if type(rest[0]) is int:  # Guile's (string-for-each proc s start end)
        a, b = _range("string-for-each", s, rest[0], rest[1] if len(rest) > 1 else None, 3)
        for c in s[a:b]:
            call(proc, Char(ord(c)))
        return UNSPECIFIED
    for i, r in enumerate(rest):
        _check_string("string-for-each", i + 3, r)
    for cs in zip(s, *rest, strict=False):
        call(proc, *[Char(ord(c)) for c in cs])
    return UNSPECIFIED


def _char_result(who: str, r: Any) -> str:
    if type(r) is not Char:
        raise wrong_type(who, 1, "character", r)
    return r.char


@primitive("string-map", "(proc s . rest)")
def string_map(proc: Any, s: Any, *rest: Any) -> str:
    """Map PROC over the characters of S (and of the REST strings, in parallel),
    returning the string of results."""
    _check_string("string-map", 2, s)
    if not rest:
        return "".join([_char_result("string-map", call(proc, Char(ord(c)))) for c in s])
    if type(rest[0]) is int:
        a, b = _range("string-map", s, rest[0], rest[1] if len(rest) > 1 else None, 3)
        return "".join([_char_result("string-map", call(proc, Char(ord(c)))) for c in s[a:b]])
    for i, r in enumerate(rest):
        _check_string("string-map", i + 3, r)
    return "".join([_char_result("string-map", call(proc, *[Char(ord(c)) for c in cs]))
                    for cs in zip(s, *rest, strict=False)])


@primitive("string-fold", "(kons knil s #:optional start end)")
def string_fold(kons: Any, knil: Any, s: Any, start: Any = None, end: Any = None) -> Any:
    """Fold KONS over the characters of S, left to right: (kons chr acc)."""
    _check_string("string-fold", 3, s)
    a, b = _range("string-fold", s, start, end, 4)
    acc = knil
    for c in s[a:b]:
        acc = call(kons, Char(ord(c)), acc)
    return acc


@primitive("string-fold-right", "(kons knil s #:optional start end)")
def string_fold_right(kons: Any, knil: Any, s: Any, start: Any = None,
                      end: Any = None) -> Any:
    """Fold KONS over the characters of S, right to left: (kons chr acc)."""
    _check_string("string-fold-right", 3, s)
    a, b = _range("string-fold-right", s, start, end, 4)
    acc = knil
    for c in reversed(s[a:b]):
        acc = call(kons, Char(ord(c)), acc)
    return acc


@primitive("string-tabulate", "(proc len)")
def string_tabulate(proc: Any, n: Any) -> str:
    """Return a string of length LEN whose characters are (PROC i)."""
    if type(n) is not int or n < 0:
        raise wrong_type("string-tabulate", 2, "exact non-negative integer", n)
    return "".join([_char_result("string-tabulate", call(proc, i)) for i in range(n)])


@primitive("string-any", "(char_pred s #:optional start end)")
def string_any(char_pred: Any, s: Any, start: Any = None, end: Any = None) -> Any:
    """Return the first true value of CHAR_PRED on the characters of S, or #f."""
    _check_string("string-any", 2, s)
    a, b = _range("string-any", s, start, end, 3)
    if type(char_pred) in (Char, CharSet):
        test = char_matcher("string-any", 1, char_pred)
        return any(test(c) for c in s[a:b])
    for c in s[a:b]:
        r = call(char_pred, Char(ord(c)))
        if r is not False:
            return r
    return False


@primitive("string-every", "(char_pred s #:optional start end)")
def string_every(char_pred: Any, s: Any, start: Any = None, end: Any = None) -> Any:
    """Return #f if CHAR_PRED is false for some character of S, else its last value."""
    _check_string("string-every", 2, s)
    a, b = _range("string-every", s, start, end, 3)
    if type(char_pred) in (Char, CharSet):
        test = char_matcher("string-every", 1, char_pred)
        return all(test(c) for c in s[a:b])
    r: Any = True
    for c in s[a:b]:
        r = call(char_pred, Char(ord(c)))
        if r is False:
            return False
    return r


# ---------------------------------------------------------------- searching


@primitive("string-index", "(s char_pred #:optional start end)")
def string_index(s: Any, char_pred: Any, start: Any = None, end: Any = None) -> Any:
    """Search through the string S from left to right, returning the index of the
    first occurrence of a character which matches CHAR_PRED, or #f."""
    _check_string("string-index", 1, s)
    a, b = _range("string-index", s, start, end, 3)
    if type(char_pred) is Char:
        i = s.find(char_pred.char, a, b)
        return i if i >= 0 else False
    test = char_matcher("string-index", 2, char_pred)
    for i in range(a, b):
        if test(s[i]):
            return i
    return False


@primitive("string-rindex", "(s char_pred #:optional start end)")
def string_rindex(s: Any, char_pred: Any, start: Any = None, end: Any = None) -> Any:
    """Search through the string S from right to left, returning the index of the
    last occurrence of a character which matches CHAR_PRED, or #f."""
    _check_string("string-rindex", 1, s)
    a, b = _range("string-rindex", s, start, end, 3)
    if type(char_pred) is Char:
        i = s.rfind(char_pred.char, a, b)
        return i if i >= 0 else False
    test = char_matcher("string-rindex", 2, char_pred)
    for i in range(b - 1, a - 1, -1):
        if test(s[i]):
            return i
    return False


alias_names["string-index-right"] = string_rindex


@primitive("string-skip", "(s char_pred #:optional start end)")
def string_skip(s: Any, char_pred: Any, start: Any = None, end: Any = None) -> Any:
    """Return the index of the first character of S that does not match CHAR_PRED, or #f."""
    _check_string("string-skip", 1, s)
    a, b = _range("string-skip", s, start, end, 3)
    test = char_matcher("string-skip", 2, char_pred)
    for i in range(a, b):
        if not test(s[i]):
            return i
    return False


@primitive("string-skip-right", "(s char_pred #:optional start end)")
def string_skip_right(s: Any, char_pred: Any, start: Any = None, end: Any = None) -> Any:
    """Return the index of the last character of S that does not match CHAR_PRED, or #f."""
    _check_string("string-skip-right", 1, s)
    a, b = _range("string-skip-right", s, start, end, 3)
    test = char_matcher("string-skip-right", 2, char_pred)
    for i in range(b - 1, a - 1, -1):
        if not test(s[i]):
            return i
    return False


@primitive("string-count", "(s char_pred #:optional start end)")
def string_count(s: Any, char_pred: Any, start: Any = None, end: Any = None) -> int:
    """Return the count of the number of characters in the string S which match CHAR_PRED."""
    _check_string("string-count", 1, s)
    a, b = _range("string-count", s, start, end, 3)
    if type(char_pred) is Char:
        return s.count(char_pred.char, a, b)
    test = char_matcher("string-count", 2, char_pred)
    return sum(1 for c in s[a:b] if test(c))


def _two_strings(who: str, s1: Any, s2: Any, start1: Any, end1: Any, start2: Any,
                 end2: Any) -> tuple[str, str]:
    _check_string(who, 1, s1)
    _check_string(who, 2, s2)
    a1, b1 = _range(who, s1, start1, end1, 3)
    a2, b2 = _range(who, s2, start2, end2, 5)
    return s1[a1:b1], s2[a2:b2]


@primitive("string-contains", "(s1 s2 #:optional start1 end1 start2 end2)")
def string_contains(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
                    start2: Any = None, end2: Any = None) -> Any:
    """Does string S1 contain string S2?  Return the index in S1 where S2 occurs
    as a substring, or #f."""
    _check_string("string-contains", 1, s1)
    _check_string("string-contains", 2, s2)
    a1, b1 = _range("string-contains", s1, start1, end1, 3)
    a2, b2 = _range("string-contains", s2, start2, end2, 5)
    i = s1.find(s2[a2:b2], a1, b1)
    return i if i >= 0 else False


@primitive("string-contains-ci", "(s1 s2 #:optional start1 end1 start2 end2)")
def string_contains_ci(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
                       start2: Any = None, end2: Any = None) -> Any:
    """Like string-contains, but case-insensitive."""
    _check_string("string-contains-ci", 1, s1)
    _check_string("string-contains-ci", 2, s2)
    a1, b1 = _range("string-contains-ci", s1, start1, end1, 3)
    a2, b2 = _range("string-contains-ci", s2, start2, end2, 5)
    hay = "".join(_simple_fold(c) for c in s1)
    i = hay.find("".join(_simple_fold(c) for c in s2[a2:b2]), a1, b1)
    return i if i >= 0 else False


@primitive("string-prefix?", "(s1 s2 #:optional start1 end1 start2 end2)")
def string_prefix(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
                  start2: Any = None, end2: Any = None) -> bool:
    """Is S1 a prefix of S2?"""
    if type(s1) is str and type(s2) is str and start1 is None:
        return s2.startswith(s1)
    a, b = _two_strings("string-prefix?", s1, s2, start1, end1, start2, end2)
    return b.startswith(a)


@primitive("string-suffix?", "(s1 s2 #:optional start1 end1 start2 end2)")
def string_suffix(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
                  start2: Any = None, end2: Any = None) -> bool:
    """Is S1 a suffix of S2?"""
    if type(s1) is str and type(s2) is str and start1 is None:
        return s2.endswith(s1)
    a, b = _two_strings("string-suffix?", s1, s2, start1, end1, start2, end2)
    return b.endswith(a)


@primitive("string-prefix-ci?", "(s1 s2 #:optional start1 end1 start2 end2)")
def string_prefix_ci(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
                     start2: Any = None, end2: Any = None) -> bool:
    """Is S1 a prefix of S2, ignoring case?"""
    a, b = _two_strings("string-prefix-ci?", s1, s2, start1, end1, start2, end2)
    return b.casefold().startswith(a.casefold())


@primitive("string-suffix-ci?", "(s1 s2 #:optional start1 end1 start2 end2)")
def string_suffix_ci(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
                     start2: Any = None, end2: Any = None) -> bool:
    """Is S1 a suffix of S2, ignoring case?"""
    a, b = _two_strings("string-suffix-ci?", s1, s2, start1, end1, start2, end2)
    return b.casefold().endswith(a.casefold())


# ---------------------------------------------------------------- splitting & joining


@primitive("string-join", "(ls #:optional delimiter grammar)")
def string_join(ls: Any, delimiter: Any = " ", grammar: Any = None) -> str:
    """Append the string in the string list LS, using the string DELIMITER as a
    delimiter between the elements of LS.  GRAMMAR is one of infix (the
    default), strict-infix, suffix or prefix."""
    items = []
    p = ls
    while type(p) is Pair:
        x = p.car
        if type(x) is not str:
            raise wrong_type_nopos("string-append", "string", x)
        items.append(x)
        p = p.cdr
    if p is not NIL:
        raise wrong_type("string-join", 1, "list", ls)
    _check_string("string-join", 2, delimiter)
    g = "infix" if grammar is None else (grammar.name if type(grammar) is Symbol else None)
    if g == "infix":
        return delimiter.join(items)
    if g == "strict-infix":
        if not items:
            raise misc_error("string-join", "strict-infix grammar requires non-empty list")
        return delimiter.join(items)
    if g == "suffix":
        return "".join([x + delimiter for x in items])
    if g == "prefix":
        return "".join([delimiter + x for x in items])
    raise wrong_type_arg("string-join", 3, grammar)


@primitive("string-split", "(str char_pred)")
def string_split(s: Any, char_pred: Any) -> Any:
    """Split the string STR into a list of substrings delimited by appearances of
    characters that match CHAR_PRED (a character, char-set or predicate)."""
    _check_string("string-split", 1, s)
    if type(char_pred) is Char:
        return build_list(s.split(char_pred.char))
    if type(char_pred) is not CharSet and not callable(char_pred):
        raise wrong_type_arg("string-split", 2, char_pred)
    test = char_matcher("string-split", 2, char_pred)
    out = []
    last = 0
    for i, c in enumerate(s):
        if test(c):
            out.append(s[last:i])
            last = i + 1
    out.append(s[last:])
    return build_list(out)


@primitive("string-tokenize", "(s #:optional token_set start end)")
def string_tokenize(s: Any, token_set: Any = None, start: Any = None, end: Any = None) -> Any:
    """Split the string S into a list of substrings, where each substring is a
    maximal non-empty contiguous sequence of characters from the character
    set TOKEN_SET (default char-set:graphic; a predicate is also accepted)."""
    _check_string("string-tokenize", 1, s)
    if token_set is None:
        token_set = char_set_graphic
    if type(token_set) is not CharSet and (type(token_set) is Char or not callable(token_set)):
        raise wrong_type_arg("string-tokenize", 2, token_set)
    test = char_matcher("string-tokenize", 2, token_set)
    a, b = _range("string-tokenize", s, start, end, 3)
    out = []
    cur: list[str] = []
    for c in s[a:b]:
        if test(c):
            cur.append(c)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return build_list(out)


# ---------------------------------------------------------------- padding & trimming


def _pad_char(who: str, chr: Any) -> str:
    if chr is None:
        return " "
    _check_char(who, 3, chr)
    return chr.char


def _check_len(who: str, n: Any) -> int:
    if type(n) is not int or n < 0:
        raise wrong_type(who, 2, "exact non-negative integer", n)
    return n


@primitive("string-pad", "(s len #:optional chr start end)")
def string_pad(s: Any, n: Any, chr: Any = None, start: Any = None, end: Any = None) -> str:
    """Take that characters from START to END from the string S and return a new
    string, right-padded by the character CHR to length LEN.  If the resulting
    string is longer than LEN, it is truncated on the left."""
    _check_string("string-pad", 1, s)
    n = _check_len("string-pad", n)
    c = _pad_char("string-pad", chr)
    a, b = _range("string-pad", s, start, end, 4)
    t = s[a:b]
    if len(t) >= n:
        return t[len(t) - n:]
    return c * (n - len(t)) + t


@primitive("string-pad-right", "(s len #:optional chr start end)")
def string_pad_right(s: Any, n: Any, chr: Any = None, start: Any = None,
                     end: Any = None) -> str:
    """Take that characters from START to END from the string S and return a new
    string, left-padded by the character CHR to length LEN.  If the resulting
    string is longer than LEN, it is truncated on the right."""
    _check_string("string-pad-right", 1, s)
    n = _check_len("string-pad-right", n)
    c = _pad_char("string-pad-right", chr)
    a, b = _range("string-pad-right", s, start, end, 4)
    t = s[a:b]
    if len(t) >= n:
        return t[:n]
    return t + c * (n - len(t))


def _trim_test(who: str, char_pred: Any) -> Callable[[str], bool]:
    if char_pred is None:
        return str.isspace
    return char_matcher(who, 2, char_pred)


@primitive("string-trim", "(s #:optional char_pred start end)")
def string_trim(s: Any, char_pred: Any = None, start: Any = None, end: Any = None) -> str:
    """Trim S by skipping over all characters on the left that satisfy CHAR_PRED
    (whitespace by default)."""
    _check_string("string-trim", 1, s)
    a, b = _range("string-trim", s, start, end, 3)
    if char_pred is None:
        return s[a:b].lstrip()
    test = _trim_test("string-trim", char_pred)
    while a < b and test(s[a]):
        a += 1
    return s[a:b]


@primitive("string-trim-right", "(s #:optional char_pred start end)")
def string_trim_right(s: Any, char_pred: Any = None, start: Any = None,
                      end: Any = None) -> str:
    """Trim S by skipping over all characters on the right that satisfy CHAR_PRED
    (whitespace by default)."""
    _check_string("string-trim-right", 1, s)
    a, b = _range("string-trim-right", s, start, end, 3)
    if char_pred is None:
        return s[a:b].rstrip()
    test = _trim_test("string-trim-right", char_pred)
    while b > a and test(s[b - 1]):
        b -= 1
    return s[a:b]


@primitive("string-trim-both", "(s #:optional char_pred start end)")
def string_trim_both(s: Any, char_pred: Any = None, start: Any = None,
                     end: Any = None) -> str:
    """Trim S by skipping over all characters on both sides that satisfy CHAR_PRED
    (whitespace by default)."""
    _check_string("string-trim-both", 1, s)
    a, b = _range("string-trim-both", s, start, end, 3)
    if char_pred is None:
        return s[a:b].strip()
    test = _trim_test("string-trim-both", char_pred)
    while a < b and test(s[a]):
        a += 1
    while b > a and test(s[b - 1]):
        b -= 1
    return s[a:b]


# ---------------------------------------------------------------- misc SRFI-13


@primitive("string-reverse", "(str #:optional start end)")
def string_reverse(s: Any, start: Any = None, end: Any = None) -> str:
    """Reverse the string STR (or its START..END part)."""
    _check_string("string-reverse", 1, s)
    a, b = _range("string-reverse", s, start, end, 2)
    return s[:a] + s[a:b][::-1] + s[b:]


def _take_n(who: str, s: Any, n: Any) -> int:
    _check_string(who, 1, s)
    if type(n) is not int:
        raise wrong_type(who, 2, "exact integer", n)
    if not 0 <= n <= len(s):
        raise out_of_range(who, 2, n)
    return n


@primitive("string-take", "(s n)")
def string_take(s: Any, n: Any) -> str:
    """Return the N first characters of S."""
    n = _take_n("string-take", s, n)
    return s[:n]


@primitive("string-drop", "(s n)")
def string_drop(s: Any, n: Any) -> str:
    """Return all but the first N characters of S."""
    n = _take_n("string-drop", s, n)
    return s[n:]


@primitive("string-take-right", "(s n)")
def string_take_right(s: Any, n: Any) -> str:
    """Return the N last characters of S."""
    n = _take_n("string-take-right", s, n)
    return s[len(s) - n:]


@primitive("string-drop-right", "(s n)")
def string_drop_right(s: Any, n: Any) -> str:
    """Return all but the last N characters of S."""
    n = _take_n("string-drop-right", s, n)
    return s[: len(s) - n]


@primitive("string-filter", "(char_pred s #:optional start end)")
def string_filter(char_pred: Any, s: Any, start: Any = None, end: Any = None) -> str:
    """Filter the string S, retaining only those characters which satisfy CHAR_PRED."""
    _check_string("string-filter", 2, s)
    a, b = _range("string-filter", s, start, end, 3)
    test = char_matcher("string-filter", 1, char_pred)
    return "".join([c for c in s[a:b] if test(c)])


@primitive("string-delete", "(char_pred s #:optional start end)")
def string_delete(char_pred: Any, s: Any, start: Any = None, end: Any = None) -> str:
    """Delete characters satisfying CHAR_PRED from S."""
    _check_string("string-delete", 2, s)
    a, b = _range("string-delete", s, start, end, 3)
    test = char_matcher("string-delete", 1, char_pred)
    return "".join([c for c in s[a:b] if not test(c)])


@primitive("string-replace", "(s1 s2 #:optional start1 end1 start2 end2)")
def string_replace(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
                   start2: Any = None, end2: Any = None) -> str:
    """Return the string S1, but with the characters START1 ... END1 replaced by
    the characters START2 ... END2 from S2."""
    _check_string("string-replace", 1, s1)
    _check_string("string-replace", 2, s2)
    a1, b1 = _range("string-replace", s1, start1, end1, 3)
    a2, b2 = _range("string-replace", s2, start2, end2, 5)
    return s1[:a1] + s2[a2:b2] + s1[b1:]


@primitive("string-replace-substring", "(str match replacement)")
def string_replace_substring(s: Any, match: Any, replacement: Any) -> str:
    """Return a new string where every instance of MATCH in STR is replaced by REPLACEMENT."""
    _check_string("string-replace-substring", 1, s)
    _check_string("string-replace-substring", 2, match)
    _check_string("string-replace-substring", 3, replacement)
    if not match:
        return s
    return s.replace(match, replacement)


@primitive("string-hash", "(s #:optional bound start end)")
def string_hash(s: Any, bound: Any = None, start: Any = None, end: Any = None) -> int:
    """Compute a hash value for S, optionally reduced modulo BOUND."""
    _check_string("string-hash", 1, s)
    a, b = _range("string-hash", s, start, end, 3)
    h = 0
    for c in s[a:b]:
        h = (h * 31 + ord(c)) & 0x3FFFFFFFFFFFFFFF
    return h % bound if type(bound) is int and bound > 0 else h


# ---------------------------------------------------------------- symbols


@primitive("symbol?", "(obj)")
def is_symbol(obj: Any) -> bool:
    """Return #t if OBJ is a symbol, otherwise return #f."""
    t = type(obj)
    return t is Symbol or t is UninternedSymbol


@primitive("symbol->string", "(s)")
def symbol_to_string(s: Any) -> str:
    """Return the name of symbol S as a string."""
    t = type(s)
    if t is Symbol or t is UninternedSymbol:
        return s.name
    raise wrong_type("symbol->string", 1, "symbol", s)


@primitive("string->symbol", "(string)")
def string_to_symbol(string: Any) -> Symbol:
    """Return the symbol whose name is STRING."""
    if type(string) is str:
        sym = _SYMBOL_TABLE.get(string)
        return sym if sym is not None else Symbol(string)
    raise wrong_type("string->symbol", 1, "string", string)


@primitive("string-ci->symbol", "(str)")
def string_ci_to_symbol(s: Any) -> Symbol:
    """Return the symbol whose name is STR, case-folded."""
    _check_string("string-ci->symbol", 1, s)
    return Symbol(s.casefold())


@primitive("make-symbol", "(name)")
def make_symbol(name: Any) -> UninternedSymbol:
    """Return a new uninterned symbol with the name NAME."""
    _check_string("make-symbol", 1, name)
    return UninternedSymbol(name)


@primitive("string->uninterned-symbol", "(str)")
def string_to_uninterned_symbol(s: Any) -> UninternedSymbol:
    """Return a new uninterned symbol whose name is STR."""
    _check_string("string->uninterned-symbol", 1, s)
    return UninternedSymbol(s)


@primitive("symbol-append", "args")
def symbol_append(*args: Any) -> Symbol:
    """Return a newly allocated symbol whose characters form the concatenation
    of the given symbols, ARGS."""
    parts = []
    for s in args:
        if type(s) is not Symbol and type(s) is not UninternedSymbol:
            raise wrong_type("symbol->string", 1, "symbol", s)
        parts.append(s.name)
    return Symbol("".join(parts))


@primitive("gensym", "(#:optional prefix)")
def gensym(prefix: Any = None) -> Symbol:
    """Create a new symbol with a name constructed from a prefix and a counter
    value.  The string PREFIX can be specified as an optional argument.
    Default prefix is " g"."""
    if prefix is None:
        prefix = " g"
    elif type(prefix) is Symbol:
        prefix = prefix.name
    elif type(prefix) is not str:
        raise wrong_type("gensym", 1, "string", prefix)
    n = _gensym_counter[0]
    _gensym_counter[0] = n + 1
    return Symbol(f"{prefix}{n}")


@primitive("symbol<?", "(a b . rest)")
def symbol_lt(a: Any, b: Any, *rest: Any) -> bool:
    """Return #t if the names of the symbols are in strictly increasing order."""
    syms = (a, b) + rest
    names = [symbol_to_string(s) for s in syms]
    return all(x < y for x, y in zip(names, names[1:], strict=False))


# ---------------------------------------------------------------- keywords


@primitive("keyword?", "(obj)")
def is_keyword(obj: Any) -> bool:
    """Return #t if the argument OBJ is a keyword, else #f."""
    return type(obj) is Keyword


@primitive("keyword->symbol", "(keyword)")
def keyword_to_symbol(keyword: Any) -> Symbol:
    """Return the symbol with the same name as KEYWORD."""
    if type(keyword) is not Keyword:
        raise wrong_type("keyword->symbol", 1, "keyword", keyword)
    return Symbol(keyword.name)


@primitive("symbol->keyword", "(symbol)")
def symbol_to_keyword(symbol: Any) -> Keyword:
    """Return the keyword with the same name as SYMBOL."""
    if type(symbol) is not Symbol and type(symbol) is not UninternedSymbol:
        raise wrong_type("symbol->keyword", 1, "symbol", symbol)
    return Keyword(symbol.name)


@primitive("keyword->string", "(keyword)")
def keyword_to_string(keyword: Any) -> str:
    """Return the name of KEYWORD as a string (SRFI-88)."""
    if type(keyword) is not Keyword:
        raise wrong_type("keyword->string", 1, "keyword", keyword)
    return keyword.name


@primitive("string->keyword", "(str)")
def string_to_keyword(s: Any) -> Keyword:
    """Return the keyword whose name is STR (SRFI-88)."""
    _check_string("string->keyword", 1, s)
    return Keyword(s)


def _register_aliases() -> None:
    from schemos.runtime.core import alias

    for name, fn in alias_names.items():
        alias(name, fn)


_register_aliases()

__all__ = ["CharSet", "CHAR_SETS", "char_matcher", "immutable_string_error", "string_append",
           "string_length", "string_ref", "substring", "symbol_to_string", "string_to_symbol"]
