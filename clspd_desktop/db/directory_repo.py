"""Organisations and their referents, with accent-insensitive search."""

from __future__ import annotations

from datetime import date

from clspd_desktop.db.database import Database
from clspd_desktop.db.rows import category_or_other, contact_from, dicts, organisation_from
from clspd_desktop.domain.directory import Contact, ContactListItem, Organisation, OrganisationCategory
from clspd_desktop.domain.text import search_key

_ORG_COLUMNS = ("name", "category", "address", "postal_code", "city", "phone", "email", "notes")
_CONTACT_COLUMNS = ("organisation_id", "civility", "first_name", "last_name", "function", "email", "phone",
                    "role", "notes", "appellation")


def _like_terms(query: str) -> list[str]:
    """Every word typed must appear somewhere (in any order): 'elodie pref' finds Élodie at the Préfecture."""
    return [f"%{word.replace('%', '').replace('_', '')}%" for word in search_key(query).split()]


class DirectoryRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- organisations -------------------------------------------------------------------------------
    def save_organisation(self, org: Organisation) -> Organisation:
        values = {name: getattr(org, name) for name in _ORG_COLUMNS}
        values["category"] = org.category.value
        values["search_key"] = search_key(org.name, org.city, org.email, org.category.label)
        if org.id is None:
            cursor = self.db.execute(
                f"INSERT INTO organisation ({', '.join(values)}) VALUES ({', '.join(':' + k for k in values)})",
                values,
            )
            org.id = cursor.lastrowid
        else:
            sets = ", ".join(f"{k} = :{k}" for k in values)
            self.db.execute(
                f"UPDATE organisation SET {sets}, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE id = :id",
                {**values, "id": org.id},
            )
            # referents are found by their organisation's name too
            for contact in self.contacts_of(org.id):
                self._refresh_contact_key(contact, org)
        return org

    def get_organisation(self, org_id: int) -> Organisation | None:
        rows = dicts(self.db.execute("SELECT * FROM organisation WHERE id = ?", [org_id]))
        return organisation_from(rows[0]) if rows else None

    def delete_organisation(self, org_id: int) -> None:
        """Its referents, their memberships and signatures go too (foreign keys cascade); a plan action it
        leads stops it (RESTRICT): the operation refuses that first, in French."""
        self.db.execute("DELETE FROM organisation WHERE id = ?", [org_id])

    def organisations(
        self,
        query: str = "",
        category: OrganisationCategory | None = None,
        formation_id: int | None = None,
    ) -> list[Organisation]:
        where: list[str] = ["1 = 1"]
        params: list[object] = []
        for term in _like_terms(query):
            where.append("search_key LIKE ?")
            params.append(term)
        if category is not None:
            where.append("category = ?")
            params.append(category.value)
        if formation_id is not None:
            where.append("id IN (SELECT c.organisation_id FROM contact c JOIN membership m ON m.contact_id = c.id "
                         "WHERE m.formation_id = ?)")
            params.append(formation_id)
        rows = dicts(self.db.execute(
            f"SELECT * FROM organisation WHERE {' AND '.join(where)} ORDER BY search_key", params))
        return [organisation_from(r) for r in rows]

    def organisation_contact_counts(self) -> dict[int, int]:
        return dict(self.db.execute(
            "SELECT organisation_id, COUNT(*) FROM contact WHERE organisation_id IS NOT NULL GROUP BY organisation_id"
        ).fetchall())

    def count_organisations(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM organisation").fetchone()[0]

    # --- referents -----------------------------------------------------------------------------------
    def _contact_key(self, contact: Contact, org: Organisation | None) -> str:
        return search_key(contact.first_name, contact.last_name, contact.function, contact.email,
                          org.name if org else "")

    def _refresh_contact_key(self, contact: Contact, org: Organisation | None) -> None:
        self.db.execute("UPDATE contact SET search_key = ? WHERE id = ?", [self._contact_key(contact, org), contact.id])

    def save_contact(self, contact: Contact) -> Contact:
        org = self.get_organisation(contact.organisation_id) if contact.organisation_id else None
        values = {name: getattr(contact, name) for name in _CONTACT_COLUMNS}
        values["civility"] = contact.civility.value
        values["role"] = contact.role.value
        values["search_key"] = self._contact_key(contact, org)
        if contact.id is None:
            cursor = self.db.execute(
                f"INSERT INTO contact ({', '.join(values)}) VALUES ({', '.join(':' + k for k in values)})", values)
            contact.id = cursor.lastrowid
        else:
            sets = ", ".join(f"{k} = :{k}" for k in values)
            self.db.execute(
                f"UPDATE contact SET {sets}, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE id = :id",
                {**values, "id": contact.id},
            )
        return contact

    def get_contact(self, contact_id: int) -> Contact | None:
        rows = dicts(self.db.execute("SELECT * FROM contact WHERE id = ?", [contact_id]))
        return contact_from(rows[0]) if rows else None

    def delete_contact(self, contact_id: int) -> None:
        self.db.execute("DELETE FROM contact WHERE id = ?", [contact_id])

    def contacts_of(self, org_id: int) -> list[Contact]:
        rows = dicts(self.db.execute(
            "SELECT * FROM contact WHERE organisation_id = ? ORDER BY role, last_name, first_name", [org_id]))
        return [contact_from(r) for r in rows]

    def count_contacts(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM contact").fetchone()[0]

    @staticmethod
    def _contact_filter(query: str, category: OrganisationCategory | None, formation_id: int | None,
                        on_iso: str) -> tuple[str, list[object]]:
        """The WHERE clause shared by the full rows and the bare ids (`c` = contact, `o` = organisation)."""
        where: list[str] = ["1 = 1"]
        params: list[object] = []
        for term in _like_terms(query):
            where.append("c.search_key LIKE ?")
            params.append(term)
        if category is not None:
            where.append("o.category = ?")
            params.append(category.value)
        if formation_id is not None:
            where.append(
                "c.id IN (SELECT contact_id FROM membership WHERE formation_id = ? "
                "AND (end_date IS NULL OR end_date >= ?))")
            params.extend([formation_id, on_iso])
        return " AND ".join(where), params

    def contacts(
        self,
        query: str = "",
        category: OrganisationCategory | None = None,
        formation_id: int | None = None,
        on: date | None = None,
    ) -> list[ContactListItem]:
        """Referents matching every word of `query`, optionally in one category or member of one formation."""
        on_iso = (on or date.today()).isoformat()
        where, params = self._contact_filter(query, category, formation_id, on_iso)
        sql = (
            "SELECT c.*, o.name AS org_name, o.category AS org_category, "
            "EXISTS (SELECT 1 FROM charter_signature s WHERE s.contact_id = c.id AND s.signed_on <= ? "
            "        AND (s.ended_on IS NULL OR s.ended_on > ?)) AS signed "
            "FROM contact c LEFT JOIN organisation o ON o.id = c.organisation_id "
            f"WHERE {where} ORDER BY c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE"
        )
        rows = dicts(self.db.execute(sql, [on_iso, on_iso, *params]))
        return [
            ContactListItem(
                contact=contact_from(r), organisation_name=r["org_name"] or "",
                organisation_category=category_or_other(r["org_category"]) if r["org_category"] else None,
                has_valid_signature=bool(r["signed"]),
            )
            for r in rows
        ]

    def contact_ids(
        self,
        query: str = "",
        category: OrganisationCategory | None = None,
        formation_id: int | None = None,
        on: date | None = None,
    ) -> list[int]:
        """The ids `contacts()` would return: a list already read shows a search without mapping rows again."""
        where, params = self._contact_filter(query, category, formation_id, (on or date.today()).isoformat())
        return [row[0] for row in self.db.execute(
            "SELECT c.id FROM contact c LEFT JOIN organisation o ON o.id = c.organisation_id "
            f"WHERE {where} ORDER BY c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE", params)]

    # --- duplicates (used by the import) -------------------------------------------------------------
    def find_contact_duplicate(self, email: str, last_name: str, first_name: str, org_id: int | None) -> Contact | None:
        """Same e-mail, or same name in the same organisation."""
        if email.strip():
            rows = dicts(self.db.execute(
                "SELECT * FROM contact WHERE lower(email) = lower(?) LIMIT 1", [email.strip()]))
            if rows:
                return contact_from(rows[0])
        if org_id is not None:
            for row in dicts(self.db.execute("SELECT * FROM contact WHERE organisation_id = ?", [org_id])):
                if (search_key(row["last_name"]), search_key(row["first_name"])) == (
                        search_key(last_name), search_key(first_name)):
                    return contact_from(row)
        return None

    def find_organisation_by_name(self, name: str) -> Organisation | None:
        wanted = search_key(name)
        for row in dicts(self.db.execute("SELECT * FROM organisation")):
            if search_key(row["name"]) == wanted:
                return organisation_from(row)
        return None

    def organisation_name_index(self) -> dict[str, Organisation]:
        """Every organisation by its accent/case-insensitive name, read once (an import matches thousands
        of lines against it; `find_organisation_by_name` would rescan the table for each)."""
        index: dict[str, Organisation] = {}
        for row in dicts(self.db.execute("SELECT * FROM organisation ORDER BY id")):
            index.setdefault(search_key(row["name"]), organisation_from(row))
        return index
