"""Module loading: every stdlib module from source (cold) and from the cache (warm).

Run by hand: ``python benchmarks/modules.py [--repeat N]``.  Prints a table of
median wall times of whole ``schemos eval`` processes:

* start-up alone (``-e 1``);
* start-up plus ``(use-modules (srfi srfi-1) (ice-9 match) (guix records))``,
  cold (empty cache) and warm (cache filled);
* loading every module under ``stdlib/``, cold and warm;
* ``schemos eval examples/bare-hurd.tmpl``, cold and warm, when it exists.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def stdlib_modules() -> list[str]:
    """Every module name defined by a file under stdlib/."""
    out = []
    for p in sorted((ROOT / "stdlib").rglob("*.scm")):
        rel = p.relative_to(ROOT / "stdlib").with_suffix("")
        out.append("(" + " ".join(rel.parts) + ")")
    return out


def run(args: list[str], cache: Path) -> float:
    """Wall time of one ``schemos`` process."""
    env = {**os.environ, "SCHEMOS_CACHE_DIR": str(cache)}
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "schemos.cli", *args], env=env,
                       capture_output=True, text=True, check=False)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{r.stderr[-2000:]}")
    return dt


def measure(args: list[str], repeat: int) -> tuple[float, float]:
    """(cold median, warm median) of ``args``."""
    cold, warm = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as d:
            cache = Path(d)
            cold.append(run(args, cache))
            warm.append(run(args, cache))
    return statistics.median(cold), statistics.median(warm)


def main() -> None:
    """Print the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "schemos")],
                   check=False, capture_output=True)
    rows = []
    rows.append(("start-up (eval -e 1)",) + measure(["eval", "-e", "1"], a.repeat))
    three = "(use-modules (srfi srfi-1) (ice-9 match) (guix records))"
    rows.append(("start-up + srfi-1, ice-9 match, guix records",)
                + measure(["eval", "-e", three], a.repeat))
    mods = stdlib_modules()
    rows.append((f"every stdlib module ({len(mods)})",)
                + measure(["eval", "-e", f"(use-modules {' '.join(mods)})"], a.repeat))
    tmpl = ROOT / "examples" / "bare-hurd.tmpl"
    if tmpl.exists():
        rows.append(("eval examples/bare-hurd.tmpl",) + measure(["eval", str(tmpl)], a.repeat))
    print(f"median of {a.repeat} runs; Python {sys.version.split()[0]}")
    print(f"{'what':48} {'cold s':>8} {'warm s':>8} {'cold/warm':>10}")
    for name, cold, warm in rows:
        print(f"{name:48} {cold:8.3f} {warm:8.3f} {cold / warm:9.1f}x")


if __name__ == "__main__":
    main()
