"""The council row and its communes: saving replaces the list of communes, keeping the ids of those kept."""

from clspd_desktop.domain.council import Commune, CouncilKind
from tests.factories import make_council


def _communes(store) -> list[tuple[str, int]]:
    return [(c.name, c.population) for c in store.council.communes()]


def test_saving_only_new_communes_replaces_the_old_ones(configured_store):
    cispd = make_council(kind=CouncilKind.CISPD, name="CC du Val",
                         communes=[Commune("Étréchy", 6_000), Commune("Lardy", 5_500)])
    configured_store.council.save(cispd)
    assert _communes(configured_store) == [("Étréchy", 6_000), ("Lardy", 5_500)]


def test_editing_keeps_ids_and_removes_the_dropped_commune(configured_store):
    configured_store.council.save(make_council(kind=CouncilKind.CISPD, communes=[
        Commune("A", 100), Commune("B", 200), Commune("C", 300)]))
    council = configured_store.council.get()
    kept_id = council.communes[1].id
    council.communes = [council.communes[1], Commune("D", 400)]
    council.communes[0].population = 250
    configured_store.council.save(council)
    assert _communes(configured_store) == [("B", 250), ("D", 400)]
    assert configured_store.council.communes()[0].id == kept_id


def test_no_commune_at_all_empties_the_list(configured_store):
    council = configured_store.council.get()
    council.communes = []
    configured_store.council.save(council)
    assert _communes(configured_store) == []
