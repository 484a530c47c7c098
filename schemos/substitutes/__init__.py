"""Substitutes: prebuilt store items served as narinfo + NAR files, signed.

The modules follow the path of a substitute:

- :mod:`schemos.substitutes.narinfo` — the ``.narinfo`` text format;
- :mod:`schemos.substitutes.sexp` — libgcrypt's S-expressions, in which keys,
  signatures and the ACL are written;
- :mod:`schemos.substitutes.ecc` — ECDSA over the Ed25519 curve, as
  libgcrypt computes it;
- :mod:`schemos.substitutes.pki` — key pairs, signatures and the ACL in the
  files Guix writes (``signing-key.pub``, ``signing-key.sec``, ``/etc/guix/acl``);
- :mod:`schemos.substitutes.publish` — writing a static binary cache and
  serving it over HTTP;
- :mod:`schemos.substitutes.client` — fetching, checking and adding items to a
  store; :mod:`schemos.substitutes.weather` — availability statistics.
"""

from __future__ import annotations

from schemos.datum import SourceLoc
from schemos.errors import Condition, SchemeError


def substitute_error(key: str, message: str, *, loc: SourceLoc | None = None,
                     hint: str | None = None, who: str | None = None) -> SchemeError:
    """A condition of type ``key`` (``narinfo-error``, ``signature-error`` …)."""
    return SchemeError(Condition(key, message, who=who, loc=loc, hint=hint))
