"""The council (a single row), its member communes, and key/value settings."""

from __future__ import annotations

from clspd_desktop.db.database import Database
from clspd_desktop.db.rows import dicts
from clspd_desktop.domain.council import Commune, Council, CouncilKind

_COUNCIL_FIELDS = (
    "kind", "name", "address", "postal_code", "city", "phone", "email", "chair_name", "chair_title",
    "coordinator_name", "coordinator_function", "coordinator_email", "coordinator_phone",
    "composition_order_number", "composition_order_date", "rules_adopted_on", "charter_version",
    "prefecture_email", "logo",
)


class CouncilRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self) -> Council | None:
        rows = dicts(self.db.execute("SELECT * FROM council WHERE id = 1"))
        if not rows:
            return None
        row = rows[0]
        values = {name: row[name] for name in _COUNCIL_FIELDS}
        values["kind"] = CouncilKind(values["kind"])
        council = Council(**values)
        council.communes = self.communes()
        return council

    def communes(self) -> list[Commune]:
        return [
            Commune(id=r["id"], name=r["name"], insee_code=r["insee_code"], population=r["population"],
                    has_qpv=bool(r["has_qpv"]), qpv_names=r["qpv_names"])
            for r in dicts(self.db.execute("SELECT * FROM commune ORDER BY position, id"))
        ]

    def save(self, council: Council) -> None:
        """Write the council and replace its communes in one transaction."""
        values = {name: getattr(council, name) for name in _COUNCIL_FIELDS}
        values["kind"] = council.kind.value
        columns = ", ".join(values)
        placeholders = ", ".join(f":{name}" for name in values)
        updates = ", ".join(f"{name} = excluded.{name}" for name in values)
        with self.db.atomic():
            self.db.execute(
                f"INSERT INTO council (id, {columns}) VALUES (1, {placeholders}) "
                f"ON CONFLICT(id) DO UPDATE SET {updates}, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now')",
                values,
            )
            kept_ids = [c.id for c in council.communes if c.id is not None]
            if kept_ids:
                self.db.execute(f"DELETE FROM commune WHERE id NOT IN ({', '.join('?' * len(kept_ids))})", kept_ids)
            else:  # `id NOT IN (NULL)` is never true: it would keep every old commune
                self.db.execute("DELETE FROM commune")
            for position, commune in enumerate(council.communes):
                params = [commune.name, commune.insee_code, commune.population, int(commune.has_qpv),
                          commune.qpv_names, position]
                if commune.id is None:
                    cursor = self.db.execute(
                        "INSERT INTO commune (name, insee_code, population, has_qpv, qpv_names, position) "
                        "VALUES (?, ?, ?, ?, ?, ?)", params)
                    commune.id = cursor.lastrowid
                else:
                    self.db.execute(
                        "UPDATE commune SET name = ?, insee_code = ?, population = ?, has_qpv = ?, "
                        "qpv_names = ?, position = ? WHERE id = ?", [*params, commune.id])

    def is_configured(self) -> bool:
        return self.db.execute("SELECT COUNT(*) FROM council").fetchone()[0] > 0


class SettingsRepository:
    """Small typed-at-the-edge key/value store for preferences kept with the data (not per machine)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def get_int(self, key: str, default: int) -> int:
        try:
            return int(self.get(key, str(default)))
        except ValueError:
            return default

    def set(self, key: str, value: str | int) -> None:
        self.db.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, str(value)],
        )
