"""Derivations as Guix's ``derivation`` procedure makes them, against a store.

:func:`derivation` is ``(derivation store name builder args #:key …)`` of
``(guix derivations)``: it folds the daemon options (``#:local-build?``,
``#:allowed-references``, …) into environment variables as Guix does,
sorts everything as Nix's ``std::map`` would, computes the output paths
from the hash modulo fixed-output derivations, writes the ``.drv`` file and
returns the :class:`~schemos.store.derivation.Derivation`.  Input
derivations are :class:`DerivationInput` values (a derivation and the
outputs used), as in Guix.

The hash modulo of every derivation made or read is memoised by ``.drv``
path in the store, so computing a new derivation's hash costs one SHA-256
of its own text, however deep its inputs go.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from schemos.store.derivation import Derivation, DerivationOutput, parse_aterm
from schemos.store.disk import LocalStore, StoreError
from schemos.store.paths import fixed_output_path, output_path


class DerivationInput:
    """An input of a derivation: ``drv`` and the names of the outputs used."""

    __slots__ = ("drv", "outputs")

    def __init__(self, drv: Derivation, outputs: Sequence[str] = ("out",)) -> None:
        self.drv = drv
        self.outputs = sorted(set(outputs))

    @property
    def path(self) -> str:
        """The input's ``.drv`` file name."""
        return self.drv.path

    def output_paths(self) -> list[str]:
        """The store paths of the outputs used."""
        return [self.drv.outputs[o].path for o in self.outputs]

    def scm_write(self, write: bool) -> str:
        """Print as Guix prints a ``<derivation-input>``."""
        return f"#<derivation-input {self.drv.path} {' '.join(self.outputs)}>"

    def __repr__(self) -> str:
        return f"DerivationInput({self.drv.path!r}, {self.outputs!r})"


def derivation_scm_write(drv: Derivation, write: bool) -> str:
    """``#<derivation /gnu/store/…-foo.drv => /gnu/store/…-foo 7f…>`` as in Guix."""
    outs = " ".join(o.path for _, o in sorted(drv.outputs.items()))
    return f"#<derivation {drv.path} => {outs} {id(drv):x}>"


# the printer looks for scm_write on values; derivations are dataclasses
Derivation.scm_write = derivation_scm_write  # type: ignore[attr-defined]


def hash_modulo(store: LocalStore, drv: Derivation) -> str:
    """The hex hash modulo fixed-output derivations of ``drv`` (memoised in ``store``)."""
    if drv.path:
        h = store.modulo.get(drv.path)
        if h is not None:
            return h
    if drv.is_fixed_output():
        h = drv.hash_modulo()
    else:
        if set(drv.input_hashes) != set(drv.inputs):
            drv.input_hashes = {p: hash_modulo(store, read_derivation(store, p))
                                for p in drv.inputs}
        h = hashlib.sha256(drv.to_aterm(replace_inputs=drv.input_hashes).encode()).hexdigest()
    if drv.path:
        store.modulo[drv.path] = h
    return h


def read_derivation(store: LocalStore, path: str) -> Derivation:
    """The derivation in ``.drv`` file ``path`` (``read-derivation-from-file``)."""
    drv = store.derivations.get(path)
    if drv is not None:
        return drv
    try:
        text = store.read_text(path).decode()
    except StoreError:
        raise
    drv = parse_aterm(text, path)
    store.derivations[path] = drv
    return drv


def properties_string(properties: Any) -> str:
    """``(object->string properties)``, as Guix stores them in ``guix properties``."""
    from schemos.printer import write_string

    return write_string(properties)


def derivation(store: LocalStore, name: str, builder: str, args: Sequence[str], *,
               system: str = "x86_64-linux",
               env_vars: Iterable[tuple[str, str]] = (),
               inputs: Iterable[DerivationInput] = (),
               sources: Iterable[str] = (),
               outputs: Sequence[str] = ("out",),
               hash: bytes | None = None, hash_algo: str | None = None,
               recursive: bool = False,
               references_graphs: Sequence[tuple[str, str]] | None = None,
               allowed_references: Sequence[str] | None = None,
               disallowed_references: Sequence[str] | None = None,
               leaked_env_vars: Sequence[str] | None = None,
               local_build: bool = False, substitutable: bool = True,
               properties_text: str | None = None) -> Derivation:
    """Make, write and return a derivation, exactly as Guix's ``derivation`` does."""
    env: list[tuple[str, str]] = []
    if local_build:
        env.append(("preferLocalBuild", "1"))
    if not substitutable:
        env.append(("allowSubstitutes", "0"))
    if allowed_references is not None:
        env.append(("allowedReferences", " ".join(allowed_references)))
    if disallowed_references is not None:
        env.append(("disallowedReferences", " ".join(disallowed_references)))
    if leaked_env_vars is not None:
        env.append(("impureEnvVars", " ".join(leaked_env_vars)))
    if properties_text is not None:
        env.append(("guix properties", properties_text))
    env.extend(env_vars)
    if references_graphs:
        value = " ".join(f"{f} {p}" for f, p in references_graphs)
        env.insert(0, ("exportReferencesGraph", value))
    # Guix keeps the first binding of a name (assoc); outputs start out empty
    envd: dict[str, str] = {}
    for k, v in env:
        envd.setdefault(k, v)
    outs = sorted(set(outputs))
    for o in outs:
        envd[o] = ""
    # coalesce inputs naming the same derivation (Guix's coalesce-duplicate-inputs)
    drv_inputs: dict[str, tuple[Derivation, set[str]]] = {}
    for i in inputs:
        entry = drv_inputs.get(i.drv.path)
        if entry is None:
            drv_inputs[i.drv.path] = (i.drv, set(i.outputs))
        else:
            entry[1].update(i.outputs)
    drv = Derivation(
        outputs={}, inputs={p: sorted(o) for p, (_, o) in drv_inputs.items()},
        sources=sorted(set(sources)), system=system, builder=builder, args=list(args),
        env=envd, name=name,
        input_hashes={p: hash_modulo(store, d) for p, (d, _) in drv_inputs.items()})
    if hash is not None:
        algo = hash_algo or "sha256"
        for o in outs:
            path = fixed_output_path(name, hash, algo, recursive, store.store_dir,
                                     output=o)
            drv.outputs[o] = DerivationOutput(path, ("r:" if recursive else "") + algo,
                                              hash.hex())
            envd[o] = path
    else:
        for o in outs:
            drv.outputs[o] = DerivationOutput("")
        h = hashlib.sha256(drv.to_aterm(replace_inputs=drv.input_hashes).encode()).hexdigest()
        for o in outs:
            p = output_path(name, o, h, store.store_dir)
            drv.outputs[o].path = p
            envd[o] = p
    text = drv.to_aterm()
    drv.path = store.add_derivation_text(name, text, list(drv.inputs) + drv.sources,
                                         {o: d.path for o, d in drv.outputs.items()})
    known = store.derivations.get(drv.path)
    if known is not None:
        # preserve identity, as Guix's %derivation-cache does
        return known
    store.derivations[drv.path] = drv
    return drv


def derivation_closure(store: LocalStore, roots: Iterable[Derivation]) -> list[str]:
    """Every ``.drv`` and source path the ``roots`` need, sorted."""
    seen: set[str] = set()
    out: set[str] = set()
    stack = [d.path for d in roots]
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        out.add(p)
        d = read_derivation(store, p)
        out.update(d.sources)
        stack.extend(d.inputs)
    return sorted(out)
