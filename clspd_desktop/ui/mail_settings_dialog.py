"""The council's outgoing mail account (SMTP), used to send convocations and packs directly.

The server settings live in the database; the password only in the system keyring (never in the file).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.errors import ValidationError
from clspd_desktop.services import mail
from clspd_desktop.services.operations import backups as ops
from clspd_desktop.ui import messages
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.form_dialog import FormDialog

SECURITY_CHOICES = (
    ("STARTTLS (port 587, le plus courant)", "starttls"),
    ("SSL/TLS (port 465)", "ssl"),
    ("Aucun chiffrement (déconseillé)", "none"),
)


class MailSettingsDialog(FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Compte d'envoi des courriels (SMTP)", parent)
        self.ctx = ctx
        self.current = current = mail.SmtpSettings.load(ctx.store.settings)
        intro = QLabel("Facultatif : sans compte d'envoi, l'application prépare des brouillons que vous envoyez "
                       "avec votre messagerie habituelle. Demandez ces paramètres au service informatique ou à "
                       "votre fournisseur de messagerie. Le mot de passe est gardé dans le coffre de Windows, "
                       "jamais dans la base de données.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.host = self.add_field("Serveur d'envoi *", QLineEdit(current.host), "host")
        self.host.setPlaceholderText("smtp.mairie-montreval.fr")
        self.security = self.add_field("Sécurité", ChoiceBox(SECURITY_CHOICES), "security")
        self.security.select(current.security)
        self.port = self.add_field("Port", QSpinBox(), "port")
        self.port.setRange(1, 65535)
        self.port.setValue(current.port)
        self.security.currentIndexChanged.connect(self._default_port)
        self.sender = self.add_field("Adresse d'envoi *", QLineEdit(current.sender), "sender")
        self.sender.setPlaceholderText("clspd@mairie-montreval.fr")
        self.username = self.add_field("Identifiant", QLineEdit(current.username), "username")
        self.password = self.add_field("Mot de passe", QLineEdit(), "password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("laisser vide pour garder le mot de passe enregistré")

    def _default_port(self) -> None:
        self.port.setValue({"ssl": 465, "none": 25}.get(self.security.value(), 587))

    def save(self) -> None:
        settings = mail.SmtpSettings(host=self.host.text().strip(), port=self.port.value(),
                                     security=self.security.value(), username=self.username.text().strip(),
                                     sender=self.sender.text().strip())
        if settings.host and not settings.clear_text_login:
            self._trust_certificate(settings)  # asked here, once, not in the middle of a send
        self.ctx.runner.call(partial(ops.save_mail_settings, settings=settings, password=self.password.text()))

    def _trust_certificate(self, settings: mail.SmtpSettings) -> None:
        """Keep the trusted certificate for the same server; a certificate no authority vouches for is used
        only if the user says so (its SHA-256 is then pinned): asked here, once, not in the middle of a send."""
        same_server = (settings.host, settings.port, settings.security) == (
            self.current.host, self.current.port, self.current.security)
        settings.pinned_certificate = self.current.pinned_certificate if same_server else ""
        fingerprint = self.ctx.runner.call_in_background(
            partial(ops.probe_certificate, settings=settings), parent=self,
            label=f"Vérification du certificat de « {settings.host} »…")
        if fingerprint is None:
            return
        text = (f"Le serveur « {settings.host} » présente un certificat qu'aucune autorité reconnue ne garantit "
                "(certificat propre au serveur, fréquent sur une messagerie interne).\n\nEmpreinte SHA-256 :\n"
                f"{mail.spaced_fingerprint(fingerprint)}\n\nNe lui faites confiance que si le service informatique "
                "vous confirme cette empreinte. L'application refusera ensuite tout autre certificat pour ce serveur.")
        if not messages.confirm(self, "Certificat du serveur d'envoi", text, "Faire confiance à ce certificat"):
            raise ValidationError({"security": "Certificat du serveur non approuvé : les paramètres n'ont pas "
                                               "été enregistrés."})
        settings.pinned_certificate = fingerprint
