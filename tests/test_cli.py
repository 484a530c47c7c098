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


def test_unbound_variable_at_top_level_is_located(tmp_path: Path) -> None:
    """A bare symbol at top level, or the value of a top-level define, has no list
    of its own to carry a location: the error is located all the same."""
    f = tmp_path / "last.tmpl"
    f.write_text("(define x 1)\n; the OS\n  %my-oss\n")
    for command in (["eval"], ["build", "-d", "--store", str(tmp_path / "s")],
                    ["image"], ["system", "disk-image"]):
        r = run(*command, str(f))
        assert r.returncode == 1, command
        assert f"{f}:3:2: Unbound variable: %my-oss" in r.stderr, (command, r.stderr)
        assert " 3 |   %my-oss\n   |   ^" in r.stderr
        assert "Traceback" not in r.stderr
    g = tmp_path / "define.scm"
    g.write_text("(define (f) 1)\n(define y\n  undefined-thing)\n")
    r = run("eval", str(g))
    assert r.returncode == 1
    assert f"{g}:2:0: Unbound variable: undefined-thing" in r.stderr
    e = run("eval", "-e", "(define a 1) nothing-here")
    assert "<command line>:1:13: Unbound variable: nothing-here" in e.stderr


def test_build_checks_substitute_settings_before_lowering(tmp_path: Path) -> None:
    """Bad --substitute-urls, --acl or --store: a clear error (no traceback), before
    the lowering, and nothing written."""
    expr = ["-e", '(plain-file "a" "b")']
    store = tmp_path / "store"
    cache = tmp_path / "cache"
    cache.mkdir()
    acl = tmp_path / "acl"
    acl.write_text("(acl\n (entry (public-key (ecc (curve Ed25519) (q #0#))) "
                   "(tag (guix import))))\n")
    cases = [
        (["--substitute-urls", "ftp://x"], "unsupported substitute URL: ftp://x"),
        (["--substitute-urls", "http:/x"], "substitute URL without a host name: http:/x"),
        (["--substitute-urls", f"file://{tmp_path}/nowhere"],
         f"file://{tmp_path}/nowhere: no such cache directory"),
        (["--substitute-urls", f"file://{cache}", "--acl", str(tmp_path / "no-acl")],
         f"{tmp_path / 'no-acl'}: no such ACL file"),
        (["--substitute-urls", f"file://{cache}", "--acl", str(acl)],
         f"{acl}:2:44: invalid S-expression: odd number of hex digits"),
        (["--substitute-urls", f"file://{cache}", "--acl", str(tmp_path)],
         f"cannot read the ACL file {tmp_path}"),
    ]
    for options, message in cases:
        r = run("build", "--store", str(store), *options, *expr)
        assert r.returncode == 1, options
        assert message in r.stderr, (options, r.stderr)
        assert "hint: " in r.stderr and "Traceback" not in r.stderr
        assert not store.exists()                   # failed before the lowering
    r = run("build", "--store", str(acl), *expr)
    assert r.returncode == 1
    assert f"cannot use {acl} as the store: it is not a directory" in r.stderr
    assert "hint: --store must be a directory" in r.stderr and "Traceback" not in r.stderr
    for jobs in ("0", "-1", "x"):
        r = run("build", "-M", jobs, *expr)
        assert r.returncode == 2 and "invalid number of jobs" in r.stderr


def test_weather_reports_errors_as_build_does(tmp_path: Path) -> None:
    """An error in FILE or -e EXPR is shown with its caret; bad URLs fail before
    the lowering."""
    r = run("weather", "--store", str(tmp_path / "s"), "-e", "(+ 1",
            "--substitute-urls", f"file://{tmp_path}")
    assert r.returncode == 1
    assert "<command line>:1:0: In procedure read" in r.stderr and " 1 | (+ 1" in r.stderr
    assert "Traceback" not in r.stderr
    f = tmp_path / "u.tmpl"
    f.write_text("(use-modules (gnu))\nno-such-os\n")
    r = run("weather", "--store", str(tmp_path / "s"), str(f),
            "--substitute-urls", f"file://{tmp_path}")
    assert r.returncode == 1 and f"{f}:2:0: Unbound variable: no-such-os" in r.stderr
    r = run("weather", "--store", str(tmp_path / "s2"), "-e", '(plain-file "a" "b")',
            "--substitute-urls", "ftp://x")
    assert r.returncode == 1 and "unsupported substitute URL: ftp://x" in r.stderr
    assert not (tmp_path / "s2").exists()


def test_an_os_error_while_building_an_image_is_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A disk that fills up (any OS error in the middle of the work): a message, no
    Python traceback."""
    import errno

    import schemos
    import schemos.image.build
    from schemos.cli import main

    def full(*_args: object, **_kw: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.img"))

    monkeypatch.setattr(schemos, "load_image", lambda *a, **k: object())
    monkeypatch.setattr(schemos.image.build, "build_image", full)
    assert main(["image", "x.tmpl", "-o", str(tmp_path / "x.img")]) == 1
    err = capsys.readouterr().err
    assert f"building the image: {tmp_path / 'x.img'}: No space left on device" in err
    assert "Traceback" not in err
