"""The decisions follow-up view: filters, inline status and comment, dispatcher refresh, reminders, exports."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt

from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.followup import FollowUpStatus
from clspd_desktop.domain.meetings import ActionItem, ActionItemStatus, Meeting
from clspd_desktop.services.operations import Change, OpEnv, done
from clspd_desktop.ui.followup_view import COMMENT_COLUMN, REMINDED_COLUMN, STATUS_COLUMN, FollowUpView
from tests.factories import add_contact, add_organisation, add_working_group

TODAY = date(2026, 12, 4)


def _setup(store):
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    group = add_working_group(store, "Cellule", confidential=True)
    org = add_organisation(store, "Bailleur & Cie")
    paul = add_contact(store, org, "Durand", "Paul", email="paul@bailleur.fr")
    meetings = []
    for formation, day in ((plenary, date(2026, 3, 10)), (group, date(2026, 10, 2))):
        meetings.append(store.meetings.save_meeting(Meeting(
            formation_id=formation.id, starts_at=datetime.combine(day, datetime.min.time()).replace(hour=14),
            ends_at=datetime.combine(day, datetime.min.time()).replace(hour=16))))
    items = [store.meetings.save_action_item(ActionItem(meeting_id=m.id, text=t, responsible_organisation_id=org.id,
                                                        due_date=d))
             for m, t, d in ((meetings[0], "Médiation de soirée", date(2026, 11, 1)),
                             (meetings[0], "Réunir les bailleurs", date(2026, 12, 20)),
                             (meetings[1], "Suivi nominatif", date(2026, 11, 2)))]
    for item in items:
        store.followup.set_responsible_contact(item.id, paul.id)
    return items, meetings


def _view(qtbot, ctx):
    view = FollowUpView(ctx, today=TODAY)
    qtbot.addWidget(view)
    view.resize(1300, 600)
    view.show()
    return view


def _texts(view):
    model = view.table.model()
    return [model.index(r, 2).data() for r in range(model.rowCount())]


def test_lists_items_marks_confidential_and_late(qtbot, ctx):
    _setup(ctx.store)
    view = _view(qtbot, ctx)
    assert sorted(_texts(view)) == ["Médiation de soirée", "Réunir les bailleurs", "Suivi nominatif"]
    assert view.count.text() == "3 suites à donner, dont 2 en retard"
    formations = [view.table.model().index(r, 1).data() for r in range(3)]
    assert "Cellule (confidentiel)" in formations
    view.overdue_only.setChecked(True)
    assert sorted(_texts(view)) == ["Médiation de soirée", "Suivi nominatif"]
    view.search.setText("mediation")
    assert _texts(view) == ["Médiation de soirée"]


def test_inline_status_and_comment_are_saved_for_everywhere(qtbot, ctx):
    items, meetings = _setup(ctx.store)
    view = _view(qtbot, ctx)
    view.search.setText("Médiation")
    model = view.table.model()
    assert model.setData(model.index(0, STATUS_COLUMN), FollowUpStatus.DONE.value, Qt.ItemDataRole.EditRole)
    minutes = {i.id: i for i in ctx.store.meetings.action_items(meetings[0].id)}
    assert minutes[items[0].id].status is ActionItemStatus.DONE
    assert _texts(view) == []  # closed: the default filter hides it at once
    view.open_only.setChecked(False)
    row = _texts(view).index("Médiation de soirée")
    assert model.setData(model.index(row, COMMENT_COLUMN), "Clos en restreinte", Qt.ItemDataRole.EditRole)
    assert ctx.store.followup.item(items[0].id).comment == "Clos en restreinte"
    assert model.index(_texts(view).index("Médiation de soirée"), STATUS_COLUMN).data() == "Fait"


def test_an_item_closed_in_the_minutes_disappears_from_the_open_list(qtbot, ctx):
    items, meetings = _setup(ctx.store)
    view = _view(qtbot, ctx)

    def close_in_minutes(env: OpEnv):
        item = next(i for i in env.store.meetings.action_items(meetings[0].id) if i.id == items[1].id)
        item.status = ActionItemStatus.DONE
        with env.store.transaction():
            env.store.meetings.save_action_item(item)
        return done(None, Change.MINUTES)

    ctx.runner.call(close_in_minutes)
    assert "Réunir les bailleurs" not in _texts(view)


def test_reminders_are_prepared_on_the_worker(qtbot, ctx, dialogs, tmp_path):
    _setup(ctx.store)
    view = _view(qtbot, ctx)
    dialogs.folders.append(tmp_path)
    view.prepare_reminders()
    qtbot.waitUntil(lambda: bool(dialogs.informed), timeout=10_000)
    assert dialogs.informed[0][0] == "Relances préparées"
    assert len(list(tmp_path.glob("relance-*.eml"))) == 1
    model = view.table.model()
    assert model.headerData(REMINDED_COLUMN, Qt.Orientation.Horizontal) == "Relancé le"
    reminded = {model.index(r, 2).data(): model.index(r, REMINDED_COLUMN).data() for r in range(model.rowCount())}
    # seen in the table itself, not only in a tooltip; never for a confidential group's item
    assert reminded == {"Médiation de soirée": "04/12/2026", "Réunir les bailleurs": "04/12/2026",
                        "Suivi nominatif": ""}
    row = _texts(view).index("Médiation de soirée")
    assert "Dernière relance le vendredi 4 décembre 2026" in model.index(row, 3).data(Qt.ItemDataRole.ToolTipRole)


def test_pdf_export_leaves_confidential_items_out(qtbot, ctx, dialogs, tmp_path):
    from tests.pdf_text import text_of

    _setup(ctx.store)
    view = _view(qtbot, ctx)
    dialogs.files.append(tmp_path / "suivi")
    view.export("pdf")
    qtbot.waitUntil(lambda: bool(dialogs.informed), timeout=10_000)
    text = text_of(tmp_path / "suivi.pdf")
    assert "Médiation de soirée" in text and "Suivi nominatif" not in text


def test_the_count_keeps_one_line_and_the_buttons_close_the_row(qtbot, ctx):
    """QA at 1366 px: « 12 suites à donner, dont 7 en retard » wrapped onto two lines while the free space of
    the row was left after the buttons."""
    _setup(ctx.store)
    view = _view(qtbot, ctx)
    qtbot.waitUntil(lambda: view.count.text() != "")
    view.count.setText("12 suites à donner, dont 7 en retard")
    view.layout().activate()
    metrics = view.count.fontMetrics()
    assert view.count.width() >= metrics.horizontalAdvance(view.count.text())
    assert view.count.height() < 2 * metrics.height()
    last = view.pdf_button.geometry()
    assert view.width() - last.right() < 40  # the buttons end the row: no free space after them
    assert view.remind_button.y() == view.count.y() + (view.count.height() - view.remind_button.height()) // 2
