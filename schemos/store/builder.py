"""Run one builder script under schemos: ``python -m schemos.store.builder SCRIPT DIR...``.

The child process of :func:`schemos.store.realize.build`.  SCRIPT is a
builder written by ``gexp->derivation`` (with the store's physical root in
place of ``/gnu/store``); each DIR is added to the module search path, as
Guile's ``-L``.  The exit status is 0 when the script returns normally.
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


def main(argv: list[str]) -> int:
    """Evaluate the script ``argv[0]`` with ``argv[1:]`` on the load path."""
    from schemos.errors import SchemeError
    from schemos.interp import Interpreter
    from schemos.report import format_error

    if not argv:
        print("usage: python -m schemos.store.builder SCRIPT [DIR...]", file=sys.stderr)
        return 2
    # builds must not read or fill the user's compiled-module cache
    interp = Interpreter(load_path=argv[1:], use_cache=False)
    _install(interp)
    try:
        interp.load_file(argv[0])
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
