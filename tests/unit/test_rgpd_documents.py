"""RGPD paperwork for the DPO: generated from the council and its settings, refused without a DPO."""

from __future__ import annotations

from datetime import date

import pytest

from clspd_desktop.domain.rgpd import DPO_CONTACT_KEY, DPO_NAME_KEY
from clspd_desktop.errors import UserError
from clspd_desktop.services.reports.rgpd_pdf import build_rgpd_pdf
from tests.factories import add_contact, add_organisation
from tests.pdf_text import text_of

TODAY = date(2026, 12, 4)


def test_without_a_dpo_nothing_is_written(configured_store, tmp_path):
    with pytest.raises(UserError, match="délégué à la protection des données"):
        build_rgpd_pdf("registre", configured_store, tmp_path / "r.pdf", tmp_path, today=TODAY)
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize(("kind", "expected"), [
    ("registre", ["Registre des activités de traitement", "Responsable du traitement",
                  "Ville de Montreval, représentée par le maire, Claire Dubreuil", "Finalités",
                  "Mission d'intérêt public", "Aucun."]),
    ("information", ["Information des partenaires", "Vos droits", "www.cnil.fr", "Mutualisation <DPO> & co"]),
    ("inventaire", ["Données personnelles conservées", "clspd.sqlite", "Référents", "Volumes au"]),
])
def test_each_document_carries_the_dpo_and_the_date(configured_store, tmp_path, kind, expected):
    store = configured_store
    store.settings.set(DPO_NAME_KEY, "Mutualisation <DPO> & co")
    store.settings.set(DPO_CONTACT_KEY, "dpo@agglo.fr")
    add_contact(store, add_organisation(store, "Préfecture"), "Durand")
    text = text_of(build_rgpd_pdf(kind, store, tmp_path / f"{kind}.pdf", tmp_path / "données", today=TODAY))
    for part in expected:
        assert part in text, part
    assert "Mutualisation <DPO> & co" in text
    assert "vendredi 4 décembre 2026" in text
