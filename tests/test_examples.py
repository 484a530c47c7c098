"""End-to-end tests of the example configurations in ``examples/``.

Each example is evaluated by the real command line, from the repository
root so that locations read ``examples/FILE:LINE:COLUMN`` as Guix prints
them for a file given on its command line.  The seed's bare-hurd.tmpl is
also checked against what GNU Guix 1.5 computes for it (the reference graphs
in ``../shared/vectors/guix-1.5``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["bare-hurd.tmpl", "childhurd.tmpl", "hurd-dev.tmpl", "machines.scm"]
VECTORS = ROOT.parent / "shared" / "vectors" / "guix-1.5"

#: Guix 1.5's warning for the seed's template (see the vectors' README)
TARGET_WARNING = ("examples/bare-hurd.tmpl:9:25: warning: the 'target' field is "
                  "deprecated, please use 'targets' instead")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the real CLI as a separate process."""
    return subprocess.run([sys.executable, "-m", "schemos.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


@cache
def evaluated(name: str) -> subprocess.CompletedProcess[str]:
    """``schemos eval examples/NAME``, run once per test session."""
    return run("eval", f"examples/{name}")


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_evaluates(name: str) -> None:
    r = evaluated(name)
    assert r.returncode == 0, r.stderr


def test_bare_hurd_warns_about_target_field_where_guix_does() -> None:
    r = evaluated("bare-hurd.tmpl")
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines().count(TARGET_WARNING) == 1, r.stderr


@pytest.mark.parametrize("name", ["childhurd.tmpl", "hurd-dev.tmpl", "machines.scm"])
def test_targets_field_does_not_warn(name: str) -> None:
    assert "deprecated" not in evaluated(name).stderr


def test_bare_hurd_is_the_seed_text() -> None:
    """The example is lines 14-40 of the seed post, indented as in the post."""
    seed = ROOT.parent / "shared" / "seed" / "childhurds-and-hurd-substitutes.txt"
    assert seed.exists(), "the seed must lie in ../shared/seed beside the checkout"
    lines = seed.read_text(encoding="utf-8").splitlines()[13:40]
    example = (ROOT / "examples" / "bare-hurd.tmpl").read_text(encoding="utf-8").splitlines()
    assert [line.strip() for line in example] == [line.strip() for line in lines]


def test_machines_file_is_a_list_of_build_machines() -> None:
    r = evaluated("machines.scm")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("(#<<build-machine> name: \"localhost\" port: 10022 ")
    assert 'systems: ("i586-gnu")' in r.stdout
    assert "location: #<<location> file: \"examples/machines.scm\" line: 10" in r.stdout


def _write(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "config.scm"
    f.write_text(text, encoding="utf-8")
    return f


def test_missing_root_file_system_is_located_at_the_os(tmp_path: Path) -> None:
    _write(tmp_path, """(use-modules (gnu))
(operating-system
  (host-name "rootless")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems %base-file-systems))
""")
    r = run("eval", "config.scm", cwd=tmp_path)
    assert r.returncode != 0
    assert "config.scm:2:0: missing root file system" in r.stderr
    assert "Traceback" not in r.stderr


def test_misspelled_field_is_located_with_a_hint(tmp_path: Path) -> None:
    f = _write(tmp_path, """(use-modules (gnu))
(operating-system
  (host-name "komputilo")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-system (list (file-system (device "/dev/sda1") (mount-point "/")
                                  (type "ext4")))))
""")
    r = run("eval", f.name, cwd=tmp_path)
    assert r.returncode != 0
    assert ("config.scm:5:2: operating-system: extraneous field initializers "
            "(file-system)") in r.stderr
    assert "hint: did you mean file-systems?" in r.stderr


def _dot_edges(text: str) -> Counter[tuple[str, str]]:
    """The edges of a DOT graph, by node labels."""
    labels = dict(re.findall(r'"([^"]+)" \[label = "([^"]+)"', text))
    return Counter((labels.get(a, a), labels.get(b, b))
                   for a, b in re.findall(r'"([^"]+)" -> "([^"]+)"', text))


def test_bare_hurd_extension_graph_is_guix_s() -> None:
    """Same service types and extensions as Guix 1.5, plus the loopback provider
    schemos keeps in %base-services/hurd (see stdlib/gnu/system/hurd.scm)."""
    reference = VECTORS / "seed-bare-hurd.extension-graph.dot"
    assert reference.exists(), "the Guix 1.5 vectors must lie in ../shared/vectors"
    r = run("graph", "extension", "examples/bare-hurd.tmpl")
    assert r.returncode == 0, r.stderr
    ours = _dot_edges(r.stdout)
    guix = _dot_edges(reference.read_text(encoding="utf-8"))
    assert ours - guix == Counter({("static-networking", "shepherd-root"): 1,
                                   ("static-networking", "etc"): 1})
    assert guix - ours == Counter()


SHEPHERD_SERVICES = """
(load "examples/bare-hurd.tmpl")
(use-modules (gnu services) (gnu services shepherd) (gnu system))
(for-each (lambda (s)
            (format #t "~s ~s~%" (shepherd-service-provision s)
                    (shepherd-service-requirement s)))
          (shepherd-configuration-services
           (service-value (fold-services (operating-system-services %hurd-os)
                                         #:target-type
                                         shepherd-root-service-type))))
"""


def test_bare_hurd_shepherd_services_are_guix_s() -> None:
    """Guix 1.5's shepherd graph, plus the 'loopback' and 'networking' that
    %base-services/hurd keeps, and every requirement met."""
    reference = VECTORS / "seed-bare-hurd.shepherd-graph.dot"
    assert reference.exists(), "the Guix 1.5 vectors must lie in ../shared/vectors"
    r = run("eval", "-e", SHEPHERD_SERVICES)
    assert r.returncode == 0, r.stderr
    services = []
    for line in r.stdout.splitlines():
        provision, requirement = re.match(r"\(([^)]*)\) \(([^)]*)\)", line).groups()
        services.append((provision.split(), requirement.split()))
    provided = {p: " ".join(ps) for ps, _ in services for p in ps}
    unmet = sorted({r for _, rs in services for r in rs} - set(provided))
    assert unmet == [], f"required but not provided: {unmet}"
    ours = Counter((" ".join(ps), provided[r]) for ps, rs in services for r in rs)
    text = reference.read_text(encoding="utf-8")
    guix = _dot_edges(text)
    assert ours == guix + Counter({("ssh-daemon ssh sshd", "loopback"): 1,
                                   ("ssh-daemon ssh sshd", "networking"): 1})
    nodes = set(re.findall(r'\[label = "([^"]+)"', text))
    assert set(provided.values()) == nodes | {"loopback", "networking"}
