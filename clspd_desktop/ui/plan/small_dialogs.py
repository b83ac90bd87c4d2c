"""The plan's small forms: the plan itself, an axis or objective, a funding line, an indicator."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.plan import (
    FIPD_PROGRAMMES,
    Axis,
    Funder,
    FundingLine,
    Indicator,
    Objective,
    Plan,
    euros,
    parse_euros,
    validate_funding_line,
)
from clspd_desktop.domain.text import format_number
from clspd_desktop.errors import ValidationError
from clspd_desktop.services.operations import plan as plan_ops
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.date_field import DateField
from clspd_desktop.ui.widgets.form_dialog import FormDialog


def money_field(cents: int) -> QLineEdit:
    field = QLineEdit(euros(cents, separator=" ").replace(" €", "") if cents else "")
    field.setPlaceholderText("0,00")
    field.setMaximumWidth(160)
    return field


def year_box(value: int, low: int, high: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(min(max(value, low), high))
    return box


class PlanDialog(FormDialog):
    def __init__(self, ctx: AppContext, plan: Plan | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Modifier le plan" if plan else "Nouveau plan d'actions", parent)
        self.ctx = ctx
        year = date.today().year
        self.plan = plan or Plan(title="Stratégie territoriale de sécurité et de prévention de la délinquance",
                                 start_year=year, end_year=year + 2)
        self.title = self.add_field("Titre *", QLineEdit(self.plan.title), "title")
        self.start_year = self.add_field("Première année", year_box(self.plan.start_year, 2000, 2100), "years")
        self.end_year = self.add_field("Dernière année", year_box(self.plan.end_year, 2000, 2100), "end_year")
        self.adopted_on = self.add_field("Adopté en plénière le", DateField(self.plan.adopted_on), "adopted_on")
        self.notes = self.add_field("Notes", QPlainTextEdit(self.plan.notes), "notes")
        self.notes.setFixedHeight(70)

    def save(self) -> None:
        try:
            adopted = self.adopted_on.value()
        except ValueError as exc:
            raise ValidationError({"adopted_on": str(exc)}) from None
        plan = Plan(id=self.plan.id, title=self.title.text(), start_year=self.start_year.value(),
                    end_year=self.end_year.value(), adopted_on=adopted, notes=self.notes.toPlainText())
        self.plan = self.ctx.runner.call(partial(plan_ops.save_plan, plan=plan))


class TitleDialog(FormDialog):
    """An axis or an objective: a title and an optional description."""

    def __init__(self, ctx: AppContext, item: Axis | Objective, parent: QWidget | None = None) -> None:
        kind = "l'axe" if isinstance(item, Axis) else "l'objectif"
        super().__init__(f"Modifier {kind}" if item.id else ("Nouvel axe" if isinstance(item, Axis)
                                                             else "Nouvel objectif"), parent)
        self.ctx = ctx
        self.item = item
        self.title = self.add_field("Intitulé *", QLineEdit(item.title), "title")
        self.description = self.add_field("Description", QPlainTextEdit(item.description), "description")
        self.description.setFixedHeight(90)

    def save(self) -> None:
        item = replace(self.item, title=self.title.text(), description=self.description.toPlainText())
        self.item = self.ctx.runner.call(partial(plan_ops.save_heading, item=item))


def _amount(field: QLineEdit, key: str, errors: dict[str, str]) -> int:
    try:
        return parse_euros(field.text())
    except ValueError as exc:
        errors[key] = str(exc)
        return 0


class FundingDialog(FormDialog):
    """One funding line; checked here (amounts, year) and again with the whole action on save."""

    def __init__(self, plan: Plan, line: FundingLine | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Modifier le financement" if line else "Nouveau financement", parent)
        self.plan = plan
        self.line = line or FundingLine(year=plan.start_year, funder=Funder.FIPD)
        self.year = self.add_field("Année", year_box(self.line.year, plan.start_year - 1, plan.end_year + 1), "year")
        self.funder = self.add_field("Financeur", ChoiceBox((f.label, f) for f in Funder), "funder")
        self.funder.select(self.line.funder)
        self.programme = QComboBox()
        self.programme.setEditable(True)
        self.programme.addItems(["", *FIPD_PROGRAMMES])
        self.programme.setCurrentText(self.line.programme)
        self.add_field("Programme FIPD ou nom du financeur", self.programme, "programme")
        self.requested = self.add_field("Montant demandé (€)", money_field(self.line.requested_cents), "requested")
        self.granted = self.add_field("Montant accordé (€)", money_field(self.line.granted_cents), "granted")
        self.paid = self.add_field("Montant versé (€)", money_field(self.line.paid_cents), "paid")
        self.report = self.add_field("Bilan FIPD transmis le", DateField(self.line.report_sent_on), "report")

    def save(self) -> None:
        errors: dict[str, str] = {}
        requested = _amount(self.requested, "requested", errors)
        granted = _amount(self.granted, "granted", errors)
        paid = _amount(self.paid, "paid", errors)
        try:
            report = self.report.value()
        except ValueError as exc:
            errors["report"] = str(exc)
            report = None
        if errors:
            raise ValidationError(errors)
        line = FundingLine(year=self.year.value(), funder=self.funder.value(), programme=self.programme.currentText(),
                           requested_cents=requested, granted_cents=granted, paid_cents=paid,
                           report_sent_on=report, notes=self.line.notes, id=self.line.id)
        self.line = validate_funding_line(line, self.plan)


class IndicatorDialog(FormDialog):
    """Name, unit, baseline, target and the actual value of each year of the plan."""

    def __init__(self, plan: Plan, indicator: Indicator | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Modifier l'indicateur" if indicator else "Nouvel indicateur", parent)
        self.plan = plan
        self.indicator = indicator or Indicator(name="")
        ind = self.indicator
        self.name = self.add_field("Indicateur *", QLineEdit(ind.name), "name")
        self.unit = self.add_field("Unité", QLineEdit(ind.unit), "unit")
        self.baseline = self.add_field("Valeur de départ", QLineEdit(format_number(ind.baseline)), "baseline")
        self.target = self.add_field("Cible", QLineEdit(format_number(ind.target)), "target")
        self.years = {}
        for year in sorted({*plan.years, *ind.values}):
            self.years[year] = self.add_field(f"Réalisé {year}", QLineEdit(format_number(ind.values.get(year))),
                                              f"y{year}")

    @staticmethod
    def _number(text: str, key: str, errors: dict[str, str]) -> float | None:
        cleaned = text.replace("\u202f", "").replace(" ", "").replace(",", ".").strip()
        if not cleaned:
            return None
        try:
            return float(cleaned)
        except ValueError:
            errors[key] = f"Nombre non reconnu : « {text.strip()} »."
            return None

    def save(self) -> None:
        errors: dict[str, str] = {}
        if not self.name.text().strip():
            errors["name"] = "Le nom de l'indicateur est obligatoire."
        baseline = self._number(self.baseline.text(), "baseline", errors)
        target = self._number(self.target.text(), "target", errors)
        values = {}
        for year, field in self.years.items():
            value = self._number(field.text(), f"y{year}", errors)
            if value is not None:
                values[year] = value
        if errors:
            raise ValidationError(errors)
        self.indicator = Indicator(name=self.name.text().strip(), unit=self.unit.text().strip(), baseline=baseline,
                                   target=target, values=values, id=self.indicator.id)

