"""Agenda templates for each kind of meeting, kept as data (`resources/agendas/modeles.json`) and drawn
from the national guide: what the first plenary, the yearly plenary, the restricted formation and a
working group are for. The coordinator may save an edited copy in the settings (same format).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.errors import UserError

SETTING_KEY = "agenda_templates"  # an edited copy, same JSON as the resource file
PRESENTER_SEPARATOR = " — "  # « Bilan de l'année écoulée — Coordonnateur » in the settings' editor
FIRST_PLENARY = "premiere_pleniere"
YEARLY_PLENARY = "pleniere_annuelle"


@dataclass(frozen=True)
class TemplateItem:
    title: str
    presenter: str = ""


@dataclass(frozen=True)
class AgendaTemplate:
    key: str
    label: str
    formation: FormationKind
    items: tuple[TemplateItem, ...]


def parse_templates(text: str) -> dict[str, AgendaTemplate]:
    """The templates in `text` (the JSON format of the resource file); a French error when malformed."""
    try:
        raw = json.loads(text)["templates"]
        return {key: AgendaTemplate(key, str(t["label"]), FormationKind(t["formation"]),
                                    tuple(TemplateItem(str(i["title"]), str(i.get("presenter", "")))
                                          for i in t["items"] if str(i["title"]).strip()))
                for key, t in raw.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UserError("Les modèles d'ordre du jour sont illisibles : le fichier ou les réglages ont été "
                        "modifiés à la main. Les modèles livrés avec l'application sont utilisés.",
                        details=str(exc)) from exc


def load_templates(path: Path, edited: str = "") -> dict[str, AgendaTemplate]:
    """The coordinator's edited templates when they are readable, else those shipped with the app."""
    if edited.strip():
        try:
            return parse_templates(edited)
        except UserError:
            pass
    return parse_templates(path.read_text(encoding="utf-8"))


def template_for(templates: dict[str, AgendaTemplate], kind: FormationKind,
                 has_held_plenary: bool) -> AgendaTemplate | None:
    """The template a new meeting of `kind` proposes: the first plenary's until one has been held."""
    if kind is FormationKind.PLENARY:
        return templates.get(YEARLY_PLENARY if has_held_plenary else FIRST_PLENARY)
    return next((t for t in templates.values() if t.formation is kind), None)


def template_lines(template: AgendaTemplate) -> str:
    """One point per line, « Titre — Présenté par », as the settings' editor shows them."""
    return "\n".join(item.title + (PRESENTER_SEPARATOR + item.presenter if item.presenter else "")
                     for item in template.items)


def items_from_lines(text: str) -> tuple[TemplateItem, ...]:
    """The points typed one per line; « — » (or « - » between spaces) separates who presents it."""
    items = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        title, _, presenter = line.replace(" - ", PRESENTER_SEPARATOR).partition(PRESENTER_SEPARATOR)
        if title.strip():
            items.append(TemplateItem(title.strip(), presenter.strip()))
    return tuple(items)


def templates_json(templates: dict[str, AgendaTemplate], source: str = "") -> str:
    """The templates in the resource file's format (what the settings keep as the edited copy)."""
    return json.dumps({"source": source or "Modèles modifiés par le coordonnateur", "templates": {
        key: {"label": t.label, "formation": t.formation.value,
              "items": [{"title": i.title, "presenter": i.presenter} for i in t.items]}
        for key, t in templates.items()}}, ensure_ascii=False, indent=1)
