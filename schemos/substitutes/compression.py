"""The compressions of NARs in a binary cache: none, gzip, lzip, zstd (and xz, bzip2 to read).

gzip, xz and bzip2 come with Python; zstd needs the ``zstandard`` package and
lzip the ``lzip`` package (both on PyPI and in schemos's dependencies); a
compression whose package is missing is simply not offered.  Both directions
stream: :func:`compressor` objects take chunks, and
:class:`DecompressingReader` gives a ``read(n)`` over a compressed stream that
never holds more than about one input chunk's worth of output beyond ``n``.
"""

from __future__ import annotations

import bz2
import lzma
import zlib
from collections.abc import Callable
from typing import Any, Protocol

from schemos.substitutes import substitute_error

#: default levels, as ``guix publish`` has them (``-C TYPE[:LEVEL]`` overrides)
DEFAULT_LEVELS = {"gzip": 3, "lzip": 6, "zstd": 3, "xz": 6, "bzip2": 9, "none": 0}
#: compressed input is fed to decoders in chunks of this size (bounds their output)
_IN_CHUNK = 1 << 14


def _have(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def available_compressions() -> list[str]:
    """The compressions schemos can write here, best-supported first."""
    out = ["gzip"]
    if _have("lzip"):
        out.append("lzip")
    if _have("zstandard"):
        out.append("zstd")
    return out + ["xz", "bzip2", "none"]


def readable_compressions() -> tuple[str, ...]:
    """The compressions schemos can read here."""
    return tuple(available_compressions())


class Compressor(Protocol):
    """A streaming compressor."""

    def compress(self, data: bytes) -> bytes:
        """Compressed output for ``data`` (possibly empty)."""

    def flush(self) -> bytes:
        """The rest of the output; the compressor is finished."""


class _Identity:
    def compress(self, data: bytes) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


class _Lzip:
    def __init__(self, level: int) -> None:
        import lzip

        self._enc = lzip.BufferEncoder(level)

    def compress(self, data: bytes) -> bytes:
        return self._enc.compress(data) or b""

    def flush(self) -> bytes:
        return self._enc.finish()


class _Zstd:
    def __init__(self, level: int) -> None:
        import zstandard

        self._obj = zstandard.ZstdCompressor(level=level).compressobj()

    def compress(self, data: bytes) -> bytes:
        return self._obj.compress(data)

    def flush(self) -> bytes:
        return self._obj.flush()


def compressor(name: str, level: int | None = None) -> Compressor:
    """A streaming compressor for ``name`` at ``level`` (its default if ``None``)."""
    lvl = DEFAULT_LEVELS.get(name, 0) if level is None else level
    if name == "gzip":
        return zlib.compressobj(lvl, zlib.DEFLATED, 31)      # type: ignore[return-value]
    if name == "lzip":
        return _Lzip(lvl)
    if name == "zstd":
        return _Zstd(lvl)
    if name == "xz":
        return lzma.LZMACompressor(preset=lvl)               # type: ignore[return-value]
    if name == "bzip2":
        return bz2.BZ2Compressor(max(1, lvl))                # type: ignore[return-value]
    if name == "none":
        return _Identity()
    raise substitute_error("substitute-error", f"unsupported compression: {name}")


class _Decoder(Protocol):
    def feed(self, data: bytes) -> bytes: ...

    def finish(self) -> bytes: ...


class _Zlib:
    def __init__(self) -> None:
        self._d = zlib.decompressobj(31)

    def feed(self, data: bytes) -> bytes:
        if self._d.eof:
            raise _corrupt("gzip", "data after the end of the compressed stream")
        try:
            return self._d.decompress(data)
        except zlib.error as e:
            raise _corrupt("gzip", str(e)) from None

    def finish(self) -> bytes:
        if not self._d.eof:
            raise _corrupt("gzip", "the compressed stream is truncated")
        if self._d.unused_data:
            raise _corrupt("gzip", "data after the end of the compressed stream")
        return b""


class _Stdlib:
    """xz and bzip2 through their decompressor objects."""

    def __init__(self, name: str, factory: Callable[[], Any]) -> None:
        self.name = name
        self._d = factory()

    def feed(self, data: bytes) -> bytes:
        if self._d.eof:
            raise _corrupt(self.name, "data after the end of the compressed stream")
        try:
            return self._d.decompress(data)
        except (OSError, lzma.LZMAError, EOFError) as e:
            raise _corrupt(self.name, str(e)) from None

    def finish(self) -> bytes:
        if not self._d.eof:
            raise _corrupt(self.name, "the compressed stream is truncated")
        if self._d.unused_data:
            raise _corrupt(self.name, "data after the end of the compressed stream")
        return b""


class _ZstdDecoder:
    def __init__(self) -> None:
        import zstandard

        self._err = zstandard.ZstdError
        self._d = zstandard.ZstdDecompressor().decompressobj()

    def feed(self, data: bytes) -> bytes:
        if self._d.eof:
            raise _corrupt("zstd", "data after the end of the compressed stream")
        try:
            return self._d.decompress(data)
        except self._err as e:
            raise _corrupt("zstd", str(e)) from None

    def finish(self) -> bytes:
        if not self._d.eof:
            raise _corrupt("zstd", "the compressed stream is truncated")
        if getattr(self._d, "unused_data", b""):
            raise _corrupt("zstd", "data after the end of the compressed stream")
        return b""


class _LzipDecoder:
    def __init__(self) -> None:
        import lzip.lzip as impl

        self._d = impl.lzip_extension.Decoder(impl.default_word_size)

    def feed(self, data: bytes) -> bytes:
        try:
            return self._d.decompress(data)
        except Exception as e:          # the extension raises plain exceptions
            raise _corrupt("lzip", str(e)) from None

    def finish(self) -> bytes:
        try:
            out, rest = self._d.finish()
        except Exception as e:
            raise _corrupt("lzip", str(e)) from None
        if rest:
            raise _corrupt("lzip", "the compressed stream is truncated or has trailing data")
        return out


class _Plain:
    def feed(self, data: bytes) -> bytes:
        return data

    def finish(self) -> bytes:
        return b""


def _corrupt(name: str, why: str) -> Exception:
    return substitute_error("substitute-error", f"corrupt {name} stream: {why}")


def _decoder(name: str) -> _Decoder:
    if name == "gzip":
        return _Zlib()
    if name == "zstd" and _have("zstandard"):
        return _ZstdDecoder()
    if name == "lzip" and _have("lzip"):
        return _LzipDecoder()
    if name == "xz":
        return _Stdlib("xz", lzma.LZMADecompressor)
    if name == "bzip2":
        return _Stdlib("bzip2", bz2.BZ2Decompressor)
    if name == "none":
        return _Plain()
    raise substitute_error("substitute-error", f"unsupported compression: {name}",
                           hint="install the 'zstandard' and 'lzip' Python packages for "
                           "zstd and lzip")


class DecompressingReader:
    """``read(n)`` over the decompression of the stream ``read_raw`` gives."""

    def __init__(self, read_raw: Callable[[int], bytes], compression: str) -> None:
        self._raw = read_raw
        self._dec = _decoder(compression)
        self._buf = bytearray()
        self._done = False
        #: compressed bytes read so far
        self.compressed_size = 0

    def read(self, n: int = -1) -> bytes:
        """Up to ``n`` decompressed bytes (all the rest if ``n`` < 0); ``b""`` at the end."""
        while (n < 0 or len(self._buf) < n) and not self._done:
            data = self._raw(_IN_CHUNK)
            if data:
                self.compressed_size += len(data)
                self._buf += self._dec.feed(data)
            else:
                self._buf += self._dec.finish()
                self._done = True
        if n < 0 or n >= len(self._buf):
            out = bytes(self._buf)
            self._buf.clear()
            return out
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out
