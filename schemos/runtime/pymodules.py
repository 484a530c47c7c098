"""Internal modules written in Python, for the Scheme libraries of ``stdlib/``.

Some library procedures cannot be builtins bound in every module because
their names clash with Guile's core ones (SRFI-69's ``make-hash-table``,
SRFI-35's ``error?``), and some library syntax needs a Python transformer
(SRFI-71's ``let``).  Such bindings live in internal modules named
``(schemos ...)``, registered with :func:`schemos.modsys.register_module`;
the library's ``stdlib/`` file imports the internal module and re-exports
what it provides, e.g. ``stdlib/srfi/srfi-69.scm`` uses ``(schemos srfi-69)``.

Procedures for such modules are marked with :func:`scheme_procedure`, which
names them like :func:`schemos.runtime.core.primitive` does but does not add
them to the builtins.  They must be module-level functions: compiled code
may hold them as constants, and the module cache pickles those by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schemos.datum import Symbol

__all__ = ["scheme_procedure", "python_module"]


def scheme_procedure(name: str, params: str = "_") -> Callable[[Callable[..., Any]], Any]:
    """Name a Python function as the Scheme procedure ``name`` (not a global builtin).

    The function must never return a tail call (it may call Scheme procedures
    only through :func:`schemos.runtime.core.call`): compiled code calls it
    directly, as it calls builtins.
    """

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.scm_name = name  # type: ignore[attr-defined]
        fn.scm_params = params  # type: ignore[attr-defined]
        fn.scm_primitive = True  # type: ignore[attr-defined]
        return fn

    return deco


def python_module(name: str, values: dict[str, Any] | None = None,
                  transformers: dict[str, Any] | None = None) -> None:
    """Register the internal module ``name`` (e.g. ``"schemos srfi-69"``).

    It defines and exports ``values`` (Scheme name -> value) and the macros
    ``transformers`` (Scheme name -> Python transformer, as in
    :mod:`schemos.derived`).
    """
    from schemos.modsys import register_module

    vals = dict(values or {})
    trans = dict(transformers or {})

    def installer(interp: Any, m: Any) -> None:
        from schemos.syntax import Macro

        for n, v in vals.items():
            m.define(n, v)
            m.exports.add(Symbol(n))
        for n, t in trans.items():
            m.define_syntax(n, Macro(t, interp.root_scope, n))
            m.exports.add(Symbol(n))

    register_module(name, installer)
