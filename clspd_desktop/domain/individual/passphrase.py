"""How strong the coordinator's passphrase must be: the only thing between a stolen PC and the records."""

from __future__ import annotations

import string

from clspd_desktop.domain.individual.rules import IndividualRules
from clspd_desktop.errors import ValidationError

_CLASSES = (
    ("une minuscule", str.islower),
    ("une majuscule", str.isupper),
    ("un chiffre", str.isdigit),
    ("un signe (ponctuation, espace…)", lambda c: not c.isalnum()),
)


def passphrase_problem(passphrase: str, rules: IndividualRules) -> str:
    """The French reason this passphrase is refused, or "" when it is strong enough.

    Either long (a phrase of several words, `passphrase_long_length` characters) or at least
    `passphrase_min_length` characters mixing `passphrase_min_classes` kinds of characters; never one
    character repeated or a run like « 123456789 »."""
    if not passphrase or not passphrase.strip():
        return "Saisissez une phrase de passe."
    if len(set(passphrase)) < 5:
        return "Cette phrase de passe répète trop peu de caractères différents : choisissez-en une autre."
    if passphrase.lower() in string.ascii_lowercase * 2 or passphrase in string.digits * 3:
        return "Une suite de lettres ou de chiffres se devine en quelques secondes : choisissez une phrase."
    if len(passphrase) >= rules.passphrase_long_length:
        return ""
    if len(passphrase) < rules.passphrase_min_length:
        return (f"La phrase de passe est trop courte ({len(passphrase)} caractères) : il en faut au moins "
                f"{rules.passphrase_min_length}, ou {rules.passphrase_long_length} pour une phrase de "
                "plusieurs mots sans chiffres ni signes.")
    missing = [name for name, test in _CLASSES if not any(test(c) for c in passphrase)]
    present = len(_CLASSES) - len(missing)
    if present < rules.passphrase_min_classes:
        return (f"La phrase de passe doit mélanger au moins {rules.passphrase_min_classes} sortes de "
                f"caractères : ajoutez {' ou '.join(missing)}, ou allongez-la à "
                f"{rules.passphrase_long_length} caractères.")
    return ""


def check_passphrase(passphrase: str, confirmation: str, rules: IndividualRules) -> None:
    """Raise a French ValidationError when the new passphrase is weak or the two entries differ."""
    problem = passphrase_problem(passphrase, rules)
    if problem:
        raise ValidationError({"passphrase": problem})
    if passphrase != confirmation:
        raise ValidationError({"confirmation": "Les deux saisies de la phrase de passe sont différentes."})
