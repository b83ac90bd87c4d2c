"""Tableau de bord: the council at a glance and what needs attention today."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.legal_rules import ObligationStatus, evaluate
from clspd_desktop.domain.text import format_number, plural
from clspd_desktop.services.legal_watch import SEE_MEETINGS, bulleted, meeting_watch

# Colours and fonts are set through palettes, without style sheets (a third of the time to build and show
# the first page) nor QPainter calls (PySide resolves their overloads by building the Qt namespace's ~90
# enums, ~12 ms, measured): the dashboard is the first page shown.
PAGE_BACKGROUND = "#f4f6f8"
DARK_BLUE, GREY_TEXT, BORDER = "#1f3b57", "#5f6b76", "#d5dde5"
ALERT, GOOD, INFO = ("#b00020", "#fdecee"), ("#1b7a3a", "#e8f5ec"), ("#1f5fa8", "#e8f0fb")
UPCOMING_SHOWN = 10  # the next meetings named; a large council has ~70 within 30 days


def as_typed(text: str) -> str:
    """A QLabel text that shows `text` exactly as typed, without naming Qt.TextFormat.

    A label reads its text as plain unless it holds something like a tag, so text without "<" is given
    as is (plain text lays out several times faster than rich text); text with "<" is escaped and given
    as rich text, which shows it as typed too.
    """
    if "<" not in text:
        return text
    # (not services/pdf/text.py's escaping: that module brings reportlab, which start-up does not load)
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return "<p>" + escaped.replace("\n", "<br>") + "</p>"


def _label(text: str, *, pixel_size: int = 0, bold: bool = False, colour: str = "") -> QLabel:
    label = QLabel(as_typed(text))
    if pixel_size or bold:
        font = QFont(label.font())
        if pixel_size:
            font.setPixelSize(pixel_size)
        font.setBold(bold)
        label.setFont(font)
    if colour:
        _coloured(label, colour, QPalette.ColorRole.WindowText)
    return label


def _coloured(widget: QWidget, colour: str, role: QPalette.ColorRole) -> QWidget:
    palette = widget.palette()
    palette.setColor(role, QColor(colour))
    widget.setPalette(palette)
    return widget


def _filled(widget: QWidget, colour: str) -> QWidget:
    """`widget` painted in `colour` behind its content."""
    _coloured(widget, colour, QPalette.ColorRole.Window)
    widget.setAutoFillBackground(True)
    return widget


class Tile(QFrame):
    """A figure and its caption on a white card with a thin border."""

    def __init__(self, value: str, caption: str) -> None:
        super().__init__()
        _filled(self, "white")
        _coloured(self, BORDER, QPalette.ColorRole.WindowText)  # a plain box frame is drawn in this colour
        self.setFrameShape(QFrame.Shape.Box)
        self.setFrameShadow(QFrame.Shadow.Plain)
        layout = QVBoxLayout(self)
        layout.addWidget(_label(value, pixel_size=26, bold=True, colour=DARK_BLUE))
        layout.addWidget(_label(caption, colour=GREY_TEXT))


class Alert(QFrame):
    """A message on a tinted background with a coloured bar on its left; the text is shown as typed."""

    def __init__(self, text: str, colours: tuple[str, str]) -> None:
        super().__init__()
        self.text_plain = text
        _filled(self, colours[1])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(8)
        bar = _filled(QWidget(), colours[0])
        bar.setFixedWidth(5)
        layout.addWidget(bar)
        self.label = QLabel(as_typed(text))
        self.label.setWordWrap(True)
        self.label.setContentsMargins(0, 8, 0, 8)
        layout.addWidget(self.label, 1)

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

    def refresh(self) -> None:
        store = self.ctx.store
        today = self.today or date.today()
        council = store.council.get()
        body = QWidget()
        body.setObjectName("dashboard")
        palette = body.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(PAGE_BACKGROUND))
        body.setPalette(palette)
        body.setAutoFillBackground(True)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(_label(council.title if council else "", pixel_size=20, bold=True))
        layout.addWidget(_label(f"{council.kind.long_name if council else ''} — {long_date(today).capitalize()}",
                                colour=GREY_TEXT))

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
        layout.addWidget(_label("À surveiller", pixel_size=16, bold=True))
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
            layout.addWidget(_label("Réunions des 30 prochains jours", pixel_size=16, bold=True))
            layout.addWidget(Alert(bulleted(watch.upcoming, UPCOMING_SHOWN, SEE_MEETINGS).lstrip("\n"), INFO))
        layout.addStretch()
        self.setWidget(body)
