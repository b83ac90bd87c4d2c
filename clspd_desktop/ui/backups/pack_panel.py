"""The « Envoi à la préfecture » tab: the year and the documents to send, the encrypted pack with its
password read over the phone, and the log of packs already prepared with their e-mail."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.text import file_size
from clspd_desktop.errors import UserError
from clspd_desktop.services import mail
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import backups as ops
from clspd_desktop.services.prefecture_pack import (
    BILAN_KEY,
    BuiltPack,
    PackOptions,
    PackRecord,
    default_year,
    item_states,
    pack_password,
    year_choices,
)
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.backups.password_dialogs import pack_password_dialog
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.flow_layout import FlowLayout
from clspd_desktop.ui.widgets.record_table import Column, RecordTable


def when(moment: datetime) -> str:
    return f"{short_date(moment.date())} {moment.strftime('%H:%M')}"


def plain_label(text: str) -> QLabel:
    """A wrapped label showing `text` as typed."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _sent(pack: PackRecord) -> str:
    if pack.sent_at is None:
        return "—"
    how = {"smtp": "envoyé", "eml": "courriel préparé", "manual": "courriel enregistré"}.get(pack.sent_via or "", "")
    return f"{how} le {short_date(pack.sent_at.date())}"


PACK_COLUMNS = [
    Column("Date", lambda p: when(p.created_at), 140, sort_key=lambda p: p.created_at),
    Column("Destinataire", lambda p: p.recipient or "—", 220),
    Column("Contenu", lambda p: " ; ".join(p.contents), 420),
    Column("Courriel", _sent, 200),
]


class PackPanel(QWidget):
    """Unavailable documents stay listed, greyed, with the reason: the user sees what to fill in first."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._ticks: dict[str, bool] = {}  # the user's choices, kept when the year changes
        layout = QVBoxLayout(self)
        self.recipient_label = plain_label("")
        layout.addWidget(self.recipient_label)
        year_row = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        year_label = QLabel("Année concernée :")
        self.year_box = QComboBox()
        self.year_box.setObjectName("packYear")
        year_label.setBuddy(self.year_box)
        year_row.addWidget(year_label)
        year_row.addWidget(self.year_box)
        # one line of its own: the flow wraps the row at large fonts (a wrapped label asked for half its width)
        self.year_caption = QLabel("(bilan annuel, comptes rendus et statistiques de présence)")
        year_row.addWidget(self.year_caption)
        year_row.addStretch(1)
        layout.addLayout(year_row)
        layout.addWidget(plain_label("Documents à envoyer (jamais le contenu des groupes de travail confidentiels "
                                     "ni les situations individuelles) :"))
        self.items = QListWidget()
        self.items.setObjectName("packItems")
        self.items.setAccessibleName("Documents à envoyer")
        self.items.setAccessibleDescription("Cochez les documents à mettre dans le dossier pour la préfecture")
        self.items.itemChanged.connect(self._remember_tick)
        layout.addWidget(self.items)
        row = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        self.pack_button = QPushButton("Préparer l'envoi chiffré…")
        self.pack_button.clicked.connect(self.make_pack)
        row.addWidget(self.pack_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(plain_label("Envois déjà préparés :"))
        self.pack_table = RecordTable(PACK_COLUMNS, identity=lambda p: p.id, sortable=False,
                                      name="Dossiers préparés pour la préfecture")
        layout.addWidget(self.pack_table)
        row = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        for label, slot, name in (
            ("Ouvrir le courriel", self.open_email, "email_button"),
            ("Enregistrer le courriel…", self.save_email, "save_email_button"),
            ("Envoyer par le serveur de messagerie", self.send_smtp, "smtp_button"),
            ("Afficher le mot de passe", self.show_pack_password, "show_password_button"),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            setattr(self, name, button)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.year_box.currentIndexChanged.connect(self.fill_items)
        self._filled = False  # filled when first shown: checking every document takes a moment
        # what can be sent depends on nearly everything the council records
        ctx.runner.dispatcher.subscribe(self, set(Change) - {Change.BACKUPS}, self._on_changes)
        ctx.runner.busy_changed.connect(self._show_busy)

    def _show_busy(self, busy: bool) -> None:
        """While long work runs, building or sending another pack is disabled."""
        self.pack_button.setEnabled(not busy)
        self._enable_smtp()

    def _enable_smtp(self) -> None:
        configured = mail.SmtpSettings.load(self.ctx.store.settings).configured
        self.smtp_button.setEnabled(configured and not self.ctx.runner.busy)

    def _on_changes(self, changes: OpChanges) -> None:
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        if not self._filled:
            self.refresh()
        super().showEvent(event)

    # --- choices -------------------------------------------------------------------------------------
    def options(self) -> PackOptions:
        year = self.year_box.currentData() or date.today().year
        return PackOptions(year=year, today=date.today(), data_dir=self.ctx.paths.data_dir)

    def _fill_years(self) -> None:
        today = date.today()
        years = year_choices(self.ctx.store, today)
        current = self.year_box.currentData() or default_year(self.ctx.store, today)
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in years:
            self.year_box.addItem(str(year), year)
        self.year_box.setCurrentIndex(max(0, self.year_box.findData(current)))
        self.year_box.blockSignals(False)

    def fill_items(self) -> None:
        """List every document for the chosen year; those that cannot be sent are greyed with the reason."""
        options = self.options()
        self.items.blockSignals(True)
        self.items.clear()
        for item, reason in item_states(self.ctx.store, options):
            entry = QListWidgetItem(item.title(options) + (f" — {reason}" if reason else ""))
            entry.setData(Qt.ItemDataRole.UserRole, item.key)
            entry.setCheckState(Qt.CheckState.Checked if not reason and self._ticks.get(item.key, True)
                                else Qt.CheckState.Unchecked)
            if reason:
                entry.setFlags(entry.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsUserCheckable)
                entry.setForeground(QBrush(QColor(theme.colours().muted)))
                entry.setToolTip(reason)
            else:
                entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            self.items.addItem(entry)
        self.items.blockSignals(False)
        rows = sum(max(16, self.items.sizeHintForRow(i)) for i in range(self.items.count()))
        self.items.setFixedHeight(max(rows, 3 * 16) + 2 * self.items.frameWidth() + 6)

    def _remember_tick(self, entry: QListWidgetItem) -> None:
        if entry.flags() & Qt.ItemFlag.ItemIsEnabled:
            self._ticks[entry.data(Qt.ItemDataRole.UserRole)] = entry.checkState() == Qt.CheckState.Checked

    def chosen_items(self) -> list[str]:
        return [entry.data(Qt.ItemDataRole.UserRole) for entry in map(self.items.item, range(self.items.count()))
                if entry.flags() & Qt.ItemFlag.ItemIsEnabled and entry.checkState() == Qt.CheckState.Checked]

    def refresh(self) -> None:
        self._filled = True
        council = self.ctx.store.council.get()
        email = council.prefecture_email if council else ""
        self.recipient_label.setText(
            f"Destinataire : {email} (adresse modifiable dans « Conseil »)." if email else
            "Aucune adresse de la préfecture n'est renseignée : complétez-la dans « Conseil » pour préparer "
            "le courriel.")
        self._fill_years()
        self.fill_items()
        self.pack_table.set_records(self.ctx.store.packs.all())
        self._enable_smtp()

    # --- building ------------------------------------------------------------------------------------
    def make_pack(self) -> None:
        """Built on the worker (a large council's plan takes seconds); « Annuler » between documents leaves
        no file and no log line."""
        keys, options = self.chosen_items(), self.options()
        if BILAN_KEY in keys:  # the store's connection lives on this thread: its aggregates are read here
            from clspd_desktop.services.operations.individual import figures_if_unlocked

            options = replace(options, individual=figures_if_unlocked(self.ctx.__dict__.get("individual"),
                                                                      options.year))
        self.ctx.runner.start(
            partial(ops.build_pack, keys=keys, options=options), parent=self,
            label="Préparation de l'envoi…", cancellable=True, title="Envoi impossible", on_success=self._built)

    def _built(self, built: BuiltPack) -> None:
        warning = "" if built.kept else (f"{built.keyring_message} Notez-le maintenant : il ne pourra plus être "
                                         "affiché.")
        self.pack_table.select_where(lambda p: p.id == built.record.id)
        modal.run(pack_password_dialog(built.password, built.record.recipient, warning, self))

    # --- packs already prepared ----------------------------------------------------------------------
    def _selected_pack(self) -> PackRecord | None:
        pack = self.pack_table.current_record()
        if pack is None:
            messages.inform(self, "Envoi à la préfecture", "Choisissez d'abord un envoi dans la liste.")
            return None
        if not Path(pack.file_path).is_file():
            messages.warn(self, "Envoi à la préfecture",
                          f"Le fichier de cet envoi est introuvable :\n{pack.file_path}\nPréparez un nouvel envoi.")
            return None
        return pack

    def open_email(self) -> None:
        pack = self._selected_pack()
        if pack is None:
            return
        draft = self.ctx.runner.run(
            partial(ops.save_pack_email, pack_id=pack.id, target=Path(pack.file_path).with_suffix(".eml"), via="eml"),
            parent=self, title="Courriel impossible")
        if draft is None:
            return
        try:
            mail.open_with_system(draft.value)
        except UserError as exc:
            messages.show_error(self, exc, "Courriel impossible")
            return
        messages.inform(self, "Courriel prêt", "Le courriel s'ouvre dans votre messagerie avec l'envoi joint. "
                        "Vérifiez-le, envoyez-le, puis téléphonez à la préfecture pour donner le mot de passe.")

    def save_email(self) -> None:
        pack = self._selected_pack()
        if pack is None:
            return
        target = messages.save_file(self, "Enregistrer le courriel", Path.home() / f"{Path(pack.file_name).stem}.eml",
                                    "Courriel (*.eml)")
        if target is None:
            return
        self.ctx.runner.run(partial(ops.save_pack_email, pack_id=pack.id, target=target, via="manual"),
                            parent=self, title="Courriel impossible")

    def send_smtp(self) -> None:
        """On the worker: a server that does not answer takes up to 20 s, a slow line a minute for a few Mo."""
        pack = self._selected_pack()
        if pack is None:
            return
        settings = mail.SmtpSettings.load(self.ctx.store.settings)
        size = file_size(Path(pack.file_path).stat().st_size)
        self.ctx.runner.start(
            partial(ops.send_pack, pack_id=pack.id), parent=self,
            label=f"Envoi du courriel et de l'archive ({size}) par le serveur {settings.host}…",
            title="Envoi impossible",
            on_success=lambda _: messages.inform(self, "Envoi terminé", "Le courriel est parti. Téléphonez à la "
                                                 "préfecture pour donner le mot de passe."))

    def show_pack_password(self) -> None:
        pack = self.pack_table.current_record()
        if pack is None:
            messages.inform(self, "Envoi à la préfecture", "Choisissez d'abord un envoi dans la liste.")
            return
        try:
            password = pack_password(pack)
        except UserError as exc:
            messages.show_error(self, exc, "Mot de passe indisponible")
            return
        if not password:
            messages.warn(self, "Mot de passe indisponible",
                          "Le mot de passe de cet envoi n'a pas été conservé sur cet ordinateur. "
                          "Préparez un nouvel envoi : il aura son propre mot de passe.")
            return
        modal.run(pack_password_dialog(password, pack.recipient, parent=self))
