"""Links between meeting decisions / action items and plan actions: link, unlink, idempotence, numbering,
"where discussed" by date with the confidential flag, links surviving an edit of the minutes, cascades."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest

from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.meetings import ActionItem, AgendaItem, Decision, Meeting, Minutes
from clspd_desktop.domain.plan import Action
from clspd_desktop.domain.plan_links import LinkSource, action_title_from, shareable
from clspd_desktop.errors import UserError
from tests.factories import add_working_group
from tests.unit.test_plan_repo import HOSTILE, SmallPlan, small_plan

HOSTILE_TEXT = "Confier l'étude <caméras> & R&D au service \"technique\""


def new_meeting(store: Store, day: date, formation_id: int | None = None, title: str = "") -> Meeting:
    start = datetime.combine(day, time(14))
    formation_id = formation_id or store.formations.by_kind(FormationKind.PLENARY).id
    return store.meetings.save_meeting(Meeting(formation_id=formation_id, starts_at=start,
                                               ends_at=start + timedelta(hours=2), title=title,
                                               agenda=[AgendaItem("Suivi du plan")]))


@dataclass
class Linked:
    sp: SmallPlan
    second: Action  # another action of the plan (objective 2)
    plenary: Meeting
    group: Meeting  # a confidential working group's meeting, earlier than the plenary
    decision: Decision
    item: ActionItem
    group_decision: Decision


def linked_setup(store: Store) -> Linked:
    """A small plan, a plenary (decision + action item) and a confidential group meeting (decision)."""
    sp = small_plan(store)
    second = store.plan.save_action(Action(objective_id=sp.objectives[1].id, title="Aide aux victimes & co"))
    plenary = new_meeting(store, date(2025, 6, 12), title="Plénière <annuelle> & bilan")
    cell = add_working_group(store, "Cellule <veille> & suivi", confidential=True)
    group = new_meeting(store, date(2025, 4, 8), formation_id=cell.id)
    decision = store.meetings.save_decision(Decision(plenary.id, HOSTILE_TEXT))
    item = store.meetings.save_action_item(ActionItem(plenary.id, "Relancer le chef de file", responsible_name="Coord."))
    group_decision = store.meetings.save_decision(Decision(group.id, "Situations confiées à un référent"))
    return Linked(sp, second, plenary, group, decision, item, group_decision)


def _count(store: Store, table: str) -> int:
    return store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_link_is_idempotent_and_unlink_removes_only_the_link(configured_store):
    store = configured_store
    s = linked_setup(store)
    assert store.links.link_decision(s.decision.id, s.sp.action.id) is True
    assert store.links.link_decision(s.decision.id, s.sp.action.id) is False  # twice: still one row
    assert _count(store, "decision_plan_action") == 1
    assert store.links.link_action_item(s.item.id, s.sp.action.id) is True
    assert store.links.unlink_decision(s.decision.id, s.sp.action.id) is True
    assert store.links.unlink_decision(s.decision.id, s.sp.action.id) is False
    assert _count(store, "decision_plan_action") == 0 and _count(store, "action_item_plan_action") == 1
    assert store.meetings.decisions(s.plenary.id)[0].text == HOSTILE_TEXT  # the decision itself stays
    assert store.plan.get_action(s.sp.action.id) is not None


def test_linking_something_that_no_longer_exists_is_refused_in_french(configured_store):
    store = configured_store
    s = linked_setup(store)
    with pytest.raises(UserError, match="action du plan n'existe plus"):
        store.links.link_decision(s.decision.id, 999_999)
    with pytest.raises(UserError, match="décision n'existe plus"):
        store.links.link_decision(999_999, s.sp.action.id)
    with pytest.raises(UserError, match="action décidée n'existe plus"):
        store.links.link_action_item(999_999, s.sp.action.id)
    assert _count(store, "decision_plan_action") == 0


def test_links_of_meeting_carry_plan_numbers_and_path(configured_store):
    store = configured_store
    s = linked_setup(store)
    store.links.link_decision(s.decision.id, s.second.id)
    store.links.link_decision(s.decision.id, s.sp.action.id)
    store.links.link_action_item(s.item.id, s.second.id)
    store.links.link_decision(s.group_decision.id, s.sp.action.id)  # another meeting: not in this one's links
    links = store.links.links_of_meeting(s.plenary.id)
    assert list(links.decisions) == [s.decision.id]
    first, second = links.decisions[s.decision.id]  # plan order, not link order
    assert (first.number, first.title) == ("1.1.1", HOSTILE)
    assert first.path == f"Jeunesse › Objectif Jeunesse › {HOSTILE}"
    assert (second.number, second.short_label) == ("2.1.1", "2.1.1 Aide aux victimes & co")
    assert first.plan_period == "2025-2027"
    assert [a.action_id for a in links.of(LinkSource.ACTION_ITEM, s.item.id)] == [s.second.id]
    assert links.of(LinkSource.DECISION, None) == []
    assert [a.action_id for a in store.links.linked_actions(LinkSource.DECISION, s.decision.id)] == [
        s.sp.action.id, s.second.id]


def test_numbers_follow_a_reordering_of_the_plan(configured_store):
    store = configured_store
    s = linked_setup(store)
    store.links.link_decision(s.decision.id, s.second.id)
    store.plan.move("axis", s.sp.axes[1].id, -1)  # "Victimes" becomes axis 1
    assert store.links.links_of_meeting(s.plenary.id).decisions[s.decision.id][0].number == "1.1.1"


def test_meetings_for_action_by_date_with_confidential_flag(configured_store):
    store = configured_store
    s = linked_setup(store)
    store.links.link_action_item(s.item.id, s.sp.action.id)
    store.links.link_decision(s.decision.id, s.sp.action.id)
    store.links.link_decision(s.group_decision.id, s.sp.action.id)
    mentions = store.links.meetings_for_action(s.sp.action.id)
    assert [(m.meeting_id, m.source) for m in mentions] == [
        (s.group.id, LinkSource.DECISION), (s.plenary.id, LinkSource.DECISION),
        (s.plenary.id, LinkSource.ACTION_ITEM)]
    group, decision, item = mentions
    assert group.confidential and not decision.confidential
    assert group.formation_name == "Groupe de travail « Cellule <veille> & suivi »"
    assert group.meeting_label == group.formation_name  # untitled meeting: its formation
    assert decision.meeting_label == "Formation plénière – Plénière <annuelle> & bilan"
    assert decision.day_label == "jeudi 12 juin 2025"
    assert decision.text == HOSTILE_TEXT and decision.what == f"Décision : {HOSTILE_TEXT}"
    assert item.what == "Action décidée : Relancer le chef de file"
    assert shareable(mentions) == [decision, item]
    assert store.links.meetings_for_action(s.second.id) == []


def test_links_survive_an_edit_of_the_minutes(configured_store):
    store = configured_store
    s = linked_setup(store)
    store.links.link_decision(s.decision.id, s.sp.action.id)
    store.links.link_action_item(s.item.id, s.second.id)
    decision = store.meetings.decisions(s.plenary.id)[0]
    decision.text = "Texte corrigé après relecture"
    store.meetings.save_decision(decision)
    item = store.meetings.action_items(s.plenary.id)[0]
    item.text, item.due_date = "Relancer le chef de file avant l'été", date(2025, 7, 1)
    store.meetings.save_action_item(item)
    store.meetings.save_minutes(Minutes(s.plenary.id, summary="Synthèse réécrite"))
    meeting = store.meetings.get_meeting(s.plenary.id)
    meeting.agenda[0].title = "Suivi du plan d'actions"
    store.meetings.save_meeting(meeting)
    store.meetings.save_agenda_notes(meeting.agenda[0].id, "Notes revues")
    links = store.links.links_of_meeting(s.plenary.id)
    assert [a.action_id for a in links.decisions[s.decision.id]] == [s.sp.action.id]
    assert [a.action_id for a in links.action_items[s.item.id]] == [s.second.id]
    assert store.links.meetings_for_action(s.sp.action.id)[0].text == "Texte corrigé après relecture"


def test_deleting_a_plan_action_removes_its_links_and_keeps_the_meeting(configured_store):
    store = configured_store
    s = linked_setup(store)
    store.links.link_decision(s.decision.id, s.sp.action.id)
    store.links.link_action_item(s.item.id, s.sp.action.id)
    store.links.link_decision(s.decision.id, s.second.id)
    store.plan.delete_action(s.sp.action.id)
    assert _count(store, "action_item_plan_action") == 0
    assert [a.action_id for a in store.links.links_of_meeting(s.plenary.id).decisions[s.decision.id]] == [
        s.second.id]
    assert [d.id for d in store.meetings.decisions(s.plenary.id)] == [s.decision.id]
    assert [i.id for i in store.meetings.action_items(s.plenary.id)] == [s.item.id]


def test_deleting_a_meeting_or_a_decision_removes_its_links_and_keeps_the_action(configured_store):
    store = configured_store
    s = linked_setup(store)
    store.links.link_decision(s.decision.id, s.sp.action.id)
    store.links.link_action_item(s.item.id, s.sp.action.id)
    store.links.link_decision(s.group_decision.id, s.sp.action.id)
    store.meetings.delete_decision(s.group_decision.id)
    assert [m.meeting_id for m in store.links.meetings_for_action(s.sp.action.id)] == [s.plenary.id] * 2
    store.meetings.delete_meeting(s.plenary.id)
    assert store.links.meetings_for_action(s.sp.action.id) == []
    assert _count(store, "decision_plan_action") + _count(store, "action_item_plan_action") == 0
    assert store.plan.get_action(s.sp.action.id).title == HOSTILE


def test_replace_links_sets_one_plan_and_keeps_other_plans(configured_store):
    from clspd_desktop.domain.plan import Axis, Objective, Plan

    store = configured_store
    s = linked_setup(store)
    old = store.plan.save_plan(Plan(title="Ancien plan", start_year=2020, end_year=2022))
    axis = store.plan.save_axis(Axis(plan_id=old.id, title="Ancien axe"))
    objective = store.plan.save_objective(Objective(axis_id=axis.id, title="Ancien objectif"))
    old_action = store.plan.save_action(Action(objective_id=objective.id, title="Ancienne action"))
    store.links.link_decision(s.decision.id, old_action.id)
    store.links.link_decision(s.decision.id, s.sp.action.id)
    store.links.replace_links(LinkSource.DECISION, s.decision.id, [s.second.id, s.second.id], s.sp.plan.id)
    linked = store.links.linked_actions(LinkSource.DECISION, s.decision.id)
    assert [(a.action_id, a.plan_period) for a in linked] == [(old_action.id, "2020-2022"), (s.second.id, "2025-2027")]
    with pytest.raises(UserError):
        store.links.replace_links(LinkSource.DECISION, s.decision.id, [999_999], s.sp.plan.id)
    assert len(store.links.linked_actions(LinkSource.DECISION, s.decision.id)) == 2  # refused: nothing changed


@pytest.mark.parametrize(("text", "title"), [
    ("Le bilan annuel est adopté.", "Le bilan annuel est adopté"),
    ("\n  Passages de la médiation   en soirée\nDu jeudi au samedi.", "Passages de la médiation en soirée"),
    ("Étude " + "très " * 40 + "longue", None),
])
def test_action_title_from_text(text, title):
    result = action_title_from(text)
    if title is not None:
        assert result == title
    else:
        assert len(result) <= 120 and result.endswith("…") and result.startswith("Étude très")
        assert not result[:-1].endswith(" ")
