"""Identifiers, bindings and compile-time scopes shared by the expander and compiler.

An identifier is a :class:`~schemos.datum.Symbol` written by the user, or an
:class:`Alias` that a macro expansion introduced.  An alias remembers the
scope of the macro's definition: when nothing introduced by the same
expansion binds it, it means what its symbol meant where the macro was
defined.  That is all hygiene needs for ``syntax-rules``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schemos.datum import Pair, Symbol

if TYPE_CHECKING:
    from schemos.module import Module


class Alias:
    """A renamed identifier introduced by a macro expansion."""

    __slots__ = ("sym", "scope")

    def __init__(self, sym: Any, scope: Scope) -> None:
        self.sym = sym
        self.scope = scope

    @property
    def name(self) -> str:
        """The name of the underlying symbol."""
        return base_symbol(self).name

    def is_core(self) -> bool:
        """True for an alias of a root-module binding (what derived forms introduce)."""
        s = self.scope
        return type(self.sym) is Symbol and s.parent is None and not s.bindings \
            and s.module.name == ("guile",)

    def __reduce__(self) -> Any:
        # only aliases of core bindings can be stored in the module cache; they
        # are rebuilt against the root module of the interpreter that loads them
        if self.is_core():
            from schemos.compile import _core

            return (_core, (self.sym.name,))
        raise TypeError("cannot store a macro-introduced identifier")

    def __repr__(self) -> str:
        return f"Alias({self.name})"


def is_identifier(x: Any) -> bool:
    """True for a symbol or a macro-introduced alias."""
    t = type(x)
    return t is Symbol or t is Alias


def base_symbol(x: Any) -> Symbol:
    """The symbol an identifier was made from, peeling all renamings."""
    while type(x) is Alias:
        x = x.sym
    return x


def strip(x: Any) -> Any:
    """``syntax->datum``: replace every alias in ``x`` by its symbol (copying)."""
    t = type(x)
    if t is Alias:
        return base_symbol(x)
    if t is Pair:
        # iterative along the spine; recursion only in the car direction
        items = []
        p = x
        while type(p) is Pair:
            items.append(p)
            p = p.cdr
        tail = strip(p)
        changed = tail is not p
        cars = [strip(q.car) for q in items]
        if not changed and all(a is q.car for a, q in zip(cars, items, strict=True)):
            return x
        result = tail
        for q, a in zip(reversed(items), reversed(cars), strict=True):
            result = Pair(a, result, q.loc)
        return result
    if t is list:
        new = [strip(e) for e in x]
        if all(a is b for a, b in zip(new, x, strict=True)):
            return x
        return new
    return x


class Binding:
    """Base class of what an identifier can denote at compile time."""

    __slots__ = ()


class Special(Binding):
    """A core special form handled by the compiler."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"#<syntax {self.name}>"

    def scm_write(self, write: bool) -> str:
        """Print as Guile prints a syntax transformer."""
        return f"#<syntax-transformer {self.name}>"


class Macro(Binding):
    """A macro: ``transformer(form, use_scope, compiler) -> form``.

    ``scope`` is where the macro was defined (for hygiene); ``name`` is for
    messages.
    """

    __slots__ = ("transformer", "scope", "name")

    def __init__(self, transformer: Any, scope: Scope | None, name: str) -> None:
        self.transformer = transformer
        self.scope = scope
        self.name = name

    def scm_write(self, write: bool) -> str:
        """Print as Guile prints a macro."""
        return f"#<syntax-transformer {self.name}>"


class Local(Binding):
    """A lexical variable: a Python local called ``pyname`` in function ``owner``."""

    __slots__ = ("pyname", "owner", "name", "loop")

    def __init__(self, pyname: str, owner: Any, name: str) -> None:
        self.pyname = pyname
        self.owner = owner
        self.name = name
        #: set when the variable names a loop the compiler turned into `while`
        self.loop: Any = None


class Global(Binding):
    """A module-level variable ``sym`` of ``module``."""

    __slots__ = ("module", "sym")

    def __init__(self, module: Module, sym: Symbol) -> None:
        self.module = module
        self.sym = sym


class Scope:
    """A compile-time lexical frame: identifiers to bindings, inside a module."""

    __slots__ = ("parent", "bindings", "module", "fn")

    def __init__(self, parent: Scope | None, module: Module, fn: Any = None) -> None:
        self.parent = parent
        self.bindings: dict[Any, Binding] = {}
        self.module = module
        self.fn = fn if fn is not None else (parent.fn if parent is not None else None)

    def child(self) -> Scope:
        """A new frame inside this one, in the same Python function."""
        return Scope(self, self.module, self.fn)


def resolve(ident: Any, scope: Scope) -> Binding:
    """What ``ident`` denotes in ``scope``: a local, a macro, a special form or a global."""
    while True:
        s: Scope | None = scope
        while s is not None:
            b = s.bindings.get(ident)
            if b is not None:
                return b
            s = s.parent
        if type(ident) is Alias:
            scope = ident.scope
            ident = ident.sym
            continue
        return scope.module.lookup_binding(ident)


def is_bound_lexically(ident: Any, scope: Scope) -> bool:
    """True if ``ident`` is bound by a lexical (non-global) binding in ``scope``."""
    return isinstance(resolve(ident, scope), Local)


def free_identifier_eq(a: Any, scope_a: Scope, b: Any, scope_b: Scope) -> bool:
    """``free-identifier=?``: do ``a`` and ``b`` denote the same thing?"""
    ba = resolve(a, scope_a)
    bb = resolve(b, scope_b)
    if ba is bb:
        return True
    if isinstance(ba, Global) and isinstance(bb, Global):
        return ba.sym is bb.sym
    if isinstance(ba, Local) or isinstance(bb, Local):
        return False
    return base_symbol(a) is base_symbol(b)
