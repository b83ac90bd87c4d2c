"""Create or edit a working group; "situations individuelles" forces the confidential flag (L132-5)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.directory import Formation, FormationKind, WorkingGroupType
from clspd_desktop.services.operations import directory as ops
from clspd_desktop.ui import theme
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.form_dialog import FormDialog

FORCED_NOTE = ("Un groupe qui traite de situations individuelles est toujours confidentiel : seuls les "
               "signataires de la charte déontologique peuvent y siéger (art. L132-5 du CSI).")


class WorkingGroupDialog(FormDialog):
    def __init__(self, ctx: AppContext, formation: Formation | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Modifier le groupe de travail" if formation else "Nouveau groupe de travail", parent)
        self.ctx = ctx
        self.formation = formation or Formation(kind=FormationKind.WORKING_GROUP, name="",
                                                wg_type=WorkingGroupType.THEMATIC)
        f = self.formation
        self.name = self.add_field("Nom *", QLineEdit(f.name), "name")
        self.wg_type = self.add_field("Type", ChoiceBox((t.label, t) for t in WorkingGroupType), "wg_type")
        self.wg_type.select(f.wg_type)
        self.confidential = self.add_field(
            "Confidentialité", QCheckBox("Groupe confidentiel (échanges d'informations confidentielles)"),
            "confidential")
        self.confidential.setChecked(f.confidential)
        self.forced_note = QLabel(FORCED_NOTE)
        self.forced_note.setWordWrap(True)
        self.forced_note.setTextFormat(Qt.TextFormat.PlainText)
        self.forced_note.setStyleSheet(f"color: {theme.colours().muted};")
        self.form.addRow("", self.forced_note)
        self.description = self.add_field("Description", QPlainTextEdit(f.description), "description")
        self.description.setFixedHeight(80)
        self.wg_type.currentIndexChanged.connect(self._sync_confidential)
        self._sync_confidential()

    def _sync_confidential(self) -> None:
        forced = self.wg_type.value() is WorkingGroupType.INDIVIDUAL_SITUATIONS
        if forced:
            self.confidential.setChecked(True)
        self.confidential.setEnabled(not forced)
        self.forced_note.setVisible(forced)

    def save(self) -> None:
        edited = Formation(
            id=self.formation.id, kind=FormationKind.WORKING_GROUP, name=self.name.text(),
            wg_type=self.wg_type.value(), confidential=self.confidential.isChecked(),
            description=self.description.toPlainText(),
        )
        self.formation = self.ctx.runner.call(partial(ops.save_working_group, formation=edited))
