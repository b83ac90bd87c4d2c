"""Legal obligations computed from a dated rules file, so a change of law is a data change, not a code change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from clspd_desktop.domain.council import Council, CouncilKind
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.rules_file import read_rules_json


class ObligationStatus(StrEnum):
    APPLIES = "applies"  # the council must do this
    MET = "met"  # it applies and the data shows it is done
    MISSING = "missing"  # it applies and the data shows it is not done
    NOT_REQUIRED = "not_required"  # optional for this council
    INFO = "info"  # a standing rule, always in force


@dataclass(frozen=True)
class Obligation:
    rule_id: str
    title: str
    status: ObligationStatus
    explanation: str
    source: str
    effective_from: str
    checked_on: str = ""  # ISO date this rule was last checked against the texts
    history: str = ""  # earlier versions of the rule, and a change under way


@dataclass(frozen=True)
class LegalRules:
    version_date: date
    checked_on: date
    note: str
    rules: dict[str, dict[str, Any]]

    @property
    def dated_caption(self) -> str:
        return (
            f"Règles en vigueur au {long_date(self.version_date)}, "
            f"vérifiées le {long_date(self.checked_on)}. {self.note}"
        )


def load_rules(path: Path) -> LegalRules:
    """Read the rules file; a damaged file is a clear error, never a silent default."""
    return read_rules_json(path, "des règles légales", lambda data: LegalRules(
        version_date=date.fromisoformat(data["version_date"]), checked_on=date.fromisoformat(data["checked_on"]),
        note=data.get("note", ""), rules={rule["id"]: rule for rule in data["rules"]}))


RULES_FILE = "obligations.json"
UPDATE_HELP = (
    "Quand la loi change, la mise à jour suivante de l'application apporte un fichier de règles daté. Sans "
    "attendre, votre service juridique ou la préfecture peut vous fournir un fichier « obligations.json » à jour "
    "(même forme que celui livré) : copiez-le dans le dossier de données de l'application ({folder}) puis "
    "relancez-la ; il est utilisé s'il est plus récent que celui livré, et ses dates s'affichent ici."
)


def load_current_rules(shipped: Path, data_dir: Path | None = None) -> LegalRules:
    """The shipped rules, or the copy in the data folder when it is more recent (a law changed since the
    release). A damaged copy is refused with a clear error rather than silently ignored."""
    rules = load_rules(shipped)
    own = data_dir / RULES_FILE if data_dir is not None else None
    if own is not None and own.is_file():
        local = load_rules(own)
        if local.version_date >= rules.version_date:
            return local
    return rules


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def evaluate(council: Council, rules: LegalRules) -> list[Obligation]:
    """Each obligation with what applies to this council and why, in plain French."""
    result: list[Obligation] = []
    population = council.total_population

    intercommunal = council.kind is CouncilKind.CISPD

    def make(rule_id: str, status: ObligationStatus, explanation: str) -> Obligation:
        rule = rules.rules[rule_id]
        title = (intercommunal and rule.get("title_cispd")) or rule["title"]
        return Obligation(rule_id, title, status, explanation, rule["source"], rule["effective_from"],
                          rule.get("checked_on", rules.checked_on.isoformat()), rule.get("history", ""))

    if "clspd_required" in rules.rules:
        rule = rules.rules["clspd_required"]
        threshold = int(rule["population_threshold"])
        if council.kind is CouncilKind.CISPD:
            obliged = [c.name for c in council.communes if c.population > threshold or c.has_qpv]
            explanation = (
                "Le CISPD couvre ses communes membres ; la création d'un CLSPD communal y est facultative. "
                + (
                    f"Sans CISPD, ces communes seraient tenues d'en avoir un : {', '.join(obliged)}."
                    if obliged
                    else f"Aucune commune membre ne dépasse {_fmt(threshold)} habitants ni ne compte de QPV."
                )
            )
            result.append(make("clspd_required", ObligationStatus.MET, explanation))
        else:
            reasons = []
            if population > threshold:
                reasons.append(f"{_fmt(population)} habitants (plus de {_fmt(threshold)})")
            if council.has_qpv and rule.get("qpv_triggers"):
                reasons.append("présence d'un quartier prioritaire (QPV)")
            if reasons:
                result.append(make("clspd_required", ObligationStatus.MET,
                                   "Le CLSPD est obligatoire : " + " et ".join(reasons) + "."))
            else:
                result.append(make("clspd_required", ObligationStatus.NOT_REQUIRED,
                                   f"Facultatif : {_fmt(population)} habitants, sans QPV."))

    if "coordinator_required" in rules.rules:
        threshold = int(rules.rules["coordinator_required"]["population_threshold"])
        if population > threshold:  # a CISPD: the member communes' total population
            if council.has_coordinator:
                status, text = ObligationStatus.MET, f"Obligatoire ({_fmt(population)} habitants) : " \
                    f"coordonnateur désigné ({council.coordinator_name})."
            else:
                status, text = ObligationStatus.MISSING, f"Obligatoire ({_fmt(population)} habitants) : " \
                    "aucun coordonnateur n'est encore indiqué."
        else:
            status = ObligationStatus.NOT_REQUIRED
            text = f"Non obligatoire ({_fmt(population)} habitants, seuil {_fmt(threshold)}) mais recommandé."
        result.append(make("coordinator_required", status, text))

    for rule_id in ("yearly_plenary", "composition", "confidential_groups"):
        if rule_id not in rules.rules:
            continue
        explanation = (intercommunal and rules.rules[rule_id].get("text_cispd")) or rules.rules[rule_id]["text"]
        if rule_id == "composition":
            if council.composition_order_number or council.composition_order_date:
                parts = [f"n° {council.composition_order_number}"] if council.composition_order_number else []
                if council.composition_order_date:
                    parts.append(long_date(date.fromisoformat(council.composition_order_date)))
                explanation += " Arrêté enregistré : " + " du ".join(parts) + "."
            else:
                explanation += " Aucun arrêté de composition n'est encore enregistré."
        result.append(make(rule_id, ObligationStatus.INFO, explanation))
    return result
