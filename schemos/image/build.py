"""Building a disk image from an operating system: the pipeline.

``build_image`` is what ``schemos image -t hurd-raw FILE`` (alias
``schemos disk-image``) calls.  The steps, each reported to ``progress``:

1. **lower** -- the image type (``(gnu system image)``'s registry: ``raw``,
   ``qcow2``, ``hurd-raw``, ``hurd-qcow2``…) gives the image record and the
   target (``i586-pc-gnu`` for the Hurd); the operating system is lowered for
   that target to its system derivation and grub.cfg, as ``schemos build``
   does;
2. **realize** -- every output of those two and their whole reference
   closure is made valid in the store: already there, fetched from the
   substitute URLs (signed by a key of the ACL), or built locally (the
   configuration files); a missing item is an error listing every one;
3. **root** -- the root file system is laid out in a directory next to the
   output (:mod:`schemos.image.root`): the directives of ``(gnu build
   install)``, system generation 1, the Hurd's ``/dev`` and ``/servers``,
   the closure under ``/gnu/store``, its database, ``/boot/grub/grub.cfg``;
4. **file system** -- ``mke2fs -d`` makes the ext2 root partition (``-o
   hurd`` for the Hurd) labelled as the OS's root file system;
5. **disk** -- an MBR table, the partition at 1 MiB, GRUB for BIOS;
6. **qcow2** -- for the ``qcow2`` formats, ``qemu-img convert``.

Steps 3 to 6 are :func:`make_disk_image`, given the closure, the system,
grub.cfg and the image's :class:`DiskParameters` (from
:func:`disk_parameters`); the build side of the image derivation, ``(schemos
build image)`` (:mod:`schemos.build_image`), calls it too, with the closure
read from its references graphs.

Everything that could vary between two builds is derived from the system's
store path: the file system UUID and directory hash seed, the MBR disk
identifier; every time stamp is 1.  The same OS and inputs give the same
bytes.  The image is written under a temporary name in the output's
directory and renamed when complete, so an interrupted build leaves nothing
at the output path; the work directory is removed whatever happens.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os as osmod
import shutil
import tempfile
import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemos.errors import Condition, SchemeError

Progress = Callable[[str, int, int], None]

#: where the partition of a disk image starts: sector 2048, as Guix's images
PARTITION_OFFSET = 1 << 20


@dataclass
class ImageResult:
    """What :func:`build_image` made."""

    path: Path                      #: the image file
    image_type: str                 #: e.g. "hurd-raw"
    system: str                     #: the system's store item
    bootcfg: str | None             #: grub.cfg's store item
    closure: list[str] = field(default_factory=list)   #: store items in the image
    size: int = 0                   #: the image's (virtual) size in bytes
    label: str = ""                 #: the root file system's label
    fs_uuid: str = ""               #: the root file system's UUID
    timings: dict[str, float] = field(default_factory=dict)  #: seconds per step
    substituted: list[str] = field(default_factory=list)
    built: list[str] = field(default_factory=list)


def _error(message: str, *args: Any, hint: str | None = None) -> SchemeError:
    return SchemeError(Condition("image-error", message, args=list(args), hint=hint))


def derived_identifiers(system: str) -> tuple[str, str, int]:
    """The file system UUID, hash seed and MBR disk id derived from ``system``.

    Guix derives an image's UUIDs from the operating system so that images
    are reproducible; schemos derives them from the system's store path, which
    is a hash of everything in the system.
    """
    h = hashlib.sha256(("schemos-image\0" + system).encode()).digest()
    fs_uuid = str(uuidlib.UUID(bytes=h[:16]))
    seed = str(uuidlib.UUID(bytes=h[16:32]))
    disk_id = int.from_bytes(h[:4], "big") or 1
    return fs_uuid, seed, disk_id


def _os_root_label(interp: Any, os_record: Any) -> str | None:
    """The label of the OS's "/" file system if it is given by label, else None."""
    from schemos.datum import Symbol, to_list
    from schemos.records import field_value
    from schemos.runtime.control import Record

    for fs in to_list(field_value(os_record, Symbol("file-systems"))):
        if field_value(fs, Symbol("mount-point")) == "/":
            dev = field_value(fs, Symbol("device"))
            name = getattr(dev.rtd.name, "name", dev.rtd.name) if type(dev) is Record else ""
            if name == "<file-system-label>":
                return str(dev.vals[0])
            return None
    raise _error("the operating system has no root file system",
                 hint="add a (file-system (mount-point \"/\") …) to its file-systems field")


@dataclass(frozen=True)
class DiskParameters:
    """What the steps after realization need to know of an image, as plain data.

    ``schemos image`` computes them with :func:`disk_parameters`; the image
    derivation (``(system-image IMAGE)`` in a gexp, the childhurd's disk)
    has them written into its builder script, which hands them to
    ``(schemos build image)``.  Both then call :func:`make_disk_image`.
    """

    format: str                           #: "disk-image" or "compressed-qcow2" ("qcow2")
    label: str                            #: the root file system's label
    uuid: str | None = None               #: its UUID if the OS mounts / by UUID
    file_system: str = "ext2"             #: the root partition's file system
    file_system_options: tuple[str, ...] = ()   #: e.g. ("-o", "hurd", "-O", "ext_attr")
    size: int | None = None               #: the root partition's bytes; None: estimate
    hurd: bool = False                    #: make the Hurd's /dev and /servers
    wal: bool = True                      #: the store database in WAL mode

    @property
    def qcow2(self) -> bool:
        """True for the qcow2 formats."""
        return "qcow2" in self.format


#: the image formats schemos builds
DISK_FORMATS = ("disk-image", "compressed-qcow2", "qcow2")


def _hurd_target(target: str | None) -> bool:
    """True for a GNU/Hurd triplet (``i586-pc-gnu``), not ``x86_64-linux-gnu``."""
    return target is not None and target.endswith("-gnu") and "linux" not in target


def disk_parameters(spec: Any, *, who: str | None = None) -> DiskParameters:
    """The :class:`DiskParameters` of ``spec``, a :class:`schemos.image.spec.ImageSpec`.

    The root partition (its label and UUID as ``image-with-root-file-system``
    sets them, its file-system options and size) and what its initializer
    adds: a Hurd image is one whose initializer makes the Hurd's device
    nodes (``hurd-initialize-root-partition``), or one cross-built for the
    Hurd, and its store database is not in WAL mode (``#:wal-mode? #f``).
    An image format schemos does not build is an ``image-error``.
    """
    if spec.format not in DISK_FORMATS:
        raise _error("~A: the ~A format is not supported by schemos", who or spec.name,
                     spec.format, hint="schemos builds the disk-image and compressed-qcow2 "
                     "formats: use one of the types hurd-raw, hurd-qcow2, raw, qcow2")
    part = spec.root_partition()
    options = part.initializer_options
    hurd = options.get("make-device-nodes") == "make-hurd-device-nodes" or \
        _hurd_target(spec.target)
    wal = options.get("wal-mode?", not hurd) is not False
    return DiskParameters(format=spec.format, label=part.label, uuid=part.uuid,
                          file_system=part.file_system,
                          file_system_options=tuple(part.file_system_options),
                          size=part.size, hurd=hurd, wal=wal)


@dataclass
class DiskImage:
    """What :func:`make_disk_image` made."""

    path: Path                  #: the image file
    size: int                   #: the disk's (virtual) size in bytes
    label: str                  #: the root file system's label
    fs_uuid: str                #: the root file system's UUID


def make_disk_image(items: list[Any], output: Path, params: DiskParameters, *,
                    store: Any, system: str, bootcfg: Path | None,
                    store_dir: str = "/gnu/store", workdir: Path | None = None,
                    progress: Progress | None = None,
                    timings: dict[str, float] | None = None) -> DiskImage:
    """Steps 3 to 6: make the disk image of a realized system at ``output``.

    ``items`` (:class:`schemos.image.root.StoreItem`, with NAR hashes,
    references and derivers) are the closure to copy and register, found
    in ``store`` (a :class:`LocalStore` or the directory holding the items);
    ``system`` is the system's store item (``/gnu/store/…-system``) and
    ``bootcfg`` the grub.cfg file to install.  The root tree is laid out in
    a work directory under ``workdir`` (default: next to ``output``), made
    into an ext2 file system, put on an MBR disk with GRUB, converted to
    qcow2 for the qcow2 formats, and renamed to ``output`` when complete;
    the work directory is removed whatever happens.  The identifiers come
    from ``system`` (:func:`derived_identifiers`), times are 1.
    """
    import time

    from schemos.image import disk
    from schemos.image import root as rootfs

    report = progress or (lambda step, done, total: None)
    times = timings if timings is not None else {}
    output = Path(output)
    fs_uuid, hash_seed, disk_id = derived_identifiers(system)
    fs_uuid = params.uuid or fs_uuid
    t0 = time.monotonic()
    work: Path | None = None
    try:
        with _interrupts_held():        # a Ctrl-C right after mkdtemp must find WORK set
            work = Path(tempfile.mkdtemp(prefix=".schemos-image-",
                                         dir=workdir or output.parent))
        tree = work / "root"
        tree.mkdir()
        rootfs.populate_root_file_system(tree, system, store_dir=store_dir)
        if params.hurd:
            rootfs.make_hurd_device_nodes(tree)
        rootfs.populate_store(tree, store, items, store_dir=store_dir,
                              progress=lambda d, t: report("root", d, t))
        rootfs.register_closure(tree, items, wal=params.wal)
        if bootcfg is not None:
            rootfs.install_boot_config(tree, bootcfg)
        rootfs.reset_timestamps(tree)
        times["root"] = time.monotonic() - t0

        # --- the file system
        t0 = time.monotonic()
        fs_size = params.size or disk.estimate_size(tree)
        fs_image = work / "root.ext2"
        report("file system", 0, fs_size)
        disk.make_ext2(tree, fs_image, size=fs_size, label=params.label, uuid=fs_uuid,
                       hash_seed=hash_seed, timestamp=1, hurd=params.hurd,
                       options=list(params.file_system_options))
        report("file system", fs_size, fs_size)
        times["file system"] = time.monotonic() - t0

        # --- the disk
        t0 = time.monotonic()
        raw = work / "disk.img"
        disk.assemble_mbr([(fs_image, PARTITION_OFFSET)], raw, disk_id=disk_id,
                          progress=lambda step, d, t: report("disk", d, t))
        fs_image.unlink()
        times["disk"] = time.monotonic() - t0
        final = raw
        if params.qcow2:
            t0 = time.monotonic()
            report("qcow2", 0, 1)
            final = work / "disk.qcow2"
            disk.convert_qcow2(raw, final, compress=params.format == "compressed-qcow2")
            report("qcow2", 1, 1)
            times["qcow2"] = time.monotonic() - t0
        size = osmod.stat(raw).st_size
        _move_into_place(final, output)
    finally:
        if work is not None:
            _remove(work)
    return DiskImage(output, size, params.label, fs_uuid)


def _move_into_place(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst`` so that ``dst`` appears complete or not at all.

    Across file systems the data is copied next to ``dst`` first, holes
    kept (a raw disk image is mostly holes).
    """
    from schemos.image import disk

    tmp = dst.with_name(f".{dst.name}.tmp-{osmod.getpid()}")
    try:
        try:
            osmod.rename(src, tmp)
        except OSError as e:
            if e.errno != errno.EXDEV:
                raise
            with open(tmp, "wb") as out:
                out.truncate(osmod.stat(src).st_size)
                disk.copy_sparse(src, out.fileno(), 0)
        osmod.replace(tmp, dst)
    except BaseException:
        if osmod.path.lexists(tmp):
            osmod.unlink(tmp)
        raise


def build_image(os: Any, image_type: str = "hurd-raw", output: str | Path | None = None, *,
                image_size: int | None = None,
                substitute_urls: Iterable[str] = (),
                acl: str | Path | None = None,
                store: str | Path | None = None,
                system: str = "x86_64-linux",
                progress: Progress | None = None,
                workdir: str | Path | None = None,
                max_jobs: int | None = None) -> ImageResult:
    """Build a disk image of the operating system ``os`` and return what was made.

    ``os`` is a :class:`schemos.OperatingSystem` (from
    :func:`schemos.load_operating_system`), or anything with ``.interp`` and
    ``.record`` whose record is an ``<image>`` of ``(gnu image)`` -- then the
    image's own format, partitions and operating system are used and
    ``image_type`` is not (see :func:`schemos.load_image`).  ``image_type`` is an image type
    name (``hurd-raw``, ``hurd-qcow2``, ``raw``, ``qcow2``); ``output`` the
    image file to write (default: ``IMAGE-NAME.img`` or ``.qcow2`` in the
    current directory); ``image_size`` in bytes (default: the root tree's size
    plus a quarter, as Guix's ``'guess``); ``substitute_urls`` and ``acl`` (an
    ACL file, default the user's) say where package outputs come from;
    ``store`` is the physical root of the store.  ``progress(step, done,
    total)`` is called as the build goes (see
    :class:`schemos.image.progress.ProgressBar`).  ``max_jobs`` local builds
    run at once (default: one per CPU).  Errors are
    :class:`SchemeError` conditions; bad input fails before any work starts.
    """
    import dataclasses
    import time

    from schemos.image import disk
    from schemos.image.spec import image_for_type, image_record_spec, is_image
    from schemos.store.build import lower_operating_system, open_store

    timings: dict[str, float] = {}
    report = progress or (lambda step, done, total: None)
    interp, record = os.interp, os.record

    # --- checks before any work
    if is_image(record):
        # an <image> (as `guix system image FILE` accepts): its own format,
        # partitions and operating system; IMAGE_TYPE is not used
        spec = image_record_spec(interp, record, image_size)
        if spec.os is None:
            raise _error("the image ~A has no operating system", spec.name,
                         hint="give the image an (operating-system …) field")
        record = spec.os
        image_type = spec.name
    else:
        spec = image_for_type(interp, record, image_type, image_size)
    _os_root_label(interp, record)          # an OS without a root file system fails here
    params = disk_parameters(spec, who=f"image type {image_type}")
    if params.size is None and image_size is not None:
        params = dataclasses.replace(params, size=image_size - PARTITION_OFFSET)
    tools = ["mke2fs", "sfdisk", "grub-mkimage"] + (["qemu-img"] if params.qcow2 else [])
    disk.require_tools(tools)
    out = Path(output) if output else \
        Path.cwd() / f"{spec.name}.{'qcow2' if params.qcow2 else 'img'}"
    if out.is_dir():
        raise _error("~A is a directory", str(out), hint="give -o the name of the image file")
    _check_writable_directory(out.parent, out)
    if workdir is not None:
        _check_writable_directory(Path(workdir), None)
    acl_obj = None
    urls = [u for u in substitute_urls if u]
    if urls:
        from schemos.substitutes import pki
        from schemos.substitutes.client import check_substitute_urls

        check_substitute_urls(urls)
        acl_obj = pki.load_acl(Path(acl) if acl else pki.default_acl_file(),
                               required=acl is not None)

    # --- lower and realize
    t0 = time.monotonic()
    report("lower", 0, 1)
    with open_store(store, interp=interp) as st:
        lowered = lower_operating_system(interp, record, st, system, spec.target)
        report("lower", 1, 1)
        timings["lower"] = time.monotonic() - t0
        t0 = time.monotonic()
        roots = lowered.roots()
        from schemos.store.realize import realize_closure

        steps = [0]

        def realized(_message: str) -> None:
            steps[0] += 1
            report("realize", steps[0], 0)

        report("realize", 0, 0)
        rep = realize_closure(st, [d.path for d in roots], substitute_urls=urls, acl=acl_obj,
                              progress=realized, max_jobs=max_jobs)
        timings["realize"] = time.monotonic() - t0
        system_item = lowered.system.outputs["out"].path
        bootcfg_item = lowered.bootcfg.outputs["out"].path if lowered.bootcfg else None

        from schemos.image import root as rootfs

        items = rootfs.closure_items(st, [system_item] + ([bootcfg_item] if bootcfg_item else []))
        store_bytes = sum(i.nar_size for i in items)
        if image_size is not None and image_size < store_bytes + PARTITION_OFFSET:
            raise _error("image size ~A is too small for the system's closure (~A bytes "
                         "in ~A store items)", image_size, store_bytes, len(items),
                         hint=f"pass --image-size {_round_mib(store_bytes * 5 // 4) // 2**20}MiB "
                         "or more, or leave it out to let schemos estimate it")

        # --- root, file system, disk, qcow2
        made = make_disk_image(items, out, params, store=st, system=system_item,
                               bootcfg=st.physical(bootcfg_item) if bootcfg_item else None,
                               store_dir=st.store_dir,
                               workdir=Path(workdir) if workdir else None,
                               progress=report, timings=timings)
    return ImageResult(out, image_type, system_item, bootcfg_item, [i.path for i in items],
                       made.size, made.label, made.fs_uuid, timings,
                       list(getattr(rep, "substituted", [])), list(getattr(rep, "built", [])))


def _check_writable_directory(directory: Path, output: Path | None) -> None:
    """Fail before any work unless files can be made in ``directory``.

    ``output`` is the image file to be written there (``None``: the work
    directory itself was named).
    """
    what = str(output) if output is not None else f"in the work directory {directory}"
    if not directory.is_dir():
        raise _error("cannot write ~A: ~A does not exist or is not a directory", what,
                     str(directory),
                     hint="create the directory first, or give -o a file in an existing one"
                     if output is not None else "give an existing directory")
    if not osmod.access(directory, osmod.W_OK | osmod.X_OK):
        raise _error("cannot write ~A: permission denied in ~A", what, str(directory),
                     hint="give -o a file in a directory you can write"
                     if output is not None else "give a directory you can write")


def _round_mib(n: int) -> int:
    return (n + 2**20 - 1) // 2**20 * 2**20


def _remove(path: Path) -> None:
    """Remove a work tree, read-only directories included.

    A Ctrl-C that comes while the tree is being removed is held until it is
    gone, then raised: an interrupted build leaves nothing behind.
    """
    with _interrupts_held():
        for dirpath, dirnames, _files in osmod.walk(path):
            for d in dirnames:
                p = osmod.path.join(dirpath, d)
                if not osmod.path.islink(p):
                    osmod.chmod(p, 0o755)
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold SIGINT during the block (main thread only); raise it afterwards."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if held:
        raise KeyboardInterrupt
