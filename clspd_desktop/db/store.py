"""One object that bundles the repositories over one open database; screens and operations receive it."""

from __future__ import annotations

from contextlib import AbstractContextManager

from clspd_desktop.db.annual_report_repo import AnnualReportRepository
from clspd_desktop.db.attendance_stats_repo import AttendanceStatsRepository
from clspd_desktop.db.backup_repo import PackLogRepository
from clspd_desktop.db.charter_register_repo import CharterRegisterRepository
from clspd_desktop.db.council_repo import CouncilRepository, SettingsRepository
from clspd_desktop.db.database import Database
from clspd_desktop.db.directory_repo import DirectoryRepository
from clspd_desktop.db.followup_repo import FollowUpRepository
from clspd_desktop.db.formations_repo import FormationsRepository
from clspd_desktop.db.meetings_repo import MeetingsRepository
from clspd_desktop.db.plan_links_repo import PlanLinksRepository
from clspd_desktop.db.plan_repo import PlanRepository


class Store:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.council = CouncilRepository(db)
        self.settings = SettingsRepository(db)
        self.directory = DirectoryRepository(db)
        self.formations = FormationsRepository(db)
        self.meetings = MeetingsRepository(db)
        self.packs = PackLogRepository(db)
        self.plan = PlanRepository(db)
        self.attendance_stats = AttendanceStatsRepository(db)
        self.annual_reports = AnnualReportRepository(db)
        self.links = PlanLinksRepository(db)
        self.charter_register = CharterRegisterRepository(db)
        self.followup = FollowUpRepository(db)

    @classmethod
    def over(cls, db: Database) -> Store:
        return cls(db)

    def transaction(self) -> AbstractContextManager[Database]:
        """Group several writes: all or nothing (nested calls become savepoints)."""
        return self.db.atomic()

    def close(self) -> None:
        self.db.conn.close()
