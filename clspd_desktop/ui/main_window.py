"""The main window: a navigation list on the left, one area at a time on the right."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop import APP_NAME
from clspd_desktop.ui import theme
from clspd_desktop.ui.accessibility import apply_tree

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from clspd_desktop.ui.runner import OperationRunner



AREA_KEYS = ("Ctrl+F", "Ctrl+N")  # search and create, defined by each area that has them


@dataclass
class Area:
    key: str
    title: str
    build: Callable[[], QWidget]
    shortcut: str = ""


class MainWindow(QMainWindow):
    """Areas are built the first time they are shown; afterwards each keeps itself current through the change
    dispatcher (a hidden area catches up when shown again), so switching area rebuilds nothing.

    A page with unsaved edits may define `can_leave() -> bool` (ask save / discard / cancel): it is asked
    before another area is shown and before the window closes, and False keeps the user where they are.
    """

    def __init__(self, areas: list[Area], window_title: str, parent: QWidget | None = None,
                 about: Callable[[QWidget], None] | None = None, runner: OperationRunner | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(window_title or APP_NAME)
        self.resize(1280, 800)
        self.areas = areas
        self.runner = runner
        self._pages: dict[str, QWidget] = {}

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        side = QWidget()
        side.setObjectName("navigation")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 12, 8, 12)
        heading = QLabel(APP_NAME)
        heading.setObjectName("appHeading")
        side_layout.addWidget(heading)
        self.nav = QListWidget()
        self.nav.setObjectName("navList")
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.nav.setAccessibleName("Rubriques")
        side_layout.addWidget(self.nav)
        layout.addWidget(side)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        for area in areas:
            self._add_nav(area)
        self.nav.currentRowChanged.connect(self._on_row)
        for keys in AREA_KEYS:  # with the keyboard still in the navigation, the area's own key works too
            forward = QAction(self.nav)
            forward.setShortcut(QKeySequence(keys))
            forward.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            forward.triggered.connect(lambda _=False, k=keys: self._forward_to_area(k))
            self.nav.addAction(forward)
        # On the navigation only: a style sheet on the window would restyle every page under it. Sizes
        # follow the system font (points, scaled by Windows at 125 % or 150 %), never pixels.
        heading_font = heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.25)
        heading_font.setBold(True)
        heading.setFont(heading_font)
        nav_font = self.nav.font()
        nav_font.setPointSizeF(nav_font.pointSizeF() * 1.1)
        self.nav.setFont(nav_font)
        c = theme.colours()
        self._side, self._heading = side, heading
        self._fit_navigation()
        side.setStyleSheet(
            f"#navigation {{ background: {c.navigation}; }} "
            f"#appHeading {{ color: {c.nav_selection_text}; padding: 0.3em 0.4em 0.8em 0.4em; }} "
            f"#navList {{ background: transparent; color: {c.nav_text}; }} "
            "#navList::item { padding: 0.6em 0.5em; border-radius: 4px; } "
            f"#navList::item:selected {{ background: {c.nav_selection}; color: {c.nav_selection_text}; }} "
            f"#navList::item:focus {{ outline: 2px solid {c.nav_text}; }} "
        )
        if runner is not None:
            edit_menu = self.menuBar().addMenu("&Édition")
            self.undo_action = edit_menu.addAction("Annuler")
            self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
            self.undo_action.triggered.connect(lambda _=False: runner.undo(self))
            runner.undo_changed.connect(self._show_undo)
            self._show_undo(runner.undo_label)
        if about is not None:
            help_menu = self.menuBar().addMenu("&Aide")
            about_action = help_menu.addAction("À &propos de CLSPD Desktop")
            about_action.setShortcut(QKeySequence("F1"))
            about_action.triggered.connect(lambda _=False: about(self))
            self.about_action = about_action
        if areas:
            self.nav.setCurrentRow(0)

    def _add_nav(self, area: Area) -> None:
        item = QListWidgetItem(area.title)
        if area.shortcut:
            item.setToolTip(f"{area.title} ({area.shortcut})")
            action = QAction(area.title, self)
            action.setShortcut(QKeySequence(area.shortcut))
            action.triggered.connect(lambda _=False, k=area.key: self.show_area(k))
            self.addAction(action)
        self.nav.addItem(item)

    def _fit_navigation(self) -> None:
        widest = max((self.nav.fontMetrics().horizontalAdvance(a.title) for a in self.areas), default=120)
        self._side.setFixedWidth(max(widest, self._heading.sizeHint().width())
                                 + 4 * self.nav.fontMetrics().averageCharWidth() + 24)

    def has_area(self, key: str) -> bool:
        return any(a.key == key for a in self.areas)

    def add_area(self, area: Area) -> None:
        """An area that appears while the app runs (the individual follow-up, once enabled), at the end."""
        if self.has_area(area.key):
            return
        self.areas.append(area)
        self._add_nav(area)
        self._fit_navigation()

    def show_fitted(self) -> None:
        """Shown at its default size where that fits the screen's free area, maximised otherwise: on a
        1366×768 laptop about 1366×705 is left below the taskbar, and 1280×800 hid the bottom buttons."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        free = screen.availableGeometry() if screen is not None else None
        frame = 40  # title bar and borders, which the window's own size leaves out
        if free is not None and (self.width() > free.width() or self.height() + frame > free.height()):
            self.showMaximized()
        else:
            self.show()

    def page(self, key: str) -> QWidget:
        if key not in self._pages:
            area = next(a for a in self.areas if a.key == key)
            widget = area.build()
            apply_tree(widget)
            self._pages[key] = widget
            self.stack.addWidget(widget)
        return self._pages[key]

    def show_area(self, key: str) -> QWidget:
        """The page now shown: the requested one, or the current one when it refused to be left."""
        row = next(i for i, a in enumerate(self.areas) if a.key == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        return self.stack.currentWidget()

    def _forward_to_area(self, keys: str) -> None:
        page = self.stack.currentWidget()
        wanted = QKeySequence(keys)
        for action in page.actions() if page is not None else []:
            if action.shortcut() == wanted and action.isEnabled():
                action.trigger()
                return

    def current_key(self) -> str:
        return self.areas[self.nav.currentRow()].key

    @staticmethod
    def _may_leave(page: QWidget | None) -> bool:
        can_leave = getattr(page, "can_leave", None)
        return not callable(can_leave) or bool(can_leave())

    def _show_undo(self, label: str) -> None:
        """Ctrl+Z names what it would undo; in a text field it undoes the typing instead (Qt's own)."""
        self.undo_action.setText(f"Annuler : {label}" if label else "Annuler")
        self.undo_action.setEnabled(bool(label))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.runner is not None and self.runner.busy:
            event.ignore()
            self._close_after_running_work()
            return
        if all(self._may_leave(page) for page in self._pages.values()):
            event.accept()
        else:
            event.ignore()

    def _close_after_running_work(self) -> None:
        """Long work never dies half-way with the window: stop it where that is safe, or wait for it."""
        from clspd_desktop.ui import messages

        runner = self.runner
        assert runner is not None
        label = runner.running_label
        if runner.cancellable:
            question = f"« {label} » est en cours. L'arrêter et fermer l'application ? Rien ne sera perdu."
            if messages.confirm(self, "Opération en cours", question, "Arrêter et fermer"):
                runner.cancel()
                runner.when_idle(self.close)
            return
        question = (f"« {label} » est en cours et ne peut pas être interrompue sans risque. "
                    "Fermer l'application dès qu'elle sera terminée ?")
        if messages.confirm(self, "Opération en cours", question, "Fermer à la fin"):
            runner.when_idle(self.close)

    def _on_row(self, row: int) -> None:
        if row < 0:
            return
        key = self.areas[row].key
        leaving = self.stack.currentWidget()
        if leaving is not None and leaving is not self._pages.get(key) and not self._may_leave(leaving):
            back = next(i for i, a in enumerate(self.areas) if self._pages.get(a.key) is leaving)
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(back)
            self.nav.blockSignals(False)
            return
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
