"""The one PDF pipeline every document uses (directory, composition, convocations, sign-in sheets, minutes,
action sheets, annual bilan, backup recovery sheet, installer self-test). No Qt here.

Build a *story* (a list of reportlab flowables) with the helpers below, then call `build_pdf`::

    from clspd_desktop.services.pdf import build_pdf, data_table, labelled, para, styles

    st = styles()
    story = [
        para("Texte saisi par l'utilisateur : <SARL> R&D", st.body),       # always escaped
        labelled("Adresse", organisation.address),                         # bold label + escaped value
        data_table(["Nom", "Fonction"], [[c.full_name, c.function] for c in contacts],
                   col_widths=["40%", "60%"]),                             # header repeated, zebra rows
    ]
    build_pdf(path, council, "Annuaire des partenaires", story, subtitle="…", today=date(2026, 11, 21))

What every page gets, without the caller doing anything: the letterhead (the council's logo from
`council.logo` when it is a readable image, its name, "Conseil local/intercommunal de sécurité et de
prévention de la délinquance", its address), a footer with the title, "Édité le samedi 21 novembre 2026"
and "Page X sur Y"; PDF metadata (title, author = council name, lang fr-FR); embedded fonts (DejaVu Sans,
covering accents, œ, €, U+202F, №; Symbola as the fallback for emoji, loaded only when a text needs it).

API
- `build_pdf(path, council, title, story, *, subtitle="", landscape=False, today=None, show_title=True,
  subject="") -> Path`: renders in memory, then `safe_files.write_bytes_atomically`; a failure (disk full,
  layout) leaves an existing file byte-identical and no temp file; raises `UserError`/`StorageError`.
  `show_title=False` for letters that print their own heading. A story is consumed by one build.
- `render_pdf(...) -> bytes`: same, without writing (e-mail attachments, archives).
- `para(content, style)`: THE place user text enters a Paragraph. `content` is a str (escaped, line
  breaks kept) or a sequence mixing str and `Markup`. `markup(xml, style)` for our own trusted markup only;
  `bold(text)` / `italic(text)` return escaped Markup to combine in `para([...])`.
- `styles()`: title, subtitle, heading, subheading, body, body_justified, small, note, cell, cell_small,
  header_cell, footer (+ letterhead styles). Colours: ACCENT, MUTED, RULE, ZEBRA.
- `data_table(header, rows, col_widths, zebra=True)`: cells are str (escaped) or flowables; widths in
  points or "NN%"; header repeated on every page; long rows split across pages.
- `title_block`, `labelled(label, value)`, `signature_block(council, today, signatory="", signatory_name="")`.
- `PageLayout.a4(landscape).content_width` when a caller needs absolute widths.

Text fidelity: U+202F (narrow no-break space) and U+2007 stay inside their word and print as themselves
(see `reportlab_fixes`); U+00A0 never breaks a line but reportlab prints it with the space glyph, so a
copied text gives a plain space there. Emoji and other characters above U+FFFF copy back correctly.

Limits: emoji print in black and white (Symbola, Unicode 9); sequences joined by U+200D and skin tones
print as their separate symbols; a character neither font has prints as a box. A council name too long for
the letterhead is shortened there with "…" (it prints in full in the document body).
"""

from clspd_desktop.services.pdf.blocks import labelled, signature_block, title_block
from clspd_desktop.services.pdf.document import build_pdf, render_pdf
from clspd_desktop.services.pdf.page import PageLayout
from clspd_desktop.services.pdf.styles import ACCENT, MUTED, RULE, ZEBRA, styles
from clspd_desktop.services.pdf.tables import data_table
from clspd_desktop.services.pdf.text import Markup, bold, italic, markup, para

__all__ = [
    "ACCENT", "MUTED", "RULE", "ZEBRA", "Markup", "PageLayout", "bold", "build_pdf", "data_table", "italic",
    "labelled", "markup", "para", "render_pdf", "signature_block", "styles", "title_block",
]
