"""Run the schemos benchmark suite against Guile 3 and print a table of medians.

Usage::

    python benchmarks/run.py [--repeat N] [--only NAME ...] [--markdown]

Every ``.scm`` program is run as a whole process (wall time, start-up
included) under:

* ``schemos``       -- ``python -m schemos.cli eval FILE`` (see ``--schemos-cmd``);
* ``guile-comp``    -- ``guile FILE`` with a private, warmed-up compile cache;
* ``guile-interp``  -- ``GUILE_AUTO_COMPILE=0 XDG_CACHE_HOME=<fresh empty dir>
  guile --no-auto-compile FILE`` (Guile's evaluator, no compiled code);
* ``python``        -- for fib/tak/ack, the plain Python kernels of
  ``kernels.py``, timed in-process.

The table gives the median of N runs per runner, the ratio
schemos / guile-interp, and whether schemos printed what Guile printed.  Below
it come the geometric mean of the ratio over the eight classic programs, the
worst ratio, and the start-up time of ``schemos eval`` on a one-line file.
Nothing here fails the run: a runner that errors or times out shows ``error``
or ``timeout`` in its column.  This script is run by hand, never by tests.
"""

from __future__ import annotations

import argparse
import math
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent

sys.path.insert(0, str(BENCH_DIR))
import kernels  # noqa: E402  (sibling module; this file is run as a script)

#: All programs, in table order.
BENCHMARKS: tuple[str, ...] = (
    "fib",
    "tak",
    "ack",
    "nqueens",
    "deriv",
    "destruc",
    "string",
    "primes",
    "deep",
    "assoc-hash",
)
#: The classic programs whose ratios enter the geometric mean.
CLASSIC: tuple[str, ...] = BENCHMARKS[:8]
#: Runner column names, in table order.
RUNNERS: tuple[str, ...] = ("schemos", "guile-comp", "guile-interp", "python")
#: The one-line program used to measure start-up.
STARTUP_PROGRAM = "(+ 1 2)\n"
#: A value the evaluator may echo for a final expression like ``(newline)``.
UNSPECIFIED_ECHOES = ("", "#<unspecified>")


@dataclass
class Measurement:
    """The outcome of running one program under one runner ``repeat`` times.

    ``times`` holds the wall time of every successful run; ``failure`` is
    ``"error"`` or ``"timeout"`` when a run failed (later runs are skipped), and
    ``detail`` is a short explanation of that failure.  ``stdout`` is the
    output of the last successful run.
    """

    times: list[float] = field(default_factory=list)
    stdout: str | None = None
    failure: str | None = None
    detail: str = ""

    @property
    def median(self) -> float | None:
        """Median wall time in seconds, or ``None`` if the runner failed."""
        if self.failure is not None or not self.times:
            return None
        return statistics.median(self.times)

    def cell(self) -> str:
        """The table cell for this measurement."""
        if self.failure is not None:
            return self.failure
        med = self.median
        return "-" if med is None else f"{med:.3f}"


@dataclass
class Row:
    """All measurements for one benchmark, plus the output check."""

    name: str
    results: dict[str, Measurement] = field(default_factory=dict)
    check: str = "-"
    notes: list[str] = field(default_factory=list)

    def ratio(self) -> float | None:
        """schemos median / guile-interp median, when both are available."""
        ours = self.results.get("schemos")
        ref = self.results.get("guile-interp")
        if ours is None or ref is None:
            return None
        a, b = ours.median, ref.median
        if a is None or b is None or b <= 0:
            return None
        return a / b


def log(message: str) -> None:
    """Print a progress message to stderr (stdout is reserved for the table)."""
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Guile discovery / installation
# --------------------------------------------------------------------------


def find_guile() -> str | None:
    """Return the path of a Guile 3 executable, or ``None``."""
    for name in ("guile", "guile3.0", "guile-3.0"):
        path = shutil.which(name)
        if path is None:
            continue
        try:
            out = subprocess.run(
                [path, "--version"], capture_output=True, text=True, timeout=30
            ).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        first = out.splitlines()[0] if out else ""
        if " 3." in first:
            return path
    return None


def install_guile() -> None:
    """Install Debian's ``guile-3.0`` package with apt-get, explaining why."""
    log(
        "guile 3 was not found on PATH.  The benchmarks compare schemos with\n"
        "Guile 3 (compiled and interpreted), so installing it now with\n"
        "  apt-get install -y guile-3.0\n"
        "(and 'apt-get update' first if that fails).  This needs root."
    )
    if shutil.which("apt-get") is None:
        log("apt-get is not available: install Guile 3 by hand and rerun.")
        return
    cmd = ["apt-get", "install", "-y", "guile-3.0"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(cmd, env=env).returncode != 0:
        log("apt-get install failed; running 'apt-get update' and retrying.")
        subprocess.run(["apt-get", "update"], env=env)
        subprocess.run(cmd, env=env)


def ensure_guile() -> str:
    """Return a Guile 3 executable, installing it if needed; exit if impossible."""
    guile = find_guile()
    if guile is None:
        install_guile()
        guile = find_guile()
    if guile is None:
        log("error: Guile 3 is still not available; cannot run the benchmarks.")
        sys.exit(2)
    return guile


# --------------------------------------------------------------------------
# Running processes
# --------------------------------------------------------------------------


def clean_env(**overrides: str) -> dict[str, str]:
    """The current environment without Guile settings, plus ``overrides``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("GUILE_AUTO_COMPILE", "XDG_CACHE_HOME", "GUILE_LOAD_COMPILED_PATH")
    }
    env.update(overrides)
    return env


def schemos_env() -> dict[str, str]:
    """Environment for schemos: the repository root first on PYTHONPATH."""
    paths = [str(REPO_ROOT)]
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    return clean_env(PYTHONPATH=os.pathsep.join(paths))


def last_line(text: str) -> str:
    """The last non-blank line of ``text`` (for short error explanations)."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1][:120] if lines else ""


def measure(
    cmd: Sequence[str],
    make_env: Callable[[], tuple[dict[str, str], tempfile.TemporaryDirectory[str] | None]],
    repeat: int,
    timeout: float,
) -> Measurement:
    """Run ``cmd`` ``repeat`` times as a subprocess and record wall times.

    ``make_env`` is called before every run and returns the environment plus an
    optional temporary directory to delete after that run.  The first failure
    (non-zero exit status or timeout) ends the measurement.
    """
    result = Measurement()
    for _ in range(repeat):
        env, tmp = make_env()
        try:
            start = time.perf_counter()
            proc = subprocess.run(
                list(cmd),
                env=env,
                cwd=REPO_ROOT,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=timeout,
            )
            elapsed = time.perf_counter() - start
        except subprocess.TimeoutExpired:
            result.failure = "timeout"
            result.detail = f"no result after {timeout:g} s"
            return result
        except OSError as exc:
            result.failure = "error"
            result.detail = str(exc)
            return result
        finally:
            if tmp is not None:
                tmp.cleanup()
        if proc.returncode != 0:
            result.failure = "error"
            result.detail = f"exit {proc.returncode}: {last_line(proc.stderr or proc.stdout)}"
            return result
        result.times.append(elapsed)
        result.stdout = proc.stdout
    return result


def outputs_agree(reference: str, candidate: str) -> bool:
    """Whether ``candidate`` (schemos) printed what ``reference`` (Guile) printed.

    ``schemos eval`` also writes the value of the last expression; for these
    programs that is the unspecified value of ``(newline)``, so a trailing
    empty or ``#<unspecified>`` line is tolerated.
    """
    if candidate.rstrip() == reference.rstrip():
        return True
    if not candidate.startswith(reference):
        return False
    return candidate[len(reference) :].strip() in UNSPECIFIED_ECHOES


# --------------------------------------------------------------------------
# The suite
# --------------------------------------------------------------------------


@dataclass
class Suite:
    """Configuration shared by every benchmark run."""

    guile: str
    schemos_cmd: list[str]
    repeat: int
    timeout: float
    compiled_cache: str

    def guile_compiled_env(
        self,
    ) -> tuple[dict[str, str], tempfile.TemporaryDirectory[str] | None]:
        """Environment for compiled Guile: the suite's private compile cache."""
        return clean_env(XDG_CACHE_HOME=self.compiled_cache), None

    def guile_interp_env(
        self,
    ) -> tuple[dict[str, str], tempfile.TemporaryDirectory[str] | None]:
        """Environment for interpreted Guile: a fresh, empty cache each run."""
        tmp = tempfile.TemporaryDirectory(prefix="schemos-bench-guile-interp-")
        env = clean_env(GUILE_AUTO_COMPILE="0", XDG_CACHE_HOME=tmp.name)
        return env, tmp

    def schemos_env(self) -> tuple[dict[str, str], tempfile.TemporaryDirectory[str] | None]:
        """Environment for schemos runs."""
        return schemos_env(), None

    def run_guile_compiled(self, path: Path) -> Measurement:
        """Warm up the compile cache once, then time ``guile FILE``."""
        warm = measure([self.guile, str(path)], self.guile_compiled_env, 1, self.timeout)
        if warm.failure is not None:
            return warm
        if not any(Path(self.compiled_cache).rglob(path.name + ".go")):
            log(f"  warning: no compiled .go for {path.name} in the private cache")
        return measure([self.guile, str(path)], self.guile_compiled_env, self.repeat, self.timeout)

    def run_guile_interp(self, path: Path) -> Measurement:
        """Time Guile's evaluator on ``path`` (auto-compilation off, empty cache)."""
        cmd = [self.guile, "--no-auto-compile", str(path)]
        return measure(cmd, self.guile_interp_env, self.repeat, self.timeout)

    def run_schemos(self, path: Path) -> Measurement:
        """Time ``schemos eval FILE``."""
        return measure([*self.schemos_cmd, str(path)], self.schemos_env, self.repeat, self.timeout)

    def run_kernel(self, name: str) -> Measurement:
        """Time the in-process Python kernel for ``name``."""
        try:
            times, output = kernels.time_kernel(name, self.repeat)
        except (RecursionError, MemoryError) as exc:
            return Measurement(failure="error", detail=repr(exc))
        return Measurement(times=times, stdout=output)

    def run_benchmark(self, name: str) -> Row:
        """Measure one program under every runner and check the outputs."""
        path = BENCH_DIR / f"{name}.scm"
        row = Row(name)
        log(f"[{name}] guile compiled ...")
        row.results["guile-comp"] = self.run_guile_compiled(path)
        log(f"[{name}] guile interpreted ...")
        row.results["guile-interp"] = self.run_guile_interp(path)
        log(f"[{name}] schemos ...")
        row.results["schemos"] = self.run_schemos(path)
        if name in kernels.KERNELS:
            log(f"[{name}] python kernel ...")
            row.results["python"] = self.run_kernel(name)
        self.check_outputs(row)
        return row

    def check_outputs(self, row: Row) -> None:
        """Compare every runner's output with Guile's; fill ``row.check``."""
        ref_m = row.results["guile-interp"]
        if ref_m.stdout is None:
            ref_m = row.results["guile-comp"]
        reference = ref_m.stdout
        for runner, m in row.results.items():
            if m.failure is not None:
                row.notes.append(f"{runner} {m.failure}: {m.detail}")
        if reference is None:
            row.check = "no guile"
            return
        bad: list[str] = []
        for runner in ("guile-comp", "python"):
            m = row.results.get(runner)
            if m is not None and m.stdout is not None and m.stdout.rstrip() != reference.rstrip():
                bad.append(runner)
        ours = row.results["schemos"]
        if ours.stdout is None:
            status = ours.failure or "error"
        elif outputs_agree(reference, ours.stdout):
            status = "ok"
        else:
            status = "MISMATCH"
            bad.insert(0, "schemos")
        if bad:
            status = "MISMATCH(" + ",".join(bad) + ")"
            for runner in bad:
                got = row.results[runner].stdout or ""
                row.notes.append(
                    f"{runner} output differs from Guile: got {got.strip()[:80]!r}, "
                    f"expected {reference.strip()[:80]!r}"
                )
        row.check = status

    def run_startup(self) -> Row:
        """Measure start-up: every process runner on a one-line program."""
        row = Row("startup")
        with tempfile.TemporaryDirectory(prefix="schemos-bench-startup-") as tmp:
            path = Path(tmp) / "startup.scm"
            path.write_text(STARTUP_PROGRAM)
            log("[startup] guile compiled / interpreted / schemos ...")
            row.results["guile-comp"] = self.run_guile_compiled(path)
            row.results["guile-interp"] = self.run_guile_interp(path)
            row.results["schemos"] = self.run_schemos(path)
        for runner, m in row.results.items():
            if m.failure is not None:
                row.notes.append(f"{runner} {m.failure}: {m.detail}")
        return row


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------

HEADERS = (
    "benchmark",
    "schemos s",
    "guile-comp s",
    "guile-interp s",
    "python s",
    "schemos/interp",
    "output",
)


def format_ratio(ratio: float) -> str:
    """A ratio with two significant decimals below 10, one above."""
    return f"{ratio:.2f}x" if ratio < 10 else f"{ratio:.1f}x"


def table_rows(rows: Sequence[Row]) -> list[list[str]]:
    """The cells of the table, one list per benchmark."""
    out: list[list[str]] = []
    for row in rows:
        cells = [row.name]
        for runner in RUNNERS:
            m = row.results.get(runner)
            cells.append("-" if m is None else m.cell())
        ratio = row.ratio()
        cells.append("-" if ratio is None else format_ratio(ratio))
        cells.append(row.check)
        out.append(cells)
    return out


def geometric_mean(values: Sequence[float]) -> float:
    """Geometric mean of positive ``values``."""
    return math.exp(sum(math.log(v) for v in values) / len(values))


def summary_lines(rows: Sequence[Row], startup: Row | None) -> list[str]:
    """Geometric mean, worst ratio and start-up lines."""
    lines: list[str] = []
    ratios = {row.name: r for row in rows if (r := row.ratio()) is not None}
    classic = [ratios[n] for n in CLASSIC if n in ratios]
    wanted = [n for n in CLASSIC if any(row.name == n for row in rows)]
    if classic:
        note = "" if len(classic) == len(CLASSIC) else f" (over {len(classic)} of {len(CLASSIC)})"
        lines.append(
            f"geometric mean schemos/guile-interp, classic programs{note}: "
            f"{format_ratio(geometric_mean(classic))}"
        )
    elif wanted:
        lines.append("geometric mean schemos/guile-interp: n/a (no schemos result)")
    if ratios:
        worst = max(ratios, key=lambda n: ratios[n])
        lines.append(f"worst ratio: {format_ratio(ratios[worst])} ({worst})")
    failed = [row.name for row in rows if row.results["schemos"].failure is not None]
    if failed:
        lines.append(f"schemos failed on: {' '.join(failed)}")
    if startup is not None:
        parts = [
            f"{runner} {startup.results[runner].cell()}"
            for runner in ("schemos", "guile-comp", "guile-interp")
        ]
        lines.append(f"start-up (one-line file, median s): {', '.join(parts)}")
    return lines


def format_plain(cells: list[list[str]]) -> str:
    """An aligned plain-text table."""
    widths = [max(len(r[i]) for r in [list(HEADERS), *cells]) for i in range(len(HEADERS))]

    def fmt(r: Sequence[str]) -> str:
        first = r[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(r[1:-1], widths[1:-1], strict=True)]
        return "  ".join([first, *rest, r[-1]]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(HEADERS), rule, *(fmt(r) for r in cells)])


def format_markdown(cells: list[list[str]]) -> str:
    """A Markdown (GitHub pipe) table."""
    align = ["---", *(["---:"] * (len(HEADERS) - 2)), "---"]
    lines = ["| " + " | ".join(HEADERS) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in cells]
    return "\n".join(lines)


def report(
    suite: Suite,
    rows: Sequence[Row],
    startup: Row | None,
    markdown: bool,
) -> str:
    """The full report: header, table, summary and notes."""
    guile_version = subprocess.run(
        [suite.guile, "--version"], capture_output=True, text=True
    ).stdout.splitlines()[0]
    header = [
        f"median wall time of {suite.repeat} run(s) per runner; "
        f"{guile_version}; Python {sys.version.split()[0]}",
        f"schemos command: {shlex.join(suite.schemos_cmd)} FILE",
    ]
    cells = table_rows(rows)
    summary = summary_lines(rows, startup)
    all_rows = [*rows, startup] if startup else list(rows)
    notes = [f"{row.name}: {n}" for row in all_rows for n in row.notes]
    if markdown:
        parts = [*(f"_{h}_  " for h in header), "", format_markdown(cells), ""]
        parts += [f"- {s}" for s in summary]
        if notes:
            parts += ["", "Notes:", "", *(f"- {n}" for n in notes)]
    else:
        parts = [*header, "", format_plain(cells), "", *summary]
        if notes:
            parts += ["", "notes:", *(f"  {n}" for n in notes)]
    return "\n".join(parts)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description="Benchmark schemos against Guile 3 (compiled and interpreted)."
    )
    parser.add_argument(
        "--repeat", type=int, default=5, metavar="N", help="runs per runner (default 5)"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=BENCHMARKS,
        metavar="NAME",
        help=f"run only these benchmarks ({', '.join(BENCHMARKS)})",
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds before a run is killed (120)"
    )
    parser.add_argument(
        "--schemos-cmd",
        default=None,
        metavar="CMD",
        help="command that evaluates a file, FILE appended "
        "(default: '<this python> -m schemos.cli eval'; e.g. 'schemos eval')",
    )
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up measurement")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite and print the table; returns the process exit status."""
    args = parse_args(argv)
    guile = ensure_guile()
    if args.schemos_cmd:
        schemos_cmd = shlex.split(args.schemos_cmd)
    else:
        schemos_cmd = [sys.executable, "-m", "schemos.cli", "eval"]
    names = [n for n in BENCHMARKS if args.only is None or n in args.only]
    with tempfile.TemporaryDirectory(prefix="schemos-bench-guile-cache-") as cache:
        suite = Suite(guile, schemos_cmd, args.repeat, args.timeout, cache)
        rows = [suite.run_benchmark(name) for name in names]
        startup = None if args.no_startup else suite.run_startup()
        print(report(suite, rows, startup, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
