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
    def title(self) -> str:
        """'CLSPD de Ville de Montreval' style heading used on screens and PDFs."""
        return f"{self.kind.value} — {self.name}"
