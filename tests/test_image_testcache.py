"""The stand-in contents of the test cache (scripts/make-test-cache)."""

from __future__ import annotations

import gzip
import subprocess
import sys
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


ROOT = Path(__file__).resolve().parent.parent


def make_test_cache(*args: str) -> subprocess.CompletedProcess[str]:
    """Run scripts/make-test-cache."""
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "make-test-cache"), *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_make_test_cache_bad_input(tmp_path: Path) -> None:
    """Bad options, template, kernel or DIR: a clear error, no traceback, and nothing
    written (not even the key pair) when the error is found."""
    cache = tmp_path / "cache"
    for payload in ("abc", "-5"):
        p = make_test_cache(str(cache), "--payload", payload)
        assert p.returncode == 2 and f"invalid size: '{payload}'" in p.stderr
        assert "Traceback" not in p.stderr
    syntax = tmp_path / "syntax.tmpl"
    syntax.write_text("(operating-system\n")
    unbound = tmp_path / "unbound.tmpl"
    unbound.write_text("(use-modules (gnu))\n%no-such-os\n")
    a_file = tmp_path / "a-file"
    a_file.write_text("x\n")
    cases = [
        (["--template", str(syntax)], "syntax.tmpl:1:0: In procedure read"),
        (["--template", str(unbound)], "unbound.tmpl:2:0: Unbound variable: %no-such-os"),
        (["--template", str(tmp_path / "none.tmpl")], "No such file or directory"),
        (["--kernel", str(tmp_path / "no-gnumach")], "no-gnumach: no such kernel file"),
        (["--store", str(a_file)], "as the store: it is not a directory"),
    ]
    for options, message in cases:
        p = make_test_cache(str(cache), *options)
        assert p.returncode == 1, options
        assert message in p.stderr, (options, p.stderr)
        assert "hint: " in p.stderr or " | " in p.stderr
        assert "Traceback" not in p.stderr
        assert not cache.exists(), options
    for target in (a_file, a_file / "sub"):
        p = make_test_cache(str(target))
        assert p.returncode == 1
        assert f"{a_file} is not a directory" in p.stderr and "Traceback" not in p.stderr
    assert a_file.read_text() == "x\n"
