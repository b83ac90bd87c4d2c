"""The « Rapports » and plan documents as operations, and the coordinator's bilan texts.

Documents run on a worker (`runner.start`): the annual bilan, a large plan or directory take seconds on a big
council. Each reads through the worker's own store, writes its file atomically (an existing file stays intact
on failure) and returns the path written; nothing in the database changes. The report modules import
reportlab and openpyxl, so they are imported when a document is asked for.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clspd_desktop.domain.annual_report import AnnualReportTexts
from clspd_desktop.domain.individual.aggregates import YearFigures
from clspd_desktop.errors import ValidationError
from clspd_desktop.services.operations.base import Change, Done, OpEnv, done


def save_bilan_texts(env: OpEnv, texts: AnnualReportTexts) -> Done[AnnualReportTexts]:
    """The year's evaluation, orientations, membership changes and RGPD status; refused whole when a text is
    too long or the year out of range (French messages by field)."""
    problems = texts.problems()
    if problems:
        raise ValidationError(problems)
    with env.store.transaction():
        env.store.annual_reports.save(texts)
    return done(texts, Change.REPORTS)


def _starting(env: OpEnv, label: str) -> None:
    env.progress.report(0, 0, label)  # before anything is written: « Annuler » is still safe here


def annual_bilan_pdf(env: OpEnv, year: int, path: Path, today: date | None = None,
                     individual: YearFigures | None = None) -> Done[Path]:
    """`individual`: the follow-up aggregates read on the GUI thread (None: locked or off)."""
    from clspd_desktop.services.reports.annual_bilan_pdf import build_annual_bilan_pdf

    _starting(env, f"Calcul et mise en page du bilan {year}…")
    return Done(build_annual_bilan_pdf(env.store, path, year, today=today, individual=individual))


def composition_pdf(env: OpEnv, formation_id: int | None, path: Path, today: date | None = None) -> Done[Path]:
    from clspd_desktop.services.reports.composition_pdf import build_composition_pdf

    _starting(env, "Mise en page de la composition…")
    return Done(build_composition_pdf(env.store, path, formation_id, today=today))


def composition_order_pdf(env: OpEnv, path: Path, today: date | None = None) -> Done[Path]:
    from clspd_desktop.services.reports.composition_order_pdf import build_composition_order_pdf

    _starting(env, "Mise en page du projet d'arrêté…")
    return Done(build_composition_order_pdf(env.store, path, today=today))


def directory_pdf(env: OpEnv, path: Path, today: date | None = None) -> Done[Path]:
    from clspd_desktop.services.reports.directory_pdf import build_directory_pdf

    _starting(env, "Mise en page de l'annuaire…")
    return Done(build_directory_pdf(env.store, path, today=today))


def plan_pdf(env: OpEnv, plan_id: int, path: Path, today: date | None = None) -> Done[Path]:
    from clspd_desktop.services.reports.plan_pdf import build_plan_pdf

    _starting(env, "Mise en page du plan d'actions…")
    return Done(build_plan_pdf(env.store, plan_id, path, today=today, data_dir=env.paths.data_dir))


def action_sheet_pdf(env: OpEnv, action_id: int, path: Path, today: date | None = None) -> Done[Path]:
    from clspd_desktop.services.reports.action_sheet_pdf import build_action_sheet_pdf

    _starting(env, "Mise en page de la fiche-action…")
    return Done(build_action_sheet_pdf(env.store, action_id, path, today=today, data_dir=env.paths.data_dir))


def plan_xlsx(env: OpEnv, plan_id: int, path: Path, today: date | None = None) -> Done[Path]:
    from clspd_desktop.services.plan_export import export_plan_xlsx

    _starting(env, "Écriture du classeur Excel…")
    return Done(export_plan_xlsx(env.store, plan_id, path, today=today))
