"""Service errors as the ``schemos`` command line reports them.

Guix reports a service problem (a service type without default value, two
services providing the same shepherd service, a requirement nobody provides)
with a message; schemos adds where the user wrote the service at fault, so
the report points into the user's file with a caret.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PRELUDE = """\
(use-modules (gnu services) (gnu services shepherd))
(define daemon-type
  (service-type (name 'daemon)
                (extensions
                 (list (service-extension
                        shepherd-root-service-type
                        (lambda (requirement)
                          (list (shepherd-service
                                 (provision '(daemon))
                                 (requirement requirement)))))))
                (default-value '())
                (description "A daemon.")))
(define (shepherd-services services)
  (shepherd-configuration-services
   (service-value
    (fold-services (instantiate-missing-services
                    (cons (service system-service-type '()) services))
                   #:target-type shepherd-root-service-type))))
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real CLI as a separate process."""
    return subprocess.run([sys.executable, "-m", "schemos.cli", *args], capture_output=True,
                          text=True, timeout=300)


def _caret_under(stderr: str, line: int, col: int) -> bool:
    lines = stderr.splitlines()
    for i, text in enumerate(lines):
        if text.startswith(f" {line} | ") and i + 1 < len(lines):
            return lines[i + 1].endswith("| " + " " * col + "^")
    return False


def test_duplicate_service_located_at_the_duplicate(tmp_path: Path) -> None:
    f = tmp_path / "dup.scm"
    f.write_text(PRELUDE + "(shepherd-services\n (list (service daemon-type)\n"
                 "       (service daemon-type)))\n")
    n = PRELUDE.count("\n")
    r = run("eval", "--no-cache", str(f))
    assert r.returncode == 1, r.stderr
    assert f"{f}:{n + 3}:7: service 'daemon' provided more than once" in r.stderr
    assert _caret_under(r.stderr, n + 3, 7)
    assert "Traceback" not in r.stderr


def test_missing_requirement_located_at_the_service(tmp_path: Path) -> None:
    f = tmp_path / "req.scm"
    f.write_text(PRELUDE + "(shepherd-services\n (list (service daemon-type '(loopback))))\n")
    n = PRELUDE.count("\n")
    r = run("eval", "--no-cache", str(f))
    assert r.returncode == 1
    assert (f"{f}:{n + 2}:7: service 'daemon' requires 'loopback', which is not "
            "provided by any service") in r.stderr


def test_missing_default_value_located_at_the_form(tmp_path: Path) -> None:
    f = tmp_path / "nodefault.scm"
    f.write_text("(use-modules (gnu services))\n"
                 "(define t (service-type (name 'needy) (extensions '())\n"
                 "                        (description \"Needs a value.\")))\n"
                 "(list 1\n"
                 "      (service t))\n")
    r = run("eval", "--no-cache", str(f))
    assert r.returncode == 1
    assert f"{f}:5:6: no value specified for service of type 'needy'" in r.stderr
    assert _caret_under(r.stderr, 5, 6)
    assert "hint:" in r.stderr


def test_modify_services_located_at_the_clause(tmp_path: Path) -> None:
    f = tmp_path / "modify.scm"
    f.write_text(PRELUDE + "(modify-services (list (service daemon-type))\n"
                 "  (delete daemon-type)\n"
                 "  (system-service-type x => x))\n")
    n = PRELUDE.count("\n")
    r = run("eval", "--no-cache", str(f))
    assert r.returncode == 1
    assert (f"{f}:{n + 3}:2: modify-services: service 'system' not found in "
            "service list") in r.stderr
