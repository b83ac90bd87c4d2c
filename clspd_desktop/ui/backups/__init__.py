"""The "Sauvegardes" area: snapshots, encrypted backups and restores, packs for the préfecture."""
