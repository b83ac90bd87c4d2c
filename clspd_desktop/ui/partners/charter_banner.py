"""The warning that stays on the page while members of confidential groups have no valid charter signature."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

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
        layout.setContentsMargins(10, 6, 10, 6)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.PlainText)  # user names: never rich text
        self.details.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        self.members: list[UnsignedMember] = []
        self.hide()

    def show_members(self, members: list[UnsignedMember]) -> None:
        self.members = members
        if not members:
            self.hide()
            return
        n = len(members)
        self.title.setText(
            f"Attention : {n} membre{'s' if n > 1 else ''} de groupe{'s' if n > 1 else ''} confidentiel"
            f"{'s' if n > 1 else ''} sans signature valide de la charte déontologique. "
            "Ces personnes ne doivent pas assister aux réunions du groupe tant qu'elles n'ont pas signé.")
        lines = [self.line(m) for m in members[:SHOWN_NAMES]]
        if n > SHOWN_NAMES:
            lines.append(f"… et {n - SHOWN_NAMES} autre{'s' if n - SHOWN_NAMES > 1 else ''} "
                         "(voir l'onglet « Charte déontologique », où ils figurent en tête).")
        self.details.setText("\n".join(lines))
        self.show()

    @staticmethod
    def line(member: UnsignedMember) -> str:
        who = member.contact.full_name + (f" ({member.organisation_name})" if member.organisation_name else "")
        return f"• {who} — {member.formation.display_name}"
