"""The council-level documents of the « Rapports » area other than the bilan: composition, draft arrêté,
partners directory and action plan. Each panel says what the document holds, why it may not be ready yet,
and produces it through the shared save flow, on the runner's worker (a large council's directory or plan
takes seconds)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import long_date, parse_date
from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.services.operations import reports as report_ops
from clspd_desktop.services.reports.common import plural
from clspd_desktop.ui import theme
from clspd_desktop.ui.file_export import PrintSwitch, print_on_worker, produce_file_on_worker
from clspd_desktop.ui.reports.common import (
    PDF_FILTER,
    Today,
    contents_label,
    notice_label,
    panel_heading,
    plain_label,
    show_notice,
)
from clspd_desktop.ui.runner import Operation
from clspd_desktop.ui.widgets.flow_layout import FlowLayout


class DocumentPanel(QWidget):
    """Heading, contents, optional choices, current facts, a reason when not ready, « Produire le PDF… »."""

    title = ""
    caption = ""  # one line under the title in the list of reports
    explanation = ""
    contents: tuple[str, ...] = ()
    button_label = "Produire le PDF…"

    def __init__(self, ctx: AppContext, today: Today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        panel_heading(layout, self.title, self.explanation)
        layout.addWidget(contents_label(list(self.contents)))
        self.options = QFormLayout()
        layout.addLayout(self.options)
        self.facts = plain_label(style=f"color: {theme.colours().muted};")
        self.facts.setObjectName("facts")
        layout.addWidget(self.facts)
        self.notice = notice_label()
        layout.addWidget(self.notice)
        row = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the panel
        self.produce_button = QPushButton(self.button_label)
        self.produce_button.setToolTip("Choisir où enregistrer le document, puis le produire (Ctrl+P)")
        self.produce_button.setDefault(True)
        self.produce_button.setMinimumHeight(34)
        self.produce_button.clicked.connect(self.produce)
        row.addWidget(self.produce_button)
        self.print_button = QPushButton("Imprimer")
        self.print_button.setToolTip("Produire le document et l'envoyer à l'imprimante par défaut")
        self.print_button.setMinimumHeight(34)
        self.print_button.clicked.connect(self.print_document)
        row.addWidget(self.print_button)
        self.printing = PrintSwitch()
        row.addStretch()
        layout.addSpacing(6)
        layout.addLayout(row)
        layout.addStretch()

    def refresh(self) -> None:
        """Read the current state again (called when the area or the panel is shown)."""
        reason = self.not_ready_reason()
        show_notice(self.notice, reason)
        self.produce_button.setEnabled(not reason)
        self.print_button.setEnabled(not reason)

    def not_ready_reason(self) -> str:
        return ""

    def produce(self) -> bool:
        """Ask where, then write the document on the worker; False when nothing was started."""
        raise NotImplementedError

    def print_document(self) -> bool:
        """The document `produce` makes, sent to the printer instead of saved where the user chooses."""
        return bool(self.printing.run(self.produce))

    def _produce(self, stem: str, write: Callable[[Path], Operation[Path]], done: str) -> bool:
        if not self.produce_button.isEnabled():
            return False
        label = f"Préparation : {self.title.lower()}…"
        if self.printing.on:
            return print_on_worker(self, self.ctx, f"{self.title} (impression)", stem, write, label=label,
                                   day=self.today())
        return produce_file_on_worker(self, self.ctx, f"{self.title} (PDF)", stem, ".pdf", PDF_FILTER, write, done,
                                      self.today(), label=label)


class CompositionPanel(DocumentPanel):
    title = "Composition du conseil"
    caption = "La liste des membres, dans l'ordre protocolaire"
    explanation = ("La liste des membres d'une formation à la date du jour, dans l'ordre protocolaire, telle "
                   "qu'on l'annexe à l'arrêté de composition ou qu'on la remet en séance.")
    contents = ("les membres de droit, les membres désignés et associés, puis les personnalités qualifiées ;",
                "pour chacun : nom, fonction, organisation, titulaire ou suppléant ;",
                "la référence de l'arrêté de composition enregistré (écran « Conseil ») ;",
                "le bloc de signature du président.")

    def __init__(self, ctx: AppContext, today: Today, parent: QWidget | None = None) -> None:
        super().__init__(ctx, today, parent)
        self.formation = QComboBox()
        self.formation.setAccessibleName("Formation")
        self.options.addRow("&Formation :", self.formation)
        self.formation.currentIndexChanged.connect(lambda _: self._show_facts())

    def refresh(self) -> None:
        chosen = self.formation.currentData()
        self.formation.blockSignals(True)
        self.formation.clear()
        for formation in self.ctx.store.formations.formations():
            label = formation.display_name + (" (confidentiel)" if formation.confidential else "")
            self.formation.addItem(label, formation.id)
        index = self.formation.findData(chosen)
        self.formation.setCurrentIndex(max(0, index))
        self.formation.blockSignals(False)
        self._show_facts()
        super().refresh()

    def _show_facts(self) -> None:
        formation_id = self.formation.currentData()
        if formation_id is None:
            self.facts.clear()
            return
        members = self.ctx.store.formations.members(formation_id, on=self.today())
        self.facts.setText(f"Au {long_date(self.today())} : {plural(len(members), 'membre', 'membres')}.")

    def produce(self) -> bool:
        formation_id, today = self.formation.currentData(), self.today()
        return self._produce("composition-conseil",
                             lambda path: partial(report_ops.composition_pdf, formation_id=formation_id, path=path,
                                                  today=today),
                             "La composition a été enregistrée dans :")


class CompositionOrderPanel(DocumentPanel):
    title = "Projet d'arrêté de composition"
    caption = "Le projet à transmettre au service juridique"
    explanation = ("Le projet d'arrêté du maire (ou du président de l'EPCI) fixant la composition du conseil, "
                   "préparé à partir des membres enregistrés. Il porte la mention « PROJET » : faites-le vérifier "
                   "par le service juridique, qui le numérote et le date avant signature.")
    contents = ("les visas, dont l'arrêté de composition en vigueur qu'il remplace, et les considérants ; le "
                "numéro et la date du nouvel arrêté sont laissés en blanc ;",
                "article 1er : les membres de la formation plénière dans l'ordre protocolaire ;",
                "article 2 : la présidence et la coordination ; article 3 : la formation restreinte et les "
                "groupes de travail (sans la liste nominative des groupes confidentiels) ;",
                "l'abrogation de l'arrêté précédent, l'exécution et la transmission au préfet.")

    def refresh(self) -> None:
        council = self.ctx.store.council.get()
        number = council.composition_order_number.strip() if council else ""
        when = ""
        if council and council.composition_order_date:
            try:
                parsed = parse_date(council.composition_order_date)
            except ValueError:
                parsed = None
            when = f" du {long_date(parsed)}" if parsed else ""
        if number or when:
            self.facts.setText(f"Arrêté en vigueur (écran « Conseil ») : n° {number or '____'}{when}. Le projet le "
                               "cite dans ses visas et l'abroge ; son propre numéro et sa date restent en blanc "
                               "pour le service juridique.")
        else:
            self.facts.setText("Aucun arrêté de composition n'est enregistré : le projet laissera son numéro et "
                               "sa date en blanc, à compléter par le service juridique.")
        super().refresh()

    def not_ready_reason(self) -> str:
        plenary = next((f for f in self.ctx.store.formations.formations() if f.kind is FormationKind.PLENARY), None)
        if plenary is None or not self.ctx.store.formations.count_members(plenary.id, on=self.today()):
            return ("La formation plénière n'a encore aucun membre : ajoutez-les dans « Partenaires », onglet "
                    "« Formations et groupes », puis revenez ici.")
        return ""

    def produce(self) -> bool:
        today = self.today()
        return self._produce("projet-arrete-composition",
                             lambda path: partial(report_ops.composition_order_pdf, path=path, today=today),
                             "Le projet d'arrêté a été enregistré dans :")


class DirectoryPanel(DocumentPanel):
    title = "Annuaire des partenaires"
    caption = "Organisations et référents, avec leurs coordonnées"
    explanation = ("L'annuaire de toutes les organisations partenaires et de leurs référents, regroupés dans "
                   "l'ordre protocolaire, à distribuer aux membres du conseil.")
    contents = ("chaque organisation avec son adresse, son téléphone et son courriel ;",
                "ses référents titulaires et suppléants, avec leur fonction et leurs coordonnées ;",
                "les référents rattachés à aucune organisation.")

    def refresh(self) -> None:
        directory = self.ctx.store.directory
        self.facts.setText(f"{plural(directory.count_organisations(), 'organisation', 'organisations', feminine=True)}, "
                           f"{plural(directory.count_contacts(), 'référent', 'référents')}.")
        super().refresh()

    def produce(self) -> bool:
        today = self.today()
        return self._produce("annuaire-partenaires",
                             lambda path: partial(report_ops.directory_pdf, path=path, today=today),
                             "L'annuaire a été enregistré dans :")


class PlanPanel(DocumentPanel):
    title = "Plan d'actions"
    caption = "Axes, objectifs, fiches-actions et financements"
    explanation = ("Le plan local d'actions (stratégie territoriale) complet, pour le suivi en formation "
                   "restreinte et l'évaluation en plénière.")
    contents = ("une synthèse par axe : nombre d'actions, avancement, coût, financements demandés et accordés ;",
                "les financements par financeur et par année ;",
                "chaque axe, objectif et fiche-action dans l'ordre du plan.")

    def __init__(self, ctx: AppContext, today: Today, parent: QWidget | None = None) -> None:
        super().__init__(ctx, today, parent)
        self.periods: dict[int, str] = {}
        self.plan = QComboBox()
        self.plan.setAccessibleName("Plan")
        self.plan_label = QLabel("&Plan :")
        self.plan_label.setBuddy(self.plan)
        self.options.addRow(self.plan_label, self.plan)

    def refresh(self) -> None:
        chosen = self.plan.currentData()
        plans = self.ctx.store.plan.plans()
        self.periods = {plan.id: plan.period for plan in plans}
        self.plan.clear()
        for plan in plans:
            self.plan.addItem(f"{plan.title} ({plan.period})", plan.id)
        current = self.ctx.store.plan.current_plan(self.today())
        index = self.plan.findData(chosen if chosen is not None else (current.id if current else None))
        self.plan.setCurrentIndex(max(0, index))
        self.facts.setText("" if plans else "Aucun plan d'actions n'est enregistré.")
        super().refresh()

    def not_ready_reason(self) -> str:
        if self.plan.count() == 0:
            return ("Il n'y a pas encore de plan d'actions : créez-le dans la rubrique « Plan d'actions » "
                    "(Ctrl+5), puis revenez ici.")
        return ""

    def produce(self) -> bool:
        plan_id, today = self.plan.currentData(), self.today()
        if plan_id is None:
            return False
        return self._produce(f"plan-actions-{self.periods[plan_id]}",
                             lambda path: partial(report_ops.plan_pdf, plan_id=plan_id, path=path, today=today),
                             "Le plan d'actions a été enregistré dans :")
