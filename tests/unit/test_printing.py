"""« Imprimer »: Windows' print verb, `lp` elsewhere, else the viewer with an explanation; launchers replaced,
no printer touched."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from clspd_desktop.errors import UserError
from clspd_desktop.services.printing import Launchers, print_folder, print_pdf


class Recorder:
    def __init__(self, fail: str = "") -> None:
        self.calls: list[tuple[str, str]] = []
        self.fail = fail

    def shell_print(self, path: Path) -> None:
        self.calls.append(("print verb", path.name))
        if self.fail == "shell":
            raise OSError("Aucune application n'est associée à l'action « print »")

    def lp(self, command: str, path: Path) -> None:
        self.calls.append((command, path.name))
        if self.fail == "lp":
            raise subprocess.CalledProcessError(1, [command], stderr=b"lp: Error - no default destination")

    def open_viewer(self, path: Path) -> None:
        self.calls.append(("viewer", path.name))
        if self.fail == "viewer":
            raise UserError("Aucun logiciel n'a pu ouvrir le fichier.")

    def launchers(self, platform: str, lp: str | None) -> Launchers:
        return Launchers(platform=platform, which=lambda name: lp if name == "lp" else None,
                         shell_print=self.shell_print, lp=self.lp, open_viewer=self.open_viewer)


@pytest.fixture
def pdf(tmp_path) -> Path:
    path = tmp_path / "convocations.pdf"
    path.write_bytes(b"%PDF-1.4")
    return path


def test_windows_uses_the_shell_print_verb(pdf):
    rec = Recorder()
    outcome = print_pdf(pdf, rec.launchers("win32", "/usr/bin/lp"))
    assert outcome.sent and rec.calls == [("print verb", "convocations.pdf")]
    assert "imprimante par défaut de Windows" in outcome.message


def test_elsewhere_lp_when_present(pdf):
    rec = Recorder()
    outcome = print_pdf(pdf, rec.launchers("linux", "/usr/bin/lp"))
    assert outcome.sent and rec.calls == [("/usr/bin/lp", "convocations.pdf")]


def test_without_lp_the_viewer_opens_and_the_user_is_told(pdf):
    rec = Recorder()
    outcome = print_pdf(pdf, rec.launchers("linux", None))
    assert not outcome.sent and rec.calls == [("viewer", "convocations.pdf")]
    assert "ouvert dans votre lecteur de PDF" in outcome.message and "Ctrl+P" in outcome.message
    assert str(pdf) in outcome.message


@pytest.mark.parametrize(("platform", "fail"), [("win32", "shell"), ("linux", "lp")])
def test_a_failing_printer_falls_back_to_the_viewer(pdf, platform, fail):
    rec = Recorder(fail)
    outcome = print_pdf(pdf, rec.launchers(platform, "/usr/bin/lp"))
    assert not outcome.sent and rec.calls[-1] == ("viewer", "convocations.pdf")
    assert "L'impression directe a échoué" in outcome.message


def test_nothing_can_open_it_is_a_clear_error(pdf):
    with pytest.raises(UserError, match="enregistré dans"):
        print_pdf(pdf, Recorder("viewer").launchers("linux", None))


def test_print_folder_is_under_the_exports(tmp_path):
    assert print_folder(tmp_path / "exports") == tmp_path / "exports" / "impressions"
    assert (tmp_path / "exports" / "impressions").is_dir()
