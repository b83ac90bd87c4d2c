"""One object that bundles the repositories over one open database; screens receive it in their constructor."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from clspd_desktop.db.annual_report_repo import AnnualReportRepository
from clspd_desktop.db.attendance_stats_repo import AttendanceStatsRepository
from clspd_desktop.db.backup_repo import PackLogRepository
from clspd_desktop.db.council_repo import CouncilRepository, SettingsRepository
from clspd_desktop.db.directory_repo import DirectoryRepository
from clspd_desktop.db.formations_repo import FormationsRepository
from clspd_desktop.db.meetings_repo import MeetingsRepository
from clspd_desktop.db.plan_links_repo import PlanLinksRepository
from clspd_desktop.db.plan_repo import PlanRepository


@dataclass
class Store:
    db: sqlite_utils.Database
    council: CouncilRepository
    settings: SettingsRepository
    directory: DirectoryRepository
    formations: FormationsRepository
    meetings: MeetingsRepository
    packs: PackLogRepository
    plan: PlanRepository
    attendance_stats: AttendanceStatsRepository
    annual_reports: AnnualReportRepository
    links: PlanLinksRepository

    @classmethod
    def over(cls, db: sqlite_utils.Database) -> Store:
        return cls(
            db=db,
            council=CouncilRepository(db),
            settings=SettingsRepository(db),
            directory=DirectoryRepository(db),
            formations=FormationsRepository(db),
            meetings=MeetingsRepository(db),
            packs=PackLogRepository(db),
            plan=PlanRepository(db),
            attendance_stats=AttendanceStatsRepository(db),
            annual_reports=AnnualReportRepository(db),
            links=PlanLinksRepository(db),
        )

    def transaction(self):
        """Group several writes: all or nothing (nested calls become savepoints)."""
        return self.db.atomic()

    def close(self) -> None:
        self.db.conn.close()
