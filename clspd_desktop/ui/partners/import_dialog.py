"""Import of partners from a CSV or Excel file: choose, check the columns, review every line, import.

Nothing is written before "Importer"; the import itself is one transaction (see services.directory_import),
run on the worker after a snapshot, and Ctrl+Z undoes it. Closing the window with a reviewed file not yet
imported asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QCloseEvent, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.errors import UserError
from clspd_desktop.services.directory_import import (
    REQUIRED_FIELDS,
    DuplicateDecision,
    ImportField,
    ImportLine,
    ImportPreview,
    ImportSummary,
    LineStatus,
    Mapping,
    RawTable,
)
from clspd_desktop.services.operations import directory as ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.partners.wording import quoted
from clspd_desktop.ui.widgets.record_table import Column, RecordTableModel
from clspd_desktop.ui.widgets.unsaved import ask_before_losing

FILE_FILTERS = "Tableaux (*.csv *.xlsx *.xlsm *.txt);;Classeur Excel (*.xlsx);;Fichier CSV (*.csv);;Tous les fichiers (*)"
IGNORE_LABEL = "— ne pas importer —"
_INDEX = QModelIndex | QPersistentModelIndex
_STATUS_COLOURS = {  # the theme's backgrounds
    LineStatus.ERROR: "alert_bg",
    LineStatus.DUPLICATE: "warning_bg",
    LineStatus.NEW: "success_bg",
}


def _remarks(line: ImportLine) -> str:
    return " ; ".join(p for p in (line.duplicate_reason, *line.warnings) if p)


def _contact_text(line: ImportLine, attribute: str) -> str:
    return str(getattr(line.contact, attribute)) if line.contact is not None else ""


PREVIEW_COLUMNS = (
    Column("Ligne", lambda line: str(line.number), 50, sort_key=lambda line: line.number, centered=True),
    Column("Statut", lambda line: line.status_label, 200),
    Column("Fusionner", lambda line: "", 75, sort_key=lambda line: (line.status is not LineStatus.DUPLICATE,
                                                                      line.decision.value)),
    Column("Organisation", lambda line: line.organisation.name, 190),
    Column("Civilité", lambda line: line.contact.civility.value if line.contact else "", 55),
    Column("Prénom", lambda line: _contact_text(line, "first_name"), 95),
    Column("Nom", lambda line: _contact_text(line, "last_name"), 110),
    Column("E-mail", lambda line: _contact_text(line, "email"), 190),
    Column("Téléphone", lambda line: _contact_text(line, "phone"), 105),
    Column("Remarques", _remarks, 220),
)
MERGE_COLUMN = 2


class ImportPreviewModel(RecordTableModel):
    """The lines of the preview; the "Fusionner" box of a duplicate chooses merge (checked) or skip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(PREVIEW_COLUMNS, parent)

    def _line(self, index: _INDEX) -> ImportLine | None:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        return self.record(index.row())

    def flags(self, index: _INDEX) -> Qt.ItemFlag:
        flags = super().flags(index)
        line = self._line(index)
        if line is not None and index.column() == MERGE_COLUMN and line.status is LineStatus.DUPLICATE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self._line(index)
        if line is None:
            return None
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == MERGE_COLUMN:
            if line.status is not LineStatus.DUPLICATE:
                return None
            merge = line.decision is DuplicateDecision.MERGE
            return Qt.CheckState.Checked if merge else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 1 and line.status in _STATUS_COLOURS:
            return QBrush(QColor(getattr(theme.colours(), _STATUS_COLOURS[line.status])))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1 and line.errors:
            return "\n".join(line.messages())
        return super().data(index, role)

    def setData(self, index: _INDEX, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        line = self._line(index)
        if (line is None or role != Qt.ItemDataRole.CheckStateRole or index.column() != MERGE_COLUMN
                or line.status is not LineStatus.DUPLICATE):
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        line.decision = DuplicateDecision.MERGE if checked else DuplicateDecision.SKIP
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1))
        return True

    def set_all(self, decision: DuplicateDecision) -> None:
        for line in self.records():
            if line.status is LineStatus.DUPLICATE:
                line.decision = decision
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))


class ColumnChooser(QWidget):
    """One file column: its header as read, and the directory field it feeds."""

    def __init__(self, header: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(2)
        shown = header if len(header) <= 40 else header[:40] + "…"
        self.header = QLabel(shown or "(sans titre)")
        self.header.setStyleSheet("font-weight: bold;")
        self.header.setToolTip(header[:600])
        self.combo = QComboBox()
        self.fields: list[ImportField | None] = [None, *ImportField]
        self.combo.addItem(IGNORE_LABEL)
        for target in ImportField:
            self.combo.addItem(target.label + (" *" if target in REQUIRED_FIELDS else ""))
        layout.addWidget(self.header)
        layout.addWidget(self.combo)

    def value(self) -> ImportField | None:
        return self.fields[self.combo.currentIndex()]

    def set_value(self, target: ImportField | None) -> None:
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(self.fields.index(target))
        self.combo.blockSignals(False)


class ImportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.table: RawTable | None = None
        self.path: Path | None = None
        self.preview: ImportPreview | None = None
        self.choosers: list[ColumnChooser] = []
        self.setWindowTitle("Importer des partenaires")
        self.resize(1260, 760)

        layout = QVBoxLayout(self)
        intro = QLabel("Choisissez un fichier CSV ou Excel (.xlsx) : une ligne par référent, avec au moins "
                       "les colonnes « Organisation » et « Nom ». Rien n'est enregistré avant « Importer ».")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        file_row = QHBoxLayout()
        self.choose_button = QPushButton("Choisir un fichier…")
        self.choose_button.clicked.connect(self.choose_file)
        self.file_label = QLabel("Aucun fichier choisi.")
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.file_label.setWordWrap(True)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.file_label, 1)
        layout.addLayout(file_row)
        # the header is found (titles and merged bands above it skipped); the user may choose another line
        header_row = QHBoxLayout()
        header_row.addWidget(QLabel("Ligne des en-têtes :"))
        self.header_choice = QComboBox()
        self.header_choice.setToolTip("La ligne du fichier qui porte les noms des colonnes (Organisation, Nom…)")
        self.header_choice.setEnabled(False)
        self.header_choice.currentIndexChanged.connect(self.header_row_changed)
        header_row.addWidget(self.header_choice, 1)
        layout.addLayout(header_row)

        self.mapping_title = QLabel("Correspondance des colonnes (champ à remplir pour chaque colonne du fichier ; "
                                    "* = obligatoire) :")
        layout.addWidget(self.mapping_title)
        self.mapping_area = QScrollArea()
        self.mapping_area.setWidgetResizable(True)
        self.mapping_area.setFixedHeight(78)
        self.mapping_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.mapping_area)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.setStyleSheet(f"color: {theme.colours().error}; font-weight: bold;")
        layout.addWidget(self.problem_label)

        self.model = ImportPreviewModel(self)
        self.model.dataChanged.connect(lambda *_: self.update_state())
        self.view = QTableView()
        self.view.setAccessibleName("Aperçu de l'import")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setSortingEnabled(True)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for number, column in enumerate(PREVIEW_COLUMNS):
            header.resizeSection(number, column.width)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.view, 1)
        self.messages_box = QPlainTextEdit()
        self.messages_box.setReadOnly(True)
        self.messages_box.setAccessibleName("Erreurs et remarques de l'import")
        self.messages_box.setFixedHeight(84)
        self.messages_box.setPlaceholderText("Les erreurs et remarques ligne par ligne s'afficheront ici.")
        layout.addWidget(self.messages_box)

        choices = QHBoxLayout()
        choices.addWidget(QLabel("Doublons :"))
        self.merge_all_button = QPushButton("Tout fusionner")
        self.merge_all_button.setToolTip("Compléter et mettre à jour les référents existants avec les valeurs du fichier")
        self.merge_all_button.clicked.connect(lambda: self.model.set_all(DuplicateDecision.MERGE))
        self.skip_all_button = QPushButton("Tout ignorer")
        self.skip_all_button.setToolTip("Laisser les référents existants tels quels")
        self.skip_all_button.clicked.connect(lambda: self.model.set_all(DuplicateDecision.SKIP))
        self.skip_errors_box = QCheckBox("Ignorer les lignes en erreur et importer les autres")
        self.skip_errors_box.toggled.connect(lambda _: self.update_state())
        choices.addWidget(self.merge_all_button)
        choices.addWidget(self.skip_all_button)
        choices.addSpacing(24)
        choices.addWidget(self.skip_errors_box)
        choices.addStretch(1)
        layout.addLayout(choices)

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("Importer", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.update_state()

    # --- file and mapping --------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path = messages.open_file(self, "Choisir le fichier des partenaires", FILE_FILTERS)
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path) -> bool:
        """Read and check the file on the worker; its columns and lines appear when done."""
        return self._start(partial(ops.review_import, path=path), "Lecture du fichier…", self._file_read,
                           failure_title="Fichier refusé")

    def _file_read(self, review: ops.ImportReview) -> None:
        table = review.table
        self.table, self.path = table, review.path
        self.file_label.setText(f"{review.path.name} — {table.description}, en-têtes ligne {table.header_line}")
        self.header_choice.blockSignals(True)
        self.header_choice.clear()
        for position, text in table.header_choices():
            self.header_choice.addItem(text, position)
        self.header_choice.setCurrentIndex(self.header_choice.findData(table.header_position))
        self.header_choice.setEnabled(self.header_choice.count() > 1)
        self.header_choice.blockSignals(False)
        self._build_choosers(table.headers, review.mapping)
        self._show_review(review)

    def header_row_changed(self, _index: int) -> None:
        """Another header row chosen: the same file read from there, its lines checked again on the worker."""
        position = self.header_choice.currentData()
        if self.table is None or self.path is None or position is None or position == self.table.header_position:
            return
        try:
            table = self.table.with_header_at(position)
        except UserError as err:
            messages.show_error(self, err, "Ligne d'en-têtes refusée")
            self.header_choice.blockSignals(True)
            self.header_choice.setCurrentIndex(self.header_choice.findData(self.table.header_position))
            self.header_choice.blockSignals(False)
            return
        self._start(partial(ops.review_import, path=self.path, table=table), "Vérification du fichier…",
                    self._file_read, failure_title="Ligne d'en-têtes refusée")

    def _build_choosers(self, headers: list[str], mapping: Mapping) -> None:
        strip = QWidget()
        row = QHBoxLayout(strip)
        row.setContentsMargins(4, 2, 4, 2)
        self.choosers = []
        for index, (header, target) in enumerate(zip(headers, mapping, strict=True)):
            chooser = ColumnChooser(header)
            chooser.set_value(target)
            chooser.combo.currentIndexChanged.connect(lambda _=0, i=index: self.column_changed(i))
            self.choosers.append(chooser)
            row.addWidget(chooser)
        row.addStretch(1)
        self.mapping_area.setWidget(strip)

    def mapping(self) -> Mapping:
        return [chooser.value() for chooser in self.choosers]

    def column_changed(self, index: int) -> None:
        """A field feeds one column only: choosing it here frees it elsewhere."""
        chosen = self.choosers[index].value()
        if chosen is not None:
            for number, other in enumerate(self.choosers):
                if number != index and other.value() is chosen:
                    other.set_value(None)
        self.refresh_preview()

    def refresh_preview(self) -> None:
        """Check the lines again with the columns as now chosen (on the worker)."""
        if self.table is None or self.path is None:
            self._show_review(None)
            return
        self._start(partial(ops.review_import, path=self.path, table=self.table, mapping=self.mapping()),
                    "Vérification des lignes…", self._show_review, failure_title="Fichier refusé")

    def _show_review(self, review: ops.ImportReview | None) -> None:
        self.preview = review.preview if review else None
        problem = review.problem if review else ""
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))
        self.model.set_records(self.preview.lines if self.preview else [])
        lines = self.preview.lines if self.preview else []
        self.messages_box.setPlainText("\n".join(
            m for line in sorted(lines, key=lambda x: (x.status is not LineStatus.ERROR, x.number))
            for m in line.messages()))
        self.update_state()

    # --- state and import --------------------------------------------------------------------------------
    def update_state(self) -> None:
        preview = self.preview
        has_duplicates = bool(preview and preview.duplicates)
        self.merge_all_button.setEnabled(has_duplicates)
        self.skip_all_button.setEnabled(has_duplicates)
        self.skip_errors_box.setEnabled(bool(preview and preview.errors))
        self.import_button.setEnabled(bool(preview and preview.is_importable(self.skip_errors_box.isChecked())))
        if preview is None:
            self.summary_label.setText("")
            return
        text = preview.summary_text() + "."
        if preview.errors and not self.skip_errors_box.isChecked():
            text += " Corrigez le fichier ou cochez « Ignorer les lignes en erreur » pour importer."
        elif not preview.has_work():
            text += " Rien de nouveau à importer."
        self.summary_label.setText(text)

    def has_unsaved_changes(self) -> bool:
        """A reviewed file with lines to import that were not imported yet."""
        return self.preview is not None and self.preview.has_work() and self.result() != QDialog.DialogCode.Accepted

    def _start(self, op: Callable, label: str, on_success: Callable[[Any], None], *, failure_title: str,
               undo: str | None = None, cancellable: bool = False) -> bool:
        """Run `op` on the worker while this window waits, disabled (no second click, no half-chosen column);
        it comes back when the work ends, however it ends (done, refused or cancelled)."""
        def failed(error: UserError) -> None:
            messages.show_error(self, error, failure_title)
            if undo is not None:  # the import was refused: the lines are checked again as they now stand
                self.refresh_preview()

        self.setEnabled(False)
        started = self.ctx.runner.start(op, parent=self, label=label, cancellable=cancellable, undo=undo,
                                        on_success=on_success, on_failure=failed)
        if started:
            self.ctx.runner.when_idle(lambda: self.setEnabled(not self.ctx.runner.busy))
        else:  # other long work runs: the user was told, nothing started
            self.setEnabled(True)
        return started

    def run_import(self) -> bool:
        """Start the import (snapshot, then one transaction); the window closes when it is done."""
        if self.preview is None or self.path is None or not self.import_button.isEnabled():
            return False
        return self._start(
            partial(ops.import_partners, preview=self.preview, skip_errors=self.skip_errors_box.isChecked()),
            "Import des partenaires…", self._imported, failure_title="Import impossible",
            undo=f"Import de {quoted(self.path.name)}", cancellable=True)

    def _imported(self, summary: ImportSummary) -> None:
        messages.inform(self, "Import terminé", summary.text())
        self.accept()

    def _import_then_close(self) -> bool:
        """« Enregistrer » when closing: import; the window closes once the import succeeded."""
        self.run_import()
        return False

    def reject(self) -> None:
        if not self.isEnabled():  # our import is running: it ends (or is cancelled) first
            return
        if self.has_unsaved_changes() and not ask_before_losing(self, "L'import préparé", self._import_then_close):
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        event.ignore()
        self.reject()
