"""French counts through one helper: « 1 réunion », « 2 réunions », « aucune réunion », never « (s) »."""

from __future__ import annotations

import ast
from pathlib import Path

from clspd_desktop.domain.text import plural, sentence_start

PACKAGE = Path(__file__).resolve().parents[2] / "clspd_desktop"
# the one place that looks for « président(e) » in signatories saved by earlier versions, to agree it
DETECTS_OLD_TEXT = {"domain/civility.py"}


def test_plural_forms():
    assert plural(1, "réunion", feminine=True) == "1 réunion"
    assert plural(2, "réunion", feminine=True) == "2 réunions"
    assert plural(0, "réunion", feminine=True) == "aucune réunion"
    assert plural(0, "référent") == "aucun référent"
    assert plural(3, "fiche-action", "fiches-actions", feminine=True) == "3 fiches-actions"
    assert plural(1, "réunion tenue", "réunions tenues", feminine=True) == "1 réunion tenue"
    assert plural(12, "fois", "fois", feminine=True) == "12 fois"


def _user_strings(tree: ast.AST) -> list[str]:
    """String literals (f-string parts included), docstrings left out: they are for developers."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_string_the_user_reads_writes_s_or_e_in_brackets():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in DETECTS_OLD_TEXT:
            continue
        for text in _user_strings(ast.parse(path.read_text(encoding="utf-8"))):
            if any(mark in text for mark in ("(s)", "(e)", "(es)")):
                found.append(f"{relative}: {text!r}")
    assert found == []


def test_rules_files_have_no_brackets_either():
    resources = PACKAGE.parent / "resources" / "rules"
    for path in resources.glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert "(s)" not in text and "(e)" not in text, path.name


def test_a_count_that_begins_a_sentence_starts_upper_case():
    assert sentence_start(plural(0, "document joint")) == "Aucun document joint"
    assert sentence_start(plural(2, "fiche", feminine=True)) == "2 fiches"
    assert sentence_start("") == ""
