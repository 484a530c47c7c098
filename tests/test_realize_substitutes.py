"""Realizing with substitutes: stand-in caches, ``schemos build --substitute-urls``, weather.

A small binary cache is made with :func:`publish_standins` (signed stand-in
outputs for the derivations a build has to substitute, published as
``schemos publish`` does); then builds fetch from it with ``file://`` URLs
into fresh stores, and build the rest locally.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from schemos.errors import SchemeError
from schemos.store.api import read_derivation
from schemos.store.derivation import Derivation
from schemos.store.disk import LocalStore
from schemos.store.nar import iter_nar, nar_hash
from schemos.store.realize import Report, plan, realize, realize_closure
from schemos.substitutes import pki
from schemos.substitutes.client import Substituter, substitute
from schemos.substitutes.narinfo import make_narinfo, parse_narinfo
from schemos.substitutes.publish import publish
from schemos.substitutes.standin import (
    default_content,
    lower_roots,
    publish_standins,
    standin_derivations,
)
from schemos.substitutes.weather import derivation_items

ROOT = Path(__file__).resolve().parents[1]
HELLO = "(@ (gnu packages base) hello)"
#: a local build referring to a package
EXPR = f'(computed-file "x" #~(symlink #${HELLO} #$output))'


def schemos(*args: str, store: Path | None = None, **kw: Any
            ) -> subprocess.CompletedProcess[str]:
    """Run the schemos CLI in a fresh process (with ``--store`` when given)."""
    env = {k: v for k, v in os.environ.items() if k != "SCHEMOS_SUBSTITUTE_URLS"}
    extra = ["--store", str(store)] if store is not None else []
    return subprocess.run([sys.executable, "-m", "schemos.cli", *args, *extra], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600, check=False,
                          **kw)


def hello_content(drv: Derivation, output: str, path: Path) -> None:
    """Stand-ins as by default; hello's also has a script naming its builder's Guile."""
    default_content(drv, output, path)
    if drv.name.startswith("hello"):
        (path / "bin").mkdir()
        (path / "bin" / "hello").write_text(f"#!{drv.builder}\n(display \"Hello!\")\n")
        (path / "bin" / "hello").chmod(0o755)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A key, its ACL, the lowered expression and a stand-in cache for it."""
    tmp = tmp_path_factory.mktemp("realize")
    key = pki.generate_key_pair()
    acl = tmp / "acl"
    pki.authorize_key(key.public, acl)
    drvstore = tmp / "drvs"
    r = schemos("build", "-d", "-e", EXPR, store=drvstore)
    assert r.returncode == 0, r.stderr
    drv = r.stdout.strip()
    cache = tmp / "cache"
    published = publish_standins([drv], cache, key, store_root=drvstore,
                                 content=hello_content)
    s = LocalStore(drvstore)
    x = read_derivation(s, drv)
    hello_drv = next(p for p in x.inputs if p.endswith("-hello-2.12.2.drv"))
    hello = read_derivation(s, hello_drv)
    guile_out = hello.builder[: -len("/bin/guile")]
    s.close()
    return {"tmp": tmp, "key": key, "acl": acl, "drvstore": drvstore, "drv": drv,
            "x_out": x.outputs["out"].path, "hello_drv": hello_drv,
            "hello_out": hello.outputs["out"].path, "guile_out": guile_out,
            "cache": cache, "published": published}


def base(path: str) -> str:
    return path.rsplit("/", 1)[1]


def test_standins_are_what_realize_substitutes(world: dict[str, Any]) -> None:
    # hello (a package, not buildable here) and the Guile running x's builder
    published = world["published"]
    assert world["hello_out"] in published and world["guile_out"] in published
    assert not any(p == world["x_out"] for p in published)          # x is built locally
    s = LocalStore(world["drvstore"])
    states = plan(s, [world["drv"]])
    assert states[world["drv"]] == "build" and states[world["hello_drv"]] == "missing"
    # hello's inputs (sources, toolchain) are not needed: it is substituted whole
    assert len(states) == len(standin_derivations([world["drv"]], world["drvstore"])) + 1
    s.close()
    info = parse_narinfo((world["cache"] / f"{base(world['hello_out'])[:32]}.narinfo")
                         .read_bytes())
    assert info.references == [base(world["guile_out"])]          # found by scanning
    assert info.deriver == base(world["hello_drv"])
    assert pki.verify_narinfo(info, [world["key"].public]).valid


def test_build_substitutes_hello_and_builds_the_computed_file(world: dict[str, Any]
                                                              ) -> None:
    store = world["tmp"] / "build"
    r = schemos("build", "-v", "--substitute-urls", f"file://{world['cache']}",
                "--acl", str(world["acl"]), "-e", EXPR, store=store)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [world["x_out"]]                  # as 'guix build' prints
    assert f"substituting {world['hello_out']}..." in r.stderr
    assert f"building {world['drv']}..." in r.stderr
    n = len(world["published"])
    assert f"{n} item(s) substituted, 1 built, 0 already valid" in r.stderr
    s = LocalStore(store)
    x = s.physical(world["x_out"])
    assert os.readlink(x) == world["hello_out"]
    # one store: the substituted items are in the database, with references and deriver
    for item in world["published"]:
        assert s.is_valid(item)
    assert s.references(world["hello_out"]) == [world["guile_out"]]
    info = s.query_path_info(world["hello_out"])
    assert info is not None and info["deriver"] == world["hello_drv"]
    digest, size = nar_hash(s.physical(world["hello_out"]))
    assert (info["hash"], info["nar_size"]) == ("sha256:" + digest.hex(), size)
    assert world["hello_out"] in s.references(world["x_out"])      # a local build's output
    assert (s.physical(world["hello_out"]) / "bin" / "hello").read_text().startswith("#!")
    assert not (store / ".narinfo").exists()
    s.close()
    # everything is valid now: nothing is fetched or built again
    r = schemos("build", "--substitute-urls", f"file://{world['cache']}",
                "--acl", str(world["acl"]), "-e", EXPR, store=store)
    assert r.returncode == 0, r.stderr
    assert "0 item(s) substituted, 0 built, 1 already valid" in r.stderr
    assert r.stdout.split() == [world["x_out"]]


def test_a_missing_item_is_listed_and_exits_1(world: dict[str, Any]) -> None:
    cache = world["tmp"] / "no-hello"
    shutil.copytree(world["cache"], cache)
    (cache / f"{base(world['hello_out'])[:32]}.narinfo").unlink()
    store = world["tmp"] / "missing"
    r = schemos("build", "--substitute-urls", f"file://{cache}", "--acl", str(world["acl"]),
                "-e", EXPR, store=store)
    assert r.returncode == 1
    assert r.stdout == ""
    assert "1 derivation cannot be realized" in r.stderr
    assert f"{world['hello_drv']} -> {world['hello_out']}" in r.stderr
    assert f"file://{cache}: no substitute" in r.stderr
    assert "hint:" in r.stderr and "schemos publish" in r.stderr
    s = LocalStore(store)
    assert not s.is_valid(world["hello_out"]) and not s.is_valid(world["x_out"])
    s.close()
    # without substitute URLs: what can be built is, the rest is counted (as before)
    r = schemos("build", "-e", EXPR, store=store)
    assert r.returncode == 0, r.stderr
    assert "need a Guix daemon or substitutes" in r.stderr


def test_unsigned_and_untrusted_narinfos_are_refused(world: dict[str, Any]) -> None:
    other = world["tmp"] / "other-acl"
    pki.authorize_key(pki.generate_key_pair().public, other)
    store = world["tmp"] / "untrusted"
    r = schemos("build", "--substitute-urls", f"file://{world['cache']}", "--acl", str(other),
                "-e", EXPR, store=store)
    assert r.returncode == 1
    assert "unauthorized-key" in r.stderr and world["hello_out"] in r.stderr
    unsigned = world["tmp"] / "unsigned"
    shutil.copytree(world["cache"], unsigned)
    for f in unsigned.glob("*.narinfo"):
        f.write_text("".join(line for line in f.read_text().splitlines(keepends=True)
                             if not line.startswith("Signature:")))
    r = schemos("build", "--substitute-urls", f"file://{unsigned}", "--acl",
                str(world["acl"]), "-e", EXPR, store=store)
    assert r.returncode == 1
    assert "unsigned" in r.stderr
    s = LocalStore(store)
    assert not any(s.is_valid(p) for p in world["published"])
    assert not [n for n in os.listdir(store) if not n.startswith(".") and
                not n.endswith(".drv") and n in {base(p) for p in world["published"]}]
    s.close()


def test_realize_library_api(world: dict[str, Any]) -> None:
    store = LocalStore(world["tmp"] / "api")
    shutil.copytree(world["drvstore"], store.root, dirs_exist_ok=True)   # the .drv files
    store = LocalStore(world["tmp"] / "api")
    urls = [f"file://{world['cache']}"]
    with pytest.raises(SchemeError) as e:
        realize(store, [world["drv"]])                              # no substitute URLs
    assert e.value.condition is not None
    assert e.value.condition.key.name == "missing-items"
    report = realize(store, [world["drv"]], missing_ok=True)
    assert report.missing_items() == [(world["hello_drv"], world["hello_out"])]
    assert report.blocked == [world["drv"]]
    lines: list[str] = []
    report = realize_closure(store, [world["drv"]], substitute_urls=urls,
                             acl=[world["key"].public], progress=lines.append)
    assert isinstance(report, Report)
    assert report.built == [world["x_out"]]
    assert sorted(report.substituted) == world["published"]
    assert not report.missing and not report.failed
    assert any(line.startswith("substituting") for line in lines)
    again = realize(store, [world["drv"]], substitute_urls=urls, acl=[world["key"].public])
    assert again.valid == [world["x_out"]] and not again.built and not again.substituted
    store.close()


def test_publishing_from_a_store_uses_its_database(world: dict[str, Any]) -> None:
    store = world["tmp"] / "build"             # filled by the build test, or fill it now
    substitute([world["hello_out"]], [f"file://{world['cache']}"], store,
               [world["key"].public])
    cache = world["tmp"] / "republished"
    done = publish([world["hello_out"]], cache, world["key"], store_root=store,
                   closure=True)
    assert sorted(p.narinfo.store_path for p in done) == \
        sorted([world["hello_out"], world["guile_out"]])
    info = parse_narinfo((cache / f"{base(world['hello_out'])[:32]}.narinfo").read_bytes())
    assert info.references == [base(world["guile_out"])]
    assert info.deriver == base(world["hello_drv"])


def test_an_item_renamed_but_not_registered_is_checked_and_registered(
        world: dict[str, Any]) -> None:
    """A fetch killed between the rename and the registration leaves an invalid item."""
    src = world["tmp"] / "build"
    substitute([world["guile_out"]], [f"file://{world['cache']}"], src,
               [world["key"].public])
    store = world["tmp"] / "half"
    store.mkdir()
    shutil.copytree(src / base(world["guile_out"]), store / base(world["guile_out"]),
                    symlinks=True)
    s = LocalStore(store)
    assert not s.is_valid(world["guile_out"])
    log: list[str] = []
    sub = Substituter([f"file://{world['cache']}"], store, [world["key"].public],
                      store=s, log=log.append)
    sub.ensure(world["guile_out"])
    assert s.is_valid(world["guile_out"]) and log == []             # not downloaded again
    # a damaged leftover is replaced by a fresh download
    s.close()
    store2 = world["tmp"] / "damaged"
    store2.mkdir()
    (store2 / base(world["hello_out"])).write_text("garbage")
    got = substitute([world["hello_out"]], [f"file://{world['cache']}"], store2,
                     [world["key"].public])
    assert b"".join(iter_nar(got[0])) == b"".join(iter_nar(src / base(world["hello_out"])))


def test_legacy_narinfo_records_are_migrated(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    item = store / ("0" * 32 + "-data")
    item.write_text("data")
    digest, size = nar_hash(item)
    (store / ".narinfo").mkdir()
    (store / ".narinfo" / ("0" * 32 + ".narinfo")).write_text(
        make_narinfo(f"/gnu/store/{item.name}", digest, size, [], None,
                     "/gnu/store/" + "1" * 32 + "-data.drv").to_text())
    sub = Substituter([], store, [])
    assert sub.store is not None and sub.store.is_valid(f"/gnu/store/{item.name}")
    assert sub.store.query_path_info(f"/gnu/store/{item.name}")["deriver"].endswith(
        "-data.drv")
    assert not (store / ".narinfo").exists()
    sub.close()


def _availability(text: str) -> tuple[int, int]:
    m = re.search(r"substitutes available \((\d+) out of (\d+)\)", text)
    assert m, text
    return int(m.group(1)), int(m.group(2))


def test_weather_of_an_expression(world: dict[str, Any]) -> None:
    r = schemos("weather", "--substitute-urls", f"file://{world['cache']}", "-e", EXPR,
                store=world["drvstore"])
    assert r.returncode == 0, r.stderr
    total = derivation_items([world["drv"]], world["drvstore"])
    assert _availability(r.stdout) == (len(world["published"]), len(total))


@pytest.fixture(scope="module")
def hurd(world: dict[str, Any]) -> dict[str, Any]:
    """bare-hurd.tmpl cross-built for i586-pc-gnu, and a stand-in cache for it."""
    drvstore = world["tmp"] / "hurd-drvs"
    roots = lower_roots(drvstore, file=ROOT / "examples" / "bare-hurd.tmpl",
                        target="i586-pc-gnu")
    cache = world["tmp"] / "hurd-cache"
    published = publish_standins(roots, cache, world["key"], store_root=drvstore)
    return {"drvstore": drvstore, "roots": roots, "cache": cache, "published": published}


def test_weather_of_an_operating_system(world: dict[str, Any], hurd: dict[str, Any]) -> None:
    r = schemos("weather", "--substitute-urls", f"file://{hurd['cache']}",
                "--target", "i586-pc-gnu", "examples/bare-hurd.tmpl", store=hurd["drvstore"])
    assert r.returncode == 0, r.stderr
    total = derivation_items(hurd["roots"], hurd["drvstore"])
    assert _availability(r.stdout) == (len(hurd["published"]), len(total))
    assert len(hurd["published"]) < len(total)


def test_build_an_operating_system_with_substitutes(world: dict[str, Any],
                                                     hurd: dict[str, Any]) -> None:
    """The system derivation builds: packages substituted, profile and files built here."""
    store = world["tmp"] / "hurd-build"
    r = schemos("build", "--substitute-urls", f"file://{hurd['cache']}", "--acl",
                str(world["acl"]), "--target", "i586-pc-gnu", "examples/bare-hurd.tmpl",
                store=store)
    assert r.returncode == 0, r.stderr
    system = r.stdout.strip()
    assert system.endswith("-system") and "\n" not in system
    s = LocalStore(store)
    assert s.is_valid(system)
    root = s.physical(system)
    assert {"boot", "etc", "hurd", "kernel", "locale", "parameters", "profile"} <= \
        set(os.listdir(root))
    profile = s.physical(os.readlink(root / "profile"))
    assert (profile / "manifest").read_text().startswith("(manifest")
    assert "export PATH=" in (profile / "etc" / "profile").read_text()
    links = [os.readlink(os.path.join(d, n)) for d, dirs, files in os.walk(profile)
             for n in dirs + files if os.path.islink(os.path.join(d, n))]
    assert links and all(t.startswith("/gnu/store/") for t in links)   # a union of links
    # the whole closure is valid
    todo, seen = [system], set()
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.add(p)
            assert s.is_valid(p), p
            todo.extend(s.references(p))
    substituted = int(re.search(r"(\d+) item\(s\) substituted", r.stderr).group(1))
    assert substituted == len(hurd["published"])
    s.close()
