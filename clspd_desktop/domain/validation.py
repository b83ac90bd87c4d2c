"""Field validation with French messages. Names are stored exactly as typed (<, &, emoji, long text)."""

from __future__ import annotations

import re

from clspd_desktop.domain.council import Commune, Council
from clspd_desktop.domain.directory import Contact, Formation, FormationKind, Organisation, WorkingGroupType
from clspd_desktop.domain.text import single_line
from clspd_desktop.errors import ValidationError

MAX_TEXT = 10_000
_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\".]{2,}$")


def is_valid_email(value: str) -> bool:
    return bool(_EMAIL.match(value.strip()))


def normalize_phone(value: str) -> str:
    """French numbers become '01 23 45 67 89'; other international numbers keep their '+'."""
    raw = value.strip()
    if not raw:
        return ""
    digits = re.sub(r"[^\d+]", "", raw)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+33"):
        digits = "0" + digits[3:].lstrip("0")
    if re.fullmatch(r"0\d{9}", digits):
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    if re.fullmatch(r"\+\d{6,15}", digits):
        return digits
    raise ValueError(
        f"Numéro de téléphone non reconnu : « {raw} » (attendu : 10 chiffres, par exemple 01 23 45 67 89)."
    )


def _check_common(errors: dict[str, str], *, email: str, phone: str) -> tuple[str, str]:
    email = email.strip().lower()  # « Paul.DURAND@Ville.FR » is the same mailbox, stored once
    if email and not is_valid_email(email):
        errors["email"] = f"Adresse e-mail invalide : « {email} »."
    try:
        phone = normalize_phone(phone)
    except ValueError as exc:
        errors["phone"] = str(exc)
    return email, phone


def _check_lengths(errors: dict[str, str], **fields: str) -> None:
    for name, value in fields.items():
        if len(value) > MAX_TEXT:
            errors[name] = f"Texte trop long ({len(value)} caractères, maximum {MAX_TEXT})."


def validate_organisation(org: Organisation) -> Organisation:
    """Return a cleaned copy or raise ValidationError listing every problem at once."""
    errors: dict[str, str] = {}
    name = single_line(org.name)
    if not name:
        errors["name"] = "Le nom de l'organisation est obligatoire."
    email, phone = _check_common(errors, email=org.email, phone=org.phone)
    _check_lengths(errors, name=name, address=org.address, notes=org.notes)
    if errors:
        raise ValidationError(errors)
    return Organisation(
        name=name, category=org.category, address=org.address.strip(), postal_code=org.postal_code.strip(),
        city=org.city.strip(), phone=phone, email=email, notes=org.notes, id=org.id,
    )


def validate_contact(contact: Contact) -> Contact:
    errors: dict[str, str] = {}
    last_name = single_line(contact.last_name)
    if not last_name:
        errors["last_name"] = "Le nom du référent est obligatoire."
    email, phone = _check_common(errors, email=contact.email, phone=contact.phone)
    _check_lengths(errors, last_name=last_name, first_name=contact.first_name, function=contact.function,
                   notes=contact.notes)
    if errors:
        raise ValidationError(errors)
    return Contact(
        last_name=last_name, first_name=single_line(contact.first_name), civility=contact.civility,
        function=single_line(contact.function), email=email, phone=phone, organisation_id=contact.organisation_id,
        role=contact.role, notes=contact.notes, id=contact.id, appellation=single_line(contact.appellation),
    )


def validate_formation(formation: Formation) -> Formation:
    errors: dict[str, str] = {}
    if not formation.name.strip():
        errors["name"] = "Le nom du groupe est obligatoire."
    if formation.kind is FormationKind.WORKING_GROUP and formation.wg_type is None:
        errors["wg_type"] = "Choisissez le type du groupe de travail."
    if formation.wg_type is WorkingGroupType.INDIVIDUAL_SITUATIONS and not formation.confidential:
        errors["confidential"] = (
            "Un groupe qui traite des situations individuelles est obligatoirement confidentiel "
            "(art. L132-5 du code de la sécurité intérieure)."
        )
    if errors:
        raise ValidationError(errors)
    formation.name = single_line(formation.name)
    return formation


def validate_council(council: Council) -> Council:
    errors: dict[str, str] = {}
    if not council.name.strip():
        errors["name"] = "Le nom de la commune ou de l'intercommunalité est obligatoire."
    if not council.communes:
        errors["communes"] = "Indiquez au moins une commune membre."
    for commune in council.communes:
        problem = _commune_problem(commune)
        if problem:
            errors["communes"] = problem
            break
    if council.kind.value == "CLSPD" and len(council.communes) > 1:
        errors["communes"] = "Un CLSPD ne couvre qu'une commune : choisissez CISPD pour plusieurs communes."
    for field_name in ("email", "coordinator_email", "prefecture_email"):
        value = getattr(council, field_name).strip()
        if value and not is_valid_email(value):
            errors[field_name] = f"Adresse e-mail invalide : « {value} »."
    for field_name in ("phone", "coordinator_phone"):
        try:
            setattr(council, field_name, normalize_phone(getattr(council, field_name)))
        except ValueError as exc:
            errors[field_name] = str(exc)
    if errors:
        raise ValidationError(errors)
    council.name = single_line(council.name)
    return council


def _commune_problem(commune: Commune) -> str:
    if not commune.name.strip():
        return "Chaque commune membre doit avoir un nom."
    if commune.population < 0 or commune.population > 3_000_000:
        return f"Population invalide pour {commune.name} : {commune.population}."
    return ""
