"""Réunions: calendar and list, meeting editor, invitees, live attendance, minutes."""
