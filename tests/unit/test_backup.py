"""Encrypted backups: the password is made once and checkable; the archive holds db, documents, manifest."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import datetime

import keyring
import pytest
from keyring.backends import fail

from clspd_desktop.db.backup_repo import table_rows
from clspd_desktop.db.snapshot import COPY_DAMAGED
from clspd_desktop.errors import StorageError
from clspd_desktop.services import backup, py7zr_speedups
from clspd_desktop.services.archive import extract_archive, verify_archive
from clspd_desktop.services.backup import (
    BACKUP_KIND,
    BackupPassword,
    last_backup_at,
    make_backup,
    suggested_file_name,
)
from clspd_desktop.services.secrets import SecretsUnavailableError
from tests.factories import add_contact, add_organisation
from tests.unit.test_snapshots import damaged_copy

NOW = datetime(2025, 3, 17, 14, 5)
PASSWORD = "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP"


def test_password_is_created_once_checked_and_kept(configured_store):
    passwords = BackupPassword(configured_store.settings)
    assert not passwords.exists()
    password = passwords.create(now=NOW)
    passwords.keep(password)
    assert passwords.exists() and passwords.created_at() == NOW
    assert passwords.kept() == password
    assert passwords.matches(password)
    assert not passwords.matches(password.replace(password[0], "Z" if password[0] != "Z" else "Y"))
    assert passwords.accept_typed(password.lower().replace("-", " ")) == password
    assert passwords.accept_typed("AAAAA-AAAAA-AAAAA-AAAAA-AAAAA") is None
    assert password not in str(configured_store.settings.get("backup.password_check"))


def test_keyring_unavailable_is_explained_not_swallowed(configured_store):
    passwords = BackupPassword(configured_store.settings)
    password = passwords.create()
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(SecretsUnavailableError):
        passwords.keep(password)
    with pytest.raises(SecretsUnavailableError):
        passwords.kept()
    # the user can still type it from the recovery sheet
    assert passwords.accept_typed(password) == password


def test_backup_contains_database_documents_and_manifest(configured_store, paths, tmp_path):
    org = add_organisation(configured_store, "Mission locale")
    add_contact(configured_store, org, "Durand")
    (paths.documents_dir / "2025").mkdir()
    (paths.documents_dir / "2025" / "arrêté.pdf").write_bytes(b"%PDF-1.4 arrete")
    target = tmp_path / "cle-usb" / suggested_file_name("Ville de Montreval", NOW)
    result = make_backup(configured_store, paths, target, "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP", now=NOW)
    assert target.name == "Sauvegarde-Ville-de-Montreval-2025-03-17_1405.7z"
    assert result.documents == 1
    manifest = verify_archive(target, "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP", BACKUP_KIND)
    assert set(manifest.members) == {"clspd.sqlite", "documents/2025/arrêté.pdf"}
    assert manifest.extra["row_counts"]["organisation"] == 1
    assert manifest.extra["row_counts"]["contact"] == 1
    assert manifest.extra["schema_version"] == len(manifest.extra["migrations"]) >= 2
    assert manifest.extra["council"] == "Ville de Montreval"
    assert manifest.created_at == NOW
    assert last_backup_at(configured_store.settings) == NOW
    assert not [p for p in paths.data_dir.iterdir() if p.name.startswith(".sauvegarde-")]


def test_the_archived_database_is_a_rollback_journal_file(configured_store, paths, tmp_path):
    add_organisation(configured_store, "Mission locale")
    target = tmp_path / "s.7z"
    make_backup(configured_store, paths, target, PASSWORD)
    out = tmp_path / "out"
    extract_archive(target, PASSWORD, out, BACKUP_KIND, allowed=lambda _: True, max_size=10**9, what="x")
    data = (out / "clspd.sqlite").read_bytes()
    assert data[18:20] == b"\x01\x01"  # opening it creates no -wal file, as with a snapshot
    conn = sqlite3.connect(out / "clspd.sqlite")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert table_rows(conn, "organisation") == table_rows(configured_store.db.conn, "organisation")
    finally:
        conn.close()


def _refused_backup(configured_store, paths, tmp_path, match: str, monkeypatch, name: str, fake) -> None:
    target = tmp_path / "cle" / "s.7z"
    make_backup(configured_store, paths, target, PASSWORD)
    before = target.read_bytes()
    monkeypatch.setattr(backup, name, fake)
    with pytest.raises(StorageError, match=match):
        make_backup(configured_store, paths, target, PASSWORD)
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["s.7z"]  # no temp file left


def test_a_damaged_copy_is_never_archived(configured_store, paths, tmp_path, monkeypatch):
    damaged = damaged_copy(configured_store, tmp_path)
    _refused_backup(configured_store, paths, tmp_path, "incohérente", monkeypatch, "file_copy",
                    lambda _conn, _target: damaged)


def test_too_little_memory_for_the_copy_is_explained(configured_store, paths, tmp_path, monkeypatch):
    def no_memory(_conn, _target):
        raise MemoryError

    _refused_backup(configured_store, paths, tmp_path, "mémoire de l'ordinateur ne suffit pas", monkeypatch,
                    "file_copy", no_memory)


def test_the_rename_waits_for_a_slow_copy_check(configured_store, paths, tmp_path, monkeypatch):
    """The copy's check runs beside the compression; even when it ends last, its failure abandons the file."""
    def slow_failure(_copy):
        time.sleep(0.5)
        raise StorageError(COPY_DAMAGED)

    _refused_backup(configured_store, paths, tmp_path, "incohérente", monkeypatch, "check_copy", slow_failure)


def test_a_backup_derives_its_key_once_ahead_on_a_thread(configured_store, paths, tmp_path, monkeypatch):
    threads = []
    real = py7zr_speedups.derive_key

    def recording(password: bytes, cycles: int, salt: bytes) -> bytes:
        threads.append(threading.current_thread().name)
        return real(password, cycles, salt)

    monkeypatch.setattr(py7zr_speedups, "derive_key", recording)
    make_backup(configured_store, paths, tmp_path / "s.7z", PASSWORD)
    assert threads == ["cle-7z"]  # written, then verified: py7zr asked for the key derived ahead
    verify_archive(tmp_path / "s.7z", PASSWORD, BACKUP_KIND)
    assert threads == ["cle-7z", "MainThread"]
