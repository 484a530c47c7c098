"""The calling convention shared by compiled code and primitives.

A Scheme procedure is any Python callable.  A procedure compiled from Scheme
may, instead of returning its value, return a :class:`TailCall` asking its
caller to call another procedure in its place: this is how every tail call
runs in constant space.  Whoever calls a procedure that might be compiled
Scheme code must therefore use :func:`call` (or :func:`call_list`), which
runs that trampoline.  Primitives themselves never return a :class:`TailCall`.

Primitives are registered with :func:`primitive`, which records their Scheme
name (used when printing ``#<procedure car (_)>`` and in error messages).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schemos.errors import SchemeError, wrong_type


class TailCall:
    """A pending call ``f(*args)`` returned by a procedure in tail position."""

    __slots__ = ("f", "args")

    def __init__(self, f: Any, args: tuple[Any, ...]) -> None:
        self.f = f
        self.args = args


def call(f: Any, *args: Any) -> Any:
    """Call Scheme procedure ``f`` with ``args`` and return its value."""
    try:
        r = f(*args)
    except TypeError as e:
        if not callable(f):
            raise not_a_procedure(f) from None
        raise _arity_error(f, e) from None
    while r.__class__ is TailCall:
        f = r.f
        try:
            r = f(*r.args)
        except TypeError as e:
            if not callable(f):
                raise not_a_procedure(f) from None
            raise _arity_error(f, e) from None
    return r


def call_list(f: Any, args: list[Any] | tuple[Any, ...]) -> Any:
    """Call Scheme procedure ``f`` with a Python sequence of arguments."""
    return call(f, *args)


def trampoline(r: Any) -> Any:
    """Finish a value that may be a :class:`TailCall`."""
    while r.__class__ is TailCall:
        f = r.f
        try:
            r = f(*r.args)
        except TypeError as e:
            if not callable(f):
                raise not_a_procedure(f) from None
            raise _arity_error(f, e) from None
    return r


def not_a_procedure(f: Any) -> SchemeError:
    """Guile's error for applying a non-procedure."""
    from schemos.errors import Condition

    return SchemeError(Condition("wrong-type-arg", "Wrong type to apply: ~S", args=[f],
                                 irritants=[f]))


def _arity_error(f: Any, e: TypeError) -> Exception:
    """Turn Python's TypeError for a bad call into Guile's error, if it is one."""
    from schemos.errors import wrong_number_of_args

    msg = str(e)
    if "positional argument" in msg or "takes" in msg or "required" in msg \
            or "missing" in msg or "unexpected keyword" in msg:
        return wrong_number_of_args(f)
    return e


#: every registered primitive, by Scheme name
PRIMITIVES: dict[str, Callable[..., Any]] = {}


def primitive(name: str, params: str = "_") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a Python function as the Scheme primitive ``name``.

    ``params`` is the parameter list shown when the procedure is printed,
    e.g. ``"(pair)"``; the default prints as ``(_)`` like Guile's primitives.
    """

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.scm_name = name  # type: ignore[attr-defined]
        fn.scm_params = params  # type: ignore[attr-defined]
        fn.scm_primitive = True  # type: ignore[attr-defined]
        PRIMITIVES[name] = fn
        return fn

    return deco


def alias(name: str, fn: Callable[..., Any]) -> None:
    """Make ``name`` another Scheme name for the primitive ``fn``."""
    PRIMITIVES[name] = fn


def check_proc(who: str, pos: int, f: Any) -> None:
    """Raise Guile's wrong-type error unless ``f`` is a procedure."""
    if not callable(f):
        raise wrong_type(who, pos, "procedure", f)


def procedure_name(f: Any) -> str | None:
    """The Scheme name of procedure ``f``, if it has one."""
    n = getattr(f, "scm_name", None)
    if n is None:
        return None
    return n
