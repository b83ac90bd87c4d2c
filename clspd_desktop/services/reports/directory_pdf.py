"""The partners directory: organisations by category in protocol order, each with its referents."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import Contact, ContactRole, Organisation, OrganisationCategory
from clspd_desktop.domain.text import sort_key
from clspd_desktop.services.pdf import build_pdf, data_table, para, styles
from clspd_desktop.services.reports.common import plural, require_council

TITLE = "Annuaire des partenaires"
HEADER = ["Référent", "Fonction", "E-mail", "Téléphone"]
WIDTHS = ["27%", "27%", "30%", "16%"]
NO_ORGANISATION = "Référents sans organisation"


def _referent_order(contact: Contact) -> tuple:
    return (0 if contact.role is ContactRole.TITULAR else 1, sort_key(contact.last_name), sort_key(contact.first_name))


def _organisation_details(org: Organisation) -> str:
    place = " ".join(p for p in (org.postal_code, org.city) if p)
    address = ", ".join(p for p in (org.address.replace("\n", ", ").strip(), place) if p)
    parts = [address, f"Tél. {org.phone}" if org.phone else "", org.email]
    return " · ".join(p for p in parts if p)


def _referent_cell(contact: Contact) -> list[Flowable]:
    """Name, and under it in small print whether the referent is titular or substitute."""
    st = styles()
    return [para(contact.full_name, st.cell), para(contact.role.label, st.cell_small)]


def _referents_table(contacts: list[Contact]) -> Flowable:
    st = styles()
    if not contacts:
        return para("Aucun référent enregistré.", st.note)
    rows = [[_referent_cell(c), c.function, c.email, c.phone.replace(" ", "\u00a0")]
            for c in sorted(contacts, key=_referent_order)]
    return data_table(HEADER, rows, WIDTHS)


def _organisation_block(title: str, details: str, contacts: list[Contact]) -> list[Flowable]:
    st = styles()
    block: list[Flowable] = [CondPageBreak(3 * cm), para(title, st.subheading)]
    if details:
        block.append(para(details, st.small))
    block.extend([Spacer(1, 0.12 * cm), _referents_table(contacts), Spacer(1, 0.2 * cm)])
    return block


def build_directory_story(store: Store) -> tuple[list[Flowable], str]:
    """The flowables and the subtitle ('N organisations, M référents'); reusable in a larger document."""
    st = styles()
    organisations = store.directory.organisations()
    contacts_by_org: dict[int | None, list[Contact]] = defaultdict(list)
    for item in store.directory.contacts():
        contacts_by_org[item.contact.organisation_id].append(item.contact)
    by_category: dict[OrganisationCategory, list[Organisation]] = defaultdict(list)
    for org in organisations:
        by_category[org.category].append(org)

    story: list[Flowable] = []
    for category in sorted(by_category, key=lambda c: c.precedence):
        members = sorted(by_category[category], key=lambda o: sort_key(o.name))
        story.extend([CondPageBreak(4 * cm), para(category.label, st.heading)])
        for org in members:
            story.extend(_organisation_block(org.name, _organisation_details(org), contacts_by_org.get(org.id, [])))
    orphans = contacts_by_org.get(None, [])
    if orphans:
        story.extend([CondPageBreak(4 * cm), para(NO_ORGANISATION, st.heading), _referents_table(orphans)])
    if not story:
        story.append(para("L'annuaire est vide : aucun partenaire n'est encore enregistré.", st.body))
    total_contacts = sum(len(v) for v in contacts_by_org.values())
    subtitle = f"{plural(len(organisations), 'organisation', 'organisations', feminine=True)}, " \
               f"{plural(total_contacts, 'référent', 'référents')}"
    return story, subtitle


def build_directory_pdf(store: Store, path: Path, today: date | None = None) -> Path:
    """Write the directory to `path` (atomically) and return it."""
    council = require_council(store)
    story, subtitle = build_directory_story(store)
    return build_pdf(path, council, TITLE, story, subtitle=subtitle, today=today,
                     subject=f"{TITLE} du {council.kind.value}")
