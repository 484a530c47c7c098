"""Guile's module system: ``define-module``, ``use-modules``, interfaces, the load path.

A module ``(a b c)`` is the file ``a/b/c.scm`` found first in ``stdlib/``,
then in the ``-L`` directories, then in ``SCHEMOS_LOAD_PATH``.  Importing a
module copies the values (and macros) of its public interface into the
importing module's namespace, where generated code reads them as plain
Python globals; a module that is imported while it is still loading (an
import cycle) is an error that names the cycle.  When a module finishes
loading, every module that imported it while it was loading sees its final
bindings.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemos.datum import NIL, Keyword, Pair, SourceLoc, Symbol, from_list
from schemos.errors import Condition, SchemeError, syntax_error
from schemos.module import Module, global_pyname
from schemos.paths import STDLIB_DIR
from schemos.syntax import base_symbol, is_identifier, strip

if TYPE_CHECKING:
    from schemos.interp import Interpreter


def module_name_of(spec: Any, form: Any = None) -> tuple[str, ...]:
    """The module name tuple of a spec such as ``(gnu services)``."""
    spec = strip(spec)
    parts = []
    p = spec
    while type(p) is Pair:
        if type(p.car) is not Symbol:
            if type(p.car) is int:
                parts.append(str(p.car))  # (srfi srfi 1) style
                p = p.cdr
                continue
            raise syntax_error("bad module name", form if form is not None else spec,
                               hint="a module name is a list of symbols, e.g. (gnu services)")
        parts.append(p.car.name)
        p = p.cdr
    if not parts:
        raise syntax_error("empty module name", form)
    return tuple(parts)


def module_name_str(name: tuple[str, ...]) -> str:
    """``("gnu", "services")`` -> ``"(gnu services)"``."""
    return "(" + " ".join(name) + ")"


#: modules implemented in Python, by name: installer(interp, module) fills the
#: module (its ns, syntax and exports).  Register with :func:`register_module`.
PYTHON_MODULES: dict[tuple[str, ...], Any] = {}


def register_module(name: str, installer: Any) -> None:
    """Register a module implemented in Python, e.g. ``register_module("ice-9 match", f)``.

    ``installer(interp, module)`` is called when the module is first imported;
    it binds what the module defines (``module.define(name, value)``,
    ``module.define_syntax(name, Macro(...))``) and fills ``module.exports``.
    A Scheme file of the same module name in stdlib/ can import an internal
    Python module instead, e.g. ``(schemos match)``.
    """
    PYTHON_MODULES[tuple(name.split())] = installer


class ModuleSystem:
    """Finds, loads and links modules for one interpreter."""

    def __init__(self, interp: Interpreter, load_path: list[str] | None = None) -> None:
        self.interp = interp
        self.load_path: list[Path] = []
        self.set_load_path(load_path or [])
        self.loading: list[tuple[str, ...]] = []
        #: modules implemented in Python: name -> installer(interp, module)
        self.provided: dict[tuple[str, ...], Any] = {}

    def set_load_path(self, dirs: list[str] | list[Path]) -> None:
        """Search ``stdlib/``, then ``dirs``, then ``$SCHEMOS_LOAD_PATH`` (read now).

        Modules already loaded stay loaded: the build server sets a build's
        ``-L`` directories on an interpreter that preloaded ``stdlib/`` modules,
        which ``stdlib/``, searched first, would provide anyway.
        """
        self.load_path = [STDLIB_DIR, *(Path(d) for d in dirs)]
        env = os.environ.get("SCHEMOS_LOAD_PATH")
        if env:
            self.load_path.extend(Path(d) for d in env.split(":") if d)

    def add_load_path(self, d: str | Path) -> None:
        """Search ``d`` for modules, after stdlib/ and earlier directories."""
        p = Path(d)
        if p not in self.load_path:
            self.load_path.append(p)

    def find_file(self, name: tuple[str, ...]) -> Path | None:
        """The file defining module ``name``, if any directory of the load path has it."""
        rel = Path(*name).with_suffix(".scm") if len(name) > 0 else None
        if rel is None:
            return None
        rel = Path(*name[:-1], name[-1] + ".scm")
        for d in self.load_path:
            f = d / rel
            if f.is_file():
                return f
        return None

    def resolve(self, name: tuple[str, ...], loc: SourceLoc | None = None) -> Module:
        """The module called ``name``, loading it if needed."""
        interp = self.interp
        m = interp.modules.get(name)
        if m is not None:
            if m.loading:
                if name in self.loading:
                    i = self.loading.index(name)
                    cycle = self.loading[i:] + [name]
                    raise SchemeError(Condition(
                        "misc-error", "module import cycle: ~A",
                        args=[" -> ".join(module_name_str(n) for n in cycle)],
                        loc=loc, hint="break the cycle by moving the shared definitions "
                        "into a module that both can import"))
            return m
        installer = self.provided.get(name) or PYTHON_MODULES.get(name)
        if installer is None and name[0] == "schemos" and len(name) > 1:
            # (schemos foo-bar) is implemented by the Python module schemos.foo_bar,
            # which registers itself when imported
            import importlib

            try:
                importlib.import_module("schemos." + "_".join(name[1:]).replace("-", "_"))
            except ImportError:
                pass
            installer = PYTHON_MODULES.get(name)
        if installer is not None:
            m = interp.make_module(name)
            m.cache_key = "builtin:" + " ".join(name)
            installer(interp, m)
            return m
        path = self.find_file(name)
        if path is None:
            searched = ", ".join(str(d) for d in self.load_path)
            raise SchemeError(Condition(
                "misc-error", "no code for module ~A", args=[module_name_str(name)],
                irritants=[from_list([Symbol(p) for p in name])], loc=loc,
                hint=f"searched {searched}; add a directory with -L DIR or "
                "SCHEMOS_LOAD_PATH"))
        m = interp.make_module(name)
        m.filename = str(path)
        m.loading = True
        self.loading.append(name)
        try:
            interp.load_module_file(path, m)
        except BaseException:
            interp.modules.pop(name, None)
            raise
        finally:
            self.loading.pop()
            m.loading = False
        self.refresh_importers(m)
        return m

    # ------------------------------------------------------------ interfaces
    def parse_spec(self, spec: Any, form: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
        """Split a use-module spec into the module name and its options."""
        spec = strip(spec)
        if type(spec) is Pair and type(spec.car) is Pair:
            name = module_name_of(spec.car, form)
            opts: dict[str, Any] = {}
            p = spec.cdr
            while type(p) is Pair:
                k = p.car
                if type(k) is not Keyword or type(p.cdr) is not Pair:
                    raise syntax_error("bad module interface spec", form,
                                       hint="((module name) #:select (names ...)) or "
                                       "#:prefix, #:renamer, #:hide, #:version")
                opts[k.name] = p.cdr.car
                p = p.cdr.cdr
            return name, opts
        return module_name_of(spec, form), {}

    def import_spec(self, importer: Module, spec: Any, form: Any,
                    names_only: list[Symbol] | None = None) -> Module:
        """Import the interface described by ``spec`` into ``importer``."""
        loc = form.loc if type(form) is Pair else None
        name, opts = self.parse_spec(spec, form)
        src = self.resolve(name, loc)
        if not opts and names_only is None and src.cache_key is not None and \
                src.cache_key.startswith("builtin:") and src.exports is not None and \
                self._all_builtin(src):
            # every module already sees the builtins: importing them links nothing
            importer.imported_from.add(src.name)
            return src
        mapping: dict[Symbol, Symbol] = {}
        if "select" in opts:
            for item in opts["select"]:
                if type(item) is Pair:
                    mapping[item.cdr] = item.car
                else:
                    mapping[item] = item
        elif names_only is not None:
            for n in names_only:
                mapping[n] = n
        else:
            for n in self.interface(src):
                mapping[n] = n
        for h in (opts.get("hide") or NIL):
            mapping.pop(h, None)
        if "prefix" in opts:
            pre = opts["prefix"]
            pre_s = pre.name if type(pre) is Symbol else str(pre)
            mapping = {Symbol(pre_s + k.name): v for k, v in mapping.items()}
        if "renamer" in opts:
            from schemos.runtime.core import call

            proc = self.interp.eval_form(opts["renamer"], importer)
            mapping = {call(proc, k): v for k, v in mapping.items()}
        for local, srcname in mapping.items():
            self.link(importer, local, src, srcname)
        src.importers.append((importer, mapping))
        importer.imported_from.add(src.name)
        return src

    def _all_builtin(self, m: Module) -> bool:
        """True if ``m`` only re-exports root bindings (a module of _BUILTIN_MODULES)."""
        return getattr(m, "all_builtin", False)

    def interface(self, m: Module) -> list[Symbol]:
        """The names ``m`` exports."""
        if m is self.interp.root:
            from schemos.module import demangle

            return [Symbol(demangle(k[2:])) for k in m.ns if k.startswith("g_")] + \
                list(m.syntax)
        return list(m.exports)

    def link(self, importer: Module, local: Symbol, src: Module, srcname: Symbol) -> None:
        """Make ``local`` in ``importer`` denote ``srcname`` of ``src``."""
        if local in importer.defined:
            return  # a module's own definitions win over its imports
        srcname = src.export_renames.get(srcname, srcname)
        b = src.syntax.get(srcname)
        lp = global_pyname(local)
        if b is not None:
            importer.syntax[local] = b
            importer.ns.pop(lp, None)
            return
        sp = global_pyname(srcname)
        if sp in src.ns:
            v = src.ns[sp]
            if lp in importer.assumed_prims:
                from schemos.runtime.control import prim_wrap

                v = prim_wrap(v)
            importer.ns[lp] = v
            importer.syntax.pop(local, None)

    def refresh_importers(self, m: Module) -> None:
        """Give modules that imported ``m`` while it loaded its final bindings."""
        for importer, mapping in m.importers:
            for local, srcname in mapping.items():
                self.link(importer, local, m, srcname)

    # --------------------------------------------------------- define-module
    def define_module(self, form: Any) -> Module:
        """Process a ``(define-module name options ...)`` form; return the module."""
        interp = self.interp
        if type(form.cdr) is not Pair:
            raise syntax_error("bad define-module form", form)
        name = module_name_of(form.cdr.car, form)
        m = interp.modules.get(name)
        if m is None:
            m = interp.make_module(name)
        if m.filename is None and form.loc is not None:
            m.filename = form.loc.file
        p = form.cdr.cdr
        while type(p) is Pair:
            k = p.car
            if type(k) is not Keyword:
                raise syntax_error("bad define-module option", form,
                                   hint="options are keywords such as #:use-module, #:export")
            if type(p.cdr) is not Pair:
                if k.name in ("pure",):
                    p = p.cdr
                    continue
                raise syntax_error(f"missing value for #:{k.name}", form)
            v = p.cdr.car
            kn = k.name
            if kn == "use-module":
                self.import_spec(m, v, form)
            elif kn == "autoload":
                names = [strip(x) for x in (p.cdr.cdr.car if type(p.cdr.cdr) is Pair else NIL)]
                self.import_spec(m, v, form, names_only=names)
                p = p.cdr
            elif kn in ("export", "re-export", "export-syntax", "re-export-syntax",
                        "replace", "re-export-and-replace"):
                for s in strip(v):
                    if type(s) is Pair:  # (internal . external)
                        m.exports.add(s.cdr)
                        m.export_renames[s.cdr] = s.car
                    else:
                        m.exports.add(s)
            elif kn in ("declarative?", "version", "duplicates", "use-syntax", "pure",
                        "export-variable"):
                pass
            else:
                raise syntax_error(f"unknown define-module option #:{kn}", form)
            p = p.cdr.cdr
        return m

    def use_modules(self, importer: Module, form: Any) -> None:
        """Process ``(use-modules spec ...)`` into ``importer``."""
        p = form.cdr
        while type(p) is Pair:
            self.import_spec(importer, p.car, form)
            p = p.cdr

    def export(self, m: Module, form: Any) -> None:
        """Process ``(export name ...)`` and friends."""
        p = form.cdr
        while type(p) is Pair:
            x = p.car
            if is_identifier(x):
                m.exports.add(base_symbol(x))
            elif type(x) is Pair:
                m.exports.add(strip(x.cdr))
            p = p.cdr
