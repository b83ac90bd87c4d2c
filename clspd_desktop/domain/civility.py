"""How a letter addresses a person: appellation (« Madame la Préfète »), closing formula suited to the rank,
and the words agreed with the civility (présent / présente, suppléant / suppléante).

The forms live in a dated data file (`resources/rules/civilite.json`): protocol usage and feminised titles
change, and a protocol office may want another wording without a new version of the application.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from clspd_desktop.domain.directory import Civility
from clspd_desktop.domain.rules_file import read_rules_json
from clspd_desktop.domain.text import search_key

FORMS_FILE = "civilite.json"


@dataclass(frozen=True)
class Addressee:
    """What a letter needs to know of its recipient beyond the name."""

    civility: Civility = Civility.NONE
    appellation: str = ""  # as stored on the referent; empty: proposed from the function
    function: str = ""


@dataclass(frozen=True)
class CivilityForms:
    version_date: date
    checked_on: date
    source: str
    closings: dict[str, str]
    default: dict[str, str]
    functions: list[dict[str, Any]]
    agreements: dict[str, dict[str, str]]

    def _function_rule(self, function: str) -> dict[str, Any] | None:
        key = search_key(function)
        for rule in self.functions:
            if any(key.startswith(search_key(prefix)) for prefix in rule["starts_with"]):
                return rule
        return None

    def proposed_appellation(self, civility: Civility, function: str) -> str:
        """« Monsieur le Préfet » for a préfet, « Madame » for anyone else, « Madame, Monsieur » if unknown."""
        rule = self._function_rule(function)
        if rule is not None and civility is not Civility.NONE:
            return rule[civility.value]
        return self.default[civility.value]

    def appellation(self, person: Addressee) -> str:
        return person.appellation.strip() or self.proposed_appellation(person.civility, person.function)

    def salutation(self, person: Addressee) -> str:
        return f"{self.appellation(person)},"

    def greeting(self, person: Addressee, last_name: str) -> str:
        """An e-mail's first line: « Bonjour Monsieur Fabre, », « Monsieur le Préfet, » for a title,
        « Madame, Monsieur, » when the civility is not known (never the first name and last name)."""
        appellation = self.appellation(person)
        if person.civility is Civility.NONE and not person.appellation.strip():
            return f"{self.default[Civility.NONE.value]},"
        if appellation == self.default[person.civility.value] and last_name.strip():
            return f"Bonjour {appellation} {last_name.strip()},"
        return f"{appellation},"

    def closing(self, person: Addressee, lead: str = "Je vous prie d'agréer") -> str:
        """« Je vous prie d'agréer, Monsieur le Préfet, l'expression de ma haute considération. »"""
        rule = self._function_rule(person.function)
        formula = self.closings[(rule or {}).get("closing", self.default["closing"])]
        return f"{lead}, {self.appellation(person)}, {formula}."

    def agree(self, word: str, civility: Civility) -> str:
        """The word agreed with the civility; without one, the masculine form (the usage of the
        administration when the person is not known), never « (e) »."""
        return self.agree_form(self.agreements[word], civility)

    @staticmethod
    def agree_form(forms: dict[str, str], civility: Civility) -> str:
        return forms.get(civility.value) or forms[Civility.MR.value]


def load_forms(path: Path) -> CivilityForms:
    return read_rules_json(path, "des formules de politesse", lambda data: CivilityForms(
        version_date=date.fromisoformat(data["version_date"]), checked_on=date.fromisoformat(data["checked_on"]),
        source=data["source"], closings=data["closings"], default=data["default"],
        functions=data["functions"], agreements=data["agreements"]))


@cache
def civility_forms() -> CivilityForms:
    """The shipped table, read once."""
    from clspd_desktop.paths import resources_dir

    return load_forms(resources_dir() / "rules" / FORMS_FILE)


def civility_of_name(name: str) -> Civility:
    """Invitations copy the name as printed (« Mme Claire Dubreuil »): its first word is the civility."""
    first = name.split(maxsplit=1)[0] if name.strip() else ""
    return {"Mme": Civility.MRS, "M.": Civility.MR}.get(first, Civility.NONE)


def _agreed_title(title: str, civility: Civility, forms: CivilityForms) -> str:
    """The title's first word agreed with the civility (« Président de la communauté… » typed for a woman
    chair becomes « Présidente de la communauté… »)."""
    first, _, rest = title.partition(" ")
    for agreement in forms.agreements.values():
        masculine = agreement[Civility.MR.value]
        if " " not in masculine and first.lower() == masculine.lower():
            wanted = forms.agree_form(agreement, civility)
            wanted = wanted[:1].upper() + wanted[1:] if first[:1].isupper() else wanted
            return f"{wanted} {rest}".strip()
    return title


def _with_article(title: str, civility: Civility, forms: CivilityForms | None = None) -> str:
    """« Maire de Montreval » → « La Maire de Montreval »; a title that has its article keeps it."""
    if title.split(maxsplit=1)[0].lower() in ("le", "la", "les") or title.lower().startswith("l'"):
        return title
    title = _agreed_title(title, civility, forms or civility_forms())
    if search_key(title[:1]) in "aeiouy":
        return f"L'{title}"
    return f"{'La' if civility is Civility.MRS else 'Le'} {title}"


def signatory_title(kind: str, chair_title: str, civility: Civility, forms: CivilityForms | None = None) -> str:
    """The signature's title, the name printed once below it: « La Maire de Montreval, Présidente du CLSPD »,
    « Le Président du CISPD »."""
    forms = forms or civility_forms()
    title = chair_title.strip()
    if not title:
        if kind == "CLSPD":
            return f"{forms.agree('le_maire', civility)}, {forms.agree('president', civility)} du CLSPD"
        return f"{forms.agree('le_president', civility)} du {kind}"
    if kind not in title:
        title += f", {forms.agree('president', civility)} du {kind}"
    return _with_article(title, civility, forms)


def clean_signatory(text: str, chair_name: str, civility: Civility, forms: CivilityForms | None = None) -> str:
    """A signatory typed or saved by an earlier version (« Claire Dubreuil, Maire…, président(e) du CLSPD »):
    without the name the block prints below, and agreed."""
    forms = forms or civility_forms()
    cleaned = text.strip()
    name = chair_name.strip()
    if name and cleaned.startswith(name):
        cleaned = _with_article(cleaned[len(name):].lstrip(" ,") or "Maire", civility)
    for key in ("president", "le_president"):
        neutral = forms.agree(key, Civility.MR) + "(e)"
        for variant in (neutral, neutral.lower()):
            replacement = forms.agree(key, civility)
            cleaned = cleaned.replace(variant, replacement if variant[0].isupper() else replacement.lower())
    return cleaned


def agreed(word: str, name: str, capital: bool = False) -> str:
    """`word` (a key of the table: « present », « excuse »…) agreed with the civility printed in `name`."""
    text = civility_forms().agree(word, civility_of_name(name))
    return text[:1].upper() + text[1:] if capital else text
