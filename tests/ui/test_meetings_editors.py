"""Every editor of the Réunions area asks « Enregistrer / Ne pas enregistrer / Annuler » when closed with
typed changes: Annuler keeps it open with the typing, Ne pas enregistrer closes it and writes nothing,
Enregistrer writes through the operation and closes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import pytest

from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.meetings import ActionItem, AgendaItem, Decision, Meeting, MeetingStatus, Reply
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.ui.meetings.attendance_dialogs import RepresentedDialog, WalkInDialog
from clspd_desktop.ui.meetings.common import PickContactDialog
from clspd_desktop.ui.meetings.invitees_tab import ReplyDialog
from clspd_desktop.ui.meetings.meeting_dialog import MeetingDialog
from clspd_desktop.ui.meetings.minutes_editor import ActionItemDialog, DecisionDialog
from clspd_desktop.ui.meetings.small_dialogs import MeetingSettingsDialog, PostponeDialog
from tests.factories import add_contact, add_organisation

START = datetime(2025, 3, 18, 14)


@dataclass
class Setup:
    meeting: Meeting
    invitation_id: int


@dataclass
class Editor:
    name: str
    build: Callable  # (ctx, setup) -> dialog
    type_in: Callable  # (dialog) -> None
    written: Callable  # (ctx, setup, dialog) -> bool


def _meeting(ctx, setup):
    return ctx.store.meetings.get_meeting(setup.meeting.id)


EDITORS = [
    Editor("nouvelle réunion", lambda ctx, s: MeetingDialog(ctx, day=START.date() + timedelta(days=7)),
           lambda d: d.title_edit.setText("Plénière d'automne"),
           lambda ctx, s, d: any(m.title == "Plénière d'automne" for m in ctx.store.meetings.meetings_between(
               START.date(), START.date() + timedelta(days=30)))),
    Editor("ordre du jour", lambda ctx, s: MeetingDialog(ctx, _meeting(ctx, s)),
           lambda d: d.agenda.add_item("Point ajouté", edit=False),
           lambda ctx, s, d: [i.title for i in _meeting(ctx, s).agenda] == ["Bilan", "Point ajouté"]),
    Editor("report", lambda ctx, s: PostponeDialog(ctx, _meeting(ctx, s)),
           lambda d: d.day.setText("25/03/2025"),
           lambda ctx, s, d: _meeting(ctx, s).status is MeetingStatus.POSTPONED),
    Editor("paramètres", lambda ctx, s: MeetingSettingsDialog(ctx),
           lambda d: d.plenary.setValue(21),
           lambda ctx, s, d: ctx.store.meetings.notice_days(FormationKind.PLENARY) == 21),
    Editor("réponse", lambda ctx, s: ReplyDialog(ctx, ctx.store.meetings.get_invitation(s.invitation_id)),
           lambda d: d.reply.select(Reply.EXCUSED),
           lambda ctx, s, d: ctx.store.meetings.get_invitation(s.invitation_id).reply is Reply.EXCUSED),
    Editor("décision", lambda ctx, s: DecisionDialog(ctx, Decision(s.meeting.id, "")),
           lambda d: d.text.setPlainText("Adopter le plan."),
           lambda ctx, s, d: [x.text for x in ctx.store.meetings.decisions(s.meeting.id)] == ["Adopter le plan."]),
    Editor("action décidée", lambda ctx, s: ActionItemDialog(ctx, ActionItem(s.meeting.id, "")),
           lambda d: (d.text.setPlainText("Éclairer le parking."), d.person.setText("M. Durand")),
           lambda ctx, s, d: [x.text for x in ctx.store.meetings.action_items(s.meeting.id)] == [
               "Éclairer le parking."]),
    Editor("représenté par", lambda ctx, s: RepresentedDialog(ctx, "Mme Anne Titulaire"),
           lambda d: d.free_name.setText("Cdt Leroy"),
           lambda ctx, s, d: d.name == "Cdt Leroy"),
    Editor("arrivée non prévue", lambda ctx, s: WalkInDialog(ctx, set()),
           lambda d: d.last_name.setText("Nouveau"),
           lambda ctx, s, d: d.contact is not None and d.contact.last_name == "Nouveau"),
    Editor("ajout d'un invité", lambda ctx, s: PickContactDialog(ctx, "Ajouter un invité"),
           lambda d: d.picker.search.setText("Suppl"),
           lambda ctx, s, d: d.chosen is not None),
]


@pytest.fixture
def setup(ctx) -> Setup:
    org = add_organisation(ctx.store, "Commune de Montreval")
    titular = add_contact(ctx.store, org, "Titulaire", "Anne")
    add_contact(ctx.store, org, "Suppléant", "Marc")
    meeting = ctx.runner.call(partial(ops.save_meeting, meeting=Meeting(
        formation_id=ctx.store.formations.by_kind(FormationKind.PLENARY).id, starts_at=START,
        ends_at=START + timedelta(hours=2), agenda=[AgendaItem("Bilan")])))[0]
    invitation = ctx.runner.call(partial(ops.add_invitation, meeting_id=meeting.id, contact_id=titular.id))
    ctx.runner.guard_writes()  # the editors write only through operations
    return Setup(meeting, invitation.id)


def _open(ctx, qtbot, setup, editor: Editor):
    dialog = editor.build(ctx, setup)
    qtbot.addWidget(dialog)
    dialog.show()
    editor.type_in(dialog)
    assert dialog.has_unsaved_changes()
    return dialog


@pytest.mark.parametrize("editor", EDITORS, ids=[e.name for e in EDITORS])
def test_every_editor_asks_before_losing_typed_changes(ctx, qtbot, dialogs, setup, editor):
    dialog = _open(ctx, qtbot, setup, editor)
    dialogs.save_choices.append("cancel")
    dialog.close()
    assert dialog.isVisible() and not editor.written(ctx, setup, dialog)
    dialogs.save_choices.append("discard")
    dialog.reject()
    assert not dialog.isVisible() and not editor.written(ctx, setup, dialog)

    dialog = _open(ctx, qtbot, setup, editor)
    dialogs.save_choices.append("save")
    dialog.reject()
    assert not dialog.isVisible() and editor.written(ctx, setup, dialog)
    assert len(dialogs.save_questions) == 3 and dialogs.warned == []
