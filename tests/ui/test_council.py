"""The first-launch assistant, the Conseil screen and the dashboard, driven as a user would."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.council import Commune, CouncilKind
from clspd_desktop.domain.directory import Membership
from clspd_desktop.ui.council.assistant import CouncilAssistant
from clspd_desktop.ui.council.communes_model import CommunesModel
from clspd_desktop.ui.council.council_page import CouncilPage
from clspd_desktop.ui.dashboard import DashboardPage
from tests.factories import add_contact, add_organisation, add_working_group


@pytest.fixture
def empty_ctx(paths, store):
    return AppContext.create(paths, store)


@pytest.fixture
def shown_assistant(qtbot, empty_ctx) -> CouncilAssistant:
    assistant = CouncilAssistant(empty_ctx)
    qtbot.addWidget(assistant)
    assistant.show()
    return assistant


def _fill_identity(assistant: CouncilAssistant, qtbot) -> None:
    qtbot.keyClicks(assistant.identity.name, "Ville de Montreval")
    assistant.identity.city.setText("Montreval")
    assistant.identity.postal_code.setText("91999")


def test_assistant_describes_the_council_and_shows_obligations(qtbot, empty_ctx):
    assistant = CouncilAssistant(empty_ctx)
    qtbot.addWidget(assistant)
    assistant.show()
    _fill_identity(assistant, qtbot)
    assistant.identity.phone.setText("0160000000")
    assistant.next()
    assert assistant.currentPage() is assistant.communes_page
    model = assistant.communes.model
    assert [c.name for c in model.communes] == ["Montreval"]  # prefilled for a CLSPD
    model.setData(model.index(0, 2), "28 400")
    model.setData(model.index(0, 3), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assistant.next()
    assert assistant.currentPage() is assistant.governance_page
    assistant.governance.chair_name.setText("Claire Dubreuil")
    assistant.governance.chair_title.setText("Maire de Montreval")
    assistant.governance.composition_order_date.setText("15/01/2024")
    assistant.next()
    assert assistant.currentPage() is assistant.obligations_page
    statuses = {o.rule_id: o.status.value for o in assistant.obligations.obligations}
    assert statuses["clspd_required"] == "met"
    assert statuses["coordinator_required"] == "missing"  # 28 400 > 15 000 and no coordinator yet
    assert empty_ctx.store.council.get() is None  # nothing written before "Terminer"
    assistant.accept()
    council = empty_ctx.store.council.get()
    assert council.name == "Ville de Montreval"
    assert council.phone == "01 60 00 00 00"
    assert council.composition_order_date == "2024-01-15"
    assert council.communes[0].population == 28_400 and council.communes[0].has_qpv


def test_assistant_refuses_a_bad_email_and_an_empty_name(qtbot, empty_ctx, dialogs):
    assistant = CouncilAssistant(empty_ctx)
    qtbot.addWidget(assistant)
    assistant.show()
    assistant.identity.email.setText("mairie@")
    assistant.next()
    assert assistant.currentPage() is assistant.identity_page
    assert "obligatoire" in assistant.identity.errors.message("name")
    assert "e-mail invalide" in assistant.identity.errors.message("email")
    dialogs.save_choices.append("discard")  # closing it: what was typed is dropped on purpose


def test_the_errors_shown_on_the_assistant_s_first_page_never_clip_the_logo(qtbot, empty_ctx, dialogs):
    """QA at 1366 × 768: after « Le nom … est obligatoire » (and two more messages) the logo's frame was cut
    at the bottom; the page now gives the form its whole height, or scrolls."""
    assistant = CouncilAssistant(empty_ctx)
    qtbot.addWidget(assistant)
    assistant.resize(820, 640)
    assistant.show()
    qtbot.waitExposed(assistant)
    assistant.identity.email.setText("pas-une-adresse")
    assistant.identity.phone.setText("12")
    assistant.next()
    QApplication.processEvents()
    assert assistant.identity.errors.message("phone")
    identity, logo = assistant.identity, assistant.identity.logo_preview
    dialogs.save_choices.append("discard")
    cut = [child for child in identity.findChildren(QWidget) if child.isVisible()
           and child.mapTo(identity, child.rect().bottomLeft()).y() >= identity.height()]
    assert logo.isVisible() and cut == []
    area = assistant.identity_page.area  # the rest of the form reachable by scrolling when the screen is small
    assert area.widget().height() <= area.viewport().height() or area.verticalScrollBar().maximum() > 0


def test_clspd_with_two_communes_is_refused_in_the_assistant(qtbot, empty_ctx, dialogs):
    assistant = CouncilAssistant(empty_ctx)
    qtbot.addWidget(assistant)
    assistant.show()
    _fill_identity(assistant, qtbot)
    assistant.next()
    assistant.communes.model.add(Commune(name="Voisine", population=1200))
    assistant.next()
    assert assistant.currentPage() is assistant.communes_page
    assert "CISPD" in assistant.communes.error.text()
    dialogs.save_choices.append("discard")  # closing it: what was typed is dropped on purpose


def test_cancelling_the_assistant_writes_nothing(qtbot, shown_assistant, empty_ctx, dialogs):
    assistant = shown_assistant
    _fill_identity(assistant, qtbot)
    assistant.next()
    dialogs.save_choices.append("discard")
    assistant.reject()
    assert not assistant.isVisible()
    assert "La description du conseil contient des modifications" in dialogs.save_questions[0]
    assert empty_ctx.store.council.get() is None


def test_cancelling_the_untouched_assistant_asks_nothing(qtbot, shown_assistant, empty_ctx, dialogs):
    assistant = shown_assistant
    assistant.reject()
    assert not assistant.isVisible() and dialogs.save_questions == []


def test_cancelling_the_assistant_then_choosing_cancel_keeps_it_open(qtbot, shown_assistant, empty_ctx, dialogs):
    assistant = shown_assistant
    _fill_identity(assistant, qtbot)
    dialogs.save_choices.append("cancel")
    assistant.close()  # the window's cross
    assert assistant.isVisible()
    assert assistant.identity.name.text() == "Ville de Montreval"
    assert empty_ctx.store.council.get() is None
    dialogs.save_choices.append("discard")


def test_cancelling_the_assistant_then_choosing_save_saves_from_the_first_page(qtbot, shown_assistant, empty_ctx, dialogs):
    assistant = shown_assistant
    _fill_identity(assistant, qtbot)
    dialogs.save_choices.append("save")
    assistant.reject()
    assert not assistant.isVisible() and assistant.result() == assistant.DialogCode.Accepted
    council = empty_ctx.store.council.get()
    assert council.name == "Ville de Montreval" and [c.name for c in council.communes] == ["Montreval"]


def test_choosing_save_with_a_page_to_correct_keeps_the_assistant_open(qtbot, shown_assistant, empty_ctx, dialogs):
    assistant = shown_assistant
    assistant.identity.email.setText("mairie@")  # no name, and a bad address
    dialogs.save_choices.append("save")
    assistant.reject()
    assert assistant.isVisible()
    assert "Votre conseil" in dialogs.warned[-1][1]
    assert "obligatoire" in assistant.identity.errors.message("name")
    assert empty_ctx.store.council.get() is None
    dialogs.save_choices.append("discard")


def test_communes_model_passes_qt_checks(qtmodeltester):
    model = CommunesModel([Commune("A", 10), Commune("B", 20, has_qpv=True)])
    qtmodeltester.check(model)


def test_council_page_saves_edits_and_keeps_unsaved_ones_on_refresh(qtbot, ctx):
    page = CouncilPage(ctx)
    qtbot.addWidget(page)
    page.identity.name.setText("Ville de Montreval <Essonne> & Co")
    page.refresh()  # e.g. the user went to another area and came back
    assert page.identity.name.text() == "Ville de Montreval <Essonne> & Co"
    assert page.save()
    assert ctx.store.council.get().name == "Ville de Montreval <Essonne> & Co"
    assert not page.has_unsaved_changes()


def test_council_page_refuses_bad_input_without_touching_the_database(qtbot, ctx, dialogs):
    page = CouncilPage(ctx)
    qtbot.addWidget(page)
    before = vars(ctx.store.council.get())
    page.governance.coordinator_email.setText("pas-un-mail")
    page.governance.rules_adopted_on.setText("31/02/2024")
    assert not page.save()
    assert dialogs.warned and "Corrigez" in dialogs.warned[-1][1]
    assert "e-mail invalide" in page.governance.errors.message("coordinator_email")
    assert "JJ/MM/AAAA" in page.governance.errors.message("rules_adopted_on")
    assert vars(ctx.store.council.get()) == before
    page.revert()
    assert page.governance.coordinator_email.text() == before["coordinator_email"]


def test_switching_to_cispd_allows_several_communes(qtbot, ctx):
    page = CouncilPage(ctx)
    qtbot.addWidget(page)
    page.identity.kind_cispd.setChecked(True)
    assert page.communes.add_button.isEnabled()
    page.communes.model.add(Commune(name="Voisine", population=4_000))
    assert page.save()
    council = ctx.store.council.get()
    assert council.kind is CouncilKind.CISPD and [c.name for c in council.communes] == ["Montreval", "Voisine"]


def test_logo_is_checked_scaled_and_saved(qtbot, ctx, dialogs, tmp_path):
    page = CouncilPage(ctx)
    qtbot.addWidget(page)
    not_an_image = tmp_path / "logo.png"
    not_an_image.write_bytes(b"ceci n'est pas une image")
    dialogs.files.append(not_an_image)
    page.identity.choose_logo()
    assert "n'est pas une image" in dialogs.warned[-1][1]
    image = QImage(1600, 800, QImage.Format.Format_RGB32)
    image.fill(QColor("#1f3b57"))
    good = tmp_path / "blason.png"
    image.save(str(good))
    dialogs.files.append(good)
    page.identity.choose_logo()
    assert page.save()
    stored = QImage.fromData(ctx.store.council.get().logo)
    assert (stored.width(), stored.height()) == (600, 300)


def test_dashboard_lists_unsigned_members_and_missing_coordinator(qtbot, ctx):
    council = ctx.store.council.get()
    council.coordinator_name = ""
    ctx.store.council.save(council)
    org = add_organisation(ctx.store, "Bailleur <Habitat> & Cie")
    loic = add_contact(ctx.store, org, last_name="Le Gall", first_name="Loïc")
    group = add_working_group(ctx.store)
    ctx.store.formations.save_membership(Membership(group.id, loic.id))
    page = DashboardPage(ctx, today=date(2026, 11, 21))
    qtbot.addWidget(page)
    assert any("Coordonnateur" in a for a in page.alerts)
    assert any("Loïc Le Gall" in a and "Bailleur <Habitat> & Cie" in a for a in page.alerts)


def test_dashboard_names_a_few_of_a_long_list_and_says_where_to_see_all(qtbot, ctx):
    """A large council has ~70 meetings within 30 days and may have many unsigned members: the dashboard
    names the first ones and counts the rest, pointing to the area that lists them all."""
    from datetime import datetime, timedelta

    from clspd_desktop.domain.directory import FormationKind
    from clspd_desktop.domain.meetings import Meeting
    from clspd_desktop.ui.dashboard import UPCOMING_SHOWN, Alert

    org = add_organisation(ctx.store, "CCAS")
    group = add_working_group(ctx.store)
    for n in range(8):
        contact = add_contact(ctx.store, org, last_name=f"Nom{n}", first_name="Ana")
        ctx.store.formations.save_membership(Membership(group.id, contact.id))
    plenary = ctx.store.formations.by_kind(FormationKind.PLENARY)
    for n in range(UPCOMING_SHOWN + 3):
        start = datetime(2026, 11, 23, 9) + timedelta(days=n)
        ctx.store.meetings.save_meeting(Meeting(formation_id=plenary.id, starts_at=start,
                                                ends_at=start + timedelta(hours=2), title=f"Séance {n}"))
    page = DashboardPage(ctx, today=date(2026, 11, 21))
    qtbot.addWidget(page)
    assert len(page.upcoming) == UPCOMING_SHOWN + 3
    tiles = [label.text() for label in page.findChildren(QLabel)]
    assert "28\u202f400" in tiles  # the population, with French thousands as on every PDF
    texts = [alert.text() for alert in page.findChildren(Alert)]
    upcoming = next(text for text in texts if "Séance 0" in text)
    assert upcoming.count("\n") == UPCOMING_SHOWN and "Séance 9" in upcoming and "Séance 10" not in upcoming
    assert upcoming.endswith("\n• et 3 autres : voir Réunions (Ctrl+4)")
    unsigned = next(text for text in texts if "sans signature de la charte" in text)
    assert unsigned.startswith("8 membres") and "Nom4" in unsigned and "Nom5" not in unsigned
    assert unsigned.endswith("\n• et 3 autres : voir Partenaires (Ctrl+3)")
    from clspd_desktop.ui.areas import build_areas

    shortcuts = {area.title: area.shortcut for area in build_areas(ctx)}
    assert (shortcuts["Réunions"], shortcuts["Partenaires"]) == ("Ctrl+4", "Ctrl+3")  # as the texts say


def test_dashboard_shows_user_text_as_typed(qtbot, ctx):
    from clspd_desktop.ui.dashboard import Alert

    org = add_organisation(ctx.store, "Bailleur <Habitat> & Cie \"Sud\"")
    loic = add_contact(ctx.store, org, last_name="Le Gall", first_name="Loïc")
    group = add_working_group(ctx.store)
    ctx.store.formations.save_membership(Membership(group.id, loic.id))
    page = DashboardPage(ctx, today=date(2026, 11, 21))
    qtbot.addWidget(page)
    labels = page.findChildren(QLabel)
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    unsigned = next(alert.text() for alert in page.findChildren(Alert) if "Loïc Le Gall" in alert.text())
    assert "(Bailleur <Habitat> & Cie \"Sud\") — Cellule de veille" in unsigned
    assert unsigned.count("\n") == 1  # the line break before the bullet is kept


def _tile_values(page: DashboardPage) -> list[str]:
    return [label.text() for label in page.findChildren(QLabel, "tileValue")]


def test_dashboard_follows_every_change_it_shows(qtbot, ctx):
    """Subscribed to the dispatcher: counts change at once when visible, and when next shown when hidden."""
    from clspd_desktop.services.operations import Change, done

    def add(name: str):
        def op(env):
            with env.store.transaction():
                add_organisation(env.store, name)
            return done(None, Change.DIRECTORY)
        return op

    page = DashboardPage(ctx, today=date(2026, 11, 21))
    qtbot.addWidget(page)
    page.show()
    assert _tile_values(page)[1:3] == ["0", "0"]
    ctx.runner.call(add("Mission locale"))
    assert _tile_values(page)[1] == "1"
    page.hide()
    ctx.runner.call(add("CCAS"))
    assert _tile_values(page)[1] == "1"  # hidden: rebuilt only when shown again
    page.show()
    assert _tile_values(page)[1] == "2"


def test_dashboard_follows_the_council(qtbot, ctx):
    from functools import partial

    from clspd_desktop.services.operations import council as council_ops

    page = DashboardPage(ctx, today=date(2026, 11, 21))
    qtbot.addWidget(page)
    page.show()
    council = ctx.store.council.get()
    council.name = "Ville de Bellerive"
    ctx.runner.call(partial(council_ops.save_council, council=council))
    assert page.findChild(QLabel, "title").text() == council.title


def test_council_names_with_markup_are_shown_as_typed(qtbot, ctx):
    """A collectivité named with « <B> » or « & » keeps them in both headings (no rich text)."""
    from functools import partial

    from clspd_desktop.services.operations import council as council_ops

    council = ctx.store.council.get()
    council.name = "Ville de <B>ellerive & Co"
    ctx.runner.call(partial(council_ops.save_council, council=council))
    page, dashboard = CouncilPage(ctx), DashboardPage(ctx, today=date(2026, 11, 21))
    for widget in (page, dashboard):
        qtbot.addWidget(widget)
        widget.show()
    assert page.heading.textFormat() == Qt.TextFormat.PlainText and "<B>ellerive & Co" in page.heading.text()
    title = dashboard.findChild(QLabel, "title")
    assert title.textFormat() == Qt.TextFormat.PlainText and "<B>ellerive & Co" in title.text()


def test_council_page_reloads_a_council_saved_elsewhere_but_keeps_edits(qtbot, ctx):
    from functools import partial

    from clspd_desktop.services.operations import council as council_ops

    page = CouncilPage(ctx)
    qtbot.addWidget(page)
    page.show()
    council = ctx.store.council.get()
    council.chair_name = "Claire Dubreuil"
    ctx.runner.call(partial(council_ops.save_council, council=council))  # e.g. a restore or another screen
    assert page.governance.chair_name.text() == "Claire Dubreuil"
    page.identity.address.setText("2 rue Neuve")
    council.chair_name = "Paul Martin"
    ctx.runner.call(partial(council_ops.save_council, council=council))
    assert page.identity.address.text() == "2 rue Neuve"  # the user's edit in progress is kept


@pytest.mark.parametrize(("answer", "leaves", "saved"), [("save", True, True), ("discard", True, False),
                                                         ("cancel", False, False)])
def test_council_page_asks_before_losing_edits(qtbot, ctx, dialogs, answer, leaves, saved):
    page = CouncilPage(ctx)
    qtbot.addWidget(page)
    assert page.can_leave() and dialogs.save_questions == []  # nothing typed: nothing asked
    before = page.identity.address.text()
    page.identity.address.setText("2 rue Neuve")
    dialogs.save_choices.append(answer)
    assert page.can_leave() is leaves
    assert "La fiche du conseil contient des modifications" in dialogs.save_questions[0]
    assert (ctx.store.council.get().address == "2 rue Neuve") is saved
    assert page.identity.address.text() == (before if answer == "discard" else "2 rue Neuve")
    assert page.has_unsaved_changes() is (answer == "cancel")


def test_council_page_save_answer_with_bad_input_stays(qtbot, ctx, dialogs):
    page = CouncilPage(ctx)
    qtbot.addWidget(page)
    page.governance.coordinator_email.setText("pas-un-mail")
    dialogs.save_choices.append("save")
    assert not page.can_leave()
    assert "Corrigez" in dialogs.warned[-1][1]


def test_main_window_asks_before_leaving_the_council_with_edits(qtbot, ctx, dialogs):
    from clspd_desktop.app import build_main_window

    window = build_main_window(ctx)
    qtbot.addWidget(window)
    page = window.show_area("council")
    page.identity.address.setText("2 rue Neuve")
    dialogs.save_choices.append("cancel")
    assert window.show_area("dashboard") is page
    dialogs.save_choices.append("discard")
    assert window.show_area("dashboard") is not page
    assert ctx.store.council.get().address != "2 rue Neuve"


def test_demo_start_fills_the_demo_database_through_its_operation(qapp, tmp_path, dialogs):
    from clspd_desktop import app as app_module
    from clspd_desktop.db.opening import open_database
    from clspd_desktop.db.store import Store
    from clspd_desktop.paths import AppPaths

    code = app_module.run(["--demo", "--data-dir", str(tmp_path), "--exit-when-shown"])
    assert code == 0
    demo = AppPaths.for_demo(tmp_path)
    store = Store.over(open_database(demo.database, demo.snapshots_dir).db)
    try:
        assert store.council.get().name == "Ville de Montreval" and store.directory.count_organisations() > 10
    finally:
        store.close()
    # quitting as soon as shown closes the window: the exit snapshot only, and no message
    assert [s.name.split("_", 2)[2] for s in demo.snapshots_dir.glob("*.sqlite")] == ["fermeture.sqlite"]
    assert dialogs.informed == [] and dialogs.warned == []
