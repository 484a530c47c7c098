"""Guix store-path arithmetic, exactly as Guix (and Nix) compute it.

A store path is ``/gnu/store/<hash>-<name>`` where ``<hash>`` is the
nix-base32 encoding of the SHA-256 of the string
``TYPE:sha256:<inner hash, hex>:/gnu/store:<name>``, XOR-folded to 20 bytes.
TYPE says what the item is: ``text[:ref…]`` for text added with references,
``source[:ref…]`` for a recursively hashed item, ``output:<id>`` for a
derivation output or a non-recursive fixed-output item.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from schemos.base32 import nix_base32_encode

STORE_DIR = "/gnu/store"


def compress_hash(digest: bytes, size: int = 20) -> bytes:
    """XOR-fold ``digest`` to ``size`` bytes (Nix's ``compressHash``)."""
    out = bytearray(size)
    for i, b in enumerate(digest):
        out[i % size] ^= b
    return bytes(out)


def make_store_path(kind: str, inner_hex: str, name: str, store: str = STORE_DIR) -> str:
    """The store path for an item of ``kind`` whose inner SHA-256 is ``inner_hex``."""
    s = f"{kind}:sha256:{inner_hex}:{store}:{name}"
    h = compress_hash(hashlib.sha256(s.encode()).digest())
    return f"{store}/{nix_base32_encode(h)}-{name}"


def _with_refs(kind: str, references: Iterable[str]) -> str:
    return kind + "".join(":" + r for r in sorted(references))


def text_path(name: str, text: str | bytes, references: Iterable[str] = (),
              store: str = STORE_DIR) -> str:
    """Path of ``add-text-to-store`` (also of a ``.drv`` file)."""
    data = text.encode() if isinstance(text, str) else text
    return make_store_path(_with_refs("text", references), hashlib.sha256(data).hexdigest(),
                           name, store)


def source_path(name: str, nar_sha256: bytes, references: Iterable[str] = (),
                store: str = STORE_DIR) -> str:
    """Path of an item added recursively with SHA-256 (``add-to-store`` recursive)."""
    return make_store_path(_with_refs("source", references), nar_sha256.hex(), name, store)


def fixed_output_path(name: str, digest: bytes, hash_algo: str = "sha256",
                      recursive: bool = False, store: str = STORE_DIR,
                      output: str = "out") -> str:
    """Path of a fixed-output item (``fixed-output-path``), output ``output``."""
    if recursive and hash_algo == "sha256":
        return source_path(name, digest, (), store)
    inner = f"fixed:{output}:{'r:' if recursive else ''}{hash_algo}:{digest.hex()}:"
    return make_store_path(f"output:{output}", hashlib.sha256(inner.encode()).hexdigest(),
                           name, store)


def output_path(name: str, output: str, drv_hash_hex: str, store: str = STORE_DIR) -> str:
    """Path of output ``output`` of a derivation whose hash modulo is ``drv_hash_hex``."""
    full = name if output == "out" else f"{name}-{output}"
    return make_store_path(f"output:{output}", drv_hash_hex, full, store)


def store_path_hash_part(path: str) -> str:
    """The 32-character hash part of a store path."""
    base = path.rsplit("/", 1)[-1]
    return base[:32]


def check_store_name(name: str) -> None:
    """Raise ``ValueError`` unless ``name`` is a valid store item name."""
    import re

    if not name or len(name) > 211 or name.startswith(".") or \
            not re.fullmatch(r"[A-Za-z0-9+\-._?=]+", name):
        raise ValueError(f"invalid store item name: {name!r}")
