"""Substitute benchmarks: NAR write/restore against tar, signatures, weather.

Run by hand: ``python benchmarks/nar.py [--size-mib 200] [--repeat 3]
[--narinfos 10000] [--skip-weather]``.  It builds a tree of about
``--size-mib`` MiB in a temporary directory (large, medium and many small
files in nested directories, plus symlinks), then prints the median of
``--repeat`` runs of:

- NAR write: :func:`schemos.store.nar.iter_nar` into a file, against
  ``tar -cf`` of the same tree into a file;
- NAR restore: :func:`schemos.store.nar.restore_nar` from that file (hashing
  as it goes), against ``tar -xf``;
- signature verification and signing of a narinfo (the seed vector if
  ``../shared`` is there);
- weather: ``--narinfos`` signed narinfos served by ``schemos publish
  --serve`` in another process and queried by :func:`weather` over loopback.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemos.store.nar import iter_nar, remove_tree, restore_nar  # noqa: E402
from schemos.substitutes import ecc, pki  # noqa: E402
from schemos.substitutes.narinfo import NarURL, make_narinfo, parse_narinfo  # noqa: E402

MIB = 1 << 20


def make_tree(root: Path, size_mib: int) -> tuple[int, int]:
    """A tree of about ``size_mib`` MiB; return (bytes, files)."""
    budget = size_mib * MIB
    rnd = os.urandom(4 * MIB)
    files = 0
    written = 0

    def put(p: Path, n: int) -> None:
        nonlocal files, written
        p.parent.mkdir(parents=True, exist_ok=True)
        with open(p, "wb") as f:
            left = n
            while left:
                k = min(left, len(rnd))
                f.write(rnd[:k])
                left -= k
        files += 1
        written += n

    # 40% in four big files, 30% in 1 MiB files, 30% in small files (1-16 KiB)
    for i in range(4):
        put(root / "big" / f"blob{i}", int(budget * 0.10))
    for i in range(int(budget * 0.30) // MIB):
        put(root / "lib" / f"d{i % 8}" / f"lib{i}.so", MIB)
    small = int(budget * 0.30)
    i = 0
    while small > 0:
        n = 1024 * (1 + (i * 7919) % 16)
        put(root / "share" / f"pkg{i % 50}" / f"sub{i % 7}" / f"file{i}.txt", n)
        small -= n
        i += 1
    for j in range(200):
        (root / "share" / f"pkg{j % 50}" / f"link{j}").symlink_to(f"sub0/file{j}.txt")
    os.chmod(root / "big" / "blob0", 0o755)
    return written, files


def median_time(fn: Callable[[], object], repeat: int,
                before: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_nar(size_mib: int, repeat: int) -> list[tuple[str, float, str]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="schemos-nar-bench-", dir=os.environ.get(
            "TMPDIR", "/var/tmp")) as tmpd:
        tmp = Path(tmpd)
        tree = tmp / "tree"
        nbytes, nfiles = make_tree(tree, size_mib)
        mib = nbytes / MIB
        print(f"tree: {mib:.0f} MiB in {nfiles} files ({tmp})", file=sys.stderr)
        nar_file, tar_file = tmp / "tree.nar", tmp / "tree.tar"

        def write_nar() -> None:
            with open(nar_file, "wb") as f:
                for chunk in iter_nar(tree):
                    f.write(chunk)

        def write_tar() -> None:
            subprocess.run(["tar", "-cf", str(tar_file), "-C", str(tmp), "tree"], check=True)

        t_nar_w = median_time(write_nar, repeat)
        t_tar_w = median_time(write_tar, repeat)
        out_nar, out_tar = tmp / "out-nar", tmp / "out-tar"

        def clean() -> None:
            remove_tree(out_nar)
            remove_tree(out_tar)
            out_tar.mkdir()

        def restore() -> None:
            with open(nar_file, "rb") as f:
                restore_nar(f, out_nar)

        def untar() -> None:
            subprocess.run(["tar", "-xf", str(tar_file), "-C", str(out_tar)], check=True)

        t_nar_r = median_time(restore, repeat, clean)
        t_tar_r = median_time(untar, repeat, clean)
        with open(nar_file, "rb") as f:
            res = restore_nar(f, tmp / "check")
        assert res.size == nar_file.stat().st_size
        assert res.sha256 == hashlib.file_digest(open(nar_file, "rb"), "sha256").digest()
        rows += [
            ("NAR write (iter_nar -> file)", mib / t_nar_w, f"{t_nar_w:.2f} s"),
            ("tar -cf", mib / t_tar_w, f"{t_tar_w:.2f} s"),
            ("NAR write / tar time", t_nar_w / t_tar_w, "ratio"),
            ("NAR restore (hashing)", mib / t_nar_r, f"{t_nar_r:.2f} s"),
            ("tar -xf", mib / t_tar_r, f"{t_tar_r:.2f} s"),
            ("NAR restore / tar time", t_nar_r / t_tar_r, "ratio"),
        ]
    return rows


def bench_signatures(n: int = 200) -> list[tuple[str, float, str]]:
    seed = Path(__file__).resolve().parents[2] / "shared" / "vectors" / "narinfo-seed.json"
    if seed.exists():
        v = json.loads(seed.read_text())
        info = parse_narinfo(v["narinfo_text"])
        keys = [pki.read_public_key(v["public_key_sexp"])]
    else:
        key = pki.generate_key_pair()
        info = pki.sign_narinfo(make_narinfo("/gnu/store/" + "a" * 32 + "-x", bytes(32), 8,
                                             []), key, "bench")
        keys = [key.public]
    assert pki.verify_narinfo(info, keys).valid
    t = median_time(lambda: [pki.verify_narinfo(info, keys) for _ in range(20)], n // 20)
    d = ecc.generate_secret()
    digest = hashlib.sha256(b"x").digest()
    ts = median_time(lambda: [ecc.sign(d, digest) for _ in range(20)], n // 20)
    key = pki.generate_key_pair()
    tn = median_time(lambda: [pki.sign_narinfo(info, key, "bench") for _ in range(20)],
                     n // 20)
    return [("verify narinfo signature", t / 20 * 1000, "ms"),
            ("ECDSA sign (Ed25519)", ts / 20 * 1000, "ms"),
            ("sign a narinfo (sexp + base64)", tn / 20 * 1000, "ms")]


def bench_weather(count: int, workers: int) -> list[tuple[str, float, str]]:
    from schemos.base32 import nix_base32_encode
    from schemos.substitutes.publish import write_cache_info
    from schemos.substitutes.weather import weather

    rows = []
    with tempfile.TemporaryDirectory(prefix="schemos-weather-") as tmpd:
        cache = Path(tmpd) / "cache"
        write_cache_info(cache)
        key = pki.generate_key_pair()
        items = []
        t = time.perf_counter()
        for i in range(count):
            h = nix_base32_encode(hashlib.sha256(b"%d" % i).digest()[:20])
            path = f"/gnu/store/{h}-item{i}"
            items.append(path)
            if i % 10 == 9:
                continue                    # 90% available
            info = make_narinfo(path, hashlib.sha256(path.encode()).digest(), 1000 + i, [],
                                [NarURL(f"nar/gzip/{h}-item{i}", "gzip", 500 + i)])
            signed = pki.sign_narinfo(info, key, "bench")
            (cache / f"{h}.narinfo").write_text(signed.text or "")
        print(f"wrote {count} narinfos in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        proc = subprocess.Popen([sys.executable, "-m", "schemos.cli", "publish", "--serve", "0",
                                 "--cache", str(cache)], stderr=subprocess.PIPE, text=True,
                                cwd=Path(__file__).resolve().parents[1])
        try:
            line = proc.stderr.readline() if proc.stderr else ""
            url = line.split()[-1]
            for w in (1, workers):
                report = weather(items, url, workers=w)
                assert len(report.available) == count - count // 10, report.errors[:3]
                rows.append((f"weather, {count} narinfos, {w} connection(s)",
                             count / report.seconds, "req/s"))
        finally:
            proc.terminate()
            proc.wait(10)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mib", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--narinfos", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--skip-nar", action="store_true")
    ap.add_argument("--skip-weather", action="store_true")
    args = ap.parse_args()
    if shutil.which("tar") is None:
        sys.exit("tar is needed for the comparison")
    rows: list[tuple[str, float, str]] = []
    if not args.skip_nar:
        rows += bench_nar(args.size_mib, args.repeat)
    rows += bench_signatures()
    if not args.skip_weather:
        rows += bench_weather(args.narinfos, args.workers)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")
    print(f"{'benchmark':<44} {'median':>10}  unit")
    for name, val, unit in rows:
        shown = f"{val:.2f}" if unit in ("ratio", "ms") else f"{val:.1f}"
        if unit.endswith(" s"):
            print(f"{name:<44} {shown:>10}  MiB/s ({unit})")
        else:
            print(f"{name:<44} {shown:>10}  {unit}")


if __name__ == "__main__":
    main()
