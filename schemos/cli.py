"""The ``schemos`` command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from schemos.datum import UNSPECIFIED, Values


def _print_value(value: Any) -> None:
    from schemos.printer import write_string

    vals = value.vals if type(value) is Values else (value,)
    for v in vals:
        if v is UNSPECIFIED:
            continue
        sys.stdout.write(write_string(v) + "\n")


def cmd_eval(args: argparse.Namespace) -> int:
    """``schemos eval FILE`` / ``schemos eval -e EXPR``."""
    from schemos.errors import SchemeError
    from schemos.interp import Interpreter
    from schemos.report import SOURCES, format_error

    interp = Interpreter()
    try:
        if args.expr is not None:
            SOURCES["<command line>"] = args.expr
            value = interp.eval_string(args.expr, "<command line>")
        elif args.file:
            value = interp.load_file(args.file)
        else:
            print("schemos eval: give a FILE or -e EXPR", file=sys.stderr)
            return 2
    except SchemeError as e:
        sys.stdout.flush()
        if args.debug and e.__cause__ is not None:
            import traceback

            traceback.print_exception(e.__cause__)
        print(format_error(e), file=sys.stderr)
        return 1
    _flush_ports()
    _print_value(value)
    return 0


def _flush_ports() -> None:
    try:
        from schemos.runtime import ports
    except ImportError:
        return
    flush = getattr(ports, "flush_all", None)
    if flush is not None:
        flush()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``schemos`` command."""
    p = argparse.ArgumentParser(prog="schemos",
                                description="Evaluate GNU Guix-style operating-system "
                                "descriptions.")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks of internal "
                   "errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    e = sub.add_parser("eval", help="evaluate a file or expression and write its value")
    e.add_argument("file", nargs="?", help="the Scheme file to evaluate")
    e.add_argument("-e", "--expr", help="evaluate EXPR instead of a file")
    e.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                   help="show Python tracebacks of internal errors")
    e.set_defaults(func=cmd_eval)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_usage(sys.stderr)
        return 2
    if not hasattr(args, "debug"):
        args.debug = False
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
