"""Python support for ``(gnu services)``: source locations and service errors.

Guix's ``service`` macro records where a service was written with
``(current-source-location)``, and Guix raises SRFI-35 conditions
(``&missing-value-service-error`` …) that carry a location.  A Scheme
procedure cannot see its caller's form, so this module provides the two
pieces that need the expander or the condition machinery, as the internal
module ``(schemos services-support)``:

- ``(%current-location)`` — a macro that expands to the location of the
  form it appears in (for a ``syntax-rules`` template, the macro use), as a
  quoted :class:`Location`, or ``#f`` when the form has no location;
  ``(%location-of FORM)`` is the location of FORM itself (a clause written by
  the user, say);
- ``make-service-error`` and the Guix predicates and accessors of service
  errors (``missing-value-service-error?`` …), which are :class:`Condition`
  objects, so the CLI prints them Guile-style at their location and
  ``catch``/``guard`` see them like any other error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schemos.datum import NIL, Pair, SourceLoc, Symbol
from schemos.errors import Condition, SchemeError, syntax_error, wrong_type
from schemos.paths import STDLIB_DIR


class Location(SourceLoc):
    """A source location as a Scheme value (Guix's ``<location>``).

    A :class:`SourceLoc` subclass, so code that reports errors or renders
    the system graph treats it as any other location.
    """

    __slots__ = ()

    def scm_write(self, write: bool) -> str:
        """Printed as ``#<location FILE:LINE:COLUMN>``."""
        return f"#<location {self}>"

    def __reduce__(self) -> Any:
        return (Location, (self.file, self.line, self.col))


def location_from(loc: SourceLoc | None) -> Location | bool:
    """``loc`` as a Scheme location value, or ``#f`` if there is none."""
    if loc is None:
        return False
    return Location(loc.file, loc.line, loc.col)


# ----------------------------------------------------------------- macros

def _quote(value: Any) -> Any:
    from schemos.compile import _core

    return Pair(_core("quote"), Pair(value, NIL))


def t_current_location(form: Any, scope: Any, comp: Any) -> Any:
    """``(%current-location)``: the location of this very form."""
    if form.cdr is not NIL:
        raise syntax_error("%current-location takes no arguments", form)
    return _quote(location_from(form.loc))


def t_location_of(form: Any, scope: Any, comp: Any) -> Any:
    """``(%location-of FORM)``: where FORM was written (FORM is not evaluated)."""
    if type(form.cdr) is not Pair or form.cdr.cdr is not NIL:
        raise syntax_error("%location-of takes one form", form)
    x = form.cdr.car
    loc = x.loc if type(x) is Pair and x.loc is not None else form.loc
    return _quote(location_from(loc))


# ------------------------------------------------------------ procedures

def location_p(obj: Any) -> bool:
    """True for location values."""
    return isinstance(obj, SourceLoc)


def location_file(loc: Any) -> Any:
    """The file name of LOC, or #f."""
    _check_loc("location-file", loc)
    return loc.file if loc.file is not None else False


def location_line(loc: Any) -> int:
    """The 1-based line of LOC."""
    _check_loc("location-line", loc)
    return loc.line


def location_column(loc: Any) -> int:
    """The 0-based column of LOC."""
    _check_loc("location-column", loc)
    return loc.col


def location_to_string(loc: Any) -> str:
    """``FILE:LINE:COLUMN``, as Guix's ``location->string`` writes it."""
    if loc is False:
        return "<unknown location>"
    _check_loc("location->string", loc)
    return str(loc)


def error_location(obj: Any) -> Any:
    """The location of error condition OBJ, or #f."""
    if isinstance(obj, Condition) and obj.loc is not None:
        return location_from(obj.loc)
    return False


def stdlib_location_p(loc: Any) -> bool:
    """True if LOC lies in schemos' own Scheme library (not in user code)."""
    if not isinstance(loc, SourceLoc) or not loc.file:
        return False
    try:
        Path(loc.file).resolve().relative_to(STDLIB_DIR.resolve())
    except ValueError:
        return False
    return True


def _check_loc(who: str, loc: Any) -> None:
    if not isinstance(loc, SourceLoc):
        raise wrong_type(who, 1, "location", loc)


class ServiceError(Condition):
    """A Guix service error: a message condition with a kind and fields.

    ``kind`` is ``missing-value``, ``missing-target``, ``ambiguous-target``
    (Guix's ``&service-error`` subtypes) or ``error`` for plain located
    errors such as the ones ``modify-services`` raises.
    """

    __slots__ = ("kind", "fields")

    def __init__(self, kind: str, message: str, loc: SourceLoc | None,
                 fields: dict[str, Any], hint: str | None = None) -> None:
        super().__init__("misc-error", message, loc=loc, hint=hint)
        self.kind = kind
        self.fields = fields


_KINDS = ("missing-value", "missing-target", "ambiguous-target", "error")


def make_service_error(kind: Any, location: Any, message: Any, fields: Any = NIL,
                       hint: Any = False) -> ServiceError:
    """Make a service error condition (raise it with ``raise``).

    KIND is one of the symbols ``missing-value``, ``missing-target``,
    ``ambiguous-target`` and ``error``; LOCATION a location or #f; MESSAGE the
    complete message text; FIELDS an alist of the condition's fields (for
    instance ``((type . ,type))``); HINT a string or #f.
    """
    if type(kind) is not Symbol or kind.name not in _KINDS:
        raise wrong_type("make-service-error", 1, "service error kind", kind)
    if type(message) is not str:
        raise wrong_type("make-service-error", 3, "string", message)
    d: dict[str, Any] = {}
    p = fields
    while type(p) is Pair:
        entry = p.car
        if type(entry) is not Pair or type(entry.car) is not Symbol:
            raise wrong_type("make-service-error", 4, "association list", fields)
        d[entry.car.name] = entry.cdr
        p = p.cdr
    loc = location if isinstance(location, SourceLoc) else None
    return ServiceError(kind.name, message, loc, d,
                        hint if type(hint) is str else None)


def _kind_p(kind: str | None) -> Any:
    def pred(obj: Any) -> bool:
        return isinstance(obj, ServiceError) and (kind is None or obj.kind == kind)
    pred.__doc__ = f"True for {kind or 'any'} service errors."
    return pred


def _field(kind: str, field: str, who: str) -> Any:
    def get(obj: Any) -> Any:
        if not isinstance(obj, ServiceError) or obj.kind != kind:
            raise wrong_type(who, 1, f"{kind}-service-error", obj)
        if field == "location":
            return location_from(obj.loc)
        return obj.fields.get(field, False)
    get.__doc__ = f"The {field} of a {kind} service error."
    return get


# --------------------------------------------------------------- module

def _procedures() -> dict[str, Any]:
    procs: dict[str, Any] = {
        "location?": location_p,
        "location-file": location_file,
        "location-line": location_line,
        "location-column": location_column,
        "location->string": location_to_string,
        "%stdlib-location?": stdlib_location_p,
        "%error-location": error_location,
        "make-service-error": make_service_error,
        "service-error?": _kind_p(None),
        "missing-value-service-error?": _kind_p("missing-value"),
        "missing-target-service-error?": _kind_p("missing-target"),
        "ambiguous-target-service-error?": _kind_p("ambiguous-target"),
    }
    for kind, field in (("missing-value", "type"), ("missing-value", "location"),
                        ("missing-target", "service"), ("missing-target", "target-type"),
                        ("ambiguous-target", "service"), ("ambiguous-target", "target-type")):
        name = f"{kind}-service-error-{field}"
        procs[name] = _field(kind, field, name)
    for name, fn in procs.items():
        fn.scm_name = name
    return procs


def install(interp: Any, m: Any) -> None:
    """Fill the ``(schemos services-support)`` module."""
    from schemos.syntax import Macro

    for name, t in (("%current-location", t_current_location),
                    ("%location-of", t_location_of)):
        m.define_syntax(Symbol(name), Macro(t, interp.root_scope, name))
        m.exports.add(Symbol(name))
    for name, fn in _procedures().items():
        m.define(Symbol(name), fn)
        m.exports.add(Symbol(name))


def register() -> None:
    """Register ``(schemos services-support)`` with the module system."""
    from schemos.modsys import register_module

    register_module("schemos services-support", install)


register()

__all__ = ["Location", "ServiceError", "location_from", "make_service_error", "install",
           "register", "SchemeError"]
