"""First launch: describe the council once, then see the legal obligations that follow; when the council has
never held a plenary, the last page offers to convene the first one (with the guide's agenda)."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import partial

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.council import Commune, Council, CouncilKind
from clspd_desktop.domain.meetings import day_warning
from clspd_desktop.domain.validation import validate_council
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services.operations import council as ops
from clspd_desktop.services.operations import meeting_copies as copies
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.accessibility import apply_tree
from clspd_desktop.ui.council.council_form import CommunesSection, GovernanceSection, IdentitySection
from clspd_desktop.ui.council.obligations_view import ObligationsView
from clspd_desktop.ui.meetings.meeting_dialog import default_signatory
from clspd_desktop.ui.widgets.date_field import DateField
from clspd_desktop.ui.widgets.scrolling import scrolled
from clspd_desktop.ui.widgets.unsaved import ask_before_losing, field_state


class _SectionPage(QWizardPage):
    def __init__(self, title: str, subtitle: str, section: QWidget, check) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.section = section
        self._check = check
        # the wizard keeps a page at the height it first gave it: the error messages that appear under the
        # fields clipped the logo's frame at the bottom. The page fills the wizard and its section scrolls.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.area = scrolled(section)
        layout.addWidget(self.area)

    def validatePage(self) -> bool:
        return self._check()


class FirstPlenaryBox(QGroupBox):
    """« Convoquer la première réunion plénière »: ticked, the plenary is created with the first plenary's
    agenda on the day chosen; left unticked, nothing is created."""

    def __init__(self) -> None:
        super().__init__("Première réunion plénière")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.convene = QCheckBox("Convoquer la première réunion plénière le")
        self.day = DateField()
        self.start = QTimeEdit(QTime(14, 0))
        self.start.setDisplayFormat("HH:mm")
        for widget in (self.convene, self.day, QLabel("à"), self.start):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {theme.colours().warning}; font-weight: bold;")
        layout.addWidget(self.warning)
        note = QLabel("Son ordre du jour suit le guide national : vote du règlement intérieur (ou constitution de "
                      "son groupe de rédaction), état des lieux, présentation du coordonnateur, définition des "
                      "groupes de travail. Vous inviterez les membres et enverrez les convocations depuis "
                      "« Réunions ».")
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {theme.colours().muted};")
        layout.addWidget(note)
        self.convene.toggled.connect(self._sync)
        self.day.textChanged.connect(self._warn)
        self._sync()
        self._warn()

    def _warn(self) -> None:
        """Weekend or public holiday (the school zone is chosen later, in Conseil › Documents et RGPD)."""
        try:
            day = self.day.value()
        except ValueError:
            day = None
        self.warning.setText(day_warning(day) if day else "")
        self.warning.setVisible(bool(self.warning.text()))

    def _sync(self) -> None:
        self.day.setEnabled(self.convene.isChecked())
        self.start.setEnabled(self.convene.isChecked())

    def starts_at(self) -> datetime | None:
        """The day and hour chosen; None when not ticked; ValueError (French) for a date not understood."""
        if not self.convene.isChecked():
            return None
        day = self.day.value()
        if day is None:
            raise ValueError("Indiquez la date de la première réunion plénière, ou décochez la case.")
        value = self.start.time()
        return datetime.combine(day, time(value.hour(), value.minute()))


class _ObligationsPage(QWizardPage):
    def __init__(self, view: ObligationsView, first_plenary: FirstPlenaryBox | None) -> None:
        super().__init__()
        self.setTitle("Vos obligations légales")
        self.setSubTitle("Calculées d'après votre description et le fichier daté des règles. "
                         "Tout reste modifiable ensuite dans « Conseil ».")
        layout = QVBoxLayout(self)
        layout.addWidget(view, 1)
        if first_plenary is not None:
            layout.addWidget(first_plenary)


class CouncilAssistant(QWizard):
    """Writes nothing until "Terminer"; cancelling with typed information asks whether to save it first
    (« Ne pas enregistrer » leaves the database empty)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Bienvenue dans CLSPD Desktop — description de votre conseil")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.resize(820, 640)
        self.council = Council(kind=CouncilKind.CLSPD, name="")
        self.identity = IdentitySection()
        self.communes = CommunesSection()
        self.governance = GovernanceSection()
        self.governance.charter_version.setText(self.council.charter_version)
        self.obligations = ObligationsView(ctx.rules, data_dir=ctx.paths.data_dir)
        intro = QLabel("Ces informations figurent sur toutes vos convocations et tous vos documents. "
                       "Les champs marqués * sont obligatoires.")
        intro.setWordWrap(True)
        identity_box = QWidget()
        box_layout = QVBoxLayout(identity_box)
        box_layout.addWidget(intro)
        box_layout.addWidget(self.identity)
        box_layout.addStretch(1)  # the page fills the wizard: what is left goes below the form
        self.identity_page = _SectionPage("Votre conseil", "CLSPD (une commune) ou CISPD (intercommunalité).",
                                          identity_box, self._check_identity)
        self.communes_page = _SectionPage("Communes membres", "Population et quartiers prioritaires (QPV).",
                                          self.communes, self._check_communes)
        self.governance_page = _SectionPage("Présidence et coordination",
                                            "Qui préside, qui coordonne, et les actes de gouvernance.",
                                            self.governance, self._check_governance)
        never_held = ctx.store.meetings.last_plenary_date(before=date(9999, 12, 31)) is None
        self.first_plenary = FirstPlenaryBox() if never_held else None
        self.obligations_page = _ObligationsPage(self.obligations, self.first_plenary)
        for page in (self.identity_page, self.communes_page, self.governance_page, self.obligations_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Terminer et enregistrer")
        self._blank = field_state(self)
        apply_tree(self)  # run by app.py before the main window: not through widgets.modal

    def has_unsaved_changes(self) -> bool:
        return field_state(self) != self._blank

    def reject(self) -> None:
        """Annuler, Échap or the window's cross."""
        if self.has_unsaved_changes() and not ask_before_losing(self, "La description du conseil",
                                                                self._save_from_any_page):
            return
        if self.result() != QDialog.DialogCode.Accepted:
            super().reject()

    def _save_from_any_page(self) -> bool:
        """« Enregistrer » asked before the last page: every page's checks, then save; False (the reason
        shown) keeps the assistant open."""
        checks = ((self.identity_page, self._check_identity), (self.communes_page, self._check_communes),
                  (self.governance_page, self._check_governance))
        for page, check in checks:
            if not check():
                messages.warn(self, "Enregistrement impossible",
                              f"Complétez d'abord la page « {page.title()} » : les champs à corriger sont "
                              "signalés en rouge.")
                return False
        self.accept()
        return self.result() == QDialog.DialogCode.Accepted

    def _check_identity(self) -> bool:
        self.identity.apply_to(self.council)
        self.communes.set_kind(self.council.kind)
        problems = {k: v for k, v in _field_errors(self.council).items() if k in ("name", "email", "phone")}
        self.identity.errors.show(problems)
        if not problems and not self.communes.model.communes and self.council.kind is CouncilKind.CLSPD:
            # a CLSPD covers one commune: start the table with it
            self.communes.model.add(Commune(name=self.council.city or self.council.name, population=0))
        return not problems

    def _check_communes(self) -> bool:
        self.communes.apply_to(self.council)
        problem = _field_errors(self.council).get("communes", "")
        self.communes.show_error(problem)
        return not problem

    def _check_governance(self) -> bool:
        problems = self.governance.date_errors()
        self.governance.apply_to(self.council)
        problems.update({k: v for k, v in _field_errors(self.council).items()
                         if k in ("coordinator_email", "coordinator_phone", "prefecture_email")})
        self.governance.errors.show(problems)
        if problems:
            return False
        self.obligations.show_for(self.council)
        return True

    def accept(self) -> None:
        try:
            plenary_at = self.first_plenary.starts_at() if self.first_plenary else None
        except ValueError as exc:
            messages.warn(self, "Date non reconnue", str(exc))
            return
        try:
            self.ctx.runner.call(partial(ops.save_council, council=self.council))
        except UserError as exc:
            messages.show_error(self, exc, "Enregistrement impossible")
            return
        self._blank = field_state(self)  # saved: nothing left to lose
        if plenary_at is not None:
            try:
                self.ctx.runner.call(partial(copies.convene_first_plenary, starts_at=plenary_at,
                                             signatory=default_signatory(self.ctx)))
            except UserError as exc:
                messages.show_error(self, exc, "Première réunion plénière non créée")
        super().accept()


def _field_errors(council: Council) -> dict[str, str]:
    try:
        validate_council(Council(**vars(council)))
    except ValidationError as exc:
        return exc.fields
    return {}
