"""``(guix records)``: ``define-record-type*``, ``match-record`` and friends.

Guix defines these with ``syntax-case``; schemos writes their core in Python
(as DESIGN allows) and keeps the Scheme face Guix users know::

    (define-record-type* <thing> thing make-thing
      thing?
      this-thing
      (name thing-name (default "x"))
      (port thing-port (default 22) (sanitize check-port))
      (deps thing-deps (thunked) (default (list (thing-name this-thing))))
      (lazy thing-lazy (delayed) (default (expensive)))
      (id   thing-id (innate) (default 0)))

``(thing (field value) ...)`` binds the given fields with ``let*`` in the
order written (so a later value can name an earlier field), fills the others
from their defaults, and calls the constructor.  ``(thing (inherit base)
(field value) ...)`` copies every field not given from ``base`` except
``innate`` ones.  ``thunked`` fields store ``(lambda (this-thing) value)``
and are computed on each access with the record as ``this-thing``;
``delayed`` fields store a promise.  ``sanitize`` procedures see every value
given or defaulted.  Missing, unknown and duplicate field initializers are
syntax errors located at the user's form, worded as Guix words them.
"""

from __future__ import annotations

from typing import Any

from schemos.compile import MACRO_BUILDERS, _core
from schemos.datum import NIL, UNSPECIFIED, Keyword, Pair, Symbol, from_list, to_list
from schemos.errors import SchemeError, syntax_error, wrong_type
from schemos.runtime.control import Promise, Record, RecordType, force
from schemos.runtime.core import call, primitive
from schemos.syntax import Alias, Scope, base_symbol, is_identifier, strip

_OPTIONS = ("default", "thunked", "delayed", "innate", "sanitize")


def _items(x: Any) -> list[Any]:
    out = []
    while type(x) is Pair:
        out.append(x.car)
        x = x.cdr
    return out


def _rename(x: Any, scope: Scope, table: dict[Symbol, Alias]) -> Any:
    """Make every symbol of ``x`` an alias meaning what it means in ``scope``."""
    t = type(x)
    if t is Symbol:
        a = table.get(x)
        if a is None:
            a = table[x] = Alias(x, scope)
        return a
    if t is Pair:
        items = []
        p = x
        while type(p) is Pair:
            items.append(p)
            p = p.cdr
        r = _rename(p, scope, table)
        for q in reversed(items):
            r = Pair(_rename(q.car, scope, table), r, q.loc)
        return r
    if t is list:
        return [_rename(e, scope, table) for e in x]
    return x


class FieldSpec:
    """One field of a ``define-record-type*``: its options, as data."""

    __slots__ = ("name", "getter", "default", "has_default", "thunked", "delayed", "innate",
                 "sanitize")

    def __init__(self, name: Symbol, getter: Symbol) -> None:
        self.name = name
        self.getter = getter
        self.default: Any = None
        self.has_default = False
        self.thunked = False
        self.delayed = False
        self.innate = False
        self.sanitize: Any = None


def parse_fields(form: Any, specs: list[Any]) -> list[FieldSpec]:
    """Parse ``(field getter option ...)`` specs."""
    out = []
    for spec in specs:
        parts = _items(spec)
        if len(parts) < 2 or not is_identifier(parts[0]) or not is_identifier(parts[1]):
            raise syntax_error("bad field specification in define-record-type*",
                               spec if type(spec) is Pair else form,
                               hint="(field accessor (default value) (thunked) ...)")
        f = FieldSpec(base_symbol(parts[0]), base_symbol(parts[1]))
        for opt in parts[2:]:
            oname = base_symbol(opt.car).name if type(opt) is Pair and \
                is_identifier(opt.car) else None
            if oname == "default" and type(opt.cdr) is Pair:
                f.default = opt.cdr.car
                f.has_default = True
            elif oname == "thunked":
                f.thunked = True
            elif oname == "delayed":
                f.delayed = True
            elif oname == "innate":
                f.innate = True
            elif oname == "sanitize" and type(opt.cdr) is Pair:
                f.sanitize = opt.cdr.car
            else:
                raise syntax_error("unknown field option in define-record-type*",
                                   opt if type(opt) is Pair else spec,
                                   hint="options are (default v), (thunked), (delayed), "
                                   "(innate) and (sanitize proc)")
        out.append(f)
    return out


def t_define_record_type_star(form: Any, scope: Scope, comp: Any) -> Any:
    """``(define-record-type* <type> syntactic-ctor ctor pred [this-id] field ...)``."""
    a = _items(form.cdr)
    if len(a) < 4 or not all(is_identifier(x) for x in a[:4]):
        raise syntax_error("bad define-record-type* form", form,
                           hint="(define-record-type* <type> name make-name name? "
                           "[this-name] (field accessor options ...) ...)")
    tname, sctor, ctor, pred = a[:4]
    rest = a[4:]
    this_id = None
    if rest and is_identifier(rest[0]):
        this_id = rest[0]
        rest = rest[1:]
    fields = parse_fields(form, rest)
    seen: set[Symbol] = set()
    for f in fields:
        if f.name in seen:
            raise syntax_error(f"duplicate field {f.name.name} in define-record-type*", form)
        seen.add(f.name)
    q = lambda x: from_list([_core("quote"), x])  # noqa: E731
    field_names = from_list([f.name for f in fields])
    out: list[Any] = [
        from_list([_core("define"), tname,
                   from_list([_core("make-record-type"), q(base_symbol(tname)),
                              q(field_names)])]),
        from_list([_core("define"), ctor,
                   from_list([_core("%record-constructor"), tname, False,
                              q(base_symbol(ctor))])]),
        from_list([_core("define"), pred, from_list([_core("record-predicate"), tname])]),
    ]
    for f in fields:
        kind = "thunked" if f.thunked else "delayed" if f.delayed else "plain"
        out.append(from_list([_core("define"), f.getter,
                              from_list([_core("%guix-record-accessor"), tname, q(f.name),
                                         q(f.getter), q(Symbol(kind))])]))
    # the syntactic constructor is described by data (see MACRO_BUILDERS)
    spec = from_list([
        Symbol("%guix-record-syntax"), base_symbol(tname), base_symbol(ctor),
        base_symbol(this_id) if this_id is not None else False,
        from_list([_field_datum(f) for f in fields]),
    ])
    out.append(from_list([_core("define-syntax"), sctor, spec]))
    if this_id is not None:
        out.append(from_list([_core("define-syntax"), this_id,
                              from_list([Symbol("%guix-this-record"),
                                         base_symbol(this_id)])]))
    out.append(from_list([_core("%guix-record-type-info!"), tname,
                          q(from_list([_field_datum(f) for f in fields])),
                          q(base_symbol(this_id)) if this_id is not None else False]))
    return from_list([_core("begin"), *out])


def _field_datum(f: FieldSpec) -> Any:
    """A field spec as plain data: (name getter flags default-or-#f sanitize-or-#f)."""
    flags = [Symbol(n) for n in ("thunked", "delayed", "innate") if getattr(f, n)]
    if f.has_default:
        flags.append(Symbol("has-default"))
    return from_list([f.name, f.getter, from_list(flags),
                      strip(f.default) if f.has_default else False,
                      strip(f.sanitize) if f.sanitize is not None else False])


def _unpack_field(d: Any) -> FieldSpec:
    name, getter, flags, default, sanitize = to_list(d)
    f = FieldSpec(name, getter)
    fl = {x.name for x in to_list(flags)}
    f.thunked = "thunked" in fl
    f.delayed = "delayed" in fl
    f.innate = "innate" in fl
    f.has_default = "has-default" in fl
    f.default = default if f.has_default else None
    f.sanitize = sanitize if sanitize is not False else None
    return f


def build_record_syntax(spec: Any, def_scope: Scope, name: str) -> Any:
    """The transformer of a syntactic constructor, from its ``%guix-record-syntax`` data."""
    _, tsym, ctor_sym, this_sym, fdata = to_list(spec)
    fields = [_unpack_field(d) for d in to_list(fdata)]
    by_name = {f.name: f for f in fields}
    ctor = Alias(ctor_sym, def_scope)
    tname = Alias(tsym, def_scope)
    this_name = this_sym if this_sym is not False else None

    def transformer(form: Any, use_scope: Scope, comp: Any) -> Any:
        inits = _items(form.cdr)
        base = None
        given: list[tuple[Any, Any, Any]] = []  # (identifier as written, value, init form)
        names: dict[Symbol, Any] = {}
        for init in inits:
            if type(init) is not Pair or not is_identifier(init.car):
                raise syntax_error(f"{name}: invalid field initializer", form,
                                   hint="write (field value)")
            fname = base_symbol(init.car)
            if fname.name == "inherit" and fname not in by_name:
                if type(init.cdr) is not Pair:
                    raise syntax_error(f"{name}: bad inherit form", init)
                base = init.cdr.car
                continue
            if type(init.cdr) is not Pair or init.cdr.cdr is not NIL:
                raise syntax_error(f"{name}: invalid field initializer", init,
                                   hint=f"write ({fname.name} value)")
            if fname in names:
                raise syntax_error(f"{name}: duplicate field initializer", init,
                                   hint=f"the field {fname.name} is given twice")
            if fname not in by_name:
                from schemos.errors import nearest_names

                near = nearest_names(fname.name, [f.name.name for f in fields])
                raise syntax_error(
                    f"{name}: extraneous field initializers ({fname.name})", init,
                    hint=("did you mean " + " or ".join(near) + "?") if near else
                    "fields of " + name + ": " + " ".join(f.name.name for f in fields))
            names[fname] = init
            given.append((init.car, init.cdr.car, init))
        if base is None:
            missing = [f.name.name for f in fields if f.name not in names and not f.has_default]
            if missing:
                raise syntax_error(f"{name}: missing field initializers ({' '.join(missing)})",
                                   form, hint="give a value for each of them")
        renames: dict[Symbol, Alias] = {}
        bindings = []
        for ident, value, _init in given:
            f = by_name[base_symbol(ident)]
            # the user writes this-thing in a thunked value: bind that very symbol
            bindings.append(from_list([ident, _wrap(f, value, THIS_RECORD, def_scope,
                                                    renames, this_name)]))
        base_tmp = Alias(Symbol("base"), def_scope)
        if base is not None:
            bindings.insert(0, from_list([base_tmp, base]))
        args = []
        for i, f in enumerate(fields):
            init = names.get(f.name)
            if init is not None:
                args.append(init.car)
            elif base is not None and not f.innate:
                args.append(from_list([_core("%record-ref"), base_tmp, i]))
            elif f.has_default:
                # the default's own `this-record' (and this-thing) are renamed
                # like the rest of it, so the thunk's parameter must be too
                this_alias = renames.get(THIS_RECORD)
                if this_alias is None:
                    this_alias = renames[THIS_RECORD] = Alias(THIS_RECORD, def_scope)
                this_name_alias = None
                if this_name:
                    this_name_alias = renames.get(this_name)
                    if this_name_alias is None:
                        this_name_alias = renames[this_name] = Alias(this_name, def_scope)
                args.append(_wrap(f, _rename(f.default, def_scope, renames), this_alias,
                                  def_scope, renames, this_name_alias))
            else:
                raise syntax_error(f"{name}: missing field initializers ({f.name.name})",
                                   form)
        call_form = Pair(ctor, from_list(args), form.loc)
        body = call_form
        if base is not None:
            body = from_list([_core("%check-record-type"), tname, base_tmp, call_form])
        if not bindings:
            return body
        return Pair(_core("let*"), from_list([from_list(bindings), body]), form.loc)

    #: the field names, for the REPL's completion inside a constructor
    transformer.record_fields = [f.name.name for f in fields]  # type: ignore[attr-defined]
    return transformer


THIS_RECORD = Symbol("this-record")


def _wrap(f: FieldSpec, value: Any, this_param: Any, def_scope: Scope,
          renames: dict[Symbol, Alias], this_name: Any = None) -> Any:
    """The stored form of a field value: sanitized, then thunked or delayed.

    A thunked value sees the record as ``this-record`` and, when the type
    names one, as its own this-identifier (``this-operating-system``).
    """
    if f.sanitize is not None:
        value = from_list([_rename(f.sanitize, def_scope, renames), value])
    if f.thunked:
        if this_name is not None:
            value = from_list([_core("let"), from_list([from_list([this_name, this_param])]),
                               value])
        return from_list([_core("lambda"), from_list([this_param]), value])
    if f.delayed:
        return from_list([_core("delay"), value])
    return value


def build_this_record(spec: Any, def_scope: Scope, name: str) -> Any:
    """``this-thing`` outside a thunked field value is an error, as in Guix."""

    def transformer(form: Any, use_scope: Scope, comp: Any) -> Any:
        raise syntax_error(f"{name} used outside of a record field value", form,
                           hint=f"{name} may only appear in the value of a thunked field")

    return transformer


MACRO_BUILDERS["%guix-record-syntax"] = build_record_syntax
MACRO_BUILDERS["%guix-this-record"] = build_this_record


# ------------------------------------------------------------------ runtime

@primitive("%record-ref", "(record index)")
def record_ref(r: Any, i: int) -> Any:
    """The raw stored value of field I of record R (thunks and promises as stored)."""
    if r.__class__ is not Record:
        raise wrong_type("inherit", 1, "record", r)
    return r.vals[i]


@primitive("%check-record-type", "(rtd base value)")
def check_record_type(rtd: Any, base: Any, value: Any) -> Any:
    """Return VALUE after checking that BASE (an inherited record) is of type RTD."""
    if base.__class__ is not Record or base.rtd is not rtd:
        n = rtd.name.name if type(rtd.name) is Symbol else str(rtd.name)
        raise wrong_type(n, 1, n, base)
    return value


@primitive("%guix-record-accessor", "(rtd field name kind)")
def guix_record_accessor(rtd: RecordType, field: Symbol, name: Symbol, kind: Symbol) -> Any:
    """The accessor of FIELD: plain, thunked (called with the record) or delayed (forced)."""
    i = rtd.index[field]
    tn = rtd.name.name if type(rtd.name) is Symbol else str(rtd.name)
    who = name.name
    k = kind.name
    if k == "thunked":
        def get(r: Any) -> Any:
            if r.__class__ is Record and r.rtd is rtd:
                return call(r.vals[i], r)
            raise wrong_type(who, 1, tn, r)
    elif k == "delayed":
        def get(r: Any) -> Any:
            if r.__class__ is Record and r.rtd is rtd:
                v = r.vals[i]
                return force(v) if isinstance(v, Promise) else v
            raise wrong_type(who, 1, tn, r)
    else:
        def get(r: Any) -> Any:
            if r.__class__ is Record and r.rtd is rtd:
                return r.vals[i]
            raise wrong_type(who, 1, tn, r)
    get.scm_name = who  # type: ignore[attr-defined]
    get.scm_params = "(record)"  # type: ignore[attr-defined]
    return get


@primitive("%guix-record-type-info!", "(rtd fields this)")
def guix_record_type_info(rtd: RecordType, fields: Any, this: Any) -> Any:
    """Remember the field kinds of RTD (for match-record and the system graph)."""
    info = {}
    for d in to_list(fields):
        f = _unpack_field(d)
        info[f.name] = f
    rtd.extra["guix-fields"] = info
    rtd.extra["this"] = this
    return UNSPECIFIED


def field_value(r: Record, field: Symbol) -> Any:
    """The value of FIELD of Guix record R, computing thunked and delayed fields."""
    rtd = r.rtd
    i = rtd.index[field]
    v = r.vals[i]
    info = rtd.extra.get("guix-fields")
    if info is not None:
        f = info.get(field)
        if f is not None:
            if f.thunked:
                return call(v, r)
            if f.delayed and isinstance(v, Promise):
                return force(v)
    return v


@primitive("%record-field-value", "(record rtd field)")
def record_field_value(r: Any, rtd: Any, field: Any) -> Any:
    """Support for match-record: the value of FIELD of R, checking R's type."""
    if r.__class__ is not Record or r.rtd is not rtd:
        n = rtd.name.name if type(rtd.name) is Symbol else str(rtd.name)
        raise wrong_type("match-record", 1, n, r)
    if field not in rtd.index:
        raise SchemeError(syntax_error(f"match-record: unknown field {field.name}").payload)
    return field_value(r, field)


def t_match_record(form: Any, scope: Scope, comp: Any) -> Any:
    """``(match-record obj <type> (field (field var) ...) body ...)``."""
    a = _items(form.cdr)
    if len(a) < 3:
        raise syntax_error("bad match-record form", form,
                           hint="(match-record record <type> (field ...) body ...)")
    obj, rtd, fields = a[0], a[1], a[2]
    body = a[3:] or [UNSPECIFIED]
    tmp = Alias(Symbol("record"), scope)
    binds = [from_list([tmp, obj])]
    for f in _items(fields):
        if type(f) is Pair:
            fname, var = f.car, f.cdr.car
        else:
            fname, var = f, f
        binds.append(from_list([var, from_list([_core("%record-field-value"), tmp, rtd,
                                                from_list([_core("quote"),
                                                           base_symbol(fname)])])]))
    return from_list([_core("let*"), from_list(binds), *body])


def install(interp: Any, m: Any) -> None:
    """Fill the ``(guix records)`` module."""
    from schemos.syntax import Macro

    for name, t in (("define-record-type*", t_define_record_type_star),
                    ("match-record", t_match_record)):
        m.define_syntax(Symbol(name), Macro(t, interp.root_scope, name))
        m.exports.add(Symbol(name))
    m.define_syntax(THIS_RECORD, Macro(build_this_record(None, interp.root_scope,
                                                         "this-record"),
                                       interp.root_scope, "this-record"))
    m.exports.add(THIS_RECORD)


def register() -> None:
    """Register the ``(guix records)`` module."""
    from schemos.modsys import register_module

    register_module("guix records", install)


register()
_ = (Keyword,)
