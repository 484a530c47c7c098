"""The compiled-module cache, schemos' counterpart of Guile's ``.go`` files.

Loading a module from source means reading it, expanding its macros and
compiling every top-level form to Python bytecode.  The cache keeps the
result: for each top-level form, its compile-time effects (imports,
exports, macro definitions, which names it defines) and the marshalled
Python code object with its constants.  Loading from the cache replays the
effects and runs the code, skipping the reader, the expander and both
compilers.

An entry's name is a hash of the module's source text, its file name and
the schemos version, so an edited source never meets a stale entry.  The
entry also records the keys of the modules it imported (their macros shaped
its expansion); if any has changed, the entry is not used.  Entries are
written to a temporary name and renamed, so concurrent writers cannot leave
a torn file, and a corrupt or truncated entry is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import io
import marshal
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from schemos import __version__

MAGIC = b"SCHEMOS-GO\x00"
FORMAT = 1


def default_cache_dir() -> Path:
    """``$SCHEMOS_CACHE_DIR``, else ``$XDG_CACHE_HOME/schemos``, else ``~/.cache/schemos``."""
    d = os.environ.get("SCHEMOS_CACHE_DIR")
    if d:
        return Path(d)
    x = os.environ.get("XDG_CACHE_HOME")
    base = Path(x) if x else Path.home() / ".cache"
    return base / "schemos"


_FINGERPRINT: list[str] = []


def compiler_fingerprint() -> str:
    """A hash of schemos' own Python sources (names, sizes, times).

    Cached expansions depend on the expander, the compiler and the Python
    macros as much as on the module's text: a changed schemos must not
    reuse them.
    """
    if not _FINGERPRINT:
        root = Path(__file__).resolve().parent
        h = hashlib.sha256()
        for p in sorted(root.rglob("*.py")):
            st = p.stat()
            h.update(f"{p.relative_to(root)}\x00{st.st_size}\x00{st.st_mtime_ns}\n".encode())
        _FINGERPRINT.append(h.hexdigest())
    return _FINGERPRINT[0]


def source_key(path: Path, text: str) -> str:
    """The cache key of a module source."""
    h = hashlib.sha256()
    h.update(f"{__version__}\x00{FORMAT}\x00{compiler_fingerprint()}\x00"
             f"{path.resolve()}\x00".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class _Pickler(pickle.Pickler):
    """Pickles module namespaces and modules by name."""

    def __init__(self, f: Any, modules: dict[int, tuple[str, tuple[str, ...]]]) -> None:
        super().__init__(f, protocol=pickle.HIGHEST_PROTOCOL)
        self.modules = modules

    def persistent_id(self, obj: Any) -> Any:
        ref = self.modules.get(id(obj))
        return ref


class _Unpickler(pickle.Unpickler):
    def __init__(self, f: Any, resolve: Any) -> None:
        super().__init__(f)
        self.resolve = resolve

    def persistent_load(self, pid: Any) -> Any:
        kind, name = pid
        m = self.resolve(name)
        return m.ns if kind == "ns" else m


class Recorder:
    """Collects what loading a module did, for the cache."""

    def __init__(self) -> None:
        self.entries: list[tuple[Any, ...]] = []
        self.ok = True
        self.why = ""

    def fail(self, why: str) -> None:
        """Mark the module as not cacheable."""
        if self.ok:
            self.ok = False
            self.why = why


class ModuleCache:
    """Reads and writes cache entries in a directory."""

    def __init__(self, directory: Path | None = None, enabled: bool = True) -> None:
        self.dir = directory or default_cache_dir()
        self.enabled = enabled
        self.hits = 0
        self.misses = 0

    def entry_path(self, key: str) -> Path:
        """Where the entry with ``key`` lives."""
        return self.dir / key[:2] / (key[2:] + ".go")

    def load(self, key: str, resolve: Any) -> tuple[list[Any], list[Any]] | None:
        """The (dependencies, entries) stored under ``key``, or None."""
        if not self.enabled:
            return None
        p = self.entry_path(key)
        try:
            data = p.read_bytes()
        except OSError:
            self.misses += 1
            return None
        try:
            if not data.startswith(MAGIC):
                raise ValueError("bad magic")
            body = data[len(MAGIC):]
            digest, payload = body[:32], body[32:]
            if hashlib.sha256(payload).digest() != digest:
                raise ValueError("checksum mismatch")
            stored_key, deps, entries = _Unpickler(io.BytesIO(payload), resolve).load()
            if stored_key != key:
                raise ValueError("key mismatch")
        except Exception:  # noqa: BLE001 - any damage means: ignore and rebuild
            self.misses += 1
            try:
                p.unlink()
            except OSError:
                pass
            return None
        self.hits += 1
        return deps, entries

    def store(self, key: str, deps: list[Any], entries: list[Any],
              modules: dict[int, tuple[str, tuple[str, ...]]]) -> bool:
        """Write an entry atomically; False if it could not be written."""
        if not self.enabled:
            return False
        buf = io.BytesIO()
        try:
            _Pickler(buf, modules).dump((key, deps, entries))
        except Exception:  # noqa: BLE001 - an unpicklable constant: do not cache
            return False
        payload = buf.getvalue()
        data = MAGIC + hashlib.sha256(payload).digest() + payload
        p = self.entry_path(key)
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".tmp-", suffix=".go")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, p)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            return False
        return True


def dump_code(code: Any) -> bytes:
    """Marshal a code object."""
    return marshal.dumps(code)


def load_code(data: bytes) -> Any:
    """Unmarshal a code object."""
    return marshal.loads(data)
