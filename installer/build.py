"""Build CLSPD Desktop: licence texts, the PyInstaller bundle, its self-test, the Windows installer, SHA-256.

    python installer/build.py                  # bundle + self-test (+ installer on Windows)
    python installer/build.py --no-installer   # bundle + self-test only, even on Windows

Outputs go to installer/dist/ (ignored by git). The installer step needs Inno Setup 6 (ISCC.exe), found
through the ISCC environment variable, the PATH, or its default install folders. Exit code 0 only if every
step succeeded. See installer/README-build.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import version_info
from version_info import numeric_version

INSTALLER_DIR = Path(__file__).resolve().parent
ROOT = INSTALLER_DIR.parent
SPEC = INSTALLER_DIR / "clspd-desktop.spec"
ISS = INSTALLER_DIR / "clspd-desktop.iss"
CONSTRAINTS = INSTALLER_DIR / "constraints.txt"
# Pinned for building the wheel (build isolation), never bundled (the spec excludes it), and every virtualenv
# comes with its own copy that nothing asks pip to replace.
NOT_BUNDLED = {"setuptools"}
LICENSE = ROOT / "LICENSE"
BUNDLE_NAME = "clspd-desktop"
SELF_TEST_TIMEOUT = 300


class BuildError(Exception):
    """A step failed; the message says which and what to do."""


def project_version() -> str:
    """pyproject.toml is the source of truth; the installed metadata (copied into the bundle) must agree."""
    version = version_info.project_version()
    try:
        installed = metadata.version("clspd-desktop")
    except metadata.PackageNotFoundError as exc:
        raise BuildError("clspd-desktop n'est pas installé dans cet environnement : lancez "
                         "« python -m pip install -c installer/constraints.txt -e \".[test]\" » à la racine "
                         "du dépôt.") from exc
    if installed != version:
        raise BuildError(f"pyproject.toml indique {version} mais l'environnement a {installed} : "
                         "relancez « python -m pip install --no-deps -e . » avant de construire.")
    return version


def unpinned_versions() -> list[str]:
    """Installed packages whose version differs from constraints.txt: the build would not be reproducible."""
    differing = []
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        pin = re.match(r"([A-Za-z0-9_.\-]+)==([^;\s]+)", line)
        if not pin or pin.group(1) in NOT_BUNDLED:
            continue
        try:
            installed = metadata.version(pin.group(1))
        except metadata.PackageNotFoundError:
            continue  # a package for another platform
        if installed != pin.group(2):
            differing.append(f"{pin.group(1)} {installed} (épinglé : {pin.group(2)})")
    return differing


def check_pinned_versions() -> None:
    """The bundle ships what was tested: any version other than the constraints file's stops the build."""
    differing = unpinned_versions()
    if differing:
        raise BuildError("versions différentes de installer/constraints.txt : " + " ; ".join(differing)
                         + ". Installez les versions épinglées : "
                         "python -m pip install -c installer/constraints.txt -e \".[test]\"")


def executable(bundle: Path) -> Path:
    return bundle / (f"{BUNDLE_NAME}.exe" if sys.platform == "win32" else BUNDLE_NAME)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def collect_licences(work: Path) -> Path:
    """The licences of the packages being bundled, in the work folder: the tracked resources/licenses/ (what
    a wheel ships) is never rewritten by a build; the spec takes this copy (CLSPD_LICENSES_DIR)."""
    sys.path.insert(0, str(INSTALLER_DIR))
    try:
        from collect_licenses import collect
    finally:
        sys.path.pop(0)
    out = work / "licenses"
    print(f"{len(collect(out))} composants tiers, textes dans {out}")
    return out


def build_bundle(dist: Path, work: Path, licences: Path) -> Path:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    env = {**os.environ, "CLSPD_LICENSES_DIR": str(licences)}
    if subprocess.run(command, cwd=ROOT, env=env).returncode != 0:
        raise BuildError("PyInstaller a échoué (voir les messages ci-dessus).")
    bundle = dist / BUNDLE_NAME
    if not executable(bundle).is_file():
        raise BuildError(f"exécutable absent : {executable(bundle)}")
    return bundle


def run_self_test(bundle: Path) -> None:
    """The frozen app's own --self-test, offscreen; its report file is printed (a windowed exe has no stdout)."""
    sys.path.insert(0, str(ROOT))
    from clspd_desktop.self_test import default_report_path

    report = default_report_path()
    report.unlink(missing_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    try:
        done = subprocess.run([str(executable(bundle)), "--self-test"], env=env, capture_output=True,
                              timeout=SELF_TEST_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise BuildError(f"l'autotest n'a pas fini en {SELF_TEST_TIMEOUT} s") from exc
    if report.is_file():
        print(report.read_text(encoding="utf-8"), end="")
    else:
        print(done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"), sep="\n")
    if done.returncode != 0:
        print(done.stderr.decode("utf-8", "replace"))
        raise BuildError(f"l'autotest du paquet a échoué (code {done.returncode}).")


def find_iscc() -> Path | None:
    candidates = [os.environ.get("ISCC", ""), shutil.which("iscc") or "", shutil.which("ISCC") or ""]
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES"),
                 os.path.join(os.environ.get("LOCALAPPDATA", ""), "Programs")):
        if base:
            candidates.append(os.path.join(base, "Inno Setup 6", "ISCC.exe"))
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def licence_for_installer(work: Path) -> Path:
    """LICENSE with a UTF-8 byte order mark: Inno Setup reads a .txt licence without one as ANSI (‘ ’ — garbled)."""
    work.mkdir(parents=True, exist_ok=True)
    target = work / "LICENCE-EUPL-1.2.txt"
    target.write_text(LICENSE.read_text(encoding="utf-8"), encoding="utf-8-sig")
    return target


def iscc_arguments(bundle: Path, dist: Path, version: str, *defines: str, licence: Path,
                   path: Callable[[Path], str] = str) -> list[str]:
    """ISCC's arguments for this build; check_installer.py adds WineCheck and turns paths into wine's."""
    numeric = ".".join(str(n) for n in numeric_version(version))
    return [f"/DAppVersion={version}", f"/DNumericVersion={numeric}", f"/DBundleDir={path(bundle)}",
            f"/DLicenseFile={path(licence)}", *(f"/D{define}" for define in defines), f"/O{path(dist)}",
            path(ISS)]


def installer_path(dist: Path, version: str) -> Path:
    return dist / f"clspd-desktop-{version}-installation.exe"


def build_installer(bundle: Path, dist: Path, work: Path, version: str) -> Path:
    iscc = find_iscc()
    if iscc is None:
        raise BuildError("Inno Setup 6 (ISCC.exe) introuvable : installez-le (voir installer/README-build.md), "
                         "indiquez son chemin dans la variable ISCC, ou relancez avec --no-installer.")
    arguments = iscc_arguments(bundle, dist, version, licence=licence_for_installer(work))
    if subprocess.run([str(iscc), *arguments], cwd=INSTALLER_DIR).returncode != 0:
        raise BuildError("Inno Setup a échoué (voir les messages ci-dessus).")
    setup = installer_path(dist, version)
    if not setup.is_file():
        raise BuildError(f"installateur absent : {setup}")
    return setup


def write_bundle_sums(bundle: Path, dist: Path, version: str) -> Path:
    """One line per file of the bundle: the SHA-256 of this list identifies the whole folder."""
    lines = [f"{sha256(p)}  {p.relative_to(bundle).as_posix()}"
             for p in sorted(bundle.rglob("*")) if p.is_file()]
    target = dist / f"clspd-desktop-{version}-{sys.platform}-SHA256SUMS.txt"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Construit le paquet CLSPD Desktop et son installateur.")
    parser.add_argument("--no-installer", action="store_true", help="ne construit pas l'installateur Windows")
    parser.add_argument("--dist", type=Path, default=INSTALLER_DIR / "dist", help="dossier des résultats")
    parser.add_argument("--work", type=Path, default=INSTALLER_DIR / "build", help="dossier de travail")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        step("Version")
        version = project_version()
        print(f"CLSPD Desktop {version}, Python {sys.version.split()[0]}, {sys.platform}")
        check_pinned_versions()
        step("Licences des composants tiers")
        licences = collect_licences(args.work.resolve())
        step("Paquet PyInstaller (onedir)")
        bundle = build_bundle(args.dist.resolve(), args.work.resolve(), licences)
        step("Autotest du paquet (--self-test)")
        run_self_test(bundle)
        artefacts = [executable(bundle), write_bundle_sums(bundle, args.dist.resolve(), version)]
        step("Installateur Windows (Inno Setup)")
        if sys.platform != "win32":
            print("Étape ignorée : l'installateur se construit sous Windows.")
        elif args.no_installer:
            print("Étape ignorée (--no-installer).")
        else:
            artefacts.append(build_installer(bundle, args.dist.resolve(), args.work.resolve(), version))
    except BuildError as exc:
        print(f"\nÉCHEC : {exc}", file=sys.stderr)
        return 1
    step(f"SHA-256 des résultats ({time.monotonic() - started:.0f} s)")
    for artefact in artefacts:
        print(f"{sha256(artefact)}  {artefact}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
