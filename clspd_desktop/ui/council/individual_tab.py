"""Conseil › « Suivi individuel »: whether the module is on, who answers for it, the groups allowed and the
dated documents for the DPO. Everything shown comes from the setup record in the main database: the
encrypted store is never opened here.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.individual.paperwork import SETUP_KEY, PaperKind, SetupRecord
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import individual_setup as ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.file_export import produce_file_on_worker
from clspd_desktop.ui.widgets import modal

PDF_FILTER = "Document PDF (*.pdf)"
OFF_TEXT = ("Le suivi individuel est désactivé (réglage par défaut). Il permet au coordonnateur de tenir, pour les "
            "groupes de travail confidentiels, une fiche par personne suivie, dans un fichier chiffré séparé, dans "
            "le cadre de la délibération CNIL n° 2014-262 (AU-038). L'activer demande d'abord le règlement "
            "intérieur du groupe, la charte signée par ses membres et une phrase de passe ; quatre documents sont "
            "alors produits pour le délégué à la protection des données.")


def _value() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class IndividualTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.state = QLabel()
        self.state.setWordWrap(True)
        theme.make_heading(self.state, 3)
        layout.addWidget(self.state)
        self.explanation = QLabel(OFF_TEXT)
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)

        self.details = QGroupBox("Réglages déclarés à l'activation")
        form = QFormLayout(self.details)
        self.responsible, self.coordinator, self.groups, self.group_rules = _value(), _value(), _value(), _value()
        for caption, widget in (("Responsable du traitement :", self.responsible),
                                ("Coordonnateur désigné :", self.coordinator),
                                ("Groupes autorisés (L132-5) :", self.groups),
                                ("Règlement intérieur des groupes :", self.group_rules)):
            widget.setAccessibleName(caption.rstrip(" :"))
            form.addRow(QLabel(caption), widget)
        excluded = QLabel("La formation plénière et la formation restreinte ne peuvent jamais utiliser ce module.")
        excluded.setWordWrap(True)
        excluded.setStyleSheet(f"color: {theme.colours().muted};")
        form.addRow(excluded)
        layout.addWidget(self.details)

        self.documents = QGroupBox("Documents pour le délégué à la protection des données")
        docs = QVBoxLayout(self.documents)
        self.document_rows: dict[PaperKind, tuple[QLabel, QPushButton]] = {}
        for kind in PaperKind:
            row = QHBoxLayout()
            when = QLabel()
            button = QPushButton(f"{kind.heading}…")
            button.clicked.connect(partial(self.produce, kind))
            row.addWidget(button)
            row.addWidget(when, 1)
            docs.addLayout(row)
            self.document_rows[kind] = (when, button)
        layout.addWidget(self.documents)

        buttons = QHBoxLayout()
        self.enable_button = QPushButton("Activer le suivi individuel…")
        self.enable_button.clicked.connect(self.open_wizard)
        buttons.addWidget(self.enable_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.refresh()
        ctx.runner.dispatcher.subscribe(self, {Change.SETTINGS, Change.INDIVIDUAL}, self._on_changes)

    def _on_changes(self, changes: OpChanges) -> None:
        self.refresh()

    def setup(self) -> SetupRecord | None:
        return SetupRecord.from_json(self.ctx.store.settings.get(SETUP_KEY))

    def refresh(self) -> None:
        setup = self.setup()
        on = setup is not None and self.ctx.individual.enabled
        self.enable_button.setVisible(not on)
        self.details.setVisible(setup is not None)
        self.documents.setVisible(setup is not None)
        self.explanation.setVisible(not on)
        if setup is None:
            enabled = self.ctx.individual.enabled
            self.enable_button.setVisible(not enabled)
            self.state.setText("Suivi individuel : activé, réglages déclarés introuvables" if enabled else
                               "Suivi individuel : désactivé")
            self.explanation.setText(OFF_TEXT if not enabled else (
                "Le fichier chiffré du suivi individuel existe sur ce poste, mais la base du conseil ne garde plus "
                "les réglages déclarés à l'activation (base restaurée d'une sauvegarde plus ancienne ?). Les "
                "fiches ne sont pas touchées ; restaurez une sauvegarde plus récente pour retrouver les réglages "
                "et produire les documents."))
            return
        self.state.setText(f"Suivi individuel : activé le {long_date(setup.enabled_on)}" if on else
                           "Suivi individuel : le fichier chiffré est introuvable sur ce poste")
        if not on:
            self.explanation.setText("Le module a été activé mais son fichier chiffré n'est plus dans le dossier "
                                     "de données : restaurez la sauvegarde qui le contient. Rien n'a été supprimé.")
        self.responsible.setText(f"{setup.responsible_role.label}, {setup.responsible_name}")
        self.coordinator.setText(setup.coordinator_name)
        self.groups.setText(", ".join(g.name for g in setup.groups))
        self.group_rules.setText(f"adopté le {long_date(setup.rules_adopted_on)} ; signature de la charte exigée")
        for kind, (when, _button) in self.document_rows.items():
            day = setup.documents.get(kind.value)
            when.setText(f"produit le {long_date(day)}" if day else "pas encore produit")

    def open_wizard(self) -> bool:
        from clspd_desktop.ui.council.individual_wizard import IndividualWizard

        if self.ctx.runner.refuse_if_busy(self):
            return False
        wizard = IndividualWizard(self.ctx, self)
        if not modal.run(wizard) or wizard.setup is None:
            return False
        if wizard.summary.paperwork.isChecked():
            self.produce_all()
        return True

    def produce_all(self) -> bool:
        folder = messages.choose_folder(self, "Dossier où enregistrer les documents du suivi individuel")
        if folder is None:
            return False
        title = "Documents du suivi individuel"
        return self.ctx.runner.start(
            partial(ops.write_paperwork, rules=self.ctx.individual.rules, kinds=list(PaperKind), folder=folder),
            parent=self, label="Préparation des documents du suivi individuel…", title=title,
            on_success=lambda written: messages.inform(
                self, title, "Les documents, à faire valider par le délégué à la protection des données, ont été "
                             "enregistrés :\n" + "\n".join(str(p) for p in written)))

    def produce(self, kind: PaperKind) -> bool:
        return produce_file_on_worker(
            self, self.ctx, kind.heading, kind.file_stem, ".pdf", PDF_FILTER,
            lambda path: partial(ops.paperwork_pdf, rules=self.ctx.individual.rules, kind=kind, path=path),
            "Le document a été enregistré dans :", label=f"Préparation : {kind.heading.lower()}…")
