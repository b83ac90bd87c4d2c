"""Entry point of the frozen executable (PyInstaller needs a script, not a package's __main__)."""

import multiprocessing
import sys

from clspd_desktop.__main__ import main

if __name__ == "__main__":
    # First: a child process the app spawns (services/document_process.py) runs this same executable, which
    # must then do the child's work and exit instead of opening a second window.
    multiprocessing.freeze_support()
    sys.exit(main())
