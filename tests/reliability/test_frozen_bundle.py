"""The frozen bundle: built with the documented command, its own --self-test must pass offscreen.

The build takes 25-60 s on 2 cores (self-test included); it runs when CLSPD_BUILD_BUNDLE=1 (a missing
resource or hidden import then fails CI), and always in CI (CI=true). The installer script checks below always run: they are cheap.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from clspd_desktop import __version__
from clspd_desktop.paths import DATA_FOLDER_NAME
from clspd_desktop.self_test import REPORT_NAME

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
ISS = INSTALLER / "clspd-desktop.iss"
# CI (which sets CI=true) always builds, so a resource missing from the bundle fails the run.
BUILD_REQUESTED = os.environ.get("CLSPD_BUILD_BUNDLE", "1" if os.environ.get("CI") else "0") == "1"


def _iss_lines() -> list[str]:
    return [line.strip() for line in ISS.read_text(encoding="utf-8-sig").splitlines()
            if line.strip() and not line.strip().startswith(";")]


@pytest.mark.slow
@pytest.mark.skipif(not BUILD_REQUESTED,
                    reason="construction du paquet PyInstaller (~30 à 60 s) : lancer avec CLSPD_BUILD_BUNDLE=1 (automatique en CI)")
def test_bundle_builds_and_its_self_test_passes(tmp_path):
    dist, work = tmp_path / "dist", tmp_path / "build"
    tracked_index = ROOT / "resources" / "licenses" / "index.json"
    tracked_before = tracked_index.read_bytes()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path), "TEMP": str(tmp_path),
           "TMP": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    built = subprocess.run([sys.executable, str(INSTALLER / "build.py"), "--no-installer", "--dist", str(dist),
                            "--work", str(work)], cwd=ROOT, env=env, capture_output=True, text=True,
                           encoding="utf-8", timeout=900)
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]

    bundle = dist / "clspd-desktop"
    internal = bundle / "_internal"
    resources = internal / "clspd_desktop" / "resources"  # where a wheel puts them: found the same way
    assert (resources / "licenses" / "index.json").is_file()
    assert (work / "licenses" / "index.json").read_bytes() == (resources / "licenses" / "index.json").read_bytes()
    assert tracked_index.read_bytes() == tracked_before  # the build collects licences in its work folder
    assert (resources / "fonts" / "DejaVuSans.ttf").is_file()
    assert (internal / "LICENSE").read_text(encoding="utf-8") == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert not (internal / "resources").exists()
    translations = list(internal.rglob("translations/*.qm"))
    assert translations and all(p.name.endswith("_fr.qm") for p in translations)
    assert not list(internal.rglob("*QtWebEngine*")) and not list(internal.rglob("*Qt6Quick*"))

    report = (tmp_path / REPORT_NAME).read_text(encoding="utf-8")
    assert f"CLSPD Desktop {__version__}" in report  # the version reached the bundle (package metadata)
    assert "Résultat : tout fonctionne." in report and "ÉCHEC" not in report
    assert re.search(r"^[0-9a-f]{64}  .*SHA256SUMS\.txt$", built.stdout, re.M)

    # The self-test does not open the main window: start the bundle to its shown dashboard (screens are
    # imported by name, which PyInstaller's analysis cannot see). A crash would leave its dialog open: timeout.
    shown = subprocess.run([str(bundle / "clspd-desktop"), "--demo", "--data-dir", str(tmp_path / "donnees"),
                            "--exit-when-shown"], env=env, capture_output=True, text=True, encoding="utf-8",
                           timeout=180)
    assert shown.returncode == 0, shown.stderr[-4000:]
    if sys.platform != "win32":  # a windowed Windows executable has no stdout to print to
        assert "fenetre_affichee:" in shown.stdout


def test_iss_is_per_user_french_with_a_fixed_app_id():
    lines = _iss_lines()
    assert "PrivilegesRequired=lowest" in lines
    assert any(re.fullmatch(r"AppId=\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", line) for line in lines)
    assert 'Name: "french"; MessagesFile: "compiler:Languages\\French.isl"' in lines
    assert "DefaultDirName={#ProgramsDir}\\{#AppName}" in lines
    # {autopf} for Windows; only the wine check (WineCheck) uses the folder it means for a per-user install.
    text = "\n".join(lines)
    assert '#ifdef WineCheck\n#define ProgramsDir "{localappdata}\\Programs"\n#else\n#define ProgramsDir "{autopf}"' in text


def test_iss_never_deletes_the_data_folder():
    """Data lives in %LOCALAPPDATA%\\CLSPD Desktop; install lives in %LOCALAPPDATA%\\Programs\\CLSPD Desktop."""
    text = "\n".join(_iss_lines())
    assert "[UninstallDelete]" not in text
    deletions = [line for line in _iss_lines() if line.startswith("Type:")]
    assert deletions and all('Name: "{app}\\' in line for line in deletions)
    assert text.count("{localappdata}") == 1 and "{userappdata}" not in text  # the WineCheck define only
    assert DATA_FOLDER_NAME == "CLSPD Desktop"  # what the uninstall message tells the user


def test_files_named_in_the_iss_exist():
    for line in _iss_lines():
        match = re.match(r'(SetupIconFile=|#define LicenseFile ")([^"]+)', line)
        if match:
            assert (INSTALLER / match.group(2).replace("\\", "/")).is_file(), line


def test_iss_shows_and_installs_the_licence_and_carries_a_version_resource():
    lines = _iss_lines()
    assert "LicenseFile={#LicenseFile}" in lines
    assert any(line.startswith('Source: "{#LicenseFile}"; DestDir: "{app}"') for line in lines)
    for field in ("VersionInfoVersion", "VersionInfoProductName", "VersionInfoCompany", "VersionInfoProductTextVersion"):
        assert any(line.startswith(f"{field}=") for line in lines), field
