"""The « Envoi à la préfecture » tab: the year, the documents (unavailable ones greyed with their reason), the
pack built with its password shown for the phone, the log and the e-mail."""

from __future__ import annotations

import email
from datetime import date
from email import policy
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from clspd_desktop.domain.directory import FormationKind, Membership, MembershipCategory
from clspd_desktop.services import mail
from clspd_desktop.services.archive import verify_archive
from clspd_desktop.services.demo_data import populate_demo
from clspd_desktop.services.passwords import groups
from clspd_desktop.services.prefecture_pack import PACK_KIND
from clspd_desktop.ui.backups.pack_panel import PackPanel
from clspd_desktop.ui.backups.password_dialogs import ShowPasswordDialog
from tests.factories import add_contact, add_organisation
from tests.unit.test_convocation_sending import smtp_server  # noqa: F401 (fixture)


@pytest.fixture
def panel(qtbot, ctx):
    widget = PackPanel(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def click_and_wait(qtbot, ctx, button) -> None:
    """Click, then wait for the work it started on the runner's worker to end."""
    button.click()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=30_000)


def close(dialog: QDialog) -> None:
    dialog.accept()


def entries(panel: PackPanel) -> dict[str, object]:
    return {panel.items.item(i).data(Qt.ItemDataRole.UserRole): panel.items.item(i)
            for i in range(panel.items.count())}


def set_ticked(panel: PackPanel, keys: set[str]) -> None:
    for key, entry in entries(panel).items():
        if entry.flags() & Qt.ItemFlag.ItemIsEnabled:
            entry.setCheckState(Qt.CheckState.Checked if key in keys else Qt.CheckState.Unchecked)


def with_prefecture_address(ctx) -> None:
    council = ctx.store.council.get()
    council.prefecture_email = "pref-clspd@essonne.gouv.fr"
    ctx.store.council.save(council)


def test_unavailable_documents_are_greyed_with_their_reason(qtbot, panel, ctx, dialogs):
    assert panel.year_box.currentData() == date.today().year
    assert all(not entry.flags() & Qt.ItemFlag.ItemIsEnabled for entry in entries(panel).values())
    plan = entries(panel)["plan-pdf"]
    assert plan.toolTip() == "Aucun plan d'actions n'est encore saisi."
    assert plan.text() == "Plan d'actions en cours (PDF) — Aucun plan d'actions n'est encore saisi."
    assert plan.checkState() == Qt.CheckState.Unchecked
    assert panel.chosen_items() == []
    click_and_wait(qtbot, ctx, panel.pack_button)
    assert dialogs.warned[-1] == ("Envoi impossible", "Choisissez au moins un document à envoyer.")
    assert ctx.store.packs.all() == []

    add_organisation(ctx.store, "Mission locale")
    panel.refresh()
    assert panel.chosen_items() == ["annuaire-pdf", "annuaire-xlsx"]
    assert entries(panel)["annuaire-pdf"].toolTip() == ""


def test_pack_shows_its_password_logs_it_and_prepares_the_email(qtbot, panel, ctx, modals, monkeypatch,
                                                                qtmodeltester):
    with_prefecture_address(ctx)
    agent = add_contact(ctx.store, add_organisation(ctx.store), "Martin")
    ctx.store.formations.save_membership(Membership(
        formation_id=ctx.store.formations.by_kind(FormationKind.PLENARY).id, contact_id=agent.id,
        category=MembershipCategory.DE_DROIT))
    panel.refresh()
    assert panel.chosen_items() == ["annuaire-pdf", "composition-pdf", "annuaire-xlsx"]
    first: list[ShowPasswordDialog] = []
    modals.then(lambda d: (first.append(d), close(d)))
    click_and_wait(qtbot, ctx, panel.pack_button)
    assert "jamais dans le courriel" in first[0].advice.text()
    qtmodeltester.check(panel.pack_table.model())
    assert panel.pack_table.model().rowCount() == 1
    assert panel.pack_table.current_record().recipient == "pref-clspd@essonne.gouv.fr"

    again: list[str] = []
    modals.then(lambda d: (again.append(d.password), close(d)))
    panel.show_password_button.click()
    assert again == [first[0].password]

    opened = []
    monkeypatch.setattr(mail, "open_with_system", opened.append)
    panel.email_button.click()
    assert opened and opened[0].suffix == ".eml"
    assert first[0].password not in opened[0].read_text(encoding="ascii", errors="replace")
    assert panel.pack_table.model().index(0, 3).data().startswith("courriel préparé le")


def test_tick_documents_pick_a_year_and_build(qtbot, ctx, modals):
    populate_demo(ctx.store)
    with_prefecture_address(ctx)
    panel = PackPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    last_year = date.today().year - 1
    years = [panel.year_box.itemData(i) for i in range(panel.year_box.count())]
    assert years[:2] == [date.today().year, last_year] and panel.year_box.currentData() == last_year
    assert all(entry.flags() & Qt.ItemFlag.ItemIsEnabled for entry in entries(panel).values())

    set_ticked(panel, {"bilan-pdf", "comptes-rendus", "presences-xlsx", "plan-pdf"})
    entries(panel)["plan-pdf"].setCheckState(Qt.CheckState.Unchecked)
    year = years[-1]
    panel.year_box.setCurrentIndex(panel.year_box.findData(year))
    assert entries(panel)["comptes-rendus"].text().startswith(f"Comptes rendus {year} des réunions")
    assert panel.chosen_items() == ["bilan-pdf", "presences-xlsx", "comptes-rendus"]  # ticks survive the change

    shown: list[ShowPasswordDialog] = []
    modals.then(lambda d: (shown.append(d), close(d)))
    click_and_wait(qtbot, ctx, panel.pack_button)
    (dialog,) = shown
    assert dialog.windowTitle() == "Mot de passe de l'envoi à la préfecture"
    assert dialog.password_label.text() == dialog.password and [len(g) for g in groups(dialog.password)] == [5] * 5
    record = panel.pack_table.current_record()
    assert record.contents[0] == f"Bilan annuel {year} (PDF)"
    assert record.contents[1] == f"Statistiques de présence {year}, hors groupes confidentiels (tableur XLSX)"
    assert record.contents[2].startswith(f"Comptes rendus {year} des réunions non confidentielles (PDF) — ")
    assert f"Comptes rendus {year}" in panel.pack_table.model().index(0, 2).data()
    manifest = verify_archive(Path(record.file_path), dialog.password, PACK_KIND)
    names = set(manifest.members)
    assert {f"Bilan annuel {year}.pdf", f"Statistiques de présence {year}.xlsx"} <= names
    minutes = {n for n in names if n.startswith("Comptes rendus/")}
    assert minutes and all(n.startswith(f"Comptes rendus/{year}-") for n in minutes)
    assert names == minutes | {f"Bilan annuel {year}.pdf", f"Statistiques de présence {year}.xlsx"}


def test_stopping_the_preparation_writes_and_logs_nothing(qtbot, panel, ctx, dialogs, modals, monkeypatch):
    """« Annuler » pressed while the first document is built: the pack stops before the next step."""
    import threading

    from clspd_desktop.services import prefecture_pack

    add_organisation(ctx.store, "Mission locale")
    panel.refresh()
    building, release = threading.Event(), threading.Event()
    build = prefecture_pack.PackItem.build

    def slow_build(item, *args):
        building.set()
        release.wait(10)
        return build(item, *args)

    monkeypatch.setattr(prefecture_pack.PackItem, "build", slow_build)
    panel.pack_button.click()
    assert ctx.runner.busy and ctx.runner.cancellable
    assert building.wait(10)
    ctx.runner.cancel()
    release.set()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    assert modals.opened == [] and dialogs.warned == []
    assert ctx.store.packs.all() == [] and list(ctx.paths.exports_dir.iterdir()) == []
    assert not list(ctx.paths.data_dir.glob(".envoi-*"))


def test_no_second_pack_while_one_is_built(qtbot, panel, ctx, dialogs, modals, monkeypatch):
    import threading

    from clspd_desktop.services import prefecture_pack

    add_organisation(ctx.store, "Mission locale")
    panel.refresh()
    release = threading.Event()
    build = prefecture_pack.PackItem.build
    monkeypatch.setattr(prefecture_pack.PackItem, "build", lambda item, *a: (release.wait(10), build(item, *a))[1])
    modals.then(close)
    panel.pack_button.click()
    assert not panel.pack_button.isEnabled()
    panel.make_pack()  # e.g. from a shortcut: refused with a message, not queued
    assert dialogs.informed[-1][0] == "Opération en cours"
    release.set()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=30_000)
    assert len(ctx.store.packs.all()) == 1 and len(modals.opened) == 1


def _built_pack(qtbot, panel: PackPanel, ctx, modals, account: mail.SmtpSettings) -> str:
    """A pack of the directory, selected in the log, with `account` to send it by SMTP; its password."""
    with_prefecture_address(ctx)
    add_contact(ctx.store, add_organisation(ctx.store), "Martin")
    panel.refresh()
    shown: list[str] = []
    modals.then(lambda d: (shown.append(d.password), close(d)))
    click_and_wait(qtbot, ctx, panel.pack_button)
    account.save(ctx.store.settings)
    panel.refresh()
    panel.pack_table.select_where(lambda p: True)
    return shown[0]


def test_smtp_sends_the_pack_to_the_prefecture_and_logs_it(qtbot, panel, ctx, modals, dialogs, smtp_server):  # noqa: F811
    """Sent on a thread behind a « en cours » window (a slow line takes a minute for a few Mo); the log says
    « envoyé » only once the server took the message, and the password never travels with it."""
    inbox, settings = smtp_server()
    password = _built_pack(qtbot, panel, ctx, modals, settings)
    assert panel.smtp_button.isEnabled()
    click_and_wait(qtbot, ctx, panel.smtp_button)
    assert dialogs.informed[-1][0] == "Envoi terminé"
    ((recipients, content),) = inbox.messages
    assert recipients == ["pref-clspd@essonne.gouv.fr"]
    message = email.message_from_bytes(content, policy=policy.default)
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename().endswith(".7z") and len(attachment.get_content()) > 1000
    assert password not in content.decode("ascii", errors="replace")
    pack = ctx.store.packs.all()[0]
    assert pack.sent_at is not None and pack.sent_via == "smtp"


def test_smtp_server_down_says_so_and_logs_nothing(qtbot, panel, ctx, modals, dialogs):
    from tests.unit.test_mail import free_port

    _built_pack(qtbot, panel, ctx, modals, mail.SmtpSettings(host="127.0.0.1", port=free_port(), security="none",
                                                      sender="a@b.fr"))
    click_and_wait(qtbot, ctx, panel.smtp_button)
    title, text = dialogs.warned[-1]
    assert title == "Envoi impossible" and "Impossible de joindre le serveur" in text
    assert ctx.store.packs.all()[0].sent_at is None


def test_smtp_with_the_pack_file_gone_says_so(qtbot, panel, ctx, modals, dialogs, smtp_server):  # noqa: F811
    inbox, settings = smtp_server()
    _built_pack(qtbot, panel, ctx, modals, settings)
    Path(ctx.store.packs.all()[0].file_path).unlink()
    click_and_wait(qtbot, ctx, panel.smtp_button)
    assert "introuvable" in dialogs.warned[-1][1]
    assert inbox.messages == [] and ctx.store.packs.all()[0].sent_at is None


def test_documents_are_checked_when_first_shown_then_follow_every_change(qtbot, ctx):
    from clspd_desktop.services.operations import Change, done

    def add_partner(env):
        with env.store.transaction():
            add_organisation(env.store, "Mission locale")
        return done(None, Change.DIRECTORY)

    panel = PackPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.items.count() == 0  # the Sauvegardes area opens without checking every document
    panel.show()
    assert panel.items.count() > 0 and panel.chosen_items() == []
    ctx.runner.call(add_partner)  # made in another area: the panel follows
    assert panel.chosen_items() == ["annuaire-pdf", "annuaire-xlsx"]


def test_the_years_caption_stays_on_one_line_at_1366_pixels(qtbot, ctx):
    """Seen in the walk: « (bilan annuel, comptes rendus et statistiques de présence) » broke on two lines
    beside the year with most of the row empty."""
    widget = PackPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(1150, 680)
    widget.show()
    qtbot.waitExposed(widget)
    caption = widget.year_caption
    assert caption.height() < 2 * caption.fontMetrics().lineSpacing()
    assert caption.width() >= caption.fontMetrics().horizontalAdvance(caption.text())
