"""Convocations et envoi panel: PDFs saved through the file dialog, drafts, SMTP with per-recipient results,
cancellation notice, late flag against the notice period."""

from __future__ import annotations

import email
from datetime import date
from email import policy

import pdfplumber
import pytest
from PySide6.QtCore import Qt

from clspd_desktop.domain.meetings import MeetingStatus
from clspd_desktop.services import mail
from clspd_desktop.services.convocation_sending import Outcome
from clspd_desktop.services.mail import SmtpSettings
from clspd_desktop.ui.meetings.documents_panel import MeetingDocumentsPanel
from tests.unit.test_convocation_sending import make_meeting, smtp_server  # noqa: F401 (fixture)


@pytest.fixture
def opened(monkeypatch):
    calls = []
    monkeypatch.setattr(mail, "open_with_system", calls.append)
    return calls


@pytest.fixture
def panel(qtbot, ctx, tmp_path):
    meeting = make_meeting(ctx.store, ctx.paths, tmp_path)
    widget = MeetingDocumentsPanel(ctx, meeting.id)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def finished(qtbot, ctx) -> None:
    """Documents and sending run on the worker: wait until the result is delivered."""
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)


def text_of(path) -> str:
    with pdfplumber.open(path) as pdf:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)


def test_pdfs_saved_where_the_user_chose(panel, dialogs, tmp_path, qtbot, ctx):
    for button, name, expected in ((panel.convocations_button, "conv", "Objet : Convocation"),
                                   (panel.signin_button, "emargement", "Feuille d'émargement"),
                                   (panel.minutes_button, "cr", "Compte rendu de réunion")):
        dialogs.files.append(tmp_path / name)  # no extension typed: .pdf added
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        finished(qtbot, ctx)
        assert expected in text_of(tmp_path / f"{name}.pdf")
    assert len(dialogs.informed) == 3 and dialogs.warned == []
    dialogs.files.append(None)  # the user closes the dialog: nothing happens
    qtbot.mouseClick(panel.signin_button, Qt.MouseButton.LeftButton)
    assert len(dialogs.informed) == 3


def test_drafts_open_the_folder_and_record_dates_when_confirmed(panel, dialogs, opened, ctx, qtbot):
    dialogs.confirms.append(True)
    panel.drafts_button.click()
    finished(qtbot, ctx)
    assert opened == [ctx.paths.exports_dir / "convocations" / opened[0].name]
    assert len(list(opened[0].glob("*.eml"))) == 4
    assert "Sans adresse e-mail (à envoyer par courrier) : Mme Eve Sansmail" in dialogs.informed[-1][1]
    sent = [i for i in ctx.store.meetings.invitations(panel.meeting_id) if i.sent_at]
    assert len(sent) == 4 and "Convocations envoyées : 3 sur 4" in panel.notice.text()


def test_single_bcc_draft_is_opened_itself(panel, dialogs, opened, ctx, qtbot):
    panel.draft_mode.setCurrentIndex(1)
    dialogs.confirms.append(False)  # not sent yet: no date recorded
    panel.drafts_button.click()
    finished(qtbot, ctx)
    (draft,) = opened
    assert draft.suffix == ".eml" and "Bcc" in email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert "Convocations envoyées : 0 sur 4" in panel.notice.text()


def test_smtp_sending_shows_one_result_per_recipient(panel, dialogs, ctx, smtp_server, qtbot):  # noqa: F811
    inbox, settings = smtp_server(refused={"zoe@asso.fr"})
    settings.save(ctx.store.settings)
    dialogs.confirms.append(True)
    assert panel.send_smtp()
    finished(qtbot, ctx)
    report = panel.last_report
    assert report.count(Outcome.SENT) == 3 and len(inbox.messages) == 3
    assert panel.results.isVisibleTo(panel) and panel.results.rowCount() == 5
    outcomes = {panel.results.item(r, 0).text(): panel.results.item(r, 2).text() for r in range(5)}
    assert outcomes["Mme Léa <Zoé>"] == "Refusé" and outcomes["Mme Eve Sansmail"] == "Sans adresse"
    assert outcomes["Mme Anne Préfète"] == "Envoyé"
    assert dialogs.informed[-1][0] == "Envoi terminé"


def test_server_down_warns_and_records_nothing(panel, dialogs, ctx, qtbot):
    from tests.unit.test_mail import free_port

    SmtpSettings(host="127.0.0.1", port=free_port(), security="none", sender="a@b.fr").save(ctx.store.settings)
    dialogs.confirms.append(True)
    panel.send_smtp()
    finished(qtbot, ctx)
    title, text = dialogs.warned[-1]
    assert title == "Envoi interrompu" and "Impossible de joindre le serveur" in text
    assert all(i.sent_at is None for i in ctx.store.meetings.invitations(panel.meeting_id))


def test_smtp_without_account_explains(panel, dialogs):
    panel.smtp_button.click()
    assert "Aucun compte d'envoi" in dialogs.warned[-1][1]


def test_cancel_and_notify_by_drafts(panel, dialogs, opened, ctx, qtbot):
    dialogs.confirms.append(True)
    panel.cancel_button.click()
    finished(qtbot, ctx)
    assert ctx.store.meetings.get_meeting(panel.meeting_id).status is MeetingStatus.CANCELLED
    assert all(p.name.split("-", 1)[1].startswith("annulation") for p in opened[0].glob("*.eml"))
    assert "Réunion annulée" in panel.notice.text()


def test_late_flag_against_the_notice_period(panel, ctx):
    panel.refresh(today=date(2026, 11, 21))  # plenary on 8 December, 15 clear days: last day 22 November
    assert not panel.late and "date limite d'envoi : dimanche 22 novembre 2026" in panel.notice.text()
    panel.refresh(today=date(2026, 11, 25))
    assert panel.late and "EN RETARD : 4 convocations non envoyées" in panel.notice.text()
    ctx.store.meetings.set_notice_days(5, 5)
    panel.refresh(today=date(2026, 11, 25))
    assert not panel.late


def test_each_document_can_be_printed_with_the_launcher_replaced(qtbot, panel, dialogs, ctx, monkeypatch):
    from clspd_desktop.services import printing

    printed = []
    real = printing.Launchers
    monkeypatch.setattr(printing, "Launchers", lambda: real(
        platform="linux", which=lambda name: "/usr/bin/lp", lp=lambda command, path: printed.append(path)))
    for button, expected in zip(panel.print_buttons, ("Objet : Convocation", "Feuille d'émargement",
                                                      "Compte rendu de réunion"), strict=True):
        assert button.text() == "Imprimer"
        button.click()
        qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)  # written on the worker, then printed
        assert printed[-1].parent == ctx.paths.exports_dir / "impressions"
        assert expected in text_of(printed[-1])
        assert "envoyé à l'imprimante" in dialogs.informed[-1][1]
    assert len(printed) == 3 and not dialogs.files  # no file dialog: printing asks nothing
