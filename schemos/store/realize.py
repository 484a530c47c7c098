"""Realizing derivations: outputs already valid, substituted, or built here.

:func:`realize` makes the outputs of some derivations valid, demand-driven
from those roots, visiting each derivation needed in dependency order:

1. outputs already valid: done;
2. else, given substitute URLs, a server validly offers *all* its outputs
   (a narinfo signed by a key of the ACL): they are fetched with their
   reference closures and registered -- its inputs are not needed;
3. else, if it is *local* (below), its inputs are realized the same way,
   then its builder is run here;
4. else it is *missing*: it needs a Guix daemon, or a cache that has it.

A derivation is *local* when its builder is Guile running a builder script
(``gexp->derivation``'s shape) that loads no build-side module schemos
only has a placeholder for: ``sshd_config``, ``grub.cfg``, the shepherd
configuration files, ``file-union``s such as the system itself, profiles
(schemos ships a build-side ``(guix build profiles)``) are local; packages
(``(guix build gnu-build-system)``), locales and downloads are not.  Two
inputs of a local derivation are optional: the Guile that would run the
builder and the compiled modules (``module-import-compiled``) -- schemos runs
the script itself and loads the imported modules' sources -- so they are
substituted when a server offers them and skipped otherwise, unless the
output refers to them (a Scheme file whose load path names the compiled
modules), in which case they are missing.

Narinfos are looked up a level of the graph at a time with a pool of
threads, and each is asked once per run.

Each build runs in a child process with an empty environment (``out`` and
the other outputs, ``NIX_STORE``, ``HOME=/homeless-shelter``, ``TMPDIR``
pointing at the build directory), in a fresh build directory, and, where
Linux user namespaces are available (``unshare``), without network.  The
child is forked by a build server (:class:`schemos.store.builder.BuildServer`),
started once per :func:`realize`, which has imported schemos and loaded the
modules builders use, so a build costs milliseconds instead of a Python
start-up; ``python -m schemos.store.builder`` in a fresh process is the
fallback (``fork_server=False``, ``SCHEMOS_FORK_SERVER=0``, a derivation
setting variables Python reads as it starts, a server whose children cannot
enter namespaces where ``unshare`` can).  Up to ``max_jobs`` builds run at
once, in an order that starts the longest chains first; the outputs and the
report do not depend on it.  A derivation with ``#:references-graphs``
(``exportReferencesGraph``) finds in its build directory, as with the daemon,
a file describing the reference closure of each item named there
(:func:`reference_graph`).  The store is not mounted at ``/gnu/store``
(that would need privileges or an existing ``/gnu/store``): the builder
script and environment have the store's physical root in place of
``/gnu/store``, and the symbolic links and text files of the output are
rewritten back to ``/gnu/store`` once built.  Binary files (a disk image)
are never rewritten, which would shift their bytes; one that names the
physical root fails the build.

The output is then made read-only with mtime 1, hashed and registered with
its references (the store items of the inputs' closure whose hash part
occurs in it, found by a streaming scan) and deriver.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemos.errors import Condition, SchemeError
from schemos.store.api import read_derivation
from schemos.store.derivation import Derivation
from schemos.store.disk import LocalStore, StoreError, _Registration
from schemos.store.nar import canonicalize_tree, nar_hash, remove_tree

#: seconds a single builder may run
TIMEOUT = 300
#: the text that marks a build-side module schemos does not ship (lower.placeholder_module)
_PLACEHOLDER = b"schemos does not ship its source"


@dataclass
class Report:
    """What :func:`realize` did."""

    built: list[str] = field(default_factory=list)        #: output paths built now
    substituted: list[str] = field(default_factory=list)  #: items fetched (with references)
    valid: list[str] = field(default_factory=list)        #: outputs that were there already
    #: .drv -> its outputs that nothing could provide (no valid substitute, not local)
    missing: dict[str, list[str]] = field(default_factory=dict)
    blocked: list[str] = field(default_factory=list)      #: local .drv not built: inputs missing
    failed: dict[str, str] = field(default_factory=dict)  #: .drv -> error message
    #: output path -> why no server's substitute could be used
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def substitutes(self) -> list[str]:
        """The ``.drv`` files needing a daemon or substitutes (:attr:`missing`), sorted."""
        return sorted(self.missing)

    def missing_items(self) -> list[tuple[str, str]]:
        """Every missing (``.drv``, output path) pair, sorted."""
        return sorted((d, o) for d, outs in self.missing.items() for o in outs)

    def missing_error(self, substitute_urls: Iterable[str] = ()) -> SchemeError:
        """The ``missing-items`` condition listing every missing item and how to get it."""
        urls = list(substitute_urls)
        lines = []
        for drv, out in self.missing_items():
            why = self.reasons.get(out)
            lines.append(f"  {drv} -> {out}" + (f"\n      {why}" if why else ""))
        n = len(self.missing)
        msg = (f"{n} derivation{'s' if n != 1 else ''} cannot be realized: no substitute "
               + (f"from {' '.join(urls)} " if urls else "(no substitute URLs) ")
               + "and not buildable here:\n" + "\n".join(lines))
        if self.blocked:
            msg += (f"\n{len(self.blocked)} local derivation(s) were not built because of "
                    "them")
        hint = ("pass '--substitute-urls URL' with a binary cache that has them (signed by a "
                "key in the ACL, see 'schemos archive --authorize'), publish them from a store "
                "that has them with 'schemos publish', or build them with a Guix daemon")
        return SchemeError(Condition("missing-items", msg, hint=hint))


def _is_guile_builder(d: Derivation) -> bool:
    return d.builder.endswith("/bin/guile") and bool(d.args) and \
        d.args[0] == "--no-auto-compile"


def _is_compiled_modules(d: Derivation) -> bool:
    # compiled modules are an optimisation of Guile; schemos loads sources
    return d.name == "module-import-compiled"



def _guile_input(store: LocalStore, d: Derivation) -> str | None:
    """The input derivation whose output is the Guile running ``d``'s builder."""
    if not d.builder.endswith("/bin/guile"):
        return None
    guile_out = d.builder[: -len("/bin/guile")]
    for p in d.inputs:
        if any(o.path == guile_out for o in read_derivation(store, p).outputs.values()):
            return p
    return None


#: procedures that run programs: a builder calling them needs the packages' binaries
_RUNS_PROGRAMS = frozenset({"invoke", "system*", "system", "execl", "execlp", "execle",
                            "open-pipe", "open-pipe*", "open-input-pipe", "compile-file",
                            "primitive-fork", "spawn"})


def _builder_needs(script: str) -> tuple[list[str], bool]:
    """The module files (``guix/build/utils.scm``) a builder script's ``use-modules``
    load, and whether it calls a procedure that runs programs (``invoke``…).

    Quoted data (the code a ``scheme-file`` builder writes out) is not looked at.
    """
    from schemos.datum import Pair, Symbol
    from schemos.reader import read_all

    quote, use = Symbol("quote"), Symbol("use-modules")
    runs = {Symbol(n) for n in _RUNS_PROGRAMS}
    out: list[str] = []
    programs = False
    stack: list[Any] = list(read_all(script))
    while stack:
        x = stack.pop()
        if type(x) is Symbol:
            programs = programs or x in runs
            continue
        if type(x) is not Pair:
            continue
        if x.car is quote:
            continue
        if x.car is use:
            for spec in x.cdr if type(x.cdr) is Pair else ():
                name = spec.car if type(spec) is Pair and type(spec.car) is Pair else spec
                parts = list(name) if type(name) is Pair else []
                if parts and all(type(p) is Symbol for p in parts):
                    out.append("/".join(p.name for p in parts) + ".scm")
            continue
        p: Any = x
        while type(p) is Pair:
            stack.append(p.car)
            p = p.cdr
        if type(p) is Symbol:
            stack.append(p)
    return out, programs


_KNOWN: set[str] = set()


def _schemos_has_module(rel: str) -> bool:
    """True if schemos itself provides the module of file ``rel`` (``srfi/srfi-1.scm``).

    That is a builtin module, a module written in Python -- including the
    ``(schemos foo-bar)`` modules that the Python module ``schemos.foo_bar``
    registers when imported, such as the build side ``(schemos build image)``
    -- or a file of ``stdlib/``.
    """
    from schemos.modsys import PYTHON_MODULES
    from schemos.paths import STDLIB_DIR

    if not _KNOWN:
        from schemos import interp

        interp._load_primitives()
        _KNOWN.update("/".join(n.split()) + ".scm" for n in interp._BUILTIN_MODULES)
    if rel in _KNOWN or (STDLIB_DIR / rel).is_file():
        return True
    parts = tuple(rel[:-len(".scm")].split("/")) if rel.endswith(".scm") else ()
    if parts and parts[0] == "schemos" and len(parts) > 1 and parts not in PYTHON_MODULES:
        # as the module system finds (schemos foo-bar): import schemos.foo_bar
        import importlib

        try:
            importlib.import_module("schemos." + "_".join(parts[1:]).replace("-", "_"))
        except ImportError:
            pass
    if parts in PYTHON_MODULES:
        _KNOWN.add(rel)
        return True
    return False


def derivation_kind(store: LocalStore, d: Derivation) -> str:
    """How ``d`` can be realized here besides substitutes.

    ``"local"``: schemos can run its builder; ``"compiled"``: compiled Guile
    modules, never built here (optional for the builders that use them);
    ``"external"``: a package, download or other build that needs a daemon.
    """
    key = ("realize-kind", d.path)
    kind = store.cache.get(key)
    if kind is not None:
        return kind
    if _is_compiled_modules(d):
        kind = "compiled"
    elif not _is_guile_builder(d):
        kind = "external"
    else:
        kind = "local" if _runnable(store, d) else "external"
    store.cache[key] = kind
    return kind


def _runnable(store: LocalStore, d: Derivation) -> bool:
    """True if schemos can run ``d``'s builder script.

    It must run no program (the packages' binaries are not run here), and
    each module it loads must be in its module path (not as a placeholder
    for a module schemos does not ship) or provided by schemos itself.
    """
    try:
        script = store.read_text(d.args[-1]).decode("utf-8")
        modules, programs = _builder_needs(script)
    except (StoreError, SchemeError, UnicodeDecodeError, ValueError):
        return False
    if programs:
        return False
    load_path = [d.args[i + 1] for i, a in enumerate(d.args[:-1]) if a == "-L"]
    for rel in modules:
        found = False
        for directory in load_path:
            try:
                f = store.physical(directory) / rel
                with open(f, "rb") as fh:
                    head = fh.read(512)
            except (StoreError, OSError):
                continue
            if _PLACEHOLDER in head:
                return False
            found = True
            break
        if not found and not _schemos_has_module(rel):
            return False
    return True


def _substitutable(d: Derivation, kind: str) -> bool:
    """False for local derivations that disable substitutes (``#:substitutable? #f``).

    A derivation schemos cannot build (the shepherd's compiled ``.go``
    files, which need Guile's compiler) is substituted even so: a daemon
    would build it, and here substitutes are the only way.
    """
    return kind != "local" or d.env.get("allowSubstitutes") != "0"


@dataclass
class _Node:
    drv: Derivation
    kind: str
    state: str = ""                                   # valid|substitute|build|missing
    required: bool = False                            # reached by a non-optional edge
    optional_inputs: set[str] = field(default_factory=set)
    #: local derivations to build before substituting: they make items the
    #: substitutes refer to that no server offers
    before: list[str] = field(default_factory=list)


class _Realizer:
    """One run of :func:`realize`: the plan, then the work in dependency order."""

    def __init__(self, store: LocalStore, *, isolate: bool, substitute_urls: Iterable[str],
                 acl: Iterable[Any] | None, progress: Callable[[str], None] | None,
                 explore: bool = False, max_jobs: int | None = None,
                 fork_server: bool | None = None) -> None:
        self.store = store
        #: also visit the inputs of missing derivations, to build the local ones there
        self.explore = explore
        self.isolate = isolate
        #: local builds run at once
        self.jobs = max(1, max_jobs if max_jobs is not None else default_jobs())
        self.fork_server = use_fork_server() if fork_server is None else fork_server
        self.runner: _Runner | None = None
        #: .drv -> (future of its builder's outcome, its job), builds running
        self.running: dict[str, tuple[Any, _Job]] = {}
        #: output path -> .drv, for the builds running
        self.running_outputs: dict[str, str] = {}
        self.pool: Any = None
        self.index: dict[str, int] = {}
        self.progress = progress
        self.report = Report()
        self.nodes: dict[str, _Node] = {}
        #: substituted derivations whose references were checked
        self._checked: set[str] = set()
        self.urls = list(substitute_urls)
        self.subst: Any = None
        if self.urls:
            from schemos.substitutes.client import Substituter

            assert store.root is not None
            self.subst = Substituter(self.urls, store.root, list(acl or []),
                                     store_dir=store.store_dir, store=store, log=progress)

    def _say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    # ----------------------------------------------------------- planning
    def plan(self, roots: list[str]) -> None:
        """Decide, level by level from ``roots``, what happens to each derivation.

        Then, for the derivations to substitute whose substitutes refer to
        items no server offers, the derivations below them that make those
        items are planned too (:meth:`_unoffered_references`), and so on.
        """
        frontier = list(roots)
        while frontier:
            self._plan_levels(frontier)
            frontier = [p for p in self._unoffered_references() if p not in self.nodes]
        self._mark_required(roots)

    def _plan_levels(self, frontier: list[str]) -> None:
        while frontier:
            new: list[str] = []
            for p in frontier:
                if p not in self.nodes:
                    d = read_derivation(self.store, p)
                    self.nodes[p] = _Node(d, derivation_kind(self.store, d))
                    new.append(p)
            ask = []
            for p in new:
                node = self.nodes[p]
                outs = [o.path for o in node.drv.outputs.values()]
                if all(self.store.is_valid(o) for o in outs):
                    node.state = "valid"
                elif self.subst is not None and _substitutable(node.drv, node.kind):
                    ask.extend(o for o in outs if not self.store.is_valid(o))
            if ask:
                self.subst.prefetch(ask)
            nxt: dict[str, None] = {}
            for p in new:
                node = self.nodes[p]
                if node.state == "valid":
                    continue
                d = node.drv
                outs = [o.path for o in d.outputs.values() if not self.store.is_valid(o.path)]
                allowed = _substitutable(d, node.kind)
                if self.subst is not None and allowed and \
                        all(self.subst.offered(o) for o in outs):
                    node.state = "substitute"
                    continue
                if self.subst is not None:
                    for o in outs:
                        why = self.subst.refusal(o) if allowed else \
                            "its derivation disallows substitutes"
                        if why:
                            self.report.reasons[o] = why
                if node.kind != "local":
                    node.state = "missing"
                    if self.explore:
                        nxt.update(dict.fromkeys(sorted(d.inputs)))
                    continue
                node.state = "build"
                guile = _guile_input(self.store, d)
                for i in sorted(d.inputs):
                    if i == guile or derivation_kind(
                            self.store, read_derivation(self.store, i)) == "compiled":
                        node.optional_inputs.add(i)
                    nxt[i] = None
            frontier = [p for p in nxt if p not in self.nodes]

    def _unoffered_references(self) -> list[str]:
        """Derivations making the items that planned substitutes need and no server offers.

        A substitute can only be fetched with its references.  When one of
        them is neither valid nor offered, the daemon would build the
        derivation instead; schemos, which cannot build most derivations,
        looks below it for the derivation whose output that item is, to
        realize it first (built when it is local): the childhurd's compiled
        shepherd service, substituted, refers to the disk image, which is
        built here.  Returns the derivations found, recorded in the
        :attr:`_Node.before` of the substituted ones.
        """
        if self.subst is None:
            return []
        found: list[str] = []
        for node in list(self.nodes.values()):
            if node.state != "substitute" or node.drv.path in self._checked:
                continue
            self._checked.add(node.drv.path)
            missing = self._unoffered_closure([o.path for o in node.drv.outputs.values()])
            if not missing:
                continue
            producers = _producers(self.store, node.drv, missing)
            node.before = sorted(set(producers.values()))
            found.extend(node.before)
        return list(dict.fromkeys(found))

    def _unoffered_closure(self, items: list[str]) -> set[str]:
        """The items the substitutes of ``items`` refer to, directly or not, that are
        neither valid nor offered by any server."""
        assert self.subst is not None
        missing: set[str] = set()
        seen: set[str] = set()
        todo = [i.rsplit("/", 1)[-1] for i in items]
        while todo:
            b = todo.pop()
            if b in seen or self.subst.valid(b):
                continue
            seen.add(b)
            if not self.subst.offered(b):
                missing.add(f"{self.store.store_dir}/{b}")
                continue
            _client, info = self.subst.lookup(b)
            todo.extend(r for r in info.references if r != b)
        return missing

    def _mark_required(self, roots: list[str]) -> None:
        """Required: reached from a root through non-optional inputs of local builds
        (and the derivations built before a substitution)."""
        stack = list(roots)
        while stack:
            p = stack.pop()
            node = self.nodes[p]
            if node.required:
                continue
            node.required = True
            if node.state == "build":
                stack.extend(i for i in node.drv.inputs if i not in node.optional_inputs)
            stack.extend(node.before)

    def _deps(self, p: str) -> list[str]:
        """What is realized before ``p``: the inputs of a build, the derivations
        built before a substitution."""
        node = self.nodes[p]
        deps = list(node.before)
        if node.state == "build" or (self.explore and node.state == "missing"):
            deps[:0] = sorted(node.drv.inputs)
        return deps

    def _order(self, roots: list[str]) -> list[str]:
        """The planned derivations, inputs first: the longest chains of work first.

        A depth-first walk from the roots gives an order with inputs first;
        sorting it by the length of the longest chain of derivations above
        each one (most first; ties in walk order) still has inputs first,
        and starts early the builds many others wait for, so that more of
        them can run at once.
        """
        out: list[str] = []
        seen: set[str] = set()
        for root in roots:
            stack: list[tuple[str, bool]] = [(root, False)]
            while stack:
                p, expanded = stack.pop()
                if expanded:
                    out.append(p)
                    continue
                if p in seen:
                    continue
                seen.add(p)
                stack.append((p, True))
                for i in reversed(self._deps(p)):
                    if i not in seen:
                        stack.append((i, False))
        height = dict.fromkeys(out, 0)
        for p in reversed(out):               # dependents before their inputs
            for i in self._deps(p):
                height[i] = max(height[i], height[p] + 1)
        index = {p: n for n, p in enumerate(out)}
        return sorted(out, key=lambda p: (-height[p], index[p]))

    # ------------------------------------------------------------ working
    def _available(self, p: str) -> bool:
        return self.nodes[p].state in ("valid", "substitute", "built")

    def run(self, roots: list[str]) -> Report:
        """Plan, then substitute and build in dependency order.

        Builds run concurrently, up to :attr:`jobs` at a time: each starts, in
        the order of :meth:`_order`, once the builds it depends on have
        finished; substitutions run here, between, once the builds they
        depend on have finished.  The report lists what happened in that
        order, whatever the order builds finished in.
        """
        self.plan(roots)
        order = self._order(roots)
        self.index = {p: i for i, p in enumerate(order)}
        if any(self.nodes[p].state == "build" for p in order):
            # started now: it warms up while the first substitutions run
            self.runner = _Runner(isolate=self.isolate, fork_server=self.fork_server)
        for p in order:
            node = self.nodes[p]
            d = node.drv
            outs = [o.path for o in d.outputs.values()]
            if node.state == "valid":
                self.report.valid.extend(outs)
            elif node.state == "substitute":
                self._wait_for(node.before)
                self._wait_for(self._fetched_by(outs))
                self._substitute(node, outs)
            elif node.state == "build":
                self._wait_for(d.inputs)
                while len(self.running) >= self.jobs:
                    self._collect()
                self._build(node, outs)
        while self.running:
            self._collect()
        for p, node in self.nodes.items():
            if node.state == "missing" and node.required:
                self.report.missing[p] = [o.path for o in node.drv.outputs.values()
                                          if not self.store.is_valid(o.path)]
        # in the order of the plan, whatever the order builds finished in
        self.report.built = [o.path for p in order if self.nodes[p].state == "built"
                             for o in self.nodes[p].drv.outputs.values()]
        self.report.blocked = [p for p in order if self.nodes[p].state == "blocked"]
        self.report.failed = {p: self.report.failed[p] for p in order
                              if p in self.report.failed}
        self.store.flush()
        return self.report

    def _fetched_by(self, items: list[str]) -> list[str]:
        """The running builds making items a substitution of ``items`` may fetch."""
        if not self.running or self.subst is None:
            return []
        found: list[str] = []
        seen: set[str] = set()
        todo = [i.rsplit("/", 1)[-1] for i in items]
        while todo:
            b = todo.pop()
            if b in seen or self.subst.valid(b):
                continue
            seen.add(b)
            drv = self.running_outputs.get(f"{self.store.store_dir}/{b}")
            if drv is not None:
                found.append(drv)
            if self.subst.offered(b):
                _client, info = self.subst.lookup(b)
                todo.extend(r for r in info.references if r != b)
        return found

    def _wait_for(self, paths: Iterable[str]) -> None:
        """Wait until none of the derivations ``paths`` is being built."""
        wanted = [p for p in paths if p in self.running]
        while any(p in self.running for p in wanted):
            self._collect()

    def _collect(self) -> None:
        """Wait for one or more running builds to end, and finish them (in plan order)."""
        from concurrent.futures import FIRST_COMPLETED, wait

        futures = {f: p for p, (f, _job) in self.running.items()}
        done, _ = wait(futures, return_when=FIRST_COMPLETED)
        for p in sorted((futures[f] for f in done), key=self.index.__getitem__):
            fut, job = self.running[p]
            for o in job.drv.outputs.values():
                self.running_outputs.pop(o.path, None)
            # still listed as running while it is finished: a Ctrl-C in the
            # middle (hashing, scanning) leaves its outputs to close()
            self._built(self.nodes[p], job, fut)
            del self.running[p]

    def _substitute(self, node: _Node, outs: list[str]) -> None:
        assert self.subst is not None
        if not all(self._available(i) for i in node.before):
            node.state = "blocked"
            self.report.blocked.append(node.drv.path)
            return
        before = len(self.subst.fetched)
        try:
            for o in outs:
                self.subst.ensure(o)
        except SchemeError as e:
            c = e.condition
            self.report.failed[node.drv.path] = c.formatted_message() if c else str(e)
            node.state = "missing"
            return
        finally:
            self.report.substituted.extend(f"{self.store.store_dir}/{b}"
                                           for b in self.subst.fetched[before:])
        node.state = "substitute"

    def _build(self, node: _Node, outs: list[str]) -> None:
        """Start building ``node`` when its inputs are there (see :meth:`_built`)."""
        d = node.drv
        required = [i for i in d.inputs if i not in node.optional_inputs]
        if not all(self._available(i) for i in required):
            node.state = "blocked"
            self.report.blocked.append(d.path)
            return
        if all(self.store.is_valid(o) for o in outs):  # built meanwhile by another process
            node.state = "valid"
            self.report.valid.extend(outs)
            return
        self._say(f"building {d.path}...")
        assert self.runner is not None
        if self.runner.mode is None:
            self.runner.ready()
            if self.fork_server and self.runner.why:
                self._say(f"each build starts its own Python: {self.runner.why}")
        try:
            job = _prepare(self.store, d)
        except BuildError as e:
            node.state = "failed"
            self.report.failed[d.path] = str(e)
            return
        if self.pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self.pool = ThreadPoolExecutor(max_workers=self.jobs,
                                           thread_name_prefix="schemos-build")
        self.running[d.path] = (self.pool.submit(self.runner.run, job), job)
        for o in outs:
            self.running_outputs[o] = d.path

    def _built(self, node: _Node, job: _Job, fut: Any) -> None:
        """Check, finish and register the build of ``node`` that ended."""
        d = node.drv
        try:
            try:
                outcome = fut.result()
            except OSError as e:
                for p in job.outputs.values():
                    remove_tree(p)
                raise BuildError(f"builder of {d.path}: {e}") from None
            _check(job, outcome)
            _finish(self.store, job)
        except NeedsSubstitute as e:
            # the output refers to an optional input nobody offered: it is missing
            for i in node.optional_inputs:
                sub = self.nodes.get(i)
                if sub is not None and any(o.path in e.missing
                                           for o in sub.drv.outputs.values()):
                    sub.required = True
                    if sub.state not in ("valid", "substitute"):
                        sub.state = "missing"
            node.state = "blocked"
            self.report.blocked.append(d.path)
            return
        except BuildError as e:
            node.state = "failed"
            self.report.failed[d.path] = str(e)
            return
        finally:
            job.cleanup()
        node.state = "built"
        self.report.built.extend(o.path for o in d.outputs.values())

    def close(self) -> None:
        """Stop the build server and the builds still running (after an error), and
        close the substituter's connections."""
        if self.runner is not None:
            self.runner.close()           # kills what still runs in it
            self.runner = None
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        for _fut, job in self.running.values():
            for name, p in job.outputs.items():
                # an output registered before the interruption stays
                if not self.store.is_valid(job.drv.outputs[name].path):
                    remove_tree(p)
            job.cleanup()
        self.running.clear()
        if self.subst is not None:
            self.subst.close()


def _producers(store: LocalStore, d: Derivation, items: Iterable[str]) -> dict[str, str]:
    """Item -> the ``.drv`` below ``d`` (its inputs, recursively) whose output it is.

    Breadth first, stopping as soon as every item is found; items no
    derivation below ``d`` makes are left out.
    """
    wanted = set(items)
    out: dict[str, str] = {}
    seen: set[str] = set()
    level = sorted(d.inputs)
    while level and wanted:
        nxt: list[str] = []
        for p in level:
            if p in seen:
                continue
            seen.add(p)
            sub = read_derivation(store, p)
            for o in sub.outputs.values():
                if o.path in wanted:
                    out[o.path] = p
                    wanted.discard(o.path)
            nxt.extend(sorted(sub.inputs))
        level = nxt
    return out


def producers(store: LocalStore, drv: Derivation | str, items: Iterable[str]) -> dict[str, str]:
    """Store item -> the derivation below ``drv`` (inputs, recursively) that outputs it."""
    d = drv if isinstance(drv, Derivation) else read_derivation(store, drv)
    return _producers(store, d, items)


def _paths(store: LocalStore, roots: Iterable[Derivation | str]) -> list[str]:
    out = []
    for r in roots:
        p = r if isinstance(r, str) else r.path
        if p not in out:
            out.append(p)
    return out


def realize(store: LocalStore, roots: Iterable[Derivation | str], *, isolate: bool = True,
            substitute_urls: Iterable[str] = (), acl: Iterable[Any] | None = None,
            progress: Callable[[str], None] | None = None,
            missing_ok: bool = False, explore: bool = False,
            max_jobs: int | None = None, fork_server: bool | None = None) -> Report:
    """Make the outputs of ``roots`` (derivations or ``.drv`` paths) valid in ``store``.

    Demand-driven, in dependency order: outputs already valid are kept;
    else they are substituted from ``substitute_urls`` when a server offers
    all of them signed by a key of ``acl`` (a list of
    :class:`schemos.substitutes.pki.PublicKey`); else a local derivation is
    built after its inputs were realized the same way; else it is missing.
    ``progress`` receives a line for each substitution and build.

    Raises the ``missing-items`` condition (:meth:`Report.missing_error`),
    listing every missing output, when something is missing, unless
    ``missing_ok``; a local build that failed is in :attr:`Report.failed`.
    With ``explore``, the local derivations below missing ones are built
    too when they can be (what ``schemos build`` without substitute URLs
    does: every configuration file it can make).

    Up to ``max_jobs`` local builds run at once (default: one per CPU,
    :func:`default_jobs`), each forked from one build server started for
    this call, unless ``fork_server`` is false (default: true unless
    ``SCHEMOS_FORK_SERVER=0``), in which case each starts ``python -m
    schemos.store.builder``.  The store and the report are the same either
    way.
    """
    store.flush()
    r = _Realizer(store, isolate=isolate, substitute_urls=substitute_urls, acl=acl,
                  progress=progress, explore=explore, max_jobs=max_jobs,
                  fork_server=fork_server)
    try:
        report = r.run(_paths(store, roots))
    finally:
        r.close()
    if report.missing and not missing_ok:
        raise report.missing_error(r.urls)
    return report


def realize_closure(store: LocalStore, drv_paths: Iterable[Derivation | str], *,
                    substitute_urls: Iterable[str] = (), acl: Iterable[Any] | None = None,
                    progress: Callable[[str], None] | None = None,
                    isolate: bool = True, max_jobs: int | None = None,
                    fork_server: bool | None = None) -> Report:
    """Make every output of ``drv_paths`` and its whole reference closure valid in ``store``.

    This is :func:`realize` for callers that need the items themselves (the
    image builder): it raises the ``missing-items`` condition if anything
    is missing, a ``build-error`` condition if a local build failed, and
    checks that the reference closure of every output is valid.
    """
    paths = _paths(store, drv_paths)
    report = realize(store, paths, isolate=isolate, substitute_urls=substitute_urls,
                     acl=acl, progress=progress, max_jobs=max_jobs, fork_server=fork_server)
    if report.failed:
        msg = "\n".join(f"{d}: {m}" for d, m in sorted(report.failed.items()))
        raise SchemeError(Condition("build-error", f"{len(report.failed)} derivation(s) "
                                    "failed:\n" + msg, who="realize-closure"))
    todo = [o.path for p in paths for o in read_derivation(store, p).outputs.values()]
    seen: set[str] = set()
    while todo:
        item = todo.pop()
        if item in seen:
            continue
        seen.add(item)
        if not store.is_valid(item):
            raise SchemeError(Condition(
                "missing-items", f"{item} is not valid after realizing {', '.join(paths)}",
                who="realize-closure", hint="this is a bug: report it"))
        todo.extend(store.references(item))
    return report


def plan(store: LocalStore, roots: Iterable[Derivation | str]) -> dict[str, str]:
    """What a :func:`realize` of ``roots`` without substitutes would do with each derivation.

    ``.drv`` path -> ``"valid"`` (outputs valid), ``"build"`` (local, built
    after its inputs) or ``"missing"`` (to be substituted: the non-local
    derivations reached through local ones, the builders' Guile and the
    compiled modules).
    """
    r = _Realizer(store, isolate=True, substitute_urls=(), acl=None, progress=None)
    r.plan(_paths(store, roots))
    return {p: n.state for p, n in r.nodes.items()}


def plan_substitutes(store: LocalStore, roots: Iterable[Derivation | str]) -> list[str]:
    """The derivations a :func:`realize` of ``roots`` would have to substitute, sorted.

    Assuming no substitute offers a local derivation: those :func:`plan`
    says are ``"missing"``.
    """
    return sorted(p for p, state in plan(store, roots).items() if state == "missing")


class BuildError(Exception):
    """A local build failed."""


class NeedsSubstitute(BuildError):
    """A local build produced an output referring to items only a daemon can build."""

    def __init__(self, message: str, missing: Iterable[str] = ()) -> None:
        super().__init__(message)
        #: the store paths the output referred to that are not valid
        self.missing = set(missing)


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


def _unshare_prefix() -> list[str]:
    """:func:`_unshare`, found once per process."""
    if not _UNSHARE:
        _UNSHARE.append(_unshare())
    return _UNSHARE[0]


def default_jobs() -> int:
    """The default number of concurrent local builds: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


#: the directory holding the ``schemos`` package, the builders' PYTHONPATH
_PYTHONPATH = str(Path(__file__).resolve().parents[2])


def _server_env() -> dict[str, str]:
    """The environment of the build server: a build's, without the build's own variables."""
    return {"PATH": "/no-such-path", "HOME": "/homeless-shelter",
            "PYTHONDONTWRITEBYTECODE": "1", "SCHEMOS_NO_CACHE": "1",
            "PYTHONPATH": _PYTHONPATH}


def _python_startup_variable(name: str) -> bool:
    """True for the variables Python reads when it starts (a forked builder would not)."""
    return name.startswith(("PYTHON", "LC_")) or name == "LANG"


def use_fork_server() -> bool:
    """Whether builds run forked from a build server, unless told (``SCHEMOS_FORK_SERVER=0``
    makes every build start ``python -m schemos.store.builder``)."""
    return os.environ.get("SCHEMOS_FORK_SERVER", "1") != "0"


@dataclass
class _Job:
    """A local build being run: its directory, script, environment and outputs."""

    drv: Derivation
    tmp: Any                      #: the tempfile.TemporaryDirectory holding it all
    build_dir: Path
    builder: Path                 #: the script, with the physical store root
    dirs: list[str]               #: the -L directories, physical
    env: dict[str, str]
    outputs: dict[str, Path]      #: output name -> physical path
    root: str                     #: the store's physical root
    prefix: str                   #: the store directory and a slash: "/gnu/store/"

    def cleanup(self) -> None:
        """Remove the build directory."""
        self.tmp.cleanup()


@dataclass
class _Outcome:
    """How a builder ended."""

    status: int                   #: its exit code, negative for a signal
    stdout: str
    stderr: str
    timed_out: bool = False


def _prepare(store: LocalStore, d: Derivation) -> _Job:
    """Make ``d``'s build directory, its builder script and environment."""
    assert store.root is not None
    root = str(store.root)
    prefix = store.store_dir + "/"

    def phys(s: str) -> str:
        return s.replace(prefix, root + "/")

    script = d.args[-1]
    load_path = [d.args[i + 1] for i, a in enumerate(d.args[:-1]) if a == "-L"]
    tmp = tempfile.TemporaryDirectory(prefix=f"schemos-build-{d.name}-")
    try:
        build_dir = Path(tmp.name) / "build"
        build_dir.mkdir()
        text = store.physical(script).read_text(encoding="utf-8")
        builder = Path(tmp.name) / "builder.scm"
        builder.write_text(phys(text), encoding="utf-8")
        env = {"PATH": "/no-such-path", "HOME": "/homeless-shelter",
               "NIX_STORE": root, "TMPDIR": str(build_dir), "TEMP": str(build_dir),
               "TMP": str(build_dir), "NIX_BUILD_TOP": str(build_dir),
               "PYTHONDONTWRITEBYTECODE": "1", "SCHEMOS_NO_CACHE": "1"}
        for k, v in d.env.items():
            env[k] = phys(v)
        env["PYTHONPATH"] = _PYTHONPATH
        write_reference_graphs(store, d, build_dir)
        outputs = {name: store.physical(o.path) for name, o in d.outputs.items()}
        for p in outputs.values():
            if os.path.lexists(p):
                remove_tree(p)  # a leftover of an interrupted build; not valid
    except BaseException:
        tmp.cleanup()
        raise
    return _Job(d, tmp, build_dir, builder, [phys(p) for p in load_path], env, outputs,
                root, prefix)


def _decode(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode("utf-8", "replace")


def _run_process(job: _Job, isolate: bool) -> _Outcome:
    """Run the builder as ``python -m schemos.store.builder`` (under ``unshare``)."""
    cmd = [sys.executable, "-m", "schemos.store.builder", str(job.builder), *job.dirs]
    if isolate:
        cmd = _unshare_prefix() + cmd
    try:
        r = subprocess.run(cmd, cwd=job.build_dir, env=job.env, capture_output=True,
                           stdin=subprocess.DEVNULL, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as e:
        return _Outcome(-9, _decode(e.stdout), _decode(e.stderr), timed_out=True)
    return _Outcome(r.returncode, _decode(r.stdout), _decode(r.stderr))


def _run_forked(job: _Job, server: Any, unshare: bool) -> _Outcome:
    """Run the builder in a child forked by the build ``server``; wait for it."""
    out, err = Path(job.tmp.name) / "stdout", Path(job.tmp.name) / "stderr"
    fut = server.submit({"script": str(job.builder), "dirs": job.dirs,
                         "cwd": str(job.build_dir), "env": job.env, "stdout": str(out),
                         "stderr": str(err), "unshare": unshare, "timeout": TIMEOUT})
    try:
        reply = fut.result(timeout=TIMEOUT + 60)
    except TimeoutError:
        raise OSError("the build server did not answer") from None
    if "error" in reply:
        raise OSError(f"the build server could not run the builder: {reply['error']}")

    def read(f: Path) -> str:
        try:
            return f.read_bytes().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    return _Outcome(int(reply["status"]), read(out), read(err), bool(reply.get("timed_out")))


def _check(job: _Job, outcome: _Outcome) -> None:
    """Raise :class:`BuildError` (removing the outputs) unless the builder succeeded."""
    d = job.drv
    msg = (outcome.stderr or outcome.stdout).strip()
    if outcome.timed_out or outcome.status != 0:
        for p in job.outputs.values():
            remove_tree(p)
        if outcome.timed_out:
            raise BuildError(f"builder of {d.path} timed out after {TIMEOUT} s"
                             + (":\n" + msg[-2000:] if msg else ""))
        raise BuildError(f"builder of {d.path} failed:\n" + (msg[-2000:] if msg else
                                                                f"status {outcome.status}"))
    missing = [n for n, p in job.outputs.items() if not os.path.lexists(p)]
    if missing:
        raise BuildError(f"builder of {d.path} did not produce output " + ", ".join(missing))


def _finish(store: LocalStore, job: _Job) -> None:
    """Put ``/gnu/store`` back in the outputs, canonicalise, hash, scan and register them."""
    d, outputs, root, prefix = job.drv, job.outputs, job.root, job.prefix
    candidates = _reference_candidates(store, d)
    own = {o.path for o in d.outputs.values()}
    regs = []
    for name, p in outputs.items():
        try:
            _unrewrite(p, root + "/", prefix)
        except BuildError:
            for q in outputs.values():
                remove_tree(q)
            raise
        canonicalize_tree(p)
        digest, size = nar_hash(p)
        refs = _scan(p, candidates)
        missing = [r for r in refs if r not in own and not store.is_valid(r)]
        if missing:
            # typically the compiled modules, which only Guile can build
            for q in outputs.values():
                remove_tree(q)
            raise NeedsSubstitute(f"{d.path}: its output refers to "
                                  + ", ".join(missing) + ", which cannot be built here",
                                  missing)
        regs.append(_Registration(d.outputs[name].path, digest, size, refs,
                                  deriver=d.path))
    for reg in regs:
        store._register(reg)
    store.flush()


class _Runner:
    """Runs builders: forked from a build server (started at once, ready when first
    used), or, as a fallback, each in a fresh ``python -m schemos.store.builder``."""

    def __init__(self, *, isolate: bool, fork_server: bool) -> None:
        self.isolate = isolate
        self.server: Any = None
        #: how builds run: "forked" (with "unshare" when namespaces are entered) or "process"
        self.mode: str | None = None if fork_server else "process"
        #: why the fallback is used, if it is
        self.why = "" if fork_server else "the build server is disabled"
        if fork_server:
            from schemos.store.builder import BuildServer

            try:
                self.server = BuildServer(_server_env(), _PYTHONPATH)
            except OSError as e:
                self.mode, self.why = "process", f"the build server did not start: {e}"

    def ready(self) -> None:
        """Wait for the build server and decide how builds run (in the calling thread)."""
        if self.mode is not None:
            return
        try:
            hello = self.server.hello()
        except (OSError, ValueError) as e:
            self.mode, self.why = "process", f"the build server did not start: {e}"
            return
        if not self.isolate or hello.get("namespaces"):
            self.mode = "forked"
        elif _unshare_prefix():
            # unshare(1) works but a forked child cannot enter namespaces: keep isolation
            self.mode = "process"
            self.why = "a child of the build server cannot enter user namespaces"
        else:
            self.mode = "forked"       # no namespaces either way

    def run(self, job: _Job) -> _Outcome:
        """Run ``job``'s builder and wait for it (in any thread, after :meth:`ready`)."""
        forked = self.mode == "forked" and not any(
            _python_startup_variable(k) for k in job.drv.env)
        if forked:
            return _run_forked(job, self.server, self.isolate and bool(
                self.server.hello().get("namespaces")))
        return _run_process(job, self.isolate)

    def close(self) -> None:
        """Stop the build server (killing builds still running in it)."""
        if self.server is not None:
            self.server.close()
            self.server = None


def build(store: LocalStore, d: Derivation, *, isolate: bool = True,
          fork_server: bool = False) -> None:
    """Run ``d``'s builder script under schemos and register its outputs.

    By default in a fresh ``python -m schemos.store.builder``; with
    ``fork_server``, forked from a build server started for this build
    (:func:`realize` shares one between its builds).
    """
    runner = _Runner(isolate=isolate, fork_server=fork_server)
    try:
        runner.ready()
        job = _prepare(store, d)
        try:
            try:
                outcome = runner.run(job)
            except OSError as e:
                raise BuildError(f"builder of {d.path}: {e}") from None
            _check(job, outcome)
            _finish(store, job)
        finally:
            job.cleanup()
    finally:
        runner.close()


def _graph_pairs(d: Derivation) -> list[tuple[str, str]]:
    """The (file name, store path) pairs of ``d``'s ``exportReferencesGraph``."""
    words = d.env.get("exportReferencesGraph", "").split()
    if len(words) % 2:
        raise BuildError(f"{d.path}: odd number of words in exportReferencesGraph")
    pairs = list(zip(words[::2], words[1::2], strict=True))
    for name, _path in pairs:
        if not name or "/" in name or name in (".", ".."):
            raise BuildError(f"{d.path}: invalid file name {name!r} in exportReferencesGraph")
    return pairs


def reference_graph(store: LocalStore, paths: Iterable[str]) -> str:
    """The text of a references graph of ``paths``, as the daemon writes it for builders.

    For every item of the closure of ``paths``, sorted: its file name, its
    deriver (empty when unknown), the number of its references and their
    file names, one per line -- the format of Nix's
    ``makeValidityRegistration`` with derivers, which Guix's
    ``read-reference-graph`` (``(guix build store-copy)``) reads.  Guix's
    daemon leaves the deriver lines empty; schemos writes them so that an
    image's store database records them.  NAR hashes are not in this
    format: whoever needs them computes them from the items.
    """
    lines: list[str] = []
    for p in sorted(store.requisites(paths)):
        info = store.query_path_info(p)
        if info is None:
            raise BuildError(f"{p} is in a references graph but is not valid")
        refs = sorted(info["references"])
        lines += [p, info["deriver"] or "", str(len(refs)), *refs]
    return "".join(line + "\n" for line in lines)


def write_reference_graphs(store: LocalStore, d: Derivation, build_dir: Path) -> list[Path]:
    """Write the files of ``d``'s ``#:references-graphs`` in ``build_dir``.

    ``exportReferencesGraph`` holds pairs of a file name and a store item
    (an input's output or a source); for each, the builder finds in its
    build directory a file of that name describing the item's whole
    reference closure (:func:`reference_graph`), as the daemon provides.
    """
    written = []
    for name, path in _graph_pairs(d):
        f = build_dir / name
        try:
            text = reference_graph(store, [path])
        except StoreError as e:
            raise BuildError(f"{d.path}: references graph {name!r}: {e}") from None
        f.write_text(text, encoding="utf-8")
        written.append(f)
    return written


def _reference_candidates(store: LocalStore, d: Derivation) -> dict[str, str]:
    """Hash part -> store path of what the output may refer to.

    As the daemon: the closure of the inputs (the outputs of the input
    derivations and the sources, and everything they refer to) and the
    outputs themselves.  Inputs that are not valid (optional ones nobody
    provided) are candidates, without a closure.
    """
    n = len(store.store_dir) + 1
    direct: list[str] = list(d.sources)
    for p, names in d.inputs.items():
        sub = read_derivation(store, p)
        direct.extend(sub.outputs[name].path for name in names)
    out: dict[str, str] = {}
    todo = list(direct)
    while todo:
        path = todo.pop()
        h = path[n:][:32]
        if h in out:
            continue
        out[h] = path
        if store.is_valid(path):
            todo.extend(store.references(path))
    for o in d.outputs.values():
        out[o.path[n:][:32]] = o.path
    return out


#: the characters of a store path's hash part (Nix's base32)
_HASH_RUN = re.compile(rb"[0-9a-df-np-sv-z]{32,}")
#: bytes read at a time when scanning or rewriting a file
_CHUNK = 1 << 20


def _file_chunks(f: str) -> Iterator[bytes]:
    """The contents of the regular file ``f`` in chunks that overlap by 64 bytes.

    Holes of a sparse file (``SEEK_DATA``/``SEEK_HOLE``) are skipped:
    they hold nothing but zeros.
    """
    overlap = 64
    with open(f, "rb", buffering=0) as fh:
        fd = fh.fileno()
        length = os.fstat(fd).st_size
        pos = 0
        tail = b""
        while pos < length:
            try:
                start = os.lseek(fd, pos, os.SEEK_DATA)
                end = os.lseek(fd, start, os.SEEK_HOLE)
            except OSError as e:
                if e.errno == errno.ENXIO or pos:   # only a hole is left
                    break
                start, end = 0, length              # SEEK_DATA unsupported: read it all
            if start > pos:
                tail = b""
            pos = start
            while pos < end:
                data = os.pread(fd, min(_CHUNK, end - pos), pos)
                if not data:
                    return
                yield tail + data
                tail = data[-overlap:]
                pos += len(data)


def _hashes_in(data: bytes, needles: dict[bytes, str], found: set[str]) -> None:
    """Add to ``found`` the paths of the hash parts of ``needles`` that occur in ``data``."""
    for m in _HASH_RUN.finditer(data):
        run = m.group()
        for i in range(len(run) - 31):
            p = needles.get(run[i:i + 32])
            if p is not None:
                found.add(p)


def _scan(path: Path, candidates: dict[str, str]) -> list[str]:
    """The candidates whose hash part occurs in the item at ``path``.

    As the daemon's scan: every run of base32 characters is looked up, so
    the cost does not grow with the number of candidates; files are read
    in chunks (their holes skipped), so a disk image is scanned without
    being loaded into memory.
    """
    found: set[str] = set()
    needles = {h.encode(): p for h, p in candidates.items()}

    def visit(f: str) -> None:
        if os.path.islink(f):
            _hashes_in(os.fsencode(os.readlink(f)), needles, found)
        elif os.path.isfile(f):
            for data in _file_chunks(f):
                _hashes_in(data, needles, found)

    if path.is_dir() and not path.is_symlink():
        for dirpath, dirs, files in os.walk(path):
            for n in dirs + files:
                visit(os.path.join(dirpath, n))
    else:
        visit(str(path))
    return sorted(found)


def scan_references(path: str | Path, candidates: dict[str, str]) -> list[str]:
    """The store paths of ``candidates`` (hash part -> path) that the item at ``path``
    refers to: those whose hash part occurs in it, sorted."""
    return _scan(Path(path), candidates)


def _is_binary(f: str) -> bool:
    """True if the regular file ``f`` holds a NUL byte (read in chunks, holes included)."""
    with open(f, "rb", buffering=0) as fh:
        fd = fh.fileno()
        length = os.fstat(fd).st_size
        try:
            # a hole reads as zeros: a sparse file is binary
            if length and os.lseek(fd, 0, os.SEEK_HOLE) < length:
                return True
        except OSError:
            pass
    return any(b"\0" in data for data in _file_chunks(f))


def _unrewrite(path: Path, physical: str, logical: str) -> None:
    """Put ``/gnu/store/`` back where the build wrote the physical root.

    Only symbolic links and text files are rewritten: the physical root and
    ``/gnu/store/`` differ in length, so replacing one by the other in a
    binary file -- a disk image, an archive -- would shift its bytes and
    corrupt it.  A binary file holding the physical root is an error
    (:class:`BuildError`) rather than an item that names a place outside the
    store; binaries that do not hold it (a disk image, which names
    ``/gnu/store`` only) are left untouched, and read in chunks.
    """
    pb, lb = physical.encode(), logical.encode()

    def fix(f: str) -> None:
        if os.path.islink(f):
            t = os.readlink(f)
            if physical in t:
                os.unlink(f)
                os.symlink(t.replace(physical, logical), f)
        elif os.path.isfile(f):
            if _is_binary(f):
                if any(pb in data for data in _file_chunks(f)):
                    raise BuildError(f"{f}: a binary file names the store's physical root "
                                     f"{physical}, which cannot be rewritten to {logical}")
                return
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
