"""The shared PDF pipeline: escaping, fonts, letterhead, footer, tables, metadata, atomic writing."""

from __future__ import annotations

import errno
import io
import re
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.platypus import PageBreak, Spacer

from clspd_desktop import safe_files
from clspd_desktop.domain.council import Commune, CouncilKind
from clspd_desktop.errors import StorageError, UserError
from clspd_desktop.services.pdf import bold, build_pdf, data_table, labelled, markup, para, render_pdf, styles
from tests.factories import make_council

TODAY = date(2026, 11, 21)
HOSTILE = [
    "<SARL> Les Amis du Quartier",
    "R&D Prévention",
    "Association \"Les Tilleuls\" d'Élodie",
    "Œuvre d'Élodie",
    "12\u202f345 €",
    "№ 42",
    "<b>jamais fermé",
    "a </i> b & c ; <script>",
]


def page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def raw_text(path: Path) -> str:
    """pypdf keeps every character as written (pdfplumber turns U+202F into a plain space)."""
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def font_names(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def build(tmp_path: Path, story, name: str = "doc.pdf", **kw) -> Path:
    kw.setdefault("today", TODAY)
    return build_pdf(tmp_path / name, kw.pop("council", make_council()), kw.pop("title", "Document d'essai"),
                     story, **kw)


def png_logo() -> bytes:
    image = Image.new("RGBA", (120, 150), (31, 58, 95, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_user_text_is_printed_verbatim(tmp_path):
    st = styles()
    pdf = build(tmp_path, [para(text, st.body) for text in HOSTILE] + [para(HOSTILE, st.cell)])
    text = raw_text(pdf)
    for value in HOSTILE:
        assert value in text


def test_line_breaks_and_control_characters(tmp_path):
    pdf = build(tmp_path, [para("1 rue des Lilas\nBâtiment B\x00\x07", styles().body)])
    text = page_texts(pdf)[0]
    assert "1 rue des Lilas\nBâtiment B" in text


def test_trusted_markup_is_bold_and_labels_escape_values(tmp_path):
    st = styles()
    pdf = build(tmp_path, [markup("<b>Ordre du jour</b>", st.body), labelled("Adresse", "<rue> & co"),
                           para([bold("Présents"), " : <tous>"], st.body)])
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        text = page.extract_text()
        bold_chars = "".join(c["text"] for c in page.chars if "Bold" in c["fontname"])
    assert "Ordre du jour" in text and "Adresse : <rue> & co" in text and "Présents : <tous>" in text
    assert "Ordre du jour" in bold_chars and "Présents" in bold_chars
    assert "<rue>" not in bold_chars


def test_dejavu_is_embedded_and_symbola_only_when_needed(tmp_path):
    plain = build(tmp_path, [para("Élodie, 12\u202f345 €", styles().body)], "plain.pdf")
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= font_names(plain)
    assert "Symbola" not in font_names(plain)
    emoji = build(tmp_path, [para("Médiation 🚓 des Tilleuls 😀 ❤️", styles().body)], "emoji.pdf",
                  council=make_council(name="Ville de Montreval 🌳"))
    assert "Symbola" in font_names(emoji)
    text = page_texts(emoji)[0]
    assert "Médiation 🚓 des Tilleuls 😀" in text
    assert "Ville de Montreval 🌳" in text


def test_characters_no_font_has_do_not_break_the_pdf(tmp_path):
    pdf = build(tmp_path, [para("Nom \U000f0000 \U0001fae8 fin", styles().body)])
    assert "fin" in page_texts(pdf)[0]


def test_a_5000_character_name_in_a_table_spans_pages_entirely(tmp_path):
    words = [f"Élodie{i:04d}" for i in range(460)]
    name = " ".join(words)[:5000]
    assert len(name) == 5000
    kept = name.split()
    table = data_table(["Référent", "Fonction"], [[name, "Présidente"], ["Martin", "R&D"]], ["30%", "70%"])
    pdf = build(tmp_path, [table])
    pages = page_texts(pdf)
    assert len(pages) > 1
    text = "\n".join(pages)
    position = 0
    for word in kept:  # every word, in order, across the page breaks
        position = text.find(word, position)
        assert position >= 0, word
        position += len(word)


def test_header_row_is_repeated_on_every_page_of_a_long_table(tmp_path):
    rows = [[f"Membre n° {i:03d}", f"Organisation {i}"] for i in range(120)]
    pdf = build(tmp_path, [data_table(["Nom du membre", "Organisation représentée"], rows, ["50%", "50%"])])
    pages = page_texts(pdf)
    assert len(pages) >= 3
    for page in pages:
        assert "Nom du membre Organisation représentée" in page
    found = re.findall(r"Membre n° (\d{3})", "\n".join(pages))
    assert found == [f"{i:03d}" for i in range(120)]


def test_every_page_has_letterhead_page_number_and_edition_date(tmp_path):
    story = [para(f"Lettre {i}", styles().body) for i in range(3)]
    story = [story[0], PageBreak(), story[1], PageBreak(), story[2]]
    council = make_council(kind=CouncilKind.CISPD, name="Communauté de communes du Val d'Yvette",
                           communes=[Commune("Orsay", 16_000), Commune("Bures", 9_000)])
    pages = page_texts(build(tmp_path, story, council=council))
    assert len(pages) == 3
    for number, page in enumerate(pages, 1):
        assert "Communauté de communes du Val d'Yvette" in page
        assert "Conseil intercommunal de sécurité et de prévention de la délinquance" in page
        assert f"Page {number} sur 3" in page
        assert "Édité le samedi 21 novembre 2026" in page
        assert "Document d'essai" in page


def test_metadata_and_orientation(tmp_path):
    portrait = build(tmp_path, [para("x", styles().body)], "p.pdf", title="Annuaire « R&D »")
    landscape = build(tmp_path, [para("x", styles().body)], "l.pdf", landscape=True)
    reader = PdfReader(portrait)
    assert reader.metadata.title == "Annuaire « R&D »"
    assert reader.metadata.author == "Ville de Montreval"
    box = reader.pages[0].mediabox
    assert float(box.height) > float(box.width)
    box = PdfReader(landscape).pages[0].mediabox
    assert float(box.width) > float(box.height)


@pytest.mark.parametrize("logo, images", [
    (png_logo(), 1),
    (None, 0),
    (b"", 0),
    (b"pas une image du tout", 0),
    (png_logo()[:60], 0),  # truncated file
])
def test_logo_printed_when_readable_and_skipped_otherwise(tmp_path, logo, images):
    pdf = build(tmp_path, [para("Texte", styles().body), PageBreak(), para("Suite", styles().body)],
                council=make_council(logo=logo))
    with pdfplumber.open(pdf) as doc:
        assert [len(page.images) for page in doc.pages] == [images, images]
        assert "Ville de Montreval" in doc.pages[0].extract_text()


def test_jpeg_logo_is_accepted(tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), (200, 30, 40)).save(buffer, "JPEG")
    pdf = build(tmp_path, [para("x", styles().body)], council=make_council(logo=buffer.getvalue()))
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages[0].images) == 1


def test_render_pdf_returns_a_pdf_without_touching_disk(tmp_path):
    data = render_pdf(make_council(), "Essai", [para("x", styles().body)], today=TODAY)
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]
    assert list(tmp_path.iterdir()) == []


def _previous_pdf(tmp_path: Path) -> tuple[Path, bytes]:
    target = build(tmp_path, [para("Version précédente", styles().body)], "annuaire.pdf")
    return target, target.read_bytes()


def test_disk_full_keeps_the_previous_pdf_and_leaves_no_temp_file(tmp_path, monkeypatch):
    target, before = _previous_pdf(tmp_path)
    real_open = open

    class HalfWritten:
        """Writes part of the data, then fails as a full disk does."""

        def __init__(self, path, mode):
            self.handle = real_open(path, mode)

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    def full_disk_open(path, mode="r", *args, **kwargs):
        return HalfWritten(path, mode) if "w" in mode else real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(safe_files, "open", full_disk_open, raising=False)
    with pytest.raises(StorageError, match="disque est plein"):
        build(tmp_path, [para("Nouvelle version", styles().body)], "annuaire.pdf")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annuaire.pdf"]


def test_a_layout_failure_is_a_french_message_and_keeps_the_previous_pdf(tmp_path):
    target, before = _previous_pdf(tmp_path)
    with pytest.raises(UserError, match="n'a pas pu être mis en page"):
        build(tmp_path, [Spacer(10, 5_000)], "annuaire.pdf")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annuaire.pdf"]


def test_signature_block_names_the_chair(tmp_path):
    from clspd_desktop.services.pdf import signature_block

    text = page_texts(build(tmp_path, [signature_block(make_council(), TODAY)]))[0]
    assert "Fait à Montreval, le samedi 21 novembre 2026" in text
    assert "Maire de Montreval" in text and "Claire Dubreuil" in text


def test_many_one_page_letters_make_one_page_each(tmp_path):
    st = styles()
    story = []
    for i in range(200):
        story += [para(f"Madame, Monsieur n° {i},", st.body), para("Vous êtes convié(e) " * 40, st.body_justified),
                  PageBreak()]
    pdf = build(tmp_path, story[:-1], show_title=False)
    assert len(PdfReader(pdf).pages) == 200


def test_narrow_no_break_space_never_breaks_a_line(tmp_path):
    amounts = " ".join(f"{n}\u202f{n:03d}\u00a0€" for n in range(10, 60))
    pdf = build(tmp_path, [data_table(["Montants"], [[amounts]], ["12%"])])
    lines = [line for line in raw_text(pdf).splitlines() if "€" in line]
    assert len(lines) > 10  # the narrow column forces many line breaks
    for n in range(10, 60):
        assert any(f"{n}\u202f{n:03d}" in line for line in lines), n


def test_paragraphs_are_only_built_through_para():
    """Escaping happens in one place: no other module builds a Paragraph or escapes XML itself."""
    import clspd_desktop

    package = Path(clspd_desktop.__file__).parent
    allowed = {package / "services" / "pdf" / "text.py"}
    offenders = [
        str(path.relative_to(package)) for path in package.rglob("*.py")
        if path not in allowed and re.search(r"\bParagraph\(|saxutils|html\.escape", path.read_text("utf-8"))
    ]
    assert offenders == []


def test_bar_chart_labels_wrap_whole_and_values_printed(tmp_path):
    from clspd_desktop.services.pdf.charts import horizontal_bars

    long_name = "Groupe de travail « Prévention des conduites à risque des jeunes <15-25 ans> & familles »"
    charts = horizontal_bars([("R&D <SARL>", 75.0), (long_name, 0.0)], 400, maximum=100,
                             value_text=lambda v: f"{v:g} %", title="Taux")
    assert len(charts) == 1
    text = " ".join(raw_text(build(tmp_path, charts)).split())
    assert "R&D <SARL>" in text and "75 %" in text and "0 %" in text and "Taux" in text
    assert "…" not in text
    for word in long_name.split():  # wrapped over several lines, every word whole
        assert word in text


def test_a_long_chart_is_grouped_or_cut_into_parts_that_fit_a_page(tmp_path):
    from clspd_desktop.services.pdf.charts import MAX_HEIGHT, horizontal_bars, top_and_others

    items = [(f"Groupe de travail numéro {n} au nom assez long pour tenir sur deux lignes", float(n))
             for n in range(150)]
    charts = horizontal_bars(items, 480, title="Réunions")
    assert len(charts) > 1 and all(chart.height <= MAX_HEIGHT for chart in charts)
    text = raw_text(build(tmp_path, charts))
    assert "Réunions (suite)" in text and "numéro 149" in " ".join(text.split())
    grouped = top_and_others(items, 25, lambda n: f"{n} autres groupes")
    assert len(grouped) == 25 and grouped[0][1] == 149 and grouped[-1] == ("126 autres groupes",
                                                                           sum(range(126)))


def test_contents_list_headings_with_their_pages_and_bookmarks(tmp_path):
    from clspd_desktop.services.pdf.contents import Contents

    toc = Contents()
    st = styles()
    story = [toc, toc.heading("Première <partie> & suite"), para("texte", st.body), PageBreak(),
             toc.heading("Seconde partie", 1), PageBreak(), PageBreak(), toc.heading("Troisième")]
    path = build(tmp_path, story)
    with pdfplumber.open(path) as pdf:
        words = pdf.pages[0].extract_words()
    numbers = [w["text"] for w in sorted(words, key=lambda w: w["top"]) if w["x0"] > 480 and w["top"] < 700 and w["text"].isdigit()]
    assert numbers == ["1", "2", "4"]
    assert "Première <partie> & suite" in page_texts(path)[0]
    assert [item.title for item in PdfReader(path).outline if not isinstance(item, list)][:1] == \
        ["Première <partie> & suite"]
