"""What every panel of the « Rapports » area shares: its heading and its look."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

PDF_FILTER = "Document PDF (*.pdf)"
ACCENT = "#1f3b57"
MUTED = "#5f6b76"

Today = Callable[[], date]


def plain_label(text: str = "", style: str = "") -> QLabel:
    """A wrapped label that never interprets user text as rich text (a name like « <b> » stays as typed)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if style:
        label.setStyleSheet(style)
    return label


def notice_label() -> QLabel:
    """The orange box saying why a document cannot be produced yet (hidden when there is nothing to say)."""
    label = plain_label(style="background: #fff4e5; border-left: 4px solid #c77700; padding: 7px; color: #4a3000;")
    label.setObjectName("notice")
    label.hide()
    return label


def show_notice(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def panel_heading(layout: QVBoxLayout, title: str, explanation: str) -> None:
    """Title and a short explanation at the top of a panel: what the document is for, for whom."""
    heading = plain_label(title, f"font-size: 19px; font-weight: bold; color: {ACCENT};")
    heading.setObjectName("panelTitle")
    layout.addWidget(heading)
    text = plain_label(explanation, f"color: {MUTED}; font-size: 13px;")
    layout.addWidget(text)


def contents_label(items: list[str]) -> QWidget:
    """'Ce document contient :' and a bullet list (hanging indent, plain text), so the user knows what they
    will get before producing it."""
    box = QWidget()
    grid = QGridLayout(box)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(6)
    grid.setVerticalSpacing(3)
    grid.addWidget(plain_label("Ce document contient :", "font-weight: bold;"), 0, 0, 1, 2)
    for row, item in enumerate(items, 1):
        bullet = QLabel("•")
        bullet.setAlignment(Qt.AlignmentFlag.AlignTop)
        grid.addWidget(bullet, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        grid.addWidget(plain_label(item), row, 1)
    grid.setColumnMinimumWidth(0, 18)
    grid.setColumnStretch(1, 1)
    return box


def card(widget: QWidget) -> QWidget:
    """The white card the panels sit on, against the page's light grey background."""
    widget.setObjectName("reportCard")
    widget.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    widget.setStyleSheet("#reportCard { background: white; border: 1px solid #d5dde5; border-radius: 6px; }")
    return widget
