"""Start-up and exit duties of the backups feature: recover from a damaged database, offer a read-only export
of a database newer than the app, automatic snapshots."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import islice
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import long_date
from clspd_desktop.errors import DamagedDatabaseError, DatabaseTooNewError, UserError
from clspd_desktop.paths import AppPaths
from clspd_desktop.services.opening import FileInspection, OpenedDatabase, open_database
from clspd_desktop.services.operations import OpEnv
from clspd_desktop.services.operations import backups as ops
from clspd_desktop.services.operations.execution import execute
from clspd_desktop.services.snapshots import Snapshot, good_snapshots
from clspd_desktop.ui import messages
from clspd_desktop.ui.runner import OperationRunner

log = logging.getLogger(__name__)


def open_or_recover(paths: AppPaths, inspection: FileInspection | None = None, *,
                    defer_check: bool = False) -> OpenedDatabase | None:
    """Open the database; when it is damaged, offer the latest good snapshot instead of only refusing.

    `inspection`: the file check start-up began on a thread; `defer_check`: do not wait for it (see
    `open_database`; the caller then calls `finish_check()` and `recover_damaged()` if it fails). None when
    the user declines or nothing can be done (the reason has been shown).
    """
    try:
        return open_database(paths.database, paths.snapshots_dir, inspection, defer_check=defer_check)
    except DamagedDatabaseError as exc:
        return recover_damaged(paths, exc)
    except DatabaseTooNewError as exc:
        log.error("Base plus récente que l'application : %s (%s)", exc.message, exc.details)
        offer_readonly_export(paths, exc)
        return None
    except UserError as exc:
        log.error("Ouverture refusée : %s (%s)", exc.message, exc.details)
        messages.show_error(None, exc, "Ouverture de la base de données impossible")
        return None


def recover_damaged(paths: AppPaths, exc: DamagedDatabaseError) -> OpenedDatabase | None:
    """Explain the damage and offer the latest good snapshot; the damaged file is kept aside for support.

    Called with no connection open on the damaged file. None when declined or impossible (reason shown).
    """
    log.error("Base endommagée : %s (%s)", exc.message, exc.details)
    good = list(islice(good_snapshots(paths.snapshots_dir), MAX_OFFERED))
    if not good:
        messages.show_error(None, exc, "Base de données endommagée")
        return None
    snapshot = good[0]  # the newest content (snapshots are ordered by what they hold, not by their dates)
    text = (f"{exc.message}\n\nLe dernier instantané valable date du {_moment(snapshot)} "
            f"({snapshot.reason_label.lower()}). Le restaurer ? Ce qui a été saisi depuis sera perdu ; la base "
            "endommagée est conservée à part pour votre support.")
    if len(good) > 1:
        text += "\n\n« Annuler » propose ensuite la liste des autres instantanés valables."
    if not messages.confirm(None, "Base de données endommagée", text, "Restaurer l'instantané"):
        if len(good) == 1:
            return None
        index = messages.choose(None, "Choisir un instantané", "Instantanés valables, le plus récent en premier :",
                                [f"{_moment(s)} — {s.reason_label}" for s in good])
        if index is None:
            return None
        snapshot = good[index]
    try:
        from clspd_desktop.services.restore import replace_damaged_database  # py7zr: only when needed

        replace_damaged_database(paths, snapshot)
        opened = open_database(paths.database, paths.snapshots_dir)
    except UserError as err:
        messages.show_error(None, err, "Restauration impossible")
        return None
    messages.inform(None, "Instantané restauré", f"Les données du {_moment(snapshot)} ont été restaurées.")
    return opened


MAX_OFFERED = 15  # each one offered is checked first (quick_check): enough to go back a few weeks


def _moment(snapshot: Snapshot) -> str:
    return f"{long_date(snapshot.taken_at.date())} à {snapshot.taken_at.strftime('%H:%M')}"


READONLY_EXPORT_LABEL = "Exporter les données en lecture seule…"
READONLY_EXPORT_TITLE = "Exporter les données en lecture seule"


@dataclass
class _FileOnly:
    """What the runner needs for work that reads the database file itself: no store is opened on a file
    this version refuses, and no rules are needed."""

    paths: AppPaths
    rules: None = None
    store: None = None


def offer_readonly_export(paths: AppPaths, refusal: DatabaseTooNewError) -> None:
    """The refusal, with a way to keep reading the data until the new version is installed: an Excel
    export made without writing to the database (it stays byte-identical). The app then quits.

    A large council takes tens of seconds: the export runs on the runner's worker with its progress and
    « Annuler » (nothing is written then), in a local event loop since no window is open yet.
    """
    text = (f"{refusal.message}\n\nEn attendant, vous pouvez exporter vers un classeur Excel les données que "
            "cette version sait lire, sans modifier la base.")
    if not messages.confirm(None, "Base de données plus récente que l'application", text, READONLY_EXPORT_LABEL):
        return
    suggested = paths.exports_dir / f"clspd-lecture-seule-{date.today().isoformat()}.xlsx"
    target = messages.save_file(None, READONLY_EXPORT_TITLE, suggested, "Classeur Excel (*.xlsx)")
    if target is None:
        return
    if target.suffix.lower() != ".xlsx":
        target = target.with_name(target.name + ".xlsx")
    runner = OperationRunner(_FileOnly(paths))  # type: ignore[arg-type]  # see _FileOnly
    written: list[Path] = []
    loop = QEventLoop()
    runner.start(partial(ops.export_readonly, target=target), parent=None, label="Export en lecture seule…",
                 cancellable=True, on_success=written.append, title=READONLY_EXPORT_TITLE)
    runner.when_idle(loop.quit)
    if runner.busy:
        loop.exec()
    if written:
        messages.inform(None, READONLY_EXPORT_TITLE,
                        f"Les données ont été exportées (la base n'a pas été modifiée) :\n{written[0]}")


def _log_failure(what: str) -> Callable[[UserError], None]:
    def logged(exc: UserError) -> None:
        log.warning("%s impossible : %s", what, exc.details or exc.message)

    return logged


def snapshot_at_start(ctx: AppContext, parent: QWidget | None) -> None:
    """The daily snapshot, on the worker once the window is shown; a failure (disk full) is told but does not
    stop the app. A clock that went back (or far ahead) since the last snapshot is reported first, once."""
    warning = ctx.snapshots.clock_warning()
    if warning:
        messages.warn(parent, "Date de l'ordinateur à vérifier", warning)

    def failed(exc: UserError) -> None:
        _log_failure("Instantané de démarrage")(exc)
        messages.show_error(parent, exc, "Instantané automatique impossible")

    ctx.runner.start(ops.snapshot_at_start, parent=parent, label="Instantané de démarrage…", on_failure=failed)


def snapshot_at_exit(ctx: AppContext, then: Callable[[], None]) -> None:
    """The window has closed: the exit snapshot on the worker, then `then` (quit), taken or not. A failure
    is only logged: the next start tries again."""
    ctx.runner.start(ops.snapshot_at_exit, parent=None, label="Instantané de fermeture…",
                     on_failure=_log_failure("Instantané de fermeture"))
    ctx.runner.when_idle(then)


def snapshot_at_exit_now(ctx: AppContext) -> None:
    """The event loop ended without the window being closed (a benchmark's quit, the session ending): the
    exit snapshot now, with no window left to freeze."""
    ctx.runner.wait()
    try:
        execute(ops.snapshot_at_exit, OpEnv(ctx.paths, ctx.rules, store=ctx.store))  # errors made French
    except UserError as exc:
        _log_failure("Instantané de fermeture")(exc)
