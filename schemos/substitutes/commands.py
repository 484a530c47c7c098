"""The substitute commands: ``archive``, ``narinfo``, ``publish``, ``substitute``, ``weather``.

Each command is a thin layer over the library: it parses options, calls one
function, and reports errors Guix-style (``schemos archive: error: …``) with
exit status 1.  :func:`register_commands` adds them to the main parser.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from schemos.errors import SchemeError


def _fail(command: str, message: str, hint: str | None = None) -> int:
    print(f"schemos {command}: error: {message}", file=sys.stderr)
    if hint:
        print(f"hint: {hint}", file=sys.stderr)
    return 1


def _guarded(command: str, fn: Callable[[argparse.Namespace], int]) -> Callable[..., int]:
    """Run ``fn``, turning conditions and OS errors into a message and status 1."""

    def run(args: argparse.Namespace) -> int:
        try:
            return fn(args)
        except SchemeError as e:
            if getattr(args, "debug", False):
                raise
            c = e.condition
            if c is None:
                return _fail(command, str(e))
            from schemos.errors import format_condition

            return _fail(command, format_condition(c), c.hint)
        except OSError as e:
            if getattr(args, "debug", False):
                raise
            where = f": {e.filename}" if e.filename else ""
            return _fail(command, f"{e.strerror or e}{where}")

    run.__doc__ = fn.__doc__
    return run


# ------------------------------------------------------------------ archive

def cmd_archive(args: argparse.Namespace) -> int:
    """``schemos archive --generate-key [--key-dir DIR]`` / ``--authorize [--acl FILE]``."""
    from schemos.substitutes import pki

    if args.generate_key is not None:
        params = " ".join(args.generate_key.split())
        if params and params not in (pki.KEY_GENERATION_PARAMETERS,
                                     "(genkey (ecdsa (curve Ed25519)))"):
            return _fail("archive", f"unsupported key generation parameters: {params}",
                         f"schemos generates {pki.KEY_GENERATION_PARAMETERS} keys, "
                         "as Guix does by default")
        directory = Path(args.key_dir) if args.key_dir else pki.default_config_dir()
        key = pki.generate_key_pair()
        pub, sec = pki.write_key_pair(key, directory)
        print(f"wrote {pub} and {sec}", file=sys.stderr)
        return 0
    if args.authorize:
        data = sys.stdin.buffer.read()
        key = pki.read_public_key(data)
        acl = Path(args.acl) if args.acl else pki.default_acl_file()
        added = pki.authorize_key(key, acl)
        print(f"{'authorized' if added else 'already authorized'}: key "
              f"{key.fingerprint()} in {acl}", file=sys.stderr)
        return 0
    return _fail("archive", "give --generate-key or --authorize")


# ------------------------------------------------------------------ narinfo

def _trusted_keys(args: argparse.Namespace) -> list[Any]:
    from schemos.substitutes import pki

    if args.key:
        return [pki.read_public_key(Path(args.key).read_bytes())]
    acl = Path(args.acl) if args.acl else pki.default_acl_file()
    if not acl.exists():
        raise FileNotFoundError(2, "no such ACL file", str(acl))
    return pki.load_acl(acl)


def cmd_narinfo(args: argparse.Namespace) -> int:
    """``schemos narinfo verify FILE (--key KEYFILE | --acl ACLFILE)`` and ``sign``."""
    from schemos.substitutes import pki
    from schemos.substitutes.narinfo import parse_narinfo

    text = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    info = parse_narinfo(text, source=args.file, store=None)
    if args.action == "verify":
        verdict = pki.verify_narinfo(info, _trusted_keys(args))
        if verdict.valid:
            print(f"{args.file}: {verdict.reason}")
            return 0
        print(f"{args.file}: {verdict.status}: {verdict.reason}", file=sys.stderr)
        return 1
    # sign
    import socket

    key = pki.load_secret_key(args.key_dir or pki.default_config_dir())
    signed = pki.sign_narinfo(info, key, args.host or socket.gethostname())
    sys.stdout.write(signed.text or "")
    return 0


# ------------------------------------------------------------------ publish, substitute

def _compressions(specs: list[str] | None) -> list[tuple[str, int | None]]:
    from schemos.substitutes.compression import available_compressions

    if not specs:
        return [(c, None) for c in available_compressions() if c in ("gzip", "lzip", "zstd")]
    out: list[tuple[str, int | None]] = []
    for spec in specs:
        name, _, level = spec.partition(":")
        if name not in available_compressions():
            raise SystemExit(f"schemos publish: error: compression '{name}' is not available "
                             f"(available: {', '.join(available_compressions())})")
        try:
            out.append((name, int(level) if level else None))
        except ValueError:
            raise SystemExit(f"schemos publish: error: bad compression level in '{spec}'"
                             ) from None
    return out


def cmd_publish(args: argparse.Namespace) -> int:
    """``schemos publish --cache DIR [ITEMS…]`` and/or ``--serve PORT``."""
    import socket

    from schemos.substitutes import pki, publish

    if not args.items and args.serve is None:
        return _fail("publish", "give store items to publish, or --serve PORT")
    if args.items:
        key = pki.load_secret_key(args.key_dir or pki.default_config_dir())
        done = publish.publish(args.items, args.cache, key,
                               compressions=_compressions(args.compression),
                               store_root=args.store, host=args.host or socket.gethostname(),
                               closure=args.recursive)
        for p in done:
            print(p.narinfo.store_path)
    if args.serve is not None:
        publish.write_cache_info(args.cache)
        server = publish.make_server(args.cache, args.serve)
        print(f"publishing {args.cache} on http://127.0.0.1:{server.server_address[1]}",
              file=sys.stderr, flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    return 0


def substitute_urls(value: str | None) -> list[str]:
    """The URLs of a ``--substitute-urls`` value (space-separated, as in Guix).

    Without one: ``$SCHEMOS_SUBSTITUTE_URLS``, else Guix's default URLs.
    """
    import os

    from schemos.substitutes.client import DEFAULT_SUBSTITUTE_URLS

    if value is None:
        value = os.environ.get("SCHEMOS_SUBSTITUTE_URLS")
    if value is None:
        return list(DEFAULT_SUBSTITUTE_URLS)
    return value.split()


def add_substitute_options(parser: argparse.ArgumentParser, *,
                           guix_default: bool = True) -> None:
    """``--substitute-urls`` and ``--acl``, for every command that realizes items.

    ``guix_default`` says (in the help) that Guix's URLs are the default
    when ``$SCHEMOS_SUBSTITUTE_URLS`` is unset, as for ``schemos substitute``.
    """
    default = "$SCHEMOS_SUBSTITUTE_URLS or Guix's" if guix_default else \
        "$SCHEMOS_SUBSTITUTE_URLS, else none"
    parser.add_argument("--substitute-urls", metavar="URLS",
                        help=f"fetch substitutes from URLS (space-separated; default: "
                        f"{default})")
    parser.add_argument("--acl", metavar="FILE",
                        help="trust the keys of this ACL (default: the acl file in "
                        "$SCHEMOS_CONFIG_DIR or ~/.config/schemos)")


def cmd_substitute(args: argparse.Namespace) -> int:
    """``schemos substitute ITEMS…``: fetch items and their closures into the store."""
    from schemos.substitutes import pki
    from schemos.substitutes.client import substitute
    from schemos.substitutes.publish import default_store_root

    acl = pki.load_acl(args.acl or pki.default_acl_file(), required=bool(args.acl))
    store = Path(args.store) if args.store else default_store_root()
    paths = substitute(args.items, substitute_urls(args.substitute_urls), store, acl,
                       log=lambda m: print(m, file=sys.stderr))
    for p in paths:
        print(p)
    return 0


def cmd_weather(args: argparse.Namespace) -> int:
    """``schemos weather [FILE | -e EXPR | ITEMS…] [--items FILE]``: availability of substitutes.

    FILE (an operating-system template) or ``-e EXPR`` is lowered as
    ``schemos build -d`` lowers it (``-s/--system``, ``--target``), and the
    outputs of every derivation of its closure are looked for, as
    ``guix weather -m``/``guix weather PACKAGE`` do.
    """
    from schemos.store.paths import STORE_DIR
    from schemos.substitutes.publish import default_store_root
    from schemos.substitutes.weather import derivation_items, weather_with_progress

    store_root = Path(args.store) if args.store else default_store_root()
    files = [i for i in args.items
             if not i.startswith(STORE_DIR + "/") and not i.endswith(".drv")]
    if len(files) > 1 or (files and args.expr is not None):
        return _fail("weather", "give one FILE or -e EXPR",
                     "store items and .drv files may be added to either")
    drvs = [i for i in args.items if i.endswith(".drv")]
    items = [i for i in args.items if i not in drvs and i not in files]
    from schemos.substitutes.client import check_substitute_urls

    urls = substitute_urls(args.substitute_urls)
    check_substitute_urls(urls)                 # before the (long) lowering
    if files or args.expr is not None:
        from schemos.cli import _report

        try:
            drvs += _lower_for_weather(args, files[0] if files else None, store_root)
        except SchemeError as e:
            # an error in FILE or EXPR: shown as 'schemos build' shows it (caret, hint)
            return _report(e, args.debug)
    if drvs:
        items += derivation_items(drvs, store_root)
    if args.items_file:
        text = sys.stdin.read() if args.items_file == "-" else \
            Path(args.items_file).read_text()
        items += [line.strip() for line in text.splitlines() if line.strip()]
    if not items:
        return _fail("weather", "no store items given",
                     "pass an operating-system FILE, -e EXPR, store paths or .drv files, "
                     "or --items FILE")
    items = list(dict.fromkeys(items))
    if drvs:
        print(f"computing {len(items)} package derivation outputs...", file=sys.stderr)
    weather_with_progress(items, urls, workers=args.jobs)
    return 0


def _lower_for_weather(args: argparse.Namespace, file: str | None,
                       store_root: Path) -> list[str]:
    """The ``.drv`` paths of FILE or ``-e EXPR``, lowered into the store at ``store_root``."""
    from schemos.cli import lower_command_line
    from schemos.interp import Interpreter
    from schemos.store import build
    from schemos.store import scheme as store_scheme

    interp = Interpreter(load_path=args.load_path, use_cache=not args.no_cache)
    if args.store:
        store_scheme.DEFAULT_ROOT = store_root
    lowered = argparse.Namespace(file=file, expr=args.expr, system=args.system,
                                 target=args.target)
    with build.open_store(store_root, interp=interp) as store:
        roots, _, _ = lower_command_line(lowered, interp, store)
    return [d.path for d in roots]


def register_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the substitute commands to the subparsers ``sub`` of the main parser."""
    a = sub.add_parser("archive", parents=[common],
                       help="manage signing keys and the ACL (as 'guix archive')")
    a.add_argument("--generate-key", nargs="?", const="", metavar="PARAMETERS",
                   help="generate a key pair (ECDSA over Ed25519, as Guix)")
    a.add_argument("--key-dir", metavar="DIR",
                   help="where to write signing-key.pub/.sec (default: "
                   "$SCHEMOS_CONFIG_DIR or ~/.config/schemos)")
    a.add_argument("--authorize", action="store_true",
                   help="authorize the public key read from standard input")
    a.add_argument("--acl", metavar="FILE", help="the ACL file to update (default: "
                   "the acl file in the configuration directory)")
    a.set_defaults(func=_guarded("archive", cmd_archive))

    n = sub.add_parser("narinfo", parents=[common], help="check or sign a narinfo")
    n.add_argument("action", choices=["verify", "sign"])
    n.add_argument("file", help="the narinfo file ('-' for standard input)")
    trust = n.add_mutually_exclusive_group()
    trust.add_argument("--key", metavar="KEYFILE", help="verify: trust this public key")
    trust.add_argument("--acl", metavar="ACLFILE", help="verify: trust the keys of this ACL")
    n.add_argument("--key-dir", metavar="DIR", help="sign: the directory of signing-key.sec")
    n.add_argument("--host", help="sign: the host name in the Signature field")
    n.set_defaults(func=_guarded("narinfo", cmd_narinfo))

    pb = sub.add_parser("publish", parents=[common],
                        help="publish store items as a signed binary cache, or serve one")
    pb.add_argument("items", nargs="*", metavar="ITEM", help="store items to publish")
    pb.add_argument("--cache", required=True, metavar="DIR", help="the cache directory")
    pb.add_argument("--serve", type=int, metavar="PORT",
                    help="serve the cache over HTTP on 127.0.0.1:PORT (0: any free port)")
    pb.add_argument("-C", "--compression", action="append", metavar="TYPE[:LEVEL]",
                    help="compress NARs with TYPE (gzip, lzip, zstd, xz, bzip2, none); "
                    "repeatable; default: gzip, lzip and zstd")
    pb.add_argument("-r", "--recursive", action="store_true",
                    help="publish the closure of the items")
    pb.add_argument("--store", metavar="DIR", help="where store items are (default: "
                    "$SCHEMOS_STORE or ~/.local/share/schemos/store)")
    pb.add_argument("--key-dir", metavar="DIR", help="the directory of signing-key.sec")
    pb.add_argument("--host", help="the host name in Signature fields")
    pb.set_defaults(func=_guarded("publish", cmd_publish))

    sb = sub.add_parser("substitute", parents=[common],
                        help="fetch store items and their closures from substitute servers")
    sb.add_argument("items", nargs="+", metavar="ITEM", help="store paths to fetch")
    add_substitute_options(sb)
    sb.add_argument("--store", metavar="DIR", help="the store directory to fill (default: "
                    "$SCHEMOS_STORE or ~/.local/share/schemos/store)")
    sb.set_defaults(func=_guarded("substitute", cmd_substitute))

    w = sub.add_parser("weather", parents=[common],
                       help="report the availability of substitutes (as 'guix weather')")
    w.add_argument("items", nargs="*", metavar="FILE|ITEM",
                   help="an operating-system template (the outputs of its derivations' "
                   "closure), or store paths to look for; for a .drv, its outputs and "
                   "those of its input derivations")
    w.add_argument("-e", "--expression", dest="expr",
                   help="look for the outputs of the derivations EXPR lowers to (a "
                   "package, file-like object, operating system…)")
    w.add_argument("-s", "--system", default=None,
                   help="lower for this system, e.g. x86_64-linux or i586-gnu")
    w.add_argument("--target", default=None,
                   help="lower cross-built for TRIPLET, e.g. i586-pc-gnu")
    w.add_argument("--store", metavar="DIR", help="where to find and write .drv files "
                   "(default: $SCHEMOS_STORE or ~/.local/share/schemos/store)")
    w.add_argument("--items", dest="items_file", metavar="FILE",
                   help="read store paths from FILE, one a line ('-': standard input)")
    w.add_argument("--substitute-urls", metavar="URLS",
                   help="the servers to ask (space-separated)")
    w.add_argument("-j", "--jobs", type=int, default=8, help="parallel requests (8)")
    w.set_defaults(func=_guarded("weather", cmd_weather))
