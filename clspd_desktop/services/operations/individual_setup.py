"""Turning the individual follow-up module on from the Conseil screen, and its paperwork for the DPO.

`enable_individual` checks every input at once (names, groups, the group's règlement intérieur, the
passphrase), creates the encrypted store, then writes the setup record (no person's data) into the main
database's settings. If that last write fails the fresh, empty store is removed, so the two never disagree.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.individual.paperwork import (
    SETUP_KEY,
    PaperKind,
    SetupGroup,
    SetupRecord,
    validate_group_rules,
)
from clspd_desktop.domain.individual.passphrase import passphrase_problem
from clspd_desktop.domain.individual.rules import IndividualRules
from clspd_desktop.domain.individual.settings import FormationChoice, ResponsibleRole, validate_opt_in
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services.individual.session import IndividualSession, store_path
from clspd_desktop.services.operations import individual as individual_ops
from clspd_desktop.services.operations.base import Change, Done, OpEnv, done


def _choices(env: OpEnv, group_ids: list[int]) -> list[FormationChoice]:
    formations = {f.id: f for f in env.store.formations.formations()}
    missing = [i for i in group_ids if i not in formations]
    if missing:
        raise UserError("Un groupe choisi n'existe plus (supprimé entre-temps ?). Rien n'a été modifié.")
    return [FormationChoice(int(f.id or 0), f.name, f.kind.value) for f in (formations[i] for i in group_ids)]


def _not_confidential(env: OpEnv, group_ids: list[int]) -> list[str]:
    return [f"« {f.name} »" for f in env.store.formations.formations()
            if f.id in group_ids and f.kind is FormationKind.WORKING_GROUP and not f.confidential]


def enable_individual(env: OpEnv, *, session: IndividualSession, passphrase: str, confirmation: str,
                      responsible_role: ResponsibleRole, responsible_name: str, coordinator_name: str,
                      group_ids: list[int], rules_adopted_on: date | None,
                      charter_required: bool) -> Done[SetupRecord]:
    """All problems are reported together (one ValidationError); nothing is created until all pass."""
    if session.enabled:
        raise UserError("Le suivi individuel est déjà activé sur ce poste. Rien n'a été modifié.")
    today = session.today()
    choices = _choices(env, group_ids)
    errors: dict[str, str] = {}
    settings = None
    try:
        settings = validate_opt_in(responsible_role, responsible_name, coordinator_name, choices, session.rules,
                                   today)
    except ValidationError as exc:
        errors.update(exc.fields)
    if "groups" not in errors and (open_groups := _not_confidential(env, group_ids)):
        errors["groups"] = (f"Seuls des groupes confidentiels peuvent examiner des situations individuelles : "
                            f"{', '.join(open_groups)}. Marquez-les confidentiels (Partenaires › Formations) "
                            "ou choisissez-en d'autres.")
    adopted = None
    try:
        adopted = validate_group_rules(rules_adopted_on, charter_required, today)
    except ValidationError as exc:
        errors.update(exc.fields)
    problem = passphrase_problem(passphrase, session.rules)
    if problem:
        errors["passphrase"] = problem
    elif passphrase != confirmation:
        errors["confirmation"] = "Les deux saisies de la phrase de passe sont différentes."
    if errors or settings is None or adopted is None:
        raise ValidationError(errors)

    setup = SetupRecord(responsible_role, settings.responsible_name, settings.coordinator_name,
                        tuple(SetupGroup(g.id, g.name) for g in settings.groups), adopted, today)
    individual_ops.enable_module(env, session=session, passphrase=passphrase, confirmation=confirmation,
                                 responsible_role=responsible_role, responsible_name=responsible_name,
                                 coordinator_name=coordinator_name, groups=choices)
    try:
        with env.store.transaction():
            env.store.settings.set(SETUP_KEY, setup.to_json())
    except BaseException:
        session.lock()
        with contextlib.suppress(OSError):
            store_path(session.paths).unlink()
        raise
    return done(setup, Change.INDIVIDUAL, Change.SETTINGS)


def write_paperwork(env: OpEnv, *, rules: IndividualRules, kinds: list[PaperKind], folder: Path | None = None,
                    path: Path | None = None, today: date | None = None) -> Done[list[Path]]:
    """Write the chosen documents (into `folder` under their usual names, or one to `path`) and note their
    date in the setup record, which the Conseil screen shows."""
    from clspd_desktop.services.reports.individual_paperwork_pdf import (
        build_individual_paperwork_pdf,  # reportlab: only when a document is asked for
        load_setup,
    )

    today = today or date.today()
    setup = load_setup(env.store)
    written = []
    for number, kind in enumerate(kinds):
        env.progress.report(number, len(kinds), f"Mise en page : {kind.heading}…")
        env.progress.check()
        target = path if path is not None and len(kinds) == 1 else (folder or Path()) / f"{kind.file_stem}.pdf"
        written.append(build_individual_paperwork_pdf(kind, env.store, rules, target, today))
        setup.documents[kind.value] = today
    with env.store.transaction():
        env.store.settings.set(SETUP_KEY, setup.to_json())
    return done(written, Change.SETTINGS)


def paperwork_pdf(env: OpEnv, *, rules: IndividualRules, kind: PaperKind, path: Path,
                  today: date | None = None) -> Done[Path]:
    """One document to the path the user chose (its date noted in the setup record)."""
    result = write_paperwork(env, rules=rules, kinds=[kind], path=path, today=today)
    return Done(result.value[0], result.changes)
