"""The areas shown in the navigation, in order. Each later capability adds its line here.

A screen's module is imported only when the area is first shown: start-up pays for the dashboard alone.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.ui.main_window import Area


def _screen(ctx: AppContext, module: str, class_name: str) -> Callable[[], QWidget]:
    def build() -> QWidget:
        return getattr(importlib.import_module(module), class_name)(ctx)

    return build


def build_areas(ctx: AppContext) -> list[Area]:
    return [
        Area("dashboard", "Tableau de bord", _screen(ctx, "clspd_desktop.ui.dashboard", "DashboardPage"), "Ctrl+1"),
        Area("council", "Conseil", _screen(ctx, "clspd_desktop.ui.council.council_page", "CouncilPage"), "Ctrl+2"),
        Area("partners", "Partenaires", _screen(ctx, "clspd_desktop.ui.partners.page", "PartnersPage"), "Ctrl+3"),
        Area("meetings", "Réunions", _screen(ctx, "clspd_desktop.ui.meetings.page", "MeetingsPage"), "Ctrl+4"),
        Area("plan", "Plan d'actions", _screen(ctx, "clspd_desktop.ui.plan.page", "PlanPage"), "Ctrl+5"),
        Area("reports", "Rapports", _screen(ctx, "clspd_desktop.ui.reports.page", "ReportsPage"), "Ctrl+6"),
        Area("backups", "Sauvegardes", _screen(ctx, "clspd_desktop.ui.backups.page", "BackupsPage"), "Ctrl+7"),
    ]
