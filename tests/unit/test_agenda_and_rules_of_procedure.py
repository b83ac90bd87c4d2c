"""Agenda templates as data, and the draft règlement intérieur written from the council's settings."""

from __future__ import annotations

import pytest

from clspd_desktop.domain.agenda_templates import load_templates, parse_templates, template_for
from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.errors import UserError
from clspd_desktop.paths import resources_dir
from clspd_desktop.services.reports.rules_of_procedure_pdf import build_rules_of_procedure_pdf
from tests.factories import add_working_group
from tests.pdf_text import text_of

SHIPPED = resources_dir() / "agendas" / "modeles.json"


def test_each_kind_of_meeting_has_its_template():
    templates = load_templates(SHIPPED)
    first = template_for(templates, FormationKind.PLENARY, has_held_plenary=False)
    assert first is not None and "règlement intérieur" in first.items[0].title
    assert any("coordonnateur" in i.title for i in first.items)
    yearly = template_for(templates, FormationKind.PLENARY, has_held_plenary=True)
    assert yearly is not None and any("Bilan" in i.title for i in yearly.items)
    assert any("délinquance" in i.title for i in yearly.items)
    restricted = template_for(templates, FormationKind.RESTRICTED, has_held_plenary=True)
    assert restricted is not None and any("plan" in i.title for i in restricted.items)
    group = template_for(templates, FormationKind.WORKING_GROUP, has_held_plenary=True)
    assert group is not None and group.items[0].title.startswith("Suivi des décisions")


def test_an_unreadable_edited_copy_falls_back_to_the_shipped_templates():
    assert load_templates(SHIPPED, edited="{pas du json") == load_templates(SHIPPED)
    with pytest.raises(UserError, match="illisibles"):
        parse_templates('{"templates": {"x": {"label": "X", "formation": "inconnue", "items": []}}}')


def test_edited_templates_are_used():
    edited = '{"templates": {"g": {"label": "Mon groupe", "formation": "working_group", ' \
             '"items": [{"title": "Tour de table"}, {"title": "  "}]}}}'
    templates = load_templates(SHIPPED, edited=edited)
    assert [i.title for i in templates["g"].items] == ["Tour de table"]


def test_draft_rules_of_procedure_follow_the_council(configured_store, tmp_path):
    store = configured_store
    add_working_group(store, "Cellule <veille> & suivi", confidential=True)
    store.settings.set("notice_days_plenary", 10)
    text = text_of(build_rules_of_procedure_pdf(store, tmp_path / "ri.pdf"))
    assert "PROJET" in text and "Règlement intérieur" in text
    assert "présidé par le maire (Claire Dubreuil)" in text
    assert "Julien Perrot" in text
    assert "« Cellule <veille> & suivi »" in text and "charte déontologique" in text
    assert "au moins 10 jours francs" in text
    assert "Adopté par la formation plénière le" in text
