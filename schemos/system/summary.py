"""A readable summary of an operating system, for ``schemos eval``."""

from __future__ import annotations

from typing import Any

from schemos.datum import Pair, Symbol


def _pkg(p: Any) -> str:
    from schemos.system.graph import _package_spec

    if type(p).__name__ == "Record":
        return _package_spec(p)
    from schemos.printer import display_string

    return display_string(p)


def _items(x: Any) -> list[Any]:
    out = []
    while type(x) is Pair:
        out.append(x.car)
        x = x.cdr
    return out


def summary(os: Any) -> str:
    """Host name, kernel/hurd, bootloader, file systems, users, packages, services."""
    from schemos.interp import _Worker

    return _Worker.run(lambda: _summary(os))


def _summary(os: Any) -> str:
    from schemos.printer import display_string, write_string
    from schemos.system.graph import Model, _fields, _package_list, services_of

    f = os.fields
    lines = [f"host name:    {f.get('host-name')}"]
    lines.append(f"kernel:       {_pkg(f.get('kernel'))}")
    hurd = f.get("hurd")
    if hurd is not False and hurd is not None:
        lines.append(f"hurd:         {_pkg(hurd)}")
    bl = f.get("bootloader")
    if type(bl).__name__ == "Record":
        bf = dict(_fields(bl))
        b = bf.get("bootloader")
        bname = dict(_fields(b)).get("name") if type(b).__name__ == "Record" else b
        targets = bf.get("targets")
        tl = [display_string(t) for t in _items(targets)] if type(targets) is Pair else []
        if not tl and isinstance(bf.get("target"), str):
            # the deprecated 'target' field still counts, as in
            # bootloader-configuration-targets
            tl = [bf["target"]]
        lines.append(f"bootloader:   {display_string(bname)}"
                     + (f" on {', '.join(tl)}" if tl else ""))
    fss = []
    for fs in _items(f.get("file-systems")):
        d = dict(_fields(fs))
        dev = d.get("device")
        if type(dev).__name__ == "Record":
            dd = dict(_fields(dev))
            dev = f"label {write_string(dd.get('label'))}" if "label" in dd else \
                display_string(dev)
        else:
            dev = display_string(dev)
        fss.append(f"{d.get('mount-point')} ({d.get('type')}, {dev})")
    lines.append(f"file systems: {len(fss)}")
    lines.extend(f"  {x}" for x in fss)
    users = [dict(_fields(u)).get("name") for u in _items(f.get("users"))]
    lines.append(f"users:        {', '.join(str(u) for u in users) or '(none)'}")
    lines.append(f"timezone:     {f.get('timezone')}")
    model = Model(os.interp)
    pkgs = sorted(_pkg(p) for p in _package_list(model, os.record))
    lines.append(f"packages:     {len(pkgs)}")
    lines.extend(f"  {p}" for p in pkgs)
    svcs = services_of(model, os.record)
    lines.append(f"services:     {len(svcs)}")
    for s in svcs:
        st = model.call("gnu services", "service-kind", s)
        n = model.call("gnu services", "service-type-name", st)
        lines.append(f"  {n.name if type(n) is Symbol else n}")
    return "\n".join(lines) + "\n"
