"""SRFI-69 hash tables, for ``(srfi srfi-69)`` (the internal module ``(schemos srfi-69)``).

An SRFI-69 table is made with an equivalence predicate and a hash function
(``make-hash-table equal-proc hash-proc``), unlike Guile's native tables
(:mod:`schemos.runtime.hashtables`), which is why the library's
``make-hash-table`` and ``hash-table?`` replace the core ones in the modules
that import it, as in Guile.

Tables whose predicate is ``equal?``, ``eqv?``, ``eq?``, ``string=?`` or
``string-ci=?`` keep a Python dictionary on wrapped keys (the wrapping of
:mod:`schemos.runtime.hashtables`); any other predicate uses buckets
chosen by the hash function and searched with the predicate.  Iteration
follows insertion order.
"""

from __future__ import annotations

from typing import Any

from schemos.datum import UNSPECIFIED, Keyword, Pair, from_list, to_list
from schemos.errors import Condition, SchemeError, wrong_type
from schemos.runtime.chars_strings import string_hash
from schemos.runtime.core import PRIMITIVES, call
from schemos.runtime.hashtables import equal_key, eqv_key, scm_hash, scm_hashq
from schemos.runtime.pymodules import python_module, scheme_procedure
from schemos.runtime.srfi13 import string_hash_ci

__all__ = ["Srfi69Table"]

#: bound used when a hash function is called without one (Guile's default)
_DEFAULT_BOUND = (1 << 61) - 1


class Srfi69Table:
    """An SRFI-69 hash table.

    ``d`` maps a wrapped key to the pair ``(key . value)``; for a generic
    predicate the wrapped key is the hash, and the value a Python list of
    such pairs (a bucket).
    """

    __slots__ = ("equiv", "hashfn", "keyfn", "d", "n", "__weakref__")

    def __init__(self, equiv: Any, hashfn: Any) -> None:
        self.equiv = equiv
        self.hashfn = hashfn
        #: key wrapper for the predicates Python can hash, or None (use buckets)
        self.keyfn = _key_function(equiv)
        self.d: dict[Any, Any] = {}
        self.n = 0

    # -- the three primitive operations
    def handle(self, key: Any) -> Pair | None:
        """The pair ``(key . value)`` of KEY, if the table has it."""
        if self.keyfn is not None:
            return self.d.get(self.keyfn(key))
        for h in self.d.get(self._hash(key), ()):
            if call(self.equiv, key, h.car) is not False:
                return h
        return None

    def put(self, key: Any, value: Any) -> None:
        """Associate VALUE with KEY."""
        h = self.handle(key)
        if h is not None:
            h.cdr = value
            return
        if self.keyfn is not None:
            self.d[self.keyfn(key)] = Pair(key, value)
        else:
            self.d.setdefault(self._hash(key), []).append(Pair(key, value))
        self.n += 1

    def delete(self, key: Any) -> None:
        """Remove KEY's association, if any."""
        if self.keyfn is not None:
            if self.d.pop(self.keyfn(key), None) is not None:
                self.n -= 1
            return
        hk = self._hash(key)
        bucket = self.d.get(hk)
        for i, h in enumerate(bucket or ()):
            if call(self.equiv, key, h.car) is not False:
                del bucket[i]  # type: ignore[union-attr]
                if not bucket:
                    del self.d[hk]
                self.n -= 1
                return

    def _hash(self, key: Any) -> Any:
        return call(self.hashfn, key, _DEFAULT_BOUND)

    def handles(self) -> list[Pair]:
        """Every ``(key . value)`` pair, in insertion order (per bucket)."""
        if self.keyfn is not None:
            return list(self.d.values())
        return [h for bucket in self.d.values() for h in bucket]

    def scm_write(self, write: bool = True) -> str:
        """Printed representation."""
        return f"#<srfi-69:hash-table {id(self):x} {self.n}>"


def _string_ci_key(k: Any) -> Any:
    return ("ci", k.lower()) if type(k) is str else equal_key(k)


def _key_function(equiv: Any) -> Any:
    if equiv is PRIMITIVES.get("equal?") or equiv is PRIMITIVES.get("string=?"):
        return equal_key
    if equiv is PRIMITIVES.get("eqv?") or equiv is PRIMITIVES.get("eq?"):
        return eqv_key
    if equiv is PRIMITIVES.get("string-ci=?"):
        return _string_ci_key
    return None


def _guess_hash(equiv: Any) -> Any:
    if equiv is PRIMITIVES.get("eq?") or equiv is PRIMITIVES.get("eqv?"):
        return hash_by_identity
    if equiv is PRIMITIVES.get("string=?"):
        return string_hash
    if equiv is PRIMITIVES.get("string-ci=?"):
        return string_hash_ci
    return srfi69_hash


def _table(who: str, t: Any) -> Srfi69Table:
    if type(t) is not Srfi69Table:
        raise wrong_type(who, 1, "srfi-69:hash-table", t)
    return t


def _missing(key: Any, t: Any) -> SchemeError:
    return SchemeError(Condition("misc-error", "Key not in table", irritants=[key, t]))


# ---------------------------------------------------------------- procedures


@scheme_procedure("hash", "(obj #:optional size)")
def srfi69_hash(obj: Any, size: Any = _DEFAULT_BOUND) -> int:
    """A hash of OBJ for ``equal?`` tables, below SIZE."""
    return scm_hash(obj, size)


@scheme_procedure("hash-by-identity", "(obj #:optional size)")
def hash_by_identity(obj: Any, size: Any = _DEFAULT_BOUND) -> int:
    """A hash of OBJ for ``eq?`` tables, below SIZE."""
    return scm_hashq(obj, size)


@scheme_procedure("make-hash-table", "(#:optional equal-proc hash-proc #:key weak . rest)")
def make_hash_table(*args: Any) -> Srfi69Table:
    """A new table comparing keys with EQUAL-PROC (``equal?`` by default) and hashing
    them with HASH-PROC (guessed from EQUAL-PROC by default).  Guile's further
    arguments (a size, ``#:weak``) are accepted; tables are never weak."""
    pos = [a for i, a in enumerate(args)
           if type(a) is not Keyword and (i == 0 or type(args[i - 1]) is not Keyword)]
    equiv = pos[0] if pos else PRIMITIVES["equal?"]
    hashfn = pos[1] if len(pos) > 1 else _guess_hash(equiv)
    return Srfi69Table(equiv, hashfn)


@scheme_procedure("hash-table?", "(obj)")
def hash_table_p(obj: Any) -> bool:
    """True for SRFI-69 hash tables."""
    return type(obj) is Srfi69Table


@scheme_procedure("alist->hash-table", "(alist #:optional equal-proc hash-proc)")
def alist_to_hash_table(alist: Any, *args: Any) -> Srfi69Table:
    """A table holding the associations of ALIST (the first one of a key wins)."""
    t = make_hash_table(*args)
    for p in to_list(alist):
        if t.handle(p.car) is None:
            t.put(p.car, p.cdr)
    return t


@scheme_procedure("hash-table-equivalence-function", "(table)")
def hash_table_equivalence_function(t: Any) -> Any:
    """The equivalence predicate of TABLE."""
    return _table("hash-table-equivalence-function", t).equiv


@scheme_procedure("hash-table-hash-function", "(table)")
def hash_table_hash_function(t: Any) -> Any:
    """The hash function of TABLE."""
    return _table("hash-table-hash-function", t).hashfn


@scheme_procedure("hash-table-ref", "(table key #:optional failure)")
def hash_table_ref(t: Any, key: Any, failure: Any = None, *ignored: Any) -> Any:
    """The value of KEY in TABLE; if there is none, the value of (FAILURE), or an
    error without FAILURE.  (Further arguments are ignored, as in Guile.)"""
    h = _table("hash-table-ref", t).handle(key)
    if h is None:
        if failure is None:
            raise _missing(key, t)
        return call(failure)
    return h.cdr


@scheme_procedure("hash-table-ref/default", "(table key default)")
def hash_table_ref_default(t: Any, key: Any, default: Any) -> Any:
    """The value of KEY in TABLE, or DEFAULT."""
    h = _table("hash-table-ref/default", t).handle(key)
    return default if h is None else h.cdr


@scheme_procedure("hash-table-set!", "(table key value)")
def hash_table_set(t: Any, key: Any, value: Any) -> Any:
    """Associate VALUE with KEY in TABLE."""
    _table("hash-table-set!", t).put(key, value)
    return UNSPECIFIED


@scheme_procedure("hash-table-delete!", "(table key)")
def hash_table_delete(t: Any, key: Any) -> Any:
    """Remove KEY's association from TABLE."""
    _table("hash-table-delete!", t).delete(key)
    return UNSPECIFIED


@scheme_procedure("hash-table-exists?", "(table key)")
def hash_table_exists(t: Any, key: Any) -> bool:
    """True if TABLE has an association for KEY."""
    return _table("hash-table-exists?", t).handle(key) is not None


@scheme_procedure("hash-table-update!", "(table key modifier #:optional failure)")
def hash_table_update(t: Any, key: Any, modifier: Any, failure: Any = None) -> Any:
    """Set KEY's value in TABLE to (MODIFIER old-value); the old value of a missing
    key is (FAILURE), or an error without FAILURE."""
    table = _table("hash-table-update!", t)
    h = table.handle(key)
    if h is not None:
        h.cdr = call(modifier, h.cdr)
    elif failure is None:
        raise _missing(key, t)
    else:
        table.put(key, call(modifier, call(failure)))
    return UNSPECIFIED


@scheme_procedure("hash-table-update!/default", "(table key modifier default)")
def hash_table_update_default(t: Any, key: Any, modifier: Any, default: Any) -> Any:
    """Set KEY's value in TABLE to (MODIFIER old-value), DEFAULT standing for the
    value of a missing key."""
    table = _table("hash-table-update!/default", t)
    h = table.handle(key)
    if h is not None:
        h.cdr = call(modifier, h.cdr)
    else:
        table.put(key, call(modifier, default))
    return UNSPECIFIED


@scheme_procedure("hash-table-size", "(table)")
def hash_table_size(t: Any) -> int:
    """The number of associations in TABLE."""
    return _table("hash-table-size", t).n


@scheme_procedure("hash-table-keys", "(table)")
def hash_table_keys(t: Any) -> Any:
    """The keys of TABLE."""
    return from_list([h.car for h in _table("hash-table-keys", t).handles()])


@scheme_procedure("hash-table-values", "(table)")
def hash_table_values(t: Any) -> Any:
    """The values of TABLE."""
    return from_list([h.cdr for h in _table("hash-table-values", t).handles()])


@scheme_procedure("hash-table-walk", "(table proc)")
def hash_table_walk(t: Any, proc: Any) -> Any:
    """Call (PROC key value) for each association of TABLE."""
    for h in _table("hash-table-walk", t).handles():
        call(proc, h.car, h.cdr)
    return UNSPECIFIED


@scheme_procedure("hash-table-fold", "(table kons knil)")
def hash_table_fold(t: Any, kons: Any, knil: Any) -> Any:
    """Fold (KONS key value acc) over the associations of TABLE, starting from KNIL."""
    acc = knil
    for h in _table("hash-table-fold", t).handles():
        acc = call(kons, h.car, h.cdr, acc)
    return acc


@scheme_procedure("hash-table->alist", "(table)")
def hash_table_to_alist(t: Any) -> Any:
    """The associations of TABLE as an alist."""
    return from_list([Pair(h.car, h.cdr) for h in _table("hash-table->alist", t).handles()])


@scheme_procedure("hash-table-copy", "(table #:optional mutable?)")
def hash_table_copy(t: Any, mutable: Any = False) -> Srfi69Table:
    """A new table with the associations of TABLE (always mutable in schemos)."""
    table = _table("hash-table-copy", t)
    new = Srfi69Table(table.equiv, table.hashfn)
    for h in table.handles():
        new.put(h.car, h.cdr)
    return new


@scheme_procedure("hash-table-merge!", "(table other)")
def hash_table_merge(t: Any, other: Any) -> Srfi69Table:
    """Add the associations of OTHER to TABLE (replacing TABLE's); return TABLE."""
    table = _table("hash-table-merge!", t)
    for h in _table("hash-table-merge!", other).handles():
        table.put(h.car, h.cdr)
    return table


python_module("schemos srfi-69", {
    **{f.scm_name: f for f in (
        srfi69_hash, hash_by_identity, make_hash_table, hash_table_p, alist_to_hash_table,
        hash_table_equivalence_function, hash_table_hash_function, hash_table_ref,
        hash_table_ref_default, hash_table_set, hash_table_delete, hash_table_exists,
        hash_table_update, hash_table_update_default, hash_table_size, hash_table_keys,
        hash_table_values, hash_table_walk, hash_table_fold, hash_table_to_alist,
        hash_table_copy, hash_table_merge)},
    # SRFI-125's name for hash-table-exists? (not in Guile's SRFI-69)
    "hash-table-contains?": hash_table_exists,
    "string-ci-hash": string_hash_ci,
})
