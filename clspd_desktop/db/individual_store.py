"""The encrypted store of individual follow-up records: its own SQLCipher file beside the main database.

Binding: `sqlcipher3` (coleifer, 0.6.x). It is maintained, ships wheels for CPython 3.11 on Windows
(win_amd64) and manylinux with SQLCipher (community edition) built in, so the coordinator's PC needs
nothing else. `sqlcipher3-wheels` (0.5.x) was the stop-gap fork from when `sqlcipher3` had no wheels; it
lags behind, and the original now publishes its own.

Key: the passphrase never reaches SQLCipher nor any file. We derive a 256-bit key with scrypt (memory-hard,
in the standard library) and a random 16-byte salt, and hand SQLCipher the raw key with that salt
(`x'<key><salt>'`): SQLCipher writes the salt in clear as the file's first 16 bytes, where we read it back
on the next unlock. PRAGMA takes no bound parameter, and a raw hex key needs no quoting, so no passphrase
character can break the statement. The derived key is kept in a `bytearray` while the store is open and
zeroed by `close()`; Python may still hold transient copies (the hex text of the PRAGMA) until they are
collected: best effort, said plainly.

Files: rollback journal (`journal_mode=DELETE`, encrypted by SQLCipher like the pages) rather than WAL, so
after a purge no WAL keeps old pages; `temp_store=MEMORY`, so sorting never spills to a temp file;
`secure_delete=ON`, so deleted rows are overwritten before the file is compacted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from clspd_desktop.db.individual_schema import APPLICATION_ID, SCHEMA_VERSION, STEPS
from clspd_desktop.domain.individual.records import (
    AccessEntry,
    AccessKind,
    ActionStatus,
    FollowUpAction,
    FollowUpRecord,
    ListItem,
    ListKind,
    Sex,
)
from clspd_desktop.domain.records import saved_id
from clspd_desktop.errors import DamagedDatabaseError, ForeignFileError, StorageError, UserError

SALT_BYTES = 16
KEY_BYTES = 32
SCRYPT = {"n": 2**15, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024}
MIN_FILE_BYTES = 1024  # smaller than one encrypted page: not a store

WRONG_PASSPHRASE = ("Phrase de passe incorrecte (ou premier bloc du fichier endommagé) : le suivi individuel "
                    "reste verrouillé. Rien n'a été modifié.")


class WrongPassphraseError(UserError):
    """The key does not decrypt the first page; the file is left byte-identical."""


def derive_key(passphrase: str, salt: bytes) -> bytearray:
    return bytearray(hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, dklen=KEY_BYTES, **SCRYPT))


def read_salt(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(SALT_BYTES)


def _key_for(passphrase: str, salt: bytes) -> bytearray:
    """Derived key then salt, as SQLCipher's raw-key form expects; the intermediate buffer is zeroed."""
    derived = derive_key(passphrase, salt)
    key = derived + bytearray(salt)
    _wipe(derived)
    return key


def _key_literal(key_and_salt: bytearray) -> str:
    return f"x'{key_and_salt.hex()}'"


def damaged_copy_name(path: Path, now: datetime) -> Path:
    return path.with_name(f"{path.stem}.endommage-{now:%Y%m%d-%H%M%S}{path.suffix}")


class IndividualStore:
    """One open, unlocked store. Repositories below only map rows; rules live in domain/ and services/."""

    def __init__(self, conn: sqlcipher.Connection, key_and_salt: bytearray, path: Path) -> None:
        self._conn: sqlcipher.Connection | None = conn
        self._key = key_and_salt
        self.path = path

    # ---- opening and closing -------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, passphrase: str) -> IndividualStore:
        """A new, empty store. Refuses to overwrite an existing file."""
        if path.exists():
            raise StorageError(f"Le fichier « {path.name} » existe déjà : il n'a pas été remplacé.")
        key = _key_for(passphrase, secrets.token_bytes(SALT_BYTES))
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = cls._connect(path, key)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            store = cls(conn, key, path)
            store._migrate()
            return store
        except sqlcipher.Error as exc:
            raise StorageError(f"Impossible de créer « {path.name} » : {exc}.", details=str(exc)) from exc

    @classmethod
    def open(cls, path: Path, passphrase: str, now: datetime | None = None) -> IndividualStore:
        """Unlock an existing store. Wrong passphrase: nothing touched. Damaged: the file is moved aside."""
        if not path.exists():
            raise StorageError("Le fichier du suivi individuel est introuvable : le module n'a pas été activé "
                               "sur ce poste, ou le fichier a été déplacé.")
        if path.stat().st_size < MIN_FILE_BYTES:
            cls._set_aside(path, now, "Le fichier du suivi individuel est tronqué.")
        key = _key_for(passphrase, read_salt(path))
        conn = cls._connect(path, key)
        try:
            problems = [r[0] for r in conn.execute("PRAGMA cipher_integrity_check")]
            problems += [r[0] for r in conn.execute("PRAGMA quick_check") if r[0] != "ok"]
        except sqlcipher.DatabaseError as exc:
            problems = [str(exc)]
        if problems:
            conn.close()
            _wipe(key)
            cls._set_aside(path, now, "Le fichier du suivi individuel est endommagé.", "; ".join(problems[:5]))
        (app_id,) = conn.execute("PRAGMA application_id").fetchone()
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if app_id != APPLICATION_ID or version > SCHEMA_VERSION:
            conn.close()
            _wipe(key)
            error = ForeignFileError if app_id != APPLICATION_ID else StorageError
            raise error("Ce fichier n'est pas un suivi individuel de cette version de CLSPD Desktop. "
                        "Rien n'a été modifié.")
        store = cls(conn, key, path)
        store._migrate()
        return store

    @staticmethod
    def _connect(path: Path, key: bytearray) -> sqlcipher.Connection:
        conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=True)
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"{_key_literal(key)}\"")
        try:  # the first read decrypts page 1: a wrong key fails here, before any write
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            conn.close()
            _wipe(key)
            raise WrongPassphraseError(WRONG_PASSPHRASE, details=str(exc)) from exc
        for pragma in ("cipher_memory_security = ON", "foreign_keys = ON", "secure_delete = ON",
                       "temp_store = MEMORY", "synchronous = FULL", "busy_timeout = 5000"):
            conn.execute(f"PRAGMA {pragma}")
        return conn

    @staticmethod
    def _set_aside(path: Path, now: datetime | None, what: str, details: str = "") -> None:
        aside = damaged_copy_name(path, now or datetime.now())
        os.replace(path, aside)
        journal = path.with_name(path.name + "-journal")
        if journal.exists():
            os.replace(journal, aside.with_name(aside.name + "-journal"))
        raise DamagedDatabaseError(
            f"{what} Il a été mis de côté, intact, sous le nom « {aside.name} » ; restaurez le dernier "
            "instantané du suivi individuel. Rien n'a été supprimé.", details=details)

    def _migrate(self) -> None:
        (version,) = self.conn.execute("PRAGMA user_version").fetchone()
        for number in range(version, SCHEMA_VERSION):
            with self.transaction():
                for statement in STEPS[number]:
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number + 1}")

    @property
    def conn(self) -> sqlcipher.Connection:
        if self._conn is None:
            raise UserError("Le suivi individuel est verrouillé : saisissez la phrase de passe pour l'ouvrir.")
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def close(self) -> None:
        """Close the connection and zero the derived key kept in this object."""
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
        _wipe(self._key)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing; a full disk or a busy file becomes a French StorageError (sqlcipher3's errors are
        not `sqlite3`'s, so `known_errors.to_user_error` would not see them)."""
        with _known_errors():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    # ---- settings ------------------------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_setting(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    # ---- predefined lists ----------------------------------------------------------------------------

    def list_items(self, kind: ListKind | None = None, *, active_only: bool = False) -> list[ListItem]:
        sql = "SELECT id, kind, label, active FROM list_items WHERE (? IS NULL OR kind = ?)"
        if active_only:
            sql += " AND active = 1"
        rows = self.conn.execute(sql + " ORDER BY kind, position, id", (kind, kind))
        return [ListItem(i, ListKind(k), label, bool(a)) for i, k, label, a in rows]

    def add_list_item(self, kind: ListKind, label: str) -> int:
        (position,) = self.conn.execute("SELECT coalesce(max(position), 0) + 1 FROM list_items WHERE kind = ?",
                                        (kind,)).fetchone()
        cur = self.conn.execute("INSERT INTO list_items (kind, label, position) VALUES (?, ?, ?)",
                                (kind, label, position))
        return saved_id(cur.lastrowid)

    def rename_list_item(self, item_id: int, label: str) -> None:
        self.conn.execute("UPDATE list_items SET label = ? WHERE id = ?", (label, item_id))

    def set_list_item_active(self, item_id: int, active: bool) -> None:
        self.conn.execute("UPDATE list_items SET active = ? WHERE id = ?", (int(active), item_id))

    def list_label_taken(self, kind: ListKind, label: str, except_id: int | None = None) -> bool:
        row = self.conn.execute("SELECT 1 FROM list_items WHERE kind = ? AND lower(label) = lower(?) "
                                "AND id IS NOT ?", (kind, label, except_id)).fetchone()
        return row is not None

    # ---- records -------------------------------------------------------------------------------------

    def add_record(self, r: FollowUpRecord) -> int:
        cur = self.conn.execute(
            "INSERT INTO records (last_name, first_name, sex, birth_date, group_id, group_name, entry_date, "
            "end_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (r.last_name, r.first_name, r.sex, r.birth_date.isoformat(), r.group_id, r.group_name,
             r.entry_date.isoformat(), _iso(r.end_date)))
        record_id = saved_id(cur.lastrowid)
        self._set_items(record_id, (*r.reason_ids, *r.source_ids))
        return record_id

    def update_record(self, r: FollowUpRecord) -> None:
        self.conn.execute(
            "UPDATE records SET last_name = ?, first_name = ?, sex = ?, birth_date = ?, group_id = ?, "
            "group_name = ?, entry_date = ? WHERE id = ?",
            (r.last_name, r.first_name, r.sex, r.birth_date.isoformat(), r.group_id, r.group_name,
             r.entry_date.isoformat(), r.id))
        self.conn.execute("DELETE FROM record_items WHERE record_id = ?", (r.id,))
        self._set_items(saved_id(r.id), (*r.reason_ids, *r.source_ids))

    def _set_items(self, record_id: int, item_ids: tuple[int, ...]) -> None:
        self.conn.executemany("INSERT INTO record_items (record_id, item_id) VALUES (?, ?)",
                              [(record_id, i) for i in dict.fromkeys(item_ids)])

    def end_record(self, record_id: int, end_date: date) -> None:
        self.conn.execute("UPDATE records SET end_date = ? WHERE id = ?", (end_date.isoformat(), record_id))

    def record(self, record_id: int) -> FollowUpRecord | None:
        records = self._records("WHERE r.id = ?", (record_id,))
        return records[0] if records else None

    def records(self) -> list[FollowUpRecord]:
        return self._records("", ())

    def _records(self, where: str, params: tuple) -> list[FollowUpRecord]:
        rows = self.conn.execute(
            "SELECT r.id, r.last_name, r.first_name, r.sex, r.birth_date, r.group_id, r.group_name, "
            "r.entry_date, r.end_date, group_concat(i.kind || ':' || i.id) FROM records r "
            "LEFT JOIN record_items ri ON ri.record_id = r.id LEFT JOIN list_items i ON i.id = ri.item_id "
            f"{where} GROUP BY r.id ORDER BY r.last_name, r.first_name, r.id", params).fetchall()
        result = []
        for rid, last, first, sex, birth, gid, gname, entry, end, items in rows:
            pairs = [p.split(":") for p in (items or "").split(",") if p]
            result.append(FollowUpRecord(
                last, first, date.fromisoformat(birth), gid, gname, date.fromisoformat(entry),
                tuple(sorted(int(i) for k, i in pairs if k == ListKind.REASON)),
                tuple(sorted(int(i) for k, i in pairs if k == ListKind.SOURCE)),
                Sex(sex), _date(end), rid))
        return result

    def delete_records(self, record_ids: list[int]) -> None:
        self.conn.executemany("DELETE FROM records WHERE id = ?", [(i,) for i in record_ids])

    # ---- actions -------------------------------------------------------------------------------------

    def add_action(self, a: FollowUpAction) -> int:
        cur = self.conn.execute(
            "INSERT INTO actions (record_id, item_id, partner, due_date, status, note) VALUES (?, ?, ?, ?, ?, ?)",
            (a.record_id, a.action_item_id, a.partner, _iso(a.due_date), a.status, a.note))
        return saved_id(cur.lastrowid)

    def update_action(self, a: FollowUpAction) -> None:
        self.conn.execute("UPDATE actions SET item_id = ?, partner = ?, due_date = ?, status = ?, note = ? "
                          "WHERE id = ?", (a.action_item_id, a.partner, _iso(a.due_date), a.status, a.note, a.id))

    def action(self, action_id: int) -> FollowUpAction | None:
        found = self._actions("id = ?", (action_id,))
        return found[0] if found else None

    def actions(self, record_id: int) -> list[FollowUpAction]:
        return self._actions("record_id = ?", (record_id,))

    def _actions(self, where: str, params: tuple) -> list[FollowUpAction]:
        rows = self.conn.execute("SELECT id, record_id, item_id, partner, due_date, status, note FROM actions "
                                 f"WHERE {where} ORDER BY due_date IS NULL, due_date, id", params)
        return [FollowUpAction(rid, item, partner, _date(due), ActionStatus(status), note, aid)
                for aid, rid, item, partner, due, status, note in rows]

    # ---- access log (append-only: triggers refuse UPDATE and DELETE) ---------------------------------

    def append_access(self, entry: AccessEntry) -> None:
        self.conn.execute("INSERT INTO access_log (at, who, kind, record_id, reason) VALUES (?, ?, ?, ?, ?)",
                          (entry.at.isoformat(timespec="seconds"), entry.who, entry.kind, entry.record_id,
                           entry.reason))

    def access_log(self) -> list[AccessEntry]:
        rows = self.conn.execute("SELECT id, at, who, kind, record_id, reason FROM access_log ORDER BY id")
        return [AccessEntry(datetime.fromisoformat(at), who, AccessKind(kind), rid, reason, i)
                for i, at, who, kind, rid, reason in rows]

    # ---- examinations in meetings --------------------------------------------------------------------

    def add_examination(self, meeting_id: int, record_id: int, at: datetime) -> None:
        self.conn.execute("INSERT OR IGNORE INTO examinations (meeting_id, record_id, at) VALUES (?, ?, ?)",
                          (meeting_id, record_id, at.isoformat(timespec="seconds")))

    def examined_in(self, meeting_id: int) -> list[int]:
        rows = self.conn.execute("SELECT record_id FROM examinations WHERE meeting_id = ? ORDER BY at, record_id",
                                 (meeting_id,))
        return [r[0] for r in rows]

    # ---- purges and compaction -----------------------------------------------------------------------

    def record_purge(self, at: datetime, count: int) -> None:
        self.conn.execute("INSERT INTO purges (at, count) VALUES (?, ?)", (at.isoformat(timespec="seconds"), count))

    def purges(self) -> list[tuple[datetime, int]]:
        return [(datetime.fromisoformat(at), n) for at, n in self.conn.execute("SELECT at, count FROM purges "
                                                                                 "ORDER BY id")]

    def compact(self) -> None:
        """VACUUM after a purge: the file is rewritten without the freed (already zeroed) pages."""
        with _known_errors():
            self.conn.execute("VACUUM")

    # ---- encrypted copy ------------------------------------------------------------------------------

    def export_encrypted(self, target: Path) -> None:
        """Write a copy of the whole store to `target` (a new file), encrypted with the same key and salt:
        the coordinator's passphrase opens it."""
        self.conn.execute("ATTACH DATABASE ? AS copy KEY ?", (str(target), _key_literal(self._key)))
        try:
            self.conn.execute("SELECT sqlcipher_export('copy')")
            self.conn.execute(f"PRAGMA copy.user_version = {SCHEMA_VERSION}")
            self.conn.execute(f"PRAGMA copy.application_id = {APPLICATION_ID}")
        finally:
            self.conn.execute("DETACH DATABASE copy")


_KNOWN = {
    "disk is full": "Le disque est plein : libérez de la place puis recommencez.",
    "database is locked": "Le suivi individuel est occupé par un autre programme : réessayez dans un instant.",
    "readonly": "Le fichier du suivi individuel est en lecture seule (droits du dossier ou disque protégé).",
    "disk i/o error": "Erreur de lecture ou d'écriture sur le disque.",
}


@contextlib.contextmanager
def _known_errors() -> Iterator[None]:
    try:
        yield
    except sqlcipher.OperationalError as exc:
        text = next((t for k, t in _KNOWN.items() if k in str(exc).lower()), None)
        if text is None:
            raise
        raise StorageError(text + " Rien n'a été modifié dans le suivi individuel.", details=str(exc)) from exc


def _wipe(buffer: bytearray) -> None:
    for index in range(len(buffer)):
        buffer[index] = 0


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)
