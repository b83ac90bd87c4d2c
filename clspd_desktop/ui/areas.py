"""The areas shown in the navigation, in order. Each later capability adds its line here.

A screen's module is imported only when the area is first shown: start-up pays for the dashboard alone.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.services.individual.location import module_enabled
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.ui.main_window import Area, MainWindow


def _screen(ctx: AppContext, module: str, class_name: str) -> Callable[[], QWidget]:
    def build() -> QWidget:
        return getattr(importlib.import_module(module), class_name)(ctx)

    return build


# key, title, module, screen class, shortcut: in navigation order
SCREENS = (
    ("dashboard", "Tableau de bord", "clspd_desktop.ui.dashboard", "DashboardPage", "Ctrl+1"),
    ("council", "Conseil", "clspd_desktop.ui.council.council_page", "CouncilPage", "Ctrl+2"),
    ("partners", "Partenaires", "clspd_desktop.ui.partners.page", "PartnersPage", "Ctrl+3"),
    ("meetings", "Réunions", "clspd_desktop.ui.meetings.page", "MeetingsPage", "Ctrl+4"),
    ("plan", "Plan d'actions", "clspd_desktop.ui.plan.page", "PlanPage", "Ctrl+5"),
    ("reports", "Rapports", "clspd_desktop.ui.reports.page", "ReportsPage", "Ctrl+6"),
    ("backups", "Sauvegardes", "clspd_desktop.ui.backups.page", "BackupsPage", "Ctrl+7"),
)


def build_areas(ctx: AppContext) -> list[Area]:
    return [
        *(Area(key, title, _screen(ctx, module, class_name), shortcut)
          for key, title, module, class_name, shortcut in SCREENS),
        *([individual_area(ctx)] if module_enabled(ctx.paths) else []),
    ]


def screen_modules() -> list[str]:
    """The screens' modules but the dashboard's (shown at start), for the start-up warm-up: imported on its
    thread, a first visit only builds its widgets (the import of Réunions' modules was 35 ms of its 80)."""
    return [module for _key, _title, module, _class, _shortcut in SCREENS[1:]]


def individual_area(ctx: AppContext) -> Area:
    """Only once the module is enabled (off by default, issue 17)."""
    return Area("individual", "Suivi individuel",
                _screen(ctx, "clspd_desktop.ui.individual.page", "IndividualPage"), "Ctrl+8")


class OptionalAreas(QObject):
    """Adds the records area as soon as the module is enabled (Conseil's activation), without a restart.
    A child of the window: the connection ends with it."""

    def __init__(self, ctx: AppContext, window: MainWindow) -> None:
        super().__init__(window)
        self.ctx, self.window = ctx, window
        ctx.runner.dispatcher.changed.connect(self.on_changes)

    def on_changes(self, changes: OpChanges) -> None:
        if changes.touches({Change.INDIVIDUAL}) and not self.window.has_area("individual") \
                and module_enabled(self.ctx.paths):
            self.window.add_area(individual_area(self.ctx))
            self.ctx.individual_guard  # noqa: B018 - built now: the newly enabled store is watched for idleness
