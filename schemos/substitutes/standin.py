"""Stand-in substitutes: a signed cache of placeholder outputs for test and demo caches.

schemos cannot build packages, and no cache of Guix's has the outputs of
schemos' derivations (their hashes differ from Guix's, docs/store.md).  To
exercise substitution end to end -- ``schemos build --substitute-urls``,
``schemos weather``, the image builder -- :func:`publish_standins` makes,
for every derivation a :func:`schemos.store.realize.realize` of the roots
would have to substitute, a small *stand-in* output at the derivation's
output path, and publishes it signed to a binary cache.  Those are the
non-local derivations a demand-driven realize reaches (packages, locales,
downloads that local builds use) plus the builders' Guile and the compiled
modules; the local derivations are left to be built.

A stand-in is by default a directory holding ``share/schemos-standin/<name>``,
a text naming the derivation and output; ``content`` may write anything
else at the output's path.  Whatever the local builds will look at inside
a stand-in -- the file names under its output path that the builder
scripts, environments and text sources of the planned local derivations
mention, such as ``…-hurd-0.9/etc/motd`` which the ``etc`` file-union
checks with ``stat`` -- is added to a directory stand-in as a small file
(or a directory, when longer names go below it).  References between
stand-ins are found by scanning (as ``schemos publish`` does), so a
stand-in whose content names another stand-in's path refers to it.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from schemos.store.api import read_derivation
from schemos.store.derivation import Derivation
from schemos.store.disk import LocalStore
from schemos.store.nar import canonicalize_tree, remove_tree, temporary_sibling
from schemos.substitutes.pki import SecretKey

#: what makes a stand-in: (derivation, output name, path to create) -> None
Content = Callable[[Derivation, str, Path], None]


def default_content(drv: Derivation, output: str, path: Path) -> None:
    """A directory with ``share/schemos-standin/<name>`` saying what it stands for."""
    base = drv.outputs[output].path.rsplit("/", 1)[1]
    d = path / "share" / "schemos-standin"
    d.mkdir(parents=True)
    (d / base[33:]).write_text(f"stand-in for output '{output}' of {drv.path}\n",
                               encoding="utf-8")


#: the characters of a file name inside a store item, as builders write them
_SUBPATH = r"((?:/[A-Za-z0-9+\-._@=,~%]+)+)"
#: the largest text source scanned for file names inside stand-ins
_MAX_SCAN = 1 << 20


def mentioned_subpaths(store: LocalStore, drv_paths: Iterable[str],
                       outputs: Iterable[str]) -> dict[str, set[str]]:
    """Output path -> the relative file names under it that ``drv_paths`` mention.

    The builder script, environment and text sources of each derivation are
    scanned for ``OUTPUT/relative/name``.
    """
    outs = sorted(set(outputs), key=len, reverse=True)
    found: dict[str, set[str]] = {o: set() for o in outs}
    if not outs:
        return found
    pattern = re.compile("(" + "|".join(re.escape(o) for o in outs) + ")" + _SUBPATH)
    texts: list[str] = []
    for p in drv_paths:
        d = read_derivation(store, p)
        texts.extend(d.env.values())
        texts.extend(d.args)
        for src in d.sources:
            try:
                f = store.physical(src)
                if f.is_file() and not f.is_symlink() and f.stat().st_size <= _MAX_SCAN:
                    texts.append(f.read_bytes().decode("utf-8", "replace"))
            except OSError:
                continue
    for text in texts:
        for m in pattern.finditer(text):
            rel = m.group(2).rstrip("/.")
            parts = [x for x in rel.split("/") if x]
            if parts and ".." not in parts and "." not in parts:
                found[m.group(1)].add("/".join(parts))
    return found


def _add_subpaths(path: Path, names: set[str]) -> None:
    """Create the files ``names`` (relative) under the directory ``path`` if absent."""
    if not path.is_dir() or path.is_symlink():
        return
    dirs = {"/".join(n.split("/")[:i]) for n in names for i in range(1, n.count("/") + 1)}
    for rel in sorted(dirs):
        d = path / rel
        if not os.path.lexists(d):
            d.mkdir()
    for rel in sorted(names - dirs):
        f = path / rel
        if os.path.lexists(f) or not f.parent.is_dir():
            continue
        f.write_text(f"stand-in file {rel}\n", encoding="utf-8")


def lower_roots(store_root: str | Path, *, file: str | Path | None = None,
                expr: str | None = None, system: str | None = None,
                target: str | None = None, load_path: Iterable[str] = ()) -> list[str]:
    """Lower an operating-system ``file`` or an ``expr`` into the store at ``store_root``.

    As ``schemos build -d`` does (``system``, ``target``); returns the
    ``.drv`` paths of the roots a build realizes (for an operating system,
    the system's and grub.cfg's), the roots to give :func:`publish_standins`.
    """
    import argparse

    from schemos.cli import lower_command_line
    from schemos.interp import Interpreter
    from schemos.store import build

    if (file is None) == (expr is None):
        raise ValueError("give a file or an expression")
    interp = Interpreter(load_path=list(load_path))
    args = argparse.Namespace(file=None if file is None else str(file), expr=expr,
                              system=system, target=target)
    with build.open_store(store_root, interp=interp) as store:
        roots, _, _ = lower_command_line(args, interp, store)
    return [d.path for d in roots]


def standin_derivations(drv_paths: Iterable[Derivation | str],
                        store_root: str | Path) -> list[str]:
    """The ``.drv`` files realizing ``drv_paths`` (in the store at ``store_root``) substitutes."""
    from schemos.store.realize import plan_substitutes

    with LocalStore(store_root) as store:
        return plan_substitutes(store, drv_paths)


def _named_outputs(path: Path, store_dir: str) -> set[str]:
    """The hash parts of the store items (not ``.drv`` files) named in the item at ``path``."""
    pattern = re.compile(re.escape(store_dir.encode()) + rb"/([0-9a-df-np-sv-z]{32})-"
                         rb"([A-Za-z0-9+\-._?=]+)")
    found: set[str] = set()
    files = ([os.path.join(d, x) for d, _dirs, fs in os.walk(path) for x in fs]
             if path.is_dir() else [str(path)])
    for f in files:
        if os.path.islink(f) or not os.path.isfile(f) or os.path.getsize(f) > _MAX_SCAN:
            continue
        with open(f, "rb") as fh:
            for m in pattern.finditer(fh.read()):
                if not m.group(2).endswith(b".drv"):
                    found.add(m.group(1).decode())
    return found


def _outputs_below(store: LocalStore, roots: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Hash part -> (output path, ``.drv``) for every output of the derivations
    ``roots`` lead to through their inputs."""
    n = len(store.store_dir) + 1
    out: dict[str, tuple[str, str]] = {}
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        d = read_derivation(store, p)
        for o in d.outputs.values():
            out[o.path[n:n + 32]] = (o.path, p)
        todo.extend(d.inputs)
    return out


def publish_standins(drv_paths: Iterable[Derivation | str], cache_dir: str | Path,
                     key: SecretKey, *, store_root: str | Path,
                     content: Content | None = None,
                     standin_store: str | Path | None = None,
                     compressions: Iterable[tuple[str, int | None]] = (("gzip", None),),
                     host: str = "schemos-standin") -> list[str]:
    """Publish stand-in outputs for what realizing ``drv_paths`` would substitute.

    ``drv_paths`` are ``.drv`` store paths (or derivations) of the store at
    ``store_root``, lowered there by ``schemos build -d``; what a realize
    would substitute is computed against that store (outputs valid there
    are left out).  Each output is made by ``content`` (default:
    :func:`default_content`) in ``standin_store`` (default: a temporary
    directory, removed afterwards), made read-only, and published to
    ``cache_dir`` signed with ``key`` with its deriver and the references
    found by scanning; a directory stand-in also gets the file names under
    it that the local builds of the plan mention.  Returns the output paths
    published, sorted.

    A stand-in may name outputs of derivations below its own that are not
    stand-ins -- a compiled shepherd service naming the disk image its
    source names (see :func:`schemos.image.testcache.standin_content`):
    those are references too, and what realizing them needs is planned and
    published as well, as :func:`schemos.store.realize.realize` will build
    them before it substitutes the stand-in.
    """
    from schemos.store.realize import plan, scan_references
    from schemos.substitutes.publish import publish_item, write_cache_info

    make = content or default_content
    tmp = None
    if standin_store is None:
        tmp = tempfile.mkdtemp(prefix="schemos-standins-")
        standin_store = tmp
    root = Path(standin_store)
    root.mkdir(parents=True, exist_ok=True)
    made: dict[str, str] = {}                     # output path -> deriver
    works: dict[str, Path] = {}                   # output path -> stand-in being made
    below: dict[str, set[str]] = {}               # output path -> non-stand-ins it names
    try:
        with LocalStore(store_root) as store:
            n = len(store.store_dir) + 1
            roots = list(drv_paths)
            states = plan(store, roots)
            done: set[str] = set()
            graph: dict[str, tuple[str, str]] | None = None
            while True:
                todo = [p for p, st in sorted(states.items()) if st == "missing"
                        and p not in done]
                if not todo:
                    break
                new_roots: list[str] = []
                for p in todo:
                    done.add(p)
                    d = read_derivation(store, p)
                    for name in sorted(d.outputs):
                        out = d.outputs[name].path
                        if out in made:
                            continue
                        made[out] = d.path
                        target = root / out.rsplit("/", 1)[1]
                        if not os.path.lexists(target):
                            work = temporary_sibling(target)
                            works[out] = work
                            make(d, name, work)
                        else:
                            work = target
                        named = _named_outputs(work, store.store_dir) - {out[n:n + 32]}
                        if not named:
                            continue
                        if graph is None:
                            graph = _outputs_below(store, [r if isinstance(r, str) else r.path
                                                           for r in roots])
                        for h in sorted(named):
                            if h not in graph:
                                continue
                            path, drv = graph[h]
                            below.setdefault(out, set()).add(path)
                            if drv not in states:
                                new_roots.append(drv)
                if new_roots:
                    for q, st in plan(store, new_roots).items():
                        states.setdefault(q, st)
            wanted = mentioned_subpaths(
                store, [p for p, st in states.items() if st == "build"], list(made))
        for out, work in works.items():
            target = root / out.rsplit("/", 1)[1]
            try:
                _add_subpaths(work, wanted.get(out, set()))
                canonicalize_tree(work)
                os.rename(work, target)
            except BaseException:
                remove_tree(work)
                raise
        works.clear()
        candidates = {out[n:n + 32]: out for out in made}
        for paths in below.values():
            candidates.update((q[n:n + 32], q) for q in paths)
        write_cache_info(cache_dir)
        comps = list(compressions)
        for out, deriver in sorted(made.items()):
            item = root / out.rsplit("/", 1)[1]
            publish_item(item, cache_dir, key, compressions=comps,
                         references=scan_references(item, candidates),
                         deriver=deriver, store_root=root, host=host)
        return sorted(made)
    finally:
        for work in works.values():
            remove_tree(work)
        if tmp is not None:
            remove_tree(tmp)
