"""Printing errors the way Guile does, with a caret under the source and a hint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schemos.datum import SourceLoc
from schemos.errors import SchemeError, format_condition

#: source texts not on disk (``-e`` expressions, REPL input), by file name
SOURCES: dict[str, str] = {}


def source_line(loc: SourceLoc) -> str | None:
    """The text of the line ``loc`` points into, if it can be found."""
    if loc.file is None:
        return None
    text = SOURCES.get(loc.file)
    if text is None:
        try:
            text = Path(loc.file).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    lines = text.split("\n")
    if 1 <= loc.line <= len(lines):
        return lines[loc.line - 1]
    return None


def caret_lines(loc: SourceLoc) -> list[str]:
    """The source line of ``loc`` and a caret under its column."""
    line = source_line(loc)
    if line is None:
        return []
    num = str(loc.line)
    pad = " " * len(num)
    col = min(loc.col, len(line))
    prefix = "".join("\t" if ch == "\t" else " " for ch in line[:col])
    return [f" {num} | {line}", f" {pad} | {prefix}^"]


def format_error(err: SchemeError, backtrace: bool = True, max_frames: int = 10) -> str:
    """The full report of an uncaught error: backtrace, message, caret, hint."""
    out: list[str] = []
    frames = [f for f in err.frames if f[1] is not None]
    if backtrace and len(frames) > 1:
        out.append("Backtrace:")
        shown = frames[-max_frames:]
        if len(frames) > max_frames:
            out.append(f"  ... {len(frames) - max_frames} more frames ...")
        last_file: Any = None
        for i, (name, loc) in enumerate(shown):
            assert loc is not None
            if loc.file != last_file:
                out.append(f"In {loc.file or '<unknown>'}:")
                last_file = loc.file
            depth = len(shown) - 1 - i
            where = f"{loc.line}:{loc.col}"
            out.append(f"  {where:>8} {depth:2} ({name or 'anonymous'})" if name != "_unit"
                       else f"  {where:>8} {depth:2} (toplevel)")
    c = err.condition
    if c is not None:
        out.append(format_condition(c))
        if c.loc is not None:
            out.extend(caret_lines(c.loc))
        if c.hint:
            out.append(f"hint: {c.hint}")
    else:
        msg = str(err)
        loc = frames[-1][1] if frames else None
        out.append(f"{loc}: {msg}" if loc is not None else msg)
    return "\n".join(out)
