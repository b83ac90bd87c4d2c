"""« Suivi individuel »: the encrypted records of individual follow-up (issue 17)."""
