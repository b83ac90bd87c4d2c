"""Dialogs of the individual follow-up: unlock, the fiche itself, an action, the end of the follow-up, a
list entry. Every write goes through the operations of `services/operations/individual*.py` on the GUI
thread (`runner.call`): the encrypted store's connection lives there.

The fiche has no free text for reasons or sources: they are ticked from the coordinator's lists. An action
carries at most a short factual note, with the CNIL's warning shown beside it. An ended follow-up opens
read-only, after a consultation reason chosen from its list (written in the access log).
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import long_date, short_date
from clspd_desktop.domain.individual.records import (
    ActionStatus,
    FollowUpAction,
    FollowUpRecord,
    ListItem,
    ListKind,
    Sex,
)
from clspd_desktop.errors import DamagedDatabaseError, UserError, ValidationError
from clspd_desktop.services.individual.location import module_enabled
from clspd_desktop.services.operations import individual as ops
from clspd_desktop.services.operations import individual_records as rec_ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.date_field import DateField
from clspd_desktop.ui.widgets.form_dialog import FormDialog
from clspd_desktop.ui.widgets.record_table import Column, RecordTable

PDF_FILTER = "Document PDF (*.pdf)"


def _date_or_error(field: DateField, key: str, errors: dict[str, str], required: str = "") -> date | None:
    try:
        value = field.value()
    except ValueError as exc:
        errors[key] = str(exc)
        return None
    if value is None and required:
        errors[key] = required
    return value


def _warning_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    c = theme.colours()
    label.setStyleSheet(f"color: {c.warning}; background: {c.warning_bg}; padding: 0.4em;")
    return label


class UnlockDialog(FormDialog):
    """The passphrase, used once and dropped: a wrong one leaves the store locked and its file untouched."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Déverrouiller le suivi individuel", parent)
        self.ctx = ctx
        # Article 8 of the délibération: users are told that their access is logged.
        intro = QLabel("Les fiches individuelles sont chiffrées. Saisissez la phrase de passe du coordonnateur "
                       "(elle n'est enregistrée nulle part).\n\nChaque ouverture, impression ou export d'une fiche "
                       "est inscrit au journal des accès, que le délégué à la protection des données peut "
                       "consulter.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.passphrase = self.add_field("Phrase de passe", QLineEdit(), "passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.save_button.setText("Déverrouiller")

    def has_unsaved_changes(self) -> bool:
        return False  # nothing to keep: a passphrase is never saved

    def save(self) -> None:
        passphrase = self.passphrase.text()
        self.passphrase.clear()
        session = self.ctx.individual
        if not module_enabled(self.ctx.paths) and has_snapshots(self.ctx):
            self._offer_restore(passphrase, "Le fichier du suivi individuel est absent (mis de côté parce qu'il "
                                            "était endommagé ?).")
            return
        try:
            self.ctx.runner.call(partial(rec_ops.unlock, session=session, passphrase=passphrase))
        except DamagedDatabaseError as exc:
            messages.show_error(self, exc, "Suivi individuel endommagé")
            self._offer_restore(passphrase, "")
        except UserError as exc:
            if isinstance(exc, ValidationError):
                raise
            raise ValidationError({"passphrase": exc.message}) from exc

    def _offer_restore(self, passphrase: str, why: str) -> None:
        """Put the latest encrypted snapshot back (it opens with the same passphrase), or stay locked."""
        if not has_snapshots(self.ctx) or not messages.confirm(
                self, "Restaurer le dernier instantané",
                (why + " " if why else "") + "Remettre en place le dernier instantané chiffré du suivi individuel ? "
                "Le fichier endommagé reste de côté, intact.", "Restaurer"):
            raise ValidationError({"passphrase": "Le suivi individuel reste verrouillé. Rien n'a été supprimé."})
        try:
            self.ctx.runner.call(partial(ops.restore_latest_snapshot, session=self.ctx.individual,
                                         passphrase=passphrase))
        except UserError as exc:
            if isinstance(exc, ValidationError):
                raise
            raise ValidationError({"passphrase": exc.message}) from exc


def has_snapshots(ctx: AppContext) -> bool:
    from clspd_desktop.services.individual.location import snapshots_dir
    from clspd_desktop.services.individual.snapshots import list_snapshots

    return bool(list_snapshots(snapshots_dir(ctx.paths)))


class LabelDialog(FormDialog):
    """One entry of a predefined list (added or renamed)."""

    def __init__(self, ctx: AppContext, kind: ListKind, item: ListItem | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"{kind.label} : {'renommer' if item else 'ajouter'}", parent)
        self.ctx, self.kind, self.item = ctx, kind, item
        self.label = self.add_field("Libellé", QLineEdit(item.label if item else ""), "label")

    def save(self) -> None:
        session = self.ctx.individual
        if self.item is None:
            self.ctx.runner.call(partial(ops.add_list_item, session=session, kind=self.kind, label=self.label.text()))
        else:
            self.ctx.runner.call(partial(ops.rename_list_item, session=session, item=self.item,
                                         label=self.label.text()))


class ActionDialog(FormDialog):
    """An action decided for the person: from the list, a responsible partner, a due date, a status, and a
    short factual note with the CNIL's warning beside it."""

    def __init__(self, ctx: AppContext, action: FollowUpAction, parent: QWidget | None = None,
                 save_now: bool = True) -> None:
        super().__init__("Action" if action.id else "Nouvelle action", parent)
        self.ctx, self.action, self.save_now = ctx, action, save_now
        session = ctx.individual
        items = session.store.list_items(ListKind.ACTION, active_only=True)
        self.item = self.add_field("Action *", ChoiceBox((i.label, i.id) for i in items), "action_item_id")
        self.item.select(action.action_item_id)
        self.partner = self.add_field("Partenaire responsable *", QLineEdit(action.partner), "partner")
        self.due = self.add_field("Échéance", DateField(action.due_date), "due_date")
        self.status = self.add_field("État", ChoiceBox((s.label, s) for s in ActionStatus), "status")
        self.status.select(action.status)
        note_box = QWidget()
        row = QHBoxLayout(note_box)
        row.setContentsMargins(0, 0, 0, 0)
        self.note = QPlainTextEdit(action.note)
        self.note.setFixedHeight(self.fontMetrics().height() * 9)  # as tall as the warning beside it
        row.addWidget(self.note, 1)
        row.addWidget(_warning_label(session.rules.note_warning), 1)
        self.add_field(f"Note factuelle ({session.rules.action_note_max_chars} caractères au plus)", note_box, "note")
        self.note.setAccessibleName("Note factuelle")

    def save(self) -> None:
        errors: dict[str, str] = {}
        due = _date_or_error(self.due, "due_date", errors)
        if errors:
            raise ValidationError(errors)
        self.action.action_item_id = self.item.value() or 0
        self.action.partner = self.partner.text()
        self.action.due_date = due
        self.action.status = self.status.value()
        self.action.note = self.note.toPlainText()
        if self.save_now:
            self.ctx.runner.call(partial(ops.save_action, session=self.ctx.individual, action=self.action))
        else:  # a meeting's examination saves its actions with it
            from clspd_desktop.domain.individual.records import ListsInUse, validate_action

            session = self.ctx.individual
            lists = ListsInUse({i.id: i for i in session.store.list_items(active_only=True)})
            validate_action(self.action, lists, session.rules)


class EndDialog(FormDialog):
    """The end of a follow-up: the record becomes inactive (read-only) and its destruction date is set."""

    def __init__(self, ctx: AppContext, record: FollowUpRecord, parent: QWidget | None = None) -> None:
        super().__init__("Fin du suivi", parent)
        self.ctx, self.record = ctx, record
        rules = ctx.individual.rules
        intro = QLabel(f"La fiche devient inactive : en lecture seule, consultée seulement avec un motif, puis "
                       f"détruite {rules.inactive_years} ans après la fin du suivi, ou au "
                       f"{rules.max_age_years}e anniversaire de la personne si c'est avant.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.end_date = self.add_field("Fin du suivi le *", DateField(ctx.individual.today()), "end_date")
        self.destroyed_on: date | None = None

    def save(self) -> None:
        errors: dict[str, str] = {}
        end = _date_or_error(self.end_date, "end_date", errors, "Indiquez la date de fin du suivi.")
        if errors or end is None:
            raise ValidationError(errors)
        self.destroyed_on = self.ctx.runner.call(partial(ops.end_follow_up, session=self.ctx.individual,
                                                         record_id=self.record.id, end_date=end))


def _check_list(items: list[ListItem], ticked: tuple[int, ...], name: str) -> QListWidget:
    """Tick boxes from a predefined list (retired entries still shown when the record ticked them)."""
    widget = QListWidget()
    widget.setAccessibleName(name)
    for item in items:
        if not item.active and item.id not in ticked:
            continue
        entry = QListWidgetItem(item.label + ("" if item.active else " (retiré de la liste)"))
        entry.setData(Qt.ItemDataRole.UserRole, item.id)
        entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        entry.setCheckState(Qt.CheckState.Checked if item.id in ticked else Qt.CheckState.Unchecked)
        widget.addItem(entry)
    widget.setMinimumHeight(widget.fontMetrics().height() * 9)
    return widget


def _ticked(widget: QListWidget) -> tuple[int, ...]:
    return tuple(int(widget.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(widget.count())
                 if widget.item(i).checkState() == Qt.CheckState.Checked)


class RecordDialog(FormDialog):
    """A fiche individuelle: new, editable while the follow-up runs, read-only once it has ended."""

    def __init__(self, ctx: AppContext, record: FollowUpRecord | None = None, parent: QWidget | None = None,
                 consultation_reason_id: int | None = None) -> None:
        super().__init__("Fiche individuelle" if record else "Nouvelle fiche individuelle", parent)
        self.ctx = ctx
        session = ctx.individual
        store = session.store
        groups = list(ops.load_opt_in(store).groups)
        self.record = record or FollowUpRecord("", "", date(2000, 1, 1), groups[0].id if groups else 0, "",
                                               session.today())
        self.reason_id = consultation_reason_id
        self.read_only = record is not None and not record.active
        self.setMinimumWidth(760)
        if record is not None:
            destroyed = ops.destruction_date(record.birth_date, record.end_date, session.rules)
            status = (f"Fiche n° {record.id} — {record.status_label}"
                      + (f" le {long_date(record.end_date)}" if record.end_date else "")
                      + f". Destruction prévue le {long_date(destroyed)}.")
            self.status_label = QLabel(status)
            self.status_label.setWordWrap(True)
            theme.make_heading(self.status_label, 3)
            top = self.layout()
            assert isinstance(top, QVBoxLayout)
            top.insertWidget(0, self.status_label)
        self.last_name = self.add_field("Nom *", QLineEdit(self.record.last_name), "last_name")
        self.first_name = self.add_field("Prénom *", QLineEdit(self.record.first_name), "first_name")
        self.sex = self.add_field("Sexe", ChoiceBox([("non renseigné", Sex.UNSPECIFIED), ("féminin", Sex.FEMALE),
                                                     ("masculin", Sex.MALE)]), "sex")
        self.sex.select(self.record.sex)
        self.birth_date = self.add_field("Date de naissance *", DateField(record.birth_date if record else None),
                                         "birth_date")
        self.group = self.add_field("Groupe de travail *", ChoiceBox((g.name, g.id) for g in groups), "group_id")
        self.group.select(self.record.group_id)
        self.entry_date = self.add_field("Entrée dans le suivi le *", DateField(self.record.entry_date),
                                         "entry_date")
        items = store.list_items()
        lists = QHBoxLayout()
        reasons_form, sources_form = QFormLayout(), QFormLayout()
        for form in (reasons_form, sources_form):
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
            lists.addLayout(form, 1)
        self.reasons = _check_list([i for i in items if i.kind is ListKind.REASON], self.record.reason_ids,
                                   "Motifs du suivi")
        self.sources = _check_list([i for i in items if i.kind is ListKind.SOURCE], self.record.source_ids,
                                   "Origines du signalement")
        self.errors.add_row(reasons_form, "Motifs du suivi (à cocher) *", self.reasons, "reason_ids")
        self.errors.add_row(sources_form, "Origine du signalement (à cocher) *", self.sources, "source_ids")
        body = self.layout()
        assert isinstance(body, QVBoxLayout)
        after_form = body.indexOf(self.status_label) + 2 if record is not None else 1
        body.insertLayout(after_form, lists)
        self.action_labels = {i.id: i.label for i in items}
        self.actions_table: RecordTable | None = None
        if record is not None:
            body.insertWidget(after_form + 1, self._actions_section())
        if self.read_only:  # read-only, not greyed out: the text stays as legible as elsewhere
            for line in (self.last_name, self.first_name, self.birth_date, self.entry_date):
                line.setReadOnly(True)
            for combo in (self.sex, self.group):
                combo.setEnabled(False)
            for ticks in (self.reasons, self.sources):
                for row in range(ticks.count()):
                    entry = ticks.item(row)
                    entry.setFlags(entry.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
            self.save_button.hide()
            self.buttons.button(self.buttons.StandardButton.Cancel).setText("Fermer")
        ctx.individual_guard.track(self)

    def _actions_section(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Actions décidées")
        theme.make_heading(heading, 3)
        layout.addWidget(heading)
        self.actions_table = RecordTable([
            Column("Action", lambda a: self.action_labels.get(a.action_item_id, "?"), 230),
            Column("Partenaire responsable", lambda a: a.partner, 170),
            Column("Échéance", lambda a: short_date(a.due_date), 90,
                   sort_key=lambda a: (a.due_date is None, a.due_date or date.min)),
            Column("État", lambda a: a.status.label, 80),
            Column("Note", lambda a: a.note, 160)], identity=lambda a: a.id, name="Actions décidées")
        self.actions_table.setMinimumHeight(self.fontMetrics().height() * 6)
        layout.addWidget(self.actions_table)
        row = QHBoxLayout()
        self.add_action_button = QPushButton("Ajouter une action…")
        self.edit_action_button = QPushButton("Modifier l'action…")
        self.end_button = QPushButton("Fin du suivi…")
        self.print_button = QPushButton("Imprimer pour la réunion (PDF)…")
        for button in (self.add_action_button, self.edit_action_button, self.end_button):
            row.addWidget(button)
            button.setEnabled(not self.read_only)
        row.addStretch(1)
        row.addWidget(self.print_button)
        layout.addLayout(row)
        self.add_action_button.clicked.connect(self.add_action)
        self.edit_action_button.clicked.connect(self.edit_action)
        self.actions_table.open_requested.connect(self.edit_action)
        self.end_button.clicked.connect(self.end_follow_up)
        self.print_button.clicked.connect(self.print_pdf)
        self.reload_actions()
        return box

    def reload_actions(self) -> None:
        if self.actions_table is not None and self.record.id is not None:
            self.actions_table.set_records(self.ctx.individual.store.actions(self.record.id))

    def add_action(self) -> None:
        items = self.ctx.individual.store.list_items(ListKind.ACTION, active_only=True)
        action = FollowUpAction(self.record.id or 0, items[0].id if items else 0, "")
        if modal.run(self.ctx.individual_guard.track(ActionDialog(self.ctx, action, self))):
            self.reload_actions()

    def edit_action(self) -> None:
        action = self.actions_table.current_record() if self.actions_table else None
        if action is None or self.read_only:
            return
        if modal.run(self.ctx.individual_guard.track(ActionDialog(self.ctx, action, self))):
            self.reload_actions()

    def end_follow_up(self) -> None:
        if self.has_unsaved_changes():
            messages.warn(self, "Fiche à enregistrer", "Enregistrez d'abord les modifications de la fiche.")
            return
        dialog = EndDialog(self.ctx, self.record, self)
        if modal.run(self.ctx.individual_guard.track(dialog)) and dialog.destroyed_on is not None:
            messages.inform(self, "Suivi terminé",
                            f"La fiche est désormais inactive (lecture seule). Elle sera détruite le "
                            f"{long_date(dialog.destroyed_on)}.")
            QDialog.done(self, QDialog.DialogCode.Rejected)  # saved already: the page lists it as inactive

    def print_pdf(self) -> bool:
        """The CONFIDENTIEL fiche saved where the coordinator chooses; the print is logged first."""
        if self.record.id is None:
            return False
        target = messages.save_file(self, "Enregistrer la fiche confidentielle (PDF)",
                                    Path.home() / f"fiche-{self.record.id}-confidentiel.pdf", PDF_FILTER)
        if target is None:
            return False
        done = self.ctx.runner.run(partial(rec_ops.print_record, session=self.ctx.individual,
                                           record_id=self.record.id, target=target, reason_id=self.reason_id),
                                   parent=self)
        if done is None:
            return False
        messages.inform(self, "Fiche enregistrée",
                        f"La fiche confidentielle est enregistrée dans « {target.name} ». Remettez-la seulement "
                        "aux signataires de la charte qu'elle nomme ; ne l'envoyez jamais par courriel.")
        return True

    def save(self) -> None:
        if self.read_only:
            return
        errors: dict[str, str] = {}
        birth = _date_or_error(self.birth_date, "birth_date", errors, "La date de naissance est obligatoire.")
        entry = _date_or_error(self.entry_date, "entry_date", errors, "La date d'entrée est obligatoire.")
        if errors or birth is None or entry is None:
            raise ValidationError(errors)
        record = FollowUpRecord(self.last_name.text(), self.first_name.text(), birth, self.group.value() or 0, "",
                                entry, _ticked(self.reasons), _ticked(self.sources), self.sex.value(),
                                None, self.record.id)
        session = self.ctx.individual
        if record.id is None:
            record.id = self.ctx.runner.call(partial(ops.create_record, session=session, record=record))
        else:
            self.ctx.runner.call(partial(ops.update_record, session=session, record=record))
        self.record = record
