"""The heavy libraries imported on a background thread once the window is up.

Why: the first visit of Réunions, Rapports or Sauvegardes imported reportlab, openpyxl or py7zr (0.1 to
0.3 s) on the GUI thread, and the first meeting opened imported the holidays library (0.14 s): the window
froze on the user's first click there. Imported here first, they cost the user nothing; a screen that needs
one of them meanwhile simply waits for that import to finish (Python's import lock), as it would have
imported it itself.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Sequence

log = logging.getLogger(__name__)

HEAVY_MODULES = (
    "clspd_desktop.services.convocation_sending",  # reportlab, through the convocations
    "clspd_desktop.services.reports",
    "clspd_desktop.services.backup",  # py7zr and its ciphers
    "clspd_desktop.services.individual.session",  # sqlcipher3: the Conseil screen asks whether the store exists
    "openpyxl",
    # every country's public holidays (about 300 modules, 0.14 s): a meeting's dialog checks its day
    "holidays.countries",
)


def import_heavy_modules(extra: Sequence[str] = ()) -> None:
    """HEAVY_MODULES, then `extra` (the screens' modules, named by the UI: this layer imports no Qt)."""
    for name in (*HEAVY_MODULES, *extra):
        try:
            importlib.import_module(name)
        except Exception:  # the screen that needs it will import it again and show the real error
            log.exception("Préchargement de %s impossible", name)


def start(extra: Sequence[str] = ()) -> threading.Thread:
    thread = threading.Thread(target=import_heavy_modules, args=(tuple(extra),), name="préchargement", daemon=True)
    thread.start()
    return thread
