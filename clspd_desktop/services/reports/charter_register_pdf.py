"""The register of the charte déontologique as a PDF, to keep with the charter or give to the procureur."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.platypus import Flowable, Spacer

from clspd_desktop.db.store import Store
from clspd_desktop.domain.charter_register import counts, register_order, unsigned_first
from clspd_desktop.domain.dates import long_date, short_date
from clspd_desktop.services.pdf import build_pdf, data_table, para, styles
from clspd_desktop.services.reports.common import plural, require_council

TITLE = "Registre de la charte déontologique"
UNSIGNED_HEADER = ["Membre", "Organisation", "Groupes confidentiels"]
HEADER = ["Signataire", "Organisation", "Version de la charte", "Signée le", "Situation"]
WIDTHS = ["24%", "24%", "22%", "12%", "18%"]


def build_charter_register_story(store: Store, today: date) -> tuple[list[Flowable], str]:
    """The flowables and the subtitle; members of confidential groups without a valid signature first."""
    st = styles()
    lines = register_order(store.charter_register.lines())
    unsigned = unsigned_first(store.formations.unsigned_confidential_members(today))
    in_force, ended = counts(lines, today)
    story: list[Flowable] = [para(
        "Les membres des groupes de travail confidentiels (article L132-5 du code de la sécurité intérieure) "
        "signent la charte déontologique avant de siéger. Ce registre indique, pour chaque signature, la "
        "version signée, sa date et, le cas échéant, la date et le motif de sa fin (retrait ou exclusion). "
        f"Situation au {long_date(today)}.", st.body), Spacer(1, 8)]
    if unsigned:
        story.append(para("Membres de groupes confidentiels sans signature valable", st.heading))
        story.append(para("Ils ne peuvent pas siéger tant qu'ils n'ont pas signé la charte.", st.note))
        story.append(data_table(UNSIGNED_HEADER, [
            [u.contact.full_name, u.organisation_name, ", ".join(u.groups)] for u in unsigned],
            ["30%", "35%", "35%"]))
        story.append(Spacer(1, 10))
    story.append(para("Signatures", st.heading))
    if lines:
        story.append(data_table(HEADER, [
            [line.contact.full_name, line.organisation_name, line.signature.charter_version,
             short_date(line.signature.signed_on), line.status(today)] for line in lines], WIDTHS))
    else:
        story.append(para("Aucune signature n'est encore enregistrée.", st.body))
    subtitle = (f"{plural(in_force, 'signataire', 'signataires')} en vigueur, "
                f"{plural(ended, 'signature close', 'signatures closes', feminine=True)}")
    if unsigned:
        subtitle += f", {plural(len(unsigned), 'membre', 'membres')} sans signature"
    return story, subtitle


def build_charter_register_pdf(store: Store, path: Path, today: date | None = None) -> Path:
    today = today or date.today()
    council = require_council(store)
    story, subtitle = build_charter_register_story(store, today)
    return build_pdf(path, council, TITLE, story, subtitle=subtitle, today=today,
                     subject=f"{TITLE} du {council.kind.value}")
