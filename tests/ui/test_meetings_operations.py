"""Réunions through the operations layer: the calendar stays tidy after a meeting is created, counters follow
the dispatcher, deletions are undone with Ctrl+Z, typed minutes are never lost, and no screen writes on its
own (the GUI connection refuses writes outside an operation in these tests)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QDialog

from clspd_desktop.domain.directory import Formation, FormationKind, OrganisationCategory
from clspd_desktop.domain.meetings import (
    AgendaItem,
    Attendance,
    Decision,
    InvitationRole,
    Meeting,
    MeetingStatus,
    Minutes,
    Reply,
)
from clspd_desktop.services.convocation_sending import DraftBatch
from clspd_desktop.services.operations import OpChanges
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.ui.main_window import MainWindow
from clspd_desktop.ui.meetings.detail import MeetingDetail
from clspd_desktop.ui.meetings.invitees_tab import InviteesTab
from clspd_desktop.ui.meetings.meeting_dialog import MeetingDialog
from clspd_desktop.ui.meetings.month_view import DayCell, MeetingChip
from clspd_desktop.ui.meetings.page import MeetingsPage
from clspd_desktop.ui.widgets import modal
from tests.factories import add_contact, add_organisation, join

TODAY = date(2025, 3, 12)


def plenary_id(ctx) -> int:
    return ctx.store.formations.by_kind(FormationKind.PLENARY).id


def new_meeting(ctx, day: date = date(2025, 3, 18), **kw) -> Meeting:
    start = datetime.combine(day, time(14))
    return ctx.runner.call(partial(ops.save_meeting, meeting=Meeting(
        formation_id=plenary_id(ctx), starts_at=start, ends_at=start + timedelta(hours=2), **kw)))[0]


def members(ctx, count: int) -> None:
    org = add_organisation(ctx.store, "Commune de Montreval", OrganisationCategory.ELECTED)
    for n in range(count):
        join(ctx.store, add_contact(ctx.store, org, f"Membre{n:03d}", "Anne", email=f"m{n}@montreval.fr"))


@pytest.fixture
def make_page(ctx, qtbot):
    """The Réunions area, shown, once the test data is written: from then on every write must go through an
    operation."""

    def make() -> MeetingsPage:
        widget = MeetingsPage(ctx, today=TODAY)
        qtbot.addWidget(widget)
        widget.resize(1366, 700)
        widget.show()
        qtbot.waitExposed(widget)
        ctx.runner.guard_writes()
        return widget

    return make


# --- the calendar overdraw ---------------------------------------------------------------------------------
def _header_band(month) -> QRect:
    """The month title, the navigation buttons and the weekday headings: nothing may be drawn over them."""
    bottom = max(month.grid.itemAtPosition(0, c).widget().geometry().bottom() for c in range(7))
    return QRect(0, 0, month.legend.x(), bottom + 1)  # the legend's count changes, rightly


def _assert_tidy(month) -> None:
    band = _header_band(month)
    cells = [c for c in month.findChildren(DayCell) if c.isVisibleTo(month)]
    assert len(cells) == 42  # no stray cell left over from an earlier month or refresh
    for cell in cells:
        assert month.grid.indexOf(cell) >= 0 and not cell.geometry().intersects(band)
    for chip in month.findChildren(MeetingChip):
        if chip.isVisibleTo(month):
            cell = chip.parentWidget()
            assert isinstance(cell, DayCell) and cell.layout_.indexOf(chip) >= 0


def test_creating_a_meeting_leaves_the_month_title_and_headings_untouched(ctx, make_page, qtbot, monkeypatch):
    page = make_page()
    month = page.month
    month.set_month(date(2025, 3, 1))
    qtbot.wait(50)
    band = _header_band(month)
    before = month.grab(band).toImage()
    opened = []

    def fill(dialog: QDialog) -> bool:
        opened.append(type(dialog).__name__)
        if isinstance(dialog, MeetingDialog):
            dialog.title_edit.setText("Plénière de printemps")
            dialog.accept()
            return dialog.result() == QDialog.DialogCode.Accepted
        _assert_tidy(month)  # while the new meeting's window is open over the calendar
        return False

    monkeypatch.setattr(modal, "run", fill)
    month.cell(date(2025, 3, 20)).activated.emit(date(2025, 3, 20))
    assert opened == ["MeetingDialog", "MeetingDetail"]
    _assert_tidy(month)
    assert [c.text() for c in month.cell(date(2025, 3, 20)).chips] == ["14:00 Plénière"]
    qtbot.wait(50)
    _assert_tidy(month)
    assert month.grab(band).toImage() == before  # pixel for pixel: nothing drawn over the header
    month.go(1)
    month.go(-1)
    _assert_tidy(month)
    assert month.legend.text() == "1 réunion ce mois-ci"


def test_more_meetings_than_shown_collapse_and_clear_on_navigation(ctx, make_page, qtbot):
    for hour in range(8, 14):
        start = datetime(2025, 3, 18, hour)
        group = ctx.store.formations.save(Formation(kind=FormationKind.WORKING_GROUP, name=f"GT {hour}"))
        ctx.runner.call(partial(ops.save_meeting, meeting=Meeting(formation_id=group.id, starts_at=start,
                                                                  ends_at=start + timedelta(minutes=50))))
    page = make_page()
    page.month.set_month(date(2025, 3, 1))
    cell = page.month.cell(date(2025, 3, 18))
    assert len(cell.chips) == 4 and not cell.more.isHidden()
    assert 1 <= cell.shown <= 4 and cell.more.text() == f"+ {6 - cell.shown} {'autre' if 6 - cell.shown == 1 else 'autres'}"
    for chip in cell.chips[:cell.shown]:  # every chip shown is whole, inside its cell
        assert cell.rect().contains(chip.geometry()) and chip.height() >= chip.sizeHint().height()
    page.resize(1366, 1400)  # a taller window shows the four chips
    qtbot.waitUntil(lambda: cell.shown == 4)
    assert cell.more.text() == "+ 2 autres"
    page.month.go(1)
    assert all(not c.chips and c.more.isHidden() for c in page.month.cells)
    _assert_tidy(page.month)


# --- counters follow the dispatcher ------------------------------------------------------------------------
def test_inviting_90_people_updates_the_sent_counter_and_the_summary(ctx, qtbot):
    members(ctx, 90)
    meeting = new_meeting(ctx, date(2026, 12, 8))
    detail = MeetingDetail(ctx, meeting.id)
    qtbot.addWidget(detail)
    detail.show()
    ctx.runner.guard_writes()
    detail.tabs.setCurrentWidget(detail.sending)
    assert "Convocations envoyées : 0 sur 0." in detail.sending.notice.text()
    detail.tabs.setCurrentWidget(detail.invitees)
    detail.invitees.invite_button.click()
    assert detail.invitees.summary.text().startswith("90 invités")
    detail.tabs.setCurrentWidget(detail.sending)
    assert "Convocations envoyées : 0 sur 90." in detail.sending.notice.text()
    detail.tabs.setCurrentWidget(detail.attendance)
    assert detail.attendance.count.text() == "0 / 90"
    first_30 = ctx.store.meetings.invitations(meeting.id)[:30]
    batch = DraftBatch(ctx.paths.exports_dir, [], first_30, [])
    ctx.runner.call(partial(ops.record_drafts_sent, batch=batch))
    detail.tabs.setCurrentWidget(detail.invitees)
    assert "30 convocations envoyées" in detail.invitees.summary.text()
    detail.tabs.setCurrentWidget(detail.sending)
    assert "Convocations envoyées : 30 sur 90." in detail.sending.notice.text()
    # QA: « 88 convocations envoyées » beside « 50 sur 50 » (copies for information counted as convocations)
    for copy in first_30[:8]:
        ctx.runner.call(partial(ops.set_role, invitation_id=copy.id, role=InvitationRole.INFORMED))
    detail.tabs.setCurrentWidget(detail.invitees)
    assert "22 convocations et 8 copies pour information envoyées." in detail.invitees.summary.text()
    detail.tabs.setCurrentWidget(detail.sending)
    assert "Convocations envoyées : 22 sur 82." in detail.sending.notice.text()


def test_a_change_made_elsewhere_reaches_every_open_meetings_screen(ctx, make_page, qtbot):
    members(ctx, 3)
    meeting = new_meeting(ctx, agenda=[AgendaItem("Bilan")])
    page = make_page()
    detail = MeetingDetail(ctx, meeting.id)
    qtbot.addWidget(detail)
    detail.show()
    page.month.set_month(date(2025, 3, 1))
    assert [c.text() for c in page.month.cell(date(2025, 3, 18)).chips] == ["14:00 Plénière"]
    ctx.runner.call(partial(ops.invite_members, meeting_id=meeting.id))
    assert detail.invitees.table.table_model.rowCount() == 3  # the visible tab at once
    detail.tabs.setCurrentWidget(detail.attendance)  # a hidden tab when it is shown
    assert detail.attendance.count.text() == "0 / 3"
    ctx.runner.call(partial(ops.postpone_meeting, meeting_id=meeting.id, starts_at=datetime(2025, 3, 25, 10),
                            ends_at=datetime(2025, 3, 25, 12)))
    assert "mardi 25 mars 2025" in detail.heading.text()
    assert page.month.cell(date(2025, 3, 18)).chips == []
    assert [c.text() for c in page.month.cell(date(2025, 3, 25)).chips] == ["10:00 Plénière"]
    ctx.runner.call(partial(ops.save_decision, decision=Decision(meeting.id, "Adopter le plan.")))
    detail.tabs.setCurrentWidget(detail.minutes)
    assert [d.text for d in detail.minutes.decisions.table_model.records()] == ["Adopter le plan."]


# --- undo --------------------------------------------------------------------------------------------------
def test_deleted_meeting_comes_back_with_ctrl_z(ctx, make_page, dialogs, monkeypatch):
    members(ctx, 4)
    meeting = new_meeting(ctx, agenda=[AgendaItem("Bilan")])
    ctx.runner.call(partial(ops.invite_members, meeting_id=meeting.id))
    ctx.runner.call(partial(ops.save_minutes, minutes=Minutes(meeting.id, summary="Séance ouverte."),
                            item_notes={}))
    page = make_page()
    page.month.set_month(date(2025, 3, 1))

    def delete(dialog: QDialog) -> bool:
        dialogs.confirms.append(True)
        dialog.delete_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(modal, "run", delete)
    page.open_meeting(meeting.id)
    assert ctx.store.meetings.get_meeting(meeting.id) is None
    assert page.month.cell(date(2025, 3, 18)).chips == []
    assert "Ctrl+Z" in dialogs.confirm_texts[-1]
    assert ctx.runner.undo_label == "Suppression de la réunion du mardi 18 mars 2025"
    assert ctx.runner.undo(page)
    assert ctx.store.meetings.get_meeting(meeting.id).agenda[0].title == "Bilan"
    assert len(ctx.store.meetings.invitations(meeting.id)) == 4
    assert ctx.store.meetings.minutes(meeting.id).summary == "Séance ouverte."
    assert [c.text() for c in page.month.cell(date(2025, 3, 18)).chips] == ["14:00 Plénière"]


def test_removed_invitee_comes_back_with_ctrl_z(ctx, qtbot, dialogs):
    members(ctx, 2)
    meeting = new_meeting(ctx)
    ctx.runner.call(partial(ops.invite_members, meeting_id=meeting.id))
    first = ctx.store.meetings.invitations(meeting.id)[0]
    ctx.runner.call(partial(ops.set_reply, invitation_id=first.id, reply=Reply.EXCUSED))
    tab = InviteesTab(ctx, meeting.id)
    qtbot.addWidget(tab)
    tab.show()
    ctx.runner.guard_writes()
    tab.table.selectRow(0)
    dialogs.confirms.append(True)
    tab.remove_button.click()
    assert tab.table.table_model.rowCount() == 1
    assert ctx.runner.undo_label == f"Retrait de l'invité {first.name}"
    assert ctx.runner.undo(tab)
    assert tab.table.table_model.rowCount() == 2
    back = ctx.store.meetings.get_invitation(first.id)
    assert back.name == first.name and back.reply is not None  # with the reply it had


# --- typed minutes are never lost --------------------------------------------------------------------------
@pytest.fixture
def detail(ctx, qtbot):
    meeting = new_meeting(ctx, agenda=[AgendaItem("Bilan de l'année")])
    window = MeetingDetail(ctx, meeting.id)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.minutes)
    ctx.runner.guard_writes()
    window.minutes.summary.setPlainText("Séance ouverte à 14 h par le maire.")
    return window


def test_closing_the_meeting_window_and_cancelling_keeps_the_typing(ctx, detail, dialogs):
    dialogs.save_choices.append("cancel")
    detail.close()
    assert detail.isVisible() and "Le compte rendu" in dialogs.save_questions[0]
    assert detail.minutes.summary.toPlainText() == "Séance ouverte à 14 h par le maire."
    assert ctx.store.meetings.minutes(detail.meeting_id) is None
    dialogs.save_choices.append("discard")  # when the test closes it


def test_closing_the_meeting_window_and_saving_keeps_the_minutes(ctx, detail, dialogs):
    notes = next(iter(detail.minutes.item_notes.values()))
    notes.setPlainText("Baisse des cambriolages.")
    dialogs.save_choices.append("save")
    detail.reject()  # Échap
    assert not detail.isVisible()
    assert ctx.store.meetings.minutes(detail.meeting_id).summary == "Séance ouverte à 14 h par le maire."
    assert ctx.store.meetings.agenda(detail.meeting_id)[0].notes == "Baisse des cambriolages."


def test_closing_the_meeting_window_without_saving_writes_nothing(ctx, detail, dialogs):
    dialogs.save_choices.append("discard")
    detail.close()
    assert not detail.isVisible()
    assert ctx.store.meetings.minutes(detail.meeting_id) is None


def test_saved_minutes_close_without_a_question(ctx, detail, dialogs):
    assert detail.minutes.save()
    detail.close()
    assert not detail.isVisible() and dialogs.save_questions == []


def test_switching_area_or_quitting_asks_for_the_open_meeting_minutes(ctx, qtbot, dialogs, monkeypatch):
    from clspd_desktop.ui.areas import build_areas

    meeting = new_meeting(ctx)
    window = MainWindow(build_areas(ctx), "CLSPD", runner=ctx.runner)
    qtbot.addWidget(window)
    window.show()
    page = window.show_area("meetings")
    seen = []

    def inside(dialog: QDialog) -> bool:
        dialog.minutes.summary.setPlainText("Compte rendu en cours.")
        dialogs.save_choices.extend(["cancel", "cancel"])
        window.show_area("plan")  # « Annuler »: the area stays
        seen.append(window.current_key())
        window.close()  # « Annuler »: the application stays
        seen.append(window.isVisible())
        dialogs.save_choices.append("save")
        window.show_area("plan")
        seen.append(window.current_key())
        return False

    monkeypatch.setattr(modal, "run", inside)
    page.open_meeting(meeting.id)
    assert seen == ["meetings", True, "plan"]
    assert ctx.store.meetings.minutes(meeting.id).summary == "Compte rendu en cours."
    assert len(dialogs.save_questions) == 3


def test_after_a_restore_every_meetings_screen_shows_the_restored_data(ctx, qtbot):
    members(ctx, 2)
    meeting = new_meeting(ctx, agenda=[AgendaItem("Bilan")])
    page = MeetingsPage(ctx, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    detail = MeetingDetail(ctx, meeting.id)
    qtbot.addWidget(detail)
    detail.show()
    page.month.set_month(date(2025, 3, 1))
    # what a restore does: the file's content changes under the screens, then every kind is published
    ctx.store.meetings.set_status(meeting.id, MeetingStatus.CANCELLED)
    ops.invite_formation_members(ctx.store, meeting.id)
    ctx.runner.dispatcher.publish(OpChanges.all())
    assert "Statut : Annulée" in detail.details.text()
    assert detail.invitees.table.table_model.rowCount() == 2
    assert page.month.cell(date(2025, 3, 18)).chips[0].font().strikeOut()
    detail.tabs.setCurrentWidget(detail.sending)
    assert "Réunion annulée" in detail.sending.notice.text()
    ctx.store.meetings.delete_meeting(meeting.id)
    ctx.runner.dispatcher.publish(OpChanges.all())
    assert detail.heading.text() == "Cette réunion n'existe plus." and not detail.tabs.isEnabled()
    assert page.month.cell(date(2025, 3, 18)).chips == []


# --- long work on the worker -------------------------------------------------------------------------------
def test_convocations_for_120_invitees_are_written_on_the_worker(ctx, qtbot, dialogs, tmp_path):
    from pypdf import PdfReader

    members(ctx, 120)
    meeting = new_meeting(ctx, date(2026, 12, 8))
    ctx.runner.call(partial(ops.invite_members, meeting_id=meeting.id))
    detail = MeetingDetail(ctx, meeting.id)
    qtbot.addWidget(detail)
    detail.show()
    ctx.runner.guard_writes()
    detail.tabs.setCurrentWidget(detail.sending)
    dialogs.files.append(tmp_path / "convocations.pdf")
    detail.sending.convocations_button.click()
    assert ctx.runner.busy and ctx.runner.running_label == "Convocations (PDF)…"  # the GUI thread is free
    detail.close()  # its result comes back to this window: closing waits
    assert detail.isVisible() and "est en cours" in dialogs.informed[-1][1]
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=30_000)
    assert len(PdfReader(tmp_path / "convocations.pdf").pages) >= 120
    assert dialogs.informed[-1][0] == "Convocations (PDF)"
    detail.close()
    assert not detail.isVisible()


def test_documents_tab_and_statistics_follow_the_dispatcher(ctx, qtbot, tmp_path):
    from clspd_desktop.ui.meetings.attendance_stats import AttendanceStatsView
    from clspd_desktop.ui.meetings.documents_tab import DocumentsTab

    members(ctx, 2)
    meeting = new_meeting(ctx, agenda=[AgendaItem("Bilan")])
    ctx.runner.call(partial(ops.invite_members, meeting_id=meeting.id))
    tab = DocumentsTab(ctx, meeting.id)
    qtbot.addWidget(tab)
    tab.show()
    stats = AttendanceStatsView(ctx)
    qtbot.addWidget(stats)
    stats.show()
    stats.start.set_value(date(2025, 1, 1))
    stats.end.set_value(date(2025, 12, 31))
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    stats.reload()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    assert stats.stats.overall.attended == 0
    source = tmp_path / "Diagnostic.pdf"
    source.write_bytes(b"%PDF-1.4 diagnostic")
    assert ctx.runner.start(partial(ops.attach_document, meeting_id=meeting.id, source=source,
                                    agenda_item_id=meeting.agenda[0].id), parent=None, label="Copie…")
    qtbot.waitUntil(lambda: tab.table.table_model.rowCount() == 1, timeout=10_000)
    assert tab.table.table_model.record(0).original_name == "Diagnostic.pdf"
    invitation = ctx.store.meetings.invitations(meeting.id)[0]
    ctx.runner.call(partial(ops.set_attendance, invitation_id=invitation.id,
                            attendance=Attendance.PRESENT))
    assert stats.stats.overall.attended == 0 and "« Calculer » les met à jour" in stats.caption.text()
    stats.refresh_button.click()  # recounted when asked (or when the tab is next shown), never behind the user
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    assert stats.stats.overall.attended == 1 and "Calculer" not in stats.caption.text()


def test_the_sent_wording_counts_convocations_and_copies_apart():
    from clspd_desktop.ui.meetings.invitees_tab import sent_wording

    assert sent_wording(0, 0) == "aucune convocation envoyée"
    assert sent_wording(30, 0) == "30 convocations envoyées"
    assert sent_wording(50, 38) == "50 convocations et 38 copies pour information envoyées"
    assert sent_wording(0, 1) == "aucune convocation et 1 copie pour information envoyée"
