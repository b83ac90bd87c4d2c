"""The legal obligations that follow from the council's description, each with its source and date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from clspd_desktop.domain.council import Council
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.legal_rules import UPDATE_HELP, LegalRules, Obligation, ObligationStatus, evaluate
from clspd_desktop.ui import theme

STATUS_LOOK = {  # wording, then the theme's text colour, stripe and background
    ObligationStatus.MET: ("Respectée", "success", "success_stripe", "success_bg"),
    ObligationStatus.APPLIES: ("S'applique", "accent", "info_stripe", "info_bg"),
    ObligationStatus.MISSING: ("À faire", "error", "alert_stripe", "alert_bg"),
    ObligationStatus.NOT_REQUIRED: ("Non obligatoire", "muted", "border", "subtle"),
    ObligationStatus.INFO: ("Règle en vigueur", "accent", "info_stripe", "info_bg"),
}


def _card(obligation: Obligation) -> QFrame:
    label, *names = STATUS_LOOK[obligation.status]
    colour, stripe, background = (getattr(theme.colours(), name) for name in names)
    card = QFrame()
    card.setObjectName("obligationCard")
    card.setStyleSheet(f"#obligationCard {{ background: {background}; border-left: 5px solid {stripe}; "
                       "border-radius: 4px; }")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(12, 8, 12, 8)
    title = QLabel(f"<b>{obligation.title}</b> — <span style='color:{colour}'>{label}</span>")
    title.setTextFormat(Qt.TextFormat.RichText)
    layout.addWidget(title)
    text = QLabel(obligation.explanation)
    text.setTextFormat(Qt.TextFormat.PlainText)  # may contain user-typed names
    text.setWordWrap(True)
    layout.addWidget(text)
    since = long_date(date.fromisoformat(obligation.effective_from))
    checked = f", vérifiée le {long_date(date.fromisoformat(obligation.checked_on))}" if obligation.checked_on else ""
    history = f"\nHistorique : {obligation.history}" if obligation.history else ""
    source = QLabel(f"Source : {obligation.source} — en vigueur depuis le {since}{checked}.{history}")
    source.setTextFormat(Qt.TextFormat.PlainText)
    source.setWordWrap(True)
    theme.set_relative_size(source, 0.9)
    source.setStyleSheet(f"color: {theme.colours().muted};")
    layout.addWidget(source)
    return card


class ObligationsView(QScrollArea):
    def __init__(self, rules: LegalRules, parent: QWidget | None = None, data_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.rules = rules
        self.data_dir = data_dir
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.obligations: list[Obligation] = []

    def show_for(self, council: Council) -> None:
        self.obligations = evaluate(council, self.rules)
        body = QWidget()
        layout = QVBoxLayout(body)
        caption = QLabel(self.rules.dated_caption)
        caption.setWordWrap(True)
        caption.setStyleSheet(f"color: {theme.colours().muted};")
        layout.addWidget(caption)
        for obligation in self.obligations:
            layout.addWidget(_card(obligation))
        update = QLabel(UPDATE_HELP.format(folder=self.data_dir or "dossier de données"))
        update.setWordWrap(True)
        update.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        update.setStyleSheet(f"color: {theme.colours().muted};")
        layout.addWidget(update)
        layout.addStretch()
        self.setWidget(body)
