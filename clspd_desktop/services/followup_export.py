"""The decisions follow-up as an Excel workbook or a PDF. Confidential groups' items never leave the view:
exports leave them out and say how many were left out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clspd_desktop.db.store import Store
from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.followup import FollowUpFilter, FollowUpItem
from clspd_desktop.safe_files import write_atomically

HEADER = ["Réunion du", "Formation", "Suite à donner", "Responsable", "Échéance", "Statut", "Commentaire",
          "Action du plan"]


def exportable(store: Store, shown: FollowUpFilter, today: date) -> tuple[list[FollowUpItem], int]:
    """The items the filter shows, without the confidential groups' ones (and how many were left out)."""
    items = [i for i in store.followup.items() if shown.keeps(i, today)]
    kept = [i for i in items if not i.confidential]
    return kept, len(items) - len(kept)


def row(item: FollowUpItem) -> list[str]:
    return [short_date(item.meeting_day), item.formation_name, item.text, item.responsible,
            short_date(item.due_date) if item.due_date else "", item.status.label, item.comment,
            " ; ".join(item.plan_actions)]


def export_followup_xlsx(store: Store, shown: FollowUpFilter, path: Path, today: date | None = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    today = today or date.today()
    items, left_out = exportable(store, shown, today)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Suivi des décisions"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, item in enumerate(items, start=2):
        for c, value in enumerate(row(item), start=1):
            cell = sheet.cell(row=r, column=c, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"  # text stays text: a cell typed « =… » is never a formula
    for letter, width in zip("ABCDEFGH", (12, 24, 50, 34, 12, 12, 40, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    if left_out:
        sheet.cell(row=len(items) + 3, column=1,
                   value=f"{left_out} suites à donner des groupes confidentiels ne sont pas exportées."
                   if left_out > 1 else "1 suite à donner d'un groupe confidentiel n'est pas exportée.")
    return write_atomically(path, workbook.save)
