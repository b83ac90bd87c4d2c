"""The vocabulary shared by every operation: what changed, the result, the environment, progress."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from clspd_desktop.db.store import Store
    from clspd_desktop.domain.legal_rules import LegalRules
    from clspd_desktop.paths import AppPaths

T = TypeVar("T")


class Change(StrEnum):
    """Kinds of records an operation may change; a screen refreshes when one it shows is touched."""

    COUNCIL = "council"  # council, communes, coordinator, obligations' inputs
    SETTINGS = "settings"  # mail account, preferences
    DIRECTORY = "directory"  # organisations and referents
    FORMATIONS = "formations"  # formations, working groups, memberships, charter signatures
    MEETINGS = "meetings"  # meetings themselves: date, place, status, agenda, documents
    INVITATIONS = "invitations"  # invitees, replies, convocations sent, attendance
    MINUTES = "minutes"  # minutes, decisions, action items
    PLAN = "plan"  # plans, axes, objectives, actions, funding, indicators
    LINKS = "links"  # links between meetings' decisions and plan actions
    REPORTS = "reports"  # annual bilan texts
    PACKS = "packs"  # préfecture packs made or sent
    BACKUPS = "backups"  # backup files, snapshots (files beside the database)
    INDIVIDUAL = "individual"  # the encrypted individual follow-up store (issue 17)


@dataclass(frozen=True)
class OpChanges:
    """What an operation changed. `everything` (a restore) touches every kind at once."""

    kinds: frozenset[Change] = frozenset()
    everything: bool = False

    @classmethod
    def of(cls, *kinds: Change) -> OpChanges:
        return cls(frozenset(kinds))

    @classmethod
    def all(cls) -> OpChanges:
        return cls(frozenset(Change), everything=True)

    def touches(self, kinds: Iterable[Change]) -> bool:
        return self.everything or not self.kinds.isdisjoint(kinds)

    def __or__(self, other: OpChanges) -> OpChanges:
        return OpChanges(self.kinds | other.kinds, self.everything or other.everything)

    def __bool__(self) -> bool:
        return self.everything or bool(self.kinds)


@dataclass
class Done(Generic[T]):
    """An operation's result: its value and what it changed (empty for a read or a file written)."""

    value: T
    changes: OpChanges = field(default_factory=OpChanges)


def done(value: T, *kinds: Change) -> Done[T]:
    """Shorthand: `return done(organisation, Change.DIRECTORY)`."""
    return Done(value, OpChanges.of(*kinds))


class Cancelled(Exception):  # noqa: N818 - the user's choice, not an error
    """The user pressed « Annuler »: the operation stopped where stopping is safe and wrote nothing."""


class Progress:
    """Told by long work how far it is; tells it whether the user asked to stop. Thread-safe.

    `report()` raises `Cancelled` once the user has asked to stop, so work calls it where stopping is safe
    (before anything is written, or between independent files).
    """

    def __init__(self, listener: Callable[[int, int, str], None] | None = None) -> None:
        self._listener = listener
        self._stop = threading.Event()

    def report(self, done: int, total: int, label: str = "") -> None:
        self.check()
        if self._listener is not None:
            self._listener(done, total, label)

    def check(self) -> None:
        if self._stop.is_set():
            raise Cancelled

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()


class OpEnv:
    """What an operation works with: the data folder, the rules, its progress, and the store of the thread
    it runs on. A worker's store is opened on first use (work that reads no database opens none) and closed
    by the runner; tests build an environment over their own store."""

    def __init__(self, paths: AppPaths, rules: LegalRules, *, store: Store | None = None,
                 open_store: Callable[[], Store] | None = None, progress: Progress | None = None) -> None:
        self.paths = paths
        self.rules = rules
        self.progress = progress or Progress()
        self._store = store
        self._open_store = open_store
        self._opened: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            if self._open_store is None:
                raise RuntimeError("Cette opération n'a pas accès à la base de données")
            self._store = self._opened = self._open_store()
        return self._store

    def close(self) -> None:
        """Close the store this environment opened itself (never one it was given)."""
        opened, self._opened = self._opened, None
        if opened is not None:
            opened.close()
            self._store = None
