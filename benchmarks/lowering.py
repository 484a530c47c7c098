"""Lowering benchmark: the bare-hurd system, and a generated graph of N packages.

Run by hand: ``python benchmarks/lowering.py [--packages 11079] [--repeat 3]
[--disk]``.  Each measurement runs in a fresh process (so module loading and
caches start cold, as for a user) and reports wall time and peak memory
(maximum resident set size) as medians over the repeats:

* ``bare-hurd``: ``schemos build -d --target i586-pc-gnu examples/bare-hurd.tmpl``
  into a fresh store on disk -- evaluating the template, folding services,
  lowering the whole closure (bootstrap chain, packages, configuration files)
  and writing every ``.drv`` and source;
* ``packages N``: N generated GNU-build-system packages (11,079 is the number
  of packages ``guix weather`` counted in the seed), each with its own source
  origin and up to three inputs among the packages before it, lowered to
  derivations -- in memory by default, on disk with ``--disk``.  Its size
  grows linearly with N, so the time should too; the benchmark also runs
  N/4 and N/2 to show it.
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

ROOT = Path(__file__).resolve().parents[1]

GRAPH = r"""
(use-modules (guix packages) (guix store) (guix derivations) (guix download)
             (guix build-system gnu) (gnu packages base) (srfi srfi-1)
             (rnrs bytevectors))

(define n {n})

(define (hash-of i)
  ;; a distinct 32-byte "content hash" per package
  (u8-list->bytevector
   (map (lambda (k) (modulo (+ (* (+ i 1) (+ k 13)) (* k k)) 256)) (iota 32))))

(define packages (make-vector n #f))

(let loop ((i 0))
  (when (< i n)
    (let ((inputs (filter-map (lambda (d) (and (>= (- i d) 0)
                                               (vector-ref packages (- i d))))
                              (list 1 7 (+ 13 (modulo i 97))))))
      (vector-set! packages i
                   (package
                     (name (string-append "pkg" (number->string i)))
                     (version "1.0")
                     (source (origin
                               (method url-fetch)
                               (uri (string-append "mirror://gnu/pkg/pkg"
                                                   (number->string i) "-1.0.tar.gz"))
                               (sha256 (hash-of i))))
                     (build-system gnu-build-system)
                     (inputs inputs)
                     (arguments '(#:tests? #f))
                     (synopsis "generated") (description "generated")
                     (license #f) (home-page #f))))
    (loop (+ i 1))))

(define store (open-connection {open}))
(define count
  (let loop ((i 0) (count 0))
    (if (< i n)
        (begin (package-derivation store (vector-ref packages i))
               (loop (+ i 1) (+ count 1)))
        count)))
(close-connection store)
count
"""


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB) of running ``cmd`` in a child process."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    assert p.stderr is not None
    err = p.stderr.read().decode(errors="replace")  # before waiting: no pipe deadlock
    p.stderr.close()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return wall, usage.ru_maxrss / 1024


def main() -> int:
    """Run the benchmarks and print a table of medians."""
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--packages", type=int, default=11079)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--disk", action="store_true", help="lower packages into a disk store")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XDG_DATA_HOME": tmp}
        runs = []
        for i in range(args.repeat):
            store = Path(tmp) / f"hurd-{i}"
            runs.append(measure([sys.executable, "-m", "schemos.cli", "build", "-d",
                                 "--store", str(store), "--target", "i586-pc-gnu",
                                 "examples/bare-hurd.tmpl"], env))
        rows.append(("bare-hurd closure (disk)", runs))
        for n in sorted({args.packages // 4, args.packages // 2, args.packages}):
            runs = []
            for i in range(args.repeat):
                src = Path(tmp) / f"graph-{n}.scm"
                opener = f'"{tmp}/graph-store-{n}-{i}"' if args.disk else "#:memory? #t"
                src.write_text(GRAPH.format(n=n, open=opener))
                runs.append(measure([sys.executable, "-m", "schemos.cli", "eval",
                                     str(src)], env))
            rows.append((f"{n} packages ({'disk' if args.disk else 'memory'})", runs))
    print(f"{'benchmark':32} {'median s':>9} {'peak MiB':>9}")
    for name, runs in rows:
        print(f"{name:32} {statistics.median(r[0] for r in runs):9.2f} "
              f"{statistics.median(r[1] for r in runs):9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
