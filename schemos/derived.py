"""Derived syntax written as Python transformers: each takes a form and returns
the core form it stands for.  Identifiers they introduce are aliases of the
root module's bindings, so user definitions cannot capture them (hygiene).
"""

from __future__ import annotations

import itertools
from typing import Any

from schemos.compile import _core
from schemos.datum import NIL, Pair, Symbol, from_list
from schemos.errors import syntax_error
from schemos.syntax import Alias, Scope, base_symbol, is_identifier

_fresh_counter = itertools.count(1)


def fresh(name: str, scope: Scope) -> Alias:
    """A new identifier no user code can name."""
    return Alias(Symbol(name), scope)


def L(*items: Any, tail: Any = NIL) -> Any:  # noqa: N802 - reads like a list literal
    """Build a Scheme list."""
    return from_list(items, tail)


def _items(x: Any, form: Any, what: str) -> list[Any]:
    out = []
    while type(x) is Pair:
        out.append(x.car)
        x = x.cdr
    if x is not NIL:
        raise syntax_error(f"bad {what} form", form)
    return out


def t_do(form: Any, scope: Scope, comp: Any) -> Any:
    """(do ((var init step) ...) (test expr ...) body ...) as a named let."""
    a = _items(form.cdr, form, "do")
    if len(a) < 2:
        raise syntax_error("bad do form", form,
                           hint="(do ((var init step) ...) (test res ...) body ...)")
    specs = _items(a[0], form, "do")
    test_clause = _items(a[1], form, "do")
    if not test_clause:
        raise syntax_error("bad do form: missing test", form)
    loop = fresh("do-loop", scope)
    binds = []
    steps = []
    for s in specs:
        parts = _items(s, form, "do")
        if len(parts) not in (2, 3):
            raise syntax_error("bad do binding", form)
        binds.append(L(parts[0], parts[1]))
        steps.append(parts[2] if len(parts) == 3 else parts[0])
    res = test_clause[1:]
    result = L(_core("begin"), *res) if res else L(_core("if"), False, False)
    body = a[2:]
    return L(_core("let"), loop, from_list(binds),
             L(_core("if"), test_clause[0], result,
               L(_core("begin"), *body, L(loop, *steps))))


def t_receive(form: Any, scope: Scope, comp: Any) -> Any:
    """(receive formals expr body ...)."""
    a = _items(form.cdr, form, "receive")
    if len(a) < 3:
        raise syntax_error("bad receive form", form)
    return L(_core("call-with-values"), L(_core("lambda"), NIL, a[1]),
             Pair(_core("lambda"), Pair(a[0], from_list(a[2:]))))


def _formals(f: Any) -> tuple[list[Any], Any]:
    req = []
    while type(f) is Pair:
        req.append(f.car)
        f = f.cdr
    return req, (f if f is not NIL else None)


def t_let_values(form: Any, scope: Scope, comp: Any, star: bool = False) -> Any:
    """(let-values (((formals) expr) ...) body ...)."""
    a = _items(form.cdr, form, "let-values")
    if not a:
        raise syntax_error("bad let-values form", form)
    binds = _items(a[0], form, "let-values")
    body = from_list(a[1:])
    if star:
        result = Pair(_core("let"), Pair(NIL, body))
        for b in reversed(binds):
            result = L(_core("call-with-values"), L(_core("lambda"), NIL, b.cdr.car),
                       L(_core("lambda"), b.car, result))
        return result
    renames = []
    for b in binds:
        req, rest = _formals(b.car)
        treq = [fresh(base_symbol(r).name, scope) for r in req]
        trest = fresh(base_symbol(rest).name, scope) if rest is not None else None
        renames.append((req, rest, treq, trest, b.cdr.car))
    inner_binds = []
    for req, rest, treq, trest, _ in renames:
        inner_binds.extend(L(r, t) for r, t in zip(req, treq, strict=True))
        if rest is not None:
            inner_binds.append(L(rest, trest))
    result = Pair(_core("let"), Pair(from_list(inner_binds), body))
    for _req, _rest, treq, trest, expr in reversed(renames):
        formals = from_list(treq, trest if trest is not None else NIL)
        result = L(_core("call-with-values"), L(_core("lambda"), NIL, expr),
                   L(_core("lambda"), formals, result))
    return result


def t_let_star_values(form: Any, scope: Scope, comp: Any) -> Any:
    """(let*-values (((formals) expr) ...) body ...)."""
    return t_let_values(form, scope, comp, star=True)


def t_define_values(form: Any, scope: Scope, comp: Any) -> Any:
    """(define-values formals expr)."""
    a = _items(form.cdr, form, "define-values")
    if len(a) != 2:
        raise syntax_error("bad define-values form", form)
    req, rest = _formals(a[0])
    names = req + ([rest] if rest is not None else [])
    temps = [fresh("t", scope) for _ in names]
    treq = temps[:len(req)]
    trest = temps[len(req)] if rest is not None else NIL
    sets = [L(_core("set!"), n, t) for n, t in zip(names, temps, strict=True)]
    return L(_core("begin"), *[L(_core("define"), n, False) for n in names],
             L(_core("call-with-values"), L(_core("lambda"), NIL, a[1]),
               Pair(_core("lambda"), Pair(from_list(treq, trest), from_list(sets + [False])))))


def t_parameterize(form: Any, scope: Scope, comp: Any) -> Any:
    """(parameterize ((param value) ...) body ...)."""
    a = _items(form.cdr, form, "parameterize")
    if not a:
        raise syntax_error("bad parameterize form", form)
    binds = _items(a[0], form, "parameterize")
    ps = [b.car for b in binds]
    vs = [b.cdr.car for b in binds]
    return L(_core("%parameterize"), L(_core("list"), *ps), L(_core("list"), *vs),
             Pair(_core("lambda"), Pair(NIL, from_list(a[1:]))))


def t_delay(form: Any, scope: Scope, comp: Any) -> Any:
    """(delay expr)."""
    a = _items(form.cdr, form, "delay")
    return L(_core("%make-lazy-promise"),
             L(_core("lambda"), NIL, L(_core("%done-promise"), a[0])))


def t_delay_force(form: Any, scope: Scope, comp: Any) -> Any:
    """(delay-force expr)."""
    a = _items(form.cdr, form, "delay-force")
    return L(_core("%make-lazy-promise"), L(_core("lambda"), NIL, a[0]))


def t_guard(form: Any, scope: Scope, comp: Any) -> Any:
    """(guard (var clause ...) body ...)."""
    a = _items(form.cdr, form, "guard")
    if not a or type(a[0]) is not Pair or not is_identifier(a[0].car):
        raise syntax_error("bad guard form", form, hint="(guard (var clause ...) body ...)")
    var = a[0].car
    clauses = _items(a[0].cdr, form, "guard")
    reraise = fresh("reraise", scope)
    has_else = any(type(c) is Pair and is_identifier(c.car) and base_symbol(c.car).name == "else"
                   for c in clauses)
    if not has_else:
        clauses = clauses + [L(_core("else"), L(reraise))]
    return L(_core("%guard"),
             L(_core("lambda"), L(var, reraise), Pair(_core("cond"), from_list(clauses))),
             Pair(_core("lambda"), Pair(NIL, from_list(a[1:]))))


def t_assert(form: Any, scope: Scope, comp: Any) -> Any:
    """(assert expr)."""
    a = _items(form.cdr, form, "assert")
    if len(a) != 1:
        raise syntax_error("bad assert form", form)
    return L(_core("if"), a[0], True, L(_core("%assert-fail"), L(_core("quote"), a[0])))


def t_define_record_type(form: Any, scope: Scope, comp: Any) -> Any:
    """SRFI-9 (define-record-type type (ctor field ...) pred (field acc [mod]) ...)."""
    a = _items(form.cdr, form, "define-record-type")
    if len(a) < 2:
        raise syntax_error("bad define-record-type form", form)
    tname, ctor, pred = a[0], a[1], a[2] if len(a) > 2 else False
    fields = []
    out = []
    for spec in a[3:]:
        if is_identifier(spec):
            fields.append((spec, None, None))
            continue
        parts = _items(spec, form, "define-record-type")
        if not parts:
            raise syntax_error("bad field spec in define-record-type", form)
        fields.append((parts[0], parts[1] if len(parts) > 1 else None,
                       parts[2] if len(parts) > 2 else None))
    q = lambda x: L(_core("quote"), x)  # noqa: E731
    tsym = base_symbol(tname) if is_identifier(tname) else tname
    out.append(L(_core("define"), tname,
                 L(_core("make-record-type"), q(tsym),
                   q(from_list([base_symbol(f[0]) for f in fields])))))
    if type(ctor) is Pair:
        cname = ctor.car
        cfields = [base_symbol(x) for x in _items(ctor.cdr, form, "define-record-type")]
        out.append(L(_core("define"), cname,
                     L(_core("%record-constructor"), tname, q(from_list(cfields)),
                       q(base_symbol(cname)))))
    elif is_identifier(ctor):
        out.append(L(_core("define"), ctor,
                     L(_core("%record-constructor"), tname, False, q(base_symbol(ctor)))))
    if is_identifier(pred):
        out.append(L(_core("define"), pred, L(_core("record-predicate"), tname)))
    for fname, acc, mod in fields:
        if acc is not None:
            out.append(L(_core("define"), acc,
                         L(_core("%record-accessor"), tname, q(base_symbol(fname)),
                           q(base_symbol(acc)))))
        if mod is not None:
            out.append(L(_core("define"), mod,
                         L(_core("%record-modifier"), tname, q(base_symbol(fname)),
                           q(base_symbol(mod)))))
    return L(_core("begin"), *out)


def t_define_syntax_rule(form: Any, scope: Scope, comp: Any) -> Any:
    """(define-syntax-rule (name . pattern) [docstring] template)."""
    a = _items(form.cdr, form, "define-syntax-rule")
    if len(a) not in (2, 3) or type(a[0]) is not Pair:
        raise syntax_error("bad define-syntax-rule form", form)
    name = a[0].car
    template = a[-1]
    return L(_core("define-syntax"), name,
             L(_core("syntax-rules"), NIL,
               L(Pair(Symbol("_"), a[0].cdr), template)))


def t_eval_when(form: Any, scope: Scope, comp: Any) -> Any:
    """(eval-when (situation ...) body ...): schemos always evaluates the body."""
    a = _items(form.cdr, form, "eval-when")
    return L(_core("begin"), *a[1:])


def t_while(form: Any, scope: Scope, comp: Any) -> Any:
    """Guile's (while cond body ...) loop (without break/continue)."""
    a = _items(form.cdr, form, "while")
    if not a:
        raise syntax_error("bad while form", form)
    loop = fresh("while-loop", scope)
    return L(_core("let"), loop, NIL,
             L(_core("when"), a[0], *a[1:], L(loop)))


def t_include(form: Any, scope: Scope, comp: Any) -> Any:
    """(include "file" ...): splice the forms of the files, relative to this file."""
    from pathlib import Path

    from schemos.reader import read_all

    forms: list[Any] = []
    comp.effect("uncacheable", "include")
    for name in _items(form.cdr, form, "include"):
        if type(name) is not str:
            raise syntax_error("include expects a file name string", form)
        p = Path(name)
        if not p.is_absolute() and form.loc is not None and form.loc.file:
            p = Path(form.loc.file).parent / p
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as e:
            raise syntax_error(f"cannot include {p}: {e.strerror or e}", form,
                               hint="include resolves file names relative to the "
                               "including file") from None
        forms.extend(read_all(text, str(p)))
    return L(_core("begin"), *forms)


def t_let_ec(form: Any, scope: Scope, comp: Any) -> Any:
    """(let/ec k body ...): bind an escape continuation."""
    a = _items(form.cdr, form, "let/ec")
    if len(a) < 2 or not is_identifier(a[0]):
        raise syntax_error("bad let/ec form", form, hint="(let/ec k body ...)")
    return L(_core("call/ec"), Pair(_core("lambda"), Pair(L(a[0]), from_list(a[1:]))))


def t_endianness(form: Any, scope: Scope, comp: Any) -> Any:
    """(endianness big|little) from (rnrs bytevectors)."""
    a = _items(form.cdr, form, "endianness")
    if len(a) != 1 or not is_identifier(a[0]) or base_symbol(a[0]).name not in ("big",
                                                                               "little"):
        raise syntax_error("bad endianness form", form, hint="(endianness big) or "
                           "(endianness little)")
    return L(_core("quote"), base_symbol(a[0]))


def _with_param(param: str, form: Any, what: str) -> Any:
    a = _items(form.cdr, form, what)
    if not a:
        raise syntax_error(f"bad {what} form", form, hint=f"({what} list body ...)")
    return L(_core("%parameterize"), L(_core("list"), _core(param)),
             L(_core("list"), L(_core("append"), a[0], L(_core(param)))),
             Pair(_core("lambda"), Pair(NIL, from_list(a[1:]))))


def t_with_imported_modules(form: Any, scope: Scope, comp: Any) -> Any:
    """(with-imported-modules modules body ...): gexps in BODY import MODULES."""
    return _with_param("%current-imported-modules", form, "with-imported-modules")


def t_with_extensions(form: Any, scope: Scope, comp: Any) -> Any:
    """(with-extensions extensions body ...): gexps in BODY use EXTENSIONS."""
    return _with_param("%current-extensions", form, "with-extensions")


def t_false_if_exception(form: Any, scope: Scope, comp: Any) -> Any:
    """(false-if-exception expr): EXPR's value, or #f if it raises."""
    a = _items(form.cdr, form, "false-if-exception")
    if len(a) != 1:
        raise syntax_error("bad false-if-exception form", form)
    return L(_core("catch"), True, L(_core("lambda"), NIL, a[0]),
             Pair(_core("lambda"), Pair(fresh("args", scope), L(False))))


def t_syntax_error(form: Any, scope: Scope, comp: Any) -> Any:
    """R7RS (syntax-error "message" form ...): an error when expanded."""
    from schemos.syntax import strip

    a = _items(form.cdr, form, "syntax-error")
    msg = a[0] if a and type(a[0]) is str else "syntax error"
    raise syntax_error(msg, strip(a[1]) if len(a) > 1 else form)


TRANSFORMERS = {
    "false-if-exception": t_false_if_exception,
    "syntax-error": t_syntax_error,
    "with-imported-modules": t_with_imported_modules,
    "with-extensions": t_with_extensions,
    "let/ec": t_let_ec,
    "let-escape-continuation": t_let_ec,
    "endianness": t_endianness,
    "include": t_include,
    "do": t_do,
    "receive": t_receive,
    "let-values": t_let_values,
    "let*-values": t_let_star_values,
    "define-values": t_define_values,
    "parameterize": t_parameterize,
    "delay": t_delay,
    "delay-force": t_delay_force,
    "make-promise-lazy": t_delay_force,
    "guard": t_guard,
    "assert": t_assert,
    "define-record-type": t_define_record_type,
    "define-syntax-rule": t_define_syntax_rule,
    "eval-when": t_eval_when,
    "while": t_while,
}
