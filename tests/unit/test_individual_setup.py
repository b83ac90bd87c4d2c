"""Turning the individual follow-up on from the Conseil screen: every input checked before anything is
created, the setup record (no person's data) in the main database, and the four documents for the DPO."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.individual.paperwork import SETUP_KEY, PaperKind, SetupRecord
from clspd_desktop.domain.individual.rules import load_individual_rules
from clspd_desktop.domain.individual.settings import ResponsibleRole
from clspd_desktop.domain.rgpd import DPO_CONTACT_KEY, DPO_NAME_KEY
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services.individual.session import IndividualSession, store_path
from clspd_desktop.services.operations import OpEnv
from clspd_desktop.services.operations import individual_setup as ops
from tests.factories import add_working_group
from tests.individual_helpers import PASSPHRASE, Clock
from tests.pdf_text import text_of

TODAY = date(2026, 12, 4)


@pytest.fixture
def session(paths):
    return IndividualSession(paths, load_individual_rules(), Clock(datetime(2026, 12, 4, 9, 0)))


@pytest.fixture
def env(paths, configured_store):
    return OpEnv(paths, None, store=configured_store)


def _enable(env, session, **overrides):
    values = dict(session=session, passphrase=PASSPHRASE, confirmation=PASSPHRASE,
                  responsible_role=ResponsibleRole.MAYOR, responsible_name="Claire Dubreuil",
                  coordinator_name="Julien Perrot", group_ids=[], rules_adopted_on=date(2026, 3, 2),
                  charter_required=True)
    values.update(overrides)
    return ops.enable_individual(env, **values)


def test_enabling_creates_the_store_and_records_the_setup(env, session, configured_store):
    group = add_working_group(configured_store, "Cellule jeunesse")
    result = _enable(env, session, group_ids=[group.id])
    assert store_path(session.paths).exists() and not session.locked
    setup = SetupRecord.from_json(configured_store.settings.get(SETUP_KEY))
    assert setup == result.value
    assert setup.coordinator_name == "Julien Perrot" and [g.name for g in setup.groups] == ["Cellule jeunesse"]
    assert setup.enabled_on == TODAY and setup.rules_adopted_on == date(2026, 3, 2)
    assert PASSPHRASE not in configured_store.settings.get(SETUP_KEY)


def test_every_problem_is_reported_at_once_and_nothing_is_created(env, session, configured_store):
    plenary = configured_store.formations.by_kind(FormationKind.PLENARY)
    with pytest.raises(ValidationError) as caught:
        _enable(env, session, group_ids=[plenary.id], coordinator_name=" ", rules_adopted_on=None,
                charter_required=False, passphrase="court", confirmation="court")
    fields = caught.value.fields
    assert "formation plénière est exclue" in fields["groups"]
    assert {"coordinator_name", "rules_adopted_on", "charter_required", "passphrase"} <= set(fields)
    assert "trop courte" in fields["passphrase"]
    assert not store_path(session.paths).exists()
    assert configured_store.settings.get(SETUP_KEY) == ""


def test_a_group_that_is_not_confidential_is_refused(env, session, configured_store):
    from clspd_desktop.domain.directory import WorkingGroupType

    open_group = add_working_group(configured_store, "Tranquillité", confidential=False,
                                   wg_type=WorkingGroupType.THEMATIC)
    with pytest.raises(ValidationError) as caught:
        _enable(env, session, group_ids=[open_group.id])
    assert "groupes confidentiels" in caught.value.fields["groups"]
    assert not store_path(session.paths).exists()


def test_confirmation_must_match(env, session, configured_store):
    group = add_working_group(configured_store)
    with pytest.raises(ValidationError) as caught:
        _enable(env, session, group_ids=[group.id], confirmation=PASSPHRASE + "x")
    assert caught.value.fields == {"confirmation": "Les deux saisies de la phrase de passe sont différentes."}
    assert not store_path(session.paths).exists()


def test_a_failed_setup_write_removes_the_fresh_store(env, session, configured_store, monkeypatch):
    group = add_working_group(configured_store)

    def broken(key, value):
        raise OSError("disque plein")

    monkeypatch.setattr(configured_store.settings, "set", broken)
    with pytest.raises(OSError):
        _enable(env, session, group_ids=[group.id])
    assert not store_path(session.paths).exists() and session.locked


def test_enabling_twice_is_refused(env, session, configured_store):
    group = add_working_group(configured_store)
    _enable(env, session, group_ids=[group.id])
    with pytest.raises(UserError, match="déjà activé"):
        _enable(env, session, group_ids=[group.id])


# ---- the four documents --------------------------------------------------------------------------------

@pytest.fixture
def enabled(env, session, configured_store):
    group = add_working_group(configured_store, "Cellule de veille éducative")
    _enable(env, session, group_ids=[group.id], responsible_role=ResponsibleRole.EPCI_PRESIDENT)
    configured_store.settings.set(DPO_NAME_KEY, "Mutualisation <DPO> & co")
    configured_store.settings.set(DPO_CONTACT_KEY, "dpo@agglo.fr")
    return session


def test_documents_are_refused_while_the_module_is_off(env, session, tmp_path):
    with pytest.raises(UserError, match="n'est pas activé"):
        ops.write_paperwork(env, rules=session.rules, kinds=[PaperKind.REGISTER], folder=tmp_path)
    assert not list(tmp_path.glob("*.pdf"))


def test_documents_need_the_dpo(env, session, configured_store, tmp_path):
    group = add_working_group(configured_store)
    _enable(env, session, group_ids=[group.id])
    with pytest.raises(UserError, match="délégué à la protection des données"):
        ops.write_paperwork(env, rules=session.rules, kinds=[PaperKind.DPIA], folder=tmp_path)
    assert not list(tmp_path.glob("*.pdf"))


COMMON = ["Mutualisation <DPO> & co", "vendredi 4 décembre 2026", "Cellule de veille éducative",
          "n° 2014-262 du 26 juin 2014"]
EXPECTED = {
    PaperKind.REGISTER: ["Registre des activités de traitement", "représentée par le président de l'EPCI, "
                         "Claire Dubreuil", "Julien Perrot", "3 ans après la fin du suivi", "25e anniversaire",
                         "Sont exclus : la formation plénière", "Aucun.", "article 8, sécurité et traçabilité",
                         "tiers non autorisés", "Journal des accès en ajout seul"],
    PaperKind.COLLECTIVE: ["Information collective", "Vos droits", "www.cnil.fr", "nom, prénom, sexe, date de "
                           "naissance"],
    PaperKind.INDIVIDUAL: ["Information individuelle", "représentant légal", "Vos droits", "Remis le"],
    PaperKind.DPIA: ["PROJET", "Analyse d'impact", "Points à vérifier", "Article 2", "Article 7 — objet non "
                     "vérifié", "à évaluer par le délégué", "lundi 2 mars 2026", "Mesure du logiciel",
                     "10 minutes d'inactivité"],
}


@pytest.mark.parametrize("kind", list(PaperKind))
def test_each_document_is_dated_names_the_dpo_and_follows_the_deliberation(enabled, env, configured_store,
                                                                           tmp_path, kind):
    (path,) = ops.write_paperwork(env, rules=enabled.rules, kinds=[kind], folder=tmp_path, today=TODAY).value
    assert path == tmp_path / f"{kind.file_stem}.pdf"
    text = text_of(path)
    for part in COMMON + EXPECTED[kind]:
        assert part in text, (kind, part)
    assert SetupRecord.from_json(configured_store.settings.get(SETUP_KEY)).documents == {kind.value: TODAY}


def test_all_four_at_once_are_dated_in_the_setup(enabled, env, configured_store, tmp_path):
    written = ops.write_paperwork(env, rules=enabled.rules, kinds=list(PaperKind), folder=tmp_path,
                                  today=TODAY).value
    assert sorted(p.name for p in written) == sorted(f"{k.file_stem}.pdf" for k in PaperKind)
    setup = SetupRecord.from_json(configured_store.settings.get(SETUP_KEY))
    assert setup.documents == {k.value: TODAY for k in PaperKind}


def test_an_unreadable_setup_reads_as_off():
    assert SetupRecord.from_json("") is None
    assert SetupRecord.from_json("{not json") is None
    assert SetupRecord.from_json('{"responsible_role": "king"}') is None


def test_the_dpo_inventory_lists_the_encrypted_file_once_enabled(enabled, configured_store, tmp_path):
    from clspd_desktop.services.reports.rgpd_pdf import build_rgpd_pdf

    text = text_of(build_rgpd_pdf("inventaire", configured_store, tmp_path / "i.pdf", tmp_path / "données",
                                  today=TODAY))
    assert "suivi-individuel.sqlcipher" in text and "instantanes-suivi" in text


def test_the_dpo_inventory_has_no_such_line_while_off(configured_store, tmp_path):
    from clspd_desktop.services.reports.rgpd_pdf import build_rgpd_pdf

    configured_store.settings.set(DPO_NAME_KEY, "Mme Déléguée")
    text = text_of(build_rgpd_pdf("inventaire", configured_store, tmp_path / "i.pdf", tmp_path / "données",
                                  today=TODAY))
    assert "suivi-individuel" not in text
