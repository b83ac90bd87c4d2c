"""Import of partners: good files in every encoding coordinators produce, and hostile files that must be
refused with a French message while the database stays exactly as it was."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from clspd_desktop.domain.directory import Civility, ContactRole, OrganisationCategory
from clspd_desktop.errors import UserError
from clspd_desktop.services.directory_import import (
    MAX_ROWS,
    DuplicateDecision,
    ImportField,
    LineStatus,
    apply_import,
    build_preview,
    guess_mapping,
    missing_message,
    read_table,
)
from tests.factories import add_contact, add_organisation

HEADER = ["Structure", "Catégorie", "Civilité", "Prénom", "Nom", "Fonction", "Courriel", "Tél.", "Rôle"]
ROWS = [
    ["Préfecture de l'Essonne", "Préfecture", "Mme", "Élodie", "Martin", "Sous-préfète",
     "e.martin@essonne.gouv.fr", "0160000000", "Titulaire"],
    ["Préfecture de l'Essonne", "Préfecture", "M.", "Benoît", "Lœuvre", "Chargé de mission", "", "", "Suppléant"],
    ["Bailleur Cœur d'Essonne Habitat", "Bailleurs sociaux", "Monsieur", "Jérôme", "Petit", "Gardien",
     "j.petit@coeur-habitat.fr", "06 12 34 56 78", "titulaire"],
]


def write_csv(path: Path, rows: list[list[str]], *, sep: str = ";", encoding: str = "utf-8",
              header: list[str] = HEADER) -> Path:
    text = "\r\n".join(sep.join(r) for r in [header, *rows]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def dump(store) -> tuple:
    """Everything an import may touch, to prove a refused import changed nothing."""
    orgs = [(o.id, o.name, o.category, o.email, o.phone) for o in store.directory.organisations()]
    contacts = [(i.contact.id, i.contact.last_name, i.contact.first_name, i.contact.email, i.contact.phone,
                 i.contact.function, i.contact.role) for i in store.directory.contacts()]
    return orgs, contacts


def preview_of(store, path: Path):
    table = read_table(path)
    return build_preview(store, table, guess_mapping(table.headers))


def import_file(store, path: Path, **kw):
    return apply_import(store, preview_of(store, path), **kw)


@pytest.mark.parametrize(("encoding", "sep", "label"), [
    ("utf-8", ";", "UTF-8"),
    ("utf-8-sig", ";", "UTF-8 avec BOM"),
    ("cp1252", ";", "Windows-1252 (ANSI)"),
    ("utf-8", ",", "UTF-8"),
    ("cp1252", "\t", "Windows-1252 (ANSI)"),
])
def test_good_csv_in_every_encoding_and_separator(store, tmp_path, encoding, sep, label):
    path = write_csv(tmp_path / "partenaires.csv", ROWS, sep=sep, encoding=encoding)
    table = read_table(path)
    assert (table.encoding, table.separator) == (label, sep)
    assert table.headers[0] == "Structure"  # no BOM left in the first header

    summary = import_file(store, path)

    assert (summary.organisations_created, summary.contacts_created) == (2, 3)
    by_name = {i.contact.last_name: i for i in store.directory.contacts()}
    assert set(by_name) == {"Martin", "Lœuvre", "Petit"}
    martin = by_name["Martin"]
    assert (martin.contact.first_name, martin.contact.civility, martin.contact.phone) == (
        "Élodie", Civility.MRS, "01 60 00 00 00")
    assert martin.organisation_name == "Préfecture de l'Essonne"
    assert martin.organisation_category is OrganisationCategory.PREFECTURE
    assert by_name["Lœuvre"].contact.role is ContactRole.SUBSTITUTE
    assert by_name["Petit"].organisation_name == "Bailleur Cœur d'Essonne Habitat"
    assert by_name["Petit"].contact.civility is Civility.MR


def test_xlsx_with_numbers_excel_stripped_of_their_leading_zero(store, tmp_path):
    header = ["Organisation", "Nom", "Prénom", "E-mail", "Téléphone", "Code postal", "Ville"]
    path = write_xlsx(tmp_path / "annuaire.xlsx", [
        ["Mairie de Montreval", "Perrot", "Julien", "j.perrot@montreval.fr", 160000000, 1000, "Montreval"],
        [None, None, None, None, None, None, None],  # blank line inside the sheet
        ["Collège Jean Moulin", "Nguyen", "Anh", None, "01 60 11 22 33", "91999", "Montreval"],
    ], header=header)
    table = read_table(path)
    assert table.kind == "xlsx" and table.line_numbers == [2, 4]

    import_file(store, path)

    items = {i.contact.last_name: i.contact for i in store.directory.contacts()}
    assert items["Perrot"].phone == "01 60 00 00 00"
    orgs = {o.name: o for o in store.directory.organisations()}
    assert orgs["Mairie de Montreval"].postal_code == "01000"


def test_mapping_recognises_french_and_english_headers(tmp_path):
    headers = ["Institution", "Titre de civilité", "First name", "Nom de famille", "E-mail", "Tel",
               "Titulaire / Suppléant", "Commentaire"]
    assert guess_mapping(headers) == [ImportField.ORG_NAME, ImportField.CIVILITY, ImportField.FIRST_NAME,
                                      ImportField.LAST_NAME, ImportField.EMAIL, ImportField.PHONE,
                                      ImportField.ROLE, None]
    assert guess_mapping(["Adresse de la structure", "Nom de l'établissement partenaire", "NOM"]) == [
        None, ImportField.ORG_NAME, ImportField.LAST_NAME]
    # the same field is never fed by two columns
    assert guess_mapping(["Nom", "Nom"]) == [ImportField.LAST_NAME, None]


def test_missing_required_columns_are_named_in_french(store, tmp_path):
    before = dump(store)
    path = write_csv(tmp_path / "sans_nom.csv", [["Mairie", "Jean"]], header=["Organisation", "Prénom"])
    table = read_table(path)
    message = missing_message(table, guess_mapping(table.headers))
    assert message.startswith("Colonne obligatoire introuvable : « Nom »")
    with pytest.raises(UserError, match="introuvable"):
        build_preview(store, table, guess_mapping(table.headers))
    assert dump(store) == before


def test_wrong_separator_everywhere_says_so(store, tmp_path):
    path = write_csv(tmp_path / "pipes.csv", [["Mairie", "Perrot"]], sep="|", header=["Organisation", "Nom"])
    table = read_table(path)
    message = missing_message(table, guess_mapping(table.headers))
    assert "Organisation" in message and "une seule colonne" in message


def test_data_lines_with_another_separator_than_the_header_are_errors(store, tmp_path):
    before = dump(store)
    path = tmp_path / "melange.csv"
    path.write_text("Organisation;Nom;Prénom\nMairie,Perrot,Julien\nMairie;Durand;Paul\n", encoding="utf-8")
    preview = preview_of(store, path)
    assert [line.status for line in preview.lines] == [LineStatus.ERROR, LineStatus.NEW]
    assert "une seule colonne au lieu de 3" in preview.lines[0].errors[0]
    with pytest.raises(UserError, match="Import refusé : 1 ligne"):
        apply_import(store, preview)
    assert dump(store) == before


@pytest.mark.parametrize(("content", "name", "expected"), [
    (b"", "vide.csv", "est vide"),
    (b"  \r\n\r\n", "blanc.csv", "est vide"),
    (b"Organisation;Nom\r\n", "entete.csv", "que la ligne d'en-têtes"),
    (b"\x00\x01\x02\x89PNG\x00\x00garbage" * 50, "image.csv", "n'est pas un tableau lisible"),
    (b"Organisation;Nom\nceci n'est pas un zip", "faux.xlsx", "n'est pas un classeur Excel valide"),
    (b"PK\x03\x04 tronque" * 10, "casse.xlsx", "n'est pas un classeur Excel lisible"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "ancien.xls", "Excel 97-2003"),
    (b"mairie@montreval.fr;Perrot\r\nx@y.fr;Durand\r\n", "sans_entete.csv", "contient des données"),
    (b";;;\r\nMairie;Perrot\r\n", "entete_vide.csv", "une seule ligne"),
    (b'Organisation;Nom\r\n"Mairie;Perrot\r\n', "guillemet.csv", None),
])
def test_hostile_files_are_refused_in_french_and_change_nothing(store, tmp_path, content, name, expected):
    add_contact(store, add_organisation(store))
    before = dump(store)
    path = tmp_path / name
    path.write_bytes(content)
    try:
        preview = preview_of(store, path)
    except UserError as err:
        assert expected and expected in err.message
    else:  # an unclosed quote swallows the rest of the file: the line is flagged, never imported silently
        assert expected is None
        assert preview.errors or not preview.has_work()
    assert dump(store) == before


def test_too_many_lines_are_refused(store, tmp_path):
    path = tmp_path / "enorme.csv"
    path.write_text("Organisation;Nom\n" + "Mairie;Perrot\n" * (MAX_ROWS + 5), encoding="utf-8")
    with pytest.raises(UserError, match="plus de 20000 lignes"):
        read_table(path)


def test_unreadable_file_gives_a_french_message(tmp_path):
    with pytest.raises(UserError, match="Impossible de lire"):
        read_table(tmp_path / "absent.csv")


def test_stray_byte_in_cp1252_file_flags_only_its_line(store, tmp_path):
    before = dump(store)
    path = tmp_path / "octet.csv"
    path.write_bytes("Organisation;Nom;Prénom\r\nMairie;Pérot;Jérôme\r\n".encode("cp1252")
                     + b"Mairie;Du\x81rand;Paul\r\n")
    preview = preview_of(store, path)
    assert preview.table.encoding == "Windows-1252 (ANSI)"
    assert preview.lines[0].contact.last_name == "Pérot"
    assert preview.lines[1].status is LineStatus.ERROR
    assert "caractère illisible" in preview.lines[1].errors[0]
    with pytest.raises(UserError):
        apply_import(store, preview)
    assert dump(store) == before
    summary = apply_import(store, preview, skip_errors=True)
    assert (summary.contacts_created, summary.error_lines_skipped) == (1, 1)
    assert "\ufffd" not in str(dump(store))


def test_utf8_file_with_one_cp1252_line_keeps_both_readable(store, tmp_path):
    path = tmp_path / "mixte.csv"
    path.write_bytes("Organisation;Nom\nMairie;Élodie\n".encode() + "Mairie;Cœur\n".encode("cp1252"))
    preview = preview_of(store, path)
    assert preview.table.encoding == "mixte UTF-8 / Windows-1252"
    assert [line.contact.last_name for line in preview.lines] == ["Élodie", "Cœur"]


def test_bad_email_is_reported_with_its_line_number_and_nothing_is_written(store, tmp_path):
    before = dump(store)
    rows = [*ROWS, ["Mairie", "", "", "Paul", "Durand", "", "x@", "", ""]]
    path = write_csv(tmp_path / "email.csv", rows)
    preview = preview_of(store, path)
    bad = preview.errors
    assert len(bad) == 1 and bad[0].number == 5
    assert bad[0].messages() == ["Ligne 5 : adresse e-mail invalide : « x@ »"]
    assert bad[0].status_label.startswith("Erreur : adresse e-mail invalide")
    assert not preview.is_importable(skip_errors=False) and preview.is_importable(skip_errors=True)
    with pytest.raises(UserError, match="Ligne 5 : adresse e-mail invalide"):
        apply_import(store, preview)
    assert dump(store) == before


def test_unknown_category_becomes_other_with_a_warning(store, tmp_path):
    path = write_csv(tmp_path / "cat.csv", [["Club de foot", "Sport", "", "", "Lopez", "", "", "", ""]])
    preview = preview_of(store, path)
    assert preview.lines[0].status is LineStatus.NEW
    assert preview.lines[0].warnings == ["catégorie « Sport » inconnue, classée dans « Autres organismes »"]
    apply_import(store, preview)
    assert store.directory.organisations()[0].category is OrganisationCategory.OTHER


def test_duplicates_in_base_and_in_file_can_be_skipped_or_merged(store, tmp_path):
    prefecture = add_organisation(store, name="PRÉFECTURE DE L'ESSONNE")
    add_contact(store, prefecture, last_name="Martin", first_name="Élodie", email="E.Martin@essonne.gouv.fr",
                function="")
    add_contact(store, prefecture, last_name="Lœuvre", first_name="Benoît", phone="01 60 00 00 01")
    rows = [*ROWS, ["Bailleur Cœur d'Essonne Habitat", "", "", "", "Autre", "", "j.petit@coeur-habitat.fr",
                    "", ""]]
    path = write_csv(tmp_path / "doublons.csv", rows)

    preview = preview_of(store, path)

    statuses = [line.status for line in preview.lines]
    assert statuses == [LineStatus.DUPLICATE, LineStatus.DUPLICATE, LineStatus.NEW, LineStatus.DUPLICATE]
    assert preview.lines[0].organisation_exists  # matched despite case and accents
    assert "déjà dans l'annuaire" in preview.lines[0].duplicate_reason
    assert preview.lines[3].duplicate_of_line == 4
    assert [line.status_label for line in preview.duplicates] == ["Doublon ignoré"] * 3

    before = dump(store)
    preview.lines[0].decision = DuplicateDecision.MERGE
    preview.lines[3].decision = DuplicateDecision.MERGE
    summary = apply_import(store, preview)

    assert (summary.organisations_created, summary.contacts_created, summary.contacts_merged,
            summary.duplicates_skipped) == (1, 1, 2, 1)
    contacts = {i.contact.email.lower(): i.contact for i in store.directory.contacts() if i.contact.email}
    martin = contacts["e.martin@essonne.gouv.fr"]
    assert (martin.function, martin.phone) == ("Sous-préfète", "01 60 00 00 00")  # filled from the file
    assert contacts["j.petit@coeur-habitat.fr"].last_name == "Autre"  # in-file duplicate merged into line 4
    assert store.directory.count_contacts() == len(before[1]) + 1
    loeuvre = next(i.contact for i in store.directory.contacts() if i.contact.last_name == "Lœuvre")
    assert loeuvre.phone == "01 60 00 00 01"  # skipped duplicate left untouched


def test_hostile_names_are_stored_faithfully(store, tmp_path):
    long_name = "Très-long " * 500
    rows = [
        ["R&D <Prévention> \"Sécurité\"", "", "", "Zoé 🙂", "O'Brien <b>", "", "", "", ""],
        ["Mairie", "", "", "", long_name.strip(), "", "", "", ""],
        ["=HYPERLINK(\"http://x\")", "", "", "", "'=1+1", "", "", "", ""],
    ]
    path = tmp_path / "hostile.csv"
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows([HEADER, *rows])
    summary = import_file(store, path)
    assert summary.contacts_created == 3
    names = {i.contact.last_name: i for i in store.directory.contacts()}
    assert names["O'Brien <b>"].contact.first_name == "Zoé 🙂"
    assert names["O'Brien <b>"].organisation_name == 'R&D <Prévention> "Sécurité"'
    assert long_name.strip() in names and len(long_name.strip()) == 4999
    assert "=1+1" in names  # our own anti-formula apostrophe is removed on the way back


def test_too_long_text_is_a_line_error(store, tmp_path):
    before = dump(store)
    path = write_csv(tmp_path / "long.csv", [["Mairie", "", "", "", "x" * 10_001, "", "", "", ""]])
    preview = preview_of(store, path)
    assert preview.errors[0].errors == ["texte trop long (10001 caractères, maximum 10000)"]
    with pytest.raises(UserError):
        apply_import(store, preview)
    assert dump(store) == before


def test_failure_in_the_middle_rolls_everything_back(store, tmp_path, monkeypatch):
    before = dump(store)
    path = write_csv(tmp_path / "ok.csv", ROWS)
    preview = preview_of(store, path)
    calls = []
    real = store.directory.save_contact

    def failing(contact):
        calls.append(contact)
        if len(calls) == 3:
            import sqlite3

            raise sqlite3.OperationalError("disk I/O error")
        return real(contact)

    monkeypatch.setattr(store.directory, "save_contact", failing)
    with pytest.raises(UserError, match="rien n'a été importé"):
        apply_import(store, preview)
    assert dump(store) == before


def test_organisation_only_lines_create_organisations_once(store, tmp_path):
    add_organisation(store, name="Mairie de Montreval")
    path = write_csv(tmp_path / "orgs.csv", [
        ["Mairie de Montreval", "", "", "", "", "", "", "", ""],
        ["Collège Jean Moulin", "Éducation nationale", "", "", "", "", "", "", ""],
        ["Collège Jean Moulin", "", "", "", "", "", "", "", ""],
    ])
    preview = preview_of(store, path)
    assert [line.status_label for line in preview.lines] == [
        "Organisation déjà présente", "Nouvelle organisation", "Nouvelle organisation"]
    assert preview.counts()["organisations"] == 1
    summary = apply_import(store, preview)
    assert summary.organisations_created == 1
    assert store.directory.count_organisations() == 2


def test_xlsx_zip_without_workbook_is_refused(store, tmp_path):
    path = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "bonjour")
    with pytest.raises(UserError, match="classeur Excel lisible"):
        read_table(path)


def test_excel_sep_hint_line_is_honoured(store, tmp_path):
    path = tmp_path / "sep.csv"
    path.write_text("sep=,\r\nOrganisation,Nom,Fonction\r\nMairie,Perrot,\"Adjoint; sécurité\"\r\n", encoding="utf-8")
    table = read_table(path)
    assert (table.separator, table.line_numbers) == (",", [3])
    preview = build_preview(store, table, guess_mapping(table.headers))
    assert preview.lines[0].contact.function == "Adjoint; sécurité"


def test_excel_unicode_text_export_is_read(store, tmp_path):
    path = write_csv(tmp_path / "unicode.txt", ROWS, sep="\t", encoding="utf-16")
    table = read_table(path)
    assert (table.encoding, table.separator) == ("UTF-16", "\t")
    assert build_preview(store, table, guess_mapping(table.headers)).lines[1].contact.last_name == "Lœuvre"


def mairie_workbook(path: Path) -> Path:
    """The usual exported directory: a merged title, a date line, a blank line, then the header on row 5."""
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "Annuaire des partenaires du CLSPD de Montreval"
    sheet.merge_cells("A1:I1")
    sheet["A2"] = "Mis à jour le 3 novembre 2026"
    sheet.merge_cells("A2:I2")
    sheet.append([])
    sheet.append([])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    sheet.append(["Gendarmerie de Val-Sainte-Croix", "Gendarmerie", "M.", "Paul", "Durand", "Capitaine",
                  "Paul.DURAND@Ville.FR", "", "Titulaire"])
    sheet.append(["Conseil départemental de l'Essonne", "Conseil départemental", "Mme", "Ada", "Roy", "", "", "", ""])
    sheet.append(["Ville de Montreval", "Commune", "Mme", "Claire", "Dubreuil", "Maire", "", "", ""])
    sheet.append(["Habitat 91", "Bailleur social", "M.", "Jean", "Lenoir", "", "", "", ""])
    sheet.append(["PM de Montreval", "Police municipale", "M.", "Luc", "Moreau", "", "", "", ""])
    sheet.append(["Collège Curie", "Éducation nationale", "Mme", "Inès", "Blanc", "Principale", "", "", ""])
    workbook.save(path)
    return path


def test_header_under_a_merged_title_is_found_and_another_line_can_be_chosen(store, tmp_path):
    table = read_table(mairie_workbook(tmp_path / "annuaire.xlsx"))
    assert table.headers == HEADER and table.header_line == 5 and table.header_position == 2
    assert table.line_numbers[0] == 6 and len(table.rows) == len(ROWS) + 6
    choices = table.header_choices()
    assert choices[0] == (0, "Ligne 1 : Annuaire des partenaires du CLSPD de Montreval")
    assert choices[2][1].startswith("Ligne 5 : Structure | Catégorie")
    other = table.with_header_at(0)  # the user may choose another line: the title becomes the only column
    assert other.headers == ["Annuaire des partenaires du CLSPD de Montreval"]
    assert missing_message(other, guess_mapping(other.headers))
    assert table.with_header_at(2).headers == HEADER


def test_a_csv_with_a_title_line_finds_its_header_and_separator(store, tmp_path):
    path = tmp_path / "annuaire.csv"
    path.write_text("Annuaire du CLSPD\r\n\r\n" + ";".join(HEADER) + "\r\n" + ";".join(ROWS[0]) + "\r\n",
                    encoding="utf-8")
    table = read_table(path)
    assert table.headers == HEADER and table.separator == ";" and table.header_line == 3


def test_usual_category_names_and_lower_case_emails(store, tmp_path):
    import_file(store, mairie_workbook(tmp_path / "annuaire.xlsx"))
    categories = {o.name: o.category for o in store.directory.organisations()}
    assert categories["Gendarmerie de Val-Sainte-Croix"] is OrganisationCategory.POLICE
    assert categories["Conseil départemental de l'Essonne"] is OrganisationCategory.DEPARTEMENT
    assert categories["Ville de Montreval"] is OrganisationCategory.ELECTED
    assert categories["Habitat 91"] is OrganisationCategory.SOCIAL_LANDLORD
    assert categories["PM de Montreval"] is OrganisationCategory.MUNICIPAL_POLICE
    assert categories["Collège Curie"] is OrganisationCategory.EDUCATION
    emails = {i.contact.last_name: i.contact.email for i in store.directory.contacts()}
    assert emails["Durand"] == "paul.durand@ville.fr"


@pytest.mark.parametrize(("label", "category"), [
    ("Bailleurs sociaux (HLM)", OrganisationCategory.SOCIAL_LANDLORD),
    ("Police municipale de Montreval", OrganisationCategory.MUNICIPAL_POLICE),
    ("Gendarmerie nationale", OrganisationCategory.POLICE), ("Commissariat", OrganisationCategory.POLICE),
    ("Mairie", OrganisationCategory.ELECTED), ("Communauté d'agglomération", OrganisationCategory.ELECTED),
    ("Parquet", OrganisationCategory.JUSTICE), ("PJJ", OrganisationCategory.JUSTICE),
    ("Sous-préfecture", OrganisationCategory.PREFECTURE), ("Député", OrganisationCategory.PARLIAMENT),
    ("CCAS", OrganisationCategory.DEPARTEMENT), ("Conseil général", OrganisationCategory.DEPARTEMENT),
    ("Lycée", OrganisationCategory.EDUCATION), ("SNCF", OrganisationCategory.TRANSPORT),
    ("Centre hospitalier", OrganisationCategory.HEALTH), ("Associations", OrganisationCategory.ASSOCIATION),
    ("social_landlord", OrganisationCategory.SOCIAL_LANDLORD),
    ("Préfecture (représentant de l'État)", OrganisationCategory.PREFECTURE), ("Cuisine", None),
])
def test_category_variants(label, category):
    from clspd_desktop.domain.directory import category_from_label

    assert category_from_label(label) is category
