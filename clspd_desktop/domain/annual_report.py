"""What the coordinator writes for a year's bilan; every figure of the bilan is computed from the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MAX_TEXT_LENGTH = 20_000


@dataclass
class AnnualReportTexts:
    """The free text and RGPD status of one year's bilan (domain.md, « What the annual bilan carries »)."""

    year: int
    evaluation: str = ""
    orientations: str = ""
    membership_changes: str = ""
    dpo_name: str = ""
    processing_register: bool = False
    dpia_done: bool = False

    def problems(self) -> dict[str, str]:
        """Field name → French message for what cannot be saved (empty when all is well)."""
        found = {}
        if not 2000 <= self.year <= 2100:
            found["year"] = f"L'année {self.year} n'est pas valable : choisissez une année entre 2000 et 2100."
        for name, label in (("evaluation", "L'évaluation"), ("orientations", "Les orientations"),
                            ("membership_changes", "Les évolutions de la composition")):
            if len(getattr(self, name)) > MAX_TEXT_LENGTH:
                found[name] = f"{label} dépasse 20\u202f000 caractères : raccourcissez le texte."
        return found


def last_complete_year(today: date) -> int:
    """The year a bilan is written for by default: the last one that has ended (in December 2026, 2025),
    whether or not anything was recorded in it (an empty bilan says so)."""
    return today.year - 1
