"""The canonical system graph of an evaluated operating system.

One deterministic data structure, serialised as JSON (schema in
``docs/system-graph.md``): the operating system's fields, every service
instance (type, canonical value, where it was written), the extension edges
between services, the shepherd services, the system profile's packages and
the ``/etc`` files.  Values are rendered structurally — records by their
fields, packages as ``name@version`` references, gexps by their text — so an
OS spelled out in full and the same OS built with ``inherit`` give the same
graph, and the same input gives byte-identical JSON.

The Guix model itself is Scheme (``stdlib/gnu/…``); this module only asks it
questions through the procedures Guix users know (``operating-system-services``,
``fold-services``, ``service-kind`` …).
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from typing import Any

from schemos.datum import EOF, NIL, UNSPECIFIED, Char, Keyword, Pair, Symbol, Values
from schemos.runtime.core import call

SCHEMA = "schemos-system-graph"
VERSION = 1

#: Guix's edge colours (guix graph), chosen per node from a stable hash
COLORS = ["red", "magenta", "blue", "cyan3", "darkseagreen", "peachpuff4", "darkviolet",
          "dimgrey", "darkgoldenrod"]


class Model:
    """Access to the Scheme procedures of the Guix model in one interpreter."""

    def __init__(self, interp: Any) -> None:
        self.interp = interp
        self._cache: dict[str, Any] = {}

    def proc(self, module: str, name: str) -> Any:
        """The value of ``name`` in module ``module`` (e.g. ``"gnu services"``)."""
        key = module + "/" + name
        v = self._cache.get(key)
        if v is None:
            m = self.interp.modsys.resolve(tuple(module.split()))
            v = m.ref(name)
            self._cache[key] = v
        return v

    def call(self, module: str, name: str, *args: Any) -> Any:
        """Call procedure ``name`` of ``module``."""
        return call(self.proc(module, name), *args)


def _record_type_name(r: Any) -> str:
    n = r.rtd.name
    s = n.name if type(n) is Symbol else str(n)
    if s.startswith("<") and s.endswith(">"):
        s = s[1:-1]
    return s


def _fields(r: Any) -> list[tuple[str, Any]]:
    from schemos.records import field_value

    out = []
    for f in r.rtd.fields:
        try:
            v = field_value(r, f)
        except Exception as e:  # noqa: BLE001 - a field that cannot be computed is shown so
            v = _Unavailable(str(e))
        out.append((f.name, v))
    return out


class _Unavailable:
    def __init__(self, why: str) -> None:
        self.why = why


def canonical(x: Any, depth: int = 0) -> Any:
    """A JSON-ready rendering of a Scheme value, independent of object identity."""
    from schemos.printer import write_string
    from schemos.runtime.control import Record

    t = type(x)
    if x is True or x is False or x is None:
        return x
    if t is int:
        return x if -(2**53) < x < 2**53 else {"integer": str(x)}
    if t is float:
        return {"real": write_string(x)}
    if t is Fraction:
        return {"rational": write_string(x)}
    if t is str:
        if x.startswith(_STDLIB_PREFIX):
            return x[len(_STDLIB_PREFIX):]  # independent of where schemos is installed
        return x
    if t is Symbol:
        return {"symbol": x.name}
    if t is Keyword:
        return {"keyword": x.name}
    if t is Char:
        return {"char": write_string(x)}
    if x is NIL:
        return []
    if x is UNSPECIFIED or x is EOF:
        return {"unspecified": True}
    if t is Pair:
        items = []
        p = x
        while type(p) is Pair:
            items.append(canonical(p.car, depth + 1))
            p = p.cdr
        if p is not NIL:
            return {"pair": items, "tail": canonical(p, depth + 1)}
        return items
    if t is list:
        return {"vector": [canonical(e, depth + 1) for e in x]}
    if t is bytearray:
        return {"bytevector": x.hex()}
    if t is Values:
        return {"values": [canonical(e, depth + 1) for e in x.vals]}
    if t is _Unavailable:
        return {"unavailable": x.why}
    if t is Record:
        tn = _record_type_name(x)
        if tn == "package":
            return {"package": _package_spec(x)}
        if tn == "origin":
            d = dict(_fields(x))
            return {"origin": canonical(d.get("uri"), depth + 1)}
        if depth > 12:
            return {"record": tn}
        # a record's location says where it was written, not what it is: an OS
        # spelled out in full and the same OS built with inherit must agree
        return {"record": tn,
                "fields": {k: canonical(v, depth + 1) for k, v in _fields(x)
                           if k != "location"}}
    from schemos.gexp import Gexp, GexpInput, GexpOutput

    if t is Gexp:
        return {"gexp": canonical(x.substituted(), depth + 1)}
    if t is GexpInput:
        if type(x.thing) is GexpOutput:
            return {"gexp-output": x.thing.name}
        return {"gexp-input": canonical(x.thing, depth + 1), "output": x.output}
    if t is GexpOutput:
        return {"gexp-output": x.name}
    if callable(x):
        from schemos.runtime.procinfo import procedure_info

        name, _ = procedure_info(x)
        return {"procedure": name or "anonymous"}
    return {"object": write_string(x)}


def _stdlib_prefix() -> str:
    from schemos.paths import STDLIB_DIR

    return str(STDLIB_DIR) + "/"


_STDLIB_PREFIX = _stdlib_prefix()


def _package_spec(p: Any) -> str:
    d = dict(_fields(p))
    name = d.get("name")
    version = d.get("version")
    return f"{name}@{version}" if isinstance(version, str) and version else str(name)


def _location(x: Any) -> str | None:
    from schemos.datum import SourceLoc

    if isinstance(x, SourceLoc):
        return f"{_shown_file(x.file)}:{x.line}"
    if type(x).__name__ == "Record":
        d = dict(_fields(x))
        f, ln = d.get("file"), d.get("line")
        if isinstance(f, str) and isinstance(ln, int):
            return f"{_shown_file(f)}:{ln}"
    if type(x) is list and len(x) >= 2 and isinstance(x[0], str) and type(x[1]) is int:
        return f"{_shown_file(x[0])}:{x[1]}"
    return None


def _shown_file(f: str | None) -> str:
    """Files of schemos' stdlib by module path (as Guix shows gnu/services.scm), so the
    graph does not depend on where schemos is installed."""
    from schemos.paths import STDLIB_DIR

    if not f:
        return "<unknown>"
    try:
        from pathlib import Path

        return str(Path(f).resolve().relative_to(STDLIB_DIR))
    except ValueError:
        return f


def _service_type(model: Model, s: Any) -> Any:
    return model.call("gnu services", "service-kind", s)


def _type_name(model: Model, st: Any) -> str:
    n = model.call("gnu services", "service-type-name", st)
    return n.name if type(n) is Symbol else str(n)


def _scheme_list(x: Any) -> list[Any]:
    out = []
    while type(x) is Pair:
        out.append(x.car)
        x = x.cdr
    return out


def services_of(model: Model, os: Any) -> list[Any]:
    """The instantiated services of ``os`` (essential plus user services), as Guix lists them."""
    return _scheme_list(model.call("gnu system", "operating-system-services", os))


def extension_edges(model: Model, services: list[Any]) -> list[tuple[int, int]]:
    """(extending service index, extended service index) pairs."""
    by_type: dict[int, list[int]] = {}
    for i, s in enumerate(services):
        by_type.setdefault(id(_service_type(model, s)), []).append(i)
    edges = []
    for i, s in enumerate(services):
        st = _service_type(model, s)
        for ext in _scheme_list(model.call("gnu services", "service-type-extensions", st)):
            target = model.call("gnu services", "service-extension-target", ext)
            for j in by_type.get(id(target), []):
                edges.append((i, j))
    return edges


def shepherd_services(model: Model, services: list[Any]) -> list[Any]:
    """The shepherd services the system runs."""
    root_type = model.proc("gnu services shepherd", "shepherd-root-service-type")
    from schemos.datum import Keyword as K
    from schemos.datum import from_list

    folded = call(model.proc("gnu services", "fold-services"), from_list(services),
                  K("target-type"), root_type)
    value = model.call("gnu services", "service-value", folded)
    if type(value).__name__ == "Record":
        # Guix 1.5: the root's value is a shepherd-configuration holding the services
        value = dict(_fields(value)).get("services")
    return _scheme_list(value)


def _shepherd_info(model: Model, s: Any) -> dict[str, Any]:
    def get(name: str) -> Any:
        return model.call("gnu services shepherd", name, s)

    prov = [p.name if type(p) is Symbol else str(p)
            for p in _scheme_list(get("shepherd-service-provision"))]
    req = [p.name if type(p) is Symbol else str(p)
           for p in _scheme_list(get("shepherd-service-requirement"))]
    info: dict[str, Any] = {"provision": prov, "requirement": req}
    for key, proc in (("one-shot", "shepherd-service-one-shot?"),
                      ("respawn", "shepherd-service-respawn?"),
                      ("auto-start", "shepherd-service-auto-start?"),
                      ("documentation", "shepherd-service-documentation")):
        try:
            v = get(proc)
        except Exception:  # noqa: BLE001 - older models lack some fields
            continue
        info[key] = canonical(v)
    return info


def system_graph(interp: Any, os: Any) -> dict[str, Any]:
    """The canonical system graph of operating-system record ``os``."""
    model = Model(interp)
    services = services_of(model, os)
    names = [_type_name(model, _service_type(model, s)) for s in services]
    counts: dict[str, int] = {}
    ids = []
    for n in names:
        k = counts.get(n, 0)
        counts[n] = k + 1
        ids.append(n if k == 0 else f"{n}#{k}")
    # a name used more than once gets #0 on its first use too, for clarity
    ids = [f"{n}#0" if counts[n] > 1 and i == n else i for n, i in zip(names, ids, strict=True)]
    svc_json = []
    for i, s in enumerate(services):
        d = dict(_fields(s))
        entry: dict[str, Any] = {"id": ids[i], "type": names[i],
                                 "value": canonical(model.call("gnu services",
                                                               "service-value", s))}
        loc = _location(d.get("location")) if "location" in d else None
        if loc is None:
            loc = _location(model.call("gnu services", "service-type-location",
                                       _service_type(model, s))) \
                if _has(model, "gnu services", "service-type-location") else None
        entry["location"] = loc
        svc_json.append(entry)
    edges = sorted({(ids[a], ids[b]) for a, b in extension_edges(model, services)})
    shepherd = sorted((_shepherd_info(model, s) for s in shepherd_services(model, services)),
                      key=lambda d: d["provision"])
    os_fields = {k: canonical(v) for k, v in _fields(os)
                 if k not in ("services", "essential-services", "packages", "location")}
    packages = sorted({_package_spec(p) if type(p).__name__ == "Record" else
                       json.dumps(canonical(p), sort_keys=True)
                       for p in _package_list(model, os)})
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "operating-system": os_fields,
        "services": svc_json,
        "extensions": [{"from": a, "to": b} for a, b in edges],
        "shepherd": shepherd,
        "packages": packages,
        "etc": _etc_files(model, services),
    }


def _has(model: Model, module: str, name: str) -> bool:
    try:
        model.proc(module, name)
        return True
    except Exception:  # noqa: BLE001
        return False


def _package_list(model: Model, os: Any) -> list[Any]:
    items = []
    for p in _scheme_list(model.call("gnu system", "operating-system-packages", os)):
        # (package output) and ("label" package) forms
        if type(p) is Pair:
            p = next((x for x in _scheme_list(p) if type(x).__name__ == "Record"), p)
        items.append(p)
    return items


def _etc_files(model: Model, services: list[Any]) -> list[str]:
    try:
        etc_type = model.proc("gnu services", "etc-service-type")
    except Exception:  # noqa: BLE001
        return []
    from schemos.datum import Keyword as K
    from schemos.datum import from_list

    try:
        folded = call(model.proc("gnu services", "fold-services"), from_list(services),
                      K("target-type"), etc_type)
        value = model.call("gnu services", "service-value", folded)
    except Exception:  # noqa: BLE001 - a model without an etc fold has no /etc listing
        return []
    names = []
    for entry in _scheme_list(value):
        if type(entry) is Pair and type(entry.car) is str:
            names.append(entry.car)
    return sorted(set(names))


def to_json(graph: dict[str, Any]) -> str:
    """Serialise a system graph deterministically."""
    return json.dumps(graph, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _color(key: str) -> str:
    h = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)
    return COLORS[h % len(COLORS)]


def extension_dot(interp: Any, os: Any) -> str:
    """DOT text in the shape of ``guix system extension-graph``."""
    model = Model(interp)
    services = services_of(model, os)
    names = [_type_name(model, _service_type(model, s)) for s in services]
    edges = extension_edges(model, services)
    incoming: dict[int, list[int]] = {}
    for a, b in edges:
        incoming.setdefault(b, []).append(a)
    try:
        sys_type = model.proc("gnu services", "system-service-type")
        roots = [i for i, s in enumerate(services) if _service_type(model, s) is sys_type]
    except Exception:  # noqa: BLE001
        roots = []
    if not roots:
        roots = [i for i in range(len(services)) if not any(a == i for a, _ in edges)]
    node_id = {i: str(100000 + i) for i in range(len(services))}
    lines = ['digraph "Guix service" {']
    seen: set[int] = set()
    stack = list(reversed(roots))
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        lines.append(f'  "{node_id[n]}" [label = "{names[n]}", shape = box, '
                     'fontname = sans];')
        deps = incoming.get(n, [])
        for d in deps:
            lines.append(f'  "{node_id[d]}" -> "{node_id[n]}" '
                         f'[color = {_color(names[d])}];')
        stack.extend(reversed(deps))
    lines.append("}")
    return "\n".join(lines) + "\n"


def shepherd_dot(interp: Any, os: Any) -> str:
    """DOT text in the shape of ``guix system shepherd-graph``."""
    model = Model(interp)
    services = services_of(model, os)
    infos = [_shepherd_info(model, s) for s in shepherd_services(model, services)]
    key = {p: " ".join(i["provision"]) for i in infos for p in i["provision"]}
    dependents: dict[str, list[str]] = {}
    for i in infos:
        me = " ".join(i["provision"])
        for r in i["requirement"]:
            dependents.setdefault(key.get(r, r), []).append(me)
    lines = ['digraph "Guix shepherd-service" {']
    for i in sorted(infos, key=lambda d: d["provision"]):
        me = " ".join(i["provision"])
        lines.append(f'  "{me}" [label = "{me}", shape = box, fontname = sans];')
        for d in sorted(dependents.get(me, [])):
            lines.append(f'  "{d}" -> "{me}" [color = {_color(d)}];')
    lines.append("}")
    return "\n".join(lines) + "\n"
