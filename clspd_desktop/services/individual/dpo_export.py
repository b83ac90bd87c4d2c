"""The access log as a CSV for the DPO: who, when, what, which record number, why. No person's name: a
record is named by its number, so the export can leave the store without identifying anyone."""

from __future__ import annotations

import csv
from pathlib import Path

from clspd_desktop.domain.dates import long_date, time_fr
from clspd_desktop.domain.individual.records import AccessEntry
from clspd_desktop.safe_files import write_atomically

HEADER = ["N°", "Date", "Heure", "Qui", "Quoi", "Fiche n°", "Motif"]


def write_access_log_csv(entries: list[AccessEntry], target: Path) -> Path:
    def produce(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel reads the accents
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(HEADER)
            for e in entries:
                writer.writerow([e.id, long_date(e.at.date()), time_fr(e.at), e.who, e.kind.label,
                                 "" if e.record_id is None else e.record_id, e.reason])

    return write_atomically(target, produce)
