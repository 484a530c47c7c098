"""The store on disk and lowering to derivations (schemos/store/, issue #5).

The Scheme-level checks (the shared vectors through (guix store), (guix
derivations) and (guix gexp)) are in tests/scheme/lowering.scm; these test
the store on disk, the CLI, determinism across processes, ATerm round trips
of whole closures, cross versus native builds and the system derivation.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemos.base32 import nix_base32_decode
from schemos.store.api import derivation, derivation_closure, hash_modulo, read_derivation
from schemos.store.derivation import parse_aterm
from schemos.store.disk import LocalStore, nar_of_bytes, nar_of_tree
from schemos.store.nar import nar_hash

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "shared" / "vectors" /
                      "store-paths.json").read_text())
HELLO_SHA256 = bytes(nix_base32_decode("1x9gyyamm7d9p2hm06hx9vx6gm4sd1mksxqlqfxaajl44i34q0fr"))
ROOT = Path(__file__).resolve().parents[1]


def schemos(*args: str, store: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the schemos CLI in a fresh process."""
    env = {**os.environ, "SCHEMOS_STORE": str(store)}
    r = subprocess.run([sys.executable, "-m", "schemos.cli", *args], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=600)
    if check:
        assert r.returncode == 0, r.stderr
    return r


# ------------------------------------------------------------ the store on disk

def test_vectors_through_the_disk_store(tmp_path: Path) -> None:
    s = LocalStore(tmp_path / "store")
    assert s.add_text("hello.txt", "Hello, world!\n") == \
        VECTORS["add_text_to_store"][0]["output"]
    f = tmp_path / "hello.txt"
    f.write_text("Hello, world!\n")
    assert s.add_path("hello.txt", f, recursive=False) == \
        VECTORS["add_to_store_file"][0]["output"]
    v = VECTORS["derivations"][1]
    d = derivation(s, "foo.tar.gz", "builtin:download", [],
                   env_vars=[("url", '"https://example.org/foo.tar.gz"')],
                   hash=HELLO_SHA256, hash_algo="sha256", system="x86_64-linux")
    assert d.path == v["drv_path"]
    assert d.to_aterm() == v["drv_text"]
    s.close()
    # the .drv file is what Guix writes, read-only, with mtime 1
    p = s.physical(d.path)
    assert p.read_text() == v["drv_text"]
    st = p.stat()
    assert stat.S_IMODE(st.st_mode) == 0o444 and st.st_mtime == 1
    # nothing half-written is left
    assert not [n for n in os.listdir(s.root) if ".tmp-" in n]


def test_database_records_validity_references_and_derivers(tmp_path: Path) -> None:
    root = tmp_path / "store"
    with LocalStore(root) as s:
        text = s.add_text("greeting", "hi\n")
        d = derivation(s, "foo", "/bin/sh", ["-c", "cat " + text], sources=[text],
                       system="x86_64-linux")
    s2 = LocalStore(root)
    assert s2.is_valid(text) and s2.is_valid(d.path)
    assert s2.references(d.path) == [text]
    info = s2.query_path_info(d.path)
    assert info is not None and info["hash"].startswith("sha256:")
    row = s2.db().execute("SELECT path FROM DerivationOutputs WHERE id = 'out'").fetchone()
    assert row[0] == d.outputs["out"].path
    # NAR hashes are those of the files' archives
    data = s2.physical(text).read_bytes()
    import hashlib

    assert s2.query_path_info(text)["hash"] == \
        "sha256:" + hashlib.sha256(nar_of_bytes(data)).hexdigest()
    assert nar_hash(s2.physical(text))[0] == hashlib.sha256(nar_of_bytes(data)).digest()
    s2.close()


def test_in_memory_tree_nar_matches_the_nar_writer(tmp_path: Path) -> None:
    files = {"guix/build/utils.scm": b"(define-module (guix build utils))\n",
             "guix/elf.scm": b"x", "a": b""}
    for rel, data in files.items():
        p = tmp_path / "t" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    import hashlib

    assert hashlib.sha256(nar_of_tree(files)).digest() == nar_hash(tmp_path / "t")[0]


def test_recursive_add_with_select(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "keep").mkdir(parents=True)
    (src / "keep" / "a").write_text("a")
    (src / "skip.o").write_text("o")
    s = LocalStore(tmp_path / "store")
    whole = s.add_path("src", src, recursive=True)
    some = s.add_path("src", src, recursive=True,
                      select=lambda f, st: not f.endswith(".o"))
    assert whole != some
    assert sorted(os.listdir(s.physical(some))) == ["keep"]
    s.close()


def test_two_processes_write_the_same_closure(tmp_path: Path) -> None:
    """Two processes lowering the same system into one store at once."""
    store = tmp_path / "store"
    cmd = [sys.executable, "-m", "schemos.cli", "build", "-d", "--store", str(store),
           "-e", "(@ (gnu packages base) hello)"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    assert outs[0][0] == outs[1][0]
    s = LocalStore(store)
    drv = outs[0][0].strip()
    closure = derivation_closure(s, [read_derivation(s, drv)])
    assert all(s.is_valid(p) for p in closure)
    assert not [n for n in os.listdir(store) if ".tmp-" in n]
    s.close()


# ---------------------------------------------------------------- packages

@pytest.fixture(scope="module")
def lowered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The .drv paths of hello natively, for i586-gnu and cross-built, and of the
    bare-hurd system, in one store."""
    store = tmp_path_factory.mktemp("lowered") / "store"
    out = {"store": str(store)}
    hello = "(@ (gnu packages base) hello)"
    out["native"] = schemos("build", "-d", "-e", hello, store=store).stdout.strip()
    out["i586-gnu"] = schemos("build", "-d", "-s", "i586-gnu", "-e", hello,
                              store=store).stdout.strip()
    out["cross"] = schemos("build", "-d", "--target", "i586-pc-gnu", "-e", hello,
                           store=store).stdout.strip()
    out["system"] = schemos("build", "-d", "--target", "i586-pc-gnu",
                            "examples/bare-hurd.tmpl", store=store).stdout.strip()
    return out


def _store(lowered: dict[str, str]) -> LocalStore:
    return LocalStore(lowered["store"])


def test_determinism_across_processes(lowered: dict[str, str], tmp_path: Path) -> None:
    other = tmp_path / "other"
    assert schemos("build", "-d", "-e", "(@ (gnu packages base) hello)",
                   store=other).stdout.strip() == lowered["native"]
    assert schemos("build", "-d", "--target", "i586-pc-gnu", "examples/bare-hurd.tmpl",
                   store=other).stdout.strip() == lowered["system"]


def test_aterm_round_trips_and_output_paths(lowered: dict[str, str]) -> None:
    """Every .drv of the system's closure parses back to its text, and its output
    paths follow from its hash modulo fixed-output derivations."""
    from schemos.store.paths import fixed_output_path, output_path

    s = _store(lowered)
    closure = derivation_closure(s, [read_derivation(s, lowered["system"])])
    drvs = [p for p in closure if p.endswith(".drv")]
    assert len(drvs) > 200
    for p in drvs:
        text = s.physical(p).read_text()
        d = parse_aterm(text, p)
        assert d.to_aterm() == text
        if d.is_fixed_output():
            o = d.outputs["out"]
            rec = o.hash_algo.startswith("r:")
            assert o.path == fixed_output_path(d.name, bytes.fromhex(o.hash),
                                               o.hash_algo.removeprefix("r:"), rec)
        else:
            masked = type(d)(outputs={n: type(o)("", o.hash_algo, o.hash)
                                      for n, o in d.outputs.items()},
                             inputs=d.inputs, sources=d.sources, system=d.system,
                             builder=d.builder, args=d.args,
                             env={k: ("" if k in d.outputs else v) for k, v in d.env.items()},
                             name=d.name, path="")
            masked.input_hashes = {i: hash_modulo(s, read_derivation(s, i)) for i in d.inputs}
            h = hash_modulo(s, masked)
            for n, o in d.outputs.items():
                assert o.path == output_path(d.name, n, h)


def test_bootstrap_chain_is_a_dag_down_to_fixed_output_seeds(lowered: dict[str, str]) -> None:
    s = _store(lowered)
    closure = derivation_closure(s, [read_derivation(s, lowered["native"])])
    names = {p[44:] for p in closure if p.endswith(".drv")}
    assert {"guile-bootstrap-2.0.drv", "gcc-bootstrap-0.drv", "glibc-bootstrap-0.drv",
            "binutils-bootstrap-0.drv", "bootstrap-binaries-0.drv", "bash.drv",
            "tar.drv", "xz.drv", "mkdir.drv"} <= names
    # the leaves are fixed-output downloads
    for p in closure:
        if p.endswith(".drv"):
            d = read_derivation(s, p)
            if not d.inputs:
                assert d.is_fixed_output() or d.builder == "builtin:download", p
    # the bootstrap executables are Guix's: url-fetch/executable, recursive sha256
    bash = read_derivation(s, next(p for p in closure if p.endswith("-bash.drv")))
    assert bash.builder == "builtin:download"
    assert bash.outputs["out"].hash_algo == "r:sha256"
    assert bash.env["executable"] == "1"


def test_hello_has_the_gnu_build_system_structure(lowered: dict[str, str]) -> None:
    s = _store(lowered)
    d = read_derivation(s, lowered["native"])
    assert d.system == "x86_64-linux"
    assert d.builder.endswith("-guile-3.0.9/bin/guile")
    assert d.args[0] == "--no-auto-compile" and "-L" in d.args and "-C" in d.args
    names = {p[44:] for p in d.inputs}
    assert {"gcc-11.4.0.drv", "glibc-2.41.drv", "binutils-2.44.drv", "make-4.4.1.drv",
            "hello-2.12.2.tar.gz.drv", "module-import-compiled.drv"} <= names
    builder = s.physical(d.args[-1]).read_text()
    assert builder.startswith("(begin (use-modules (guix build gnu-build-system)")
    assert '(gnu-build #:source "/gnu/store/' in builder
    assert '#:system "x86_64-linux"' in builder
    # the source's output path is Guix's: fixed by its file name and hash
    src = read_derivation(s, next(p for p in d.inputs if p.endswith("hello-2.12.2.tar.gz.drv")))
    assert src.builder == "builtin:download"
    assert src.env["url"] == '"mirror://gnu/hello/hello-2.12.2.tar.gz"'


def test_system_and_target_change_the_derivations(lowered: dict[str, str]) -> None:
    s = _store(lowered)
    native = read_derivation(s, lowered["native"])
    hurd = read_derivation(s, lowered["i586-gnu"])
    cross = read_derivation(s, lowered["cross"])
    assert len({native.path, hurd.path, cross.path}) == 3
    assert hurd.system == "i586-gnu" and cross.system == "x86_64-linux"
    # the sources are the same fixed-output content whatever the system
    src = {o.outputs["out"].path for d in (native, hurd, cross)
           for p in d.inputs if p.endswith(".tar.gz.drv")
           for o in [read_derivation(s, p)]}
    assert len(src) == 1
    # the cross build has the cross toolchain, built for the build machine
    names = {p[44:] for p in cross.inputs}
    assert "gcc-cross-i586-pc-gnu-11.4.0.drv" in names
    assert "binutils-cross-i586-pc-gnu-2.44.drv" in names
    assert "glibc-cross-i586-pc-gnu-2.41.drv" in names
    builder = s.physical(cross.args[-1]).read_text()
    assert '#:target "i586-pc-gnu"' in builder
    xlibc = read_derivation(s, next(p for p in cross.inputs if "glibc-cross" in p))
    assert any("hurd-headers-cross-i586-pc-gnu" in p for p in
               derivation_closure(s, [xlibc]))
    assert '#:target' not in s.physical(native.args[-1]).read_text()


# ------------------------------------------------------------------ the system

def test_bare_hurd_system_derivation(lowered: dict[str, str]) -> None:
    s = _store(lowered)
    sysdrv = read_derivation(s, lowered["system"])
    assert sysdrv.name == "system"
    builder = s.physical(sysdrv.args[-1]).read_text()
    for entry in ("boot", "kernel", "hurd", "parameters", "profile", "etc", "locale"):
        assert '(symlink "/gnu/store/' in builder and f'"{entry}"))' in builder, entry
    closure = derivation_closure(s, [sysdrv])
    names = {p[44:] for p in closure if p.endswith(".drv")}
    for name in ("sshd_config.drv", "shepherd.conf.drv", "passwd.drv", "etc.drv",
                 "boot.drv", "parameters.drv", "profile.drv",
                 "gnumach-1.8+git20240714.drv", "hurd-0.9.git20240714.drv"):
        assert name in names, name
    sshd = read_derivation(s, next(p for p in closure if p.endswith("-sshd_config.drv")))
    text = s.physical(sshd.args[-1]).read_text()
    assert '"Port ~a\\n" "2222"' in text
    assert '"PermitRootLogin ~a\\n" "yes"' in text


def test_grub_cfg_has_the_hurd_multiboot_entry(lowered: dict[str, str]) -> None:
    s = _store(lowered)
    cfgs = [n for n in os.listdir(lowered["store"]) if n.endswith("-grub.cfg.drv")]
    assert cfgs
    d = read_derivation(s, "/gnu/store/" + cfgs[0])
    text = s.physical(d.args[-1]).read_text()
    assert "multiboot ~a root=part:1:device:~a0~a" in text
    assert "/boot/gnumach" in text and "/hurd/ext2fs.static" in text
    # gnu.system= names the system, which is an input of grub.cfg
    assert lowered["system"] in d.inputs
    assert read_derivation(s, lowered["system"]).outputs["out"].path in text


def test_show_derivation_json(lowered: dict[str, str]) -> None:
    r = schemos("show-derivation", lowered["native"], store=Path(lowered["store"]))
    data = json.loads(r.stdout)
    d = data[lowered["native"]]
    assert d["name"] == "hello-2.12.2" and d["system"] == "x86_64-linux"
    assert d["outputs"]["out"]["path"].endswith("-hello-2.12.2")
    assert all(p.endswith(".drv") for p in d["inputDrvs"])
    # a fixed-output derivation shows its hash
    src = next(p for p in d["inputDrvs"] if p.endswith(".tar.gz.drv"))
    r2 = schemos("show-derivation", src, store=Path(lowered["store"]))
    out = json.loads(r2.stdout)[src]["outputs"]["out"]
    assert out["hashAlgo"] == "sha256" and len(out["hash"]) == 64


def test_realized_sshd_config(lowered: dict[str, str]) -> None:
    """``schemos build FILE`` builds the configuration files locally."""
    store = Path(lowered["store"])
    r = schemos("build", "--target", "i586-pc-gnu", "examples/bare-hurd.tmpl", store=store)
    built = r.stdout.split()
    sshd = [p for p in built if p.endswith("-sshd_config")]
    assert len(sshd) == 1
    s = LocalStore(store)
    text = s.physical(sshd[0]).read_text()
    assert "Port 2222\n" in text and "PermitRootLogin yes\n" in text
    assert s.query_path_info(sshd[0])["deriver"].endswith("-sshd_config.drv")
    # directories of symlinks point into /gnu/store, not the physical root
    pamd = next(p for p in built if p.endswith("-pam.d"))
    targets = {os.readlink(s.physical(pamd) / n) for n in os.listdir(s.physical(pamd))}
    assert targets and all(t.startswith("/gnu/store/") for t in targets)
    assert all(p in s.references(pamd) for p in targets)
    assert "need a Guix daemon or substitutes" in r.stderr
    s.close()


# ------------------------------------------------------------ property tests

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
_name = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789+-._", min_size=1,
                max_size=20).filter(lambda s: not s.startswith("."))


@settings(max_examples=60, deadline=None)
@given(name=_name, builder=_text, args=st.lists(_text, max_size=5),
       env=st.dictionaries(_text.filter(bool), _text, max_size=5))
def test_derivation_aterm_round_trip(name: str, builder: str, args: list[str],
                                     env: dict[str, str]) -> None:
    """Any derivation's text parses back to the same derivation and text."""
    s = LocalStore(None, memory=True)
    d = derivation(s, name, builder, args, env_vars=list(env.items()),
                   system="x86_64-linux")
    back = parse_aterm(d.to_aterm(), d.path)
    assert back.to_aterm() == d.to_aterm()
    assert back.args == args and back.builder == builder
    assert {k: v for k, v in back.env.items() if k != "out"} == \
        {k: v for k, v in env.items() if k != "out"}
    assert hash_modulo(s, back) == hash_modulo(s, d)


@settings(max_examples=40, deadline=None)
@given(files=st.dictionaries(
    st.lists(_name, min_size=1, max_size=3).map("/".join), st.binary(max_size=40),
    min_size=1, max_size=6))
def test_tree_nar_matches_writer_property(files: dict[str, bytes], tmp_path_factory:
                                          pytest.TempPathFactory) -> None:
    """The in-memory NAR of a file tree is the NAR writer's, byte for byte."""
    # a name cannot be both a file and a directory
    names = sorted(files)
    if any(b.startswith(a + "/") for a in names for b in names):
        return
    import hashlib

    d = tmp_path_factory.mktemp("tree") / "t"
    for rel, data in files.items():
        p = d / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    assert hashlib.sha256(nar_of_tree(files)).digest() == nar_hash(d)[0]
