"""Following a VGA text screen: decoding the buffer and joining scrolled screens; and
`schemos vm`'s answers to bad input (no image, bad options, no or failing QEMU, Ctrl-C)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from schemos.image.vm import decode_vga_text, merge_screen, qemu_command


def cells(rows: list[str], columns: int = 8) -> bytes:
    """A VGA text buffer (character, attribute pairs) holding ``rows``."""
    out = bytearray()
    for row in rows:
        for ch in row.ljust(columns):
            out += bytes([ord(ch), 0x07])
    return bytes(out)


def test_decode_vga_text() -> None:
    buf = cells(["GNU Mach", "ok", ""]) + bytes([0x00, 0x07, 0xDB, 0x07]) + b"\x20\x07" * 6
    assert decode_vga_text(buf, columns=8) == ["GNU Mach", "ok", "", " \u2588"]


def test_merge_screen_growing_scrolling_and_redrawn() -> None:
    t: list[str] = []
    s1 = ["a", "b", "", ""]
    t = merge_screen(t, [], s1)
    # the last line grows and a new one appears, no scroll
    s2 = ["a", "b", "c1", ""]
    t = merge_screen(t, s1, s2)
    s3 = ["a", "b", "c1 c2", "d"]
    t = merge_screen(t, s2, s3)
    assert [x for x in t if x] == ["a", "b", "c1 c2", "d"]
    # scrolled by two rows
    s4 = ["c1 c2", "d", "e", "f"]
    t = merge_screen(t, s3, s4)
    assert [x for x in t if x] == ["a", "b", "c1 c2", "d", "e", "f"]
    # a screen no scroll explains is added whole
    s5 = ["menu", "", "", ""]
    t = merge_screen(t, s4, s5)
    assert [x for x in t if x] == ["a", "b", "c1 c2", "d", "e", "f", "menu"]


def test_qemu_command_vga_and_serial(tmp_path) -> None:  # noqa: ANN001
    img = tmp_path / "x.img"
    img.write_bytes(b"\0" * 512)
    vga = qemu_command(img, vga=True)
    assert vga[-2:] == ["-display", "curses"] and "-nographic" not in vga
    serial = qemu_command(img, serial_log=tmp_path / "log")
    assert "-serial" in serial and "-display" in serial
    assert "--snapshot" in serial and "--no-reboot" in serial
    assert any("hostfwd=tcp:127.0.0.1:10022-:22" in a for a in serial)


# ------------------------------------------------------------- schemos vm: bad input


def vm(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None
       ) -> subprocess.CompletedProcess[str]:
    """Run ``schemos vm ARGS``."""
    return subprocess.run([sys.executable, "-m", "schemos.cli", "vm", *args],
                          capture_output=True, text=True, timeout=120, env=env, cwd=cwd)


def fake_disk(path: Path) -> Path:
    """A raw disk QEMU would boot: one sector ending with the boot signature."""
    path.write_bytes(b"\0" * 510 + b"\x55\xaa")
    return path


def fake_qemu(directory: Path, script: str) -> dict[str, str]:
    """An environment whose ``qemu-system-i386`` is the shell ``script``."""
    bin_dir = directory / "bin"
    bin_dir.mkdir()
    qemu = bin_dir / "qemu-system-i386"
    qemu.write_text("#!/bin/sh\n" + script)
    qemu.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin", "TMPDIR": str(directory)}


def test_vm_refuses_what_is_not_a_bootable_image(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a disk\n")
    for image, message in ((tmp_path / "none.img", "none.img: no such image"),
                           (text, "not a bootable disk image"),
                           (tmp_path, "not a disk image file (a directory)")):
        r = vm(str(image), "--timeout", "5")
        assert r.returncode == 1, image
        assert message in r.stderr and "hint: " in r.stderr
        assert "Traceback" not in r.stderr


@pytest.mark.parametrize("option,value,message", [
    ("--timeout", "-1", "invalid timeout: '-1'"),
    ("--timeout", "0", "invalid timeout: '0'"),
    ("--timeout", "abc", "invalid timeout: 'abc'"),
    ("--expect", "(", "invalid regular expression '('"),
    ("-m", "-5", "invalid memory size: '-5'"),
])
def test_vm_bad_options_are_usage_errors(tmp_path: Path, option: str, value: str,
                                         message: str) -> None:
    r = vm(str(fake_disk(tmp_path / "d.img")), option, value)
    assert r.returncode == 2 and message in r.stderr
    assert "Traceback" not in r.stderr


def test_vm_without_qemu(tmp_path: Path) -> None:
    """Interactive or watched, a missing QEMU is named with its Debian package."""
    disk = fake_disk(tmp_path / "d.img")
    env = {**os.environ, "PATH": "/nonexistent"}
    for extra in ([], ["--timeout", "5"]):
        r = vm(str(disk), *extra, env=env)
        assert r.returncode == 1, extra
        assert "missing program needed to run the image: qemu-system-i386" in r.stderr
        assert "qemu-system-x86" in r.stderr and "Traceback" not in r.stderr


def test_vm_reports_a_failing_qemu(tmp_path: Path) -> None:
    env = fake_qemu(tmp_path, 'echo "qemu-system-i386: -m 5: too little memory" >&2\nexit 1\n')
    r = vm(str(fake_disk(tmp_path / "d.img")), "--timeout", "30", env=env, cwd=tmp_path)
    assert r.returncode == 1
    assert "QEMU failed with status 1: qemu-system-i386: -m 5: too little memory" in r.stderr
    assert "Traceback" not in r.stderr


def test_vm_log_that_cannot_be_written(tmp_path: Path) -> None:
    env = fake_qemu(tmp_path, "exit 0\n")
    disk = fake_disk(tmp_path / "d.img")
    r = vm(str(disk), "--timeout", "5", "--screen-log", str(tmp_path / "no" / "dir" / "s.log"),
           env=env)
    assert r.returncode == 1 and "s.log: No such file or directory" in r.stderr
    assert "Traceback" not in r.stderr
    r = vm(str(disk), "--timeout", "5", "--serial-log", str(tmp_path), env=env)
    assert r.returncode == 1 and "Is a directory" in r.stderr
    assert "Traceback" not in r.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("schemos-vm")]


def test_vm_interrupted(tmp_path: Path) -> None:
    """Ctrl-C: QEMU is stopped, a message and status 130, no traceback, no scratch log
    left (in the current directory or the temporary one)."""
    env = fake_qemu(tmp_path, "exec sleep 60\n")
    work = tmp_path / "work"
    work.mkdir()
    disk = fake_disk(work / "d.img")
    proc = subprocess.Popen([sys.executable, "-m", "schemos.cli", "vm", str(disk), "--timeout",
                             "60"], cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
            p.name.startswith("schemos-vm-") for p in tmp_path.iterdir()):
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "schemos vm: interrupted" in err and "Traceback" not in err
    assert sorted(p.name for p in work.iterdir()) == ["d.img"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("schemos-vm")]
