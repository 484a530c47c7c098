"""End-to-end tests of the ``schemos`` command line and its error reports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real CLI as a separate process."""
    return subprocess.run([sys.executable, "-m", "schemos.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_eval_expression_writes_value() -> None:
    r = run("eval", "-e", "(list 1 \"two\" #\\3 'four)")
    assert r.returncode == 0, r.stderr
    assert r.stdout == '(1 "two" #\\3 four)\n'


def test_eval_file_writes_last_value(tmp_path: Path) -> None:
    f = tmp_path / "prog.scm"
    f.write_text("(define (sq x) (* x x))\n(display \"hi\")\n(newline)\n(sq 12)\n")
    r = run("eval", str(f))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "hi\n144\n"


def test_unspecified_value_prints_nothing() -> None:
    r = run("eval", "-e", "(define x 1)")
    assert r.returncode == 0
    assert r.stdout == ""


def test_multiple_values_each_on_a_line() -> None:
    r = run("eval", "-e", "(values 1 2 3)")
    assert r.stdout == "1\n2\n3\n"


def test_runtime_error_guile_style(tmp_path: Path) -> None:
    f = tmp_path / "bad.scm"
    f.write_text("(define (f x)\n  (car x))\n\n(f 5)\n")
    r = run("eval", str(f))
    assert r.returncode == 1
    assert r.stdout == ""
    assert f"{f}:2:2: In procedure car: Wrong type argument in position 1 " \
           "(expecting pair): 5" in r.stderr
    # the caret line sits under column 2 of line 2
    lines = r.stderr.splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith(" 2 | "))
    assert lines[i + 1] == "   |   ^"
    # a backtrace names the Scheme procedure
    assert "Backtrace:" in r.stderr
    assert "(f)" in r.stderr
    assert "Traceback" not in r.stderr


def test_unbound_variable_hint(tmp_path: Path) -> None:
    f = tmp_path / "typo.scm"
    f.write_text("(define (square x) (* x x))\n(squar 3)\n")
    r = run("eval", str(f))
    assert r.returncode == 1
    assert f"{f}:2:0: Unbound variable: squar" in r.stderr
    assert "did you mean square?" in r.stderr


def test_reader_error_has_location_and_caret(tmp_path: Path) -> None:
    f = tmp_path / "unclosed.scm"
    f.write_text("(define x 1)\n(display \"ok\"))\n")
    r = run("eval", str(f))
    assert r.returncode == 1
    assert f"{f}:2:" in r.stderr
    assert "^" in r.stderr
    assert "Traceback" not in r.stderr


def test_syntax_error_location(tmp_path: Path) -> None:
    f = tmp_path / "syn.scm"
    f.write_text("\n  (if)\n")
    r = run("eval", str(f))
    assert r.returncode == 1
    assert f"{f}:2:2:" in r.stderr
    assert "if" in r.stderr


def test_missing_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    r = run("eval", str(tmp_path / "nope.scm"))
    assert r.returncode == 1
    assert "nope.scm" in r.stderr
    assert "Traceback" not in r.stderr


def test_usage_error_exit_2() -> None:
    assert run("frobnicate").returncode == 2
    assert run().returncode == 2
    assert run("eval").returncode == 2


def test_stack_overflow_is_a_scheme_error(tmp_path: Path) -> None:
    f = tmp_path / "inf.scm"
    f.write_text("(define (f n) (+ 1 (f n)))\n(f 1)\n")
    r = run("eval", str(f))
    assert r.returncode == 1
    assert "stack overflow" in r.stderr
    assert f"{f}:1:" in r.stderr
    assert "Traceback" not in r.stderr


def test_deep_recursion_works() -> None:
    r = run("eval", "-e",
            "(define (f n) (if (= n 0) 0 (+ 1 (f (- n 1))))) (f 1000000)")
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout == "1000000\n"


@pytest.mark.parametrize("expr,expected", [
    ("(error \"bad thing\" 1 \"x\")", "bad thing 1 \"x\""),
    ("(vector-ref (vector 1 2) 9)", "In procedure vector-ref: Argument 2 out of range: 9"),
    ("(raise 'boom)", "boom"),
    ("(throw 'my-key 1 2)", "my-key"),
    ("(assert (= 1 2))", "Assertion failed"),
])
def test_uncaught_error_messages(expr: str, expected: str) -> None:
    r = run("eval", "-e", expr)
    assert r.returncode == 1
    assert expected in r.stderr
    assert "Traceback" not in r.stderr


def test_exit_leaves_with_its_status(tmp_path: Path) -> None:
    """(exit N) leaves the program with status N, as in Guile; it is not an error."""
    r = run("eval", "-e", "(exit 3)")
    assert r.returncode == 3 and r.stderr == ""
    f = tmp_path / "prog.scm"
    f.write_text('(display "before")\n(exit #f)\n(display "after")\n')
    r = run("eval", str(f))
    assert r.returncode == 1 and r.stdout == "before" and "error" not in r.stderr
    assert run("eval", "-e", "(exit)").returncode == 0


def test_guix_system_spelling(tmp_path: Path) -> None:
    """`schemos system ACTION` is `guix system ACTION`: the same as the schemos command."""
    root = Path(__file__).resolve().parent.parent
    tmpl = str(root / "examples" / "bare-hurd.tmpl")
    a = run("system", "shepherd-graph", tmpl)
    b = run("graph", "shepherd", tmpl)
    assert a.returncode == 0 and a.stdout == b.stdout and "digraph" in a.stdout
    d1 = run("system", "build", "-d", "--store", str(tmp_path / "s"), tmpl)
    d2 = run("build", "-d", "--store", str(tmp_path / "s"), tmpl)
    assert d1.returncode == 0 and d1.stdout == d2.stdout and d1.stdout.endswith("-system.drv\n")
    bad = run("system", "disk-image", "-t", "hurd-rwa", tmpl)
    assert bad.returncode == 1 and "hurd-rwa: no such image type" in bad.stderr
