"""User actions as Qt-free operations: each owns its transaction, applies the rules and says what changed.

Modelled on Anki's `CollectionOp`: the screen asks the one runner (`ui/runner.py`) to run an operation;
the runner runs it on the GUI thread when it is quick, or on a worker with its own SQLite connection when
it is long, then hands the `OpChanges` to the dispatcher, which tells every open screen. One module per
area (`directory`, `meetings`, `plan`…) holds that area's operations.
"""

from clspd_desktop.services.operations.base import (
    Cancelled,
    Change,
    Done,
    OpChanges,
    OpEnv,
    Progress,
    done,
)

__all__ = ["Cancelled", "Change", "Done", "OpChanges", "OpEnv", "Progress", "done"]
