"""Test helpers for boot tests: the real 32-bit GNU Mach and a Hurd-like root.

The kernel is Debian's ``gnumach-image-1.8-486`` for i386, fetched by
``scripts/fetch-gnumach`` without changing the machine's dpkg architectures.
The Hurd servers that GRUB loads next to it are stand-ins made by
:func:`schemos.image.elf.spinner_elf32`: GNU Mach loads them as tasks and
says so on the serial console, which is what a boot test looks for.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from schemos.image.disk import image_error
from schemos.image.elf import spinner_elf32

#: the fetch script, next to the ``schemos`` package in a source checkout
FETCH_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fetch-gnumach"

#: GRUB's serial console settings and a Hurd entry as Guix writes it, for a
#: root holding /boot/gnumach, /hurd/ext2fs.static and /lib/ld.so.1
HURD_TEST_GRUB_CFG = """\
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console

set default=0
set timeout=0

menuentry "GNU" {
  multiboot /boot/gnumach root=part:1:device:wd0 console=com0
  module /hurd/ext2fs.static ext2fs --multiboot-command-line='${kernel-command-line}' \
--host-priv-port='${host-port}' --device-master-port='${device-port}' \
--exec-server-task='${exec-task}' --store-type=typed --x-xattr-translator-records \
'${root}' '$(task-create)' '$(task-resume)'
  module /lib/ld.so.1 exec /hurd/exec '$(exec-task=task-create)'
}
"""

#: what the serial console shows when that entry boots: GRUB starting the
#: entry, GNU Mach's banner, and the two tasks it made from the modules
#: (Mach fills in ``${root}`` from ``root=`` on its command line)
HURD_BOOT_EXPECT: tuple[str, ...] = (
    r"Booting `GNU'",
    r"GNU Mach 1\.8",
    r"task loaded: ext2fs --multiboot-command-line=root=part:1:device:wd0 [^\r\n]*"
    r" part:1:device:wd0",
    r"task loaded: exec /hurd/exec",
)


def default_gnumach_dir() -> Path:
    """``$XDG_CACHE_HOME/schemos/gnumach-i386`` (``~/.cache`` by default)."""
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(cache) / "schemos" / "gnumach-i386"


def ensure_gnumach(cache_dir: Path | None = None) -> Path:
    """Return the file name of an uncompressed 32-bit GNU Mach kernel.

    ``$SCHEMOS_TEST_GNUMACH`` if set (it must exist); otherwise
    ``CACHE_DIR/gnumach`` (by default under :func:`default_gnumach_dir`),
    running ``scripts/fetch-gnumach CACHE_DIR`` first if it is missing.
    Raises an ``image-error`` condition, saying how to get the kernel by
    hand, when it cannot be had.
    """
    override = os.environ.get("SCHEMOS_TEST_GNUMACH")
    if override:
        path = Path(override)
        if not path.is_file():
            raise image_error(f"SCHEMOS_TEST_GNUMACH names {override!r}, which does not exist",
                              hint="point it at an uncompressed 32-bit GNU Mach kernel, or "
                                   "unset it to fetch Debian's")
        return path
    directory = Path(cache_dir) if cache_dir is not None else default_gnumach_dir()
    kernel = directory / "gnumach"
    if kernel.is_file():
        return kernel
    proc = subprocess.run([str(FETCH_SCRIPT), str(directory)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, errors="replace")
    if proc.returncode != 0 or not kernel.is_file():
        raise image_error(
            f"could not fetch the 32-bit GNU Mach kernel into {str(directory)!r}: "
            f"{(proc.stderr or proc.stdout).strip()}",
            hint=f"run '{FETCH_SCRIPT} {directory}' by hand (it needs network access to a "
                 "Debian mirror), or set SCHEMOS_TEST_GNUMACH to a kernel file")
    return kernel


def write_hurd_test_root(root: Path, gnumach: Path, *, grub_cfg: str = HURD_TEST_GRUB_CFG,
                         mtime: int = 1) -> None:
    """Lay out in ``root`` a tree that boots GNU Mach with two spinner tasks.

    ``/boot/gnumach`` (a copy of ``gnumach``), ``/boot/grub/grub.cfg``
    (``grub_cfg``), and :func:`~schemos.image.elf.spinner_elf32` programs at
    ``/hurd/ext2fs.static``, ``/hurd/exec`` and ``/lib/ld.so.1``; every
    file's times are set to ``mtime``.
    """
    root = Path(root)
    for sub in ("boot/grub", "hurd", "lib"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "boot" / "gnumach").write_bytes(Path(gnumach).read_bytes())
    (root / "boot" / "grub" / "grub.cfg").write_text(grub_cfg)
    for name, message in (("hurd/ext2fs.static", "ext2fs"), ("hurd/exec", "exec"),
                          ("lib/ld.so.1", "ld.so")):
        path = root / name
        path.write_bytes(spinner_elf32(message))
        path.chmod(0o755)
    for path in [root, *root.rglob("*")]:
        os.utime(path, (mtime, mtime), follow_symlinks=False)
