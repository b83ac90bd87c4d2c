"""The dialog unexpected errors (bugs) open, with copyable details; the hook that opens it is in `crash_hook`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class CrashDialog(QDialog):
    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Erreur inattendue")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        where = f" Le détail est aussi enregistré dans « {log_file} »." if log_file else ""
        label = QLabel(
            "<b>Une erreur inattendue s'est produite.</b><br>Vos données enregistrées ne sont pas perdues. "
            f"Copiez le détail ci-dessous et transmettez-le à votre support.{where}"
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Détail de l'erreur")
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copier le détail", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details.toPlainText())
