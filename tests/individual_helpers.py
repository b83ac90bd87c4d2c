"""Fixtures' helpers for the individual follow-up tests: a clock we move, a session, and a decryption of
the store's pages with the coordinator's key (to check what a purge really removed from the file)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from Cryptodome.Cipher import AES

from clspd_desktop.db.individual_store import KEY_BYTES, derive_key, read_salt
from clspd_desktop.domain.individual.records import FollowUpRecord, ListKind
from clspd_desktop.domain.individual.settings import FormationChoice, ResponsibleRole
from clspd_desktop.services.individual.session import IndividualSession
from clspd_desktop.services.operations import OpEnv
from clspd_desktop.services.operations import individual as ops

PASSPHRASE = "Trois chats gris, 1 lune !"
PAGE = 4096
RESERVE = 80  # SQLCipher 4: 16-byte IV + 64-byte HMAC-SHA512 at the end of each page


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


GROUPS = [FormationChoice(7, "Groupe jeunesse", "working_group"),
          FormationChoice(8, "Groupe quartier Nord", "working_group")]


def make_session(tmp_path: Path, clock: Clock, *, enabled: bool = True) -> tuple[IndividualSession, OpEnv]:
    """A session over a fresh data folder (and the module enabled), with the environment operations take."""
    from clspd_desktop.domain.individual.rules import load_individual_rules
    from clspd_desktop.paths import AppPaths

    session = IndividualSession(AppPaths(tmp_path / "donnees").ensure(), load_individual_rules(), clock)
    env = OpEnv(session.paths, None)
    if enabled:
        enable(session, env)
    return session, env


# Fixtures, imported by the test modules; a module overrides `clock` or `enabled` by defining its own.

@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 12, 4, 9, 0))


@pytest.fixture
def enabled() -> bool:
    return True


@pytest.fixture
def session_env(tmp_path, clock, enabled) -> tuple[IndividualSession, OpEnv]:
    return make_session(tmp_path, clock, enabled=enabled)


@pytest.fixture
def session(session_env) -> IndividualSession:
    return session_env[0]


@pytest.fixture
def env(session_env) -> OpEnv:
    return session_env[1]


def enable(session: IndividualSession, env: OpEnv) -> None:
    ops.enable_module(env, session=session, passphrase=PASSPHRASE, confirmation=PASSPHRASE,
                      responsible_role=ResponsibleRole.MAYOR, responsible_name="Marie Dupré",
                      coordinator_name="Paul Coord", groups=GROUPS)


def item_id(session: IndividualSession, kind: ListKind, index: int = 0) -> int:
    return session.store.list_items(kind, active_only=True)[index].id


def new_record(session: IndividualSession, last_name: str, birth: date, entry: date,
               group_id: int = 7) -> FollowUpRecord:
    return FollowUpRecord(last_name, "Prénom", birth, group_id, "", entry,
                          (item_id(session, ListKind.REASON),), (item_id(session, ListKind.SOURCE),))


def decrypted_pages(path: Path, passphrase: str = PASSPHRASE) -> bytes:
    """Every page of the file decrypted (AES-256-CBC, raw key), free pages included."""
    key = bytes(derive_key(passphrase, read_salt(path)))[:KEY_BYTES]
    data = path.read_bytes()
    out = []
    for number in range(len(data) // PAGE):
        page = data[number * PAGE:(number + 1) * PAGE]
        iv = page[PAGE - RESERVE:PAGE - RESERVE + 16]
        out.append(AES.new(key, AES.MODE_CBC, iv).decrypt(page[16 if number == 0 else 0:PAGE - RESERVE]))
    return b"".join(out)


def files_containing(folders: list[Path], markers: list[bytes]) -> list[str]:
    """Every file under `folders` whose bytes contain a marker (UTF-8 or UTF-16, as SQLite may store)."""
    forms = [m for marker in markers for m in (marker, marker.decode().encode("utf-16-le"))]
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and any(form in path.read_bytes() for form in forms):
                found.append(str(path))
    return found
