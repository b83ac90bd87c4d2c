"""What the partners tables show, column by column (French headers, French dates and sort orders)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.directory import (
    Contact,
    Formation,
    MemberItem,
    Membership,
    Organisation,
)
from clspd_desktop.domain.text import sort_key
from clspd_desktop.ui.widgets.record_table import Column


@dataclass
class OrganisationRow:
    organisation: Organisation
    referents: int


@dataclass
class FormationRow:
    formation: Formation
    members: int


@dataclass
class MemberRow:
    """A member with its rank in protocol order (the order of the composition list)."""

    number: int
    item: MemberItem


@dataclass
class MembershipRow:
    membership: Membership
    formation_name: str


def yes_no(value: bool) -> str:
    return "Oui" if value else "Non"


def _date_key(value: date | None) -> tuple:
    return (value is None, value or date.min)


def person_name(contact: Contact) -> str:
    """'Martin Élodie': lists are read and sorted by last name."""
    return contact.sort_name


@lru_cache(maxsize=50_000)
def name_key(name: str) -> str:
    """The accent-free sort key of a name, remembered: the lists are sorted again at each keystroke of their
    search, on the same few thousand names."""
    return sort_key(name)


ORGANISATION_COLUMNS = [
    Column("Nom", lambda r: r.organisation.name, 300, sort_key=lambda r: name_key(r.organisation.name)),
    Column("Catégorie", lambda r: r.organisation.category.label, 230,
           sort_key=lambda r: (r.organisation.category.precedence, sort_key(r.organisation.name))),
    Column("Commune", lambda r: r.organisation.city, 130),
    Column("Téléphone", lambda r: r.organisation.phone, 120),
    Column("E-mail", lambda r: r.organisation.email, 220),
    Column("Référents", lambda r: str(r.referents), 80, sort_key=lambda r: r.referents, centered=True),
]

REFERENT_OF_ORGANISATION_COLUMNS = [
    Column("Nom", lambda c: person_name(c), 220),
    Column("Fonction", lambda c: c.function, 240),
    Column("Rôle", lambda c: c.role.label, 100),
    Column("E-mail", lambda c: c.email, 230),
    Column("Téléphone", lambda c: c.phone, 120),
]

# the organisation takes what the others leave: « Charte signée » stays in view at 1366 px
CONTACT_COLUMNS = [
    Column("Nom", lambda i: person_name(i.contact), 185, sort_key=lambda i: name_key(person_name(i.contact))),
    Column("Organisation", lambda i: i.organisation_name, 240, stretch=True),
    Column("Fonction", lambda i: i.contact.function, 180),
    Column("Rôle", lambda i: i.contact.role.label, 90),
    Column("E-mail", lambda i: i.contact.email, 190),
    Column("Téléphone", lambda i: i.contact.phone, 110),
    Column("Charte signée", lambda i: yes_no(i.has_valid_signature), 100, centered=True,
           sort_key=lambda i: (i.has_valid_signature, sort_key(i.contact.sort_name))),
]

FORMATION_COLUMNS = [
    Column("Formation", lambda r: r.formation.name, 360),
    Column("Type", lambda r: r.formation.wg_type.label if r.formation.wg_type else r.formation.kind.label, 200),
    Column("Confidentiel", lambda r: yes_no(r.formation.confidential), 100, centered=True),
    Column("Membres", lambda r: str(r.members), 80, centered=True),
    Column("Description", lambda r: r.formation.description, 300),
]


MEMBER_COLUMNS = [
    Column("N°", lambda r: str(r.number), 45, sort_key=lambda r: r.number, centered=True),
    Column("Nom", lambda r: person_name(r.item.contact), 200),
    Column("Organisation", lambda r: r.item.organisation_name, 230),
    Column("Fonction", lambda r: r.item.contact.function, 180),
    Column("Catégorie", lambda r: r.item.membership.category.label, 150),
    Column("Début", lambda r: short_date(r.item.membership.start_date), 90,
           sort_key=lambda r: _date_key(r.item.membership.start_date)),
    Column("Fin", lambda r: short_date(r.item.membership.end_date), 90,
           sort_key=lambda r: _date_key(r.item.membership.end_date)),
    Column("Charte signée", lambda r: yes_no(r.item.has_valid_signature), 100, centered=True),
]


MEMBERSHIP_COLUMNS = [
    Column("Formation", lambda r: r.formation_name, 300),
    Column("Catégorie", lambda r: r.membership.category.label, 160),
    Column("Début", lambda r: short_date(r.membership.start_date), 95,
           sort_key=lambda r: _date_key(r.membership.start_date)),
    Column("Fin", lambda r: short_date(r.membership.end_date), 95, sort_key=lambda r: _date_key(r.membership.end_date)),
    Column("En cours", lambda r: yes_no(r.membership.is_active(date.today())), 70, centered=True),
]

SIGNATURE_COLUMNS = [
    Column("Version de la charte", lambda s: s.charter_version, 250),
    Column("Signée le", lambda s: short_date(s.signed_on), 95, sort_key=lambda s: _date_key(s.signed_on)),
    Column("Fin", lambda s: f"{s.end_reason.label} le {short_date(s.ended_on)}" if s.end_reason and s.ended_on
           else short_date(s.ended_on), 170, sort_key=lambda s: _date_key(s.ended_on)),
    Column("Valide aujourd'hui", lambda s: yes_no(s.is_valid(date.today())), 110, centered=True),
]

