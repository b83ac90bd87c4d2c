"""`clspd-desktop --help` is read by the town hall's IT contact: French, like everything else."""

from __future__ import annotations

import pytest

from clspd_desktop.app import parse_args


def test_help_is_in_french(capsys):
    with pytest.raises(SystemExit) as done:
        parse_args(["--help"])

    text = capsys.readouterr().out
    assert done.value.code == 0
    assert text.startswith("utilisation : clspd-desktop ")
    assert "affiche cette aide puis quitte" in text and "affiche la version puis quitte" in text
    assert "--data-dir DOSSIER" in text and "--self-test" in text and "--demo" in text
    for english in ("usage:", "show this help", "show program's version", "DATA_DIR"):
        assert english not in text
