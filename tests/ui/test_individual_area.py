"""« Suivi individuel » (issue 17): the area appears once the module is enabled; unlock (a wrong passphrase
refused in French, nothing lost); three records created through the dialog; an inactive record asks a
consultation reason and opens read-only; the end of a follow-up; the purge three years later (injected
clock); the idle lock closes an open record; the CONFIDENTIEL print read back; a meeting's examination
writes into the records and the minutes keep only the count."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from clspd_desktop.domain.directory import CharterSignature
from clspd_desktop.domain.individual.records import AccessKind, FollowUpRecord, ListKind
from clspd_desktop.domain.individual.rules import load_individual_rules
from clspd_desktop.domain.individual.settings import FormationChoice, ResponsibleRole
from clspd_desktop.services.individual.session import IndividualSession, store_path
from clspd_desktop.services.operations import individual as ops
from clspd_desktop.ui.individual.dialogs import RecordDialog, UnlockDialog
from clspd_desktop.ui.individual.page import IndividualPage
from tests.factories import add_contact, add_organisation, add_working_group, join
from tests.individual_helpers import PASSPHRASE, Clock
from tests.pdf_text import text_of
from tests.ui.test_partners_support import cancel, save

START = datetime(2026, 12, 4, 9, 0)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def group(ctx):
    return add_working_group(ctx.store, "Groupe jeunesse", confidential=True)


@pytest.fixture
def session(ctx, clock) -> IndividualSession:
    session = IndividualSession(ctx.paths, load_individual_rules(), clock)
    ctx.__dict__["individual"] = session  # the context's session, with the test's clock
    return session


def enable(ctx, session, group) -> None:
    ctx.runner.call(partial(ops.enable_module, session=session, passphrase=PASSPHRASE, confirmation=PASSPHRASE,
                            responsible_role=ResponsibleRole.MAYOR, responsible_name="Marie Dupré",
                            coordinator_name="Paul Coord",
                            groups=[FormationChoice(group.id, group.name, "working_group")]))


@pytest.fixture
def enabled(ctx, session, group) -> IndividualSession:
    enable(ctx, session, group)
    return session


@pytest.fixture
def page(ctx, enabled, qtbot) -> IndividualPage:
    page = IndividualPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 760)
    page.show()
    return page


def fill_record(last: str, first: str, birth: str, entry: str = "01/09/2026"):
    def handler(dialog: RecordDialog) -> None:
        dialog.last_name.setText(last)
        dialog.first_name.setText(first)
        dialog.birth_date.setText(birth)
        dialog.entry_date.setText(entry)
        dialog.reasons.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.sources.item(1).setCheckState(Qt.CheckState.Checked)
        save(dialog)
    return handler


def unlock_with(passphrase: str):
    def handler(dialog: UnlockDialog) -> None:
        dialog.passphrase.setText(passphrase)
        save(dialog)
        if dialog.result() != QDialog.DialogCode.Accepted:
            dialog.wrong_message = dialog.errors.message("passphrase")
            cancel(dialog)
    return handler


def create_three(page, modals) -> list[FollowUpRecord]:
    for last, first, birth in (("Lefebvre", "Inès", "12/03/2011"), ("Moreau", "Sam", "02/07/2009"),
                               ("Petit", "Lou", "25/12/2005")):
        modals.then(fill_record(last, first, birth))
        assert page.new_record()
    return page.ctx.individual.store.records()


def test_the_area_appears_only_once_the_module_is_enabled(qtbot, ctx, session, group):
    from clspd_desktop.app import build_main_window

    window = build_main_window(ctx)
    qtbot.addWidget(window)
    assert not window.has_area("individual") and not store_path(ctx.paths).exists()
    enable(ctx, session, group)  # what the Conseil area's activation runs
    assert window.has_area("individual")
    assert window.nav.item(window.nav.count() - 1).text() == "Suivi individuel"
    assert isinstance(window.show_area("individual"), IndividualPage)
    assert [a.shortcut for a in window.areas][-1] == "Ctrl+8"


def test_unlock_refuses_a_wrong_passphrase_in_french_and_changes_nothing(page, modals, ctx, enabled):
    page.guard.lock()
    before = store_path(ctx.paths).read_bytes()
    assert page.stack.currentWidget() is page.locked_panel and page.records.model().rowCount() == 0
    modals.then(unlock_with("pas la bonne phrase"))
    assert not page.unlock()
    wrong = modals.opened[-1]
    # article 8 of the délibération: the user is told that access is logged, before unlocking
    notice = " ".join(label.text() for label in wrong.findChildren(QLabel))
    assert "inscrit au journal des accès" in notice
    assert "Phrase de passe incorrecte" in wrong.wrong_message and "Rien n'a été modifié" in wrong.wrong_message
    assert store_path(ctx.paths).read_bytes() == before and enabled.locked
    modals.then(unlock_with(PASSPHRASE))
    assert page.unlock()
    assert page.stack.currentWidget() is page.tabs and not enabled.locked


def test_three_records_an_inactive_one_asks_a_reason_and_opens_read_only(page, modals, dialogs, enabled, clock):
    records = create_three(page, modals)
    assert [r.last_name for r in records] == ["Lefebvre", "Moreau", "Petit"]
    assert page.records.model().rowCount() == 3
    lefebvre = records[0]
    assert lefebvre.reason_ids and lefebvre.source_ids and lefebvre.group_name == "Groupe jeunesse"

    # reasons are only ticked: no reason ticked is refused beside the list, nothing written
    def no_reason(dialog: RecordDialog) -> None:
        dialog.last_name.setText("Sansmotif")
        dialog.first_name.setText("A")
        dialog.birth_date.setText("01/01/2012")
        save(dialog)
        assert "motif" in dialog.errors.message("reason_ids")
        dialog.sources.item(0).setCheckState(Qt.CheckState.Unchecked)
        dialog.last_name.clear()
        dialog.first_name.clear()
        dialog.birth_date.clear()
        cancel(dialog)
    modals.then(no_reason)
    page.new_record()
    assert len(enabled.store.records()) == 3

    # an action, then the end of the follow-up from the record itself
    def add_action_then_end(dialog: RecordDialog) -> None:
        def action(a) -> None:
            a.partner.setText("Mission locale")
            a.note.setPlainText("Rendez-vous fixé")
            save(a)
        modals.then(action)
        dialog.add_action()
        assert dialog.actions_table.model().rowCount() == 1

        def end(e) -> None:
            e.end_date.setText("01/12/2026")
            save(e)
        modals.then(end)
        dialog.end_follow_up()
    modals.then(add_action_then_end)
    assert page.open_record(lefebvre.id) is False  # closed by the end of the follow-up, not accepted
    assert "sera détruite le samedi 1er décembre 2029" in dialogs.informed[-1][1]
    assert not enabled.store.record(lefebvre.id).active

    # consulting it now asks a reason (cancelled: nothing opened nor logged)
    opens = len([e for e in enabled.store.access_log() if e.kind is AccessKind.OPEN])
    dialogs.choices.append(None)
    assert page.open_record(lefebvre.id) is False
    assert len([e for e in enabled.store.access_log() if e.kind is AccessKind.OPEN]) == opens
    reasons = enabled.store.list_items(ListKind.CONSULTATION_REASON, active_only=True)
    dialogs.choices.append(1)

    def read_only(dialog: RecordDialog) -> None:
        assert dialog.read_only and dialog.last_name.isReadOnly() and dialog.save_button.isHidden()
        assert not dialog.reasons.item(0).flags() & Qt.ItemFlag.ItemIsUserCheckable
        assert not dialog.add_action_button.isEnabled() and not dialog.end_button.isEnabled()
        cancel(dialog)
    modals.then(read_only)
    page.open_record(lefebvre.id)
    assert dialogs.choice_options[-1] == [r.label for r in reasons]
    last = enabled.store.access_log()[-1]
    assert (last.kind, last.record_id, last.reason) == (AccessKind.OPEN, lefebvre.id, reasons[1].label)
    page.tabs.setCurrentIndex(1)
    assert page.log.model().rowCount() == len(enabled.store.access_log())


def test_purge_three_years_later_with_an_injected_clock(page, modals, dialogs, enabled, clock, ctx):
    records = create_three(page, modals)
    ctx.runner.call(partial(ops.end_follow_up, session=enabled, record_id=records[1].id, end_date=date(2026, 12, 1)))
    clock.now = datetime(2029, 11, 10, 9, 0)  # within 30 days of 1 December 2029
    page.refresh()
    assert page.due.model().rowCount() == 1 and not page.purge_button.isEnabled()
    clock.now = datetime(2029, 12, 2, 9, 0)
    page.refresh()
    assert page.purge_button.isEnabled()
    dialogs.confirms.append(True)
    assert page.purge()
    assert "1 fiche détruite" in dialogs.informed[-1][1]
    assert [r.last_name for r in enabled.store.records()] == ["Lefebvre", "Petit"]
    assert page.records.model().rowCount() == 2 and page.due.model().rowCount() == 0


def test_idle_lock_closes_the_open_record_and_forgets_the_rows(page, modals, enabled, clock, ctx):
    create_three(page, modals)
    record = enabled.store.records()[0]
    seen = {}

    def left_open(dialog: RecordDialog) -> None:
        clock.now += timedelta(minutes=enabled.rules.inactivity_lock_minutes - 1)
        assert not page.guard.check_idle()
        clock.now += timedelta(minutes=2)
        assert page.guard.check_idle()  # what the timer does
        seen["visible"] = dialog.isVisible()
        seen["name"] = dialog.last_name.text()
        seen["rows"] = dialog.actions_table.model().rowCount() + dialog.reasons.count()
        seen["result"] = dialog.result()
    modals.then(left_open)
    page.open_record(record.id)
    assert seen == {"visible": False, "name": "", "rows": 0, "result": QDialog.DialogCode.Rejected}
    assert enabled.locked and page.stack.currentWidget() is page.locked_panel
    assert page.records.model().rowCount() == 0 and "sans activité" in page.locked_text.text()


def test_lock_at_exit(ctx, enabled):
    from clspd_desktop.ui.individual.guard import lock_at_exit

    assert not enabled.locked
    lock_at_exit(ctx)
    assert enabled.locked


def test_print_is_confidential_lists_only_signatories_and_is_logged(page, modals, dialogs, enabled, ctx, group,
                                                                     tmp_path):
    org = add_organisation(ctx.store, "Collège Jean Moulin")
    signed = add_contact(ctx.store, org, "Signataire", "Claire")
    unsigned = add_contact(ctx.store, org, "Nonsigné", "Marc")
    for contact in (signed, unsigned):
        join(ctx.store, contact, formation=group)
    ctx.store.formations.save_signature(CharterSignature(signed.id, "2024", date(2025, 1, 10)))
    record = create_three(page, modals)[0]
    target = tmp_path / "sortie" / "fiche.pdf"
    target.parent.mkdir()
    dialogs.files.append(target)

    def print_it(dialog: RecordDialog) -> None:
        assert dialog.print_pdf()
        cancel(dialog)
    modals.then(print_it)
    page.open_record(record.id)
    text = text_of(target)
    assert "CONFIDENTIEL" in text and "LEFEBVRE Inès" in text
    assert "SIGNATAIRE Claire — Collège Jean Moulin" in text and "Nonsigné" not in text.replace("NONSIGNÉ", "")
    assert "NONSIGNÉ" not in text
    last = enabled.store.access_log()[-1]
    assert (last.kind, last.record_id) == (AccessKind.PRINT, record.id)


def test_a_meeting_examines_records_decisions_go_into_them_and_the_minutes_keep_the_count(
        qtbot, ctx, page, modals, enabled, group, tmp_path):
    from clspd_desktop.domain.meetings import AgendaItem, Meeting
    from clspd_desktop.services.operations import meetings as meeting_ops
    from clspd_desktop.services.reports.minutes_pdf import build_minutes_pdf, load_minutes
    from clspd_desktop.ui.meetings.minutes_editor import MinutesEditor

    records = create_three(page, modals)
    starts = datetime(2026, 12, 3, 14, 0)
    meeting = ctx.runner.call(partial(meeting_ops.save_meeting, meeting=Meeting(
        formation_id=group.id, starts_at=starts, ends_at=starts + timedelta(hours=2),
        agenda=[AgendaItem("Situations")])))[0]
    ctx.runner.guard_writes()  # the editor writes only through operations
    page.guard.lock()
    editor = MinutesEditor(ctx, meeting.id)
    qtbot.addWidget(editor)
    editor.show()
    section = editor.situations
    assert section is not None and section.unlock_button.isVisible() and not section.table.isVisible()
    assert "aucune situation individuelle examinée" in section.count_label.text()

    modals.then(unlock_with(PASSPHRASE))
    section.unlock_button.click()
    assert not enabled.locked and section.examine_button.isVisible()

    def examine(record_id: int, partner: str):
        def handler(dialog) -> None:
            assert dialog.record.select(record_id)

            def action(a) -> None:
                a.partner.setText(partner)
                save(a)
            modals.then(action)
            assert dialog.add_action()
            save(dialog)
        return handler

    for record, partner in zip(records, ("Collège", "Mission locale", "Éducateur"), strict=True):
        modals.then(examine(record.id, partner))
        assert section.examine()
    assert section.table.model().rowCount() == 3
    assert "3 situations individuelles examinées" in section.count_label.text()
    assert [a.partner for a in enabled.store.actions(records[1].id)] == ["Mission locale"]
    examined = [e for e in enabled.store.access_log() if e.kind is AccessKind.EXAMINE]
    assert [e.record_id for e in examined] == [r.id for r in records]
    assert examined[0].reason == "Réunion du jeudi 3 décembre 2026"
    # nothing of the records in the meeting's minutes: no decision, no action item, only the count
    assert ctx.store.meetings.decisions(meeting.id) == [] and ctx.store.meetings.action_items(meeting.id) == []
    assert ctx.store.meetings.minutes(meeting.id).situations_examined == 3
    pdf = build_minutes_pdf(*load_minutes(ctx.store, meeting.id), tmp_path / "releve.pdf", today=date(2026, 12, 4))
    text = text_of(pdf)
    assert "3 situations individuelles examinées" in text and "CONFIDENTIEL" in text
    assert not any(name in text.upper() for name in ("LEFEBVRE", "MOREAU", "PETIT", "MISSION LOCALE"))

    page.guard.lock()  # locked again: the section forgets the names, the count stays
    assert section.table.model().rowCount() == 0 and section.unlock_button.isVisible()
    assert "3 situations individuelles examinées" in section.count_label.text()


def test_a_record_of_another_group_cannot_be_examined(ctx, enabled, group):
    from clspd_desktop.domain.directory import WorkingGroupType
    from clspd_desktop.domain.meetings import Meeting
    from clspd_desktop.errors import UserError
    from clspd_desktop.services.operations import individual_records as rec_ops
    from clspd_desktop.services.operations import meetings as meeting_ops

    open_group = add_working_group(ctx.store, "Groupe ouvert", confidential=False,
                                   wg_type=WorkingGroupType.THEMATIC)
    starts = datetime(2026, 12, 3, 14, 0)
    meeting = ctx.runner.call(partial(meeting_ops.save_meeting, meeting=Meeting(
        formation_id=open_group.id, starts_at=starts, ends_at=starts + timedelta(hours=1))))[0]
    reason = enabled.store.list_items(ListKind.REASON)[0].id
    source = enabled.store.list_items(ListKind.SOURCE)[0].id
    record_id = ctx.runner.call(partial(ops.create_record, session=enabled, record=FollowUpRecord(
        "Autre", "Groupe", date(2010, 1, 1), group.id, "", date(2026, 10, 1), (reason,), (source,))))
    with pytest.raises(UserError, match="pas retenu"):
        ctx.runner.call(partial(rec_ops.examine_in_meeting, session=enabled, meeting_id=meeting.id,
                                record_id=record_id, actions=[]))
    assert ctx.store.meetings.minutes(meeting.id) is None


def test_the_store_left_open_by_the_activation_is_watched_for_idleness(qtbot, ctx, session, group, clock):
    from clspd_desktop.app import build_main_window

    window = build_main_window(ctx)
    qtbot.addWidget(window)
    enable(ctx, session, group)  # the activation leaves the new store open
    guard = ctx.individual_guard
    assert not session.locked and guard.timer.isActive()
    clock.now += timedelta(minutes=session.rules.inactivity_lock_minutes)
    guard.timer.timeout.emit()
    assert session.locked and not guard.timer.isActive()


def test_a_damaged_store_is_set_aside_in_french_and_the_latest_snapshot_restored(page, modals, dialogs, ctx,
                                                                                enabled):
    records = create_three(page, modals)
    ctx.runner.call(partial(ops.take_snapshot, session=enabled))
    page.guard.lock()
    path = store_path(ctx.paths)
    data = bytearray(path.read_bytes())
    data[5000:5100] = bytes(100)  # a damaged page
    path.write_bytes(bytes(data))
    dialogs.confirms.append(False)  # first: keep it locked
    modals.then(unlock_with(PASSPHRASE))
    assert not page.unlock()
    title, text = dialogs.warned[-1]
    assert title == "Suivi individuel endommagé" and "mis de côté, intact" in text and "Rien n'a été supprimé" in text
    aside = [p for p in ctx.paths.data_dir.iterdir() if ".endommage-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == bytes(data) and not path.exists()
    page.refresh()
    assert "absent" in page.locked_text.text() and page.unlock_button.isVisible()
    dialogs.confirms.append(True)  # then: restore the latest snapshot
    modals.then(unlock_with(PASSPHRASE))
    assert page.unlock()
    assert [r.last_name for r in enabled.store.records()] == [r.last_name for r in records]
    assert page.records.model().rowCount() == 3


def test_every_widget_of_the_area_and_its_dialogs_has_a_name(page, modals, ctx, enabled, group):
    from clspd_desktop.ui.accessibility import apply_tree
    from clspd_desktop.ui.individual.dialogs import ActionDialog, EndDialog, LabelDialog
    from clspd_desktop.ui.individual.meeting_section import ExamineDialog
    from tests.ui.a11y_walk import unnamed, visit_tabs

    records = create_three(page, modals)
    apply_tree(page)  # what the main window does to every page it builds
    visit_tabs(page)
    assert unnamed(page) == []
    action = ops.FollowUpAction(records[0].id, enabled.store.list_items(ListKind.ACTION)[0].id, "")
    for dialog in (RecordDialog(ctx, None, page), RecordDialog(ctx, records[0], page),
                   ActionDialog(ctx, action, page), EndDialog(ctx, records[0], page), UnlockDialog(ctx, page),
                   LabelDialog(ctx, ListKind.REASON, None, page), ExamineDialog(ctx, 1, records, page)):
        apply_tree(dialog)  # what widgets.modal.run does
        assert unnamed(dialog) == [], type(dialog).__name__


def test_lists_are_edited_by_the_coordinator_and_the_access_log_exported_for_the_dpo(page, modals, dialogs, enabled,
                                                                                    tmp_path):
    create_three(page, modals)
    page.tabs.setCurrentIndex(3)
    assert page.list_kind.select(ListKind.SOURCE)
    before = page.items.model().rowCount()

    def typed(label: str, expect_error: str = ""):
        def handler(dialog) -> None:
            dialog.label.setText(label)
            save(dialog)
            if expect_error:
                assert expect_error in dialog.errors.message("label")
                dialog.label.clear()
                cancel(dialog)
        return handler
    modals.then(typed("Centre social"))
    assert page.add_item()
    modals.then(typed("centre social", "déjà dans la liste"))
    assert not page.add_item()
    assert page.items.model().rowCount() == before + 1
    page.items.select_where(lambda i: i.label == "Centre social")
    assert page.toggle_item()
    retired = [i for i in enabled.store.list_items(ListKind.SOURCE) if i.label == "Centre social"]
    assert retired and not retired[0].active

    target = tmp_path / "dpo" / "journal.csv"
    target.parent.mkdir()
    dialogs.files.append(target)
    assert page.export_log()
    text = target.read_text(encoding="utf-8-sig")
    assert "Création" in text and "Export du journal" in text
    assert not any(name in text for name in ("Lefebvre", "Moreau", "Petit"))



def test_the_counts_under_the_tables_begin_with_a_capital(page, modals, enabled, clock, ctx):
    """Seen in the walk: « aucun suivi en cours, aucune fiche inactive. » began the line in lower case (as
    « aucune fiche à détruire aujourd'hui ; … » did)."""
    assert page.count_label.text() == "Aucun suivi en cours, aucune fiche inactive."
    records = create_three(page, modals)
    ctx.runner.call(partial(ops.end_follow_up, session=enabled, record_id=records[1].id, end_date=date(2026, 12, 1)))
    clock.now = datetime(2029, 11, 10, 9, 0)  # within the notice before 1 December 2029, not yet due
    page.refresh()
    assert page.due_label.text().startswith("Aucune fiche à détruire aujourd'hui ; 1 autre fiche")


def test_the_lists_state_is_capitalised_like_the_records_state(page):
    """Seen in the walk: « en usage » in the Listes tab, where the Fiches tab says « En cours »."""
    model = page.items.model()
    states = {model.index(row, 1).data() for row in range(model.rowCount())}
    assert states == {"En usage"}


class RealBoxes:
    """Qt's real boxes and file dialogs (the wrapper's own backend), the lock's notice only recorded."""

    def __init__(self) -> None:
        from clspd_desktop.ui.messages import QtDialogBackend

        self.qt = QtDialogBackend()
        self.informed: list[str] = []

    def __getattr__(self, name: str):
        return getattr(self.qt, name)

    def inform(self, parent, title, text, details=""):
        self.informed.append(text)


def lock_while_open(guard, clock, minutes: int, seen: dict) -> None:
    """What the idle timer does, once the box is shown: the inactivity delay passed, the tick comes."""
    def tick() -> None:
        box = QApplication.activeModalWidget()
        if box is None:  # not shown yet
            QTimer.singleShot(10, tick)
            return
        seen["box"] = type(box).__name__
        clock.now += timedelta(minutes=minutes)
        guard.timer.timeout.emit()
        seen["still_shown"] = box.isVisible()
        if box.isVisible() and not seen.get("keep_open"):
            QTimer.singleShot(0, box.reject)  # left open by the lock: the test fails instead of hanging
    QTimer.singleShot(0, tick)


@pytest.mark.parametrize("kind", ["purge_confirmation", "consultation_reason", "export_file_dialog"])
def test_the_idle_lock_closes_a_box_left_open_as_cancelled_and_says_so_once(page, modals, dialogs, enabled, clock,
                                                                            ctx, monkeypatch, tmp_path, kind):
    from clspd_desktop.ui import messages

    records = create_three(page, modals)
    ctx.runner.call(partial(ops.end_follow_up, session=enabled, record_id=records[1].id, end_date=date(2026, 12, 1)))
    clock.now = datetime(2029, 12, 2, 9, 0)  # Moreau's record is due for destruction
    page.refresh()
    log_before = len(enabled.store.access_log())
    boxes = RealBoxes()
    monkeypatch.setattr(messages, "backend", boxes)
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    seen: dict = {}
    lock_while_open(page.guard, clock, enabled.rules.inactivity_lock_minutes, seen)
    if kind == "purge_confirmation":
        assert page.purge() is False
    elif kind == "consultation_reason":
        assert page.open_record(records[1].id) is False
    else:
        assert page.export_log() is False
    expected = {"purge_confirmation": "QMessageBox", "consultation_reason": "QInputDialog",
                "export_file_dialog": "QFileDialog"}[kind]
    assert seen == {"box": expected, "still_shown": False}
    assert enabled.locked and page.stack.currentWidget() is page.locked_panel
    assert len(boxes.informed) == 1 and "sans activité" in boxes.informed[0]
    assert list(tmp_path.glob("*.csv")) == []  # nothing exported
    enabled.unlock(PASSPHRASE)  # nothing written: every record kept, no opening logged
    assert [r.last_name for r in enabled.store.records()] == ["Lefebvre", "Moreau", "Petit"]
    assert len(enabled.store.access_log()) == log_before  # no opening, purge nor export logged


def test_a_box_opened_outside_the_area_stays_open_when_the_module_locks(page, enabled, clock, monkeypatch, qtbot):
    from PySide6.QtWidgets import QWidget

    from clspd_desktop.ui import messages

    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    boxes = RealBoxes()
    monkeypatch.setattr(messages, "backend", boxes)
    seen: dict = {"keep_open": True}
    lock_while_open(page.guard, clock, enabled.rules.inactivity_lock_minutes, seen)

    def answer() -> None:  # after the lock: the box is still there and still answers
        if "still_shown" not in seen:
            QTimer.singleShot(10, answer)
            return
        box = QApplication.activeModalWidget()
        next(b for b in box.buttons() if b.text() == "Continuer").click()
    QTimer.singleShot(0, answer)
    assert messages.confirm(elsewhere, "Autre zone", "Continuer ?", "Continuer") is True
    assert seen == {"keep_open": True, "box": "QMessageBox", "still_shown": True} and enabled.locked and boxes.informed == []
