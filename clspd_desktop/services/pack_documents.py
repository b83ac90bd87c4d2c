"""The documents of the préfecture pack, each built by one function with the same shape:
`builder(store, folder, options) -> {name in the archive: file written under folder}`.

They wrap the app's own builders (directory, composition, plan, minutes, statistics) so the pack prints
exactly what the user sees elsewhere; what may not leave the PC is filtered in `services.shareable`.
Imported only in the pack's child process (`services.document_process`), never by the window's.
"""

from __future__ import annotations

import re
from pathlib import Path

from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import Formation, FormationKind
from clspd_desktop.domain.meetings import Meeting
from clspd_desktop.domain.records import saved_id
from clspd_desktop.errors import UserError
from clspd_desktop.services import attendance_stats, directory_export, plan_export
from clspd_desktop.services.prefecture_pack import PackOptions
from clspd_desktop.services.reports.annual_bilan_pdf import build_annual_bilan_pdf
from clspd_desktop.services.reports.attendance_stats_pdf import build_attendance_stats_pdf
from clspd_desktop.services.reports.composition_pdf import build_composition_pdf
from clspd_desktop.services.reports.directory_pdf import build_directory_pdf
from clspd_desktop.services.reports.minutes_pdf import build_minutes_pdf, load_minutes
from clspd_desktop.services.reports.plan_pdf import build_plan_pdf
from clspd_desktop.services.shareable import minutes_to_share, shareable_attendance

MINUTES_FOLDER = "Comptes rendus"
_FORBIDDEN = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]+')
NAME_LIMIT = 100

Members = dict[str, Path]


def safe_member_name(text: str, limit: int = NAME_LIMIT) -> str:
    """A file name Windows and 7-Zip accept (no / \\ : * ? " < > |, no trailing dot or space)."""
    name = " ".join(_FORBIDDEN.sub(" ", text).split())[:limit].rstrip(" .")
    return name or "Document"


def _one(folder: Path, name: str, write) -> Members:
    path = folder / name
    write(path)
    return {name: path}


def annual_bilan_pdf(store: Store, folder: Path, options: PackOptions) -> Members:
    return _one(folder, f"Bilan annuel {options.year}.pdf",
                lambda p: build_annual_bilan_pdf(store, p, options.year, today=options.today,
                                                  individual=options.individual))


def directory_pdf(store: Store, folder: Path, options: PackOptions) -> Members:
    return _one(folder, "Annuaire des partenaires.pdf", lambda p: build_directory_pdf(store, p, today=options.today))


def composition_pdf(store: Store, folder: Path, options: PackOptions) -> Members:
    return _one(folder, "Composition de la formation plénière.pdf", lambda p: build_composition_pdf(store, p, today=options.today))


def directory_xlsx(store: Store, folder: Path, options: PackOptions) -> Members:
    return _one(folder, "Annuaire des partenaires.xlsx", lambda p: directory_export.export_xlsx(store, p))


def _current_plan_id(store: Store, options: PackOptions) -> tuple[int, str]:
    plan = store.plan.current_plan(options.today)
    if plan is None:
        raise UserError("Aucun plan d'actions n'est encore saisi.")
    return saved_id(plan.id), safe_member_name(f"Plan d'actions {plan.period}")


def plan_pdf(store: Store, folder: Path, options: PackOptions) -> Members:
    plan_id, stem = _current_plan_id(store, options)
    return _one(folder, f"{stem}.pdf",
                lambda p: build_plan_pdf(store, plan_id, p, today=options.today, data_dir=options.data_dir))


def plan_xlsx(store: Store, folder: Path, options: PackOptions) -> Members:
    plan_id, stem = _current_plan_id(store, options)
    return _one(folder, f"{stem}.xlsx", lambda p: plan_export.export_plan_xlsx(store, plan_id, p, today=options.today))


def attendance_pdf(store: Store, folder: Path, options: PackOptions) -> Members:
    shared = shareable_attendance(store, options.start, options.end)
    return _one(folder, f"Statistiques de présence {options.year}.pdf",
                lambda p: build_attendance_stats_pdf(store, shared, p, today=options.today,
                                                     subtitle=f"Année {options.year} — formations non confidentielles"))


def attendance_xlsx(store: Store, folder: Path, options: PackOptions) -> Members:
    stats = shareable_attendance(store, options.start, options.end).stats
    return _one(folder, f"Statistiques de présence {options.year}.xlsx",
                lambda p: attendance_stats.export_xlsx(stats, p))


def _formation_words(formation: Formation) -> str:
    if formation.kind is FormationKind.WORKING_GROUP:
        return f"Groupe de travail {formation.name}"
    return formation.kind.label


def minutes_member_name(meeting: Meeting, formation: Formation, taken: set[str]) -> str:
    """'Comptes rendus/2025-03-14 Formation plénière.pdf'; ' (2)' for a second meeting the same day."""
    stem = safe_member_name(f"{meeting.starts_at.date().isoformat()} {_formation_words(formation)}")
    name, number = f"{MINUTES_FOLDER}/{stem}.pdf", 2
    while name in taken:
        name, number = f"{MINUTES_FOLDER}/{stem} ({number}).pdf", number + 1
    taken.add(name)
    return name


def minutes_pdfs(store: Store, folder: Path, options: PackOptions) -> Members:
    """One compte rendu per meeting of the year held by a non-confidential formation."""
    members: Members = {}
    for number, meeting in enumerate(minutes_to_share(store, options.start, options.end, options.today), 1):
        papers, content = load_minutes(store, saved_id(meeting.id))
        name = minutes_member_name(meeting, papers.formation, set(members))
        members[name] = build_minutes_pdf(papers, content, folder / f"compte-rendu-{number}.pdf", today=options.today)
    return members

