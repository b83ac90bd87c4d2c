"""`--self-test`: every check reports OK on a sound install, and each kind of breakage gives an ÉCHEC line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail, null

from clspd_desktop import self_test
from clspd_desktop.app import run
from clspd_desktop.paths import resources_dir
from tests.conftest import MemoryKeyring

TITLES = ("Versions", "Ressources de l'application", "Base de données", "PDF avec accents", "Archive chiffrée",
          "Processus de préparation des documents", "Trousseau de mots de passe",
          "Fichier chiffré du suivi individuel", "Interface Qt")


def test_all_checks_pass_and_the_report_is_written(tmp_path, capsys):
    report = tmp_path / "rapport.txt"

    assert self_test.main(report) == 0

    text = report.read_text(encoding="utf-8")
    for title in TITLES:
        assert f"OK        {title} : " in text
    assert "Résultat : tout fonctionne." in text
    assert "ÉCHEC" not in text
    printed = capsys.readouterr().out
    assert text in printed and f"Rapport enregistré dans : {report}" in printed


def test_a_failing_check_gives_its_reason_and_exit_code_1(tmp_path, monkeypatch):
    def broken_pdf(target: Path) -> None:
        raise OSError("police introuvable")

    monkeypatch.setattr(self_test, "write_sample_pdf", broken_pdf)
    report = tmp_path / "rapport.txt"

    assert self_test.main(report) == 1

    text = report.read_text(encoding="utf-8")
    assert "ÉCHEC     PDF avec accents : OSError : police introuvable" in text
    assert "OK        Archive chiffrée" in text  # the other checks still ran
    assert "Résultat : 1 vérification en échec." in text


def test_pdf_check_refuses_a_pdf_without_the_embedded_font(tmp_path, monkeypatch):
    monkeypatch.setattr(self_test, "write_sample_pdf",
                        lambda target: target.write_bytes(b"%PDF-1.4\n" + b"x" * 2000 + b"\n%%EOF\n"))

    result = self_test.run_check("PDF", lambda: self_test.check_pdf(tmp_path))

    assert result.status == "ÉCHEC" and "DejaVu" in result.detail


def test_a_bundle_without_the_sqlcipher_binding_fails_the_encrypted_store_check(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # what a frozen bundle that lost it raises
    monkeypatch.delitem(sys.modules, "clspd_desktop.db.individual_store", raising=False)

    result = self_test.run_check("Fichier chiffré", lambda: self_test.check_encrypted_store(tmp_path))

    assert result.status == "ÉCHEC" and "sqlcipher3" in result.detail


def test_missing_resource_is_named(tmp_path, monkeypatch):
    copy = tmp_path / "resources"
    shutil.copytree(resources_dir(), copy)
    (copy / "fonts" / "DejaVuSans-Bold.ttf").unlink()
    monkeypatch.setattr(self_test, "resources_dir", lambda: copy)

    result = self_test.run_check("Ressources", self_test.check_resources)

    assert result.status == "ÉCHEC" and "fonts/DejaVuSans-Bold.ttf" in result.detail


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_useless_keyring_fails_on_windows_and_warns_on_linux(backend):
    keyring.set_keyring(backend)

    on_windows = self_test.run_check("Trousseau", lambda: self_test.check_keyring("win32"))
    on_linux = self_test.run_check("Trousseau", lambda: self_test.check_keyring("linux"))

    assert on_windows.status == "ÉCHEC" and type(backend).__module__ in on_windows.detail
    assert on_linux.status == "ATTENTION" and on_linux.passed


def test_keyring_that_loses_secrets_fails(memory_keyring):
    class Forgetful(MemoryKeyring):
        def get_password(self, service, username):
            return None

    keyring.set_keyring(Forgetful())

    result = self_test.run_check("Trousseau", self_test.check_keyring)

    assert result.status == "ÉCHEC" and "diffère" in result.detail


def test_keyring_check_leaves_no_secret_behind(memory_keyring):
    assert self_test.run_check("Trousseau", self_test.check_keyring).status == "OK"
    assert memory_keyring.secrets == {}


def test_self_test_option_does_not_create_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(self_test, "default_report_path", lambda: tmp_path / "rapport.txt")
    data_dir = tmp_path / "donnees"

    assert run(["--self-test", "--data-dir", str(data_dir)]) == 0
    assert not data_dir.exists()
    assert (tmp_path / "rapport.txt").is_file()


def run_self_test_process(tmp_path: Path, qt_platform: str) -> subprocess.CompletedProcess:
    """`python -m clspd_desktop --self-test` with its temp folder in tmp_path and the system keyring disabled."""
    env = {**os.environ, "QT_QPA_PLATFORM": qt_platform, "TMPDIR": str(tmp_path), "TEMP": str(tmp_path),
           "TMP": str(tmp_path), "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
           "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "clspd_desktop", "--self-test"], env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_self_test_as_a_subprocess(tmp_path):
    """What a support person runs: `python -m clspd_desktop --self-test`, with the system keyring disabled."""
    done = run_self_test_process(tmp_path, "offscreen")

    lines = done.stdout.splitlines()
    for title in TITLES:
        if title != "Trousseau de mots de passe":
            assert any(line.startswith("OK ") and f" {title} : " in line for line in lines), done.stdout
    assert any("keyring.backends.null.Keyring" in line for line in lines)
    assert done.returncode == (1 if any(line.startswith("ÉCHEC") for line in lines) else 0), done.stderr
    assert (tmp_path / self_test.REPORT_NAME).read_text(encoding="utf-8") in done.stdout


@pytest.mark.parametrize(("environ", "platform_name", "expected"), [
    ({}, "linux", "xcb;offscreen"),
    ({"DISPLAY": ":0"}, "linux", "xcb;offscreen"),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", "wayland;xcb;offscreen"),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", "offscreen"),  # the caller's choice is kept
    ({}, "win32", None),  # a bundle without its Windows platform plugin must fail, not go offscreen
    ({}, "darwin", None),
])
def test_qt_gets_offscreen_as_a_fallback_on_linux_only(environ, platform_name, expected):
    chosen_by_caller = "QT_QPA_PLATFORM" in environ

    added = self_test.choose_qt_platform(environ, platform_name)

    assert environ.get("QT_QPA_PLATFORM") == expected
    assert added == (platform_name == "linux" and not chosen_by_caller)


def test_the_report_is_saved_even_when_qt_aborts_the_process(tmp_path):
    """An unusable Qt platform aborts the interpreter (no exception to catch): the report already says so."""
    done = run_self_test_process(tmp_path, "plateforme-inexistante")

    assert done.returncode != 0
    report = (tmp_path / self_test.REPORT_NAME).read_text(encoding="utf-8")
    for title in TITLES[:-1]:
        assert f" {title} : " in report
    assert self_test.QT_INTERRUPTED.line() in report
    assert "Résultat : 1 vérification en échec." in report
    assert not list(tmp_path.glob("clspd-autotest-*"))  # the scratch folder was removed before the Qt check
