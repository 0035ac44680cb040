"""Printable PDF documents in the site's typeface: worksheets, referral summaries, result letters.

A small builder over ReportLab's platypus: headings, paragraphs, lists, tables, label/value
boxes to fill in by hand, check boxes, a boxed notice, and on every page a footer naming the
issuer with "page N of M". Text is always escaped, so a name typed by a person can never be
read as markup.

The fonts are Source Sans Pro, the USWDS face of the website (static/vendor/uswds), converted
from its WOFF2 files to TrueType because ReportLab embeds TrueType only; they cover Spanish
(á é í ó ú ü ñ ¿ ¡) and the § sign. ReportLab embeds the subset a document uses.

This package is below the apps: it imports neither cases, screener nor eligibility.
"""

from dataclasses import dataclass
from functools import cache, partial
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD, ITALIC = "SourceSansPro", "SourceSansPro-Bold", "SourceSansPro-Italic"
MARGIN = 0.75 * inch
# USWDS palette, as on the website: ink, primary blue, base-lighter rules, warning yellow.
INK = colors.HexColor("#1b1b1b")
PRIMARY = colors.HexColor("#005ea2")
MUTED = colors.HexColor("#565c65")
RULE = colors.HexColor("#dfe1e2")
NOTICE_BACKGROUND = colors.HexColor("#faf3d1")
NOTICE_BORDER = colors.HexColor("#ffbe2e")


@cache
def fonts_register() -> None:
    for name, file in (
        (REGULAR, "SourceSansPro-Regular.ttf"),
        (BOLD, "SourceSansPro-Bold.ttf"),
        (ITALIC, "SourceSansPro-Italic.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC)


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body", fontName=REGULAR, fontSize=11, leading=15, textColor=INK, alignment=TA_LEFT
    )
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=body, fontSize=10, leading=13),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=BOLD, fontSize=10),
        "title": ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=20, leading=24, spaceAfter=6
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName=BOLD,
            fontSize=15,
            leading=19,
            spaceBefore=12,
            spaceAfter=4,
            textColor=PRIMARY,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=BOLD,
            fontSize=12,
            leading=16,
            spaceBefore=8,
            spaceAfter=2,
        ),
    }


def text(value: object) -> str:
    """Escape anything for a Paragraph: typed names must never be read as markup."""
    return escape(str(value)).replace("\n", "<br/>")


@dataclass(frozen=True)
class Field:
    """A label and its value in a box; an empty value leaves a line to write on."""

    label: str
    value: str = ""


class _NumberedCanvas(Canvas):
    """Draws the footer once every page is known, so that it can say "page N of M"."""

    def __init__(self, *args, footer: str, page_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.footer = footer
        self.page_label = page_label
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setStrokeColor(RULE)
        self.line(MARGIN, 0.62 * inch, width - MARGIN, 0.62 * inch)
        self.setFont(REGULAR, 8.5)
        self.setFillColor(MUTED)
        self.drawString(MARGIN, 0.45 * inch, self.footer)
        label = self.page_label % {"page": self._pageNumber, "pages": total}
        self.drawRightString(width - MARGIN, 0.45 * inch, label)
        self.restoreState()


class Document:
    """Build a PDF a flowable at a time, then `render()` it to bytes."""

    def __init__(self, *, title: str, issuer: str, footer: str = "", language: str = "en"):
        fonts_register()
        self.title = title
        self.issuer = issuer
        self.footer = footer or issuer
        self.language = language
        self.styles = _styles()
        self.story: list = []

    # --- Text ---------------------------------------------------------------------

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.story.append(Paragraph(text(title), self.styles["title"]))
        if subtitle:
            self.story.append(Paragraph(text(subtitle), self.styles["small"]))
        self.space(6)

    def heading(self, value: str, *, level: int = 1) -> None:
        # A heading never ends a page alone.
        self.story.append(CondPageBreak(1.2 * inch))
        self.story.append(Paragraph(text(value), self.styles["h1" if level == 1 else "h2"]))

    def paragraph(self, value: str, *, lead: str = "", small: bool = False) -> None:
        """A paragraph; `lead` is set in bold before it ("Note:")."""
        markup = (f"<b>{text(lead)}</b> " if lead else "") + text(value)
        self.story.append(Paragraph(markup, self.styles["small" if small else "body"]))
        self.space(4)

    def bullets(self, items: list[str], *, numbered: bool = False) -> None:
        flowables = [ListItem(Paragraph(text(item), self.styles["body"])) for item in items]
        options = (
            {"bulletType": "1", "bulletFormat": "%s."}
            if numbered
            else {"bulletType": "bullet", "start": "•"}
        )
        self.story.append(ListFlowable(flowables, leftIndent=16, bulletFontName=REGULAR, **options))
        self.space(4)

    def notice(self, value: str, *, lead: str = "") -> None:
        """A boxed notice, like the site's warning alert."""
        markup = (f"<b>{text(lead)}</b> " if lead else "") + text(value)
        box = Table([[Paragraph(markup, self.styles["body"])]], colWidths=[self._width()])
        box.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), NOTICE_BACKGROUND),
                    ("LINEBEFORE", (0, 0), (0, -1), 4, NOTICE_BORDER),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        self.story.append(box)
        self.space(8)

    # --- Tables and boxes -----------------------------------------------------------

    def table(self, rows: list[list[str]], *, header: list[str] | None = None, widths=None) -> None:
        """A ruled table; `widths` are fractions of the text width."""
        cells = [[Paragraph(text(cell), self.styles["cell"]) for cell in row] for row in rows]
        if header:
            cells.insert(0, [Paragraph(text(cell), self.styles["cell_head"]) for cell in header])
        columns = len(cells[0]) if cells else 1
        fractions = widths or [1 / columns] * columns
        table = Table(
            cells, colWidths=[self._width() * f for f in fractions], repeatRows=1 if header else 0
        )
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")))
        table.setStyle(TableStyle(style))
        self.story.append(table)
        self.space(8)

    def fields(self, rows: list[Field]) -> None:
        """Label and value boxes, as on a court form; empty values are left to write in."""
        cells = [
            [
                Paragraph(text(row.label), self.styles["cell_head"]),
                Paragraph(text(row.value) if row.value else "&nbsp;", self.styles["cell"]),
            ]
            for row in rows
        ]
        table = Table(cells, colWidths=[self._width() * 0.34, self._width() * 0.66])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
                ]
            )
        )
        self.story.append(table)
        self.space(8)

    def checkbox(self, label: str, *, checked: bool) -> None:
        # Source Sans Pro has no ballot-box glyphs: brackets print the same everywhere.
        markup = f"<b>{'[X]' if checked else '[&nbsp;&nbsp;&nbsp;]'}</b> {text(label)}"
        self.story.append(Paragraph(markup, self.styles["body"]))
        self.space(2)

    def keep_together(self, build) -> None:
        """Keep what `build()` adds on one page when it fits."""
        start = len(self.story)
        build()
        block = self.story[start:]
        del self.story[start:]
        self.story.append(KeepTogether(block))

    def space(self, points: float = 8) -> None:
        self.story.append(Spacer(1, points))

    def page_break(self) -> None:
        self.story.append(PageBreak())

    # --- Output -----------------------------------------------------------------------

    def render(self) -> bytes:
        buffer = BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=LETTER,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=self.title,
            author=self.issuer,
            creator=self.issuer,
            lang=self.language,
        )
        footer, page_label = self.footer, _("Page %(page)s of %(pages)s")
        document.build(
            list(self.story),
            canvasmaker=partial(_NumberedCanvas, footer=footer, page_label=page_label),
        )
        return buffer.getvalue()

    def _width(self) -> float:
        return LETTER[0] - 2 * MARGIN
