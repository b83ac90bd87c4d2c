"""The coordinator's texts for each year's bilan (table annual_report), and the yearly aggregates only the
bilan needs (charter events, changes in the plenary's composition)."""

from __future__ import annotations

from dataclasses import dataclass

from clspd_desktop.db.database import Database
from clspd_desktop.db.rows import dicts
from clspd_desktop.domain.annual_report import AnnualReportTexts

_FIELDS = ("evaluation", "orientations", "membership_changes", "dpo_name", "processing_register", "dpia_done")


@dataclass(frozen=True)
class CharterEvents:
    signed: int  # signatures dated in the year
    withdrawn: int
    excluded: int


@dataclass(frozen=True)
class CompositionChanges:
    arrivals: int  # memberships of the plenary starting in the year
    departures: int  # … ending in the year


class AnnualReportRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def texts(self, year: int) -> AnnualReportTexts:
        """The saved texts of `year`, or empty ones; when a year has none yet, the RGPD status of the
        latest earlier year is proposed (it rarely changes from one year to the next)."""
        rows = dicts(self.db.execute("SELECT * FROM annual_report WHERE year = ?", [year]))
        if rows:
            return _texts_from(rows[0])
        earlier = dicts(self.db.execute(
            "SELECT * FROM annual_report WHERE year < ? ORDER BY year DESC LIMIT 1", [year]))
        texts = AnnualReportTexts(year=year)
        if earlier:
            previous = _texts_from(earlier[0])
            texts.dpo_name = previous.dpo_name
            texts.processing_register = previous.processing_register
            texts.dpia_done = previous.dpia_done
        return texts

    def save(self, texts: AnnualReportTexts) -> None:
        """Insert or replace the year's texts (checked by `services/operations/reports.save_bilan_texts`)."""
        values = {name: getattr(texts, name) for name in _FIELDS}
        values["processing_register"] = int(texts.processing_register)
        values["dpia_done"] = int(texts.dpia_done)
        columns = ", ".join(values)
        placeholders = ", ".join(f":{name}" for name in values)
        updates = ", ".join(f"{name} = excluded.{name}" for name in values)
        self.db.execute(
            f"INSERT INTO annual_report (year, {columns}) VALUES (:year, {placeholders}) "
            f"ON CONFLICT(year) DO UPDATE SET {updates}, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now')",
            {"year": texts.year, **values},
        )

    def years_with_activity(self) -> list[int]:
        """Years that have meetings or plan actions or saved texts, newest first: the bilan's year choice."""
        years = {row[0] for row in self.db.execute(
            "SELECT CAST(substr(starts_at, 1, 4) AS INTEGER) FROM meeting "
            "UNION SELECT year FROM annual_report UNION SELECT year FROM plan_funding").fetchall()}
        for start, end in self.db.execute("SELECT start_year, end_year FROM plan").fetchall():
            years.update(range(start, end + 1))
        return sorted((year for year in years if year), reverse=True)

    def charter_events(self, year: int) -> CharterEvents:
        start, end = f"{year}-01-01", f"{year}-12-31"
        signed, withdrawn, excluded = self.db.execute(
            "SELECT SUM(signed_on BETWEEN :start AND :end), "
            "SUM(ended_on BETWEEN :start AND :end AND end_reason = 'withdrawn'), "
            "SUM(ended_on BETWEEN :start AND :end AND end_reason = 'excluded') FROM charter_signature",
            {"start": start, "end": end}).fetchone()
        return CharterEvents(signed or 0, withdrawn or 0, excluded or 0)

    def plenary_changes(self, year: int) -> CompositionChanges:
        start, end = f"{year}-01-01", f"{year}-12-31"
        arrivals, departures = self.db.execute(
            "SELECT SUM(m.start_date BETWEEN :start AND :end), SUM(m.end_date BETWEEN :start AND :end) "
            "FROM membership m JOIN formation f ON f.id = m.formation_id WHERE f.kind = 'plenary'",
            {"start": start, "end": end}).fetchone()
        return CompositionChanges(arrivals or 0, departures or 0)


def _texts_from(row: dict) -> AnnualReportTexts:
    return AnnualReportTexts(
        year=row["year"], evaluation=row["evaluation"], orientations=row["orientations"],
        membership_changes=row["membership_changes"], dpo_name=row["dpo_name"],
        processing_register=bool(row["processing_register"]), dpia_done=bool(row["dpia_done"]),
    )
