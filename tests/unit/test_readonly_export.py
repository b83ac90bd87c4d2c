"""Read-only export of a database newer than the app: every table and column, the file never touched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from clspd_desktop.db.connection import connect
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.readonly import open_untouched, table_names
from clspd_desktop.db.store import Store
from clspd_desktop.errors import DatabaseTooNewError, StorageError
from clspd_desktop.services import readonly_export
from clspd_desktop.services.readonly_export import cell_value, export_readonly_xlsx, sheet_name
from tests.factories import add_contact, add_organisation, make_council


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(path: Path) -> list[str]:
    """-wal, -shm or -journal files next to the database."""
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))


def make_newer_database(path: Path) -> Path:
    """A database of this version, then changed as a newer version would: an unknown migration step, an
    extra column, an extra table (with a name longer than a sheet name may be) and data in all of them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store.over(open_database(path, path.parent / "instantanes").db)
    store.council.save(make_council())
    org = add_organisation(store, "=SOMME(A1:A9) & Cie")  # would run as a formula if written as one
    add_contact(store, org, "Le Gall", "Loïc")
    db = store.db
    db.execute("ALTER TABLE organisation ADD COLUMN siret TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE organisation SET siret = '21910000000017'")
    db.execute("UPDATE council SET logo = ?", [b"\x89PNG\r\n\x1a\n" + b"\x00" * 92])
    db.execute("CREATE TABLE local_security_observatory_indicator (id INTEGER PRIMARY KEY, name TEXT, "
               "value REAL, big INTEGER)")
    db.execute("INSERT INTO local_security_observatory_indicator (name, value, big) VALUES "
               "('Cambriolages', 12.5, 1234567890123456789)")
    db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
               "VALUES ('clspd', '9999_observatoire', '2031-01-01')")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # the newer app's files are WAL too
    store.close()
    assert sidecars(path) == []  # a clean exit of the newer version leaves no -wal/-shm
    return path


@pytest.fixture
def newer(tmp_path) -> Path:
    return make_newer_database(tmp_path / "donnees" / "clspd.sqlite")


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_refused_then_exported_with_every_table_and_column_and_the_file_untouched(newer, tmp_path):
    before = digest(newer)
    with pytest.raises(DatabaseTooNewError):  # as at start-up: the check refuses it first
        open_database(newer, newer.parent / "instantanes")
    target = export_readonly_xlsx(newer, tmp_path / "export" / "lecture-seule.xlsx")

    assert digest(newer) == before
    assert sidecars(newer) == []
    book = load_workbook(target)
    assert book.sheetnames[0] == "À lire"
    assert "_sqlite_migrations" not in book.sheetnames
    for table in ("council", "organisation", "contact", "formation", "meeting", "plan_action"):
        assert table in book.sheetnames
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert "local_security_observatory_indicator" not in book.sheetnames  # 36 characters: cut to 31
    extra = rows(book["local_security_observatory_indi"])
    assert extra == [("id", "name", "value", "big"), (1, "Cambriolages", 12.5, "1234567890123456789")]

    organisation = rows(book["organisation"])
    header = organisation[0]
    assert header[-1] == "siret"  # a column this version does not know
    record = dict(zip(header, organisation[1], strict=True))
    assert record["name"] == "=SOMME(A1:A9) & Cie"
    assert record["siret"] == "21910000000017"
    assert book["organisation"].cell(row=2, column=header.index("name") + 1).data_type == "s"  # not a formula
    assert isinstance(record["id"], int)
    council = dict(zip(*rows(book["council"])[:2], strict=True))
    assert council["logo"] == "(données binaires, 100 octets)"
    assert council["kind"] == "CLSPD" and council["name"] == "Ville de Montreval"
    contacts = rows(book["contact"])
    assert [r[contacts[0].index("last_name")] for r in contacts[1:]] == ["Le Gall"]
    info = dict(r for r in rows(book["À lire"])[1:])
    assert "9999_observatoire" in info["Étapes de la base"]


def test_a_table_longer_than_an_excel_sheet_continues_on_the_next(newer, tmp_path, monkeypatch):
    monkeypatch.setattr(readonly_export, "MAX_DATA_ROWS", 2)
    conn = sqlite3.connect(newer)
    count = conn.execute("SELECT COUNT(*) FROM formation").fetchone()[0]
    conn.close()
    assert count == 2
    db = connect(newer)  # as the newer version would: this one refuses to open the file
    for name in ("Groupe A", "Groupe B", "Groupe C"):
        db.execute("INSERT INTO formation (kind, name) VALUES ('working_group', ?)", [name])
    db.conn.close()

    book = load_workbook(export_readonly_xlsx(newer, tmp_path / "x.xlsx"))
    parts = [book[n] for n in ("formation", "formation (2)", "formation (3)")]
    assert [len(rows(p)) for p in parts] == [3, 3, 2]  # each with its header
    names = [r[2] for p in parts for r in rows(p)[1:]]
    assert names == ["Formation plénière", "Formation restreinte", "Groupe A", "Groupe B", "Groupe C"]


def test_while_the_newer_version_is_open_its_latest_changes_are_read_and_the_file_kept(newer, tmp_path):
    writer = sqlite3.connect(newer)
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # the change stays in the -wal file, as in a live app
    writer.execute("INSERT INTO setting (key, value) VALUES ('derniere_saisie', 'visible')")
    writer.commit()
    try:
        before = digest(newer)
        book = load_workbook(export_readonly_xlsx(newer, tmp_path / "x.xlsx"))
        assert ("derniere_saisie", "visible") in rows(book["setting"])
        assert digest(newer) == before
    finally:
        writer.close()


def test_sheet_names_are_valid_unique_and_short():
    used: set[str] = set()
    assert sheet_name("contact", used) == "contact"
    assert sheet_name("CONTACT", used) == "CONTACT (2)"  # Excel compares names without case
    long_name = "a_table_name_much_longer_than_excel_accepts"
    first, second = sheet_name(long_name, used), sheet_name(long_name, used)
    assert len(first) == 31 and len(second) == 31 and first != second
    assert sheet_name("notes[2025]/bilan?*:", used) == "notes_2025__bilan___"


def test_values_stay_numbers_or_text():
    assert cell_value(3) == 3 and cell_value(2.5) == 2.5 and cell_value(None) is None
    assert cell_value(2**60) == str(2**60)  # Excel would round it
    assert cell_value(b"\x00\x01") == "(données binaires, 2 octets)"
    long_text = cell_value("x" * 40_000)
    assert len(long_text) == 32_767 and long_text.endswith("limite d'Excel]")


def test_untouched_reading_never_lists_internal_tables(newer):
    conn = open_untouched(newer)
    try:
        conn.execute("SELECT 1").fetchone()
        names = table_names(conn)
    finally:
        conn.close()
    assert names[:3] == ["setting", "council", "commune"]  # creation order: the app's oldest tables first
    assert not any(n.startswith("sqlite_") or n == "_sqlite_migrations" for n in names)
    assert sidecars(newer) == []


def test_a_missing_file_is_explained(tmp_path):
    with pytest.raises(StorageError, match="introuvable"):
        export_readonly_xlsx(tmp_path / "absente.sqlite", tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_a_damaged_table_is_explained_and_nothing_is_written(newer, tmp_path):
    conn = sqlite3.connect(newer)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'contact'").fetchone()[0]
    conn.close()
    data = bytearray(newer.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[(root - 1) * page_size:root * page_size] = b"\xff" * page_size  # as by a disk fault
    newer.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="La table « contact » de la base de données n'a pas pu être lue"):
        export_readonly_xlsx(newer, tmp_path / "x.xlsx")
    assert list(tmp_path.glob("*.xlsx*")) == [] and list(tmp_path.glob(".x.xlsx*")) == []
    assert newer.read_bytes() == bytes(data)


def test_an_unreadable_file_is_explained(tmp_path):
    path = tmp_path / "clspd.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(StorageError, match="n'a pas pu être lue"):
        export_readonly_xlsx(path, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_progress_is_told_row_by_row_and_stopping_writes_nothing(newer, tmp_path, monkeypatch):
    monkeypatch.setattr(readonly_export, "PROGRESS_EVERY", 3)
    conn = open_untouched(newer)
    total = sum(conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in table_names(conn))
    conn.close()
    seen: list[tuple[int, int, str]] = []
    export_readonly_xlsx(newer, tmp_path / "complet.xlsx",
                         progress=lambda done, in_all, table: seen.append((done, in_all, table)) or True)
    assert {in_all for _, in_all, _ in seen} == {total} and total > 6
    assert [done for done, _, _ in seen] == sorted(done for done, _, _ in seen)
    assert any(done % 3 == 0 and done > 0 for done, _, _ in seen)  # told during the tables, not only between

    target = tmp_path / "export.xlsx"
    target.write_bytes(b"export precedent")
    before = digest(newer)
    calls = []

    def stop_at_second(done, in_all, table):
        calls.append(done)
        return len(calls) < 2

    with pytest.raises(readonly_export.ExportStopped, match="aucun fichier"):
        export_readonly_xlsx(newer, target, progress=stop_at_second)
    assert target.read_bytes() == b"export precedent"
    assert list(tmp_path.glob("*.tmp*")) == [] and digest(newer) == before
