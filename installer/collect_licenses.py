"""Copy the licence texts of every third-party component the app ships into resources/licenses/.

The list is the runtime dependency closure of clspd-desktop (test tools excluded), read from the installed
packages' metadata, so it follows the environment that builds the bundle: `installer/build.py` runs this
first, and on Windows it picks up Windows-only packages (pywin32-ctypes). `index.json` is what the About
dialog lists. Qt/PySide6 wheels carry no licence file: the LGPL-3.0 and GPL-3.0 texts come from
`installer/license-texts/`, copied from Debian's /usr/share/common-licenses.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "licenses"
TEXTS = Path(__file__).resolve().parent / "license-texts"
APP = "clspd-desktop"
# Shipped without licence files in their wheels: the texts we attach, and the licence we state.
QT_DISTS = {"pyside6-essentials", "shiboken6"}
QT_TEXTS = ("LGPL-3.0.txt", "GPL-3.0.txt")
QT_LICENSE = "LGPL-3.0-only (Qt for Python, Qt)"


def runtime_closure(root: str = APP) -> list[metadata.Distribution]:
    """Every installed distribution the app needs at run time on this platform, without extras."""
    env = default_environment()
    seen: dict[str, metadata.Distribution] = {}
    todo = [root]
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # e.g. a Windows-only dependency while building on Linux
        seen[name] = dist
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({**env, "extra": ""}):
                todo.append(req.name)
    seen.pop(canonicalize_name(root), None)
    seen.pop("pip", None)  # sqlite-utils declares pip for its CLI; the frozen app does not use it
    return sorted(seen.values(), key=lambda d: d.metadata["Name"].lower())


def license_name(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    if canonicalize_name(meta["Name"]) in QT_DISTS:
        return QT_LICENSE
    expression = meta.get("License-Expression")
    if expression:
        return expression
    short = (meta.get("License") or "").strip().splitlines()
    if short and len(short[0]) <= 80:
        return short[0]
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return ", ".join(classifiers) or "voir le texte"


def license_files(dist: metadata.Distribution) -> list[tuple[str, str]]:
    """(file name, text) pairs: the files the wheel declares as licence files."""
    if canonicalize_name(dist.metadata["Name"]) in QT_DISTS:
        return [(name, (TEXTS / name).read_text(encoding="utf-8")) for name in QT_TEXTS]
    found: list[tuple[str, str]] = []
    for file in dist.files or []:
        parts = file.parts
        if not parts[0].endswith(".dist-info"):
            continue
        name = parts[-1]
        is_licence = (len(parts) > 2 and parts[1] == "licenses") or re.match(
            r"(LICEN[CS]E|COPYING|NOTICE)", name, re.I)
        if is_licence and not name.endswith(".json"):
            text = Path(file.locate()).read_text(encoding="utf-8", errors="replace")
            if text.strip() and name not in {n for n, _ in found}:
                found.append((name, text))
    return found


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-")


def collect(out: Path = OUT) -> list[dict]:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    index = []
    for dist in runtime_closure():
        name, version = dist.metadata["Name"], dist.version
        files = []
        for file_name, text in license_files(dist):
            target = f"{slug(name)}--{slug(file_name)}"
            target += "" if target.lower().endswith((".txt", ".rst", ".md")) else ".txt"
            (out / target).write_text(text, encoding="utf-8")
            files.append(target)
        if not files:
            raise SystemExit(f"Aucun texte de licence trouvé pour {name} {version} : à ajouter à la main.")
        index.append({"name": name, "version": version, "license": license_name(dist), "files": files})
    python_licence = Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    for candidate in (python_licence / "LICENSE.txt", Path(sys.base_prefix) / "LICENSE.txt"):
        if candidate.exists():
            shutil.copyfile(candidate, out / "Python--LICENSE.txt")
            index.append({"name": "Python", "version": sys.version.split()[0], "license": "PSF-2.0",
                          "files": ["Python--LICENSE.txt"]})
            break
    else:
        raise SystemExit("Licence de Python introuvable.")
    (out / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return index


if __name__ == "__main__":
    entries = collect()
    print(f"{len(entries)} composants, licences écrites dans {OUT}")
