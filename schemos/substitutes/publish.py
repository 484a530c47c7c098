"""Publishing store items as a binary cache, static on disk or served over HTTP.

A cache directory has Guix's layout, so ``guix substitute`` (or any Nix-style
client) can use it as a substitute URL::

    nix-cache-info                    StoreDir, WantMassQuery, Priority
    <hash>.narinfo                    signed narinfo of /gnu/store/<hash>-<name>
    nar/gzip/<hash>-<name>            the NAR, gzip-compressed
    nar/lzip/<hash>-<name>            … lzip
    nar/zstd/<hash>-<name>            … zstd
    nar/<hash>-<name>                 … uncompressed (``-C none``)

:func:`publish_item` reads the item once: the NAR is hashed, scanned for
references and compressed in every format in one pass, each NAR is renamed
into place, and the narinfo is written last, so a client never sees a
narinfo whose NARs are missing.  :func:`serve` serves a cache directory on
the loopback interface with keep-alive HTTP/1.1.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import re
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemos.fsutil import write_atomic
from schemos.store.disk import LocalStore
from schemos.store.nar import iter_nar, remove_tree, temporary_sibling
from schemos.store.paths import STORE_DIR
from schemos.substitutes import substitute_error
from schemos.substitutes.compression import compressor
from schemos.substitutes.narinfo import Narinfo, NarURL, check_store_path, make_narinfo
from schemos.substitutes.pki import SecretKey, sign_narinfo

NIX_CACHE_INFO = f"StoreDir: {STORE_DIR}\nWantMassQuery: 0\nPriority: 100\n"
_BASE32_RUN = re.compile(rb"[0123456789abcdfghijklmnpqrsvwxyz]{32,}")


def default_store_root() -> Path:
    """Where the store's items physically are (logically they are in ``/gnu/store``).

    ``$SCHEMOS_STORE``, else ``$XDG_DATA_HOME/schemos/store``, else
    ``~/.local/share/schemos/store``.
    """
    env = os.environ.get("SCHEMOS_STORE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME")
    return Path(xdg or Path.home() / ".local" / "share") / "schemos" / "store"


def existing_store(store_root: str | Path) -> LocalStore | None:
    """The store at ``store_root`` if it has a database (schemos made it), else ``None``."""
    if (Path(store_root) / ".schemos" / "db.sqlite").is_file():
        return LocalStore(store_root)
    return None


def recorded_info(store: LocalStore, basename: str) -> tuple[list[str], str | None] | None:
    """The references (base names) and deriver the store recorded for an item, if valid."""
    path = f"{store.store_dir}/{basename}"
    if not store.is_valid(path):
        return None
    info = store.query_path_info(path)
    if info is None:
        return None
    return [r.rsplit("/", 1)[1] for r in info["references"]], info["deriver"]


class ReferenceScanner:
    """Finds which of a set of store hash parts occur in a byte stream (as the daemon does).

    Feed it chunks; windows that straddle two chunks are seen too.
    """

    def __init__(self, hash_parts: Iterable[str]) -> None:
        self._wanted = {h.encode() for h in hash_parts}
        self.found: set[str] = set()
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        """Scan ``chunk`` (following the previous ones)."""
        if not self._wanted:
            return
        data = self._tail + chunk
        for m in _BASE32_RUN.finditer(data):
            run = m.group()
            for i in range(len(run) - 31):
                part = run[i:i + 32]
                if part in self._wanted:
                    self.found.add(part.decode())
        self._tail = data[-31:]


def store_items(store_root: str | Path) -> dict[str, str]:
    """The items of a store directory: hash part -> basename."""
    out = {}
    try:
        names = os.listdir(store_root)
    except FileNotFoundError:
        return out
    for name in names:
        if len(name) > 33 and name[32] == "-" and not name.startswith("."):
            out[name[:32]] = name
    return out


@dataclass
class Published:
    """What publishing one item wrote."""

    narinfo: Narinfo
    files: dict[str, Path]


def _nar_path(cache: Path, compression: str, basename: str) -> Path:
    return cache / "nar" / basename if compression == "none" else \
        cache / "nar" / compression / basename


def write_cache_info(cache: str | Path) -> None:
    """Write ``nix-cache-info`` (once)."""
    p = Path(cache) / "nix-cache-info"
    if not p.exists():
        Path(cache).mkdir(parents=True, exist_ok=True)
        write_atomic(p, NIX_CACHE_INFO.encode())


def publish_item(path: str | Path, cache: str | Path, key: SecretKey, *,
                 compressions: Iterable[tuple[str, int | None]] = (("gzip", None),),
                 references: Iterable[str] | None = None, deriver: str | None = None,
                 store_root: str | Path | None = None, host: str | None = None,
                 store_dir: str = STORE_DIR, store: LocalStore | None = None) -> Published:
    """Add the store item at ``path`` to the binary cache ``cache``, signed with ``key``.

    ``path``'s base name is the item's ``<hash>-<name>``; its store path is
    ``store_dir/<hash>-<name>``.  ``references`` (base names or store paths)
    default to those the store's database records (``store``, else the
    database of ``store_root`` if it has one), else to the items of
    ``store_root`` (the directory holding ``path``) whose hash occurs in the
    NAR.  ``compressions`` are (name, level or ``None``) pairs.
    """
    src = Path(path)
    basename = src.name
    store_path = f"{store_dir}/{basename}"
    try:
        check_store_path(store_path, store_dir)
    except ValueError as e:
        raise substitute_error("substitute-error", f"cannot publish {src}: {e}") from None
    if not os.path.lexists(src):
        raise substitute_error("substitute-error", f"cannot publish {src}: no such store item")
    root = Path(store_root) if store_root is not None else src.parent
    scanner: ReferenceScanner | None = None
    if references is None:
        opened = None
        if store is None:
            store = opened = existing_store(root)
        try:
            recorded = recorded_info(store, basename) if store is not None else None
        finally:
            if opened is not None:
                opened.close()
        if recorded is not None:
            references = recorded[0]
            deriver = deriver or recorded[1]
        else:
            scanner = ReferenceScanner(store_items(root))
    cache = Path(cache)
    write_cache_info(cache)
    comps = list(dict.fromkeys(compressions))
    outs: list[tuple[str, Path, Any, Any]] = []
    try:
        for name, level in comps:
            final = _nar_path(cache, name, basename)
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = temporary_sibling(final)
            outs.append((name, tmp, compressor(name, level), open(tmp, "xb")))
        h = hashlib.sha256()
        size = 0
        for chunk in iter_nar(src):
            h.update(chunk)
            size += len(chunk)
            if scanner is not None:
                scanner.feed(chunk)
            for _, _, comp, f in outs:
                data = comp.compress(chunk)
                if data:
                    f.write(data)
        files: dict[str, Path] = {}
        urls = []
        for name, tmp, comp, f in outs:
            f.write(comp.flush())
            f.close()
            final = _nar_path(cache, name, basename)
            os.replace(tmp, final)
            files[name] = final
            urls.append(NarURL(final.relative_to(cache).as_posix(), name,
                               final.stat().st_size))
    except BaseException:
        for _, tmp, _, f in outs:
            f.close()
            remove_tree(tmp)
        raise
    if scanner is not None:
        items = store_items(root)
        references = [items[h] for h in scanner.found if h in items]
    info = make_narinfo(store_path, h.digest(), size, list(references or []), urls, deriver)
    signed = sign_narinfo(info, key, host or socket.gethostname())
    p = cache / f"{basename[:32]}.narinfo"
    write_atomic(p, (signed.text or "").encode())
    files["narinfo"] = p
    return Published(signed, files)


def publish(items: Iterable[str | Path], cache: str | Path, key: SecretKey, *,
            compressions: Iterable[tuple[str, int | None]] = (("gzip", None),),
            store_root: str | Path | None = None, host: str | None = None,
            closure: bool = False) -> list[Published]:
    """Publish ``items`` (store paths or paths of items) to ``cache``.

    A store path ``/gnu/store/<hash>-<name>`` that does not exist as such is
    looked up in ``store_root`` (default :func:`default_store_root`).  With
    ``closure``, the items they refer to (per the recorded references) are
    published too.
    """
    root = Path(store_root) if store_root is not None else default_store_root()
    todo = [_locate(i, root) for i in items]
    done: dict[str, Published] = {}
    stores: dict[Path, LocalStore | None] = {}
    try:
        while todo:
            p = todo.pop()
            if p.name in done:
                continue
            if p.parent not in stores:
                stores[p.parent] = existing_store(p.parent)
            pub = publish_item(p, cache, key, compressions=compressions,
                               store_root=p.parent, host=host, store=stores[p.parent])
            done[p.name] = pub
            if closure:
                todo.extend(p.parent / r for r in pub.narinfo.references if r not in done)
    finally:
        for s in stores.values():
            if s is not None:
                s.close()
    return list(done.values())


def _locate(item: str | Path, root: Path) -> Path:
    p = Path(item)
    if os.path.lexists(p):
        return p
    candidate = root / p.name
    if os.path.lexists(candidate):
        return candidate
    raise substitute_error("substitute-error", f"{item}: no such store item (looked in "
                           f"{root} too)", hint="--store DIR says where the store is")


# ------------------------------------------------------------------ serving

class _CacheHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body leave in one segment: without this, Nagle's algorithm and
    # delayed ACKs stall every keep-alive request for 40 ms
    disable_nagle_algorithm = True
    wbufsize = 1 << 16
    extensions_map = {".narinfo": "text/x-nix-narinfo", "": "application/octet-stream"}

    def list_directory(self, path: Any) -> None:  # type: ignore[override]
        self.send_error(404, "Not found")
        return None

    def guess_type(self, path: Any) -> str:
        p = str(path)
        if p.endswith(".narinfo"):
            return "text/x-nix-narinfo"
        if p.endswith("nix-cache-info"):
            return "text/plain"
        return "application/x-nix-archive"

    def log_message(self, format: str, *args: Any) -> None:
        pass


class CacheServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server for one cache directory."""

    daemon_threads = True
    request_queue_size = 128


def make_server(cache: str | Path, port: int = 0, host: str = "127.0.0.1") -> CacheServer:
    """A server for ``cache`` bound to ``host:port`` (port 0: any free port)."""
    directory = str(Path(cache).resolve())

    def handler(*args: Any, **kw: Any) -> _CacheHandler:
        return _CacheHandler(*args, directory=directory, **kw)

    return CacheServer((host, port), handler)


def serve(cache: str | Path, port: int, host: str = "127.0.0.1") -> None:
    """Serve ``cache`` until interrupted."""
    with make_server(cache, port, host) as server:
        server.serve_forever()


def serve_in_thread(cache: str | Path, port: int = 0) -> tuple[CacheServer, str]:
    """Start serving ``cache`` in a daemon thread; return the server and its URL."""
    server = make_server(cache, port)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
