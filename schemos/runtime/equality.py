"""Scheme equality: ``eq?``, ``eqv?``, ``equal?`` and the booleans.

Shared by lists (``memv``, ``assoc``, ``delete``…) and hash tables.

* ``eq?`` is identity, except that exact integers in Guile's fixnum range and
  characters compare by value (they are immediates in Guile).
* ``eqv?`` also compares numbers by exactness and value (``(eqv? 0.0 -0.0)``
  is #f, ``(eqv? +nan.0 +nan.0)`` is #t, ``(eqv? 1 1.0)`` is #f).
* ``equal?`` compares pairs, vectors, strings and bytevectors structurally,
  without recursion (1,000,000-element lists are fine); other objects compare
  with ``eqv?``, unless their class defines ``scm_equal(self, other)``.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from schemos.datum import Pair
from schemos.runtime.core import primitive

_FIXNUM_MIN = -(1 << 61)
_FIXNUM_MAX = (1 << 61) - 1


def is_eq(a: Any, b: Any) -> bool:
    """Scheme ``eq?``."""
    if a is b:
        return True
    if type(a) is int and type(b) is int:
        return a == b and _FIXNUM_MIN <= a <= _FIXNUM_MAX
    return False


def _float_eqv(a: float, b: float) -> bool:
    if a == b:
        return a != 0.0 or math.copysign(1.0, a) == math.copysign(1.0, b)
    return a != a and b != b


def is_eqv(a: Any, b: Any) -> bool:
    """Scheme ``eqv?``."""
    if a is b:
        return True
    ta = type(a)
    if ta is not type(b):
        return False
    if ta is int or ta is Fraction:
        return a == b
    if ta is float:
        return _float_eqv(a, b)
    if ta is complex:
        return _float_eqv(a.real, b.real) and _float_eqv(a.imag, b.imag)
    return False


def is_equal(a: Any, b: Any) -> bool:
    """Scheme ``equal?`` (iterative; safe on very long lists)."""
    stack: list[Any] = []
    while True:
        # walk down the cdr direction, pushing cars to examine later
        while True:
            if a is b:
                break
            ta = type(a)
            if ta is Pair:
                if type(b) is not Pair:
                    return False
                stack.append(a.car)
                stack.append(b.car)
                a = a.cdr
                b = b.cdr
                continue
            if ta is not type(b):
                return False
            if ta is str or ta is bytearray:
                if a != b:
                    return False
                break
            if ta is list:
                if len(a) != len(b):
                    return False
                for i in range(len(a)):
                    stack.append(a[i])
                    stack.append(b[i])
                break
            if ta is int or ta is Fraction:
                if a != b:
                    return False
                break
            if ta is float:
                if not _float_eqv(a, b):
                    return False
                break
            if ta is complex:
                if not (_float_eqv(a.real, b.real) and _float_eqv(a.imag, b.imag)):
                    return False
                break
            eq = getattr(ta, "scm_equal", None)
            if eq is not None and eq(a, b):
                break
            return False
        if not stack:
            return True
        b = stack.pop()
        a = stack.pop()


@primitive("eq?", "(x y)")
def scm_eq(x: Any, y: Any) -> bool:
    """Return #t if X and Y are the same object, except for numbers and characters."""
    if x is y:
        return True
    if type(x) is int and type(y) is int:
        return x == y and _FIXNUM_MIN <= x <= _FIXNUM_MAX
    return False


@primitive("eqv?", "(x y)")
def scm_eqv(x: Any, y: Any) -> bool:
    """Return #t if X and Y are the same object, or for characters and numbers
    the same value."""
    if x is y:
        return True
    return is_eqv(x, y)


@primitive("equal?", "(x y)")
def scm_equal(x: Any, y: Any) -> bool:
    """Return #t if X and Y are the same type, and their contents or value are equal."""
    if x is y:
        return True
    return is_equal(x, y)


@primitive("not", "(x)")
def scm_not(x: Any) -> bool:
    """Return #t if X is false, else return #f."""
    return x is False


@primitive("->bool", "(x)")
def to_bool(x: Any) -> bool:
    """Return #f if X is false, else #t."""
    return x is not False


@primitive("boolean?", "(obj)")
def is_boolean(obj: Any) -> bool:
    """Return #t if OBJ is either #t or #f, else return #f."""
    return obj is True or obj is False


@primitive("boolean=?", "(a b . rest)")
def boolean_eq(a: Any, b: Any, *rest: Any) -> bool:
    """Return #t if all the arguments are booleans and are the same."""
    from schemos.errors import wrong_type

    args = (a, b) + rest
    for i, x in enumerate(args):
        if x is not True and x is not False:
            raise wrong_type("boolean=?", i + 1, "boolean", x)
    return all(x is a for x in args)


__all__ = ["is_eq", "is_eqv", "is_equal"]
