"""Plan d'actions and Réunions read their data on a worker for their first show: the page paints a loading
state, shows the data once read, and a change notified by the runner meanwhile is never lost under the
older read."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from functools import partial

import pytest

from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.meetings import Meeting
from clspd_desktop.domain.plan import Axis
from clspd_desktop.services.operations import meetings as meetings_ops
from clspd_desktop.services.operations import plan as plan_ops
from clspd_desktop.ui.meetings.page import MeetingsPage
from clspd_desktop.ui.plan.page import PlanPage
from tests.unit.test_plan_repo import small_plan

TODAY = date(2025, 3, 12)


def _read_then_signal(monkeypatch, module, name: str) -> threading.Event:
    """The read runs as usual and sets the event once its data is read (its result not yet delivered)."""
    read, done = getattr(module, name), threading.Event()

    def spy(*args, **kwargs):
        result = read(*args, **kwargs)
        done.set()
        return result

    monkeypatch.setattr(module, name, spy)
    return done


def _axes(page: PlanPage) -> list[str]:
    model = page.tree.tree_model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_plan_shows_loading_then_its_data(qtbot, ctx):
    small_plan(ctx.store)
    page = PlanPage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.loading and page.empty.text() == "Chargement du plan d'actions…" and page.tabs.isHidden()
    assert not page.plan_choice.isEnabled() and not page.new_action_action.isEnabled()
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    assert _axes(page) == ["Axe 1 – Jeunesse", "Axe 2 – Victimes"]
    assert page.empty.isHidden() and page.tabs.isVisible() and page.plan_choice.currentText().startswith("2025-2027")
    assert page.table.table.table_model.rowCount() == 1 and page.dashboard.summary.text().startswith("1 actions")


@pytest.mark.parametrize("shown", [True, False], ids=["visible", "hidden"])
def test_a_change_while_the_plan_loads_is_not_lost(qtbot, ctx, monkeypatch, shown):
    sp = small_plan(ctx.store)
    read = _read_then_signal(monkeypatch, plan_ops, "plan_overview")
    page = PlanPage(ctx)
    qtbot.addWidget(page)
    if shown:
        page.show()
    assert read.wait(5)  # the worker has read two axes; its result waits for the event loop
    ctx.runner.call(partial(plan_ops.save_heading, item=Axis(plan_id=sp.plan.id, title="Prévention routière")))
    qtbot.waitUntil(lambda: not ctx.runner.reading, timeout=5000)  # the older read delivered meanwhile
    page.show()  # a hidden page catches up with the change when shown
    assert _axes(page) == ["Axe 1 – Jeunesse", "Axe 2 – Victimes", "Axe 3 – Prévention routière"]
    assert not page.loading


def _chips(page: MeetingsPage, day: date) -> list[str]:
    return [chip.text() for chip in page.month.cell(day).chips]


def _plenary(ctx, day: date, title: str) -> Meeting:
    start = datetime.combine(day, datetime.min.time()).replace(hour=14)
    return Meeting(formation_id=ctx.store.formations.by_kind(FormationKind.PLENARY).id, starts_at=start,
                   ends_at=start + timedelta(hours=2), title=title)


def test_meetings_show_loading_then_the_month_and_the_list(qtbot, ctx):
    ctx.store.meetings.save_meeting(_plenary(ctx, date(2025, 3, 18), "Plénière"))
    page = MeetingsPage(ctx, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    assert page.loading and page.month.legend.text() == "Chargement des réunions…"
    assert page.month.title.text() == "Mars 2025" and _chips(page, date(2025, 3, 18)) == []
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    assert _chips(page, date(2025, 3, 18)) == ["14:00 Plénière"]
    assert page.month.legend.text() == "1 réunion ce mois-ci"
    assert [m.title for m in page.list.table.table_model.records()] == ["Plénière"]  # « À venir » from the 12th


@pytest.mark.parametrize("shown", [True, False], ids=["visible", "hidden"])
def test_a_change_while_the_meetings_load_is_not_lost(qtbot, ctx, monkeypatch, shown):
    read = _read_then_signal(monkeypatch, meetings_ops, "meetings_overview")
    page = MeetingsPage(ctx, today=TODAY)
    qtbot.addWidget(page)
    if shown:
        page.show()
    assert read.wait(5)  # the worker has read an empty month; its result waits for the event loop
    ctx.runner.call(partial(meetings_ops.save_meeting, meeting=_plenary(ctx, date(2025, 3, 20), "Plénière")))
    qtbot.waitUntil(lambda: not ctx.runner.reading, timeout=5000)
    page.show()
    assert _chips(page, date(2025, 3, 20)) == ["14:00 Plénière"]
    assert [m.title for m in page.list.table.table_model.records()] == ["Plénière"]
    assert not page.loading


def test_a_month_turned_to_while_loading_stays_shown(qtbot, ctx, monkeypatch):
    ctx.store.meetings.save_meeting(_plenary(ctx, date(2025, 4, 8), "Plénière d'avril"))
    read = _read_then_signal(monkeypatch, meetings_ops, "meetings_overview")
    page = MeetingsPage(ctx, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    assert read.wait(5)
    page.month.go(1)  # Page suivante before the first read is delivered: April is read at once
    assert _chips(page, date(2025, 4, 8)) == ["14:00 Plénière"]
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    assert page.month.title.text() == "Avril 2025" and _chips(page, date(2025, 4, 8)) == ["14:00 Plénière"]
