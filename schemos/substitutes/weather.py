"""``schemos weather``: how many store items the substitute servers have, like ``guix weather``.

For each substitute URL, the narinfo of every item is requested (with a pool
of threads, each keeping its HTTP connection alive) and the report gives the
share of items available, the compressed and uncompressed sizes, and the
request rate::

    http://127.0.0.1:8080
      1.5% substitutes available (169 out of 11521)
      at least 443.3 MiB of nars (compressed)
      966.7 MiB on disk (uncompressed)
      0.012 seconds per request (142.2 seconds in total)
      81.0 requests per second

Signatures are not checked here (``guix weather`` reports what a server
offers; the client checks signatures when it substitutes).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemos.substitutes.client import CacheClient
from schemos.substitutes.narinfo import Narinfo

MIB = 1 << 20


@dataclass
class WeatherReport:
    """Availability of ``requested`` items on the server at ``url``."""

    url: str
    requested: list[str]
    available: list[Narinfo] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def missing(self) -> list[str]:
        """The requested items the server does not have."""
        have = {n.store_path for n in self.available}
        return [i for i in self.requested if i not in have]

    def compressed_size(self) -> tuple[int, bool]:
        """(total of the smallest NAR of each available item, whether all sizes are known)."""
        total = 0
        complete = True
        for n in self.available:
            sizes = [u.file_size for u in n.urls if u.file_size is not None]
            if sizes:
                total += min(sizes)
            else:
                complete = False
        return total, complete

    def uncompressed_size(self) -> int:
        """Sum of ``NarSize`` of the available items."""
        return sum(n.nar_size for n in self.available)

    def to_text(self) -> str:
        """The report, in ``guix weather``'s words."""
        requested = len(self.requested)
        obtained = len(self.available)
        pct = 100.0 * obtained / requested if requested else 0.0
        lines = [self.url, f"  {pct:.1f}% substitutes available ({obtained} out of "
                 f"{requested})"]
        total, complete = self.compressed_size()
        if obtained and not total and not complete:
            lines.append("  unknown substitute sizes")
        else:
            lines.append(f"  {'' if complete else 'at least '}{total / MIB:.1f} MiB of nars "
                         "(compressed)")
        lines.append(f"  {self.uncompressed_size() / MIB:.1f} MiB on disk (uncompressed)")
        if requested:
            t = max(self.seconds, 1e-9)
            lines.append(f"  {t / requested:.3f} seconds per request ({t:.1f} seconds in "
                         "total)")
            lines.append(f"  {requested / t:.1f} requests per second")
        if self.errors:
            lines.append(f"  {len(self.errors)} errors, the first: {self.errors[0]}")
        return "\n".join(lines) + "\n"


def weather(items: Iterable[str], url: str, *, workers: int = 8,
            progress: Callable[[int], None] | None = None) -> WeatherReport:
    """Ask the server at ``url`` for the narinfo of each store path in ``items``.

    ``progress`` is called with the number of requests done after each one.
    """
    wanted = list(dict.fromkeys(items))
    report = WeatherReport(url, wanted)
    client = CacheClient(url)
    done = 0

    def ask(path: str) -> Narinfo | None:
        base = path.rsplit("/", 1)[-1]
        try:
            info = client.narinfo(base[:32])
        except Exception as e:
            c = getattr(e, "condition", None)
            report.errors.append(c.formatted_message() if c is not None else str(e))
            return None
        return info if info is not None and info.store_path == path else None

    start = time.perf_counter()
    try:
        client.cache_info()
    except Exception as e:
        c = getattr(e, "condition", None)
        report.errors.append(c.formatted_message() if c is not None else str(e))
        report.seconds = time.perf_counter() - start
        return report
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        try:
            for info in pool.map(ask, wanted):
                done += 1
                if info is not None:
                    report.available.append(info)
                if progress is not None:
                    progress(done)
        finally:
            pool.submit(client.close)
    report.seconds = time.perf_counter() - start
    return report


def derivation_items(drv_files: Iterable[str | Path], store_root: str | Path) -> list[str]:
    """The output paths of the derivations in ``drv_files`` and of their inputs.

    A ``.drv`` is read from its own path if it exists, else from
    ``store_root``; input derivations that are on neither are skipped (their
    outputs are not counted), as are unreadable ones.
    """
    from schemos.store.derivation import parse_aterm

    items: dict[str, None] = {}
    seen: set[str] = set()
    todo = [str(f) for f in drv_files]
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        candidates = [Path(f), Path(store_root) / Path(f).name]
        text = None
        for c in candidates:
            try:
                text = c.read_text(encoding="utf-8")
                break
            except OSError:
                continue
        if text is None:
            continue
        drv = parse_aterm(text, f)
        for out in drv.outputs.values():
            items[out.path] = None
        todo.extend(drv.inputs)
    return list(items)


def weather_with_progress(items: list[str], urls: Iterable[str], *, workers: int = 8,
                          out: Any = None) -> list[WeatherReport]:
    """:func:`weather` for each URL, with a progress bar on a terminal; print the reports."""
    out = out or sys.stdout
    reports = []
    err = sys.stderr
    print(f"looking for {len(items)} store items on {', '.join(urls)}...", file=err)
    for url in urls:
        label = f"updating substitutes from '{url}'..."
        if err.isatty():
            from prompt_toolkit.shortcuts import ProgressBar

            with ProgressBar(title=label) as bar:
                counter = bar(total=len(items))

                def tick(_: int, counter: Any = counter) -> None:
                    counter.item_completed()

                report = weather(items, url, workers=workers, progress=tick)
                counter.done = True
        else:
            report = weather(items, url, workers=workers)
            print(f"{label} 100.0%", file=err)
        out.write(report.to_text())
        reports.append(report)
    return reports
