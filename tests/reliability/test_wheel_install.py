"""The wheel, as a new user would get it: built from the sdist, installed in a fresh virtualenv with the pinned
versions, started from a folder outside the checkout. About 30-60 s (the pip cache or the local index
provides PySide6); it runs in every `python -m pytest` because a missing resource only shows up here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from clspd_desktop import __version__
from clspd_desktop.self_test import REPORT_NAME

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
CONSTRAINTS = ROOT / "installer" / "constraints.txt"
# Never copied into the build tree: outputs of earlier builds and caches (a stale egg-info would leak in).
NOT_SOURCES = shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", "build", "dist", ".venv", ".pytest_cache",
                                     ".ruff_cache", ".hypothesis", "screenshots-tmp")


def shipped_resources() -> set[str]:
    """Every resource file of the checkout, as the wheel must carry it (inside the package)."""
    return {f"clspd_desktop/resources/{p.relative_to(RESOURCES).as_posix()}" for p in RESOURCES.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


def clean_env(**extra: str) -> dict[str, str]:
    """No display, no Qt platform, no PYTHONPATH: what a user's fresh shell has (plus `extra`)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "VIRTUAL_ENV")}
    return {**env, "PYTHONIOENCODING": "utf-8", **extra}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """sdist, then the wheel from the sdist (`python -m build`), from a copy so the checkout stays untouched."""
    pytest.importorskip("build.__main__", reason="le paquet « build » vient avec les outils de test : pip install -e \".[test]\"")
    work = tmp_path_factory.mktemp("construction")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    out = work / "dist"
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], capture_output=True,
                          text=True, encoding="utf-8", env=clean_env(PIP_CONSTRAINT=str(CONSTRAINTS)), timeout=600,
                          cwd=work)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return {"wheel": next(out.glob("*.whl")), "sdist": next(out.glob("*.tar.gz"))}


@pytest.fixture(scope="module")
def installed(built, tmp_path_factory) -> Path:
    """A fresh virtualenv (under a path with accents and spaces) with the wheel and the pinned versions."""
    env_dir = tmp_path_factory.mktemp("venv") / "Élodie Müller" / "env clspd"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                           "-c", str(CONSTRAINTS), str(built["wheel"])], capture_output=True, text=True,
                          encoding="utf-8", env=clean_env(), timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return env_dir


def command(env_dir: Path) -> Path:
    return env_dir / ("Scripts/clspd-desktop.exe" if os.name == "nt" else "bin/clspd-desktop")


@pytest.mark.slow
def test_the_wheel_carries_every_resource_and_the_licence(built):
    with zipfile.ZipFile(built["wheel"]) as wheel:
        names = set(wheel.namelist())
        dist_info = f"clspd_desktop-{__version__}.dist-info"
        metadata = wheel.read(f"{dist_info}/METADATA").decode("utf-8")
        licence = wheel.read(f"{dist_info}/licenses/LICENSE").decode("utf-8")
        entry_points = wheel.read(f"{dist_info}/entry_points.txt").decode("utf-8")

    resources = {name for name in names if name.startswith("clspd_desktop/resources/")}
    assert resources == shipped_resources()
    for kind in ("demo", "fonts", "icons", "licenses", "rules", "screenshots"):
        assert any(name.startswith(f"clspd_desktop/resources/{kind}/") for name in resources), kind
    assert "clspd_desktop/resources/licenses/index.json" in resources
    assert not any(name.startswith("resources/") for name in names)  # inside the package, not beside it
    assert "License-Expression: EUPL-1.2" in metadata
    assert licence == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "[gui_scripts]\nclspd-desktop = clspd_desktop.__main__:main" in entry_points
    assert "[console_scripts]" not in entry_points


@pytest.mark.slow
def test_the_sdist_carries_the_resources_folder_and_the_licence(built):
    with tarfile.open(built["sdist"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    expected = {name.replace("clspd_desktop/resources/", "resources/") for name in shipped_resources()}
    assert expected <= names
    assert {"LICENSE", "pyproject.toml", "README.md", "resources/__init__.py"} <= names


@pytest.mark.slow
def test_installed_wheel_self_tests_without_a_display_from_outside_the_checkout(installed, tmp_path):
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()

    done = subprocess.run([str(command(installed)), "--self-test"], cwd=elsewhere, capture_output=True, text=True,
                          encoding="utf-8", timeout=300,
                          env=clean_env(TMPDIR=str(tmp_path), TEMP=str(tmp_path), TMP=str(tmp_path),
                                        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring"))

    report = (tmp_path / REPORT_NAME).read_text(encoding="utf-8")
    assert done.returncode == 0, report + done.stderr[-3000:]
    assert "Résultat : tout fonctionne." in report
    resources_line = next(line for line in report.splitlines() if "Ressources de l'application" in line)
    assert resources_line.startswith("OK ") and str(installed) in resources_line  # the installed copy's
    qt_line = next(line for line in report.splitlines() if "Interface Qt" in line)
    assert qt_line.startswith("OK ") and "offscreen" in qt_line and "hors écran" in qt_line
    assert not list(tmp_path.glob("clspd-autotest-*"))  # its scratch folder is gone


@pytest.mark.slow
def test_installed_wheel_starts_the_demo_to_a_shown_window(installed, tmp_path):
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    data = tmp_path / "Données de Élodie"

    done = subprocess.run([str(command(installed)), "--demo", "--data-dir", str(data), "--exit-when-shown"],
                          cwd=elsewhere, capture_output=True, text=True, encoding="utf-8", timeout=300,
                          env=clean_env(QT_QPA_PLATFORM="offscreen"))

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "fenetre_affichee:" in done.stdout
    assert (data / "demo" / "clspd.sqlite").is_file()
