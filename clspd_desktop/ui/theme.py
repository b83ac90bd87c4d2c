"""The app's colours and type sizes, in one place, so that contrast is checked once (WCAG 2.1 AA: text
≥ 4.5:1, meaningful borders and bars ≥ 3:1, `pairs()` lists every pair the screens draw) and text follows
the system font (points, scaled with it at 125 %, 150 % or a 14 pt system font).

Screens take their colours from `colours()` (never a literal of their own: tests/ui/test_theme_rules.py
fails on one) and their sizes from `make_heading` / `set_relative_size` (never pixels). The set follows the
system: a dark colour scheme reported by Qt gives the DARK set and a dark Fusion palette (`apply`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QProxyStyle,
    QStyle,
    QStyledItemDelegate,
    QStyleFactory,
    QStyleOption,
    QStyleOptionViewItem,
    QWidget,
)


@dataclass(frozen=True)
class Colours:
    """One colour set; every field is #rrggbb. Backgrounds are light in LIGHT and dark in DARK."""

    # Text (on `base` or `page` unless `pairs()` says otherwise)
    text: str
    muted: str  # secondary text, captions
    accent: str  # headings, figures
    error: str  # field errors, late items
    success: str
    warning: str  # warning text, unsaved marker
    # Backgrounds
    base: str  # fields, tables, cards
    page: str  # behind cards
    subtle: str  # a quiet panel, days outside the month, unselected tabs
    hover: str  # a row under the mouse, the selected report
    alert_bg: str
    info_bg: str
    warning_bg: str
    success_bg: str
    selection: str  # selected rows (`selection_text` on it, whatever the row's own colour: see
    selection_text: str  # SelectedRowsDelegate) and, in Fusion, the frame of the focused field
    # The navigation bar
    navigation: str
    nav_text: str
    nav_selection: str
    nav_selection_text: str
    # Borders and bars that carry meaning (≥ 3:1 against what is around them)
    border: str
    alert_stripe: str
    info_stripe: str
    success_stripe: str
    warning_stripe: str
    focus: str  # the frame around the control that has the keyboard
    banner_text: str  # text on `alert_stripe` (the « CONFIDENTIEL » banner)
    # Meeting chips in the calendar, per formation kind: text on background
    plenary_text: str
    plenary_bg: str
    restricted_text: str
    restricted_bg: str
    group_text: str
    group_bg: str
    cancelled_text: str
    cancelled_bg: str
    # Charts
    bar: str
    bar_low: str  # attendance under half
    bar_track: str
    series_first: str
    series_second: str
    series_third: str


LIGHT = Colours(
    text="#1d2630", muted="#4f5b66", accent="#1f3b57", error="#a40e26", success="#17652f", warning="#7a4500",
    base="#ffffff", page="#f4f6f8", subtle="#eef1f4", hover="#e3ebf4", alert_bg="#fdecee", info_bg="#e8f0f8",
    warning_bg="#fff4e5", success_bg="#e6f4ea", selection="#1f5f99", selection_text="#ffffff",
    navigation="#1f3b57", nav_text="#dde6ef", nav_selection="#3d6a96", nav_selection_text="#ffffff",
    border="#7b8794", alert_stripe="#a40e26", info_stripe="#1f5f99", success_stripe="#17652f",
    warning_stripe="#a35c00", focus="#1f5f99", banner_text="#ffffff",
    plenary_text="#ffffff", plenary_bg="#1f3b57", restricted_text="#ffffff", restricted_bg="#6a3d9a",
    group_text="#103d1f", group_bg="#cfe8d5", cancelled_text="#4f5b66", cancelled_bg="#e9ecef",
    bar="#1f3a5f", bar_low="#a8471a", bar_track="#e8edf3", series_first="#6d8fb5", series_second="#1f3a5f",
    series_third="#2f7a4b",
)

DARK = Colours(
    text="#e6edf3", muted="#a9b4bf", accent="#9cc3e6", error="#ff9e9e", success="#80d49b", warning="#f2c46d",
    base="#1e232a", page="#161a1f", subtle="#262c34", hover="#2b3846", alert_bg="#3a1f24", info_bg="#1c2c3d",
    warning_bg="#3a2c14", success_bg="#1b3324", selection="#5b9ad6", selection_text="#0b1520",
    navigation="#0f1b27", nav_text="#d3dde7", nav_selection="#2f4d6e", nav_selection_text="#ffffff",
    border="#7d8a97", alert_stripe="#e0606c", info_stripe="#6aa6dd", success_stripe="#5cbf7c",
    warning_stripe="#d9a040", focus="#8fc1ef", banner_text="#16090b",
    plenary_text="#0f1b27", plenary_bg="#9cc3e6", restricted_text="#1a0f26", restricted_bg="#c7a8e8",
    group_text="#d8f2df", group_bg="#24492f", cancelled_text="#b9c2cb", cancelled_bg="#30363e",
    bar="#6aa6dd", bar_low="#f0955a", bar_track="#2a3038", series_first="#8fa9c7", series_second="#4f8fd0",
    series_third="#5cbf7c",
)

_current = LIGHT
_dark_style: QProxyStyle | None = None


def colours() -> Colours:
    """The set in use (LIGHT until `apply` finds a dark system scheme)."""
    return _current


def wants_dark(scheme: Qt.ColorScheme, window: QColor) -> bool:
    """The system's choice: its colour scheme when Qt knows it, else whether its window colour is dark (a
    desktop that sets a dark palette without saying so, a dark high-contrast theme)."""
    if scheme == Qt.ColorScheme.Dark:
        return True
    return scheme == Qt.ColorScheme.Unknown and window.lightnessF() < 0.5


def wants_high_contrast() -> bool:
    """Whether the system asks for high contrast (Qt 6.10 or later can tell; older ones never say so)."""
    hints = QGuiApplication.styleHints()
    accessibility = getattr(hints, "accessibility", None)
    preference = getattr(Qt, "ContrastPreference", None)
    if hints is None or accessibility is None or preference is None:
        return False
    return accessibility().contrastPreference() == preference.HighContrast


def system_scheme() -> Qt.ColorScheme:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() if hints is not None else Qt.ColorScheme.Unknown


def apply(app: QApplication | None = None) -> Colours:
    """Choose the set from the system and give the application a palette made of it: selected rows use our
    readable pair (a late row's red is drawn in `selection_text` there, see SelectedRowsDelegate) and
    Fusion's focus frame, drawn in the same colour, stays ≥ 3:1; in dark mode every standard widget is drawn dark
    (Fusion, which honours the palette on every platform); in high-contrast mode the system's own palette
    is kept for standard widgets. Called once, before any window is built."""
    global _current
    app = app or QApplication.instance()
    if not isinstance(app, QApplication):
        return _current
    dark = wants_dark(system_scheme(), app.palette().color(QPalette.ColorRole.Window))
    _current = DARK if dark else LIGHT
    if wants_high_contrast():
        return _current
    if dark:
        if not isinstance(app.style(), DarkStyle):  # never replace a style that is already the one
            global _dark_style
            _dark_style = DarkStyle(_current)  # kept: PySide would otherwise delete the style under Qt's feet
            app.setStyle(_dark_style)
        app.setPalette(palette(_current))
    else:
        system = app.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            system.setColor(group, QPalette.ColorRole.Highlight, QColor(_current.selection))
            system.setColor(group, QPalette.ColorRole.HighlightedText, QColor(_current.selection_text))
        app.setPalette(system)
    return _current


def palette(c: Colours) -> QPalette:
    """A complete palette built from a colour set (disabled text: `muted`)."""
    result = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.page, QPalette.ColorRole.WindowText: c.text, QPalette.ColorRole.Base: c.base,
        QPalette.ColorRole.AlternateBase: c.subtle, QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.subtle, QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.BrightText: c.error, QPalette.ColorRole.ToolTipBase: c.subtle,
        QPalette.ColorRole.ToolTipText: c.text, QPalette.ColorRole.PlaceholderText: c.muted,
        QPalette.ColorRole.Highlight: c.selection, QPalette.ColorRole.HighlightedText: c.selection_text,
        QPalette.ColorRole.Link: c.accent, QPalette.ColorRole.LinkVisited: c.accent,
        QPalette.ColorRole.Light: c.border, QPalette.ColorRole.Midlight: c.subtle,
        QPalette.ColorRole.Mid: c.border, QPalette.ColorRole.Dark: c.page, QPalette.ColorRole.Shadow: c.page,
    }
    for role, colour in roles.items():
        result.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        result.setColor(QPalette.ColorGroup.Disabled, role, QColor(c.muted))
    return result


class DarkStyle(QProxyStyle):
    """Fusion for the dark set, with the things Fusion draws from the window colour alone made readable:
    the frame of a check box, a radio button or a text field (the window colour darkened, about 1.1:1 on a
    dark field, so an unticked box or an empty field vanished) is drawn in `border`; a standard icon drawn
    dark (the ✕ of « Fermer », the dark red ✕ of « Annuler ») is recoloured in `text`, while icons that
    already stand out (the disk of « Enregistrer ») keep their colours."""

    _INDICATORS = (QStyle.PrimitiveElement.PE_IndicatorCheckBox, QStyle.PrimitiveElement.PE_IndicatorRadioButton,
                   QStyle.PrimitiveElement.PE_FrameLineEdit)

    def __init__(self, c: Colours) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.colours = c
        self._icons: dict[QStyle.StandardPixmap, QIcon] = {}  # measured once: every dialog asks again

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802 (Qt's name)
        if element in self._INDICATORS:
            option = QStyleOption(option) if type(option) is QStyleOption else type(option)(option)
            # Fusion's frame is the window colour darker(140), then lighter(110): lighten it first
            option.palette.setColor(QPalette.ColorRole.Window, QColor(self.colours.border).lighter(140))
        super().drawPrimitive(element, option, painter, widget)

    def standardIcon(self, icon, option=None, widget=None) -> QIcon:  # noqa: N802 (Qt's name)
        if icon not in self._icons:
            self._icons[icon] = readable_icon(super().standardIcon(icon, option, widget), self.colours)
        return self._icons[icon]

    def name(self) -> str:
        return "fusion"


def icon_contrast(image: QImage, background: str) -> float:
    """Contrast of an icon's drawn pixels (their average colour, weighted by opacity) on `background`."""
    total = red = green = blue = 0.0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            weight = pixel.alphaF()
            total += weight
            red, green, blue = red + pixel.red() * weight, green + pixel.green() * weight, blue + pixel.blue() * weight
    if total == 0:
        return 21.0  # nothing drawn: nothing to read
    average = QColor(round(red / total), round(green / total), round(blue / total))
    return contrast(average.name(), background)


def readable_icon(icon: QIcon, c: Colours) -> QIcon:
    """`icon` itself when it stands out from buttons (≥ 3:1 on `subtle`), else its shape in `text`."""
    sizes = icon.availableSizes() or [icon.actualSize(QPixmap(64, 64).size())]
    if icon.isNull() or all(icon_contrast(icon.pixmap(size).toImage(), c.subtle) >= 3.0 for size in sizes):
        return icon
    result = QIcon()
    for size in sizes:
        pixmap = icon.pixmap(size)
        painter = QPainter(pixmap)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(pixmap.rect(), QColor(c.text))
        painter.end()
        result.addPixmap(pixmap)
    return result


class SelectedRowsDelegate(QStyledItemDelegate):
    """A row's own text colour (a late action's red) on the selection would fall below 4.5:1 in styles that
    keep it there (Fusion switches to the selection's text colour, Windows' styles may not): a selected row
    is always written in the palette's selected-text colour. Installed on every list, table and tree by
    `accessibility.apply_rules`."""

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:  # noqa: N802 (Qt's name)
        super().initStyleOption(option, index)
        if option.state & QStyle.StateFlag.State_Selected:
            for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
                option.palette.setColor(group, QPalette.ColorRole.Text,
                                        option.palette.color(group, QPalette.ColorRole.HighlightedText))


@dataclass(frozen=True)
class Pair:
    foreground: str
    background: str
    minimum: float  # 4.5 for text, 3.0 for borders and bars
    what: str


def pairs(c: Colours) -> tuple[Pair, ...]:
    """Every foreground/background pair the screens draw with set `c`."""
    text, line = 4.5, 3.0
    on_base = ("text", "muted", "accent", "error", "success", "warning")
    return (
        *(Pair(getattr(c, n), c.base, text, f"texte {n} sur fond clair des champs et cartes") for n in on_base),
        *(Pair(getattr(c, n), c.page, text, f"texte {n} sur fond de page") for n in on_base),
        *(Pair(getattr(c, n), c.subtle, text, f"texte {n} sur fond discret (jours hors du mois, onglets)")
          for n in ("text", "muted", "accent")),
        *(Pair(getattr(c, n), c.hover, text, f"texte {n} sur ligne survolée ou rapport choisi")
          for n in ("text", "muted", "accent")),
        Pair(c.text, c.alert_bg, text, "alerte"), Pair(c.error, c.alert_bg, text, "retard dans une alerte"),
        Pair(c.text, c.info_bg, text, "information"), Pair(c.text, c.warning_bg, text, "avertissement"),
        Pair(c.warning, c.warning_bg, text, "texte d'avertissement"), Pair(c.text, c.success_bg, text, "succès"),
        Pair(c.success, c.success_bg, text, "texte de succès"),
        *(Pair(c.muted, getattr(c, n), text, f"source d'une obligation sur {n}")
          for n in ("info_bg", "success_bg", "alert_bg", "warning_bg")),
        Pair(c.accent, c.info_bg, text, "obligation qui s'applique"),
        Pair(c.selection_text, c.selection, text, "texte sélectionné (une action en retard aussi)"),
        Pair(c.selection, c.base, line, "cadre du champ qui a le clavier (Fusion)"),
        Pair(c.selection, c.page, line, "cadre du champ qui a le clavier, sur la page (Fusion)"),
        Pair(c.nav_text, c.navigation, text, "navigation"),
        Pair(c.nav_selection_text, c.navigation, text, "titre de la navigation"),
        Pair(c.nav_selection_text, c.nav_selection, text, "rubrique choisie"),
        Pair(c.banner_text, c.alert_stripe, text, "bandeau CONFIDENTIEL"),
        Pair(c.plenary_text, c.plenary_bg, text, "réunion plénière du calendrier"),
        Pair(c.restricted_text, c.restricted_bg, text, "réunion restreinte du calendrier"),
        Pair(c.group_text, c.group_bg, text, "groupe de travail du calendrier"),
        Pair(c.cancelled_text, c.cancelled_bg, text, "réunion annulée du calendrier"),
        Pair(c.muted, c.subtle, text, "numéro d'un jour hors du mois"),
        Pair(c.warning, c.base, text, "modifications non enregistrées du bilan"),
        Pair(c.border, c.base, line, "bordure des tuiles, cases et champs"),
        Pair(c.border, c.page, line, "bordure sur fond de page"),
        Pair(c.border, c.subtle, line, "bordure d'un jour hors du mois"),
        Pair(c.focus, c.base, line, "cadre du focus"), Pair(c.focus, c.page, line, "cadre du focus sur la page"),
        Pair(c.nav_text, c.nav_selection, line, "cadre du focus dans la navigation"),
        Pair(c.accent, c.subtle, line, "bordure du jour courant"),
        Pair(c.alert_stripe, c.alert_bg, line, "bandeau d'alerte"),
        Pair(c.info_stripe, c.info_bg, line, "bandeau d'information"),
        Pair(c.success_stripe, c.success_bg, line, "bandeau de succès"),
        Pair(c.warning_stripe, c.warning_bg, line, "bandeau d'avertissement"),
        Pair(c.alert_stripe, c.base, line, "marque de retard d'une réunion du calendrier"),
        Pair(c.accent, c.hover, line, "barre du rapport choisi"),
        *(Pair(getattr(c, n), c.base, line, f"barre de graphique {n}")
          for n in ("bar", "bar_low", "series_first", "series_second", "series_third")),
        *(Pair(getattr(c, n), c.bar_track, line, f"barre {n} sur son rail") for n in ("bar", "bar_low")),
    )


def colour_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Colours))


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


def set_relative_size(widget: QWidget, factor: float, bold: bool | None = None) -> None:
    """The widget's text `factor` times the system font (in points, so it follows 125 %, 150 %, 14 pt)."""
    widget.setFont(scaled_font(widget, factor, widget.font().bold() if bold is None else bold))


HEADING_FACTORS = {1: 1.6, 2: 1.3, 3: 1.15}


def make_heading(widget: QLabel | str, level: int = 1) -> QLabel:
    """Page title (1), section (2) or sub-section (3), in points relative to the system font. Given a text,
    builds the label; given a label, restyles it."""
    label = QLabel(widget) if isinstance(widget, str) else widget
    label.setFont(scaled_font(label, HEADING_FACTORS.get(level, 1.0), bold=True))
    return label


def show_focus_frame(button: QWidget) -> None:
    """A default button looks the same with or without the keyboard in some styles: a frame says which."""
    if not button.objectName():
        button.setObjectName(f"focusFramed{id(button)}")
    button.setStyleSheet(f"#{button.objectName()}:focus {{ border: 2px solid {colours().focus}; "
                         "border-radius: 3px; padding: 0.25em 0.9em; }")
