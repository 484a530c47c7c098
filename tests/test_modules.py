"""The module system and the compiled-module cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from schemos.errors import SchemeError
from schemos.interp import Interpreter
from schemos.printer import write_string


def write(root: Path, rel: str, text: str) -> Path:
    """Create ``root/rel`` with ``text``."""
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    return p


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    """A small channel of user modules."""
    d = tmp_path / "lib"
    write(d, "my/lib.scm", """
(define-module (my lib)
  #:export (squared twice my-swap! counter make-adder)
  #:re-export (car))
(define (squared x) (* x x))
(define-syntax twice (syntax-rules () ((_ e) (begin e e))))
(define-syntax my-swap!
  (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define counter 0)
(define (helper) 'private)
(define (make-adder n) (lambda (x) (+ x (helper-n n))))
(define (helper-n n) n)
""")
    write(d, "my/chain.scm", """
(define-module (my chain)
  #:use-module (my lib)
  #:re-export (squared twice))
""")
    write(d, "my/uses-private.scm", """
(define-module (my uses-private)
  #:use-module (my lib)
  #:export (call-private))
(define (call-private) ((@@ (my lib) helper)))
""")
    return d


def ev(text: str, lib: Path, **kw: object) -> object:
    """Evaluate ``text`` with ``lib`` on the load path and no cache."""
    return Interpreter(load_path=[str(lib)], use_cache=False, **kw).eval_string(text, "t.scm")


def test_plain_use_module_and_macros_cross_modules(lib: Path) -> None:
    v = ev("(use-modules (my lib)) (define x 1) (define tmp 2) (my-swap! x tmp)"
           "(list (squared 4) x tmp counter)", lib)
    assert write_string(v) == "(16 2 1 0)"


def test_macro_refers_to_private_helpers_of_its_module(lib: Path) -> None:
    v = ev("(use-modules (my lib)) ((make-adder 5) 1)", lib)
    assert v == 6


def test_private_names_are_not_imported(lib: Path) -> None:
    with pytest.raises(SchemeError) as e:
        ev("(use-modules (my lib)) (helper)", lib)
    assert "Unbound variable: helper" in str(e.value)


def test_select_with_rename(lib: Path) -> None:
    v = ev("(use-modules ((my lib) #:select ((squared . sq) counter))) (sq 3)", lib)
    assert v == 9
    with pytest.raises(SchemeError):
        ev("(use-modules ((my lib) #:select ((squared . sq)))) (squared 3)", lib)


def test_prefix_and_hide(lib: Path) -> None:
    assert ev("(use-modules ((my lib) #:prefix lib:)) (lib:squared 5)", lib) == 25
    with pytest.raises(SchemeError) as e:
        ev("(use-modules ((my lib) #:hide (squared))) (squared 5)", lib)
    assert "squared" in str(e.value)


def test_renamer(lib: Path) -> None:
    v = ev("(use-modules ((my lib) #:renamer (symbol-prefix-proc 'm-))) (m-squared 2)", lib)
    assert v == 4


def test_re_export_chain(lib: Path) -> None:
    v = ev("(use-modules (my chain)) (define n 0) (twice (set! n (+ n 1))) (list n (squared 3))",
           lib)
    assert write_string(v) == "(2 9)"


def test_at_and_at_at(lib: Path) -> None:
    assert ev("((@ (my lib) squared) 6)", lib) == 36
    assert write_string(ev("((@@ (my lib) helper))", lib)) == "private"
    assert write_string(ev("(use-modules (my uses-private)) (call-private)", lib)) == "private"


def test_missing_module_names_module_path_and_location(lib: Path) -> None:
    with pytest.raises(SchemeError) as e:
        ev("\n(use-modules (no such module))", lib)
    c = e.value.condition
    assert c is not None
    text = str(e.value)
    assert "no code for module (no such module)" in text
    assert c.loc is not None and c.loc.line == 2
    assert str(lib) in (c.hint or "")


def test_import_cycle_is_reported(tmp_path: Path) -> None:
    d = tmp_path / "cyc"
    write(d, "a.scm", "(define-module (a) #:use-module (b) #:export (x))\n(define x 1)\n")
    write(d, "b.scm", "(define-module (b) #:use-module (a) #:export (y))\n(define y 2)\n")
    with pytest.raises(SchemeError) as e:
        ev("(use-modules (a))", d)
    assert "module import cycle: (a) -> (b) -> (a)" in str(e.value)


def test_load_path_from_environment(lib: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHEMOS_LOAD_PATH", str(lib))
    v = Interpreter(use_cache=False).eval_string("(use-modules (my lib)) (squared 7)")
    assert v == 49


def test_load_and_include_are_relative_to_the_file(tmp_path: Path) -> None:
    write(tmp_path, "sub/part.scm", "(define part-value 41)\n")
    write(tmp_path, "sub/inc.scm", "(define inc-value 1)\n")
    main = write(tmp_path, "main.scm",
                 '(load "sub/part.scm")\n(include "sub/inc.scm")\n(+ part-value inc-value)\n')
    assert Interpreter(use_cache=False).load_file(main) == 42


def test_template_without_define_module_sees_default_bindings(tmp_path: Path) -> None:
    p = write(tmp_path, "t.tmpl", "(define (f) (map 1+ '(1 2)))\n(f)\n")
    assert write_string(Interpreter(use_cache=False).load_file(p)) == "(2 3)"


def test_define_public_exports(tmp_path: Path) -> None:
    write(tmp_path, "pub.scm", "(define-module (pub))\n(define-public (hello) 'hi)\n")
    assert write_string(ev("(use-modules (pub)) (hello)", tmp_path)) == "hi"


# --------------------------------------------------------------------- cache

def cached(lib: Path, cache: Path, text: str = "(use-modules (my lib)) (squared 9)") -> object:
    """Evaluate ``text`` with the cache in ``cache``."""
    interp = Interpreter(load_path=[str(lib)], cache_dir=cache)
    v = interp.eval_string(text)
    return v, interp.cache


def entries(cache: Path) -> list[Path]:
    """The cache entry files."""
    return sorted(cache.rglob("*.go"))


def test_cache_fills_then_hits(lib: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    v, c = cached(lib, cache)
    assert v == 81 and c.hits == 0 and c.misses >= 1
    assert entries(cache)
    v, c = cached(lib, cache)
    assert v == 81 and c.hits >= 1 and c.misses == 0


def test_cached_macros_and_private_helpers_still_work(lib: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    text = ("(use-modules (my lib)) (define a 1) (define b 2) (my-swap! a b) "
            "(list a b ((make-adder 1) 1))")
    cached(lib, cache, text)
    v, c = cached(lib, cache, text)
    assert c.hits >= 1
    assert write_string(v) == "(2 1 2)"


def test_stale_entry_is_never_used(lib: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cached(lib, cache)
    src = lib / "my/lib.scm"
    src.write_text(src.read_text().replace("(* x x)", "(* x x x)"))
    v, c = cached(lib, cache)
    assert v == 729
    assert c.misses >= 1


def test_dependency_change_invalidates_importer(lib: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    text = "(use-modules (my chain)) (squared 3)"
    assert cached(lib, cache, text)[0] == 9
    src = lib / "my/lib.scm"
    src.write_text(src.read_text().replace("(* x x)", "(+ x x)"))
    assert cached(lib, cache, text)[0] == 6


@pytest.mark.parametrize("damage", ["truncate", "corrupt", "garbage", "empty"])
def test_damaged_entry_is_ignored_and_rewritten(lib: Path, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    cached(lib, cache)
    for e in entries(cache):
        data = e.read_bytes()
        if damage == "truncate":
            e.write_bytes(data[: len(data) // 2])
        elif damage == "corrupt":
            b = bytearray(data)
            b[len(b) // 2] ^= 0xFF
            e.write_bytes(bytes(b))
        elif damage == "garbage":
            e.write_bytes(os.urandom(64))
        else:
            e.write_bytes(b"")
    v, c = cached(lib, cache)
    assert v == 81 and c.hits == 0
    # rewritten: the next run hits again
    v, c = cached(lib, cache)
    assert v == 81 and c.hits >= 1


def test_no_cache_writes_nothing(lib: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    r = subprocess.run([sys.executable, "-m", "schemos.cli", "eval", "--no-cache", "-L", str(lib),
                        "-e", "(use-modules (my lib)) (squared 2)"], capture_output=True,
                       text=True, env={**os.environ, "SCHEMOS_CACHE_DIR": str(cache)},
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "4\n"
    assert not entries(cache) if cache.exists() else True


def test_two_processes_filling_the_cache_at_once(lib: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "SCHEMOS_CACHE_DIR": str(cache)}
    cmd = [sys.executable, "-m", "schemos.cli", "eval", "-L", str(lib), "-e",
           "(use-modules (my chain) (my uses-private)) (list (squared 5) (call-private))"]
    for _round in range(3):
        procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=env) for _ in range(4)]
        outs = [p.communicate(timeout=120) for p in procs]
        for p, (out, err) in zip(procs, outs, strict=True):
            assert p.returncode == 0, err
            assert out == "(25 private)\n"
    # no temporary files left behind, and every entry loads
    assert not list(cache.rglob(".tmp-*"))
    v, c = cached(lib, cache, "(use-modules (my chain) (my uses-private)) (squared 5)")
    assert v == 25 and c.hits >= 1 and c.misses == 0
