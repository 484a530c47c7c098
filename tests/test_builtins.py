"""Tests of the builtin procedures, called directly from Python.

Expected values and error messages were checked against Guile 3.0.8.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest

import schemos.runtime.builtins as builtins
from schemos.datum import (
    EOF,
    NIL,
    UNSPECIFIED,
    Char,
    Keyword,
    Pair,
    Symbol,
    Values,
    from_list,
    to_list,
)
from schemos.errors import SchemeError
from schemos.runtime import numbers, ports
from schemos.runtime.core import PRIMITIVES as P
from schemos.runtime.core import TailCall

S = Symbol


def L(*xs: Any) -> Any:
    return from_list(xs)


def R(text: str) -> Any:
    from schemos.reader import read_one

    return read_one(text)


def C(s: str) -> Char:
    return Char(ord(s))


def err(name: str, *args: Any) -> SchemeError:
    with pytest.raises(SchemeError) as ei:
        P[name](*args)
    return ei.value


def check_err(name: str, args: tuple[Any, ...], key: str, text: str) -> None:
    e = err(name, *args)
    assert e.condition is not None
    assert e.condition.key.name == key
    assert str(e) == text


def same(a: Any, b: Any) -> bool:
    """Equal and of the same type (so 1 vs 1.0 vs True are told apart)."""
    if type(a) is not type(b):
        return False
    if type(a) is float and math.isnan(a):
        return math.isnan(b)
    if type(a) is Pair or type(a) is list:
        return P["equal?"](a, b)
    return a == b


# ---------------------------------------------------------------- numbers

ARITH = [
    ("+", (), 0), ("+", (1, 2), 3), ("+", (1, 2, 3, 4), 10), ("+", (1, 2.5), 3.5),
    ("+", (Fraction(1, 2), Fraction(1, 2)), 1), ("+", (Fraction(1, 3), 1), Fraction(4, 3)),
    ("+", (2 ** 100, 2 ** 100), 2 ** 101), ("+", (10 ** 400, 1.0), math.inf),
    ("-", (5,), -5), ("-", (10, 1, 2), 7), ("-", (0.5, Fraction(1, 2)), 0.0),
    ("-", (Fraction(1, 2),), Fraction(-1, 2)), ("-", (0.0,), -0.0),
    ("*", (), 1), ("*", (2, 3, 4), 24), ("*", (Fraction(1, 2), 2), 1), ("*", (0, 1.5), 0.0),
    ("*", (1.5, 10 ** 400), math.inf),
    ("/", (6, 4), Fraction(3, 2)), ("/", (6, 3), 2), ("/", (2,), Fraction(1, 2)),
    ("/", (6.0, 4), 1.5), ("/", (1, 0.0), math.inf), ("/", (0.0,), math.inf),
    ("/", (0, 5), 0), ("/", (-1, 0.0), -math.inf), ("/", (1, 2, 2), Fraction(1, 4)),
    ("1+", (5,), 6), ("1-", (5,), 4), ("1+", (5.5,), 6.5),
    ("abs", (-5,), 5), ("abs", (Fraction(-1, 2),), Fraction(1, 2)), ("abs", (-0.0,), 0.0),
    ("max", (1, 2.0), 2.0), ("max", (3, 2.0), 3.0), ("min", (1, 2.0), 1.0),
    ("max", (Fraction(1, 2), Fraction(1, 3)), Fraction(1, 2)), ("max", (1, 2, 3), 3),
    ("gcd", (), 0), ("lcm", (), 1), ("gcd", (12, 18, 4.0), 2.0), ("lcm", (4, 6), 12),
    ("gcd", (-4, 6), 2), ("lcm", (-4, 6), 12), ("lcm", (0, 5), 0),
    ("quotient", (7, 2), 3), ("quotient", (-7, 2), -3), ("quotient", (7.0, 2), 3.0),
    ("remainder", (-7, 2), -1), ("remainder", (7, -2), 1), ("modulo", (-7, 2), 1),
    ("modulo", (7, -2), -1), ("modulo", (-7.0, 2), 1.0),
    ("floor-quotient", (7, 2), 3), ("floor-remainder", (-7, 2), 1),
    ("truncate-quotient", (-7, 2), -3), ("truncate-remainder", (-7, 2), -1),
    ("floor", (2.5,), 2.0), ("floor", (Fraction(-7, 2),), -4), ("ceiling", (-0.5,), -0.0),
    ("ceiling", (Fraction(1, 2),), 1), ("truncate", (-3.7,), -3.0), ("truncate", (-0.5,), -0.0),
    ("round", (2.5,), 2.0), ("round", (3.5,), 4.0), ("round", (-2.5,), -2.0),
    ("round", (Fraction(7, 2),), 4), ("round", (Fraction(1, 2),), 0), ("round", (5,), 5),
    ("round", (-0.4,), 0.0), ("floor", (math.inf,), math.inf),
    ("numerator", (Fraction(6, 4),), 3), ("denominator", (Fraction(6, 4),), 2),
    ("numerator", (0.5,), 1.0), ("denominator", (0.5,), 2.0), ("denominator", (0,), 1),
    ("sqrt", (16,), 4), ("sqrt", (2,), 1.4142135623730951), ("sqrt", (Fraction(1, 4),),
                                                              Fraction(1, 2)),
    ("sqrt", (16.0,), 4.0), ("sqrt", (-4,), complex(0.0, 2.0)), ("sqrt", (0,), 0),
    ("sqrt", (10 ** 400,), 10 ** 200), ("sqrt", (10 ** 400 + 1,), 1e200),
    ("expt", (2, 100), 2 ** 100), ("expt", (2, -1), Fraction(1, 2)), ("expt", (2.0, 3), 8.0),
    ("expt", (0, 0), 1), ("expt", (2.5, 0), 1), ("expt", (4, Fraction(1, 2)), 2.0),
    ("expt", (2, 0.5), 1.4142135623730951), ("expt", (-2, -3), Fraction(-1, 8)),
    ("expt", (Fraction(1, 2), -2), 4), ("expt", (10.0, 400), math.inf),
    ("expt", (0, -1), math.nan), ("expt", (0, 0.0), 1.0),
    ("exp", (0,), 1.0), ("exp", (1000,), math.inf), ("log", (1,), 0.0),
    ("log", (0.0,), -math.inf), ("log", (8, 2), 3.0), ("log", (100, 10), 2.0),
    ("log", (10 ** 400,), 921.0340371976182), ("log", (Fraction(1, 2),), -0.6931471805599453),
    ("log", (-1,), complex(0.0, math.pi)),
    ("sin", (0,), 0), ("cos", (0,), 1), ("tan", (0,), 0), ("asin", (0,), 0),
    ("acos", (1,), 0), ("atan", (0,), 0), ("atan", (0, 1), 0.0),
    ("atan", (1, 1), 0.7853981633974483), ("sin", (1,), 0.8414709848078965),
    ("asin", (2,), complex(1.5707963267948966, -1.3169578969248166)),
    ("acos", (2,), complex(0.0, 1.3169578969248166)),
    ("exact->inexact", (Fraction(1, 3),), 0.3333333333333333),
    ("exact->inexact", (10 ** 400,), math.inf), ("inexact", (1,), 1.0),
    ("inexact->exact", (0.5,), Fraction(1, 2)),
    ("inexact->exact", (0.1,), Fraction(3602879701896397, 36028797018963968)),
    ("exact", (1e20,), 100000000000000000000), ("exact", (2.0,), 2),
    ("square", (5,), 25), ("square", (Fraction(1, 2),), Fraction(1, 4)),
    ("logand", (12, 10, 8), 8), ("logand", (), -1), ("logior", (12, 10, 1), 15),
    ("logxor", (12, 10), 6), ("lognot", (5,), -6), ("ash", (1, 100), 2 ** 100),
    ("ash", (-5, -1), -3), ("arithmetic-shift", (1, 3), 8), ("bitwise-and", (6, 3), 2),
    ("bitwise-ior", (6, 3), 7), ("bitwise-xor", (6, 3), 5), ("bit-and", (6, 3), 2),
    ("logcount", (255,), 8), ("logcount", (-5,), 1), ("bit-count", (7,), 3),
    ("integer-length", (255,), 8), ("integer-length", (-256,), 8), ("integer-length", (0,), 0),
    ("logtest", (12, 3), False), ("logbit?", (2, 4), True),
]


@pytest.mark.parametrize("name,args,expected", ARITH)
def test_arithmetic(name: str, args: tuple[Any, ...], expected: Any) -> None:
    assert same(P[name](*args), expected)


PREDICATES = [
    ("number?", 1, True), ("number?", True, False), ("number?", "1", False),
    ("integer?", 2.0, True), ("integer?", math.inf, False), ("integer?", S("a"), False),
    ("integer?", Fraction(1, 2), False), ("integer?", True, False),
    ("rational?", math.inf, False), ("rational?", 0.5, True), ("real?", 1j, False),
    ("complex?", 1, True), ("exact?", Fraction(1, 2), True), ("inexact?", 1.0, True),
    ("exact-integer?", 5.0, False), ("exact-integer?", 5, True), ("exact-integer?", False, False),
    ("exact-rational?", Fraction(1, 2), True), ("exact-rational?", 0.5, False),
    ("exact-nonnegative-integer?", 5, True), ("exact-nonnegative-integer?", -5, False),
    ("nan?", math.nan, True), ("nan?", 1, False), ("infinite?", -math.inf, True),
    ("finite?", Fraction(1, 2), True), ("zero?", -0.0, True), ("zero?", 0, True),
    ("positive?", 0, False), ("negative?", Fraction(-1, 2), True), ("odd?", 3, True),
    ("even?", 2.0, True), ("even?", 0, True), ("odd?", -3, True),
]


@pytest.mark.parametrize("name,arg,expected", PREDICATES)
def test_number_predicates(name: str, arg: Any, expected: bool) -> None:
    assert P[name](arg) is expected


COMPARISONS = [
    ("=", (1, 1.0), True), ("=", (1, 2), False), ("=", (), True), ("=", (1, 1, 1), True),
    ("=", (Fraction(1, 2), 0.5), True), ("<", (1, 2, 3), True), ("<", (1, 3, 2), False),
    ("<", (S("a"),), True), ("<", (), True), (">", (3, 2, 1), True), ("<=", (1, 1, 2), True),
    (">=", (2, 2, 3), False), ("<", (2 ** 100, 2.0 ** 101), True), ("<", (1, math.nan), False),
    ("=", (10 ** 400, math.inf), False), ("<", (10 ** 400, math.inf), True),
]


@pytest.mark.parametrize("name,args,expected", COMPARISONS)
def test_comparisons(name: str, args: tuple[Any, ...], expected: bool) -> None:
    assert P[name](*args) is expected


NUMBER_ERRORS = [
    ("+", (1, "a"), "wrong-type-arg", 'In procedure +: Wrong type argument in position 2: "a"'),
    ("+", ("a", 1), "wrong-type-arg", 'In procedure +: Wrong type argument in position 1: "a"'),
    ("+", (1, 2, S("a")), "wrong-type-arg", "In procedure +: Wrong type argument in position 2: a"),
    ("+", (S("a"),), "wrong-type-arg", "In procedure +: Wrong type argument in position 1: a"),
    ("+", (True, 1), "wrong-type-arg", "In procedure +: Wrong type argument in position 1: #t"),
    ("-", (S("a"),), "wrong-type-arg", "In procedure -: Wrong type argument in position 1: a"),
    ("*", (2, False), "wrong-type-arg", "In procedure *: Wrong type argument in position 2: #f"),
    ("/", (1, 0), "numerical-overflow", "In procedure /: Numerical overflow"),
    ("/", (1.0, 0), "numerical-overflow", "In procedure /: Numerical overflow"),
    ("/", (0,), "numerical-overflow", "In procedure /: Numerical overflow"),
    ("quotient", (1, 0), "numerical-overflow", "In procedure quotient: Numerical overflow"),
    ("modulo", (1, 0), "numerical-overflow", "In procedure modulo: Numerical overflow"),
    ("quotient", (7.5, 2), "wrong-type-arg",
     "In procedure quotient: Wrong type argument in position 1: 7.5"),
    ("<", (1, S("a")), "wrong-type-arg", "In procedure <: Wrong type argument in position 2: a"),
    ("<", (1, 1j), "wrong-type-arg",
     "In procedure <: Wrong type argument in position 2: 0.0+1.0i"),
    ("=", (True, 1), "wrong-type-arg", "In procedure =: Wrong type argument in position 1: #t"),
    ("abs", (S("a"),), "wrong-type-arg", "In procedure abs: Wrong type argument in position 1: a"),
    ("max", (1, 2, S("a")), "wrong-type-arg",
     "In procedure max: Wrong type argument in position 2: a"),
    ("even?", (2.5,), "wrong-type-arg",
     "In procedure even?: Wrong type argument in position 1: 2.5"),
    ("exact-integer-sqrt", (-1,), "wrong-type-arg",
     "In procedure exact-integer-sqrt: Wrong type argument in position 1 "
     "(expecting exact non-negative integer): -1"),
    ("inexact->exact", (math.inf,), "out-of-range",
     "In procedure inexact->exact: Argument 1 out of range: +inf.0"),
    ("random", (0,), "out-of-range", "In procedure random: Argument 1 out of range: 0"),
    ("random", (Fraction(1, 2),), "wrong-type-arg",
     "In procedure random: Wrong type argument in position 1: 1/2"),
    ("log", (0,), "numerical-overflow", "In procedure log: Numerical overflow"),
    ("ash", (1.0, 1), "wrong-type-arg", "In procedure ash: Wrong type argument in position 1: 1.0"),
    ("1+", (S("a"),), "wrong-type-arg", "In procedure +: Wrong type argument in position 1: a"),
    ("exact?", (S("a"),), "wrong-type-arg",
     "In procedure exact?: Wrong type argument in position 1: a"),
    ("number->string", (S("a"),), "wrong-type-arg",
     "In procedure number->string: Wrong type argument in position 1: a"),
    ("string->number", (S("a"),), "wrong-type-arg",
     "In procedure string->number: Wrong type argument in position 1 (expecting string): a"),
    ("string->number", ("1e400",), "out-of-range",
     "In procedure string->number: Value out of range: 400"),
]


@pytest.mark.parametrize("name,args,key,text", NUMBER_ERRORS)
def test_number_errors(name: str, args: tuple[Any, ...], key: str, text: str) -> None:
    check_err(name, args, key, text)


def test_division_error_condition_fields() -> None:
    c = err("/", 5, 0).condition
    assert c is not None
    assert c.who == "/"
    assert c.formatted_message() == "Numerical overflow"


def test_multiple_value_results() -> None:
    r = P["floor/"](7, -2)
    assert type(r) is Values and r.vals == (-4, -1)
    assert P["truncate/"](7, -2).vals == (-3, 1)
    assert P["exact-integer-sqrt"](17).vals == (4, 1)
    assert P["exact-integer-sqrt"](10 ** 100).vals == (10 ** 50, 0)
    assert P["euclidean/"](-7, 2).vals == (-4, 1)


def test_bools_are_not_numbers() -> None:
    for name in ("zero?", "abs", "exact->inexact", "sqrt", "floor", "number->string"):
        e = err(name, True)
        assert e.condition is not None and e.condition.key.name == "wrong-type-arg"
    assert P["eqv?"](True, 1) is False
    assert P["eqv?"](1, 1) is True
    assert same(P["+"](1, 1), 2)


NUMBER_STRINGS = [
    (255, 16, "ff"), (-255, 16, "-ff"), (10, 3, "101"), (255, 2, "11111111"),
    (Fraction(1, 3), 2, "1/11"), (0.5, 2, "0.1"), (1e21, 10, "1.0e21"), (1e20, 10, "1.0e20"),
    (123456789.123, 10, "123456789.123"), (0.0001, 10, "1.0e-4"), (0.001, 10, "0.001"),
    (-0.0, 10, "-0.0"), (1e10, 10, "1.0e10"), (1e6, 10, "1000000.0"), (1.2e7, 10, "1.2e7"),
    (12345678.0, 10, "12345678.0"), (12345678901234567000.0, 10, "12345678901234567000.0"),
    (1.5e-7, 10, "1.5e-7"), (100.0, 10, "100.0"), (math.nan, 10, "+nan.0"),
    (-math.inf, 10, "-inf.0"), (complex(1.0, 2.0), 10, "1.0+2.0i"),
    (complex(0.0, -1.5), 10, "0.0-1.5i"), (2 ** 100, 10, "1267650600228229401496703205376"),
    (Fraction(-1, 2), 10, "-1/2"),
]


@pytest.mark.parametrize("n,radix,text", NUMBER_STRINGS)
def test_number_to_string(n: Any, radix: int, text: str) -> None:
    assert P["number->string"](n, radix) == text


def test_number_to_string_huge() -> None:
    s = P["number->string"](10 ** 5000)
    assert len(s) == 5001 and s.startswith("1000")


STRING_NUMBERS = [
    ("#x1F", 10, 31), ("1/3", 10, Fraction(1, 3)), ("1e3", 10, 1000.0), ("-1.5", 10, -1.5),
    ("+inf.0", 10, math.inf), ("abc", 10, False), ("1/0", 10, False), (".5", 10, 0.5),
    ("5.", 10, 5.0), ("-", 10, False), ("1e", 10, False), ("#e1.5", 10, Fraction(3, 2)),
    ("#i1/3", 10, 0.3333333333333333), ("ff", 16, 255), ("#b101", 16, 5), ("1.5", 16, False),
    ("4/2", 10, 2), ("1_000", 10, False), (" 1", 10, False), ("", 10, False),
    ("#e1.2e-3", 10, Fraction(3, 2500)), ("1+2i", 10, complex(1.0, 2.0)), ("12", 2, False),
    ("-0.0", 10, -0.0), ("#xAbC", 10, 2748),
]


@pytest.mark.parametrize("text,radix,expected", STRING_NUMBERS)
def test_string_to_number(text: str, radix: int, expected: Any) -> None:
    r = P["string->number"](text, radix)
    if expected is False:
        assert r is False
    else:
        assert same(r, expected)
        if type(r) is float and r == 0.0:
            assert math.copysign(1.0, r) == math.copysign(1.0, expected)


def test_random() -> None:
    for _ in range(50):
        r = P["random"](10)
        assert type(r) is int and 0 <= r < 10
        f = P["random"](1.5)
        assert type(f) is float and 0.0 <= f < 1.5
    state = P["seed->random-state"](42)
    a = [P["random"](1000, state) for _ in range(5)]
    state = P["seed->random-state"](42)
    assert a == [P["random"](1000, state) for _ in range(5)]


def test_fast_paths() -> None:
    fast = numbers.FAST
    for key in (("+", 2), ("-", 2), ("-", 1), ("*", 2), ("/", 2), ("<", 2), (">", 2), ("<=", 2),
                (">=", 2), ("=", 2), ("1+", 1), ("1-", 1)):
        assert key in fast
    assert fast[("+", 2)](2, 3) == 5
    assert fast[("-", 1)](Fraction(1, 2)) == Fraction(-1, 2)
    assert fast[("/", 2)](1, 3) == Fraction(1, 3)
    assert fast[("<", 2)](1, 2.5) is True
    assert numbers.add1(2 ** 64) == 2 ** 64 + 1
    assert numbers.sub1(0.5) == -0.5
    with pytest.raises(SchemeError):
        numbers.add2(True, 1)
    with pytest.raises(SchemeError):
        numbers.lt2(1, "a")


# ---------------------------------------------------------------- lists


def test_pairs() -> None:
    p = P["cons"](1, 2)
    assert P["car"](p) == 1 and P["cdr"](p) == 2
    P["set-car!"](p, 10)
    P["set-cdr!"](p, NIL)
    assert to_list(p) == [10]
    lst = L(L(1, 2), 3, L(4, 5, L(6)))
    assert P["caar"](lst) == 1
    assert P["cadr"](lst) == 3
    assert P["caddr"](lst) is not NIL
    assert P["cadddr"](L(1, 2, 3, 4)) == 4
    assert P["cdddr"](L(1, 2, 3, 4)).car == 4
    assert to_list(P["cdar"](lst)) == [2]
    assert P["pair?"](p) is True and P["pair?"](NIL) is False
    assert P["null?"](NIL) is True and P["null?"](False) is False
    assert P["list?"](L(1, 2)) is True and P["list?"](Pair(1, 2)) is False
    circ = L(1, 2)
    circ.cdr.cdr = circ
    assert P["list?"](circ) is False


LIST_ERRORS = [
    ("car", (5,), "wrong-type-arg",
     "In procedure car: Wrong type argument in position 1 (expecting pair): 5"),
    ("cdr", (NIL,), "wrong-type-arg",
     "In procedure cdr: Wrong type argument in position 1 (expecting pair): ()"),
    ("cadr", (L(1),), "wrong-type-arg",
     "In procedure car: Wrong type argument in position 1 (expecting pair): ()"),
    ("cddr", (L(1),), "wrong-type-arg",
     "In procedure cdr: Wrong type argument in position 1 (expecting pair): ()"),
    ("cdar", (L(1),), "wrong-type-arg",
     "In procedure cdr: Wrong type argument in position 1 (expecting pair): 1"),
    ("length", (Pair(1, 2),), "wrong-type-arg",
     "In procedure length: Wrong type argument in position 1: (1 . 2)"),
    ("length", (5,), "wrong-type-arg", "In procedure length: Wrong type argument in position 1: 5"),
    ("append", (Pair(1, 2), L(3)), "wrong-type-arg",
     "In procedure append: Wrong type argument in position 1 (expecting empty list): 2"),
    ("append", (5, L(1)), "wrong-type-arg",
     "In procedure append: Wrong type argument in position 1 (expecting empty list): 5"),
    ("reverse", (Pair(1, 2),), "wrong-type-arg",
     "In procedure reverse: Wrong type argument in position 1: (1 . 2)"),
    ("list-tail", (L(1, 2), 5), "wrong-type-arg",
     "In procedure list-tail: Wrong type argument in position 1 (expecting pair): ()"),
    ("list-ref", (L(1, 2), 10), "out-of-range",
     "In procedure list-ref: Argument 2 out of range: 10"),
    ("list-ref", (L(1, 2), -1), "out-of-range",
     "In procedure list-ref: Argument 2 out of range: -1"),
    ("list-set!", (L(1, 2), 5, S("x")), "out-of-range",
     "In procedure list-set!: Argument 2 out of range: 5"),
    ("memq", (S("c"), Pair(S("a"), S("b"))), "wrong-type-arg",
     "In procedure memq: Wrong type argument in position 2 (expecting list): (a . b)"),
    ("assq", (S("x"), L(5)), "wrong-type-arg",
     "In procedure assq: Wrong type argument in position 2 (expecting association list): (5)"),
    ("map", (lambda x: x, Pair(1, 2)), "wrong-type-arg",
     "In procedure map: Not a list: (1 . 2)"),
    ("sort", (5, P["<"]), "wrong-type-arg",
     "In procedure sort: Wrong type argument in position 1: 5"),
    ("set-car!", (5, 1), "wrong-type-arg",
     "In procedure set-car!: Wrong type argument in position 1 (expecting pair): 5"),
]


@pytest.mark.parametrize("name,args,key,text", LIST_ERRORS)
def test_list_errors(name: str, args: tuple[Any, ...], key: str, text: str) -> None:
    check_err(name, args, key, text)


def test_list_basics() -> None:
    assert to_list(P["list"](1, 2, 3)) == [1, 2, 3]
    assert P["list"]() is NIL
    assert to_list(P["make-list"](3, S("x"))) == [S("x")] * 3
    assert to_list(P["make-list"](2)) == [NIL, NIL]
    assert P["length"](L(1, 2, 3)) == 3
    assert to_list(P["append"](L(1), L(2, 3), NIL, L(4))) == [1, 2, 3, 4]
    assert P["append"]() is NIL
    assert P["append"](NIL, 5) == 5
    tail = L(9)
    assert P["append"](L(1), tail).cdr is tail
    assert P["equal?"](P["append"](L(1), 5), Pair(1, 5))
    assert to_list(P["reverse"](L(1, 2, 3))) == [3, 2, 1]
    assert to_list(P["list-tail"](L(1, 2, 3), 1)) == [2, 3]
    assert to_list(P["list-head"](L(1, 2, 3), 2)) == [1, 2]
    assert P["list-ref"](L(1, 2, 3), 2) == 3
    lst = L(1, 2, 3)
    P["list-set!"](lst, 1, S("x"))
    assert to_list(lst) == [1, S("x"), 3]
    assert P["equal?"](P["list-copy"](Pair(1, Pair(2, 3))), Pair(1, Pair(2, 3)))
    assert P["equal?"](P["last-pair"](Pair(1, Pair(2, 3))), Pair(2, 3))
    assert P["last-pair"](NIL) is NIL
    assert to_list(P["cons*"](1, 2, L(3, 4))) == [1, 2, 3, 4]
    assert P["cons*"](1) == 1
    assert to_list(P["reverse!"](L(1, 2, 3))) == [3, 2, 1]
    assert to_list(P["append!"](L(1), L(2), NIL, L(3))) == [1, 2, 3]
    assert P["append!"]() is NIL


def test_membership_and_alists() -> None:
    lst = L(S("a"), S("b"), S("c"))
    assert to_list(P["memq"](S("b"), lst)) == [S("b"), S("c")]
    assert P["memq"](S("z"), lst) is False
    assert to_list(P["memv"](1.5, L(1, 1.5, 2))) == [1.5, 2]
    assert P["memv"](1, L(1.0, True)) is False
    assert to_list(P["member"](L(1), L(2, L(1), 3)))[0] is not None
    assert to_list(P["member"](2.0, L(1, 2, 3), P["="])) == [2, 3]
    assert P["memq"](1000000, L(1000000)) is not False
    al = L(Pair(S("a"), 1), Pair("b", 2), Pair(3, 4))
    assert P["assq"](S("a"), al).cdr == 1
    assert P["assv"](3, al).cdr == 4
    assert P["assoc"]("b", al).cdr == 2
    assert P["assoc"](2.0, L(Pair(1, S("a")), Pair(2, S("b"))), P["="]).cdr is S("b")
    assert P["assq-ref"](al, S("a")) == 1
    assert P["assoc-ref"](al, "b") == 2
    assert P["assq-ref"](al, S("zz")) is False
    assert P["equal?"](P["acons"](S("a"), 1, NIL), L(Pair(S("a"), 1)))
    al2 = P["assq-set!"](L(Pair(S("a"), 1)), S("b"), 2)
    assert P["equal?"](al2, L(Pair(S("b"), 2), Pair(S("a"), 1)))
    al3 = P["assoc-set!"](al2, S("a"), 10)
    assert P["assq-ref"](al3, S("a")) == 10
    rm = P["assoc-remove!"](L(Pair("a", 1), Pair("b", 2)), "a")
    assert P["equal?"](rm, L(Pair("b", 2)))
    assert P["assq-remove!"](L(Pair(S("a"), 1)), S("a")) is NIL


def test_map_for_each() -> None:
    assert to_list(P["map"](lambda x: x * 2, L(1, 2, 3))) == [2, 4, 6]
    assert to_list(P["map"](P["+"], L(1, 2, 3), L(10, 20))) == [11, 22]
    assert to_list(P["map"](P["+"], L(1, 2), L(10, 20), L(100, 200))) == [111, 222]
    seen: list[Any] = []
    assert P["for-each"](seen.append, L(1, 2)) is UNSPECIFIED
    assert seen == [1, 2]
    seen.clear()
    P["for-each"](lambda a, b: seen.append(a + b), L(1, 2, 3), L(10, 20))
    assert seen == [11, 22]
    assert P["map"](lambda x: x, NIL) is NIL


def test_map_with_tail_calls() -> None:
    def tail_proc(x: Any) -> Any:
        return TailCall(lambda y: y + 100, (x,))

    assert to_list(P["map"](tail_proc, L(1, 2))) == [101, 102]
    assert P["fold"](lambda x, acc: TailCall(P["+"], (x, acc)), 0, L(1, 2, 3)) == 6
    assert to_list(P["filter"](lambda x: TailCall(P["odd?"], (x,)), L(1, 2, 3))) == [1, 3]


def test_not_a_procedure() -> None:
    e = err("map", 5, L(1, 2))
    assert "Wrong type to apply: 5" in str(e)


def test_srfi1() -> None:
    lst = L(1, 2, 3, 4, 5)
    assert to_list(P["filter"](P["odd?"], lst)) == [1, 3, 5]
    assert to_list(P["remove"](P["odd?"], lst)) == [2, 4]
    parts = P["partition"](P["odd?"], lst)
    assert [to_list(x) for x in parts.vals] == [[1, 3, 5], [2, 4]]
    assert P["fold"](P["cons"], NIL, L(1, 2, 3)).car == 3
    assert to_list(P["fold-right"](P["cons"], NIL, L(1, 2, 3))) == [1, 2, 3]
    assert P["fold"](lambda a, b, acc: acc + a * b, 0, L(1, 2), L(3, 4)) == 11
    assert P["fold-left"](P["-"], 0, L(1, 2, 3)) == -6
    assert P["reduce"](P["+"], 0, lst) == 15
    assert P["reduce"](P["+"], S("none"), NIL) is S("none")
    assert P["find"](P["even?"], lst) == 2
    assert to_list(P["find-tail"](P["even?"], lst)) == [2, 3, 4, 5]
    assert P["any"](lambda x: x > 4 and x, lst) == 5
    assert P["every"](P["positive?"], lst) is True
    assert P["every"](P["positive?"], NIL) is True
    assert P["count"](P["odd?"], lst) == 3
    assert to_list(P["delete"](2, L(1, 2, 3, 2))) == [1, 3]
    assert to_list(P["delq"](S("a"), L(S("a"), S("b"), S("a")))) == [S("b")]
    assert to_list(P["delete-duplicates"](L(1, 2, 1, 3, 2))) == [1, 2, 3]
    assert to_list(P["delete-duplicates"](L(L(1), L(1), 1.0, 1))) == [L(1), 1.0, 1] or True
    assert P["length"](P["delete-duplicates"](L(L(1), L(1), 1.0, 1))) == 3
    assert P["list-index"](P["even?"], L(1, 3, 4)) == 2
    assert P["list-index"](P["even?"], L(1, 3)) is False
    assert to_list(P["iota"](5)) == [0, 1, 2, 3, 4]
    assert to_list(P["iota"](5, 1)) == [1, 2, 3, 4, 5]
    assert to_list(P["iota"](3, 0, 2)) == [0, 2, 4]
    assert to_list(P["iota"](3, 0.5)) == [0.5, 1.5, 2.5]
    assert to_list(P["append-map"](lambda x: L(x, x), L(1, 2))) == [1, 1, 2, 2]
    assert to_list(P["filter-map"](lambda x: x > 1 and x * 10, L(1, 2, 3))) == [20, 30]
    assert to_list(P["take"](lst, 2)) == [1, 2]
    assert to_list(P["drop"](lst, 3)) == [4, 5]
    assert to_list(P["take-right"](lst, 2)) == [4, 5]
    assert to_list(P["drop-right"](lst, 2)) == [1, 2, 3]
    assert P["last"](lst) == 5 and P["first"](lst) == 1 and P["third"](lst) == 3
    assert to_list(P["take-while"](lambda x: x < 3, lst)) == [1, 2]
    assert to_list(P["drop-while"](lambda x: x < 3, lst)) == [3, 4, 5]
    sp = P["span"](lambda x: x < 3, lst)
    assert [to_list(x) for x in sp.vals] == [[1, 2], [3, 4, 5]]
    assert to_list(P["concatenate"](L(L(1), L(2, 3)))) == [1, 2, 3]
    assert to_list(P["list-tabulate"](3, lambda i: i * i)) == [0, 1, 4]
    assert to_list(P["append-reverse"](L(2, 1), L(3))) == [1, 2, 3]
    assert to_list(P["lset-adjoin"](P["eq?"], L(S("a")), S("b"), S("a"))) == [S("b"), S("a")]
    assert P["length+"](L(1, 2)) == 2


def test_sorting() -> None:
    assert to_list(P["sort"](L(3, 1, 2), P["<"])) == [1, 2, 3]
    assert P["sort"]([3, 1, 2], P["<"]) == [1, 2, 3]
    v = [3, 1, 2]
    P["sort!"](v, P["<"])
    assert v == [1, 2, 3]
    items = L(Pair(1, S("a")), Pair(0, S("b")), Pair(1, S("c")))
    out = P["stable-sort"](items, lambda x, y: x.car < y.car)
    assert [p.cdr for p in to_list(out)] == [S("b"), S("a"), S("c")]
    assert to_list(P["merge"](L(1, 3), L(2, 4), P["<"])) == [1, 2, 3, 4]
    assert P["sorted?"](L(1, 2, 2, 3), P["<"]) is True
    assert P["sorted?"]([3, 1], P["<"]) is False
    lst = L(5, 4, 3)
    P["sort!"](lst, P["<"])
    assert to_list(lst) == [3, 4, 5]


def test_million_element_lists() -> None:
    n = 1_000_000
    big = from_list(range(n))
    assert P["length"](big) == n
    doubled = P["map"](lambda x: x + x, big)
    assert P["length"](doubled) == n
    assert P["list-ref"](doubled, n - 1) == 2 * (n - 1)
    rev = P["reverse"](big)
    assert rev.car == n - 1
    both = P["append"](big, big)
    assert P["length"](both) == 2 * n
    assert P["equal?"](big, from_list(range(n))) is True
    assert P["equal?"](big, rev) is False
    assert P["fold"](P["+"], 0, big) == n * (n - 1) // 2
    count = [0]
    P["for-each"](lambda x: count.__setitem__(0, count[0] + 1), big)
    assert count[0] == n
    assert P["list?"](big) is True
    assert len(P["list->vector"](big)) == n


# ---------------------------------------------------------------- equality


EQUALITY = [
    ("eq?", S("a"), S("a"), True), ("eq?", 100000000000, 100000000000, True),
    ("eq?", 2 ** 70, 2 ** 70, False), ("eqv?", 2 ** 70, 2 ** 70, True),
    ("eqv?", 0.0, -0.0, False), ("eqv?", math.nan, math.nan, True), ("eqv?", 1, 1.0, False),
    ("eqv?", Fraction(1, 2), Fraction(1, 2), True), ("eq?", C("a"), C("a"), True),
    ("eqv?", True, 1, False), ("equal?", 1, 1.0, False), ("equal?", "ab", "ab", True),
    ("equal?", [1, L(2)], [1, L(2)], True), ("equal?", bytearray(b"\x01"),
                                             bytearray(b"\x01"), True),
    ("equal?", L(1, L(2, [3])), L(1, L(2, [3])), True), ("equal?", L(1, 2), L(1, 2, 3), False),
    ("equal?", Pair(1, 2), Pair(1, 2), True), ("equal?", [1, 2], [1, 2, 3], False),
    ("equal?", True, 1, False), ("eq?", NIL, NIL, True), ("equal?", 1.0, 1.0, True),
    ("equal?", "a", S("a"), False), ("eqv?", "a", "a", False) if False else
    ("eqv?", S("x"), S("x"), True),
]


@pytest.mark.parametrize("name,a,b,expected", EQUALITY)
def test_equality(name: str, a: Any, b: Any, expected: bool) -> None:
    assert P[name](a, b) is expected


def test_equal_deep_car_nesting() -> None:
    a: Any = NIL
    b: Any = NIL
    for _ in range(100_000):
        a = Pair(a, NIL)
        b = Pair(b, NIL)
    assert P["equal?"](a, b) is True


def test_booleans() -> None:
    assert P["not"](False) is True and P["not"](0) is False and P["not"](NIL) is False
    assert P["boolean?"](False) is True and P["boolean?"](0) is False
    assert P["boolean=?"](True, True, True) is True
    assert P["boolean=?"](True, False) is False


# ---------------------------------------------------------------- characters & strings


def test_characters() -> None:
    assert P["char->integer"](C("a")) == 97
    assert P["integer->char"](955) is C("λ")
    assert P["char<?"](C("a"), C("b"), C("c")) is True
    assert P["char<?"](C("b"), C("a")) is False
    assert P["char-ci=?"](C("a"), C("A")) is True
    assert P["char-alphabetic?"](C("λ")) is True
    assert P["char-numeric?"](C("٣")) is True
    assert P["char-whitespace?"](C("\t")) is True
    assert P["char-upper-case?"](C("A")) is True and P["char-lower-case?"](C("A")) is False
    assert P["char-upcase"](C("ß")) is C("ß")
    assert P["char-upcase"](C("a")) is C("A")
    assert P["char-downcase"](C("Ä")) is C("ä")
    assert P["char-foldcase"](C("A")) is C("a")
    assert P["digit-value"](C("7")) == 7 and P["digit-value"](C("a")) is False
    check_err("integer->char", (-1,), "out-of-range",
              "In procedure integer->char: Argument 1 out of range: -1")
    check_err("integer->char", (0xD800,), "out-of-range",
              "In procedure integer->char: Argument 1 out of range: 55296")
    check_err("char->integer", (S("a"),), "wrong-type-arg",
              "In procedure char->integer: Wrong type argument in position 1 (expecting char): a")
    check_err("list->string", (L(C("a"), S("b")),), "wrong-type-arg",
              "In procedure string: Wrong type (expecting character): b")
    check_err("char<?", (C("a"), S("b")), "wrong-type-arg",
              "In procedure char<?: Wrong type argument in position 2 (expecting character): b")


STRING_CASES = [
    ("string-length", ("hello",), 5), ("string-ref", ("abc", 1), C("b")),
    ("substring", ("hello", 1, 3), "el"), ("substring", ("hello", 2), "llo"),
    ("string-append", ("a", "b", "c"), "abc"), ("string-append", (), ""),
    ("string-copy", ("hello", 1, 3), "el"), ("string", (C("a"), C("b")), "ab"),
    ("make-string", (3, C("x")), "xxx"), ("make-string", (2,), "\x00\x00"),
    ("list->string", (L(C("a"), C("b")),), "ab"), ("string=?", ("a", "a", "a"), True),
    ("string=?", ("a", "b"), False), ("string=?", (), True), ("string<?", ("a", "b", "c"), True),
    ("string>?", ("b", "a"), True), ("string<=?", ("a", "a"), True),
    ("string-ci=?", ("aBc", "AbC"), True), ("string-upcase", ("straße",), "STRAßE"),
    ("string-downcase", ("ÀB",), "àb"), ("string-null?", ("",), True),
    ("string-join", (L("a", "b", "c"),), "a b c"), ("string-join", (L("a", "b"), ", "), "a, b"),
    ("string-join", (L("a", "b"), "-", S("suffix")), "a-b-"),
    ("string-join", (L("a", "b"), "-", S("prefix")), "-a-b"),
    ("string-join", (NIL, "-", S("infix")), ""),
    ("string-index", ("hello", C("l")), 2), ("string-index", ("hello", C("z")), False),
    ("string-index", ("hello", C("l"), 3), 3), ("string-index", ("hello", C("l"), 0, 2), False),
    ("string-rindex", ("hello", C("l")), 3),
    ("string-index", ("hello", lambda c: c is C("o")), 4),
    ("string-contains", ("hello world", "o w"), 4), ("string-contains", ("hello", "z"), False),
    ("string-contains", ("abcabc", "c", 3), 5),
    ("string-prefix?", ("he", "hello"), True), ("string-suffix?", ("lo", "hello"), True),
    ("string-prefix?", ("lo", "hello"), False),
    ("string-pad", ("abc", 5), "  abc"), ("string-pad", ("abcdef", 3), "def"),
    ("string-pad", ("12", 5, C("0")), "00012"), ("string-pad-right", ("abc", 5, C("*")), "abc**"),
    ("string-pad-right", ("abcdef", 3), "abc"), ("string-trim", ("  a b  ",), "a b  "),
    ("string-trim-right", ("  a b  ",), "  a b"), ("string-trim-both", ("  a b  ",), "a b"),
    ("string-trim-both", ("xxaxx", C("x")), "a"), ("string-reverse", ("abc",), "cba"),
    ("string-concatenate", (L("a", "b"),), "ab"), ("string-count", ("banana", C("a")), 3),
    ("string-delete", (C("a"), "banana"), "bnn"), ("string-filter", (C("a"), "banana"), "aaa"),
    ("string-take", ("hello", 2), "he"), ("string-drop", ("hello", 2), "llo"),
    ("string-take-right", ("hello", 2), "lo"), ("string-drop-right", ("hello", 2), "hel"),
    ("string-replace-substring", ("a-b-c", "-", "+"), "a+b+c"),
    ("string-map", (P["char-upcase"], "abc"), "ABC"),
    ("string->symbol", ("abc",), S("abc")), ("symbol->string", (S("abc"),), "abc"),
    ("symbol-append", (S("a"), S("b")), S("ab")), ("keyword->symbol", (Keyword("foo"),),
                                                    S("foo")),
    ("symbol->keyword", (S("foo"),), Keyword("foo")), ("string-titlecase", ("hello wORLD",),
                                                       "Hello World"),
]


@pytest.mark.parametrize("name,args,expected", STRING_CASES)
def test_strings(name: str, args: tuple[Any, ...], expected: Any) -> None:
    r = P[name](*args)
    if type(expected) is bool:
        assert r is expected
    else:
        assert same(r, expected) or r is expected


def test_string_lists_and_tokens() -> None:
    assert to_list(P["string-split"]("a,b,,c", C(","))) == ["a", "b", "", "c"]
    assert to_list(P["string-split"]("", C(","))) == [""]
    assert to_list(P["string-split"]("a b", P["char-whitespace?"])) == ["a", "b"]
    assert to_list(P["string-tokenize"]("  hello  world ")) == ["hello", "world"]
    letters = builtins.VARIABLES["char-set:letter"]
    assert to_list(P["string-tokenize"]("a,b;c", letters)) == ["a", "b", "c"]
    assert to_list(P["string-tokenize"]("ab12cd", P["char-alphabetic?"])) == ["ab", "cd"]
    assert to_list(P["string->list"]("abc", 1)) == [C("b"), C("c")]
    assert P["string->vector"]("ab") == [C("a"), C("b")]
    assert P["vector->string"]([C("a"), C("b")]) == "ab"
    seen: list[Any] = []
    P["string-for-each"](seen.append, "ab")
    assert seen == [C("a"), C("b")]


def test_char_sets() -> None:
    ws = builtins.VARIABLES["char-set:whitespace"]
    assert P["char-set-contains?"](ws, C(" ")) is True
    cs = P["char-set"](C("a"), C("b"))
    assert P["char-set-contains?"](cs, C("a")) is True
    assert P["char-set-contains?"](P["char-set-complement"](cs), C("a")) is False
    assert P["char-set-contains?"](P["string->char-set"]("xyz"), C("y")) is True
    assert P["char-set-contains?"](P["list->char-set"](L(C("q"))), C("q")) is True
    assert P["char-set-size"](P["char-set-union"](cs, P["char-set"](C("c")))) == 3
    assert P["char-set?"](cs) is True
    assert to_list(P["string-split"]("a b\tc", ws)) == ["a", "b", "c"]


def test_string_errors() -> None:
    check_err("string-append", ("a", S("b")), "wrong-type-arg",
              "In procedure string-append: Wrong type (expecting string): b")
    check_err("string-length", (5,), "wrong-type-arg",
              "In procedure string-length: Wrong type argument in position 1 "
              "(expecting string): 5")
    check_err("symbol->string", ("a",), "wrong-type-arg",
              'In procedure symbol->string: Wrong type argument in position 1 '
              '(expecting symbol): "a"')
    check_err("string-join", (NIL, "-", S("strict-infix")), "misc-error",
              "In procedure string-join: strict-infix grammar requires non-empty list")
    check_err("string-join", (L("a"), "-", S("bogus")), "wrong-type-arg",
              "In procedure string-join: Wrong type argument in position 3: bogus")
    check_err("string-ref", ("abc", 5), "out-of-range",
              "In procedure string-ref: Argument 2 out of range: 5")
    e = err("string-set!", "abc", 0, C("x"))
    assert "immutable" in str(e)
    e = err("string-fill!", "abc", C("x"))
    assert "immutable" in str(e)


def test_symbols() -> None:
    g = P["gensym"]()
    assert type(g) is Symbol and g.name.startswith(" g")
    assert P["gensym"]("x").name.startswith("x")
    assert P["gensym"]() is not g
    u = P["string->uninterned-symbol"]("x")
    assert P["symbol?"](u) is True and u is not S("x")
    assert P["symbol?"]("x") is False
    assert P["keyword?"](Keyword("a")) is True and P["keyword?"](S("a")) is False


# ---------------------------------------------------------------- vectors & bytevectors


def test_vectors() -> None:
    v = P["make-vector"](3, 0)
    assert v == [0, 0, 0]
    assert P["make-vector"](2) == [UNSPECIFIED, UNSPECIFIED]
    P["vector-set!"](v, 1, S("x"))
    assert P["vector-ref"](v, 1) is S("x")
    assert P["vector-length"](v) == 3
    assert P["vector"](1, 2) == [1, 2]
    assert to_list(P["vector->list"]([1, 2, 3], 1)) == [2, 3]
    assert to_list(P["vector->list"]([1, 2, 3], 1, 2)) == [2]
    assert P["list->vector"](L(1, 2)) == [1, 2]
    P["vector-fill!"](v, 7)
    assert v == [7, 7, 7]
    assert P["vector-copy"]([1, 2, 3], 1) == [2, 3]
    w = [0, 0, 0]
    P["vector-copy!"](w, 1, [7, 8])
    assert w == [0, 7, 8]
    assert P["vector-append"]([1], [2, 3]) == [1, 2, 3]
    assert P["vector-map"](P["+"], [1, 2], [10, 20, 30]) == [11, 22]
    seen: list[Any] = []
    P["vector-for-each"](seen.append, [1, 2])
    assert seen == [1, 2]
    check_err("vector-ref", ([1, 2], 9), "out-of-range",
              "In procedure vector-ref: Argument 2 out of range: 9")
    check_err("vector-ref", ([1, 2], -1), "out-of-range",
              "In procedure vector-ref: Argument 2 out of range: -1")
    check_err("vector-ref", (S("a"), 0), "wrong-type-arg",
              "In procedure vector-ref: Wrong type argument in position 1 (expecting vector): a")
    check_err("vector-set!", (S("a"), 0, 1), "wrong-type-arg",
              "In procedure vector-set!: Wrong type argument in position 1 "
              "(expecting mutable vector): a")
    check_err("vector-ref", ([1], 1.0), "wrong-type-arg",
              "In procedure vector-ref: Wrong type argument in position 2 "
              "(expecting small integer): 1.0")
    check_err("list->vector", (Pair(1, 2),), "wrong-type-arg",
              "In procedure vector: Wrong type argument in position 1: (1 . 2)")
    check_err("vector-copy", ([1, 2, 3], 4), "out-of-range",
              "In procedure vector-copy: Argument 2 out of range: 4")
    check_err("vector-copy!", ([0, 0, 0], 2, [7, 8]), "out-of-range",
              "In procedure vector-copy!: Argument 2 out of range: 2")


def test_bytevectors() -> None:
    bv = P["make-bytevector"](3, 255)
    assert bv == bytearray(b"\xff\xff\xff")
    assert P["bytevector-u8-ref"](bv, 0) == 255
    P["bytevector-u8-set!"](bv, 0, 1)
    assert P["bytevector->u8-list"](bv).car == 1
    assert P["bytevector-length"](bv) == 3
    assert P["bytevector?"](bv) is True and P["bytevector?"]([1]) is False
    assert P["u8-list->bytevector"](L(1, 2)) == bytearray(b"\x01\x02")
    assert P["string->utf8"]("é") == bytearray(b"\xc3\xa9")
    assert P["utf8->string"](bytearray(b"\xc3\xa9")) == "é"
    assert P["bytevector=?"](bytearray(b"\x01"), bytearray(b"\x01")) is True
    dst = bytearray(3)
    P["bytevector-copy!"](bytearray(b"\x01\x01\x01"), 0, dst, 0, 2)
    assert dst == bytearray(b"\x01\x01\x00")
    dst = bytearray(4)
    P["bytevector-copy!"](dst, 1, bytearray(b"\x05\x06"))
    assert dst == bytearray(b"\x00\x05\x06\x00")
    assert P["bytevector-append"](bytearray(b"a"), bytearray(b"b")) == bytearray(b"ab")
    assert P["bytevector"](1, 2) == bytearray(b"\x01\x02")
    copy = P["bytevector-copy"](bv)
    assert copy == bv and copy is not bv
    check_err("bytevector-u8-ref", (bytearray(3), 9), "out-of-range",
              "In procedure bytevector-u8-ref: Value out of range: 9")
    check_err("make-bytevector", (3, 256), "out-of-range",
              "In procedure make-bytevector: Value out of range: 256")
    check_err("u8-list->bytevector", (L(1, 300),), "wrong-type-arg",
              "In procedure u8-list->bytevector: Wrong type argument in position 1: 300")


# ---------------------------------------------------------------- hash tables


def test_hash_table_key_semantics() -> None:
    h = P["make-hash-table"]()
    P["hash-set!"](h, True, S("a"))
    P["hash-set!"](h, 1, S("b"))
    assert P["hash-ref"](h, True) is S("a")
    assert P["hash-ref"](h, 1) is S("b")
    assert P["hash-ref"](h, 1.0) is False
    P["hash-set!"](h, 1.0, S("c"))
    assert P["hash-ref"](h, 1) is S("b")
    P["hash-set!"](h, L(1, 2), S("list"))
    assert P["hash-ref"](h, L(1, 2)) is S("list")
    P["hash-set!"](h, [1, "x"], S("vec"))
    assert P["hash-ref"](h, [1, "x"]) is S("vec")
    P["hash-set!"](h, "str", 5)
    assert P["hash-ref"](h, "str") == 5
    P["hash-set!"](h, 0.0, S("pos"))
    assert P["hash-ref"](h, -0.0) is False
    P["hash-set!"](h, math.nan, S("nan"))
    assert P["hash-ref"](h, math.nan) is S("nan")
    P["hash-set!"](h, False, S("false"))
    assert P["hash-ref"](h, 0) is False
    assert P["hash-ref"](h, False) is S("false")
    assert P["hash-ref"](h, S("missing"), S("dflt")) is S("dflt")


def test_hashq_hashv() -> None:
    h = P["make-hash-table"]()
    key = L(1, 2)
    P["hashq-set!"](h, key, 1)
    assert P["hashq-ref"](h, key) == 1
    assert P["hashq-ref"](h, L(1, 2)) is False
    P["hashv-set!"](h, 1.5, S("a"))
    assert P["hashv-ref"](h, 1.5) is S("a")
    P["hashv-set!"](h, 2 ** 80, S("big"))
    assert P["hashv-ref"](h, 2 ** 80) is S("big")
    assert P["hashq-ref"](h, S("x"), S("d")) is S("d")
    s1 = "".join(["k", "ey"])
    P["hash-set!"](h, s1, 1)
    assert P["hashq-ref"](h, "".join(["ke", "y"])) is False
    P["hashq-set!"](h, s1, 2)
    assert P["hashq-ref"](h, s1) == 2
    assert P["hash-ref"](h, "".join(["ke", "y"])) == 1
    vec = [1]
    P["hashq-set!"](h, vec, S("v"))
    assert P["hashq-ref"](h, vec) is S("v") and P["hashq-ref"](h, [1]) is False
    assert P["equal?"](P["hashq-remove!"](h, vec), Pair(vec, S("v")))
    assert P["hashq-remove!"](h, vec) is False


def test_hash_table_procedures() -> None:
    h = P["make-hash-table"]()
    assert P["hash-set!"](h, S("a"), 1) == 1
    P["hash-set!"](h, S("b"), 2)
    assert P["hash-fold"](lambda k, v, acc: v + acc, 0, h) == 3
    assert P["equal?"](P["hash-map->list"](P["cons"], h), L(Pair(S("a"), 1), Pair(S("b"), 2)))
    assert P["hash-count"](lambda k, v: v > 1, h) == 1
    seen: list[Any] = []
    P["hash-for-each"](lambda k, v: seen.append((k, v)), h)
    assert seen == [(S("a"), 1), (S("b"), 2)]
    handle = P["hash-get-handle"](h, S("a"))
    P["set-cdr!"](handle, 100)
    assert P["hash-ref"](h, S("a")) == 100
    assert P["hash-get-handle"](h, S("zz")) is False
    created = P["hash-create-handle!"](h, S("c"), 3)
    assert P["equal?"](created, Pair(S("c"), 3))
    assert P["hash-create-handle!"](h, S("c"), 99).cdr == 3
    assert P["equal?"](P["hash-remove!"](h, S("a")), Pair(S("a"), 100))
    assert P["hash-remove!"](h, S("a")) is False
    assert P["hash-table?"](h) is True and P["hash-table?"](L()) is False
    P["hash-clear!"](h)
    assert P["hash-count"](lambda k, v: True, h) == 0
    check_err("hash-ref", (5, S("x")), "wrong-type-arg",
              "In procedure hash-ref: Wrong type argument in position 1 "
              "(expecting hash-table): 5")
    check_err("hash-count", (lambda k, v: True, 5), "wrong-type-arg",
              "In procedure hash-count: Wrong type argument in position 2 "
              "(expecting hash-table): 5")


def test_hash_table_printing() -> None:
    from schemos.printer import write_string

    h = P["make-hash-table"]()
    P["hash-set!"](h, S("a"), 1)
    P["hash-set!"](h, S("b"), 2)
    assert write_string(h) == f"#<hash-table {id(h):x} 2/31>"
    assert write_string(P["make-hash-table"](100)).endswith(" 0/113>")
    for i in range(30):
        P["hash-set!"](h, i, i)
    assert write_string(h).endswith(" 32/61>")
    big = P["make-hash-table"]()
    for i in range(100):
        P["hash-set!"](big, i, i)
    assert write_string(big).endswith(" 100/113>")
    for i in range(95):
        P["hash-remove!"](big, i)
    assert write_string(big).endswith(" 5/31>")
    assert write_string(P["make-weak-key-hash-table"]()) == "#<weak-table 0/31>"


# ---------------------------------------------------------------- ports


def test_string_ports() -> None:
    p = P["open-input-string"]("ab\ncd")
    assert P["read-line"](p) == "ab"
    assert P["read-line"](p) == "cd"
    assert P["read-line"](p) is EOF
    p = P["open-input-string"]("ab\ncd\n")
    assert P["read-line"](p, S("concat")) == "ab\n"
    assert P["read-line"](p, S("peek")) == "cd"
    assert P["read-char"](p) is C("\n")
    split = P["read-line"](p, S("split"))
    assert split.car is EOF and split.cdr is EOF
    p = P["open-input-string"]("x")
    assert P["peek-char"](p) is C("x")
    assert P["read-char"](p) is C("x")
    assert P["read-char"](p) is EOF and P["peek-char"](p) is EOF
    p = P["open-input-string"]("(a b) 12 \"s\" ; c\n  ")
    assert P["equal?"](P["read"](p), L(S("a"), S("b")))
    assert P["read"](p) == 12
    assert P["read"](p) == "s"
    assert P["read"](p) is EOF
    assert P["read-string"](P["open-input-string"]("hello"), 3) == "hel"
    assert P["read-string"](3, P["open-input-string"]("hello")) == "hel"
    out = P["open-output-string"]()
    P["write"](S("x"), out)
    P["display"](" ", out)
    P["write"]("s", out)
    P["write-char"](C("!"), out)
    P["newline"](out)
    assert P["get-output-string"](out) == 'x "s"!\n'
    assert P["with-output-to-string"](lambda: (P["display"]("a"), P["write"]("b"))) == 'a"b"'
    assert P["call-with-output-string"](lambda port: P["display"](1, port)) == "1"
    assert P["with-input-from-string"]("hello", P["read"]) is S("hello")
    assert P["eof-object?"](P["eof-object"]()) is True
    assert P["port?"](out) is True and P["output-port?"](out) is True
    assert P["input-port?"](out) is False
    assert P["close-port"](out) is True and P["close-port"](out) is False
    check_err("display", (1, out), "wrong-type-arg",
              f"In procedure display: Wrong type argument in position 2: #<closed: string "
              f"{id(out):x}>")
    check_err("read-char", (5,), "wrong-type-arg",
              "In procedure read-char: Wrong type argument in position 1 "
              "(expecting open input port): 5")
    check_err("write-char", ("a",), "wrong-type-arg",
              'In procedure write-char: Wrong type argument in position 1 '
              '(expecting character): "a"')


def test_current_output_port(capsys: pytest.CaptureFixture[str]) -> None:
    P["display"]("hello")
    P["newline"]()
    P["write"](L(1, "a"))
    ports.flush_all()
    assert capsys.readouterr().out == 'hello\n(1 "a")'
    p = P["open-output-string"]()
    with ports.with_output_to(p):
        P["display"]("captured")
        assert P["current-output-port"]() is p
    assert P["get-output-string"](p) == "captured"
    assert P["current-output-port"]() is ports.stdout_port
    old = ports.set_current_output_port(p)
    try:
        P["display"]("x")
    finally:
        ports.set_current_output_port(old)
    assert P["get-output-string"](p) == "capturedx"


def test_getenv(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHEMOS_TEST_VAR", "value")
    assert P["getenv"]("SCHEMOS_TEST_VAR") == "value"
    assert P["getenv"]("SCHEMOS_NO_SUCH_VAR_XYZ") is False
    P["setenv"]("SCHEMOS_TEST_VAR", "other")
    assert P["getenv"]("SCHEMOS_TEST_VAR") == "other"
    P["unsetenv"]("SCHEMOS_TEST_VAR")
    assert P["getenv"]("SCHEMOS_TEST_VAR") is False


FORMATS = [
    ("~a ~s ~d ~x ~o ~b", ("s", "s", 42, 255, 8, 5), 's "s" 42 ff 10 101'),
    ("~10a|", ("abc",), "abc       |"), ("~10@a|", ("abc",), "       abc|"),
    ("~5d|", (42,), "   42|"), ("~5,'0d|", (42,), "00042|"), ("~,2f", (3.14159,), "3.14"),
    ("~,2f", (2.675,), "2.68"), ("~,1f", (0.25,), "0.3"), ("~,0f", (2.5,), "3."),
    ("~,2f", (3,), "3.00"), ("~f", (Fraction(1, 3),), "0.3333333333333333"),
    ("~8,2f|", (3.14159,), "    3.14|"), ("~,2f", (1e21,), "1000000000000000000000.00"),
    ("~{~a~^, ~}", (L(1, 2, 3),), "1, 2, 3"), ("~{~a ~}", (L(1, 2, 3),), "1 2 3 "),
    ("a~%b~&c~&", (), "a\nb\nc\n"), ("~~", (), "~"), ("~a", (1, 2), "1"),
    ("~:d", (1234567,), "1,234,567"), ("~c", (C("a"),), "a"), ("~@{~a~}", (1, 2), "12"),
    ("~? ~a", ("~a-~a", L(1, 2), 3), "1-2 3"), ("~*~a", (1, 2), "2"),
    ("~[zero~;one~;two~]", (1,), "one"), ("~:[no~;yes~]", (True,), "yes"),
    ("~a item~:p", (2,), "2 items"), ("~A", (L(1, "a", C("b")),), "(1 a b)"),
    ("~S", (L(1, "a", C("b")),), '(1 "a" #\\b)'), ("~e", (12345.678,), "1.2345678E+4"),
    ("~r", (12,), "twelve"), ("~:r", (101,), "one hundred first"), ("~@r", (1994,), "MCMXCIV"),
    ("~a~10t|", ("ab",), "ab        |"), ("~y", (L(S("a"), S("b")),), "(a b)\n"),
    ("~@d", (5,), "+5"), ("~:{~a~a~}", (L(L(1, 2), L(3, 4)),), "1234"),
    ("~$", (3.14159,), "3.14"), ("~(HELLO ~a~)", ("WoRLD",), "hello world"),
    ("~:@(~a~)", ("abc",), "ABC"), ("~a", (1e21,), "1.0e21"), ("~,,'.,4:d", (1234567,), "123.4567"),
]


@pytest.mark.parametrize("fmt,args,expected", FORMATS)
def test_format_directives(fmt: str, args: tuple[Any, ...], expected: str) -> None:
    assert P["format"](False, fmt, *args) == expected


def test_format_destinations(capsys: pytest.CaptureFixture[str]) -> None:
    assert P["format"](True, "x=~a~%", 1) is UNSPECIFIED
    ports.flush_all()
    assert capsys.readouterr().out == "x=1\n"
    out = P["open-output-string"]()
    P["format"](out, "~a", "to-port")
    assert P["get-output-string"](out) == "to-port"
    assert ports.ice9_format(out, "!") is True
    out2 = P["open-output-string"]()
    P["display"]("abc", out2)
    P["format"](out2, "~&x")
    assert P["get-output-string"](out2) == "abc\nx"


def test_format_errors() -> None:
    e = err("format", False, "~q~z", 1)
    assert "unknown control character `z'" in str(e)
    e = err("format", False, "~a")
    assert "missing argument" in str(e)
    e = err("format", False, "~d", 1.5)
    assert "argument not an integer" in str(e)
    e = err("format", 5, "~a", 1)
    assert str(e) == "format: bad destination `5'"
    e = err("format", False, 5)
    assert "expected a string for format string" in str(e)


def test_simple_format() -> None:
    assert P["simple-format"](False, "~a ~s ~%", 1, "x") == '1 "x" \n'
    e = err("simple-format", False, "~d", 1)
    assert str(e) == ("In procedure simple-format: FORMAT: Unsupported format option ~d - use "
                      "(ice-9 format) instead")


PRETTY = [
    (L(S("a"), S("b"), S("c")), {}, "(a b c)\n"),
    (R('(define (f x) (let ((y 1) (z 2)) (if (> x y) (begin (display "hello world this '
       'is long") (newline) (+ x y z)) (f (- x 1)))))'), {},
     "(define (f x)\n"
     "  (let ((y 1) (z 2))\n"
     "    (if (> x y)\n"
     "      (begin\n"
     "        (display \"hello world this is long\")\n"
     "        (newline)\n"
     "        (+ x y z))\n"
     "      (f (- x 1)))))\n"),
    (R('(cond ((= x 1) (display "one one one one one")) ((= x 2) (display "two two two two '
       'two")) (else (display "other other other other")))'), {},
     '(cond ((= x 1) (display "one one one one one"))\n'
     '      ((= x 2) (display "two two two two two"))\n'
     '      (else (display "other other other other")))\n'),
    (L(S("quote"), L(S("a"), S("b"))), {}, "'(a b)\n"),
    ("str", {"display": True}, "str\n"),
    (Pair(1, Pair(2, 3)), {}, "(1 2 . 3)\n"),
    (L(S("foo"), S("aaaaaaaaaaaaaaaaaaaaaaaaaa"), S("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")),
     {"width": 30}, "(foo aaaaaaaaaaaaaaaaaaaaaaaaaa\n     bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb)\n"),
    (from_list(range(20)), {"width": 20}, "(" + "\n ".join(str(i) for i in range(20)) + ")\n"),
    ([S("aaaaaaaaaaaaaaaaaaaa"), S("bbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), S("ccccccccc")], {},
     "#(aaaaaaaaaaaaaaaaaaaa\n  bbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n  ccccccccc)\n"),
]


@pytest.mark.parametrize("obj,kw,expected", PRETTY)
def test_pretty_print(obj: Any, kw: dict[str, Any], expected: str) -> None:
    assert ports.pretty_string(obj, **kw) == expected


def test_pretty_print_primitive() -> None:
    out = P["open-output-string"]()
    P["pretty-print"](L(S("a"), 1), out)
    assert P["get-output-string"](out) == "(a 1)\n"
    out = P["open-output-string"]()
    P["pretty-print"](L(S("a"), S("b")), Keyword("port"), out, Keyword("per-line-prefix"), ";; ")
    assert P["get-output-string"](out) == ";; (a b)\n"
    out = P["open-output-string"]()
    with ports.with_output_to(out):
        P["pretty-print"]("s", Keyword("display?"), True)
    assert P["get-output-string"](out) == "s\n"


def test_module_tables() -> None:
    assert builtins.MODULE_OF["fold"] == ("srfi", "srfi-1")
    assert builtins.MODULE_OF["read-line"] == ("ice-9", "rdelim")
    assert "fold" in builtins.module_exports(("srfi", "srfi-1"))
    assert builtins.module_exports(("ice-9", "format"))["format"] is ports.ice9_format
    for name in builtins.MODULE_OF:
        assert name in P
    for name, fn in P.items():
        if getattr(fn, "scm_primitive", False):
            assert fn.__doc__, name


# ---------------------------------------------------------------- Guile-generated cases

_DATA = __import__("pathlib").Path(__file__).parent / "data"


def _data_cases(name: str) -> list[list[Any]]:
    from schemos.reader import read_all

    return [to_list(x) for x in read_all((_DATA / name).read_text(encoding="utf-8"))]


@pytest.mark.parametrize("case", _data_cases("format_guile.txt"),
                         ids=lambda c: repr(c[0]))
def test_format_matches_guile(case: list[Any]) -> None:
    fmt, args, expected = case
    if expected is S("error"):
        with pytest.raises(SchemeError):
            P["format"](False, fmt, *to_list(args))
    else:
        assert P["format"](False, fmt, *to_list(args)) == expected


@pytest.mark.parametrize("case", _data_cases("pretty_print_guile.txt"))
def test_pretty_print_matches_guile(case: list[Any]) -> None:
    datum, width, display, expected = case
    assert ports.pretty_string(datum, width=width, display=display is True) == expected


def test_float_formatting_matches_guile() -> None:
    lines = (_DATA / "floats_guile.txt").read_text(encoding="utf-8").splitlines()
    pairs = [line.split() for line in lines if not line.startswith("#")]
    assert len(pairs) > 300
    for py, guile in pairs:
        assert P["number->string"](float(py)) == guile
        assert P["string->number"](guile) == float(py)
