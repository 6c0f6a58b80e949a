"""Word documents built as Word writes them (python-docx): the shipped letter in
KL's layout, and the bad cases ``klpublish import`` must refuse."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

import docx

ROOT = Path(__file__).resolve().parents[1]
LETTER = ROOT / "source" / "letter.da.md"
_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x20\x60\xa0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = png(40, 20)
"""A small RGB picture."""


def new_document(lang: str = "da-DK") -> docx.document.Document:
    """An empty document whose language is ``lang`` (Word's default run language)."""
    document = docx.Document()
    document.core_properties.author = ""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    found = r_pr.find(qn("w:lang"))
    if found is None:
        found = OxmlElement("w:lang")
        r_pr.append(found)
    found.set(qn("w:val"), lang)
    return document


def add_link(paragraph: Paragraph, text: str, url: str) -> None:
    """A hyperlink as Word writes one: a relationship and a ``w:hyperlink``."""
    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def add_text(paragraph: Paragraph, text: str) -> None:
    """Text with Markdown links made Word hyperlinks."""
    at = 0
    for found in _LINK.finditer(text):
        paragraph.add_run(text[at : found.start()])
        add_link(paragraph, found[1], found[2])
        at = found.end()
    paragraph.add_run(text[at:])


def letter_body() -> list[str]:
    """The shipped letter's body: its paragraphs and ``## `` headings, one line each."""
    text = LETTER.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    return [" ".join(block.split()) for block in body.split("\n\n") if block.strip()]


def letter_document(path: Path, change: tuple[str, str] | None = None) -> Path:
    """The shipped letter as its author would have written it in Word: the title
    in the Title style, KL's opening (recipient, date, case and document ids),
    sections as Heading 1, the closing and a paragraph for each signatory (name,
    soft return, role). ``change`` replaces a paragraph's text (old, new)."""
    document = new_document()
    document.core_properties.title = "Velkommen til det kommunalpolitiske arbejde og til KL"
    document.add_paragraph("Velkommen til det kommunalpolitiske arbejde og til KL", "Title")
    for line in (
        "Til alle kommunalbestyrelsesmedlemmer",
        "Dato: 10. januar 2018",
        "Sags ID: SAG-2017-06094",
        "Dok. ID: 2435847",
    ):
        document.add_paragraph(line)
    for block in letter_body():
        if change and block == change[0]:
            block = change[1]
        if block.startswith("## "):
            document.add_heading(block[3:], level=1)
        else:
            add_text(document.add_paragraph(), block)
    document.add_paragraph("Venlig hilsen")
    for name, role in (
        ("Martin Damm", "Formand"),
        ("Kristian Wendelboe", "Administrerende direktør"),
    ):
        paragraph = document.add_paragraph(name)
        paragraph.runs[0].add_break()
        paragraph.add_run(role)
    document.save(str(path))
    return path


def add_picture(document: docx.document.Document, folder: Path, description: str | None) -> None:
    """A picture in a paragraph of its own, with ``description`` as its alt text."""
    image = folder / "picture.png"
    image.write_bytes(PNG)
    document.add_picture(str(image))
    doc_pr = document.paragraphs[-1]._p.findall(".//" + qn("wp:docPr"))[-1]
    if description is not None:
        doc_pr.set("descr", description)


def in_language(paragraph: Paragraph, text: str, lang: str) -> None:
    """A run of ``text`` that Word marks as written in ``lang``."""
    run = paragraph.add_run(text)
    found = OxmlElement("w:lang")
    found.set(qn("w:val"), lang)
    run._r.get_or_add_rPr().append(found)


def tracked_insertion(paragraph: Paragraph, text: str) -> None:
    """``text`` inserted with Track Changes on."""
    insertion = OxmlElement("w:ins")
    insertion.set(qn("w:id"), "1")
    insertion.set(qn("w:author"), "Forfatter")
    insertion.set(qn("w:date"), "2018-01-09T10:00:00Z")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    insertion.append(run)
    paragraph._p.append(insertion)


def linked_picture(document: docx.document.Document, folder: Path, url: str) -> None:
    """A picture with a description whose image is linked, not embedded."""
    add_picture(document, folder, "Kort over kommunerne")
    blip = document.paragraphs[-1]._p.findall(".//" + qn("a:blip"))[-1]
    rid = document.part.relate_to(url, RT.IMAGE, is_external=True)
    del blip.attrib[qn("r:embed")]
    blip.set(qn("r:link"), rid)


FOOTNOTES = (
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote>"
    '<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr>'
    '<w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r>'
    '<w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote></w:footnotes>'
)


def add_footnote(document: docx.document.Document, paragraph: Paragraph, text: str) -> None:
    """A footnote as Word writes it: a ``footnotes.xml`` part and a reference run."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    blob = FOOTNOTES.replace("{text}", text).encode("utf-8")
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        blob,
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    run = paragraph.add_run()
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "1")
    run._r.append(reference)
