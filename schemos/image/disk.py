"""Disk-image assembly: an ext2 root, an MBR disk with GRUB, qcow2.

The steps of ``guix system image`` after the root directory is laid out,
done with the same tools Guix uses and no root privileges, loop devices or
mounts:

1. :func:`make_ext2` — ``mke2fs -d`` turns a directory tree into an ext2 file
   system image (``-o hurd`` for the Hurd), with fixed UUID, hash seed and
   times so that the output is byte-identical across runs;
2. :func:`assemble_mbr` — the partition images are copied (sparsely) into a
   raw disk at their offsets, ``sfdisk`` writes the MBR partition table, and
   GRUB for BIOS is installed without ``grub-install``: ``grub-mkimage``
   makes ``core.img``, which goes right after the MBR, and the first 440
   bytes of GRUB's ``boot.img`` become the MBR's boot code;
3. :func:`convert_qcow2` — ``qemu-img convert -O qcow2``.

Every output is written to a temporary file next to it and renamed into
place at the end, so an interrupted or failed step never leaves a partial
image at the output path. Problems a user can fix (a missing program, an
image size too small for the tree) are Scheme conditions with a hint.
"""

from __future__ import annotations

import math
import os
import shutil
import stat
import struct
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from schemos.errors import Condition, SchemeError

#: ``progress(step, done_bytes, total_bytes)``, called as a long step advances
Progress = Callable[[str, int, int], None]

MiB = 1 << 20
SECTOR = 512
#: where Guix (and every modern partitioning tool) puts the first partition
FIRST_PARTITION_OFFSET = MiB

#: GRUB's i386-pc platform directory (``boot.img``, modules), from grub-pc-bin
GRUB_I386_PC_DIR = Path("/usr/lib/grub/i386-pc")

#: the modules built into ``core.img``: reading the disk (biosdisk,
#: part_msdos, ext2), what a Guix grub.cfg for the Hurd uses (menuentry and
#: ``set`` from normal, ``if [ … ]`` from test, multiboot and ``module``,
#: gzip-compressed kernels, the serial console, ``search --label/--fs-uuid/
#: --file``), and a few commands for a rescue shell. Built-in modules make
#: grub.cfg's ``insmod`` lines no-ops, so ``/boot/grub/i386-pc`` is not needed.
GRUB_MODULES: tuple[str, ...] = (
    "biosdisk", "part_msdos", "ext2",
    "normal", "configfile", "test", "echo", "sleep", "minicmd", "halt", "reboot",
    "multiboot", "gzio",
    "serial", "terminal", "terminfo",
    "search", "search_fs_uuid", "search_fs_file", "search_label",
    "ls", "cat",
)

#: which Debian package provides each program this module (and its tests)
#: runs
TOOL_PACKAGES: dict[str, str] = {
    "mke2fs": "e2fsprogs",
    "e2fsck": "e2fsprogs",
    "debugfs": "e2fsprogs",
    "dumpe2fs": "e2fsprogs",
    "sfdisk": "fdisk",
    "grub-mkimage": "grub-pc-bin",
    str(GRUB_I386_PC_DIR): "grub-pc-bin",
    "qemu-img": "qemu-utils",
    "qemu-system-i386": "qemu-system-x86",
    "qemu-system-x86_64": "qemu-system-x86",
    "readelf": "binutils",
}

# mke2fs reads its defaults from /etc/mke2fs.conf, which differs between
# distributions and releases; pointing MKE2FS_CONFIG at this copy of
# e2fsprogs' own default file (misc/mke2fs.conf.in, which Guix's e2fsprogs
# installs unchanged) makes the file system depend only on the mke2fs version.
# For the Hurd, the "hurd" type gives 4 KiB blocks and 128-byte inodes.
_MKE2FS_CONF = """\
[defaults]
	base_features = sparse_super,large_file,filetype,resize_inode,dir_index,ext_attr
	default_mntopts = acl,user_xattr
	enable_periodic_fsck = 0
	blocksize = 4096
	inode_size = 256
	inode_ratio = 16384

[fs_types]
	ext3 = {
		features = has_journal
	}
	ext4 = {
		features = has_journal,extent,huge_file,flex_bg,metadata_csum,64bit,dir_nlink,extra_isize
	}
	small = {
		blocksize = 1024
		inode_ratio = 4096
	}
	floppy = {
		blocksize = 1024
		inode_ratio = 8192
	}
	big = {
		inode_ratio = 32768
	}
	huge = {
		inode_ratio = 65536
	}
	news = {
		inode_ratio = 4096
	}
	largefile = {
		inode_ratio = 1048576
		blocksize = -1
	}
	largefile4 = {
		inode_ratio = 4194304
		blocksize = -1
	}
	hurd = {
		blocksize = 4096
		inode_size = 128
		warn_y2038_dates = 0
	}
"""

#: Guix's ``file-system-options`` of the Hurd's root partition
#: (``hurd-disk-image`` in ``(gnu system images hurd)``)
HURD_MKE2FS_OPTIONS: tuple[str, ...] = ("-o", "hurd", "-O", "ext_attr")

# What mke2fs says when the tree does not fit.
_NO_SPACE_MESSAGES = (
    "Could not allocate",
    "No space left",
    "No free space",
    "Not enough space",
)


# ---------------------------------------------------------------------------
# Errors and tools


def image_error(message: str, *, hint: str | None = None, who: str | None = None,
                irritants: list[object] | None = None) -> SchemeError:
    """A condition of type ``image-error`` for a problem building an image."""
    return SchemeError(Condition("image-error", message, who=who, hint=hint,
                                 irritants=irritants))


def find_tool(name: str) -> str | None:
    """The absolute file name of program ``name``, or None.

    Besides ``PATH``, looks in the sbin directories, which a non-root user's
    ``PATH`` lacks on Debian although ``mke2fs`` and ``sfdisk`` live there
    and work on plain files without privileges.
    """
    found = shutil.which(name)
    if found:
        return found
    for directory in ("/usr/sbin", "/sbin", "/usr/local/sbin"):
        candidate = os.path.join(directory, name)
        if os.access(candidate, os.X_OK) and not os.path.isdir(candidate):
            return candidate
    return None


def require_tools(names: Iterable[str], purpose: str = "build the image") -> None:
    """Check that every program in ``names`` is installed.

    A name that is an absolute directory (such as :data:`GRUB_I386_PC_DIR`)
    must exist. Raises one ``image-error`` condition naming all the missing
    programs (needed to ``purpose``) and the Debian packages that provide them.
    """
    missing: list[str] = []
    for name in names:
        present = (os.path.isdir(name) if os.path.isabs(name) else find_tool(name) is not None)
        if not present and name not in missing:
            missing.append(name)
    if not missing:
        return
    def package(name: str) -> str | None:
        if name.rstrip("/").endswith("grub/i386-pc"):
            return "grub-pc-bin"
        return TOOL_PACKAGES.get(name)

    packages = sorted({package(name) or name for name in missing})
    described = ", ".join(
        f"{name} (Debian package {package(name)})" if package(name) else name
        for name in missing)
    raise image_error(
        f"missing program{'s' if len(missing) > 1 else ''} needed to {purpose}: {described}",
        hint=f"install {'them' if len(missing) > 1 else 'it'} with "
             f"'apt-get install {' '.join(packages)}'")


def _tool(name: str) -> str:
    path = find_tool(name)
    if path is None:
        require_tools([name])
    assert path is not None
    return path


def _run(argv: list[str], *, what: str, env: dict[str, str] | None = None,
         cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``argv``; a failure becomes an ``image-error`` showing its output."""
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, errors="replace", env=env, cwd=cwd)
    except FileNotFoundError:
        require_tools([os.path.basename(argv[0])])
        raise
    if proc.returncode != 0:
        output = (proc.stderr.strip() or proc.stdout.strip())
        raise image_error(
            f"{what} failed: {os.path.basename(argv[0])} exited with status "
            f"{proc.returncode}: {output}",
            hint="this is likely a bug in schemos; please report it with the "
                 "command: " + " ".join(argv))
    return proc


@contextmanager
def _atomic_output(output: Path) -> Iterator[Path]:
    """Yield a temporary file next to ``output``; rename it there on success.

    On any exception (including KeyboardInterrupt) the temporary is removed,
    so ``output`` is either the complete new file or left as it was.
    """
    output = Path(output)
    directory = output.parent if str(output.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------
# Sizes


def file_size(root: Path) -> int:
    """The size in bytes of ``root``, entering directories: Guix's ``file-size``.

    The sum of the ``lstat`` sizes of every file, directory and symlink
    under ``root`` (``root`` included), hard links counted each time, as
    ``(guix build store-copy)`` computes it.
    """
    total = os.lstat(root).st_size
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


def _round_up(n: int | float, unit: int) -> int:
    return int(math.ceil(n / unit)) * unit


def _inode_ratio(size: float) -> int:
    """Bytes per inode mke2fs chooses for a file system of ``size`` bytes.

    Its usage types: "floppy" below 3 MiB, "small" below 512 MiB, the
    default up to 4 TiB (see :data:`_MKE2FS_CONF`).
    """
    if size < 3 * MiB:
        return 8192
    if size < 512 * MiB:
        return 4096
    return 16384


def estimate_size(root: Path) -> int:
    """The size of an ext2 file system for ``root`` when the size is ``'guess``.

    Guix's rule (``estimate-partition-size`` in ``gnu/build/image.scm``) is
    1.25 times :func:`file_size`, the margin standing for the file system's
    metadata. That undercounts trees of many small files, which take a whole
    4 KiB block and an inode each, so the result is also at least 1.25 times
    what the tree takes in 4 KiB blocks plus 128-byte inodes, and big enough
    for one inode per file at mke2fs's inode ratio (one per 8 KiB below
    3 MiB, per 4 KiB below 512 MiB, per 16 KiB above). Rounded up to a whole
    MiB, at least 1 MiB.
    """
    block = 4096
    guix = 1.25 * file_size(root)
    blocks = 0
    inodes = 11  # the reserved inodes and lost+found
    seen: set[tuple[int, int]] = set()

    def account(path: str) -> None:
        nonlocal blocks, inodes
        st = os.lstat(path)
        if st.st_nlink > 1 and not stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in seen:
                return
            seen.add(key)
        inodes += 1
        if stat.S_ISLNK(st.st_mode) and st.st_size < 60:
            return  # a "fast" symlink lives in the inode
        data = max(1, -(-st.st_size // block))
        # one indirect block per 1024 data blocks (4 KiB blocks, 4-byte numbers)
        blocks += data + -(-(data - 12) // 1024 if data > 12 else 0)

    account(str(root))
    lost_found = 4  # mke2fs makes lost+found 16 KiB
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            account(os.path.join(dirpath, name))
    # (a quarter MiB more for the superblock, group descriptors and bitmaps)
    tree = 1.25 * ((blocks + lost_found) * block + inodes * 128) + MiB // 4
    size = _round_up(max(guix, tree, MiB), MiB)
    for _ in range(4):  # the inode ratio grows with the size: iterate to a fixpoint
        size = max(size, _round_up(1.1 * inodes * _inode_ratio(size), MiB))
    return size


# ---------------------------------------------------------------------------
# ext2


def make_ext2(root: Path, output: Path, *, size: int, label: str, uuid: str,
              hash_seed: str, timestamp: int, hurd: bool = True,
              options: Sequence[str] | None = None, mtime: int | None = None,
              progress: Progress | None = None) -> None:
    """Write to ``output`` an ext2 image of exactly ``size`` bytes holding ``root``.

    Runs ``mke2fs -t ext2 -d ROOT -L LABEL -U UUID -E
    root_owner=0:0,hash_seed=…,lazy_itable_init=1,lazy_journal_init=1`` as
    Guix's ``make-ext-image`` does, adding Guix's Hurd options ``-o hurd -O
    ext_attr`` when ``hurd`` is true (the creator OS "Hurd" drops the
    ``filetype`` feature and, through the ``hurd`` type, gives 4 KiB blocks
    and 128-byte inodes). ``options`` are the partition's
    ``file-system-options``, passed to mke2fs as they are in place of those
    defaults (with ``-o hurd`` added for the Hurd if they have no ``-o``).

    For reproducibility mke2fs runs with a fixed configuration file, the C
    locale (it sorts each directory's entries) and
    ``E2FSPROGS_FAKE_TIME=timestamp``; then, as ``mke2fs -d`` copies each
    file's owner, access and change times from ``root`` (and the change
    time cannot be set there), every inode is given owner and group 0 and
    access/change (and creation) times ``timestamp`` — as Guix's images,
    built as root under fakeroot, have. Modification times come from
    ``root`` unless ``mtime`` is given, which then applies to every inode.
    Extended attributes of the files in ``root`` are copied as they are.

    ``size`` must be a multiple of 1024. A tree that does not fit raises an
    ``image-error`` condition with a hint to pass ``--image-size``.
    """
    root = Path(root)
    if not root.is_dir():
        raise image_error(f"root directory {str(root)!r} does not exist")
    if size <= 0 or size % 1024:
        raise image_error(f"file system size {size} is not a positive multiple of 1024 bytes",
                          hint="give the size in KiB, MiB or GiB")
    mke2fs = _tool("mke2fs")
    total = size
    if progress:
        progress("ext2", 0, total)
    with _atomic_output(Path(output)) as tmp, \
            tempfile.NamedTemporaryFile("w", prefix="schemos-mke2fs-", suffix=".conf") as conf:
        conf.write(_MKE2FS_CONF)
        conf.flush()
        argv = [mke2fs, "-q", "-F", "-t", "ext2", "-d", str(root), "-L", label, "-U", uuid,
                "-E", f"root_owner=0:0,hash_seed={hash_seed},"
                      "lazy_itable_init=1,lazy_journal_init=1"]
        if options is None:
            argv += list(HURD_MKE2FS_OPTIONS) if hurd else []
        else:
            argv += list(options)
            if hurd and "-o" not in options:
                argv += ["-o", "hurd"]
        argv += [str(tmp), f"{size // 1024}k"]
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("MKE2FS_", "E2FSPROGS_", "LC_"))}
        env.update(MKE2FS_CONFIG=conf.name, E2FSPROGS_FAKE_TIME=str(timestamp),
                   LC_ALL="C", LANG="C", TZ="UTC0")
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, errors="replace", env=env)
        if proc.returncode != 0:
            output_text = proc.stderr + proc.stdout
            if any(m in output_text for m in _NO_SPACE_MESSAGES):
                needed = file_size(root)
                raise image_error(
                    f"image size {size} too small for the root tree ({needed} bytes)",
                    hint=f"pass a larger --image-size (the estimate for this tree is "
                         f"{estimate_size(root)} bytes), or leave the size to be guessed")
            raise image_error(
                f"mke2fs failed with status {proc.returncode}: "
                f"{output_text.strip()}",
                hint="the command was: " + " ".join(argv))
        # mke2fs stops the file at its last written block.
        os.truncate(tmp, size)
        normalise_inodes(tmp, timestamp=timestamp, mtime=mtime)
        if progress:
            progress("ext2", total, total)


_SB = struct.Struct("<IIIIIIIIII")  # the first ten 32-bit superblock fields


def normalise_inodes(image: Path, *, timestamp: int, mtime: int | None = None) -> int:
    """Give every used inode of the ext2 ``image`` owner 0:0 and times ``timestamp``.

    Sets owner and group (including the high 16 bits), access and change
    times, and, for large inodes, the sub-second parts and the creation
    time; with ``mtime``, also the modification time. File systems with
    metadata checksums are refused (mke2fs makes none for ext2). Returns the
    number of inodes changed.
    """
    with open(image, "r+b") as f:
        sb = os.pread(f.fileno(), 1024, 1024)
        (_, blocks_lo, _, _, _, first_data_block, log_block_size, _, blocks_per_group,
         _) = _SB.unpack_from(sb, 0)
        inodes_per_group = struct.unpack_from("<I", sb, 40)[0]
        magic = struct.unpack_from("<H", sb, 56)[0]
        if magic != 0xEF53:
            raise image_error(f"{image}: not an ext2 file system")
        rev_level = struct.unpack_from("<I", sb, 76)[0]
        inode_size = struct.unpack_from("<H", sb, 88)[0] if rev_level >= 1 else 128
        incompat, ro_compat = struct.unpack_from("<II", sb, 96)
        if ro_compat & (0x10 | 0x400):  # GDT_CSUM, METADATA_CSUM
            raise image_error(f"{image}: checksummed file systems are not supported")
        is64 = bool(incompat & 0x80)
        desc_size = struct.unpack_from("<H", sb, 254)[0] if is64 else 32
        blocks = blocks_lo | ((struct.unpack_from("<I", sb, 0x150)[0] << 32) if is64 else 0)
        block_size = 1024 << log_block_size
        groups = -(-(blocks - first_data_block) // blocks_per_group)
        gdt = os.pread(f.fileno(), groups * desc_size, (first_data_block + 1) * block_size)
        pack_u16 = struct.Struct("<H").pack_into
        pack_u32 = struct.Struct("<I").pack_into
        changed = 0
        table_bytes = inodes_per_group * inode_size
        for g in range(groups):
            table = struct.unpack_from("<I", gdt, g * desc_size + 8)[0]
            if is64 and desc_size >= 64:
                table |= struct.unpack_from("<I", gdt, g * desc_size + 0x28)[0] << 32
            offset = table * block_size
            data = bytearray(os.pread(f.fileno(), table_bytes, offset))
            dirty = False
            for base in range(0, table_bytes, inode_size):
                if data[base] == 0 and data[base + 1] == 0:  # i_mode 0: unused
                    continue
                pack_u16(data, base + 2, 0)  # i_uid
                pack_u32(data, base + 8, timestamp)  # i_atime
                pack_u32(data, base + 12, timestamp)  # i_ctime
                if mtime is not None:
                    pack_u32(data, base + 16, mtime)  # i_mtime
                pack_u16(data, base + 24, 0)  # i_gid
                pack_u16(data, base + 120, 0)  # uid high (Linux and Hurd alike)
                pack_u16(data, base + 122, 0)  # gid high
                if inode_size > 128:
                    extra = struct.unpack_from("<H", data, base + 128)[0]
                    if extra >= 8:
                        pack_u32(data, base + 132, 0)  # i_ctime_extra
                    if extra >= 12 and mtime is not None:
                        pack_u32(data, base + 136, 0)  # i_mtime_extra
                    if extra >= 16:
                        pack_u32(data, base + 140, 0)  # i_atime_extra
                    if extra >= 20:
                        pack_u32(data, base + 144, timestamp)  # i_crtime
                    if extra >= 24:
                        pack_u32(data, base + 148, 0)  # i_crtime_extra
                dirty = True
                changed += 1
            if dirty:
                os.pwrite(f.fileno(), data, offset)
    return changed


# ---------------------------------------------------------------------------
# Raw disk with an MBR and GRUB


_ZERO = bytes(MiB)


def _data_extents(fd: int, length: int) -> Iterator[tuple[int, int]]:
    """The (start, end) ranges of ``fd`` that may hold data (SEEK_DATA/HOLE)."""
    pos = 0
    while pos < length:
        try:
            start = os.lseek(fd, pos, os.SEEK_DATA)
        except OSError:  # ENXIO: only a hole is left; EINVAL: unsupported
            if pos == 0 and not _supports_seek_data(fd):
                yield 0, length
            return
        end = min(os.lseek(fd, start, os.SEEK_HOLE), length)
        yield start, end
        pos = end


def _supports_seek_data(fd: int) -> bool:
    try:
        os.lseek(fd, 0, os.SEEK_HOLE)
        return True
    except OSError:
        return False


def copy_sparse(source: Path, dest_fd: int, offset: int, *, step: str = "copy",
                progress: Progress | None = None) -> int:
    """Copy ``source`` into ``dest_fd`` at ``offset``, leaving holes for zeros.

    Only the source's data extents are read, and within them 64 KiB blocks
    that are all zero are skipped, so a sparse file system image stays
    sparse in the disk image. Returns the number of bytes written.
    """
    written = 0
    chunk = 64 * 1024
    zero = _ZERO[:chunk]
    with open(source, "rb") as src:
        fd = src.fileno()
        length = os.fstat(fd).st_size
        for start, end in _data_extents(fd, length):
            pos = start
            while pos < end:
                n = min(MiB, end - pos)
                data = os.pread(fd, n, pos)
                # (slicing a bytes object to its full length does not copy it)
                if data != _ZERO[:len(data)]:
                    for i in range(0, len(data), chunk):
                        piece = data[i:i + chunk]
                        if piece != zero[:len(piece)]:
                            os.pwrite(dest_fd, piece, offset + pos + i)
                            written += len(piece)
                pos += n
                if progress:
                    progress(step, pos, length)
    return written


def grub_core_image(output: Path, *, prefix: str, modules: Iterable[str] = GRUB_MODULES,
                    grub_dir: Path = GRUB_I386_PC_DIR) -> None:
    """Make GRUB's i386-pc ``core.img`` with ``grub-mkimage``.

    ``prefix`` is where GRUB looks for ``grub.cfg`` (and further modules),
    e.g. ``(hd0,msdos1)/boot/grub``. The output depends only on the GRUB
    version and the arguments.
    """
    require_tools(["grub-mkimage", str(grub_dir)])
    _run([_tool("grub-mkimage"), "-O", "i386-pc", "-d", str(grub_dir), "-p", prefix,
          "-o", str(output), *modules], what="grub-mkimage")


def assemble_mbr(partitions: list[tuple[Path, int]], output: Path, *, disk_id: int,
                 bootable_index: int | None = 0,
                 grub_prefix: str | None = "(hd0,msdos1)/boot/grub",
                 grub_modules: Iterable[str] = GRUB_MODULES,
                 grub_dir: Path = GRUB_I386_PC_DIR,
                 size: int | None = None,
                 progress: Progress | None = None) -> None:
    """Write a raw, sparse disk image with an MBR partition table to ``output``.

    ``partitions`` are (file system image, byte offset) pairs, at most four,
    in order and not overlapping; each becomes a primary partition of type
    0x83 spanning its image's size (a multiple of 512). The first usually
    starts at :data:`FIRST_PARTITION_OFFSET` (sector 2048). The disk is
    ``size`` bytes, by default the end of the last partition.

    ``sfdisk`` writes the table with disk identifier ``disk_id`` (so that the
    result is reproducible) and the active flag on partition
    ``bootable_index``. When ``grub_prefix`` is given, GRUB for BIOS is
    installed as ``grub-install`` would on a real disk: ``core.img`` (see
    :func:`grub_core_image`) from sector 1, which must end before the first
    partition, and the first 440 bytes of ``boot.img`` as the MBR's code;
    the table and the 0x55AA signature stay as sfdisk wrote them. Both GRUB
    images are used unpatched: ``boot.img`` loads sector 1 by default and
    ``grub-mkimage`` records core.img's length in it.
    """
    parts = [(Path(p), int(o)) for p, o in partitions]
    if not parts or len(parts) > 4:
        raise image_error(f"an MBR disk holds 1 to 4 primary partitions, not {len(parts)}")
    if bootable_index is not None and not 0 <= bootable_index < len(parts):
        raise image_error(f"no partition {bootable_index} to make bootable")
    layout: list[tuple[Path, int, int]] = []
    end = SECTOR
    for path, offset in parts:
        if not path.is_file():
            raise image_error(f"partition image {str(path)!r} does not exist")
        length = path.stat().st_size
        if offset % SECTOR or length % SECTOR or length == 0:
            raise image_error(
                f"partition image {str(path)!r} (offset {offset}, {length} bytes) is not "
                "a whole number of 512-byte sectors")
        if offset < end:
            raise image_error(f"partition image {str(path)!r} at offset {offset} overlaps "
                              "the MBR or the previous partition")
        layout.append((path, offset, length))
        end = offset + length
    disk_size = end if size is None else size
    if disk_size < end or disk_size % SECTOR:
        raise image_error(f"disk size {disk_size} cannot hold the partitions ({end} bytes)",
                          hint="pass a larger --image-size")
    require_tools(["sfdisk"] + (["grub-mkimage", str(grub_dir)] if grub_prefix else []))

    total = sum(length for _, _, length in layout)
    with _atomic_output(Path(output)) as tmp, tempfile.TemporaryDirectory(
            prefix="schemos-mbr-") as work:
        core: bytes | None = None
        boot_code: bytes | None = None
        if grub_prefix is not None:
            core_path = Path(work) / "core.img"
            grub_core_image(core_path, prefix=grub_prefix, modules=grub_modules,
                            grub_dir=grub_dir)
            core = core_path.read_bytes()
            room = layout[0][1] - SECTOR
            if len(core) > room:
                raise image_error(
                    f"GRUB's core.img ({len(core)} bytes) does not fit between the MBR and "
                    f"the first partition ({room} bytes)",
                    hint="start the first partition at 1 MiB (sector 2048) or later, or "
                         "build core.img with fewer modules")
            boot_code = (grub_dir / "boot.img").read_bytes()[:440]
            if len(boot_code) != 440:
                raise image_error(f"{grub_dir / 'boot.img'} is truncated",
                                  hint="reinstall grub-pc-bin")

        # sfdisk fsyncs the disk it writes, which would flush every
        # partition byte already copied: give it an empty disk of the same
        # size instead, and take the one sector it writes (a DOS label is
        # all in the MBR).
        script = ["label: dos", f"label-id: 0x{disk_id & 0xFFFFFFFF:08x}", "unit: sectors",
                  "sector-size: 512", ""]
        for i, (_, offset, length) in enumerate(layout):
            line = f"start={offset // SECTOR}, size={length // SECTOR}, type=83"
            if i == bootable_index:
                line += ", bootable"
            script.append(line)
        scratch = Path(work) / "table.img"
        with open(scratch, "wb") as f:
            f.truncate(disk_size)
        proc = subprocess.run(
            [_tool("sfdisk"), "--no-reread", "--no-tell-kernel", "--wipe", "never",
             "--wipe-partitions", "never", "-q", str(scratch)],
            input="\n".join(script) + "\n", capture_output=True, text=True,
            errors="replace", env={**os.environ, "LC_ALL": "C"})
        if proc.returncode != 0:
            raise image_error(f"sfdisk failed: {(proc.stderr or proc.stdout).strip()}",
                              hint="the partition table was:\n" + "\n".join(script))
        with open(scratch, "rb") as f:
            mbr = bytearray(f.read(SECTOR))
        if mbr[510:512] != b"\x55\xaa":
            raise image_error("sfdisk wrote no MBR signature",
                              hint="check that sfdisk (util-linux) works on plain files")
        if boot_code is not None:
            mbr[:440] = boot_code

        with open(tmp, "r+b") as out:
            os.ftruncate(out.fileno(), disk_size)
            os.pwrite(out.fileno(), mbr, 0)
            if core is not None:
                os.pwrite(out.fileno(), core, SECTOR)
            done = 0
            for path, offset, length in layout:
                def report(step: str, d: int, _t: int, base: int = done) -> None:
                    if progress:
                        progress(step, base + d, total)
                copy_sparse(path, out.fileno(), offset, step="disk",
                            progress=report if progress else None)
                done += length
        if progress:
            progress("disk", total, total)


# ---------------------------------------------------------------------------
# qcow2


def convert_qcow2(raw: Path, output: Path, *, progress: Progress | None = None,
                  compress: bool = False) -> None:
    """Convert the raw disk image ``raw`` to qcow2 at ``output``.

    ``qemu-img convert -f raw -O qcow2`` (with ``-c`` when ``compress``, as
    Guix makes its ``compressed-qcow2`` images: zlib-compressed clusters,
    written in order, so still the same bytes each time); the qcow2 format
    holds no time stamps or random identifiers, so the same raw image gives
    the same bytes. With ``progress``, qemu-img's ``-p`` percentages are
    reported as bytes of the raw image.
    """
    raw = Path(raw)
    if not raw.is_file():
        raise image_error(f"raw image {str(raw)!r} does not exist")
    qemu_img = _tool("qemu-img")
    total = raw.stat().st_size
    with _atomic_output(Path(output)) as tmp:
        argv = [qemu_img, "convert", *(["-c"] if compress else []), "-f", "raw",
                "-O", "qcow2"]
        if progress is None:
            _run(argv + [str(raw), str(tmp)], what="qemu-img convert")
            return
        progress("qcow2", 0, total)
        proc = subprocess.Popen(argv + ["-p", str(raw), str(tmp)], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        last = 0
        try:
            buffer = b""
            while chunk := proc.stdout.read1(4096):
                buffer += chunk
                *fields, buffer = buffer.replace(b"\r", b"\n").split(b"\n")
                for field in fields:
                    text = field.decode("ascii", "replace").strip()
                    if text.startswith("(") and "/100%" in text:
                        try:
                            percent = float(text[1:text.index("/")])
                        except ValueError:
                            continue
                        done = int(total * percent / 100)
                        if done > last:
                            progress("qcow2", done, total)
                            last = done
            stderr = proc.stderr.read().decode("utf-8", "replace")
            status = proc.wait()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if status != 0:
            raise image_error(f"qemu-img convert failed with status {status}: {stderr.strip()}")
        progress("qcow2", total, total)
