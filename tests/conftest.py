"""Pytest plugin: every ``tests/**/*.scm`` file is an SRFI-64 test file.

Each file (except those in a ``data`` directory) becomes one test item,
named after the file's stem, run in a fresh :class:`~schemos.interp.Interpreter`.
The item fails if an assertion fails, if the file raises an uncaught error,
or if no assertion ran at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


class SchemeTestFailure(Exception):
    """Raised by :class:`SchemeTestItem` with the text of its failure report."""


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """Collect ``*.scm`` files under ``tests/`` as SRFI-64 test files.

    Files inside a ``data`` directory are fixtures that tests load, not tests.
    """
    if file_path.suffix != ".scm":
        return None
    try:
        rel = file_path.relative_to(parent.config.rootpath)
    except ValueError:
        rel = Path(file_path.name)
    if "data" in rel.parent.parts:
        return None
    return SchemeTestFile.from_parent(parent, path=file_path)


class SchemeTestFile(pytest.File):
    """A ``.scm`` file: one item that runs the whole file."""

    def collect(self) -> Any:
        """Yield the single item of the file."""
        yield SchemeTestItem.from_parent(self, name=self.path.stem)


class SchemeTestItem(pytest.Item):
    """Runs one SRFI-64 file with schemos."""

    def runtest(self) -> None:
        """Run the file; raise :class:`SchemeTestFailure` unless everything passed."""
        from schemos.srfi64 import run_scheme_test_file

        report = run_scheme_test_file(self.path).failure_report()
        if report is not None:
            raise SchemeTestFailure(report)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> Any:
        """Show the failing assertions instead of a Python traceback."""
        if isinstance(excinfo.value, SchemeTestFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        """Where the item comes from, for pytest's report."""
        return self.path, 0, f"scheme: {self.name}"
