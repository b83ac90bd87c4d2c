"""The compte rendu of a meeting: who was there (present / represented / excused / absent), the notes per
agenda item, decisions and action items. For a confidential group it is a relevé de conclusions marked
CONFIDENTIEL on every page (the footer carries the title), and it never leaves the PC: no sending path
uses this module."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from clspd_desktop.db.store import Store
from clspd_desktop.domain.civility import agreed
from clspd_desktop.domain.dates import long_date, short_date, time_fr
from clspd_desktop.domain.individual.aggregates import situations_examined_text
from clspd_desktop.domain.meetings import ActionItem, Attendance, Decision, Invitation, Minutes
from clspd_desktop.domain.plan_links import LinkedAction, LinkSource, MeetingLinks
from clspd_desktop.services.pdf import Markup, bold, build_pdf, data_table, labelled, para, styles
from clspd_desktop.services.reports.convocations_pdf import (
    MeetingPapers,
    de_droit_line,
    formation_title,
    load_papers,
    meeting_date_line,
)

CONFIDENTIAL_TITLE = "RELEVÉ DE CONCLUSIONS — CONFIDENTIEL"
CONFIDENTIAL_NOTICE = ("Document confidentiel (art. L132-5 du code de la sécurité intérieure) : réservé aux membres "
                       "du groupe signataires de la charte déontologique. Ne pas diffuser, ne pas transmettre.")
ACTION_HEADER = ["Action", "Responsable", "Échéance", "État"]
ACTION_WIDTHS = ["48%", "26%", "13%", "13%"]
NOT_RECORDED = "Présence non renseignée"


@dataclass
class MinutesContent:
    """What the compte rendu adds to the meeting's papers."""

    minutes: Minutes | None = None
    decisions: list[Decision] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    organisation_names: dict[int, str] = field(default_factory=dict)  # responsible organisations
    links: MeetingLinks = field(default_factory=MeetingLinks)  # plan actions each decision / action item serves


def load_minutes(store: Store, meeting_id: int) -> tuple[MeetingPapers, MinutesContent]:
    papers = load_papers(store, meeting_id)
    items = store.meetings.action_items(meeting_id)
    names = {}
    for item in items:
        if item.responsible_organisation_id and item.responsible_organisation_id not in names:
            org = store.directory.get_organisation(item.responsible_organisation_id)
            names[item.responsible_organisation_id] = org.name if org else ""
    content = MinutesContent(store.meetings.minutes(meeting_id), store.meetings.decisions(meeting_id), items, names,
                             store.links.links_of_meeting(meeting_id))
    return papers, content


def _plan_line(links: list[LinkedAction]) -> str:
    """« Plan d'actions : 1.2.3 Titre ; 2.1.1 Titre » (with the plan's period when it is not the same for all)."""
    periods = {link.plan_period for link in links}
    shown = [link.short_label + (f" (plan {link.plan_period})" if len(periods) > 1 else "") for link in links]
    return ("Action du plan : " if len(links) == 1 else "Actions du plan : ") + " ; ".join(shown)


def _with_plan(flowable_text: list, links: list[LinkedAction]) -> list[Flowable]:
    st = styles()
    story = [para(flowable_text, st.body)]
    if links:
        story.append(para(_plan_line(links), st.small))
    return story


def minutes_title(papers: MeetingPapers) -> str:
    return CONFIDENTIAL_TITLE if papers.formation.confidential else "Compte rendu de réunion"


def _person(invitation: Invitation) -> str:
    text = invitation.name
    if invitation.organisation_name:
        text += f" — {invitation.organisation_name}"
    if invitation.function:
        text += f" ({invitation.function})"
    if invitation.attendance is Attendance.PRESENT and invitation.arrived_at:
        text += f", {agreed('arrive', invitation.name)} à {time_fr(invitation.arrived_at)}"
    if invitation.attendance is Attendance.REPRESENTED and invitation.represented_by.strip():
        text += f", {agreed('represented', invitation.name)} par {invitation.represented_by.strip()}"
    return text


def attendance_groups(invitations: list[Invitation]) -> list[tuple[str, list[Invitation]]]:
    """Present, represented, excused, absent (and not recorded), each in the order of precedence."""
    ordered = sorted(invitations, key=lambda i: (i.walk_in, i.precedence))
    groups = [
        ("Présents", [i for i in ordered if i.attendance is Attendance.PRESENT]),
        ("Représentés", [i for i in ordered if i.attendance is Attendance.REPRESENTED]),
        ("Excusés", [i for i in ordered if i.attendance is Attendance.EXCUSED]),
        ("Absents", [i for i in ordered if i.attendance is Attendance.ABSENT]),
        # substitutes only informed and never recorded did not have to come: they are not "absent"
        (NOT_RECORDED, [i for i in ordered if i.attendance is None and i.role.value == "invited"]),
    ]
    return [(title, people) for title, people in groups if people]


def _attendance(papers: MeetingPapers) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [para("Participants", st.heading)]
    groups = attendance_groups(papers.invitations)
    if not groups:
        return [*story, para("Aucune présence n'a été enregistrée.", st.note)]
    for title, people in groups:
        story.append(para(f"{title} ({len(people)})", st.subheading))
        story += [para(f"– {_person(person)}", st.body) for person in people]
    return story


def _agenda(papers: MeetingPapers, content: MinutesContent) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [CondPageBreak(3 * cm), para("Ordre du jour et échanges", st.heading)]
    items = sorted(papers.meeting.agenda, key=lambda a: a.position)
    if not items:
        return [*story, para("Aucun point n'était inscrit à l'ordre du jour.", st.note)]
    decisions_by_item: dict[int | None, list[Decision]] = {}
    for decision in sorted(content.decisions, key=lambda d: d.position):
        decisions_by_item.setdefault(decision.agenda_item_id, []).append(decision)
    for number, item in enumerate(items, 1):
        heading: list[str] = [Markup(f"{number}. "), item.title]
        if item.presenter.strip():
            heading += [Markup(" <i>("), item.presenter, Markup(")</i>")]
        story.append(para(heading, st.subheading))
        story.append(para(item.notes, st.body_justified) if item.notes.strip()
                     else para("Pas de notes pour ce point.", st.note))
        for decision in decisions_by_item.get(item.id, []):
            story += _with_plan([Markup("<b>Décision :</b> "), decision.text],
                                content.links.of(LinkSource.DECISION, decision.id))
    return story


def _other_decisions(papers: MeetingPapers, content: MinutesContent) -> list[Flowable]:
    item_ids = {item.id for item in papers.meeting.agenda}
    loose = [d for d in sorted(content.decisions, key=lambda d: d.position) if d.agenda_item_id not in item_ids]
    if not loose:
        return []
    st = styles()
    story: list[Flowable] = [para("Autres décisions", st.heading)]
    for number, decision in enumerate(loose, 1):
        story += _with_plan([Markup(f"<b>{number}.</b> "), decision.text],
                            content.links.of(LinkSource.DECISION, decision.id))
    return story


def _actions(content: MinutesContent) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [CondPageBreak(3 * cm), para("Relevé des actions", st.heading)]
    if not content.action_items:
        return [*story, para("Aucune action n'a été décidée.", st.note)]
    rows = []
    for item in content.action_items:
        responsible = " / ".join(p for p in (content.organisation_names.get(item.responsible_organisation_id or 0, ""),
                                             item.responsible_name.strip()) if p)
        status = item.status.label + (f" le {short_date(item.done_on)}" if item.done_on else "")
        links = content.links.of(LinkSource.ACTION_ITEM, item.id)
        text = [para(item.text, st.cell), para(_plan_line(links), st.small)] if links else item.text
        rows.append([text, responsible or "À désigner", short_date(item.due_date) or "—", status])
    return [*story, data_table(ACTION_HEADER, rows, ACTION_WIDTHS)]


def _situations(papers: MeetingPapers, content: MinutesContent) -> list[Flowable]:
    count = content.minutes.situations_examined if content.minutes else 0
    if not papers.formation.confidential or not count:
        return []
    st = styles()
    line = situations_examined_text(count)
    return [para("Situations individuelles", st.heading),
            para(f"{line[0].upper()}{line[1:]}. Les décisions prises sur "
                 "chacune sont inscrites dans sa fiche du suivi individuel, pas dans ce relevé.", st.body)]


def minutes_story(papers: MeetingPapers, content: MinutesContent) -> list[Flowable]:
    st = styles()
    meeting = papers.meeting
    story: list[Flowable] = []
    if papers.formation.confidential:
        story.append(para(bold(CONFIDENTIAL_NOTICE), st.body))
        story.append(Spacer(1, 0.2 * cm))
    story.append(labelled("Instance", f"{formation_title(papers.formation)} — {papers.council.kind.long_name}"))
    if meeting.title.strip():
        story.append(labelled("Objet", meeting.title))
    story.append(labelled("Date", meeting_date_line(meeting)))
    if meeting.place.strip():
        story.append(labelled("Lieu", meeting.place))
    if (line := de_droit_line(meeting)):
        story.append(para(line, st.body))
    minutes = content.minutes
    if minutes and minutes.summary.strip():
        story += [para("Synthèse", st.heading), para(minutes.summary, st.body_justified)]
    story += _attendance(papers) + _agenda(papers, content) + _other_decisions(papers, content)
    story += _situations(papers, content) + _actions(content)
    if minutes and (minutes.written_by.strip() or minutes.approved_on):
        story.append(Spacer(1, 0.4 * cm))
        if minutes.written_by.strip():
            story.append(labelled("Rédigé par", minutes.written_by))
        if minutes.approved_on:
            story.append(labelled("Approuvé le", long_date(minutes.approved_on)))
    return story


def build_minutes_pdf(papers: MeetingPapers, content: MinutesContent, path: Path,
                      today: date | None = None) -> Path:
    """Write the compte rendu to `path` atomically."""
    title = minutes_title(papers)
    subtitle = f"{formation_title(papers.formation)} du {long_date(papers.meeting.starts_at.date())}"
    return build_pdf(path, papers.council, title, minutes_story(papers, content), subtitle=subtitle,
                     today=today, subject=f"{title} — {subtitle}")
