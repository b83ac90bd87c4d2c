"""One dispatcher tells every open screen what an operation changed (Anki's `operation_did_execute`).

A screen subscribes with the kinds of records it shows and a refresh function. A screen that is hidden is
not refreshed at once: it is marked stale and refreshes when it is next shown, so one change never rebuilds
seven areas. No screen calls another screen's refresh.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

from clspd_desktop.services.operations import Change, OpChanges


class _Subscription(QObject):
    """Watches one widget: refreshes it now when visible, or at its next show when hidden."""

    def __init__(self, widget: QWidget, kinds: frozenset[Change], refresh: Callable[[OpChanges], None]) -> None:
        super().__init__(widget)  # dies with the widget
        self.widget = weakref.ref(widget)
        self.kinds = kinds
        self.refresh = refresh
        self.pending: OpChanges | None = None
        widget.installEventFilter(self)

    def deliver(self, changes: OpChanges) -> None:
        widget = self.widget()
        if widget is None or not changes.touches(self.kinds):
            return
        if widget.isVisible():
            self.refresh(changes)
        else:
            self.pending = changes if self.pending is None else self.pending | changes

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Show and self.pending is not None:
            pending, self.pending = self.pending, None
            self.refresh(pending)
        return False


class ChangeDispatcher(QObject):
    """`changed` is emitted after every operation that changed something, on the GUI thread."""

    changed = Signal(object)  # OpChanges

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._subscriptions: list[weakref.ref[_Subscription]] = []

    def subscribe(self, widget: QWidget, kinds: Iterable[Change],
                  refresh: Callable[[OpChanges], None]) -> None:
        """Call `refresh(changes)` when an operation touches one of `kinds` (at once if `widget` is
        visible, else when it is next shown). The subscription ends with the widget."""
        subscription = _Subscription(widget, frozenset(kinds), refresh)
        self._subscriptions.append(weakref.ref(subscription))

    def publish(self, changes: OpChanges) -> None:
        if not changes:
            return
        alive = []
        for ref in self._subscriptions:
            subscription = ref()
            if subscription is None:
                continue
            alive.append(ref)
            try:
                subscription.deliver(changes)
            except RuntimeError:  # its widget was deleted by Qt in the meantime
                continue
        self._subscriptions = [ref for ref in alive if ref() is not None]
        self.changed.emit(changes)
