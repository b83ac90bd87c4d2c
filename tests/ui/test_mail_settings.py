"""The SMTP account dialog: settings in the database, password only in the keyring, refusals explained."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from clspd_desktop.services import mail, secrets
from clspd_desktop.ui.mail_settings_dialog import MailSettingsDialog
from clspd_desktop.ui.meetings.page import MeetingsPage
from clspd_desktop.ui.widgets import modal
from tests.unit.test_mail import smtp_server  # noqa: F401 (fixture: a local aiosmtpd on 127.0.0.1)
from tests.unit.test_smtp_tls import tls_smtp_server  # noqa: F401 (the same with a self-signed certificate)


def _fill(dialog: MailSettingsDialog, host: str, port: int, sender: str, password: str, security: str = "none",
          username: str = "") -> None:
    dialog.host.setText(host)
    dialog.security.select(security)
    dialog.port.setValue(port)
    dialog.sender.setText(sender)
    dialog.username.setText(username)
    dialog.password.setText(password)


def test_configured_account_sends_through_the_local_server(qtbot, ctx, memory_keyring, smtp_server):  # noqa: F811
    inbox, server = smtp_server()
    dialog = MailSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    _fill(dialog, "127.0.0.1", server.port, "clspd@montreval.fr", "bon-mot-de-passe")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    stored = mail.SmtpSettings.load(ctx.store.settings)
    assert stored.configured and stored.port == server.port
    assert "bon-mot-de-passe" not in str(ctx.store.db.execute("SELECT * FROM setting").fetchall())
    assert memory_keyring.secrets[(secrets.SERVICE, secrets.SMTP_KEY)] == "bon-mot-de-passe"
    message = mail.build_message(to="pref@essonne.gouv.fr", subject="Essai", body="Bonjour")
    mail.send_smtp(message, stored, mail.smtp_password())
    assert len(inbox.messages) == 1

    again = MailSettingsDialog(ctx)  # an empty password field keeps the stored password
    qtbot.addWidget(again)
    assert again.host.text() == "127.0.0.1" and again.password.text() == ""
    again.accept()
    assert mail.smtp_password() == "bon-mot-de-passe"


def test_bad_sender_is_refused_and_nothing_is_written(qtbot, ctx, memory_keyring):
    dialog = MailSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    _fill(dialog, "", 587, "pas-une-adresse", "secret")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "invalide" in dialog.errors.message("sender") and "serveur" in dialog.errors.message("host")
    assert not mail.SmtpSettings.load(ctx.store.settings).configured
    assert memory_keyring.secrets == {}


def test_unavailable_keyring_is_explained_and_nothing_is_saved(qtbot, ctx, dialogs):
    keyring.set_keyring(fail.Keyring())
    dialog = MailSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    _fill(dialog, "smtp.montreval.fr", 587, "clspd@montreval.fr", "secret")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "coffre-fort de mots de passe" in dialogs.warned[-1][1]
    assert not mail.SmtpSettings.load(ctx.store.settings).configured


def test_meetings_toolbar_opens_the_dialog(qtbot, ctx, monkeypatch):
    opened = []
    monkeypatch.setattr(modal, "run", lambda dialog: opened.append(type(dialog).__name__) or False)
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.mail_action.trigger()
    assert opened == ["MailSettingsDialog"]


@pytest.fixture(autouse=True)
def _restore_keyring():
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


@pytest.mark.parametrize(("answer", "closed", "saved"), [("save", True, True), ("discard", True, False),
                                                         ("cancel", False, False)])
def test_closing_with_typed_settings_asks_first(qtbot, ctx, dialogs, answer, closed, saved):
    dialog = MailSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.host.setText("smtp.montreval.fr")
    dialog.sender.setText("clspd@montreval.fr")
    dialogs.save_choices.append(answer)
    dialog.reject()  # Annuler, Échap or the window's cross
    assert "contient des modifications non enregistrées" in dialogs.save_questions[0]
    assert dialog.isVisible() is not closed
    assert mail.SmtpSettings.load(ctx.store.settings).configured is saved
    if not closed:
        dialogs.save_choices.append("discard")  # the test's end closes it


def test_identifier_without_encryption_is_refused(qtbot, ctx, memory_keyring):
    dialog = MailSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    _fill(dialog, "smtp.montreval.fr", 25, "clspd@montreval.fr", "secret", username="coordo")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "circulerait en clair" in dialog.errors.message("security")
    assert not mail.SmtpSettings.load(ctx.store.settings).configured


@pytest.mark.parametrize("trusted", [True, False])
def test_self_signed_certificate_is_asked_about_then_pinned(qtbot, ctx, dialogs, tls_smtp_server,  # noqa: F811
                                                             trusted):
    inbox, _, server, fingerprint = tls_smtp_server()
    dialog = MailSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    _fill(dialog, "127.0.0.1", server.port, "clspd@montreval.fr", "bon-mot-de-passe", security="starttls",
          username="coordo")
    dialogs.confirms.append(trusted)
    dialog.accept()
    assert mail.spaced_fingerprint(fingerprint) in dialogs.confirm_texts[-1]
    stored = mail.SmtpSettings.load(ctx.store.settings)
    if not trusted:
        assert dialog.result() != dialog.DialogCode.Accepted and not stored.configured
        return
    assert dialog.result() == dialog.DialogCode.Accepted and stored.pinned_certificate == fingerprint
    mail.send_smtp(mail.build_message(to="p@x.fr", subject="Essai", body="b"), stored, mail.smtp_password())
    assert len(inbox.messages) == 1

    again = MailSettingsDialog(ctx)  # the same server: the pin is kept, nothing asked again
    qtbot.addWidget(again)
    again.accept()
    assert again.result() == again.DialogCode.Accepted
    assert mail.SmtpSettings.load(ctx.store.settings).pinned_certificate == fingerprint
