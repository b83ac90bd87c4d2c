"""CLSPD Desktop: coordination d'un conseil local (ou intercommunal) de sécurité et de prévention de la délinquance."""

APP_NAME = "CLSPD Desktop"

# Kept equal to pyproject.toml's version by tests/unit/test_version.py (reading package metadata at
# start-up cost ~20 ms, and is absent from a frozen bundle).
__version__ = "0.1.0"
