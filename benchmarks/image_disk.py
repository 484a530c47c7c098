"""Disk-assembly benchmarks: make_ext2 against plain mke2fs, MBR + GRUB, qcow2.

Run by hand: ``python benchmarks/image_disk.py [--size-mib 300] [--repeat 3]
[--disk-mib 1024] [--dir DIR]``. It generates a tree of about ``--size-mib``
MiB in a temporary directory (a few large files, medium ones, thousands of
small text-like files in nested directories as in a store, and symlinks)
and prints the median of ``--repeat`` runs of:

- ``make_ext2`` of the tree (Hurd options, reproducibility settings, inode
  normalisation) against ``mke2fs -t ext2 -o hurd -O ext_attr -d`` alone on
  the same tree and size — the issue's target is a ratio under 1.5;
- ``estimate_size`` of the tree (the walk behind ``'guess``);
- ``assemble_mbr`` of a ``--disk-mib`` disk (GRUB included) holding an ext2
  image of the tree, and ``convert_qcow2`` of that disk.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemos.image.disk import (  # noqa: E402
    FIRST_PARTITION_OFFSET,
    assemble_mbr,
    convert_qcow2,
    estimate_size,
    find_tool,
    make_ext2,
)

MIB = 1 << 20
UUID = "6b700d61-5550-4aa8-9b8f-1f0ec7cc4e2a"


def make_tree(root: Path, size_mib: int) -> tuple[int, int]:
    """A store-like tree of about ``size_mib`` MiB; return (bytes, files)."""
    rng = random.Random(8)
    noise = rng.randbytes(8 * MIB)
    words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
             for _ in range(2000)]
    text = b" ".join(rng.choice(words) for _ in range(400_000))
    budget = size_mib * MIB
    written = files = 0

    def put(path: Path, n: int, source: bytes) -> None:
        nonlocal written, files
        path.parent.mkdir(parents=True, exist_ok=True)
        start = rng.randrange(0, max(1, len(source) - n)) if n < len(source) else 0
        with open(path, "wb") as f:
            left = n
            while left:
                chunk = source[start:start + min(left, len(source) - start)]
                f.write(chunk)
                left -= len(chunk)
                start = 0
        written += n
        files += 1

    store = root / "gnu" / "store"
    # 40%: a few big binaries; 30%: medium libraries; 30%: many small files.
    for i in range(max(1, int(budget * 0.4) // (24 * MIB))):
        put(store / f"{i:032x}-big-{i}" / "lib" / f"libbig{i}.so", 24 * MIB, noise)
    medium = int(budget * 0.3)
    i = 0
    while medium > 0:
        n = rng.randint(64 * 1024, 2 * MIB)
        put(store / f"{i:032x}-medium-{i % 50}" / "lib" / f"lib{i}.so", n, noise)
        medium -= n
        i += 1
    small = budget - written
    i = 0
    while small > 0:
        n = rng.randint(0, 12 * 1024)
        item = store / f"{i // 200:032x}-pkg-{i // 200}"
        put(item / "share" / f"d{i % 7}" / f"file{i}.scm", n, text)
        if i % 50 == 0:
            os.symlink(f"d{i % 7}/file{i}.scm", item / "share" / f"link{i}")
        small -= n
        i += 1
    for path in [root, *root.rglob("*")]:
        os.utime(path, (1, 1), follow_symlinks=False)
    return written, files


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """The median wall-clock time of ``repeat`` calls of ``fn``.

    Dirty pages are written out before each run (untimed), so that one
    step's write-back is not charged to the next.
    """
    times = []
    for _ in range(repeat):
        os.sync()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Build the tree, time each step, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=300)
    parser.add_argument("--disk-mib", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None,
                        help="work directory (default: a temporary one under $TMPDIR)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="schemos-bench-image-", dir=args.dir))
    try:
        root = work / "root"
        t = time.perf_counter()
        nbytes, nfiles = make_tree(root, args.size_mib)
        print(f"tree: {nbytes / MIB:.0f} MiB in {nfiles} files "
              f"(generated in {time.perf_counter() - t:.1f} s)")
        size = estimate_size(root)
        fs_size = args.disk_mib * MIB - FIRST_PARTITION_OFFSET
        mke2fs = find_tool("mke2fs") or "mke2fs"

        def plain_mke2fs() -> None:
            out = work / "plain.img"
            out.unlink(missing_ok=True)
            subprocess.run([mke2fs, "-q", "-F", "-t", "ext2", "-o", "hurd", "-O", "ext_attr",
                            "-d", str(root), str(out), f"{size // 1024}k"],
                           check=True, capture_output=True)

        def ours(out: Path, n: int) -> Callable[[], None]:
            return lambda: make_ext2(root, out, size=n, label="my-root", uuid=UUID,
                                     hash_seed=UUID, timestamp=1)

        rows: list[tuple[str, float, str]] = []
        # Interleaved, so that both see the same background load.
        plain_times, our_times = [], []
        for _ in range(args.repeat):
            plain_times.append(median_time(plain_mke2fs, 1))
            our_times.append(median_time(ours(work / "fs.img", size), 1))
        t_plain, t_ours = statistics.median(plain_times), statistics.median(our_times)
        rows.append((f"mke2fs -o hurd -d alone ({size // MIB} MiB)", t_plain, ""))
        rows.append((f"make_ext2 ({size // MIB} MiB)", t_ours, f"{t_ours / t_plain:.2f}x mke2fs"))
        rows.append(("estimate_size", median_time(lambda: estimate_size(root), args.repeat), ""))
        big_fs = work / "fs-big.img"
        t_big = median_time(ours(big_fs, fs_size), args.repeat)
        rows.append((f"make_ext2 ({fs_size // MIB} MiB)", t_big, ""))
        disk = work / "disk.img"
        t_mbr = median_time(lambda: assemble_mbr([(big_fs, FIRST_PARTITION_OFFSET)], disk,
                                                 disk_id=0x6B700D61), args.repeat)
        rows.append((f"assemble_mbr + GRUB ({args.disk_mib} MiB disk)", t_mbr, ""))
        t_qcow2 = median_time(lambda: convert_qcow2(disk, work / "disk.qcow2"), args.repeat)
        rows.append((f"convert_qcow2 ({args.disk_mib} MiB disk)", t_qcow2, ""))
        rows.append((f"total for a {args.disk_mib} MiB hurd-raw disk", t_big + t_mbr, ""))

        print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
              f"{platform.python_version()}; medians of {args.repeat} runs")
        width = max(len(r[0]) for r in rows)
        print(f"{'step':<{width}}  {'median s':>9}  ratio")
        for name, seconds, note in rows:
            print(f"{name:<{width}}  {seconds:>9.3f}  {note}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
