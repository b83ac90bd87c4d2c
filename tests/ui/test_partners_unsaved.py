"""Every Partenaires editor asks before losing what was typed: « Enregistrer » saves through its operation,
« Ne pas enregistrer » closes and writes nothing, « Annuler » keeps the editor open with the text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import Qt

from tests.factories import add_contact, add_organisation, join
from tests.ui.test_partners_support import make_page


@dataclass
class Editor:
    open: Callable  # (page, ctx) -> None: opens the editor through the page, as the user would
    type: Callable  # (dialog) -> None
    saved: Callable  # (ctx) -> bool


def _signature_of_first_referent(ctx) -> bool:
    contact = ctx.store.directory.contacts()[0].contact
    return [s.charter_version for s in ctx.store.formations.signatures_of(contact.id)] == ["Charte révisée 2026"]


EDITORS = {
    "organisation": Editor(lambda page, ctx: page.organisations.new_button.click(),
                           lambda d: d.name.setText("Mission locale"),
                           lambda ctx: ctx.store.directory.find_organisation_by_name("Mission locale") is not None),
    "référent": Editor(lambda page, ctx: page.contacts.new_button.click(),
                       lambda d: d.last_name.setText("Durand"),
                       lambda ctx: any(i.contact.last_name == "Durand" for i in ctx.store.directory.contacts())),
    "groupe de travail": Editor(lambda page, ctx: page.formations.new_button.click(),
                                lambda d: d.name.setText("Prévention routière"),
                                lambda ctx: "Prévention routière" in [f.name for f in ctx.store.formations.formations()]),
    "appartenance": Editor(lambda page, ctx: (page.tabs.setCurrentWidget(page.formations),
                                              page.formations.members.selectRow(0), page.formations.edit_member()),
                           lambda d: d.end.setText("31/12/2099"),
                           lambda ctx: ctx.store.formations.members(
                               ctx.store.formations.formations()[0].id)[0].membership.end_date == date(2099, 12, 31)),
    "ajout de membres": Editor(lambda page, ctx: (page.tabs.setCurrentWidget(page.formations),
                                                  page.formations.formations.selectRow(1),
                                                  page.formations.add_members()),
                               lambda d: d.set_checked(d.list.item(0).data(Qt.ItemDataRole.UserRole)),
                               lambda ctx: len(ctx.store.formations.members(ctx.store.formations.formations()[1].id)) == 1),
}


@pytest.fixture
def page(ctx, qtbot):
    org = add_organisation(ctx.store)
    join(ctx.store, add_contact(ctx.store, org))  # a member of the plenary
    return make_page(ctx, qtbot)


def close_with(dialog, answer, dialogs, seen) -> None:
    """Type, then close with Échap / Annuler and answer the question."""
    dialogs.save_choices.append(answer)
    dialog.reject()
    seen["still_open"] = dialog.isVisible()
    seen["asked"] = list(dialogs.save_questions)
    if dialog.isVisible():  # « Annuler »: the text is still there; the user then leaves without saving
        seen["kept"] = dialog.has_unsaved_changes()
        dialogs.save_choices.append("discard")
        dialog.reject()


@pytest.mark.parametrize("answer", ["save", "discard", "cancel"])
@pytest.mark.parametrize("name", list(EDITORS))
def test_editor_asks_before_losing_typed_text(page, ctx, modals, dialogs, name, answer):
    editor, seen = EDITORS[name], {}

    def edit(dialog):
        dialog.show()  # as modal.run shows it: what it holds now counts as saved
        assert not dialog.has_unsaved_changes()
        editor.type(dialog)
        close_with(dialog, answer, dialogs, seen)

    modals.then(edit)
    editor.open(page, ctx)
    assert len(seen["asked"]) == 1 and "modifications non enregistrées" in seen["asked"][0]
    assert seen["still_open"] is (answer == "cancel")
    if answer == "cancel":
        assert seen["kept"]
    assert editor.saved(ctx) is (answer == "save")


@pytest.mark.parametrize("answer", ["save", "discard", "cancel"])
def test_signature_editor_in_the_record_window_asks_too(page, ctx, modals, dialogs, answer):
    seen = {}

    def sign(dialog):
        dialog.show()
        dialog.version.setText("Charte révisée 2026")
        close_with(dialog, answer, dialogs, seen)

    def record(dialog):
        dialog.show()
        dialog.add_signature_button.click()
        seen["shown"] = dialog.signatures.model().rowCount()
        dialog.reject()  # the record window itself holds nothing unsaved: it closes without a question

    modals.then(record).then(sign)
    page.tabs.setCurrentWidget(page.contacts)
    page.contacts.table.selectRow(0)
    page.contacts.record_button.click()
    assert len(seen["asked"]) == 1
    assert seen["still_open"] is (answer == "cancel")
    assert _signature_of_first_referent(ctx) is (answer == "save")
    assert seen["shown"] == (1 if answer == "save" else 0)  # the record window showed the new signature


def test_closing_untouched_editors_asks_nothing(page, ctx, modals, dialogs):
    def untouched(dialog):
        dialog.show()
        dialog.reject()
        assert not dialog.isVisible()

    for editor in EDITORS.values():
        modals.then(untouched)
        editor.open(page, ctx)
    assert dialogs.save_questions == []
