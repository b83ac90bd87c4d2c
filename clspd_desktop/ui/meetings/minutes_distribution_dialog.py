"""« Diffuser le compte rendu »: the participants (present, represented, excused) with a box each; those
ticked get an e-mail draft with the minutes PDF. A confidential group's conclusions are refused with the
reason (they are printed, never e-mailed)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import UserError
from clspd_desktop.services import mail
from clspd_desktop.services.minutes_distribution import Recipient, recipients
from clspd_desktop.services.operations import meeting_copies as copies
from clspd_desktop.ui import messages
from clspd_desktop.ui.widgets import modal


class DistributionDialog(QDialog):
    """Choose who receives the minutes; nothing is written here (the drafts are made on the worker)."""

    def __init__(self, offered: list[Recipient], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Diffuser le compte rendu")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel("Cochez les participants qui recevront le compte rendu (en PDF joint à un courriel à "
                       "relire dans votre messagerie). Les absents ne sont pas proposés.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        body = QWidget()
        rows = QVBoxLayout(body)
        self.boxes: list[tuple[QCheckBox, Recipient]] = []
        for person in offered:
            where = person.email or "pas d'adresse électronique : à remettre autrement"
            who = " — ".join(p for p in (person.name, person.organisation) if p)
            box = QCheckBox(f"{who} ({person.attendance.label.lower()}) : {where}")
            box.setChecked(bool(person.email))
            box.setEnabled(bool(person.email))
            rows.addWidget(box)
            self.boxes.append((box, person))
        rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setMinimumHeight(min(60 + 28 * len(offered), 380))
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Préparer les courriels")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> list[int]:
        return [person.invitation_id for box, person in self.boxes if box.isChecked()]

    def accept(self) -> None:
        if not self.chosen():
            messages.warn(self, "Aucun destinataire", "Cochez au moins un participant qui a une adresse "
                                                       "électronique.")
            return
        super().accept()


def distribute(ctx: AppContext, meeting_id: int, parent: QWidget) -> bool:
    """Ask who receives the minutes, write the drafts on the worker, open them; False when refused or
    cancelled (a confidential group: the refusal says why)."""
    try:
        offered = recipients(ctx.store, meeting_id)
    except UserError as exc:
        messages.show_error(parent, exc, "Diffusion impossible")
        return False
    if not offered:
        messages.warn(parent, "Aucun participant", "Aucun invité n'est noté présent, représenté ou excusé : "
                      "remplissez d'abord la présence en séance.")
        return False
    dialog = DistributionDialog(offered, parent)
    if not modal.run(dialog):
        return False
    without = [p.name for p in offered if not p.email]

    def ready(drafts: list[Path]) -> None:
        try:
            mail.open_with_system(drafts[0] if len(drafts) == 1 else drafts[0].parent)
        except UserError as exc:
            messages.show_error(parent, exc)
        missing = f"\n\nSans adresse électronique (à remettre autrement) : {', '.join(without)}." if without else ""
        messages.inform(parent, "Courriels prêts",
                        f"{plural(len(drafts), 'brouillon enregistré', 'brouillons enregistrés')} avec le "
                        f"compte rendu en PDF, dans :\n{drafts[0].parent}\n"
                        "Ouvrez-les dans votre messagerie, relisez-les puis envoyez-les." + missing)

    return ctx.runner.start(partial(copies.distribute_minutes, meeting_id=meeting_id, chosen=dialog.chosen()),
                            parent=parent, label="Préparation des courriels du compte rendu…", on_success=ready)
