"""Export, to an Excel workbook, of a database this version refuses to open because a newer one wrote it.

The user keeps access to their data (read-only) until the new version is installed: one sheet per table
with the columns the file has, plus a first sheet saying what the workbook is. The database file is
only read (db/readonly.py) and stays byte-identical.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from clspd_desktop import APP_NAME, __version__
from clspd_desktop.db.readonly import Value, applied_steps, open_untouched, read_table, row_count, table_names
from clspd_desktop.errors import UserError
from clspd_desktop.services.directory_export import save_workbook, set_excel_text

SHEET_NAME_MAX = 31  # Excel's limit
MAX_DATA_ROWS = 1_048_575  # Excel's 1 048 576 rows, less the header: a longer table continues on a new sheet
CELL_TEXT_MAX = 32_767  # Excel refuses longer cells
CUT_MARK = " [… coupé : limite d'Excel]"
EXACT_INTEGER_MAX = 2**53  # beyond this, Excel's numbers (doubles) would change the value: kept as text
INFO_SHEET = "À lire"
_FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
PROGRESS_EVERY = 5_000  # rows between two progress reports
# progress(rows done, rows in all, table being read) -> False to stop
Progress = Callable[[int, int, str], bool]


class ExportStopped(UserError):
    """The user stopped the export: nothing was written."""


def sheet_name(table: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name for `table`: forbidden characters replaced, at most 31 characters."""
    base = _FORBIDDEN_IN_SHEET_NAMES.sub("_", table).strip("'") or "table"
    candidate, number = base[:SHEET_NAME_MAX], 1
    while candidate.casefold() in used:
        number += 1
        suffix = f" ({number})"
        candidate = base[:SHEET_NAME_MAX - len(suffix)] + suffix
    used.add(candidate.casefold())
    return candidate


def cell_value(value: Value) -> int | float | str | None:
    """Numbers stay numbers, text stays text; binary data (a logo) is described, not dumped."""
    if value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        return value if abs(value) < EXACT_INTEGER_MAX else str(value)
    if isinstance(value, bytes):
        return f"(données binaires, {len(value)} octets)"
    text = str(value)
    return text if len(text) <= CELL_TEXT_MAX else text[:CELL_TEXT_MAX - len(CUT_MARK)] + CUT_MARK


def export_readonly_xlsx(database: Path, target: Path, now: datetime | None = None,
                         progress: Progress | None = None) -> Path:
    """Write the workbook to `target` (temp file, fsync, rename); the database is only read.

    `progress` is told every few thousand rows (a large council takes tens of seconds); when it returns
    False the export stops with ExportStopped and `target` is neither created nor changed.
    """
    from openpyxl import Workbook  # only when asked: not needed to start the app

    conn = open_untouched(database)
    workbook = Workbook(write_only=True)  # streams rows: a large table is never held in memory
    try:
        _fill(workbook, conn, database, now or datetime.now(), progress or (lambda _done, _total, _table: True))
    except BaseException:
        for sheet in workbook.worksheets:  # end each sheet's stream now rather than at garbage collection
            with contextlib.suppress(Exception):
                sheet.close()
        raise
    finally:
        conn.close()
    return save_workbook(workbook, target)


def _fill(workbook, conn: sqlite3.Connection, database: Path, now: datetime, progress: Progress) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    bold = Font(bold=True)

    def text_cell(sheet, text: str) -> WriteOnlyCell:
        return set_excel_text(WriteOnlyCell(sheet), text)

    def header(sheet, titles: Iterable[str]) -> None:
        cells = []
        for title in titles:
            cell = text_cell(sheet, title)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    def row_cells(sheet, row: tuple[Value, ...]) -> list:
        values = [cell_value(v) for v in row]
        return [text_cell(sheet, v) if isinstance(v, str) else v for v in values]

    tables = table_names(conn)
    info = workbook.create_sheet(INFO_SHEET)
    info.column_dimensions["A"].width = 34
    info.column_dimensions["B"].width = 90
    header(info, ["Export en lecture seule", ""])
    for label, value in (
        ("Base de données", str(database)),
        ("Exportée le", now.strftime("%d/%m/%Y à %H:%M")),
        ("Par", f"{APP_NAME} {__version__}"),
        ("Pourquoi", "Cette base a été enregistrée par une version plus récente de l'application : "
                     "elle n'a été ni ouverte en écriture ni modifiée. Installez la dernière version "
                     "pour continuer à travailler dessus."),
        ("Étapes de la base", ", ".join(applied_steps(conn))),
        ("Tables exportées", str(len(tables))),
    ):
        info.append([text_cell(info, label), text_cell(info, value)])

    used = {INFO_SHEET.casefold()}
    total = sum(row_count(conn, table) for table in tables)
    done = 0

    def report(table: str) -> None:
        if not progress(done, total, table):
            raise ExportStopped("Export arrêté : aucun fichier n'a été écrit. La base n'a pas été modifiée.")

    for table in tables:
        report(table)
        content = read_table(conn, table)
        sheet, written = None, MAX_DATA_ROWS
        for row in content.rows:
            if sheet is None or written == MAX_DATA_ROWS:  # first row, or the sheet is full: (continued on) a new sheet
                sheet, written = workbook.create_sheet(sheet_name(table, used)), 0
                sheet.freeze_panes = "A2"
                header(sheet, content.columns)
            sheet.append(row_cells(sheet, row))
            written += 1
            done += 1
            if done % PROGRESS_EVERY == 0:
                report(table)
        if sheet is None:  # an empty table still shows its columns
            sheet = workbook.create_sheet(sheet_name(table, used))
            header(sheet, content.columns)
