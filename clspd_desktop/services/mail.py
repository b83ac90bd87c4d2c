"""E-mail without an e-mail library of our own: an .eml draft opened by the user's mail client, or SMTP.

`mailto:` cannot carry attachments, so the default is a draft file with `X-Unsent: 1` (Outlook and
Thunderbird open it ready to send). SMTP is optional; its password lives in the keyring. Generic on purpose:
convocations reuse it.
"""

from __future__ import annotations

import mimetypes
import os
import smtplib
import ssl
import subprocess
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from pathlib import Path

from clspd_desktop.db.council_repo import SettingsRepository
from clspd_desktop.errors import UserError
from clspd_desktop.safe_files import write_bytes_atomically
from clspd_desktop.services import secrets

_EXTRA_TYPES = {".7z": "application/x-7z-compressed", ".ics": "text/calendar",
                ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def calendar_method(ics: bytes) -> str:
    """The invitation's METHOD (REQUEST, CANCEL…): mail readers need it in the part's Content-Type too."""
    for line in ics.decode("utf-8", "replace").splitlines():
        if line.upper().startswith("METHOD:"):
            return line.split(":", 1)[1].strip().upper()
    return "PUBLISH"


def build_message(*, to: list[str] | str, subject: str, body: str, attachments: list[Path] = (),
                  sender: str = "", draft: bool = True, calendar: bytes | None = None) -> EmailMessage:
    """A French plain-text message with attachments; `draft` adds `X-Unsent: 1`.

    `calendar` (an .ics invitation) also goes beside the text as an alternative part
    `text/calendar; charset="utf-8"; method=REQUEST`: that is what makes Outlook show Accept / Decline, and
    the charset keeps « Formation plénière » readable in every reader; an .ics attachment carries the same."""
    message = EmailMessage(policy=SMTP)
    if sender:
        message["From"] = sender
    message["To"] = ", ".join(to) if isinstance(to, list) else to
    message["Subject"] = subject
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
        raise UserError(
            f"Aucun logiciel de messagerie n'a pu ouvrir « {path.name} ». Le fichier est enregistré dans "
            f"« {path.parent} » : vous pouvez le joindre vous-même à un message.", details=str(exc)) from exc


@dataclass
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"  # "starttls", "ssl" or "none"
    username: str = ""
    sender: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.host.strip() and self.sender.strip())

    @classmethod
    def load(cls, settings: SettingsRepository) -> SmtpSettings:
        return cls(host=settings.get("smtp.host"), port=settings.get_int("smtp.port", 587),
                   security=settings.get("smtp.security", "starttls"), username=settings.get("smtp.username"),
                   sender=settings.get("smtp.sender"))

    def save(self, settings: SettingsRepository) -> None:
        for key, value in (("host", self.host), ("port", self.port), ("security", self.security),
                           ("username", self.username), ("sender", self.sender)):
            settings.set(f"smtp.{key}", value)


def smtp_password() -> str | None:
    return secrets.read_secret(secrets.SMTP_KEY)


def send_smtp(message: EmailMessage, smtp: SmtpSettings, password: str | None, timeout: float = 20) -> None:
    """Send through the council's server; every failure becomes a French UserError (nothing is half-sent)."""
    if "X-Unsent" in message:
        del message["X-Unsent"]
    if not message["From"]:
        message["From"] = smtp.sender
    where = f"{smtp.host}:{smtp.port}"
    try:
        if smtp.security == "ssl":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=ssl.create_default_context())
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
