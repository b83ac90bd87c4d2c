"""Convocations: one letter per invitee (titulars convened, substitutes informed) and one merged PDF of all
letters in the order of precedence, to print them in one go.

The texts shared with the sign-in sheet, the minutes and the .ics invitation (formation title, date line,
place, legal basis) live here so every document of a meeting says the same thing the same way.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from clspd_desktop.db.store import Store
from clspd_desktop.domain.civility import (
    Addressee,
    CivilityForms,
    civility_forms,
    civility_of_name,
    signatory_title,
)
from clspd_desktop.domain.council import Council
from clspd_desktop.domain.dates import long_date, time_fr
from clspd_desktop.domain.directory import Civility, Formation, FormationKind
from clspd_desktop.domain.legal_rules import LegalRules
from clspd_desktop.domain.meetings import (
    DeDroitRequester,
    Invitation,
    InvitationRole,
    Meeting,
    MeetingDocument,
)
from clspd_desktop.errors import UserError
from clspd_desktop.services.pdf import (
    ACCENT,
    Markup,
    bold,
    build_pdf,
    para,
    render_pdf,
    signature_block,
    styles,
)
from clspd_desktop.services.reports.common import require_council, signatory_line

# Used when the rules file lacks an entry; the file's own wording wins (it is dated and replaceable).
FALLBACK_BASIS = {
    "yearly_plenary": "Code de la sécurité intérieure, art. D132-9",
    "confidential_groups": "Code de la sécurité intérieure, art. L132-5",
}
CONFIDENTIALITY_NOTICE = (
    "Ce groupe de travail échange des informations confidentielles (art. L132-5 du code de la sécurité "
    "intérieure). Seuls les membres signataires de la charte déontologique peuvent y siéger. Aucun document "
    "nominatif ne sort de la salle ; les informations partagées ne peuvent être communiquées à des tiers."
)
_UNVERIFIED = re.compile(r"\s*\([^)]*vérifier[^)]*\)", re.IGNORECASE)


@dataclass
class MeetingPapers:
    """Everything the meeting's documents print, read once from the store (or built in memory)."""

    council: Council
    meeting: Meeting
    formation: Formation
    invitations: list[Invitation]
    documents: list[MeetingDocument] = field(default_factory=list)
    addressees: dict[int, Addressee] = field(default_factory=dict)  # by contact id: civility, appellation
    signatory: str = ""  # the signature's title; empty: the council's chair, agreed from the name's civility

    def addressee(self, invitation: Invitation) -> Addressee:
        """Civility and appellation of the referent invited; for a referent since deleted (or an invitation
        built in memory), the civility printed in the copied name."""
        known = self.addressees.get(invitation.contact_id) if invitation.contact_id is not None else None
        return known or Addressee(civility_of_name(invitation.name), "", invitation.function)

    @property
    def signatory_title(self) -> str:
        if (typed := self.signatory.strip() or self.meeting.signatory.strip()):
            return typed
        chair = self.council.chair_name
        return signatory_title(self.council.kind.value, self.council.chair_title,
                               civility_of_name(chair) if chair.startswith(("M. ", "Mme ")) else Civility.NONE)

    def in_precedence(self, include_walk_ins: bool = False) -> list[Invitation]:
        chosen = [i for i in self.invitations if include_walk_ins or not i.walk_in]
        return sorted(chosen, key=lambda i: i.precedence)


def load_papers(store: Store, meeting_id: int) -> MeetingPapers:
    council = require_council(store)
    meeting = store.meetings.get_meeting(meeting_id)
    if meeting is None:
        raise UserError("Cette réunion n'existe plus : elle a peut-être été supprimée entre-temps.")
    formation = store.formations.get(meeting.formation_id)
    if formation is None:
        raise UserError("La formation de cette réunion n'existe plus.")
    invitations = store.meetings.invitations(meeting_id)
    addressees = {}
    for invitation in invitations:
        if invitation.contact_id is not None and (contact := store.directory.get_contact(invitation.contact_id)):
            addressees[invitation.contact_id] = Addressee(contact.civility, contact.appellation, contact.function)
    return MeetingPapers(council, meeting, formation, invitations, store.meetings.documents(meeting_id),
                         addressees, signatory_line(store, council, meeting.signatory))


class SharedBlock(Flowable):
    """Flowables identical on many pages, laid out once and drawn once into a PDF form that every page
    reuses: the merged file of 200 letters stays fast and small. Text in the form remains searchable.

    When the block does not fit in the space left, it hands its flowables back to the page layout
    (a very long agenda then flows over pages as in a single letter).
    """

    def __init__(self, name: str, flowables: list[Flowable]) -> None:
        super().__init__()
        self.name = name
        self.flowables = flowables
        self._laid_out: tuple[float, list[tuple[Flowable, float, float, float]], float] | None = None

    def _layout(self, width: float) -> tuple[float, list[tuple[Flowable, float, float, float]], float]:
        if self._laid_out is None or self._laid_out[0] != width:
            placed, y, previous_after = [], 0.0, 0.0
            for index, flowable in enumerate(self.flowables):
                flow_width, height = flowable.wrap(width, 1e6)
                if index:
                    y += max(previous_after, flowable.getSpaceBefore())
                placed.append((flowable, y, flow_width, height))
                y += height
                previous_after = flowable.getSpaceAfter()
            self._laid_out = (width, placed, y)
        return self._laid_out

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803 (reportlab's names)
        _, _, height = self._layout(aW)
        self.width, self.height = aW, height
        return aW, height

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803
        # copies: the page layout marks flowables it postponed, which must not leak into the next letter
        return [copy.copy(flowable) for flowable in self.flowables]

    def draw(self) -> None:
        canvas = self.canv
        width, placed, height = self._layout(self.width)
        if not canvas.hasForm(self.name):
            canvas.beginForm(self.name, 0, 0, width, height)
            for flowable, top, flow_width, flow_height in placed:  # _sW: room left for hAlign, as a Frame does
                flowable.drawOn(canvas, 0, height - top - flow_height, _sW=width - flow_width)
            canvas.endForm()
        canvas.doForm(self.name)


# --- texts shared by every document of a meeting ----------------------------------------------------------
def formation_title(formation: Formation) -> str:
    """'Formation plénière', 'Formation restreinte' or 'Groupe de travail « X »'."""
    return formation.display_name


def meeting_date_line(meeting: Meeting) -> str:
    """'mardi 8 décembre 2026 à 14 h 00' (end time added when known)."""
    text = f"{long_date(meeting.starts_at.date())} à {time_fr(meeting.starts_at)}"
    if meeting.ends_at.date() == meeting.starts_at.date():
        text += f" (fin prévue à {time_fr(meeting.ends_at)})"
    return text


def place_lines(meeting: Meeting) -> list[str]:
    lines = []
    if meeting.place.strip():
        lines.append(f"Lieu : {meeting.place.strip()}")
    if meeting.video_link.strip():
        lines.append(f"Visioconférence : {meeting.video_link.strip()}")
    return lines or ["Lieu : à préciser"]


def legal_basis(formation: Formation, rules: LegalRules | None) -> str:
    """The article the meeting rests on, worded as in the dated rules file, without its review remarks."""
    key = "confidential_groups" if formation.kind is FormationKind.WORKING_GROUP else "yearly_plenary"
    source = (rules.rules.get(key, {}).get("source") if rules else None) or FALLBACK_BASIS[key]
    if key == "confidential_groups" and not formation.confidential:
        source = source.split(";")[0]  # the charter part only concerns confidential groups
    return _UNVERIFIED.sub("", source).strip()


def coordinator_line(council: Council) -> str:
    parts = [council.coordinator_name, council.coordinator_function,
             council.coordinator_phone or council.phone, council.coordinator_email or council.email]
    return " · ".join(p.strip() for p in parts if p and p.strip())


def de_droit_line(meeting: Meeting) -> str:
    if not meeting.de_droit:
        return ""
    text = "Réunion de droit"
    if meeting.de_droit_requester is not DeDroitRequester.NONE:
        text += f", {meeting.de_droit_requester.label[0].lower()}{meeting.de_droit_requester.label[1:]}"
    if meeting.de_droit_requested_on:
        text += f" (demande du {long_date(meeting.de_droit_requested_on)})"
    return text + "."


def letter_title(papers: MeetingPapers) -> str:
    return f"Convocation — {formation_title(papers.formation)} du {long_date(papers.meeting.starts_at.date())}"


# --- the letter -------------------------------------------------------------------------------------------
def _address_block(invitation: Invitation) -> Flowable:
    st = styles()
    lines = [para(bold(invitation.name), st.body)]
    lines += [para(text, st.body) for text in (invitation.function, invitation.organisation_name) if text.strip()]
    padding = [(side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]
    return Table([[line] for line in lines], colWidths=["48%"], hAlign="RIGHT", style=TableStyle(padding))


def _facts(papers: MeetingPapers) -> Flowable:
    """Formation, date, place and what makes the meeting special, as a two-column block easy to scan."""
    st = styles()
    meeting, formation = papers.meeting, papers.formation
    rows = [("Instance", f"{formation_title(formation)} — {papers.council.kind.long_name}")]
    if meeting.title.strip():
        rows.append(("Objet", meeting.title.strip()))
    rows.append(("Date", meeting_date_line(meeting)))
    for place in place_lines(meeting):
        label, value = place.split(" : ", 1)
        rows.append((label, value))
    if (line := de_droit_line(meeting)):
        rows.append(("Convocation", line))
    data = [[para(bold(label), st.body), para(value, st.body)] for label, value in rows]
    return Table(data, colWidths=["22%", "78%"], hAlign="LEFT", style=TableStyle([
        ("LINEBEFORE", (0, 0), (0, -1), 2, ACCENT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))


def _agenda(papers: MeetingPapers) -> list[Flowable]:
    st = styles()
    items = sorted(papers.meeting.agenda, key=lambda a: a.position)
    if not items:
        return [para("L'ordre du jour vous sera communiqué ultérieurement.", st.note)]
    flowables: list[Flowable] = []
    for number, item in enumerate(items, 1):
        parts: list[str] = [Markup(f"<b>{number}.</b> "), item.title]
        if item.presenter.strip():
            parts += [Markup(" — <i>"), item.presenter, Markup("</i>")]
        flowables.append(para(parts, st.body))
    return flowables


def _reply_slip(papers: MeetingPapers, invitation: Invitation) -> Flowable:
    st = styles()
    forms, civility = civility_forms(), papers.addressee(invitation).civility
    deadline = papers.meeting.reply_deadline
    when = f"avant le {long_date(deadline)}" if deadline else "au plus tard la veille de la réunion"
    contact = papers.council.coordinator_email or papers.council.email
    rows = [
        para(bold(f"Coupon-réponse à retourner {when}" + (f" à {contact}" if contact else "")), st.body),
        para(f"{invitation.name}" + (f" — {invitation.organisation_name}" if invitation.organisation_name else ""),
             st.body),
        para(f"☐ sera {forms.agree('present', civility)}", st.body),
        para(f"☐ sera {forms.agree('represented', civility)} par : ______________________________________________",
             st.body),
        para(f"☐ sera {forms.agree('excused', civility)}", st.body),
    ]
    box = Table([[r] for r in rows], colWidths=["100%"], style=TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.6, ACCENT), ("LINEABOVE", (0, 0), (-1, 0), 0.6, ACCENT),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 8)]))
    return KeepTogether([Spacer(1, 0.5 * cm), para("✂ " + "- " * 58, st.small), Spacer(1, 0.15 * cm), box])


@dataclass
class LetterParts:
    """A letter's text common to every invitee of a variant (convened or informed): the subject, the facts
    and agenda, the signature. What depends on the person (salutation, opening, closing) goes between."""

    head: list[Flowable]
    middle: list[Flowable]
    tail: list[Flowable]


def _letter_parts(papers: MeetingPapers, informed: bool, today: date, rules: LegalRules | None) -> LetterParts:
    st = styles()
    formation, council = papers.formation, papers.council
    subject = "Information" if informed else "Convocation"
    head: list[Flowable] = [
        para([Markup("<b>Objet :</b> "), f"{subject} — {formation_title(formation)} du {council.kind.value}"],
             st.body),
        para([Markup("<b>Fondement :</b> "), legal_basis(formation, rules)], st.small)]
    middle: list[Flowable] = [_facts(papers), para("Ordre du jour", st.subheading), *_agenda(papers)]
    if papers.documents:
        # a confidential group's papers never travel: they are handed out in the room
        middle.append(para("Documents remis en séance" if formation.confidential else "Documents joints",
                           st.subheading))
        middle += [para(f"– {doc.original_name}", st.body) for doc in papers.documents]
    if formation.confidential:
        middle.append(Spacer(1, 0.25 * cm))
        middle.append(Table([[para([Markup("<b>Confidentialité.</b> "), CONFIDENTIALITY_NOTICE], st.small)]],
                            colWidths=["100%"], style=TableStyle([("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
                                                                  ("LEFTPADDING", (0, 0), (-1, -1), 6),
                                                                  ("RIGHTPADDING", (0, 0), (-1, -1), 6)])))
    signature = signature_block(council, today, signatory=papers.signatory_title)
    tail: list[Flowable] = signature._content if isinstance(signature, KeepTogether) else [signature]
    if (contact := coordinator_line(council)):
        tail += [Spacer(1, 0.3 * cm), para([Markup("<b>Contact :</b> "), contact], st.small)]
    return LetterParts(head, middle, tail)


def _opening(person: Addressee, informed: bool, forms: CivilityForms) -> str:
    if not informed:
        return "J'ai l'honneur de vous convier à la réunion ci-dessous."
    return (f"En qualité de {forms.agree('suppleant', person.civility)}, vous êtes "
            f"{forms.agree('informe', person.civility)} de la réunion ci-dessous, à laquelle vous siégez en cas "
            "d'empêchement du membre titulaire de votre institution.")


def _closing(person: Addressee, informed: bool, forms: CivilityForms) -> str:
    """The formula suited to the rank: « ma haute considération » for the préfet and the procureur."""
    return forms.closing(person) if informed else \
        forms.closing(person, "Comptant sur votre présence, je vous prie d'agréer")


def letter_story(papers: MeetingPapers, invitation: Invitation, today: date,
                 rules: LegalRules | None = None, parts: tuple[Flowable, Flowable, Flowable] | None = None
                 ) -> list[Flowable]:
    """One invitee's letter, addressed to the person (appellation, closing for the rank, agreed words);
    substitutes get the 'pour information' variant (no reply requested). `parts` are the shared head, middle
    and tail ready to draw once (the merged file reuses them on every letter)."""
    st, forms = styles(), civility_forms()
    informed = invitation.role is InvitationRole.INFORMED
    person = papers.addressee(invitation)
    if parts is None:
        text = _letter_parts(papers, informed, today, rules)
        head, middle, tail = text.head, text.middle, text.tail
    else:
        head, middle, tail = ([flowable] for flowable in parts)
    story: list[Flowable] = [_address_block(invitation), Spacer(1, 0.6 * cm), *head, Spacer(1, 0.4 * cm),
                             para(forms.salutation(person), st.body), Spacer(1, 0.2 * cm),
                             para(_opening(person, informed, forms), st.body_justified), Spacer(1, 0.2 * cm),
                             *middle, Spacer(1, 0.3 * cm), para(_closing(person, informed, forms), st.body_justified),
                             *tail]
    if not informed:
        story.append(_reply_slip(papers, invitation))
    return story


def _letters(papers: MeetingPapers, invitations: Sequence[Invitation], today: date,
             rules: LegalRules | None) -> list[Flowable]:
    convened = _letter_parts(papers, False, today, rules)
    informed_head = _letter_parts(papers, True, today, rules).head
    # the middle and the tail are the same for both variants: one form each
    middle, tail = SharedBlock("convocation-middle", convened.middle), SharedBlock("convocation-tail", convened.tail)
    shared = {False: (SharedBlock("convocation-invitation-head", convened.head), middle, tail),
              True: (SharedBlock("convocation-information-head", informed_head), middle, tail)}
    story: list[Flowable] = []
    for index, invitation in enumerate(invitations):
        if index:
            story.append(PageBreak())
        story += letter_story(papers, invitation, today, rules, shared[invitation.role is InvitationRole.INFORMED])
    return story


def _require_invitees(papers: MeetingPapers) -> list[Invitation]:
    invitees = papers.in_precedence()
    if not invitees:
        raise UserError("Aucun invité pour cette réunion : ajoutez les membres convoqués avant d'éditer "
                        "les convocations.")
    return invitees


def render_letter(papers: MeetingPapers, invitation: Invitation, today: date | None = None,
                  rules: LegalRules | None = None) -> bytes:
    """One invitee's convocation as bytes: the e-mail attachment."""
    today = today or date.today()
    return render_pdf(papers.council, letter_title(papers), letter_story(papers, invitation, today, rules),
                      today=today, show_title=False, subject=letter_title(papers))


def build_merged_convocations(papers: MeetingPapers, path: Path, today: date | None = None,
                              rules: LegalRules | None = None) -> Path:
    """All letters, one after the other in the order of precedence, to print in one go (atomic write)."""
    today = today or date.today()
    story = _letters(papers, _require_invitees(papers), today, rules)
    return build_pdf(path, papers.council, letter_title(papers), story, today=today, show_title=False,
                     subject=letter_title(papers))


def build_convocation_files(papers: MeetingPapers, folder: Path, today: date | None = None,
                            rules: LegalRules | None = None) -> list[Path]:
    """One PDF per invitee in `folder` ('01-Nom.pdf', in order of precedence), plus the merged file first."""
    from clspd_desktop.safe_files import write_bytes_atomically

    today = today or date.today()
    invitees = _require_invitees(papers)
    written = [build_merged_convocations(papers, folder / "convocations-toutes.pdf", today, rules)]
    for number, invitation in enumerate(invitees, 1):
        written.append(write_bytes_atomically(folder / f"{number:03d}-{safe_file_stem(invitation.name)}.pdf",
                                              render_letter(papers, invitation, today, rules)))
    return written


def safe_file_stem(text: str, limit: int = 60) -> str:
    """A name Windows accepts for a file: no reserved characters, no trailing dot or space."""
    cleaned = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "_", text).strip(" ._")
    return (cleaned[:limit].rstrip(" ._") or "invite")
