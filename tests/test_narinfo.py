"""The narinfo format: the seed's narinfo, round trips, and malformed lines."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemos.base32 import NIX_ALPHABET
from schemos.errors import SchemeError
from schemos.substitutes.narinfo import (
    Narinfo,
    NarURL,
    best_url,
    format_nar_hash,
    make_narinfo,
    parse_nar_hash,
    parse_narinfo,
)

VECTOR = json.loads((Path(__file__).resolve().parents[2] / "shared" / "vectors"
                     / "narinfo-seed.json").read_text()) \
    if (Path(__file__).resolve().parents[2] / "shared" / "vectors").exists() else None


def seed() -> dict:
    if VECTOR is None:
        raise AssertionError("../shared/vectors/narinfo-seed.json is missing: the vectors "
                             "must lie beside the checkout")
    return VECTOR


def test_the_seed_narinfo_parses_to_its_fields() -> None:
    v = seed()
    info = parse_narinfo(v["narinfo_text"])
    f = v["expected_fields"]
    assert info.store_path == f["StorePath"]
    assert info.nar_hash == f["NarHash"] and info.nar_size == f["NarSize"]
    assert info.system == f["System"] and info.deriver == f["Deriver"]
    assert info.references == f["References"]
    assert [{"URL": u.url, "Compression": u.compression, "FileSize": u.file_size}
            for u in info.urls] == f["URLs"]
    assert info.signature == v["signature_line"].removeprefix("Signature: ")
    assert info.hash_part == "803q5wapfnmr91ag8d9dzwabkbdxz3ay"
    assert info.extra == []


def test_the_seed_narinfo_is_emitted_byte_for_byte() -> None:
    v = seed()
    info = parse_narinfo(v["narinfo_text"])
    assert info.to_text() == v["narinfo_text"]
    info.text = None                       # render from the fields alone
    assert info.to_text() == v["narinfo_text"]
    assert info.unsigned_text() == v["signed_text"]
    assert hashlib.sha256(info.unsigned_text().encode()).hexdigest() == \
        v["expected_sha256_of_signed_text"]


def test_signed_text_is_the_original_text() -> None:
    v = seed()
    # a field order different from the farm's: the signature covers the text as is
    text = v["signed_text"].replace("System: i586-gnu\n", "") + "System: i586-gnu\n"
    info = parse_narinfo(text)
    assert info.unsigned_text() == text
    assert info.to_text() == v["signed_text"]          # rendered in the farm's order


def test_unknown_fields_are_kept() -> None:
    text = seed()["signed_text"] + "CA: fixed:r:sha256:abc\nX-Mirror: yes: really\n"
    info = parse_narinfo(text)
    assert info.extra == [("CA", "fixed:r:sha256:abc"), ("X-Mirror", "yes: really")]
    info.text = None
    assert info.to_text() == text


def test_empty_references_and_deriver() -> None:
    text = ("StorePath: /gnu/store/" + "a" * 32 + "-x\nURL: nar/" + "a" * 32
            + "-x\nCompression: none\nNarHash: sha256:" + "0" * 52
            + "\nNarSize: 8\nReferences: \nDeriver: \n")
    info = parse_narinfo(text)
    assert info.references == [] and info.deriver is None
    assert info.urls == [NarURL("nar/" + "a" * 32 + "-x", "none")]


def _bad(text: str) -> str:
    with pytest.raises(SchemeError) as e:
        parse_narinfo(text, source="bad.narinfo")
    c = e.value.condition
    assert c is not None and c.key.name == "narinfo-error"
    return f"{c.loc}: {c.formatted_message()}"


def _seed_lines() -> list[str]:
    return seed()["narinfo_text"].splitlines(keepends=True)


@pytest.mark.parametrize("line_no,replacement,message", [
    (1, "StorePath: /gnu/store/not-a-hash\n", "invalid StorePath field"),
    (1, "StorePath: /tmp/store/803q5wapfnmr91ag8d9dzwabkbdxz3ay-hello-2.10\n",
     "not a store path under /gnu/store"),
    (2, "URL nar/gzip/x\n", "malformed narinfo line"),
    (2, "\n", "empty line"),
    (3, "Compression: gz ip\n", "invalid compression"),
    (4, "FileSize: -5\n", "not a decimal size"),
    (4, "FileSize: 0x10\n", "not a decimal size"),
    (8, "NarHash: md5:0g4k1kppjs5148ynm4zw4x1kpaby67npc3ws6s7y7hf0il1cgryk\n",
     "expected sha256"),
    (8, "NarHash: sha256:0g4k1kppjs5148ynm4zw4x1kpaby67npc3ws6s7y7hf0il1cgryke\n",
     "digits"),
    (9, "NarSize: 2O4328\n", "not a decimal size"),
    (10, "References: 803q5wapfnmr91ag8d9dzwabkbdxz3ay-hello-2.10 ../etc\n",
     "not a store item name"),
    (12, "Deriver: jqdvjhcxxnbq370y8i2c973c9zfiqrgl-hello-2.10\n", "not a derivation"),
    (11, "System: i586 gnu\n", "invalid system"),
    (13, "Signature: berlin.guix.gnu.org\n", "VERSION;HOST;BASE64"),
    (9, "NarSize: 204328\r\n", "carriage return"),
])
def test_malformed_lines_are_rejected_with_their_line(line_no: int, replacement: str,
                                                      message: str) -> None:
    lines = _seed_lines()
    lines[line_no - 1] = replacement
    err = _bad("".join(lines))
    assert err.startswith(f"bad.narinfo:{line_no}:0: ")
    assert message in err


def test_structural_errors_name_their_line() -> None:
    lines = _seed_lines()
    assert "bad.narinfo:10:0: invalid NarSize field: duplicate NarSize field (first on line 3)" \
        in _bad("".join(lines[:2] + ["NarSize: 1\n"] + lines[2:]))
    assert "bad.narinfo:2:0: invalid Compression field: Compression before any URL" \
        in _bad("".join(lines[:1] + lines[2:]))
    assert "bad.narinfo:2:0: URL 'nar/gzip/803q5wapfnmr91ag8d9dzwabkbdxz3ay-hello-2.10' has " \
        "no Compression field" in _bad("".join(lines[:2] + lines[3:]))
    assert "second Compression for the same URL" in \
        _bad("".join(lines[:3] + [lines[2]] + lines[3:]))
    assert "bad.narinfo:14:0: field after the Signature line" in \
        _bad("".join(lines) + "URL: nar/evil\n")
    missing = "".join(line for line in lines if not line.startswith("NarHash"))
    assert "missing NarHash field" in _bad(missing)
    assert "not valid UTF-8" in str(pytest.raises(
        SchemeError, parse_narinfo, b"StorePath: \xff\n").value)


_hashes = st.text(alphabet=NIX_ALPHABET, min_size=32, max_size=32)
_names = st.from_regex(r"[a-z][a-z0-9+.-]{0,20}", fullmatch=True)
_basenames = st.builds(lambda h, n: f"{h}-{n}", _hashes, _names)


@given(base=_basenames, digest=st.binary(min_size=32, max_size=32),
       size=st.integers(0, 2**40), refs=st.lists(_basenames, max_size=4, unique=True),
       urls=st.lists(st.builds(NarURL, st.from_regex(r"nar/[a-z0-9/.-]{1,30}", fullmatch=True),
                               st.sampled_from(["gzip", "lzip", "zstd", "none"]),
                               st.none() | st.integers(0, 2**40)), max_size=3),
       deriver=st.none() | _basenames.map(lambda b: b + ".drv"),
       system=st.none() | st.sampled_from(["x86_64-linux", "i586-gnu"]))
def test_round_trip(base: str, digest: bytes, size: int, refs: list[str],
                    urls: list[NarURL], deriver: str | None, system: str | None) -> None:
    info = make_narinfo("/gnu/store/" + base, digest, size, refs, urls, deriver, system)
    text = info.to_text()
    back = parse_narinfo(text)
    assert back.to_text() == text
    assert back.nar_sha256 == digest and back.nar_size == size
    assert back.references == sorted(refs) and back.urls == urls
    assert (back.deriver, back.system) == (deriver, system)
    signed = back.with_signature("1;host;AAAA")
    assert signed.unsigned_text() == text
    assert parse_narinfo(signed.text or "").signature == "1;host;AAAA"


def test_nar_hash_forms() -> None:
    d = bytes(range(32))
    assert parse_nar_hash(format_nar_hash(d)) == d
    assert parse_nar_hash("sha256:" + d.hex()) == d
    with pytest.raises(ValueError):
        parse_nar_hash("sha1:" + d.hex())


def test_best_url_prefers_the_smallest_supported_file() -> None:
    info = parse_narinfo(seed()["narinfo_text"])
    assert best_url(info).compression == "lzip"                       # type: ignore[union-attr]
    assert best_url(info, ("gzip",)).compression == "gzip"            # type: ignore[union-attr]
    assert best_url(info, ("zstd",)) is None
    assert isinstance(info, Narinfo)
