"""The Rapports operations without Qt: bilan texts refused whole in French, documents written on a store
of their own (as on the worker), « Annuler » before anything is written."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from clspd_desktop.domain.annual_report import AnnualReportTexts
from clspd_desktop.errors import ValidationError
from clspd_desktop.services.operations import Cancelled, Change, OpEnv, Progress
from clspd_desktop.services.operations import reports as ops
from clspd_desktop.services.operations.execution import open_worker_store
from tests.unit.test_plan_repo import HOSTILE, small_plan


def _text(path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_bilan_texts_are_saved_or_refused_whole(paths, ctx):
    env = OpEnv(paths, ctx.rules, store=ctx.store)
    ops.save_bilan_texts(env, AnnualReportTexts(2025, evaluation="avant"))
    with pytest.raises(ValidationError) as refused:
        ops.save_bilan_texts(env, AnnualReportTexts(2025, evaluation="x" * 20_001, orientations="nouveau"))
    assert "20\u202f000 caractères" in str(refused.value)
    assert ctx.store.annual_reports.texts(2025).evaluation == "avant"
    result = ops.save_bilan_texts(env, AnnualReportTexts(2025, evaluation="après"))
    assert result.changes.kinds == {Change.REPORTS}
    assert ctx.store.annual_reports.texts(2025).evaluation == "après"


def test_documents_are_written_through_a_store_of_their_own(paths, ctx, tmp_path):
    sp = small_plan(ctx.store)
    seen = []
    env = OpEnv(paths, ctx.rules, open_store=lambda: open_worker_store(paths),
                progress=Progress(lambda done, total, label: seen.append(label)))
    try:
        plan = ops.plan_pdf(env, sp.plan.id, tmp_path / "plan.pdf")
        sheet = ops.action_sheet_pdf(env, sp.action.id, tmp_path / "fiche.pdf")
        bilan = ops.annual_bilan_pdf(env, 2025, tmp_path / "bilan.pdf")
        directory = ops.directory_pdf(env, tmp_path / "annuaire.pdf")
        workbook = ops.plan_xlsx(env, sp.plan.id, tmp_path / "plan.xlsx")
        assert env.store.db.conn is not ctx.store.db.conn
    finally:
        env.close()
    assert not any(d.changes for d in (plan, sheet, bilan, directory, workbook))  # files only
    assert "Synthèse par axe" in _text(plan.value)
    assert HOSTILE in _text(sheet.value)
    assert "2025" in _text(bilan.value)
    assert "Annuaire des partenaires" in _text(directory.value)
    assert workbook.value.stat().st_size > 0
    assert seen[0] == "Mise en page du plan d'actions…" and len(seen) == 5


def test_cancelled_before_writing_leaves_no_file(paths, ctx, tmp_path):
    progress = Progress()
    progress.cancel()
    env = OpEnv(paths, ctx.rules, store=ctx.store, progress=progress)
    with pytest.raises(Cancelled):
        ops.directory_pdf(env, tmp_path / "annuaire.pdf")
    assert not (tmp_path / "annuaire.pdf").exists()
