"""schemos: evaluate GNU Guix-style operating-system descriptions in Python.

The library is the product; the ``schemos`` command line is a thin layer
over these calls::

    import schemos
    os = schemos.load_operating_system("examples/bare-hurd.tmpl")
    os.host_name                 # "guixygnu"
    [s.type_name for s in os.services]
    graph = os.system_graph()    # the canonical system graph (a dict)
    print(os.to_json())

See ``docs/library.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "Image", "Interpreter", "OperatingSystem", "Service",
           "build_image", "evaluate", "load_file", "load_image", "load_operating_system",
           "system_derivation", "system_graph"]


def __getattr__(name: str) -> Any:
    if name == "Interpreter":
        from schemos.interp import Interpreter

        return Interpreter
    raise AttributeError(name)


def evaluate(text: str, filename: str | None = None,
             load_path: list[str] | None = None) -> Any:
    """Evaluate Scheme ``text`` in a fresh interpreter; return its last value."""
    from schemos.interp import Interpreter

    return Interpreter(load_path=load_path).eval_string(text, filename)


def load_file(path: str | Path, load_path: list[str] | None = None) -> Any:
    """Evaluate the file at ``path`` in a fresh interpreter; return its last value."""
    from schemos.interp import Interpreter

    return Interpreter(load_path=load_path).load_file(path)


class Service:
    """One service instance of an operating system."""

    def __init__(self, os: OperatingSystem, record: Any) -> None:
        self.os = os
        self.record = record

    @property
    def type_name(self) -> str:
        """The name of the service's type, e.g. ``"openssh"``."""
        from schemos.system.graph import Model, _service_type, _type_name

        m = Model(self.os.interp)
        return _type_name(m, _service_type(m, self.record))

    @property
    def value(self) -> Any:
        """The service's value (a Scheme object)."""
        from schemos.system.graph import Model

        return Model(self.os.interp).call("gnu services", "service-value", self.record)

    def __repr__(self) -> str:
        return f"<Service {self.type_name}>"


class OperatingSystem:
    """An evaluated ``operating-system`` record and the interpreter that made it."""

    def __init__(self, record: Any, interp: Any, path: str | None = None) -> None:
        self.record = record
        self.interp = interp
        self.path = path

    def field(self, name: str) -> Any:
        """The value of field ``name`` (thunked and delayed fields computed)."""
        from schemos.datum import Symbol
        from schemos.records import field_value

        return field_value(self.record, Symbol(name))

    @property
    def fields(self) -> dict[str, Any]:
        """Every field of the record, by name."""
        from schemos.system.graph import _fields

        return dict(_fields(self.record))

    @property
    def host_name(self) -> str:
        """The host name."""
        return self.field("host-name")

    @property
    def services(self) -> list[Service]:
        """Every service instance: essential services and the user's."""
        from schemos.system.graph import Model, services_of

        return [Service(self, s) for s in services_of(Model(self.interp), self.record)]

    def system_graph(self) -> dict[str, Any]:
        """The canonical system graph (see docs/system-graph.md)."""
        return system_graph(self)

    def to_json(self) -> str:
        """The system graph as deterministic JSON text."""
        from schemos.system.graph import to_json

        return to_json(self.system_graph())

    def __repr__(self) -> str:
        return f"<OperatingSystem {self.host_name!r}>"


def is_operating_system(value: Any) -> bool:
    """True if ``value`` is an ``operating-system`` record."""
    from schemos.runtime.control import Record

    if type(value) is not Record:
        return False
    n = value.rtd.name
    return getattr(n, "name", n) in ("<operating-system>", "operating-system")


def load_operating_system(path: str | Path, load_path: list[str] | None = None,
                          use_cache: bool = True) -> OperatingSystem:
    """Evaluate the template at ``path``; its last value must be an operating system."""
    from schemos.datum import Symbol
    from schemos.errors import Condition, SchemeError
    from schemos.interp import Interpreter

    interp = Interpreter(load_path=load_path, use_cache=use_cache)
    value = interp.load_file(path)
    if not is_operating_system(value):
        from schemos.printer import write_string

        text = write_string(value)
        raise SchemeError(Condition(
            "wrong-type-arg", "~A: the last expression is not an operating system: ~A",
            args=[str(path), text if len(text) < 80 else text[:77] + "..."],
            irritants=[Symbol("operating-system")],
            hint="end the file with the operating-system (e.g. %my-os or (operating-system ...))"))
    return OperatingSystem(value, interp, str(path))


class Image:
    """An evaluated ``image`` record of ``(gnu image)`` and the interpreter that made it."""

    def __init__(self, record: Any, interp: Any, path: str | None = None) -> None:
        self.record = record
        self.interp = interp
        self.path = path

    def __repr__(self) -> str:
        return f"<Image {self.path or ''}>".replace(" >", ">")


def load_image(path: str | Path, load_path: list[str] | None = None,
               use_cache: bool = True) -> OperatingSystem | Image:
    """Evaluate a file whose last value is an operating system or an ``image``.

    What ``schemos image FILE`` (as ``guix system image FILE``) accepts: an
    :class:`OperatingSystem`, built with the image type given, or an
    :class:`Image`, built as it describes itself.
    """
    from schemos.errors import Condition, SchemeError
    from schemos.image.spec import is_image
    from schemos.interp import Interpreter

    interp = Interpreter(load_path=load_path, use_cache=use_cache)
    value = interp.load_file(path)
    if is_operating_system(value):
        return OperatingSystem(value, interp, str(path))
    if is_image(value):
        return Image(value, interp, str(path))
    from schemos.printer import write_string

    text = write_string(value)
    raise SchemeError(Condition(
        "wrong-type-arg", "~A: the last expression is neither an operating system nor an "
        "image: ~A", args=[str(path), text if len(text) < 80 else text[:77] + "..."],
        hint="end the file with an (operating-system …) or an (image …)"))


def system_graph(os: OperatingSystem) -> dict[str, Any]:
    """The canonical system graph of ``os``."""
    from schemos.interp import _Worker
    from schemos.system.graph import system_graph as graph

    return _Worker.run(lambda: graph(os.interp, os.record))


def system_derivation(os: OperatingSystem, *, system: str = "x86_64-linux",
                      target: str | None = None, store: str | Path | None = None,
                      memory: bool = False) -> Any:
    """Lower ``os`` to its system derivation, written with its closure to ``store``.

    ``store`` is the physical root of the store (default: ``$SCHEMOS_STORE`` or
    ``$XDG_DATA_HOME/schemos/store``); ``memory=True`` writes nothing.  Returns
    a :class:`schemos.store.build.LoweredSystem`: ``.system`` is the
    derivation (``.path`` its ``.drv`` file), ``.bootcfg`` that of grub.cfg.
    See docs/store.md.
    """
    from schemos.store.build import lower_operating_system, open_store

    with open_store(store, memory=memory, interp=os.interp) as s:
        return lower_operating_system(os.interp, os.record, s, system, target)


def build_image(os: OperatingSystem, image_type: str = "hurd-raw",
                output: str | Path | None = None, **options: Any) -> Any:
    """Build a bootable disk image of ``os``; return a :class:`schemos.image.build.ImageResult`.

    ``image_type`` is ``hurd-raw``, ``hurd-qcow2``, ``raw`` or ``qcow2``;
    ``output`` the file to write.  Keyword options: ``image_size`` (bytes),
    ``substitute_urls`` (a list), ``acl`` (an ACL file), ``store`` (the
    store's physical root), ``system``, ``progress`` (a callable of step, done,
    total).  See docs/image.md and docs/library.md.
    """
    from schemos.image.build import build_image as build

    return build(os, image_type, output, **options)
