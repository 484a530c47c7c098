"""A store on disk: logically ``/gnu/store``, physically any directory.

Items live directly in the physical root (``ROOT/<hash>-<name>``), so the
root plays the part of ``/gnu/store`` and a logical path maps to a physical
one by replacing the store directory with the root.  The root comes from
``--store DIR``, else ``$SCHEMOS_STORE``, else
``$XDG_DATA_HOME/schemos/store`` (``~/.local/share/schemos/store``), the
place ``schemos publish`` and the substituter use as well.

Every item is built under a hidden temporary name next to its final name,
made read-only with mtime 1 (as the Guix daemon does) and renamed into
place, so a reader never sees half an item.  What is *valid* is what the
database says: ``ROOT/.schemos/db.sqlite``, an SQLite database in WAL mode
with a busy timeout, with Nix's tables -- ``ValidPaths`` (path, NAR hash,
size, deriver), ``Refs`` and ``DerivationOutputs``.  Two processes adding
the same item both write it under their own temporary names; the renames
are atomic and the contents identical (the name is a hash of them), and
registration is ``INSERT OR IGNORE`` inside ``BEGIN IMMEDIATE``
transactions, so either order leaves one valid item.

Registrations are batched: items are written at once, but recorded in the
database in one transaction per :data:`BATCH` items and at :meth:`flush`
(and :meth:`close`).  Lowering a system adds tens of thousands of small
items; one transaction each would dominate the run time.

A store may also be *in memory* (``LocalStore(root=None, memory=True)``):
paths are computed and ``.drv`` texts kept, nothing is written.  Tests and
benchmarks that only need store paths use it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from schemos.store.nar import (
    canonicalize_tree,
    nar_hash,
    remove_stale_temporaries,
    remove_tree,
    temporary_sibling,
)
from schemos.store.paths import (
    STORE_DIR,
    check_store_name,
    fixed_output_path,
    source_path,
    text_path,
)

#: registrations kept in memory before they are committed
BATCH = 2000
#: how long a writer waits for another process's transaction, in milliseconds
BUSY_TIMEOUT_MS = 60_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ValidPaths (
    id               INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    path             TEXT UNIQUE NOT NULL,
    hash             TEXT NOT NULL,
    registrationTime INTEGER NOT NULL,
    deriver          TEXT,
    narSize          INTEGER
);
CREATE TABLE IF NOT EXISTS Refs (
    referrer  INTEGER NOT NULL,
    reference INTEGER NOT NULL,
    PRIMARY KEY (referrer, reference),
    FOREIGN KEY (referrer) REFERENCES ValidPaths(id) ON DELETE CASCADE,
    FOREIGN KEY (reference) REFERENCES ValidPaths(id) ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS IndexReferrer ON Refs(referrer);
CREATE INDEX IF NOT EXISTS IndexReference ON Refs(reference);
CREATE TABLE IF NOT EXISTS DerivationOutputs (
    drv  INTEGER NOT NULL,
    id   TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (drv, id),
    FOREIGN KEY (drv) REFERENCES ValidPaths(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS IndexDerivationOutputs ON DerivationOutputs(path);
"""


def default_store_root() -> Path:
    """The physical root of the store when none is given.

    ``$SCHEMOS_STORE``, else ``$XDG_DATA_HOME/schemos/store``, else
    ``~/.local/share/schemos/store``.
    """
    env = os.environ.get("SCHEMOS_STORE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME")
    return Path(xdg or Path.home() / ".local" / "share") / "schemos" / "store"


def nar_of_bytes(data: bytes, executable: bool = False) -> bytes:
    """The NAR serialisation of a regular file holding ``data``."""
    def tok(b: bytes) -> bytes:
        return len(b).to_bytes(8, "little") + b + b"\0" * ((-len(b)) % 8)

    parts = [tok(b"nix-archive-1"), tok(b"("), tok(b"type"), tok(b"regular")]
    if executable:
        parts += [tok(b"executable"), tok(b"")]
    parts += [tok(b"contents"), tok(data), tok(b")")]
    return b"".join(parts)


def _tok(b: bytes) -> bytes:
    return len(b).to_bytes(8, "little") + b + b"\0" * ((-len(b)) % 8)


def nar_of_tree(files: dict[str, bytes]) -> bytes:
    """The NAR of a directory holding ``files`` (relative name -> contents).

    Intermediate directories are implied by the names; every file is
    regular and not executable.
    """
    tree: dict[str, Any] = {}
    for rel, data in files.items():
        node = tree
        parts = [p for p in rel.split("/") if p]
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = data
    out = [_tok(b"nix-archive-1")]

    def emit(node: Any) -> None:
        if isinstance(node, dict):
            out.extend([_tok(b"("), _tok(b"type"), _tok(b"directory")])
            for name in sorted(node, key=lambda n: n.encode()):
                out.extend([_tok(b"entry"), _tok(b"("), _tok(b"name"),
                            _tok(name.encode()), _tok(b"node")])
                emit(node[name])
                out.append(_tok(b")"))
            out.append(_tok(b")"))
        else:
            out.extend([_tok(b"("), _tok(b"type"), _tok(b"regular"), _tok(b"contents"),
                        _tok(node), _tok(b")")])
    emit(tree)
    return b"".join(out)


class StoreError(Exception):
    """A store operation failed (bad name, missing file, corrupt database)."""


class _Registration:
    """An item written to disk, waiting to be recorded in the database."""

    __slots__ = ("path", "nar_sha256", "nar_size", "references", "deriver", "outputs")

    def __init__(self, path: str, nar_sha256: bytes, nar_size: int,
                 references: Iterable[str], deriver: str | None = None,
                 outputs: dict[str, str] | None = None) -> None:
        self.path = path
        self.nar_sha256 = nar_sha256
        self.nar_size = nar_size
        self.references = sorted(set(references))
        self.deriver = deriver
        self.outputs = outputs or {}


class LocalStore:
    """A store whose items are files under ``root`` and whose metadata is SQLite.

    It also carries the caches of lowering (``self.cache``), as a Guix store
    connection carries its object cache: what was lowered once in a session
    is not lowered again.
    """

    def __init__(self, root: str | Path | None = None, *, memory: bool = False,
                 store_dir: str = STORE_DIR) -> None:
        self.store_dir = store_dir
        self.memory = memory
        self.root: Path | None = None if memory else Path(root or default_store_root())
        self._db: sqlite3.Connection | None = None
        self._pending: list[_Registration] = []
        #: paths known valid in this session (written here or found in the database)
        self._valid: set[str] = set()
        #: text of items added in this session, by path (``.drv`` files and texts)
        self.texts: dict[str, bytes] = {}
        #: parsed or built derivations, by ``.drv`` path
        self.derivations: dict[str, Any] = {}
        #: hash modulo fixed-output derivations, hex, by ``.drv`` path
        self.modulo: dict[str, str] = {}
        #: lowering caches: key -> value (see schemos.store.lower)
        self.cache: dict[Any, Any] = {}
        #: the interpreter whose Scheme procedures lowering calls (set by the Scheme face)
        self.interp: Any = None
        self.closed = False
        if self.root is not None:
            self.root.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(self.root)

    # ------------------------------------------------------------- paths
    def physical(self, path: str) -> Path:
        """Where the item called ``path`` (``/gnu/store/…``) is on disk."""
        if self.root is None:
            raise StoreError("an in-memory store has no files")
        if not path.startswith(self.store_dir + "/"):
            raise StoreError(f"not in the store: {path}")
        return self.root / path[len(self.store_dir) + 1:]

    def logical(self, physical: str | Path) -> str:
        """The store path of a physical file name under the root."""
        assert self.root is not None
        rel = Path(physical).relative_to(self.root)
        return f"{self.store_dir}/{rel}"

    # ------------------------------------------------------------ database
    def db(self) -> sqlite3.Connection:
        """The database connection, opened (and the schema created) on first use."""
        if self._db is None:
            assert self.root is not None
            d = self.root / ".schemos"
            d.mkdir(parents=True, exist_ok=True)
            # Switching a new database to WAL takes an exclusive lock, and
            # SQLite answers a second process doing the same at that moment
            # with "database is locked" without calling the busy handler; so
            # opening is serialised between processes by an advisory lock.
            with open(d / "db.lock", "a+b") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                conn = sqlite3.connect(d / "db.sqlite", timeout=BUSY_TIMEOUT_MS / 1000,
                                       isolation_level=None, check_same_thread=False)
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                # WAL lets readers run while another process writes; NORMAL
                # synchronisation is durable across application crashes
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = ON")
                with self._transaction(conn):
                    for stmt in _SCHEMA.split(";"):
                        if stmt.strip():
                            conn.execute(stmt)
            self._db = conn
        return self._db

    @staticmethod
    @contextlib.contextmanager
    def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
        # IMMEDIATE takes the write lock at once, so two writers queue on the
        # busy timeout instead of failing with "database is locked" on upgrade
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def flush(self) -> None:
        """Record every pending registration, in one transaction."""
        if not self._pending or self.memory:
            self._pending.clear()
            return
        conn = self.db()
        pending, self._pending = self._pending, []
        now = int(time.time())
        with self._transaction(conn):
            ids: dict[str, int] = {}

            def path_id(p: str) -> int | None:
                if p in ids:
                    return ids[p]
                row = conn.execute("SELECT id FROM ValidPaths WHERE path = ?", (p,)).fetchone()
                if row is not None:
                    ids[p] = row[0]
                    return row[0]
                return None

            for r in pending:
                conn.execute(
                    "INSERT OR IGNORE INTO ValidPaths (path, hash, registrationTime, deriver,"
                    " narSize) VALUES (?, ?, ?, ?, ?)",
                    (r.path, "sha256:" + r.nar_sha256.hex(), now, r.deriver, r.nar_size))
            for r in pending:
                rid = path_id(r.path)
                if rid is None:
                    raise StoreError(f"failed to register {r.path}")
                for ref in r.references:
                    fid = path_id(ref)
                    if fid is None:
                        # items are added after what they refer to; a missing
                        # reference is a bug, not something to paper over
                        raise StoreError(f"{r.path} refers to {ref}, which is not valid")
                    conn.execute("INSERT OR IGNORE INTO Refs (referrer, reference) "
                                 "VALUES (?, ?)", (rid, fid))
                for out, p in r.outputs.items():
                    conn.execute("INSERT OR IGNORE INTO DerivationOutputs (drv, id, path) "
                                 "VALUES (?, ?, ?)", (rid, out, p))

    def close(self) -> None:
        """Flush pending registrations and close the database."""
        if self.closed:
            return
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None
        self.closed = True

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -------------------------------------------------------------- queries
    def is_valid(self, path: str) -> bool:
        """True if ``path`` is a valid item of this store."""
        if path in self._valid:
            return True
        if self.memory:
            return False
        row = self.db().execute("SELECT 1 FROM ValidPaths WHERE path = ?", (path,)).fetchone()
        if row is not None and os.path.lexists(self.physical(path)):
            self._valid.add(path)
            return True
        return False

    def references(self, path: str) -> list[str]:
        """The items ``path`` refers to, sorted."""
        for r in self._pending:
            if r.path == path:
                return list(r.references)
        if self.memory:
            raise StoreError(f"no references recorded for {path}")
        rows = self.db().execute(
            "SELECT v2.path FROM ValidPaths v1 JOIN Refs ON Refs.referrer = v1.id "
            "JOIN ValidPaths v2 ON Refs.reference = v2.id WHERE v1.path = ? "
            "ORDER BY v2.path", (path,)).fetchall()
        if not rows and not self.is_valid(path):
            raise StoreError(f"path is not valid: {path}")
        return [r[0] for r in rows]

    def requisites(self, paths: Iterable[str]) -> set[str]:
        """The closure of ``paths``: them and every item they refer to, directly or not.

        As ``requisites`` of Guix's ``(guix store)``; every item must be valid.
        """
        seen: set[str] = set()
        todo = list(paths)
        while todo:
            p = todo.pop()
            if p in seen:
                continue
            seen.add(p)
            todo.extend(r for r in self.references(p) if r not in seen)
        return seen

    def query_path_info(self, path: str) -> dict[str, Any] | None:
        """The database row of ``path``: hash, size, deriver, references; None if invalid."""
        self.flush()
        if self.memory:
            return None
        row = self.db().execute("SELECT hash, narSize, deriver FROM ValidPaths WHERE path = ?",
                                (path,)).fetchone()
        if row is None:
            return None
        return {"path": path, "hash": row[0], "nar_size": row[1], "deriver": row[2],
                "references": self.references(path)}

    def valid_paths(self) -> list[str]:
        """Every valid path, sorted."""
        self.flush()
        if self.memory:
            return sorted(self._valid)
        return [r[0] for r in self.db().execute("SELECT path FROM ValidPaths ORDER BY path")]

    def read_text(self, path: str) -> bytes:
        """The contents of the regular file ``path``."""
        data = self.texts.get(path)
        if data is not None:
            return data
        if self.memory:
            raise StoreError(f"no such item in this in-memory store: {path}")
        try:
            return self.physical(path).read_bytes()
        except OSError as e:
            raise StoreError(f"cannot read {path}: {e.strerror}") from None

    # ------------------------------------------------------------ additions
    def _register(self, reg: _Registration) -> None:
        self._valid.add(reg.path)
        if self.memory:
            return
        self._pending.append(reg)
        if len(self._pending) >= BATCH:
            self.flush()

    def register_item(self, path: str, nar_sha256: bytes, nar_size: int,
                      references: Iterable[str] = (), deriver: str | None = None) -> None:
        """Record the item already on disk at ``path`` as valid (``registerValidPath``).

        The item must be in place (renamed to its final name) and each of its
        ``references`` (store paths; the item itself may be one of them) must
        be valid already, so that a valid item always has its closure.  The
        row is written with the next :meth:`flush`.  Substituted items and
        the outputs of local builds are registered this way.
        """
        if self.memory:
            raise StoreError("an in-memory store has no files to register")
        if not os.path.lexists(self.physical(path)):
            raise StoreError(f"cannot register {path}: it is not in the store")
        refs = sorted(set(references))
        missing = [r for r in refs if r != path and not self.is_valid(r)]
        if missing:
            raise StoreError(f"cannot register {path}: it refers to "
                             + ", ".join(missing) + ", which are not valid")
        self._register(_Registration(path, nar_sha256, nar_size, refs, deriver=deriver))

    def add_text(self, name: str, data: str | bytes, references: Iterable[str] = (),
                 *, deriver_outputs: dict[str, str] | None = None,
                 keep: bool = False) -> str:
        """``add-text-to-store``: the path of a text item holding ``data``.

        ``deriver_outputs`` (for ``.drv`` files) records the derivation's
        outputs in ``DerivationOutputs``.  ``keep`` keeps the text in memory
        (``.drv`` files are read back while lowering).
        """
        check_store_name(name)
        blob = data.encode() if isinstance(data, str) else bytes(data)
        refs = sorted(set(references))
        path = text_path(name, blob, refs, self.store_dir)
        if keep or self.memory:
            self.texts[path] = blob
        if path in self._valid:
            return path
        if not self.memory and not self.is_valid(path):
            self._write_file(path, blob, executable=False)
        nar = nar_of_bytes(blob)
        self._register(_Registration(path, hashlib.sha256(nar).digest(), len(nar), refs,
                                     outputs=deriver_outputs))
        return path

    def _write_file(self, path: str, blob: bytes, executable: bool) -> None:
        target = self.physical(path)
        tmp = temporary_sibling(target)
        try:
            with open(tmp, "wb") as f:
                f.write(blob)
            os.chmod(tmp, 0o555 if executable else 0o444)
            os.utime(tmp, (1, 1))
            # os.replace over an existing (identical) file is atomic: another
            # process adding the same item at the same time does no harm
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def add_path(self, name: str, source: str | Path, *, recursive: bool = True,
                 hash_algo: str = "sha256",
                 select: Callable[[str, os.stat_result], bool] | None = None) -> str:
        """``add-to-store``: copy the file or tree ``source`` into the store.

        Non-recursive: ``source`` must be a regular file, hashed flat with
        ``hash_algo``.  Recursive: the NAR of ``source`` (with the entries
        ``select(file, lstat)`` keeps, for directories) decides the path;
        SHA-256 gives a ``source`` path, other algorithms a fixed-output one.
        """
        check_store_name(name)
        src = Path(source)
        try:
            st = os.lstat(src)
        except OSError as e:
            raise StoreError(f"{src}: {e.strerror}") from None
        if not recursive:
            if not stat.S_ISREG(st.st_mode):
                raise StoreError(f"{src}: not a regular file (add it with recursive? #t)")
            blob = src.read_bytes()
            digest = hashlib.new(hash_algo, blob).digest()
            path = fixed_output_path(name, digest, hash_algo, False, self.store_dir)
            if path not in self._valid and not self.memory and not self.is_valid(path):
                self._write_file(path, blob, executable=False)
            nar = nar_of_bytes(blob)
            self._register(_Registration(path, hashlib.sha256(nar).digest(), len(nar), ()))
            return path
        if self.memory:
            # hash a filtered copy in a scratch directory, then drop it
            import tempfile

            with tempfile.TemporaryDirectory() as d:
                tmp = Path(d) / "item"
                _copy_tree(src, tmp, select)
                digest, size, algo_digest = _hashes(tmp, hash_algo)
            path = _recursive_path(name, digest, algo_digest, hash_algo, self.store_dir)
            self._register(_Registration(path, digest, size, ()))
            return path
        assert self.root is not None
        tmp = temporary_sibling(self.root / "x")
        try:
            _copy_tree(src, tmp, select)
            digest, size, algo_digest = _hashes(tmp, hash_algo)
            path = _recursive_path(name, digest, algo_digest, hash_algo, self.store_dir)
            if path in self._valid or self.is_valid(path):
                remove_tree(tmp)
            else:
                canonicalize_tree(tmp)
                target = self.physical(path)
                if os.path.lexists(target):
                    # left by an earlier run that died before registering it,
                    # or being added by another process: same name, same content
                    remove_tree(tmp)
                else:
                    try:
                        os.rename(tmp, target)
                    except OSError:
                        remove_tree(tmp)
                        if not os.path.lexists(target):
                            raise
        except BaseException:
            remove_tree(tmp)
            raise
        self._register(_Registration(path, digest, size, ()))
        return path

    def add_tree(self, name: str, files: dict[str, bytes]) -> str:
        """A directory item ``name`` holding ``files`` (relative name -> contents).

        The path is computed from the NAR made in memory; the files are
        written only if the item is not valid yet.
        """
        check_store_name(name)
        nar = nar_of_tree(files)
        digest = hashlib.sha256(nar).digest()
        path = source_path(name, digest, (), self.store_dir)
        if path in self._valid:
            return path
        if not self.memory and not self.is_valid(path):
            target = self.physical(path)
            assert self.root is not None
            tmp = temporary_sibling(target)
            try:
                tmp.mkdir()
                for rel, data in files.items():
                    f = tmp / rel
                    f.parent.mkdir(parents=True, exist_ok=True)
                    f.write_bytes(data)
                canonicalize_tree(tmp)
                if os.path.lexists(target):
                    remove_tree(tmp)
                else:
                    try:
                        os.rename(tmp, target)
                    except OSError:
                        remove_tree(tmp)
                        if not os.path.lexists(target):
                            raise
            except BaseException:
                remove_tree(tmp)
                raise
        self._register(_Registration(path, digest, len(nar), ()))
        return path

    def add_derivation_text(self, name: str, text: str, references: Iterable[str],
                            outputs: dict[str, str]) -> str:
        """Write a ``.drv`` file; return its path."""
        return self.add_text(name + ".drv", text, references, deriver_outputs=outputs,
                             keep=True)


def _recursive_path(name: str, nar_sha256: bytes, algo_digest: bytes, algo: str,
                    store_dir: str) -> str:
    if algo == "sha256":
        return source_path(name, nar_sha256, (), store_dir)
    return fixed_output_path(name, algo_digest, algo, True, store_dir)


def _hashes(path: Path, algo: str) -> tuple[bytes, int, bytes]:
    """SHA-256 and size of the NAR of ``path``, and its hash with ``algo``."""
    if algo == "sha256":
        digest, size = nar_hash(path)
        return digest, size, digest
    from schemos.store.nar import iter_nar

    h256 = hashlib.sha256()
    other = hashlib.new(algo)
    size = 0
    for chunk in iter_nar(path):
        h256.update(chunk)
        other.update(chunk)
        size += len(chunk)
    return h256.digest(), size, other.digest()


def _copy_tree(src: Path, dst: Path,
               select: Callable[[str, os.stat_result], bool] | None) -> None:
    """Copy ``src`` to ``dst`` keeping only what ``select`` accepts (symlinks as links).

    Only the executable bit of files matters to a NAR; everything else is
    normalised when the copy is canonicalised.
    """
    st = os.lstat(src)
    if stat.S_ISLNK(st.st_mode):
        os.symlink(os.readlink(src), dst)
    elif stat.S_ISREG(st.st_mode):
        import shutil

        shutil.copyfile(src, dst)
        os.chmod(dst, 0o755 if st.st_mode & 0o100 else 0o644)
    elif stat.S_ISDIR(st.st_mode):
        os.mkdir(dst, 0o755)
        for entry in sorted(os.listdir(src)):
            child = src / entry
            if select is not None and not select(str(child), os.lstat(child)):
                continue
            _copy_tree(child, dst / entry, select)
    else:
        raise StoreError(f"{src}: unsupported file type (only files, directories and "
                         "symlinks can be added to the store)")
