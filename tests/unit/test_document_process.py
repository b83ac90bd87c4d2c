"""The préfecture pack's documents are built in a child process (the window's interpreter lock stays free):
what the child raises or how it dies reaches the user in French, and nothing is left behind."""

from __future__ import annotations

import os
from datetime import date
from functools import partial
from pathlib import Path

import pytest

from clspd_desktop.errors import StorageError, UserError
from clspd_desktop.services.document_process import CHILD_DIED, DocumentProcess
from clspd_desktop.services.operations import OpEnv
from clspd_desktop.services.operations import backups as ops
from clspd_desktop.services.operations.execution import execute
from clspd_desktop.services.prefecture_pack import PACK_ITEMS, PackItem, PackOptions, register_pack_item
from tests.factories import add_organisation

OPTIONS = PackOptions(2026, date(2026, 3, 2))


# --- builders run in the child (imported there by name) -------------------------------------------------
def pid_builder(store, folder: Path, options) -> dict[str, Path]:
    target = folder / "pid.txt"
    target.write_text(str(os.getpid()))
    return {"pid.txt": target}


def dying_builder(store, folder: Path, options) -> dict[str, Path]:
    """Half a document written, then the process ends as if killed (out of memory, antivirus...)."""
    (folder / "a-moitie.pdf").write_bytes(b"%PDF-1.4 en clair")
    os._exit(3)


def refusing_builder(store, folder: Path, options) -> dict[str, Path]:
    raise UserError("Le plan « Essai » n'a aucune action.", details="détail technique")


def writing_builder(store, folder: Path, options) -> dict[str, Path]:
    store.directory.save_organisation(store.directory.organisations()[0])  # a builder must only read
    return {}


@pytest.fixture
def pack_env(paths, configured_store, ctx, memory_keyring) -> OpEnv:
    add_organisation(configured_store, "Mission locale")
    return OpEnv(paths, ctx.rules, store=configured_store)


def build_with(env: OpEnv, builder: str) -> object:
    """The pack operation as the runner runs it (known errors made French), with the directory and one
    test item built by `builder`."""
    item = PackItem("essai", "Essai", f"{__name__}:{builder}")
    register_pack_item(item)
    try:
        result, _ = execute(partial(ops.build_pack, keys=["annuaire-pdf", "essai"], options=OPTIONS), env)
    finally:
        PACK_ITEMS.remove(item)
    return result.value


def nothing_left(env: OpEnv) -> bool:
    return (list(env.paths.exports_dir.iterdir()) == [] and not list(env.paths.data_dir.glob(".envoi-*"))
            and env.store.packs.all() == [])


def test_documents_are_built_in_another_process(pack_env, tmp_path):
    built = build_with(pack_env, "pid_builder")
    assert built.path.is_file() and pack_env.store.packs.all() != []
    with DocumentProcess(pack_env.paths.database) as documents:
        folder = tmp_path / "essai"
        folder.mkdir()
        child = int(documents.build(f"{__name__}:pid_builder", folder, OPTIONS)["pid.txt"].read_text())
    assert child != os.getpid()


def test_a_child_that_dies_gives_the_french_message_and_leaves_nothing(pack_env):
    with pytest.raises(UserError) as caught:
        build_with(pack_env, "dying_builder")
    assert caught.value.message == CHILD_DIED
    assert nothing_left(pack_env)  # the half-written document in clear went with the work folder


def test_a_refusal_in_the_child_keeps_its_french_message(pack_env):
    with pytest.raises(UserError) as caught:
        build_with(pack_env, "refusing_builder")
    assert (caught.value.message, caught.value.details) == ("Le plan « Essai » n'a aucune action.",
                                                            "détail technique")
    assert nothing_left(pack_env)


def test_the_child_cannot_write_the_database(pack_env):
    before = pack_env.store.directory.organisations()
    with pytest.raises(StorageError, match="lecture seule"):  # SQLite's error, pickled back, made French
        build_with(pack_env, "writing_builder")
    assert pack_env.store.directory.organisations() == before
    assert nothing_left(pack_env)



def test_the_child_sees_one_moment_of_the_data(configured_store, paths):
    """Every document of a pack shows the data as it was when the child opened it, as on one connection."""
    from clspd_desktop.db.connection import connect_snapshot
    from clspd_desktop.db.store import Store

    snapshot = Store.over(connect_snapshot(paths.database))
    try:
        add_organisation(configured_store, "Arrivée pendant l'envoi")
        assert "Arrivée pendant l'envoi" not in [o.name for o in snapshot.directory.organisations()]
    finally:
        snapshot.close()
