"""The image derivation: ``(system-image IMAGE)`` in a gexp, built by schemos.

The childhurd of examples/childhurd.tmpl boots ``(system-image IMAGE)``;
lowering gives the derivation building the disk image (see docs/image.md,
"The childhurd's image"), and ``schemos build`` of the host realizes it:
the guest's packages substituted from a stand-in cache made by
scripts/make-test-cache, the image built by ``(schemos build image)`` in
schemos' local builder.  Also here: the pieces that build relies on --
references graphs written for ``#:references-graphs``, the streaming
reference scan, and outputs that are binary files left as they are.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from schemos.build_image import read_reference_graph
from schemos.errors import SchemeError
from schemos.store.api import derivation, read_derivation
from schemos.store.disk import LocalStore
from schemos.store.realize import (
    BuildError,
    _file_chunks,
    _scan,
    _unrewrite,
    realize,
    reference_graph,
    write_reference_graphs,
)

ROOT = Path(__file__).resolve().parent.parent
CHILDHURD = ROOT / "examples" / "childhurd.tmpl"
MiB = 2**20


def run(*args: str, check: bool = True, **kw: Any) -> subprocess.CompletedProcess[str]:
    """Run a command, failing the test with its output when it fails."""
    env = {k: v for k, v in os.environ.items() if k != "SCHEMOS_SUBSTITUTE_URLS"}
    p = subprocess.run(list(args), capture_output=True, text=True, cwd=ROOT, env=env,
                       timeout=600, **kw)
    if check and p.returncode != 0:
        raise AssertionError(f"{args} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
    return p


# ------------------------------------------------------------ end to end

@pytest.fixture(scope="module")
def childhurd(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A stand-in cache for the childhurd host, and the host built from it."""
    d = tmp_path_factory.mktemp("childhurd")
    cache = d / "cache"
    t0 = time.monotonic()
    out = run(sys.executable, "scripts/make-test-cache", str(cache), "--template",
              str(CHILDHURD), "--native").stdout
    t1 = time.monotonic()
    assert f"file://{cache}" in out
    store = d / "store"
    r = run(sys.executable, "-m", "schemos.cli", "build", "--substitute-urls",
            f"file://{cache}", "--acl", str(cache / "acl"), "--store", str(store),
            str(CHILDHURD))
    t2 = time.monotonic()
    print(f"make-test-cache {t1 - t0:.1f} s, schemos build {t2 - t1:.1f} s")
    return {"dir": d, "cache": cache, "store": store, "system": r.stdout.strip(),
            "stderr": r.stderr, "times": (t1 - t0, t2 - t1)}


def _host_items(store: LocalStore, system: str) -> set[str]:
    seen: set[str] = set()
    todo = [system]
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.add(p)
            todo.extend(store.references(p))
    return seen


def test_build_of_the_childhurd_host_makes_its_image(childhurd: dict[str, Any]) -> None:
    """The host system is realized with the childhurd's disk image in its closure:
    a qcow2 file, built here, named after --hda by the hurd-vm service."""
    s = LocalStore(childhurd["store"])
    system = childhurd["system"]
    assert system.endswith("-system") and s.is_valid(system)
    closure = _host_items(s, system)
    [image] = [p for p in closure if p.endswith("-disk-image")]
    assert re.search(r"\d+ item\(s\) substituted, \d+ built", childhurd["stderr"])
    info = s.query_path_info(image)
    assert info is not None and info["deriver"].endswith("-disk-image.drv")
    f = s.physical(image)
    assert f.is_file() and not f.is_symlink() and f.stat().st_mode & 0o777 == 0o444
    qinfo = json.loads(run("qemu-img", "info", "--output=json", str(f)).stdout)
    assert qinfo["format"] == "qcow2" and qinfo["virtual-size"] == 12 * 2**30 + MiB
    # it is made from the guest's system, cross-built; being a compressed qcow2
    # (as Guix's), its clusters hide the store file names it holds from the
    # reference scan, so it refers to nothing -- it carries its own store
    # (checked inside it below)
    drv = read_derivation(s, info["deriver"])
    guest = next(read_derivation(s, p).outputs["out"].path for p in drv.inputs
                 if p.endswith("-system.drv"))
    assert guest != system
    assert info["references"] == []
    # the compiled hurd-vm service (a stand-in for the .go Guix compiles, which
    # holds its source's file names) refers to the image: that is how the
    # host's closure holds it; the service's source names it after --hda
    [go] = [p for p in closure if p.endswith("-shepherd-hurd-vm-childhurd.go")]
    assert image in s.references(go)
    [scm_drv] = [str(Path(s.store_dir) / n) for n in os.listdir(s.root)
                 if n.endswith("-shepherd-hurd-vm-childhurd.scm.drv")]
    from schemos.substitutes import pki

    realize(s, [scm_drv], substitute_urls=[f"file://{childhurd['cache']}"],
            acl=pki.load_acl(childhurd["cache"] / "acl"))
    scm = read_derivation(s, scm_drv).outputs["out"].path
    text = s.physical(scm).read_text()
    assert f'"--hda" "{image}"' in text and "/bin/qemu-system-x86_64" in text
    assert image in s.references(scm)
    s.close()


def test_the_childhurd_image_holds_the_guest(childhurd: dict[str, Any],
                                             tmp_path: Path) -> None:
    """Its partition, at 1 MiB, is a clean ext2 file system labelled Guix_image
    (the guest has no root file system: the image gives it one) holding the
    guest's system, its grub.cfg and store database, with /gnu/store names."""
    s = LocalStore(childhurd["store"])
    [image] = [p for p in _host_items(s, childhurd["system"]) if p.endswith("-disk-image")]
    raw = tmp_path / "disk.raw"
    run("qemu-img", "convert", "-O", "raw", str(s.physical(image)), str(raw))
    assert raw.stat().st_size == 12 * 2**30 + MiB
    part = f"{raw}?offset={MiB}"            # e2fsprogs' unix I/O reads the partition there
    fsck = run("/usr/sbin/e2fsck", "-fn", part)
    assert "Guix_image" in fsck.stdout
    info = read_derivation(s, s.query_path_info(image)["deriver"])
    guest = next(read_derivation(s, p).outputs["out"].path for p in info.inputs
                 if p.endswith("-system.drv"))
    bootcfg = next(read_derivation(s, p).outputs["out"].path for p in info.inputs
                   if p.endswith("-grub.cfg.drv"))

    def debugfs(request: str) -> str:
        return run("/usr/sbin/debugfs", "-R", request, part).stdout

    assert f'"{guest}"' in debugfs("stat /var/guix/profiles/system-1-link")
    cfg = debugfs("cat /boot/grub/grub.cfg")
    assert cfg == s.physical(bootcfg).read_text()
    assert f"gnu.system={guest}" in cfg and "root=Guix_image" in cfg
    listing = debugfs("ls -l " + guest)
    assert "boot" in listing and "hurd" in listing
    assert "exec" in debugfs("ls /servers")
    db = tmp_path / "db.sqlite"
    debugfs(f"dump /var/guix/db/db.sqlite {db}")
    import sqlite3

    conn = sqlite3.connect(db)
    paths = {p for (p,) in conn.execute("SELECT path FROM ValidPaths")}
    assert guest in paths and bootcfg in paths
    assert all(p.startswith("/gnu/store/") for p in paths)
    [(hash_,)] = conn.execute("SELECT hash FROM ValidPaths WHERE path = ?", (guest,))
    assert hash_ == s.query_path_info(guest)["hash"]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"   # the Hurd's
    conn.close()
    # no physical store path anywhere in the image (its data; holes are zeros)
    physical = str(s.root).encode()
    assert not any(physical in chunk for chunk in _file_chunks(str(raw)))
    s.close()


def test_the_end_to_end_build_is_fast_enough(childhurd: dict[str, Any]) -> None:
    """Making the cache and building the host (with its 12 GiB image) takes about
    20 s on 2 shared cores (docs/image.md); a minute and a half allows for load."""
    cache_time, build_time = childhurd["times"]
    assert cache_time + build_time < 90, childhurd["times"]


# ------------------------------------------------------------ the pieces

def _text_item(store: LocalStore, name: str, text: str, refs: list[str] = ()) -> str:
    return store.add_text(name, text, list(refs))


def test_references_graph_files(tmp_path: Path) -> None:
    """#:references-graphs: the builder finds, for each file name, the closure of
    the item, in the daemon's format (path, deriver, count, references)."""
    s = LocalStore(tmp_path / "s")
    a = _text_item(s, "a", "A")
    b = _text_item(s, "b", f"B refers to {a}", [a])
    c = _text_item(s, "c", f"C refers to {b}", [b])
    s.flush()
    text = reference_graph(s, [c])
    blocks = {a: f"{a}\n\n0\n", b: f"{b}\n\n1\n{a}\n", c: f"{c}\n\n1\n{b}\n"}
    assert text == "".join(blocks[p] for p in sorted(blocks))
    entries = read_reference_graph(text)
    assert sorted((e.path, e.deriver, e.references) for e in entries) == \
        sorted([(a, None, []), (b, None, [a]), (c, None, [b])])
    d = derivation(s, "graphs", "/bin/sh", [], references_graphs=[("closure", c),
                                                                   ("just-a", a)])
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    written = write_reference_graphs(s, d, build_dir)
    assert [f.name for f in written] == ["closure", "just-a"]
    assert (build_dir / "closure").read_text() == text
    assert (build_dir / "just-a").read_text() == f"{a}\n\n0\n"
    s.close()


def test_a_malformed_references_graph_is_an_image_error() -> None:
    with pytest.raises(SchemeError) as e:
        read_reference_graph("/gnu/store/x\n\n2\n/gnu/store/y\n")
    assert e.value.condition.key.name == "image-error"
    assert "malformed" in e.value.condition.formatted_message()


def test_unrewrite_leaves_binary_files_alone(tmp_path: Path) -> None:
    """Putting /gnu/store back in a built output rewrites text files and links,
    never a binary file (a disk image): their lengths differ."""
    physical, logical = str(tmp_path / "root") + "/", "/gnu/store/"
    out = tmp_path / "out"
    out.mkdir()
    (out / "text").write_text(f"exec {physical}abc-hello/bin/hello\n")
    os.symlink(f"{physical}abc-hello", out / "link")
    image = bytes(range(256)) * 64 + b"/gnu/store/abc-hello\0" + bytes(4096)
    (out / "image").write_bytes(image)
    sparse = out / "sparse"
    with open(sparse, "wb") as f:
        f.truncate(64 * MiB)
        f.seek(32 * MiB)
        f.write(b"/gnu/store/abc-hello")
    _unrewrite(out, physical, logical)
    assert (out / "text").read_text() == "exec /gnu/store/abc-hello/bin/hello\n"
    assert os.readlink(out / "link") == "/gnu/store/abc-hello"
    assert (out / "image").read_bytes() == image
    assert sparse.stat().st_size == 64 * MiB and sparse.stat().st_blocks * 512 < MiB
    # a binary file naming the physical root cannot be fixed: the build fails
    (out / "bad").write_bytes(b"\0\1" + physical.encode() + b"abc-hello\0")
    with pytest.raises(BuildError, match="physical root"):
        _unrewrite(out / "bad", physical, logical)


def test_reference_scan_streams_and_skips_holes(tmp_path: Path) -> None:
    """The scan finds hash parts across chunk boundaries and in sparse files,
    with a cost that does not depend on the number of candidates."""
    h1, h2, h3 = "0" * 31 + "1", "a" * 32, "z" * 31 + "b"
    candidates = {h: f"/gnu/store/{h}-x" for h in (h1, h2, h3)}
    candidates.update({f"{i:032d}"[:32].replace("0", "c"): f"/gnu/store/{i}"
                       for i in range(2000)})
    f = tmp_path / "big"
    with open(f, "wb") as out:
        out.truncate(1 << 30)               # 1 GiB, nearly all holes
        out.seek((1 << 20) - 10)            # across the 1 MiB chunk boundary
        out.write(f"/gnu/store/{h1}-x".encode())
        out.seek(512 << 20)
        out.write(b"xx" + h2.encode() + b"yy")
    t0 = time.monotonic()
    assert _scan(f, candidates) == sorted([candidates[h1], candidates[h2]])
    assert time.monotonic() - t0 < 5
    # a hash inside a longer run of base32 characters is found too
    (tmp_path / "run").write_bytes(b"ab" + h3.encode() + b"cd")
    assert _scan(tmp_path / "run", candidates) == [candidates[h3]]
