"""CLSPD Desktop: coordination d'un conseil local (ou intercommunal) de sécurité et de prévention de la délinquance."""

from importlib import metadata

APP_NAME = "CLSPD Desktop"

try:
    __version__ = metadata.version("clspd-desktop")
except metadata.PackageNotFoundError:  # running from a source tree or a frozen bundle
    __version__ = "0.1.0"
