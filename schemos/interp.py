"""The interpreter: the root module, user modules, running compiled code.

Evaluation runs on a worker thread with a large stack and a high recursion
limit so that deep non-tail recursion (a million frames) works; running out
of that is reported as the Scheme error "stack overflow", never a crash.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

from schemos.cache import dump_code
from schemos.compile import (
    BOOL_PRIMS,
    FAST,
    SPECIAL_FORMS,
    UNIT_LOCS,
    Compiler,
    set_root_scope,
)
from schemos.datum import UNSPECIFIED, Pair, SourceLoc, Symbol, from_list
from schemos.errors import (
    Condition,
    SchemeError,
    nearest_names,
    unbound_variable,
    wrong_type,
)
from schemos.module import Module, global_pyname, mangle, scheme_name_of_pyname
from schemos.runtime.core import PRIMITIVES, primitive, trampoline
from schemos.syntax import Macro, Scope, Special, strip

STACK_SIZE = 3 * 1024 * 1024 * 1024 - 4096
RECURSION_LIMIT = 2_600_000

_BOOL_RESULT = """= < > <= >= eq? eqv? equal? null? pair? list? symbol? string? number?
integer? rational? real? complex? exact? inexact? zero? positive? negative? odd? even?
procedure? vector? char? boolean? keyword? not char=? char<? char>? string=? string<?
string>? string-null? bytevector? hash-table? eof-object? exact-integer? nan? record?
string-prefix? string-suffix? char-alphabetic? char-numeric? char-whitespace?
default-object? promise? parameter? error-object? port? input-port? output-port?""".split()


class _Worker:
    """Runs evaluation on a thread with a big stack."""

    local = threading.local()

    @classmethod
    def run(cls, fn: Any) -> Any:
        if getattr(cls.local, "inside", False):
            return fn()
        result: dict[str, Any] = {}
        done = threading.Event()

        def target() -> None:
            cls.local.inside = True
            try:
                result["v"] = fn()
            except BaseException as e:  # noqa: BLE001 - handed to the caller
                result["e"] = e
            finally:
                done.set()

        old = threading.stack_size()
        try:
            threading.stack_size(STACK_SIZE)
        except (ValueError, RuntimeError):
            pass
        try:
            t = threading.Thread(target=target, name="schemos-eval", daemon=True)
            t.start()
        finally:
            threading.stack_size(old)
        # wait on our own event rather than Thread.join: a Ctrl-C that interrupts
        # join can leave the thread marked finished while it still runs
        while True:
            try:
                done.wait()
                break
            except KeyboardInterrupt:
                _interrupt(t)
        if "e" in result:
            raise result["e"]
        return result.get("v")


def _interrupt(t: threading.Thread) -> None:
    """Raise KeyboardInterrupt inside the evaluation thread (for Ctrl-C)."""
    import ctypes

    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(t.ident or 0),
                                               ctypes.py_object(KeyboardInterrupt))


class Interpreter:
    """A Scheme world: the ``(guile)`` root module and the ``(guile-user)`` module."""

    def __init__(self, load_path: list[str] | None = None, use_cache: bool = True,
                 cache_dir: Path | None = None) -> None:
        if sys.getrecursionlimit() < RECURSION_LIMIT:
            sys.setrecursionlimit(RECURSION_LIMIT)
        _load_primitives()
        from schemos.runtime.control import RUNTIME_HELPERS

        runtime: dict[str, Any] = dict(RUNTIME_HELPERS)
        _install_fast(runtime)
        self.runtime = runtime
        self.modules: dict[tuple[str, ...], Module] = {}
        root = Module(("guile",), runtime)
        for name, fn in PRIMITIVES.items():
            root.ns[global_pyname(Symbol(name))] = fn
        from schemos.runtime.builtins import VARIABLES
        for name, v in VARIABLES.items():
            root.ns[global_pyname(Symbol(name))] = v
        from schemos.gexp import CURRENT_EXTENSIONS, CURRENT_IMPORTED_MODULES

        root.ns[global_pyname(Symbol("%current-imported-modules"))] = CURRENT_IMPORTED_MODULES
        root.ns[global_pyname(Symbol("%current-extensions"))] = CURRENT_EXTENSIONS
        for name in SPECIAL_FORMS:
            root.syntax[Symbol(name)] = Special(name)
        self.root = root
        self.root_scope = Scope(None, root)
        set_root_scope(self.root_scope)
        from schemos.derived import TRANSFORMERS

        for name, t in TRANSFORMERS.items():
            root.syntax[Symbol(name)] = Macro(t, self.root_scope, name)
        self.modules[root.name] = root
        root.interp = self
        from schemos.modsys import ModuleSystem

        self.modsys = ModuleSystem(self, load_path)
        from schemos.cache import ModuleCache

        self.cache = ModuleCache(cache_dir, enabled=use_cache)
        self.user = self.make_module(("guile-user",))
        #: the module top-level forms are evaluated in (changed by define-module)
        self.current: Module = self.user
        self._install_eval()
        self._install_provided_modules()

    def make_module(self, name: tuple[str, ...]) -> Module:
        """A new module that sees every binding of the root module."""
        m = Module(name, self.runtime)
        m.interp = self
        m.ns.update(self.root.ns)
        m.ns["__builtins__"] = self.runtime
        m.syntax.update(self.root.syntax)
        self.modules[name] = m
        return m

    def _install_eval(self) -> None:
        interp = self

        @primitive("eval", "(exp env)")
        def eval_(exp: Any, env: Any = None) -> Any:
            """Evaluate EXP in module ENV."""
            mod = env if isinstance(env, Module) else interp.user
            return interp.eval_form(exp, mod)

        @primitive("primitive-eval", "(exp)")
        def primitive_eval(exp: Any) -> Any:
            """Evaluate EXP in the current module."""
            return interp.eval_form(exp, interp.current)

        @primitive("interaction-environment", "()")
        def interaction_environment() -> Any:
            """The module the REPL and top-level programs use."""
            return interp.user

        @primitive("current-module", "()")
        def current_module() -> Any:
            """The current module."""
            return interp.current

        @primitive("resolve-module", "(name)")
        def resolve_module(name: Any, *opts: Any) -> Any:
            """The module called NAME, loading it if needed."""
            from schemos.modsys import module_name_of

            return interp.modsys.resolve(module_name_of(name))

        @primitive("resolve-interface", "(name)")
        def resolve_interface(name: Any, *opts: Any) -> Any:
            """The public interface of module NAME (schemos: the module itself)."""
            return resolve_module(name)

        @primitive("module-ref", "(module name [default])")
        def module_ref(m: Any, name: Any, *default: Any) -> Any:
            """The value of variable NAME in module M."""
            if not isinstance(m, Module):
                raise wrong_type("module-ref", 1, "module", m)
            try:
                return m.ns[global_pyname(name)]
            except KeyError:
                if default:
                    return default[0]
                raise unbound_variable(name.name) from None

        @primitive("module-defined?", "(module name)")
        def module_defined_p(m: Any, name: Any) -> bool:
            """True if NAME is bound in module M."""
            return global_pyname(name) in m.ns or name in m.syntax

        @primitive("module-define!", "(module name value)")
        def module_define(m: Any, name: Any, value: Any) -> Any:
            """Bind NAME to VALUE in module M."""
            m.define(name, value)
            return UNSPECIFIED

        @primitive("module-name", "(module)")
        def module_name(m: Any) -> Any:
            """The name of module M."""
            return from_list([Symbol(p) for p in m.name])

        @primitive("module?", "(obj)")
        def module_p(m: Any) -> bool:
            """True for modules."""
            return isinstance(m, Module)

        @primitive("load", "(file)")
        def load(filename: Any, *rest: Any) -> Any:
            """Load FILE, relative to the file being loaded."""
            return interp.load_relative(filename, interp.current)

        @primitive("primitive-load", "(file)")
        def primitive_load(filename: Any) -> Any:
            """Load FILE."""
            return interp.load_relative(filename, interp.current)

        @primitive("add-to-load-path", "(dir)")
        def add_to_load_path(d: Any) -> Any:
            """Search DIR for modules."""
            interp.modsys.add_load_path(d)
            return UNSPECIFIED

        @primitive("symbol-prefix-proc", "(prefix)")
        def symbol_prefix_proc(prefix: Any) -> Any:
            """A procedure adding PREFIX to symbols (for #:renamer)."""
            return lambda s: Symbol(prefix.name + s.name)

        for f in (eval_, primitive_eval, interaction_environment, current_module, resolve_module,
                  resolve_interface, module_ref, module_defined_p, module_define, module_name,
                  module_p, load, primitive_load, add_to_load_path, symbol_prefix_proc):
            for m in self.modules.values():
                m.ns[global_pyname(Symbol(f.scm_name))] = f

    # -------------------------------------------------------------- evaluation
    def eval_form(self, form: Any, module: Module | None = None,
                  recorder: Any = None) -> Any:
        """Compile and run one top-level form; return its value."""
        module = module or self.user
        if recorder is None:
            comp = Compiler(module)
            thunk = comp.compile_toplevel(form, Scope(None, module))
            return trampoline(thunk())
        effects: list[Any] = []
        unit_name = f"<scheme-{recorder.key[:16]}-{len(recorder.entries)}>"
        comp = Compiler(module, effects=effects, unit_name=unit_name)
        thunk = comp.compile_toplevel(form, Scope(None, module))
        for e in effects:
            if e[0] == "uncacheable":
                recorder.fail(e[1])
        recorder.entries.append(("unit", module.name, effects, dump_code(comp.last_code),
                                 thunk.consts, comp.last_linemap, unit_name))
        return trampoline(thunk())

    def eval_string(self, text: str, filename: str | None = None,
                    module: Module | None = None) -> Any:
        """Read and evaluate every form of ``text``; return the last value."""
        module = module or self.user

        def work() -> Any:
            try:
                from schemos.reader import read_all

                return self.eval_forms(read_all(text, filename), module, text=text,
                                       filename=filename)
            except BaseException as e:  # noqa: BLE001 - translated below
                raise to_scheme_error(e, self.current) from None

        return _Worker.run(work)

    def eval_forms(self, forms: list[Any], module: Module, recorder: Any = None, *,
                   text: str | None = None, filename: str | None = None) -> Any:
        """Evaluate top-level ``forms`` in ``module``, following ``define-module``.

        An error that no Scheme frame locates (``(define x foo)``, a bare
        ``foo`` at top level) is located at the top-level form that raised it;
        ``text``, the source the forms were read from (``filename``), locates
        a bare symbol.
        """
        saved = self.current
        self.current = module
        try:
            value: Any = UNSPECIFIED
            for index, form in enumerate(forms):
                if type(form) is Pair and form.car is _DEFINE_MODULE:
                    self.current = self.modsys.define_module(form)
                    if recorder is not None:
                        recorder.entries.append(("define-module", strip(form)))
                    value = UNSPECIFIED
                    continue
                try:
                    value = self.eval_form(form, self.current, recorder)
                except (SchemeError, NameError) as e:
                    err = to_scheme_error(e, self.current)
                    _locate_at_form(err, form, index, text, filename)
                    if err is e:
                        raise
                    raise err from None
            return value
        finally:
            self.current = saved

    def load_module_file(self, path: Path, module: Module) -> None:
        """Evaluate the file defining ``module``, from the module cache when valid."""
        from schemos.cache import Recorder, source_key

        text = _read_source(path)
        key = source_key(path, text)
        module.cache_key = key
        cached = self.cache.load(key, self.modsys.resolve)
        if cached is not None and self._replay(cached, module):
            return
        from schemos.reader import read_all

        recorder = Recorder()
        recorder.key = key  # type: ignore[attr-defined]
        deps_before = set(self.modules)
        self.eval_forms(read_all(text, str(path)), module, recorder, text=text,
                        filename=str(path))
        if recorder.ok:
            deps = [(n, getattr(self.modules[n], "cache_key", None))
                    for n in sorted(set(self.modules) - deps_before) if n in self.modules]
            deps += [(n, getattr(self.modules[n], "cache_key", None))
                     for n in sorted(module.imported_from) if n in self.modules]
            refs = {}
            for m in self.modules.values():
                refs[id(m.ns)] = ("ns", m.name)
                refs[id(m)] = ("mod", m.name)
            self.cache.store(key, deps, recorder.entries, refs)

    def _replay(self, cached: tuple[list[Any], list[Any]], module: Module) -> bool:
        """Run a module from its cache entry; False if a dependency changed."""
        deps, entries = cached
        for name, key in deps:
            # load what the module was compiled against (from the cache too), then
            # check that it is still the same source
            try:
                m = self.modsys.resolve(name)
            except SchemeError:
                return False
            if m.cache_key != key:
                return False
        from schemos.cache import load_code

        saved = self.current
        self.current = module
        try:
            for entry in entries:
                if entry[0] == "define-module":
                    self.current = self.modsys.define_module(entry[1])
                    continue
                _, mname, effects, code_bytes, consts, linemap, unit_name = entry
                mod = self.modules[mname]
                for e in effects:
                    self._apply_effect(mod, e)
                code = load_code(code_bytes)
                UNIT_LOCS[unit_name] = linemap
                env: dict[str, Any] = {}
                exec(code, mod.ns, env)
                trampoline(env["_unit"](*consts))
        finally:
            self.current = saved
        return True

    def _apply_effect(self, mod: Module, e: tuple[Any, ...]) -> None:
        kind = e[0]
        if kind == "defined":
            mod.syntax.pop(e[1], None)
            mod.defined.add(e[1])
        elif kind == "assume":
            mod.assumed_prims.add(e[1])
        elif kind == "export":
            mod.exports.add(e[1])
        elif kind == "module-form":
            Compiler(mod).module_form(e[1], e[2])
        elif kind == "syntax":
            comp = Compiler(mod)
            top = Scope(None, mod)
            mod.define_syntax(e[1], comp.make_macro(e[2], top, e[1].name))

    def load_relative(self, filename: str, module: Module) -> Any:
        """``load``: FILE relative to the directory of the file being loaded."""
        p = Path(filename)
        if not p.is_absolute():
            base = self.loading_file_dir()
            if base is not None:
                p = base / p
        from schemos.reader import read_all

        text = _read_source(p)
        return self.eval_forms(read_all(text, str(p)), module, text=text, filename=str(p))

    def loading_file_dir(self) -> Path | None:
        """Directory of the innermost Scheme frame's file (for load and include)."""
        import inspect

        frame = inspect.currentframe()
        while frame is not None:
            lm = UNIT_LOCS.get(frame.f_code.co_filename)
            if lm is not None:
                for loc in lm:
                    if loc is not None and loc.file:
                        return Path(loc.file).parent
            frame = frame.f_back
        return None

    def load_file(self, path: str | Path, module: Module | None = None) -> Any:
        """Evaluate the file at ``path``; return the value of its last form."""
        text = _read_source(Path(path))
        return self.eval_string(text, str(path), module)

    def _install_provided_modules(self) -> None:
        """Modules whose bindings are all builtins: importing them only checks the name."""
        for name in _BUILTIN_MODULES:
            self.modsys.provided[tuple(name.split())] = _export_all_builtins


def _export_all_builtins(interp: Interpreter, m: Module) -> None:
    m.exports.update(interp.modsys.interface(interp.root))
    m.all_builtin = True  # type: ignore[attr-defined]


#: modules whose procedures schemos provides as builtins in every module
_BUILTIN_MODULES = [
    "ice-9 rdelim", "ice-9 pretty-print",
    "ice-9 curried-definitions", "srfi srfi-6", "srfi srfi-8",
    "srfi srfi-16", "srfi srfi-23", "srfi srfi-30", "srfi srfi-62",
    "srfi srfi-87", "scheme base", "scheme write",
    "scheme char", "scheme cxr", "scheme lazy", "scheme case-lambda", "scheme read",
    "scheme inexact", "scheme complex", "scheme time", "scheme file", "scheme eval",
    "scheme process-context", "ice-9 control", "ice-9 hash-table", "rnrs base",
    "srfi srfi-14", "srfi srfi-28", "srfi srfi-43", "srfi srfi-45", "srfi srfi-88",
]


def _read_source(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise SchemeError(Condition("system-error", "~A: ~S", who="open-file",
                                    args=[e.strerror or str(e), str(path)],
                                    irritants=[str(path)],
                                    hint="check the file name")) from None
    except UnicodeDecodeError as e:
        raise SchemeError(Condition("decoding-error", "~A: not UTF-8 text: ~A",
                                    who="open-file", args=[str(path), str(e)])) from None


_DEFINE_MODULE = Symbol("define-module")


def _load_primitives() -> None:
    import schemos.gexp  # noqa: F401 - registers gexp primitives
    import schemos.gexp_support  # noqa: F401 - registers (schemos gexp-support), (guix base32)
    import schemos.match  # noqa: F401 - registers (ice-9 match) and its primitives
    import schemos.records  # noqa: F401 - registers (guix records)
    import schemos.runtime.builtins  # noqa: F401
    import schemos.runtime.control  # noqa: F401 - registers primitives
    import schemos.runtime.guile_misc  # noqa: F401
    for name in _BOOL_RESULT:
        BOOL_PRIMS.add(name)
    from schemos.runtime.control import PRIMS_ALIASES
    from schemos.runtime.core import PRIMITIVES as P

    for alias, target in PRIMS_ALIASES.items():
        if target in P:
            P[alias] = P[target]


def _install_fast(runtime: dict[str, Any]) -> None:
    try:
        from schemos.runtime.numbers import FAST as NFAST
    except ImportError:
        NFAST = {}
    for key, fn in NFAST.items():
        name, n = key
        if isinstance(n, int):
            h = f"_f_{mangle(name)}_{n}"
            runtime[h] = fn
            FAST[(name, n)] = h
    for name in ("1+", "1-"):
        if (name, 1) not in FAST and name in PRIMITIVES:
            h = f"_f_{mangle(name)}_1"
            runtime[h] = PRIMITIVES[name]
            FAST[(name, 1)] = h


# ------------------------------------------------------------------ errors


def scheme_frames(tb: Any) -> list[tuple[str | None, SourceLoc | None]]:
    """The Scheme frames of a Python traceback, outermost first."""
    frames = []
    while tb is not None:
        code = tb.tb_frame.f_code
        lm = UNIT_LOCS.get(code.co_filename)
        if lm is not None:
            ln = tb.tb_lineno
            loc = None
            while ln > 0 and ln < len(lm):
                loc = lm[ln]
                if loc is not None:
                    break
                ln -= 1
            name = None if code.co_name == "_unit" else scheme_name_of_pyname(code.co_name)
            frames.append((name, loc))
        tb = tb.tb_next
    return frames


def to_scheme_error(e: BaseException, module: Module | None = None) -> BaseException:
    """Turn any exception escaping Scheme code into a located :class:`SchemeError`.

    ``KeyboardInterrupt`` and ``SystemExit`` (Scheme's ``exit``) are returned
    as they are: they leave the program, they are not errors.
    """
    if isinstance(e, (KeyboardInterrupt, SystemExit)):
        return e
    frames = scheme_frames(e.__traceback__)
    if isinstance(e, SchemeError):
        err = e
    elif isinstance(e, RecursionError):
        err = SchemeError(Condition("stack-overflow", "stack overflow",
                                    hint="a recursion too deep to finish: make the "
                                    "recursive call a tail call, or use a loop"))
    elif isinstance(e, NameError):
        name = getattr(e, "name", None) or ""
        if not name:
            import re

            m = re.search(r"'(\w+)'", str(e))
            name = m.group(1) if m else ""
        sname = scheme_name_of_pyname(name) if name else None
        if sname is None:
            sname = name
        hint = None
        if module is not None and sname:
            near = nearest_names(sname, module.all_names())
            if near:
                hint = "did you mean " + " or ".join(near) + "?"
        err = unbound_variable(sname, hint=hint)
    elif isinstance(e, KeyError) and e.args and isinstance(e.args[0], str) \
            and e.args[0].startswith("g_"):
        err = unbound_variable(scheme_name_of_pyname(e.args[0]) or e.args[0])
    elif isinstance(e, TypeError):
        err = _type_error(e)
    elif isinstance(e, ZeroDivisionError):
        err = SchemeError(Condition("numerical-overflow", "Numerical overflow", who="/"))
    elif isinstance(e, OverflowError):
        err = SchemeError(Condition("numerical-overflow", "Numerical overflow",
                                    who=None))
    elif isinstance(e, MemoryError):
        err = SchemeError(Condition("out-of-memory", "out of memory"))
    else:
        from schemos.runtime.control import ContinuationInvoked

        if isinstance(e, ContinuationInvoked):
            err = SchemeError(Condition("misc-error",
                                        "continuation invoked outside its extent"))
        else:
            err = SchemeError(Condition("internal-error", "internal error: ~A",
                                        args=[f"{type(e).__name__}: {e}"],
                                        hint="this is a bug in schemos; run with --debug "
                                        "for the Python traceback"))
            err.__cause__ = e
    c = err.condition
    if c is not None and c.loc is None:
        for _name, loc in reversed(frames):
            if loc is not None:
                c.loc = loc
                break
    if not err.frames:
        err.frames = frames
    return err


def _locate_at_form(err: BaseException, form: Any, index: int, text: str | None,
                    filename: str | None) -> None:
    """Give ``err`` the location of the top-level ``form`` if it has none.

    A list carries its location; a bare symbol (``%my-os`` misspelt at the
    end of a template) is found in ``text`` (read from ``filename``) as its
    ``index``-th datum.
    """
    c = err.condition if isinstance(err, SchemeError) else None
    if c is None or c.loc is not None:
        return
    if type(form) is Pair:
        c.loc = form.loc
        return
    if text is not None and type(form) is Symbol:
        from schemos.reader import atom_location

        c.loc = atom_location(text, filename, index)


def _type_error(e: TypeError) -> SchemeError:
    msg = str(e)
    import re

    m = re.match(r"'(\w+)' object is not callable", msg)
    if m:
        return SchemeError(Condition("wrong-type-arg", "Wrong type to apply: ~A",
                                     args=[f"#<{m.group(1)} value>"],
                                     hint="the operator of a call is not a procedure"))
    m = re.match(r"(\w+)\(\) (takes|missing|got)", msg)
    if m:
        name = scheme_name_of_pyname(m.group(1)) or m.group(1)
        return SchemeError(Condition("wrong-number-of-args",
                                     "Wrong number of arguments to ~A",
                                     args=[f"#<procedure {name}>"]))
    return SchemeError(Condition("internal-error", "internal error: ~A",
                                 args=[f"TypeError: {msg}"]))
