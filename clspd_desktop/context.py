"""What every screen needs, built once at start-up and passed in constructors (no globals)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from clspd_desktop.db.store import Store
from clspd_desktop.domain.legal_rules import LegalRules, load_current_rules
from clspd_desktop.paths import AppPaths, resources_dir
from clspd_desktop.services.snapshots import SnapshotService

if TYPE_CHECKING:
    from clspd_desktop.services.individual.session import IndividualSession
    from clspd_desktop.ui.individual.guard import IndividualGuard
    from clspd_desktop.ui.runner import OperationRunner


@dataclass
class AppContext:
    paths: AppPaths
    store: Store
    rules: LegalRules
    demo: bool = False

    @property
    def snapshots(self) -> SnapshotService:
        """Snapshots of the live database (before imports, bulk deletes, restores...)."""
        return SnapshotService(self.paths.snapshots_dir, self.store.db.conn)

    @cached_property
    def runner(self) -> OperationRunner:
        """The one runner of user actions (Qt side): screens write only through it."""
        from clspd_desktop.ui.runner import OperationRunner

        return OperationRunner(self)

    @cached_property
    def individual(self) -> IndividualSession:
        """The coordinator's session on the separate encrypted store of individual follow-up (#17).

        Built on first use only: the module is off by default and sqlcipher3 is not needed to start.
        """
        from clspd_desktop.domain.individual.rules import load_individual_rules
        from clspd_desktop.services.individual.session import IndividualSession

        return IndividualSession(self.paths, load_individual_rules())

    @cached_property
    def individual_guard(self) -> IndividualGuard:
        """The Qt side of that session (unlock dialog, idle lock, open records closed on lock), shared by the
        records area and the meetings' « Situations examinées »."""
        from clspd_desktop.ui.individual.guard import IndividualGuard

        return IndividualGuard(self)

    @classmethod
    def create(cls, paths: AppPaths, store: Store, demo: bool = False) -> AppContext:
        return cls(paths=paths, store=store, rules=load_current_rules(resources_dir() / "rules" / "obligations.json",
                                                                     paths.data_dir),
                   demo=demo)
