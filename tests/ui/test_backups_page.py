"""The Sauvegardes screen: snapshots, backup with the password dialog, restore, keyring failure (the packs' tab:
test_prefecture_pack_panel.py)."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QDialog

from clspd_desktop.services.backup import BackupPassword
from clspd_desktop.services.snapshots import SnapshotReason
from clspd_desktop.ui.backups.page import BackupsPage
from clspd_desktop.ui.backups.password_dialogs import TypePasswordDialog
from tests.factories import add_organisation


@pytest.fixture
def page(qtbot, ctx):
    widget = BackupsPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def click_and_wait(qtbot, ctx, button) -> None:
    """Click, then wait for the work it started on the runner's worker (and what it chained) to end."""
    button.click()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)


def close(dialog: QDialog) -> None:
    dialog.accept()


def names(ctx) -> list[str]:
    return sorted(o.name for o in ctx.store.directory.organisations())


def test_snapshot_list_and_restore(qtbot, page, ctx, dialogs, qtmodeltester):
    add_organisation(ctx.store, "Mission locale")
    click_and_wait(qtbot, ctx, page.take_button)
    add_organisation(ctx.store, "Bailleur social")
    qtmodeltester.check(page.snapshot_table.model())
    assert page.snapshot_table.model().rowCount() == 1  # the list followed the operation
    assert page.snapshot_table.model().index(0, 1).data() == "À la demande"
    page.snapshot_table.selectRow(0)
    dialogs.confirms.append(False)
    click_and_wait(qtbot, ctx, page.restore_snapshot_button)
    assert names(ctx) == ["Bailleur social", "Mission locale"]
    assert not list(ctx.paths.data_dir.glob(".restauration-*"))  # the checked copy was discarded
    dialogs.confirms.append(True)
    click_and_wait(qtbot, ctx, page.restore_snapshot_button)
    assert names(ctx) == ["Mission locale"]
    assert "Toutes les données actuelles seront remplacées" in dialogs.confirm_texts[-1]
    assert dialogs.informed[-1][0] == "Restauration terminée"
    reasons = [s.reason_code for s in ctx.snapshots.list()]
    assert SnapshotReason.RESTORE.value in reasons


def test_first_backup_creates_shows_and_keeps_the_password(qtbot, page, ctx, dialogs, modals, tmp_path,
                                                            memory_keyring):
    shown: list[str] = []
    modals.then(lambda d: (shown.append(d.password), close(d)))
    target = tmp_path / "cle" / "sauvegarde.7z"
    sheet = tmp_path / "fiche.pdf"
    dialogs.files.extend([target, sheet])
    dialogs.confirms.append(True)  # save the recovery sheet now
    click_and_wait(qtbot, ctx, page.backup_button)
    assert target.exists() and sheet.read_bytes().startswith(b"%PDF")
    assert BackupPassword(ctx.store.settings).kept() == shown[0]
    assert [title for title, _ in dialogs.informed] == ["Fiche de secours", "Sauvegarde terminée"]
    assert "Dernière sauvegarde chiffrée" in page.backup_status.text()

    # restore it after a change: the kept password is used, the user only confirms
    add_organisation(ctx.store, "Ajout après sauvegarde")
    dialogs.files.append(target)
    dialogs.confirms.append(True)
    click_and_wait(qtbot, ctx, page.restore_backup_button)
    assert names(ctx) == []
    assert dialogs.informed[-1][0] == "Restauration terminée"


def test_keyring_unavailable_the_user_types_the_password(qtbot, page, ctx, dialogs, modals, tmp_path):
    password = BackupPassword(ctx.store.settings).create()
    keyring.set_keyring(fail.Keyring())
    explanations: list[str] = []

    def type_wrong(dialog: TypePasswordDialog) -> None:
        explanations.append(dialog.findChildren(type(dialog.error))[0].text())
        dialog.field.setText("AAAAA-AAAAA-AAAAA-AAAAA-AAAAA")
        dialog.ok_button.click()

    def type_right(dialog: TypePasswordDialog) -> None:
        dialog.field.setText(password.lower().replace("-", " "))
        dialog.ok_button.click()

    modals.then(type_wrong).then(type_right)
    target = tmp_path / "sauvegarde.7z"
    dialogs.files.append(target)
    click_and_wait(qtbot, ctx, page.backup_button)
    assert "coffre-fort de mots de passe" in explanations[0]
    assert target.exists()
    assert dialogs.informed[-1][0] == "Sauvegarde terminée"
    assert "\n\nAucun document joint inclus. Rangez" in dialogs.informed[-1][1]  # a sentence starts upper-case


def test_first_password_with_keyring_unavailable_is_shown_with_a_warning(qtbot, ctx, page, dialogs, modals,
                                                                         tmp_path):
    keyring.set_keyring(fail.Keyring())
    warnings: list[str] = []
    modals.then(lambda d: (warnings.append(d.warning.text()), close(d)))
    dialogs.files.append(tmp_path / "s.7z")
    dialogs.confirms.append(False)
    click_and_wait(qtbot, ctx, page.backup_button)
    assert "n'a pas pu y être conservé" in warnings[0] and "Notez-le maintenant" in warnings[0]
    assert (tmp_path / "s.7z").exists()


def test_wrong_backup_password_changes_nothing(qtbot, page, ctx, dialogs, modals, tmp_path):
    add_organisation(ctx.store, "Mission locale")
    other = tmp_path / "autre.7z"
    from clspd_desktop.services.backup import make_backup

    make_backup(ctx.store, ctx.paths, other, "BBBBB-BBBBB-BBBBB-BBBBB-BBBBB")
    add_organisation(ctx.store, "Bailleur social")
    dialogs.files.append(other)
    modals.then(lambda d: (d.field.setText("CCCCC-CCCCC-CCCCC-CCCCC-CCCCC"), d.ok_button.click()))
    click_and_wait(qtbot, ctx, page.restore_backup_button)
    assert dialogs.warned[-1][0] == "Restauration impossible"
    assert "Mot de passe incorrect ou fichier endommagé" in dialogs.warned[-1][1]
    assert names(ctx) == ["Bailleur social", "Mission locale"]
    assert not list(ctx.paths.data_dir.glob(".restauration-*"))
    assert [s.reason_code for s in ctx.snapshots.list()] == []  # no safety snapshot: nothing was replaced


def test_a_restore_shows_at_once_on_every_open_screen_and_clears_undo(qtbot, page, ctx, dialogs):
    """Restore returns OpChanges.all(): a visible dashboard is rebuilt at once, and nothing recorded before
    the restore can be undone any more."""
    from datetime import date

    from PySide6.QtWidgets import QLabel

    from clspd_desktop.services.operations import Change, done
    from clspd_desktop.ui.dashboard import DashboardPage

    click_and_wait(qtbot, ctx, page.take_button)

    def add(env):
        with env.store.transaction():
            add_organisation(env.store, "Ajoutée après l'instantané")
        return done(None, Change.DIRECTORY)

    ctx.runner.call(add, undo="Ajout")
    dashboard = DashboardPage(ctx, today=date(2026, 11, 21))
    qtbot.addWidget(dashboard)
    dashboard.show()
    assert [label.text() for label in dashboard.findChildren(QLabel, "tileValue")][1] == "1"
    page.snapshot_table.selectRow(0)
    dialogs.confirms.append(True)
    click_and_wait(qtbot, ctx, page.restore_snapshot_button)
    assert [label.text() for label in dashboard.findChildren(QLabel, "tileValue")][1] == "0"
    assert ctx.runner.undo_label == ""


def test_cancelling_the_check_of_a_backup_changes_nothing(qtbot, page, ctx, dialogs, monkeypatch, tmp_path):
    import threading

    from clspd_desktop.services import restore
    from clspd_desktop.services.backup import make_backup

    password = BackupPassword(ctx.store.settings).create()
    BackupPassword(ctx.store.settings).keep(password)
    archive = tmp_path / "s.7z"
    make_backup(ctx.store, ctx.paths, archive, password)
    add_organisation(ctx.store, "Ajoutée après la sauvegarde")
    checking, release = threading.Event(), threading.Event()
    prepare = restore.prepare_backup_restore

    def slow_prepare(*args, **kwargs):
        plan = prepare(*args, **kwargs)
        checking.set()
        release.wait(10)
        return plan

    monkeypatch.setattr(restore, "prepare_backup_restore", slow_prepare)
    dialogs.files.append(archive)
    page.restore_backup_button.click()  # the kept password is read on the worker, then the check starts
    qtbot.waitUntil(checking.is_set, timeout=10_000)
    assert ctx.runner.cancellable
    ctx.runner.cancel()
    release.set()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    assert dialogs.confirm_texts == [] and dialogs.warned == []  # no question, no error: stopped quietly
    assert names(ctx) == ["Ajoutée après la sauvegarde"]
    assert not list(ctx.paths.data_dir.glob(".restauration-*"))


def test_backup_and_restore_are_refused_while_other_long_work_runs(qtbot, page, ctx, dialogs):
    import threading

    from clspd_desktop.services.operations import done

    gate = threading.Event()
    buttons = (page.take_button, page.restore_snapshot_button, page.backup_button, page.restore_backup_button,
               page.sheet_button, page.pack_panel.pack_button)
    ctx.runner.start(lambda env: (gate.wait(10), done(None))[1], parent=None, label="Envoi des convocations…")
    assert not any(button.isEnabled() for button in buttons)  # disabled while it runs
    for method in (page.make_backup, page.restore_backup, page.save_recovery_sheet):  # e.g. by a shortcut
        method()
        assert "Envoi des convocations" in dialogs.informed[-1][1]
    assert len(dialogs.informed) == 3  # no file dialog was opened (an unscripted one would fail the test)
    gate.set()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    assert all(button.isEnabled() for button in buttons)


def test_recovery_sheet_alone(qtbot, page, ctx, dialogs, tmp_path):
    from tests.pdf_text import text_of

    password = BackupPassword(ctx.store.settings).create()
    BackupPassword(ctx.store.settings).keep(password)
    sheet = tmp_path / "fiche.pdf"
    dialogs.files.append(sheet)
    click_and_wait(qtbot, ctx, page.sheet_button)
    assert password in text_of(sheet)
    assert dialogs.informed[-1][0] == "Fiche de secours"
