"""Nothing in clear: records with marker names, then every file under the data folder and the temp folder
(journal, snapshots, logs, exports included) is scanned for the markers, the passphrase and the coordinator's
key material; also while a write is uncommitted, when SQLCipher's rollback journal exists."""

from __future__ import annotations

import logging
import tempfile
from datetime import date, datetime, timedelta

import pytest

from clspd_desktop.domain.individual.records import AccessKind
from clspd_desktop.domain.individual.rules import load_individual_rules
from clspd_desktop.errors import UserError
from clspd_desktop.logging_setup import setup_logging
from clspd_desktop.paths import AppPaths
from clspd_desktop.services.individual.session import IndividualSession, store_path
from clspd_desktop.services.operations import OpEnv
from clspd_desktop.services.operations import individual as ops
from tests.individual_helpers import PASSPHRASE, Clock, enable, files_containing, new_record

MARKERS = [b"Xylomarqueur", b"Quenottemarqueur", b"Brindillemarqueur"]


@pytest.fixture
def folders(tmp_path, monkeypatch):
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("SQLITE_TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    paths = AppPaths(tmp_path / "donnees").ensure()
    log_file = setup_logging(paths.logs_dir)
    logging.getLogger().setLevel(logging.DEBUG)  # anything logged by the module would land here
    yield paths, temp
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "baseFilename", None) == str(log_file):
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_no_marker_nor_passphrase_in_any_file(folders):
    paths, temp = folders
    clock = Clock(datetime(2026, 12, 4, 9, 0))
    session = IndividualSession(paths, load_individual_rules(), clock)
    env = OpEnv(paths, None)
    enable(session, env)
    ids = [ops.create_record(env, session=session, record=new_record(session, name.decode(), date(2011, 2, 3),
                                                                       date(2026, 1, 1))).value
           for name in MARKERS]
    ops.save_action(env, session=session, action=ops.FollowUpAction(
        ids[0], session.store.list_items(ops.ListKind.ACTION)[0].id, "Partenaire", note="Note Xylomarqueur"))
    ops.end_follow_up(env, session=session, record_id=ids[1], end_date=date(2026, 11, 1))
    reason = session.store.list_items(ops.ListKind.CONSULTATION_REASON)[0].id
    ops.open_record(env, session=session, record_id=ids[1], reason_id=reason)
    ops.log_output(env, session=session, record_id=ids[0], kind=AccessKind.PRINT)
    ops.take_snapshot(env, session=session)
    ops.export_access_log(env, session=session, target=paths.exports_dir / "journal-des-acces.csv")
    with pytest.raises(UserError):  # a refused action must not leak either (its message names no one)
        ops.update_record(env, session=session, record=session.store.record(ids[1]))

    secrets = [*MARKERS, PASSPHRASE.encode()]
    store = session.store
    with store.transaction():  # an uncommitted write: the rollback journal is on disk now
        store.rename_list_item(store.list_items()[0].id, "Brindillemarqueur bis")
        journal = store_path(paths).with_name(store_path(paths).name + "-journal")
        assert journal.exists()
        assert files_containing([paths.data_dir, temp], secrets) == []
    session.lock()
    clock.now += timedelta(days=2)
    assert files_containing([paths.data_dir, temp], secrets) == []
    scanned = [p.name for p in paths.data_dir.rglob("*") if p.is_file()]
    assert "suivi-individuel.sqlcipher" in scanned and "journal-des-acces.csv" in scanned
    assert any(n.startswith("suivi-individuel-") for n in scanned) and "clspd-desktop.log" in scanned


def test_the_scan_itself_finds_a_marker(tmp_path):
    (tmp_path / "a.txt").write_bytes("x Xylomarqueur y".encode("utf-16-le"))
    assert files_containing([tmp_path], MARKERS) == [str(tmp_path / "a.txt")]
