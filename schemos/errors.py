"""Scheme conditions and the Python exception that carries them.

Every error schemos reports is a :class:`Condition` (or, for ``raise`` of an
arbitrary object, that object) wrapped in a :class:`SchemeError`.  Conditions
carry what Guile's do: a throw *key* (``wrong-type-arg``, ``misc-error``,
``unbound-variable`` …), the procedure that complained (*who*), a message
that may hold ``~A``/``~S`` directives filled from *args*, the *irritants*
that R7RS ``error-object-irritants`` returns, and a source location.
"""

from __future__ import annotations

from typing import Any

from schemos.datum import NIL, Pair, SourceLoc, Symbol, from_list


class Condition:
    """A Scheme error condition (R7RS error object, Guile exception)."""

    __slots__ = ("key", "who", "message", "args", "irritants", "loc", "hint", "extra")

    def __init__(
        self,
        key: str,
        message: str,
        *,
        who: str | None = None,
        args: list[Any] | None = None,
        irritants: list[Any] | None = None,
        loc: SourceLoc | None = None,
        hint: str | None = None,
        extra: Any = False,
    ) -> None:
        self.key = Symbol(key)
        self.who = who
        self.message = message
        #: arguments for the ~A/~S directives in ``message``
        self.args = list(args) if args is not None else None
        #: what ``error-object-irritants`` returns
        self.irritants = list(irritants) if irritants is not None else []
        self.loc = loc
        self.hint = hint
        #: the last element of Guile's throw arguments (``data``)
        self.extra = extra

    def formatted_message(self) -> str:
        """The message with its ``~A``/``~S`` directives filled in."""
        from schemos.printer import display_string, write_string

        if self.args is None:
            if not self.irritants:
                return self.message
            if self.key.name == "syntax-error":
                from schemos.syntax import strip

                text = write_string(strip(self.irritants[0]))
                if len(text) > 70:
                    text = text[:67] + "..."
                return f"{self.message} in form {text}"
            parts = [self.message] if self.message else []
            return " ".join(parts + [write_string(x) for x in self.irritants])
        out = []
        args = iter(self.args)
        msg = self.message
        i = 0
        while i < len(msg):
            c = msg[i]
            if c == "~" and i + 1 < len(msg):
                d = msg[i + 1]
                i += 2
                if d in "aA":
                    out.append(display_string(next(args, "")))
                elif d in "sS":
                    out.append(write_string(next(args, "")))
                elif d == "%":
                    out.append("\n")
                elif d == "~":
                    out.append("~")
                else:
                    out.append("~" + d)
                continue
            out.append(c)
            i += 1
        return "".join(out)

    def throw_args(self) -> Any:
        """The Guile throw arguments ``(who message args data)`` as a Scheme list."""
        if self.key.name == "%throw":
            return self.extra
        fmt_args = self.args if self.args is not None else self.irritants
        msg = self.message
        if self.args is None:
            # the message is plain text: quote its tildes for format, as Guile does
            msg = msg.replace("~", "~~")
            if self.irritants:
                msg = (msg + " ~S" * len(self.irritants)) if msg else \
                    " ".join(["~S"] * len(self.irritants))
        return from_list([
            self.who if self.who is not None else False,
            msg,
            from_list(fmt_args),
            self.extra,
        ])

    def __repr__(self) -> str:
        return f"<Condition {self.key.name}: {self.formatted_message()}>"


class SchemeError(Exception):
    """A raised Scheme object (usually a :class:`Condition`).

    ``payload`` is what ``raise`` was given; ``continuable`` is true for
    ``raise-continuable``; ``frames`` collects ``(procedure-name, loc)``
    pairs of Scheme frames as the error crosses them.
    """

    def __init__(self, payload: Any, continuable: bool = False) -> None:
        super().__init__(payload)
        self.payload = payload
        self.continuable = continuable
        self.frames: list[tuple[str | None, SourceLoc | None]] = []

    @property
    def condition(self) -> Condition | None:
        """The payload if it is a :class:`Condition`, else ``None``."""
        p = self.payload
        return p if isinstance(p, Condition) else None

    def __str__(self) -> str:
        c = self.condition
        if c is not None:
            return format_condition(c)
        from schemos.printer import write_string

        return f"Unhandled exception: {write_string(self.payload)}"


def format_condition(c: Condition, with_loc: bool = True) -> str:
    """Render a condition the way Guile prints an uncaught error."""
    parts = []
    if with_loc and c.loc is not None:
        parts.append(f"{c.loc}: ")
    if c.key.name == "%throw":
        from schemos.printer import write_string

        parts.append(
            f"Throw to key `{write_string(c.who)}' with args {write_string(c.extra)}."
        )
        return "".join(parts)
    if c.who:
        parts.append(f"In procedure {c.who}: ")
    parts.append(c.formatted_message())
    return "".join(parts)


def _scm_str(x: Any) -> str:
    return x


def scheme_error(who: str | None, message: str, *irritants: Any, key: str = "misc-error",
                 hint: str | None = None, loc: SourceLoc | None = None) -> SchemeError:
    """Build (not raise) a ``misc-error`` as Guile's ``error`` makes one."""
    return SchemeError(Condition(key, message, who=who, irritants=list(irritants),
                                 hint=hint, loc=loc))


def wrong_type(who: str, pos: int, expected: str, obj: Any) -> SchemeError:
    """Guile's ``wrong-type-arg`` error: position is 1-based (0 for 'unknown')."""
    if pos:
        msg = "Wrong type argument in position ~A (expecting ~A): ~S"
        args = [pos, expected, obj]
    else:
        msg = "Wrong type argument (expecting ~A): ~S"
        args = [expected, obj]
    return SchemeError(Condition("wrong-type-arg", msg, who=who, args=args,
                                 irritants=args, extra=from_list([obj])))


def out_of_range(who: str, pos: int, obj: Any) -> SchemeError:
    """Guile's ``out-of-range`` error."""
    args = [pos, obj]
    return SchemeError(Condition("out-of-range", "Argument ~A out of range: ~S", who=who,
                                 args=args, irritants=args, extra=from_list([obj])))


def wrong_number_of_args(proc: Any) -> SchemeError:
    """Guile's ``wrong-number-of-args`` error for calling ``proc``."""
    return SchemeError(Condition("wrong-number-of-args", "Wrong number of arguments to ~A",
                                 args=[proc], irritants=[proc]))


def unbound_variable(name: str, hint: str | None = None,
                     loc: SourceLoc | None = None) -> SchemeError:
    """Guile's ``unbound-variable`` error."""
    s = Symbol(name)
    return SchemeError(Condition("unbound-variable", "Unbound variable: ~S", args=[s],
                                 irritants=[s], hint=hint, loc=loc))


def syntax_error(message: str, form: Any = None, loc: SourceLoc | None = None,
                 hint: str | None = None, who: str | None = None) -> SchemeError:
    """A ``syntax-error`` condition for a malformed form."""
    irritants = [form] if form is not None else []
    if loc is None and type(form) is Pair:
        loc = form.loc
    return SchemeError(Condition("syntax-error", message, who=who, irritants=irritants,
                                 loc=loc, hint=hint))


def read_error(message: str, loc: SourceLoc | None, hint: str | None = None) -> SchemeError:
    """A ``read-error`` condition at ``loc``."""
    return SchemeError(Condition("read-error", message, who="read", loc=loc, hint=hint))


def throw(key: Any, args: Any) -> SchemeError:
    """Guile ``throw``: a condition whose key is the user's symbol."""
    c = Condition("%throw", "", who=key, extra=args)
    # keep the user's key for catch matching
    c.key = Symbol("%throw")
    return SchemeError(c)


def throw_key(c: Condition) -> Any:
    """The key a Guile ``catch`` handler receives for condition ``c``."""
    if c.key.name == "%throw":
        return c.who
    return c.key


def nearest_names(name: str, candidates: list[str], n: int = 3) -> list[str]:
    """Names among ``candidates`` closest to ``name`` (for "did you mean" hints)."""
    import difflib

    return difflib.get_close_matches(name, candidates, n=n, cutoff=0.75)


__all__ = [
    "Condition", "SchemeError", "format_condition", "scheme_error", "wrong_type",
    "out_of_range", "wrong_number_of_args", "unbound_variable", "syntax_error",
    "read_error", "throw", "throw_key", "nearest_names", "NIL", "Pair",
]
