"""The annual bilan: the year, the texts only the coordinator can write (evaluation, orientations,
membership changes, RGPD status), and the PDF. Every figure of the bilan is computed from the data; these
texts are the rest (domain.md, « What the annual bilan carries »).

The texts are saved by the `save_bilan_texts` operation; the bilan is computed and written on the runner's
worker. Leaving the texts unsaved (another year, another area, closing) asks first."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.annual_report import MAX_TEXT_LENGTH, AnnualReportTexts, last_complete_year
from clspd_desktop.domain.text import format_number
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services.operations import reports as report_ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.file_export import print_on_worker, produce_file_on_worker
from clspd_desktop.ui.reports.common import (
    PDF_FILTER,
    Today,
    panel_heading,
    plain_label,
)
from clspd_desktop.ui.widgets.flow_layout import FlowLayout

TEXT_FIELDS = (
    ("evaluation", "Évaluation", "Ce que l'année a permis, ce qui a moins bien fonctionné, les difficultés "
                                 "rencontrées par les partenaires…"),
    ("orientations", "Orientations", "Les orientations proposées à la formation plénière pour l'année à venir…"),
    ("membership_changes", "Évolutions de la composition", "Arrivées, départs, nouveaux référents, nouvel arrêté "
                                                           "de composition…"),
)


def _unsaved() -> str:
    return f"color: {theme.colours().warning}; font-weight: bold;"


def _saved() -> str:
    return f"color: {theme.colours().muted};"


def _tabs_style() -> str:
    """Our own tab look: Fusion clips the accent of « É » on unselected tabs (« Évolutions » read
    « Evolutions »)."""
    c = theme.colours()
    return (f"QTabWidget::pane {{ border: 1px solid {c.border}; top: -1px; background: {c.base}; }} "
            f"QTabBar::tab {{ padding: 0.5em 1em; margin-right: 2px; border: 1px solid {c.border}; "
            "border-bottom: none; border-top-left-radius: 4px; border-top-right-radius: 4px; "
            f"background: {c.subtle}; color: {c.muted}; }} "
            f"QTabBar::tab:selected {{ background: {c.base}; color: {c.accent}; }} "
            f"QTabBar::tab:hover:!selected {{ background: {c.hover}; }} ")


class _TextTab(QWidget):
    """One text of the bilan, with its character count and the message when it cannot be saved."""

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(placeholder)
        self.editor.setTabChangesFocus(True)
        layout.addWidget(self.editor)
        footer = QHBoxLayout()
        self.error = plain_label(style=f"color: {theme.colours().error};")
        self.error.hide()
        footer.addWidget(self.error, 1)
        self.count = QLabel()
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight)
        footer.addWidget(self.count)
        layout.addLayout(footer)
        self.editor.textChanged.connect(self._count)
        self._count()

    def _count(self) -> None:
        length = len(self.editor.toPlainText())
        self.count.setText(f"{format_number(length)} / {format_number(MAX_TEXT_LENGTH)} caractères")
        self.count.setStyleSheet(f"color: {theme.colours().error}; font-weight: bold;" if length > MAX_TEXT_LENGTH
                                 else _saved())

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))


class BilanPanel(QWidget):
    title = "Bilan annuel"
    caption = "Pour la plénière et la préfecture"

    def __init__(self, ctx: AppContext, today: Today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.stored: AnnualReportTexts | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        panel_heading(layout, self.title, (
            "Le bilan de l'année pour la formation plénière et pour la préfecture : gouvernance, réunions et "
            "présences, présentation du préfet, avancement du plan, financements. Les chiffres sont calculés à "
            "partir des données ; écrivez ici ce que vous seul pouvez dire de l'année."))

        top = QHBoxLayout()
        self.year = QComboBox()
        self.year.setAccessibleName("Année du bilan")
        self.year.setMinimumWidth(110)
        year_label = QLabel("&Année du bilan :")
        year_label.setBuddy(self.year)
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addSpacing(16)
        self.state = QLabel()
        self.state.setObjectName("bilanState")
        top.addWidget(self.state)
        top.addStretch()
        layout.addLayout(top)

        self.tabs = QTabWidget()
        self.tabs.setStyleSheet(_tabs_style())
        self.text_tabs: dict[str, _TextTab] = {}
        for field, label, placeholder in TEXT_FIELDS:
            tab = _TextTab(placeholder)
            tab.editor.setAccessibleName(label)  # the tab's title; the placeholder says what to write
            tab.editor.setAccessibleDescription(placeholder)
            self.text_tabs[field] = tab
            self.tabs.addTab(tab, label)
            tab.editor.textChanged.connect(self._show_state)
        self.tabs.addTab(self._rgpd_tab(), "Protection des données (RGPD)")
        layout.addWidget(self.tabs, 1)

        self.year_error = plain_label(style=f"color: {theme.colours().error};")
        self.year_error.hide()
        layout.addWidget(self.year_error)
        row = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the panel
        self.save_button = QPushButton("Enregistrer (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        self.produce_button = QPushButton("Produire le bilan PDF…")
        self.produce_button.setToolTip("Enregistre les textes, puis produit le bilan de l'année choisie (Ctrl+P)")
        self.produce_button.setDefault(True)
        self.produce_button.setMinimumHeight(34)
        self.produce_button.clicked.connect(self.produce)
        row.addWidget(self.produce_button)
        self.print_button = QPushButton("Imprimer")
        self.print_button.setToolTip("Enregistre les textes, produit le bilan et l'envoie à l'imprimante")
        self.print_button.setMinimumHeight(34)
        self.print_button.clicked.connect(lambda: self.produce(printing=True))
        row.addWidget(self.print_button)
        layout.addLayout(row)

        self.year.currentIndexChanged.connect(self._year_chosen)
        self.refresh()

    def _rgpd_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(plain_label(
            "Toute commune doit désigner un délégué à la protection des données (RGPD, art. 37) et tenir un "
            "registre des traitements (art. 30) ; la CNIL demande une analyse d'impact pour le suivi des "
            "situations individuelles. Le bilan reprend ce que vous indiquez ici.", f"color: {theme.colours().muted};"))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a 14 pt font must not widen the window
        self.dpo = QLineEdit()
        self.dpo.setPlaceholderText("Nom du délégué ou de la structure mutualisée")
        form.addRow("&Délégué à la protection des données :", self.dpo)
        self.register = QCheckBox("Traitement inscrit au &registre")
        self.dpia = QCheckBox("Analyse d'impact (&AIPD) réalisée")
        form.addRow("", self.register)
        form.addRow("", self.dpia)
        layout.addLayout(form)
        layout.addStretch()
        self.dpo.textChanged.connect(self._show_state)
        self.register.toggled.connect(self._show_state)
        self.dpia.toggled.connect(self._show_state)
        return tab

    # --- years -----------------------------------------------------------------------------------------
    def candidate_years(self) -> list[int]:
        """Years with meetings, plan actions or texts, and the current year; newest first."""
        current = self.today().year
        return sorted({*self.ctx.store.annual_reports.years_with_activity(), current,
                       last_complete_year(self.today())}, reverse=True)

    def default_year(self, years: list[int]) -> int:
        """The last complete year (the bilan reports on a year that has ended)."""
        return last_complete_year(self.today())

    def selected_year(self) -> int | None:
        return self.year.currentData()

    def refresh(self) -> None:
        """Years again (new meetings may add one); texts reloaded unless the user is editing them, in which
        case what is stored (after a restore, say) becomes what the edits are compared with."""
        chosen = self.selected_year()
        years = self.candidate_years()
        if chosen is not None and chosen not in years:
            years = sorted({*years, chosen}, reverse=True)
        self.year.blockSignals(True)
        self.year.clear()
        for year in years:
            self.year.addItem(str(year), year)
        self.year.setCurrentIndex(self.year.findData(chosen if chosen is not None else self.default_year(years)))
        self.year.blockSignals(False)
        if not self.has_unsaved_changes():
            self.load(self.selected_year())
        else:
            self.stored = self.ctx.store.annual_reports.texts(self.stored.year)
            self._show_state()

    def _select_year(self, year: int) -> None:
        self.year.blockSignals(True)
        self.year.setCurrentIndex(self.year.findData(year))
        self.year.blockSignals(False)

    def _year_chosen(self, _index: int) -> None:
        new_year = self.selected_year()
        previous = self.stored.year if self.stored else None
        if new_year == previous:
            return
        if previous is not None and not self._settle_changes():
            self._select_year(previous)  # cancelled, or the texts could not be saved: stay on that year
            return
        self.load(new_year)

    # --- texts -----------------------------------------------------------------------------------------
    def load(self, year: int) -> None:
        self.stored = self.ctx.store.annual_reports.texts(year)
        for field, tab in self.text_tabs.items():
            tab.editor.setPlainText(getattr(self.stored, field))
            tab.show_error("")
        self.dpo.setText(self.stored.dpo_name)
        self.register.setChecked(self.stored.processing_register)
        self.dpia.setChecked(self.stored.dpia_done)
        self.year_error.hide()
        self._show_state()

    def form_texts(self) -> AnnualReportTexts:
        year = self.stored.year if self.stored else self.today().year
        return AnnualReportTexts(
            year=year, dpo_name=self.dpo.text().strip(), processing_register=self.register.isChecked(),
            dpia_done=self.dpia.isChecked(),
            **{field: tab.editor.toPlainText() for field, tab in self.text_tabs.items()},
        )

    def has_unsaved_changes(self) -> bool:
        return self.stored is not None and self.form_texts() != self.stored

    def _show_state(self, just_saved: bool = False) -> None:
        if self.stored is None:
            return
        if self.has_unsaved_changes():
            self.state.setText(f"Textes {self.stored.year} modifiés, non enregistrés")
            self.state.setStyleSheet(_unsaved())
        else:
            self.state.setText(f"Textes {self.stored.year} enregistrés." if just_saved else "")
            self.state.setStyleSheet(_saved())

    def save(self) -> bool:
        """Save the texts of the year shown; refused input stays in the editors with its message."""
        if self.stored is None:
            return False
        texts = self.form_texts()
        try:
            self.ctx.runner.call(partial(report_ops.save_bilan_texts, texts=texts))
        except ValidationError as exc:
            self._show_problems(exc.fields)
            return False
        except UserError as exc:
            messages.show_error(self, exc, "Enregistrement impossible")
            return False
        for tab in self.text_tabs.values():
            tab.show_error("")
        self.year_error.hide()
        self.stored = texts
        self._show_state(just_saved=True)
        return True

    def _show_problems(self, problems: dict[str, str]) -> None:
        first = None
        for index, (field, tab) in enumerate(self.text_tabs.items()):
            tab.show_error(problems.get(field, ""))
            if field in problems and first is None:
                first = index
        self.year_error.setText(problems.get("year", ""))
        self.year_error.setVisible("year" in problems)
        if first is not None:
            self.tabs.setCurrentIndex(first)
        messages.warn(self, "Enregistrement impossible",
                      "Les textes du bilan n'ont pas été enregistrés :\n"
                      + "\n".join(f"• {message}" for message in problems.values())
                      + "\n\nVotre saisie est conservée à l'écran.")

    def _settle_changes(self) -> bool:
        """Before the texts on screen would be replaced or left: save, discard or stay (True = go on)."""
        if not self.has_unsaved_changes():
            return True
        answer = messages.ask_save_changes(
            self, "Textes du bilan non enregistrés",
            f"Les textes du bilan {self.stored.year} ont été modifiés. Voulez-vous enregistrer ces modifications ?")
        if answer is messages.SaveChoice.SAVE:
            return self.save()
        if answer is messages.SaveChoice.DISCARD:
            self.load(self.stored.year)
            return True
        return False

    def can_leave(self) -> bool:
        return self._settle_changes()

    # --- PDF -------------------------------------------------------------------------------------------
    def produce(self, printing: bool = False) -> bool:
        """The texts on screen are saved first: the bilan prints what the user sees. The bilan is computed
        and written on the worker; False when nothing was started."""
        if self.stored is None or (self.has_unsaved_changes() and not self.save()):
            return False
        year, today = self.stored.year, self.today()
        from clspd_desktop.services.operations.individual import figures_if_unlocked

        individual = figures_if_unlocked(self.ctx.individual, year)

        def write(path: Path):
            return partial(report_ops.annual_bilan_pdf, year=year, path=path, today=today, individual=individual)

        if printing:
            return print_on_worker(self, self.ctx, f"Bilan annuel {year} (impression)", f"bilan-annuel-{year}",
                                   write, label=f"Préparation du bilan {year}…", day=today)
        return produce_file_on_worker(
            self, self.ctx, f"Bilan annuel {year} (PDF)", f"bilan-annuel-{year}", ".pdf", PDF_FILTER, write,
            f"Le bilan {year} a été enregistré dans :", today, label=f"Préparation du bilan {year}…")
