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


def standin_content(kernel: Path) -> Callable[[Any, str, Path], None]:
    """The content callback: what each stand-in output holds."""
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
        (out / "README.schemos-stand-in").write_text(
            f"A stand-in for output {output!r} of {drv.name}, made by "
            "scripts/make-test-cache for schemos' boot test.\n")

    return content


def make_test_cache(directory: Path, *, template: Path, kernel: Path | None = None,
                    store: Path | None = None, target: str = "i586-pc-gnu",
                    log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Create (or refresh) the test cache in ``directory``; return its URL, ACL, count."""
    from schemos import load_operating_system
    from schemos.image.testing import ensure_gnumach
    from schemos.store.build import lower_operating_system, open_store
    from schemos.substitutes import pki
    from schemos.substitutes.standin import publish_standins

    say = log or (lambda m: None)
    directory = directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    kernel = kernel or ensure_gnumach()
    if not (directory / pki.SECRET_KEY_FILE).exists():
        pki.write_key_pair(pki.generate_key_pair(), directory)
    key = pki.load_secret_key(directory)
    acl = directory / "acl"
    pki.authorize_key(key.public, acl)

    os_ = load_operating_system(template)
    tmp = None
    if store is None:
        tmp = Path(tempfile.mkdtemp(prefix="schemos-test-cache-"))
        store = tmp / "store"
    try:
        with open_store(store, interp=os_.interp) as st:
            lowered = lower_operating_system(os_.interp, os_.record, st, target=target)
            roots = [d.path for d in lowered.roots()]
        say(f"make-test-cache: lowered {template} for {target}")
        published = publish_standins(roots, directory, key, store_root=store,
                                     content=standin_content(kernel))
    finally:
        if tmp is not None:
            from schemos.image.build import _remove

            _remove(tmp)
    say(f"make-test-cache: {len(published)} stand-in item(s) in {directory}")
    return {"url": f"file://{directory}", "acl": str(acl), "count": len(published),
            "items": published}
