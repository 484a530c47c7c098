"""SRFI-71 ``let``, ``let*`` and ``letrec`` with multiple-value bindings.

``(let ((a b (values 1 2)) (c 3)) ...)`` binds ``a`` and ``b`` to the two
values; ``((values a . rest) expr)`` is the long form, with a rest
variable.  These transformers are what ``(srfi srfi-71)`` exports in place
of the core forms (through the internal module ``(schemos srfi-71)``);
bindings of the ordinary ``(var expr)`` shape, and named ``let``, expand to
the core forms themselves, so code that does not use the extension compiles
as before.  ``values->list`` and ``values->vector`` are syntax, as in the
SRFI.
"""

from __future__ import annotations

from typing import Any

from schemos.compile import _core
from schemos.datum import NIL, Pair, from_list, make_values
from schemos.derived import L, _items, fresh
from schemos.errors import syntax_error, wrong_type
from schemos.runtime.pymodules import python_module, scheme_procedure
from schemos.syntax import Scope, base_symbol, is_identifier

__all__ = ["t_let", "t_let_star", "t_letrec"]


def _is_values_form(x: Any) -> bool:
    return type(x) is Pair and is_identifier(x.car) and base_symbol(x.car).name == "values"


def _binding(b: Any, form: Any, scope: Scope) -> tuple[Any, Any, bool]:
    """(formals, expression, simple?) of one binding of a SRFI-71 ``let``.

    ``simple`` is true for an ordinary ``(var expr)`` binding, whose formals
    are then the variable itself.
    """
    parts = _items(b, form, "let")
    if len(parts) < 2:
        raise syntax_error("bad let binding", form,
                           hint="(var expr), (var ... expr) or ((values var ...) expr)")
    if len(parts) == 2:
        if is_identifier(parts[0]):
            return parts[0], parts[1], True
        if _is_values_form(parts[0]):
            formals = parts[0].cdr
            if formals is NIL:
                # ((values) expr): no variable; accept whatever EXPR returns
                formals = fresh("ignored", scope)
            return formals, parts[1], False
        raise syntax_error("bad let binding", form)
    for v in parts[:-1]:
        if not is_identifier(v):
            raise syntax_error("bad let binding: not a variable", form)
    return from_list(parts[:-1]), parts[-1], False


def _let_parts(form: Any, what: str) -> tuple[Any, list[Any]]:
    a = _items(form.cdr, form, what)
    if len(a) < 2:
        raise syntax_error(f"bad {what} form", form)
    return a[0], a[1:]


def t_let(form: Any, scope: Scope, comp: Any) -> Any:
    """SRFI-71 ``let``: ``let-values`` when a binding has several variables."""
    head, body = _let_parts(form, "let")
    if is_identifier(head):  # named let
        return Pair(_core("let"), form.cdr)
    binds = [_binding(b, form, scope) for b in _items(head, form, "let")]
    if all(simple for _, _, simple in binds):
        return Pair(_core("let"), form.cdr)
    specs = [L(L(f) if simple else f, e) for f, e, simple in binds]
    return Pair(_core("let-values"), Pair(from_list(specs), from_list(body)))


def t_let_star(form: Any, scope: Scope, comp: Any) -> Any:
    """SRFI-71 ``let*``: each binding sees the variables of the previous ones."""
    head, body = _let_parts(form, "let*")
    binds = [_binding(b, form, scope) for b in _items(head, form, "let*")]
    if all(simple for _, _, simple in binds):
        return Pair(_core("let*"), form.cdr)
    result = from_list(body)
    for f, e, simple in reversed(binds):
        spec = L(L(f) if simple else f, e)
        result = L(Pair(_core("let-values"), Pair(L(spec), result)))
    return result.car


def t_letrec(form: Any, scope: Scope, comp: Any) -> Any:
    """SRFI-71 ``letrec``: the variables are bound (to #f) before the expressions
    run, then assigned their values."""
    head, body = _let_parts(form, "letrec")
    binds = [_binding(b, form, scope) for b in _items(head, form, "letrec")]
    if all(simple for _, _, simple in binds):
        return Pair(_core("letrec"), form.cdr)
    variables: list[Any] = []
    assigns: list[Any] = []
    for f, e, simple in binds:
        names = [f] if simple else _formal_names(f)
        temps = [fresh(base_symbol(n).name, scope) for n in names]
        variables.extend(names)
        if simple:
            tformals: Any = L(temps[0])
        else:
            tformals = _rebuild_formals(f, temps)
        sets = [L(_core("set!"), n, t) for n, t in zip(names, temps, strict=True)]
        assigns.append(L(_core("call-with-values"), L(_core("lambda"), NIL, e),
                         Pair(_core("lambda"), Pair(tformals, from_list(sets + [False])))))
    return L(_core("let"), from_list([L(v, False) for v in variables]),
             *assigns, Pair(_core("let"), Pair(NIL, from_list(body))))


def _formal_names(f: Any) -> list[Any]:
    out = []
    while type(f) is Pair:
        out.append(f.car)
        f = f.cdr
    if is_identifier(f):
        out.append(f)
    return out


def _rebuild_formals(f: Any, temps: list[Any]) -> Any:
    req = []
    i = 0
    while type(f) is Pair:
        req.append(temps[i])
        i += 1
        f = f.cdr
    return from_list(req, temps[i] if is_identifier(f) else NIL)


def t_values_to_list(form: Any, scope: Scope, comp: Any) -> Any:
    """(values->list expr): the values of EXPR as a list."""
    a = _items(form.cdr, form, "values->list")
    if len(a) != 1:
        raise syntax_error("bad values->list form", form)
    return L(_core("call-with-values"), L(_core("lambda"), NIL, a[0]), _core("list"))


def t_values_to_vector(form: Any, scope: Scope, comp: Any) -> Any:
    """(values->vector expr): the values of EXPR as a vector."""
    a = _items(form.cdr, form, "values->vector")
    if len(a) != 1:
        raise syntax_error("bad values->vector form", form)
    return L(_core("call-with-values"), L(_core("lambda"), NIL, a[0]), _core("vector"))


@scheme_procedure("uncons", "(pair)")
def uncons(pair: Any) -> Any:
    """The car and the cdr of PAIR, as two values."""
    if type(pair) is not Pair:
        raise wrong_type("uncons", 1, "pair", pair)
    return make_values((pair.car, pair.cdr))


@scheme_procedure("unlist", "(list)")
def unlist(lst: Any) -> Any:
    """The elements of LIST, as values."""
    items = []
    p = lst
    while type(p) is Pair:
        items.append(p.car)
        p = p.cdr
    if p is not NIL:
        raise wrong_type("unlist", 1, "list", lst)
    return make_values(items)


@scheme_procedure("unvector", "(vector)")
def unvector(vec: Any) -> Any:
    """The elements of VECTOR, as values."""
    if type(vec) is not list:
        raise wrong_type("unvector", 1, "vector", vec)
    return make_values(vec)


python_module("schemos srfi-71",
              {"uncons": uncons, "unlist": unlist, "unvector": unvector},
              {"let": t_let, "let*": t_let_star, "letrec": t_letrec,
               "values->list": t_values_to_list, "values->vector": t_values_to_vector})
