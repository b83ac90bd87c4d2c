"""« Diffuser le compte rendu »: the participants (present, represented, excused) with a box each; those
ticked get an e-mail draft with the minutes PDF. A confidential group's conclusions are refused with the
reason (they are printed, never e-mailed)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import UserError
from clspd_desktop.services import mail
from clspd_desktop.services.minutes_distribution import Recipient, recipients
from clspd_desktop.services.operations import meeting_copies as copies
from clspd_desktop.ui import messages
from clspd_desktop.ui.widgets import modal


class DistributionDialog(QDialog):
    """Choose who receives the minutes; nothing is written here (the drafts are made on the worker)."""

    def __init__(self, offered: list[Recipient], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Diffuser le compte rendu")
        self.setMinimumWidth(900)
        layout = QVBoxLayout(self)
        intro = QLabel("Cochez les participants qui recevront le compte rendu (en PDF joint à un courriel à "
                       "relire dans votre messagerie). Les absents ne sont pas proposés.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(offered), 4)
        self.table.setHorizontalHeaderLabels(["Participant", "Organisation", "Présence", "Adresse électronique"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.rows: list[tuple[QTableWidgetItem, Recipient]] = []
        for row, person in enumerate(offered):
            tick = QTableWidgetItem(person.name)
            if person.email:
                tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                tick.setCheckState(Qt.CheckState.Checked)
            else:  # nothing to send to: shown so the user knows to hand it over otherwise
                tick.setFlags(Qt.ItemFlag.NoItemFlags)
                tick.setToolTip("Pas d'adresse électronique : remettez-lui le compte rendu autrement.")
            address = QTableWidgetItem(person.email or "pas d'adresse : à remettre autrement")
            for column, item in enumerate((tick, QTableWidgetItem(person.organisation),
                                           QTableWidgetItem(person.attendance.label), address)):
                self.table.setItem(row, column, item)
            self.rows.append((tick, person))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(min(60 + 30 * len(offered), 420))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Préparer les courriels")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> list[int]:
        return [person.invitation_id for tick, person in self.rows if tick.checkState() == Qt.CheckState.Checked]

    def tick(self, invitation_id: int, ticked: bool) -> None:
        for item, person in self.rows:
            if person.invitation_id == invitation_id and person.email:
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def accept(self) -> None:
        if not self.chosen():
            messages.warn(self, "Aucun destinataire", "Cochez au moins un participant qui a une adresse "
                                                       "électronique.")
            return
        super().accept()


def distribute(ctx: AppContext, meeting_id: int, parent: QWidget) -> bool:
    """Ask who receives the minutes, write the drafts on the worker, open them; False when refused or
    cancelled (a confidential group: the refusal says why)."""
    try:
        offered = recipients(ctx.store, meeting_id)
    except UserError as exc:
        messages.show_error(parent, exc, "Diffusion impossible")
        return False
    if not offered:
        messages.warn(parent, "Aucun participant", "Aucun invité n'est noté présent, représenté ou excusé : "
                      "remplissez d'abord la présence en séance.")
        return False
    dialog = DistributionDialog(offered, parent)
    if not modal.run(dialog):
        return False
    without = [p.name for p in offered if not p.email]

    def ready(drafts: list[Path]) -> None:
        try:
            mail.open_with_system(drafts[0] if len(drafts) == 1 else drafts[0].parent)
        except UserError as exc:
            messages.show_error(parent, exc)
        missing = f"\n\nSans adresse électronique (à remettre autrement) : {', '.join(without)}." if without else ""
        messages.inform(parent, "Courriels prêts",
                        f"{plural(len(drafts), 'brouillon enregistré', 'brouillons enregistrés')} avec le "
                        f"compte rendu en PDF, dans :\n{drafts[0].parent}\n"
                        "Ouvrez-les dans votre messagerie, relisez-les puis envoyez-les." + missing)

    return ctx.runner.start(partial(copies.distribute_minutes, meeting_id=meeting_id, chosen=dialog.chosen()),
                            parent=parent, label="Préparation des courriels du compte rendu…", on_success=ready)
