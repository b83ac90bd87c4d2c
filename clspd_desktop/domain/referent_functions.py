"""Referent functions the app knows (the parquet's « chargé(e) de mission aux élus locaux »…), offered in a
referent's record. They live in a dated data file (`resources/rules/fonctions_referents.json`) with their
source, so a new function created by a circular is added without a new version of the application."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from clspd_desktop.domain.directory import Civility
from clspd_desktop.domain.rules_file import read_rules_json
from clspd_desktop.domain.text import search_key

FUNCTIONS_FILE = "fonctions_referents.json"


@dataclass(frozen=True)
class ReferentFunction:
    masculine: str
    feminine: str
    organisation: str  # where the function is held (« Parquet (tribunal judiciaire) »)
    since: date  # the text that created it
    description: str
    source: str

    def label(self, civility: Civility) -> str:
        """The form agreed with the person (« Chargée de mission… » for Madame)."""
        return self.feminine if civility is Civility.MRS else self.masculine

    def matches(self, text: str) -> bool:
        """True when `text` is one of its forms, whatever the accents or case."""
        key = search_key(text.strip())
        return key in (search_key(self.masculine), search_key(self.feminine))


@dataclass(frozen=True)
class ReferentFunctions:
    version_date: date
    checked_on: date
    functions: tuple[ReferentFunction, ...]

    def labels(self, civility: Civility) -> list[str]:
        """The forms to offer for a person of this civility (both forms when the civility is not given)."""
        if civility is Civility.NONE:
            return [form for f in self.functions for form in (f.masculine, f.feminine)]
        return [f.label(civility) for f in self.functions]

    def find(self, text: str) -> ReferentFunction | None:
        return next((f for f in self.functions if f.matches(text)), None)


def load_functions(path: Path) -> ReferentFunctions:
    """Read the file; an unreadable one is a clear French error (the self-test reports it)."""
    return read_rules_json(path, "des fonctions de référents", _functions)


def _functions(data: dict[str, Any]) -> ReferentFunctions:
    functions = tuple(
        ReferentFunction(masculine=f["masculine"], feminine=f["feminine"], organisation=f["organisation"],
                         since=date.fromisoformat(f["since"]), description=f["description"], source=f["source"])
        for f in data["functions"])
    if not functions or any(not f.source.strip() for f in functions):
        raise ValueError("chaque fonction doit citer sa source")
    return ReferentFunctions(version_date=date.fromisoformat(data["version_date"]),
                             checked_on=date.fromisoformat(data["checked_on"]), functions=functions)


@cache
def referent_functions() -> ReferentFunctions:
    """The shipped list, read once."""
    from clspd_desktop.paths import resources_dir

    return load_functions(resources_dir() / "rules" / FUNCTIONS_FILE)
