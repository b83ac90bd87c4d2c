"""The scripted session of `bench_session.py`, one function per step: every place the benchmark touches the UI.

Screens are being reworked; this module is the only one to adapt when they change. Steps reach the UI at
the highest, most stable level: `MainWindow.show_area(key)`, the pages' public methods, tabs and buttons
found by their French text, widgets by type. A step that no longer finds what it drives raises
`StepMissing` and is reported as missing: never replaced by a call below the screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QDialog, QLineEdit, QTabWidget, QWidget

from benchmarks.gui_harness import Session, StepMissing, ms_until_painted, settle, wait_until

SEARCH_WORD = "martin"  # typed letter by letter in the Référents search
QUIET_S = 1.0  # the idle anchor's length, and how long the start lets deferred work run (tests shorten it)


# --- finding widgets -------------------------------------------------------------------------------------
def button(root: QWidget, text: str) -> QAbstractButton:
    """The visible-or-not button whose text starts with `text` (mnemonic « & » ignored)."""
    for candidate in root.findChildren(QAbstractButton):
        if candidate.text().replace("&", "").startswith(text):
            return candidate
    raise StepMissing(f"bouton « {text} » introuvable")


def show_tab(root: QWidget, text: str) -> QWidget:
    """Select the tab titled `text` in the first tab widget that has it; its page."""
    for tabs in root.findChildren(QTabWidget):
        for index in range(tabs.count()):
            if tabs.tabText(index).replace("&", "") == text:
                tabs.setCurrentIndex(index)
                return tabs.widget(index)
    raise StepMissing(f"onglet « {text} » introuvable")


def child(root: QWidget, kind: type) -> QWidget:
    found = root.findChild(kind)
    if found is None:
        raise StepMissing(f"{kind.__name__} introuvable")
    return found


def produced(s: Session, action: Callable[[], object], what: str) -> None:
    """Run an action that writes a file (or sends) and wait until the app says it is done."""
    mark = s.mark()
    action()
    s.finish(mark)
    if not s.answers.saved and what:
        raise StepMissing(f"{what} : aucun fichier demandé")


# --- the steps ---------------------------------------------------------------------------------------------
def start(s: Session) -> None:
    """The window shown, then what the app does on the event loop's first pass (the daily snapshot)."""
    from clspd_desktop.services import warm_up
    from clspd_desktop.ui.areas import screen_modules
    from clspd_desktop.ui.backups.startup import snapshot_at_start

    s.window.show()
    wait_until(lambda: s.window.isVisible(), 10)
    snapshot_at_start(s.ctx, s.window)
    warm_up.start(extra=screen_modules())  # as app.py does
    wait_until(lambda: not s.busy(), 120)
    settle(QUIET_S)


def visit_area(s: Session, key: str, visit: str) -> None:
    """One area shown, timed until it is painted with its data (a screen that reads it on a worker shows
    « Chargement… » first); `visit` is "first" or "later". The area already shown (the dashboard, at start)
    is not visited again."""
    if s.window.current_key() == key:
        return
    began = time.perf_counter()
    elapsed = ms_until_painted(lambda: s.window.show_area(key), lambda: s.window.stack.currentWidget())
    if s.window.current_key() != key:
        raise StepMissing(f"rubrique « {key} » non affichée")
    page = s.window.stack.currentWidget()
    if getattr(page, "loading", False):  # its data read on a worker: timed until that data is painted
        if not wait_until(lambda: not page.loading, 60):
            raise StepMissing(f"rubrique « {key} » : données jamais affichées")
        ms_until_painted(page.update, lambda: page, timeout_s=5)  # its next paint shows the data
        elapsed = (time.perf_counter() - began) * 1000
    s.area_ms.setdefault(f"{key}_{visit}", []).append(elapsed)


def search_referents(s: Session) -> None:
    """« martin » typed letter by letter in the Référents search, each letter timed until the table is painted."""
    page = s.page("partners")
    tab = show_tab(page, "Référents")
    search = child(tab, QLineEdit)
    table = child(tab, QAbstractItemView)
    settle(0.2)
    search.setFocus()
    search.clear()
    settle(0.2)
    for letter in SEARCH_WORD:
        s.keystroke_ms.append(ms_until_painted(lambda letter=letter: QTest.keyClick(search, letter),
                                               lambda: table.viewport(), timeout_s=1.0, unchanged_ok=True))
    if search.text() != SEARCH_WORD:
        raise StepMissing(f"la recherche contient « {search.text()} »")
    search.clear()


def open_meeting_and_convocations(s: Session) -> None:
    """The meeting with 100 invitees opened from the Réunions area, its convocations produced, then closed."""
    page = s.page("meetings")
    open_meeting = getattr(page, "open_meeting", None)
    if open_meeting is None or not s.meeting_100_id:
        raise StepMissing("Réunions : open_meeting(id) introuvable")
    failures: list[str] = []

    def in_detail(detail: QDialog) -> None:
        try:
            show_tab(detail, "Convocations et envoi")
            settle(0.1)
            produced(s, button(detail, "Convocations (PDF)").click, "convocations")
        except StepMissing as missing:
            failures.append(str(missing))
        detail.reject()

    s.modals.then(in_detail)
    open_meeting(s.meeting_100_id)
    if failures:
        raise StepMissing(failures[0])


def produce_bilan(s: Session) -> None:
    """« Rapports » > Bilan annuel > « Produire le bilan PDF… »."""
    page = s.page("reports")
    bilan = getattr(page, "bilan", None)
    if bilan is None:
        raise StepMissing("Rapports : panneau du bilan introuvable")
    page.select(bilan)
    settle(0.1)
    produced(s, button(bilan, "Produire le bilan PDF").click, "bilan")


def make_backup(s: Session) -> None:
    """« Sauvegardes » > « Créer une sauvegarde chiffrée… » (the password is created the first time)."""
    page = s.page("backups")
    show_tab(page, "Sauvegarde chiffrée")
    settle(0.1)
    produced(s, button(page, "Créer une sauvegarde chiffrée").click, "sauvegarde")


def restore_backup(s: Session) -> None:
    """« Restaurer une sauvegarde… » of the backup just made (password from the in-memory keyring)."""
    backups = [path for path in s.answers.saved if path.suffix == ".7z" and path.is_file()]
    if not backups:
        raise StepMissing("aucune sauvegarde à restaurer")
    page = s.page("backups")
    show_tab(page, "Sauvegarde chiffrée")
    s.answers.files_to_open.append(backups[-1])
    mark = s.mark()
    button(page, "Restaurer une sauvegarde").click()
    s.finish(mark)


def build_and_send_pack(s: Session) -> None:
    """« Envoi à la préfecture »: the pack built with every available document, then sent by SMTP to the
    local server."""
    page = s.page("backups")
    panel = show_tab(page, "Envoi à la préfecture")
    settle(0.1)
    before = len(s.mailbox)
    send = button(panel, "Envoyer par le serveur")
    errors = len(s.errors)
    mark = s.mark()
    button(panel, "Préparer l'envoi chiffré").click()
    if not wait_until(lambda: len(s.errors) > errors or (not s.busy() and send.isEnabled()), 300) \
            or len(s.errors) > errors:
        raise StepMissing("envoi préparé introuvable")
    if len(s.answers.warned) > mark[1]:
        title, text = s.answers.warned[mark[1]]
        raise StepMissing(f"préparation refusée : {title} — {text[:200]}")
    mark = s.mark()
    send.click()
    s.finish(mark)
    if len(s.mailbox) <= before:
        raise StepMissing("le serveur SMTP local n'a rien reçu")


def steps(s: Session) -> list[tuple[str, Callable[[], None]]]:
    """The session in order, as (name, call). The first area is shown at start (its first visit is the
    start); every other area is visited once, then all of them twice more (later visits)."""
    keys = [area.key for area in s.window.areas]
    return [
        ("idle", lambda: settle(QUIET_S)),  # the anchor: the probe's own noise with nothing to do
        ("start", lambda: start(s)),
        *[(f"area_{key}_first", lambda key=key: visit_area(s, key, "first")) for key in keys[1:]],
        *[(f"area_{key}_later", lambda key=key: visit_area(s, key, "later")) for key in keys[1:] + keys[:1]],
        *[(f"area_{key}_later", lambda key=key: visit_area(s, key, "later")) for key in keys[1:] + keys[:1]],
        ("search_referents", lambda: search_referents(s)),
        ("meeting_100_convocations", lambda: open_meeting_and_convocations(s)),
        ("annual_bilan", lambda: produce_bilan(s)),
        ("backup", lambda: make_backup(s)),
        ("restore", lambda: restore_backup(s)),
        ("pack_smtp", lambda: build_and_send_pack(s)),
    ]


def prepare(today: date) -> Callable[[object, int], int]:
    """The session's data, added before the window is built: a meeting with 100 invitees and the local SMTP
    server as the mail account. Returns `open_session`'s `prepare`."""
    def add(store, smtp_port: int) -> int:
        from benchmarks.large_meetings import add_meeting_with_invitees
        from clspd_desktop.services.mail import SmtpSettings

        SmtpSettings(host="127.0.0.1", port=smtp_port, security="none",
                     sender="cispd@grandval-demo.fr").save(store.settings)
        return add_meeting_with_invitees(store, today, 100)

    return add

