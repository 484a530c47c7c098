"""Scheme data as Python objects.

The representation is chosen for speed of the generated code:

==================  ==========================================
Scheme              Python
==================  ==========================================
``#t`` / ``#f``     ``True`` / ``False``
exact integer       ``int`` (never ``bool``: check ``type(x) is int``)
exact rational      ``fractions.Fraction`` (denominator > 1)
inexact real        ``float``
string              ``str`` (immutable, like Guile literals)
character           :class:`Char` (interned per code point)
symbol              :class:`Symbol` (interned)
keyword             :class:`Keyword` (interned)
pair                :class:`Pair` (``car``, ``cdr``, source ``loc``)
``'()``             :data:`NIL`
vector              ``list``
bytevector          ``bytearray``
multiple values     :class:`Values`
procedure           any Python callable (see ``schemos.runtime.core``)
==================  ==========================================
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any


class SourceLoc:
    """A position in a source file: 1-based line, 0-based column (as Guile)."""

    __slots__ = ("file", "line", "col")

    def __init__(self, file: str | None, line: int, col: int) -> None:
        self.file = file
        self.line = line
        self.col = col

    def __str__(self) -> str:
        return f"{self.file or '<unknown>'}:{self.line}:{self.col}"

    def __repr__(self) -> str:
        return f"SourceLoc({self.file!r}, {self.line}, {self.col})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, SourceLoc)
            and self.file == other.file
            and self.line == other.line
            and self.col == other.col
        )

    def __hash__(self) -> int:
        return hash((self.file, self.line, self.col))


class Symbol:
    """An interned Scheme symbol; compare with ``is``."""

    __slots__ = ("name", "__weakref__")
    _table: dict[str, Symbol] = {}

    def __new__(cls, name: str) -> Symbol:
        s = cls._table.get(name)
        if s is None:
            s = object.__new__(cls)
            s.name = name
            cls._table[name] = s
        return s

    def __repr__(self) -> str:
        return f"Symbol({self.name!r})"

    def __str__(self) -> str:
        return self.name

    def __reduce__(self):
        return (Symbol, (self.name,))


def sym(name: str) -> Symbol:
    """Return the interned symbol called ``name``."""
    return Symbol(name)


_gensym_counter = [0]


class UninternedSymbol:
    """A symbol made by ``make-symbol``/``gensym`` that is not in the table."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"UninternedSymbol({self.name!r})"


class Keyword:
    """An interned Guile keyword ``#:name`` (``name`` excludes the ``#:``)."""

    __slots__ = ("name",)
    _table: dict[str, Keyword] = {}

    def __new__(cls, name: str) -> Keyword:
        k = cls._table.get(name)
        if k is None:
            k = object.__new__(cls)
            k.name = name
            cls._table[name] = k
        return k

    def __repr__(self) -> str:
        return f"Keyword({self.name!r})"

    def __reduce__(self):
        return (Keyword, (self.name,))


class Char:
    """An interned Scheme character; ``cp`` is its Unicode code point."""

    __slots__ = ("cp",)
    _table: dict[int, Char] = {}

    def __new__(cls, cp: int) -> Char:
        c = cls._table.get(cp)
        if c is None:
            c = object.__new__(cls)
            c.cp = cp
            cls._table[cp] = c
        return c

    @property
    def char(self) -> str:
        """The character as a one-character Python string."""
        return chr(self.cp)

    def __repr__(self) -> str:
        return f"Char({chr(self.cp)!r})"

    def __reduce__(self):
        return (Char, (self.cp,))


class _Singleton:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name

    def __reduce__(self):
        return self._name


class Nil(_Singleton):
    """The type of the empty list."""

    __slots__ = ()

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:  # only so Python code can write `while lst:`
        return False


NIL = Nil("NIL")
"""The empty list ``'()``."""

UNSPECIFIED = _Singleton("UNSPECIFIED")
"""The value of expressions whose value is unspecified (``#<unspecified>``)."""

EOF = _Singleton("EOF")
"""The end-of-file object (``#<eof>``)."""

DEFAULT = _Singleton("DEFAULT")
"""Value of an ``#:optional``/``#:key`` argument not given and without default."""

UNDEFINED = _Singleton("UNDEFINED")
"""Value of a ``letrec`` variable before its initialisation."""


class Pair:
    """A mutable cons cell; ``loc`` is the source location when read from a file."""

    __slots__ = ("car", "cdr", "loc")

    def __init__(self, car: Any, cdr: Any, loc: SourceLoc | None = None) -> None:
        self.car = car
        self.cdr = cdr
        self.loc = loc

    def __iter__(self) -> Iterator[Any]:
        """Iterate over the elements of a proper (or the prefix of an improper) list."""
        p: Any = self
        while type(p) is Pair:
            yield p.car
            p = p.cdr

    def __repr__(self) -> str:
        from schemos.printer import write_string

        return f"<Pair {write_string(self)}>"


class Values:
    """Zero or several values returned at once by ``values``."""

    __slots__ = ("vals",)

    def __init__(self, vals: tuple[Any, ...]) -> None:
        self.vals = vals

    def __repr__(self) -> str:
        return f"Values({self.vals!r})"


def make_values(vals: tuple[Any, ...] | list[Any]) -> Any:
    """Return a single value as itself, and anything else as :class:`Values`."""
    if len(vals) == 1:
        return vals[0]
    return Values(tuple(vals))


def from_list(items: Iterable[Any], tail: Any = NIL) -> Any:
    """Build a Scheme list from a Python iterable (with optional improper tail)."""
    items = list(items)
    result = tail
    for x in reversed(items):
        result = Pair(x, result)
    return result


def to_list(lst: Any) -> list[Any]:
    """Return the elements of a proper Scheme list as a Python list.

    Raises ``ValueError`` for an improper list.
    """
    out = []
    while type(lst) is Pair:
        out.append(lst.car)
        lst = lst.cdr
    if lst is not NIL:
        raise ValueError("improper list")
    return out


def is_list(x: Any) -> bool:
    """True if ``x`` is a proper (finite, ``'()``-terminated) list."""
    slow = x
    while True:
        if x is NIL:
            return True
        if type(x) is not Pair:
            return False
        x = x.cdr
        if x is NIL:
            return True
        if type(x) is not Pair:
            return False
        x = x.cdr
        slow = slow.cdr
        if x is slow:
            return False


def list_length(x: Any) -> int:
    """Length of a proper list, or -1 if ``x`` is not one."""
    n = 0
    slow = x
    while True:
        if x is NIL:
            return n
        if type(x) is not Pair:
            return -1
        x = x.cdr
        n += 1
        if x is NIL:
            return n
        if type(x) is not Pair:
            return -1
        x = x.cdr
        n += 1
        slow = slow.cdr
        if x is slow:
            return -1


def is_true(x: Any) -> bool:
    """Scheme truth: everything but ``#f`` is true."""
    return x is not False


def is_number(x: Any) -> bool:
    """True for Scheme numbers (ints but not bools, fractions, floats, complex)."""
    t = type(x)
    return t is int or t is float or t is Fraction or t is complex


from fractions import Fraction  # noqa: E402  (kept near its only use above)
