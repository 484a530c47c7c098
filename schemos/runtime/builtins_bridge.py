"""Calls from the printer back into Scheme.

``set-record-type-printer!`` (``(srfi srfi-9 gnu)``) gives a record type a
Scheme procedure ``(printer record port)``; :class:`schemos.runtime.control.Record`
asks :func:`print_with` for the text it writes.
"""

from __future__ import annotations

from typing import Any

from schemos.runtime.core import call

__all__ = ["print_with"]


def print_with(printer: Any, record: Any) -> str:
    """What the Scheme procedure ``printer`` writes for ``record`` (``display`` and
    ``write`` alike, as Guile calls the printer in both cases)."""
    from schemos.runtime.ports import OutputPort

    port = OutputPort()
    call(printer, record, port)
    return port.getvalue()
