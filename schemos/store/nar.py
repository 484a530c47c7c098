"""Writing NAR archives (the Nix/Guix archive format), streaming.

A NAR serialises a file-system object deterministically: strings are
length-prefixed (64-bit little-endian) and zero-padded to 8 bytes; a regular
file is ``( type regular [executable ""] contents <bytes> )``, a symlink
``( type symlink target <text> )``, a directory ``( type directory entry (
name <n> node <nar> ) ... )`` with entries sorted by name (byte order).
The SHA-256 of this stream is the "recursive" hash of a store item.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

MAGIC = "nix-archive-1"
CHUNK = 1 << 16


def _str(write: Callable[[bytes], object], data: bytes) -> None:
    n = len(data)
    write(n.to_bytes(8, "little"))
    write(data)
    pad = (-n) % 8
    if pad:
        write(b"\0" * pad)


def write_nar(path: str | Path, write: Callable[[bytes], object]) -> None:
    """Serialise the file, symlink or directory at ``path`` as a NAR into ``write``."""
    _str(write, MAGIC.encode())
    _node(os.fsencode(str(path)), write)


def _node(p: bytes, write: Callable[[bytes], object]) -> None:
    st = os.lstat(p)
    _str(write, b"(")
    _str(write, b"type")
    if stat.S_ISLNK(st.st_mode):
        _str(write, b"symlink")
        _str(write, b"target")
        _str(write, os.readlink(p))
    elif stat.S_ISREG(st.st_mode):
        _str(write, b"regular")
        if st.st_mode & 0o100:
            _str(write, b"executable")
            _str(write, b"")
        _str(write, b"contents")
        size = st.st_size
        write(size.to_bytes(8, "little"))
        with open(p, "rb") as f:
            while True:
                chunk = f.read(CHUNK)
                if not chunk:
                    break
                write(chunk)
        pad = (-size) % 8
        if pad:
            write(b"\0" * pad)
    elif stat.S_ISDIR(st.st_mode):
        _str(write, b"directory")
        for name in sorted(os.listdir(p)):
            _str(write, b"entry")
            _str(write, b"(")
            _str(write, b"name")
            _str(write, name)
            _str(write, b"node")
            _node(os.path.join(p, name), write)
            _str(write, b")")
    else:
        raise ValueError(f"cannot archive {os.fsdecode(p)}: not a file, directory or symlink")
    _str(write, b")")


def nar_hash(path: str | Path) -> tuple[bytes, int]:
    """(SHA-256 digest, size in bytes) of the NAR of ``path``, computed while streaming."""
    h = hashlib.sha256()
    size = 0

    def write(b: bytes) -> None:
        nonlocal size
        h.update(b)
        size += len(b)

    write_nar(path, write)
    return h.digest(), size
