"""Calendar navigation, the meeting editor's validation and series, invitees with the charter refusal,
minutes, and the area registration."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from clspd_desktop.domain.directory import CharterSignature, FormationKind, Membership, WorkingGroupType
from clspd_desktop.domain.meetings import Meeting, MeetingStatus
from clspd_desktop.ui.meetings.detail import MeetingDetail
from clspd_desktop.ui.meetings.invitees_tab import InviteesTab
from clspd_desktop.ui.meetings.meeting_dialog import THIS_AND_FOLLOWING, MeetingDialog
from clspd_desktop.ui.meetings.minutes_editor import MinutesEditor
from clspd_desktop.ui.meetings.page import MeetingsPage
from clspd_desktop.ui.widgets import modal
from tests.factories import add_contact, add_organisation, add_working_group


def plenary(ctx) -> int:
    return ctx.store.formations.by_kind(FormationKind.PLENARY).id


def save(ctx, day: date, formation_id=None, **kw) -> Meeting:
    start = datetime.combine(day, time(14))
    return ctx.store.meetings.save_meeting(Meeting(formation_id=formation_id or plenary(ctx), starts_at=start,
                                                   ends_at=start + timedelta(hours=2), **kw))


def test_month_view_navigation_and_marks(ctx, qtbot, qtmodeltester):
    group = add_working_group(ctx.store, "Cellule", confidential=True)
    save(ctx, date(2025, 3, 18), title="Plénière")
    cancelled = save(ctx, date(2025, 4, 8), formation_id=group.id)
    ctx.store.meetings.cancel(cancelled.id)
    page = MeetingsPage(ctx, today=date(2025, 3, 12))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading)  # the meetings are read on a worker for the first show
    month = page.month
    assert month.title.text() == "Mars 2025"
    chips = month.cell(date(2025, 3, 18)).chips
    assert [c.text() for c in chips] == ["14:00 Plénière"]
    month.next_button.click()
    assert month.title.text() == "Avril 2025"
    chip = month.cell(date(2025, 4, 8)).chips[0]
    assert "[conf.]" in chip.text() and chip.font().strikeOut()
    month.go(-13)
    assert month.title.text() == "Mars 2024" and not any(c.chips for c in month.cells)
    month.set_month(date(2024, 12, 1))
    month.go(1)
    assert month.title.text() == "Janvier 2025"
    qtmodeltester.check(page.list.table.table_model)


def test_double_click_a_day_creates_a_meeting_that_day(ctx, qtbot, monkeypatch):
    page = MeetingsPage(ctx, today=date(2025, 3, 12))
    qtbot.addWidget(page)
    page.show()
    seen = []

    def fill(dialog):
        if isinstance(dialog, MeetingDialog):
            seen.append(dialog.day.value())
            dialog.title_edit.setText("Plénière de printemps")
            dialog.accept()
            return dialog.result() == dialog.DialogCode.Accepted
        return False  # the detail window opened afterwards

    monkeypatch.setattr(modal, "run", fill)
    page.month.cell(date(2025, 3, 20)).activated.emit(date(2025, 3, 20))
    assert seen == [date(2025, 3, 20)]
    assert [m.title for m in ctx.store.meetings.meetings_between(date(2025, 3, 20), date(2025, 3, 20))] == [
        "Plénière de printemps"]
    assert [c.text() for c in page.month.cell(date(2025, 3, 20)).chips] == ["14:00 Plénière"]
    page.tabs.setCurrentIndex(1)
    page.list.period.select("all")
    assert page.list.count.text() == "1 réunion"


def test_editor_refuses_end_before_start_and_warns_holidays(ctx, qtbot):
    dialog = MeetingDialog(ctx, day=date(2025, 3, 18))
    qtbot.addWidget(dialog)
    dialog.day.setText("14/07/2025")
    assert "Fête nationale" in dialog.warning.text()
    dialog.day.setText("15/07/2025")
    assert dialog.warning.text() == ""
    dialog.end_time.setTime(dialog.start_time.time().addSecs(-3600))
    dialog.accept()
    assert dialog.errors.message("ends_at") == "La réunion doit se terminer après son début."
    assert ctx.store.meetings.meetings_between(date(2025, 1, 1), date(2025, 12, 31)) == []
    dialog.day.setText("32/13/2025")
    dialog.accept()
    assert "Date non reconnue" in dialog.errors.message("date")


def test_editor_creates_a_series_and_edits_the_following_occurrences(ctx, qtbot, dialogs):
    group = add_working_group(ctx.store, "Tranquillité", confidential=False, wg_type=WorkingGroupType.THEMATIC)
    dialog = MeetingDialog(ctx, day=date(2025, 1, 14), formation_id=group.id)
    qtbot.addWidget(dialog)
    dialog.repeat.setChecked(True)
    dialog.until.setText("30/06/2025")
    dialog.agenda.add_item("Tour de table", edit=False)
    dialogs.confirms.append(True)
    dialog.accept()
    assert "le samedi 14 juin 2025 tombe un week-end" in dialogs.confirm_texts[-1]
    assert len(dialog.saved) == 6
    third = ctx.store.meetings.get_meeting(dialog.saved[2].id)
    editor = MeetingDialog(ctx, third)
    qtbot.addWidget(editor)
    editor.scope.select(THIS_AND_FOLLOWING)
    editor.place.setText("Maison de quartier")
    editor.accept()
    places = [m.place for m in ctx.store.meetings.series_meetings(third.series_id)]
    assert places == ["", "", "Maison de quartier", "Maison de quartier", "Maison de quartier", "Maison de quartier"]
    overlap = MeetingDialog(ctx, day=date(2025, 3, 1), formation_id=group.id)
    qtbot.addWidget(overlap)
    overlap.repeat.setChecked(True)
    overlap.until.setText("31/12/2025")
    dialogs.confirms.append(True)  # 1 March 2025 is a Saturday: created anyway, then refused for the overlap
    overlap.accept()
    assert "a déjà une série" in overlap.errors.message("until")


def test_invitees_tab_invites_members_and_lists_refusals(ctx, qtbot, dialogs, qtmodeltester):
    store = ctx.store
    group = add_working_group(store)
    org = add_organisation(store, "Mission locale")
    signed = add_contact(store, org, "Signataire", "Ana")
    unsigned = add_contact(store, org, "Réticent", "Marc")
    for contact in (signed, unsigned):
        store.formations.save_membership(Membership(group.id, contact.id))
    store.formations.save_signature(CharterSignature(signed.id, "2014", date(2024, 1, 1)))
    meeting = save(ctx, date(2025, 3, 18), formation_id=group.id)
    tab = InviteesTab(ctx, meeting.id)
    qtbot.addWidget(tab)
    tab.show()
    assert not tab.refused.isHidden() and "Réticent" in tab.refused.text()
    assert "n'a pas signé la charte" in tab.refused.text()
    tab.invite_button.click()
    qtmodeltester.check(tab.table.table_model)
    assert [r[1].name for r in tab.table.table_model.records()] == ["Mme Ana Signataire"]
    assert dialogs.warned and "Réticent" in dialogs.warned[0][1]
    tab.table.selectRow(0)
    dialogs.confirms.append(True)
    tab.remove_button.click()
    assert store.meetings.invitations(meeting.id) == []


def test_minutes_editor_saves_notes_and_marks_confidential(ctx, qtbot):
    from clspd_desktop.domain.meetings import AgendaItem

    group = add_working_group(ctx.store)
    meeting = save(ctx, date(2025, 3, 18), formation_id=group.id, agenda=[AgendaItem("Situations suivies")])
    editor = MinutesEditor(ctx, meeting.id)
    qtbot.addWidget(editor)
    assert editor.banner.text() == "RELEVÉ DE CONCLUSIONS — CONFIDENTIEL"
    editor.summary.setPlainText("Trois situations examinées.")
    editor.item_notes[meeting.agenda[0].id].setPlainText("Orientation vers la PJJ décidée.")
    assert editor.save()
    assert ctx.store.meetings.minutes(meeting.id).summary == "Trois situations examinées."
    assert ctx.store.meetings.agenda(meeting.id)[0].notes == "Orientation vers la PJJ décidée."
    plain = MinutesEditor(ctx, save(ctx, date(2025, 4, 1)).id)
    qtbot.addWidget(plain)
    assert plain.banner.text() == "Compte rendu"


def test_detail_postpone_and_cancel_keep_the_row(ctx, qtbot, dialogs, monkeypatch):
    meeting = save(ctx, date(2025, 3, 18))
    detail = MeetingDetail(ctx, meeting.id)
    qtbot.addWidget(detail)
    detail.show()

    def fill(dialog):
        dialog.day.setText("25/03/2025")
        dialog.accept()
        return True

    monkeypatch.setattr(modal, "run", fill)
    detail.postpone_button.click()
    moved = ctx.store.meetings.get_meeting(meeting.id)
    assert moved.status is MeetingStatus.POSTPONED and moved.starts_at.date() == date(2025, 3, 25)
    assert "mardi 25 mars 2025" in detail.heading.text()
    dialogs.confirms.append(True)
    detail.cancel_button.click()
    assert ctx.store.meetings.get_meeting(meeting.id).status is MeetingStatus.CANCELLED
    assert not detail.cancel_button.isEnabled()


def test_meetings_area_is_registered(ctx):
    from clspd_desktop.ui.areas import build_areas

    areas = build_areas(ctx)
    keys = [a.key for a in areas]
    assert keys.index("meetings") == keys.index("partners") + 1
    assert next(a for a in areas if a.key == "meetings").shortcut == "Ctrl+4"
