"""Rapports › Bilan annuel with the individual follow-up on: the aggregated figures when the store is
unlocked (read on the GUI thread), « non inclus : module verrouillé » once it is locked."""

from __future__ import annotations

from datetime import date

from clspd_desktop.domain.individual.settings import ResponsibleRole
from clspd_desktop.services.operations import OpEnv
from clspd_desktop.services.operations import individual as individual_ops
from clspd_desktop.services.operations import individual_setup as setup_ops
from clspd_desktop.ui.reports.page import ReportsPage
from tests.factories import add_working_group
from tests.individual_helpers import PASSPHRASE, new_record
from tests.pdf_text import text_of


def test_the_bilan_carries_the_figures_only_while_unlocked(qtbot, ctx, dialogs, tmp_path):
    group = add_working_group(ctx.store, "Cellule de veille")
    session = ctx.individual
    env = OpEnv(ctx.paths, ctx.rules, store=ctx.store)
    setup_ops.enable_individual(env, session=session, passphrase=PASSPHRASE, confirmation=PASSPHRASE,
                                responsible_role=ResponsibleRole.MAYOR, responsible_name="Claire Dubreuil",
                                coordinator_name="Julien Perrot", group_ids=[group.id],
                                rules_adopted_on=date(2026, 1, 5), charter_required=True)
    year = session.today().year
    individual_ops.create_record(env, session=session, record=new_record(
        session, "ZZMARQUEUR", date(year - 14, 1, 1), date(year, 1, 2), group_id=group.id))
    page = ReportsPage(ctx, today=session.today())
    qtbot.addWidget(page)
    page.bilan.year.setCurrentIndex(page.bilan.year.findData(year))

    def produce(name: str) -> str:
        dialogs.files.append(tmp_path / name)
        assert page.bilan.produce()
        qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=30_000)
        return text_of(tmp_path / name)

    unlocked = produce("ouvert.pdf")
    assert "Personnes suivies dans l'année" in unlocked and "moins de 5" in unlocked
    assert "ZZMARQUEUR" not in unlocked
    session.lock()
    assert "non inclus : module verrouillé" in produce("verrouille.pdf")
