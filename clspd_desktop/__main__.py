"""`python -m clspd_desktop` and the `clspd-desktop` command."""

from __future__ import annotations

import sys


def main() -> int:
    from clspd_desktop.app import run

    return run()


if __name__ == "__main__":
    sys.exit(main())
