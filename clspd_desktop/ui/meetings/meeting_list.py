"""List of meetings: sortable, filtered by formation and period."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from clspd_desktop.domain.dates import short_date, time_fr
from clspd_desktop.domain.directory import Formation
from clspd_desktop.domain.meetings import Meeting
from clspd_desktop.domain.text import plural
from clspd_desktop.ui import theme
from clspd_desktop.ui.meetings.common import short_name
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.flow_layout import FlowLayout
from clspd_desktop.ui.widgets.record_table import Column, RecordTable

UPCOMING, THIS_YEAR, LAST_YEAR, LAST_12_MONTHS, ALL = "upcoming", "this_year", "last_year", "last_12", "all"


def period_bounds(period: str, today: date) -> tuple[date, date]:
    if period == UPCOMING:
        return today, date(9999, 12, 30)
    if period == THIS_YEAR:
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if period == LAST_YEAR:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if period == LAST_12_MONTHS:
        return today.replace(year=today.year - 1) if not (today.month == 2 and today.day == 29) \
            else date(today.year - 1, 2, 28), today
    return date(1900, 1, 1), date(9999, 12, 30)


class MeetingList(QWidget):
    meeting_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.formations: dict[int, Formation] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        self.formation = ChoiceBox([("Toutes les formations", None)])
        self.period = ChoiceBox([("À venir", UPCOMING), ("Cette année", THIS_YEAR), ("L'an dernier", LAST_YEAR),
                                 ("Les 12 derniers mois", LAST_12_MONTHS), ("Toutes les dates", ALL)])
        self.count = QLabel()
        self.count.setStyleSheet(f"color: {theme.colours().muted};")
        bar.addWidget(QLabel("Formation :"))
        bar.addWidget(self.formation, 1)
        bar.addWidget(QLabel("Période :"))
        bar.addWidget(self.period)
        bar.addStretch(1)
        bar.addWidget(self.count)
        layout.addLayout(bar)
        self.table = RecordTable(self._columns(), identity=lambda m: m.id, name="Réunions")
        layout.addWidget(self.table, 1)
        self.table.open_requested.connect(lambda: self.table.current_record() and
                                          self.meeting_activated.emit(self.table.current_record().id))

    def _columns(self) -> list[Column]:
        def formation_of(m: Meeting) -> str:
            formation = self.formations.get(m.formation_id)
            return short_name(formation) + (" (confidentiel)" if formation and formation.confidential else "")

        return [
            Column("Date", lambda m: short_date(m.starts_at.date()), 95, sort_key=lambda m: m.starts_at),
            Column("Horaire", lambda m: f"{time_fr(m.starts_at)} – {time_fr(m.ends_at)}", 130,
                   sort_key=lambda m: m.starts_at.time()),
            Column("Formation", formation_of, 210),
            Column("Titre", lambda m: m.title, 260, stretch=True),  # at 1366×768 « Statut » stays in view
            Column("Lieu", lambda m: m.place or ("Visioconférence" if m.video_link else ""), 180),
            Column("De droit", lambda m: m.de_droit_requester.label if m.de_droit else "", 150),
            Column("Statut", lambda m: m.status.label, 90),
        ]

    def set_formations(self, formations: list[Formation]) -> None:
        self.formations = {f.id: f for f in formations}
        self.formation.blockSignals(True)
        self.formation.set_choices([("Toutes les formations", None), *((f.display_name, f.id) for f in formations)])
        self.formation.blockSignals(False)

    def set_meetings(self, meetings: list[Meeting]) -> None:
        self.table.set_records(meetings)
        self.count.setText(plural(len(meetings), "réunion", feminine=True))
