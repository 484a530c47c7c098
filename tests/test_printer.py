"""Tests for schemos.printer: Guile 3's write/display output, and read(write(x)) == x."""

from __future__ import annotations

import math
import sys
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    from_list,
)
from schemos.printer import (
    char_name,
    display_string,
    number_to_string,
    symbol_to_string,
    write_string,
)
from schemos.reader import read_one


def sym(name: str) -> Symbol:
    return Symbol(name)


# ------------------------------------------------------------------ atoms


@pytest.mark.parametrize(
    ("obj", "text"),
    [
        (True, "#t"),
        (False, "#f"),
        (NIL, "()"),
        (0, "0"),
        (-42, "-42"),
        (12345678901234567890, "12345678901234567890"),
        (Fraction(1, 3), "1/3"),
        (Fraction(-7, 2), "-7/2"),
        (UNSPECIFIED, "#<unspecified>"),
        (DEFAULT, "#<unspecified>"),
        (UNDEFINED, "#<undefined>"),
        (EOF, "#<eof>"),
        (Keyword("key"), "#:key"),
        (Keyword("a b"), "#:#{a b}#"),
        (Keyword("1"), "#:#{1}#"),
        (bytearray(), "#vu8()"),
        (bytearray([1, 2, 255]), "#vu8(1 2 255)"),
        ([], "#()"),
        ([1, 2], "#(1 2)"),
    ],
)
def test_write_atoms(obj: Any, text: str) -> None:
    assert write_string(obj) == text


def test_huge_integers_print_despite_pythons_digit_limit() -> None:
    n = 7**20000  # about 16900 digits, beyond int->str's default limit
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        expected = str(n)
    finally:
        sys.set_int_max_str_digits(old)
    assert write_string(n) == expected
    assert write_string(-n) == "-" + expected
    assert read_one(expected) == n
    assert read_one("-" + expected) == -n


# ----------------------------------------------------------------- floats


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (1.0, "1.0"),
        (0.5, "0.5"),
        (-0.5, "-0.5"),
        (0.1, "0.1"),
        (100.0, "100.0"),
        (1.5, "1.5"),
        (123.456, "123.456"),
        (1 / 3, "0.3333333333333333"),
        (2 / 3, "0.6666666666666666"),
        (1234567.0, "1234567.0"),
        (12345678.0, "12345678.0"),
        (1e7, "1.0e7"),
        (1e10, "1.0e10"),
        (123450000.0, "1.2345e8"),
        (1e21, "1.0e21"),
        (1e100, "1.0e100"),
        (1.5e300, "1.5e300"),
        (0.001, "0.001"),
        (0.0001, "1.0e-4"),
        (1e-7, "1.0e-7"),
        (1.25e-7, "1.25e-7"),
        (5e-324, "5.0e-324"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (math.inf, "+inf.0"),
        (-math.inf, "-inf.0"),
        (math.nan, "+nan.0"),
    ],
)
def test_float_format(x: float, text: str) -> None:
    assert write_string(x) == text


def test_complex_format() -> None:
    assert write_string(complex(1, 2)) == "1.0+2.0i"
    assert write_string(complex(1.5, -2.5)) == "1.5-2.5i"
    assert write_string(complex(0, 1)) == "0.0+1.0i"
    assert write_string(complex(1, math.inf)) == "1.0+inf.0i"
    assert write_string(complex(1, -math.inf)) == "1.0-inf.0i"


def test_number_to_string_radix() -> None:
    assert number_to_string(255, 16) == "ff"
    assert number_to_string(-5, 2) == "-101"
    assert number_to_string(8, 8) == "10"
    assert number_to_string(35, 36) == "z"
    assert number_to_string(Fraction(1, 10), 2) == "1/1010"


# ------------------------------------------------------------- characters


@pytest.mark.parametrize(
    ("cp", "text"),
    [
        (ord("a"), "#\\a"),
        (ord("A"), "#\\A"),
        (ord("("), "#\\("),
        (ord(")"), "#\\)"),
        (ord(";"), "#\\;"),
        (ord('"'), '#\\"'),
        (ord("\\"), "#\\\\"),
        (0x20, "#\\space"),
        (0x0A, "#\\newline"),
        (0x09, "#\\tab"),
        (0x00, "#\\nul"),
        (0x07, "#\\alarm"),
        (0x08, "#\\backspace"),
        (0x0B, "#\\vtab"),
        (0x0C, "#\\page"),
        (0x0D, "#\\return"),
        (0x1B, "#\\esc"),
        (0x7F, "#\\delete"),
        (0x01, "#\\soh"),
        (0x1F, "#\\us"),
        (0xA0, "#\\240"),  # no-break space: not graphic, no name, octal
        (0x3BB, "#\\λ"),
        (0x1F600, "#\\😀"),
        (0x301, "#\\\u25cc\u0301"),  # combining acute over a dotted circle
    ],
)
def test_write_char(cp: int, text: str) -> None:
    assert write_string(Char(cp)) == text


def test_char_name_and_display() -> None:
    assert char_name(0x20) == "space"
    assert display_string(Char(ord("a"))) == "a"
    assert display_string(Char(0x0A)) == "\n"


# ---------------------------------------------------------------- strings


@pytest.mark.parametrize(
    ("s", "text"),
    [
        ("", '""'),
        ("abc", '"abc"'),
        ("a\nb", '"a\\nb"'),
        ("\t", '"\\t"'),
        ("\r", '"\\r"'),
        ("\a\b\v\f", '"\\a\\b\\v\\f"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("\x00", '"\\x00"'),
        ("\x01", '"\\x01"'),
        ("\x7f", '"\\x7f"'),
        ("\x85", '"\\x85"'),
        ("\u00a0", '"\\xa0"'),
        ("\u2028", '"\\u2028"'),
        ("\U000e0001", '"\\U0e0001"'),
        ("λx", '"λx"'),
        ("😀", '"😀"'),
    ],
)
def test_write_string_escapes(s: str, text: str) -> None:
    assert write_string(s) == text


def test_display_string_is_raw() -> None:
    assert display_string("a\nb\"c") == 'a\nb"c'
    assert display_string(from_list(["a b", Char(ord("c")), 1])) == "(a b c 1)"
    assert display_string(["x", [Char(ord("y"))]]) == "#(x #(y))"
    assert write_string(["x", [Char(ord("y"))]]) == '#("x" #(#\\y))'


# ---------------------------------------------------------------- symbols


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("foo", "foo"),
        ("hello-world!", "hello-world!"),
        ("->x", "->x"),
        ("...", "..."),
        ("+", "+"),
        ("-", "-"),
        ("a.b", "a.b"),
        ("set-car!", "set-car!"),
        ("λ", "λ"),
        ("a'b", "a'b"),
        ("a|b", "a|b"),
        ("", "#{}#"),
        ("hello world", "#{hello world}#"),
        (".", "#{.}#"),
        ("1", "#{1}#"),
        ("1+", "#{1+}#"),  # Guile: a digit cannot start a plain symbol
        ("+1", "#{+1}#"),
        ("-1.5", "#{-1.5}#"),
        ("+i", "#{+i}#"),
        ("1/2", "#{1/2}#"),
        ("#foo", "#{#foo}#"),
        ("a#b", "#{a#b}#"),
        ("'q", "#{'q}#"),
        (",q", "#{,q}#"),
        ("a;b", "#{a;b}#"),
        ('a"b', '#{a"b}#'),
        ("(x)", "#{\\x28;x\\x29;}#"),
        ("a}#b", "#{a\\x7d;#b}#"),
        ("tab\there", "#{tab\\x9;here}#"),
        ("back\\slash", "back\\slash"),
        ("|x", "#{|x}#"),
    ],
)
def test_write_symbol(name: str, text: str) -> None:
    assert write_string(Symbol(name)) == text
    assert symbol_to_string(name) == text


def test_display_symbol_uses_extended_syntax_too() -> None:
    assert display_string(Symbol("a b")) == "#{a b}#"


def test_uninterned_symbol() -> None:
    s = write_string(UninternedSymbol("g1"))
    assert s.startswith("#<uninterned-symbol g1 ") and s.endswith(">")


# ------------------------------------------------------------------ lists


@pytest.mark.parametrize(
    ("obj", "text"),
    [
        (from_list([1, 2, 3]), "(1 2 3)"),
        (from_list([1, 2], 3), "(1 2 . 3)"),
        (Pair(1, 2), "(1 . 2)"),
        (from_list([sym("quote"), sym("x")]), "(quote x)"),
        (from_list([sym("quasiquote"), from_list([sym("unquote"), sym("x")])]),
         "(quasiquote (unquote x))"),
        (from_list([from_list([1]), NIL, [NIL]]), "((1) () #(()))"),
        (from_list([1, 2], [3]), "(1 2 . #(3))"),
        (from_list(["a", Char(ord("b"))]), '("a" #\\b)'),
        ([from_list([1, 2]), bytearray([3])], "#((1 2) #vu8(3))"),
    ],
)
def test_write_lists(obj: Any, text: str) -> None:
    assert write_string(obj) == text


def test_long_list_is_iterative() -> None:
    lst = from_list(range(1_000_000))
    s = write_string(lst)
    assert s.startswith("(0 1 2 ") and s.endswith(" 999999)")


def test_deep_car_nesting_is_iterative() -> None:
    x: Any = NIL
    for _ in range(100_000):
        x = Pair(x, NIL)
    s = write_string(x)
    assert s == "(" * 100_000 + "()" + ")" * 100_000


def test_deep_cdr_and_vector_nesting() -> None:
    v: Any = []
    for _ in range(50_000):
        v = [v]
    assert write_string(v) == "#(" * 50_000 + "#()" + ")" * 50_000
    tail: Any = 0
    for i in range(50_000):
        tail = Pair(i, Pair(tail, NIL))
    assert write_string(tail).count("(") == 50_000


# ------------------------------------------------------ other objects


def test_procedures() -> None:
    def f() -> None:
        pass

    f.scm_name = "car"  # type: ignore[attr-defined]
    f.scm_params = "_"  # type: ignore[attr-defined]
    assert write_string(f) == "#<procedure car (_)>"
    f.scm_params = "(x y)"  # type: ignore[attr-defined]
    assert write_string(f) == "#<procedure car (x y)>"
    g = lambda: None  # noqa: E731
    g.scm_name = "anon"  # type: ignore[attr-defined]
    assert write_string(g) == "#<procedure anon>"
    assert write_string(lambda: None).startswith("#<procedure ")


def test_scm_write_protocol() -> None:
    class Rec:
        def scm_write(self, port_write: bool) -> str:
            return "#<rec write>" if port_write else "#<rec display>"

    assert write_string(from_list([Rec()])) == "(#<rec write>)"
    assert display_string(Rec()) == "#<rec display>"


def test_values() -> None:
    assert write_string(Values((1, "a"))) == '1 "a"'
    assert write_string(Values(())) == ""


# ------------------------------------------------------------ round trip


def datum_equal(a: Any, b: Any) -> bool:
    """Structural equality where NaN equals NaN and 0.0 differs from -0.0."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if type(x) is not type(y):
            return False
        t = type(x)
        if t is Pair:
            stack.append((x.car, y.car))
            stack.append((x.cdr, y.cdr))
        elif t is list:
            if len(x) != len(y):
                return False
            stack.extend(zip(x, y, strict=True))
        elif t is float:
            if math.isnan(x) or math.isnan(y):
                if not (math.isnan(x) and math.isnan(y)):
                    return False
            elif x != y or math.copysign(1, x) != math.copysign(1, y):
                return False
        elif t in (Symbol, Keyword, Char) or x is NIL:
            if x is not y:
                return False
        elif x != y:
            return False
    return True


def test_datum_equal_can_fail() -> None:
    assert not datum_equal(0.0, -0.0)
    assert not datum_equal(1, 1.0)
    assert not datum_equal(from_list([1, 2]), from_list([1, 3]))
    assert not datum_equal(True, 1)
    assert datum_equal(math.nan, math.nan)


no_surrogates = st.characters(blacklist_categories=("Cs",))
texts = st.text(no_surrogates, max_size=12)
atoms = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.fractions().filter(lambda f: f.denominator != 1),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
    no_surrogates.map(lambda c: Char(ord(c))),
    texts.map(Symbol),
    st.sampled_from(["a", ".", "1+", "...", "#t", "+i", "}#", "|", "\\"]).map(Symbol),
    texts.map(Keyword),
    st.booleans(),
    st.just(NIL),
    st.binary(max_size=6).map(bytearray),
)


def _improper(items_tail: tuple[list[Any], Any]) -> Any:
    items, tail = items_tail
    if not items or tail is NIL or type(tail) is Pair:
        return from_list(items)
    return from_list(items, tail)


datums = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5).map(from_list),
        st.tuples(st.lists(inner, min_size=1, max_size=4), inner).map(_improper),
        st.lists(inner, max_size=4),
    ),
    max_leaves=25,
)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(datums)
def test_read_write_round_trip(x: Any) -> None:
    text = write_string(x)
    back = read_one(text)
    assert datum_equal(back, x), (text, back)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False))
def test_float_round_trip_exact(x: float) -> None:
    back = read_one(write_string(x))
    assert type(back) is float and back == x
    assert math.copysign(1, back) == math.copysign(1, x)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=0x10FFFF).filter(lambda c: not 0xD800 <= c <= 0xDFFF))
def test_every_char_round_trips(cp: int) -> None:
    assert read_one(write_string(Char(cp))) is Char(cp)
