"""The stand-in contents of the test cache (scripts/make-test-cache)."""

from __future__ import annotations

import gzip
from pathlib import Path
from types import SimpleNamespace

from schemos.image.testcache import payload_bytes, standin_content


def test_payload_is_reproducible_sized_and_incompressible() -> None:
    a = payload_bytes("sed-4.9", 300_000)
    assert len(a) == 300_000 and a == payload_bytes("sed-4.9", 300_000)
    assert a != payload_bytes("grep-3.11", 300_000)
    assert len(gzip.compress(a)) > 0.9 * len(a)


def test_standins_by_package(tmp_path: Path) -> None:
    kernel = tmp_path / "gnumach"
    kernel.write_bytes(b"\x7fELF kernel")
    content = standin_content(kernel, payload=4096)

    def make(name: str, output: str = "out") -> Path:
        out = tmp_path / f"{name}-{output}"
        content(SimpleNamespace(name=name, args=[]), output, out)
        return out

    mach = make("gnumach-1.8+git20240714")
    assert (mach / "boot" / "gnumach").read_bytes() == b"\x7fELF kernel"
    hurd = make("hurd-0.9.git20240714")
    for server in ("ext2fs.static", "exec.static", "rumpdisk.static", "pci-arbiter.static"):
        assert (hurd / "hurd" / server).read_bytes()[:4] == b"\x7fELF"
    assert (make("glibc-2.41") / "lib" / "ld.so.1").read_bytes()[:4] == b"\x7fELF"
    sed = make("sed-4.9")
    assert (sed / "share" / "schemos-stand-in" / "payload").stat().st_size == 4096
    # not a package (no version): no payload
    cfg = make("sshd_config")
    assert not (cfg / "share").exists()
    assert (cfg / "README.schemos-stand-in").exists()
    # a package's other outputs get none either
    assert not (make("sed-4.9", "debug") / "share").exists()
