"""The action plan: plans, axes, objectives, actions with partners, referents, tags, funding and indicators.

An action and everything attached to it is saved in one transaction (validated first): a refused
amount or date writes nothing. Lists read the whole plan in a handful of queries (600 actions stay fast).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from clspd_desktop.db.database import Database
from clspd_desktop.db.rows import as_date, dicts
from clspd_desktop.domain.dates import iso
from clspd_desktop.domain.plan import (
    Action,
    ActionStatus,
    Axis,
    Funder,
    FundingLine,
    FundingTotals,
    Indicator,
    Objective,
    Plan,
    bilan_reminders,
    fipd_warning,
    late_reason,
    totals,
    totals_by_funder_kind,
    validate_action,
    validate_plan,
)
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import UserError

_ACTION_COLUMNS = ("objective_id", "title", "description", "target_public", "territory", "lead_organisation_id",
                   "start_date", "end_date", "status", "progress", "total_cost_cents", "evaluation")


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


def funding_from(row: dict[str, Any]) -> FundingLine:
    return FundingLine(
        id=row["id"], year=row["year"], funder=Funder(row["funder"]), programme=row["programme"],
        requested_cents=row["requested_cents"], granted_cents=row["granted_cents"], paid_cents=row["paid_cents"],
        report_sent_on=as_date(row["report_sent_on"]), notes=row["notes"])


def plan_from(row: dict[str, Any]) -> Plan:
    return Plan(id=row["id"], title=row["title"], start_year=row["start_year"], end_year=row["end_year"],
                adopted_on=as_date(row["adopted_on"]), notes=row["notes"])


class PlanRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- plans ---------------------------------------------------------------------------------------
    def plans(self) -> list[Plan]:
        return [plan_from(r) for r in dicts(self.db.execute("SELECT * FROM plan ORDER BY start_year DESC, id DESC"))]

    def get_plan(self, plan_id: int) -> Plan | None:
        rows = dicts(self.db.execute("SELECT * FROM plan WHERE id = ?", [plan_id]))
        return plan_from(rows[0]) if rows else None

    def current_plan(self, today: date | None = None) -> Plan | None:
        """The plan covering this year, else the most recent one."""
        year = (today or date.today()).year
        plans = self.plans()
        return next((p for p in plans if p.start_year <= year <= p.end_year), plans[0] if plans else None)

    def save_plan(self, plan: Plan) -> Plan:
        validate_plan(plan)
        values = {"title": plan.title, "start_year": plan.start_year, "end_year": plan.end_year,
                  "adopted_on": iso(plan.adopted_on), "notes": plan.notes}
        with self.db.atomic():
            if plan.id is None:
                plan.id = self.db.execute(
                    "INSERT INTO plan (title, start_year, end_year, adopted_on, notes) "
                    "VALUES (:title, :start_year, :end_year, :adopted_on, :notes)", values).lastrowid
            else:
                outside = self.db.execute(
                    "SELECT COUNT(*) FROM plan_funding f JOIN plan_action a ON a.id = f.action_id "
                    "JOIN plan_objective o ON o.id = a.objective_id JOIN plan_axis x ON x.id = o.axis_id "
                    "WHERE x.plan_id = ? AND (f.year < ? OR f.year > ?)",
                    [plan.id, plan.start_year - 1, plan.end_year + 1]).fetchone()[0]
                if outside:
                    raise UserError(f"{plural(outside, 'ligne', feminine=True)} de financement {'tomberait' if outside == 1 else 'tomberaient'} hors de la nouvelle période "
                                    f"{plan.period} : modifiez-les d'abord.")
                self.db.execute(
                    "UPDATE plan SET title = :title, start_year = :start_year, end_year = :end_year, "
                    "adopted_on = :adopted_on, notes = :notes, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') "
                    "WHERE id = :id", {**values, "id": plan.id})
        return plan

    def delete_plan(self, plan_id: int) -> None:
        self.db.execute("DELETE FROM plan WHERE id = ?", [plan_id])

    # --- axes and objectives -------------------------------------------------------------------------
    def axes(self, plan_id: int) -> list[Axis]:
        rows = dicts(self.db.execute("SELECT * FROM plan_axis WHERE plan_id = ? ORDER BY position, id", [plan_id]))
        return [Axis(id=r["id"], plan_id=r["plan_id"], title=r["title"], description=r["description"],
                     position=r["position"]) for r in rows]

    def objectives(self, plan_id: int) -> list[Objective]:
        """Every objective of the plan, in axis order then objective order."""
        rows = dicts(self.db.execute(
            "SELECT o.* FROM plan_objective o JOIN plan_axis x ON x.id = o.axis_id WHERE x.plan_id = ? "
            "ORDER BY x.position, x.id, o.position, o.id", [plan_id]))
        return [Objective(id=r["id"], axis_id=r["axis_id"], title=r["title"], description=r["description"],
                          position=r["position"]) for r in rows]

    def save_axis(self, axis: Axis) -> Axis:
        if not axis.title.strip():
            raise UserError("L'intitulé de l'axe est obligatoire.")
        axis.title = axis.title.strip()
        if axis.id is None:
            axis.position = self._next_position("plan_axis", "plan_id", axis.plan_id)
            axis.id = self.db.execute(
                "INSERT INTO plan_axis (plan_id, position, title, description) VALUES (?, ?, ?, ?)",
                [axis.plan_id, axis.position, axis.title, axis.description]).lastrowid
        else:
            self.db.execute("UPDATE plan_axis SET title = ?, description = ? WHERE id = ?",
                            [axis.title, axis.description, axis.id])
        return axis

    def save_objective(self, objective: Objective) -> Objective:
        if not objective.title.strip():
            raise UserError("L'intitulé de l'objectif est obligatoire.")
        objective.title = objective.title.strip()
        if objective.id is None:
            objective.position = self._next_position("plan_objective", "axis_id", objective.axis_id)
            objective.id = self.db.execute(
                "INSERT INTO plan_objective (axis_id, position, title, description) VALUES (?, ?, ?, ?)",
                [objective.axis_id, objective.position, objective.title, objective.description]).lastrowid
        else:
            self.db.execute("UPDATE plan_objective SET axis_id = ?, title = ?, description = ? WHERE id = ?",
                            [objective.axis_id, objective.title, objective.description, objective.id])
        return objective

    def delete_axis(self, axis_id: int) -> None:
        """With its objectives and actions (the screen lists them and asks first)."""
        self.db.execute("DELETE FROM plan_axis WHERE id = ?", [axis_id])

    def delete_objective(self, objective_id: int) -> None:
        self.db.execute("DELETE FROM plan_objective WHERE id = ?", [objective_id])

    def delete_action(self, action_id: int) -> None:
        self.db.execute("DELETE FROM plan_action WHERE id = ?", [action_id])

    def count_actions_under(self, *, axis_id: int | None = None, objective_id: int | None = None) -> int:
        if axis_id is not None:
            return self.db.execute(
                "SELECT COUNT(*) FROM plan_action a JOIN plan_objective o ON o.id = a.objective_id "
                "WHERE o.axis_id = ?", [axis_id]).fetchone()[0]
        return self.db.execute("SELECT COUNT(*) FROM plan_action WHERE objective_id = ?",
                               [objective_id]).fetchone()[0]

    _PARENTS = {"plan_axis": "plan_id", "plan_objective": "axis_id", "plan_action": "objective_id"}

    def _next_position(self, table: str, parent_column: str, parent_id: int) -> int:
        return self.db.execute(f"SELECT COALESCE(MAX(position) + 1, 0) FROM {table} WHERE {parent_column} = ?",
                               [parent_id]).fetchone()[0]

    def move(self, table: str, item_id: int, delta: int) -> bool:
        """Swap an axis, objective or action with its neighbour (-1 up, +1 down); False at either end."""
        parent_column = self._PARENTS[table]
        row = self.db.execute(f"SELECT {parent_column} FROM {table} WHERE id = ?", [item_id]).fetchone()
        if row is None:
            return False
        ids = [r[0] for r in self.db.execute(
            f"SELECT id FROM {table} WHERE {parent_column} = ? ORDER BY position, id", [row[0]]).fetchall()]
        index = ids.index(item_id)
        target = index + delta
        if not 0 <= target < len(ids):
            return False
        ids[index], ids[target] = ids[target], ids[index]
        with self.db.atomic():
            for position, row_id in enumerate(ids):
                self.db.execute(f"UPDATE {table} SET position = ? WHERE id = ?", [position, row_id])
        return True

    # --- actions -------------------------------------------------------------------------------------
    def get_action(self, action_id: int) -> Action | None:
        rows = dicts(self.db.execute("SELECT * FROM plan_action WHERE id = ?", [action_id]))
        if not rows:
            return None
        r = rows[0]
        action = Action(
            id=r["id"], objective_id=r["objective_id"], title=r["title"], description=r["description"],
            target_public=r["target_public"], territory=r["territory"],
            lead_organisation_id=r["lead_organisation_id"], start_date=as_date(r["start_date"]),
            end_date=as_date(r["end_date"]), status=ActionStatus(r["status"]), progress=r["progress"],
            total_cost_cents=r["total_cost_cents"], evaluation=r["evaluation"], position=r["position"])
        action.partner_ids = [x[0] for x in self.db.execute(
            "SELECT organisation_id FROM plan_action_partner WHERE action_id = ? ORDER BY organisation_id",
            [action_id]).fetchall()]
        action.referent_ids = [x[0] for x in self.db.execute(
            "SELECT contact_id FROM plan_action_referent WHERE action_id = ? ORDER BY contact_id",
            [action_id]).fetchall()]
        action.tags = [x[0] for x in self.db.execute(
            "SELECT tag FROM plan_action_tag WHERE action_id = ? ORDER BY tag", [action_id]).fetchall()]
        action.funding = [funding_from(f) for f in dicts(self.db.execute(
            "SELECT * FROM plan_funding WHERE action_id = ? ORDER BY year, id", [action_id]))]
        action.indicators = self._indicators([action_id])[action_id]
        return action

    def _indicators(self, action_ids: list[int]) -> dict[int, list[Indicator]]:
        result: dict[int, list[Indicator]] = {a: [] for a in action_ids}
        if not action_ids:
            return result
        marks = ", ".join("?" * len(action_ids))
        by_id: dict[int, Indicator] = {}
        for r in dicts(self.db.execute(
                f"SELECT * FROM plan_indicator WHERE action_id IN ({marks}) ORDER BY position, id", action_ids)):
            indicator = Indicator(id=r["id"], name=r["name"], unit=r["unit"], baseline=r["baseline"],
                                  target=r["target"], position=r["position"])
            by_id[r["id"]] = indicator
            result[r["action_id"]].append(indicator)
        if by_id:
            marks = ", ".join("?" * len(by_id))
            for indicator_id, year, value in self.db.execute(
                    f"SELECT indicator_id, year, value FROM plan_indicator_value WHERE indicator_id IN ({marks}) "
                    "ORDER BY year", list(by_id)).fetchall():
                by_id[indicator_id].values[year] = value
        return result

    def plan_of_objective(self, objective_id: int) -> Plan | None:
        row = self.db.execute("SELECT x.plan_id FROM plan_objective o JOIN plan_axis x ON x.id = o.axis_id "
                              "WHERE o.id = ?", [objective_id]).fetchone()
        return self.get_plan(row[0]) if row else None

    def save_action(self, action: Action) -> Action:
        """Validate, then write the action and replace its partners, referents, tags, funding and indicators,
        all in one transaction."""
        plan = self.plan_of_objective(action.objective_id)
        if plan is None:
            raise UserError("L'objectif de cette action n'existe plus : rechargez le plan.")
        validate_action(action, plan)
        values = {name: getattr(action, name) for name in _ACTION_COLUMNS}
        values.update(status=action.status.value, start_date=iso(action.start_date), end_date=iso(action.end_date))
        with self.db.atomic():
            if action.id is None:
                action.position = self._next_position("plan_action", "objective_id", action.objective_id)
                values["position"] = action.position
                action.id = self.db.execute(
                    f"INSERT INTO plan_action ({', '.join(values)}) VALUES ({', '.join(':' + k for k in values)})",
                    values).lastrowid
            else:
                moved = self.db.execute("SELECT objective_id FROM plan_action WHERE id = ?",
                                        [action.id]).fetchone()
                if moved and moved[0] != action.objective_id:
                    values["position"] = self._next_position("plan_action", "objective_id", action.objective_id)
                sets = ", ".join(f"{k} = :{k}" for k in values)
                self.db.execute(f"UPDATE plan_action SET {sets}, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') "
                                "WHERE id = :id", {**values, "id": action.id})
            self._replace_children(action)
        return action

    def _replace_children(self, action: Action) -> None:
        aid = action.id
        for table in ("plan_action_partner", "plan_action_referent", "plan_action_tag", "plan_funding",
                      "plan_indicator"):
            self.db.execute(f"DELETE FROM {table} WHERE action_id = ?", [aid])
        for org_id in dict.fromkeys(action.partner_ids):
            if org_id != action.lead_organisation_id:
                self.db.execute("INSERT INTO plan_action_partner (action_id, organisation_id) VALUES (?, ?)",
                                [aid, org_id])
        for contact_id in dict.fromkeys(action.referent_ids):
            self.db.execute("INSERT INTO plan_action_referent (action_id, contact_id) VALUES (?, ?)", [aid, contact_id])
        for tag in dict.fromkeys(action.tags):
            self.db.execute("INSERT INTO plan_action_tag (action_id, tag) VALUES (?, ?)", [aid, tag])
        for line in action.funding:
            line.id = self.db.execute(
                "INSERT INTO plan_funding (action_id, year, funder, programme, requested_cents, granted_cents, "
                "paid_cents, report_sent_on, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [aid, line.year, line.funder.value, line.programme, line.requested_cents, line.granted_cents,
                 line.paid_cents, iso(line.report_sent_on), line.notes]).lastrowid
        for position, indicator in enumerate(action.indicators):
            indicator.position = position
            indicator.id = self.db.execute(
                "INSERT INTO plan_indicator (action_id, position, name, unit, baseline, target) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [aid, position, indicator.name, indicator.unit, indicator.baseline, indicator.target]).lastrowid
            for year, value in sorted(indicator.values.items()):
                self.db.execute("INSERT INTO plan_indicator_value (indicator_id, year, value) VALUES (?, ?, ?)",
                                [indicator.id, year, value])

    def action_rows(self, plan_id: int, today: date | None = None) -> list[ActionRow]:
        """Every action of the plan in plan order, with its axis, objective, lead, funding and late flag."""
        today = today or date.today()
        rows = dicts(self.db.execute(
            "SELECT a.id, a.title, a.position, a.objective_id, a.lead_organisation_id, a.status, a.progress, "
            "a.start_date, a.end_date, a.total_cost_cents, a.target_public, a.territory, "
            "o.title AS objective_title, o.position AS o_pos, x.id AS axis_id, x.title AS axis_title, "
            "org.name AS lead_name FROM plan_action a JOIN plan_objective o ON o.id = a.objective_id "
            "JOIN plan_axis x ON x.id = o.axis_id LEFT JOIN organisation org ON org.id = a.lead_organisation_id "
            "WHERE x.plan_id = ? ORDER BY x.position, x.id, o.position, o.id, a.position, a.id", [plan_id]))
        axis_numbers = {a.id: n for n, a in enumerate(self.axes(plan_id), 1)}
        objective_numbers: dict[int, str] = {}
        counters: dict[int, int] = defaultdict(int)
        for objective in self.objectives(plan_id):
            counters[objective.axis_id] += 1
            objective_numbers[objective.id] = f"{axis_numbers[objective.axis_id]}.{counters[objective.axis_id]}"
        funding: dict[int, list[FundingLine]] = defaultdict(list)
        for f in dicts(self.db.execute(
                "SELECT f.* FROM plan_funding f JOIN plan_action a ON a.id = f.action_id "
                "JOIN plan_objective o ON o.id = a.objective_id JOIN plan_axis x ON x.id = o.axis_id "
                "WHERE x.plan_id = ? ORDER BY f.year, f.id", [plan_id])):
            funding[f["action_id"]].append(funding_from(f))
        result = []
        index_in_objective: dict[int, int] = defaultdict(int)
        for r in rows:
            status = ActionStatus(r["status"])
            start, end = as_date(r["start_date"]), as_date(r["end_date"])
            position = index_in_objective[r["objective_id"]]
            index_in_objective[r["objective_id"]] += 1
            result.append(ActionRow(
                id=r["id"], title=r["title"], axis_id=r["axis_id"], axis_number=axis_numbers[r["axis_id"]],
                axis_title=r["axis_title"], objective_id=r["objective_id"],
                objective_number=objective_numbers[r["objective_id"]], objective_title=r["objective_title"],
                position=position, lead_organisation_id=r["lead_organisation_id"], lead_name=r["lead_name"] or "",
                status=status, progress=r["progress"], start_date=start, end_date=end,
                total_cost_cents=r["total_cost_cents"], target_public=r["target_public"], territory=r["territory"],
                late_reason=late_reason(status, start, end, today), funding=funding.get(r["id"], [])))
        return result

    def indicators_of_plan(self, plan_id: int) -> dict[int, list[Indicator]]:
        ids = [r[0] for r in self.db.execute(
            "SELECT a.id FROM plan_action a JOIN plan_objective o ON o.id = a.objective_id "
            "JOIN plan_axis x ON x.id = o.axis_id WHERE x.plan_id = ?", [plan_id]).fetchall()]
        return self._indicators(ids)

    def partners_of_plan(self, plan_id: int) -> dict[int, list[str]]:
        """Partner organisation names per action (for lists and exports)."""
        result: dict[int, list[str]] = defaultdict(list)
        for action_id, name in self.db.execute(
                "SELECT p.action_id, org.name FROM plan_action_partner p JOIN organisation org "
                "ON org.id = p.organisation_id JOIN plan_action a ON a.id = p.action_id "
                "JOIN plan_objective o ON o.id = a.objective_id JOIN plan_axis x ON x.id = o.axis_id "
                "WHERE x.plan_id = ? ORDER BY org.name COLLATE NOCASE", [plan_id]).fetchall():
            result[action_id].append(name)
        return result

    def count_actions(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM plan_action").fetchone()[0]

    # --- organisations that lead actions -------------------------------------------------------------
    def actions_led_by(self, organisation_id: int) -> list[str]:
        """'Plan 2025-2027 : Action' for every action the organisation leads (chef de file)."""
        return [f"{title} (plan {start}-{end})" for title, start, end in self.db.execute(
            "SELECT a.title, p.start_year, p.end_year FROM plan_action a "
            "JOIN plan_objective o ON o.id = a.objective_id JOIN plan_axis x ON x.id = o.axis_id "
            "JOIN plan p ON p.id = x.plan_id WHERE a.lead_organisation_id = ? ORDER BY p.start_year, a.title",
            [organisation_id]).fetchall()]


def totals_by_funder(rows: list[ActionRow]) -> dict[str, FundingTotals]:
    """Requested / granted / paid per funder label ('FIPD – Vidéoprotection', 'Commune'...)."""
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
