"""Partners directory: organisations, referents, formations, membership and charter signatures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class OrganisationCategory(StrEnum):
    """Categories of partner, in protocol order (décret 89-655: préfet, then magistrates, elected officials...)."""

    PREFECTURE = "prefecture"
    JUSTICE = "justice"
    PARLIAMENT = "parliament"
    ELECTED = "elected"
    POLICE = "police"
    MUNICIPAL_POLICE = "municipal_police"
    EDUCATION = "education"
    STATE_SERVICES = "state_services"
    DEPARTEMENT = "departement"
    SOCIAL_LANDLORD = "social_landlord"
    TRANSPORT = "transport"
    HEALTH = "health"
    ASSOCIATION = "association"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ORGANISATION_CATEGORY_LABELS[self]

    @property
    def precedence(self) -> int:
        """Lower comes first in composition lists, sign-in sheets and convocation batches."""
        return list(OrganisationCategory).index(self)


ORGANISATION_CATEGORY_LABELS: dict[OrganisationCategory, str] = {
    OrganisationCategory.PREFECTURE: "Préfecture (représentant de l'État)",
    OrganisationCategory.JUSTICE: "Justice (parquet, PJJ, SPIP)",
    OrganisationCategory.PARLIAMENT: "Parlementaires",
    OrganisationCategory.ELECTED: "Collectivités et élus",
    OrganisationCategory.POLICE: "Police et gendarmerie nationales",
    OrganisationCategory.MUNICIPAL_POLICE: "Police municipale",
    OrganisationCategory.EDUCATION: "Éducation nationale",
    OrganisationCategory.STATE_SERVICES: "Autres services de l'État",
    OrganisationCategory.DEPARTEMENT: "Département et services sociaux",
    OrganisationCategory.SOCIAL_LANDLORD: "Bailleurs sociaux",
    OrganisationCategory.TRANSPORT: "Transports",
    OrganisationCategory.HEALTH: "Santé",
    OrganisationCategory.ASSOCIATION: "Associations",
    OrganisationCategory.OTHER: "Autres organismes",
}


# The names found in the « Catégorie » / « Type » column of the spreadsheets mairies keep (accents, case and
# punctuation ignored); a longer name wins over a shorter one it contains (« police municipale » over « police »).
CATEGORY_NAMES: dict[OrganisationCategory, tuple[str, ...]] = {
    OrganisationCategory.PREFECTURE: (
        "prefecture", "sous prefecture", "prefet", "prefete", "etat", "representant de l etat", "delegue du prefet",
        "delegation du prefet", "services du prefet"),
    OrganisationCategory.JUSTICE: (
        "justice", "parquet", "tribunal", "tribunal judiciaire", "procureur", "procureure", "pjj",
        "protection judiciaire de la jeunesse", "spip", "ministere de la justice", "magistrat", "magistrats"),
    OrganisationCategory.PARLIAMENT: ("parlementaire", "parlementaires", "depute", "deputee", "senateur",
                                      "senatrice", "parlement"),
    OrganisationCategory.ELECTED: (
        "commune", "communes", "mairie", "ville", "collectivite", "collectivites", "collectivite territoriale",
        "elu", "elus", "elue", "epci", "intercommunalite", "communaute de communes", "communaute d agglomeration",
        "communaute urbaine", "metropole", "conseil municipal", "municipalite"),
    OrganisationCategory.POLICE: (
        "police", "police nationale", "gendarmerie", "gendarmerie nationale", "commissariat", "brigade",
        "brigade de gendarmerie", "compagnie de gendarmerie", "forces de l ordre", "forces de securite",
        "securite publique", "dipn", "ddsp", "csp"),
    OrganisationCategory.MUNICIPAL_POLICE: ("police municipale", "police intercommunale", "pm",
                                            "garde champetre", "polices municipales"),
    OrganisationCategory.EDUCATION: (
        "education nationale", "education", "college", "lycee", "ecole", "academie", "rectorat", "dsden",
        "etablissement scolaire", "etablissements scolaires", "inspection academique"),
    OrganisationCategory.STATE_SERVICES: (
        "services de l etat", "autres services de l etat", "service de l etat", "douanes", "ddets", "ddcs",
        "france travail", "pole emploi", "administration"),
    OrganisationCategory.DEPARTEMENT: (
        "departement", "conseil departemental", "conseil general", "services sociaux", "service social",
        "action sociale", "ase", "aide sociale a l enfance", "pmi", "maison departementale des solidarites",
        "ccas", "centre communal d action sociale", "caf", "solidarites"),
    OrganisationCategory.SOCIAL_LANDLORD: (
        "bailleur", "bailleurs", "bailleur social", "bailleurs sociaux", "logement social", "logement",
        "office hlm", "hlm", "opac", "oph", "esh", "office public de l habitat"),
    OrganisationCategory.TRANSPORT: ("transport", "transports", "transporteur", "sncf", "ratp",
                                     "reseau de bus", "transports en commun", "mobilite"),
    OrganisationCategory.HEALTH: ("sante", "hopital", "ars", "centre hospitalier", "cmp", "csapa",
                                  "centre medico psychologique", "medecin", "soins"),
    OrganisationCategory.ASSOCIATION: ("association", "associations", "asso", "club", "prevention specialisee",
                                       "mission locale", "centre social", "aide aux victimes"),
    OrganisationCategory.OTHER: ("autre", "autres", "divers", "autres organismes"),
}


def _words(text: str) -> str:
    import re

    from clspd_desktop.domain.text import search_key

    return " ".join(re.sub(r"[^0-9a-z]+", " ", search_key(text)).split())


def category_from_label(text: str) -> OrganisationCategory | None:
    """Find a category from its code, its French label or a usual name (« Bailleur social », « Gendarmerie »,
    « Conseil départemental », « Commune »…) (used by the import)."""
    wanted = _words(text)
    if not wanted:
        return None
    best: tuple[int, OrganisationCategory] | None = None
    padded = f" {wanted} "
    for category in OrganisationCategory:
        names = (category.value.replace("_", " "), _words(category.label), *CATEGORY_NAMES[category])
        if wanted in names:
            return category
        for name in names:  # « Bailleurs sociaux (HLM) », « Police municipale de Montreval »
            if f" {name} " in padded and (best is None or len(name) > best[0]):
                best = (len(name), category)
    return best[1] if best else None


class ContactRole(StrEnum):
    TITULAR = "titular"
    SUBSTITUTE = "substitute"

    @property
    def label(self) -> str:
        return "Titulaire" if self is ContactRole.TITULAR else "Suppléant"


class Civility(StrEnum):
    NONE = ""
    MR = "M."
    MRS = "Mme"


class FormationKind(StrEnum):
    PLENARY = "plenary"
    RESTRICTED = "restricted"
    WORKING_GROUP = "working_group"

    @property
    def label(self) -> str:
        return {
            FormationKind.PLENARY: "Formation plénière",
            FormationKind.RESTRICTED: "Formation restreinte",
            FormationKind.WORKING_GROUP: "Groupe de travail",
        }[self]


class WorkingGroupType(StrEnum):
    THEMATIC = "thematic"
    TERRITORIAL = "territorial"
    INDIVIDUAL_SITUATIONS = "individual_situations"

    @property
    def label(self) -> str:
        return {
            WorkingGroupType.THEMATIC: "Thématique",
            WorkingGroupType.TERRITORIAL: "Territorial",
            WorkingGroupType.INDIVIDUAL_SITUATIONS: "Situations individuelles",
        }[self]


class MembershipCategory(StrEnum):
    DE_DROIT = "de_droit"
    DESIGNE = "designe"
    ASSOCIE = "associe"
    PERSONNALITE_QUALIFIEE = "personnalite_qualifiee"

    @property
    def label(self) -> str:
        return {
            MembershipCategory.DE_DROIT: "Membre de droit",
            MembershipCategory.DESIGNE: "Membre désigné",
            MembershipCategory.ASSOCIE: "Membre associé",
            MembershipCategory.PERSONNALITE_QUALIFIEE: "Personnalité qualifiée",
        }[self]


class CharterEndReason(StrEnum):
    WITHDRAWN = "withdrawn"
    EXCLUDED = "excluded"

    @property
    def label(self) -> str:
        return "Retrait" if self is CharterEndReason.WITHDRAWN else "Exclusion"


@dataclass
class Organisation:
    name: str
    category: OrganisationCategory = OrganisationCategory.OTHER
    address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    notes: str = ""
    id: int | None = None


@dataclass
class Contact:
    last_name: str
    first_name: str = ""
    civility: Civility = Civility.NONE
    function: str = ""
    email: str = ""
    phone: str = ""
    organisation_id: int | None = None
    role: ContactRole = ContactRole.TITULAR
    notes: str = ""
    id: int | None = None
    appellation: str = ""  # « Madame la Procureure de la République »; empty: proposed from the function

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.civility.value, self.first_name, self.last_name) if p)

    @property
    def sort_name(self) -> str:
        return f"{self.last_name} {self.first_name}".strip()


@dataclass
class Formation:
    kind: FormationKind
    name: str
    wg_type: WorkingGroupType | None = None
    confidential: bool = False
    description: str = ""
    id: int | None = None

    @property
    def display_name(self) -> str:
        if self.kind is FormationKind.WORKING_GROUP:
            return f"Groupe de travail « {self.name} »"
        return self.kind.label


@dataclass
class Membership:
    formation_id: int
    contact_id: int
    category: MembershipCategory = MembershipCategory.DESIGNE
    start_date: date | None = None
    end_date: date | None = None
    id: int | None = None

    def is_active(self, on: date) -> bool:
        return (self.start_date is None or self.start_date <= on) and (
            self.end_date is None or self.end_date >= on
        )


@dataclass
class CharterSignature:
    contact_id: int
    charter_version: str
    signed_on: date
    ended_on: date | None = None
    end_reason: CharterEndReason | None = None
    notes: str = ""
    id: int | None = None

    def is_valid(self, on: date) -> bool:
        return self.signed_on <= on and (self.ended_on is None or self.ended_on > on)


@dataclass
class ContactListItem:
    """A referent as shown in lists: with the organisation it represents."""

    contact: Contact
    organisation_name: str = ""
    organisation_category: OrganisationCategory | None = None
    has_valid_signature: bool = False


@dataclass
class MemberItem:
    """One membership line of a formation, with what a composition list prints."""

    membership: Membership
    contact: Contact
    organisation_name: str = ""
    organisation_category: OrganisationCategory | None = None
    has_valid_signature: bool = False


@dataclass
class UnsignedMember:
    """A member of a confidential group without a valid charter signature."""

    contact: Contact
    organisation_name: str
    formation: Formation


def precedence_key(
    organisation_category: OrganisationCategory | None,
    membership_category: MembershipCategory | None,
    role: ContactRole,
    organisation_name: str,
    last_name: str,
) -> tuple:
    """Protocol order: membres de droit first, then institution category (préfet, procureur, élus,
    services, associations), then organisation, titular before substitute, then name."""
    from clspd_desktop.domain.text import sort_key

    membership_rank = list(MembershipCategory).index(membership_category) if membership_category else 9
    if membership_category is MembershipCategory.PERSONNALITE_QUALIFIEE:
        membership_rank = 8  # qualified persons close the list
    category_rank = organisation_category.precedence if organisation_category else 99
    return (
        0 if membership_rank == 0 else (2 if membership_rank == 8 else 1),
        category_rank,
        sort_key(organisation_name),
        0 if role is ContactRole.TITULAR else 1,
        sort_key(last_name),
    )
