"""One membership of a referent in a formation: category and period."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtWidgets import QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.directory import Membership, MembershipCategory
from clspd_desktop.errors import ValidationError
from clspd_desktop.services.operations import directory as ops
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.date_field import DateField
from clspd_desktop.ui.widgets.form_dialog import FormDialog


def read_dates(errors: dict[str, str], **fields: DateField) -> dict[str, date | None]:
    """Parse every date field, collecting French messages instead of stopping at the first."""
    values: dict[str, date | None] = {}
    for name, field in fields.items():
        try:
            values[name] = field.value()
        except ValueError as exc:
            errors[name] = str(exc)
    return values


class MembershipDialog(FormDialog):
    """`membership.formation_id == 0` means "choose the formation" (adding from a referent)."""

    def __init__(self, ctx: AppContext, membership: Membership, contact_name: str,
                 parent: QWidget | None = None) -> None:
        editing = membership.id is not None
        super().__init__(f"Appartenance — {contact_name}" if editing else f"Nouvelle appartenance — {contact_name}",
                         parent)
        self.ctx = ctx
        self.membership = membership
        self.formation = self.add_field(
            "Formation", ChoiceBox((f.display_name, f.id) for f in ctx.store.formations.formations()), "formation")
        if membership.formation_id:
            self.formation.select(membership.formation_id)
        self.formation.setEnabled(not editing)
        self.category = self.add_field(
            "Catégorie de membre", ChoiceBox((c.label, c) for c in MembershipCategory), "category")
        self.category.select(membership.category)
        self.start = self.add_field("Début", DateField(membership.start_date), "start_date")
        self.end = self.add_field("Fin", DateField(membership.end_date), "end_date")
        self.end.setToolTip("Laisser vide tant que la personne est membre.")

    def save(self) -> None:
        """Dates typed wrongly are refused here; the rules (order, membership held twice) by the operation."""
        errors: dict[str, str] = {}
        dates = read_dates(errors, start_date=self.start, end_date=self.end)
        if errors:
            raise ValidationError(errors)
        edited = Membership(
            id=self.membership.id, formation_id=self.formation.value() or 0, contact_id=self.membership.contact_id,
            category=self.category.value(), start_date=dates["start_date"], end_date=dates["end_date"],
        )
        self.membership = self.ctx.runner.call(partial(ops.save_membership, membership=edited))
