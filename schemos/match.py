"""Guile's ``(ice-9 match)``: Alex Shinn's pattern matcher, as Python transformers.

Guile ships the matcher as a tower of ``syntax-rules`` macros that expand each
clause into nested ``let``/``if`` forms with a failure thunk per clause.  Here
a ``match`` form is compiled in one step into forms the compiler turns into
straight-line Python: every clause becomes one ``cond`` test (a conjunction of
type tests, ``equal?`` comparisons and predicate calls on access paths such as
``(car (cdr v))``) followed by a ``let`` binding the user's pattern variables,
so a ``match`` over lists costs what the equivalent hand-written ``cond``
costs, and a recursive procedure whose body is a ``match`` still gets its
self tail calls turned into a loop (no closures are made for plain clauses).

Values computed while matching that later tests need (the result of
``(= proc pat)``, of a loop over ``(pat ...)`` elements, the tail after an
ellipsis) are kept in temporaries assigned inside the test, since a test is
one expression; temporaries assigned after the last test become plain
``let*`` bindings instead.  Only a clause with ``(=> fail)`` needs a thunk
for the clauses after it.

Supported patterns, as in Guile 3.0: literals (compared with ``equal?``),
``'datum``, ``_``, pattern variables (a repeated variable must be ``equal?``
to its first match), lists with dotted tails, ``(p ...)``/``(p ___)`` with
patterns after the ellipsis, a final ``(p ..1)``, vectors (an ellipsis
anywhere in the vector), ``and``, ``or``, ``not``, ``(? pred p ...)``,
``(= proc p)``, ``($ record-type p ...)`` and quasi-patterns with ``,p`` and
``,@p`` (which Guile 3.0.8 cannot compile; here ``,@p`` matches the part of
the list before the patterns that follow it).  Not supported: ``get!``,
``set!`` and ``***``.

Differences from Guile that only show in unusual code: the shape of a list
pattern (its pairs and final ``()``) is tested before its elements, so a
procedure of ``(= proc p)`` or ``(? pred)`` is not called on an element of
a list that has the wrong length (Guile calls it, for all but the last
element); a variable of an ``or`` pattern that the matching alternative does
not bind is ``#f`` rather than unbound; an ellipsis may be followed by more
patterns in a vector (Guile allows it only at the end).
"""

from __future__ import annotations

from typing import Any

from schemos.compile import BOOL_PRIMS, _core
from schemos.datum import NIL, UNSPECIFIED, Char, Keyword, Pair, Symbol, from_list, list_length
from schemos.derived import L, fresh
from schemos.errors import SchemeError, out_of_range, syntax_error, throw
from schemos.modsys import register_module
from schemos.runtime.control import Record
from schemos.runtime.core import primitive
from schemos.syntax import Macro, Scope, base_symbol, is_identifier, strip

# ------------------------------------------------------------ runtime support

_MATCH_ERROR = Symbol("match-error")


@primitive("%match-error", "(value)")
def match_error(value: Any) -> Any:
    """Raise Guile's error for a value no clause matched."""
    err = throw(_MATCH_ERROR, from_list(["match", "no matching pattern", value]))
    c = err.condition
    if c is not None:
        c.hint = "no clause of the match form matched the value; add a catch-all clause _"
    raise err


@primitive("%match-record?", "(obj rtd)")
def match_record_p(obj: Any, rtd: Any) -> bool:
    """True if OBJ is a record of type RTD itself (Guile's ``is-a?`` in match)."""
    return obj.__class__ is Record and obj.rtd is rtd


@primitive("%match-field", "(record index)")
def match_field(rec: Any, i: int) -> Any:
    """Field I of record REC, counting from 0."""
    vals = rec.vals
    if i < len(vals):
        return vals[i]
    raise out_of_range("struct-ref", 2, i)


@primitive("%match-length=?", "(obj n)")
def match_length_eq(obj: Any, n: int) -> bool:
    """True if OBJ is a proper list of exactly N elements."""
    for _ in range(n):
        if obj.__class__ is not Pair:
            return False
        obj = obj.cdr
    return obj is NIL


@primitive("%match-tail", "(obj n min)")
def match_tail(obj: Any, n: int, least: int) -> Any:
    """The last N pairs of OBJ if it is a proper list of at least N + LEAST elements, else #f."""
    length = list_length(obj)
    if length < n + least:
        return False
    for _ in range(length - n):
        obj = obj.cdr
    return obj


@primitive("%match-prefix", "(obj tail)")
def match_prefix(obj: Any, tail: Any) -> Any:
    """A new list of the elements of OBJ before its pair TAIL."""
    items = []
    while obj is not tail:
        items.append(obj.car)
        obj = obj.cdr
    return from_list(items)


@primitive("%match-vector-length=?", "(obj n)")
def match_vector_length_eq(obj: Any, n: int) -> bool:
    """True if OBJ is a vector of N elements."""
    return obj.__class__ is list and len(obj) == n


@primitive("%match-vector-length>=?", "(obj n)")
def match_vector_length_ge(obj: Any, n: int) -> bool:
    """True if OBJ is a vector of at least N elements."""
    return obj.__class__ is list and len(obj) >= n


@primitive("%match-vector-back", "(vector k)")
def match_vector_back(v: list[Any], k: int) -> Any:
    """Element K positions before the end of vector V (K >= 1)."""
    return v[len(v) - k]


@primitive("%match-vector-slice", "(vector start after)")
def match_vector_slice(v: list[Any], start: int, after: int) -> Any:
    """A list of the elements of V from START up to AFTER elements before the end."""
    return from_list(v[start:len(v) - after])


BOOL_PRIMS.update({"%match-record?", "%match-length=?", "%match-vector-length=?",
                   "%match-vector-length>=?"})

# ------------------------------------------------------------------ patterns


class _Wild:
    __slots__ = ()


class _Var:
    __slots__ = ("ident",)

    def __init__(self, ident: Any) -> None:
        self.ident = ident


class _Lit:
    __slots__ = ("datum",)

    def __init__(self, datum: Any) -> None:
        self.datum = datum


class _List:
    """``(item ... . tail)`` where ``tail`` may be an :class:`_Ellipsis`."""

    __slots__ = ("items", "tail")

    def __init__(self, items: list[Any], tail: Any) -> None:
        self.items = items
        self.tail = tail


class _Ellipsis:
    """The part of a list pattern from ``p ...`` on: ``p`` repeated, then ``after``."""

    __slots__ = ("elem", "least", "after")

    def __init__(self, elem: Any, least: int, after: list[Any]) -> None:
        self.elem = elem
        self.least = least
        self.after = after


class _Splice:
    """A quasi-pattern tail ``,@p rest ...``: ``p`` matches the list before ``rest``."""

    __slots__ = ("pat", "after")

    def __init__(self, pat: Any, after: list[Any]) -> None:
        self.pat = pat
        self.after = after


class _Vector:
    """``#(item ... [p ... after ...])``: ``ell`` is the repeated pattern and its minimum."""

    __slots__ = ("items", "ell", "after")

    def __init__(self, items: list[Any], ell: tuple[Any, int] | None, after: list[Any]) -> None:
        self.items = items
        self.ell = ell
        self.after = after


class _And:
    __slots__ = ("pats",)

    def __init__(self, pats: list[Any]) -> None:
        self.pats = pats


class _Or:
    __slots__ = ("pats",)

    def __init__(self, pats: list[Any]) -> None:
        self.pats = pats


class _Not:
    __slots__ = ("pats",)

    def __init__(self, pats: list[Any]) -> None:
        self.pats = pats


class _Pred:
    __slots__ = ("expr", "pats")

    def __init__(self, expr: Any, pats: list[Any]) -> None:
        self.expr = expr
        self.pats = pats


class _App:
    __slots__ = ("expr", "pat")

    def __init__(self, expr: Any, pat: Any) -> None:
        self.expr = expr
        self.pat = pat


class _Rec:
    __slots__ = ("expr", "pats")

    def __init__(self, expr: Any, pats: list[Any]) -> None:
        self.expr = expr
        self.pats = pats


_WILD = _Wild()
_NULL = _Lit(NIL)
_ELLIPSES = ("...", "___")
#: literals compared with eq?, which the compiler turns into Python ``is``
_EQ_TYPES = (Symbol, Keyword, Char, bool)


def _name(x: Any) -> str | None:
    return base_symbol(x).name if is_identifier(x) else None


def _proper(x: Any) -> list[Any] | None:
    out = []
    while type(x) is Pair:
        out.append(x.car)
        x = x.cdr
    return out if x is NIL else None


class _Parser:
    """Turns pattern syntax into pattern objects, reporting errors against ``form``."""

    def __init__(self, form: Any) -> None:
        self.form = form

    def err(self, msg: str, hint: str | None = None) -> SchemeError:
        return syntax_error(msg, self.form, hint=hint)

    def parse(self, p: Any) -> Any:
        t = type(p)
        if is_identifier(p):
            n = _name(p)
            if n == "_":
                return _WILD
            if n in _ELLIPSES:
                raise self.err(f"misplaced {n} in match pattern",
                               hint="an ellipsis follows the pattern it repeats, as in (x ...)")
            return _Var(p)
        if t is Pair:
            return self.parse_list(p)
        if t is list:
            return self.parse_vector(p)
        return _Lit(p)

    def keyword_form(self, p: Any) -> Any:
        """The pattern for ``p`` if it is an operator form such as ``(? pred)``, else None.

        As in Guile, this applies wherever ``p`` occurs, even as the tail of a
        list: ``(a ? b)`` is ``(a . (? b))``.
        """
        head = _name(p.car)
        args = _proper(p.cdr)
        if head is None or args is None:
            return None
        if head == "quote":
            if len(args) != 1:
                raise self.err("bad quote pattern")
            return _Lit(strip(args[0]))
        if head == "quasiquote":
            if len(args) != 1:
                raise self.err("bad quasiquote pattern")
            return self.parse_qq(args[0], 1)
        if head == "and":
            return _And([self.parse(a) for a in args])
        if head == "or":
            return _Or([self.parse(a) for a in args])
        if head == "not" and args:
            return _Not([self.parse(a) for a in args])
        if head == "?":
            if not args:
                raise self.err("bad ? pattern", hint="(? predicate pattern ...)")
            return _Pred(args[0], [self.parse(a) for a in args[1:]])
        if head == "=":
            if len(args) != 2:
                raise self.err("bad = pattern", hint="(= procedure pattern)")
            return _App(args[0], self.parse(args[1]))
        if head == "$":
            if not args:
                raise self.err("bad $ pattern", hint="($ record-type pattern ...)")
            return _Rec(args[0], [self.parse(a) for a in args[1:]])
        if head in ("get!", "set!"):
            raise self.err(f"{head} patterns are not supported by schemos")
        return None

    def parse_list(self, p: Any) -> Any:
        items: list[Any] = []
        while type(p) is Pair:
            nxt = p.cdr
            if type(nxt) is Pair:
                mark = _name(nxt.car)
                if mark == "***":
                    raise self.err("*** tree patterns are not supported by schemos")
                # Guile treats ..1 as an ellipsis only at the very end of a list
                if mark in _ELLIPSES or (mark == "..1" and nxt.cdr is NIL):
                    rest = _proper(nxt.cdr)
                    if rest is None:
                        raise self.err("dotted tail not allowed after ellipsis")
                    if any(_name(r) in _ELLIPSES for r in rest):
                        raise self.err("multiple ellipsis patterns not allowed at same level")
                    tail: Any = _Ellipsis(self.parse(p.car), 1 if mark == "..1" else 0,
                                          [self.parse(r) for r in rest])
                    return _List(items, tail) if items else tail
            special = self.keyword_form(p)
            if special is not None:
                return _List(items, special) if items else special
            items.append(self.parse(p.car))
            p = nxt
        tail = _NULL if p is NIL else self.parse(p)
        return _List(items, tail)

    def parse_vector(self, v: list[Any]) -> Any:
        for i, x in enumerate(v):
            if _name(x) in _ELLIPSES and i > 0:
                rest = v[i + 1:]
                if any(_name(r) in _ELLIPSES for r in rest):
                    raise self.err("multiple ellipsis patterns not allowed at same level")
                return _Vector([self.parse(e) for e in v[:i - 1]], (self.parse(v[i - 1]), 0),
                               [self.parse(r) for r in rest])
        return _Vector([self.parse(e) for e in v], None, [])

    def parse_qq(self, x: Any, depth: int) -> Any:
        """A quasi-pattern, following Guile's ``match-quasiquote`` (nesting included)."""
        if type(x) is list:
            lst = self.parse_qq(from_list(x), depth)
            return _And([_Pred(_core("vector?"), []), _App(_core("vector->list"), lst)])
        if type(x) is not Pair:
            if is_identifier(x):
                return _Lit(strip(x))
            return _Lit(x)
        head = _name(x.car)
        one = type(x.cdr) is Pair and x.cdr.cdr is NIL
        if one and head == "unquote":
            return self.parse(x.cdr.car) if depth == 1 else self.parse_qq(x.cdr.car, depth - 1)
        if one and head == "quasiquote":
            return self.parse_qq(x.cdr.car, depth + 1)
        if one and head == "unquote-splicing" and depth > 1:
            return self.parse_qq(x.cdr.car, depth - 1)
        first = x.car
        if depth == 1 and type(first) is Pair and _name(first.car) == "unquote-splicing" \
                and type(first.cdr) is Pair and first.cdr.cdr is NIL:
            rest = _proper(x.cdr)
            if rest is None:
                raise self.err("dotted tail not allowed after unquote-splicing")
            after = [self.parse_qq(r, depth) for r in rest]
            if any(type(a) is _Splice for a in after):
                raise self.err("only one unquote-splicing allowed in a list pattern")
            return _Splice(self.parse(first.cdr.car), after)
        car = self.parse_qq(first, depth)
        cdr = self.parse_qq(x.cdr, depth)
        if type(cdr) is _List:
            return _List([car] + cdr.items, cdr.tail)
        return _List([car], cdr)


# ----------------------------------------------------------- access paths


class _Path:
    """An expression for a part of the matched value, built once per place.

    Paths are shared (``car`` of the same path is the same object), so the
    bindings of a clause can compute a common prefix such as ``(cdr v)``
    once.
    """

    __slots__ = ("op", "parent", "arg", "kids")

    def __init__(self, op: str, parent: _Path | None, arg: Any) -> None:
        self.op = op
        self.parent = parent
        self.arg = arg
        self.kids: dict[tuple[str, Any], _Path] = {}

    def child(self, op: str, arg: Any = None) -> _Path:
        key = (op, arg)
        k = self.kids.get(key)
        if k is None:
            k = self.kids[key] = _Path(op, self, arg)
        return k

    def form(self, subst: dict[_Path, Any] | None = None) -> Any:
        if subst:
            s = subst.get(self)
            if s is not None:
                return s
        op = self.op
        if op == "id" or op == "expr":
            return self.arg
        assert self.parent is not None
        inner = self.parent.form(subst)
        if op == "car" or op == "cdr":
            return L(_core(op), inner)
        if op == "vref":
            return L(_core("vector-ref"), inner, self.arg)
        if op == "vback":
            return L(_core("%match-vector-back"), inner, self.arg)
        if op == "field":
            return L(_core("%match-field"), inner, self.arg)
        if op == "prefix":
            return L(_core("%match-prefix"), inner, self.arg)
        raise AssertionError(op)


def _ident_path(x: Any) -> _Path:
    return _Path("id", None, x)


def _expr_path(form: Any) -> _Path:
    return _Path("expr", None, form)


class _State:
    """What matching one pattern needs: tests in order, bindings, temporaries."""

    __slots__ = ("steps", "binds", "env", "temps")

    def __init__(self, env: dict[Any, _Path], temps: list[Any]) -> None:
        #: ("test", form) or ("set", temp, form), in matching order
        self.steps: list[tuple[Any, ...]] = []
        #: pattern variables bound by this pattern, in order
        self.binds: list[tuple[Any, _Path]] = []
        #: every variable bound so far (for non-linear patterns), with its value
        self.env = env
        self.temps = temps

    def fork(self) -> _State:
        return _State(dict(self.env), self.temps)

    def test(self, form: Any) -> None:
        self.steps.append(("test", form))


def _conj(forms: list[Any]) -> Any:
    if not forms:
        return True
    if len(forms) == 1:
        return forms[0]
    return L(_core("and"), *forms)


def _steps_test(steps: list[tuple[Any, ...]]) -> Any:
    """The test form doing ``steps`` in order (True when there is nothing to test).

    Tests alone make one ``and`` the compiler turns into a Python expression.
    An assignment makes the compiler emit the ``and`` as statements, one
    nesting level per operand, so runs of tests between assignments are
    grouped into one operand each (Python allows only 100 levels).
    """
    if all(s[0] == "test" for s in steps):
        return _conj([s[1] for s in steps])
    out: list[Any] = []
    group: list[Any] = []
    for s in steps + [("end",)]:
        if s[0] == "test":
            group.append(s[1])
            continue
        if len(group) == 1:
            out.append(group[0])
        elif group:
            out.append(L(_core("if"), L(_core("and"), *group), True, False))
        group = []
        if s[0] == "set":
            out.append(L(_core("begin"), L(_core("set!"), s[1], s[2]), True))
        elif s[0] == "settest":
            out.append(L(_core("begin"), L(_core("set!"), s[1], s[2]), s[1]))
    return _conj(out)


def _literal_test(subject: Any, d: Any) -> Any:
    if d is NIL:
        return L(_core("null?"), subject)
    t = type(d)
    if t in _EQ_TYPES or d is UNSPECIFIED:
        return L(_core("eq?"), subject, L(_core("quote"), d))
    if t in (int, float, complex) or (t.__module__ == "fractions"):
        return L(_core("eqv?"), subject, d)
    return L(_core("equal?"), subject, L(_core("quote"), d))


def _seeing_vars(expr: Any, st: _State) -> Any:
    """``expr`` where the variables the pattern bound so far are visible.

    In Guile, ``(? pred)``, ``(= proc p)`` and ``($ type p ...)`` run inside
    the bindings of the variables matched before them, so
    ``(x (? (lambda (y) (> y x))))`` compares with the first element.  The
    variables ``expr`` mentions are bound around it to their values.
    """
    if not st.env:
        return expr
    seen: set[Any] = set()
    stack = [expr]
    while stack:
        x = stack.pop()
        t = type(x)
        if t is Pair:
            stack.append(x.car)
            stack.append(x.cdr)
        elif t is list:
            stack.extend(x)
        elif is_identifier(x):
            seen.add(x)
    used = [L(x, p.form()) for x, p in st.env.items() if x in seen]
    if not used:
        return expr
    return L(_core("let"), from_list(used), expr)


#: paths deeper than this are kept in a temporary before matching more below them
_MAX_PATH_DEPTH = 16


def _simple(node: Any) -> bool:
    return node is _WILD or type(node) is _Var


class _Gen:
    """Generates the tests and bindings of patterns."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def temp(self, st: _State, name: str = "t") -> Any:
        t = fresh(name, self.scope)
        st.temps.append(t)
        return t

    def set_test(self, st: _State, form: Any, name: str = "t") -> Any:
        """Assign ``form`` to a new temporary and test that it is true; return the temporary."""
        t = self.temp(st, name)
        st.steps.append(("settest", t, form))
        return t

    def cached(self, p: _Path, node: Any, st: _State) -> _Path:
        """``p`` itself, or a temporary holding it when it is costly and used several times.

        Deep paths are cut too: the compiler nests an expression per ``car``
        and Python limits how deep expressions nest.
        """
        if (p.op == "expr" or _depth(p) >= _MAX_PATH_DEPTH) and not _simple(node):
            t = self.temp(st)
            st.steps.append(("set", t, p.form()))
            return _ident_path(t)
        return p

    def gen(self, node: Any, p: _Path, st: _State) -> None:
        t = type(node)
        if node is _WILD:
            return
        if t is _Var:
            x = node.ident
            prev = st.env.get(x)
            if prev is not None:
                st.test(L(_core("equal?"), p.form(), prev.form()))
            else:
                st.env[x] = p
                st.binds.append((x, p))
            return
        p = self.cached(p, node, st)
        if t is _Lit:
            st.test(_literal_test(p.form(), node.datum))
        elif t is _List:
            self.gen_list(node, p, st)
        elif t is _And:
            for sub in node.pats:
                self.gen(sub, p, st)
        elif t is _Pred:
            st.test(L(_seeing_vars(node.expr, st), p.form()))
            for sub in node.pats:
                self.gen(sub, p, st)
        elif t is _App:
            v = self.temp(st, "w")
            st.steps.append(("set", v, L(_seeing_vars(node.expr, st), p.form())))
            self.gen(node.pat, _ident_path(v), st)
        elif t is _Rec:
            st.test(L(_core("%match-record?"), p.form(), _seeing_vars(node.expr, st)))
            for i, sub in enumerate(node.pats):
                self.gen(sub, p.child("field", i), st)
        elif t is _Or:
            self.gen_or(node, p, st)
        elif t is _Not:
            sub_st = st.fork()
            for sub in node.pats:
                alt = sub_st.fork()
                self.gen(sub, p, alt)
                sub_st.test(_steps_test(alt.steps))
            forms = [s[1] for s in sub_st.steps]
            if forms:
                st.test(L(_core("not"), forms[0] if len(forms) == 1 else L(_core("or"), *forms)))
        elif t is _Vector:
            self.gen_vector(node, p, st)
        elif t is _Splice:
            self.gen_splice(node, p, st)
        elif t is _Ellipsis:
            self.gen_ellipsis(node, p, st)
        else:
            raise AssertionError(node)

    def gen_list(self, node: _List, p: _Path, st: _State) -> None:
        items = node.items
        tail = node.tail
        # The shape of the list is tested before its elements: Guile too
        # checks that a last element is last before matching it, so
        # ((= length n)) never calls length on the second of three elements.
        if tail is _NULL and len(items) >= 4:
            # one call instead of a pair? test per element along the spine
            st.test(L(_core("%match-length=?"), p.form(), len(items)))
        else:
            q = p
            for _ in items:
                st.test(L(_core("pair?"), q.form()))
                q = q.child("cdr")
            if tail is _NULL:
                st.test(L(_core("null?"), q.form()))
        for item in items:
            self.gen(item, p.child("car"), st)
            p = p.child("cdr")
        if tail is not _NULL:
            self.gen(tail, p, st)

    def gen_known_list(self, pats: list[Any], p: _Path, st: _State) -> None:
        """Match ``pats`` against the elements of ``p``, known to be a list of that length."""
        for sub in pats:
            self.gen(sub, p.child("car"), st)
            p = p.child("cdr")

    def gen_or(self, node: _Or, p: _Path, st: _State) -> None:
        pats = node.pats
        if not pats:
            st.test(False)
            return
        if len(pats) == 1:
            self.gen(pats[0], p, st)
            return
        alts = []
        for sub in pats:
            alt = st.fork()
            self.gen(sub, p, alt)
            alts.append(alt)
        names: list[Any] = []
        for alt in alts:
            for x, _ in alt.binds:
                if x not in names:
                    names.append(x)
        if not names:
            st.test(L(_core("or"), *[_steps_test(a.steps) for a in alts]))
            return
        which = self.temp(st, "which")
        st.test(L(_core("or"), *[_steps_test(alt.steps + [("set", which, i)])
                                 for i, alt in enumerate(alts)]))
        for x in names:
            value: Any = False
            for i in reversed(range(len(alts))):
                bound = dict(alts[i].binds)
                if x in bound:
                    value = L(_core("if"), L(_core("="), which, i), bound[x].form(), value)
            path = _expr_path(value)
            st.env[x] = path
            st.binds.append((x, path))

    def gen_ellipsis(self, node: _Ellipsis, p: _Path, st: _State) -> None:
        elem = node.elem
        after = node.after
        if not after:
            if node.least:
                st.test(L(_core("pair?"), p.form()))
            if _simple(elem):
                st.test(L(_core("list?"), p.form()))
                self.gen(elem, p, st)
            else:
                self.gen_loop(elem, p.form(), None, False, st)
            return
        tail = self.set_test(st, L(_core("%match-tail"), p.form(), len(after), node.least))
        if _simple(elem):
            self.gen(elem, p.child("prefix", tail), st)
        else:
            self.gen_loop(elem, p.form(), tail, True, st)
        self.gen_known_list(after, _ident_path(tail), st)

    def gen_splice(self, node: _Splice, p: _Path, st: _State) -> None:
        if not node.after:
            st.test(L(_core("list?"), p.form()))
            self.gen(node.pat, p, st)
            return
        tail = self.set_test(st, L(_core("%match-tail"), p.form(), len(node.after), 0))
        self.gen(node.pat, _expr_path(p.child("prefix", tail).form()), st)
        self.gen_known_list(node.after, _ident_path(tail), st)

    def gen_vector(self, node: _Vector, p: _Path, st: _State) -> None:
        n = len(node.items) + len(node.after)
        if node.ell is None:
            st.test(L(_core("%match-vector-length=?"), p.form(), n))
        else:
            st.test(L(_core("%match-vector-length>=?"), p.form(), n + node.ell[1]))
        for i, sub in enumerate(node.items):
            self.gen(sub, p.child("vref", i), st)
        if node.ell is not None:
            elem = node.ell[0]
            middle = L(_core("%match-vector-slice"), p.form(), len(node.items), len(node.after))
            if _simple(elem):
                self.gen(elem, _expr_path(middle), st)
            else:
                self.gen_loop(elem, middle, None, True, st)
        k = len(node.after)
        for j, sub in enumerate(node.after):
            self.gen(sub, p.child("vback", k - j), st)

    def gen_loop(self, elem: Any, start: Any, end: Any, known: bool, st: _State) -> None:
        """Match ``elem`` against each element of the list ``start`` (up to pair ``end``).

        The loop is a named ``let`` (which the compiler makes a ``while``
        loop) returning ``#f`` on failure, else the lists of the values of the
        element's variables; it runs inside the clause's test, and the
        variables are bound from its result.  Inside the loop a failed
        element is just ``#f``, so the element's test needs no thunk.
        """
        sub = _State(dict(st.env), [])
        w = fresh("w", self.scope)
        self.gen(elem, _ident_path(w), sub)
        c = _compile_state(sub, self.scope)
        names = [x for x, _ in sub.binds]
        accs = [fresh("acc", self.scope) for _ in names]
        loop = fresh("loop", self.scope)
        ls = fresh("ls", self.scope)
        again = L(loop, L(_core("cdr"), ls),
                  *[L(_core("cons"), v, a) for v, a in zip(c.values, accs, strict=True)])
        step = _let_star(c.lets, again)
        if c.test is not True:
            step = L(_core("if"), c.test, step, False)
        step = L(_core("let"), L(L(w, L(_core("car"), ls))), _declare(c.decl, step))
        revs = [L(_core("reverse"), a) for a in accs]
        if not names:
            result: Any = True
        elif len(names) == 1:
            result = revs[0]
        else:
            result = L(_core("vector"), *revs)
        if end is not None:
            body = L(_core("if"), L(_core("eq?"), ls, end), result, step)
        elif known:
            body = L(_core("if"), L(_core("null?"), ls), result, step)
        else:
            body = L(_core("if"), L(_core("pair?"), ls), step,
                     L(_core("if"), L(_core("null?"), ls), result, False))
        inits = [L(ls, start)] + [L(a, L(_core("quote"), NIL)) for a in accs]
        r = self.set_test(st, L(_core("let"), loop, from_list(inits), body), "each")
        for i, x in enumerate(names):
            path = _ident_path(r) if len(names) == 1 else \
                _expr_path(L(_core("vector-ref"), r, i))
            st.env[x] = path
            st.binds.append((x, path))


class _Compiled:
    """A matched pattern ready to be placed: test, bindings and temporaries."""

    __slots__ = ("test", "lets", "values", "decl")

    def __init__(self, test: Any, lets: list[tuple[Any, Any]], values: list[Any],
                 decl: list[Any]) -> None:
        #: a form, or True when the pattern matches anything
        self.test = test
        #: let* bindings to make once the test passed, before reading ``values``
        self.lets = lets
        #: the value form of each variable of ``st.binds``, in order
        self.values = values
        #: temporaries the test assigns, to declare (as #f) around it
        self.decl = decl


def _compile_state(st: _State, scope: Scope) -> _Compiled:
    """Split ``st`` into its test and what to bind after it.

    Temporaries assigned after the last test need not be assigned inside the
    test: they become let* bindings, as do sub-paths shared by several
    variables (so ``(a b c)`` computes ``(cdr v)`` once).
    """
    steps = list(st.steps)
    lets: list[tuple[Any, Any]] = []
    while steps and steps[-1][0] == "set":
        _, t, f = steps.pop()
        lets.insert(0, (t, f))
    counts: dict[_Path, int] = {}
    for _, p in st.binds:
        q = p.parent
        while q is not None:
            counts[q] = counts.get(q, 0) + 1
            q = q.parent
    subst: dict[_Path, Any] = {}
    for q in sorted((q for q, n in counts.items() if n > 1 and q.op not in ("id", "expr")),
                    key=_depth):
        t = fresh("p", scope)
        lets.append((t, q.form(subst)))
        subst[q] = t
    values = [p.form(subst) for _, p in st.binds]
    late = {t for t, _ in lets}
    decl = [t for t in st.temps if t not in late]
    return _Compiled(_steps_test(steps), lets, values, decl)


def _depth(p: _Path) -> int:
    n = 0
    q = p.parent
    while q is not None:
        n += 1
        q = q.parent
    return n


def _let_star(binds: list[tuple[Any, Any]], body: Any) -> Any:
    if not binds:
        return body
    return L(_core("let*"), from_list([L(t, f) for t, f in binds]), body)


def _declare(temps: list[Any], body: Any) -> Any:
    if not temps:
        return body
    return L(_core("let"), from_list([L(t, False) for t in temps]), body)


# ---------------------------------------------------------------- clauses


def _chain(clauses: list[tuple[_Compiled, Any, Any, Any]], fallback: Any) -> Any:
    """A ``cond`` trying compiled clauses in turn, ``fallback`` when none matches.

    Each clause is ``(compiled, variables, body, failure binding or None)``.
    """
    if not clauses:
        return fallback
    temps: list[Any] = []
    conds = []
    for c, names, body, fail in clauses:
        temps.extend(c.decl)
        binds = from_list([L(x, v) for x, v in zip(names, c.values, strict=True)])
        succ = _let_star(c.lets, Pair(_core("let"), Pair(binds, body)))
        if fail is not None:
            succ = L(_core("let"), L(fail), succ)
        if c.test is True:
            if not conds:
                # no cond at all: the compiler mishandles (cond (else e)) for a value
                return _declare(temps, succ)
            conds.append(L(_core("else"), succ))
            break
        conds.append(L(c.test, succ))
    else:
        conds.append(L(_core("else"), fallback))
    return _declare(temps, Pair(_core("cond"), from_list(conds)))


def expand_match(subject: Any, clauses: list[Any], scope: Scope, form: Any) -> Any:
    """The core form of ``(match subject clause ...)``; ``subject`` must be an identifier.

    Clauses without ``(=> fail)`` share one ``cond``; a clause with it gets
    the clauses after it as a thunk, bound to its failure identifier.
    """
    parser = _Parser(form)
    gen = _Gen(scope)
    parsed = []
    for cl in clauses:
        if type(cl) is not Pair:
            raise syntax_error("bad match clause", form, hint="(pattern body ...)")
        body = cl.cdr
        fail = None
        if type(body) is Pair and type(body.car) is Pair and _name(body.car.car) == "=>":
            spec = _proper(body.car.cdr)
            if spec is None or len(spec) != 1 or not is_identifier(spec[0]):
                raise syntax_error("bad (=> failure) in match clause", form)
            fail = spec[0]
            body = body.cdr
        if type(body) is not Pair:
            raise syntax_error("match clause has no body", form,
                               hint="(pattern body ...): the body gives the value of the match")
        st = _State({}, [])
        gen.gen(parser.parse(cl.car), _ident_path(subject), st)
        parsed.append((_compile_state(st, scope), [x for x, _ in st.binds], body, fail))
    # located at the match form, so an unmatched value is reported there
    # located at the match form, so an unmatched value is reported there
    result: Any = Pair(_core("%match-error"), Pair(subject, NIL),
                       form.loc if type(form) is Pair else None)
    segments = _segments(parsed)
    for i, seg in enumerate(reversed(segments)):
        if i == 0:
            result = _segment(seg, result, scope)
        else:
            rest = fresh("rest", scope)
            result = L(_core("let"), L(L(rest, L(_core("lambda"), NIL, result))),
                       _segment(seg, L(rest), scope))
    return result


#: how deep the clauses of one segment may make the generated Python nest
_SEGMENT_DEPTH = 24


def _segments(parsed: list[Any]) -> list[list[Any]]:
    """Cut the clauses where the generated Python would nest too deep.

    A clause whose test assigns temporaries is compiled as a nested ``else``
    block, and one with ``(=> fail)`` as a nested function; Python refuses
    more than 100 levels.  Each segment after the first becomes a thunk
    defined at the start of the one before, which restarts the nesting.
    """
    out: list[list[Any]] = [[]]
    depth = 0
    for item in parsed:
        c, _, _, fail = item
        cost = (1 if c.decl else 0) + (1 if fail is not None else 0)
        if out[-1] and depth + cost > _SEGMENT_DEPTH:
            out.append([])
            depth = 0
        out[-1].append(item)
        depth += cost
    return out


def _segment(parsed: list[Any], fallback: Any, scope: Scope) -> Any:
    """The clauses of one segment, then ``fallback``."""
    result = fallback
    pending: list[Any] = []
    for c, names, body, fail in reversed(parsed):
        if fail is None:
            pending.insert(0, (c, names, body, None))
            continue
        result = _chain(pending, result)
        pending = []
        nxt = fresh("next", scope)
        result = L(_core("let"), L(L(nxt, L(_core("lambda"), NIL, result))),
                   _chain([(c, names, body, L(fail, nxt))], L(nxt)))
    return _chain(pending, result)


# -------------------------------------------------------------- transformers


def _args(form: Any, what: str) -> list[Any]:
    a = _proper(form.cdr)
    if a is None:
        raise syntax_error(f"bad {what} form", form)
    return a


def t_match(form: Any, scope: Scope, comp: Any) -> Any:
    """(match expr clause ...)."""
    a = _args(form, "match")
    if not a:
        raise syntax_error("missing match expression", form)
    if len(a) == 1:
        raise syntax_error("no match clauses", form, hint="(match expr (pattern body ...) ...)")
    v = fresh("v", scope)
    return L(_core("let"), L(L(v, a[0])), expand_match(v, a[1:], scope, form))


def t_match_lambda(form: Any, scope: Scope, comp: Any) -> Any:
    """(match-lambda clause ...): a procedure of one argument matched against the clauses."""
    v = fresh("v", scope)
    return L(_core("lambda"), L(v), expand_match(v, _args(form, "match-lambda"), scope, form))


def t_match_lambda_star(form: Any, scope: Scope, comp: Any) -> Any:
    """(match-lambda* clause ...): the list of all arguments is matched against the clauses."""
    v = fresh("v", scope)
    return L(_core("lambda"), v, expand_match(v, _args(form, "match-lambda*"), scope, form))


def _bindings(spec: Any, form: Any, what: str) -> list[tuple[Any, Any]]:
    out = []
    items = _proper(spec)
    if items is None:
        raise syntax_error(f"bad {what} bindings", form)
    for b in items:
        parts = _proper(b)
        if parts is None or len(parts) != 2:
            raise syntax_error(f"bad {what} binding", form, hint="each binding is (pattern expr)")
        out.append((parts[0], parts[1]))
    return out


def _match_star(binds: list[tuple[Any, Any]], body: Any, scope: Scope, form: Any) -> Any:
    """Match each (pattern value) in turn, each in the scope of the previous ones."""
    result = Pair(_core("let"), Pair(NIL, body))
    for pat, value in reversed(binds):
        if is_identifier(pat) and _name(pat) != "_":
            result = L(_core("let"), L(L(pat, value)), result)
            continue
        v = fresh("v", scope)
        result = L(_core("let"), L(L(v, value)), expand_match(v, [L(pat, result)], scope, form))
    return result


def _split_bindings(binds: list[tuple[Any, Any]], scope: Scope) -> tuple[list[Any], list[Any]]:
    """Identifier bindings as they are; other patterns to a temporary, matched afterwards."""
    outer = []
    pats = []
    for pat, expr in binds:
        if is_identifier(pat):
            outer.append(L(pat, expr))
        else:
            t = fresh("v", scope)
            outer.append(L(t, expr))
            pats.append((pat, t))
    return outer, pats


def t_match_let(form: Any, scope: Scope, comp: Any) -> Any:
    """(match-let ((pattern expr) ...) body ...) and the named form (match-let loop ...)."""
    a = _args(form, "match-let")
    if len(a) < 2 or (is_identifier(a[0]) and len(a) < 3):
        raise syntax_error("bad match-let form", form)
    if is_identifier(a[0]):
        binds = _bindings(a[1], form, "match-let")
        temps = [fresh("v", scope) for _ in binds]
        inner = _match_star([(p, t) for (p, _), t in zip(binds, temps, strict=True)],
                            from_list(a[2:]), scope, form)
        inits = [L(t, e) for t, (_, e) in zip(temps, binds, strict=True)]
        return L(_core("let"), a[0], from_list(inits), inner)
    outer, pats = _split_bindings(_bindings(a[0], form, "match-let"), scope)
    return L(_core("let"), from_list(outer), _match_star(pats, from_list(a[1:]), scope, form))


def t_match_let_star(form: Any, scope: Scope, comp: Any) -> Any:
    """(match-let* ((pattern expr) ...) body ...)."""
    a = _args(form, "match-let*")
    if len(a) < 2:
        raise syntax_error("bad match-let* form", form)
    return _match_star(_bindings(a[0], form, "match-let*"), from_list(a[1:]), scope, form)


def t_match_letrec(form: Any, scope: Scope, comp: Any) -> Any:
    """(match-letrec ((pattern expr) ...) body ...), as Guile's: patterns see no variable."""
    a = _args(form, "match-letrec")
    if len(a) < 2:
        raise syntax_error("bad match-letrec form", form)
    outer, pats = _split_bindings(_bindings(a[0], form, "match-letrec"), scope)
    return L(_core("letrec"), from_list(outer), _match_star(pats, from_list(a[1:]), scope, form))


TRANSFORMERS = {
    "match": t_match,
    "match-lambda": t_match_lambda,
    "match-lambda*": t_match_lambda_star,
    "match-let": t_match_let,
    "match-let*": t_match_let_star,
    "match-letrec": t_match_letrec,
}


def install(interp: Any, module: Any) -> None:
    """Fill the ``(ice-9 match)`` module with its macros."""
    for name, t in TRANSFORMERS.items():
        module.define_syntax(name, Macro(t, interp.root_scope, name))
        module.exports.add(Symbol(name))


register_module("ice-9 match", install)
