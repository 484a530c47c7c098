"""Tests for schemos.reader: Guile 3.0's lexical syntax, locations and read errors."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemos.datum import EOF, NIL, Char, Keyword, Pair, SourceLoc, Symbol, to_list
from schemos.errors import SchemeError
from schemos.printer import write_string
from schemos.reader import (
    Reader,
    char_by_name,
    format_source_error,
    is_complete,
    parse_number,
    read_all,
    read_datum,
    read_one,
)


def r(text: str) -> Any:
    """The single datum in ``text``."""
    items = read_all(text)
    assert len(items) == 1, items
    return items[0]


def w(text: str) -> str:
    """``text`` read and written back."""
    return write_string(r(text))


def read_err(text: str, filename: str | None = "t.scm") -> Any:
    """The condition of the read error ``text`` raises."""
    with pytest.raises(SchemeError) as info:
        read_all(text, filename)
    c = info.value.condition
    assert c is not None
    assert c.key is Symbol("read-error")
    return c


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", 42),
        ("-17", -17),
        ("+5", 5),
        ("0", 0),
        ("-0", 0),
        ("123456789012345678901234567890", 123456789012345678901234567890),
        ("1/3", Fraction(1, 3)),
        ("-1/2", Fraction(-1, 2)),
        ("4/2", 2),
        ("#x1F", 31),
        ("#XFF", 255),
        ("#xff/2", Fraction(255, 2)),
        ("#b101", 5),
        ("#b-101", -5),
        ("#o17", 15),
        ("#d10", 10),
        ("#e1.5", Fraction(3, 2)),
        ("#e1.2", Fraction(6, 5)),
        ("#e1e3", 1000),
        ("#e#x10", 16),
        ("#x#e10", 16),
        ("#e.5", Fraction(1, 2)),
        ("#x1/a", Fraction(1, 10)),
    ],
)
def test_exact_numbers(text: str, value: Any) -> None:
    got = r(text)
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.5", 1.5),
        (".5", 0.5),
        ("1.", 1.0),
        ("-.5e3", -500.0),
        ("+.25", 0.25),
        ("1e10", 1e10),
        ("1E2", 100.0),
        ("1.5e-3", 0.0015),
        ("1s2", 100.0),
        ("1d2", 100.0),
        ("1f1", 10.0),
        ("1l1", 10.0),
        ("1#", 10.0),
        ("#i1/3", 1 / 3),
        ("#i5", 5.0),
        ("#x#i10", 16.0),
        ("1e308", 1e308),
        ("10e308", math.inf),
        ("1e-324", 0.0),
        ("+inf.0", math.inf),
        ("-inf.0", -math.inf),
        ("+INF.0", math.inf),
        ("0.1", 0.1),
        ("123456789.123456789", 123456789.123456789),
    ],
)
def test_inexact_numbers(text: str, value: float) -> None:
    got = r(text)
    assert type(got) is float
    assert got == value


def test_special_floats() -> None:
    assert math.isnan(r("+nan.0"))
    assert math.isnan(r("-nan.0"))
    z = r("-0.0")
    assert z == 0.0 and math.copysign(1, z) == -1


def test_complex_numbers() -> None:
    assert r("1+2i") == complex(1, 2)
    assert r("1.5-2.5i") == complex(1.5, -2.5)
    assert r("+i") == complex(0, 1)
    assert r("-i") == complex(0, -1)
    assert r("-2i") == complex(0, -2)
    assert r("1+0i") == 1 and type(r("1+0i")) is int
    assert r("1@0") == 1
    assert r("#x10+i") == complex(16, 1)


@pytest.mark.parametrize(
    "text",
    ["1+", "-1+", "...", "+", "-", "->x", "1/0", "a.b", ".foo", "1e", "1e+", "+.", "..",
     "-nan", "inf.0", "nan.0", "1/2/3", "1.5/2", "+-1", "1a", "#t1x"[2:], "{a}", "a#b", "a'b",
     "a|b", "λ", "1/", "/1", ":key", "key:"],
)
def test_number_like_symbols(text: str) -> None:
    got = r(text)
    assert type(got) is Symbol
    assert got.name == text


def test_exponent_out_of_range_is_a_read_error() -> None:
    c = read_err("(a 1e309)")
    assert "Value out of range: 309" in c.message
    assert c.loc == SourceLoc("t.scm", 1, 3)
    c = read_err("1e-325")
    assert "out of range" in c.message


def test_parse_number_api() -> None:
    assert parse_number("ff", 16) == 255
    assert parse_number("#b11", 16) == 3
    assert parse_number("z", 36) == 35
    assert parse_number("abc") is None
    assert parse_number("") is None
    assert parse_number("#x") is None
    with pytest.raises(SchemeError) as info:
        parse_number("1e400")
    assert info.value.condition is not None
    assert info.value.condition.key is Symbol("out-of-range")


# ---------------------------------------------------------------- strings


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('""', ""),
        ('"abc"', "abc"),
        ('"a\\nb"', "a\nb"),
        ('"\\t\\r\\a\\f\\v\\0\\b"', "\t\r\a\f\v\0\b"),
        ('"\\\\"', "\\"),
        ('"\\""', '"'),
        ('"\\("', "("),
        ('"\\|"', "|"),
        ('"\\x41"', "A"),
        ('"\\x41;"', "A;"),  # Guile: \x takes exactly two hex digits
        ('"\\x7f"', "\x7f"),
        ('"\\u03bb"', "λ"),
        ('"\\U01F600"', "😀"),
        ('"a\\\nb"', "ab"),
        ('"a\\\n   b"', "a   b"),  # hungry-eol-escapes is off in Guile
        ('"line1\nline2"', "line1\nline2"),
        ('"λ😀"', "λ😀"),
        ('"semi;colon"', "semi;colon"),
    ],
)
def test_strings(text: str, value: str) -> None:
    assert r(text) == value


def test_string_errors() -> None:
    c = read_err('"abc')
    assert c.message == "unexpected end of input while reading string"
    assert c.loc == SourceLoc("t.scm", 1, 0)
    assert "not closed" in c.hint
    c = read_err('(x "a\\qb")')
    assert c.message == "invalid character in escape sequence: #\\q"
    assert c.loc == SourceLoc("t.scm", 1, 6)
    c = read_err('"ab\n  \\xZZ"')
    assert c.message == "invalid character in escape sequence: #\\Z"
    assert c.loc == SourceLoc("t.scm", 2, 4)
    c = read_err('"\\x4"')
    assert c.message == 'invalid character in escape sequence: #\\"'
    c = read_err('"\\u12"')
    assert c.message.startswith("invalid character in escape sequence")


# ------------------------------------------------------------- characters


@pytest.mark.parametrize(
    ("text", "cp"),
    [
        ("#\\a", ord("a")),
        ("#\\A", ord("A")),
        ("#\\space", 0x20),
        ("#\\newline", 0x0A),
        ("#\\tab", 0x09),
        ("#\\nul", 0x00),
        ("#\\null", 0x00),
        ("#\\alarm", 0x07),
        ("#\\backspace", 0x08),
        ("#\\delete", 0x7F),
        ("#\\del", 0x7F),
        ("#\\escape", 0x1B),
        ("#\\esc", 0x1B),
        ("#\\return", 0x0D),
        ("#\\linefeed", 0x0A),
        ("#\\vtab", 0x0B),
        ("#\\page", 0x0C),
        ("#\\soh", 0x01),
        ("#\\SPACE", 0x20),
        ("#\\x41", 0x41),
        ("#\\x3bb", 0x3BB),
        ("#\\x", ord("x")),
        ("#\\(", ord("(")),
        ("#\\)", ord(")")),
        ("#\\[", ord("[")),
        ("#\\;", ord(";")),
        ('#\\"', ord('"')),
        ("#\\ ", 0x20),
        ("#\\λ", 0x3BB),
        ("#\\101", 0o101),
        ("#\\0", ord("0")),
        ("#\\U+41", 0x41),
        ("#\\\u25cc\u0301", 0x301),
    ],
)
def test_characters(text: str, cp: int) -> None:
    assert r(text) is Char(cp)


def test_character_delimiting() -> None:
    assert to_list(r("(#\\a #\\b)")) == [Char(ord("a")), Char(ord("b"))]
    assert to_list(r("(#\\()")) == [Char(ord("("))]
    assert char_by_name("nl") is Char(10)
    assert char_by_name("bogus") is None


def test_character_errors() -> None:
    c = read_err("(a #\\foo)")
    assert c.message == "unknown character name foo"
    assert c.loc == SourceLoc("t.scm", 1, 3)
    assert read_err("#\\").message == "unexpected end of input after #\\"
    assert read_err("#\\x110000").message.startswith("out-of-range character")


# ------------------------------------------------------ booleans, keywords


@pytest.mark.parametrize(
    ("text", "value"),
    [("#t", True), ("#f", False), ("#true", True), ("#false", False), ("#T", True),
     ("#F", False), ("#TRUE", True)],
)
def test_booleans(text: str, value: bool) -> None:
    assert r(text) is value


def test_booleans_need_no_delimiter() -> None:
    assert read_all("#tru1") == [True, Symbol("ru1")]
    assert read_all("#true1") == [True, 1]
    assert read_all("#t#f") == [True, False]


def test_keywords() -> None:
    assert r("#:foo") is Keyword("foo")
    assert r("#: foo") is Keyword("foo")
    assert r("#:#{a b}#") is Keyword("a b")
    assert r("#:a#b") is Keyword("a#b")
    assert to_list(r("(f #:key x #:allow-other-keys)")) == [
        Symbol("f"), Keyword("key"), Symbol("x"), Keyword("allow-other-keys")]
    c = read_err("#:1")
    assert c.message == "keyword prefix #: not followed by a symbol: 1"
    c = read_err('#: "x"')
    assert c.message == "keyword prefix #: not followed by a symbol: x"


# ---------------------------------------------------------------- symbols


def test_odd_symbols() -> None:
    assert r("#{odd symbol}#") is Symbol("odd symbol")
    assert r("|odd symbol|") is Symbol("odd symbol")
    assert r("#{}#") is Symbol("")
    assert r("||") is Symbol("")
    assert r("#{a\\x41;b}#") is Symbol("aAb")
    assert r("|a\\x41;b|") is Symbol("aAb")
    assert r("#{a}b}#") is Symbol("a}b")
    assert r("#{(x)}#") is Symbol("(x)")
    assert read_all("|a|b") == [Symbol("a"), Symbol("b")]


def test_symbols_are_case_sensitive_unless_fold_case() -> None:
    assert r("Hello") is Symbol("Hello")
    assert read_all("#!fold-case Hello #!no-fold-case Hello") == [
        Symbol("hello"), Symbol("Hello")]


# ------------------------------------------------------------ prefixes


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("'x", "quote"),
        ("`x", "quasiquote"),
        (",x", "unquote"),
        (",@x", "unquote-splicing"),
        ("#'x", "syntax"),
        ("#`x", "quasisyntax"),
        ("#,x", "unsyntax"),
        ("#,@x", "unsyntax-splicing"),
        ("#~x", "gexp"),
        ("#$x", "ungexp"),
        ("#$@x", "ungexp-splicing"),
        ("#+x", "ungexp-native"),
        ("#+@x", "ungexp-native-splicing"),
    ],
)
def test_prefix_forms(text: str, head: str) -> None:
    assert to_list(r(text)) == [Symbol(head), Symbol("x")]


def test_prefix_forms_nest_and_skip_comments() -> None:
    assert w("''x") == "(quote (quote x))"
    assert w("' x") == "(quote x)"
    assert w("'#;y x") == "(quote x)"
    assert w("'; comment\n x") == "(quote x)"
    assert w("`(a ,b ,@c)") == "(quasiquote (a (unquote b) (unquote-splicing c)))"
    assert w("#~(begin #$x #+y #$@z)") == \
        "(gexp (begin (ungexp x) (ungexp-native y) (ungexp-splicing z)))"


# ---------------------------------------------------- lists and vectors


def test_lists() -> None:
    assert r("()") is NIL
    assert w("(a b c)") == "(a b c)"
    assert w("(a . b)") == "(a . b)"
    assert w("(a b . c)") == "(a b . c)"
    assert w("(a . (b c))") == "(a b c)"
    assert w("[a b]") == "(a b)"
    assert w("(a [b (c)] d)") == "(a (b (c)) d)"
    assert w("( . a)") == "a"  # as Guile
    assert w("(a .b)") == "(a .b)"
    assert w("(a ... b)") == "(a ... b)"
    assert w("(a . .)") == "(a . #{.}#)"
    assert w("(a '.)") == "(a (quote #{.}#))"
    assert r(".") is Symbol(".")


def test_vectors_and_bytevectors() -> None:
    assert r("#()") == []
    assert w("#(1 (2) #(3))") == "#(1 (2) #(3))"
    assert type(r("#(1)")) is list
    assert r("#vu8(1 2 255)") == bytearray([1, 2, 255])
    assert r("#vu8()") == bytearray()
    assert r("#u8(7)") == bytearray([7])
    assert type(r("#vu8(1)")) is bytearray


def test_comments() -> None:
    assert read_all("; only a comment") == []
    assert read_all("a ; comment\nb") == [Symbol("a"), Symbol("b")]
    assert read_all("a #| block |# b") == [Symbol("a"), Symbol("b")]
    assert read_all("a #| outer #| inner |# still |# b") == [Symbol("a"), Symbol("b")]
    assert read_all("#|#|#||#|#|# x") == [Symbol("x")]
    assert read_all("#;(a b) c") == [Symbol("c")]
    assert read_all("#; #; a b c") == [Symbol("c")]
    assert w("(a #;b c)") == "(a c)"
    assert w("(a #;(b\n c) d)") == "(a d)"
    assert w("(a . #;b c)") == "(a . c)"
    assert w("(a . b #;c)") == "(a . b)"
    assert w("(a #;. b)") == "(a b)"
    assert [write_string(x) for x in read_all("#!/usr/bin/guile \\\n-s\n!#\n(display 1)")] \
        == ["(display 1)"]
    assert w("#!r6rs (x)") == "(x)"


# -------------------------------------------------------------- locations


def test_locations() -> None:
    forms = read_all("(define (f x)\n  (+ x 1))\n'(a b)\n  [c]", "g.scm")
    define, quoted, bracket = forms
    assert define.loc == SourceLoc("g.scm", 1, 0)
    assert define.cdr.car.loc == SourceLoc("g.scm", 1, 8)
    assert define.cdr.cdr.car.loc == SourceLoc("g.scm", 2, 2)
    assert define.cdr.loc == define.loc  # the spine shares the head's location
    assert quoted.loc == SourceLoc("g.scm", 3, 0)
    assert quoted.cdr.car.loc == SourceLoc("g.scm", 3, 1)
    assert bracket.loc == SourceLoc("g.scm", 4, 2)


def test_locations_after_multiline_tokens() -> None:
    forms = read_all('"a\nb" #| x\n y |# (z)\n#;(q\n) (w)')
    assert forms[1].loc == SourceLoc(None, 3, 6)
    assert forms[2].loc == SourceLoc(None, 5, 2)


# -------------------------------------------------- incremental reading


def test_read_one_and_read_datum() -> None:
    assert read_one("x y") is Symbol("x")
    assert read_one("  ; nothing\n") is EOF
    assert read_one("#;a") is EOF
    assert read_one("") is EOF
    text = "  (a b) c ; x\n #;(d) \"e\"  "
    got = []
    pos = 0
    while True:
        datum, pos = read_datum(text, pos)
        if datum is EOF:
            break
        got.append((write_string(datum), pos))
    assert got == [("(a b)", 7), ("c", 9), ('"e"', 24)]
    assert pos == len(text)


def test_reader_tracks_positions() -> None:
    rd = Reader("(a\n b) (c\n d)\n e", "r.scm")
    first = rd.read()
    assert write_string(first) == "(a b)" and first.loc == SourceLoc("r.scm", 1, 0)
    assert (rd.pos, rd.line, rd.col) == (6, 2, 3)
    second = rd.read()
    assert second.loc == SourceLoc("r.scm", 2, 4)
    assert [write_string(x) for x in rd] == ["e"]
    assert rd.read() is EOF


def test_reader_keeps_fold_case_between_reads() -> None:
    rd = Reader("#!fold-case ABC DEF")
    assert list(rd) == [Symbol("abc"), Symbol("def")]


def test_reader_continues_after_an_error() -> None:
    rd = Reader("a #q\n b")
    assert rd.read() is Symbol("a")
    with pytest.raises(SchemeError):
        rd.read()
    assert rd.read() is Symbol("b")
    rd = Reader('x "abc\n')
    assert rd.read() is Symbol("x")
    with pytest.raises(SchemeError):
        rd.read()
    assert (rd.pos, rd.line, rd.col) == (7, 2, 0)
    assert rd.read() is EOF


def test_is_complete() -> None:
    for text in ["(a", '"abc', "#|", "'", "#;", "(a . ", "#\\", "#{a", "[a", "#!x", "(a\n(b)",
                 "#", "`(a ,", "|ab"]:
        assert not is_complete(text), text
    for text in ["(a)", "x", "", "  ", "(a))", ")", '"a\\qb"', "(a]", "#q", "; c", "#|a|#"]:
        assert is_complete(text), text


# ------------------------------------------------------------ read errors


def test_unexpected_close_paren() -> None:
    c = read_err("(a)\n  )")
    assert c.message == 'unexpected ")"'
    assert c.loc == SourceLoc("t.scm", 2, 2)
    assert read_err("]").message == 'unexpected "]"'
    c = read_err("(a ')")
    assert c.message == 'unexpected ")"'
    assert c.loc == SourceLoc("t.scm", 1, 4)
    assert read_err("(a . )").message == 'unexpected ")"'
    assert read_err("(a #;)").message == 'unexpected ")"'


def test_missing_close_paren() -> None:
    c = read_err("(define (f x)\n  (g x)\n")
    assert c.message == "unexpected end of input while searching for: )"
    assert c.loc == SourceLoc("t.scm", 1, 0)
    assert c.hint == 'this "(" at 1:0 is not closed'
    c = read_err("(a\n  (b")
    assert c.loc == SourceLoc("t.scm", 2, 2)
    assert "outermost at 1:0" in c.hint
    assert read_err("[a").message == "unexpected end of input while searching for: ]"
    assert read_err("#(1 2").message == "unexpected end of input while searching for: )"


def test_mismatched_close_paren() -> None:
    c = read_err("(a]")
    assert c.message == "mismatched close paren: ]"
    assert c.loc == SourceLoc("t.scm", 1, 2)
    assert '"(" at 1:0' in c.hint
    assert read_err("[a)").message == "mismatched close paren: )"


def test_dotted_list_errors() -> None:
    c = read_err("(a . b c)")
    assert c.message == "missing close paren: c"
    assert c.loc == SourceLoc("t.scm", 1, 7)
    assert read_err("(a . b (c))").message == "missing close paren: ("
    assert read_err("(a . . b)").message == "missing close paren: b"
    assert read_err("(a .").message == \
        "unexpected end of input while reading tail of improper list"
    assert read_err("#(a . b)").message == 'unexpected "." in vector'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("'", "unexpected end of input while reading quoted expression"),
        ("`", "unexpected end of input while reading quasiquoted expression"),
        (",", "unexpected end of input while reading unquoted expression"),
        (",@", "unexpected end of input while reading subexpression of ,@"),
        ("#'", "unexpected end of input while reading syntax expression"),
        ("#;", "unexpected end of input while reading #; comment"),
        ("#:", "unexpected end of input while reading keyword"),
        ("(a #;", "unexpected end of input while reading #; comment"),
        ("#", "unexpected end of input after #"),
        ("#|abc", "unterminated `#| ... |#' comment"),
        ("#| #| |#", "unterminated `#| ... |#' comment"),
        ("#!abc", "unterminated `#! ... !#' comment"),
        ("#{abc", "end of input while reading symbol"),
        ("|abc", "unexpected end of input while reading symbol"),
        ("#q", 'Unknown # object: "#q"'),
        ("#xzz", 'unknown # object: "#xzz"'),
        ("#e+inf.0", 'unknown # object: "#e+inf.0"'),
        ("#vx", "invalid bytevector prefix"),
        ("#vu8(256)", "invalid bytevector element: 256"),
        ("#vu8(a)", "invalid bytevector element: a"),
    ],
)
def test_error_messages(text: str, message: str) -> None:
    assert read_err(text).message == message


def test_error_locations_point_at_the_culprit() -> None:
    assert read_err("ok\n  #q").loc == SourceLoc("t.scm", 2, 2)
    assert read_err("a\n 'b\n  '").loc == SourceLoc("t.scm", 3, 2)
    assert read_err("x #| a #| b |#").loc == SourceLoc("t.scm", 1, 2)
    assert read_err('x\n"unterminated').loc == SourceLoc("t.scm", 2, 0)
    assert read_err("(x\n\t#\\bogus)").loc == SourceLoc("t.scm", 2, 1)
    assert read_err("#q", None).loc == SourceLoc(None, 1, 0)


def test_errors_come_in_text_order() -> None:
    # the bad escape comes before the stray paren, as Guile reads them
    assert read_err('"\\q" )').message.startswith("invalid character")


def test_error_is_scheme_error_with_who_read() -> None:
    with pytest.raises(SchemeError) as info:
        read_one(")")
    c = info.value.condition
    assert c is not None and c.who == "read"
    assert 'unexpected ")"' in str(info.value)


# ----------------------------------------------------- source rendering


def test_format_source_error() -> None:
    text = "(define (f x)\n\t(foo]\n"
    out = format_source_error(text, SourceLoc("f", 2, 5))
    assert out == " 2 | \t(foo]\n   | \t    ^"
    assert format_source_error(text.splitlines(), SourceLoc("f", 1, 0)) == \
        " 1 | (define (f x)\n   | ^"
    assert format_source_error(text, SourceLoc("f", 9, 0)) == ""
    assert format_source_error(text, None) == ""
    assert format_source_error("ab", SourceLoc(None, 1, 99)).endswith("  ^")


# ---------------------------------------------------------------- limits


def test_deep_nesting_and_long_lists() -> None:
    depth = 20_000
    x = r("(" * depth + ")" * depth)
    for _ in range(depth - 1):
        assert type(x) is Pair and x.cdr is NIL
        x = x.car
    assert x is NIL
    long = r("(" + " ".join(["a"] * 100_000) + ")")
    assert len(to_list(long)) == 100_000


# -------------------------------------------------------------- fuzzing

_PIECES = list("()[]#;\"'`,@|\\{}:.+-eEixXbB0123456789 \n\tabλ!$~/u8v") + [
    "#\\", "#|", "|#", "#;", "#(", "#vu8(", "#:", "#{", "}#", "#!", "!#", ",@", "#t", "#f",
    "\\x", "1/", "+inf.0", "1e309", "#e", "#x", "space", "@", "#~", "#$", "U+",
]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.lists(st.sampled_from(_PIECES), max_size=16).map("".join),
    st.text(max_size=20),
))
def test_random_text_gives_datums_or_read_errors(text: str) -> None:
    try:
        result = read_all(text, "fuzz.scm")
    except SchemeError as e:
        c = e.condition
        assert c is not None and c.key is Symbol("read-error")
        assert isinstance(c.loc, SourceLoc)
        assert c.loc.file == "fuzz.scm"
        assert c.loc.line >= 1 and c.loc.col >= 0
        assert c.loc.line <= text.count("\n") + 1
        assert is_complete(text) in (True, False)
    else:
        assert isinstance(result, list)
        assert is_complete(text)
        # whatever was read can be written and read back
        for datum in result:
            write_string(datum)
