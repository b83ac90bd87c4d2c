"""What the three Partenaires tabs share: they read their data when first shown, and again whenever the
change dispatcher reports a change to what they show (at once if on screen, else when next shown)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.ui.widgets.rows import button_row

__all__ = ["PartnersTab", "button_row"]


class PartnersTab(QWidget):
    def __init__(self, ctx: AppContext, shows: Iterable[Change], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loaded = False
        ctx.runner.dispatcher.subscribe(self, shows, self._on_changes)

    def _on_changes(self, changes: OpChanges) -> None:
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        if not self._loaded:
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        """Read what the tab shows again."""
        self._loaded = True
        self.load()

    def load(self) -> None:
        raise NotImplementedError

    def new(self) -> None:
        """Ctrl+N on this tab."""
        raise NotImplementedError

    def focus_search(self) -> None:
        """Ctrl+F on this tab."""
        raise NotImplementedError
