"""Plain-Python versions of the fib, tak and ack benchmark kernels.

Each workload mirrors its ``.scm`` program exactly (same arguments, same
repetition count) and returns the text that program prints, so the runner can
check it against Guile's output.  The kernels are timed in-process, which
gives a "native Python" baseline for the schemos evaluator.

Run ``python benchmarks/kernels.py`` to time them on their own.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Arguments shared with the Scheme programs (keep in sync with the .scm files).
FIB_N = 32
TAK_ARGS = (18, 12, 6)
TAK_TIMES = 70
ACK_ARGS = (3, 8)
ACK_TIMES = 2


def fib(n: int) -> int:
    """Doubly recursive Fibonacci number, as in ``fib.scm``."""
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def tak(x: int, y: int, z: int) -> int:
    """Takeuchi function, as in ``tak.scm``."""
    if not y < x:
        return z
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))


def ack(m: int, n: int) -> int:
    """Ackermann's function, as in ``ack.scm``."""
    if m == 0:
        return n + 1
    if n == 0:
        return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))


@contextmanager
def recursion_limit(limit: int) -> Iterator[None]:
    """Temporarily raise the interpreter's recursion limit to at least ``limit``."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def run_fib() -> str:
    """The ``fib.scm`` workload; returns what that program prints."""
    return f"{fib(FIB_N)}\n"


def run_tak() -> str:
    """The ``tak.scm`` workload; returns what that program prints."""
    result = 0
    for _ in range(TAK_TIMES):
        result = tak(*TAK_ARGS)
    return f"{result}\n"


def run_ack() -> str:
    """The ``ack.scm`` workload; returns what that program prints."""
    result = 0
    with recursion_limit(100_000):
        for _ in range(ACK_TIMES):
            result = ack(*ACK_ARGS)
    return f"{result}\n"


#: Benchmark name -> workload returning the program's expected stdout.
KERNELS: dict[str, Callable[[], str]] = {
    "fib": run_fib,
    "tak": run_tak,
    "ack": run_ack,
}


def time_kernel(name: str, repeat: int) -> tuple[list[float], str]:
    """Run kernel ``name`` ``repeat`` times; return wall times (s) and its output."""
    workload = KERNELS[name]
    times: list[float] = []
    output = ""
    for _ in range(repeat):
        start = time.perf_counter()
        output = workload()
        times.append(time.perf_counter() - start)
    return times, output


def main() -> None:
    """Time each kernel five times and print the medians."""
    for name in KERNELS:
        times, output = time_kernel(name, 5)
        print(f"{name:4} {statistics.median(times):8.3f} s  -> {output.strip()}")


if __name__ == "__main__":
    main()
