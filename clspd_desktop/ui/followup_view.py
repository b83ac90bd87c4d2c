"""Suivi des décisions: every action item decided in any meeting, filtered, sorted, searched; status and
comment edited in the table itself; reminders to the referents; Excel and PDF exports.

Confidential groups' items are shown here only, marked « confidentiel », and never exported or e-mailed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import long_date, short_date
from clspd_desktop.domain.followup import FollowUpFilter, FollowUpItem, FollowUpStatus
from clspd_desktop.domain.text import sort_key
from clspd_desktop.services.operations import Change, Done, OpChanges, OpEnv
from clspd_desktop.services.operations import followup as ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.flow_layout import FlowLayout
from clspd_desktop.ui.widgets.record_table import plain_tip
from clspd_desktop.ui.widgets.search_field import SearchField

COLUMNS = ("Réunion du", "Formation", "Suite à donner", "Responsable", "Échéance", "Statut", "Commentaire",
           "Action du plan", "Relancé le")
STATUS_COLUMN, COMMENT_COLUMN, REMINDED_COLUMN = 5, 6, 8
_INDEX = QModelIndex | QPersistentModelIndex


def _formation(item: FollowUpItem) -> str:
    return f"{item.formation_name} (confidentiel)" if item.confidential else item.formation_name


class FollowUpModel(QAbstractTableModel):
    """The items shown; an edit of the status or the comment is handed to `save(item, status, comment)`,
    which runs the operation and says whether it was written."""

    def __init__(self, save, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[FollowUpItem] = []
        self.save = save
        self.today = today

    def set_items(self, items: list[FollowUpItem]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def _text(self, item: FollowUpItem, column: int) -> str:
        return (short_date(item.meeting_day), _formation(item), item.text, item.responsible,
                short_date(item.due_date) if item.due_date else "", item.status.label, item.comment,
                " ; ".join(item.plan_actions), short_date(item.reminded_on) if item.reminded_on else "")[column]

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if role == Qt.ItemDataRole.EditRole and column == STATUS_COLUMN:
                return item.status.value
            return self._text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self._text(item, column)
            if item.confidential and column == 1:
                tip += "\nGroupe confidentiel : ses suites à donner ne sont ni exportées ni envoyées."
            if item.reminded_on and column in (3, REMINDED_COLUMN):
                tip += f"\nDernière relance le {long_date(item.reminded_on)}"
            return plain_tip(tip) if tip else None
        if role == Qt.ItemDataRole.ForegroundRole and item.is_overdue(self.today) and column in (2, 4):
            return QBrush(QColor(theme.colours().error))
        if role == Qt.ItemDataRole.UserRole:  # sort key
            if column == 0:
                return item.meeting_day.isoformat()
            if column == 4:
                return item.due_date.isoformat() if item.due_date else "9999"
            if column == REMINDED_COLUMN:
                return item.reminded_on.isoformat() if item.reminded_on else ""
            return sort_key(self._text(item, column))
        return None

    def flags(self, index: _INDEX) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() in (STATUS_COLUMN, COMMENT_COLUMN):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _INDEX, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        item = self.items[index.row()]
        status, comment = item.status, item.comment
        if index.column() == STATUS_COLUMN:
            status = FollowUpStatus(value)
        elif index.column() == COMMENT_COLUMN:
            comment = str(value)
        else:
            return False
        if (status, comment) == (item.status, item.comment):
            return False
        return bool(self.save(item, status, comment))


class StatusDelegate(QStyledItemDelegate):
    """A list of the four statuses, in the cell itself."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802
        editor = QComboBox(parent)
        editor.setAccessibleName("Statut")
        for status in FollowUpStatus:
            editor.addItem(status.label, status.value)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


PERIODS = [("Toutes les réunions", None), ("Réunions des 12 derniers mois", "12m"),
           ("Réunions de l'année en cours", "year"), ("Réunions de l'année précédente", "last_year")]


def period_bounds(key: str | None, today: date) -> tuple[date | None, date | None]:
    if key == "12m":
        return today - timedelta(days=365), None
    if key == "year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if key == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return None, None


class FollowUpView(QWidget):
    def __init__(self, ctx: AppContext, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        layout = QVBoxLayout(self)
        filters = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        self.search = SearchField("Rechercher (suite, responsable, commentaire)…")
        self.search.setAccessibleName("Rechercher dans le suivi des décisions")
        self.search.fit_placeholder()
        self.open_only = QCheckBox("Non closes seulement")
        self.open_only.setChecked(True)
        self.overdue_only = QCheckBox("En retard seulement")
        self.organisation = ChoiceBox([("Toutes les organisations", None)])
        self.organisation.setAccessibleName("Organisation responsable")
        self.formation = ChoiceBox([("Toutes les formations", None)])
        self.formation.setAccessibleName("Formation")
        self.period = ChoiceBox(PERIODS)
        self.period.setAccessibleName("Période")
        for widget in (self.search, self.open_only, self.overdue_only, self.organisation, self.formation,
                       self.period):
            filters.addWidget(widget)
        layout.addLayout(filters)

        self.model = FollowUpModel(self._save, self.today, self)
        self.sorted = QSortFilterProxyModel(self)
        self.sorted.setSourceModel(self.model)
        self.sorted.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        self.table.setAccessibleName("Suites à donner décidées en réunion")
        self.table.setModel(self.sorted)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        self.table.setItemDelegateForColumn(STATUS_COLUMN, StatusDelegate(self.table))
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # at 1366×768 the stretched « Suite à donner » keeps about 250 px (it was crushed to 50 px)
        for column, width in ((0, 85), (1, 140), (3, 160), (4, 85), (5, 80), (6, 120), (7, 110), (8, 85)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)

        bottom = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        self.count = QLabel()
        # one line taking the row's free width, the buttons after it (word-wrapped, it was given only its
        # narrow wrapped hint: two lines with the free space left after the buttons); the row itself wraps
        self.count.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bottom.addWidget(self.count, 1)
        self.remind_button = QPushButton("Préparer les relances…")
        self.remind_button.setToolTip("Un brouillon de courriel par référent : ses suites à donner en retard ou "
                                      "à échéance dans les 30 jours (jamais celles d'un groupe confidentiel)")
        self.xlsx_button = QPushButton("Exporter en Excel…")
        self.pdf_button = QPushButton("Exporter en PDF…")
        for button in (self.remind_button, self.xlsx_button, self.pdf_button):
            bottom.addWidget(button)
        layout.addLayout(bottom)

        self.search.textChanged.connect(self.reload)
        for box in (self.open_only, self.overdue_only):
            box.toggled.connect(self.reload)
        for combo in (self.organisation, self.formation, self.period):
            combo.currentIndexChanged.connect(self.reload)
        self.remind_button.clicked.connect(self.prepare_reminders)
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        find = QShortcut(QKeySequence("Ctrl+F"), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.search.setFocus)
        ctx.runner.dispatcher.subscribe(
            self, {Change.MINUTES, Change.MEETINGS, Change.DIRECTORY, Change.FORMATIONS, Change.PLAN, Change.LINKS},
            self._on_changes)
        self._all: list[FollowUpItem] = []
        self._loaded = False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self._loaded:  # read when first shown: the Réunions area opens on its calendar
            self.refresh()

    # --- data ---------------------------------------------------------------------------------------------
    def current_filter(self) -> FollowUpFilter:
        start, end = period_bounds(self.period.value(), self.today)
        return FollowUpFilter(open_only=self.open_only.isChecked(), overdue_only=self.overdue_only.isChecked(),
                              organisation_id=self.organisation.value(), formation_id=self.formation.value(),
                              start=start, end=end, text=self.search.text())

    def refresh(self) -> None:
        self._loaded = True
        self._all = self.ctx.store.followup.items()
        organisations = sorted({(i.organisation_name, i.organisation_id) for i in self._all if i.organisation_id},
                               key=lambda pair: sort_key(pair[0]))
        formations = sorted({(i.formation_name, i.formation_id) for i in self._all}, key=lambda p: sort_key(p[0]))
        for combo, first, choices in ((self.organisation, "Toutes les organisations", organisations),
                                      (self.formation, "Toutes les formations", formations)):
            combo.blockSignals(True)
            combo.set_choices([(first, None), *choices])  # keeps the chosen one when still offered
            combo.blockSignals(False)
        self.reload()

    def _on_changes(self, changes: OpChanges) -> None:
        if self._loaded:
            self.refresh()

    def reload(self) -> None:
        shown = self.current_filter()
        items = [i for i in self._all if shown.keeps(i, self.today)]
        self.model.set_items(items)
        if len(items) <= 500:  # wrapped names on two lines or more; beyond, rows keep one height (speed)
            self.table.resizeRowsToContents()
        overdue = sum(1 for i in items if i.is_overdue(self.today))
        count = f"{len(items)} suite à donner" if len(items) <= 1 else f"{len(items)} suites à donner"
        self.count.setText(f"{count}, dont {overdue} en retard" if overdue else count)

    # --- actions ------------------------------------------------------------------------------------------
    def _save(self, item: FollowUpItem, status: FollowUpStatus, comment: str) -> bool:
        return self.ctx.runner.run(partial(ops.update_item, item_id=item.id, status=status, comment=comment),
                                   parent=self) is not None

    def prepare_reminders(self) -> None:
        folder = messages.choose_folder(self, "Dossier des brouillons de relance")
        if folder is None:
            return

        def written(result: ops.RemindersWritten) -> None:
            extra = {0: "", 1: "\n1 suite à donner n'a pas de référent avec une adresse électronique : "
                        "relancez-la autrement."}.get(
                result.unreachable, f"\n{result.unreachable} suites à donner n'ont pas de référent avec une "
                "adresse électronique : relancez-les autrement.")
            people = "1 référent" if result.people == 1 else f"{result.people} référents"
            messages.inform(self, "Relances préparées",
                            f"Un brouillon par référent ({people}) est prêt dans :\n{folder}\n"
                            f"Ouvrez-les avec votre messagerie pour les relire et les envoyer.{extra}")

        self.ctx.runner.start(partial(ops.write_reminders, folder=Path(folder), today=self.today), parent=self,
                              label="Préparation des relances…", on_success=written)

    def export(self, kind: str) -> None:
        suffix, filters = (".xlsx", "Classeur Excel (*.xlsx)") if kind == "xlsx" else (".pdf", "PDF (*.pdf)")
        suggested = self.ctx.paths.exports_dir / f"suivi-des-decisions-{self.today.isoformat()}{suffix}"
        target = messages.save_file(self, "Exporter le suivi des décisions", suggested, filters)
        if target is None:
            return
        if target.suffix.lower() != suffix:
            target = target.with_name(target.name + suffix)
        shown, today = self.current_filter(), self.today

        def write(env: OpEnv) -> Done[Path]:
            # openpyxl and reportlab are heavy: imported when an export is asked for.
            from clspd_desktop.services.followup_export import export_followup_xlsx
            from clspd_desktop.services.reports.followup_pdf import build_followup_pdf

            writer = export_followup_xlsx if kind == "xlsx" else build_followup_pdf
            return Done(writer(env.store, shown, target, today))

        def saved(path: Path) -> None:
            messages.inform(self, "Suivi des décisions exporté", f"Le fichier est enregistré :\n{path}")

        self.ctx.runner.start(write, parent=self, label="Export du suivi des décisions…", on_success=saved)
