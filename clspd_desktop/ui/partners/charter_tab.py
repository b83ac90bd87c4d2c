"""Charte déontologique: the charter's register as a view (the same lines as its PDF), members of
confidential groups without a valid signature first and in bold, since they are the ones to chase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.charter_register import (
    RegisterLine,
    UnsignedLine,
    counts,
    register_order,
    unsigned_first,
)
from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.text import plural
from clspd_desktop.services.operations import Change
from clspd_desktop.services.operations import council_documents as ops
from clspd_desktop.ui.file_export import print_on_worker, produce_file_on_worker
from clspd_desktop.ui.partners.tab import PartnersTab, button_row
from clspd_desktop.ui.widgets.record_table import Column, RecordTable

TITLE = "Registre de la charte déontologique"
STEM = "registre-charte"
PDF_FILTER = "Document PDF (*.pdf)"
UNSIGNED = "Sans signature valable"


@dataclass(frozen=True)
class CharterRow:
    """One line of the view: a signature, or a member of confidential groups who has none in force."""

    key: tuple[str, int]
    name: str
    organisation: str
    version: str
    signed_on: str
    situation: str
    unsigned: bool


def rows_of(lines: list[RegisterLine], unsigned: list[UnsignedLine], today: date) -> list[CharterRow]:
    """Unsigned members first (with their groups), then the register in its order (name, date signed)."""
    rows = [CharterRow(("u", u.contact.id or 0), u.contact.sort_name, u.organisation_name, "", "",
                       f"{UNSIGNED} (groupe{'s' if len(u.groups) > 1 else ''} : {', '.join(u.groups)})", True)
            for u in unsigned]
    rows += [CharterRow(("s", line.signature.id or 0), line.contact.sort_name, line.organisation_name,
                        line.signature.charter_version, short_date(line.signature.signed_on), line.status(today),
                        False)
             for line in register_order(lines)]
    return rows


def _bold(row: CharterRow) -> bool:
    return row.unsigned


COLUMNS = (
    Column("Signataire", lambda r: r.name, 200, emphasis=_bold),
    Column("Organisation", lambda r: r.organisation, 220, emphasis=_bold),
    Column("Version de la charte", lambda r: r.version, 170),
    Column("Signée le", lambda r: r.signed_on, 100),
    Column("Retrait, exclusion ou situation", lambda r: r.situation, 260, emphasis=_bold),
)


class CharterTab(PartnersTab):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        # signatures and memberships (FORMATIONS), names and organisations (DIRECTORY)
        super().__init__(ctx, {Change.FORMATIONS, Change.DIRECTORY}, parent)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        # the order matters (unsigned first): no sorting by header
        self.table = RecordTable(COLUMNS, identity=lambda r: r.key, sortable=False, name=TITLE)
        layout.addWidget(self.table, 1)
        self.pdf_button = QPushButton("Enregistrer le registre (PDF)…")
        self.pdf_button.setToolTip("Le registre à garder avec la charte ou à remettre au procureur")
        self.print_button = QPushButton("Imprimer le registre")
        layout.addLayout(button_row(self.pdf_button, self.print_button))
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_register)

    def load(self) -> None:
        today = date.today()
        lines = self.ctx.store.charter_register.lines()
        unsigned = unsigned_first(self.ctx.store.formations.unsigned_confidential_members(today))
        self.table.set_records(rows_of(lines, unsigned, today))
        in_force, ended = counts(lines, today)
        text = (f"{plural(in_force, 'signataire', 'signataires')} en vigueur, "
                f"{plural(ended, 'signature close', 'signatures closes', feminine=True)}")
        if unsigned:
            text += (f" ; {plural(len(unsigned), 'membre', 'membres')} d'un groupe confidentiel sans signature "
                     "valable, en tête de liste et en gras : ils ne peuvent pas siéger avant d'avoir signé.")
        else:
            text += " ; tous les membres des groupes confidentiels ont signé."
        self.summary.setText(text)

    def new(self) -> None:
        """Ctrl+N: nothing is created here (a signature is recorded on its referent, Référents tab)."""
        self.table.setFocus()

    def focus_search(self) -> None:
        self.table.setFocus()

    def save_pdf(self) -> bool:
        return produce_file_on_worker(self, self.ctx, TITLE, STEM, ".pdf", PDF_FILTER,
                                      lambda path: partial(ops.charter_register_pdf, path=path),
                                      "Le registre a été enregistré dans :", label="Préparation du registre…")

    def print_register(self) -> bool:
        return print_on_worker(self, self.ctx, TITLE, STEM, lambda path: partial(ops.charter_register_pdf, path=path))
