"""Conversions between SQLite rows and domain objects, shared by the repositories."""

from __future__ import annotations

from datetime import date
from typing import Any

from clspd_desktop.domain.directory import (
    CharterEndReason,
    CharterSignature,
    Civility,
    Contact,
    ContactRole,
    Formation,
    FormationKind,
    Membership,
    MembershipCategory,
    Organisation,
    OrganisationCategory,
    WorkingGroupType,
)


def as_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def category_or_other(value: str | None) -> OrganisationCategory:
    if value is None:
        return OrganisationCategory.OTHER
    try:
        return OrganisationCategory(value)
    except ValueError:
        return OrganisationCategory.OTHER


def organisation_from(row: dict[str, Any], prefix: str = "") -> Organisation:
    return Organisation(
        id=row[f"{prefix}id"], name=row[f"{prefix}name"], category=category_or_other(row[f"{prefix}category"]),
        address=row[f"{prefix}address"], postal_code=row[f"{prefix}postal_code"], city=row[f"{prefix}city"],
        phone=row[f"{prefix}phone"], email=row[f"{prefix}email"], notes=row[f"{prefix}notes"],
    )


def contact_from(row: dict[str, Any]) -> Contact:
    return Contact(
        id=row["id"], organisation_id=row["organisation_id"], civility=Civility(row["civility"]),
        first_name=row["first_name"], last_name=row["last_name"], function=row["function"],
        email=row["email"], phone=row["phone"], role=ContactRole(row["role"]), notes=row["notes"],
        appellation=row.get("appellation", ""),
    )


def formation_from(row: dict[str, Any]) -> Formation:
    return Formation(
        id=row["id"], kind=FormationKind(row["kind"]), name=row["name"],
        wg_type=WorkingGroupType(row["wg_type"]) if row["wg_type"] else None,
        confidential=bool(row["confidential"]), description=row["description"],
    )


def membership_from(row: dict[str, Any]) -> Membership:
    return Membership(
        id=row["id"], formation_id=row["formation_id"], contact_id=row["contact_id"],
        category=MembershipCategory(row["category"]), start_date=as_date(row["start_date"]),
        end_date=as_date(row["end_date"]),
    )


def signature_from(row: dict[str, Any]) -> CharterSignature:
    return CharterSignature(
        id=row["id"], contact_id=row["contact_id"], charter_version=row["charter_version"],
        signed_on=date.fromisoformat(row["signed_on"]), ended_on=as_date(row["ended_on"]),
        end_reason=CharterEndReason(row["end_reason"]) if row["end_reason"] else None, notes=row["notes"],
    )


def dicts(cursor) -> list[dict[str, Any]]:
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
