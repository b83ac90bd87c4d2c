"""Documents joints à l'ordre du jour: copied into the app's folder (the original may move or vanish)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.text import file_size
from clspd_desktop.services.meeting_documents import document_path
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.ui import messages
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.flow_layout import FlowLayout
from clspd_desktop.ui.widgets.record_table import Column, RecordTable

DOCUMENT_FILTER = "Documents (*.pdf *.odt *.doc *.docx *.xls *.xlsx *.ods *.ppt *.pptx *.png *.jpg);;Tous les fichiers (*)"


class DocumentsTab(QWidget):
    def __init__(self, ctx: AppContext, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        layout = QVBoxLayout(self)
        self.items: dict[int | None, str] = {}
        self.table = RecordTable([
            Column("Point de l'ordre du jour", lambda d: self.items.get(d.agenda_item_id, "(général)"), 280),
            Column("Document", lambda d: d.original_name, 330),
            Column("Taille", lambda d: file_size(d.size), 80, sort_key=lambda d: d.size)], identity=lambda d: d.id)
        self.table.setAccessibleName("Documents de la réunion")
        layout.addWidget(self.table, 1)
        row = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        row.addWidget(QLabel("Joindre au point :"))
        self.agenda_item = ChoiceBox()
        self.agenda_item.setAccessibleName("Joindre au point")
        row.addWidget(self.agenda_item, 1)
        self.add_button = QPushButton("Joindre un document…")
        self.open_button = QPushButton("Ouvrir")
        self.remove_button = QPushButton("Retirer")
        for button in (self.add_button, self.open_button, self.remove_button):
            row.addWidget(button)
        layout.addLayout(row)
        self.add_button.clicked.connect(self.add)
        self.open_button.clicked.connect(self.open_current)
        self.table.open_requested.connect(self.open_current)
        self.remove_button.clicked.connect(self.remove)
        self.table.delete_requested.connect(self.remove)
        ctx.runner.dispatcher.subscribe(self, {Change.MEETINGS}, self._on_changes)
        self.reload()

    def _on_changes(self, changes: OpChanges) -> None:
        self.reload()

    def reload(self) -> None:
        agenda = self.ctx.store.meetings.agenda(self.meeting_id)
        self.items = {i.id: f"{i.position}. {i.title}" for i in agenda}
        self.agenda_item.set_choices([("(document général)", None), *((t, i) for i, t in self.items.items())])
        self.table.set_records(self.ctx.store.meetings.documents(self.meeting_id))

    def add(self) -> None:
        source = messages.open_file(self, "Joindre un document", DOCUMENT_FILTER)
        if source is None:
            return
        self.ctx.runner.start(partial(ops.attach_document, meeting_id=self.meeting_id, source=source,
                                      agenda_item_id=self.agenda_item.value()),
                              parent=self, label="Copie du document…", title="Document non ajouté")

    def open_current(self) -> None:
        document = self.table.current_record()
        if document is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(document_path(self.ctx.paths.documents_dir, document))))

    def remove(self) -> None:
        document = self.table.current_record()
        if document and messages.confirm(self, "Retirer le document",
                                         f"Retirer « {document.original_name} » de la réunion ?", "Retirer"):
            self.ctx.runner.run(partial(ops.remove_document, document_id=document.id), parent=self)
