"""Start-up and exit duties of the backups feature: recover from a damaged database, offer a read-only export
of a database newer than the app, automatic snapshots."""

from __future__ import annotations

import logging
from itertools import islice
from pathlib import Path

from clspd_desktop.context import AppContext
from clspd_desktop.db.file_check import FileInspection
from clspd_desktop.db.opening import OpenedDatabase, open_database
from clspd_desktop.domain.dates import long_date
from clspd_desktop.errors import DamagedDatabaseError, DatabaseTooNewError, UserError
from clspd_desktop.paths import AppPaths
from clspd_desktop.services.snapshots import Snapshot, SnapshotReason, good_snapshots

log = logging.getLogger(__name__)
# `clspd_desktop.ui.messages` (message boxes, file dialogs) is imported where a message is shown: the usual
# start shows none, and importing their Qt classes would add to it.


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
        from clspd_desktop.ui import messages

        messages.show_error(None, exc, "Ouverture de la base de données impossible")
        return None


def recover_damaged(paths: AppPaths, exc: DamagedDatabaseError) -> OpenedDatabase | None:
    """Explain the damage and offer the latest good snapshot; the damaged file is kept aside for support.

    Called with no connection open on the damaged file. None when declined or impossible (reason shown).
    """
    from clspd_desktop.ui import messages

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


def offer_readonly_export(paths: AppPaths, refusal: DatabaseTooNewError) -> None:
    """The refusal, with a way to keep reading the data until the new version is installed: an Excel
    export made without writing to the database (it stays byte-identical). The app then quits."""
    from clspd_desktop.ui import messages

    text = (f"{refusal.message}\n\nEn attendant, vous pouvez exporter vers un classeur Excel les données que "
            "cette version sait lire, sans modifier la base.")
    if not messages.confirm(None, "Base de données plus récente que l'application", text, READONLY_EXPORT_LABEL):
        return
    from PySide6.QtCore import Qt  # here, not at the top: the start path does not pay for what it rarely uses
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from clspd_desktop.domain.text import format_number
    from clspd_desktop.services.readonly_export import export_readonly_xlsx  # openpyxl: only when asked
    from clspd_desktop.ui.file_export import produce_file

    def write(target: Path) -> Path:
        """A large council takes tens of seconds: a progress bar with « Arrêter » (nothing is written then)."""
        dialog = QProgressDialog("Lecture de la base…", "Arrêter", 0, 1)
        dialog.setWindowTitle("Export en lecture seule")
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setMinimumDuration(400)

        def step(done: int, total: int, table: str) -> bool:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, total))
            dialog.setLabelText(f"Export de la table « {table} »… ({format_number(done)} sur "
                                f"{format_number(total)} lignes)")
            QApplication.processEvents()
            return not dialog.wasCanceled()

        try:
            return export_readonly_xlsx(paths.database, target, progress=step)
        finally:
            dialog.close()

    produce_file(None, paths.exports_dir, "Exporter les données en lecture seule", "clspd-lecture-seule", ".xlsx",
                 "Classeur Excel (*.xlsx)", write, "Les données ont été exportées (la base n'a pas été modifiée) :")


def snapshot_at_start(ctx: AppContext) -> None:
    """Once a day; a failure (disk full) is told but does not stop the app. A clock that went back (or far
    ahead) since the last snapshot is reported first, once."""
    warning = ctx.snapshots.clock_warning()
    if warning:
        from clspd_desktop.ui import messages

        messages.warn(None, "Date de l'ordinateur à vérifier", warning)
    if not ctx.snapshots.is_due():
        return
    try:
        ctx.snapshots.take(SnapshotReason.START)
    except UserError as exc:
        log.warning("Instantané de démarrage impossible : %s", exc.details or exc.message)
        from clspd_desktop.ui import messages

        messages.show_error(None, exc, "Instantané automatique impossible")


def snapshot_at_exit(ctx: AppContext) -> None:
    """The user is leaving: a failure is only logged (the next start tries again)."""
    try:
        ctx.snapshots.take(SnapshotReason.EXIT)
    except UserError as exc:
        log.warning("Instantané de fermeture impossible : %s", exc.details or exc.message)
