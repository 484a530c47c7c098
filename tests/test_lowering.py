"""The store on disk and lowering to derivations (schemos/store/, issue #5).

The Scheme-level checks (the shared vectors through (guix store), (guix
derivations) and (guix gexp)) are in tests/scheme/lowering.scm; these test
the store on disk, the CLI, determinism across processes, ATerm round trips
of whole closures, cross versus native builds and the system derivation.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

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
    # Guix 1.5's entry: Mach's IDE disk (no "noide" in bare-hurd.tmpl)
    assert "multiboot ~a root=~a~a~a" in text and '"part:1:device:hd0"' in text
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


# ------------------------------------------------------------ the examples

@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The system .drv of every operating system of examples/, in one store:
    natively for x86_64-linux, and the Hurd ones also cross-built."""
    store = tmp_path_factory.mktemp("examples") / "store"
    out = {"store": str(store)}
    for key, args in (("childhurd", ["examples/childhurd.tmpl"]),
                      ("bare-hurd", ["examples/bare-hurd.tmpl"]),
                      ("bare-hurd-cross", ["--target", "i586-pc-gnu",
                                           "examples/bare-hurd.tmpl"]),
                      ("hurd-dev", ["examples/hurd-dev.tmpl"]),
                      ("hurd-dev-cross", ["--target", "i586-pc-gnu",
                                          "examples/hurd-dev.tmpl"])):
        out[key] = schemos("build", "-d", *args, store=store).stdout.strip()
    return out


def _drv_names(s: LocalStore, drv: str) -> set[str]:
    return {p[44:] for p in derivation_closure(s, [read_derivation(s, drv)])
            if p.endswith(".drv")}


def _by_name(s: LocalStore, closure: list[str], name: str) -> list[Any]:
    return [read_derivation(s, p) for p in closure if p.endswith("-" + name + ".drv")]


def test_every_example_system_lowers(examples: dict[str, str]) -> None:
    s = LocalStore(examples["store"])
    paths = {k: v for k, v in examples.items() if k != "store"}
    assert len(set(paths.values())) == len(paths)
    for key, drv in paths.items():
        assert drv.startswith("/gnu/store/") and drv.endswith("-system.drv"), key
        d = read_derivation(s, drv)
        assert d.name == "system" and d.system == "x86_64-linux", key
        names = _drv_names(s, drv)
        assert {"etc.drv", "boot.drv", "parameters.drv", "shepherd.conf.drv"} <= names, key
        # the Hurd systems, and the childhurd of the GNU/Linux one
        assert {"gnumach-1.8+git20240714.drv", "hurd-0.9.git20240714.drv"} <= names, key
        assert ("linux-libre-6.13.6.drv" in names) == (key == "childhurd"), key
        cross = "gcc-cross-i586-pc-gnu-11.4.0.drv" in names
        # the childhurd's image is cross-built, like the Hurd examples with --target
        assert cross == (key.endswith("-cross") or key == "childhurd"), key
    s.close()


def test_childhurd_host_has_its_initrd_kernel_and_hurd_vm(examples: dict[str, str]) -> None:
    """The GNU/Linux host of childhurd.tmpl: Guix's initrd structure, the
    kernel, and the hurd-vm shepherd service booting the childhurd's image."""
    s = LocalStore(examples["store"])
    sysdrv = read_derivation(s, examples["childhurd"])
    closure = derivation_closure(s, [sysdrv])
    names = {p[44:] for p in closure if p.endswith(".drv")}
    assert {"linux-libre-6.13.6.drv", "raw-initrd.drv", "linux-modules.drv", "init.drv",
            "guile-static-stripped-3.0.9.drv", "guile-static-3.0.9.drv",
            "e2fsck-static-1.47.0.drv", "guile-zlib-0.2.2.drv",
            "shepherd-hurd-vm-childhurd.scm.drv"} <= names
    # the system's "initrd" is the initrd.cpio.gz of "raw-initrd", as in Guix
    [initrd] = _by_name(s, closure, "raw-initrd")
    builder = s.physical(sysdrv.args[-1]).read_text()
    assert f'"{initrd.outputs["out"].path}/initrd.cpio.gz" "initrd"))' in builder
    # raw-initrd copies the closure of "init", a script of the static Guile
    [init] = _by_name(s, closure, "init")
    [static] = _by_name(s, closure, "guile-static-stripped-3.0.9")
    assert initrd.env["exportReferencesGraph"] == "closure " + init.outputs["out"].path
    assert init.path in initrd.inputs and static.path in initrd.inputs
    assert init.builder == static.outputs["out"].path + "/bin/guile"
    assert init.env["allowSubstitutes"] == "0" and init.env["preferLocalBuild"] == "1"
    text = s.physical(initrd.args[-1]).read_text()
    assert text.startswith("(begin (use-modules (gnu build linux-initrd))")
    assert "(build-initrd " in text and '#:references-graphs (quote ("closure"))' in text
    script = s.physical(init.args[-1]).read_text()
    assert "(boot-system #:mounts" in script
    assert '#:linux-module-directory (quote "/gnu/store/' in script
    assert '"ahci"' in script and "e2fsck-static-1.47.0" in script
    # the kernel modules come from linux-libre
    [mods] = _by_name(s, closure, "linux-modules")
    assert any(p.endswith("-linux-libre-6.13.6.drv") for p in mods.inputs)
    # the hurd-vm service runs QEMU on the childhurd's disk image: the
    # derivation building it from the childhurd's system, cross-built for
    # the Hurd (see test_childhurd_image_derivation)
    [svc] = _by_name(s, closure, "shepherd-hurd-vm-childhurd.scm")
    svc_text = s.physical(svc.args[-1]).read_text()
    assert "/bin/qemu-system-x86_64" in svc_text and '"--hda" "/gnu/store/' in svc_text
    [image] = _by_name(s, closure, "disk-image")
    assert image.path in svc.inputs
    assert f'"--hda" "{image.outputs["out"].path}"' in svc_text
    guest = [read_derivation(s, p) for p in image.inputs if p.endswith("-system.drv")]
    assert len(guest) == 1 and guest[0].path != sysdrv.path
    guest_names = _drv_names(s, guest[0].path)
    assert {"gnumach-1.8+git20240714.drv", "hurd-0.9.git20240714.drv",
            "gcc-cross-i586-pc-gnu-11.4.0.drv"} <= guest_names
    assert "linux-libre-6.13.6.drv" not in guest_names
    s.close()


def test_childhurd_image_derivation(examples: dict[str, str]) -> None:
    """The childhurd's image is Guix's system-disk-image derivation: named
    "disk-image" (the hurd-qcow2 image has no name), built locally by
    (schemos build image) from the references graphs of the guest's system
    and grub.cfg, both cross-built for i586-pc-gnu."""
    from schemos.store.realize import derivation_kind

    s = LocalStore(examples["store"])
    closure = derivation_closure(s, [read_derivation(s, examples["childhurd"])])
    [image] = _by_name(s, closure, "disk-image")
    assert image.name == "disk-image" and image.system == "x86_64-linux"
    out = image.outputs["out"].path
    assert list(image.outputs) == ["out"] and out.endswith("-disk-image")
    # Guile runs the builder script; no module is imported (schemos has it)
    assert image.builder.endswith("-guile-3.0.9/bin/guile")
    assert image.args[:-1] == ["--no-auto-compile"]
    script = s.physical(image.args[-1]).read_text()
    # the inputs: the guest's system and grub.cfg, and the Guile
    inputs = {p[44:]: p for p in image.inputs}
    assert set(inputs) == {"system.drv", "grub.cfg.drv", "guile-3.0.9.drv"}
    guest = read_derivation(s, inputs["system.drv"])
    bootcfg = read_derivation(s, inputs["grub.cfg.drv"])
    system_out, bootcfg_out = guest.outputs["out"].path, bootcfg.outputs["out"].path
    guest_names = _drv_names(s, guest.path)
    assert "gcc-cross-i586-pc-gnu-11.4.0.drv" in guest_names
    assert "linux-libre-6.13.6.drv" not in guest_names
    assert system_out in s.physical(bootcfg.args[-1]).read_text()      # gnu.system=
    # the environment: references graphs, a local build, substitutable
    assert image.env == {
        "exportReferencesGraph": f"system {system_out} bootcfg {bootcfg_out}",
        "out": out, "preferLocalBuild": "1"}
    assert script == (
        '(begin (use-modules (schemos build image)) (build-disk-image '
        '((@ (guile) getenv) "out") #:references-graphs (quote ("system" "bootcfg")) '
        f'#:system-directory "{system_out}" #:bootcfg "{bootcfg_out}" '
        '#:format (quote compressed-qcow2) #:label "Guix_image" #:uuid #f '
        '#:file-system "ext2" #:file-system-options (quote ("-o" "hurd" "-O" "ext_attr")) '
        f'#:size (quote {12 * 2**30}) #:hurd? #t #:wal-mode? #f))')
    # schemos builds it: the builder loads (schemos build image), runs no program
    assert derivation_kind(s, image) == "local"
    s.close()


def test_image_derivation_parameters_are_those_of_schemos_image() -> None:
    """The image derivation's parameters and schemos image's come from the
    same place, schemos.image.build.disk_parameters of the image's spec."""
    import schemos
    from schemos.datum import to_list
    from schemos.image.build import disk_parameters
    from schemos.image.spec import image_for_type
    from schemos.runtime.core import call
    from schemos.store.build import _run, _scheme

    os_ = schemos.load_operating_system(str(ROOT / "examples" / "bare-hurd.tmpl"))
    interp = os_.interp
    for image_type, fmt in (("hurd-raw", "disk-image"), ("hurd-qcow2", "compressed-qcow2")):
        spec = image_for_type(interp, os_.record, image_type, 3 * 2**30)
        params = disk_parameters(spec)
        assert (params.format, params.label, params.uuid, params.size, params.hurd,
                params.wal) == (fmt, "my-root", None, 3 * 2**30, True, False)
        assert params.file_system_options == ("-o", "hurd", "-O", "ext_attr")
        interp.modsys.resolve(("schemos", "image-derivation"))
        proc = _scheme(interp, ("schemos", "image-support"), "%image-disk-parameters")
        alist = _run(interp, lambda: call(proc, spec.record, "i586-pc-gnu"))
        got = {p.car.name: p.cdr for p in to_list(alist)}
        assert got["label"] == params.label and got["size"] == params.size
        assert got["format"].name == params.format and got["hurd?"] is True
        assert got["wal-mode?"] is False and got["uuid"] is False
        assert got["name"] == "disk-image"


def test_machines_scm_is_not_an_operating_system(tmp_path: Path) -> None:
    """examples/machines.scm is /etc/guix/machines.scm, a list of build
    machines for 'guix offload': there is nothing to build."""
    r = schemos("build", "-d", "examples/machines.scm", store=tmp_path / "s", check=False)
    assert r.returncode == 1
    assert "not a file-like object" in r.stderr and "build-machine" in r.stderr


# ------------------------------------------- cross-checks with GNU Guile 3.0

def _require_guile() -> None:
    """These tests compare with GNU Guile: fail, not skip, when it is missing."""
    assert shutil.which("guile"), "guile is needed: apt-get install guile-3.0 (.ci/run does)"


def needs_guile(test):  # noqa: ANN001, ANN201 - a decorator
    """Mark a test that runs GNU Guile; it fails with a clear message without it."""
    import functools

    @functools.wraps(test)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        _require_guile()
        return test(*args, **kwargs)

    return wrapper

_GUILE_ROUND_TRIP = r"""
(use-modules (ice-9 textual-ports))
;; Print the name of every file that is not one datum written back to the
;; very same text by Guile's 'write'.
(for-each
 (lambda (file)
   (let* ((text  (call-with-input-file file get-string-all))
          (port  (open-input-string text))
          (datum (read port)))
     (unless (and (eof-object? (read port))
                  (string=? text (call-with-output-string
                                  (lambda (out) (write datum out)))))
       (display file) (newline))))
 (cdr (command-line)))
"""


def _guile(script: str, *args: str, tmp: Path) -> str:
    f = tmp / "check.scm"
    f.write_text(script)
    r = subprocess.run(["guile", "--no-auto-compile", str(f), *args],
                       env={**os.environ, "LC_ALL": "C.UTF-8"},
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return r.stdout


@needs_guile
def test_builder_scripts_are_what_guile_writes(examples: dict[str, str],
                                               tmp_path: Path) -> None:
    """Every builder script of the examples' closures (Guile runs them, and
    Guix writes them with 'write') reads back under Guile 3.0 as one datum
    that 'write' turns into the same text."""
    root = Path(examples["store"])
    scripts = [str(p) for p in sorted(root.iterdir())
               if p.name.endswith("-builder") or p.name.endswith("-compile-modules")]
    assert len(scripts) > 500
    assert _guile(_GUILE_ROUND_TRIP, *scripts, tmp=tmp_path) == ""


_FILE_LIKES = """
(let ((name (plain-file "name" "world")))
  (file-union "all"
              `(("greeting" ,(mixed-text-file "greeting" "hello " name "\\n"))
                ("answer.scm" ,(scheme-file "answer.scm" #~(define answer (* 6 7))))
                ("hello" ,(program-file "hello"
                                        #~(begin (display "hello, ")
                                                 (display #$name)
                                                 (newline))))
                ("computed" ,(computed-file "computed" #~(symlink #$name #$output)))
                ("sub/name" ,name))))
"""

# What Guix's templates (guix/gexp.scm of Guix 1.5) expand to for _FILE_LIKES,
# given the store file names schemos used: the builder of each derivation as
# Guile's 'write' writes it, one per line.
_GUIX_BUILDERS = r"""
(define-values (name greeting answer hello computed user-guile)
  (apply values (cdr (command-line))))
(define out '((@ (guile) getenv) "out"))
(for-each
 (lambda (sexp) (write sexp) (newline))
 `((call-with-output-file ,out
     (lambda (port)
       (set-port-encoding! port "UTF-8")
       (display (string-append "hello " ,name "\n") port)))
   (call-with-output-file ,out
     (lambda (port)
       (for-each (lambda (exp) (write exp port))
                 '((define answer (* 6 7))))))
   (call-with-output-file ,out
     (lambda (port)
       (format port "#!~a/bin/guile --no-auto-compile~%!#~%" ,user-guile)
       (write '(begin (display "hello, ") (display ,name) (newline)) port)
       (chmod port #o555)))
   (symlink ,name ,out)
   (begin
     (use-modules (guix build utils))
     (mkdir ,out)
     (chdir ,out)
     ,@(map (lambda (target source)
              `(begin (stat ,source)
                      (mkdir-p (dirname ,target))
                      (symlink ,source ,target)))
            '("greeting" "answer.scm" "hello" "computed" "sub/name")
            (list greeting answer hello computed name)))))
"""


@needs_guile
def test_file_like_builders_are_guix_templates(tmp_path: Path) -> None:
    """mixed-text-file, scheme-file, program-file, computed-file and
    file-union of plain data: the builders are what Guix's templates give
    (written by Guile), and the derivations have Guix's options."""
    store = tmp_path / "store"
    drv = schemos("build", "-d", "-e", _FILE_LIKES, store=store).stdout.strip()
    s = LocalStore(store)
    union = read_derivation(s, drv)
    parts = {read_derivation(s, p).name: read_derivation(s, p) for p in union.inputs
             if not p.endswith("-guile-3.0.9.drv") and "module-import" not in p}
    assert set(parts) == {"greeting", "answer.scm", "hello", "computed"}
    # plain-file is add-text-to-store, whose paths are Guix's (the vectors)
    [name] = [p for p in union.sources if p.endswith("-name")]
    out = {n: d.outputs["out"].path for n, d in parts.items()}
    hello = parts["hello"]
    [user_guile] = [read_derivation(s, p).outputs["out"].path for p in hello.inputs
                    if p.endswith("-guile-3.0.9.drv")]
    expected = _guile(_GUIX_BUILDERS, name, out["greeting"], out["answer.scm"],
                      out["hello"], out["computed"], user_guile, tmp=tmp_path).splitlines()
    actual = [s.physical(d.args[-1]).read_text()
              for d in (parts["greeting"], parts["answer.scm"], hello,
                        parts["computed"], union)]
    assert actual == expected
    # Guix's options: computed files are local builds; scheme-file and
    # program-file also not substitutable; program-file is built by its Guile
    for d in (*parts.values(), union):
        assert d.env["preferLocalBuild"] == "1", d.name
        assert ("allowSubstitutes" in d.env) == (d.name in ("answer.scm", "hello")), d.name
        assert d.args[0] == "--no-auto-compile" and d.args[-1].endswith(f"-{d.name}-builder")
        assert ("-L" in d.args) == (d.name == "all"), d.name
    assert hello.builder == user_guile + "/bin/guile"
    assert parts["computed"].builder != hello.builder
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
