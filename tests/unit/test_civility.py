"""Letters address each person as a protocol office would: the appellation proposed from the function and the
civility (and kept when typed), the closing formula for the rank, every word agreed, the name signed once."""

from __future__ import annotations

import json

import pytest

from clspd_desktop.domain.civility import (
    Addressee,
    civility_forms,
    civility_of_name,
    clean_signatory,
    load_forms,
    signatory_title,
)
from clspd_desktop.domain.directory import Civility
from clspd_desktop.paths import resources_dir

MR, MRS, NONE = Civility.MR, Civility.MRS, Civility.NONE


@pytest.mark.parametrize(("civility", "function", "appellation", "formula"), [
    (MR, "Préfet de l'Essonne", "Monsieur le Préfet", "ma haute considération"),
    (MRS, "Préfète de l'Essonne", "Madame la Préfète", "ma haute considération"),
    (MRS, "Sous-préfète de Palaiseau", "Madame la Sous-Préfète", "ma haute considération"),
    (MR, "Procureur de la République", "Monsieur le Procureur de la République", "ma haute considération"),
    (MRS, "Procureure de la République", "Madame la Procureure de la République", "ma haute considération"),
    (MRS, "Substitute du procureur", "Madame la Substitute", "ma considération distinguée"),
    (MRS, "Députée de la circonscription", "Madame la Députée", "ma haute considération"),
    (MR, "Sénateur de l'Essonne", "Monsieur le Sénateur", "ma haute considération"),
    (MRS, "Sénatrice de l'Essonne", "Madame la Sénatrice", "ma haute considération"),
    (MR, "Maire de Val-Sainte-Croix", "Monsieur le Maire", "ma considération distinguée"),
    (MRS, "Maire de Montreval, présidente du CLSPD", "Madame la Maire", "ma considération distinguée"),
    (MRS, "Adjointe au maire chargée de la jeunesse", "Madame l'Adjointe au Maire", "ma considération distinguée"),
    (MR, "Vice-président chargé de la prévention", "Monsieur le Vice-Président", "ma considération distinguée"),
    (MRS, "Présidente de la communauté de communes", "Madame la Présidente", "ma considération distinguée"),
    (MR, "Président du tribunal judiciaire", "Monsieur le Président", "ma haute considération"),
    (MRS, "Commissaire divisionnaire", "Madame la Commissaire", "ma considération distinguée"),
    (MR, "Colonel, commandant du groupement", "Monsieur le Colonel", "ma considération distinguée"),
    (MR, "Commandant, adjoint", "Monsieur le Commandant", "ma considération distinguée"),
    (MR, "Capitaine, commandant de compagnie", "Monsieur le Capitaine", "ma considération distinguée"),
    (MRS, "Directrice de cabinet du préfet", "Madame la Directrice", "ma considération distinguée"),
    (MR, "Directeur de service", "Monsieur le Directeur", "ma considération distinguée"),
    (MRS, "Principale du collège Marie-Curie", "Madame la Principale", "mes salutations distinguées"),
    (MR, "Proviseur du lycée", "Monsieur le Proviseur", "mes salutations distinguées"),
    (MRS, "Délégué du préfet", "Madame", "mes salutations distinguées"),  # « préfet » is not the first word
    (MR, "Éducateur référent", "Monsieur", "mes salutations distinguées"),
    (NONE, "Préfet de l'Essonne", "Madame, Monsieur", "ma haute considération"),
    (NONE, "", "Madame, Monsieur", "mes salutations distinguées"),
])
def test_each_form_of_the_table(civility, function, appellation, formula):
    forms = civility_forms()
    person = Addressee(civility, "", function)
    assert forms.proposed_appellation(civility, function) == appellation
    assert forms.salutation(person) == f"{appellation},"
    assert forms.closing(person) == f"Je vous prie d'agréer, {appellation}, l'expression de {formula}."


def test_a_typed_appellation_wins_over_the_proposed_one():
    person = Addressee(MR, "Monsieur le Préfet délégué", "Préfet délégué pour la défense")
    forms = civility_forms()
    assert forms.salutation(person) == "Monsieur le Préfet délégué,"
    assert forms.closing(person).endswith("Monsieur le Préfet délégué, l'expression de ma haute considération.")


@pytest.mark.parametrize(("word", "masculine", "feminine"), [
    ("present", "présent", "présente"), ("represented", "représenté", "représentée"),
    ("excused", "excusé", "excusée"), ("absent", "absent", "absente"), ("suppleant", "suppléant", "suppléante"),
    ("informe", "informé", "informée"), ("invite", "invité", "invitée"), ("arrive", "arrivé", "arrivée"),
    ("convoque", "convoqué", "convoquée"), ("president", "Président", "Présidente"),
    ("le_president", "Le Président", "La Présidente"), ("le_maire", "Le Maire", "La Maire"),
    ("titulaire", "titulaire", "titulaire"), ("maire", "Maire", "Maire"),
])
def test_each_agreement(word, masculine, feminine):
    forms = civility_forms()
    assert forms.agree(word, MR) == masculine
    assert forms.agree(word, MRS) == feminine
    assert forms.agree(word, NONE) == masculine  # never « (e) »


def test_the_table_is_dated_data_with_its_source():
    data = json.loads((resources_dir() / "rules" / "civilite.json").read_text(encoding="utf-8"))
    assert data["version_date"] and data["checked_on"] and "1998" in data["source"]
    forms = load_forms(resources_dir() / "rules" / "civilite.json")
    assert set(forms.closings) >= {rule["closing"] for rule in forms.functions}
    assert all({"M.", "Mme"} <= set(rule) for rule in forms.functions)
    assert "(e)" not in json.dumps(data, ensure_ascii=False)


def test_a_damaged_table_is_a_clear_error(tmp_path):
    from clspd_desktop.errors import UserError

    broken = tmp_path / "civilite.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(UserError, match="formules de politesse"):
        load_forms(broken)


def test_signatory_title_is_agreed_and_never_repeats_the_name():
    assert signatory_title("CLSPD", "Maire de Montreval", MRS) == "La Maire de Montreval, Présidente du CLSPD"
    assert signatory_title("CLSPD", "Maire de Montreval", MR) == "Le Maire de Montreval, Président du CLSPD"
    assert signatory_title("CLSPD", "", MRS) == "La Maire, Présidente du CLSPD"
    assert signatory_title("CISPD", "", MRS) == "La Présidente du CISPD"
    assert signatory_title("CISPD", "Président de la communauté de communes", MR) == \
        "Le Président de la communauté de communes, Président du CISPD"
    assert signatory_title("CISPD", "Adjoint délégué", MR).startswith("L'Adjoint délégué")
    # a title typed in the masculine for a woman chair is agreed too
    assert signatory_title("CISPD", "Président de la communauté d'agglomération", MRS) == \
        "La Présidente de la communauté d'agglomération, Présidente du CISPD"
    # what earlier versions saved for each meeting: the name printed twice and « président(e) »
    assert clean_signatory("Claire Dubreuil, Maire de Montreval, président(e) du CLSPD", "Claire Dubreuil", MRS) == \
        "La Maire de Montreval, présidente du CLSPD"
    assert clean_signatory("Pour le Maire, l'adjointe déléguée", "Claire Dubreuil", MRS) == \
        "Pour le Maire, l'adjointe déléguée"


def test_civility_read_from_a_printed_name():
    assert civility_of_name("Mme Claire Dubreuil") is MRS
    assert civility_of_name("M. Paul Durand") is MR
    assert civility_of_name("Martine Mme") is NONE and civility_of_name("") is NONE
