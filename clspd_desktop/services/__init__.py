"""Work that is neither screen nor SQL: reports, imports, backups, mail, calendar. No Qt here."""
