"""Vectors (Python lists) and bytevectors (Python bytearrays)."""

from __future__ import annotations

import struct
import sys
from fractions import Fraction
from typing import Any

from schemos.datum import NIL, UNSPECIFIED, Pair, Symbol, from_list, to_list
from schemos.errors import out_of_range, wrong_type
from schemos.runtime.builtin_errors import value_out_of_range, wrong_type_arg
from schemos.runtime.core import call, primitive

# ---------------------------------------------------------------- helpers


def _check_vector(who: str, pos: int, v: Any) -> None:
    if type(v) is not list:
        raise wrong_type(who, pos, "vector", v)


def _vrange(who: str, n: int, start: Any, end: Any, pos: int) -> tuple[int, int]:
    if start is None:
        start = 0
    elif type(start) is not int:
        raise wrong_type(who, pos, "exact integer", start)
    if end is None:
        end = n
    elif type(end) is not int:
        raise wrong_type(who, pos + 1, "exact integer", end)
    if not 0 <= start <= n:
        raise out_of_range(who, pos, start)
    if not start <= end <= n:
        raise out_of_range(who, pos + 1, end)
    return start, end


# ---------------------------------------------------------------- vectors


@primitive("vector?", "(obj)")
def is_vector(obj: Any) -> bool:
    """Return #t if OBJ is a vector, otherwise return #f."""
    return type(obj) is list


@primitive("make-vector", "(k #:optional fill)")
def make_vector(k: Any, fill: Any = UNSPECIFIED) -> list[Any]:
    """Return a newly allocated vector of K elements.  If a second argument is
    given, then each element is initialized to FILL."""
    if type(k) is not int:
        raise wrong_type("make-vector", 1, "exact integer", k)
    if k < 0:
        raise out_of_range("make-vector", 2, k)  # sic: Guile 3.0.8 says argument 2
    return [fill] * k


@primitive("vector", "l")
def vector(*items: Any) -> list[Any]:
    """Return a newly allocated vector composed of the given arguments."""
    return list(items)


@primitive("vector-length", "(vector)")
def vector_length(v: Any) -> int:
    """Return the number of elements in VECTOR as an exact integer."""
    if type(v) is list:
        return len(v)
    raise wrong_type("vector-length", 1, "vector", v)


@primitive("vector-ref", "(vector k)")
def vector_ref(v: Any, k: Any) -> Any:
    """Return the contents of position K of VECTOR."""
    if type(v) is list and type(k) is int and 0 <= k < len(v):
        return v[k]
    if type(v) is not list:
        raise wrong_type("vector-ref", 1, "vector", v)
    if type(k) is not int:
        raise wrong_type("vector-ref", 2, "small integer", k)
    raise out_of_range("vector-ref", 2, k)


@primitive("vector-set!", "(vector k obj)")
def vector_set(v: Any, k: Any, obj: Any) -> Any:
    """Store OBJ in position K of VECTOR."""
    if type(v) is list and type(k) is int and 0 <= k < len(v):
        v[k] = obj
        return UNSPECIFIED
    if type(v) is not list:
        raise wrong_type("vector-set!", 1, "mutable vector", v)
    if type(k) is not int:
        raise wrong_type("vector-set!", 2, "small integer", k)
    raise out_of_range("vector-set!", 2, k)


@primitive("vector->list", "(v #:optional start end)")
def vector_to_list(v: Any, start: Any = None, end: Any = None) -> Any:
    """Return a newly allocated list composed of the elements of V (from START to END)."""
    _check_vector("vector->list", 1, v)
    r = NIL
    if start is None and end is None:
        for x in reversed(v):
            r = Pair(x, r)
        return r
    a, b = _vrange("vector->list", len(v), start, end, 2)
    for i in range(b - 1, a - 1, -1):
        r = Pair(v[i], r)
    return r


@primitive("list->vector", "(l)")
def list_to_vector(lst: Any) -> list[Any]:
    """Return a newly allocated vector composed of the elements of the list L."""
    out = []
    p = lst
    while type(p) is Pair:
        out.append(p.car)
        p = p.cdr
    if p is not NIL:
        raise wrong_type_arg("vector", 1, lst)
    return out


@primitive("vector-fill!", "(v fill #:optional start end)")
def vector_fill(v: Any, fill: Any, start: Any = None, end: Any = None) -> Any:
    """Store FILL in every position of V (from START to END)."""
    if type(v) is not list:
        raise wrong_type("vector-fill!", 1, "mutable vector", v)
    a, b = _vrange("vector-fill!", len(v), start, end, 3)
    v[a:b] = [fill] * (b - a)
    return UNSPECIFIED


@primitive("vector-copy", "(vec #:optional start end)")
def vector_copy(vec: Any, start: Any = None, end: Any = None) -> list[Any]:
    """Return a copy of VEC (from START to END)."""
    _check_vector("vector-copy", 1, vec)
    if start is None and end is None:
        return vec[:]
    a, b = _vrange("vector-copy", len(vec), start, end, 2)
    return vec[a:b]


@primitive("subvector", "(vec start end)")
def subvector(vec: Any, start: Any, end: Any) -> list[Any]:
    """Return a newly allocated vector of the elements of VEC from START to END."""
    _check_vector("subvector", 1, vec)
    a, b = _vrange("subvector", len(vec), start, end, 2)
    return vec[a:b]


@primitive("vector-copy!", "(to at from #:optional start end)")
def vector_copy_bang(to: Any, at: Any, frm: Any, start: Any = None, end: Any = None) -> Any:
    """Copy the elements of FROM (between START and END) into TO, starting at AT."""
    _check_vector("vector-copy!", 1, to)
    _check_vector("vector-copy!", 3, frm)
    if type(at) is not int:
        raise wrong_type("vector-copy!", 2, "exact integer", at)
    a, b = _vrange("vector-copy!", len(frm), start, end, 4)
    if not 0 <= at <= len(to) or at + (b - a) > len(to):
        raise out_of_range("vector-copy!", 2, at)
    to[at:at + (b - a)] = frm[a:b]
    return UNSPECIFIED


@primitive("vector-move-left!", "(vec1 start1 end1 vec2 start2)")
def vector_move_left(vec1: Any, start1: Any, end1: Any, vec2: Any, start2: Any) -> Any:
    """Copy elements from VEC1, positions START1 to END1, to VEC2 starting at START2."""
    return vector_copy_bang(vec2, start2, vec1, start1, end1)


alias_names: dict[str, Any] = {"vector-move-right!": vector_move_left}


@primitive("vector-append", "vs")
def vector_append(*vs: Any) -> list[Any]:
    """Return a newly allocated vector containing the elements of the VS in order."""
    out: list[Any] = []
    for i, v in enumerate(vs):
        _check_vector("vector-append", i + 1, v)
        out.extend(v)
    return out


@primitive("vector-grow", "(vec size)")
def vector_grow(vec: Any, size: Any) -> list[Any]:
    """Return a copy of VEC extended to SIZE elements (the new ones unspecified)."""
    _check_vector("vector-grow", 1, vec)
    if type(size) is not int or size < len(vec):
        raise out_of_range("vector-grow", 2, size)
    return vec + [UNSPECIFIED] * (size - len(vec))


@primitive("vector-map", "(proc v . vs)")
def vector_map(proc: Any, v: Any, *vs: Any) -> list[Any]:
    """Apply PROC element-wise to the vectors and return a vector of the results.
    Iteration stops at the end of the shortest vector."""
    _check_vector("vector-map", 2, v)
    if not vs:
        return [call(proc, x) for x in v]
    for i, w in enumerate(vs):
        _check_vector("vector-map", i + 3, w)
    return [call(proc, *xs) for xs in zip(v, *vs, strict=False)]


@primitive("vector-for-each", "(proc v . vs)")
def vector_for_each(proc: Any, v: Any, *vs: Any) -> Any:
    """Apply PROC element-wise to the vectors, for its side effects."""
    _check_vector("vector-for-each", 2, v)
    if not vs:
        for x in v:
            call(proc, x)
        return UNSPECIFIED
    for i, w in enumerate(vs):
        _check_vector("vector-for-each", i + 3, w)
    for xs in zip(v, *vs, strict=False):
        call(proc, *xs)
    return UNSPECIFIED


@primitive("vector-index", "(pred v)")
def vector_index(pred: Any, v: Any) -> Any:
    """Return the index of the first element of V satisfying PRED, or #f (SRFI-133)."""
    _check_vector("vector-index", 2, v)
    for i, x in enumerate(v):
        if call(pred, x) is not False:
            return i
    return False


# ---------------------------------------------------------------- bytevectors


def _check_bv(who: str, pos: int, bv: Any) -> None:
    if type(bv) is not bytearray:
        raise wrong_type(who, pos, "bytevector", bv)


def _check_u8(who: str, x: Any) -> int:
    if type(x) is not int:
        raise wrong_type(who, 3, "exact integer", x)
    if not 0 <= x <= 255:
        raise value_out_of_range(who, x)
    return x


@primitive("bytevector?", "(obj)")
def is_bytevector(obj: Any) -> bool:
    """Return true if OBJ is a bytevector."""
    return type(obj) is bytearray


@primitive("make-bytevector", "(len #:optional fill)")
def make_bytevector(n: Any, fill: Any = 0) -> bytearray:
    """Return a newly allocated bytevector of LEN bytes, optionally filled with FILL."""
    if type(n) is not int or n < 0:
        raise wrong_type("make-bytevector", 1, "exact non-negative integer", n)
    if type(fill) is not int:
        raise wrong_type("make-bytevector", 2, "exact integer", fill)
    if not -128 <= fill <= 255:
        raise value_out_of_range("make-bytevector", fill)
    return bytearray([fill & 0xFF]) * n


@primitive("bytevector", "bytes")
def bytevector(*bytes_: Any) -> bytearray:
    """Return a newly allocated bytevector containing the given bytes."""
    for b in bytes_:
        _check_u8("bytevector", b)
    return bytearray(bytes_)


@primitive("bytevector-length", "(bv)")
def bytevector_length(bv: Any) -> int:
    """Return the length in bytes of bytevector BV."""
    if type(bv) is bytearray:
        return len(bv)
    raise wrong_type("bytevector-length", 1, "bytevector", bv)


@primitive("bytevector-u8-ref", "(bv index)")
def bytevector_u8_ref(bv: Any, index: Any) -> int:
    """Return the octet located at INDEX in BV."""
    if type(bv) is bytearray and type(index) is int and 0 <= index < len(bv):
        return bv[index]
    _check_bv("bytevector-u8-ref", 1, bv)
    if type(index) is not int:
        raise wrong_type("bytevector-u8-ref", 2, "exact integer", index)
    raise value_out_of_range("bytevector-u8-ref", index)


@primitive("bytevector-u8-set!", "(bv index value)")
def bytevector_u8_set(bv: Any, index: Any, value: Any) -> Any:
    """Set the octet at INDEX in BV to VALUE."""
    _check_bv("bytevector-u8-set!", 1, bv)
    if type(index) is not int:
        raise wrong_type("bytevector-u8-set!", 2, "exact integer", index)
    if not 0 <= index < len(bv):
        raise value_out_of_range("bytevector-u8-set!", index)
    bv[index] = _check_u8("bytevector-u8-set!", value)
    return UNSPECIFIED


@primitive("bytevector-s8-ref", "(bv index)")
def bytevector_s8_ref(bv: Any, index: Any) -> int:
    """Return the byte located at INDEX in BV, as a signed integer."""
    b = bytevector_u8_ref(bv, index)
    return b - 256 if b > 127 else b


@primitive("bytevector-copy", "(bv #:optional start end)")
def bytevector_copy(bv: Any, start: Any = None, end: Any = None) -> bytearray:
    """Return a newly allocated copy of BV (from START to END)."""
    _check_bv("bytevector-copy", 1, bv)
    a, b = _vrange("bytevector-copy", len(bv), start, end, 2)
    return bv[a:b]


@primitive("bytevector-copy!", "(to at from #:optional start end)")
def bytevector_copy_bang(*args: Any) -> Any:
    """Copy bytes.  With five arguments this is R6RS
    (bytevector-copy! source source-start target target-start len), as in
    Guile's (rnrs bytevectors); with three or four it is R7RS
    (bytevector-copy! to at from [start [end]])."""
    if len(args) == 5:
        src, ss, dst, ds, n = args
        _check_bv("bytevector-copy!", 1, src)
        _check_bv("bytevector-copy!", 3, dst)
        for i, x in ((2, ss), (4, ds), (5, n)):
            if type(x) is not int or x < 0:
                raise wrong_type("bytevector-copy!", i, "exact non-negative integer", x)
        if ss + n > len(src):
            raise value_out_of_range("bytevector-copy!", ss + n)
        if ds + n > len(dst):
            raise value_out_of_range("bytevector-copy!", ds + n)
        dst[ds:ds + n] = src[ss:ss + n]
        return UNSPECIFIED
    if not 3 <= len(args) <= 4:
        from schemos.errors import wrong_number_of_args

        raise wrong_number_of_args(bytevector_copy_bang)
    to, at, frm = args[:3]
    start = args[3] if len(args) > 3 else None
    _check_bv("bytevector-copy!", 1, to)
    _check_bv("bytevector-copy!", 3, frm)
    if type(at) is not int:
        raise wrong_type("bytevector-copy!", 2, "exact integer", at)
    a, b = _vrange("bytevector-copy!", len(frm), start, None, 4)
    if not 0 <= at <= len(to) or at + (b - a) > len(to):
        raise value_out_of_range("bytevector-copy!", at)
    to[at:at + (b - a)] = frm[a:b]
    return UNSPECIFIED


@primitive("bytevector-append", "bvs")
def bytevector_append(*bvs: Any) -> bytearray:
    """Return a newly allocated bytevector containing the bytes of all BVS in order."""
    out = bytearray()
    for i, bv in enumerate(bvs):
        _check_bv("bytevector-append", i + 1, bv)
        out += bv
    return out


@primitive("bytevector-fill!", "(bv fill)")
def bytevector_fill(bv: Any, fill: Any) -> Any:
    """Fill bytevector BV with FILL, a byte."""
    _check_bv("bytevector-fill!", 1, bv)
    if type(fill) is not int or not -128 <= fill <= 255:
        raise value_out_of_range("bytevector-fill!", fill)
    bv[:] = bytearray([fill & 0xFF]) * len(bv)
    return UNSPECIFIED


@primitive("bytevector=?", "(bv1 bv2)")
def bytevector_eq(bv1: Any, bv2: Any) -> bool:
    """Return is BV1 equals to BV2---i.e., if they have the same length and contents."""
    _check_bv("bytevector=?", 1, bv1)
    _check_bv("bytevector=?", 2, bv2)
    return bv1 == bv2


@primitive("utf8->string", "(utf #:optional start end)")
def utf8_to_string(utf: Any, start: Any = None, end: Any = None) -> str:
    """Decode the UTF-8 bytevector UTF into a string."""
    _check_bv("utf8->string", 1, utf)
    a, b = _vrange("utf8->string", len(utf), start, end, 2)
    try:
        return utf[a:b].decode("utf-8")
    except UnicodeDecodeError:
        from schemos.errors import Condition, SchemeError

        raise SchemeError(Condition("decoding-error", "input locale conversion error",
                                    who="utf8->string", args=[], irritants=[utf])) from None


@primitive("string->utf8", "(str #:optional start end)")
def string_to_utf8(s: Any, start: Any = None, end: Any = None) -> bytearray:
    """Encode STR in UTF-8 and return the result as a bytevector."""
    if type(s) is not str:
        raise wrong_type("string->utf8", 1, "string", s)
    a, b = _vrange("string->utf8", len(s), start, end, 2)
    return bytearray(s[a:b].encode("utf-8", "surrogatepass"))


@primitive("u8-list->bytevector", "(lst)")
def u8_list_to_bytevector(lst: Any) -> bytearray:
    """Turn LST, a list of octets, into a bytevector."""
    out = bytearray()
    p = lst
    while type(p) is Pair:
        x = p.car
        if type(x) is not int or not 0 <= x <= 255:
            raise wrong_type_arg("u8-list->bytevector", 1, x)
        out.append(x)
        p = p.cdr
    if p is not NIL:
        raise wrong_type("u8-list->bytevector", 1, "list", lst)
    return out


@primitive("bytevector->u8-list", "(bv)")
def bytevector_to_u8_list(bv: Any) -> Any:
    """Return a newly allocated list of unsigned 8-bit integers from the contents of BV."""
    _check_bv("bytevector->u8-list", 1, bv)
    r = NIL
    for x in reversed(bv):
        r = Pair(x, r)
    return r


@primitive("bytevector-s8-set!", "(bv index value)")
def bytevector_s8_set(bv: Any, index: Any, value: Any) -> Any:
    """Set the byte at INDEX in BV to VALUE, a signed 8-bit integer."""
    if type(value) is not int or not -128 <= value <= 127:
        raise value_out_of_range("bytevector-s8-set!", value)
    return bytevector_u8_set(bv, index, value & 0xFF)


_LITTLE = Symbol("little")
_BIG = Symbol("big")


@primitive("native-endianness", "()")
def native_endianness() -> Symbol:
    """Return a symbol denoting the machine's native endianness."""
    return _LITTLE if sys.byteorder == "little" else _BIG


def _byteorder(who: str, endianness: Any) -> str:
    if endianness is _LITTLE:
        return "little"
    if endianness is _BIG:
        return "big"
    from schemos.runtime.builtin_errors import misc_error

    raise misc_error(who, "unsupported endianness ~S", endianness)


def _span(who: str, bv: Any, index: Any, size: int) -> int:
    _check_bv(who, 1, bv)
    if type(index) is not int:
        raise wrong_type(who, 2, "exact integer", index)
    if index < 0 or index + size > len(bv):
        raise value_out_of_range(who, index)
    return index


def _int_ref(who: str, bv: Any, index: Any, size: int, signed: bool, order: str) -> int:
    i = _span(who, bv, index, size)
    return int.from_bytes(bv[i:i + size], order, signed=signed)


def _int_set(who: str, bv: Any, index: Any, value: Any, size: int, signed: bool,
             order: str) -> Any:
    i = _span(who, bv, index, size)
    if type(value) is not int:
        raise wrong_type(who, 3, "exact integer", value)
    try:
        bv[i:i + size] = value.to_bytes(size, order, signed=signed)
    except OverflowError:
        raise value_out_of_range(who, value) from None
    return UNSPECIFIED


def _make_int_accessors(bits: int, signed: bool) -> None:
    size = bits // 8
    kind = f"{'s' if signed else 'u'}{bits}"
    what = f"{'signed' if signed else 'unsigned'} {bits}-bit integer"
    ref_name = f"bytevector-{kind}-ref"
    set_name = f"bytevector-{kind}-set!"
    nref_name = f"bytevector-{kind}-native-ref"
    nset_name = f"bytevector-{kind}-native-set!"

    def ref(bv: Any, index: Any, endianness: Any) -> int:
        return _int_ref(ref_name, bv, index, size, signed, _byteorder(ref_name, endianness))

    def set_(bv: Any, index: Any, value: Any, endianness: Any) -> Any:
        return _int_set(set_name, bv, index, value, size, signed,
                        _byteorder(set_name, endianness))

    def nref(bv: Any, index: Any) -> int:
        return _int_ref(nref_name, bv, index, size, signed, sys.byteorder)

    def nset(bv: Any, index: Any, value: Any) -> Any:
        return _int_set(nset_name, bv, index, value, size, signed, sys.byteorder)

    ref.__doc__ = f"Return the {what} at INDEX in BV, in the given ENDIANNESS."
    set_.__doc__ = f"Store VALUE, a {what}, at INDEX in BV, in the given ENDIANNESS."
    nref.__doc__ = f"Return the {what} at INDEX in BV, in native endianness."
    nset.__doc__ = f"Store VALUE, a {what}, at INDEX in BV, in native endianness."
    primitive(ref_name, "(bv index endianness)")(ref)
    primitive(set_name, "(bv index value endianness)")(set_)
    primitive(nref_name, "(bv index)")(nref)
    primitive(nset_name, "(bv index value)")(nset)


for _bits in (16, 32, 64):
    _make_int_accessors(_bits, False)
    _make_int_accessors(_bits, True)


@primitive("bytevector-uint-ref", "(bv index endianness size)")
def bytevector_uint_ref(bv: Any, index: Any, endianness: Any, size: Any) -> int:
    """Return the SIZE-byte unsigned integer at INDEX in BV."""
    return _int_ref("bytevector-uint-ref", bv, index, size, False,
                    _byteorder("bytevector-uint-ref", endianness))


@primitive("bytevector-sint-ref", "(bv index endianness size)")
def bytevector_sint_ref(bv: Any, index: Any, endianness: Any, size: Any) -> int:
    """Return the SIZE-byte signed integer at INDEX in BV."""
    return _int_ref("bytevector-sint-ref", bv, index, size, True,
                    _byteorder("bytevector-sint-ref", endianness))


@primitive("bytevector-uint-set!", "(bv index value endianness size)")
def bytevector_uint_set(bv: Any, index: Any, value: Any, endianness: Any, size: Any) -> Any:
    """Store VALUE as a SIZE-byte unsigned integer at INDEX in BV."""
    return _int_set("bytevector-uint-set!", bv, index, value, size, False,
                    _byteorder("bytevector-uint-set!", endianness))


@primitive("bytevector-sint-set!", "(bv index value endianness size)")
def bytevector_sint_set(bv: Any, index: Any, value: Any, endianness: Any, size: Any) -> Any:
    """Store VALUE as a SIZE-byte signed integer at INDEX in BV."""
    return _int_set("bytevector-sint-set!", bv, index, value, size, True,
                    _byteorder("bytevector-sint-set!", endianness))


def _make_float_accessors(name: str, fmt: str, size: int) -> None:
    ref_name = f"bytevector-ieee-{name}-ref"
    set_name = f"bytevector-ieee-{name}-set!"
    nref_name = f"bytevector-ieee-{name}-native-ref"
    nset_name = f"bytevector-ieee-{name}-native-set!"

    def _fmt(order: str) -> str:
        return ("<" if order == "little" else ">") + fmt

    def do_ref(who: str, bv: Any, index: Any, order: str) -> float:
        i = _span(who, bv, index, size)
        return struct.unpack(_fmt(order), bytes(bv[i:i + size]))[0]

    def do_set(who: str, bv: Any, index: Any, value: Any, order: str) -> Any:
        i = _span(who, bv, index, size)
        if type(value) not in (int, float, Fraction):
            raise wrong_type(who, 3, "real", value)
        bv[i:i + size] = struct.pack(_fmt(order), float(value))
        return UNSPECIFIED

    def ref(bv: Any, index: Any, endianness: Any) -> float:
        return do_ref(ref_name, bv, index, _byteorder(ref_name, endianness))

    def set_(bv: Any, index: Any, value: Any, endianness: Any) -> Any:
        return do_set(set_name, bv, index, value, _byteorder(set_name, endianness))

    def nref(bv: Any, index: Any) -> float:
        return do_ref(nref_name, bv, index, sys.byteorder)

    def nset(bv: Any, index: Any, value: Any) -> Any:
        return do_set(nset_name, bv, index, value, sys.byteorder)

    ref.__doc__ = f"Return the IEEE-754 {name} at INDEX in BV, in the given ENDIANNESS."
    set_.__doc__ = f"Store VALUE as an IEEE-754 {name} at INDEX in BV, in the given ENDIANNESS."
    nref.__doc__ = f"Return the IEEE-754 {name} at INDEX in BV, in native endianness."
    nset.__doc__ = f"Store VALUE as an IEEE-754 {name} at INDEX in BV, in native endianness."
    primitive(ref_name, "(bv index endianness)")(ref)
    primitive(set_name, "(bv index value endianness)")(set_)
    primitive(nref_name, "(bv index)")(nref)
    primitive(nset_name, "(bv index value)")(nset)


_make_float_accessors("single", "f", 4)
_make_float_accessors("double", "d", 8)


@primitive("vector-binary-search", "(vec value cmp #:optional start end)")
def vector_binary_search(vec: Any, value: Any, cmp: Any, start: Any = None,
                         end: Any = None) -> Any:
    """Find VALUE in the sorted vector VEC, using CMP, a procedure returning a
    negative, zero or positive number as its first argument is less than,
    equal to or greater than its second; return the index or #f (SRFI-43)."""
    _check_vector("vector-binary-search", 1, vec)
    lo, hi = _vrange("vector-binary-search", len(vec), start, end, 4)
    while lo < hi:
        mid = (lo + hi) // 2
        c = call(cmp, vec[mid], value)
        if type(c) not in (int, float, Fraction):
            raise wrong_type("vector-binary-search", 3, "procedure returning a number", cmp)
        if c == 0:
            return mid
        if c < 0:
            lo = mid + 1
        else:
            hi = mid
    return False


def _register_aliases() -> None:
    from schemos.runtime.core import alias

    for name, fn in alias_names.items():
        alias(name, fn)


_register_aliases()

#: names Guile provides in (rnrs bytevectors) rather than its default environment
def _codec(who: str, bits: int, endianness: Any) -> str:
    order = "be" if endianness is None else _byteorder(who, endianness)[0] + "e"
    return f"utf-{bits}-{order}"


def _decoding_error(who: str, bv: Any) -> Exception:
    from schemos.errors import Condition, SchemeError

    return SchemeError(Condition("decoding-error", "input locale conversion error",
                                 who=who, args=[], irritants=[bv]))


@primitive("string->utf16", "(str #:optional endianness)")
def string_to_utf16(s: Any, endianness: Any = None) -> bytearray:
    """Encode STR in UTF-16 (big-endian by default, without a byte order mark)."""
    if type(s) is not str:
        raise wrong_type("string->utf16", 1, "string", s)
    return bytearray(s.encode(_codec("string->utf16", 16, endianness), "surrogatepass"))


@primitive("string->utf32", "(str #:optional endianness)")
def string_to_utf32(s: Any, endianness: Any = None) -> bytearray:
    """Encode STR in UTF-32 (big-endian by default)."""
    if type(s) is not str:
        raise wrong_type("string->utf32", 1, "string", s)
    return bytearray(s.encode(_codec("string->utf32", 32, endianness), "surrogatepass"))


@primitive("utf16->string", "(utf #:optional endianness)")
def utf16_to_string(utf: Any, endianness: Any = None) -> str:
    """Decode the UTF-16 bytevector UTF (big-endian by default; as in Guile 3.0, a
    byte order mark is not interpreted)."""
    _check_bv("utf16->string", 1, utf)
    try:
        return bytes(utf).decode(_codec("utf16->string", 16, endianness), "surrogatepass")
    except UnicodeDecodeError:
        raise _decoding_error("utf16->string", utf) from None


@primitive("utf32->string", "(utf #:optional endianness)")
def utf32_to_string(utf: Any, endianness: Any = None) -> str:
    """Decode the UTF-32 bytevector UTF (big-endian by default)."""
    _check_bv("utf32->string", 1, utf)
    try:
        return bytes(utf).decode(_codec("utf32->string", 32, endianness), "surrogatepass")
    except UnicodeDecodeError:
        raise _decoding_error("utf32->string", utf) from None


def _int_list(who: str, bv: Any, endianness: Any, size: Any, signed: bool) -> Any:
    _check_bv(who, 1, bv)
    order = _byteorder(who, endianness)
    if type(size) is not int or size <= 0:
        raise wrong_type(who, 3, "positive exact integer", size)
    if len(bv) % size:
        raise value_out_of_range(who, size)
    return from_list([int.from_bytes(bv[i:i + size], order, signed=signed)
                      for i in range(0, len(bv), size)])


@primitive("bytevector->uint-list", "(bv endianness size)")
def bytevector_to_uint_list(bv: Any, endianness: Any, size: Any) -> Any:
    """The SIZE-byte unsigned integers that make up BV, as a list."""
    return _int_list("bytevector->uint-list", bv, endianness, size, False)


@primitive("bytevector->sint-list", "(bv endianness size)")
def bytevector_to_sint_list(bv: Any, endianness: Any, size: Any) -> Any:
    """The SIZE-byte signed integers that make up BV, as a list."""
    return _int_list("bytevector->sint-list", bv, endianness, size, True)


def _list_int(who: str, lst: Any, endianness: Any, size: Any, signed: bool) -> bytearray:
    order = _byteorder(who, endianness)
    if type(size) is not int or size <= 0:
        raise wrong_type(who, 3, "positive exact integer", size)
    out = bytearray()
    for x in to_list(lst):
        if type(x) is not int:
            raise wrong_type(who, 1, "exact integer", x)
        try:
            out += x.to_bytes(size, order, signed=signed)
        except OverflowError:
            raise value_out_of_range(who, x) from None
    return out


@primitive("uint-list->bytevector", "(lst endianness size)")
def uint_list_to_bytevector(lst: Any, endianness: Any, size: Any) -> bytearray:
    """The bytevector of the SIZE-byte unsigned integers of LST."""
    return _list_int("uint-list->bytevector", lst, endianness, size, False)


@primitive("sint-list->bytevector", "(lst endianness size)")
def sint_list_to_bytevector(lst: Any, endianness: Any, size: Any) -> bytearray:
    """The bytevector of the SIZE-byte signed integers of LST."""
    return _list_int("sint-list->bytevector", lst, endianness, size, True)


RNRS_BYTEVECTOR_NAMES = frozenset("""
bytevector? make-bytevector bytevector-length bytevector-u8-ref bytevector-u8-set!
bytevector-s8-ref bytevector-copy bytevector-copy! bytevector-fill! bytevector=?
utf8->string string->utf8 u8-list->bytevector bytevector->u8-list bytevector-s8-set!
native-endianness bytevector-uint-ref bytevector-sint-ref bytevector-uint-set!
bytevector-sint-set! string->utf16 string->utf32 utf16->string utf32->string
bytevector->uint-list bytevector->sint-list uint-list->bytevector sint-list->bytevector
""".split()) | frozenset(
    f"bytevector-{k}{b}-{op}" for k in "us" for b in (16, 32, 64)
    for op in ("ref", "set!", "native-ref", "native-set!")) | frozenset(
    f"bytevector-ieee-{t}-{op}" for t in ("single", "double")
    for op in ("ref", "set!", "native-ref", "native-set!"))

__all__ = ["vector_ref", "vector_set", "vector_length", "list_to_vector", "vector_to_list",
           "RNRS_BYTEVECTOR_NAMES"]
