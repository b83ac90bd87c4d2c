"""« Suivi individuel »: the fiches, the access log, the purge and the predefined lists, behind the lock.

Shown only once the module is enabled (the Conseil area's activation). Locked, the page shows nothing of the
records, only why it is locked and « Déverrouiller… ». Every read and write goes to the encrypted store on
the GUI thread (sqlcipher3 connections are `check_same_thread`; the operations are small). The page refreshes
when an operation says `Change.INDIVIDUAL`, and forgets every row it showed when the store locks.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import long_date, short_date, time_fr
from clspd_desktop.domain.individual.records import FollowUpRecord, ListItem, ListKind
from clspd_desktop.domain.text import plural, sentence_start
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import individual as ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.individual.dialogs import LabelDialog, RecordDialog, has_snapshots
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.record_table import Column, RecordTable
from clspd_desktop.ui.widgets.rows import button_row

CSV_FILTER = "Fichier CSV (*.csv)"


def _date_key(value: date | None) -> tuple[bool, str]:
    return (value is None, value.isoformat() if value else "")


class IndividualPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.guard = ctx.individual_guard
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        head = QHBoxLayout()
        title = QLabel("Suivi individuel")
        theme.make_heading(title, 1)
        head.addWidget(title)
        head.addStretch(1)
        self.lock_button = QPushButton("Verrouiller")
        self.lock_button.setToolTip("Fermer les fiches et verrouiller le suivi individuel")
        head.addWidget(self.lock_button)
        layout.addLayout(head)

        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.locked_panel = QWidget()
        locked_layout = QVBoxLayout(self.locked_panel)
        self.locked_text = QLabel()
        self.locked_text.setWordWrap(True)
        locked_layout.addWidget(self.locked_text)
        self.unlock_button = QPushButton("Déverrouiller…")
        unlock_row = QHBoxLayout()
        unlock_row.addWidget(self.unlock_button)
        unlock_row.addStretch(1)
        locked_layout.addLayout(unlock_row)
        locked_layout.addStretch(1)
        self.stack.addWidget(self.locked_panel)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._records_tab(), "Fiches")
        self.tabs.addTab(self._log_tab(), "Journal d'accès")
        self.tabs.addTab(self._purge_tab(), "Purge")
        self.tabs.addTab(self._lists_tab(), "Listes")
        self.stack.addWidget(self.tabs)

        self.unlock_button.clicked.connect(self.unlock)
        self.lock_button.clicked.connect(lambda: self.guard.lock())
        self.guard.lock_changed.connect(self._lock_changed)  # a bound method: disconnected with the page
        self.guard.watch(self)
        ctx.runner.dispatcher.subscribe(self, {Change.INDIVIDUAL}, self._on_changes)
        self.refresh()

    # --- building ------------------------------------------------------------------------------------
    def _records_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        self.new_button = QPushButton("Nouvelle fiche…")
        self.open_button = QPushButton("Ouvrir la fiche…")
        self.show_inactive = QCheckBox("Afficher les fiches inactives (suivi terminé)")
        self.show_inactive.setChecked(True)
        for widget in (self.new_button, self.open_button, self.show_inactive):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        rules = self.ctx.individual.rules
        self.records = RecordTable([
            Column("N°", lambda r: str(r.id), 50, sort_key=lambda r: r.id, centered=True),
            Column("Nom", lambda r: r.last_name.upper(), 170),
            Column("Prénom", lambda r: r.first_name, 140),
            Column("Groupe", lambda r: r.group_name, 300),
            Column("Entrée", lambda r: short_date(r.entry_date), 95, sort_key=lambda r: r.entry_date),
            Column("État", lambda r: "En cours" if r.active else f"Terminé le {short_date(r.end_date)}", 150,
                   sort_key=lambda r: _date_key(r.end_date)),
            Column("Destruction prévue", lambda r: short_date(ops.destruction_date(r.birth_date, r.end_date, rules)),
                   130, sort_key=lambda r: ops.destruction_date(r.birth_date, r.end_date, rules)),
        ], identity=lambda r: r.id, name="Fiches individuelles")
        layout.addWidget(self.records, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        self.new_button.clicked.connect(self.new_record)
        self.open_button.clicked.connect(self.open_selected)
        self.records.open_requested.connect(self.open_selected)
        self.show_inactive.toggled.connect(lambda _on: self.refresh())
        return page

    @staticmethod
    def _tab(intro: str, table: RecordTable, below: QHBoxLayout, above: QHBoxLayout | None = None) -> QWidget:
        """The shape of the log, purge and lists tabs: what the tab is for, its table taking the height, its
        buttons under it."""
        page = QWidget()
        layout = QVBoxLayout(page)
        label = QLabel(intro)
        label.setWordWrap(True)
        layout.addWidget(label)
        if above is not None:
            layout.addLayout(above)
        layout.addWidget(table, 1)
        layout.addLayout(below)
        return page

    def _log_tab(self) -> QWidget:
        self.log = RecordTable([
            Column("N°", lambda e: str(e.id), 50, sort_key=lambda e: e.id or 0, centered=True),
            Column("Date", lambda e: short_date(e.at.date()), 95, sort_key=lambda e: e.at),
            Column("Heure", lambda e: time_fr(e.at), 70, sort_key=lambda e: e.at),
            Column("Qui", lambda e: e.who, 160),
            Column("Quoi", lambda e: e.kind.label, 150),
            Column("Fiche n°", lambda e: "" if e.record_id is None else str(e.record_id), 70,
                   sort_key=lambda e: e.record_id or 0, centered=True),
            Column("Motif", lambda e: e.reason, 300)], identity=lambda e: e.id, name="Journal des accès")
        self.log.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.export_log_button = QPushButton("Exporter pour le DPO (CSV)…")
        self.export_log_button.clicked.connect(self.export_log)
        return self._tab("Chaque création, consultation, modification, impression, examen en réunion, fin de suivi "
                         "et destruction est inscrit ici, sans pouvoir être modifié ni effacé. Le délégué à la "
                         "protection des données peut en recevoir l'export (les fiches y sont désignées par leur "
                         "numéro, jamais par un nom).", self.log, button_row(self.export_log_button))

    def _purge_tab(self) -> QWidget:
        rules = self.ctx.individual.rules
        self.due = RecordTable([
            Column("Fiche n°", lambda d: str(d[0].record_id), 70, sort_key=lambda d: d[0].record_id, centered=True),
            Column("Nom", lambda d: d[1], 260),
            Column("À détruire le", lambda d: long_date(d[0].destroyed_on), 220, sort_key=lambda d: d[0].destroyed_on),
            Column("État", lambda d: "suivi en cours (25 ans)" if d[0].active else "fiche inactive", 200)],
            identity=lambda d: d[0].record_id, name="Fiches à détruire dans les prochains jours")
        row = QHBoxLayout()
        self.due_label = QLabel()
        self.due_label.setWordWrap(True)
        row.addWidget(self.due_label, 1)
        self.purge_button = QPushButton("Purger…")
        row.addWidget(self.purge_button)
        self.purge_button.clicked.connect(self.purge)
        return self._tab(f"Une fiche est détruite {rules.inactive_years} ans après la fin du suivi, ou au "
                         f"{rules.max_age_years}e anniversaire de la personne si c'est avant (délibération CNIL "
                         f"n° 2014-262, article 5). Voici ce qui sera détruit dans les {rules.purge_notice_days} "
                         "prochains jours. « Purger » détruit ce qui est échu : effacement sécurisé, compactage du "
                         "fichier, et les copies chiffrées plus anciennes (instantanés, fichier endommagé mis de côté) sont "
                         "supprimées.", self.due, row)

    def _lists_tab(self) -> QWidget:
        self.list_kind = ChoiceBox((k.label, k) for k in ListKind)
        self.items = RecordTable([
            Column("Libellé", lambda i: i.label, 420),
            Column("État", lambda i: "En usage" if i.active else "Retiré", 100)],
            identity=lambda i: i.id, sortable=False, name="Entrées de la liste")
        self.add_item_button = QPushButton("Ajouter…")
        self.rename_item_button = QPushButton("Renommer…")
        self.retire_item_button = QPushButton("Retirer / remettre en usage")
        self.list_kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.add_item_button.clicked.connect(self.add_item)
        self.rename_item_button.clicked.connect(self.rename_item)
        self.items.open_requested.connect(self.rename_item)
        self.retire_item_button.clicked.connect(self.toggle_item)
        return self._tab("Les motifs, les origines du signalement, les actions et les motifs de consultation se "
                         "choisissent dans ces listes : jamais de texte libre sur une fiche. Une entrée retirée "
                         "reste sur les fiches qui l'ont cochée.", self.items,
                         button_row(self.add_item_button, self.rename_item_button, self.retire_item_button),
                         above=button_row(QLabel("Liste :"), self.list_kind))

    # --- state ---------------------------------------------------------------------------------------
    def _on_changes(self, changes: OpChanges) -> None:
        self.refresh()

    def _lock_changed(self, _locked: bool) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Locked: every row forgotten; unlocked: the four tabs read from the store."""
        if self.guard.locked:
            for table in (self.records, self.log, self.due, self.items):
                table.set_records([])
            self.count_label.clear()
            self.due_label.clear()
            self.lock_button.setEnabled(False)
            if not self.guard.enabled and has_snapshots(self.ctx):
                self.locked_text.setText("Le fichier du suivi individuel est absent (mis de côté parce qu'il était "
                                         "endommagé ?). « Déverrouiller… » propose de remettre en place le dernier "
                                         "instantané chiffré, avec la phrase de passe du coordonnateur.")
                self.unlock_button.show()
            elif not self.guard.enabled:
                self.locked_text.setText("Le suivi individuel n'est pas activé sur ce poste. Il s'active dans la "
                                         "rubrique « Conseil », avec les documents qu'il demande.")
                self.unlock_button.hide()
            else:
                self.locked_text.setText(
                    (self.guard.last_lock_reason + "\n\n" if self.guard.last_lock_reason else "")
                    + "Le suivi individuel est verrouillé. Ses fiches sont chiffrées ; seule la phrase de passe du "
                    "coordonnateur les ouvre. Il se verrouille tout seul après "
                    f"{self.ctx.individual.rules.inactivity_lock_minutes} minutes sans activité et à la fermeture "
                    "de l'application.")
                self.unlock_button.show()
            self.stack.setCurrentWidget(self.locked_panel)
            return
        self.stack.setCurrentWidget(self.tabs)
        self.lock_button.setEnabled(True)
        session = self.ctx.individual
        store = session.store
        records = store.records()
        shown = [r for r in records if r.active or self.show_inactive.isChecked()]
        self.records.set_records(shown)
        active = sum(r.active for r in records)
        inactive = len(records) - active
        self.count_label.setText(sentence_start(f"{plural(active, 'suivi')} en cours, "
                                           f"{plural(inactive, 'fiche inactive', 'fiches inactives', feminine=True)}."))
        self.log.set_records(store.access_log())
        names = {r.id: f"{r.last_name.upper()} {r.first_name}" for r in records}
        due = ops.due_for_purge(session)
        self.due.set_records([(d, names.get(d.record_id, "")) for d in due])
        today = session.today()
        now_due = [d for d in due if d.destroyed_on <= today]
        self.purge_button.setEnabled(bool(now_due))
        self.due_label.setText(sentence_start(f"{plural(len(now_due), 'fiche', feminine=True)} à détruire aujourd'hui ; "
                                         f"{plural(len(due) - len(now_due), 'autre fiche', feminine=True)} dans "
                                         f"les {session.rules.purge_notice_days} jours.") if due
                               else f"Aucune fiche à détruire dans les {session.rules.purge_notice_days} jours.")
        kind = self.list_kind.value()
        self.items.set_records(store.list_items(kind) if kind else [])

    def unlock(self) -> bool:
        return self.guard.unlock(self)

    # --- records -------------------------------------------------------------------------------------
    def new_record(self) -> bool:
        if self.guard.locked and not self.unlock():
            return False
        accepted = modal.run(RecordDialog(self.ctx, None, self))
        self.refresh()  # the access log grew even when nothing else changed
        return accepted

    def open_selected(self) -> bool:
        record: FollowUpRecord | None = self.records.current_record()
        if record is None or record.id is None:
            messages.warn(self, "Aucune fiche choisie", "Choisissez d'abord une fiche dans la liste.")
            return False
        return self.open_record(record.id)

    def open_record(self, record_id: int) -> bool:
        """Logged opening; an inactive record asks its consultation reason first and opens read-only."""
        session = self.ctx.individual
        record = session.store.record(record_id)
        if record is None:
            messages.warn(self, "Fiche introuvable", ops.GONE)
            return False
        reason_id = None
        if not record.active:
            reasons = session.store.list_items(ListKind.CONSULTATION_REASON, active_only=True)
            index = messages.choose(self, "Consultation d'une fiche inactive",
                                    f"Ce suivi est terminé depuis le {long_date(record.end_date or date.today())} : "
                                    "la fiche ne se consulte que ponctuellement, pour un motif inscrit au journal "
                                    "des accès. Motif de la consultation :", [r.label for r in reasons])
            if index is None:
                return False
            reason_id = reasons[index].id
        view = self.ctx.runner.run(partial(ops.open_record, session=session, record_id=record_id,
                                           reason_id=reason_id), parent=self)
        if view is None:
            return False
        accepted = modal.run(RecordDialog(self.ctx, view.value.record, self, consultation_reason_id=reason_id))
        self.refresh()  # the opening (and any print) is in the access log now
        return accepted

    # --- access log and purge ------------------------------------------------------------------------
    def export_log(self) -> bool:
        target = messages.save_file(self, "Exporter le journal des accès pour le DPO",
                                    Path.home() / f"journal-des-acces-{self.ctx.individual.today():%Y-%m-%d}.csv",
                                    CSV_FILTER)
        if target is None:
            return False
        done = self.ctx.runner.run(partial(ops.export_access_log, session=self.ctx.individual, target=target),
                                   parent=self)
        if done is not None:
            messages.inform(self, "Journal exporté", f"Le journal des accès est enregistré dans « {target.name} ».")
        return done is not None

    def purge(self) -> bool:
        session = self.ctx.individual
        due = [d for d in ops.due_for_purge(session) if d.destroyed_on <= session.today()]
        if not due:
            messages.inform(self, "Purge", "Aucune fiche n'est à détruire aujourd'hui.")
            return False
        numbers = ", ".join(str(d.record_id) for d in due)
        if not messages.confirm(self, "Purger les fiches échues",
                                f"Détruire définitivement {plural(len(due), 'fiche', feminine=True)} (n° {numbers}) ? Leur "
                                "contenu est effacé du fichier, qui est compacté ; les copies chiffrées plus "
                                "anciennes sont supprimées. Cette destruction ne peut pas être annulée.", "Purger"):
            return False
        done = self.ctx.runner.run(partial(ops.purge, session=session), parent=self)
        if done is None:
            return False
        result = done.value
        messages.inform(self, "Purge faite",
                        f"{plural(result.destroyed, 'fiche détruite', 'fiches détruites', feminine=True)} ; "
                        f"{plural(result.snapshots_deleted, 'instantané supprimé', 'instantanés supprimés')}.")
        return True

    # --- lists ---------------------------------------------------------------------------------------
    def add_item(self) -> bool:
        kind = self.list_kind.value()
        return bool(kind) and modal.run(LabelDialog(self.ctx, kind, None, self))

    def rename_item(self) -> bool:
        item: ListItem | None = self.items.current_record()
        return item is not None and modal.run(LabelDialog(self.ctx, item.kind, item, self))

    def toggle_item(self) -> bool:
        item: ListItem | None = self.items.current_record()
        if item is None:
            return False
        return self.ctx.runner.run(partial(ops.set_list_item_active, session=self.ctx.individual, item_id=item.id,
                                           active=not item.active), parent=self) is not None

