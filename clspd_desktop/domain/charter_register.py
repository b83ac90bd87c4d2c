"""The register of the charte déontologique: who signed which version when, and who left it.

The procureur may ask for it (members of confidential working groups must have signed the charter before
sitting); members of a confidential group without a valid signature come first, since they are the
problem to solve.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.directory import CharterSignature, Contact, UnsignedMember
from clspd_desktop.domain.text import sort_key


@dataclass(frozen=True)
class RegisterLine:
    contact: Contact
    organisation_name: str
    signature: CharterSignature

    def status(self, on: date) -> str:
        """« En vigueur », « Retrait le … », « Exclusion le … » or « À compter du … » (French)."""
        s = self.signature
        if s.ended_on is not None and s.ended_on <= on:
            reason = s.end_reason.label if s.end_reason else "Fin"
            return f"{reason} le {short_date(s.ended_on)}"
        if s.signed_on > on:
            return f"À compter du {short_date(s.signed_on)}"
        return "En vigueur"


@dataclass(frozen=True)
class UnsignedLine:
    contact: Contact
    organisation_name: str
    groups: tuple[str, ...]


def register_order(lines: list[RegisterLine]) -> list[RegisterLine]:
    """By signatory (French alphabetical order), then by date signed."""
    return sorted(lines, key=lambda line: (sort_key(line.contact.last_name), sort_key(line.contact.first_name),
                                           line.contact.id or 0, line.signature.signed_on))


def unsigned_first(members: list[UnsignedMember]) -> list[UnsignedLine]:
    """One line per person, with every confidential group they sit in without a valid signature."""
    groups: dict[int, list[str]] = defaultdict(list)
    people: dict[int, UnsignedMember] = {}
    for member in members:
        key = member.contact.id or 0
        people.setdefault(key, member)
        groups[key].append(member.formation.name)
    lines = [UnsignedLine(m.contact, m.organisation_name, tuple(sorted(set(groups[k]), key=sort_key)))
             for k, m in people.items()]
    return sorted(lines, key=lambda line: (sort_key(line.contact.last_name), sort_key(line.contact.first_name)))


def counts(lines: list[RegisterLine], on: date) -> tuple[int, int]:
    """(signatories whose signature is in force, signatures that have ended)."""
    in_force = {line.contact.id for line in lines if line.signature.is_valid(on)}
    ended = sum(1 for line in lines if line.signature.ended_on is not None and line.signature.ended_on <= on)
    return len(in_force), ended
