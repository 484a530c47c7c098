"""Pairs and lists: R7RS, Guile's core list procedures, alists, sorting and
the SRFI-1 procedures Guix code uses.

Every loop here is iterative, so million-element lists are fine.  Procedures
that Guile's default environment does not have (most of SRFI-1) are still
registered as primitives; :data:`SRFI1_NAMES` lists them so that the module
system can export them from ``(srfi srfi-1)`` and hide them by default.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schemos.datum import NIL, UNSPECIFIED, Pair, Values, is_list, list_length
from schemos.errors import out_of_range, wrong_type
from schemos.runtime.builtin_errors import wrong_type_arg, wrong_type_msg, wrong_type_nopos
from schemos.runtime.core import TailCall, call, not_a_procedure, primitive, trampoline
from schemos.runtime.core import _arity_error as _core_arity_error
from schemos.runtime.equality import is_eq, is_equal, is_eqv
from schemos.runtime.numbers import add2, mul2

# ---------------------------------------------------------------- helpers


def _call_error(f: Any, e: TypeError) -> Exception:
    """Convert a TypeError raised by calling ``f`` as :func:`call` does."""
    if not callable(f):
        return not_a_procedure(f)
    return _core_arity_error(f, e)


def build_list(items: list[Any], tail: Any = NIL) -> Any:
    """Build a Scheme list from a Python list (without recursion)."""
    r = tail
    for x in reversed(items):
        r = Pair(x, r)
    return r


def _items(who: str, pos: int, lst: Any) -> list[Any]:
    """Elements of the proper list ``lst`` or Guile's error for ``who``."""
    out: list[Any] = []
    append = out.append
    p = lst
    while type(p) is Pair:
        append(p.car)
        p = p.cdr
        if (len(out) & 0xFFFFF) == 0 and not is_list(lst):
            raise wrong_type_arg(who, pos, lst)
    if p is not NIL:
        raise wrong_type_arg(who, pos, lst)
    return out


def _not_a_list(who: str, lst: Any) -> Exception:
    return wrong_type_msg(who, "Not a list: ~S", lst)


def _list_items(who: str, lst: Any) -> list[Any]:
    """Elements of a proper list, else boot-9's ``Not a list`` error."""
    out: list[Any] = []
    append = out.append
    p = lst
    while type(p) is Pair:
        append(p.car)
        p = p.cdr
        if (len(out) & 0xFFFFF) == 0 and not is_list(lst):
            raise _not_a_list(who, lst)
    if p is not NIL:
        raise _not_a_list(who, lst)
    return out


def _rows(who: str, pos: int, lists: list[Any], not_a_list: bool = False) -> list[tuple[Any, ...]]:
    """The argument tuples of an n-ary map over ``lists``, up to the shortest list.

    The lists are walked side by side, so that all but one may be circular
    (SRFI-1: ``(map + '(1 2) (circular-list 0))`` is ``(1 2)``).  ``pos`` is
    the argument position of the first list, for errors.
    """
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    if len(lists) == 2:  # the common case, without the per-row lists
        p, q = lists
        while type(p) is Pair and type(q) is Pair:
            append((p.car, q.car))
            p = p.cdr
            q = q.cdr
            if (len(rows) & 0xFFFFF) == 0:
                _check_not_all_circular(who, pos, lists, not_a_list)
        ends = [p, q]
    else:
        ps = list(lists)
        while all(type(p) is Pair for p in ps):
            append(tuple([p.car for p in ps]))
            ps = [p.cdr for p in ps]
            if (len(rows) & 0xFFFFF) == 0:
                _check_not_all_circular(who, pos, lists, not_a_list)
        ends = ps
    for i, p in enumerate(ends):
        if type(p) is not Pair and p is not NIL:
            # the list that ended first is improper
            if not_a_list:
                raise _not_a_list(who, lists[i])
            raise wrong_type_arg(who, pos + i, lists[i])
        if p is NIL:
            break
    return rows


def _check_not_all_circular(who: str, pos: int, lists: list[Any], not_a_list: bool) -> None:
    if not any(is_list(x) for x in lists):
        # every list is circular (or improper): there is no shortest one
        if not_a_list:
            raise _not_a_list(who, lists[0])
        raise wrong_type_arg(who, pos, lists[0])


def _truthy_pred(pred: Any) -> Callable[..., bool]:
    def test(*args: Any) -> bool:
        return call(pred, *args) is not False

    return test


# ---------------------------------------------------------------- pairs


@primitive("cons", "(x y)")
def cons(x: Any, y: Any) -> Pair:
    """Return a newly allocated pair whose car is X and whose cdr is Y."""
    return Pair(x, y)


@primitive("car", "(pair)")
def car(pair: Any) -> Any:
    """Return the car of PAIR."""
    if type(pair) is Pair:
        return pair.car
    raise wrong_type("car", 1, "pair", pair)


@primitive("cdr", "(pair)")
def cdr(pair: Any) -> Any:
    """Return the cdr of PAIR."""
    if type(pair) is Pair:
        return pair.cdr
    raise wrong_type("cdr", 1, "pair", pair)


@primitive("set-car!", "(pair value)")
def set_car(pair: Any, value: Any) -> Any:
    """Stores VALUE in the car field of PAIR.  The value returned is unspecified."""
    if type(pair) is not Pair:
        raise wrong_type("set-car!", 1, "pair", pair)
    pair.car = value
    return UNSPECIFIED


@primitive("set-cdr!", "(pair value)")
def set_cdr(pair: Any, value: Any) -> Any:
    """Stores VALUE in the cdr field of PAIR.  The value returned is unspecified."""
    if type(pair) is not Pair:
        raise wrong_type("set-cdr!", 1, "pair", pair)
    pair.cdr = value
    return UNSPECIFIED


def _make_cxr(name: str) -> Callable[[Any], Any]:
    ops = name[1:-1]
    lines = [f"def {name.replace('-', '_')}(x):"]
    lines.append(f"    \"\"\"Return the {name} of X.\"\"\"")
    for op in reversed(ops):
        field = "car" if op == "a" else "cdr"
        lines.append("    if type(x) is not Pair:")
        # like Guile's compiled code, report the car or cdr that failed
        lines.append(f"        raise wrong_type({field!r}, 1, 'pair', x)")
        lines.append(f"    x = x.{field}")
    lines.append("    return x")
    ns: dict[str, Any] = {"Pair": Pair, "wrong_type": wrong_type}
    exec("\n".join(lines), ns)
    return ns[name.replace("-", "_")]


def _all_cxr_names() -> list[str]:
    names = []
    for n in (2, 3, 4):
        for i in range(2 ** n):
            ops = "".join("a" if (i >> (n - 1 - k)) & 1 == 0 else "d" for k in range(n))
            names.append("c" + ops + "r")
    return names


CXR: dict[str, Callable[[Any], Any]] = {}
for _name in _all_cxr_names():
    CXR[_name] = primitive(_name, "(x)")(_make_cxr(_name))
cadr = CXR["cadr"]
cddr = CXR["cddr"]
caar = CXR["caar"]
cdar = CXR["cdar"]
caddr = CXR["caddr"]


@primitive("pair?", "(x)")
def is_pair(x: Any) -> bool:
    """Return #t if X is a pair; otherwise return #f."""
    return type(x) is Pair


@primitive("null?", "(x)")
def is_null(x: Any) -> bool:
    """Return #t iff X is the empty list, else #f."""
    return x is NIL


@primitive("list?", "(x)")
def is_list_p(x: Any) -> bool:
    """Return #t if X is a proper list, else #f."""
    return is_list(x)


@primitive("list", "objs")
def scm_list(*objs: Any) -> Any:
    """Return a list containing OBJS, the arguments to list."""
    r = NIL
    for x in reversed(objs):
        r = Pair(x, r)
    return r


@primitive("cons*", "(arg . rest)")
def cons_star(arg: Any, *rest: Any) -> Any:
    """Like list, but the last arg provides the tail of the constructed list."""
    if not rest:
        return arg
    r = rest[-1]
    for x in reversed(rest[:-1]):
        r = Pair(x, r)
    return Pair(arg, r)


alias_names: dict[str, Any] = {}


@primitive("make-list", "(n #:optional init)")
def make_list(n: Any, init: Any = NIL) -> Any:
    """Create a list containing of N elements, where each element is initialized to INIT."""
    if type(n) is not int or n < 0:
        raise wrong_type("make-list", 1, "exact non-negative integer", n)
    r = NIL
    for _ in range(n):
        r = Pair(init, r)
    return r


@primitive("length", "(lst)")
def length(lst: Any) -> int:
    """Return the number of elements in list LST."""
    n = list_length(lst)
    if n < 0:
        raise wrong_type_arg("length", 1, lst)
    return n


@primitive("length+", "(lst)")
def length_plus(lst: Any) -> Any:
    """Return the length of LST, or #f if it is circular."""
    n = 0
    slow = lst
    x = lst
    while True:
        if type(x) is not Pair:
            return n
        x = x.cdr
        n += 1
        if type(x) is not Pair:
            return n
        x = x.cdr
        n += 1
        slow = slow.cdr
        if x is slow:
            return False


@primitive("append", "args")
def append(*args: Any) -> Any:
    """Return a list consisting of the elements the lists passed as arguments.
    The resulting list is always newly allocated, except that it shares
    structure with the last list argument."""
    n = len(args)
    if n == 0:
        return NIL
    result = args[-1]
    for i in range(n - 2, -1, -1):
        lst = args[i]
        if lst is NIL:
            continue
        items = []
        p = lst
        while type(p) is Pair:
            items.append(p.car)
            p = p.cdr
        if p is not NIL:
            raise wrong_type(
                "append", i + 1, "empty list", p)
        for x in reversed(items):
            result = Pair(x, result)
    return result


@primitive("append!", "args")
def append_bang(*args: Any) -> Any:
    """A destructive version of append: the cdr field of each list's last pair
    is changed to point to the next list."""
    result: Any = NIL
    last: Any = None
    for i, lst in enumerate(args):
        if lst is NIL:
            continue
        if last is None:
            result = lst
        else:
            last.cdr = lst
        if i == len(args) - 1:
            break
        if type(lst) is not Pair:
            raise wrong_type("append!", i + 1, "pair", lst)
        p = lst
        while type(p.cdr) is Pair:
            p = p.cdr
        last = p
    return result


@primitive("reverse", "(lst)")
def reverse(lst: Any) -> Any:
    """Return a new list that contains the elements of LST but in reverse order."""
    r = NIL
    p = lst
    while type(p) is Pair:
        r = Pair(p.car, r)
        p = p.cdr
    if p is not NIL:
        raise wrong_type_arg("reverse", 1, lst)
    return r


@primitive("reverse!", "(lst #:optional new_tail)")
def reverse_bang(lst: Any, new_tail: Any = NIL) -> Any:
    """A destructive version of reverse; the last cdr is set to NEW_TAIL."""
    r = new_tail
    p = lst
    while type(p) is Pair:
        nxt = p.cdr
        p.cdr = r
        r = p
        p = nxt
    if p is not NIL:
        raise wrong_type("reverse!", 1, "list", lst)
    return r


@primitive("append-reverse", "(rev-head tail)")
def append_reverse(rev_head: Any, tail: Any) -> Any:
    """Reverse REV-HEAD, append TAIL to it, and return the result."""
    r = tail
    p = rev_head
    while type(p) is Pair:
        r = Pair(p.car, r)
        p = p.cdr
    return r


@primitive("append-reverse!", "(rev-head tail)")
def append_reverse_bang(rev_head: Any, tail: Any) -> Any:
    """Reverse REV-HEAD destructively, append TAIL to it, and return the result."""
    return reverse_bang(rev_head, tail)


def _check_index(who: str, k: Any) -> None:
    if type(k) is not int:
        raise wrong_type_nopos(who, "exact integer", k)
    if k < 0:
        raise out_of_range(who, 2, k)


@primitive("list-tail", "(lst k)")
def list_tail(lst: Any, k: Any) -> Any:
    """Return the "tail" of LST beginning with its Kth element."""
    _check_index("list-tail", k)
    p = lst
    for _ in range(k):
        if type(p) is not Pair:
            raise wrong_type("list-tail", 1, "pair", p)
        p = p.cdr
    return p


@primitive("list-head", "(lst k)")
def list_head(lst: Any, k: Any) -> Any:
    """Copy the first K elements from LST into a new list, and return it."""
    _check_index("list-head", k)
    items = []
    p = lst
    for _ in range(k):
        if type(p) is not Pair:
            raise wrong_type("list-head", 1, "pair", p)
        items.append(p.car)
        p = p.cdr
    return build_list(items)


@primitive("list-ref", "(list k)")
def list_ref(lst: Any, k: Any) -> Any:
    """Return the Kth element from LIST."""
    _check_index("list-ref", k)
    p = lst
    for _ in range(k):
        if type(p) is not Pair:
            raise out_of_range("list-ref", 2, k)
        p = p.cdr
    if type(p) is not Pair:
        raise out_of_range("list-ref", 2, k)
    return p.car


@primitive("list-set!", "(list k val)")
def list_set(lst: Any, k: Any, val: Any) -> Any:
    """Set the Kth element of LIST to VAL."""
    _check_index("list-set!", k)
    p = lst
    for _ in range(k):
        if type(p) is not Pair:
            raise out_of_range("list-set!", 2, k)
        p = p.cdr
    if type(p) is not Pair:
        raise out_of_range("list-set!", 2, k)
    p.car = val
    return UNSPECIFIED


@primitive("list-cdr-set!", "(list k val)")
def list_cdr_set(lst: Any, k: Any, val: Any) -> Any:
    """Set the Kth cdr of LIST to VAL."""
    _check_index("list-cdr-set!", k)
    p = lst
    for _ in range(k):
        if type(p) is not Pair:
            raise out_of_range("list-cdr-set!", 2, k)
        p = p.cdr
    if type(p) is not Pair:
        raise out_of_range("list-cdr-set!", 2, k)
    p.cdr = val
    return UNSPECIFIED


@primitive("list-copy", "(lst)")
def list_copy(lst: Any) -> Any:
    """Return a (newly-created) copy of LST."""
    items = []
    p = lst
    while type(p) is Pair:
        items.append(p.car)
        p = p.cdr
    return build_list(items, p)


@primitive("last-pair", "(lst)")
def last_pair(lst: Any) -> Any:
    """Return the last pair in LST, or '() if LST is empty."""
    if type(lst) is not Pair:
        if lst is NIL:
            return NIL
        raise wrong_type("last-pair", 1, "list", lst)
    p = lst
    while type(p.cdr) is Pair:
        p = p.cdr
    return p


# ---------------------------------------------------------------- membership


def _mem(who: str, x: Any, lst: Any, test: Callable[[Any, Any], bool]) -> Any:
    p = lst
    while type(p) is Pair:
        if test(x, p.car):
            return p
        p = p.cdr
    if p is not NIL:
        raise wrong_type(who, 2, "list", lst)
    return False


@primitive("memq", "(x lst)")
def memq(x: Any, lst: Any) -> Any:
    """Return the first sublist of LST whose car is eq? to X."""
    p = lst
    if type(x) is int:
        return _mem("memq", x, lst, is_eq)
    while type(p) is Pair:
        if p.car is x:
            return p
        p = p.cdr
    if p is not NIL:
        raise wrong_type("memq", 2, "list", lst)
    return False


@primitive("memv", "(x lst)")
def memv(x: Any, lst: Any) -> Any:
    """Return the first sublist of LST whose car is eqv? to X."""
    return _mem("memv", x, lst, is_eqv)


@primitive("member", "(x lst #:optional =)")
def member(x: Any, lst: Any, pred: Any = None) -> Any:
    """Return the first sublist of LST whose car is equal? to X (or satisfies (= X elt))."""
    if pred is None:
        return _mem("member", x, lst, is_equal)
    p = lst
    while type(p) is Pair:
        if call(pred, x, p.car) is not False:
            return p
        p = p.cdr
    return False


def _ass(who: str, x: Any, alist: Any, test: Callable[[Any, Any], bool]) -> Any:
    p = alist
    while type(p) is Pair:
        e = p.car
        if type(e) is not Pair:
            raise wrong_type(who, 2, "association list", alist)
        if test(x, e.car):
            return e
        p = p.cdr
    if p is not NIL:
        raise wrong_type(who, 2, "association list", alist)
    return False


@primitive("assq", "(key alist)")
def assq(key: Any, alist: Any) -> Any:
    """Return the first pair in ALIST whose car is eq? to KEY."""
    if type(key) is int:
        return _ass("assq", key, alist, is_eq)
    p = alist
    while type(p) is Pair:
        e = p.car
        if type(e) is not Pair:
            raise wrong_type("assq", 2, "association list", alist)
        if e.car is key:
            return e
        p = p.cdr
    if p is not NIL:
        raise wrong_type("assq", 2, "association list", alist)
    return False


@primitive("assv", "(key alist)")
def assv(key: Any, alist: Any) -> Any:
    """Return the first pair in ALIST whose car is eqv? to KEY."""
    return _ass("assv", key, alist, is_eqv)


@primitive("assoc", "(key alist #:optional =)")
def assoc(key: Any, alist: Any, pred: Any = None) -> Any:
    """Return the first pair in ALIST whose car is equal? to KEY (or satisfies (= KEY car))."""
    if pred is None:
        return _ass("assoc", key, alist, is_equal)
    p = alist
    while type(p) is Pair:
        e = p.car
        if type(e) is not Pair:
            raise wrong_type("assoc", 2, "association list", alist)
        if call(pred, key, e.car) is not False:
            return e
        p = p.cdr
    return False


# ---------------------------------------------------------------- Guile alists


@primitive("acons", "(key value alist)")
def acons(key: Any, value: Any, alist: Any) -> Pair:
    """Add a new key-value pair to ALIST.  A new pair is created whose car is
    KEY and whose cdr is VALUE, and the pair is consed onto ALIST."""
    return Pair(Pair(key, value), alist)


def _alist_find(alist: Any, key: Any, test: Callable[[Any, Any], bool]) -> Any:
    p = alist
    while type(p) is Pair:
        e = p.car
        if type(e) is Pair and test(key, e.car):
            return e
        p = p.cdr
    return False


@primitive("assq-ref", "(alist key)")
def assq_ref(alist: Any, key: Any) -> Any:
    """Like assq, but return the value associated with KEY in ALIST, or #f."""
    e = _alist_find(alist, key, is_eq)
    return e.cdr if e is not False else False


@primitive("assv-ref", "(alist key)")
def assv_ref(alist: Any, key: Any) -> Any:
    """Like assv, but return the value associated with KEY in ALIST, or #f."""
    e = _alist_find(alist, key, is_eqv)
    return e.cdr if e is not False else False


@primitive("assoc-ref", "(alist key)")
def assoc_ref(alist: Any, key: Any) -> Any:
    """Like assoc, but return the value associated with KEY in ALIST, or #f."""
    e = _alist_find(alist, key, is_equal)
    return e.cdr if e is not False else False


def _alist_set(alist: Any, key: Any, val: Any, test: Callable[[Any, Any], bool]) -> Any:
    e = _alist_find(alist, key, test)
    if e is not False:
        e.cdr = val
        return alist
    return Pair(Pair(key, val), alist)


@primitive("assq-set!", "(alist key val)")
def assq_set(alist: Any, key: Any, val: Any) -> Any:
    """Reassociate KEY in ALIST with VAL (eq?), or add a new entry; return the alist."""
    return _alist_set(alist, key, val, is_eq)


@primitive("assv-set!", "(alist key val)")
def assv_set(alist: Any, key: Any, val: Any) -> Any:
    """Reassociate KEY in ALIST with VAL (eqv?), or add a new entry; return the alist."""
    return _alist_set(alist, key, val, is_eqv)


@primitive("assoc-set!", "(alist key val)")
def assoc_set(alist: Any, key: Any, val: Any) -> Any:
    """Reassociate KEY in ALIST with VAL (equal?), or add a new entry; return the alist."""
    return _alist_set(alist, key, val, is_equal)


def _alist_remove(alist: Any, key: Any, test: Callable[[Any, Any], bool]) -> Any:
    prev = None
    p = alist
    while type(p) is Pair:
        e = p.car
        if type(e) is Pair and test(key, e.car):
            if prev is None:
                return p.cdr
            prev.cdr = p.cdr
            return alist
        prev = p
        p = p.cdr
    return alist


@primitive("assq-remove!", "(alist key)")
def assq_remove(alist: Any, key: Any) -> Any:
    """Delete the first entry in ALIST associated with KEY (eq?), and return the
    resulting alist."""
    return _alist_remove(alist, key, is_eq)


@primitive("assv-remove!", "(alist key)")
def assv_remove(alist: Any, key: Any) -> Any:
    """Delete the first entry in ALIST associated with KEY (eqv?), and return the
    resulting alist."""
    return _alist_remove(alist, key, is_eqv)


@primitive("assoc-remove!", "(alist key)")
def assoc_remove(alist: Any, key: Any) -> Any:
    """Delete the first entry in ALIST associated with KEY (equal?), and return the
    resulting alist."""
    return _alist_remove(alist, key, is_equal)


@primitive("alist-copy", "(alist)")
def alist_copy(alist: Any) -> Any:
    """Return a copy of ALIST, copying both the pairs comprising the list and those
    making the associations."""
    items = []
    p = alist
    while type(p) is Pair:
        e = p.car
        items.append(Pair(e.car, e.cdr) if type(e) is Pair else e)
        p = p.cdr
    return build_list(items, p)


@primitive("alist-delete", "(key alist #:optional =)")
def alist_delete(key: Any, alist: Any, pred: Any = None) -> Any:
    """Return a list containing the elements of ALIST but with those elements whose
    keys are equal to KEY deleted."""
    items = []
    p = alist
    while type(p) is Pair:
        e = p.car
        same = (call(pred, key, e.car) is not False) if pred is not None \
            else is_equal(key, e.car)
        if not same:
            items.append(e)
        p = p.cdr
    return build_list(items)


alias_names["alist-delete!"] = alist_delete


# ---------------------------------------------------------------- map & co


@primitive("map", "(f l . ls)")
def scm_map(f: Any, lst: Any, *more: Any) -> Any:
    """Apply F element-wise to the elements of the lists and return a list of the
    results, in order.  Iteration stops at the end of the shortest list."""
    if not more:
        items = _list_items("map", lst)
        out = []
        append = out.append
        try:
            for x in items:
                r = f(x)
                if r.__class__ is TailCall:
                    r = trampoline(r)
                append(r)
        except TypeError as e:
            raise _call_error(f, e) from None
        r = NIL
        for x in reversed(out):
            r = Pair(x, r)
        return r
    out = [call(f, *args) for args in _rows("map", 2, [lst, *more], not_a_list=True)]
    return build_list(out)


alias_names["map-in-order"] = scm_map


@primitive("for-each", "(f l . ls)")
def for_each(f: Any, lst: Any, *more: Any) -> Any:
    """Apply F to each element of the lists in turn, for its side effects.
    Iteration stops at the end of the shortest list."""
    if not more:
        if type(lst) is not Pair:
            if lst is NIL:
                return UNSPECIFIED
            raise _not_a_list("for-each", lst)
        if not is_list(lst):
            raise _not_a_list("for-each", lst)
        p = lst
        try:
            while type(p) is Pair:
                r = f(p.car)
                if r.__class__ is TailCall:
                    trampoline(r)
                p = p.cdr
        except TypeError as e:
            raise _call_error(f, e) from None
        return UNSPECIFIED
    for args in _rows("for-each", 2, [lst, *more], not_a_list=True):
        call(f, *args)
    return UNSPECIFIED


@primitive("append-map", "(f l . ls)")
def append_map(f: Any, lst: Any, *more: Any) -> Any:
    """Equivalent to (apply append (map f lst1 lst2 ...))."""
    results = _items("append-map", 2, scm_map(f, lst, *more))
    return append(*results) if results else NIL


@primitive("filter-map", "(f l . ls)")
def filter_map(f: Any, lst: Any, *more: Any) -> Any:
    """Map F over the lists and return a list of the true results."""
    out = []
    for args in _rows("filter-map", 2, [lst, *more]):
        r = call(f, *args)
        if r is not False:
            out.append(r)
    return build_list(out)


@primitive("filter", "(pred list)")
def scm_filter(pred: Any, lst: Any) -> Any:
    """Return all the elements of LIST that satisfy PRED."""
    items = _items("filter", 2, lst)
    out = []
    try:
        for x in items:
            r = pred(x)
            if r.__class__ is TailCall:
                r = trampoline(r)
            if r is not False:
                out.append(x)
    except TypeError as e:
        raise _call_error(pred, e) from None
    return build_list(out)


alias_names["filter!"] = scm_filter


@primitive("remove", "(pred list)")
def scm_remove(pred: Any, lst: Any) -> Any:
    """Return a list containing all elements from LIST which do not satisfy PRED."""
    items = _items("remove", 2, lst)
    return build_list([x for x in items if call(pred, x) is False])


alias_names["remove!"] = scm_remove


@primitive("partition", "(pred list)")
def partition(pred: Any, lst: Any) -> Any:
    """Return two values: the elements of LIST that satisfy PRED, and those that don't."""
    yes, no = [], []
    for x in _items("partition", 2, lst):
        (yes if call(pred, x) is not False else no).append(x)
    return Values((build_list(yes), build_list(no)))


alias_names["partition!"] = partition


def _delete(who: str, x: Any, lst: Any, test: Callable[[Any, Any], bool]) -> Any:
    items = _items(who, 2, lst)
    return build_list([y for y in items if not test(x, y)])


@primitive("delete", "(item lst #:optional =)")
def delete(item: Any, lst: Any, pred: Any = None) -> Any:
    """Return a newly-created copy of LST with elements equal? to ITEM removed."""
    if pred is None:
        return _delete("delete", item, lst, is_equal)
    return _delete("delete", item, lst, _truthy_pred(pred))


@primitive("delete!", "(item lst #:optional =)")
def delete_bang(item: Any, lst: Any, pred: Any = None) -> Any:
    """Like delete, but may modify LST."""
    if pred is None:
        return _delete("delete!", item, lst, is_equal)
    return _delete("delete!", item, lst, _truthy_pred(pred))


@primitive("delq", "(item lst)")
def delq(item: Any, lst: Any) -> Any:
    """Return a newly-created copy of LST with elements eq? to ITEM removed."""
    return _delete("delq", item, lst, is_eq)


@primitive("delv", "(item lst)")
def delv(item: Any, lst: Any) -> Any:
    """Return a newly-created copy of LST with elements eqv? to ITEM removed."""
    return _delete("delv", item, lst, is_eqv)


alias_names["delq!"] = delq
alias_names["delv!"] = delv


def _delete1(x: Any, lst: Any, test: Callable[[Any, Any], bool]) -> Any:
    prev = None
    p = lst
    while type(p) is Pair:
        if test(x, p.car):
            if prev is None:
                return p.cdr
            prev.cdr = p.cdr
            return lst
        prev = p
        p = p.cdr
    return lst


@primitive("delq1!", "(item lst)")
def delq1(item: Any, lst: Any) -> Any:
    """Destructively remove the first element eq? to ITEM from LST."""
    return _delete1(item, lst, is_eq)


@primitive("delv1!", "(item lst)")
def delv1(item: Any, lst: Any) -> Any:
    """Destructively remove the first element eqv? to ITEM from LST."""
    return _delete1(item, lst, is_eqv)


@primitive("delete1!", "(item lst)")
def delete1(item: Any, lst: Any) -> Any:
    """Destructively remove the first element equal? to ITEM from LST."""
    return _delete1(item, lst, is_equal)


@primitive("delete-duplicates", "(lst #:optional =)")
def delete_duplicates(lst: Any, pred: Any = None) -> Any:
    """Return a list containing the elements of LST but without duplicates; the
    first occurrence of each element is kept."""
    items = _items("delete-duplicates", 1, lst)
    out: list[Any] = []
    if pred is None:
        from schemos.runtime.hashtables import equal_key

        seen: set[Any] = set()
        for x in items:
            k = equal_key(x)
            if k not in seen:
                seen.add(k)
                out.append(x)
        return build_list(out)
    for x in items:
        if not any(call(pred, y, x) is not False for y in out):
            out.append(x)
    return build_list(out)


alias_names["delete-duplicates!"] = delete_duplicates


@primitive("list-index", "(pred l . ls)")
def list_index(pred: Any, lst: Any, *more: Any) -> Any:
    """Return the index of the first set of elements of the lists satisfying PRED, or #f."""
    if not more:
        i = 0
        p = lst
        while type(p) is Pair:
            if call(pred, p.car) is not False:
                return i
            i += 1
            p = p.cdr
        return False
    for i, args in enumerate(_rows("list-index", 2, [lst, *more])):
        if call(pred, *args) is not False:
            return i
    return False


@primitive("iota", "(count #:optional start step)")
def iota(count: Any, start: Any = 0, step: Any = 1) -> Any:
    """Return a list containing COUNT numbers, starting from START and adding STEP each time."""
    if type(count) is not int or count < 0:
        raise wrong_type("iota", 1, "exact non-negative integer", count)
    if type(start) is int and type(step) is int:
        return build_list(list(range(start, start + count * step, step))
                          if step else [start] * count)
    return build_list([add2(start, mul2(i, step)) for i in range(count)])


@primitive("list-tabulate", "(n init-proc)")
def list_tabulate(n: Any, init_proc: Any) -> Any:
    """Return an N-element list, where each list element is produced by applying
    the procedure INIT-PROC to the corresponding list index."""
    if type(n) is not int or n < 0:
        raise wrong_type("list-tabulate", 1, "exact non-negative integer", n)
    return build_list([call(init_proc, i) for i in range(n)])


# ---------------------------------------------------------------- folds (SRFI-1)


@primitive("fold", "(proc init lst . lsts)")
def fold(proc: Any, init: Any, lst: Any, *more: Any) -> Any:
    """Apply PROC to the elements of the lists and the accumulator, left to right:
    (proc elem1 ... acc)."""
    acc = init
    if not more:
        p = lst
        try:
            while type(p) is Pair:
                acc = proc(p.car, acc)
                if acc.__class__ is TailCall:
                    acc = trampoline(acc)
                p = p.cdr
        except TypeError as e:
            raise _call_error(proc, e) from None
        if p is not NIL:
            raise wrong_type("fold", 3, "list", lst)
        return acc
    for args in _rows("fold", 3, [lst, *more]):
        acc = call(proc, *args, acc)
    return acc


@primitive("fold-right", "(proc init lst . lsts)")
def fold_right(proc: Any, init: Any, lst: Any, *more: Any) -> Any:
    """Apply PROC to the elements of the lists and the accumulator, right to left."""
    acc = init
    if not more:
        for x in reversed(_items("fold-right", 3, lst)):
            acc = call(proc, x, acc)
        return acc
    columns = [_items("fold-right", 3, lst)] + [_items("fold-right", 4, m) for m in more]
    rows = list(zip(*columns, strict=False))
    for args in reversed(rows):
        acc = call(proc, *args, acc)
    return acc


@primitive("fold-left", "(proc init lst . lsts)")
def fold_left(proc: Any, init: Any, lst: Any, *more: Any) -> Any:
    """R6RS fold-left: (proc acc elem1 ...), left to right."""
    acc = init
    columns = [_items("fold-left", 3, lst)] + [_items("fold-left", 4, m) for m in more]
    for args in zip(*columns, strict=False):
        acc = call(proc, acc, *args)
    return acc


@primitive("reduce", "(proc default lst)")
def reduce(proc: Any, default: Any, lst: Any) -> Any:
    """Like fold, but the first element of LST is the initial value; DEFAULT is
    returned if LST is empty."""
    items = _items("reduce", 3, lst)
    if not items:
        return default
    acc = items[0]
    for x in items[1:]:
        acc = call(proc, x, acc)
    return acc


@primitive("reduce-right", "(proc default lst)")
def reduce_right(proc: Any, default: Any, lst: Any) -> Any:
    """Like fold-right, but the last element of LST is the initial value."""
    items = _items("reduce-right", 3, lst)
    if not items:
        return default
    acc = items[-1]
    for x in reversed(items[:-1]):
        acc = call(proc, x, acc)
    return acc


@primitive("find", "(pred lst)")
def find(pred: Any, lst: Any) -> Any:
    """Return the first element of LST that satisfies PRED, or #f."""
    p = lst
    while type(p) is Pair:
        if call(pred, p.car) is not False:
            return p.car
        p = p.cdr
    return False


@primitive("find-tail", "(pred lst)")
def find_tail(pred: Any, lst: Any) -> Any:
    """Return the first pair of LST whose car satisfies PRED, or #f."""
    p = lst
    while type(p) is Pair:
        if call(pred, p.car) is not False:
            return p
        p = p.cdr
    return False


@primitive("any", "(pred lst . lsts)")
def scm_any(pred: Any, lst: Any, *more: Any) -> Any:
    """Return the first true value of PRED applied to the elements of the lists, or #f."""
    if not more:
        p = lst
        while type(p) is Pair:
            r = call(pred, p.car)
            if r is not False:
                return r
            p = p.cdr
        return False
    for args in _rows("any", 2, [lst, *more]):
        r = call(pred, *args)
        if r is not False:
            return r
    return False


@primitive("every", "(pred lst . lsts)")
def scm_every(pred: Any, lst: Any, *more: Any) -> Any:
    """Return #f if PRED is false for some element, else the value of its last call (#t
    for empty lists)."""
    r: Any = True
    if not more:
        p = lst
        while type(p) is Pair:
            r = call(pred, p.car)
            if r is False:
                return False
            p = p.cdr
        return r
    for args in _rows("every", 2, [lst, *more]):
        r = call(pred, *args)
        if r is False:
            return False
    return r


@primitive("count", "(pred lst . lsts)")
def count(pred: Any, lst: Any, *more: Any) -> int:
    """Return the number of elements (or sets of elements) satisfying PRED."""
    rows = _rows("count", 2, [lst, *more]) if more else [(x,) for x in _items("count", 2, lst)]
    n = 0
    for args in rows:
        if call(pred, *args) is not False:
            n += 1
    return n


# ---------------------------------------------------------------- SRFI-1 selectors


def _nth(name: str, k: int) -> Callable[[Any], Any]:
    def nth(lst: Any) -> Any:
        p = lst
        for _ in range(k):
            if type(p) is not Pair:
                raise wrong_type(name, 1, "pair", p)
            p = p.cdr
        if type(p) is not Pair:
            raise wrong_type(name, 1, "pair", p)
        return p.car

    nth.__name__ = name
    nth.__doc__ = f"Return element {k} (0-based) of the list."
    return nth


for _i, _n in enumerate(("first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                         "eighth", "ninth", "tenth")):
    primitive(_n, "(lst)")(_nth(_n, _i))


@primitive("last", "(lst)")
def last(lst: Any) -> Any:
    """Return the last element of the non-empty, finite list LST."""
    if type(lst) is not Pair:
        raise wrong_type("last", 1, "pair", lst)
    return last_pair(lst).car


@primitive("car+cdr", "(pair)")
def car_cdr(pair: Any) -> Any:
    """Return two values, the car and the cdr of PAIR."""
    if type(pair) is not Pair:
        raise wrong_type("car+cdr", 1, "pair", pair)
    return Values((pair.car, pair.cdr))


@primitive("xcons", "(d a)")
def xcons(d: Any, a: Any) -> Pair:
    """Like cons, but with interchanged arguments."""
    return Pair(a, d)


@primitive("take", "(lst i)")
def take(lst: Any, i: Any) -> Any:
    """Return a list containing the first I elements of LST."""
    return list_head(lst, i)


@primitive("drop", "(lst i)")
def drop(lst: Any, i: Any) -> Any:
    """Return a list containing all but the first I elements of LST."""
    return list_tail(lst, i)


alias_names["take!"] = take


@primitive("take-right", "(lst i)")
def take_right(lst: Any, i: Any) -> Any:
    """Return the last I elements of LST."""
    _check_index("take-right", i)
    n = 0
    p = lst
    while type(p) is Pair:
        n += 1
        p = p.cdr
    if i > n:
        raise wrong_type("take-right", 1, "pair", NIL)
    return list_tail(lst, n - i)


@primitive("drop-right", "(lst i)")
def drop_right(lst: Any, i: Any) -> Any:
    """Return all but the last I elements of LST."""
    _check_index("drop-right", i)
    items = []
    p = lst
    while type(p) is Pair:
        items.append(p.car)
        p = p.cdr
    if i > len(items):
        raise wrong_type("drop-right", 1, "pair", NIL)
    return build_list(items[: len(items) - i])


alias_names["drop-right!"] = drop_right


@primitive("split-at", "(lst i)")
def split_at(lst: Any, i: Any) -> Any:
    """Return two values: the first I elements of LST and the rest."""
    return Values((list_head(lst, i), list_tail(lst, i)))


alias_names["split-at!"] = split_at


@primitive("take-while", "(pred lst)")
def take_while(pred: Any, lst: Any) -> Any:
    """Return the longest initial prefix of LST whose elements all satisfy PRED."""
    out = []
    p = lst
    while type(p) is Pair and call(pred, p.car) is not False:
        out.append(p.car)
        p = p.cdr
    return build_list(out)


alias_names["take-while!"] = take_while


@primitive("drop-while", "(pred lst)")
def drop_while(pred: Any, lst: Any) -> Any:
    """Drop the longest initial prefix of LST whose elements all satisfy PRED."""
    p = lst
    while type(p) is Pair and call(pred, p.car) is not False:
        p = p.cdr
    return p


@primitive("span", "(pred lst)")
def span(pred: Any, lst: Any) -> Any:
    """Return two values: the longest prefix satisfying PRED, and the rest."""
    out = []
    p = lst
    while type(p) is Pair and call(pred, p.car) is not False:
        out.append(p.car)
        p = p.cdr
    return Values((build_list(out), p))


@primitive("break", "(pred lst)")
def scm_break(pred: Any, lst: Any) -> Any:
    """Return two values: the longest prefix not satisfying PRED, and the rest."""
    out = []
    p = lst
    while type(p) is Pair and call(pred, p.car) is False:
        out.append(p.car)
        p = p.cdr
    return Values((build_list(out), p))


alias_names["span!"] = span
alias_names["break!"] = scm_break


@primitive("concatenate", "(lsts)")
def concatenate(lsts: Any) -> Any:
    """Construct a list by appending all lists in LSTS."""
    return append(*_items("concatenate", 1, lsts))


alias_names["concatenate!"] = concatenate


@primitive("unfold", "(p f g seed #:optional tail-gen)")
def unfold(p: Any, f: Any, g: Any, seed: Any, tail_gen: Any = None) -> Any:
    """Build a list: (unfold stop? mapper successor seed [tail-gen])."""
    out = []
    while call(p, seed) is False:
        out.append(call(f, seed))
        seed = call(g, seed)
    tail = call(tail_gen, seed) if tail_gen is not None else NIL
    return build_list(out, tail)


@primitive("unfold-right", "(p f g seed #:optional tail)")
def unfold_right(p: Any, f: Any, g: Any, seed: Any, tail: Any = NIL) -> Any:
    """Build a list from right to left: (unfold-right stop? mapper successor seed [tail])."""
    r = tail
    while call(p, seed) is False:
        r = Pair(call(f, seed), r)
        seed = call(g, seed)
    return r


@primitive("zip", "(clist1 . rest)")
def zip_(clist1: Any, *rest: Any) -> Any:
    """Return a list of lists, the Nth of which holds the Nth elements of the lists."""
    return build_list([build_list(list(row)) for row in _rows("zip", 1, [clist1, *rest])])


def _unzip(name: str, n: int) -> Any:
    def unzip(lst: Any) -> Any:
        rows = [_items(name, 1, x) for x in _items(name, 1, lst)]
        cols = [build_list([r[i] for r in rows]) for i in range(n)]
        return cols[0] if n == 1 else Values(tuple(cols))

    unzip.__name__ = name
    unzip.__doc__ = f"Return {n} value(s): the lists of the first {n} elements of each list."
    return unzip


for _k in range(1, 6):
    primitive(f"unzip{_k}", "(lst)")(_unzip(f"unzip{_k}", _k))


@primitive("list=", "(elt= . rest)")
def list_eq(elt_eq: Any, *lists: Any) -> bool:
    """Return #t if all the lists have the same length and their corresponding
    elements are equal according to ELT=."""
    ls = [_items("list=", i + 2, x) for i, x in enumerate(lists)]
    for a, b in zip(ls, ls[1:], strict=False):
        if len(a) != len(b):
            return False
        for x, y in zip(a, b, strict=True):
            if call(elt_eq, x, y) is False:
                return False
    return True


@primitive("proper-list?", "(x)")
def is_proper_list(x: Any) -> bool:
    """Return #t if X is a proper list."""
    return is_list(x)


@primitive("dotted-list?", "(x)")
def is_dotted_list(x: Any) -> bool:
    """Return #t if X is a finite, non-nil-terminated list."""
    n = length_plus(x)
    if n is False:
        return False
    p = x
    while type(p) is Pair:
        p = p.cdr
    return p is not NIL


@primitive("circular-list?", "(x)")
def is_circular_list(x: Any) -> bool:
    """Return #t if X is a circular list."""
    return length_plus(x) is False


@primitive("null-list?", "(lst)")
def is_null_list(lst: Any) -> bool:
    """Return #t if LST is the empty list, #f if it is a pair."""
    if lst is NIL:
        return True
    if type(lst) is Pair:
        return False
    raise wrong_type("null-list?", 1, "list", lst)


@primitive("not-pair?", "(x)")
def is_not_pair(x: Any) -> bool:
    """Return #t if X is not a pair."""
    return type(x) is not Pair


@primitive("lset-adjoin", "(= list . elts)")
def lset_adjoin(eq: Any, lst: Any, *elts: Any) -> Any:
    """Add to LIST any of the ELTS not already in it (as determined by =)."""
    result = lst
    for e in elts:
        p = result
        found = False
        while type(p) is Pair:
            if call(eq, p.car, e) is not False:
                found = True
                break
            p = p.cdr
        if not found:
            result = Pair(e, result)
    return result


@primitive("lset-union", "(= . lists)")
def lset_union(eq: Any, *lists: Any) -> Any:
    """Return the union of the LISTS (as sets, compared with =)."""
    if not lists:
        return NIL
    result = lists[0]
    for lst in lists[1:]:
        if result is NIL:
            result = lst
            continue
        for e in _items("lset-union", 2, lst):
            p = result
            found = False
            while type(p) is Pair:
                if call(eq, p.car, e) is not False:
                    found = True
                    break
                p = p.cdr
            if not found:
                result = Pair(e, result)
    return result


@primitive("lset-intersection", "(= list1 . rest)")
def lset_intersection(eq: Any, list1: Any, *rest: Any) -> Any:
    """Return the elements of LIST1 that are in every one of the REST lists."""
    others = [_items("lset-intersection", 3, r) for r in rest]
    out = [x for x in _items("lset-intersection", 2, list1)
           if all(any(call(eq, x, y) is not False for y in o) for o in others)]
    return build_list(out)


@primitive("lset-difference", "(= list1 . rest)")
def lset_difference(eq: Any, list1: Any, *rest: Any) -> Any:
    """Return the elements of LIST1 that are not in any of the REST lists."""
    others = [_items("lset-difference", 3, r) for r in rest]
    out = [x for x in _items("lset-difference", 2, list1)
           if not any(any(call(eq, x, y) is not False for y in o) for o in others)]
    return build_list(out)


@primitive("lset<=", "(= . lists)")
def lset_le(eq: Any, *lists: Any) -> bool:
    """Return #t if each list is a subset of the one following it."""
    ls = [_items("lset<=", i + 2, x) for i, x in enumerate(lists)]
    for a, b in zip(ls, ls[1:], strict=False):
        if not all(any(call(eq, x, y) is not False for y in b) for x in a):
            return False
    return True


@primitive("lset=", "(= . lists)")
def lset_eq(eq: Any, *lists: Any) -> bool:
    """Return #t if all LISTS are set-equal."""
    ls = [_items("lset=", i + 2, x) for i, x in enumerate(lists)]
    for a, b in zip(ls, ls[1:], strict=False):
        if not all(any(call(eq, x, y) is not False for y in b) for x in a):
            return False
        if not all(any(call(eq, y, x) is not False for x in a) for y in b):
            return False
    return True


# ---------------------------------------------------------------- sorting


class _SortKey:
    __slots__ = ("v", "less")

    def __init__(self, v: Any, less: Any) -> None:
        self.v = v
        self.less = less

    def __lt__(self, other: _SortKey) -> bool:
        return call(self.less, self.v, other.v) is not False


def _sorted_items(items: list[Any], less: Any) -> list[Any]:
    if len(items) < 2:
        return list(items)
    if not callable(less):
        raise not_a_procedure(less)
    keys = [_SortKey(x, less) for x in items]
    keys.sort()
    return [k.v for k in keys]


def _seq_items(who: str, seq: Any) -> list[Any] | None:
    """Elements of a list or vector; None when SEQ is a vector (the caller knows)."""
    if type(seq) is list:
        return None
    if seq is NIL or type(seq) is Pair:
        out = []
        p = seq
        while type(p) is Pair:
            out.append(p.car)
            p = p.cdr
        if p is NIL:
            return out
    raise wrong_type_arg(who, 1, seq)


@primitive("sort", "(items less)")
def sort(items: Any, less: Any) -> Any:
    """Sort the sequence ITEMS, which may be a list or a vector.  LESS is used for
    comparing the sequence elements.  This is a stable sort."""
    lst = _seq_items("sort", items)
    if lst is None:
        return _sorted_items(items, less)
    return build_list(_sorted_items(lst, less))


@primitive("sort!", "(items less)")
def sort_bang(items: Any, less: Any) -> Any:
    """Sort the sequence ITEMS, which may be a list or a vector, in place."""
    lst = _seq_items("sort!", items)
    if lst is None:
        items[:] = _sorted_items(items, less)
        return items
    out = _sorted_items(lst, less)
    p = items
    for x in out:
        p.car = x
        p = p.cdr
    return items


alias_names["stable-sort"] = sort
alias_names["stable-sort!"] = sort_bang


@primitive("sorted?", "(items less)")
def is_sorted(items: Any, less: Any) -> bool:
    """Return #t if ITEMS is a list or vector such that, for each element x and the
    next element y of ITEMS, (less y x) returns #f."""
    lst = _seq_items("sorted?", items)
    seq = items if lst is None else lst
    for i in range(len(seq) - 1):
        if call(less, seq[i + 1], seq[i]) is not False:
            return False
    return True


@primitive("merge", "(alist blist less)")
def merge(alist: Any, blist: Any, less: Any) -> Any:
    """Merge two already sorted lists into one.  Stable: elements of ALIST come
    before equal elements of BLIST."""
    a = _items("merge", 1, alist)
    b = _items("merge", 2, blist)
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        if call(less, b[j], a[i]) is not False:
            out.append(b[j])
            j += 1
        else:
            out.append(a[i])
            i += 1
    out.extend(a[i:])
    out.extend(b[j:])
    return build_list(out)


alias_names["merge!"] = merge


# ---------------------------------------------------------------- small combinators


@primitive("identity", "(x)")
def identity(x: Any) -> Any:
    """Return X."""
    return x


@primitive("const", "(value)")
def const(value: Any) -> Any:
    """Return a procedure that accepts any number of arguments and returns VALUE."""

    def constant(*_args: Any) -> Any:
        return value

    return constant


@primitive("negate", "(proc)")
def negate(proc: Any) -> Any:
    """Return a procedure with the same arity as PROC that returns the not of PROC's result."""

    def negated(*args: Any) -> bool:
        return call(proc, *args) is False

    return negated


@primitive("compose", "(proc . rest)")
def compose(proc: Any, *rest: Any) -> Any:
    """Compose PROC with the procedures in REST, such that the last one in REST is
    applied first and PROC last."""
    procs = (proc,) + rest

    def composed(*args: Any) -> Any:
        r = call(procs[-1], *args)
        for p in reversed(procs[:-1]):
            if type(r) is Values:
                r = call(p, *r.vals)
            else:
                r = call(p, r)
        return r

    return composed


@primitive("noop", "args")
def noop(*args: Any) -> Any:
    """Do nothing.  When called without arguments, return #f."""
    return args[0] if args else False


@primitive("and=>", "(value procedure)")
def and_then(value: Any, procedure: Any) -> Any:
    """When VALUE is #f, return #f.  Otherwise, return (PROCEDURE VALUE)."""
    if value is False:
        return False
    return call(procedure, value)


def _register_aliases() -> None:
    from schemos.runtime.core import alias

    for name, fn in alias_names.items():
        alias(name, fn)


_register_aliases()

#: names registered here that Guile only provides in (srfi srfi-1)
SRFI1_NAMES = frozenset("""
zip unzip1 unzip2 unzip3 unzip4 unzip5 list=
first second third fourth fifth sixth seventh eighth ninth tenth last car+cdr xcons
take drop take! take-right drop-right drop-right! split-at split-at! take-while
take-while! drop-while span break span! break! concatenate concatenate! unfold
unfold-right proper-list? dotted-list? circular-list? null-list? not-pair?
lset-adjoin lset-union lset-intersection lset-difference lset<= lset= fold fold-right
reduce reduce-right find find-tail any every count append-map filter-map partition
partition! remove remove! delete-duplicates delete-duplicates! alist-copy alist-delete
alist-delete! list-tabulate append-reverse append-reverse! length+
""".split())

#: names registered here that Guile provides in (rnrs lists) only
RNRS_LISTS_NAMES = frozenset(["fold-left"])

__all__ = ["build_list", "SRFI1_NAMES", "CXR", "cons", "car", "cdr", "scm_map", "for_each",
           "append", "reverse", "length"]
