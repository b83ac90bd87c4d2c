"""The fictional demo council (Ville de Montreval) written through the repositories, for `--demo`.

The people and institutions come from `resources/demo/montreval.json` so the text can be reviewed
without reading code; dates are computed back from `today` and phone numbers are drawn from a seeded
generator, so the same `today` always gives the same database. Later capabilities (meetings, plan,
backups) add their own steps after `build_directory`, using the `DemoDirectory` it returns.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from clspd_desktop.db.store import Store
from clspd_desktop.domain.annual_report import AnnualReportTexts
from clspd_desktop.domain.council import Commune, Council, CouncilKind
from clspd_desktop.domain.directory import (
    CharterEndReason,
    CharterSignature,
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
from clspd_desktop.domain.records import saved_id
from clspd_desktop.domain.text import search_key
from clspd_desktop.domain.validation import validate_contact, validate_council, validate_organisation
from clspd_desktop.paths import resources_dir
from clspd_desktop.services.demo_meetings import build_demo_meetings
from clspd_desktop.services.demo_plan import build_demo_plan

SEED = 28437
# Ranges the French regulator (Arcep) keeps for fiction: a demo number never rings a real person.
FICTION_LANDLINE = "01 99 00"
FICTION_MOBILE = "06 39 98"


def demo_folder() -> Path:
    return resources_dir() / "demo"


def load_demo_spec() -> dict[str, Any]:
    return json.loads((demo_folder() / "montreval.json").read_text(encoding="utf-8"))


def load_demo_logo() -> bytes:
    return (demo_folder() / "logo-montreval.png").read_bytes()


class FictionalPhones:
    """Distinct numbers from the fiction ranges, in a reproducible order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def draw(self, prefix: str = FICTION_LANDLINE) -> str:
        while True:
            n = self.rng.randrange(10_000)
            number = f"{prefix} {n // 100:02d} {n % 100:02d}"
            if number not in self.used:
                self.used.add(number)
                return number


def mail_local_part(*words: str) -> str:
    """'Gaëlle', 'Le Bihan' -> 'gaelle.le-bihan': ASCII an e-mail client accepts everywhere."""
    parts = [re.sub(r"[^a-z0-9]+", "-", search_key(w)).strip("-") for w in words if w]
    return ".".join(p for p in parts if p)


@dataclass
class DemoDirectory:
    """What later demo steps need: the saved objects by their key in the JSON file, and the dates used."""

    today: date
    composition_date: date
    groups_started: date
    organisations: dict[str, Organisation] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    formations: dict[str, Formation] = field(default_factory=dict)


DEMO_BILAN_2025 = AnnualReportTexts(
    year=2025,
    evaluation=(
        "Le conseil a été réinstallé en septembre 2025 après les élections partielles : nouvel arrêté de "
        "composition, règlement intérieur voté en octobre, charte déontologique signée par les membres de la "
        "cellule de suivi. La formation restreinte s'est réunie chaque trimestre et les trois groupes de travail "
        "ont démarré en fin d'année.\n"
        "Points d'appui : la présence régulière de la police nationale et de l'Éducation nationale, la "
        "mobilisation des bailleurs sur le quartier des Tilleuls. Points de vigilance : la faible présence des "
        "acteurs de la santé et le retard pris sur la vidéoprotection du pôle gare."),
    orientations=(
        "1. Réunir la formation plénière au printemps, avec la présentation du préfet.\n"
        "2. Étendre la cellule de veille éducative au collège Marie-Curie.\n"
        "3. Associer le centre hospitalier et le CSAPA au groupe « Prévention des conduites à risque ».\n"
        "4. Déposer les dossiers FIPD avant le 31 mars et transmettre les bilans des actions financées en 2025."),
    membership_changes="Entrée de l'association Horizons (prévention spécialisée) et du bailleur Tilleuls "
                       "Habitat ; la sous-préfecture est désormais représentée par son secrétaire général.",
    dpo_name="Centre de gestion de l'Essonne (DPO mutualisé)",
    processing_register=True,
    dpia_done=False,
)


def populate_demo(store: Store, today: date | None = None) -> None:
    """Write the whole demo council in one transaction: all of it or nothing."""
    today = today or date.today()
    spec = load_demo_spec()
    rng = random.Random(SEED)
    with store.transaction():
        demo = build_directory(store, spec, rng, today)
        build_demo_plan(store, demo)
        build_demo_meetings(store, demo)
        store.annual_reports.save(DEMO_BILAN_2025)


def build_directory(store: Store, spec: dict[str, Any], rng: random.Random, today: date) -> DemoDirectory:
    phones = FictionalPhones(rng)
    council_spec = spec["council"]
    composition_date = today - timedelta(days=council_spec["composition_order_days_ago"])
    rules_date = today - timedelta(days=council_spec["rules_adopted_days_ago"])
    demo = DemoDirectory(today=today, composition_date=composition_date,
                         groups_started=rules_date + timedelta(days=21))

    plenary_categories: dict[str, str | None] = {}
    for org_spec in spec["organisations"]:
        org = store.directory.save_organisation(validate_organisation(Organisation(
            name=org_spec["name"], category=OrganisationCategory(org_spec["category"]),
            address=org_spec["address"], postal_code=org_spec["postal_code"], city=org_spec["city"],
            phone=phones.draw(), email=f"{org_spec['mailbox']}@{org_spec['domain']}",
        )))
        demo.organisations[org_spec["key"]] = org
        for ref in org_spec["referents"]:
            email = f"{mail_local_part(ref['first_name'], ref['last_name'])}@{org_spec['domain']}"
            phone = phones.draw(FICTION_MOBILE if rng.random() < 0.5 else FICTION_LANDLINE)
            demo.contacts[ref["key"]] = _save_contact(store, ref, org.id, email, phone)
            plenary_categories[ref["key"]] = ref.get("plenary", org_spec["plenary"])
    for ref in spec["qualified_persons"]:
        demo.contacts[ref["key"]] = _save_contact(store, ref, None, ref["email"], phones.draw(FICTION_MOBILE))
        plenary_categories[ref["key"]] = MembershipCategory.PERSONNALITE_QUALIFIEE.value

    store.council.save(validate_council(_council(council_spec, demo, rules_date)))
    _memberships(store, spec, demo, plenary_categories)
    _charter(store, spec, demo, council_spec["charter_version"], rng)
    return demo


def _save_contact(store: Store, ref: dict[str, Any], org_id: int | None, email: str, phone: str) -> Contact:
    return store.directory.save_contact(validate_contact(Contact(
        last_name=ref["last_name"], first_name=ref["first_name"], civility=Civility(ref["civility"]),
        function=ref["function"], email=email, phone=phone, organisation_id=org_id,
        role=ContactRole(ref.get("role", "titular")), appellation=ref.get("appellation", ""),
    )))


def _council(spec: dict[str, Any], demo: DemoDirectory, rules_date: date) -> Council:
    chair = demo.contacts[spec["chair"]]
    coordinator = demo.contacts[spec["coordinator"]]
    town_hall = next(o for o in demo.organisations.values() if o.name == spec["name"])
    commune = spec["commune"]
    return Council(
        kind=CouncilKind(spec["kind"]), name=spec["name"], address=spec["address"],
        postal_code=spec["postal_code"], city=spec["city"], phone=town_hall.phone, email=spec["email"],
        chair_name=f"{chair.first_name} {chair.last_name}", chair_title=spec["chair_title"],
        coordinator_name=f"{coordinator.first_name} {coordinator.last_name}",
        coordinator_function=coordinator.function, coordinator_email=coordinator.email,
        coordinator_phone=coordinator.phone,
        composition_order_number=f"{demo.composition_date.year}-{spec['composition_order_serial']}",
        composition_order_date=demo.composition_date.isoformat(), rules_adopted_on=rules_date.isoformat(),
        charter_version=spec["charter_version"], prefecture_email=spec["prefecture_email"],
        logo=load_demo_logo(),
        communes=[Commune(name=commune["name"], population=commune["population"], has_qpv=commune["has_qpv"],
                          qpv_names=commune["qpv_names"])],
    )


def _memberships(store: Store, spec: dict[str, Any], demo: DemoDirectory,
                 plenary_categories: dict[str, str | None]) -> None:
    late = {key: demo.today - timedelta(days=days) for key, days in spec["late_joiners"].items()}
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    demo.formations["plenary"] = plenary
    for key, category in plenary_categories.items():
        if category:
            _join(store, plenary, demo.contacts[key], MembershipCategory(category),
                  late.get(key, demo.composition_date))
    for group in spec["formations"]:
        if group["kind"] == FormationKind.RESTRICTED.value:
            formation = store.formations.by_kind(FormationKind.RESTRICTED)
            members = [(key, MembershipCategory(cat)) for key, cat in group["members"]]
            start = demo.composition_date
        else:
            formation = store.formations.save(Formation(
                kind=FormationKind.WORKING_GROUP, name=group["name"], wg_type=WorkingGroupType(group["wg_type"]),
                confidential=group["confidential"], description=group["description"]))
            members = [(key, MembershipCategory.DESIGNE) for key in group["members"]]
            start = demo.groups_started
        demo.formations[group["key"]] = formation
        for key, category in members:
            _join(store, formation, demo.contacts[key], category, late.get(key, start))


def _join(store: Store, formation: Formation, contact: Contact, category: MembershipCategory,
          start: date, end: date | None = None) -> Membership:
    return store.formations.save_membership(Membership(
        formation_id=saved_id(formation.id), contact_id=saved_id(contact.id), category=category, start_date=start,
        end_date=end))


def _charter(store: Store, spec: dict[str, Any], demo: DemoDirectory, version: str, rng: random.Random) -> None:
    """Every member of a confidential group signed within weeks of joining, except the listed ones;
    one former member withdrew (their membership ended the same day, so no warning for them)."""
    unsigned = set(spec["charter"]["unsigned"])
    confidential_keys = [g["key"] for g in spec["formations"] if g.get("confidential")]
    key_of = {contact.id: key for key, contact in demo.contacts.items()}
    signers: dict[str, date] = {}
    for group_key in confidential_keys:
        for member in store.formations.members(saved_id(demo.formations[group_key].id), on=demo.today):
            key = key_of[member.contact.id]
            if key not in unsigned:
                joined = member.membership.start_date or demo.groups_started
                signers.setdefault(key, min(demo.today, joined + timedelta(days=rng.randrange(0, 15))))
    for key, signed_on in signers.items():
        store.formations.save_signature(CharterSignature(
            contact_id=saved_id(demo.contacts[key].id), charter_version=version, signed_on=signed_on))

    withdrawn = spec["charter"]["withdrawn"]
    contact = demo.contacts[withdrawn["key"]]
    left = demo.today - timedelta(days=withdrawn["left_days_ago"])
    _join(store, demo.formations[withdrawn["formation"]], contact, MembershipCategory.DESIGNE,
          demo.groups_started, end=left)
    store.formations.save_signature(CharterSignature(
        contact_id=saved_id(contact.id), charter_version=version,
        signed_on=demo.groups_started + timedelta(days=3),
        ended_on=left, end_reason=CharterEndReason.WITHDRAWN, notes=withdrawn["notes"]))
