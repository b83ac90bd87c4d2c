"""« Situations examinées » in a confidential working group's minutes (issue 17, point 7).

The coordinator picks the records of that group from the unlocked store (locked: a button unlocks it) and
writes what was decided on each as actions of the record itself. The meeting's minutes never hold a name nor
a decision about a person: only the count (« 3 situations individuelles examinées »), kept in the main
database for the relevé de conclusions and its PDF. Each examination is written in the access log.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.individual.aggregates import situations_examined_text
from clspd_desktop.domain.individual.records import FollowUpAction, FollowUpRecord, ListKind
from clspd_desktop.errors import ValidationError
from clspd_desktop.services.operations import Change, OpChanges, OpEnv
from clspd_desktop.services.operations import individual_records as rec_ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.individual.dialogs import ActionDialog
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.form_dialog import FormDialog
from clspd_desktop.ui.widgets.record_table import Column, RecordTable


class ExamineDialog(FormDialog):
    """One record of the group examined: the actions decided go into the record, nothing into the minutes."""

    def __init__(self, ctx: AppContext, meeting_id: int, records: list[FollowUpRecord],
                 parent: QWidget | None = None) -> None:
        super().__init__("Examiner une situation", parent)
        self.ctx, self.meeting_id = ctx, meeting_id
        self.setMinimumWidth(720)
        intro = QLabel("Les décisions prises sur cette situation sont inscrites dans la fiche (actions), jamais "
                       "dans le compte rendu : le relevé de conclusions n'en garde que le nombre.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.record = self.add_field("Fiche *", ChoiceBox(
            (f"{r.last_name.upper()} {r.first_name} (n° {r.id})", r.id) for r in records), "record_id")
        self.pending: list[FollowUpAction] = []
        self.labels = {i.id: i.label for i in ctx.individual.store.list_items(ListKind.ACTION)}
        self.actions = RecordTable([
            Column("Action décidée", lambda a: self.labels.get(a.action_item_id, "?"), 250),
            Column("Partenaire responsable", lambda a: a.partner, 200),
            Column("Échéance", lambda a: short_date(a.due_date), 90)], identity=id, sortable=False,
            name="Actions décidées pour cette situation")
        self.actions.setMinimumHeight(self.fontMetrics().height() * 6)
        self.add_field("Actions décidées", self.actions, "actions")
        self.add_action_button = QPushButton("Ajouter une action décidée…")
        self.form.addRow("", self.add_action_button)
        self.add_action_button.clicked.connect(self.add_action)
        ctx.individual_guard.track(self)

    def add_action(self) -> bool:
        items = self.ctx.individual.store.list_items(ListKind.ACTION, active_only=True)
        action = FollowUpAction(self.record.value() or 0, items[0].id if items else 0, "")
        dialog = ActionDialog(self.ctx, action, self, save_now=False)
        if not modal.run(self.ctx.individual_guard.track(dialog)):
            return False
        self.pending.append(dialog.action)
        self.actions.set_records(self.pending)
        return True

    def save(self) -> None:
        record_id = self.record.value()
        if record_id is None:
            raise ValidationError({"record_id": "Choisissez la fiche examinée."})
        self.ctx.runner.call(partial(rec_ops.examine_in_meeting, session=self.ctx.individual,
                                     meeting_id=self.meeting_id, record_id=record_id, actions=list(self.pending)))


class SituationsSection(QWidget):
    """Shown in a confidential group's minutes once the module is enabled."""

    def __init__(self, ctx: AppContext, meeting_id: int, formation_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.meeting_id, self.formation_id = ctx, meeting_id, formation_id
        self.guard = ctx.individual_guard
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Situations examinées")
        theme.make_heading(heading, 2)
        layout.addWidget(heading)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        self.state = QLabel()
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        self.table = RecordTable([
            Column("Fiche n°", lambda r: str(r.id), 70, sort_key=lambda r: r.id, centered=True),
            Column("Nom", lambda r: r.last_name.upper(), 220),
            Column("Prénom", lambda r: r.first_name, 180)], identity=lambda r: r.id,
            name="Situations examinées dans cette réunion")
        self.table.setMinimumHeight(self.fontMetrics().height() * 6)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.unlock_button = QPushButton("Déverrouiller le suivi individuel…")
        self.examine_button = QPushButton("Examiner une situation…")
        self.lock_button = QPushButton("Verrouiller")
        for button in (self.unlock_button, self.examine_button, self.lock_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.unlock_button.clicked.connect(lambda: self.guard.unlock(self))
        self.examine_button.clicked.connect(self.examine)
        self.lock_button.clicked.connect(lambda: self.guard.lock())
        self.guard.lock_changed.connect(self._lock_changed)
        self.guard.watch(self)
        ctx.runner.dispatcher.subscribe(self, {Change.INDIVIDUAL, Change.MINUTES}, self._on_changes)
        self.refresh()

    def _lock_changed(self, _locked: bool) -> None:
        self.refresh()

    def _on_changes(self, changes: OpChanges) -> None:
        self.refresh()

    def count(self) -> int:
        minutes = self.ctx.store.meetings.minutes(self.meeting_id)
        return minutes.situations_examined if minutes else 0

    def refresh(self) -> None:
        """Locked: the count alone; unlocked: the records examined here, from the encrypted store."""
        self.count_label.setText(f"Relevé de conclusions : {situations_examined_text(self.count())}.")
        locked = self.guard.locked
        self.unlock_button.setVisible(locked)
        self.lock_button.setVisible(not locked)
        if locked:
            self.table.set_records([])
            self.table.hide()
            self.examine_button.hide()
            self.state.setText("Le suivi individuel est verrouillé : déverrouillez-le pour choisir les fiches "
                               "examinées et y inscrire les décisions.")
            return
        session = self.ctx.individual
        group = self._group()
        self.table.setVisible(group.allowed)
        self.examine_button.setVisible(group.allowed)
        if not group.allowed:
            self.table.set_records([])
            self.state.setText("Ce groupe n'a pas été retenu pour le suivi individuel lors de l'activation du "
                               "module : aucune fiche n'y est examinée.")
            return
        self.state.setText("Les décisions sur chaque situation sont inscrites dans sa fiche, pas dans ce compte "
                           "rendu.")
        store = session.store
        self.table.set_records([r for r in (store.record(i) for i in group.examined) if r is not None])

    def _group(self) -> rec_ops.MeetingGroup:
        """A read over the GUI's store (no operation needed: nothing is written)."""
        env = OpEnv(self.ctx.paths, self.ctx.rules, store=self.ctx.store)
        return rec_ops.meeting_group(env, session=self.ctx.individual, meeting_id=self.meeting_id)

    def examine(self) -> bool:
        if self.guard.locked and not self.guard.unlock(self):
            return False
        records = [r for r in self.ctx.individual.store.records() if r.active and r.group_id == self.formation_id]
        if not records:
            messages.inform(self, "Aucune fiche", "Aucun suivi en cours dans ce groupe : créez d'abord la fiche "
                                                  "dans la rubrique « Suivi individuel ».")
            return False
        accepted = modal.run(ExamineDialog(self.ctx, self.meeting_id, records, self))
        self.refresh()
        return accepted
