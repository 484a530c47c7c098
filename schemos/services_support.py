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
from schemos.errors import Condition, syntax_error, wrong_type
from schemos.paths import STDLIB_DIR
from schemos.runtime.pymodules import python_module, scheme_procedure


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

@scheme_procedure("location?", "(obj)")
def location_p(obj: Any) -> bool:
    """True for location values."""
    return isinstance(obj, SourceLoc)


@scheme_procedure("location-file", "(location)")
def location_file(loc: Any) -> Any:
    """The file name of LOC, or #f."""
    _check_loc("location-file", loc)
    return loc.file if loc.file is not None else False


@scheme_procedure("location-line", "(location)")
def location_line(loc: Any) -> int:
    """The 1-based line of LOC."""
    _check_loc("location-line", loc)
    return loc.line


@scheme_procedure("location-column", "(location)")
def location_column(loc: Any) -> int:
    """The 0-based column of LOC."""
    _check_loc("location-column", loc)
    return loc.col


@scheme_procedure("location->string", "(location)")
def location_to_string(loc: Any) -> str:
    """``FILE:LINE:COLUMN``, as Guix's ``location->string`` writes it."""
    if loc is False:
        return "<unknown location>"
    _check_loc("location->string", loc)
    return str(loc)


@scheme_procedure("%error-location", "(error)")
def error_location(obj: Any) -> Any:
    """The location of error condition OBJ, or #f."""
    if isinstance(obj, Condition) and obj.loc is not None:
        return location_from(obj.loc)
    return False


@scheme_procedure("%stdlib-location?", "(location)")
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


@scheme_procedure("make-service-error", "(kind location message [fields hint])")
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


def _service_error(obj: Any, kind: str, who: str) -> ServiceError:
    if not isinstance(obj, ServiceError) or obj.kind != kind:
        raise wrong_type(who, 1, f"{kind}-service-error", obj)
    return obj


@scheme_procedure("service-error?", "(obj)")
def service_error_p(obj: Any) -> bool:
    """True for every service error (Guix's ``&service-error`` and ``modify-services``')."""
    return isinstance(obj, ServiceError)


@scheme_procedure("missing-value-service-error?", "(obj)")
def missing_value_p(obj: Any) -> bool:
    """True for the error of ``(service TYPE)`` when TYPE has no default value."""
    return isinstance(obj, ServiceError) and obj.kind == "missing-value"


@scheme_procedure("missing-value-service-error-type", "(error)")
def missing_value_type(obj: Any) -> Any:
    """The service type that lacks a default value."""
    e = _service_error(obj, "missing-value", "missing-value-service-error-type")
    return e.fields.get("type", False)


@scheme_procedure("missing-value-service-error-location", "(error)")
def missing_value_location(obj: Any) -> Any:
    """Where the ``(service TYPE)`` form was written, or #f."""
    e = _service_error(obj, "missing-value", "missing-value-service-error-location")
    return location_from(e.loc)


@scheme_procedure("missing-target-service-error?", "(obj)")
def missing_target_p(obj: Any) -> bool:
    """True when a service extends a type that has no instance."""
    return isinstance(obj, ServiceError) and obj.kind == "missing-target"


@scheme_procedure("missing-target-service-error-service", "(error)")
def missing_target_service(obj: Any) -> Any:
    """The extending service (#f when the root of a fold is missing)."""
    e = _service_error(obj, "missing-target", "missing-target-service-error-service")
    return e.fields.get("service", False)


@scheme_procedure("missing-target-service-error-target-type", "(error)")
def missing_target_type(obj: Any) -> Any:
    """The service type that has no instance."""
    e = _service_error(obj, "missing-target", "missing-target-service-error-target-type")
    return e.fields.get("target-type", False)


@scheme_procedure("ambiguous-target-service-error?", "(obj)")
def ambiguous_target_p(obj: Any) -> bool:
    """True when a service extends a type that has several instances."""
    return isinstance(obj, ServiceError) and obj.kind == "ambiguous-target"


@scheme_procedure("ambiguous-target-service-error-service", "(error)")
def ambiguous_target_service(obj: Any) -> Any:
    """The extending service (#f when the root of a fold is ambiguous)."""
    e = _service_error(obj, "ambiguous-target", "ambiguous-target-service-error-service")
    return e.fields.get("service", False)


@scheme_procedure("ambiguous-target-service-error-target-type", "(error)")
def ambiguous_target_type(obj: Any) -> Any:
    """The service type that has several instances."""
    e = _service_error(obj, "ambiguous-target",
                       "ambiguous-target-service-error-target-type")
    return e.fields.get("target-type", False)


# --------------------------------------------------------------- module

_PROCEDURES = [
    location_p, location_file, location_line, location_column, location_to_string,
    stdlib_location_p, error_location, make_service_error,
    service_error_p, missing_value_p, missing_value_type, missing_value_location,
    missing_target_p, missing_target_service, missing_target_type,
    ambiguous_target_p, ambiguous_target_service, ambiguous_target_type,
]


def register() -> None:
    """Register ``(schemos services-support)`` with the module system."""
    python_module("schemos services-support",
                  {f.scm_name: f for f in _PROCEDURES},
                  {"%current-location": t_current_location,
                   "%location-of": t_location_of})


register()

__all__ = ["Location", "ServiceError", "location_from", "make_service_error", "register"]
