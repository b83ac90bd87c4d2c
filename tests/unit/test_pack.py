"""The préfecture pack: chosen documents, a new password per pack kept in the keyring, never confidential content."""

from __future__ import annotations

import email
from datetime import date, datetime
from email import policy

import keyring
import pytest
from keyring.backends import fail

from clspd_desktop.domain.directory import FormationKind, Membership, MembershipCategory
from clspd_desktop.errors import UserError
from clspd_desktop.services import secrets
from clspd_desktop.services.archive import verify_archive
from clspd_desktop.services.passwords import groups
from clspd_desktop.services.prefecture_pack import (
    PACK_ITEMS,
    PACK_KIND,
    PackCancelled,
    PackItem,
    PackOptions,
    available_items,
    build_pack,
    pack_email,
    pack_password,
    register_pack_item,
)
from tests.factories import add_contact, add_organisation, add_working_group

NOW = datetime(2025, 3, 17, 10, 0)
SECRETS = ("ZZSECRETGROUPE", "ZZNOTEREFERENT", "ZZNOTEPARTENAIRE")


@pytest.fixture
def council_with_secrets(configured_store):
    store = configured_store
    council = store.council.get()
    council.prefecture_email = "pref-clspd@essonne.gouv.fr"
    store.council.save(council)
    pref = add_organisation(store, "Préfecture de l'Essonne", notes="ZZNOTEPARTENAIRE situation de M. X")
    agent = add_contact(store, pref, "Martin", notes="ZZNOTEREFERENT suivi individuel")
    group = add_working_group(store, "Cellule ZZSECRETGROUPE")
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    for formation in (group, plenary):
        store.formations.save_membership(Membership(formation_id=formation.id, contact_id=agent.id,
                                                    category=MembershipCategory.DE_DROIT))
    return store


def test_items_offered_are_the_ones_whose_builder_exists():
    keys = [item.key for item in available_items()]
    assert keys == ["bilan-pdf", "annuaire-pdf", "composition-pdf", "annuaire-xlsx", "plan-pdf", "plan-xlsx",
                    "presences-pdf", "presences-xlsx", "comptes-rendus"]
    missing = PackItem("bilan", "Bilan {year}", "clspd_desktop.services.reports.pas_encore:x", uses_year=True)
    assert not missing.available()
    register_pack_item(missing)
    try:
        assert "bilan" not in [item.key for item in available_items()]
    finally:
        PACK_ITEMS.remove(missing)


def test_a_missing_builder_is_refused_with_a_reason(configured_store):
    item = PackItem("bilan", "Bilan {year}", "clspd_desktop.services.reports.pas_encore:x", uses_year=True)
    options = PackOptions(2025, date(2026, 2, 16))
    assert item.title(options) == "Bilan 2025"
    assert "pas disponible dans cette version" in item.unavailable_reason(configured_store, options)


def test_pack_is_encrypted_logged_and_its_password_kept(council_with_secrets, paths, memory_keyring):
    store = council_with_secrets
    built = build_pack(store, paths, ["annuaire-pdf", "annuaire-xlsx"], now=NOW)
    assert built.kept
    assert [len(g) for g in groups(built.password)] == [5] * 5
    manifest = verify_archive(built.path, built.password, PACK_KIND)
    assert set(manifest.members) == {"Annuaire des partenaires.pdf", "Annuaire des partenaires.xlsx"}
    (record,) = store.packs.all()
    assert record.recipient == "pref-clspd@essonne.gouv.fr"
    assert record.contents == ["Annuaire des partenaires (PDF)", "Annuaire des partenaires (tableur XLSX)"]
    assert pack_password(record) == built.password
    assert built.password not in str(store.db.execute("SELECT * FROM prefecture_pack").fetchall())
    second = build_pack(store, paths, ["annuaire-pdf"], now=NOW)
    assert second.password != built.password and second.path != built.path
    assert memory_keyring.secrets[(secrets.SERVICE, second.record.password_key)] == second.password


def test_nothing_chosen_is_refused(council_with_secrets, paths):
    with pytest.raises(UserError, match="au moins un document"):
        build_pack(council_with_secrets, paths, [], now=NOW)


def test_keyring_unavailable_the_password_is_shown_not_lost(council_with_secrets, paths):
    keyring.set_keyring(fail.Keyring())
    built = build_pack(council_with_secrets, paths, ["annuaire-pdf"], now=NOW)
    assert not built.kept and "n'a pas pu y être conservé" in built.keyring_message
    verify_archive(built.path, built.password, PACK_KIND)


def test_email_explains_7zip_and_never_holds_the_password(council_with_secrets, paths, tmp_path):
    built = build_pack(council_with_secrets, paths, ["annuaire-pdf"], now=NOW)
    message = pack_email(council_with_secrets.council.get(), built.record, built.path)
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    body = parsed.get_body(("plain",)).get_content()
    assert parsed["To"] == "pref-clspd@essonne.gouv.fr"
    assert parsed["X-Unsent"] == "1"
    assert "7-Zip ou PeaZip" in body and "par téléphone ou par SMS" in body
    assert "lundi 17 mars 2025" in body
    raw = message.as_bytes().decode("ascii", "replace")
    assert built.password not in raw and built.password.replace("-", "") not in raw
    assert next(parsed.iter_attachments()).get_content() == built.path.read_bytes()


def test_progress_hears_each_step_and_stopping_leaves_nothing(council_with_secrets, paths, memory_keyring):
    heard: list[tuple[int, int, str]] = []
    build_pack(council_with_secrets, paths, ["annuaire-pdf", "annuaire-xlsx"], now=NOW,
               progress=lambda done, total, what: heard.append((done, total, what)) or True)
    assert heard == [(0, 3, "Annuaire des partenaires (PDF)"), (1, 3, "Annuaire des partenaires (tableur XLSX)"),
                     (2, 3, "Chiffrement et vérification de l'archive")]
    before = sorted(paths.exports_dir.iterdir())
    with pytest.raises(PackCancelled, match="aucun fichier n'a été créé"):
        build_pack(council_with_secrets, paths, ["annuaire-pdf", "annuaire-xlsx"], now=NOW,
                   progress=lambda done, total, what: done < 1)
    assert sorted(paths.exports_dir.iterdir()) == before
    assert len(council_with_secrets.packs.all()) == 1 and len(memory_keyring.secrets) == 1
    assert [p.name for p in paths.data_dir.iterdir() if p.name.startswith(".envoi-")] == []
