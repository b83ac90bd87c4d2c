"""What only Windows does, simulated here: a file held by another program, accented user names with spaces,
the 260-character path limit, the Credential Locker's size limits. The real Windows run is the workflow's."""

from __future__ import annotations

import errno
import os
from pathlib import Path, PureWindowsPath

import pytest

from clspd_desktop import paths, safe_files, self_test
from clspd_desktop.errors import StorageError
from clspd_desktop.services import secrets
from clspd_desktop.services.passwords import generate_password
from clspd_desktop.services.reports.convocations_pdf import safe_file_stem

HELD = PermissionError(errno.EACCES, "Le processus ne peut pas accéder au fichier car ce fichier est utilisé "
                                     "par un autre processus")


class HeldTarget:
    """os.replace as Windows does while a viewer or an antivirus holds the target: PermissionError."""

    def __init__(self, monkeypatch, held_for: int) -> None:
        self.held_for = held_for
        self.calls = 0
        self.waits: list[float] = []
        real_replace = os.replace

        def replace(source, target):
            self.calls += 1
            if self.calls <= self.held_for:
                raise HELD
            real_replace(source, target)

        monkeypatch.setattr(safe_files.os, "replace", replace)
        monkeypatch.setattr(safe_files.time, "sleep", self.waits.append)


def test_a_briefly_held_file_is_replaced_after_a_retry(tmp_path, monkeypatch):
    target = tmp_path / "Convocations.pdf"
    target.write_bytes(b"ancienne version")
    held = HeldTarget(monkeypatch, held_for=2)

    safe_files.write_bytes_atomically(target, b"nouvelle version")

    assert target.read_bytes() == b"nouvelle version"
    assert held.calls == 3 and held.waits == list(safe_files.REPLACE_RETRY_DELAYS[:2])
    assert [p.name for p in tmp_path.iterdir()] == ["Convocations.pdf"]


def test_a_file_held_through_every_retry_gives_a_french_message_and_stays_intact(tmp_path, monkeypatch):
    target = tmp_path / "Annuaire des partenaires.pdf"
    target.write_bytes(b"ancienne version")
    held = HeldTarget(monkeypatch, held_for=100)

    with pytest.raises(StorageError) as raised:
        safe_files.write_bytes_atomically(target, b"nouvelle version")

    assert raised.value.message == safe_files.HELD_MESSAGE.format(name="Annuaire des partenaires.pdf")
    assert "ouvert dans un autre programme" in raised.value.message and "fermez-le" in raised.value.message
    assert held.calls == len(safe_files.REPLACE_RETRY_DELAYS) + 1
    assert sum(held.waits) < 3  # the user waits about two seconds, not forever
    assert target.read_bytes() == b"ancienne version"
    assert [p.name for p in tmp_path.iterdir()] == ["Annuaire des partenaires.pdf"]  # no temp file left


def test_a_refused_folder_is_not_retried(tmp_path, monkeypatch):
    held = HeldTarget(monkeypatch, held_for=100)

    with pytest.raises(StorageError) as raised:
        safe_files.write_bytes_atomically(tmp_path / "nouveau.pdf", b"contenu")

    assert held.calls == 1 and held.waits == []
    assert raised.value.message.startswith("Accès refusé")


def test_windows_data_folder_with_an_accented_user_name_and_spaces(monkeypatch):
    monkeypatch.setattr(paths.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\Élodie Lefèvre-Nguyễn\AppData\Local")

    folder = paths.default_data_dir()

    assert folder == Path(r"C:\Users\Élodie Lefèvre-Nguyễn\AppData\Local") / "CLSPD Desktop"
    assert folder.name == paths.DATA_FOLDER_NAME


def test_database_pdf_and_archive_in_a_folder_with_accents_and_spaces(tmp_path, memory_keyring):
    """The self-test's real work (SQLite file, PDF with fonts, 7z AES archive, the documents' child process,
    the SQLCipher store) under such a profile folder."""
    workdir = tmp_path / "Users" / "Élodie Lefèvre-Nguyễn" / "AppData" / "Local" / "Temp" / "dossier œuvre"
    workdir.mkdir(parents=True)

    results = self_test.run_checks(workdir)

    assert [r.status for r in results if r.title != "Trousseau de mots de passe"] == ["OK"] * 7, results


# Windows' classic limit (MAX_PATH) without the "long paths" policy, which a town hall PC rarely has.
MAX_PATH = 260
# The longest profile folder: a 20-character account name (the SAM limit), suffixed when it already exists.
LOCAL_APP_DATA = PureWindowsPath(r"C:\Users\Élodie-Lefèvre-Ngu.MAIRIE-01\AppData\Local")


def test_the_deepest_file_the_app_names_fits_windows_path_limit():
    data = paths.AppPaths.for_demo(Path(LOCAL_APP_DATA / paths.DATA_FOLDER_NAME))
    folders = [data.snapshots_dir, data.documents_dir, data.logs_dir, data.exports_dir]
    stem = safe_file_stem("Direction départementale de la sécurité publique — commissariat subdivisionnaire " * 3)
    longest = max(len(str(PureWindowsPath(folder) / "Réunion du 17 mars 2023" / f"999-{stem}.pdf"))
                  for folder in folders)

    assert len(stem) <= 60
    assert longest < MAX_PATH


def test_passwords_and_keys_fit_the_windows_credential_locker():
    """Credential Manager keeps at most 2 560 bytes of secret (UTF-16) under a name of at most 32 767 chars."""
    for _ in range(20):
        assert len(generate_password().encode("utf-16-le")) <= 2560
    longest_key = max(len(key) for key in (secrets.BACKUP_KEY, secrets.SMTP_KEY, secrets.pack_key("x" * 64)))
    assert len(f"{longest_key}@{secrets.SERVICE}") < 32767
