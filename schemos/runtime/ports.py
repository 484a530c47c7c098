"""Ports, ``display``/``write``, ``read``, ``format`` and ``pretty-print``.

The port model:

* :class:`OutputPort` collects text in memory (a string port) or writes to a
  Python text stream; the standard output and error ports look
  ``sys.stdout``/``sys.stderr`` up at each write, so redirecting those
  (e.g. pytest's ``capsys``) redirects Scheme output too.  Output ports
  track the current column (for ``format``'s ``~&`` and ``~t``).
* :class:`InputPort` reads from a string; the standard input port fetches
  more text from ``sys.stdin`` when it runs out.

The current ports are parameter objects (``current-output-port`` etc. are
:class:`schemos.runtime.control.Parameter` instances, so ``parameterize``
works on them); Python code uses :func:`current_output`,
:func:`set_current_output_port` and the context manager
:func:`with_output_to`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any

from schemos.datum import EOF, NIL, UNSPECIFIED, Char, Keyword, Pair, Symbol, UninternedSymbol
from schemos.errors import Condition, SchemeError, wrong_type
from schemos.runtime.builtin_errors import misc_error, wrong_type_arg
from schemos.runtime.core import call, primitive
from schemos.runtime.numbers import exact_to_inexact, number_to_string

# ---------------------------------------------------------------- printer access


def _write_string(obj: Any) -> str:
    global _write_string
    from schemos.printer import write_string

    _write_string = write_string
    return write_string(obj)


def _display_string(obj: Any) -> str:
    global _display_string
    from schemos.printer import display_string

    _display_string = display_string
    return display_string(obj)


def write_string(obj: Any) -> str:
    """``(write obj)`` as a string (the printer's)."""
    return _write_string(obj)


def display_string(obj: Any) -> str:
    """``(display obj)`` as a string (the printer's)."""
    return _display_string(obj)


# ---------------------------------------------------------------- ports


class Port:
    """Base class of all ports."""

    __slots__ = ()

    closed: bool
    label: str

    def _addr(self) -> str:
        return f"{id(self):x}"


class OutputPort(Port):
    """A textual output port: a string port (``stream`` None) or a Python stream.

    ``sysname`` ("stdout"/"stderr") makes the port write to whatever
    ``sys.stdout``/``sys.stderr`` is at the time of each write.
    """

    __slots__ = ("chunks", "stream", "sysname", "column", "line", "closed", "label",
                 "__weakref__")

    def __init__(self, stream: Any = None, sysname: str | None = None,
                 label: str = "string") -> None:
        self.stream = stream
        self.sysname = sysname
        self.chunks: list[str] | None = [] if stream is None and sysname is None else None
        self.column = 0
        self.line = 0
        self.closed = False
        self.label = label

    def write(self, s: str) -> None:
        """Write the string ``s``."""
        if self.chunks is not None:
            self.chunks.append(s)
        elif self.sysname is not None:
            getattr(sys, self.sysname).write(s)
        else:
            self.stream.write(s)
        nl = s.rfind("\n")
        if nl < 0:
            self.column += len(s)
        else:
            self.column = len(s) - nl - 1
            self.line += s.count("\n")

    def getvalue(self) -> str:
        """The text written so far to a string port."""
        chunks = self.chunks
        if chunks is None:
            return ""
        if len(chunks) > 1:
            s = "".join(chunks)
            chunks[:] = [s]
            return s
        return chunks[0] if chunks else ""

    def flush(self) -> None:
        """Flush the underlying stream, if any."""
        if self.sysname is not None:
            getattr(sys, self.sysname).flush()
        elif self.stream is not None and not self.closed:
            self.stream.flush()

    def close(self) -> None:
        """Close the port (and its file, for file ports)."""
        if self.closed:
            return
        self.flush()
        if self.stream is not None and self.sysname is None and self.label == "file":
            self.stream.close()
        self.closed = True

    def scm_write(self, write: bool = True) -> str:
        """Printed representation, as Guile's ``#<output: string 7f...>``."""
        if self.closed:
            return f"#<closed: {self.label} {self._addr()}>"
        if self.sysname == "stdout":
            return "#<output: file 1>"
        if self.sysname == "stderr":
            return "#<output: file 2>"
        return f"#<output: {self.label} {self._addr()}>"

    def __repr__(self) -> str:
        return self.scm_write()


class InputPort(Port):
    """A textual input port over a string; ``source`` (if any) supplies more text."""

    __slots__ = ("text", "pos", "closed", "label", "filename", "source", "_reader",
                 "__weakref__")

    def __init__(self, text: str, label: str = "string", filename: str | None = None,
                 source: Callable[[], str] | None = None) -> None:
        self.text = text
        self.pos = 0
        self.closed = False
        self.label = label
        self.filename = filename
        self.source = source
        self._reader: Any = None

    def fill(self) -> bool:
        """Fetch more text from the source; False at end of input."""
        src = self.source
        if src is None:
            return False
        chunk = src()
        if not chunk:
            self.source = None
            return False
        self.text = self.text[self.pos:] + chunk
        self.pos = 0
        return True

    def read_char(self) -> str | None:
        """The next character, or None at end of input."""
        pos = self.pos
        if pos < len(self.text) or self.fill():
            pos = self.pos
            self.pos = pos + 1
            return self.text[pos]
        return None

    def peek_char(self) -> str | None:
        """The next character without consuming it, or None at end of input."""
        if self.pos < len(self.text) or self.fill():
            return self.text[self.pos]
        return None

    def read_until(self, delims: str | None) -> tuple[str, str | None]:
        """Read up to (not including) the first character in ``delims`` (or to the
        end when None); return the text and the delimiter found (None at EOF)."""
        out: list[str] = []
        while True:
            text = self.text
            pos = self.pos
            if delims == "\n":
                i = text.find("\n", pos)
            elif delims is None:
                i = -1
            else:
                i = next((j for j in range(pos, len(text)) if text[j] in delims), -1)
            if i >= 0:
                out.append(text[pos:i])
                self.pos = i
                return "".join(out), text[i]
            out.append(text[pos:])
            self.pos = len(text)
            if not self.fill():
                return "".join(out), None

    def read_rest(self) -> str:
        """Everything left in the port."""
        return self.read_until(None)[0]

    def scm_write(self, write: bool = True) -> str:
        """Printed representation, as Guile's ``#<input: string 7f...>``."""
        if self.closed:
            return f"#<closed: {self.label} {self._addr()}>"
        if self.label == "stdin":
            return "#<input: file 0>"
        return f"#<input: {self.label} {self._addr()}>"

    def __repr__(self) -> str:
        return self.scm_write()


def _stdin_source() -> str:
    return sys.stdin.readline()


stdout_port = OutputPort(sysname="stdout", label="file")
stderr_port = OutputPort(sysname="stderr", label="file")
stdin_port = InputPort("", label="stdin", source=_stdin_source)


# ---------------------------------------------------------------- current ports

def _make_parameter(value: Any) -> Any:
    try:
        from schemos.runtime.control import Parameter
    except ImportError:  # pragma: no cover - control is written separately
        class Parameter:  # type: ignore[no-redef]
            __slots__ = ("value", "converter")

            def __init__(self, value: Any, converter: Any) -> None:
                self.value = value
                self.converter = converter

            def __call__(self, *args: Any) -> Any:
                if not args:
                    return self.value
                self.value = args[0]
                return UNSPECIFIED
    return Parameter(value, False)


#: ``current-output-port``: a parameter whose ``.value`` is the current output port
current_output_port = _make_parameter(stdout_port)
#: ``current-error-port``
current_error_port = _make_parameter(stderr_port)
#: ``current-input-port``
current_input_port = _make_parameter(stdin_port)

for _name, _param in (("current-output-port", current_output_port),
                      ("current-error-port", current_error_port),
                      ("current-input-port", current_input_port)):
    with contextlib.suppress(AttributeError, TypeError):
        _param.scm_name = _name  # type: ignore[attr-defined]
    from schemos.runtime.core import PRIMITIVES as _P

    _P[_name] = _param


def current_output() -> OutputPort:
    """The current output port."""
    return current_output_port.value


def current_error() -> OutputPort:
    """The current error port."""
    return current_error_port.value


def current_input() -> InputPort:
    """The current input port."""
    return current_input_port.value


def set_current_output_port(port: OutputPort) -> OutputPort:
    """Make ``port`` the current output port; return the previous one."""
    old = current_output_port.value
    current_output_port.value = port
    return old


@contextlib.contextmanager
def with_output_to(port: OutputPort) -> Iterator[OutputPort]:
    """Context manager: make ``port`` the current output port for the block."""
    old = current_output_port.value
    current_output_port.value = port
    try:
        yield port
    finally:
        current_output_port.value = old


@contextlib.contextmanager
def with_input_from(port: InputPort) -> Iterator[InputPort]:
    """Context manager: make ``port`` the current input port for the block."""
    old = current_input_port.value
    current_input_port.value = port
    try:
        yield port
    finally:
        current_input_port.value = old


def flush_all() -> None:
    """Flush the standard output and error ports (called at exit by the CLI)."""
    for p in (current_output_port.value, stdout_port, current_error_port.value, stderr_port):
        if type(p) is OutputPort and not p.closed:
            try:
                p.flush()
            except (OSError, ValueError):
                pass


def _out(who: str, pos: int, port: Any) -> OutputPort:
    """The output port argument (the current one when omitted)."""
    if port is None:
        p = current_output_port.value
    else:
        p = port
        if p is True:
            p = current_output_port.value
    if type(p) is not OutputPort or p.closed:
        raise wrong_type_arg(who, pos, port if port is not None else p)
    return p


def _in(who: str, pos: int, port: Any) -> InputPort:
    p = current_input_port.value if port is None else port
    if type(p) is not InputPort or p.closed:
        raise wrong_type(who, pos, "open input port", p)
    return p


# ---------------------------------------------------------------- output


@primitive("display", "(obj #:optional port)")
def display(obj: Any, port: Any = None) -> Any:
    """Send a representation of OBJ to PORT or to the current output port.
    Strings and characters are shown without quotes or escapes."""
    p = _out("display", 2, port) if port is not None else current_output_port.value
    if type(obj) is str:
        p.write(obj)
    else:
        p.write(_display_string(obj))
    return UNSPECIFIED


@primitive("write", "(obj #:optional port)")
def write(obj: Any, port: Any = None) -> Any:
    """Send a representation of OBJ to PORT or to the current output port, in
    the syntax the reader accepts."""
    p = _out("write", 2, port) if port is not None else current_output_port.value
    p.write(_write_string(obj))
    return UNSPECIFIED


@primitive("newline", "(#:optional port)")
def newline(port: Any = None) -> Any:
    """Send a newline to PORT.  If PORT is omitted, send to the current output port."""
    p = _out("newline", 1, port) if port is not None else current_output_port.value
    p.write("\n")
    return UNSPECIFIED


@primitive("write-line", "(obj #:optional port)")
def write_line(obj: Any, port: Any = None) -> Any:
    """Display OBJ and a newline character to PORT."""
    p = _out("write-line", 2, port)
    p.write((obj if type(obj) is str else _display_string(obj)) + "\n")
    return UNSPECIFIED


@primitive("write-char", "(chr #:optional port)")
def write_char(chr: Any, port: Any = None) -> Any:
    """Send character CHR to PORT."""
    if type(chr) is not Char:
        raise wrong_type("write-char", 1, "character", chr)
    _out("write-char", 2, port).write(chr.char)
    return UNSPECIFIED


@primitive("write-string", "(str #:optional port start end)")
def write_string_prim(s: Any, port: Any = None, start: Any = None, end: Any = None) -> Any:
    """Write the characters of STR (from START to END) to PORT."""
    if type(s) is not str:
        raise wrong_type("write-string", 1, "string", s)
    a = 0 if start is None else start
    b = len(s) if end is None else end
    _out("write-string", 2, port).write(s[a:b])
    return UNSPECIFIED


@primitive("force-output", "(#:optional port)")
def force_output(port: Any = None) -> Any:
    """Flush the specified output port, or the current output port if PORT is omitted."""
    _out("force-output", 1, port).flush()
    return UNSPECIFIED


@primitive("flush-output-port", "(#:optional port)")
def flush_output_port(port: Any = None) -> Any:
    """Flush the output port PORT (R7RS)."""
    _out("flush-output-port", 1, port).flush()
    return UNSPECIFIED


@primitive("port-column", "(port)")
def port_column(port: Any) -> int:
    """Return the current column number of PORT (output ports only in schemos)."""
    if type(port) is OutputPort:
        return port.column
    if type(port) is InputPort:
        nl = port.text.rfind("\n", 0, port.pos)
        return port.pos - nl - 1
    raise wrong_type("port-column", 1, "port", port)


@primitive("port-line", "(port)")
def port_line(port: Any) -> int:
    """Return the current line number of PORT (0-based)."""
    if type(port) is OutputPort:
        return port.line
    if type(port) is InputPort:
        return port.text.count("\n", 0, port.pos)
    raise wrong_type("port-line", 1, "port", port)


@primitive("port-filename", "(port)")
def port_filename(port: Any) -> Any:
    """Return the filename associated with PORT, or #f."""
    if type(port) is InputPort and port.filename is not None:
        return port.filename
    return False


@primitive("object->string", "(obj #:optional printer)")
def object_to_string(obj: Any, printer: Any = None) -> str:
    """Return a Scheme string obtained by printing OBJ.  Printing function can
    be specified by the optional second argument PRINTER (default: write)."""
    if printer is None:
        return _write_string(obj)
    p = OutputPort()
    call(printer, obj, p)
    return p.getvalue()


# ---------------------------------------------------------------- input


def _char_or_eof(c: str | None) -> Any:
    return EOF if c is None else Char(ord(c))


@primitive("read-char", "(#:optional port)")
def read_char(port: Any = None) -> Any:
    """Return the next character available from PORT, updating PORT to point to
    the following character.  If no more characters are available, the
    end-of-file object is returned."""
    return _char_or_eof(_in("read-char", 1, port).read_char())


@primitive("peek-char", "(#:optional port)")
def peek_char(port: Any = None) -> Any:
    """Return the next character available from PORT, without updating PORT to
    point to the following character."""
    return _char_or_eof(_in("peek-char", 1, port).peek_char())


@primitive("unread-char", "(cobj #:optional port)")
def unread_char(cobj: Any, port: Any = None) -> Any:
    """Place character COBJ in PORT so that it will be read by the next read operation."""
    if type(cobj) is not Char:
        raise wrong_type("unread-char", 1, "character", cobj)
    p = _in("unread-char", 2, port)
    c = cobj.char
    if p.pos > 0 and p.text[p.pos - 1] == c:
        p.pos -= 1
    else:
        p.text = c + p.text[p.pos:]
        p.pos = 0
    return cobj


@primitive("unread-string", "(str port)")
def unread_string(s: Any, port: Any = None) -> Any:
    """Place the string STR in PORT so that its characters will be read next."""
    if type(s) is not str:
        raise wrong_type("unread-string", 1, "string", s)
    p = _in("unread-string", 2, port)
    p.text = s + p.text[p.pos:]
    p.pos = 0
    return UNSPECIFIED


@primitive("char-ready?", "(#:optional port)")
def char_ready(port: Any = None) -> bool:
    """Return #t if a character is ready on input PORT (always, in schemos)."""
    _in("char-ready?", 1, port)
    return True


_TRIM = Symbol("trim")
_CONCAT = Symbol("concat")
_PEEK = Symbol("peek")
_SPLIT = Symbol("split")


def _delimited(who: str, delims: str, port: Any, handle_delim: Any) -> Any:
    p = _in(who, 2 if who == "read-delimited" else 1, port)
    mode = _TRIM if handle_delim is None else handle_delim
    text, delim = p.read_until(delims)
    if delim is None and not text:
        if mode is _SPLIT:
            return Pair(EOF, EOF)
        return EOF
    if delim is not None and mode is not _PEEK:
        p.pos += 1
    if mode is _TRIM or mode is _PEEK:
        return text
    if mode is _CONCAT:
        return text + delim if delim is not None else text
    if mode is _SPLIT:
        return Pair(text, EOF if delim is None else Char(ord(delim)))
    raise wrong_type_arg(who, 2, handle_delim)


@primitive("read-line", "(#:optional port handle-delim)")
def read_line(port: Any = None, handle_delim: Any = None) -> Any:
    """Return a line of text from PORT if specified, otherwise from the value
    returned by (current-input-port).  HANDLE-DELIM is trim (the default),
    concat, peek or split.  At end of file, return the end-of-file object."""
    return _delimited("read-line", "\n", port, handle_delim)


@primitive("read-delimited", "(delims #:optional port handle-delim)")
def read_delimited(delims: Any, port: Any = None, handle_delim: Any = None) -> Any:
    """Read text until one of the characters in the string DELIMS is found."""
    if type(delims) is not str:
        raise wrong_type("read-delimited", 1, "string", delims)
    return _delimited("read-delimited", delims, port, handle_delim)


@primitive("read-string", "(#:optional port count)")
def read_string(a: Any = None, b: Any = None) -> Any:
    """Read COUNT characters (or everything) from PORT.  Both Guile's
    (read-string [port [count]]) and R7RS (read-string k [port]) are accepted."""
    if type(a) is int:
        count, port = a, b
    else:
        port, count = a, b
    p = _in("read-string", 1, port)
    if count is None:
        return p.read_rest()
    if type(count) is not int or count < 0:
        raise wrong_type("read-string", 2, "exact non-negative integer", count)
    out = []
    for _ in range(count):
        c = p.read_char()
        if c is None:
            break
        out.append(c)
    if not out and count > 0:
        return EOF
    return "".join(out)


@primitive("read", "(#:optional port)")
def scm_read(port: Any = None) -> Any:
    """Read an s-expression from the input port PORT, or from the current input
    port if PORT is not specified.  Any whitespace before the next token is
    discarded.  Return the end-of-file object at end of input."""
    from schemos.reader import Reader, is_complete

    p = _in("read", 1, port)
    if p.source is not None:
        while not is_complete(p.text[p.pos:]) or not p.text[p.pos:].strip():
            if not p.fill():
                break
    r = p._reader
    if r is None or r.text is not p.text or r.pos != p.pos:
        r = Reader(p.text, p.filename, p.pos)
        p._reader = r
    datum = r.read()
    p.pos = r.pos
    return datum


# ---------------------------------------------------------------- string ports & misc


@primitive("open-input-string", "(str)")
def open_input_string(s: Any) -> InputPort:
    """Take a string and return an input port that delivers characters from the string."""
    if type(s) is not str:
        raise wrong_type("open-input-string", 1, "string", s)
    return InputPort(s)


@primitive("open-output-string", "()")
def open_output_string() -> OutputPort:
    """Return an output port that will accumulate characters for retrieval by
    get-output-string."""
    return OutputPort()


@primitive("get-output-string", "(port)")
def get_output_string(port: Any) -> str:
    """Given an output port created by open-output-string, return a string
    consisting of the characters that have been output to the port so far."""
    if type(port) is not OutputPort or port.chunks is None or port.closed:
        raise wrong_type("get-output-string", 1, "open output string port", port)
    return port.getvalue()


@primitive("call-with-output-string", "(proc)")
def call_with_output_string(proc: Any) -> str:
    """Call the one-argument procedure PROC with a newly created output port.
    When the function returns, the string composed of the characters written
    into the port is returned."""
    p = OutputPort()
    call(proc, p)
    return p.getvalue()


@primitive("with-output-to-string", "(thunk)")
def with_output_to_string(thunk: Any) -> str:
    """Calls THUNK and returns its output as a string."""
    p = OutputPort()
    old = current_output_port.value
    current_output_port.value = p
    try:
        call(thunk)
    finally:
        current_output_port.value = old
    return p.getvalue()


@primitive("with-output-to-port", "(port thunk)")
def with_output_to_port(port: Any, thunk: Any) -> Any:
    """Call THUNK with PORT as the current output port; return THUNK's value."""
    p = _out("with-output-to-port", 1, port)
    old = current_output_port.value
    current_output_port.value = p
    try:
        return call(thunk)
    finally:
        current_output_port.value = old


@primitive("with-error-to-port", "(port thunk)")
def with_error_to_port(port: Any, thunk: Any) -> Any:
    """Call THUNK with PORT as the current error port; return THUNK's value."""
    p = _out("with-error-to-port", 1, port)
    old = current_error_port.value
    current_error_port.value = p
    try:
        return call(thunk)
    finally:
        current_error_port.value = old


@primitive("with-input-from-port", "(port thunk)")
def with_input_from_port(port: Any, thunk: Any) -> Any:
    """Call THUNK with PORT as the current input port; return THUNK's value."""
    p = _in("with-input-from-port", 1, port)
    old = current_input_port.value
    current_input_port.value = p
    try:
        return call(thunk)
    finally:
        current_input_port.value = old


@primitive("with-input-from-string", "(string thunk)")
def with_input_from_string(string: Any, thunk: Any) -> Any:
    """THUNK must be a procedure of no arguments, and STRING must be a string.
    THUNK is called with a string port reading STRING as the current input port."""
    return with_input_from_port(open_input_string(string), thunk)


@primitive("call-with-input-string", "(string proc)")
def call_with_input_string(string: Any, proc: Any) -> Any:
    """Call the one-argument procedure PROC with a newly created input port from
    which STRING's contents may be read.  The value yielded by PROC is returned."""
    return call(proc, open_input_string(string))


@primitive("eof-object", "()")
def eof_object() -> Any:
    """Return the end-of-file object."""
    return EOF


@primitive("eof-object?", "(x)")
def is_eof_object(x: Any) -> bool:
    """Return #t if X is an end-of-file object; otherwise return #f."""
    return x is EOF


@primitive("port?", "(x)")
def is_port(x: Any) -> bool:
    """Return a boolean indicating whether X is a port."""
    return isinstance(x, Port)


@primitive("input-port?", "(x)")
def is_input_port(x: Any) -> bool:
    """Return #t if X is an input port, otherwise return #f."""
    return type(x) is InputPort


@primitive("output-port?", "(x)")
def is_output_port(x: Any) -> bool:
    """Return #t if X is an output port, otherwise return #f."""
    return type(x) is OutputPort


@primitive("textual-port?", "(x)")
def is_textual_port(x: Any) -> bool:
    """Return #t if X is a textual port (every schemos port is)."""
    return isinstance(x, Port)


@primitive("binary-port?", "(x)")
def is_binary_port(x: Any) -> bool:
    """Return #t if X is a binary port (no schemos port is)."""
    return False


@primitive("port-closed?", "(port)")
def is_port_closed(port: Any) -> bool:
    """Return #t if PORT is closed or #f if it is open."""
    if not isinstance(port, Port):
        raise wrong_type("port-closed?", 1, "port", port)
    return port.closed


@primitive("input-port-open?", "(port)")
def is_input_port_open(port: Any) -> bool:
    """Return #t if PORT is an open input port."""
    return type(port) is InputPort and not port.closed


@primitive("output-port-open?", "(port)")
def is_output_port_open(port: Any) -> bool:
    """Return #t if PORT is an open output port."""
    return type(port) is OutputPort and not port.closed


@primitive("close-port", "(port)")
def close_port(port: Any) -> bool:
    """Close the specified port object.  Return #t if it successfully closes a
    port or #f if it was already closed."""
    if not isinstance(port, Port):
        raise wrong_type("close-port", 1, "port", port)
    if port.closed:
        return False
    if type(port) is OutputPort:
        port.close()
    else:
        port.closed = True
    return True


@primitive("close-input-port", "(port)")
def close_input_port(port: Any) -> Any:
    """Close the specified input port object."""
    if type(port) is not InputPort:
        raise wrong_type("close-input-port", 1, "input port", port)
    port.closed = True
    return UNSPECIFIED


@primitive("close-output-port", "(port)")
def close_output_port(port: Any) -> Any:
    """Close the specified output port object."""
    if type(port) is not OutputPort:
        raise wrong_type("close-output-port", 1, "output port", port)
    port.close()
    return UNSPECIFIED


# ---------------------------------------------------------------- files


def _system_error(who: str, e: OSError, filename: str) -> SchemeError:
    return SchemeError(Condition("system-error", "~A: ~S", who=who,
                                 args=[e.strerror or str(e), filename],
                                 irritants=[filename], extra=Pair(e.errno or 0, NIL)))


def _check_filename(who: str, name: Any) -> str:
    if type(name) is not str:
        raise wrong_type(who, 1, "string", name)
    return name


@primitive("open-input-file", "(filename)")
def open_input_file(filename: Any) -> InputPort:
    """Open FILENAME for input and return the port."""
    name = _check_filename("open-input-file", filename)
    try:
        with open(name, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise _system_error("open-file", e, name) from None
    return InputPort(text, label="file", filename=name)


@primitive("open-output-file", "(filename)")
def open_output_file(filename: Any) -> OutputPort:
    """Open FILENAME for output and return the port."""
    name = _check_filename("open-output-file", filename)
    try:
        f = open(name, "w", encoding="utf-8")  # noqa: SIM115 - closed by close-port
    except OSError as e:
        raise _system_error("open-file", e, name) from None
    return OutputPort(stream=f, label="file")


@primitive("call-with-input-file", "(filename proc)")
def call_with_input_file(filename: Any, proc: Any) -> Any:
    """Call PROC with an input port reading FILENAME; return PROC's value."""
    p = open_input_file(filename)
    try:
        return call(proc, p)
    finally:
        p.closed = True


@primitive("call-with-output-file", "(filename proc)")
def call_with_output_file(filename: Any, proc: Any) -> Any:
    """Call PROC with an output port writing to FILENAME; return PROC's value."""
    p = open_output_file(filename)
    try:
        return call(proc, p)
    finally:
        p.close()


@primitive("with-output-to-file", "(filename thunk)")
def with_output_to_file(filename: Any, thunk: Any) -> Any:
    """Call THUNK with the current output port writing to FILENAME."""
    p = open_output_file(filename)
    try:
        return with_output_to_port(p, thunk)
    finally:
        p.close()


@primitive("with-input-from-file", "(filename thunk)")
def with_input_from_file(filename: Any, thunk: Any) -> Any:
    """Call THUNK with the current input port reading FILENAME."""
    return with_input_from_port(open_input_file(filename), thunk)


@primitive("file-exists?", "(filename)")
def file_exists(filename: Any) -> bool:
    """Return #t if the file named FILENAME exists, #f if not."""
    return os.path.exists(_check_filename("file-exists?", filename))


# ---------------------------------------------------------------- environment


@primitive("getenv", "(name)")
def getenv(name: Any) -> Any:
    """Look up the string NAME in the current environment.  The return value is
    #f unless a string of the form NAME=VALUE is found, in which case the
    string VALUE is returned."""
    if type(name) is not str:
        raise wrong_type("getenv", 1, "string", name)
    v = os.environ.get(name)
    return False if v is None else v


@primitive("setenv", "(name value)")
def setenv(name: Any, value: Any) -> Any:
    """Modify the environment: set NAME to VALUE, or remove NAME if VALUE is #f."""
    if type(name) is not str:
        raise wrong_type("setenv", 1, "string", name)
    if value is False:
        os.environ.pop(name, None)
    elif type(value) is not str:
        raise wrong_type("setenv", 2, "string", value)
    else:
        os.environ[name] = value
    return UNSPECIFIED


@primitive("unsetenv", "(name)")
def unsetenv(name: Any) -> Any:
    """Remove variable NAME from the environment."""
    if type(name) is not str:
        raise wrong_type("unsetenv", 1, "string", name)
    os.environ.pop(name, None)
    return UNSPECIFIED


# ---------------------------------------------------------------- format


class FormatError(Exception):
    """A problem in a format string or its arguments."""


def _format_error(msg: str) -> FormatError:
    return FormatError(msg)


_CARD_ONES = (None, "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
              "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
              "seventeen", "eighteen", "nineteen")
_CARD_TENS = (None, None, "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
              "ninety")
_CARD_BLOCKS = ("", " thousand", " million", " billion", " trillion", " quadrillion",
                " quintillion", " sextillion", " septillion", " octillion", " nonillion",
                " decillion", " undecillion", " duodecillion", " tredecillion",
                " quattuordecillion", " quindecillion", " sexdecillion", " septendecillion",
                " octodecillion", " novemdecillion", " vigintillion")
_ORD_ONES = (None, "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
             "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
             "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth")
_ORD_TENS = (None, None, "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth",
             "seventieth", "eightieth", "ninetieth")


def _cardinal999(n: int) -> str:
    hundreds, tens_ones = divmod(n, 100)
    tens, ones = divmod(tens_ones, 10)
    out = ""
    if hundreds > 0:
        out = f"{_CARD_ONES[hundreds]} hundred" + (" " if tens_ones > 0 else "")
    if tens_ones < 20:
        if tens_ones > 0:
            out += _CARD_ONES[tens_ones]  # type: ignore[operator]
    else:
        out += _CARD_TENS[tens]  # type: ignore[operator]
        if ones > 0:
            out += "-" + _CARD_ONES[ones]  # type: ignore[operator]
    return out


def _cardinal(n: Any) -> str:
    if not _is_integer(n):
        raise _format_error("only integers can be converted to English cardinals")
    n = int(n)
    if n == 0:
        return "zero"
    if n < 0:
        return "minus " + _cardinal(-n)
    parts: list[str] = []
    power3 = 0
    while n:
        n, block = divmod(n, 1000)
        if block:
            word = _cardinal999(block)
            if power3 < len(_CARD_BLOCKS):
                word += _CARD_BLOCKS[power3]
            else:
                word += f" times ten to the {_ordinal(power3 * 3)} power"
            parts.insert(0, word)
        power3 += 1
    return ", ".join(parts)


def _ordinal(n: Any) -> str:
    if not _is_integer(n):
        raise _format_error("only integers can be converted to English ordinals")
    n = int(n)
    if n == 0:
        return "zeroth"
    if n < 0:
        return "minus " + _ordinal(-n)
    hundreds, tens_ones = divmod(n, 100)
    out = ""
    if hundreds > 0:
        out = _cardinal(hundreds * 100) + ("th" if tens_ones == 0 else " ")
    if tens_ones:
        if tens_ones < 20:
            out += _ORD_ONES[tens_ones]  # type: ignore[operator]
        else:
            tens, ones = divmod(tens_ones, 10)
            if ones == 0:
                out += _ORD_TENS[tens]  # type: ignore[operator]
            else:
                out += f"{_CARD_TENS[tens]}-{_ORD_ONES[ones]}"
    return out


_ROMAN = ((1000, "M"), (500, "D"), (100, "C"), (50, "L"), (10, "X"), (5, "V"), (1, "I"))


def _old_roman(n: Any) -> str:
    if not (_is_integer(n) and n >= 1):
        raise _format_error("only positive integers can be romanized")
    n = int(n)
    out = []
    for val, dg in _ROMAN:
        q, n = divmod(n, val)
        out.append(dg * q)
    return "".join(out)


def _roman(n: Any) -> str:
    if not (_is_integer(n) and n > 0):
        raise _format_error("only positive integers can be romanized")
    n = int(n)
    out = []
    for val, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                     (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                     (4, "IV"), (1, "I")):
        q, n = divmod(n, val)
        out.append(sym * q)
    return "".join(out)


def _is_integer(x: Any) -> bool:
    t = type(x)
    return t is int or (t is float and x == x and x not in (float("inf"), float("-inf"))
                        and x.is_integer())


def _is_number(x: Any) -> bool:
    return type(x) in (int, float, Fraction, complex)


def _number_to_string(x: Any, radix: int = 10) -> str:
    return number_to_string(x, radix)


class _FloatBuf:
    """Guile format's flonum digit buffer (format:fn-str and friends)."""

    def __init__(self) -> None:
        self.fn: list[str] = []
        self.dot = 0
        self.pos = True
        self.en: list[str] = []
        self.en_pos = True

    def en_int(self) -> int:
        if not self.en:
            return 0
        n = int("".join(self.en))
        return n if self.en_pos else -n

    def en_set(self, n: int) -> None:
        self.en_pos = n >= 0
        self.en = list(str(abs(n)))

    def zfill(self, left: bool, n: int) -> None:
        if n <= 0:
            return
        if len(self.fn) + n > 400:
            raise _format_error("number is too long to format (enlarge format:fn-max)")
        if left:
            self.fn[:0] = ["0"] * n
        else:
            self.fn.extend(["0"] * n)

    def shiftleft(self, n: int) -> None:
        del self.fn[:n]

    def parse(self, num: Any, fixed: bool, scale: int) -> None:
        if type(num) is str:
            s = num
        else:
            s = _number_to_string(exact_to_inexact(num))
        fn = self.fn
        left_zeros = 0
        mantissa = True
        all_zeros = True
        dot: int | None = None
        for c in s:
            if "0" <= c <= "9":
                if mantissa:
                    if c == "0":
                        if all_zeros:
                            left_zeros += 1
                    else:
                        all_zeros = False
                    fn.append(c)
                else:
                    self.en.append(c)
            elif c in "+-":
                if mantissa:
                    self.pos = c == "+"
                else:
                    self.en_pos = c == "+"
            elif c == ".":
                dot = len(fn)
            elif c in "eE":
                mantissa = False
            elif c.isspace() or c in "d#":
                pass
            else:
                raise _format_error(f"illegal character `{c}' in number->string")
        self.dot = len(fn) if dot is None else dot
        if all_zeros:
            left_zeros = 0
            self.dot = 0
            del fn[1:]
            if not fn:
                fn.append("0")
        if fixed:
            if left_zeros > 0 and self.dot > 0:
                if self.dot > left_zeros:
                    self.shiftleft(left_zeros)
                    self.dot -= left_zeros
                    left_zeros = 0
                else:
                    self.shiftleft(self.dot)
                    left_zeros -= self.dot
                    self.dot = 0
            if scale != 0 or self.en:
                shift = scale + self.en_int()
                if all_zeros:
                    pass
                elif self.dot + shift > len(fn):
                    self.zfill(False, shift - (len(fn) - self.dot))
                    self.dot = len(fn)
                elif self.dot + shift < 0:
                    self.zfill(True, -shift - self.dot)
                    self.dot = 0
                elif left_zeros > 0:
                    if left_zeros <= shift:
                        self.shiftleft(left_zeros)
                        self.dot = shift - left_zeros
                    else:
                        self.shiftleft(shift)
                else:
                    self.dot += shift
        else:
            if left_zeros > 0:
                negexp = left_zeros - self.dot + 1
            else:
                negexp = 1 if self.dot == 0 else 0
            if left_zeros > 0:
                self.shiftleft(left_zeros)
                self.dot = 1
            elif self.dot == 0:
                self.dot = 1
            self.en_set((self.dot - scale) + self.en_int() - negexp)
            if all_zeros:
                self.en_set(0)
                self.dot = 1
            elif scale < 0:
                self.zfill(True, -scale)
                self.dot = 0
            elif scale > self.dot:
                self.zfill(False, scale - self.dot)
                self.dot = scale
            else:
                self.dot = scale

    def round(self, digits: int) -> None:
        digits += self.dot
        fn = self.fn
        i = digits
        c = 5
        while not (c == 0 or i < 0):
            c = int(fn[i]) + c
            fn[i] = str(c % 10)
            c = 0 if c < 10 else 1
            i -= 1
        del fn[digits:]
        if c == 1:
            fn.insert(0, "1")
            self.dot += 1

    def strip(self) -> None:
        fn = self.fn
        fn.append("0")
        i = len(fn) - 1
        while fn[i] == "0" and i > self.dot:
            i -= 1
        del fn[i + 1:]

    def zlead(self) -> int:
        for i, c in enumerate(self.fn):
            if c != "0":
                return i
        return 0

    def out(self, put: Callable[[str], None], at: bool, add_leading_zero: bool) -> None:
        if self.pos:
            if at:
                put("+")
        else:
            put("-")
        if self.dot == 0:
            if add_leading_zero:
                put("0")
        else:
            put("".join(self.fn[: self.dot]))
        put(".")
        put("".join(self.fn[self.dot:]))

    def en_out(self, put: Callable[[str], None], edigits: int | None,
               expch: int | None) -> None:
        put(chr(expch) if expch else "E")
        put("+" if self.en_pos else "-")
        if edigits and len(self.en) < edigits:
            put("0" * (edigits - len(self.en)))
        put("".join(self.en))


class _Formatter:
    """One call of Guile's (ice-9 format) ``format``."""

    def __init__(self, column: int) -> None:
        self.out: list[str] = []
        self.col = column
        self.case: Callable[[str], str] | None = None
        self.flush = False

    # ---------------------------------------------------------- output

    def put(self, s: str) -> None:
        if not s:
            return
        if self.case is not None:
            s = self.case(s)
        self.out.append(s)
        nl = s.rfind("\n")
        if nl < 0:
            self.col += len(s)
        else:
            self.col = len(s) - nl - 1

    def put_literal(self, s: str) -> None:
        # Guile converts the case of literal text one character at a time
        if self.case is None:
            self.put(s)
        else:
            for c in s:
                self.put(c)

    def fill(self, n: int, ch: str) -> None:
        if n > 0:
            self.put(ch * n)

    # ---------------------------------------------------------- parsing

    @staticmethod
    def parse_directive(fmt: str, i: int) -> tuple[list[Any], str | None, str, int]:
        """Parse the directive after the ``~`` at ``fmt[i-1]``.

        Returns (raw params, modifier, directive char, index after it).
        Raw params are ints, None (empty), ("char", code), "V" or "#".
        """
        n = len(fmt)
        params: list[Any] = []
        modifier: str | None = None
        found = False
        while True:
            if i >= n:
                return params, modifier, "", i
            c = fmt[i]
            if c == "'":
                if modifier:
                    raise _format_error("misplaced modifier")
                if i + 1 >= n:
                    raise _format_error("illegal format string")
                params.append(("char", ord(fmt[i + 1])))
                found = True
                i += 2
            elif c.isdigit() or c in "+-":
                if modifier:
                    raise _format_error("misplaced modifier")
                j = i + 1
                while j < n and fmt[j].isdigit():
                    j += 1
                try:
                    params.append(int(fmt[i:j]))
                except ValueError:
                    params.append(None)
                found = True
                i = j
            elif c in "vV":
                if modifier:
                    raise _format_error("misplaced modifier")
                params.append("V")
                found = True
                i += 1
            elif c == "#":
                if modifier:
                    raise _format_error("misplaced modifier")
                params.append("#")
                found = True
                i += 1
            elif c == ",":
                if modifier:
                    raise _format_error("misplaced modifier")
                if not found:
                    params.append(None)
                found = False
                i += 1
            elif c == "@":
                if modifier in ("at", "colon-at"):
                    raise _format_error("double `@' modifier")
                modifier = "colon-at" if modifier == "colon" else "at"
                i += 1
            elif c == ":":
                if modifier in ("colon", "colon-at"):
                    raise _format_error("double `:' modifier")
                modifier = "colon-at" if modifier == "at" else "colon"
                i += 1
            else:
                return params, modifier, c, i + 1

    @classmethod
    def find_close(cls, fmt: str, i: int, close: str) -> tuple[list[tuple[int, int, bool]], int,
                                                               str | None]:
        """From just after an opening ``~[`` or ``~{``, find the matching close.

        Returns the clauses as (start, end, is-default) index ranges, the
        index after the closing directive, and the closing directive's modifier.
        """
        depth = 0
        clauses: list[tuple[int, int, bool]] = []
        start = i
        default_next = False
        n = len(fmt)
        while i < n:
            if fmt[i] != "~":
                i += 1
                continue
            tilde = i
            _params, modifier, c, i = cls.parse_directive(fmt, i + 1)
            if c in "[{":
                depth += 1
            elif c in "]}":
                if depth == 0:
                    if c != close:
                        raise _format_error(f"missing ~{'[' if close == ']' else '{'}")
                    clauses.append((start, tilde, default_next))
                    return clauses, i, modifier
                depth -= 1
            elif c == ";" and depth == 0 and close == "]":
                clauses.append((start, tilde, default_next))
                default_next = modifier == "colon"
                start = i
        raise _format_error("missing ~]" if close == "]" else "missing ~}")

    # ---------------------------------------------------------- the work

    def work(self, fmt: str, args: list[Any]) -> int:
        """Format ``fmt`` with ``args``; return the number of arguments used."""
        n = len(fmt)
        arg_pos = 0
        i = 0

        def next_arg() -> Any:
            nonlocal arg_pos
            if arg_pos >= len(args):
                raise _format_error("missing argument(s)")
            arg_pos += 1
            return args[arg_pos - 1]

        while i < n:
            j = fmt.find("~", i)
            if j < 0:
                self.put_literal(fmt[i:])
                break
            if j > i:
                self.put_literal(fmt[i:j])
            if j + 1 >= n:
                self.put("~")
                break
            raw, modifier, c, i = self.parse_directive(fmt, j + 1)
            if not c:
                raise _format_error("illegal format string")
            params: list[Any] = []
            for p in raw:
                if p == "V":
                    params.append(next_arg())
                elif p == "#":
                    params.append(len(args) - arg_pos)
                elif type(p) is tuple:
                    params.append(p[1])
                else:
                    params.append(p)
            d = c.upper()
            at = modifier in ("at", "colon-at")
            colon = modifier in ("colon", "colon-at")
            if d == "A" or d == "S":
                self.out_obj_padded(at, next_arg(), d == "S", params, colon)
            elif d == "D":
                self.out_num_padded(modifier, next_arg(), params, 10)
            elif d == "X":
                self.out_num_padded(modifier, next_arg(), params, 16)
            elif d == "O":
                self.out_num_padded(modifier, next_arg(), params, 8)
            elif d == "B":
                self.out_num_padded(modifier, next_arg(), params, 2)
            elif d == "R":
                if not params:
                    conv = {"at": _roman, "colon-at": _old_roman, "colon": _ordinal}.get(
                        modifier or "", _cardinal)
                    self.out_obj_padded(False, conv(next_arg()), False, [], False)
                else:
                    radix = params[0]
                    if type(radix) is not int or not 2 <= radix <= 36:
                        raise _format_error("radix must be between 2 and 36")
                    self.out_num_padded(modifier, next_arg(), params[1:], radix)
            elif d == "F":
                self.out_fixed(modifier, next_arg(), params)
            elif d == "E":
                self.out_expon(modifier, next_arg(), params)
            elif d == "G":
                self.out_general(modifier, next_arg(), params)
            elif d == "$":
                self.out_dollar(modifier, next_arg(), params)
            elif d == "I":
                z = next_arg()
                if not _is_number(z):
                    raise _format_error("argument not a complex number")
                zc = complex(z) if type(z) is not complex else z
                self.out_fixed(modifier, zc.real if type(z) is complex else z, params)
                self.out_fixed("at", zc.imag, params)
                self.put("i")
            elif d == "C":
                if self.one_positive_integer(params):
                    ch = Char(params[0])
                else:
                    ch = next_arg()
                if type(ch) is not Char:
                    raise _format_error("~c expects a character")
                if modifier == "at":
                    self.put(_write_string(ch))
                elif modifier == "colon":
                    code = ch.cp
                    if code < 0x20:
                        self.put("^" + chr(code + 0x40))
                    elif code >= 0x7F:
                        self.put("#\\" + format(code, "o"))
                    else:
                        self.put(ch.char)
                else:
                    self.put(ch.char)
            elif d == "P":
                if colon:
                    if arg_pos == 0:
                        raise _format_error("missing backward argument(s)")
                    arg_pos -= 1
                num = next_arg()
                if not _is_number(num):
                    raise _format_error("~p expects a number argument")
                if num == 1:
                    if at:
                        self.put("y")
                else:
                    self.put("ies" if at else "s")
            elif d == "~":
                self.fill(params[0] if self.one_positive_integer(params) else 1, "~")
            elif d == "%":
                self.fill(params[0] if self.one_positive_integer(params) else 1, "\n")
            elif d == "&":
                if self.one_positive_integer(params):
                    if params[0] > 0:
                        self.fill(params[0] - (0 if self.col > 0 else 1), "\n")
                    self.col = 0
                elif self.col > 0:
                    self.put("\n")
            elif d == "_":
                self.fill(params[0] if self.one_positive_integer(params) else 1, " ")
            elif d == "/":
                self.fill(params[0] if self.one_positive_integer(params) else 1, "\t")
            elif d == "|":
                self.fill(params[0] if self.one_positive_integer(params) else 1, "\f")
                self.col = 0
            elif d == "T":
                self.tabulate(modifier, params)
            elif d == "Y":
                width = params[0] if self.one_positive_integer(params) else 79
                if modifier is not None:
                    self.put(_write_string(next_arg()))
                else:
                    self.put(pretty_string(next_arg(), width=width))
                    self.col = 0
            elif d == "?" or d == "K":
                if colon:
                    raise _format_error("illegal modifier in ~?")
                frmt = next_arg()
                if type(frmt) is not str:
                    raise _format_error("~? expects a format string")
                if at:
                    arg_pos += self.work(frmt, args[arg_pos:])
                else:
                    sub = next_arg()
                    self.work(frmt, _list_args(sub))
            elif d == "!":
                self.flush = True
            elif d == "\n":
                if modifier == "at":
                    self.put("\n")
                while i < n and fmt[i].isspace() and fmt[i] != "\n":
                    if modifier == "colon":
                        self.put(fmt[i])
                    i += 1
            elif d == "*":
                if modifier == "colon":
                    k = params[0] if self.one_positive_integer(params) else 1
                    if arg_pos - k < 0:
                        raise _format_error("missing backward argument(s)")
                    arg_pos -= k
                elif modifier == "at":
                    arg_pos = params[0] if self.one_positive_integer(params) else 0
                elif modifier == "colon-at":
                    raise _format_error("illegal modifier `:@' in ~* directive")
                else:
                    for _ in range(params[0] if self.one_positive_integer(params) else 1):
                        next_arg()
            elif d == "(":
                self.case = {"at": _capitalize_first, "colon": _capitalize,
                             "colon-at": str.upper}.get(modifier or "", str.lower)
            elif d == ")":
                if self.case is None:
                    raise _format_error("missing ~(")
                self.case = None
            elif d == "[":
                clauses, i, _m = self.find_close(fmt, i, "]")
                if modifier == "colon-at":
                    raise _format_error("illegal modifier in ~[")
                if self.one_positive_integer(params):
                    carg = params[0]
                else:
                    carg = next_arg()
                strs = [fmt[a:b] for a, b, _dflt in clauses]
                default = None
                if len(clauses) > 1 and clauses[-1][2]:
                    default = strs.pop()
                if modifier == "at":
                    if carg is not False:
                        self.work(strs[0], [carg])
                elif modifier == "colon":
                    if carg is False:
                        arg_pos += self.work(strs[0], args[arg_pos:])
                    elif len(strs) > 1:
                        arg_pos += self.work(strs[1], args[arg_pos:])
                else:
                    if type(carg) is not int or carg < 0:
                        raise _format_error("argument not a positive integer")
                    if carg < len(strs):
                        arg_pos += self.work(strs[carg], args[arg_pos:])
                    elif default is not None:
                        arg_pos += self.work(default, args[arg_pos:])
            elif d == "{":
                clauses, i, close_mod = self.find_close(fmt, i, "}")
                body = fmt[clauses[0][0]:clauses[0][1]]
                max_iter = params[0] if self.one_positive_integer(params) else None
                if close_mod == "colon" and max_iter is None:
                    max_iter = 1
                elif close_mod in ("at", "colon-at"):
                    raise _format_error("illegal modifier")
                if body == "":
                    body = next_arg()
                    if type(body) is not str:
                        raise _format_error("~{~} expects a format string argument")
                if modifier is None:
                    lst = next_arg()
                    items = _list_or_error(lst, "expected a list argument")
                    self.iterate(body, items, max_iter)
                elif modifier == "colon":
                    lst = next_arg()
                    items = _list_or_error(lst, "expected a list argument")
                    for k, sub in enumerate(items):
                        if max_iter is not None and k >= max_iter:
                            break
                        self.work(body, _list_or_error(sub, "expected a list of lists "
                                                       "argument"))
                elif modifier == "at":
                    arg_pos += self.iterate(body, args[arg_pos:], max_iter)
                else:
                    rest = args[arg_pos:]
                    used = 0
                    for k, sub in enumerate(rest):
                        if max_iter is not None and k >= max_iter:
                            break
                        self.work(body, _list_or_error(sub, "expected list arguments"))
                        used += 1
                    arg_pos += used
            elif d in "]};":
                raise _format_error(f"~{d} without matching opening directive")
            elif d == "^":
                if params:
                    if len(params) == 1:
                        stop = params[0] == 0
                    elif len(params) == 2:
                        stop = params[0] == params[1]
                    elif len(params) == 3:
                        stop = params[0] <= params[1] <= params[2]
                    else:
                        raise _format_error("too much parameters")
                    if stop:
                        break
                elif self.case is not None:
                    self.case = None
                elif arg_pos >= len(args):
                    break
            elif d == "Q":
                if modifier == "colon":
                    self.put("3.0")
                else:
                    self.put("SLIB Common LISP format version 3.0\n"
                             "  (C) copyright 1992-1994 by Dirk Lutzebaeck\n"
                             "  please send bug reports to `lutzeb@cs.tu-berlin.de'\n")
            else:
                raise _format_error(f"unknown control character `{c}'")
        return arg_pos

    def iterate(self, body: str, items: list[Any], max_iter: int | None) -> int:
        pos = 0
        k = 0
        while pos < len(items) and (max_iter is None or k < max_iter):
            used = self.work(body, items[pos:])
            if used == 0:
                break
            pos += used
            k += 1
        return pos

    # ---------------------------------------------------------- directives

    @staticmethod
    def one_positive_integer(params: list[Any]) -> bool:
        if not params:
            return False
        if len(params) == 1 and type(params[0]) is int and params[0] >= 0:
            return True
        raise _format_error("one positive integer parameter expected")

    @staticmethod
    def par(pars: list[Any], index: int, default: Any, name: str | None) -> Any:
        if len(pars) > index:
            p = pars[index]
            if p is not None and p is not False:
                if name and type(p) is int and p < 0:
                    raise _format_error(f"{name!r} parameter must be a positive integer")
                return p
        return default

    def out_obj_padded(self, pad_left: bool, obj: Any, slashify: bool, pars: list[Any],
                       read_proof: bool) -> None:
        s = _write_string(obj) if slashify else (obj if type(obj) is str
                                                 else _display_string(obj))
        if read_proof and s.startswith("#<"):
            s = _write_string(s)
        if not pars:
            self.put(s)
            return
        mincol = self.par(pars, 0, 0, "mincol")
        colinc = self.par(pars, 1, 1, "colinc")
        minpad = self.par(pars, 2, 0, "minpad")
        padchar = chr(self.par(pars, 3, 32, None))
        if not pad_left:
            self.put(s)
        k = minpad
        while len(s) + k < mincol:
            k += colinc if colinc > 0 else 1
        self.fill(k, padchar)
        if pad_left:
            self.put(s)

    def out_num_padded(self, modifier: str | None, number: Any, pars: list[Any],
                       radix: int) -> None:
        if not _is_integer(number):
            raise _format_error("argument not an integer")
        numstr = _number_to_string(number, radix)
        if not pars and modifier is None:
            self.put(numstr)
            return
        mincol = self.par(pars, 0, None, "mincol")
        padchar = chr(self.par(pars, 1, 32, None))
        commachar = chr(self.par(pars, 2, ord(","), None))
        commawidth = self.par(pars, 3, 3, "commawidth")
        at = modifier in ("at", "colon-at")
        colon = modifier in ("colon", "colon-at")
        if colon:
            neg = numstr.startswith("-")
            digits = numstr[1:] if neg else numstr
            groups = []
            while len(digits) > commawidth:
                groups.insert(0, digits[-commawidth:])
                digits = digits[:-commawidth]
            groups.insert(0, digits)
            numstr = ("-" if neg else "") + commachar.join(groups)
        if at and number >= 0:
            numstr = "+" + numstr
        if mincol is not None and mincol > len(numstr):
            self.fill(mincol - len(numstr), padchar)
        self.put(numstr)

    def tabulate(self, modifier: str | None, pars: list[Any]) -> None:
        colnum = self.par(pars, 0, 1, "colnum")
        colinc = self.par(pars, 1, 1, "colinc")
        padch = chr(self.par(pars, 2, 32, None))
        if modifier in ("colon", "colon-at"):
            raise _format_error("unsupported modifier for ~t")
        if modifier == "at":
            if colinc == 0:
                self.fill(colnum, padch)
            else:
                c = 0
                target = self.col + colnum
                while c < target:
                    c += colinc
                self.fill(c - self.col, padch)
            return
        if self.col < colnum:
            self.fill(colnum - self.col, padch)
        elif colinc != 0:
            c = colnum
            while c < self.col:
                c += colinc
            self.fill(c - self.col, padch)

    def out_inf_nan(self, number: Any, width: Any, digits: Any, edigits: Any, overch: Any,
                    padch: Any) -> None:
        s = _number_to_string(number)
        dot = s.index(".")
        digits = (digits or 0) + ((edigits + 2) if edigits else 0)
        if width and overch and width < len(s):
            self.fill(width, chr(overch))
            return
        leftpad = max(width - max(len(s), dot + 1 + digits), 0) if width else 0
        rightpad = max(width - leftpad - len(s), 0) if width else 0
        pc = chr(padch or 32)
        self.fill(leftpad, pc)
        self.put(s)
        self.fill(rightpad, pc)

    @staticmethod
    def _check_float_arg(number: Any, what: str) -> None:
        if not (_is_number(number) or type(number) is str):
            raise _format_error(what)

    @staticmethod
    def _special(number: Any) -> bool:
        if type(number) is float:
            return number != number or number in (float("inf"), float("-inf"))
        return False

    def out_fixed(self, modifier: str | None, number: Any, pars: list[Any]) -> None:
        self._check_float_arg(number, "argument is not a number or a number string")
        if type(number) is complex:
            raise _format_error("argument is not a number or a number string")
        width = self.par(pars, 0, None, "width")
        digits = self.par(pars, 1, None, "digits")
        scale = self.par(pars, 2, 0, None)
        overch = self.par(pars, 3, None, None)
        padch = self.par(pars, 4, 32, None)
        if self._special(number):
            self.out_inf_nan(number, width, digits, None, overch, padch)
            return
        at = modifier == "at"
        fb = _FloatBuf()
        fb.parse(number, True, scale)
        if digits is not None:
            if len(fb.fn) - fb.dot <= digits:
                fb.zfill(False, digits - (len(fb.fn) - fb.dot))
            else:
                fb.round(digits)
            if width:
                numlen = len(fb.fn) + 1
                if not fb.pos or at:
                    numlen += 1
                if fb.dot == 0 and width > digits + 1:
                    numlen += 1
                if numlen < width:
                    self.fill(width - numlen, chr(padch))
                if overch and numlen > width:
                    self.fill(width, chr(overch))
                else:
                    fb.out(self.put, at, width > digits + 1)
            else:
                fb.out(self.put, at, True)
            return
        fb.strip()
        if width:
            numlen = len(fb.fn) + 1
            if not fb.pos or at:
                numlen += 1
            if fb.dot == 0:
                numlen += 1
            if numlen < width:
                self.fill(width - numlen, chr(padch))
            if numlen > width:
                dot_index = numlen - (len(fb.fn) - fb.dot)
                if dot_index > width:
                    if overch:
                        self.fill(width, chr(overch))
                    else:
                        fb.out(self.put, at, True)
                else:
                    fb.round(width - dot_index)
                    fb.out(self.put, at, True)
            else:
                fb.out(self.put, at, True)
        else:
            fb.out(self.put, at, True)

    def out_expon(self, modifier: str | None, number: Any, pars: list[Any]) -> None:
        self._check_float_arg(number, "argument is not a number")
        width = self.par(pars, 0, None, "width")
        digits = self.par(pars, 1, None, "digits")
        edigits = self.par(pars, 2, None, "exponent digits")
        scale = self.par(pars, 3, 1, None)
        overch = self.par(pars, 4, None, None)
        padch = self.par(pars, 5, 32, None)
        expch = self.par(pars, 6, None, None)
        if self._special(number):
            self.out_inf_nan(number, width, digits, edigits, overch, padch)
            return
        at = modifier == "at"
        fb = _FloatBuf()
        if digits is not None:
            if scale > 0:
                digits = digits - scale + 1 if scale < digits + 2 else 0
            fb.parse(number, False, scale)
            if len(fb.fn) - fb.dot <= digits:
                fb.zfill(False, digits - (len(fb.fn) - fb.dot))
            else:
                fb.round(digits)
            if width:
                if edigits and overch and len(fb.en) > edigits:
                    self.fill(width, chr(overch))
                    return
                numlen = len(fb.fn) + 3
                if not fb.pos or at:
                    numlen += 1
                if fb.dot == 0 and width > digits + 1:
                    numlen += 1
                numlen += edigits if (edigits and edigits >= len(fb.en)) else len(fb.en)
                if numlen < width:
                    self.fill(width - numlen, chr(padch))
                if overch and numlen > width:
                    self.fill(width, chr(overch))
                else:
                    fb.out(self.put, at, width > numlen - 1)
                    fb.en_out(self.put, edigits, expch)
            else:
                fb.out(self.put, at, True)
                fb.en_out(self.put, edigits, expch)
            return
        fb.parse(number, False, scale)
        fb.strip()
        if width:
            if edigits and overch and len(fb.en) > edigits:
                self.fill(width, chr(overch))
                return
            numlen = len(fb.fn) + 3
            if not fb.pos or at:
                numlen += 1
            if fb.dot == 0:
                numlen += 1
            numlen += edigits if (edigits and edigits >= len(fb.en)) else len(fb.en)
            if numlen < width:
                self.fill(width - numlen, chr(padch))
            if numlen > width:
                f = len(fb.fn) - fb.dot
                if numlen - f > width:
                    if overch:
                        self.fill(width, chr(overch))
                        return
                else:
                    fb.round(f - numlen + width)
            fb.out(self.put, at, True)
            fb.en_out(self.put, edigits, expch)
        else:
            fb.out(self.put, at, True)
            fb.en_out(self.put, edigits, expch)

    def out_general(self, modifier: str | None, number: Any, pars: list[Any]) -> None:
        self._check_float_arg(number, "argument is not a number or a number string")
        n_p = len(pars)
        width = pars[0] if n_p > 0 else None
        digits = pars[1] if n_p > 1 else None
        edigits = pars[2] if n_p > 2 else None
        overch = pars[4] if n_p > 4 else None
        padch = pars[5] if n_p > 5 else None
        if self._special(number):
            self.out_inf_nan(number, width, digits, edigits, overch, padch)
            return
        fb = _FloatBuf()
        fb.parse(number, True, 0)
        fb.strip()
        ee = edigits + 2 if edigits else 4
        ww = width - ee if width else None
        n = -fb.zlead() if fb.dot == 0 else fb.dot
        d = digits if digits else max(len(fb.fn), min(n, 7))
        dd = d - n
        if 0 <= dd <= d:
            self.out_fixed(modifier, number, [ww, dd, None, overch, padch])
            self.fill(ee, " ")
        else:
            self.out_expon(modifier, number, pars)

    def out_dollar(self, modifier: str | None, number: Any, pars: list[Any]) -> None:
        self._check_float_arg(number, "argument is not a number or a number string")
        digits = self.par(pars, 0, 2, "digits")
        mindig = self.par(pars, 1, 1, "mindig")
        width = self.par(pars, 2, 0, "width")
        padch = self.par(pars, 3, 32, None)
        if self._special(number):
            self.out_inf_nan(number, width, digits, None, None, padch)
            return
        fb = _FloatBuf()
        fb.parse(number, True, 0)
        if len(fb.fn) - fb.dot <= digits:
            fb.zfill(False, digits - (len(fb.fn) - fb.dot))
        else:
            fb.round(digits)
        numlen = len(fb.fn) + 1
        signed = modifier in ("at", "colon-at")
        if not fb.pos or signed:
            numlen += 1
        if mindig and mindig > fb.dot:
            numlen += mindig - fb.dot
        if fb.dot == 0 and not mindig:
            numlen += 1
        pc = chr(padch)
        sign = "+" if fb.pos else "-"
        if numlen < width:
            if modifier == "colon":
                if not fb.pos:
                    self.put("-")
                self.fill(width - numlen, pc)
            elif modifier == "at":
                self.fill(width - numlen, pc)
                self.put(sign)
            elif modifier == "colon-at":
                self.put(sign)
                self.fill(width - numlen, pc)
            else:
                self.fill(width - numlen, pc)
                if not fb.pos:
                    self.put("-")
        elif fb.pos:
            if signed:
                self.put("+")
        else:
            self.put("-")
        if mindig and mindig > fb.dot:
            self.fill(mindig - fb.dot, "0")
        if fb.dot == 0 and not mindig:
            self.put("0")
        self.put("".join(fb.fn[: fb.dot]))
        self.put(".")
        self.put("".join(fb.fn[fb.dot:]))


def _capitalize(s: str) -> str:
    out = []
    in_word = False
    for c in s:
        if c.isalpha():
            out.append(c.lower() if in_word else c.upper())
            in_word = True
        else:
            out.append(c)
            in_word = False
    return "".join(out)


def _capitalize_first(s: str) -> str:
    out = []
    seen = False
    for c in s:
        if c.isalpha():
            out.append(c.lower() if seen else c.upper())
            seen = True
        else:
            out.append(c)
    return "".join(out)


def _list_args(x: Any) -> list[Any]:
    return _list_or_error(x, "expected a list argument")


def _list_or_error(x: Any, msg: str) -> list[Any]:
    out = []
    p = x
    while type(p) is Pair:
        out.append(p.car)
        p = p.cdr
    if p is not NIL:
        raise _format_error(msg)
    return out


def _format_dest(who: str, destination: Any) -> OutputPort | None:
    if destination is False:
        return None
    if destination is True:
        return current_output_port.value
    if type(destination) is OutputPort and not destination.closed:
        return destination
    raise misc_error(None, f"{who}: bad destination `~a'", destination)


def _format_failure(detail: str, fmt: str, args: list[Any]) -> SchemeError:
    return SchemeError(Condition("misc-error", "error in format: ~A", who="format",
                                 args=[detail], irritants=[fmt, *args]))


def _run_format(fmt: str, args: list[Any], column: int) -> _Formatter:
    f = _Formatter(column)
    try:
        used = f.work(fmt, args)
    except FormatError as e:
        raise _format_failure(str(e), fmt, args) from None
    if used > len(args):
        raise _format_failure("missing argument(s)", fmt, args)
    return f


def format_to_string(fmt: str, args: list[Any] | tuple[Any, ...], column: int = 0) -> str:
    """Run Guile's (ice-9 format) on ``fmt`` and ``args``; return the text."""
    f = _run_format(fmt, list(args), column)
    return "".join(f.out)


def _format(destination: Any, fmt: Any, args: tuple[Any, ...]) -> Any:
    if type(fmt) is not str:
        raise misc_error(None, "format: expected a string for format string ~S", fmt)
    port = _format_dest("format", destination)
    col = port.column if port is not None else 0
    f = _run_format(fmt, list(args), col)
    text = "".join(f.out)
    if port is None:
        return text
    port.write(text)
    if f.flush:
        port.flush()
    return None


@primitive("format", "(destination format-string . args)")
def scm_format(destination: Any, format_string: Any, *args: Any) -> Any:
    """Format ARGS according to FORMAT-STRING (the directives of Guile's
    (ice-9 format): ~a ~s ~d ~x ~o ~b ~r ~f ~e ~g ~$ ~c ~p ~% ~& ~t ~y ~?
    ~* ~( ~) ~[ ~; ~] ~{ ~} ~^ ...).  DESTINATION #f returns a string; #t
    writes to the current output port; a port writes to that port."""
    r = _format(destination, format_string, args)
    return UNSPECIFIED if r is None else r


def ice9_format(destination: Any, format_string: Any, *args: Any) -> Any:
    """(ice-9 format)'s ``format``: like the default one, but returns #t when
    writing to a port."""
    r = _format(destination, format_string, args)
    return True if r is None else r


ice9_format.scm_name = "format"  # type: ignore[attr-defined]
ice9_format.scm_params = "(destination format-string . format-args)"  # type: ignore[attr-defined]


@primitive("simple-format", "(destination message . args)")
def simple_format(destination: Any, message: Any, *args: Any) -> Any:
    """Write MESSAGE to DESTINATION, defaulting to the current output port.
    MESSAGE can contain ~A (was %s) and ~S (was %S) escapes.  When printed,
    the escapes are replaced with corresponding members of ARGS: ~A formats
    using display and ~S formats using write.  If DESTINATION is #t, then
    use the current output port, if DESTINATION is #f, then return a string
    containing the formatted text."""
    if type(message) is not str:
        raise wrong_type("simple-format", 2, "string", message)
    if destination is False:
        port = None
    elif destination is True:
        port = current_output_port.value
    elif type(destination) is OutputPort and not destination.closed:
        port = destination
    else:
        raise wrong_type("simple-format", 1, "output port", destination)
    out = []
    i = 0
    k = 0
    n = len(message)
    while i < n:
        j = message.find("~", i)
        if j < 0 or j + 1 >= n:
            out.append(message[i:])
            break
        out.append(message[i:j])
        c = message[j + 1]
        if c in "aAsS":
            if k >= len(args):
                raise misc_error("simple-format", "FORMAT: Missing argument for ~~~A", c)
            a = args[k]
            k += 1
            if c in "aA":
                out.append(a if type(a) is str else _display_string(a))
            else:
                out.append(_write_string(a))
        elif c == "%":
            out.append("\n")
        elif c == "~":
            out.append("~")
        else:
            raise misc_error("simple-format",
                             "FORMAT: Unsupported format option ~~~A - use (ice-9 format) "
                             "instead", c)
        i = j + 2
    if k < len(args):
        raise misc_error("simple-format", "FORMAT: ~A", "Extra arguments")
    text = "".join(out)
    if port is None:
        return text
    port.write(text)
    return UNSPECIFIED


# ---------------------------------------------------------------- pretty-print

_QUOTE_PREFIX = {Symbol("quote"): "'", Symbol("quasiquote"): "`", Symbol("unquote"): ",",
                 Symbol("unquote-splicing"): ",@"}


class _TooWide(Exception):
    pass


class _Pretty:
    """Guile's (ice-9 pretty-print) generic-write (from SLIB's genwrite.scm)."""

    INDENT_GENERAL = 2
    MAX_CALL_HEAD_WIDTH = 5

    def __init__(self, display: bool, width: int, max_expr_width: int, prefix: str) -> None:
        self.display = display
        self.width = width
        self.max_expr_width = max_expr_width
        self.prefix = prefix
        self.chunks: list[str] = []
        sym = Symbol
        lam = self.pp_lambda
        self.styles: dict[Any, Any] = {}
        for name in ("lambda", "lambda*", "let*", "letrec", "define", "define*",
                     "define-public", "define-syntax", "let-syntax", "letrec-syntax",
                     "with-syntax", "syntax-rules"):
            self.styles[sym(name)] = lam
        self.styles[sym("if")] = self.pp_if
        self.styles[sym("set!")] = self.pp_if
        self.styles[sym("cond")] = self.pp_cond
        self.styles[sym("case")] = self.pp_case
        self.styles[sym("and")] = self.pp_and
        self.styles[sym("or")] = self.pp_and
        self.styles[sym("let")] = self.pp_let
        self.styles[sym("begin")] = self.pp_begin
        self.styles[sym("do")] = self.pp_do
        self.styles[sym("syntax-case")] = self.pp_syntax_case

    # ---------------------------------------------------------- basics

    def out(self, s: str, col: int | None) -> int | None:
        if col is None:
            return None
        self.chunks.append(s)
        return col + len(s)

    def atom(self, obj: Any) -> str:
        return _display_string(obj) if self.display else _write_string(obj)

    @staticmethod
    def read_macro(obj: Any) -> str | None:
        if type(obj) is Pair:
            prefix = _QUOTE_PREFIX.get(obj.car) if type(obj.car) is Symbol else None
            if prefix is not None and type(obj.cdr) is Pair and obj.cdr.cdr is NIL:
                return prefix
        return None

    def one_line(self, obj: Any, budget: int | None = None) -> str | None:
        """``obj`` written on one line (the ``wr`` of genwrite), or None if it
        would be at least ``budget`` characters long."""
        parts: list[str] = []
        total = [0]

        def emit(s: str) -> None:
            parts.append(s)
            total[0] += len(s)
            if budget is not None and total[0] >= budget:
                raise _TooWide

        def wr(x: Any) -> None:
            prefix = self.read_macro(x)
            if prefix is not None:
                emit(prefix)
                wr(x.cdr.car)
                return
            if type(x) is Pair and _is_proper(x.cdr):
                emit("(")
                wr(x.car)
                p = x.cdr
                while type(p) is Pair:
                    emit(" ")
                    wr(p.car)
                    p = p.cdr
                emit(")")
                return
            emit(self.atom(x))

        try:
            wr(obj)
        except _TooWide:
            return None
        return "".join(parts)

    def wr(self, obj: Any, col: int | None) -> int | None:
        if col is None:
            return None
        s = self.one_line(obj)
        assert s is not None
        return self.out(s, col)

    def indent(self, to: int, col: int | None) -> int | None:
        if col is None:
            return None
        if to < col:
            self.chunks.append("\n")
            self.chunks.append(self.prefix)
            self.chunks.append(" " * to)
            return to
        return self.out(" " * (to - col), col)

    # ---------------------------------------------------------- layout

    def pr(self, obj: Any, col: int | None, extra: int, pp_pair: Any) -> int | None:
        if col is None:
            return None
        if type(obj) is Pair or type(obj) is list:
            left = min(self.width - col - extra + 1, self.max_expr_width)
            s = self.one_line(obj, left) if left > 0 else None
            if s is not None:
                return self.out(s, col)
            if type(obj) is Pair:
                return pp_pair(obj, col, extra)
            from schemos.runtime.lists import build_list

            return self.pp_list(build_list(obj), self.out("#", col), extra, self.pp_expr)
        return self.wr(obj, col)

    def pp_expr(self, expr: Any, col: int | None, extra: int) -> int | None:
        prefix = self.read_macro(expr)
        if prefix is not None:
            return self.pr(expr.cdr.car, self.out(prefix, col), extra, self.pp_expr)
        head = expr.car
        if type(head) is Symbol or type(head) is UninternedSymbol:
            proc = self.styles.get(head)
            if proc is not None:
                return proc(expr, col, extra)
            if len(head.name) > self.MAX_CALL_HEAD_WIDTH:
                return self.pp_general(expr, col, extra, False, None, None, self.pp_expr)
            return self.pp_call(expr, col, extra, self.pp_expr)
        return self.pp_list(expr, col, extra, self.pp_expr)

    def pp_call(self, expr: Any, col: int | None, extra: int, pp_item: Any) -> int | None:
        col_star = self.wr(expr.car, self.out("(", col))
        if col is None or col_star is None:
            return None
        return self.pp_down(expr.cdr, col_star, col_star + 1, extra, pp_item)

    def pp_list(self, lst: Any, col: int | None, extra: int, pp_item: Any) -> int | None:
        col = self.out("(", col)
        if col is None:
            return None
        return self.pp_down(lst, col, col, extra, pp_item)

    def pp_down(self, lst: Any, col1: int | None, col2: int, extra: int,
                pp_item: Any) -> int | None:
        col = col1
        while col is not None:
            if type(lst) is Pair:
                rest = lst.cdr
                extra2 = extra + 1 if rest is NIL else 0
                col = self.pr(lst.car, self.indent(col2, col), extra2, pp_item)
                lst = rest
            elif lst is NIL:
                return self.out(")", col)
            else:
                return self.out(")", self.pr(lst, self.indent(col2, self.out(
                    ".", self.indent(col2, col))), extra + 1, pp_item))
        return None

    def pp_general(self, expr: Any, col: int | None, extra: int, named: bool, pp1: Any,
                   pp2: Any, pp3: Any) -> int | None:
        if col is None:
            return None
        base = col

        def tail1(rest: Any, col1: int, col2: int | None, col3: int) -> int | None:
            if pp1 is not None and type(rest) is Pair:
                val1 = rest.car
                rest = rest.cdr
                extra2 = extra + 1 if rest is NIL else 0
                return tail2(rest, col1, self.pr(val1, self.indent(col3, col2), extra2, pp1),
                             col3)
            return tail2(rest, col1, col2, col3)

        def tail2(rest: Any, col1: int, col2: int | None, col3: int) -> int | None:
            if pp2 is not None and type(rest) is Pair:
                val1 = rest.car
                rest = rest.cdr
                extra2 = extra + 1 if rest is NIL else 0
                return tail3(rest, col1, self.pr(val1, self.indent(col3, col2), extra2, pp2))
            return tail3(rest, col1, col2)

        def tail3(rest: Any, col1: int, col2: int | None) -> int | None:
            return self.pp_down(rest, col2, col1, extra, pp3)

        rest = expr.cdr
        col_star = self.wr(expr.car, self.out("(", col))
        assert col_star is not None
        if named and type(rest) is Pair:
            name = rest.car
            rest = rest.cdr
            col_2star = self.wr(name, self.out(" ", col_star))
            assert col_2star is not None
            return tail1(rest, base + self.INDENT_GENERAL, col_2star, col_2star + 1)
        return tail1(rest, base + self.INDENT_GENERAL, col_star, col_star + 1)

    def pp_expr_list(self, lst: Any, col: int | None, extra: int) -> int | None:
        return self.pp_list(lst, col, extra, self.pp_expr)

    def pp_lambda(self, expr: Any, col: int | None, extra: int) -> int | None:
        return self.pp_general(expr, col, extra, False, self.pp_expr_list, None, self.pp_expr)

    def pp_if(self, expr: Any, col: int | None, extra: int) -> int | None:
        return self.pp_general(expr, col, extra, False, self.pp_expr, None, self.pp_expr)

    def pp_cond(self, expr: Any, col: int | None, extra: int) -> int | None:
        return self.pp_call(expr, col, extra, self.pp_expr_list)

    def pp_case(self, expr: Any, col: int | None, extra: int) -> int | None:
        return self.pp_general(expr, col, extra, False, self.pp_expr, None, self.pp_expr_list)

    def pp_and(self, expr: Any, col: int | None, extra: int) -> int | None:
        return self.pp_call(expr, col, extra, self.pp_expr)

    def pp_let(self, expr: Any, col: int | None, extra: int) -> int | None:
        rest = expr.cdr
        named = type(rest) is Pair and type(rest.car) is Symbol
        return self.pp_general(expr, col, extra, named, self.pp_expr_list, None, self.pp_expr)

    def pp_begin(self, expr: Any, col: int | None, extra: int) -> int | None:
        return self.pp_general(expr, col, extra, False, None, None, self.pp_expr)

    def pp_do(self, expr: Any, col: int | None, extra: int) -> int | None:
        return self.pp_general(expr, col, extra, False, self.pp_expr_list, self.pp_expr_list,
                               self.pp_expr)

    def pp_syntax_case(self, expr: Any, col: int | None, extra: int) -> int | None:
        return self.pp_general(expr, col, extra, True, self.pp_expr_list, None, self.pp_expr)

    def run(self, obj: Any) -> str:
        self.chunks.append(self.prefix)
        col = self.pr(obj, 0, 0, self.pp_expr)
        self.out("\n", col)
        return "".join(self.chunks)


def _is_proper(x: Any) -> bool:
    while type(x) is Pair:
        x = x.cdr
    return x is NIL


def pretty_string(obj: Any, width: int = 79, max_expr_width: int = 50, display: bool = False,
                  per_line_prefix: str = "") -> str:
    """The text ``(pretty-print obj)`` writes, including the final newline."""
    p = _Pretty(display, width - len(per_line_prefix), max_expr_width, per_line_prefix)
    old = sys.getrecursionlimit()
    try:
        if old < 20000:
            sys.setrecursionlimit(20000)
        return p.run(obj)
    finally:
        sys.setrecursionlimit(old)


@primitive("pretty-print", "(obj #:optional port* #:key port width max-expr-width display? "
                           "per-line-prefix)")
def pretty_print(obj: Any, *args: Any) -> Any:
    """Pretty-print OBJ on PORT, which is a keyword argument defaulting to the
    current output port.  Formatting can be controlled by a number of keyword
    arguments: Each line in the output is preceded by the string
    PER-LINE-PREFIX, which is empty by default.  The output lines will be at
    most WIDTH characters wide; the default is 79.  If DISPLAY? is true,
    display rather than write representation will be used.  Instead of with
    a keyword argument, you can also specify the output port directly after
    OBJ, like (pretty-print OBJ PORT)."""
    port: Any = None
    width: Any = 79
    max_expr_width: Any = 50
    display_p: Any = False
    prefix: Any = ""
    i = 0
    if args and type(args[0]) is not Keyword:
        port = args[0]
        i = 1
    while i < len(args):
        k = args[i]
        if type(k) is not Keyword or i + 1 >= len(args):
            raise misc_error("pretty-print", "Invalid keyword argument: ~S", k)
        v = args[i + 1]
        i += 2
        if k.name == "port":
            port = v
        elif k.name == "width":
            width = v
        elif k.name == "max-expr-width":
            max_expr_width = v
        elif k.name == "display?":
            display_p = v
        elif k.name == "per-line-prefix":
            prefix = v
        else:
            raise misc_error("pretty-print", "Unrecognized keyword: ~S", k)
    p = _out("pretty-print", 2, port if port is not False else None)
    if type(width) is not int:
        raise wrong_type("pretty-print", 3, "integer", width)
    p.write(pretty_string(obj, width, max_expr_width, display_p is not False, str(prefix)))
    return UNSPECIFIED


__all__ = [
    "Port", "OutputPort", "InputPort", "current_output_port", "current_error_port",
    "current_input_port", "current_output", "current_error", "current_input",
    "set_current_output_port", "with_output_to", "with_input_from", "flush_all",
    "format_to_string", "pretty_string", "ice9_format", "stdout_port", "stderr_port",
    "stdin_port", "write_string", "display_string",
]
