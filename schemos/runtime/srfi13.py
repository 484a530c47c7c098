"""The SRFI-13 string procedures of Guile's core that :mod:`chars_strings` lacks.

Guile binds every SRFI-13 procedure in its default environment (the module
``(srfi srfi-13)`` only re-exports them), so these are builtins too:
the SRFI-13 comparisons (``string<``, ``string-compare`` …, which take
optional substring ranges), prefix/suffix lengths, ``string-unfold``,
``xsubstring`` and the ``/shared`` variants.  Strings are immutable in
schemos, so the linear-update procedures (``string-upcase!``,
``string-map!`` …) raise the error :func:`immutable_string_error` gives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schemos.datum import UNSPECIFIED, Char
from schemos.errors import out_of_range, wrong_type
from schemos.module import mangle
from schemos.runtime.chars_strings import (
    _check_string,
    _range,
    immutable_string_error,
    string_append,
    string_concatenate,
    string_concatenate_reverse,
    string_hash,
)
from schemos.runtime.core import alias, call, primitive

__all__ = ["string_compare", "string_prefix_length", "string_suffix_length", "xsubstring"]


def _pieces(who: str, s1: Any, s2: Any, start1: Any, end1: Any, start2: Any,
            end2: Any) -> tuple[str, int, int, str, int, int]:
    _check_string(who, 1, s1)
    _check_string(who, 2, s2)
    a1, b1 = _range(who, s1, start1, end1, 3)
    a2, b2 = _range(who, s2, start2, end2, 5)
    return s1, a1, b1, s2, a2, b2


def _mismatch(s1: str, a1: int, b1: int, s2: str, a2: int, b2: int,
              fold: bool) -> tuple[int, int]:
    """(index in S1 of the first mismatch, -1/0/1 comparison of the ranges)."""
    i, j = a1, a2
    while i < b1 and j < b2:
        c1, c2 = s1[i], s2[j]
        if fold:
            c1, c2 = c1.lower(), c2.lower()
        if c1 != c2:
            return i, (-1 if c1 < c2 else 1)
        i += 1
        j += 1
    n1, n2 = b1 - a1, b2 - a2
    return i, (0 if n1 == n2 else -1 if n1 < n2 else 1)


@primitive("string-compare", "(s1 s2 proc_lt proc_eq proc_gt #:optional start1 end1 "
           "start2 end2)")
def string_compare(s1: Any, s2: Any, lt: Any, eq: Any, gt: Any, start1: Any = None,
                   end1: Any = None, start2: Any = None, end2: Any = None) -> Any:
    """Compare S1 and S2 and call PROC_LT, PROC_EQ or PROC_GT with the index in S1 of
    the first mismatch."""
    p = _pieces("string-compare", s1, s2, start1, end1, start2, end2)
    i, c = _mismatch(*p, fold=False)
    return call(lt if c < 0 else eq if c == 0 else gt, i)


@primitive("string-compare-ci", "(s1 s2 proc_lt proc_eq proc_gt #:optional start1 end1 "
           "start2 end2)")
def string_compare_ci(s1: Any, s2: Any, lt: Any, eq: Any, gt: Any, start1: Any = None,
                      end1: Any = None, start2: Any = None, end2: Any = None) -> Any:
    """Like ``string-compare``, ignoring case."""
    p = _pieces("string-compare-ci", s1, s2, start1, end1, start2, end2)
    i, c = _mismatch(*p, fold=True)
    return call(lt if c < 0 else eq if c == 0 else gt, i)


_RELATIONS: dict[str, Callable[[int], bool]] = {
    "=": lambda c: c == 0,
    "<>": lambda c: c != 0,
    "<": lambda c: c < 0,
    ">": lambda c: c > 0,
    "<=": lambda c: c <= 0,
    ">=": lambda c: c >= 0,
}


def _relation(name: str, op: str, test: Callable[[int], bool],
              fold: bool) -> Callable[..., bool]:
    def rel(s1: Any, s2: Any, start1: Any = None, end1: Any = None, start2: Any = None,
            end2: Any = None) -> bool:
        _, c = _mismatch(*_pieces(name, s1, s2, start1, end1, start2, end2), fold=fold)
        return test(c)

    # a module-level name, so that pickle (the module cache) finds the function
    rel.__name__ = rel.__qualname__ = "string" + mangle(name[6:])
    globals()[rel.__name__] = rel
    how = ", ignoring case" if fold else ""
    rel.__doc__ = f"Return #t if S1 {op} S2 in lexicographic order{how}."
    return rel


for _op, _test in _RELATIONS.items():
    for _ci in ("", "-ci"):
        _name = f"string{_ci}{_op}"
        primitive(_name, "(s1 s2 #:optional start1 end1 start2 end2)")(
            _relation(_name, _op, _test, bool(_ci)))


@primitive("string-hash-ci", "(s #:optional bound start end)")
def string_hash_ci(s: Any, bound: Any = None, start: Any = None, end: Any = None) -> int:
    """Like ``string-hash``, ignoring case."""
    _check_string("string-hash-ci", 1, s)
    a, b = _range("string-hash-ci", s, start, end, 3)
    return string_hash(s[a:b].lower(), bound)


def _common_prefix(s1: str, a1: int, b1: int, s2: str, a2: int, b2: int, fold: bool) -> int:
    n = 0
    while a1 + n < b1 and a2 + n < b2:
        c1, c2 = s1[a1 + n], s2[a2 + n]
        if c1 != c2 and not (fold and c1.lower() == c2.lower()):
            break
        n += 1
    return n


def _common_suffix(s1: str, a1: int, b1: int, s2: str, a2: int, b2: int, fold: bool) -> int:
    n = 0
    while b1 - n > a1 and b2 - n > a2:
        c1, c2 = s1[b1 - n - 1], s2[b2 - n - 1]
        if c1 != c2 and not (fold and c1.lower() == c2.lower()):
            break
        n += 1
    return n


@primitive("string-prefix-length", "(s1 s2 #:optional start1 end1 start2 end2)")
def string_prefix_length(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
                         start2: Any = None, end2: Any = None) -> int:
    """Return the length of the longest common prefix of the two strings."""
    return _common_prefix(*_pieces("string-prefix-length", s1, s2, start1, end1, start2,
                                   end2), fold=False)


@primitive("string-prefix-length-ci", "(s1 s2 #:optional start1 end1 start2 end2)")
def string_prefix_length_ci(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
                            start2: Any = None, end2: Any = None) -> int:
    """Like ``string-prefix-length``, ignoring case."""
    return _common_prefix(*_pieces("string-prefix-length-ci", s1, s2, start1, end1, start2,
                                   end2), fold=True)


@primitive("string-suffix-length", "(s1 s2 #:optional start1 end1 start2 end2)")
def string_suffix_length(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
                         start2: Any = None, end2: Any = None) -> int:
    """Return the length of the longest common suffix of the two strings."""
    return _common_suffix(*_pieces("string-suffix-length", s1, s2, start1, end1, start2,
                                   end2), fold=False)


@primitive("string-suffix-length-ci", "(s1 s2 #:optional start1 end1 start2 end2)")
def string_suffix_length_ci(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
                            start2: Any = None, end2: Any = None) -> int:
    """Like ``string-suffix-length``, ignoring case."""
    return _common_suffix(*_pieces("string-suffix-length-ci", s1, s2, start1, end1, start2,
                                   end2), fold=True)


def _unfold_char(who: str, c: Any) -> str:
    if type(c) is not Char:
        raise wrong_type(who, 2, "character", c)
    return c.char


def _unfold(who: str, p: Any, f: Any, g: Any, seed: Any) -> tuple[list[str], Any]:
    out: list[str] = []
    while call(p, seed) is False:
        out.append(_unfold_char(who, call(f, seed)))
        seed = call(g, seed)
    return out, seed


@primitive("string-unfold", "(p f g seed #:optional base make_final)")
def string_unfold(p: Any, f: Any, g: Any, seed: Any, base: Any = "",
                  make_final: Any = None) -> str:
    """Build a string from SEED: (F seed) gives each character, (G seed) the next seed,
    until (P seed); BASE is put first and (MAKE_FINAL seed) last."""
    _check_string("string-unfold", 5, base)
    chars, seed = _unfold("string-unfold", p, f, g, seed)
    final = call(make_final, seed) if make_final is not None else ""
    _check_string("string-unfold", 6, final)
    return base + "".join(chars) + final


@primitive("string-unfold-right", "(p f g seed #:optional base make_final)")
def string_unfold_right(p: Any, f: Any, g: Any, seed: Any, base: Any = "",
                        make_final: Any = None) -> str:
    """Like ``string-unfold``, building the string from right to left."""
    _check_string("string-unfold-right", 5, base)
    chars, seed = _unfold("string-unfold-right", p, f, g, seed)
    final = call(make_final, seed) if make_final is not None else ""
    _check_string("string-unfold-right", 6, final)
    return final + "".join(reversed(chars)) + base


@primitive("string-for-each-index", "(proc s #:optional start end)")
def string_for_each_index(proc: Any, s: Any, start: Any = None, end: Any = None) -> Any:
    """Call (PROC i) for each index i of S, in order."""
    _check_string("string-for-each-index", 2, s)
    a, b = _range("string-for-each-index", s, start, end, 3)
    for i in range(a, b):
        call(proc, i)
    return UNSPECIFIED


@primitive("xsubstring", "(s from #:optional to start end)")
def xsubstring(s: Any, frm: Any, to: Any = None, start: Any = None, end: Any = None) -> str:
    """The characters FROM..TO of the string S (its START..END range) repeated
    infinitely in both directions."""
    _check_string("xsubstring", 1, s)
    a, b = _range("xsubstring", s, start, end, 4)
    if type(frm) is not int:
        raise wrong_type("xsubstring", 2, "exact integer", frm)
    if to is None:
        to = frm + (b - a)
    elif type(to) is not int:
        raise wrong_type("xsubstring", 3, "exact integer", to)
    if to < frm:
        raise out_of_range("xsubstring", 3, to)
    piece = s[a:b]
    if not piece:
        if to == frm:
            return ""
        raise out_of_range("xsubstring", 4, start if start is not None else 0)
    n = len(piece)
    return "".join([piece[i % n] for i in range(frm, to)])


alias("string-append/shared", string_append)
alias("string-concatenate/shared", string_concatenate)
alias("string-concatenate-reverse/shared", string_concatenate_reverse)


def _immutable(name: str, pos: int) -> Callable[..., Any]:
    def mutate(*args: Any) -> Any:
        s = args[pos - 1] if len(args) >= pos else None
        _check_string(name, pos, s)
        raise immutable_string_error(name, s)

    mutate.__name__ = mutate.__qualname__ = mangle(name)
    globals()[mutate.__name__] = mutate
    mutate.__doc__ = f"{name} (unsupported: strings are immutable in schemos)."
    return mutate


for _name, _pos, _params in (("string-upcase!", 1, "(str #:optional start end)"),
                             ("string-downcase!", 1, "(str #:optional start end)"),
                             ("string-titlecase!", 1, "(str #:optional start end)"),
                             ("string-reverse!", 1, "(str #:optional start end)"),
                             ("string-map!", 2, "(proc s #:optional start end)"),
                             ("string-xcopy!", 1, "(target tstart s sfrom #:optional sto "
                              "start end)")):
    primitive(_name, _params)(_immutable(_name, _pos))
