"""Python support for ``(guix gexp)`` and ``(guix packages)``: the forms that need
to know where they are written.

Guix writes ``local-file``, the ``location`` default of ``package`` and
``this-package-input`` with ``syntax-case``, reading the source location of
the form (``current-source-directory``, ``syntax-source``) or inserting an
identifier unhygienically (``this-package`` is a syntax parameter in Guix).
schemos' forms carry ``form.loc``, so these transformers are written in
Python.  Each is a *macro builder* (see ``schemos.compile.MACRO_BUILDERS``):
the Scheme module writes, for instance::

    (define-syntax local-file (%local-file-syntax %local-file %absolute-file-name))

and the builder returns a transformer whose introduced identifiers mean what
they mean in that module.  Being plain data, such a definition survives the
module cache.

The module ``(schemos gexp-support)`` provides the procedures these
expansions call: ``%absolute-file-name``, ``%make-gexp-input`` and the
``basename``/``dirname``/``object-address`` fallbacks Guix code expects
from Guile's core.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import schemos.base32  # noqa: F401 - registers (guix base32)
from schemos.compile import MACRO_BUILDERS, _core
from schemos.datum import NIL, UNSPECIFIED, Keyword, Pair, SourceLoc, Symbol, from_list, to_list
from schemos.errors import Condition, SchemeError, syntax_error, wrong_type
from schemos.syntax import Alias, Scope, base_symbol, is_identifier, resolve


def _items(x: Any) -> list[Any]:
    out = []
    while type(x) is Pair:
        out.append(x.car)
        x = x.cdr
    return out


def _q(x: Any) -> Any:
    return from_list([_core("quote"), x])


def guix_file_name(file: str | None, module: Any = None) -> str | None:
    """The file name Guix shows in a location: relative to the load path entry holding it.

    Guix records the file names of modules as found on ``%load-path``
    (``gnu/packages/ssh.scm``) and other files as they were given.
    """
    if not file:
        return file
    p = Path(file)
    if not p.is_absolute():
        return file
    dirs: list[Path] = []
    interp = getattr(module, "interp", None)
    if interp is not None:
        dirs = list(interp.modsys.load_path)
    else:
        from schemos.paths import STDLIB_DIR

        dirs = [STDLIB_DIR]
    for d in dirs:
        try:
            return str(p.relative_to(d))
        except ValueError:
            continue
    return file


def location_vector(loc: SourceLoc | None, module: Any = None) -> Any:
    """Guix's location vector ``#(file line column)`` (line 1-based), or #f."""
    if loc is None or loc.file is None:
        return False
    return [guix_file_name(loc.file, module), loc.line, loc.col]


# ------------------------------------------------------------- local-file

def build_local_file(spec: Any, def_scope: Scope, name: str) -> Any:
    """``(%local-file-syntax %local-file %absolute-file-name)``: the ``local-file`` macro.

    A literal file name is resolved relative to the directory of the file the
    form is written in; any other expression relative to the current
    directory when the object is used, with a warning unless wrapped in
    ``assume-valid-file-name``.
    """
    _, ctor_sym, abs_sym = to_list(spec)
    ctor = Alias(ctor_sym, def_scope)
    absolute = Alias(abs_sym, def_scope)

    def transformer(form: Any, use_scope: Scope, comp: Any) -> Any:
        if type(form) is not Pair:
            raise syntax_error("'local-file' is a macro and cannot be used like this", form)
        args = _items(form.cdr)
        if not args:
            raise syntax_error("missing file name", form,
                               hint='(local-file "file" [name] #:recursive? #t)')
        file, rest = args[0], args[1:]
        if type(file) is str:
            loc = form.loc
            directory: Any = (str(Path(os.path.abspath(loc.file)).parent)
                              if loc is not None and loc.file else False)
            promise = from_list([_core("delay"), from_list([absolute, file, directory])])
            return from_list([ctor, file, promise, *rest])
        if type(file) is Pair and is_identifier(file.car) \
                and base_symbol(file.car).name == "assume-valid-file-name":
            inner = file.cdr.car if type(file.cdr) is Pair else file
            tmp = Alias(Symbol("file"), def_scope)
            promise = from_list([_core("delay"), from_list([absolute, tmp, False])])
            return from_list([_core("let"), from_list([from_list([tmp, inner])]),
                              from_list([ctor, tmp, promise, *rest])])
        tmp = Alias(Symbol("file"), def_scope)
        promise = from_list([_core("delay"), from_list([absolute, tmp, False])])
        loc = location_vector(form.loc, def_scope.module)
        return from_list([_core("let"), from_list([from_list([tmp, file])]),
                          from_list([ctor, tmp, promise, *rest,
                                     Keyword("location"), _q(loc),
                                     Keyword("literal?"), False])])

    return transformer


def absolute_file_name(file: Any, directory: Any) -> str:
    """``%absolute-file-name``: FILE made absolute against DIRECTORY (#f: the current
    directory) and canonicalized; a ``system-error`` if it does not exist."""
    if type(file) is not str:
        raise wrong_type("local-file", 1, "string", file)
    if file.startswith("/"):
        path = file
    elif isinstance(directory, str) and directory.startswith("/"):
        path = directory + "/" + file
    else:
        path = os.path.join(os.getcwd(), file)
    try:
        return os.path.realpath(path, strict=True)
    except OSError as e:
        raise SchemeError(Condition(
            "system-error", "~A: ~S", who="canonicalize-path",
            args=[e.strerror or "No such file or directory", path], irritants=[path],
            hint="local-file looks a relative name up next to the file that uses it"))\
            from None


absolute_file_name.scm_name = "%absolute-file-name"  # type: ignore[attr-defined]
absolute_file_name.scm_params = "(file directory)"  # type: ignore[attr-defined]


# ------------------------------------------------ located record constructors

def build_located_record(spec: Any, def_scope: Scope, name: str) -> Any:
    """``(%located-record-syntax %package location)``: a record constructor whose
    ``location`` field defaults to the location of the form itself.

    Guix's ``package`` gets its ``location`` field from the default
    ``(current-location-vector)``, expanded where the ``(package ...)`` form
    is written.  This transformer adds ``(location #(file line column))`` to
    the form unless it gives a location, and hands it to the record's own
    constructor macro (``%package``), naming the form ``package`` in errors.
    """
    _, ctor_sym, field_sym = to_list(spec)
    ctor = Alias(ctor_sym, def_scope)
    inner_name = ctor_sym.name

    def transformer(form: Any, use_scope: Scope, comp: Any) -> Any:
        inits = form.cdr
        given = False
        for init in _items(inits):
            if type(init) is Pair and is_identifier(init.car) \
                    and base_symbol(init.car) is field_sym:
                given = True
        if not given:
            vec = location_vector(form.loc, use_scope.module)
            inits = Pair(from_list([field_sym, _q(vec)]), inits)
        new = Pair(ctor, inits, form.loc)
        macro = resolve(ctor, use_scope)
        try:
            return macro.transformer(new, use_scope, comp)
        except SchemeError as e:
            c = e.condition
            if c is not None and isinstance(c.message, str) \
                    and c.message.startswith(inner_name + ":"):
                c.message = name + c.message[len(inner_name):]
            raise

    return transformer


# ---------------------------------------------------------- this-package-input

def build_this_record_call(spec: Any, def_scope: Scope, name: str) -> Any:
    """``(%this-record-call this-package proc)``: ``(NAME arg ...)`` becomes
    ``(proc this-package arg ...)`` where ``this-package`` is the identifier the
    record's thunked field values bind (Guix's syntax parameter)."""
    _, this_sym, proc_sym = to_list(spec)
    proc = Alias(proc_sym, def_scope)

    def transformer(form: Any, use_scope: Scope, comp: Any) -> Any:
        if type(form) is not Pair:
            raise syntax_error(f"{name} is a macro and cannot be used like this", form)
        # the plain symbol: inside a thunked field it is the record being built
        return Pair(proc, Pair(this_sym, form.cdr), form.loc)

    return transformer


MACRO_BUILDERS["%local-file-syntax"] = build_local_file
MACRO_BUILDERS["%located-record-syntax"] = build_located_record
MACRO_BUILDERS["%this-record-call"] = build_this_record_call


# ------------------------------------------------------------- procedures

def make_gexp_input(thing: Any, output: Any = "out", native: Any = False) -> Any:
    """``%make-gexp-input``: a gexp input for OUTPUT of THING."""
    from schemos.gexp import GexpInput

    if type(output) is not str:
        raise wrong_type("gexp-input", 2, "string", output)
    return GexpInput(thing, output, native is not False, False)


make_gexp_input.scm_name = "%make-gexp-input"  # type: ignore[attr-defined]
make_gexp_input.scm_params = "(thing output native?)"  # type: ignore[attr-defined]


def object_address(obj: Any) -> int:
    """Guile's ``object-address``: a number identifying OBJ while it lives."""
    return id(obj)


object_address.scm_name = "object-address"  # type: ignore[attr-defined]
object_address.scm_params = "(obj)"  # type: ignore[attr-defined]


def basename(path: Any, suffix: Any = None) -> str:
    """Guile's ``basename``: the last component of PATH, without SUFFIX."""
    if type(path) is not str:
        raise wrong_type("basename", 1, "string", path)
    p = path.rstrip("/") or ("/" if path.startswith("/") else "")
    base = p.rsplit("/", 1)[-1] if p != "/" else "/"
    if isinstance(suffix, str) and suffix and base.endswith(suffix) and base != suffix:
        base = base[: -len(suffix)]
    return base


basename.scm_name = "basename"  # type: ignore[attr-defined]
basename.scm_params = "(filename [suffix])"  # type: ignore[attr-defined]


def dirname(path: Any) -> str:
    """Guile's ``dirname``: PATH without its last component."""
    if type(path) is not str:
        raise wrong_type("dirname", 1, "string", path)
    p = path.rstrip("/")
    if not p:
        return "/" if path.startswith("/") else "."
    if "/" not in p:
        return "."
    d = p.rsplit("/", 1)[0].rstrip("/")
    return d or "/"


dirname.scm_name = "dirname"  # type: ignore[attr-defined]
dirname.scm_params = "(filename)"  # type: ignore[attr-defined]


def record_type_of(obj: Any) -> Any:
    """``%record-type-of``: the type descriptor of record OBJ, or #f for other values."""
    from schemos.runtime.control import Record

    return obj.rtd if obj.__class__ is Record else False


record_type_of.scm_name = "%record-type-of"  # type: ignore[attr-defined]
record_type_of.scm_params = "(obj)"  # type: ignore[attr-defined]


def module_public_names(module: Any) -> Any:
    """``%module-public-names``: the names MODULE exports, sorted (for fold-packages)."""
    from schemos.module import Module

    if not isinstance(module, Module):
        raise wrong_type("module-public-names", 1, "module", module)
    return from_list(sorted(module.exports, key=lambda s: s.name))


module_public_names.scm_name = "%module-public-names"  # type: ignore[attr-defined]
module_public_names.scm_params = "(module)"  # type: ignore[attr-defined]


def install(interp: Any, m: Any) -> None:
    """Fill ``(schemos gexp-support)``.  Guile core procedures the runtime already
    has are exported as they are, so importing this module never shadows them."""
    from schemos.runtime.core import PRIMITIVES

    own = {"%absolute-file-name": absolute_file_name, "%make-gexp-input": make_gexp_input,
           "%record-type-of": record_type_of,
           "%module-public-names": module_public_names}
    fallbacks = {"object-address": object_address, "basename": basename, "dirname": dirname}
    for n, fn in own.items():
        m.define(n, fn)
        m.exports.add(Symbol(n))
    for n, fn in fallbacks.items():
        m.define(n, PRIMITIVES.get(n, fn))
        m.exports.add(Symbol(n))


def register() -> None:
    """Register ``(schemos gexp-support)``."""
    from schemos.modsys import register_module

    register_module("schemos gexp-support", install)


register()
_ = (NIL, UNSPECIFIED)
