"""Attendance counts over a period, per organisation and per referent, read from the invitations' copies
of names (a deleted referent or a renamed organisation keeps its history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from clspd_desktop.db.database import Database

# Convened titulars whose attendance was recorded, in meetings not cancelled within the period.
_SCOPE = (
    "FROM invitation i JOIN meeting m ON m.id = i.meeting_id "
    "WHERE m.status != 'cancelled' AND m.starts_at >= :start AND m.starts_at < :end "
    "AND i.role = 'invited' AND i.walk_in = 0 AND i.attendance IS NOT NULL "
    "AND (:formation IS NULL OR m.formation_id = :formation) "
    "AND (:public_only = 0 OR m.formation_id IN (SELECT id FROM formation WHERE confidential = 0))"
)
_COUNTS = (
    "COUNT(*) AS convened, SUM(i.attendance = 'present') AS present, "
    "SUM(i.attendance = 'represented') AS represented, SUM(i.attendance = 'excused') AS excused, "
    "SUM(i.attendance = 'absent') AS absent, COUNT(DISTINCT i.meeting_id) AS meetings"
)


@dataclass(frozen=True)
class AttendanceCount:
    label: str  # organisation name, or referent name
    organisation: str  # the referent's organisation ('' for organisation rows)
    convened: int
    present: int
    represented: int
    excused: int
    absent: int
    meetings: int

    @property
    def attended(self) -> int:
        return self.present + self.represented

    @property
    def rate(self) -> float:
        """Share of convocations answered by a presence or a representation (0 when none)."""
        return self.attended / self.convened if self.convened else 0.0


class AttendanceStatsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _params(self, start: date, end: date, formation_id: int | None, public_only: bool = False) -> dict:
        return {"start": start.isoformat(), "end": (end + timedelta(days=1)).isoformat(), "formation": formation_id,
                "public_only": int(public_only)}

    def by_organisation(self, start: date, end: date, formation_id: int | None = None, *,
                        public_only: bool = False) -> list[AttendanceCount]:
        """`public_only` leaves confidential working groups out entirely (documents that leave the PC:
        who sits in such a group is itself confidential)."""
        rows = self.db.execute(
            f"SELECT CASE i.organisation_name WHEN '' THEN '(sans organisation)' ELSE i.organisation_name END, "
            f"'', {_COUNTS} {_SCOPE} GROUP BY i.organisation_name ORDER BY i.organisation_name COLLATE NOCASE",
            self._params(start, end, formation_id, public_only)).fetchall()
        return [AttendanceCount(*row) for row in rows]

    def by_referent(self, start: date, end: date, formation_id: int | None = None, *,
                    public_only: bool = False) -> list[AttendanceCount]:
        """One row per referent (per typed name for people no longer in the directory)."""
        rows = self.db.execute(
            f"SELECT MAX(i.name), MAX(i.organisation_name), {_COUNTS} {_SCOPE} "
            "GROUP BY COALESCE(CAST(i.contact_id AS TEXT), 'nom:' || i.name) "
            "ORDER BY MAX(i.name) COLLATE NOCASE",
            self._params(start, end, formation_id, public_only)).fetchall()
        return [AttendanceCount(*row) for row in rows]

    def meetings_counted(self, start: date, end: date, formation_id: int | None = None, *,
                         public_only: bool = False) -> int:
        return self.db.execute(f"SELECT COUNT(DISTINCT i.meeting_id) {_SCOPE}",
                               self._params(start, end, formation_id, public_only)).fetchone()[0]

    def by_formation(self, start: date, end: date) -> dict[int, AttendanceCount]:
        """Formation id → convocations and attendance of its meetings (aggregates, no names)."""
        rows = self.db.execute(f"SELECT m.formation_id, '', {_COUNTS} {_SCOPE} GROUP BY m.formation_id",
                               self._params(start, end, None)).fetchall()
        return {row[0]: AttendanceCount(str(row[0]), *row[1:]) for row in rows}
