"""``(schemos build image)``: the build side of the image derivation.

The derivation that ``(system-image IMAGE)`` lowers to (see
``stdlib/schemos/image-derivation.scm``) runs a builder script calling
``build-disk-image`` of this module, which the module system finds by
importing ``schemos.build_image``.  It runs in schemos' local builder
(``python -m schemos.store.builder``), in the build directory, where the
files of the derivation's ``#:references-graphs`` are::

    (use-modules (schemos build image))
    (build-disk-image "/gnu/store/…-disk-image"
                      #:references-graphs '("system" "bootcfg")
                      #:system-directory "/gnu/store/…-system"
                      #:bootcfg "/gnu/store/…-grub.cfg"
                      #:format 'compressed-qcow2
                      #:label "Guix_image" #:uuid #f
                      #:file-system "ext2"
                      #:file-system-options '("-o" "hurd" "-O" "ext_attr")
                      #:size 12884901888          ; or 'guess
                      #:hurd? #t #:wal-mode? #f)

It reads the graphs (:func:`read_reference_graph`: the closure of the
system and of grub.cfg, with references and derivers), computes each item's
NAR hash and size (the graphs do not carry them; the image's store database
needs them), and calls :func:`schemos.image.build.make_disk_image` -- the
steps ``schemos image`` runs after realizing: the root tree, the ext2 file
system, the MBR disk with GRUB, qcow2 -- writing the image to the output,
a regular file.

The store paths in the script are where the items are on disk (a local
build of schemos has the store's physical root in place of ``/gnu/store``);
the graphs name them as the store does (``/gnu/store/…``), and that is what
the image holds: its symbolic links, store database and grub.cfg name
``/gnu/store``, never the physical root.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemos.datum import UNSPECIFIED, Symbol, to_list
from schemos.runtime.pymodules import python_module, scheme_procedure


@dataclass
class GraphEntry:
    """One item of a references graph."""

    path: str                      #: /gnu/store/…
    deriver: str | None            #: its .drv, if the graph says
    references: list[str]          #: the items it refers to


def read_reference_graph(text: str, *, source: str = "references graph") -> list[GraphEntry]:
    """Parse a references graph: blocks of path, deriver, count, references.

    That is the format the daemon writes for ``#:references-graphs`` (Nix's
    ``makeValidityRegistration``; Guix's ``read-reference-graph`` reads it),
    with an empty deriver line when the deriver is unknown.  A malformed
    graph is an ``image-error`` condition.
    """
    from schemos.image.disk import image_error

    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out: list[GraphEntry] = []
    i = 0
    while i < len(lines):
        try:
            path, deriver, count = lines[i], lines[i + 1], int(lines[i + 2])
        except (IndexError, ValueError):
            raise image_error(f"{source}: malformed entry at line {i + 1}",
                              who="build-disk-image") from None
        refs = lines[i + 3:i + 3 + count]
        if not path.startswith("/") or len(refs) != count or \
                not all(r.startswith("/") for r in refs):
            raise image_error(f"{source}: malformed entry for {path!r} at line {i + 1}",
                              who="build-disk-image")
        out.append(GraphEntry(path, deriver or None, refs))
        i += 3 + count
    return out


def _closure(graphs: list[list[GraphEntry]], store_root: Path) -> list[Any]:
    """The store items of ``graphs``, sorted by path, with their NAR hashes."""
    from schemos.image.root import StoreItem
    from schemos.store.nar import nar_hash

    entries: dict[str, GraphEntry] = {}
    for graph in graphs:
        for e in graph:
            entries.setdefault(e.path, e)
    items = []
    for path in sorted(entries):
        e = entries[path]
        digest, size = nar_hash(store_root / os.path.basename(path))
        items.append(StoreItem(path, "sha256:" + digest.hex(), size, sorted(e.references),
                               e.deriver))
    return items


#: where the build looks for mke2fs, sfdisk, grub-mkimage and qemu-img
TOOL_PATH = ("/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/sbin", "/sbin")

_KEYS: dict[str, Any] = {
    "references-graphs": False, "system-directory": False, "bootcfg": False,
    "format": Symbol("disk-image"), "label": False, "uuid": False, "file-system": "ext2",
    "file-system-options": False, "size": Symbol("guess"), "hurd?": False,
    "wal-mode?": True,
}


@scheme_procedure("build-disk-image", "(output #:key references-graphs system-directory "
                                      "bootcfg format label uuid file-system "
                                      "file-system-options size hurd? wal-mode?)")
def build_disk_image(*args: Any) -> Any:
    """Build the disk image of the system at ``#:system-directory`` into OUTPUT.

    The closure to copy is that of the ``#:references-graphs`` files (in
    the current directory); the other keywords are the image's parameters
    (:class:`schemos.image.build.DiskParameters`).
    """
    from schemos.image import disk
    from schemos.image.build import DiskParameters, make_disk_image
    from schemos.image.disk import image_error
    from schemos.store.scheme import keywords

    who = "build-disk-image"
    [output], kw = keywords(who, args, _KEYS, positional=1)
    for key in ("references-graphs", "system-directory", "label"):
        if kw[key] is False:
            raise image_error(f"{who}: missing #:{key}", who=who)
    fmt = kw["format"].name if type(kw["format"]) is Symbol else str(kw["format"])
    size = kw["size"]
    options = kw["file-system-options"]
    params = DiskParameters(
        format=fmt, label=kw["label"], uuid=kw["uuid"] or None,
        file_system=kw["file-system"],
        file_system_options=tuple(to_list(options)) if options is not False else (),
        size=size if type(size) is int else None,
        hurd=kw["hurd?"] is not False, wal=kw["wal-mode?"] is not False)
    # the machine's tools: a local build's PATH is empty (a Guix build would
    # have e2fsprogs, GRUB and QEMU as inputs)
    os.environ["PATH"] = os.pathsep.join(
        [d for d in os.environ.get("PATH", "").split(os.pathsep) if os.path.isdir(d)]
        + list(TOOL_PATH))
    tools = ["mke2fs", "sfdisk", "grub-mkimage"] + (["qemu-img"] if params.qcow2 else [])
    disk.require_tools(tools)

    system_dir = Path(kw["system-directory"])
    store_root = system_dir.parent                  # where the items are on disk
    graphs = []
    for name in to_list(kw["references-graphs"]):
        f = Path(name)
        try:
            text = f.read_text(encoding="utf-8")
        except OSError as e:
            raise image_error(f"{who}: cannot read the references graph {name!r}: "
                              f"{e.strerror}", who=who,
                              hint="the derivation must pass it with #:references-graphs"
                              ) from None
        graphs.append(read_reference_graph(text, source=name))
    dirs = {os.path.dirname(e.path) for g in graphs for e in g}
    if len(dirs) != 1:
        raise image_error(f"{who}: the references graphs name no single store "
                          f"directory: {sorted(dirs)}", who=who)
    store_dir = dirs.pop()
    system = f"{store_dir}/{system_dir.name}"
    if not any(e.path == system for g in graphs for e in g):
        raise image_error(f"{who}: {system} is not in the references graphs", who=who)
    bootcfg = Path(kw["bootcfg"]) if kw["bootcfg"] is not False else None

    steps: set[str] = set()

    def say(step: str, done: int, total: int) -> None:
        if step not in steps:
            steps.add(step)
            print(f"build-disk-image: {step}...", flush=True)

    items = _closure(graphs, store_root)
    print(f"build-disk-image: {len(items)} store items, {fmt}, label {params.label!r}",
          flush=True)
    timings: dict[str, float] = {}
    made = make_disk_image(items, Path(output), params, store=store_root, system=system,
                           bootcfg=bootcfg, store_dir=store_dir,
                           workdir=Path(os.environ.get("TMPDIR") or Path.cwd()),
                           progress=say, timings=timings)
    print("build-disk-image: " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items())
          + f"; {made.size} bytes", flush=True)
    sys.stdout.flush()
    return UNSPECIFIED


python_module("schemos build image", {"build-disk-image": build_disk_image})
