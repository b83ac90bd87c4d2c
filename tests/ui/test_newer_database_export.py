"""A database newer than the app: refused with a French message that offers a read-only Excel export."""

from __future__ import annotations

from openpyxl import load_workbook

from clspd_desktop import app as app_module
from clspd_desktop.ui.backups.startup import open_or_recover
from tests.unit.test_readonly_export import digest, make_newer_database, sidecars


def test_the_refusal_offers_a_read_only_export_and_keeps_the_file(qapp, paths, dialogs, tmp_path):
    make_newer_database(paths.database)
    before = digest(paths.database)
    target = tmp_path / "choisi" / "mes-donnees.xlsx"
    target.parent.mkdir()
    dialogs.confirms.append(True)
    dialogs.files.append(target)

    assert open_or_recover(paths) is None  # the app still does not open it

    assert "version plus récente" in dialogs.confirm_texts[0] and "sans modifier la base" in dialogs.confirm_texts[0]
    assert dialogs.informed and str(target) in dialogs.informed[-1][1]
    book = load_workbook(target)
    assert {"À lire", "council", "organisation", "contact"} <= set(book.sheetnames)
    assert digest(paths.database) == before
    assert sidecars(paths.database) == []


def test_declining_the_export_writes_nothing(paths, dialogs):
    make_newer_database(paths.database)
    before = digest(paths.database)
    dialogs.confirms.append(False)

    assert open_or_recover(paths) is None

    assert not dialogs.files and not dialogs.informed  # no file dialog was opened
    assert list(paths.exports_dir.iterdir()) == []
    assert digest(paths.database) == before
    assert sidecars(paths.database) == []


def test_cancelling_the_file_dialog_writes_nothing(qapp, paths, dialogs):
    make_newer_database(paths.database)
    dialogs.confirms.append(True)
    dialogs.files.append(None)

    assert open_or_recover(paths) is None

    assert not dialogs.informed and list(paths.exports_dir.iterdir()) == []


def test_the_app_exports_then_quits_without_opening_the_file(qapp, paths, dialogs):
    make_newer_database(paths.database)
    before = digest(paths.database)
    target = paths.exports_dir / "export.xlsx"
    dialogs.confirms.append(True)
    dialogs.files.append(target)

    code = app_module.run(["--data-dir", str(paths.data_dir), "--exit-when-shown"])

    assert code != 0
    assert target.exists() and digest(paths.database) == before and sidecars(paths.database) == []
    assert list(paths.snapshots_dir.iterdir()) == []  # nothing taken from a file the app must not touch


def test_annuler_on_the_export_progress_window_writes_nothing(qapp, paths, dialogs, tmp_path, monkeypatch):
    """The export runs on the runner's worker; the user presses « Annuler » in its progress window."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    from clspd_desktop.services import readonly_export

    make_newer_database(paths.database)
    before = digest(paths.database)
    gate = threading.Event()
    export = readonly_export.export_readonly_xlsx

    def slow_export(database, target, progress=None, **kwargs):
        gate.wait(10)  # the first report after this stops the export once « Annuler » was pressed
        return export(database, target, progress=progress, **kwargs)

    monkeypatch.setattr(readonly_export, "export_readonly_xlsx", slow_export)
    pressed = []

    def press_annuler() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
        if not windows:
            QTimer.singleShot(20, press_annuler)
            return
        button = windows[0].findChild(QPushButton)
        pressed.append((windows[0].labelText(), button.text()))
        button.click()
        gate.set()

    QTimer.singleShot(0, press_annuler)
    target = tmp_path / "export.xlsx"
    dialogs.confirms.append(True)
    dialogs.files.append(target)

    assert open_or_recover(paths) is None

    assert pressed == [("Export en lecture seule…", "Annuler")]
    assert not target.exists() and not dialogs.informed and not dialogs.warned
    assert digest(paths.database) == before and sidecars(paths.database) == []
