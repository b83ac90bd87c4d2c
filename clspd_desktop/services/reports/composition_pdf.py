"""The council's composition list, in the order of precedence, as annexed to the mayor's arrêté."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from clspd_desktop.db.store import Store
from clspd_desktop.domain.council import Council
from clspd_desktop.domain.dates import long_date, parse_date
from clspd_desktop.domain.directory import (
    ContactRole,
    Formation,
    FormationKind,
    MemberItem,
    MembershipCategory,
)
from clspd_desktop.domain.records import saved_id
from clspd_desktop.errors import UserError
from clspd_desktop.services.pdf import Markup, build_pdf, data_table, para, signature_block, styles
from clspd_desktop.services.reports.common import plural, require_council, signatory_line

HEADER = ["N°", "Membre", "Organisation", "Catégorie", "Qualité"]
WIDTHS = ["6%", "31%", "31%", "19%", "13%"]
GROUPS = (
    ("Membres de droit", {MembershipCategory.DE_DROIT}),
    ("Membres désignés et associés", {MembershipCategory.DESIGNE, MembershipCategory.ASSOCIE}),
    ("Personnalités qualifiées", {MembershipCategory.PERSONNALITE_QUALIFIEE}),
)


def composition_title(formation: Formation) -> str:
    if formation.kind is FormationKind.WORKING_GROUP:
        return f"Composition du groupe de travail « {formation.name} »"
    return f"Composition de la {formation.kind.label.lower()}"


def composition_order_text(council: Council) -> str:
    """'Arrêté de composition n° 2024-117 du lundi 3 juin 2024', or '' when none is recorded."""
    if not (council.composition_order_number or council.composition_order_date):
        return ""
    text = "Arrêté de composition"
    if council.composition_order_number:
        text += f" n°\u00a0{council.composition_order_number}"
    if council.composition_order_date:
        try:
            when = parse_date(council.composition_order_date)
        except ValueError:
            when = None
        text += f" du {long_date(when) if when else council.composition_order_date}"
    return text


def precedence_groups(members: list[MemberItem]) -> list[tuple[str, list[MemberItem]]]:
    """Members (already in the order of precedence) under their heading — membres de droit, désignés et
    associés, personnalités qualifiées —, empty groups left out: the composition list and the arrêté agree."""
    grouped = []
    for heading, categories in GROUPS:
        group = [m for m in members if m.membership.category in categories]
        if group:
            grouped.append((heading, group))
    return grouped


def _member_cell(item: MemberItem) -> list[Flowable]:
    st = styles()
    cell = [para(item.contact.full_name, st.cell)]
    if item.contact.function:
        cell.append(para(item.contact.function, st.cell_small))
    return cell


def _formation(store: Store, formation_id: int | None) -> Formation:
    if formation_id is None:
        return store.formations.by_kind(FormationKind.PLENARY)
    formation = store.formations.get(formation_id)
    if formation is None:
        raise UserError("Cette formation n'existe plus : elle a peut-être été supprimée entre-temps.")
    return formation


def build_composition_story(store: Store, formation: Formation, today: date) -> list[Flowable]:
    st = styles()
    members = store.formations.members(saved_id(formation.id), on=today)
    council = require_council(store)
    story: list[Flowable] = []
    if formation.kind is not FormationKind.WORKING_GROUP:
        order = composition_order_text(council)
        story.append(para(
            order + "." if order else "Aucun arrêté de composition n'est enregistré dans l'application.",
            st.body if order else st.note))
    if formation.confidential:
        story.append(para([Markup("<b>Groupe confidentiel</b> (art. L132-5 du code de la sécurité intérieure) : "),
                           "seuls les membres signataires de la charte déontologique y siègent ; "
                           "ce document ne doit pas être diffusé hors du groupe."], st.note))
    titulars = sum(1 for m in members if m.contact.role is ContactRole.TITULAR)
    story.append(para(f"{plural(len(members), 'membre', 'membres')}, dont "
                      f"{plural(titulars, 'titulaire', 'titulaires')}.", st.small))
    if not members:
        story.append(para("Aucun membre n'est enregistré pour cette formation à cette date.", st.body))
    number = 0
    for heading, group in precedence_groups(members):
        rows = []
        for item in group:
            number += 1
            rows.append([str(number), _member_cell(item), item.organisation_name,
                         item.membership.category.label, item.contact.role.label])
        story.extend([CondPageBreak(3 * cm), para(heading, st.heading), data_table(HEADER, rows, WIDTHS)])
    story.extend([Spacer(1, 0.3 * cm), signature_block(council, today, signatory=signatory_line(store, council))])
    return story


def build_composition_pdf(store: Store, path: Path, formation_id: int | None = None,
                          today: date | None = None) -> Path:
    """Write the composition of one formation (default: the plenary) to `path` (atomically)."""
    council = require_council(store)
    today = today or date.today()
    formation = _formation(store, formation_id)
    story = build_composition_story(store, formation, today)
    return build_pdf(path, council, composition_title(formation), story,
                     subtitle=f"Situation au {long_date(today)}", today=today,
                     subject=f"Composition du {council.kind.value}")
