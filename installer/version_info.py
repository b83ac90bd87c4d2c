"""The Windows version resource of clspd-desktop.exe (Explorer's « Détails » tab), from pyproject.toml's version.

pyproject.toml is the only place the version is written: the spec reads it here, installer/build.py passes it
to Inno Setup (/DAppVersion), and the app reads it from its installed metadata.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = "CLSPD Desktop"
# What the town hall sees as the publisher in Windows (same as AppPublisher in clspd-desktop.iss).
COMPANY = "CLSPD Desktop"
DESCRIPTION = "CLSPD Desktop : coordination du CLSPD / CISPD"
COPYRIGHT = "Logiciel libre sous licence EUPL-1.2"
FRENCH = "040C04B0"  # French (France), Unicode code page 1200


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """Windows file versions are four numbers: "0.1.0" -> (0, 1, 0, 0); a suffix such as "rc1" is dropped."""
    numbers = [int(n) for n in re.match(r"\d+(?:\.\d+){0,3}", version).group(0).split(".")]
    return tuple(numbers + [0] * (4 - len(numbers)))  # type: ignore[return-value]


def version_strings(version: str) -> dict[str, str]:
    dotted = ".".join(str(n) for n in numeric_version(version))
    return {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": dotted,
        "InternalName": "clspd-desktop",
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": "clspd-desktop.exe",
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }


def exe_version_info(version: str):
    """A PyInstaller VSVersionInfo for EXE(version=...), on Windows only (its module imports pefile)."""
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    numbers = numeric_version(version)
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers, mask=0x3F, flags=0x0, OS=0x40004, fileType=0x1,
                          subtype=0x0, date=(0, 0)),
        kids=[StringFileInfo([StringTable(FRENCH, [StringStruct(k, v) for k, v in version_strings(version).items()])]),
              VarFileInfo([VarStruct("Translation", [0x040C, 1200])])],
    )
