"""Conseil › Documents: the settings the council's paperwork needs (the commune's DPO, the school-holiday
zone) and the documents made from the data: RGPD record, partners' notice, what is stored where, draft
règlement intérieur, charter register. Each field is saved as soon as it is left, so nothing typed is lost.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.rgpd import DPO_CONTACT_KEY, DPO_NAME_KEY
from clspd_desktop.domain.school_holidays import ZONE_SETTING, ZONES
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import council_documents as ops
from clspd_desktop.ui.file_export import produce_file_on_worker

PDF_FILTER = "Document PDF (*.pdf)"
DOCUMENTS = (
    ("Registre des traitements (RGPD, art. 30)…", "registre-des-traitements",
     lambda path: partial(ops.rgpd_pdf, kind="registre", path=path)),
    ("Notice d'information des partenaires…", "notice-information-partenaires",
     lambda path: partial(ops.rgpd_pdf, kind="information", path=path)),
    ("Données conservées et leur emplacement…", "donnees-conservees",
     lambda path: partial(ops.rgpd_pdf, kind="inventaire", path=path)),
    ("Projet de règlement intérieur…", "projet-reglement-interieur",
     lambda path: partial(ops.rules_of_procedure_pdf, path=path)),
    ("Registre de la charte déontologique…", "registre-charte", lambda path: partial(ops.charter_register_pdf,
                                                                                     path=path)),
)


class CouncilDocumentsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        settings = QGroupBox("Réglages")
        form = QFormLayout(settings)
        self.dpo_name = QLineEdit()
        self.dpo_name.setPlaceholderText("Nom du délégué ou de la structure mutualisée")
        self.dpo_contact = QLineEdit()
        self.dpo_contact.setPlaceholderText("Adresse électronique ou téléphone du délégué")
        self.zone = QComboBox()
        self.zone.addItem("Non précisée", "")
        for zone in ZONES:
            self.zone.addItem(f"Zone {zone}", zone)
        for label, widget in (("&Délégué à la protection des données :", self.dpo_name),
                              ("&Contact du délégué :", self.dpo_contact),
                              ("&Zone de vacances scolaires :", self.zone)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            widget.setAccessibleName(label.replace("&", "").rstrip(" :"))
            form.addRow(caption, widget)
        hint = QLabel("La zone sert à signaler une réunion prévue pendant les vacances scolaires. Le délégué figure "
                      "sur les documents RGPD, à lui faire valider.")
        hint.setWordWrap(True)
        form.addRow(hint)
        layout.addWidget(settings)

        documents = QGroupBox("Documents à partir des données du conseil")
        buttons = QVBoxLayout(documents)
        self.buttons: list[QPushButton] = []
        for title, stem, write in DOCUMENTS:
            button = QPushButton(title)
            button.clicked.connect(partial(self.produce, title.rstrip("…"), stem, write))
            buttons.addWidget(button)
            self.buttons.append(button)
        layout.addWidget(documents)
        layout.addStretch(1)

        self.dpo_name.editingFinished.connect(self.save)
        self.dpo_contact.editingFinished.connect(self.save)
        self.zone.currentIndexChanged.connect(lambda _index: self.save())
        self.load()
        ctx.runner.dispatcher.subscribe(self, {Change.SETTINGS}, self._on_changes)

    def _values(self) -> tuple[str, str, str]:
        return self.dpo_name.text().strip(), self.dpo_contact.text().strip(), self.zone.currentData() or ""

    def _stored(self) -> tuple[str, str, str]:
        settings = self.ctx.store.settings
        return settings.get(DPO_NAME_KEY), settings.get(DPO_CONTACT_KEY), settings.get(ZONE_SETTING)

    def load(self) -> None:
        name, contact, zone = self._stored()
        for widget in (self.dpo_name, self.dpo_contact, self.zone):
            widget.blockSignals(True)
        self.dpo_name.setText(name)
        self.dpo_contact.setText(contact)
        self.zone.setCurrentIndex(max(0, self.zone.findData(zone)))
        for widget in (self.dpo_name, self.dpo_contact, self.zone):
            widget.blockSignals(False)

    def _on_changes(self, changes: OpChanges) -> None:
        if self._values() == self._stored() or not self.dpo_name.hasFocus() and not self.dpo_contact.hasFocus():
            self.load()

    def save(self) -> None:
        name, contact, zone = self._values()
        if (name, contact, zone) != self._stored():
            self.ctx.runner.run(partial(ops.save_council_settings, dpo_name=name, dpo_contact=contact,
                                        school_zone=zone), parent=self)

    def produce(self, title: str, stem: str, write) -> bool:
        self.save()  # what is on screen is what the documents carry
        return produce_file_on_worker(self, self.ctx, title, stem, ".pdf", PDF_FILTER, write,
                                      "Le document a été enregistré dans :", label=f"Préparation : {title.lower()}…")
