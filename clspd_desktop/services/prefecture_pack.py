"""The encrypted pack sent to the préfecture: chosen documents in a 7z with a new password for each pack.

What may go in is a closed list of items (`PACK_ITEMS`); each item's builder must only produce what the
préfecture may read: never the content of a confidential working group, never anything about an
individual situation (`services.shareable` draws that line). An item whose builder module is not installed
is not offered; an item whose data is missing (no plan, no minutes for the year...) is offered greyed out
with the reason, and refused by `build_pack`. The year the user picks (`PackOptions`) applies to the
bilan, the minutes and the attendance statistics.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import secrets as random_tokens
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path

from clspd_desktop.db.backup_repo import PackRecord
from clspd_desktop.db.store import Store
from clspd_desktop.domain.council import Council
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.individual.aggregates import YearFigures
from clspd_desktop.domain.records import saved_id
from clspd_desktop.errors import UserError
from clspd_desktop.paths import AppPaths
from clspd_desktop.services import secrets
from clspd_desktop.services.archive import write_archive
from clspd_desktop.services.document_process import DocumentProcess
from clspd_desktop.services.mail import build_message
from clspd_desktop.services.passwords import generate_password
from clspd_desktop.services.shareable import has_shared_attendance, minutes_to_share

log = logging.getLogger(__name__)

PACK_KIND = "clspd-desktop/envoi-prefecture"
DOCUMENTS = "clspd_desktop.services.pack_documents"
BILAN_KEY = "bilan-pdf"
NO_COUNCIL = "Renseignez d'abord le conseil (écran « Conseil »)."


@dataclass(frozen=True)
class PackOptions:
    """The user's choices besides the items: the year covered by the bilan, the minutes and the statistics."""

    year: int
    today: date = field(default_factory=date.today)
    data_dir: Path | None = None  # where the user's plan references live, if updated
    # the individual follow-up's aggregates for the bilan, read on the GUI thread while the store was unlocked
    # (services.operations.individual.figures_if_unlocked); None: « non inclus : module verrouillé »
    individual: YearFigures | None = field(default=None, compare=False, hash=False)

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31)


def year_choices(store: Store, today: date | None = None) -> list[int]:
    """Years with activity up to this one, newest first; this year and the last one always offered."""
    today = today or date.today()
    years = {y for y in store.annual_reports.years_with_activity() if y <= today.year}
    return sorted(years | {today.year, today.year - 1}, reverse=True)


def default_year(store: Store, today: date | None = None) -> int:
    """The last complete year when something happened in it (the usual yearly sending), else this year."""
    today = today or date.today()
    return today.year - 1 if today.year - 1 in store.annual_reports.years_with_activity() else today.year


Check = Callable[[Store, PackOptions], str | None]


def _no_check(store: Store, options: PackOptions) -> str | None:
    return None


@dataclass(frozen=True)
class PackItem:
    """One document the user may tick. `builder` is 'module:function' called in the pack's child process
    as function(store, folder, options) -> {name in the archive: file}; `label` may hold '{year}'."""

    key: str
    label: str
    builder: str
    check: Check = _no_check  # why the data does not allow it yet (French), or None
    uses_year: bool = False

    def _module_function(self) -> tuple[str, str]:
        module, function = self.builder.split(":")
        return module, function

    def available(self) -> bool:
        """The builder's module is installed (a feature may ship its item before its builder)."""
        module, _ = self._module_function()
        try:
            return importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            return False

    def title(self, options: PackOptions) -> str:
        return self.label.format(year=options.year)

    def unavailable_reason(self, store: Store, options: PackOptions) -> str | None:
        """Why this item cannot be sent now, in French for the user; None when it can."""
        if not self.available():
            return "Ce document n'est pas disponible dans cette version de l'application."
        if store.council.get() is None:
            return NO_COUNCIL
        return self.check(store, options)

    def build(self, documents: DocumentProcess, folder: Path, options: PackOptions) -> dict[str, Path]:
        """Built in the pack's child process (see `services.document_process` for why)."""
        return documents.build(self.builder, folder, options)


# --- what each item needs before it can be sent ---------------------------------------------------------
def _year_active(store: Store, options: PackOptions) -> str | None:
    if options.year in store.annual_reports.years_with_activity():
        return None
    return f"Aucune activité n'est enregistrée pour {options.year} : il n'y a pas de bilan à envoyer."


def _directory_filled(store: Store, options: PackOptions) -> str | None:
    if store.directory.count_organisations() or store.directory.count_contacts():
        return None
    return "L'annuaire est vide : aucun partenaire n'est encore enregistré."


def _plenary_composed(store: Store, options: PackOptions) -> str | None:
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    if store.formations.count_members(saved_id(plenary.id), on=options.today):
        return None
    return "Aucun membre n'est inscrit aujourd'hui dans la formation plénière."


def _plan_with_actions(store: Store, options: PackOptions) -> str | None:
    plan = store.plan.current_plan(options.today)
    if plan is None:
        return "Aucun plan d'actions n'est encore saisi."
    axes = store.plan.axes(saved_id(plan.id))
    if not any(store.plan.count_actions_under(axis_id=axis.id) for axis in axes):
        return f"Le plan « {plan.title} » ne contient encore aucune action."
    return None


def _attendance_recorded(store: Store, options: PackOptions) -> str | None:
    if has_shared_attendance(store, options.start, options.end):
        return None
    return f"Aucune présence n'est notée pour les réunions non confidentielles de {options.year}."


def _minutes_written(store: Store, options: PackOptions) -> str | None:
    if minutes_to_share(store, options.start, options.end, options.today):
        return None
    return f"Aucune réunion non confidentielle tenue en {options.year} n'a de compte rendu."


PACK_ITEMS: list[PackItem] = [
    PackItem(BILAN_KEY, "Bilan annuel {year} (PDF)", f"{DOCUMENTS}:annual_bilan_pdf", _year_active, uses_year=True),
    PackItem("annuaire-pdf", "Annuaire des partenaires (PDF)", f"{DOCUMENTS}:directory_pdf", _directory_filled),
    PackItem("composition-pdf", "Composition de la formation plénière (PDF)", f"{DOCUMENTS}:composition_pdf",
             _plenary_composed),
    PackItem("annuaire-xlsx", "Annuaire des partenaires (tableur XLSX)", f"{DOCUMENTS}:directory_xlsx",
             _directory_filled),
    PackItem("plan-pdf", "Plan d'actions en cours (PDF)", f"{DOCUMENTS}:plan_pdf", _plan_with_actions),
    PackItem("plan-xlsx", "Plan d'actions : actions, indicateurs et financements (tableur XLSX)",
             f"{DOCUMENTS}:plan_xlsx", _plan_with_actions),
    PackItem("presences-pdf", "Statistiques de présence {year}, hors groupes confidentiels (PDF)",
             f"{DOCUMENTS}:attendance_pdf", _attendance_recorded, uses_year=True),
    PackItem("presences-xlsx", "Statistiques de présence {year}, hors groupes confidentiels (tableur XLSX)",
             f"{DOCUMENTS}:attendance_xlsx", _attendance_recorded, uses_year=True),
    PackItem("comptes-rendus", "Comptes rendus {year} des réunions non confidentielles (PDF)",
             f"{DOCUMENTS}:minutes_pdfs", _minutes_written, uses_year=True),
]


def register_pack_item(item: PackItem) -> None:
    """For later features: add or replace an item by its key."""
    PACK_ITEMS[:] = [i for i in PACK_ITEMS if i.key != item.key] + [item]


def available_items() -> list[PackItem]:
    return [item for item in PACK_ITEMS if item.available()]


def item_states(store: Store, options: PackOptions) -> list[tuple[PackItem, str | None]]:
    """Every offered item with the reason it cannot be sent now (None when it can): what the dialog lists."""
    return [(item, item.unavailable_reason(store, options)) for item in available_items()]


Progress = Callable[[int, int, str], bool]  # (steps done, steps, what is being prepared) -> False to stop


class PackCancelled(UserError):
    """The user stopped the preparation: nothing was written, nothing was logged."""


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


def _contents_line(title: str, members: dict[str, Path]) -> str:
    """What the log and the e-mail say of one item: its title, the file's name when the title does not
    already say it (which plan), or how many files (the minutes)."""
    if len(members) > 1:
        return f"{title} — {len(members)} documents"
    stem = Path(next(iter(members))).stem
    return title if stem in title else f"{title} — {stem}"


def build_pack(store: Store, paths: AppPaths, keys: list[str], options: PackOptions | None = None,
               now: datetime | None = None, progress: Progress | None = None) -> BuiltPack:
    """Build the chosen documents, encrypt them with a new password, log the pack, keep the password.

    `progress` hears of each step (a large council's plan takes seconds) and may stop before the next one.
    The documents are built in a child process (`services.document_process`: the window stays free), into
    this function's private work folder; the scan, the archive and the log are done here.
    """
    now = now or datetime.now()
    options = options or PackOptions(default_year(store, now.date()), now.date(), paths.data_dir)
    council = store.council.get()
    if council is None:
        raise UserError(NO_COUNCIL)
    chosen = [item for item in available_items() if item.key in keys]
    if not chosen:
        raise UserError("Choisissez au moins un document à envoyer.")
    refused = [(item, reason) for item in chosen if (reason := item.unavailable_reason(store, options))]
    if refused:
        raise UserError("Ces documents ne peuvent pas être envoyés :\n" + "\n".join(
            f"– {item.title(options)} : {reason}" for item, reason in refused))
    uid = f"{now.strftime('%Y%m%d-%H%M%S')}-{random_tokens.token_hex(3)}"
    password = generate_password()
    target = _free_path(paths.exports_dir, f"Envoi-prefecture-{_safe(council.name)}-{now.strftime('%Y-%m-%d')}")
    members: dict[str, Path] = {}
    contents: list[str] = []

    def step(done: int, what: str) -> None:
        if progress is not None and not progress(done, len(chosen) + 1, what):
            raise PackCancelled("Préparation de l'envoi arrêtée : aucun fichier n'a été créé.")

    with tempfile.TemporaryDirectory(dir=paths.data_dir, prefix=".envoi-") as work:
        with DocumentProcess(paths.database) as documents:  # ended before the work folder is deleted
            for done, item in enumerate(chosen):
                step(done, item.title(options))
                folder = Path(work) / item.key
                folder.mkdir()
                built = item.build(documents, folder, options)
                clash = set(built) & set(members)
                if clash:
                    raise ValueError(f"noms en double dans l'envoi : {sorted(clash)}")
                members.update(built)
                contents.append(_contents_line(item.title(options), built))
        extra: dict[str, object] = {"council": council.title, "contents": contents,
                 "description": "Documents transmis à la préfecture par le coordonnateur du conseil."}
        if any(item.uses_year for item in chosen):
            extra["year"] = options.year
        from clspd_desktop.services.individual.files import refuse_in_pack

        refuse_in_pack(members, paths)  # the scan: never the encrypted follow-up store nor a copy of it
        step(len(chosen), "Chiffrement et vérification de l'archive")
        write_archive(target, members, password, PACK_KIND, created_at=now, extra=extra)
    kept, message = True, ""
    try:
        secrets.store_secret(secrets.pack_key(uid), password)
    except secrets.SecretsUnavailableError as exc:
        kept, message = False, exc.message
    record = store.packs.add(PackRecord(
        uid=uid, created_at=now, file_name=target.name, file_path=str(target), password_key=secrets.pack_key(uid),
        contents=contents, recipient=council.prefecture_email))
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
        "Conformément à l'article L132-5 du code de la sécurité intérieure, ils ne contiennent aucune situation "
        "individuelle ; des groupes de travail confidentiels, le bilan annuel (s'il est joint) ne donne que "
        "le nom, le nombre de réunions et le taux de présence (ni dates, ni participants, ni contenu).\n\n"
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
