"""Showing a generated password for reading over the phone, and asking for one typed from the recovery sheet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.services.passwords import groups, spoken
from clspd_desktop.ui import theme


def _plain(text: str, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


def _mono(factor: float) -> QFont:
    """The system's fixed-width font, `factor` times the system font size (so it follows 14 pt or 150 %)."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(QApplication.font().pointSizeF() * factor)
    font.setBold(True)
    return font


class ShowPasswordDialog(QDialog):
    """The password large and grouped, each group spelled out, and where it must (not) go."""

    def __init__(self, title: str, intro: str, password: str, advice: str, warning: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.password = password
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(intro))
        self.password_label = _plain(password, wrap=False)
        self.password_label.setObjectName("password")
        self.password_label.setFont(_mono(2.4))
        self.password_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.password_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password_label.setStyleSheet(f"padding: 12px; background: {theme.colours().subtle}; border: 1px solid {theme.colours().border};")
        layout.addWidget(self.password_label)
        grid = QGridLayout()
        for row, group in enumerate(groups(password)):
            number = _plain(f"Groupe {row + 1}", wrap=False)
            chars = _plain(group, wrap=False)
            chars.setFont(_mono(1.3))
            grid.addWidget(number, row, 0)
            grid.addWidget(chars, row, 1)
            grid.addWidget(_plain(spoken(group)), row, 2)
        grid.setColumnStretch(2, 1)
        layout.addLayout(grid)
        self.advice = _plain(advice)
        self.advice.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.advice)
        self.warning = _plain(warning)
        self.warning.setObjectName("warning")
        self.warning.setStyleSheet(f"color: {theme.colours().error}; font-weight: bold;")
        self.warning.setVisible(bool(warning))
        layout.addWidget(self.warning)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        self.copy_button = buttons.addButton("Copier le mot de passe", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(640, self.sizeHint().height())

    def copy(self) -> None:
        QApplication.clipboard().setText(self.password)


def pack_password_dialog(password: str, recipient: str, warning: str = "",
                         parent: QWidget | None = None) -> ShowPasswordDialog:
    to = f" ({recipient})" if recipient else ""
    return ShowPasswordDialog(
        "Mot de passe de l'envoi à la préfecture",
        f"L'envoi est chiffré avec ce mot de passe, différent pour chaque envoi. La préfecture{to} en aura "
        "besoin pour ouvrir le fichier avec 7-Zip ou PeaZip.",
        password,
        "Communiquez-le par téléphone ou par SMS, jamais dans le courriel. Lisez-le groupe par groupe, "
        "tirets compris.",
        warning, parent)


class TypePasswordDialog(QDialog):
    """Asks for the backup password (from the recovery sheet) when this PC's keyring cannot give it."""

    def __init__(self, explanation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mot de passe des sauvegardes")
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(explanation))
        self.field = QLineEdit()
        self.field.setObjectName("passwordField")
        self.field.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        self.field.setFont(_mono(1.45))
        layout.addWidget(self.field)
        self.error = _plain("")
        self.error.setStyleSheet(f"color: {theme.colours().error};")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Valider")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self._accept_if_typed)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def _accept_if_typed(self) -> None:
        if not self.field.text().strip():
            self.show_error("Tapez le mot de passe imprimé sur la fiche de secours.")
            return
        self.accept()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def typed(self) -> str:
        return self.field.text()
