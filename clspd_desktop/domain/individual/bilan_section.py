"""The annual bilan's « suivi des situations individuelles » section: aggregated counts only, small counts
suppressed, and an honest word when the figures are not there.

A count from 1 to 4 is printed « moins de 5 »: in a small commune a group × age band cell of 1 or 2 may
point to a known family. Totals are suppressed the same way. This is cell suppression only: a hidden
cell can sometimes be worked out from a shown total and the other cells (said in the README).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clspd_desktop.domain.individual.aggregates import YearFigures

SMALL_COUNT = 5
SMALL_TEXT = f"moins de {SMALL_COUNT}"


def shown(count: int) -> str:
    return SMALL_TEXT if 0 < count < SMALL_COUNT else str(count)


class IndividualState(StrEnum):
    OFF = "off"  # the module was never turned on
    LOCKED = "locked"  # turned on, but the store was locked when the bilan was made
    INCLUDED = "included"


@dataclass(frozen=True)
class BilanIndividual:
    state: IndividualState
    figures: YearFigures | None = None

    @classmethod
    def of(cls, enabled: bool, figures: YearFigures | None) -> BilanIndividual:
        if figures is not None:
            return cls(IndividualState.INCLUDED, figures)
        return cls(IndividualState.LOCKED if enabled else IndividualState.OFF)

    def totals(self) -> list[tuple[str, str]]:
        f = self.figures
        if f is None:
            return []
        return [("Personnes suivies dans l'année", shown(f.total("followed"))),
                ("Entrées dans le suivi", shown(f.total("entries"))),
                ("Sorties du suivi", shown(f.total("exits"))),
                ("Fiches détruites à l'échéance de conservation", shown(f.purged))]

    def rows(self) -> list[list[str]]:
        """One row per group and age band: followed, entries, exits (small counts suppressed)."""
        f = self.figures
        if f is None:
            return []
        keys = sorted(set(f.followed) | set(f.entries) | set(f.exits))
        return [[group, band, shown(f.followed[(group, band)]), shown(f.entries[(group, band)]),
                 shown(f.exits[(group, band)])] for group, band in keys]
