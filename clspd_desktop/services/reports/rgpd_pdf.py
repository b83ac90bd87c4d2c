"""The RGPD paperwork the commune's DPO asks for, generated from the council's settings and data: the
record of processing activities (art. 30), the notice for partners (art. 13), the list of what is stored
where. Each carries the DPO's name and its date; the DPO validates them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.platypus import Flowable, Spacer

from clspd_desktop.db.store import Store
from clspd_desktop.domain.council import Council, CouncilKind
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.individual.paperwork import SETUP_KEY
from clspd_desktop.domain.rgpd import (
    CATEGORIES,
    DPO_CONTACT_KEY,
    DPO_NAME_KEY,
    LEGAL_BASIS,
    PURPOSES,
    RECIPIENTS,
    RETENTION,
    RIGHTS,
    SECURITY,
    stored_data,
)
from clspd_desktop.errors import UserError
from clspd_desktop.services.pdf import build_pdf, data_table, labelled, para, styles
from clspd_desktop.services.reports.common import require_council

REGISTER_TITLE = "Registre des activités de traitement — fiche du conseil"
NOTICE_TITLE = "Information des partenaires sur leurs données personnelles"
INVENTORY_TITLE = "Données personnelles conservées par le logiciel du conseil"


def _controller(council: Council) -> str:
    head = "le maire" if council.kind is CouncilKind.CLSPD else "le président de l'établissement public"
    name = f", {council.chair_name}" if council.chair_name else ""
    return f"{council.name}, représentée par {head}{name}"


def _dpo(store: Store) -> tuple[str, str]:
    name = store.settings.get(DPO_NAME_KEY).strip()
    if not name:
        raise UserError("Indiquez d'abord le délégué à la protection des données de la collectivité "
                        "(rubrique Conseil, « Délégué à la protection des données ») : son nom figure sur "
                        "chaque document. Aucun document n'a été créé.")
    return name, store.settings.get(DPO_CONTACT_KEY).strip()


def _bullets(items: tuple[str, ...]) -> list[Flowable]:
    st = styles()
    return [para(f"• {item}", st.body) for item in items]


def _section(title: str, body: list[Flowable]) -> list[Flowable]:
    return [Spacer(1, 6), para(title, styles().heading), *body]


def _validation(dpo: str, today: date) -> list[Flowable]:
    st = styles()
    return [Spacer(1, 10), para(f"Document établi le {long_date(today)}, à faire valider par le délégué à la "
                                f"protection des données : {dpo}.", st.note)]


def register_story(store: Store, council: Council, today: date) -> list[Flowable]:
    dpo, contact = _dpo(store)
    st = styles()
    story: list[Flowable] = [
        labelled("Responsable du traitement", _controller(council)),
        labelled("Délégué à la protection des données", f"{dpo} {contact}".strip()),
        labelled("Service chargé de la mise en œuvre",
                 f"Coordination du {council.kind.value}"
                 + (f" ({council.coordinator_name})" if council.coordinator_name else "")),
        labelled("Base légale", LEGAL_BASIS),
    ]
    story += _section("Finalités", _bullets(PURPOSES))
    story += _section("Catégories de données", _bullets(CATEGORIES))
    story += _section("Personnes concernées", [para(
        "Les référents des organisations partenaires du conseil et les personnes invitées à ses réunions.",
        st.body)])
    story += _section("Destinataires", _bullets(RECIPIENTS))
    story += _section("Durées de conservation", [para(RETENTION, st.body)])
    story += _section("Transferts hors de l'Union européenne", [para("Aucun.", st.body)])
    story += _section("Mesures de sécurité", [para(SECURITY, st.body)])
    return story + _validation(dpo, today)


def notice_story(store: Store, council: Council, today: date) -> list[Flowable]:
    dpo, contact = _dpo(store)
    st = styles()
    story: list[Flowable] = [para(
        f"Cette notice s'adresse aux référents que les organisations partenaires désignent auprès du "
        f"{council.kind.long_name.lower()} ({council.kind.value}) de {council.name}. Leurs données sont "
        f"traitées par {_controller(council)}.",
        st.body)]
    story += _section("Pourquoi", _bullets(PURPOSES))
    story += _section("Sur quelle base", [para(LEGAL_BASIS, st.body)])
    story += _section("Quelles données", _bullets(CATEGORIES))
    story += _section("Qui les reçoit", _bullets(RECIPIENTS))
    story += _section("Combien de temps", [para(RETENTION, st.body)])
    story += _section("Vos droits", [para(RIGHTS, st.body), para(
        f"Délégué à la protection des données : {dpo}{' — ' + contact if contact else ''}.", st.body)])
    return story + _validation(dpo, today)


def inventory_story(store: Store, council: Council, today: date, data_folder: str) -> list[Flowable]:
    dpo, _ = _dpo(store)
    counts = [
        ("Organisations partenaires", store.directory.count_organisations()),
        ("Référents", store.directory.count_contacts()),
        ("Signataires de la charte en vigueur", store.formations.count_valid_signatories(today)),
    ]
    story: list[Flowable] = [data_table(["Ce qui est conservé", "Personnes", "Où", "Durée"], [
        [d.what, d.people, d.where, d.kept]
        for d in stored_data(data_folder, individual=bool(store.settings.get(SETUP_KEY)))], ["28%", "17%", "33%", "22%"])]
    story += _section(f"Volumes au {long_date(today)}", [
        data_table(["", "Nombre"], [[label, str(value)] for label, value in counts], ["70%", "30%"])])
    return story + _validation(dpo, today)


def build_rgpd_pdf(kind: str, store: Store, path: Path, data_folder: Path, today: date | None = None) -> Path:
    """`kind`: "registre", "information" or "inventaire"."""
    today = today or date.today()
    council = require_council(store)
    if kind == "registre":
        title, story = REGISTER_TITLE, register_story(store, council, today)
    elif kind == "information":
        title, story = NOTICE_TITLE, notice_story(store, council, today)
    elif kind == "inventaire":
        title, story = INVENTORY_TITLE, inventory_story(store, council, today, str(data_folder))
    else:
        raise ValueError(kind)
    return build_pdf(path, council, title, story, today=today, subject=f"{title} — {council.kind.value}")
