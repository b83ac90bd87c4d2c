"""The dashboard's heading as the walk saw it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel

from clspd_desktop.ui.dashboard import DashboardPage


def test_the_date_inside_the_subtitle_keeps_its_lower_case_weekday(qtbot, ctx):
    """French writes « … délinquance — samedi 5 décembre 2026 », not « — Samedi »."""
    page = DashboardPage(ctx, today=date(2026, 12, 5))
    qtbot.addWidget(page)
    subtitle = next(label for label in page.findChildren(QLabel) if label.objectName() == "subtitle")
    assert subtitle.text().endswith(" — samedi 5 décembre 2026")
