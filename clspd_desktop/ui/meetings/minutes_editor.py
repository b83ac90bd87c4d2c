"""Compte rendu: notes per agenda item, decisions, action items (responsible organisation or person, due
date, status). A confidential group's minutes are a relevé de conclusions marked CONFIDENTIEL.
Each decision and action item can be linked to plan actions, or turned into one (see plan_links.py).
The typed minutes are never lost: `can_leave()` asks « Enregistrer / Ne pas enregistrer / Annuler » when they
differ from what was last saved (the meeting window asks it before closing, the main window before switching
area or quitting)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.followup import FollowUpItem, FollowUpStatus
from clspd_desktop.domain.meetings import ActionItem, ActionItemStatus, Decision, Minutes
from clspd_desktop.domain.plan_links import LinkSource
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import ValidationError
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import followup as followup_ops
from clspd_desktop.services.operations import meeting_copies as copies
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.meetings.common import CONFIDENTIAL_BANNER
from clspd_desktop.ui.meetings.minutes_distribution_dialog import distribute
from clspd_desktop.ui.meetings.plan_links import PlanLinksControl
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.date_field import DateField
from clspd_desktop.ui.widgets.form_dialog import FormDialog
from clspd_desktop.ui.widgets.record_table import Column, RecordTable
from clspd_desktop.ui.widgets.unsaved import ask_before_losing


def _agenda_choices(ctx: AppContext, meeting_id: int) -> list[tuple[str, int | None]]:
    items = ctx.store.meetings.agenda(meeting_id)
    return [("(hors ordre du jour)", None), *((f"{i.position}. {i.title}", i.id) for i in items)]


class DecisionDialog(FormDialog):
    def __init__(self, ctx: AppContext, decision: Decision, parent: QWidget | None = None) -> None:
        super().__init__("Décision" if decision.id else "Nouvelle décision", parent)
        self.ctx, self.decision = ctx, decision
        self.agenda_item = self.add_field("Point de l'ordre du jour",
                                          ChoiceBox(_agenda_choices(ctx, decision.meeting_id)), "agenda_item")
        self.agenda_item.select(decision.agenda_item_id)
        self.text = self.add_field("Décision *", QPlainTextEdit(decision.text), "text")
        self.text.setFixedHeight(110)

    def save(self) -> None:
        self.decision.text = self.text.toPlainText()
        self.decision.agenda_item_id = self.agenda_item.value()
        self.decision = self.ctx.runner.call(partial(ops.save_decision, decision=self.decision))


class ActionItemDialog(FormDialog):
    def __init__(self, ctx: AppContext, item: ActionItem, parent: QWidget | None = None) -> None:
        super().__init__("Action" if item.id else "Nouvelle action", parent)
        self.ctx, self.item = ctx, item
        self.agenda_item = self.add_field("Point de l'ordre du jour",
                                          ChoiceBox(_agenda_choices(ctx, item.meeting_id)), "agenda_item")
        self.agenda_item.select(item.agenda_item_id)
        self.text = self.add_field("Action à mener *", QPlainTextEdit(item.text), "text")
        self.text.setFixedHeight(80)
        self.organisation = self.add_field("Organisation responsable", ChoiceBox(
            [("(aucune)", None), *((o.name, o.id) for o in ctx.store.directory.organisations())]), "responsible")
        self.organisation.select(item.responsible_organisation_id)
        self.person = self.add_field("ou personne responsable", QLineEdit(item.responsible_name), "responsible_name")
        self.due = self.add_field("Échéance", DateField(item.due_date), "due_date")
        self.status = self.add_field("État", ChoiceBox((s.label, s) for s in ActionItemStatus), "status")
        self.status.select(item.status)

    def save(self) -> None:
        try:
            due = self.due.value()
        except ValueError as exc:
            raise ValidationError({"due_date": str(exc)}) from exc
        self.item.text = self.text.toPlainText()
        self.item.agenda_item_id = self.agenda_item.value()
        self.item.responsible_organisation_id = self.organisation.value()
        self.item.responsible_name = self.person.text()
        self.item.due_date = due
        self.item.status = self.status.value()
        self.item = self.ctx.runner.call(partial(ops.save_action_item, item=self.item))


def _responsible(ctx: AppContext, item: ActionItem) -> str:
    org = ctx.store.directory.get_organisation(item.responsible_organisation_id) \
        if item.responsible_organisation_id else None
    return " — ".join(p for p in (org.name if org else "", item.responsible_name) if p)


class MinutesEditor(QScrollArea):
    def __init__(self, ctx: AppContext, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        meeting = ctx.store.meetings.get_meeting(meeting_id)
        formation = ctx.store.formations.get(meeting.formation_id)
        self.confidential = bool(formation and formation.confidential)
        self.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.banner = QLabel(CONFIDENTIAL_BANNER if self.confidential else "Compte rendu")
        c = theme.colours()
        theme.set_relative_size(self.banner, 1.3, bold=True)
        self.banner.setStyleSheet(
            "padding: 6px; " + (f"color: {c.banner_text}; background: {c.alert_stripe};" if self.confidential
                                else f"color: {c.accent};"))
        layout.addWidget(self.banner)
        if self.confidential:
            note = QLabel("Ne reprenez aucune information nominative au-delà du strict nécessaire : ce relevé ne "
                          "quitte jamais ce poste (il n'entre dans aucun envoi ni aucun bilan).")
            note.setWordWrap(True)
            note.setStyleSheet(f"color: {theme.colours().error};")
            layout.addWidget(note)

        # « Aller à »: at 1366×768 the decisions and actions lie below the agenda's notes
        self.jump_row = QHBoxLayout()
        self.jump_row.addWidget(QLabel("Aller à :"))
        self.jump_buttons: dict[str, QPushButton] = {}
        for key, text in (("carried", "Suivi des décisions précédentes"), ("decisions", "Décisions"),
                          ("actions", "Actions décidées")):
            button = QPushButton(text)
            button.setToolTip(f"Faire défiler jusqu'à « {text} »")
            button.clicked.connect(partial(self.jump_to, key))
            self.jump_row.addWidget(button)
            self.jump_buttons[key] = button
        self.jump_row.addStretch(1)
        layout.addLayout(self.jump_row)

        minutes = ctx.store.meetings.minutes(meeting_id) or Minutes(meeting_id)
        self.written_by = QLineEdit(minutes.written_by)
        self.written_by.setPlaceholderText("Rédigé par")
        self.approved_on = DateField(minutes.approved_on)
        self.approved_on.setPlaceholderText("Approuvé le")
        top = QHBoxLayout()
        top.addWidget(QLabel("Rédigé par"))
        top.addWidget(self.written_by, 1)
        top.addWidget(QLabel("Approuvé le"))
        top.addWidget(self.approved_on)
        layout.addLayout(top)
        self.summary = QPlainTextEdit(minutes.summary)
        self.summary.setPlaceholderText("Synthèse générale de la séance…")
        self.summary.setFixedHeight(90)
        self.summary.setAccessibleName("Synthèse générale de la séance")
        layout.addWidget(self.summary)

        self.item_notes: dict[int, QPlainTextEdit] = {}
        for item in meeting.agenda:
            box = QGroupBox(f"{item.position}. {item.title}" + (f" — {item.presenter}" if item.presenter else ""))
            box_layout = QVBoxLayout(box)
            edit = QPlainTextEdit(item.notes)
            edit.setPlaceholderText("Ce qui a été dit sur ce point…")
            edit.setFixedHeight(90)
            box_layout.addWidget(edit)
            self.item_notes[item.id] = edit
            layout.addWidget(box)
        self.save_button = QPushButton("Enregistrer le compte rendu (Ctrl+S)")
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        self.distribute_button = QPushButton("Diffuser le compte rendu…")
        self.distribute_button.setToolTip(
            "Le relevé d'un groupe confidentiel ne s'envoie pas par courriel : imprimez-le." if self.confidential
            else "Un courriel par participant coché, avec le compte rendu enregistré en PDF.")
        save_row.addWidget(self.distribute_button)
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet(f"color: {theme.colours().success};")
        save_row.addWidget(self.saved_label)
        save_row.addStretch(1)
        layout.addLayout(save_row)

        # decisions of earlier meetings of the same formation, closed here for everywhere (one record)
        self.carried_heading = self._heading("Suivi des décisions des réunions précédentes")
        layout.addWidget(self.carried_heading)
        self.carried = RecordTable([
            Column("Suite à donner", lambda i: i.text.replace("\n", " "), 400),
            Column("Réunion", lambda i: short_date(i.meeting_day), 95,
                   sort_key=lambda i: i.meeting_day.isoformat()),
            Column("Responsable", lambda i: i.responsible, 340),
            Column("Échéance", lambda i: short_date(i.due_date), 95,
                   sort_key=lambda i: (i.due_date is None, i.due_date.isoformat() if i.due_date else "")),
            Column("État", lambda i: i.status.label, 90)], identity=lambda i: i.id)
        self.carried.setMinimumHeight(120)
        self.carried.setAccessibleName("Décisions des réunions précédentes")
        layout.addWidget(self.carried)
        self.carried_buttons = QHBoxLayout()
        self.close_buttons: dict[FollowUpStatus, QPushButton] = {}
        for status, text in ((FollowUpStatus.DONE, "Marquer « Fait »"),
                             (FollowUpStatus.ABANDONED, "Marquer « Abandonné »"),
                             (FollowUpStatus.TODO, "Rouvrir (« À faire »)")):
            button = QPushButton(text)
            button.clicked.connect(partial(self.set_carried_status, status))
            self.carried_buttons.addWidget(button)
            self.close_buttons[status] = button
        self.carried_buttons.addStretch(1)
        layout.addLayout(self.carried_buttons)

        self.situations = self._situations_section(formation)
        if self.situations is not None:
            layout.addWidget(self.situations)

        self.decisions_heading = self._heading("Décisions")
        layout.addWidget(self.decisions_heading)
        self.decisions = RecordTable([
            Column("N°", lambda d: str(d.position), 45, sort_key=lambda d: d.position, centered=True),
            Column("Décision", lambda d: d.text.replace("\n", " "), 480),
            Column("Actions du plan", lambda d: self.decision_links.column_text(d), 300)], identity=lambda d: d.id)
        self.decisions.setMinimumHeight(140)
        self.decisions.setAccessibleName("Décisions")
        self.decision_links = PlanLinksControl(ctx, meeting_id, LinkSource.DECISION, self.decisions,
                                               lambda d: d.text, self._edit_decision, self._delete_decision, self,
                                               self.reload_lists)
        layout.addWidget(self.decisions)
        layout.addLayout(self._buttons(self._new_decision, self._edit_decision, self._delete_decision, "décision",
                                       self.decision_links))

        self.actions_heading = self._heading("Actions décidées")
        layout.addWidget(self.actions_heading)
        self.actions = RecordTable([
            Column("Action", lambda a: a.text.replace("\n", " "), 330),
            Column("Responsable", lambda a: _responsible(ctx, a), 220),
            Column("Échéance", lambda a: short_date(a.due_date), 95,
                   sort_key=lambda a: (a.due_date is None, a.due_date.isoformat() if a.due_date else "")),
            Column("État", lambda a: a.status.label, 90),
            Column("Actions du plan", lambda a: self.action_links.column_text(a), 260)], identity=lambda a: a.id)
        self.actions.setMinimumHeight(160)
        self.actions.setAccessibleName("Actions décidées")
        self.action_links = PlanLinksControl(ctx, meeting_id, LinkSource.ACTION_ITEM, self.actions,
                                             lambda a: a.text, self._edit_action, self._delete_action, self,
                                             self.reload_lists)
        layout.addWidget(self.actions)
        layout.addLayout(self._buttons(self._new_action, self._edit_action, self._delete_action, "action",
                                       self.action_links))
        layout.addStretch(1)
        self.setWidget(body)

        self.save_button.clicked.connect(self.save)
        self.distribute_button.clicked.connect(self.distribute)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.decisions.open_requested.connect(self._edit_decision)
        self.decisions.delete_requested.connect(self._delete_decision)
        self.actions.open_requested.connect(self._edit_action)
        self.actions.delete_requested.connect(self._delete_action)
        ctx.runner.dispatcher.subscribe(self, {Change.MINUTES, Change.LINKS, Change.PLAN, Change.DIRECTORY},
                                        self._on_changes)
        self.reload_lists()
        self.mark_saved()

    def _situations_section(self, formation) -> QWidget | None:
        """« Situations examinées » (issue 17): a confidential group's records, once the module is enabled;
        the minutes themselves keep only the count."""
        from clspd_desktop.services.individual.location import module_enabled

        if not self.confidential or formation is None or not module_enabled(self.ctx.paths):
            return None
        from clspd_desktop.ui.individual.meeting_section import SituationsSection

        return SituationsSection(self.ctx, self.meeting_id, formation.id)

    def _on_changes(self, changes: OpChanges) -> None:
        self.reload_lists()  # the tables only: what is being typed stays as it is

    # --- unsaved minutes ---------------------------------------------------------------------------
    def _typed(self) -> tuple[object, ...]:
        """What the user types here (the tables below are saved as they change)."""
        return (self.written_by.text(), self.approved_on.text(), self.summary.toPlainText(),
                *(edit.toPlainText() for edit in self.item_notes.values()))

    def mark_saved(self) -> None:
        self._saved = self._typed()

    def has_unsaved_changes(self) -> bool:
        return self._typed() != self._saved

    def can_leave(self) -> bool:
        """True when nothing typed would be lost: saved now, discarded, or nothing to save."""
        if not self.has_unsaved_changes():
            return True
        discarded = ask_before_losing(self, "Le compte rendu", self.save)
        if discarded and self.has_unsaved_changes():  # « Ne pas enregistrer »: forget the typing
            self.mark_saved()
        return discarded

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text)
        theme.set_relative_size(label, 1.2, bold=True)
        label.setStyleSheet("margin-top: 10px;")
        return label

    def _buttons(self, new, edit, delete, noun: str, links: PlanLinksControl) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, slot in ((f"Ajouter une {noun}…", new), ("Modifier…", edit), ("Supprimer", delete)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addSpacing(16)
        row.addWidget(links.link_button)
        row.addWidget(links.create_button)
        row.addStretch(1)
        return row

    def reload_lists(self) -> None:
        links = self.ctx.store.links.links_of_meeting(self.meeting_id)  # before the rows: the column reads it
        self.decision_links.set_links(links)
        self.action_links.set_links(links)
        self.decisions.set_records(self.ctx.store.meetings.decisions(self.meeting_id))
        self.actions.set_records(self.ctx.store.meetings.action_items(self.meeting_id))
        meeting = self.ctx.store.meetings.get_meeting(self.meeting_id)
        carried = copies.carried_into(self.ctx.store, meeting) if meeting else []
        self.carried.set_records(carried)
        for widget in (self.carried_heading, self.carried, *self.close_buttons.values(),
                       self.jump_buttons["carried"]):
            widget.setVisible(bool(carried))

    def jump_to(self, section: str) -> None:
        """Scroll the section's heading to the top and put the keyboard in its table."""
        heading, table = {"carried": (self.carried_heading, self.carried),
                          "decisions": (self.decisions_heading, self.decisions),
                          "actions": (self.actions_heading, self.actions)}[section]
        body = self.widget()
        self.verticalScrollBar().setValue(heading.mapTo(body, QPoint(0, 0)).y())
        table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_carried_status(self, status: FollowUpStatus) -> bool:
        """Close (or reopen) the chosen earlier decision: the follow-up and its own meeting's minutes show it."""
        item: FollowUpItem | None = self.carried.current_record()
        if item is None:
            messages.warn(self, "Aucune suite choisie", "Choisissez d'abord une ligne du suivi des décisions.")
            return False
        return self.ctx.runner.run(
            partial(followup_ops.update_item, item_id=item.id, status=status, comment=item.comment), parent=self,
            undo=f"Suite à donner marquée « {status.label} »") is not None

    def distribute(self) -> bool:
        """« Diffuser le compte rendu »: the saved minutes only; a confidential group is refused with why."""
        if not self.confidential and (self.has_unsaved_changes()
                                      or self.ctx.store.meetings.minutes(self.meeting_id) is None):
            messages.warn(self, "Compte rendu à enregistrer",
                          "Enregistrez d'abord le compte rendu (Ctrl+S) : c'est la version enregistrée qui est "
                          "diffusée.")
            return False
        return distribute(self.ctx, self.meeting_id, self)

    @staticmethod
    def _links_warning(count: int) -> str:
        return (f" Elle est liée à {plural(count, 'action', feminine=True)} du plan : ces liens seront retirés (les actions restent)."
                if count else "")

    def save(self) -> bool:
        """Summary and every item's notes, all or nothing."""
        try:
            approved = self.approved_on.value()
        except ValueError as exc:
            messages.warn(self, "Date non reconnue", str(exc))
            return False
        minutes = Minutes(self.meeting_id, summary=self.summary.toPlainText(), written_by=self.written_by.text().strip(),
                          approved_on=approved)
        notes = {item_id: edit.toPlainText() for item_id, edit in self.item_notes.items()}
        if self.ctx.runner.run(partial(ops.save_minutes, minutes=minutes, item_notes=notes), parent=self) is None:
            return False
        self.mark_saved()
        self.saved_label.setText("Compte rendu enregistré.")
        return True

    def _new_decision(self) -> None:
        modal.run(DecisionDialog(self.ctx, Decision(self.meeting_id, ""), self))

    def _edit_decision(self) -> None:
        decision = self.decisions.current_record()
        if decision:
            modal.run(DecisionDialog(self.ctx, decision, self))

    def _delete_decision(self) -> None:
        decision = self.decisions.current_record()
        if decision and messages.confirm(
                self, "Supprimer la décision",
                "Supprimer cette décision ?" + self._links_warning(len(self.decision_links.links_of(decision))),
                "Supprimer"):
            self.ctx.runner.run(partial(ops.delete_decision, decision_id=decision.id), parent=self,
                                undo="Suppression d'une décision")

    def _new_action(self) -> None:
        modal.run(ActionItemDialog(self.ctx, ActionItem(self.meeting_id, ""), self))

    def _edit_action(self) -> None:
        item = self.actions.current_record()
        if item:
            modal.run(ActionItemDialog(self.ctx, item, self))

    def _delete_action(self) -> None:
        item = self.actions.current_record()
        if item and messages.confirm(
                self, "Supprimer l'action",
                "Supprimer cette action ?" + self._links_warning(len(self.action_links.links_of(item))),
                "Supprimer"):
            self.ctx.runner.run(partial(ops.delete_action_item, item_id=item.id), parent=self,
                                undo="Suppression d'une action décidée")
