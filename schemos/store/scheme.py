"""The Scheme face of the store: the Python module ``(schemos store)``.

``(guix store)``, ``(guix derivations)``, ``(guix monads)`` and the lowering
parts of ``(guix gexp)`` (all in ``stdlib/guix/``) import the procedures
defined here and export them under Guix's names.  Procedures taking Guix's
keyword arguments (``#:env-vars``, ``#:recursive?``…) receive them as
``Keyword`` objects among their positional arguments; :func:`keywords`
sorts them out and rejects unknown ones as Guile's ``define*`` would.

A store connection is a :class:`~schemos.store.disk.LocalStore`; derivations
are :class:`~schemos.store.derivation.Derivation` objects and their inputs
:class:`~schemos.store.api.DerivationInput` values, printed as Guix prints
them.
"""

from __future__ import annotations

import atexit
import os
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from schemos.datum import NIL, UNSPECIFIED, Keyword, Pair, Symbol, from_list
from schemos.errors import Condition, SchemeError, wrong_type
from schemos.store.api import (
    DerivationInput,
    derivation,
    hash_modulo,
    read_derivation,
)
from schemos.store.derivation import Derivation, DerivationOutput
from schemos.store.disk import LocalStore, StoreError, default_store_root
from schemos.store.paths import STORE_DIR, fixed_output_path

#: the physical root ``open-connection`` uses when given none (the CLI's --store)
DEFAULT_ROOT: Path | None = None
#: stores opened in this process, to find ``.drv`` files read by name only
_OPEN: weakref.WeakSet[LocalStore] = weakref.WeakSet()


def _flush_open_stores() -> None:
    # a program that never closes its connection still leaves its items valid
    for s in list(_OPEN):
        if not s.closed:
            try:
                s.flush()
            except Exception:  # noqa: BLE001 - exiting anyway; never mask the real error
                pass


atexit.register(_flush_open_stores)


def store_error(message: str, *irritants: Any, hint: str | None = None) -> SchemeError:
    """A Guile ``store-error`` condition."""
    return SchemeError(Condition("store-error", "~A", args=[message],
                                 irritants=list(irritants), hint=hint))


def keywords(who: str, args: tuple[Any, ...], allowed: dict[str, Any],
             positional: int = 0) -> tuple[list[Any], dict[str, Any]]:
    """Split ``args`` into ``positional`` leading values and keyword values.

    ``allowed`` maps keyword names to defaults; the result has every one.
    """
    if len(args) < positional:
        from schemos.errors import wrong_number_of_args

        raise wrong_number_of_args(who)
    pos = list(args[:positional])
    out = dict(allowed)
    rest = args[positional:]
    i = 0
    while i < len(rest):
        k = rest[i]
        if type(k) is not Keyword:
            # optional positional arguments come before the keywords
            pos.append(k)
            i += 1
            continue
        if k.name not in allowed:
            raise SchemeError(Condition(
                "keyword-argument-error", "~A: unrecognized keyword #:~A", who=who,
                args=[who, k.name], irritants=[k],
                hint="known keywords: " + ", ".join("#:" + n for n in sorted(allowed))))
        if i + 1 >= len(rest):
            raise SchemeError(Condition("keyword-argument-error",
                                        "~A: keyword #:~A without a value", who=who,
                                        args=[who, k.name], irritants=[k]))
        out[k.name] = rest[i + 1]
        i += 2
    return pos, out


def items(lst: Any) -> list[Any]:
    """A Scheme list as a Python list (#f and '() are empty)."""
    out = []
    while type(lst) is Pair:
        out.append(lst.car)
        lst = lst.cdr
    return out


def _str(who: str, pos: int, x: Any) -> str:
    if type(x) is not str:
        raise wrong_type(who, pos, "string", x)
    return x


def _store(who: str, x: Any) -> LocalStore:
    if not isinstance(x, LocalStore):
        raise wrong_type(who, 1, "store connection", x)
    if x.closed:
        raise store_error(f"{who}: the store connection is closed")
    return x


def _algo(x: Any) -> str:
    if type(x) is Symbol:
        return x.name
    if type(x) is str:
        return x
    if x is False or x is None:
        return "sha256"
    raise wrong_type("hash-algo", 1, "symbol", x)


def _bytes(who: str, x: Any) -> bytes:
    if type(x) in (bytearray, bytes):
        return bytes(x)
    raise wrong_type(who, 1, "bytevector", x)


def _guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn :class:`StoreError` and ``ValueError`` into Scheme store errors."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any) -> Any:
        try:
            return fn(*args)
        except StoreError as e:
            raise store_error(str(e)) from None
        except ValueError as e:
            raise store_error(str(e)) from None
    return wrapper


# ------------------------------------------------------------------ the store

def open_connection(*args: Any) -> LocalStore:
    """``(open-connection [ROOT])``: open the store whose physical root is ROOT.

    Without ROOT: the ``--store`` directory of the command line, else
    ``$SCHEMOS_STORE``, else ``$XDG_DATA_HOME/schemos/store``.  ``#:memory? #t``
    opens a store that computes paths without writing anything.
    """
    pos, kw = keywords("open-connection", args, {"memory?": False, "reserve-space?": True,
                                                 "cpu-affinity": False,
                                                 "built-in-builders": False})
    root: Any = pos[0] if pos else None
    from schemos.store import lower
    if isinstance(root, str) and root.startswith("/var/guix/daemon-socket"):
        root = None  # Guix's socket file name means "the default store"
    if root is not None and root is not False and type(root) is not str:
        raise wrong_type("open-connection", 1, "string", root)
    memory = kw["memory?"] is not False
    try:
        s = LocalStore(None if memory else (root or DEFAULT_ROOT or default_store_root()),
                       memory=memory)
    except OSError as e:
        raise store_error(f"cannot open the store: {e.strerror}: {e.filename}") from None
    s.interp = lower.INTERP
    _OPEN.add(s)
    return s


def close_connection(store: Any) -> Any:
    """``(close-connection STORE)``: flush STORE's database and close it."""
    if isinstance(store, LocalStore):
        store.close()
    return UNSPECIFIED


def store_p(x: Any) -> bool:
    """``(store-connection? X)``."""
    return isinstance(x, LocalStore)


def store_physical_root(store: Any) -> Any:
    """``(store-physical-root STORE)``: where STORE's items are on disk, or #f."""
    s = _store("store-physical-root", store)
    return str(s.root) if s.root is not None else False


@_guard
def add_text_to_store(store: Any, name: Any, text: Any, references: Any = NIL) -> str:
    """``(add-text-to-store STORE NAME TEXT [REFERENCES])``: a text item's path."""
    s = _store("add-text-to-store", store)
    _str("add-text-to-store", 2, name)
    if type(text) is not str and type(text) not in (bytearray, bytes):
        raise wrong_type("add-text-to-store", 3, "string", text)
    return s.add_text(name, text, [_str("add-text-to-store", 4, r) for r in items(references)])


@_guard
def add_data_to_store(store: Any, name: Any, data: Any, references: Any = NIL) -> str:
    """``(add-data-to-store STORE NAME BYTEVECTOR [REFERENCES])``."""
    return add_text_to_store(store, name, data, references)


@_guard
def add_to_store(store: Any, name: Any, recursive: Any, hash_algo: Any, file: Any,
                 *rest: Any) -> str:
    """``(add-to-store STORE NAME RECURSIVE? HASH-ALGO FILE #:select? PRED)``."""
    s = _store("add-to-store", store)
    _, kw = keywords("add-to-store", rest, {"select?": False})
    _str("add-to-store", 2, name)
    _str("add-to-store", 5, file)
    select = _select(kw["select?"])
    return s.add_path(name, file, recursive=recursive is not False,
                      hash_algo=_algo(hash_algo), select=select)


def _select(pred: Any) -> Callable[[str, os.stat_result], bool] | None:
    if pred is False:
        return None
    from schemos.runtime.core import call

    def select(file: str, st: os.stat_result) -> bool:
        return call(pred, file, _stat_object(st)) is not False
    return select


def _stat_object(st: os.stat_result) -> Any:
    """The value Guile's ``lstat`` returns, as schemos represents it."""
    from schemos.runtime.files import stat_vector

    return stat_vector(st)


def fixed_output_path_scm(name: Any, digest: Any, *rest: Any) -> str:
    """``(fixed-output-path NAME HASH #:hash-algo 'sha256 #:output "out" #:recursive? #t)``."""
    _, kw = keywords("fixed-output-path", rest,
                     {"hash-algo": Symbol("sha256"), "output": "out", "recursive?": True})
    _str("fixed-output-path", 1, name)
    return fixed_output_path(name, _bytes("fixed-output-path", digest), _algo(kw["hash-algo"]),
                             kw["recursive?"] is not False, STORE_DIR, output=kw["output"])


def store_path_p(x: Any) -> bool:
    """``(store-path? X)``: X is a file name under the store directory."""
    return type(x) is str and x.startswith(STORE_DIR + "/") and len(x) > len(STORE_DIR) + 33


def direct_store_path_p(x: Any) -> bool:
    """``(direct-store-path? X)``: X is a store item itself, not a file in one."""
    return store_path_p(x) and "/" not in x[len(STORE_DIR) + 1:]


def store_path_package_name(path: Any) -> Any:
    """``(store-path-package-name PATH)``: "foo-1.0" of /gnu/store/…-foo-1.0."""
    if not store_path_p(path):
        return False
    base = path[len(STORE_DIR) + 1:].split("/", 1)[0]
    return base[33:]


def store_path_hash_part(path: Any) -> Any:
    """``(store-path-hash-part PATH)``: the 32 base32 characters of PATH's hash."""
    if not store_path_p(path):
        return False
    return path[len(STORE_DIR) + 1:len(STORE_DIR) + 33]


def valid_path_p(store: Any, path: Any) -> bool:
    """``(valid-path? STORE PATH)``."""
    return _store("valid-path?", store).is_valid(_str("valid-path?", 2, path))


@_guard
def references_scm(store: Any, path: Any) -> Any:
    """``(references STORE PATH)``: the items PATH refers to."""
    return from_list(_store("references", store).references(_str("references", 2, path)))


# -------------------------------------------------------------- derivations

def _input(who: str, x: Any) -> DerivationInput | str:
    """A ``#:inputs`` element: a derivation input, or a store file (old style)."""
    if isinstance(x, DerivationInput):
        return x
    if isinstance(x, Derivation):
        return DerivationInput(x, ["out"])
    if type(x) is Pair:
        head = x.car
        outs = [_str(who, 1, o) for o in items(x.cdr)] or ["out"]
        if isinstance(head, Derivation):
            return DerivationInput(head, outs)
        if type(head) is str:
            return head
    raise wrong_type(who, 1, "derivation input", x)


@_guard
def derivation_scm(store: Any, name: Any, builder: Any, args: Any, *rest: Any) -> Derivation:
    """``(derivation STORE NAME BUILDER ARGS #:key …)``, as in ``(guix derivations)``."""
    s = _store("derivation", store)
    _, kw = keywords("derivation", rest, {
        "system": False, "env-vars": NIL, "inputs": NIL, "sources": NIL,
        "outputs": from_list(["out"]), "hash": False, "hash-algo": False,
        "recursive?": False, "references-graphs": False, "allowed-references": False,
        "disallowed-references": False, "leaked-env-vars": False, "local-build?": False,
        "substitutable?": True, "properties": NIL, "%deprecation-warning?": True})
    _str("derivation", 2, name)
    if isinstance(builder, Derivation):
        builder = builder.outputs["out"].path
    _str("derivation", 3, builder)
    # (guix derivations) passes (%current-system) when the caller gives none
    system = kw["system"] if kw["system"] is not False else "x86_64-linux"
    env = [(_str("derivation", 6, p.car), _str("derivation", 6, p.cdr))
           for p in items(kw["env-vars"])]
    inputs: list[DerivationInput] = []
    sources = [_str("derivation", 7, x) for x in items(kw["sources"])]
    for x in items(kw["inputs"]):
        i = _input("derivation", x)
        if isinstance(i, DerivationInput):
            inputs.append(i)
        elif direct_store_path_p(i):
            sources.append(i)
        else:
            sources.append(s.add_path(os.path.basename(i), i, recursive=True))
    h = kw["hash"]
    graphs = kw["references-graphs"]
    props = kw["properties"]
    return derivation(
        s, name, builder, [_str("derivation", 4, a) for a in items(args)],
        system=system, env_vars=env, inputs=inputs, sources=sources,
        outputs=[_str("derivation", 8, o) for o in items(kw["outputs"])],
        hash=_bytes("derivation", h) if h is not False else None,
        hash_algo=_algo(kw["hash-algo"]) if h is not False else None,
        recursive=kw["recursive?"] is not False,
        references_graphs=[(p.car, p.cdr) for p in items(graphs)] if graphs is not False
        else None,
        allowed_references=_opt_strings(kw["allowed-references"]),
        disallowed_references=_opt_strings(kw["disallowed-references"]),
        leaked_env_vars=_opt_strings(kw["leaked-env-vars"]),
        local_build=kw["local-build?"] is not False,
        substitutable=kw["substitutable?"] is not False,
        properties_text=_properties(props))


def _opt_strings(x: Any) -> list[str] | None:
    return None if x is False else [str(v) for v in items(x)]


def _properties(props: Any) -> str | None:
    if props is NIL or props is False:
        return None
    from schemos.store.api import properties_string

    return properties_string(props)


def _drv(who: str, x: Any) -> Derivation:
    if not isinstance(x, Derivation):
        raise wrong_type(who, 1, "derivation", x)
    return x


def derivation_p(x: Any) -> bool:
    """``(derivation? X)``."""
    return isinstance(x, Derivation)


def derivation_file_name(drv: Any) -> str:
    """``(derivation-file-name DRV)``: its ``.drv`` path."""
    return _drv("derivation-file-name", drv).path


def derivation_name(drv: Any) -> str:
    """``(derivation-name DRV)``: the name it was made with."""
    return _drv("derivation-name", drv).name


def derivation_system(drv: Any) -> str:
    """``(derivation-system DRV)``."""
    return _drv("derivation-system", drv).system


def derivation_builder(drv: Any) -> str:
    """``(derivation-builder DRV)``."""
    return _drv("derivation-builder", drv).builder


def derivation_builder_arguments(drv: Any) -> Any:
    """``(derivation-builder-arguments DRV)``."""
    return from_list(_drv("derivation-builder-arguments", drv).args)


def derivation_builder_environment_vars(drv: Any) -> Any:
    """``(derivation-builder-environment-vars DRV)``: an alist, sorted by name."""
    env = _drv("derivation-builder-environment-vars", drv).env
    return from_list([Pair(k, env[k]) for k in sorted(env)])


def derivation_sources(drv: Any) -> Any:
    """``(derivation-sources DRV)``: its input store files."""
    return from_list(sorted(_drv("derivation-sources", drv).sources))


def derivation_outputs(drv: Any) -> Any:
    """``(derivation-outputs DRV)``: an alist of output names and ``<derivation-output>``s."""
    d = _drv("derivation-outputs", drv)
    return from_list([Pair(n, d.outputs[n]) for n in sorted(d.outputs)])


def derivation_output_names(drv: Any) -> Any:
    """``(derivation-output-names DRV)``."""
    return from_list(sorted(_drv("derivation-output-names", drv).outputs))


def derivation_output_path(out: Any) -> str:
    """``(derivation-output-path OUTPUT)``."""
    if not isinstance(out, DerivationOutput):
        raise wrong_type("derivation-output-path", 1, "derivation output", out)
    return out.path


def derivation_output_hash_algo(out: Any) -> Any:
    """``(derivation-output-hash-algo OUTPUT)``: a symbol, or #f."""
    if not out.hash_algo:
        return False
    return Symbol(out.hash_algo.removeprefix("r:"))


def derivation_output_hash(out: Any) -> Any:
    """``(derivation-output-hash OUTPUT)``: a bytevector, or #f."""
    return bytearray.fromhex(out.hash) if out.hash else False


def derivation_output_recursive_p(out: Any) -> bool:
    """``(derivation-output-recursive? OUTPUT)``."""
    return out.hash_algo.startswith("r:")


def derivation_output_p(x: Any) -> bool:
    """``(derivation-output? X)``."""
    return isinstance(x, DerivationOutput)


def derivation_to_output_path(drv: Any, output: Any = "out") -> str:
    """``(derivation->output-path DRV [OUTPUT])``."""
    d = _drv("derivation->output-path", drv)
    o = d.outputs.get(output)
    if o is None:
        raise SchemeError(Condition(
            "derivation-missing-output-error", "~A: no output ~S", who="derivation->output-path",
            args=[d.path, output], irritants=[d, output],
            hint="outputs: " + ", ".join(sorted(d.outputs))))
    return o.path


def derivation_to_output_paths(drv: Any) -> Any:
    """``(derivation->output-paths DRV)``: an alist of names and paths."""
    d = _drv("derivation->output-paths", drv)
    return from_list([Pair(n, d.outputs[n].path) for n in sorted(d.outputs)])


def _find_store(path: str) -> LocalStore:
    for s in list(_OPEN):
        if path in s.derivations or path in s.texts:
            return s
    for s in list(_OPEN):
        if not s.closed and not s.memory and s.is_valid(path):
            return s
    s = LocalStore(DEFAULT_ROOT or default_store_root())
    _OPEN.add(s)
    return s


@_guard
def read_derivation_from_file(file: Any) -> Derivation:
    """``(read-derivation-from-file FILE)``: the derivation in a ``.drv`` store file."""
    _str("read-derivation-from-file", 1, file)
    return read_derivation(_find_store(file), file)


@_guard
def derivation_path_to_output_path(path: Any, output: Any = "out") -> str:
    """``(derivation-path->output-path PATH [OUTPUT])``."""
    return derivation_to_output_path(read_derivation_from_file(path), output)


def derivation_inputs(drv: Any) -> Any:
    """``(derivation-inputs DRV)``: its ``<derivation-input>``s, sorted by file name."""
    d = _drv("derivation-inputs", drv)
    s = _find_store(d.path) if d.path else None
    out = []
    for p in sorted(d.inputs):
        sub = read_derivation(s, p) if s is not None else Derivation({}, {}, [], "", "", [],
                                                                       {}, path=p)
        out.append(DerivationInput(sub, d.inputs[p]))
    return from_list(out)


def make_derivation_input(drv: Any, outputs: Any = None) -> DerivationInput:
    """``(derivation-input DRV [OUTPUTS])``."""
    d = _drv("derivation-input", drv)
    outs = items(outputs) if outputs is not None else ["out"]
    return DerivationInput(d, outs or ["out"])


def derivation_input_p(x: Any) -> bool:
    """``(derivation-input? X)``."""
    return isinstance(x, DerivationInput)


def derivation_input_path(i: Any) -> str:
    """``(derivation-input-path INPUT)``: the input's ``.drv`` file name."""
    return i.path


def derivation_input_derivation(i: Any) -> Derivation:
    """``(derivation-input-derivation INPUT)``."""
    return i.drv


def derivation_input_sub_derivations(i: Any) -> Any:
    """``(derivation-input-sub-derivations INPUT)``: the output names used."""
    return from_list(i.outputs)


def derivation_input_output_paths(i: Any) -> Any:
    """``(derivation-input-output-paths INPUT)``."""
    return from_list(i.output_paths())


def fixed_output_derivation_p(drv: Any) -> bool:
    """``(fixed-output-derivation? DRV)``."""
    return isinstance(drv, Derivation) and drv.is_fixed_output()


def derivation_hash_scm(drv: Any) -> bytearray:
    """``(derivation-hash DRV)``: its hash modulo fixed-output derivations."""
    d = _drv("derivation-hash", drv)
    return bytearray.fromhex(hash_modulo(_find_store(d.path), d))


def derivation_to_string(drv: Any) -> str:
    """``(derivation->string DRV)``: the ATerm text of its ``.drv`` file (schemos)."""
    return _drv("derivation->string", drv).to_aterm()


def derivation_properties(drv: Any) -> Any:
    """``(derivation-properties DRV)``: the ``guix properties`` alist."""
    text = _drv("derivation-properties", drv).env.get("guix properties")
    if text is None:
        return NIL
    from schemos.reader import read_all

    forms = read_all(text, None)
    return forms[0] if forms else NIL


#: Scheme name -> procedure, for ``(schemos store)``
PROCEDURES: dict[str, Callable[..., Any]] = {
    "open-connection": open_connection,
    "close-connection": close_connection,
    "store-connection?": store_p,
    "nix-server?": store_p,
    "store-physical-root": store_physical_root,
    "add-text-to-store": add_text_to_store,
    "add-data-to-store": add_data_to_store,
    "add-to-store": add_to_store,
    "fixed-output-path": fixed_output_path_scm,
    "store-path?": store_path_p,
    "direct-store-path?": direct_store_path_p,
    "store-path-package-name": store_path_package_name,
    "store-path-hash-part": store_path_hash_part,
    "valid-path?": valid_path_p,
    "references": references_scm,
    "derivation": derivation_scm,
    "derivation?": derivation_p,
    "derivation-file-name": derivation_file_name,
    "derivation-name": derivation_name,
    "derivation-system": derivation_system,
    "derivation-builder": derivation_builder,
    "derivation-builder-arguments": derivation_builder_arguments,
    "derivation-builder-environment-vars": derivation_builder_environment_vars,
    "derivation-sources": derivation_sources,
    "derivation-outputs": derivation_outputs,
    "derivation-output-names": derivation_output_names,
    "derivation-output-path": derivation_output_path,
    "derivation-output-hash-algo": derivation_output_hash_algo,
    "derivation-output-hash": derivation_output_hash,
    "derivation-output-recursive?": derivation_output_recursive_p,
    "derivation-output?": derivation_output_p,
    "derivation->output-path": derivation_to_output_path,
    "derivation->output-paths": derivation_to_output_paths,
    "derivation-path->output-path": derivation_path_to_output_path,
    "read-derivation-from-file": read_derivation_from_file,
    "derivation-inputs": derivation_inputs,
    "derivation-input": make_derivation_input,
    "derivation-input?": derivation_input_p,
    "derivation-input-path": derivation_input_path,
    "derivation-input-derivation": derivation_input_derivation,
    "derivation-input-sub-derivations": derivation_input_sub_derivations,
    "derivation-input-output-paths": derivation_input_output_paths,
    "fixed-output-derivation?": fixed_output_derivation_p,
    "derivation-hash": derivation_hash_scm,
    "derivation->string": derivation_to_string,
    "derivation-properties": derivation_properties,
}


def install(interp: Any, m: Any) -> None:
    """Fill ``(schemos store)``."""
    for name, fn in PROCEDURES.items():
        if not hasattr(fn, "scm_name"):
            try:
                fn.scm_name = name  # type: ignore[attr-defined]
            except AttributeError:
                pass
        m.define(name, fn)
        m.exports.add(Symbol(name))
    from schemos.store import lower

    lower.install(interp, m)

