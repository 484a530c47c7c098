"""The ``.narinfo`` format: what a binary cache says about one store item.

A narinfo is a series of ``Field: value`` lines, exactly as Guix's build
farm serves them::

    StorePath: /gnu/store/803q5wapfnmr91ag8d9dzwabkbdxz3ay-hello-2.10
    URL: nar/gzip/803q5wapfnmr91ag8d9dzwabkbdxz3ay-hello-2.10
    Compression: gzip
    FileSize: 61822
    URL: nar/lzip/803q5wapfnmr91ag8d9dzwabkbdxz3ay-hello-2.10
    Compression: lzip
    FileSize: 52887
    NarHash: sha256:0g4k1kppjs5148ynm4zw4x1kpaby67npc3ws6s7y7hf0il1cgryk
    NarSize: 204328
    References: 803q5wapfnmr91ag8d9dzwabkbdxz3ay-hello-2.10 9vs3…-glibc-2.31 …
    System: i586-gnu
    Deriver: jqdvjhcxxnbq370y8i2c973c9zfiqrgl-hello-2.10.drv
    Signature: 1;berlin.guix.gnu.org;KHNpZ25hdHVyZSAK…

Each ``URL`` starts a group that its ``Compression``, ``FileSize`` and
``FileHash`` lines complete.  Unknown fields are kept (and written back
before ``Signature``).  The signature covers the text up to the
``Signature`` line, so a parsed narinfo keeps its original :attr:`Narinfo.text`
and that, not a re-rendering, is what signatures are checked against.
Anything malformed is a ``narinfo-error`` condition located at the line that
is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemos.base32 import nix_base32_decode, nix_base32_encode
from schemos.datum import SourceLoc
from schemos.errors import SchemeError
from schemos.store.paths import STORE_DIR, check_store_name
from schemos.substitutes import substitute_error

#: known compression methods, as Guix spells them
COMPRESSIONS = ("none", "gzip", "lzip", "zstd", "xz", "bzip2")

_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*): (.*)")
_HASH_PART = re.compile(r"[0123456789abcdfghijklmnpqrsvwxyz]{32}")
_DECIMAL = re.compile(r"(0|[1-9][0-9]{0,18})")
_SINGLE = ("StorePath", "NarHash", "NarSize", "References", "Deriver", "System",
           "Signature")


@dataclass
class NarURL:
    """One way to download the NAR: a URL (usually relative) and its compression."""

    url: str
    compression: str
    file_size: int | None = None
    file_hash: str | None = None


@dataclass
class Narinfo:
    """A parsed or constructed narinfo."""

    store_path: str
    nar_hash: str
    nar_size: int
    references: list[str] = field(default_factory=list)
    urls: list[NarURL] = field(default_factory=list)
    deriver: str | None = None
    system: str | None = None
    signature: str | None = None
    #: fields schemos does not know, in order, as (name, value)
    extra: list[tuple[str, str]] = field(default_factory=list)
    #: the original text, when parsed (signatures are checked against it)
    text: str | None = None

    @property
    def hash_part(self) -> str:
        """The 32-character hash part of the store path (the narinfo's file name)."""
        return self.store_path.rsplit("/", 1)[1][:32]

    def deriver_path(self, store_dir: str = STORE_DIR) -> str | None:
        """The store path of the ``Deriver`` (a ``.drv``), or ``None``."""
        if not self.deriver:
            return None
        return self.deriver if self.deriver.startswith("/") else f"{store_dir}/{self.deriver}"

    @property
    def nar_sha256(self) -> bytes:
        """The SHA-256 of the NAR, from ``NarHash``."""
        return parse_nar_hash(self.nar_hash)

    def unsigned_text(self) -> str:
        """The text a signature covers: everything before the ``Signature`` line."""
        text = self.text if self.text is not None else self.to_text()
        if text.startswith("Signature:"):
            return ""
        i = text.find("\nSignature:")
        return text if i < 0 else text[:i + 1]

    def to_text(self) -> str:
        """Render the fields in the farm's order (see :attr:`text` for the original text)."""
        lines = [f"StorePath: {self.store_path}"]
        for u in self.urls:
            lines.append(f"URL: {u.url}")
            lines.append(f"Compression: {u.compression}")
            if u.file_hash is not None:
                lines.append(f"FileHash: {u.file_hash}")
            if u.file_size is not None:
                lines.append(f"FileSize: {u.file_size}")
        lines.append(f"NarHash: {self.nar_hash}")
        lines.append(f"NarSize: {self.nar_size}")
        lines.append(f"References: {' '.join(self.references)}")
        if self.system is not None:
            lines.append(f"System: {self.system}")
        if self.deriver is not None:
            lines.append(f"Deriver: {self.deriver}")
        lines.extend(f"{k}: {v}" for k, v in self.extra)
        if self.signature is not None:
            lines.append(f"Signature: {self.signature}")
        return "\n".join(lines) + "\n"

    def with_signature(self, signature: str) -> Narinfo:
        """A copy whose text is this one's unsigned text followed by ``signature``."""
        body = self.unsigned_text()
        new = Narinfo(self.store_path, self.nar_hash, self.nar_size, list(self.references),
                      list(self.urls), self.deriver, self.system, signature,
                      list(self.extra))
        new.text = body + f"Signature: {signature}\n"
        return new


def parse_nar_hash(value: str) -> bytes:
    """The digest of a ``sha256:<nix-base32>`` (or 64-digit hex) hash; ``ValueError`` if bad."""
    algo, sep, digits = value.partition(":")
    if not sep or algo != "sha256":
        raise ValueError("expected sha256:<hash>")
    if len(digits) == 52:
        return bytes(nix_base32_decode(digits))
    if len(digits) == 64 and re.fullmatch(r"[0-9a-f]{64}", digits):
        return bytes.fromhex(digits)
    raise ValueError("expected 52 nix-base32 or 64 hexadecimal digits")


def format_nar_hash(digest: bytes) -> str:
    """``sha256:<nix-base32>``, as narinfos write NarHash."""
    return "sha256:" + nix_base32_encode(digest)


def _check_basename(name: str) -> None:
    if len(name) < 34 or not _HASH_PART.fullmatch(name[:32]) or name[32] != "-":
        raise ValueError(f"not a store item name: {name!r}")
    check_store_name(name[33:])


def check_store_path(path: str, store: str | None = None) -> None:
    """Raise ``ValueError`` unless ``path`` is ``<store>/<hash>-<name>``."""
    d, _, base = path.rpartition("/")
    if not d.startswith("/") or (store is not None and d != store):
        raise ValueError(f"not a store path under {store or 'an absolute directory'}: "
                         f"{path!r}")
    _check_basename(base)


def parse_narinfo(text: str | bytes, source: str = "<narinfo>",
                  store: str | None = STORE_DIR) -> Narinfo:
    """Parse narinfo ``text`` (from ``source``, named in errors).

    ``store`` is the store directory ``StorePath`` must be under (``None``
    accepts any).  Raises a ``narinfo-error`` :class:`SchemeError` located at
    the offending line.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            line = text[:e.start].count(b"\n") + 1
            raise _error(source, line, "narinfo is not valid UTF-8") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    seen: dict[str, int] = {}
    urls: list[NarURL] = []
    url_lines: list[int] = []
    extra: list[tuple[str, str]] = []
    values: dict[str, str] = {}
    for n, line in enumerate(lines, 1):
        if "Signature" in seen:
            raise _error(source, n, "field after the Signature line (it would not be "
                         "covered by the signature)")
        if "\r" in line:
            raise _error(source, n, "carriage return in narinfo line")
        m = _LINE.fullmatch(line)
        if m is None:
            if not line:
                raise _error(source, n, "empty line in narinfo")
            raise _error(source, n, f"malformed narinfo line {line!r}",
                         hint="each line is 'Field: value'")
        key, value = m.group(1), m.group(2)
        try:
            if key in _SINGLE:
                if key in seen:
                    raise ValueError(f"duplicate {key} field (first on line {seen[key]})")
                seen[key] = n
                _check_single(key, value, store)
                values[key] = value
            elif key == "URL":
                if not value:
                    raise ValueError("empty URL")
                urls.append(NarURL(value, ""))
                url_lines.append(n)
            elif key in ("Compression", "FileSize", "FileHash"):
                if not urls:
                    raise ValueError(f"{key} before any URL")
                u = urls[-1]
                if key == "Compression":
                    if u.compression:
                        raise ValueError("second Compression for the same URL")
                    if not re.fullmatch(r"[a-z0-9]+", value):
                        raise ValueError(f"invalid compression {value!r}")
                    u.compression = value
                elif key == "FileSize":
                    if u.file_size is not None:
                        raise ValueError("second FileSize for the same URL")
                    u.file_size = _decimal(value)
                else:
                    if u.file_hash is not None:
                        raise ValueError("second FileHash for the same URL")
                    u.file_hash = value
            else:
                extra.append((key, value))
        except ValueError as e:
            raise _error(source, n, f"invalid {key} field: {e}") from None
    for u, n in zip(urls, url_lines, strict=True):
        if not u.compression:
            raise _error(source, n, f"URL {u.url!r} has no Compression field")
    for key in ("StorePath", "NarHash", "NarSize", "References"):
        if key not in values:
            raise _error(source, len(lines) + 1 if lines else 1, f"missing {key} field")
    refs = values["References"].split(" ") if values["References"] else []
    deriver = values.get("Deriver") or None
    return Narinfo(store_path=values["StorePath"], nar_hash=values["NarHash"],
                   nar_size=int(values["NarSize"]), references=refs, urls=urls,
                   deriver=deriver, system=values.get("System"),
                   signature=values.get("Signature"), extra=extra, text=text)


def _decimal(value: str) -> int:
    if not _DECIMAL.fullmatch(value):
        raise ValueError(f"not a decimal size: {value!r}")
    return int(value)


def _check_single(key: str, value: str, store: str | None) -> None:
    if key == "StorePath":
        check_store_path(value, store)
    elif key == "NarHash":
        parse_nar_hash(value)
    elif key == "NarSize":
        _decimal(value)
    elif key == "References":
        if value:
            refs = value.split(" ")
            for r in refs:
                _check_basename(r)
            if len(set(refs)) != len(refs):
                raise ValueError("duplicate reference")
    elif key == "Deriver":
        if value:
            _check_basename(value)
            if not value.endswith(".drv"):
                raise ValueError(f"not a derivation: {value!r}")
    elif key == "System":
        if not re.fullmatch(r"[A-Za-z0-9_.+-]+", value):
            raise ValueError(f"invalid system {value!r}")
    elif key == "Signature":
        if value.count(";") != 2:
            raise ValueError("expected VERSION;HOST;BASE64")


def _error(source: str, line: int, message: str, hint: str | None = None) -> SchemeError:
    return substitute_error("narinfo-error", message, loc=SourceLoc(source, line, 0),
                            hint=hint)


def make_narinfo(store_path: str, nar_sha256: bytes, nar_size: int,
                 references: list[str], urls: list[NarURL] | None = None,
                 deriver: str | None = None, system: str | None = None) -> Narinfo:
    """A new, unsigned narinfo; references and deriver may be full store paths."""
    refs = sorted(r.rsplit("/", 1)[-1] for r in references)
    drv = deriver.rsplit("/", 1)[-1] if deriver else None
    return Narinfo(store_path, format_nar_hash(nar_sha256), nar_size, refs, urls or [],
                   drv, system)


def best_url(info: Narinfo, supported: tuple[str, ...] = COMPRESSIONS) -> NarURL | None:
    """The URL to download from: the smallest known file among supported compressions."""
    choices = [u for u in info.urls if u.compression in supported]
    if not choices:
        return None
    return min(choices, key=lambda u: (u.file_size is None, u.file_size or 0))
