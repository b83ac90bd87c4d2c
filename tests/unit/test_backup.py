"""Encrypted backups: the password is made once and checkable; the archive holds db, documents, manifest."""

from __future__ import annotations

from datetime import datetime

import keyring
import pytest
from keyring.backends import fail

from clspd_desktop.services.archive import verify_archive
from clspd_desktop.services.backup import (
    BACKUP_KIND,
    BackupPassword,
    last_backup_at,
    make_backup,
    suggested_file_name,
)
from clspd_desktop.services.secrets import SecretsUnavailableError
from tests.factories import add_contact, add_organisation

NOW = datetime(2025, 3, 17, 14, 5)


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
