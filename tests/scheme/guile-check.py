#!/usr/bin/env python3
"""Run the SRFI-64 files of this directory under GNU Guile, as a cross-check.

The ``.scm`` files here are portable SRFI-64 test files: Guile 3.0 is the
specification schemos follows, so every file should pass under ``guile``.
Usage: ``python tests/scheme/guile-check.py [--compiled] [FILE.scm ...]`` (needs ``guile``
on PATH).  Prints each file's pass/fail counts and the failing assertions.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path


def check(path: Path, compiled: bool = False) -> tuple[int, int, list[str]]:
    """Run ``path`` under Guile; return (passes, failures, failure details).

    The file is evaluated by Guile's interpreter, or compiled first if
    ``compiled`` is true.
    """
    mode = "--fresh-auto-compile" if compiled else "--no-auto-compile"
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(["guile", mode, str(path.resolve())],
                              cwd=tmp, capture_output=True, text=True, timeout=600)
        out = proc.stdout + proc.stderr
        passes = sum(int(m) for m in re.findall(r"# of expected passes\s+(\d+)", out))
        fails = sum(int(m) for m in re.findall(r"# of unexpected failures\s+(\d+)", out))
        details: list[str] = []
        for log in Path(tmp).glob("*.log"):
            for block in log.read_text(errors="replace").split("Test begin:")[1:]:
                if "result-kind: fail" in block:
                    details.append("  " + " | ".join(
                        ln.strip() for ln in block.splitlines()
                        if ln.strip().startswith(("test-name", "source-line", "source-form",
                                                  "expected-value", "actual-value",
                                                  "actual-error"))))
        if proc.returncode != 0 or "# of expected passes" not in out:
            details.append(f"  guile exited with status {proc.returncode}:\n{out[-3000:]}")
            fails += 1
        return passes, fails, details


def main(argv: list[str]) -> int:
    """Check the files named in ``argv`` (default: every ``*.scm`` here).

    ``--compiled`` compiles the files instead of interpreting them.
    """
    compiled = "--compiled" in argv
    argv = [a for a in argv if a != "--compiled"]
    files = [Path(a) for a in argv] or sorted(Path(__file__).parent.glob("*.scm"))
    total_p = total_f = 0
    for f in files:
        p, n, details = check(f, compiled)
        total_p += p
        total_f += n
        print(f"{f.name}: {p} passed, {n} failed")
        for d in details:
            print(d)
    print(f"total: {total_p} passed, {total_f} failed")
    return 1 if total_f else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
