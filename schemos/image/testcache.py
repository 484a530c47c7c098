"""A signed test binary cache for booting an image without Guix's build farm.

:func:`make_test_cache` is ``scripts/make-test-cache``: it lowers a template
for the Hurd, and publishes, for every derivation an image build would have
to substitute, a stand-in output -- a real 32-bit GNU Mach for ``gnumach``,
tiny spinning 32-bit ELF programs for the Hurd's boot servers and glibc's
dynamic linker, a small text file for everything else.  GNU Mach loads the
servers as its first tasks and prints ``task loaded: …`` for each, which is
what the boot test checks.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: the Hurd's boot servers that a grub.cfg may load as multiboot modules
HURD_SERVERS = ("ext2fs.static", "exec.static", "exec", "pci-arbiter.static",
                "rumpdisk.static", "startup", "proc", "auth")


def _package_name(drv_name: str) -> str:
    """``gnumach-1.8+git2024`` → ``gnumach``: the name before the version."""
    m = re.match(r"(.+?)-(\d[^-]*)$", drv_name)
    return m.group(1) if m else drv_name


#: a store file name in a builder script
_STORE_NAME = re.compile(r"/gnu/store/[0-9a-df-np-sv-z]{32}-[A-Za-z0-9+\-._?=]+")


def compiled_source_names(drv: Any, store_root: Path) -> list[str]:
    """The store file names the Scheme source of the compiled ``drv`` names, sorted.

    ``drv`` compiles a Scheme file with ``compile-file`` (the ``.go`` of a
    shepherd service); its source is the input whose output its builder
    script names, a ``scheme-file`` whose builder script writes the code.
    A compiled object holds its source's strings -- the store file names
    among them -- so it refers to what the source refers to: the
    childhurd's compiled service refers to the disk image QEMU boots.
    Returns ``[]`` for any other derivation.
    """
    from schemos.store.derivation import parse_aterm

    def text(path: str) -> str:
        try:
            return (store_root / path.rsplit("/", 1)[1]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    script = text(drv.args[-1]) if drv.args else ""
    if "compile-file" not in script:
        return []
    names: set[str] = set()
    for p in sorted(drv.inputs):
        source = parse_aterm(text(p), p)
        if any(o.path in script for o in source.outputs.values()) and source.args:
            names.update(m.group() for m in _STORE_NAME.finditer(text(source.args[-1])))
    return sorted(n for n in names if not n.endswith(".drv"))


def payload_bytes(name: str, size: int) -> bytes:
    """``size`` bytes of incompressible, reproducible filler named after ``name``."""
    import hashlib

    block = b"".join(hashlib.sha256(f"{name}:{i}".encode()).digest() for i in range(2048))
    return (block * (size // len(block) + 1))[:size]


def standin_content(kernel: Path, store_root: Path | None = None, payload: int = 0
                    ) -> Callable[[Any, str, Path], None]:
    """The content callback: what each stand-in output holds.

    With ``store_root`` (the store the derivations were lowered into), the
    stand-in of a compiled Scheme file names what its source names
    (:func:`compiled_source_names`), so that it has the references the
    real one has.  With ``payload``, every package's main output also holds
    a file of that many bytes (``share/schemos-stand-in/payload``), so that
    an image's closure can have the size of a real one (for benchmarks).
    """
    from schemos.image.elf import spinner_elf32

    def write_exec(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.chmod(path, 0o555)

    def content(drv: Any, output: str, out: Path) -> None:
        name = _package_name(drv.name)
        out.mkdir(parents=True, exist_ok=True)
        if output == "out" and name == "gnumach":
            (out / "boot").mkdir()
            shutil.copyfile(kernel, out / "boot" / "gnumach")
        elif output == "out" and name == "hurd":
            for server in HURD_SERVERS:
                write_exec(out / "hurd" / server, spinner_elf32(server))
        elif output == "out" and name.startswith("glibc"):
            write_exec(out / "lib" / "ld.so.1", spinner_elf32("ld.so.1"))
        if payload and output == "out" and name != drv.name:     # a package: NAME-VERSION
            data = out / "share" / "schemos-stand-in" / "payload"
            data.parent.mkdir(parents=True, exist_ok=True)
            data.write_bytes(payload_bytes(drv.name, payload))
        names = compiled_source_names(drv, store_root) if store_root is not None else []
        (out / "README.schemos-stand-in").write_text(
            f"A stand-in for output {output!r} of {drv.name}, made by "
            "scripts/make-test-cache for schemos' boot test.\n"
            + ("It names what its source names:\n" + "".join(f"  {n}\n" for n in names)
               if names else ""))

    return content


def make_test_cache(directory: Path, *, template: Path, kernel: Path | None = None,
                    store: Path | None = None, target: str | None = "i586-pc-gnu",
                    system: str = "x86_64-linux", payload: int = 0,
                    log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Create (or refresh) the test cache in ``directory``; return its URL, ACL, count.

    ``template`` is lowered for ``system``, cross-built for ``target``
    (``None`` for a native build: a GNU/Linux host such as
    ``examples/childhurd.tmpl``, whose childhurd image is cross-built for
    ``i586-pc-gnu`` all the same), as ``schemos build -s SYSTEM --target
    TARGET`` does; the cache gets a stand-in for every derivation a build of
    the result substitutes (each package output with ``payload`` bytes of
    filler, see :func:`standin_content`).
    """
    from schemos import load_operating_system
    from schemos.image.disk import image_error
    from schemos.image.testing import ensure_gnumach
    from schemos.store.build import lower_operating_system, open_store
    from schemos.substitutes import pki
    from schemos.substitutes.standin import publish_standins

    say = log or (lambda m: None)
    directory = directory.resolve()
    # bad input fails before anything is written: the template first, then
    # the kernel, the cache directory
    os_ = load_operating_system(template)
    if kernel is not None and not Path(kernel).is_file():
        raise image_error(f"{kernel}: no such kernel file",
                          hint="give --kernel an uncompressed 32-bit GNU Mach kernel, or "
                          "leave it out to fetch Debian's")
    kernel = kernel or ensure_gnumach()
    blocker = directory
    while not blocker.exists() and blocker != blocker.parent:
        blocker = blocker.parent
    if not blocker.is_dir():
        raise image_error(f"cannot make the cache directory {directory}: {blocker} is not a "
                          "directory", hint="give a directory, or a name that does not exist yet")
    if not os.access(blocker, os.W_OK | os.X_OK):
        raise image_error(f"cannot make the cache in {directory}: permission denied in "
                          f"{blocker}", hint="give a directory you can write")
    tmp = None
    if store is None:
        tmp = Path(tempfile.mkdtemp(prefix="schemos-test-cache-"))
        store = tmp / "store"
    try:
        with open_store(store, interp=os_.interp) as st:
            lowered = lower_operating_system(os_.interp, os_.record, st, system=system,
                                             target=target or None)
            roots = [d.path for d in lowered.roots()]
        say(f"make-test-cache: lowered {template} for {system}"
            + (f", cross-built for {target}" if target else ""))
        directory.mkdir(parents=True, exist_ok=True)
        if not (directory / pki.SECRET_KEY_FILE).exists():
            pki.write_key_pair(pki.generate_key_pair(), directory)
        key = pki.load_secret_key(directory)
        acl = directory / "acl"
        pki.authorize_key(key.public, acl)
        published = publish_standins(roots, directory, key, store_root=store,
                                     content=standin_content(kernel, Path(store), payload))
    finally:
        if tmp is not None:
            from schemos.image.build import _remove

            _remove(tmp)
    say(f"make-test-cache: {len(published)} stand-in item(s) in {directory}")
    return {"url": f"file://{directory}", "acl": str(acl), "count": len(published),
            "items": published}
