"""The Conseil, Tableau de bord and Sauvegardes screens write only through the runner: with the GUI's
connection made read-only outside operations (as at merge), every action still works."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from clspd_desktop.services import mail
from clspd_desktop.ui.backups.page import BackupsPage
from clspd_desktop.ui.council.council_page import CouncilPage
from clspd_desktop.ui.dashboard import DashboardPage
from clspd_desktop.ui.mail_settings_dialog import MailSettingsDialog
from tests.factories import add_contact, add_organisation


def wait(qtbot, ctx) -> None:
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=30_000)


def test_every_write_of_these_screens_goes_through_an_operation(qtbot, ctx, dialogs, modals, tmp_path,
                                                                monkeypatch):
    add_contact(ctx.store, add_organisation(ctx.store, "Mission locale"), "Martin")
    ctx.runner.guard_writes()

    council_page = CouncilPage(ctx)
    qtbot.addWidget(council_page)
    council_page.governance.prefecture_email.setText("pref@essonne.gouv.fr")
    assert council_page.save()

    dashboard = DashboardPage(ctx)
    qtbot.addWidget(dashboard)

    settings = MailSettingsDialog(ctx)
    qtbot.addWidget(settings)
    settings.host.setText("smtp.montreval.fr")
    settings.sender.setText("clspd@montreval.fr")
    settings.accept()
    assert settings.result() == QDialog.DialogCode.Accepted

    page = BackupsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    modals.then(lambda d: d.accept()).then(lambda d: d.accept())
    dialogs.files.extend([tmp_path / "s.7z", tmp_path / "fiche.pdf"])
    dialogs.confirms.append(True)
    page.backup_button.click()
    wait(qtbot, ctx)
    assert (tmp_path / "s.7z").exists() and (tmp_path / "fiche.pdf").exists()
    page.take_button.click()
    wait(qtbot, ctx)
    page.snapshot_table.selectRow(0)
    dialogs.confirms.append(True)
    page.restore_snapshot_button.click()
    wait(qtbot, ctx)
    assert dialogs.informed[-1][0] == "Restauration terminée"

    page.tabs.setCurrentWidget(page.pack_tab)
    panel = page.pack_panel
    panel.pack_button.click()
    wait(qtbot, ctx)
    assert len(ctx.store.packs.all()) == 1
    monkeypatch.setattr(mail, "open_with_system", lambda path: None)
    panel.pack_table.select_where(lambda p: True)
    panel.email_button.click()
    assert ctx.store.packs.all()[0].sent_via == "eml"
    assert dialogs.warned == []
