"""The REPL: the engine, prompt_toolkit input, piped mode and a real terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from schemos.repl import ReplEngine, dot_to_tree, enclosing_heads_ok, run_piped


def test_results_are_numbered_and_reusable() -> None:
    e = ReplEngine(use_cache=False)
    assert e.eval_text("(+ 1 2)") == "$1 = 3"
    assert e.eval_text("(* $1 10)") == "$2 = 30"
    assert e.eval_text("(values 4 5)") == "$3 = 4\n$4 = 5"
    assert e.eval_text("(define x 1)") == ""


def test_errors_keep_state() -> None:
    e = ReplEngine(use_cache=False)
    e.eval_text("(define kept 42)")
    out = e.eval_text("(car 5)")
    assert "In procedure car: Wrong type argument in position 1 (expecting pair): 5" in out
    assert e.eval_text("kept") == "$1 = 42"


def test_prompt_shows_module() -> None:
    e = ReplEngine(use_cache=False)
    assert e.prompt() == "scheme@(guile-user)> "


def test_meta_commands() -> None:
    e = ReplEngine(use_cache=False)
    assert ",describe" in e.eval_text(",help")
    assert "string-prefix?" in e.eval_text(",apropos ^string-pre").splitlines()
    assert e.eval_text(",expand (do ((i 0 (+ i 1))) ((= i 3) i))").startswith("(let ")
    assert e.eval_text(",time (+ 1 1)").startswith("$1 = 2\n;; ")
    assert e.eval_text(",pp (list 1 2)") == "(1 2)"
    assert "Unknown meta command: frob" in e.eval_text(",frob")
    assert "did you mean ,describe" in e.eval_text(",describ x")
    e.eval_text(",quit")
    assert e.quit


def test_describe_record_type_shows_fields_and_defaults() -> None:
    e = ReplEngine(use_cache=False)
    e.eval_text("(use-modules (guix records))")
    e.eval_text("(define-record-type* <pt> pt make-pt pt? (x pt-x (default 0)) "
                "(y pt-y (thunked) (default 1)))")
    out = e.eval_text(",describe <pt>")
    assert "x (default 0)" in out and "y (default 1) (thunked)" in out


def test_completion_of_names_modules_fields_and_meta() -> None:
    from prompt_toolkit.document import Document

    from schemos.repl_complete import SchemeCompleter

    e = ReplEngine(use_cache=False)
    e.eval_text("(use-modules (guix records))")
    e.eval_text("(define-record-type* <cfg> cfg make-cfg cfg? (port-number cfg-port) "
                "(permit-root-login cfg-root))")
    c = SchemeCompleter(e)

    def comp(text: str) -> list[str]:
        return [x.text for x in c.get_completions(Document(text), None)]

    assert "string-append" in comp("(string-app")
    assert comp("(cfg (port-") == ["port-number"]
    assert "(srfi srfi-1)" in comp("(use-modules (srfi srfi-")
    assert "(srfi srfi-1)" in comp(",use (srfi srfi-")
    assert "describe" in comp(",desc")


def test_piped_mode(tmp_path: Path) -> None:
    import io

    e = ReplEngine(use_cache=False)
    out = io.StringIO()
    status = run_piped(e, io.StringIO("(+ 1 2)\n(list 'a\n  'b)\n,pp (vector 1)\n"), out)
    assert status == 0
    assert out.getvalue() == "$1 = 3\n$2 = (a b)\n#(1)\n"


def test_piped_cli() -> None:
    r = subprocess.run([sys.executable, "-m", "schemos.cli", "repl", "--no-cache"],
                       input="(+ 1 2)\n(car '())\n(* 2 3)\n", capture_output=True, text=True,
                       timeout=120)
    assert "$1 = 3" in r.stdout and "$2 = 6" in r.stdout
    assert "In procedure car" in r.stdout
    assert r.returncode == 1


def test_prompt_toolkit_pipe_input() -> None:
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from schemos.repl import make_session, read_input

    e = ReplEngine(use_cache=False)
    with create_pipe_input() as inp:
        session = make_session(e, color=False, input=inp, output=DummyOutput())
        inp.send_text("(+ 1\n2)\n")
        text = read_input(session, e)
        assert e.eval_text(text) == "$1 = 3"


def test_dot_to_tree() -> None:
    dot = ('digraph "g" {\n  "1" [label = "system", shape = box, fontname = sans];\n'
           '  "2" -> "1" [color = red];\n  "2" [label = "boot", shape = box, fontname = sans];\n'
           "}\n")
    assert dot_to_tree(dot) == "system\n  boot"


def test_enclosing_heads() -> None:
    assert enclosing_heads_ok("(a (b c (d")


def _read_until(fd: int, needle: bytes, timeout: float = 60) -> bytes:
    buf = b""
    end = time.time() + timeout
    while needle not in buf:
        left = end - time.time()
        if left <= 0:
            raise AssertionError(f"timed out waiting for {needle!r}; screen: {buf[-2000:]!r}")
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
    return buf


def test_real_terminal_session(tmp_path: Path) -> None:
    tmpl = tmp_path / "t.scm"
    tmpl.write_text("(define greeting \"hello\")\n")
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, TERM="xterm", XDG_STATE_HOME=str(tmp_path), NO_COLOR="1",
                   PROMPT_TOOLKIT_NO_CPR="1")
        os.execve(sys.executable, [sys.executable, "-m", "schemos.cli", "repl", "--no-cache",
                                   str(tmpl)], env)
    try:
        _read_until(fd, b"scheme@(guile-user)>")
        os.write(fd, b"(string-append greeting \" world\")\r")
        assert b'$1 = "hello world"' in _read_until(fd, b'$1 = "hello world"')
        # an error, and the session survives
        os.write(fd, b"(car 5)\r")
        _read_until(fd, b"expecting pair")
        os.write(fd, b"(+ 40 2)\r")
        _read_until(fd, b"$2 = 42")
        # Ctrl-C stops a long evaluation; the session and its state survive
        os.write(fd, b"(let loop ((i 0)) (loop (+ i 1)))\r")
        time.sleep(1.5)
        os.write(fd, b"\x03")
        _read_until(fd, b"ERROR: interrupted")
        os.write(fd, b"(string-length greeting)\r")
        _read_until(fd, b"= 5")
        # completion with Tab
        os.write(fd, b"(string-upc\t")
        _read_until(fd, b"string-upcase")
        os.write(fd, b' "x")\r')
        _read_until(fd, b'= "X"')
        os.write(fd, b"\x04")
        # Ctrl-D leaves the REPL: the process exits with status 0
        end = time.time() + 30
        status = None
        resent = False
        while time.time() < end:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
                break
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                try:
                    os.read(fd, 65536)
                except OSError:
                    pass
            if not resent and time.time() > end - 20:
                os.write(fd, b"\x04")  # a busy machine may have eaten the first one
                resent = True
        assert status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    finally:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
        os.close(fd)


# ------------------------------------------------- exploring the seed's system

ROOT = Path(__file__).resolve().parent.parent


def seed_engine() -> ReplEngine:
    """A REPL started with the seed's template, as `schemos repl examples/bare-hurd.tmpl`."""
    os.chdir(ROOT)
    return ReplEngine("examples/bare-hurd.tmpl")


def test_exploring_the_seed_system() -> None:
    cwd = os.getcwd()
    try:
        e = seed_engine()
        assert e.eval_text("(operating-system-host-name os)") == '$1 = "guixygnu"'
        services = e.eval_text(",services")
        assert services.splitlines()[0].split()[0] == "system" or "openssh" in services
        assert any(ln.startswith("openssh ") for ln in services.splitlines())
        one = e.eval_text(",service openssh")
        assert "port-number" in one and "2222" in one
        assert "extends:" in one and "shepherd-root" in one
        assert e.eval_text(",why openssh").startswith("openssh -> ")
        assert e.eval_text(",why openssh").endswith("system")
        tree = e.eval_text(",graph")
        assert tree.splitlines()[0] == "system" and "  profile" in tree
        assert e.eval_text(",graph shepherd --dot").startswith('digraph "Guix shepherd-service"')
        table = e.eval_text(",shepherd")
        assert table.splitlines()[0].split() == ["PROVISION", "REQUIREMENT"]
        assert any(ln.startswith("ssh-daemon ssh sshd") for ln in table.splitlines())
        assert "openssh-sans-x@" in e.eval_text(",packages")
        diff = e.eval_text(",diff (operating-system (inherit os) (host-name \"other\") "
                           "(packages (cons hello (operating-system-packages os))))")
        assert diff.startswith("~ service") or "+ package hello@" in diff
        assert "+ package hello@" in diff
        assert "no service of type opensh (did you mean openssh?)" in e.eval_text(
            ",service opensh")
    finally:
        os.chdir(cwd)


def test_real_terminal_with_the_seed(tmp_path: Path) -> None:
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        env = dict(os.environ, TERM="xterm", XDG_STATE_HOME=str(tmp_path), NO_COLOR="1",
                   PROMPT_TOOLKIT_NO_CPR="1")
        os.execve(sys.executable, [sys.executable, "-m", "schemos.cli", "repl",
                                   "examples/bare-hurd.tmpl"], env)
    try:
        _read_until(fd, b"scheme@(guile-user)>", timeout=120)
        os.write(fd, b",why openssh\r")
        _read_until(fd, b"-> system")
        os.write(fd, b"(operating-system-host-name os)\r")
        _read_until(fd, b'$1 = "guixygnu"')
        os.write(fd, b"(openssh-configuration (port-n\t")
        _read_until(fd, b"umber")  # the completion inserts the rest of port-number
        os.write(fd, b" 22))\r")
        _read_until(fd, b"$2 = #<")
        os.write(fd, b"(service no-such-service-type)\r")
        _read_until(fd, b"no-such-service-type")
        os.write(fd, b",q\r")
        end = time.time() + 60
        while time.time() < end:
            done, _st = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                try:
                    os.read(fd, 65536)
                except OSError:
                    pass
        else:
            raise AssertionError("the REPL did not leave on ,q")
    finally:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
        os.close(fd)
