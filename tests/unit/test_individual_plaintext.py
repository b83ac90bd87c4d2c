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


def test_no_marker_in_any_file_after_the_ui_path(folders, ctx, qtbot, monkeypatch, dialogs):
    """The same scan after the screens' path: records typed in the fiche dialog, an action with a note, an
    inactive record consulted, a meeting examining them (main database: a count), the access log exported,
    a snapshot, then the idle lock. The main database and its WAL are under the data folder too."""
    from functools import partial

    from PySide6.QtCore import Qt

    from clspd_desktop.domain.individual.settings import FormationChoice, ResponsibleRole
    from clspd_desktop.domain.meetings import Meeting
    from clspd_desktop.services.operations import meetings as meeting_ops
    from clspd_desktop.ui.individual.meeting_section import SituationsSection
    from clspd_desktop.ui.individual.page import IndividualPage
    from tests.factories import add_working_group
    from tests.ui.test_partners_support import install, save

    paths, temp = folders
    assert ctx.paths.data_dir == paths.data_dir
    modals = install(monkeypatch)
    clock = Clock(datetime(2026, 12, 4, 9, 0))
    session = IndividualSession(ctx.paths, load_individual_rules(), clock)
    ctx.__dict__["individual"] = session
    group = add_working_group(ctx.store, "Groupe jeunesse", confidential=True)
    ctx.runner.call(partial(ops.enable_module, session=session, passphrase=PASSPHRASE, confirmation=PASSPHRASE,
                            responsible_role=ResponsibleRole.MAYOR, responsible_name="Marie Dupré",
                            coordinator_name="Paul Coord",
                            groups=[FormationChoice(group.id, group.name, "working_group")]))
    page = IndividualPage(ctx)
    qtbot.addWidget(page)
    page.show()

    def typed(name: str):
        def handler(dialog) -> None:
            dialog.last_name.setText(name)
            dialog.first_name.setText(name + "prenom")
            dialog.birth_date.setText("03/02/2011")
            dialog.entry_date.setText("01/01/2026")
            dialog.reasons.item(0).setCheckState(Qt.CheckState.Checked)
            dialog.sources.item(0).setCheckState(Qt.CheckState.Checked)
            save(dialog)
        return handler

    for marker in MARKERS:
        modals.then(typed(marker.decode()))
        assert page.new_record()
    ids = [r.id for r in session.store.records()]

    def with_action(dialog) -> None:
        def action(a) -> None:
            a.partner.setText("Partenaire")
            a.note.setPlainText("Note Xylomarqueur")
            save(a)
        modals.then(action)
        dialog.add_action()
        dialog.reject()
    modals.then(with_action)
    page.open_record(ids[0])
    ops.end_follow_up(None, session=session, record_id=ids[1], end_date=date(2026, 11, 1))
    dialogs.choices.append(0)
    modals.then(lambda dialog: dialog.reject())
    page.open_record(ids[1])

    starts = datetime(2026, 12, 3, 14, 0)
    meeting = ctx.runner.call(partial(meeting_ops.save_meeting, meeting=Meeting(
        formation_id=group.id, starts_at=starts, ends_at=starts + timedelta(hours=1))))[0]
    section = SituationsSection(ctx, meeting.id, group.id)
    qtbot.addWidget(section)
    modals.then(lambda dialog: (dialog.record.select(ids[2]), save(dialog)))
    assert section.examine()
    assert ctx.store.meetings.minutes(meeting.id).situations_examined == 1

    dialogs.files.append(paths.exports_dir / "journal-des-acces.csv")
    assert page.export_log()
    ops.take_snapshot(None, session=session)
    clock.now += timedelta(minutes=session.rules.inactivity_lock_minutes + 1)
    assert page.guard.check_idle()
    assert session.locked
    assert files_containing([paths.data_dir, temp], [*MARKERS, PASSPHRASE.encode()]) == []
    scanned = {p.name for p in paths.data_dir.rglob("*") if p.is_file()}
    assert {"suivi-individuel.sqlcipher", "journal-des-acces.csv", "clspd-desktop.log"} <= scanned
    assert {ctx.paths.database.name, ctx.paths.database.name + "-wal"} <= scanned
