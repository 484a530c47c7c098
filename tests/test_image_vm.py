"""Following a VGA text screen: decoding the buffer and joining scrolled screens."""

from __future__ import annotations

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
