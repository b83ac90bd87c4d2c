"""Records, actions, lists, the inactive base and the access log, through the operations."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

import pytest

from clspd_desktop.domain.individual.records import AccessKind, ActionStatus, FollowUpAction, ListKind
from clspd_desktop.domain.individual.rules import load_individual_rules
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services.operations import Change
from clspd_desktop.services.operations import individual as ops
from tests import individual_helpers
from tests.individual_helpers import item_id, new_record

RULES = load_individual_rules()

# The shared fixtures (tests/individual_helpers.py), bound here so pytest finds them.
clock, enabled, env, session, session_env = individual_helpers.clock, individual_helpers.enabled, individual_helpers.env, individual_helpers.session, individual_helpers.session_env





def test_record_is_refused_field_by_field_in_french(session, env):
    record = new_record(session, " ", date(2000, 1, 1), date(2026, 1, 1), group_id=99)
    record.reason_ids, record.source_ids = (), (item_id(session, ListKind.REASON),)  # a reason is no source
    with pytest.raises(ValidationError) as err:
        ops.create_record(env, session=session, record=record)
    fields = err.value.fields
    assert fields["last_name"] == "Le nom est obligatoire."
    assert "25 ans" in fields["birth_date"] and "2014-262" in fields["birth_date"]
    assert "n'est pas autorisé" in fields["group_id"]
    assert "motif" in fields["reason_ids"] and "n'est plus dans la liste" in fields["source_ids"]
    assert session.store.records() == []


def test_create_update_end_then_read_only(session, env, clock):
    done = ops.create_record(env, session=session,
                             record=new_record(session, "Martin", date(2012, 6, 1), date(2026, 2, 1)))
    assert done.changes.kinds == {Change.INDIVIDUAL}
    record = session.store.record(done.value)
    assert record.group_name == "Groupe jeunesse" and record.active
    record.reason_ids = (item_id(session, ListKind.REASON, 1), item_id(session, ListKind.REASON, 2))
    ops.update_record(env, session=session, record=record)
    assert session.store.record(done.value).reason_ids == record.reason_ids
    destroyed_on = ops.end_follow_up(env, session=session, record_id=done.value, end_date=date(2026, 11, 30)).value
    assert destroyed_on == date(2029, 11, 30)
    with pytest.raises(UserError, match="lecture seule"):
        ops.update_record(env, session=session, record=session.store.record(done.value))
    with pytest.raises(UserError, match="lecture seule"):
        ops.save_action(env, session=session, action=FollowUpAction(done.value, item_id(session, ListKind.ACTION),
                                                                     "Mission locale"))
    with pytest.raises(UserError, match="déjà terminé"):
        ops.end_follow_up(env, session=session, record_id=done.value, end_date=date(2026, 12, 1))
    kinds = [e.kind for e in session.store.access_log()]
    assert kinds == [AccessKind.CREATE, AccessKind.UPDATE, AccessKind.END]


def test_actions_with_partner_due_date_and_a_short_note(session, env):
    record_id = ops.create_record(env, session=session,
                                  record=new_record(session, "Petit", date(2013, 1, 1), date(2026, 5, 1))).value
    action = FollowUpAction(record_id, item_id(session, ListKind.ACTION), "Association Relais", date(2027, 1, 15),
                            note="x" * (RULES.action_note_max_chars + 1))
    with pytest.raises(ValidationError) as err:
        ops.save_action(env, session=session, action=action)
    assert "trop longue" in err.value.fields["note"]
    action.note = "Rendez-vous fixé avec la famille."
    action_id = ops.save_action(env, session=session, action=action).value
    action.status = ActionStatus.DONE
    ops.save_action(env, session=session, action=action)
    view = ops.open_record(env, session=session, record_id=record_id).value
    assert [(a.id, a.partner, a.status, a.due_date) for a in view.actions] == [
        (action_id, "Association Relais", ActionStatus.DONE, date(2027, 1, 15))]
    assert "aucun détail d'infraction" in view.note_warning and view.destroyed_on == date(2038, 1, 1)


def test_inactive_record_opens_only_with_a_reason_from_the_list_and_is_logged(session, env, clock):
    record_id = ops.create_record(env, session=session,
                                  record=new_record(session, "Bernard", date(2010, 3, 3), date(2025, 1, 1))).value
    ops.open_record(env, session=session, record_id=record_id)  # active: no reason needed
    ops.end_follow_up(env, session=session, record_id=record_id, end_date=date(2026, 6, 30))
    with pytest.raises(ValidationError, match="motif de la consultation"):
        ops.open_record(env, session=session, record_id=record_id)
    with pytest.raises(ValidationError):
        ops.log_output(env, session=session, record_id=record_id, kind=AccessKind.PRINT)
    reason = session.store.list_items(ListKind.CONSULTATION_REASON)[1]
    clock.now += timedelta(hours=2)
    ops.open_record(env, session=session, record_id=record_id, reason_id=reason.id)
    ops.log_output(env, session=session, record_id=record_id, kind=AccessKind.PRINT, reason_id=reason.id)
    log = session.store.access_log()
    assert [(e.kind, e.reason) for e in log[-2:]] == [(AccessKind.OPEN, reason.label),
                                                      (AccessKind.PRINT, reason.label)]
    assert log[-1].at == datetime(2026, 12, 4, 11, 0) and log[-1].who == "Paul Coord"


def test_dpo_export_is_a_csv_without_any_name(session, env, tmp_path):
    record_id = ops.create_record(env, session=session,
                                  record=new_record(session, "Nominatif", date(2010, 3, 3), date(2025, 1, 1))).value
    ops.log_output(env, session=session, record_id=record_id, kind=AccessKind.EXPORT)
    target = ops.export_access_log(env, session=session, target=tmp_path / "journal.csv").value
    text = target.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    assert rows[0] == ["N°", "Date", "Heure", "Qui", "Quoi", "Fiche n°", "Motif"]
    assert [r[4] for r in rows[1:]] == ["Création", "Export", "Export du journal"]
    assert rows[1][1] == "vendredi 4 décembre 2026" and rows[1][5] == str(record_id)
    assert "Nominatif" not in text


def test_lists_are_editable_without_free_text_on_records(session, env):
    added = ops.add_list_item(env, session=session, kind=ListKind.REASON, label="  Harcèlement  scolaire ").value
    with pytest.raises(ValidationError, match="déjà dans la liste"):
        ops.add_list_item(env, session=session, kind=ListKind.REASON, label="harcèlement scolaire")
    item = next(i for i in session.store.list_items(ListKind.REASON) if i.id == added)
    assert item.label == "Harcèlement scolaire"
    ops.rename_list_item(env, session=session, item=item, label="Harcèlement")
    record = new_record(session, "Leroy", date(2012, 1, 1), date(2026, 1, 1))
    record.reason_ids = (added,)
    record_id = ops.create_record(env, session=session, record=record).value
    ops.set_list_item_active(env, session=session, item_id=added, active=False)
    assert session.store.record(record_id).reason_ids == (added,)  # retired, never deleted
    with pytest.raises(ValidationError, match="n'est plus dans la liste"):
        ops.create_record(env, session=session, record=record)
