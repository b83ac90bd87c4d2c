"""What every panel of the « Rapports » area shares: its heading and its look."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from clspd_desktop.ui import theme

PDF_FILTER = "Document PDF (*.pdf)"

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
    c = theme.colours()
    label = plain_label(style=f"background: {c.warning_bg}; border-left: 4px solid {c.warning_stripe}; padding: 7px; "
                              f"color: {c.warning};")
    label.setObjectName("notice")
    label.hide()
    return label


def show_notice(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def panel_heading(layout: QVBoxLayout, title: str, explanation: str) -> None:
    """Title and a short explanation at the top of a panel: what the document is for, for whom."""
    heading = plain_label(title, f"color: {theme.colours().accent};")
    theme.set_relative_size(heading, 1.5, bold=True)
    heading.setObjectName("panelTitle")
    layout.addWidget(heading)
    text = plain_label(explanation, f"color: {theme.colours().muted};")
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
    """The card the panels sit on, against the page's background."""
    widget.setObjectName("reportCard")
    widget.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    c = theme.colours()
    widget.setStyleSheet(f"#reportCard {{ background: {c.base}; border: 1px solid {c.border}; border-radius: 6px; }}")
    return widget
