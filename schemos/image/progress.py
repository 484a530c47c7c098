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
        #: the last report not drawn (rate limit), drawn when its step ends
        self.undrawn: tuple[str, int, int] | None = None

    def __call__(self, step: str, done: int, total: int) -> None:
        """Report that ``done`` of ``total`` bytes (or items) of ``step`` are done."""
        n = self.steps.index(step) + 1 if step in self.steps else 0
        label = f"[{n}/{len(self.steps)}] {step}"
        if step != self.current:
            if self.tty and self.current is not None:
                if self.undrawn is not None:
                    self._draw(*self.undrawn)
                self.stream.write("\n")
            self.undrawn = None
            self.current = step
            if not self.tty:
                self.stream.write(f"schemos image: {label}\n")
                self.stream.flush()
        if not self.tty:
            return
        now = time.monotonic()
        if (not total or done < total) and now - self.last_draw < 0.1:
            self.undrawn = (step, done, total)
            return
        self.last_draw = now
        self.undrawn = None
        self._draw(step, done, total)

    def _draw(self, step: str, done: int, total: int) -> None:
        n = self.steps.index(step) + 1 if step in self.steps else 0
        label = f"[{n}/{len(self.steps)}] {step}"
        if not total:
            # a step whose size is not known in advance (realize: items
            # substituted and built as they come)
            self.stream.write(f"\r{label:<18} {done} item(s)")
            self.stream.flush()
            return
        frac = min(1.0, done / total)
        fill = int(frac * self.width)
        bar = "#" * fill + "-" * (self.width - fill)
        amount = f"{_mib(done)}/{_mib(total)} MiB" if total > 4096 else f"{done}/{total}"
        self.stream.write(f"\r{label:<18} [{bar}] {amount:>20}")
        self.stream.flush()

    def close(self) -> None:
        """End the last line."""
        if self.tty and self.current is not None:
            if self.undrawn is not None:
                self._draw(*self.undrawn)
                self.undrawn = None
            self.stream.write("\n")
            self.stream.flush()
        self.current = None
