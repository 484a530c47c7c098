"""Names and parameter lists of procedures, for printing and error messages."""

from __future__ import annotations

from typing import Any

from schemos.module import demangle, scheme_name_of_pyname


def procedure_info(f: Any) -> tuple[str | None, str | None]:
    """Return (Scheme name or None, printed parameter list or None) of procedure ``f``."""
    name = getattr(f, "scm_name", None)
    params = getattr(f, "scm_params", None)
    if name is not None:
        if params is None and hasattr(f, "__code__"):
            params = _params_of(f.__code__)
        return name, params
    code = getattr(f, "__code__", None)
    if code is None:
        return None, None
    return scheme_name_of_pyname(code.co_name), _params_of(code)


def _params_of(code: Any) -> str:
    n = code.co_argcount
    names = []
    for v in code.co_varnames[:n]:
        names.append(scheme_name_of_pyname(v) or v)
    if code.co_flags & 0x04:  # *args
        v = code.co_varnames[n]
        rest = scheme_name_of_pyname(v) or "rest"
        if v.startswith("r") and v[1:].isdigit():
            rest = "rest"
        if names:
            return "(" + " ".join(names) + " . " + rest + ")"
        return rest
    return "(" + " ".join(names) + ")"


def procedure_repr(f: Any) -> str:
    """``#<procedure name (params)>`` as Guile prints procedures."""
    name, params = procedure_info(f)
    parts = ["#<procedure"]
    parts.append(name if name else f"{id(f):x}")
    if params:
        parts.append(params)
    return " ".join(parts) + ">"


_ = demangle
