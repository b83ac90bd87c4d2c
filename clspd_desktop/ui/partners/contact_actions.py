"""Creating, editing and deleting a referent: shared by the Organisations and Référents tabs.

The screens are refreshed by the change dispatcher, so these return only what the caller selects next.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.directory import Contact
from clspd_desktop.domain.text import plural
from clspd_desktop.services.operations import directory as ops
from clspd_desktop.ui import messages
from clspd_desktop.ui.partners.contact_dialog import ContactDialog
from clspd_desktop.ui.partners.contact_record_dialog import ContactRecordDialog
from clspd_desktop.ui.partners.wording import quoted
from clspd_desktop.ui.widgets import modal


def new_contact(ctx: AppContext, parent: QWidget, organisation_id: int | None = None) -> Contact | None:
    dialog = ContactDialog(ctx, organisation_id=organisation_id, parent=parent)
    return dialog.contact if modal.run(dialog) else None


def edit_contact(ctx: AppContext, parent: QWidget, contact: Contact) -> bool:
    return modal.run(ContactDialog(ctx, contact, parent=parent))


def edit_record(ctx: AppContext, parent: QWidget, contact: Contact) -> None:
    """Memberships and charter signatures (each change is saved by its own small dialog)."""
    modal.run(ContactRecordDialog(ctx, contact, parent))


def dependents_text(ctx: AppContext, contacts: list[Contact]) -> str:
    memberships = sum(len(ctx.store.formations.memberships_of(c.id)) for c in contacts)
    signatures = sum(len(ctx.store.formations.signatures_of(c.id)) for c in contacts)
    return (f"{plural(memberships, 'appartenance', 'appartenances', feminine=True)} à une formation et "
            f"{plural(signatures, 'signature', 'signatures', feminine=True)} de la charte")


def delete_contact(ctx: AppContext, parent: QWidget, contact: Contact) -> bool:
    text = (f"Supprimer le référent « {contact.full_name} » ?\n\n"
            f"Ses {dependents_text(ctx, [contact])} seront aussi supprimées. "
            "Édition > Annuler (Ctrl+Z) le rétablit.")
    if not messages.confirm(parent, "Supprimer le référent", text, "Supprimer"):
        return False
    return ctx.runner.run(partial(ops.delete_contact, contact_id=contact.id), parent=parent,
                          undo=f"Suppression de {quoted(contact.full_name)}") is not None
