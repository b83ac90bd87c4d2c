"""The warning that stays on the page while members of confidential groups have no valid charter signature.

One line by default (at 1366×768 every line it takes is a member row fewer in the tables below): the count
and the rule, the names behind « Afficher les noms » (and in the banner's accessible description); the charter tab
lists them first.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from clspd_desktop.domain.directory import UnsignedMember
from clspd_desktop.ui import theme

SHOWN_NAMES = 6  # beyond that the banner would push the tables off the screen


class CharterBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("charterBanner")
        c = theme.colours()
        self.setStyleSheet(f"#charterBanner {{ background: {c.warning_bg}; border: 1px solid {c.warning_stripe}; "
                           f"border-radius: 4px; }} #charterBanner QLabel {{ color: {c.warning}; }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 3, 6, 3)
        layout.setSpacing(2)
        line = QHBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)  # one line at 1366 px; wrapped rather than cut when larger text needs it
        self.names_button = QToolButton()
        self.names_button.setText("Afficher les noms")
        self.names_button.setCheckable(True)
        self.names_button.setAutoRaise(True)
        self.names_button.setToolTip("Afficher ou masquer la liste des membres sans signature valide")
        self.names_button.toggled.connect(self._show_names)
        line.addWidget(self.title, 1)
        line.addWidget(self.names_button, 0, Qt.AlignmentFlag.AlignTop)
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.PlainText)  # user names: never rich text
        self.details.setWordWrap(True)
        self.details.hide()
        layout.addLayout(line)
        layout.addWidget(self.details)
        self.members: list[UnsignedMember] = []
        self.hide()

    def _show_names(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.names_button.setText("Masquer les noms" if shown else "Afficher les noms")

    def show_members(self, members: list[UnsignedMember]) -> None:
        self.members = members
        if not members:
            self.hide()
            return
        n = len(members)
        s = "s" if n > 1 else ""
        self.title.setText(f"Attention : {n} membre{s} de groupe{s} confidentiel{s} sans signature valide de la "
                           f"charte {'ne doivent' if n > 1 else 'ne doit'} pas assister aux réunions du groupe.")
        lines = [self.line(m) for m in members[:SHOWN_NAMES]]
        if n > SHOWN_NAMES:
            lines.append(f"… et {n - SHOWN_NAMES} autre{'s' if n - SHOWN_NAMES > 1 else ''} "
                         "(voir l'onglet « Charte déontologique », où ils figurent en tête).")
        self.details.setText("\n".join(lines))
        self.setAccessibleDescription(self.details.text())
        self.names_button.setAccessibleDescription(self.details.text())
        self.show()

    @staticmethod
    def line(member: UnsignedMember) -> str:
        who = member.contact.full_name + (f" ({member.organisation_name})" if member.organisation_name else "")
        return f"• {who} — {member.formation.display_name}"
