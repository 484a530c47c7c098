"""Guile error conditions used by the builtin procedures, beyond those in
:mod:`schemos.errors`.

Guile 3 words some errors differently from ``scm_wrong_type_arg``:

* arithmetic and a few list procedures say
  ``Wrong type argument in position 1: "a"`` (no "expecting" part):
  :func:`wrong_type_arg`;
* ``car``/``cdr``/``cadr``…, ``string-append`` and a few others say
  ``Wrong type (expecting pair): 5`` (no position): :func:`wrong_type_nopos`.
"""

from __future__ import annotations

from typing import Any

from schemos.datum import NIL, Pair
from schemos.errors import Condition, SchemeError


def wrong_type_arg(who: str, pos: int, obj: Any) -> SchemeError:
    """``In procedure WHO: Wrong type argument in position POS: OBJ``."""
    args = [pos, obj]
    return SchemeError(Condition("wrong-type-arg", "Wrong type argument in position ~A: ~S",
                                 who=who, args=args, irritants=args, extra=Pair(obj, NIL)))


def wrong_type_nopos(who: str, expected: str, obj: Any) -> SchemeError:
    """``In procedure WHO: Wrong type (expecting EXPECTED): OBJ``."""
    args = [expected, obj]
    return SchemeError(Condition("wrong-type-arg", "Wrong type (expecting ~A): ~S", who=who,
                                 args=args, irritants=args, extra=Pair(obj, NIL)))


def wrong_type_msg(who: str, message: str, *args: Any) -> SchemeError:
    """A ``wrong-type-arg`` condition with a custom message (``~S`` directives)."""
    a = list(args)
    return SchemeError(Condition("wrong-type-arg", message, who=who, args=a, irritants=a,
                                 extra=False))


def numerical_overflow(who: str) -> SchemeError:
    """Guile's ``numerical-overflow`` error (division by exact zero)."""
    return SchemeError(Condition("numerical-overflow", "Numerical overflow", who=who))


def value_out_of_range(who: str, obj: Any) -> SchemeError:
    """``In procedure WHO: Value out of range: OBJ`` (key ``out-of-range``)."""
    return SchemeError(Condition("out-of-range", "Value out of range: ~S", who=who,
                                 args=[obj], irritants=[obj], extra=Pair(obj, NIL)))


def misc_error(who: str | None, message: str, *args: Any) -> SchemeError:
    """A ``misc-error`` whose MESSAGE has ``~A``/``~S`` directives filled by ARGS."""
    a = list(args)
    return SchemeError(Condition("misc-error", message, who=who, args=a, irritants=a))


__all__ = ["wrong_type_arg", "wrong_type_nopos", "wrong_type_msg", "numerical_overflow",
           "value_out_of_range", "misc_error"]
