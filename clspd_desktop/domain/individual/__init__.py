"""Individual follow-up (issue 17): records, lists, retention and opt-in rules, without Qt or SQL.

The legal frame is the CNIL's délibération n° 2014-262 (« AU-038 »), read from `resources/rules/au038.json`
as dated data; the encrypted store lives in `db/individual_store.py`.
"""
