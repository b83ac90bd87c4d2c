"""The "Sauvegardes" screen: snapshots (list, restore), encrypted backup and restore, préfecture packs
(their tab is `pack_panel.PackPanel`)."""

from __future__ import annotations

import logging
from datetime import datetime
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
from clspd_desktop.domain.text import file_size, plural
from clspd_desktop.errors import UserError
from clspd_desktop.services.backup import (
    BackupPassword,
    build_recovery_sheet,
    last_backup_at,
    make_backup,
    suggested_file_name,
)
from clspd_desktop.services.passwords import normalize
from clspd_desktop.services.restore import (
    RestorePlan,
    apply_restore,
    prepare_backup_restore,
    prepare_snapshot_restore,
)
from clspd_desktop.services.secrets import SecretsUnavailableError
from clspd_desktop.services.snapshots import Snapshot, SnapshotReason
from clspd_desktop.ui import messages
from clspd_desktop.ui.backups.pack_panel import PackPanel, when
from clspd_desktop.ui.backups.password_dialogs import ShowPasswordDialog, TypePasswordDialog
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.busy import with_busy_cursor
from clspd_desktop.ui.widgets.record_table import Column, RecordTable

log = logging.getLogger(__name__)

ARCHIVE_FILTER = "Sauvegarde chiffrée (*.7z)"


def _text(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


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
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        layout.addWidget(title)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._snapshots_tab(), "Instantanés automatiques")
        self.tabs.addTab(self._backup_tab(), "Sauvegarde chiffrée")
        self.pack_panel = PackPanel(ctx)
        self.tabs.addTab(self.pack_panel, "Envoi à la préfecture")
        layout.addWidget(self.tabs)
        self.refresh()

    # --- layout --------------------------------------------------------------------------------------
    def _snapshots_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(_text(
            "L'application copie elle-même la base de données au démarrage (une fois par jour), à la fermeture, "
            "et avant chaque mise à jour, import, restauration ou suppression groupée. Elle garde environ "
            "7 copies quotidiennes, 4 hebdomadaires et 12 mensuelles, sur cet ordinateur. Pour vous protéger "
            "d'une panne ou d'un vol de l'ordinateur, faites aussi une sauvegarde chiffrée sur une clé USB."))
        self.snapshot_table = RecordTable(SNAPSHOT_COLUMNS, identity=lambda s: s.path)
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
        layout.addWidget(_text(
            "Une sauvegarde chiffrée contient toutes les données du conseil et les documents joints. "
            "Enregistrez-la sur une clé USB ou un disque rangé hors de l'ordinateur. Elle est protégée par le "
            "mot de passe imprimé sur la fiche de secours : gardez cette fiche dans le coffre de la mairie."))
        self.backup_status = _text("")
        self.backup_status.setObjectName("backupStatus")
        self.backup_status.setStyleSheet("padding: 8px; background: #f3f6fa;")
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
        self.pack_panel.refresh()

    # --- snapshots -----------------------------------------------------------------------------------
    def take_snapshot(self) -> None:
        try:
            self.ctx.snapshots.take(SnapshotReason.MANUAL)
        except UserError as exc:
            messages.show_error(self, exc, "Instantané impossible")
        self.refresh()

    def restore_snapshot(self) -> None:
        snapshot: Snapshot | None = self.snapshot_table.current_record()
        if snapshot is None:
            messages.inform(self, "Restaurer un instantané", "Choisissez d'abord un instantané dans la liste.")
            return
        try:
            plan = with_busy_cursor(lambda: prepare_snapshot_restore(snapshot, self.ctx.paths))
        except UserError as exc:
            messages.show_error(self, exc, "Restauration impossible")
            return
        self._confirm_and_apply(plan, f"l'instantané du {when(snapshot.taken_at)}")

    def _confirm_and_apply(self, plan: RestorePlan, what: str) -> bool:
        text = (f"Restaurer {what} ?\n\n{plan.summary()}\n\nToutes les données actuelles seront remplacées. "
                "Elles sont d'abord copiées dans un instantané « Avant une restauration », que vous pourrez "
                "restaurer à son tour.")
        if not messages.confirm(self, "Restaurer", text, "Restaurer"):
            plan.discard()
            return False
        try:
            with_busy_cursor(lambda: apply_restore(plan, self.ctx.store.db.conn, self.ctx.snapshots, self.ctx.paths))
        except UserError as exc:
            messages.show_error(self, exc, "Restauration impossible")
            self.refresh()
            return False
        self.refresh()
        messages.inform(self, "Restauration terminée", f"Les données ont été restaurées.\n\n{plan.summary()}")
        return True

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

    def backup_password(self) -> str | None:
        """The password from the keyring, or created now (and shown), or typed from the recovery sheet."""
        if not self.passwords.exists():
            password = self.passwords.create()
            problem = self._try_keep(password)
            warning = (f"{problem} Notez-le maintenant ou imprimez la fiche de secours : il ne pourra plus être "
                       "affiché, et il vous sera demandé à chaque sauvegarde.") if problem else ""
            modal.run(ShowPasswordDialog(
                "Mot de passe des sauvegardes",
                "Un mot de passe a été créé pour chiffrer les sauvegardes de ce conseil. Imprimez la fiche de "
                "secours et rangez-la dans le coffre de la mairie : sans elle, une sauvegarde ne peut pas être "
                "restaurée sur un autre ordinateur.",
                password, "Ne l'envoyez jamais par courriel.", warning, self))
            if messages.confirm(self, "Fiche de secours", "Enregistrer la fiche de secours à imprimer maintenant ?",
                                "Enregistrer la fiche"):
                self._write_sheet(password)
            self.refresh()
            return password
        try:
            kept = self.passwords.kept()
            problem = ""
        except SecretsUnavailableError as exc:
            kept, problem = None, exc.message
        if kept:
            return kept
        typed = self._ask_typed_password(
            (f"{problem} " if problem else "Le mot de passe des sauvegardes n'est pas enregistré sur cet "
             "ordinateur. ") + "Tapez-le tel qu'il est imprimé sur la fiche de secours.", must_match=True)
        if typed and not problem:
            self._try_keep(typed)
        return typed

    # --- backup and restore --------------------------------------------------------------------------
    def make_backup(self) -> None:
        council = self.ctx.store.council.get()
        now = datetime.now()
        target = messages.save_file(self, "Enregistrer la sauvegarde chiffrée",
                                    Path.home() / suggested_file_name(council.name if council else "", now),
                                    ARCHIVE_FILTER)
        if target is None:
            return
        password = self.backup_password()
        if password is None:
            return
        try:
            result = with_busy_cursor(lambda: make_backup(self.ctx.store, self.ctx.paths, target, password, now=now))
        except UserError as exc:
            messages.show_error(self, exc, "Sauvegarde impossible")
            return
        self.refresh()
        messages.inform(self, "Sauvegarde terminée",
                        f"La sauvegarde chiffrée a été enregistrée et vérifiée :\n{result.path}\n\n"
                        f"{plural(result.documents, 'document joint inclus', 'documents joints inclus')}. Rangez la clé USB en lieu sûr.")

    def restore_backup(self) -> None:
        source = messages.open_file(self, "Choisir la sauvegarde à restaurer", ARCHIVE_FILTER)
        if source is None:
            return
        try:
            password = self.passwords.kept() if self.passwords.exists() else None
        except SecretsUnavailableError:
            password = None
        plan = self._prepare_backup(source, password) if password else None
        if plan is None:
            typed = self._ask_typed_password(
                "Tapez le mot de passe de cette sauvegarde, tel qu'il est imprimé sur la fiche de secours.",
                must_match=False)
            if typed is None:
                return
            plan = self._prepare_backup(source, typed, report=True)
            password = typed
        if plan is not None and self._confirm_and_apply(plan, f"la sauvegarde « {source.name} »"):
            if self.passwords.matches(password) and self._try_keep(password):
                log.warning("Mot de passe des sauvegardes non conservé après restauration")
            self.refresh()

    def _prepare_backup(self, source: Path, password: str, report: bool = False) -> RestorePlan | None:
        try:
            return with_busy_cursor(lambda: prepare_backup_restore(source, password, self.ctx.paths))
        except UserError as exc:
            if report:
                messages.show_error(self, exc, "Restauration impossible")
            return None

    def save_recovery_sheet(self) -> None:
        password = self.backup_password()
        if password is not None:
            self._write_sheet(password)

    def _write_sheet(self, password: str) -> None:
        council = self.ctx.store.council.get()
        target = messages.save_file(self, "Enregistrer la fiche de secours",
                                    Path.home() / "Fiche de secours des sauvegardes.pdf", "PDF (*.pdf)")
        if target is None or council is None:
            return
        try:
            build_recovery_sheet(target, council, password, created_at=self.passwords.created_at())
        except UserError as exc:
            messages.show_error(self, exc, "Fiche de secours impossible")
            return
        messages.inform(self, "Fiche de secours", f"La fiche est enregistrée :\n{target}\n\nImprimez-la, rangez-la "
                        "dans le coffre de la mairie, puis supprimez le fichier.")
