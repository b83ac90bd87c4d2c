"""Two years of meetings for the demo council (Ville de Montreval), written through the repositories:
plenaries with the préfet's presentation, the restricted formation every four months, the working groups
monthly or every two months since they were set up; agendas, convocations sent within the notice period,
replies, attendance with each partner's own habits, minutes, decisions and action items. Upcoming meetings
too, one of them with late convocations so the dashboard and the sending tab have something to show.
About ten decisions and action items are linked to the demo plan's actions (one of them in the confidential
cellule, so the fiche-action shows it on screen and leaves it out of its PDF).

Seeded: the same `today` always gives the same meetings. Confidential minutes stay non-nominative.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import Contact, Formation, FormationKind, OrganisationCategory
from clspd_desktop.domain.meetings import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingStatus,
    Minutes,
    Reply,
    day_warning,
    latest_sending_date,
)
from clspd_desktop.domain.plan_links import LinkSource
from clspd_desktop.domain.records import saved_id
from clspd_desktop.services.operations.meetings import invite_formation_members

if TYPE_CHECKING:  # demo_data calls this module: no import at run time
    from clspd_desktop.services.demo_data import DemoDirectory

SEED = 3_2026


@dataclass(frozen=True)
class Topic:
    title: str
    presenter: str  # a contact key of the demo file, or '' for the coordinator
    notes: str
    decision: str = ""
    action: str = ""
    lead: str = ""  # organisation key responsible for the action


PLENARY_TOPICS = (
    Topic("Présentation de l'état de la délinquance sur la commune", "prefet",
          "Le préfet présente les chiffres de l'année : baisse des cambriolages, hausse des violences "
          "intrafamiliales signalées, stabilité des atteintes aux biens dans le quartier des Tilleuls."),
    Topic("Bilan annuel du CLSPD et du plan local d'actions", "coord",
          "Le coordonnateur présente l'avancement des fiches-actions et la fréquentation des groupes de travail.",
          "Le bilan annuel est adopté à l'unanimité des membres présents."),
    Topic("Actions financées par le FIPD", "delegue_prefet",
          "Présentation de l'appel à projets départemental et des dossiers à déposer avant l'échéance.",
          "Le CLSPD soutient le dépôt de trois dossiers au titre du FIPD.",
          "Déposer les dossiers FIPD (chantiers éducatifs, médiation, vidéoprotection)", "mairie"),
    Topic("Orientations pour l'année à venir", "maire",
          "Le maire propose de renforcer la prévention des rixes entre jeunes et l'aide aux victimes.",
          "Les orientations proposées sont retenues pour la stratégie territoriale."),
)
RESTRICTED_TOPICS = (
    Topic("Faits marquants du trimestre", "commissaire",
          "Point sur les rodéos motorisés et les rassemblements aux abords de la gare routière."),
    Topic("Suivi du plan d'actions", "coord",
          "Revue des fiches-actions : deux actions en retard faute de financement.",
          "Les actions en retard sont reportées au prochain semestre.",
          "Relancer les partenaires chefs de file des actions en retard", "mairie"),
    Topic("Vidéoprotection : implantation de nouvelles caméras", "chef_pm",
          "Le centre de supervision urbain propose quatre emplacements supplémentaires.",
          "Étude de faisabilité confiée à la police municipale.",
          "Étude de faisabilité des quatre emplacements proposés", "cspu"),
    Topic("Préparation de la prochaine plénière", "coord",
          "Ordre du jour arrêté ; le préfet sera sollicité pour la présentation annuelle."),
)
GROUP_TOPICS = {
    "tranquillite": (
        Topic("Rassemblements en pied d'immeuble", "th_tranq",
              "Le bailleur signale des nuisances nocturnes rue des Acacias ; la médiation renforcera sa présence.",
              "Passages de la médiation sociale en soirée, du jeudi au samedi.",
              "Organiser des passages de médiation en soirée", "mediation"),
        Topic("Éclairage public et sécurisation des halls", "dir_pv",
              "Plusieurs halls restent mal éclairés ; les services techniques ont été saisis.",
              "", "Remplacer l'éclairage des halls 3 et 5", "tilleuls_habitat"),
        Topic("Retours de la médiation sociale", "med_coord",
              "Bilan des interventions du mois : conflits de voisinage apaisés, lien renoué avec les commerçants."),
    ),
    "jeunes": (
        Topic("Prévention des conduites à risque au collège", "cpe_prevert",
              "Interventions prévues dans les classes de quatrième sur les réseaux sociaux et le harcèlement.",
              "Programme d'interventions validé pour le trimestre.",
              "Planifier les interventions en classe de quatrième", "prevert"),
        Topic("Chantiers éducatifs de l'été", "horizons_chef",
              "Douze jeunes repérés par la prévention spécialisée ; recherche de chantiers avec les bailleurs.",
              "", "Proposer deux chantiers éducatifs aux bailleurs", "horizons"),
        Topic("Prévention des rixes entre quartiers", "commandant",
              "Tensions signalées après un match ; coordination renforcée entre police et éducateurs."),
    ),
    "cellule": (  # confidential: no names in the minutes, a relevé de conclusions only
        Topic("Nouvelles situations signalées", "",
              "Situations examinées de façon anonymisée ; orientations décidées pour chacune.",
              "Chaque situation est confiée à un référent de parcours."),
        Topic("Suivi des situations en cours", "",
              "Point d'étape sur les accompagnements engagés ; deux situations sont closes.",
              "", "Transmettre les orientations aux référents de parcours", "ccas"),
        Topic("Articulation avec l'aide sociale à l'enfance", "ase_ief",
              "Rappel du cadre du partage d'informations (secret partagé, charte déontologique)."),
    ),
}
# Decision or action item text → titles of the demo plan's actions it concerns (demo_plan.PLAN).
_FIPD_FILES = ("Chantiers éducatifs rémunérés", "Médiation sociale de soirée aux Tilleuls",
               "Extension de la vidéoprotection au pôle gare")
PLAN_LINKS: dict[str, tuple[str, ...]] = {
    "Le CLSPD soutient le dépôt de trois dossiers au titre du FIPD.": _FIPD_FILES,
    "Déposer les dossiers FIPD (chantiers éducatifs, médiation, vidéoprotection)": _FIPD_FILES,
    "Relancer les partenaires chefs de file des actions en retard": (
        "Groupe de parole pour auteurs de violences", "Sécurisation des abords du centre commercial"),
    "Étude de faisabilité confiée à la police municipale.": ("Extension de la vidéoprotection au pôle gare",),
    "Étude de faisabilité des quatre emplacements proposés": ("Extension de la vidéoprotection au pôle gare",),
    "Passages de la médiation sociale en soirée, du jeudi au samedi.": ("Médiation sociale de soirée aux Tilleuls",),
    "Organiser des passages de médiation en soirée": ("Médiation sociale de soirée aux Tilleuls",),
    "Remplacer l'éclairage des halls 3 et 5": ("Marches exploratoires de femmes",),
    "Proposer deux chantiers éducatifs aux bailleurs": ("Chantiers éducatifs rémunérés",),
    "Chaque situation est confiée à un référent de parcours.": ("Cellule de veille éducative des Tilleuls",),
}
PLACES = {
    FormationKind.PLENARY: "Hôtel de ville, salle du conseil municipal",
    FormationKind.RESTRICTED: "Hôtel de ville, salle des commissions",
    "tranquillite": "Maison de quartier des Tilleuls",
    "jeunes": "Centre social Jacques-Brel",
    "cellule": "Hôtel de ville, bureau du coordonnateur",
}
# How likely each kind of partner is to come: the State and the police rarely miss, associations less so.
HABITS: dict[OrganisationCategory | None, float] = {  # looked up with None for a contact without organisation
    OrganisationCategory.PREFECTURE: 0.75, OrganisationCategory.JUSTICE: 0.7, OrganisationCategory.POLICE: 0.9,
    OrganisationCategory.MUNICIPAL_POLICE: 0.95, OrganisationCategory.ELECTED: 0.85,
    OrganisationCategory.EDUCATION: 0.7, OrganisationCategory.PARLIAMENT: 0.35,
    OrganisationCategory.ASSOCIATION: 0.6, OrganisationCategory.OTHER: 0.45,
}


def working_day(day: date) -> date:
    """The next day that is neither a weekend nor a public holiday (a real coordinator checks this)."""
    while day_warning(day):
        day += timedelta(days=1)
    return day


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


class DemoMeetings:
    def __init__(self, store: Store, demo: DemoDirectory, rng: random.Random) -> None:
        self.store, self.demo, self.rng = store, demo, rng
        self.today: date = demo.today
        self.contacts: dict[str, Contact] = demo.contacts
        self.by_org: dict[int | None, list[Contact]] = {}
        for contact in self.contacts.values():
            self.by_org.setdefault(contact.organisation_id, []).append(contact)
        self.organisation_of = {c.id: c.organisation_id for c in self.contacts.values()}
        org_categories = {org.id: org.category for org in demo.organisations.values()}
        # each person's own habit around their institution's
        self.habit = {c.id: min(0.97, max(0.25, HABITS.get(org_categories.get(c.organisation_id), 0.6)
                                          + rng.uniform(-0.15, 0.1))) for c in self.contacts.values()}
        council = store.council.get()
        self.coordinator = council.coordinator_name if council else ""
        self.written: dict[str, tuple[LinkSource, int]] = {}  # text → its latest decision or action item

    # --- one meeting --------------------------------------------------------------------------------
    def add(self, formation: Formation, place_key, day: date, hours: tuple[int, int], topics: tuple[Topic, ...],
            status: MeetingStatus, **kw) -> Meeting:
        chosen = self.rng.sample(topics, k=min(len(topics), self.rng.choice((2, 3))))
        if formation.kind is FormationKind.PLENARY:
            chosen = list(topics)  # the plenary follows its yearly agenda
        agenda = [AgendaItem(title=t.title, presenter=self._presenter(t.presenter)) for t in chosen]
        agenda.append(AgendaItem(title="Questions diverses"))
        start = _at(day, *hours)
        meeting = self.store.meetings.save_meeting(Meeting(
            formation_id=saved_id(formation.id), starts_at=start, ends_at=start + timedelta(hours=2),
            place=PLACES[place_key], agenda=agenda, reply_deadline=day - timedelta(days=3),
            uid=f"{uuid.UUID(int=self.rng.getrandbits(128), version=4)}@clspd-desktop", **kw))
        on = max(day, self.demo.composition_date)
        invite_formation_members(self.store, saved_id(meeting.id), on=on)
        if status is MeetingStatus.HELD:
            self._held(meeting, formation, chosen)
        elif status is MeetingStatus.CANCELLED:
            self._send(meeting, formation)
            self.store.meetings.cancel(saved_id(meeting.id))
        return meeting

    def _presenter(self, key: str) -> str:
        contact = self.contacts.get(key)
        return contact.full_name if contact else ""

    def _send(self, meeting: Meeting, formation: Formation) -> None:
        notice = self.store.meetings.notice_days(formation.kind)
        latest = latest_sending_date(meeting.starts_at.date(), notice)
        sent_on = _at(latest - timedelta(days=self.rng.randrange(0, 6)), 9, 30)
        ids = [saved_id(i.id) for i in self.store.meetings.invitations(saved_id(meeting.id))]
        self.store.meetings.mark_sent(ids, sent_on)

    def _held(self, meeting: Meeting, formation: Formation, topics: list[Topic]) -> None:
        self._send(meeting, formation)
        confidential = formation.confidential
        for invitation in self.store.meetings.invitations(saved_id(meeting.id)):
            self._attendance(meeting, invitation, confidential)
        self.store.meetings.set_status(saved_id(meeting.id), MeetingStatus.HELD)
        self._minutes(meeting, formation, topics)

    def _attendance(self, meeting: Meeting, invitation, confidential: bool) -> None:
        rng = self.rng
        habit = self.habit.get(invitation.contact_id, 0.6)
        if invitation.role.value == "informed":  # substitutes come now and then
            if rng.random() < 0.15:
                self.store.meetings.set_attendance(invitation.id, Attendance.PRESENT)
            return
        draw = rng.random()
        colleague = next((c for c in self.by_org.get(self._org_of(invitation), [])
                          if c.id != invitation.contact_id), None)
        if draw < habit:
            late = rng.random() < 0.1
            arrived = meeting.starts_at + timedelta(minutes=rng.randrange(10, 40)) if late else None
            self.store.meetings.set_reply(invitation.id, Reply.PRESENT, when=meeting.starts_at - timedelta(days=4))
            self.store.meetings.set_attendance(invitation.id, Attendance.PRESENT, arrived_at=arrived)
        elif draw < habit + 0.08 and colleague is not None and not confidential:
            self.store.meetings.set_reply(invitation.id, Reply.REPRESENTED, colleague.full_name,
                                          when=meeting.starts_at - timedelta(days=3))
            self.store.meetings.set_attendance(invitation.id, Attendance.REPRESENTED, colleague.full_name,
                                               represented_by_contact_id=colleague.id)
        elif rng.random() < 0.65:
            self.store.meetings.set_reply(invitation.id, Reply.EXCUSED, when=meeting.starts_at - timedelta(days=2))
            self.store.meetings.set_attendance(invitation.id, Attendance.EXCUSED)
        else:
            self.store.meetings.set_attendance(invitation.id, Attendance.ABSENT)

    def _org_of(self, invitation) -> int | None:
        return self.organisation_of.get(invitation.contact_id)

    def _minutes(self, meeting: Meeting, formation: Formation, topics: list[Topic]) -> None:
        stored = self.store.meetings.get_meeting(saved_id(meeting.id))
        if stored is None:  # saved just before
            raise ValueError(f"meeting {meeting.id} not found")
        present, convened = self.store.meetings.attendance_count(saved_id(meeting.id))
        for item, topic in zip(stored.agenda, topics, strict=False):
            self.store.meetings.save_agenda_notes(saved_id(item.id), topic.notes)
            if topic.decision:
                decision = self.store.meetings.save_decision(Decision(saved_id(meeting.id), topic.decision,
                                                                      agenda_item_id=item.id))
                self.written[topic.decision] = (LinkSource.DECISION, saved_id(decision.id))
            if topic.action:
                self._action(meeting, saved_id(item.id), topic)
        summary = (f"Relevé de conclusions de la cellule : {present} membres signataires présents ou représentés "
                   f"sur {convened}. Aucune information nominative n'est consignée."
                   if formation.confidential else
                   f"{present} participants présents ou représentés sur {convened} convoqués.")
        self.store.meetings.save_minutes(Minutes(
            saved_id(meeting.id), summary=summary, written_by=self.coordinator,
            approved_on=min(self.today, meeting.starts_at.date() + timedelta(days=30))))

    def _action(self, meeting: Meeting, item_id: int, topic: Topic) -> None:
        day = meeting.starts_at.date()
        due = day + timedelta(days=self.rng.choice((30, 45, 60, 90)))
        if due < self.today - timedelta(days=60):
            status, done_on = ActionItemStatus.DONE, due - timedelta(days=self.rng.randrange(0, 20))
        elif self.rng.random() < 0.1:
            status, done_on = ActionItemStatus.CANCELLED, None
        else:
            status, done_on = ActionItemStatus.OPEN, None  # some of them past due: the dashboard shows them
        org = self.demo.organisations.get(topic.lead)
        saved = self.store.meetings.save_action_item(ActionItem(
            meeting_id=saved_id(meeting.id), agenda_item_id=item_id, text=topic.action,
            responsible_organisation_id=org.id if org else None,
            responsible_name="" if org else self.coordinator, due_date=due, status=status, done_on=done_on))
        self.written[topic.action] = (LinkSource.ACTION_ITEM, saved_id(saved.id))

    def link_to_plan(self) -> int:
        """Link the latest occurrence of each PLAN_LINKS text to the demo plan's actions (meetings are
        built in date order, so the last one written is the latest); returns the number of links."""
        plan = self.store.plan.current_plan(self.today)
        if plan is None:
            return 0
        by_title = {row.title: row.id for row in self.store.plan.action_rows(saved_id(plan.id), self.today)}
        count = 0
        for text, titles in PLAN_LINKS.items():
            if text not in self.written:
                continue  # not on any agenda drawn for this `today`
            source, source_id = self.written[text]
            for title in titles:
                if title in by_title:
                    count += self.store.links.link(source, source_id, by_title[title])
        return count


def build_demo_meetings(store: Store, demo: DemoDirectory, rng: random.Random | None = None) -> list[Meeting]:
    """Add the demo meetings to a directory built by `demo_data.build_directory`; returns them by date."""
    rng = rng or random.Random(SEED)
    maker = DemoMeetings(store, demo, rng)
    today = demo.today
    formations = demo.formations
    meetings: list[Meeting] = []
    plenary = formations["plenary"]
    restricted = formations["restricted"]

    for days_ago in (700, 335):
        day = working_day(today - timedelta(days=days_ago))
        meetings.append(maker.add(plenary, FormationKind.PLENARY, day, (14, 30), PLENARY_TOPICS,
                                  MeetingStatus.HELD, prefect_presentation=True))
    for days_ago in range(720, 0, -120):
        day = working_day(today - timedelta(days=days_ago))
        if day < today:
            meetings.append(maker.add(restricted, FormationKind.RESTRICTED, day, (10, 0), RESTRICTED_TOPICS,
                                      MeetingStatus.HELD))
    start = demo.groups_started + timedelta(days=10)
    for key, step, hours in (("tranquillite", 1, (17, 30)), ("jeunes", 2, (14, 0)), ("cellule", 1, (9, 30))):
        formation = formations[key]
        month = 0
        while True:
            first = date(start.year + (start.month - 1 + month) // 12, (start.month - 1 + month) % 12 + 1, 1)
            day = working_day(first + timedelta(days=(1 - first.weekday()) % 7 + 7))  # 2nd Tuesday or after
            if day >= today:
                break
            status = MeetingStatus.CANCELLED if (key == "jeunes" and month == 4) else MeetingStatus.HELD
            meetings.append(maker.add(formation, key, day, hours, GROUP_TOPICS[key], status))
            month += step
        upcoming = working_day(max(day, today + timedelta(days=10)))
        meetings.append(maker.add(formation, key, upcoming, hours, GROUP_TOPICS[key], MeetingStatus.PLANNED))

    # upcoming: a restricted meeting whose convocations are late, and the yearly plenary to convene
    late = maker.add(restricted, FormationKind.RESTRICTED, working_day(today + timedelta(days=4)), (10, 0),
                     RESTRICTED_TOPICS, MeetingStatus.PLANNED)
    plenary_next = maker.add(plenary, FormationKind.PLENARY, working_day(today + timedelta(days=45)), (14, 30),
                             PLENARY_TOPICS, MeetingStatus.PLANNED, prefect_presentation=True)
    meetings += [late, plenary_next]
    maker.link_to_plan()
    return sorted(meetings, key=lambda m: m.starts_at)
