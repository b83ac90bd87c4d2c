"""Every charter signature with who signed it: the rows of the charte déontologique's register."""

from __future__ import annotations

from clspd_desktop.db.database import Database
from clspd_desktop.db.rows import contact_from, dicts, signature_from
from clspd_desktop.domain.charter_register import RegisterLine


class CharterRegisterRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def lines(self) -> list[RegisterLine]:
        """All signatures, ended ones included (a register keeps its history)."""
        rows = dicts(self.db.execute(
            "SELECT s.id AS s_id, s.contact_id AS s_contact_id, s.charter_version, s.signed_on, s.ended_on, "
            "s.end_reason, s.notes AS s_notes, c.*, o.name AS org_name "
            "FROM charter_signature s JOIN contact c ON c.id = s.contact_id "
            "LEFT JOIN organisation o ON o.id = c.organisation_id"))
        return [
            RegisterLine(
                contact=contact_from(r),
                organisation_name=r["org_name"] or "",
                signature=signature_from({
                    "id": r["s_id"], "contact_id": r["s_contact_id"], "charter_version": r["charter_version"],
                    "signed_on": r["signed_on"], "ended_on": r["ended_on"], "end_reason": r["end_reason"],
                    "notes": r["s_notes"]}),
            )
            for r in rows
        ]
