"""``(ice-9 match)``: what tests/scheme/match.scm cannot check under Guile.

That file holds the behaviour shared with Guile 3.0.8.  Here: the
extensions (``,@`` quasi-patterns, which Guile 3.0.8 cannot compile, and
ellipses inside vectors), syntax errors, the uncaught error report, the
shape of the generated code, the module cache and very large match forms.
"""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from schemos.datum import Symbol
from schemos.errors import SchemeError, format_condition
from schemos.interp import Interpreter
from schemos.module import global_pyname
from schemos.printer import write_string


def run(text: str) -> str:
    """Evaluate ``text`` after importing (ice-9 match); the value as ``write`` prints it."""
    interp = Interpreter(use_cache=False)
    return write_string(interp.eval_string("(use-modules (ice-9 match))\n" + text, "t.scm"))


def error_of(text: str) -> SchemeError:
    """The error evaluating ``text`` raises."""
    with pytest.raises(SchemeError) as info:
        run(text)
    return info.value


@pytest.mark.parametrize(("expr", "expected"), [
    ("(match '(1 2 3) (`(1 ,@c) c))", "(2 3)"),
    ("(match '(1 2 3) (`(1 ,@c 3) c))", "(2)"),
    ("(match '(1 2 3) (`(,a ,@(b c)) (list a b c)))", "(1 2 3)"),
    ("(match '(1 2 3) (`(,@(x ...) ,y) (list x y)))", "((1 2) 3)"),
    ("(match '(1) (`(1 ,@c 3) c) (_ 'no))", "no"),
    ("(match '(1 2 . 3) (`(1 ,@c) c) (_ 'improper))", "improper"),
    ("(match '(f) (`(f ,@args) args))", "()"),
    ("(match (vector 1 2 3 4) (#(a b ... c) (list a b c)))", "(1 (2 3) 4)"),
    ("(match (vector 1 2 4 4) (#(a (? even? b) ... c) (list a b c)) (_ 'no))",
     "(1 (2 4) 4)"),
    ("(match (vector 1 2 3 4) (#(a (? even? b) ... c) (list a b c)) (_ 'no))", "no"),
    ("(match (vector 1) (#(a b ... c) 'yes) (_ 'short))", "short"),
])
def test_extensions(expr: str, expected: str) -> None:
    assert run(expr) == expected


@pytest.mark.parametrize(("expr", "message"), [
    ("(match 5)", "no match clauses"),
    ("(match)", "missing match expression"),
    ("(match 5 (1))", "match clause has no body"),
    ("(match 5 ((a ... b ...) 1))", "multiple ellipsis patterns not allowed at same level"),
    ("(match 5 ((a ... . b) 1))", "dotted tail not allowed after ellipsis"),
    ("(match 5 ((= car) 1))", "bad = pattern"),
    ("(match 5 ((?) 1))", "bad ? pattern"),
    ("(match 5 ((set! x) 1))", "set! patterns are not supported"),
    ("(match 5 ((a *** b) 1))", "*** tree patterns are not supported"),
    ("(match 5 (... 1))", "misplaced ... in match pattern"),
    ("(match 5 (x (=>) 1))", "bad (=> failure) in match clause"),
    ("(match-let ((x)) x)", "bad match-let binding"),
])
def test_syntax_errors(expr: str, message: str) -> None:
    c = error_of(expr).condition
    assert c is not None and c.key.name == "syntax-error"
    assert message in c.message


def test_uncaught_error_names_the_match_form() -> None:
    e = error_of("(define (f x)\n  (match x\n    (1 2)))\n(f 5)")
    c = e.condition
    assert c is not None
    assert format_condition(c).endswith(
        "Throw to key `match-error' with args (\"match\" \"no matching pattern\" 5).")
    assert c.loc is not None and (c.loc.line, c.loc.col) == (3, 2)


def test_match_is_only_in_ice_9_match() -> None:
    with pytest.raises(SchemeError):
        Interpreter(use_cache=False).eval_string("(match 1 (x x))")


def _nested_code(f: object) -> list[types.CodeType]:
    code = f.__code__  # type: ignore[attr-defined]
    return [c for c in code.co_consts if isinstance(c, types.CodeType)]


def test_plain_clauses_make_no_closure() -> None:
    """A recursive procedure over a match stays a loop: no thunk per clause."""
    interp = Interpreter(use_cache=False)
    interp.eval_string("""
(use-modules (ice-9 match))
(define (walk tree acc)
  (match tree
    (() acc)
    (((? symbol? s) . rest) (walk rest (cons s acc)))
    ((('quote x) rest ...) (walk rest (cons x acc)))
    (((k . v) ...) (append k acc))
    ((_ . rest) (walk rest acc))))
""")
    walk = interp.user.ns[global_pyname(Symbol("walk"))]
    assert _nested_code(walk) == []
    assert write_string(interp.eval_string("(walk '(a 'b 1 c) '())")) == "(c b a)"


def test_failure_continuation_is_a_thunk() -> None:
    interp = Interpreter(use_cache=False)
    interp.eval_string("""
(use-modules (ice-9 match))
(define (f x) (match x ((a b) (=> next) (if (eq? a b) 'same (next))) (_ 'other)))
""")
    f = interp.user.ns[global_pyname(Symbol("f"))]
    assert len(_nested_code(f)) == 1
    assert write_string(interp.eval_string("(list (f '(1 1)) (f '(1 2)) (f 3))")) == \
        "(same other other)"


@pytest.mark.parametrize(("clause", "expected"), [
    ("(((= car x) {i}) (list x {i}))", "((1 299) none none)"),
    ("(({i} x) (=> f) (f))", "(none none none)"),
    ("((((? number? a) b) ... {i}) (list a {i}))", "(((1) 299) none none)"),
    ("(('k{i} a (b c) d ...) (list a b c d))", "(none (1 2 3 (4)) none)"),
])
def test_hundreds_of_clauses(clause: str, expected: str) -> None:
    """Python's nesting limits are not reached, whatever the clauses."""
    clauses = " ".join(clause.format(i=i) for i in range(300))
    text = (f"(define (big x) (match x {clauses} (_ 'none)))\n"
            "(list (big '((1 2) 299)) (big '(k299 1 (2 3) 4)) (big 'zzz))")
    assert run(text) == expected


def test_deep_patterns() -> None:
    pat = "x"
    val = "1"
    for _ in range(80):
        pat = f"({pat})"
        val = f"({val})"
    assert run(f"(match '{val} ({pat} x))") == "1"
    pats = " ".join(f"(= car b{i})" for i in range(100))
    vals = " ".join(f"({i})" for i in range(100))
    assert run(f"(match '({vals}) (({pats}) (list b0 b99)))") == "(0 99)"


def test_module_cache_replays_match_code(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    (lib / "m").mkdir(parents=True)
    (lib / "m" / "shapes.scm").write_text("""
(define-module (m shapes)
  #:use-module (ice-9 match)
  #:export (area))
(define-record-type <rect> (rect w h) rect? (w rect-w) (h rect-h))
(define area
  (match-lambda
    (('square s) (* s s))
    (('rect (? number? w) h) (* w h))
    (($ <rect> w h) (* w h))
    (('poly (x y) ...) (apply + x))))
(define rect1 (rect 2 5))
(export rect1)
""")
    text = ("(use-modules (m shapes))"
            " (map area (list '(square 3) '(rect 2 4) rect1 '(poly (1 2) (3 4))))")
    cache = tmp_path / "cache"
    first = Interpreter(load_path=[str(lib)], cache_dir=cache)
    assert write_string(first.eval_string(text)) == "(9 8 10 4)"
    second = Interpreter(load_path=[str(lib)], cache_dir=cache)
    assert write_string(second.eval_string(text)) == "(9 8 10 4)"
    assert second.cache.hits >= 1
