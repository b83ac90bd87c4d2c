"""The draft arrêté de composition: what the coordinator hands to the town hall's legal service.

The mayor (or the EPCI president for a CISPD) fixes the council's composition by arrêté (domain.md,
« Composition »). The app knows the members, their order of precedence, the formations and the groups, so
it prepares the draft; the legal service checks it, numbers and dates it (the new number and date are left
blank, the arrêté in force is cited in the visas and repealed). Every page says « PROJET »; no doubt is printed:
the banner sends the legal service to Légifrance for the texts in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from clspd_desktop.db.store import Store
from clspd_desktop.domain.civility import civility_forms, signatory_title
from clspd_desktop.domain.council import Council, CouncilKind
from clspd_desktop.domain.dates import legal_date, long_date, parse_date
from clspd_desktop.domain.directory import Civility, ContactRole, Formation, FormationKind, MemberItem
from clspd_desktop.domain.records import saved_id
from clspd_desktop.domain.text import format_number
from clspd_desktop.errors import UserError
from clspd_desktop.services.pdf import Markup, bold, build_pdf, italic, para, styles
from clspd_desktop.services.reports.common import chair_civility, require_council
from clspd_desktop.services.reports.composition_pdf import precedence_groups

BLANK = "____________"  # filled in by hand (or by the legal service) on the signed arrêté
WARNING_RED = colors.HexColor("#B00020")
DRAFT_NOTICE = (
    "PROJET — document de travail à faire relire par le service juridique avant signature. Le numéro et la "
    "date du nouvel arrêté sont laissés en blanc ; les textes cités se contrôlent dans leur version en vigueur "
    "sur Légifrance (legifrance.gouv.fr)."
)
CONFIDENTIAL_GROUP_NOTE = (
    "groupe confidentiel (art. L. 132-5 du code de la sécurité intérieure) : seuls y siègent des membres "
    "signataires de la charte déontologique ; sa composition nominative ne figure pas dans le présent arrêté."
)


@dataclass(frozen=True)
class _Styles:
    """The arrêté's own paragraph styles, derived from the shared family so it still looks like our documents."""

    header: ParagraphStyle
    number: ParagraphStyle
    title: ParagraphStyle
    authority: ParagraphStyle
    recital: ParagraphStyle
    decrees: ParagraphStyle
    article: ParagraphStyle
    text: ParagraphStyle
    group: ParagraphStyle
    item: ParagraphStyle
    subitem: ParagraphStyle
    draft: ParagraphStyle


def _styles() -> _Styles:
    st = styles()

    def derive(name: str, parent: ParagraphStyle, **kw) -> ParagraphStyle:
        return ParagraphStyle(f"arrete_{name}", parent=parent, **kw)

    return _Styles(
        header=derive("header", st.body, fontName=st.heading.fontName, leading=14),
        number=derive("number", st.heading, fontSize=12, spaceBefore=8, spaceAfter=2),
        title=derive("title", st.title, fontSize=13.5, leading=18, spaceBefore=4, spaceAfter=10),
        authority=derive("authority", st.body, fontName=st.heading.fontName, spaceBefore=6, spaceAfter=6),
        recital=derive("recital", st.body_justified, spaceAfter=4),
        decrees=derive("decrees", st.heading, alignment=TA_CENTER, fontSize=13, spaceBefore=10, spaceAfter=6),
        article=derive("article", st.subheading, textColor=st.heading.textColor, spaceBefore=9, spaceAfter=3,
                       keepWithNext=1),
        text=derive("text", st.body_justified, spaceAfter=3),
        group=derive("group", st.body, fontName=st.heading.fontName, leftIndent=8, spaceBefore=5, spaceAfter=2,
                     keepWithNext=1),
        item=derive("item", st.body, leftIndent=22, bulletIndent=10, spaceAfter=1),
        subitem=derive("subitem", st.body, fontSize=9.5, leading=12.5, leftIndent=36, bulletIndent=24),
        draft=derive("draft", st.body, textColor=WARNING_RED, fontSize=9, leading=12),
    )


def _bullet(content: list[str], style: ParagraphStyle, symbol: str = "\u2022") -> Flowable:
    return para([Markup(f"<bullet>{symbol}</bullet>"), *content], style)


def _commune(council: Council) -> str:
    return council.communes[0].name if council.communes else council.city


def member_line(item: MemberItem) -> str:
    """'Mme Élodie Martin, Trésorière, Association Horizons (suppléant)': civility and name, function,
    organisation, as an arrêté names its members."""
    parts = [item.contact.full_name, item.contact.function.strip(), item.organisation_name.strip()]
    line = ", ".join(p for p in parts if p)
    if item.contact.role is ContactRole.SUBSTITUTE:
        line += " (suppléante)" if item.contact.civility is Civility.MRS else " (suppléant)"
    return line


def _draft_banner(st: _Styles) -> Flowable:
    box = Table([[para(DRAFT_NOTICE, st.draft)]], colWidths=["100%"], style=TableStyle([
        ("BOX", (0, 0), (-1, -1), 1.2, WARNING_RED),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FDECEE")),
        ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return box


def _heading(council: Council, st: _Styles) -> list[Flowable]:
    number = BLANK  # the new arrêté's number is given by the legal service, never the current one's
    title = f"Arrêté portant composition du {council.kind.long_name[0].lower()}{council.kind.long_name[1:]}"
    return [
        _draft_banner(st),
        Spacer(1, 0.35 * cm),
        para("RÉPUBLIQUE FRANÇAISE", st.header),
        para(council.name, st.header),
        para(f"Arrêté n°\u00a0{number}", st.number),
        para(title, st.title),
    ]


def _authority(council: Council, civility: Civility) -> str:
    forms = civility_forms()
    if council.kind is CouncilKind.CISPD:
        return (f"{forms.agree('le_president', civility)} de l'établissement public de coopération "
                f"intercommunale « {council.name} »,")
    commune = _commune(council)
    return f"{forms.agree('le_maire', civility)}{f' de {commune}' if commune else ''},"


def current_order(council: Council) -> str:
    """« l'arrêté n° 2025-147 du 30 septembre 2025 »: the arrêté the draft replaces, or '' if none is recorded."""
    number = council.composition_order_number.strip()
    when = _date_or_none(council.composition_order_date)
    if not number and not when:
        return ""
    return "l'arrêté" + (f" n°\u00a0{number}" if number else "") + (f" du {legal_date(when)}" if when else "")


def _visas(council: Council, has_confidential_group: bool) -> list[str]:
    """The texts the arrêté rests on, then the arrêté it replaces (the legal service checks them on Légifrance)."""
    articles = "L. 132-4, L. 132-5 et L. 132-13" if council.kind is CouncilKind.CISPD else "L. 132-4 et L. 132-5"
    visas = [
        "Vu le code général des collectivités territoriales ;",
        f"Vu le code de la sécurité intérieure, notamment ses articles {articles}, et ses articles D. 132-7 et "
        "suivants ;",
        "Vu la loi n°\u00a02007-297 du 5 mars 2007 relative à la prévention de la délinquance ;",
        "Vu la loi n°\u00a02021-646 du 25 mai 2021 pour une sécurité globale préservant les libertés ;",
        "Vu la loi n°\u00a02024-247 du 21 mars 2024 renforçant la sécurité et la protection des maires et des "
        "élus locaux, notamment son article 16, qui a modifié la composition du conseil ;",
    ]
    if (replaced := current_order(council)):
        visas.append(f"Vu {replaced} portant composition du conseil ;")
    adopted = _date_or_none(council.rules_adopted_on)
    if adopted:
        visas.append(f"Vu le règlement intérieur du conseil adopté le {long_date(adopted)} ;")
    if has_confidential_group and council.charter_version.strip():
        visas.append(f"Vu la charte déontologique du conseil ({council.charter_version.strip()}) ;")
    return visas


def _date_or_none(text: str) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _recitals(council: Council) -> list[str]:
    recitals = []
    if council.kind is CouncilKind.CISPD and council.communes:
        names = [c.name for c in council.communes]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
        recitals.append(f"Considérant que le conseil couvre le territoire des communes de {listed}, soit "
                        f"{format_number(council.total_population)} habitants ;")
    elif council.communes:
        commune = council.communes[0]
        text = f"Considérant que la commune de {commune.name} compte {format_number(commune.population)} habitants"
        if commune.has_qpv:
            qpv = f" ({commune.qpv_names.strip()})" if commune.qpv_names.strip() else ""
            text += f" et comprend un quartier prioritaire de la politique de la ville{qpv}"
        recitals.append(text + " ;")
    recitals.append("Considérant les désignations effectuées par les institutions, services et organismes "
                    "appelés à siéger au conseil ;")
    recitals.append("Considérant qu'il y a lieu de fixer la composition du conseil ;")
    return recitals


def _article(number: int) -> Markup:
    return Markup("Article 1<super>er</super>" if number == 1 else f"Article {number}")


def _members_article(council: Council, members: list[MemberItem], st: _Styles) -> list[Flowable]:
    long_name = council.kind.long_name
    where = f"de {_commune(council)}" if council.kind is CouncilKind.CLSPD and _commune(council) \
        else f"« {council.name} »"
    story = [para(_article(1), st.article),
             para(f"Le {long_name[0].lower()}{long_name[1:]} {where} est composé comme suit, dans l'ordre "
                  "protocolaire :", st.text)]
    for rank, (heading, group) in enumerate(precedence_groups(members), 1):
        story.append(para(f"{rank}° {heading} :", st.group))
        story.extend(_bullet([member_line(item)], st.item) for item in group)
    return story


def _presidency_article(council: Council, civility: Civility, st: _Styles) -> list[Flowable]:
    forms = civility_forms()
    chair = forms.agree("le_president" if council.kind is CouncilKind.CISPD else "le_maire", civility)
    chair = chair[:1].lower() + chair[1:]
    if council.kind is CouncilKind.CISPD:
        chair += " de l'établissement public de coopération intercommunale"
    name = council.chair_name.strip()
    text = f"Le conseil est présidé par {chair}{f', {name},' if name else ''} ou par son représentant."
    story = [para(_article(2), st.article), para(text, st.text)]
    if council.has_coordinator:
        who = ", ".join(p for p in (council.coordinator_name.strip(), council.coordinator_function.strip()) if p)
        story.append(para(f"Le suivi, l'animation et la coordination des travaux du conseil ainsi que son "
                          f"secrétariat sont assurés par {who}.", st.text))
    return story


def _formations_article(store: Store, formations: list[Formation], today: date, st: _Styles) -> list[Flowable]:
    story = [para(_article(3), st.article)]
    restricted = next((f for f in formations if f.kind is FormationKind.RESTRICTED), None)
    restricted_members = store.formations.members(saved_id(restricted.id), on=today) if restricted else []
    if restricted_members:
        story.append(para("Le conseil se réunit en tant que de besoin en formation restreinte, composée de :",
                          st.text))
        story.extend(_bullet([member_line(item)], st.item) for item in restricted_members)
    else:
        story.append(para("Le conseil se réunit en tant que de besoin en formation restreinte.", st.text))
        story.append(para(italic("[Composition de la formation restreinte à compléter : aucun membre n'est "
                                 "enregistré dans l'application.]"), st.draft))
    groups = [f for f in formations if f.kind is FormationKind.WORKING_GROUP]
    if not groups:
        story.append(para("Aucun groupe de travail n'est constitué à la date du présent arrêté.", st.text))
        return story
    story.append(para("Les groupes de travail suivants sont constitués :", st.text))
    for group in groups:
        kind = f" ({group.wg_type.label.lower()})" if group.wg_type else ""
        if group.confidential:
            story.append(_bullet([bold(group.name), f"{kind} : {CONFIDENTIAL_GROUP_NOTE}"], st.item))
            continue
        members = store.formations.members(saved_id(group.id), on=today)
        story.append(_bullet([bold(group.name), f"{kind}{' :' if members else ''}"], st.item))
        story.extend(_bullet([member_line(item)], st.subitem, "\u2013") for item in members)
    return story


def _closing_articles(council: Council, st: _Styles) -> list[Flowable]:
    body = "de l'établissement" if council.kind is CouncilKind.CISPD else "de la commune"
    replaced = current_order(council)
    return [
        para(_article(4), st.article),
        para("Le présent arrêté abroge et remplace " + (f"{replaced} portant composition du conseil."
             if replaced else "tout arrêté antérieur portant composition du conseil."), st.text),
        para(_article(5), st.article),
        para(f"Le directeur général des services {body} est chargé de l'exécution du présent arrêté, qui sera "
             "publié, notifié à chacun des membres du conseil et transmis au préfet.", st.text),
    ]


def _signature(council: Council, title: str) -> Flowable:
    """'Fait à …, le ____' (dated by hand at signature) and the chair's title, on the right half."""
    base = styles()
    place = _commune(council) if council.kind is CouncilKind.CLSPD else (council.city or _commune(council))
    done = f"Fait à {place}, le {BLANK}" if place else f"Fait le {BLANK}"
    lines: list[Flowable] = [para(done, base.body), Spacer(1, 0.25 * cm), para(bold(title), base.body),
                             Spacer(1, 1.8 * cm)]
    if council.chair_name.strip():
        lines.append(para(council.chair_name.strip(), base.body))
    padding = [(side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]
    column = Table([[line] for line in lines], colWidths=["52%"], hAlign="RIGHT", style=TableStyle(padding))
    return KeepTogether([Spacer(1, 0.6 * cm), column])


def build_composition_order_story(store: Store, council: Council, today: date) -> list[Flowable]:
    """The arrêté's flowables; a plenary without members is refused (an arrêté naming nobody is useless)."""
    formations = store.formations.formations()
    plenary = next((f for f in formations if f.kind is FormationKind.PLENARY), None)
    members = store.formations.members(saved_id(plenary.id), on=today) if plenary else []
    if not members:
        raise UserError(
            f"La formation plénière n'a aucun membre au {long_date(today)} : ajoutez ses membres (écran "
            "« Partenaires », onglet « Formations et groupes ») avant de préparer l'arrêté de composition.")
    st = _styles()
    confidential = any(f.confidential for f in formations if f.kind is FormationKind.WORKING_GROUP)
    story = _heading(council, st)
    civility = chair_civility(store, council)
    story.append(para(_authority(council, civility), st.authority))
    story.extend(para(text, st.recital) for text in _visas(council, confidential))
    story.extend(para(text, st.recital) for text in _recitals(council))
    story.append(para("ARRÊTE :", st.decrees))
    story.extend(_members_article(council, members, st))
    story.extend(_presidency_article(council, civility, st))
    story.extend(_formations_article(store, formations, today, st))
    story.extend(_closing_articles(council, st))
    story.append(_signature(council, signatory_title(council.kind.value, council.chair_title, civility)))
    return story


def build_composition_order_pdf(store: Store, path: Path, *, today: date | None = None) -> Path:
    """Write the draft arrêté de composition to `path` (atomically); members as of `today`."""
    council = require_council(store)
    today = today or date.today()
    story = build_composition_order_story(store, council, today)
    return build_pdf(path, council, f"PROJET — Arrêté portant composition du {council.kind.value}", story,
                     today=today, show_title=False,
                     subject=f"Projet d'arrêté de composition du {council.kind.value}")
