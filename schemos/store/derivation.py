"""Derivations: the record, the ATerm text Guix writes, and its store arithmetic.

The ``.drv`` text is ``Derive(outputs, input-derivations, input-sources,
system, builder, args, env)`` with outputs sorted by name, input derivations
by path, sources and environment variables sorted too, strings escaped as
Guix escapes them.  Output paths come from the derivation's *hash modulo
fixed-output derivations*: the SHA-256 of its text with output paths blanked
and each input derivation replaced by its own hash modulo (a fixed-output
derivation's being the hash of its declared content), so that changing how a
source is fetched does not change anything built from it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from schemos.store.paths import STORE_DIR, fixed_output_path, output_path, text_path


@dataclass
class DerivationOutput:
    """One output: its path and, for fixed-output derivations, the declared hash."""

    path: str
    hash_algo: str = ""  # "sha256", "r:sha256", ... or ""
    hash: str = ""  # hex


@dataclass
class Derivation:
    """A derivation, as in a ``.drv`` file."""

    outputs: dict[str, DerivationOutput]
    inputs: dict[str, list[str]]  # input .drv path -> output names
    sources: list[str]
    system: str
    builder: str
    args: list[str]
    env: dict[str, str]
    name: str = ""
    path: str = ""
    #: hash modulo of input derivations, by path (needed to hash this one)
    input_hashes: dict[str, str] = field(default_factory=dict)

    def is_fixed_output(self) -> bool:
        """True for a derivation with a single output of declared content."""
        return list(self.outputs) == ["out"] and bool(self.outputs["out"].hash)

    def to_aterm(self, mask_outputs: bool = False,
                 replace_inputs: dict[str, str] | None = None) -> str:
        """The ``.drv`` text (with output paths blanked and inputs replaced, for hashing)."""
        outs = []
        for name in sorted(self.outputs):
            o = self.outputs[name]
            path = "" if mask_outputs else o.path
            outs.append(f"({_q(name)},{_q(path)},{_q(o.hash_algo)},{_q(o.hash)})")
        inputs = self.inputs
        if replace_inputs is not None:
            inputs = {replace_inputs[p]: outs_ for p, outs_ in inputs.items()}
        ins = []
        for p in sorted(inputs):
            ins.append(f"({_q(p)},[{','.join(_q(o) for o in sorted(inputs[p]))}])")
        env = self.env
        if mask_outputs:
            env = {k: ("" if k in self.outputs else v) for k, v in env.items()}
        envs = ",".join(f"({_q(k)},{_q(env[k])})" for k in sorted(env))
        return (f"Derive([{','.join(outs)}],[{','.join(ins)}],"
                f"[{','.join(_q(s) for s in sorted(self.sources))}],"
                f"{_q(self.system)},{_q(self.builder)},"
                f"[{','.join(_q(a) for a in self.args)}],[{envs}])")

    def hash_modulo(self) -> str:
        """The hex SHA-256 that output paths (and dependents' hashes) are computed from."""
        if self.is_fixed_output():
            o = self.outputs["out"]
            s = f"fixed:out:{o.hash_algo}:{o.hash}:{o.path}"
            return hashlib.sha256(s.encode()).hexdigest()
        text = self.to_aterm(replace_inputs=self.input_hashes)
        return hashlib.sha256(text.encode()).hexdigest()


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


_ESCAPE_TABLE = str.maketrans(_ESCAPES)


#: quoted forms of strings seen before: store paths and names recur in many .drv files
_QUOTED: dict[str, str] = {}


def _q(s: str) -> str:
    q = _QUOTED.get(s)
    if q is None:
        if len(_QUOTED) > 500_000:
            _QUOTED.clear()
        q = _QUOTED[s] = '"' + s.translate(_ESCAPE_TABLE) + '"'
    return q


def make_derivation(name: str, builder: str, args: list[str], *,
                    env_vars: dict[str, str] | None = None,
                    inputs: dict[str, tuple[list[str], str]] | None = None,
                    sources: list[str] | None = None,
                    outputs: list[str] | None = None,
                    system: str = "x86_64-linux",
                    hash: bytes | None = None, hash_algo: str = "sha256",
                    recursive: bool = False, store: str = STORE_DIR) -> Derivation:
    """Build a derivation as Guix's ``derivation`` procedure does.

    ``inputs`` maps input ``.drv`` paths to (outputs used, that derivation's
    hash modulo).  Output paths and the ``.drv`` path are computed.
    """
    outputs = outputs or ["out"]
    env = dict(env_vars or {})
    inputs = inputs or {}
    drv = Derivation(
        outputs={}, inputs={p: sorted(o) for p, (o, _) in inputs.items()},
        sources=sorted(set(sources or [])), system=system, builder=builder, args=list(args),
        env=env, name=name, input_hashes={p: h for p, (_, h) in inputs.items()})
    if hash is not None:
        algo = ("r:" if recursive else "") + hash_algo
        path = fixed_output_path(name, hash, hash_algo, recursive, store)
        drv.outputs["out"] = DerivationOutput(path, algo, hash.hex())
        env["out"] = path
    else:
        for o in outputs:
            drv.outputs[o] = DerivationOutput("")
            env[o] = ""
        h = drv.hash_modulo_masked()
        for o in outputs:
            p = output_path(name, o, h, store)
            drv.outputs[o].path = p
            env[o] = p
    text = drv.to_aterm()
    drv.path = text_path(name + ".drv", text, list(drv.inputs) + drv.sources, store)
    return drv


def _hash_masked(self: Derivation) -> str:
    text = self.to_aterm(replace_inputs=self.input_hashes)
    return hashlib.sha256(text.encode()).hexdigest()


Derivation.hash_modulo_masked = _hash_masked  # type: ignore[attr-defined]


# ------------------------------------------------------------------ parsing

_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|([\[\](),])|(Derive)')
_UNESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unq(s: str) -> str:
    return re.sub(r"\\(.)", lambda m: _UNESCAPES.get(m.group(1), m.group(1)), s)


def parse_aterm(text: str, path: str = "") -> Derivation:
    """Parse ``.drv`` text; ``ValueError`` if it is malformed."""
    pos = 0
    toks: list[tuple[str, str]] = []
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ValueError(f"malformed derivation at offset {pos}")
        if m.group(1) is not None:
            toks.append(("s", _unq(m.group(1))))
        elif m.group(2):
            toks.append(("p", m.group(2)))
        else:
            toks.append(("k", "Derive"))
        pos = m.end()
    it = iter(toks)

    def expect(v: str) -> None:
        t = next(it, None)
        if t is None or t[1] != v or t[0] == "s":
            raise ValueError(f"malformed derivation: expected {v!r}, got {t!r}")

    def string() -> str:
        t = next(it, None)
        if t is None or t[0] != "s":
            raise ValueError(f"malformed derivation: expected a string, got {t!r}")
        return t[1]

    def lst(item: object) -> list[object]:
        expect("[")
        out: list[object] = []
        t = next(it)
        while t[1] != "]" or t[0] == "s":
            if t[1] == "," and t[0] == "p":
                t = next(it)
                continue
            out.append(item(t))  # type: ignore[operator]
            t = next(it)
        return out

    def tuple_of(first: tuple[str, str], n: int, last_list: bool = False) -> list[object]:
        if first != ("p", "("):
            raise ValueError("malformed derivation: expected (")
        vals: list[object] = []
        for i in range(n):
            if i:
                expect(",")
            if last_list and i == n - 1:
                vals.append(lst(lambda t: t[1] if t[0] == "s" else _bad(t)))
            else:
                vals.append(string())
        expect(")")
        return vals

    def _bad(t: tuple[str, str]) -> str:
        raise ValueError(f"malformed derivation near {t!r}")

    expect("Derive")
    expect("(")
    outs = lst(lambda t: tuple_of(t, 4))
    expect(",")
    ins = lst(lambda t: tuple_of(t, 2, last_list=True))
    expect(",")
    srcs = lst(lambda t: t[1] if t[0] == "s" else _bad(t))
    expect(",")
    system = string()
    expect(",")
    builder = string()
    expect(",")
    args = lst(lambda t: t[1] if t[0] == "s" else _bad(t))
    expect(",")
    env = lst(lambda t: tuple_of(t, 2))
    expect(")")
    if next(it, None) is not None:
        raise ValueError("malformed derivation: trailing text")
    drv = Derivation(
        outputs={o[0]: DerivationOutput(o[1], o[2], o[3]) for o in outs},  # type: ignore[index]
        inputs={i[0]: list(i[1]) for i in ins},  # type: ignore[index]
        sources=list(srcs), system=system, builder=builder, args=list(args),  # type: ignore[arg-type]
        env={e[0]: e[1] for e in env}, path=path)  # type: ignore[index]
    if path:
        base = path.rsplit("/", 1)[-1]
        drv.name = base[33:].removesuffix(".drv")
    return drv
