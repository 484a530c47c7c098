"""A regular (non-editable) install carries the Scheme library, grammar and build modules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_regular_install_evaluates_and_lowers_like_the_checkout(tmp_path: Path) -> None:
    target = tmp_path / "site"
    p = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        "--no-build-isolation", "--target", str(target), str(ROOT)],
                       capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert (target / "schemos" / "_share" / "stdlib" / "gnu" / "system.scm").is_file()
    assert (target / "schemos" / "_share" / "grammar" / "scheme.lark").is_file()
    assert (target / "schemos" / "store" / "build-modules" / "guix" / "build"
            / "utils.scm").is_file()
    tmpl = str(ROOT / "examples" / "bare-hurd.tmpl")

    def schemos(env: dict[str, str], *args: str) -> str:
        r = subprocess.run([sys.executable, "-m", "schemos.cli", *args], capture_output=True,
                           text=True, cwd=tmp_path, env=env)
        assert r.returncode == 0, r.stderr
        return r.stdout

    installed = {**os.environ, "PYTHONPATH": str(target), "SCHEMOS_CACHE_DIR": str(tmp_path / "c")}
    checkout = {**os.environ, "PYTHONPATH": str(ROOT), "SCHEMOS_CACHE_DIR": str(tmp_path / "d")}
    probe = "import schemos.paths as p; print(p.STDLIB_DIR)"
    where = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           cwd=tmp_path, env=installed).stdout.strip()
    assert where == str(target / "schemos" / "_share" / "stdlib")
    assert schemos(installed, "eval", tmpl) == schemos(checkout, "eval", tmpl)
    drv = ["build", "-d", "--target", "i586-pc-gnu", tmpl]
    assert schemos(installed, *drv, "--store", str(tmp_path / "s1")) == \
        schemos(checkout, *drv, "--store", str(tmp_path / "s2"))
