"""Image build time for bare-hurd, by step (run by hand; prints a table).

    python3 benchmarks/image.py [--runs 3] [--size 1GiB] [-M JOBS]

Makes the test cache (scripts/make-test-cache) for examples/bare-hurd.tmpl
(--template to change it), builds the image once from a fresh store (the
first build: substitution and the local builds of the configuration files
included), then RUNS more times from that store (the download is not what is
measured) and prints the median time of each step.  It also lays out the same root tree once and
times schemos' file-system step against plain ``mke2fs -d`` on that tree.
Targets (issue #8): under 10 s for a 1 GiB image; the file-system step
within 1.5x of ``mke2fs -d`` alone.  ``-M`` is the number of local builds run
at once (default: one per CPU); ``SCHEMOS_FORK_SERVER=0`` in the environment
makes each local build start its own Python, as before the build server.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    """Run the benchmark and print the table."""
    from schemos import load_operating_system
    from schemos.image import disk
    from schemos.image import root as rootfs
    from schemos.image.build import build_image, derived_identifiers
    from schemos.image.commands import parse_size
    from schemos.image.testcache import make_test_cache
    from schemos.store.build import lower_operating_system, open_store
    from schemos.store.realize import realize_closure
    from schemos.substitutes import pki

    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--size", type=parse_size, default=parse_size("1GiB"))
    p.add_argument("--template", type=Path, default=ROOT / "examples" / "bare-hurd.tmpl")
    p.add_argument("-M", "--max-jobs", type=int, default=None)
    p.add_argument("--payload", type=parse_size, default=0,
                   help="filler bytes in each package's stand-in (e.g. 8MiB: a closure "
                   "of about 330 MiB, the size of a real bare-hurd system)")
    args = p.parse_args()
    template = args.template
    work = Path(tempfile.mkdtemp(prefix="schemos-bench-image-"))
    try:
        info = make_test_cache(work / "cache", template=template, payload=args.payload)
        store = work / "store"
        acl = pki.load_acl(info["acl"])
        os_ = load_operating_system(template)
        t0 = time.perf_counter()
        first = build_image(os_, "hurd-raw", work / "first.img", image_size=args.size,
                            substitute_urls=[info["url"]], acl=info["acl"], store=store,
                            max_jobs=args.max_jobs)
        first_total = time.perf_counter() - t0
        (work / "first.img").unlink()
        with open_store(store, interp=os_.interp) as st:
            low = lower_operating_system(os_.interp, os_.record, st, target="i586-pc-gnu")
            realize_closure(st, [d.path for d in low.roots()], substitute_urls=[info["url"]],
                            acl=acl)
        steps: dict[str, list[float]] = {}
        totals = []
        for i in range(args.runs):
            subprocess.run(["sync"], check=False)
            t0 = time.perf_counter()
            r = build_image(os_, "hurd-raw", work / f"img{i}.img", image_size=args.size,
                            substitute_urls=[info["url"]], acl=info["acl"], store=store)
            totals.append(time.perf_counter() - t0)
            for k, v in r.timings.items():
                steps.setdefault(k, []).append(v)
            (work / f"img{i}.img").unlink()

        # the file-system step against mke2fs -d alone, on the same tree
        with open_store(store, interp=os_.interp) as st:
            sys_item = low.system.outputs["out"].path
            items = rootfs.closure_items(st, [sys_item, low.bootcfg.outputs["out"].path])
            tree = work / "tree"
            tree.mkdir()
            rootfs.populate_root_file_system(tree, sys_item)
            rootfs.make_hurd_device_nodes(tree)
            rootfs.populate_store(tree, st, items)
            rootfs.register_closure(tree, items)
            rootfs.reset_timestamps(tree)
        fs_uuid, seed, _ = derived_identifiers(sys_item)
        ours, plain = [], []
        for _i in range(args.runs):
            subprocess.run(["sync"], check=False)
            t0 = time.perf_counter()
            disk.make_ext2(tree, work / "a.ext2", size=args.size - 2**20, label="my-root",
                           uuid=fs_uuid, hash_seed=seed, timestamp=1, hurd=True)
            ours.append(time.perf_counter() - t0)
            (work / "a.ext2").unlink()
            subprocess.run(["sync"], check=False)
            t0 = time.perf_counter()
            subprocess.run([disk.find_tool("mke2fs") or "mke2fs", "-q", "-F", "-t", "ext2",
                            "-o", "hurd", "-d", str(tree), "-L", "my-root",
                            str(work / "b.ext2"), f"{(args.size - 2**20) // 1024}k"],
                           check=True, capture_output=True)
            plain.append(time.perf_counter() - t0)
            (work / "b.ext2").unlink()
    finally:
        from schemos.image.build import _remove

        _remove(work)
        shutil.rmtree(work, ignore_errors=True)

    print(f"hurd-raw image of {template.name}, {args.size / 2**30:.2f} GiB, "
          f"{len(items)} store items")
    print(f"first build, fresh store: {first_total:.2f} s ("
          + ", ".join(f"{k} {v:.2f}" for k, v in first.timings.items())
          + f"; {len(first.substituted)} substituted, {len(first.built)} built)")
    print(f"then, medians of {args.runs} runs:")
    print(f"| {'step':<24} | {'median (s)':>10} |")
    print(f"| {'-' * 24} | {'-' * 10} |")
    for k, v in steps.items():
        print(f"| {k:<24} | {statistics.median(v):>10.2f} |")
    print(f"| {'total':<24} | {statistics.median(totals):>10.2f} |")
    mo, mp = statistics.median(ours), statistics.median(plain)
    print(f"| {'make_ext2 (same tree)':<24} | {mo:>10.2f} |")
    print(f"| {'mke2fs -d alone':<24} | {mp:>10.2f} |")
    print(f"file-system step / mke2fs -d: {mo / mp:.2f}x (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
