"""SRFI-35 conditions, as Guile 3.0 implements them on its exception system.

A condition type is a record type (:class:`~schemos.runtime.control.RecordType`)
whose ``extra["parent"]`` is its supertype and whose fields are its
supertype's followed by its own.  A simple condition is a record of such a
type; a compound condition is a record of type ``&compound-exception`` whose
one field lists the simple conditions.  Records print as Guile prints them
(``#<&message message: "hi">``) and ``record?`` is true of conditions, as in
Guile.  The four standard types carry Guile's names: ``&condition`` prints
as ``&exception``, ``&serious`` as ``&error`` and ``&error`` as
``&external-error``.

The errors schemos itself raises (:class:`schemos.errors.Condition`: those
of ``error``, ``throw`` and the builtins) are conditions too, answering the
predicates as Guile's do: they are serious conditions, message conditions
unless they come from ``throw``, and never ``error?`` (Guile's ``error?`` is
SRFI-35's ``&error``, an "external" error).

The module ``(schemos srfi-35)`` provides these procedures to
``stdlib/srfi/srfi-35.scm``, which adds the syntax.
"""

from __future__ import annotations

from typing import Any

from schemos.datum import Symbol, from_list, to_list
from schemos.errors import Condition
from schemos.runtime.builtin_errors import misc_error
from schemos.runtime.control import Record, RecordType
from schemos.runtime.pymodules import python_module, scheme_procedure

__all__ = [
    "CONDITION", "MESSAGE", "SERIOUS", "ERROR", "COMPOUND", "is_condition_type",
    "is_condition", "simple_conditions", "has_type",
]


def _make_type(name: str, parent: RecordType | None, fields: list[Symbol]) -> RecordType:
    inherited = list(parent.fields) if parent is not None else []
    rtd = RecordType(Symbol(name), inherited + fields)
    rtd.extra["parent"] = parent
    rtd.extra["condition-type"] = True
    return rtd


#: the root of the condition types (Guile's ``&exception``)
CONDITION = _make_type("&exception", None, [])
#: conditions carrying a message
MESSAGE = _make_type("&message", CONDITION, [Symbol("message")])
#: serious conditions (Guile's ``&error``)
SERIOUS = _make_type("&error", CONDITION, [])
#: errors (Guile's ``&external-error``)
ERROR = _make_type("&external-error", SERIOUS, [])
#: the type of compound conditions
COMPOUND = RecordType(Symbol("&compound-exception"), [Symbol("components")])


def is_condition_type(x: Any) -> bool:
    """True for condition types."""
    return isinstance(x, RecordType) and x.extra.get("condition-type", False)


def is_condition(x: Any) -> bool:
    """True for conditions: SRFI-35 ones and the errors schemos raises."""
    if isinstance(x, Condition):
        return True
    return type(x) is Record and (x.rtd is COMPOUND or is_condition_type(x.rtd))


def simple_conditions(c: Any) -> list[Any]:
    """The simple conditions making up condition ``c``."""
    if type(c) is Record and c.rtd is COMPOUND:
        return to_list(c.vals[0])
    return [c]


def _subtype(t: RecordType | None, of: RecordType) -> bool:
    while t is not None:
        if t is of:
            return True
        t = t.extra.get("parent")
    return False


def _native_has_type(c: Condition, t: RecordType) -> bool:
    """Whether a schemos error answers to condition type ``t`` (as Guile's do)."""
    if t is CONDITION or t is SERIOUS:
        return True
    if t is MESSAGE:
        return c.key.name != "%throw"
    return False


def has_type(c: Any, t: RecordType) -> bool:
    """True if condition ``c`` (simple or compound) has type ``t`` or a subtype of it."""
    for s in simple_conditions(c):
        if isinstance(s, Condition):
            if _native_has_type(s, t):
                return True
        elif type(s) is Record and _subtype(s.rtd, t):
            return True
    return False


def _check_type(who: str, t: Any) -> RecordType:
    if not is_condition_type(t):
        from schemos.errors import SchemeError

        raise SchemeError(Condition("wrong-type-arg", "Not a condition type: ~S", who=who,
                                    args=[t], irritants=[t], extra=from_list([t])))
    return t


def _check_condition(who: str, c: Any) -> Any:
    if not is_condition(c):
        raise misc_error(None, "not a exception ~S", c)
    return c


def _native_message(c: Condition) -> str:
    """The message of a schemos error, as Guile gives it (before formatting)."""
    return to_list(c.throw_args())[1]


# ---------------------------------------------------------------- procedures


@scheme_procedure("make-condition-type", "(id parent field-names)")
def make_condition_type(name: Any, parent: Any, fields: Any) -> RecordType:
    """A new condition type called NAME, a subtype of PARENT with the extra fields
    FIELD-NAMES (a list of symbols)."""
    _check_type("make-condition-type", parent)
    return _make_type(name.name if type(name) is Symbol else str(name), parent,
                      to_list(fields))


@scheme_procedure("condition-type?", "(obj)")
def condition_type_p(obj: Any) -> bool:
    """True if OBJ is a condition type."""
    return is_condition_type(obj)


@scheme_procedure("condition?", "(obj)")
def condition_p(obj: Any) -> bool:
    """True if OBJ is a condition."""
    return is_condition(obj)


def make_condition_from(who: str, t: Any, inits: list[tuple[Any, Any]]) -> Record:
    """A simple condition of type T whose fields have the values of INITS."""
    rtd = _check_type(who, t)
    missing = object()
    vals: list[Any] = [missing] * len(rtd.fields)
    for field, value in inits:
        i = rtd.index.get(field)
        if i is None:
            raise misc_error(None, "unknown field ~S", field)
        if vals[i] is not missing:
            raise misc_error(None, "duplicate initializer ~S", field)
        vals[i] = value
    for f, v in zip(rtd.fields, vals, strict=True):
        if v is missing:
            raise misc_error(None, "field not specified ~S", f)
    return Record(rtd, vals)


@scheme_procedure("make-condition", "(type . field+value)")
def make_condition(t: Any, *field_values: Any) -> Record:
    """A condition of type TYPE whose fields are given as field-name value ..."""
    if len(field_values) % 2:
        raise misc_error("make-condition", "Bad initializer list tail: ~S",
                         from_list(field_values[-1:]))
    inits = [(field_values[i], field_values[i + 1]) for i in range(0, len(field_values), 2)]
    return make_condition_from("make-condition", t, inits)


@scheme_procedure("%make-condition/alist", "(type alist)")
def make_condition_alist(t: Any, alist: Any) -> Record:
    """Support for the ``condition`` syntax: the fields come as an alist."""
    return make_condition_from("condition", t, [(p.car, p.cdr) for p in to_list(alist)])


@scheme_procedure("make-compound-condition", "conditions")
def make_compound_condition(*conditions: Any) -> Any:
    """The condition having the types and fields of all CONDITIONS."""
    parts: list[Any] = []
    for c in conditions:
        parts.extend(simple_conditions(_check_condition("make-compound-condition", c)))
    if len(parts) == 1:
        return parts[0]
    return Record(COMPOUND, [from_list(parts)])


@scheme_procedure("condition-has-type?", "(c type)")
def condition_has_type_p(c: Any, t: Any) -> bool:
    """True if condition C has type TYPE (or a subtype of it)."""
    _check_type("condition-has-type?", t)
    return has_type(_check_condition("condition-has-type?", c), t)


@scheme_procedure("%condition-of-type?", "(obj type)")
def condition_of_type_p(obj: Any, t: Any) -> bool:
    """Like ``condition-has-type?``, but #f for any object that is not a condition."""
    return is_condition(obj) and has_type(obj, t)


def _field(c: Any, field: Any) -> Any:
    for s in simple_conditions(c):
        if isinstance(s, Condition):
            if field is Symbol("message") and s.key.name != "%throw":
                return _native_message(s)
            continue
        if type(s) is Record:
            i = s.rtd.index.get(field)
            if i is not None:
                return s.vals[i]
    raise misc_error(None, "invalid field name ~S", field)


@scheme_procedure("condition-ref", "(c field-name)")
def condition_ref(c: Any, field: Any) -> Any:
    """The value of the field FIELD-NAME of condition C."""
    return _field(_check_condition("condition-ref", c), field)


@scheme_procedure("extract-condition", "(c type)")
def extract_condition(c: Any, t: Any) -> Any:
    """The first simple condition of C whose type is TYPE (or a subtype), or #f."""
    _check_type("extract-condition", t)
    for s in simple_conditions(_check_condition("extract-condition", c)):
        if isinstance(s, Condition):
            if _native_has_type(s, t):
                if t is MESSAGE:
                    return Record(MESSAGE, [_native_message(s)])
                return s
        elif type(s) is Record and _subtype(s.rtd, t):
            return s
    return False


@scheme_procedure("%condition-field-ref", "(c type field)")
def condition_field_ref(c: Any, t: Any, field: Any) -> Any:
    """Support for the accessors ``define-condition-type`` defines: the value of FIELD
    in the simple condition of type TYPE of C."""
    for s in simple_conditions(c) if is_condition(c) else ():
        if type(s) is Record and _subtype(s.rtd, t):
            return s.vals[s.rtd.index[field]]
    raise misc_error(None, "object is not an exception of the right type ~S ~S", c, t)


@scheme_procedure("message-condition?", "(obj)")
def message_condition_p(obj: Any) -> bool:
    """True for conditions that have a message."""
    return is_condition(obj) and has_type(obj, MESSAGE)


@scheme_procedure("condition-message", "(c)")
def condition_message(c: Any) -> Any:
    """The message of condition C."""
    if not message_condition_p(c):
        raise misc_error(None, "object is not an exception of the right type ~S ~S", c,
                         MESSAGE)
    return _field(c, Symbol("message"))


@scheme_procedure("serious-condition?", "(obj)")
def serious_condition_p(obj: Any) -> bool:
    """True for serious conditions (every error is one)."""
    return is_condition(obj) and has_type(obj, SERIOUS)


@scheme_procedure("error?", "(obj)")
def error_p(obj: Any) -> bool:
    """True for conditions of type ``&error``."""
    return is_condition(obj) and has_type(obj, ERROR)


python_module("schemos srfi-35", {
    "&condition": CONDITION,
    "&message": MESSAGE,
    "&serious": SERIOUS,
    "&error": ERROR,
    **{f.scm_name: f for f in (
        make_condition_type, condition_type_p, condition_p, make_condition,
        make_condition_alist, make_compound_condition, condition_has_type_p,
        condition_of_type_p, condition_ref, extract_condition, condition_field_ref,
        message_condition_p, condition_message, serious_condition_p,
        error_p)},
})
