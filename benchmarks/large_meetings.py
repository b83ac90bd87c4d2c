"""About 4 000 meetings and 150 000 attendance rows on the large council (four years or so of a busy CISPD): the
plenary twice a year, the restricted formation monthly, the 24 working groups every week or two.

Meetings and invitations go through the app's own rules (save_meeting, invite_formation_members) so they have the
shape the app writes; the 150 000 attendance marks and sent dates are then written with one bulk UPDATE
each, because the repository's one-transaction-per-mark (right for a live meeting) would take minutes here.
Everything runs in one transaction. Also adds one plenary with exactly 200 invitees for the PDF figures.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.meetings import AgendaItem, Meeting, MeetingStatus
from clspd_desktop.services.operations.meetings import invite_contact, invite_formation_members

MEETINGS = 4000
GUESTS = 14  # per open working-group meeting, on top of its members
_AGENDA = ("Faits marquants", "Suivi du plan d'actions", "Tranquillité publique", "Prévention de la récidive",
           "Vidéoprotection", "Aide aux victimes", "Questions diverses")
_ATTENDANCE = ("present",) * 7 + ("excused",) * 2 + ("absent", "represented")


@dataclass
class LargeMeetings:
    meetings: int
    invitations: int
    attendance_rows: int
    plenary_200_id: int  # a plenary with 200 invitees (convocations and sign-in sheet figures)
    busiest_id: int  # the meeting with the most invitees (attendance screen figure)


def _slots(rng: random.Random, formation_ids: list[tuple[int, int]], first: date, count: int) -> list[tuple[int, date]]:
    """(formation, day) pairs: each formation meets every `step` days, until `count` meetings in all."""
    slots, day_index = [], 0
    while len(slots) < count:
        for formation_id, step in formation_ids:
            if day_index % step == 0 and len(slots) < count:
                slots.append((formation_id, first + timedelta(days=day_index + rng.randrange(0, 3))))
        day_index += 1
    return slots


def add_large_meetings(store: Store, rng: random.Random, today: date, meetings: int = MEETINGS) -> LargeMeetings:
    formations = store.formations.formations()
    plenary = next(f for f in formations if f.kind is FormationKind.PLENARY)
    restricted = next(f for f in formations if f.kind is FormationKind.RESTRICTED)
    groups = [f for f in formations if f.kind is FormationKind.WORKING_GROUP]
    confidential = {g.id for g in groups if g.confidential}
    contact_ids = [c.contact.id for c in store.directory.contacts()]
    cadence = [(plenary.id, 182), (restricted.id, 30), *[(g.id, rng.choice((7, 14))) for g in groups]]
    slots = _slots(rng, cadence, today, meetings)
    shift = today - slots[int(len(slots) * 0.95)][1]  # about 95 % of the meetings are past, the rest to come
    created: list[Meeting] = []
    with store.transaction():
        for formation_id, day in ((f, d + shift) for f, d in slots):
            hour = 9 + rng.randrange(0, 8)
            start = datetime.combine(day, time(hour, 0))
            meeting = store.meetings.save_meeting(Meeting(
                formation_id=formation_id, starts_at=start, ends_at=start + timedelta(hours=2),
                place="Siège de l'agglomération", status=MeetingStatus.HELD if day < today else MeetingStatus.PLANNED,
                agenda=[AgendaItem(title) for title in rng.sample(_AGENDA, 3)]))
            # the plenary has ~1 200 members: invite a delegation so the total stays ~150 000 rows
            if formation_id == plenary.id:
                members = store.formations.members(plenary.id, on=today)[:300]
                for item in members:
                    invite_contact(store, meeting.id, item.contact.id)
            else:
                invite_formation_members(store, meeting.id, on=today)
                if formation_id not in confidential:  # open groups welcome guests from other partners
                    invited = {i.contact_id for i in store.meetings.invitations(meeting.id)}
                    sample = rng.sample(contact_ids, min(len(contact_ids), 2 * GUESTS))
                    for contact_id in [c for c in sample if c not in invited][:GUESTS]:
                        invite_contact(store, meeting.id, contact_id)
            created.append(meeting)
        past = [m.id for m in created if m.starts_at.date() < today]
        rows = store.db.execute(
            f"SELECT i.id, m.starts_at FROM invitation i JOIN meeting m ON m.id = i.meeting_id "
            f"WHERE i.meeting_id IN ({','.join('?' * len(past))})", past).fetchall() if past else []
        store.db.conn.executemany(
            "UPDATE invitation SET attendance = ?, sent_at = ? WHERE id = ?",
            [(rng.choice(_ATTENDANCE), (datetime.fromisoformat(starts) - timedelta(days=20)).isoformat(), inv_id)
             for inv_id, starts in rows])
        store.db.conn.execute("UPDATE invitation SET represented_by = 'Représentant désigné' "
                              "WHERE attendance = 'represented' AND represented_by = ''")
        start = datetime.combine(today + timedelta(days=40), time(14, 30))
        plenary_200 = store.meetings.save_meeting(Meeting(
            formation_id=plenary.id, starts_at=start, ends_at=start + timedelta(hours=2),
            title="Plénière annuelle", place="Siège de l'agglomération",
            agenda=[AgendaItem(title, presenter="") for title in _AGENDA]))
        for item in store.formations.members(plenary.id, on=today)[:200]:
            invite_contact(store, plenary_200.id, item.contact.id)
    total = store.db.execute("SELECT COUNT(*), COUNT(attendance) FROM invitation").fetchone()
    busiest = store.db.execute(
        "SELECT meeting_id FROM invitation GROUP BY meeting_id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    return LargeMeetings(len(created) + 1, total[0], total[1], plenary_200.id, busiest)


def add_meeting_with_invitees(store: Store, today: date, invitees: int = 100) -> int:
    """A plenary in three weeks with `invitees` people invited (the GUI session opens it); its id."""
    formation = store.formations.by_kind(FormationKind.PLENARY)
    start = datetime.combine(today + timedelta(days=21), time(18, 0))
    with store.transaction():
        meeting = store.meetings.save_meeting(Meeting(
            formation_id=formation.id, starts_at=start, ends_at=start + timedelta(hours=2),
            title=f"Plénière à {invitees} invités", place="Salle du conseil",
            agenda=[AgendaItem(title) for title in _AGENDA[:4]]))
        for item in store.formations.members(formation.id, on=today)[:invitees]:
            invite_contact(store, meeting.id, item.contact.id)
    return meeting.id
