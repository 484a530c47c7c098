"""Guile hash tables (``make-hash-table``, ``hash-ref``, ``hashq-set!``…).

A :class:`HashTable` maps a *wrapped key* to a handle, the pair
``(key . value)`` that ``hash-get-handle`` returns (mutating its cdr changes
the table, as in Guile).  Keys are wrapped so that Python's equality agrees
with Scheme's: ``#t`` and ``1`` and ``1.0`` are three different keys, and
``equal?`` tables compare lists, vectors, strings and bytevectors by
content.  ``hashq`` and ``hashv`` tables share one key function, which
compares numbers with ``eqv?`` (a bignum or float is found by an equal one)
and everything else, strings included, by identity.

Iteration (``hash-for-each``, ``hash-fold``, ``hash-map->list``) follows
insertion order.  Weak tables are ordinary (strong) tables.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from schemos.datum import EOF, NIL, UNSPECIFIED, Char, Keyword, Pair, Symbol
from schemos.errors import wrong_type
from schemos.runtime.builtin_errors import wrong_type_nopos
from schemos.runtime.core import call, primitive
from schemos.runtime.lists import build_list

# ---------------------------------------------------------------- key wrapping


class _Tag:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


_TRUE = _Tag("#t")
_FALSE = _Tag("#f")
_FLOAT = _Tag("float")
_NAN_KEY = (_FLOAT, "nan")
_COMPLEX = _Tag("complex")
_PAIR = _Tag("pair")
_VECTOR = _Tag("vector")
_BYTES = _Tag("bytevector")
_ID = _Tag("id")

#: key types whose Python equality already is Scheme's eqv? (and equal?)
_EQV_AS_IS = frozenset((int, Symbol, Keyword, Char, Fraction, type(NIL), type(EOF)))
#: key types whose Python equality already is Scheme's equal?
_AS_IS = _EQV_AS_IS | {str}


def _float_key(x: float) -> Any:
    if x != x:
        return _NAN_KEY
    return (_FLOAT, x, math.copysign(1.0, x))


def _atom_key(k: Any) -> Any:
    """Key for a non-container under eqv? semantics."""
    t = type(k)
    if t in _EQV_AS_IS:
        return k
    if t is bool:
        return _TRUE if k else _FALSE
    if t is float:
        return _float_key(k)
    if t is complex:
        return (_COMPLEX, _float_key(k.real), _float_key(k.imag))
    if t is list or t is bytearray or t is str:
        return (_ID, id(k))
    try:
        hash(k)
    except TypeError:
        return (_ID, id(k))
    return k


def eqv_key(k: Any) -> Any:
    """The dictionary key for ``k`` in a ``hashq``/``hashv`` table."""
    if type(k) in _EQV_AS_IS:
        return k
    return _atom_key(k)


def equal_key(k: Any) -> Any:
    """The dictionary key for ``k`` under ``equal?`` (hashable, structural)."""
    t = type(k)
    if t in _AS_IS:
        return k
    if t is Pair:
        cars = []
        p = k
        while type(p) is Pair:
            cars.append(equal_key(p.car))
            p = p.cdr
        return (_PAIR, tuple(cars), equal_key(p))
    if t is list:
        return (_VECTOR, tuple([equal_key(x) for x in k]))
    if t is bytearray:
        return (_BYTES, bytes(k))
    custom = getattr(t, "scm_equal_key", None)
    if custom is not None:
        return custom(k)
    return _atom_key(k)


# ---------------------------------------------------------------- the table

_SIZES = (31, 61, 113, 223, 443, 883, 1759, 3517, 7027, 14051, 28099, 56197, 112363,
          224717, 449419, 898823, 1797641, 3595271, 7190537, 14381041, 28762081, 57524111,
          115048217, 230096423)


class HashTable:
    """A Guile hash table; ``d`` maps wrapped keys to ``(key . value)`` handles."""

    __slots__ = ("d", "weak", "size_index", "min_index", "upper", "lower", "__weakref__")

    def __init__(self, size: int = 0, weak: str | None = None) -> None:
        self.d: dict[Any, Pair] = {}
        self.weak = weak
        n = size or 31
        i = 0
        while i + 1 < len(_SIZES) and n > _SIZES[i]:
            i += 1
        self.min_index = i
        self._set_size(i)

    def _set_size(self, i: int) -> None:
        self.size_index = i
        n = _SIZES[i]
        self.upper = 9 * n // 10
        self.lower = 0 if i <= self.min_index else n // 4

    @property
    def size(self) -> int:
        """The number of buckets Guile would use (shown when printing)."""
        return _SIZES[self.size_index]

    def grew(self) -> None:
        """Account for an insertion (Guile grows by one size step at a time)."""
        if len(self.d) > self.upper and self.size_index + 1 < len(_SIZES):
            self._set_size(self.size_index + 1)

    def shrank(self) -> None:
        """Account for a removal."""
        n = len(self.d)
        if n < self.lower:
            i = self.size_index
            while True:
                i -= 1
                if not (i > self.min_index and n < _SIZES[i] // 4):
                    break
            self._set_size(i)

    def scm_write(self, write: bool = True) -> str:
        """Printed representation, as Guile: ``#<hash-table 7f... 2/31>``."""
        if self.weak is not None:
            return f"#<weak-table {len(self.d)}/{self.size}>"
        return f"#<hash-table {id(self):x} {len(self.d)}/{self.size}>"

    def __repr__(self) -> str:
        return self.scm_write()


def _table(who: str, pos: int, table: Any) -> HashTable:
    if type(table) is not HashTable:
        raise wrong_type(who, pos, "hash-table", table)
    return table


def _size_arg(who: str, size: Any) -> int:
    if size is None:
        return 0
    if type(size) is not int:
        raise wrong_type_nopos(who, "exact integer", size)
    return max(size, 0)


@primitive("make-hash-table", "(#:optional n)")
def make_hash_table(n: Any = None) -> HashTable:
    """Make a new abstract hash table object with minimum number of buckets N."""
    return HashTable(_size_arg("make-hash-table", n))


@primitive("make-weak-key-hash-table", "(#:optional n)")
def make_weak_key_hash_table(n: Any = None) -> HashTable:
    """Return a hash table with weak keys (a strong table in schemos)."""
    return HashTable(_size_arg("make-weak-key-hash-table", n), "key")


@primitive("make-weak-value-hash-table", "(#:optional n)")
def make_weak_value_hash_table(n: Any = None) -> HashTable:
    """Return a hash table with weak values (a strong table in schemos)."""
    return HashTable(_size_arg("make-weak-value-hash-table", n), "value")


@primitive("make-doubly-weak-hash-table", "(#:optional n)")
def make_doubly_weak_hash_table(n: Any = None) -> HashTable:
    """Return a hash table with weak keys and values (a strong table in schemos)."""
    return HashTable(_size_arg("make-doubly-weak-hash-table", n), "both")


@primitive("hash-table?", "(obj)")
def is_hash_table(obj: Any) -> bool:
    """Return #t if OBJ is an abstract hash table object."""
    return type(obj) is HashTable


@primitive("weak-key-hash-table?", "(obj)")
def is_weak_key_hash_table(obj: Any) -> bool:
    """Return #t if OBJ is a weak-key hash table."""
    return type(obj) is HashTable and obj.weak == "key"


@primitive("weak-value-hash-table?", "(obj)")
def is_weak_value_hash_table(obj: Any) -> bool:
    """Return #t if OBJ is a weak-value hash table."""
    return type(obj) is HashTable and obj.weak == "value"


@primitive("doubly-weak-hash-table?", "(obj)")
def is_doubly_weak_hash_table(obj: Any) -> bool:
    """Return #t if OBJ is a doubly weak hash table."""
    return type(obj) is HashTable and obj.weak == "both"


# ---------------------------------------------------------------- access


def _make_ops(prefix: str, keyfn: Any, desc: str) -> None:
    as_is = _AS_IS if keyfn is equal_key else _EQV_AS_IS
    ref_name = f"{prefix}-ref"
    set_name = f"{prefix}-set!"
    rem_name = f"{prefix}-remove!"

    def ref(table: Any, key: Any, dflt: Any = False) -> Any:
        if type(table) is not HashTable:
            raise wrong_type(ref_name, 1, "hash-table", table)
        h = table.d.get(key if type(key) in as_is else keyfn(key))
        if h is None:
            return dflt
        return h.cdr

    def set_(table: Any, key: Any, val: Any) -> Any:
        if type(table) is not HashTable:
            raise wrong_type(set_name, 1, "hash-table", table)
        d = table.d
        wk = key if type(key) in as_is else keyfn(key)
        h = d.get(wk)
        if h is None:
            d[wk] = Pair(key, val)
            if len(d) > table.upper:
                table.grew()
        else:
            h.cdr = val
        return val

    def remove(table: Any, key: Any) -> Any:
        t = _table(rem_name, 1, table)
        h = t.d.pop(keyfn(key), None)
        if h is None:
            return False
        t.shrank()
        return h

    def get_handle(table: Any, key: Any) -> Any:
        t = _table(f"{prefix}-get-handle", 1, table)
        h = t.d.get(keyfn(key))
        return False if h is None else h

    def create_handle(table: Any, key: Any, init: Any) -> Any:
        t = _table(f"{prefix}-create-handle!", 1, table)
        wk = keyfn(key)
        h = t.d.get(wk)
        if h is None:
            h = Pair(key, init)
            t.d[wk] = h
            t.grew()
        return h

    ref.__doc__ = (f"Look up KEY in TABLE (comparing keys with {desc}) and return its value, "
                   "or DFLT (#f by default) if it is not found.")
    set_.__doc__ = f"Find the entry in TABLE associated with KEY ({desc}) and store VAL there."
    remove.__doc__ = (f"Remove KEY (compared with {desc}) and its value from TABLE; return the "
                      "removed handle or #f.")
    get_handle.__doc__ = (f"Return the handle (key . value) for KEY ({desc}) in TABLE, or #f.")
    create_handle.__doc__ = (f"Return the handle for KEY ({desc}) in TABLE, creating it with "
                             "value INIT if it does not exist.")
    for fn, name, params in ((ref, ref_name, "(table key #:optional dflt)"),
                             (set_, set_name, "(table key val)"),
                             (remove, rem_name, "(table key)"),
                             (get_handle, f"{prefix}-get-handle", "(table key)"),
                             (create_handle, f"{prefix}-create-handle!", "(table key init)")):
        fn.__name__ = name.replace("-", "_").replace("!", "_x")
        globals()[fn.__name__] = primitive(name, params)(fn)


_make_ops("hash", equal_key, "equal?")
_make_ops("hashv", eqv_key, "eqv?")
_make_ops("hashq", eqv_key, "eq?")

hash_ref = globals()["hash_ref"]
hash_set_x = globals()["hash_set_x"]
hashq_ref = globals()["hashq_ref"]
hashq_set_x = globals()["hashq_set_x"]
hashv_ref = globals()["hashv_ref"]
hashv_set_x = globals()["hashv_set_x"]


# ---------------------------------------------------------------- iteration


@primitive("hash-fold", "(proc init table)")
def hash_fold(proc: Any, init: Any, table: Any) -> Any:
    """An iterator over hash-table elements.  Accumulates and returns a result by
    applying PROC successively: (PROC key value prior-result), starting with INIT."""
    t = _table("hash-fold", 3, table)
    acc = init
    for h in list(t.d.values()):
        acc = call(proc, h.car, h.cdr, acc)
    return acc


@primitive("hash-for-each", "(proc table)")
def hash_for_each(proc: Any, table: Any) -> Any:
    """An iterator over hash-table elements.  Applies PROC successively on all
    hash table items: (PROC key value)."""
    t = _table("hash-for-each", 2, table)
    for h in list(t.d.values()):
        call(proc, h.car, h.cdr)
    return UNSPECIFIED


@primitive("hash-for-each-handle", "(proc table)")
def hash_for_each_handle(proc: Any, table: Any) -> Any:
    """Applies PROC successively on all hash table handles (key . value)."""
    t = _table("hash-for-each-handle", 2, table)
    for h in list(t.d.values()):
        call(proc, h)
    return UNSPECIFIED


@primitive("hash-map->list", "(proc table)")
def hash_map_to_list(proc: Any, table: Any) -> Any:
    """An iterator over hash-table elements.  Accumulates and returns as a list the
    results of applying PROC successively: (PROC key value)."""
    t = _table("hash-map->list", 2, table)
    return build_list([call(proc, h.car, h.cdr) for h in list(t.d.values())])


@primitive("hash-count", "(pred table)")
def hash_count(pred: Any, table: Any) -> int:
    """Return the number of elements in the given hash TABLE that cause (PRED key value)
    to return true."""
    t = _table("hash-count", 2, table)
    return sum(1 for h in list(t.d.values()) if call(pred, h.car, h.cdr) is not False)


@primitive("hash-clear!", "(table)")
def hash_clear(table: Any) -> Any:
    """Remove all items from TABLE (without triggering a resize)."""
    _table("hash-clear!", 1, table).d.clear()
    return UNSPECIFIED


@primitive("hash-table-count", "(table)")
def hash_table_count(table: Any) -> int:
    """Return the number of entries in TABLE."""
    return len(_table("hash-table-count", 1, table).d)


def _py_hash(k: Any) -> int:
    return hash(k) & 0x3FFFFFFFFFFFFFFF


@primitive("hash", "(key size)")
def scm_hash(key: Any, size: Any) -> int:
    """Determine a hash value for KEY that is suitable for lookups in a hashtable of
    size SIZE, where equal? is used as the equality predicate."""
    if type(size) is not int or size <= 0:
        raise wrong_type("hash", 2, "exact positive integer", size)
    return _py_hash(equal_key(key)) % size


@primitive("hashv", "(key size)")
def scm_hashv(key: Any, size: Any) -> int:
    """Determine a hash value for KEY suitable for an eqv? hashtable of size SIZE."""
    if type(size) is not int or size <= 0:
        raise wrong_type("hashv", 2, "exact positive integer", size)
    return _py_hash(eqv_key(key)) % size


@primitive("hashq", "(key size)")
def scm_hashq(key: Any, size: Any) -> int:
    """Determine a hash value for KEY suitable for an eq? hashtable of size SIZE."""
    if type(size) is not int or size <= 0:
        raise wrong_type("hashq", 2, "exact positive integer", size)
    return _py_hash(eqv_key(key)) % size


__all__ = ["HashTable", "equal_key", "eqv_key", "hash_ref", "hash_set_x", "hashq_ref",
           "hashq_set_x", "hashv_ref", "hashv_set_x"]
