"""New meetings made from what the council already has: a copy of a meeting at a new date (« Dupliquer »),
the agenda a new meeting proposes (its kind's template, then the decisions still open from earlier meetings
of the same formation), the first plenary the assistant offers to convene, and the minutes sent to the
participants (« Diffuser le compte rendu »).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from clspd_desktop.db.store import Store
from clspd_desktop.domain.agenda_templates import (
    SETTING_KEY,
    AgendaTemplate,
    TemplateItem,
    load_templates,
    template_for,
    templates_json,
)
from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.followup import CARRIED_TITLE, FollowUpItem, carried_forward, carried_line
from clspd_desktop.domain.meetings import AgendaItem, DeDroitRequester, Meeting, MeetingStatus, day_warnings
from clspd_desktop.domain.records import saved_id
from clspd_desktop.domain.school_holidays import ZONE_SETTING
from clspd_desktop.errors import ValidationError
from clspd_desktop.paths import resources_dir
from clspd_desktop.services.operations.base import Change, Done, OpEnv, done
from clspd_desktop.services.operations.meetings import _meeting, refusal_reason, save_meeting_checked


# --- what a new meeting proposes -----------------------------------------------------------------------------
def agenda_template(store: Store, kind: FormationKind, day: date) -> AgendaTemplate | None:
    """The template of `kind` (the coordinator's edited copy when readable); a plenary proposes the first
    plenary's agenda until one has taken place before `day`."""
    return template_for(current_templates(store), kind, store.meetings.last_plenary_date(before=day) is not None)


def shipped_templates() -> dict[str, AgendaTemplate]:
    return load_templates(resources_dir() / "agendas" / "modeles.json")


def current_templates(store: Store) -> dict[str, AgendaTemplate]:
    """The templates new meetings propose: the coordinator's edited copy when readable, else the shipped ones."""
    return load_templates(resources_dir() / "agendas" / "modeles.json", store.settings.get(SETTING_KEY))


def save_agenda_templates(env: OpEnv, items: dict[str, tuple[TemplateItem, ...]]) -> Done[None]:
    """Keep the edited templates in the settings (the shipped file is never written); when they are the
    shipped ones again, the copy is dropped so that a later version's templates apply."""
    current = current_templates(env.store)
    empty = [current[key].label for key, points in items.items() if key in current and not points]
    if empty:
        raise ValidationError({"templates": f"Le modèle « {empty[0]} » n'a plus aucun point : écrivez au moins "
                                            "un point (un par ligne), ou rétablissez les modèles livrés."})
    edited = {key: replace(t, items=items.get(key, t.items)) for key, t in current.items()}
    text = "" if edited == shipped_templates() else templates_json(edited)
    with env.store.transaction():
        env.store.settings.set(SETTING_KEY, text)
    return done(None, Change.SETTINGS)


def template_agenda(template: AgendaTemplate | None) -> list[AgendaItem]:
    return [AgendaItem(title=i.title, presenter=i.presenter) for i in template.items] if template else []


def open_items_to_carry(store: Store, formation_id: int, day: date) -> list[FollowUpItem]:
    """The decisions still open from earlier meetings of the same formation or group."""
    return carried_forward(store.followup.items(), formation_id, before=day)


def with_carried(agenda: list[AgendaItem], kept: list[FollowUpItem]) -> list[AgendaItem]:
    """The agenda with one line per kept item, right after its « Suivi des décisions » point (at the end when
    it has none)."""
    lines = [AgendaItem(title=carried_line(i), presenter="") for i in kept]
    at = next((n + 1 for n, i in enumerate(agenda) if i.title.startswith(CARRIED_TITLE)), len(agenda))
    return [*agenda[:at], *lines, *agenda[at:]]


def carried_into(store: Store, meeting: Meeting) -> list[FollowUpItem]:
    """The decisions of earlier meetings of the same formation this meeting follows up: those still open, and
    those its agenda carried (still listed once closed, so the minutes show they were settled)."""
    titles = {i.title for i in meeting.agenda}
    day = meeting.starts_at.date()
    items = [i for i in store.followup.items() if i.formation_id == meeting.formation_id and i.meeting_day < day
             and (i.status.is_open or carried_line(i) in titles)]
    return sorted(items, key=lambda i: (not i.status.is_open, i.due_date or date.max, i.meeting_day, i.id))


def zone(store: Store) -> str:
    return store.settings.get(ZONE_SETTING)


def occurrence_warnings(store: Store, days: list[date]) -> list[str]:
    """One line per occurrence on a weekend, a public holiday or in the school holidays of the council's zone."""
    council_zone = zone(store)
    return [w for day in days for w in day_warnings(day, council_zone)]


# --- « Dupliquer » ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Duplicate:
    meeting: Meeting
    invited: int
    left_out: list[str]  # members of a confidential group whose charter signature is not valid on the new day


def duplicate_meeting(env: OpEnv, meeting_id: int, starts_at: datetime) -> Done[Duplicate]:
    """A new planned meeting at `starts_at`: same formation, title, place, link, signatory, agenda (without
    notes) and invitees (without their replies or attendance; walk-ins are not copied). In a confidential
    group, only signatories of the charter valid on the new day are invited again."""
    store = env.store
    with store.transaction():
        source = _meeting(store, meeting_id)
        formation = store.formations.get(source.formation_id)
        copy = replace(
            source, id=None, uid="", sequence=0, series_id=None, status=MeetingStatus.PLANNED,
            starts_at=starts_at, ends_at=starts_at + source.duration, de_droit=False,
            de_droit_requester=DeDroitRequester.NONE, de_droit_requested_on=None,
            reply_deadline=None, notes=f"Copie de la réunion du {short_date(source.starts_at.date())}.",
            agenda=[AgendaItem(title=i.title, presenter=i.presenter) for i in source.agenda])
        saved = save_meeting_checked(store, copy)
        invited, left_out = 0, []
        for invitation in store.meetings.invitations(meeting_id):
            if invitation.walk_in:
                continue
            if formation is not None and formation.confidential and (
                    invitation.contact_id is None or refusal_reason(store, invitation.contact_id, starts_at.date())):
                left_out.append(invitation.name)
                continue
            store.meetings.insert_invitation(replace(
                invitation, id=None, meeting_id=saved_id(saved.id), sent_at=None, reply=None, reply_represented_by="",
                reply_at=None, attendance=None, represented_by="", represented_by_contact_id=None, arrived_at=None))
            invited += 1
    return done(Duplicate(saved, invited, left_out), Change.MEETINGS, Change.INVITATIONS)


# --- the first plenary -----------------------------------------------------------------------------------------
def convene_first_plenary(env: OpEnv, starts_at: datetime, signatory: str = "") -> Done[Meeting]:
    """The plenary the assistant offers to convene, with the first plenary's agenda (2 hours, planned)."""
    store = env.store
    with store.transaction():
        plenary = store.formations.by_kind(FormationKind.PLENARY)
        template = agenda_template(store, FormationKind.PLENARY, starts_at.date())
        meeting = Meeting(formation_id=saved_id(plenary.id), title=template.label if template else "Réunion plénière",
                          starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), signatory=signatory,
                          agenda=template_agenda(template))
        saved = save_meeting_checked(store, meeting)
    return done(saved, Change.MEETINGS)


# --- « Diffuser le compte rendu » -------------------------------------------------------------------------------
def distribute_minutes(env: OpEnv, meeting_id: int, chosen: list[int], today: date | None = None) -> Done[list[Path]]:
    """The minutes PDF and one .eml draft per chosen participant, in the meeting's folder under the exports
    (long work: run on the worker). Refused for a confidential group."""
    from clspd_desktop.services.minutes_distribution import write_minutes_drafts

    meeting = _meeting(env.store, meeting_id)
    env.progress.report(0, 1, "Préparation du compte rendu et des courriels…")
    folder = env.paths.exports_dir / "comptes-rendus" / f"{meeting.starts_at.date().isoformat()}-{meeting_id}"
    folder.mkdir(parents=True, exist_ok=True)
    return done(write_minutes_drafts(env.store, meeting_id, chosen, folder, today=today))
