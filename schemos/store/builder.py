"""Run builder scripts under schemos: once per process, or forked from a build server.

``python -m schemos.store.builder SCRIPT DIR...`` runs one builder script:
SCRIPT is a builder written by ``gexp->derivation`` (with the store's
physical root in place of ``/gnu/store``); each DIR is added to the module
search path, as Guile's ``-L``.  The exit status is 0 when the script
returns normally.  :func:`schemos.store.realize.build` starts it so, in a
fresh build directory with an empty environment and, where user namespaces
work, under ``unshare --user --net``: that is the fallback, and the way to
debug a builder by hand.

Starting Python, importing schemos and loading the Scheme modules builders
use takes about 150 ms, far more than most builders run.  So a realize
starts one *build server* (``python -m schemos.store.builder --serve FD``,
:class:`BuildServer`) that does that once: it imports schemos, makes an
interpreter with the build-side primitives, preloads the ``stdlib/`` and
Python modules most builders load (:data:`PRELOAD`: ``stdlib/`` is searched
before a build's ``-L`` directories, so a build would load these very
files), and then, for each build, forks a child that sets up what the
fallback has -- a new session; ``/dev/null`` as standard input and files
for standard output and error; new user and network namespaces
(``unshare(2)`` and the uid/gid maps that ``unshare --map-root-user``
writes) when asked; the build directory as working directory; the build's
environment in place of the server's, with what Python's start-up adds (the
``LC_CTYPE`` of its C-locale coercion); ``sys.argv`` and ``sys.path[0]`` as
``python -m`` sets them -- and runs the script.  A build only sees the
server's warm state, never another build's: each runs in its own forked
copy.  The server has no thread when it forks (the warm-up's evaluation
thread is joined first); each child starts its own big-stack evaluation
thread.

The server speaks JSON lines on a socket: a ``hello`` first (with whether
it can enter namespaces, tried in a forked child), then for each request
(``id``, ``script``, ``dirs``, ``cwd``, ``env``, ``stdout``, ``stderr``,
``unshare``, ``timeout``) one reply when the child ends (``id``, ``status``:
its exit code, negative for a signal, ``timed_out``).  It kills a child at
its timeout (``SIGKILL`` to its process group), and every child when the
socket closes, then exits.
"""

from __future__ import annotations

import sys
from typing import Any


def _build_side_primitives() -> dict[str, Any]:
    """Guile procedures builders use that the schemos runtime does not provide."""
    import os
    import shutil

    from schemos.datum import UNSPECIFIED

    def chdir(d: str) -> Any:
        os.chdir(d)
        return UNSPECIFIED

    def readlink(f: str) -> str:
        return os.readlink(f)

    def rename_file(a: str, b: str) -> Any:
        os.rename(a, b)
        return UNSPECIFIED

    def chmod(f: Any, mode: int) -> Any:
        # a port (call-with-output-file's) stands for its file
        stream = getattr(f, "stream", None)
        name = getattr(stream, "name", None) or getattr(f, "filename", None) or f
        os.chmod(name, mode)
        return UNSPECIFIED

    def copy_file(a: str, b: str) -> Any:
        shutil.copyfile(a, b)
        return UNSPECIFIED

    def utime(f: str, atime: int, mtime: int, *rest: Any) -> Any:
        os.utime(f, (atime, mtime))
        return UNSPECIFIED

    def umask(*mode: int) -> int:
        return os.umask(mode[0]) if mode else os.umask(0o022)

    def link(a: str, b: str) -> Any:
        os.link(a, b)
        return UNSPECIFIED

    def ignore(*args: Any) -> Any:
        return UNSPECIFIED

    def primitive_exit(status: Any = 0) -> Any:
        sys.stdout.flush()
        os._exit(status if isinstance(status, int) and not isinstance(status, bool)
                 else (0 if status is not False else 1))

    def system_star(*args: Any) -> int:
        # builders of configuration files run no programs; PATH is empty
        print(f"system*: cannot run {args[0] if args else ''} in a schemos build",
              file=sys.stderr)
        return 127 * 256

    return {"chdir": chdir, "readlink": readlink, "rename-file": rename_file,
            "chmod": chmod, "copy-file": copy_file, "utime": utime, "umask": umask,
            "link": link, "chown": ignore, "set-port-encoding!": ignore,
            "setvbuf": ignore, "primitive-exit": primitive_exit, "system*": system_star}


def _install(interp: Any) -> None:
    from schemos.datum import Symbol
    from schemos.module import global_pyname

    for name, fn in _build_side_primitives().items():
        key = global_pyname(Symbol(name))
        fn.scm_name = name  # type: ignore[attr-defined]
        if key in interp.root.ns:
            continue
        for m in [interp.root, *interp.modules.values()]:
            m.ns.setdefault(key, fn)


def _install(interp: Any) -> None:
    from schemos.datum import Symbol
    from schemos.module import global_pyname

    for name, fn in _build_side_primitives().items():
        key = global_pyname(Symbol(name))
        fn.scm_name = name  # type: ignore[attr-defined]
        if key in interp.root.ns:
            continue
        for m in [interp.root, *interp.modules.values()]:
            m.ns.setdefault(key, fn)


def make_interpreter(dirs: list[str]) -> Any:
    """An interpreter for builders: ``dirs`` on the load path, no module cache,
    the build-side primitives installed."""
    from schemos.interp import Interpreter

    # builds must not read or fill the user's compiled-module cache
    interp = Interpreter(load_path=dirs, use_cache=False)
    _install(interp)
    return interp


def run_script(interp: Any, script: str) -> int:
    """Evaluate the builder ``script`` in ``interp``; 0, or 1 after reporting its error."""
    from schemos.errors import SchemeError
    from schemos.report import format_error

    try:
        interp.load_file(script)
    except SchemeError as e:
        print(format_error(e), file=sys.stderr)
        return 1
    try:
        from schemos.runtime import ports

        flush = getattr(ports, "flush_all", None)
        if flush is not None:
            flush()
    except ImportError:
        pass
    return 0


def main(argv: list[str]) -> int:
    """Evaluate the script ``argv[0]`` with ``argv[1:]`` on the load path
    (``--serve FD``: be the build server on the socket FD)."""
    if argv[:1] == ["--serve"] and len(argv) == 2:
        return serve(int(argv[1]))
    if not argv:
        print("usage: python -m schemos.store.builder SCRIPT [DIR...]", file=sys.stderr)
        return 2
    return run_script(make_interpreter(argv[1:]), argv[0])


# ------------------------------------------------------------------ the server

#: modules the server loads before forking builds: those builders commonly
#: use that schemos itself provides (Python modules, or files of stdlib/,
#: which is searched before a build's -L directories)
PRELOAD = (("ice-9", "match"), ("srfi", "srfi-1"), ("srfi", "srfi-26"), ("ice-9", "ftw"))

#: Linux's unshare(2) flags
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def enter_namespaces() -> None:
    """Enter new user and network namespaces, mapping this user to root in it.

    What ``unshare --user --map-root-user --net`` does before running its
    command; the process must have a single thread.  Raises :class:`OSError`.
    """
    import ctypes
    import os

    uid, gid = os.geteuid(), os.getegid()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare: {os.strerror(err)}")
    for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"),
                       ("gid_map", f"0 {gid} 1")):
        try:
            with open(f"/proc/self/{name}", "w") as f:
                f.write(text)
        except FileNotFoundError:
            if name != "setgroups":       # kernels before 3.19 have no setgroups file
                raise


def _probe_namespaces() -> bool:
    """True if a forked child of this process can :func:`enter_namespaces`."""
    import os

    pid = os.fork()
    if pid == 0:
        try:
            enter_namespaces()
            code = 0
        except BaseException:  # noqa: BLE001 - the answer is the status
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _warm() -> Any:
    """The interpreter every build starts from, with :data:`PRELOAD` loaded."""
    import threading

    from schemos.interp import _Worker

    interp = make_interpreter([])
    for name in PRELOAD:
        try:
            _Worker.run(lambda name=name: interp.modsys.resolve(name))
        except Exception:  # noqa: BLE001 - a build loading it reports the error
            interp.modules.pop(name, None)
    import schemos.report  # noqa: F401 - what run_script imports
    import schemos.runtime.ports  # noqa: F401

    # fork from a process without threads: wait for the evaluation threads to end
    for t in threading.enumerate():
        if t is not threading.main_thread():
            t.join()
    return interp


def _exit_code(e: SystemExit) -> int:
    """The status Python exits with for an uncaught ``SystemExit`` (printing its message)."""
    code = e.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _child(interp: Any, req: dict[str, Any], coerced: dict[str, str],
           close: list[Any]) -> None:
    """The forked child: set up the build's isolation, run its script, exit."""
    import atexit
    import os
    import signal
    import tempfile
    import time
    import traceback

    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for c in close:
            c.close()
        os.setsid()
        fd = os.open(os.devnull, os.O_RDONLY)
        os.dup2(fd, 0)
        os.close(fd)
        for target, name in ((1, "stdout"), (2, "stderr")):
            fd = os.open(req[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fd, target)
            os.close(fd)
        if req["unshare"]:
            enter_namespaces()
        os.chdir(req["cwd"])
        os.environ.clear()
        os.environ.update(req["env"])
        os.environ.update(coerced)
        time.tzset()
        tempfile.tempdir = None
        sys.argv = [os.path.abspath(__file__), req["script"], *req["dirs"]]
        sys.path[0] = os.getcwd()
        interp.modsys.set_load_path(req["dirs"])
        code = run_script(interp, req["script"])
    except SystemExit as e:
        code = _exit_code(e)
    except BaseException:  # noqa: BLE001 - reported as an uncaught Python error is
        traceback.print_exc()
        code = 1
    finally:
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(fd: int) -> int:
    """Be the build server on the connected socket ``fd`` until it is closed."""
    import json
    import os
    import selectors
    import signal
    import socket
    import time

    sock = socket.socket(fileno=fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the client ends us by closing
    interp = _warm()
    # what Python's start-up added to the environment it was given (C-locale coercion)
    coerced = {"LC_CTYPE": os.environ["LC_CTYPE"]} if "LC_CTYPE" in os.environ else {}
    namespaces = _probe_namespaces()

    def send(msg: dict[str, Any]) -> None:
        sock.sendall(json.dumps(msg).encode() + b"\n")

    rfd, wfd = os.pipe()
    os.set_blocking(rfd, False)
    os.set_blocking(wfd, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wfd, warn_on_full_buffer=False)
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ)
    sel.register(rfd, selectors.EVENT_READ)
    wake_r, wake_w = os.fdopen(rfd, "rb", buffering=0), os.fdopen(wfd, "wb", buffering=0)
    send({"hello": 1, "namespaces": namespaces, "pid": os.getpid()})
    #: pid -> [request id, deadline, timed out]
    children: dict[int, list[Any]] = {}
    buf = b""
    open_ = True

    def reap() -> None:
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            entry = children.pop(pid, None)
            if entry is not None and open_:
                send({"id": entry[0], "status": os.waitstatus_to_exitcode(status),
                      "timed_out": entry[2]})

    def kill(pid: int) -> None:
        for f in (os.killpg, os.kill):
            try:
                f(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    try:
        while open_ or children:
            now = time.monotonic()
            for pid, entry in children.items():
                if not entry[2] and entry[1] <= now:
                    entry[2] = True
                    kill(pid)
            deadlines = [e[1] for e in children.values() if not e[2]]
            timeout = max(0.0, min(deadlines) - now) if deadlines else None
            if not open_:
                timeout = 0.05
            for key, _ in sel.select(timeout):
                if key.fileobj is sock:
                    data = sock.recv(1 << 16)
                    if not data:
                        open_ = False
                        sel.unregister(sock)
                        for pid in children:
                            kill(pid)
                        continue
                    buf += data
                    while b"\n" in buf:
                        line, buf = buf.split(b"\n", 1)
                        req = json.loads(line)
                        try:
                            pid = os.fork()
                        except OSError as e:
                            send({"id": req["id"], "error": f"fork: {e}"})
                            continue
                        if pid == 0:
                            _child(interp, req, coerced, [sel, sock, wake_r, wake_w])
                        children[pid] = [req["id"], time.monotonic() + req["timeout"], False]
                else:
                    try:
                        while wake_r.read(512):
                            pass
                    except BlockingIOError:
                        pass
            reap()
    finally:
        for pid in children:
            kill(pid)
    return 0


class BuildServer:
    """The client side: a build server process, and the builds running in it.

    Start it with :meth:`start` (it warms up meanwhile); :meth:`submit` sends
    a build and returns a future of its reply; :meth:`close` ends the server
    and any build still running.  Replies are read by a thread of the client
    process, so builds run concurrently.
    """

    def __init__(self, env: dict[str, str], cwd: str) -> None:
        import socket
        import subprocess
        import tempfile
        import threading

        ours, theirs = socket.socketpair()
        self._sock = ours
        self._log = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "schemos.store.builder", "--serve",
                 str(theirs.fileno())], pass_fds=[theirs.fileno()], env=env, cwd=cwd,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log)
        finally:
            theirs.close()
        self._lock = threading.Lock()
        self._pending: dict[int, Any] = {}
        self._next = 0
        self._buf = b""
        self._hello: dict[str, Any] | None = None
        self._dead: str | None = None
        self._reader: threading.Thread | None = None

    def _readline(self) -> bytes | None:
        while b"\n" not in self._buf:
            data = self._sock.recv(1 << 16)
            if not data:
                return None
            self._buf += data
        line, self._buf = self._buf.split(b"\n", 1)
        return line

    def hello(self, timeout: float = 60) -> dict[str, Any]:
        """Wait for the server to be ready; its hello (``namespaces``: can it enter them).

        Raises :class:`OSError` when it does not start.
        """
        import json
        import threading

        if self._hello is None:
            self._sock.settimeout(timeout)
            try:
                line = self._readline()
            finally:
                self._sock.settimeout(None)
            if line is None:
                raise OSError("the build server exited: " + self.log())
            self._hello = json.loads(line)
            self._reader = threading.Thread(target=self._read, name="schemos-build-server",
                                            daemon=True)
            self._reader.start()
        return self._hello

    def log(self) -> str:
        """What the server wrote on its standard error (for error messages)."""
        try:
            self._log.seek(0)
            return self._log.read().decode("utf-8", "replace").strip()[-2000:]
        except (OSError, ValueError):          # closed
            return ""

    def _read(self) -> None:
        import json

        while True:
            try:
                line = self._readline()
            except OSError:
                line = None
            if line is None:
                break
            msg = json.loads(line)
            with self._lock:
                fut = self._pending.pop(msg.get("id"), None)
            if fut is not None:
                fut.set_result(msg)
        log = self.log()
        with self._lock:
            self._dead = "the build server exited" + (f": {log}" if log else "")
            pending, self._pending = self._pending, {}
        for fut in pending.values():
            fut.set_exception(OSError(self._dead))

    def submit(self, request: dict[str, Any]) -> Any:
        """Send a build request; a :class:`concurrent.futures.Future` of the reply."""
        import json
        from concurrent.futures import Future

        self.hello()
        fut: Future[dict[str, Any]] = Future()
        with self._lock:
            if self._dead:
                raise OSError(self._dead)
            self._next += 1
            request = {**request, "id": self._next}
            self._pending[self._next] = fut
            self._sock.sendall(json.dumps(request).encode() + b"\n")
        return fut

    def close(self) -> None:
        """End the server: it kills the builds still running and exits."""
        import socket
        import subprocess

        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self._reader is not None:
            self._reader.join(timeout=10)
        self._log.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
