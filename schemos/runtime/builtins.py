"""Import every builtin-procedure module, filling :data:`schemos.runtime.core.PRIMITIVES`.

Besides the procedures, this module tells the module system:

* :data:`VARIABLES`: builtin bindings that are not procedures (the
  predefined char-sets, ``*random-state*``);
* :data:`MODULE_OF`: for each registered name that Guile 3.0's default
  environment does *not* have, the module Guile provides it from (e.g.
  ``fold`` → ``(srfi srfi-1)``), or ``None`` when it is a schemos extra;
* :data:`MODULE_OVERRIDES`: bindings that a module exports with a value
  different from the default one (``(ice-9 format)``'s ``format`` returns
  #t when writing to a port; the default ``format`` returns unspecified).
"""

from __future__ import annotations

from typing import Any

import schemos.runtime.chars_strings as chars_strings
import schemos.runtime.equality  # noqa: F401 - registers eq? eqv? equal? not boolean?
import schemos.runtime.files as files
import schemos.runtime.hashtables  # noqa: F401
import schemos.runtime.libraries  # noqa: F401 - the Python parts of stdlib/
import schemos.runtime.lists  # noqa: F401
import schemos.runtime.numbers as numbers
import schemos.runtime.ports as ports
import schemos.runtime.regex as regex
import schemos.runtime.srfi13  # noqa: F401 - SRFI-13 procedures of Guile's core
import schemos.runtime.vectors as vectors
from schemos.runtime.core import PRIMITIVES
from schemos.runtime.pymodules import python_module

#: non-procedure builtin bindings, by Scheme name
VARIABLES: dict[str, Any] = {
    **chars_strings.CHAR_SETS,
    "*random-state*": numbers._default_random_state,
    "most-positive-fixnum": (1 << 61) - 1,
    "most-negative-fixnum": -(1 << 61),
    **regex.VARIABLES,
}

_SRFI1 = ("srfi", "srfi-1")
_SRFI60 = ("srfi", "srfi-60")
_SRFI88 = ("srfi", "srfi-88")
_RNRS_BV = ("rnrs", "bytevectors")
_R7RS = ("scheme", "base")
_R7RS_CHAR = ("scheme", "char")
_RDELIM = ("ice-9", "rdelim")

#: registered names absent from Guile 3.0.8's default environment, with the
#: module that provides them in Guile (None: not in Guile at all)
MODULE_OF: dict[str, tuple[str, ...] | None] = {}
for _names, _module in (
    ("""alist-copy alist-delete alist-delete! any append-map append-reverse append-reverse!
        break break! car+cdr circular-list? concatenate concatenate! count
        delete-duplicates delete-duplicates! dotted-list? drop drop-right drop-right!
        drop-while eighth every fifth filter-map find find-tail first fold fold-right
        fourth last length+ list-tabulate lset-adjoin lset-difference lset-intersection
        lset-union lset<= lset= ninth not-pair? null-list? partition partition!
        proper-list? reduce reduce-right remove remove! second seventh sixth span span!
        split-at split-at! take take! take-right take-while take-while! tenth third
        unfold unfold-right xcons zip unzip1 unzip2 unzip3 unzip4 unzip5 list=""", _SRFI1),
    ("""arithmetic-shift bit-and bit-or bit-xor bitwise-and bitwise-ior bitwise-not
        bitwise-xor""", _SRFI60),
    ("keyword->string string->keyword", _SRFI88),
    (" ".join(vectors.RNRS_BYTEVECTOR_NAMES), _RNRS_BV),
    ("""binary-port? boolean=? bytevector bytevector-append eof-object exact
        flush-output-port inexact input-port-open? output-port-open? read-string square
        string->vector textual-port? vector->string vector-append vector-for-each
        vector-map write-string""", _R7RS),
    ("char-foldcase digit-value string-foldcase", _R7RS_CHAR),
    ("infinite?", ("scheme", "inexact")),
    ("read-delimited read-line write-line", _RDELIM),
    ("pretty-print", ("ice-9", "pretty-print")),
    ("fold-left", ("rnrs", "lists")),
    ("string-replace-substring", ("ice-9", "string-fun")),
    ("vector-index vector-binary-search", ("srfi", "srfi-43")),
    (" ".join(regex.REGEX_NAMES), ("ice-9", "regex")),
    (" ".join(files.FTW_NAMES), ("ice-9", "ftw")),
    ("""exact-rational? exact-nonnegative-integer? hash-table-count
        string->uninterned-symbol subvector symbol<? vector-grow""", None),
):
    for _n in _names.split():
        MODULE_OF[_n] = _module

#: per-module bindings that differ from the default environment's
MODULE_OVERRIDES: dict[tuple[str, ...], dict[str, Any]] = {
    ("ice-9", "format"): {"format": ports.ice9_format},
}

# stdlib/ files import these as (schemos ice-9 format) ... to re-export them
for _mod, _bindings in MODULE_OVERRIDES.items():
    python_module("schemos " + " ".join(_mod), _bindings)


def _apply_guile_params() -> None:
    """Make each builtin print its parameters as Guile does (``#<procedure car (_)>``)."""
    from schemos.runtime.guile_params import GUILE_PARAMS

    for name, params in GUILE_PARAMS.items():
        fn = PRIMITIVES.get(name)
        if fn is not None and getattr(fn, "scm_name", None) == name:
            fn.scm_params = params  # type: ignore[attr-defined]


_apply_guile_params()


def module_exports(module: tuple[str, ...]) -> dict[str, Any]:
    """The builtin bindings a Guile module provides (those listed in :data:`MODULE_OF`
    for it, plus its :data:`MODULE_OVERRIDES`)."""
    out = {n: PRIMITIVES[n] for n, m in MODULE_OF.items() if m == module and n in PRIMITIVES}
    out.update(MODULE_OVERRIDES.get(module, {}))
    return out


__all__ = ["VARIABLES", "MODULE_OF", "MODULE_OVERRIDES", "module_exports", "PRIMITIVES"]
