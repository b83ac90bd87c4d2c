"""Small building blocks shared by reports: title, labelled lines, signature block."""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from clspd_desktop.domain.council import Council
from clspd_desktop.domain.dates import long_date
from clspd_desktop.services.pdf.styles import styles
from clspd_desktop.services.pdf.text import Markup, bold, para, to_xml


def title_block(title: str, subtitle: str = "") -> list[Flowable]:
    st = styles()
    flowables: list[Flowable] = [para(title, st.title)]
    if subtitle:
        flowables.append(para(subtitle, st.subtitle))
    flowables.append(Spacer(1, 0.45 * cm))
    return flowables


def labelled(label: str, value: str, style=None) -> Flowable:
    """'<b>Adresse :</b> 1 rue …' with the value escaped (French typography: space before the colon)."""
    return para([Markup(f"<b>{to_xml(label)}\u00a0:</b> "), value], style or styles().body)


def signature_block(council: Council, today: date, signatory: str = "", signatory_name: str = "") -> Flowable:
    """'Fait à Montreval, le …' then the signatory's title and name, on the right half of the page."""
    st = styles()
    place = council.city or (council.communes[0].name if council.communes else "")
    done = f"Fait à {place}, le {long_date(today)}" if place else f"Fait le {long_date(today)}"
    title = signatory or council.chair_title or f"Le président du {council.kind.value}"
    name = signatory_name or council.chair_name
    lines: list[Flowable] = [para(done, st.body), Spacer(1, 0.25 * cm), para(bold(title), st.body)]
    if name:
        lines.extend([Spacer(1, 1.6 * cm), para(name, st.body)])
    padding = [(side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]
    column = Table([[line] for line in lines], colWidths=["52%"], hAlign="RIGHT", style=TableStyle(padding))
    return KeepTogether([Spacer(1, 0.7 * cm), column])
