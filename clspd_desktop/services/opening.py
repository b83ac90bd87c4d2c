"""Opening the live database at start-up, for the Qt side (which does not import `db/`): the whole-file
check started on a thread, and the opening that checks, migrates or refuses the file (`db/opening.py`)."""

from clspd_desktop.db.file_check import FileInspection
from clspd_desktop.db.opening import OpenedDatabase, open_database

__all__ = ["FileInspection", "OpenedDatabase", "open_database"]
