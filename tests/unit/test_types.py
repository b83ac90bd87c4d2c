"""mypy, as configured in pyproject.toml ([tool.mypy]: basic mode on domain/, db/ and services/), stays clean.

Run through mypy's API from the repository root, so this is exactly what `mypy` alone reports there; its
incremental cache (.mypy_cache/, ignored by git) makes later runs quick.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parents[2]


def _mypy(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[str, int]:
    monkeypatch.chdir(ROOT)  # [tool.mypy] `files` and the cache are relative to the root
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), *args])
    return stdout + stderr, status


def test_domain_db_and_services_type_check(monkeypatch):
    report, status = _mypy(monkeypatch)
    assert status == 0, "mypy (pyproject.toml's [tool.mypy]):\n" + report


def test_the_check_itself_catches_an_unsaved_id_passed_as_an_int(monkeypatch, tmp_path):
    """The configuration does check annotated code: the commonest slip (an id that may be None) is reported."""
    sample = tmp_path / "sample.py"
    sample.write_text("def load(record_id: int) -> None: ...\n\n\n"
                      "def show(record_id: int | None) -> None:\n    load(record_id)\n", encoding="utf-8")
    report, status = _mypy(monkeypatch, str(sample))
    assert status == 1
    assert 'incompatible type "int | None"; expected "int"' in report
