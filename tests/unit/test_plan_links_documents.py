"""The fiche-action PDF lists the meetings where the action was discussed, read back with pypdf: the plenary
is printed verbatim (hostile text included), the confidential working group never is; the demo links a
handful of decisions and action items, one of them in the confidential cellule."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader

from clspd_desktop.domain.directory import WorkingGroupType
from clspd_desktop.domain.meetings import ActionItem
from clspd_desktop.domain.plan_links import LinkSource
from clspd_desktop.services.demo_data import populate_demo
from clspd_desktop.services.demo_meetings import PLAN_LINKS
from clspd_desktop.services.reports.action_sheet_pdf import MEETINGS_HEADING, build_action_sheet_pdf
from tests.factories import add_working_group
from tests.unit.test_plan_links_repo import HOSTILE_TEXT, linked_setup, new_meeting

TODAY = date(2026, 11, 21)


def _text(path) -> str:
    """Page text with line breaks removed, so a cell wrapped over two lines still matches."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_action_sheet_prints_shared_meetings_and_never_a_confidential_group(configured_store, tmp_path):
    store = configured_store
    s = linked_setup(store)
    store.links.link_decision(s.decision.id, s.sp.action.id)
    store.links.link_decision(s.group_decision.id, s.sp.action.id)
    open_group = add_working_group(store, "Tranquillité <gare> & abords", confidential=False,
                                   wg_type=WorkingGroupType.THEMATIC)
    other = new_meeting(store, date(2025, 5, 6), formation_id=open_group.id)
    item = store.meetings.save_action_item(ActionItem(other.id, "Baliser le parcours", responsible_name="PM"))
    store.links.link_action_item(item.id, s.sp.action.id)
    assert len(store.links.meetings_for_action(s.sp.action.id)) == 3  # all three on screen

    text = _text(build_action_sheet_pdf(store, s.sp.action.id, tmp_path / "fiche.pdf", TODAY))
    assert MEETINGS_HEADING in text
    assert "jeudi 12 juin 2025" in text
    assert _flat("Formation plénière – Plénière <annuelle> & bilan") in text
    assert _flat(f"Décision : {HOSTILE_TEXT}") in text
    assert "Cellule <veille> & suivi" not in text and "Situations confiées à un référent" not in text
    assert "mardi 8 avril 2025" not in text
    assert _flat("Groupe de travail « Tranquillité <gare> & abords »") in text  # an open group is printed
    assert "mardi 6 mai 2025" in text and "Action décidée : Baliser le parcours" in text
    assert text.index("mardi 6 mai 2025") < text.index("jeudi 12 juin 2025")  # by date


def test_action_sheet_without_shared_meeting_has_no_meetings_section(configured_store, tmp_path):
    store = configured_store
    s = linked_setup(store)
    store.links.link_decision(s.group_decision.id, s.sp.action.id)  # only the confidential group
    text = _text(build_action_sheet_pdf(store, s.sp.action.id, tmp_path / "fiche.pdf", TODAY))
    assert MEETINGS_HEADING not in text and "Cellule" not in text


def test_demo_links_a_handful_of_decisions_and_action_items(store, tmp_path):
    populate_demo(store, TODAY)
    linked = store.db.execute(
        "SELECT (SELECT COUNT(DISTINCT decision_id) FROM decision_plan_action) "
        "+ (SELECT COUNT(DISTINCT action_item_id) FROM action_item_plan_action)").fetchone()[0]
    assert 8 <= linked <= len(PLAN_LINKS)
    plan = store.plan.current_plan(TODAY)
    mentions = {row.title: store.links.meetings_for_action(row.id) for row in store.plan.action_rows(plan.id, TODAY)}
    discussed = {title: m for title, m in mentions.items() if m}
    assert len(discussed) >= 5
    assert any(m.confidential for m in discussed["Cellule de veille éducative des Tilleuls"])
    assert len({m.meeting_id for m in discussed["Médiation sociale de soirée aux Tilleuls"]}) >= 2
    cell = next(r for r in store.plan.action_rows(plan.id, TODAY) if r.title.startswith("Cellule de veille"))
    text = _text(build_action_sheet_pdf(store, cell.id, tmp_path / "cellule.pdf", TODAY))
    assert "Cellule de suivi" not in text and "référent de parcours" not in text


def test_minutes_show_the_plan_action_of_each_decision_and_action_item(configured_store, tmp_path):
    from clspd_desktop.services.reports.minutes_pdf import build_minutes_pdf, load_minutes

    store = configured_store
    s = linked_setup(store)
    store.links.link_decision(s.decision.id, s.sp.action.id)
    store.links.link_action_item(s.item.id, s.sp.action.id)
    store.links.link_action_item(s.item.id, s.second.id)
    papers, content = load_minutes(store, s.plenary.id)
    text = _text(build_minutes_pdf(papers, content, tmp_path / "cr.pdf", TODAY))
    action = store.plan.get_action(s.sp.action.id)
    first = next(link for link in store.links.linked_actions(LinkSource.DECISION, s.decision.id))
    assert _flat(f"Action du plan : {first.number} {action.title}") in text
    assert "Actions du plan : " in text and _flat("Aide aux victimes & co") in text
    assert text.index(_flat(HOSTILE_TEXT)) < text.index("Action du plan :")
