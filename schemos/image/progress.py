"""A progress bar for image builds: the step, and bytes done of the step's total."""

from __future__ import annotations

import sys
import time
from typing import TextIO

STEPS = ("lower", "realize", "root", "file system", "disk", "qcow2")


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f}"


class ProgressBar:
    """Renders ``(step, done, total)`` reports on a terminal, or as lines elsewhere.

    On a terminal the current step's bar is redrawn in place (at most ten
    times a second); on a pipe or file each step is one line when it starts,
    so logs stay short.  Call it as the ``progress`` of
    :func:`schemos.image.build.build_image`.
    """

    def __init__(self, stream: TextIO | None = None, steps: tuple[str, ...] = STEPS,
                 width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.steps = steps
        self.width = width
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.current: str | None = None
        self.last_draw = 0.0

    def __call__(self, step: str, done: int, total: int) -> None:
        """Report that ``done`` of ``total`` bytes (or items) of ``step`` are done."""
        n = self.steps.index(step) + 1 if step in self.steps else 0
        label = f"[{n}/{len(self.steps)}] {step}"
        if step != self.current:
            if self.tty and self.current is not None:
                self.stream.write("\n")
            self.current = step
            if not self.tty:
                self.stream.write(f"schemos image: {label}\n")
                self.stream.flush()
        if not self.tty:
            return
        now = time.monotonic()
        if done < total and now - self.last_draw < 0.1:
            return
        self.last_draw = now
        frac = min(1.0, done / total) if total else 1.0
        fill = int(frac * self.width)
        bar = "#" * fill + "-" * (self.width - fill)
        amount = f"{_mib(done)}/{_mib(total)} MiB" if total > 4096 else f"{done}/{total}"
        self.stream.write(f"\r{label:<18} [{bar}] {amount:>20}")
        self.stream.flush()

    def close(self) -> None:
        """End the last line."""
        if self.tty and self.current is not None:
            self.stream.write("\n")
            self.stream.flush()
        self.current = None
