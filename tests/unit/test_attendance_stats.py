"""Attendance rates per organisation and per referent, checked against an independent SQL count; XLSX read
back with openpyxl; period and formation filters; deleted referents keep their history."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from clspd_desktop.domain.directory import (
    FormationKind,
    Membership,
    MembershipCategory,
    OrganisationCategory,
    WorkingGroupType,
)
from clspd_desktop.domain.meetings import Attendance, Meeting, MeetingStatus
from clspd_desktop.errors import UserError
from clspd_desktop.services.attendance_stats import compute, export_xlsx, rate_text
from clspd_desktop.services.operations import OpEnv
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.services.operations.meetings import invite_formation_members
from tests.factories import add_contact, add_organisation, add_working_group

START, END = date(2025, 1, 1), date(2025, 12, 31)


def populate(store, seed: int = 7):
    """Three organisations, six referents, plenary and group meetings in and out of the period, random
    attendance, one cancelled meeting, one walk-in and one substitute (neither counts)."""
    rng = random.Random(seed)
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    group = add_working_group(store, "Transports", confidential=False, wg_type=WorkingGroupType.THEMATIC)
    orgs = [add_organisation(store, name, OrganisationCategory.ASSOCIATION)
            for name in ("=Association <R&D>", "Mairie", "Collège Jean-Moulin")]
    contacts = []
    for n in range(6):
        contact = add_contact(store, orgs[n % 3], last_name=f"Nom{n}", first_name="Anne", email=f"n{n}@x.fr")
        contacts.append(contact)
        for formation in (plenary, group):
            store.formations.save_membership(Membership(formation_id=formation.id, contact_id=contact.id,
                                                        category=MembershipCategory.DESIGNE))
    days = [date(2024, 12, 10), date(2025, 1, 1), date(2025, 3, 4), date(2025, 6, 10), date(2025, 9, 16),
            date(2025, 12, 31), date(2026, 1, 13)]
    statuses = list(Attendance)
    meetings = []
    for index, day in enumerate(days):
        for formation in (plenary, group):
            start = datetime(day.year, day.month, day.day, 9 if formation is plenary else 15)
            meeting = store.meetings.save_meeting(Meeting(formation_id=formation.id, starts_at=start,
                                                          ends_at=start + timedelta(hours=2)))
            invite_formation_members(store, meeting.id)
            for invitation in store.meetings.invitations(meeting.id):
                status = rng.choice([*statuses, None])
                store.meetings.set_attendance(invitation.id, status,
                                              represented_by="M. Suppléant" if status is Attendance.REPRESENTED else "")
            meetings.append(meeting)
            if index == 3 and formation is plenary:
                store.meetings.set_status(meeting.id, MeetingStatus.CANCELLED)
    walk_in = add_contact(store, orgs[1], last_name="Passant", first_name="Paul")
    ops.add_walk_in(OpEnv(None, None, store=store), meetings[4].id, walk_in,  # type: ignore[arg-type]
                    datetime(2025, 3, 4, 9, 30))
    return plenary, group, contacts


def expected(store, group_by: str, formation_id=None) -> dict:
    """Independent count, written differently from the repository (subqueries, no CASE sums)."""
    filter_formation = "" if formation_id is None else f"AND m.formation_id = {int(formation_id)}"
    base = ("FROM invitation i, meeting m WHERE m.id = i.meeting_id AND m.status <> 'cancelled' "
            "AND date(m.starts_at) BETWEEN '2025-01-01' AND '2025-12-31' AND i.role = 'invited' "
            f"AND NOT i.walk_in AND i.attendance IS NOT NULL {filter_formation}")
    keys = [r[0] for r in store.db.execute(f"SELECT DISTINCT {group_by} {base}")]
    result = {}
    for key in keys:
        total = store.db.execute(f"SELECT COUNT(*) {base} AND {group_by} = ?", [key]).fetchone()[0]
        came = store.db.execute(f"SELECT COUNT(*) {base} AND {group_by} = ? "
                                "AND i.attendance IN ('present', 'represented')", [key]).fetchone()[0]
        result[key] = (total, came)
    return result


def test_rates_match_an_independent_count(configured_store):
    plenary, group, contacts = populate(configured_store)
    stats = compute(configured_store, START, END)
    by_org = {c.label: (c.convened, c.attended) for c in stats.by_organisation}
    assert by_org == expected(configured_store, "i.organisation_name")
    by_referent = {c.label: (c.convened, c.attended) for c in stats.by_referent}
    assert by_referent == expected(configured_store, "i.name")
    assert "M. Paul Passant" not in by_referent and len(by_referent) == 6
    for count in stats.by_organisation:
        assert count.present + count.represented + count.excused + count.absent == count.convened
        assert count.rate == pytest.approx(count.attended / count.convened)
    # 2 formations x 5 days in 2025 (1 Jan and 31 Dec included), minus the cancelled plenary
    assert stats.meetings == 9
    only_group = compute(configured_store, START, END, group.id)
    assert {c.label: (c.convened, c.attended) for c in only_group.by_organisation} == expected(
        configured_store, "i.organisation_name", group.id)
    assert only_group.meetings == 5 and "Groupe de travail « Transports »" in only_group.period_text


def test_deleted_referent_keeps_history(configured_store):
    _, _, contacts = populate(configured_store)
    before = {c.label: c.convened for c in compute(configured_store, START, END).by_referent}
    configured_store.directory.delete_contact(contacts[0].id)
    after = {c.label: c.convened for c in compute(configured_store, START, END).by_referent}
    assert after == before


def test_xlsx_read_back(configured_store, tmp_path):
    populate(configured_store)
    stats = compute(configured_store, START, END)
    path = export_xlsx(stats, tmp_path / "presences.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Par organisation", "Par référent"]
    sheet = workbook["Par organisation"]
    assert sheet["A1"].value.startswith("Du 01/01/2025 au 31/12/2025 — toutes formations")
    assert [c.value for c in sheet[2]] == ["Organisation", "Convocations", "Présents", "Représentés", "Excusés",
                                           "Absents", "Réunions", "Taux de présence"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    hostile = rows["'=Association <R&D>"]  # never a formula in Excel
    count = next(c for c in stats.by_organisation if c.label == "=Association <R&D>")
    assert hostile[1:7] == (count.convened, count.present, count.represented, count.excused, count.absent,
                            count.meetings)
    assert hostile[7] == pytest.approx(count.rate, abs=1e-4)
    assert sheet.cell(row=3, column=8).number_format == "0 %"
    referents = list(workbook["Par référent"].iter_rows(min_row=3, values_only=True))
    assert len(referents) == 6 and all(r[1] for r in referents)


def test_empty_period_and_reversed_period(configured_store):
    stats = compute(configured_store, START, END)
    assert stats.by_organisation == [] and stats.meetings == 0 and rate_text(stats.overall) == "—"
    with pytest.raises(UserError, match="précède"):
        compute(configured_store, END, START)
