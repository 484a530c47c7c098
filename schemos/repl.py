"""The interactive REPL: Guile's look and meta-commands, plus operating-system exploration.

:class:`ReplEngine` does the work and returns text, so it is tested without a
terminal; :func:`run_repl` puts a prompt_toolkit front end on it (colours,
completion, history, multi-line input) or, when standard input is not a
terminal, reads datums from it and prints plain results.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import Any

from schemos.datum import UNSPECIFIED, Pair, Symbol, Values
from schemos.errors import SchemeError

META_COMMANDS = {
    "help": "show this help",
    "quit": "leave the REPL (also Ctrl-D)",
    "describe": "NAME — its documentation, or a record type's fields with defaults",
    "apropos": "REGEXP — names visible here that match",
    "expand": "EXPR — the macro expansion of EXPR",
    "time": "EXPR — evaluate EXPR and show how long it took",
    "use": "(MODULE) — import MODULE",
    "load": "FILE — evaluate FILE",
    "reload": "reload the file the REPL was started with",
    "pretty-print": "EXPR — evaluate and pretty-print (alias ,pp)",
    "os": "EXPR — explore another operating system",
    "services": "list every service of the operating system",
    "service": "TYPE — one service's value, what it extends and what extends it",
    "why": "TYPE — the extension path from TYPE to the system service",
    "graph": "[extension|shepherd] [--dot] — the graph as a tree (or DOT)",
    "shepherd": "the shepherd services: provisions and requirements",
    "packages": "the packages of the system profile",
    "diff": "EXPR — compare the operating system with another one",
}
ALIASES = {"q": "quit", "pp": "pretty-print", "d": "describe", "a": "apropos", "h": "help",
           "l": "load", "t": "time", "u": "use", "x": "expand"}


class ReplEngine:
    """Evaluates REPL input; every method returns the text to show."""

    def __init__(self, file: str | None = None, load_path: list[str] | None = None,
                 use_cache: bool = True) -> None:
        from schemos.interp import Interpreter

        self.interp = Interpreter(load_path=load_path, use_cache=use_cache)
        self.file = file
        self.counter = 0
        self.os: Any = None
        self.quit = False
        self._input_no = 0
        if file:
            self.load_os_file(file)

    # ------------------------------------------------------------ basics
    @property
    def module_name(self) -> str:
        """The current module, as the prompt shows it."""
        return " ".join(self.interp.current.name)

    def prompt(self) -> str:
        """Guile's prompt."""
        return f"scheme@({self.module_name})> "

    def load_os_file(self, path: str) -> str:
        """Load ``path``; bind its value to ``os`` when it is an operating system."""
        from schemos import is_operating_system

        value = self.interp.load_file(path)
        if is_operating_system(value):
            self.os = value
            self.interp.user.define("os", value)
            return f";;; loaded {path}; its operating system is bound to `os'"
        return f";;; loaded {path}"

    def eval_text(self, text: str) -> str:
        """Evaluate every datum of ``text`` (or run a meta-command); return what to print."""
        stripped = text.strip()
        if not stripped:
            return ""
        if stripped.startswith(","):
            return self.meta(stripped[1:])
        from schemos.report import SOURCES

        self._input_no += 1
        name = f"<repl-{self._input_no}>"
        SOURCES[name] = text
        try:
            value = self.interp.eval_string(text, name, self.interp.current)
        except SchemeError as e:
            return self.error_text(e)
        return self.show(value)

    def error_text(self, e: SchemeError) -> str:
        """An error as the CLI prints it."""
        from schemos.report import format_error

        return format_error(e)

    def show(self, value: Any) -> str:
        """``$N = value`` lines for each value; nothing for unspecified."""
        from schemos.printer import write_string

        vals = value.vals if type(value) is Values else (value,)
        lines = []
        for v in vals:
            if v is UNSPECIFIED:
                continue
            self.counter += 1
            self.interp.user.define(f"${self.counter}", v)
            lines.append(f"${self.counter} = {write_string(v)}")
        return "\n".join(lines)

    # ------------------------------------------------------- meta-commands
    def meta(self, text: str) -> str:
        """Run ``,command args``."""
        cmd, _, arg = text.partition(" ")
        cmd = ALIASES.get(cmd, cmd)
        arg = arg.strip()
        fn = getattr(self, "m_" + cmd.replace("-", "_"), None)
        if fn is None:
            from schemos.errors import nearest_names

            near = nearest_names(cmd, list(META_COMMANDS))
            hint = f" (did you mean ,{near[0]}?)" if near else ""
            return f"Unknown meta command: {cmd}{hint}; ,help lists them"
        try:
            return fn(arg)
        except SchemeError as e:
            return self.error_text(e)

    def _eval(self, text: str) -> Any:
        return self.interp.eval_string(text, "<repl>", self.interp.current)

    def m_help(self, arg: str) -> str:
        """,help"""
        lines = ["Meta-commands:"]
        for k, v in META_COMMANDS.items():
            lines.append(f"  ,{k:<13} {v}")
        return "\n".join(lines)

    def m_quit(self, arg: str) -> str:
        """,quit"""
        self.quit = True
        return ""

    def m_describe(self, arg: str) -> str:
        """,describe NAME"""
        from schemos.runtime.control import RecordType

        if not arg:
            return "usage: ,describe NAME"
        sym = Symbol(arg)
        mod = self.interp.current
        b = mod.syntax.get(sym)
        if b is not None:
            return f"{arg} is syntax: {getattr(b, 'name', arg)}"
        try:
            v = mod.ref(sym)
        except KeyError:
            raise _unbound(arg, mod) from None
        if isinstance(v, RecordType):
            return _describe_record_type(v)
        doc = getattr(v, "__doc__", None)
        from schemos.printer import write_string

        head = write_string(v)
        return head + ("\n" + doc.strip() if doc and callable(v) else "")

    def m_apropos(self, arg: str) -> str:
        """,apropos REGEXP"""
        try:
            rx = re.compile(arg)
        except re.error as e:
            return f"bad regular expression: {e}"
        names = sorted({n for n in self.interp.current.all_names() if rx.search(n)})
        return "\n".join(names) if names else "no match"

    def m_expand(self, arg: str) -> str:
        """,expand EXPR"""
        from schemos.printer import write_string
        from schemos.reader import read_one

        form = read_one(arg, "<repl>")
        return write_string(expand_all(self.interp, form, self.interp.current))

    def m_time(self, arg: str) -> str:
        """,time EXPR"""
        t = time.perf_counter()
        c = time.process_time()
        out = self.eval_text(arg)
        real = time.perf_counter() - t
        cpu = time.process_time() - c
        return (out + "\n" if out else "") + f";; {real:.6f}s real time, {cpu:.6f}s run time"

    def m_use(self, arg: str) -> str:
        """,use (MODULE)"""
        self._eval(f"(use-modules {arg})")
        return ""

    def m_load(self, arg: str) -> str:
        """,load FILE"""
        path = arg.strip('"')
        return self.load_os_file(path)

    def m_reload(self, arg: str) -> str:
        """,reload"""
        if not self.file:
            return "nothing to reload: the REPL was started without a file"
        return self.load_os_file(self.file)

    def m_pretty_print(self, arg: str) -> str:
        """,pretty-print EXPR"""
        v = self._eval(arg)
        return _pretty(v)

    # --------------------------------------------------- exploring systems
    def _need_os(self) -> Any:
        if self.os is None:
            raise SchemeError(_cond("no operating system: start the REPL with a template "
                                    "or use ,os EXPR"))
        return self.os

    def _model(self) -> Any:
        from schemos.system.graph import Model

        return Model(self.interp)

    def m_os(self, arg: str) -> str:
        """,os EXPR"""
        from schemos import is_operating_system

        v = self._eval(arg)
        if not is_operating_system(v):
            return "not an operating system"
        self.os = v
        self.interp.user.define("os", v)
        return f";;; now exploring {_os_name(self, v)}"

    def _services(self) -> list[Any]:
        from schemos.interp import _Worker
        from schemos.system.graph import services_of

        return _Worker.run(lambda: services_of(self._model(), self._need_os()))

    def _type_name(self, s: Any) -> str:
        from schemos.system.graph import _service_type, _type_name

        m = self._model()
        return _type_name(m, _service_type(m, s))

    def m_services(self, arg: str) -> str:
        """,services"""
        from schemos.interp import _Worker

        def work() -> str:
            from schemos.system.graph import _location, _service_type

            m = self._model()
            lines = []
            for s in self._services():
                name = self._type_name(s)
                value = m.call("gnu services", "service-value", s)
                where = _location(m.call("gnu services", "service-type-location",
                                         _service_type(m, s))) or ""
                lines.append(f"{name:<24} {_summary(value):<48} {where}")
            return "\n".join(lines)

        return _Worker.run(work)

    def _find(self, type_name: str) -> list[tuple[int, Any]]:
        found = [(i, s) for i, s in enumerate(self._services())
                 if self._type_name(s) == type_name]
        if not found:
            from schemos.errors import nearest_names

            near = nearest_names(type_name, [self._type_name(s) for s in self._services()])
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise SchemeError(_cond(f"no service of type {type_name}{hint}"))
        return found

    def m_service(self, arg: str) -> str:
        """,service TYPE"""
        from schemos.interp import _Worker
        from schemos.system.graph import extension_edges

        def work() -> str:
            m = self._model()
            services = self._services()
            edges = extension_edges(m, services)
            out = []
            for i, s in self._find(arg):
                out.append(f"{arg}:")
                out.append(_pretty(m.call("gnu services", "service-value", s)))
                ext = sorted({self._type_name(services[b]) for a, b in edges if a == i})
                by = sorted({self._type_name(services[a]) for a, b in edges if b == i})
                out.append(f"extends:     {', '.join(ext) or '(nothing)'}")
                out.append(f"extended by: {', '.join(by) or '(nothing)'}")
            return "\n".join(out)

        return _Worker.run(work)

    def m_why(self, arg: str) -> str:
        """,why TYPE"""
        from schemos.interp import _Worker
        from schemos.system.graph import extension_edges

        def work() -> str:
            services = self._services()
            edges = extension_edges(self._model(), services)
            names = [self._type_name(s) for s in services]
            start = self._find(arg)[0][0]
            # breadth-first search along extension edges to the system service
            prev: dict[int, int] = {start: -1}
            queue = [start]
            goal = None
            while queue:
                n = queue.pop(0)
                if names[n] == "system":
                    goal = n
                    break
                for a, b in edges:
                    if a == n and b not in prev:
                        prev[b] = n
                        queue.append(b)
            if goal is None:
                return f"{arg} does not extend the system service"
            path = []
            n = goal
            while n != -1:
                path.append(names[n])
                n = prev[n]
            return " -> ".join(reversed(path))

        return _Worker.run(work)

    def m_graph(self, arg: str) -> str:
        """,graph [extension|shepherd] [--dot]"""
        from schemos.interp import _Worker
        from schemos.system.graph import extension_dot, shepherd_dot

        words = arg.split()
        kind = "shepherd" if "shepherd" in words else "extension"
        fn = shepherd_dot if kind == "shepherd" else extension_dot
        dot = _Worker.run(lambda: fn(self.interp, self._need_os()))
        if "--dot" in words:
            return dot.rstrip("\n")
        return dot_to_tree(dot)

    def m_shepherd(self, arg: str) -> str:
        """,shepherd"""
        from schemos.interp import _Worker
        from schemos.system.graph import _shepherd_info, shepherd_services

        def work() -> str:
            m = self._model()
            infos = sorted((_shepherd_info(m, s) for s in shepherd_services(m, self._services())),
                           key=lambda d: d["provision"])
            rows = [("PROVISION", "REQUIREMENT")]
            rows += [(" ".join(i["provision"]), " ".join(i["requirement"])) for i in infos]
            w = max(len(r[0]) for r in rows)
            return "\n".join(f"{a:<{w}}  {b}" for a, b in rows)

        return _Worker.run(work)

    def m_packages(self, arg: str) -> str:
        """,packages"""
        from schemos.interp import _Worker
        from schemos.system.graph import _package_list, _package_spec

        return _Worker.run(lambda: "\n".join(sorted(
            _package_spec(p) if type(p).__name__ == "Record" else str(p)
            for p in _package_list(self._model(), self._need_os()))))

    def m_diff(self, arg: str) -> str:
        """,diff EXPR"""
        from schemos.interp import _Worker
        from schemos.system.graph import system_graph

        other = self._eval(arg)
        a = _Worker.run(lambda: system_graph(self.interp, self._need_os()))
        b = _Worker.run(lambda: system_graph(self.interp, other))
        return diff_graphs(a, b)


def _os_name(repl: ReplEngine, os: Any) -> str:
    from schemos.records import field_value

    return str(field_value(os, Symbol("host-name")))


def _summary(value: Any, width: int = 48) -> str:
    from schemos.printer import write_string

    text = write_string(value).replace("\n", " ")
    return text if len(text) <= width else text[:width - 3] + "..."


def _pretty(v: Any) -> str:
    try:
        from schemos.runtime.ports import pretty_string

        return pretty_string(v).rstrip("\n")
    except ImportError:
        from schemos.printer import write_string

        return write_string(v)


def _cond(msg: str) -> Any:
    from schemos.errors import Condition

    return Condition("misc-error", msg)


def _unbound(name: str, mod: Any) -> SchemeError:
    from schemos.errors import nearest_names, unbound_variable

    near = nearest_names(name, mod.all_names())
    return unbound_variable(name, hint=("did you mean " + " or ".join(near) + "?")
                            if near else None)


def _describe_record_type(rtd: Any) -> str:
    from schemos.printer import write_string

    name = rtd.name.name if type(rtd.name) is Symbol else str(rtd.name)
    lines = [f"record type {name}, fields:"]
    info = rtd.extra.get("guix-fields") or {}
    for f in rtd.fields:
        spec = info.get(f)
        extra = ""
        if spec is not None:
            flags = [k for k in ("thunked", "delayed", "innate") if getattr(spec, k)]
            if spec.has_default:
                extra += f" (default {write_string(spec.default)})"
            if flags:
                extra += " " + " ".join(f"({k})" for k in flags)
        lines.append(f"  {f.name}{extra}")
    return "\n".join(lines)


def expand_all(interp: Any, form: Any, module: Any) -> Any:
    """Expand every macro use in ``form`` (for ,expand), aliases stripped."""
    from schemos.compile import Compiler
    from schemos.syntax import Macro, Scope, is_identifier, resolve, strip

    comp = Compiler(module)
    scope = Scope(None, module)

    def walk(x: Any, depth: int) -> Any:
        if depth > 200:
            return x
        while type(x) is Pair and is_identifier(x.car):
            b = resolve(x.car, scope)
            if type(b) is not Macro:
                break
            x = comp.expand_macro(b, x, scope)
        if type(x) is Pair:
            head = x.car
            if is_identifier(head) and getattr(head, "name", None) == "quote":
                return x
            items = []
            p = x
            while type(p) is Pair:
                items.append(walk(p.car, depth + 1))
                p = p.cdr
            from schemos.datum import from_list

            return from_list(items, p)
        return x

    return strip(walk(form, 0))


def dot_to_tree(dot: str) -> str:
    """Render a DOT graph from schemos.system.graph as an indented tree."""
    labels: dict[str, str] = {}
    children: dict[str, list[str]] = {}
    order: list[str] = []
    for line in dot.splitlines():
        m = re.match(r'\s*"([^"]+)" \[label = "([^"]+)"', line)
        if m:
            labels[m.group(1)] = m.group(2)
            order.append(m.group(1))
            continue
        m = re.match(r'\s*"([^"]+)" -> "([^"]+)"', line)
        if m:
            children.setdefault(m.group(2), []).append(m.group(1))
    roots = [n for n in order if not any(n in v for v in children.values())] or order[:1]
    out: list[str] = []
    seen: set[str] = set()

    def visit(n: str, indent: int) -> None:
        mark = " (see above)" if n in seen else ""
        out.append("  " * indent + labels.get(n, n) + mark)
        if n in seen:
            return
        seen.add(n)
        for c in sorted(children.get(n, []), key=lambda c: labels.get(c, c)):
            visit(c, indent + 1)

    for r in roots:
        visit(r, 0)
    return "\n".join(out)


def diff_graphs(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Services added, removed and changed, packages added and removed."""
    import json

    sa = {s["id"]: s for s in a["services"]}
    sb = {s["id"]: s for s in b["services"]}
    out = []
    for k in sorted(set(sb) - set(sa)):
        out.append(f"+ service {k}")
    for k in sorted(set(sa) - set(sb)):
        out.append(f"- service {k}")
    for k in sorted(set(sa) & set(sb)):
        va = json.dumps(sa[k]["value"], sort_keys=True)
        vb = json.dumps(sb[k]["value"], sort_keys=True)
        if va != vb:
            out.append(f"~ service {k}: value changed")
            fa = sa[k]["value"].get("fields", {}) if isinstance(sa[k]["value"], dict) else {}
            fb = sb[k]["value"].get("fields", {}) if isinstance(sb[k]["value"], dict) else {}
            for f in sorted(set(fa) | set(fb)):
                if fa.get(f) != fb.get(f):
                    out.append(f"    {f}: {json.dumps(fa.get(f))} -> {json.dumps(fb.get(f))}")
    pa, pb = set(a["packages"]), set(b["packages"])
    out.extend(f"+ package {p}" for p in sorted(pb - pa))
    out.extend(f"- package {p}" for p in sorted(pa - pb))
    return "\n".join(out) if out else "no difference"


# ------------------------------------------------------------- front ends

def run_piped(engine: ReplEngine, stream: Any, out: Any) -> int:
    """Read datums (and meta-command lines) from ``stream``; print plain results."""
    from schemos.reader import is_complete

    buf = ""
    status = 0
    for line in stream:
        if not buf and line.lstrip().startswith(","):
            text = engine.eval_text(line)
            if text:
                out.write(text + "\n")
            if engine.quit:
                break
            continue
        buf += line
        if is_complete(buf):
            text = engine.eval_text(buf)
            if "Backtrace:" in text or re.search(r":\d+:\d+: ", text):
                status = 1
            if text:
                out.write(text + "\n")
            buf = ""
    if buf.strip():
        text = engine.eval_text(buf)
        if text:
            out.write(text + "\n")
    out.flush()
    return status


def state_dir() -> Path:
    """``$XDG_STATE_HOME/schemos`` (history lives there)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "schemos"


def make_session(engine: ReplEngine, color: bool = True, input: Any = None,
                 output: Any = None) -> Any:
    """A prompt_toolkit session for ``engine``."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory, InMemoryHistory
    from prompt_toolkit.layout.processors import HighlightMatchingBracketProcessor
    from prompt_toolkit.lexers import PygmentsLexer
    from pygments.lexers import SchemeLexer

    from schemos.repl_complete import SchemeCompleter

    try:
        d = state_dir()
        d.mkdir(parents=True, exist_ok=True)
        history: Any = FileHistory(str(d / "history"))
    except OSError:
        history = InMemoryHistory()
    if input is not None:
        history = InMemoryHistory()
    return PromptSession(
        lexer=PygmentsLexer(SchemeLexer) if color else None,
        completer=SchemeCompleter(engine),
        complete_while_typing=False,
        history=history,
        multiline=False,
        input_processors=[HighlightMatchingBracketProcessor()],
        color_depth=None if color else __import__("prompt_toolkit.output",
                                                  fromlist=["ColorDepth"]).ColorDepth.MONOCHROME,
        input=input, output=output,
        prompt_continuation=lambda width, line_number, is_soft_wrap: "." * (width - 2) + "> ",
    )


def read_input(session: Any, engine: ReplEngine) -> str:
    """Read one complete datum (or a meta-command), continuing lines as needed."""
    from schemos.reader import is_complete

    text = session.prompt(engine.prompt())
    while text.strip() and not text.lstrip().startswith(",") and not is_complete(text):
        text += "\n" + session.prompt("... ")
    return text


def colorize(text: str, color: bool) -> Any:
    """Written results coloured with pygments' Scheme lexer."""
    if not color or not text:
        return text
    from prompt_toolkit.formatted_text import PygmentsTokens
    from pygments import lex
    from pygments.lexers import SchemeLexer

    return PygmentsTokens(list(lex(text, SchemeLexer())))


def run_interactive(engine: ReplEngine, color: bool = True) -> int:
    """The terminal REPL."""
    from prompt_toolkit import print_formatted_text

    session = make_session(engine, color)
    print("schemos REPL — GNU Guile-compatible. ,help for meta-commands, Ctrl-D to leave.")
    while not engine.quit:
        try:
            text = read_input(session, engine)
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        try:
            out = engine.eval_text(text)
        except KeyboardInterrupt:
            print("ERROR: interrupted")
            continue
        if out:
            is_result = out.startswith("$")
            print_formatted_text(colorize(out, color) if is_result else out)
    return 0


def run_repl(file: str | None = None, load_path: list[str] | None = None, color: bool = True,
             use_cache: bool = True) -> int:
    """``schemos repl [FILE]``."""
    if os.environ.get("NO_COLOR"):
        color = False
    try:
        engine = ReplEngine(file, load_path, use_cache)
    except SchemeError as e:
        from schemos.report import format_error

        print(format_error(e), file=sys.stderr)
        return 1
    if not sys.stdin.isatty():
        return run_piped(engine, sys.stdin, sys.stdout)
    status = run_interactive(engine, color)
    # leave at once: prompt_toolkit's background threads (history loading,
    # completion) must not hold the process open after the user said goodbye;
    # the history file is written line by line, so nothing is lost
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def enclosing_heads_ok(text: str) -> bool:
    """Self-check of the completer's paren scanner (used by tests)."""
    from schemos.repl_complete import enclosing_heads

    return enclosing_heads(text) == ["d", "b", "a"]
