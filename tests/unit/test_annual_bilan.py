"""The annual bilan: every figure printed equals an SQL aggregate written here independently of the app's
queries, the contents point to the right pages, and nothing nominative from a confidential group is printed.

The database is the demo commune (realistic volumes) plus a confidential meeting full of marker strings
and a meeting de droit; it is built once for the module."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store
from clspd_desktop.domain.annual_report import AnnualReportTexts
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.directory import (
    CharterSignature,
    FormationKind,
    Membership,
    MembershipCategory,
    OrganisationCategory,
)
from clspd_desktop.domain.meetings import (
    AgendaItem,
    Attendance,
    Decision,
    DeDroitRequester,
    Meeting,
    MeetingStatus,
    Minutes,
)
from clspd_desktop.domain.plan import Funder, euros
from clspd_desktop.domain.text import sort_key
from clspd_desktop.errors import UserError
from clspd_desktop.services.annual_bilan import compute_bilan
from clspd_desktop.services.demo_data import populate_demo
from clspd_desktop.services.operations.meetings import invite_contact
from clspd_desktop.services.reports.annual_bilan_pdf import build_annual_bilan_pdf
from tests.factories import add_contact, add_organisation

TODAY = date(2026, 11, 21)
YEAR = 2026
MARKER = "ZX9"
NNBSP = "\u202f"
EVALUATION = "Bilan <positif> & « encourageant » 😀 : les partenaires R&D se sont mobilisés."


def _add_confidential_markers(store: Store) -> None:
    group = next(f for f in store.formations.formations() if f.confidential)
    org = add_organisation(store, f"Organisme secret {MARKER}", OrganisationCategory.ASSOCIATION)
    person = add_contact(store, org, f"Marqueur{MARKER}", "Zéphyrin")
    store.formations.save_membership(Membership(group.id, person.id, MembershipCategory.DESIGNE,
                                                start_date=date(2026, 1, 1)))
    store.formations.save_signature(CharterSignature(person.id, "Charte CIPD 2014", date(2026, 1, 5)))
    meeting = store.meetings.save_meeting(Meeting(
        formation_id=group.id, starts_at=datetime(2026, 5, 12, 7, 0), ends_at=datetime(2026, 5, 12, 8, 0),
        title=f"Réunion secrète {MARKER}", status=MeetingStatus.HELD,
        agenda=[AgendaItem(f"Situation de la famille {MARKER}", notes=f"Notes {MARKER}")]))
    invitation = invite_contact(store, meeting.id, person.id)
    store.meetings.set_attendance(invitation.id, Attendance.PRESENT)
    store.meetings.save_minutes(Minutes(meeting.id, summary=f"Résumé {MARKER}"))
    store.meetings.save_decision(Decision(meeting.id, f"Décision {MARKER}"))


def _add_de_droit_and_prefect(store: Store) -> None:
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    meeting = store.meetings.save_meeting(Meeting(
        formation_id=plenary.id, starts_at=datetime(2026, 6, 16, 7, 0), ends_at=datetime(2026, 6, 16, 8, 0),
        title="Séance avec le préfet", status=MeetingStatus.HELD, prefect_presentation=True))
    store.meetings.save_decision(Decision(meeting.id, "Adopter le programme <2027> & ses « priorités »"))
    restricted = store.formations.by_kind(FormationKind.RESTRICTED)
    store.meetings.save_meeting(Meeting(
        formation_id=restricted.id, starts_at=datetime(2026, 3, 10, 7, 0), ends_at=datetime(2026, 3, 10, 8, 0),
        title="Réunion demandée par le préfet", status=MeetingStatus.HELD, de_droit=True,
        de_droit_requester=DeDroitRequester.PREFET, de_droit_requested_on=date(2026, 2, 20)))


@pytest.fixture(scope="module")
def bilan_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bilan")
    opened = open_database(folder / "clspd.sqlite", folder / "instantanes")
    store = Store.over(opened.db)
    populate_demo(store, TODAY)
    _add_confidential_markers(store)
    _add_de_droit_and_prefect(store)
    store.annual_reports.save(AnnualReportTexts(YEAR, evaluation=EVALUATION, orientations="Renforcer l'axe 2.",
                                                dpo_name="Mme Délégué <DPO>", processing_register=True))
    pdf = build_annual_bilan_pdf(store, folder / "bilan.pdf", YEAR, today=TODAY)
    yield store, pdf
    store.close()


def _pages(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _norm(text: str) -> str:
    """Every kind of space (U+202F in amounts, U+00A0) as one plain space, as in `_flat`."""
    return re.sub(r"\s+", " ", text)


def _flat(pdf: Path) -> str:
    return _norm(" ".join(_pages(pdf)))


def _lines(pdf: Path, split_x: float) -> list[tuple[str, list[str]]]:
    """Each printed line as (text left of `split_x`, words right of it): table rows whose first column
    holds a name and the others numbers (a wrapped name continues on the following lines)."""
    result = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            lines: dict[int, list[dict]] = {}
            for word in page.extract_words():
                lines.setdefault(round(word["top"]), []).append(word)
            for top in sorted(lines):
                words = sorted(lines[top], key=lambda w: w["x0"])
                result.append((" ".join(w["text"] for w in words if w["x0"] < split_x),
                               [w["text"] for w in words if w["x0"] >= split_x]))
    return result


def _header_x(pdf: Path, *words: str) -> float:
    """Where the column of the first of `words` starts, on the page whose header row has all of them (the
    widths follow the header's words and the figures, so they are read from the page)."""
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            found = {w["text"]: w["x0"] for w in page.extract_words()}
            if all(word in found for word in words):
                return found[words[-1]]
    raise AssertionError(f"en-tête introuvable : {words}")


def _row_numbers(lines: list[tuple[str, list[str]]], name: str) -> list[str]:
    """The numbers printed on the line where `name` starts (its first line is a prefix of it)."""
    name = " ".join(name.split())  # a no-break space prints as a plain space
    for index, (left, right) in enumerate(lines):
        if left and right and name.startswith(left):
            continued = left
            for next_left, _ in lines[index + 1:]:
                if not next_left or not name.startswith(f"{continued} {next_left}"):
                    break
                continued = f"{continued} {next_left}"
            if continued == name:
                return right
            continue
    raise AssertionError(f"ligne introuvable pour {name!r}")


def _year(column: str) -> str:
    return f"{column} >= '{YEAR}-01-01' AND {column} < '{YEAR + 1}-01-01'"


def _rate(attended: int, convened: int) -> str:
    return f"{round(attended / convened * 100)}{NNBSP}%"


def test_meetings_held_per_formation_equal_sql(bilan_files):
    store, pdf = bilan_files
    expected = dict(store.db.execute(
        f"SELECT formation_id, COUNT(*) FROM meeting WHERE status = 'held' AND {_year('starts_at')} "
        "GROUP BY formation_id").fetchall())
    bilan = compute_bilan(store, YEAR, TODAY)
    assert {f.formation.id: len(f.held) for f in bilan.formations if f.held} == expected
    total = sum(expected.values())
    assert f"Actif : {total} réunions tenues en {YEAR}" in _flat(pdf)
    lines = _lines(pdf, 56.7 + 0.34 * 481.9)
    for formation in store.formations.formations():
        if formation.id in expected:
            name = formation.display_name + (" (confidentiel)" if formation.confidential else "")
            assert _row_numbers(lines, name)[0] == str(expected[formation.id])


def test_attendance_per_formation_equals_sql(bilan_files):
    store, pdf = bilan_files
    rows = store.db.execute(
        "SELECT m.formation_id, COUNT(*), SUM(i.attendance IN ('present', 'represented')) FROM invitation i "
        f"JOIN meeting m ON m.id = i.meeting_id WHERE {_year('m.starts_at')} AND m.status != 'cancelled' "
        "AND i.role = 'invited' AND i.walk_in = 0 AND i.attendance IS NOT NULL GROUP BY m.formation_id").fetchall()
    assert rows
    lines = _lines(pdf, 56.7 + 0.34 * 481.9)
    for formation_id, convened, attended in rows:
        formation = store.formations.get(formation_id)
        name = formation.display_name + (" (confidentiel)" if formation.confidential else "")
        assert _row_numbers(lines, name)[-2:] == _rate(attended, convened).split(NNBSP)[0:1] + ["%"]


def test_attendance_per_institution_equals_sql_and_leaves_confidential_groups_out(bilan_files):
    store, pdf = bilan_files
    rows = store.db.execute(
        "SELECT i.organisation_name, COUNT(*), SUM(i.attendance = 'present'), SUM(i.attendance = 'represented'), "
        "SUM(i.attendance = 'excused'), SUM(i.attendance = 'absent') FROM invitation i "
        "JOIN meeting m ON m.id = i.meeting_id JOIN formation f ON f.id = m.formation_id "
        f"WHERE f.confidential = 0 AND m.status != 'cancelled' AND {_year('m.starts_at')} "
        "AND i.role = 'invited' AND i.walk_in = 0 AND i.attendance IS NOT NULL "
        "GROUP BY i.organisation_name").fetchall()
    assert len(rows) > 10
    lines = _lines(pdf, 56.7 + 0.46 * 481.9 - 3)
    for name, convened, present, represented, excused, absent in rows:
        printed = _row_numbers(lines, name or "(sans organisation)")
        assert printed == [str(convened), str(present), str(represented), str(excused), str(absent),
                           *_rate(present + represented, convened).split(NNBSP)], name


def test_institutions_are_in_french_alphabetical_order(bilan_files):
    store, _ = bilan_files
    labels = [c.label for c in compute_bilan(store, YEAR, TODAY).attendance_by_institution]
    assert labels == sorted(labels, key=sort_key)
    assert labels[-1] != "Éducation nationale – circonscription de Montreval"  # not after Z as in byte order
    assert any(label.startswith("É") for label in labels)


def test_governance_figures_equal_sql(bilan_files):
    store, pdf = bilan_files
    as_of = min(TODAY, date(YEAR, 12, 31))  # the current year is judged on the day of edition
    end = as_of.isoformat()
    signatories = store.db.execute(
        "SELECT COUNT(DISTINCT contact_id) FROM charter_signature WHERE signed_on <= ? "
        "AND (ended_on IS NULL OR ended_on > ?)", [end, end]).fetchone()[0]
    members = store.db.execute(
        "SELECT COUNT(*) FROM membership m JOIN formation f ON f.id = m.formation_id WHERE f.kind = 'plenary' "
        "AND (m.start_date IS NULL OR m.start_date <= ?) AND (m.end_date IS NULL OR m.end_date >= ?)",
        [end, end]).fetchone()[0]
    arrivals = store.db.execute(
        "SELECT COUNT(*) FROM membership m JOIN formation f ON f.id = m.formation_id WHERE f.kind = 'plenary' "
        f"AND {_year('m.start_date')}").fetchone()[0]
    groups = store.db.execute("SELECT COUNT(*) FROM formation WHERE kind = 'working_group'").fetchone()[0]
    text = _flat(pdf)
    assert f"Signataires : {signatories} au {long_date(as_of)}" in text
    assert f"Membres au {long_date(as_of)} : {members} (" in text
    assert f"{arrivals} arrivée" in text
    assert f"Nombre de groupes de travail {groups}, dont" in text
    assert "Délégué à la protection des données : Mme Délégué <DPO>" in text


def test_plan_figures_equal_sql(bilan_files):
    store, pdf = bilan_files
    plan_id = store.db.execute(
        "SELECT id FROM plan WHERE start_year <= ? AND end_year >= ? ORDER BY start_year DESC", [YEAR, YEAR]
    ).fetchone()[0]
    axes = store.db.execute(
        "SELECT x.title, COUNT(a.id), SUM(a.status = 'done'), SUM(a.status = 'in_progress'), "
        "SUM(a.status = 'planned'), SUM(a.status = 'abandoned'), SUM(a.total_cost_cents) FROM plan_axis x "
        "JOIN plan_objective o ON o.axis_id = x.id JOIN plan_action a ON a.objective_id = o.id "
        "WHERE x.plan_id = ? GROUP BY x.id ORDER BY x.position, x.id", [plan_id]).fetchall()
    assert len(axes) == 4
    lines = _lines(pdf, _header_x(pdf, "Réalisées", "Abandonnées", "Actions") - 3)
    for number, (title, count, done, running, planned, abandoned, cost) in enumerate(axes, 1):
        printed = _row_numbers(lines, f"{number}. {title}")
        assert printed[:5] == [str(count), str(done or 0), str(running or 0), str(planned or 0), str(abandoned or 0)]
        assert " ".join(printed[7:]) == _norm(euros(cost))
    achieved = store.db.execute(
        "SELECT i.name, v.value FROM plan_indicator_value v JOIN plan_indicator i ON i.id = v.indicator_id "
        "WHERE v.year = ?", [YEAR]).fetchall()
    bilan = compute_bilan(store, YEAR, TODAY)
    assert sorted((line.indicator.name, line.achieved) for line in bilan.indicators if line.achieved is not None) \
        == sorted(achieved)


def test_funding_per_funder_equals_sql(bilan_files):
    store, pdf = bilan_files
    rows = store.db.execute(
        "SELECT f.funder, SUM(f.requested_cents), SUM(f.granted_cents), SUM(f.paid_cents) FROM plan_funding f "
        "JOIN plan_action a ON a.id = f.action_id JOIN plan_objective o ON o.id = a.objective_id "
        "JOIN plan_axis x ON x.id = o.axis_id JOIN plan p ON p.id = x.plan_id "
        "WHERE f.year = ? AND p.start_year <= ? AND p.end_year >= ? GROUP BY f.funder", [YEAR, YEAR, YEAR]).fetchall()
    assert len(rows) >= 3
    text = _flat(pdf)
    for funder, requested, granted, paid in rows:
        assert _norm(f"{Funder(funder).label} {euros(requested)} {euros(granted)} {euros(paid)}") in text
    totals = [sum(r[i] for r in rows) for i in (1, 2, 3)]
    assert _norm(f"Total {' '.join(euros(t) for t in totals)}") in text


def test_meetings_de_droit_prefect_and_plenary_decisions(bilan_files):
    store, pdf = bilan_files
    text = _flat(pdf)
    assert f"{long_date(date(2026, 3, 10))} Formation restreinte À la demande du préfet " \
           f"{long_date(date(2026, 2, 20))}" in text
    presentations = store.db.execute(
        f"SELECT substr(starts_at, 1, 10) FROM meeting WHERE prefect_presentation = 1 AND status = 'held' "
        f"AND {_year('starts_at')}").fetchall()
    assert presentations
    for (day,) in presentations:
        assert f"Présentation faite le {long_date(date.fromisoformat(day))}" in text
    decisions = store.db.execute(
        "SELECT d.text FROM decision d JOIN meeting m ON m.id = d.meeting_id JOIN formation f ON f.id = m.formation_id "
        f"WHERE f.kind = 'plenary' AND m.status = 'held' AND {_year('m.starts_at')}").fetchall()
    assert decisions
    for (decision,) in decisions:
        assert _norm(decision) in text


def test_nothing_from_the_confidential_group_is_printed(bilan_files):
    store, pdf = bilan_files
    assert MARKER not in _flat(pdf)
    assert MARKER not in "".join(_pages(pdf))
    # … while the group itself is counted (its meeting appears in the per-formation table)
    group = next(f for f in store.formations.formations() if f.confidential)
    assert f"{group.display_name} (confidentiel)" in _flat(pdf)


def test_a_confidential_group_shows_no_date(bilan_files):
    """Its name, number of meetings and attendance rate only (the préfecture pack carries this bilan)."""
    store, pdf = bilan_files
    group = next(f for f in store.formations.formations() if f.confidential)
    row = _row_numbers(_lines(pdf, 56.7 + 0.34 * 481.9), f"{group.display_name} (confidentiel)")
    held = store.db.execute(
        f"SELECT starts_at FROM meeting WHERE formation_id = ? AND status = 'held' AND {_year('starts_at')}",
        [group.id]).fetchall()
    assert held and row[0] == str(len(held))  # it met on 12 May at least (the marker meeting)…
    assert row[1:3] == ["non", "communiquées"] and "mai" not in row and "—" in row  # … which is not printed


def test_contents_point_to_the_pages_of_the_sections(bilan_files):
    _, pdf = bilan_files
    pages = _pages(pdf)
    with pdfplumber.open(pdf) as document:
        words = document.pages[0].extract_words()
    numbers = {}  # entry title → page number printed at the right end of its line (drawn after layout)
    for number in (w for w in words if w["x0"] > 480 and w["text"].isdigit()):
        same_line = sorted((w for w in words if abs(w["bottom"] - number["bottom"]) < 2.5 and w is not number
                            and w["text"] != "."), key=lambda w: w["x0"])
        numbers[" ".join(w["text"] for w in same_line)] = int(number["text"])
    for title in ("Synthèse pour le suivi national", "1. Gouvernance", "2. Réunions",
                  "4. Avancement du plan d'actions", f"5. Financements {YEAR}", "7. Évaluation et orientations"):
        page = numbers[title]
        assert title in pages[page - 1], (title, page)
    assert numbers["1. Gouvernance"] < numbers["2. Réunions"] < numbers[f"5. Financements {YEAR}"]
    assert len(PdfReader(pdf).outline) >= 8  # bookmarks for the reader's side panel


def test_user_text_prints_faithfully(bilan_files):
    _, pdf = bilan_files
    text = _flat(pdf)
    assert _norm(EVALUATION) in text
    assert "Renforcer l'axe 2." in text


def test_an_empty_year_says_so(configured_store, tmp_path):
    pdf = build_annual_bilan_pdf(configured_store, tmp_path / "vide.pdf", 2031, today=TODAY)
    text = _flat(pdf)
    assert "En sommeil : aucune réunion tenue en 2031" in text
    assert f"Pas encore au {long_date(TODAY)}" in text  # the year has not even begun on TODAY
    assert "Aucun plan d'actions ne couvre l'année 2031" in text
    assert "Aucune présentation du préfet n'est enregistrée pour 2031" in text


def test_a_past_year_without_plenary_says_the_obligation_was_missed(configured_store, tmp_path):
    text = _flat(build_annual_bilan_pdf(configured_store, tmp_path / "2024.pdf", 2024, today=TODAY))
    assert "Non : l'obligation annuelle n'est pas remplie" in text


def test_without_a_council_a_clear_message(store, tmp_path):
    with pytest.raises(UserError, match="Décrivez d'abord le conseil"):
        build_annual_bilan_pdf(store, tmp_path / "b.pdf", 2026)
    assert not (tmp_path / "b.pdf").exists()


def test_header_words_are_never_cut_and_nothing_names_the_software(bilan_files):
    _, pdf = bilan_files
    with pdfplumber.open(pdf) as document:
        words = {w["text"] for page in document.pages for w in page.extract_words()}
    for header in ("Actions", "Réalisées", "Abandonnées", "Avancement", "Annulées", "Présence", "Indicateur"):
        assert header in words, header
    text = _flat(pdf)
    assert "CLSPD Desktop" not in text and "…" not in text.replace("… et", "")


def test_a_council_of_150_working_groups_fits_its_pages(configured_store, tmp_path):
    """Above about 40 formations the chart used to be taller than a page (« un élément est trop grand »)."""
    from datetime import timedelta

    from clspd_desktop.domain.directory import Formation, FormationKind, WorkingGroupType
    from clspd_desktop.domain.meetings import Meeting, MeetingStatus

    store = configured_store
    for number in range(150):
        group = store.formations.save(Formation(
            kind=FormationKind.WORKING_GROUP, wg_type=WorkingGroupType.THEMATIC,
            name=f"Prévention des conduites à risque et tranquillité publique du secteur {number}"))
        for week in range(1 + number % 20):
            start = datetime(YEAR, 1, 5, 10) + timedelta(days=7 * week)
            store.meetings.save_meeting(Meeting(formation_id=group.id, starts_at=start,
                                                ends_at=start + timedelta(hours=2), status=MeetingStatus.HELD))
    assert len(store.formations.formations()) >= 152
    pdf = build_annual_bilan_pdf(store, tmp_path / "bilan.pdf", YEAR, today=TODAY)
    text = _flat(pdf)
    assert "Réunions tenues par formation (19 plus actives, puis les autres)" in text
    assert "autres formations et groupes (moyenne)" in text
    assert "autres groupes de travail (ensemble)" in text
    assert "…" not in text.replace("… et", "")
    held = sum(1 + n % 20 for n in range(150))
    assert f"Total {held}" in text.replace("\u202f", "")
