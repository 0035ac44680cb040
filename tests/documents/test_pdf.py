"""The shared PDF builder: what a person reads in the file, in English and Spanish."""

import io

from django.utils import translation
from pypdf import PdfReader

from documents.pdf import Document, Field


def read(content: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages), reader


def test_every_kind_of_block_prints_its_text_with_spanish_accents():
    doc = Document(title="Hoja de trabajo", issuer="Relief Check", footer="Relief Check · prueba")
    doc.title_block("Hoja de trabajo CR-400", "Versión de prueba")
    doc.heading("Sección 1: ¿quién?")
    doc.paragraph("María José Núñez, año 2010, § 11359(b).", lead="Nota:")
    doc.bullets(["uno", "dos"])
    doc.bullets(["primero", "segundo"], numbered=True)
    doc.notice("No es asesoría legal.", lead="¡Importante!")
    doc.table([["HS 11359(b)", "2010"]], header=["Sección", "Año"], widths=[0.7, 0.3])
    doc.fields([Field("Nombre", "María"), Field("Dirección")])
    doc.checkbox("Petición", checked=True)
    doc.checkbox("Solicitud", checked=False)
    text, reader = read(doc.render())
    for expected in (
        "Hoja de trabajo CR-400",
        "Sección 1: ¿quién?",
        "Nota: María José Núñez, año 2010, § 11359(b).",
        "¡Importante! No es asesoría legal.",
        "HS 11359(b)",
        "[X] Petición",
        "Relief Check · prueba",
        "Page 1 of 1",
    ):
        assert expected in text
    assert reader.metadata.title == "Hoja de trabajo"
    assert reader.metadata.author == "Relief Check"


def test_typed_text_is_never_read_as_markup():
    doc = Document(title="t", issuer="Relief Check")
    doc.paragraph("<b>Ana</b> & <font size=40>Luis</font>")
    text, _reader = read(doc.render())
    assert "<b>Ana</b> & <font size=40>Luis</font>" in text


def test_the_footer_numbers_every_page_in_the_active_language():
    doc = Document(title="t", issuer="Relief Check")
    doc.paragraph("uno")
    doc.page_break()
    doc.paragraph("dos")
    with translation.override("es"):
        content = doc.render()
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 2
    assert "Página 2 de 2" in reader.pages[1].extract_text()
