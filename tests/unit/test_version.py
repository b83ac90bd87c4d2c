"""One version number: the package's constant must match pyproject.toml (the installer reads the latter)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import clspd_desktop


def test_package_version_matches_pyproject():
    pyproject = Path(clspd_desktop.__file__).parent.parent / "pyproject.toml"
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    assert clspd_desktop.__version__ == declared
