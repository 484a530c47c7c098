"""Fetching substitutes: narinfos and NARs from substitute URLs, checked, into a store.

For each item asked for, the substitute URLs are tried in order.  A server's
narinfo is used only if it describes exactly that store path and carries a
valid signature by a key of the ACL; its references are substituted first
(the store holds closures), then the NAR is downloaded, decompressed and
restored as it streams, and checked against ``NarHash`` and ``NarSize``.
The item appears in the store by a single rename once everything checked out,
and is then registered in the store's database (:class:`LocalStore`: NAR
hash and size, references, deriver), so a fetch that fails, or is killed,
leaves no new valid item (a killed process leaves a hidden temporary,
removed by the next fetch, or an unregistered item, registered by the next
fetch once its NAR hash checks out).  An item for
which no server has a valid narinfo is refused with every server's reason.

URLs may be ``http://``, ``https://`` or ``file://``; HTTP connections are
kept alive, one per thread.
"""

from __future__ import annotations

import http.client
import os
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemos.store.disk import LocalStore
from schemos.store.nar import nar_hash, remove_stale_temporaries, remove_tree, restore_nar
from schemos.store.paths import STORE_DIR
from schemos.substitutes import substitute_error
from schemos.substitutes.compression import DecompressingReader, readable_compressions
from schemos.substitutes.narinfo import (
    Narinfo,
    best_url,
    check_store_path,
    parse_narinfo,
)
from schemos.substitutes.pki import PublicKey, verify_narinfo

#: Guix's default substitute URLs
DEFAULT_SUBSTITUTE_URLS = ("https://ci.guix.gnu.org", "https://bordeaux.guix.gnu.org")
#: the largest narinfo or nix-cache-info accepted
MAX_NARINFO = 1 << 20


class NotFound(Exception):
    """The server has no such file (HTTP 404, missing file)."""


def check_substitute_urls(urls: Iterable[str]) -> None:
    """Refuse, before any work, substitute URLs that cannot name a binary cache.

    Each URL must be ``http://HOST…``, ``https://HOST…`` or ``file://DIR``
    with DIR an existing directory (a ``file://`` cache is a plain
    directory: one that is not there is a mistyped name, not a server that
    is down).  Raises a ``substitute-error`` naming the URL, with a hint.
    """
    for url in urls:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https", "file"):
            raise substitute_error("substitute-error", f"unsupported substitute URL: {url}",
                                   hint="use http://, https:// or file:// URLs "
                                   "(several are separated by spaces)")
        if parts.scheme in ("http", "https") and not parts.netloc:
            raise substitute_error("substitute-error",
                                   f"substitute URL without a host name: {url}",
                                   hint=f"write {parts.scheme}://HOST[:PORT][/PATH]")
        if parts.scheme == "file":
            hint = ("a file:// URL names a directory holding a binary cache (made by "
                    "'schemos publish --cache DIR' or scripts/make-test-cache DIR), "
                    "written file:///ABSOLUTE/DIR")
            if parts.netloc not in ("", "localhost"):
                raise substitute_error(
                    "substitute-error", f"{url}: a file:// URL names no host",
                    hint=f"{hint}: here {parts.netloc!r} is read as a host name")
            if not Path(urllib.parse.unquote(parts.path)).is_dir():
                raise substitute_error("substitute-error", f"{url}: no such cache directory",
                                       hint=hint)


class CacheClient:
    """Access to one binary cache (``http://``, ``https://`` or ``file://`` URL)."""

    def __init__(self, url: str, timeout: float = 60.0) -> None:
        self.url = url.rstrip("/")
        parts = urllib.parse.urlsplit(self.url)
        self.scheme = parts.scheme
        if self.scheme not in ("http", "https", "file"):
            raise substitute_error("substitute-error", f"unsupported substitute URL: {url}",
                                   hint="use http://, https:// or file:// URLs")
        self._netloc = parts.netloc
        self._prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self._local = threading.local()
        self._info: dict[str, str] | None = None

    # -- transport
    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            cls = http.client.HTTPSConnection if self.scheme == "https" else \
                http.client.HTTPConnection
            conn = cls(self._netloc, timeout=self.timeout)
            self._local.conn = conn
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _request(self, rel: str) -> http.client.HTTPResponse:
        path = f"{self._prefix}/{urllib.parse.quote(rel)}"
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
            except (ConnectionError, http.client.HTTPException, OSError):
                self._drop()
                if attempt == 2:
                    raise
                continue
            if resp.status == 404:
                resp.read()
                raise NotFound(rel)
            if resp.status != 200:
                resp.read()
                raise substitute_error("substitute-error", f"{self.url}/{rel}: HTTP "
                                       f"{resp.status} {resp.reason}")
            return resp
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, rel: str, limit: int = MAX_NARINFO) -> bytes:
        """The whole (small) file ``rel``; :class:`NotFound` if absent."""
        if self.scheme == "file":
            p = Path(urllib.parse.unquote(self._prefix)) / rel
            try:
                with open(p, "rb") as f:
                    data = f.read(limit + 1)
            except (FileNotFoundError, NotADirectoryError):
                raise NotFound(rel) from None
        else:
            resp = self._request(rel)
            data = resp.read(limit + 1)
            if len(data) > limit:
                self._drop()
            elif not resp.isclosed():
                resp.read()
        if len(data) > limit:
            raise substitute_error("substitute-error", f"{self.url}/{rel} is larger than "
                                   f"{limit} bytes")
        return data

    def open(self, rel: str) -> Any:
        """A binary stream of the file ``rel`` (close it when done)."""
        if self.scheme == "file":
            p = Path(urllib.parse.unquote(self._prefix)) / rel
            try:
                return open(p, "rb")
            except (FileNotFoundError, NotADirectoryError):
                raise NotFound(rel) from None
        return _Response(self, self._request(rel))

    # -- protocol
    def cache_info(self) -> dict[str, str]:
        """The fields of ``nix-cache-info``."""
        if self._info is None:
            try:
                text = self.get("nix-cache-info").decode("utf-8", "replace")
            except NotFound:
                raise substitute_error("substitute-error",
                                       f"{self.url} is not a binary cache (no nix-cache-info)"
                                       ) from None
            info = {}
            for line in text.splitlines():
                k, sep, v = line.partition(":")
                if sep:
                    info[k.strip()] = v.strip()
            self._info = info
        return self._info

    def narinfo(self, hash_part: str) -> Narinfo | None:
        """The narinfo for ``hash_part``, or ``None`` if the cache does not have it."""
        try:
            data = self.get(f"{hash_part}.narinfo")
        except NotFound:
            return None
        return parse_narinfo(data, source=f"{self.url}/{hash_part}.narinfo")

    def close(self) -> None:
        """Close this thread's connection."""
        self._drop()


class _Response:
    """A streaming HTTP body; closing it early drops the connection."""

    def __init__(self, client: CacheClient, resp: http.client.HTTPResponse) -> None:
        self._client = client
        self._resp = resp

    def read(self, n: int = -1) -> bytes:
        return self._resp.read(n) if n >= 0 else self._resp.read()

    def close(self) -> None:
        if not self._resp.isclosed():
            self._client._drop()

    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Substituter:
    """Fetches store items into the store at ``store_root`` from ``urls``, trusting ``acl``.

    Items are registered in the store's database (:class:`LocalStore`) with
    their NAR hash, size, references and deriver, as the daemon registers
    substitutes.  Narinfo lookups are cached for the substituter's life,
    refusals too; :meth:`prefetch` looks many up at once with a pool of
    threads.
    """

    urls: list[str]
    store_root: Path
    acl: list[PublicKey]
    store_dir: str = STORE_DIR
    log: Callable[[str], None] | None = None
    store: LocalStore | None = None
    workers: int = 8
    _clients: list[CacheClient] = field(default_factory=list, init=False)
    _found: dict[str, tuple[CacheClient, Narinfo]] = field(default_factory=dict, init=False)
    _refused: dict[str, str] = field(default_factory=dict, init=False)
    _own_store: bool = field(default=False, init=False)
    #: base names of the items this substituter fetched, in order
    fetched: list[str] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.store_root = Path(self.store_root)
        self._clients = [CacheClient(u) for u in self.urls]
        if self.store is None:
            self.store = LocalStore(self.store_root, store_dir=self.store_dir)
            self._own_store = True
        elif self.store.root is not None:
            self.store_root = self.store.root
        migrate_legacy_records(self.store)

    def _say(self, message: str) -> None:
        if self.log is not None:
            self.log(message)

    def valid(self, basename: str) -> bool:
        """True if the item is a valid item of the store."""
        assert self.store is not None
        return self.store.is_valid(f"{self.store_dir}/{basename}")

    def _ask(self, basename: str) -> tuple[CacheClient, Narinfo] | str:
        """Ask the servers in order; the first valid offer, or why none is."""
        store_path = f"{self.store_dir}/{basename}"
        reasons = []
        for client in self._clients:
            try:
                store = client.cache_info().get("StoreDir", STORE_DIR)
                if store != self.store_dir:
                    reasons.append(f"{client.url}: its store is {store}, not {self.store_dir}")
                    continue
                info = client.narinfo(basename[:32])
            except Exception as e:
                reasons.append(f"{client.url}: {_message(e)}")
                continue
            if info is None:
                reasons.append(f"{client.url}: no substitute")
                continue
            if info.store_path != store_path:
                reasons.append(f"{client.url}: narinfo is for {info.store_path}")
                continue
            verdict = verify_narinfo(info, self.acl)
            if not verdict.valid:
                reasons.append(f"{client.url}: {verdict.status}: {verdict.reason}")
                continue
            if best_url(info, readable_compressions()) is None:
                reasons.append(f"{client.url}: no NAR in a compression schemos can read")
                continue
            return client, info
        if not self._clients:
            reasons.append("no substitute URLs")
        return "; ".join(reasons)

    def prefetch(self, items: Iterable[str], closure: bool = True) -> None:
        """Look up the narinfos of ``items`` (store paths or base names) in parallel.

        With ``closure``, the references of what is offered are looked up
        too, level by level, so that fetching the items later asks nothing
        more.  Items already valid are not looked up.
        """
        todo = list(dict.fromkeys(i.rsplit("/", 1)[-1] for i in items))
        for c in self._clients:              # once, before the threads share them
            try:
                c.cache_info()
            except Exception:  # noqa: BLE001 - reported per item by _ask
                pass
        seen: set[str] = set()
        while todo:
            wanted = [b for b in todo if b not in seen and b not in self._found
                      and b not in self._refused and not self.valid(b)]
            seen.update(todo)
            if not wanted:
                break
            if len(wanted) == 1 or self.workers <= 1:
                answers = [self._ask(b) for b in wanted]
            else:
                with ThreadPoolExecutor(max_workers=min(self.workers, len(wanted))) as pool:
                    try:
                        answers = list(pool.map(self._ask, wanted))
                    finally:
                        for _ in range(min(self.workers, len(wanted))):
                            pool.submit(self._close_thread)
            todo = []
            for b, answer in zip(wanted, answers, strict=True):
                if isinstance(answer, str):
                    self._refused[b] = answer
                else:
                    self._found[b] = answer
                    if closure:
                        todo.extend(r for r in answer[1].references if r != b)

    def _close_thread(self) -> None:
        for c in self._clients:
            c.close()

    def offered(self, item: str) -> bool:
        """True if a server validly offers ``item`` (store path or base name)."""
        basename = item.rsplit("/", 1)[-1]
        if basename not in self._found and basename not in self._refused:
            self.prefetch([basename], closure=False)
        return basename in self._found

    def refusal(self, item: str) -> str | None:
        """Why ``item`` cannot be substituted (every server's reason), if it was refused."""
        return self._refused.get(item.rsplit("/", 1)[-1])

    def lookup(self, basename: str) -> tuple[CacheClient, Narinfo]:
        """The first server with a valid, authorized narinfo for ``basename``."""
        if basename not in self._found and basename not in self._refused:
            answer = self._ask(basename)
            if isinstance(answer, str):
                self._refused[basename] = answer
            else:
                self._found[basename] = answer
        if basename in self._found:
            return self._found[basename]
        raise substitute_error(
            "substitute-error",
            f"cannot substitute {self.store_dir}/{basename}: {self._refused[basename]}",
            hint="items need a valid signature from a key in the ACL "
            "('schemos archive --authorize')")

    def ensure(self, item: str) -> Path:
        """Make ``item`` (store path or base name) and its closure valid; return its path."""
        assert self.store is not None
        basename = item.rsplit("/", 1)[-1]
        try:
            check_store_path(f"{self.store_dir}/{basename}", self.store_dir)
        except ValueError as e:
            raise substitute_error("substitute-error", str(e)) from None
        remove_stale_temporaries(self.store_root)
        try:
            self._ensure(basename, [])
        finally:
            self.store.flush()
        return self.store_root / basename

    def _ensure(self, basename: str, stack: list[str]) -> None:
        if self.valid(basename):
            return
        if basename in stack:
            raise substitute_error("substitute-error", "reference cycle: "
                                   + " -> ".join(stack + [basename]))
        client, info = self.lookup(basename)
        for ref in info.references:
            if ref != basename:
                self._ensure(ref, stack + [basename])
        self._fetch(client, info, basename)

    def _fetch(self, client: CacheClient, info: Narinfo, basename: str) -> None:
        assert self.store is not None
        url = best_url(info, readable_compressions())
        assert url is not None
        rel = url.url
        if "://" in rel:                     # an absolute URL on the same server
            rel = urllib.parse.urlsplit(rel).path.lstrip("/")
        self.store_root.mkdir(parents=True, exist_ok=True)
        target = self.store_root / basename
        refs = [f"{self.store_dir}/{r}" for r in info.references]
        if os.path.lexists(target):
            # on disk but not valid: a fetch killed between its rename and its
            # registration, or a leftover; keep it if it is what the narinfo says
            if nar_hash(target) == (info.nar_sha256, info.nar_size):
                self.store.register_item(info.store_path, info.nar_sha256, info.nar_size,
                                         refs, info.deriver_path(self.store_dir))
                self.fetched.append(basename)
                return
            remove_tree(target)
        self._say(f"substituting {info.store_path}...")
        self._say(f"downloading from {client.url}/{rel} ...")
        stream = client.open(rel)
        try:
            reader = DecompressingReader(stream.read, url.compression)
            restore_nar(reader.read, target, expected_sha256=info.nar_sha256,
                        expected_size=info.nar_size, canonical=True)
        except Exception as e:
            raise substitute_error("substitute-error",
                                   f"substitute of {info.store_path} from {client.url} "
                                   f"refused: {_message(e)}") from e
        finally:
            stream.close()
        # renamed into place, then registered: a process killed in between
        # leaves an item that is not valid, checked and registered next time
        self.store.register_item(info.store_path, info.nar_sha256, info.nar_size, refs,
                                 info.deriver_path(self.store_dir))
        self.fetched.append(basename)

    def close(self) -> None:
        """Close the connections of this thread (and the store, if this opened it)."""
        for c in self._clients:
            c.close()
        if self._own_store and self.store is not None:
            self.store.close()


def migrate_legacy_records(store: LocalStore) -> int:
    """Register the items an older schemos recorded in ``<store>/.narinfo/`` files.

    Earlier versions recorded substituted items there instead of in the
    database.  Each recorded item still on disk is registered (references
    first; one whose references are missing is left out), then the
    directory is removed.  Returns how many items were registered.
    """
    if store.root is None:
        return 0
    legacy = store.root / ".narinfo"
    if not legacy.is_dir():
        return 0
    infos: dict[str, Narinfo] = {}
    for f in sorted(legacy.glob("*.narinfo")):
        try:
            info = parse_narinfo(f.read_bytes(), source=str(f), store=store.store_dir)
        except Exception:  # noqa: BLE001 - a damaged record is just dropped
            continue
        if os.path.lexists(store.physical(info.store_path)):
            infos[info.store_path] = info
    done = 0
    progress = True
    while infos and progress:
        progress = False
        for path, info in sorted(infos.items()):
            refs = [f"{store.store_dir}/{r}" for r in info.references]
            if all(r == path or store.is_valid(r) for r in refs):
                if not store.is_valid(path):
                    store.register_item(path, info.nar_sha256, info.nar_size, refs,
                                        info.deriver_path(store.store_dir))
                    done += 1
                del infos[path]
                progress = True
    store.flush()
    remove_tree(legacy)
    return done


def _message(e: BaseException) -> str:
    c = getattr(e, "condition", None)
    if c is not None:
        return c.formatted_message()
    return str(e) or type(e).__name__


def substitute(items: Iterable[str], urls: Iterable[str], store_root: str | Path,
               acl: Iterable[PublicKey], log: Callable[[str], None] | None = None
               ) -> list[Path]:
    """Fetch ``items`` (store paths) and their closures into the store at ``store_root``.

    Each item is registered in the store's database.  Raises a
    ``substitute-error`` condition naming the first item that no server
    offers with a valid signature by a key of ``acl``.
    """
    s = Substituter(list(urls), Path(store_root), list(acl), log=log)
    try:
        s.prefetch(items)
        return [s.ensure(i) for i in items]
    finally:
        s.close()
