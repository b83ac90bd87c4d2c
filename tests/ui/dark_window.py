"""Run by tests/ui/test_dark_palette.py in a fresh interpreter: the main window on the demo data as a
system that reports a dark colour scheme gets it, every area and tab visited. Prints one JSON report.

A separate process, so that the dark palette and style never leak into the other tests (and no style is
switched back and forth inside one process).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import keyring
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionButton, QStyleOptionFrame, QWidget


def indicator_contrast(style: QStyle, element: QStyle.PrimitiveElement, palette: QPalette) -> float:
    """The strongest contrast between what `style` draws for an unticked indicator and the field under it."""
    from clspd_desktop.ui.theme import contrast

    background = palette.color(QPalette.ColorRole.Base)
    image = QImage(24, 24, QImage.Format.Format_ARGB32)
    image.fill(background)
    option = QStyleOptionFrame() if element == QStyle.PrimitiveElement.PE_FrameLineEdit else QStyleOptionButton()
    option.rect, option.palette = image.rect().adjusted(4, 4, -4, -4), palette
    option.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Off
    painter = QPainter(image)
    style.drawPrimitive(element, option, painter)
    painter.end()
    return max(contrast(image.pixelColor(x, y).name(), background.name()) for x in range(24) for y in range(24))


def drawn_contrasts(app: QApplication) -> dict[str, dict[str, float]]:
    """What the style draws from the palette on its own: unticked boxes, a field's frame and the standard
    buttons' icons."""
    from clspd_desktop.ui.theme import colours, icon_contrast

    pixmap = QStyle.StandardPixmap
    icons = {name: min(icon_contrast(icon.pixmap(size).toImage(), colours().subtle)
                       for size in icon.availableSizes() or [QSize(16, 16)])
             for name, icon in ((n, app.style().standardIcon(getattr(pixmap, n))) for n in (
                 "SP_DialogCloseButton", "SP_DialogCancelButton", "SP_DialogOkButton", "SP_DialogSaveButton",
                 "SP_DialogYesButton", "SP_DialogNoButton", "SP_DialogApplyButton", "SP_DialogResetButton"))
             if not icon.isNull()}
    element = QStyle.PrimitiveElement
    indicators = {name: indicator_contrast(app.style(), getattr(element, name), app.palette())
                  for name in ("PE_IndicatorCheckBox", "PE_IndicatorRadioButton", "PE_IndicatorItemViewItemCheck",
                                 "PE_FrameLineEdit")}
    return {"icons": icons, "indicators": indicators}


def main() -> None:
    app = QApplication(sys.argv[:1])
    from clspd_desktop.app import build_main_window
    from clspd_desktop.context import AppContext
    from clspd_desktop.db.opening import open_database
    from clspd_desktop.db.store import Store
    from clspd_desktop.paths import AppPaths
    from clspd_desktop.services.demo_data import populate_demo
    from clspd_desktop.ui import messages, theme
    from tests.conftest import FakeDialogs, MemoryKeyring
    from tests.ui.a11y_walk import open_every_area

    keyring.set_keyring(MemoryKeyring())
    messages.backend = FakeDialogs()  # any question would fail the run instead of waiting

    theme.system_scheme = lambda: Qt.ColorScheme.Dark  # what Windows or GNOME in dark mode report
    with tempfile.TemporaryDirectory() as folder:
        paths = AppPaths(Path(folder) / "donnees").ensure()
        store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
        populate_demo(store)
        window = build_main_window(AppContext.create(paths, store))
        window.show()
        open_every_area(window)
        role = QPalette.ColorRole
        palette = app.palette()
        pairs = {name: [palette.color(fg).name(), palette.color(bg).name()] for name, fg, bg in (
            ("Text/Base", role.Text, role.Base), ("WindowText/Window", role.WindowText, role.Window),
            ("ButtonText/Button", role.ButtonText, role.Button),
            ("HighlightedText/Highlight", role.HighlightedText, role.Highlight))}
        sheets = [w.styleSheet() for w in [window, *window.findChildren(QWidget)] if w.styleSheet()]
        print(json.dumps({"dark": theme.colours() is theme.DARK, "style": app.style().name(),
                          "palette": pairs, "sheets": sheets, **drawn_contrasts(app)}))
        window.close()
        store.close()


if __name__ == "__main__":
    main()
