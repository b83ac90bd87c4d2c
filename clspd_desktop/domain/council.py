"""The council itself: CLSPD (one commune) or CISPD (several communes of an EPCI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class CouncilKind(StrEnum):
    CLSPD = "CLSPD"
    CISPD = "CISPD"

    @property
    def long_name(self) -> str:
        if self is CouncilKind.CISPD:
            return "Conseil intercommunal de sécurité et de prévention de la délinquance"
        return "Conseil local de sécurité et de prévention de la délinquance"


@dataclass
class Commune:
    name: str
    population: int
    has_qpv: bool = False
    insee_code: str = ""
    qpv_names: str = ""
    id: int | None = None


_COMMUNE_PREFIXES = ("ville de ", "ville d'", "commune de ", "commune d'", "mairie de ", "mairie d'")
_GROUPINGS = ("communauté", "métropole", "agglomération", "eurométropole")


def of_territory(name: str) -> str:
    """« de Montreval » for « Ville de Montreval », « d'Étampes », « de la communauté de communes du … »."""
    name = " ".join(name.split())
    lowered = name.lower()
    for prefix in _COMMUNE_PREFIXES:
        if lowered.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix):]
            break
    else:
        if lowered.startswith(_GROUPINGS):
            return "de la " + name[:1].lower() + name[1:]
    if not name:
        return ""
    article, _, rest = name.partition(" ")
    if rest and article.lower() in ("le", "les"):  # « du Havre », « des Mureaux »
        return ("du " if article.lower() == "le" else "des ") + rest
    return ("d'" if name[:1].lower() in "aâàeéèêëiîïoôuùûyh" else "de ") + name


@dataclass
class Council:
    """Everything printed in the letterhead and signature blocks, plus the governance facts."""

    kind: CouncilKind
    name: str  # "Ville de Montreval" or "Communauté de communes du Val d'Yvette"
    address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    chair_name: str = ""
    chair_title: str = ""  # "Maire de Montreval", "Président de la communauté de communes"
    coordinator_name: str = ""
    coordinator_function: str = ""
    coordinator_email: str = ""
    coordinator_phone: str = ""
    composition_order_number: str = ""
    composition_order_date: str = ""  # ISO date of the arrêté de composition
    rules_adopted_on: str = ""  # ISO date the règlement intérieur was voted
    charter_version: str = "Charte déontologique type CIPD 2014"
    prefecture_email: str = ""
    logo: bytes | None = None
    communes: list[Commune] = field(default_factory=list)

    @property
    def total_population(self) -> int:
        return sum(c.population for c in self.communes)

    @property
    def has_qpv(self) -> bool:
        return any(c.has_qpv for c in self.communes)

    @property
    def has_coordinator(self) -> bool:
        return bool(self.coordinator_name.strip())

    @property
    def of_name(self) -> str:
        """How a sentence names the council's territory after its kind: « CLSPD de Montreval » (not « de Ville
        de Montreval »), « CLSPD d'Étampes », « CISPD de la communauté de communes du Val d'Yvette »."""
        return of_territory(self.name)

    @property
    def title(self) -> str:
        """'CLSPD de Ville de Montreval' style heading used on screens and PDFs."""
        return f"{self.kind.value} — {self.name}"
