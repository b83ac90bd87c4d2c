"""Postpone or duplicate a meeting, and the notice-period settings ("Paramètres des réunions")."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import partial

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QSpinBox, QTimeEdit, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.agenda_templates import items_from_lines, template_lines
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.meetings import Meeting, day_warnings
from clspd_desktop.errors import ValidationError
from clspd_desktop.services.operations import meeting_copies as copies
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.ui import theme
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.date_field import DateField
from clspd_desktop.ui.widgets.form_dialog import FormDialog


def _time_edit(value: time) -> QTimeEdit:
    edit = QTimeEdit(QTime(value.hour, value.minute))
    edit.setDisplayFormat("HH:mm")
    return edit


class _NewDayDialog(FormDialog):
    """A meeting taken to a new day (postponed or copied): the current day, the new one warned live about
    weekends, public holidays and the school holidays of the council's zone, a start time, a note."""

    def __init__(self, title: str, current: str, ctx: AppContext, meeting: Meeting,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.ctx, self.meeting = ctx, meeting
        self.form.addRow(current, QLabel(f"{long_date(meeting.starts_at.date())}, "
                                         f"{meeting.starts_at.strftime('%H:%M')}"))
        self.day = self.add_field("Nouvelle date *", DateField(), "date")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {theme.colours().warning}; font-weight: bold;")
        self.form.addRow("", self.warning)
        self.start = self.add_field("Début", _time_edit(meeting.starts_at.time()), "starts_at")
        self.day.textChanged.connect(self._warn)

    def add_note(self, text: str) -> None:
        note = QLabel(text)
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {theme.colours().muted};")
        self.form.addRow("", note)

    def _warn(self) -> None:
        try:
            day = self.day.value()
        except ValueError:
            day = None
        self.warning.setText("\n".join(day_warnings(day, copies.zone(self.ctx.store))) if day else "")

    def new_day(self) -> date:
        """The new day typed; ValidationError beside the field when missing or not understood."""
        try:
            day = self.day.value()
        except ValueError as exc:
            raise ValidationError({"date": str(exc)}) from exc
        if day is None:
            raise ValidationError({"date": "Indiquez la nouvelle date."})
        return day


class PostponeDialog(_NewDayDialog):
    def __init__(self, ctx: AppContext, meeting: Meeting, parent: QWidget | None = None) -> None:
        super().__init__("Reporter la réunion", "Date actuelle", ctx, meeting, parent)
        self.end = self.add_field("Fin", _time_edit(meeting.ends_at.time()), "ends_at")
        self.add_note("La réunion garde ses invités et son ordre du jour ; renvoyez ensuite les convocations.")
        self.save_button.setText("Reporter")

    def save(self) -> None:
        day = self.new_day()
        start, end = self.start.time(), self.end.time()
        self.ctx.runner.call(partial(
            ops.postpone_meeting, meeting_id=self.meeting.id,
            starts_at=datetime.combine(day, time(start.hour(), start.minute())),
            ends_at=datetime.combine(day, time(end.hour(), end.minute()))))


class DuplicateDialog(_NewDayDialog):
    """« Dupliquer »: the same meeting (formation, place, title, agenda, invitees) on a new day; undoable."""

    def __init__(self, ctx: AppContext, meeting: Meeting, parent: QWidget | None = None) -> None:
        super().__init__("Dupliquer la réunion", "Réunion copiée", ctx, meeting, parent)
        self.copy: copies.Duplicate | None = None
        self.add_note("La copie reprend la formation, le titre, le lieu, l'ordre du jour (sans les notes) et les "
                      "invités (sans leurs réponses ni leur présence). Elle est « Prévue » : envoyez ensuite ses "
                      "convocations. Édition › Annuler (Ctrl+Z) la supprime.")
        self.save_button.setText("Dupliquer")

    def save(self) -> None:
        day = self.new_day()
        start = self.start.time()
        self.copy = self.ctx.runner.call(
            partial(copies.duplicate_meeting, meeting_id=self.meeting.id,
                    starts_at=datetime.combine(day, time(start.hour(), start.minute()))),
            undo=f"Copie de la réunion au {long_date(day)}")


class MeetingSettingsDialog(FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Paramètres des réunions", parent)
        self.ctx = ctx
        intro = QLabel("Délai de prévenance : nombre de jours francs entre l'envoi des convocations et la réunion "
                       "(ni le jour d'envoi ni celui de la réunion ne comptent). Aucun texte ne le fixe pour un "
                       "CLSPD : c'est une règle de bonne pratique du conseil.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.plenary = self.add_field("Formation plénière", QSpinBox(), "plenary")
        self.other = self.add_field("Restreinte et groupes de travail", QSpinBox(), "other")
        for box, kind in ((self.plenary, FormationKind.PLENARY), (self.other, FormationKind.WORKING_GROUP)):
            box.setRange(0, 90)
            box.setSuffix(" jours")
            box.setValue(ctx.store.meetings.notice_days(kind))

        # the agenda each kind of meeting proposes (data shipped with the app, edited copy in the settings)
        self._templates = copies.current_templates(ctx.store)
        self._texts = {key: template_lines(t) for key, t in self._templates.items()}
        self.template_choice = self.add_field("Modèle d'ordre du jour", ChoiceBox(
            (t.label, key) for key, t in self._templates.items()), "template_choice")
        self.template_text = self.add_field("Points du modèle", QPlainTextEdit(), "templates")
        self.template_text.setToolTip("Un point par ligne ; « — » sépare qui le présente : "
                                      "« Bilan de l'année écoulée — Coordonnateur »")
        self.template_text.setMinimumSize(560, 110)  # a point per line, seldom wrapped
        self.reset_button = QPushButton("Rétablir les modèles livrés")
        self.reset_button.setToolTip("Les ordres du jour tirés du guide national, livrés avec l'application")
        self.form.addRow("", self.reset_button)
        self._shown = self.template_choice.value()
        self.template_text.setPlainText(self._texts.get(self._shown, ""))
        self.template_choice.currentIndexChanged.connect(lambda _index: self._show_template())
        self.reset_button.clicked.connect(self._reset_templates)

    def _show_template(self) -> None:
        self._texts[self._shown] = self.template_text.toPlainText()
        self._shown = self.template_choice.value()
        self.template_text.setPlainText(self._texts.get(self._shown, ""))

    def _reset_templates(self) -> None:
        """Shown at once, written only with « Enregistrer » (Annuler keeps the edited copy)."""
        self._texts = {key: template_lines(t) for key, t in copies.shipped_templates().items()}
        self.template_text.setPlainText(self._texts.get(self._shown, ""))

    def save(self) -> None:
        self.ctx.runner.call(partial(ops.set_notice_days, plenary=self.plenary.value(), other=self.other.value()))
        self._texts[self._shown] = self.template_text.toPlainText()
        items = {key: items_from_lines(text) for key, text in self._texts.items()}
        if items != {key: t.items for key, t in self._templates.items()}:
            self.ctx.runner.call(partial(copies.save_agenda_templates, items=items))
