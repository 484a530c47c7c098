"""``syntax-rules``: pattern matching and hygienic template instantiation.

A transformer made by :func:`make_syntax_rules` matches a use of the macro
against each rule's pattern in turn.  Pattern variables bind to pieces of
the use; every other symbol of the chosen template is renamed to a fresh
:class:`~schemos.syntax.Alias` that remembers the macro's definition scope,
one alias per symbol per expansion, so introduced bindings cannot capture
the user's variables and free identifiers keep their definition-site
meaning.
"""

from __future__ import annotations

from typing import Any

from schemos.datum import NIL, Pair, Symbol
from schemos.errors import syntax_error
from schemos.syntax import Alias, Scope, base_symbol, free_identifier_eq, is_identifier

ELLIPSIS = Symbol("...")
UNDERSCORE = Symbol("_")


def _is_ellipsis(x: Any, ell: Any) -> bool:
    return is_identifier(x) and base_symbol(x) is base_symbol(ell) if ell is not None else False


def make_syntax_rules(spec: Any, def_scope: Scope, name: str) -> Any:
    """Build a transformer from the ``(syntax-rules …)`` form ``spec``."""
    rest = spec.cdr
    ellipsis: Any = ELLIPSIS
    if type(rest) is Pair and is_identifier(rest.car):
        ellipsis = rest.car
        rest = rest.cdr
    if type(rest) is not Pair:
        raise syntax_error("bad syntax-rules form", spec)
    literals = []
    lits = rest.car
    while type(lits) is Pair:
        if not is_identifier(lits.car):
            raise syntax_error("syntax-rules literal is not an identifier", spec)
        literals.append(lits.car)
        lits = lits.cdr
    rules = []
    r = rest.cdr
    while type(r) is Pair:
        rule = r.car
        if type(rule) is not Pair or type(rule.cdr) is not Pair or rule.cdr.cdr is not NIL:
            raise syntax_error("bad syntax-rules clause", rule if type(rule) is Pair else spec)
        pattern = rule.car
        template = rule.cdr.car
        # the keyword position of the pattern is ignored
        pat = pattern.cdr if type(pattern) is Pair else NIL
        pvars: dict[Any, int] = {}
        _collect_vars(pat, literals, ellipsis, 0, pvars)
        rules.append((pat, template, pvars))
        r = r.cdr
    lit_set = {base_symbol(x) for x in literals}

    def transformer(form: Any, use_scope: Scope, compiler: Any) -> Any:
        args = form.cdr
        for pat, template, pvars in rules:
            b: dict[Any, Any] = {}
            if _match(pat, args, b, lit_set, literals, ellipsis, use_scope, def_scope):
                renames: dict[Any, Alias] = {}
                return _instantiate(template, b, pvars, ellipsis, def_scope, renames,
                                    form.loc if type(form) is Pair else None)
        raise syntax_error(f"no matching syntax rule for {name}", form,
                           hint="check the number and shape of the arguments")

    return transformer


def _collect_vars(pat: Any, literals: list[Any], ell: Any, depth: int,
                  out: dict[Any, int]) -> None:
    if is_identifier(pat):
        if _is_ellipsis(pat, ell) or base_symbol(pat) is UNDERSCORE:
            return
        if any(pat is lit or base_symbol(pat) is base_symbol(lit) for lit in literals):
            return
        out[pat] = depth
        return
    if type(pat) is Pair:
        while type(pat) is Pair:
            if type(pat.cdr) is Pair and _is_ellipsis(pat.cdr.car, ell):
                _collect_vars(pat.car, literals, ell, depth + 1, out)
                pat = pat.cdr.cdr
            else:
                _collect_vars(pat.car, literals, ell, depth, out)
                pat = pat.cdr
        _collect_vars(pat, literals, ell, depth, out)
        return
    if type(pat) is list:
        _collect_vars(_from_vec(pat), literals, ell, depth, out)


def _from_vec(v: list[Any]) -> Any:
    r: Any = NIL
    for x in reversed(v):
        r = Pair(x, r)
    return r


def _pattern_len_after(p: Any) -> int:
    n = 0
    while type(p) is Pair:
        n += 1
        p = p.cdr
    return n


def _match(pat: Any, form: Any, b: dict[Any, Any], lit_set: set[Symbol], literals: list[Any],
           ell: Any, use_scope: Scope, def_scope: Scope) -> bool:
    if is_identifier(pat):
        if base_symbol(pat) is UNDERSCORE:
            return True
        if base_symbol(pat) in lit_set:
            return is_identifier(form) and free_identifier_eq(form, use_scope, pat, def_scope)
        b[pat] = form
        return True
    if type(pat) is Pair:
        while type(pat) is Pair:
            if type(pat.cdr) is Pair and _is_ellipsis(pat.cdr.car, ell):
                after = pat.cdr.cdr
                min_after = _pattern_len_after(after)
                items = []
                f = form
                while type(f) is Pair:
                    items.append(f.car)
                    f = f.cdr
                n_rep = len(items) - min_after
                if n_rep < 0:
                    return False
                sub_vars: dict[Any, int] = {}
                _collect_vars(pat.car, literals, ell, 0, sub_vars)
                seqs: dict[Any, list[Any]] = {v: [] for v in sub_vars}
                f = form
                for _ in range(n_rep):
                    bb: dict[Any, Any] = {}
                    if not _match(pat.car, f.car, bb, lit_set, literals, ell, use_scope,
                                  def_scope):
                        return False
                    for v in sub_vars:
                        seqs[v].append(bb.get(v))
                    f = f.cdr
                for v, s in seqs.items():
                    b[v] = _Seq(s)
                pat = after
                form = f
                continue
            if type(form) is not Pair:
                return False
            if not _match(pat.car, form.car, b, lit_set, literals, ell, use_scope, def_scope):
                return False
            pat = pat.cdr
            form = form.cdr
        return _match(pat, form, b, lit_set, literals, ell, use_scope, def_scope) \
            if pat is not NIL else form is NIL
    if type(pat) is list:
        if type(form) is not list:
            return False
        return _match(_from_vec(pat), _from_vec(form), b, lit_set, literals, ell, use_scope,
                      def_scope)
    if pat is NIL:
        return form is NIL
    # literal datum
    from schemos.runtime.equality import is_equal

    return is_equal(pat, form)


class _Seq:
    """The matches of a pattern variable under an ellipsis."""

    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        self.items = items


def _instantiate(t: Any, b: dict[Any, Any], pvars: dict[Any, int], ell: Any, def_scope: Scope,
                 renames: dict[Any, Alias], loc: Any) -> Any:
    if is_identifier(t):
        if t in b:
            v = b[t]
            if type(v) is _Seq:
                raise syntax_error(f"pattern variable {base_symbol(t).name} used without "
                                   "an ellipsis in the template")
            return v
        a = renames.get(t)
        if a is None:
            a = renames[t] = Alias(t, def_scope)
        return a
    if type(t) is Pair:
        # (... ...) escapes the ellipsis
        if _is_ellipsis(t.car, ell) and type(t.cdr) is Pair:
            return _instantiate(t.cdr.car, b, pvars, None, def_scope, renames, loc)
        out: list[Any] = []
        while type(t) is Pair:
            elem = t.car
            nxt = t.cdr
            if type(nxt) is Pair and _is_ellipsis(nxt.car, ell):
                depth = 0
                while type(nxt) is Pair and _is_ellipsis(nxt.car, ell):
                    depth += 1
                    nxt = nxt.cdr
                results = _expand_ellipsis(elem, b, pvars, ell, def_scope, renames, loc, depth)
                out.extend(results)
                t = nxt
                continue
            out.append(_instantiate(elem, b, pvars, ell, def_scope, renames, loc))
            t = nxt
        tail = _instantiate(t, b, pvars, ell, def_scope, renames, loc) if t is not NIL else NIL
        r = tail
        for x in reversed(out):
            r = Pair(x, r, loc)
        return r
    if type(t) is list:
        lst = _instantiate(_from_vec(t), b, pvars, ell, def_scope, renames, loc)
        out2 = []
        while type(lst) is Pair:
            out2.append(lst.car)
            lst = lst.cdr
        return out2
    return t


def _template_vars(t: Any, b: dict[Any, Any], out: list[Any], ell: Any) -> None:
    if is_identifier(t):
        if t in b and t not in out:
            out.append(t)
        return
    if type(t) is Pair:
        while type(t) is Pair:
            _template_vars(t.car, b, out, ell)
            t = t.cdr
        _template_vars(t, b, out, ell)
    elif type(t) is list:
        for e in t:
            _template_vars(e, b, out, ell)


def _expand_ellipsis(elem: Any, b: dict[Any, Any], pvars: dict[Any, int], ell: Any,
                     def_scope: Scope, renames: dict[Any, Alias], loc: Any,
                     depth: int) -> list[Any]:
    vars_: list[Any] = []
    _template_vars(elem, b, vars_, ell)
    seq_vars = [v for v in vars_ if type(b[v]) is _Seq]
    if not seq_vars:
        raise syntax_error("no pattern variable under an ellipsis in the template")
    n = None
    for v in seq_vars:
        ln = len(b[v].items)
        if n is None or ln < n:
            n = ln if n is None else min(n, ln)
    results = []
    for i in range(n or 0):
        nb = dict(b)
        for v in seq_vars:
            nb[v] = b[v].items[i]
        if depth > 1:
            results.extend(_expand_ellipsis(elem, nb, pvars, ell, def_scope, renames, loc,
                                            depth - 1))
        else:
            results.append(_instantiate(elem, nb, pvars, ell, def_scope, renames, loc))
    return results
