"""Guile builtins about files, processes and objects that Guix code uses."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from schemos.datum import UNSPECIFIED, from_list
from schemos.errors import Condition, SchemeError, wrong_type
from schemos.runtime.core import primitive


@primitive("object-address", "(obj)")
def object_address(obj: Any) -> int:
    """A number that identifies OBJ while it lives."""
    return id(obj)


@primitive("basename", "(filename [suffix])")
def basename(filename: Any, suffix: Any = None) -> str:
    """The last component of FILENAME, without SUFFIX if it ends with it."""
    if type(filename) is not str:
        raise wrong_type("basename", 1, "string", filename)
    f = filename.rstrip("/") or ("/" if filename.startswith("/") else "")
    b = f.rsplit("/", 1)[-1] if f != "/" else "/"
    if type(suffix) is str and suffix and b.endswith(suffix) and b != suffix:
        b = b[: -len(suffix)]
    return b


@primitive("dirname", "(filename)")
def dirname(filename: Any) -> str:
    """FILENAME without its last component ("." if there is none)."""
    if type(filename) is not str:
        raise wrong_type("dirname", 1, "string", filename)
    f = filename.rstrip("/")
    if not f:
        return "/" if filename.startswith("/") else "."
    if "/" not in f:
        return "."
    d = f.rsplit("/", 1)[0].rstrip("/")
    return d or "/"


@primitive("getcwd", "()")
def getcwd() -> str:
    """The current working directory."""
    return os.getcwd()


@primitive("getpid", "()")
def getpid() -> int:
    """The process id."""
    return os.getpid()


@primitive("current-time", "()")
def current_time() -> int:
    """Seconds since the epoch."""
    return int(time.time())


@primitive("canonicalize-path", "(path)")
def canonicalize_path(path: Any) -> str:
    """The absolute, symlink-free name of PATH, which must exist."""
    if not os.path.exists(path):
        raise SchemeError(Condition("system-error", "~A: ~S", who="canonicalize-path",
                                    args=["No such file or directory", path]))
    return os.path.realpath(path)


@primitive("command-line", "()")
def command_line() -> Any:
    """The program's command line, as a list of strings."""
    return from_list(sys.argv)


@primitive("program-arguments", "()")
def program_arguments() -> Any:
    """The program's command line, as a list of strings."""
    return from_list(sys.argv)


@primitive("exit", "([status])")
def exit_(status: Any = 0) -> Any:
    """Leave the program with STATUS (#t: 0, #f: 1)."""
    code = 0 if status is True else 1 if status is False else status
    raise SystemExit(code)


@primitive("thunk?", "(obj)")
def thunk_p(obj: Any) -> bool:
    """True for a procedure that accepts zero arguments."""
    if not callable(obj):
        return False
    code = getattr(obj, "__code__", None)
    if code is None:
        return True
    return code.co_argcount == 0


@primitive("%syntax-error", "(message . args)")
def syntax_error_(message: Any, *args: Any) -> Any:
    """Support for R7RS syntax-error."""
    raise SchemeError(Condition("syntax-error", message, irritants=list(args)))


_ = UNSPECIFIED
