"""G-expressions as values: ``#~exp`` evaluates to a :class:`Gexp`.

A gexp keeps the template of the code it quotes, with each ``#$x``
(``ungexp``), ``#$@x`` (``ungexp-splicing``), ``#+x`` (``ungexp-native``)
and ``#+@x`` replaced by a :class:`GexpSlot` whose value is the *evaluated*
``x`` — a package, a file-like object, another gexp, a string, a list —
recorded as a :class:`GexpInput` with its output name and whether it is
native.  It also captures the imported modules and extensions in effect
(``with-imported-modules``, ``with-extensions``).  Lowering a gexp to a
derivation (issue #5) substitutes store paths for the inputs.
"""

from __future__ import annotations

from typing import Any

from schemos.datum import NIL, Pair, Symbol, from_list
from schemos.runtime.control import Parameter
from schemos.runtime.core import primitive


class GexpSlot:
    """Where input number ``index`` goes in a gexp template."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index

    def __reduce__(self) -> Any:
        return (GexpSlot, (self.index,))

    def scm_write(self, write: bool) -> str:
        """Shown when a template is printed."""
        return f"#<slot {self.index}>"


class GexpInput:
    """A value referenced by a gexp: ``#$thing``, ``#$output``, ``#+thing``."""

    __slots__ = ("thing", "output", "native", "splicing")

    def __init__(self, thing: Any, output: str, native: bool, splicing: bool) -> None:
        self.thing = thing
        self.output = output
        self.native = native
        self.splicing = splicing

    def scm_write(self, write: bool) -> str:
        """Print as Guix prints a gexp input."""
        from schemos.printer import write_string

        return f"#<gexp-input {write_string(self.thing)}:{self.output}>"


class Gexp:
    """A g-expression value."""

    __slots__ = ("template", "inputs", "modules", "extensions", "loc")

    def __init__(self, template: Any, inputs: list[GexpInput], modules: Any,
                 extensions: Any, loc: Any = None) -> None:
        self.template = template
        self.inputs = inputs
        self.modules = modules
        self.extensions = extensions
        self.loc = loc

    def scm_write(self, write: bool) -> str:
        """Print as Guix prints a gexp: ``#<gexp TEMPLATE file:line:col HEX>``."""
        from schemos.printer import write_string

        text = write_string(self.substituted())
        where = f" {self.loc}" if self.loc is not None else ""
        return f"#<gexp {text}{where} {id(self):x}>"

    def substituted(self) -> Any:
        """The template with each input written in place (for printing)."""
        def sub(x: Any) -> Any:
            if type(x) is GexpSlot:
                inp = self.inputs[x.index]
                return inp
            if type(x) is Pair:
                items = []
                p = x
                while type(p) is Pair:
                    items.append(sub(p.car))
                    p = p.cdr
                return from_list(items, sub(p) if p is not NIL else NIL)
            if type(x) is list:
                return [sub(e) for e in x]
            return x
        return sub(self.template)


class GexpOutput:
    """``#$output``: the output of the derivation a gexp builds (by name)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __reduce__(self) -> Any:
        return (GexpOutput, (self.name,))

    def scm_write(self, write: bool) -> str:
        """Print as Guix prints an output placeholder."""
        return f"#<gexp-output {self.name}>"


def gexp_output(name: Any) -> GexpOutput:
    """The ``#$output`` placeholder for output ``name``."""
    return GexpOutput(name if isinstance(name, str) else "out")


#: the modules ``with-imported-modules`` makes available to the gexps it encloses
CURRENT_IMPORTED_MODULES = Parameter(NIL, False)
#: the extensions ``with-extensions`` adds
CURRENT_EXTENSIONS = Parameter(NIL, False)


def make_gexp(template: Any, specs: tuple[Any, ...], loc: Any = None) -> Gexp:
    """Build a gexp: ``specs`` holds (kind, value, output) triples for its slots."""
    inputs = []
    for i in range(0, len(specs), 3):
        kind, value, output = specs[i], specs[i + 1], specs[i + 2]
        inputs.append(GexpInput(value, output if output is not None else "out",
                                kind in ("ungexp-native", "ungexp-native-splicing"),
                                kind.endswith("splicing")) if kind != "output" else
                      GexpInput(value, value.name, False, False))
    return Gexp(template, inputs, CURRENT_IMPORTED_MODULES.value, CURRENT_EXTENSIONS.value, loc)


@primitive("gexp?", "(obj)")
def gexp_p(obj: Any) -> bool:
    """True for g-expressions."""
    return obj.__class__ is Gexp


@primitive("gexp-input?", "(obj)")
def gexp_input_p(obj: Any) -> bool:
    """True for gexp inputs."""
    return obj.__class__ is GexpInput


@primitive("gexp-inputs", "(gexp)")
def gexp_inputs(g: Gexp) -> Any:
    """The inputs of G, as a list of gexp-input objects."""
    return from_list(g.inputs)


@primitive("gexp-input-thing", "(input)")
def gexp_input_thing(i: GexpInput) -> Any:
    """What a gexp input refers to."""
    return i.thing


@primitive("gexp-input-output", "(input)")
def gexp_input_output(i: GexpInput) -> Any:
    """The output name of a gexp input."""
    return i.output


@primitive("gexp-input-native?", "(input)")
def gexp_input_native(i: GexpInput) -> bool:
    """True for #+ inputs."""
    return i.native


@primitive("gexp-modules", "(gexp)")
def gexp_modules(g: Gexp) -> Any:
    """The modules imported by G."""
    return g.modules


@primitive("gexp-extensions", "(gexp)")
def gexp_extensions(g: Gexp) -> Any:
    """The extensions of G."""
    return g.extensions


@primitive("gexp->sexp", "(gexp)")
def gexp_to_sexp(g: Gexp) -> Any:
    """The template of G with inputs written in place (no lowering)."""
    return g.substituted()


UNGEXP_KINDS = ("ungexp", "ungexp-splicing", "ungexp-native", "ungexp-native-splicing")
_ = Symbol
