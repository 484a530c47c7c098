"""NAR archives (the Nix/Guix archive format): writing and restoring, streaming.

A NAR serialises a file-system object deterministically: strings are
length-prefixed (64-bit little-endian) and zero-padded to 8 bytes; a regular
file is ``( type regular [executable ""] contents <bytes> )``, a symlink
``( type symlink target <text> )``, a directory ``( type directory entry (
name <n> node <nar> ) ... )`` with entries sorted by name (byte order).
The SHA-256 of this stream is the "recursive" hash of a store item
(``NarHash``) and its length is ``NarSize``.

Both directions run in memory that does not grow with the size of the item:
file contents move in fixed-size chunks, and the reader keeps no more than
one token (at most :data:`MAX_TOKEN` bytes) and the path of the current
directory.  The reader accepts exactly the canonical encoding the writer
produces and nothing else, so a NAR that restores re-serialises to the same
bytes; anything else (``..``, ``/`` or NUL in a name, unsorted or duplicate
entries, truncated data, non-zero padding, sizes past the end of the stream,
trailing bytes) is an error that leaves nothing behind: the item is built
under a hidden temporary name next to the target and renamed into place only
once the whole stream has been read and checked.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from schemos.errors import Condition, SchemeError

MAGIC = "nix-archive-1"
#: size of the chunks file contents are copied in
CHUNK = 1 << 20
#: small tokens are gathered into writes of about this size
_FLUSH = 1 << 16
#: the longest name, symlink target or keyword the reader accepts
MAX_TOKEN = 4096
#: the longest directory entry name (Linux NAME_MAX)
MAX_NAME = 255

_PAD = [b"\0" * i for i in range(8)]


# ------------------------------------------------------------------ writing

def _tok(data: bytes) -> bytes:
    n = len(data)
    return n.to_bytes(8, "little") + data + _PAD[(-n) % 8]


_OPEN = _tok(b"(")
_CLOSE = _tok(b")")
_MAGIC_TOK = _tok(MAGIC.encode())
_TYPE_REGULAR = _tok(b"(") + _tok(b"type") + _tok(b"regular")
_EXECUTABLE = _tok(b"executable") + _tok(b"")
_CONTENTS = _tok(b"contents")
_TYPE_SYMLINK = _tok(b"(") + _tok(b"type") + _tok(b"symlink") + _tok(b"target")
_TYPE_DIRECTORY = _tok(b"(") + _tok(b"type") + _tok(b"directory")
_ENTRY_NAME = _tok(b"entry") + _tok(b"(") + _tok(b"name")
_NODE = _tok(b"node")
# for the reader: whole encoded tokens it matches in one comparison
_OPEN_TYPE = _tok(b"(") + _tok(b"type")
_REGULAR = _tok(b"regular")
_DIRECTORY = _tok(b"directory")
_SYMLINK = _tok(b"symlink")
_ENCODED = {w: _tok(w) for w in (b"(", b")", b"type", b"contents", b"target", b"name",
                                 b"node", b"entry", MAGIC.encode())}


def iter_nar(path: str | Path, chunk_size: int = CHUNK) -> Iterator[bytes]:
    """Yield the NAR serialisation of the file, symlink or directory at ``path``.

    Small tokens are gathered into chunks of about 64 KiB; the contents of a
    large file come in chunks of ``chunk_size`` bytes.  Raises ``ValueError``
    on a socket, device or FIFO (a NAR cannot hold them) and on a file that
    changes size while it is read.
    """
    buf = bytearray(_MAGIC_TOK)
    # an explicit stack rather than recursion: (directory, its remaining names)
    stack: list[tuple[bytes, Iterator[bytes]]] = []
    p: bytes | None = os.fsencode(str(path))
    while p is not None:
        st = os.lstat(p)
        mode = st.st_mode
        if stat.S_ISDIR(mode):
            buf += _TYPE_DIRECTORY
            stack.append((p, iter(sorted(os.listdir(p)))))
        else:
            if stat.S_ISREG(mode):
                buf += _TYPE_REGULAR
                if mode & 0o100:
                    buf += _EXECUTABLE
                buf += _CONTENTS
                size = st.st_size
                buf += size.to_bytes(8, "little")
                with open(p, "rb", buffering=0) as f:
                    if size <= _FLUSH:
                        data = f.read(size + 1)
                        if len(data) != size:
                            raise ValueError(f"{os.fsdecode(p)} changed size while "
                                             "being archived")
                        buf += data
                    else:
                        yield bytes(buf)
                        buf.clear()
                        left = size
                        while left:
                            data = f.read(min(chunk_size, left))
                            if not data:
                                raise ValueError(f"{os.fsdecode(p)} changed size while "
                                                 "being archived")
                            left -= len(data)
                            yield data
                buf += _PAD[(-size) % 8]
            elif stat.S_ISLNK(mode):
                buf += _TYPE_SYMLINK
                buf += _tok(os.readlink(p))
            else:
                raise ValueError(f"cannot archive {os.fsdecode(p)}: not a regular file, "
                                 "directory or symlink")
            buf += _CLOSE                       # the node
            if stack:
                buf += _CLOSE                   # the entry holding it
        # the next node: the next name of the innermost unfinished directory
        p = None
        while stack:
            d, names = stack[-1]
            name = next(names, None)
            if name is None:
                stack.pop()
                buf += _CLOSE                   # the directory node
                if stack:
                    buf += _CLOSE               # the entry holding it
                continue
            buf += _ENTRY_NAME
            buf += _tok(name)
            buf += _NODE
            p = d + b"/" + name
            break
        if len(buf) >= _FLUSH:
            yield bytes(buf)
            buf.clear()
    if buf:
        yield bytes(buf)


def write_nar(path: str | Path, write: Callable[[bytes], object]) -> None:
    """Serialise the file, symlink or directory at ``path`` as a NAR into ``write``."""
    for chunk in iter_nar(path):
        write(chunk)


def nar_hash(path: str | Path) -> tuple[bytes, int]:
    """(SHA-256 digest, size in bytes) of the NAR of ``path``, computed while streaming."""
    h = hashlib.sha256()
    size = 0
    for chunk in iter_nar(path):
        h.update(chunk)
        size += len(chunk)
    return h.digest(), size


# ------------------------------------------------------------------ reading

def nar_error(message: str, *irritants: Any, hint: str | None = None) -> SchemeError:
    """A ``nar-error`` condition (Guix's ``&nar-error``) with ``message``."""
    return SchemeError(Condition("nar-error", message, who="restore-file",
                                 irritants=list(irritants), hint=hint))


class _Source:
    """The bytes of a NAR stream, hashed and counted as they are read.

    ``read`` is any callable returning up to ``n`` bytes (``b""`` at the
    end).  At most ``limit`` bytes are read: a NAR that runs past the size
    its narinfo announced is an error before the extra bytes are consumed.
    """

    __slots__ = ("_read", "buf", "pos", "offset", "size", "limit", "_hash")

    def __init__(self, read: Callable[[int], bytes], limit: int | None = None) -> None:
        self._read = read
        self.buf = b""
        self.pos = 0
        #: number of bytes consumed by the parser
        self.offset = 0
        #: number of bytes read from the stream
        self.size = 0
        self.limit = limit
        self._hash = hashlib.sha256()

    def _fill(self, want: int) -> bytes:
        n = want
        if self.limit is not None:
            n = min(n, self.limit - self.size)
            if n <= 0:
                return b""
        data = self._read(n)
        if data:
            if len(data) > n:
                raise nar_error("the NAR source returned more bytes than requested")
            self._hash.update(data)
            self.size += len(data)
        return data

    def _truncated(self, what: str | Callable[[], str]) -> SchemeError:
        if callable(what):
            what = what()
        if self.limit is not None and self.size >= self.limit:
            return nar_error(f"NAR runs past its announced size of {self.limit} bytes "
                             f"(at byte {self.offset}, reading {what})")
        return nar_error(f"truncated NAR: the stream ends at byte {self.size} while "
                         f"reading {what}")

    def take(self, n: int, what: str | Callable[[], str]) -> bytes:
        """Exactly ``n`` bytes (``n`` is small: a token)."""
        end = self.pos + n
        if end <= len(self.buf):
            data = self.buf[self.pos:end]
            self.pos = end
            self.offset += n
            return data
        parts = [self.buf[self.pos:]]
        have = len(parts[0])
        self.buf = b""
        self.pos = 0
        while have < n:
            data = self._fill(max(_FLUSH, n - have))
            if not data:
                raise self._truncated(what)
            parts.append(data)
            have += len(data)
        data = b"".join(parts)
        self.buf = data[n:]
        self.offset += n
        return data[:n]

    def match(self, expected: bytes) -> bool:
        """Consume ``expected`` if the stream continues with it; else consume nothing."""
        n = len(expected)
        if self.pos + n > len(self.buf):
            self.buf = self.buf[self.pos:]
            self.pos = 0
            while len(self.buf) < n:
                data = self._fill(_FLUSH)
                if not data:
                    return False
                self.buf += data
        if self.buf.startswith(expected, self.pos):
            self.pos += n
            self.offset += n
            return True
        return False

    def chunks(self, n: int, what: Callable[[], str]) -> Iterator[bytes]:
        """``n`` bytes as a series of chunks of at most :data:`CHUNK` bytes."""
        left = n
        if left and self.pos < len(self.buf):
            data = self.buf[self.pos:self.pos + left]
            self.pos += len(data)
            self.offset += len(data)
            left -= len(data)
            yield data
        while left:
            data = self._fill(min(CHUNK, left))
            if not data:
                raise self._truncated(what)
            self.offset += len(data)
            left -= len(data)
            yield data

    def at_end(self) -> bool:
        """True if every byte of the stream has been consumed."""
        if self.pos < len(self.buf):
            return False
        self.buf = b""
        self.pos = 0
        data = self._fill(1)
        if data:
            self.buf = data
            return False
        return True

    def digest(self) -> bytes:
        """SHA-256 of the bytes read so far."""
        return self._hash.digest()


class NarSink(Protocol):
    """What a NAR reader builds: called in stream order, paths as bytes.

    ``path`` is relative to the root of the archive, ``b""`` for the root.
    """

    def directory(self, path: bytes) -> None:
        """A directory at ``path``; its entries follow."""

    def symlink(self, path: bytes, target: bytes) -> None:
        """A symbolic link at ``path`` pointing to ``target``."""

    def regular(self, path: bytes, executable: bool, size: int,
                chunks: Iterator[bytes]) -> None:
        """A regular file at ``path``: ``chunks`` must be consumed entirely."""


class _NullSink:
    """A sink that only checks: used by :func:`check_nar`."""

    def directory(self, path: bytes) -> None:
        pass

    def symlink(self, path: bytes, target: bytes) -> None:
        pass

    def regular(self, path: bytes, executable: bool, size: int,
                chunks: Iterator[bytes]) -> None:
        for _ in chunks:
            pass


def _show(name: bytes) -> str:
    return repr(name.decode("utf-8", "backslashreplace"))


def _check_name(name: bytes, where: bytes, offset: int) -> None:
    if not name:
        raise nar_error(f"unsafe NAR: empty entry name in {_show(b'/' + where)} "
                        f"(byte {offset})")
    if name in (b".", b".."):
        raise nar_error(f"unsafe NAR: entry name {_show(name)} in {_show(b'/' + where)} "
                        f"(byte {offset})", hint="a NAR may not refer outside its root")
    if b"/" in name or b"\0" in name:
        raise nar_error(f"unsafe NAR: entry name {_show(name)} in {_show(b'/' + where)} "
                        f"contains {'a slash' if b'/' in name else 'a NUL byte'} "
                        f"(byte {offset})", hint="a NAR may not refer outside its root")


def read_nar(read: Callable[[int], bytes], sink: NarSink, *,
             limit: int | None = None) -> tuple[bytes, int]:
    """Parse the NAR coming from ``read`` into ``sink``; return (SHA-256, size).

    ``read(n)`` returns up to ``n`` bytes, ``b""`` at the end (a file's
    ``read`` method will do).  The stream must hold one canonical NAR and
    nothing after it.  At most ``limit`` bytes are read when it is given.
    Raises a ``nar-error`` :class:`SchemeError` on anything malformed or
    unsafe; the sink may then hold a partial tree, which the caller removes.
    """
    return _parse(_Source(read, limit), sink)


def _parse(src: _Source, sink: NarSink) -> tuple[bytes, int]:
    """The parser behind :func:`read_nar`."""

    def token(what: str, maxlen: int = MAX_TOKEN) -> bytes:
        at = src.offset
        n = int.from_bytes(src.take(8, what), "little")
        if n > maxlen:
            raise nar_error(f"malformed NAR: {what} of {n} bytes at byte {at} is longer "
                            f"than the {maxlen} allowed")
        padded = n + (-n) % 8
        data = src.take(padded, what)
        if padded != n and data[n:].count(0) != padded - n:
            raise nar_error(f"malformed NAR: non-zero padding after {what} at byte {at}")
        return data[:n]

    def expect(word: bytes, what: str = "") -> None:
        if src.match(_ENCODED[word]):
            return
        at = src.offset
        got = token(f'"{word.decode()}"', 64)
        if got != word:
            raise nar_error(f"malformed NAR: expected \"{word.decode()}\"{what} at byte "
                            f"{at}, found {_show(got)}")

    expect(MAGIC.encode(), " (the NAR magic number)")
    # (directory path, last entry name) of the directories being read
    stack: list[tuple[bytes, bytes | None]] = []
    path = b""
    while True:
        # a node at ``path``; the common case is matched as whole encoded tokens,
        # anything else goes through the token-by-token path that explains errors
        if not src.match(_OPEN_TYPE):
            expect(b"(")
            expect(b"type")
        at = src.offset
        if src.match(_REGULAR):
            kind = b"regular"
        elif src.match(_DIRECTORY):
            kind = b"directory"
        elif src.match(_SYMLINK):
            kind = b"symlink"
        else:
            kind = token("node type", 64)
        if kind == b"regular":
            if src.match(_EXECUTABLE):
                executable = True
                expect(b"contents")
            elif src.match(_CONTENTS):
                executable = False
            else:
                at = src.offset
                word = token('"contents" or "executable"', 64)
                if word == b"executable":
                    # the canonical "executable" "" would have matched above
                    raise nar_error(f"malformed NAR: \"executable\" must be followed by "
                                    f"an empty string (byte {src.offset})")
                raise nar_error(f"malformed NAR: expected \"contents\" at byte {at}, "
                                f"found {_show(word)}")
            size = int.from_bytes(src.take(8, "a file size"), "little")
            p = path

            def what() -> str:
                return f"the contents of {_show(b'/' + p)}"

            sink.regular(path, executable, size, src.chunks(size, what))
            pad = (-size) % 8
            if pad:
                at = src.offset
                if src.take(pad, what).count(0) != pad:
                    raise nar_error(f"malformed NAR: non-zero padding after the contents "
                                    f"of {_show(b'/' + path)} at byte {at}")
            expect(b")", " closing a regular file")
        elif kind == b"symlink":
            expect(b"target")
            at = src.offset
            target = token("a symlink target")
            if not target or b"\0" in target:
                raise nar_error(f"malformed NAR: symlink {_show(b'/' + path)} has "
                                f"{'an empty target' if not target else 'a NUL in its target'}"
                                f" (byte {at})")
            sink.symlink(path, target)
            expect(b")", " closing a symlink")
        elif kind == b"directory":
            sink.directory(path)
            stack.append((path, None))
        else:
            raise nar_error(f"malformed NAR: unknown node type {_show(kind)} at byte {at}")
        if kind != b"directory" and stack:
            expect(b")", " closing a directory entry")
        # the next entry of the innermost open directory, or its end
        while stack:
            d, last = stack[-1]
            if src.match(_CLOSE):
                stack.pop()
                if stack:
                    expect(b")", " closing a directory entry")
                continue
            if not src.match(_ENTRY_NAME):
                at = src.offset
                word = token('"entry" or ")"', 64)
                if word == b")":
                    stack.pop()
                    if stack:
                        expect(b")", " closing a directory entry")
                    continue
                if word != b"entry":
                    raise nar_error(f"malformed NAR: expected \"entry\" or \")\" in "
                                    f"directory {_show(b'/' + d)} at byte {at}, found "
                                    f"{_show(word)}")
                expect(b"(")
                expect(b"name")
            at = src.offset
            name = token("an entry name", MAX_NAME)
            _check_name(name, d, at)
            if last is not None and name <= last:
                raise nar_error(f"malformed NAR: entry {_show(name)} in {_show(b'/' + d)} "
                                f"{'duplicates' if name == last else 'comes after'} "
                                f"{_show(last)} (byte {at})",
                                hint="directory entries must be sorted and unique")
            stack[-1] = (d, name)
            expect(b"node")
            path = d + b"/" + name if d else name
            break
        else:
            break
    if not src.at_end():
        raise nar_error(f"malformed NAR: unexpected data after the end of the archive "
                        f"(byte {src.offset})")
    return src.digest(), src.size


def check_nar(read: Callable[[int], bytes], *, limit: int | None = None) -> tuple[bytes, int]:
    """Check the NAR from ``read`` without writing anything; return (SHA-256, size)."""
    return read_nar(read, _NullSink(), limit=limit)


class _DiskSink:
    """Builds the tree under ``root`` (which must not exist yet)."""

    def __init__(self, root: bytes) -> None:
        self.root = root

    def _p(self, path: bytes) -> bytes:
        return self.root + b"/" + path if path else self.root

    def directory(self, path: bytes) -> None:
        os.mkdir(self._p(path), 0o755)

    def symlink(self, path: bytes, target: bytes) -> None:
        os.symlink(target, self._p(path))

    def regular(self, path: bytes, executable: bool, size: int,
                chunks: Iterator[bytes]) -> None:
        fd = os.open(self._p(path),
                     os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                     0o600)
        try:
            os.fchmod(fd, 0o755 if executable else 0o644)
            for chunk in chunks:
                view = memoryview(chunk)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
        finally:
            os.close(fd)


@dataclass(frozen=True)
class NarResult:
    """What restoring a NAR produced: where, its SHA-256 (``NarHash``) and size."""

    path: Path
    sha256: bytes
    size: int


def remove_tree(path: str | bytes | Path) -> None:
    """Delete ``path`` (file, symlink or tree), even if made read-only; ignore absence."""
    p = os.fsencode(str(path)) if not isinstance(path, bytes) else path
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(st.st_mode):
        os.unlink(p)
        return
    # a canonicalised store item is read-only: open its directories first
    for dirpath, _dirs, _files in os.walk(p):
        os.chmod(dirpath, 0o700)
    shutil.rmtree(p)


def canonicalize_tree(path: str | Path, mtime: int = 1) -> None:
    """Make ``path`` look like a store item: read-only, mtime ``mtime`` (1, as Guix)."""
    root = os.fsencode(str(path))
    st = os.lstat(root)
    if stat.S_ISDIR(st.st_mode):
        for dirpath, dirnames, filenames in os.walk(root, topdown=False):
            for name in filenames + dirnames:
                _canonical(os.path.join(dirpath, name), mtime)
            _canonical(dirpath, mtime)
    else:
        _canonical(root, mtime)


def _canonical(p: bytes, mtime: int) -> None:
    st = os.lstat(p)
    if stat.S_ISLNK(st.st_mode):
        os.utime(p, (mtime, mtime), follow_symlinks=False)
        return
    mode = 0o555 if stat.S_ISDIR(st.st_mode) or st.st_mode & 0o100 else 0o444
    os.chmod(p, mode)
    os.utime(p, (mtime, mtime))


def temporary_sibling(target: str | Path) -> Path:
    """A fresh hidden name next to ``target`` for building it before a rename.

    The name holds the process id, so :func:`remove_stale_temporaries` can
    tell leftovers of a killed process from work in progress.
    """
    t = Path(target)
    return t.parent / f".{t.name}.tmp-{os.getpid()}-{secrets.token_hex(6)}"


def remove_stale_temporaries(directory: str | Path) -> list[Path]:
    """Remove the temporaries left in ``directory`` by processes that died.

    Returns what was removed.
    """
    removed = []
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return removed
    for name in names:
        if not name.startswith(".") or ".tmp-" not in name:
            continue
        try:
            pid = int(name.rsplit(".tmp-", 1)[1].split("-", 1)[0])
        except ValueError:
            continue
        if pid == os.getpid() or _alive(pid):
            continue
        p = Path(directory) / name
        remove_tree(p)
        removed.append(p)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def restore_nar(source: Any, target: str | Path, *,
                expected_sha256: bytes | None = None,
                expected_size: int | None = None,
                canonical: bool = False,
                check: Callable[[Path], None] | None = None) -> NarResult:
    """Restore the NAR read from ``source`` as ``target``, atomically.

    ``source`` is a binary file object (anything with ``read(n)``) or a
    callable ``read(n)``.  The item is built under a hidden temporary name
    next to ``target`` and renamed to ``target`` only once the whole stream
    has been read and checked: its SHA-256 against ``expected_sha256`` and
    its size against ``expected_size`` (the narinfo's ``NarHash`` and
    ``NarSize``; the stream is not read past that size), and then ``check``
    (called with the temporary path) if given.  With ``canonical`` the item is
    made read-only with mtime 1, as in the store.  On any error nothing is
    left behind and ``target`` is untouched; ``target`` must not exist.
    """
    read = source if callable(source) else source.read
    target = Path(target)
    if os.path.lexists(target):
        raise nar_error(f"cannot restore NAR to {target}: it already exists")
    tmp = temporary_sibling(target)
    try:
        try:
            digest, size = read_nar(read, _DiskSink(os.fsencode(str(tmp))),
                                    limit=expected_size)
        except OSError as e:
            raise nar_error(f"cannot restore NAR to {target}: {e.strerror}: "
                            f"{os.fsdecode(e.filename) if e.filename else ''}") from e
        if expected_size is not None and size != expected_size:
            raise nar_error(f"NAR size mismatch for {target}: expected {expected_size} "
                            f"bytes, got {size}")
        if expected_sha256 is not None and digest != expected_sha256:
            raise nar_error(f"NAR hash mismatch for {target}: expected sha256 "
                            f"{expected_sha256.hex()}, got {digest.hex()}")
        if check is not None:
            check(tmp)
        if canonical:
            canonicalize_tree(tmp)
        if os.path.lexists(target):
            raise nar_error(f"cannot restore NAR to {target}: it already exists")
        os.rename(tmp, target)
    except BaseException:
        remove_tree(tmp)
        raise
    return NarResult(target, digest, size)
