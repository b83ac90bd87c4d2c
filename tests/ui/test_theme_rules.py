"""Issue 18: text follows the system font (points, never pixels) and every colour comes from the theme
(`ui/theme.py`), where its contrast is checked for the light and the dark set."""

from __future__ import annotations

import re
from pathlib import Path

import clspd_desktop.ui as ui_package

UI = Path(ui_package.__file__).parent
THEME = UI / "theme.py"

PIXEL_FONT = re.compile(r"font(-size)?\s*:[^;\"']*\d+(\.\d+)?px|setPixelSize\s*\(")
COLOUR_LITERAL = re.compile(
    r"(?<![\w&])#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b"  # #rrggbb, #rgb
    r"|\brgba?\s*\("
    r"|QColor\s*\(\s*[\"']"
    r"|Qt\.(?:GlobalColor\.)?(?:white|black|red|green|blue|gray|darkGray|lightGray|yellow)\b"
    r"|(?:color|background(?:-color)?|border(?:-[a-z]+)*)\s*:[^;\"'{}]*\b(?:white|black|red|gray|grey|green|blue)\b")


def offences(pattern: re.Pattern[str], skip: Path | None = None) -> list[str]:
    found = []
    for path in sorted(UI.rglob("*.py")):
        if path == skip:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(UI)}:{number}: {line.strip()}")
    return found


def test_no_font_size_in_pixels():
    assert offences(PIXEL_FONT) == []


def test_no_colour_literal_outside_the_theme():
    assert offences(COLOUR_LITERAL, skip=THEME) == []


def test_the_patterns_catch_what_they_are_for():
    for line in ('"font-size: 20px; font-weight: bold;"', "font.setPixelSize(12)", '"font: bold 14px Arial"'):
        assert PIXEL_FONT.search(line), line
    for line in ('"color: #b00020;"', 'QColor("#222")', '"background: white;"', '"border: 1px solid #ccc"',
                 "rgba(0, 0, 0, 40)", "Qt.GlobalColor.red"):
        assert COLOUR_LITERAL.search(line), line
    for line in ('"#navList::item { padding: 0.6em; }"', '"#title { }"', "f'color: {c.error};'",
                 "QColor(colours().accent)", "font-size: 1.2em"):
        assert not COLOUR_LITERAL.search(line) and not PIXEL_FONT.search(line), line
