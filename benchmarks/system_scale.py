"""How evaluating a large operating system scales.

Run by hand: ``python benchmarks/system_scale.py [--repeat N]``.  Generates a
GNU/Hurd system with S simple services (each with its own service type that
extends the profile and the shepherd) and P packages, for (S, P) = (500,
2000) and its doubling (1000, 4000), evaluates each with ``schemos eval
--json`` as a whole process (warm module cache), and prints the median wall
time and the peak memory (max RSS of the child) with the growth ratio.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TEMPLATE = """(use-modules (gnu) (gnu system hurd) (guix packages) (gnu services shepherd))
(use-package-modules base)

(define (make-package i)
  (package
    (inherit hello)
    (name (string-append "pkg-" (number->string i)))
    (version "1.0")))

(define (make-service-type i)
  (service-type
    (name (string->symbol (string-append "svc-" (number->string i))))
    (extensions
     (list (service-extension shepherd-root-service-type
                              (lambda (value)
                                (list (shepherd-service
                                       (provision (list (string->symbol
                                                         (string-append "svc-"
                                                                        (number->string i)))))
                                       (requirement '(user-processes))
                                       (start #~(const #t))
                                       (stop #~(const #f))))))))
    (default-value i)
    (description "A generated service.")))

(operating-system
  (inherit %hurd-default-operating-system)
  (file-systems (cons (file-system (device (file-system-label "root"))
                                   (mount-point "/") (type "ext2"))
                      %base-file-systems))
  (packages (append (map make-package (iota {packages})) %base-packages/hurd))
  (services (append (map (lambda (i) (service (make-service-type i))) (iota {services}))
                    %base-services/hurd)))
"""


def run(path: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB) of one evaluation."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "schemos.cli", "eval", "--json", str(path)],
                       capture_output=True, text=True, check=False)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(r.stderr[-3000:])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, max(peak, before) / 1024


def main() -> None:
    """Print the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for services, packages in ((500, 2000), (1000, 4000)):
            p = Path(d) / f"os-{services}.tmpl"
            p.write_text(TEMPLATE.format(services=services, packages=packages))
            run(p)  # fill the module cache
            times, peaks = [], []
            for _ in range(a.repeat):
                # each measurement in a fresh process, so max RSS is per run
                out = subprocess.run([sys.executable, __file__, "--one", str(p)],
                                     capture_output=True, text=True, check=True,
                                     env={**os.environ}).stdout.split()
                times.append(float(out[0]))
                peaks.append(float(out[1]))
            rows.append((services, packages, statistics.median(times), max(peaks)))
    print(f"median of {a.repeat} runs; warm module cache")
    print(f"{'services':>9} {'packages':>9} {'time s':>8} {'peak MiB':>9}")
    for s, p, t, m in rows:
        print(f"{s:9d} {p:9d} {t:8.2f} {m:9.0f}")
    (s1, _, t1, m1), (s2, _, t2, m2) = rows
    print(f"doubling: time x{t2 / t1:.2f}, peak memory x{m2 / m1:.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        t, m = run(Path(sys.argv[2]))
        print(t, m)
    else:
        main()
