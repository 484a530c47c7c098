"""The Python parts of the Scheme libraries in ``stdlib/``.

Importing this module (``schemos.runtime.builtins`` does) registers the
internal ``(schemos ...)`` modules those libraries import and the library
builtins, and makes ``(srfi srfi-64)`` importable through the module system.
"""

from __future__ import annotations

from typing import Any

import schemos.runtime.conditions  # noqa: F401 - (schemos srfi-35)
import schemos.runtime.guix_utils  # noqa: F401 - (schemos guix utils)
import schemos.runtime.srfi69  # noqa: F401 - (schemos srfi-69)
import schemos.runtime.srfi71  # noqa: F401 - (schemos srfi-71)
from schemos.modsys import register_module

__all__: list[str] = []


def _install_srfi64(interp: Any, m: Any) -> None:
    """``(srfi srfi-64)``: the test forms; results go to the current runner.

    The forms expand into calls of ``%test-…`` primitives that the root
    module must bind, which it does not when the interpreter was made
    before :mod:`schemos.srfi64` was first imported.
    """
    from schemos import srfi64

    srfi64._define_prims(interp.root)
    srfi64._install_srfi64_module(interp, m)


register_module("srfi srfi-64", _install_srfi64)
