"""Python support for ``(gnu system)``, ``(gnu bootloader)`` and ``(gnu)``: the
forms that need to know where they are written or what another module exports.

Guix builds these with ``syntax-case``, reading source properties of syntax
objects:

* ``define-with-syntax-properties`` (from ``(guix diagnostics)``) defines a
  macro that sees the source location of its argument; Guix uses it for the
  ``sanitize`` procedure of deprecated fields, so that ``(target "/dev/sdX")``
  in a ``bootloader-configuration`` warns at the location of ``"/dev/sdX"``.
* ``current-source-location`` (Guile core) is the location of the form; in
  the default value of an ``innate`` ``location`` field it is the location of
  the record form the user wrote (``operating-system-location``).
* ``(gnu)`` re-exports the whole public interface of a dozen modules.
* ``uuid`` parses a literal UUID string at expansion time.

schemos' reader keeps locations on lists only (``Pair.loc``), so a string
value has none; its location is recovered here from the source text, from the
location of the ``(field value)`` form.  Every transformer is a *macro
builder* (see ``schemos.compile.MACRO_BUILDERS``) so the Scheme modules that
define such macros stay cacheable.  The Scheme face is the module
``(schemos system-support)``; ``(gnu …)`` modules import it and re-export
what Guix users know by Guix's names.

Locations are Guix's ``<location>`` records (``location-file``,
``location-line`` 1-based, ``location-column`` 0-based), and a location is
printed ``file:line:column`` as Guix prints it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from schemos.compile import MACRO_BUILDERS, _core
from schemos.datum import NIL, UNSPECIFIED, Pair, SourceLoc, Symbol, from_list, to_list
from schemos.errors import Condition, SchemeError, syntax_error, wrong_type
from schemos.records import build_record_syntax
from schemos.records import t_define_record_type_star as guix_define_record_type_star
from schemos.runtime.control import Record, RecordType
from schemos.syntax import Alias, Macro, Scope, base_symbol, is_identifier, strip


def _items(x: Any) -> list[Any]:
    out = []
    while type(x) is Pair:
        out.append(x.car)
        x = x.cdr
    return out


def _q(x: Any) -> Any:
    return from_list([_core("quote"), x])


def _head_is(x: Any, name: str) -> bool:
    """True if ``x`` is a form whose head is an identifier called ``name``."""
    return type(x) is Pair and is_identifier(x.car) and base_symbol(x.car).name == name


def _rename(x: Any, scope: Scope, table: dict[Symbol, Alias]) -> Any:
    """Make every symbol of ``x`` an alias meaning what it means in ``scope``.

    One alias per symbol per expansion (``table``), so a binding introduced
    by the template and its uses in the template agree.
    """
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
    return x


# ------------------------------------------------------------ source text

_TEXTS: dict[str, tuple[float, list[str] | None]] = {}


def _source_lines(file: str) -> list[str] | None:
    """The lines of ``file`` (a file on disk or a text the REPL/CLI registered)."""
    from schemos.report import SOURCES

    text = SOURCES.get(file)
    if text is not None:
        return text.split("\n")
    try:
        mtime = os.stat(file).st_mtime
    except OSError:
        return None
    cached = _TEXTS.get(file)
    if cached is None or cached[0] != mtime:
        try:
            lines: list[str] | None = Path(file).read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            lines = None
        # keyed by modification time: a REPL may reload an edited file
        cached = _TEXTS[file] = (mtime, lines)
    return cached[1]


_DELIMITERS = set("()[]\";'`,")


def value_location(init: Any) -> SourceLoc | None:
    """Where the value of the field initializer ``init`` — ``(field value)`` — starts.

    A list value carries its own location.  For an atom (a string, a number)
    the source text is scanned from the opening parenthesis of ``init``: past
    the field name, white space and comments, to the value.
    """
    value = init.cdr.car
    if type(value) is Pair and value.loc is not None:
        return value.loc
    loc = init.loc
    if loc is None or loc.file is None:
        return None
    lines = _source_lines(loc.file)
    if lines is None or not 1 <= loc.line <= len(lines):
        return None
    line, col = loc.line - 1, loc.col
    state = "open"
    while line < len(lines):
        text = lines[line]
        while col < len(text):
            c = text[col]
            if state == "open":
                if c not in "([":
                    return None
                state = "name"
                col += 1
            elif state in ("name", "value") and c in " \t\r\f":
                col += 1
            elif c == ";":
                col = len(text)
            elif text.startswith("#|", col):
                end = text.find("|#", col + 2)
                while end < 0:
                    line += 1
                    if line >= len(lines):
                        return None
                    text = lines[line]
                    end = text.find("|#")
                    col = 0
                col = end + 2
            elif state == "name":
                # the field name: a symbol, up to white space or a delimiter
                while col < len(text) and not text[col].isspace() \
                        and text[col] not in _DELIMITERS:
                    col += 1
                state = "value"
            else:
                return SourceLoc(loc.file, line + 1, col)
        line += 1
        col = 0
    return None


def source_properties(loc: SourceLoc | None) -> Any:
    """Guile's source properties of ``loc``: ``((filename . F) (line . L) (column . C))``.

    As in Guile, ``line`` is 0-based and ``column`` 0-based.
    """
    if loc is None:
        return False
    return from_list([Pair(Symbol("filename"), loc.file if loc.file else False),
                      Pair(Symbol("line"), loc.line - 1),
                      Pair(Symbol("column"), loc.col)])


# ---------------------------------------------- define-with-syntax-properties

_MARKER = "%with-value-location"


def _argument_location(arg: Any) -> tuple[Any, SourceLoc | None]:
    """The expression of a macro argument and where it was written.

    ``(%with-value-location (file line column) expr)`` is how located record
    constructors hand the location of a field value to its sanitizer.
    """
    if _head_is(arg, _MARKER):
        spec, expr = _items(arg.cdr)
        spec = strip(spec)
        if _head_is(spec, "quote"):
            spec = spec.cdr.car
        if spec is False:
            return expr, None
        file, line, col = to_list(spec)
        return expr, SourceLoc(file, line, col)
    if type(arg) is Pair:
        return arg, arg.loc
    return arg, None


def t_define_with_syntax_properties(form: Any, scope: Scope, comp: Any) -> Any:
    """``(define-with-syntax-properties (name (value properties) ...) body ...)``.

    Defines ``name`` as a macro: ``(name expr ...)`` evaluates ``body`` with
    each ``value`` bound to the value of its ``expr`` and each ``properties``
    to the source properties of where that ``expr`` was written (``'()`` when
    unknown), as Guix's ``(guix diagnostics)`` does.
    """
    a = _items(form.cdr)
    if not a or type(a[0]) is not Pair or not is_identifier(a[0].car):
        raise syntax_error("bad define-with-syntax-properties form", form,
                           hint="(define-with-syntax-properties (name (value properties) ...) "
                           "body ...)")
    name = a[0].car
    params = _items(a[0].cdr)
    for p in params:
        if type(p) is not Pair or len(_items(p)) != 2 or \
                not all(is_identifier(x) for x in _items(p)):
            raise syntax_error("bad parameter in define-with-syntax-properties", form,
                               hint="each parameter is (value-identifier "
                               "properties-identifier)")
    spec = from_list([Symbol("%syntax-properties-macro"),
                      strip(from_list(params)), *[strip(b) for b in a[1:]]])
    return from_list([_core("define-syntax"), name, spec])


def build_syntax_properties_macro(spec: Any, def_scope: Scope, name: str) -> Any:
    """The transformer of a macro made by ``define-with-syntax-properties``."""
    items = to_list(spec)
    params = [to_list(p) for p in to_list(items[1])]
    body = items[2:]

    def transformer(form: Any, use_scope: Scope, comp: Any) -> Any:
        if type(form) is not Pair:
            raise syntax_error(f"{name} is a macro and cannot be used like this", form)
        args = _items(form.cdr)
        if len(args) != len(params):
            raise syntax_error(f"{name}: wrong number of arguments", form,
                               hint=f"{name} takes {len(params)} argument(s)")
        table: dict[Symbol, Alias] = {}
        values = []
        props = []
        for (vname, pname), arg in zip(params, args, strict=True):
            expr, loc = _argument_location(arg)
            values.append(from_list([_rename(vname, def_scope, table), expr]))
            alist = source_properties(loc)
            props.append(from_list([_rename(pname, def_scope, table),
                                    _q(alist if alist is not False else NIL)]))
        inner = from_list([_core("let"), from_list(props),
                           *[_rename(b, def_scope, table) for b in body]])
        return Pair(_core("let"), from_list([from_list(values), inner]), form.loc)

    return transformer


def t_with_value_location(form: Any, scope: Scope, comp: Any) -> Any:
    """``(%with-value-location (file line column) expr)`` is ``expr``."""
    a = _items(form.cdr)
    if len(a) != 2:
        raise syntax_error(f"bad {_MARKER} form", form)
    return a[1]


def t_current_source_location(form: Any, scope: Scope, comp: Any) -> Any:
    """``(current-source-location)``: the source properties of this very form."""
    if type(form) is not Pair or form.cdr is not NIL:
        raise syntax_error("current-source-location takes no arguments", form)
    alist = source_properties(form.loc)
    return _q(alist) if alist is not False else False


# ----------------------------------------------- located record constructors

def t_define_record_type_star(form: Any, scope: Scope, comp: Any) -> Any:
    """``define-record-type*`` whose constructor locates what it is given.

    The same as ``(guix records)``' (it expands to it), but the syntactic
    constructor (1) hands each field value that has a ``sanitize``
    procedure to it together with the location of that value, and (2)
    makes ``(current-source-location)`` in field defaults denote the record
    form the user wrote -- what Guix gets from syntax objects.
    """
    out = guix_define_record_type_star(form, scope, comp)
    for item in _items(out.cdr):
        if _head_is(item, "define-syntax"):
            parts = _items(item)
            if len(parts) == 3 and _head_is(parts[2], "%guix-record-syntax"):
                item.cdr.cdr.car = from_list([Symbol("%system-record-syntax"), parts[2]])
    return out


def _sanitized_fields(record_spec: Any) -> set[Symbol]:
    """Names of the fields that have a ``sanitize`` procedure, from the record data."""
    _, _tname, _ctor, _this, fdata = to_list(record_spec)
    out = set()
    for d in to_list(fdata):
        fname, _getter, _flags, _default, sanitize = to_list(d)
        if sanitize is not False:
            out.add(fname)
    return out


def _relocate(x: Any, loc: SourceLoc | None) -> None:
    """Give every ``(current-source-location)`` the expansion introduced the location ``loc``.

    Only forms whose head is an alias are touched: those are fresh copies of
    a field default made for this expansion, never the user's own forms.
    """
    stack = [x]
    while stack:
        p = stack.pop()
        while type(p) is Pair:
            a = p.car
            if type(a) is Pair:
                if type(a.car) is Alias and a.cdr is NIL \
                        and base_symbol(a.car).name == "current-source-location":
                    a.loc = loc
                else:
                    stack.append(a)
            p = p.cdr


def build_system_record_syntax(spec: Any, def_scope: Scope, name: str) -> Any:
    """The located syntactic constructor of a ``define-record-type*`` (see above)."""
    record_spec = spec.cdr.car
    inner = build_record_syntax(record_spec, def_scope, name)
    sanitized = _sanitized_fields(record_spec)
    marker = Alias(Symbol(_MARKER), def_scope)

    def transformer(form: Any, use_scope: Scope, comp: Any) -> Any:
        if type(form) is Pair and sanitized:
            inits = []
            changed = False
            for init in _items(form.cdr):
                if type(init) is Pair and is_identifier(init.car) \
                        and base_symbol(init.car) in sanitized \
                        and type(init.cdr) is Pair and init.cdr.cdr is NIL:
                    loc = value_location(init)
                    where = from_list([loc.file, loc.line, loc.col]) \
                        if loc is not None and loc.file else False
                    value = from_list([marker, _q(where), init.cdr.car])
                    init = Pair(init.car, Pair(value, NIL, init.cdr.loc), init.loc)
                    changed = True
                inits.append(init)
            if changed:
                form = Pair(form.car, from_list(inits), form.loc)
        out = inner(form, use_scope, comp)
        _relocate(out, form.loc if type(form) is Pair else None)
        return out

    return transformer


# --------------------------------------------------------------- (gnu)

def t_re_export_modules(form: Any, scope: Scope, comp: Any) -> Any:
    """``(%re-export-modules (a b) ...)``: import the modules and re-export all they export.

    This is what Guix's ``(gnu)`` does with ``module-use!`` on its public
    interface.  The names are listed at expansion time, so the expansion is
    a plain ``use-modules`` and ``re-export`` that the module cache replays.
    """
    from schemos.modsys import module_name_of

    specs = _items(form.cdr)
    modsys = comp.module.interp.modsys
    names: list[Symbol] = []
    seen: set[Symbol] = set()
    for spec in specs:
        m = modsys.resolve(module_name_of(spec, form), form.loc)
        for n in modsys.interface(m):
            if n not in seen:
                seen.add(n)
                names.append(n)
    return from_list([_core("begin"),
                      from_list([_core("use-modules"), *[strip(s) for s in specs]]),
                      from_list([_core("re-export"), *names])])


# ------------------------------------------------------------------ UUIDs

_DCE_TYPES = ("dce", "ext2", "ext3", "ext4", "bcachefs", "btrfs", "f2fs", "jfs", "xfs", "luks")
_FAT_TYPES = ("fat32", "fat16", "fat")
_HEX = set("0123456789abcdefABCDEF")
_DCE = Symbol("dce")


def _hex(s: str, n: int) -> bool:
    return len(s) == n and all(c in _HEX for c in s)


def parse_uuid(text: str, kind: str) -> bytearray | None:
    """The bytes of UUID ``text`` written in the format of ``kind``, or None."""
    if kind in _DCE_TYPES:
        parts = text.split("-")
        if [len(p) for p in parts] != [8, 4, 4, 4, 12] or \
                not all(_hex(p, len(p)) for p in parts):
            return None
        return bytearray(bytes.fromhex("".join(parts)))
    if kind in _FAT_TYPES:
        parts = text.split("-")
        if len(parts) != 2 or not all(_hex(p, 4) for p in parts):
            return None
        # FAT volume IDs are little-endian; the string shows the high half first
        return bytearray(int(parts[1], 16).to_bytes(2, "little")
                         + int(parts[0], 16).to_bytes(2, "little"))
    if kind == "ntfs":
        if not _hex(text, 16):
            return None
        return bytearray(reversed(bytes.fromhex(text)))
    if kind == "iso9660":
        parts = text.split("-")
        if [len(p) for p in parts] != [4, 2, 2, 2, 2, 2, 2] or \
                not all(p.isascii() and p.isdigit() for p in parts):
            return None
        return bytearray("".join(parts).encode("ascii"))
    return None


def unparse_uuid(bv: bytearray, kind: str) -> str | None:
    """The text of UUID bytes ``bv`` in the format of ``kind``, or None."""
    b = bytes(bv)
    if kind in _DCE_TYPES:
        h = b.hex()
        return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
    if kind in _FAT_TYPES:
        high = int.from_bytes(b[0:2], "little")
        low = int.from_bytes(b[2:4], "little")
        return f"{low:04X}-{high:04X}"
    if kind == "ntfs":
        return bytes(reversed(b)).hex().upper()
    if kind == "iso9660":
        s = b.decode("latin-1")
        return "-".join([s[0:4], s[4:6], s[6:8], s[8:10], s[10:12], s[12:14], s[14:16]])
    return None


def string_to_uuid_bytevector(text: Any, kind: Any = _DCE) -> Any:
    """``%string->uuid``: the bytevector of TEXT in format KIND, or #f."""
    if type(text) is not str:
        raise wrong_type("string->uuid", 1, "string", text)
    if type(kind) is not Symbol:
        raise wrong_type("string->uuid", 2, "symbol", kind)
    r = parse_uuid(text, kind.name)
    return r if r is not None else False


def uuid_bytevector_to_string(bv: Any, kind: Any = _DCE) -> Any:
    """``%uuid->string``: the text of bytevector BV in format KIND, or #f."""
    if type(bv) is not bytearray:
        raise wrong_type("uuid->string", 1, "bytevector", bv)
    if type(kind) is not Symbol:
        raise wrong_type("uuid->string", 2, "symbol", kind)
    r = unparse_uuid(bv, kind.name)
    return r if r is not None else False


def build_uuid_syntax(spec: Any, def_scope: Scope, name: str) -> Any:
    """``(%uuid-syntax make-uuid string->uuid)``: the ``uuid`` macro of ``(gnu system uuid)``.

    A literal string is parsed at expansion time, and an invalid one is a
    syntax error at the form, as in Guix; anything else is parsed at run
    time, giving ``#f`` for an invalid string.
    """
    _, make_sym, parse_sym = to_list(spec)
    make = Alias(make_sym, def_scope)
    parse = Alias(parse_sym, def_scope)

    def transformer(form: Any, use_scope: Scope, comp: Any) -> Any:
        if type(form) is not Pair:
            raise syntax_error("'uuid' is a macro and cannot be used like this", form)
        args = _items(form.cdr)
        if len(args) not in (1, 2):
            raise syntax_error("uuid: wrong number of arguments", form,
                               hint='(uuid "1234-ABCD" \'fat) or (uuid "…-…-…-…-…")')
        text = args[0]
        kind: Any = Symbol("dce")
        literal_kind = True
        if len(args) == 2:
            k = args[1]
            if _head_is(k, "quote") and type(k.cdr) is Pair and is_identifier(k.cdr.car):
                kind = base_symbol(k.cdr.car)
            else:
                literal_kind = False
        if type(text) is str and literal_kind:
            bv = parse_uuid(text, kind.name)
            if bv is None:
                from schemos.printer import write_string

                raise syntax_error("uuid: invalid UUID", form,
                                   hint=f"{write_string(text)} is not a valid {kind.name} "
                                   "UUID")
            return from_list([make, _q(kind), bv])
        kind_expr = args[1] if len(args) == 2 else _q(kind)
        tmp = Alias(Symbol("bv"), def_scope)
        ktmp = Alias(Symbol("type"), def_scope)
        return from_list([
            _core("let*"), from_list([from_list([ktmp, kind_expr]),
                                      from_list([tmp, from_list([parse, text, ktmp])])]),
            from_list([_core("and"), tmp, from_list([make, ktmp, tmp])])])

    return transformer


# -------------------------------------------------------------- locations

#: Guix's ``<location>`` record type, from ``(guix diagnostics)``
LOCATION = RecordType(Symbol("<location>"), [Symbol("file"), Symbol("line"),
                                              Symbol("column")])


def _check_location(who: str, x: Any) -> Record:
    if x.__class__ is not Record or x.rtd is not LOCATION:
        raise wrong_type(who, 1, "location", x)
    return x


def make_location(file: Any, line: Any, column: Any) -> Record:
    """``(location file line column)``: a ``<location>`` record (line 1-based)."""
    return Record(LOCATION, [file, line, column])


def is_location(x: Any) -> bool:
    """``location?``."""
    return x.__class__ is Record and x.rtd is LOCATION


def location_file(loc: Any) -> Any:
    """``location-file``."""
    return _check_location("location-file", loc).vals[0]


def location_line(loc: Any) -> Any:
    """``location-line`` (1-based)."""
    return _check_location("location-line", loc).vals[1]


def location_column(loc: Any) -> Any:
    """``location-column`` (0-based)."""
    return _check_location("location-column", loc).vals[2]


def _alist_ref(alist: Any, key: str) -> Any:
    p = alist
    k = Symbol(key)
    while type(p) is Pair:
        e = p.car
        if type(e) is Pair and e.car is k:
            return e.cdr
        p = p.cdr
    return False


def source_properties_to_location(props: Any) -> Any:
    """``source-properties->location``: Guile source properties to a ``<location>``.

    ``#f`` gives ``#f``; a vector ``#(file line column)`` (1-based line, as
    Guix's package locations) is accepted too.
    """
    if props is False:
        return False
    if type(props) is list and len(props) == 3:
        return make_location(*props)
    file = _alist_ref(props, "filename")
    line = _alist_ref(props, "line")
    col = _alist_ref(props, "column")
    return make_location(file, line + 1 if type(line) is int else line, col)


def location_string(loc: Any) -> str:
    """``location->string``: ``file:line:column``, as Guix prints a location."""
    if loc is False:
        return "<unknown location>"
    from schemos.printer import display_string

    file, line, col = _check_location("location->string", loc).vals
    return f"{display_string(file)}:{display_string(line)}:{display_string(col)}"


def location_to_source_loc(loc: Any) -> SourceLoc | None:
    """The :class:`SourceLoc` of a ``<location>`` (for error reports), or None."""
    if not is_location(loc):
        return None
    file, line, col = loc.vals
    if not isinstance(file, str) or type(line) is not int:
        return None
    return SourceLoc(file, line, col if type(col) is int else 0)


def warning(loc: Any, fmt: Any, *args: Any) -> Any:
    """``(warning location format-string arg ...)``: Guix's located warning on stderr.

    Prints ``file:line:column: warning: message`` (without the location when
    ``location`` is ``#f``), formatting with ``(ice-9 format)``.
    """
    from schemos.runtime.ports import current_error, format_to_string

    if type(fmt) is not str:
        raise wrong_type("warning", 2, "string", fmt)
    text = format_to_string(fmt, list(args))
    prefix = f"{location_string(loc)}: " if is_location(loc) \
        and location_file(loc) is not False else ""
    port = current_error()
    port.write(f"{prefix}warning: {text}")
    port.flush()
    return UNSPECIFIED


def raise_located_error(loc: Any, message: Any, hint: Any = False) -> Any:
    """``(raise-located-error location message [hint])``: an error reported at ``location``.

    Guix raises a ``&message`` condition with an ``&error-location``; this is
    the same for schemos' reporter: ``file:line:column: message`` and a hint.
    """
    if type(message) is not str:
        raise wrong_type("raise-located-error", 2, "string", message)
    raise SchemeError(Condition("misc-error", message, loc=location_to_source_loc(loc),
                                hint=hint if type(hint) is str else None))


# ------------------------------------------------------------- the module

_PROCEDURES: dict[str, tuple[Any, str]] = {
    "location": (make_location, "(file line column)"),
    "location?": (is_location, "(obj)"),
    "location-file": (location_file, "(location)"),
    "location-line": (location_line, "(location)"),
    "location-column": (location_column, "(location)"),
    "source-properties->location": (source_properties_to_location, "(properties)"),
    "location->string": (location_string, "(location)"),
    "warning": (warning, "(location format-string . args)"),
    "raise-located-error": (raise_located_error, "(location message [hint])"),
    "%string->uuid": (string_to_uuid_bytevector, "(str [type])"),
    "%uuid->string": (uuid_bytevector_to_string, "(bv [type])"),
}

_MACROS = {
    "define-with-syntax-properties": t_define_with_syntax_properties,
    "current-source-location": t_current_source_location,
    _MARKER: t_with_value_location,
    "%re-export-modules": t_re_export_modules,
}


def install(interp: Any, m: Any) -> None:
    """Fill ``(schemos system-support)``."""
    for n, (fn, params) in _PROCEDURES.items():
        fn.scm_name = n
        fn.scm_params = params
        m.define(Symbol(n), fn)
        m.exports.add(Symbol(n))
    macros = dict(_MACROS)
    macros["define-record-type*"] = t_define_record_type_star
    for n, t in macros.items():
        m.define_syntax(Symbol(n), Macro(t, interp.root_scope, n))
        m.exports.add(Symbol(n))


def register() -> None:
    """Register ``(schemos system-support)`` and its macro builders."""
    from schemos.modsys import register_module

    MACRO_BUILDERS["%syntax-properties-macro"] = build_syntax_properties_macro
    MACRO_BUILDERS["%system-record-syntax"] = build_system_record_syntax
    MACRO_BUILDERS["%uuid-syntax"] = build_uuid_syntax
    register_module("schemos system-support", install)


register()
