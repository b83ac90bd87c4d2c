"""The sign-in sheet (feuille d'émargement): invitees in the order of precedence with a signature column,
then blank lines for walk-ins. Landscape, header repeated on every page; it is annexed to the bilan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer, TableStyle

from clspd_desktop.domain.civility import agreed
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.meetings import Invitation, InvitationRole
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import UserError
from clspd_desktop.services.pdf import (
    RULE,
    Markup,
    PageLayout,
    build_pdf,
    data_table,
    para,
    styles,
    title_block,
)
from clspd_desktop.services.reports.convocations_pdf import MeetingPapers, formation_title, meeting_date_line

HEADER = ["N°", "Nom", "Organisation", "Fonction", "Qualité", "Représenté par", "Signature"]
WIDTHS = ["4%", "19%", "21%", "16%", "9%", "13%", "18%"]
DEFAULT_BLANK_LINES = 8
MIN_FITTED_BLANK_LINES = 3  # fewer would leave no room for walk-ins: a second page of blank lines then
MAX_BLANK_LINES = 200
SIGNATURE_HEIGHT = 0.75 * cm  # room for a handwritten signature


def sheet_title(papers: MeetingPapers) -> str:
    return f"Feuille d'émargement — {formation_title(papers.formation)}"


def _quality(invitation: Invitation) -> str:
    if invitation.walk_in:
        return f"Non {agreed('convoque', invitation.name)}"
    return "Titulaire" if invitation.role is InvitationRole.INVITED else agreed("suppleant", invitation.name, True)


def _signature_cell() -> Flowable:
    return Spacer(1, SIGNATURE_HEIGHT)


def sheet_story(papers: MeetingPapers, blank_lines: int = DEFAULT_BLANK_LINES) -> list[Flowable]:
    st = styles()
    if not 0 <= blank_lines <= MAX_BLANK_LINES:
        raise UserError(f"Le nombre de lignes vierges doit être compris entre 0 et {MAX_BLANK_LINES}.")
    meeting = papers.meeting
    story: list[Flowable] = []
    facts = [meeting_date_line(meeting)]
    if meeting.place.strip():
        facts.append(meeting.place.strip())
    if meeting.title.strip():
        story.append(para(meeting.title, st.body))
    story.append(para(" — ".join(facts), st.body))
    if papers.formation.confidential:
        story.append(para([Markup("<b>Groupe confidentiel</b> : "),
                           "seuls les signataires de la charte déontologique peuvent siéger et signer."], st.note))
    story.append(Spacer(1, 0.25 * cm))
    rows = []
    walk_ins = sorted((i for i in papers.invitations if i.walk_in), key=lambda i: i.precedence)
    invitees = papers.in_precedence() + walk_ins  # people who came unannounced close the list
    for number, invitation in enumerate(invitees, 1):
        rows.append([str(number), invitation.name, invitation.organisation_name, invitation.function,
                     _quality(invitation), "", _signature_cell()])
    for number in range(len(invitees) + 1, len(invitees) + blank_lines + 1):
        rows.append([str(number), "", "", "", "", "", _signature_cell()])
    if not rows:
        raise UserError("La feuille d'émargement serait vide : ajoutez des invités ou des lignes vierges.")
    table = data_table(HEADER, rows, WIDTHS, zebra=False)
    table.setStyle(TableStyle([("INNERGRID", (0, 0), (-1, -1), 0.4, RULE)]))  # a box per signature
    story.append(table)
    story.append(Spacer(1, 0.3 * cm))
    story.append(para(f"{plural(len(invitees), 'invité')} ; lignes vierges pour les personnes non convoquées.", st.small))
    return story


def _height(flowables: list[Flowable], width: float, room: float) -> float:
    return sum(f.wrap(width, room)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)


def fitted_blank_lines(papers: MeetingPapers, subtitle: str) -> int:
    """The default blank lines, fewer when that keeps a short sheet on one page (3 invitees and 8 blank lines
    spilled the last lines and the count onto a second page); a sheet that needs several pages anyway, or
    that would keep fewer than 3 lines for walk-ins, gets the default."""
    layout = PageLayout.a4(landscape_orientation=True)
    heading = title_block(sheet_title(papers), subtitle)
    for blank in range(DEFAULT_BLANK_LINES, MIN_FITTED_BLANK_LINES - 1, -1):
        story = heading + sheet_story(papers, blank)
        if _height(story, layout.content_width, layout.content_height) <= layout.content_height - 2:
            return blank
    return DEFAULT_BLANK_LINES


def build_signin_sheet(papers: MeetingPapers, path: Path, today: date | None = None,
                       blank_lines: int | None = None) -> Path:
    """Write the sheet to `path` atomically (landscape A4); `blank_lines` None: as many as keep a short sheet
    on one page, at most the default."""
    today = today or date.today()
    subtitle = f"{papers.council.kind.long_name} — {long_date(papers.meeting.starts_at.date())}"
    if blank_lines is None:
        blank_lines = fitted_blank_lines(papers, subtitle)
    story = sheet_story(papers, blank_lines)
    return build_pdf(path, papers.council, sheet_title(papers), story, subtitle=subtitle, landscape=True,
                     today=today, subject=sheet_title(papers))
