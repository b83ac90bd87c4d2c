"""The application icon, kept apart from the About dialog so start-up does not import the dialog."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from clspd_desktop.paths import resources_dir

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """Every drawn size, so Windows picks a crisp one for the title bar, the taskbar and Alt+Tab."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = resources_dir() / "icons" / f"clspd-desktop-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon
