"""Decisions follow-up: every action item across meetings, its status edited once for everywhere, reminders."""

from __future__ import annotations

import email
from datetime import date, datetime
from email import policy

import pytest

from clspd_desktop.domain.directory import Civility, FormationKind
from clspd_desktop.domain.followup import FollowUpFilter, FollowUpStatus, reminders
from clspd_desktop.domain.meetings import ActionItem, ActionItemStatus, Meeting
from clspd_desktop.errors import UserError
from clspd_desktop.services.operations import OpEnv
from clspd_desktop.services.operations.followup import set_referent, update_item, write_reminders
from tests.factories import add_contact, add_organisation, add_working_group

TODAY = date(2026, 12, 4)


def _meeting(store, formation_id, day):
    return store.meetings.save_meeting(Meeting(formation_id=formation_id, starts_at=datetime(day.year, day.month,
                                       day.day, 14), ends_at=datetime(day.year, day.month, day.day, 16)))


def _item(store, meeting, text, org=None, due=None, **kw):
    return store.meetings.save_action_item(ActionItem(
        meeting_id=meeting.id, text=text, responsible_organisation_id=org.id if org else None,
        responsible_name="" if org else "Le coordonnateur", due_date=due, **kw))


@pytest.fixture
def data(configured_store):
    store = configured_store
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    group = add_working_group(store, "Cellule <veille>", confidential=True)
    org = add_organisation(store, "Bailleur & Cie")
    paul = add_contact(store, org, "Durand", "Paul", email="paul.durand@bailleur.fr")
    first = _meeting(store, plenary.id, date(2026, 3, 10))
    second = _meeting(store, group.id, date(2026, 10, 2))
    late = _item(store, first, "Organiser la médiation de soirée", org, due=date(2026, 11, 1))
    soon = _item(store, first, "Réunir les bailleurs", org, due=date(2026, 12, 20))
    confidential = _item(store, second, "Suivi nominatif", org, due=date(2026, 11, 2))
    closed = _item(store, first, "Rédiger la charte", None, status=ActionItemStatus.DONE)
    for item in (late, soon, confidential):
        store.followup.set_responsible_contact(item.id, paul.id)
    return dict(store=store, env=OpEnv(None, None, store=store), org=org, paul=paul, late=late, soon=soon,
                confidential=confidential, closed=closed, group=group, first=first)


def test_every_item_with_its_origin_and_status(data):
    items = {i.text: i for i in data["store"].followup.items()}
    assert set(items) == {"Organiser la médiation de soirée", "Réunir les bailleurs", "Suivi nominatif",
                          "Rédiger la charte"}
    late = items["Organiser la médiation de soirée"]
    assert late.status is FollowUpStatus.TODO and late.is_overdue(TODAY)
    assert late.formation_name == "Formation plénière" and late.meeting_day == date(2026, 3, 10)
    assert late.responsible == "Bailleur & Cie — Paul Durand"
    assert items["Suivi nominatif"].confidential
    assert items["Rédiger la charte"].status is FollowUpStatus.DONE


def test_filters_combine(data):
    items = data["store"].followup.items()
    shown = lambda f: sorted(i.text for i in items if f.keeps(i, TODAY))  # noqa: E731
    assert shown(FollowUpFilter()) == ["Organiser la médiation de soirée", "Réunir les bailleurs", "Suivi nominatif"]
    assert shown(FollowUpFilter(overdue_only=True)) == ["Organiser la médiation de soirée", "Suivi nominatif"]
    assert shown(FollowUpFilter(open_only=False, formation_id=data["group"].id)) == ["Suivi nominatif"]
    assert shown(FollowUpFilter(text="mediation SOIREE")) == ["Organiser la médiation de soirée"]
    assert shown(FollowUpFilter(open_only=False, start=date(2026, 6, 1))) == ["Suivi nominatif"]


def test_status_set_in_the_follow_up_is_the_minutes_status(data):
    store, env = data["store"], data["env"]
    update_item(env, data["late"].id, FollowUpStatus.IN_PROGRESS, "Devis reçu", today=TODAY)
    assert store.followup.item(data["late"].id).status is FollowUpStatus.IN_PROGRESS
    assert store.meetings.action_items(data["first"].id)[0].status is ActionItemStatus.OPEN
    update_item(env, data["late"].id, FollowUpStatus.DONE, "Fait le 3", today=TODAY)
    minutes_item = next(i for i in store.meetings.action_items(data["first"].id) if i.id == data["late"].id)
    assert minutes_item.status is ActionItemStatus.DONE and minutes_item.done_on == TODAY
    assert store.followup.item(data["late"].id).comment == "Fait le 3"


def test_a_deleted_item_is_refused_in_french(data):
    with pytest.raises(UserError, match="n'existe plus"):
        update_item(data["env"], 9999, FollowUpStatus.DONE, "")


def test_reminders_one_per_referent_never_confidential(data):
    store = data["store"]
    pending, unreachable = reminders(store.followup.items(), TODAY)
    assert [(r.name, [i.text for i in r.overdue], [i.text for i in r.upcoming]) for r in pending] == [
        ("Paul Durand", ["Organiser la médiation de soirée"], ["Réunir les bailleurs"])]
    _item(store, data["first"], "Appeler la préfecture", None, due=date(2026, 12, 10))  # nobody named
    _, unreachable = reminders(store.followup.items(), TODAY)
    assert [i.text for i in unreachable] == ["Appeler la préfecture"]
    other = add_organisation(store, "Sans adresse")
    add_contact(store, other, "Sans", "Courriel", email="")
    set_referent(data["env"], data["soon"].id, None)
    assert store.followup.item(data["soon"].id).contact_id == data["paul"].id  # the titular with an address


def test_reminder_drafts_are_written_and_remembered(data, tmp_path):
    store = data["store"]
    written = write_reminders(data["env"], tmp_path, today=TODAY).value
    assert written.people == 1 and len(written.drafts) == 1
    message = email.message_from_bytes(written.drafts[0].read_bytes(), policy=policy.default)
    assert message["To"] == "paul.durand@bailleur.fr"
    assert message["X-Unsent"] == "1"
    body = message.get_content()
    assert "Organiser la médiation de soirée" in body and "Réunir les bailleurs" in body
    assert "Suivi nominatif" not in body  # a confidential group's item never goes by e-mail
    assert store.followup.item(data["late"].id).reminded_on == TODAY
    assert store.followup.item(data["confidential"].id).reminded_on is None
    assert message["Subject"].startswith("CLSPD de Montreval — suites à donner")
    assert "du CLSPD de Montreval." in body and "Ville de Montreval" not in body


@pytest.mark.parametrize(("civility", "function", "expected"), [
    (Civility.MR, "Chargé de mission aux élus locaux", "Bonjour Monsieur Durand,"),
    (Civility.MRS, "", "Bonjour Madame Durand,"),
    (Civility.NONE, "", "Madame, Monsieur,"),
    (Civility.MR, "Sous-préfet à la ville", "Monsieur le Sous-Préfet,"),
])
def test_reminder_greets_with_the_civility_never_first_and_last_name(data, tmp_path, civility, function, expected):
    store = data["store"]
    paul = data["paul"]
    paul.civility, paul.function = civility, function
    store.directory.save_contact(paul)
    [draft] = write_reminders(data["env"], tmp_path, today=TODAY).value.drafts
    body = email.message_from_bytes(draft.read_bytes(), policy=policy.default).get_content()
    assert body.splitlines()[0] == expected
    assert "Paul Durand," not in body


def test_no_reminder_to_prepare_says_so(configured_store, tmp_path):
    folder = tmp_path / "relances"
    folder.mkdir()
    with pytest.raises(UserError, match="Aucune relance"):
        write_reminders(OpEnv(None, None, store=configured_store), folder, today=TODAY)
    assert list(folder.iterdir()) == []


def test_exports_leave_confidential_items_out_and_say_so(data, tmp_path):
    from openpyxl import load_workbook

    from clspd_desktop.services.followup_export import export_followup_xlsx
    from clspd_desktop.services.reports.followup_pdf import build_followup_pdf
    from tests.pdf_text import text_of

    store = data["store"]
    update_item(data["env"], data["soon"].id, FollowUpStatus.IN_PROGRESS, "=HYPERLINK(\"x\")", today=TODAY)
    shown = FollowUpFilter(open_only=False)
    sheet = load_workbook(export_followup_xlsx(store, shown, tmp_path / "suivi.xlsx", today=TODAY)).active
    texts = [c.value for c in sheet["C"]]
    assert "Organiser la médiation de soirée" in texts and "Suivi nominatif" not in texts
    comment = next(c for c in sheet["G"] if c.value and c.value.startswith("="))
    assert comment.data_type == "s"  # never a formula
    assert "1 suite à donner d'un groupe confidentiel n'est pas exportée." in [c.value for c in sheet["A"]]
    text = text_of(build_followup_pdf(store, shown, tmp_path / "suivi.pdf", today=TODAY))
    assert "Suivi des décisions" in text and "Organiser la médiation de soirée" in text
    assert "Suivi nominatif" not in text
    assert "3 suites à donner, dont 1 en retard" in text
    assert "1 suite à donner des groupes de travail confidentiels" in text


def test_without_a_named_referent_the_titular_referent_with_an_address_answers(data):
    store = data["store"]
    org = add_organisation(store, "Collège")
    add_contact(store, org, "Zola", "Émile", email="")  # no address: cannot be reminded
    titular = add_contact(store, org, "Martin", "Anne", email="anne.martin@college.fr")
    item = _item(store, data["first"], "Interventions en classe", org, due=date(2026, 11, 5))
    found = store.followup.item(item.id)
    assert found.contact_id == titular.id and found.contact_email == "anne.martin@college.fr"
    pending, _ = reminders(store.followup.items(), TODAY)
    assert [r.name for r in pending] == ["Anne Martin", "Paul Durand"]


def test_open_items_of_the_same_formation_are_carried_to_its_next_meeting(data):
    from clspd_desktop.domain.followup import carried_forward, carried_line

    items = data["store"].followup.items()
    plenary_id = data["first"].formation_id
    carried = carried_forward(items, plenary_id, before=date(2027, 3, 1))
    assert [i.text for i in carried] == ["Organiser la médiation de soirée", "Réunir les bailleurs"]
    assert carried_line(carried[0]) == ("Suivi des décisions : Organiser la médiation de soirée "
                                        "(Bailleur & Cie), échéance 01/11/2026")
    assert carried_forward(items, plenary_id, before=date(2026, 3, 10)) == []  # not from its own day on
    assert [i.text for i in carried_forward(items, data["group"].id, before=date(2027, 1, 1))] == ["Suivi nominatif"]


def test_past_meetings_still_planned_are_to_close(data):
    from clspd_desktop.domain.meetings import MeetingStatus

    store = data["store"]
    to_close = store.followup.meetings_to_close(TODAY)
    assert [m.label for m in to_close] == ["Formation plénière du 10/03/2026",
                                           "Groupe de travail « Cellule <veille> » du 02/10/2026"]
    store.meetings.set_status(data["first"].id, MeetingStatus.HELD)
    assert len(store.followup.meetings_to_close(TODAY)) == 1
    assert store.followup.meetings_to_close(date(2026, 3, 10)) == []  # not on its own day
