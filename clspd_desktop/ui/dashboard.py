"""Tableau de bord: the council at a glance and what needs attention today."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.legal_rules import ObligationStatus, evaluate
from clspd_desktop.services.legal_watch import meeting_watch


def _tile(value: str, caption: str) -> QFrame:
    tile = QFrame()
    tile.setObjectName("tile")
    tile.setStyleSheet("#tile { background: white; border: 1px solid #d5dde5; border-radius: 6px; }")
    layout = QVBoxLayout(tile)
    number = QLabel(value)
    number.setStyleSheet("font-size: 26px; font-weight: bold; color: #1f3b57;")
    layout.addWidget(number)
    text = QLabel(caption)
    text.setStyleSheet("color: #5f6b76;")
    layout.addWidget(text)
    return tile


def _alert(text: str, colour: str, background: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # user names inside
    label.setWordWrap(True)
    label.setStyleSheet(f"background: {background}; border-left: 5px solid {colour}; padding: 8px;")
    return label


class DashboardPage(QScrollArea):
    def __init__(self, ctx: AppContext, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.alerts: list[str] = []
        self.refresh()

    def refresh(self) -> None:
        store = self.ctx.store
        today = self.today or date.today()
        council = store.council.get()
        body = QWidget()
        body.setObjectName("dashboard")
        body.setStyleSheet("#dashboard { background: #f4f6f8; }")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 20, 24, 20)
        title = QLabel(council.title if council else "")
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        layout.addWidget(title)
        subtitle = QLabel(f"{council.kind.long_name if council else ''} — {long_date(today).capitalize()}")
        subtitle.setStyleSheet("color: #5f6b76;")
        layout.addWidget(subtitle)

        tiles = QGridLayout()
        formations = store.formations.formations()
        groups = [f for f in formations if f.kind.value == "working_group"]
        figures = [
            (f"{council.total_population:,}".replace(",", "\u00a0") if council else "0", "habitants"),
            (str(store.directory.count_organisations()), "organisations partenaires"),
            (str(store.directory.count_contacts()), "référents"),
            (str(len(groups)), f"groupes de travail, dont {sum(g.confidential for g in groups)} confidentiel(s)"),
            (str(store.formations.count_valid_signatories(today)), "signataires de la charte"),
        ]
        for column, (value, caption) in enumerate(figures):
            tiles.addWidget(_tile(value, caption), 0, column)
        layout.addLayout(tiles)

        heading = QLabel("À surveiller")
        heading.setStyleSheet("font-size: 16px; font-weight: bold; margin-top: 12px;")
        layout.addWidget(heading)
        self.alerts = []
        if council:
            for obligation in evaluate(council, self.ctx.rules):
                if obligation.status is ObligationStatus.MISSING:
                    self.alerts.append(f"{obligation.title} : {obligation.explanation}")
        unsigned = store.formations.unsigned_confidential_members(today)
        if unsigned:
            lines = "\n".join(f"• {u.contact.full_name} ({u.organisation_name or 'sans organisation'}) — "
                              f"{u.formation.name}" for u in unsigned)
            self.alerts.append(f"{len(unsigned)} membre(s) de groupes confidentiels n'ont pas signé la charte "
                               f"déontologique et ne peuvent pas y siéger :\n{lines}")
        watch = meeting_watch(store, today, self.ctx.rules)
        self.alerts.extend(watch.alerts)
        for text in self.alerts:
            layout.addWidget(_alert(text, "#b00020", "#fdecee"))
        if not self.alerts:
            layout.addWidget(_alert("Rien à signaler : les obligations connues sont respectées.", "#1b7a3a",
                                    "#e8f5ec"))
        self.upcoming = watch.upcoming
        if watch.upcoming:
            upcoming_heading = QLabel("Réunions des 30 prochains jours")
            upcoming_heading.setStyleSheet("font-size: 16px; font-weight: bold; margin-top: 12px;")
            layout.addWidget(upcoming_heading)
            layout.addWidget(_alert("\n".join(f"• {line}" for line in watch.upcoming), "#1f5fa8", "#e8f0fb"))
        layout.addStretch()
        self.setWidget(body)
