"""Installs schemos' Scheme library and grammar with the Python package.

In a checkout, ``stdlib/`` and ``grammar/`` sit beside ``schemos/`` and an
editable install (``pip install -e .``) uses them in place.  A regular
install (``pip install .``, a wheel) copies them into the package as
``schemos/_share/stdlib`` and ``schemos/_share/grammar``, where
``schemos/paths.py`` finds them.  Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithShare(build_py):
    """``build_py`` that also copies stdlib/ and grammar/ into the package."""

    def run(self) -> None:
        super().run()
        share = Path(self.build_lib) / "schemos" / "_share"
        for name in ("stdlib", "grammar"):
            target = share / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(HERE / name, target,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithShare})
