"""Issue 18: the app works on a 1366×768 screen scaled to 125 % (1093×614 logical pixels) with the system
font at 9 pt or 14 pt, and at 150 % (911×512) with 9 pt: the main window's minimum size, once every area
and tab has been opened, fits; every dialog, fitted to the screen as `widgets.modal.run` does, needs no more
than the room left (its fields scroll); calendar chips too narrow for their text end with « … »."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from clspd_desktop.app import build_main_window
from clspd_desktop.context import AppContext
from clspd_desktop.domain.meetings import Meeting
from clspd_desktop.services.demo_data import populate_demo
from clspd_desktop.ui.plan.action_dialog import ActionDialog
from clspd_desktop.ui.widgets.modal import FRAME, fit_to_screen
from tests.ui.a11y_walk import close, dialog_factories, open_every_area, shown

SCREENS = {  # logical size of a 1366×768 screen at each scaling, and the system fonts checked there
    "125 %": (QSize(1093, 614), (9, 14)),
    "150 %": (QSize(911, 512), (9,)),
}
CASES = [(name, size, points) for name, (size, fonts) in SCREENS.items() for points in fonts]
IDS = [f"{name} {points} pt" for name, _, points in CASES]


@pytest.fixture
def demo_ctx(paths, store) -> AppContext:
    populate_demo(store)
    return AppContext.create(paths, store)


@pytest.fixture
def system_font(qapp):
    """Sets the system font size (points) for the widgets built afterwards; restored after the test."""
    previous = QApplication.font()

    def set_points(points: float) -> None:
        font = QApplication.font()
        font.setPointSizeF(points)
        QApplication.setFont(font)

    yield set_points
    QApplication.setFont(previous)


def needed(widget) -> QSize:
    """What the widget cannot be shrunk below: its own minimum and its layout's."""
    return widget.minimumSizeHint().expandedTo(widget.minimumSize())


@pytest.mark.parametrize(("screen", "size", "points"), CASES, ids=IDS)
def test_main_window_fits_once_every_area_is_open(qtbot, demo_ctx, system_font, screen, size, points):
    system_font(points)
    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    open_every_area(window)
    minimum = needed(window)
    assert minimum.width() <= size.width() and minimum.height() <= size.height(), (screen, points, minimum)


@pytest.mark.parametrize(("screen", "size", "points"), CASES, ids=IDS)
def test_every_dialog_fits_the_screen(qtbot, demo_ctx, system_font, screen, size, points):
    system_font(points)
    room = size - FRAME
    too_big = {}
    for title, build in dialog_factories(demo_ctx):
        dialog = shown(build())
        fit_to_screen(dialog, room)
        minimum = needed(dialog)
        if minimum.width() > room.width() or minimum.height() > room.height() \
                or dialog.width() > room.width() or dialog.height() > room.height():
            too_big[title] = (minimum.width(), minimum.height(), dialog.width(), dialog.height())
        close(dialog)
    assert too_big == {}


def test_a_dialog_written_for_100_percent_shrinks_to_the_screen(qtbot, demo_ctx):
    plan = demo_ctx.store.plan.plans()[0]
    action = demo_ctx.store.plan.get_action(demo_ctx.store.plan.action_rows(plan.id)[0].id)
    dialog = ActionDialog(demo_ctx, plan, action)
    qtbot.addWidget(dialog)
    assert dialog.minimumHeight() == 640  # its own wish, above 150 %'s 512 logical pixels
    fit_to_screen(dialog, QSize(911, 512) - FRAME)
    dialog.show()
    QApplication.processEvents()
    assert dialog.height() <= 512 - FRAME.height() and dialog.minimumHeight() <= 512 - FRAME.height()
    assert dialog.buttons.isVisible() and dialog.buttons.geometry().bottom() <= dialog.height()


def test_a_form_shorter_than_its_fields_scrolls_them_and_keeps_its_buttons_in_view(qtbot, demo_ctx):
    from clspd_desktop.ui.partners.contact_dialog import ContactDialog

    dialog = ContactDialog(demo_ctx)
    qtbot.addWidget(dialog)
    fit_to_screen(dialog, QSize(900, 220))
    dialog.show()
    QApplication.processEvents()
    assert dialog.height() <= 220 and dialog.body_area.verticalScrollBar().maximum() > 0
    assert dialog.buttons.isVisible() and dialog.buttons.geometry().bottom() <= dialog.height()


def test_a_calendar_chip_too_narrow_for_its_text_ends_with_an_ellipsis(qtbot, ctx):
    from clspd_desktop.ui.meetings.page import MeetingsPage
    from tests.ui.test_meetings_screens import plenary

    ctx.store.meetings.save_meeting(Meeting(formation_id=plenary(ctx), starts_at=datetime(2025, 3, 18, 14),
                                            ends_at=datetime(2025, 3, 18, 16), title="Plénière"))
    page = MeetingsPage(ctx, today=date(2025, 3, 12))
    qtbot.addWidget(page)
    page.resize(900, 700)
    page.show()
    qtbot.waitUntil(lambda: not page.loading)  # the meetings are read on a worker for the first show
    chip = page.month.cell(date(2025, 3, 18)).chips[0]
    full = chip.text()
    chip.resize(chip.fontMetrics().horizontalAdvance(full) + 40, chip.height())
    assert chip.shown_text() == full
    chip.resize(chip.fontMetrics().horizontalAdvance(full) // 2, chip.height())
    shown_text = chip.shown_text()
    assert shown_text.endswith("…") and full.startswith(shown_text[:-1]) and shown_text != full
    assert chip.text() == full and chip.accessibleName() == full and chip.toolTip()


def test_a_form_dialog_opens_with_all_its_fields_when_the_screen_has_room(qtbot, demo_ctx):
    """The scroll area is for short screens only: fitted and shown as `modal.run` does, a form opens tall
    enough for all of its fields."""
    from clspd_desktop.ui.partners.contact_dialog import ContactDialog

    dialog = ContactDialog(demo_ctx)
    qtbot.addWidget(dialog)
    fit_to_screen(dialog, QSize(1600, 1000))
    dialog.show()
    QApplication.processEvents()
    assert dialog.body_area.verticalScrollBar().maximum() == 0
    assert dialog.body_area.height() >= dialog.body_area.widget().sizeHint().height()
