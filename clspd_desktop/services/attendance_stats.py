"""Attendance statistics for the bilan: rate per organisation and per referent over a chosen period, and
their export to Excel. The rate counts a representation as attendance: the institution took part."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from clspd_desktop.db.attendance_stats_repo import AttendanceCount
from clspd_desktop.db.store import Store
from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import UserError
from clspd_desktop.safe_files import write_atomically
from clspd_desktop.services.directory_export import neutralise_formula

HEADERS = ("Convocations", "Présents", "Représentés", "Excusés", "Absents", "Réunions", "Taux de présence")


@dataclass
class AttendanceStats:
    start: date
    end: date
    formation_name: str  # '' for every formation
    meetings: int
    by_organisation: list[AttendanceCount]
    by_referent: list[AttendanceCount]

    @property
    def period_text(self) -> str:
        scope = self.formation_name or "toutes formations"
        return f"Du {short_date(self.start)} au {short_date(self.end)} — {scope} — {plural(self.meetings, 'réunion', feminine=True)}"

    @property
    def overall(self) -> AttendanceCount:
        rows = self.by_organisation
        return AttendanceCount("Ensemble", "", convened=sum(r.convened for r in rows),
                               present=sum(r.present for r in rows), represented=sum(r.represented for r in rows),
                               excused=sum(r.excused for r in rows), absent=sum(r.absent for r in rows),
                               meetings=self.meetings)


def rate_text(count: AttendanceCount) -> str:
    """'83 %' with the French narrow no-break space."""
    return f"{round(count.rate * 100)}\u202f%" if count.convened else "—"


def compute(store: Store, start: date, end: date, formation_id: int | None = None) -> AttendanceStats:
    if end < start:
        raise UserError("La fin de la période précède son début.")
    name = ""
    if formation_id is not None:
        formation = store.formations.get(formation_id)
        if formation is None:
            raise UserError("Cette formation n'existe plus.")
        name = formation.display_name
    repo = store.attendance_stats
    return AttendanceStats(start, end, name, repo.meetings_counted(start, end, formation_id),
                           repo.by_organisation(start, end, formation_id), repo.by_referent(start, end, formation_id))


def _sheet(workbook, title: str, first_headers: tuple[str, ...], rows: list[list], caption: str) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    sheet.append([caption])
    sheet["A1"].font = Font(italic=True)
    sheet.append([*first_headers, *HEADERS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(rows, start=3):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str):
                cell = sheet.cell(row=row_number, column=column,
                                  value=neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", value)))
                cell.data_type = "s"
            else:
                cell = sheet.cell(row=row_number, column=column, value=value)
        sheet.cell(row=row_number, column=len(row)).number_format = "0 %"
    sheet.freeze_panes = "A3"
    width = len(first_headers) + len(HEADERS)
    sheet.auto_filter.ref = f"A2:{get_column_letter(width)}{len(rows) + 2}"
    for index in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 40 if index <= len(first_headers) else 15


def _numbers(count: AttendanceCount) -> list:
    return [count.convened, count.present, count.represented, count.excused, count.absent, count.meetings,
            round(count.rate, 4)]


def export_xlsx(stats: AttendanceStats, path: Path) -> Path:
    """Two sheets (organisations, referents), rates as Excel percentages; text cells never formulas."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, "Par organisation", ("Organisation",),
           [[c.label, *_numbers(c)] for c in stats.by_organisation], stats.period_text)
    _sheet(workbook, "Par référent", ("Référent", "Organisation"),
           [[c.label, c.organisation, *_numbers(c)] for c in stats.by_referent], stats.period_text)
    return write_atomically(Path(path), lambda tmp: workbook.save(tmp))
