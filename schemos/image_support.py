"""``(schemos image-support)``: what the lowering of disk images asks the image backend.

``(schemos image-derivation)`` (``stdlib/schemos/image-derivation.scm``)
lowers ``(system-image IMAGE)`` to the derivation that builds the disk image.
The parameters it writes into the builder script -- the root partition's
label, UUID, file system and options, size, whether the image is the
Hurd's, the store database's journal mode -- are the ones ``schemos image``
uses, decided here by :func:`schemos.image.build.disk_parameters` from
:func:`schemos.image.spec.image_spec`, so that the two ways of building an
image cannot disagree.
"""

from __future__ import annotations

from typing import Any

from schemos.datum import Pair, Symbol, from_list
from schemos.runtime.pymodules import python_module, scheme_procedure


def _alist(pairs: list[tuple[str, Any]]) -> Any:
    return from_list([Pair(Symbol(k), v) for k, v in pairs])


@scheme_procedure("%image-disk-parameters", "(image target)")
def image_disk_parameters(image: Any, target: Any) -> Any:
    """The disk parameters of ``image`` (an ``<image>`` with an operating system)
    built for ``target`` (a GNU triplet or #f), as an alist.

    Keys: ``name`` (the store item's name, as Guix names it: the image's
    name, else ``disk-image``), ``format``, ``label``, ``uuid`` (a string or
    #f), ``file-system``, ``file-system-options``, ``size`` (bytes or
    ``guess``), ``hurd?`` and ``wal-mode?``.  A format schemos does not
    build raises an ``image-error`` condition.
    """
    import dataclasses

    from schemos.image.build import disk_parameters
    from schemos.image.spec import image_spec
    from schemos.store import lower

    spec = image_spec(lower.INTERP, image)
    spec = dataclasses.replace(spec, target=target if type(target) is str else None)
    params = disk_parameters(spec, who=f"system-image {spec.name}")
    return _alist([
        ("name", spec.name),
        ("format", Symbol(params.format)),
        ("label", params.label),
        ("uuid", params.uuid if params.uuid is not None else False),
        ("file-system", params.file_system),
        ("file-system-options", from_list(list(params.file_system_options))),
        ("size", params.size if params.size is not None else Symbol("guess")),
        ("hurd?", params.hurd),
        ("wal-mode?", params.wal),
    ])


python_module("schemos image-support", {"%image-disk-parameters": image_disk_parameters})
