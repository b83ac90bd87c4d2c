"""The encrypted pack sent to the préfecture: chosen documents in a 7z with a new password for each pack.

What may go in is a closed list of items (`PACK_ITEMS`); each item's builder must only produce what the
préfecture may read: never the content of a confidential working group, never anything about an
individual situation. Later features add their items with `register_pack_item` (annual bilan, plan,
attendance statistics, minutes of non-confidential meetings); an item whose builder is not installed is
not offered.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import secrets as random_tokens
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from clspd_desktop.db.backup_repo import PackRecord
from clspd_desktop.db.store import Store
from clspd_desktop.domain.council import Council
from clspd_desktop.domain.dates import long_date
from clspd_desktop.errors import UserError
from clspd_desktop.paths import AppPaths
from clspd_desktop.services import secrets
from clspd_desktop.services.archive import write_archive
from clspd_desktop.services.mail import build_message
from clspd_desktop.services.passwords import generate_password

log = logging.getLogger(__name__)

PACK_KIND = "clspd-desktop/envoi-prefecture"


@dataclass(frozen=True)
class PackItem:
    """One document the user may tick; `builder` is 'module:function' called as function(store, path)."""

    key: str
    label: str
    file_name: str
    builder: str

    def _module_function(self) -> tuple[str, str]:
        module, function = self.builder.split(":")
        return module, function

    def available(self) -> bool:
        module, _ = self._module_function()
        try:
            return importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            return False

    def build(self, store: Store, path: Path) -> Path:
        module, function = self._module_function()
        build: Callable[[Store, Path], Path] = getattr(importlib.import_module(module), function)
        build(store, path)
        return path


PACK_ITEMS: list[PackItem] = [
    PackItem("annuaire-pdf", "Annuaire des partenaires (PDF)", "Annuaire des partenaires.pdf",
             "clspd_desktop.services.reports.directory_pdf:build_directory_pdf"),
    PackItem("composition-pdf", "Composition de la formation plénière (PDF)", "Composition du conseil.pdf",
             "clspd_desktop.services.reports.composition_pdf:build_composition_pdf"),
    PackItem("annuaire-xlsx", "Annuaire des partenaires (tableur XLSX)", "Annuaire des partenaires.xlsx",
             "clspd_desktop.services.directory_export:export_xlsx"),
]


def register_pack_item(item: PackItem) -> None:
    """For later features (bilan, plan, statistics, minutes): add or replace an item by its key."""
    PACK_ITEMS[:] = [i for i in PACK_ITEMS if i.key != item.key] + [item]


def available_items() -> list[PackItem]:
    return [item for item in PACK_ITEMS if item.available()]


@dataclass
class BuiltPack:
    record: PackRecord
    path: Path
    password: str
    kept: bool  # False: the keyring refused; the user must note the password now
    keyring_message: str = ""


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-") or "CLSPD"


def _free_path(folder: Path, stem: str) -> Path:
    target, number = folder / f"{stem}.7z", 2
    while target.exists():
        target, number = folder / f"{stem}-{number}.7z", number + 1
    return target


def build_pack(store: Store, paths: AppPaths, keys: list[str], now: datetime | None = None) -> BuiltPack:
    """Build the chosen documents, encrypt them with a new password, log the pack, keep the password."""
    now = now or datetime.now()
    council = store.council.get()
    if council is None:
        raise UserError("Renseignez d'abord le conseil (écran « Conseil »).")
    chosen = [item for item in available_items() if item.key in keys]
    if not chosen:
        raise UserError("Choisissez au moins un document à envoyer.")
    uid = f"{now.strftime('%Y%m%d-%H%M%S')}-{random_tokens.token_hex(3)}"
    password = generate_password()
    target = _free_path(paths.exports_dir, f"Envoi-prefecture-{_safe(council.name)}-{now.strftime('%Y-%m-%d')}")
    with tempfile.TemporaryDirectory(dir=paths.data_dir, prefix=".envoi-") as work:
        members = {item.file_name: item.build(store, Path(work) / item.file_name) for item in chosen}
        write_archive(target, members, password, PACK_KIND, created_at=now,
                      extra={"council": council.title, "contents": [item.label for item in chosen],
                             "description": "Documents transmis à la préfecture par le coordonnateur du conseil."})
    kept, message = True, ""
    try:
        secrets.store_secret(secrets.pack_key(uid), password)
    except secrets.SecretsUnavailableError as exc:
        kept, message = False, exc.message
    record = store.packs.add(PackRecord(
        uid=uid, created_at=now, file_name=target.name, file_path=str(target), password_key=secrets.pack_key(uid),
        contents=[item.label for item in chosen], recipient=council.prefecture_email))
    log.info("Envoi préfecture %s : %s", uid, ", ".join(record.contents))
    return BuiltPack(record=record, path=target, password=password, kept=kept, keyring_message=message)


def pack_password(record: PackRecord) -> str | None:
    """The pack's password from the keyring; None when it was not kept; may raise SecretsUnavailableError."""
    return secrets.read_secret(record.password_key)


def pack_email(council: Council, record: PackRecord, attachment: Path) -> EmailMessage:
    """The message to the préfecture: how to open the file, and that the password comes by phone."""
    sender = council.coordinator_email or council.email
    signature = "\n".join(p for p in (council.coordinator_name, council.coordinator_function, council.title,
                                      council.coordinator_phone or council.phone) if p)
    contents = "\n".join(f"  - {label}" for label in record.contents)
    body = (
        "Madame, Monsieur,\n\n"
        f"Veuillez trouver ci-joint les documents du {council.kind.long_name.lower()} "
        f"({council.name}) en date du {long_date(record.created_at.date())} :\n{contents}\n\n"
        f"Le fichier joint « {attachment.name} » est une archive chiffrée (7z, AES-256). Elle s'ouvre avec "
        "7-Zip ou PeaZip, logiciels gratuits ; l'Explorateur de Windows ne sait pas l'ouvrir.\n\n"
        "Le mot de passe ne figure pas dans ce message : il vous sera communiqué par téléphone ou par SMS. "
        "Saisissez-le exactement, en majuscules et tirets compris.\n\n"
        f"Avec mes salutations distinguées,\n\n{signature}\n"
    )
    return build_message(to=record.recipient or council.prefecture_email, sender=sender,
                         subject=f"{council.kind.value} {council.name} — documents chiffrés du "
                                 f"{record.created_at.strftime('%d/%m/%Y')}",
                         body=body, attachments=[attachment])
