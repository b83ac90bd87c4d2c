"""Printed documents built on services.pdf. Each builder reads through a Store and writes one PDF atomically.

- `build_directory_pdf(store, path, today=None) -> Path`: the partners directory.
- `build_composition_pdf(store, path, formation_id=None, today=None) -> Path`: a formation's composition
  in the order of precedence (default: the plenary).
"""

from clspd_desktop.services.reports.composition_pdf import build_composition_pdf
from clspd_desktop.services.reports.directory_pdf import build_directory_pdf

__all__ = ["build_composition_pdf", "build_directory_pdf"]
