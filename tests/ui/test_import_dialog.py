"""The import dialog driven as a user would: choose a file, fix the mapping, decide duplicates, import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from clspd_desktop.services.directory_import import DuplicateDecision, ImportField, LineStatus
from clspd_desktop.ui.partners.import_dialog import MERGE_COLUMN, ImportDialog
from tests.factories import add_contact, add_organisation
from tests.unit.test_directory_import import HEADER, ROWS, dump, write_csv


@pytest.fixture
def dialog(qtbot, ctx, dialogs):
    widget = ImportDialog(ctx)
    yield widget
    if widget.has_unsaved_changes():  # closed after the test: the user would not import
        dialogs.save_choices.append("discard")
    widget.close()
    widget.deleteLater()


def import_now(qtbot, dialog) -> None:
    """Click « Importer » and wait for the import, which runs on the worker."""
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert not dialog.isEnabled()  # the window waits while the worker imports
    qtbot.waitUntil(lambda: not dialog.ctx.runner.busy, timeout=10_000)


def checked(qtbot, dialog) -> None:
    """The file is read and its lines checked on the worker: wait until the window shows the result."""
    qtbot.waitUntil(lambda: not dialog.ctx.runner.busy and dialog.isEnabled(), timeout=10_000)


def choose(qtbot, dialog, dialogs, path: Path) -> None:
    dialogs.files.append(path)
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    checked(qtbot, dialog)


def map_column(qtbot, dialog, column: int, field: ImportField) -> None:
    dialog.choosers[column].combo.setCurrentIndex(dialog.choosers[column].fields.index(field))
    checked(qtbot, dialog)


def test_good_file_previews_then_imports_in_one_click(qtbot, dialog, dialogs, ctx, tmp_path):
    path = write_csv(tmp_path / "partenaires.csv", ROWS, encoding="cp1252")
    assert not dialog.import_button.isEnabled()

    choose(qtbot, dialog, dialogs, path)

    assert "Windows-1252" in dialog.file_label.text() and "« ; »" in dialog.file_label.text()
    assert [c.value() for c in dialog.choosers][:2] == [ImportField.ORG_NAME, ImportField.CATEGORY]
    assert dialog.model.rowCount() == 3
    assert [dialog.model.index(r, 1).data() for r in range(3)] == ["Nouveau"] * 3
    assert "3 référents à créer, 2 organisations à créer" in dialog.summary_label.text()
    assert dialog.import_button.isEnabled()

    import_now(qtbot, dialog)

    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialogs.informed == [("Import terminé", "Import terminé : 2 organisations créées, 3 référents "
                                 "créés, aucun référent mis à jour par fusion, aucun doublon ignoré.")]
    assert ctx.store.directory.count_contacts() == 3
    # the state before the import was kept as a snapshot the user can restore
    snapshots = list(ctx.paths.snapshots_dir.glob("*avant-import*.sqlite"))
    assert len(snapshots) == 1


def test_hostile_file_is_refused_with_a_french_message(qtbot, dialog, dialogs, ctx, tmp_path):
    before = dump(ctx.store)
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\x00\x00\x01binaire" * 40)

    choose(qtbot, dialog, dialogs, path)

    assert dialogs.warned and "n'est pas un tableau lisible" in dialogs.warned[0][1]
    assert dialog.model.rowCount() == 0 and not dialog.import_button.isEnabled()
    assert dump(ctx.store) == before


def test_cancelled_file_choice_changes_nothing(qtbot, dialog, dialogs):
    choose(qtbot, dialog, dialogs, None)
    assert dialog.file_label.text() == "Aucun fichier choisi." and dialog.model.rowCount() == 0


def test_errors_block_the_import_until_the_user_skips_them(qtbot, dialog, dialogs, ctx, tmp_path):
    path = write_csv(tmp_path / "erreur.csv", [*ROWS, ["Mairie", "", "", "Paul", "Durand", "", "x@", "", ""]])
    choose(qtbot, dialog, dialogs, path)

    assert dialog.model.index(3, 1).data() == "Erreur : adresse e-mail invalide : « x@ »"
    assert "Ligne 5 : adresse e-mail invalide" in dialog.messages_box.toPlainText()
    assert not dialog.import_button.isEnabled()
    assert "Corrigez le fichier" in dialog.summary_label.text()

    dialog.skip_errors_box.setChecked(True)
    assert dialog.import_button.isEnabled()
    import_now(qtbot, dialog)
    assert "1 ligne en erreur ignorée" in dialogs.informed[0][1]
    assert "Durand" not in str(dump(ctx.store))


def test_mapping_can_be_fixed_by_hand(qtbot, dialog, dialogs, ctx, tmp_path):
    path = write_csv(tmp_path / "entetes.csv", [["Mairie", "Perrot", "j.perrot@montreval.fr"]],
                     header=["Entite", "Nom", "Adresse mail pro"])
    choose(qtbot, dialog, dialogs, path)

    assert dialog.problem_label.text().startswith("Colonne obligatoire introuvable : « Organisation »")
    assert not dialog.import_button.isEnabled() and dialog.model.rowCount() == 0

    map_column(qtbot, dialog, 0, ImportField.ORG_NAME)
    map_column(qtbot, dialog, 2, ImportField.EMAIL)
    assert dialog.problem_label.text() == "" and dialog.model.rowCount() == 1
    assert dialog.model.index(0, 7).data() == "j.perrot@montreval.fr"

    # a field feeds one column only: giving "Nom" to the first column frees the second
    map_column(qtbot, dialog, 0, ImportField.LAST_NAME)
    assert dialog.choosers[1].value() is None
    assert "« Organisation »" in dialog.problem_label.text()


def test_duplicates_are_merged_or_skipped_per_line_or_all_at_once(qtbot, dialog, dialogs, ctx, tmp_path):
    prefecture = add_organisation(ctx.store)
    add_contact(ctx.store, prefecture, last_name="Martin", first_name="Élodie", email="e.martin@essonne.gouv.fr")
    add_contact(ctx.store, prefecture, last_name="Lœuvre", first_name="Benoît")
    choose(qtbot, dialog, dialogs, write_csv(tmp_path / "doublons.csv", ROWS))

    model = dialog.model
    assert [model.index(r, 1).data() for r in range(3)] == ["Doublon ignoré", "Doublon ignoré", "Nouveau"]
    assert model.flags(model.index(2, MERGE_COLUMN)) & Qt.ItemFlag.ItemIsUserCheckable == Qt.ItemFlag.NoItemFlags
    assert model.setData(model.index(2, MERGE_COLUMN), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole) is False

    qtbot.mouseClick(dialog.merge_all_button, Qt.MouseButton.LeftButton)
    assert [model.index(r, 1).data() for r in range(2)] == ["Fusion", "Fusion"]
    assert model.setData(model.index(1, MERGE_COLUMN), Qt.CheckState.Unchecked.value,
                         Qt.ItemDataRole.CheckStateRole)
    assert model.index(1, MERGE_COLUMN).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert "1 doublon à fusionner, 1 doublon ignoré" in dialog.summary_label.text()

    import_now(qtbot, dialog)

    assert "1 référent mis à jour par fusion, 1 doublon ignoré" in dialogs.informed[0][1]
    martin = ctx.store.directory.find_contact_duplicate("e.martin@essonne.gouv.fr", "", "", None)
    assert martin.function == "Sous-préfète"
    assert ctx.store.directory.count_contacts() == 3


def test_failed_import_keeps_the_dialog_open_and_the_database_intact(qtbot, dialog, dialogs, ctx, tmp_path,
                                                                      monkeypatch):
    import sqlite3

    from clspd_desktop.db.directory_repo import DirectoryRepository

    before = dump(ctx.store)
    choose(qtbot, dialog, dialogs, write_csv(tmp_path / "ok.csv", ROWS))

    def broken(repository, contact):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(DirectoryRepository, "save_contact", broken)  # the worker's own repository too
    import_now(qtbot, dialog)

    assert dialogs.warned[0][0] == "Import impossible" and "rien n'a été importé" in dialogs.warned[0][1]
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dump(ctx.store) == before


def test_preview_model_passes_qtmodeltester(qtmodeltester, dialog, dialogs, ctx, tmp_path, qtbot):
    add_contact(ctx.store, add_organisation(ctx.store), last_name="Martin", first_name="Élodie",
                email="e.martin@essonne.gouv.fr")
    rows = [*ROWS, ["Mairie", "", "", "", "", "", "x@", "", ""], ["Mairie", "", "", "", "", "", "", "", ""]]
    choose(qtbot, dialog, dialogs, write_csv(tmp_path / "mix.csv", rows, header=HEADER))
    statuses = {line.status for line in dialog.preview.lines}
    assert statuses == {LineStatus.NEW, LineStatus.DUPLICATE, LineStatus.ERROR, LineStatus.ORG_ONLY}
    dialog.preview.set_all_decisions(DuplicateDecision.MERGE)
    dialog.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(dialog.model, force_py=True)


@pytest.mark.parametrize("answer", ["save", "discard", "cancel"])
def test_closing_with_a_reviewed_file_asks_first(qtbot, dialog, dialogs, ctx, tmp_path, answer):
    dialog.show()
    choose(qtbot, dialog, dialogs, write_csv(tmp_path / "partenaires.csv", ROWS))
    assert dialog.has_unsaved_changes()
    dialogs.save_choices.append(answer)
    dialog.close()  # the window's cross, or Échap
    assert dialogs.save_questions == ["L'import préparé contient des modifications non enregistrées. "
                                      "Voulez-vous les enregistrer ?"]
    if answer == "save":  # « Enregistrer » imports; the window closes once the import is done
        checked(qtbot, dialog)
        assert dialog.result() == dialog.DialogCode.Accepted and not dialog.isVisible()
        assert ctx.store.directory.count_contacts() == 3
    elif answer == "discard":
        assert not dialog.isVisible() and ctx.store.directory.count_contacts() == 0
    else:
        assert dialog.isVisible() and dialog.model.rowCount() == 3
        assert ctx.store.directory.count_contacts() == 0


def test_closing_without_a_file_or_after_importing_asks_nothing(qtbot, dialog, dialogs, ctx, tmp_path):
    dialog.show()
    dialog.close()
    assert not dialog.isVisible()
    dialog.show()
    choose(qtbot, dialog, dialogs, write_csv(tmp_path / "partenaires.csv", ROWS))
    import_now(qtbot, dialog)
    assert not dialog.has_unsaved_changes()
    assert dialogs.save_questions == []


def test_a_large_file_is_checked_on_the_worker(qtbot, dialog, dialogs, ctx, tmp_path):
    rows = [[f"Organisation {n // 3}", "", "", f"Prénom{n}", f"Nom{n}", "", f"p{n}@exemple.fr", "", ""]
            for n in range(1500)]
    dialogs.files.append(write_csv(tmp_path / "grand.csv", rows))
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert ctx.runner.busy and not dialog.isEnabled()  # the window repaints meanwhile
    checked(qtbot, dialog)
    assert dialog.model.rowCount() == 1500
    assert dialog.summary_label.text().startswith("1500 référents à créer, 500 organisations à créer")


def test_cancelled_import_writes_nothing_and_gives_the_window_back(qtbot, dialog, dialogs, ctx, tmp_path,
                                                                   monkeypatch):
    import threading

    from clspd_desktop.services.snapshots import SnapshotService

    dialog.show()
    choose(qtbot, dialog, dialogs, write_csv(tmp_path / "partenaires.csv", ROWS))
    gate, take = threading.Event(), SnapshotService.take

    def slow_snapshot(service, reason, now=None):
        gate.wait(5)  # the user presses « Annuler » while the snapshot is being taken
        return take(service, reason, now)

    monkeypatch.setattr(SnapshotService, "take", slow_snapshot)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert ctx.runner.cancellable
    ctx.runner.cancel()
    gate.set()
    checked(qtbot, dialog)
    assert dialog.isVisible() and dialog.isEnabled() and dialog.import_button.isEnabled()
    assert ctx.store.directory.count_contacts() == 0 and ctx.runner.undo_label == ""
    assert dialogs.warned == [] and dialogs.informed == []


def test_file_choice_refused_while_other_long_work_runs(qtbot, dialog, dialogs, ctx, tmp_path):
    import threading

    from clspd_desktop.services.operations import done

    gate = threading.Event()
    assert ctx.runner.start(lambda env: (gate.wait(5), done(None))[1], parent=None, label="Sauvegarde…")
    dialogs.files.append(write_csv(tmp_path / "partenaires.csv", ROWS))
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialogs.informed[-1][0] == "Opération en cours" and dialog.isEnabled()
    gate.set()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=5000)
    assert dialog.model.rowCount() == 0 and dialog.isEnabled()


def test_the_header_line_is_found_and_can_be_changed(qtbot, dialog, dialogs, ctx, tmp_path):
    from tests.unit.test_directory_import import mairie_workbook

    choose(qtbot, dialog, dialogs, mairie_workbook(tmp_path / "annuaire.xlsx"))
    assert dialog.header_choice.isEnabled() and dialog.header_choice.currentData() == 2
    assert "en-têtes ligne 5" in dialog.file_label.text()
    assert dialog.model.rowCount() == len(ROWS) + 6 and dialog.import_button.isEnabled()
    dialog.header_choice.setCurrentIndex(dialog.header_choice.findData(0))  # the title line: refused mapping
    checked(qtbot, dialog)  # the lines are checked again on the worker
    assert [c.header.toolTip() for c in dialog.choosers] == ["Annuaire des partenaires du CLSPD de Montreval"]
    assert not dialog.import_button.isEnabled() and "introuvable" in dialog.problem_label.text()
    dialog.header_choice.setCurrentIndex(dialog.header_choice.findData(2))
    checked(qtbot, dialog)
    assert dialog.import_button.isEnabled()
