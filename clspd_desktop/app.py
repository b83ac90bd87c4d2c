"""Start-up: paths, logging, French Qt, database health check and migrations, assistant, main window."""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QDialog

from clspd_desktop import APP_NAME, __version__
from clspd_desktop.context import AppContext
from clspd_desktop.db.file_check import FileInspection
from clspd_desktop.db.store import Store
from clspd_desktop.errors import DamagedDatabaseError
from clspd_desktop.logging_setup import setup_logging
from clspd_desktop.paths import AppPaths, default_data_dir, keep_private
from clspd_desktop.services import warm_up
from clspd_desktop.services.interrupted_work import finish_interrupted_work
from clspd_desktop.services.operations.council import populate_demo_data
from clspd_desktop.ui import messages
from clspd_desktop.ui.app_icon import app_icon
from clspd_desktop.ui.areas import OptionalAreas, build_areas, screen_modules
from clspd_desktop.ui.backups.startup import (
    open_or_recover,
    recover_damaged,
    snapshot_at_exit,
    snapshot_at_exit_now,
    snapshot_at_start,
)
from clspd_desktop.ui.crash_hook import install_excepthook
from clspd_desktop.ui.individual.guard import lock_at_exit
from clspd_desktop.ui.main_window import MainWindow
from clspd_desktop.ui.single_instance import SingleInstance, bring_to_front

log = logging.getLogger(__name__)


class FrenchHelpFormatter(argparse.HelpFormatter):
    """`--help` entirely in French: argparse's own "usage:" is the one English word left."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="clspd-desktop", description=f"{APP_NAME} {__version__}",
                                     formatter_class=FrenchHelpFormatter, add_help=False)
    parser.add_argument("-h", "--help", action="help", help="affiche cette aide puis quitte")
    parser.add_argument("--demo", action="store_true",
                        help="ouvre une base de démonstration séparée (commune fictive)")
    parser.add_argument("--data-dir", type=Path, default=None, metavar="DOSSIER",
                        help="dossier des données (par défaut : le dossier de données de l'utilisateur)")
    parser.add_argument("--exit-when-shown", action="store_true",
                        help="quitte dès que la fenêtre principale est affichée (mesures et tests)")
    parser.add_argument("--self-test", action="store_true",
                        help="vérifie l'installation (base, PDF, archive chiffrée, trousseau, Qt) puis quitte")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}",
                        help="affiche la version puis quitte")
    return parser.parse_args(argv)


def choose_paths(args: argparse.Namespace) -> AppPaths:
    base = args.data_dir or default_data_dir()
    return AppPaths.for_demo(base) if args.demo else AppPaths(base)


def install_french(app) -> None:
    """Qt's own translations, so standard buttons read "Annuler", "Oui", "Suivant"."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_fr", "qt_fr"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)


def run(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test:  # before any window and without touching the user's data folder
        from clspd_desktop.self_test import main as self_test

        return self_test()
    paths = choose_paths(args).ensure()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    instance = SingleInstance(paths.data_dir)
    if not instance.acquire():
        # Already running on this data folder: bring that window to the front; open nothing here.
        if not instance.ask_running_to_show():
            print("CLSPD Desktop est déjà ouvert sur ce dossier de données.", file=sys.stderr)
        return 0
    try:
        return _run_locked(app, instance, paths, args)
    finally:
        instance.release()


def _run_locked(app, instance, paths: AppPaths, args: argparse.Namespace) -> int:
    # Only the instance holding the lock may finish or roll back what a killed run left (a restore...).
    interrupted = _finish_interrupted_work(paths)
    # The whole-file check runs on a thread while the window is built; nothing writes to the file before its
    # verdict (see db.opening).
    inspection = FileInspection.start(paths.database)
    log_file = setup_logging(paths.logs_dir)
    log.info("Démarrage %s %s, données dans %s", APP_NAME, __version__, paths.data_dir)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    install_french(app)
    from clspd_desktop.ui import theme

    theme.apply(app)  # the system's dark or high-contrast scheme, for the start-up dialogs too
    install_excepthook(log_file)
    if interrupted:
        messages.inform(None, "Travail interrompu", interrupted)

    # The window is built from the data while the whole-file check finishes on its thread; the connection
    # refuses writes until the check has passed (see db.opening).
    opened = open_or_recover(paths, inspection, defer_check=True)
    while opened is not None:
        outcome = run_main_window(app, opened, paths, args, instance)
        if isinstance(outcome, int):
            return outcome
        opened = outcome  # the check failed once the window was up: this is the recovered database
    return 2


def _finish_interrupted_work(paths: AppPaths) -> str | None:
    """Before the database is opened: private permissions, then an interrupted restore finished or rolled back
    and what killed operations left removed (the French message to show, if any)."""
    keep_private(paths.data_dir)
    return finish_interrupted_work(paths)


def run_main_window(app, opened, paths: AppPaths, args: argparse.Namespace, instance=None):
    """Show the main window and run the event loop: the exit code, or the recovered database to start again
    with when the whole-file check finds the file damaged (the user chose the latest good snapshot)."""
    store = Store.over(opened.db)
    damage: list[DamagedDatabaseError] = []
    try:
        try:
            ctx = AppContext.create(paths, store, demo=args.demo)
            if not store.council.is_configured():
                opened.finish_check()  # the assistant or the demo data write: only to a checked file
                if args.demo:
                    ctx.runner.call(populate_demo_data)
            window = build_main_window(ctx)
        except sqlite3.DatabaseError:
            opened.finish_check()  # a damaged page met while the check runs: the check's verdict explains it
            raise
    except DamagedDatabaseError as exc:
        store.close()
        return recover_damaged(paths, exc) or 2
    if window is None:
        opened.finish_check()
        store.close()
        return 0
    window.show_fitted()
    if instance is not None:
        instance.listen(lambda: bring_to_front(window))

    def after_shown() -> None:
        """First pass of the event loop: the window is on screen with its data; then the check's verdict,
        before any user input is handled (this waits for it)."""
        if args.exit_when_shown:
            # The benchmark reads these clocks (seconds since the epoch) to time start-up up to here.
            print(f"fenetre_affichee: {time.time():.6f}", flush=True)
        try:
            opened.finish_check()
        except DamagedDatabaseError as exc:
            damage.append(exc)
            app.exit(RESTART)
            return
        ctx.runner.guard_writes()  # from now on the database is written through operations only
        if args.exit_when_shown:
            print(f"base_verifiee: {time.time():.6f}", flush=True)
            app.quit()  # closes the window: the exit snapshot is taken, not the daily one
            return
        # The daily snapshot (a copy of the whole file) is not needed to show the window: it runs just after,
        # on the runner's worker.
        snapshot_at_start(ctx, window)
        warm_up.start(extra=screen_modules())

    exit_snapshot_started: list[bool] = []

    def after_window_closed() -> None:
        """The window closed (unsaved edits and running work were settled first): the exit snapshot on the
        worker, then quit."""
        exit_snapshot_started.append(True)
        lock_at_exit(ctx)  # the individual follow-up's key wiped before anything else
        snapshot_at_exit(ctx, then=app.quit)

    QTimer.singleShot(0, after_shown)
    app.setQuitOnLastWindowClosed(False)
    app.lastWindowClosed.connect(after_window_closed)
    try:
        code = app.exec()
    finally:
        app.lastWindowClosed.disconnect(after_window_closed)
        app.setQuitOnLastWindowClosed(True)
    lock_at_exit(ctx)  # whatever ended the event loop, the individual follow-up does not stay open
    if damage:
        window.close()
        window.deleteLater()
        ctx.runner.wait()
        store.close()  # no exit snapshot of a damaged file
        return recover_damaged(paths, damage[0]) or 2
    if not exit_snapshot_started:
        snapshot_at_exit_now(ctx)
    ctx.runner.wait()
    store.close()
    return code


RESTART = 3  # event-loop exit code: the check failed after the window was shown


def build_main_window(ctx):
    """First launch runs the council assistant; cancelling it quits without writing anything."""
    from clspd_desktop.ui import theme

    theme.apply()  # the system's dark scheme, before any window takes its colours
    if not ctx.store.council.is_configured():
        from clspd_desktop.ui.council.assistant import CouncilAssistant

        assistant = CouncilAssistant(ctx)
        if assistant.exec() != QDialog.DialogCode.Accepted:
            return None
    council = ctx.store.council.get()
    title = f"{APP_NAME} — {council.title}" + (" (démonstration)" if ctx.demo else "")

    def show_about(parent) -> None:
        from clspd_desktop.ui.about_dialog import show_about as show  # the licences' texts: read when asked

        show(ctx, parent)

    window = MainWindow(build_areas(ctx), title, about=show_about, runner=ctx.runner)
    OptionalAreas(ctx, window)
    return window
