"""Where schemos finds its grammar and Scheme standard library.

In a checkout (and an editable install) they are ``grammar/`` and
``stdlib/`` beside the ``schemos`` package; a regular install carries
copies in ``schemos/_share/`` (see setup.py).
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_SHARE = _PACKAGE / "_share"

#: the checkout (or installed tree) holding grammar/ and stdlib/
ROOT = _SHARE if (_SHARE / "stdlib").is_dir() else _PACKAGE.parent
GRAMMAR_DIR = ROOT / "grammar"
STDLIB_DIR = ROOT / "stdlib"
