"""The module's paperwork: the setup record kept in the main database and the texts of the four documents
for the DPO (art. 30 register entry, collective and individual notices, DPIA draft).

The setup record holds no data on a person followed: who is responsible, the coordinator, the groups, the
group's règlement intérieur and the documents' dates. It lives in the main database so that the paperwork
can be produced (and the Conseil screen can say what was set up) while the encrypted store stays locked.

Texts come from the délibération as encoded in resources/rules/au038.json: scope (art. 1), data (art. 3),
retention (art. 5) and security (art. 8) were read; articles 2, 4, 6 and 7 (purposes, recipients,
information of the persons, as far as their titles are known) were not, so the documents say so and list
them among the points the DPO must check on Légifrance.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from clspd_desktop.domain.individual.rules import IndividualRules
from clspd_desktop.domain.individual.settings import ResponsibleRole
from clspd_desktop.errors import ValidationError

SETUP_KEY = "individual.setup"


class PaperKind(StrEnum):
    REGISTER = "registre"
    COLLECTIVE = "information-collective"
    INDIVIDUAL = "information-individuelle"
    DPIA = "aipd"

    @property
    def heading(self) -> str:
        return {
            PaperKind.REGISTER: "Registre des activités de traitement — suivi individuel",
            PaperKind.COLLECTIVE: "Information collective — suivi individuel des personnes",
            PaperKind.INDIVIDUAL: "Information individuelle — votre situation est suivie",
            PaperKind.DPIA: "PROJET — Analyse d'impact (AIPD) — suivi individuel",
        }[self]

    @property
    def file_stem(self) -> str:
        return f"suivi-individuel-{self.value}"


@dataclass(frozen=True)
class SetupGroup:
    id: int
    name: str


@dataclass
class SetupRecord:
    """What the coordinator declared when turning the module on; `documents` maps PaperKind to its date."""

    responsible_role: ResponsibleRole
    responsible_name: str
    coordinator_name: str
    groups: tuple[SetupGroup, ...]
    rules_adopted_on: date
    enabled_on: date
    documents: dict[str, date] = field(default_factory=dict)

    @property
    def group_names(self) -> str:
        return ", ".join(f"« {g.name} »" for g in self.groups)

    def to_json(self) -> str:
        return json.dumps({
            "responsible_role": self.responsible_role.value, "responsible_name": self.responsible_name,
            "coordinator_name": self.coordinator_name, "groups": [[g.id, g.name] for g in self.groups],
            "rules_adopted_on": self.rules_adopted_on.isoformat(), "enabled_on": self.enabled_on.isoformat(),
            "documents": {k: d.isoformat() for k, d in self.documents.items()},
        }, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> SetupRecord | None:
        """None for an empty or unreadable setting (the Conseil screen then says the module is off)."""
        if not raw:
            return None
        try:
            data = json.loads(raw)
            return cls(ResponsibleRole(data["responsible_role"]), data["responsible_name"],
                       data["coordinator_name"], tuple(SetupGroup(int(i), n) for i, n in data["groups"]),
                       date.fromisoformat(data["rules_adopted_on"]), date.fromisoformat(data["enabled_on"]),
                       {k: date.fromisoformat(v) for k, v in data.get("documents", {}).items()})
        except (ValueError, KeyError, TypeError):
            return None


def validate_group_rules(rules_adopted_on: date | None, charter_required: bool, today: date) -> date:
    """The group's règlement intérieur must exist and require the charter before any record is kept."""
    errors: dict[str, str] = {}
    if rules_adopted_on is None:
        errors["rules_adopted_on"] = ("Indiquez la date d'adoption du règlement intérieur du groupe : il fixe qui "
                                      "peut échanger des informations sur une situation individuelle.")
    elif rules_adopted_on > today:
        errors["rules_adopted_on"] = "Le règlement intérieur doit être adopté avant l'activation du module."
    if not charter_required:
        errors["charter_required"] = ("Le règlement intérieur du groupe doit imposer à chaque membre la signature "
                                      "de la charte déontologique avant tout échange d'informations.")
    if errors:
        raise ValidationError(errors)
    assert rules_adopted_on is not None
    return rules_adopted_on


# ---- texts --------------------------------------------------------------------------------------------

LEGAL_BASIS = ("Mission d'intérêt public (RGPD, art. 6-1-e) confiée au maire par les articles L132-4 et L132-5 du "
               "code de la sécurité intérieure ; cadre de référence : délibération CNIL n° 2014-262 du 26 juin "
               "2014 (autorisation unique AU-038).")

UNVERIFIED_NOTE = ("Les articles de la délibération marqués « à vérifier » n'ont pas été lus dans leur texte : "
                   "le délégué à la protection des données les lit sur Légifrance avant de valider ce document.")


def responsible(setup: SetupRecord, council_name: str) -> str:
    role = "le maire" if setup.responsible_role is ResponsibleRole.MAYOR else "le président de l'EPCI"
    return f"{council_name}, représentée par {role}, {setup.responsible_name}"


def purposes(setup: SetupRecord) -> tuple[str, ...]:
    """Art. 1 (read): the working groups of L132-5, never the plenary nor the restricted formation."""
    return (
        "Permettre aux groupes de travail et d'échange d'information du conseil (article L132-5 du code de la "
        f"sécurité intérieure) désignés pour cet usage — {setup.group_names} — d'examiner les situations "
        "individuelles qui leur sont soumises et de suivre les actions décidées.",
        "Coordonner ces actions entre les partenaires signataires de la charte déontologique, sous la "
        f"responsabilité du maire ou du président de l'EPCI, par le coordonnateur désigné ({setup.coordinator_name}).",
        "Sont exclus : la formation plénière et la formation restreinte du conseil (délibération, article 1).",
    )


def categories(rules: IndividualRules) -> tuple[str, ...]:
    """Art. 3 (read), restricted to what the app keeps."""
    return (
        "Identité strictement nécessaire : nom, prénom, sexe, date de naissance (la date de naissance sert à "
        f"détruire la fiche au {rules.max_age_years}e anniversaire). Ni adresse, ni téléphone, ni courriel.",
        "Suivi : groupe de travail où la situation est examinée, date d'entrée et de fin du suivi, motifs et "
        "origines du signalement choisis dans des listes (aucun texte libre).",
        "Actions décidées : action choisie dans une liste, partenaire responsable, échéance, état, et au plus une "
        f"note factuelle de {rules.action_note_max_chars} caractères (aucun détail d'infraction, aucune "
        "appréciation, aucune donnée de santé).",
        "Journal des accès : qui a ouvert, imprimé ou exporté quelle fiche, quand, et pourquoi pour une fiche "
        "inactive.",
    )


def recipients(setup: SetupRecord) -> tuple[str, ...]:
    return (
        f"Le coordonnateur désigné ({setup.coordinator_name}), seul à ouvrir le fichier chiffré.",
        f"Les membres des groupes {setup.group_names} ayant signé la charte déontologique, pour les seules "
        "situations examinées en séance (fiche imprimée « CONFIDENTIEL », jamais envoyée par courriel).",
        "La préfecture ne reçoit que des chiffres agrégés dans le bilan annuel, jamais une fiche.",
        "Article 4 de la délibération (destinataires) : à vérifier.",
    )


def retention(rules: IndividualRules) -> str:
    """Art. 5 (read)."""
    return (f"Base active pendant le suivi. À la fin du suivi, la fiche passe en base inactive pendant "
            f"{rules.inactive_years} ans, en lecture seule, consultée seulement de façon ponctuelle et motivée "
            f"(le motif est inscrit au journal). Elle est détruite {rules.inactive_years} ans après la fin du "
            f"suivi ou au {rules.max_age_years}e anniversaire de la personne si cette date vient avant "
            f"(délibération, article 5). Le logiciel annonce {rules.purge_notice_days} jours à l'avance ce qui "
            "sera détruit, efface les données de façon sécurisée, compacte le fichier et supprime les copies "
            f"chiffrées antérieures (aucune n'est gardée plus de {rules.snapshot_max_age_days} jours).")


def rights() -> str:
    return ("La personne (ou, pour un mineur, ses représentants légaux) peut demander l'accès à ses données, leur "
            "rectification ou la limitation de leur traitement (RGPD, art. 15, 16 et 18), auprès du responsable "
            "du traitement ou du délégué à la protection des données. Le droit d'opposition (art. 21) s'exerce "
            "dans les limites de la mission d'intérêt public. Réclamation possible auprès de la CNIL "
            "(www.cnil.fr, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07).")


def security(rules: IndividualRules) -> tuple[tuple[str, str], ...]:
    """Art. 8 (read) as (what the text requires, how the app meets it): the DPO checks one against the other."""
    return tuple((m.requirement, m.in_the_app) for m in rules.security_measures)


def security_caption(rules: IndividualRules) -> str:
    number = rules.security_article.split(" —")[0].lower()
    return f"Ce que demande la délibération ({number}, sécurité et traçabilité) et ce que fait le logiciel."


def dpia_risks() -> tuple[tuple[str, str, str], ...]:
    """(risk, source, measures) for the DPIA draft: the DPO rates severity and likelihood."""
    return (
        ("Accès illégitime aux fiches", "Vol ou perte du poste, session laissée ouverte",
         "Chiffrement du fichier, phrase de passe robuste, verrouillage automatique, journal des accès."),
        ("Diffusion hors du groupe", "Impression ou courriel d'une fiche",
         "Impression « CONFIDENTIEL » limitée aux signataires de la charte, aucun envoi par courriel, "
         "aucune fiche dans l'envoi à la préfecture."),
        ("Données excessives ou subjectives", "Texte libre copié d'autres fichiers, commentaires",
         "Motifs et origines choisis dans des listes, note d'action brève et factuelle avec l'avertissement "
         "de la CNIL affiché à côté."),
        ("Conservation trop longue", "Fiches oubliées, copies anciennes",
         "Destruction automatique (3 ans après la fin, 25e anniversaire), rotation des copies chiffrées."),
        ("Perte des données", "Panne du disque, fichier endommagé",
         "Copies chiffrées régulières, sauvegarde chiffrée ; fichier endommagé mis de côté, puis détruit avec les copies chiffrées."),
    )


def articles_to_check(rules: IndividualRules) -> list[str]:
    return [f"{a.article} : {a.detail}" for a in rules.unverified]
