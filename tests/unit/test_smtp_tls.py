"""SMTP security against a local aiosmtpd with a self-signed certificate made in the test: no password in
clear, certificates verified, a certificate no authority vouches for used only once trusted (then pinned)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import shutil
import ssl
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from clspd_desktop.errors import UserError
from clspd_desktop.services.mail import (
    SmtpSettings,
    UntrustedCertificateError,
    build_message,
    certificate_fingerprint,
    send_smtp,
    untrusted_certificate,
)
from tests.unit.test_mail import Inbox, free_port


def self_signed(folder: Path, name: str) -> tuple[Path, Path, str]:
    """A certificate for 127.0.0.1 signed by itself: (certificate, key, SHA-256 of its DER). Made with the
    `cryptography` package when installed (it comes with most Python installs), else with the openssl tool."""
    cert_file, key_file = folder / f"{name}.pem", folder / f"{name}.key"
    try:
        _with_cryptography(cert_file, key_file, name)
    except ImportError:
        if shutil.which("openssl") is None:
            pytest.skip("ni le paquet cryptography ni l'outil openssl pour fabriquer un certificat")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "30", "-subj", f"/CN={name}", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", str(key_file), "-out", str(cert_file)], check=True, capture_output=True)
    der = ssl.PEM_cert_to_DER_cert(cert_file.read_text())
    return cert_file, key_file, certificate_fingerprint(der)


def _with_cryptography(cert_file: Path, key_file: Path, name: str) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))


class Logins:
    def __init__(self) -> None:
        self.seen: list[tuple[bytes, bool]] = []  # (login, over TLS)

    def __call__(self, server, session, envelope, mechanism, auth_data):
        # STARTTLS sets session.ssl; implicit TLS shows in the transport
        over_tls = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        self.seen.append((auth_data.login, over_tls))
        ok = auth_data.login == b"coordo" and auth_data.password == b"bon-mot-de-passe"
        return AuthResult(success=ok, handled=False)


@pytest.fixture
def tls_smtp_server(tmp_path):
    """start(security, certificate name) -> (inbox, logins, settings without a pin, the certificate's SHA-256)."""
    controllers = []

    def start(security: str = "starttls", name: str = "serveur"):
        cert, key, fingerprint = self_signed(tmp_path, name)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        inbox, logins, port = Inbox(), Logins(), free_port()
        kwargs = {"ssl_context": context} if security == "ssl" else {"tls_context": context}
        controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=logins,
                                auth_require_tls=False, **kwargs)
        controller.start()
        controllers.append(controller)
        settings = SmtpSettings(host="127.0.0.1", port=port, security=security, username="coordo",
                                sender="clspd@montreval.fr")
        return inbox, logins, settings, fingerprint

    yield start
    for controller in controllers:
        controller.stop()


def _message():
    return build_message(to="pref@essonne.gouv.fr", subject="Envoi", body="Corps")


def test_no_login_without_tls(tls_smtp_server):
    inbox, logins, settings, _ = tls_smtp_server()
    clear = replace(settings, security="none")
    with pytest.raises(UserError, match="le mot de passe circulerait en clair"):
        send_smtp(_message(), clear, "bon-mot-de-passe", timeout=5)
    assert logins.seen == [] and inbox.messages == []


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_self_signed_certificate_is_refused_until_trusted_then_pinned(tls_smtp_server, security):
    inbox, logins, settings, fingerprint = tls_smtp_server(security)
    with pytest.raises(UntrustedCertificateError) as refused:
        send_smtp(_message(), settings, "bon-mot-de-passe", timeout=5)
    assert refused.value.fingerprint == fingerprint
    assert "n'est pas reconnu" in refused.value.message and "n'est pas parti" in refused.value.message
    assert logins.seen == [] and inbox.messages == []
    assert untrusted_certificate(settings) == fingerprint  # what the account dialog asks about

    pinned = replace(settings, pinned_certificate=fingerprint)
    assert untrusted_certificate(pinned) is None
    send_smtp(_message(), pinned, "bon-mot-de-passe", timeout=5)
    assert logins.seen == [(b"coordo", True)] and len(inbox.messages) == 1


def test_another_certificate_than_the_pinned_one_is_refused(tls_smtp_server):
    _, _, first, first_print = tls_smtp_server(name="premier")
    inbox, logins, second, second_print = tls_smtp_server(name="imposteur")
    impostor = replace(second, pinned_certificate=first_print)
    with pytest.raises(UntrustedCertificateError) as refused:
        send_smtp(_message(), impostor, "bon-mot-de-passe", timeout=5)
    assert refused.value.fingerprint == second_print
    assert logins.seen == [] and inbox.messages == []


def test_pin_is_kept_in_the_settings(configured_store):
    SmtpSettings(host="smtp.mairie.fr", security="ssl", port=465, username="coordo", sender="a@b.fr",
                 pinned_certificate="ab" * 32).save(configured_store.settings)
    assert SmtpSettings.load(configured_store.settings).pinned_certificate == "ab" * 32


def test_unreachable_server_is_not_an_untrusted_certificate():
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), security="starttls", sender="a@b.fr")
    assert untrusted_certificate(settings, timeout=2) is None


def test_wrong_password_over_tls(tls_smtp_server):
    inbox, logins, settings, fingerprint = tls_smtp_server()
    with pytest.raises(UserError, match="identifiant ou le mot de passe"):
        send_smtp(_message(), replace(settings, pinned_certificate=fingerprint), "mauvais", timeout=5)
    assert logins.seen and all(over_tls for _, over_tls in logins.seen) and inbox.messages == []
