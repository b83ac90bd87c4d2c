"""What every report needs before it can print: a described council."""

from __future__ import annotations

from clspd_desktop.db.store import Store
from clspd_desktop.domain.civility import clean_signatory, signatory_title
from clspd_desktop.domain.council import Council
from clspd_desktop.domain.directory import Civility
from clspd_desktop.domain.text import plural, search_key
from clspd_desktop.errors import UserError

__all__ = ["chair_civility", "plural", "require_council", "signatory_line"]


def require_council(store: Store) -> Council:
    council = store.council.get()
    if council is None:
        raise UserError("Décrivez d'abord le conseil (écran « Conseil ») : son nom et son logo figurent "
                        "en tête de chaque document.")
    return council


def chair_civility(store: Store, council: Council) -> Civility:
    """The chair's civility, from the referent of that name (the council keeps only the name)."""
    wanted = search_key(council.chair_name)
    if not wanted:
        return Civility.NONE
    for item in store.directory.contacts(query=council.chair_name):
        if search_key(item.contact.first_name, item.contact.last_name) == wanted:
            return item.contact.civility
    return Civility.NONE


def signatory_line(store: Store, council: Council, typed: str = "") -> str:
    """The signature's title for a document: the one typed for the meeting (cleaned) or the chair's."""
    civility = chair_civility(store, council)
    if typed.strip():
        return clean_signatory(typed, council.chair_name, civility)
    return signatory_title(council.kind.value, council.chair_title, civility)
