"""The préfecture pack's items: each one builds on the demo council and is explained when it cannot; the pack
is opened with the 7-Zip command line as the préfecture would; nothing of a confidential working group ever
appears in any extracted file (PDF text, XLSX cells, raw bytes, file names)."""

from __future__ import annotations

import email
import json
import subprocess
from datetime import date, datetime, timedelta
from email import policy
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from clspd_desktop.domain.directory import (
    CharterSignature,
    FormationKind,
    Membership,
    MembershipCategory,
    OrganisationCategory,
    WorkingGroupType,
)
from clspd_desktop.domain.meetings import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingStatus,
    Minutes,
)
from clspd_desktop.errors import UserError
from clspd_desktop.services import pack_documents
from clspd_desktop.services.archive import find_7z_cli
from clspd_desktop.services.demo_data import populate_demo
from clspd_desktop.services.operations.meetings import invite_formation_members
from clspd_desktop.services.prefecture_pack import (
    PackOptions,
    available_items,
    build_pack,
    default_year,
    item_states,
    pack_email,
    year_choices,
)
from clspd_desktop.services.reports.minutes_pdf import build_minutes_pdf, load_minutes
from clspd_desktop.services.shareable import leaves_the_pc, minutes_to_share, shareable_attendance
from tests.factories import add_contact, add_organisation, add_working_group

TODAY = date(2026, 2, 16)
NOW = datetime(2026, 2, 16, 10, 0)
OPTIONS = PackOptions(2025, TODAY)
needs_7z = pytest.mark.skipif(find_7z_cli() is None, reason="7-Zip absent")
MARKERS = ("ZZTITRE", "ZZLIEU", "ZZNOTESREUNION", "ZZPOINT", "ZZPRESENTATEUR", "ZZNOTESPOINT", "ZZSYNTHESE",
           "ZZREDACTEUR", "ZZDECISION", "ZZACTIONDECIDEE", "ZZRESPONSABLE", "ZZPARTICIPANT", "ZZORGANISME",
           "ZZNOTEPARTENAIRE", "ZZNOTEREFERENT")


@pytest.fixture
def demo(store):
    populate_demo(store, TODAY)
    council = store.council.get()
    council.prefecture_email = "pref-clspd@essonne.gouv.fr"
    store.council.save(council)
    return store


def extract(archive: Path, password: str, out: Path) -> list[Path]:
    """Open the pack with the 7-Zip command line and the password, as the préfecture does."""
    result = subprocess.run([find_7z_cli(), "x", f"-p{password}", f"-o{out}", "-y", str(archive)],
                            capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return sorted(p for p in out.rglob("*") if p.is_file())


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def xlsx_text(path: Path) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c is not None)


def everything_in(files: list[Path], root: Path) -> str:
    """File names, raw bytes, PDF text and XLSX cells of every extracted file."""
    parts = []
    for path in files:
        parts.append(str(path.relative_to(root)))
        parts.append(path.read_bytes().decode("latin-1"))
        if path.suffix == ".pdf":
            parts.append(pdf_text(path))
        elif path.suffix == ".xlsx":
            parts.append(xlsx_text(path))
    return "\n".join(parts)


def shared_minutes_in_sql(store, year: int) -> list[tuple[str, str, str]]:
    """Independent of the code under test: (day, formation kind, name) of the minutes that may leave."""
    return store.db.execute(
        "SELECT substr(m.starts_at, 1, 10), f.kind, f.name FROM meeting m JOIN formation f ON f.id = m.formation_id "
        "JOIN minutes mi ON mi.meeting_id = m.id WHERE f.confidential = 0 AND m.status != 'cancelled' "
        "AND m.starts_at >= ? AND m.starts_at < ? ORDER BY m.starts_at",
        [f"{year}-01-01", f"{year + 1}-01-01"]).fetchall()


# --- every item on the demo council ------------------------------------------------------------------------
@needs_7z
def test_every_item_builds_on_the_demo_and_opens_with_7zip(demo, paths, tmp_path):
    states = item_states(demo, OPTIONS)
    assert [(item.key, reason) for item, reason in states if reason] == []
    built = build_pack(demo, paths, [item.key for item in available_items()], OPTIONS, now=NOW)
    files = extract(built.path, built.password, tmp_path / "prefecture")
    names = {str(p.relative_to(tmp_path / "prefecture")) for p in files}

    minutes = shared_minutes_in_sql(demo, 2025)
    assert len(minutes) >= 5
    expected_minutes = set()
    for day, kind, name in minutes:
        words = {"plenary": "Formation plénière", "restricted": "Formation restreinte"}.get(kind,
                                                                                         f"Groupe de travail {name}")
        expected_minutes.add(f"Comptes rendus/{day} {words}.pdf")
    assert names == {
        "manifest.json", "Bilan annuel 2025.pdf", "Annuaire des partenaires.pdf", "Annuaire des partenaires.xlsx",
        "Composition de la formation plénière.pdf", "Plan d'actions 2025-2027.pdf", "Plan d'actions 2025-2027.xlsx",
        "Statistiques de présence 2025.pdf", "Statistiques de présence 2025.xlsx", *expected_minutes}

    root = tmp_path / "prefecture"
    bilan = pdf_text(root / "Bilan annuel 2025.pdf")
    assert "Bilan annuel" in bilan and "2025" in bilan
    plan = pdf_text(root / "Plan d'actions 2025-2027.pdf")
    assert "Plan local d'actions" in plan and "Synthèse par axe" in plan
    stats = pdf_text(root / "Statistiques de présence 2025.pdf")
    assert "Année 2025 — formations non confidentielles" in stats and "Par institution partenaire" in stats
    assert "Cellule" not in stats
    for name in expected_minutes:
        text = pdf_text(root / name)
        assert "Compte rendu de réunion" in text and "CONFIDENTIEL" not in text
        assert "2025" in text
    book = openpyxl.load_workbook(root / "Plan d'actions 2025-2027.xlsx", read_only=True)
    assert book.sheetnames == ["Plan", "Actions", "Indicateurs", "Financements"]
    assert len(list(book["Indicateurs"].iter_rows())) > 1 and len(list(book["Financements"].iter_rows())) > 1
    book = openpyxl.load_workbook(root / "Statistiques de présence 2025.xlsx", read_only=True)
    convened = sum(row[1] for row in book["Par organisation"].iter_rows(min_row=3, values_only=True))
    assert convened == demo.db.execute(
        "SELECT COUNT(*) FROM invitation i JOIN meeting m ON m.id = i.meeting_id JOIN formation f "
        "ON f.id = m.formation_id WHERE f.confidential = 0 AND m.status != 'cancelled' AND i.role = 'invited' "
        "AND i.walk_in = 0 AND i.attendance IS NOT NULL AND m.starts_at >= '2025-01-01' "
        "AND m.starts_at < '2026-01-01'").fetchone()[0]
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["year"] == 2025

    record = built.record
    assert record.contents[0] == "Bilan annuel 2025 (PDF)"
    assert "Plan d'actions en cours (PDF) — Plan d'actions 2025-2027" in record.contents
    assert "Statistiques de présence 2025, hors groupes confidentiels (PDF)" in record.contents
    assert (f"Comptes rendus 2025 des réunions non confidentielles (PDF) — {len(minutes)} documents"
            in record.contents)
    assert demo.packs.all()[0].contents == record.contents
    message = pack_email(demo.council.get(), record, built.path)
    body = email.message_from_bytes(message.as_bytes(), policy=policy.default).get_body(("plain",)).get_content()
    assert f"  - Comptes rendus 2025 des réunions non confidentielles (PDF) — {len(minutes)} documents" in body
    assert "  - Bilan annuel 2025 (PDF)" in body
    assert "Statistiques de présence 2025" in body and "groupes de travail confidentiels" in body
    # the bilan carries a confidential group's name, meeting count and rate: the message promises no more
    assert "aucune information issue des groupes" not in body and "ni dates, ni participants" in " ".join(body.split())


def test_year_decides_which_minutes_and_statistics(demo, paths):
    assert default_year(demo, TODAY) == 2025
    assert year_choices(demo, TODAY) == [2026, 2025, 2024]  # the plan runs to 2027: no future year offered
    assert len(minutes_to_share(demo, date(2024, 1, 1), date(2024, 12, 31), TODAY)) == len(
        shared_minutes_in_sql(demo, 2024))
    old = PackOptions(2019, TODAY)
    reasons = {item.key: reason for item, reason in item_states(demo, old)}
    assert reasons["comptes-rendus"] == "Aucune réunion non confidentielle tenue en 2019 n'a de compte rendu."
    assert reasons["presences-pdf"] == "Aucune présence n'est notée pour les réunions non confidentielles de 2019."
    assert reasons["bilan-pdf"] == "Aucune activité n'est enregistrée pour 2019 : il n'y a pas de bilan à envoyer."
    assert reasons["plan-pdf"] is None and reasons["annuaire-pdf"] is None
    with pytest.raises(UserError, match="Comptes rendus 2019 des réunions non confidentielles.*2019"):
        build_pack(demo, paths, ["annuaire-pdf", "comptes-rendus"], old, now=NOW)
    assert demo.packs.all() == []


def test_an_empty_council_says_why_each_item_cannot_go(configured_store, paths):
    reasons = {item.key: reason for item, reason in item_states(configured_store, PackOptions(2026, TODAY))}
    assert reasons == {
        "bilan-pdf": "Aucune activité n'est enregistrée pour 2026 : il n'y a pas de bilan à envoyer.",
        "annuaire-pdf": "L'annuaire est vide : aucun partenaire n'est encore enregistré.",
        "composition-pdf": "Aucun membre n'est inscrit aujourd'hui dans la formation plénière.",
        "annuaire-xlsx": "L'annuaire est vide : aucun partenaire n'est encore enregistré.",
        "plan-pdf": "Aucun plan d'actions n'est encore saisi.",
        "plan-xlsx": "Aucun plan d'actions n'est encore saisi.",
        "presences-pdf": "Aucune présence n'est notée pour les réunions non confidentielles de 2026.",
        "presences-xlsx": "Aucune présence n'est notée pour les réunions non confidentielles de 2026.",
        "comptes-rendus": "Aucune réunion non confidentielle tenue en 2026 n'a de compte rendu.",
    }
    assert default_year(configured_store, TODAY) == 2026
    assert year_choices(configured_store, TODAY) == [2026, 2025]
    with pytest.raises(UserError) as refused:
        build_pack(configured_store, paths, ["annuaire-pdf", "plan-pdf"], PackOptions(2026, TODAY), now=NOW)
    assert refused.value.message == (
        "Ces documents ne peuvent pas être envoyés :\n"
        "– Annuaire des partenaires (PDF) : L'annuaire est vide : aucun partenaire n'est encore enregistré.\n"
        "– Plan d'actions en cours (PDF) : Aucun plan d'actions n'est encore saisi.")
    assert list(paths.exports_dir.iterdir()) == [] and configured_store.packs.all() == []


def test_no_council_no_item(store):
    assert {reason for _, reason in item_states(store, OPTIONS)} == {
        "Renseignez d'abord le conseil (écran « Conseil »)."}


# --- minutes: which meetings, under which names ---------------------------------------------------------------
def _meeting_with_minutes(store, formation, start: datetime, status=MeetingStatus.HELD, minutes: bool = True):
    meeting = store.meetings.save_meeting(Meeting(formation_id=formation.id, starts_at=start,
                                                  ends_at=start + timedelta(hours=1),
                                                  agenda=[AgendaItem(title="Point unique")]))
    if minutes:
        store.meetings.save_minutes(Minutes(meeting.id, summary="Synthèse de la réunion"))
    if status is MeetingStatus.CANCELLED:
        store.meetings.cancel(meeting.id)
    else:
        store.meetings.set_status(meeting.id, status)
    return meeting


def test_minutes_names_are_safe_dated_and_unique(configured_store, tmp_path):
    store = configured_store
    group = add_working_group(store, 'Quartier "Nord/Sud" : bilan? *<>|', confidential=False,
                              wg_type=WorkingGroupType.TERRITORIAL)
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    _meeting_with_minutes(store, group, datetime(2025, 3, 14, 9))
    _meeting_with_minutes(store, group, datetime(2025, 3, 14, 14))
    _meeting_with_minutes(store, plenary, datetime(2025, 6, 2, 18), status=MeetingStatus.PLANNED)  # held, not clicked
    _meeting_with_minutes(store, plenary, datetime(2024, 12, 31, 18))  # another year
    _meeting_with_minutes(store, plenary, datetime(2025, 9, 1, 18), status=MeetingStatus.CANCELLED)
    _meeting_with_minutes(store, plenary, datetime(2025, 10, 1, 18), minutes=False)
    _meeting_with_minutes(store, plenary, datetime(2026, 3, 1, 18), status=MeetingStatus.PLANNED)  # after today
    members = pack_documents.minutes_pdfs(store, tmp_path, PackOptions(2025, TODAY))
    assert list(members) == [
        "Comptes rendus/2025-03-14 Groupe de travail Quartier Nord Sud bilan.pdf",
        "Comptes rendus/2025-03-14 Groupe de travail Quartier Nord Sud bilan (2).pdf",
        "Comptes rendus/2025-06-02 Formation plénière.pdf",
    ]
    assert all(path.is_file() and "Synthèse de la réunion" in pdf_text(path) for path in members.values())
    late = pack_documents.minutes_pdfs(store, tmp_path / "2026", PackOptions(2026, date(2026, 3, 2)))
    assert list(late) == ["Comptes rendus/2026-03-01 Formation plénière.pdf"]


def test_safe_member_name():
    assert pack_documents.safe_member_name('a/b\\c:d*e?f"g<h>i|j\x07k. ') == "a b c d e f g h i j k"
    assert pack_documents.safe_member_name(" .. ") == "Document"
    assert len(pack_documents.safe_member_name("x" * 300)) == pack_documents.NAME_LIMIT


def test_individual_situations_group_never_leaves_even_if_unflagged(configured_store):
    group = add_working_group(configured_store, "Cellule", confidential=True)
    group.confidential = False  # bypassing the validation that forbids it, as an old database might
    assert not leaves_the_pc(group)
    assert leaves_the_pc(configured_store.formations.by_kind(FormationKind.RESTRICTED))


# --- statistics ---------------------------------------------------------------------------------------------
def test_shared_attendance_leaves_confidential_groups_out(demo):
    shared = shareable_attendance(demo, date(2025, 1, 1), date(2025, 12, 31))
    expected = demo.db.execute(
        "SELECT i.organisation_name, COUNT(*), SUM(i.attendance = 'present'), SUM(i.attendance = 'absent') "
        "FROM invitation i JOIN meeting m ON m.id = i.meeting_id JOIN formation f ON f.id = m.formation_id "
        "WHERE f.confidential = 0 AND m.status != 'cancelled' AND i.role = 'invited' AND i.walk_in = 0 "
        "AND i.attendance IS NOT NULL AND m.starts_at >= '2025-01-01' AND m.starts_at < '2026-01-01' "
        "GROUP BY i.organisation_name").fetchall()
    got = {(c.label if c.label != "(sans organisation)" else ""): (c.convened, c.present, c.absent)
           for c in shared.stats.by_organisation}
    assert got == {name: (convened, present, absent) for name, convened, present, absent in expected}
    confidential = {f.id for f in demo.formations.formations() if f.confidential}
    assert confidential and not {f.id for f, _ in shared.by_formation} & confidential
    assert shared.stats.meetings == sum(s.meetings for _, s in shared.by_formation) == demo.db.execute(
        "SELECT COUNT(DISTINCT m.id) FROM meeting m JOIN formation f ON f.id = m.formation_id JOIN invitation i "
        "ON i.meeting_id = m.id WHERE f.confidential = 0 AND m.status != 'cancelled' AND i.role = 'invited' "
        "AND i.walk_in = 0 AND i.attendance IS NOT NULL AND m.starts_at >= '2025-01-01' "
        "AND m.starts_at < '2026-01-01'").fetchone()[0]


# --- confidentiality ----------------------------------------------------------------------------------------
def confidential_meeting_with_markers(store) -> Meeting:
    """A held meeting of the demo's confidential group in 2025 with a marker in every field, attended by a
    signatory since deleted from the directory (only the meeting's copy of the name remains), its decision
    linked to a plan action, and notes on a partner and a referent about an individual situation."""
    cellule = next(f for f in store.formations.formations() if f.confidential)
    org = add_organisation(store, "ZZORGANISME", OrganisationCategory.ASSOCIATION)
    person = add_contact(store, org, last_name="ZZPARTICIPANT", first_name="Jean")
    store.formations.save_signature(CharterSignature(person.id, "2014", date(2024, 1, 5)))
    store.formations.save_membership(Membership(formation_id=cellule.id, contact_id=person.id,
                                                category=MembershipCategory.DESIGNE))
    start = datetime(2025, 6, 10, 14)
    meeting = store.meetings.save_meeting(Meeting(
        formation_id=cellule.id, starts_at=start, ends_at=start + timedelta(hours=2), title="ZZTITRE",
        place="ZZLIEU", notes="ZZNOTESREUNION", agenda=[AgendaItem(title="ZZPOINT", presenter="ZZPRESENTATEUR")]))
    invite_formation_members(store, meeting.id)
    for invitation in store.meetings.invitations(meeting.id):
        store.meetings.set_attendance(invitation.id, Attendance.PRESENT)
    store.meetings.save_agenda_notes(meeting.agenda[0].id, "ZZNOTESPOINT")
    store.meetings.save_minutes(Minutes(meeting.id, summary="ZZSYNTHESE", written_by="ZZREDACTEUR"))
    decision = store.meetings.save_decision(Decision(meeting.id, "ZZDECISION", agenda_item_id=meeting.agenda[0].id))
    store.meetings.save_action_item(ActionItem(meeting.id, "ZZACTIONDECIDEE", responsible_organisation_id=org.id,
                                               responsible_name="ZZRESPONSABLE", due_date=date(2025, 7, 1)))
    store.meetings.set_status(meeting.id, MeetingStatus.HELD)
    plan = store.plan.current_plan(TODAY)
    action_id = store.plan.action_rows(plan.id, TODAY)[0].id
    store.db.execute("INSERT INTO decision_plan_action (decision_id, action_id) VALUES (?, ?)",
                     [decision.id, action_id])
    store.directory.delete_contact(person.id)
    store.directory.delete_organisation(org.id)
    partner = add_organisation(store, "Préfecture de test", notes="ZZNOTEPARTENAIRE situation de M. X")
    add_contact(store, partner, "Martin", notes="ZZNOTEREFERENT suivi individuel")
    return meeting


@needs_7z
def test_extracted_pack_holds_nothing_of_a_confidential_group(demo, paths, tmp_path):
    meeting = confidential_meeting_with_markers(demo)
    # the markers are really there, and would be found: the meeting's own compte rendu shows them all...
    papers, content = load_minutes(demo, meeting.id)
    own = pdf_text(build_minutes_pdf(papers, content, tmp_path / "confidentiel.pdf", today=TODAY))
    assert [m for m in ("ZZTITRE", "ZZPOINT", "ZZNOTESPOINT", "ZZSYNTHESE", "ZZDECISION", "ZZACTIONDECIDEE",
                        "ZZPARTICIPANT", "ZZORGANISME") if m not in own] == []
    # ...and statistics over every formation would name the participant
    assert any("ZZPARTICIPANT" in c.label
               for c in demo.attendance_stats.by_referent(date(2025, 1, 1), date(2025, 12, 31)))

    built = build_pack(demo, paths, [item.key for item in available_items()], OPTIONS, now=NOW)
    root = tmp_path / "prefecture"
    files = extract(built.path, built.password, root)
    everything = everything_in(files, root).upper()
    assert "FORMATION PLÉNIÈRE" in everything and "MARTIN" in everything  # the scan does read the documents
    assert [marker for marker in MARKERS if marker in everything] == []
    message = pack_email(demo.council.get(), built.record, built.path).as_bytes().decode("utf-8", "replace")
    assert [marker for marker in MARKERS if marker in message.upper()] == []
    assert [marker for marker in MARKERS if marker in " ".join(built.record.contents).upper()] == []


def test_minutes_selection_skips_confidential_meetings(demo):
    meeting = confidential_meeting_with_markers(demo)
    shared = minutes_to_share(demo, date(2025, 1, 1), date(2025, 12, 31), TODAY)
    assert shared and meeting.id not in {m.id for m in shared}
    confidential = {f.id for f in demo.formations.formations() if not leaves_the_pc(f)}
    assert not {m.formation_id for m in shared} & confidential
