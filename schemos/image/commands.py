"""The image commands: ``schemos image`` (alias ``disk-image``) and ``schemos vm``."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any

_UNITS = {"": 1, "b": 1, "k": 1024, "kib": 1024, "kb": 1000, "m": 2**20, "mib": 2**20,
          "mb": 10**6, "g": 2**30, "gib": 2**30, "gb": 10**9, "t": 2**40, "tib": 2**40,
          "tb": 10**12}


def parse_size(text: str) -> int:
    """A size as Guix's ``size->number`` reads it: ``1G``, ``500MiB``, ``2048``…"""
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", text)
    if not m or m.group(2).lower() not in _UNITS:
        raise argparse.ArgumentTypeError(
            f"invalid size: {text!r} (write e.g. 2G, 1500MiB or a number of bytes)")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def parse_image_size(text: str) -> int:
    """``--image-size``: a size as :func:`parse_size` reads it, of at least one byte."""
    size = parse_size(text)
    if size < 1:
        raise argparse.ArgumentTypeError(
            f"invalid image size: {text!r} (give a positive size, e.g. 2G, or leave "
            "--image-size out to let schemos estimate it)")
    return size


def _timeout(text: str) -> float:
    """``--timeout``: a positive number of seconds."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not seconds > 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(
            f"invalid timeout: {text!r} (give a positive number of seconds)")
    return seconds


def _memory(text: str) -> int:
    """``-m/--memory``: a positive number of MiB."""
    try:
        mib = int(text)
    except ValueError:
        mib = 0
    if mib < 1:
        raise argparse.ArgumentTypeError(
            f"invalid memory size: {text!r} (give a positive number of MiB, e.g. 2048)")
    return mib


def _regexp(text: str) -> str:
    """``--expect``: a Python regular expression, checked before QEMU starts."""
    try:
        re.compile(text)
    except re.error as e:
        raise argparse.ArgumentTypeError(f"invalid regular expression {text!r}: {e}") from None
    return text


def register_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``image``, ``disk-image`` and ``vm`` to the ``schemos`` parser."""
    from schemos.cli import add_max_jobs_option
    from schemos.substitutes.commands import add_substitute_options

    for name in ("image", "disk-image"):
        p = sub.add_parser(name, parents=[common],
                           help="build a bootable disk image of an operating system"
                           + (" (alias of 'image')" if name == "disk-image" else ""))
        p.add_argument("file", help="an operating-system template, or a file whose value is "
                       "an image of (gnu image)")
        p.add_argument("-t", "--image-type", default="hurd-raw", metavar="TYPE",
                       help="hurd-raw (default), hurd-qcow2, raw or qcow2 (not used when "
                       "FILE is an image)")
        p.add_argument("--image-size", type=parse_image_size, default=None, metavar="SIZE",
                       help="the image size, e.g. 2G (default: estimated from the closure)")
        p.add_argument("-o", "--output", default=None, metavar="FILE",
                       help="the image file to write (default: NAME.img or NAME.qcow2 here)")
        p.add_argument("-s", "--system", default="x86_64-linux",
                       help="the system the image is built on (default x86_64-linux)")
        p.add_argument("--store", default=None, metavar="DIR",
                       help="physical root of the store (default: $SCHEMOS_STORE or "
                       "$XDG_DATA_HOME/schemos/store)")
        add_substitute_options(p)
        add_max_jobs_option(p)
        p.set_defaults(func=cmd_image)
    v = sub.add_parser("vm", parents=[common],
                       help="run a disk image in QEMU, as the childhurd service does")
    v.add_argument("image", help="the disk image (raw or qcow2)")
    v.add_argument("-m", "--memory", type=_memory, default=2048, metavar="MIB",
                   help="memory of the virtual machine (default 2048, as hurd-vm)")
    v.add_argument("--serial-log", default=None, metavar="FILE",
                   help="write the serial console to FILE (default: standard output)")
    v.add_argument("--screen-log", default=None, metavar="FILE",
                   help="also follow the VGA text screen (GRUB's and GNU Mach's console "
                   "when the system has no console=com0) and write its transcript to FILE")
    v.add_argument("--timeout", type=_timeout, default=None, metavar="SECONDS",
                   help="stop the machine after SECONDS")
    v.add_argument("--expect", action="append", type=_regexp, default=[], metavar="REGEXP",
                   help="stop as soon as the serial console has matched every REGEXP "
                   "(repeatable); exit 1 if the timeout comes first")
    v.add_argument("--no-snapshot", action="store_true",
                   help="write to the image (default: --snapshot, changes are discarded)")
    v.add_argument("--vga", action="store_true",
                   help="draw the VGA text screen in this terminal (-display curses) "
                   "instead of the serial console, for systems without console=com0")
    v.add_argument("--print-command", action="store_true",
                   help="print the QEMU command line and exit")
    v.set_defaults(func=cmd_vm)


def cmd_image(args: argparse.Namespace) -> int:
    """``schemos image -t TYPE FILE``: build the image and print its file name."""
    from schemos import load_image
    from schemos.cli import _report, system_error
    from schemos.errors import SchemeError
    from schemos.image.build import build_image
    from schemos.image.progress import ProgressBar
    from schemos.substitutes.commands import substitute_urls

    bar = ProgressBar()
    try:
        os_ = load_image(args.file, load_path=args.load_path, use_cache=not args.no_cache)
        # without --substitute-urls or $SCHEMOS_SUBSTITUTE_URLS, package outputs
        # must already be in the store
        given = args.substitute_urls or os.environ.get("SCHEMOS_SUBSTITUTE_URLS")
        urls = substitute_urls(args.substitute_urls) if given else []
        result = build_image(os_, args.image_type, args.output, image_size=args.image_size,
                             substitute_urls=urls, acl=args.acl, store=args.store,
                             system=args.system, progress=bar,
                             max_jobs=getattr(args, "max_jobs", None))
    except SchemeError as e:
        bar.close()
        return _report(e, args.debug)
    except OSError as e:
        bar.close()
        return _report(system_error(e, "building the image"), args.debug)
    except KeyboardInterrupt:
        bar.close()
        print("schemos image: interrupted; nothing was written", file=sys.stderr)
        return 130
    bar.close()
    print(result.path)
    return 0


def check_disk_image(image: Path) -> None:
    """Fail unless ``image`` is a disk image QEMU can boot: qcow2, or raw with an MBR.

    A raw disk that boots from BIOS ends its first sector with the boot
    signature 0x55 0xAA (GRUB's ``boot.img``, an ISO's hybrid MBR); a qcow2
    file starts with ``QFI\\xfb``.  Raises an ``image-error`` condition.
    """
    from schemos.errors import Condition, SchemeError

    hint = "build one with 'schemos image -t hurd-raw FILE'"
    if not image.exists():
        raise SchemeError(Condition("image-error", "~A: no such image", args=[str(image)],
                                    hint=hint))
    if not image.is_file():
        raise SchemeError(Condition("image-error", "~A: not a disk image file (~A)",
                                    args=[str(image), "a directory" if image.is_dir()
                                          else "not a regular file"], hint=hint))
    try:
        with open(image, "rb") as f:
            head = f.read(512)
    except OSError as e:
        raise SchemeError(Condition("image-error", "cannot read the image ~A: ~A",
                                    args=[str(image), e.strerror or str(e)],
                                    hint="check the file's permissions")) from None
    if head[:4] != b"QFI\xfb" and (len(head) < 512 or head[510:512] != b"\x55\xaa"):
        raise SchemeError(Condition(
            "image-error", "~A: not a bootable disk image (neither qcow2 nor a raw disk "
            "with a boot sector)", args=[str(image)], hint=hint))


def cmd_vm(args: argparse.Namespace) -> int:
    """``schemos vm IMAGE``: boot an image in QEMU."""
    import shutil
    import tempfile

    from schemos.cli import _report, interrupted, system_error
    from schemos.errors import Condition, SchemeError
    from schemos.image import vm
    from schemos.image.disk import require_tools

    image = Path(args.image)
    scratch: Path | None = None
    try:
        check_disk_image(image)
        if args.print_command:
            print(" ".join(vm.qemu_command(image, memory=args.memory,
                                           snapshot=not args.no_snapshot,
                                           serial_log=Path(args.serial_log)
                                           if args.serial_log else None, vga=args.vga)))
            return 0
        require_tools(["qemu-system-i386"], "run the image")
        if (args.serial_log is None and args.screen_log is None and args.timeout is None
                and not args.expect):
            # interactive: QEMU's serial console on this terminal
            import subprocess

            cmd = vm.qemu_command(image, memory=args.memory, snapshot=not args.no_snapshot,
                                  vga=args.vga)
            return subprocess.call(cmd)
        if args.serial_log is not None:
            log = Path(args.serial_log)
        else:
            # the console is shown on standard output; its log is a scratch file
            scratch = Path(tempfile.mkdtemp(prefix="schemos-vm-log-"))
            log = scratch / "serial.log"
        result = vm.run_vm(image, serial_log=log, timeout=args.timeout or 3600.0,
                           expect=args.expect, memory=args.memory,
                           snapshot=not args.no_snapshot,
                           screen_log=Path(args.screen_log) if args.screen_log else None)
        if args.serial_log is None:
            sys.stdout.write(result.serial)
        if result.returncode not in (None, 0):
            detail = result.stderr.strip().splitlines()
            raise SchemeError(Condition(
                "image-error", "QEMU failed with status ~A: ~A",
                args=[result.returncode, detail[-1] if detail else "(no message)"],
                hint="the command was: " + " ".join(result.command)))
    except SchemeError as e:
        return _report(e, args.debug)
    except OSError as e:
        return _report(system_error(e, "running the image"), args.debug)
    except KeyboardInterrupt:
        return interrupted("vm", "the virtual machine was stopped")
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    if args.expect and not result.all_matched:
        missing = [r for r in args.expect if r not in result.matched]
        print(f"schemos vm: timed out after {args.timeout or 3600.0:g} s without seeing: "
              + ", ".join(missing), file=sys.stderr)
        return 1
    return 0
