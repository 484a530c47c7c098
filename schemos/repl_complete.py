"""Completion for the REPL: names, module names, record fields, meta-commands."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from prompt_toolkit.completion import Completer, Completion
from prompt_toolkit.document import Document

_WORD = re.compile(r"[^\s()\[\]'`,\"]*$")


def enclosing_heads(text: str) -> list[str]:
    """Heads of the lists open at the end of ``text``, innermost first."""
    stack: list[int] = []
    i = 0
    in_str = False
    while i < len(text):
        c = text[i]
        if in_str:
            if c == "\\":
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c == ";":
            j = text.find("\n", i)
            i = len(text) if j < 0 else j
        elif c in "([":
            stack.append(i)
        elif c in ")]" and stack:
            stack.pop()
        i += 1
    heads = []
    for start in reversed(stack):
        m = re.match(r"[(\[]\s*([^\s()\[\]'`,\"]*)", text[start:])
        heads.append(m.group(1) if m else "")
    return heads


class SchemeCompleter(Completer):
    """Completes what the REPL engine's current module can see."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self._modules: list[str] | None = None

    def module_names(self) -> list[str]:
        """Every module name on the load path, as ``(a b c)``."""
        if self._modules is None:
            names = set()
            for d in self.engine.interp.modsys.load_path:
                if d.is_dir():
                    for p in d.rglob("*.scm"):
                        rel = p.relative_to(d).with_suffix("")
                        names.add("(" + " ".join(rel.parts) + ")")
            names.update("(" + " ".join(n) + ")" for n in self.engine.interp.modules)
            self._modules = sorted(names)
        return self._modules

    def candidates(self, text: str) -> tuple[str, Iterable[str]]:
        """(the word being completed, the names that may complete it)."""
        from schemos.repl import ALIASES, META_COMMANDS

        if text.lstrip().startswith(",") and " " not in text.strip():
            word = text.lstrip()[1:]
            return word, [c for c in list(META_COMMANDS) + list(ALIASES)]
        if re.match(r"\s*,use\s", text):
            word = text.split(None, 1)[1] if len(text.split(None, 1)) > 1 else ""
            return word, self.module_names()
        heads = enclosing_heads(text)
        m = _WORD.search(text)
        word = m.group(0) if m else ""
        if heads and heads[0] == "use-modules" or (len(heads) > 1 and heads[1] == "use-modules"):
            start = text.rfind("(use-modules") + len("(use-modules")
            open_at = text.rfind("(", start)
            if open_at >= start:
                return text[open_at:], self.module_names()
        # (record-constructor (fie|  → field names of that record
        if len(heads) >= 2 and heads[0] == word:
            fields = self.record_fields(heads[1])
            if fields:
                return word, fields + ["inherit"]
        return word, self.engine.interp.current.all_names()

    def record_fields(self, name: str) -> list[str]:
        """Field names when ``name`` is a Guix record constructor macro."""
        from schemos.datum import Symbol

        b = self.engine.interp.current.syntax.get(Symbol(name))
        t = getattr(b, "transformer", None)
        return list(getattr(t, "record_fields", []) or [])

    def get_completions(self, document: Document, complete_event: Any) -> Iterable[Completion]:
        """prompt_toolkit's hook."""
        word, names = self.candidates(document.text_before_cursor)
        for n in sorted(set(names)):
            if n.startswith(word) and n != word:
                yield Completion(n, start_position=-len(word))
