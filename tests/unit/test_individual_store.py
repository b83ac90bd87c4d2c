"""The encrypted store: opt-in, unlock, wrong passphrase, damaged file, lock, append-only log, no key kept."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from clspd_desktop.db.individual_store import IndividualStore, WrongPassphraseError
from clspd_desktop.domain.individual.records import AccessKind, ListKind
from clspd_desktop.domain.individual.rules import load_individual_rules
from clspd_desktop.errors import DamagedDatabaseError, StorageError, UserError, ValidationError
from clspd_desktop.services.individual.session import load_opt_in, store_path
from clspd_desktop.services.operations import individual as ops
from tests import individual_helpers
from tests.individual_helpers import PASSPHRASE, enable, new_record

RULES = load_individual_rules()

# The shared fixtures (tests/individual_helpers.py), bound here so pytest finds them.
clock, env, session, session_env = individual_helpers.clock, individual_helpers.env, individual_helpers.session, individual_helpers.session_env


@pytest.fixture
def enabled():
    return False  # these tests enable the module themselves


def test_module_is_off_by_default_and_the_paperwork_comes_first(session, env):
    assert not session.enabled and session.locked
    with pytest.raises(ValidationError):  # a plenary is refused before any file exists
        ops.enable_module(env, session=session, passphrase=PASSPHRASE, confirmation=PASSPHRASE,
                          responsible_role=ops.ResponsibleRole.MAYOR, responsible_name="M", coordinator_name="C",
                          groups=[ops.FormationChoice(1, "Plénière", "plenary")])
    with pytest.raises(ValidationError) as err:  # a weak passphrase too
        ops.enable_module(env, session=session, passphrase="motdepasse", confirmation="motdepasse",
                          responsible_role=ops.ResponsibleRole.MAYOR, responsible_name="M", coordinator_name="C",
                          groups=[ops.FormationChoice(1, "Jeunesse", "working_group")])
    assert "passphrase" in err.value.fields
    assert not store_path(session.paths).exists()
    enable(session, env)
    assert session.enabled and not session.locked
    settings = load_opt_in(session.store)
    assert settings.coordinator_name == "Paul Coord" and [g.name for g in settings.groups] == [
        "Groupe jeunesse", "Groupe quartier Nord"]
    assert session.store.list_items(ListKind.REASON)  # default lists, editable


def test_wrong_passphrase_changes_nothing_and_says_so_in_french(session, env):
    enable(session, env)
    session.store.add_record(new_record(session, "Marqueur", date(2010, 1, 1), date(2026, 1, 1)))
    session.lock()
    before = store_path(session.paths).read_bytes()
    with pytest.raises(WrongPassphraseError) as err:
        session.unlock("Pas la bonne phrase 42 !")
    assert "Phrase de passe incorrecte" in str(err.value) and "Rien n'a été modifié" in str(err.value)
    assert session.locked
    assert store_path(session.paths).read_bytes() == before
    assert [p.name for p in session.paths.data_dir.iterdir() if "suivi" in p.name] == [store_path(session.paths).name]
    session.unlock(PASSPHRASE)
    assert [r.last_name for r in session.store.records()] == ["Marqueur"]


def test_damaged_store_is_kept_aside_intact_with_a_french_message(session, env, clock):
    enable(session, env)
    for n in range(60):
        session.store.add_record(new_record(session, f"Nom{n:03d}" * 20, date(2010, 1, 1), date(2026, 1, 1)))
    session.lock()
    path = store_path(session.paths)
    data = bytearray(path.read_bytes())
    assert len(data) > 3 * 4096
    data[2 * 4096 + 100] ^= 0xFF  # one flipped bit in the third page: its HMAC no longer matches
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedDatabaseError) as err:
        session.unlock(PASSPHRASE)
    assert "endommagé" in str(err.value) and "Rien n'a été supprimé" in str(err.value)
    aside = path.with_name("suivi-individuel.endommage-20261204-090000.sqlcipher")
    assert aside.read_bytes() == bytes(data) and not path.exists()
    assert session.locked


def test_truncated_store_is_kept_aside(session, env):
    enable(session, env)
    session.lock()
    path = store_path(session.paths)
    path.write_bytes(b"\x00" * 100)
    with pytest.raises(DamagedDatabaseError):
        session.unlock(PASSPHRASE)
    assert not path.exists() and len(list(session.paths.data_dir.glob("*.endommage-*"))) == 1


def test_lock_closes_and_wipes_the_key_and_refuses_in_french(session, env):
    enable(session, env)
    store = session.store
    key = store._key
    assert any(key)
    session.lock()
    assert session.locked and not any(key) and not store.is_open
    with pytest.raises(UserError) as err:
        session.store  # noqa: B018
    assert "verrouillé" in str(err.value)
    with pytest.raises(UserError):
        ops.open_record(env, session=session, record_id=1)


def test_inactivity_locks_the_session(session, env, clock):
    enable(session, env)
    clock.now += timedelta(minutes=5)
    session.store.records()  # activity
    clock.now += timedelta(minutes=9)
    assert not session.lock_if_idle() and not session.locked
    clock.now += timedelta(minutes=1, seconds=1)
    assert session.lock_if_idle() and session.locked


def test_access_log_refuses_update_and_delete_in_sql(session, env):
    enable(session, env)
    record_id = ops.create_record(env, session=session,
                                  record=new_record(session, "Dubois", date(2011, 4, 2), date(2026, 3, 1))).value
    store = session.store
    assert [(e.kind, e.record_id, e.who) for e in store.access_log()] == [(AccessKind.CREATE, record_id, "Paul Coord")]
    for statement in ("UPDATE access_log SET who = 'x'", "DELETE FROM access_log"):
        with pytest.raises(sqlcipher.IntegrityError, match="append-only"):
            store.conn.execute(statement)
    assert len(store.access_log()) == 1


def test_file_holds_no_plaintext_and_opens_only_with_the_passphrase(session, env, memory_keyring):
    enable(session, env)
    ops.create_record(env, session=session, record=new_record(session, "Zorglubmarqueur", date(2011, 4, 2),
                                                              date(2026, 3, 1)))
    session.lock()
    data = store_path(session.paths).read_bytes()
    for clear in (b"Zorglubmarqueur", b"SQLite format 3", b"CREATE TABLE", b"Paul Coord",
                  PASSPHRASE.encode()):
        assert clear not in data
    assert memory_keyring.secrets == {}  # never in the keyring
    plain = sqlcipher.connect(str(store_path(session.paths)))
    with pytest.raises(sqlcipher.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()
    reopened = IndividualStore.open(store_path(session.paths), PASSPHRASE)
    assert [r.last_name for r in reopened.records()] == ["Zorglubmarqueur"]
    reopened.close()


def test_a_busy_store_gives_a_french_message_and_writes_nothing(session, env):
    enable(session, env)
    record = new_record(session, "Occupe", date(2011, 4, 2), date(2026, 3, 1))
    other = sqlcipher.connect(str(store_path(session.paths)), isolation_level=None)
    other.execute(f"PRAGMA key = \"x'{session.store._key.hex()}'\"")
    other.execute("BEGIN IMMEDIATE")  # another writer holds the file: reads go on, writes wait
    session.store.conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(UserError) as err:
            ops.create_record(env, session=session, record=record)
        assert "occupé par un autre programme" in str(err.value) and "Rien n'a été modifié" in str(err.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert session.store.records() == [] and session.store.access_log() == []


def test_after_damage_the_latest_snapshot_is_restored(session, env, clock):
    enable(session, env)
    ops.create_record(env, session=session, record=new_record(session, "Sauve", date(2011, 4, 2), date(2026, 3, 1)))
    ops.take_snapshot(env, session=session)
    session.lock()
    path = store_path(session.paths)
    path.write_bytes(path.read_bytes()[:500])  # truncated: set aside on unlock
    with pytest.raises(DamagedDatabaseError):
        session.unlock(PASSPHRASE)
    with pytest.raises(WrongPassphraseError):  # the snapshot is checked with the passphrase first
        ops.restore_latest_snapshot(env, session=session, passphrase="Pas la bonne phrase 42 !")
    assert not path.exists()
    ops.restore_latest_snapshot(env, session=session, passphrase=PASSPHRASE)
    assert [r.last_name for r in session.store.records()] == ["Sauve"] and not session.locked
    with pytest.raises(StorageError, match="n'a pas été remplacé"):
        ops.restore_latest_snapshot(env, session=session, passphrase=PASSPHRASE)


def test_the_passphrase_is_kept_nowhere_in_the_session(session, env):
    enable(session, env)
    store = session.store
    for holder in (session, store):
        assert all(PASSPHRASE not in repr(value) for value in vars(holder).values())


def test_a_damaged_store_set_aside_is_rotated_out_like_a_snapshot(session, env, clock):
    """The copy set aside is encrypted and holds records: it is deleted, journal included, once it is older
    than the snapshots' limit (or taken before a purge), so it never keeps a destroyed record."""
    enable(session, env)
    ops.create_record(env, session=session, record=new_record(session, "Gardé", date(2011, 4, 2), date(2026, 3, 1)))
    ops.take_snapshot(env, session=session)
    session.lock()
    path = store_path(session.paths)
    path.write_bytes(path.read_bytes()[:500])
    path.with_name(path.name + "-journal").write_bytes(b"j" * 600)  # an interrupted write, kept with it
    with pytest.raises(DamagedDatabaseError):
        session.unlock(PASSPHRASE)
    (aside,) = session.paths.data_dir.glob("suivi-individuel.endommage-*.sqlcipher")
    ops.restore_latest_snapshot(env, session=session, passphrase=PASSPHRASE)

    ops.take_snapshot(env, session=session)  # a rotation, the same day: the copy set aside stays
    assert aside.exists() and aside.with_name(aside.name + "-journal").exists()
    clock.now += timedelta(days=load_individual_rules().snapshot_max_age_days + 1)
    ops.take_snapshot(env, session=session)
    assert not aside.exists() and not aside.with_name(aside.name + "-journal").exists()
    assert path.exists()  # the live store is never a candidate
