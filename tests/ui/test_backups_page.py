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
    return widget


def close(dialog: QDialog) -> None:
    dialog.accept()


def names(ctx) -> list[str]:
    return sorted(o.name for o in ctx.store.directory.organisations())


def test_snapshot_list_and_restore(page, ctx, dialogs, qtmodeltester):
    add_organisation(ctx.store, "Mission locale")
    page.take_button.click()
    add_organisation(ctx.store, "Bailleur social")
    page.refresh()
    qtmodeltester.check(page.snapshot_table.model())
    assert page.snapshot_table.model().rowCount() == 1
    assert page.snapshot_table.model().index(0, 1).data() == "À la demande"
    page.snapshot_table.selectRow(0)
    dialogs.confirms.append(False)
    page.restore_snapshot_button.click()
    assert names(ctx) == ["Bailleur social", "Mission locale"]
    dialogs.confirms.append(True)
    page.restore_snapshot_button.click()
    assert names(ctx) == ["Mission locale"]
    assert "Toutes les données actuelles seront remplacées" in dialogs.confirm_texts[-1]
    assert dialogs.informed[-1][0] == "Restauration terminée"
    reasons = [s.reason_code for s in ctx.snapshots.list()]
    assert SnapshotReason.RESTORE.value in reasons


def test_first_backup_creates_shows_and_keeps_the_password(page, ctx, dialogs, modals, tmp_path,
                                                            memory_keyring):
    shown: list[str] = []
    modals.then(lambda d: (shown.append(d.password), close(d)))
    target = tmp_path / "cle" / "sauvegarde.7z"
    sheet = tmp_path / "fiche.pdf"
    dialogs.files.extend([target, sheet])
    dialogs.confirms.append(True)  # save the recovery sheet now
    page.backup_button.click()
    assert target.exists() and sheet.read_bytes().startswith(b"%PDF")
    assert BackupPassword(ctx.store.settings).kept() == shown[0]
    assert dialogs.informed[-1][0] == "Sauvegarde terminée"
    assert "Dernière sauvegarde chiffrée" in page.backup_status.text()

    # restore it after a change: the kept password is used, the user only confirms
    add_organisation(ctx.store, "Ajout après sauvegarde")
    dialogs.files.append(target)
    dialogs.confirms.append(True)
    page.restore_backup_button.click()
    assert names(ctx) == []


def test_keyring_unavailable_the_user_types_the_password(page, ctx, dialogs, modals, tmp_path):
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
    page.backup_button.click()
    assert "coffre-fort de mots de passe" in explanations[0]
    assert target.exists()
    assert dialogs.informed[-1][0] == "Sauvegarde terminée"


def test_first_password_with_keyring_unavailable_is_shown_with_a_warning(page, dialogs, modals, tmp_path):
    keyring.set_keyring(fail.Keyring())
    warnings: list[str] = []
    modals.then(lambda d: (warnings.append(d.warning.text()), close(d)))
    dialogs.files.append(tmp_path / "s.7z")
    dialogs.confirms.append(False)
    page.backup_button.click()
    assert "n'a pas pu y être conservé" in warnings[0] and "Notez-le maintenant" in warnings[0]
    assert (tmp_path / "s.7z").exists()


def test_wrong_backup_password_changes_nothing(page, ctx, dialogs, modals, tmp_path):
    add_organisation(ctx.store, "Mission locale")
    other = tmp_path / "autre.7z"
    from clspd_desktop.services.backup import make_backup

    make_backup(ctx.store, ctx.paths, other, "BBBBB-BBBBB-BBBBB-BBBBB-BBBBB")
    add_organisation(ctx.store, "Bailleur social")
    dialogs.files.append(other)
    modals.then(lambda d: (d.field.setText("CCCCC-CCCCC-CCCCC-CCCCC-CCCCC"), d.ok_button.click()))
    page.restore_backup_button.click()
    assert "Mot de passe incorrect ou fichier endommagé" in dialogs.warned[-1][1]
    assert names(ctx) == ["Bailleur social", "Mission locale"]
