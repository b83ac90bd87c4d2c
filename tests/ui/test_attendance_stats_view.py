"""Statistiques de présence: period picker, tables per organisation and per referent, chart rows, XLSX export."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from clspd_desktop.ui.meetings.attendance_stats import AttendanceStatsView
from tests.unit.test_attendance_stats import END, START, expected, populate


def computed(qtbot, ctx) -> None:
    """The figures are counted on the worker: wait until they are shown."""
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)


def table_rows(table) -> dict[str, list[str]]:
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())}


def test_period_tables_chart_and_export(qtbot, ctx, dialogs, tmp_path):
    populate(ctx.store)
    view = AttendanceStatsView(ctx)
    qtbot.addWidget(view)
    view.set_period(START, END)
    computed(qtbot, ctx)
    rows = table_rows(view.organisations)
    reference = expected(ctx.store, "i.organisation_name")
    assert {name: (int(r[1]), int(r[2]) + int(r[3])) for name, r in rows.items()} == reference
    assert "=Association <R&D>" in rows  # shown as typed, never interpreted
    assert view.referents.rowCount() == 6
    assert "9 réunions" in view.caption.text()
    assert [r.label for r in view.chart.rows] == sorted(reference, key=lambda k: (
        -reference[k][1] / reference[k][0], k))
    view.tabs.setCurrentWidget(view.referents)
    assert len(view.chart.rows) == 6

    dialogs.files.append(tmp_path / "stats")
    view.export_button.click()
    computed(qtbot, ctx)
    workbook = load_workbook(tmp_path / "stats.xlsx")
    assert workbook.sheetnames == ["Par organisation", "Par référent"]
    assert workbook["Par organisation"].max_row == 2 + len(reference)


def test_formation_filter_and_bad_period(qtbot, ctx, dialogs):
    _, group, _ = populate(ctx.store)
    view = AttendanceStatsView(ctx)
    qtbot.addWidget(view)
    view.set_period(START, END)
    computed(qtbot, ctx)
    view.formation.setCurrentIndex(view.formation.findData(group.id))
    computed(qtbot, ctx)
    assert "5 réunions" in view.caption.text()
    view.end.setText("32/13/2025")
    view.refresh_button.click()
    assert "Date non reconnue" in dialogs.warned[-1][1]
    view.set_period(date(2025, 12, 31), date(2025, 1, 1))
    computed(qtbot, ctx)
    assert "précède" in dialogs.warned[-1][1]


def test_figures_computed_when_first_shown_and_empty_chart(qtbot, ctx):
    view = AttendanceStatsView(ctx)
    qtbot.addWidget(view)
    assert view.stats is None  # not counted while hidden (it is a tab of the Réunions area)
    view.show()
    qtbot.waitExposed(view)
    computed(qtbot, ctx)
    assert view.stats is not None and view.stats.meetings == 0
    assert view.organisations.rowCount() == 0 and view.chart.rows == []
    view.chart.repaint()  # paints the empty message without error


def test_organisation_names_have_room_at_1366_pixels(qtbot, ctx):
    """Seen in the walk: at 1366 × 768 the six figure columns took the table and « Centre communal … » was cut
    to a few letters a line. The names' column now holds about 28 characters a line."""
    from PySide6.QtWidgets import QApplication

    from clspd_desktop.app import build_main_window
    from clspd_desktop.services.demo_data import populate_demo

    populate_demo(ctx.store)  # ~40 organisations: the chart scrolls vertically, as on the real screen
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_area("meetings")
    page.tabs.setCurrentWidget(page.stats)
    QApplication.processEvents()
    table = page.stats.organisations
    assert table.columnWidth(0) >= 28 * table.fontMetrics().averageCharWidth()
    chart_area = page.stats.chart.parentWidget().parentWidget()  # the chart's scroll area, beside the tables
    assert not chart_area.horizontalScrollBar().isVisible()
