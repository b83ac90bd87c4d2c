"""E-mail without an e-mail library of our own: an .eml draft opened by the user's mail client, or SMTP.

`mailto:` cannot carry attachments, so the default is a draft file with `X-Unsent: 1` (Outlook and
Thunderbird open it ready to send). SMTP is optional; its password lives in the keyring. Generic on purpose:
convocations reuse it.

The account's password never crosses the network in clear: with an identifier, SMTP without TLS is refused.
Certificates are verified; a server with its own (self-signed) certificate is accepted only once the user
has trusted that very certificate, whose SHA-256 is then kept (pinned) in the settings.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import smtplib
import ssl
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from pathlib import Path

from clspd_desktop.db.council_repo import SettingsRepository
from clspd_desktop.domain.text import single_line
from clspd_desktop.errors import UserError
from clspd_desktop.safe_files import write_bytes_atomically
from clspd_desktop.services import secrets

log = logging.getLogger(__name__)

_EXTRA_TYPES = {".7z": "application/x-7z-compressed", ".ics": "text/calendar",
                ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def calendar_method(ics: bytes) -> str:
    """The invitation's METHOD (REQUEST, CANCEL…): mail readers need it in the part's Content-Type too."""
    for line in ics.decode("utf-8", "replace").splitlines():
        if line.upper().startswith("METHOD:"):
            return line.split(":", 1)[1].strip().upper()
    return "PUBLISH"


def build_message(*, to: list[str] | str, subject: str, body: str, attachments: Sequence[Path] = (),
                  sender: str = "", draft: bool = True, calendar: bytes | None = None) -> EmailMessage:
    """A French plain-text message with attachments; `draft` adds `X-Unsent: 1`.

    `calendar` (an .ics invitation) also goes beside the text as an alternative part
    `text/calendar; charset="utf-8"; method=REQUEST`: that is what makes Outlook show Accept / Decline, and
    the charset keeps « Formation plénière » readable in every reader; an .ics attachment carries the same."""
    message = EmailMessage(policy=SMTP)
    if sender:  # a CR or LF in a header raises in the email library (and could add headers): one line each
        message["From"] = single_line(sender)
    message["To"] = single_line(", ".join(to) if isinstance(to, list) else to)
    message["Subject"] = single_line(subject)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="clspd-desktop.local")
    if draft:
        message["X-Unsent"] = "1"
    message.set_content(body, charset="utf-8")
    if calendar is not None:
        message.add_alternative(calendar.decode("utf-8"), subtype="calendar", charset="utf-8",
                                params={"method": calendar_method(calendar)})
    for path in attachments:
        data = path.read_bytes()
        kind = _EXTRA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        maintype, subtype = (kind or "application/octet-stream").split("/", 1)
        params = {"charset": "utf-8", "method": calendar_method(data)} if kind == "text/calendar" else {}
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=path.name, params=params)
    return message


def save_draft(message: EmailMessage, path: Path) -> Path:
    return write_bytes_atomically(path, message.as_bytes())


def open_with_system(path: Path) -> None:
    """Open a file with the program Windows (or the desktop) associates with it: the mail client for .eml."""
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606
        else:
            opener = "open" if sys.platform == "darwin" else "xdg-open"
            subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError as exc:
        raise UserError(_not_opened(path), details=str(exc)) from exc


def _not_opened(path: Path) -> str:
    """What the user reads when nothing opened `path`: a folder of drafts and a PDF to print are not
    messages to attach, so only a single draft speaks of the mail client."""
    if path.is_dir():
        return (f"Le dossier « {path.name} » n'a pas pu s'ouvrir. Il se trouve dans « {path.parent} » : "
                "ouvrez-le depuis l'explorateur de fichiers.")
    if path.suffix.lower() == ".eml":
        return (f"Aucun logiciel de messagerie n'a pu ouvrir « {path.name} ». Le fichier est enregistré dans "
                f"« {path.parent} » : vous pouvez le joindre vous-même à un message.")
    return (f"Aucun logiciel n'a pu ouvrir « {path.name} ». Le fichier est enregistré dans « {path.parent} » : "
            "ouvrez-le depuis l'explorateur de fichiers.")


@dataclass
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"  # "starttls", "ssl" or "none"
    username: str = ""
    sender: str = ""
    pinned_certificate: str = ""  # SHA-256 (hex) of a certificate the user chose to trust

    @property
    def configured(self) -> bool:
        return bool(self.host.strip() and self.sender.strip())

    @classmethod
    def load(cls, settings: SettingsRepository) -> SmtpSettings:
        return cls(host=settings.get("smtp.host"), port=settings.get_int("smtp.port", 587),
                   security=settings.get("smtp.security", "starttls"), username=settings.get("smtp.username"),
                   sender=settings.get("smtp.sender"), pinned_certificate=settings.get("smtp.pinned_certificate"))

    def save(self, settings: SettingsRepository) -> None:
        for key, value in (("host", self.host), ("port", self.port), ("security", self.security),
                           ("username", self.username), ("sender", self.sender),
                           ("pinned_certificate", self.pinned_certificate)):
            settings.set(f"smtp.{key}", value)

    @property
    def clear_text_login(self) -> bool:
        return bool(self.username) and self.security not in ("starttls", "ssl")


CLEAR_TEXT_LOGIN = (
    "Le compte d'envoi a un identifiant mais aucun chiffrement : le mot de passe circulerait en clair sur le "
    "réseau. Choisissez « STARTTLS » ou « SSL/TLS » dans le compte d'envoi (ou videz l'identifiant si le "
    "serveur n'en demande pas).")


class UntrustedCertificateError(UserError):
    """The server's certificate is not signed by a known authority (or not the pinned one)."""

    def __init__(self, where: str, fingerprint: str, details: str = "") -> None:
        self.fingerprint = fingerprint
        super().__init__(
            f"Le certificat du serveur d'envoi ({where}) n'est pas reconnu : il n'est pas délivré par une autorité "
            "connue (certificat propre au serveur), ou il a changé depuis que vous lui avez fait confiance. "
            "Le message n'est pas parti.\n\nSi le service informatique vous confirme son empreinte "
            f"({spaced_fingerprint(fingerprint) or 'inconnue'}), faites-lui confiance dans Réunions › « Compte d'envoi (SMTP)… ».",
            details=details)


def certificate_fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def spaced_fingerprint(fingerprint: str) -> str:
    """As the IT department reads it out: pairs of hex digits, upper case."""
    return ":".join(fingerprint[i:i + 2] for i in range(0, len(fingerprint), 2)).upper()


def _tls_context(smtp: SmtpSettings) -> ssl.SSLContext:
    """Verified by the system's authorities; with a pin, the pin alone decides (checked after the handshake)."""
    context = ssl.create_default_context()
    if smtp.pinned_certificate:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _connect(smtp: SmtpSettings, context: ssl.SSLContext, timeout: float) -> smtplib.SMTP:
    """A connected client, TLS established (unless security is "none")."""
    if smtp.security == "ssl":
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=timeout, context=context)
    client = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
    if smtp.security == "starttls":
        try:
            client.starttls(context=context)
        except BaseException:
            client.close()
            raise
    return client


def _presented_certificate(client: smtplib.SMTP) -> bytes:
    """The server's certificate (DER); b"" on a plain connection or when the peer presents none."""
    sock = client.sock
    return (sock.getpeercert(binary_form=True) or b"") if isinstance(sock, ssl.SSLSocket) else b""


def fetch_certificate(smtp: SmtpSettings, timeout: float = 10) -> str:
    """The SHA-256 of the certificate the server presents (read without trusting it); "" when unreachable."""
    unverified = ssl.create_default_context()
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE
    try:
        with _connect(smtp, unverified, timeout) as client:
            der = _presented_certificate(client)
    except (OSError, smtplib.SMTPException) as exc:
        log.info("Certificat du serveur d'envoi non lu : %s", exc)
        return ""
    return certificate_fingerprint(der) if der else ""


def _open_trusted(smtp: SmtpSettings, timeout: float) -> smtplib.SMTP:
    """Connect; UntrustedCertificateError when the certificate is neither verified nor the pinned one."""
    where = f"{smtp.host}:{smtp.port}"
    try:
        client = _connect(smtp, _tls_context(smtp), timeout)
    except ssl.SSLCertVerificationError as exc:
        raise UntrustedCertificateError(where, fetch_certificate(smtp, timeout), str(exc)) from exc
    if smtp.pinned_certificate and smtp.security in ("starttls", "ssl"):
        presented = certificate_fingerprint(_presented_certificate(client))
        if presented != smtp.pinned_certificate:
            client.close()
            raise UntrustedCertificateError(where, presented, f"empreinte attendue {smtp.pinned_certificate}")
    return client


def untrusted_certificate(smtp: SmtpSettings, timeout: float = 5) -> str | None:
    """For the account dialog: the fingerprint to ask the user about when the server's certificate is not
    trusted; None when it is trusted, or when the server cannot be reached now (sending will tell)."""
    if smtp.security not in ("starttls", "ssl"):
        return None
    try:
        with _open_trusted(smtp, timeout):
            return None
    except UntrustedCertificateError as exc:
        return exc.fingerprint or None
    except (OSError, smtplib.SMTPException) as exc:
        log.info("Serveur d'envoi injoignable pendant le réglage : %s", exc)
        return None


def smtp_password() -> str | None:
    return secrets.read_secret(secrets.SMTP_KEY)


def send_smtp(message: EmailMessage, smtp: SmtpSettings, password: str | None, timeout: float = 20) -> None:
    """Send through the council's server; every failure becomes a French UserError (nothing is half-sent)."""
    if "X-Unsent" in message:
        del message["X-Unsent"]
    if not message["From"]:
        message["From"] = smtp.sender
    where = f"{smtp.host}:{smtp.port}"
    if smtp.clear_text_login:
        raise UserError(f"{CLEAR_TEXT_LOGIN} Le message n'est pas parti.")
    try:
        with _open_trusted(smtp, timeout) as client:
            if smtp.username:
                client.login(smtp.username, password or "")
            client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise UserError("Le serveur d'envoi a refusé l'identifiant ou le mot de passe. Le message n'est pas parti.",
                        details=str(exc)) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise UserError("Le serveur d'envoi a refusé l'adresse du destinataire. Le message n'est pas parti.",
                        details=str(exc)) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise UserError("Le serveur d'envoi ne propose pas de connexion chiffrée (STARTTLS). "
                        "Vérifiez les paramètres d'envoi. Le message n'est pas parti.", details=str(exc)) from exc
    except smtplib.SMTPException as exc:
        raise UserError(f"Le serveur d'envoi ({where}) a refusé le message. Le message n'est pas parti.",
                        details=str(exc)) from exc
    except TimeoutError as exc:
        raise UserError(f"Le serveur d'envoi ({where}) ne répond pas. Le message n'est pas parti.",
                        details=str(exc)) from exc
    except (OSError, ssl.SSLError) as exc:
        raise UserError(f"Impossible de joindre le serveur d'envoi ({where}) : vérifiez la connexion à "
                        "Internet et les paramètres d'envoi. Le message n'est pas parti.", details=str(exc)) from exc
