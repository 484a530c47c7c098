"""Lowering: gexps and file-like objects to derivations and store items.

This is the machinery of Guix's ``(guix gexp)`` -- ``lower-object``,
``lower+expand-object``, ``gexp-inputs``, ``gexp->sexp``, ``lower-gexp``
and ``gexp->derivation`` -- written in Python for speed; the compilers of
each kind of file-like object (``plain-file``, ``computed-file``, packages,
origins…) stay in Scheme, registered with ``define-gexp-compiler`` as in
Guix, and are called from here.

A compiler is Guix's: ``(lambda (obj system target) …)`` returning a value
in the store monad -- here a procedure of the store -- whose value is a
derivation, a store file name, another lowerable object (lowered in turn)
or a self-quoting value.  Results are cached in the store per object,
system, target and bootstrap stage, as Guix caches them per connection.

A lowered gexp becomes a derivation whose builder is
``GUILE/bin/guile --no-auto-compile -L MODULES -C COMPILED SCRIPT``: the
script is the gexp's s-expression, with every input replaced by its store
file name, written with schemos' printer (which writes what Guile's
``write`` writes for the data gexps hold), and added to the store as
``NAME-builder``.  Imported modules and their compiled counterparts are
derivations (or a store directory) built by Scheme code of ``(guix gexp)``,
registered here as the ``imported+compiled-modules`` hook.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

from schemos.datum import NIL, UNSPECIFIED, Char, Keyword, Nil, Pair, Symbol, Values, from_list
from schemos.errors import Condition, SchemeError
from schemos.gexp import Gexp, GexpInput, GexpOutput, GexpSlot
from schemos.runtime.control import Parameter, Record, RecordType
from schemos.runtime.core import call
from schemos.store.api import DerivationInput, derivation
from schemos.store.derivation import Derivation
from schemos.store.disk import LocalStore

#: record type -> (lower, expand): the gexp compilers ``define-gexp-compiler`` registers
COMPILERS: weakref.WeakKeyDictionary[RecordType, tuple[Any, Any]] = weakref.WeakKeyDictionary()
#: Scheme procedures lowering needs from higher layers, by name (see ``set_hook``)
HOOKS: dict[str, Any] = {}
#: #t while lowering the bootstrap stage of the package graph (see (gnu packages bootstrap))
BOOTSTRAP_STAGE = Parameter(False, False)
#: where the build-side modules schemos ships are (``guix/build/utils.scm``…)
BUILD_MODULES_DIR = Path(__file__).resolve().parent / "build-modules"
#: the interpreter of the most recent ``(schemos store)``, for lazy module lookups
INTERP: Any = None


def gexp_error(message: str, obj: Any, hint: str | None = None) -> SchemeError:
    """Guix's ``&gexp-input-error``; the object is shown abridged."""
    from schemos.printer import write_string

    text = write_string(obj)
    if len(text) > 160:
        text = text[:157] + "..."
    return SchemeError(Condition("gexp-input-error", "~A: ~A", args=[message, text],
                                 irritants=[obj], hint=hint))


def _run(mvalue: Any, store: LocalStore) -> Any:
    """Run a store-monadic value (a procedure of the store); plain values are themselves."""
    if callable(mvalue) and mvalue.__class__ is not Parameter:
        r = call(mvalue, store)
        if r.__class__ is Values:
            return r.vals[0] if r.vals else UNSPECIFIED
        return r
    return mvalue


def _false(x: Any) -> Any:
    """Python ``None`` for Scheme ``#f``."""
    return None if x is False or x is None else x


# ------------------------------------------------------------------ compilers

def register_compiler(rtd: Any, lower: Any, expand: Any) -> Any:
    """``(%register-gexp-compiler! RTD LOWER EXPAND)``."""
    COMPILERS[rtd] = (lower, expand)
    return UNSPECIFIED


def lookup(obj: Any) -> tuple[Any, Any] | None:
    """The (lower, expand) pair for ``obj``, or None if it is not file-like."""
    if obj.__class__ is Record:
        comp = COMPILERS.get(obj.rtd)
        if comp is None and _record_name(obj.rtd) == "<operating-system>":
            comp = _operating_system_compiler(obj.rtd)
        return comp
    return None


def _record_name(rtd: Any) -> str:
    n = rtd.name
    return getattr(n, "name", n) if not isinstance(n, str) else n


def _operating_system_compiler(rtd: Any) -> tuple[Any, Any] | None:
    """The compiler of operating systems, as Guix's ``(gnu system)`` defines it.

    In Guix an ``<operating-system>`` in a gexp (the ``gnu.system=`` kernel
    argument of grub.cfg, for instance) stands for its system derivation.
    ``(gnu system)`` of schemos registers no compiler, so lowering adds this
    one, which lowers ``(operating-system-derivation os)``.
    """
    m = _resolve(("gnu", "system"))
    if m is None:
        return None
    from schemos.module import global_pyname

    osd = m.ns.get(global_pyname(Symbol("operating-system-derivation")))
    if osd is None:
        return None

    def lower(os: Any, system: Any, target: Any) -> Any:
        def run(store: LocalStore) -> Any:
            return lower_object(store, call(osd, os), system, target)
        return run

    comp = (lower, _default_expander)
    COMPILERS[rtd] = comp
    return comp


def file_like_p(obj: Any) -> bool:
    """``file-like?``: records with a compiler, and derivations."""
    return isinstance(obj, Derivation) or lookup(obj) is not None


def _cache_key(kind: str, obj: Any, system: str, target: Any) -> tuple[Any, ...]:
    return (kind, id(obj), system, target, BOOTSTRAP_STAGE.value is not False)


def lower_object(store: LocalStore, obj: Any, system: str, target: Any = None) -> Any:
    """``lower-object``: the derivation or store item ``obj`` stands for."""
    if isinstance(obj, Derivation):
        return obj
    target = _false(target)
    key = _cache_key("lower", obj, system, target)
    hit = store.cache.get(key)
    if hit is not None:
        return hit[1]
    raw = store.cache.get(_cache_key("raw", obj, system, target))
    if raw is not None:
        value = raw[1]
    else:
        comp = lookup(obj)
        if comp is None:
            raise gexp_error("not a file-like object", obj,
                             hint="gexps can refer to packages, origins, file-like objects "
                                  "(plain-file, local-file, computed-file…) and derivations")
        value = _run(call(comp[0], obj, system, target if target is not None else False),
                     store)
        # what the compiler returned is also what lower+expand-object needs
        store.cache[_cache_key("raw", obj, system, target)] = (obj, value)
    if value.__class__ is Record and not isinstance(value, Derivation):
        value = lower_object(store, value, system, target)
    # keep OBJ alive with its entry, so its id is not reused by another object
    store.cache[key] = (obj, value)
    return value


def _lower_raw(store: LocalStore, obj: Any, system: str, target: Any) -> Any:
    """What ``obj``'s compiler returns, not lowered further (cached with lower_object)."""
    key = _cache_key("raw", obj, system, target)
    hit = store.cache.get(key)
    if hit is not None:
        return hit[1]
    comp = lookup(obj)
    assert comp is not None
    value = _run(call(comp[0], obj, system, target if target is not None else False), store)
    store.cache[key] = (obj, value)
    return value


def default_expand(lowered: Any, output: str) -> Any:
    """Guix's ``default-expander``: an output's file name, or the lowered value itself."""
    if isinstance(lowered, Derivation):
        o = lowered.outputs.get(output)
        if o is None:
            raise SchemeError(Condition(
                "derivation-missing-output-error", "~A: no output ~S",
                args=[lowered.path, output], irritants=[output],
                hint="outputs: " + ", ".join(sorted(lowered.outputs))))
        return o.path
    return lowered


def lower_expand(store: LocalStore, obj: Any, system: str, target: Any,
                 output: str = "out") -> Any:
    """``lower+expand-object``: what ``obj`` (output ``output``) becomes in a gexp."""
    target = _false(target)
    if isinstance(obj, Derivation):
        return default_expand(obj, output)
    comp = lookup(obj)
    if comp is None:
        raise gexp_error("not a file-like object", obj)
    expand = comp[1]
    while True:
        lowered = _lower_raw(store, obj, system, target)
        if lowered.__class__ is Record:
            if expand is False or expand is None:
                obj = lowered
                comp = lookup(obj)
                if comp is None:
                    raise gexp_error("not a file-like object", obj)
                expand = comp[1]
                continue
            return call(expand, obj, lowered, output)
        if expand is False or expand is None:
            return lowered
        if expand is DEFAULT_EXPANDER[0] or expand is _default_expander:
            return default_expand(lowered, output)
        return call(expand, obj, lowered, output)


#: the Scheme ``default-expander`` of (guix gexp), recognised to skip a call
DEFAULT_EXPANDER: list[Any] = [None]


def _default_expander(thing: Any, lowered: Any, output: Any) -> Any:
    """The default expander, for compilers registered from Python."""
    return default_expand(lowered, output)


# --------------------------------------------------------- gexp attributes

def _iter_list(x: Any) -> list[Any]:
    out = []
    while type(x) is Pair:
        out.append(x.car)
        x = x.cdr
    return out


def _proper_list(x: Any) -> bool:
    while type(x) is Pair:
        x = x.cdr
    return x is NIL


def _fold_tree(x: Any, visit: Callable[[Any], None]) -> None:
    """Visit every leaf of the tree ``x`` (Guix's ``fold/tree``), in order."""
    stack = [x]
    while stack:
        y = stack.pop()
        if type(y) is Pair:
            stack.append(y.cdr)
            stack.append(y.car)
        else:
            visit(y)


def _direct_store_path(x: Any) -> bool:
    from schemos.store.scheme import direct_store_path_p

    return direct_store_path_p(x)


def _interesting(x: Any) -> bool:
    return file_like_p(x) or (type(x) is str and _direct_store_path(x))


def _unwrap(ref: GexpInput) -> GexpInput:
    """``#$(gexp-input thing …)`` is that input itself (native if either says so)."""
    thing = ref.thing
    if thing.__class__ is GexpInput:
        return GexpInput(thing.thing, thing.output, thing.native or ref.native, ref.splicing)
    return ref


def gexp_inputs(g: Gexp) -> list[GexpInput]:
    """``gexp-inputs``: the inputs of ``g`` and of the gexps it embeds, in order."""
    out: list[GexpInput] = []
    for ref in g.inputs:
        ref = _unwrap(ref)
        thing = ref.thing
        if thing.__class__ is Gexp:
            for i in gexp_inputs(thing):
                out.append(GexpInput(i.thing, i.output, True, False) if ref.native else i)
        elif type(thing) is str:
            if _direct_store_path(thing):
                out.append(ref)
        elif thing.__class__ is GexpOutput:
            continue
        elif type(thing) is Pair:
            def visit(x: Any, ref: GexpInput = ref) -> None:
                if x.__class__ is GexpInput:
                    out.append(GexpInput(x.thing, x.output, ref.native, False))
                elif x.__class__ is Gexp:
                    out.extend(gexp_inputs(x))
                elif _interesting(x):
                    out.append(GexpInput(x, "out", ref.native, False))
            _fold_tree(thing, visit)
        elif file_like_p(thing):
            out.append(ref)
    return out


def gexp_outputs(g: Gexp) -> list[str]:
    """``gexp-outputs``: the output names ``g`` refers to (``#$output``), deduplicated."""
    names: list[str] = []

    def add(x: Any) -> None:
        if x.__class__ is GexpOutput:
            names.append(x.name)
        elif x.__class__ is Gexp:
            names.extend(gexp_outputs(x))

    for ref in g.inputs:
        thing = ref.thing
        if thing.__class__ is GexpOutput:
            names.append(thing.name)
        elif thing.__class__ is Gexp:
            names.extend(gexp_outputs(thing))
        elif type(thing) is Pair:
            _fold_tree(thing, add)
    seen: list[str] = []
    for n in names:
        if n not in seen:
            seen.append(n)
    return seen


def _module_key(m: Any) -> Any:
    """Modules compare by name; a ``(name => file-like)`` spec by its name only."""
    items = _iter_list(m)
    if all(type(x) is Symbol for x in items):
        return tuple(x.name for x in items)
    if len(items) == 3 and type(items[1]) is Symbol and items[1].name == "=>":
        return ("=>", _module_key(items[0]))
    from schemos.printer import write_string

    return write_string(m)


def _attribute(g: Any, self_attr: Callable[[Gexp], Any], dedup: Callable[[Any], Any]) -> list[Any]:
    """Guix's ``gexp-attribute``: ``self_attr`` of ``g`` and of embedded gexps."""
    if g.__class__ is not Gexp:
        return []
    result = list(_iter_list(self_attr(g)))
    nested: list[Any] = []
    for ref in g.inputs:
        thing = ref.thing
        if thing.__class__ is GexpInput:
            thing = thing.thing
        if thing.__class__ is Gexp:
            nested.append(_attribute(thing, self_attr, dedup))
        elif type(thing) is Pair:
            found: list[Any] = []

            def visit(x: Any, found: list[Any] = found) -> None:
                if x.__class__ is Gexp:
                    found.extend(_attribute(x, self_attr, dedup))
            _fold_tree(thing, visit)
            nested.append(found)
    for n in nested:
        result.extend(n)
    out: list[Any] = []
    keys: set[Any] = set()
    for x in result:
        k = dedup(x)
        if k not in keys:
            keys.add(k)
            out.append(x)
    return out


def gexp_modules(g: Any) -> list[Any]:
    """``gexp-modules``: the modules ``g`` and the gexps it embeds import."""
    return _attribute(g, lambda x: x.modules, _module_key)


def gexp_extensions(g: Any) -> list[Any]:
    """``gexp-extensions``: the extensions (packages) ``g`` needs.

    ``#f`` entries are dropped: (gnu services) writes ``(with-extensions
    (list (optional-variable ...)))`` for extensions schemos' package
    collection may lack (guile-netlink), which Guix would always have.
    """
    return [e for e in _attribute(g, lambda x: x.extensions, id) if e is not False]


# ------------------------------------------------------------ gexp -> sexp

_GETENV = from_list([Symbol("@"), from_list([Symbol("guile")]), Symbol("getenv")])


def _self_quoting(x: Any) -> bool:
    t = type(x)
    return t in (str, int, float, bool, Fraction, Symbol, Keyword, Char, Pair, list,
                 bytearray) or x is NIL or isinstance(x, Nil) or t is complex


def gexp_to_sexp(store: LocalStore, g: Gexp, system: str, target: Any) -> Any:
    """``gexp->sexp``: the template of ``g`` with every input replaced by what it stands for."""
    target = _false(target)
    values = [_ref_to_sexp(store, _unwrap(ref), system, target, False) for ref in g.inputs]
    return _substitute(g.template, g.inputs, values)


def _ref_to_sexp(store: LocalStore, ref: GexpInput, system: str, target: Any,
                 native: bool) -> Any:
    thing = ref.thing
    nat = ref.native or native
    if thing.__class__ is GexpOutput:
        return from_list([_GETENV, thing.name])
    if thing.__class__ is Gexp:
        return gexp_to_sexp(store, thing, system, None if nat else target)
    if type(thing) is Pair and _proper_list(thing):
        out = []
        for x in _iter_list(thing):
            t = type(x)
            if t in (Symbol, int, float, bool, Fraction) or x is NIL or t is list:
                out.append(x)
            else:
                sub = _unwrap(GexpInput(x, "out", ref.native, False)) \
                    if x.__class__ is not GexpInput else x
                out.append(_ref_to_sexp(store, sub, system, target, nat))
        return from_list(out)
    if thing.__class__ is Record or isinstance(thing, Derivation):
        if isinstance(thing, Derivation) or lookup(thing) is not None:
            return lower_expand(store, thing, system, None if nat else target, ref.output)
        if _self_quoting(thing):
            return thing
        raise gexp_error("invalid gexp input", thing)
    if _self_quoting(thing) or thing is UNSPECIFIED:
        return thing
    raise gexp_error("invalid gexp input", thing,
                     hint="a gexp can refer to data (strings, numbers, lists…), file-like "
                          "objects, packages and other gexps")


def _substitute(tmpl: Any, inputs: list[GexpInput], values: list[Any]) -> Any:
    if type(tmpl) is GexpSlot:
        return values[tmpl.index]
    if type(tmpl) is Pair:
        items: list[Any] = []
        p = tmpl
        while type(p) is Pair:
            head = p.car
            if type(head) is GexpSlot and inputs[head.index].splicing:
                items.extend(_iter_list(values[head.index]))
            else:
                items.append(_substitute(head, inputs, values))
            p = p.cdr
        tail = _substitute(p, inputs, values) if p is not NIL else NIL
        return from_list(items, tail)
    if type(tmpl) is list:
        out: list[Any] = []
        for e in tmpl:
            if type(e) is GexpSlot and inputs[e.index].splicing:
                out.extend(_iter_list(values[e.index]))
            else:
                out.append(_substitute(e, inputs, values))
        return out
    return tmpl


def sexp_to_string(sexp: Any) -> str:
    """``sexp->string``: ``sexp`` as Guile's ``write`` writes it."""
    from schemos.printer import write_string

    return write_string(sexp)


# ------------------------------------------------------------ lower-gexp

class LoweredGexp:
    """A gexp instantiated for a system and target (Guix's ``<lowered-gexp>``)."""

    __slots__ = ("sexp", "inputs", "sources", "guile", "load_path", "load_compiled_path")

    def __init__(self, sexp: Any, inputs: list[DerivationInput], sources: list[str],
                 guile: DerivationInput | None, load_path: list[str],
                 load_compiled_path: list[str]) -> None:
        self.sexp = sexp
        self.inputs = inputs
        self.sources = sources
        self.guile = guile
        self.load_path = load_path
        self.load_compiled_path = load_compiled_path

    def scm_write(self, write: bool) -> str:
        """Print as Guile prints a record."""
        return f"#<lowered-gexp {id(self):x}>"


def lower_inputs(store: LocalStore, inputs: list[GexpInput], system: str,
                 target: Any) -> list[DerivationInput | str]:
    """``lower-inputs``: derivation inputs and store items (sources) for ``inputs``."""
    out: list[DerivationInput | str] = []
    for i in inputs:
        thing = i.thing
        if type(thing) is str and _direct_store_path(thing):
            out.append(thing)
            continue
        obj = lower_object(store, thing, system, None if i.native else target)
        if isinstance(obj, Derivation):
            out.append(DerivationInput(obj, [i.output]))
        elif type(obj) is str and obj.startswith(store.store_dir + "/"):
            out.append(obj)
    return out


def default_guile_derivation(store: LocalStore, system: str) -> Derivation:
    """The Guile that runs builders: ``default-guile-derivation`` of ``(guix packages)``."""
    proc = HOOKS.get("default-guile-derivation")
    if proc is None:
        _resolve(("guix", "packages"))
        proc = HOOKS.get("default-guile-derivation")
    if proc is None:
        raise SchemeError(Condition(
            "misc-error", "~A", args=["no default Guile: (guix packages) is not loaded"],
            hint="pass #:guile-for-build, or load (guix packages)"))
    drv = _run(call(proc, system), store)
    if not isinstance(drv, Derivation):
        drv = lower_object(store, drv, system, None)
    return drv


def _resolve(name: tuple[str, ...]) -> Any:
    interp = INTERP
    if interp is None:
        return None
    return interp.modsys.resolve(name)


def imported_compiled_modules(store: LocalStore, modules: list[Any], system: str,
                              extensions: list[Any], guile: Derivation,
                              module_path: Any) -> tuple[Any, Any]:
    """(imported modules, compiled modules) for ``modules``, memoised per store."""
    from schemos.printer import write_string

    key = ("modules", tuple(write_string(m) if not _has_file_like(m) else id(m)
                            for m in modules), system,
           tuple(id(e) for e in extensions), guile.path, BOOTSTRAP_STAGE.value is not False)
    hit = store.cache.get(key)
    if hit is not None:
        return hit[1]
    proc = HOOKS.get("imported+compiled-modules")
    if proc is None:
        _resolve(("guix", "gexp"))
        proc = HOOKS.get("imported+compiled-modules")
    if proc is None:
        raise SchemeError(Condition("misc-error", "~A",
                                    args=["(guix gexp) is not loaded: cannot import modules"]))
    r = _run(call(proc, from_list(modules), system, from_list(extensions), guile,
                  module_path if module_path is not None else False), store)
    pair = (r.car, r.cdr)
    store.cache[key] = ((modules, extensions), pair)
    return pair


def _has_file_like(m: Any) -> bool:
    items = _iter_list(m)
    return len(items) == 3 and type(items[1]) is Symbol and items[1].name == "=>"


def _output_of(x: Any) -> str:
    if isinstance(x, Derivation):
        return x.outputs["out"].path
    return x


def lower_gexp(store: LocalStore, exp: Gexp, *, system: str, target: Any = None,
               module_path: Any = None, guile_for_build: Any = None,
               effective_version: str = "3.0") -> LoweredGexp:
    """``lower-gexp``: everything ``gexp->derivation`` needs to know about ``exp``."""
    target = _false(target)
    modules = gexp_modules(exp)
    guile = guile_for_build if isinstance(guile_for_build, Derivation) else \
        (lower_object(store, guile_for_build, system, None)
         if _false(guile_for_build) is not None else default_guile_derivation(store, system))
    inputs = lower_inputs(store, gexp_inputs(exp), system, target)
    sexp = gexp_to_sexp(store, exp, system, target)
    extensions = gexp_extensions(exp)
    exts = [lower_object(store, e, system, None) for e in extensions]
    mods: Any = None
    compiled: Any = None
    if modules:
        mods, compiled = imported_compiled_modules(store, modules, system, extensions,
                                                   guile, module_path)
        mods, compiled = _false(mods), _false(compiled)

    def search_path(base: Any, suffix: str) -> list[str]:
        out = [] if base is None else [_output_of(base)]
        out.extend(_output_of(e) + suffix for e in exts)
        return out

    drv_inputs: list[DerivationInput] = []
    if isinstance(mods, Derivation):
        drv_inputs.append(DerivationInput(mods))
    if isinstance(compiled, Derivation):
        drv_inputs.append(DerivationInput(compiled))
    drv_inputs.extend(DerivationInput(e) for e in exts if isinstance(e, Derivation))
    drv_inputs.extend(i for i in inputs if isinstance(i, DerivationInput))
    sources = [s for s in ([mods] if type(mods) is str else []) + inputs if type(s) is str]
    return LoweredGexp(sexp, drv_inputs, sources, DerivationInput(guile),
                       search_path(mods, f"/share/guile/site/{effective_version}"),
                       search_path(compiled, f"/lib/guile/{effective_version}/site-ccache"))


def add_modules(exp: Gexp, modules: Any) -> Gexp:
    """``exp`` importing ``modules`` too (``gexp->derivation``'s deprecated #:modules)."""
    if modules is NIL or modules is False:
        return exp
    return Gexp(exp.template, exp.inputs, from_list(_iter_list(modules),
                                                    exp.modules if exp.modules else NIL),
                exp.extensions, exp.loc)


def gexp_to_derivation(store: LocalStore, name: str, exp: Gexp, *, system: str,
                       target: Any = None, hash: bytes | None = None,
                       hash_algo: str | None = None, recursive: bool = False,
                       env_vars: list[tuple[str, str]] | None = None, modules: Any = NIL,
                       module_path: Any = None, guile_for_build: Any = None,
                       effective_version: str = "3.0", references_graphs: Any = None,
                       allowed_references: Any = None, disallowed_references: Any = None,
                       leaked_env_vars: list[str] | None = None, local_build: bool = False,
                       substitutable: bool = True, properties_text: str | None = None,
                       script_name: str | None = None) -> Derivation:
    """``gexp->derivation``: a derivation ``name`` that runs ``exp`` with Guile."""
    target = _false(target)
    outputs = gexp_outputs(exp)
    exp = add_modules(exp, modules)
    lowered = lower_gexp(store, exp, system=system, target=target, module_path=module_path,
                         guile_for_build=guile_for_build,
                         effective_version=effective_version)
    graph_inputs: list[DerivationInput] = []
    graph_sources: list[str] = []
    graphs: list[tuple[str, str]] | None = None
    if references_graphs is not None:
        graphs = []
        for file_name, thing, output in references_graphs:
            if type(thing) is str:
                graph_sources.append(thing)
                graphs.append((file_name, thing))
                continue
            obj = lower_object(store, thing, system, None if not target else target)
            if isinstance(obj, Derivation):
                graph_inputs.append(DerivationInput(obj, [output]))
                graphs.append((file_name, obj.outputs[output].path))
            else:
                graph_sources.append(obj)
                graphs.append((file_name, obj))

    def lower_refs(lst: Any) -> list[str] | None:
        if lst is None:
            return None
        out = []
        for x in lst:
            if type(x) is str:
                out.append(x)
            elif x.__class__ is GexpInput:
                d = lower_object(store, x.thing, system, None if x.native else target)
                out.append(default_expand(d, x.output))
            else:
                out.append(default_expand(lower_object(store, x, system, target), "out"))
        return out

    allowed = lower_refs(allowed_references)
    disallowed = lower_refs(disallowed_references)
    builder = store.add_text(script_name or f"{name}-builder", sexp_to_string(lowered.sexp))
    guile = lowered.guile
    assert guile is not None
    args = ["--no-auto-compile"]
    for d in lowered.load_path:
        args += ["-L", d]
    for d in lowered.load_compiled_path:
        args += ["-C", d]
    args.append(builder)
    return derivation(
        store, name, guile.output_paths()[0] + "/bin/guile", args,
        system=system, env_vars=env_vars or [], outputs=outputs,
        inputs=[guile, *lowered.inputs, *graph_inputs],
        sources=[builder, *lowered.sources, *graph_sources],
        hash=hash, hash_algo=hash_algo, recursive=recursive,
        references_graphs=graphs, allowed_references=allowed,
        disallowed_references=disallowed, leaked_env_vars=leaked_env_vars,
        local_build=local_build, substitutable=substitutable,
        properties_text=properties_text)


# ----------------------------------------------------------- file trees

def add_file_tree(store: LocalStore, name: str, files: list[tuple[str, bytes | str]]) -> str:
    """A store directory ``name`` holding ``files``: (relative name, bytes or source file)."""
    contents: dict[str, bytes] = {}
    for rel, content in files:
        contents[rel] = content if isinstance(content, bytes) else Path(content).read_bytes()
    return store.add_tree(name, contents)


def build_module_file(rel: str) -> str | None:
    """The file of build-side module ``rel`` (``guix/build/utils.scm``) schemos ships."""
    p = BUILD_MODULES_DIR / rel
    return str(p) if p.is_file() else None


def module_source(rel: str, module_path: list[str]) -> str | None:
    """Where the source of module file ``rel`` is: shipped build modules, then the path."""
    shipped = build_module_file(rel)
    if shipped is not None:
        return shipped
    for d in module_path:
        p = os.path.join(d, rel)
        if os.path.isfile(p):
            return p
    return None


def placeholder_module(name: list[str]) -> bytes:
    """The text standing for a build-side module whose source schemos does not ship."""
    mod = " ".join(name)
    return (f";;; ({mod}): a build-side module of GNU Guix.\n"
            ";;; schemos does not ship its source; this file stands for it so that\n"
            ";;; the derivations importing it have the structure Guix gives them.\n"
            f"(define-module ({mod}))\n").encode()


# ------------------------------------------------------------ Scheme face

def _kw(who: str, rest: tuple[Any, ...], allowed: dict[str, Any]) -> dict[str, Any]:
    from schemos.store.scheme import keywords

    return keywords(who, rest, allowed)[1]


def _store_arg(who: str, s: Any) -> LocalStore:
    from schemos.store.scheme import _store

    return _store(who, s)


def _strings(x: Any) -> list[str] | None:
    return None if x is False else [v for v in _iter_list(x)]


def _gexp_arg(who: str, exp: Any) -> Gexp:
    if exp.__class__ is not Gexp:
        from schemos.errors import wrong_type

        raise wrong_type(who, 2, "gexp", exp)
    return exp


_GEXP_DRV_KEYS = {
    "system": False, "target": False, "hash": False, "hash-algo": False, "recursive?": False,
    "env-vars": NIL, "modules": NIL, "module-path": False, "guile-for-build": False,
    "effective-version": "3.0", "graft?": False, "references-graphs": False,
    "allowed-references": False, "disallowed-references": False, "leaked-env-vars": False,
    "local-build?": False, "substitutable?": True, "properties": NIL,
    "deprecation-warnings": False, "script-name": False,
}


def gexp_to_derivation_scm(store: Any, name: Any, exp: Any, *rest: Any) -> Derivation:
    """``(%gexp->derivation STORE NAME EXP #:key …)``: the non-monadic ``gexp->derivation``."""
    from schemos.store.scheme import _algo, _bytes, _properties, _str

    s = _store_arg("gexp->derivation", store)
    _str("gexp->derivation", 2, name)
    g = _gexp_arg("gexp->derivation", exp)
    kw = _kw("gexp->derivation", rest, _GEXP_DRV_KEYS)
    graphs = None
    if kw["references-graphs"] is not False:
        graphs = []
        for t in _iter_list(kw["references-graphs"]):
            parts = _iter_list(t)
            graphs.append((parts[0], parts[1], parts[2] if len(parts) > 2 else "out"))
    h = kw["hash"]
    sn = kw["script-name"]
    return gexp_to_derivation(
        s, name, g, system=kw["system"] or "x86_64-linux", target=kw["target"],
        hash=_bytes("gexp->derivation", h) if h is not False else None,
        hash_algo=_algo(kw["hash-algo"]) if h is not False else None,
        recursive=kw["recursive?"] is not False,
        env_vars=[(p.car, p.cdr) for p in _iter_list(kw["env-vars"])],
        modules=kw["modules"], module_path=_false(kw["module-path"]),
        guile_for_build=kw["guile-for-build"], effective_version=kw["effective-version"],
        references_graphs=graphs,
        allowed_references=_iter_list(kw["allowed-references"])
        if kw["allowed-references"] is not False else None,
        disallowed_references=_iter_list(kw["disallowed-references"])
        if kw["disallowed-references"] is not False else None,
        leaked_env_vars=_strings(kw["leaked-env-vars"]),
        local_build=kw["local-build?"] is not False,
        substitutable=kw["substitutable?"] is not False,
        properties_text=_properties(kw["properties"]),
        script_name=sn if sn is not False else None)


def lower_gexp_scm(store: Any, exp: Any, *rest: Any) -> LoweredGexp:
    """``(%lower-gexp STORE EXP #:system #:target #:module-path #:guile-for-build …)``."""
    s = _store_arg("lower-gexp", store)
    g = _gexp_arg("lower-gexp", exp)
    kw = _kw("lower-gexp", rest, {"system": False, "target": False, "module-path": False,
                                  "guile-for-build": False, "effective-version": "3.0",
                                  "graft?": False, "deprecation-warnings": False})
    return lower_gexp(s, g, system=kw["system"] or "x86_64-linux", target=kw["target"],
                      module_path=_false(kw["module-path"]),
                      guile_for_build=kw["guile-for-build"],
                      effective_version=kw["effective-version"])


def add_file_tree_scm(store: Any, name: Any, files: Any) -> str:
    """``(%add-file-tree-to-store STORE NAME FILES)``: FILES is a list of
    (RELATIVE-NAME . CONTENT), CONTENT a string (the text) or (file . SOURCE-FILE)."""
    s = _store_arg("add-file-tree-to-store", store)
    entries: list[tuple[str, bytes | str]] = []
    for e in _iter_list(files):
        rel, content = e.car, e.cdr
        if type(content) is Pair:
            entries.append((rel, content.cdr))
        elif type(content) is str:
            entries.append((rel, content.encode()))
        else:
            entries.append((rel, bytes(content)))
    return add_file_tree(s, name, entries)


def store_memo(store: Any, key: Any, thunk: Any) -> Any:
    """``(%store-memo STORE KEY THUNK)``: THUNK's value, computed once per STORE and KEY.

    KEY is a list compared element by element: strings, symbols, numbers and
    booleans by value, anything else by identity (as Guix's ``mcached``).
    """
    s = _store_arg("store-memo", store)
    parts = []
    keep = []
    for x in _iter_list(key):
        if type(x) in (str, int, bool, Symbol, Keyword) or x is NIL:
            parts.append(x)
        else:
            parts.append(("id", id(x)))
            keep.append(x)
    k = ("memo", tuple(parts), BOOTSTRAP_STAGE.value is not False)
    hit = s.cache.get(k)
    if hit is not None:
        return hit[1]
    v = call(thunk)
    s.cache[k] = (keep, v)
    return v


def _lower_object_scm(store: Any, obj: Any, system: Any, target: Any = False) -> Any:
    """``(%lower-object STORE OBJ SYSTEM TARGET)``: non-monadic ``lower-object``."""
    return lower_object(_store_arg("lower-object", store), obj, system, target)


def _lower_expand_scm(store: Any, obj: Any, system: Any, target: Any = False,
                      output: Any = "out") -> Any:
    """``(%lower+expand-object STORE OBJ SYSTEM TARGET OUTPUT)``."""
    return lower_expand(_store_arg("lower+expand-object", store), obj, system, target, output)


def _gexp_to_sexp_scm(store: Any, exp: Any, system: Any, target: Any = False) -> Any:
    """``(%gexp->sexp* STORE EXP SYSTEM TARGET)``: the lowered s-expression of EXP."""
    return gexp_to_sexp(_store_arg("gexp->sexp", store), _gexp_arg("gexp->sexp", exp),
                        system, target)


def _lookup_compiler_scm(obj: Any) -> Any:
    """``(lookup-compiler OBJ)``: the procedure lowering OBJ, or #f."""
    if isinstance(obj, Derivation):
        return lambda o, system, target: (lambda store: o)
    comp = lookup(obj)
    return comp[0] if comp is not None else False


def _lookup_expander_scm(obj: Any) -> Any:
    """``(lookup-expander OBJ)``: the procedure expanding lowered OBJ, or #f."""
    if isinstance(obj, Derivation):
        return DEFAULT_EXPANDER[0] or False
    comp = lookup(obj)
    return comp[1] if comp is not None else False


def _set_hook(name: Any, proc: Any) -> Any:
    """``(%set-lowering-hook! NAME PROC)``: lowering calls PROC for NAME (a symbol)."""
    HOOKS[name.name if type(name) is Symbol else name] = proc
    if (name.name if type(name) is Symbol else name) == "default-expander":
        DEFAULT_EXPANDER[0] = proc
    return UNSPECIFIED


def _lowered(attr: str) -> Any:
    def get(lg: Any) -> Any:
        v = getattr(lg, attr)
        if attr in ("inputs", "sources", "load_path", "load_compiled_path"):
            return from_list(v)
        return v if v is not None else False
    get.__doc__ = f"``lowered-gexp-{attr.replace('_', '-')}``."
    return get


def make_gexp_scm(template: Any, inputs: Any, modules: Any = NIL,
                  extensions: Any = NIL) -> Gexp:
    """``(%make-gexp TEMPLATE INPUTS [MODULES EXTENSIONS])``: a gexp whose template
    holds ``(%gexp-slot I)`` placeholders for the I-th of INPUTS (gexp inputs)."""
    ins = []
    for x in _iter_list(inputs):
        ins.append(x if x.__class__ is GexpInput else GexpInput(x, "out", False, False))
    return Gexp(template, ins, modules, extensions, None)


def gexp_output_input(name: Any) -> GexpInput:
    """``(%gexp-output-input NAME)``: the gexp input ``#$output:NAME`` makes."""
    return GexpInput(GexpOutput(name), name, False, False)


def gexp_with_hidden_inputs(exp: Any, inputs: Any) -> Gexp:
    """``(%gexp-with-hidden-inputs EXP INPUTS)``: EXP also depending on INPUTS,
    which do not appear in its expansion."""
    g = _gexp_arg("gexp-with-hidden-inputs", exp)
    return Gexp(g.template, list(g.inputs) + list(_iter_list(inputs)), g.modules,
                g.extensions, g.loc)


LOWERING_PROCEDURES: dict[str, Callable[..., Any]] = {
    "%make-gexp": make_gexp_scm,
    "%gexp-slot": GexpSlot,
    "%gexp-output-input": gexp_output_input,
    "%gexp-with-hidden-inputs": gexp_with_hidden_inputs,
    "%register-gexp-compiler!": register_compiler,
    "%set-lowering-hook!": _set_hook,
    "%file-like?": file_like_p,
    "%lookup-compiler": _lookup_compiler_scm,
    "%lookup-expander": _lookup_expander_scm,
    "%lower-object": _lower_object_scm,
    "%lower+expand-object": _lower_expand_scm,
    "%gexp-inputs*": lambda g: from_list(gexp_inputs(g)),
    "%gexp-outputs*": lambda g: from_list(gexp_outputs(g)),
    "%gexp-modules*": lambda g: from_list(gexp_modules(g)),
    "%gexp-extensions*": lambda g: from_list(gexp_extensions(g)),
    "%gexp->sexp*": _gexp_to_sexp_scm,
    "%lower-gexp": lower_gexp_scm,
    "lowered-gexp?": lambda x: isinstance(x, LoweredGexp),
    "lowered-gexp-sexp": _lowered("sexp"),
    "lowered-gexp-inputs": _lowered("inputs"),
    "lowered-gexp-sources": _lowered("sources"),
    "lowered-gexp-guile": _lowered("guile"),
    "lowered-gexp-load-path": _lowered("load_path"),
    "lowered-gexp-load-compiled-path": _lowered("load_compiled_path"),
    "%gexp->derivation": gexp_to_derivation_scm,
    "%sexp->string": sexp_to_string,
    "%add-file-tree-to-store": add_file_tree_scm,
    "%store-memo": store_memo,
    "%build-module-file": lambda rel: build_module_file(rel) or False,
    "%module-source": lambda rel, path=NIL: module_source(rel, _iter_list(path)) or False,
    "%placeholder-module": lambda name: placeholder_module(
        [s.name for s in _iter_list(name)]).decode(),
}


def install(interp: Any, m: Any) -> None:
    """Add the lowering procedures to ``(schemos store)``."""
    global INTERP
    INTERP = interp
    for name, fn in LOWERING_PROCEDURES.items():
        try:
            fn.scm_name = name  # type: ignore[attr-defined]
        except AttributeError:
            pass
        m.define(name, fn)
        m.exports.add(Symbol(name))
    m.define("%bootstrap-stage?", BOOTSTRAP_STAGE)
    m.exports.add(Symbol("%bootstrap-stage?"))
