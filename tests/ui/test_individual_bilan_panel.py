"""Rapports › Bilan annuel and the préfecture pack's bilan with the individual follow-up on: the aggregated
figures when the store is unlocked (read on the GUI thread), « non inclus : module verrouillé » once it is
locked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

from clspd_desktop.domain.annual_report import AnnualReportTexts
from clspd_desktop.domain.individual.settings import ResponsibleRole
from clspd_desktop.services.archive import extract_archive
from clspd_desktop.services.operations import OpEnv
from clspd_desktop.services.operations import individual as individual_ops
from clspd_desktop.services.operations import individual_setup as setup_ops
from clspd_desktop.services.prefecture_pack import BILAN_KEY, PACK_KIND
from clspd_desktop.ui.backups.pack_panel import PackPanel
from clspd_desktop.ui.reports.page import ReportsPage
from tests.factories import add_working_group
from tests.individual_helpers import PASSPHRASE, new_record
from tests.pdf_text import text_of


def enable_with_one_record(ctx) -> int:
    """The module on, one person followed this year (a marker name that must never reach a bilan)."""
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
    return year


def test_the_bilan_carries_the_figures_only_while_unlocked(qtbot, ctx, dialogs, tmp_path):
    session = ctx.individual
    year = enable_with_one_record(ctx)
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


def individual_part(text: str) -> str:
    """Section 6 of the bilan's body (the contents page names it too)."""
    return text[text.rindex("6. Suivi des situations individuelles"):text.rindex("7. Évaluation et orientations")]


def test_the_packs_bilan_carries_the_same_figures_as_the_reports_one_while_unlocked(qtbot, ctx, dialogs, modals,
                                                                                    tmp_path):
    session = ctx.individual
    year = enable_with_one_record(ctx)
    ctx.store.annual_reports.save(AnnualReportTexts(year, evaluation="Année de mise en place"))
    page = ReportsPage(ctx, today=session.today())
    qtbot.addWidget(page)
    page.bilan.year.setCurrentIndex(page.bilan.year.findData(year))
    dialogs.files.append(tmp_path / "rapports.pdf")
    assert page.bilan.produce()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=30_000)
    from_reports = text_of(tmp_path / "rapports.pdf")
    panel = PackPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.year_box.setCurrentIndex(panel.year_box.findData(year))

    def pack_bilan(name: str) -> str:
        passwords: list[str] = []
        modals.then(lambda d: (passwords.append(d.password), d.accept()))
        for i in range(panel.items.count()):
            entry = panel.items.item(i)
            if entry.flags() & Qt.ItemFlag.ItemIsEnabled:
                entry.setCheckState(Qt.CheckState.Checked if entry.data(Qt.ItemDataRole.UserRole) == BILAN_KEY
                                    else Qt.CheckState.Unchecked)
        assert panel.chosen_items() == [BILAN_KEY]
        panel.pack_button.click()
        qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=30_000)
        record = panel.pack_table.current_record()
        extract_archive(Path(record.file_path), passwords[0], tmp_path / name, PACK_KIND, allowed=lambda _: True,
                        max_size=10**9, what="l'envoi")
        return text_of(tmp_path / name / f"Bilan annuel {year}.pdf")

    unlocked = pack_bilan("ouvert")
    assert "Personnes suivies dans l'année" in unlocked and "moins de 5" in unlocked
    assert "non inclus" not in unlocked and "ZZMARQUEUR" not in unlocked
    assert individual_part(unlocked) == individual_part(from_reports)
    session.lock()
    assert "non inclus : module verrouillé" in pack_bilan("verrouille")
