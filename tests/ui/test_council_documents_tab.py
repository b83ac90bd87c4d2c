"""Conseil › Documents et RGPD: settings saved when left, documents written on the worker."""

from __future__ import annotations

from clspd_desktop.domain.rgpd import DPO_NAME_KEY
from clspd_desktop.domain.school_holidays import ZONE_SETTING
from clspd_desktop.services.operations import Change, OpEnv, done
from clspd_desktop.ui.council.documents_tab import CouncilDocumentsTab
from tests.pdf_text import text_of


def _tab(qtbot, ctx):
    tab = CouncilDocumentsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    return tab


def test_settings_are_saved_through_an_operation_when_left(qtbot, ctx):
    ctx.runner.guard_writes()
    tab = _tab(qtbot, ctx)
    tab.dpo_name.setText("Syndicat <mixte> & numérique")
    tab.dpo_name.editingFinished.emit()
    tab.zone.setCurrentIndex(tab.zone.findData("B"))
    assert ctx.store.settings.get(DPO_NAME_KEY) == "Syndicat <mixte> & numérique"
    assert ctx.store.settings.get(ZONE_SETTING) == "B"


def test_a_change_made_elsewhere_shows(qtbot, ctx):
    tab = _tab(qtbot, ctx)

    def elsewhere(env: OpEnv):
        with env.store.transaction():
            env.store.settings.set(DPO_NAME_KEY, "Délégué de l'agglomération")
        return done(None, Change.SETTINGS)

    ctx.runner.call(elsewhere)
    assert tab.dpo_name.text() == "Délégué de l'agglomération"


def test_rgpd_record_is_written_on_the_worker_with_the_dpo(qtbot, ctx, dialogs, tmp_path):
    tab = _tab(qtbot, ctx)
    tab.dpo_name.setText("Mme Claire Martin")
    dialogs.files.append(tmp_path / "registre.pdf")
    tab.buttons[0].click()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
    assert "Registre des activités de traitement" in text_of(tmp_path / "registre.pdf")
    assert "Mme Claire Martin" in text_of(tmp_path / "registre.pdf")


def test_without_a_dpo_the_refusal_is_french_and_nothing_is_written(qtbot, ctx, dialogs, tmp_path):
    tab = _tab(qtbot, ctx)
    dialogs.files.append(tmp_path / "notice.pdf")
    tab.buttons[1].click()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
    assert "délégué à la protection des données" in dialogs.warned[-1][1]
    assert not (tmp_path / "notice.pdf").exists()
