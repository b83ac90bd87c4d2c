"""The decisions follow-up as a landscape PDF table, for a restricted formation or a partner's meeting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.platypus import Flowable, Spacer

from clspd_desktop.db.store import Store
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.followup import FollowUpFilter
from clspd_desktop.services.followup_export import HEADER, exportable, row
from clspd_desktop.services.pdf import build_pdf, data_table, para, styles
from clspd_desktop.services.reports.common import plural, require_council

TITLE = "Suivi des décisions"
WIDTHS = ["8%", "13%", "22%", "16%", "8%", "7%", "14%", "12%"]


def build_followup_pdf(store: Store, shown: FollowUpFilter, path: Path, today: date | None = None) -> Path:
    today = today or date.today()
    council = require_council(store)
    items, left_out = exportable(store, shown, today)
    st = styles()
    overdue = sum(1 for i in items if i.is_overdue(today))
    story: list[Flowable] = [para(f"Situation au {long_date(today)}.", st.body), Spacer(1, 6)]
    if items:
        story.append(data_table(HEADER, [row(i) for i in items], WIDTHS))
    else:
        story.append(para("Aucune suite à donner ne correspond à la sélection.", st.body))
    if left_out:
        story += [Spacer(1, 6), para(
            f"{plural(left_out, 'suite à donner', 'suites à donner')} des groupes de travail confidentiels "
            "n'y figurent pas : elles ne sortent pas du logiciel.", st.note)]
    subtitle = f"{plural(len(items), 'suite à donner', 'suites à donner')}, dont {overdue} en retard"
    return build_pdf(path, council, TITLE, story, subtitle=subtitle, landscape=True, today=today,
                     subject=f"{TITLE} du {council.kind.value}")
