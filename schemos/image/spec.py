"""The image an image type makes of an operating system, read from Scheme.

Images are described in Scheme, as in Guix: ``(gnu image)`` has the
``image``, ``partition`` and ``image-type`` records, ``(gnu system image)``
and ``(gnu system images hurd)`` the image types (``hurd-raw``,
``hurd-qcow2``, ``mbr-raw``, ``qcow2``…).  This module is how the Python
image backend reads them::

    spec = image_for_type(os.interp, os.record, "hurd-raw", None)
    spec.target                       # "i586-pc-gnu"
    spec.root_partition().label       # "my-root" for bare-hurd.tmpl

:func:`image_for_type` is ``guix system image -t TYPE --image-size=SIZE``'s
first step: the type's constructor applied to the operating system, the
size set on the result.  :func:`image_spec` reads any ``<image>`` record.
Both describe the image schemos builds, which boots the operating system as
written: its root partition carries the label (or UUID) that the operating
system's root file system names, where Guix would rewrite the operating
system to mount ``/`` by a UUID of its own and keep the label
``"Guix_image"`` (see ``image-with-root-file-system`` in
``stdlib/gnu/system/image.scm`` and docs/image.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schemos.datum import Keyword, Pair, Symbol

#: the name Guix gives the store item of an image without a name, by format
_DEFAULT_NAMES = {
    "disk-image": "disk-image",
    "compressed-qcow2": "disk-image",
    "iso9660": "image.iso",
    "docker": "docker-image",
    "docker-layered": "docker-image",
    "tarball": "image",
    "wsl2": "image",
}

#: what the private helper module evaluates: resizing needs the record syntax
_HELPERS = """
(use-modules (gnu image))
(lambda (base size)
  (image (inherit base) (size size)))
"""


@dataclass
class PartitionSpec:
    """One partition of an image, as the image backend must make it."""

    label: str                           #: the file system's label
    uuid: str | None                     #: its UUID (DCE text form), if the OS names one
    file_system: str                     #: "ext2", "ext4", "vfat"…
    file_system_options: list[str]       #: extra mkfs options, e.g. ["-o", "hurd", …]
    flags: list[str]                     #: "boot" (the root partition), "esp"
    size: int | None                     #: bytes, or None for 'guess (estimate it)
    offset: int                          #: bytes from the start of the disk
    is_root: bool                        #: the partition flagged 'boot
    #: the build-side procedure that fills it ("initialize-root-partition"…)
    initializer: str | None = None
    #: the keyword arguments the initializer adds, e.g. the Hurd's
    #: {"make-device-nodes": "make-hurd-device-nodes", "wal-mode?": False}
    initializer_options: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImageSpec:
    """A disk image of an operating system, as an ``<image>`` record says."""

    name: str                            #: the image's name, Guix's default by format
    format: str                          #: "disk-image", "compressed-qcow2", "iso9660"…
    target: str | None                   #: GNU triplet to cross-build for, e.g. "i586-pc-gnu"
    platform: str | None                 #: the Guix system it is for, e.g. "i586-gnu"
    size: int | None                     #: bytes, or None for 'guess
    partition_table_type: str            #: "mbr" or "gpt"
    partitions: list[PartitionSpec]
    volatile_root: bool
    shared_store: bool
    os: Any                              #: the <operating-system> record
    record: Any = None                   #: the <image> record described

    def root_partition(self) -> PartitionSpec:
        """The partition flagged ``boot``, which holds the root file system."""
        for p in self.partitions:
            if p.is_root:
                return p
        from schemos.errors import Condition, SchemeError

        raise SchemeError(Condition("misc-error",
                                    "image lacks a partition with the 'boot' flag",
                                    hint="flag the root partition with (flags '(boot))"))


def _scheme(interp: Any, module: tuple[str, ...], name: str) -> Any:
    from schemos.store.build import _scheme as lookup

    return lookup(interp, module, name)


def _run(interp: Any, fn: Any) -> Any:
    from schemos.store.build import _run as run

    return run(interp, fn)


def _resizer(interp: Any) -> Any:
    """``(lambda (base size) (image (inherit base) (size size)))``, made once."""
    proc = getattr(interp, "_image_spec_resizer", None)
    if proc is None:
        m = interp.make_module(("schemos", "image-spec"))
        proc = interp.eval_string(_HELPERS, "schemos/image/spec.py", m)
        interp._image_spec_resizer = proc
    return proc


def _field(record: Any, name: str) -> Any:
    from schemos.records import field_value

    return field_value(record, Symbol(name))


def _name(x: Any) -> str:
    return x.name if type(x) is Symbol else str(x)


def _list(x: Any) -> list[Any]:
    from schemos.datum import to_list

    return to_list(x)


def _initializer(interp: Any, gexp: Any) -> tuple[str | None, dict[str, Any]]:
    """The procedure an initializer gexp calls and the keyword arguments it adds."""
    from schemos.runtime.core import call

    if gexp is False:
        return None, {}
    sexp = call(_scheme(interp, ("guix", "gexp"), "gexp->approximate-sexp"), gexp)
    name: str | None = None
    options: dict[str, Any] = {}

    def walk(x: Any) -> None:
        nonlocal name
        if type(x) is Symbol:
            if name is None and x.name.startswith("initialize-"):
                name = x.name
            return
        if type(x) is not Pair:
            return
        items = []
        p = x
        while type(p) is Pair:
            items.append(p.car)
            p = p.cdr
        if items and items[0] is Symbol("list") and len(items) % 2 == 1 and \
                all(type(k) is Keyword for k in items[1::2]):
            for k, v in zip(items[1::2], items[2::2], strict=True):
                options[k.name] = _name(v) if type(v) is Symbol else v
        for item in items:
            walk(item)

    walk(sexp)
    return name, options


def _partition(interp: Any, p: Any) -> PartitionSpec:
    from schemos.runtime.core import call

    uuid = _field(p, "uuid")
    size = _field(p, "size")
    flags = [_name(f) for f in _list(_field(p, "flags"))]
    init, options = _initializer(interp, _field(p, "initializer"))
    return PartitionSpec(
        label=_field(p, "label"),
        uuid=None if uuid is False else
        call(_scheme(interp, ("gnu", "system", "uuid"), "uuid->string"), uuid),
        file_system=_field(p, "file-system"),
        file_system_options=list(_list(_field(p, "file-system-options"))),
        flags=flags,
        size=size if type(size) is int else None,
        offset=_field(p, "offset"),
        is_root="boot" in flags,
        initializer=init,
        initializer_options=options)


def image_spec(interp: Any, image_record: Any) -> ImageSpec:
    """Describe ``image_record``, an ``<image>``, as schemos builds it.

    When the image has an operating system, its root partition is the one
    ``image-with-root-file-system`` makes: labelled as the operating
    system's root file system says, as large as the image when its own size
    is ``'guess``.  The target is the one ``system-image`` chooses (the
    platform's, unless the image is for the current system).
    """
    from schemos.runtime.core import call

    def work() -> ImageSpec:
        record = image_record
        if _field(record, "operating-system") is not False:
            record = call(_scheme(interp, ("gnu", "system", "image"),
                                  "image-with-root-file-system"), record)
        system_image = call(_scheme(interp, ("gnu", "system", "image"), "system-image"),
                            record)
        target = call(_scheme(interp, ("gnu", "system", "image"), "system-image-target"),
                      system_image)
        platform = _field(record, "platform")
        system = False if platform is False else _field(platform, "system")
        fmt = _name(_field(record, "format"))
        name = _field(record, "name")
        size = _field(record, "size")
        os_record = _field(record, "operating-system")
        return ImageSpec(
            name=_name(name) if name is not False else _DEFAULT_NAMES.get(fmt, "image"),
            format=fmt,
            target=target if type(target) is str else None,
            platform=system if type(system) is str else None,
            size=size if type(size) is int else None,
            partition_table_type=_name(_field(record, "partition-table-type")),
            partitions=[_partition(interp, p) for p in _list(_field(record, "partitions"))],
            volatile_root=_field(record, "volatile-root?") is not False,
            shared_store=_field(record, "shared-store?") is not False,
            os=None if os_record is False else os_record,
            record=record)

    return _run(interp, work)


def is_image(value: Any) -> bool:
    """True if ``value`` is an ``<image>`` record of ``(gnu image)``."""
    from schemos.runtime.control import Record

    if type(value) is not Record:
        return False
    n = value.rtd.name
    return getattr(n, "name", n) in ("<image>", "image")


def image_record_spec(interp: Any, image_record: Any, size: int | None = None) -> ImageSpec:
    """:func:`image_spec` of ``image_record`` with its size set to ``size`` if given.

    As ``guix system image --image-size=SIZE FILE`` when FILE evaluates to
    an image rather than an operating system (``-t`` is then not used).
    """
    if size is None:
        return image_spec(interp, image_record)
    from schemos.runtime.core import call

    return image_spec(interp, _run(interp, lambda: call(_resizer(interp), image_record,
                                                        size)))


def image_type_names(interp: Any) -> list[str]:
    """The names of every known image type, sorted."""
    from schemos.runtime.control import force

    def work() -> list[str]:
        types = force(_scheme(interp, ("gnu", "system", "image"), "%image-types"))
        return sorted(_name(_field(t, "name")) for t in _list(types))

    return _run(interp, work)


def image_for_type(interp: Any, os_record: Any, type_name: str,
                   size: int | None = None) -> ImageSpec:
    """The image of type ``type_name`` of ``os_record``, ``size`` bytes large.

    As ``guix system image -t TYPE --image-size=SIZE``: ``os->image`` with
    the type ``lookup-image-type-by-name`` finds, then the image's size set
    (``None`` leaves Guix's ``'guess``).  An unknown type is an error
    condition listing the known ones.
    """
    from schemos.errors import Condition, SchemeError, nearest_names
    from schemos.runtime.core import call

    if size is not None and (type(size) is not int or size <= 0):
        raise SchemeError(Condition(
            "misc-error", "image size (~A) can only be a positive number of bytes",
            args=[size], hint="give the size in bytes, or none to let it be estimated"))
    known = image_type_names(interp)
    if type_name not in known:
        near = nearest_names(type_name, known)
        raise SchemeError(Condition(
            "misc-error", "~A: no such image type", args=[type_name],
            irritants=[Symbol(type_name)],
            hint=(f"did you mean {' or '.join(near)}? " if near else "")
            + "the known image types are " + ", ".join(known)))

    def work() -> Any:
        lookup = _scheme(interp, ("gnu", "system", "image"), "lookup-image-type-by-name")
        os_to_image = _scheme(interp, ("gnu", "image"), "os->image")
        image = call(os_to_image, os_record, Keyword("type"),
                     call(lookup, Symbol(type_name)))
        if size is not None:
            image = call(_resizer(interp), image, size)
        return image

    return image_spec(interp, _run(interp, work))
