"""Issue 16, point 8: the agenda templates are edited in « Paramètres des réunions »; a new meeting proposes
the edited one; an emptied template is refused in French; « Rétablir » brings the shipped ones back."""

from __future__ import annotations

from datetime import date

from clspd_desktop.domain.agenda_templates import SETTING_KEY, items_from_lines
from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.ui.meetings.meeting_dialog import MeetingDialog
from clspd_desktop.ui.meetings.small_dialogs import MeetingSettingsDialog


def _settings(ctx, qtbot) -> MeetingSettingsDialog:
    dialog = MeetingSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    return dialog


def test_points_typed_one_per_line_with_who_presents():
    items = items_from_lines("  Bilan   de l'année — Coordonnateur\n\nTour de table\nPoint divers - Président\n")
    assert [(i.title, i.presenter) for i in items] == [("Bilan de l'année", "Coordonnateur"),
                                                       ("Tour de table", ""), ("Point divers", "Président")]


def test_an_edited_template_is_what_a_new_meeting_proposes(ctx, qtbot):
    ctx.runner.guard_writes()
    dialog = _settings(ctx, qtbot)
    dialog.template_choice.select("formation_restreinte")
    assert dialog.template_text.toPlainText().startswith("Avancement des axes du plan local d'actions")
    dialog.template_text.setPlainText("Point sécurité des écoles — Commissaire\nTour de table")
    assert dialog.template_choice.select("groupe_de_travail")  # the edit is kept while another is shown
    dialog.save_button.click()
    assert ctx.store.settings.get(SETTING_KEY)  # the edited copy, the shipped file untouched
    restricted = ctx.store.formations.by_kind(FormationKind.RESTRICTED)
    meeting = MeetingDialog(ctx, day=date(2027, 1, 12), formation_id=restricted.id)
    qtbot.addWidget(meeting)
    assert [(i.title, i.presenter) for i in meeting.agenda.items()][:2] == [
        ("Point sécurité des écoles", "Commissaire"), ("Tour de table", "")]


def test_an_emptied_template_is_refused_and_the_shipped_ones_come_back(ctx, qtbot):
    dialog = _settings(ctx, qtbot)
    dialog.template_choice.select("formation_restreinte")
    dialog.template_text.setPlainText("  \n")
    dialog.save_button.click()
    assert "n'a plus aucun point" in dialog.errors.message("templates")
    assert ctx.store.settings.get(SETTING_KEY) == ""
    dialog.template_text.setPlainText("Seul point")
    dialog.save_button.click()
    assert "Seul point" in ctx.store.settings.get(SETTING_KEY)

    again = _settings(ctx, qtbot)
    again.template_choice.select("formation_restreinte")
    assert again.template_text.toPlainText() == "Seul point"
    again.reset_button.click()
    assert again.template_text.toPlainText().startswith("Avancement des axes du plan local d'actions")
    again.save_button.click()
    assert ctx.store.settings.get(SETTING_KEY) == ""  # the shipped templates again, no copy kept
