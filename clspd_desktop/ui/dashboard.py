"""Tableau de bord: the council at a glance and what needs attention today.

It subscribes to every kind of record it counts or watches, so its figures and alerts follow each change
made anywhere (a hidden dashboard is rebuilt when next shown).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.legal_rules import ObligationStatus, evaluate
from clspd_desktop.domain.text import format_number, plural
from clspd_desktop.services.legal_watch import SEE_MEETINGS, bulleted, meeting_watch
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.ui import theme

ALERT, GOOD, INFO = "alert", "good", "info"  # the looks of an Alert, in style()
UPCOMING_SHOWN = 10  # the next meetings named; a large council has ~70 within 30 days
SHOWN_KINDS = {Change.COUNCIL, Change.DIRECTORY, Change.FORMATIONS, Change.MEETINGS, Change.INVITATIONS,
               Change.MINUTES}

SIZES = {"title": (1.6, True), "heading": (1.3, True), "tileValue": (2.0, True)}  # × the system font


def style() -> str:
    """The page's looks, from the theme's current colours (sizes: SIZES, in points)."""
    c = theme.colours()
    return (f"#dashboard {{ background: {c.page}; }} #subtitle, #tileCaption {{ color: {c.muted}; }} "
            f"#tile {{ background: {c.base}; border: 1px solid {c.border}; }} #tileValue {{ color: {c.accent}; }} "
            f"#alert {{ background: {c.alert_bg}; border-left: 5px solid {c.alert_stripe}; }} "
            f"#good {{ background: {c.success_bg}; border-left: 5px solid {c.success_stripe}; }} "
            f"#info {{ background: {c.info_bg}; border-left: 5px solid {c.info_stripe}; }}")


def _label(text: str, name: str = "") -> QLabel:
    """Shown exactly as typed (names may contain « < » or « & »)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName(name)
    if name in SIZES:
        theme.set_relative_size(label, *SIZES[name])
    return label


class Tile(QFrame):
    """A figure and its caption on a white card with a thin border."""

    def __init__(self, value: str, caption: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        layout = QVBoxLayout(self)
        layout.addWidget(_label(value, "tileValue"))
        layout.addWidget(_label(caption, "tileCaption"))


class Alert(QFrame):
    """A message on a tinted background with a coloured bar on its left; `look`: ALERT, GOOD or INFO."""

    def __init__(self, text: str, look: str) -> None:
        super().__init__()
        self.setObjectName(look)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 8, 8)
        self.label = _label(text)
        self.label.setWordWrap(True)
        layout.addWidget(self.label)

    def text(self) -> str:
        return self.label.text()


class DashboardPage(QScrollArea):
    def __init__(self, ctx: AppContext, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.alerts: list[str] = []
        self.refresh()
        ctx.runner.dispatcher.subscribe(self, SHOWN_KINDS, self._on_changes)

    def _on_changes(self, changes: OpChanges) -> None:
        self.refresh()

    def refresh(self) -> None:
        store = self.ctx.store
        today = self.today or date.today()
        council = store.council.get()
        body = QWidget()
        body.setObjectName("dashboard")
        body.setStyleSheet(style())
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(_label(council.title if council else "", "title"))
        # « … délinquance — samedi 5 décembre 2026 »: the weekday keeps its lower case inside the line
        subtitle = f"{council.kind.long_name} — {long_date(today)}" if council else long_date(today).capitalize()
        layout.addWidget(_label(subtitle, "subtitle"))

        tiles = QGridLayout()
        formations = store.formations.formations()
        groups = [f for f in formations if f.kind.value == "working_group"]
        figures = [
            (council.total_population if council else 0, "habitants"),
            (store.directory.count_organisations(), "organisations partenaires"),
            (store.directory.count_contacts(), "référents"),
            (len(groups), f"groupes de travail, dont {plural(sum(g.confidential for g in groups), 'confidentiel')}"),
            (store.formations.count_valid_signatories(today), "signataires de la charte"),
        ]
        for column, (value, caption) in enumerate(figures):
            tiles.addWidget(Tile(format_number(value), caption), 0, column)
        layout.addLayout(tiles)

        layout.addSpacing(12)
        layout.addWidget(_label("À surveiller", "heading"))
        self.alerts = []
        if council:
            for obligation in evaluate(council, self.ctx.rules):
                if obligation.status is ObligationStatus.MISSING:
                    self.alerts.append(f"{obligation.title} : {obligation.explanation}")
        unsigned = store.formations.unsigned_confidential_members(today)
        if unsigned:
            named = [f"{u.contact.full_name} ({u.organisation_name or 'sans organisation'}) — {u.formation.name}"
                     for u in unsigned]
            self.alerts.append(f"{plural(len(unsigned), 'membre')} de groupes confidentiels sans signature de la charte "
                               f"déontologique (pas de siège dans ces groupes avant la signature) :"
                               f"{bulleted(named, where='voir Partenaires (Ctrl+3)')}")
        watch = meeting_watch(store, today, self.ctx.rules)
        self.alerts.extend(watch.alerts)
        for text in self.alerts:
            layout.addWidget(Alert(text, ALERT))
        if not self.alerts:
            layout.addWidget(Alert("Rien à signaler : les obligations connues sont respectées.", GOOD))
        self.upcoming = watch.upcoming
        if watch.upcoming:
            layout.addSpacing(12)
            layout.addWidget(_label("Réunions des 30 prochains jours", "heading"))
            layout.addWidget(Alert(bulleted(watch.upcoming, UPCOMING_SHOWN, SEE_MEETINGS).lstrip("\n"), INFO))
        layout.addStretch()
        self.setWidget(body)
