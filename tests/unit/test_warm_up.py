"""The heavy libraries are imported on a thread after start-up, and a missing one is only logged."""

import logging
import os
import subprocess
import sys

from clspd_desktop.services import warm_up


def test_the_heavy_libraries_are_imported_by_the_thread():
    code = ("import sys\n"
            "from clspd_desktop.services import warm_up\n"
            "assert 'reportlab' not in sys.modules and 'py7zr' not in sys.modules and 'holidays' not in sys.modules\n"
            "warm_up.start().join()\n"
            "print(sorted(m for m in ('reportlab', 'py7zr', 'openpyxl', 'holidays.countries.france') "
            "if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['holidays.countries.france', 'openpyxl', 'py7zr', 'reportlab']"


def test_a_module_that_cannot_be_imported_is_logged_not_raised(monkeypatch, caplog):
    monkeypatch.setattr(warm_up, "HEAVY_MODULES", ("clspd_desktop.no_such_module", "json"))
    with caplog.at_level(logging.ERROR):
        warm_up.start().join()
    assert "clspd_desktop.no_such_module" in caplog.text


def test_the_screens_modules_are_imported_by_the_thread_without_building_a_widget():
    """The UI names its screens' modules (services import no Qt); importing them builds no widget, so the
    thread needs no application."""
    code = ("import sys\n"
            "from clspd_desktop.services import warm_up\n"
            "from clspd_desktop.ui.areas import screen_modules\n"
            "assert 'clspd_desktop.ui.meetings.page' not in sys.modules\n"
            "warm_up.start(extra=screen_modules()).join()\n"
            "print(all(m in sys.modules for m in screen_modules()), len(screen_modules()))\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.split() == ["True", "6"]
