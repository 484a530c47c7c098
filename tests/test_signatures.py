"""Signatures compatible with Guix: S-expressions, ECDSA on Ed25519, keys, ACL, CLI."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemos.errors import SchemeError
from schemos.substitutes import ecc, pki
from schemos.substitutes.narinfo import make_narinfo, parse_narinfo
from schemos.substitutes.sexp import (
    atom_advanced,
    find_token,
    parse,
    to_advanced,
    to_canonical,
    value,
)

_VECTORS = Path(__file__).resolve().parents[2] / "shared" / "vectors" / "narinfo-seed.json"


@pytest.fixture(scope="module")
def seed() -> dict:
    if not _VECTORS.exists():
        raise AssertionError("../shared/vectors/narinfo-seed.json is missing: the vectors "
                             "must lie beside the checkout")
    return json.loads(_VECTORS.read_text())


def _sig_text(v: dict) -> bytes:
    return base64.b64decode(v["signature_line"].split(";")[2])


# ------------------------------------------------------------------ S-expressions


def test_the_seed_signature_reprints_byte_for_byte(seed: dict) -> None:
    text = _sig_text(seed)
    sexp = parse(text)
    assert to_advanced(sexp).encode("latin-1") == text
    assert parse(to_canonical(sexp)) == sexp
    assert value(sexp, b"curve") == b"Ed25519"
    assert find_token(sexp, b"hash") == [b"hash", b"sha256", bytes.fromhex(
        seed["expected_sha256_of_signed_text"])]


def test_all_atom_notations_read_the_same() -> None:
    forms = [b'(a foo)', b'(a "foo")', b'(a #666F6F#)', b'(a |Zm9v|)', b'(a 3:foo)',
             b'(a 3"foo")', b'(1:a3:foo)', b'( a\n\t#66 6F6F# )']
    assert all(parse(f) == [b"a", b"foo"] for f in forms)
    assert parse(rb'(s "a\nb\x41\101\"")') == [b"s", b'a\nbAA"']
    assert parse(b"(a (b (c)) ())") == [b"a", [b"b", [b"c"]], []]


@pytest.mark.parametrize("atom,written", [
    (b"Ed25519", b"Ed25519"), (b"rfc6979", b"rfc6979"), (b"guix", b"guix"),
    (b"a-b.c/d_e:f*g+h=i", b"a-b.c/d_e:f*g+h=i"),
    (b"7up", b'"7up"'), (b"two words", b'"two words"'), (b"", b'""'),
    (b'q"\n', b'"q\\"\\n"'), (b"\x05ab", b"#056162#"), (b"\x8d\x15", b"#8D15#"),
    (b"\x00", b"#00#"), (b"a\x7f", b"#617F#"), (b"a\xe9", b'"a\xe9"'),
])
def test_atoms_are_written_as_libgcrypt_does(atom: bytes, written: bytes) -> None:
    assert atom_advanced(atom) == written
    assert parse(b"(x " + written + b")") == [b"x", atom]


def test_advanced_layout() -> None:
    assert to_advanced([b"acl"]) == "(acl)\n"
    assert to_advanced([b"a", [b"b"], b"c"]) == "(a \n (b)\n c)\n"
    assert to_advanced([b"a", [b"b", [b"c", b"d"]]]) == "(a \n (b \n  (c d)\n  )\n )\n"


_atoms = st.binary(max_size=12)
_sexps = st.recursive(st.lists(_atoms, max_size=3),
                      lambda kids: st.lists(st.one_of(_atoms, kids), max_size=4),
                      max_leaves=12)


@given(_sexps)
def test_sexp_round_trips(sexp: list) -> None:
    assert parse(to_advanced(sexp).encode("latin-1")) == sexp
    assert parse(to_canonical(sexp)) == sexp


@pytest.mark.parametrize("text,message", [
    (b"", "expected '('"), (b"(a", "unbalanced"), (b"(a))", "after the end"),
    (b"(a #abc#)", "odd number"), (b"(a #zz#)", "bad hex"), (b"(a |!!|)", "bad base64"),
    (b"(a 5:abc)", "runs past"), (b'(a 4"abc")', "prefix says 4"), (b'(a "abc)', "unterminated"),
    (b"(a [hint]b)", "display hints"), (b"(a {x})", "unexpected character"),
    (b"(" * 100 + b")" * 100, "nested too deeply"), (b"a", "expected '('"),
])
def test_bad_sexps_are_refused(text: bytes, message: str) -> None:
    with pytest.raises(SchemeError, match="invalid S-expression") as e:
        parse(text)
    assert message in str(e.value)


# ------------------------------------------------------------------ ECDSA on Ed25519


@pytest.mark.parametrize("order,x,message,k", [
    # RFC 6979 A.2.5 (P-256, SHA-256)
    (0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
     0xC9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721, b"sample",
     0xA6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60),
    (0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
     0xC9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721, b"test",
     0xD16B6AE827F17175E040871A1C7EC3500192C4C92677336EC2537ACAEE0008E0),
    # RFC 6979 A.2.1 (DSA, 160-bit q, SHA-256): the hash is longer than q, as for Ed25519
    (0x996F967F6C8E388D9E28D01E205FBA957A5698B1,
     0x411602CB19A6CCC34494D79D98EF1E7ED5AF25F7, b"sample",
     0x519BA0546D0C39202A7D34D7DFA5E760B318BCFB),
    (0x996F967F6C8E388D9E28D01E205FBA957A5698B1,
     0x411602CB19A6CCC34494D79D98EF1E7ED5AF25F7, b"test",
     0x5A67592E8128E03A417B0484410FB72C0B630E1A),
])
def test_rfc6979_nonces_match_the_rfc(order: int, x: int, message: bytes, k: int) -> None:
    assert next(ecc.rfc6979_nonces(x, hashlib.sha256(message).digest(), order=order)) == k


def test_curve_basics() -> None:
    assert ecc.N.bit_length() == 253
    assert ecc.on_curve(ecc.G)
    assert ecc.affine(ecc.multiply(ecc.N, ecc.G)) == (0, 1)
    assert ecc.affine(ecc.multiply_base(12345)) == ecc.affine(ecc.multiply(12345, ecc.G))
    # the RFC 8032 encoding of the base point
    assert ecc.encode_point(ecc.G).hex() == \
        "5866666666666666666666666666666666666666666666666666666666666666"
    with pytest.raises(ecc.PointError):
        ecc.decode_point(b"\x02" + bytes(31))     # y = 2 is not on the curve
    p = ecc.multiply_base(99)
    x, y = ecc.affine(p)
    assert ecc.affine(ecc.decode_point(b"\x40" + ecc.encode_point(p))) == (x, y)
    assert ecc.affine(ecc.decode_point(b"\x04" + x.to_bytes(32, "big")
                                       + y.to_bytes(32, "big"))) == (x, y)


def test_signing_is_libgcrypt_ecdsa() -> None:
    d = 0x1234567890ABCDEF
    digest = hashlib.sha256(b"narinfo").digest()
    r, s = ecc.sign(d, digest)
    assert (r, s) == ecc.sign(d, digest)                  # deterministic (RFC 6979)
    k = next(ecc.rfc6979_nonces(d, digest))
    assert r == ecc.affine(ecc.multiply(k, ecc.G))[0] % ecc.N     # r = x(k·G) mod n
    h = int.from_bytes(digest, "big") >> 3                 # truncated to 253 bits
    assert s == pow(k, -1, ecc.N) * (h + r * d) % ecc.N
    q = ecc.public_point(d)
    assert ecc.verify(q, digest, r, s)
    assert not ecc.verify(q, digest, r, ecc.N - s)
    assert not ecc.verify(q, digest, 0, s) and not ecc.verify(q, digest, r, ecc.N)


@settings(max_examples=15, deadline=None)
@given(d=st.integers(1, ecc.N - 1), data=st.binary())
def test_sign_verify_round_trip(d: int, data: bytes) -> None:
    digest = hashlib.sha256(data).digest()
    q = ecc.decode_point(ecc.encode_point(ecc.public_point(d)))
    r, s = ecc.sign(d, digest)
    assert ecc.verify(q, digest, r, s)
    assert not ecc.verify(q, hashlib.sha256(data + b".").digest(), r, s)


# ------------------------------------------------------------------ the seed vector


def test_the_seed_narinfo_verifies(seed: dict) -> None:
    info = parse_narinfo(seed["narinfo_text"])
    key = pki.read_public_key(seed["public_key_sexp"])
    assert hashlib.sha256(info.unsigned_text().encode()).hexdigest() == \
        seed["expected_sha256_of_signed_text"]
    verdict = pki.verify_narinfo(info, [key])
    assert verdict.valid is seed["expected_valid"] is True
    assert verdict.host == "berlin.guix.gnu.org" and verdict.signer == key


def test_every_changed_byte_of_the_signed_text_is_rejected(seed: dict) -> None:
    key = pki.read_public_key(seed["public_key_sexp"])
    text = seed["signed_text"].encode()
    host, sig = pki.parse_signature_field(seed["signature_line"].split(": ", 1)[1])
    for i in range(len(text)):
        tampered = text[:i] + bytes([text[i] ^ 0x01]) + text[i + 1:]
        verdict = pki.check_signature(sig, hashlib.sha256(tampered).digest(), [key], host)
        assert verdict.status == "hash-mismatch", i
    # and a narinfo whose text changed but still parses is refused as a whole
    t = seed["narinfo_text"].replace("NarSize: 204328", "NarSize: 204320")
    assert pki.verify_narinfo(parse_narinfo(t), [key]).status == "hash-mismatch"


def _with_sig(sig: list, host: str = "berlin.guix.gnu.org") -> str:
    return pki.signature_field(sig, host)


def test_every_changed_byte_of_r_and_s_is_rejected(seed: dict) -> None:
    key = pki.read_public_key(seed["public_key_sexp"])
    _, sig = pki.parse_signature_field(seed["signature_line"].split(": ", 1)[1])
    digest = bytes.fromhex(seed["expected_sha256_of_signed_text"])
    assert pki.check_signature(sig, digest, [key]).valid
    ecdsa = find_token(sig, b"ecdsa")
    assert ecdsa is not None
    for item in ecdsa[1:]:
        original = item[1]
        for i in range(len(original)):
            for flip in (0x01, 0x80):
                item[1] = original[:i] + bytes([original[i] ^ flip]) + original[i + 1:]
                verdict = pki.check_signature(sig, digest, [key])
                assert verdict.status == "invalid-signature", (item[0], i, flip)
        item[1] = original
    assert pki.check_signature(sig, digest, [key]).valid


def test_a_signature_for_another_hash_is_invalid(seed: dict) -> None:
    # keep the hash in the signature consistent with a forged text: the ECDSA math refuses
    key = pki.read_public_key(seed["public_key_sexp"])
    _, sig = pki.parse_signature_field(seed["signature_line"].split(": ", 1)[1])
    forged = seed["signed_text"].replace("i586-gnu", "x86_64-linux")
    digest = hashlib.sha256(forged.encode()).digest()
    hash_list = find_token(sig, b"hash")
    assert hash_list is not None
    hash_list[2] = digest
    info = parse_narinfo(forged + "Signature: " + _with_sig(sig) + "\n")
    verdict = pki.verify_narinfo(info, [key])
    assert verdict.status == "invalid-signature", verdict


def test_unauthorized_and_corrupt_signatures(seed: dict) -> None:
    info = parse_narinfo(seed["narinfo_text"])
    other = pki.generate_key_pair().public
    assert pki.verify_narinfo(info, [other]).status == "unauthorized-key"
    assert pki.verify_narinfo(info, []).status == "unauthorized-key"
    # a signature naming another key (the tampered q) is unauthorized, or
    # invalid if that key is trusted
    _, sig = pki.parse_signature_field(info.signature or "")
    ecc_list = find_token(sig, b"ecc")
    assert ecc_list is not None
    ecc_list[2] = [b"q", other.q]
    text = seed["signed_text"] + "Signature: " + _with_sig(sig) + "\n"
    assert pki.verify_narinfo(parse_narinfo(text), [pki.read_public_key(
        seed["public_key_sexp"])]).status == "unauthorized-key"
    assert pki.verify_narinfo(parse_narinfo(text), [other]).status == "invalid-signature"
    for bad, status in [("2;h;AAAA", "corrupt-signature"), ("1;h;not base64!", "corrupt-signature"),
                        ("1;h;" + base64.b64encode(b"(signature)").decode(),
                         "corrupt-signature")]:
        t = seed["signed_text"] + f"Signature: {bad}\n"
        assert pki.verify_narinfo(parse_narinfo(t), [other]).status == status
    assert pki.verify_narinfo(parse_narinfo(seed["signed_text"]), [other]).status == "unsigned"


# ------------------------------------------------------------------ keys, ACL


def test_key_files_as_guix_writes_them(tmp_path: Path) -> None:
    key = pki.generate_key_pair()
    pub, sec = pki.write_key_pair(key, tmp_path / "keys")
    assert stat.S_IMODE(pub.stat().st_mode) == 0o444
    assert stat.S_IMODE(sec.stat().st_mode) == 0o400
    text = pub.read_text()
    assert text.startswith("(public-key \n (ecc \n  (curve Ed25519)\n  (q #")
    assert text.endswith("#)\n  )\n )\n")
    assert "(d #" in sec.read_text()
    assert pki.load_secret_key(tmp_path / "keys") == key
    assert pki.read_public_key(text) == key.public
    with pytest.raises(SchemeError, match="key pair exists"):
        pki.write_key_pair(pki.generate_key_pair(), tmp_path / "keys")


def test_secret_scalar_with_top_bit_gets_a_zero_byte() -> None:
    d = 0x80 << 240                                      # 31 bytes, top bit set
    key = pki.SecretKey(d, pki.PublicKey.from_point(ecc.public_point(d)))
    assert "(d #0080" in key.to_text()
    assert pki.read_secret_key(key.to_text()) == key


def test_keys_schemos_does_not_handle_are_refused(seed: dict) -> None:
    for text, message in [
        ("(public-key (rsa (n #00C1#) (e #010001#)))", "unsupported public key algorithm"),
        ("(public-key (ecc (curve NIST P-256) (q #04#)))", "unsupported curve"),
        ("(public-key (ecc (curve Ed25519) (flags eddsa) (q #00#)))", "EdDSA"),
        ("(public-key (ecc (curve Ed25519)))", "no q"),
        ("(private-key (ecc (curve Ed25519) (q #00#)))", "does not denote a public key"),
        ("(public-key (ecc (curve Ed25519) (q #0200000000000000000000000000000000000000000"
         "000000000000000000000#)))", "not a point"),
    ]:
        with pytest.raises(SchemeError, match=message):
            pki.read_public_key(text)
    sk = pki.generate_key_pair()
    wrong = sk.to_text().replace(sk.public.fingerprint(), pki.read_public_key(
        seed["public_key_sexp"]).fingerprint())
    with pytest.raises(SchemeError, match="q is not d"):
        pki.read_secret_key(wrong)


def test_acl(tmp_path: Path, seed: dict) -> None:
    acl = tmp_path / "etc" / "acl"
    berlin = pki.read_public_key(seed["public_key_sexp"])
    mine = pki.generate_key_pair().public
    assert pki.load_acl(acl) == []
    assert pki.authorize_key(berlin, acl)
    assert pki.authorize_key(mine, acl)
    assert not pki.authorize_key(mine, acl)
    assert pki.load_acl(acl) == [mine, berlin]
    text = acl.read_text()
    assert text.startswith("(acl \n (entry \n  (public-key \n   (ecc \n")
    assert "(tag \n   (guix import)\n   )" in text
    with pytest.raises(SchemeError, match="invalid access-control list"):
        pki.read_acl("(acl (entry (public-key (ecc (curve Ed25519) (q #00#))) (tag (x))))")
    with pytest.raises(SchemeError, match="invalid access-control list"):
        pki.read_acl("(not-an-acl)")


# ------------------------------------------------------------------ CLI


def schemos(*args: str, stdin: bytes | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "schemos.cli", *args], input=stdin,
                          capture_output=True, env={**os.environ, **(env or {})},
                          check=False, timeout=120)


def test_cli_generate_authorize_sign_verify(tmp_path: Path, seed: dict) -> None:
    keys = tmp_path / "keys"
    r = schemos("archive", "--generate-key", "--key-dir", str(keys))
    assert r.returncode == 0, r.stderr
    assert (keys / "signing-key.pub").exists() and (keys / "signing-key.sec").exists()
    r = schemos("archive", "--generate-key", "--key-dir", str(keys))
    assert r.returncode == 1 and b"key pair exists" in r.stderr
    acl = tmp_path / "acl"
    r = schemos("archive", "--authorize", "--acl", str(acl),
                stdin=(keys / "signing-key.pub").read_bytes())
    assert r.returncode == 0, r.stderr
    r = schemos("archive", "--authorize", "--acl", str(acl), stdin=b"(private-key)")
    assert r.returncode == 1 and b"does not denote a public key" in r.stderr

    info = make_narinfo("/gnu/store/" + "a" * 32 + "-x", bytes(32), 8, [])
    (tmp_path / "x.narinfo").write_text(info.to_text())
    r = schemos("narinfo", "sign", str(tmp_path / "x.narinfo"), "--key-dir", str(keys),
                "--host", "example.org")
    assert r.returncode == 0, r.stderr
    (tmp_path / "signed.narinfo").write_bytes(r.stdout)
    r = schemos("narinfo", "verify", str(tmp_path / "signed.narinfo"), "--acl", str(acl))
    assert r.returncode == 0, r.stderr
    assert b"valid signature by example.org" in r.stdout
    r = schemos("narinfo", "verify", str(tmp_path / "signed.narinfo"),
                env={"SCHEMOS_CONFIG_DIR": str(tmp_path / "nothing")})
    assert r.returncode == 1 and b"no such ACL file" in r.stderr


def test_cli_verify_the_seed(tmp_path: Path, seed: dict) -> None:
    (tmp_path / "hello.narinfo").write_text(seed["narinfo_text"])
    (tmp_path / "berlin.pub").write_text(seed["public_key_sexp"])
    r = schemos("narinfo", "verify", str(tmp_path / "hello.narinfo"),
                "--key", str(tmp_path / "berlin.pub"))
    assert r.returncode == 0, r.stderr
    assert b"valid signature by berlin.guix.gnu.org" in r.stdout
    assert b"8D156F295D24B0D9A86FA5741A840FF2D24F60F7B6C4134814AD55625971B394" in r.stdout
    # tampered: one byte of the signed text
    (tmp_path / "bad.narinfo").write_text(seed["narinfo_text"].replace("hello-2.10\nURL",
                                                                       "hello-2.11\nURL"))
    r = schemos("narinfo", "verify", str(tmp_path / "bad.narinfo"),
                "--key", str(tmp_path / "berlin.pub"))
    assert r.returncode == 1 and b"hash-mismatch" in r.stderr
    # an ACL without that key
    acl = tmp_path / "acl"
    pki.authorize_key(pki.generate_key_pair().public, acl)
    r = schemos("narinfo", "verify", str(tmp_path / "hello.narinfo"), "--acl", str(acl))
    assert r.returncode == 1 and b"unauthorized-key" in r.stderr
    # a malformed narinfo names its line
    (tmp_path / "broken.narinfo").write_text(seed["narinfo_text"].replace("NarSize: ", "NarSize "))
    r = schemos("narinfo", "verify", str(tmp_path / "broken.narinfo"),
                "--key", str(tmp_path / "berlin.pub"))
    assert r.returncode == 1 and b"broken.narinfo:9:0: malformed narinfo line" in r.stderr


def test_acl_file_errors_name_the_file(tmp_path: Path) -> None:
    """A named ACL that is missing, unreadable or malformed is an error naming the file
    (with the line and column of a syntax error) and a hint; a missing default ACL is
    still just no keys."""
    from schemos.report import format_error

    missing = tmp_path / "missing"
    assert pki.load_acl(missing) == []
    with pytest.raises(SchemeError) as e:
        pki.load_acl(missing, required=True)
    assert format_error(e.value).startswith(f"{missing}: no such ACL file\nhint: ")
    with pytest.raises(SchemeError) as e:
        pki.load_acl(tmp_path, required=True)          # a directory: cannot be read
    assert f"cannot read the ACL file {tmp_path}" in format_error(e.value)
    bad = tmp_path / "bad"
    bad.write_text("(acl\n (entry (public-key (ecc (curve Ed25519) (q #0#))) "
                   "(tag (guix import))))\n")
    with pytest.raises(SchemeError) as e:
        pki.load_acl(bad)
    text = format_error(e.value)
    assert text.startswith(f"{bad}:2:44: invalid S-expression: odd number of hex digits\n")
    assert "\n 2 |  (entry" in text and "hint: an ACL file is (acl (entry" in text
    bad.write_text("(not-an-acl)")
    with pytest.raises(SchemeError) as e:
        pki.load_acl(bad)
    assert format_error(e.value).startswith(f"{bad}: invalid access-control list")
    # without a file name, the byte offset, as before
    with pytest.raises(SchemeError, match="invalid S-expression at byte 0"):
        parse("garbage")
