"""A large intercommunal council (CISPD): 60 communes, 400 organisations, 1 500 referents, memberships.

Written through the app's own repositories in one transaction, so it has exactly the shape the app
writes. `build_large_database` runs every function of `STEPS` in order; later capabilities (meetings,
plan, backups) append theirs, each receiving the `LargeCouncil` built so far. `scale` shrinks or grows
every count (tests use 0.05). Names, e-mails and phones reuse the demo's helpers and pools.
"""

from __future__ import annotations

import atexit
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store
from clspd_desktop.domain.council import Commune, Council, CouncilKind
from clspd_desktop.domain.directory import (
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
from clspd_desktop.services.demo_data import (
    FICTION_LANDLINE,
    FICTION_MOBILE,
    FictionalPhones,
    load_demo_logo,
    load_demo_spec,
    mail_local_part,
)

SEED = 60_400_1500
COMMUNES, ORGANISATIONS, REFERENTS = 60, 400, 1500
WORKING_GROUPS, CONFIDENTIAL_GROUPS = 24, 6
CHARTER = "Charte déontologique type CIPD 2014"

_STEMS = ("Saint-Aubin", "Villiers", "Bois", "Montlhéry", "Fontaine", "Marcoussis", "Orsonville", "Bréval",
          "Champcueil", "Vaugrigneuse", "Saulx", "Boissy", "Étréchy", "Cerny", "Lardy", "Janvry", "Angervilliers",
          "Morsang", "Ollainville", "Chamarande")
_SUFFIXES = ("", "-sur-Orge", "-le-Châtel", "-la-Forêt", "-en-Hurepoix", "-les-Bois", "-sur-Juine")
_ORG_PATTERNS: tuple[tuple[OrganisationCategory, str, int], ...] = (
    (OrganisationCategory.ELECTED, "Mairie de {c}", 60),
    (OrganisationCategory.MUNICIPAL_POLICE, "Police municipale de {c}", 35),
    (OrganisationCategory.EDUCATION, "Collège {p} – {c}", 45),
    (OrganisationCategory.EDUCATION, "Lycée {p} – {c}", 15),
    (OrganisationCategory.POLICE, "Brigade de gendarmerie de {c}", 20),
    (OrganisationCategory.POLICE, "Commissariat de {c}", 6),
    (OrganisationCategory.DEPARTEMENT, "Maison départementale des solidarités de {c}", 20),
    (OrganisationCategory.DEPARTEMENT, "CCAS de {c}", 40),
    (OrganisationCategory.SOCIAL_LANDLORD, "{p} Habitat – agence de {c}", 30),
    (OrganisationCategory.TRANSPORT, "Réseau de bus – dépôt de {c}", 10),
    (OrganisationCategory.HEALTH, "Centre médico-psychologique de {c}", 15),
    (OrganisationCategory.ASSOCIATION, "Association de prévention {p} – {c}", 40),
    (OrganisationCategory.ASSOCIATION, "Club sportif de {c}", 30),
    (OrganisationCategory.STATE_SERVICES, "France Travail – agence de {c}", 10),
    (OrganisationCategory.JUSTICE, "Point justice de {c}", 8),
    (OrganisationCategory.OTHER, "Association des commerçants de {c}", 16),
)
_PATRONS = ("Jean-Moulin", "Marie-Curie", "Jules-Verne", "Simone-Veil", "Victor-Hugo", "Louise-Michel",
            "Albert-Camus", "Émile-Zola", "George-Sand", "Paul-Éluard", "Olympe-de-Gouges", "Jean-Jaurès")
_FUNCTIONS = {
    OrganisationCategory.ELECTED: ("Maire", "Adjoint au maire chargé de la sécurité", "Directeur général des services"),
    OrganisationCategory.MUNICIPAL_POLICE: ("Chef de service", "Brigadier-chef principal"),
    OrganisationCategory.EDUCATION: ("Principal", "Conseillère principale d'éducation", "Proviseure adjointe"),
    OrganisationCategory.POLICE: ("Commandant de brigade", "Adjudant", "Délégué cohésion police-population"),
    OrganisationCategory.DEPARTEMENT: ("Responsable de site", "Assistante sociale", "Éducateur"),
    OrganisationCategory.SOCIAL_LANDLORD: ("Responsable d'agence", "Chargée de tranquillité résidentielle"),
    OrganisationCategory.TRANSPORT: ("Responsable sûreté", "Chef d'exploitation"),
    OrganisationCategory.HEALTH: ("Psychologue", "Infirmier", "Cadre de santé"),
    OrganisationCategory.ASSOCIATION: ("Président", "Éducatrice spécialisée", "Médiateur"),
    OrganisationCategory.STATE_SERVICES: ("Directeur d'agence", "Conseillère"),
    OrganisationCategory.JUSTICE: ("Juriste", "Coordonnatrice"),
    OrganisationCategory.OTHER: ("Présidente", "Trésorier"),
    OrganisationCategory.PREFECTURE: ("Préfet", "Sous-préfète", "Délégué du préfet"),
    OrganisationCategory.PARLIAMENT: ("Député", "Attachée parlementaire"),
}


@dataclass
class LargeCouncil:
    """Ids later steps need (meetings invite members, actions have lead organisations)."""

    today: date
    rng: random.Random
    communes: list[Commune] = field(default_factory=list)
    organisation_ids: list[int] = field(default_factory=list)
    contact_ids: list[int] = field(default_factory=list)
    formation_ids: dict[str, int] = field(default_factory=dict)  # "plenary", "restricted", "wg-01"...
    scale: float = 1.0

    def count(self, full: int) -> int:
        return max(1, round(full * self.scale))


def _commune_names(rng: random.Random, n: int) -> list[str]:
    names = [f"{stem}{suffix}" for suffix in _SUFFIXES for stem in _STEMS]
    rng.shuffle(names)
    return names[:n]


def add_council_and_directory(store: Store, large: LargeCouncil) -> None:
    rng = large.rng
    names = _commune_names(rng, large.count(COMMUNES))
    large.communes = [
        Commune(name=name, population=int(rng.lognormvariate(8.3, 1.0)) + 300, has_qpv=rng.random() < 0.15,
                qpv_names="Centre-ville" if i % 7 == 0 else "")
        for i, name in enumerate(names)
    ]
    for commune in large.communes:
        commune.has_qpv = commune.has_qpv or bool(commune.qpv_names)
    spec = load_demo_spec()
    people = [*[r for o in spec["organisations"] for r in o["referents"]], *spec["qualified_persons"]]
    first_names = [(p["first_name"], Civility(p["civility"])) for p in people]
    last_names = sorted({p["last_name"] for p in people})
    phones = FictionalPhones(rng)

    specs = [(OrganisationCategory.PREFECTURE, "Préfecture – cabinet du préfet", 1),
             (OrganisationCategory.JUSTICE, "Parquet du tribunal judiciaire", 1),
             (OrganisationCategory.PARLIAMENT, "Permanence parlementaire – {c}", 2), *_ORG_PATTERNS]
    templates = [(cat, pattern) for cat, pattern, n in specs for _ in range(large.count(n))]
    wanted = large.count(ORGANISATIONS)
    templates = (templates * (wanted // len(templates) + 1))[:wanted]
    used_emails: set[str] = set()
    organisations: list[Organisation] = []
    for index, (category, pattern) in enumerate(templates):
        commune = large.communes[index % len(large.communes)]
        name = pattern.format(c=commune.name, p=rng.choice(_PATRONS))
        domain = f"{mail_local_part(commune.name)}-{index}.demo-cispd.fr"
        org = store.directory.save_organisation(Organisation(
            name=name, category=category, address=f"{rng.randrange(1, 120)} rue {rng.choice(_PATRONS)}",
            postal_code=f"91{rng.randrange(0, 1000):03d}", city=commune.name, phone=phones.draw(),
            email=f"contact@{domain}"))
        organisations.append(org)
        large.organisation_ids.append(org.id)

    for index in range(large.count(REFERENTS)):
        org = organisations[index % len(organisations)]
        first, civility = rng.choice(first_names)
        last = rng.choice(last_names)
        domain = org.email.split("@", 1)[1]
        email = f"{mail_local_part(first, last)}@{domain}"
        if email in used_emails:
            email = f"{mail_local_part(first, last)}.{index}@{domain}"
        used_emails.add(email)
        contact = store.directory.save_contact(Contact(
            last_name=last, first_name=first, civility=civility, function=rng.choice(_FUNCTIONS[org.category]),
            email=email, phone=phones.draw(rng.choice((FICTION_LANDLINE, FICTION_MOBILE))),
            organisation_id=org.id,
            role=ContactRole.TITULAR if index < len(organisations) or rng.random() < 0.5 else ContactRole.SUBSTITUTE))
        large.contact_ids.append(contact.id)

    chair = store.directory.get_contact(large.contact_ids[2])
    coordinator = store.directory.get_contact(large.contact_ids[3])
    store.council.save(Council(
        kind=CouncilKind.CISPD, name="Communauté d'agglomération du Grand Val (démonstration)",
        address="1 esplanade de l'Europe", postal_code="91990", city=large.communes[0].name,
        email="cispd@grandval-demo.fr", chair_name=f"{chair.first_name} {chair.last_name}",
        chair_title="Président de la communauté d'agglomération",
        coordinator_name=f"{coordinator.first_name} {coordinator.last_name}",
        coordinator_function="Coordonnateur du CISPD", coordinator_email=coordinator.email,
        coordinator_phone=coordinator.phone, composition_order_number=f"{large.today.year - 1}-088",
        composition_order_date=(large.today - timedelta(days=500)).isoformat(),
        rules_adopted_on=(large.today - timedelta(days=470)).isoformat(), charter_version=CHARTER,
        prefecture_email="bureau-prevention@pref-essonne-demo.fr", logo=load_demo_logo(),
        communes=large.communes))


def add_formations(store: Store, large: LargeCouncil) -> None:
    rng = large.rng
    start = large.today - timedelta(days=500)
    contacts = large.contact_ids
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    restricted = store.formations.by_kind(FormationKind.RESTRICTED)
    large.formation_ids.update(plenary=plenary.id, restricted=restricted.id)
    categories = (MembershipCategory.DESIGNE, MembershipCategory.DESIGNE, MembershipCategory.ASSOCIE)
    for position, contact_id in enumerate(contacts):
        if position < 3:
            category = MembershipCategory.DE_DROIT
        elif position < 5:
            category = MembershipCategory.PERSONNALITE_QUALIFIEE
        elif rng.random() < 0.2:
            continue
        else:
            category = rng.choice(categories)
        _join(store, plenary.id, contact_id, category, start)
    for contact_id in contacts[: large.count(40)]:
        _join(store, restricted.id, contact_id, MembershipCategory.DESIGNE, start)

    kinds = (WorkingGroupType.TERRITORIAL, WorkingGroupType.THEMATIC)
    for number in range(1, large.count(WORKING_GROUPS) + 1):
        confidential = number <= large.count(CONFIDENTIAL_GROUPS)
        wg_type = WorkingGroupType.INDIVIDUAL_SITUATIONS if confidential else kinds[number % 2]
        commune = large.communes[number % len(large.communes)]
        name = (f"Cellule de suivi individuel – secteur {commune.name}" if confidential
                else f"{'Tranquillité publique' if wg_type is WorkingGroupType.TERRITORIAL else 'Prévention'} "
                     f"– {commune.name} ({number})")
        group = store.formations.save(Formation(kind=FormationKind.WORKING_GROUP, name=name, wg_type=wg_type,
                                                confidential=confidential))
        large.formation_ids[f"wg-{number:02d}"] = group.id
        for contact_id in rng.sample(contacts, min(len(contacts), rng.randrange(15, 40))):
            _join(store, group.id, contact_id, MembershipCategory.DESIGNE, start)
            if confidential and rng.random() < 0.9:
                store.formations.save_signature(CharterSignature(
                    contact_id=contact_id, charter_version=CHARTER,
                    signed_on=start + timedelta(days=rng.randrange(0, 60))))


def _join(store: Store, formation_id: int, contact_id: int, category: MembershipCategory, start: date) -> None:
    store.formations.save_membership(Membership(formation_id=formation_id, contact_id=contact_id,
                                                category=category, start_date=start))


STEPS: list[Callable[[Store, LargeCouncil], None]] = [add_council_and_directory, add_formations]


def build_large_database(path: Path, scale: float = 1.0, today: date | None = None) -> Path:
    """Create the database at `path` (replacing any previous file) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    opened = open_database(path, path.parent / "instantanes")
    store = Store.over(opened.db)
    large = LargeCouncil(today=today or date.today(), rng=random.Random(SEED), scale=scale)
    try:
        with store.transaction():
            for step in STEPS:
                step(store, large)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return path


_shared: dict[float, Path] = {}


def shared_large_database(scale: float = 1.0) -> Path:
    """One large database per benchmark run (built on first use, deleted at exit); callers copy it
    with `copy_database` before changing anything."""
    if scale not in _shared:
        folder = Path(tempfile.mkdtemp(prefix="clspd-bench-"))
        atexit.register(shutil.rmtree, folder, True)
        _shared[scale] = build_large_database(folder / "large.sqlite", scale)
    return _shared[scale]


_shared_full: dict[float, Path] = {}


def add_meetings_and_plan(database: Path, today: date | None = None, meetings: int | None = None,
                          actions: int | None = None) -> Path:
    """The large council's meetings and plan (large_meetings.py, large_plan.py) added to `database`."""
    from benchmarks.large_meetings import MEETINGS, add_large_meetings
    from benchmarks.large_plan import ACTIONS, add_large_plan

    store = Store.over(open_database(database, database.parent / "instantanes").db)
    try:
        add_large_meetings(store, random.Random(4000), today or date.today(), meetings or MEETINGS)
        with store.transaction():
            add_large_plan(store, random.Random(600), actions or ACTIONS)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return database


def shared_full_database(scale: float = 1.0) -> Path:
    """The large council with its ~4 000 meetings, 150 000 attendance rows and 600 actions (about 50 MB):
    "the large benchmark database" of the start-up and backup figures; `scale` multiplies the meetings and
    actions too (3.0: the « 3× » council, about 150 MB). Built once per run, like `shared_large_database`;
    callers copy it before changing anything."""
    if scale not in _shared_full:
        folder = Path(tempfile.mkdtemp(prefix="clspd-bench-full-"))
        atexit.register(shutil.rmtree, folder, True)
        from benchmarks.large_meetings import MEETINGS
        from benchmarks.large_plan import ACTIONS

        _shared_full[scale] = add_meetings_and_plan(
            copy_database(shared_large_database(scale), folder / "full.sqlite"),
            meetings=max(1, round(MEETINGS * scale)), actions=max(1, round(ACTIONS * scale)))
    return _shared_full[scale]


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy through SQLite's backup API (never a file copy of a WAL database)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


if __name__ == "__main__":
    import sys
    import time

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("large.sqlite")
    began = time.perf_counter()
    build_large_database(out, float(sys.argv[2]) if len(sys.argv) > 2 else 1.0)
    print(f"{out}: {out.stat().st_size / 1e6:.1f} Mo en {time.perf_counter() - began:.1f} s")
