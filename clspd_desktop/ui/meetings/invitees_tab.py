"""Invités: from the formation's membership (titulars convened, substitutes informed), adjustable per
meeting; for a confidential group the refused members are listed with their reason; replies editable."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.meetings import Invitation, InvitationRole, Reply
from clspd_desktop.domain.text import plural
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.meetings.attendance_view import reply_text
from clspd_desktop.ui.meetings.common import PickContactDialog
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.flow_layout import FlowLayout
from clspd_desktop.ui.widgets.form_dialog import FormDialog
from clspd_desktop.ui.widgets.record_table import Column, RecordTable

INVITEE_COLUMNS = [
    Column("N°", lambda r: str(r[0]), 45, sort_key=lambda r: r[0], centered=True),
    Column("Nom", lambda r: r[1].name, 220),
    Column("Organisation", lambda r: r[1].organisation_name, 240),
    Column("Fonction", lambda r: r[1].function, 170),
    Column("Qualité", lambda r: r[1].role.label, 110),
    Column("Envoyée le", lambda r: short_date(r[1].sent_at.date()) if r[1].sent_at else "", 95,
           sort_key=lambda r: r[1].sent_at.isoformat() if r[1].sent_at else ""),
    Column("Réponse", lambda r: reply_text(r[1]), 200),
]


def sent_wording(convocations: int, copies: int) -> str:
    """What was sent, convocations and information copies apart: the Convocations tab counts convocations
    only (« 50 sur 50 »), so a single total (« 88 convocations envoyées ») seemed to contradict it."""
    if not copies:
        return plural(convocations, "convocation envoyée", "convocations envoyées", feminine=True)
    sent = "envoyées" if convocations + copies > 1 else "envoyée"
    return f"{plural(convocations, 'convocation', feminine=True)} et {plural(copies, 'copie', feminine=True)} " \
           f"pour information {sent}"


class ReplyDialog(FormDialog):
    def __init__(self, ctx: AppContext, invitation: Invitation, parent: QWidget | None = None) -> None:
        super().__init__(f"Réponse de {invitation.name}", parent)
        self.ctx, self.invitation = ctx, invitation
        self.reply = self.add_field("Réponse", ChoiceBox([("Pas encore de réponse", None),
                                                          *((r.label, r) for r in Reply)]), "reply")
        self.reply.select(invitation.reply)
        self.represented_by = self.add_field("Représentation par", QLineEdit(invitation.reply_represented_by),
                                             "represented_by")
        self.reply.currentIndexChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        self.represented_by.setEnabled(self.reply.value() is Reply.REPRESENTED)

    def save(self) -> None:
        self.ctx.runner.call(partial(ops.set_reply, invitation_id=self.invitation.id, reply=self.reply.value(),
                                     represented_by=self.represented_by.text()))


class InviteesTab(QWidget):
    def __init__(self, ctx: AppContext, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = RecordTable(INVITEE_COLUMNS, identity=lambda r: r[1].id, name="Invités")
        layout.addWidget(self.table, 1)
        self.refused = QLabel()
        self.refused.setTextFormat(Qt.TextFormat.PlainText)
        self.refused.setWordWrap(True)
        self.refused.setStyleSheet(f"background: {theme.colours().alert_bg}; border-left: 5px solid {theme.colours().error}; padding: 6px;")
        layout.addWidget(self.refused)
        row = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        self.invite_button = QPushButton("Inviter les membres de la formation")
        self.add_button = QPushButton("Ajouter un invité…")
        self.role_button = QPushButton("Convoqué / pour information")
        self.reply_button = QPushButton("Réponse…")
        self.remove_button = QPushButton("Retirer")
        for button in (self.invite_button, self.add_button, self.role_button, self.reply_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.invite_button.clicked.connect(self.invite_members)
        self.add_button.clicked.connect(self.add_invitee)
        self.role_button.clicked.connect(self.toggle_role)
        self.reply_button.clicked.connect(self.edit_reply)
        self.table.open_requested.connect(self.edit_reply)
        self.remove_button.clicked.connect(self.remove)
        self.table.delete_requested.connect(self.remove)
        ctx.runner.dispatcher.subscribe(
            self, {Change.INVITATIONS, Change.MEETINGS, Change.FORMATIONS, Change.DIRECTORY}, self._on_changes)
        self.reload()

    def _on_changes(self, changes: OpChanges) -> None:
        self.reload()

    def reload(self) -> None:
        invitations = self.ctx.store.meetings.invitations(self.meeting_id)
        self.table.set_records(list(enumerate(invitations, 1)))
        convened = sum(1 for i in invitations if i.role is InvitationRole.INVITED)
        sent = sum(1 for i in invitations if i.sent_at and i.role is InvitationRole.INVITED)
        copies = sum(1 for i in invitations if i.sent_at and i.role is not InvitationRole.INVITED)
        self.summary.setText(f"{plural(len(invitations), 'invité')} dans l'ordre protocolaire : {plural(convened, 'convoqué')}, "
                             f"{len(invitations) - convened} pour information ; {sent_wording(sent, copies)}.")
        refused = ops.refused_members(self.ctx.store, self.meeting_id)
        self.refused.setVisible(bool(refused))
        self.refused.setText(
            "Groupe confidentiel — membres qui ne peuvent pas être invités :\n" + "\n".join(
                f"• {r.contact.full_name} ({r.organisation_name or 'sans organisation'}) : {r.reason}"
                for r in refused))

    def current(self) -> Invitation | None:
        row = self.table.current_record()
        return row[1] if row else None

    def invite_members(self) -> None:
        result = self.ctx.runner.run(partial(ops.invite_members, meeting_id=self.meeting_id), parent=self)
        refused = result.value if result else []
        if refused:
            messages.warn(self, "Invités refusés", "Groupe confidentiel : ces membres n'ont pas été invités.\n\n" +
                          "\n".join(f"• {r.contact.full_name} : {r.reason}" for r in refused))

    def add_invitee(self) -> None:
        already = {i.contact_id for _, i in self.table.table_model.records() if i.contact_id}
        dialog = PickContactDialog(self.ctx, "Ajouter un invité", already, parent=self)
        if modal.run(dialog) and dialog.chosen is not None:
            self.ctx.runner.run(partial(ops.add_invitation, meeting_id=self.meeting_id, contact_id=dialog.chosen),
                                parent=self)

    def toggle_role(self) -> None:
        invitation = self.current()
        if invitation is None:
            return
        role = InvitationRole.INFORMED if invitation.role is InvitationRole.INVITED else InvitationRole.INVITED
        self.ctx.runner.run(partial(ops.set_role, invitation_id=invitation.id, role=role), parent=self)

    def edit_reply(self) -> None:
        invitation = self.current()
        if invitation is not None:
            modal.run(ReplyDialog(self.ctx, invitation, self))

    def remove(self) -> None:
        invitation = self.current()
        if invitation is None:
            return
        if messages.confirm(self, "Retirer un invité", f"Retirer {invitation.name} de la liste des invités ? "
                            "Édition › Annuler (Ctrl+Z) le rétablit.", "Retirer"):
            self.ctx.runner.run(partial(ops.remove_invitation, invitation_id=invitation.id), parent=self,
                                undo=f"Retrait de l'invité {invitation.name}")
