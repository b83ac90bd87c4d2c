"""Reading the dated rules files shipped in `resources/rules/` (or a user's updated copy of one)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from clspd_desktop.errors import UserError

T = TypeVar("T")


def read_rules_json(path: Path, what: str, build: Callable[[dict[str, Any]], T]) -> T:
    """The file's JSON turned into its object by `build`. A missing, damaged or incomplete file is a clear
    French error naming it (« Le fichier {what} est illisible »), never a silent default: the rules are law
    or protocol, and the self-test reports them."""
    try:
        return build(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"Le fichier {what} est illisible ({path.name}).", details=str(exc)) from exc
