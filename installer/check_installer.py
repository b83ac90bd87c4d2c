"""Compile clspd-desktop.iss with the real Inno Setup compiler and try the installer, on Linux, under wine.

    python installer/check_installer.py                 # builds the Linux bundle first (1-2 min)
    python installer/check_installer.py --bundle DIR    # reuses a bundle (installer/dist/clspd-desktop)

What it proves: the script compiles (ISCC.exe 6.4 from the npm registry's `innosetup` package), the installer
installs silently for the current user only (/CURRENTUSER), puts the program files, the EUPL-1.2 text, the
Start-menu entries (normal and demo) and an uninstaller in place, carries its version resource, and its
uninstaller removes all of that but keeps the user's data folder. What it cannot prove: the payload is the
Linux bundle (renamed .exe, never started: PyInstaller cannot cross-compile), so the Windows exe itself is
built and self-tested by .github/workflows/windows.yml.

Needs Debian's wine (`dpkg --add-architecture i386 && apt-get update && apt-get install wine wine32 wine64`),
xvfb-run (package xvfb) and npm. Debian's wine 8 cannot expand {autopf} for a per-user install, so this build
defines WineCheck, which installs into {localappdata}\\Programs, where {autopf} points on Windows for a
per-user install. About 15 minutes on 2 cores (mostly ISCC compressing the bundle under wine): too heavy
for every CI run (see installer/README-build.md).
Exit code 0 only if every check passed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

INSTALLER_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(INSTALLER_DIR))
import build  # noqa: E402 - installer/build.py, next to this file

INNOSETUP_NPM = "innosetup@6.4.1"
APP_NAME = "CLSPD Desktop"
APP_ID = "{984F38E6-20A1-463A-A941-0EC672A9AF73}"
DATA_FOLDER = "CLSPD Desktop"  # clspd_desktop.paths.DATA_FOLDER_NAME, in %LOCALAPPDATA%
WINE_TIMEOUT = 600


class CheckFailed(Exception):
    """A step could not run at all (missing tool, compile error): the remaining checks are meaningless."""


class Checks:
    """One French line per check, as the app's self-test prints them; the exit code counts the failures."""

    def __init__(self) -> None:
        self.failures = 0

    def expect(self, ok: bool, title: str, detail: str = "") -> bool:
        self.failures += not ok
        print(f"{'OK' if ok else 'ÉCHEC':<6} {title}{' : ' + detail if detail else ''}", flush=True)
        return ok


def run(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, errors="replace",
                          timeout=WINE_TIMEOUT)
    if done.returncode != 0:
        raise CheckFailed(f"« {' '.join(command)} » a échoué (code {done.returncode}) :\n"
                          f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def iscc_exe(cache: Path) -> Path:
    """ISCC.exe from the npm registry's `innosetup` package (the real compiler, Inno Setup 6.4)."""
    if os.environ.get("ISCC_EXE"):
        return Path(os.environ["ISCC_EXE"])
    target = cache / INNOSETUP_NPM.replace("@", "-")
    iscc = target / "package" / "bin" / "ISCC.exe"
    if not iscc.is_file():
        if not shutil.which("npm"):
            raise CheckFailed("npm introuvable : installez-le (Debian : apt-get install npm) ou indiquez ISCC_EXE.")
        target.mkdir(parents=True, exist_ok=True)
        tarball = run(["npm", "pack", INNOSETUP_NPM, "--silent"], cwd=target).strip().splitlines()[-1]
        shutil.unpack_archive(target / tarball, target)
    return iscc


class WinePrefix:
    """A throw-away wine prefix: a fresh Windows user profile, removed at the end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {**os.environ, "WINEPREFIX": str(root), "WINEDEBUG": "-all", "WINEARCH": "win64",
                    "WINEDLLOVERRIDES": "mscoree,mshtml="}  # no Mono / Gecko download prompts
        run(["wineboot", "--init"], env=self.env)
        self.wait()
        # wine reports Windows 7 by default; the installer requires Windows 10 (MinVersion=10.0).
        run(["wine", "winecfg", "-v", "win10"], env=self.env)
        self.wait()
        users = [p for p in (root / "drive_c" / "users").iterdir() if p.name not in ("Public", "Default")]
        if len(users) != 1:
            raise CheckFailed(f"profil wine inattendu : {[p.name for p in users]}")
        self.profile = users[0]
        self.local_app_data = self.profile / "AppData" / "Local"
        self.start_menu = self.profile / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs"

    def wait(self) -> None:
        """Every wine process of the prefix has ended (an uninstaller relaunches itself from %TEMP%)."""
        subprocess.run(["wineserver", "-w"], env=self.env, timeout=WINE_TIMEOUT, check=False)

    def windows_path(self, path: Path) -> str:
        return run(["winepath", "-w", str(path)], env=self.env).strip()

    def wine(self, *args: str) -> None:
        run(["wine", *args], env=self.env)
        self.wait()

    def registry(self, hive: str) -> str:
        """HKEY_CURRENT_USER ("user") or HKEY_LOCAL_MACHINE ("system"), as wine keeps them on disk."""
        return (self.root / f"{hive}.reg").read_text(encoding="utf-8", errors="replace")


def staged_payload(bundle: Path, work: Path) -> Path:
    """The bundle, its executable renamed as the Windows one the script installs and links to."""
    payload = work / "payload"
    shutil.copytree(bundle, payload, symlinks=True)
    linux_exe = payload / build.BUNDLE_NAME
    if linux_exe.is_file():
        linux_exe.rename(payload / f"{build.BUNDLE_NAME}.exe")
    return payload


def version_resource_has(exe: Path, *values: str) -> list[str]:
    """Values missing from the exe's version resource (its strings are UTF-16LE in the file)."""
    data = exe.read_bytes()
    return [value for value in values if value.encode("utf-16-le") not in data]


def compile_installer(prefix: WinePrefix, bundle: Path, work: Path, cache: Path, version: str) -> Path:
    iscc = iscc_exe(cache)
    print(f"Inno Setup : {iscc}", flush=True)
    payload = staged_payload(bundle, work)
    out = work / "sortie"
    out.mkdir()
    arguments = build.iscc_arguments(payload, out, version, "WineCheck", licence=build.licence_for_installer(work),
                                     path=prefix.windows_path)  # ISCC reads Windows paths
    compiled = subprocess.run(["wine", str(iscc), "/Q", *arguments], env=prefix.env, capture_output=True,
                              text=True, errors="replace", timeout=2 * WINE_TIMEOUT, cwd=INSTALLER_DIR)
    prefix.wait()
    setup = build.installer_path(out, version)
    if compiled.returncode != 0 or not setup.is_file():
        raise CheckFailed(f"ISCC.exe a échoué (code {compiled.returncode}) :\n{compiled.stdout[-3000:]}\n"
                          f"{compiled.stderr[-3000:]}")
    return setup


def check_installer(bundle: Path | None, setup: Path | None, work: Path, cache: Path) -> int:
    checks = Checks()
    version = build.version_info.project_version()
    prefix = WinePrefix(work / "wine")
    if setup is None:
        started = time.monotonic()
        setup = compile_installer(prefix, bundle or build_linux_bundle(work), work, cache, version)
        checks.expect(True, "Compilation par ISCC.exe (/DWineCheck)",
                      f"{setup.name}, {setup.stat().st_size // 1024} Kio, {time.monotonic() - started:.0f} s")
    missing = version_resource_has(setup, APP_NAME, version, "Logiciel libre sous licence EUPL-1.2")
    checks.expect(not missing, "Ressource de version de l'installateur",
                  f"absent : {missing}" if missing else f"produit « {APP_NAME} », version {version}, éditeur")

    # The user's data, as a previous version would have left it: the uninstall must keep it.
    data = prefix.local_app_data / DATA_FOLDER
    data.mkdir(parents=True)
    (data / "clspd.sqlite").write_bytes(b"SQLite format 3\x00 donnees de l'utilisateur")

    log = work / "installation.log"
    prefix.wine(str(setup), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/CURRENTUSER", "/NORESTART",
                f"/LOG={prefix.windows_path(log)}")
    app = prefix.local_app_data / "Programs" / APP_NAME
    log_text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
    checks.expect("Installation process succeeded" in log_text, "Installation silencieuse (/CURRENTUSER)",
                  f"journal : {log}")
    wanted = [f"{build.BUNDLE_NAME}.exe", "LICENCE-EUPL-1.2.txt", "unins000.exe", "unins000.dat",
              "_internal/clspd_desktop/resources/fonts/DejaVuSans.ttf",
              "_internal/clspd_desktop/resources/licenses/index.json",
              "_internal/clspd_desktop/resources/rules/obligations.json", "_internal/LICENSE"]
    absent = [name for name in wanted if not (app / name).is_file()]
    checks.expect(not absent, "Fichiers installés dans %LOCALAPPDATA%\\Programs\\CLSPD Desktop",
                  f"absents : {absent}" if absent else f"{sum(1 for p in app.rglob('*') if p.is_file())} fichiers")
    licence_text = (app / "LICENCE-EUPL-1.2.txt").read_text(encoding="utf-8-sig", errors="replace") \
        if (app / "LICENCE-EUPL-1.2.txt").is_file() else ""
    checks.expect("EUROPEAN UNION PUBLIC LICENCE v. 1.2" in licence_text, "Texte de la licence EUPL-1.2 installé")
    menu = prefix.start_menu / APP_NAME
    links = sorted(p.name for p in menu.glob("*.lnk")) if menu.is_dir() else []
    demo_link = menu / f"{APP_NAME} (démonstration).lnk"
    checks.expect(links == [f"{APP_NAME} (démonstration).lnk", f"{APP_NAME}.lnk"], "Entrées du menu Démarrer",
                  ", ".join(links) or f"aucune dans {menu}")
    checks.expect(demo_link.is_file() and "--demo".encode("utf-16-le") in demo_link.read_bytes(),
                  "Raccourci de démonstration lancé avec --demo")
    checks.expect(not (prefix.profile / "Desktop" / f"{APP_NAME}.lnk").exists(),
                  "Pas d'icône sur le Bureau sans la case cochée")
    key = f"Uninstall\\\\{APP_ID}_is1".lower()
    checks.expect(key in prefix.registry("user").lower() and key not in prefix.registry("system").lower(),
                  "Désinstallation déclarée pour l'utilisateur (HKCU, pas HKLM)")

    uninstall_log = work / "desinstallation.log"
    prefix.wine(str(app / "unins000.exe"), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART",
                f"/LOG={prefix.windows_path(uninstall_log)}")
    deadline = time.monotonic() + 120  # the uninstaller's copy in %TEMP% may still be finishing
    while (app / f"{build.BUNDLE_NAME}.exe").exists() and time.monotonic() < deadline:
        time.sleep(1)
        prefix.wait()
    leftovers = sorted(str(p.relative_to(app)) for p in app.rglob("*")) if app.exists() else []
    checks.expect(not (app / f"{build.BUNDLE_NAME}.exe").exists() and not leftovers,
                  "Désinstallation : programme supprimé", f"restent : {leftovers[:10]}" if leftovers else "")
    checks.expect(not menu.exists() or not list(menu.glob("*.lnk")), "Désinstallation : menu Démarrer nettoyé")
    checks.expect(key not in prefix.registry("user").lower(),
                  "Désinstallation : entrée « Applications » retirée")
    checks.expect((data / "clspd.sqlite").is_file() and (data / "clspd.sqlite").read_bytes().startswith(b"SQLite"),
                  "Dossier des données conservé", str(data.relative_to(prefix.root)))
    print(f"\nRésultat : {'tout fonctionne' if not checks.failures else f'{checks.failures} échec(s)'}.")
    return 1 if checks.failures else 0


def build_linux_bundle(work: Path) -> Path:
    """The bundle the way installer/build.py makes it (pinned versions, self-test included)."""
    dist = work / "dist"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(INSTALLER_DIR / "build.py"), "--no-installer", "--dist", str(dist),
                           "--work", str(work / "build")], env=env, timeout=1800)
    if done.returncode != 0:
        raise CheckFailed("la construction du paquet a échoué (voir ci-dessus)")
    return dist / build.BUNDLE_NAME


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compile et essaie l'installateur Windows sous wine.")
    parser.add_argument("--bundle", type=Path, help="paquet PyInstaller déjà construit (sinon construit ici)")
    parser.add_argument("--setup", type=Path, help="installateur déjà compilé avec /DWineCheck (pas de compilation)")
    parser.add_argument("--keep", action="store_true", help="garde le dossier de travail (préfixe wine, journaux)")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and shutil.which("xvfb-run"):  # wine's windows need an X server
        os.execvp("xvfb-run", ["xvfb-run", "-a", sys.executable, *sys.argv])
    for tool in ("wine", "wineserver", "winepath"):
        if not shutil.which(tool):
            print(f"ÉCHEC : {tool} introuvable (voir la docstring de {Path(__file__).name}).", file=sys.stderr)
            return 1
    work = Path(tempfile.mkdtemp(prefix="clspd-installateur-"))
    started = time.monotonic()
    try:
        code = check_installer(args.bundle and args.bundle.resolve(), args.setup and args.setup.resolve(), work,
                               Path.home() / ".cache" / "clspd-desktop")
    except (CheckFailed, subprocess.TimeoutExpired) as exc:
        print(f"\nÉCHEC : {exc}", file=sys.stderr)
        code = 1
    finally:
        if args.keep:
            print(f"Dossier de travail gardé : {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"({time.monotonic() - started:.0f} s)")
    return code


if __name__ == "__main__":
    sys.exit(main())
