"""One object that bundles the repositories over one open database; screens receive it in their constructor.

Each repository's module is imported the first time the repository is used: start-up only pays for
what the dashboard reads (importing all of them and their dataclasses up front cost about 25 ms).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import cached_property
from typing import TYPE_CHECKING

from clspd_desktop.db.database import Database

if TYPE_CHECKING:
    from clspd_desktop.db.annual_report_repo import AnnualReportRepository
    from clspd_desktop.db.attendance_stats_repo import AttendanceStatsRepository
    from clspd_desktop.db.backup_repo import PackLogRepository
    from clspd_desktop.db.council_repo import CouncilRepository, SettingsRepository
    from clspd_desktop.db.directory_repo import DirectoryRepository
    from clspd_desktop.db.formations_repo import FormationsRepository
    from clspd_desktop.db.meetings_repo import MeetingsRepository
    from clspd_desktop.db.plan_links_repo import PlanLinksRepository
    from clspd_desktop.db.plan_repo import PlanRepository


class Store:
    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def over(cls, db: Database) -> Store:
        return cls(db)

    @cached_property
    def council(self) -> CouncilRepository:
        from clspd_desktop.db.council_repo import CouncilRepository

        return CouncilRepository(self.db)

    @cached_property
    def settings(self) -> SettingsRepository:
        from clspd_desktop.db.council_repo import SettingsRepository

        return SettingsRepository(self.db)

    @cached_property
    def directory(self) -> DirectoryRepository:
        from clspd_desktop.db.directory_repo import DirectoryRepository

        return DirectoryRepository(self.db)

    @cached_property
    def formations(self) -> FormationsRepository:
        from clspd_desktop.db.formations_repo import FormationsRepository

        return FormationsRepository(self.db)

    @cached_property
    def meetings(self) -> MeetingsRepository:
        from clspd_desktop.db.meetings_repo import MeetingsRepository

        return MeetingsRepository(self.db)

    @cached_property
    def packs(self) -> PackLogRepository:
        from clspd_desktop.db.backup_repo import PackLogRepository

        return PackLogRepository(self.db)

    @cached_property
    def plan(self) -> PlanRepository:
        from clspd_desktop.db.plan_repo import PlanRepository

        return PlanRepository(self.db)

    @cached_property
    def attendance_stats(self) -> AttendanceStatsRepository:
        from clspd_desktop.db.attendance_stats_repo import AttendanceStatsRepository

        return AttendanceStatsRepository(self.db)

    @cached_property
    def annual_reports(self) -> AnnualReportRepository:
        from clspd_desktop.db.annual_report_repo import AnnualReportRepository

        return AnnualReportRepository(self.db)

    @cached_property
    def links(self) -> PlanLinksRepository:
        from clspd_desktop.db.plan_links_repo import PlanLinksRepository

        return PlanLinksRepository(self.db)

    def transaction(self) -> AbstractContextManager[Database]:
        """Group several writes: all or nothing (nested calls become savepoints)."""
        return self.db.atomic()

    def close(self) -> None:
        self.db.conn.close()
