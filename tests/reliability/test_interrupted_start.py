"""The app itself, started after a power cut in the middle of a restore: repaired before the window, told."""

from __future__ import annotations

from clspd_desktop import app as app_module
from clspd_desktop.services.interrupted_work import journal_path
from tests.unit.test_interrupted_work import _interrupted_restore


def test_the_app_repairs_before_opening_and_says_so(qapp, paths, configured_store, dialogs):
    _interrupted_restore(configured_store, paths, database_replaced=True)
    configured_store.close()  # as after a power cut: the app starts on what the kill left
    code = app_module.run(["--data-dir", str(paths.data_dir), "--exit-when-shown"])
    assert code == 0
    assert dialogs.informed[0][0] == "Travail interrompu" and "vient d'être terminée" in dialogs.informed[0][1]
    assert [p.name for p in paths.documents_dir.iterdir()] == ["restaure.pdf"]
    assert not journal_path(paths).exists()
