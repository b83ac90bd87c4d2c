"""Small builders for test data; hostile names on purpose where printing is involved."""

from __future__ import annotations

from clspd_desktop.db.store import Store
from clspd_desktop.domain.council import Commune, Council, CouncilKind
from clspd_desktop.domain.directory import (
    Civility,
    Contact,
    ContactRole,
    Formation,
    FormationKind,
    Membership,
    MembershipCategory,
    Organisation,
    OrganisationCategory,
    WorkingGroupType,
)


def make_council(**overrides) -> Council:
    values = dict(
        kind=CouncilKind.CLSPD, name="Ville de Montreval", address="1 place de la Mairie", postal_code="91999",
        city="Montreval", phone="01 60 00 00 00", email="clspd@montreval.fr", chair_name="Claire Dubreuil",
        chair_title="Maire de Montreval", coordinator_name="Julien Perrot",
        coordinator_function="Coordonnateur CLSPD", coordinator_email="j.perrot@montreval.fr",
        communes=[Commune(name="Montreval", population=28_400, has_qpv=True, qpv_names="Les Tilleuls")],
    )
    values.update(overrides)
    return Council(**values)


def add_organisation(store: Store, name: str = "Préfecture de l'Essonne",
                     category: OrganisationCategory = OrganisationCategory.PREFECTURE, **kw) -> Organisation:
    return store.directory.save_organisation(Organisation(name=name, category=category, **kw))


def add_contact(store: Store, org: Organisation | None, last_name: str = "Martin", first_name: str = "Élodie",
                role: ContactRole = ContactRole.TITULAR, **kw) -> Contact:
    return store.directory.save_contact(Contact(
        last_name=last_name, first_name=first_name, civility=kw.pop("civility", Civility.MRS),
        organisation_id=org.id if org else None, role=role, **kw))


def add_working_group(store: Store, name: str = "Cellule de veille", confidential: bool = True,
                      wg_type: WorkingGroupType = WorkingGroupType.INDIVIDUAL_SITUATIONS) -> Formation:
    return store.formations.save(Formation(kind=FormationKind.WORKING_GROUP, name=name, wg_type=wg_type,
                                           confidential=confidential))


def join(store: Store, contact: Contact, category: MembershipCategory = MembershipCategory.DESIGNE,
         formation: Formation | None = None, **kw) -> Membership:
    """Make `contact` a member of `formation` (the plenary by default)."""
    formation_id = formation.id if formation else store.formations.by_kind(FormationKind.PLENARY).id
    return store.formations.save_membership(Membership(formation_id=formation_id, contact_id=contact.id,
                                                       category=category, **kw))
