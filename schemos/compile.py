"""Compile expanded Scheme into Python source, then into Python code objects.

Why generate Python: a Scheme procedure becomes a Python function, a lexical
variable a Python local (closures are Python closures, ``set!`` on a
captured variable is ``nonlocal``), a module variable a Python global of the
module's namespace dict.  CPython then runs Scheme at close to the speed of
hand-written Python, which an AST-walking or closure-tree interpreter in
Python cannot approach.

Tail calls: a call in tail position to a procedure that is not a known
primitive returns ``_TC(f, args)`` (a :class:`~schemos.runtime.core.TailCall`)
and every non-tail call site finishes such a value in a loop, so tail calls
run in constant space.  Self tail calls of a procedure or named ``let`` whose
body makes no closures become a ``while True`` loop with no allocation at
all.  Non-tail recursion uses the Python stack, which the interpreter runs on
a thread with a large stack and recursion limit (see ``schemos.interp``).

Source locations: every call is written on its own line of the generated
source, and a per-unit table maps that line back to the Scheme form's file,
line and column, which is how errors and backtraces find Scheme locations.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

from schemos.datum import NIL, UNSPECIFIED, Char, Keyword, Pair, SourceLoc, Symbol
from schemos.errors import SchemeError, syntax_error
from schemos.expand import make_syntax_rules
from schemos.module import Module, global_pyname, mangle
from schemos.syntax import (
    Alias,
    Global,
    Local,
    Macro,
    Scope,
    Special,
    base_symbol,
    is_identifier,
    resolve,
    strip,
)

#: generated filename -> list of SourceLoc (or None) indexed by Python line
UNIT_LOCS: dict[str, list[SourceLoc | None]] = {}
_unit_counter = itertools.count(1)

#: primitives whose result is always a Python bool (usable directly as a test)
BOOL_PRIMS: set[str] = set()

#: (scheme name, arity) -> runtime helper name, for fast fixed-arity calls
FAST: dict[tuple[str, int], str] = {}

#: macro transformers made from a datum, by the datum's head symbol: a
#: ``(define-syntax name (%head ...))`` form whose ``%head`` is here builds its
#: transformer with ``MACRO_BUILDERS[%head](spec, scope, name)``.  Python
#: macros defined this way are described by plain data, so modules that
#: define them can still be cached.
MACRO_BUILDERS: dict[str, Any] = {}


class _Restart(Exception):
    """Abandon compiling a form as an inline loop; compile it as a function."""

    def __init__(self, loop: Any) -> None:
        super().__init__()
        self.loop = loop


class Cont:
    """Where a compiled value goes: ``return``, assignment to a variable, or nowhere."""

    __slots__ = ("kind", "var", "brk", "loop")

    def __init__(self, kind: str, var: str | None = None, brk: bool = False,
                 loop: Any = None) -> None:
        self.kind = kind
        self.var = var
        self.brk = brk
        self.loop = loop


class LoopInfo:
    """A procedure or named let whose self tail calls become ``continue``."""

    __slots__ = ("binding", "params", "used", "inline")

    def __init__(self, binding: Any, params: list[str], inline: bool) -> None:
        self.binding = binding
        self.params = params
        self.used = False
        self.inline = inline


class FnCtx:
    """The Python function being generated."""

    __slots__ = ("lines", "indent", "nonlocals", "globals", "parent", "has_lambda")

    def __init__(self, parent: FnCtx | None, indent: int) -> None:
        self.lines: list[str] = []
        self.indent = indent
        self.nonlocals: set[str] = set()
        self.globals: set[str] = set()
        self.parent = parent
        self.has_lambda = False

    def emit(self, text: str) -> None:
        self.lines.append("    " * self.indent + text)


RETURN = Cont("return")
EFFECT = Cont("effect")
_SIMPLE_CONST = (int, float, bool)


_INLINE_OPS = {"+": "+", "-": "-", "*": "*", "<": "<", ">": ">", "<=": "<=", ">=": ">=",
               "=": "=="}


def _is_small_int(e: str) -> bool:
    return e.lstrip("-").isdigit() and len(e) < 18


def _is_trivial(e: str) -> bool:
    return e.isidentifier() or e.lstrip("-").replace(".", "", 1).isdigit()


class Compiler:
    """Compiles top-level forms of one module into callables."""

    def __init__(self, module: Module, effects: list[Any] | None = None,
                 unit_name: str | None = None) -> None:
        self.module = module
        #: compile-time effects of the form, recorded for the module cache
        self.effects = effects
        self.unit_name = unit_name
        self.last_code: Any = None
        self.last_linemap: list[SourceLoc | None] = []
        self.fn: FnCtx = FnCtx(None, 1)
        self.consts: list[Any] = []
        self.const_index: dict[int, int] = {}
        self.locs: list[SourceLoc | None] = []
        self.counter = 0
        self.depth = 0

    # ------------------------------------------------------------------ units
    def compile_toplevel(self, form: Any, scope: Scope | None = None) -> Any:
        """Compile one top-level form; return a zero-argument Python function."""
        if scope is None:
            scope = Scope(None, self.module)
        self.fn = FnCtx(None, 1)
        scope.fn = self.fn
        self.consts = []
        self.const_index = {}
        self.locs = []
        value = self.top(form, scope)
        self.fn.emit(f"return {value}")
        return self._assemble()

    def _assemble(self) -> Any:
        fn = self.fn
        params = ", ".join(f"K{i}" for i in range(len(self.consts)))
        header = [f"def _unit({params}):"]
        if fn.globals:
            header.append("    global " + ", ".join(sorted(fn.globals)))
        src = "\n".join(header + fn.lines)
        filename = self.unit_name or f"<scheme-{next(_unit_counter)}>"
        src, linemap = self._place_markers(src)
        code = compile(src, filename, "exec")
        UNIT_LOCS[filename] = linemap
        self.last_code = code
        self.last_linemap = linemap
        env: dict[str, Any] = {}
        exec(code, self.module.ns, env)
        unit = env["_unit"]
        consts = tuple(self.consts)
        thunk = lambda: unit(*consts)  # noqa: E731
        thunk.consts = consts  # type: ignore[attr-defined]
        return thunk

    def _place_markers(self, src: str) -> tuple[str, list[SourceLoc | None]]:
        """Replace ``\\x01N\\x02`` markers by newlines, recording line -> location."""
        parts = src.split("\x01")
        out = [parts[0]]
        line = parts[0].count("\n") + 1
        linemap: list[SourceLoc | None] = [None] * (line + 1)
        cur: SourceLoc | None = None
        for part in parts[1:]:
            idx, _, rest = part.partition("\x02")
            cur = self.locs[int(idx)]
            out.append("\n")
            line += 1
            linemap.extend([None] * (line + 1 - len(linemap)))
            linemap[line] = cur
            out.append(rest)
            nl = rest.count("\n")
            line += nl
        linemap.extend([None] * (line + 2 - len(linemap)))
        return "".join(out), linemap

    def marker(self, form: Any) -> str:
        loc = form.loc if type(form) is Pair else None
        if loc is None:
            return ""
        self.locs.append(loc)
        return f"\x01{len(self.locs) - 1}\x02"

    # --------------------------------------------------------------- helpers
    def effect(self, *e: Any) -> None:
        """Record a compile-time effect on the module (for the module cache)."""
        if self.effects is not None:
            self.effects.append(e)

    def tmp(self) -> str:
        self.counter += 1
        return f"t{self.counter}"

    def new_local(self, ident: Any, scope: Scope) -> Local:
        self.counter += 1
        name = base_symbol(ident).name
        loc = Local(f"l{self.counter}_{mangle(name)}", self.fn, name)
        scope.bindings[ident] = loc
        return loc

    def const(self, x: Any) -> str:
        t = type(x)
        if t is bool:
            return "True" if x else "False"
        if t is int and -(2**62) < x < 2**62:
            return repr(x)
        if x is NIL:
            return "_NIL"
        if x is UNSPECIFIED:
            return "_UNSPEC"
        if t is Alias or t is Pair or t is list:
            x = strip(x)
        key = id(x)
        i = self.const_index.get(key)
        if i is None or self.consts[i] is not x:
            i = len(self.consts)
            self.consts.append(x)
            self.const_index[key] = i
        return f"K{i}"

    def capture(self, thunk: Any) -> tuple[list[str], Any]:
        saved = self.fn.lines
        self.fn.lines = []
        try:
            r = thunk()
            return self.fn.lines, r
        finally:
            lines = self.fn.lines
            self.fn.lines = saved
            del lines

    def finish(self, e: str, k: Cont | None) -> str | None:
        """Deliver expression ``e`` to continuation ``k`` (None: return ``e``)."""
        if k is None:
            return e
        if k.kind == "return":
            self.fn.emit(f"return {e}")
        elif k.kind == "assign":
            self.fn.emit(f"{k.var} = {e}")
            if k.brk:
                self.fn.emit("break")
        else:
            if not _is_trivial(e) and not e.startswith("K") and e not in ("_UNSPEC", "_NIL"):
                self.fn.emit(e)
            elif k.brk:
                pass
            if k.brk:
                self.fn.emit("break")
        return None

    def err(self, msg: str, form: Any, hint: str | None = None) -> SchemeError:
        return syntax_error(msg, form, hint=hint)

    def args_of(self, x: Any) -> list[Any]:
        out = []
        p = x.cdr
        while type(p) is Pair:
            out.append(p.car)
            p = p.cdr
        if p is not NIL:
            raise self.err("improper list in form", x)
        return out

    # ---------------------------------------------------------- dispatching
    def classify(self, x: Any, scope: Scope) -> tuple[str, Any]:
        """Expand macros at the head of ``x``; return (kind, form)."""
        while type(x) is Pair and is_identifier(x.car):
            b = resolve(x.car, scope)
            if type(b) is Macro:
                x = self.expand_macro(b, x, scope)
                continue
            if type(b) is Special:
                return b.name, x
            return "call", x
        return ("call" if type(x) is Pair else "atom"), x

    def expand_macro(self, m: Macro, x: Any, scope: Scope) -> Any:
        try:
            out = m.transformer(x, scope, self)
        except SchemeError as e:
            c = e.condition
            if c is not None and c.loc is None and type(x) is Pair:
                c.loc = x.loc
            raise
        if type(out) is Pair and out.loc is None and type(x) is Pair:
            out.loc = x.loc
        return out

    def cx(self, x: Any, scope: Scope) -> str:
        """Compile ``x`` for its value; return a Python expression."""
        t = type(x)
        if t is Symbol or t is Alias:
            return self.ref(x, scope)
        if t is not Pair:
            if t is Symbol or x is NIL and False:
                pass
            return self.const(x)
        kind, x = self.classify(x, scope)
        if kind == "call":
            return self.call(x, scope, None)
        if kind == "atom":
            return self.cx(x, scope)
        return getattr(self, _handler_name(kind))(x, scope, None)

    def cs(self, x: Any, scope: Scope, k: Cont) -> None:
        """Compile ``x`` as a statement delivering its value to ``k``."""
        if type(x) is Pair:
            kind, x = self.classify(x, scope)
            if kind == "call":
                self.call(x, scope, k)
                return
            if kind != "atom":
                getattr(self, _handler_name(kind))(x, scope, k)
                return
        self.finish(self.cx(x, scope), k)

    def ctest(self, x: Any, scope: Scope) -> str:
        """Compile ``x`` as a test: a Python expression that is a real bool."""
        if type(x) is Pair:
            kind, x = self.classify(x, scope)
            if kind == "call":
                head = x.car
                if is_identifier(head):
                    prim = self.known_prim(head, scope)
                    if prim is not None:
                        name = prim.scm_name
                        args = self.args_of(x)
                        if name == "not" and len(args) == 1:
                            return f"not ({self.ctest(args[0], scope)})"
                        if name in BOOL_PRIMS:
                            return self.call(x, scope, None)
                return f"({self.call(x, scope, None)}) is not False"
            if kind == "and":
                parts = self.args_of(x)
                if not parts:
                    return "True"
                lines, tests = self.capture(lambda: [self.ctest(p, scope) for p in parts])
                if not lines:
                    return "(" + " and ".join(tests) + ")"
            elif kind == "or":
                parts = self.args_of(x)
                if not parts:
                    return "False"
                lines, tests = self.capture(lambda: [self.ctest(p, scope) for p in parts])
                if not lines:
                    return "(" + " or ".join(tests) + ")"
            if kind not in ("call", "atom"):
                e = self.cx(x, scope)
                return f"({e}) is not False"
        if type(x) is bool:
            return "True" if x else "False"
        if type(x) is not Symbol and type(x) is not Alias and type(x) is not Pair:
            return "True"
        return f"{self.cx(x, scope)} is not False"

    # ---------------------------------------------------------- variables
    def known_prim(self, ident: Any, scope: Scope) -> Any:
        """The primitive ``ident`` denotes, if it is an unchanged builtin."""
        b = resolve(ident, scope)
        if type(b) is not Global:
            return None
        mod = b.module
        if b.sym in mod.defined:
            return None
        v = mod.ns.get(global_pyname(b.sym))
        if v is not None and getattr(v, "scm_primitive", False):
            return v
        return None

    def ref(self, ident: Any, scope: Scope) -> str:
        b = resolve(ident, scope)
        tb = type(b)
        if tb is Local:
            if b.loop is not None and b.loop.inline:
                raise _Restart(b.loop)
            return b.pyname
        if tb is Global:
            if b.module is self.module:
                return global_pyname(b.sym)
            return f"{self.const(b.module.ns)}[{global_pyname(b.sym)!r}]"
        raise self.err(f"syntax keyword used as a variable: {base_symbol(ident).name}", ident,
                       hint="a macro or special form cannot be passed around as a value")

    # --------------------------------------------------------------- calls
    def compile_args(self, args: list[Any], scope: Scope) -> list[str]:
        exprs: list[str] = []
        for a in args:
            lines, e = self.capture(lambda a=a: self.cx(a, scope))
            if lines:
                for i, prev in enumerate(exprs):
                    if not _is_trivial(prev) and not prev.startswith("K"):
                        t = self.tmp()
                        self.fn.emit(f"{t} = {prev}")
                        exprs[i] = t
                self.fn.lines.extend(lines)
            exprs.append(e)
        return exprs

    def call(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        head = x.car
        args = self.args_of(x)
        self.depth += 1
        try:
            return self._call(x, head, args, scope, k)
        finally:
            self.depth -= 1

    def _call(self, x: Any, head: Any, args: list[Any], scope: Scope,
              k: Cont | None) -> str | None:
        mk = self.marker(x)
        if is_identifier(head):
            b = resolve(head, scope)
            # self tail call of a loop: rebind the parameters and go round again
            if k is not None and k.loop is not None and k.loop.binding is b \
                    and len(args) == len(k.loop.params):
                loop = k.loop
                exprs = self.compile_args(args, scope)
                loop.used = True
                changed = [(p, e) for p, e in zip(loop.params, exprs, strict=True) if p != e]
                if changed:
                    lhs = ", ".join(p for p, _ in changed)
                    rhs = ", ".join(e for _, e in changed)
                    self.fn.emit(f"{lhs} = {rhs}" + ("," if len(changed) == 1 and False else ""))
                self.fn.emit("continue")
                return None
            if type(b) is Local and b.loop is not None and b.loop.inline:
                raise _Restart(b.loop)
            prim = self.known_prim(head, scope)
            if prim is not None:
                gb = b
                name = prim.scm_name
                if name == "apply" and k is not None and k.kind == "return" and len(args) >= 2:
                    exprs = self.compile_args(args, scope)
                    return self.finish(
                        f"(_TC({exprs[0]}, _apply_args({', '.join(exprs[1:])})))", k)
                exprs = self.compile_args(args, scope)
                exprs = self._maybe_hoist(exprs)
                inl = self.inline(name, exprs, prim)
                if inl is not None:
                    return self.finish(f"({mk}{inl})", k)
                fast = FAST.get((name, len(args)))
                if name in ("+", "-") and len(args) == 2 and exprs[1] == "1":
                    f1 = FAST.get(("1+" if name == "+" else "1-", 1))
                    if f1 is not None:
                        fast = f1
                        exprs = exprs[:1]
                if fast is not None:
                    e = f"({mk}{fast}({', '.join(exprs)}))"
                else:
                    assert type(gb) is Global
                    if gb.module is self.module:
                        fname = global_pyname(gb.sym)
                        if fname not in self.module.assumed_prims:
                            self.module.assumed_prims.add(fname)
                            self.effect("assume", fname)
                    else:
                        fname = self.const(prim)
                    e = f"({mk}{fname}({', '.join(exprs)}))"
                return self.finish(e, k)
            f = self.ref(head, scope)
        else:
            f = self.cx(head, scope)
            if not _is_trivial(f) and not f.startswith("K"):
                t = self.tmp()
                self.fn.emit(f"{t} = {f}")
                f = t
        exprs = self.compile_args(args, scope)
        exprs = self._maybe_hoist(exprs)
        if k is not None and k.kind == "return":
            tup = "(" + ", ".join(exprs) + ("," if len(exprs) == 1 else "") + ")"
            self.fn.emit(f"return ({mk}_TC({f}, {tup}))")
            return None
        e = f"(_r if (_r := ({mk}{f}({', '.join(exprs)}))).__class__ is not _TC " \
            f"else _tramp(_r))"
        return self.finish(e, k)

    def _simple(self, e: str) -> tuple[str, str]:
        """(first use, later uses) of expression ``e``, binding it to a temp if needed."""
        if _is_trivial(e) or (e.startswith("K") and e[1:].isdigit()):
            if not e.isidentifier():
                e = f"({e})"  # `5.__class__` would not parse
            return e, e
        self.counter += 1
        t = f"_i{self.counter}"
        return f"({t} := {e})", t

    def inline(self, name: str, a: list[str], prim: Any) -> str | None:
        """Python for a call of builtin ``name`` that needs no call in the common case.

        Each inline form tests the argument types it handles and falls back
        to the primitive itself otherwise, so results and errors are the
        primitive's.
        """
        n = len(a)
        if n == 1:
            if name == "null?":
                return f"{a[0]} is _NIL"
            if name == "pair?":
                return f"{a[0]}.__class__ is _Pair"
            if name == "not":
                return f"{a[0]} is False"
            if name in ("car", "cdr"):
                first, x = self._simple(a[0])
                return f"{x}.{name} if {first}.__class__ is _Pair else {self.const(prim)}({x})"
            if name in ("1+", "1-", "zero?"):
                first, x = self._simple(a[0])
                op = {"1+": f"{x} + 1", "1-": f"{x} - 1", "zero?": f"{x} == 0"}[name]
                return f"{op} if {first}.__class__ is int else {self.const(prim)}({x})"
            return None
        if n == 2:
            if name == "cons":
                return f"_Pair({a[0]}, {a[1]})"
            if name == "eq?" and any(e.startswith("K") or e in ("True", "False", "_NIL")
                                     for e in a):
                # identity is eq? for symbols, keywords, booleans, chars and '()
                if not any(_is_small_int(e) for e in a):
                    return f"{a[0]} is {a[1]}"
            op = _INLINE_OPS.get(name)
            if op is not None:
                f0, x = self._simple(a[0])
                f1, y = self._simple(a[1])
                fast = FAST.get((name, 2))
                fb = fast if fast is not None else self.const(prim)
                if _is_small_int(a[1]):
                    return f"{x} {op} {y} if {f0}.__class__ is int else {fb}({x}, {y})"
                if _is_small_int(a[0]):
                    return f"{x} {op} {y} if {f1}.__class__ is int else {fb}({x}, {y})"
                return (f"{x} {op} {y} if {f0}.__class__ is {f1}.__class__ is int "
                        f"else {fb}({x}, {y})")
        return None

    def _maybe_hoist(self, exprs: list[str]) -> list[str]:
        if self.depth < 40:
            return exprs
        out = []
        for e in exprs:
            if _is_trivial(e) or e.startswith("K"):
                out.append(e)
            else:
                t = self.tmp()
                self.fn.emit(f"{t} = {e}")
                out.append(t)
        return out

    # ------------------------------------------------------------ lambdas
    def parse_params(self, params: Any, form: Any) -> tuple[list[Any], Any]:
        req = []
        p = params
        while type(p) is Pair:
            if not is_identifier(p.car):
                raise self.err("bad lambda parameter", form,
                               hint="parameters must be identifiers")
            req.append(p.car)
            p = p.cdr
        rest = None
        if p is not NIL:
            if not is_identifier(p):
                raise self.err("bad lambda parameter list", form)
            rest = p
        return req, rest

    def compile_lambda(self, x: Any, params: Any, body: Any, scope: Scope,
                       defname: str | None = None, loop_binding: Any = None,
                       star: bool = False) -> str:
        """Emit a ``def`` for a lambda; return the Python name it is bound to."""
        parent = self.fn
        parent.has_lambda = True
        if defname is None:
            self.counter += 1
            defname = f"a{self.counter}"
        allow_loop = loop_binding is not None
        while True:
            ctx = FnCtx(parent, parent.indent + 1)
            self.fn = ctx
            try:
                header, loop = self._lambda_body(x, params, body, scope, ctx, loop_binding
                                                 if allow_loop else None, star, defname)
            finally:
                self.fn = parent
            if loop is not None and loop.used and ctx.has_lambda:
                allow_loop = False
                continue
            break
        pad = "    " * (parent.indent + 1)
        out = ["    " * parent.indent + header]
        if ctx.globals:
            out.append(pad + "global " + ", ".join(sorted(ctx.globals)))
        nl = ctx.nonlocals - ctx.globals
        if nl:
            out.append(pad + "nonlocal " + ", ".join(sorted(nl)))
        if loop is not None and loop.used:
            out.append(pad + "while True:")
            out.extend("    " + ln for ln in ctx.lines)
        else:
            out.extend(ctx.lines)
        parent.lines.extend(out)
        return defname

    def _lambda_body(self, x: Any, params: Any, body: Any, scope: Scope, ctx: FnCtx,
                     loop_binding: Any, star: bool, defname: str) -> tuple[str, Any]:
        sc = Scope(scope, scope.module, ctx)
        loop = None
        if star:
            header = self._star_params(x, params, sc, defname)
        else:
            req, rest = self.parse_params(params, x)
            names = [self.new_local(p, sc).pyname for p in req]
            if rest is not None:
                rl = self.new_local(rest, sc)
                header = f"def {defname}({', '.join(names + ['*' + rl.pyname])}):"
                ctx.emit(f"{rl.pyname} = _list({rl.pyname})")
            else:
                header = f"def {defname}({', '.join(names)}):"
                if loop_binding is not None:
                    loop = LoopInfo(loop_binding, names, inline=False)
        self.body(body, sc, Cont("return", loop=loop), x)
        return header, loop

    def _star_params(self, x: Any, params: Any, sc: Scope, defname: str) -> str:
        """``lambda*``: #:optional, #:key, #:rest and #:allow-other-keys."""
        req: list[Any] = []
        opt: list[tuple[Any, Any]] = []
        keys: list[tuple[Any, Any, Keyword]] = []
        rest = None
        allow_other = False
        mode = "req"
        p = params
        while type(p) is Pair:
            item = p.car
            if type(item) is Keyword:
                if item.name == "optional":
                    mode = "opt"
                elif item.name == "key":
                    mode = "key"
                elif item.name == "rest":
                    mode = "rest"
                elif item.name == "allow-other-keys":
                    allow_other = True
                else:
                    raise self.err(f"unknown lambda* keyword #:{item.name}", x)
            elif mode == "req":
                req.append(item)
            elif mode == "rest":
                rest = item
            else:
                if type(item) is Pair:
                    name = item.car
                    default = item.cdr.car if type(item.cdr) is Pair else False
                    kw = None
                    if mode == "key" and type(item.cdr) is Pair and type(item.cdr.cdr) is Pair:
                        # (name default) only; Guile's (name kw default) form
                        pass
                else:
                    name, default = item, None
                if mode == "opt":
                    opt.append((name, default))
                else:
                    kw = Keyword(base_symbol(name).name)
                    keys.append((name, default, kw))
            p = p.cdr
        if p is not NIL:
            rest = p
        names = [self.new_local(r, sc).pyname for r in req]
        self.counter += 1
        restv = f"r{self.counter}"
        header = f"def {defname}({', '.join(names + ['*' + restv])}):"
        ctx = self.fn
        targets = []
        # defaults are evaluated in a scope where earlier parameters are bound
        bind_later: list[tuple[Any, Any, str]] = []
        for name, default in opt:
            t = self.tmp()
            targets.append(t)
            bind_later.append((name, default, t))
        for name, default, _kw in keys:
            t = self.tmp()
            targets.append(t)
            bind_later.append((name, default, t))
        rest_t = None
        if rest is not None:
            rest_t = self.tmp()
            targets.append(rest_t)
        kwtuple = self.const(tuple(kw for _, _, kw in keys))
        ctx.emit(f"{', '.join(targets)}{',' if len(targets) == 1 else ''} = "
                 f"_parse_opt({restv}, {len(opt)}, {kwtuple}, {allow_other}, "
                 f"{rest is not None}, {defname!r})" if targets else
                 f"_parse_opt({restv}, 0, (), {allow_other}, False, {defname!r})")
        for name, default, t in bind_later:
            if default is None:
                loc = self.new_local(name, sc)
                # an optional or keyword argument without a default is #f (Guile)
                ctx.emit(f"{loc.pyname} = False if {t} is _DEFAULT else {t}")
            else:
                # the default sees the parameters before this one, not itself
                ctx.emit(f"if {t} is _DEFAULT:")
                ctx.indent += 1
                self.cs(default, sc, Cont("assign", t))
                ctx.indent -= 1
                loc = self.new_local(name, sc)
                ctx.emit(f"{loc.pyname} = {t}")
        if rest is not None:
            loc = self.new_local(rest, sc)
            ctx.emit(f"{loc.pyname} = {rest_t}")
        return header

    # --------------------------------------------------------------- bodies
    def scan_body(self, forms: list[Any], scope: Scope) -> list[tuple[str, Any, Any]]:
        """Expand body forms far enough to find definitions.

        Returns a list of ``("define", ident, value-form)`` and ``("expr", form, None)``.
        """
        out: list[tuple[str, Any, Any]] = []
        queue = list(forms)
        while queue:
            f = queue.pop(0)
            kind, f = self.classify(f, scope)
            if kind == "begin":
                queue[:0] = self.args_of(f)
            elif kind in ("define", "define*", "define-inlinable"):
                name, value = self.parse_define(f, star=(kind == "define*"))
                out.append(("define", name, value))
            elif kind == "define-syntax":
                self.sp_define_syntax(f, scope, None)
            elif kind in ("use-modules", "export", "re-export"):
                self.module_form(kind, f)
            else:
                out.append(("expr", f, None))
        return out

    def parse_define(self, f: Any, star: bool = False) -> tuple[Any, Any]:
        args = f.cdr
        if type(args) is not Pair:
            raise self.err("bad define form", f)
        target = args.car
        if type(target) is Pair:
            # curried define: ((f a) b) -> (f a) (lambda (b) ...)
            body = args.cdr
            lam_head = "lambda*" if star else "lambda"
            while type(target) is Pair:
                body = Pair(Pair(_core(lam_head), Pair(target.cdr, body), f.loc), NIL)
                target = target.car
            if not is_identifier(target):
                raise self.err("bad define form", f)
            return target, body.car
        if not is_identifier(target):
            raise self.err("bad define form: not an identifier", f,
                           hint="write (define name value) or (define (name args ...) body ...)")
        if args.cdr is NIL:
            return target, UNSPECIFIED
        if type(args.cdr) is not Pair or args.cdr.cdr is not NIL:
            raise self.err("bad define form", f)
        return target, args.cdr.car

    def body(self, forms: Any, scope: Scope, k: Cont, where: Any) -> None:
        items = []
        p = forms
        while type(p) is Pair:
            items.append(p.car)
            p = p.cdr
        if not items:
            raise self.err("empty body", where)
        sc = scope.child()
        scanned = self.scan_body(items, sc)
        if not scanned:
            raise self.err("body has no expressions", where,
                           hint="a body needs at least one expression")
        defined = [(name, self.new_local(name, sc)) for kind, name, _ in scanned
                   if kind == "define"]
        del defined
        for i, (kind, f, value) in enumerate(scanned):
            last = i == len(scanned) - 1
            if kind == "define":
                loc = resolve(f, sc)
                assert type(loc) is Local
                self.assign_value(loc.pyname, value, sc, f, loop_binding=loc)
                if last:
                    self.finish("_UNSPEC", k)
            elif last:
                self.cs(f, sc, k)
            else:
                self.cs(f, sc, EFFECT)

    def assign_value(self, pyname: str, value: Any, scope: Scope, name: Any,
                     loop_binding: Any = None) -> None:
        """Compile ``value`` into Python variable ``pyname`` (a def when it is a lambda)."""
        if type(value) is Pair:
            kind, value = self.classify(value, scope)
            if kind in ("lambda", "lambda*") and type(value.cdr) is Pair:
                self.compile_lambda(value, value.cdr.car, value.cdr.cdr, scope,
                                    defname=pyname, loop_binding=loop_binding,
                                    star=(kind == "lambda*"))
                return
        self.cs(value, scope, Cont("assign", pyname))

    # --------------------------------------------------------------- toplevel
    def top(self, form: Any, scope: Scope) -> str:
        """Compile a top-level form; definitions become module variables."""
        kind, form = self.classify(form, scope)
        if kind == "begin":
            value = "_UNSPEC"
            for f in self.args_of(form):
                value = self.top(f, scope)
                if not _is_trivial(value) and not value.startswith("K") and \
                        value not in ("_UNSPEC",):
                    t = self.tmp()
                    self.fn.emit(f"{t} = {value}")
                    value = t
            return value
        if kind in ("define", "define*", "define-inlinable", "define-public"):
            name, value = self.parse_define(form, star=(kind == "define*"))
            self.define_global(name, value, scope, form)
            if kind == "define-public":
                self.module.exports.add(base_symbol(name))
                self.effect("export", base_symbol(name))
            return "_UNSPEC"
        if kind == "define-syntax":
            self.sp_define_syntax(form, scope, None)
            return "_UNSPEC"
        if kind in ("use-modules", "export", "re-export", "export-syntax", "re-export-syntax",
                    "define-module"):
            self.module_form(kind, form)
            return "_UNSPEC"
        if kind == "call":
            return self.call(form, scope, None)
        return self.cx(form, scope)

    def define_global(self, name: Any, value: Any, scope: Scope, form: Any) -> None:
        sym = base_symbol(name)
        mod = self.module
        mod.syntax.pop(sym, None)
        pyname = global_pyname(sym)
        was_assumed = pyname in mod.assumed_prims
        mod.defined.add(sym)
        self.effect("defined", sym)
        self.fn.globals.add(pyname)
        gb = mod.lookup_binding(sym)
        self.assign_value(pyname, value, scope, name, loop_binding=gb)
        if was_assumed:
            self.fn.emit(f"{pyname} = _prim_wrap({pyname})")

    def module_form(self, kind: str, form: Any) -> None:
        """Compile-time effect of a module form (imports, exports)."""
        ms = self.module.interp.modsys
        self.effect("module-form", kind, strip(form))
        if kind == "use-modules":
            ms.use_modules(self.module, form)
        elif kind == "define-module":
            self.module.interp.current = ms.define_module(form)
        else:
            ms.export(self.module, form)

    # ------------------------------------------------------- special forms
    def sp_use_modules(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        self.module_form("use-modules", x)
        return self.finish("_UNSPEC", k)

    def sp_export(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        self.module_form("export", x)
        return self.finish("_UNSPEC", k)

    sp_re_export = sp_export
    sp_export_syntax = sp_export
    sp_re_export_syntax = sp_export

    def sp_define_module(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        raise self.err("define-module must be at the top level of a file", x)

    def sp__40_(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        """``(@ (module name) variable)`` and ``(@@ ...)``."""
        a = self.args_of(x)
        if len(a) != 2 or not is_identifier(a[1]):
            raise self.err("bad @ form", x, hint="(@ (module name) variable)")
        from schemos.modsys import module_name_of

        m = self.module.interp.modsys.resolve(module_name_of(a[0], x), x.loc)
        sym = base_symbol(a[1])
        if sym in m.syntax:
            raise self.err(f"{sym.name} in module {m.name} is syntax, not a variable", x)
        return self.finish(f"{self.const(m.ns)}[{global_pyname(sym)!r}]", k)

    sp__40__40_ = sp__40_

    def sp_quote(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        a = self.args_of(x)
        if len(a) != 1:
            raise self.err("bad quote form", x)
        return self.finish(self.const(a[0]), k)

    def sp_if(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        a = self.args_of(x)
        if len(a) not in (2, 3):
            raise self.err("bad if form", x, hint="(if test consequent [alternative])")
        test = self.ctest(a[0], scope)
        ctx = self.fn
        if k is None:
            ctx.indent += 1
            try:
                la, ea = self.capture(lambda: self.cx(a[1], scope))
                if len(a) == 3:
                    lb, eb = self.capture(lambda: self.cx(a[2], scope))
                else:
                    lb, eb = [], "_UNSPEC"
            finally:
                ctx.indent -= 1
            if not la and not lb:
                return f"({ea} if {test} else {eb})"
            t = self.tmp()
            ctx.emit(f"if {test}:")
            ctx.lines.extend(la)
            ctx.emit(f"    {t} = {ea}")
            ctx.emit("else:")
            ctx.lines.extend(lb)
            ctx.emit(f"    {t} = {eb}")
            return t
        ctx.emit(f"if {test}:")
        ctx.indent += 1
        self.cs(a[1], scope, k)
        ctx.indent -= 1
        if len(a) == 3 or k.kind != "effect" or k.brk:
            ctx.emit("else:")
            ctx.indent += 1
            n = len(ctx.lines)
            if len(a) == 3:
                self.cs(a[2], scope, k)
            else:
                self.finish("_UNSPEC", k)
            if len(ctx.lines) == n:
                ctx.emit("pass")
            ctx.indent -= 1
        return None

    def sp_define(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        raise self.err("definition in expression context, where definitions are not "
                       "allowed", x, hint="move the define to the start of a body or to the "
                       "top level")

    sp_define_star = sp_define
    sp_define_inlinable = sp_define
    sp_define_public = sp_define

    def sp_set_bang(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        a = self.args_of(x)
        if len(a) != 2 or not is_identifier(a[0]):
            raise self.err("bad set! form", x, hint="(set! variable value)")
        b = resolve(a[0], scope)
        if type(b) is Local:
            if b.loop is not None and b.loop.inline:
                raise _Restart(b.loop)
            if b.owner is not self.fn:
                self.fn.nonlocals.add(b.pyname)
            self.cs(a[1], scope, Cont("assign", b.pyname))
        elif type(b) is Global:
            pyname = global_pyname(b.sym)
            if b.module is self.module:
                self.fn.globals.add(pyname)
                self.cs(a[1], scope, Cont("assign", pyname))
                if pyname in self.module.assumed_prims:
                    self.fn.emit(f"{pyname} = _prim_wrap({pyname})")
            else:
                e = self.cx(a[1], scope)
                self.fn.emit(f"{self.const(b.module.ns)}[{pyname!r}] = {e}")
        else:
            raise self.err(f"cannot set! syntax keyword {base_symbol(a[0]).name}", x)
        return self.finish("_UNSPEC", k)

    def sp_lambda(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        if type(x.cdr) is not Pair:
            raise self.err("bad lambda form", x, hint="(lambda (params ...) body ...)")
        name = self.compile_lambda(x, x.cdr.car, x.cdr.cdr, scope)
        return self.finish(name, k)

    def sp_lambda_star(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        if type(x.cdr) is not Pair:
            raise self.err("bad lambda* form", x)
        name = self.compile_lambda(x, x.cdr.car, x.cdr.cdr, scope, star=True)
        return self.finish(name, k)

    def sp_begin(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        a = self.args_of(x)
        if not a:
            return self.finish("_UNSPEC", k)
        for f in a[:-1]:
            self.cs(f, scope, EFFECT)
        if k is None:
            return self.cx(a[-1], scope)
        self.cs(a[-1], scope, k)
        return None

    def _bindings(self, x: Any, spec: Any) -> list[tuple[Any, Any]]:
        out = []
        p = spec
        while type(p) is Pair:
            b = p.car
            if is_identifier(b):
                out.append((b, UNSPECIFIED))
            elif type(b) is Pair and is_identifier(b.car) and (
                    b.cdr is NIL or (type(b.cdr) is Pair and b.cdr.cdr is NIL)):
                out.append((b.car, b.cdr.car if b.cdr is not NIL else UNSPECIFIED))
            else:
                raise self.err("bad binding in let form", x,
                               hint="each binding is (name value)")
            p = p.cdr
        if p is not NIL:
            raise self.err("bad bindings in let form", x)
        return out

    def _is_lambda(self, v: Any, scope: Scope) -> bool:
        if type(v) is not Pair or not is_identifier(v.car) or type(v.cdr) is not Pair:
            return False
        b = resolve(v.car, scope)
        return type(b) is Special and b.name in ("lambda", "lambda*")

    def _value_of(self, k: Cont | None) -> tuple[Cont, str | None]:
        if k is None:
            t = self.tmp()
            return Cont("assign", t), t
        return k, None

    def sp_let(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        if type(x.cdr) is not Pair:
            raise self.err("bad let form", x)
        if is_identifier(x.cdr.car):
            return self.named_let(x, scope, k)
        binds = self._bindings(x, x.cdr.car)
        sc = scope.child()
        locs = [self.new_local(name, sc) for name, _ in binds]
        if all(self._is_lambda(v, scope) for _, v in binds):
            # named procedures, as Guile names let-bound lambdas
            for loc, (_, v) in zip(locs, binds, strict=True):
                self.compile_lambda(v, v.cdr.car, v.cdr.cdr, scope, defname=loc.pyname,
                                    star=base_symbol(v.car).name == "lambda*")
        else:
            exprs = self.compile_args([v for _, v in binds], scope)
            for loc, e in zip(locs, exprs, strict=True):
                self.fn.emit(f"{loc.pyname} = {e}")
        kk, t = self._value_of(k)
        self.body(x.cdr.cdr, sc, kk, x)
        return t

    def sp_let_star(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        if type(x.cdr) is not Pair:
            raise self.err("bad let* form", x)
        binds = self._bindings(x, x.cdr.car)
        sc = scope
        for name, v in binds:
            e = self.cx(v, sc)
            sc = sc.child()
            loc = self.new_local(name, sc)
            self.fn.emit(f"{loc.pyname} = {e}")
        kk, t = self._value_of(k)
        self.body(x.cdr.cdr, sc, kk, x)
        return t

    def sp_letrec(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        if type(x.cdr) is not Pair:
            raise self.err("bad letrec form", x)
        binds = self._bindings(x, x.cdr.car)
        sc = scope.child()
        locs = [self.new_local(name, sc) for name, _ in binds]
        for loc, (_, v) in zip(locs, binds, strict=True):
            self.assign_value(loc.pyname, v, sc, None, loop_binding=loc)
        kk, t = self._value_of(k)
        self.body(x.cdr.cdr, sc, kk, x)
        return t

    sp_letrec_star = sp_letrec

    def named_let(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        a = x.cdr
        name = a.car
        if type(a.cdr) is not Pair:
            raise self.err("bad named let form", x)
        binds = self._bindings(x, a.cdr.car)
        body = a.cdr.cdr
        ctx = self.fn
        # first try: an inline `while True` loop in the current function
        saved_lines = ctx.lines
        saved_counter = self.counter
        ctx.lines = list(saved_lines)
        saved_has_lambda = ctx.has_lambda
        saved_indent = ctx.indent
        ctx.has_lambda = False
        try:
            r = self._inline_loop(x, name, binds, body, scope, k)
            if ctx.has_lambda:
                raise _Restart(None)
            ctx.has_lambda = saved_has_lambda
            return r
        except _Restart:
            ctx.lines = saved_lines
            ctx.indent = saved_indent
            ctx.has_lambda = saved_has_lambda
            self.counter = saved_counter + 1000
        # general case: a local procedure
        exprs = self.compile_args([v for _, v in binds], scope)
        sc = scope.child()
        loc = self.new_local(name, sc)
        params = Pair(None, NIL)
        ids: list[Any] = [n for n, _ in binds]
        p: Any = NIL
        for i in reversed(ids):
            p = Pair(i, p)
        params = p
        self.compile_lambda(x, params, body, sc, defname=loc.pyname, loop_binding=loc)
        return self.finish(f"(_tramp({loc.pyname}({', '.join(exprs)})))", k) \
            if k is None or k.kind != "return" else \
            self.finish(f"{loc.pyname}({', '.join(exprs)})", k)

    def _inline_loop(self, x: Any, name: Any, binds: list[tuple[Any, Any]], body: Any,
                     scope: Scope, k: Cont | None) -> str | None:
        ctx = self.fn
        exprs = self.compile_args([v for _, v in binds], scope)
        sc = scope.child()
        loopvar = self.new_local(name, sc)
        inner = sc.child()
        params = [self.new_local(n, inner).pyname for n, _ in binds]
        loop = LoopInfo(loopvar, params, inline=True)
        loopvar.loop = loop
        if params:
            ctx.emit(f"{', '.join(params)} = {', '.join(exprs)}"
                     + ("," if len(params) == 1 and False else ""))
        result = None
        if k is not None and k.kind == "return":
            exit_k = Cont("return", loop=loop)
        else:
            result = self.tmp()
            exit_k = Cont("assign", result, brk=True, loop=loop)
        ctx.emit("while True:")
        ctx.indent += 1
        self.body(body, inner, exit_k, x)
        ctx.indent -= 1
        if result is None:
            return None
        if k is None:
            return result
        self.finish(result, k)
        return None

    def sp_and(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        a = self.args_of(x)
        if not a:
            return self.finish("True", k)
        if len(a) == 1:
            return self.finish(self.cx(a[0], scope), k) if k is None else self.cs(a[0], scope, k)
        kk, t = self._value_of(k if k is not None and k.kind != "effect" else None)
        if k is not None and k.kind == "effect":
            kk, t = self._value_of(None)
        ctx = self.fn
        self._and_or(a, scope, kk, "and")
        if k is not None and k.kind == "effect":
            if k.brk:
                ctx.emit("break")
            return None
        return t

    def sp_or(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        a = self.args_of(x)
        if not a:
            return self.finish("False", k)
        if len(a) == 1:
            return self.finish(self.cx(a[0], scope), k) if k is None else self.cs(a[0], scope, k)
        if k is not None and k.kind == "effect":
            kk, t = self._value_of(None)
        else:
            kk, t = self._value_of(k)
        self._and_or(a, scope, kk, "or")
        if k is not None and k.kind == "effect" and k.brk:
            self.fn.emit("break")
        return t

    def _and_or(self, a: list[Any], scope: Scope, k: Cont, op: str) -> None:
        ctx = self.fn
        depth = 0
        for i, e in enumerate(a):
            if i == len(a) - 1:
                self.cs(e, scope, k)
                break
            v = self.cx(e, scope)
            t = self.tmp()
            ctx.emit(f"{t} = {v}")
            if op == "and":
                ctx.emit(f"if {t} is False:")
            else:
                ctx.emit(f"if {t} is not False:")
            ctx.indent += 1
            self.finish(t, k)
            ctx.indent -= 1
            ctx.emit("else:")
            ctx.indent += 1
            depth += 1
        ctx.indent -= depth

    def sp_when(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        return self._when(x, scope, k, False)

    def sp_unless(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        return self._when(x, scope, k, True)

    def _when(self, x: Any, scope: Scope, k: Cont | None, negate: bool) -> str | None:
        if type(x.cdr) is not Pair:
            raise self.err("bad when/unless form", x)
        test = self.ctest(x.cdr.car, scope)
        if negate:
            test = f"not ({test})"
        kk, t = self._value_of(k)
        ctx = self.fn
        ctx.emit(f"if {test}:")
        ctx.indent += 1
        body = x.cdr.cdr
        forms = list(body) if type(body) is Pair else []
        if not forms:
            self.finish("_UNSPEC", kk)
        for f in forms[:-1]:
            self.cs(f, scope, EFFECT)
        if forms:
            self.cs(forms[-1], scope, kk)
        ctx.indent -= 1
        if kk.kind != "effect" or kk.brk:
            ctx.emit("else:")
            ctx.indent += 1
            self.finish("_UNSPEC", kk)
            ctx.indent -= 1
        return t

    def sp_cond(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        clauses = self.args_of(x)
        kk, t = self._value_of(k)
        ctx = self.fn
        opened = 0
        first = True
        has_else = False
        for cl in clauses:
            if type(cl) is not Pair:
                raise self.err("bad cond clause", x)
            head = cl.car
            if is_identifier(head) and base_symbol(head).name == "else" and \
                    not isinstance(resolve(head, scope), Local):
                if first:
                    self._seq(cl.cdr, scope, kk)
                    first = False
                else:
                    ctx.emit("else:")
                    ctx.indent += 1
                    self._seq(cl.cdr, scope, kk)
                    ctx.indent -= 1
                has_else = True
                break
            arrow = type(cl.cdr) is Pair and is_identifier(cl.cdr.car) and \
                base_symbol(cl.cdr.car).name == "=>"
            if arrow or cl.cdr is NIL:
                if not first:
                    ctx.emit("else:")
                    ctx.indent += 1
                    opened += 1
                v = self.cx(head, scope)
                tv = self.tmp()
                ctx.emit(f"{tv} = {v}")
                ctx.emit(f"if {tv} is not False:")
                ctx.indent += 1
                if arrow:
                    fexpr = self.cx(cl.cdr.cdr.car, scope)
                    if kk.kind == "return":
                        ctx.emit(f"return _TC({fexpr}, ({tv},))")
                    else:
                        self.finish(f"_tramp({fexpr}({tv}))", kk)
                else:
                    self.finish(tv, kk)
                ctx.indent -= 1
                first = False
                continue
            lines, test = self.capture(lambda: self.ctest(head, scope))
            if first:
                ctx.lines.extend(lines)
                ctx.emit(f"if {test}:")
            elif not lines:
                ctx.emit(f"elif {test}:")
            else:
                ctx.emit("else:")
                ctx.indent += 1
                opened += 1
                ctx.lines.extend(self._reindent(lines, 1))
                ctx.emit(f"if {test}:")
            ctx.indent += 1
            self._seq(cl.cdr, scope, kk)
            ctx.indent -= 1
            first = False
        if first:
            self.finish("_UNSPEC", kk)
        elif not has_else and (kk.kind != "effect" or kk.brk):
            ctx.emit("else:")
            ctx.indent += 1
            self.finish("_UNSPEC", kk)
            ctx.indent -= 1
        ctx.indent -= opened
        return t

    def _reindent(self, lines: list[str], extra: int) -> list[str]:
        if not extra:
            return lines
        return ["    " * extra + ln for ln in lines]

    def _seq(self, forms: Any, scope: Scope, k: Cont) -> None:
        items = list(forms) if type(forms) is Pair else []
        if not items:
            self.finish("_UNSPEC", k)
            return
        for f in items[:-1]:
            self.cs(f, scope, EFFECT)
        self.cs(items[-1], scope, k)

    def sp_case(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        a = self.args_of(x)
        if not a:
            raise self.err("bad case form", x)
        key = self.cx(a[0], scope)
        tk = self.tmp()
        ctx = self.fn
        ctx.emit(f"{tk} = {key}")
        kk, t = self._value_of(k)
        first = True
        has_else = False
        for cl in a[1:]:
            if type(cl) is not Pair:
                raise self.err("bad case clause", x)
            data = cl.car
            body = cl.cdr
            is_else = is_identifier(data) and base_symbol(data).name == "else"
            if is_else:
                if first:
                    ctx.emit("if True:")
                else:
                    ctx.emit("else:")
                has_else = True
            else:
                tests = []
                for d in (list(data) if type(data) is Pair else []):
                    d = strip(d)
                    if type(d) in (Symbol, Char, bool) or d is NIL:
                        tests.append(f"{tk} is {self.const(d)}")
                    else:
                        tests.append(f"_eqv({tk}, {self.const(d)})")
                test = " or ".join(tests) or "False"
                ctx.emit(("if " if first else "elif ") + test + ":")
            ctx.indent += 1
            if type(body) is Pair and is_identifier(body.car) and \
                    base_symbol(body.car).name == "=>":
                fexpr = self.cx(body.cdr.car, scope)
                self.finish(f"_tramp({fexpr}({tk}))", kk)
            else:
                self._seq(body, scope, kk)
            ctx.indent -= 1
            first = False
            if is_else:
                break
        if first:
            self.finish("_UNSPEC", kk)
        elif not has_else and (kk.kind != "effect" or kk.brk):
            ctx.emit("else:")
            ctx.indent += 1
            self.finish("_UNSPEC", kk)
            ctx.indent -= 1
        return t

    def sp_quasiquote(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        a = self.args_of(x)
        if len(a) != 1:
            raise self.err("bad quasiquote form", x)
        return self.finish(self.qq(a[0], 1, scope), k)

    def _qq_head(self, x: Any) -> str | None:
        if type(x) is Pair and is_identifier(x.car) and type(x.cdr) is Pair \
                and x.cdr.cdr is NIL:
            n = base_symbol(x.car).name
            if n in ("unquote", "unquote-splicing", "quasiquote"):
                return n
        return None

    def _has_unquote(self, x: Any) -> bool:
        stack = [x]
        while stack:
            y = stack.pop()
            if type(y) is Pair:
                if self._qq_head(y) is not None:
                    return True
                stack.append(y.car)
                stack.append(y.cdr)
            elif type(y) is list:
                stack.extend(y)
        return False

    def qq(self, x: Any, depth: int, scope: Scope) -> str:
        if not self._has_unquote(x):
            return self.const(x)
        if type(x) is list:
            return f"_list_to_vector({self.qq(_vec_to_list(x), depth, scope)})"
        h = self._qq_head(x)
        if h == "unquote":
            if depth == 1:
                return self.cx(x.cdr.car, scope)
            return f"_qq((0, {self.const(x.car)}, 0, {self.qq(x.cdr.car, depth - 1, scope)}), _NIL)"
        if h == "quasiquote":
            return f"_qq((0, {self.const(x.car)}, 0, {self.qq(x.cdr.car, depth + 1, scope)}), _NIL)"
        if h == "unquote-splicing" and depth > 1:
            return (f"_qq((0, {self.const(x.car)}, 0, "
                    f"{self.qq(x.cdr.car, depth - 1, scope)}), _NIL)")
        items: list[tuple[bool, str]] = []
        p = x
        while type(p) is Pair:
            if self._qq_head(p) in ("unquote", "quasiquote"):
                break  # `(a . ,b)`: the tail is an unquote form
            item = p.car
            if self._qq_head(item) == "unquote-splicing" and depth == 1:
                items.append((True, self.cx(item.cdr.car, scope)))
            else:
                items.append((False, self.qq(item, depth, scope)))
            p = p.cdr
        tail = self.qq(p, depth, scope) if p is not NIL else "_NIL"
        if len(items) > 32:
            parts = []
            for splice, e in items:
                parts.append("1" if splice else "0")
                parts.append(e)
            return f"_qq(({', '.join(parts)}{',' if len(parts) == 1 else ''}), {tail})"
        # build the list directly; the last spliced list is shared, as in Guile
        for splice, e in reversed(items):
            if not splice:
                tail = f"_Pair({e}, {tail})"
            elif tail == "_NIL":
                tail = f"_qsplice_last({e})"
            else:
                tail = f"_qappend({e}, {tail})"
        return tail

    def sp_gexp(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        """``#~exp``: a gexp value whose ungexp'd parts are evaluated now."""
        from schemos.gexp import UNGEXP_KINDS, GexpSlot

        a = self.args_of(x)
        if len(a) != 1:
            raise self.err("bad gexp form", x)
        specs: list[str] = []

        def walk(y: Any, depth: int) -> Any:
            if type(y) is Pair:
                h = y.car
                if is_identifier(h):
                    name = base_symbol(h).name
                    if name in UNGEXP_KINDS and type(y.cdr) is Pair:
                        if depth == 1:
                            rest = self.args_of(y)
                            if len(rest) == 1 and is_identifier(rest[0]) and \
                                    ":" in base_symbol(rest[0]).name[1:] and \
                                    not isinstance(resolve(rest[0], scope), Local) and \
                                    not self._bound_global(rest[0], scope):
                                # #$thing:out reads as (ungexp thing "out") in Guix
                                nm, _, outp = base_symbol(rest[0]).name.rpartition(":")
                                rest = [Symbol(nm), outp]
                            if is_identifier(rest[0]) and base_symbol(rest[0]).name == \
                                    "output" and not isinstance(resolve(rest[0], scope), Local) \
                                    and not self._bound_global(rest[0], scope):
                                # #$output: the derivation's output, known when lowered
                                out = self.cx(rest[1], scope) if len(rest) > 1 else "'out'"
                                specs.extend([repr("output"), f"_gexp_output({out})", "None"])
                                return GexpSlot(len(specs) // 3 - 1)
                            value = self.cx(rest[0], scope)
                            output = self.cx(rest[1], scope) if len(rest) > 1 else "None"
                            specs.extend([repr(name), value, output])
                            return GexpSlot(len(specs) // 3 - 1)
                        return Pair(h, walk(y.cdr, depth - 1), y.loc)
                    if name == "gexp":
                        return Pair(h, walk(y.cdr, depth + 1), y.loc)
                items = []
                p = y
                while type(p) is Pair:
                    items.append((p, walk(p.car, depth)))
                    p = p.cdr
                r = walk(p, depth) if p is not NIL else NIL
                for q, v in reversed(items):
                    r = Pair(v, r, q.loc)
                return r
            if type(y) is list:
                return [walk(e, depth) for e in y]
            return strip(y)

        template = walk(a[0], 1)
        tup = "(" + ", ".join(specs) + ("," if len(specs) == 1 else "") + ")"
        return self.finish(f"_make_gexp({self.const(template)}, {tup}, "
                           f"{self.const(x.loc) if x.loc is not None else 'None'})", k)

    def _bound_global(self, ident: Any, scope: Scope) -> bool:
        b = resolve(ident, scope)
        return type(b) is Global and global_pyname(b.sym) in b.module.ns

    def sp_ungexp(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        raise self.err("ungexp (#$) outside of a gexp (#~)", x)

    sp_ungexp_splicing = sp_ungexp
    sp_ungexp_native = sp_ungexp
    sp_ungexp_native_splicing = sp_ungexp

    def sp_unquote(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        raise self.err("unquote outside of quasiquote", x)

    sp_unquote_splicing = sp_unquote

    def sp_define_syntax(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        a = self.args_of(x)
        if len(a) != 2 or not is_identifier(a[0]):
            raise self.err("bad define-syntax form", x,
                           hint="(define-syntax name (syntax-rules (literals ...) rules ...))")
        macro = self.make_macro(a[1], scope, base_symbol(a[0]).name)
        if scope.parent is None and scope.fn is not None and scope.fn.parent is None \
                and scope is not None and self._is_top_scope(scope):
            self.module.define_syntax(base_symbol(a[0]), macro)
            if _has_alias(a[1]):
                self.effect("uncacheable", "a macro defined by a macro expansion")
            self.effect("syntax", base_symbol(a[0]), a[1])
        else:
            scope.bindings[a[0]] = macro
        return self.finish("_UNSPEC", k)

    def _is_top_scope(self, scope: Scope) -> bool:
        return scope.parent is None

    def make_macro(self, spec: Any, scope: Scope, name: str) -> Macro:
        if type(spec) is Pair and is_identifier(spec.car):
            builder = MACRO_BUILDERS.get(base_symbol(spec.car).name)
            if builder is not None:
                return Macro(builder(spec, scope, name), scope, name)
        kind, spec = self.classify(spec, scope)
        if kind == "syntax-rules":
            return Macro(make_syntax_rules(spec, scope, name), scope, name)
        if kind == "er-macro-transformer":
            raise self.err("er-macro-transformer is not supported", spec)
        if type(spec) is Pair and is_identifier(spec.car):
            b = resolve(spec.car, scope)
            if type(b) is Macro:
                return self.make_macro(self.expand_macro(b, spec, scope), scope, name)
        raise self.err("unsupported macro transformer", spec,
                       hint="schemos supports (syntax-rules ...) transformers")

    def sp_syntax_rules(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        raise self.err("syntax-rules outside of define-syntax", x)

    def _let_syntax(self, x: Any, scope: Scope, k: Cont | None, rec: bool) -> str | None:
        if type(x.cdr) is not Pair:
            raise self.err("bad let-syntax form", x)
        sc = scope.child()
        for name, spec in self._bindings(x, x.cdr.car):
            sc.bindings[name] = self.make_macro(spec, sc if rec else scope,
                                                base_symbol(name).name)
        kk, t = self._value_of(k)
        self.body(x.cdr.cdr, sc, kk, x)
        return t

    def sp_let_syntax(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        return self._let_syntax(x, scope, k, False)

    def sp_letrec_syntax(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        return self._let_syntax(x, scope, k, True)

    def sp_case_lambda(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        clauses = self.args_of(x)
        parts = []
        for cl in clauses:
            if type(cl) is not Pair:
                raise self.err("bad case-lambda clause", x)
            req, rest = self.parse_params(cl.car, x)
            name = self.compile_lambda(cl, cl.car, cl.cdr, scope)
            parts.append(f"({len(req)}, {rest is not None}, {name})")
        return self.finish(f"_case_lambda(({', '.join(parts)}{',' if len(parts) == 1 else ''}))",
                           k)

    def sp_the_environment(self, x: Any, scope: Scope, k: Cont | None) -> str | None:
        return self.finish(self.const(self.module), k)


_HANDLER_NAMES: dict[str, str] = {"@": "sp__40_", "@@": "sp__40__40_"}


def _handler_name(kind: str) -> str:
    h = _HANDLER_NAMES.get(kind)
    if h is None:
        h = "sp_" + kind.replace("-", "_").replace("*", "_star").replace("!", "_bang")
        _HANDLER_NAMES[kind] = h
    return h


def _has_alias(x: Any) -> bool:
    stack = [x]
    while stack:
        y = stack.pop()
        t = type(y)
        if t is Alias:
            if not y.is_core():
                return True
            continue
        if t is Pair:
            stack.append(y.car)
            stack.append(y.cdr)
        elif t is list:
            stack.extend(y)
    return False


def _vec_to_list(v: list[Any]) -> Any:
    r: Any = NIL
    for x in reversed(v):
        r = Pair(x, r)
    return r


_ROOT_SCOPE: list[Scope] = []


def _core(name: str) -> Any:
    """An identifier that means the core binding ``name`` whatever the user's scope."""
    if _ROOT_SCOPE:
        return Alias(Symbol(name), _ROOT_SCOPE[0])
    return Symbol(name)


def set_root_scope(scope: Scope) -> None:
    """Record the scope of the root module, for :func:`_core`."""
    _ROOT_SCOPE[:] = [scope]


SPECIAL_FORMS = [
    "quote", "quasiquote", "unquote", "unquote-splicing", "if", "define", "define*",
    "define-inlinable", "define-public", "set!", "lambda", "lambda*", "begin", "let", "let*",
    "letrec", "letrec*", "and", "or", "when", "unless", "cond", "case", "define-syntax",
    "let-syntax", "letrec-syntax", "syntax-rules", "case-lambda", "the-environment",
    "use-modules", "export", "re-export", "export-syntax", "re-export-syntax", "define-module",
    "@", "@@", "gexp", "ungexp", "ungexp-splicing", "ungexp-native",
    "ungexp-native-splicing",
]

_ = (Fraction, _SIMPLE_CONST)
