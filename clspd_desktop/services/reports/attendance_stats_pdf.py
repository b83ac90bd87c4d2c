"""Attendance statistics on paper, for the préfecture pack and the bilan's annexes: meetings and rate per
formation, then the rate per partner institution and per referent. Built from statistics already restricted
by the caller (the pack passes the non-confidential formations only)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable

from clspd_desktop.db.attendance_stats_repo import AttendanceCount
from clspd_desktop.db.store import Store
from clspd_desktop.domain.dates import short_date
from clspd_desktop.services.attendance_stats import AttendanceStats, rate_text
from clspd_desktop.services.pdf import bold, build_pdf, data_table, labelled, para, styles
from clspd_desktop.services.reports.common import plural, require_council
from clspd_desktop.services.shareable import SharedAttendance

TITLE = "Statistiques de présence"
NUMBER_HEADER = ["Convoqués", "Présents", "Représentés", "Excusés", "Absents", "Réunions", "Taux"]
NUMBER_WIDTHS = ["9.5%", "9%", "10.5%", "9%", "9%", "9%", "9%"]  # "Représentés" on one line in landscape
RATE_NOTE = ("Taux de présence : part des convocations suivies d'une présence ou d'une représentation. Seuls les "
             "titulaires convoqués dont la présence a été notée sont comptés ; les réunions annulées ne le sont pas.")
CONFIDENTIAL_NOTE = ("Les groupes de travail confidentiels (art. L132-5 du code de la sécurité intérieure) ne "
                     "figurent pas dans ce document.")


def _numbers(count: AttendanceCount) -> list[str]:
    return [str(count.convened), str(count.present), str(count.represented), str(count.excused),
            str(count.absent), str(count.meetings), rate_text(count)]


def _total_row(stats: AttendanceStats, leading: int) -> list:
    st = styles()
    return [para(bold("Ensemble"), st.cell), *[""] * (leading - 1),
            *[para(bold(v), st.cell) for v in _numbers(stats.overall)]]


def _formations_table(shared: SharedAttendance) -> Flowable:
    st = styles()
    rows: list[list] = [[f.display_name, str(s.meetings), str(s.overall.convened), rate_text(s.overall)]
                        for f, s in shared.by_formation]
    total = shared.stats
    rows.append([para(bold(v), st.cell) for v in ("Ensemble", str(total.meetings), str(total.overall.convened),
                                                  rate_text(total.overall))])
    return data_table(["Formation", "Réunions", "Convoqués", "Taux de présence"], rows,
                      ["55%", "15%", "15%", "15%"])


def attendance_story(shared: SharedAttendance) -> list[Flowable]:
    st = styles()
    stats = shared.stats
    story: list[Flowable] = [
        labelled("Période", f"du {short_date(stats.start)} au {short_date(stats.end)}"),
        labelled("Réunions comptées", plural(stats.meetings, "réunion", "réunions", feminine=True)),
        labelled("Taux de présence d'ensemble", rate_text(stats.overall)),
        para(CONFIDENTIAL_NOTE, st.note),
    ]
    if not stats.meetings:
        story.append(para("Aucune présence n'a été notée sur cette période.", st.body))
        return story
    story += [para("Par formation", st.heading), _formations_table(shared)]
    story += [CondPageBreak(4 * cm), para("Par institution partenaire", st.heading),
              data_table(["Institution", *NUMBER_HEADER],
                         [[c.label, *_numbers(c)] for c in stats.by_organisation] + [_total_row(stats, 1)],
                         ["35%", *NUMBER_WIDTHS])]
    story += [CondPageBreak(4 * cm), para("Par référent", st.heading),
              data_table(["Référent", "Institution", *NUMBER_HEADER],
                         [[c.label, c.organisation, *_numbers(c)] for c in stats.by_referent],
                         ["19%", "16%", *NUMBER_WIDTHS])]
    story.append(para(RATE_NOTE, st.note))
    return story


def build_attendance_stats_pdf(store: Store, shared: SharedAttendance, path: Path, today: date | None = None,
                               subtitle: str = "") -> Path:
    """Write the statistics to `path` atomically."""
    council = require_council(store)
    stats = shared.stats
    subtitle = subtitle or f"Du {short_date(stats.start)} au {short_date(stats.end)} — {stats.formation_name}"
    return build_pdf(path, council, TITLE, attendance_story(shared), subtitle=subtitle, today=today,
                     subject=f"{TITLE} — {subtitle}", landscape=True)
