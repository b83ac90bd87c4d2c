"""The fiche individuelle: minimal identity, group, dates, reasons and sources ticked from lists, actions.

No free text for reasons or sources (the CNIL found « motifs » copied from police files); an action carries
at most a short factual note. A record whose follow-up has ended is inactive: read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from clspd_desktop.domain.individual.retention import age_on
from clspd_desktop.domain.individual.rules import IndividualRules
from clspd_desktop.domain.plan import ActionStatus  # same four states as a plan action
from clspd_desktop.errors import UserError, ValidationError

NAME_MAX = 80
PARTNER_MAX = 120
LABEL_MAX = 120


class ListKind(StrEnum):
    REASON = "reason"
    SOURCE = "source"
    ACTION = "action"
    CONSULTATION_REASON = "consultation_reason"

    @property
    def label(self) -> str:
        return {
            ListKind.REASON: "Motifs du suivi",
            ListKind.SOURCE: "Origines du signalement",
            ListKind.ACTION: "Actions",
            ListKind.CONSULTATION_REASON: "Motifs de consultation d'une fiche inactive",
        }[self]


class Sex(StrEnum):
    UNSPECIFIED = ""
    FEMALE = "F"
    MALE = "M"


class AccessKind(StrEnum):
    """What the access log records; « who, when, what, why » for the DPO."""

    OPEN = "open"
    PRINT = "print"
    EXPORT = "export"
    CREATE = "create"
    UPDATE = "update"
    END = "end"
    PURGE = "purge"
    LOG_EXPORT = "log_export"
    EXAMINE = "examine"

    @property
    def label(self) -> str:
        return {AccessKind.OPEN: "Consultation", AccessKind.PRINT: "Impression", AccessKind.EXPORT: "Export",
                AccessKind.CREATE: "Création", AccessKind.UPDATE: "Modification",
                AccessKind.END: "Fin du suivi", AccessKind.PURGE: "Destruction",
                AccessKind.LOG_EXPORT: "Export du journal",
                AccessKind.EXAMINE: "Examen en réunion"}[self]


@dataclass(frozen=True)
class ListItem:
    id: int
    kind: ListKind
    label: str
    active: bool = True


@dataclass
class FollowUpRecord:
    last_name: str
    first_name: str
    birth_date: date
    group_id: int
    group_name: str
    entry_date: date
    reason_ids: tuple[int, ...] = ()
    source_ids: tuple[int, ...] = ()
    sex: Sex = Sex.UNSPECIFIED
    end_date: date | None = None
    id: int | None = None

    @property
    def active(self) -> bool:
        return self.end_date is None

    @property
    def status_label(self) -> str:
        return "Suivi en cours" if self.active else "Suivi terminé (fiche inactive)"


@dataclass
class FollowUpAction:
    record_id: int
    action_item_id: int
    partner: str
    due_date: date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    note: str = ""
    id: int | None = None


@dataclass(frozen=True)
class AccessEntry:
    at: datetime
    who: str
    kind: AccessKind
    record_id: int | None
    reason: str = ""
    id: int | None = None


@dataclass(frozen=True)
class GroupChoice:
    """A working group the opt-in allows, as the main database names it."""

    id: int
    name: str


@dataclass
class ListsInUse:
    """The active list items, to check that a record ticks only known entries."""

    items: dict[int, ListItem] = field(default_factory=dict)

    def ids_of(self, kind: ListKind) -> set[int]:
        return {i.id for i in self.items.values() if i.kind is kind and i.active}


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def validate_record(record: FollowUpRecord, groups: list[GroupChoice], lists: ListsInUse, today: date,
                    rules: IndividualRules) -> FollowUpRecord:
    """Check a new or edited record; French messages field by field."""
    errors: dict[str, str] = {}
    record.last_name, record.first_name = _clean(record.last_name), _clean(record.first_name)
    for key, value, label in (("last_name", record.last_name, "Le nom"),
                              ("first_name", record.first_name, "Le prénom")):
        if not value:
            errors[key] = f"{label} est obligatoire."
        elif len(value) > NAME_MAX:
            errors[key] = f"{label} est trop long ({NAME_MAX} caractères au plus)."
    if record.birth_date >= today:
        errors["birth_date"] = "La date de naissance doit être passée."
    elif age_on(record.birth_date, record.entry_date) >= rules.max_age_years:
        errors["birth_date"] = (f"Une personne ne peut être suivie que jusqu'à {rules.max_age_years} ans "
                                "(délibération CNIL n° 2014-262, article 5).")
    if record.entry_date > today:
        errors["entry_date"] = "La date d'entrée dans le suivi ne peut pas être dans le futur."
    elif record.entry_date < record.birth_date:
        errors["entry_date"] = "La date d'entrée dans le suivi précède la date de naissance."
    if record.group_id not in {g.id for g in groups}:
        errors["group_id"] = ("Ce groupe de travail n'est pas autorisé pour le suivi individuel : choisissez "
                              "un des groupes retenus lors de l'activation du module.")
    if not record.reason_ids:
        errors["reason_ids"] = "Cochez au moins un motif dans la liste."
    elif not set(record.reason_ids) <= lists.ids_of(ListKind.REASON):
        errors["reason_ids"] = "Un motif coché n'est plus dans la liste : actualisez la fiche."
    if not record.source_ids:
        errors["source_ids"] = "Cochez au moins une origine du signalement."
    elif not set(record.source_ids) <= lists.ids_of(ListKind.SOURCE):
        errors["source_ids"] = "Une origine cochée n'est plus dans la liste : actualisez la fiche."
    if errors:
        raise ValidationError(errors)
    return record


def validate_action(action: FollowUpAction, lists: ListsInUse, rules: IndividualRules) -> FollowUpAction:
    errors: dict[str, str] = {}
    action.partner = _clean(action.partner)
    action.note = _clean(action.note)
    if action.action_item_id not in lists.ids_of(ListKind.ACTION):
        errors["action_item_id"] = "Choisissez l'action dans la liste."
    if not action.partner:
        errors["partner"] = "Indiquez le partenaire responsable de l'action."
    elif len(action.partner) > PARTNER_MAX:
        errors["partner"] = f"Le nom du partenaire est trop long ({PARTNER_MAX} caractères au plus)."
    if len(action.note) > rules.action_note_max_chars:
        errors["note"] = (f"La note est trop longue ({len(action.note)} caractères) : "
                          f"{rules.action_note_max_chars} au plus, factuelle et brève.")
    if errors:
        raise ValidationError(errors)
    return action


def validate_end(record: FollowUpRecord, end_date: date, today: date) -> None:
    if not record.active:
        raise UserError("Ce suivi est déjà terminé. Rien n'a été modifié.")
    if end_date > today:
        raise ValidationError({"end_date": "La date de fin du suivi ne peut pas être dans le futur."})
    if end_date < record.entry_date:
        raise ValidationError({"end_date": "La date de fin précède la date d'entrée dans le suivi."})


def refuse_if_inactive(record: FollowUpRecord) -> None:
    """An ended follow-up is kept read-only in the inactive base (AU-038, art. 5)."""
    if not record.active:
        raise UserError("Ce suivi est terminé : la fiche est en lecture seule (base inactive). "
                        "Rien n'a été modifié.")


def validate_list_label(label: str) -> str:
    label = _clean(label)
    if not label:
        raise ValidationError({"label": "Le libellé est obligatoire."})
    if len(label) > LABEL_MAX:
        raise ValidationError({"label": f"Le libellé est trop long ({LABEL_MAX} caractères au plus)."})
    return label
