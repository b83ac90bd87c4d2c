"""The keyring wrapper never pretends to have kept a password."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail, null
from keyring.errors import KeyringLocked

from clspd_desktop.services import secrets
from clspd_desktop.services.passwords import ALPHABET, BITS, generate_password, groups, normalize, spoken


def test_secret_round_trip(memory_keyring):
    secrets.store_secret("cle", "K7M2Q-8ZP4R")
    assert secrets.read_secret("cle") == "K7M2Q-8ZP4R"
    assert memory_keyring.secrets[(secrets.SERVICE, "cle")] == "K7M2Q-8ZP4R"
    secrets.delete_secret("cle")
    assert secrets.read_secret("cle") is None


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_unusable_backend_is_reported_not_ignored(backend):
    keyring.set_keyring(backend)
    with pytest.raises(secrets.SecretsUnavailableError, match="n'a pas pu y être conservé"):
        secrets.store_secret("cle", "valeur")
    with pytest.raises(secrets.SecretsUnavailableError, match="lu"):
        secrets.read_secret("cle")


def test_locked_keyring_is_reported(memory_keyring, monkeypatch):
    def locked(*_args):
        raise KeyringLocked("verrouillé")

    monkeypatch.setattr(memory_keyring, "set_password", locked)
    with pytest.raises(secrets.SecretsUnavailableError):
        secrets.store_secret("cle", "valeur")


def test_backend_name_names_the_active_backend(memory_keyring):
    assert secrets.backend_name().endswith("MemoryKeyring")


def test_generated_password_shape_and_entropy():
    password = generate_password()
    parts = groups(password)
    assert [len(p) for p in parts] == [5] * 5
    assert all(ch in ALPHABET for p in parts for ch in p)
    assert password.isascii()
    assert BITS == 125
    assert len({generate_password() for _ in range(200)}) == 200


def test_normalize_accepts_what_people_type():
    password = "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP"
    assert normalize("k7m2q 8zp4r oaibc defgh jkmnp") == password
    assert normalize("K7M2Q8ZP4R0A1BCDEFGHJKMNP") == password
    assert normalize("  autre mot de passe ") == "autre mot de passe"


def test_spoken_spelling_is_french():
    assert spoken("K7M") == "K comme Kléber, sept, M comme Marcel"
