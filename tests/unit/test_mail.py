"""E-mail: .eml drafts with attachments, and SMTP against a local aiosmtpd server (working and failing)."""

from __future__ import annotations

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from clspd_desktop.errors import UserError
from clspd_desktop.services.mail import SmtpSettings, build_message, save_draft, send_smtp


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self, refuse: bool = False) -> None:
        self.messages: list[bytes] = []
        self.refuse = refuse

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        if self.refuse:
            return "554 Message refusé"
        self.messages.append(envelope.content)
        return "250 OK"


def check_login(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"coordo" and auth_data.password == b"bon-mot-de-passe"
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server():
    servers = []

    def start(refuse: bool = False):
        inbox = Inbox(refuse)
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=check_login,
                                auth_require_tls=False)
        controller.start()
        servers.append(controller)
        # no identifier: without TLS the app never logs in (tests/unit/test_smtp_tls.py has the TLS server)
        return inbox, SmtpSettings(host="127.0.0.1", port=port, security="none", sender="clspd@montreval.fr")

    yield start
    for controller in servers:
        controller.stop()


@pytest.fixture
def attachment(tmp_path):
    path = tmp_path / "Envoi-prefecture.7z"
    path.write_bytes(b"7z\xbc\xaf\x27\x1c chiffre")
    return path


def test_draft_carries_attachment_and_unsent_flag(tmp_path, attachment):
    message = build_message(to="pref-clspd@essonne.gouv.fr", subject="Documents du CLSPD — réunion",
                            body="Bonjour,\nVeuillez trouver…", attachments=[attachment], sender="a@b.fr")
    path = save_draft(message, tmp_path / "brouillon.eml")
    parsed = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert parsed["X-Unsent"] == "1"
    assert parsed["Subject"] == "Documents du CLSPD — réunion"
    assert "Veuillez trouver…" in parsed.get_body(("plain",)).get_content()
    (part,) = list(parsed.iter_attachments())
    assert part.get_filename() == "Envoi-prefecture.7z"
    assert part.get_content_type() == "application/x-7z-compressed"
    assert part.get_content() == attachment.read_bytes()


def test_smtp_sends_the_message(smtp_server, attachment):
    inbox, settings = smtp_server()
    message = build_message(to="pref@essonne.gouv.fr", subject="Envoi", body="Corps", attachments=[attachment])
    send_smtp(message, settings, "bon-mot-de-passe", timeout=5)
    (received,) = inbox.messages
    parsed = email.message_from_bytes(received, policy=policy.default)
    assert parsed["From"] == "clspd@montreval.fr"
    assert "X-Unsent" not in parsed
    assert next(parsed.iter_attachments()).get_content() == attachment.read_bytes()


def test_smtp_server_refusing_the_message(smtp_server):
    inbox, settings = smtp_server(refuse=True)
    with pytest.raises(UserError, match="a refusé le message"):
        send_smtp(build_message(to="p@x.fr", subject="s", body="b"), settings, "bon-mot-de-passe", timeout=5)


def test_smtp_server_not_running():
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), security="none", sender="a@b.fr")
    with pytest.raises(UserError, match="Impossible de joindre le serveur"):
        send_smtp(build_message(to="p@x.fr", subject="s", body="b"), settings, None, timeout=5)


def test_smtp_settings_round_trip(configured_store):
    SmtpSettings(host="smtp.montreval.fr", port=465, security="ssl", username="coordo",
                 sender="clspd@montreval.fr").save(configured_store.settings)
    loaded = SmtpSettings.load(configured_store.settings)
    assert (loaded.host, loaded.port, loaded.security, loaded.configured) == ("smtp.montreval.fr", 465, "ssl", True)


def test_nothing_to_open_says_what_it_was_a_folder_a_draft_or_a_document(tmp_path, monkeypatch):
    """Seen in the walk: 88 drafts' folder (or a PDF to print) that no program opened was described as a
    file to attach to a message. Only a single draft speaks of the mail client."""
    import subprocess

    from clspd_desktop.services import mail

    def nothing(*args, **kwargs):
        raise FileNotFoundError("xdg-open")

    monkeypatch.setattr(mail.sys, "platform", "linux")
    monkeypatch.setattr(subprocess, "Popen", nothing)
    folder = tmp_path / "2025-01-06-Formation plénière-1"
    folder.mkdir()
    draft = folder / "convocation.eml"
    draft.write_bytes(b"x")
    pdf = tmp_path / "convocations.pdf"
    pdf.write_bytes(b"%PDF")
    said = {}
    for path in (folder, draft, pdf):
        with pytest.raises(UserError) as caught:
            mail.open_with_system(path)
        said[path] = str(caught.value)
    assert said[folder].startswith("Le dossier « 2025-01-06-Formation plénière-1 » n'a pas pu s'ouvrir")
    assert "messagerie" not in said[folder] and "joindre" not in said[folder]
    assert "messagerie" in said[draft] and "convocation.eml" in said[draft]
    assert "messagerie" not in said[pdf] and "convocations.pdf" in said[pdf]
