"""The demo council's three-year plan (stratégie territoriale 2025-2027): 4 axes, 25 actions led by the
demo directory's partners, funding (FIPD and others) and indicators with targets and actuals.

Amounts are derived from each action's cost and funding shares, so totals always add up; a few actions
are deliberately late, over the FIPD ceiling or missing their FIPD bilan, so every warning shows in the demo.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from clspd_desktop.db.store import Store
from clspd_desktop.domain.plan import (
    Action,
    ActionStatus,
    Axis,
    Funder,
    FundingLine,
    Indicator,
    Objective,
    Plan,
)
from clspd_desktop.domain.records import saved_id

if TYPE_CHECKING:
    from clspd_desktop.services.demo_data import DemoDirectory

P, C, D, A = ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.ABANDONED
FIPD_YOUTH = "Prévention de la délinquance des jeunes"
FIPD_VULNERABLE = "Protection des personnes vulnérables"
FIPD_PUBLIC = "Tranquillité publique et participation des habitants"
FIPD_VIDEO = "Vidéoprotection"


@dataclass(frozen=True)
class DemoAction:
    title: str
    lead: str
    partners: str
    referents: str
    status: ActionStatus
    progress: int
    period: tuple[str, str]  # "2025-03", "2026-06"
    cost: int  # euros, whole action
    shares: tuple[tuple[Funder, str, float], ...]  # funder, programme / name, share of the cost
    public: str
    territory: str
    tags: str
    indicators: tuple[tuple[str, str, float, float, tuple[float, ...]], ...] = ()  # name, unit, base, target, 2025..
    description: str = ""
    evaluation: str = ""


def _a(*args, **kw) -> DemoAction:
    return DemoAction(*args, **kw)


TILLEULS = "Montreval – quartier des Tilleuls (QPV)"
CITY = "Montreval (toute la commune)"
CENTRE = "Montreval – centre-ville et gare"

PLAN: tuple[tuple[str, tuple[tuple[str, tuple[DemoAction, ...]], ...]], ...] = (
    ("Prévenir la délinquance des jeunes", (
        ("Repérer et accompagner les jeunes exposés à la délinquance", (
            _a("Cellule de veille éducative des Tilleuls", "mairie", "prevert curie pjj horizons ase",
               "coord pjj_educ horizons_chef", C, 60, ("2025-01", "2027-12"), 36_000,
               ((Funder.FIPD, FIPD_YOUTH, 0.4), (Funder.COMMUNE, "", 0.6)), "Jeunes de 11 à 18 ans", TILLEULS,
               "snpd-2020.jeunes snpd-2020.jeunes.decrochage",
               (("Situations examinées", "situations", 0, 60, (24, 31)),
                ("Jeunes orientés vers un accompagnement", "jeunes", 0, 40, (15, 22))),
               "Repérage partagé des jeunes en rupture, dans le cadre de la charte déontologique."),
            _a("Accueil des collégiens exclus temporairement", "horizons", "prevert curie dsden",
               "horizons_educ principal_prevert", C, 45, ("2025-09", "2027-06"), 42_000,
               ((Funder.FIPD, FIPD_YOUTH, 0.45), (Funder.DEPARTEMENT, "", 0.25), (Funder.COMMUNE, "", 0.30)),
               "Collégiens exclus de 1 à 8 jours", CITY, "snpd-2020.jeunes.decrochage",
               (("Collégiens accueillis", "élèves", 0, 80, (18, 37)),
                ("Taux de retour sans nouvelle exclusion", "%", 55, 75, (61, 66)))),
            _a("Chantiers éducatifs rémunérés", "tilleuls_habitat", "horizons mission_locale",
               "th_tranq horizons_educ2 ml_cons", C, 50, ("2025-04", "2027-10"), 54_000,
               ((Funder.FIPD, FIPD_YOUTH, 0.3), (Funder.OTHER, "Tilleuls Habitat (fonds propres)", 0.4),
                (Funder.CAF, "", 0.3)), "Jeunes de 16 à 25 ans", TILLEULS, "snpd-2020.jeunes",
               (("Jeunes ayant travaillé sur un chantier", "jeunes", 0, 45, (14, 19)),)),
            _a("Parcours de citoyenneté pour les mineurs (mesures de réparation)", "pjj", "mairie commissariat",
               "pjj_dir pjj_educ", D, 100, ("2025-02", "2025-12"), 12_000,
               ((Funder.FIPD, FIPD_YOUTH, 0.5), (Funder.COMMUNE, "", 0.5)), "Mineurs primo-délinquants", CITY,
               "snpd-2020.jeunes.recidive",
               (("Mesures de réparation exécutées", "mesures", 8, 20, (21,)),),
               evaluation="Objectif atteint ; partenariat avec les services techniques à pérenniser."),
        )),
        ("Soutenir les parents et occuper le temps libre", (
            _a("Ateliers de soutien à la parentalité", "centre_social", "caf mds prevert",
               "cs_dir caf_ct mds_as", C, 55, ("2025-01", "2027-12"), 27_000,
               ((Funder.CAF, "", 0.5), (Funder.COMMUNE, "", 0.3), (Funder.FIPD, FIPD_YOUTH, 0.2)),
               "Parents d'enfants de 6 à 16 ans", TILLEULS, "snpd-2020.jeunes.parentalite",
               (("Familles participantes", "familles", 12, 50, (26, 34)),)),
            _a("Soirées sportives d'été (foot et boxe)", "foot", "boxe mairie sdjes",
               "foot_educ boxe_ent adj_jeun", D, 100, ("2025-06", "2025-08"), 9_500,
               ((Funder.COMMUNE, "", 0.6), (Funder.STATE_OTHER, "SDJES – Quartiers d'été", 0.4)),
               "Jeunes de 12 à 20 ans", TILLEULS, "snpd-2020.jeunes",
               (("Participants par soirée (moyenne)", "jeunes", 0, 35, (41,)),),
               evaluation="Fréquentation supérieure à l'objectif ; reconduction proposée en 2026."),
            _a("Soirées sportives d'été 2026", "foot", "boxe mairie sdjes", "foot_educ boxe_ent", D, 100,
               ("2026-06", "2026-08"), 10_000,
               ((Funder.COMMUNE, "", 0.6), (Funder.STATE_OTHER, "SDJES – Quartiers d'été", 0.4)),
               "Jeunes de 12 à 20 ans", TILLEULS, "snpd-2020.jeunes",
               (("Participants par soirée (moyenne)", "jeunes", 41, 40, (0, 38)),)),
            _a("Prévention des conduites addictives au lycée", "csapa", "lycee hopital",
               "csapa_educ proviseure_adj", P, 0, ("2026-09", "2027-06"), 8_000,
               ((Funder.STATE_OTHER, "MILDECA – crédits départementaux", 0.7), (Funder.COMMUNE, "", 0.3)),
               "Lycéens", CITY, "snpd-2020.jeunes",
               (("Classes sensibilisées", "classes", 0, 24, ()),)),
        )),
    )),
    ("Protéger les personnes vulnérables", (
        ("Lutter contre les violences faites aux femmes et intrafamiliales", (
            _a("Permanence d'aide aux victimes au commissariat", "victimes", "commissariat parquet",
               "avim_juriste dcpp", C, 70, ("2025-01", "2027-12"), 48_000,
               ((Funder.FIPD, FIPD_VULNERABLE, 0.4), (Funder.COMMUNE, "", 0.3), (Funder.DEPARTEMENT, "", 0.3)),
               "Victimes d'infractions", CITY, "snpd-2020.vulnerables.victimes snpd-2020.vulnerables.femmes",
               (("Victimes reçues", "personnes", 140, 220, (176, 190)),)),
            _a("Logement d'urgence pour les victimes de violences conjugales", "ccas", "logireve femmes foyer",
               "ccas_dir femmes_dir logireve_dir", C, 40, ("2025-05", "2027-12"), 60_000,
               ((Funder.FIPD, FIPD_VULNERABLE, 0.3), (Funder.COMMUNE, "", 0.4), (Funder.OTHER, "Logirève", 0.3)),
               "Femmes victimes et leurs enfants", CITY, "snpd-2020.vulnerables.femmes",
               (("Places d'urgence disponibles", "places", 1, 4, (2, 3)),
                ("Nuitées", "nuitées", 0, 600, (210, 340)))),
            _a("Formation des agents d'accueil au repérage des violences", "femmes", "mairie ccas mds",
               "femmes_sub dir_pv", D, 100, ("2025-03", "2025-11"), 6_000,
               ((Funder.FIPD, FIPD_VULNERABLE, 0.5), (Funder.COMMUNE, "", 0.5)), "Agents municipaux et sociaux",
               CITY, "snpd-2020.vulnerables.femmes", (("Agents formés", "agents", 0, 60, (64,)),)),
            _a("Groupe de parole pour auteurs de violences", "spip", "parquet csapa", "spip_cpip substitut", P, 0,
               ("2026-03", "2027-06"), 14_000,
               ((Funder.FIPD, FIPD_VULNERABLE, 0.5), (Funder.STATE_OTHER, "Ministère de la Justice", 0.5)),
               "Auteurs condamnés ou sous main de justice", CITY, "snpd-2020.vulnerables.femmes",
               (("Participants ayant suivi le cycle complet", "personnes", 0, 24, ()),),
               description="Démarrage repoussé faute d'animateur : à relancer en formation restreinte."),
        )),
        ("Protéger les personnes âgées et en situation de handicap", (
            _a("Opération tranquillité seniors", "pm", "ccas commissariat", "chef_pm ccas_ts", C, 65,
               ("2025-01", "2027-12"), 7_500, ((Funder.COMMUNE, "", 1.0),), "Personnes de plus de 70 ans isolées",
               CITY, "snpd-2020.vulnerables.agees",
               (("Personnes inscrites", "personnes", 40, 150, (88, 121)),)),
            _a("Prévention des escroqueries par démarchage", "commissariat", "ccas victimes",
               "dcpp avim_sub", C, 30, ("2025-10", "2026-10"), 3_000, ((Funder.COMMUNE, "", 1.0),),
               "Personnes âgées et aidants", CITY, "snpd-2020.vulnerables.agees",
               (("Réunions d'information", "réunions", 0, 12, (2, 5)),)),
            _a("Accessibilité de l'aide aux victimes pour les personnes handicapées", "victimes", "ccas",
               "avim_juriste", A, 10, ("2025-06", "2026-06"), 5_000, (),
               "Personnes en situation de handicap", CITY, "snpd-2020.vulnerables.handicap",
               evaluation="Abandonnée : reprise par le plan départemental d'accès aux droits."),
        )),
    )),
    ("Associer la population à la tranquillité publique", (
        ("Apaiser l'espace public", (
            _a("Médiation sociale de soirée aux Tilleuls", "mediation", "tilleuls_habitat bus mairie",
               "med_coord med_agent th_tranq", C, 60, ("2025-01", "2027-12"), 120_000,
               ((Funder.FIPD, FIPD_PUBLIC, 0.35), (Funder.COMMUNE, "", 0.35),
                (Funder.OTHER, "Tilleuls Habitat", 0.2), (Funder.EPCI, "", 0.1)),
               "Habitants, jeunes en soirée", TILLEULS, "snpd-2020.population.tranquillite",
               (("Interventions de médiation", "interventions", 300, 900, (410, 470)),
                ("Conflits résolus sans intervention de police", "%", 60, 80, (68, 72)))),
            _a("Extension de la vidéoprotection au pôle gare", "mairie", "cspu gare commissariat bus",
               "adj_tranq resp_csu gare_chef", C, 35, ("2025-09", "2026-09"), 180_000,
               ((Funder.FIPD, FIPD_VIDEO, 0.6), (Funder.COMMUNE, "", 0.4)), "Usagers du pôle gare", CENTRE,
               "snpd-2020.population.tranquillite",
               (("Caméras installées", "caméras", 12, 20, (12, 15)),),
               description="Demande FIPD supérieure au plafond : le plan de financement doit être revu."),
            _a("Marches exploratoires de femmes", "femmes", "mairie tilleuls_habitat pm",
               "femmes_dir cons_pv", D, 100, ("2025-04", "2025-10"), 4_000,
               ((Funder.STATE_OTHER, "Politique de la ville (BOP 147)", 0.6), (Funder.COMMUNE, "", 0.4)),
               "Habitantes", TILLEULS, "snpd-2020.population.participation snpd-2020.vulnerables.femmes",
               (("Préconisations réalisées", "préconisations", 0, 15, (9,)),)),
            _a("Sécurisation des abords du centre commercial", "centre_commercial", "pm commissariat commercants",
               "cc_secu chef_pm uc_pres", C, 50, ("2026-01", "2026-10"), 35_000,
               ((Funder.OTHER, "Centre commercial des Tilleuls", 0.7), (Funder.COMMUNE, "", 0.3)),
               "Commerçants et clients", TILLEULS, "snpd-2020.population.tranquillite",
               (("Faits constatés aux abords", "faits", 85, 60, (0, 72)),),
               description="Éclairage et aménagements : les travaux ont pris du retard."),
        )),
        ("Renforcer le lien entre habitants et forces de sécurité", (
            _a("Rencontres police-population trimestrielles", "commissariat", "gendarmerie pm centre_social",
               "dcpp capitaine cs_anim", C, 60, ("2025-03", "2027-12"), 2_500, ((Funder.COMMUNE, "", 1.0),),
               "Habitants", CITY, "snpd-2020.population.participation",
               (("Rencontres tenues", "rencontres", 0, 11, (3, 4)),)),
            _a("Conseils citoyens formés à la prévention", "mairie", "delegue centre_social",
               "cons_pv delegue_prefet", P, 0, ("2026-05", "2027-06"), 6_000,
               ((Funder.STATE_OTHER, "Politique de la ville (BOP 147)", 0.5), (Funder.COMMUNE, "", 0.5)),
               "Membres des conseils citoyens", TILLEULS, "snpd-2020.population.participation",
               (("Habitants formés", "personnes", 0, 30, ()),)),
            _a("Participation citoyenne (voisins vigilants) dans les pavillons", "gendarmerie", "mairie pm",
               "adjudant adj_tranq", C, 50, ("2025-06", "2027-06"), 1_500, ((Funder.COMMUNE, "", 1.0),),
               "Habitants des quartiers pavillonnaires", "Montreval – secteur pavillonnaire nord",
               "snpd-2020.population.participation",
               (("Référents de quartier", "référents", 0, 20, (8, 13)),)),
        )),
    )),
    ("Piloter et évaluer la stratégie", (
        ("Faire vivre la gouvernance du CLSPD", (
            _a("Poste de coordonnateur du CLSPD", "mairie", "pref", "coord maire", C, 65,
               ("2025-01", "2027-12"), 150_000,
               ((Funder.FIPD, "Poste de coordonnateur CLSPD / CISPD", 0.3), (Funder.COMMUNE, "", 0.7)),
               "Partenaires du CLSPD", CITY, "snpd-2020.gouvernance",
               (("Réunions de groupes de travail animées", "réunions", 0, 60, (21, 24)),)),
            _a("Observatoire local de la tranquillité publique", "agglo", "commissariat gendarmerie pm tilleuls_habitat",
               "agglo_cm commandant", C, 25, ("2025-09", "2026-06"), 18_000,
               ((Funder.EPCI, "", 0.6), (Funder.FIPD, FIPD_PUBLIC, 0.4)), "Membres du CLSPD", CITY,
               "snpd-2020.gouvernance",
               (("Tableaux de bord partagés publiés", "tableaux", 0, 4, (0, 1)),),
               description="Les conventions d'échange de données ne sont pas encore signées."),
            _a("Évaluation à mi-parcours de la stratégie", "mairie", "pref parquet agglo", "coord dircab", P, 0,
               ("2026-09", "2026-12"), 12_000, ((Funder.COMMUNE, "", 0.5), (Funder.EPCI, "", 0.5)),
               "Formation plénière", CITY, "snpd-2020.gouvernance",
               (("Fiches-actions évaluées", "fiches", 0, 25, ()),)),
            _a("Formation des partenaires au secret partagé", "parquet", "mairie mds horizons",
               "substitut coord", D, 100, ("2025-02", "2025-06"), 2_000, ((Funder.COMMUNE, "", 1.0),),
               "Membres des groupes de travail", CITY, "snpd-2020.gouvernance",
               (("Participants", "personnes", 0, 40, (37,)),)),
        )),
    )),
)


def _month(text: str, end: bool) -> date:
    """'2025-03' → 1 March 2025 (start) or 31 March 2025 (end)."""
    year, month = (int(p) for p in text.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1] if end else 1)


def _funding(spec: DemoAction, start: date, end: date, today: date, index: int) -> list[FundingLine]:
    """Each funder's share spread over the action's years; past years granted and paid, the current year
    granted and half paid, later years only requested. FIPD bilans of 2025 sent for every other action."""
    years = list(range(max(start.year, 2025), min(end.year, 2027) + 1))
    lines = []
    cost_cents = spec.cost * 100
    for funder, name, share in spec.shares:
        for year in years:
            requested = int(cost_cents * share / len(years)) // 100 * 100  # whole euros, never above the cost
            granted = requested if year <= today.year else 0
            paid = granted if year < today.year else granted // 2
            if spec.status is ActionStatus.DONE:
                paid = granted
            sent = date(year + 1, 2, 15) if (funder is Funder.FIPD and year < today.year and index % 2 == 0) else None
            lines.append(FundingLine(year=year, funder=funder, programme=name, requested_cents=requested,
                                     granted_cents=granted, paid_cents=paid, report_sent_on=sent))
    return lines


def _indicators(spec: DemoAction) -> list[Indicator]:
    return [Indicator(name=name, unit=unit, baseline=base, target=target,
                      values={2025 + i: v for i, v in enumerate(values) if not (i == 0 and v == 0 and len(values) > 1)})
            for name, unit, base, target, values in spec.indicators]


def build_demo_plan(store: Store, demo: DemoDirectory) -> Plan:
    """Write the plan through the repository (validated like the user's input)."""
    today = demo.today
    plan = store.plan.save_plan(Plan(
        title="Stratégie territoriale de sécurité et de prévention de la délinquance", start_year=2025,
        end_year=2027, adopted_on=date(2024, 12, 12),
        notes="Adoptée en formation plénière à partir du diagnostic local de sécurité de 2024."))
    index = 0
    for axis_title, objectives in PLAN:
        axis = store.plan.save_axis(Axis(plan_id=saved_id(plan.id), title=axis_title))
        for objective_title, actions in objectives:
            objective = store.plan.save_objective(Objective(axis_id=saved_id(axis.id), title=objective_title))
            for spec in actions:
                start, end = _month(spec.period[0], False), _month(spec.period[1], True)
                store.plan.save_action(Action(
                    objective_id=saved_id(objective.id), title=spec.title, description=spec.description,
                    target_public=spec.public, territory=spec.territory,
                    lead_organisation_id=demo.organisations[spec.lead].id,
                    partner_ids=[saved_id(demo.organisations[k].id) for k in spec.partners.split()],
                    referent_ids=[saved_id(demo.contacts[k].id) for k in spec.referents.split()],
                    start_date=start, end_date=end, status=spec.status, progress=spec.progress,
                    total_cost_cents=spec.cost * 100, evaluation=spec.evaluation, tags=spec.tags.split(),
                    funding=_funding(spec, start, end, today, index), indicators=_indicators(spec)))
                index += 1
    return plan
