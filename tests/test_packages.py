"""The package collection: every listed package exists and is well formed.

Loads every module of ``(gnu packages ...)`` and checks the packages the
seed, the system defaults (``%base-packages``, ``%base-packages/hurd``,
``%base-firmware``) and the services need: a version, a home page, and (for
packages with a source) an origin with a 52-character Nix base32 SHA-256;
that the package graph is acyclic; and that each module under
``stdlib/gnu/packages`` loads on its own with ``schemos eval``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import schemos.gexp_support  # noqa: F401 - registers (schemos gexp-support)
from schemos.datum import Pair, Symbol
from schemos.interp import Interpreter
from schemos.records import field_value
from schemos.runtime.control import Record

#: the packages the seed, the system defaults and the services need:
#: module -> variables
LISTED = {
    "base": ["glibc", "coreutils", "diffutils", "findutils", "gnu-make", "grep",
             "sed", "tar", "which", "hello", "patch", "glibc-utf8-locales",
             "binutils"],
    "bash": ["bash", "bash-minimal", "bash-completion"],
    "compression": ["gzip", "xz", "zlib", "bzip2", "lzip", "zstd"],
    "file": ["file"], "gawk": ["gawk"], "gdb": ["gdb", "gdb-minimal"],
    "less": ["less"], "m4": ["m4"],
    "admin": ["shadow", "shepherd", "shepherd-1.0", "sudo", "inetutils",
              "net-base", "isc-dhcp", "mingetty"],
    "guile": ["guile-3.0", "guile-3.0-latest", "guile-readline"],
    "guile-xyz": ["guile-colorized"],
    "ssh": ["openssh", "openssh-sans-x"],
    "gnupg": ["libgcrypt", "guile-gcrypt", "pam-gnupg"],
    "bootloaders": ["grub", "grub-minimal", "grub-efi", "grub-efi32",
                    "grub-hybrid"],
    "hurd": ["hurd", "gnumach", "netdde"],
    "package-management": ["guix", "guix-icons", "guix-backgrounds"],
    "linux": ["linux-libre", "linux-pam", "procps", "psmisc", "e2fsprogs",
              "e2fsck/static", "btrfs-progs/static", "fatfsck/static", "kbd",
              "iproute", "iw", "wireless-tools", "usbutils", "util-linux",
              "util-linux+udev", "kmod", "eudev", "fuse", "fuse-2",
              "alsa-utils", "crda", "f2fs-tools", "gpm", "lvm2", "rng-tools",
              "xfsprogs", "btrfs-progs", "pam-gnupg"],
    "certs": ["nss-certs"],
    "texinfo": ["texinfo", "info-reader"],
    "man": ["man-db"], "nano": ["nano"], "nvi": ["nvi"],
    "text-editors": ["mg"], "wget": ["wget"], "pciutils": ["pciutils"],
    "firmware": ["ath9k-htc-ar7010-firmware", "ath9k-htc-ar9271-firmware",
                 "openfwwf-firmware"],
    "fonts": ["font-gnu-unifont"],
    "disk": ["dosfstools"],
    "file-systems": ["bcachefs-tools", "exfat-utils", "jfsutils", "zfs"],
    "virtualization": ["qemu", "qemu-minimal"],
    "gcc": ["gcc"],
    "commencement": ["gcc-toolchain", "ld-wrapper"],
    "version-control": ["git-minimal"],
}

#: packages that Guix itself builds without a source (trivial build system)
SOURCELESS = {"glibc-utf8-locales", "gcc-toolchain", "ld-wrapper",
              "e2fsck-static", "btrfs-progs-static", "fatfsck-static"}

#: packages whose source Guix computes (a "computed" origin has no hash: the
#: deblobbed Linux-libre tarball is made from the upstream one)
COMPUTED = {"linux-libre"}

STDLIB = Path(__file__).resolve().parent.parent / "stdlib"
PACKAGE_MODULES = sorted(p.stem for p in (STDLIB / "gnu" / "packages").glob("*.scm"))


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    """An interpreter with every module of the collection loaded."""
    it = Interpreter(use_cache=False)
    it.eval_string("(use-modules (gnu packages) (guix packages) (guix base32))")
    return it


def fv(rec: Record, name: str) -> Any:
    """Field ``name`` of Guix record ``rec``."""
    return field_value(rec, Symbol(name))


def pkg(interp: Interpreter, module: str, var: str) -> Record:
    """Variable ``var`` of ``(gnu packages module)``."""
    return interp.eval_string(f"(@ (gnu packages {module}) {var})")


@pytest.mark.parametrize("module,var", [(m, v) for m, vs in LISTED.items() for v in vs])
def test_listed_package(interp: Interpreter, module: str, var: str) -> None:
    """Each listed package has a version, a home page and a hashed origin."""
    p = pkg(interp, module, var)
    assert isinstance(p, Record) and p.rtd.name.name == "<package>"
    assert isinstance(fv(p, "version"), str) and fv(p, "version")
    assert isinstance(fv(p, "home-page"), str) and fv(p, "home-page").startswith("http")
    source = fv(p, "source")
    if fv(p, "name") in SOURCELESS:
        assert source is False
        return
    assert isinstance(source, Record) and source.rtd.name.name == "<origin>"
    ref = f"(package-source (@ (gnu packages {module}) {var}))"
    if fv(p, "name") in COMPUTED:
        # No hash, and a URI that is a promise of the gexp computing it.
        assert interp.eval_string(
            f"(equal? (list (content-hash-value (origin-hash {ref})) "
            f"(promise? (origin-uri {ref}))) '(#f #t))") is True
        return
    digest = interp.eval_string(
        f"(bytevector->nix-base32-string (content-hash-value (origin-hash {ref})))")
    assert len(digest) == 52


def test_every_package_of_the_collection(interp: Interpreter) -> None:
    """fold-packages visits well-formed packages only, each with a hash."""
    interp.eval_string("(use-modules (gnu packages) (guix packages) (guix base32))")
    names = interp.eval_string("""
      (fold-packages
        (lambda (p acc)
          (let ((s (package-source p)))
            (cons (list (package-name p) (package-version p)
                        (cond ((not (origin? s)) 52)
                              ;; computed origins (Linux-libre) have no hash
                              ((not (content-hash-value (origin-hash s)))
                               (if (promise? (origin-uri s)) 52 0))
                              (else
                               (string-length (bytevector->nix-base32-string
                                               (content-hash-value
                                                (origin-hash s)))))))
                  acc)))
        '())""")
    items = []
    while isinstance(names, Pair):
        items.append(names.car)
        names = names.cdr
    assert len(items) >= 100
    for entry in items:
        name, version, hash_len = entry.car, entry.cdr.car, entry.cdr.cdr.car
        assert name and version and hash_len == 52, name


def package_deps(interp: Interpreter, p: Record) -> list[Record]:
    """The packages among the direct inputs of package ``p``."""
    direct = interp.eval_string("(@ (guix packages) package-direct-inputs)")
    out = []
    lst = direct(p)
    while isinstance(lst, Pair):
        thing = lst.car.cdr.car
        if isinstance(thing, Record) and thing.rtd.name.name == "<package>":
            out.append(thing)
        lst = lst.cdr
    return out


def assert_acyclic(interp: Interpreter, roots: list[Record]) -> int:
    """Depth-first search over the input graph of ``roots``: no cycle.

    Return the number of packages visited."""
    state: dict[int, int] = {}

    def visit(p: Record, depth: int = 0) -> None:
        assert depth < 1000
        s = state.get(id(p))
        assert s != 1, f"cycle through {fv(p, 'name')}"
        if s == 2:
            return
        state[id(p)] = 1
        for d in package_deps(interp, p):
            visit(d, depth + 1)
        state[id(p)] = 2

    for root in roots:
        visit(root)
    return len(state)


def test_guix_graph_is_acyclic(interp: Interpreter) -> None:
    """The input graph of guix has no cycle."""
    assert assert_acyclic(interp, [pkg(interp, "package-management", "guix")]) > 10


def test_collection_graph_is_acyclic(interp: Interpreter) -> None:
    """The input graph of every package of the collection has no cycle."""
    lst = interp.eval_string("(fold-packages cons '())")
    roots = []
    while isinstance(lst, Pair):
        roots.append(lst.car)
        lst = lst.cdr
    assert assert_acyclic(interp, roots) >= len(roots)


@pytest.mark.parametrize("module", PACKAGE_MODULES)
def test_module_loads(module: str) -> None:
    """Each module of the collection loads on its own (no import cycle)."""
    proc = subprocess.run(
        [sys.executable, "-m", "schemos.cli", "eval", "-e",
         f"(use-modules (gnu packages {module}))"],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_module_list_is_complete(interp: Interpreter) -> None:
    """%package-module-names names every module of the collection."""
    names = interp.eval_string(
        "(map (lambda (m) (symbol->string (caddr m))) %package-module-names)")
    listed = []
    while isinstance(names, Pair):
        listed.append(names.car)
        names = names.cdr
    assert sorted(listed) == PACKAGE_MODULES
