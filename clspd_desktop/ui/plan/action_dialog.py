"""The fiche-action editor: every field of an action in five tabs; "Enregistrer" runs the `save_action`
operation, which validates and writes the action with its partners, referents, tags, funding and indicators
in one transaction (all or nothing). A sixth tab, read-only, lists the meetings where the action was
discussed (links made from the minutes). Closing with unsaved edits asks first (FormDialog); typing in a
list's filter is not an edit."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.plan import (
    Action,
    ActionStatus,
    FundingLine,
    Indicator,
    Plan,
    bilan_reminders,
    euros,
    fipd_warning,
    load_plan_references,
    parse_euros,
    totals,
)
from clspd_desktop.domain.plan_links import MeetingMention
from clspd_desktop.domain.text import format_number, sort_key
from clspd_desktop.errors import ValidationError
from clspd_desktop.paths import resources_dir
from clspd_desktop.services.operations import plan as plan_ops
from clspd_desktop.ui import theme
from clspd_desktop.ui.plan.pickers import CheckList, edited_state
from clspd_desktop.ui.plan.small_dialogs import FundingDialog, IndicatorDialog, money_field
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.date_field import DateField
from clspd_desktop.ui.widgets.form_dialog import FormDialog
from clspd_desktop.ui.widgets.record_table import Column, RecordTable
from clspd_desktop.ui.widgets.rows import button_row

FUNDING_COLUMNS = [
    Column("Année", lambda f: str(f.year), 60, sort_key=lambda f: f.year),
    Column("Financeur", lambda f: f.funder_label, 260),
    Column("Demandé", lambda f: euros(f.requested_cents, separator=" "), 110, sort_key=lambda f: f.requested_cents),
    Column("Accordé", lambda f: euros(f.granted_cents, separator=" "), 110, sort_key=lambda f: f.granted_cents),
    Column("Versé", lambda f: euros(f.paid_cents, separator=" "), 110, sort_key=lambda f: f.paid_cents),
    Column("Bilan FIPD", lambda f: short_date(f.report_sent_on) or ("à transmettre" if f.bilan_due else ""), 100),
]
INDICATOR_COLUMNS = [
    Column("Indicateur", lambda i: i.name, 240),
    Column("Unité", lambda i: i.unit, 80),
    Column("Départ", lambda i: format_number(i.baseline), 70, sort_key=lambda i: i.baseline or 0),
    Column("Cible", lambda i: format_number(i.target), 70, sort_key=lambda i: i.target or 0),
    Column("Réalisé", lambda i: " ; ".join(f"{y} : {format_number(v)}" for y, v in sorted(i.values.items())), 220),
    Column("Atteinte", lambda i: f"{round(100 * i.achievement)} %" if i.achievement is not None else "", 70,
           sort_key=lambda i: i.achievement or 0),
]
MEETING_COLUMNS = [
    Column("Date", lambda m: m.day_label, 180, sort_key=lambda m: m.starts_at),
    Column("Réunion", lambda m: m.meeting_label + (" (confidentiel)" if m.confidential else ""), 300),
    Column("Décision ou action décidée", lambda m: m.what.replace("\n", " "), 420),
]
TABS = ("Fiche", "Partenaires et référents", "Financements", "Indicateurs", "Évaluation et orientations",
        "Réunions")
FIELD_TAB = {"funding": 2, "total_cost": 0, "indicators": 3, "evaluation": 4}


class ActionDialog(FormDialog):
    def __init__(self, ctx: AppContext, plan: Plan, action: Action, parent: QWidget | None = None) -> None:
        super().__init__("Modifier la fiche-action" if action.id else "Nouvelle fiche-action", parent)
        self.setMinimumSize(860, 640)
        self.ctx = ctx
        self.plan = plan
        self.action = action
        self.link: plan_ops.Link | None = None  # the decision or action item of the minutes it is drawn from
        self.funding: list[FundingLine] = list(action.funding)
        self.indicators: list[Indicator] = list(action.indicators)
        self.tabs = QTabWidget()
        self.form.addRow(self.tabs)
        self._build_main_tab()
        self._build_people_tab()
        self._build_funding_tab()
        self._build_indicators_tab()
        self._build_evaluation_tab()
        self._build_meetings_tab()
        self._show_funding()
        self._show_indicators()
        self.title.setFocus()

    def _tab(self, title: str) -> tuple[QWidget, QFormLayout]:
        page = QWidget()
        outer = QVBoxLayout(page)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(form)
        outer.addStretch(1)  # rows keep their natural height instead of sharing the tab's
        self.tabs.addTab(page, title)
        return page, form

    def _field(self, form: QFormLayout, label: str, widget: QWidget, field: str) -> QWidget:
        self.errors.add_row(form, label, widget, field)
        return widget

    def _build_main_tab(self) -> None:
        a = self.action
        _, form = self._tab(TABS[0])
        numbers, objectives = {}, []
        axes = {x.id: n for n, x in enumerate(self.ctx.store.plan.axes(self.plan.id), 1)}
        for o in self.ctx.store.plan.objectives(self.plan.id):
            numbers[o.axis_id] = numbers.get(o.axis_id, 0) + 1
            objectives.append((f"{axes[o.axis_id]}.{numbers[o.axis_id]} – {o.title}", o.id))
        if a.objective_id is None and objectives:  # an action drawn from the minutes: the user must choose
            objectives.insert(0, ("(choisissez l'objectif)", None))
        self.has_objectives = len(objectives) > 0
        self.objective = self._field(form, "Objectif *", ChoiceBox(objectives), "objective")
        self.objective.select(a.objective_id)
        self.title = self._field(form, "Intitulé *", QLineEdit(a.title), "title")
        self.description = self._field(form, "Description", QPlainTextEdit(a.description), "description")
        self.description.setFixedHeight(80)
        self.target_public = self._field(form, "Public visé", QLineEdit(a.target_public), "target_public")
        self.territory = self._field(form, "Territoire (communes, quartier)", QLineEdit(a.territory), "territory")
        communes = [c.name for c in self.ctx.store.council.communes()]
        self.territory.setPlaceholderText(", ".join(communes[:4]) + (" – quartier…" if communes else ""))
        organisations = sorted(self.ctx.store.directory.organisations(), key=lambda o: sort_key(o.name))
        self.lead = self._field(form, "Chef de file", ChoiceBox([("(à désigner)", None),
                                                                 *[(o.name, o.id) for o in organisations]]), "lead")
        self.lead.select(a.lead_organisation_id)
        self.start_date = self._field(form, "Début", DateField(a.start_date), "start_date")
        self.end_date = self._field(form, "Fin", DateField(a.end_date), "end_date")
        self.status = self._field(form, "Statut", ChoiceBox((s.label, s) for s in ActionStatus), "status")
        self.status.select(a.status)
        self.progress = QSpinBox()
        self.progress.setRange(0, 100)
        self.progress.setSuffix(" %")
        self.progress.setValue(a.progress)
        self._field(form, "Avancement", self.progress, "progress")
        self.total_cost = self._field(form, "Coût total de l'action (€)", money_field(a.total_cost_cents), "total_cost")
        self.total_cost.textChanged.connect(lambda _t: self._show_funding())

    def _build_people_tab(self) -> None:
        page = QWidget()
        row = QHBoxLayout(page)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(QLabel("Partenaires associés"))
        self.partners = CheckList("Filtrer les organisations…")
        self.partners.list.setAccessibleName("Partenaires associés")
        organisations = sorted(self.ctx.store.directory.organisations(), key=lambda o: sort_key(o.name))
        self.partners.set_items(((o.name, o.id) for o in organisations), self.action.partner_ids)
        left.addWidget(self.partners)
        right.addWidget(QLabel("Référents nommés"))
        self.referents = CheckList("Filtrer les référents…")
        self.referents.list.setAccessibleName("Référents nommés")
        contacts = self.ctx.store.directory.contacts()
        self.referents.set_items(((f"{c.contact.sort_name} – {c.organisation_name}" if c.organisation_name
                                   else c.contact.sort_name, c.contact.id) for c in contacts),
                                 self.action.referent_ids)
        right.addWidget(self.referents)
        row.addLayout(left)
        row.addLayout(right)
        self.tabs.addTab(page, TABS[1])

    def _build_funding_tab(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.funding_table = RecordTable(FUNDING_COLUMNS, identity=id, sortable=False, name="Financements")
        layout.addWidget(self.funding_table, 1)
        self.add_funding_button = QPushButton("Ajouter un financement…")
        self.edit_funding_button = QPushButton("Modifier…")
        self.delete_funding_button = QPushButton("Retirer")
        layout.addLayout(button_row(self.add_funding_button, self.edit_funding_button, self.delete_funding_button))
        self.funding_summary = QLabel()
        self.funding_summary.setWordWrap(True)
        layout.addWidget(self.funding_summary)
        self.funding_warning = QLabel()
        self.funding_warning.setWordWrap(True)
        self.funding_warning.setStyleSheet(f"color: {theme.colours().warning}; font-weight: bold;")
        layout.addWidget(self.funding_warning)
        error = QLabel()
        self.errors.labels["funding"] = error
        error.setStyleSheet(f"color: {theme.colours().error};")
        error.setWordWrap(True)
        error.hide()
        layout.addWidget(error)
        self.tabs.addTab(page, TABS[2])
        self.add_funding_button.clicked.connect(self.add_funding)
        self.edit_funding_button.clicked.connect(self.edit_funding)
        self.funding_table.open_requested.connect(self.edit_funding)
        self.delete_funding_button.clicked.connect(self.delete_funding)
        self.funding_table.delete_requested.connect(self.delete_funding)

    def _build_indicators_tab(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.indicator_table = RecordTable(INDICATOR_COLUMNS, identity=id, sortable=False, name="Indicateurs")
        layout.addWidget(self.indicator_table, 1)
        self.add_indicator_button = QPushButton("Ajouter un indicateur…")
        self.edit_indicator_button = QPushButton("Modifier…")
        self.delete_indicator_button = QPushButton("Retirer")
        layout.addLayout(button_row(self.add_indicator_button, self.edit_indicator_button, self.delete_indicator_button))
        self.tabs.addTab(page, TABS[3])
        self.add_indicator_button.clicked.connect(self.add_indicator)
        self.edit_indicator_button.clicked.connect(self.edit_indicator)
        self.indicator_table.open_requested.connect(self.edit_indicator)
        self.delete_indicator_button.clicked.connect(self.delete_indicator)
        self.indicator_table.delete_requested.connect(self.delete_indicator)

    def _build_evaluation_tab(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Évaluation (présentée en formation plénière)"))
        self.evaluation = QPlainTextEdit(self.action.evaluation)
        self.evaluation.setFixedHeight(110)
        self.evaluation.setAccessibleName("Évaluation")
        self.evaluation.setAccessibleDescription("Présentée en formation plénière")
        layout.addWidget(self.evaluation)
        refs = load_plan_references(resources_dir() / "rules" / "plan_references.json", self.ctx.paths.data_dir)
        layout.addWidget(QLabel("Orientations nationales et départementales"))
        caption = QLabel(refs.dated_caption)
        caption.setWordWrap(True)
        caption.setStyleSheet(f"color: {theme.colours().muted};")
        layout.addWidget(caption)
        self.tags = CheckList("Filtrer les orientations…")
        self.tags.list.setAccessibleName("Orientations nationales et départementales")
        items = [(item.label, item.id) for item in refs.items.values()]
        items += [(refs.label(t), t) for t in self.action.tags if t not in refs.items]  # kept from an older list
        self.tags.set_items(items, self.action.tags)
        layout.addWidget(self.tags, 1)
        self.tabs.addTab(page, TABS[4])

    def _build_meetings_tab(self) -> None:
        """Read-only: links are made from each meeting's minutes, where the decision was taken."""
        page = QWidget()
        layout = QVBoxLayout(page)
        self.meetings: list[MeetingMention] = (
            self.ctx.store.links.meetings_for_action(self.action.id) if self.action.id is not None else [])
        if self.action.id is None:
            text = ("Enregistrez d'abord la fiche-action ; liez-la ensuite à une décision depuis le compte rendu "
                    "d'une réunion (Réunions › Compte rendu).")
        elif self.meetings:
            text = ("Décisions et actions décidées en réunion liées à cette fiche-action (les liens se font "
                    "depuis le compte rendu). Les groupes de travail confidentiels n'apparaissent jamais dans "
                    "la fiche-action imprimée.")
        else:
            text = ("Aucune réunion n'est encore liée à cette action : depuis le compte rendu d'une réunion, "
                    "choisissez « Lier au plan… » sur une décision ou une action décidée.")
        self.meetings_note = QLabel(text)
        self.meetings_note.setWordWrap(True)
        self.meetings_note.setStyleSheet(f"color: {theme.colours().muted};")
        layout.addWidget(self.meetings_note)
        self.meetings_table = RecordTable(MEETING_COLUMNS, identity=lambda m: (m.source, m.source_id),
                                          name="Réunions liées")
        self.meetings_table.set_records(self.meetings)
        layout.addWidget(self.meetings_table, 1)
        title = f"{TABS[5]} ({len(self.meetings)})" if self.meetings else TABS[5]
        self.tabs.addTab(page, title)

    # --- funding and indicators ----------------------------------------------------------------------
    def _cost_cents(self) -> int | None:
        try:
            return parse_euros(self.total_cost.text())
        except ValueError:
            return None

    def _show_funding(self) -> None:
        self.funding_table.set_records(self.funding)
        t = totals(self.funding)
        cost = self._cost_cents()
        self.funding_summary.setText(
            f"Coût total : {euros(cost, separator=' ') if cost is not None else '?'} – demandé "
            f"{euros(t.requested_cents, separator=' ')}, accordé {euros(t.granted_cents, separator=' ')}, "
            f"versé {euros(t.paid_cents, separator=' ')}")
        warnings = [fipd_warning(cost or 0, self.funding), *bilan_reminders(self.funding)]
        self.funding_warning.setText("\n".join(w for w in warnings if w))

    def _show_indicators(self) -> None:
        self.indicator_table.set_records(self.indicators)

    def add_funding(self) -> None:
        dialog = FundingDialog(self.plan, parent=self)
        if modal.run(dialog):
            self.funding.append(dialog.line)
            self._show_funding()

    def edit_funding(self) -> None:
        line = self.funding_table.current_record()
        if line is None:
            return
        dialog = FundingDialog(self.plan, line, self)
        if modal.run(dialog):
            self.funding[self.funding.index(line)] = dialog.line
            self._show_funding()

    def delete_funding(self) -> None:
        line = self.funding_table.current_record()
        if line is not None:
            self.funding.remove(line)
            self._show_funding()

    def add_indicator(self) -> None:
        dialog = IndicatorDialog(self.plan, parent=self)
        if modal.run(dialog):
            self.indicators.append(dialog.indicator)
            self._show_indicators()

    def edit_indicator(self) -> None:
        indicator = self.indicator_table.current_record()
        if indicator is None:
            return
        dialog = IndicatorDialog(self.plan, indicator, self)
        if modal.run(dialog):
            self.indicators[self.indicators.index(indicator)] = dialog.indicator
            self._show_indicators()

    def delete_indicator(self) -> None:
        indicator = self.indicator_table.current_record()
        if indicator is not None:
            self.indicators.remove(indicator)
            self._show_indicators()

    # --- saving --------------------------------------------------------------------------------------
    def _dates(self, errors: dict[str, str]) -> tuple[date | None, date | None]:
        values = []
        for key, field in (("start_date", self.start_date), ("end_date", self.end_date)):
            try:
                values.append(field.value())
            except ValueError as exc:
                errors[key] = str(exc)
                values.append(None)
        return values[0], values[1]

    def save(self) -> None:
        errors: dict[str, str] = {}
        start, end = self._dates(errors)
        cost = self._cost_cents()
        if cost is None:
            errors["total_cost"] = f"Montant non reconnu : « {self.total_cost.text().strip()} » (exemple : 12 500,00)."
        if self.objective.value() is None:
            errors["objective"] = ("Choisissez l'objectif auquel rattacher l'action." if self.has_objectives
                                   else "Créez d'abord un axe et un objectif.")
        if errors:
            raise ValidationError(errors)
        action = Action(
            id=self.action.id, objective_id=self.objective.value(), title=self.title.text(),
            description=self.description.toPlainText(), target_public=self.target_public.text().strip(),
            territory=self.territory.text().strip(), lead_organisation_id=self.lead.value(), start_date=start,
            end_date=end, status=self.status.value(), progress=self.progress.value(), total_cost_cents=cost,
            evaluation=self.evaluation.toPlainText(), partner_ids=self.partners.checked_values(),
            referent_ids=self.referents.checked_values(), tags=self.tags.checked_values(),
            funding=[FundingLine(**{**vars(f), "id": None}) for f in self.funding],
            indicators=[Indicator(**{**vars(i), "id": None, "values": dict(i.values)}) for i in self.indicators],
            position=self.action.position)
        self.action = self.ctx.runner.call(partial(plan_ops.save_action, action=action, link=self.link))

    def mark_saved(self) -> None:
        self._saved_state = edited_state(self)

    def has_unsaved_changes(self) -> bool:
        return self._saved_state is not None and edited_state(self) != self._saved_state

    def accept(self) -> None:
        """As FormDialog, then bring the tab holding the first error to the front."""
        super().accept()
        shown = [field for field, label in self.errors.labels.items() if not label.isHidden()]
        if shown:
            self.tabs.setCurrentIndex(FIELD_TAB.get(shown[0], 0))
