"""« À propos » : version, licence, data folder (and opening it), third-party licences; F1 from the main window."""

from __future__ import annotations

import json

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel

from clspd_desktop import __version__
from clspd_desktop.ui import about_dialog
from clspd_desktop.ui.about_dialog import AboutDialog, app_icon, third_party_components
from clspd_desktop.ui.main_window import Area, MainWindow

# The components the issue names, all of which must be listed with their licence text.
NAMED = ("PySide6_Essentials", "reportlab", "py7zr", "keyring", "sqlite-utils", "openpyxl", "icalendar", "holidays")


def _labels(dialog: AboutDialog) -> list[str]:
    return [dialog.component_list.item(i).text() for i in range(dialog.component_list.count())]


def test_shows_version_licence_and_data_folder(qtbot, ctx):
    dialog = AboutDialog(ctx)
    qtbot.addWidget(dialog)

    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert f"Version {__version__}" in texts
    assert "EUPL-1.2" in dialog.licence_label.text()
    assert dialog.data_dir_label.text() == str(ctx.paths.data_dir)
    assert not dialog.windowIcon().isNull()


def test_lists_every_named_component_and_the_font_with_their_texts(qtbot, ctx):
    dialog = AboutDialog(ctx)
    qtbot.addWidget(dialog)

    labels = _labels(dialog)
    assert labels[0] == f"CLSPD Desktop {__version__} — EUPL-1.2"
    assert dialog.licence_text.toPlainText().startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")  # shown at once
    assert labels[1].startswith("Polices DejaVu")
    dialog.component_list.setCurrentRow(1)
    assert "Bitstream" in dialog.licence_text.toPlainText()
    for name in NAMED:
        row = next(i for i, label in enumerate(labels) if label.startswith(f"{name} "))
        dialog.component_list.setCurrentRow(row)
        assert len(dialog.licence_text.toPlainText()) > 200, name
    qt_row = next(i for i, label in enumerate(labels) if label.startswith("PySide6_Essentials"))
    dialog.component_list.setCurrentRow(qt_row)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in dialog.licence_text.toPlainText()
    assert "LGPL-3.0" in labels[qt_row]


def test_components_without_an_index_still_show_the_font(tmp_path):
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "LICENSE-DejaVu.txt").write_text("Bitstream Vera", encoding="utf-8")

    components = third_party_components(tmp_path)

    assert [c.name for c in components] == ["Polices DejaVu"]
    assert components[0].text() == "Bitstream Vera"


def test_own_licence_without_its_text_points_to_the_official_one(monkeypatch):
    monkeypatch.setattr(about_dialog, "app_licence_text", lambda: None)

    text = about_dialog.own_licence().text()

    assert "n'a pas été trouvé" in text and about_dialog.EUPL_URL in text


def test_index_entries_point_to_existing_files():
    index = json.loads((about_dialog.resources_dir() / "licenses" / "index.json").read_text(encoding="utf-8"))
    for component in third_party_components()[1:]:
        assert all(f.is_file() for f in component.files), component.name
    assert len(third_party_components()) == len(index) + 1


def test_open_data_folder_uses_the_desktop(qtbot, ctx, monkeypatch, dialogs):
    opened = []

    class FakeDesktop:
        @staticmethod
        def openUrl(url):
            opened.append(url.toLocalFile())
            return True

    monkeypatch.setattr(about_dialog, "QDesktopServices", FakeDesktop)
    dialog = AboutDialog(ctx)
    qtbot.addWidget(dialog)

    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)

    assert opened == [str(ctx.paths.data_dir)]
    assert dialogs.warned == []


def test_open_data_folder_failure_is_explained(qtbot, ctx, monkeypatch, dialogs):
    class RefusingDesktop:
        @staticmethod
        def openUrl(url):
            return False

    monkeypatch.setattr(about_dialog, "QDesktopServices", RefusingDesktop)
    dialog = AboutDialog(ctx)
    qtbot.addWidget(dialog)

    dialog.open_data_folder()

    assert len(dialogs.warned) == 1
    assert str(ctx.paths.data_dir) in dialogs.warned[0][1]


def test_app_icon_has_several_sizes():
    icon = app_icon()
    sizes = icon.availableSizes()
    assert QSize(16, 16) in sizes and QSize(256, 256) in sizes


def test_help_menu_and_f1_open_about(qtbot):
    calls = []
    window = MainWindow([Area("a", "A", lambda: QLabel("a"))], "Titre", about=calls.append)
    qtbot.addWidget(window)

    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&Aide"]
    assert window.about_action.shortcut().toString() == "F1"
    window.about_action.trigger()
    assert calls == [window]


def test_no_help_menu_without_about(qtbot):
    window = MainWindow([Area("a", "A", lambda: QLabel("a"))], "Titre")
    qtbot.addWidget(window)

    assert window.menuBar().actions() == []
