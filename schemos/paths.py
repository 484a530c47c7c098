"""Where schemos finds its grammar and Scheme standard library."""

from pathlib import Path

#: the checkout (or installed tree) holding grammar/ and stdlib/
ROOT = Path(__file__).resolve().parent.parent
GRAMMAR_DIR = ROOT / "grammar"
STDLIB_DIR = ROOT / "stdlib"
