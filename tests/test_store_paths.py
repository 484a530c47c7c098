"""Store-path arithmetic and derivations against the shared Guix vectors."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemos.base32 import nix_base32_decode, nix_base32_encode
from schemos.store.derivation import make_derivation, parse_aterm
from schemos.store.nar import nar_hash, write_nar
from schemos.store.paths import compress_hash, fixed_output_path, source_path, text_path

# the shared vectors lie beside the checkout (CI copies shared/ there too)
VECTORS = json.loads((Path(__file__).resolve().parents[2] / "shared" / "vectors" /
                      "store-paths.json").read_text())

HELLO_SHA256 = nix_base32_decode("1x9gyyamm7d9p2hm06hx9vx6gm4sd1mksxqlqfxaajl44i34q0fr")

def test_base32_of_known_hash() -> None:
    assert bytes(HELLO_SHA256) == hashlib.sha256(b"Hello, world!\n").digest()
    assert nix_base32_encode(hashlib.sha256(b"Hello, world!\n").digest()) == \
        "1x9gyyamm7d9p2hm06hx9vx6gm4sd1mksxqlqfxaajl44i34q0fr"


def test_add_text_to_store_vectors() -> None:
    assert text_path("hello.txt", "Hello, world!\n") == VECTORS["add_text_to_store"][0]["output"]
    assert text_path("greeting", "hi\n") == VECTORS["add_text_to_store"][1]["output"]
    assert VECTORS["plain_file_lower_object"]["output"] == text_path("hello.txt",
                                                                     "Hello, world!\n")


def test_fixed_output_path_vector() -> None:
    assert fixed_output_path("foo.tar.gz", bytes(HELLO_SHA256)) == \
        VECTORS["fixed_output_path"][0]["output"]


def test_add_to_store_flat_file_vector(tmp_path: Path) -> None:
    f = tmp_path / "hello.txt"
    f.write_text("Hello, world!\n")
    digest = hashlib.sha256(f.read_bytes()).digest()
    assert fixed_output_path("hello.txt", digest, "sha256", recursive=False) == \
        VECTORS["add_to_store_file"][0]["output"]


@pytest.mark.parametrize("i", [0, 1])
def test_derivation_vectors(i: int) -> None:
    v = VECTORS["derivations"][i]
    if i == 0:
        d = make_derivation("foo", "/bin/sh", ["-c", "echo hi > $out"], env_vars={"A": "1"},
                            system="x86_64-linux")
    else:
        d = make_derivation("foo.tar.gz", "builtin:download", [],
                            env_vars={"url": '"https://example.org/foo.tar.gz"'},
                            hash=bytes(HELLO_SHA256), system="x86_64-linux")
    assert d.to_aterm() == v["drv_text"]
    assert d.path == v["drv_path"]
    assert {n: o.path for n, o in d.outputs.items()} == {o["name"]: o["path"]
                                                         for o in v["outputs"]}
    back = parse_aterm(v["drv_text"], v["drv_path"])
    assert back.to_aterm() == v["drv_text"]
    assert back.name == d.name


def test_dependent_derivation_uses_hash_modulo() -> None:
    src = make_derivation("src.tar.gz", "builtin:download", [], hash=bytes(HELLO_SHA256),
                          env_vars={"url": "a"})
    src2 = make_derivation("src.tar.gz", "builtin:download", [], hash=bytes(HELLO_SHA256),
                           env_vars={"url": "b"})
    assert src.path != src2.path  # different .drv ...
    assert src.outputs["out"].path == src2.outputs["out"].path  # ... same content
    a = make_derivation("pkg", "/bin/sh", [], inputs={src.path: (["out"], src.hash_modulo())})
    b = make_derivation("pkg", "/bin/sh", [], inputs={src2.path: (["out"], src2.hash_modulo())})
    # fetching from another URL changes nothing built from the source
    assert a.outputs["out"].path == b.outputs["out"].path
    assert a.path != b.path


def test_multiple_outputs_have_suffixed_names() -> None:
    d = make_derivation("glibc", "/bin/sh", [], outputs=["out", "static", "debug"])
    assert d.outputs["out"].path.endswith("-glibc")
    assert d.outputs["static"].path.endswith("-glibc-static")
    assert d.env["debug"] == d.outputs["debug"].path


def test_compress_hash_xor_folds() -> None:
    assert compress_hash(bytes(range(32)), 20) == bytes(
        (i ^ (i + 20)) if i < 12 else i for i in range(20))


def test_nar_of_a_small_tree(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "b").write_text("bee")
    (tmp_path / "d" / "a").write_text("a")
    (tmp_path / "d" / "x").symlink_to("a")
    chunks: list[bytes] = []
    write_nar(tmp_path / "d", chunks.append)
    data = b"".join(chunks)
    assert data.startswith(b"\x0d" + b"\0" * 7 + b"nix-archive-1\0\0\0")
    assert data.index(b"\x01" + b"\0" * 7 + b"a") < data.index(b"\x01" + b"\0" * 7 + b"b")
    assert len(data) % 8 == 0
    digest, size = nar_hash(tmp_path / "d")
    assert size == len(data) and digest == hashlib.sha256(data).digest()
    # a recursive add-to-store path is derived from that hash
    assert source_path("d", digest).endswith("-d")


@given(st.binary(max_size=64))
def test_base32_round_trip(data: bytes) -> None:
    assert bytes(nix_base32_decode(nix_base32_encode(data))) == data


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@given(st.dictionaries(_text.filter(lambda s: s not in ("out",)), _text, max_size=5),
       st.lists(_text, max_size=5), _text)
def test_aterm_round_trip(env: dict[str, str], args: list[str], builder: str) -> None:
    d = make_derivation("x", builder, args, env_vars=env)
    text = d.to_aterm()
    back = parse_aterm(text)
    assert back.to_aterm() == text
    assert back.env == d.env and back.args == d.args


def test_malformed_aterm_is_rejected() -> None:
    with pytest.raises(ValueError):
        parse_aterm('Derive([("out","/gnu/store/x","","")],[],[],"s","b",[],[]')
    with pytest.raises(ValueError):
        parse_aterm("Derive(garbage)")
