"""The local action plan (STSPD / plan local d'action): axes → objectives → actions, their funding and
indicators, and the rules computed from them (late flag, FIPD 50 % ceiling, FIPD bilan reminder).

Amounts are integer cents so that totals are exact; `euros()` prints them the French way.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.text import NNBSP, plural
from clspd_desktop.errors import UserError, ValidationError

MAX_AMOUNT_CENTS = 10_000_000 * 100  # 10 M€: above, a typing error (an extra zero) is far more likely
FIPD_CEILING = 0.5  # the FIPD pays at most half of an action (loi 2007-297 art. 5, circulaire annuelle)


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ABANDONED = "abandoned"

    @property
    def label(self) -> str:
        return {
            ActionStatus.PLANNED: "Prévue", ActionStatus.IN_PROGRESS: "En cours",
            ActionStatus.DONE: "Réalisée", ActionStatus.ABANDONED: "Abandonnée",
        }[self]

    @property
    def closed(self) -> bool:
        return self in (ActionStatus.DONE, ActionStatus.ABANDONED)


class Funder(StrEnum):
    FIPD = "fipd"
    COMMUNE = "commune"
    EPCI = "epci"
    DEPARTEMENT = "departement"
    CAF = "caf"
    REGION = "region"
    STATE_OTHER = "state_other"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            Funder.FIPD: "FIPD", Funder.COMMUNE: "Commune", Funder.EPCI: "Intercommunalité (EPCI)",
            Funder.DEPARTEMENT: "Département", Funder.CAF: "CAF", Funder.REGION: "Région",
            Funder.STATE_OTHER: "Autre crédit de l'État", Funder.OTHER: "Autre financeur",
        }[self]


# The FIPD's usual programmes (the yearly circular may rename them: the field stays free text).
FIPD_PROGRAMMES = (
    "Prévention de la délinquance des jeunes",
    "Protection des personnes vulnérables",
    "Tranquillité publique et participation des habitants",
    "Vidéoprotection",
    "Sécurisation des sites sensibles",
    "Poste de coordonnateur CLSPD / CISPD",
    "Prévention de la radicalisation",
)


def euros(cents: int, *, separator: str = NNBSP) -> str:
    """12345600 → '123 456,00 €' with a narrow no-break space (French typography)."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    grouped = f"{units:,}".replace(",", separator)
    return f"{sign}{grouped},{rest:02d}{NNBSP}€" if separator == NNBSP else f"{sign}{grouped},{rest:02d} €"


def parse_euros(text: str) -> int:
    """'12 345,50 €', '12345.5', '' → cents; ValueError with a French message otherwise."""
    cleaned = text.replace("€", "").replace(NNBSP, "").replace("\u00a0", "").replace(" ", "").strip()
    if not cleaned:
        return 0
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = round(float(cleaned) * 100)
    except ValueError:
        raise ValueError(f"Montant non reconnu : « {text.strip()} » (exemple : 12 500,00).") from None
    return value


@dataclass
class Plan:
    title: str
    start_year: int
    end_year: int
    adopted_on: date | None = None
    notes: str = ""
    id: int | None = None

    @property
    def period(self) -> str:
        return f"{self.start_year}-{self.end_year}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def funding_years(self) -> tuple[int, int]:
        """The years a funding line may carry: the plan's, and one year before or after (a grant voted
        the year before the plan starts, a payment the year after it ends)."""
        return self.start_year - 1, self.end_year + 1


@dataclass
class Axis:
    plan_id: int
    title: str
    description: str = ""
    position: int = 0
    id: int | None = None


@dataclass
class Objective:
    axis_id: int
    title: str
    description: str = ""
    position: int = 0
    id: int | None = None


@dataclass
class FundingLine:
    year: int
    funder: Funder
    programme: str = ""  # the FIPD programme, or the name of an "other" funder
    requested_cents: int = 0
    granted_cents: int = 0
    paid_cents: int = 0
    report_sent_on: date | None = None
    notes: str = ""
    id: int | None = None

    @property
    def funder_label(self) -> str:
        if self.funder is Funder.FIPD:
            return f"FIPD – {self.programme}" if self.programme else "FIPD"
        if self.funder is Funder.OTHER and self.programme:
            return self.programme
        return f"{self.funder.label} – {self.programme}" if self.programme else self.funder.label

    @property
    def bilan_due(self) -> bool:
        """FIPD granted and its report not yet sent: no renewal without the bilan."""
        return self.funder is Funder.FIPD and self.granted_cents > 0 and self.report_sent_on is None


@dataclass
class Indicator:
    name: str
    unit: str = ""
    baseline: float | None = None
    target: float | None = None
    values: dict[int, float] = field(default_factory=dict)  # actual value per year
    position: int = 0
    id: int | None = None

    @property
    def latest(self) -> tuple[int, float] | None:
        return max(self.values.items()) if self.values else None

    @property
    def achievement(self) -> float | None:
        """Latest actual / target (None without a target): 'planned vs achieved' in one figure."""
        latest = self.latest
        if latest is None or not self.target:
            return None
        return latest[1] / self.target


@dataclass
class Action:
    objective_id: int
    title: str
    description: str = ""
    target_public: str = ""
    territory: str = ""
    lead_organisation_id: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    progress: int = 0
    total_cost_cents: int = 0
    evaluation: str = ""
    partner_ids: list[int] = field(default_factory=list)
    referent_ids: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    funding: list[FundingLine] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    position: int = 0
    id: int | None = None


def late_reason(status: ActionStatus, start: date | None, end: date | None, today: date) -> str:
    """Why an action is late ('' when it is not): its end passed and it is not closed, or its start
    passed and it is still only planned."""
    if status.closed:
        return ""
    if end is not None and end < today:
        return "échéance dépassée"
    if status is ActionStatus.PLANNED and start is not None and start < today:
        return "non démarrée"
    return ""


def is_late(status: ActionStatus, start: date | None, end: date | None, today: date) -> bool:
    return bool(late_reason(status, start, end, today))


def fipd_cents(lines: Iterable[FundingLine]) -> int:
    """What the FIPD is asked for or gives: the larger of requested and granted on each line."""
    return sum(max(f.requested_cents, f.granted_cents) for f in lines if f.funder is Funder.FIPD)


def fipd_warning(total_cost_cents: int, lines: Iterable[FundingLine]) -> str:
    """French warning when FIPD would pay more than half of the action ('' otherwise)."""
    fipd = fipd_cents(lines)
    if fipd == 0:
        return ""
    if total_cost_cents <= 0:
        return "Financement FIPD sans coût total de l'action : le plafond de 50 % ne peut pas être vérifié."
    if fipd > total_cost_cents * FIPD_CEILING:
        share = round(100 * fipd / total_cost_cents)
        return (f"Le FIPD représenterait {share} % du coût de l'action ({euros(fipd, separator=' ')} sur "
                f"{euros(total_cost_cents, separator=' ')}) : il ne finance au plus que 50 %.")
    return ""


def bilan_reminders(lines: Iterable[FundingLine]) -> list[str]:
    return [f"Bilan FIPD {f.year} à transmettre (nécessaire pour renouveler le financement)"
            for f in sorted(lines, key=lambda f: f.year) if f.bilan_due]


def totals_by_funder_kind(lines: Iterable[FundingLine]) -> dict[Funder, FundingTotals]:
    """Per kind of funder (all FIPD programmes together), in the enum's order."""
    result: dict[Funder, FundingTotals] = {}
    for line in lines:
        result[line.funder] = result.get(line.funder, FundingTotals()) + totals([line])
    return {f: result[f] for f in Funder if f in result}


@dataclass(frozen=True)
class FundingTotals:
    requested_cents: int = 0
    granted_cents: int = 0
    paid_cents: int = 0

    def __add__(self, other: FundingTotals) -> FundingTotals:
        return FundingTotals(self.requested_cents + other.requested_cents,
                             self.granted_cents + other.granted_cents, self.paid_cents + other.paid_cents)


def totals(lines: Iterable[FundingLine]) -> FundingTotals:
    result = FundingTotals()
    for line in lines:
        result = result + FundingTotals(line.requested_cents, line.granted_cents, line.paid_cents)
    return result


# --- validation ------------------------------------------------------------------------------------
def _check_amount(errors: dict[str, str], key: str, label: str, cents: int) -> None:
    if cents < 0:
        errors[key] = f"{label} : un montant ne peut pas être négatif."
    elif cents > MAX_AMOUNT_CENTS:
        errors[key] = (f"{label} : {euros(cents, separator=' ')} dépasse 10 millions d'euros ; "
                       "vérifiez le nombre de zéros.")


def validate_funding_line(line: FundingLine, plan: Plan | None = None) -> FundingLine:
    errors: dict[str, str] = {}
    where = f"Financement {line.funder_label} {line.year}"
    _check_amount(errors, "requested", f"{where}, montant demandé", line.requested_cents)
    _check_amount(errors, "granted", f"{where}, montant accordé", line.granted_cents)
    _check_amount(errors, "paid", f"{where}, montant versé", line.paid_cents)
    if "granted" not in errors and "requested" not in errors and line.granted_cents > line.requested_cents:
        errors["granted"] = f"{where} : le montant accordé dépasse le montant demandé."
    if "paid" not in errors and "granted" not in errors and line.paid_cents > line.granted_cents:
        errors["paid"] = f"{where} : le montant versé dépasse le montant accordé."
    if line.funder is Funder.OTHER and not line.programme.strip():
        errors["programme"] = "Indiquez le nom du financeur."
    if plan is not None and not plan.funding_years[0] <= line.year <= plan.funding_years[1]:
        errors["year"] = (f"L'année {line.year} est hors de la période du plan ({plan.period}) ; "
                          "une année avant ou après est admise.")
    if errors:
        raise ValidationError(errors)
    line.programme = line.programme.strip()
    return line


def validate_action(action: Action, plan: Plan | None = None) -> Action:
    """Every problem at once (French messages by field); the action is returned cleaned."""
    errors: dict[str, str] = {}
    action.title = action.title.strip()
    if not action.title:
        errors["title"] = "L'intitulé de l'action est obligatoire."
    # the chef de file leads the action: it is never listed again among its partners
    action.partner_ids = [o for o in dict.fromkeys(action.partner_ids) if o != action.lead_organisation_id]
    if action.start_date and action.end_date and action.end_date < action.start_date:
        errors["end_date"] = "La date de fin précède la date de début."
    if not 0 <= action.progress <= 100:
        errors["progress"] = "L'avancement est un pourcentage entre 0 et 100."
    _check_amount(errors, "total_cost", "Coût total de l'action", action.total_cost_cents)
    for line in action.funding:
        try:
            validate_funding_line(line, plan)
        except ValidationError as exc:
            errors.setdefault("funding", next(iter(exc.fields.values())))
    if "funding" not in errors and "total_cost" not in errors:
        granted = totals(action.funding).granted_cents
        if granted > action.total_cost_cents:
            errors["total_cost"] = (
                f"Le total des financements accordés ({euros(granted, separator=' ')}) dépasse le coût total "
                f"de l'action ({euros(action.total_cost_cents, separator=' ')}).")
    for indicator in action.indicators:
        indicator.name = indicator.name.strip()
        if not indicator.name:
            errors["indicators"] = "Chaque indicateur doit avoir un nom."
    if errors:
        raise ValidationError(errors)
    return action


def validate_plan(plan: Plan) -> Plan:
    errors: dict[str, str] = {}
    plan.title = plan.title.strip()
    if not plan.title:
        errors["title"] = "Le titre du plan est obligatoire."
    if not 2000 <= plan.start_year <= 2100 or not 2000 <= plan.end_year <= 2100:
        errors["years"] = "Les années du plan doivent être comprises entre 2000 et 2100."
    elif plan.end_year < plan.start_year:
        errors["years"] = "L'année de fin précède l'année de début."
    elif plan.end_year - plan.start_year > 10:
        errors["years"] = "Un plan couvre au plus dix ans (habituellement trois)."
    if errors:
        raise ValidationError(errors)
    return plan


def current_plan(plans: list[Plan], today: date) -> Plan | None:
    """The plan covering this year, else the first of `plans` (listed most recent first)."""
    return next((p for p in plans if p.start_year <= today.year <= p.end_year), plans[0] if plans else None)


def check_period_change(plan: Plan, funding_lines_outside: int) -> None:
    """A plan's period may not shrink below the years its funding lines carry (they would fall outside)."""
    if funding_lines_outside:
        raise UserError(f"{plural(funding_lines_outside, 'ligne', feminine=True)} de financement "
                        f"{'tomberait' if funding_lines_outside == 1 else 'tomberaient'} hors de la nouvelle "
                        f"période {plan.period} : modifiez-les d'abord.")


def validate_heading(item: Axis | Objective) -> Axis | Objective:
    """An axis or an objective needs a title (kept without surrounding spaces)."""
    item.title = item.title.strip()
    if not item.title:
        raise ValidationError({"title": "L'intitulé est obligatoire."})
    return item


# --- the plan as lists show it -----------------------------------------------------------------------
@dataclass
class ActionRow:
    """One action as lists, the dashboard and the exports show it (with its place in the plan)."""

    id: int
    title: str
    axis_id: int
    axis_number: int
    axis_title: str
    objective_id: int
    objective_number: str  # "2.1"
    objective_title: str
    position: int
    lead_organisation_id: int | None
    lead_name: str
    status: ActionStatus
    progress: int
    start_date: date | None
    end_date: date | None
    total_cost_cents: int
    target_public: str = ""
    territory: str = ""
    late_reason: str = ""
    funding: list[FundingLine] = field(default_factory=list)

    @property
    def late(self) -> bool:
        return bool(self.late_reason)

    @property
    def number(self) -> str:
        return f"{self.objective_number}.{self.position + 1}"

    @property
    def totals(self) -> FundingTotals:
        return totals(self.funding)

    @property
    def funders(self) -> set[Funder]:
        return {f.funder for f in self.funding}

    @property
    def fipd_warning(self) -> str:
        return fipd_warning(self.total_cost_cents, self.funding)

    @property
    def bilan_reminders(self) -> list[str]:
        return bilan_reminders(self.funding)


def totals_by_funder(rows: list[ActionRow]) -> dict[str, FundingTotals]:
    """Requested / granted / paid per funder label ('FIPD – Vidéoprotection', 'Commune'...), largest first."""
    result: dict[str, FundingTotals] = defaultdict(FundingTotals)
    for row in rows:
        for line in row.funding:
            result[line.funder_label] = result[line.funder_label] + totals([line])
    return dict(sorted(result.items(), key=lambda kv: -kv[1].requested_cents))


def totals_by_kind(rows: list[ActionRow]) -> dict[Funder, FundingTotals]:
    """Per kind of funder (all FIPD programmes together), in the enum's order."""
    return totals_by_funder_kind(line for row in rows for line in row.funding)


def totals_by_year(rows: list[ActionRow]) -> dict[int, FundingTotals]:
    result: dict[int, FundingTotals] = defaultdict(FundingTotals)
    for row in rows:
        for line in row.funding:
            result[line.year] = result[line.year] + totals([line])
    return dict(sorted(result.items()))


def totals_by_axis(rows: list[ActionRow]) -> dict[int, tuple[int, FundingTotals]]:
    """Per axis id: (total cost of its actions, funding totals)."""
    result: dict[int, tuple[int, FundingTotals]] = {}
    for row in rows:
        cost, funding = result.get(row.axis_id, (0, FundingTotals()))
        result[row.axis_id] = (cost + row.total_cost_cents, funding + row.totals)
    return result


@dataclass
class PlanFigures:
    """What the plan's dashboard shows, in French: a summary sentence, the average progress per axis, funding
    (requested, granted, paid) per kind of funder and per year, the late actions and the FIPD alerts."""

    summary: str
    progress: list[tuple[str, list[float]]]
    by_funder: list[tuple[str, list[float]]]
    by_year: list[tuple[str, list[float]]]
    late: list[str]
    alerts: list[str]


def plan_figures(axes: list[Axis], rows: list[ActionRow]) -> PlanFigures:
    """Computed where the rows are read (on a worker for the screen's first show): 1 800 actions' funding
    lines take tens of milliseconds to add up."""
    late = [r for r in rows if r.late]
    cost = sum(r.total_cost_cents for r in rows)
    granted = sum(r.totals.granted_cents for r in rows)
    done = sum(1 for r in rows if r.status.closed)
    progress = []
    for number, axis in enumerate(axes, 1):
        axis_rows = [r for r in rows if r.axis_id == axis.id]
        progress.append((f"{number}. {axis.title}",
                         [sum(r.progress for r in axis_rows) / len(axis_rows) if axis_rows else 0.0]))
    return PlanFigures(
        summary=(f"{len(rows)} actions, dont {done} terminées ou abandonnées et {len(late)} en retard. Coût total "
                 f"{euros(cost, separator=' ')}, financements accordés {euros(granted, separator=' ')}."),
        progress=progress,
        by_funder=[(f.label, [t.requested_cents, t.granted_cents, t.paid_cents])
                   for f, t in totals_by_kind(rows).items()],
        by_year=[(str(y), [t.requested_cents, t.granted_cents, t.paid_cents]) for y, t in totals_by_year(rows).items()],
        late=[f"{r.number} {r.title} – {r.lead_name or 'chef de file à désigner'} ({r.late_reason})" for r in late],
        alerts=[f"{r.number} {r.title} : {text}" for r in rows
                for text in ([r.fipd_warning] if r.fipd_warning else []) + r.bilan_reminders])


# --- the dated reference list ----------------------------------------------------------------------
@dataclass(frozen=True)
class ReferenceItem:
    id: str
    label: str
    group_title: str


@dataclass(frozen=True)
class PlanReferences:
    title: str
    version_date: date
    checked_on: date
    note: str
    groups: list[dict]
    items: dict[str, ReferenceItem]

    @property
    def dated_caption(self) -> str:
        return (f"{self.title} : version du {long_date(self.version_date)}, vérifiée le "
                f"{long_date(self.checked_on)}. {self.note}")

    def label(self, tag: str) -> str:
        item = self.items.get(tag)
        return item.label if item else f"{tag} (hors référentiel actuel)"


REFERENCES_FILE = "plan_references.json"


def load_plan_references(shipped: Path, override_dir: Path | None = None) -> PlanReferences:
    """The shipped list, or the user's own copy in the data folder when there is one (departmental axes)."""
    path = shipped
    if override_dir is not None and (override_dir / REFERENCES_FILE).is_file():
        path = override_dir / REFERENCES_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        items = {item["id"]: ReferenceItem(item["id"], item["label"], group["title"])
                 for group in data["groups"] for item in group["items"]}
        return PlanReferences(title=data["title"], version_date=date.fromisoformat(data["version_date"]),
                              checked_on=date.fromisoformat(data["checked_on"]), note=data.get("note", ""),
                              groups=data["groups"], items=items)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"Le référentiel des orientations « {path} » est illisible ou incomplet. "
                        "Remplacez-le par la version livrée avec l'application.", details=str(exc)) from exc
