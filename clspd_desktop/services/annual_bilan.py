"""The annual bilan's figures for one year, computed from the data (domain.md, « What the annual bilan
carries »). The PDF only lays these out: every number printed comes from here, and the tests compare them
with SQL aggregates written independently.

Nothing nominative from a confidential working group enters here: such a group appears only as its name,
its number of meetings and an overall attendance rate, never the dates it met; attendance per institution
leaves it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from clspd_desktop.db.annual_report_repo import CharterEvents, CompositionChanges
from clspd_desktop.db.attendance_stats_repo import AttendanceCount
from clspd_desktop.db.plan_repo import ActionRow, totals_by_axis
from clspd_desktop.db.store import Store
from clspd_desktop.domain.annual_report import AnnualReportTexts
from clspd_desktop.domain.council import Council
from clspd_desktop.domain.directory import Formation, FormationKind, MemberItem, MembershipCategory
from clspd_desktop.domain.individual.aggregates import YearFigures
from clspd_desktop.domain.individual.bilan_section import BilanIndividual, IndividualState
from clspd_desktop.domain.individual.paperwork import SETUP_KEY
from clspd_desktop.domain.meetings import Meeting, MeetingStatus
from clspd_desktop.domain.plan import (
    ActionStatus,
    Funder,
    FundingLine,
    FundingTotals,
    Indicator,
    Plan,
    totals,
    totals_by_funder_kind,
)
from clspd_desktop.domain.records import saved_id
from clspd_desktop.services.reports.common import require_council
from clspd_desktop.services.shareable import french_order


@dataclass
class FormationActivity:
    formation: Formation
    held: list[Meeting]
    cancelled: int
    still_planned: int  # planned or postponed meetings of the year not (yet) marked as held
    attendance: AttendanceCount | None  # all convocations of the year's held meetings, no names

    @property
    def confidential(self) -> bool:
        return self.formation.confidential


@dataclass
class AxisProgress:
    number: int
    title: str
    actions: list[ActionRow]
    cost_cents: int
    funding: FundingTotals

    @property
    def progress(self) -> int:
        """Mean progress of the axis's actions, abandoned ones left out (0 when none)."""
        counted = [a.progress for a in self.actions if a.status is not ActionStatus.ABANDONED]
        return round(sum(counted) / len(counted)) if counted else 0

    def count(self, status: ActionStatus) -> int:
        return sum(1 for a in self.actions if a.status is status)


@dataclass
class IndicatorLine:
    action: ActionRow
    indicator: Indicator
    year: int

    @property
    def achieved(self) -> float | None:
        return self.indicator.values.get(self.year)


@dataclass
class Decision:
    meeting: Meeting
    text: str


@dataclass
class AnnualBilan:
    year: int
    as_of: date  # the day statuses and late flags are judged on: 31 December, or today for the current year
    council: Council
    texts: AnnualReportTexts
    formations: list[FormationActivity]
    plenary_members: list[MemberItem]
    plenary_changes: CompositionChanges
    signatories: int  # valid charter signatures on `as_of`
    charter_events: CharterEvents
    attendance_by_institution: list[AttendanceCount]
    de_droit: list[Meeting]
    prefect_presentations: list[Meeting]
    plenary_decisions: list[Decision]
    plan: Plan | None
    council_formations: list[Formation] = field(default_factory=list)  # every formation, met or not
    actions: list[ActionRow] = field(default_factory=list)
    axes: list[AxisProgress] = field(default_factory=list)
    indicators: list[IndicatorLine] = field(default_factory=list)
    funding_lines: list[tuple[ActionRow, FundingLine]] = field(default_factory=list)  # lines of this year
    individual: BilanIndividual = field(default_factory=lambda: BilanIndividual(IndividualState.OFF))

    # --- the préfecture's national monitoring questions ----------------------------------------------
    @property
    def meetings_held(self) -> int:
        return sum(len(f.held) for f in self.formations)

    @property
    def year_complete(self) -> bool:
        """False while the year is still running: « not yet » rather than « not done »."""
        return self.as_of == date(self.year, 12, 31)

    @property
    def active(self) -> bool:
        """A council that held no meeting in the year is « en sommeil »."""
        return self.meetings_held > 0

    @property
    def plenary_held(self) -> int:
        return sum(len(f.held) for f in self.formations if f.formation.kind is FormationKind.PLENARY)

    @property
    def working_groups(self) -> list[Formation]:
        return [f for f in self.council_formations if f.kind is FormationKind.WORKING_GROUP]

    @property
    def working_groups_met(self) -> list[FormationActivity]:
        return [f for f in self.formations if f.formation.kind is FormationKind.WORKING_GROUP and f.held]

    def formation_name(self, formation_id: int) -> str:
        return next((f.display_name for f in self.council_formations if f.id == formation_id), "")

    @property
    def plan_adopted(self) -> bool:
        return self.plan is not None and self.plan.adopted_on is not None and self.plan.adopted_on <= self.as_of

    @property
    def charter_adopted(self) -> bool:
        return bool(self.council.charter_version.strip()) and self.signatories > 0

    @property
    def cnil_commitment(self) -> bool:
        return self.texts.processing_register

    # --- plan and funding ------------------------------------------------------------------------------
    @property
    def funding_by_funder(self) -> dict[Funder, FundingTotals]:
        return totals_by_funder_kind(line for _, line in self.funding_lines)

    @property
    def funding_total(self) -> FundingTotals:
        return totals([line for _, line in self.funding_lines])

    @property
    def fipd_reports_sent(self) -> list[tuple[ActionRow, FundingLine]]:
        """FIPD lines whose report (needed to renew the funding) was sent during the year."""
        return [(a, f) for a, f in self.all_funding if f.funder is Funder.FIPD and f.report_sent_on
                and f.report_sent_on.year == self.year]

    @property
    def fipd_reports_due(self) -> list[tuple[ActionRow, FundingLine]]:
        """FIPD lines of the year or before that were granted but whose report is not recorded as sent."""
        return [(a, f) for a, f in self.all_funding if f.bilan_due and f.year <= self.year]

    @property
    def all_funding(self) -> list[tuple[ActionRow, FundingLine]]:
        return [(a, f) for a in self.actions for f in a.funding]

    @property
    def late_actions(self) -> list[ActionRow]:
        return [a for a in self.actions if a.late]


def plan_for_year(store: Store, year: int) -> Plan | None:
    """The plan whose period covers the year (the most recent one if several do)."""
    covering = [p for p in store.plan.plans() if p.start_year <= year <= p.end_year]
    return max(covering, key=lambda p: (p.start_year, p.id or 0)) if covering else None


def _formation_activity(store: Store, year: int, meetings: list[Meeting],
                        formations: list[Formation]) -> list[FormationActivity]:
    attendance = store.attendance_stats.by_formation(date(year, 1, 1), date(year, 12, 31))
    result = []
    for formation in formations:
        own = [m for m in meetings if m.formation_id == formation.id]
        held = [m for m in own if m.status is MeetingStatus.HELD]
        if formation.kind is FormationKind.WORKING_GROUP and not own:
            continue  # a group that did not meet this year is counted, not listed as a row of zeros
        result.append(FormationActivity(
            formation=formation, held=held,
            cancelled=sum(1 for m in own if m.status is MeetingStatus.CANCELLED),
            still_planned=sum(1 for m in own if m.status in (MeetingStatus.PLANNED, MeetingStatus.POSTPONED)),
            attendance=attendance.get(saved_id(formation.id))))
    return result


def compute_bilan(store: Store, year: int, today: date | None = None,
                  individual: YearFigures | None = None) -> AnnualBilan:
    """`individual`: the follow-up store's aggregates, read by the caller while the store is unlocked (its
    connection belongs to the GUI thread); None says « non inclus » when the module is on."""
    council = require_council(store)
    today = today or date.today()
    as_of = min(today, date(year, 12, 31))
    meetings = store.meetings.meetings_between(date(year, 1, 1), date(year, 12, 31))
    all_formations = store.formations.formations()
    formations = {f.id: f for f in all_formations}
    public_held = [m for m in meetings if m.status is MeetingStatus.HELD and not formations[m.formation_id].confidential]
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    plenary_decisions = [
        Decision(m, d.text) for m in public_held if m.formation_id == plenary.id
        for d in store.meetings.decisions(saved_id(m.id))]
    bilan = AnnualBilan(
        year=year, as_of=as_of, council=council, texts=store.annual_reports.texts(year),
        formations=_formation_activity(store, year, meetings, all_formations),
        plenary_members=store.formations.members(saved_id(plenary.id), on=as_of),
        plenary_changes=store.annual_reports.plenary_changes(year),
        signatories=store.formations.count_valid_signatories(on=as_of),
        charter_events=store.annual_reports.charter_events(year),
        attendance_by_institution=french_order(store.attendance_stats.by_organisation(
            date(year, 1, 1), date(year, 12, 31), public_only=True)),
        de_droit=[m for m in meetings if m.de_droit and m.status is not MeetingStatus.CANCELLED
                  and not formations[m.formation_id].confidential],  # dated: a confidential group's never
        prefect_presentations=[m for m in meetings if m.prefect_presentation and m.status is MeetingStatus.HELD],
        plenary_decisions=plenary_decisions,
        plan=plan_for_year(store, year),
        council_formations=all_formations,
        individual=BilanIndividual.of(bool(store.settings.get(SETUP_KEY)), individual),
    )
    if bilan.plan is not None:
        _add_plan(store, bilan, bilan.plan)
    return bilan


def _add_plan(store: Store, bilan: AnnualBilan, plan: Plan) -> None:
    plan_id = saved_id(plan.id)
    bilan.actions = store.plan.action_rows(plan_id, bilan.as_of)
    by_axis = totals_by_axis(bilan.actions)
    for number, axis in enumerate(store.plan.axes(plan_id), 1):
        cost, funding = by_axis.get(saved_id(axis.id), (0, FundingTotals()))
        bilan.axes.append(AxisProgress(number, axis.title, [a for a in bilan.actions if a.axis_id == axis.id],
                                       cost, funding))
    indicators = store.plan.indicators_of_plan(plan_id)
    bilan.indicators = [IndicatorLine(a, i, bilan.year) for a in bilan.actions for i in indicators.get(a.id, [])]
    bilan.funding_lines = [(a, f) for a in bilan.actions for f in a.funding if f.year == bilan.year]


def membership_summary(members: list[MemberItem]) -> dict[MembershipCategory, int]:
    counts: dict[MembershipCategory, int] = {}
    for item in members:
        counts[item.membership.category] = counts.get(item.membership.category, 0) + 1
    return {c: counts[c] for c in MembershipCategory if c in counts}


def institutions_in_order(members: list[MemberItem]) -> list[str]:
    """Organisations of the plenary, in protocol order, each once (persons are not listed)."""
    seen: dict[str, None] = {}
    for item in members:
        seen.setdefault(item.organisation_name or item.contact.full_name, None)
    return list(seen)
