"""The ``schemos`` command line."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from schemos.datum import UNSPECIFIED, Values

if TYPE_CHECKING:
    from schemos.errors import SchemeError


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


def system_error(e: OSError, what: str = "") -> SchemeError:
    """A ``system-error`` condition for an OS error met while working (disk full…).

    ``what`` says what was being done (``"writing the image"``); the
    Python exception is kept as the cause, for ``--debug``.
    """
    from schemos.errors import Condition, SchemeError

    where = e.filename if e.filename is not None else ""
    text = e.strerror or str(e)
    message = f"{what}: " if what else ""
    message += f"{where}: {text}" if where else text
    err = SchemeError(Condition("system-error", "~A", args=[message],
                                hint="check the file names, free space and permissions"))
    err.__cause__ = e
    return err


def interrupted(command: str, what: str = "") -> int:
    """Say that ``schemos COMMAND`` was interrupted (Ctrl-C); return its exit status, 130."""
    sys.stdout.flush()
    print(f"schemos {command}: interrupted{'; ' + what if what else ''}", file=sys.stderr)
    return 130


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
    _add_store_commands(sub, common)
    from schemos.image.commands import register_commands as image_commands

    image_commands(sub, common)
    y = sub.add_parser("system", help="Guix's spelling: system build|image|disk-image|"
                       "extension-graph|shepherd-graph FILE …",
                       description="As 'guix system ACTION': build (= schemos build), "
                       "image and disk-image (= schemos image), extension-graph and "
                       "shepherd-graph (= schemos graph extension|shepherd).")
    y.add_argument("action", choices=sorted(SYSTEM_ACTIONS))
    y.add_argument("args", nargs=argparse.REMAINDER,
                   help="the options and FILE, as for the command it stands for")
    y.set_defaults(func=cmd_system)
    return p


#: ``schemos system ACTION`` → the command line it stands for, as ``guix system``
SYSTEM_ACTIONS = {
    "build": ["build"],
    "image": ["image"],
    "disk-image": ["image"],
    "extension-graph": ["graph", "extension"],
    "shepherd-graph": ["graph", "shepherd"],
}


def cmd_system(args: argparse.Namespace) -> int:
    """``schemos system ACTION …``: Guix's ``guix system`` spelling of the commands."""
    return main(SYSTEM_ACTIONS[args.action] + list(args.args))


def _add_substitute_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """``archive``, ``narinfo``, ``publish``, ``weather`` (schemos/substitutes/commands.py)."""
    from schemos.substitutes.commands import register_commands

    register_commands(sub, common)


def _add_store_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """``build`` and ``show-derivation`` (schemos/store/)."""
    b = sub.add_parser("build", parents=[common],
                       help="lower an operating system, package or file-like object to "
                       "derivations in the store")
    b.add_argument("file", nargs="?", help="an operating-system template")
    b.add_argument("-e", "--expression", dest="expr",
                   help="lower the value of EXPR (a package, file-like object, "
                   "operating system or monadic value)")
    b.add_argument("-d", "--derivations", action="store_true",
                   help="print the .drv file names (nothing is built); without -d, "
                   "build what can be built locally and list what needs substitutes")
    b.add_argument("-s", "--system", default=None,
                   help="the system to build for, e.g. x86_64-linux or i586-gnu")
    b.add_argument("--target", default=None,
                   help="cross-build for TRIPLET, e.g. i586-pc-gnu")
    b.add_argument("--store", default=None, metavar="DIR",
                   help="physical root of the store (default: $SCHEMOS_STORE or "
                   "$XDG_DATA_HOME/schemos/store)")
    b.add_argument("-v", "--verbose", action="store_true",
                   help="say what is substituted and built")
    from schemos.substitutes.commands import add_substitute_options

    add_substitute_options(b, guix_default=False)
    add_max_jobs_option(b)
    b.set_defaults(func=cmd_build)
    d = sub.add_parser("show-derivation", parents=[common],
                       help="print .drv files as JSON")
    d.add_argument("files", nargs="+", metavar="FILE.drv",
                   help="a .drv file: /gnu/store/… (found under --store) or a file name")
    d.add_argument("--store", default=None, metavar="DIR",
                   help="physical root of the store")
    d.set_defaults(func=cmd_show_derivation)


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"invalid number of jobs: {text!r} (give 1 or more)")
    return n


def add_max_jobs_option(p: argparse.ArgumentParser) -> None:
    """``-M/--max-jobs N``: local builds run at once (Guix's daemon option)."""
    p.add_argument("-M", "--max-jobs", type=_jobs, default=None, metavar="N",
                   help="run at most N local builds at once (default: one per CPU)")


def lower_command_line(args: argparse.Namespace, interp: Any, store: Any
                       ) -> tuple[list[Any], list[str], bool]:
    """Lower ``FILE`` or ``-e EXPR`` as ``schemos build -d`` does.

    Returns the derivations written (for an operating system: the system's
    first, then grub.cfg), what ``-d`` prints, and whether the value was an
    operating system.  Honours ``-s/--system`` and ``--target``.
    """
    from schemos import is_operating_system
    from schemos.report import SOURCES
    from schemos.store import build

    system = getattr(args, "system", None) or build.DEFAULT_SYSTEM
    target = getattr(args, "target", None)
    if args.expr is not None:
        # as 'guix build -e', the expression sees Guix's core modules
        interp.eval_string("(use-modules (guix gexp) (guix packages) (guix store) "
                           "(guix monads) (guix derivations) (gnu packages))",
                           "<command line>")
        SOURCES["<command line>"] = args.expr
        value = interp.eval_string(args.expr, "<command line>")
    else:
        value = interp.load_file(args.file)
    _flush_ports()
    if is_operating_system(value):
        lowered = build.lower_operating_system(interp, value, store, system, target)
        return lowered.roots(), [lowered.system.path], True
    result = build.lower_value(interp, value, store, system, target)
    roots = [result] if hasattr(result, "path") else []
    return roots, [result.path if hasattr(result, "path") else str(result)], False


def cmd_build(args: argparse.Namespace) -> int:
    """``schemos build [-d] FILE`` / ``schemos build [-d] -e EXPR``."""
    from schemos.errors import SchemeError
    from schemos.store import build
    from schemos.store import scheme as store_scheme

    if (args.file is None) == (args.expr is None):
        print("schemos build: give a FILE or -e EXPR", file=sys.stderr)
        return 2
    interp = _interpreter(args)
    if args.store:
        from pathlib import Path

        store_scheme.DEFAULT_ROOT = Path(args.store)
    try:
        # bad substitute URLs or ACL fail before the (long) lowering
        settings = None if args.derivations else _substitute_settings(args)
        with build.open_store(args.store, interp=interp) as store:
            roots, out, is_os = lower_command_line(args, interp, store)
            if settings is not None:
                return _realize(args, store, roots, is_os, settings)
    except SchemeError as e:
        return _report(e, args.debug)
    except OSError as e:
        return _report(system_error(e, "building"), args.debug)
    except KeyboardInterrupt:
        return interrupted("build")
    for line in out:
        print(line)
    return 0


def _realize(args: argparse.Namespace, store: Any, roots: list[Any], is_os: bool,
             settings: tuple[list[str], list[Any]]) -> int:
    """``schemos build`` without -d: substitute and build what the roots need.

    ``settings`` are the substitute URLs and ACL keys
    (:func:`_substitute_settings`).  Prints the roots' output paths (for an
    operating system, the system's), as ``guix build`` does.  Without
    substitute URLs and with items missing, prints what was built or
    already valid and counts what needs a daemon.
    """
    from schemos.errors import format_condition
    from schemos.store.realize import realize

    urls, acl = settings

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    report = realize(store, roots, substitute_urls=urls, acl=acl,
                     progress=progress if args.verbose else None, missing_ok=True,
                     explore=not urls, max_jobs=getattr(args, "max_jobs", None))
    for _drv, message in sorted(report.failed.items()):
        print(f"schemos build: error: {message}", file=sys.stderr)
    summary = (f"schemos build: {len(report.substituted)} item(s) substituted, "
               f"{len(report.built)} built, {len(report.valid)} already valid")
    if report.missing and not urls:
        # as before substitutes: what could be done here, and a count of the rest
        for path in report.built + report.valid:
            print(path)
        print(f"{summary}; {len(report.missing)} derivation(s) (packages, downloads) need a "
              "Guix daemon or substitutes", file=sys.stderr)
        return 1 if report.failed else 0
    if report.missing:
        c = report.missing_error(urls).condition
        assert c is not None
        print(f"schemos build: error: {format_condition(c)}", file=sys.stderr)
        print(f"hint: {c.hint}", file=sys.stderr)
        print(summary, file=sys.stderr)
        return 1
    print(summary, file=sys.stderr)
    if report.failed or report.blocked:
        return 1
    shown = roots[:1] if is_os else roots
    for d in shown:
        for name in sorted(d.outputs):
            print(d.outputs[name].path)
    return 0


def _substitute_settings(args: argparse.Namespace) -> tuple[list[str], list[Any]]:
    """The substitute URLs and ACL keys of ``--substitute-urls``/``--acl``.

    Without ``--substitute-urls``: ``$SCHEMOS_SUBSTITUTE_URLS`` if set, else
    none (schemos build does not go to Guix's farm unless told).  The ACL is
    ``--acl``, else the default ACL file (no keys if it does not exist).
    """
    import os

    from schemos.substitutes import pki
    from schemos.substitutes.client import check_substitute_urls

    value = args.substitute_urls
    if value is None:
        value = os.environ.get("SCHEMOS_SUBSTITUTE_URLS", "")
    urls = value.split()
    if not urls:
        return [], []
    check_substitute_urls(urls)
    return urls, pki.load_acl(args.acl or pki.default_acl_file(), required=bool(args.acl))


def cmd_show_derivation(args: argparse.Namespace) -> int:
    """``schemos show-derivation FILE.drv ...``: the derivations as JSON."""
    from pathlib import Path

    from schemos.store import build
    from schemos.store.derivation import parse_aterm
    from schemos.store.disk import LocalStore, default_store_root
    from schemos.store.paths import STORE_DIR

    root = Path(args.store) if args.store else default_store_root()
    drvs = []
    for f in args.files:
        if f.startswith(STORE_DIR + "/"):
            logical, physical = f, LocalStore(root).physical(f)
        else:
            physical = Path(f)
            logical = f"{STORE_DIR}/{physical.name}"
        try:
            text = physical.read_text(encoding="utf-8")
        except OSError as e:
            print(f"schemos show-derivation: {f}: {e.strerror}", file=sys.stderr)
            return 1
        try:
            drvs.append(parse_aterm(text, logical))
        except ValueError as e:
            print(f"schemos show-derivation: {f}: {e}", file=sys.stderr)
            return 1
    sys.stdout.write(build.show_derivations(drvs))
    return 0


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
    try:
        return args.func(args)
    except KeyboardInterrupt:
        # a command without its own handler: its finally blocks have cleaned up
        return interrupted(args.command)


if __name__ == "__main__":
    sys.exit(main())
