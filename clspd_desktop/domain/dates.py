"""French date formatting without relying on the OS locale (absent or English on many PCs)."""

from __future__ import annotations

from datetime import date, datetime

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)


def long_date(value: date) -> str:
    """'vendredi 17 mars 2023' (and '1er' for the first day of the month)."""
    return f"{WEEKDAYS[value.weekday()]} {legal_date(value)}"


def legal_date(value: date) -> str:
    """'17 mars 2023', '1er avril 2024': how an arrêté or a law is dated (no weekday)."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def short_date(value: date | None) -> str:
    """'17/03/2023', the form French users type and read in tables."""
    return value.strftime("%d/%m/%Y") if value else ""


def time_fr(value: datetime) -> str:
    """'14 h 00' as written in French letters."""
    return f"{value.hour} h {value.minute:02d}"


def parse_date(text: str | None) -> date | None:
    """Accept ISO (2023-03-17) and French (17/03/2023, 17-03-2023, 17.03.2023) dates; None when empty."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"Date non reconnue : « {text} » (attendu : JJ/MM/AAAA).")


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
