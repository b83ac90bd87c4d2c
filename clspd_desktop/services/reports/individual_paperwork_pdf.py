"""The individual follow-up module's four documents for the DPO, from the setup record in the main database
(never from the encrypted store: they are produced while it is locked and name no person followed).

Each is dated and names the DPO from the council's settings; the DPIA is a draft marked PROJET.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.platypus import Flowable, Spacer

from clspd_desktop.db.store import Store
from clspd_desktop.domain.council import Council
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.individual import paperwork as pw
from clspd_desktop.domain.individual.paperwork import PaperKind, SetupRecord
from clspd_desktop.domain.individual.rules import IndividualRules
from clspd_desktop.errors import UserError
from clspd_desktop.services.pdf import build_pdf, data_table, labelled, para, styles
from clspd_desktop.services.reports.common import require_council
from clspd_desktop.services.reports.rgpd_pdf import _dpo

NOT_ENABLED = ("Le suivi individuel n'est pas activé : activez-le d'abord (Conseil › « Suivi individuel »). "
               "Aucun document n'a été créé.")
DRAFT_NOTICE = ("PROJET — analyse d'impact préremplie à partir des réglages du module, à compléter et valider par "
                "le délégué à la protection des données avant la première fiche.")


def load_setup(store: Store) -> SetupRecord:
    setup = SetupRecord.from_json(store.settings.get(pw.SETUP_KEY))
    if setup is None:
        raise UserError(NOT_ENABLED)
    return setup


def _bullets(items: tuple[str, ...] | list[str]) -> list[Flowable]:
    return [para(f"• {item}", styles().body) for item in items]


def _section(title: str, body: list[Flowable]) -> list[Flowable]:
    return [Spacer(1, 6), para(title, styles().heading), *body]


def _security(rules: IndividualRules) -> list[Flowable]:
    return [para(pw.security_caption(rules), styles().body),
            data_table(["Exigence de la délibération", "Mesure du logiciel"],
                       [list(row) for row in pw.security(rules)], ["38%", "62%"])]


def _footer(dpo: str, today: date) -> list[Flowable]:
    return [Spacer(1, 10), para(f"Document établi le {long_date(today)}, à faire valider par le délégué à la "
                                f"protection des données : {dpo}.", styles().note)]


def _source(rules: IndividualRules) -> list[Flowable]:
    return [Spacer(1, 6), para(f"Référence : {rules.dated_caption()}", styles().note)]


def _register(setup: SetupRecord, council: Council, rules: IndividualRules, dpo: str, contact: str) -> list[Flowable]:
    story: list[Flowable] = [
        labelled("Traitement", "Suivi individuel des personnes examinées par les groupes de travail du conseil"),
        labelled("Responsable du traitement", pw.responsible(setup, council.name)),
        labelled("Délégué à la protection des données", f"{dpo} {contact}".strip()),
        labelled("Coordonnateur désigné", setup.coordinator_name),
        labelled("Groupes autorisés", setup.group_names),
        labelled("Mis en service le", long_date(setup.enabled_on)),
        labelled("Base légale", pw.LEGAL_BASIS),
    ]
    story += _section("Finalités", _bullets(pw.purposes(setup)))
    story += _section("Personnes concernées", [para(
        "Les personnes, souvent mineures, dont la situation est examinée par un groupe autorisé, jusqu'à "
        f"{rules.max_age_years} ans.", styles().body)])
    story += _section("Catégories de données", _bullets(pw.categories(rules)))
    story += _section("Destinataires", _bullets(pw.recipients(setup)))
    story += _section("Durée de conservation", [para(pw.retention(rules), styles().body)])
    story += _section("Transferts hors de l'Union européenne", [para("Aucun.", styles().body)])
    story += _section("Mesures de sécurité", _security(rules))
    return story


def _collective(setup: SetupRecord, council: Council, rules: IndividualRules, dpo: str,
                contact: str) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [para(
        f"{council.name} tient un fichier de suivi des situations individuelles examinées par les groupes de "
        f"travail du conseil local de sécurité et de prévention de la délinquance : {setup.group_names}. Cette "
        "information est affichée et publiée pour tous les habitants.", st.body)]
    story += _section("Qui en est responsable", [para(pw.responsible(setup, council.name) + ".", st.body)])
    story += _section("Pourquoi", _bullets(pw.purposes(setup)))
    story += _section("Quelles données", _bullets(pw.categories(rules)))
    story += _section("Qui les reçoit", _bullets(pw.recipients(setup)))
    story += _section("Combien de temps", [para(pw.retention(rules), st.body)])
    story += _section("Vos droits", [para(pw.rights(), st.body), para(
        f"Délégué à la protection des données : {dpo}{' — ' + contact if contact else ''}.", st.body)])
    return story


def _individual(setup: SetupRecord, council: Council, rules: IndividualRules, dpo: str,
                contact: str) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [
        para("Madame, Monsieur,", st.body),
        para(f"Votre situation (ou celle de l'enfant dont vous êtes le représentant légal) est examinée par le "
             f"groupe de travail ____________________ du conseil local de sécurité et de prévention de la "
             f"délinquance de {council.name}. Une fiche de suivi a été ouverte le ____ / ____ / ________ .", st.body),
        para(f"Cette fiche est tenue par le coordonnateur, {setup.coordinator_name}, sous la responsabilité de "
             f"{pw.responsible(setup, council.name)}.", st.body),
    ]
    story += _section("Ce que contient la fiche", _bullets(pw.categories(rules)))
    story += _section("Qui la voit", _bullets(pw.recipients(setup)))
    story += _section("Jusqu'à quand", [para(pw.retention(rules), st.body)])
    story += _section("Vos droits", [para(pw.rights(), st.body), para(
        f"Délégué à la protection des données : {dpo}{' — ' + contact if contact else ''}.", st.body)])
    story += [Spacer(1, 14), para("Remis le ____ / ____ / ________ à ______________________________ .", st.body)]
    return story


def _dpia(setup: SetupRecord, council: Council, rules: IndividualRules, dpo: str, contact: str) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [para(DRAFT_NOTICE, st.heading)]
    story += _section("1. Description du traitement", [
        labelled("Responsable du traitement", pw.responsible(setup, council.name)),
        labelled("Coordonnateur désigné", setup.coordinator_name),
        labelled("Groupes autorisés", setup.group_names),
        labelled("Règlement intérieur des groupes adopté le", long_date(setup.rules_adopted_on)),
        labelled("Base légale", pw.LEGAL_BASIS),
        *_bullets(pw.purposes(setup))])
    story += _section("2. Nécessité et proportionnalité", [
        *_bullets(pw.categories(rules)), para(pw.retention(rules), st.body), para(pw.rights(), st.body)])
    story += _section("3. Risques pour les personnes et mesures", [data_table(
        ["Risque", "Origine", "Mesures prévues", "Gravité / vraisemblance"],
        [[risk, source, measures, "à évaluer par le délégué"] for risk, source, measures in pw.dpia_risks()],
        ["20%", "22%", "40%", "18%"])])
    story += _section("4. Mesures de sécurité", _security(rules))
    story += _section("5. Points à vérifier", [para(pw.UNVERIFIED_NOTE, st.body),
                                              *_bullets(pw.articles_to_check(rules))])
    story += _section("6. Avis du délégué à la protection des données", [para(
        f"{dpo}{' — ' + contact if contact else ''} : avis rendu le ____ / ____ / ________ .", st.body)])
    return story


_STORIES = {PaperKind.REGISTER: _register, PaperKind.COLLECTIVE: _collective,
            PaperKind.INDIVIDUAL: _individual, PaperKind.DPIA: _dpia}


def build_individual_paperwork_pdf(kind: PaperKind, store: Store, rules: IndividualRules, path: Path,
                                   today: date) -> Path:
    """Refused in French when the module is off or the DPO is unknown; nothing written then."""
    council = require_council(store)
    setup = load_setup(store)
    dpo, contact = _dpo(store)
    story = _STORIES[kind](setup, council, rules, dpo, contact)
    story += _source(rules) + _footer(dpo, today)
    return build_pdf(path, council, kind.heading, story, today=today, subject=f"{kind.heading} — {council.name}")
