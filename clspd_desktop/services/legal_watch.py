"""Veille sur les réunions: what the dashboard must flag about the legal rhythm of meetings, in French.

Kept out of the dashboard so the rules are tested without Qt; the legal source is read from the dated
rules file, never written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from clspd_desktop.db.store import Store
from clspd_desktop.domain.dates import long_date, short_date, time_fr
from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.legal_rules import LegalRules
from clspd_desktop.domain.meetings import MeetingStatus, add_months
from clspd_desktop.domain.text import plural

LISTED_AT_MOST = 5  # the dashboard names a few items and counts the rest
SEE_MEETINGS = "voir Réunions (Ctrl+4)"
SEE_FOLLOW_UP = "voir Réunions › Suivi des décisions (Ctrl+4)"


@dataclass
class MeetingWatch:
    alerts: list[str] = field(default_factory=list)  # something to fix
    upcoming: list[str] = field(default_factory=list)  # information: the next meetings


def _source(rules: LegalRules | None) -> str:
    rule = rules.rules.get("yearly_plenary") if rules else None
    return f" ({rule['source']})" if rule and rule.get("source") else ""


def bulleted(items: list[str], at_most: int = LISTED_AT_MOST, where: str = "") -> str:
    """One line and bullet per item, the first `at_most` named and the rest counted (`where` says where to see
    them all): a long list would drown the dashboard's other alerts and slow its first display."""
    shown = "".join(f"\n• {item}" for item in items[:at_most])
    more = len(items) - at_most
    if more <= 0:
        return shown
    return shown + f"\n• et {more} {'autre' if more == 1 else 'autres'}" + (f" : {where}" if where else "")


def meeting_watch(store: Store, today: date, rules: LegalRules | None = None) -> MeetingWatch:
    watch = MeetingWatch()
    repo = store.meetings
    source = _source(rules)

    last = repo.last_plenary_date(today)
    this_year = repo.plenaries_in_year(today.year)
    planned = [m for m in this_year if m.starts_at.date() >= today]
    if last is None or add_months(last, 12) < today:
        since = f"la dernière date du {long_date(last)}" if last else "aucune n'est enregistrée"
        plan = (f" Une plénière est prévue le {long_date(planned[0].starts_at.date())}." if planned
                else " Aucune n'est prévue pour l'instant.")
        watch.alerts.append(f"Pas de formation plénière depuis plus de 12 mois : {since}.{plan} "
                            f"Le conseil doit se réunir en plénière au moins une fois par an{source}.")
    elif not this_year:
        watch.alerts.append(f"Aucune formation plénière n'est prévue en {today.year} : le conseil doit se réunir "
                            f"en plénière au moins une fois par an{source}.")
    if this_year and not any(m.prefect_presentation for m in this_year):
        watch.alerts.append(
            f"Aucune plénière de {today.year} ne prévoit la présentation par le préfet de l'état de la "
            "délinquance : cochez-la dans la réunion concernée et inscrivez-la à l'ordre du jour.")

    late = repo.late_convocations(today, repo.notice_days(FormationKind.PLENARY),
                                  repo.notice_days(FormationKind.WORKING_GROUP))
    if late:
        watch.alerts.append(f"{plural(len(late), 'réunion', feminine=True)} dont les convocations ne respectent pas le délai de "
                            f"prévenance :{bulleted([x.description for x in late], where=SEE_MEETINGS)}")

    overdue = [o for o in repo.open_action_items(today) if o.overdue]
    if overdue:
        named = [f"« {o.item.text} » ({o.responsible or 'sans responsable'}, échéance "
                 f"{short_date(o.item.due_date)})" for o in overdue]
        watch.alerts.append(f"{plural(len(overdue), 'action décidée', 'actions décidées', feminine=True)} en réunion ont dépassé leur échéance :"
                            f"{bulleted(named, where=SEE_FOLLOW_UP)}")
    to_close = store.followup.meetings_to_close(today)
    if to_close:
        watch.alerts.append(
            f"{plural(len(to_close), 'réunion passée', 'réunions passées', feminine=True)} encore "
            f"{'marquée' if len(to_close) == 1 else 'marquées'} « Prévue » : à clôturer (tenue ou annulée), dans "
            f"Réunions :{bulleted([m.label for m in to_close], where=SEE_MEETINGS)}")

    formations = {f.id: f for f in store.formations.formations()}
    for meeting in repo.upcoming_meetings(today, days=30):
        formation = formations.get(meeting.formation_id)
        name = formation.display_name if formation else "Réunion"
        status = " (reportée)" if meeting.status is MeetingStatus.POSTPONED else ""
        title = f" — {meeting.title}" if meeting.title else ""
        watch.upcoming.append(f"{long_date(meeting.starts_at.date()).capitalize()} à "
                              f"{time_fr(meeting.starts_at)} : {name}{title}{status}")
    return watch
