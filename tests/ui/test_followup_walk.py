"""The coordinator's follow-up walked through the screens on a real database: a meeting is held → its minutes
get three action items → the next meeting of the same group carries the open ones → one is closed in that
meeting's minutes (closed everywhere) → a reminder draft goes to the one responsible whose item is due."""

from __future__ import annotations

import email
from datetime import date, timedelta
from email import policy
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from clspd_desktop.domain.directory import Civility, WorkingGroupType
from clspd_desktop.domain.followup import CARRIED_TITLE, FollowUpStatus
from clspd_desktop.domain.meetings import ActionItemStatus, Attendance, MeetingStatus
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.ui.followup_view import REMINDED_COLUMN, FollowUpView
from clspd_desktop.ui.meetings.meeting_dialog import MeetingDialog
from clspd_desktop.ui.meetings.minutes_editor import MinutesEditor
from tests.factories import add_contact, add_organisation, add_working_group, join
from tests.ui.test_partners_support import save

TODAY = date.today()
ITEMS = (("Éclairer le parking des Tilleuls", "Bailleur social", TODAY - timedelta(days=5)),
         ("Réunir les commerçants de la place", "Bailleur social", TODAY + timedelta(days=10)),
         ("Présenter le dispositif aux collèges", "Collège Jean-Moulin", TODAY + timedelta(days=90)))


def _button(widget, text: str) -> QPushButton:
    return next(b for b in widget.findChildren(QPushButton) if b.text() == text)


def _new_meeting(ctx, qtbot, formation_id: int, day: date) -> MeetingDialog:
    dialog = MeetingDialog(ctx, day=day, formation_id=formation_id)
    qtbot.addWidget(dialog)
    return dialog


def test_held_meeting_to_reminder(ctx, qtbot, modals, dialogs, tmp_path):
    store = ctx.store
    group = add_working_group(store, "Tranquillité publique", confidential=False, wg_type=WorkingGroupType.THEMATIC)
    bailleur = add_organisation(store, "Bailleur social")
    college = add_organisation(store, "Collège Jean-Moulin")
    fabre = add_contact(store, bailleur, "Fabre", "Laurent", civility=Civility.MR, email="l.fabre@bailleur.fr")
    roux = add_contact(store, college, "Roux", "Claire", email="c.roux@college.fr")
    other = add_contact(store, college, "Petit", "Marc", civility=Civility.MR, email="m.petit@college.fr")
    for person in (fabre, roux, other):
        join(store, person, formation=group)
    ctx.runner.guard_writes()  # from here every step goes through an operation

    # 1. the meeting is created, its group invited, held, attendance taken
    first = _new_meeting(ctx, qtbot, group.id, TODAY - timedelta(days=14))
    first.accept()
    held = first.saved[0]
    ctx.runner.call(partial(ops.invite_members, meeting_id=held.id))
    invitations = store.meetings.invitations(held.id)
    assert len(invitations) == 3
    for invitation in invitations:
        ctx.runner.call(partial(ops.set_attendance, invitation_id=invitation.id, attendance=Attendance.PRESENT))
    ctx.runner.call(partial(ops.set_meeting_status, meeting_id=held.id, status=MeetingStatus.HELD))

    # 2. its minutes get three action items through the dialog, and are saved
    editor = MinutesEditor(ctx, held.id)
    qtbot.addWidget(editor)
    editor.show()
    organisations = {"Bailleur social": bailleur.id, "Collège Jean-Moulin": college.id}
    for text, organisation, due in ITEMS:
        def fill(dialog, text=text, organisation=organisation, due=due):
            dialog.text.setPlainText(text)
            dialog.organisation.select(organisations[organisation])
            dialog.due.setText(due.strftime("%d/%m/%Y"))
            save(dialog)
        modals.then(fill)
        _button(editor, "Ajouter une action…").click()
    editor.summary.setPlainText("Tour des points de tension du quartier des Tilleuls.")
    assert editor.save()
    assert sorted(i.text for i in editor.actions.table_model.records()) == sorted(t for t, _, _ in ITEMS)

    # 3. the next meeting of the same group carries the open items, all ticked, onto its agenda
    second = _new_meeting(ctx, qtbot, group.id, TODAY + timedelta(days=14))
    rows = [second.carried.item(n) for n in range(second.carried.count())]
    assert len(rows) == 3 and all(r.checkState() == Qt.CheckState.Checked for r in rows)
    second.accept()
    next_meeting = second.saved[0]
    agenda = [i.title for i in store.meetings.agenda(next_meeting.id)]
    for text, organisation, due in ITEMS:
        assert f"{CARRIED_TITLE} : {text} ({organisation}), échéance {due.strftime('%d/%m/%Y')}" in agenda

    # 4. one is closed in that meeting's minutes: closed in its own meeting's minutes and in the follow-up
    minutes = MinutesEditor(ctx, next_meeting.id)
    qtbot.addWidget(minutes)
    minutes.show()
    assert sorted(i.text for i in minutes.carried.table_model.records()) == sorted(t for t, _, _ in ITEMS)
    assert minutes.carried.select_where(lambda i: i.text == ITEMS[0][0])
    minutes.close_buttons[FollowUpStatus.DONE].click()
    origin = {a.text: a.status for a in store.meetings.action_items(held.id)}
    assert origin[ITEMS[0][0]] is ActionItemStatus.DONE
    assert origin[ITEMS[1][0]] is ActionItemStatus.OPEN
    view = FollowUpView(ctx, today=TODAY)
    qtbot.addWidget(view)
    view.show()
    model = view.table.model()
    shown = {model.index(r, 2).data() for r in range(model.rowCount())}
    assert shown == {ITEMS[1][0], ITEMS[2][0]}  # open items only, by default

    # 5. the reminder: one draft, to the one responsible with an item due within 30 days
    drafts = tmp_path / "relances"
    drafts.mkdir()
    dialogs.folders.append(drafts)
    view.prepare_reminders()
    qtbot.waitUntil(lambda: bool(dialogs.informed), timeout=10_000)
    assert dialogs.informed[-1][0] == "Relances préparées" and "1 référent" in dialogs.informed[-1][1]
    [draft] = drafts.glob("*.eml")
    message = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert message["To"] == "l.fabre@bailleur.fr"
    assert message["Subject"].startswith("CLSPD de Montreval — suites à donner")
    body = message.get_content()
    assert body.splitlines()[0] == "Bonjour Monsieur Fabre,"
    assert ITEMS[1][0] in body and ITEMS[0][0] not in body and ITEMS[2][0] not in body
    assert "du CLSPD de Montreval." in body
    assert "Merci de me faire savoir où elle en est" in body  # one item: not « chacune »
    reminded = {model.index(r, 2).data(): model.index(r, REMINDED_COLUMN).data() for r in range(model.rowCount())}
    assert reminded == {ITEMS[1][0]: TODAY.strftime("%d/%m/%Y"), ITEMS[2][0]: ""}
