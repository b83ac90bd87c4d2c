"""The "Sauvegardes" screen: snapshots (list, restore), encrypted backup and restore, préfecture packs
(their tab is `pack_panel.PackPanel`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.text import file_size, plural, sentence_start
from clspd_desktop.errors import UserError
from clspd_desktop.services.backup import BackupPassword, BackupResult, last_backup_at, suggested_file_name
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import backups as ops
from clspd_desktop.services.passwords import normalize
from clspd_desktop.services.restore import RestorePlan
from clspd_desktop.services.secrets import SecretsUnavailableError
from clspd_desktop.services.snapshots import Snapshot
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.backups.pack_panel import PackPanel, plain_label, when
from clspd_desktop.ui.backups.password_dialogs import ShowPasswordDialog, TypePasswordDialog
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.record_table import Column, RecordTable
from clspd_desktop.ui.widgets.scrolling import scrolled

log = logging.getLogger(__name__)

ARCHIVE_FILTER = "Sauvegarde chiffrée (*.7z)"


SNAPSHOT_COLUMNS = [
    Column("Date", lambda s: when(s.taken_at), 150, sort_key=lambda s: s.taken_at),
    Column("Raison", lambda s: s.reason_label, 260),
    Column("Taille", lambda s: file_size(s.size), 90, sort_key=lambda s: s.size),
]


class BackupsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.passwords = BackupPassword(ctx.store.settings)
        layout = QVBoxLayout(self)
        title = QLabel("Sauvegardes")
        theme.set_relative_size(title, 1.6, bold=True)
        layout.addWidget(title)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._snapshots_tab(), "Instantanés automatiques")
        self.tabs.addTab(scrolled(self._backup_tab()), "Sauvegarde chiffrée")
        self.pack_panel = PackPanel(ctx)
        self.pack_tab = scrolled(self.pack_panel)  # taller than 125 % or 14 pt allows: it scrolls
        self.tabs.addTab(self.pack_tab, "Envoi à la préfecture")
        layout.addWidget(self.tabs)
        self.refresh()
        ctx.runner.dispatcher.subscribe(self, {Change.BACKUPS, Change.SETTINGS}, self._on_changes)
        ctx.runner.busy_changed.connect(self._show_busy)

    def _show_busy(self, busy: bool) -> None:
        """While long work runs, what would conflict with it is disabled rather than refused after a click."""
        for button in (self.take_button, self.restore_snapshot_button, self.backup_button,
                       self.restore_backup_button, self.sheet_button):
            button.setEnabled(not busy)

    # --- layout --------------------------------------------------------------------------------------
    def _snapshots_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(plain_label(
            "L'application copie elle-même la base de données au démarrage (une fois par jour), à la fermeture, "
            "et avant chaque mise à jour, import, restauration ou suppression groupée. Elle garde environ "
            "7 copies quotidiennes, 4 hebdomadaires et 12 mensuelles, sur cet ordinateur. Pour vous protéger "
            "d'une panne ou d'un vol de l'ordinateur, faites aussi une sauvegarde chiffrée sur une clé USB."))
        self.snapshot_table = RecordTable(SNAPSHOT_COLUMNS, identity=lambda s: s.path, name="Copies de sécurité")
        self.snapshot_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.snapshot_table.open_requested.connect(self.restore_snapshot)
        layout.addWidget(self.snapshot_table)
        row = QHBoxLayout()
        self.take_button = QPushButton("Prendre un instantané maintenant")
        self.take_button.clicked.connect(self.take_snapshot)
        self.restore_snapshot_button = QPushButton("Restaurer cet instantané…")
        self.restore_snapshot_button.clicked.connect(self.restore_snapshot)
        row.addWidget(self.take_button)
        row.addStretch(1)
        row.addWidget(self.restore_snapshot_button)
        layout.addLayout(row)
        return tab

    def _backup_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(plain_label(
            "Une sauvegarde chiffrée contient toutes les données du conseil et les documents joints. "
            "Enregistrez-la sur une clé USB ou un disque rangé hors de l'ordinateur. Elle est protégée par le "
            "mot de passe imprimé sur la fiche de secours : gardez cette fiche dans le coffre de la mairie."))
        self.backup_status = plain_label("")
        self.backup_status.setObjectName("backupStatus")
        self.backup_status.setStyleSheet(f"padding: 8px; background: {theme.colours().subtle};")
        layout.addWidget(self.backup_status)
        for label, slot, name in (
            ("Créer une sauvegarde chiffrée…", self.make_backup, "backup_button"),
            ("Restaurer une sauvegarde…", self.restore_backup, "restore_backup_button"),
            ("Imprimer la fiche de secours (PDF)…", self.save_recovery_sheet, "sheet_button"),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            setattr(self, name, button)
            row = QHBoxLayout()
            row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addStretch(1)
        return tab

    # --- refresh -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.snapshot_table.set_records(self.ctx.snapshots.list())
        last = last_backup_at(self.ctx.store.settings)
        created = self.passwords.created_at()
        lines = [f"Dernière sauvegarde chiffrée : {long_date(last.date())} à {last.strftime('%H:%M')}." if last
                 else "Aucune sauvegarde chiffrée n'a encore été faite depuis cet ordinateur."]
        lines.append(f"Mot de passe des sauvegardes créé le {long_date(created.date())}." if created
                     else "Le mot de passe des sauvegardes sera créé à la première sauvegarde.")
        self.backup_status.setText("\n".join(lines))

    def _on_changes(self, changes: OpChanges) -> None:
        self.refresh()

    # --- snapshots -----------------------------------------------------------------------------------
    def take_snapshot(self) -> None:
        self.ctx.runner.start(ops.take_snapshot, parent=self, label="Instantané en cours…",
                              title="Instantané impossible")

    def restore_snapshot(self) -> None:
        snapshot: Snapshot | None = self.snapshot_table.current_record()
        if snapshot is None:
            messages.inform(self, "Restaurer un instantané", "Choisissez d'abord un instantané dans la liste.")
            return
        self.ctx.runner.start(
            partial(ops.prepare_snapshot_restore, snapshot=snapshot), parent=self,
            label="Vérification de l'instantané…", cancellable=True, title="Restauration impossible",
            on_success=lambda plan: self._confirm_and_apply(plan, f"l'instantané du {when(snapshot.taken_at)}"))

    def _confirm_and_apply(self, plan: RestorePlan, what: str, keep_password: str | None = None) -> None:
        """Ask, then replace every record on the worker (see `ops.apply_restore` for `keep_password`)."""
        text = (f"Restaurer {what} ?\n\n{plan.summary()}\n\nToutes les données actuelles seront remplacées. "
                "Elles sont d'abord copiées dans un instantané « Avant une restauration », que vous pourrez "
                "restaurer à son tour.")
        if not messages.confirm(self, "Restaurer", text, "Restaurer"):
            plan.discard()
            return
        if plan.individual is not None:
            self.ctx.individual.lock()  # its file is about to be replaced
        self.ctx.runner.start(
            partial(ops.apply_restore, plan=plan, keep_password=keep_password), parent=self,
            label="Restauration des données…", title="Restauration impossible",
            on_success=lambda _safety: messages.inform(
                self, "Restauration terminée",
                f"Les données ont été restaurées.\n\n{plan.summary()}\n{plan.individual_note}".rstrip()))

    # --- backup password -----------------------------------------------------------------------------
    def _ask_typed_password(self, explanation: str, must_match: bool) -> str | None:
        while True:
            dialog = TypePasswordDialog(explanation, self)
            if not modal.run(dialog):
                return None
            if not must_match:
                return normalize(dialog.typed())
            accepted = self.passwords.accept_typed(dialog.typed())
            if accepted:
                return accepted
            explanation = ("Ce n'est pas le mot de passe des sauvegardes de ce conseil. Vérifiez la fiche de "
                           "secours et tapez-le de nouveau (majuscules et tirets facultatifs).")

    def _try_keep(self, password: str) -> str:
        """'' when kept, else the French reason (shown to the user: nothing is ever dropped silently)."""
        try:
            self.passwords.keep(password)
            return ""
        except SecretsUnavailableError as exc:
            return exc.message

    def _create_password(self) -> tuple[str, Path | None] | None:
        """The first backup: create the password, show it, and ask where to save the recovery sheet (written
        with the backup). None when the password could not be recorded (the reason was shown)."""
        password = self.ctx.runner.run(ops.create_backup_password, parent=self, title="Sauvegarde impossible")
        if password is None:
            return None
        problem = self._try_keep(password.value)
        warning = (f"{problem} Notez-le maintenant ou imprimez la fiche de secours : il ne pourra plus être "
                   "affiché, et il vous sera demandé à chaque sauvegarde.") if problem else ""
        modal.run(ShowPasswordDialog(
            "Mot de passe des sauvegardes",
            "Un mot de passe a été créé pour chiffrer les sauvegardes de ce conseil. Imprimez la fiche de "
            "secours et rangez-la dans le coffre de la mairie : sans elle, une sauvegarde ne peut pas être "
            "restaurée sur un autre ordinateur.",
            password.value, "Ne l'envoyez jamais par courriel.", warning, self))
        sheet = None
        if messages.confirm(self, "Fiche de secours", "Enregistrer la fiche de secours à imprimer maintenant ?",
                            "Enregistrer la fiche"):
            sheet = self._ask_sheet_target()
        return password.value, sheet

    def _with_backup_password(self, then: Callable[[str], None]) -> None:
        """`then(password)` with the password from this PC's keyring (checked on the worker: a deliberately
        slow hash), or typed from the recovery sheet; nothing when the user gives up."""

        def found(kept_and_problem: tuple[str | None, str]) -> None:
            kept, problem = kept_and_problem
            if kept:
                then(kept)
                return
            typed = self._ask_typed_password(
                (f"{problem} " if problem else "Le mot de passe des sauvegardes n'est pas enregistré sur cet "
                 "ordinateur. ") + "Tapez-le tel qu'il est imprimé sur la fiche de secours.", must_match=True)
            if typed:
                if not problem:
                    self._try_keep(typed)
                then(typed)

        self.ctx.runner.start(ops.kept_backup_password, parent=self, label="Lecture du mot de passe…",
                              title="Mot de passe indisponible", on_success=found)

    # --- backup and restore --------------------------------------------------------------------------
    def make_backup(self) -> None:
        if self.ctx.runner.refuse_if_busy(self):
            return
        council = self.ctx.store.council.get()
        now = datetime.now()
        target = messages.save_file(self, "Enregistrer la sauvegarde chiffrée",
                                    Path.home() / suggested_file_name(council.name if council else "", now),
                                    ARCHIVE_FILTER)
        if target is None:
            return
        if self.passwords.exists():
            self._with_backup_password(lambda password: self._start_backup(target, password, now))
            return
        created = self._create_password()
        if created is not None:
            self._start_backup(target, created[0], now, sheet=created[1])

    def _start_backup(self, target: Path, password: str, now: datetime, sheet: Path | None = None) -> None:
        def written(result: BackupResult) -> None:
            if sheet is not None:
                self._sheet_written(sheet)
            messages.inform(self, "Sauvegarde terminée",
                            f"La sauvegarde chiffrée a été enregistrée et vérifiée :\n{result.path}\n\n"
                            f"{sentence_start(plural(result.documents, 'document joint inclus', 'documents joints inclus'))}. "
                            "Rangez la clé USB en lieu sûr.")

        self.ctx.runner.start(partial(ops.make_backup, target=target, password=password, now=now, sheet=sheet),
                              parent=self, label="Sauvegarde chiffrée en cours…",
                              title="Sauvegarde impossible", on_success=written)

    def restore_backup(self) -> None:
        if self.ctx.runner.refuse_if_busy(self):
            return
        source = messages.open_file(self, "Choisir la sauvegarde à restaurer", ARCHIVE_FILTER)
        if source is None:
            return
        if not self.passwords.exists():
            self._restore_with_typed(source)
            return

        def found(kept_and_problem: tuple[str | None, str]) -> None:
            kept, _problem = kept_and_problem
            if kept:  # this council's own password: if it does not open the file, ask for the one on its sheet
                self._prepare_backup(source, kept, on_failure=lambda _exc: self._restore_with_typed(source))
            else:
                self._restore_with_typed(source)

        self.ctx.runner.start(ops.kept_backup_password, parent=self, label="Lecture du mot de passe…",
                              title="Restauration impossible", on_success=found)

    def _restore_with_typed(self, source: Path) -> None:
        typed = self._ask_typed_password(
            "Tapez le mot de passe de cette sauvegarde, tel qu'il est imprimé sur la fiche de secours.",
            must_match=False)
        if typed is not None:
            self._prepare_backup(source, typed)

    def _prepare_backup(self, source: Path, password: str,
                        on_failure: Callable[[UserError], None] | None = None) -> None:
        """Decrypt and check on the worker, then ask before replacing anything."""
        self.ctx.runner.start(
            partial(ops.prepare_backup_restore, source=source, password=password), parent=self,
            label="Vérification de la sauvegarde…", cancellable=True, title="Restauration impossible",
            on_failure=on_failure,
            on_success=lambda plan: self._confirm_and_apply(plan, f"la sauvegarde « {source.name} »",
                                                            keep_password=password))

    # --- recovery sheet ------------------------------------------------------------------------------
    def save_recovery_sheet(self) -> None:
        if self.ctx.runner.refuse_if_busy(self):
            return
        if self.passwords.exists():
            self._with_backup_password(self._write_sheet)
            return
        created = self._create_password()
        if created is not None and created[1] is not None:
            self._write_sheet(created[0], created[1])

    def _write_sheet(self, password: str, target: Path | None = None) -> None:
        target = target or self._ask_sheet_target()
        if target is None:
            return
        self.ctx.runner.start(partial(ops.write_recovery_sheet, target=target, password=password), parent=self,
                              label="Fiche de secours…", title="Fiche de secours impossible",
                              on_success=self._sheet_written)

    def _ask_sheet_target(self) -> Path | None:
        return messages.save_file(self, "Enregistrer la fiche de secours",
                                  Path.home() / "Fiche de secours des sauvegardes.pdf", "PDF (*.pdf)")

    def _sheet_written(self, target: Path) -> None:
        messages.inform(self, "Fiche de secours", f"La fiche est enregistrée :\n{target}\n\nImprimez-la, rangez-la "
                        "dans le coffre de la mairie, puis supprimez le fichier.")
