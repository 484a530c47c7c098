"""Tests of the SRFI-64 runner itself (schemos.srfi64) and of the pytest plugin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from schemos.srfi64 import Runner, run_scheme_test_file


def run(tmp_path: Path, text: str, name: str = "t.scm") -> tuple[Runner, Path]:
    """Write ``text`` to a .scm file and run it; return the runner and the path."""
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return run_scheme_test_file(p), p


def test_passing_assertions(tmp_path: Path) -> None:
    r, _ = run(tmp_path, """(use-modules (srfi srfi-64))
(test-begin "ok")
(test-assert #t)
(test-assert "named" 1)
(test-equal '(1 (2 "x")) '(1 (2 "x")))
(test-eqv 2 (+ 1 1))
(test-eq 'a 'a)
(test-approximate 1.0 1.05 0.1)
(test-end "ok")
""")
    assert r.failure_report() is None
    assert r.ok
    assert len(r.passes) == 6
    assert not r.failures


def test_failing_assertion_location_and_values(tmp_path: Path) -> None:
    r, p = run(tmp_path, """(test-begin "loc")
(test-equal 1 1)
  (test-equal "my-name" 2 (+ 1 2))
(test-equal "a" "b")
(test-end "loc")
""")
    assert len(r.passes) == 1
    assert len(r.failures) == 2
    f = r.failures[0]
    assert f.loc is not None
    assert (f.loc.line, f.loc.col) == (3, 2)
    assert f.name == "my-name"
    assert f.expected == "2" and f.actual == "3"
    assert str(f) == f"{p}:3:2: my-name: expected 2, got 3"
    # a nameless assertion is named by its form; values are written
    g = r.failures[1]
    assert (g.loc.line, g.loc.col) == (4, 0)
    assert g.name is None
    assert g.label.startswith("(test-equal")
    assert str(g).endswith('expected "a", got "b"')
    report = r.failure_report()
    assert report is not None
    assert f"{p}:3:2: my-name: expected 2, got 3" in report
    assert not r.ok


def test_comparison_semantics(tmp_path: Path) -> None:
    r, _ = run(tmp_path, """(test-begin "cmp")
(test-equal '(1 2) '(1 2))
(test-eq '(1) '(1))
(test-eqv 1.5 1.5)
(test-eqv "ab" (string #\\a #\\b))
(test-equal 2 2.0)
(test-approximate 1.0 1.5 0.1)
(test-end)
""")
    assert [x.loc.line for x in r.passes] == [2, 4]
    assert [x.loc.line for x in r.failures] == [3, 5, 6, 7]


def test_errors_inside_assertions_are_failures(tmp_path: Path) -> None:
    r, p = run(tmp_path, """(test-begin "errors")
(test-assert (error "boom" 1))
(test-assert "raised" (raise 'oops))
(test-equal 1 (undefined-procedure 1))
(test-eqv (error "in expected") 1)
(test-assert "after errors" #t)
(test-end "errors")
""")
    assert len(r.passes) == 1 and r.passes[0].name == "after errors"
    assert len(r.failures) == 4
    a, b, c, d = r.failures
    assert a.loc.line == 2 and "boom" in a.actual and "misc-error" in a.actual
    assert b.name == "raised" and "oops" in b.actual
    assert "unbound-variable" in c.actual and "undefined-procedure" in c.actual
    assert "in expected" in d.expected
    assert r.error is None


def test_test_error(tmp_path: Path) -> None:
    r, _ = run(tmp_path, """(test-begin "test-error")
(test-error (error "x"))
(test-error #t (raise 'anything))
(test-error 'misc-error (error "x"))
(test-error "named" 'misc-error (error "x"))
(test-error error-object? (error "x"))
(test-error 42)
(test-error 'wrong-type-arg (error "x"))
(test-error "no error" #t (+ 1 2))
(test-error string? (error "x"))
(test-end "test-error")
""")
    assert [x.loc.line for x in r.passes] == [2, 3, 4, 5, 6]
    assert r.passes[3].name == "named"
    assert [x.loc.line for x in r.failures] == [7, 8, 9, 10]
    assert r.failures[0].actual == "42"
    assert r.failures[0].expected == "an error"
    assert "wrong-type-arg" in r.failures[1].expected
    assert "misc-error" in r.failures[1].actual
    assert r.failures[2].name == "no error" and r.failures[2].actual == "3"


def test_groups(tmp_path: Path) -> None:
    r, _ = run(tmp_path, """(test-begin "outer")
(test-group "inner"
  (define x 5)
  (test-eqv 5 x))
(test-assert #t)
(test-end "outer")
""")
    assert r.ok
    assert r.passes[0].groups == ("outer", "inner")
    assert r.passes[1].groups == ("outer",)


def test_mismatched_test_end(tmp_path: Path) -> None:
    r, _ = run(tmp_path, """(test-begin "a")
(test-assert #t)
(test-end "b")
""")
    assert not r.ok
    report = r.failure_report()
    assert report is not None and "does not match" in report


def test_no_assertions_is_a_failure(tmp_path: Path) -> None:
    r, _ = run(tmp_path, """(test-begin "empty")
(define x 1)
(test-end "empty")
""")
    assert r.count == 0
    assert not r.ok
    assert r.failure_report() == "no assertions ran"


def test_uncaught_error_stops_the_file(tmp_path: Path) -> None:
    r, p = run(tmp_path, """(test-begin "uncaught")
(test-assert #t)
(error "top-level failure" 42)
(test-assert #t)
(test-end "uncaught")
""")
    assert r.count == 1
    assert r.error is not None
    report = r.failure_report()
    assert report is not None
    assert "uncaught error after 1 assertions" in report
    assert "top-level failure" in report
    assert f"{p}:3:0" in report


def test_raise_errors_option(tmp_path: Path) -> None:
    p = tmp_path / "bad.scm"
    p.write_text('(error "stop")\n', encoding="utf-8")
    from schemos.errors import SchemeError

    with pytest.raises(SchemeError):
        run_scheme_test_file(p, raise_errors=True)


def test_pytest_plugin_reports_failures(tmp_path: Path) -> None:
    """The conftest plugin collects .scm files and reports failing assertions."""
    conftest = Path(__file__).with_name("conftest.py")
    (tmp_path / "conftest.py").write_text(conftest.read_text(encoding="utf-8"),
                                          encoding="utf-8")
    (tmp_path / "good.scm").write_text('(test-begin "g")\n(test-assert #t)\n(test-end "g")\n',
                                       encoding="utf-8")
    (tmp_path / "bad.scm").write_text(
        '(test-begin "b")\n(test-eqv "sum" 4 (+ 2 3))\n(test-end "b")\n', encoding="utf-8")
    (tmp_path / "empty.scm").write_text('(define x 1)\n', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
         str(tmp_path), str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "2 failed, 1 passed" in out
    assert f"{tmp_path / 'bad.scm'}:2:0: sum: expected 4, got 5" in out
    assert "no assertions ran" in out
