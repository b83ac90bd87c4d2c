"""Operations of the Sauvegardes area, without Qt: each over a real SQLite file, archives opened by py7zr."""

from __future__ import annotations

from datetime import datetime, timedelta
from email import message_from_bytes, policy

import pytest

from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services import mail
from clspd_desktop.services.archive import ArchiveError
from clspd_desktop.services.operations import Cancelled, Change, OpChanges, OpEnv, Progress
from clspd_desktop.services.operations import backups as ops
from clspd_desktop.services.prefecture_pack import PackOptions
from clspd_desktop.services.snapshots import SnapshotReason, SnapshotService
from tests.factories import add_contact, add_organisation
from tests.unit.test_convocation_sending import smtp_server  # noqa: F401 (fixture: a local aiosmtpd)

PASSWORD = "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE"


@pytest.fixture
def env(paths, configured_store, ctx):
    return OpEnv(paths, ctx.rules, store=configured_store)


def cancelled_env(env: OpEnv) -> OpEnv:
    progress = Progress()
    progress.cancel()
    return OpEnv(env.paths, env.rules, store=env.store, progress=progress)


def names(store) -> list[str]:
    return sorted(o.name for o in store.directory.organisations())


def test_start_snapshot_only_when_none_is_younger_than_a_day(env):
    first = ops.snapshot_at_start(env)
    assert first.value.reason_code == "demarrage" and first.changes == OpChanges.of(Change.BACKUPS)
    again = ops.snapshot_at_start(env)
    assert again.value is None and not again.changes
    assert ops.snapshot_at_exit(env).value.reason_code == "fermeture"


def test_start_snapshot_after_a_day(env):
    SnapshotService(env.paths.snapshots_dir, env.store.db.conn).take(
        SnapshotReason.EXIT, now=datetime.now() - timedelta(hours=25))
    assert ops.snapshot_at_start(env).value is not None


def test_backup_then_restore_returns_every_change(env, tmp_path):
    add_organisation(env.store, "Mission locale")
    result = ops.make_backup(env, target=tmp_path / "s.7z", password=PASSWORD)
    assert result.value.path.exists() and Change.BACKUPS in result.changes.kinds
    add_organisation(env.store, "Bailleur social")
    plan = ops.prepare_backup_restore(env, source=tmp_path / "s.7z", password=PASSWORD).value
    assert names(env.store) == ["Bailleur social", "Mission locale"]  # checking changes nothing
    restored = ops.apply_restore(env, plan=plan)
    assert restored.changes == OpChanges.all()
    assert restored.value.reason_code == "avant-restauration"
    assert names(env.store) == ["Mission locale"]


def test_wrong_password_french_message_and_nothing_changed(env, tmp_path):
    add_organisation(env.store, "Mission locale")
    ops.make_backup(env, target=tmp_path / "s.7z", password=PASSWORD)
    add_organisation(env.store, "Bailleur social")
    with pytest.raises(ArchiveError, match="Mot de passe incorrect ou fichier endommagé"):
        ops.prepare_backup_restore(env, source=tmp_path / "s.7z", password="ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ")
    assert names(env.store) == ["Bailleur social", "Mission locale"]
    assert not list(env.paths.data_dir.glob(".restauration-*"))


def test_cancelled_restore_checks_leave_no_work_folder(env, tmp_path):
    ops.make_backup(env, target=tmp_path / "s.7z", password=PASSWORD)
    snapshot = ops.take_snapshot(env).value
    with pytest.raises(Cancelled):
        ops.prepare_backup_restore(cancelled_env(env), source=tmp_path / "s.7z", password=PASSWORD)
    with pytest.raises(Cancelled):
        ops.prepare_snapshot_restore(cancelled_env(env), snapshot=snapshot)
    assert not list(env.paths.data_dir.glob(".restauration-*"))


def test_first_backup_writes_the_recovery_sheet_too(env, tmp_path):
    password = ops.create_backup_password(env).value
    ops.make_backup(env, target=tmp_path / "s.7z", password=password, sheet=tmp_path / "fiche.pdf")
    assert (tmp_path / "fiche.pdf").read_bytes().startswith(b"%PDF")


def test_cancelled_pack_writes_and_logs_nothing(env):
    add_organisation(env.store, "Mission locale")
    options = PackOptions(year=2026, today=datetime.now().date(), data_dir=env.paths.data_dir)
    with pytest.raises(Cancelled):
        ops.build_pack(cancelled_env(env), keys=["annuaire-pdf"], options=options)
    assert env.store.packs.all() == [] and list(env.paths.exports_dir.iterdir()) == []


def test_pack_then_its_email_and_smtp_send(env, smtp_server):  # noqa: F811
    council = env.store.council.get()
    council.prefecture_email = "pref@essonne.gouv.fr"
    env.store.council.save(council)
    add_contact(env.store, add_organisation(env.store, "Mission locale"), "Martin")
    options = PackOptions(year=2026, today=datetime.now().date(), data_dir=env.paths.data_dir)
    built = ops.build_pack(env, keys=["annuaire-pdf"], options=options)
    assert built.changes == OpChanges.of(Change.PACKS) and built.value.path.exists()
    pack_id = built.value.record.id
    draft = ops.save_pack_email(env, pack_id=pack_id, target=env.paths.exports_dir / "c.eml", via="manual").value
    assert draft.exists() and env.store.packs.get(pack_id).sent_via == "manual"

    inbox, settings = smtp_server()
    settings.save(env.store.settings)
    ops.send_pack(env, pack_id=pack_id)
    ((recipients, content),) = inbox.messages
    assert recipients == ["pref@essonne.gouv.fr"]
    assert built.value.password not in content.decode("ascii", errors="replace")
    assert message_from_bytes(content, policy=policy.default)["Subject"]
    assert env.store.packs.get(pack_id).sent_via == "smtp"


def test_pack_send_with_the_file_gone_is_refused(env):
    add_organisation(env.store, "Mission locale")
    options = PackOptions(year=2026, today=datetime.now().date(), data_dir=env.paths.data_dir)
    built = ops.build_pack(env, keys=["annuaire-pdf"], options=options).value
    built.path.unlink()
    with pytest.raises(UserError, match="introuvable"):
        ops.send_pack(env, pack_id=built.record.id)
    assert env.store.packs.get(built.record.id).sent_at is None


def test_mail_settings_refused_then_saved(env, memory_keyring):
    with pytest.raises(ValidationError) as refused:
        ops.save_mail_settings(env, settings=mail.SmtpSettings(host="", sender="x"), password="secret")
    assert set(refused.value.fields) == {"host", "sender"}
    assert memory_keyring.secrets == {} and not mail.SmtpSettings.load(env.store.settings).configured
    saved = ops.save_mail_settings(env, settings=mail.SmtpSettings(host="smtp.montreval.fr", sender="a@b.fr"),
                                   password="secret")
    assert saved.changes == OpChanges.of(Change.SETTINGS)
    assert mail.SmtpSettings.load(env.store.settings).configured and mail.smtp_password() == "secret"


def test_readonly_export_cancelled_writes_nothing(tmp_path):
    from clspd_desktop.paths import AppPaths
    from tests.unit.test_readonly_export import digest, make_newer_database

    paths = AppPaths(tmp_path / "plus-recente").ensure()
    make_newer_database(paths.database)
    before = digest(paths.database)
    stop = Progress()
    stop.cancel()
    with pytest.raises(Cancelled):
        ops.export_readonly(OpEnv(paths, None, progress=stop), target=tmp_path / "x.xlsx")
    env = OpEnv(paths, None)  # no store and no rules: the file is only read (a store would raise)
    assert not (tmp_path / "x.xlsx").exists()
    assert ops.export_readonly(env, target=tmp_path / "x.xlsx").value.exists()
    assert digest(paths.database) == before


def test_restore_keeps_the_restored_councils_own_password_only(env, tmp_path, memory_keyring):
    from clspd_desktop.services.backup import BackupPassword

    password = ops.create_backup_password(env).value
    ops.make_backup(env, target=tmp_path / "s.7z", password=password)
    plan = ops.prepare_backup_restore(env, source=tmp_path / "s.7z", password=password).value
    ops.apply_restore(env, plan=plan, keep_password=password)
    assert BackupPassword(env.store.settings).kept() == password
    assert ops.kept_backup_password(env).value == (password, "")

    memory_keyring.secrets.clear()
    other = tmp_path / "autre.7z"
    ops.make_backup(env, target=other, password=PASSWORD)  # a file made with another password
    plan = ops.prepare_backup_restore(env, source=other, password=PASSWORD).value
    ops.apply_restore(env, plan=plan, keep_password=PASSWORD)
    assert memory_keyring.secrets == {}  # not this council's password: not kept
    assert ops.kept_backup_password(env).value == (None, "")


def test_kept_password_with_the_keyring_unavailable_says_why(env):
    import keyring
    from keyring.backends import fail

    ops.create_backup_password(env)
    keyring.set_keyring(fail.Keyring())
    kept, problem = ops.kept_backup_password(env).value
    assert kept is None and "coffre-fort de mots de passe" in problem
