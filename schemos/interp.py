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

from schemos.compile import (
    BOOL_PRIMS,
    FAST,
    SPECIAL_FORMS,
    UNIT_LOCS,
    Compiler,
    set_root_scope,
)
from schemos.datum import UNSPECIFIED, SourceLoc, Symbol
from schemos.errors import Condition, SchemeError, nearest_names, unbound_variable
from schemos.module import Module, global_pyname, mangle, scheme_name_of_pyname
from schemos.runtime.core import PRIMITIVES, primitive, trampoline
from schemos.syntax import Macro, Scope, Special

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

        def target() -> None:
            cls.local.inside = True
            try:
                result["v"] = fn()
            except BaseException as e:  # noqa: BLE001 - handed to the caller
                result["e"] = e

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
        try:
            t.join()
        except KeyboardInterrupt:
            _interrupt(t)
            t.join()
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

    def __init__(self) -> None:
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
        for name in SPECIAL_FORMS:
            root.syntax[Symbol(name)] = Special(name)
        self.root = root
        self.root_scope = Scope(None, root)
        set_root_scope(self.root_scope)
        from schemos.derived import TRANSFORMERS

        for name, t in TRANSFORMERS.items():
            root.syntax[Symbol(name)] = Macro(t, self.root_scope, name)
        self.modules[root.name] = root
        self.user = self.make_module(("guile-user",))
        self._install_eval()

    def make_module(self, name: tuple[str, ...]) -> Module:
        """A new module that sees every binding of the root module."""
        m = Module(name, self.runtime)
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

        @primitive("interaction-environment", "()")
        def interaction_environment() -> Any:
            """The module the REPL and top-level programs use."""
            return interp.user

        @primitive("current-module", "()")
        def current_module() -> Any:
            """The current module."""
            return interp.user

        for f in (eval_, interaction_environment, current_module):
            for m in self.modules.values():
                m.ns[global_pyname(Symbol(f.scm_name))] = f

    # -------------------------------------------------------------- evaluation
    def eval_form(self, form: Any, module: Module | None = None) -> Any:
        """Compile and run one top-level form; return its value."""
        module = module or self.user
        comp = Compiler(module)
        thunk = comp.compile_toplevel(form, Scope(None, module))
        return trampoline(thunk())

    def eval_string(self, text: str, filename: str | None = None,
                    module: Module | None = None) -> Any:
        """Read and evaluate every form of ``text``; return the last value."""
        module = module or self.user

        def work() -> Any:
            try:
                from schemos.reader import read_all

                value: Any = UNSPECIFIED
                for form in read_all(text, filename):
                    value = self.eval_form(form, module)
                return value
            except BaseException as e:  # noqa: BLE001 - translated below
                raise to_scheme_error(e, module) from None

        return _Worker.run(work)

    def load_file(self, path: str | Path, module: Module | None = None) -> Any:
        """Evaluate the file at ``path``; return the value of its last form."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as e:
            raise SchemeError(Condition("system-error", "~A: ~S", who="open-file",
                                        args=[e.strerror or str(e), str(p)],
                                        irritants=[str(p)],
                                        hint="check the file name")) from None
        return self.eval_string(text, str(path), module)


def _load_primitives() -> None:
    import schemos.runtime.control  # noqa: F401 - registers primitives

    try:
        import schemos.runtime.builtins  # noqa: F401
    except ImportError:
        pass
    for name in _BOOL_RESULT:
        BOOL_PRIMS.add(name)
    from schemos.runtime.core import PRIMITIVES as P
    from schemos.runtime.control import PRIMS_ALIASES

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
    """Turn any exception escaping Scheme code into a located :class:`SchemeError`."""
    if isinstance(e, KeyboardInterrupt):
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
