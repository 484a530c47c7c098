"""Local builds: forked from the build server, or each in a fresh Python (the fallback).

Small derivations whose Guile builder scripts schemos runs itself are
realized both ways (``realize(..., fork_server=...)``) and with one or two
builds at a time (``max_jobs``): the stores must be the same, builds must
not see the parent's environment nor, where user namespaces work, its
network; a failing build is reported, a hanging one killed at the timeout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from schemos.store import realize as realize_mod
from schemos.store.api import DerivationInput, derivation
from schemos.store.derivation import Derivation
from schemos.store.disk import LocalStore
from schemos.store.realize import _unshare, derivation_kind, realize

ROOT = Path(__file__).resolve().parents[1]
#: the Guile a builder names (schemos runs the script itself; it need not exist)
GUILE = "/gnu/store/" + "9" * 32 + "-guile-3.0.9/bin/guile"
BOTH = pytest.mark.parametrize("fork_server", [True, False], ids=["forked", "process"])

#: a builder writing what it sees of its environment
ENV_SCRIPT = """(use-modules (ice-9 rdelim))
(define top (getenv "NIX_BUILD_TOP"))
(define (lines file)
  (call-with-input-file file
    (lambda (p) (let loop ((l (read-line p)) (acc '()))
                  (if (eof-object? l) (reverse acc) (loop (read-line p) (cons l acc)))))))
(call-with-output-file ((@ (guile) getenv) "out")
  (lambda (port)
    (for-each (lambda (name) (write (list name (getenv name)) port) (newline port))
              '("SCHEMOS_LEAK" "HOME" "PATH" "NIX_STORE" "PYTHONPATH" "LC_CTYPE" "LC_ALL"
                "LANG" "PYTHONDONTWRITEBYTECODE" "SCHEMOS_NO_CACHE" "USER" "TERM" "PWD"
                "SHELL" "SCHEMOS_LOAD_PATH" "SCHEMOS_FORK_SERVER"))
    (write (list "TMPDIR is the build directory" (string=? (getenv "TMPDIR") top)
                 "cwd is the build directory" (string=? (getcwd) top)
                 "arguments" (length (command-line))
                 "program" (basename (car (command-line))))
           port)
    (newline port)
    ;; interfaces of the network namespace: only lo when it is a new one
    (write (map (lambda (l) (car (string-split (string-trim l) #\\:)))
                (cddr (lines "/proc/self/net/dev")))
           port)
    (newline port)))
"""


def local(store: LocalStore, name: str, script: str,
          inputs: list[Derivation] = ()) -> Derivation:
    """A derivation whose builder is ``script``, run by Guile (so, here, by schemos)."""
    builder = store.add_text(f"{name}-builder", script)
    d = derivation(store, name, GUILE, ["--no-auto-compile", builder], sources=[builder],
                   inputs=[DerivationInput(i) for i in inputs])
    assert derivation_kind(store, d) == "local"
    return d


def out(d: Derivation) -> str:
    return d.outputs["out"].path


def dag(store: LocalStore) -> list[Derivation]:
    """Five local builds: three leaves, one using two of them, a root using all."""
    leaves = [local(store, f"leaf-{i}", f"""(call-with-output-file ((@ (guile) getenv) "out")
  (lambda (p) (display "leaf {i}\\n" p)))""") for i in range(3)]
    mid = local(store, "mid", f"""(mkdir ((@ (guile) getenv) "out"))
(symlink "{out(leaves[0])}" (string-append ((@ (guile) getenv) "out") "/zero"))
(call-with-output-file (string-append ((@ (guile) getenv) "out") "/one")
  (lambda (p) (display "{out(leaves[1])}" p)))""", leaves[:2])
    top = local(store, "top", f"""(use-modules (srfi srfi-1))
(call-with-output-file ((@ (guile) getenv) "out")
  (lambda (p) (write (fold cons '() (list "{out(mid)}" "{out(leaves[2])}")) p)))""",
                [mid, leaves[2]])
    return [*leaves, mid, top]


def dump(store: LocalStore) -> dict[str, Any]:
    """Every valid item: its NAR hash, size, references and deriver."""
    info = {}
    for p in store.valid_paths():
        i = store.query_path_info(p)
        assert i is not None
        info[p] = (i["hash"], i["nar_size"], sorted(i["references"]), i["deriver"])
    return info


def namespaces() -> bool:
    """True if user and network namespaces work here (as realize detects them)."""
    return bool(_unshare())


@pytest.mark.parametrize("fork_server,jobs", [(True, 1), (True, 2), (False, 1), (False, 2)],
                         ids=["forked-M1", "forked-M2", "process-M1", "process-M2"])
def test_same_store_whatever_the_builder_and_jobs(tmp_path: Path, fork_server: bool,
                                                  jobs: int) -> None:
    """The forked builders and the fallback, with -M 1 or 2, make the same store
    (hash-identical items, same references and derivers) and the same report."""
    ref = LocalStore(tmp_path / "ref")
    drvs = dag(ref)
    report = realize(ref, [drvs[-1]], fork_server=False, max_jobs=1)
    expected = dump(ref)
    assert sorted(report.built) == sorted(out(d) for d in drvs)
    assert report.built[-1] == out(drvs[-1])                    # inputs first
    assert report.built.index(out(drvs[3])) > report.built.index(out(drvs[0]))
    s = LocalStore(tmp_path / "s")
    again = dag(s)
    assert [d.path for d in again] == [d.path for d in drvs]
    got = realize(s, [again[-1]], fork_server=fork_server, max_jobs=jobs)
    assert got.built == report.built and not got.failed and not got.blocked
    assert dump(s) == expected
    assert os.readlink(s.physical(out(drvs[3])) / "zero") == out(drvs[0])
    assert s.references(out(drvs[3])) == sorted([out(drvs[0]), out(drvs[1])])
    s.close()
    ref.close()


@BOTH
def test_a_build_sees_only_its_own_environment(tmp_path: Path, fork_server: bool,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Not the parent's variables (SCHEMOS_LEAK); the daemon's few ones; its build
    directory as TMPDIR and working directory; no network where namespaces work."""
    monkeypatch.setenv("SCHEMOS_LEAK", "1")
    monkeypatch.setenv("SCHEMOS_LOAD_PATH", str(tmp_path))
    s = LocalStore(tmp_path / "s")
    d = local(s, "env", ENV_SCRIPT)
    report = realize(s, [d], fork_server=fork_server)
    assert report.built == [out(d)], report.failed
    text = s.physical(out(d)).read_text()
    values = dict(line[1:-1].split(" ", 1) for line in text.splitlines()[:16])
    assert values['"SCHEMOS_LEAK"'] == "#f"
    assert values['"HOME"'] == '"/homeless-shelter"'
    assert values['"PATH"'] == '"/no-such-path"'
    assert values['"NIX_STORE"'] == f'"{s.root}"'
    assert values['"PYTHONPATH"'] == f'"{ROOT}"'
    assert values['"LC_CTYPE"'] == '"C.UTF-8"'          # Python's C-locale coercion
    for name in ("LC_ALL", "LANG", "USER", "TERM", "PWD", "SHELL", "SCHEMOS_LOAD_PATH",
                 "SCHEMOS_FORK_SERVER"):
        assert values[f'"{name}"'] == "#f", name
    lines = text.splitlines()
    assert lines[16] == ('("TMPDIR is the build directory" #t "cwd is the build directory" '
                         '#t "arguments" 2 "program" "builder.py")')
    if namespaces():
        assert lines[17] == '("lo")'
    s.close()


def test_the_environment_is_the_same_either_way(tmp_path: Path) -> None:
    """The same output (what the builder sees of its environment), but for the
    store's root (NIX_STORE)."""
    texts = []
    for fork_server in (True, False):
        s = LocalStore(tmp_path / str(fork_server))
        d = local(s, "env", ENV_SCRIPT)
        realize(s, [d], fork_server=fork_server)
        texts.append(s.physical(out(d)).read_text().replace(str(s.root), "ROOT"))
        s.close()
    assert texts[0] == texts[1]


def test_builds_run_in_new_namespaces(tmp_path: Path) -> None:
    """Where ``unshare --user --net`` works, a forked build is in new user and network
    namespaces (root in it), as the fallback is; where it does not (realize
    detects that and says builds are not isolated from the network), the build
    still runs, in the host's namespaces."""
    isolated = namespaces()
    s = LocalStore(tmp_path / "s")
    script = """(call-with-output-file ((@ (guile) getenv) "out")
  (lambda (p) (write (list (readlink "/proc/self/ns/net") (readlink "/proc/self/ns/user")
                           (call-with-input-file "/proc/self/uid_map" read)) p)))"""
    d = local(s, "ns", script)
    realize(s, [d])
    net, user, uid = s.physical(out(d)).read_text()[1:-1].split(" ")
    assert (net.strip('"') != os.readlink("/proc/self/ns/net")) == isolated
    assert (user.strip('"') != os.readlink("/proc/self/ns/user")) == isolated
    if isolated:
        assert uid == "0"
    s.close()


@BOTH
def test_a_failing_build_is_reported(tmp_path: Path, fork_server: bool) -> None:
    """Its error in report.failed, its dependents blocked, the others built."""
    s = LocalStore(tmp_path / "s")
    ok = local(s, "fine", '(call-with-output-file ((@ (guile) getenv) "out") '
                          '(lambda (p) (display "ok" p)))')
    bad = local(s, "bad", '(display "half way\\n") (error "boom:" 42)')
    quits = local(s, "quits", "(primitive-exit 3)")
    top = local(s, "top", '(mkdir ((@ (guile) getenv) "out"))', [ok, bad])
    report = realize(s, [top, quits], fork_server=fork_server, missing_ok=True)
    assert report.built == [out(ok)]
    assert report.blocked == [top.path]
    assert sorted(report.failed) == sorted([bad.path, quits.path])
    msg = report.failed[bad.path]
    assert msg.startswith(f"builder of {bad.path} failed:\n") and "boom: 42" in msg
    assert report.failed[quits.path] == f"builder of {quits.path} failed:\nstatus 3"
    assert not os.path.lexists(s.physical(out(bad)))
    s.close()


@BOTH
def test_a_hanging_build_is_killed_at_the_timeout(tmp_path: Path, fork_server: bool,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(realize_mod, "TIMEOUT", 2)
    s = LocalStore(tmp_path / "s")
    hang = local(s, "hang", "(display \"waiting\\n\" (current-error-port)) (let loop () (loop))")
    fine = local(s, "fine", '(call-with-output-file ((@ (guile) getenv) "out") '
                            '(lambda (p) (display "ok" p)))')
    t0 = time.monotonic()
    report = realize(s, [hang, fine], fork_server=fork_server, missing_ok=True, max_jobs=2)
    assert time.monotonic() - t0 < 30
    assert report.built == [out(fine)]
    assert report.failed[hang.path].startswith(f"builder of {hang.path} timed out after 2 s")
    assert "waiting" in report.failed[hang.path]
    s.close()


def test_the_fallback_runs_by_hand(tmp_path: Path) -> None:
    """``python -m schemos.store.builder SCRIPT`` still runs a builder (for debugging)."""
    script = tmp_path / "b.scm"
    script.write_text('(use-modules (srfi srfi-1)) (display (fold + 0 (iota 5)))')
    r = subprocess.run([sys.executable, "-m", "schemos.store.builder", str(script)],
                       cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 0 and r.stdout == "10", r.stderr


def test_cli_max_jobs(tmp_path: Path) -> None:
    """``schemos build -M 1`` and ``-M 2`` build the same items."""
    expr = ('(file-union "u" (list (list "a" (plain-file "a" "A")) '
            '(list "b" (computed-file "b" #~(mkdir #$output)))))')
    outs = []
    for jobs in ("1", "2"):
        store = tmp_path / f"s{jobs}"
        r = subprocess.run([sys.executable, "-m", "schemos.cli", "build", "-M", jobs, "-e",
                            expr, "--store", str(store)], cwd=ROOT, capture_output=True,
                           text=True, timeout=300, check=False)
        assert r.returncode == 0, r.stderr
        s = LocalStore(store)
        outs.append((r.stdout, {p: v for p, v in dump(s).items() if not p.endswith(".drv")}))
        s.close()
    assert outs[0] == outs[1]


def test_fallback_when_a_forked_child_cannot_enter_namespaces(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """If ``unshare`` works but the server's children cannot enter namespaces, every
    build starts its own Python (isolated); without namespaces at all, forked builds."""
    from schemos.store.realize import _Runner

    class Server:
        def hello(self) -> dict[str, Any]:
            return {"namespaces": False}

        def close(self) -> None:
            pass

    for prefix, mode in (["/usr/bin/unshare", "--user"], "process"), ([], "forked"):
        monkeypatch.setattr(realize_mod, "_UNSHARE", [prefix])
        runner = _Runner(isolate=True, fork_server=False)
        runner.server, runner.mode, runner.why = Server(), None, ""
        runner.ready()
        assert runner.mode == mode
        assert ("namespaces" in runner.why) == (mode == "process")
    runner = _Runner(isolate=False, fork_server=False)
    runner.server, runner.mode = Server(), None
    runner.ready()
    assert runner.mode == "forked"


@BOTH
def test_a_derivation_setting_python_variables(tmp_path: Path, fork_server: bool) -> None:
    """A derivation setting LANG (read by Python as it starts) gets it, the same either
    way (such builds start their own Python)."""
    s = LocalStore(tmp_path / "s")
    builder = s.add_text("lang-builder", '(call-with-output-file ((@ (guile) getenv) "out") '
                         '(lambda (p) (write (list (getenv "LANG") (getenv "out")) p)))')
    d = derivation(s, "lang", GUILE, ["--no-auto-compile", builder], sources=[builder],
                   env_vars=[("LANG", "C")])
    realize(s, [d], fork_server=fork_server)
    assert s.physical(out(d)).read_text() == f'("C" "{out(d)}")'
    s.close()


def test_bare_hurd_configuration_files_are_the_same_either_way(tmp_path: Path) -> None:
    """The local builds of bare-hurd.tmpl (``schemos build`` without substitutes
    builds every configuration file it can): hash-identical items, forked with the
    default jobs and in fresh Pythons one at a time."""
    dumps = []
    for extra_env, jobs in (({}, []), ({"SCHEMOS_FORK_SERVER": "0"}, ["-M", "1"])):
        store = tmp_path / f"s{len(dumps)}"
        env = {k: v for k, v in os.environ.items() if k != "SCHEMOS_SUBSTITUTE_URLS"}
        r = subprocess.run([sys.executable, "-m", "schemos.cli", "build", *jobs, "--target",
                            "i586-pc-gnu", "examples/bare-hurd.tmpl", "--store", str(store)],
                           cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
                           env={**env, **extra_env})
        assert r.returncode == 0, r.stderr
        s = LocalStore(store)
        dumps.append((r.stdout, {p: v for p, v in dump(s).items() if not p.endswith(".drv")}))
        s.close()
    assert len(dumps[0][1]) > 20 and any(p.endswith("-sshd_config") for p in dumps[0][1])
    assert dumps[0] == dumps[1]


def test_a_ctrl_c_while_an_output_is_finished_leaves_no_unregistered_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C after a builder ended but before its output was registered (hashing,
    scanning): the output is removed, not left in the store unregistered; an
    output registered before the interruption stays."""
    s = LocalStore(tmp_path / "s")
    first = local(s, "first", '(call-with-output-file ((@ (guile) getenv) "out") '
                              '(lambda (p) (display "one" p)))')
    second = local(s, "second", '(call-with-output-file ((@ (guile) getenv) "out") '
                                '(lambda (p) (display "two" p)))', [first])
    finish = realize_mod._finish

    def interrupted_finish(store: LocalStore, job: Any) -> None:
        if job.drv.path == second.path:
            assert os.path.lexists(job.outputs["out"])     # built, not yet registered
            raise KeyboardInterrupt
        finish(store, job)

    monkeypatch.setattr(realize_mod, "_finish", interrupted_finish)
    with pytest.raises(KeyboardInterrupt):
        realize(s, [second], fork_server=False, max_jobs=1)
    assert s.is_valid(out(first)) and os.path.lexists(s.physical(out(first)))
    assert not os.path.lexists(s.physical(out(second)))
    assert not s.is_valid(out(second))
    s.close()
