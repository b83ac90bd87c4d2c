"""What every report needs before it can print: a described council."""

from __future__ import annotations

from clspd_desktop.db.store import Store
from clspd_desktop.domain.council import Council
from clspd_desktop.errors import UserError


def require_council(store: Store) -> Council:
    council = store.council.get()
    if council is None:
        raise UserError("Décrivez d'abord le conseil (écran « Conseil ») : son nom et son logo figurent "
                        "en tête de chaque document.")
    return council


def plural(count: int, singular: str, plural_form: str) -> str:
    return f"{count} {singular if count <= 1 else plural_form}"
