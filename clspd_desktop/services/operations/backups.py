"""Operations of the Sauvegardes area: snapshots, encrypted backup and restore, préfecture packs and their
e-mail, the mail account, and the read-only export of a database newer than the app.

Long ones (snapshots, backup, both restore steps, pack, SMTP, export) run on the runner's worker: they use
`env.store` (the worker's own connection) and `env.paths`, never the GUI's store.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from clspd_desktop.domain.validation import is_valid_email
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services import mail, secrets
from clspd_desktop.services.operations.base import Change, Done, OpChanges, OpEnv, done
from clspd_desktop.services.snapshots import Snapshot, SnapshotReason, SnapshotService

if TYPE_CHECKING:  # backup, restore and the pack import py7zr and reportlab: loaded when first used
    from clspd_desktop.services.backup import BackupResult
    from clspd_desktop.services.prefecture_pack import BuiltPack, PackOptions
    from clspd_desktop.services.restore import RestorePlan

log = logging.getLogger(__name__)


def _snapshots(env: OpEnv) -> SnapshotService:
    return SnapshotService(env.paths.snapshots_dir, env.store.db.conn)


# --- snapshots -------------------------------------------------------------------------------------------
def take_snapshot(env: OpEnv, reason: SnapshotReason = SnapshotReason.MANUAL) -> Done[Snapshot]:
    """A verified copy of the database in the snapshots folder (StorageError, French, on a full disk)."""
    return done(_snapshots(env).take(reason), Change.BACKUPS)


def snapshot_at_start(env: OpEnv) -> Done[Snapshot | None]:
    """The daily start-up snapshot: taken only when none is younger than 24 h (None then)."""
    snapshots = _snapshots(env)
    if not snapshots.is_due():
        return Done(None)
    return done(snapshots.take(SnapshotReason.START), Change.BACKUPS)


def snapshot_at_exit(env: OpEnv) -> Done[Snapshot]:
    return take_snapshot(env, SnapshotReason.EXIT)


# --- backup ----------------------------------------------------------------------------------------------
def create_backup_password(env: OpEnv) -> Done[str]:
    """Generate the council's backup password and record its check; the screen shows it and keeps it."""
    from clspd_desktop.services.backup import BackupPassword

    with env.store.transaction():
        password = BackupPassword(env.store.settings).create()
    return done(password, Change.SETTINGS, Change.BACKUPS)


def kept_backup_password(env: OpEnv) -> Done[tuple[str | None, str]]:
    """This council's backup password from this PC's keyring, or None and why ('' when simply not kept).
    Checking it against the database costs a deliberately slow hash: done here, on the worker."""
    from clspd_desktop.services.backup import BackupPassword

    try:
        return Done((BackupPassword(env.store.settings).kept(), ""))
    except secrets.SecretsUnavailableError as exc:
        return Done((None, exc.message))


def write_recovery_sheet(env: OpEnv, target: Path, password: str) -> Done[Path]:
    """The PDF kept in the town hall's safe, with the backup password."""
    from clspd_desktop.services.backup import BackupPassword, build_recovery_sheet

    council = env.store.council.get()
    if council is None:
        raise UserError("Décrivez d'abord le conseil dans « Conseil ».")
    return Done(build_recovery_sheet(target, council, password,
                                     created_at=BackupPassword(env.store.settings).created_at()))


def make_backup(env: OpEnv, target: Path, password: str, now: datetime | None = None,
                sheet: Path | None = None) -> Done[BackupResult]:
    """Write and verify the encrypted backup at `target` (with the recovery sheet first, when asked).

    Not cancellable: the archive is written to a temp file and renamed in one piece by `services/backup.py`.
    """
    from clspd_desktop.services.backup import make_backup as write_backup

    if sheet is not None:
        env.progress.report(0, 0, "Fiche de secours…")  # no total: the window shows work going on
        write_recovery_sheet(env, sheet, password)
    env.progress.report(0, 0, "Copie, chiffrement et vérification des données…")
    result = write_backup(env.store, env.paths, target, password, now=now)
    return done(result, Change.BACKUPS, Change.SETTINGS)


# --- restore ---------------------------------------------------------------------------------------------
def _unless_cancelled(env: OpEnv, plan: RestorePlan) -> Done[RestorePlan]:
    """« Annuler » pressed while the copy was checked: the checked copy goes, nothing was changed."""
    if env.progress.cancelled:
        plan.discard()
        env.progress.check()
    return Done(plan)


def prepare_backup_restore(env: OpEnv, source: Path, password: str) -> Done[RestorePlan]:
    """Decrypt, extract and check a backup into a private folder; the live data is not touched."""
    from clspd_desktop.services.restore import prepare_backup_restore as prepare

    env.progress.check()
    return _unless_cancelled(env, prepare(source, password, env.paths))


def prepare_snapshot_restore(env: OpEnv, snapshot: Snapshot) -> Done[RestorePlan]:
    """Check a private copy of a snapshot; the snapshot and the live data are not touched."""
    from clspd_desktop.services.restore import prepare_snapshot_restore as prepare

    env.progress.check()
    return _unless_cancelled(env, prepare(snapshot, env.paths))


def apply_restore(env: OpEnv, plan: RestorePlan, keep_password: str | None = None) -> Done[Snapshot]:
    """Snapshot the live data, then replace all of it with the plan's: every screen must show the result.

    `keep_password`: the password that opened the backup, kept in this PC's keyring when it is the restored
    council's own (a new PC restored from the recovery sheet then needs it no more)."""
    from clspd_desktop.services.backup import BackupPassword
    from clspd_desktop.services.restore import apply_restore as apply

    safety = apply(plan, env.store.db.conn, _snapshots(env), env.paths)
    passwords = BackupPassword(env.store.settings)
    if keep_password and passwords.matches(keep_password):
        try:
            passwords.keep(keep_password)
        except secrets.SecretsUnavailableError as exc:  # asked for again at the next backup
            log.warning("Mot de passe des sauvegardes non conservé après restauration : %s", exc.message)
    return Done(safety, OpChanges.all())


# --- préfecture packs ------------------------------------------------------------------------------------
def build_pack(env: OpEnv, keys: list[str], options: PackOptions) -> Done[BuiltPack]:
    """Build the chosen documents into an encrypted pack and log it; « Annuler » between documents leaves
    no file and no log line."""
    from clspd_desktop.services.prefecture_pack import build_pack as build

    def step(done_steps: int, total: int, what: str) -> bool:
        env.progress.report(done_steps, total, f"{what}… ({done_steps + 1} sur {total})")
        return True

    with env.store.transaction():
        built = build(env.store, env.paths, keys, options, progress=step)
    return done(built, Change.PACKS)


def _pack_email(env: OpEnv, pack_id: int):
    from clspd_desktop.services.prefecture_pack import pack_email

    pack = env.store.packs.get(pack_id)
    council = env.store.council.get()
    if pack is None or council is None:
        raise UserError("Cet envoi n'existe plus.")
    attachment = Path(pack.file_path)
    if not attachment.is_file():
        raise UserError(f"Le fichier de cet envoi est introuvable :\n{attachment}\nPréparez un nouvel envoi.")
    if not (pack.recipient or council.prefecture_email):
        raise UserError("Aucune adresse de la préfecture n'est renseignée : complétez-la dans « Conseil ».")
    return pack, pack_email(council, pack, attachment)


def _mark_sent(env: OpEnv, pack_id: int, via: str, recipient: str, now: datetime | None) -> None:
    with env.store.transaction():
        env.store.packs.mark_sent(pack_id, now or datetime.now(), via, recipient)


def save_pack_email(env: OpEnv, pack_id: int, target: Path, via: str,
                    now: datetime | None = None) -> Done[Path]:
    """Write the pack's e-mail as a draft (`via`: "eml" opened by the mail client, "manual" saved by the
    user) and log it as prepared."""
    pack, message = _pack_email(env, pack_id)
    draft = mail.save_draft(message, target)
    _mark_sent(env, pack_id, via, pack.recipient, now)
    return done(draft, Change.PACKS)


def send_pack(env: OpEnv, pack_id: int, now: datetime | None = None) -> Done[None]:
    """Send the pack through the council's SMTP server; logged as sent only once the server took it."""
    settings = mail.SmtpSettings.load(env.store.settings)
    pack, message = _pack_email(env, pack_id)
    password = mail.smtp_password() if settings.username else None
    mail.send_smtp(message, settings, password)
    _mark_sent(env, pack_id, "smtp", pack.recipient, now)
    return done(None, Change.PACKS)


# --- mail account ----------------------------------------------------------------------------------------
def save_mail_settings(env: OpEnv, settings: mail.SmtpSettings, password: str = "") -> Done[None]:
    """Check, keep the password in the keyring (first: if it refuses, nothing changes), write the account."""
    errors = {}
    if not settings.host:
        errors["host"] = "Indiquez le serveur d'envoi."
    if not is_valid_email(settings.sender):
        errors["sender"] = f"Adresse e-mail invalide : « {settings.sender} »."
    if settings.clear_text_login:
        errors["security"] = mail.CLEAR_TEXT_LOGIN
    if errors:
        raise ValidationError(errors)
    if password:
        secrets.store_secret(secrets.SMTP_KEY, password)
    with env.store.transaction():
        settings.save(env.store.settings)
    return done(None, Change.SETTINGS)


def probe_certificate(env: OpEnv, settings: mail.SmtpSettings) -> Done[str | None]:
    """The fingerprint of a certificate no authority vouches for, to ask the user about (None when trusted or
    unreachable): a network round trip, so it runs on the worker."""
    return Done(mail.untrusted_certificate(settings))


# --- a database newer than the app ------------------------------------------------------------------------
def export_readonly(env: OpEnv, target: Path) -> Done[Path]:
    """Every table to an Excel workbook without writing to the database (which the app refused to open):
    it reads the file itself, never `env.store`. « Annuler » stops it with nothing written."""
    from clspd_desktop.domain.text import format_number
    from clspd_desktop.services.readonly_export import export_readonly_xlsx  # openpyxl: only when asked

    def step(done_rows: int, total: int, table: str) -> bool:
        env.progress.report(done_rows, total, f"Export de la table « {table} »… ({format_number(done_rows)} "
                                              f"sur {format_number(total)} lignes)")
        return True

    return Done(export_readonly_xlsx(env.paths.database, target, progress=step))
