"""Running a disk image in QEMU, as the childhurd service does.

:func:`qemu_command` builds the command line of Guix's
``hurd-vm-service-type`` (``hurd-vm-configuration->qemu-command`` in
``stdlib/gnu/services/virtualization.scm``): memory, an rtl8139 NIC on
user-mode networking with the host's loopback ports forwarded to the
guest's secret service (1004), SSH (22) and VNC (5900), the disk,
``--snapshot`` and ``--no-reboot``; plus the serial console, sent to a file
or to the terminal, and no display.

:func:`run_vm` boots an image with software emulation, follows the serial
console and stops QEMU as soon as the expected lines have appeared (or at a
time limit): the boot test of ``schemos vm --timeout --serial-log``.

Systems whose console is the screen, not a serial port (the seed's
bare-hurd.tmpl: GRUB's terminal and GNU Mach's console on VGA), can be
followed too: with ``screen_log``, :class:`ScreenReader` reads the VGA text
buffer (80x25 cells at physical address 0xB8000) through QEMU's QMP socket
a few times a second and keeps a transcript of the lines that appear,
scrolled screens joined (``schemos vm --screen-log``).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemos.image.disk import image_error, require_tools

#: the host side of the guest's ports for childhurd 0, as in Guix
SECRETS_PORT = 11004
SSH_PORT = 10022
VNC_PORT = 15900

_QCOW2_MAGIC = b"QFI\xfb"

#: the VGA text buffer: 80 columns, 25 rows of (character, attribute) cells
VGA_TEXT_ADDRESS = 0xB8000
VGA_COLUMNS, VGA_ROWS = 80, 25


def image_format(image: Path) -> str:
    """``"qcow2"`` if ``image`` starts with the qcow2 magic, else ``"raw"``."""
    with open(image, "rb") as f:
        return "qcow2" if f.read(4) == _QCOW2_MAGIC else "raw"


def net_options(ssh_port: int | None = SSH_PORT) -> list[str]:
    """The NIC options of the childhurd service, forwarding ports of the host.

    ``ssh_port`` is the host port forwarded to the guest's port 22; the
    secret-service and VNC ports move with it, as Guix's childhurd ``id``
    moves all three by 1000 (10022, 11004, 15900 for id 0; 11022, 12004,
    16900 for id 1). With ``ssh_port=None`` the guest still has its NIC but
    nothing on the host is forwarded (so several VMs can run at once).
    """
    netdev = "user,id=net0"
    if ssh_port is not None:
        shift = ssh_port - SSH_PORT
        for host, guest in ((SECRETS_PORT + shift, 1004), (ssh_port, 22),
                            (VNC_PORT + shift, 5900)):
            netdev += f",hostfwd=tcp:127.0.0.1:{host}-:{guest}"
    return ["--device", "rtl8139,netdev=net0", "--netdev", netdev]


def qemu_command(image: Path, *, memory: int = 2048, snapshot: bool = True,
                 serial_log: Path | None = None, ssh_port: int | None = SSH_PORT,
                 qemu: str = "qemu-system-i386", extra: Sequence[str] = (),
                 disk_format: str | None = None, kvm: bool = False,
                 vga: bool = False) -> list[str]:
    """The QEMU command line that boots ``image``, as the childhurd service does.

    ``-m MEMORY``, :func:`net_options`, ``--snapshot`` (writes go to a
    temporary overlay, the image is left untouched) unless ``snapshot`` is
    false, the image as the first IDE disk, ``--no-reboot``; then
    ``--enable-kvm`` if ``kvm``. The disk is given as ``-drive
    file=…,format=FORMAT,if=ide,index=0,media=disk`` — what ``--hda`` means,
    with the format stated (``disk_format``, else read from the image's
    first bytes) so QEMU does not warn about guessing ``raw``. The serial
    console goes to ``serial_log`` with no display, or, without a log, to
    the terminal (``-nographic``: Ctrl-A X quits); with ``vga``, the
    machine's VGA text screen is drawn in the terminal instead (``-display
    curses``), for systems whose console is not on a serial port, like the
    seed's bare-hurd.tmpl. ``extra`` is appended.
    """
    image = Path(image)
    fmt = disk_format or (image_format(image) if image.exists() else None)
    argv = [qemu, "-m", str(memory), *net_options(ssh_port)]
    if snapshot:
        argv.append("--snapshot")
    drive = "file=" + str(image).replace(",", ",,")
    if fmt:
        drive += f",format={fmt}"
    argv += ["-drive", drive + ",if=ide,index=0,media=disk", "--no-reboot"]
    if kvm:
        argv.append("--enable-kvm")
    if serial_log is not None:
        argv += ["-display", "none", "-monitor", "none",
                 "-serial", "file:" + str(serial_log)]
    elif vga:
        argv += ["-display", "curses"]
    else:
        argv.append("-nographic")
    argv += list(extra)
    return argv


@dataclass
class VMResult:
    """What :func:`run_vm` saw: matches of the expected patterns, time, console."""

    #: each expected pattern that matched, with the text it matched
    matched: dict[str, str]
    #: the expected patterns that did not match
    missing: list[str]
    #: seconds from starting QEMU until it was stopped or exited
    elapsed: float
    #: the whole serial console output (decoded as UTF-8, errors replaced)
    serial: str
    #: QEMU's exit status if it exited by itself, else None (we stopped it)
    returncode: int | None = None
    #: whether the time limit was reached before every pattern matched
    timed_out: bool = False
    #: what QEMU wrote on its standard error
    stderr: str = ""
    #: the command that was run
    command: list[str] = field(default_factory=list)
    #: the process id QEMU had (it has been reaped when run_vm returns)
    pid: int | None = None
    #: the transcript of the VGA text screen, when it was followed
    screen: str = ""

    @property
    def ok(self) -> bool:
        """True when every expected pattern matched."""
        return not self.missing

    @property
    def all_matched(self) -> bool:
        """Same as :attr:`ok`."""
        return not self.missing


def _stop(proc: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """Terminate ``proc``, kill it if it lingers, and reap it."""
    if proc.poll() is not None:
        return
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    except ProcessLookupError:
        proc.wait()


def run_vm(image: Path, *, serial_log: Path, timeout: float,
           expect: Sequence[str] = (), memory: int = 2048,
           ssh_port: int | None = None, qemu: str = "qemu-system-i386",
           extra: Sequence[str] = (), snapshot: bool = True,
           on_output: Callable[[str], None] | None = None,
           poll_interval: float = 0.1, screen_log: Path | None = None) -> VMResult:
    """Boot ``image`` in QEMU (software emulation) and watch its serial console.

    The console is written to ``serial_log`` and read back as it grows;
    ``on_output`` gets each new piece of text. QEMU is stopped (SIGTERM,
    then SIGKILL) as soon as every regular expression in ``expect`` has
    matched the console text, or when ``timeout`` seconds have passed;
    with no patterns it runs until it exits or the time limit. No QEMU
    process is left behind, whatever happens. ``ssh_port`` defaults to
    None here (no host ports bound); see :func:`qemu_command` for the rest.
    With ``screen_log``, the VGA text screen is followed too
    (:class:`ScreenReader`), its transcript written to ``screen_log`` and
    matched by ``expect`` as the serial console is; ``VMResult.screen``
    holds it.
    """
    image = Path(image)
    if not image.is_file():
        raise image_error(f"disk image {str(image)!r} does not exist")
    require_tools([qemu])
    serial_log = Path(serial_log)
    serial_log.parent.mkdir(parents=True, exist_ok=True)
    serial_log.write_bytes(b"")
    if screen_log is not None:
        screen_log = Path(screen_log)
        screen_log.write_text("")
    patterns = {p: re.compile(p) for p in expect}
    # the scratch directory (QMP socket, screen dumps) goes whatever happens
    work = Path(tempfile.mkdtemp(prefix="schemos-vm-"))
    try:
        reader = None
        if screen_log is not None:
            reader = ScreenReader(work / "qmp.sock", work / "screen.bin")
            extra = [*extra, "-qmp", f"unix:{work / 'qmp.sock'},server=on,wait=off"]
        argv = qemu_command(image, memory=memory, snapshot=snapshot, serial_log=serial_log,
                            ssh_port=ssh_port, qemu=qemu, extra=extra)
        matched: dict[str, str] = {}
        chunks: list[bytes] = []
        timed_out = False
        returncode: int | None = None
        with tempfile.TemporaryFile() as err:
            start = time.monotonic()
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                    start_new_session=True,
                                    env={**os.environ, "TMPDIR": os.environ.get("TMPDIR", "/tmp")})
            try:
                decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
                text = ""
                with open(serial_log, "rb") as log:
                    while True:
                        exited = proc.poll() is not None
                        data = log.read()
                        changed = False
                        if data:
                            chunks.append(data)
                            piece = decoder.decode(data)
                            text += piece
                            changed = True
                            if on_output and piece:
                                on_output(piece)
                        if reader is not None and reader.poll():
                            assert screen_log is not None
                            screen_log.write_text(reader.text())
                            changed = True
                        if changed:
                            seen = text + ("\n" + reader.text() if reader is not None else "")
                            for source, regex in patterns.items():
                                if source not in matched and (m := regex.search(seen)):
                                    matched[source] = m.group(0)
                        if patterns and len(matched) == len(patterns):
                            break
                        if exited:
                            returncode = proc.returncode
                            break
                        if time.monotonic() - start >= timeout:
                            timed_out = True
                            break
                        time.sleep(poll_interval)
            finally:
                _stop(proc)
                elapsed = time.monotonic() - start
                if reader is not None:
                    reader.close()
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    serial = b"".join(chunks).decode("utf-8", "replace")
    return VMResult(matched=matched, missing=[p for p in expect if p not in matched],
                    elapsed=elapsed, serial=serial, returncode=returncode,
                    timed_out=timed_out, stderr=stderr, command=argv, pid=proc.pid,
                    screen=reader.text() if reader is not None else "")


def decode_vga_text(cells: bytes, columns: int = VGA_COLUMNS) -> list[str]:
    """The rows of a VGA text buffer (character bytes in code page 437)."""
    chars = cells[0::2].decode("cp437")
    chars = "".join(c if c.isprintable() else " " for c in chars)
    return [chars[i:i + columns].rstrip() for i in range(0, len(chars), columns)]


def merge_screen(transcript: list[str], previous: list[str], screen: list[str]) -> list[str]:
    """``transcript`` with ``screen`` added, given the ``previous`` screen.

    The screen may have scrolled by some rows since the previous one and
    its last rows may have grown (text written since); the smallest scroll
    that explains it is taken, the rows that scrolled in are added, and the
    rows still visible replace their earlier, possibly unfinished, copies.
    A screen that no scroll explains (cleared, redrawn) is added whole.
    """
    rows = len(screen)
    if not previous:
        return transcript + screen
    for shift in range(rows + 1):
        overlap = rows - shift
        if all(screen[i].startswith(previous[shift + i]) for i in range(overlap)):
            keep = len(transcript) - overlap
            return transcript[:keep] + screen
    return transcript + screen


class ScreenReader:
    """Reads a QEMU guest's VGA text screen through QMP and keeps a transcript."""

    def __init__(self, qmp_socket: Path, dump: Path) -> None:
        self.path = qmp_socket
        self.dump = dump
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.previous: list[str] = []
        self.transcript: list[str] = []

    def _connect(self) -> bool:
        if self.sock is not None:
            return True
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(5.0)
            s.connect(str(self.path))
        except OSError:
            return False
        self.sock = s
        self._reply()                                   # the greeting
        self._command({"execute": "qmp_capabilities"})
        return True

    def _reply(self) -> dict:
        assert self.sock is not None
        while True:
            while b"\n" not in self.buffer:
                data = self.sock.recv(65536)
                if not data:
                    raise OSError("QMP connection closed")
                self.buffer += data
            line, self.buffer = self.buffer.split(b"\n", 1)
            msg = json.loads(line)
            if "event" not in msg:                      # skip asynchronous events
                return msg

    def _command(self, cmd: dict) -> dict:
        assert self.sock is not None
        self.sock.sendall(json.dumps(cmd).encode() + b"\n")
        return self._reply()

    def poll(self) -> bool:
        """Read the screen once; True if the transcript changed."""
        try:
            if not self._connect():
                return False
            reply = self._command({"execute": "pmemsave", "arguments": {
                "val": VGA_TEXT_ADDRESS, "size": VGA_COLUMNS * VGA_ROWS * 2,
                "filename": str(self.dump)}})
            if "return" not in reply:
                return False
            screen = decode_vga_text(self.dump.read_bytes())
        except (OSError, ValueError):
            return False
        if screen == self.previous:
            return False
        self.transcript = merge_screen(self.transcript, self.previous, screen)
        self.previous = screen
        return True

    def text(self) -> str:
        """The transcript: every line seen, blank runs collapsed."""
        out: list[str] = []
        for line in self.transcript:
            if line or (out and out[-1]):
                out.append(line)
        return "\n".join(out).strip("\n") + "\n"

    def close(self) -> None:
        """Close the QMP connection."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None
