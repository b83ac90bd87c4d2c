"""`clspd-desktop --self-test`: proves an installed (or frozen) copy can do its risky work, before any window.

It never aborts: on Linux without a display Qt gets the offscreen platform as a fallback (said in the
report), and the report is saved before the Qt check, the one check that could still end the process.

It exercises what a frozen bundle typically loses: bundled resources, reportlab's fonts, py7zr's codecs,
keyring's backends, Qt's plugins and French translations. One French line per check; exit code 0 only if
every check passed. A windowed Windows executable has no console, so the report is also written to a file
whose path is printed (and whose name is fixed, so a support person can ask for it).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import secrets
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from clspd_desktop import APP_NAME, __version__
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import UserError
from clspd_desktop.paths import app_licence_text, resources_dir

REPORT_NAME = "clspd-desktop-autotest.txt"
PDF_SAMPLE = "Conseil local de sécurité — Élodie, Œuvre, 1 500 €"
# Files whose absence breaks a feature in a frozen bundle (fonts for every PDF, rules for the dashboard...).
REQUIRED_RESOURCES = (
    "fonts/DejaVuSans.ttf",
    "fonts/DejaVuSans-Bold.ttf",
    "fonts/DejaVuSans-Oblique.ttf",
    "fonts/LICENSE-DejaVu.txt",
    "rules/obligations.json",
    "rules/civilite.json",  # letters: appellations, closing formulas, agreements
    "rules/fonctions_referents.json",  # functions offered in a referent's record, with their sources
    "rules/au038.json",  # the individual follow-up's legal frame (CNIL délibération n° 2014-262)
    "icons/clspd-desktop.ico",
    "icons/clspd-desktop-256.png",
    "licenses/index.json",
)
LICENCE_TITLE = "EUROPEAN UNION PUBLIC LICENCE v. 1.2"
# Backends that mean "no secret can be kept": fail raises on every call, null silently drops what it is given.
USELESS_KEYRINGS = ("keyring.backends.fail", "keyring.backends.null")
# The backend module a normal session of each platform uses; its absence means the bundle lost it.
PLATFORM_KEYRING = {"win32": "keyring.backends.Windows", "darwin": "keyring.backends.macOS",
                    "linux": "keyring.backends.SecretService"}
KEYRING_SERVICE = "CLSPD Desktop (autotest)"


class CheckWarning(Exception):
    """A limitation of this machine, not of the app (e.g. no Secret Service on a headless Linux)."""


@dataclass(frozen=True)
class CheckResult:
    title: str
    status: str  # "OK", "ATTENTION" or "ÉCHEC"
    detail: str

    @property
    def passed(self) -> bool:
        return self.status != "ÉCHEC"

    def line(self) -> str:
        return f"{self.status:<9} {self.title} : {self.detail}"


def run_check(title: str, check: Callable[[], str]) -> CheckResult:
    """Any exception becomes an ÉCHEC line with its reason: a self-test must report, never crash."""
    try:
        return CheckResult(title, "OK", check())
    except CheckWarning as warning:
        return CheckResult(title, "ATTENTION", str(warning))
    except UserError as exc:
        return CheckResult(title, "ÉCHEC", exc.message + (f" ({exc.details})" if exc.details else ""))
    except Exception as exc:  # noqa: BLE001 - reported to the user, that is the point of the check
        return CheckResult(title, "ÉCHEC", f"{type(exc).__name__} : {exc}")


def check_versions() -> str:
    import PySide6
    from PySide6.QtCore import qVersion

    return (f"{APP_NAME} {__version__}, Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
            f"Qt {qVersion()}, {platform.system()} {platform.release()}")


def check_resources() -> str:
    from clspd_desktop.domain.legal_rules import load_rules
    from clspd_desktop.domain.referent_functions import load_functions

    root = resources_dir()
    missing = [name for name in REQUIRED_RESOURCES if not (root / name).is_file()]
    if (root / "licenses" / "index.json").is_file():
        index = json.loads((root / "licenses" / "index.json").read_text(encoding="utf-8"))
        missing += [f"licenses/{f}" for entry in index for f in entry["files"]
                    if not (root / "licenses" / f).is_file()]
    if not (app_licence_text() or "").startswith(LICENCE_TITLE):
        missing.append("LICENSE (texte de la licence EUPL-1.2)")
    if missing:
        raise RuntimeError(f"fichiers absents dans {root} : " + ", ".join(missing))
    rules = load_rules(root / "rules" / "obligations.json")
    load_functions(root / "rules" / "fonctions_referents.json")  # unreadable: a French error in the report
    return f"{root} (règles juridiques du {rules.version_date.strftime('%d/%m/%Y')})"


def check_database(workdir: Path) -> str:
    from clspd_desktop.db.opening import open_database
    from clspd_desktop.db.store import Store

    path = workdir / "autotest.sqlite"
    opened = open_database(path, workdir / "instantanes")
    try:
        if not opened.created or not opened.applied_migrations:
            raise RuntimeError("la base temporaire n'a pas été créée par les migrations")
        if Store.over(opened.db).council.is_configured():
            raise RuntimeError("une base neuve ne devrait contenir aucun conseil")
    finally:
        opened.db.conn.close()
    reopened = open_database(path, workdir / "instantanes")
    reopened.db.conn.close()
    if reopened.applied_migrations:
        raise RuntimeError("des migrations ont été rejouées à la réouverture")
    return f"création, {plural(len(opened.applied_migrations), 'migration', feminine=True)}, réouverture sans migration"


def write_sample_pdf(target: Path) -> None:
    """Through the app's PDF pipeline (letterhead, fonts, escaping, atomic write), as every document."""
    from clspd_desktop.domain.council import Council, CouncilKind
    from clspd_desktop.services.pdf import build_pdf, para, styles

    council = Council(kind=CouncilKind.CLSPD, name="Commune d'Autotest-sur-Œuvre", city="Élancourt")
    st = styles()
    build_pdf(target, council, "Autotest de CLSPD Desktop",
              [para(PDF_SAMPLE, st.body), para("Ordre du jour : <SARL> & R&D", st.body)])


def check_pdf(workdir: Path) -> str:
    target = workdir / "autotest.pdf"
    write_sample_pdf(target)
    data = target.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise RuntimeError("le fichier produit n'est pas un PDF")
    if b"%%EOF" not in data[-64:]:
        raise RuntimeError("le PDF est tronqué (pas de marque de fin)")
    if b"DejaVuSans" not in data:
        raise RuntimeError("la police DejaVu n'est pas incorporée : les accents et le symbole € manqueraient")
    size = f"{len(data):,}".replace(",", "\u202f")
    return f"{size} octets, police DejaVu incorporée"


def child_pdf(store: object, folder: Path, options: object) -> dict[str, Path]:
    """The document built by the child process of `check_child_process` (a pack builder's shape)."""
    target = folder / "autotest-processus.pdf"
    write_sample_pdf(target)
    return {target.name: target}


def check_child_process(workdir: Path) -> str:
    """The préfecture pack builds its documents in a spawned child process: a frozen executable that lost
    `multiprocessing.freeze_support()` would open a second app there instead of building."""
    from clspd_desktop.services.document_process import DocumentProcess

    folder = workdir / "processus"
    folder.mkdir()
    with DocumentProcess(workdir / "processus.sqlite") as documents:
        built = documents.build(f"{__name__}:child_pdf", folder, None)
    if not all(path.is_file() and path.read_bytes().startswith(b"%PDF-") for path in built.values()):
        raise RuntimeError("le processus de préparation n'a pas produit de PDF")
    return "PDF produit par un processus séparé (documents de l'envoi à la préfecture)"


def write_and_verify_archive(workdir: Path) -> str:
    """Through the app's archive module: 7z AES-256 with encrypted headers, written, verified, extracted.

    7z AES has no MAC, so the module checks every member's SHA-256 against the manifest on both steps.
    """
    import py7zr

    from clspd_desktop.services.archive import extract_archive, write_archive
    from clspd_desktop.services.passwords import generate_password

    source = workdir / "a-chiffrer"
    source.mkdir()
    members = {"texte.txt": PDF_SAMPLE.encode("utf-8"), "donnees.bin": secrets.token_bytes(64 * 1024)}
    for name, data in members.items():
        (source / name).write_bytes(data)
    archive = workdir / "autotest.7z"
    password = generate_password()
    write_archive(archive, {name: source / name for name in members}, password, kind="autotest")
    try:
        with py7zr.SevenZipFile(archive, "r") as locked:
            locked.getnames()
        raise RuntimeError("l'archive se liste sans mot de passe : les en-têtes ne sont pas chiffrés")
    except py7zr.PasswordRequired:
        pass
    extracted = workdir / "extrait"
    extract_archive(archive, password, extracted, "autotest", allowed=lambda name: True,
                    max_size=1 << 20, what="une archive d'autotest")
    for name, data in members.items():
        if hashlib.sha256((extracted / name).read_bytes()).digest() != hashlib.sha256(data).digest():
            raise RuntimeError(f"« {name} » relu différent de l'original")
    return f"7z AES-256, en-têtes chiffrés, {len(members)} fichiers relus identiques (SHA-256)"


def check_encrypted_store(workdir: Path) -> str:
    """The individual follow-up's SQLCipher binding, which a bundle or a machine may lack: created, locked,
    re-opened, a wrong passphrase refused, and no marker readable in the file."""
    from clspd_desktop.db.individual_store import IndividualStore, WrongPassphraseError

    path = workdir / "autotest.sqlcipher"
    passphrase = secrets.token_urlsafe(16)
    store = IndividualStore.create(path, passphrase)
    store.close()
    store = IndividualStore.open(path, passphrase)
    store.close()
    try:
        IndividualStore.open(path, passphrase + "x").close()
    except WrongPassphraseError:
        pass
    else:
        raise RuntimeError("une phrase de passe erronée a ouvert le fichier chiffré")
    if b"SQLite format 3" in path.read_bytes():
        raise RuntimeError("le fichier du suivi individuel n'est pas chiffré")
    import sqlcipher3

    version = getattr(sqlcipher3, "sqlite_version", "?")
    return f"fichier chiffré créé, rouvert, phrase erronée refusée (SQLite {version})"


def check_keyring(platform_name: str = sys.platform) -> str:
    import importlib

    import keyring
    from keyring.errors import KeyringError

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__qualname__}"
    expected = PLATFORM_KEYRING.get(platform_name)
    if type(backend).__module__ in USELESS_KEYRINGS:
        if expected:
            try:
                importlib.import_module(expected)
            except Exception as exc:  # noqa: BLE001 - any import failure means the bundle lost it
                raise RuntimeError(f"{name} ; le module {expected} manque ({exc})") from exc
        if platform_name in ("win32", "darwin"):
            raise RuntimeError(f"{name} : aucun mot de passe ne pourrait être enregistré")
        raise CheckWarning(f"{name} : pas de trousseau système dans cette session (Secret Service absent) ; "
                           "les mots de passe ne pourront pas être enregistrés sur cette machine")
    user = f"autotest-{secrets.token_hex(4)}"
    value = secrets.token_urlsafe(16)
    try:
        keyring.set_password(KEYRING_SERVICE, user, value)
        try:
            read = keyring.get_password(KEYRING_SERVICE, user)
        finally:
            keyring.delete_password(KEYRING_SERVICE, user)
    except KeyringError as exc:
        raise RuntimeError(f"{name} : écriture ou lecture refusée ({exc})") from exc
    if read != value:
        raise RuntimeError(f"{name} : le secret relu diffère de celui enregistré")
    return f"{name} (écriture, lecture et effacement vérifiés)"


def choose_qt_platform(environ: dict[str, str] | os._Environ = os.environ,
                       platform_name: str = sys.platform) -> bool:
    """Without a display Qt aborts the whole process (xcb): on Linux, give Qt offscreen as a fallback.

    Qt tries each platform of a `;`-separated QT_QPA_PLATFORM in turn. Windows and macOS always have their
    own platform, whose absence from a bundle must stay a failure, so they get no fallback. True if one
    was added.
    """
    if environ.get("QT_QPA_PLATFORM") or platform_name in ("win32", "darwin"):
        return False
    native = "wayland;xcb" if environ.get("WAYLAND_DISPLAY") else "xcb"
    environ["QT_QPA_PLATFORM"] = f"{native};offscreen"
    return True


def check_qt(fallback: bool = False, environ: dict[str, str] | os._Environ = os.environ) -> str:
    """Qt's platform plugin, image plugins (icon) and French translations, as the app loads them."""
    from PySide6.QtCore import QLibraryInfo, QTranslator
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    icon = QIcon(str(resources_dir() / "icons" / "clspd-desktop-256.png"))
    if icon.isNull() or icon.pixmap(32, 32).isNull():
        raise RuntimeError("l'icône de l'application ne se charge pas (greffons d'image Qt absents ?)")
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not QTranslator(app).load("qtbase_fr", folder):
        raise RuntimeError(f"traductions françaises de Qt absentes de {folder}")
    detail = f"plateforme « {app.platformName()} », icône et traductions françaises chargées"
    if not (fallback and app.platformName() == "offscreen"):
        return detail
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        raise CheckWarning(f"{detail} ; l'affichage de cette session n'a pas pu être utilisé (bibliothèques "
                           "système de Qt manquantes ?) : vérification faite hors écran")
    return f"{detail} (aucun affichage dans cette session : vérification faite hors écran)"


# Written to the report before the Qt check: if Qt aborts the process, the report still says where it stopped.
QT_TITLE = "Interface Qt"
QT_INTERRUPTED = CheckResult(QT_TITLE, "ÉCHEC", "l'autotest s'est arrêté pendant cette vérification "
                                                "(greffon d'affichage de Qt absent ou inutilisable)")


def run_checks(workdir: Path) -> list[CheckResult]:
    """The checks that need a scratch folder; the Qt check runs after it is removed (see main)."""
    return [
        run_check("Versions", check_versions),
        run_check("Ressources de l'application", check_resources),
        run_check("Base de données", lambda: check_database(workdir)),
        run_check("PDF avec accents", lambda: check_pdf(workdir)),
        run_check("Archive chiffrée", lambda: write_and_verify_archive(workdir)),
        run_check("Processus de préparation des documents", lambda: check_child_process(workdir)),
        run_check("Trousseau de mots de passe", check_keyring),
        run_check("Fichier chiffré du suivi individuel", lambda: check_encrypted_store(workdir)),
    ]


def format_report(results: list[CheckResult]) -> str:
    failed = [r for r in results if not r.passed]
    lines = [f"Autotest {APP_NAME} {__version__} — {datetime.now():%d/%m/%Y %H:%M:%S}", ""]
    lines += [r.line() for r in results]
    lines.append("")
    lines.append("Résultat : tout fonctionne." if not failed
                 else f"Résultat : {plural(len(failed), 'vérification', feminine=True)} en échec.")
    return "\n".join(lines) + "\n"


def default_report_path() -> Path:
    return Path(tempfile.gettempdir()) / REPORT_NAME


def save_report(target: Path, report: str) -> str:
    """The line that tells where the report went (or why it could not be written)."""
    from clspd_desktop.safe_files import write_bytes_atomically

    try:
        write_bytes_atomically(target, report.encode("utf-8"))
    except UserError as exc:
        return f"Rapport non enregistré : {exc.message}\n"
    return f"Rapport enregistré dans : {target}\n"


def main(report_path: Path | None = None) -> int:
    """Run every check; print and save the report; 0 only if nothing failed.

    The report is saved before the Qt check (the one check that can abort the process) and again after it;
    the scratch folder is already gone by then.
    """
    target = report_path or default_report_path()
    fallback = choose_qt_platform()
    with tempfile.TemporaryDirectory(prefix="clspd-autotest-", ignore_cleanup_errors=True) as tmp:
        results = run_checks(Path(tmp))
    save_report(target, format_report([*results, QT_INTERRUPTED]))
    results.append(run_check(QT_TITLE, lambda: check_qt(fallback)))
    report = format_report(results)
    report += save_report(target, report)
    if sys.stdout is not None:  # None in a windowed Windows executable
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="replace")
        sys.stdout.write(report)
        sys.stdout.flush()
    return 0 if all(r.passed for r in results) else 1
