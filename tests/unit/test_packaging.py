"""pyproject.toml and installer/constraints.txt: what a build installs and ships, checked without building.

The wheel itself is built and installed by tests/reliability/test_wheel_install.py.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from clspd_desktop.paths import app_licence_text, resources_dir

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Dependencies whose internals we patch or whose next major version we have not tested.
BOUNDED = ("PySide6-Essentials", "sqlite-utils", "reportlab", "py7zr", "pillow", "icalendar", "holidays",
           "openpyxl", "keyring")


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "installer" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line.strip())
        if match:
            found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def test_every_sub_package_is_listed_and_resources_are_mapped_into_the_package():
    """pyproject lists its packages (packages.find cannot map resources/): a new one must be added there."""
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "clspd_desktop").rglob("__init__.py")}
    config = PYPROJECT["tool"]["setuptools"]

    assert set(config["packages"]) == found | {"clspd_desktop.resources"}, "à ajouter dans pyproject.toml"
    assert config["package-dir"] == {"clspd_desktop.resources": "resources"}
    assert config["package-data"]["clspd_desktop.resources"] == ["**/*"]
    assert (ROOT / "resources" / "__init__.py").is_file()


def test_a_checkout_uses_its_own_resources_folder():
    assert resources_dir() == ROOT / "resources"


def test_licence_is_the_eupl_text_declared_as_an_spdx_expression():
    project = PYPROJECT["project"]

    assert project["license"] == "EUPL-1.2"
    assert project["license-files"] == ["LICENSE"]
    assert not any(c.startswith("License ::") for c in project.get("classifiers", []))  # SPDX replaces them
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2\nEUPL © the European Union 2007, 2016")
    assert "15.Applicable Law" in text and "Appendix" in text
    assert app_licence_text() == text
    build_requires = [Requirement(r) for r in PYPROJECT["build-system"]["requires"]]
    assert any(r.name == "setuptools" and not r.specifier.contains("76.9") for r in build_requires)


def test_the_app_is_a_gui_script():
    assert PYPROJECT["project"]["gui-scripts"] == {"clspd-desktop": "clspd_desktop.__main__:main"}
    assert "scripts" not in PYPROJECT["project"]  # a console script opens a console window on Windows


def test_runtime_dependencies_have_upper_bounds():
    requirements = {Requirement(r).name: Requirement(r) for r in PYPROJECT["project"]["dependencies"]}
    for name in BOUNDED:
        assert any(spec.operator == "<" for spec in requirements[name].specifier), name


def test_every_dependency_is_pinned_within_its_bounds():
    pinned = pins()
    declared = PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["test"]
    for requirement in map(Requirement, declared):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} absent de installer/constraints.txt"
        assert requirement.specifier.contains(pinned[name]), f"{requirement.name}=={pinned[name]} hors de {requirement}"
    build_backend = next(Requirement(r) for r in PYPROJECT["build-system"]["requires"])
    assert build_backend.specifier.contains(pinned["setuptools"])


def test_tracked_third_party_licences_match_the_pinned_versions():
    """The wheel ships resources/licenses/ as tracked: rerun installer/collect_licenses.py after moving a pin."""
    pinned = pins()
    index = json.loads((resources_dir() / "licenses" / "index.json").read_text(encoding="utf-8"))
    for entry in index:
        if entry["name"] != "Python":
            assert pinned.get(canonicalize_name(entry["name"])) == entry["version"], entry["name"]


def test_exe_version_resource_comes_from_pyproject(monkeypatch):
    """installer/version_info.py: what Explorer's « Détails » tab shows (applied on Windows by the spec)."""
    monkeypatch.syspath_prepend(str(ROOT / "installer"))
    import version_info

    version = PYPROJECT["project"]["version"]
    strings = version_info.version_strings(version)

    assert version_info.project_version() == version
    assert strings["ProductName"] == "CLSPD Desktop" and strings["CompanyName"] == "CLSPD Desktop"
    assert strings["ProductVersion"] == version and strings["OriginalFilename"] == "clspd-desktop.exe"
    assert version_info.numeric_version("0.1.0") == (0, 1, 0, 0)
    assert version_info.numeric_version("1.2.3rc1") == (1, 2, 3, 0)
    assert version_info.numeric_version("2.0.1.7") == (2, 0, 1, 7)
