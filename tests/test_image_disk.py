"""The low-level image backend: ext2, MBR + GRUB, qcow2, the ELF stand-in, QEMU.

Everything runs the real tools (e2fsprogs, sfdisk, grub-mkimage, qemu-img,
qemu-system-i386, readelf); the boot tests boot Debian's 32-bit GNU Mach
(fetched by ``scripts/fetch-gnumach``) from images made here, under software
emulation, and check what it prints on the serial console.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from schemos.errors import SchemeError
from schemos.image.disk import (
    FIRST_PARTITION_OFFSET,
    GRUB_I386_PC_DIR,
    MiB,
    assemble_mbr,
    convert_qcow2,
    estimate_size,
    file_size,
    find_tool,
    make_ext2,
    require_tools,
)
from schemos.image.elf import LOAD_ADDRESS, spinner_elf32
from schemos.image.testing import HURD_BOOT_EXPECT, ensure_gnumach, write_hurd_test_root
from schemos.image.vm import qemu_command, run_vm

UUID = "6b700d61-5550-4aa8-9b8f-1f0ec7cc4e2a"
SEED = "0d8a2d4c-43e4-4e1a-9f23-0e6bd5bd9fd5"
DISK_ID = 0x6B700D61


def sh(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run a tool (found in sbin too) and return its output; fail on error."""
    tool = find_tool(argv[0])
    assert tool, f"{argv[0]} is not installed"
    proc = subprocess.run([tool, *argv[1:]], capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(argv)}: {proc.stderr}{proc.stdout}"
    return proc


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def make_tree(root: Path, *, owner: int | None = None) -> Path:
    """A small tree like an image's root: store items, a symlink, a hard link."""
    item = root / "gnu" / "store" / "0123456789abcdfghijklmnpqrsvwxyz-hello-2.12"
    (item / "bin").mkdir(parents=True)
    (item / "share" / "doc").mkdir(parents=True)
    (item / "bin" / "hello").write_bytes(bytes(range(256)) * 300)
    (item / "bin" / "hello").chmod(0o555)
    (item / "share" / "doc" / "README").write_text("Hello, GNU!\n")
    os.link(item / "share" / "doc" / "README", item / "share" / "doc" / "README.link")
    (root / "boot" / "grub").mkdir(parents=True)
    (root / "boot" / "grub" / "grub.cfg").write_text("set timeout=0\n")
    (root / "etc").mkdir()
    os.symlink("/gnu/store/0123456789abcdfghijklmnpqrsvwxyz-hello-2.12/bin/hello",
               root / "etc" / "hello")
    for path in [root, *root.rglob("*")]:
        if owner is not None:
            os.lchown(path, owner, owner)
        os.utime(path, (1, 1), follow_symlinks=False)
    return root


def ext2(root: Path, out: Path, size: int = 8 * MiB, **kw: object) -> Path:
    """make_ext2 with the test's fixed identifiers."""
    make_ext2(root, out, size=size, label="my-root", uuid=UUID, hash_seed=SEED,
              timestamp=1, **kw)  # type: ignore[arg-type]
    return out


# ---------------------------------------------------------------------------
# ext2


def test_make_ext2_is_a_clean_hurd_file_system(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "root")
    img = ext2(root, tmp_path / "fs.img")
    assert img.stat().st_size == 8 * MiB
    fsck = subprocess.run([find_tool("e2fsck") or "e2fsck", "-fn", str(img)],
                          capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    listing = sh("debugfs", "-R", "ls -l /", str(img)).stdout
    for name in ("gnu", "boot", "etc", "lost+found"):
        assert re.search(rf"\s{re.escape(name)}\s*$", listing, re.M), listing
    store = sh("debugfs", "-R", "ls /gnu/store", str(img)).stdout
    assert "0123456789abcdfghijklmnpqrsvwxyz-hello-2.12" in store
    cat = sh("debugfs", "-R",
             "cat /gnu/store/0123456789abcdfghijklmnpqrsvwxyz-hello-2.12/share/doc/README",
             str(img)).stdout
    assert cat == "Hello, GNU!\n"
    link = sh("debugfs", "-R", "stat /etc/hello", str(img)).stdout
    assert "Type: symlink" in link
    hard = sh("debugfs", "-R",
              "stat /gnu/store/0123456789abcdfghijklmnpqrsvwxyz-hello-2.12/share/doc/README",
              str(img)).stdout
    assert "Links: 2" in hard
    header = sh("dumpe2fs", "-h", str(img)).stdout
    assert re.search(r"Filesystem volume name:\s+my-root$", header, re.M)
    assert re.search(rf"Filesystem UUID:\s+{UUID}$", header, re.M)
    assert re.search(rf"Directory Hash Seed:\s+{SEED}$", header, re.M)
    assert re.search(r"Filesystem OS type:\s+Hurd$", header, re.M)
    assert re.search(r"Block size:\s+4096$", header, re.M)
    assert re.search(r"Inode size:\s+128$", header, re.M)
    features = re.search(r"Filesystem features:\s+(.*)$", header, re.M)
    assert features is not None
    assert "ext_attr" in features.group(1).split()
    assert "filetype" not in features.group(1).split()
    assert "has_journal" not in features.group(1).split()
    assert sh("e2label", str(img)).stdout.strip() == "my-root"


def test_make_ext2_sets_owner_and_times(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "root", owner=1000)
    img = ext2(root, tmp_path / "fs.img")
    stat = sh("debugfs", "-R", "stat /boot/grub/grub.cfg", str(img)).stdout
    assert re.search(r"User:\s+0\s+Group:\s+0", stat), stat
    for field in ("ctime", "atime", "mtime"):
        assert re.search(rf"{field}: 0x00000001 ", stat), stat
    img2 = ext2(root, tmp_path / "fs2.img", mtime=7)
    stat = sh("debugfs", "-R", "stat /boot/grub/grub.cfg", str(img2)).stdout
    assert "mtime: 0x00000007 " in stat and "ctime: 0x00000001 " in stat


def test_make_ext2_is_reproducible(tmp_path: Path) -> None:
    # Two copies of the tree made at different times (so different change
    # times, which mke2fs copies), with different owners.
    first = make_tree(tmp_path / "a")
    time.sleep(1.1)
    second = make_tree(tmp_path / "b", owner=1000)
    one = ext2(first, tmp_path / "one.img")
    two = ext2(second, tmp_path / "two.img")
    assert sha256(one) == sha256(two)
    again = ext2(first, tmp_path / "one.img")  # overwrites atomically
    assert sha256(again) == sha256(two)


def test_make_ext2_partition_options(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "root")
    default = ext2(root, tmp_path / "default.img")
    guix = ext2(root, tmp_path / "guix.img", options=["-o", "hurd", "-O", "ext_attr"])
    assert sha256(default) == sha256(guix)
    plain = ext2(root, tmp_path / "plain.img", options=[])  # "-o hurd" still added
    header = sh("dumpe2fs", "-h", str(plain)).stdout
    assert re.search(r"Filesystem OS type:\s+Hurd$", header, re.M)


def test_make_ext2_not_hurd(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "root")
    img = ext2(root, tmp_path / "fs.img", hurd=False)
    header = sh("dumpe2fs", "-h", str(img)).stdout
    assert re.search(r"Filesystem OS type:\s+Linux$", header, re.M)
    assert "filetype" in header
    subprocess.run([find_tool("e2fsck") or "e2fsck", "-fn", str(img)], check=True,
                   capture_output=True)


def test_make_ext2_size_too_small(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "big").write_bytes(os.urandom(3 * MiB))
    out = tmp_path / "fs.img"
    with pytest.raises(SchemeError) as info:
        ext2(root, out, size=2 * MiB)
    condition = info.value.condition
    assert condition is not None
    assert str(condition.key) == "image-error"
    assert condition.message == (
        f"image size {2 * MiB} too small for the root tree ({file_size(root)} bytes)")
    assert condition.hint is not None and "--image-size" in condition.hint
    assert not out.exists()
    assert os.listdir(tmp_path) == ["root"]  # no temporary left behind


def test_make_ext2_too_many_files_for_the_size(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    for i in range(400):
        (root / f"f{i:03}").write_text("x")
    with pytest.raises(SchemeError, match="too small for the root tree"):
        ext2(root, tmp_path / "fs.img", size=MiB)


def test_make_ext2_interrupted_leaves_nothing(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "root")
    out = tmp_path / "fs.img"
    out.write_bytes(b"previous image")

    def interrupt(step: str, done: int, total: int) -> None:
        if done == total:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ext2(root, out, progress=interrupt)
    assert out.read_bytes() == b"previous image"
    assert sorted(os.listdir(tmp_path)) == ["fs.img", "root"]


def test_estimate_size_follows_guix_and_fits(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.mkdir()
    (big / "blob").write_bytes(os.urandom(5 * MiB))
    size = estimate_size(big)
    assert size % MiB == 0
    assert size >= 1.25 * file_size(big)
    ext2(big, tmp_path / "big.img", size=size)

    # Many small files: Guix's 1.25 × bytes would be far too small.
    small = tmp_path / "small"
    for d in range(20):
        (small / f"d{d}").mkdir(parents=True)
        for i in range(150):
            (small / f"d{d}" / f"f{i}").write_text(str(i))
    size = estimate_size(small)
    assert size > 1.25 * file_size(small)
    ext2(small, tmp_path / "small.img", size=size)

    empty = tmp_path / "empty"
    empty.mkdir()
    assert estimate_size(empty) == MiB
    ext2(empty, tmp_path / "empty.img", size=estimate_size(empty))


# ---------------------------------------------------------------------------
# MBR disk and GRUB


@pytest.fixture(scope="module")
def small_disk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A file system image and the raw disk holding it (built once)."""
    d = tmp_path_factory.mktemp("disk")
    fs = ext2(make_tree(d / "root"), d / "fs.img")
    disk = d / "disk.img"
    assemble_mbr([(fs, FIRST_PARTITION_OFFSET)], disk, disk_id=DISK_ID)
    return fs, disk


def test_assemble_mbr_partition_table(small_disk: tuple[Path, Path]) -> None:
    fs, disk = small_disk
    assert disk.stat().st_size == FIRST_PARTITION_OFFSET + fs.stat().st_size
    dump = sh("sfdisk", "-d", str(disk)).stdout
    assert "label: dos" in dump
    assert f"label-id: 0x{DISK_ID:08x}" in dump
    sectors = fs.stat().st_size // 512
    assert re.search(rf"start=\s*2048, size=\s*{sectors}, type=83, bootable", dump), dump
    assert len(re.findall(r"start=", dump)) == 1


def test_assemble_mbr_grub_and_contents(small_disk: tuple[Path, Path]) -> None:
    fs, disk = small_disk
    data = disk.read_bytes()
    boot_img = (GRUB_I386_PC_DIR / "boot.img").read_bytes()
    assert data[:440] == boot_img[:440]
    assert data[440:444] == DISK_ID.to_bytes(4, "little")
    assert data[510:512] == b"\x55\xaa"
    # The partition entry: active, type 0x83, LBA 2048.
    entry = data[446:462]
    assert entry[0] == 0x80 and entry[4] == 0x83
    assert int.from_bytes(entry[8:12], "little") == 2048
    # core.img right after the MBR: its first sector is diskboot.img, and
    # the kernel carries the prefix.
    diskboot = (GRUB_I386_PC_DIR / "diskboot.img").read_bytes()
    assert data[512:512 + 0x100] == diskboot[:0x100]
    assert any(data[512:FIRST_PARTITION_OFFSET])
    # The file system, byte for byte, at 1 MiB.
    assert data[FIRST_PARTITION_OFFSET:] == fs.read_bytes()
    # ...and the disk stays sparse.
    assert disk.stat().st_blocks * 512 < disk.stat().st_size / 2


def test_assemble_mbr_is_reproducible(small_disk: tuple[Path, Path], tmp_path: Path) -> None:
    fs, disk = small_disk
    again = tmp_path / "again.img"
    assemble_mbr([(fs, FIRST_PARTITION_OFFSET)], again, disk_id=DISK_ID)
    assert sha256(again) == sha256(disk)


def test_assemble_mbr_without_grub_and_several_partitions(small_disk: tuple[Path, Path],
                                                          tmp_path: Path) -> None:
    fs, _ = small_disk
    disk = tmp_path / "two.img"
    second = FIRST_PARTITION_OFFSET + fs.stat().st_size
    assemble_mbr([(fs, FIRST_PARTITION_OFFSET), (fs, second)], disk, disk_id=1,
                 bootable_index=1, grub_prefix=None, size=second + fs.stat().st_size + MiB)
    dump = sh("sfdisk", "-d", str(disk)).stdout
    lines = [line for line in dump.splitlines() if "start=" in line]
    assert len(lines) == 2
    assert "bootable" not in lines[0] and "bootable" in lines[1]
    assert not any(disk.read_bytes()[:440])


def test_assemble_mbr_core_does_not_fit(small_disk: tuple[Path, Path], tmp_path: Path) -> None:
    fs, _ = small_disk
    out = tmp_path / "disk.img"
    with pytest.raises(SchemeError, match=r"core\.img \(\d+ bytes\) does not fit"):
        assemble_mbr([(fs, 64 * 512)], out, disk_id=1)
    assert os.listdir(tmp_path) == []


def test_assemble_mbr_rejects_bad_layouts(small_disk: tuple[Path, Path], tmp_path: Path) -> None:
    fs, _ = small_disk
    with pytest.raises(SchemeError, match="overlaps"):
        assemble_mbr([(fs, MiB), (fs, MiB + 4096)], tmp_path / "d.img", disk_id=1)
    with pytest.raises(SchemeError, match="512-byte sectors"):
        assemble_mbr([(fs, MiB + 1)], tmp_path / "d.img", disk_id=1)
    with pytest.raises(SchemeError, match="does not exist"):
        assemble_mbr([(tmp_path / "nope", MiB)], tmp_path / "d.img", disk_id=1)
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------------------
# qcow2


def test_convert_qcow2(small_disk: tuple[Path, Path], tmp_path: Path) -> None:
    _, disk = small_disk
    one, two = tmp_path / "one.qcow2", tmp_path / "two.qcow2"
    seen: list[tuple[str, int, int]] = []
    convert_qcow2(disk, one, progress=lambda *args: seen.append(args))
    convert_qcow2(disk, two)
    info = json.loads(sh("qemu-img", "info", "--output=json", str(one)).stdout)
    assert info["format"] == "qcow2"
    assert info["virtual-size"] == disk.stat().st_size
    assert sha256(one) == sha256(two)
    sh("qemu-img", "compare", "-f", "raw", "-F", "qcow2", str(disk), str(one))
    assert seen[0] == ("qcow2", 0, disk.stat().st_size)
    assert seen[-1] == ("qcow2", disk.stat().st_size, disk.stat().st_size)
    assert sorted(os.listdir(tmp_path)) == ["one.qcow2", "two.qcow2"]


# ---------------------------------------------------------------------------
# Tools, ELF, QEMU command


def test_require_tools_names_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    require_tools(["mke2fs", "sfdisk", "grub-mkimage", str(GRUB_I386_PC_DIR), "qemu-img",
                   "qemu-system-i386"])
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(SchemeError) as info:
        require_tools(["qemu-img", "qemu-system-i386", "no-such-program-xyz"])
    condition = info.value.condition
    assert condition is not None
    assert "qemu-img (Debian package qemu-utils)" in condition.message
    assert "qemu-system-i386 (Debian package qemu-system-x86)" in condition.message
    assert "no-such-program-xyz" in condition.message
    assert condition.hint is not None
    assert "apt-get install" in condition.hint and "qemu-utils" in condition.hint
    # mke2fs and sfdisk live in /usr/sbin, found even without it in PATH.
    require_tools(["mke2fs", "sfdisk"])
    with pytest.raises(SchemeError, match="grub-pc-bin"):
        require_tools(["/nonexistent/grub/i386-pc"])


def test_spinner_elf_is_a_valid_i386_executable(tmp_path: Path) -> None:
    elf = spinner_elf32("ext2fs")
    path = tmp_path / "ext2fs.static"
    path.write_bytes(elf)
    out = sh("readelf", "-h", "-l", str(path)).stdout
    assert re.search(r"Class:\s+ELF32", out)
    assert re.search(r"Data:\s+2's complement, little endian", out)
    assert re.search(r"Type:\s+EXEC", out)
    assert re.search(r"Machine:\s+Intel 80386", out)
    entry = re.search(r"Entry point address:\s+0x([0-9a-f]+)", out)
    assert entry is not None
    offset = int(entry.group(1), 16) - LOAD_ADDRESS
    assert elf[offset:offset + 2] == b"\xeb\xfe"  # jmp .
    load = re.search(r"LOAD\s+0x0+ 0x0*8048000 0x0*8048000 0x(\w+) 0x(\w+) R E 0x1000", out)
    assert load is not None and int(load.group(1), 16) == len(elf)
    assert b"ext2fs\0" in elf and spinner_elf32() != elf


def test_qemu_command_is_the_childhurd_command(tmp_path: Path) -> None:
    image = tmp_path / "hurd.img"
    image.write_bytes(bytes(1024))
    log = tmp_path / "serial.log"
    argv = qemu_command(image, serial_log=log)
    assert argv[:3] == ["qemu-system-i386", "-m", "2048"]
    assert argv[3:7] == [
        "--device", "rtl8139,netdev=net0", "--netdev",
        "user,id=net0,hostfwd=tcp:127.0.0.1:11004-:1004,hostfwd=tcp:127.0.0.1:10022-:22,"
        "hostfwd=tcp:127.0.0.1:15900-:5900"]
    assert "--snapshot" in argv and "--no-reboot" in argv
    assert argv[argv.index("-drive") + 1] == f"file={image},format=raw,if=ide,index=0,media=disk"
    assert argv[argv.index("-serial") + 1] == f"file:{log}"
    assert argv[argv.index("-display") + 1] == "none"
    # Childhurd 1 forwards 11022/12004/16900; no forwarding at all on request.
    assert "hostfwd=tcp:127.0.0.1:12004-:1004" in qemu_command(image, ssh_port=11022)[6]
    assert "hostfwd" not in " ".join(qemu_command(image, ssh_port=None))
    interactive = qemu_command(image, snapshot=False, memory=512, extra=["-smp", "1"])
    assert "-nographic" in interactive and "--snapshot" not in interactive
    assert interactive[-2:] == ["-smp", "1"] and interactive[2] == "512"


# ---------------------------------------------------------------------------
# Booting GNU Mach


@pytest.fixture(scope="module")
def hurd_disks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A raw and a qcow2 disk that boot GNU Mach with two spinner tasks."""
    kernel = ensure_gnumach()
    d = tmp_path_factory.mktemp("hurd")
    root = d / "root"
    write_hurd_test_root(root, kernel)
    fs = d / "fs.img"
    ext2(root, fs, size=estimate_size(root))
    raw = d / "hurd.img"
    assemble_mbr([(fs, FIRST_PARTITION_OFFSET)], raw, disk_id=DISK_ID)
    qcow2 = d / "hurd.qcow2"
    convert_qcow2(raw, qcow2)
    return {"raw": raw, "qcow2": qcow2}


def assert_boots(image: Path, log: Path) -> None:
    """Boot ``image``; GRUB, GNU Mach and both tasks must show on the console."""
    result = run_vm(image, serial_log=log, timeout=120, expect=HURD_BOOT_EXPECT)
    assert result.ok, (
        f"missing {result.missing} after {result.elapsed:.1f}s "
        f"(QEMU status {result.returncode}, stderr {result.stderr!r}); console:\n"
        + result.serial[-3000:])
    assert result.elapsed < 120
    assert result.returncode is None  # stopped by us as soon as all matched
    assert "GNU Mach 1.8" in log.read_text(errors="replace")
    ext2fs = result.matched[HURD_BOOT_EXPECT[2]]
    assert "--host-priv-port=1" in ext2fs and "--store-type=typed" in ext2fs
    assert result.pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(result.pid, 0)


def test_boot_raw_image(hurd_disks: dict[str, Path], tmp_path: Path) -> None:
    fsck = subprocess.run(
        [find_tool("sfdisk") or "sfdisk", "-d", str(hurd_disks["raw"])],
        capture_output=True, text=True, check=True)
    assert "bootable" in fsck.stdout
    assert_boots(hurd_disks["raw"], tmp_path / "serial.log")


def test_boot_qcow2_image(hurd_disks: dict[str, Path], tmp_path: Path) -> None:
    assert_boots(hurd_disks["qcow2"], tmp_path / "serial.log")


def test_run_vm_stops_at_the_time_limit(hurd_disks: dict[str, Path], tmp_path: Path) -> None:
    result = run_vm(hurd_disks["raw"], serial_log=tmp_path / "serial.log", timeout=3,
                    expect=[r"GNU Mach 1\.8", r"this line never appears"])
    assert result.timed_out and not result.ok
    assert "this line never appears" in result.missing
    assert 3 <= result.elapsed < 15
    assert result.pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(result.pid, 0)
