"""NAR writing and restoring: round trips, canonical form, and refusal of bad input."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemos.errors import SchemeError
from schemos.store.nar import (
    check_nar,
    iter_nar,
    nar_hash,
    remove_stale_temporaries,
    remove_tree,
    restore_nar,
    temporary_sibling,
    write_nar,
)

# ------------------------------------------------------------------ helpers


def tok(data: bytes | str) -> bytes:
    """One NAR string token."""
    if isinstance(data, str):
        data = data.encode()
    return len(data).to_bytes(8, "little") + data + b"\0" * ((-len(data)) % 8)


def toks(*items: bytes | str) -> bytes:
    return b"".join(tok(x) for x in items)


MAGIC = tok("nix-archive-1")


def reg(data: bytes, executable: bool = False) -> bytes:
    """The NAR node of a regular file."""
    return (toks("(", "type", "regular") + (toks("executable", "") if executable else b"")
            + tok("contents") + tok(data) + tok(")"))


def link(target: str) -> bytes:
    return toks("(", "type", "symlink", "target", target, ")")


def directory(*entries: tuple[bytes | str, bytes]) -> bytes:
    out = toks("(", "type", "directory")
    for name, node in entries:
        out += toks("entry", "(", "name", name, "node") + node + tok(")")
    return out + tok(")")


def reference_nar(p: bytes) -> bytes:
    """A straightforward recursive NAR writer, to check the streaming one."""
    st_ = os.lstat(p)
    if stat.S_ISLNK(st_.st_mode):
        return link(os.fsdecode(os.readlink(p)))
    if stat.S_ISREG(st_.st_mode):
        with open(p, "rb") as f:
            return reg(f.read(), bool(st_.st_mode & 0o100))
    return directory(*[(n, reference_nar(p + b"/" + n)) for n in sorted(os.listdir(p))])


def make_tree(root: Path, node: Any) -> None:
    """Create ``node`` (see :data:`trees`) at ``root``."""
    kind = node[0]
    if kind == "file":
        root.write_bytes(node[1])
        root.chmod(0o755 if node[2] else 0o644)
    elif kind == "link":
        root.symlink_to(node[1])
    else:
        root.mkdir()
        for name, child in node[1].items():
            make_tree(root / name, child)


def read_tree(root: Path) -> Any:
    """The inverse of :func:`make_tree`."""
    st_ = root.lstat()
    if stat.S_ISLNK(st_.st_mode):
        return ("link", os.readlink(root))
    if stat.S_ISREG(st_.st_mode):
        return ("file", root.read_bytes(), bool(st_.st_mode & 0o100))
    return ("dir", {p.name: read_tree(p) for p in root.iterdir()})


def leftovers(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


def restore_bytes(data: bytes, target: Path, **kw: Any) -> Any:
    return restore_nar(io.BytesIO(data), target, **kw)


_names = st.text(st.characters(blacklist_characters="/\0", blacklist_categories=("Cs",)),
                 min_size=1, max_size=12).filter(lambda s: s not in (".", "..")
                                                 and len(s.encode()) <= 255)
_leaves = st.one_of(
    st.tuples(st.just("file"), st.binary(max_size=300), st.booleans()),
    st.tuples(st.just("link"), st.text(st.characters(blacklist_characters="\0",
                                                     blacklist_categories=("Cs",)),
                                       min_size=1, max_size=40)),
)
#: random trees: ("file", bytes, executable) | ("link", target) | ("dir", {name: tree})
trees = st.recursive(_leaves, lambda children: st.tuples(
    st.just("dir"), st.dictionaries(_names, children, max_size=5)), max_leaves=25)

_settings = settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])


# ------------------------------------------------------------------ writing


def test_write_matches_the_reference_writer(tmp_path: Path) -> None:
    make_tree(tmp_path / "t", ("dir", {
        "b": ("file", b"bee", False), "a": ("file", b"", True),
        "big": ("file", os.urandom(300_000), False),
        "l": ("link", "../x"), "sub": ("dir", {"z": ("file", b"zz", True), "e": ("dir", {})}),
    }))
    data = b"".join(iter_nar(tmp_path / "t"))
    assert data == MAGIC + reference_nar(os.fsencode(tmp_path / "t"))
    chunks: list[bytes] = []
    write_nar(tmp_path / "t", chunks.append)
    assert b"".join(chunks) == data
    assert nar_hash(tmp_path / "t") == (hashlib.sha256(data).digest(), len(data))


def test_write_a_single_file_and_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"hello")
    assert b"".join(iter_nar(tmp_path / "f")) == MAGIC + reg(b"hello")
    (tmp_path / "l").symlink_to("/gnu/store/x")
    assert b"".join(iter_nar(tmp_path / "l")) == MAGIC + link("/gnu/store/x")


def test_write_refuses_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(ValueError, match="not a regular file"):
        b"".join(iter_nar(tmp_path / "fifo"))


# ------------------------------------------------------------------ round trips


@_settings
@given(tree=trees)
def test_round_trip_of_random_trees(tmp_path_factory: pytest.TempPathFactory,
                                    tree: Any) -> None:
    base = tmp_path_factory.mktemp("rt")
    make_tree(base / "src", tree)
    data = b"".join(iter_nar(base / "src"))
    assert data == MAGIC + reference_nar(os.fsencode(base / "src"))
    out = base / "out"
    res = restore_bytes(data, out)
    assert res.sha256 == hashlib.sha256(data).digest() and res.size == len(data)
    assert read_tree(out) == read_tree(base / "src")
    assert b"".join(iter_nar(out)) == data
    assert leftovers(base) == ["out", "src"]


def test_restore_reports_hash_and_size(tmp_path: Path) -> None:
    data = MAGIC + directory(("a", reg(b"x" * 10)), ("b", link("a")))
    res = restore_bytes(data, tmp_path / "o")
    assert (res.sha256, res.size) == (hashlib.sha256(data).digest(), len(data))
    assert res.path == tmp_path / "o"
    assert check_nar(io.BytesIO(data).read) == (res.sha256, res.size)


def test_restore_checks_the_expected_hash_and_size(tmp_path: Path) -> None:
    data = MAGIC + directory(("a", reg(b"x" * 10)))
    good = hashlib.sha256(data).digest()
    with pytest.raises(SchemeError, match="hash mismatch"):
        restore_bytes(data, tmp_path / "o", expected_sha256=bytes(32))
    with pytest.raises(SchemeError, match="size mismatch"):
        restore_bytes(data, tmp_path / "o", expected_size=len(data) + 8)
    with pytest.raises(SchemeError, match="runs past its announced size"):
        restore_bytes(data, tmp_path / "o", expected_size=len(data) - 8)
    assert leftovers(tmp_path) == []
    restore_bytes(data, tmp_path / "o", expected_sha256=good, expected_size=len(data))
    assert (tmp_path / "o" / "a").read_bytes() == b"x" * 10


def test_restore_never_replaces_an_existing_target(tmp_path: Path) -> None:
    (tmp_path / "o").mkdir()
    with pytest.raises(SchemeError, match="already exists"):
        restore_bytes(MAGIC + reg(b"x"), tmp_path / "o")
    assert leftovers(tmp_path) == ["o"] and leftovers(tmp_path / "o") == []


def test_a_failing_check_leaves_nothing(tmp_path: Path) -> None:
    def check(p: Path) -> None:
        assert (p / "a").exists()
        raise RuntimeError("references do not match")

    with pytest.raises(RuntimeError):
        restore_bytes(MAGIC + directory(("a", reg(b"1"))), tmp_path / "o", check=check)
    assert leftovers(tmp_path) == []


def test_canonical_restore_is_read_only_with_mtime_1(tmp_path: Path) -> None:
    data = MAGIC + directory(("bin", directory(("hello", reg(b"#!", True)))),
                             ("doc", reg(b"d")), ("l", link("doc")))
    restore_bytes(data, tmp_path / "o", canonical=True)
    o = tmp_path / "o"
    assert stat.S_IMODE(o.stat().st_mode) == 0o555
    assert stat.S_IMODE((o / "bin" / "hello").stat().st_mode) == 0o555
    assert stat.S_IMODE((o / "doc").stat().st_mode) == 0o444
    assert (o / "doc").stat().st_mtime == 1 and o.stat().st_mtime == 1
    assert (o / "l").lstat().st_mtime == 1
    assert b"".join(iter_nar(o)) == data
    remove_tree(o)
    assert leftovers(tmp_path) == []


def test_restore_streams_in_constant_memory(tmp_path: Path) -> None:
    size = 48 << 20
    head = MAGIC + toks("(", "type", "regular", "contents") + size.to_bytes(8, "little")
    tail = tok(")")
    block = b"\x5a" * (1 << 20)

    def pieces() -> Iterator[bytes]:
        yield head
        for _ in range(size // len(block)):
            yield block
        yield tail

    it = pieces()
    pending = b""

    def read(n: int) -> bytes:
        nonlocal pending
        if not pending:
            pending = next(it, b"")
        out, pending = pending[:n], pending[n:]
        return out

    tracemalloc.start()
    try:
        res = restore_nar(read, tmp_path / "big")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert res.size == len(head) + size + len(tail)
    assert (tmp_path / "big").stat().st_size == size
    # the 1 MiB block is the generator's; the reader adds a few chunks at most
    assert peak < 8 << 20


def test_stale_temporaries_of_dead_processes_are_removed(tmp_path: Path) -> None:
    mine = temporary_sibling(tmp_path / "item")
    mine.mkdir()
    dead = tmp_path / ".item.tmp-999999999-abcdef"
    (dead / "sub").mkdir(parents=True)
    (dead / "sub").chmod(0o555)
    dead.chmod(0o555)
    (tmp_path / "kept").write_text("x")
    assert remove_stale_temporaries(tmp_path) == [dead]
    assert leftovers(tmp_path) == sorted([mine.name, "kept"])


# ------------------------------------------------------------------ refusals

BAD: dict[str, tuple[bytes, str]] = {
    "dot-dot name": (MAGIC + directory(("..", reg(b"x"))), "unsafe NAR: entry name '..'"),
    "dot name": (MAGIC + directory((".", reg(b"x"))), "unsafe NAR: entry name '.'"),
    "slash in name": (MAGIC + directory(("a/b", reg(b"x"))), "contains a slash"),
    "absolute name": (MAGIC + directory(("/etc", reg(b"x"))), "contains a slash"),
    "NUL in name": (MAGIC + directory(("a\0b", reg(b"x"))), "contains a NUL byte"),
    "empty name": (MAGIC + directory(("", reg(b"x"))), "empty entry name"),
    "duplicate entries": (MAGIC + directory(("a", reg(b"1")), ("a", reg(b"2"))),
                          "duplicates 'a'"),
    "unsorted entries": (MAGIC + directory(("b", reg(b"1")), ("a", reg(b"2"))),
                         "comes after 'b'"),
    "bad magic": (tok("nix-archive-2") + reg(b"x"), "expected \"nix-archive-1\""),
    "truncated contents": ((MAGIC + reg(b"0123456789"))[:len(MAGIC) + 60],
                           "truncated NAR"),
    "size past the stream": (MAGIC + toks("(", "type", "regular", "contents")
                             + (1 << 40).to_bytes(8, "little") + b"abc",
                             "truncated NAR"),
    "huge token length": (MAGIC + (1 << 62).to_bytes(8, "little"), "longer than"),
    "huge name": (MAGIC + toks("(", "type", "directory", "entry", "(", "name", "n" * 300),
                  "longer than the 255"),
    "non-zero padding in contents": (MAGIC + toks("(", "type", "regular", "contents")
                                     + (3).to_bytes(8, "little") + b"abc\0\0\0\0\1"
                                     + tok(")"), "non-zero padding after the contents"),
    "non-zero padding in a name": (MAGIC + toks("(", "type", "directory", "entry", "(",
                                                "name") + (1).to_bytes(8, "little")
                                   + b"a\0\0\0\0\0\0x", "non-zero padding"),
    "trailing data": (MAGIC + reg(b"x") + tok("junk"), "after the end of the archive"),
    "unknown node type": (MAGIC + toks("(", "type", "fifo", ")"), "unknown node type"),
    "executable with a value": (MAGIC + toks("(", "type", "regular", "executable", "yes",
                                             "contents", "", ")"), "empty string"),
    "empty symlink target": (MAGIC + link(""), "an empty target"),
    "NUL in symlink target": (MAGIC + link("a\0b"), "a NUL in its target"),
    "file where a directory entry was expected": (
        MAGIC + toks("(", "type", "directory", "contents", ""), "expected \"entry\" or \")\""),
    "entry inside a symlink": (MAGIC + toks("(", "type", "symlink", "entry"),
                               "expected \"target\""),
    "missing entry close": (MAGIC + toks("(", "type", "directory", "entry", "(", "name", "a",
                                         "node") + reg(b"x") + tok("entry"),
                            "expected \")\" closing a directory entry"),
    "empty stream": (b"", "truncated NAR"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_or_unsafe_nar_is_refused(tmp_path: Path, case: str) -> None:
    data, message = BAD[case]
    with pytest.raises(SchemeError) as e:
        restore_bytes(data, tmp_path / "o")
    assert message in str(e.value)
    assert e.value.condition is not None and e.value.condition.key.name == "nar-error"
    assert leftovers(tmp_path) == []
    with pytest.raises(SchemeError):
        check_nar(io.BytesIO(data).read)


def test_the_sample_nars_are_valid_apart_from_the_flaw(tmp_path: Path) -> None:
    # guard against the refusal tests passing for the wrong reason
    restore_bytes(MAGIC + directory(("a", reg(b"1")), ("b", reg(b"2"))), tmp_path / "o")
    restore_bytes(MAGIC + toks("(", "type", "regular", "executable", "", "contents", "",
                               ")"), tmp_path / "e")
    assert os.access(tmp_path / "e", os.X_OK)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_random_bytes_never_restore_anything(tmp_path: Path, data: bytes) -> None:
    before = leftovers(tmp_path)
    with pytest.raises(SchemeError):
        restore_bytes(data, tmp_path / "o")
    assert leftovers(tmp_path) == before


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200))
def test_random_bytes_after_the_magic_never_restore_anything(tmp_path: Path,
                                                             data: bytes) -> None:
    before = leftovers(tmp_path)
    with pytest.raises(SchemeError):
        restore_bytes(MAGIC + data, tmp_path / "o")
    assert leftovers(tmp_path) == before


_SAMPLE = MAGIC + directory(("bin", directory(("hello", reg(b"\x7fELF....", True)))),
                            ("lib", link("/gnu/store/x-glibc/lib")),
                            ("share", directory(("doc", reg(b"hello world\n")))))


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pos=st.integers(0, len(_SAMPLE) - 1), byte=st.integers(0, 255),
       how=st.sampled_from(["replace", "insert", "delete", "truncate"]))
def test_mutated_nars_are_refused_or_canonical(tmp_path_factory: pytest.TempPathFactory,
                                               pos: int, byte: int, how: str) -> None:
    base = tmp_path_factory.mktemp("mut")
    if how == "replace":
        data = _SAMPLE[:pos] + bytes([byte]) + _SAMPLE[pos + 1:]
    elif how == "insert":
        data = _SAMPLE[:pos] + bytes([byte]) + _SAMPLE[pos:]
    elif how == "delete":
        data = _SAMPLE[:pos] + _SAMPLE[pos + 1:]
    else:
        data = _SAMPLE[:pos]
    try:
        res = restore_bytes(data, base / "o")
    except SchemeError:
        assert leftovers(base) == []
        return
    # whatever is accepted is the one canonical encoding of what was restored
    assert b"".join(iter_nar(res.path)) == data
