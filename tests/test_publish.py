"""Publishing a binary cache, serving it, fetching from it, and the weather."""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schemos.errors import SchemeError
from schemos.store.nar import iter_nar, nar_hash
from schemos.store.paths import source_path
from schemos.substitutes import pki
from schemos.substitutes.client import substitute
from schemos.substitutes.compression import DecompressingReader, available_compressions
from schemos.substitutes.narinfo import parse_narinfo
from schemos.substitutes.publish import (
    ReferenceScanner,
    make_server,
    publish,
    serve_in_thread,
)
from schemos.substitutes.weather import weather

ALL = [(c, None) for c in available_compressions() if c in ("gzip", "lzip", "zstd")]


def add_item(store: Path, name: str, files: dict[str, bytes | str]) -> str:
    """Make a store item in ``store`` from ``files``; return its store path."""
    src = store.parent / f"build-{name}"
    src.mkdir()
    for rel, content in files.items():
        p = src / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str) and content.startswith("->"):
            p.symlink_to(content[2:])
        else:
            p.write_bytes(content.encode() if isinstance(content, str) else content)
            if rel.startswith("bin/"):
                p.chmod(0o755)
    digest, _ = nar_hash(src)
    path = source_path(name, digest)
    store.mkdir(exist_ok=True)
    os.rename(src, store / path.rsplit("/", 1)[1])
    return path


@pytest.fixture()
def world(tmp_path: Path) -> dict[str, Any]:
    """A store with three items (app -> lib -> data), a key and an ACL trusting it."""
    store = tmp_path / "store"
    data = add_item(store, "data", {"share/big": os.urandom(300_000) + b"z" * 200_000})
    lib = add_item(store, "lib", {"lib/libx.so": b"\x7fELF" + os.urandom(5000),
                                  "share/data": "->" + data + "/share/big"})
    app = add_item(store, "app", {"bin/app": f"#!/bin/sh\nexec {lib}/lib/libx.so\n",
                                  "etc/conf": "x" * 100})
    key = pki.generate_key_pair()
    acl = tmp_path / "acl"
    pki.authorize_key(key.public, acl)
    return {"store": store, "items": [data, lib, app], "key": key, "acl": acl,
            "tmp": tmp_path}


def base(path: str) -> str:
    return path.rsplit("/", 1)[1]


def visible(directory: Path) -> list[str]:
    return sorted(n for n in os.listdir(directory) if not n.startswith(".")) \
        if directory.exists() else []


# ------------------------------------------------------------------ publishing


def test_publish_writes_a_signed_cache(world: dict[str, Any]) -> None:
    data, lib, app = world["items"]
    cache = world["tmp"] / "cache"
    done = publish([app], cache, world["key"], compressions=ALL, store_root=world["store"],
                   closure=True, host="test-host")
    assert sorted(p.narinfo.store_path for p in done) == sorted([data, lib, app])
    assert (cache / "nix-cache-info").read_text() == \
        "StoreDir: /gnu/store\nWantMassQuery: 0\nPriority: 100\n"
    info = parse_narinfo((cache / f"{base(app)[:32]}.narinfo").read_bytes())
    assert info.references == [base(lib)]                 # found by scanning the NAR
    assert [u.compression for u in info.urls] == [c for c, _ in ALL]
    assert pki.verify_narinfo(info, [world["key"].public]).valid
    assert parse_narinfo((cache / f"{base(lib)[:32]}.narinfo").read_bytes()).references \
        == [base(data)]
    digest, size = nar_hash(world["store"] / base(app))
    assert (info.nar_sha256, info.nar_size) == (digest, size)
    nar = b"".join(iter_nar(world["store"] / base(app)))
    for u in info.urls:
        f = cache / u.url
        assert u.url == f"nar/{u.compression}/{base(app)}"
        assert f.stat().st_size == u.file_size
        with open(f, "rb") as fh:
            assert DecompressingReader(fh.read, u.compression).read(-1) == nar
    assert not [p for p in cache.rglob(".*")]             # no temporaries left


def test_reference_scanner_sees_hashes_across_chunks() -> None:
    h1, h2, h3 = "a" * 32, "0123456789abcdfghijklmnpqrsvwxyz", "z" * 32
    s = ReferenceScanner([h1, h2, h3])
    data = b"\0/gnu/store/" + h2.encode() + b"-x\0" + b"xx" + h1.encode() + b"\0"
    for i in range(0, len(data), 5):
        s.feed(data[i:i + 5])
    assert s.found == {h1, h2}
    s = ReferenceScanner([h2])
    s.feed(b"aaaa" + h2.encode())          # preceded by more base32 characters
    assert s.found == {h2}


# ------------------------------------------------------------------ fetching


def test_end_to_end_over_http(world: dict[str, Any]) -> None:
    data, lib, app = world["items"]
    cache = world["tmp"] / "cache"
    publish([app], cache, world["key"], compressions=ALL, store_root=world["store"],
            closure=True)
    server, url = serve_in_thread(cache)
    try:
        fresh = world["tmp"] / "fresh"
        log: list[str] = []
        got = substitute([app], [url], fresh, pki.load_acl(world["acl"]), log=log.append)
        assert got == [fresh / base(app)]
        assert visible(fresh) == sorted(base(p) for p in (data, lib, app))
        for p in (data, lib, app):
            assert b"".join(iter_nar(fresh / base(p))) == \
                b"".join(iter_nar(world["store"] / base(p)))
        assert (fresh / base(app) / "bin" / "app").stat().st_mode & 0o777 == 0o555
        assert (fresh / base(app)).stat().st_mtime == 1
        assert any("substituting" in m for m in log)
        # everything is there: nothing more is downloaded
        log.clear()
        substitute([app], [url], fresh, pki.load_acl(world["acl"]), log=log.append)
        assert log == []
    finally:
        server.shutdown()
        server.server_close()


def test_file_urls_and_fallback_to_the_next_server(world: dict[str, Any]) -> None:
    _, _, app = world["items"]
    cache = world["tmp"] / "cache"
    publish([app], cache, world["key"], store_root=world["store"], closure=True)
    empty = world["tmp"] / "empty"
    (empty).mkdir()
    (empty / "nix-cache-info").write_text("StoreDir: /gnu/store\n")
    fresh = world["tmp"] / "fresh"
    substitute([app], [f"file://{empty}", f"file://{cache}"], fresh,
               [world["key"].public])
    assert base(app) in visible(fresh)


def test_unauthorized_substitutes_are_refused(world: dict[str, Any]) -> None:
    _, _, app = world["items"]
    cache = world["tmp"] / "cache"
    publish([app], cache, world["key"], store_root=world["store"], closure=True)
    fresh = world["tmp"] / "fresh"
    stranger = pki.generate_key_pair().public
    with pytest.raises(SchemeError) as e:
        substitute([app], [f"file://{cache}"], fresh, [stranger])
    msg = str(e.value)
    assert "cannot substitute" in msg and "unauthorized-key" in msg
    assert visible(fresh) == []


def test_tampered_narinfo_and_nar_are_refused(world: dict[str, Any]) -> None:
    data, _, _ = world["items"]
    cache = world["tmp"] / "cache"
    publish([data], cache, world["key"], store_root=world["store"])
    narinfo = cache / f"{base(data)[:32]}.narinfo"
    good = narinfo.read_text()
    fresh = world["tmp"] / "fresh"
    acl = [world["key"].public]
    narinfo.write_text(good.replace("NarSize: ", "NarSize: 1"))
    with pytest.raises(SchemeError, match="hash-mismatch"):
        substitute([data], [f"file://{cache}"], fresh, acl)
    narinfo.write_text(good)
    nar = cache / "nar" / "gzip" / base(data)
    blob = bytearray(nar.read_bytes())
    original = bytes(blob)
    blob[len(blob) // 2] ^= 0xFF
    nar.write_bytes(bytes(blob))
    with pytest.raises(SchemeError, match="refused"):
        substitute([data], [f"file://{cache}"], fresh, acl)
    assert visible(fresh) == [] and not [n for n in os.listdir(fresh) if ".tmp-" in n]
    nar.write_bytes(original)
    substitute([data], [f"file://{cache}"], fresh, acl)
    assert visible(fresh) == [base(data)]


class _SlowHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a cache but stalls NAR downloads half-way until released."""

    protocol_version = "HTTP/1.1"
    release = threading.Event()

    def log_message(self, *args: Any) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        if "/nar/" not in self.path:
            return super().copyfile(source, outputfile)
        data = source.read()
        outputfile.write(data[:len(data) // 2])
        outputfile.flush()
        self.release.wait(60)


def test_a_fetch_killed_mid_way_leaves_the_store_unchanged(world: dict[str, Any]) -> None:
    data, _, _ = world["items"]
    cache = world["tmp"] / "cache"
    publish([data], cache, world["key"], compressions=[("none", None)],
            store_root=world["store"])
    fresh = world["tmp"] / "fresh"
    fresh.mkdir()
    (fresh / "kept-item").mkdir()
    before = visible(fresh)
    directory = str(cache)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a: _SlowHandler(*a, directory=directory))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    proc = subprocess.Popen([sys.executable, "-m", "schemos.cli", "substitute", data,
                             "--substitute-urls", url, "--acl", str(world["acl"]),
                             "--store", str(fresh)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 60
        # wait until the half-downloaded item is on disk under its temporary name
        while time.time() < deadline:
            tmps = [n for n in os.listdir(fresh) if ".tmp-" in n]
            if any(f.is_file() and f.stat().st_size for t in tmps
                   for f in (fresh / t).rglob("*")):
                break
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        else:
            pytest.fail("the fetch never started writing")
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        _SlowHandler.release.set()
        server.shutdown()
        server.server_close()
    assert visible(fresh) == before                   # no half-restored item
    assert [n for n in os.listdir(fresh) if ".tmp-" in n]    # only a hidden leftover
    # the next fetch cleans up and succeeds
    got = substitute([data], [f"file://{cache}"], fresh, [world["key"].public])
    assert visible(fresh) == sorted(before + [base(data)])
    assert not [n for n in os.listdir(fresh) if ".tmp-" in n]
    assert b"".join(iter_nar(got[0])) == b"".join(iter_nar(world["store"] / base(data)))


# ------------------------------------------------------------------ CLI, weather


def schemos(*args: str, **kw: Any) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "schemos.cli", *args], capture_output=True,
                          check=False, timeout=120, **kw)


@pytest.fixture()
def cli_server(world: dict[str, Any]) -> Iterator[tuple[str, Path]]:
    keys = world["tmp"] / "keys"
    pki.write_key_pair(world["key"], keys)
    cache = world["tmp"] / "cache"
    r = schemos("publish", "--cache", str(cache), "--store", str(world["store"]),
                "--key-dir", str(keys), "-r", world["items"][2])
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 3
    proc = subprocess.Popen([sys.executable, "-m", "schemos.cli", "publish", "--serve", "0",
                             "--cache", str(cache)], stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline() if proc.stderr else ""
        assert "publishing" in line, line
        yield line.split()[-1], cache
    finally:
        proc.terminate()
        proc.wait(10)


def test_cli_publish_serve_substitute(world: dict[str, Any],
                                      cli_server: tuple[str, Path]) -> None:
    url, _ = cli_server
    fresh = world["tmp"] / "fresh"
    r = schemos("substitute", world["items"][2], "--substitute-urls", url,
                "--acl", str(world["acl"]), "--store", str(fresh))
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode().strip() == str(fresh / base(world["items"][2]))
    assert visible(fresh) == sorted(base(p) for p in world["items"])
    other_acl = world["tmp"] / "other-acl"
    pki.authorize_key(pki.generate_key_pair().public, other_acl)
    r = schemos("substitute", world["items"][2], "--substitute-urls", url,
                "--acl", str(other_acl), "--store", str(world["tmp"] / "other"))
    assert r.returncode == 1
    assert b"unauthorized-key" in r.stderr and b"hint:" in r.stderr


def test_weather(world: dict[str, Any], cli_server: tuple[str, Path]) -> None:
    url, cache = cli_server
    missing = "/gnu/store/" + "0" * 32 + "-missing"
    report = weather(world["items"] + [missing], url, workers=4)
    assert len(report.available) == 3 and report.missing == [missing]
    text = report.to_text()
    assert text.startswith(url + "\n  75.0% substitutes available (3 out of 4)\n")
    assert "MiB of nars (compressed)" in text and "requests per second" in text
    r = schemos("weather", "--substitute-urls", url, "--items", "-",
                input="\n".join(world["items"] + [missing]).encode())
    assert r.returncode == 0, r.stderr
    assert b"75.0% substitutes available (3 out of 4)" in r.stdout
    assert b"updating substitutes from" in r.stderr


def test_make_server_serves_only_files(tmp_path: Path) -> None:
    (tmp_path / "nar").mkdir()
    (tmp_path / "x.narinfo").write_text("StorePath: x\n")
    server = make_server(tmp_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    import http.client

    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1])
        conn.request("GET", "/nar/")
        resp = conn.getresponse()
        assert resp.status == 404
        resp.read()
        conn.request("GET", "/x.narinfo")        # same connection: keep-alive
        resp = conn.getresponse()
        assert resp.status == 200 and resp.read() == b"StorePath: x\n"
        assert resp.getheader("Content-Type") == "text/x-nix-narinfo"
        conn.request("GET", "/../../etc/passwd")
        resp = conn.getresponse()
        assert resp.status == 404
        resp.read()
    finally:
        server.shutdown()
        server.server_close()


def test_weather_of_derivations(world: dict[str, Any], tmp_path: Path) -> None:
    from schemos.store.derivation import make_derivation
    from schemos.substitutes.weather import derivation_items

    d1 = make_derivation("dep", "/bin/sh", ["-c", "true"], outputs=["out", "doc"])
    d2 = make_derivation("top", "/bin/sh", [], inputs={d1.path: (["out"], d1.hash_modulo())})
    drvs = tmp_path / "drvs"
    drvs.mkdir()
    for d in (d1, d2):
        (drvs / base(d.path)).write_text(d.to_aterm())
    items = derivation_items([d2.path], drvs)
    assert sorted(items) == sorted([d2.outputs["out"].path, d1.outputs["out"].path,
                                    d1.outputs["doc"].path])
    # a .drv on the command line, looked up in --store
    cache = world["tmp"] / "cache"
    publish([world["items"][0]], cache, world["key"], store_root=world["store"])
    r = schemos("weather", "--substitute-urls", f"file://{cache}", "--store", str(drvs),
                base(d2.path), world["items"][0])
    assert r.returncode == 0, r.stderr
    assert b"25.0% substitutes available (1 out of 4)" in r.stdout
