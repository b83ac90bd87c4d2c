"""Known referent functions: dated data with their sources, the parquet's chargé(e) de mission aux élus
locaux among them; an unreadable file is a French error, and the self-test requires the file."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest

from clspd_desktop import self_test
from clspd_desktop.domain.directory import Civility
from clspd_desktop.domain.referent_functions import FUNCTIONS_FILE, load_functions, referent_functions
from clspd_desktop.errors import UserError
from clspd_desktop.paths import resources_dir


def test_parquet_liaison_with_local_elected_officials_is_known_with_its_sources():
    known = referent_functions()
    function = known.find("chargee de mission aux elus locaux")  # accents and case do not matter
    assert function is not None
    assert function.organisation.startswith("Parquet")
    assert function.since == date(2022, 9, 20)
    assert "20 septembre 2022" in function.source and "17 mars 2023" in function.source
    assert function.label(Civility.MRS) == "Chargée de mission aux élus locaux"
    assert function.label(Civility.MR) == "Chargé de mission aux élus locaux"
    assert "Chargée de mission aux élus locaux" in known.labels(Civility.NONE)
    assert "Chargée de mission aux élus locaux" not in known.labels(Civility.MR)
    assert known.version_date <= date.today()


def test_unreadable_or_unsourced_file_is_a_french_error(tmp_path):
    broken = tmp_path / FUNCTIONS_FILE
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(UserError, match="fonctions de référents est illisible"):
        load_functions(broken)
    data = json.loads((resources_dir() / "rules" / FUNCTIONS_FILE).read_text(encoding="utf-8"))
    data["functions"][0]["source"] = " "
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UserError):
        load_functions(broken)


def test_self_test_requires_the_functions_file(tmp_path, monkeypatch):
    assert "rules/fonctions_referents.json" in self_test.REQUIRED_RESOURCES
    copy = tmp_path / "resources"
    shutil.copytree(resources_dir(), copy)
    (copy / "rules" / FUNCTIONS_FILE).unlink()
    monkeypatch.setattr(self_test, "resources_dir", lambda: copy)
    result = self_test.run_check("Ressources", self_test.check_resources)
    assert result.status == "ÉCHEC" and "rules/fonctions_referents.json" in result.detail
