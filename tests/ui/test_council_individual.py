"""Conseil › « Suivi individuel »: off by default; the wizard's five pages, its refusals in French, the
store created only at « Activer », the passphrase kept nowhere, and the four documents on the worker."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from clspd_desktop.domain.individual.paperwork import SETUP_KEY, PaperKind, SetupRecord
from clspd_desktop.domain.individual.settings import ResponsibleRole
from clspd_desktop.domain.rgpd import DPO_NAME_KEY
from clspd_desktop.services.individual.session import store_path
from clspd_desktop.ui.council.individual_tab import IndividualTab
from clspd_desktop.ui.council.individual_wizard import IndividualWizard
from tests.factories import add_contact, add_organisation, add_working_group, join
from tests.individual_helpers import PASSPHRASE
from tests.pdf_text import text_of


@pytest.fixture
def groups(configured_store):
    from clspd_desktop.domain.directory import WorkingGroupType

    veille = add_working_group(configured_store, "Cellule de veille")
    add_working_group(configured_store, "Tranquillité publique", confidential=False, wg_type=WorkingGroupType.THEMATIC)
    unsigned = add_contact(configured_store, add_organisation(configured_store, "Collège Jean Moulin"), "Sanssigne")
    join(configured_store, unsigned, formation=veille)
    return veille


def _tab(qtbot, ctx):
    tab = IndividualTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    return tab


def _check(wizard: IndividualWizard, name: str) -> None:
    for i in range(wizard.groups.groups.count()):
        item = wizard.groups.groups.item(i)
        if item.text().startswith(name):
            item.setCheckState(Qt.CheckState.Checked)


def _walk_to_passphrase(wizard: IndividualWizard) -> None:
    wizard.show()
    wizard.next()  # responsible: prefilled from the council
    assert wizard.currentPage() is wizard.groups
    _check(wizard, "Cellule de veille")
    wizard.next()
    assert wizard.currentPage() is wizard.group_rules
    wizard.group_rules.adopted.setChecked(True)
    wizard.group_rules.adopted_on.setDate(QDate(2026, 3, 2))
    wizard.group_rules.charter.setChecked(True)
    wizard.next()
    assert wizard.currentPage() is wizard.passphrase


def test_off_by_default(qtbot, ctx):
    tab = _tab(qtbot, ctx)
    assert tab.state.text() == "Suivi individuel : désactivé"
    assert tab.enable_button.isVisible() and not tab.documents.isVisible()


def test_walking_every_page_enables_the_module_and_produces_the_documents(qtbot, ctx, groups, modals, dialogs,
                                                                          tmp_path, memory_keyring):
    ctx.store.settings.set(DPO_NAME_KEY, "M. Délégué Mutualisé")
    ctx.runner.guard_writes()  # the wizard writes only through operations
    tab = _tab(qtbot, ctx)
    seen = {}

    def walk(wizard: IndividualWizard) -> None:
        assert wizard.responsible.responsible.text() == "Claire Dubreuil"
        assert wizard.responsible.coordinator.text() == "Julien Perrot"
        texts = [wizard.groups.groups.item(i).text() for i in range(wizard.groups.groups.count())]
        assert texts == ["Cellule de veille", "Tranquillité publique — non confidentiel : ne peut pas être choisi"]
        assert not wizard.groups.groups.item(1).flags() & Qt.ItemFlag.ItemIsEnabled
        _walk_to_passphrase(wizard)
        seen["unsigned"] = wizard.groups.unsigned.text()
        seen["signatures"] = wizard.group_rules.signatures.text()
        wizard.passphrase.passphrase.setText(PASSPHRASE)
        wizard.passphrase.confirmation.setText(PASSPHRASE)
        wizard.next()
        assert wizard.currentPage() is wizard.summary
        seen["summary"] = wizard.summary.summary.text()
        wizard.accept()  # « Activer le suivi individuel »
        seen["cleared"] = wizard.passphrase.passphrase.text()

    modals.then(walk)
    dialogs.folders.append(tmp_path)
    tab.enable_button.click()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=30_000)
    assert "Élodie Sanssigne (Cellule de veille)" in seen["unsigned"]
    assert "1 membre ne l'a pas signée (voir la page précédente). Faites-le signer" in seen["signatures"]
    assert "« Cellule de veille »" in seen["summary"] and "lundi 2 mars 2026" in seen["summary"]
    assert seen["cleared"] == ""
    assert store_path(ctx.paths).exists()
    setup = SetupRecord.from_json(ctx.store.settings.get(SETUP_KEY))
    assert [g.name for g in setup.groups] == ["Cellule de veille"]
    assert set(setup.documents) == {k.value for k in PaperKind}
    for kind in PaperKind:
        assert "M. Délégué Mutualisé" in text_of(tmp_path / f"{kind.file_stem}.pdf")
    assert tab.state.text().startswith("Suivi individuel : activé le ")
    assert not tab.enable_button.isVisible() and tab.documents.isVisible()
    assert "Cellule de veille" in tab.groups.text()
    when, _ = tab.document_rows[PaperKind.DPIA]
    assert when.text().startswith("produit le ")
    assert memory_keyring.secrets == {}  # never in the keyring
    assert PASSPHRASE.encode() not in ctx.paths.database.read_bytes()


def test_a_weak_passphrase_is_refused_in_french(qtbot, ctx, groups):
    wizard = IndividualWizard(ctx)
    qtbot.addWidget(wizard)
    _walk_to_passphrase(wizard)
    wizard.passphrase.passphrase.setText("motdepasse")
    assert "trop courte" in wizard.passphrase.strength.text()
    wizard.passphrase.confirmation.setText("motdepasse")
    wizard.next()
    assert wizard.currentPage() is wizard.passphrase
    assert "trop courte" in wizard.passphrase.error.text() and wizard.passphrase.error.isVisible()
    assert not store_path(ctx.paths).exists()


def test_a_different_confirmation_is_refused(qtbot, ctx, groups):
    wizard = IndividualWizard(ctx)
    qtbot.addWidget(wizard)
    _walk_to_passphrase(wizard)
    wizard.passphrase.passphrase.setText(PASSPHRASE)
    wizard.passphrase.confirmation.setText(PASSPHRASE + " ")
    wizard.next()
    assert wizard.currentPage() is wizard.passphrase
    assert wizard.passphrase.error.text() == "Les deux saisies de la phrase de passe sont différentes."


def test_pages_refuse_missing_answers(qtbot, ctx, groups):
    wizard = IndividualWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.responsible.coordinator.clear()
    wizard.next()
    assert wizard.currentPage() is wizard.responsible
    assert "coordonnateur désigné" in wizard.responsible.error.text()
    wizard.responsible.coordinator.setText("Julien Perrot")
    wizard.next()
    wizard.next()  # no group ticked
    assert wizard.currentPage() is wizard.groups
    assert "au moins un groupe" in wizard.groups.error.text()
    _check(wizard, "Tranquillité")  # disabled: not confidential
    wizard.next()
    assert wizard.currentPage() is wizard.groups
    _check(wizard, "Cellule de veille")
    wizard.next()
    wizard.next()  # nothing ticked about the règlement intérieur
    assert wizard.currentPage() is wizard.group_rules
    assert "doit être adopté" in wizard.group_rules.error.text()
    assert "signature de la charte" in wizard.group_rules.error.text()


def test_a_refusal_at_activation_goes_back_and_creates_nothing(qtbot, ctx, groups, dialogs, monkeypatch):
    wizard = IndividualWizard(ctx)
    qtbot.addWidget(wizard)
    _walk_to_passphrase(wizard)
    wizard.passphrase.passphrase.setText(PASSPHRASE)
    wizard.passphrase.confirmation.setText(PASSPHRASE)
    wizard.next()
    # the group was made open in the meantime (another window): the operation refuses it
    veille = ctx.store.formations.get(groups.id)
    veille.confidential = False
    veille.wg_type = None
    ctx.store.formations.save(veille)
    wizard.accept()
    assert wizard.result() != QDialog.DialogCode.Accepted
    assert "groupes confidentiels" in dialogs.warned[-1][1]
    assert wizard.currentPage() is wizard.groups
    assert not store_path(ctx.paths).exists()


def test_cancelling_clears_the_passphrase(qtbot, ctx, groups):
    wizard = IndividualWizard(ctx)
    qtbot.addWidget(wizard)
    _walk_to_passphrase(wizard)
    wizard.passphrase.passphrase.setText(PASSPHRASE)
    wizard.reject()
    assert wizard.passphrase.passphrase.text() == ""
    assert not store_path(ctx.paths).exists()


def test_a_document_is_produced_again_on_demand(qtbot, ctx, groups, dialogs, tmp_path):
    from clspd_desktop.domain.individual.settings import ResponsibleRole
    from clspd_desktop.services.operations import OpEnv
    from clspd_desktop.services.operations import individual_setup as ops

    ops.enable_individual(OpEnv(ctx.paths, ctx.rules, store=ctx.store), session=ctx.individual,
                          passphrase=PASSPHRASE, confirmation=PASSPHRASE, responsible_role=ResponsibleRole.MAYOR,
                          responsible_name="Claire Dubreuil", coordinator_name="Julien Perrot",
                          group_ids=[groups.id], rules_adopted_on=date(2026, 3, 2), charter_required=True)
    ctx.store.settings.set(DPO_NAME_KEY, "Mme Déléguée")
    tab = _tab(qtbot, ctx)
    dialogs.files.append(tmp_path / "registre.pdf")
    tab.document_rows[PaperKind.REGISTER][1].click()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
    assert "Registre des activités de traitement" in text_of(tmp_path / "registre.pdf")
    assert tab.document_rows[PaperKind.REGISTER][0].text().startswith("produit le ")
    assert tab.document_rows[PaperKind.DPIA][0].text() == "pas encore produit"


def test_a_store_without_its_setup_record_says_so(qtbot, ctx, groups):
    store_path(ctx.paths).write_bytes(b"\0" * 4096)  # as after restoring a database older than the activation
    tab = _tab(qtbot, ctx)
    assert tab.state.text() == "Suivi individuel : activé, réglages déclarés introuvables"
    assert "plus ancienne" in tab.explanation.text()
    assert not tab.enable_button.isVisible()


def test_a_setup_without_its_store_says_the_file_is_missing(qtbot, ctx, groups):
    from clspd_desktop.domain.individual.paperwork import SetupGroup
    from clspd_desktop.domain.individual.settings import ResponsibleRole

    setup = SetupRecord(ResponsibleRole.MAYOR, "Claire Dubreuil", "Julien Perrot", (SetupGroup(groups.id, "Cellule"),),
                        date(2026, 3, 2), date(2026, 4, 1))
    ctx.store.settings.set(SETUP_KEY, setup.to_json())
    tab = _tab(qtbot, ctx)
    assert tab.state.text() == "Suivi individuel : le fichier chiffré est introuvable sur ce poste"
    assert "restaurez la sauvegarde" in tab.explanation.text() and tab.explanation.isVisible()


def test_a_cispd_proposes_the_epci_president(qtbot, ctx, groups):
    from clspd_desktop.domain.council import CouncilKind

    council = ctx.store.council.get()
    council.kind = CouncilKind.CISPD
    ctx.store.council.save(council)
    wizard = IndividualWizard(ctx)
    qtbot.addWidget(wizard)
    assert wizard.responsible.president.isChecked()
    assert wizard.responsible.role() is ResponsibleRole.EPCI_PRESIDENT
