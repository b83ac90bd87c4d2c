"""Partenaires › Charte déontologique: the register as a view (unsigned members of confidential groups first,
in bold), refreshed when a signature is recorded anywhere, and its PDF written on the worker."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from PySide6.QtCore import Qt

from clspd_desktop.domain.directory import CharterEndReason, CharterSignature
from clspd_desktop.services.operations import directory as ops
from tests.factories import add_contact, add_organisation, add_working_group, join
from tests.pdf_text import text_of
from tests.ui.test_partners_support import make_page, texts

TODAY = date.today()


def _sign(store, contact, signed_on, **kw):
    return store.formations.save_signature(CharterSignature(
        contact_id=contact.id, charter_version="Charte CIPD 2014", signed_on=signed_on, **kw))


def test_register_view_lists_unsigned_members_first_then_signatures_with_their_end(ctx, qtbot):
    store = ctx.store
    org = add_organisation(store, "Bailleur <Habitat> & Cie")
    signed = add_contact(store, org, "Durand", "Paul")
    excluded = add_contact(store, org, "Bernard", "Zoé")
    missing = add_contact(store, org, "Zola", "Léa")  # last alphabetically, first on screen
    group = add_working_group(store, "Cellule de veille")
    join(store, missing, formation=group)
    _sign(store, signed, TODAY - timedelta(days=400))
    ended = TODAY - timedelta(days=10)
    _sign(store, excluded, TODAY - timedelta(days=700), ended_on=ended, end_reason=CharterEndReason.EXCLUDED)

    page = make_page(ctx, qtbot)
    page.tabs.setCurrentWidget(page.charter)
    table = page.charter.table
    assert texts(table, 0) == ["Zola Léa", "Bernard Zoé", "Durand Paul"]
    assert texts(table, 1)[0] == "Bailleur <Habitat> & Cie"
    assert texts(table, 4)[0] == "Sans signature valable (groupe : Cellule de veille)"
    assert texts(table, 4)[1].startswith("Exclusion le ") and ended.strftime("%d/%m/%Y") in texts(table, 4)[1]
    assert texts(table, 4)[2] == "En vigueur"
    assert texts(table, 2)[2] == "Charte CIPD 2014"
    model = table.model()
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole) is None
    summary = page.charter.summary.text()
    assert summary.startswith("1 signataire en vigueur, 1 signature close ; 1 membre d'un groupe confidentiel")


def test_a_signature_recorded_elsewhere_moves_the_member_out_of_the_unsigned(ctx, qtbot):
    org = add_organisation(ctx.store, "Mission locale")
    member = add_contact(ctx.store, org, "Petit", "Jean")
    join(ctx.store, member, formation=add_working_group(ctx.store, "Cellule de veille"))
    page = make_page(ctx, qtbot)
    page.tabs.setCurrentWidget(page.charter)
    assert texts(page.charter.table, 4)[0].startswith("Sans signature valable")
    page.tabs.setCurrentWidget(page.organisations)  # hidden: refreshed when shown again
    ctx.runner.guard_writes()
    ctx.runner.call(partial(ops.save_signature, signature=CharterSignature(
        contact_id=member.id, charter_version="Charte 2024", signed_on=TODAY)))
    page.tabs.setCurrentWidget(page.charter)
    assert texts(page.charter.table, 0) == ["Petit Jean"]
    assert texts(page.charter.table, 4) == ["En vigueur"]
    assert page.charter.summary.text().endswith("tous les membres des groupes confidentiels ont signé.")


def test_register_pdf_is_written_on_the_worker(ctx, qtbot, dialogs, tmp_path):
    org = add_organisation(ctx.store, "Parquet")
    _sign(ctx.store, add_contact(ctx.store, org, "Fabre", "Laurent"), TODAY)
    page = make_page(ctx, qtbot)
    page.tabs.setCurrentWidget(page.charter)
    dialogs.files.append(tmp_path / "registre.pdf")
    page.charter.pdf_button.click()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
    text = text_of(tmp_path / "registre.pdf")
    assert "Registre de la charte déontologique" in text and "Laurent Fabre" in text
