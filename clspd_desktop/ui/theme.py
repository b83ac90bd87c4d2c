"""The app's colours and type sizes, in one place, so that contrast is checked once (WCAG 2.1 AA: text
≥ 4.5:1, meaningful borders and bars ≥ 3:1) and text follows the system font (points, scaled with it).

Screens use these names instead of writing colours or pixel sizes of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

# Text colours (on WHITE or PAGE unless a pair below says otherwise)
TEXT = "#1d2630"
MUTED = "#4f5b66"  # secondary text: 7.0:1 on white
ACCENT = "#1f3b57"  # headings, figures
ERROR = "#a40e26"  # field errors, late items: 7.0:1 on white
SUCCESS = "#17652f"
WARNING_TEXT = "#7a4500"
# Backgrounds
WHITE = "#ffffff"
PAGE = "#f4f6f8"
ALERT_BG = "#fdecee"
INFO_BG = "#e8f0f8"
WARNING_BG = "#fff4e5"
SUCCESS_BG = "#e6f4ea"
SELECTION = "#3d6a96"  # selected row or area; white text on it
NAVIGATION = "#1f3b57"
NAV_TEXT = "#dde6ef"
# Borders and bars that carry meaning (a card's edge, a chart bar, an alert's stripe)
BORDER = "#7b8794"  # 3.6:1 on white
ALERT_STRIPE = "#a40e26"
INFO_STRIPE = "#1f5f99"
FOCUS = "#1f5f99"  # the frame around the control that has the keyboard


@dataclass(frozen=True)
class Pair:
    foreground: str
    background: str
    minimum: float  # 4.5 for text, 3.0 for borders and bars
    what: str


PAIRS = (
    *(Pair(c, WHITE, 4.5, f"texte {c} sur blanc") for c in (TEXT, MUTED, ACCENT, ERROR, SUCCESS, WARNING_TEXT)),
    *(Pair(c, PAGE, 4.5, f"texte {c} sur fond de page") for c in (TEXT, MUTED, ACCENT, ERROR)),
    Pair(TEXT, ALERT_BG, 4.5, "alerte"), Pair(ERROR, ALERT_BG, 4.5, "retard dans une alerte"),
    Pair(TEXT, INFO_BG, 4.5, "information"), Pair(TEXT, WARNING_BG, 4.5, "avertissement"),
    Pair(WARNING_TEXT, WARNING_BG, 4.5, "texte d'avertissement"), Pair(TEXT, SUCCESS_BG, 4.5, "succès"),
    Pair(SUCCESS, SUCCESS_BG, 4.5, "texte de succès"),
    Pair(WHITE, SELECTION, 4.5, "texte sélectionné"), Pair(NAV_TEXT, NAVIGATION, 4.5, "navigation"),
    Pair(WHITE, NAVIGATION, 4.5, "titre de la navigation"),
    Pair(BORDER, WHITE, 3.0, "bordure"), Pair(BORDER, PAGE, 3.0, "bordure sur fond de page"),
    Pair(FOCUS, WHITE, 3.0, "cadre du focus"), Pair(FOCUS, PAGE, 3.0, "cadre du focus sur fond de page"),
    Pair(ALERT_STRIPE, ALERT_BG, 3.0, "bandeau d'alerte"), Pair(INFO_STRIPE, INFO_BG, 3.0, "bandeau d'information"),
)


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours written #rrggbb."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def scaled_font(widget: QWidget, factor: float = 1.0, bold: bool = False) -> QFont:
    """The widget's font (the system's) scaled: a heading stays proportionate at 125 %, 150 % or 14 pt."""
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


def make_heading(widget: QWidget, level: int = 1) -> None:
    """Page title (1), section (2) or sub-section (3), in points relative to the system font."""
    widget.setFont(scaled_font(widget, {1: 1.6, 2: 1.3, 3: 1.15}.get(level, 1.0), bold=True))


def show_focus_frame(button: QWidget) -> None:
    """A default button looks the same with or without the keyboard in some styles: a frame says which."""
    if not button.objectName():
        button.setObjectName(f"focusFramed{id(button)}")
    button.setStyleSheet(f"#{button.objectName()}:focus {{ border: 2px solid {FOCUS}; border-radius: 3px; "
                         "padding: 0.25em 0.9em; }")
