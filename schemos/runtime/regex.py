"""POSIX regular expressions over Python's :mod:`re`: Guile's ``make-regexp`` and
``regexp-exec`` (core builtins) and the ``(ice-9 regex)`` procedures.

Guile hands patterns to the C library's POSIX ``regcomp`` (extended syntax
by default, basic with ``regexp/basic``); :func:`translate` rewrites them
into Python's syntax:

* bracket expressions: ``[[:alpha:]]`` and the other classes (ASCII), ``]``
  first in the set is literal, a backslash is literal inside brackets;
* ``.`` and ``[^...]`` match a newline unless ``regexp/newline`` is given,
  ``$`` matches only at the very end (Python's also before a final
  newline); ``regexp/notbol``/``regexp/noteol`` stop ``^``/``$`` from
  matching at the start/end of the string;
* GNU's ``\\<`` ``\\>`` ``\\w`` ``\\W`` ``\\s`` ``\\S`` ``\\b`` ``\\B`` and
  back-references ``\\1``..``\\9``; any other escaped character is literal
  (``\\d`` is ``d``, as in glibc);
* a repetition operator applied to a repetition (``a+?``) repeats it
  (POSIX), rather than making it lazy (Python).

POSIX picks the leftmost-*longest* match; Python's alternation picks the
first alternative that matches, so ``a|ab`` matches ``a`` of ``abc`` where
Guile matches ``ab``.  That difference is not emulated.

A match is what Guile's is, a vector ``#(string (start . end) ...)`` with
``(-1 . -1)`` for a group that did not participate.
"""

from __future__ import annotations

import re
from typing import Any

from schemos.datum import UNSPECIFIED, Pair, Symbol, from_list
from schemos.errors import Condition, SchemeError, out_of_range, wrong_type
from schemos.runtime.core import call, primitive

__all__ = ["Regexp", "translate", "make_regexp", "regexp_exec", "string_match",
           "REGEX_NAMES"]

#: compile flags (the values of Guile's variables of the same names)
REGEXP_BASIC = 0
REGEXP_EXTENDED = 1
REGEXP_ICASE = 2
REGEXP_NEWLINE = 4
#: execution flags
REGEXP_NOTBOL = 1
REGEXP_NOTEOL = 2

_CLASSES = {
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "alnum": "a-zA-Z0-9",
    "upper": "A-Z",
    "lower": "a-z",
    "space": " \\t\\n\\r\\f\\v",
    "blank": " \\t",
    "punct": "!-/:-@\\[-`{-~",
    "print": " -~",
    "graph": "!-~",
    "cntrl": "\\x00-\\x1f\\x7f",
    "xdigit": "0-9A-Fa-f",
}

#: characters that need a backslash inside a Python character class
_CLASS_SPECIAL = set("\\]^-[&~|")


def _syntax_error(message: str, pattern: str) -> SchemeError:
    return SchemeError(Condition("regular-expression-syntax", message, who="make-regexp",
                                 args=[], irritants=[pattern], extra=from_list([pattern])))


def _class_char(c: str) -> str:
    return "\\" + c if c in _CLASS_SPECIAL else c


def _bracket(p: str, i: int, newline: bool, pattern: str) -> tuple[str, int]:
    """Translate the bracket expression starting after the ``[`` at ``p[i-1]``."""
    n = len(p)
    negate = i < n and p[i] == "^"
    if negate:
        i += 1
    items: list[str] = []
    first = True
    while True:
        if i >= n:
            raise _syntax_error("Unmatched [, [^, [:, [., or [=", pattern)
        c = p[i]
        if c == "]" and not first:
            i += 1
            break
        first = False
        if c == "[" and i + 1 < n and p[i + 1] in ":.=":
            kind = p[i + 1]
            end = p.find(kind + "]", i + 2)
            if end < 0:
                raise _syntax_error("Unmatched [, [^, [:, [., or [=", pattern)
            name = p[i + 2:end]
            i = end + 2
            if kind == ":":
                cls = _CLASSES.get(name)
                if cls is None:
                    raise _syntax_error("Invalid character class name", pattern)
                items.append(cls)
                continue
            if len(name) != 1:
                raise _syntax_error("Invalid collation character", pattern)
            c = name
        else:
            i += 1
        # a range c-d (a '-' before the closing ']' is literal)
        if i + 1 < n and p[i] == "-" and p[i + 1] != "]":
            hi = p[i + 1]
            i += 2
            if hi == "[" and i < n and p[i] in ".=":
                end = p.find(p[i] + "]", i + 1)
                if end < 0 or end != i + 2:
                    raise _syntax_error("Invalid range end", pattern)
                hi = p[i + 1]
                i = end + 2
            if ord(hi) < ord(c):
                raise _syntax_error("Invalid range end", pattern)
            items.append(_class_char(c) + "-" + _class_char(hi))
        else:
            items.append(_class_char(c))
    body = "".join(items)
    if negate:
        # POSIX: a non-matching list matches a newline unless REG_NEWLINE
        return "[^" + body + ("\\n" if newline else "") + "]", i
    return "[" + body + "]", i


def translate(pattern: str, flags: int = REGEXP_EXTENDED, notbol: bool = False,
              noteol: bool = False) -> str:
    """The Python regular expression for the POSIX one ``pattern``."""
    extended = bool(flags & REGEXP_EXTENDED)
    newline = bool(flags & REGEXP_NEWLINE)
    p = pattern
    n = len(p)
    out: list[str] = []
    #: index in ``out`` where the last atom starts (for repetitions), or None
    atom: int | None = None
    #: whether the last piece emitted is a repetition operator
    repeated = False
    i = 0

    def bol() -> str:
        if notbol:
            return "(?<=\\n)" if newline else "(?!)"
        return "(?:(?<=\\n)|\\A)" if newline else "\\A"

    def eol() -> str:
        if noteol:
            return "(?=\\n)" if newline else "(?!)"
        return "(?=\\n|\\Z)" if newline else "\\Z"

    def emit_atom(s: str) -> None:
        nonlocal atom, repeated
        atom = len(out)
        out.append(s)
        repeated = False

    def emit_repeat(op: str, literal: str) -> None:
        nonlocal repeated
        if atom is None:
            # nothing to repeat (start of the pattern or of a group): literal
            emit_atom(re.escape(literal))
            return
        if repeated:
            out[atom:] = ["(?:" + "".join(out[atom:]) + ")"]
        out.append(op)
        repeated = True

    def emit_other(s: str) -> None:
        nonlocal atom, repeated
        out.append(s)
        atom = None
        repeated = False

    groups: list[int] = []
    while i < n:
        c = p[i]
        i += 1
        if c == "\\":
            if i >= n:
                raise _syntax_error("Trailing backslash", pattern)
            d = p[i]
            i += 1
            if not extended and d in "(){}|+?":
                c = d  # a BRE operator; handled below as the ERE one
            elif d in "123456789":
                emit_atom(f"(?:\\{d})")
                continue
            elif d in "wWsS":
                emit_atom("\\" + d)
                continue
            elif d in "bB":
                emit_other("\\" + d)
                continue
            elif d == "<":
                emit_other("\\b(?=\\w)")
                continue
            elif d == ">":
                emit_other("\\b(?<=\\w)")
                continue
            elif d == "`":
                emit_other("\\A")
                continue
            elif d == "'":
                emit_other("\\Z")
                continue
            else:
                emit_atom(re.escape(d))
                continue
        elif not extended and c in "(){}|+?":
            emit_atom(re.escape(c))  # literal in a BRE
            continue
        if c == "[":
            s, i = _bracket(p, i, newline, pattern)
            emit_atom(s)
        elif c == "(":
            groups.append(len(out))
            emit_other("(")
        elif c == ")":
            if not groups:
                raise _syntax_error("Unmatched ) or \\)", pattern)
            start = groups.pop()
            out.append(")")
            atom = start
            repeated = False
        elif c == "|":
            emit_other("|")
        elif c in "*+?":
            emit_repeat(c, c)
        elif c == "{":
            m = re.match(r"(\d*)(,?)(\d*)\\?\}" if not extended else r"(\d*)(,?)(\d*)\}",
                         p[i:])
            if m is None or (not m.group(1) and not m.group(3) and m.group(2) == ""):
                if extended and atom is not None:
                    raise _syntax_error("Invalid content of \\{\\}", pattern)
                emit_atom(re.escape(c))
                continue
            lo = m.group(1) or "0"
            op = "{" + lo + ("," + m.group(3) if m.group(2) else "") + "}"
            i += m.end()
            emit_repeat(op, p[i - m.end() - 1:i])
        elif c == "^":
            emit_other(bol())
        elif c == "$":
            emit_other(eol())
        elif c == ".":
            emit_atom("[^\\n]" if newline else ".")
        else:
            emit_atom(re.escape(c))
    if groups:
        raise _syntax_error("Unmatched ( or \\(", pattern)
    return "".join(out)


class Regexp:
    """A compiled regular expression (Guile's ``#<regexp ...>``)."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags
        #: Python patterns by (notbol, noteol), compiled on first use
        self._compiled: dict[tuple[bool, bool], re.Pattern[str]] = {}
        self.compiled(False, False)  # report syntax errors now, as regcomp does

    def compiled(self, notbol: bool, noteol: bool) -> re.Pattern[str]:
        """The Python pattern for the given execution flags."""
        key = (notbol, noteol)
        c = self._compiled.get(key)
        if c is None:
            src = translate(self.pattern, self.flags, notbol, noteol)
            pyflags = re.DOTALL
            if self.flags & REGEXP_ICASE:
                pyflags |= re.IGNORECASE
            try:
                c = re.compile(src, pyflags)
            except re.error as e:
                raise _syntax_error(str(e), self.pattern) from None
            self._compiled[key] = c
        return c

    def scm_write(self, write: bool = True) -> str:
        """Printed representation, as Guile's."""
        return f"#<regexp {id(self):x}>"


def _check_string(who: str, pos: int, s: Any) -> str:
    if type(s) is not str:
        raise wrong_type(who, pos, "string", s)
    return s


def _check_int(who: str, pos: int, x: Any) -> int:
    if type(x) is not int:
        raise wrong_type(who, pos, "exact integer", x)
    return x


@primitive("make-regexp", "(pat . flags)")
def make_regexp(pat: Any, *flags: Any) -> Regexp:
    """Compile the regular expression PAT (POSIX extended syntax, unless
    ``regexp/basic`` is among FLAGS)."""
    _check_string("make-regexp", 1, pat)
    f = REGEXP_EXTENDED
    for i, x in enumerate(flags):
        if _check_int("make-regexp", i + 2, x) == REGEXP_BASIC:
            f &= ~REGEXP_EXTENDED
        else:
            f |= x
    return Regexp(pat, f)


@primitive("regexp?", "(obj)")
def regexp_p(obj: Any) -> bool:
    """True for compiled regular expressions."""
    return type(obj) is Regexp


def _match_vector(m: re.Match[str], string: str, offset: int) -> list[Any]:
    v: list[Any] = [string]
    for g in range(m.re.groups + 1):
        s, e = m.span(g)
        v.append(Pair(s + offset, e + offset) if s >= 0 else Pair(-1, -1))
    return v


@primitive("regexp-exec", "(rx str #:optional start flags)")
def regexp_exec(rx: Any, s: Any, start: Any = 0, flags: Any = 0) -> Any:
    """Match the compiled regular expression RX against STR from START; return the
    match (a vector) or #f."""
    if type(rx) is not Regexp:
        raise wrong_type("regexp-exec", 1, "regexp", rx)
    _check_string("regexp-exec", 2, s)
    _check_int("regexp-exec", 3, start)
    _check_int("regexp-exec", 4, flags)
    if not 0 <= start <= len(s):
        raise out_of_range("regexp-exec", 3, start)
    pat = rx.compiled(bool(flags & REGEXP_NOTBOL), bool(flags & REGEXP_NOTEOL))
    # the C library matches the substring: ^ and \` match at START
    m = pat.search(s[start:]) if start else pat.search(s)
    return _match_vector(m, s, start) if m is not None else False


_CACHE: dict[str, Regexp] = {}


def _regexp(who: str, x: Any) -> Regexp:
    """X if it is a compiled regexp, else X compiled (cached, as patterns repeat)."""
    if type(x) is Regexp:
        return x
    _check_string(who, 1, x)
    r = _CACHE.get(x)
    if r is None:
        if len(_CACHE) > 512:
            _CACHE.clear()
        r = _CACHE[x] = make_regexp(x)
    return r


# ---------------------------------------------------------------- (ice-9 regex)


@primitive("string-match", "(pattern str . args)")
def string_match(pattern: Any, s: Any, start: Any = 0) -> Any:
    """Match the regular expression PATTERN (a string) against STR from START."""
    return regexp_exec(_regexp("string-match", pattern), s, start)


def _check_match(who: str, m: Any) -> list[Any]:
    if type(m) is not list or not m or type(m[0]) is not str:
        raise wrong_type(who, 1, "regexp match", m)
    return m


def _group(who: str, m: Any, n: Any) -> Pair:
    _check_match(who, m)
    _check_int(who, 2, n)
    if not 0 <= n < len(m) - 1:
        raise out_of_range(who, 2, n)
    return m[n + 1]


@primitive("match:substring", "(match #:optional n)")
def match_substring(m: Any, n: Any = 0) -> Any:
    """The text of group N (0: the whole match) of MATCH, or #f if it did not match."""
    g = _group("match:substring", m, n)
    if g.car < 0:
        return False
    return m[0][g.car:g.cdr]


@primitive("match:start", "(match #:optional n)")
def match_start(m: Any, n: Any = 0) -> Any:
    """Where group N of MATCH starts, or #f."""
    g = _group("match:start", m, n)
    return False if g.car < 0 else g.car


@primitive("match:end", "(match #:optional n)")
def match_end(m: Any, n: Any = 0) -> Any:
    """Where group N of MATCH ends, or #f."""
    g = _group("match:end", m, n)
    return False if g.cdr < 0 else g.cdr


@primitive("match:count", "(match)")
def match_count(m: Any) -> int:
    """The number of groups of MATCH, counting the whole match."""
    return len(_check_match("match:count", m)) - 1


@primitive("match:string", "(match)")
def match_string(m: Any) -> str:
    """The string MATCH was made against."""
    return _check_match("match:string", m)[0]


@primitive("match:prefix", "(match)")
def match_prefix(m: Any) -> str:
    """The part of the string before MATCH."""
    _check_match("match:prefix", m)
    return m[0][:m[1].car]


@primitive("match:suffix", "(match)")
def match_suffix(m: Any) -> str:
    """The part of the string after MATCH."""
    _check_match("match:suffix", m)
    return m[0][m[1].cdr:]


@primitive("regexp-match?", "(obj)")
def regexp_match_p(obj: Any) -> bool:
    """True for the matches that ``regexp-exec`` returns."""
    return (type(obj) is list and len(obj) > 0 and type(obj[0]) is str
            and all(type(g) is Pair and type(g.car) is int and type(g.cdr) is int
                    for g in obj[1:]))


@primitive("regexp-quote", "(str)")
def regexp_quote(s: Any) -> str:
    """A regular expression matching the string STR literally (in both syntaxes)."""
    _check_string("regexp-quote", 1, s)
    out = []
    for c in s:
        if c in "*.\\^$[":
            out.append("\\" + c)
        elif c in "()+?{}|":
            out.append("[" + c + "]")  # a backslash would make them special in a BRE
        else:
            out.append(c)
    return "".join(out)


def _matches(rx: Regexp, s: str, flags: int) -> list[list[Any]]:
    """The non-overlapping, maximal matches of RX in S (as Guile's fold-matches)."""
    out: list[list[Any]] = []
    start = 0
    abuts = False
    n = len(s)
    while start <= n:
        m = regexp_exec(rx, s, start, flags | (REGEXP_NOTBOL if start else 0))
        if m is False:
            break
        ms, me = m[1].car, m[1].cdr
        if ms == me and abuts:
            # an empty match right after the previous match: try further right
            start += 1
            abuts = False
            continue
        out.append(m)
        start = me
        abuts = True
    return out


@primitive("fold-matches", "(regexp string init proc #:optional flags)")
def fold_matches(rx: Any, s: Any, init: Any, proc: Any, flags: Any = 0) -> Any:
    """Fold (PROC match acc) over the non-overlapping matches of REGEXP in STRING."""
    r = _regexp("fold-matches", rx)
    _check_string("fold-matches", 2, s)
    acc = init
    for m in _matches(r, s, _check_int("fold-matches", 5, flags)):
        acc = call(proc, m, acc)
    return acc


@primitive("list-matches", "(regexp string #:optional flags)")
def list_matches(rx: Any, s: Any, flags: Any = 0) -> Any:
    """The non-overlapping matches of REGEXP in STRING, as a list."""
    r = _regexp("list-matches", rx)
    _check_string("list-matches", 2, s)
    return from_list(_matches(r, s, _check_int("list-matches", 3, flags)))


_PRE = Symbol("pre")
_POST = Symbol("post")


def _display(x: Any) -> str:
    from schemos.printer import display_string

    return x if type(x) is str else display_string(x)


def _output(port: Any) -> Any:
    from schemos.runtime.ports import OutputPort

    if port is False:
        return OutputPort()
    if type(port) is not OutputPort:
        raise wrong_type("regexp-substitute", 1, "output port", port)
    return port


def _bad_item(item: Any) -> SchemeError:
    return SchemeError(Condition("misc-error", "", irritants=[Symbol("wrong-type-arg"),
                                                              item]))


@primitive("regexp-substitute", "(port match . items)")
def regexp_substitute(port: Any, m: Any, *items: Any) -> Any:
    """Write ITEMS to PORT (#f: return them as a string): strings, numbers (that
    group of MATCH), ``pre`` and ``post`` (the text before and after MATCH)."""
    out = _output(port)
    _check_match("regexp-substitute", m)
    for item in items:
        if type(item) is str:
            out.write(item)
        elif type(item) is int:
            out.write(_display(match_substring(m, item)))
        elif item is _PRE:
            out.write(match_prefix(m))
        elif item is _POST:
            out.write(match_suffix(m))
        else:
            raise _bad_item(item)
    return out.getvalue() if port is False else UNSPECIFIED


@primitive("regexp-substitute/global", "(port regexp string . items)")
def regexp_substitute_global(port: Any, rx: Any, s: Any, *items: Any) -> Any:
    """Like ``regexp-substitute`` for every match of REGEXP in STRING: ``pre`` is the
    text since the previous match, ``post`` goes on with the next match (and the
    rest of STRING after the last); a procedure item is called with the match."""
    out = _output(port)
    r = _regexp("regexp-substitute/global", rx)
    _check_string("regexp-substitute/global", 3, s)
    matches = _matches(r, s, 0)

    def from_match(i: int, start: int) -> None:
        # each 'post goes on with the next match; a final 'post is a loop
        while True:
            if i >= len(matches):
                out.write(s[start:])
                return
            m = matches[i]
            go_on = False
            for k, item in enumerate(items):
                if type(item) is str:
                    out.write(item)
                elif type(item) is int:
                    out.write(_display(match_substring(m, item)))
                elif callable(item) and not isinstance(item, Symbol):
                    out.write(_display(call(item, m)))
                elif item is _PRE:
                    out.write(s[start:m[1].car])
                elif item is _POST:
                    if k == len(items) - 1:
                        go_on = True
                    else:
                        from_match(i + 1, m[1].cdr)
                else:
                    raise _bad_item(item)
            if not go_on:
                return
            i, start = i + 1, m[1].cdr

    from_match(0, 0)
    return out.getvalue() if port is False else UNSPECIFIED


#: the names of the (ice-9 regex) procedures (Guile's core has the others)
REGEX_NAMES = """string-match match:substring match:start match:end match:count
match:string match:prefix match:suffix regexp-match? regexp-quote fold-matches
list-matches regexp-substitute regexp-substitute/global""".split()

#: the flag variables, bound in every module as in Guile
VARIABLES = {
    "regexp/basic": REGEXP_BASIC,
    "regexp/extended": REGEXP_EXTENDED,
    "regexp/icase": REGEXP_ICASE,
    "regexp/newline": REGEXP_NEWLINE,
    "regexp/notbol": REGEXP_NOTBOL,
    "regexp/noteol": REGEXP_NOTEOL,
}
