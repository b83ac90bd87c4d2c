"""The council's own paperwork (RGPD documents for the DPO, draft règlement intérieur, charter register) and
the settings they need (the DPO, the school-holiday zone): written on the worker, saved through operations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clspd_desktop.domain.rgpd import DPO_CONTACT_KEY, DPO_NAME_KEY
from clspd_desktop.domain.school_holidays import ZONE_SETTING, ZONES
from clspd_desktop.domain.text import single_line
from clspd_desktop.errors import ValidationError
from clspd_desktop.services.operations.base import Change, Done, OpEnv, done


def save_council_settings(env: OpEnv, dpo_name: str, dpo_contact: str, school_zone: str) -> Done[None]:
    if school_zone not in ("", *ZONES):
        raise ValidationError({"school_zone": "Choisissez la zone A, B ou C (ou « non précisée »)."})
    with env.store.transaction():
        env.store.settings.set(DPO_NAME_KEY, single_line(dpo_name))
        env.store.settings.set(DPO_CONTACT_KEY, single_line(dpo_contact))
        env.store.settings.set(ZONE_SETTING, school_zone)
    return done(None, Change.SETTINGS)


def rgpd_pdf(env: OpEnv, kind: str, path: Path, today: date | None = None) -> Done[Path]:
    """`kind`: « registre », « information » or « inventaire » (see services/reports/rgpd_pdf.py)."""
    from clspd_desktop.services.reports.rgpd_pdf import (
        build_rgpd_pdf,  # reportlab: when a document is asked for
    )

    env.progress.report(0, 0, "Mise en page…")
    return Done(build_rgpd_pdf(kind, env.store, path, env.paths.data_dir, today))


def rules_of_procedure_pdf(env: OpEnv, path: Path, today: date | None = None) -> Done[Path]:
    from clspd_desktop.services.reports.rules_of_procedure_pdf import build_rules_of_procedure_pdf

    return Done(build_rules_of_procedure_pdf(env.store, path, today))


def charter_register_pdf(env: OpEnv, path: Path, today: date | None = None) -> Done[Path]:
    from clspd_desktop.services.reports.charter_register_pdf import build_charter_register_pdf

    return Done(build_charter_register_pdf(env.store, path, today))
