"""How sentences name the council's territory (« CLSPD de Montreval », never « de Ville de Montreval »)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("name", "expected"), [
    ("Ville de Montreval", "de Montreval"),
    ("Commune d'Étampes", "d'Étampes"),
    ("Évry-Courcouronnes", "d'Évry-Courcouronnes"),
    ("Le Havre", "du Havre"),
    ("Communauté de communes du Val d'Yvette", "de la communauté de communes du Val d'Yvette"),
])
def test_a_sentence_names_the_territory_not_the_letterhead(name, expected):
    from clspd_desktop.domain.council import of_territory

    assert of_territory(name) == expected
