"""Keyboard and screen-reader basics applied to every widget the app shows (EN 301 549, chapter 11).

Applied to a whole window or page when it is built or shown (`apply_tree`: the main window's areas, every
dialog run through `widgets.modal`), so no screen can forget them:
- Tab leaves a text area (a coordinator's notes never need a tab character) and a table (arrows move
  inside it); Ctrl+Tab still types a tab where Qt allows it; a selected row of a list, table or tree is
  written in the selection's text colour (`theme.SelectedRowsDelegate`);
- a widget with no accessible name gets the text a sighted user reads for it: its form label (the label's
  buddy; a « Formation : » label just before a field in a row becomes its buddy), its placeholder, its button text or its tooltip; the clear button inside a search field is named.
Screens still name their widgets explicitly where the visible text is not enough.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QStyledItemDelegate,
    QTextEdit,
    QToolButton,
    QWidget,
)

ACCEPTS_TABS = "accepteTabulations"  # a widget property: this text area keeps Tab for tab characters


def visible_text(text: str) -> str:
    """A label as a screen reader should say it: no mnemonic '&', no trailing ':' or '*'."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.strip().rstrip(":*").strip()


def label_for(widget: QWidget) -> str:
    """The text of the form label whose buddy is `widget` (or an ancestor holding it), if any."""
    window = widget.window()
    for label in window.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None and (buddy is widget or buddy.isAncestorOf(widget)):
            return visible_text(label.text())
    return ""


def containing_layout(widget: QWidget) -> QLayout | None:
    """The layout (possibly nested) that holds `widget` directly."""
    parent = widget.parentWidget()
    pending = [parent.layout()] if parent is not None and parent.layout() is not None else []
    while pending:
        layout = pending.pop()
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item.widget() is widget:
                return layout
            if item.layout() is not None:
                pending.append(item.layout())
    return None


def caption_before(widget: QWidget) -> QLabel | None:
    """A « Formation : » label placed just before `widget` in a row, not yet anybody's buddy."""
    layout = containing_layout(widget)
    if layout is None or isinstance(layout, QFormLayout):  # a form's labels are already buddies
        return None
    index = layout.indexOf(widget)
    previous = layout.itemAt(index - 1).widget() if index > 0 else None
    if isinstance(previous, QLabel) and previous.buddy() is None and previous.text().rstrip().endswith(":"):
        return previous
    return None


def derived_name(widget: QWidget) -> str:
    """What a sighted user reads for `widget`, for a widget nobody named."""
    if isinstance(widget, QToolButton) and isinstance(widget.parentWidget(), QLineEdit):
        return "Effacer le champ"
    caption = caption_before(widget)
    if caption is not None and not isinstance(widget, QAbstractButton):
        caption.setBuddy(widget)  # the label names the field, and its Alt+letter moves to it
    name = label_for(widget)
    if name:
        return name
    if isinstance(widget, QLineEdit) and widget.placeholderText():
        return visible_text(widget.placeholderText().rstrip("…."))
    if isinstance(widget, QComboBox) and widget.isEditable() and widget.lineEdit().placeholderText():
        return visible_text(widget.lineEdit().placeholderText().rstrip("…."))
    if isinstance(widget, QAbstractButton) and widget.text():
        return visible_text(widget.text())
    if widget.toolTip():
        return visible_text(widget.toolTip())
    box = enclosing_group(widget)
    return visible_text(box.title()) if box is not None else ""


def enclosing_group(widget: QWidget) -> QGroupBox | None:
    """The titled group box a widget sits in, when it is the only one of its kind there."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QGroupBox):
        parent = parent.parentWidget()
    if parent is None or not parent.title():
        return None
    same_kind = [w for w in parent.findChildren(type(widget)) if needs_name(w)]
    return parent if same_kind == [widget] else None


INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit, QTextEdit, QAbstractItemView,
               QAbstractSpinBox)


def needs_name(widget: QWidget) -> bool:
    """Interactive widgets a screen reader must be able to name (a spin box's inner line edit is part of
    the spin box; a combo box's list pops up with the combo's name)."""
    if not isinstance(widget, INTERACTIVE) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
        return False  # table headers, corner buttons, toolbar extension: not reached by the keyboard
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, QAbstractSpinBox | QComboBox):
        return False
    return not isinstance(widget.window().parentWidget(), QComboBox)  # a combo box's pop-up list


def apply_tree(root: QWidget) -> None:
    """Apply the rules to `root` and every widget under it."""
    apply_rules(root)
    for widget in root.findChildren(QWidget):
        apply_rules(widget)


def apply_rules(widget: QWidget) -> None:
    if isinstance(widget, QPlainTextEdit | QTextEdit) and not widget.property(ACCEPTS_TABS):
        widget.setTabChangesFocus(True)
    if isinstance(widget, QAbstractItemView):
        widget.setTabKeyNavigation(False)
        if type(widget.itemDelegate()) is QStyledItemDelegate:  # Qt's own: selected rows readable
            from clspd_desktop.ui.theme import SelectedRowsDelegate

            widget.setItemDelegate(SelectedRowsDelegate(widget))
    if needs_name(widget) and not widget.accessibleName():
        name = derived_name(widget)
        if name:
            widget.setAccessibleName(name)


def area_shortcut(area: QWidget, keys: str, text: str, slot: Callable[[], object]) -> QAction:
    """A key of one area (Ctrl+F, Ctrl+N): active wherever the focus is inside it, so that the same key in
    another area (or a dialog) does something else without ambiguity."""
    action = QAction(text, area)
    action.setShortcut(QKeySequence(keys))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(lambda _=False: slot())
    area.addAction(action)
    return action


def focus_chain(root: QWidget) -> list[QWidget]:
    """The widgets Tab visits in `root`, in order (Qt's focus chain, keeping only what Tab can reach)."""
    chain: list[QWidget] = []
    widget = root.nextInFocusChain()
    while widget is not root and widget not in chain:
        if root.isAncestorOf(widget) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus \
                and widget.isVisibleTo(root) and widget.isEnabled():
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def move_to_end_of_tab_order(root: QWidget, last: QWidget) -> None:
    """Tab reaches `last` (a dialog's button box, built before the fields) after every other control."""
    chain = [w for w in focus_chain(root) if w is not last and not last.isAncestorOf(w)]
    ending = [w for w in focus_chain(root) if w is last or last.isAncestorOf(w)]
    if not chain or not ending:
        return
    for before, after in zip(chain[-1:] + ending, ending, strict=False):
        QWidget.setTabOrder(before, after)


def reveal_and_focus(field: QWidget) -> None:
    """Ctrl+F: bring the tab holding `field` to the front (at every level) and put the keyboard in it."""
    widget: QWidget | None = field
    while widget is not None:
        parent = widget.parentWidget()
        if isinstance(parent, QStackedWidget):
            parent.setCurrentWidget(widget)
        widget = parent
    field.setFocus(Qt.FocusReason.ShortcutFocusReason)
    if isinstance(field, QLineEdit):
        field.selectAll()
