"""domain/, db/ and services/ must stay free of Qt, and SQL must stay in db/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import clspd_desktop

PACKAGE = Path(clspd_desktop.__file__).parent
QT_FREE = ("domain", "db", "services")
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_qt_free_layers_import_no_qt():
    offenders = []
    for layer in QT_FREE:
        for path in (PACKAGE / layer).rglob("*.py"):
            for name in _imports(path):
                if name.split(".")[0] in QT_MODULES or name.startswith("clspd_desktop.ui"):
                    offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_the_check_itself_catches_a_qt_import(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("from PySide6.QtWidgets import QWidget\n", encoding="utf-8")
    assert "PySide6.QtWidgets" in _imports(sample)


SQL = re.compile(r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b", re.I)


def test_sql_lives_only_in_db_layer():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] == "db":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SQL.search(line):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert offenders == []


def test_ui_imports_neither_db_nor_sqlite3():
    """Screens go through operations (services/operations) and read through the store they are given."""
    offenders = []
    for path in (PACKAGE / "ui").rglob("*.py"):
        for name in _imports(path):
            if name == "sqlite3" or name.startswith("clspd_desktop.db"):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_sqlite3_is_imported_only_in_db_and_services():
    """app.py (the composition root) only catches sqlite3's error while the window is built; the self-test
    checks the installed SQLite."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        layer = path.relative_to(PACKAGE).parts[0]
        if layer in ("db", "services") or path.name in ("app.py", "self_test.py"):
            continue
        if "sqlite3" in _imports(path):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


# A repository method that writes: the UI may only reach it through an operation run by the runner.
REPOSITORY_WRITE = re.compile(
    r"\bstore\.\w+\.(?:(?:save|delete|set|add|remove|mark|move|replace|unlink|invite|postpone|cancel|bump|"
    r"import|update|record|insert|clear|reorder)(?:_\w+)?|link)\(")
TRANSACTION = re.compile(r"\.(transaction|atomic)\(\)")


def test_ui_never_writes_or_opens_a_transaction_itself():
    offenders = []
    for path in (PACKAGE / "ui").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if REPOSITORY_WRITE.search(line) or TRANSACTION.search(line):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_write_check_catches_a_direct_write():
    assert REPOSITORY_WRITE.search("self.ctx.store.directory.save_organisation(org)")
    assert TRANSACTION.search("with self.ctx.store.transaction():")
    assert REPOSITORY_WRITE.search("ctx.store.links.link(source, 4, 7)")
    assert not REPOSITORY_WRITE.search("self.ctx.store.directory.organisations()")
    assert not REPOSITORY_WRITE.search("ctx.store.links.linked_actions(source, 4)")
