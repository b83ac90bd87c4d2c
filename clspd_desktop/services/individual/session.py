"""The coordinator's session on the encrypted store: enable, unlock, lock, and the inactivity rule.

The passphrase is used once to derive the key and dropped: never stored, never in the keyring, never
logged. The clock is injected so retention and inactivity are tested without waiting.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime

from clspd_desktop.db.individual_store import IndividualStore
from clspd_desktop.domain.individual.passphrase import check_passphrase
from clspd_desktop.domain.individual.records import GroupChoice, ListKind
from clspd_desktop.domain.individual.retention import lock_due
from clspd_desktop.domain.individual.rules import IndividualRules
from clspd_desktop.domain.individual.settings import OptInSettings, ResponsibleRole
from clspd_desktop.errors import UserError
from clspd_desktop.paths import AppPaths
from clspd_desktop.services.individual.location import (  # noqa: F401 - re-exported: callers import them here
    SNAPSHOTS_FOLDER,
    STORE_NAME,
    module_enabled,
    snapshots_dir,
    store_path,
)

OPT_IN_KEY = "opt_in"

LOCKED = "Le suivi individuel est verrouillé : saisissez la phrase de passe du coordonnateur pour l'ouvrir."


def save_opt_in(store: IndividualStore, settings: OptInSettings) -> None:
    store.set_setting(OPT_IN_KEY, json.dumps({
        "enabled": settings.enabled, "responsible_role": settings.responsible_role,
        "responsible_name": settings.responsible_name, "coordinator_name": settings.coordinator_name,
        "groups": [[g.id, g.name] for g in settings.groups],
        "enabled_on": settings.enabled_on.isoformat() if settings.enabled_on else None,
    }, ensure_ascii=False))


def load_opt_in(store: IndividualStore) -> OptInSettings:
    raw = store.setting(OPT_IN_KEY)
    if raw is None:
        return OptInSettings()
    data = json.loads(raw)
    return OptInSettings(bool(data["enabled"]), ResponsibleRole(data["responsible_role"]), data["responsible_name"],
                         data["coordinator_name"], tuple(GroupChoice(int(i), n) for i, n in data["groups"]),
                         date.fromisoformat(data["enabled_on"]) if data["enabled_on"] else None)


class IndividualSession:
    """Holds the open store while unlocked; `lock()` closes it and wipes its key."""

    def __init__(self, paths: AppPaths, rules: IndividualRules,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self.paths = paths
        self.rules = rules
        self.clock = clock
        self._store: IndividualStore | None = None
        self.last_activity: datetime | None = None

    @property
    def enabled(self) -> bool:
        """Off by default: the module exists once the coordinator has enabled it (its store file exists)."""
        return module_enabled(self.paths)

    @property
    def locked(self) -> bool:
        return self._store is None

    def enable(self, passphrase: str, confirmation: str, settings: OptInSettings) -> IndividualStore:
        """Create the store with its settings and the default lists (editable later)."""
        if self.enabled:
            raise UserError("Le suivi individuel est déjà activé sur ce poste. Rien n'a été modifié.")
        check_passphrase(passphrase, confirmation, self.rules)
        store = IndividualStore.create(store_path(self.paths), passphrase)
        try:
            with store.transaction():
                save_opt_in(store, settings)
                for kind, labels in self.rules.default_lists.items():
                    for label in labels:
                        store.add_list_item(ListKind(kind), label)
        except BaseException:
            store.close()
            store_path(self.paths).unlink(missing_ok=True)
            raise
        self._opened(store)
        return store

    def unlock(self, passphrase: str) -> IndividualStore:
        if not self.enabled:
            raise UserError("Le suivi individuel n'est pas activé : activez-le d'abord (écran « Conseil »).")
        self.lock()
        self._opened(IndividualStore.open(store_path(self.paths), passphrase, now=self.clock()))
        return self.store

    def _opened(self, store: IndividualStore) -> None:
        self._store = store
        self.last_activity = self.clock()

    def lock(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            store.close()

    @property
    def store(self) -> IndividualStore:
        """The open store (activity noted), or a French refusal when locked."""
        if self._store is None:
            raise UserError(LOCKED)
        self.last_activity = self.clock()
        return self._store

    def lock_if_idle(self) -> bool:
        """Called by the UI on a timer: lock after the inactivity delay. True when it locked."""
        if self._store is None or self.last_activity is None:
            return False
        if lock_due(self.last_activity, self.clock(), self.rules):
            self.lock()
            return True
        return False

    @property
    def who(self) -> str:
        """The name written in the access log: the designated coordinator (only their session opens it)."""
        return load_opt_in(self.store).coordinator_name or "Coordonnateur"

    def today(self) -> date:
        return self.clock().date()
