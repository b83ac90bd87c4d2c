"""A draft règlement intérieur, marked PROJET like the draft arrêté: the first plenary votes it (or forms
the group that drafts it). Written from the council's own settings: its formations and their rhythm, its
working groups and the charter's rule for confidential ones, the convocation delays, the minutes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.platypus import Flowable, Spacer

from clspd_desktop.db.store import Store
from clspd_desktop.domain.council import Council, CouncilKind
from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.meetings import (
    DEFAULT_NOTICE_DAYS_OTHER,
    DEFAULT_NOTICE_DAYS_PLENARY,
    NOTICE_SETTING_OTHER,
    NOTICE_SETTING_PLENARY,
)
from clspd_desktop.services.pdf import build_pdf, para, styles
from clspd_desktop.services.reports.common import require_council

TITLE = "PROJET — Règlement intérieur"
DRAFT_NOTICE = ("PROJET — document de travail à adapter, puis à soumettre au vote de la formation plénière. "
                "Il reprend l'organisation enregistrée dans le logiciel à la date d'édition.")


def _president(council: Council) -> str:
    return "le maire" if council.kind is CouncilKind.CLSPD else "le président de l'établissement public"


def _articles(store: Store, council: Council) -> list[tuple[str, list[str]]]:
    formations = store.formations.formations()
    groups = [f for f in formations if f.kind is FormationKind.WORKING_GROUP]
    confidential = [g for g in groups if g.confidential]
    plenary_days = store.settings.get_int(NOTICE_SETTING_PLENARY, DEFAULT_NOTICE_DAYS_PLENARY)
    other_days = store.settings.get_int(NOTICE_SETTING_OTHER, DEFAULT_NOTICE_DAYS_OTHER)
    kind = council.kind.value
    coordinator = (f"{council.coordinator_name}, {council.coordinator_function}".strip(", ")
                   if council.has_coordinator else "le coordonnateur désigné par " + _president(council))
    articles = [
        ("Objet", [f"Le présent règlement fixe les règles de fonctionnement du {council.kind.long_name.lower()} "
                   f"({kind}) de {council.name}, conformément aux articles L132-4{', L132-13' if kind == 'CISPD' else ''} "
                   "et D132-7 à D132-16 du code de la sécurité intérieure."]),
        ("Présidence et coordination", [
            f"Le {kind} est présidé par {_president(council)}"
            + (f" ({council.chair_name})" if council.chair_name else "") + ".",
            f"Le suivi, l'animation et la coordination de ses travaux sont assurés par {coordinator}, qui en "
            "assure aussi le secrétariat."]),
        ("Formation plénière", [
            "La formation plénière se réunit au moins une fois par an, pour établir le bilan de l'année écoulée "
            "et définir les orientations de l'année à venir. Le préfet y présente l'état de la délinquance.",
            "Elle se réunit de droit à la demande du préfet ou de la majorité de ses membres."]),
        ("Formation restreinte", [
            "La formation restreinte se réunit en tant que de besoin pour suivre l'avancement du plan local "
            "d'actions, en examiner les difficultés et le préparer."]),
    ]
    if groups:
        names = ", ".join(f"« {g.name} »" for g in groups)
        text = [f"Les groupes de travail suivants sont constitués : {names}. Ils se réunissent à un rythme "
                "adapté à leurs travaux, en pratique une fois par mois ou tous les deux mois."]
        if confidential:
            conf = ", ".join(f"« {g.name} »" for g in confidential)
            which = f"du groupe {conf} sont" if len(confidential) == 1 else f"des groupes {conf} sont"
            text.append(
                f"Les échanges {which} confidentiels (article L132-5 du code de la sécurité "
                "intérieure) : seuls y siègent les membres qui ont signé la charte déontologique ; les faits et "
                "informations échangés ne peuvent être communiqués à des tiers ; tout manquement entraîne "
                "l'exclusion du groupe. Les situations individuelles ne sont jamais évoquées en formation "
                "plénière ou restreinte.")
        articles.append(("Groupes de travail", text))
    articles += [
        ("Convocations", [
            f"Les membres sont convoqués par le président au moins {plenary_days} jours francs avant une "
            f"réunion de la formation plénière et {other_days} jours francs avant les autres réunions. La "
            "convocation indique l'ordre du jour, le lieu, la date et l'heure.",
            "Un membre empêché se fait représenter par son suppléant ou en informe le secrétariat."]),
        ("Comptes rendus", [
            "Chaque réunion donne lieu à un compte rendu et à un relevé des décisions, adressés aux membres. "
            "Les travaux des groupes confidentiels ne donnent lieu qu'à un relevé de conclusions, sans "
            "information nominative, qui n'est pas diffusé au-delà de leurs membres."]),
        ("Modification", ["Le présent règlement peut être modifié par la formation plénière."]),
    ]
    return articles


def build_rules_of_procedure_pdf(store: Store, path: Path, today: date | None = None) -> Path:
    council = require_council(store)
    st = styles()
    story: list[Flowable] = [para(DRAFT_NOTICE, st.note), Spacer(1, 8)]
    for number, (heading, paragraphs) in enumerate(_articles(store, council), start=1):
        story.append(para(f"Article {number} — {heading}", st.heading))
        story.extend(para(text, st.body) for text in paragraphs)
    story.append(Spacer(1, 12))
    story.append(para("Adopté par la formation plénière le ____________.", st.body))
    return build_pdf(path, council, f"{TITLE} du {council.kind.value}", story, today=today,
                     subject=f"Projet de règlement intérieur du {council.kind.value}")
