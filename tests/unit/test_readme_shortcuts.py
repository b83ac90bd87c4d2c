"""The README's shortcuts table names every keyboard shortcut the screens define, and no other."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "clspd_desktop" / "ui"
# Keys the code names through Qt constants rather than strings.
QT_NAMES = {"StandardKey.Save": "Ctrl+S", "Key_PageUp": "Page précédente", "Key_PageDown": "Page suivante",
            "Key_F11": "F11", "Key_Delete": "Suppr", "Key_Return": "Entrée", "Key_Escape": "Échap"}


def readme_keys() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| Raccourci |"):]
    table = table[:table.index("\n\n")]  # the shortcuts table only (other tables name figures)
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    keys = {key for row in rows for key in re.findall(r"`([^`]+)`", row.split("|")[1])}
    for first, last in re.findall(r"`Ctrl\+(\d)` … `Ctrl\+(\d)`", table):  # a range of area keys
        keys |= {f"Ctrl+{n}" for n in range(int(first), int(last) + 1)}
    return {key.replace("Maj", "Shift") for key in keys}


def code_keys() -> set[str]:
    source = "\n".join(p.read_text(encoding="utf-8") for p in UI.rglob("*.py"))
    keys = set(re.findall(r'"((?:Ctrl\+)(?:Shift\+)?[A-Z0-9]|F\d{1,2})"', source))
    keys |= {name for qt, name in QT_NAMES.items() if qt in source}
    keys |= {f"Ctrl+{letter}" for letter in re.findall(r"ctrl and key == Qt\.Key\.Key_([A-Z])\b", source)}
    if re.search(r"ctrl and key in \(Qt\.Key\.Key_Delete", source):
        keys.add("Ctrl+Suppr")
    return keys


def test_readme_lists_exactly_the_shortcuts_of_the_screens():
    documented, defined = readme_keys(), code_keys()

    assert defined - documented == set(), "raccourcis absents du README"
    assert documented - defined == set(), "raccourcis du README que l'application n'a pas"
