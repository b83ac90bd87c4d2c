"""Every archive the app writes opens in the 7-Zip tool with its password only; any flipped byte is caught;
restore(backup(db)) equals db row for row for random databases."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clspd_desktop.db.backup_repo import table_rows, user_tables
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import Contact, ContactRole, Organisation, OrganisationCategory
from clspd_desktop.paths import AppPaths
from clspd_desktop.services import parallel_lzma2
from clspd_desktop.services.archive import ArchiveError, find_7z_cli, sha256_of, verify_archive, write_archive
from clspd_desktop.services.backup import BACKUP_KIND, make_backup
from clspd_desktop.services.restore import apply_restore, prepare_backup_restore
from clspd_desktop.services.snapshots import SnapshotService

PASSWORD = "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP"
SEVEN_ZIP = find_7z_cli()
needs_7z = pytest.mark.skipif(SEVEN_ZIP is None, reason="7-Zip (7z/7zz) absent")


@pytest.fixture(autouse=True)
def blocks(monkeypatch):
    """64 KiB LZMA2 blocks: these small archives are then cut into several blocks compressed on the thread
    pool, as a real backup is (4 MiB blocks); returns how many blocks were compressed."""
    counted = []
    compress_block = parallel_lzma2.compress_block
    monkeypatch.setattr(parallel_lzma2, "BLOCK_SIZE", 64 * 1024)
    monkeypatch.setattr(parallel_lzma2, "compress_block", lambda *a: counted.append(1) or compress_block(*a))
    return counted


def seven_zip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([SEVEN_ZIP, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=60)


def assert_opens_with_7zip_only(archive: Path, password: str, out: Path) -> None:
    """What the préfecture does: 7-Zip with the password works; without it, nothing, not even the names."""
    assert seven_zip("t", f"-p{password}", str(archive)).returncode == 0
    refused = seven_zip("l", "-p", str(archive))
    assert refused.returncode != 0
    assert "manifest.json" not in refused.stdout
    assert seven_zip("t", "-pAAAAA-AAAAA-AAAAA-AAAAA-AAAAA", str(archive)).returncode != 0
    assert seven_zip("x", f"-p{password}", f"-o{out}", "-y", str(archive)).returncode == 0
    manifest = verify_archive(archive, password, kind_of(out))
    for name, meta in manifest.members.items():
        assert sha256_of(out / name) == meta["sha256"]


def kind_of(folder: Path) -> str:
    import json

    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["kind"]


@needs_7z
def test_backup_opens_in_7zip_with_the_password_only(configured_store, paths, tmp_path, blocks):
    (paths.documents_dir / "compte rendu é.pdf").write_bytes(b"%PDF document")
    archive = tmp_path / "sauvegarde.7z"
    make_backup(configured_store, paths, archive, PASSWORD)
    assert len(blocks) > 1  # the database alone fills several blocks
    assert_opens_with_7zip_only(archive, PASSWORD, tmp_path / "extrait")


def test_every_flipped_byte_is_detected(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("Conseil local de sécurité — relevé de décisions\n" * 5, encoding="utf-8")
    archive = tmp_path / "x.7z"
    write_archive(archive, {"a.txt": source}, PASSWORD, BACKUP_KIND)
    original = archive.read_bytes()
    size = len(original)
    positions = sorted(set(range(0, 32)) | set(range(32, size, max(1, size // 30))) | {size - 1})
    undetected = []
    for position in positions:
        tampered = bytearray(original)
        tampered[position] ^= 0x5A
        archive.write_bytes(bytes(tampered))
        try:
            verify_archive(archive, PASSWORD, BACKUP_KIND)
        except ArchiveError:
            continue
        undetected.append(position)
    assert undetected == [], f"octets modifiés non détectés : {undetected} sur {size}"


organisations = st.lists(
    st.tuples(
        st.text(min_size=1, max_size=40).filter(str.strip),
        st.sampled_from(list(OrganisationCategory)),
        st.text(max_size=200),
        st.lists(st.tuples(st.text(min_size=1, max_size=30).filter(str.strip), st.booleans()), max_size=3),
    ),
    max_size=6,
)


def _open(paths: AppPaths) -> Store:
    return Store.over(open_database(paths.database, paths.snapshots_dir).db)


def _dump(store: Store) -> dict:
    rows = {t: table_rows(store.db.conn, t) for t in user_tables(store.db.conn)}
    rows["setting"] = [r for r in rows["setting"] if r[0] != "backup.last_at"]
    return rows


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(organisations)
def test_restore_of_a_backup_equals_the_original(orgs):
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        source_paths, target_paths = AppPaths(base / "a").ensure(), AppPaths(base / "b").ensure()
        source, target = _open(source_paths), _open(target_paths)
        try:
            for name, category, notes, contacts in orgs:
                org = source.directory.save_organisation(Organisation(name=name, category=category, notes=notes))
                for last_name, substitute in contacts:
                    source.directory.save_contact(Contact(
                        last_name=last_name, organisation_id=org.id,
                        role=ContactRole.SUBSTITUTE if substitute else ContactRole.TITULAR))
            archive = base / "s.7z"
            make_backup(source, source_paths, archive, PASSWORD)
            plan = prepare_backup_restore(archive, PASSWORD, target_paths)
            apply_restore(plan, target.db.conn, SnapshotService(target_paths.snapshots_dir, target.db.conn),
                          target_paths)
            assert _dump(target) == _dump(source)
        finally:
            source.close()
            target.close()
