"""The live attendance screen, driven by the keyboard only; every mark is in the database at once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from clspd_desktop.domain.directory import FormationKind, OrganisationCategory
from clspd_desktop.domain.meetings import Attendance, Meeting
from clspd_desktop.services.operations.meetings import invite_contact
from clspd_desktop.ui.meetings.attendance_view import AttendanceModel, AttendanceView
from clspd_desktop.ui.widgets import modal
from tests.factories import add_contact, add_organisation

START = datetime(2025, 3, 18, 14, 0)


@pytest.fixture
def meeting(ctx):
    store = ctx.store
    pref = add_organisation(store, "Préfecture de l'Essonne", OrganisationCategory.PREFECTURE)
    police = add_organisation(store, "Commissariat de Montreval", OrganisationCategory.POLICE)
    m = store.meetings.save_meeting(Meeting(formation_id=store.formations.by_kind(FormationKind.PLENARY).id,
                                            starts_at=START, ends_at=START + timedelta(hours=2)))
    for org, last, first in ((pref, "Bénard", "Élodie"), (police, "Garnier", "Olivier"),
                             (police, "Masson", "Valérie")):
        invite_contact(store, m.id, add_contact(store, org, last, first).id)
    return m


def by_name(ctx, meeting_id):
    return {i.name.split()[-1]: i for i in ctx.store.meetings.invitations(meeting_id)}


def test_type_letters_and_enter_marks_present_with_late_arrival(ctx, meeting, qtbot, qtmodeltester):
    clock = [START + timedelta(minutes=3)]
    view = AttendanceView(ctx, meeting.id, clock=lambda: clock[0])
    qtbot.addWidget(view)
    view.show()  # a screen follows the dispatcher while shown
    ctx.runner.guard_writes()  # each mark is a quick operation on the GUI thread, nothing else writes
    qtmodeltester.check(view.table.table_model)
    assert isinstance(view.table.table_model, AttendanceModel)
    assert view.count.text() == "0 / 3"
    qtbot.keyClicks(view.filter, "benard")  # accent-insensitive: finds Bénard
    assert [i.name for i in view.visible()] == ["Mme Élodie Bénard"]
    qtbot.keyClick(view.filter, Qt.Key.Key_Return)
    assert by_name(ctx, meeting.id)["Bénard"].attendance is Attendance.PRESENT
    assert by_name(ctx, meeting.id)["Bénard"].arrived_at is None  # on time (within the grace period)
    assert view.filter.text() == "" and view.count.text() == "1 / 3"
    clock[0] = START + timedelta(minutes=25)
    qtbot.keyClicks(view.filter, "valer")
    qtbot.keyClick(view.filter, Qt.Key.Key_Enter)
    assert by_name(ctx, meeting.id)["Masson"].arrived_at == datetime(2025, 3, 18, 14, 25)
    assert "14 h 25" in view.status.text()


def test_keys_for_excused_absent_clear_and_moving(ctx, meeting, qtbot):
    view = AttendanceView(ctx, meeting.id, clock=lambda: START)
    qtbot.addWidget(view)
    view.show()  # a screen follows the dispatcher while shown
    qtbot.keyClicks(view.filter, "montreval")  # two people of the commissariat
    assert len(view.visible()) == 2
    qtbot.keyClick(view.filter, Qt.Key.Key_Down)
    second = view.current().name
    qtbot.keyClick(view.filter, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert by_name(ctx, meeting.id)[second.split()[-1]].attendance is Attendance.EXCUSED
    qtbot.keyClicks(view.filter, "garnier")
    qtbot.keyClick(view.filter, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert by_name(ctx, meeting.id)["Garnier"].attendance is Attendance.ABSENT
    qtbot.keyClicks(view.filter, "garnier")
    qtbot.keyClick(view.filter, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert by_name(ctx, meeting.id)["Garnier"].attendance is None
    qtbot.keyClicks(view.filter, "nobody")
    qtbot.keyClick(view.filter, Qt.Key.Key_Return)
    assert "Aucune personne" in view.status.text()


def test_represented_by_a_referent_picked_by_keyboard(ctx, meeting, qtbot, monkeypatch):
    other = add_contact(ctx.store, None, "Leroy", "Paul", function="Commandant")
    view = AttendanceView(ctx, meeting.id, clock=lambda: START)
    qtbot.addWidget(view)
    view.show()  # a screen follows the dispatcher while shown

    def fill(dialog):
        qtbot.keyClicks(dialog.picker.search, "leroy")
        dialog.accept()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(modal, "run", fill)
    qtbot.keyClicks(view.filter, "garnier")
    qtbot.keyClick(view.filter, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    garnier = by_name(ctx, meeting.id)["Garnier"]
    assert garnier.attendance is Attendance.REPRESENTED
    assert garnier.represented_by == "Mme Paul Leroy" and garnier.represented_by_contact_id == other.id
    assert view.count.text() == "1 / 3"


def test_walk_in_with_ctrl_w_creates_the_referent(ctx, meeting, qtbot, monkeypatch):
    view = AttendanceView(ctx, meeting.id, clock=lambda: START + timedelta(minutes=40))
    qtbot.addWidget(view)
    view.show()  # a screen follows the dispatcher while shown

    def fill(dialog):
        qtbot.keyClicks(dialog.last_name, "Nouveau")
        qtbot.keyClicks(dialog.first_name, "Jean")
        dialog.function.setText("Éducateur de prévention")
        dialog.accept()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(modal, "run", fill)
    before = ctx.store.directory.count_contacts()
    qtbot.keyClick(view.filter, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert ctx.store.directory.count_contacts() == before + 1
    walk_in = by_name(ctx, meeting.id)["Nouveau"]
    assert walk_in.walk_in and walk_in.attendance is Attendance.PRESENT
    assert walk_in.arrived_at == datetime(2025, 3, 18, 14, 40) and walk_in.function == "Éducateur de prévention"
    assert view.count.text() == "1 / 3"  # a walk-in is present but was not convened
    assert "(arrivée non prévue)" in view.table.table_model.data(
        view.table.table_model.index([i.walk_in for i in view.visible()].index(True), 0))


def test_walk_in_refused_in_confidential_group_is_explained(ctx, qtbot, monkeypatch, dialogs):
    from tests.factories import add_working_group

    group = add_working_group(ctx.store)
    m = ctx.store.meetings.save_meeting(Meeting(formation_id=group.id, starts_at=START,
                                                ends_at=START + timedelta(hours=1)))
    view = AttendanceView(ctx, m.id, clock=lambda: START)
    qtbot.addWidget(view)
    view.show()  # a screen follows the dispatcher while shown

    def fill(dialog):
        dialog.last_name.setText("Inconnu")
        dialog.accept()
        return True

    monkeypatch.setattr(modal, "run", fill)
    qtbot.keyClick(view.filter, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert dialogs.warned and "charte" in dialogs.warned[0][1]
    assert ctx.store.directory.count_contacts() == 0 and ctx.store.meetings.invitations(m.id) == []


def test_deleted_referent_stays_on_the_attendance_list(ctx, meeting, qtbot):
    garnier = by_name(ctx, meeting.id)["Garnier"]
    ctx.store.meetings.set_attendance(garnier.id, Attendance.PRESENT)
    ctx.store.directory.delete_contact(garnier.contact_id)
    view = AttendanceView(ctx, meeting.id, clock=lambda: START)
    qtbot.addWidget(view)
    view.show()  # a screen follows the dispatcher while shown
    qtbot.keyClicks(view.filter, "garnier")
    assert [i.name for i in view.visible()] == ["Mme Olivier Garnier"]
    assert date(2025, 3, 18) == view.meeting.starts_at.date()
