"""« Activer le suivi individuel… »: the five steps the délibération and the charter ask for before the
first record (who is responsible, the groups, their règlement intérieur and charter signatures, the
passphrase, the summary). Nothing is written before « Activer »; the passphrase is handed to the operation
and the fields are cleared: it is never stored, never put in the keyring.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.council import CouncilKind
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.directory import Formation, FormationKind
from clspd_desktop.domain.individual.passphrase import passphrase_problem
from clspd_desktop.domain.individual.settings import ResponsibleRole
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services.operations import individual_setup as ops
from clspd_desktop.ui import messages, theme

FIELD_PAGES = {"responsible_name": 0, "coordinator_name": 0, "groups": 1, "rules_adopted_on": 2,
               "charter_required": 2, "passphrase": 3, "confirmation": 3}


def _text(text: str, muted: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if muted:
        label.setStyleSheet(f"color: {theme.colours().muted};")
    return label


def _error_label() -> QLabel:
    label = _text("")
    label.setStyleSheet(f"color: {theme.colours().error};")
    label.hide()
    return label


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class _Page(QWizardPage):
    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.box = QVBoxLayout(self)


class ResponsiblePage(_Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__("Responsable et coordonnateur", "Qui répond du fichier, qui le tient au quotidien.")
        council = ctx.store.council.get()
        self.mayor = QRadioButton("Le &maire")
        self.president = QRadioButton("Le &président de l'EPCI (CISPD)")
        self.roles = QButtonGroup(self)
        self.roles.addButton(self.mayor)
        self.roles.addButton(self.president)
        is_cispd = council is not None and council.kind is CouncilKind.CISPD
        (self.president if is_cispd else self.mayor).setChecked(True)
        self.responsible = QLineEdit(council.chair_name if council else "")
        self.coordinator = QLineEdit(council.coordinator_name if council else "")
        self.error = _error_label()
        self.box.addWidget(_text("Le traitement est mis en œuvre sous la responsabilité du maire (ou du président "
                                 "de l'EPCI), par un coordonnateur qu'il désigne : lui seul ouvrira le fichier "
                                 "chiffré (délibération CNIL n° 2014-262, article 1)."))
        self.box.addWidget(self.mayor)
        self.box.addWidget(self.president)
        form = QFormLayout()
        for caption, widget in (("&Nom du responsable :", self.responsible),
                                ("Coordonnateur &désigné :", self.coordinator)):
            label = QLabel(caption)
            label.setBuddy(widget)
            widget.setAccessibleName(caption.replace("&", "").rstrip(" :"))
            form.addRow(label, widget)
        self.box.addLayout(form)
        self.box.addWidget(self.error)
        self.box.addStretch(1)

    def role(self) -> ResponsibleRole:
        return ResponsibleRole.EPCI_PRESIDENT if self.president.isChecked() else ResponsibleRole.MAYOR

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        missing = [text for text, widget in (
            ("Indiquez le nom du responsable du traitement.", self.responsible),
            ("Indiquez le nom du coordonnateur désigné.", self.coordinator)) if not widget.text().strip()]
        _show(self.error, "\n".join(missing))
        return not missing


class GroupsPage(_Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__("Groupes autorisés", "Les groupes de travail qui examineront des situations individuelles.")
        self.ctx = ctx
        self.box.addWidget(_text("Seuls les groupes de travail et d'échange d'information (article L132-5 du code "
                                 "de la sécurité intérieure), confidentiels, peuvent utiliser ce module. La "
                                 "formation plénière et la formation restreinte ne le peuvent jamais "
                                 "(délibération CNIL, article 1) : elles ne sont pas proposées."))
        self.groups = QListWidget()
        self.groups.setAccessibleName("Groupes de travail autorisés")
        self.formations: dict[int, Formation] = {}
        for formation in ctx.store.formations.formations():
            if formation.kind is not FormationKind.WORKING_GROUP or formation.id is None:
                continue
            self.formations[formation.id] = formation
            item = QListWidgetItem(formation.name if formation.confidential
                                   else f"{formation.name} — non confidentiel : ne peut pas être choisi")
            item.setData(Qt.ItemDataRole.UserRole, formation.id)
            flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
            if formation.confidential:
                flags |= Qt.ItemFlag.ItemIsEnabled
            item.setFlags(flags)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.groups.addItem(item)
        self.box.addWidget(self.groups)
        if not self.formations:
            self.box.addWidget(_text("Aucun groupe de travail n'existe encore : créez-le d'abord dans Partenaires › "
                                     "Formations, marqué confidentiel."))
        self.unsigned = _text("")
        self.unsigned.setStyleSheet(f"color: {theme.colours().warning}; background: {theme.colours().warning_bg}; padding: 0.4em;")
        self.unsigned.hide()
        self.box.addWidget(self.unsigned)
        self.error = _error_label()
        self.box.addWidget(self.error)
        self.groups.itemChanged.connect(lambda _item: self.show_unsigned())

    def chosen_ids(self) -> list[int]:
        """Ticked and enabled (a group that is not confidential cannot be chosen, even ticked)."""
        items = [self.groups.item(i) for i in range(self.groups.count())]
        return [item.data(Qt.ItemDataRole.UserRole) for item in items
                if item.checkState() == Qt.CheckState.Checked and item.flags() & Qt.ItemFlag.ItemIsEnabled]

    def unsigned_members(self) -> list[str]:
        chosen = set(self.chosen_ids())
        return [f"{m.contact.full_name} ({m.formation.name})"
                for m in self.ctx.store.formations.unsigned_confidential_members(date.today())
                if m.formation.id in chosen]

    def show_unsigned(self) -> None:
        names = self.unsigned_members()
        _show(self.unsigned, "" if not names else (
            (f"{plural(len(names), 'membre')} de ces groupes n'a pas signé la charte déontologique : il ne pourra "
             "assister à aucun examen de situation tant qu'il ne l'aura pas signée." if len(names) == 1 else
             f"{plural(len(names), 'membre')} de ces groupes n'ont pas signé la charte déontologique : ils ne "
             "pourront assister à aucun examen de situation tant qu'ils ne l'auront pas signée.")
            + "\n• " + "\n• ".join(names)))

    def validatePage(self) -> bool:  # noqa: N802
        _show(self.error, "" if self.chosen_ids() else
              "Choisissez au moins un groupe de travail confidentiel qui examinera des situations individuelles.")
        return bool(self.chosen_ids())


class GroupRulesPage(_Page):
    def __init__(self, ctx: AppContext, groups: GroupsPage) -> None:
        super().__init__("Règlement intérieur et charte", "Ce que le groupe doit avoir adopté avant la première fiche.")
        self.groups = groups
        self.adopted = QCheckBox("Le règlement intérieur du groupe a été &adopté, le :")
        self.adopted_on = QDateEdit(QDate.currentDate())
        self.adopted_on.setCalendarPopup(True)
        self.adopted_on.setDisplayFormat("dd/MM/yyyy")
        self.adopted_on.setAccessibleName("Date d'adoption du règlement intérieur")
        self.charter = QCheckBox("Il impose à chaque membre de &signer la charte déontologique avant tout échange "
                                 "d'informations")
        self.signatures = _text("")
        self.error = _error_label()
        self.box.addWidget(_text("Le règlement intérieur du groupe fixe qui échange des informations, comment, et "
                                 "rappelle le secret partagé. Chaque membre signe la charte déontologique ; un "
                                 "membre qui ne l'a pas signée ne reçoit aucune information sur une situation."))
        row = QHBoxLayout()
        row.addWidget(self.adopted)
        row.addWidget(self.adopted_on)
        row.addStretch(1)
        self.box.addLayout(row)
        self.box.addWidget(self.charter)
        self.box.addWidget(self.signatures)
        self.box.addWidget(self.error)
        self.box.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        unsigned = self.groups.unsigned_members()
        self.signatures.setText("Signatures de la charte : tous les membres actuels des groupes choisis l'ont signée."
                                if not unsigned else
                                f"Signatures de la charte : {plural(len(unsigned), 'membre')} ne "
                                + ("l'a" if len(unsigned) == 1 else "l'ont") + " pas signée (voir la page précédente). Faites-"
                                + ("le" if len(unsigned) == 1 else "les") + " signer (Partenaires › Référents) avant la première "
                                "réunion d'examen.")

    def adopted_date(self) -> date | None:
        return self.adopted_on.date().toPython() if self.adopted.isChecked() else None

    def validatePage(self) -> bool:  # noqa: N802
        problems = []
        adopted = self.adopted_date()
        if adopted is None:
            problems.append("Le règlement intérieur du groupe doit être adopté avant l'activation du module.")
        elif adopted > date.today():
            problems.append("La date d'adoption du règlement intérieur ne peut pas être dans le futur.")
        if not self.charter.isChecked():
            problems.append("Le règlement intérieur doit imposer la signature de la charte déontologique.")
        _show(self.error, "\n".join(problems))
        return not problems


class PassphrasePage(_Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__("Phrase de passe", "Elle chiffre le fichier : seul le coordonnateur la connaît.")
        self.rules = ctx.individual.rules
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirmation = QLineEdit()
        self.confirmation.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = _text("", muted=True)
        self.error = _error_label()
        self.box.addWidget(_text(
            f"Choisissez une phrase de plusieurs mots ({self.rules.passphrase_long_length} caractères ou plus), ou au "
            f"moins {self.rules.passphrase_min_length} caractères mêlant minuscules, majuscules, chiffres et signes. "
            "Elle n'est enregistrée nulle part, ni dans le logiciel ni dans le trousseau du système : si elle est "
            "perdue, les fiches sont illisibles. Notez-la sur la feuille de secours gardée au coffre."))
        form = QFormLayout()
        for caption, widget in (("&Phrase de passe :", self.passphrase), ("&Confirmation :", self.confirmation)):
            label = QLabel(caption)
            label.setBuddy(widget)
            widget.setAccessibleName(caption.replace("&", "").rstrip(" :"))
            form.addRow(label, widget)
        self.box.addLayout(form)
        self.box.addWidget(self.strength)
        self.box.addWidget(self.error)
        self.box.addStretch(1)
        self.passphrase.textChanged.connect(self._show_strength)

    def _show_strength(self, text: str) -> None:
        problem = passphrase_problem(text, self.rules) if text else ""
        self.strength.setText(problem or ("Phrase de passe assez robuste." if text else ""))

    def validatePage(self) -> bool:  # noqa: N802
        problem = passphrase_problem(self.passphrase.text(), self.rules)
        if not problem and self.passphrase.text() != self.confirmation.text():
            problem = "Les deux saisies de la phrase de passe sont différentes."
        _show(self.error, problem)
        if problem:
            self.strength.clear()  # the refusal says it; no need to say it twice
        return not problem

    def clear(self) -> None:
        self.passphrase.clear()
        self.confirmation.clear()


class SummaryPage(_Page):
    def __init__(self) -> None:
        super().__init__("Récapitulatif", "Vérifiez avant d'activer le module.")
        self.summary = _text("")
        self.paperwork = QCheckBox("Produire ensuite les quatre &documents pour le délégué")
        self.paperwork.setChecked(True)
        self.box.addWidget(self.summary)
        self.box.addWidget(self.paperwork)
        self.box.addWidget(_text("Registre des traitements, information collective, information individuelle et "
                                 "projet d'analyse d'impact : vous choisirez le dossier où les enregistrer.",
                                 muted=True))
        self.box.addStretch(1)


class IndividualWizard(QWizard):
    """`setup` holds the setup record once « Activer » succeeded."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setup = None
        self.setWindowTitle("Activer le suivi individuel")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.resize(820, 620)
        self.responsible = ResponsiblePage(ctx)
        self.groups = GroupsPage(ctx)
        self.group_rules = GroupRulesPage(ctx, self.groups)
        self.passphrase = PassphrasePage(ctx)
        self.summary = SummaryPage()
        for page in (self.responsible, self.groups, self.group_rules, self.passphrase, self.summary):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.NextButton, "Suivant >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Précédent")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Annuler")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Activer le suivi individuel")
        self.currentIdChanged.connect(self._entered)

    def _entered(self, page_id: int) -> None:
        if self.page(page_id) is self.summary:
            self.summary.summary.setText(self.summary_text())

    def summary_text(self) -> str:
        names = [self.groups.formations[i].name for i in self.groups.chosen_ids()]
        adopted = self.group_rules.adopted_date()
        return "\n".join([
            f"Responsable du traitement : {self.responsible.role().label.lower()}, {self.responsible.responsible.text()}",
            f"Coordonnateur désigné : {self.responsible.coordinator.text()}",
            "Groupes autorisés : " + ", ".join(f"« {n} »" for n in names),
            f"Règlement intérieur adopté le {long_date(adopted) if adopted else '—'}, signature de la charte exigée",
            f"Membres sans signature de la charte : {len(self.groups.unsigned_members())}",
            "",
            "Le fichier chiffré sera créé maintenant. Les documents sont datés d'aujourd'hui et restent à valider "
            "par le délégué à la protection des données.",
        ])

    def validateCurrentPage(self) -> bool:  # noqa: N802
        if self.currentPage() is not self.summary:
            return super().validateCurrentPage()
        return self.enable()

    def enable(self) -> bool:
        """Run the operation; a refusal sends the user back to the page concerned, nothing created."""
        op = partial(ops.enable_individual, session=self.ctx.individual,
                     passphrase=self.passphrase.passphrase.text(), confirmation=self.passphrase.confirmation.text(),
                     responsible_role=self.responsible.role(), responsible_name=self.responsible.responsible.text(),
                     coordinator_name=self.responsible.coordinator.text(), group_ids=self.groups.chosen_ids(),
                     rules_adopted_on=self.group_rules.adopted_date(),
                     charter_required=self.group_rules.charter.isChecked())
        try:
            self.setup = self.ctx.runner.call(op)
        except ValidationError as exc:
            messages.warn(self, "Activation impossible", "\n".join(f"• {m}" for m in exc.fields.values()))
            first = min((FIELD_PAGES.get(k, 4) for k in exc.fields), default=4)
            while self.currentId() > first:
                self.back()
            return False
        except UserError as exc:
            messages.show_error(self, exc, "Activation impossible")
            return False
        finally:
            del op
        self.passphrase.clear()
        return True

    def reject(self) -> None:
        self.passphrase.clear()
        super().reject()
