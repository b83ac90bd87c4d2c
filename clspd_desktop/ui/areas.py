"""The areas shown in the navigation, in order. Each later capability adds its line here."""

from __future__ import annotations

from clspd_desktop.context import AppContext
from clspd_desktop.ui.main_window import Area


def build_areas(ctx: AppContext) -> list[Area]:
    from clspd_desktop.ui.backups.page import BackupsPage
    from clspd_desktop.ui.council.council_page import CouncilPage
    from clspd_desktop.ui.dashboard import DashboardPage
    from clspd_desktop.ui.meetings.page import MeetingsPage
    from clspd_desktop.ui.partners.page import PartnersPage
    from clspd_desktop.ui.plan.page import PlanPage

    return [
        Area("dashboard", "Tableau de bord", lambda: DashboardPage(ctx), "Ctrl+1"),
        Area("council", "Conseil", lambda: CouncilPage(ctx), "Ctrl+2"),
        Area("partners", "Partenaires", lambda: PartnersPage(ctx), "Ctrl+3"),
        Area("meetings", "Réunions", lambda: MeetingsPage(ctx), "Ctrl+4"),
        Area("plan", "Plan d'actions", lambda: PlanPage(ctx), "Ctrl+5"),
        Area("backups", "Sauvegardes", lambda: BackupsPage(ctx), "Ctrl+8"),
    ]
