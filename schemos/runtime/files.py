"""File-system builtins: Guile's ``stat``/``lstat``, ``mkdir``, ``rmdir``,
``delete-file``, ``symlink``, and ``(ice-9 ftw)``'s ``file-system-fold``,
``file-system-tree`` and ``scandir``.

A stat object is what Guile's is, an 18-element vector (``dev ino mode
nlink uid gid rdev size atime mtime ctime blksize blocks type perms
atimensec mtimensec ctimensec``) read with ``stat:dev`` … ``stat:perms``.
Directories are listed in the order the operating system gives
(``readdir``'s, like Guile), so ``file-system-fold`` visits entries in the
same order as Guile on the same file system.
"""

from __future__ import annotations

import os
import stat as st
from typing import Any

from schemos.datum import NIL, UNSPECIFIED, Pair, Symbol, from_list
from schemos.errors import Condition, SchemeError, wrong_type
from schemos.module import mangle
from schemos.runtime.core import PRIMITIVES, call, primitive
from schemos.runtime.ports import _check_filename, _system_error

__all__ = ["stat_vector", "FTW_NAMES"]

_TYPES = (
    (st.S_ISREG, "regular"), (st.S_ISDIR, "directory"), (st.S_ISLNK, "symlink"),
    (st.S_ISBLK, "block-special"), (st.S_ISCHR, "char-special"), (st.S_ISFIFO, "fifo"),
    (st.S_ISSOCK, "socket"),
)


def _type_of(mode: int) -> Symbol:
    for test, name in _TYPES:
        if test(mode):
            return Symbol(name)
    return Symbol("unknown")


def stat_vector(s: os.stat_result) -> list[Any]:
    """Guile's stat vector for a Python stat result."""
    return [s.st_dev, s.st_ino, s.st_mode, s.st_nlink, s.st_uid, s.st_gid, s.st_rdev,
            s.st_size, int(s.st_atime), int(s.st_mtime), int(s.st_ctime),
            getattr(s, "st_blksize", 0), getattr(s, "st_blocks", 0), _type_of(s.st_mode),
            st.S_IMODE(s.st_mode), s.st_atime_ns % 1_000_000_000,
            s.st_mtime_ns % 1_000_000_000, s.st_ctime_ns % 1_000_000_000]


@primitive("stat", "(object #:optional exception-on-error?)")
def scm_stat(obj: Any, exception_on_error: Any = True) -> Any:
    """The status of the file OBJECT (a file name), following symbolic links.  With
    EXCEPTION-ON-ERROR? #f, return #f instead of raising an error."""
    name = _check_filename("stat", obj)
    try:
        return stat_vector(os.stat(name))
    except OSError as e:
        if exception_on_error is False:
            return False
        raise _system_error("stat", e, name) from None


@primitive("lstat", "(str)")
def scm_lstat(obj: Any) -> Any:
    """Like ``stat``, but a symbolic link is described itself, not its target."""
    name = _check_filename("lstat", obj)
    try:
        return stat_vector(os.lstat(name))
    except OSError as e:
        raise _system_error("lstat", e, name) from None


def _accessor(name: str, index: int) -> None:
    def acc(s: Any) -> Any:
        if type(s) is not list or len(s) != 18:
            raise wrong_type(name, 1, "stat", s)
        return s[index]

    # a module-level name, so that pickle (the module cache) finds the function
    acc.__name__ = acc.__qualname__ = mangle(name)
    globals()[acc.__name__] = acc
    acc.__doc__ = f"Field {name[5:]} of the stat object S."
    primitive(name, "(s)")(acc)


for _i, _field in enumerate("""dev ino mode nlink uid gid rdev size atime mtime ctime
                               blksize blocks type perms atimensec mtimensec
                               ctimensec""".split()):
    _accessor("stat:" + _field, _i)


def _os_error(who: str, e: OSError) -> SchemeError:
    # Guile's message for these calls names no file
    return SchemeError(Condition("system-error", "~A", who=who, args=[e.strerror or str(e)],
                                 irritants=[], extra=Pair(e.errno or 0, NIL)))


@primitive("mkdir", "(path #:optional mode)")
def scm_mkdir(path: Any, mode: Any = 0o777) -> Any:
    """Create the directory PATH (with permissions MODE, less the umask)."""
    name = _check_filename("mkdir", path)
    try:
        os.mkdir(name, mode)
    except OSError as e:
        raise _os_error("mkdir", e) from None
    return UNSPECIFIED


@primitive("rmdir", "(path)")
def scm_rmdir(path: Any) -> Any:
    """Remove the empty directory PATH."""
    name = _check_filename("rmdir", path)
    try:
        os.rmdir(name)
    except OSError as e:
        raise _os_error("rmdir", e) from None
    return UNSPECIFIED


@primitive("delete-file", "(str)")
def delete_file(path: Any) -> Any:
    """Delete the file (not directory) named STR."""
    name = _check_filename("delete-file", path)
    try:
        os.unlink(name)
    except OSError as e:
        raise _os_error("delete-file", e) from None
    return UNSPECIFIED


@primitive("symlink", "(oldpath newpath)")
def scm_symlink(old: Any, new: Any) -> Any:
    """Make NEWPATH a symbolic link to OLDPATH."""
    o = _check_filename("symlink", old)
    n = _check_filename("symlink", new)
    try:
        os.symlink(o, n)
    except OSError as e:
        raise _os_error("symlink", e) from None
    return UNSPECIFIED


@primitive("file-is-directory?", "(str)")
def file_is_directory(path: Any) -> bool:
    """True if STR names a directory."""
    return os.path.isdir(_check_filename("file-is-directory?", path))


def _errno(e: OSError) -> int:
    return e.errno or 0


def _stat_with(proc: Any, name: str) -> Any:
    """(PROC NAME), or the errno of the system error it raises."""
    if proc is scm_lstat or proc is scm_stat:
        try:
            return stat_vector(os.lstat(name) if proc is scm_lstat else os.stat(name))
        except OSError as e:
            return _errno(e)
    try:
        return call(proc, name)
    except SchemeError as e:
        c = e.condition
        if c is not None and c.key.name == "system-error" and type(c.extra) is Pair:
            return c.extra.car
        raise


@primitive("file-system-fold", "(enter? leaf down up skip error init file-name "
           "#:optional stat)")
def file_system_fold(enter: Any, leaf: Any, down: Any, up: Any, skip: Any, error: Any,
                     init: Any, file_name: Any, stat_proc: Any = None) -> Any:
    """Traverse the directory FILE-NAME recursively, folding over its files:
    (ENTER? path stat result) decides whether to enter a directory, (DOWN ...) and
    (UP ...) are called on entering and leaving it, (SKIP ...) for one not entered,
    (LEAF ...) for each other file, and (ERROR path stat errno result) when a file
    cannot be read.  STAT (``lstat`` by default) describes each file."""
    name0 = _check_filename("file-system-fold", file_name)
    stat_proc = scm_lstat if stat_proc is None else stat_proc
    visited: set[tuple[int, Any]] = set()

    def key(s: list[Any], fname: str) -> tuple[int, Any]:
        # device and inode identify a directory; a string hash if there are no inodes
        return (s[0], s[1] if s[1] != 0 else ("name", fname))

    def walk(full: str, s: Any, result: Any) -> Any:
        if type(s) is int:
            return call(error, full, False, s, result)
        if key(s, full) in visited:
            return result
        if s[13] is not Symbol("directory"):
            return call(leaf, full, s, result)
        if call(enter, full, s, result) is False:
            visited.add(key(s, full))
            return call(skip, full, s, result)
        visited.add(key(s, full))
        try:
            entries = os.listdir(full)
        except OSError as e:
            return call(error, full, s, _errno(e), result)
        result = call(down, full, s, result)
        subdirs: list[tuple[str, Any]] = []
        for entry in entries:
            child = full + "/" + entry
            cs = _stat_with(stat_proc, child)
            if type(cs) is int:  # a dangling symbolic link, say
                result = call(error, child, False, cs, result)
            elif cs[13] is Symbol("directory"):
                subdirs.append((child, cs))
            else:
                result = call(leaf, child, cs, result)
        # Guile visits the subdirectories last, the last one listed first
        for child, cs in reversed(subdirs):
            result = walk(child, cs, result)
        return call(up, full, s, result)

    return walk(name0, _stat_with(stat_proc, name0), init)


@primitive("file-system-tree", "(file-name #:optional enter? stat)")
def file_system_tree(file_name: Any, enter: Any = None, stat_proc: Any = None) -> Any:
    """The tree (FILE-NAME STAT CHILDREN ...) of the files under FILE-NAME, entering
    the directories for which (ENTER? name stat) is true; #f if FILE-NAME cannot be
    read."""
    name0 = _check_filename("file-system-tree", file_name)

    def enter_p(name: str, s: Any, result: Any) -> Any:
        return True if enter is None else call(enter, name, s)

    def leaf(name: str, s: Any, result: Any) -> Any:
        siblings, rest = result.car, result.cdr
        return Pair(Pair(Pair(os.path.basename(name), Pair(s, NIL)), siblings), rest)

    def down(name: str, s: Any, result: Any) -> Any:
        return Pair(NIL, result)

    def up(name: str, s: Any, result: Any) -> Any:
        children, siblings, rest = result.car, result.cdr.car, result.cdr.cdr
        return Pair(Pair(Pair(os.path.basename(name), Pair(s, children)), siblings), rest)

    def error(name: str, s: Any, errno: Any, result: Any) -> Any:
        return result if name == name0 else leaf(name, s, result)

    r = file_system_fold(enter_p, leaf, down, up, leaf, error, Pair(NIL, NIL), name0,
                         scm_lstat if stat_proc is None else stat_proc)
    return r.car.car if r.car is not NIL else False


@primitive("scandir", "(name #:optional select? entry<?)")
def scandir(name: Any, select: Any = None, entry_lt: Any = None) -> Any:
    """The sorted list of the names in directory NAME (with "." and "..") for
    which (SELECT? name) is true, or #f if NAME cannot be read as a directory."""
    d = _check_filename("scandir", name)
    try:
        entries = [".", ".."] + os.listdir(d)
    except OSError:
        return False
    if select is not None:
        entries = [e for e in entries if call(select, e) is not False]
    if entry_lt is None:
        entries.sort()
        return from_list(entries)
    return PRIMITIVES["sort"](from_list(entries), entry_lt)


#: the names of the (ice-9 ftw) procedures
FTW_NAMES = ["file-system-fold", "file-system-tree", "scandir"]
