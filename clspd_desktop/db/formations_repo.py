"""Formations (plenary, restricted, working groups), their members, and charter signatures."""

from __future__ import annotations

from datetime import date

from clspd_desktop.db.database import Database
from clspd_desktop.db.rows import (
    category_or_other,
    contact_from,
    dicts,
    formation_from,
    membership_from,
    signature_from,
)
from clspd_desktop.domain.dates import iso
from clspd_desktop.domain.directory import (
    CharterSignature,
    Formation,
    FormationKind,
    MemberItem,
    Membership,
    UnsignedMember,
    precedence_key,
)

_VALID_SIGNATURE = (
    "EXISTS (SELECT 1 FROM charter_signature s WHERE s.contact_id = c.id AND s.signed_on <= :on "
    "AND (s.ended_on IS NULL OR s.ended_on > :on))"
)


_CURRENT_ON = "AND (m.start_date IS NULL OR m.start_date <= :on) AND (m.end_date IS NULL OR m.end_date >= :on)"

class FormationsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- formations ----------------------------------------------------------------------------------
    def formations(self) -> list[Formation]:
        rows = dicts(self.db.execute(
            "SELECT * FROM formation ORDER BY CASE kind WHEN 'plenary' THEN 0 WHEN 'restricted' THEN 1 ELSE 2 END, "
            "name COLLATE NOCASE"))
        return [formation_from(r) for r in rows]

    def get(self, formation_id: int) -> Formation | None:
        rows = dicts(self.db.execute("SELECT * FROM formation WHERE id = ?", [formation_id]))
        return formation_from(rows[0]) if rows else None

    def by_kind(self, kind: FormationKind) -> Formation:
        rows = dicts(self.db.execute("SELECT * FROM formation WHERE kind = ? ORDER BY id LIMIT 1", [kind.value]))
        return formation_from(rows[0])

    def save(self, formation: Formation) -> Formation:
        values = {
            "kind": formation.kind.value, "name": formation.name,
            "wg_type": formation.wg_type.value if formation.wg_type else None,
            "confidential": int(formation.confidential), "description": formation.description,
        }
        if formation.id is None:
            cursor = self.db.execute(
                "INSERT INTO formation (kind, name, wg_type, confidential, description) "
                "VALUES (:kind, :name, :wg_type, :confidential, :description)", values)
            formation.id = cursor.lastrowid
        else:
            self.db.execute(
                "UPDATE formation SET name = :name, wg_type = :wg_type, confidential = :confidential, "
                "description = :description WHERE id = :id", {**values, "id": formation.id})
        return formation

    def delete(self, formation_id: int) -> None:
        """Its memberships go too; the operation first refuses the plenary, the restricted formation and a
        group with meetings."""
        self.db.execute("DELETE FROM formation WHERE id = ?", [formation_id])

    def meeting_count(self, formation_id: int) -> int:
        return self.db.execute("SELECT COUNT(*) FROM meeting WHERE formation_id = ?", [formation_id]).fetchone()[0]

    # --- membership ----------------------------------------------------------------------------------
    def count_members(self, formation_id: int, on: date) -> int:
        """How many memberships are current on `on`: the pack and the reports only ask whether there are any."""
        return self.db.execute(
            f"SELECT COUNT(*) FROM membership m WHERE m.formation_id = :formation {_CURRENT_ON}",
            {"formation": formation_id, "on": on.isoformat()}).fetchone()[0]

    def members(self, formation_id: int, on: date | None = None, include_past: bool = False) -> list[MemberItem]:
        """Members in protocol order; by default only those whose membership is current on `on`."""
        on_iso = (on or date.today()).isoformat()
        period = "" if include_past else _CURRENT_ON
        rows = dicts(self.db.execute(
            "SELECT m.id AS m_id, m.formation_id, m.contact_id, m.category, m.start_date, m.end_date, c.*, "
            f"o.name AS org_name, o.category AS org_category, {_VALID_SIGNATURE} AS signed "
            "FROM membership m JOIN contact c ON c.id = m.contact_id "
            "LEFT JOIN organisation o ON o.id = c.organisation_id "
            f"WHERE m.formation_id = :formation {period}",
            {"formation": formation_id, "on": on_iso}))
        items = []
        for r in rows:
            membership = membership_from({**r, "id": r["m_id"]})
            items.append(MemberItem(
                membership=membership, contact=contact_from(r), organisation_name=r["org_name"] or "",
                organisation_category=category_or_other(r["org_category"]) if r["org_category"] else None,
                has_valid_signature=bool(r["signed"]),
            ))
        items.sort(key=lambda i: precedence_key(i.organisation_category, i.membership.category, i.contact.role,
                                                i.organisation_name, i.contact.last_name))
        return items

    def member_counts(self, on: date | None = None) -> dict[int, int]:
        """How many current members each formation has on `on` (what `len(members(id))` gives, in one query)."""
        return dict(self.db.execute(
            "SELECT formation_id, COUNT(*) FROM membership WHERE (start_date IS NULL OR start_date <= :on) "
            "AND (end_date IS NULL OR end_date >= :on) GROUP BY formation_id",
            {"on": (on or date.today()).isoformat()}).fetchall())

    def memberships_of(self, contact_id: int) -> list[Membership]:
        rows = dicts(self.db.execute("SELECT * FROM membership WHERE contact_id = ? ORDER BY formation_id", [contact_id]))
        return [membership_from(r) for r in rows]

    def save_membership(self, membership: Membership) -> Membership:
        values = {
            "formation_id": membership.formation_id, "contact_id": membership.contact_id,
            "category": membership.category.value, "start_date": iso(membership.start_date),
            "end_date": iso(membership.end_date),
        }
        if membership.id is None:
            cursor = self.db.execute(
                "INSERT INTO membership (formation_id, contact_id, category, start_date, end_date) "
                "VALUES (:formation_id, :contact_id, :category, :start_date, :end_date)", values)
            membership.id = cursor.lastrowid
        else:
            self.db.execute(
                "UPDATE membership SET formation_id = :formation_id, contact_id = :contact_id, category = :category, "
                "start_date = :start_date, end_date = :end_date WHERE id = :id", {**values, "id": membership.id})
        return membership

    def delete_membership(self, membership_id: int) -> None:
        self.db.execute("DELETE FROM membership WHERE id = ?", [membership_id])

    def is_member(self, formation_id: int, contact_id: int, on: date | None = None) -> bool:
        on_iso = (on or date.today()).isoformat()
        return self.db.execute(
            "SELECT 1 FROM membership WHERE formation_id = ? AND contact_id = ? "
            "AND (start_date IS NULL OR start_date <= ?) AND (end_date IS NULL OR end_date >= ?)",
            [formation_id, contact_id, on_iso, on_iso]).fetchone() is not None

    # --- charter -------------------------------------------------------------------------------------
    def signatures_of(self, contact_id: int) -> list[CharterSignature]:
        rows = dicts(self.db.execute(
            "SELECT * FROM charter_signature WHERE contact_id = ? ORDER BY signed_on DESC, id DESC", [contact_id]))
        return [signature_from(r) for r in rows]

    def save_signature(self, signature: CharterSignature) -> CharterSignature:
        values = {
            "contact_id": signature.contact_id, "charter_version": signature.charter_version.strip(),
            "signed_on": signature.signed_on.isoformat(), "ended_on": iso(signature.ended_on),
            "end_reason": signature.end_reason.value if signature.end_reason else None, "notes": signature.notes,
        }
        if signature.id is None:
            cursor = self.db.execute(
                "INSERT INTO charter_signature (contact_id, charter_version, signed_on, ended_on, end_reason, notes) "
                "VALUES (:contact_id, :charter_version, :signed_on, :ended_on, :end_reason, :notes)", values)
            signature.id = cursor.lastrowid
        else:
            self.db.execute(
                "UPDATE charter_signature SET charter_version = :charter_version, signed_on = :signed_on, "
                "ended_on = :ended_on, end_reason = :end_reason, notes = :notes WHERE id = :id",
                {**values, "id": signature.id})
        return signature

    def delete_signature(self, signature_id: int) -> None:
        self.db.execute("DELETE FROM charter_signature WHERE id = ?", [signature_id])

    def has_valid_signature(self, contact_id: int, on: date | None = None) -> bool:
        on_iso = (on or date.today()).isoformat()
        return self.db.execute(
            "SELECT 1 FROM charter_signature WHERE contact_id = ? AND signed_on <= ? "
            "AND (ended_on IS NULL OR ended_on > ?)", [contact_id, on_iso, on_iso]).fetchone() is not None

    def count_valid_signatories(self, on: date | None = None) -> int:
        on_iso = (on or date.today()).isoformat()
        return self.db.execute(
            "SELECT COUNT(DISTINCT contact_id) FROM charter_signature WHERE signed_on <= ? "
            "AND (ended_on IS NULL OR ended_on > ?)", [on_iso, on_iso]).fetchone()[0]

    def unsigned_confidential_members(self, on: date | None = None) -> list[UnsignedMember]:
        """Current members of confidential groups with no valid signature: they must not attend."""
        on_iso = (on or date.today()).isoformat()
        rows = dicts(self.db.execute(
            "SELECT c.*, o.name AS org_name, f.id AS f_id, f.kind AS f_kind, f.name AS f_name, "
            "f.wg_type AS f_wg_type, f.confidential AS f_confidential, f.description AS f_description "
            "FROM membership m JOIN formation f ON f.id = m.formation_id JOIN contact c ON c.id = m.contact_id "
            "LEFT JOIN organisation o ON o.id = c.organisation_id "
            "WHERE f.confidential = 1 AND (m.start_date IS NULL OR m.start_date <= :on) "
            "AND (m.end_date IS NULL OR m.end_date >= :on) "
            f"AND NOT {_VALID_SIGNATURE} ORDER BY f.name, c.last_name, c.first_name",
            {"on": on_iso}))
        return [
            UnsignedMember(
                contact=contact_from(r), organisation_name=r["org_name"] or "",
                formation=formation_from({
                    "id": r["f_id"], "kind": r["f_kind"], "name": r["f_name"], "wg_type": r["f_wg_type"],
                    "confidential": r["f_confidential"], "description": r["f_description"]}),
            )
            for r in rows
        ]
