"""French text, dates, validation and the legal obligations computed from the dated rules file."""

from __future__ import annotations

import json
from datetime import date

import pytest

from clspd_desktop.domain.council import Commune, CouncilKind
from clspd_desktop.domain.dates import long_date, parse_date
from clspd_desktop.domain.directory import Contact, Formation, FormationKind, Organisation, WorkingGroupType
from clspd_desktop.domain.legal_rules import ObligationStatus, evaluate, load_rules
from clspd_desktop.domain.text import NNBSP, file_size, format_number, search_key
from clspd_desktop.domain.validation import (
    normalize_phone,
    validate_contact,
    validate_council,
    validate_formation,
    validate_organisation,
)
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.paths import resources_dir
from tests.factories import make_council

RULES = load_rules(resources_dir() / "rules" / "obligations.json")


def test_search_key_ignores_accents_case_and_ligatures():
    assert search_key("Élodie") == "elodie"
    assert search_key("PRÉFECTURE de l'Essonne") == "prefecture de l'essonne"
    assert search_key("Cœur", "  Gaëlle ") == "coeur gaelle"


def test_dates_are_written_the_french_way():
    assert long_date(date(2023, 3, 17)) == "vendredi 17 mars 2023"
    assert long_date(date(2026, 8, 1)) == "samedi 1er août 2026"
    assert parse_date("17/03/2023") == date(2023, 3, 17)
    assert parse_date("2023-03-17") == date(2023, 3, 17)
    assert parse_date("  ") is None
    with pytest.raises(ValueError, match="JJ/MM/AAAA"):
        parse_date("32/13/2023")


@pytest.mark.parametrize("raw, expected", [
    ("0160000000", "01 60 00 00 00"), ("+33 1 60 00 00 00", "01 60 00 00 00"),
    ("0033 6 12 34 56 78", "06 12 34 56 78"), ("01.60.00.00.00", "01 60 00 00 00"),
    ("+32 2 123 45 67", "+3221234567"), ("", ""),
])
def test_phone_numbers_are_normalised(raw, expected):
    assert normalize_phone(raw) == expected


def test_bad_phone_and_email_give_french_messages_for_every_field():
    with pytest.raises(ValidationError) as err:
        validate_contact(Contact(last_name=" ", email="pas-un-mail@", phone="12"))
    assert set(err.value.fields) == {"last_name", "email", "phone"}
    assert "obligatoire" in err.value.fields["last_name"]
    assert "e-mail invalide" in err.value.fields["email"]


def test_hostile_names_are_kept_verbatim():
    name = "Association <Jeunes> & \"Quartiers\" 🚀 " + "x" * 5000
    assert validate_organisation(Organisation(name=name)).name == name.strip()


def test_individual_situations_group_must_be_confidential():
    with pytest.raises(ValidationError) as err:
        validate_formation(Formation(FormationKind.WORKING_GROUP, "Cellule", WorkingGroupType.INDIVIDUAL_SITUATIONS))
    assert "confidentiel" in err.value.fields["confidential"]


def test_clspd_cannot_have_two_communes():
    council = make_council(communes=[Commune("A", 100), Commune("B", 200)])
    with pytest.raises(ValidationError, match="CISPD"):
        validate_council(council)


def _status(council, rule_id):
    return next(o for o in evaluate(council, RULES) if o.rule_id == rule_id)


def test_obligations_follow_the_thresholds_of_the_rules_file():
    big = make_council(communes=[Commune("Montreval", 28_400, has_qpv=False)], coordinator_name="")
    assert _status(big, "clspd_required").status is ObligationStatus.MET
    assert _status(big, "coordinator_required").status is ObligationStatus.MISSING
    small_qpv = make_council(communes=[Commune("Petitbourg", 3_200, has_qpv=True)])
    assert _status(small_qpv, "clspd_required").status is ObligationStatus.MET
    assert "QPV" in _status(small_qpv, "clspd_required").explanation
    assert _status(small_qpv, "coordinator_required").status is ObligationStatus.NOT_REQUIRED
    tiny = make_council(communes=[Commune("Hameau", 800)])
    assert _status(tiny, "clspd_required").status is ObligationStatus.NOT_REQUIRED
    for obligation in evaluate(big, RULES):
        assert obligation.source and obligation.effective_from


def test_cispd_lists_member_communes_that_would_be_obliged():
    council = make_council(kind=CouncilKind.CISPD, name="CC du Val", communes=[
        Commune("Grandville", 12_000), Commune("Petitbourg", 900, has_qpv=True), Commune("Hameau", 300)])
    text = _status(council, "clspd_required").explanation
    assert "Grandville" in text and "Petitbourg" in text and "Hameau" not in text


def test_a_new_threshold_in_the_data_file_changes_the_result(tmp_path):
    data = json.loads((resources_dir() / "rules" / "obligations.json").read_text(encoding="utf-8"))
    for rule in data["rules"]:
        if rule["id"] == "clspd_required":
            rule["population_threshold"] = 30_000
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    council = make_council(communes=[Commune("Montreval", 28_400)])
    assert _status(council, "clspd_required").status is ObligationStatus.MET
    assert evaluate(council, load_rules(path))[0].status is ObligationStatus.NOT_REQUIRED


def test_damaged_rules_file_is_a_clear_error(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text("{ pas du json", encoding="utf-8")
    with pytest.raises(UserError, match="règles légales"):
        load_rules(path)


def test_rules_caption_shows_the_date_of_the_texts():
    assert "samedi 23 mars 2024" in RULES.dated_caption


def test_file_sizes_read_as_in_the_french_explorer():
    assert file_size(0) == "1 ko"  # never « 0 ko » for a file that exists
    assert file_size(820 * 1024) == "820 ko"
    assert file_size(int(6.2 * 1024 * 1024)) == "6,2 Mo"


def test_numbers_have_french_thousands_and_decimals():
    assert format_number(28437) == f"28{NNBSP}437"
    assert format_number(1234567.5) == f"1{NNBSP}234{NNBSP}567,5"
    assert (format_number(12.25), format_number(100), format_number(0), format_number(None)) == ("12,25", "100", "0", "")


def test_every_rule_has_source_dates_and_no_doubt_shown():
    for rule in RULES.rules.values():
        assert rule["source"] and date.fromisoformat(rule["effective_from"]) and date.fromisoformat(rule["checked_on"])
        shown = " ".join(str(rule.get(key, "")) for key in ("title", "title_cispd", "text", "text_cispd", "source",
                                                             "history"))
        assert "vérifier" not in shown and "(s)" not in shown
    assert "vérifier" not in RULES.note


def test_composition_follows_the_2024_law():
    rule = RULES.rules["composition"]
    assert rule["effective_from"] == "2024-03-23" and "2024-247" in rule["source"]
    assert "L132-4" in rule["source"] and "L132-13" in rule["source"]
    assert "conseil départemental n'est plus membre de droit" in rule["text"]
    assert "744" in rule["history"]  # the Sénat bill: shown, not assumed to be law


def test_an_intercommunal_council_reads_cispd_wording():
    from clspd_desktop.domain.council import Commune, Council, CouncilKind

    cispd = Council(kind=CouncilKind.CISPD, name="CC du Val", communes=[Commune("A", 9000), Commune("B", 8000)])
    shown = {o.rule_id: o for o in evaluate(cispd, RULES)}
    assert shown["composition"].title == "Composition fixée par arrêté du président de l'EPCI"
    assert "maires des communes membres" in shown["composition"].explanation
    assert shown["clspd_required"].title == "Création d'un CISPD et CLSPD des communes membres"
    assert shown["coordinator_required"].title == "Coordonnateur désigné par le président de l'EPCI"
    texts = " ".join(o.title + o.explanation for o in shown.values())
    assert "arrêté du maire" not in texts and "Création d'un CLSPD obligatoire" not in texts
    clspd = {o.rule_id: o for o in evaluate(Council(kind=CouncilKind.CLSPD, name="V", communes=[Commune("V", 9000)]),
                                            RULES)}
    assert clspd["composition"].title == "Composition fixée par arrêté du maire"
    assert clspd["composition"].checked_on == "2026-12-04"


def test_a_more_recent_rules_file_in_the_data_folder_is_used(tmp_path):
    import json

    from clspd_desktop.domain.legal_rules import load_current_rules

    shipped = resources_dir() / "rules" / "obligations.json"
    assert load_current_rules(shipped, tmp_path) == RULES
    data = json.loads(shipped.read_text(encoding="utf-8"))
    data["version_date"], data["checked_on"] = "2027-01-01", "2027-01-02"
    (tmp_path / "obligations.json").write_text(json.dumps(data), encoding="utf-8")
    assert load_current_rules(shipped, tmp_path).version_date == date(2027, 1, 1)
    data["version_date"] = "2020-01-01"  # older than the shipped one: ignored
    (tmp_path / "obligations.json").write_text(json.dumps(data), encoding="utf-8")
    assert load_current_rules(shipped, tmp_path).version_date == RULES.version_date
