"""Partenaires: every change to organisations, referents, formations, memberships and charter signatures,
the import and the exports, as operations run by the one runner (see `ui/runner.py`).

The rules that refuse a change (an organisation leading plan actions, a working group with meetings, the
plenary and restricted formations, dates in the wrong order, a membership held twice) live here with their
French messages; the repositories only map rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal

from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import (
    CharterEndReason,
    CharterSignature,
    Contact,
    Formation,
    FormationKind,
    Membership,
    MembershipCategory,
    Organisation,
)
from clspd_desktop.domain.text import plural
from clspd_desktop.domain.validation import validate_contact, validate_formation, validate_organisation
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services import directory_export, directory_import
from clspd_desktop.services.directory_import import ImportPreview, ImportSummary, Mapping, RawTable
from clspd_desktop.services.operations.base import Change, Done, OpEnv, done
from clspd_desktop.services.snapshots import SnapshotReason, SnapshotService

PARTNERS = (Change.DIRECTORY, Change.FORMATIONS)  # a referent's removal takes its memberships along
SHOWN_ACTIONS = 15


# --- rules ------------------------------------------------------------------------------------------------
def check_organisation_deletable(store: Store, organisation_id: int) -> None:
    """UserError listing the plan actions it leads (chef de file): those must change lead first.

    Screens call it before asking for confirmation, so the user is not asked about a deletion that would
    be refused."""
    led = store.plan.actions_led_by(organisation_id)
    if led:
        shown = "\n".join(f"• {title}" for title in led[:SHOWN_ACTIONS]) + ("\n…" if len(led) > SHOWN_ACTIONS else "")
        raise UserError(f"Cette organisation est chef de file de {plural(len(led), 'action', feminine=True)} du plan d'actions : "
                        f"désignez un autre chef de file avant de la supprimer.\n\n{shown}")


def check_working_group_deletable(store: Store, formation_id: int) -> None:
    """The plenary and restricted formations belong to the council; a group's meetings keep its history."""
    formation = store.formations.get(formation_id)
    if formation is None:
        return
    if formation.kind is not FormationKind.WORKING_GROUP:
        raise UserError("Les formations plénière et restreinte font partie du conseil : elles ne se suppriment pas.")
    meetings = store.formations.meeting_count(formation_id)
    if meetings:
        raise UserError(
            f"Le groupe « {formation.name} » a "
            f"{plural(meetings, 'réunion enregistrée', 'réunions enregistrées', feminine=True)} : le supprimer effacerait "
            "leur historique (présences, comptes rendus). Retirez plutôt ses membres ou renommez-le.")


def validate_membership(store: Store, membership: Membership) -> Membership:
    """Dates in order; a new membership may not repeat one the referent already holds on its start date."""
    errors: dict[str, str] = {}
    if membership.start_date and membership.end_date and membership.end_date < membership.start_date:
        errors["end_date"] = "La date de fin précède la date de début."
    if not membership.formation_id:
        errors["formation"] = "Choisissez une formation."
    elif membership.id is None and store.formations.is_member(
            membership.formation_id, membership.contact_id, membership.start_date):
        errors["formation"] = "Cette personne est déjà membre de cette formation à cette date."
    if errors:
        raise ValidationError(errors)
    return membership


def validate_signature(signature: CharterSignature) -> CharterSignature:
    """A version and a date; an end (withdrawal or exclusion) has its own date, not before the signature."""
    errors: dict[str, str] = {}
    version = signature.charter_version.strip()
    if not version:
        errors["charter_version"] = "Indiquez la version de la charte signée."
    if signature.signed_on is None:
        errors["signed_on"] = "Indiquez la date de signature."
    reason = signature.end_reason
    if reason is not None and signature.ended_on is None:
        errors["ended_on"] = ("Indiquez la date du retrait." if reason is CharterEndReason.WITHDRAWN
                              else "Indiquez la date de l'exclusion.")
    if signature.signed_on and signature.ended_on and signature.ended_on < signature.signed_on:
        errors["ended_on"] = "Cette date précède la date de signature."
    if errors:
        raise ValidationError(errors)
    return replace(signature, charter_version=version, ended_on=signature.ended_on if reason else None)


# --- organisations and referents ----------------------------------------------------------------------------
def save_organisation(env: OpEnv, organisation: Organisation) -> Done[Organisation]:
    """Create or update an organisation (its referents are searched by its name too)."""
    cleaned = validate_organisation(organisation)
    with env.store.transaction():
        saved = env.store.directory.save_organisation(cleaned)
    return done(saved, *PARTNERS)


def delete_organisation(env: OpEnv, organisation_id: int) -> Done[None]:
    """Delete an organisation with its referents, their memberships and signatures, after a snapshot."""
    check_organisation_deletable(env.store, organisation_id)
    env.progress.report(0, 2, "Instantané de la base avant la suppression…")
    SnapshotService(env.paths.snapshots_dir, env.store.db.conn).take(SnapshotReason.BULK_DELETE)
    env.progress.report(1, 2, "Suppression…")
    with env.store.transaction():
        check_organisation_deletable(env.store, organisation_id)
        env.store.directory.delete_organisation(organisation_id)
    return done(None, *PARTNERS)


def save_contact(env: OpEnv, contact: Contact) -> Done[Contact]:
    """Create or update a referent."""
    cleaned = validate_contact(contact)
    with env.store.transaction():
        saved = env.store.directory.save_contact(cleaned)
    return done(saved, *PARTNERS)


def delete_contact(env: OpEnv, contact_id: int) -> Done[None]:
    """Delete a referent with their memberships and signatures (meetings keep a copy of their name)."""
    with env.store.transaction():
        env.store.directory.delete_contact(contact_id)
    return done(None, *PARTNERS)


# --- formations, memberships, signatures ----------------------------------------------------------------------
def save_working_group(env: OpEnv, formation: Formation) -> Done[Formation]:
    """Create or update a working group ("situations individuelles" is always confidential)."""
    cleaned = validate_formation(replace(formation, kind=FormationKind.WORKING_GROUP))
    with env.store.transaction():
        saved = env.store.formations.save(cleaned)
    return done(saved, Change.FORMATIONS)


def delete_working_group(env: OpEnv, formation_id: int) -> Done[None]:
    """Delete a working group and its memberships; the referents stay in the directory."""
    with env.store.transaction():
        check_working_group_deletable(env.store, formation_id)
        env.store.formations.delete(formation_id)
    return done(None, Change.FORMATIONS)


def save_membership(env: OpEnv, membership: Membership) -> Done[Membership]:
    with env.store.transaction():
        saved = env.store.formations.save_membership(validate_membership(env.store, membership))
    return done(saved, Change.FORMATIONS)


def add_members(env: OpEnv, formation_id: int, contact_ids: Iterable[int], category: MembershipCategory,
                start_date: date | None) -> Done[int]:
    """Several referents join a formation at once, all or none."""
    ids = sorted(set(contact_ids))
    if not ids:
        raise ValidationError({"contacts": "Cochez au moins un référent."})
    with env.store.transaction():
        for contact_id in ids:
            env.store.formations.save_membership(validate_membership(env.store, Membership(
                formation_id=formation_id, contact_id=contact_id, category=category, start_date=start_date)))
    return done(len(ids), Change.FORMATIONS)


def delete_membership(env: OpEnv, membership_id: int) -> Done[None]:
    with env.store.transaction():
        env.store.formations.delete_membership(membership_id)
    return done(None, Change.FORMATIONS)


def save_signature(env: OpEnv, signature: CharterSignature) -> Done[CharterSignature]:
    with env.store.transaction():
        saved = env.store.formations.save_signature(validate_signature(signature))
    return done(saved, Change.FORMATIONS)


def delete_signature(env: OpEnv, signature_id: int) -> Done[None]:
    with env.store.transaction():
        env.store.formations.delete_signature(signature_id)
    return done(None, Change.FORMATIONS)


# --- import and exports --------------------------------------------------------------------------------------
@dataclass
class ImportReview:
    """A file read and its lines checked against the directory; `problem` says in French why it cannot be
    imported as mapped (a required column missing...)."""

    path: Path
    table: RawTable
    mapping: Mapping
    preview: ImportPreview | None
    problem: str = ""


def review_import(env: OpEnv, path: Path, table: RawTable | None = None,
                  mapping: Mapping | None = None) -> Done[ImportReview]:
    """Read the file (unless already read) and check every line, writing nothing: thousands of lines are
    matched against the directory, so this runs on the worker too."""
    if table is None:
        env.progress.report(0, 2, f"Lecture de « {path.name} »…")
        table = directory_import.read_table(path)
    if mapping is None:
        mapping = directory_import.guess_mapping(table.headers)
    review = ImportReview(path, table, mapping, None, directory_import.missing_message(table, mapping))
    if not review.problem:
        env.progress.report(1, 2, f"Vérification de {plural(len(table.rows), 'ligne', feminine=True)}…")
        try:
            review.preview = directory_import.build_preview(env.store, table, mapping)
        except UserError as err:
            review.problem = err.message
    return Done(review)


def import_partners(env: OpEnv, preview: ImportPreview, skip_errors: bool = False) -> Done[ImportSummary]:
    """Snapshot, then write the reviewed lines in one transaction (all or nothing). « Annuler » is honoured
    until the writing starts."""
    env.progress.report(0, 3, "Instantané de la base avant l'import…")
    SnapshotService(env.paths.snapshots_dir, env.store.db.conn).take(SnapshotReason.IMPORT)
    env.progress.report(1, 3, f"Import de {plural(len(preview.lines), 'ligne', feminine=True)}…")
    summary = directory_import.apply_import(env.store, preview, skip_errors=skip_errors)
    return done(summary, *PARTNERS)


ExportKind = Literal["xlsx", "csv", "directory_pdf", "composition_pdf"]


def export_directory(env: OpEnv, kind: ExportKind, path: Path) -> Done[Path]:
    """Write the directory (Excel, CSV) or one of its PDF lists; it changes nothing in the database."""
    return Done(_writer(kind)(env.store, path))


def _writer(kind: ExportKind) -> Callable[[Store, Path], Path]:
    if kind == "xlsx":
        return directory_export.export_xlsx
    if kind == "csv":
        return directory_export.export_csv
    if kind == "directory_pdf":  # the PDF lists load reportlab: only when asked for
        from clspd_desktop.services.reports.directory_pdf import build_directory_pdf

        return build_directory_pdf
    from clspd_desktop.services.reports.composition_pdf import build_composition_pdf

    return build_composition_pdf
