"""The result letter as a PDF, in the active language (callers wrap translation.override).

Built with documents.pdf.Document, ReportLab underneath, as the eligibility forms are: a pure
Python wheel, with no Cairo or Pango system libraries to install on the servers (WeasyPrint
needs both). The words are screener.letter_text's blocks, the same as the web page's.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from documents.pdf import Document, Field
from screener.letter_text import Block, Kind, day
from screener.letters import LetterContent

# Fractions of the text width for the table of cases (number, court, charges, relief, date,
# batch): the batch's plain-words name needs the most room.
CASE_COLUMNS = [0.14, 0.17, 0.17, 0.15, 0.13, 0.24]


def _render(doc: Document, block: Block) -> None:
    if block.kind == Kind.HEADING:
        doc.heading(block.text, level=1 if block.level <= 2 else 2)
    elif block.kind == Kind.PARAGRAPH:
        doc.paragraph(block.text, lead=block.lead)
    elif block.kind in (Kind.BULLETS, Kind.STEPS):
        doc.bullets(list(block.items), numbered=block.kind == Kind.STEPS)
    elif block.kind == Kind.CASES:
        doc.table([list(row) for row in block.rows], header=list(block.header), widths=CASE_COLUMNS)
    elif block.kind == Kind.FIELDS:
        doc.fields([Field(label, value) for label, value in block.rows])
    elif block.kind == Kind.NOTICE:
        doc.notice(block.text)
    elif block.kind == Kind.PAGE_BREAK:
        doc.page_break()
    else:  # pragma: no cover - a new kind must be rendered here
        raise ValueError(f"no PDF rendering for {block.kind!r}")


def letter_pdf(content: LetterContent) -> bytes:
    """The letter `content` as PDF bytes: the same blocks as the page, a footer on each page."""
    title = _("Result letter")
    footer = _("%(issuer)s · reference %(reference)s · %(date)s") % {
        "issuer": content.issuer,
        "reference": content.reference,
        "date": day(content.issued_on),
    }
    doc = Document(
        title=title,
        issuer=content.issuer,
        footer=footer,
        language=translation.get_language() or "en",
    )
    doc.title_block(
        _("Relief Check: your result letter"),
        _("Los Angeles County cannabis conviction dismissals"),
    )
    for block in content.blocks:
        _render(doc, block)
    return doc.render()
