"""Retention with an injected clock: what is due, the purge (secure delete + VACUUM) checked on the
decrypted pages of the file, snapshots rotated so none keeps a destroyed record, and the bilan's counts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from clspd_desktop.db.individual_store import IndividualStore
from clspd_desktop.domain.individual.records import AccessKind
from clspd_desktop.domain.individual.rules import load_individual_rules
from clspd_desktop.services.individual import snapshots
from clspd_desktop.services.individual.session import snapshots_dir, store_path
from clspd_desktop.services.operations import individual as ops
from tests import individual_helpers
from tests.individual_helpers import PASSPHRASE, Clock, decrypted_pages, new_record

RULES = load_individual_rules()

# The shared fixtures (tests/individual_helpers.py), bound here so pytest finds them.
enabled, env, session, session_env = individual_helpers.enabled, individual_helpers.env, individual_helpers.session, individual_helpers.session_env


@pytest.fixture
def clock():
    return Clock(datetime(2026, 1, 10, 9, 0))


def _create(session, env, name, birth, entry):
    return ops.create_record(env, session=session, record=new_record(session, name, birth, entry)).value


def test_due_for_purge_lists_numbers_and_dates_within_30_days(session, env, clock):
    ended = _create(session, env, "Fin", date(2010, 5, 1), date(2025, 1, 1))
    ops.end_follow_up(env, session=session, record_id=ended, end_date=date(2025, 12, 31))
    turning_25 = _create(session, env, "Age", date(2001, 3, 1), date(2025, 6, 1))
    _create(session, env, "Loin", date(2012, 1, 1), date(2025, 6, 1))
    assert ops.due_for_purge(session) == []
    clock.now = datetime(2026, 2, 1, 9, 0)
    assert ops.due_for_purge(session) == [ops.DueRecord(turning_25, date(2026, 3, 1), True)]
    clock.now = datetime(2028, 12, 5, 9, 0)
    assert [d.record_id for d in ops.due_for_purge(session)] == [turning_25, ended]


def test_purge_three_years_later_removes_the_rows_from_the_file_itself(session, env, clock):
    gone = _create(session, env, "Purgemarqueur", date(2010, 5, 1), date(2025, 1, 1))
    kept = _create(session, env, "Restemarqueur", date(2012, 5, 1), date(2025, 6, 1))
    ops.save_action(env, session=session, action=ops.FollowUpAction(
        gone, session.store.list_items(ops.ListKind.ACTION)[0].id, "Partenairemarqueur", note="Notemarqueur"))
    ops.end_follow_up(env, session=session, record_id=gone, end_date=date(2026, 1, 5))
    path = store_path(session.paths)
    before = decrypted_pages(path)
    assert b"CREATE TABLE records" in before  # the decryption is real
    assert b"Purgemarqueur" in before and b"Notemarqueur" in before and b"Restemarqueur" in before
    assert b"Purgemarqueur" not in path.read_bytes()  # encrypted at rest

    clock.now = datetime(2029, 1, 4, 9, 0)  # three years after the end, minus a day
    assert ops.purge(env, session=session).value.destroyed == 0
    clock.now = datetime(2029, 1, 5, 8, 0)
    result = ops.purge(env, session=session).value
    assert result.destroyed == 1
    assert [r.id for r in session.store.records()] == [kept]
    after = decrypted_pages(path)
    for marker in (b"Purgemarqueur", b"Partenairemarqueur", b"Notemarqueur"):
        assert marker not in after
    assert b"Restemarqueur" in after
    assert not path.with_name(path.name + "-journal").exists()
    assert session.store.access_log()[-1].kind is AccessKind.PURGE
    assert session.store.purges() == [(datetime(2029, 1, 5, 8, 0), 1)]


def test_snapshots_taken_before_a_purge_are_deleted_and_a_fresh_one_replaces_them(session, env, clock):
    gone = _create(session, env, "Snapmarqueur", date(2010, 5, 1), date(2025, 1, 1))
    ops.end_follow_up(env, session=session, record_id=gone, end_date=date(2026, 1, 5))
    folder = snapshots_dir(session.paths)
    first = ops.take_snapshot(env, session=session).value
    clock.now += timedelta(days=1)
    second = ops.take_snapshot(env, session=session).value
    assert b"Snapmarqueur" in decrypted_pages(first) and b"Snapmarqueur" not in first.read_bytes()
    snap = IndividualStore.open(second, PASSPHRASE)  # the coordinator's passphrase opens a snapshot
    assert [r.last_name for r in snap.records()] == ["Snapmarqueur"]
    snap.close()

    clock.now = datetime(2029, 1, 5, 9, 0)
    result = ops.purge(env, session=session).value
    assert (result.destroyed, result.snapshots_deleted) == (1, 2)
    assert list(snapshots.list_snapshots(folder)) == [result.snapshot]
    assert b"Snapmarqueur" not in decrypted_pages(result.snapshot)
    assert not first.exists() and not second.exists()


def test_snapshots_older_than_the_limit_are_rotated_out(session, env, clock):
    old = ops.take_snapshot(env, session=session).value
    clock.now += timedelta(days=RULES.snapshot_max_age_days + 1)
    recent = ops.take_snapshot(env, session=session).value
    assert list(snapshots.list_snapshots(snapshots_dir(session.paths))) == [recent]
    assert not old.exists()


def test_bilan_counts_by_age_band_and_purges(session, env, clock):
    a = _create(session, env, "A", date(2012, 5, 1), date(2025, 3, 1))
    _create(session, env, "B", date(2008, 5, 1), date(2025, 9, 1))
    ops.end_follow_up(env, session=session, record_id=a, end_date=date(2025, 12, 1))
    figures = ops.bilan_figures(session, 2025)
    assert (figures.total("followed"), figures.total("entries"), figures.total("exits")) == (2, 2, 1)
    assert figures.entries == {("Groupe jeunesse", "Moins de 13 ans"): 1, ("Groupe jeunesse", "16 et 17 ans"): 1}
    assert figures.purged == 0
    clock.now = datetime(2028, 12, 1, 9, 0)
    ops.purge(env, session=session)
    assert ops.bilan_figures(session, 2028).purged == 1
