"""Lowering whole things from Python: systems, packages, file-likes, expressions.

These are the calls behind ``schemos build -d`` and the library's
:func:`schemos.system_derivation`.  Each evaluates in the interpreter's
worker thread (deep recursion needs its big stack) with ``%current-system``
and ``%current-target-system`` bound as ``--system`` and ``--target`` say,
so that the operating system's services, thunked package fields and
lowering all see them, as in Guix.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from schemos.store.derivation import Derivation
from schemos.store.disk import LocalStore

#: the system derivations are for unless ``--system`` says otherwise
DEFAULT_SYSTEM = "x86_64-linux"


@dataclass
class LoweredSystem:
    """What lowering an operating system gives: its system derivation and grub.cfg."""

    system: Derivation
    bootcfg: Derivation | None = None
    extra: list[Derivation] = field(default_factory=list)

    def roots(self) -> list[Derivation]:
        """Every derivation written, the system's first."""
        return [self.system] + ([self.bootcfg] if self.bootcfg else []) + self.extra


def _scheme(interp: Any, module: tuple[str, ...], name: str) -> Any:
    from schemos.datum import Symbol
    from schemos.module import global_pyname

    m = interp.modsys.resolve(module)
    return m.ns[global_pyname(Symbol(name))]


def _with_parameters(interp: Any, system: str, target: str | None,
                     thunk: Callable[[], Any]) -> Any:
    """Run ``thunk`` with %current-system and %current-target-system bound."""
    from schemos.runtime.control import parameterize

    current_system = _scheme(interp, ("guix", "utils"), "%current-system")
    current_target = _scheme(interp, ("guix", "utils"), "%current-target-system")
    from schemos.datum import from_list

    return parameterize(from_list([current_system, current_target]),
                        from_list([system, target if target else False]), thunk)


def _run(interp: Any, fn: Callable[[], Any]) -> Any:
    from schemos.interp import _Worker, to_scheme_error

    def work() -> Any:
        try:
            return fn()
        except BaseException as e:  # noqa: BLE001 - translated for the caller
            raise to_scheme_error(e, interp.current) from None

    return _Worker.run(work)


def store_root_error(e: OSError, root: Any = None) -> Exception:
    """The ``store-error`` condition for a store root that cannot be used.

    ``root`` is what ``--store`` said (``None``: the default root).
    """
    from pathlib import Path

    from schemos.errors import Condition, SchemeError
    from schemos.store.disk import default_store_root

    where = Path(root) if root else default_store_root()
    problem = e.strerror or str(e)
    if isinstance(e, (FileExistsError, NotADirectoryError)):
        blocker = where
        while not blocker.exists() and blocker != blocker.parent:
            blocker = blocker.parent
        if blocker.exists() and not blocker.is_dir():
            problem = "it is not a directory" if blocker == where else \
                f"{blocker} is not a directory"
    named = "--store" if root else "the default store ($SCHEMOS_STORE or " \
        "$XDG_DATA_HOME/schemos/store)"
    return SchemeError(Condition(
        "store-error", "cannot use ~A as the store: ~A", args=[str(where), problem],
        hint=f"{named} must be a directory you can write, or one that can be created"))


def open_store(root: Any = None, memory: bool = False, interp: Any = None) -> LocalStore:
    """A store for lowering: ``root`` (or the default root), or in memory."""
    import os

    from schemos.store import lower

    try:
        store = LocalStore(None if memory else root, memory=memory)
        # lowering writes .drv files: a store that cannot take them fails now
        if store.root is not None and not os.access(store.root, os.W_OK | os.X_OK):
            raise PermissionError(13, os.strerror(13), str(store.root))
    except OSError as e:
        raise store_root_error(e, root) from None
    store.interp = interp or lower.INTERP
    return store


def _ensure_lowering(interp: Any) -> None:
    # the modules whose compilers lowering needs, loaded as Guix loads them
    for m in (("guix", "gexp"), ("guix", "packages"), ("guix", "profiles")):
        interp.modsys.resolve(m)
    if ("gnu", "system", "image") in interp.modules:
        # disk images in gexps (the childhurd's) need a lowering: this module
        # registers the image backend's, the derivation building the image
        interp.modsys.resolve(("schemos", "image-derivation"))


def lower_value(interp: Any, value: Any, store: LocalStore, system: str = DEFAULT_SYSTEM,
                target: str | None = None) -> Derivation | str:
    """Lower a package, origin, file-like object, derivation or monadic value."""
    from schemos.runtime.core import call
    from schemos.store import lower

    _ensure_lowering(interp)
    lower.INTERP = interp
    store.interp = interp

    def work() -> Any:
        def thunk() -> Any:
            if isinstance(value, Derivation):
                return value
            if callable(value):
                return call(value, store)
            return lower.lower_object(store, value, system, target)
        return _with_parameters(interp, system, target, thunk)

    return _run(interp, work)


def lower_operating_system(interp: Any, os_record: Any, store: LocalStore,
                           system: str = DEFAULT_SYSTEM, target: str | None = None,
                           bootcfg: bool = True) -> LoweredSystem:
    """The system derivation of ``os_record`` (and its grub.cfg), written to ``store``."""
    from schemos.runtime.core import call
    from schemos.store import lower

    _ensure_lowering(interp)
    lower.INTERP = interp
    store.interp = interp
    bootcfg_proc = _scheme(interp, ("gnu", "system"), "operating-system-bootcfg")

    def work() -> LoweredSystem:
        def thunk() -> LoweredSystem:
            # through the compiler of operating systems, which caches the
            # result per record: grub.cfg refers to OS_RECORD (gnu.system=)
            # and finds it lowered instead of lowering its services again
            sys_drv = lower.lower_object(store, os_record, system, target)
            cfg = None
            if bootcfg:
                cfg = lower.lower_object(store, call(bootcfg_proc, os_record), system, target)
            return LoweredSystem(sys_drv, cfg)
        return _with_parameters(interp, system, target, thunk)

    return _run(interp, work)


def derivation_json(drv: Derivation) -> dict[str, Any]:
    """``drv`` as the JSON object ``schemos show-derivation`` prints (Nix's layout)."""
    outputs: dict[str, Any] = {}
    for name in sorted(drv.outputs):
        o = drv.outputs[name]
        entry: dict[str, Any] = {"path": o.path}
        if o.hash:
            entry["hashAlgo"] = o.hash_algo
            entry["hash"] = o.hash
        outputs[name] = entry
    return {
        "name": drv.name,
        "outputs": outputs,
        "inputSrcs": sorted(drv.sources),
        "inputDrvs": {p: sorted(drv.inputs[p]) for p in sorted(drv.inputs)},
        "system": drv.system,
        "builder": drv.builder,
        "args": list(drv.args),
        "env": {k: drv.env[k] for k in sorted(drv.env)},
    }


def show_derivations(drvs: list[Derivation]) -> str:
    """Deterministic JSON text for ``drvs``, keyed by ``.drv`` path."""
    return json.dumps({d.path: derivation_json(d) for d in drvs}, indent=2,
                      ensure_ascii=False) + "\n"
