"""Operations of the Conseil area, without Qt."""

from __future__ import annotations

import pytest

from clspd_desktop.domain.council import Commune
from clspd_desktop.errors import ValidationError
from clspd_desktop.services.operations import Change, OpChanges, OpEnv
from clspd_desktop.services.operations import council as ops


@pytest.fixture
def env(paths, configured_store, ctx):
    return OpEnv(paths, ctx.rules, store=configured_store)


def test_save_council_normalises_and_says_what_changed(env):
    council = env.store.council.get()
    council.phone = "0160000000"
    saved = ops.save_council(env, council=council)
    assert saved.changes == OpChanges.of(Change.COUNCIL)
    assert saved.value.phone == "01 60 00 00 00" == env.store.council.get().phone


def test_refused_council_writes_nothing(env):
    before = vars(env.store.council.get())
    council = env.store.council.get()
    council.coordinator_email = "pas-un-mail"
    council.communes.append(Commune(name="Voisine", population=10))  # a CLSPD has one commune
    with pytest.raises(ValidationError) as refused:
        ops.save_council(env, council=council)
    assert set(refused.value.fields) == {"coordinator_email", "communes"}
    assert vars(env.store.council.get()) == before


def test_demo_data_fills_an_empty_database_all_at_once(paths, store, ctx):
    env = OpEnv(paths, ctx.rules, store=store)
    result = ops.populate_demo_data(env)
    assert result.changes == OpChanges.all()
    assert store.council.is_configured() and store.directory.count_organisations() > 10
