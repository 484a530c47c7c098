"""The root file system of a disk image, laid out in a directory.

This is what Guix's image builder does in its build container before it
runs ``mke2fs -d`` (``initialize-root-partition`` of ``(gnu build image)``
and the Hurd's ``hurd-initialize-root-partition``):

* the *directives* of ``(gnu build install)``: ``/gnu/store`` (group 30000,
  mode 1775), ``/etc``, ``/var/log``, ``/var/guix/gcroots``, ``/var/empty``,
  ``/var/db``, ``/var/run``, ``/run``, ``/mnt``,
  ``/var/guix/profiles/per-user/root``, the ``system`` →
  ``system-1-link`` profile link, the ``booted-system``, ``current-system``
  and ``profiles`` GC roots, ``/bin``, the sticky ``/tmp``, ``/var/tmp`` and
  ``/var/lock``, ``/root`` and ``/home``;
* generation 1 of the system profile, ``/var/guix/profiles/system-1-link``
  pointing at the system's store item;
* for the Hurd, ``make-hurd-device-nodes``: ``/dev``, and ``/servers`` with
  one small read-only file per server name (``startup``, ``exec``, ``proc``…)
  and an empty ``/servers/socket``; the passive translators are set at first
  boot;
* the store: every item of the closure, copied (hard-linked when the store
  is on the same file system) under ``/gnu/store``, timestamps reset to 1 as
  the daemon leaves them;
* the store database ``/var/guix/db/db.sqlite``, Nix's schema, registering
  the closure with its NAR hashes, sizes, references and derivers and
  registration time 1 (Guix registers image closures at the epoch too); in
  rollback-journal mode, as Guix makes it for the Hurd (WAL does not work
  there);
* ``/boot/grub/grub.cfg``, a copy of the bootloader configuration
  (``install-boot-config``).

Every time stamp in the tree is set to 1 so that the file system made from
it does not depend on when it was built.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from schemos.store.disk import _SCHEMA, LocalStore

#: the group that owns /gnu/store in Guix (guixbuild's fixed GID)
STORE_GID = 30000

#: the servers whose nodes ``make-hurd-device-nodes`` creates
HURD_SERVERS = ("startup", "exec", "proc", "password", "default-pager",
                "crash-dump-core", "kill", "suspend")


@dataclass
class StoreItem:
    """One item of the closure to copy and register."""

    path: str                 #: /gnu/store/…
    nar_hash: str             #: "sha256:<hex>", as the database stores it
    nar_size: int
    references: list[str]
    deriver: str | None


def _directives(store_dir: str) -> list[tuple]:
    # (gnu build install)'s directives, in its order
    return [
        ("directory", store_dir, 0, STORE_GID, 0o1775),
        ("directory", "/etc"),
        ("directory", "/var/log"),
        ("directory", "/var/guix/gcroots"),
        ("directory", "/var/empty"),
        ("directory", "/var/db"),
        ("directory", "/var/run"),
        ("directory", "/run"),
        ("directory", "/mnt"),
        ("directory", "/var/guix/profiles/per-user/root", 0, 0),
        ("link", "/var/guix/profiles/system", "system-1-link"),
        ("link", "/var/guix/gcroots/booted-system", "/run/booted-system"),
        ("link", "/var/guix/gcroots/current-system", "/run/current-system"),
        ("link", "/var/guix/gcroots/profiles", "/var/guix/profiles"),
        ("directory", "/bin"),
        ("directory", "/tmp", 0, 0, 0o1777),
        ("directory", "/var/tmp", 0, 0, 0o1777),
        ("directory", "/var/lock", 0, 0, 0o1777),
        ("directory", "/root", 0, 0),
        ("directory", "/home", 0, 0),
    ]


def _chown(path: Path, uid: int, gid: int) -> None:
    # only root may give files away; an unprivileged build keeps its own ids
    # (mke2fs's root_owner still makes / root's), and so does the "root" of a
    # user namespace (a local build's), which has no group 30000
    if os.geteuid() == 0:
        try:
            os.lchown(path, uid, gid)
        except OSError:
            pass


def populate_root_file_system(root: Path, system: str, *, store_dir: str = "/gnu/store") -> None:
    """Make the essential non-store files, directories and links under ``root``."""
    for d in _directives(store_dir):
        if d[0] == "directory":
            p = root / d[1].lstrip("/")
            p.mkdir(parents=True, exist_ok=True)
            if len(d) >= 4:
                _chown(p, d[2], d[3])
            if len(d) == 5:
                os.chmod(p, d[4])
        else:
            p = root / d[1].lstrip("/")
            p.parent.mkdir(parents=True, exist_ok=True)
            if p.is_symlink():
                p.unlink()
            os.symlink(d[2], p)
    gen1 = root / "var/guix/profiles/system-1-link"
    if gen1.is_symlink():
        gen1.unlink()
    os.symlink(system, gen1)


def make_hurd_device_nodes(root: Path) -> None:
    """``/dev`` and ``/servers`` as Guix's ``make-hurd-device-nodes`` makes them."""
    (root / "dev").mkdir(exist_ok=True)
    servers = root / "servers"
    servers.mkdir(exist_ok=True)
    for name in HURD_SERVERS:
        f = servers / name
        f.write_text(name)      # its own name, so that no two are hard-linked
        os.chmod(f, 0o444)
    (servers / "socket").mkdir(exist_ok=True)


def closure_items(store: LocalStore, roots: Iterable[str]) -> list[StoreItem]:
    """Every item ``roots`` refer to, directly or not, sorted by path."""
    store.flush()
    items = []
    for p in sorted(store.requisites(roots)):
        info = store.query_path_info(p)
        if info is None:
            from schemos.store.disk import StoreError

            raise StoreError(f"path is not valid: {p}")
        items.append(StoreItem(p, info["hash"], info["nar_size"], info["references"],
                               info["deriver"]))
    return items


def _copy_item(src: Path, dst: Path, *, link: bool) -> int:
    """Copy the store item ``src`` to ``dst`` (hard links for files when ``link``).

    Returns the number of bytes of regular files.
    """
    total = 0
    st = os.lstat(src)
    if stat.S_ISLNK(st.st_mode):
        os.symlink(os.readlink(src), dst)
        return 0
    if stat.S_ISREG(st.st_mode):
        _copy_file(src, dst, link=link)
        return st.st_size
    dst.mkdir()
    for name in sorted(os.listdir(src)):
        total += _copy_item(src / name, dst / name, link=link)
    os.chmod(dst, 0o555)
    return total


def _copy_file(src: Path, dst: Path, *, link: bool) -> None:
    if link:
        try:
            os.link(src, dst)
            return
        except OSError:
            pass
    shutil.copyfile(src, dst)
    mode = os.lstat(src).st_mode
    os.chmod(dst, 0o555 if mode & 0o111 else 0o444)


def populate_store(root: Path, store: LocalStore | str | Path, items: list[StoreItem], *,
                   store_dir: str = "/gnu/store",
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Copy ``items`` from ``store`` to ``root``'s store; returns the bytes copied.

    ``progress(done, total)`` is called after each item, in bytes (the
    items' NAR sizes).

    ``store`` is a :class:`LocalStore` or the directory holding the items
    (the physical root of a store, where ``/gnu/store/abc…-x`` is
    ``STORE/abc…-x``), as a build of the image derivation sees it.
    """
    if isinstance(store, LocalStore):
        if store.root is None:
            from schemos.store.disk import StoreError

            raise StoreError("an in-memory store has no files to copy")
        source = Path(store.root)
    else:
        source = Path(store)
    target = root / store_dir.lstrip("/")
    target.mkdir(parents=True, exist_ok=True)
    link = os.stat(source).st_dev == os.stat(target).st_dev
    total = 0
    # progress in bytes of the items' NAR sizes, which are known in advance
    expected = sum(item.nar_size for item in items)
    done = 0
    for item in items:
        src = source / Path(item.path).name
        total += _copy_item(src, target / Path(item.path).name, link=link)
        done += item.nar_size
        if progress:
            progress(done, expected)
    return total


def register_closure(root: Path, items: list[StoreItem], *, wal: bool = False,
                     registration_time: int = 1) -> Path:
    """Write ``root/var/guix/db/db.sqlite`` registering ``items``; return its path.

    Items are inserted in path order so that the database file is the same
    bytes for the same closure.
    """
    dbdir = root / "var/guix/db"
    dbdir.mkdir(parents=True, exist_ok=True)
    path = dbdir / "db.sqlite"
    if path.exists():
        path.unlink()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(f"PRAGMA journal_mode = {'WAL' if wal else 'DELETE'}")
        conn.execute("BEGIN")
        for stmt in _SCHEMA.split(";"):
            if stmt.strip():
                conn.execute(stmt)
        ids: dict[str, int] = {}
        for item in items:
            cur = conn.execute(
                "INSERT INTO ValidPaths (path, hash, registrationTime, deriver, narSize) "
                "VALUES (?, ?, ?, ?, ?)",
                (item.path, item.nar_hash, registration_time, item.deriver, item.nar_size))
            ids[item.path] = int(cur.lastrowid or 0)
        for item in items:
            for ref in item.references:
                conn.execute("INSERT OR IGNORE INTO Refs (referrer, reference) VALUES (?, ?)",
                             (ids[item.path], ids[ref]))
        conn.execute("COMMIT")
    finally:
        conn.close()
    return path


def install_boot_config(root: Path, bootcfg: Path, location: str = "/boot/grub/grub.cfg") -> None:
    """Copy ``bootcfg`` to ``location`` under ``root``, as ``install-boot-config``."""
    target = root / location.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    pivot = target.with_name(target.name + ".new")
    shutil.copyfile(bootcfg, pivot)
    os.chmod(pivot, 0o444)
    os.replace(pivot, target)


def reset_timestamps(root: Path, when: int = 1) -> None:
    """Set the access and modification times of everything under ``root``."""
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames + dirnames:
            p = os.path.join(dirpath, name)
            try:
                os.utime(p, (when, when), follow_symlinks=False)
            except PermissionError:
                # a hard link into a read-only store: the store's files
                # already have time 1
                pass
    os.utime(root, (when, when))
