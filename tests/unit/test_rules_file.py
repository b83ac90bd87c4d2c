"""Every dated rules file of resources/rules is read through one helper: the shipped file loads; a damaged or
incomplete copy is a French error naming the file, never a traceback nor a silent default."""

from __future__ import annotations

import json
import shutil

import pytest

from clspd_desktop.domain.civility import load_forms
from clspd_desktop.domain.individual.rules import load_individual_rules
from clspd_desktop.domain.legal_rules import load_rules
from clspd_desktop.domain.referent_functions import load_functions
from clspd_desktop.errors import UserError
from clspd_desktop.paths import resources_dir

LOADERS = [(load_forms, "civilite.json", "des formules de politesse"),
           (load_functions, "fonctions_referents.json", "des fonctions de référents"),
           (load_rules, "obligations.json", "des règles légales"),
           (load_individual_rules, "au038.json", "des règles du suivi individuel")]


@pytest.mark.parametrize(("load", "name", "what"), LOADERS)
def test_shipped_loads_damaged_or_incomplete_is_a_french_error(tmp_path, load, name, what):
    shipped = resources_dir() / "rules" / name
    copy = tmp_path / name
    shutil.copyfile(shipped, copy)
    assert load(copy).version_date
    copy.write_text(copy.read_text(encoding="utf-8")[:-40], encoding="utf-8")  # cut short
    with pytest.raises(UserError, match=f"Le fichier {what}.* est illisible \\({name}\\)"):
        load(copy)
    data = json.loads(shipped.read_text(encoding="utf-8"))
    del data["checked_on"]
    copy.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UserError, match=f"Le fichier {what}.* est illisible") as caught:
        load(copy)
    assert "checked_on" in caught.value.details
    with pytest.raises(UserError, match="illisible"):
        load(tmp_path / "absent.json")
