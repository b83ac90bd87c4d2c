"""Issue 16, point 9: the town-hall laptop's 1366×768 screen (about 1366×705 free below the taskbar). The main
window on the demo data, every area and tab, and the main dialogs fit; no table column is narrower than its
header; Ctrl+1…Ctrl+7 follow the navigation; a window that does not fit opens maximised."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QTableView, QWidget

from clspd_desktop.app import build_main_window
from clspd_desktop.context import AppContext
from clspd_desktop.services.demo_data import populate_demo
from clspd_desktop.ui.widgets import modal
from tests.ui.a11y_walk import close, describe, dialog_factories, shown, visit_tabs, wait_until_loaded

FREE = QRect(0, 0, 1366, 705)  # 1366×768 less the Windows taskbar
FRAME = 40  # the title bar and borders the window manager adds
# tables whose every column must show without scrolling sideways (the plan's table of actions is wide by design)
WHOLE_TABLES = ("Référents", "Réunions")
MAIN_DIALOGS = ("OrganisationDialog", "ContactDialog", "ContactRecordDialog", "MeetingDialog", "MeetingDetail",
                "ActionItemDialog", "DecisionDialog", "ActionDialog", "SignatureDialog", "MailSettingsDialog",
                "CouncilAssistant", "ImportDialog", "AddMembersDialog", "WorkingGroupDialog")


@pytest.fixture
def demo_ctx(paths, store) -> AppContext:
    populate_demo(store)
    return AppContext.create(paths, store)


def narrow_columns(root: QWidget) -> list[str]:
    """Visible columns of the shown tables cut narrower than their header's text (a stretched column too:
    it is the one left with what the others do not take)."""
    found = []
    for table in root.findChildren(QTableView):
        if not table.isVisible() or table.model() is None:
            continue
        header = table.horizontalHeader()
        metrics = header.fontMetrics()
        for column in range(header.count()):
            if header.isSectionHidden(column):
                continue
            text = str(table.model().headerData(column, Qt.Orientation.Horizontal) or "")
            if text and header.sectionSize(column) < metrics.horizontalAdvance(text) + 12:
                found.append(f"« {text} » ({header.sectionSize(column)} px) dans {table.accessibleName() or describe(table)}")
    return found


def columns_beyond_view(root: QWidget) -> list[str]:
    """Visible columns of the shown tables that begin or end beyond the table's width: reachable only by a
    horizontal scroll bar (« Charte signée » of the referents' list at 1366 px)."""
    found = []
    for table in root.findChildren(QTableView):
        if not table.isVisible() or table.model() is None or table.accessibleName() not in WHOLE_TABLES:
            continue
        header = table.horizontalHeader()
        for column in range(header.count()):
            if not header.isSectionHidden(column) \
                    and header.sectionPosition(column) + header.sectionSize(column) > table.viewport().width():
                text = str(table.model().headerData(column, Qt.Orientation.Horizontal) or column)
                found.append(f"« {text} » dans {table.accessibleName() or describe(table)}")
    return found


def off_window_buttons(window: QWidget) -> list[str]:
    """Visible buttons of the shown page lying, even partly, outside the window (not inside a scroll area,
    whose content may extend beyond it by design)."""
    from PySide6.QtWidgets import QScrollArea

    area = window.rect()
    found = []
    for button in window.findChildren(QAbstractButton):
        if not button.isVisible() or any(isinstance(p, QScrollArea) for p in _ancestors(button)):
            continue
        top_left = button.mapTo(window, QPoint(0, 0))
        if not area.contains(QRect(top_left, button.size())):
            found.append(describe(button))
    return found


def _ancestors(widget: QWidget) -> list[QWidget]:
    chain = []
    parent = widget.parentWidget()
    while parent is not None:
        chain.append(parent)
        parent = parent.parentWidget()
    return chain


def test_every_area_fits_1366x768_with_no_cut_header_or_hidden_button(qtbot, demo_ctx):
    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    window.resize(FREE.width(), FREE.height() - FRAME)
    window.show()
    problems: list[str] = []
    for area in window.areas:
        page = window.show_area(area.key)
        QApplication.processEvents()
        wait_until_loaded(page)
        visit_tabs(page)
        minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
        if minimum.width() > FREE.width() or minimum.height() > FREE.height() - FRAME:
            problems.append(f"{area.title} : la fenêtre exige {minimum.width()}×{minimum.height()}")
        if window.width() > FREE.width() or window.height() > FREE.height() - FRAME:
            problems.append(f"{area.title} : la fenêtre a grandi à {window.width()}×{window.height()}")
        # each tab as the user sees it: its columns and its buttons
        from PySide6.QtWidgets import QTabWidget

        tab_widgets = page.findChildren(QTabWidget)
        stops = [(tabs, i) for tabs in tab_widgets for i in range(tabs.count())] or [(None, 0)]
        for tabs, index in stops:
            if tabs is not None:
                tabs.setCurrentIndex(index)
                QApplication.processEvents()
            where = f"{area.title}" + (f" › {tabs.tabText(index)}" if tabs is not None else "")
            problems += [f"{where} : colonne {c}" for c in narrow_columns(page)]
            problems += [f"{where} : colonne au-delà du tableau {c}" for c in columns_beyond_view(page)]
            problems += [f"{where} : bouton hors de la fenêtre : {b}" for b in off_window_buttons(window)]
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_main_dialogs_fit_the_free_area(qtbot, demo_ctx):
    too_big = []
    for name, build in dialog_factories(demo_ctx):
        if name.split(" ")[0] not in MAIN_DIALOGS:
            continue
        dialog = build()
        modal.fit_to_screen(dialog, FREE.size() - modal.FRAME)  # as widgets.modal.run shows it
        dialog = shown(dialog)
        size = dialog.size()  # the frame is counted in FRAME
        if size.width() > FREE.width() or size.height() + FRAME > FREE.height():
            too_big.append(f"{name} : {size.width()}×{size.height()}")
        minimum = dialog.minimumSizeHint()
        if minimum.height() + FRAME > FREE.height():
            too_big.append(f"{name} : au moins {minimum.width()}×{minimum.height()}")
        too_big += [f"{name} : colonne {c}" for c in narrow_columns(dialog)]
        close(dialog)
    assert not too_big, "\n".join(too_big)


def test_ctrl_1_to_7_follow_the_navigation_order(qtbot, demo_ctx):
    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    keys = [area.shortcut for area in window.areas[:7]]
    assert keys == [f"Ctrl+{n}" for n in range(1, 8)]
    titles = [window.nav.item(row).text() for row in range(window.nav.count())]
    for number, area in enumerate(window.areas[:7], start=1):
        [action] = [a for a in window.actions() if a.shortcut() == QKeySequence(f"Ctrl+{number}")]
        action.trigger()
        assert window.current_key() == area.key and titles[number - 1] == area.title


def test_a_window_larger_than_the_screen_opens_maximised(qtbot, demo_ctx):
    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    free = window.screen().availableGeometry()
    window.resize(free.width() + 100, free.height() + 100)
    window.show_fitted()
    assert window.isMaximized()
    small = build_main_window(demo_ctx)
    qtbot.addWidget(small)
    small.resize(min(640, free.width() - 50), min(400, free.height() - 100))
    small.show_fitted()
    assert small.isVisible() and not small.isMaximized()


def test_minutes_editor_jumps_to_its_decisions_and_actions(qtbot, demo_ctx):
    """At 1366×768 the decisions and actions lie below the agenda's notes: « Aller à » brings them up."""
    from clspd_desktop.ui.meetings.minutes_editor import MinutesEditor
    from tests.ui.a11y_walk import _first_meeting_with_minutes

    meeting = _first_meeting_with_minutes(demo_ctx)
    editor = MinutesEditor(demo_ctx, meeting.id)
    qtbot.addWidget(editor)
    editor.resize(1100, 480)  # the minutes tab of a meeting window at 1366×768
    editor.show()
    qtbot.waitExposed(editor)
    viewport = editor.viewport()

    def on_screen(widget) -> bool:
        top = widget.mapTo(viewport, QPoint(0, 0)).y()
        return top >= 0 and top + 20 <= viewport.height()

    assert not on_screen(editor.actions_heading)  # below the fold at first
    editor.jump_buttons["actions"].click()
    assert on_screen(editor.actions_heading) and editor.window().focusWidget() is editor.actions
    editor.jump_buttons["decisions"].click()
    assert on_screen(editor.decisions_heading) and editor.window().focusWidget() is editor.decisions
    assert editor.jump_buttons["carried"].isHidden() == editor.carried.isHidden()


def test_the_follow_up_search_shows_its_whole_hint_and_the_groups_tab_its_members(qtbot, demo_ctx):
    """The « Suivi des décisions » and plan searches' hints were cut (« …, un responsable, u… »); the charter
    banner took four lines above the groups tab, which showed eight members."""
    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    window.resize(FREE.width(), FREE.height() - FRAME)
    window.show()
    meetings = window.show_area("meetings")
    meetings.tabs.setCurrentWidget(meetings.followup)
    QApplication.processEvents()
    search = meetings.followup.search
    assert search.isVisible() and search.width() >= search.placeholder_width(), search.placeholderText()
    plan = window.show_area("plan")
    wait_until_loaded(plan)
    plan.tabs.setCurrentWidget(plan.table)
    QApplication.processEvents()
    search = plan.table.search
    assert search.isVisible() and search.width() >= search.placeholder_width(), search.placeholderText()

    partners = window.show_area("partners")
    partners.tabs.setCurrentWidget(partners.formations)
    QApplication.processEvents()
    banner = partners.banner
    assert banner.isVisible() and not banner.details.isVisible()  # the names behind « Afficher les noms »
    assert banner.title.height() < 2 * banner.title.fontMetrics().lineSpacing()  # one line
    members = partners.formations.members
    assert members.viewport().height() // members.rowHeight(0) >= 9
    banner.names_button.click()
    assert banner.details.isVisible() and "Cellule de suivi" in banner.details.text()
    assert banner.names_button.text() == "Masquer les noms"
