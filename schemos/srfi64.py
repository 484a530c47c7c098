"""SRFI-64 (``(srfi srfi-64)``) for schemos, written in Python.

The test forms (``test-begin``, ``test-end``, ``test-group``, ``test-assert``,
``test-equal``, ``test-eqv``, ``test-eq``, ``test-approximate``,
``test-error``) are Python macro transformers, like those of
:mod:`schemos.derived`.  Each expands into a call of a ``%test-…`` primitive
that receives:

* a :class:`Site` constant: what kind of assertion it is and the source
  location of the form (``file:line:col``), so that every failure points at
  the assertion that failed;
* the test name (an expression, evaluated; ``#f`` when there is none);
* the expressions under test wrapped in thunks, so that an error raised while
  evaluating them is caught and counted as a failure (for ``test-error``: as a
  pass).

Results are kept in a :class:`Runner`.  :func:`install` makes the forms
available in an :class:`~schemos.interp.Interpreter`; :func:`run_scheme_test_file`
runs one SRFI-64 test file with a fresh interpreter and returns its runner.

Differences from Guile's SRFI-64 (the reference implementation):

* ``test-error`` with an error *type* checks it: ``#t`` accepts any error, a
  symbol is compared with the Guile throw key of the condition
  (``wrong-type-arg``, ``misc-error`` …; generic names such as ``error`` or
  ``&error`` accept any error), a procedure is applied to the raised object as
  a predicate.  Guile ignores the type.
* An error while evaluating the *expected* value is a failure, not an
  uncaught error.
* Nothing is printed and no ``.log`` file is written; the caller reads the
  runner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemos.compile import _core
from schemos.datum import NIL, Keyword, Pair, SourceLoc, Symbol, from_list
from schemos.errors import Condition, SchemeError, syntax_error, throw_key
from schemos.runtime.core import PRIMITIVES, call, primitive
from schemos.syntax import Macro, base_symbol, strip

if TYPE_CHECKING:
    from schemos.interp import Interpreter

__all__ = [
    "Site",
    "Result",
    "Runner",
    "current_runner",
    "install",
    "register_module",
    "run_scheme_test_file",
    "TRANSFORMERS",
    "PROVIDED_MODULES",
]

# ------------------------------------------------------------------ results


class Site:
    """Where an assertion is written: its kind, source location and form."""

    __slots__ = ("kind", "loc", "form")

    def __init__(self, kind: str, loc: SourceLoc | None, form: Any) -> None:
        self.kind = kind
        self.loc = loc
        #: the form as plain data (no macro renamings), so a Site can be pickled
        self.form = strip(form)

    def describe(self, limit: int = 60) -> str:
        """A short rendering of the assertion's form, for nameless tests."""
        text = _write(self.form)
        if len(text) > limit:
            text = text[: limit - 3] + "..."
        return text

    def __repr__(self) -> str:
        return f"<Site {self.kind} at {self.loc}>"


@dataclass
class Result:
    """The outcome of one assertion."""

    kind: str
    loc: SourceLoc | None
    name: str | None
    groups: tuple[str, ...]
    passed: bool
    expected: str = ""
    actual: str = ""
    #: the assertion's form, written (used when it has no name)
    form: str = ""

    @property
    def label(self) -> str:
        """The test's name, or its form when it has none."""
        return self.name if self.name is not None else self.form

    def __str__(self) -> str:
        where = str(self.loc) if self.loc is not None else "<unknown>"
        return f"{where}: {self.label}: expected {self.expected}, got {self.actual}"


@dataclass
class Runner:
    """Collects the results of the assertions of one test run."""

    passes: list[Result] = field(default_factory=list)
    failures: list[Result] = field(default_factory=list)
    #: names of the groups (``test-begin``/``test-group``) currently open
    groups: list[str] = field(default_factory=list)
    #: problems that are not assertion failures (``test-end`` mismatches)
    problems: list[str] = field(default_factory=list)
    #: the uncaught error that stopped the test file, if any
    error: BaseException | None = None

    @property
    def count(self) -> int:
        """Number of assertions run."""
        return len(self.passes) + len(self.failures)

    @property
    def ok(self) -> bool:
        """True if at least one assertion ran and none failed."""
        return (self.count > 0 and not self.failures and not self.problems
                and self.error is None)

    def summary(self) -> str:
        """``N passed, M failed`` (plus problems, if any)."""
        s = f"{len(self.passes)} passed, {len(self.failures)} failed"
        if self.problems:
            s += f", {len(self.problems)} problem(s)"
        return s

    def report(self) -> str:
        """Every failure (and problem), one per line."""
        return "\n".join([str(f) for f in self.failures] + self.problems)

    def failure_report(self) -> str | None:
        """Why this run of a test file failed, or ``None`` if it passed.

        Lists each failing assertion as ``file:line:col: name: expected X,
        got Y``, then the uncaught error that stopped the file (formatted as
        schemos reports errors), or says that no assertion ran.
        """
        lines: list[str] = []
        if self.failures or self.problems:
            lines.append(f"{len(self.failures)} of {self.count} assertions failed:")
            lines.extend(str(f) for f in self.failures)
            lines.extend(self.problems)
        if self.error is not None:
            from schemos.report import format_error

            err = self.error
            lines.append(f"uncaught error after {self.count} assertions:")
            lines.append(format_error(err) if isinstance(err, SchemeError) else repr(err))
        elif self.count == 0:
            lines.append("no assertions ran")
        return "\n".join(lines) if lines else None

    def record(self, site: Site, name: Any, passed: bool, expected: str = "",
               actual: str = "") -> bool:
        """Record the outcome of the assertion at ``site``; return ``passed``."""
        r = Result(site.kind, site.loc, _name(name), tuple(self.groups), passed,
                   expected, actual, site.describe() if name is False else "")
        (self.passes if passed else self.failures).append(r)
        return passed


_CURRENT: list[Runner] = [Runner()]


def current_runner() -> Runner:
    """The runner the ``%test-…`` primitives record into."""
    return _CURRENT[0]


def set_current_runner(runner: Runner) -> None:
    """Make ``runner`` the one the ``%test-…`` primitives record into."""
    _CURRENT[0] = runner


# ------------------------------------------------------------------ helpers


def _write(x: Any) -> str:
    from schemos.printer import write_string

    return write_string(x)


def _display(x: Any) -> str:
    from schemos.printer import display_string

    return display_string(x)


def _name(name: Any) -> str | None:
    if name is False:
        return None
    return name if isinstance(name, str) else _display(name)


class _Raised:
    """What a thunk raised instead of returning a value."""

    __slots__ = ("error",)

    def __init__(self, error: SchemeError) -> None:
        self.error = error

    @property
    def payload(self) -> Any:
        """The raised object (usually a :class:`Condition`)."""
        return self.error.payload

    def describe(self) -> str:
        """``error: <message>`` as it would be reported."""
        from schemos.errors import format_condition

        c = self.error.condition
        if c is not None:
            key = throw_key(c)
            return f"error ({_write(key)}): {format_condition(c, with_loc=False)}"
        return f"raise of {_write(self.payload)}"


def _run(thunk: Any) -> Any:
    """Call ``thunk``; return its value or a :class:`_Raised` for an error."""
    try:
        return call(thunk)
    except SchemeError as e:
        return _Raised(e)
    except Exception as e:  # noqa: BLE001 - Python errors escaping compiled code
        from schemos.interp import to_scheme_error

        err = to_scheme_error(e)
        if isinstance(err, SchemeError):
            return _Raised(err)
        raise


def _show(v: Any) -> str:
    if isinstance(v, _Raised):
        return v.describe()
    return _write(v)


def _equal(a: Any, b: Any) -> bool:
    f = PRIMITIVES.get("equal?")
    return bool(f(a, b)) if f is not None else a == b


def _eqv(a: Any, b: Any) -> bool:
    f = PRIMITIVES.get("eqv?")
    return bool(f(a, b)) if f is not None else a is b


def _eq(a: Any, b: Any) -> bool:
    f = PRIMITIVES.get("eq?")
    return bool(f(a, b)) if f is not None else a is b


_COMPARE = {"test-equal": _equal, "test-eqv": _eqv, "test-eq": _eq}

#: error "types" of ``test-error`` that accept any error
_ANY_ERROR = {"error", "&error", "condition", "&condition", "exception", "&exception",
              "serious", "&serious", "error?", "error-object"}


def _error_matches(etype: Any, raised: _Raised) -> bool:
    """Does the error ``raised`` satisfy the ``test-error`` type ``etype``?"""
    if etype is True:
        return True
    payload = raised.payload
    if type(etype) is Symbol:
        if etype.name in _ANY_ERROR:
            return True
        if isinstance(payload, Condition):
            return throw_key(payload) is etype or payload.key is etype
        return payload is etype or etype.name == "%exception"
    if callable(etype):
        try:
            return call(etype, payload) is not False
        except Exception:  # noqa: BLE001 - a failing predicate means no match
            return False
    # anything else (a record type, a string ...): like Guile, any error will do
    return True


# --------------------------------------------------------------- primitives


@primitive("%test-begin", "(name)")
def test_begin(name: Any = False) -> Any:
    """Open the test group NAME."""
    current_runner().groups.append(_name(name) or "")
    return False


@primitive("%test-end", "(site name)")
def test_end(site: Site, name: Any = False) -> Any:
    """Close the innermost test group (checking its name if NAME is given)."""
    r = current_runner()
    where = str(site.loc) if site.loc is not None else "<unknown>"
    if not r.groups:
        r.problems.append(f"{where}: test-end without a matching test-begin")
        return False
    opened = r.groups.pop()
    if name is not False and _name(name) != opened:
        r.problems.append(f"{where}: test-end {_write(name)} does not match "
                          f"test-begin {_write(opened)}")
    return False


@primitive("%test-group", "(name thunk)")
def test_group(name: Any, thunk: Any) -> Any:
    """Run THUNK inside the test group NAME."""
    r = current_runner()
    depth = len(r.groups)
    r.groups.append(_name(name) or "")
    try:
        return call(thunk)
    finally:
        del r.groups[depth:]


@primitive("%test-assert", "(site name thunk)")
def test_assert(site: Site, name: Any, thunk: Any) -> bool:
    """Pass if THUNK returns a true value."""
    v = _run(thunk)
    ok = not isinstance(v, _Raised) and v is not False
    return current_runner().record(site, name, ok, "a true value", _show(v))


@primitive("%test-compare", "(site name expected actual)")
def test_compare(site: Site, name: Any, expected: Any, actual: Any) -> bool:
    """Pass if the values of thunks EXPECTED and ACTUAL are equal (in SITE's sense)."""
    e = _run(expected)
    a = _run(actual)
    if isinstance(e, _Raised) or isinstance(a, _Raised):
        ok = False
    else:
        ok = _COMPARE[site.kind](e, a)
    return current_runner().record(site, name, ok, _show(e), _show(a))


@primitive("%test-approximate", "(site name expected actual error)")
def test_approximate(site: Site, name: Any, expected: Any, actual: Any, error: Any) -> bool:
    """Pass if ACTUAL is within ERROR of EXPECTED (all three thunks)."""
    e = _run(expected)
    a = _run(actual)
    d = _run(error)
    ok = False
    exp_text = _show(e)
    if not any(isinstance(x, _Raised) for x in (e, a, d)):
        exp_text = f"{_write(e)} +/- {_write(d)}"
        try:
            ok = bool(e - d <= a <= e + d)
        except TypeError:
            ok = False
    return current_runner().record(site, name, ok, exp_text, _show(a))


@primitive("%test-error", "(site name etype thunk)")
def test_error(site: Site, name: Any, etype: Any, thunk: Any) -> bool:
    """Pass if THUNK raises an error matching ETYPE (a thunk too)."""
    t = _run(etype)
    if isinstance(t, _Raised):
        return current_runner().record(site, name, False, "an error", _show(t))
    v = _run(thunk)
    wanted = "an error" if t is True else f"an error of type {_write(t)}"
    if not isinstance(v, _Raised):
        return current_runner().record(site, name, False, wanted, _write(v))
    return current_runner().record(site, name, _error_matches(t, v), wanted, v.describe())


# ------------------------------------------------------------- transformers


def _args(form: Any) -> list[Any]:
    out = []
    x = form.cdr
    while type(x) is Pair:
        out.append(x.car)
        x = x.cdr
    if x is not NIL:
        raise syntax_error(f"bad {_head(form)} form", form)
    return out


def _head(form: Any) -> str:
    h = base_symbol(form.car)
    return h.name if type(h) is Symbol else "test"


def _site(kind: str, form: Any) -> Any:
    return from_list([_core("quote"), Site(kind, form.loc, form)])


def _thunk(expr: Any) -> Any:
    return from_list([_core("lambda"), NIL, expr])


def _call(prim: str, *args: Any) -> Any:
    return from_list([_core(prim), *args])


def t_test_begin(form: Any, scope: Any, comp: Any) -> Any:
    """(test-begin name [count])."""
    a = _args(form)
    if len(a) not in (1, 2):
        raise syntax_error("bad test-begin form", form, hint="(test-begin name)")
    return _call("%test-begin", a[0])


def t_test_end(form: Any, scope: Any, comp: Any) -> Any:
    """(test-end [name])."""
    a = _args(form)
    if len(a) > 1:
        raise syntax_error("bad test-end form", form, hint="(test-end [name])")
    return _call("%test-end", _site("test-end", form), a[0] if a else False)


def t_test_group(form: Any, scope: Any, comp: Any) -> Any:
    """(test-group name body ...)."""
    a = _args(form)
    if not a:
        raise syntax_error("bad test-group form", form, hint="(test-group name body ...)")
    body = a[1:] or [False]
    return _call("%test-group", a[0], from_list([_core("lambda"), NIL, *body]))


def t_test_assert(form: Any, scope: Any, comp: Any) -> Any:
    """(test-assert [name] expr)."""
    a = _args(form)
    if len(a) not in (1, 2):
        raise syntax_error("bad test-assert form", form, hint="(test-assert [name] expr)")
    name = a[0] if len(a) == 2 else False
    return _call("%test-assert", _site("test-assert", form), name, _thunk(a[-1]))


def _make_compare(kind: str) -> Any:
    def transformer(form: Any, scope: Any, comp: Any) -> Any:
        a = _args(form)
        if len(a) not in (2, 3):
            raise syntax_error(f"bad {kind} form", form, hint=f"({kind} [name] expected expr)")
        name = a[0] if len(a) == 3 else False
        return _call("%test-compare", _site(kind, form), name, _thunk(a[-2]), _thunk(a[-1]))

    transformer.__name__ = "t_" + kind.replace("-", "_")
    transformer.__doc__ = f"({kind} [name] expected expr)."
    return transformer


def t_test_approximate(form: Any, scope: Any, comp: Any) -> Any:
    """(test-approximate [name] expected expr error)."""
    a = _args(form)
    if len(a) not in (3, 4):
        raise syntax_error("bad test-approximate form", form,
                           hint="(test-approximate [name] expected expr error)")
    name = a[0] if len(a) == 4 else False
    return _call("%test-approximate", _site("test-approximate", form), name,
                 _thunk(a[-3]), _thunk(a[-2]), _thunk(a[-1]))


def t_test_error(form: Any, scope: Any, comp: Any) -> Any:
    """(test-error [[name] error-type] expr)."""
    a = _args(form)
    if len(a) not in (1, 2, 3):
        raise syntax_error("bad test-error form", form,
                           hint="(test-error [[name] error-type] expr)")
    name = a[0] if len(a) == 3 else False
    etype = a[-2] if len(a) >= 2 else True
    return _call("%test-error", _site("test-error", form), name, _thunk(etype),
                 _thunk(a[-1]))


#: module names whose bindings schemos provides without loading anything
PROVIDED_MODULES = {
    "(srfi srfi-1)", "(srfi srfi-6)", "(srfi srfi-8)", "(srfi srfi-9)", "(srfi srfi-11)",
    "(srfi srfi-13)", "(srfi srfi-14)", "(srfi srfi-16)", "(srfi srfi-23)", "(srfi srfi-28)",
    "(srfi srfi-30)", "(srfi srfi-34)", "(srfi srfi-39)", "(srfi srfi-43)", "(srfi srfi-45)",
    "(srfi srfi-62)", "(srfi srfi-64)", "(srfi srfi-69)", "(srfi srfi-87)", "(srfi srfi-88)",
    "(ice-9 format)", "(ice-9 receive)", "(ice-9 hash-table)", "(ice-9 optargs)",
    "(ice-9 control)", "(ice-9 pretty-print)", "(ice-9 curried-definitions)",
    "(ice-9 rdelim)", "(rnrs base)", "(rnrs bytevectors)",
    "(scheme base)", "(scheme char)", "(scheme write)", "(scheme read)",
    "(scheme case-lambda)", "(scheme lazy)", "(scheme cxr)", "(scheme inexact)",
    "(guile)",
}


def t_use_modules(form: Any, scope: Any, comp: Any) -> Any:
    """(use-modules spec ...): accept modules whose bindings schemos already has.

    Renamings in a ``#:select`` list, ``((mod) #:select ((name . new-name)))``,
    become definitions of ``new-name``.
    """
    out: list[Any] = []
    for spec in _args(form):
        s = strip(spec)
        # (use-modules ((srfi srfi-1) #:select (fold))) and friends
        if type(s) is Pair and type(s.car) is Pair:
            opts = s.cdr
            while type(opts) is Pair and type(opts.cdr) is Pair:
                if opts.car == Keyword("select"):
                    for item in opts.cdr.car if type(opts.cdr.car) is Pair else ():
                        if type(item) is Pair and type(item.car) is Symbol \
                                and type(item.cdr) is Symbol:
                            out.append(from_list([_core("define"), item.cdr, item.car]))
                opts = opts.cdr.cdr
            s = s.car
        text = _write(s)
        if text not in PROVIDED_MODULES:
            from schemos.errors import Condition as C

            raise SchemeError(C("misc-error", "no code for module ~S", args=[s],
                                irritants=[s], loc=form.loc,
                                hint="schemos has no module system yet; it only "
                                "accepts modules whose bindings it provides"))
    if out:
        return from_list([_core("begin"), *out])
    return from_list([_core("if"), False, False])


TRANSFORMERS = {
    "test-begin": t_test_begin,
    "test-end": t_test_end,
    "test-group": t_test_group,
    "test-assert": t_test_assert,
    "test-equal": _make_compare("test-equal"),
    "test-eqv": _make_compare("test-eqv"),
    "test-eq": _make_compare("test-eq"),
    "test-approximate": t_test_approximate,
    "test-error": t_test_error,
}

_PRIMS = [test_begin, test_end, test_group, test_assert, test_compare, test_approximate,
          test_error]


# ------------------------------------------------------------------ install


def install(interp: Interpreter, runner: Runner | None = None) -> Runner:
    """Make the SRFI-64 forms available in ``interp``; return the runner they use.

    The forms are bound in the root and user modules, and ``(srfi srfi-64)``
    becomes an importable module.  The ``%test-…`` primitives record into the
    *current* runner (see :func:`current_runner`), which this makes ``runner``
    (a new one by default).

    Test files also import the modules Guile needs for the bindings they use
    (``(srfi srfi-1)``, ``(rnrs bytevectors)`` …).  Every module of
    :data:`PROVIDED_MODULES` that the interpreter can neither find nor
    provides already is made importable as "all builtins" (schemos binds
    them everywhere).  If ``use-modules`` is not a form of ``interp`` at all,
    a stand-in is defined that accepts these modules.
    """
    runner = runner if runner is not None else Runner()
    set_current_runner(runner)
    macros = dict(TRANSFORMERS)
    modsys = getattr(interp, "modsys", None)
    if modsys is None and Symbol("use-modules") not in interp.root.syntax:
        macros["use-modules"] = t_use_modules
    for name, t in macros.items():
        m = Macro(t, interp.root_scope, name)
        for mod in (interp.root, interp.user):
            mod.syntax[Symbol(name)] = m
    for mod in interp.modules.values():
        _define_prims(mod)
    if modsys is not None:
        register_module(interp)
        for text in sorted(PROVIDED_MODULES):
            name = tuple(text[1:-1].split())
            if name in modsys.provided or name in interp.modules:
                continue
            if modsys.find_file(name) is None:
                modsys.provided[name] = _install_builtins_module
    return runner


def register_module(interp: Interpreter) -> None:
    """Make ``(srfi srfi-64)`` importable in ``interp`` (without binding anything else).

    Results go to the current runner (see :func:`current_runner`).
    """
    interp.modsys.provided[("srfi", "srfi-64")] = _install_srfi64_module


def _define_prims(mod: Any) -> None:
    from schemos.module import global_pyname

    for f in _PRIMS:
        mod.ns[global_pyname(Symbol(f.scm_name))] = f


def _install_srfi64_module(interp: Interpreter, m: Any) -> None:
    """Fill the module ``(srfi srfi-64)``: the test forms, exported."""
    for name, t in TRANSFORMERS.items():
        m.syntax[Symbol(name)] = Macro(t, interp.root_scope, name)
        m.exports.add(Symbol(name))
    _define_prims(m)


def _install_builtins_module(interp: Interpreter, m: Any) -> None:
    """A module whose interface is every binding of the root module."""
    m.exports.update(interp.modsys.interface(interp.root))


def run_scheme_test_file(path: str | Path, *, raise_errors: bool = False) -> Runner:
    """Run the SRFI-64 test file at ``path`` in a fresh interpreter.

    Returns the runner holding the results.  An uncaught error in the file
    (a :class:`~schemos.errors.SchemeError`) stops it; it is kept in
    :attr:`Runner.error`, or re-raised if ``raise_errors`` is true.
    """
    from schemos.interp import Interpreter

    interp = Interpreter()
    runner = install(interp)
    try:
        interp.load_file(path)
    except SchemeError as e:
        runner.error = e
        if raise_errors:
            raise
    return runner
