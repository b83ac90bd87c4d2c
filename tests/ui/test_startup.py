"""Start-up as the user meets it: French Qt, the main window, refusals explained, bugs reported."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

from PySide6.QtWidgets import QDialogButtonBox

from clspd_desktop import app as app_module
from clspd_desktop.app import build_main_window, install_french
from clspd_desktop.errors import UserError
from clspd_desktop.ui.crash_dialog import CrashDialog
from clspd_desktop.ui.crash_hook import install_excepthook


def test_qt_standard_buttons_speak_french(qapp):
    install_french(qapp)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Yes)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annuler"
    assert box.button(QDialogButtonBox.StandardButton.Yes).text() == "&Oui"


def test_main_window_lists_only_real_areas(qtbot, ctx):
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    titles = [area.title for area in window.areas]
    assert titles[:3] == ["Tableau de bord", "Conseil", "Partenaires"]
    assert "Ville de Montreval" in window.windowTitle()
    for area in window.areas:  # every area builds and shows without error
        assert window.show_area(area.key) is window.stack.currentWidget()


def test_run_opens_the_main_window_and_quits(qapp, paths, configured_store, monkeypatch):
    configured_store.close()
    code = app_module.run(["--data-dir", str(paths.data_dir), "--exit-when-shown"])
    assert code == 0
    assert (paths.logs_dir / "clspd-desktop.log").exists()


def test_start_on_an_up_to_date_database_never_imports_sqlite_utils(paths, configured_store):
    # A fresh interpreter: this one has imported everything. sqlite-utils (~50 ms) is for migrations only.
    configured_store.close()
    script = ("import json, sys\n"
              "from clspd_desktop.app import run\n"
              f"code = run(['--data-dir', {str(paths.data_dir)!r}, '--exit-when-shown'])\n"
              "print(json.dumps([code, sorted(m for m in sys.modules if m.split('.')[0] == 'sqlite_utils')]))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    code, imported = json.loads(done.stdout.splitlines()[-1])
    assert (code, imported) == (0, [])


def test_run_refuses_a_damaged_database_with_a_french_message(qapp, tmp_path, dialogs, monkeypatch):
    data = tmp_path / "donnees"
    data.mkdir()
    (data / "clspd.sqlite").write_bytes(b"pas une base" * 100)
    monkeypatch.setattr(dialogs, "confirms", type(dialogs.confirms)([False] * 3))
    code = app_module.run(["--data-dir", str(data), "--exit-when-shown"])
    assert code != 0
    assert dialogs.warned and "endommagé" in dialogs.warned[-1][1]
    assert (data / "clspd.sqlite").read_bytes() == b"pas une base" * 100


def test_bugs_open_the_crash_dialog_and_user_errors_a_message(qapp, dialogs, tmp_path, monkeypatch):
    previous = sys.excepthook
    install_excepthook(tmp_path / "journal.log")
    try:
        try:
            raise RuntimeError("bogue imprévu")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        try:
            raise UserError("Le disque est plein.")
        except UserError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
        logging.getLogger().handlers.clear()
    assert len(dialogs.crashes) == 1 and "bogue imprévu" in dialogs.crashes[0]
    assert dialogs.warned[-1][1] == "Le disque est plein."


def test_crash_dialog_copies_its_details(qtbot, qapp):
    dialog = CrashDialog("Traceback: détails", None)
    qtbot.addWidget(dialog)
    dialog.copy_details()
    assert qapp.clipboard().text() == "Traceback: détails"


def test_damage_found_once_the_window_is_up_offers_the_latest_snapshot(qapp, paths, dialogs, capsys):
    """The window is built while the whole-file check runs; its verdict comes before any user input."""
    from datetime import datetime, timedelta

    from clspd_desktop.db.opening import open_database
    from clspd_desktop.db.store import Store
    from clspd_desktop.services.snapshots import SnapshotReason, SnapshotService
    from tests.factories import make_council
    from tests.unit.test_deferred_check import current_database, damage_table_pages

    current_database(paths.data_dir, organisations=400)
    store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
    SnapshotService(paths.snapshots_dir, store.db.conn).take(SnapshotReason.EXIT,
                                                             now=datetime.now() - timedelta(hours=2))
    store.close()
    damaged = damage_table_pages(paths.database, "organisation")
    dialogs.confirms.append(True)
    code = app_module.run(["--data-dir", str(paths.data_dir), "--exit-when-shown"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.count("fenetre_affichee:") == 2  # the damaged file's window, then the restored one
    assert out.count("base_verifiee:") == 1
    assert "est endommagée" in dialogs.confirm_texts[0]
    (aside,) = paths.data_dir.glob("clspd-endommagee-*.sqlite")
    assert aside.read_bytes() == damaged  # kept as found: nothing was written to it
    restored = Store.over(open_database(paths.database, paths.snapshots_dir).db)
    assert len(restored.directory.organisations()) == 400 and restored.council.get().name == make_council().name
    restored.close()


def test_damage_found_once_the_window_is_up_without_a_snapshot_quits_and_changes_nothing(qapp, paths, dialogs):
    from tests.unit.test_deferred_check import current_database, damage_table_pages

    current_database(paths.data_dir, organisations=400)
    damaged = damage_table_pages(paths.database, "organisation")
    code = app_module.run(["--data-dir", str(paths.data_dir), "--exit-when-shown"])
    assert code == 2
    assert "endommagée" in dialogs.warned[-1][1]  # no snapshot to offer: explained
    assert paths.database.read_bytes() == damaged
    assert not list(paths.snapshots_dir.glob("*.sqlite"))  # no snapshot taken of a damaged file
