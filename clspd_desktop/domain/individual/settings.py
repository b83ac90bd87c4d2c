"""The module's opt-in and its paperwork inputs, kept in the encrypted store's own settings.

Off by default. Turning it on names who is responsible (the mayor or the EPCI president) and the designated
coordinator, and the L132-5 working groups allowed to use it: never the plenary or the restricted formation
(AU-038, art. 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clspd_desktop.domain.individual.records import GroupChoice
from clspd_desktop.domain.individual.rules import IndividualRules
from clspd_desktop.errors import ValidationError


class ResponsibleRole(StrEnum):
    MAYOR = "mayor"
    EPCI_PRESIDENT = "epci_president"

    @property
    def label(self) -> str:
        return {ResponsibleRole.MAYOR: "Le maire",
                ResponsibleRole.EPCI_PRESIDENT: "Le président de l'EPCI"}[self]


@dataclass(frozen=True)
class FormationChoice:
    """A formation of the main database offered in the opt-in: `kind` is FormationKind's value."""

    id: int
    name: str
    kind: str


@dataclass(frozen=True)
class OptInSettings:
    enabled: bool = False
    responsible_role: ResponsibleRole = ResponsibleRole.MAYOR
    responsible_name: str = ""
    coordinator_name: str = ""
    groups: tuple[GroupChoice, ...] = ()
    enabled_on: date | None = None


def validate_opt_in(responsible_role: ResponsibleRole, responsible_name: str, coordinator_name: str,
                    chosen: list[FormationChoice], rules: IndividualRules, today: date) -> OptInSettings:
    """Refuse in French: a missing name, no group, or a plenary / restricted formation."""
    errors: dict[str, str] = {}
    responsible_name, coordinator_name = " ".join(responsible_name.split()), " ".join(coordinator_name.split())
    if not responsible_name:
        errors["responsible_name"] = "Indiquez le nom du responsable du traitement (le maire ou le président)."
    if not coordinator_name:
        errors["coordinator_name"] = "Indiquez le nom du coordonnateur désigné."
    refused = [f"« {f.name} » : {rules.refused_formations[f.kind]}" for f in chosen
               if f.kind in rules.refused_formations]
    other = [f"« {f.name} »" for f in chosen
             if f.kind not in rules.refused_formations and f.kind not in rules.allowed_formations]
    if refused:
        errors["groups"] = "\n".join(refused)
    elif other:
        errors["groups"] = f"Seuls des groupes de travail peuvent utiliser ce module : {', '.join(other)}."
    elif not chosen:
        errors["groups"] = "Choisissez au moins un groupe de travail qui examinera des situations individuelles."
    if errors:
        raise ValidationError(errors)
    return OptInSettings(True, responsible_role, responsible_name, coordinator_name,
                         tuple(GroupChoice(f.id, f.name) for f in chosen), today)
