"""Realizing what can be built locally: the text and computed files of a system.

A derivation is *local* when its builder is Guile running a builder script
(``gexp->derivation``'s shape) and every derivation it needs is local too,
but for two: the Guile that would run the script, and the compiled modules
(``module-import-compiled``) -- schemos runs the script itself and loads the
imported modules' sources.  ``sshd_config``, ``grub.cfg``, the shepherd
configuration files and the other files computed from the configuration are
local; packages and downloads are not: they need a Guix daemon or
substitutes, and :func:`realize` reports them.

Each build runs ``python -m schemos.store.builder`` in a child process with
an empty environment (``out`` and the other outputs, ``NIX_STORE``,
``HOME=/homeless-shelter``, ``TMPDIR`` pointing at the build directory), in a
fresh build directory, and, where Linux user namespaces are available
(``unshare``), without network.  The store is not mounted at ``/gnu/store``
(that would need privileges or an existing ``/gnu/store``): the builder
script and environment have the store's physical root in place of
``/gnu/store``, and the output's file contents and symbolic links are
rewritten back to ``/gnu/store`` once built.  This is enough for the text
files and symlink trees of a system's configuration; it would corrupt
binaries, which are never built here.

The output is then made read-only with mtime 1, hashed and registered with
its references (the store items whose hash part occurs in it) and deriver.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from schemos.store.api import read_derivation
from schemos.store.derivation import Derivation
from schemos.store.disk import LocalStore, _Registration
from schemos.store.nar import canonicalize_tree, nar_hash, remove_tree

#: seconds a single builder may run
TIMEOUT = 300


@dataclass
class Report:
    """What :func:`realize` did."""

    built: list[str] = field(default_factory=list)        #: output paths built now
    valid: list[str] = field(default_factory=list)        #: outputs that were there already
    substitutes: list[str] = field(default_factory=list)  #: .drv files needing a daemon
    failed: dict[str, str] = field(default_factory=dict)  #: .drv -> error message


def _is_guile_builder(d: Derivation) -> bool:
    return d.builder.endswith("/bin/guile") and bool(d.args) and \
        d.args[0] == "--no-auto-compile"


def _skippable(d: Derivation) -> bool:
    # compiled modules are an optimisation of Guile; schemos loads sources
    return d.name == "module-import-compiled"


def _guile_input(store: LocalStore, d: Derivation) -> str | None:
    """The input derivation whose output is the Guile running ``d``'s builder."""
    guile_out = d.builder[: -len("/bin/guile")]
    for p in d.inputs:
        if any(o.path == guile_out for o in read_derivation(store, p).outputs.values()):
            return p
    return None


def classify(store: LocalStore, root: Derivation) -> dict[str, str]:
    """For every derivation in ``root``'s closure: "local", "skip" or "substitute"."""
    kinds: dict[str, str] = {}

    def visit(path: str) -> str:
        k = kinds.get(path)
        if k is not None:
            return k
        kinds[path] = "visiting"
        d = read_derivation(store, path)
        if _skippable(d):
            kinds[path] = "skip"
            for p in d.inputs:
                visit(p)
            return "skip"
        local = _is_guile_builder(d)
        guile = _guile_input(store, d) if local else None
        for p in sorted(d.inputs):
            sub = visit(p)
            if p == guile or sub == "skip":
                continue
            if sub != "local" and not all(store.is_valid(o.path) for o in
                                          read_derivation(store, p).outputs.values()):
                local = False
        kinds[path] = "local" if local else "substitute"
        return kinds[path]

    visit(root.path)
    return kinds


def _order(store: LocalStore, root: Derivation) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()

    def visit(p: str) -> None:
        if p in seen:
            return
        seen.add(p)
        for i in sorted(read_derivation(store, p).inputs):
            visit(i)
        out.append(p)
    visit(root.path)
    return out


def realize(store: LocalStore, roots: list[Derivation], *, isolate: bool = True) -> Report:
    """Build every local derivation needed by ``roots`` whose outputs are missing."""
    report = Report()
    store.flush()
    done: set[str] = set()
    for root in roots:
        kinds = classify(store, root)
        for p in _order(store, root):
            if p in done:
                continue
            done.add(p)
            d = read_derivation(store, p)
            kind = kinds.get(p)
            outs = [o.path for o in d.outputs.values()]
            if all(store.is_valid(o) for o in outs):
                if kind == "local":
                    report.valid.extend(outs)
                continue
            if kind == "skip":
                continue
            if kind != "local":
                if p not in report.substitutes:
                    report.substitutes.append(p)
                continue
            if p in report.failed:
                continue
            try:
                build(store, d, isolate=isolate)
                report.built.extend(outs)
            except NeedsSubstitute:
                report.substitutes.append(p)
            except BuildError as e:
                report.failed[p] = str(e)
    store.flush()
    return report


class BuildError(Exception):
    """A local build failed."""


class NeedsSubstitute(BuildError):
    """A local build produced an output referring to items only a daemon can build."""


def _unshare() -> list[str]:
    """The command prefix that drops the network, if user namespaces work here."""
    exe = shutil.which("unshare")
    if exe is None:
        return []
    try:
        r = subprocess.run([exe, "--user", "--map-root-user", "--net", "true"],
                           capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [exe, "--user", "--map-root-user", "--net"] if r.returncode == 0 else []


_UNSHARE: list[list[str]] = []


def build(store: LocalStore, d: Derivation, *, isolate: bool = True) -> None:
    """Run ``d``'s builder script under schemos and register its outputs."""
    assert store.root is not None
    root = str(store.root)
    prefix = store.store_dir + "/"

    def phys(s: str) -> str:
        return s.replace(prefix, root + "/")

    script = d.args[-1]
    load_path = [d.args[i + 1] for i, a in enumerate(d.args[:-1]) if a == "-L"]
    with tempfile.TemporaryDirectory(prefix=f"schemos-build-{d.name}-") as tmp:
        build_dir = Path(tmp) / "build"
        build_dir.mkdir()
        text = store.physical(script).read_text(encoding="utf-8")
        builder = Path(tmp) / "builder.scm"
        builder.write_text(phys(text), encoding="utf-8")
        env = {"PATH": "/no-such-path", "HOME": "/homeless-shelter",
               "NIX_STORE": root, "TMPDIR": str(build_dir), "TEMP": str(build_dir),
               "TMP": str(build_dir), "NIX_BUILD_TOP": str(build_dir),
               "PYTHONDONTWRITEBYTECODE": "1", "SCHEMOS_NO_CACHE": "1"}
        for k, v in d.env.items():
            env[k] = phys(v)
        outputs = {name: store.physical(o.path) for name, o in d.outputs.items()}
        for p in outputs.values():
            if os.path.lexists(p):
                remove_tree(p)  # a leftover of an interrupted build; not valid
        cmd = [sys.executable, "-m", "schemos.store.builder", str(builder),
               *[phys(p) for p in load_path]]
        if isolate:
            if not _UNSHARE:
                _UNSHARE.append(_unshare())
            cmd = _UNSHARE[0] + cmd
        pythonpath = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = pythonpath
        r = subprocess.run(cmd, cwd=build_dir, env=env, capture_output=True, text=True,
                           timeout=TIMEOUT, check=False)
        if r.returncode != 0:
            for p in outputs.values():
                remove_tree(p)
            msg = (r.stderr or r.stdout).strip()
            raise BuildError(f"builder of {d.path} failed:\n" + (msg[-2000:] if msg else
                                                                    f"status {r.returncode}"))
        missing = [n for n, p in outputs.items() if not os.path.lexists(p)]
        if missing:
            raise BuildError(f"builder of {d.path} did not produce output "
                             + ", ".join(missing))
    candidates = _reference_candidates(store, d)
    own = {o.path for o in d.outputs.values()}
    regs = []
    for name, p in outputs.items():
        _unrewrite(p, root + "/", prefix)
        canonicalize_tree(p)
        digest, size = nar_hash(p)
        refs = _scan(p, candidates)
        missing = [r for r in refs if r not in own and not store.is_valid(r)]
        if missing:
            # typically the compiled modules, which only Guile can build
            for q in outputs.values():
                remove_tree(q)
            raise NeedsSubstitute(f"{d.path}: its output refers to "
                                  + ", ".join(missing) + ", which cannot be built here")
        regs.append(_Registration(d.outputs[name].path, digest, size, refs,
                                  deriver=d.path))
    for reg in regs:
        store._register(reg)
    store.flush()


def _reference_candidates(store: LocalStore, d: Derivation) -> dict[str, str]:
    """Hash part -> store path of what the output may refer to: inputs and itself."""
    out: dict[str, str] = {}
    for s in d.sources:
        out[s[len(store.store_dir) + 1:][:32]] = s
    for p, names in d.inputs.items():
        sub = read_derivation(store, p)
        for n in names:
            path = sub.outputs[n].path
            out[path[len(store.store_dir) + 1:][:32]] = path
    for o in d.outputs.values():
        out[o.path[len(store.store_dir) + 1:][:32]] = o.path
    return out


def _scan(path: Path, candidates: dict[str, str]) -> list[str]:
    """The candidates whose hash part occurs in the item at ``path``."""
    found: set[str] = set()
    needles = {h.encode(): p for h, p in candidates.items()}

    def check(data: bytes) -> None:
        for h, p in needles.items():
            if h in data:
                found.add(p)

    def visit(f: str) -> None:
        if os.path.islink(f):
            check(os.fsencode(os.readlink(f)))
        elif os.path.isfile(f):
            check(Path(f).read_bytes())

    if path.is_dir() and not path.is_symlink():
        for dirpath, dirs, files in os.walk(path):
            for n in dirs + files:
                visit(os.path.join(dirpath, n))
    else:
        visit(str(path))
    return sorted(found)


def _unrewrite(path: Path, physical: str, logical: str) -> None:
    """Put ``/gnu/store/`` back where the build wrote the physical root."""
    pb, lb = physical.encode(), logical.encode()

    def fix(f: str) -> None:
        if os.path.islink(f):
            t = os.readlink(f)
            if physical in t:
                os.unlink(f)
                os.symlink(t.replace(physical, logical), f)
        elif os.path.isfile(f):
            data = Path(f).read_bytes()
            if pb in data:
                mode = os.stat(f).st_mode
                os.chmod(f, mode | 0o200)
                Path(f).write_bytes(data.replace(pb, lb))
                os.chmod(f, mode)

    if path.is_dir() and not path.is_symlink():
        for dirpath, dirs, files in os.walk(path):
            for n in dirs + files:
                fix(os.path.join(dirpath, n))
    else:
        fix(str(path))
