"""Reliability figures: what a town-hall PC will eventually do to the app, and what the app does then.

Families (each bounded in time; the suite runs smaller versions of the same functions):
- kills: a process killed with SIGKILL at a random moment during ordinary writes, a backup, a restore and a
  snapshot, then the next start (interrupted work finished or rolled back, leftovers removed, database
  opened);
- hostile archives: files offered to « Restaurer une sauvegarde » that must be refused (damaged, truncated,
  foreign, wrong password, dangerous names, zip bomb, damaged or newer database inside…);
- disk full: every writing operation with the data folder (or the target) on a full disk;
- clock jumps: backwards, five years ahead, back again, with the daily snapshot and the rescue's choice.

Counts per family: tried; refused cleanly (or, for kills, left consistent: rolled back, or completed);
state changed (anything else: goal 0); crashed (a bug instead of a French message, or a next start that
fails: goal 0); leftovers after the next start (work folders, partial files: goal 0).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP"
KILL_TRIALS = 20


@dataclass
class Tally:
    family: str
    tried: int = 0
    clean: int = 0
    changed: int = 0
    crashed: int = 0
    leftovers: int = 0
    extra: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # what went wrong, for a failing test's message

    def count(self, name: str) -> None:
        self.extra[name] = self.extra.get(name, 0) + 1

    def figures(self) -> list[tuple[str, int, str]]:
        prefix = f"reliability_{self.family}"
        figures = [(f"{prefix}_tried", self.tried, ""), (f"{prefix}_refused_cleanly", self.clean, ""),
                   (f"{prefix}_state_changed", self.changed, ""), (f"{prefix}_crashed", self.crashed, ""),
                   (f"{prefix}_leftovers_after_next_start", self.leftovers, "")]
        return figures + [(f"{prefix}_{name}", value, "") for name, value in sorted(self.extra.items())]


# --- a council on disk ------------------------------------------------------------------------------------
def make_council_folder(folder: Path, label: str, organisations: int = 60, documents: int = 6,
                        demo: bool = False):
    """A data folder with a council, partners named after `label` and attached documents; closed."""
    from clspd_desktop.db.opening import open_database
    from clspd_desktop.db.store import Store
    from clspd_desktop.domain.directory import Organisation, OrganisationCategory
    from clspd_desktop.paths import AppPaths
    from tests.factories import make_council

    paths = AppPaths(folder).ensure()
    store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
    try:
        if demo:
            from clspd_desktop.services.demo_data import populate_demo

            populate_demo(store, date(2026, 11, 21))
        else:
            store.council.save(make_council())
            with store.transaction():
                for n in range(organisations):
                    store.directory.save_organisation(Organisation(
                        name=f"{label} {n:03d}", category=OrganisationCategory.ASSOCIATION, notes="n" * 200))
    finally:
        store.close()
    rng = random.Random(label)
    for n in range(documents):
        (paths.documents_dir / f"{label}-{n}.pdf").write_bytes(rng.randbytes(40_000))
    return paths


def state_of(paths) -> tuple[tuple[str, ...], dict[str, str]]:
    """What the user sees: the partners' names and the documents' contents."""
    conn = sqlite3.connect(paths.database)
    try:
        names = tuple(sorted(r[0] for r in conn.execute("SELECT name FROM organisation")))
    finally:
        conn.close()
    documents = {p.relative_to(paths.documents_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in sorted(paths.documents_dir.rglob("*")) if p.is_file()} if paths.documents_dir.is_dir() else {}
    return names, documents


def next_start(paths) -> str | None:
    """What the app does when it starts, before its window: the message about interrupted work, if any."""
    from clspd_desktop.db.opening import open_database
    from clspd_desktop.paths import keep_private
    from clspd_desktop.services.interrupted_work import finish_interrupted_work

    keep_private(paths.data_dir)
    message = finish_interrupted_work(paths)
    open_database(paths.database, paths.snapshots_dir).db.conn.close()
    return message


def leftovers(paths, *elsewhere: Path) -> list[Path]:
    """Work folders, partial files and records of unfinished work (SQLite's own -wal/-shm excepted)."""
    from clspd_desktop.services.interrupted_work import JOURNAL_NAME, PENDING_FOLDER

    found = []
    for root in (paths.data_dir, *elsewhere):
        for path in root.rglob("*"):
            name = path.name
            if (name.startswith((".restauration-", ".envoi-", ".documents-avant-restauration")) or name == JOURNAL_NAME
                    or ".tmp" in name or (path.parent.name == PENDING_FOLDER and name.endswith(".json"))):
                found.append(path)
    return found


# --- kills --------------------------------------------------------------------------------------------------
CHILD = r"""
import os, sys
from pathlib import Path
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store
from clspd_desktop.paths import AppPaths
operation, data, extra = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
operation, _, point = operation.partition("@")
paths = AppPaths(data)
store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
if operation == "writes":
    from clspd_desktop.domain.directory import Organisation, OrganisationCategory
    print("go", flush=True)
    n = 0
    while True:
        n += 1
        with store.transaction():
            org = store.directory.save_organisation(Organisation(
                name=f"Ecrit {n:06d}", category=OrganisationCategory.ASSOCIATION, notes="x" * (n % 3000)))
        print(org.name, flush=True)
from clspd_desktop.services.snapshots import SnapshotReason, SnapshotService
snapshots = SnapshotService(paths.snapshots_dir, store.db.conn)
if operation == "backup":
    from clspd_desktop.services.backup import make_backup
    print("go", flush=True)
    make_backup(store, paths, Path(extra), "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP")
elif operation == "restore":
    from clspd_desktop.services import restore
    if point:
        real = restore.restore_into
        def killed_around(live, source):
            if point == "avant-base":
                os._exit(9)
            real(live, source)
            os._exit(9)
        restore.restore_into = killed_around
    print("go", flush=True)
    plan = restore.prepare_backup_restore(Path(extra), "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP", paths)
    restore.apply_restore(plan, store.db.conn, snapshots, paths)
elif operation == "snapshot":
    print("go", flush=True)
    snapshots.take(SnapshotReason.MANUAL)
print("fini", flush=True)
"""


def _child(operation: str, paths, extra: str = "") -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, operation, str(paths.data_dir), extra],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(REPO))
    if child.stdout.readline().strip() != "go":
        child.kill()
        raise RuntimeError(f"le processus de test n'a pas démarré : {child.communicate()[1][-2000:]}")
    return child


@dataclass
class KillSetup:
    """A template data folder (state before), the restore's archive (state after) and the backup target."""

    template: Path
    archive: Path
    before: tuple
    after: tuple


def kill_setup(root: Path) -> KillSetup:
    from clspd_desktop.db.opening import open_database
    from clspd_desktop.db.store import Store
    from clspd_desktop.services.backup import make_backup

    saved = make_council_folder(root / "sauvegarde", "Sauvegardé")
    store = Store.over(open_database(saved.database, saved.snapshots_dir).db)
    archive = root / "sauvegarde.7z"
    try:
        make_backup(store, saved, archive, PASSWORD)
    finally:
        store.close()
    after = state_of(saved)
    template = make_council_folder(root / "modele", "Actuel")
    return KillSetup(template=template.data_dir, archive=archive, before=state_of(template), after=after)


def _trial_folder(setup: KillSetup, root: Path, n: int):
    from clspd_desktop.paths import AppPaths

    folder = root / f"essai-{n}"
    shutil.copytree(setup.template, folder / "donnees", symlinks=True)
    (folder / "cle-usb").mkdir()
    return AppPaths(folder / "donnees"), folder / "cle-usb"


def _judge(operation: str, paths, usb: Path, setup: KillSetup, acknowledged: list[str], tally: Tally,
           snapshots_before: set[str]) -> None:
    """After the next start: consistent (before, or completed), or changed."""
    from clspd_desktop.db.opening import health_check
    from clspd_desktop.errors import StorageError

    state = state_of(paths)
    if operation == "writes":
        conn = sqlite3.connect(paths.database)
        try:
            intact = conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            conn.close()
        lost = set(acknowledged) - set(state[0])
        ok = intact and not lost
        if lost:
            tally.count("acknowledged_writes_lost")
    elif operation == "restore":
        ok = state in (setup.before, setup.after)
        if ok:
            tally.count("rolled_back" if state == setup.before else "completed")
    elif operation == "backup":
        target = usb / "sauvegarde.7z"
        ok = state == setup.before
        if target.exists():
            from clspd_desktop.services.archive import verify_archive
            from clspd_desktop.services.backup import BACKUP_KIND

            try:
                verify_archive(target, PASSWORD, BACKUP_KIND)
                tally.count("completed")
            except StorageError:
                ok = False
        else:
            tally.count("rolled_back")
    else:  # snapshot
        names = {p.name for p in paths.snapshots_dir.glob("*.sqlite")}
        ok = state == setup.before and snapshots_before <= names and len(names - snapshots_before) <= 1
        for name in names:
            try:
                health_check(paths.snapshots_dir / name)
            except StorageError:
                ok = False
        if ok:
            tally.count("completed" if names - snapshots_before else "rolled_back")
    if ok:
        tally.clean += 1
    else:
        tally.changed += 1
        tally.problems.append(f"{operation}: état incohérent après le démarrage suivant ({paths.data_dir})")


def _duration(operation: str, setup: KillSetup, root: Path) -> float:
    """How long the operation takes here, so that the kills land inside it."""
    paths, usb = _trial_folder(setup, root, 999)
    child = _child(operation, paths, str(setup.archive if operation == "restore" else usb / "sauvegarde.7z"))
    began = time.perf_counter()  # from « go »: the interpreter's start is not the operation
    _, errors = child.communicate(timeout=120)
    if child.returncode != 0:
        raise RuntimeError(f"{operation} a échoué sans interruption : {errors[-2000:]}")
    shutil.rmtree(paths.data_dir.parent)
    return time.perf_counter() - began


def kills(operation: str, root: Path, trials: int = KILL_TRIALS, seed: int = 20250317,
          points: tuple[str, ...] = ()) -> Tally:
    """SIGKILL at random moments of `operation` ("writes", "backup", "restore", "snapshot"), then the next
    start; `points` adds deterministic kills ("avant-base", "apres-base": around the restore's database
    replacement, when the documents have already been swapped)."""
    tally = Tally(f"kill_{operation}")
    setup = kill_setup(root / "preparation")
    rng = random.Random(seed)
    window = 0.2 if operation == "writes" else _duration(operation, setup, root) * 1.1
    schedule = [("", rng.uniform(0.0, window)) for _ in range(trials)] + [(f"@{p}", None) for p in points]
    for n, (point, delay) in enumerate(schedule):
        paths, usb = _trial_folder(setup, root, n)
        snapshots_before = {p.name for p in paths.snapshots_dir.glob("*.sqlite")}
        target = str(setup.archive if operation == "restore" else usb / "sauvegarde.7z")
        tally.tried += 1
        child = _child(operation + point, paths, target)
        if delay is not None:
            time.sleep(delay)
            child.send_signal(signal.SIGKILL)
        output, _ = child.communicate(timeout=120)
        acknowledged = [line for line in output.split("\n")[:-1] if line.startswith("Ecrit ")]
        try:
            next_start(paths)
        except Exception as exc:  # noqa: BLE001 - a start that fails is what this counts
            tally.crashed += 1
            tally.problems.append(f"{operation}{point}: démarrage suivant en échec : {exc!r}")
            continue
        _judge(operation, paths, usb, setup, acknowledged, tally, snapshots_before)
        left = leftovers(paths, usb)
        if left:
            tally.leftovers += 1
            tally.problems.append(f"{operation}{point}: restes {left}")
        shutil.rmtree(paths.data_dir.parent, ignore_errors=True)
    return tally


# --- hostile archives ---------------------------------------------------------------------------------------
def _seven_zip(target: Path, members: dict[str, bytes], password: str | None = PASSWORD,
               header_encryption: bool = True) -> Path:
    import py7zr

    filters = [{"id": py7zr.FILTER_LZMA2, "preset": 1}]
    if password:
        filters.append({"id": py7zr.FILTER_CRYPTO_AES256_SHA256})
    with py7zr.SevenZipFile(target, "w", password=password, header_encryption=header_encryption and bool(password),
                            filters=filters) as archive:
        for name, content in members.items():
            archive._writef(io.BytesIO(content), name)  # noqa: SLF001 - py7zr refuses to write hostile names
    return target


def _manifest(content: dict[str, bytes], kind: str = "clspd-desktop/sauvegarde", **changes) -> bytes:
    from clspd_desktop import __version__

    data = {"application": "CLSPD Desktop", "kind": kind, "created_at": "2026-03-17T14:05:00",
            "app_version": __version__, "schema_version": 6,
            "members": {n: {"sha256": hashlib.sha256(c).hexdigest(), "size": len(c)} for n, c in content.items()}}
    data.update(changes)
    return json.dumps(data).encode()


def _with_manifest(content: dict[str, bytes], **changes) -> dict[str, bytes]:
    return {"manifest.json": _manifest(content, **changes), **content}


def _database_bytes(folder: Path, change: Callable[[sqlite3.Connection], None] | None = None,
                    damage: bool = False) -> bytes:
    """A real database of the current schema (a copy of a fresh council), changed or damaged on request."""
    from clspd_desktop.db.opening import open_database

    folder.mkdir(parents=True, exist_ok=True)
    db_file = folder / f"base-{os.urandom(4).hex()}.sqlite"
    conn = open_database(db_file, folder / "instantanes").db.conn
    try:
        conn.execute("INSERT INTO setting (key, value) VALUES ('essai', 'oui')")
        conn.commit()
        if change is not None:
            change(conn)
            conn.commit()
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
    data = bytearray(db_file.read_bytes())
    if damage:
        data[4096 + 100: 4096 * 3] = b"\xa5" * (4096 * 3 - 4096 - 100)
    return bytes(data)


def _foreign_key_violation(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO contact (last_name, organisation_id) VALUES ('Orphelin', 999999)")


def hostile_kinds(folder: Path) -> dict[str, Callable[[Path], object]]:
    """Name -> builder writing that hostile file at the given path. More than 40 kinds."""
    folder.mkdir(parents=True, exist_ok=True)
    good_db = _database_bytes(folder / "bases")
    doc = random.Random(1).randbytes(30_000)
    good = {"clspd.sqlite": good_db, "documents/cr.pdf": doc}
    valid = folder / "valide.7z"
    _seven_zip(valid, _with_manifest(good))
    valid_bytes = valid.read_bytes()

    def raw(data: bytes) -> Callable[[Path], object]:
        return lambda p: p.write_bytes(data)

    def archive(members: dict[str, bytes], **kw) -> Callable[[Path], object]:
        return lambda p: _seven_zip(p, members, **kw)

    def flipped(offset: int) -> bytes:
        data = bytearray(valid_bytes)
        data[offset] ^= 0x5A
        return bytes(data)

    size = len(valid_bytes)
    zip_buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(zip_buffer, "w") as z:
        z.writestr("clspd.sqlite", good_db)
    tampered_db = bytearray(good_db)
    tampered_db[-10] ^= 1
    newer = _database_bytes(folder / "bases", lambda c: c.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('clspd', '9999_futur', 'x')"))
    foreign_db = folder / "etrangere.sqlite"
    foreign = sqlite3.connect(foreign_db)
    foreign.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, nom TEXT)")
    foreign.commit()
    foreign.close()
    return {
        "fichier_vide": raw(b""),
        "un_octet": raw(b"7"),
        "octets_au_hasard": raw(random.Random(2).randbytes(4096)),
        "signature_7z_seule": raw(valid_bytes[:8]),
        "zip_renomme": raw(zip_buffer.getvalue()),
        "pdf_renomme": raw(b"%PDF-1.7\n" + doc),
        "base_sqlite_renommee": raw(good_db),
        "texte": raw(b"Ceci n'est pas une sauvegarde.\n" * 50),
        "tronque_10": raw(valid_bytes[: size // 10]),
        "tronque_50": raw(valid_bytes[: size // 2]),
        "tronque_90": raw(valid_bytes[: size * 9 // 10]),
        "tronque_dernier_octet": raw(valid_bytes[:-1]),
        "octet_change_entete": raw(flipped(12)),
        "octet_change_version": raw(flipped(7)),
        "octet_change_tiers": raw(flipped(size // 3)),
        "octet_change_deux_tiers": raw(flipped(2 * size // 3)),
        "octet_change_fin": raw(flipped(size - 1)),
        "dechets_ajoutes_a_la_fin": raw(valid_bytes + random.Random(3).randbytes(1024)),
        "dechets_ajoutes_au_debut": raw(random.Random(4).randbytes(1024) + valid_bytes),
        "mauvais_mot_de_passe": archive(_with_manifest(good), password="AUTRE-MOT-DE-PASSE-0000"),
        "sans_mot_de_passe": archive(_with_manifest(good), password=None),
        "sans_manifeste": archive(good),
        "manifeste_pas_json": archive({"manifest.json": b"{pas du json", **good}),
        "manifeste_liste_json": archive({"manifest.json": b"[1, 2, 3]", **good}),
        "manifeste_d_un_envoi_prefecture": archive(_with_manifest(good, kind="clspd-desktop/envoi-prefecture")),
        "manifeste_date_invalide": archive(_with_manifest(good, created_at="hier")),
        "manifeste_membres_invalides": archive(_with_manifest(good, members=["clspd.sqlite"])),
        "manifeste_trop_gros": archive({"manifest.json": b" " * (11 * 1024 * 1024), **good}),
        "base_modifiee_apres_manifeste": archive({"manifest.json": _manifest(good),
                                                  "clspd.sqlite": bytes(tampered_db), "documents/cr.pdf": doc}),
        "membre_annonce_absent": archive({"manifest.json": _manifest({**good, "documents/absent.pdf": b"x"}),
                                          **good}),
        "membre_en_trop": archive({"manifest.json": _manifest(good), **good, "documents/en-trop.pdf": b"x"}),
        "chemin_remontant": archive(_with_manifest({**good, "documents/../../evil.txt": b"x"})),
        "chemin_absolu": archive(_with_manifest({**good, "/tmp/evil.txt": b"x"})),
        "chemin_windows": archive(_with_manifest({**good, "documents\\..\\evil.txt": b"x"})),
        "lecteur_windows": archive(_with_manifest({**good, "C:/evil.txt": b"x"})),
        "membre_non_autorise": archive(_with_manifest({**good, "autre.exe": b"MZ"})),
        "dossier_documents_vide_nomme": archive(_with_manifest({**good, "documents/": b""})),
        "nom_trop_long": archive(_with_manifest({**good, "documents/" + "a" * 300 + ".pdf": b"x"})),
        "bombe_de_decompression": archive(_with_manifest({"clspd.sqlite": good_db,
                                                          "documents/zeros.bin": bytes(64 * 1024 * 1024)})),
        "base_pas_sqlite": archive(_with_manifest({"clspd.sqlite": b"pas une base " * 500})),
        "base_vide": archive(_with_manifest({"clspd.sqlite": b""})),
        "base_endommagee": archive(_with_manifest({"clspd.sqlite": _database_bytes(folder / "bases", damage=True)})),
        "base_etrangere": archive(_with_manifest({"clspd.sqlite": foreign_db.read_bytes()})),
        "base_plus_recente": archive(_with_manifest({"clspd.sqlite": newer})),
        "base_cles_etrangeres_cassees": archive(_with_manifest({"clspd.sqlite": _database_bytes(
            folder / "bases", _foreign_key_violation)})),
        "sans_base": archive(_with_manifest({"documents/cr.pdf": doc})),
        "archive_dans_l_archive": archive(_with_manifest({"clspd.sqlite": valid_bytes})),
    }


def hostile_archives(root: Path, kinds: list[str] | None = None) -> Tally:
    """Each hostile file offered to the restore: refused with a French message, nothing changed, no leftover."""
    from clspd_desktop.db.opening import open_database
    from clspd_desktop.db.store import Store
    from clspd_desktop.errors import UserError
    from clspd_desktop.services.restore import prepare_backup_restore

    tally = Tally("hostile_archives")
    paths = make_council_folder(root / "donnees", "Actuel", organisations=10, documents=2)
    before = state_of(paths)
    builders = hostile_kinds(root / "fabrique")
    store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
    try:
        for name, build in builders.items():
            if kinds is not None and name not in kinds:
                continue
            hostile = root / f"{name}.7z"
            build(hostile)
            tally.tried += 1
            try:
                plan = prepare_backup_restore(hostile, PASSWORD, paths, max_size=32 * 1024 * 1024)
            except UserError:
                tally.clean += 1
            except Exception as exc:  # noqa: BLE001 - a bug instead of a French message is what this counts
                tally.crashed += 1
                tally.problems.append(f"{name}: {exc!r}")
            else:
                plan.discard()
                tally.count("accepted")
                tally.problems.append(f"{name}: accepté")
            if state_of(paths) != before:
                tally.changed += 1
                tally.problems.append(f"{name}: données modifiées")
            if leftovers(paths):
                tally.leftovers += 1
                tally.problems.append(f"{name}: restes {leftovers(paths)}")
            hostile.unlink()
    finally:
        store.close()
    return tally


# --- disk full ----------------------------------------------------------------------------------------------
class FullDisk:
    """A small tmpfs filled to the last byte (as root); elsewhere ENOSPC injected where every file write and
    SQLite write ends (fsync, and SQLite's own answer)."""

    def __init__(self, root: Path, size_mb: int = 12) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.mounted = (hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount") is not None
                        and subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(root)],
                                           capture_output=True).returncode == 0)
        self._restore: list[Callable[[], None]] = []

    def fill(self) -> None:
        if self.mounted:
            with open(self.root / "remplissage", "wb", buffering=0) as filler:
                try:
                    while True:
                        filler.write(b"\0" * 65536)
                except OSError:
                    pass
                try:
                    while True:
                        filler.write(b"\0" * 512)
                except OSError:
                    pass
            return
        from clspd_desktop import safe_files

        real = safe_files.os.fsync

        def full(_fd):
            raise OSError(28, "No space left on device")

        safe_files.os.fsync = full
        self._restore.append(lambda: setattr(safe_files.os, "fsync", real))

    def release(self) -> None:
        for undo in self._restore:
            undo()
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.root)], check=False)


def _writing_operations(store, paths, elsewhere: Path) -> dict[str, Callable[[], object]]:
    from clspd_desktop.domain.directory import Organisation, OrganisationCategory
    from clspd_desktop.services import mail
    from clspd_desktop.services.backup import build_recovery_sheet, make_backup
    from clspd_desktop.services.directory_export import export_csv, export_xlsx
    from clspd_desktop.services.meeting_documents import attach_document
    from clspd_desktop.services.plan_export import export_plan_xlsx
    from clspd_desktop.services.prefecture_pack import build_pack
    from clspd_desktop.services.reports.annual_bilan_pdf import build_annual_bilan_pdf
    from clspd_desktop.services.reports.directory_pdf import build_directory_pdf
    from clspd_desktop.services.restore import prepare_backup_restore
    from clspd_desktop.services.snapshots import SnapshotReason, SnapshotService

    exports = paths.exports_dir

    def write_in_database() -> None:
        with store.transaction():
            for n in range(400):
                store.directory.save_organisation(Organisation(
                    name=f"Disque plein {n}", category=OrganisationCategory.ASSOCIATION, notes="p" * 4000))

    def plan_xlsx() -> None:
        export_plan_xlsx(store, store.plan.plans()[0].id, exports / "plan.xlsx")

    def attach() -> None:
        meeting = store.meetings.meetings_between(date(2025, 1, 1), date(2025, 12, 31))[0]
        attach_document(store, paths.documents_dir, meeting.id, elsewhere / "sauvegarde.7z")

    def draft() -> None:
        mail.save_draft(mail.build_message(to="p@x.fr", subject="Envoi", body="Corps" * 100_000),
                        exports / "brouillon.eml")

    return {
        "ecriture_base": write_in_database,
        "instantane": lambda: SnapshotService(paths.snapshots_dir, store.db.conn).take(SnapshotReason.MANUAL),
        "sauvegarde": lambda: make_backup(store, paths, exports / "sauvegarde.7z", PASSWORD),
        "restauration": lambda: prepare_backup_restore(elsewhere / "sauvegarde.7z", PASSWORD, paths),
        "export_csv": lambda: export_csv(store, exports / "annuaire.csv"),
        "export_xlsx": lambda: export_xlsx(store, exports / "annuaire.xlsx"),
        "export_plan_xlsx": plan_xlsx,
        "pdf_annuaire": lambda: build_directory_pdf(store, exports / "annuaire.pdf"),
        "fiche_de_secours_pdf": lambda: build_recovery_sheet(exports / "fiche.pdf", store.council.get(), PASSWORD),
        "brouillon_eml": draft,
        "bilan_annuel_pdf": lambda: build_annual_bilan_pdf(store, exports / "bilan.pdf", 2025,
                                                           today=date(2026, 11, 21)),
        "document_joint_a_une_reunion": attach,
        "envoi_prefecture": lambda: build_pack(store, paths, ["annuaire-pdf", "annuaire-xlsx"]),
    }


def disk_full(root: Path) -> Tally:
    """Every writing operation on a full disk: a French « disque plein » message, the previous files and the
    database as they were, nothing left behind after the next start."""
    import warnings

    from clspd_desktop.db.known_errors import to_user_error
    from clspd_desktop.db.opening import open_database
    from clspd_desktop.db.store import Store
    from clspd_desktop.services.backup import make_backup

    tally = Tally("disk_full")
    disk = FullDisk(root / "petit-disque")
    elsewhere = root / "ailleurs"
    try:
        paths = make_council_folder(disk.root / "donnees", "Plein", documents=0, demo=True)
        store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
        try:
            make_backup(store, paths, elsewhere / "sauvegarde.7z", PASSWORD)
            (paths.documents_dir / "compte-rendu.pdf").write_bytes(random.Random(5).randbytes(200_000))
            operations = _writing_operations(store, paths, elsewhere)
            before = state_of(paths)
            files_before = {p: p.read_bytes() for p in paths.data_dir.rglob("*") if p.is_file()
                            and p.suffix != ".sqlite" and "-wal" not in p.name and "-shm" not in p.name}
            disk.fill()
            for name, operation in operations.items():
                if name == "ecriture_base" and not disk.mounted:
                    continue  # SQLite's own ENOSPC needs a real full disk
                tally.tried += 1
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    try:
                        operation()
                    except Exception as exc:  # noqa: BLE001 - sorted below: French message or bug
                        known = to_user_error(exc)
                        if known is not None and ("plein" in known.message or "place" in known.message):
                            tally.clean += 1
                        else:
                            tally.crashed += 1
                            tally.problems.append(f"{name}: {exc!r}")
                    else:
                        tally.changed += 1
                        tally.problems.append(f"{name}: écrit malgré le disque plein ?")
                    if caught:
                        tally.count("warnings_printed")
                        tally.problems.append(f"{name}: avertissement {caught[0].message}")
                if state_of(paths) != before or any(p.read_bytes() != data for p, data in files_before.items()
                                                    if p.exists()):
                    tally.changed += 1
                    tally.problems.append(f"{name}: données ou fichier précédent modifiés")
        finally:
            store.close()
        (disk.root / "remplissage").unlink(missing_ok=True)
        try:
            next_start(paths)
        except Exception as exc:  # noqa: BLE001
            tally.crashed += 1
            tally.problems.append(f"démarrage suivant : {exc!r}")
        left = leftovers(paths)
        tally.leftovers = len(left)
        if left:
            tally.problems.append(f"restes : {left}")
    finally:
        disk.release()
    return tally


# --- clock jumps --------------------------------------------------------------------------------------------
def clock_jumps(root: Path) -> Tally:
    """A week of daily starts with the clock going back ten days, then five years ahead, then right again:
    each day the start snapshot is taken, the rescue would offer the day's content, nothing from the wrong
    years survives once the clock is right."""
    from clspd_desktop.db.opening import open_database
    from clspd_desktop.db.store import Store
    from clspd_desktop.domain.directory import Organisation, OrganisationCategory
    from clspd_desktop.services.snapshots import (
        SnapshotReason,
        SnapshotService,
        is_future,
        latest_good_snapshot,
    )

    tally = Tally("clock_jumps")
    paths = make_council_folder(root / "donnees", "Horloge", organisations=5, documents=0)
    real = datetime(2026, 3, 2, 9, 0)
    days = [real, real + timedelta(days=1), real - timedelta(days=10), real + timedelta(days=5 * 365),
            real + timedelta(days=5 * 365, hours=26), real + timedelta(days=3), real + timedelta(days=4),
            real + timedelta(days=5)]
    store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
    snaps = SnapshotService(paths.snapshots_dir, store.db.conn)
    warnings = 0
    try:
        for n, now in enumerate(days):
            tally.tried += 1
            try:
                warnings += snaps.clock_warning(now=now) is not None
                if not snaps.is_due(now=now):
                    tally.changed += 1
                    tally.problems.append(f"jour {n} ({now:%Y-%m-%d}) : pas d'instantané de démarrage")
                    continue
                with store.transaction():
                    store.directory.save_organisation(Organisation(
                        name=f"Jour {n}", category=OrganisationCategory.ASSOCIATION))
                snaps.take(SnapshotReason.START, now=now)
                chosen = latest_good_snapshot(paths.snapshots_dir)
                conn = sqlite3.connect(chosen.path)
                try:
                    has_day = conn.execute("SELECT 1 FROM organisation WHERE name = ?", [f"Jour {n}"]).fetchone()
                finally:
                    conn.close()
                if has_day:
                    tally.clean += 1
                else:
                    tally.changed += 1
                    tally.problems.append(f"jour {n} : le secours proposerait {chosen.path.name}")
            except Exception as exc:  # noqa: BLE001
                tally.crashed += 1
                tally.problems.append(f"jour {n} : {exc!r}")
        stale = [s for s in snaps.list()[1:] if is_future(s, days[-1])]
        tally.leftovers = len(stale)
        if stale:
            tally.problems.append(f"instantanés datés dans le futur restés : {[s.path.name for s in stale]}")
    finally:
        store.close()
    tally.extra["warnings_shown"] = warnings
    return tally


# --- the figures --------------------------------------------------------------------------------------------
def collect() -> list[tuple[str, int, str]]:
    figures: list[tuple[str, int, str]] = []
    with tempfile.TemporaryDirectory(prefix="clspd-bench-fiabilite-") as folder:
        base = Path(folder)
        families: list[Callable[[], Tally]] = [
            lambda op=op: kills(op, base / op, points=("avant-base", "apres-base") if op == "restore" else ())
            for op in ("writes", "backup", "restore", "snapshot")]
        families += [lambda: hostile_archives(base / "hostiles"), lambda: disk_full(base / "disque"),
                     lambda: clock_jumps(base / "horloge")]
        for family in families:
            tally = family()
            figures += tally.figures()
            for problem in tally.problems[:10]:
                print(f"# {tally.family} : {problem}", file=sys.stderr)
    return figures
