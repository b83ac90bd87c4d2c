"""Entry point of the frozen executable (PyInstaller needs a script, not a package's __main__)."""

import sys

from clspd_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
