"""What several meeting screens share: formation colours and labels, the referent picker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import long_date, time_fr
from clspd_desktop.domain.directory import ContactListItem, Formation, FormationKind
from clspd_desktop.domain.meetings import Meeting
from clspd_desktop.domain.text import sort_key
from clspd_desktop.errors import ValidationError
from clspd_desktop.ui import theme
from clspd_desktop.ui.widgets.form_dialog import FormDialog
from clspd_desktop.ui.widgets.search_field import SearchField

KIND_COLOURS = {  # the theme's text colour and background of a meeting of each kind
    FormationKind.PLENARY: ("plenary_text", "plenary_bg"),
    FormationKind.RESTRICTED: ("restricted_text", "restricted_bg"),
    FormationKind.WORKING_GROUP: ("group_text", "group_bg"),
}


def kind_colours(kind: FormationKind | None) -> tuple[str, str]:
    """Text colour and background of a meeting chip (the theme's current set)."""
    c = theme.colours()
    text, background = KIND_COLOURS.get(kind, ("text", "subtle")) if kind is not None else ("text", "subtle")
    return getattr(c, text), getattr(c, background)
CONFIDENTIAL_MARK = "[conf.]"  # plain text: an emoji padlock is a blank box without an emoji font
CONFIDENTIAL_BANNER = "RELEVÉ DE CONCLUSIONS — CONFIDENTIEL"


def short_name(formation: Formation | None) -> str:
    """'Plénière', 'Restreinte' or the group's own name: what fits in a calendar cell."""
    if formation is None:
        return "Formation supprimée"
    if formation.kind is FormationKind.PLENARY:
        return "Plénière"
    if formation.kind is FormationKind.RESTRICTED:
        return "Restreinte"
    return formation.name


def meeting_heading(meeting: Meeting, formation: Formation | None) -> str:
    """'Formation plénière — mardi 18 mars 2025, 14 h 00 – 16 h 00'."""
    name = formation.display_name if formation else "Formation supprimée"
    title = f" : {meeting.title}" if meeting.title else ""
    return (f"{name}{title} — {long_date(meeting.starts_at.date())}, {time_fr(meeting.starts_at)} – "
            f"{time_fr(meeting.ends_at)}")


def describe_contact(item: ContactListItem) -> str:
    parts = [item.contact.sort_name, item.organisation_name, item.contact.function]
    text = " — ".join(p for p in parts if p)
    return text + ("" if item.has_valid_signature else "  (charte non signée)")


class ContactPicker(QWidget):
    """Search-as-you-type list of referents; Entrée in the search box picks the first one."""

    def __init__(self, ctx: AppContext, exclude: set[int] = frozenset(), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.exclude = set(exclude)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = SearchField("Rechercher un référent (nom, organisation, fonction)…")
        self.list = QListWidget()
        self.list.setMinimumHeight(220)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.search.textChanged.connect(self.fill)
        self.fill()

    def fill(self) -> None:
        self.list.clear()
        found = self.ctx.store.directory.contacts(self.search.text())
        for item in sorted(found, key=lambda i: sort_key(i.contact.sort_name)):
            if item.contact.id in self.exclude:
                continue
            entry = QListWidgetItem(describe_contact(item))
            entry.setData(Qt.ItemDataRole.UserRole, item.contact.id)
            self.list.addItem(entry)
        if self.list.count():
            self.list.setCurrentRow(0)

    def contact_id(self) -> int | None:
        entry = self.list.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry else None


class PickContactDialog(FormDialog):
    """Choose one referent (an invitee to add)."""

    def __init__(self, ctx: AppContext, title: str, exclude: set[int] = frozenset(),
                 note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.resize(640, 480)
        self.picker = self.add_field("Référent", ContactPicker(ctx, exclude), "contact")
        if note:
            label = QLabel(note)
            label.setWordWrap(True)
            label.setStyleSheet(f"color: {theme.colours().muted};")
            self.form.addRow("", label)
        self.save_button.setText("Choisir")
        self.chosen: int | None = None
        self.picker.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.picker.search.setFocus()

    def save(self) -> None:
        self.chosen = self.picker.contact_id()
        if self.chosen is None:
            raise ValidationError({"contact": "Choisissez un référent dans la liste."})
