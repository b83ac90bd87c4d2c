"""Export of the partners directory to XLSX and to a CSV that Excel opens correctly (French settings).

The headers are the import's own labels, so an exported file re-imports without any mapping.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import Civility, Contact, Organisation
from clspd_desktop.domain.text import sort_key
from clspd_desktop.safe_files import write_atomically, write_bytes_atomically
from clspd_desktop.services.directory_import import FORMULA_STARTS, ImportField

COLUMNS: tuple[ImportField, ...] = tuple(ImportField)
_WIDTHS = {ImportField.ORG_NAME: 38, ImportField.CATEGORY: 30, ImportField.ORG_ADDRESS: 32,
           ImportField.ORG_EMAIL: 30, ImportField.EMAIL: 30, ImportField.FUNCTION: 28}


def directory_rows(store: Store) -> list[list[str]]:
    """One row per referent with its organisation's fields, then one per organisation without referent,
    in the order of the organisation list (alphabetical, accents ignored), titulaires first."""
    by_org: dict[int | None, list[Contact]] = {}
    for item in store.directory.contacts():
        by_org.setdefault(item.contact.organisation_id, []).append(item.contact)
    rows: list[list[str]] = []
    for org in store.directory.organisations():
        contacts = sorted(by_org.pop(org.id, []), key=lambda c: (c.role.value != "titular", sort_key(c.sort_name)))
        if contacts:
            rows.extend(_row(org, c) for c in contacts)
        else:
            rows.append(_row(org, None))
    for orphans in by_org.values():  # referents whose organisation was not set
        rows.extend(_row(None, c) for c in orphans)
    return rows


def _row(org: Organisation | None, contact: Contact | None) -> list[str]:
    values = {f: "" for f in COLUMNS}
    if org is not None:
        values.update({
            ImportField.ORG_NAME: org.name, ImportField.CATEGORY: org.category.label,
            ImportField.ORG_ADDRESS: org.address, ImportField.ORG_POSTAL_CODE: org.postal_code,
            ImportField.ORG_CITY: org.city, ImportField.ORG_PHONE: org.phone, ImportField.ORG_EMAIL: org.email,
        })
    if contact is not None:
        values.update({
            ImportField.CIVILITY: contact.civility.value if contact.civility is not Civility.NONE else "",
            ImportField.FIRST_NAME: contact.first_name, ImportField.LAST_NAME: contact.last_name,
            ImportField.FUNCTION: contact.function, ImportField.EMAIL: contact.email,
            ImportField.PHONE: contact.phone, ImportField.ROLE: contact.role.label,
        })
    return [values[f] for f in COLUMNS]


def formula_like(value: str) -> bool:
    """Starts with = + - @, a tab or a line break, even after spaces: Excel or LibreOffice may run it as a
    formula (CSV injection; OWASP's list of triggers)."""
    return value.lstrip(" ").startswith(FORMULA_STARTS)


def neutralise_formula(value: str) -> str:
    """For CSV: an apostrophe in front makes a formula-like cell text (the import takes it off again)."""
    return "'" + value if formula_like(value) else value


def set_excel_text(cell, value: str):
    """Put user text in an openpyxl cell so that Excel never evaluates it: typed as text, and a formula-like
    value gets Excel's own quote prefix (shown without an apostrophe, still text when the cell is edited)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"  # openpyxl would store "=..." as a formula
    if formula_like(value):
        cell.quotePrefix = True
    return cell


def save_workbook(workbook, path: Path) -> Path:
    """Build the .xlsx in memory, then write it atomically: on a full disk openpyxl's half-written zip would
    otherwise complain again when it is collected ("Exception ignored in ZipFile.__del__")."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return write_bytes_atomically(Path(path), buffer.getvalue())


def export_csv(store: Store, path: Path) -> Path:
    """UTF-8 with BOM, ';' and CRLF: what Excel expects on a French Windows, accents intact."""
    rows = directory_rows(store)

    def produce(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow([f.label for f in COLUMNS])
            writer.writerows([neutralise_formula(v) for v in row] for row in rows)

    return write_atomically(Path(path), produce)


def export_xlsx(store: Store, path: Path) -> Path:
    """Bold frozen header, autofilter and readable widths; every cell is text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rows = directory_rows(store)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Annuaire"
    sheet.append([f.label for f in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            set_excel_text(sheet.cell(row=row_number, column=column), value)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    for index, field in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(field, max(14, len(field.label) + 4))
    return save_workbook(workbook, path)
