"""The meeting screens of the coordinator's follow-up: a new meeting's template and carried decisions,
« Dupliquer », closing earlier decisions from the minutes, « Diffuser le compte rendu », and the first plenary
offered by the assistant."""

from __future__ import annotations

import email
from datetime import date, datetime, time
from email import policy

import pytest
from PySide6.QtCore import Qt

from clspd_desktop.domain.directory import FormationKind, WorkingGroupType
from clspd_desktop.domain.followup import CARRIED_TITLE, FollowUpStatus
from clspd_desktop.domain.meetings import (
    ActionItem,
    ActionItemStatus,
    Attendance,
    Invitation,
    Meeting,
    MeetingStatus,
    SeriesFrequency,
)
from clspd_desktop.services import mail
from clspd_desktop.ui.council.assistant import CouncilAssistant
from clspd_desktop.ui.meetings.meeting_dialog import MeetingDialog
from clspd_desktop.ui.meetings.minutes_distribution_dialog import DistributionDialog
from clspd_desktop.ui.meetings.minutes_editor import MinutesEditor
from clspd_desktop.ui.meetings.page import MeetingsPage
from tests.factories import add_organisation, add_working_group
from tests.pdf_text import text_of


def _meeting(ctx, formation_id, day, **kw) -> Meeting:
    return ctx.store.meetings.save_meeting(Meeting(formation_id=formation_id, starts_at=datetime.combine(day, time(14)),
                                                   ends_at=datetime.combine(day, time(16)), **kw))


def _titles(dialog: MeetingDialog) -> list[str]:
    return [i.title for i in dialog.agenda.items()]


@pytest.fixture
def group_with_open_items(ctx):
    group = add_working_group(ctx.store, "Tranquillité publique", confidential=False,
                              wg_type=WorkingGroupType.THEMATIC)
    org = add_organisation(ctx.store, "Bailleur social")
    earlier = _meeting(ctx, group.id, date(2026, 9, 8))
    for text, status in (("Éclairer le parking", ActionItemStatus.OPEN), ("Rencontrer les commerçants",
                                                                          ActionItemStatus.OPEN),
                         ("Poser une caméra", ActionItemStatus.DONE)):
        ctx.store.meetings.save_action_item(ActionItem(meeting_id=earlier.id, text=text, status=status,
                                                       responsible_organisation_id=org.id))
    return group, earlier


def test_a_new_meeting_proposes_its_template_and_keeps_the_ticked_open_decisions(ctx, qtbot, group_with_open_items):
    group, _ = group_with_open_items
    dialog = MeetingDialog(ctx, day=date(2026, 12, 8), formation_id=ctx.store.formations.by_kind(
        FormationKind.PLENARY).id)
    qtbot.addWidget(dialog)
    assert _titles(dialog)[0].startswith("Vote du règlement intérieur")  # no plenary yet: the first one's
    assert dialog.carried.isHidden()
    dialog.formation.select(group.id)
    assert _titles(dialog)[0] == "Suivi des décisions de la dernière réunion"
    rows = [dialog.carried.item(n) for n in range(dialog.carried.count())]
    assert [r.checkState() for r in rows] == [Qt.CheckState.Checked] * 2
    assert "Éclairer le parking (Bailleur social)" in rows[0].text() and "08/09/2026" in rows[0].text()
    rows[1].setCheckState(Qt.CheckState.Unchecked)  # dropped
    dialog.accept()
    saved = ctx.store.meetings.get_meeting(dialog.saved[0].id)
    titles = [i.title for i in saved.agenda]
    assert titles[:2] == ["Suivi des décisions de la dernière réunion",
                          f"{CARRIED_TITLE} : Éclairer le parking (Bailleur social)"]
    assert not any("commerçants" in t for t in titles) and not any("caméra" in t for t in titles)


def test_an_agenda_the_user_changed_is_not_replaced(ctx, qtbot, group_with_open_items):
    group, _ = group_with_open_items
    dialog = MeetingDialog(ctx, day=date(2026, 12, 8), formation_id=group.id)
    qtbot.addWidget(dialog)
    dialog.agenda.add_item("Tour de table", edit=False)
    dialog.formation.select(ctx.store.formations.by_kind(FormationKind.RESTRICTED).id)
    assert _titles(dialog)[-1] == "Tour de table"
    assert dialog.carried.isHidden()  # the restricted formation has no open decisions


def test_the_day_warns_about_the_school_holidays_of_the_council_s_zone(ctx, qtbot):
    ctx.store.settings.set("school_zone", "C")
    dialog = MeetingDialog(ctx, day=date(2026, 10, 27))
    qtbot.addWidget(dialog)
    assert "vacances scolaires de la zone C" in dialog.warning.text()
    dialog.day.setText("14/07/2026")
    assert "jour férié" in dialog.warning.text() and "vacances scolaires" in dialog.warning.text()
    dialog.day.setText("03/11/2026")
    assert dialog.warning.text() == ""


def test_a_series_in_the_holidays_is_created_only_when_confirmed(ctx, qtbot, dialogs):
    ctx.store.settings.set("school_zone", "C")
    group = add_working_group(ctx.store, "Prévention", confidential=False, wg_type=WorkingGroupType.THEMATIC)
    dialog = MeetingDialog(ctx, day=date(2026, 10, 20), formation_id=group.id)
    qtbot.addWidget(dialog)
    dialog.repeat.setChecked(True)
    dialog.frequency.select(SeriesFrequency.MONTHLY)
    dialog.until.setText("20/02/2027")
    dialogs.confirms.append(False)
    dialog.accept()
    asked = dialogs.confirm_texts[-1]
    assert "le mardi 20 octobre 2026 tombe pendant les vacances de la Toussaint (vacances scolaires de la zone C)" in asked
    assert "le dimanche 20 décembre 2026 tombe un week-end" in asked and "20 novembre 2026" not in asked
    assert "Série non créée" in dialog.errors.message("until") and dialog.saved == []
    dialogs.confirms.append(True)
    dialog.accept()
    assert len(dialog.saved) == 5


def test_duplicate_opens_the_copy_and_ctrl_z_removes_it(ctx, qtbot, modals, dialogs):
    plenary = ctx.store.formations.by_kind(FormationKind.PLENARY)
    source = _meeting(ctx, plenary.id, date(2026, 3, 10), title="Plénière", place="Salle du conseil")
    ctx.store.meetings.insert_invitation(Invitation(meeting_id=source.id, name="M. Paul Durand"))
    page = MeetingsPage(ctx, today=date(2026, 3, 12))
    qtbot.addWidget(page)
    opened = []

    def duplicate(detail):
        opened.append(detail.meeting_id)
        detail.duplicate_button.click()

    def copy_to_june(dialog):
        assert dialog.windowTitle() == "Dupliquer la réunion"
        dialog.day.setText("16/06/2026")
        dialog.save_button.click()

    modals.then(duplicate).then(copy_to_june).then(lambda detail: opened.append(detail.meeting_id))
    page.open_meeting(source.id)
    copies = ctx.store.meetings.meetings_between(date(2026, 6, 16), date(2026, 6, 16))
    assert len(copies) == 1 and copies[0].place == "Salle du conseil" and copies[0].title == "Plénière"
    assert opened == [source.id, copies[0].id]
    assert "1 invité" in dialogs.informed[-1][1]
    assert [i.name for i in ctx.store.meetings.invitations(copies[0].id)] == ["M. Paul Durand"]
    assert ctx.runner.undo(page)
    assert ctx.store.meetings.meetings_between(date(2026, 6, 16), date(2026, 6, 16)) == []


def test_earlier_decisions_are_closed_from_the_minutes_for_everywhere(ctx, qtbot, group_with_open_items):
    group, earlier = group_with_open_items
    today = _meeting(ctx, group.id, date(2026, 12, 8))
    editor = MinutesEditor(ctx, today.id)
    qtbot.addWidget(editor)
    editor.show()
    assert not editor.carried.isHidden()
    assert [i.text for i in editor.carried.table_model.records()] == ["Éclairer le parking",
                                                                      "Rencontrer les commerçants"]
    editor.carried.select_where(lambda i: True)
    editor.close_buttons[FollowUpStatus.DONE].click()
    origin = {a.text: a.status for a in ctx.store.meetings.action_items(earlier.id)}
    assert origin["Éclairer le parking"] is ActionItemStatus.DONE
    followed = {i.text: i.status for i in ctx.store.followup.items()}
    assert followed["Éclairer le parking"] is FollowUpStatus.DONE
    # closed and not on this meeting's agenda: no longer listed here; the other one is
    assert [i.text for i in editor.carried.table_model.records()] == ["Rencontrer les commerçants"]
    editor.carried.select_where(lambda i: True)
    editor.close_buttons[FollowUpStatus.ABANDONED].click()
    assert editor.carried.isHidden()
    assert {a.text: a.status for a in ctx.store.meetings.action_items(earlier.id)}[
        "Rencontrer les commerçants"] is ActionItemStatus.CANCELLED
    assert ctx.runner.undo(editor)  # Ctrl+Z reopens it
    assert [i.text for i in editor.carried.table_model.records()] == ["Rencontrer les commerçants"]


def _with_participants(ctx, formation_id):
    meeting = _meeting(ctx, formation_id, date(2026, 11, 20))
    for name, address, attendance in (("M. Paul Durand", "paul@x.fr", Attendance.PRESENT),
                                      ("Mme Léa Roux", "", Attendance.EXCUSED),
                                      ("M. Jean Petit", "jean@x.fr", Attendance.ABSENT),
                                      ("Mme Anne Morel", "anne@x.fr", Attendance.REPRESENTED)):
        invitation = ctx.store.meetings.insert_invitation(Invitation(meeting_id=meeting.id, name=name, email=address))
        ctx.store.meetings.set_attendance(invitation.id, attendance)
    return meeting


def test_distributing_the_minutes_prepares_a_draft_per_ticked_participant(ctx, qtbot, modals, dialogs, monkeypatch,
                                                                         tmp_path):
    opened = []
    monkeypatch.setattr(mail, "open_with_system", opened.append)
    meeting = _with_participants(ctx, ctx.store.formations.by_kind(FormationKind.PLENARY).id)
    editor = MinutesEditor(ctx, meeting.id)
    qtbot.addWidget(editor)
    editor.summary.setPlainText("Point sur la médiation.")
    editor.distribute_button.click()
    assert dialogs.warned[-1][0] == "Compte rendu à enregistrer"  # the saved version is what is sent
    editor.save_button.click()
    seen = []

    def tick(dialog: DistributionDialog):
        seen.extend((item.text(), bool(item.flags() & Qt.ItemFlag.ItemIsUserCheckable)) for item, _ in dialog.rows)
        dialog.tick(next(p.invitation_id for _, p in dialog.rows if p.name == "Mme Anne Morel"), False)
        dialog.accept()

    modals.then(tick)
    editor.distribute_button.click()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
    assert sorted(enabled for _, enabled in seen) == [False, True, True]
    assert not any("Jean Petit" in text for text, _ in seen)  # absent: not offered
    assert any("Léa Roux" in text and not enabled for text, enabled in seen)  # no address
    drafts = sorted((ctx.paths.exports_dir / "comptes-rendus").rglob("*.eml"))
    assert len(drafts) == 1 and opened == [drafts[0]]
    message = email.message_from_bytes(drafts[0].read_bytes(), policy=policy.default)
    assert message["To"] == "paul@x.fr"
    assert [p.get_filename() for p in message.iter_attachments()] == ["compte-rendu-2026-11-20.pdf"]
    attached = tmp_path / "joint.pdf"
    attached.write_bytes(next(message.iter_attachments()).get_content())
    assert "Point sur la médiation." in text_of(attached)
    assert "Léa Roux" in dialogs.informed[-1][1]


def test_a_confidential_group_s_conclusions_are_refused_with_the_reason(ctx, qtbot, dialogs):
    meeting = _with_participants(ctx, add_working_group(ctx.store, "Cellule", confidential=True).id)
    editor = MinutesEditor(ctx, meeting.id)
    qtbot.addWidget(editor)
    editor.summary.setPlainText("Relevé.")
    editor.save_button.click()
    assert not editor.distribute()
    title, text = dialogs.warned[-1]
    assert title == "Diffusion impossible" and "imprimez-le" in text
    assert not (ctx.paths.exports_dir / "comptes-rendus").exists()


def _fill_assistant(assistant: CouncilAssistant, qtbot) -> None:
    qtbot.keyClicks(assistant.identity.name, "Ville de Montreval")
    assistant.identity.city.setText("Montreval")
    assistant.identity.postal_code.setText("91999")
    assistant.next()
    assistant.communes.model.setData(assistant.communes.model.index(0, 2), "8 400")
    assistant.next()
    assistant.governance.chair_name.setText("Claire Dubreuil")
    assistant.governance.chair_title.setText("Maire de Montreval")
    assistant.next()


@pytest.mark.parametrize("convene", [True, False])
def test_the_assistant_offers_to_convene_the_first_plenary(qtbot, paths, store, convene):
    from clspd_desktop.context import AppContext

    ctx = AppContext.create(paths, store)
    assistant = CouncilAssistant(ctx)
    qtbot.addWidget(assistant)
    assistant.show()
    _fill_assistant(assistant, qtbot)
    assert assistant.currentPage() is assistant.obligations_page
    if convene:
        assistant.first_plenary.convene.setChecked(True)
        assistant.first_plenary.day.setText("01/05/2027")
        assert "jour férié" in assistant.first_plenary.warning.text()
        assistant.first_plenary.day.setText("19/01/2027")
        assert assistant.first_plenary.warning.text() == ""
    assistant.accept()
    assert store.council.get() is not None
    meetings = store.meetings.meetings_between(date(2000, 1, 1), date(2100, 1, 1))
    if not convene:
        assert meetings == []
        return
    assert len(meetings) == 1 and meetings[0].starts_at == datetime(2027, 1, 19, 14)
    assert meetings[0].status is MeetingStatus.PLANNED
    assert meetings[0].agenda[0].title.startswith("Vote du règlement intérieur")
    assert meetings[0].signatory  # the chair, as on any new meeting


def test_nobody_ticked_keeps_the_distribution_dialog_open(ctx, qtbot, dialogs):
    from clspd_desktop.services.minutes_distribution import recipients

    meeting = _with_participants(ctx, ctx.store.formations.by_kind(FormationKind.PLENARY).id)
    dialog = DistributionDialog(recipients(ctx.store, meeting.id))
    qtbot.addWidget(dialog)
    for _, person in dialog.rows:
        dialog.tick(person.invitation_id, False)
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted and dialogs.warned[-1][0] == "Aucun destinataire"


def test_postponing_also_warns_about_the_school_holidays(ctx, qtbot):
    from clspd_desktop.ui.meetings.small_dialogs import PostponeDialog

    ctx.store.settings.set("school_zone", "A")
    meeting = _meeting(ctx, ctx.store.formations.by_kind(FormationKind.PLENARY).id, date(2026, 10, 6))
    dialog = PostponeDialog(ctx, meeting)
    qtbot.addWidget(dialog)
    dialog.day.setText("27/10/2026")
    assert "vacances scolaires de la zone A" in dialog.warning.text()


def test_a_series_carries_the_open_decisions_into_its_first_meeting_only(ctx, qtbot, group_with_open_items):
    group, _ = group_with_open_items
    dialog = MeetingDialog(ctx, day=date(2026, 12, 8), formation_id=group.id)
    qtbot.addWidget(dialog)
    dialog.repeat.setChecked(True)
    dialog.until.setText("09/02/2027")
    dialog.accept()
    agendas = [[i.title for i in ctx.store.meetings.get_meeting(m.id).agenda] for m in dialog.saved]
    assert len(agendas) == 3
    assert sum(t.startswith(f"{CARRIED_TITLE} :") for t in agendas[0]) == 2
    assert agendas[1] == agendas[2] == ["Suivi des décisions de la dernière réunion", "Situations et actions en cours",
                                        "Prochaines étapes et date de la prochaine réunion"]
