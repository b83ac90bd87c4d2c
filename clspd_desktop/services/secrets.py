"""The only module that talks to the system keyring (Windows Credential Locker, Keychain, Secret Service).

A keyring that is missing or refuses (the `fail` backend, a locked Secret Service) raises
SecretsUnavailableError with a French explanation, so the screen can ask the user to type or note the
password. The `null` backend, which silently drops what it is given, is treated as missing: storing a
password must never "succeed" without keeping it.
"""

from __future__ import annotations

import logging

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from clspd_desktop.errors import UserError

log = logging.getLogger(__name__)

SERVICE = "CLSPD Desktop"
BACKUP_KEY = "sauvegarde-chiffree"
SMTP_KEY = "smtp"


def pack_key(pack_uid: str) -> str:
    return f"envoi-prefecture:{pack_uid}"


class SecretsUnavailableError(UserError):
    """The keyring cannot keep or give back a password: the user must note it or type it."""


UNAVAILABLE_MESSAGE = (
    "Le coffre-fort de mots de passe de Windows n'est pas disponible sur cet ordinateur : le mot de passe "
    "n'a pas pu y être {action}."
)


def backend_name() -> str:
    """Reported by the self-test: frozen apps have been seen falling back to the `fail` backend."""
    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _check_backend(action: str) -> None:
    backend = keyring.get_keyring()
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        raise SecretsUnavailableError(UNAVAILABLE_MESSAGE.format(action=action), details=backend_name())


def store_secret(key: str, value: str) -> None:
    """Keep `value`; raise SecretsUnavailableError (never return silently) when it cannot be kept."""
    _check_backend("conservé")
    try:
        keyring.set_password(SERVICE, key, value)
        kept = keyring.get_password(SERVICE, key)
    except KeyringError as exc:
        log.warning("Trousseau indisponible pour %s : %s", key, exc)
        raise SecretsUnavailableError(UNAVAILABLE_MESSAGE.format(action="conservé"), details=str(exc)) from exc
    if kept != value:
        raise SecretsUnavailableError(UNAVAILABLE_MESSAGE.format(action="conservé"),
                                      details="relecture différente de l'écriture")


def read_secret(key: str) -> str | None:
    """The kept value, None when nothing was kept under `key`; SecretsUnavailableError when unreadable."""
    _check_backend("lu")
    try:
        return keyring.get_password(SERVICE, key)
    except KeyringError as exc:
        log.warning("Trousseau illisible pour %s : %s", key, exc)
        raise SecretsUnavailableError(UNAVAILABLE_MESSAGE.format(action="lu"), details=str(exc)) from exc


def delete_secret(key: str) -> None:
    try:
        keyring.delete_password(SERVICE, key)
    except PasswordDeleteError:
        pass
    except KeyringError as exc:
        raise SecretsUnavailableError(UNAVAILABLE_MESSAGE.format(action="effacé"), details=str(exc)) from exc
