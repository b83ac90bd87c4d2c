"""Create or edit a meeting: formation, date and times (weekend/holiday warned live), place or video link,
de droit request, préfet presentation, reply deadline, signatory, numbered agenda; a new meeting may repeat
(series), an occurrence of a series may be edited alone or with the following ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import partial

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.followup import CARRIED_TITLE, FollowUpItem, carried_line
from clspd_desktop.domain.meetings import (
    AgendaItem,
    DeDroitRequester,
    Meeting,
    MeetingStatus,
    SeriesFrequency,
    day_warnings,
    series_dates,
)
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import ValidationError
from clspd_desktop.services.operations import meeting_copies as copies
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.services.reports.common import signatory_line
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.meetings.agenda_editor import AgendaEditor
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.date_field import DateField
from clspd_desktop.ui.widgets.form_dialog import FormDialog

ONLY_THIS, THIS_AND_FOLLOWING = "one", "following"
SHOWN_WARNINGS = 12  # a long series: the first dates, then how many more
_ITEM_ROLE = Qt.ItemDataRole.UserRole


def _time_edit(value: time) -> QTimeEdit:
    edit = QTimeEdit(QTime(value.hour, value.minute))
    edit.setDisplayFormat("HH:mm")
    edit.setMaximumWidth(90)
    return edit


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return box


def default_signatory(ctx: AppContext) -> str:
    council = ctx.store.council.get()
    if council is None or not council.chair_name:
        return ""
    return signatory_line(ctx.store, council)


class MeetingDialog(FormDialog):
    def __init__(self, ctx: AppContext, meeting: Meeting | None = None, day: date | None = None,
                 formation_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Modifier la réunion" if meeting else "Nouvelle réunion", parent)
        self.resize(780, 720)  # fits a 1366×768 screen (its minimum is about 670 high)
        self.ctx = ctx
        self.original = meeting
        self.saved: list[Meeting] = []
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        formations = ctx.store.formations.formations()
        start = meeting.starts_at if meeting else datetime.combine(day or date.today(), time(14, 0))
        end = meeting.ends_at if meeting else start + timedelta(hours=2)

        self.formation = self.add_field("Formation ou groupe *", ChoiceBox(
            (f.display_name + (" (confidentiel)" if f.confidential else ""), f.id) for f in formations), "formation")
        self.formation.select(meeting.formation_id if meeting else formation_id or formations[0].id)
        self.title_edit = self.add_field("Titre", QLineEdit(meeting.title if meeting else ""), "title")
        self.title_edit.setPlaceholderText("Ex. : Plénière annuelle, GT tranquillité publique…")
        self.day = DateField(start.date())
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {theme.colours().warning}; font-weight: bold;")
        date_box = QWidget()
        date_layout = QVBoxLayout(date_box)
        date_layout.setContentsMargins(0, 0, 0, 0)
        date_layout.addWidget(_row(self.day))
        date_layout.addWidget(self.warning)
        self.add_field("Date *", date_box, "date")
        self.start_time = _time_edit(start.time())
        self.end_time = _time_edit(end.time())
        self.add_field("Horaire *", _row(QLabel("de"), self.start_time, QLabel("à"), self.end_time), "ends_at")
        self.errors.labels["starts_at"] = self.errors.labels["ends_at"]  # overlaps are reported here too
        self.place = self.add_field("Lieu", QLineEdit(meeting.place if meeting else ""), "place")
        self.video = self.add_field("Lien de visioconférence", QLineEdit(meeting.video_link if meeting else ""),
                                    "video_link")
        self.de_droit = QCheckBox("Réunion de droit")
        self.requester = ChoiceBox((r.label, r) for r in DeDroitRequester if r is not DeDroitRequester.NONE)
        self.requested_on = DateField(meeting.de_droit_requested_on if meeting else None)
        self.add_field("De droit", _row(self.de_droit, self.requester, QLabel("demande du"), self.requested_on),
                       "de_droit_requester")
        self.prefect = self.add_field("Préfet", QCheckBox("Présentation annuelle de l'état de la délinquance par le "
                                                           "préfet"), "prefect_presentation")
        self.reply_deadline = self.add_field("Réponse attendue avant le",
                                             DateField(meeting.reply_deadline if meeting else None), "reply_deadline")
        self.signatory = self.add_field("Signataire", QLineEdit(
            meeting.signatory if meeting else default_signatory(ctx)), "signatory")
        self.agenda = self.add_field("Ordre du jour", AgendaEditor(meeting.agenda if meeting else []), "agenda")
        # a new meeting: its kind's template, and the decisions still open from earlier meetings to keep or drop
        self._proposed: list[AgendaItem] = []
        self.carried = QListWidget()
        self.carried.setMaximumHeight(120)
        self.carried.setWordWrap(True)
        self.carried.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.carried.setToolTip("Cochées, ces suites à donner s'ajoutent à l'ordre du jour après « Suivi des "
                                "décisions » ; décochez celles à ne pas reprendre.")
        self.carried_label = QLabel("Décisions encore\nouvertes à reprendre")
        self.form.addRow(self.carried_label, self.carried)
        self.notes = self.add_field("Notes internes", QLineEdit(meeting.notes if meeting else ""), "notes")
        if meeting:
            self.de_droit.setChecked(meeting.de_droit)
            self.requester.select(meeting.de_droit_requester)
            self.prefect.setChecked(meeting.prefect_presentation)

        self.repeat = QCheckBox("Répéter")
        self.frequency = ChoiceBox((f.label, f) for f in SeriesFrequency)
        self.until = DateField()
        self.scope = ChoiceBox([("cette réunion seulement", ONLY_THIS),
                                ("cette réunion et les suivantes de la série", THIS_AND_FOLLOWING)])
        if meeting is None:
            self.add_field("Série", _row(self.repeat, self.frequency, QLabel("jusqu'au"), self.until), "until")
            self.repeat.toggled.connect(self._sync)
        elif meeting.series_id is not None:
            self.add_field("Appliquer à", self.scope, "scope")
        self.day.textChanged.connect(self._show_day_warning)
        self.de_droit.toggled.connect(self._sync)
        if meeting is None:
            self.formation.currentIndexChanged.connect(self._propose)
            self.day.textChanged.connect(self._propose)
        self._sync()
        self._show_day_warning()
        self._propose()

    def _sync(self) -> None:
        self.requester.setEnabled(self.de_droit.isChecked())
        self.requested_on.setEnabled(self.de_droit.isChecked())
        self.frequency.setEnabled(self.repeat.isChecked())
        self.until.setEnabled(self.repeat.isChecked())

    def _typed_day(self) -> date | None:
        try:
            return self.day.value()
        except ValueError:
            return None

    def _show_day_warning(self) -> None:
        day = self._typed_day()
        self.warning.setText("\n".join(day_warnings(day, copies.zone(self.ctx.store))) if day else "")
        self.warning.setVisible(bool(self.warning.text()))

    def _propose(self) -> None:
        """A new meeting: the template of its formation's kind replaces the agenda while the user has not
        changed what was proposed; the open decisions of earlier meetings of the formation are listed, ticked."""
        day = self._typed_day()
        formation = self.ctx.store.formations.get(self.formation.value()) if self.original is None else None
        if formation is None or day is None:
            self.carried_label.setVisible(False)
            self.carried.setVisible(False)
            return
        typed = [(i.title, i.presenter) for i in self.agenda.items()]
        if not typed or typed == [(i.title, i.presenter) for i in self._proposed]:
            self._proposed = copies.template_agenda(copies.agenda_template(self.ctx.store, formation.kind, day))
            self.agenda.set_items(self._proposed)
        kept = {i.id for i in self.kept_items()}
        self.carried.clear()
        for followed in copies.open_items_to_carry(self.ctx.store, formation.id, day):
            line = carried_line(followed)
            row = QListWidgetItem(f"{line.removeprefix(CARRIED_TITLE + ' : ')} — réunion du "
                                  f"{short_date(followed.meeting_day)}")
            row.setToolTip(f"Ligne ajoutée à l'ordre du jour : « {line} »")
            row.setData(_ITEM_ROLE, followed)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked if not kept or followed.id in kept else Qt.CheckState.Unchecked)
            self.carried.addItem(row)
        self.carried_label.setVisible(self.carried.count() > 0)
        self.carried.setVisible(self.carried.count() > 0)

    def kept_items(self) -> list[FollowUpItem]:
        """The open decisions the user keeps on the new meeting's agenda."""
        rows = (self.carried.item(n) for n in range(self.carried.count()))
        return [r.data(_ITEM_ROLE) for r in rows if r.checkState() == Qt.CheckState.Checked]

    def _time(self, edit: QTimeEdit) -> time:
        value = edit.time()
        return time(value.hour(), value.minute())

    def build(self) -> Meeting:
        """The meeting as typed; ValidationError for what cannot even be read."""
        errors: dict[str, str] = {}
        day = requested_on = deadline = until = None
        for name, field in (("date", self.day), ("de_droit_requester", self.requested_on),
                            ("reply_deadline", self.reply_deadline), ("until", self.until)):
            try:
                value = field.value()
            except ValueError as exc:
                errors[name] = str(exc)
                continue
            if name == "date":
                day = value
            elif name == "de_droit_requester":
                requested_on = value
            elif name == "reply_deadline":
                deadline = value
            else:
                until = value
        if day is None and "date" not in errors:
            errors["date"] = "Indiquez la date de la réunion."
        if self.repeat.isChecked() and until is None and "until" not in errors:
            errors["until"] = "Indiquez jusqu'à quelle date la série se répète."
        if errors:
            raise ValidationError(errors)
        self._until = until
        base = self.original
        return Meeting(
            id=base.id if base else None, uid=base.uid if base else "", sequence=base.sequence if base else 0,
            status=base.status if base else MeetingStatus.PLANNED,
            series_id=base.series_id if base else None,
            formation_id=self.formation.value(), title=self.title_edit.text(),
            starts_at=datetime.combine(day, self._time(self.start_time)),
            ends_at=datetime.combine(day, self._time(self.end_time)),
            place=self.place.text(), video_link=self.video.text(), de_droit=self.de_droit.isChecked(),
            de_droit_requester=self.requester.value() if self.de_droit.isChecked() else DeDroitRequester.NONE,
            de_droit_requested_on=requested_on if self.de_droit.isChecked() else None,
            prefect_presentation=self.prefect.isChecked(), reply_deadline=deadline,
            signatory=self.signatory.text(), notes=self.notes.text(),
            agenda=copies.with_carried(self.agenda.items(), self.kept_items()) if base is None
            else self.agenda.items())

    def _series_agendas(self, meeting: Meeting) -> tuple[Meeting, list[AgendaItem]]:
        """A new series: the kept open decisions go on the first occurrence only."""
        return replace(meeting, agenda=self.agenda.items()), meeting.agenda

    def _confirm_series_days(self, meeting: Meeting) -> None:
        """Before creating a series: every occurrence on a weekend, a public holiday or in the school holidays,
        and the choice to create it anyway; declining keeps the dialog open."""
        try:
            days = series_dates(meeting.starts_at.date(), self.frequency.value(), self._until)
        except ValueError:
            return  # the operation reports it beside « jusqu'au »
        warnings = copies.occurrence_warnings(self.ctx.store, days)
        if not warnings:
            return
        shown = warnings[:SHOWN_WARNINGS]
        more = len(warnings) - len(shown)
        text = ("Certaines réunions de la série tombent à des dates où des partenaires risquent d'être absents :\n\n"
                + "\n".join(f"• {w.removeprefix('Attention : ')}" for w in shown)
                + (f"\n• et {plural(more, 'autre date', 'autres dates', feminine=True)}." if more else "")
                + "\n\nCréer la série quand même ? Vous pourrez reporter une réunion ensuite.")
        if not messages.confirm(self, "Dates de la série", text, "Créer la série"):
            raise ValidationError({"until": "Série non créée : changez la date, le rythme ou la fin de la série."})

    def save(self) -> None:
        meeting = self.build()
        if self.original is None and self.repeat.isChecked():
            self._confirm_series_days(meeting)
            every, first_agenda = self._series_agendas(meeting)
            self.saved = self.ctx.runner.call(partial(
                ops.create_series, first=every, frequency=self.frequency.value(), until=self._until,
                first_agenda=first_agenda))
            return
        following = self.original is not None and self.scope.value() == THIS_AND_FOLLOWING
        self.saved = self.ctx.runner.call(partial(ops.save_meeting, meeting=meeting, with_following=following))
