"""The Scheme libraries of ``stdlib/`` and their Python support.

The ``tests/scheme/lib-*.scm`` files run as SRFI-64 items (see conftest.py).
Some modules with a file in ``stdlib/`` are still listed in
:data:`schemos.interp._BUILTIN_MODULES`, which makes importing them import
every builtin instead of loading the file; the tests here run the lib files,
and the bindings only those files provide, with that list emptied of them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import schemos.interp as interp_mod
from schemos.interp import Interpreter
from schemos.paths import STDLIB_DIR
from schemos.srfi64 import current_runner, run_scheme_test_file

SCHEME_TESTS = Path(__file__).parent / "scheme"
LIB_TESTS = sorted(SCHEME_TESTS.glob("lib-*.scm"))


def _has_file(name: str) -> bool:
    parts = name.split()
    return (STDLIB_DIR.joinpath(*parts[:-1]) / (parts[-1] + ".scm")).is_file()


@pytest.fixture
def real_modules(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the modules of _BUILTIN_MODULES that have a stdlib/ file load it."""
    shadowed = [n for n in interp_mod._BUILTIN_MODULES if _has_file(n)]
    monkeypatch.setattr(interp_mod, "_BUILTIN_MODULES",
                        [n for n in interp_mod._BUILTIN_MODULES if n not in shadowed])
    return shadowed


@pytest.mark.parametrize("path", LIB_TESTS, ids=[p.stem for p in LIB_TESTS])
def test_lib_file_with_real_modules(real_modules: list[str], path: Path) -> None:
    """Each lib test file passes when every module is loaded from its file."""
    report = run_scheme_test_file(path).failure_report()
    assert report is None, report


#: SRFI-64 tests of the bindings that only the stdlib/ files of modules still
#: in _BUILTIN_MODULES provide (expected values are Guile 3.0.8's)
PENDING = {
    "ice-9-optargs": """
(use-modules (srfi srfi-64) (ice-9 optargs))
(test-begin "ice-9-optargs")
(test-equal '(1 2 #f ()) (let ((r '(1))) (let-optional r (a (b 2) c) (list a b c r))))
(test-equal '(1 2 (3 4)) (let ((r '(1 2 3 4))) (let-optional r (a b) (list a b r))))
(test-equal '(1 11) (let ((r '(1))) (let-optional* r (a (b (+ a 10))) (list a b))))
(test-equal '(1 (2 3)) (let ((r '(1 2 3))) (let-optional r (a) (list a r))))
(test-equal '() (let ((r '())) (let-optional r () r)))
(test-equal '(1 (#:x 1)) (let ((r '(#:x 1))) (let-keywords r #t ((x 0)) (list x r))))
(test-equal 2 (let ((r '(#:a 1 #:a 2))) (let-keywords r #f ((a 0)) a)))
(test-equal 0 (let ((r '(#:b 1))) (let-keywords r #t ((a 0)) a)))
(test-error #t (let ((r '(#:b 1))) (let-keywords r #f ((a 0)) a)))
(test-error #t (let ((r '(1 #:a 2))) (let-keywords r #f ((a 0)) a)))
(test-equal '(1 dflt) (let ((r '(#:a 1))) (let-keywords r #f (a (b 'dflt)) (list a b))))
(test-equal 5 (let ((x 5) (r '())) (let-keywords r #f ((a x)) a)))
(test-equal '(1 2) (let ((r '(#:a 1))) (let-keywords* r #f ((a 0) (b (+ a 1))) (list a b))))
(define*-public (f a #:optional (b 2)) (list a b))
(test-equal '(1 2) (f 1))
(test-end "ice-9-optargs")
""",
    "srfi-39": """
(use-modules (srfi srfi-64) (srfi srfi-39))
(test-begin "srfi-39")
(define p (make-parameter 1))
(test-equal '(30 30) (with-parameters* (list p) (list 30) (lambda () (list (p) (p)))))
(test-equal 1 (p))
(test-end "srfi-39")
""",
    "ice-9-format": """
(use-modules (srfi srfi-64) (ice-9 format))
(test-begin "ice-9-format")
(test-eqv #t (format (open-output-string) "x"))
(test-equal "x" (format #f "x"))
(test-end "ice-9-format")
""",
    "rnrs-bytevectors": """
(use-modules (srfi srfi-64) (rnrs bytevectors))
(test-begin "rnrs-bytevectors")
(test-equal #vu8(0 97 0 98) (string->utf16 "ab"))
(test-equal #vu8(97 0 98 0) (string->utf16 "ab" (endianness little)))
(test-equal "ab" (utf16->string #vu8(0 97 0 98)))
(test-equal "a" (utf16->string #vu8(97 0) (endianness little)))
(test-equal #vu8(0 0 0 97) (string->utf32 "a"))
(test-equal #vu8(97 0 0 0) (string->utf32 "a" (endianness little)))
(test-equal "a" (utf32->string #vu8(0 0 0 97)))
(test-equal '(258 772) (bytevector->uint-list #vu8(1 2 3 4) (endianness big) 2))
(test-equal '(-1) (bytevector->sint-list #vu8(255 255) (endianness little) 2))
(test-equal #vu8(1 0 2 0) (uint-list->bytevector '(1 2) (endianness little) 2))
(test-equal #vu8(255 255) (sint-list->bytevector '(-1) (endianness big) 2))
(test-end "rnrs-bytevectors")
""",
}


@pytest.mark.parametrize("name", sorted(PENDING))
def test_pending_module(real_modules: list[str], tmp_path: Path, name: str) -> None:
    """The bindings only the stdlib/ file of a module provides."""
    f = tmp_path / f"{name}.scm"
    f.write_text(PENDING[name], encoding="utf-8")
    runner = run_scheme_test_file(f)
    assert runner.failure_report() is None, runner.failure_report()


@pytest.mark.parametrize("name", sorted(PENDING))
def test_pending_module_under_guile(tmp_path: Path, name: str) -> None:
    """The expected values of :data:`PENDING` are Guile's (.ci/run installs guile-3.0)."""
    assert shutil.which("guile"), "guile is needed: apt-get install guile-3.0"
    f = tmp_path / f"{name}.scm"
    f.write_text(PENDING[name], encoding="utf-8")
    proc = subprocess.run(["guile", "--no-auto-compile", str(f)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    out = proc.stdout + proc.stderr
    assert "# of expected passes" in out, out
    assert "unexpected failures" not in out, out


def test_srfi64_through_the_module_system() -> None:
    """A plain interpreter (no srfi64.install) imports (srfi srfi-64)."""
    interp = Interpreter(use_cache=False)
    before = current_runner().count
    interp.eval_string('(use-modules (srfi srfi-64)) (test-begin "t") (test-equal 2 (+ 1 1))'
                       ' (test-end "t")')
    assert current_runner().count == before + 1


def test_modules_load_from_the_cache(tmp_path: Path) -> None:
    """The library modules are compiled once, then loaded from the module cache."""
    source = """(use-modules (srfi srfi-1) (srfi srfi-26) (srfi srfi-35) (srfi srfi-69)
                             (srfi srfi-71) (ice-9 regex) (guix utils))
               (list (pair-fold cons '() '(1 2)) ((cut + 1 <>) 2)
                     (let ((a b (values 1 2))) (+ a b)) (version>? "2.10" "2.9")
                     (match:substring (string-match "b+" "abbc")))"""
    expected = "(((2) (1 2)) 3 3 #t \"bb\")"
    from schemos.printer import write_string

    first = Interpreter(cache_dir=tmp_path)
    assert write_string(first.eval_string(source)) == expected
    second = Interpreter(cache_dir=tmp_path)
    assert write_string(second.eval_string(source)) == expected
    assert second.cache.hits >= 5


def test_record_printer_bridge() -> None:
    """print_with gives the text a record printer writes."""
    interp = Interpreter(use_cache=False)
    value = interp.eval_string("""
      (use-modules (srfi srfi-9 gnu))
      (define-record-type <p> (make-p x) p? (x p-x))
      (set-record-type-printer! <p> (lambda (r port) (format port "<p ~a>" (p-x r))))
      (list (make-p 1) (object->string (make-p 2)))""")
    from schemos.printer import display_string
    from schemos.runtime.builtins_bridge import print_with

    rec = value.car
    assert print_with(rec.rtd.printer, rec) == "<p 1>"
    assert display_string(value) == "(<p 1> <p 2>)"


@pytest.mark.parametrize("posix,python", [
    ("a.c", "a.c"),
    ("[[:alpha:]]+", "[a-zA-Z]+"),
    ("[^[:space:]]", "[^ \\t\\n\\r\\f\\v]"),
    ("[]a]", "[\\]a]"),
    ("[\\]", "[\\\\]"),
    ("a$", "a\\Z"),
    ("^a", "\\Aa"),
    ("a+?", "(?:a+)?"),
    ("(ab)*", "(ab)*"),
    ("\\<x\\>", "\\b(?=\\w)x\\b(?<=\\w)"),
    ("\\d", "d"),
    ("x{2,}", "x{2,}"),
])
def test_regex_translation(posix: str, python: str) -> None:
    """POSIX extended syntax becomes the equivalent Python syntax."""
    from schemos.runtime.regex import translate

    assert translate(posix) == python


def test_regex_basic_syntax() -> None:
    """In basic syntax, \\( \\) \\{ \\} are the operators and ( ) { } literal."""
    from schemos.runtime.regex import REGEXP_BASIC, translate

    assert translate("a\\(b\\)\\{2\\}(c)", REGEXP_BASIC) == "a(b){2}\\(c\\)"


def test_strverscmp_is_glibcs() -> None:
    """version-compare orders versions exactly as glibc's strverscmp."""
    from schemos.runtime.guix_utils import strverscmp

    cases = [("1.0", "1.0", 0), ("2.9", "2.10", -1), ("1.01", "1.1", -1),
             ("000", "00", -1), ("1.0a", "1.0", 1), ("0.9", "0.10", -1),
             ("a", "b", -1), ("10", "9", 1), ("1.002", "1.01", -1)]
    for a, b, sign in cases:
        r = strverscmp(a, b)
        assert (r > 0) - (r < 0) == sign, (a, b, r)
