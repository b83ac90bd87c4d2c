"""The council's editable sections, shared by the first-launch assistant and the Conseil screen."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.domain.council import Council, CouncilKind
from clspd_desktop.domain.dates import iso, parse_date
from clspd_desktop.domain.text import format_number, plural
from clspd_desktop.errors import UserError
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.council.communes_model import CommunesModel
from clspd_desktop.ui.widgets.date_field import DateField
from clspd_desktop.ui.widgets.flow_layout import FlowLayout
from clspd_desktop.ui.widgets.form_errors import FormErrors
from clspd_desktop.ui.widgets.logo import logo_bytes_from_file

IMAGE_FILTERS = "Images (*.png *.jpg *.jpeg)"


def _line(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    return edit


class IdentitySection(QWidget):
    """CLSPD or CISPD, name, address and logo printed on every document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = FormErrors()
        self.logo: bytes | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)  # see hasHeightForWidth
        form = QFormLayout(self)
        kinds = QWidget()
        kinds_layout = QVBoxLayout(kinds)
        kinds_layout.setContentsMargins(0, 0, 0, 0)
        self.kind_clspd = QRadioButton("CLSPD — une commune (conseil local)")
        self.kind_cispd = QRadioButton("CISPD — une intercommunalité (conseil intercommunal)")
        self.kind_group = QButtonGroup(self)
        for button in (self.kind_clspd, self.kind_cispd):
            self.kind_group.addButton(button)
            kinds_layout.addWidget(button)
        self.kind_clspd.setChecked(True)
        form.addRow("Type de conseil", kinds)
        self.name = _line("Ville de Montreval, ou Communauté de communes du Val…")
        self.errors.add_row(form, "Nom de la collectivité *", self.name, "name")
        self.address = _line("1 place de la Mairie")
        form.addRow("Adresse", self.address)
        postal = QWidget()
        postal_layout = QHBoxLayout(postal)
        postal_layout.setContentsMargins(0, 0, 0, 0)
        self.postal_code = _line("91000")
        self.postal_code.setMaximumWidth(90)
        self.city = _line("Ville")
        postal_layout.addWidget(self.postal_code)
        postal_layout.addWidget(self.city)
        form.addRow("Code postal, ville", postal)
        self.phone = _line("01 23 45 67 89")
        self.errors.add_row(form, "Téléphone", self.phone, "phone")
        self.email = _line("clspd@mairie.fr")
        self.errors.add_row(form, "E-mail", self.email, "email")
        logo_row = QWidget()
        logo_layout = QHBoxLayout(logo_row)
        logo_layout.setContentsMargins(0, 0, 0, 0)
        self.logo_preview = QLabel("Aucun logo")
        self.logo_preview.setFixedSize(140, 80)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet(f"border: 1px solid {theme.colours().border}; background: {theme.colours().base}; color: {theme.colours().muted};")
        choose = QPushButton("Choisir une image…")
        choose.clicked.connect(self.choose_logo)
        remove = QPushButton("Retirer")
        remove.clicked.connect(lambda: self.set_logo(None))
        logo_layout.addWidget(self.logo_preview)
        logo_layout.addWidget(choose)
        logo_layout.addWidget(remove)
        logo_layout.addStretch()
        form.addRow("Logo (imprimé sur les PDF)", logo_row)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        """No: the form's height for a width ignores the error messages shown under its fields (336 px for
        392 needed), so the assistant's page gave it too little and clipped the logo's frame; its whole
        size hint is its minimum height instead."""
        return False

    def choose_logo(self) -> None:
        path = messages.open_file(self, "Choisir le logo de la collectivité", IMAGE_FILTERS)
        if path is None:
            return
        try:
            self.set_logo(logo_bytes_from_file(path))
        except UserError as exc:
            messages.show_error(self, exc, "Logo refusé")

    def set_logo(self, data: bytes | None) -> None:
        self.logo = data
        if data:
            image = QImage.fromData(data)
            self.logo_preview.setPixmap(QPixmap.fromImage(image).scaled(
                136, 76, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("Aucun logo")

    def kind(self) -> CouncilKind:
        return CouncilKind.CISPD if self.kind_cispd.isChecked() else CouncilKind.CLSPD

    def load(self, council: Council) -> None:
        (self.kind_cispd if council.kind is CouncilKind.CISPD else self.kind_clspd).setChecked(True)
        for field in ("name", "address", "postal_code", "city", "phone", "email"):
            getattr(self, field).setText(getattr(council, field))
        self.set_logo(council.logo)

    def apply_to(self, council: Council) -> None:
        council.kind = self.kind()
        for field in ("name", "address", "postal_code", "city", "phone", "email"):
            setattr(council, field, getattr(self, field).text())
        council.logo = self.logo


class CommunesSection(QWidget):
    """Member communes with population and QPV: what the legal thresholds are computed from."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CommunesModel()
        layout = QVBoxLayout(self)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.table = QTableView()
        self.table.setAccessibleName("Communes du conseil")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 100)
        self.table.setColumnWidth(2, 110)
        self.table.setColumnWidth(3, 50)
        layout.addWidget(self.table)
        buttons = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        self.add_button = QPushButton("Ajouter une commune")
        self.add_button.clicked.connect(self.add_commune)
        self.remove_button = QPushButton("Retirer la commune sélectionnée")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        self.total = QLabel()
        self.total.setWordWrap(True)  # a long total must not widen the window at 14 pt
        buttons.addWidget(self.total)
        layout.addLayout(buttons)
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {theme.colours().error};")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.model.totals_changed.connect(self._update_total)
        self.kind = CouncilKind.CLSPD
        self.set_kind(CouncilKind.CLSPD)
        self._update_total()

    def set_kind(self, kind: CouncilKind) -> None:
        if kind is CouncilKind.CISPD:
            self.hint.setText("Indiquez chaque commune membre de l'intercommunalité, sa population municipale "
                              "et si elle compte un quartier prioritaire de la politique de la ville (QPV).")
        else:
            self.hint.setText("Indiquez la commune, sa population municipale et si elle compte un quartier "
                              "prioritaire de la politique de la ville (QPV).")
        self.kind = kind
        self._update_add_button()

    def _update_add_button(self) -> None:
        """A CLSPD covers exactly one commune; a CISPD as many as the EPCI has."""
        self.add_button.setEnabled(self.kind is CouncilKind.CISPD or self.model.rowCount() == 0)

    def add_commune(self) -> None:
        row = self.model.add()
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def remove_selected(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.remove(index.row())

    def _update_total(self) -> None:
        total = sum(c.population for c in self.model.communes)
        qpv = sum(1 for c in self.model.communes if c.has_qpv)
        self._update_add_button()
        self.total.setText(f"Population totale : {format_number(total)} habitants — "
                           f"{plural(qpv, 'commune', feminine=True)} avec QPV")

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def load(self, council: Council) -> None:
        self.model.set_communes(council.communes)
        self.set_kind(council.kind)

    def apply_to(self, council: Council) -> None:
        council.communes = [c for c in self.model.communes if c.name.strip() or c.population]


class GovernanceSection(QWidget):
    """Chair, coordinator and the governance acts printed on convocations and in the bilan."""

    TEXT_FIELDS = ("chair_name", "chair_title", "coordinator_name", "coordinator_function", "coordinator_email",
                   "coordinator_phone", "composition_order_number", "charter_version", "prefecture_email")
    DATE_FIELDS = ("composition_order_date", "rules_adopted_on")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = FormErrors()
        form = QFormLayout(self)
        self.chair_name = _line("Prénom Nom")
        form.addRow("Présidence du conseil", self.chair_name)
        self.chair_title = _line("Maire de Montreval / Président de la communauté de communes")
        form.addRow("Qualité (bloc de signature)", self.chair_title)
        self.coordinator_name = _line("Prénom Nom")
        form.addRow("Coordonnateur", self.coordinator_name)
        self.coordinator_function = _line("Agent territorial, conseiller municipal délégué…")
        form.addRow("Fonction du coordonnateur", self.coordinator_function)
        self.coordinator_email = _line()
        self.errors.add_row(form, "E-mail du coordonnateur", self.coordinator_email, "coordinator_email")
        self.coordinator_phone = _line()
        self.errors.add_row(form, "Téléphone du coordonnateur", self.coordinator_phone, "coordinator_phone")
        self.composition_order_number = _line("2024-123")
        form.addRow("Arrêté de composition : numéro", self.composition_order_number)
        self.composition_order_date = DateField()
        self.errors.add_row(form, "Arrêté de composition : date", self.composition_order_date,
                            "composition_order_date")
        self.rules_adopted_on = DateField()
        self.errors.add_row(form, "Règlement intérieur adopté le", self.rules_adopted_on, "rules_adopted_on")
        self.charter_version = _line("Charte déontologique type CIPD 2014")
        form.addRow("Version de la charte en vigueur", self.charter_version)
        self.prefecture_email = _line("pref-prevention@essonne.gouv.fr")
        self.errors.add_row(form, "E-mail de la préfecture", self.prefecture_email, "prefecture_email")

    def load(self, council: Council) -> None:
        for field in self.TEXT_FIELDS:
            getattr(self, field).setText(getattr(council, field))
        for field in self.DATE_FIELDS:
            value = getattr(council, field)
            getattr(self, field).set_value(parse_date(value) if value else None)

    def date_errors(self) -> dict[str, str]:
        errors = {}
        for field in self.DATE_FIELDS:
            try:
                getattr(self, field).value()
            except ValueError as exc:
                errors[field] = str(exc)
        return errors

    def apply_to(self, council: Council) -> None:
        for field in self.TEXT_FIELDS:
            setattr(council, field, getattr(self, field).text())
        for field in self.DATE_FIELDS:
            with contextlib.suppress(ValueError):  # reported by date_errors() before saving
                setattr(council, field, iso(getattr(self, field).value()) or "")
