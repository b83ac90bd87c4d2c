"""Compte rendu: attendance lists, notes per item, decisions, actions; confidential groups marked on every page."""

from __future__ import annotations

from datetime import date, datetime

from pypdf import PdfReader

from clspd_desktop.domain.meetings import ActionItem, ActionItemStatus, Attendance, Decision, Minutes
from clspd_desktop.services.reports.minutes_pdf import MinutesContent, build_minutes_pdf
from tests.unit.test_convocations_pdf import CELLULE, TODAY, make_papers, page_texts


def held_papers(formation=None, long_notes: bool = False):
    papers = make_papers(formation) if formation else make_papers()
    by_id = {i.id: i for i in papers.invitations}
    by_id[13].attendance = Attendance.PRESENT
    by_id[13].arrived_at = datetime(2026, 12, 8, 14, 20)
    by_id[15].attendance = Attendance.REPRESENTED
    by_id[15].represented_by = "Mme Substitut <Adjointe>"
    by_id[12].attendance = Attendance.EXCUSED
    by_id[11].attendance = Attendance.ABSENT
    for number, item in enumerate(papers.meeting.agenda, 1):
        item.id = 100 + number
        item.notes = (f"Échanges sur le point {number} : R&D <confidentiel>. " * (60 if long_notes else 1)).strip()
    content = MinutesContent(
        minutes=Minutes(meeting_id=1, summary="Séance <utile> & constructive.", written_by="Julien Perrot",
                        approved_on=date(2026, 12, 20)),
        decisions=[Decision(meeting_id=1, text="Créer une cellule <nuit>", agenda_item_id=101, position=1),
                   Decision(meeting_id=1, text="Prochaine réunion en mars", position=2)],
        action_items=[ActionItem(meeting_id=1, text="Diagnostic <éclairage> & caméras",
                                 responsible_organisation_id=7, responsible_name="M. Bernard",
                                 due_date=date(2027, 2, 1)),
                      ActionItem(meeting_id=1, text="Note au préfet", status=ActionItemStatus.DONE,
                                 done_on=date(2026, 12, 15))],
        organisation_names={7: "Police municipale"})
    return papers, content


def test_minutes_list_attendance_notes_decisions_and_actions(tmp_path):
    papers, content = held_papers()
    path = build_minutes_pdf(papers, content, tmp_path / "cr.pdf", TODAY)
    text = " ".join(page_texts(path))
    for expected in ("Compte rendu de réunion", "Présents (1)", "Mme Anne Préfète — Préfecture de l'Essonne",
                     "arrivée à 14 h 20", "Représentés (1)", "représenté par Mme Substitut <Adjointe>",
                     "Excusés (1)", "M. Paul Bernard", "Absents (1)", "Zoé <SARL> & Fils",
                     "Séance <utile> & constructive.", "1. État de la délinquance <2026>",
                     "Échanges sur le point 1 : R&D <confidentiel>.", "Décision : Créer une cellule <nuit>",
                     "Autres décisions", "Prochaine réunion en mars", "Diagnostic <éclairage> & caméras",
                     "Police municipale / M.", "01/02/2027", "Fait le", "Julien Perrot",
                     "dimanche 20 décembre 2026"):
        assert expected in text, expected
    assert text.index("Présents") < text.index("Représentés") < text.index("Excusés") < text.index("Absents")
    # the informed substitute who did not come is neither absent nor "not recorded"
    assert "Luc Suppléant" not in text
    assert "CONFIDENTIEL" not in text


def test_confidential_minutes_are_marked_on_every_page(tmp_path):
    papers, content = held_papers(CELLULE, long_notes=True)
    path = build_minutes_pdf(papers, content, tmp_path / "rc.pdf", TODAY)
    reader = PdfReader(path)
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert "RELEVÉ DE CONCLUSIONS — CONFIDENTIEL" in page.extract_text()
    assert "Ne pas diffuser" in " ".join(page_texts(path))
    assert reader.metadata.title == "RELEVÉ DE CONCLUSIONS — CONFIDENTIEL"


def test_nothing_recorded_yet(tmp_path):
    papers = make_papers()
    path = build_minutes_pdf(papers, MinutesContent(), tmp_path / "empty.pdf", TODAY)
    text = " ".join(page_texts(path))
    assert "Présence non renseignée (4)" in text and "Aucune action n'a été décidée." in text
    assert "Pas de notes pour ce point." in text
