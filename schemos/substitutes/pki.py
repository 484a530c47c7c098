"""Keys, signatures and the ACL, in the files and formats Guix uses.

- A key pair is two S-expression files, as ``guix archive --generate-key``
  writes them (libgcrypt's ``(genkey (ecdsa (curve Ed25519) (flags
  rfc6979)))``): ``signing-key.pub`` holds ``(public-key (ecc (curve
  Ed25519) (q #…#)))`` and ``signing-key.sec`` ``(private-key (ecc (curve
  Ed25519) (q #…#) (d #…#)))``.
- A signature (``(guix pki)``'s ``signature-sexp``) is ``(signature (data
  (flags rfc6979) (hash sha256 #…#)) (sig-val (ecdsa (r #…#) (s #…#)))
  (public-key …))``; a narinfo carries it as ``Signature:
  1;HOST;BASE64`` where BASE64 encodes the advanced-format text, and it
  signs the SHA-256 of the narinfo text before the ``Signature`` line.
- The ACL (``/etc/guix/acl``) is ``(acl (entry (public-key …) (tag (guix
  import))) …)``.

Verification reports Guix's cases (``signature-case`` in ``(guix pki)``):
``valid-signature``, ``invalid-signature``, ``hash-mismatch``,
``unauthorized-key`` and ``corrupt-signature``, plus ``unsigned``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from schemos.errors import SchemeError
from schemos.substitutes import ecc, substitute_error
from schemos.substitutes.narinfo import Narinfo
from schemos.substitutes.sexp import Sexp, find_token, parse, to_advanced, value

PUBLIC_KEY_FILE = "signing-key.pub"
SECRET_KEY_FILE = "signing-key.sec"
ACL_FILE = "acl"
#: what ``guix archive --generate-key`` asks libgcrypt for
KEY_GENERATION_PARAMETERS = "(genkey (ecdsa (curve Ed25519) (flags rfc6979)))"


def key_error(message: str, hint: str | None = None) -> Exception:
    """A ``key-error`` condition."""
    return substitute_error("key-error", message, hint=hint)


def _usg(n: int) -> bytes:
    """An unsigned MPI as libgcrypt's ``%M`` writes it: big-endian, no leading zeros."""
    return n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")


def _std(n: int) -> bytes:
    """A non-negative MPI as ``%m`` writes it: with a 0 byte if the top bit is set."""
    return n.to_bytes(n.bit_length() // 8 + 1, "big") if n else b"\0"


@dataclass(frozen=True)
class PublicKey:
    """An ECDSA public key on Ed25519: the point and the S-expression it came in."""

    point: ecc.Point
    sexp: Sexp

    @classmethod
    def from_point(cls, point: ecc.Point) -> PublicKey:
        """The key for ``point``, with the S-expression libgcrypt would write."""
        q = ecc.encode_point(point)
        return cls(point, [b"public-key", [b"ecc", [b"curve", b"Ed25519"], [b"q", q]]])

    @property
    def q(self) -> bytes:
        """The 32-byte encoding of the point."""
        return ecc.encode_point(self.point)

    def to_text(self) -> str:
        """The key in the advanced format of ``signing-key.pub``."""
        return to_advanced(self.sexp)

    def fingerprint(self) -> str:
        """The point in upper-case hex, as the key files show it."""
        return self.q.hex().upper()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and self.q == other.q

    def __repr__(self) -> str:
        return f"<PublicKey Ed25519 {self.fingerprint()}>"

    def __hash__(self) -> int:
        return hash(self.q)


@dataclass(frozen=True)
class SecretKey:
    """An ECDSA secret key on Ed25519: the scalar ``d`` and its public key."""

    d: int
    public: PublicKey

    def __repr__(self) -> str:
        return f"<SecretKey for {self.public.fingerprint()}>"

    def to_text(self) -> str:
        """The key in the advanced format of ``signing-key.sec``."""
        return to_advanced([b"private-key", [b"ecc", [b"curve", b"Ed25519"],
                                             [b"q", self.public.q], [b"d", _std(self.d)]]])


def generate_key_pair() -> SecretKey:
    """A fresh key pair (its public half is ``.public``)."""
    d = ecc.generate_secret()
    return SecretKey(d, PublicKey.from_point(ecc.public_point(d)))


def _ecc_params(sexp: Sexp, head: bytes, what: str) -> tuple[Sexp, bytes]:
    if not sexp or sexp[0] != head:
        raise key_error(f"S-expression does not denote a {what}",
                        hint=f"a {what} starts with ({head.decode()} (ecc …))")
    algo = sexp[1] if len(sexp) > 1 else None
    if not isinstance(algo, list) or not algo or algo[0] not in (b"ecc", b"ecdsa"):
        name = algo[0] if isinstance(algo, list) and algo else b"?"
        raise key_error(f"unsupported {what} algorithm: {name.decode(errors='replace')}",
                        hint="schemos handles Guix's default keys, ECDSA over Ed25519")
    curve = value(algo, b"curve")
    if curve is None or curve.lower() != b"ed25519":
        raise key_error(f"unsupported curve in {what}: "
                        f"{(curve or b'none').decode(errors='replace')}",
                        hint="schemos handles Guix's default keys, ECDSA over Ed25519")
    flags = find_token(algo, b"flags")
    if flags is not None and b"eddsa" in flags[1:]:
        raise key_error(f"EdDSA {what}s are not supported",
                        hint="Guix keys are ECDSA keys: (flags eddsa) is not used")
    q = value(algo, b"q")
    if q is None:
        raise key_error(f"{what} has no q parameter")
    return algo, q


def public_key_from_sexp(sexp: Sexp) -> PublicKey:
    """The public key ``sexp`` denotes; ``key-error`` if it is not one schemos handles."""
    _, q = _ecc_params(sexp, b"public-key", "public key")
    try:
        point = ecc.decode_point(q)
    except ecc.PointError as e:
        raise key_error(f"invalid public key: {e}") from None
    return PublicKey(point, sexp)


def read_public_key(text: str | bytes) -> PublicKey:
    """Parse a public key (the contents of a ``signing-key.pub``)."""
    return public_key_from_sexp(parse(text))


def read_secret_key(text: str | bytes) -> SecretKey:
    """Parse a secret key (the contents of a ``signing-key.sec``)."""
    sexp = parse(text)
    algo, q = _ecc_params(sexp, b"private-key", "private key")
    d_bytes = value(algo, b"d")
    if d_bytes is None:
        raise key_error("private key has no d parameter")
    d = int.from_bytes(d_bytes, "big")
    if not 0 < d < ecc.N:
        raise key_error("private key scalar d is out of range")
    point = ecc.public_point(d)
    try:
        stored = ecc.decode_point(q)
    except ecc.PointError as e:
        raise key_error(f"invalid private key: {e}") from None
    if ecc.encode_point(stored) != ecc.encode_point(point):
        raise key_error("private key is inconsistent: q is not d·G")
    return SecretKey(d, PublicKey.from_point(point))


# ------------------------------------------------------------------ key files

def default_config_dir() -> Path:
    """Where schemos keeps its key pair and ACL (Guix uses ``/etc/guix``).

    ``$SCHEMOS_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/schemos``, else
    ``~/.config/schemos``.
    """
    env = os.environ.get("SCHEMOS_CONFIG_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CONFIG_HOME")
    return Path(xdg or Path.home() / ".config") / "schemos"


def default_acl_file() -> Path:
    """The ACL consulted when no ``--acl`` is given."""
    return default_config_dir() / ACL_FILE


def _write_atomic(path: Path, text: str, mode: int) -> None:
    from schemos.fsutil import write_atomic

    write_atomic(path, text.encode("latin-1"))
    os.chmod(path, mode)


def write_key_pair(key: SecretKey, directory: str | Path) -> tuple[Path, Path]:
    """Write ``signing-key.pub`` (mode 444) and ``signing-key.sec`` (mode 400).

    Refuses to overwrite an existing pair, as ``guix archive`` does.
    """
    d = Path(directory)
    pub, sec = d / PUBLIC_KEY_FILE, d / SECRET_KEY_FILE
    if pub.exists() or sec.exists():
        raise key_error(f"key pair exists under '{d}'; remove it first")
    d.mkdir(parents=True, exist_ok=True)
    _write_atomic(sec, key.to_text(), 0o400)
    _write_atomic(pub, key.public.to_text(), 0o444)
    return pub, sec


def load_secret_key(directory: str | Path) -> SecretKey:
    """The secret key in ``directory/signing-key.sec``, checked against the ``.pub``."""
    d = Path(directory)
    try:
        key = read_secret_key((d / SECRET_KEY_FILE).read_bytes())
    except FileNotFoundError:
        raise key_error(f"no signing key in {d}",
                        hint="generate one with 'schemos archive --generate-key'") from None
    pub = d / PUBLIC_KEY_FILE
    if pub.exists() and read_public_key(pub.read_bytes()) != key.public:
        raise key_error(f"{pub} does not match {d / SECRET_KEY_FILE}")
    return key


# ------------------------------------------------------------------ ACL

def acl_sexp(keys: Iterable[PublicKey]) -> Sexp:
    """``(acl (entry KEY (tag (guix import))) …)``."""
    return [b"acl", *[[b"entry", k.sexp, [b"tag", [b"guix", b"import"]]] for k in keys]]


def acl_text(keys: Iterable[PublicKey]) -> str:
    """The ACL file for ``keys``, in the advanced format Guix writes."""
    return to_advanced(acl_sexp(keys))


def read_acl(text: str | bytes, filename: str | None = None) -> list[PublicKey]:
    """The keys an ACL authorizes for imports; ``key-error`` on a malformed ACL.

    ``filename`` (where ``text`` was read) is named in errors, with the line
    and column of a syntax error.
    """
    where = f"{filename}: " if filename else ""
    sexp = parse(text, filename)
    if not sexp or sexp[0] != b"acl":
        raise key_error(f"{where}invalid access-control list: it does not start with (acl …)",
                        hint=_ACL_HINT if filename else None)
    keys = []
    for entry in sexp[1:]:
        if not (isinstance(entry, list) and len(entry) == 3 and entry[0] == b"entry"
                and isinstance(entry[1], list)
                and entry[2] == [b"tag", [b"guix", b"import"]]):
            raise key_error(f"{where}invalid access-control list: expected "
                            "(entry (public-key …) (tag (guix import)))",
                            hint=_ACL_HINT if filename else None)
        keys.append(public_key_from_sexp(entry[1]))
    return keys


#: the hint of an error in an ACL file
_ACL_HINT = ("an ACL file is (acl (entry (public-key …) (tag (guix import))) …), as "
             "'schemos archive --authorize --acl FILE < KEY.pub' writes it")


def load_acl(path: str | Path, *, required: bool = False) -> list[PublicKey]:
    """The keys in the ACL file ``path``.

    A missing file has no keys, unless ``required`` (an ACL the user named):
    then it is a ``key-error``, as is a file that cannot be read or is not
    an ACL (located at the fault, with a hint).
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        if not required:
            return []
        raise key_error(f"{p}: no such ACL file",
                        hint="check the file name given to --acl; 'schemos archive "
                        "--authorize --acl FILE < KEY.pub' creates one") from None
    except OSError as e:
        raise key_error(f"cannot read the ACL file {p}: {e.strerror or e}",
                        hint="check the file's permissions, or give --acl another ACL") \
            from None
    try:
        return read_acl(data, str(p))
    except SchemeError as e:
        c = e.condition
        if c is not None:
            if c.loc is None and not c.message.startswith(f"{p}: "):
                c.message = f"{p}: {c.message}"
            if c.hint is None:
                c.hint = _ACL_HINT
        raise


def authorize_key(key: PublicKey, acl_path: str | Path) -> bool:
    """Add ``key`` to the ACL file (created if needed); False if it was already there."""
    p = Path(acl_path)
    keys = load_acl(p)
    if key in keys:
        return False
    p.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(p, acl_text([key, *keys]), 0o644)
    return True


# ------------------------------------------------------------------ signatures

def hash_data_sexp(digest: bytes) -> Sexp:
    """``(data (flags rfc6979) (hash sha256 #…#))`` (guile-gcrypt's ``bytevector->hash-data``)."""
    return [b"data", [b"flags", b"rfc6979"], [b"hash", b"sha256", digest]]


def sign_hash(digest: bytes, key: SecretKey) -> Sexp:
    """The signature S-expression of SHA-256 ``digest`` (``signature-sexp``)."""
    r, s = ecc.sign(key.d, digest)
    return [b"signature", hash_data_sexp(digest),
            [b"sig-val", [b"ecdsa", [b"r", _usg(r)], [b"s", _usg(s)]]],
            key.public.sexp]


def signature_field(signature: Sexp, host: str) -> str:
    """The value of a narinfo ``Signature`` field: ``1;HOST;BASE64``."""
    text = to_advanced(signature).encode("latin-1")
    return f"1;{host};{base64.b64encode(text).decode()}"


def sign_narinfo(info: Narinfo, key: SecretKey, host: str) -> Narinfo:
    """``info`` signed with ``key``: its text followed by a ``Signature`` line."""
    digest = hashlib.sha256(info.unsigned_text().encode("utf-8")).digest()
    return info.with_signature(signature_field(sign_hash(digest, key), host))


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking a signature: a Guix ``signature-case`` status."""

    status: str
    reason: str
    host: str | None = None
    signer: PublicKey | None = None

    @property
    def valid(self) -> bool:
        """True only for ``valid-signature``."""
        return self.status == "valid-signature"


def parse_signature_field(field: str) -> tuple[str, Sexp]:
    """(host, signature S-expression) of a ``Signature`` value; ``signature-error`` if bad."""
    parts = field.split(";")
    if len(parts) != 3:
        raise substitute_error("signature-error",
                               f"invalid format of the signature field: {field[:60]!r}")
    version, host, b64 = parts
    if not version.isdigit():
        raise substitute_error("signature-error",
                               f"signature version must be a number: {version!r}")
    if int(version) != 1:
        raise substitute_error("signature-error", f"unsupported signature version: {version}")
    try:
        text = base64.b64decode(b64, validate=True)
    except binascii.Error:
        raise substitute_error("signature-error", "signature is not valid base64") from None
    return host, parse(text)


def check_signature(signature: Sexp, digest: bytes, authorized: Iterable[PublicKey],
                    host: str | None = None) -> Verdict:
    """Check ``signature`` of SHA-256 ``digest`` against the ``authorized`` keys.

    The order of the checks is Guix's: the signer must be authorized, the
    signed hash must be ``digest``, and the signature must be valid.
    """
    subject = find_token(signature, b"public-key")
    data = find_token(signature, b"data")
    sig_val = find_token(signature, b"sig-val")
    if signature[:1] != [b"signature"] or subject is None or data is None or sig_val is None:
        return Verdict("corrupt-signature", "the signature lacks data, sig-val or public-key",
                       host)
    try:
        signer = public_key_from_sexp(subject)
    except Exception as e:
        return Verdict("corrupt-signature", f"unusable signer key: {_message(e)}", host)
    if signer not in set(authorized):
        return Verdict("unauthorized-key", f"signed by an unauthorized key "
                       f"({signer.fingerprint()})", host, signer)
    hash_list = find_token(data, b"hash")
    if (hash_list is None or len(hash_list) != 3 or hash_list[1] != b"sha256"
            or not isinstance(hash_list[2], bytes)):
        return Verdict("corrupt-signature", "the signed data is not a SHA-256 hash", host,
                       signer)
    if hash_list[2] != digest:
        return Verdict("hash-mismatch", "the signature is for different data (hash "
                       f"{hash_list[2].hex()}, expected {digest.hex()})", host, signer)
    ecdsa = find_token(sig_val, b"ecdsa")
    r, s = (value(ecdsa, b"r"), value(ecdsa, b"s")) if ecdsa is not None else (None, None)
    if r is None or s is None:
        return Verdict("invalid-signature", "the signature value is not an ECDSA (r, s)",
                       host, signer)
    if not ecc.verify(signer.point, digest, int.from_bytes(r, "big"),
                      int.from_bytes(s, "big")):
        return Verdict("invalid-signature", "the signature does not match the signed hash",
                       host, signer)
    return Verdict("valid-signature", f"valid signature by {host or 'unknown host'} "
                   f"(key {signer.fingerprint()})", host, signer)


def _message(e: Exception) -> str:
    c = getattr(e, "condition", None)
    return c.formatted_message() if c is not None else str(e)


def verify_narinfo(info: Narinfo, authorized: Iterable[PublicKey]) -> Verdict:
    """Check the signature of ``info`` (over its original text) against ``authorized``."""
    if info.signature is None:
        return Verdict("unsigned", "the narinfo has no Signature field")
    try:
        host, sig = parse_signature_field(info.signature)
    except Exception as e:
        return Verdict("corrupt-signature", _message(e))
    digest = hashlib.sha256(info.unsigned_text().encode("utf-8")).digest()
    return check_signature(sig, digest, authorized, host)
