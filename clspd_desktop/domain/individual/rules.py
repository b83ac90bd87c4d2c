"""The délibération's rules (AU-038) as dated data: what was read, what was not, and the app's own choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from clspd_desktop.domain.rules_file import read_rules_json
from clspd_desktop.paths import resources_dir


@dataclass(frozen=True)
class AgeBand:
    low: int
    high: int
    label: str

    def holds(self, age: int) -> bool:
        return self.low <= age <= self.high


@dataclass(frozen=True)
class ArticleStatus:
    article: str
    verified: bool
    detail: str  # what was read, or what is missing


@dataclass(frozen=True)
class SecurityMeasure:
    """One requirement of article 8 (read) and how the app meets it, for the register entry and the DPIA."""

    requirement: str
    in_the_app: str


@dataclass(frozen=True)
class IndividualRules:
    """Scope, data, retention and security come from the articles read (art. 1, 3, 5, 8); the rest are the
    app's choices."""

    source: str
    where_to_check: str
    version_date: date
    checked_on: date
    articles: tuple[ArticleStatus, ...]
    inactive_years: int
    max_age_years: int
    refused_formations: dict[str, str]
    allowed_formations: frozenset[str]
    purge_notice_days: int
    inactivity_lock_minutes: int
    snapshot_max_age_days: int
    action_note_max_chars: int
    passphrase_min_length: int
    passphrase_min_classes: int
    passphrase_long_length: int
    age_bands: tuple[AgeBand, ...]
    security_article: str
    security_measures: tuple[SecurityMeasure, ...]
    note_warning: str
    default_lists: dict[str, tuple[str, ...]]

    @property
    def unverified(self) -> list[ArticleStatus]:
        return [a for a in self.articles if not a.verified]

    def dated_caption(self) -> str:
        from clspd_desktop.domain.dates import long_date

        return (f"{self.source}. Texte du {long_date(self.version_date)}, vérifié le "
                f"{long_date(self.checked_on)} ; à vérifier sur : {self.where_to_check}.")


def default_path() -> Path:
    return resources_dir() / "rules" / "au038.json"


def load_individual_rules(path: Path | None = None) -> IndividualRules:
    """The shipped rules (or `path`); a damaged file is a clear French error, never a silent default."""
    return read_rules_json(path or default_path(), "des règles du suivi individuel (AU-038)", _individual_rules)


def _individual_rules(data: dict[str, Any]) -> IndividualRules:
    choices = data["application_choices"]
    articles = tuple(
        ArticleStatus(a["article"], bool(a["verified"]), a.get("read") or a.get("missing", ""))
        for a in data["articles"])
    security = {a["id"]: a for a in data["articles"]}[data["security"]["verified_by"]]
    lock_minutes = int(choices["inactivity_lock_minutes"])
    measures = tuple(SecurityMeasure(requirement, how.format(lock_minutes=lock_minutes))
                     for requirement, how in security["measures"])
    lists = {kind: tuple(items) for kind, items in data["default_lists"].items() if kind != "note"}
    return IndividualRules(
        source=data["source"],
        where_to_check=data["where_to_check"],
        version_date=date.fromisoformat(data["version_date"]),
        checked_on=date.fromisoformat(data["checked_on"]),
        articles=articles,
        inactive_years=int(data["retention"]["inactive_years"]),
        max_age_years=int(data["retention"]["max_age_years"]),
        refused_formations=dict(data["scope"]["refused_formations"]),
        allowed_formations=frozenset(data["scope"]["allowed_formations"]),
        purge_notice_days=int(choices["purge_notice_days"]),
        inactivity_lock_minutes=lock_minutes,
        snapshot_max_age_days=int(choices["snapshot_max_age_days"]),
        action_note_max_chars=int(choices["action_note_max_chars"]),
        passphrase_min_length=int(choices["passphrase_min_length"]),
        passphrase_min_classes=int(choices["passphrase_min_classes"]),
        passphrase_long_length=int(choices["passphrase_long_length"]),
        age_bands=tuple(AgeBand(int(lo), int(hi), label) for lo, hi, label in choices["age_bands"]),
        security_article=security["article"],
        security_measures=measures,
        note_warning=data["note_warning"],
        default_lists=lists,
    )
