"""Numbers: Guile's numeric tower on Python ints, Fractions, floats and complexes.

Exact integers are ``int`` (never ``bool``), exact non-integer rationals are
:class:`fractions.Fraction` (always normalised: a result whose denominator is
1 becomes an ``int``), inexact reals are ``float`` and (always inexact)
complex numbers are ``complex``, as in Guile.

Besides the Scheme primitives this module exports, for the compiler, fast
fixed-arity versions of the arithmetic operators in :data:`FAST`, and for the
printer :func:`number_to_string` (which also formats floats exactly as Guile
prints them).
"""

from __future__ import annotations

import cmath
import math
import random as _random_mod
from fractions import Fraction
from typing import Any

from schemos.datum import make_values
from schemos.errors import out_of_range, wrong_type
from schemos.runtime.builtin_errors import numerical_overflow as _numerical_overflow
from schemos.runtime.builtin_errors import wrong_type_arg
from schemos.runtime.core import alias, primitive

_NUM = frozenset((int, float, Fraction, complex))
_REAL = frozenset((int, float, Fraction))
_EXACT = frozenset((int, Fraction))
_INF = math.inf
_NAN = math.nan


# ---------------------------------------------------------------- errors


num_wrong_type = wrong_type_arg
numerical_overflow = _numerical_overflow


# ---------------------------------------------------------------- helpers


def _norm(r: Any) -> Any:
    """Turn a Fraction with denominator 1 into an int."""
    if type(r) is Fraction and r.denominator == 1:
        return r.numerator
    return r


def to_float(x: Any) -> float:
    """Convert an exact or inexact real to a float, saturating to +/-inf."""
    try:
        return float(x)
    except OverflowError:
        return _INF if x > 0 else -_INF


def _saturate(x: Any) -> Any:
    """For an OverflowError retry: exact numbers too big for a float become inf."""
    t = type(x)
    if t is int or t is Fraction:
        return to_float(x)
    return x


def _check_num(who: str, pos: int, x: Any) -> None:
    if type(x) not in _NUM:
        raise num_wrong_type(who, pos, x)


def _check_real(who: str, pos: int, x: Any) -> None:
    if type(x) not in _REAL:
        raise num_wrong_type(who, pos, x)


def _is_integer(x: Any) -> bool:
    t = type(x)
    if t is int:
        return True
    if t is float:
        return x == x and x not in (_INF, -_INF) and x.is_integer()
    return False


def _check_integer(who: str, pos: int, x: Any) -> None:
    if not _is_integer(x):
        raise num_wrong_type(who, pos, x)


def _check_exact_int(who: str, pos: int, x: Any) -> None:
    if type(x) is not int:
        raise num_wrong_type(who, pos, x)


# ---------------------------------------------------------------- + - * /


def _add(a: Any, b: Any, who: str = "+") -> Any:
    if type(a) not in _NUM:
        raise num_wrong_type(who, 1, a)
    if type(b) not in _NUM:
        raise num_wrong_type(who, 2, b)
    try:
        r = a + b
    except OverflowError:
        r = _saturate(a) + _saturate(b)
    if type(r) is Fraction:
        return _norm(r)
    return r


def _sub(a: Any, b: Any, who: str = "-") -> Any:
    if type(a) not in _NUM:
        raise num_wrong_type(who, 1, a)
    if type(b) not in _NUM:
        raise num_wrong_type(who, 2, b)
    try:
        r = a - b
    except OverflowError:
        r = _saturate(a) - _saturate(b)
    if type(r) is Fraction:
        return _norm(r)
    return r


def _mul(a: Any, b: Any, who: str = "*") -> Any:
    if type(a) not in _NUM:
        raise num_wrong_type(who, 1, a)
    if type(b) not in _NUM:
        raise num_wrong_type(who, 2, b)
    try:
        r = a * b
    except OverflowError:
        r = _saturate(a) * _saturate(b)
    if type(r) is Fraction:
        return _norm(r)
    return r


def _float_div(a: float, b: float) -> float:
    """IEEE division of floats, including by (signed) zero."""
    if b != 0.0:
        return a / b
    if a != a or a == 0.0:
        return _NAN
    neg = (a < 0) != (math.copysign(1.0, b) < 0)
    return -_INF if neg else _INF


def _div(a: Any, b: Any, who: str = "/") -> Any:
    ta = type(a)
    tb = type(b)
    if ta not in _NUM:
        raise num_wrong_type(who, 1, a)
    if tb not in _NUM:
        raise num_wrong_type(who, 2, b)
    if tb is int or tb is Fraction:
        if b == 0:
            raise numerical_overflow(who)
        if ta is int and tb is int:
            return a // b if a % b == 0 else Fraction(a, b)
        if ta is int or ta is Fraction:
            return _norm(Fraction(a) / b)
    try:
        r = a / b
    except OverflowError:
        r = _saturate(a) / _saturate(b)
    except ZeroDivisionError:
        if ta is complex or tb is complex:
            return complex(_NAN, _NAN)
        return _float_div(to_float(a), float(b))
    if type(r) is Fraction:
        return _norm(r)
    return r


def add2(a: Any, b: Any, *, int: type = int) -> Any:
    """Two-argument ``+`` (fast path for the compiler)."""
    if type(a) is int and type(b) is int:
        return a + b
    return _add(a, b)


def sub2(a: Any, b: Any, *, int: type = int) -> Any:
    """Two-argument ``-`` (fast path for the compiler)."""
    if type(a) is int and type(b) is int:
        return a - b
    return _sub(a, b)


def mul2(a: Any, b: Any, *, int: type = int) -> Any:
    """Two-argument ``*`` (fast path for the compiler)."""
    if type(a) is int and type(b) is int:
        return a * b
    return _mul(a, b)


def div2(a: Any, b: Any) -> Any:
    """Two-argument ``/`` (fast path for the compiler)."""
    return _div(a, b)


def add1(a: Any, *, int: type = int) -> Any:
    """``(+ a 1)`` / ``(1+ a)``."""
    if type(a) is int:
        return a + 1
    return _add(a, 1)


def sub1(a: Any, *, int: type = int) -> Any:
    """``(- a 1)`` / ``(1- a)``."""
    if type(a) is int:
        return a - 1
    return _sub(a, 1)


def neg(a: Any, *, int: type = int) -> Any:
    """One-argument ``-``."""
    if type(a) is int:
        return -a
    if type(a) not in _NUM:
        raise num_wrong_type("-", 1, a)
    return -a


def _cmp_check(who: str, a: Any, b: Any) -> None:
    if type(a) not in _REAL:
        raise num_wrong_type(who, 1, a)
    if type(b) not in _REAL:
        raise num_wrong_type(who, 2, b)


def lt2(a: Any, b: Any, *, int: type = int) -> bool:
    """Two-argument ``<`` (fast path for the compiler)."""
    if type(a) is int and type(b) is int:
        return a < b
    _cmp_check("<", a, b)
    return a < b


def gt2(a: Any, b: Any, *, int: type = int) -> bool:
    """Two-argument ``>`` (fast path for the compiler)."""
    if type(a) is int and type(b) is int:
        return a > b
    _cmp_check(">", a, b)
    return a > b


def le2(a: Any, b: Any, *, int: type = int) -> bool:
    """Two-argument ``<=`` (fast path for the compiler)."""
    if type(a) is int and type(b) is int:
        return a <= b
    _cmp_check("<=", a, b)
    return a <= b


def ge2(a: Any, b: Any, *, int: type = int) -> bool:
    """Two-argument ``>=`` (fast path for the compiler)."""
    if type(a) is int and type(b) is int:
        return a >= b
    _cmp_check(">=", a, b)
    return a >= b


def numeq2(a: Any, b: Any, *, int: type = int) -> bool:
    """Two-argument ``=`` (fast path for the compiler)."""
    if type(a) is int and type(b) is int:
        return a == b
    if type(a) not in _NUM:
        raise num_wrong_type("=", 1, a)
    if type(b) not in _NUM:
        raise num_wrong_type("=", 2, b)
    return a == b


@primitive("+", "(#:optional _ _ . _)")
def plus(*args: Any) -> Any:
    """Return the sum of all parameter values.  Return 0 if called without any parameters."""
    n = len(args)
    if n == 2:
        a, b = args
        if type(a) is int and type(b) is int:
            return a + b
        return _add(a, b)
    if n == 0:
        return 0
    r = args[0]
    if n == 1:
        if type(r) not in _NUM:
            raise num_wrong_type("+", 1, r)
        return r
    for x in args[1:]:
        if type(r) is int and type(x) is int:
            r = r + x
        else:
            r = _add(r, x)
    return r


@primitive("-", "(#:optional _ _ . _)")
def minus(*args: Any) -> Any:
    """If called with one argument Z1, -Z1 returned.  Otherwise the sum of all
    but the first argument are subtracted from the first argument."""
    n = len(args)
    if n == 2:
        a, b = args
        if type(a) is int and type(b) is int:
            return a - b
        return _sub(a, b)
    if n == 1:
        return neg(args[0])
    if n == 0:
        from schemos.errors import wrong_number_of_args

        raise wrong_number_of_args(minus)
    r = args[0]
    for x in args[1:]:
        if type(r) is int and type(x) is int:
            r = r - x
        else:
            r = _sub(r, x)
    return r


@primitive("*", "(#:optional _ _ . _)")
def times(*args: Any) -> Any:
    """Return the product of all arguments.  If called without arguments, 1 is returned."""
    n = len(args)
    if n == 2:
        a, b = args
        if type(a) is int and type(b) is int:
            return a * b
        return _mul(a, b)
    if n == 0:
        return 1
    r = args[0]
    if n == 1:
        if type(r) not in _NUM:
            raise num_wrong_type("*", 1, r)
        return r
    for x in args[1:]:
        if type(r) is int and type(x) is int:
            r = r * x
        else:
            r = _mul(r, x)
    return r


@primitive("/", "(#:optional _ _ . _)")
def divide(*args: Any) -> Any:
    """Divide the first argument by the product of the remaining arguments.  If
    called with one argument Z1, 1/Z1 is returned."""
    n = len(args)
    if n == 2:
        return _div(args[0], args[1])
    if n == 1:
        x = args[0]
        if type(x) not in _NUM:
            raise num_wrong_type("/", 1, x)
        return _div(1, x)
    if n == 0:
        from schemos.errors import wrong_number_of_args

        raise wrong_number_of_args(divide)
    r = args[0]
    for x in args[1:]:
        r = _div(r, x)
    return r


def _make_compare(name: str, fast2: Any, op: Any, real_only: bool = True) -> Any:
    types = _REAL if real_only else _NUM

    def compare(*args: Any) -> bool:
        n = len(args)
        if n == 2:
            return fast2(args[0], args[1])
        if n < 2:
            return True
        a = args[0]
        if type(a) not in types:
            raise num_wrong_type(name, 1, a)
        for b in args[1:]:
            if type(b) not in types:
                raise num_wrong_type(name, 2, b)
            if not op(a, b):
                return False
            a = b
        return True

    compare.__name__ = "compare_" + name
    return compare


def _op_lt(a: Any, b: Any) -> bool:
    return a < b


def _op_gt(a: Any, b: Any) -> bool:
    return a > b


def _op_le(a: Any, b: Any) -> bool:
    return a <= b


def _op_ge(a: Any, b: Any) -> bool:
    return a >= b


def _op_eq(a: Any, b: Any) -> bool:
    return a == b


num_eq = primitive("=", "(#:optional _ _ . _)")(_make_compare("=", numeq2, _op_eq, False))
num_eq.__doc__ = "Return #t if all parameters are numerically equal."
num_lt = primitive("<", "(#:optional _ _ . _)")(_make_compare("<", lt2, _op_lt))
num_lt.__doc__ = "Return #t if the list of parameters is monotonically increasing."
num_gt = primitive(">", "(#:optional _ _ . _)")(_make_compare(">", gt2, _op_gt))
num_gt.__doc__ = "Return #t if the list of parameters is monotonically decreasing."
num_le = primitive("<=", "(#:optional _ _ . _)")(_make_compare("<=", le2, _op_le))
num_le.__doc__ = "Return #t if the list of parameters is monotonically non-decreasing."
num_ge = primitive(">=", "(#:optional _ _ . _)")(_make_compare(">=", ge2, _op_ge))
num_ge.__doc__ = "Return #t if the list of parameters is monotonically non-increasing."


@primitive("1+", "(x)")
def one_plus(x: Any) -> Any:
    """Return the argument incremented by 1."""
    return add1(x)


@primitive("1-", "(x)")
def one_minus(x: Any) -> Any:
    """Return the argument decremented by 1."""
    return sub1(x)


#: fixed-arity fast versions for the compiler, by (Scheme name, argument count)
FAST: dict[tuple[str, int], Any] = {
    ("+", 2): add2,
    ("-", 2): sub2,
    ("-", 1): neg,
    ("*", 2): mul2,
    ("/", 2): div2,
    ("<", 2): lt2,
    (">", 2): gt2,
    ("<=", 2): le2,
    (">=", 2): ge2,
    ("=", 2): numeq2,
    ("1+", 1): add1,
    ("1-", 1): sub1,
}


# ---------------------------------------------------------------- predicates


@primitive("number?", "(x)")
def is_number(x: Any) -> bool:
    """Return #t if X is a number, else #f."""
    return type(x) in _NUM


@primitive("complex?", "(x)")
def is_complex(x: Any) -> bool:
    """Return #t if X is a complex number, #f otherwise."""
    return type(x) in _NUM


@primitive("real?", "(x)")
def is_real(x: Any) -> bool:
    """Return #t if X is a real number, #f otherwise."""
    return type(x) in _REAL


@primitive("rational?", "(x)")
def is_rational(x: Any) -> bool:
    """Return #t if X is a rational number, #f otherwise (infinities and NaN are not)."""
    t = type(x)
    if t is int or t is Fraction:
        return True
    if t is float:
        return math.isfinite(x)
    return False


@primitive("integer?", "(x)")
def is_integer(x: Any) -> bool:
    """Return #t if X is an integer, #f otherwise (2.0 is an integer)."""
    return _is_integer(x)


@primitive("exact?", "(x)")
def is_exact(x: Any) -> bool:
    """Return #t if X is an exact number, #f otherwise."""
    t = type(x)
    if t is int or t is Fraction:
        return True
    if t is float or t is complex:
        return False
    raise num_wrong_type("exact?", 1, x)


@primitive("inexact?", "(x)")
def is_inexact(x: Any) -> bool:
    """Return #t if X is an inexact number, #f otherwise."""
    t = type(x)
    if t is float or t is complex:
        return True
    if t is int or t is Fraction:
        return False
    raise num_wrong_type("inexact?", 1, x)


@primitive("exact-integer?", "(x)")
def is_exact_integer(x: Any) -> bool:
    """Return #t if X is an exact integer, #f otherwise."""
    return type(x) is int


@primitive("exact-rational?", "(x)")
def is_exact_rational(x: Any) -> bool:
    """Return #t if X is an exact rational number (integer or fraction)."""
    t = type(x)
    return t is int or t is Fraction


@primitive("exact-nonnegative-integer?", "(x)")
def is_exact_nonneg_integer(x: Any) -> bool:
    """Return #t if X is an exact integer greater than or equal to 0."""
    return type(x) is int and x >= 0


@primitive("nan?", "(x)")
def is_nan(x: Any) -> bool:
    """Return #t if X is a NaN, #f otherwise."""
    t = type(x)
    if t is float:
        return x != x
    if t is int or t is Fraction:
        return False
    if t is complex:
        return cmath.isnan(x)
    raise num_wrong_type("nan?", 1, x)


@primitive("inf?", "(x)")
def is_inf(x: Any) -> bool:
    """Return #t if X is either +inf.0 or -inf.0, #f otherwise."""
    t = type(x)
    if t is float:
        return math.isinf(x)
    if t is int or t is Fraction:
        return False
    if t is complex:
        return cmath.isinf(x)
    raise num_wrong_type("inf?", 1, x)


@primitive("infinite?", "(x)")
def is_infinite(x: Any) -> bool:
    """Return #t if X is an infinity."""
    t = type(x)
    if t is float:
        return math.isinf(x)
    if t is int or t is Fraction:
        return False
    if t is complex:
        return cmath.isinf(x)
    raise num_wrong_type("infinite?", 1, x)


@primitive("finite?", "(x)")
def is_finite(x: Any) -> bool:
    """Return #t if X is neither infinite nor a NaN, #f otherwise."""
    t = type(x)
    if t is float:
        return math.isfinite(x)
    if t is int or t is Fraction:
        return True
    if t is complex:
        return cmath.isfinite(x)
    raise num_wrong_type("finite?", 1, x)


@primitive("zero?", "(z)")
def is_zero(z: Any) -> bool:
    """Return #t if Z is an exact or inexact number equal to zero."""
    if type(z) is int:
        return z == 0
    if type(z) not in _NUM:
        raise num_wrong_type("zero?", 1, z)
    return z == 0


@primitive("positive?", "(x)")
def is_positive(x: Any) -> bool:
    """Return #t if X is an exact or inexact number greater than zero."""
    if type(x) not in _REAL:
        raise num_wrong_type("positive?", 1, x)
    return x > 0


@primitive("negative?", "(x)")
def is_negative(x: Any) -> bool:
    """Return #t if X is an exact or inexact number less than zero."""
    if type(x) not in _REAL:
        raise num_wrong_type("negative?", 1, x)
    return x < 0


@primitive("odd?", "(n)")
def is_odd(n: Any) -> bool:
    """Return #t if N is an odd number, #f otherwise."""
    if type(n) is int:
        return n & 1 == 1
    _check_integer("odd?", 1, n)
    return math.fmod(n, 2.0) != 0.0


@primitive("even?", "(n)")
def is_even(n: Any) -> bool:
    """Return #t if N is an even number, #f otherwise."""
    if type(n) is int:
        return n & 1 == 0
    _check_integer("even?", 1, n)
    return math.fmod(n, 2.0) == 0.0


# ---------------------------------------------------------------- integer division


def _int_args(who: str, a: Any, b: Any) -> bool:
    """Check integer arguments; return True when the result must be inexact."""
    if type(a) is not int:
        _check_integer(who, 1, a)
    if type(b) is not int:
        _check_integer(who, 2, b)
    if b == 0:
        raise numerical_overflow(who)
    return type(a) is float or type(b) is float


def _trunc_div(a: int, b: int) -> int:
    q = a // b
    if q < 0 and q * b != a:
        q += 1
    return q


@primitive("quotient", "(n1 n2)")
def quotient(n1: Any, n2: Any) -> Any:
    """Return the quotient of the numbers N1 and N2, truncated towards zero."""
    if type(n1) is int and type(n2) is int and n2:
        q = n1 // n2
        if q < 0 and q * n2 != n1:
            q += 1
        return q
    if _int_args("quotient", n1, n2):
        return float(_trunc_div(int(n1), int(n2)))
    return _trunc_div(n1, n2)


@primitive("remainder", "(n1 n2)")
def remainder(n1: Any, n2: Any) -> Any:
    """Return the remainder of the numbers N1 and N2; its sign is that of N1."""
    if type(n1) is int and type(n2) is int and n2:
        r = n1 % n2
        if r and (r < 0) != (n1 < 0):
            r -= n2
        return r
    if _int_args("remainder", n1, n2):
        return math.fmod(float(n1), float(n2))
    return n1 - n2 * _trunc_div(n1, n2)


@primitive("modulo", "(n1 n2)")
def modulo(n1: Any, n2: Any) -> Any:
    """Return the modulo of the numbers N1 and N2; its sign is that of N2."""
    if type(n1) is int and type(n2) is int and n2:
        return n1 % n2
    if _int_args("modulo", n1, n2):
        return float(int(n1) % int(n2))
    return n1 % n2


def _floor_div_values(who: str, a: Any, b: Any) -> tuple[Any, Any]:
    inexact = _int_args(who, a, b)
    q, r = divmod(int(a), int(b))
    if inexact:
        return float(q), float(r)
    return q, r


def _trunc_div_values(who: str, a: Any, b: Any) -> tuple[Any, Any]:
    inexact = _int_args(who, a, b)
    ia, ib = int(a), int(b)
    q = _trunc_div(ia, ib)
    r = ia - q * ib
    if inexact:
        return float(q), float(r)
    return q, r


@primitive("floor/", "(x y)")
def floor_div(x: Any, y: Any) -> Any:
    """Return the integer Q and the real number R such that X = Q*Y + R and Q = floor(X/Y)."""
    return make_values(_floor_div_values("floor/", x, y))


@primitive("floor-quotient", "(x y)")
def floor_quotient(x: Any, y: Any) -> Any:
    """Return the floor of X / Y."""
    return _floor_div_values("floor-quotient", x, y)[0]


@primitive("floor-remainder", "(x y)")
def floor_remainder(x: Any, y: Any) -> Any:
    """Return the real number R such that X = Q*Y + R where Q = floor(X/Y)."""
    return _floor_div_values("floor-remainder", x, y)[1]


@primitive("truncate/", "(x y)")
def truncate_div(x: Any, y: Any) -> Any:
    """Return Q and R such that X = Q*Y + R and Q = truncate(X/Y)."""
    return make_values(_trunc_div_values("truncate/", x, y))


@primitive("truncate-quotient", "(x y)")
def truncate_quotient(x: Any, y: Any) -> Any:
    """Return X / Y rounded toward zero."""
    return _trunc_div_values("truncate-quotient", x, y)[0]


@primitive("truncate-remainder", "(x y)")
def truncate_remainder(x: Any, y: Any) -> Any:
    """Return R such that X = Q*Y + R where Q = truncate(X/Y)."""
    return _trunc_div_values("truncate-remainder", x, y)[1]


def _euclid_values(who: str, a: Any, b: Any) -> tuple[Any, Any]:
    inexact = _int_args(who, a, b)
    ia, ib = int(a), int(b)
    q, r = divmod(ia, ib)
    if r < 0:
        q, r = q + 1, r - ib
    if inexact:
        return float(q), float(r)
    return q, r


@primitive("euclidean/", "(x y)")
def euclidean_div(x: Any, y: Any) -> Any:
    """Return Q and R such that X = Q*Y + R and 0 <= R < abs(Y)."""
    return make_values(_euclid_values("euclidean/", x, y))


@primitive("euclidean-quotient", "(x y)")
def euclidean_quotient(x: Any, y: Any) -> Any:
    """Return the integer Q such that X = Q*Y + R where 0 <= R < abs(Y)."""
    return _euclid_values("euclidean-quotient", x, y)[0]


@primitive("euclidean-remainder", "(x y)")
def euclidean_remainder(x: Any, y: Any) -> Any:
    """Return the real number R such that 0 <= R < abs(Y) and X = Q*Y + R."""
    return _euclid_values("euclidean-remainder", x, y)[1]


# ---------------------------------------------------------------- abs min max gcd lcm


@primitive("abs", "(x)")
def scm_abs(x: Any) -> Any:
    """Return the absolute value of X."""
    if type(x) not in _REAL:
        raise num_wrong_type("abs", 1, x)
    return abs(x)


@primitive("magnitude", "(z)")
def magnitude(z: Any) -> Any:
    """Return the magnitude of the number Z."""
    _check_num("magnitude", 1, z)
    return abs(z)


def _minmax(who: str, args: tuple[Any, ...], want_max: bool) -> Any:
    r = args[0]
    if type(r) not in _REAL:
        raise num_wrong_type(who, 1, r)
    inexact = type(r) is float
    nan = inexact and r != r
    for x in args[1:]:
        t = type(x)
        if t not in _REAL:
            raise num_wrong_type(who, 2, x)
        if t is float:
            inexact = True
            if x != x:
                nan = True
                continue
        if (x > r) if want_max else (x < r):
            r = x
    if nan:
        return _NAN
    if inexact and type(r) is not float:
        return to_float(r)
    return r


@primitive("max", "(x . rest)")
def scm_max(x: Any, *rest: Any) -> Any:
    """Return the maximum of all parameter values."""
    return _minmax("max", (x,) + rest, True)


@primitive("min", "(x . rest)")
def scm_min(x: Any, *rest: Any) -> Any:
    """Return the minimum of all parameter values."""
    return _minmax("min", (x,) + rest, False)


@primitive("gcd", "(#:optional _ _ . _)")
def scm_gcd(*args: Any) -> Any:
    """Return the greatest common divisor of all parameter values.  If called
    without arguments, 0 is returned."""
    r = 0
    inexact = False
    for i, x in enumerate(args):
        if type(x) is not int:
            _check_integer("gcd", 1 if i == 0 else 2, x)
            inexact = True
        r = math.gcd(r, int(x))
    return float(r) if inexact else r


@primitive("lcm", "(#:optional _ _ . _)")
def scm_lcm(*args: Any) -> Any:
    """Return the least common multiple of the arguments.  If called without
    arguments, 1 is returned."""
    r = 1
    inexact = False
    for i, x in enumerate(args):
        if type(x) is not int:
            _check_integer("lcm", 1 if i == 0 else 2, x)
            inexact = True
        r = math.lcm(r, int(x))
    return float(r) if inexact else r


# ---------------------------------------------------------------- rounding


@primitive("floor", "(x)")
def scm_floor(x: Any) -> Any:
    """Round the number X towards minus infinity."""
    t = type(x)
    if t is int:
        return x
    if t is float:
        if not math.isfinite(x):
            return x
        return math.copysign(float(math.floor(x)), x)
    if t is Fraction:
        return math.floor(x)
    raise num_wrong_type("floor", 1, x)


@primitive("ceiling", "(x)")
def scm_ceiling(x: Any) -> Any:
    """Round the number X towards infinity."""
    t = type(x)
    if t is int:
        return x
    if t is float:
        if not math.isfinite(x):
            return x
        return math.copysign(float(math.ceil(x)), x)
    if t is Fraction:
        return math.ceil(x)
    raise num_wrong_type("ceiling", 1, x)


@primitive("truncate", "(x)")
def scm_truncate(x: Any) -> Any:
    """Round the number X towards zero."""
    t = type(x)
    if t is int:
        return x
    if t is float:
        if not math.isfinite(x):
            return x
        return math.copysign(float(math.trunc(x)), x)
    if t is Fraction:
        return math.trunc(x)
    raise num_wrong_type("truncate", 1, x)


@primitive("round", "(x)")
def scm_round(x: Any) -> Any:
    """Round the number X towards the nearest integer.  When it is exactly
    halfway between two integers, round towards the even one."""
    t = type(x)
    if t is int:
        return x
    if t is float:
        if not math.isfinite(x):
            return x
        return float(round(x))
    if t is Fraction:
        return round(x)
    raise num_wrong_type("round", 1, x)


@primitive("numerator", "(z)")
def scm_numerator(z: Any) -> Any:
    """Return the numerator of the number Z."""
    t = type(z)
    if t is int:
        return z
    if t is Fraction:
        return z.numerator
    if t is float:
        if not math.isfinite(z):
            return z
        return float(Fraction(z).numerator)
    raise num_wrong_type("numerator", 1, z)


@primitive("denominator", "(z)")
def scm_denominator(z: Any) -> Any:
    """Return the denominator of the number Z."""
    t = type(z)
    if t is int:
        return 1
    if t is Fraction:
        return z.denominator
    if t is float:
        if not math.isfinite(z):
            return 1.0
        return float(Fraction(z).denominator)
    raise num_wrong_type("denominator", 1, z)


# ---------------------------------------------------------------- exactness


@primitive("inexact->exact", "(z)")
def inexact_to_exact(z: Any, who: str = "inexact->exact") -> Any:
    """Return an exact number that is numerically closest to Z."""
    t = type(z)
    if t is int or t is Fraction:
        return z
    if t is float:
        if not math.isfinite(z):
            raise out_of_range("inexact->exact", 1, z)
        if z.is_integer():
            return int(z)
        return Fraction(z)
    if t is complex and z.imag == 0:
        return inexact_to_exact(z.real)
    raise num_wrong_type("inexact->exact", 1, z)


@primitive("exact", "(z)")
def scm_exact(z: Any) -> Any:
    """Return an exact number that is numerically closest to Z."""
    return inexact_to_exact(z)


@primitive("exact->inexact", "(z)")
def exact_to_inexact(z: Any) -> Any:
    """Convert the number Z to its inexact representation."""
    t = type(z)
    if t is float or t is complex:
        return z
    if t is int or t is Fraction:
        return to_float(z)
    raise num_wrong_type("exact->inexact", 1, z)


@primitive("inexact", "(z)")
def scm_inexact(z: Any) -> Any:
    """Convert the number Z to its inexact representation."""
    return exact_to_inexact(z)


# ---------------------------------------------------------------- transcendental


def _exact_isqrt(n: int) -> int | None:
    r = math.isqrt(n)
    return r if r * r == n else None


def _float_sqrt_int(n: int) -> float:
    """Square root of a non-negative (possibly huge) int as a float."""
    try:
        return math.sqrt(n)
    except OverflowError:
        shift = max(0, (n.bit_length() - 110) // 2 * 2)
        try:
            return math.ldexp(float(math.isqrt(n >> shift)), shift // 2)
        except OverflowError:
            return _INF


@primitive("sqrt", "(z)")
def scm_sqrt(z: Any) -> Any:
    """Return the square root of Z.  Of the two possible roots (positive and
    negative), the one with a positive real part is returned, or if that's
    zero then a positive imaginary part.  Exact results are returned for
    exact perfect squares."""
    t = type(z)
    if t is int:
        if z >= 0:
            r = _exact_isqrt(z)
            if r is not None:
                return r
            return _float_sqrt_int(z)
        return complex(0.0, _float_sqrt_int(-z))
    if t is float:
        if z >= 0 or z != z:
            return math.sqrt(z)
        return complex(0.0, math.sqrt(-z))
    if t is Fraction:
        if z > 0:
            a = _exact_isqrt(z.numerator)
            b = _exact_isqrt(z.denominator)
            if a is not None and b is not None:
                return Fraction(a, b)
            return math.sqrt(to_float(z))
        return complex(0.0, math.sqrt(-to_float(z)))
    if t is complex:
        return cmath.sqrt(z)
    raise num_wrong_type("sqrt", 1, z)


@primitive("exact-integer-sqrt", "(k)")
def exact_integer_sqrt(k: Any) -> Any:
    """Return two exact non-negative integers S and R such that K = S^2 + R and
    S^2 <= K < (S + 1)^2.  An error is raised if K is not an exact
    non-negative integer."""
    if type(k) is not int or k < 0:
        raise wrong_type("exact-integer-sqrt", 1, "exact non-negative integer", k)
    s = math.isqrt(k)
    return make_values((s, k - s * s))


def _cpow(b: complex, p: Any) -> complex:
    if b == 0:
        return complex(0.0, 0.0)
    return cmath.exp(p * cmath.log(b))


@primitive("expt", "(z1 z2)")
def expt(z1: Any, z2: Any) -> Any:
    """Return Z1 raised to the power of Z2."""
    t1 = type(z1)
    t2 = type(z2)
    if t2 is int:
        if z2 == 0:
            if t1 not in _NUM:
                raise num_wrong_type("*", 1, z1)
            return 1
        if t1 is int or t1 is Fraction:
            if z2 > 0:
                return _norm(z1 ** z2)
            if z1 == 0:
                return _NAN
            return _norm(Fraction(1) / (z1 ** -z2))
        if t1 is float:
            try:
                return z1 ** z2
            except ZeroDivisionError:
                return _NAN
            except OverflowError:
                return -_INF if (z1 < 0 and z2 & 1) else _INF
        if t1 is complex:
            try:
                return z1 ** z2
            except (ZeroDivisionError, OverflowError):
                return complex(_NAN, _NAN)
        raise num_wrong_type("*", 1, z1)
    if t1 not in _NUM:
        raise num_wrong_type("expt", 1, z1)
    if t2 is float or t2 is Fraction:
        if t1 is complex:
            return _cpow(z1, to_float(z2))
        b = to_float(z1)
        p = to_float(z2)
        if b < 0 and not p.is_integer():
            return _cpow(complex(b, 0.0), p)
        try:
            return math.pow(b, p)
        except OverflowError:
            return _INF
        except ValueError:
            return _NAN
    if t2 is complex:
        return _cpow(complex(z1), z2)
    raise num_wrong_type("expt", 2, z2)


@primitive("exp", "(z)")
def scm_exp(z: Any) -> Any:
    """Return e to the power of Z, where e is the base of natural logarithms."""
    t = type(z)
    if t in _REAL:
        try:
            return math.exp(z)
        except OverflowError:
            return _INF
    if t is complex:
        return cmath.exp(z)
    raise num_wrong_type("exp", 1, z)


def _log1(z: Any) -> Any:
    t = type(z)
    if t is int:
        if z > 0:
            return math.log(z)
        if z == 0:
            raise numerical_overflow("log")
        return complex(math.log(-z), math.pi)
    if t is float:
        if z > 0:
            return math.log(z)
        if z == 0:
            return -_INF
        if z != z:
            return z
        return complex(math.log(-z), math.pi)
    if t is Fraction:
        if z > 0:
            return math.log(z.numerator) - math.log(z.denominator)
        return complex(math.log(-z.numerator) - math.log(z.denominator), math.pi)
    if t is complex:
        return cmath.log(z)
    raise num_wrong_type("log", 1, z)


@primitive("log", "(z #:optional base)")
def scm_log(z: Any, *base: Any) -> Any:
    """Return the natural logarithm of Z, or with a second argument the logarithm
    of Z in that BASE."""
    if not base:
        return _log1(z)
    if len(base) > 1:
        from schemos.errors import wrong_number_of_args

        raise wrong_number_of_args(scm_log)
    b = base[0]
    if type(b) not in _NUM:
        raise num_wrong_type("log", 2, b)
    return _div(_log1(z), _log1(b), "log")


def _trig(name: str, fn: Any, cfn: Any, zero_result: Any = 0) -> Any:
    def prim(z: Any) -> Any:
        t = type(z)
        if t is int and z == 0 and zero_result is not None:
            return zero_result
        if t in _REAL:
            return fn(to_float(z))
        if t is complex:
            return cfn(z)
        raise num_wrong_type(name, 1, z)

    prim.__name__ = "scm_" + name
    return prim


scm_sin = primitive("sin", "(z)")(_trig("sin", math.sin, cmath.sin))
scm_sin.__doc__ = "Compute the sine of Z."
scm_tan = primitive("tan", "(z)")(_trig("tan", math.tan, cmath.tan))
scm_tan.__doc__ = "Compute the tangent of Z."
scm_cos = primitive("cos", "(z)")(_trig("cos", math.cos, cmath.cos, 1))
scm_cos.__doc__ = "Compute the cosine of Z."


def _casin(z: complex) -> complex:
    # Guile's formula: asin z = -i log(iz + sqrt(1 - z^2))
    return -1j * cmath.log(1j * z + cmath.sqrt(1 - z * z))


@primitive("asin", "(z)")
def scm_asin(z: Any) -> Any:
    """Compute the arc sine of Z."""
    t = type(z)
    if t is int and z == 0:
        return 0
    if t in _REAL:
        x = to_float(z)
        if -1.0 <= x <= 1.0 or x != x:
            return math.asin(x)
        return _casin(complex(x, 0.0))
    if t is complex:
        return _casin(z)
    raise num_wrong_type("asin", 1, z)


@primitive("acos", "(z)")
def scm_acos(z: Any) -> Any:
    """Compute the arc cosine of Z."""
    t = type(z)
    if t is int and z == 1:
        return 0
    if t in _REAL:
        x = to_float(z)
        if -1.0 <= x <= 1.0 or x != x:
            return math.acos(x)
        return math.pi / 2 - _casin(complex(x, 0.0))
    if t is complex:
        return math.pi / 2 - _casin(z)
    raise num_wrong_type("acos", 1, z)


@primitive("atan", "(z #:optional y)")
def scm_atan(z: Any, *rest: Any) -> Any:
    """With one argument, compute the arc tangent of Z.  With two arguments
    (atan Y X), compute the angle of the point (X, Y)."""
    if rest:
        if len(rest) > 1:
            from schemos.errors import wrong_number_of_args

            raise wrong_number_of_args(scm_atan)
        x = rest[0]
        if type(z) not in _REAL:
            raise num_wrong_type("atan", 1, z)
        if type(x) not in _REAL:
            raise num_wrong_type("atan", 2, x)
        return math.atan2(to_float(z), to_float(x))
    t = type(z)
    if t is int and z == 0:
        return 0
    if t in _REAL:
        return math.atan(to_float(z))
    if t is complex:
        return cmath.atan(z)
    raise num_wrong_type("atan", 1, z)


@primitive("square", "(z)")
def square(z: Any) -> Any:
    """Return the product of Z with itself."""
    return mul2(z, z)


@primitive("real-part", "(z)")
def real_part(z: Any) -> Any:
    """Return the real part of the number Z."""
    if type(z) is complex:
        return z.real
    _check_num("real-part", 1, z)
    return z


@primitive("imag-part", "(z)")
def imag_part(z: Any) -> Any:
    """Return the imaginary part of the number Z."""
    if type(z) is complex:
        return z.imag
    _check_num("imag-part", 1, z)
    return 0.0 if type(z) is float else 0


@primitive("make-rectangular", "(real imaginary)")
def make_rectangular(real: Any, imaginary: Any) -> Any:
    """Return a complex number constructed of the given REAL and IMAGINARY parts."""
    _check_real("make-rectangular", 1, real)
    _check_real("make-rectangular", 2, imaginary)
    if type(imaginary) is not float and imaginary == 0:
        return real
    return complex(to_float(real), to_float(imaginary))


@primitive("make-polar", "(mag ang)")
def make_polar(mag: Any, ang: Any) -> Any:
    """Return the complex number MAG * e^(i * ANG)."""
    _check_real("make-polar", 1, mag)
    _check_real("make-polar", 2, ang)
    if type(ang) is int and ang == 0:
        return mag
    return cmath.rect(to_float(mag), to_float(ang))


@primitive("angle", "(z)")
def angle(z: Any) -> Any:
    """Return the angle of the complex number Z."""
    t = type(z)
    if t is complex:
        return cmath.phase(z)
    if t in _REAL:
        if z < 0 or (t is float and math.copysign(1.0, z) < 0):
            return math.pi
        return 0.0 if t is float else 0
    raise num_wrong_type("angle", 1, z)


# ---------------------------------------------------------------- bits


@primitive("logand", "(#:optional _ _ . _)")
def logand(*args: Any) -> int:
    """Return the bitwise AND of the integer arguments."""
    r = -1
    for i, x in enumerate(args):
        if type(x) is not int:
            raise num_wrong_type("logand", 1 if i == 0 else 2, x)
        r &= x
    return r


@primitive("logior", "(#:optional _ _ . _)")
def logior(*args: Any) -> int:
    """Return the bitwise OR of the integer arguments."""
    r = 0
    for i, x in enumerate(args):
        if type(x) is not int:
            raise num_wrong_type("logior", 1 if i == 0 else 2, x)
        r |= x
    return r


@primitive("logxor", "(#:optional _ _ . _)")
def logxor(*args: Any) -> int:
    """Return the bitwise XOR of the integer arguments."""
    r = 0
    for i, x in enumerate(args):
        if type(x) is not int:
            raise num_wrong_type("logxor", 1 if i == 0 else 2, x)
        r ^= x
    return r


@primitive("lognot", "(n)")
def lognot(n: Any) -> int:
    """Return the integer which is the ones-complement of the integer argument."""
    _check_exact_int("lognot", 1, n)
    return ~n


@primitive("logtest", "(j k)")
def logtest(j: Any, k: Any) -> bool:
    """Test whether J and K have any 1 bits in common."""
    _check_exact_int("logtest", 1, j)
    _check_exact_int("logtest", 2, k)
    return (j & k) != 0


@primitive("logbit?", "(index j)")
def logbit(index: Any, j: Any) -> bool:
    """Test whether bit number INDEX in J is set."""
    if type(index) is not int or index < 0:
        raise wrong_type("logbit?", 1, "exact non-negative integer", index)
    _check_exact_int("logbit?", 2, j)
    return (j >> index) & 1 == 1


@primitive("ash", "(n count)")
def ash(n: Any, count: Any) -> int:
    """Return N shifted left by COUNT bits, or shifted right if COUNT is negative."""
    _check_exact_int("ash", 1, n)
    _check_exact_int("ash", 2, count)
    return n << count if count >= 0 else n >> -count


@primitive("logcount", "(n)")
def logcount(n: Any) -> int:
    """Return the number of bits in integer N: 1 bits if N is positive, 0 bits if negative."""
    _check_exact_int("logcount", 1, n)
    return (n if n >= 0 else ~n).bit_count()


@primitive("integer-length", "(n)")
def integer_length(n: Any) -> int:
    """Return the number of bits necessary to represent N."""
    _check_exact_int("integer-length", 1, n)
    return (n if n >= 0 else ~n).bit_length()


@primitive("bit-extract", "(n start end)")
def bit_extract(n: Any, start: Any, end: Any) -> int:
    """Return the integer composed of the START (inclusive) through END (exclusive) bits of N."""
    _check_exact_int("bit-extract", 1, n)
    _check_exact_int("bit-extract", 2, start)
    _check_exact_int("bit-extract", 3, end)
    return (n >> start) & ((1 << (end - start)) - 1)


alias("bitwise-and", logand)
alias("bitwise-ior", logior)
alias("bitwise-xor", logxor)
alias("bitwise-not", lognot)
alias("bit-and", logand)
alias("bit-or", logior)
alias("bit-xor", logxor)
alias("arithmetic-shift", ash)
alias("bit-count", logcount)


# ---------------------------------------------------------------- random


class RandomState:
    """A Guile random state (``*random-state*``, ``seed->random-state``)."""

    __slots__ = ("rng",)

    def __init__(self, seed: Any = None) -> None:
        self.rng = _random_mod.Random(seed)

    def scm_write(self, write: bool = True) -> str:
        """Printed representation."""
        return f"#<random-state {id(self):x}>"


_default_random_state = RandomState()


@primitive("random", "(n #:optional state)")
def scm_random(n: Any, state: Any = None) -> Any:
    """Return a number in [0, N).  Accepts a positive integer or real N, and
    returns a number of the same type."""
    rng = state.rng if isinstance(state, RandomState) else _default_random_state.rng
    t = type(n)
    if t is int:
        if n <= 0:
            raise out_of_range("random", 1, n)
        return rng.randrange(n)
    if t is float:
        if n <= 0:
            raise out_of_range("random", 1, n)
        return rng.random() * n
    raise num_wrong_type("random", 1, n)


@primitive("seed->random-state", "(seed)")
def seed_to_random_state(seed: Any) -> RandomState:
    """Return a new random state using SEED."""
    return RandomState(seed if type(seed) in (int, str) else repr(seed))


@primitive("random-state-from-platform", "()")
def random_state_from_platform() -> RandomState:
    """Construct a new random state seeded from a platform-specific source of entropy."""
    return RandomState()


@primitive("random:uniform", "(#:optional state)")
def random_uniform(state: Any = None) -> float:
    """Return a uniformly distributed inexact real random number in [0,1)."""
    rng = state.rng if isinstance(state, RandomState) else _default_random_state.rng
    return rng.random()


@primitive("random:normal", "(#:optional state)")
def random_normal(state: Any = None) -> float:
    """Return an inexact real in a normal distribution (mean 0, deviation 1)."""
    rng = state.rng if isinstance(state, RandomState) else _default_random_state.rng
    return rng.gauss(0.0, 1.0)


# ---------------------------------------------------------------- number->string

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_SMALL_INT = 10 ** 1000


def _printer_number_to_string(z: Any, radix: int = 10) -> str:
    global _printer_number_to_string
    from schemos.printer import number_to_string as f

    _printer_number_to_string = f
    return f(z, radix)


def _float_to_radix(x: float, radix: int) -> str:
    """A float in a radix other than 10: exact digits, no exponent."""
    if radix == 10 or not math.isfinite(x):
        return _printer_number_to_string(x)
    sign = "-" if math.copysign(1.0, x) < 0 else ""
    fr = Fraction(abs(x))
    ip = int(fr)
    frac = fr - ip
    out = [_printer_number_to_string(ip, radix), "."]
    if frac == 0:
        out.append("0")
    while frac:
        frac *= radix
        d = int(frac)
        out.append(_DIGITS[d])
        frac -= d
    return sign + "".join(out)


def number_to_string(z: Any, radix: int = 10) -> str:
    """The external representation of number ``z`` in ``radix``: the printer's
    (Guile's) format, plus exact digits for floats in radixes other than 10."""
    t = type(z)
    if radix != 10 and (t is float or t is complex):
        if t is float:
            return _float_to_radix(z, radix)
        im_s = _float_to_radix(z.imag, radix)
        if im_s[0] not in "+-":
            im_s = "+" + im_s
        return _float_to_radix(z.real, radix) + im_s + "i"
    return _printer_number_to_string(z, radix)


@primitive("number->string", "(n #:optional radix)")
def scm_number_to_string(n: Any, radix: Any = 10) -> str:
    """Return a string holding the external representation of the number N in
    the given RADIX."""
    if type(n) is int and radix == 10 and -_SMALL_INT < n < _SMALL_INT:
        return str(n)
    if type(n) not in _NUM:
        raise num_wrong_type("number->string", 1, n)
    if type(radix) is not int:
        raise wrong_type("number->string", 2, "integer", radix)
    if not 2 <= radix <= 36:
        raise out_of_range("number->string", 2, radix)
    return number_to_string(n, radix)


# ---------------------------------------------------------------- string->number


def _reader_parse_number(s: str, radix: int = 10) -> Any:
    global _reader_parse_number
    from schemos.reader import parse_number as f

    _reader_parse_number = f
    return f(s, radix)


def parse_number(s: str, radix: int = 10) -> Any:
    """Parse Scheme number syntax as the reader does; return the number or ``False``."""
    r = _reader_parse_number(s, radix)
    return False if r is None else r


@primitive("string->number", "(string #:optional radix)")
def string_to_number(string: Any, radix: Any = 10) -> Any:
    """Return a number of the maximally precise representation expressed by the
    given STRING.  RADIX must be an exact integer, either 2, 8, 10, or 16.
    If STRING is not a syntactically valid notation for a number, then
    string->number returns #f."""
    if type(string) is not str:
        raise wrong_type("string->number", 1, "string", string)
    if type(radix) is not int:
        raise wrong_type("string->number", 2, "integer", radix)
    if not 2 <= radix <= 36:
        raise out_of_range("string->number", 2, radix)
    return parse_number(string, radix)


__all__ = [
    "FAST", "add2", "sub2", "mul2", "div2", "lt2", "gt2", "le2", "ge2", "numeq2", "add1",
    "sub1", "neg", "number_to_string", "parse_number", "num_wrong_type",
    "numerical_overflow", "to_float", "RandomState",
]
