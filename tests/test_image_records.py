"""Images in Scheme, read from Python, and the GNU/Hurd boot entry (issue #8).

The Scheme-level checks of ``(gnu image)``, ``(gnu system image)`` and
``(gnu system images hurd)`` are in tests/scheme/image.scm; these test
:mod:`schemos.image.spec` (what the image backend reads) on the seed's
``bare-hurd.tmpl``, and the grub.cfg schemos writes for it, which must be
what Guix 1.5's ``(gnu bootloader grub)`` and ``hurd-multiboot-modules``
write.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import schemos
from schemos.errors import SchemeError
from schemos.image.spec import ImageSpec, PartitionSpec, image_for_type, image_spec
from schemos.report import format_error

ROOT = Path(__file__).resolve().parents[1]
BARE_HURD = ROOT / "examples" / "bare-hurd.tmpl"


@pytest.fixture(scope="module")
def bare_hurd() -> schemos.OperatingSystem:
    """The seed's GNU/Hurd operating system."""
    return schemos.load_operating_system(BARE_HURD)


def spec_of(osys: schemos.OperatingSystem, type_name: str,
            size: int | None = None) -> ImageSpec:
    """The image of ``osys`` of type ``type_name``."""
    return image_for_type(osys.interp, osys.record, type_name, size)


# ---------------------------------------------------------------------------
# ImageSpec


def test_hurd_raw_of_bare_hurd(bare_hurd: schemos.OperatingSystem) -> None:
    spec = spec_of(bare_hurd, "hurd-raw")
    assert (spec.name, spec.format, spec.target, spec.platform) == \
        ("disk-image", "disk-image", "i586-pc-gnu", "i586-gnu")
    assert spec.size is None and spec.partition_table_type == "mbr"
    assert spec.volatile_root is True and spec.shared_store is False
    assert spec.os is bare_hurd.record
    # One ext2 partition at 1 MiB, made for the Hurd, labelled as the OS's
    # root file system says (Guix's record says "Guix_image": see spec.py).
    assert spec.partitions == [PartitionSpec(
        label="my-root", uuid=None, file_system="ext2",
        file_system_options=["-o", "hurd", "-O", "ext_attr"], flags=["boot"],
        size=None, offset=1 << 20, is_root=True,
        initializer="initialize-root-partition",
        initializer_options={"make-device-nodes": "make-hurd-device-nodes",
                             "wal-mode?": False})]
    assert spec.root_partition() is spec.partitions[0]


def test_hurd_qcow2_with_a_size(bare_hurd: schemos.OperatingSystem) -> None:
    spec = spec_of(bare_hurd, "hurd-qcow2", 1 << 30)
    assert (spec.format, spec.target, spec.size) == ("compressed-qcow2", "i586-pc-gnu", 1 << 30)
    root = spec.root_partition()
    # as Guix's image-with-os*: a 'guess root partition takes the image's size
    assert (root.label, root.size, root.offset) == ("my-root", 1 << 30, 1 << 20)


def test_generic_types_are_native(bare_hurd: schemos.OperatingSystem) -> None:
    raw = spec_of(bare_hurd, "raw")
    assert (raw.format, raw.target, raw.platform) == ("disk-image", None, None)
    assert [(p.label, p.file_system, p.offset, p.is_root) for p in raw.partitions] == \
        [("my-root", "ext4", 1 << 20, True)]
    assert spec_of(bare_hurd, "mbr-raw").partitions == raw.partitions
    qcow2 = spec_of(bare_hurd, "qcow2")
    assert (qcow2.name, qcow2.format) == ("image.qcow2", "compressed-qcow2")
    assert [(p.label, p.flags, p.size) for p in qcow2.partitions] == \
        [("GNU-ESP", ["esp"], 40 << 20), ("my-root", ["boot"], None)]
    assert qcow2.partitions[0].initializer == "initialize-efi-partition"


def test_image_spec_of_a_record(bare_hurd: schemos.OperatingSystem) -> None:
    from schemos.store.build import _scheme

    image = _scheme(bare_hurd.interp, ("gnu", "system", "images", "hurd"),
                    "hurd-barebones-disk-image")
    spec = image_spec(bare_hurd.interp, image)
    assert (spec.name, spec.target) == ("hurd-barebones-disk-image", "i586-pc-gnu")
    assert spec.root_partition().label == "my-root"
    template = _scheme(bare_hurd.interp, ("gnu", "system", "images", "hurd"),
                       "hurd-disk-image")
    bare = image_spec(bare_hurd.interp, template)   # no OS: the record's own label
    assert bare.os is None and bare.root_partition().label == "Guix_image"


def test_unknown_type_lists_the_known_ones(bare_hurd: schemos.OperatingSystem) -> None:
    with pytest.raises(SchemeError) as e:
        spec_of(bare_hurd, "hurd-rwa")
    text = format_error(e.value)
    assert "hurd-rwa: no such image type" in text
    assert "did you mean hurd-raw" in text
    for name in ("hurd-raw", "hurd-qcow2", "raw", "qcow2", "mbr-raw", "efi-raw"):
        assert re.search(rf"[ ,]{re.escape(name)}(,|$)", text, re.M), name


def test_bad_size(bare_hurd: schemos.OperatingSystem) -> None:
    with pytest.raises(SchemeError, match="image size"):
        spec_of(bare_hurd, "hurd-raw", -5)


def test_os_without_root_file_system(tmp_path: Path) -> None:
    tmpl = tmp_path / "no-root.tmpl"
    tmpl.write_text("""(use-modules (gnu) (gnu system hurd))
(operating-system
  (inherit %hurd-default-operating-system)
  (host-name "rootless")
  (file-systems %base-file-systems))
""")
    os_ = schemos.load_operating_system(tmpl)
    with pytest.raises(SchemeError) as e:
        spec_of(os_, "hurd-raw")
    assert "missing root file system" in format_error(e.value)


# ---------------------------------------------------------------------------
# The GNU/Hurd boot entry


def grub_cfg(osys: schemos.OperatingSystem, store: Path) -> str:
    """The grub.cfg of ``osys`` cross-built for i586-pc-gnu, store hashes elided."""
    from schemos.store.build import lower_operating_system, open_store

    with open_store(store, interp=osys.interp) as st:
        lowered = lower_operating_system(osys.interp, osys.record, st, "x86_64-linux",
                                         "i586-pc-gnu")
        assert lowered.bootcfg is not None
        script = st.physical(lowered.bootcfg.args[-1])
    out = store.parent / "grub.cfg"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/homeless-shelter",
           "out": str(out)}
    r = subprocess.run([sys.executable, "-m", "schemos.store.builder", str(script)],
                       env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return re.sub(r"/gnu/store/[0-9a-df-np-sv-z]{32}-", "/gnu/store/HASH-", out.read_text())


HURD = "/gnu/store/HASH-hurd-0.9.git20240714"
MODULES = f"""\
  module {HURD}/hurd/pci-arbiter.static pci-arbiter --host-priv-port='${{host-port}}' \
--device-master-port='${{device-port}}' --next-task='${{disk-task}}' \
'$(pci-task=task-create)' '$(task-resume)'
  module {HURD}/hurd/rumpdisk.static rumpdisk --next-task='${{fs-task}}' \
'$(disk-task=task-create)'
  module {HURD}/hurd/ext2fs.static ext2fs --multiboot-command-line='${{kernel-command-line}}' \
--exec-server-task='${{exec-task}}' --store-type=typed '${{root}}' '$(fs-task=task-create)'
  module {HURD}/hurd/exec.static exec '$(exec-task=task-create)'
"""


def menu_entry(cfg: str) -> str:
    """The first menuentry of ``cfg``."""
    m = re.search(r"^menuentry .*?^}\n", cfg, re.M | re.S)
    assert m is not None, cfg
    return m.group(0)


def test_bare_hurd_grub_cfg(bare_hurd: schemos.OperatingSystem, tmp_path: Path) -> None:
    cfg = grub_cfg(bare_hurd, tmp_path / "store")
    system = "/gnu/store/HASH-system"
    # Guix 1.5: Mach's IDE driver ("hd0") unless the kernel arguments say
    # "noide"; the root is the first partition.
    assert menu_entry(cfg) == (
        'menuentry "GNU with the Hurd 0.9.git20240714" {\n'
        "  multiboot /gnu/store/HASH-gnumach-1.8+git20240714/boot/gnumach "
        f"root=part:1:device:hd0 root=my-root gnu.system={system} gnu.load={system}/boot\n"
        + MODULES + "}\n")
    assert cfg.startswith("# This file was generated from your Guix configuration.  "
                          "Any changes\n# will be lost upon reconfiguration.\n")
    assert "terminal_output gfxterm\n" in cfg and "serial" not in cfg
    assert "\nset default=0\nset timeout=5\n" in cfg


def test_rumpdisk_and_serial_console_grub_cfg(tmp_path: Path) -> None:
    tmpl = tmp_path / "serial-hurd.tmpl"
    tmpl.write_text(BARE_HURD.read_text().replace(
        "(define %hurd-os\n  (operating-system\n    (inherit %hurd-default-operating-system)\n",
        """(define %hurd-os
  (operating-system
    (inherit %hurd-default-operating-system)
    (kernel-arguments '("noide" "console=com0"))
""").replace('(target "/dev/sdX")',
             """(targets '("/dev/sdX"))
                 (terminal-outputs '(serial console))
                 (terminal-inputs '(serial console))
                 (serial-unit 0)
                 (serial-speed 115200)"""))
    cfg = grub_cfg(schemos.load_operating_system(tmpl), tmp_path / "store")
    assert ("serial --unit=0 --speed=115200\nterminal_input serial console\n"
            "terminal_output serial console\n") in cfg
    entry = menu_entry(cfg)
    # rumpdisk names the disk "wd0"; the OS's arguments follow Guix's own.
    assert re.search(r"^  multiboot \S+/boot/gnumach root=part:1:device:wd0 root=my-root "
                     r"gnu\.system=\S+ gnu\.load=\S+/boot noide console=com0$", entry, re.M)
    assert entry.endswith(MODULES + "}\n")
