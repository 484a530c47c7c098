"""Modules: a namespace of variables (a Python dict) plus compile-time syntax.

Generated code runs with a module's :attr:`Module.ns` as its Python globals,
so a module variable ``foo`` is the Python global ``g_foo`` (see
:func:`mangle`) and reading it costs one ``LOAD_GLOBAL``.  Macros and
special forms visible in the module live in :attr:`Module.syntax`.
"""

from __future__ import annotations

import re
from typing import Any

from schemos.datum import Symbol
from schemos.syntax import Binding, Global

_SAFE = re.compile(r"[A-Za-z0-9]")
_mangle_cache: dict[str, str] = {}


def mangle(name: str) -> str:
    """Turn any Scheme name into a Python identifier fragment, reversibly."""
    m = _mangle_cache.get(name)
    if m is None:
        out = []
        for ch in name:
            if ch.isascii() and ch.isalnum():
                out.append(ch)
            else:
                out.append(f"_{ord(ch):x}_")
        m = "".join(out)
        _mangle_cache[name] = m
    return m


_DEMANGLE = re.compile(r"_([0-9a-f]+)_")


def demangle(frag: str) -> str:
    """Inverse of :func:`mangle`."""
    return _DEMANGLE.sub(lambda m: chr(int(m.group(1), 16)), frag)


_pyname_cache: dict[Symbol, str] = {}


def global_pyname(sym: Symbol) -> str:
    """The Python global name of module variable ``sym``."""
    n = _pyname_cache.get(sym)
    if n is None:
        n = _pyname_cache[sym] = "g_" + mangle(sym.name)
    return n


def scheme_name_of_pyname(pyname: str) -> str | None:
    """The Scheme name behind a generated Python name (``g_foo``, ``l12_foo``), if any."""
    if pyname.startswith("g_"):
        return demangle(pyname[2:])
    if pyname[:1] in ("l", "p") and "_" in pyname:
        head, _, rest = pyname.partition("_")
        if head[1:].isdigit():
            return demangle(rest)
    return None


class Module:
    """A Guile module: name, variables, syntax, and what it exports."""

    def __init__(self, name: tuple[str, ...], runtime: dict[str, Any]) -> None:
        self.name = name
        self.ns: dict[str, Any] = {"__builtins__": runtime}
        self.syntax: dict[Symbol, Binding] = {}
        #: Python names the compiler called directly, assuming a primitive
        self.assumed_prims: set[str] = set()
        #: names defined by this module itself (not imported)
        self.defined: set[Symbol] = set()
        self.exports: set[Symbol] = set()
        self.filename: str | None = None
        self._globals: dict[Symbol, Global] = {}
        #: (importing module, {local name: exported name}) links to refresh
        self.importers: list[tuple[Module, dict[Symbol, Symbol]]] = []
        #: exported name -> internal name, for #:export ((internal . external))
        self.export_renames: dict[Symbol, Symbol] = {}
        #: true while the module's file is being loaded
        self.loading = False
        #: the interpreter the module belongs to
        self.interp: Any = None
        #: names of the modules this one imported
        self.imported_from: set[tuple[str, ...]] = set()
        #: the module cache key of its source, when loaded from a file
        self.cache_key: str | None = None

    def lookup_binding(self, sym: Symbol) -> Binding:
        """The module-level binding of ``sym``: syntax if any, else its variable."""
        b = self.syntax.get(sym)
        if b is not None:
            return b
        g = self._globals.get(sym)
        if g is None:
            g = self._globals[sym] = Global(self, sym)
        return g

    def ref(self, name: str | Symbol) -> Any:
        """The value of variable ``name``; ``KeyError`` if unbound."""
        sym = name if type(name) is Symbol else Symbol(name)  # type: ignore[arg-type]
        return self.ns[global_pyname(sym)]

    def is_bound(self, name: str | Symbol) -> bool:
        """True if variable ``name`` has a value in this module."""
        sym = name if type(name) is Symbol else Symbol(name)  # type: ignore[arg-type]
        return global_pyname(sym) in self.ns

    def define(self, name: str | Symbol, value: Any) -> None:
        """Bind variable ``name`` to ``value`` (replacing any syntax binding)."""
        sym = name if type(name) is Symbol else Symbol(name)  # type: ignore[arg-type]
        self.syntax.pop(sym, None)
        self.ns[global_pyname(sym)] = value
        self.defined.add(sym)

    def define_syntax(self, name: str | Symbol, binding: Binding) -> None:
        """Bind ``name`` to a macro or special form."""
        sym = name if type(name) is Symbol else Symbol(name)  # type: ignore[arg-type]
        self.syntax[sym] = binding
        self.ns.pop(global_pyname(sym), None)

    def variable_names(self) -> list[str]:
        """Scheme names of every variable bound in the module (for hints)."""
        out = []
        for k in self.ns:
            if k.startswith("g_"):
                out.append(demangle(k[2:]))
        return out

    def all_names(self) -> list[str]:
        """Every name bound in the module, variables and syntax."""
        return self.variable_names() + [s.name for s in self.syntax]

    def __repr__(self) -> str:
        return f"#<module ({' '.join(self.name)})>"

    def scm_write(self, write: bool) -> str:
        """Print as Guile prints a module."""
        return f"#<directory ({' '.join(self.name)}) {id(self):x}>"
