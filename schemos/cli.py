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


def _report(e: Any, debug: bool) -> int:
    from schemos.report import format_error

    sys.stdout.flush()
    if debug and e.__cause__ is not None:
        import traceback

        traceback.print_exception(e.__cause__)
    print(format_error(e), file=sys.stderr)
    return 1


def _interpreter(args: argparse.Namespace) -> Any:
    from schemos.interp import Interpreter

    return Interpreter(load_path=args.load_path, use_cache=not args.no_cache)


def cmd_eval(args: argparse.Namespace) -> int:
    """``schemos eval FILE`` / ``schemos eval -e EXPR``."""
    from schemos import OperatingSystem, is_operating_system
    from schemos.errors import SchemeError
    from schemos.report import SOURCES

    interp = _interpreter(args)
    try:
        if args.expr is not None:
            SOURCES["<command line>"] = args.expr
            value = interp.eval_string(args.expr, "<command line>")
        elif args.file:
            value = interp.load_file(args.file)
        else:
            print("schemos eval: give a FILE or -e EXPR", file=sys.stderr)
            return 2
        _flush_ports()
        if is_operating_system(value):
            os = OperatingSystem(value, interp, args.file)
            if args.json:
                sys.stdout.write(os.to_json())
            else:
                from schemos.system.summary import summary

                sys.stdout.write(summary(os))
            return 0
        if args.json:
            from schemos.system.graph import canonical, to_json

            sys.stdout.write(to_json({"value": canonical(value)}))
            return 0
    except SchemeError as e:
        return _report(e, args.debug)
    _print_value(value)
    return 0


def cmd_graph(args: argparse.Namespace) -> int:
    """``schemos graph extension|shepherd FILE``: DOT, SVG or PNG."""
    from schemos import is_operating_system
    from schemos.errors import SchemeError
    from schemos.interp import _Worker
    from schemos.system.graph import extension_dot, shepherd_dot

    interp = _interpreter(args)
    try:
        value = interp.load_file(args.file)
        _flush_ports()
        if not is_operating_system(value):
            print(f"schemos graph: {args.file}: the last expression is not an operating "
                  "system", file=sys.stderr)
            return 1
        fn = extension_dot if args.kind == "extension" else shepherd_dot
        dot = _Worker.run(lambda: fn(interp, value))
    except SchemeError as e:
        return _report(e, args.debug)
    if args.format == "dot":
        data = dot.encode()
    else:
        import shutil
        import subprocess

        exe = shutil.which("dot")
        if exe is None:
            print("schemos graph: Graphviz's 'dot' program is needed for --format "
                  f"{args.format}; install the Debian package 'graphviz' "
                  "(apt-get install graphviz)", file=sys.stderr)
            return 1
        r = subprocess.run([exe, "-T" + args.format], input=dot.encode(),
                           capture_output=True, check=False)
        if r.returncode != 0:
            print(f"schemos graph: dot failed: {r.stderr.decode(errors='replace')}",
                  file=sys.stderr)
            return 1
        data = r.stdout
    if args.output:
        from schemos.fsutil import write_atomic

        write_atomic(args.output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def _flush_ports() -> None:
    try:
        from schemos.runtime import ports
    except ImportError:
        return
    flush = getattr(ports, "flush_all", None)
    if flush is not None:
        flush()


def cmd_repl(args: argparse.Namespace) -> int:
    """``schemos repl [FILE]``."""
    from schemos.repl import run_repl

    return run_repl(args.file, args.load_path, color=not args.no_color,
                    use_cache=not args.no_cache)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``schemos`` command."""
    p = argparse.ArgumentParser(prog="schemos",
                                description="Evaluate GNU Guix-style operating-system "
                                "descriptions.")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks of internal "
                   "errors")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-L", "--load-path", action="append", default=[], metavar="DIR",
                        help="add DIR to the module search path (repeatable)")
    common.add_argument("--no-cache", action="store_true",
                        help="do not use or fill the compiled-module cache")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show Python tracebacks of internal errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    e = sub.add_parser("eval", parents=[common],
                       help="evaluate a file or expression; summarise an operating system")
    e.add_argument("file", nargs="?", help="the Scheme file to evaluate")
    e.add_argument("-e", "--expr", help="evaluate EXPR instead of a file")
    e.add_argument("--json", action="store_true",
                   help="print the system graph (or the value) as JSON")
    e.set_defaults(func=cmd_eval)
    g = sub.add_parser("graph", parents=[common],
                       help="the extension or shepherd graph of an operating system")
    g.add_argument("kind", choices=["extension", "shepherd"])
    g.add_argument("file", help="the operating-system template")
    g.add_argument("--format", choices=["dot", "svg", "png"], default="dot")
    g.add_argument("-o", "--output", help="write to OUTPUT instead of standard output")
    g.set_defaults(func=cmd_graph)
    r = sub.add_parser("repl", parents=[common], help="an interactive Guile-style REPL")
    r.add_argument("file", nargs="?", help="a template to load; its OS is bound to `os'")
    r.add_argument("--no-color", action="store_true", help="no colours (also NO_COLOR)")
    r.set_defaults(func=cmd_repl)
    _add_substitute_commands(sub, common)
    return p


def _add_substitute_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """``archive``, ``narinfo``, ``publish``, ``weather`` (schemos/substitutes/commands.py)."""
    from schemos.substitutes.commands import register_commands

    register_commands(sub, common)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    # schemos' own modules are imported on every run: let Python keep their
    # bytecode even where PYTHONDONTWRITEBYTECODE is set, or each start-up
    # recompiles the whole package (about a second)
    sys.dont_write_bytecode = False
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
