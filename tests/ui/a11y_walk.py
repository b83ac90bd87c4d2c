"""The app as a screen-reader or keyboard user meets it: the main window on the demo data with every area and
tab visited, and one instance of every dialog class built on real records. Shared by the accessibility tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date

from PySide6.QtWidgets import QApplication, QDialog, QTabWidget, QWidget, QWizard

from clspd_desktop.domain.meetings import ActionItem, Decision
from clspd_desktop.domain.plan import Action, Axis
from clspd_desktop.ui import accessibility


def describe(widget: QWidget) -> str:
    """Where a widget is, for a failure message: its class, text and first ancestors."""
    text = getattr(widget, "text", lambda: "")()
    chain = []
    parent = widget.parentWidget()
    while parent is not None and len(chain) < 4:
        chain.append(type(parent).__name__ + (f"#{parent.objectName()}" if parent.objectName() else ""))
        parent = parent.parentWidget()
    return f"{type(widget).__name__} {text!r} dans {' < '.join(chain)}"


def visit_tabs(root: QWidget) -> None:
    """Show every tab (twice: tabs built when first shown may hold tabs of their own)."""
    for _ in range(2):
        for tabs in root.findChildren(QTabWidget):
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                QApplication.processEvents()


def wait_until_loaded(page: QWidget, timeout_s: float = 20.0) -> None:
    """A screen that reads its data on a worker for its first show (`loading`), once that data is shown."""
    deadline = time.monotonic() + timeout_s
    while getattr(page, "loading", False):
        assert time.monotonic() < deadline, f"{type(page).__name__} : données jamais affichées"
        QApplication.processEvents()
        time.sleep(0.005)


def open_every_area(window) -> None:
    for area in window.areas:
        page = window.show_area(area.key)
        QApplication.processEvents()
        wait_until_loaded(page)
        visit_tabs(page)


def unnamed(root: QWidget) -> list[str]:
    return [describe(w) for w in [root, *root.findChildren(QWidget)]
            if accessibility.needs_name(w) and not w.accessibleName()]


def _first_meeting_with_minutes(ctx):
    for meeting in ctx.store.meetings.meetings_between(date(2000, 1, 1), date(2100, 1, 1)):
        if ctx.store.meetings.decisions(meeting.id) and ctx.store.meetings.action_items(meeting.id) \
                and ctx.store.meetings.invitations(meeting.id):
            return meeting
    raise AssertionError("la démonstration n'a aucune réunion avec compte rendu")


def dialog_factories(ctx) -> Iterator[tuple[str, Callable[[], QDialog]]]:
    """One instance of every dialog class of the app, built on the demo's records."""

    from clspd_desktop.domain.directory import Membership
    from clspd_desktop.domain.plan_links import LinkSource
    from clspd_desktop.ui.about_dialog import AboutDialog
    from clspd_desktop.ui.backups.password_dialogs import TypePasswordDialog, pack_password_dialog
    from clspd_desktop.ui.council.assistant import CouncilAssistant
    from clspd_desktop.ui.crash_dialog import CrashDialog
    from clspd_desktop.ui.mail_settings_dialog import MailSettingsDialog
    from clspd_desktop.ui.meetings.attendance_dialogs import RepresentedDialog, WalkInDialog
    from clspd_desktop.ui.meetings.common import PickContactDialog
    from clspd_desktop.ui.meetings.detail import MeetingDetail
    from clspd_desktop.ui.meetings.invitees_tab import ReplyDialog
    from clspd_desktop.ui.meetings.meeting_dialog import MeetingDialog
    from clspd_desktop.ui.meetings.minutes_editor import ActionItemDialog, DecisionDialog
    from clspd_desktop.ui.meetings.plan_links import ActionFromMinutesDialog
    from clspd_desktop.ui.meetings.small_dialogs import MeetingSettingsDialog, PostponeDialog
    from clspd_desktop.ui.partners.add_members_dialog import AddMembersDialog
    from clspd_desktop.ui.partners.contact_dialog import ContactDialog
    from clspd_desktop.ui.partners.contact_record_dialog import ContactRecordDialog
    from clspd_desktop.ui.partners.import_dialog import ImportDialog
    from clspd_desktop.ui.partners.membership_dialog import MembershipDialog
    from clspd_desktop.ui.partners.organisation_dialog import OrganisationDialog
    from clspd_desktop.ui.partners.signature_dialog import SignatureDialog
    from clspd_desktop.ui.partners.working_group_dialog import WorkingGroupDialog
    from clspd_desktop.ui.plan.action_dialog import ActionDialog
    from clspd_desktop.ui.plan.action_picker import PlanActionPicker
    from clspd_desktop.ui.plan.small_dialogs import FundingDialog, IndicatorDialog, PlanDialog, TitleDialog

    store = ctx.store
    meeting = _first_meeting_with_minutes(ctx)
    invitation = store.meetings.invitations(meeting.id)[0]
    decision = store.meetings.decisions(meeting.id)[0]
    item = store.meetings.action_items(meeting.id)[0]
    plan = store.plan.plans()[0]
    action_id = store.plan.action_rows(plan.id)[0].id
    action = store.plan.get_action(action_id)
    organisation = store.directory.organisations()[0]
    contact = store.directory.contacts()[0].contact
    formation = store.formations.formations()[0]
    membership = store.formations.memberships_of(contact.id)[0] if store.formations.memberships_of(contact.id) \
        else Membership(formation_id=0, contact_id=contact.id)
    yield from [
        ("AboutDialog", lambda: AboutDialog(ctx)),
        ("CrashDialog", lambda: CrashDialog("Traceback (most recent call last): …", None)),
        ("TypePasswordDialog", lambda: TypePasswordDialog("Mot de passe de la sauvegarde")),
        ("ShowPasswordDialog", lambda: pack_password_dialog("abcd-efgh-ijkl", "Préfecture")),
        ("CouncilAssistant", lambda: CouncilAssistant(ctx)),
        ("MailSettingsDialog", lambda: MailSettingsDialog(ctx)),
        ("OrganisationDialog (nouvelle)", lambda: OrganisationDialog(ctx)),
        ("OrganisationDialog", lambda: OrganisationDialog(ctx, organisation)),
        ("ContactDialog (nouveau)", lambda: ContactDialog(ctx)),
        ("ContactDialog", lambda: ContactDialog(ctx, contact)),
        ("ContactRecordDialog", lambda: ContactRecordDialog(ctx, contact)),
        ("MembershipDialog", lambda: MembershipDialog(ctx, membership, contact.full_name)),
        ("SignatureDialog", lambda: SignatureDialog(ctx, contact.id, contact.full_name)),
        ("WorkingGroupDialog", lambda: WorkingGroupDialog(ctx)),
        ("AddMembersDialog", lambda: AddMembersDialog(ctx, formation)),
        ("ImportDialog", lambda: ImportDialog(ctx)),
        ("MeetingDialog (nouvelle)", lambda: MeetingDialog(ctx)),
        ("MeetingDialog", lambda: MeetingDialog(ctx, meeting)),
        ("MeetingDetail", lambda: MeetingDetail(ctx, meeting.id)),
        ("MeetingSettingsDialog", lambda: MeetingSettingsDialog(ctx)),
        ("PostponeDialog", lambda: PostponeDialog(ctx, meeting)),
        ("ReplyDialog", lambda: ReplyDialog(ctx, invitation)),
        ("RepresentedDialog", lambda: RepresentedDialog(ctx, invitation.name)),
        ("WalkInDialog", lambda: WalkInDialog(ctx, set())),
        ("PickContactDialog", lambda: PickContactDialog(ctx, "Ajouter un invité", set())),
        ("DecisionDialog", lambda: DecisionDialog(ctx, decision)),
        ("DecisionDialog (nouvelle)", lambda: DecisionDialog(ctx, Decision(meeting.id, ""))),
        ("ActionItemDialog", lambda: ActionItemDialog(ctx, item)),
        ("ActionItemDialog (nouvelle)", lambda: ActionItemDialog(ctx, ActionItem(meeting.id, ""))),
        ("PlanActionPicker", lambda: PlanActionPicker(ctx, LinkSource.DECISION, decision.id, decision.text,
                                                      store.plan.plans(), plan)),
        ("ActionFromMinutesDialog", lambda: ActionFromMinutesDialog(ctx, plan, LinkSource.ACTION_ITEM, item.id,
                                                                    item.text, None)),
        ("PlanDialog", lambda: PlanDialog(ctx, plan)),
        ("TitleDialog", lambda: TitleDialog(ctx, Axis(plan_id=plan.id, title=""))),
        ("ActionDialog", lambda: ActionDialog(ctx, plan, action)),
        ("ActionDialog (nouvelle)", lambda: ActionDialog(ctx, plan, Action(objective_id=action.objective_id,
                                                                           title=""))),
        ("FundingDialog", lambda: FundingDialog(plan)),
        ("IndicatorDialog", lambda: IndicatorDialog(plan)),
    ]


def shown(dialog: QDialog) -> QDialog:
    """The dialog as `widgets.modal.run` shows it: rules applied, shown, every tab and wizard page visited."""
    accessibility.apply_tree(dialog)
    dialog.show()
    QApplication.processEvents()
    visit_tabs(dialog)
    if isinstance(dialog, QWizard):
        for page_id in dialog.pageIds():
            accessibility.apply_tree(dialog.page(page_id))
    accessibility.apply_tree(dialog)  # what the tabs built when first shown
    return dialog


def close(dialog: QDialog) -> None:
    """Closed without the « enregistrer les modifications ? » question (a prefilled new record counts as edited)."""
    mark_saved = getattr(dialog, "mark_saved", None)
    if callable(mark_saved):
        mark_saved()
    dialog.hide()
    dialog.deleteLater()
