"""Operations of the Conseil area: the council's description (form and first-launch assistant), demo data."""

from __future__ import annotations

from clspd_desktop.domain.council import Council
from clspd_desktop.domain.validation import validate_council
from clspd_desktop.services.operations.base import Change, Done, OpChanges, OpEnv, done


def save_council(env: OpEnv, council: Council) -> Done[Council]:
    """Check then write the council and its communes; ValidationError (per field, French) writes nothing.
    The value is `council` as written (phones normalised)."""
    validate_council(council)
    with env.store.transaction():
        env.store.council.save(council)
    return done(council, Change.COUNCIL)


def populate_demo_data(env: OpEnv) -> Done[None]:
    """Fill an empty demo database with the fictitious commune (all of it or nothing)."""
    from clspd_desktop.services.demo_data import populate_demo  # large: only for `--demo`

    populate_demo(env.store)
    return Done(None, OpChanges.all())
