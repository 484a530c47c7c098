"""Control primitives: values, apply, continuations, dynamic-wind, exceptions,
parameters, promises and records.

Continuations are *escaping* only: ``call/cc`` and
``call-with-escape-continuation`` capture a continuation that may be invoked
while the ``call/cc`` that made it is still running (early exit from loops,
generators that return once, error escapes).  Invoking it after that call has
returned raises a Scheme error saying so.  This covers how configuration code
uses continuations; re-entrant continuations would need a different
evaluator design (see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from typing import Any

from schemos.datum import (
    DEFAULT,
    NIL,
    UNSPECIFIED,
    Keyword,
    Pair,
    Symbol,
    Values,
    from_list,
    make_values,
    to_list,
)
from schemos.errors import (
    Condition,
    SchemeError,
    scheme_error,
    throw,
    throw_key,
    wrong_type,
)
from schemos.runtime.core import TailCall, call, check_proc, primitive, trampoline
from schemos.runtime.equality import is_eqv

# ----------------------------------------------------------------- values


@primitive("values", "args")
def values(*args: Any) -> Any:
    """Return zero or several values."""
    return make_values(args)


@primitive("call-with-values", "(producer consumer)")
def call_with_values(producer: Any, consumer: Any) -> Any:
    """Call CONSUMER with the values PRODUCER returns."""
    v = call(producer)
    if v.__class__ is Values:
        return call(consumer, *v.vals)
    return call(consumer, v)


def apply_args(*args: Any) -> tuple[Any, ...]:
    """Spread the arguments of ``apply``: the last one is a list."""
    last = args[-1]
    try:
        lst = to_list(last)
    except ValueError:
        raise wrong_type("apply", len(args) + 1, "list", last) from None
    return tuple(args[:-1]) + tuple(lst)


@primitive("apply", "(proc . args)")
def apply(f: Any, *args: Any) -> Any:
    """Call PROC with ARGS, the last of which is a list of further arguments."""
    if not args:
        return call(f)
    return call(f, *apply_args(*args))


# ---------------------------------------------------------- continuations


class ContinuationInvoked(BaseException):  # noqa: N818 - it is not an error
    """Unwinds the Python stack to the ``call/cc`` that made ``k``."""

    def __init__(self, k: Continuation, value: Any) -> None:
        super().__init__()
        self.k = k
        self.value = value


class Continuation:
    """An escaping continuation."""

    __slots__ = ("active", "wind_depth")

    scm_name = "continuation"

    def __init__(self) -> None:
        self.active = True
        self.wind_depth = len(_WINDS)

    def __call__(self, *vals: Any) -> Any:
        if not self.active:
            raise scheme_error("call/cc", "continuation invoked after its extent ended "
                               "(schemos supports escaping continuations only)",
                               hint="re-entering a continuation is not supported")
        raise ContinuationInvoked(self, make_values(vals))

    def scm_write(self, write: bool) -> str:
        """Print as Guile prints a continuation."""
        return f"#<continuation {id(self):x}>"


_WINDS: list[tuple[Any, Any]] = []


@primitive("call-with-current-continuation", "(proc)")
def call_cc(f: Any) -> Any:
    """Call PROC with an escaping continuation."""
    k = Continuation()
    try:
        return call(f, k)
    except ContinuationInvoked as e:
        if e.k is k:
            return e.value
        raise
    finally:
        k.active = False


PRIMS_ALIASES = {
    "call/cc": "call-with-current-continuation",
    "call-with-escape-continuation": "call-with-current-continuation",
    "call/ec": "call-with-current-continuation",
}


@primitive("dynamic-wind", "(before thunk after)")
def dynamic_wind(before: Any, thunk: Any, after: Any) -> Any:
    """Call BEFORE, THUNK and AFTER; AFTER runs however THUNK is left."""
    call(before)
    _WINDS.append((before, after))
    try:
        return call(thunk)
    finally:
        _WINDS.pop()
        call(after)


# ------------------------------------------------------------- exceptions

_HANDLERS: list[Any] = []


@primitive("with-exception-handler", "(handler thunk)")
def with_exception_handler(handler: Any, thunk: Any, *opts: Any) -> Any:
    """Call THUNK with HANDLER installed for exceptions it raises.

    For ``raise-continuable`` the handler runs in the dynamic context of the
    raise and its value is returned there; for other exceptions the handler
    runs and, if it returns, that is an error (as R7RS says), unless
    ``#:unwind? #t`` is given, in which case its value is returned from here.
    """
    check_proc("with-exception-handler", 1, handler)
    unwind = False
    for i in range(0, len(opts) - 1, 2):
        if opts[i] is Keyword("unwind?"):
            unwind = opts[i + 1] is not False
    _HANDLERS.append(handler)
    depth = len(_HANDLERS)
    try:
        return call(thunk)
    except Exception as exc:  # noqa: BLE001 - Python errors are Scheme conditions here
        e = as_scheme_error(exc)
        if getattr(e, "_handled_depth", None) is not None and e._handled_depth <= depth:
            raise e from None
        del _HANDLERS[depth - 1:]
        if unwind:
            return call(handler, e.payload)
        e._handled_depth = depth  # type: ignore[attr-defined]
        call(handler, e.payload)
        if e.continuable:
            raise e from None
        err = scheme_error("raise", "handler returned from non-continuable exception")
        raise err from None
    finally:
        del _HANDLERS[depth - 1:]


@primitive("raise", "(obj)")
def raise_(obj: Any) -> Any:
    """Raise OBJ as a non-continuable exception."""
    if isinstance(obj, Condition):
        raise SchemeError(obj)
    raise SchemeError(obj)


@primitive("raise-continuable", "(obj)")
def raise_continuable(obj: Any) -> Any:
    """Raise OBJ; the innermost handler's value is returned."""
    if not _HANDLERS:
        raise SchemeError(obj, continuable=True)
    h = _HANDLERS.pop()
    try:
        return call(h, obj)
    finally:
        _HANDLERS.append(h)


@primitive("error", "(message . irritants)")
def error(message: Any = "", *irritants: Any) -> Any:
    """Raise an error with MESSAGE and IRRITANTS."""
    if type(message) is not str:
        from schemos.printer import write_string

        irritants = (message,) + irritants
        message = ""
        del write_string
    raise SchemeError(Condition("misc-error", message, irritants=list(irritants)))


@primitive("throw", "(key . args)")
def throw_(key: Any, *args: Any) -> Any:
    """Guile's throw: raise an exception with KEY and ARGS."""
    raise throw(key, from_list(args))


@primitive("scm-error", "(key subr message args data)")
def scm_error(key: Any, subr: Any, message: Any, args: Any, data: Any) -> Any:
    """Guile's scm-error."""
    c = Condition(key.name if type(key) is Symbol else "misc-error", message,
                  who=subr if subr is not False else None, args=to_list(args)
                  if args is not False else [], extra=data)
    raise SchemeError(c)


def as_scheme_error(e: Exception) -> SchemeError:
    """The Scheme condition for any exception raised while running Scheme code."""
    if isinstance(e, SchemeError):
        return e
    from schemos.interp import to_scheme_error

    r = to_scheme_error(e)
    return r if isinstance(r, SchemeError) else SchemeError(Condition("misc-error", str(e)))


def _matches(key: Any, c_key: Any) -> bool:
    return key is True or key is c_key


@primitive("catch", "(key thunk handler [pre-unwind-handler])")
def catch(key: Any, thunk: Any, handler: Any, pre: Any = None) -> Any:
    """Guile's catch: call THUNK; on a throw to KEY (#t: any) call HANDLER."""
    try:
        return call(thunk)
    except Exception as exc:  # noqa: BLE001 - Python errors are Scheme conditions here
        e = as_scheme_error(exc)
        c = e.payload
        if isinstance(c, Condition):
            k = throw_key(c)
            if not _matches(key, k):
                raise e from None
            args = c.throw_args()
            return call(handler, k, *to_list(args))
        # R7RS raise of a non-condition: Guile's key is %exception
        k = Symbol("%exception")
        if not _matches(key, k):
            raise e from None
        return call(handler, k, c)


@primitive("with-throw-handler", "(key thunk handler)")
def with_throw_handler(key: Any, thunk: Any, handler: Any) -> Any:
    """Call HANDLER on a throw to KEY, then let the throw continue."""
    try:
        return call(thunk)
    except Exception as exc:  # noqa: BLE001 - Python errors are Scheme conditions here
        e = as_scheme_error(exc)
        c = e.payload
        if isinstance(c, Condition):
            k = throw_key(c)
            if _matches(key, k):
                call(handler, k, *to_list(c.throw_args()))
        raise e from None


class _GuardEscape(Exception):
    pass


@primitive("%guard", "(handler thunk)")
def guard(handler: Any, thunk: Any) -> Any:
    """Support for ``guard``: HANDLER gets the condition and a re-raise thunk."""
    try:
        return call(thunk)
    except Exception as exc:  # noqa: BLE001 - Python errors are Scheme conditions here
        err = as_scheme_error(exc)

        def reraise() -> Any:
            raise err
        reraise.scm_name = "reraise"  # type: ignore[attr-defined]
        return call(handler, err.payload, reraise)


@primitive("error-object?", "(obj)")
def error_object_p(obj: Any) -> bool:
    """True for conditions raised by error and primitives."""
    return isinstance(obj, Condition)


@primitive("error-object-message", "(obj)")
def error_object_message(obj: Any) -> Any:
    """The message of an error object."""
    if not isinstance(obj, Condition):
        raise wrong_type("error-object-message", 1, "error-object", obj)
    if obj.key.name == "%throw":
        return ""
    return obj.message


@primitive("error-object-irritants", "(obj)")
def error_object_irritants(obj: Any) -> Any:
    """The irritants of an error object."""
    if not isinstance(obj, Condition):
        raise wrong_type("error-object-irritants", 1, "error-object", obj)
    if obj.key.name == "%throw":
        return obj.extra
    return from_list(obj.irritants)


@primitive("error-message", "(obj)")
def error_message(obj: Any) -> Any:
    """The formatted message of a condition, as one string (schemos extension)."""
    if not isinstance(obj, Condition):
        raise wrong_type("error-message", 1, "error-object", obj)
    return obj.formatted_message()


@primitive("exception-kind", "(obj)")
def exception_kind(obj: Any) -> Any:
    """The Guile throw key of a condition (e.g. wrong-type-arg)."""
    if isinstance(obj, Condition):
        return throw_key(obj)
    return Symbol("%exception")


@primitive("read-error?", "(obj)")
def read_error_p(obj: Any) -> bool:
    """True for reader errors."""
    return isinstance(obj, Condition) and obj.key.name == "read-error"


@primitive("file-error?", "(obj)")
def file_error_p(obj: Any) -> bool:
    """True for file errors."""
    return isinstance(obj, Condition) and obj.key.name == "system-error"


@primitive("%assert-fail", "(expr)")
def assert_fail(expr: Any) -> Any:
    """Raise the error of a failed ``assert``."""
    raise SchemeError(Condition("assertion-failed", "Assertion failed", who="assert",
                                irritants=[expr]))


# -------------------------------------------------------------- parameters


class Parameter:
    """A parameter object (SRFI 39): a procedure with a dynamic value."""

    __slots__ = ("value", "converter", "__weakref__")

    scm_name = "parameter"

    def __init__(self, value: Any, converter: Any) -> None:
        self.converter = converter
        self.value = value

    def __call__(self, *args: Any) -> Any:
        if not args:
            return self.value
        # Guile allows (p v) to set the parameter's current value
        self.value = args[0]
        return UNSPECIFIED

    def scm_write(self, write: bool) -> str:
        """Print as Guile prints a parameter."""
        return f"#<parameter {id(self):x}>"


@primitive("make-parameter", "(value [converter])")
def make_parameter(value: Any, converter: Any = False) -> Parameter:
    """A new parameter whose value is VALUE passed through CONVERTER."""
    if converter is not False:
        value = call(converter, value)
    return Parameter(value, converter)


@primitive("%parameterize", "(params values thunk)")
def parameterize(params: Any, vals: Any, thunk: Any) -> Any:
    """Support for ``parameterize``."""
    ps = to_list(params)
    vs = to_list(vals)
    olds = []
    news = []
    for p, v in zip(ps, vs, strict=True):
        if not isinstance(p, Parameter):
            raise wrong_type("parameterize", 1, "parameter", p)
        news.append(call(p.converter, v) if p.converter is not False else v)
    for p, v in zip(ps, news, strict=True):
        olds.append(p.value)
        p.value = v
    try:
        return call(thunk)
    finally:
        for p, v in zip(ps, olds, strict=True):
            p.value = v


# --------------------------------------------------------------- promises


class Promise:
    """A promise made by ``delay``, ``delay-force`` or ``make-promise``."""

    __slots__ = ("done", "value")

    def __init__(self, done: bool, value: Any) -> None:
        self.done = done
        self.value = value

    def scm_write(self, write: bool) -> str:
        """Print as Guile prints a promise."""
        return f"#<promise {id(self):x}>"


@primitive("make-promise", "(obj)")
def make_promise(obj: Any) -> Promise:
    """A promise already forced to OBJ."""
    if isinstance(obj, Promise):
        return obj
    return Promise(True, obj)


@primitive("%make-lazy-promise", "(thunk)")
def make_lazy(thunk: Any) -> Promise:
    """Support for ``delay``/``delay-force``."""
    return Promise(False, thunk)


@primitive("promise?", "(obj)")
def promise_p(obj: Any) -> bool:
    """True for promises."""
    return isinstance(obj, Promise)


@primitive("%done-promise", "(obj)")
def done_promise(obj: Any) -> Promise:
    """A promise already forced to OBJ, even if OBJ is itself a promise."""
    return Promise(True, obj)


@primitive("force", "(promise)")
def force(p: Any) -> Any:
    """The value of promise P, computing it the first time (iteratively for delay-force)."""
    if not isinstance(p, Promise):
        return p
    while not p.done:
        v = call(p.value)
        if p.done:
            break
        if not isinstance(v, Promise):
            v = Promise(True, v)
        if v.done:
            p.done = True
            p.value = v.value
        else:
            # delay-force: adopt the inner promise's computation, in constant space
            p.value = v.value
    return p.value


# ----------------------------------------------------------------- records


class RecordType:
    """A record type descriptor (SRFI 9)."""

    __slots__ = ("name", "fields", "printer", "index", "__weakref__", "extra")

    def __init__(self, name: Any, fields: list[Symbol]) -> None:
        self.name = name
        self.fields = fields
        self.printer: Any = None
        self.index = {f: i for i, f in enumerate(fields)}
        self.extra: dict[str, Any] = {}

    def scm_write(self, write: bool) -> str:
        """Print as Guile prints a record type."""
        n = self.name.name if type(self.name) is Symbol else str(self.name)
        return f"#<record-type {n}>"


class Record:
    """An instance of a :class:`RecordType`."""

    __slots__ = ("rtd", "vals")

    def __init__(self, rtd: RecordType, vals: list[Any]) -> None:
        self.rtd = rtd
        self.vals = vals

    def scm_equal(self, other: Any) -> bool:
        """Records of the same type are ``equal?`` when their fields are (as Guile's structs)."""
        if other.__class__ is not Record or other.rtd is not self.rtd:
            return False
        from schemos.runtime.equality import is_equal

        return all(is_equal(a, b) for a, b in zip(self.vals, other.vals, strict=True))

    def scm_write(self, write: bool) -> str:
        """Print as Guile prints an SRFI-9 record."""
        from schemos.printer import write_string

        rtd = self.rtd
        if rtd.printer is not None:
            from schemos.runtime.builtins_bridge import print_with
            return print_with(rtd.printer, self)
        n = rtd.name.name if type(rtd.name) is Symbol else str(rtd.name)
        parts = [f"{f.name}: {write_string(v)}" for f, v in zip(rtd.fields, self.vals,
                                                                 strict=True)]
        return f"#<{n}" + "".join(" " + p for p in parts) + ">"


@primitive("make-record-type", "(name fields)")
def make_record_type(name: Any, fields: Any, *rest: Any) -> RecordType:
    """A new record type called NAME with FIELDS."""
    fl = []
    for f in to_list(fields):
        if type(f) is Pair:  # Guile allows (mutable name) / (immutable name)
            f = f.cdr.car
        fl.append(f)
    return RecordType(name, fl)


@primitive("record-constructor", "(rtd [fields])")
def record_constructor(rtd: RecordType, fields: Any = False) -> Any:
    """A procedure making records of RTD from FIELDS."""
    n = len(rtd.fields)
    if fields is False:
        order = list(range(n))
    else:
        names = to_list(fields)
        for f in names:
            if f not in rtd.index:
                raise scheme_error("record-constructor", "unknown field", f)
        order = [rtd.index[f] for f in names]
    if order == list(range(n)):
        def ctor(*args: Any) -> Record:
            if len(args) != n:
                from schemos.errors import wrong_number_of_args

                raise wrong_number_of_args(ctor)
            return Record(rtd, list(args))
    else:
        def ctor(*args: Any) -> Record:
            if len(args) != len(order):
                from schemos.errors import wrong_number_of_args

                raise wrong_number_of_args(ctor)
            vals: list[Any] = [False] * n
            for i, a in zip(order, args, strict=True):
                vals[i] = a
            return Record(rtd, vals)
    return ctor


@primitive("record-predicate", "(rtd)")
def record_predicate(rtd: RecordType) -> Any:
    """A procedure testing whether its argument is a record of RTD."""
    def pred(obj: Any) -> bool:
        return obj.__class__ is Record and obj.rtd is rtd
    return pred


@primitive("record-accessor", "(rtd field)")
def record_accessor(rtd: RecordType, field: Any, who: Any = False) -> Any:
    """A procedure returning FIELD of a record of RTD."""
    i = rtd.index[field]
    tn = rtd.name.name if type(rtd.name) is Symbol else str(rtd.name)
    name = who.name if type(who) is Symbol else field.name

    def acc(r: Any) -> Any:
        if r.__class__ is Record and r.rtd is rtd:
            return r.vals[i]
        raise wrong_type(name, 1, tn, r)
    return acc


@primitive("record-modifier", "(rtd field)")
def record_modifier(rtd: RecordType, field: Any, who: Any = False) -> Any:
    """A procedure setting FIELD of a record of RTD."""
    i = rtd.index[field]
    tn = rtd.name.name if type(rtd.name) is Symbol else str(rtd.name)
    name = who.name if type(who) is Symbol else field.name

    def mod(r: Any, v: Any) -> Any:
        if r.__class__ is Record and r.rtd is rtd:
            r.vals[i] = v
            return UNSPECIFIED
        raise wrong_type(name, 1, tn, r)
    return mod


@primitive("%record-constructor", "(rtd fields name)")
def record_constructor_named(rtd: RecordType, fields: Any, name: Any) -> Any:
    """record-constructor, naming the procedure NAME."""
    f = record_constructor(rtd, fields)
    f.scm_name = name.name  # type: ignore[attr-defined]
    return f


@primitive("%record-accessor", "(rtd field name)")
def record_accessor_named(rtd: RecordType, field: Any, name: Any) -> Any:
    """record-accessor, naming the procedure NAME."""
    f = record_accessor(rtd, field, name)
    f.scm_name = name.name  # type: ignore[attr-defined]
    f.scm_params = "(obj)"  # type: ignore[attr-defined]
    return f


@primitive("%record-modifier", "(rtd field name)")
def record_modifier_named(rtd: RecordType, field: Any, name: Any) -> Any:
    """record-modifier, naming the procedure NAME."""
    f = record_modifier(rtd, field, name)
    f.scm_name = name.name  # type: ignore[attr-defined]
    f.scm_params = "(obj val)"  # type: ignore[attr-defined]
    return f


@primitive("record?", "(obj)")
def record_p(obj: Any) -> bool:
    """True for records."""
    return obj.__class__ is Record


@primitive("record-type-descriptor", "(record)")
def record_type_descriptor(r: Any) -> Any:
    """The type of record R."""
    return r.rtd


@primitive("record-type-name", "(rtd)")
def record_type_name(rtd: Any) -> Any:
    """The name of record type RTD."""
    return rtd.name


@primitive("record-type-fields", "(rtd)")
def record_type_fields(rtd: Any) -> Any:
    """The field names of RTD."""
    return from_list(rtd.fields)


@primitive("set-record-type-printer!", "(rtd proc)")
def set_record_type_printer(rtd: Any, proc: Any) -> Any:
    """Use PROC (record port) to print records of RTD."""
    rtd.printer = proc
    return UNSPECIFIED


# -------------------------------------------------------------- procedures


@primitive("procedure?", "(obj)")
def procedure_p(obj: Any) -> bool:
    """True for procedures."""
    return callable(obj) and not isinstance(obj, type) and not isinstance(obj, RecordType)


@primitive("procedure-name", "(proc)")
def procedure_name_(f: Any) -> Any:
    """The name of procedure PROC, or #f."""
    from schemos.runtime.procinfo import procedure_info

    name, _ = procedure_info(f)
    return Symbol(name) if name else False


@primitive("%case-lambda-error", "()")
def case_lambda_error(*args: Any) -> Any:
    """Raised when no case-lambda clause accepts the arguments."""
    raise scheme_error(None, "Wrong number of arguments to case-lambda procedure")


def case_lambda(clauses: tuple[tuple[int, bool, Any], ...]) -> Any:
    """Build a case-lambda dispatcher from (n-required, rest?, proc) clauses."""
    def dispatch(*args: Any) -> Any:
        n = len(args)
        for req, rest, f in clauses:
            if n == req or (rest and n >= req):
                return f(*args)
        from schemos.errors import wrong_number_of_args

        raise wrong_number_of_args(dispatch)
    dispatch.scm_name = "case-lambda"  # type: ignore[attr-defined]
    return dispatch


def parse_opt(rest: tuple[Any, ...], n_opt: int, keys: tuple[Keyword, ...], allow_other: bool,
              has_rest: bool, who: str) -> tuple[Any, ...]:
    """Split ``lambda*`` arguments into optionals, keyword values and rest."""
    out: list[Any] = []
    i = 0
    for _ in range(n_opt):
        if i < len(rest) and not (keys and type(rest[i]) is Keyword):
            out.append(rest[i])
            i += 1
        else:
            out.append(DEFAULT)
    remaining = rest[i:]
    if keys:
        kv = dict.fromkeys(keys, DEFAULT)
        j = 0
        while j < len(remaining):
            kw = remaining[j]
            if type(kw) is Keyword:
                if j + 1 >= len(remaining):
                    raise _kw_error(who, "Keyword argument has no value", kw)
                if kw in kv:
                    kv[kw] = remaining[j + 1]
                elif not allow_other:
                    raise _kw_error(who, "Unrecognized keyword", kw,
                                    hint="known keywords: " +
                                    " ".join("#:" + k.name for k in keys))
                j += 2
            else:
                if not has_rest:
                    raise _kw_error(who, "Invalid keyword", kw)
                j += 1
        out.extend(kv[k] for k in keys)
    elif remaining and not has_rest:
        from schemos.errors import wrong_number_of_args

        raise wrong_number_of_args(Symbol(who))
    if has_rest:
        out.append(from_list(remaining))
    return tuple(out)


def _kw_error(who: str, msg: str, kw: Any, hint: str | None = None) -> SchemeError:
    from schemos.module import scheme_name_of_pyname

    name = scheme_name_of_pyname(who) if isinstance(who, str) else None
    return SchemeError(Condition("keyword-argument-error", msg + ": ~S", who=name,
                                 args=[kw], irritants=[kw], hint=hint))


def prim_wrap(v: Any) -> Any:
    """Wrap a redefined builtin so call sites compiled to call it directly still trampoline."""
    if not callable(v) or getattr(v, "scm_primitive", False):
        return v

    def wrapper(*args: Any) -> Any:
        return call(v, *args)
    wrapper.scm_name = getattr(v, "scm_name", None)  # type: ignore[attr-defined]
    wrapper.scm_wrapped = v  # type: ignore[attr-defined]
    return wrapper


def qq(parts: tuple[Any, ...], tail: Any) -> Any:
    """Build the list of a quasiquote: (flag, value) pairs, flag 1 splices a list."""
    items: list[Any] = []
    n = len(parts)
    if n >= 2 and parts[n - 2] and tail is NIL:
        # `(... ,@lst): the last spliced list is shared, not copied (as Guile)
        tail = parts[n - 1]
        parts = parts[:n - 2]
    for i in range(0, len(parts), 2):
        if parts[i]:
            lst = parts[i + 1]
            while type(lst) is Pair:
                items.append(lst.car)
                lst = lst.cdr
            if lst is not NIL:
                if i == len(parts) - 2 and tail is NIL:
                    # `(a ,@b) with improper b: b's tail ends the list
                    r = lst
                    for x in reversed(items):
                        r = Pair(x, r)
                    return r
                raise wrong_type("unquote-splicing", 1, "list", parts[i + 1])
        else:
            items.append(parts[i + 1])
    r = tail
    for x in reversed(items):
        r = Pair(x, r)
    return r


def qsplice_last(lst: Any) -> Any:
    """`(... ,@lst): check that LST is a list; it becomes the tail as it is."""
    p = lst
    while type(p) is Pair:
        p = p.cdr
    if p is not NIL:
        raise wrong_type("unquote-splicing", 1, "list", lst)
    return lst


def qappend(lst: Any, tail: Any) -> Any:
    """`(... ,@lst more ...): a copy of LST followed by TAIL."""
    items = []
    p = lst
    while type(p) is Pair:
        items.append(p.car)
        p = p.cdr
    if p is not NIL:
        raise wrong_type("unquote-splicing", 1, "list", lst)
    for x in reversed(items):
        tail = Pair(x, tail)
    return tail


def _make_gexp(template: Any, specs: tuple[Any, ...], loc: Any) -> Any:
    from schemos.gexp import make_gexp

    return make_gexp(template, specs, loc)


def _gexp_output(name: Any) -> Any:
    from schemos.gexp import gexp_output

    return gexp_output(name)


RUNTIME_HELPERS: dict[str, Any] = {
    "_gexp_output": _gexp_output,
    "_make_gexp": _make_gexp,
    "_qsplice_last": qsplice_last,
    "_qappend": qappend,
    "_TC": TailCall,
    "_tramp": trampoline,
    "_UNSPEC": UNSPECIFIED,
    "_NIL": NIL,
    "_DEFAULT": DEFAULT,
    "_list": lambda t: from_list(t),
    "_qq": qq,
    "_list_to_vector": lambda lst: to_list(lst),
    "_parse_opt": parse_opt,
    "_case_lambda": case_lambda,
    "_prim_wrap": prim_wrap,
    "_apply_args": apply_args,
    "_eqv": is_eqv,
    "_Values": Values,
    "_Pair": Pair,
    "int": int,
}

_ = (TailCall, trampoline, UNSPECIFIED)
