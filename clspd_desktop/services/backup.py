"""Encrypted backup of the whole council: the database (through SQLite's backup API) and attached documents.

The backup password is generated once, kept in the system keyring and printed on the recovery sheet kept
in the town hall's safe; the database only keeps a slow hash of it, so a password typed from the sheet
on a new PC can be checked before anything is written with it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import sqlite3
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle

from clspd_desktop.db.backup_repo import applied_migrations, row_counts
from clspd_desktop.db.council_repo import SettingsRepository
from clspd_desktop.db.snapshot import check_copy, file_copy
from clspd_desktop.db.store import Store
from clspd_desktop.domain.council import Council
from clspd_desktop.domain.dates import long_date
from clspd_desktop.errors import StorageError
from clspd_desktop.paths import AppPaths
from clspd_desktop.safe_files import temp_path_for
from clspd_desktop.services import secrets as keyring_secrets
from clspd_desktop.services.archive import Manifest, write_archive
from clspd_desktop.services.interrupted_work import pending_files
from clspd_desktop.services.passwords import generate_password, groups, normalize, spoken
from clspd_desktop.services.py7zr_speedups import derive_ahead, one_key_per_operation

log = logging.getLogger(__name__)

BACKUP_KIND = "clspd-desktop/sauvegarde"
DB_MEMBER = "clspd.sqlite"
DOCS_PREFIX = "documents/"
CHECK_SETTING = "backup.password_check"
CREATED_SETTING = "backup.password_created_at"
LAST_BACKUP_SETTING = "backup.last_at"
_PBKDF2_ROUNDS = 200_000


def suggested_file_name(council_name: str, now: datetime) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in council_name).strip("-") or "CLSPD"
    return f"Sauvegarde-{safe}-{now.strftime('%Y-%m-%d_%H%M')}.7z"


def _password_check(password: str, salt: bytes) -> str:
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("ascii", "replace"), salt, _PBKDF2_ROUNDS)
    return f"pbkdf2_sha256${_PBKDF2_ROUNDS}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


class BackupPassword:
    """The one backup password: created once, kept in the keyring, checkable without being stored."""

    def __init__(self, settings: SettingsRepository) -> None:
        self.settings = settings

    def exists(self) -> bool:
        return bool(self.settings.get(CHECK_SETTING))

    def matches(self, password: str) -> bool:
        recorded = self.settings.get(CHECK_SETTING)
        if not recorded:
            return False
        _, rounds, salt, _digest = recorded.split("$")
        candidate = _password_check(password, base64.b64decode(salt))
        return int(rounds) == _PBKDF2_ROUNDS and hmac.compare_digest(candidate, recorded)

    def kept(self) -> str | None:
        """The password from the keyring (None when this PC does not have it); may raise SecretsUnavailableError."""
        value = keyring_secrets.read_secret(keyring_secrets.BACKUP_KEY)
        return value if value and (not self.exists() or self.matches(value)) else None

    def create(self, now: datetime | None = None) -> str:
        """Generate the password and record its check. The caller then tries `keep()` and shows it."""
        password = generate_password()
        self.settings.set(CHECK_SETTING, _password_check(password, os.urandom(16)))
        self.settings.set(CREATED_SETTING, (now or datetime.now()).isoformat(timespec="seconds"))
        return password

    def keep(self, password: str) -> None:
        """Store in the keyring; SecretsUnavailableError when it cannot (the screen then says so)."""
        keyring_secrets.store_secret(keyring_secrets.BACKUP_KEY, password)

    def accept_typed(self, typed: str) -> str | None:
        """The typed password in its exact form if it is this council's password, else None."""
        password = normalize(typed)
        return password if self.matches(password) else None

    def created_at(self) -> datetime | None:
        value = self.settings.get(CREATED_SETTING)
        return datetime.fromisoformat(value) if value else None


@dataclass
class BackupResult:
    path: Path
    manifest: Manifest
    documents: int


def document_files(documents_dir: Path) -> dict[str, Path]:
    """Attached documents as archive members; links are skipped (they could point anywhere)."""
    if not documents_dir.is_dir():
        return {}
    return {f"{DOCS_PREFIX}{p.relative_to(documents_dir).as_posix()}": p
            for p in sorted(documents_dir.rglob("*")) if p.is_file() and not p.is_symlink()}


def database_facts(conn: sqlite3.Connection) -> dict:
    migrations = applied_migrations(conn)
    return {"schema_version": len(migrations), "migrations": migrations, "row_counts": row_counts(conn)}


def _check_and_close(copy: sqlite3.Connection) -> None:
    try:
        check_copy(copy)
    finally:
        copy.close()


def make_backup(store: Store, paths: AppPaths, target: Path, password: str,
                now: datetime | None = None) -> BackupResult:
    """Copy the live database (backup API), then write and verify the encrypted archive at `target`.

    The copy is a work file in the data folder, streamed into the archive (memory stays small whatever the
    database's size) and deleted after. Its `quick_check` runs on another thread while the archive is compressed;
    the archive is renamed into place only once that check and the archive's own verification passed.
    """
    try:
        with pending_files(paths, [temp_path_for(Path(target))]):  # a kill leaves it on the USB key: next start
            return _make_backup(store, paths, target, password, now or datetime.now())
    except MemoryError as exc:  # a very large database on a small PC
        raise StorageError(
            "La mémoire de l'ordinateur ne suffit pas pour préparer la sauvegarde. Fermez les autres "
            "programmes puis recommencez. Aucune sauvegarde précédente n'a été modifiée.") from exc


def _make_backup(store: Store, paths: AppPaths, target: Path, password: str, now: datetime) -> BackupResult:
    council = store.council.get()
    with one_key_per_operation(), tempfile.TemporaryDirectory(dir=paths.data_dir, prefix=".sauvegarde-") as work:
        derive_ahead(password)  # the AES key, while the database is copied
        image = Path(work) / DB_MEMBER
        copy = file_copy(store.db.conn, image)
        try:  # before the check starts: one connection runs one statement at a time
            facts = database_facts(copy)
        except sqlite3.DatabaseError:
            _check_and_close(copy)  # a damaged copy: the French message
            raise
        except BaseException:
            copy.close()
            raise
        documents = document_files(paths.documents_dir)
        from clspd_desktop.services.individual.files import backup_copy

        individual = backup_copy(paths, Path(work))  # the follow-up store, still encrypted; {} when off
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="verification-copie") as checker:
            check = checker.submit(_check_and_close, copy)
            manifest = write_archive(target, {DB_MEMBER: image, **individual, **documents}, password, BACKUP_KIND,
                                     extra={**facts, "council": council.name if council else ""},
                                     created_at=now, before_rename=check.result)
    store.settings.set(LAST_BACKUP_SETTING, now.isoformat(timespec="seconds"))
    log.info("Sauvegarde chiffrée écrite : %s (%d documents)", target, len(documents))
    return BackupResult(path=target, manifest=manifest, documents=len(documents))


def last_backup_at(settings: SettingsRepository) -> datetime | None:
    value = settings.get(LAST_BACKUP_SETTING)
    return datetime.fromisoformat(value) if value else None


def build_recovery_sheet(path: Path, council: Council, password: str, created_at: datetime | None = None,
                         today: date | None = None) -> Path:
    """The sheet kept in the town hall's safe: without this password no backup can be restored, by anyone."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer

    from clspd_desktop.services.pdf import bold, build_pdf, data_table, labelled, markup, para, styles

    st = styles()
    big = ParagraphStyle("password", parent=st.title, fontName="Courier-Bold", fontSize=21, leading=30)
    story = [
        para([bold("Gardez cette fiche dans le coffre de la mairie. "),
              "Elle permet de restaurer les sauvegardes chiffrées du conseil sur un nouvel ordinateur si celui-ci "
              "tombe en panne, est volé ou remplacé. Sans ce mot de passe, personne (pas même l'éditeur du "
              "logiciel) ne peut ouvrir une sauvegarde."], st.body_justified),
        Spacer(1, 0.5 * cm),
        para("Mot de passe des sauvegardes", st.heading),
        markup(password, big),  # ASCII from our alphabet and dashes: safe as markup
        para("Cinq groupes de cinq caractères, tirets compris : chiffres et lettres majuscules, sans I, L, O ni U "
             "(0 est toujours le chiffre zéro, 1 le chiffre un).", st.note),
        Spacer(1, 0.3 * cm),
        data_table(["Groupe", "Caractères", "À lire"],
                   [[str(n), g, spoken(g)] for n, g in enumerate(groups(password), 1)],
                   col_widths=["14%", "20%", "66%"]),
        para("Restaurer sur un nouvel ordinateur", st.heading),
        para("1. Installez CLSPD Desktop et ouvrez-le. Si l'assistant de premier lancement apparaît, "
             "remplissez l'essentiel : la restauration remplacera tout.", st.body),
        para("2. Ouvrez « Sauvegardes », puis « Restaurer une sauvegarde… » et choisissez le fichier .7z "
             "(sur la clé USB ou le disque de sauvegarde).", st.body),
        para("3. Tapez le mot de passe ci-dessus. L'application montre la date et le contenu de la sauvegarde "
             "avant de remplacer quoi que ce soit.", st.body),
        para("Le fichier s'ouvre aussi avec 7-Zip ou PeaZip (pas avec l'Explorateur de Windows) : saisissez alors "
             "le mot de passe exactement comme imprimé, en majuscules et tirets compris.", st.note),
        para("Repères", st.heading),
        labelled("Conseil", council.title),
        labelled("Mot de passe créé le", long_date((created_at or datetime.now()).date())),
    ]
    return build_pdf(path, council, "Fiche de secours des sauvegardes", story,
                     subtitle="Document confidentiel — à conserver sous clé", today=today)
