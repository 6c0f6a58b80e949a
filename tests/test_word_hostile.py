"""``klpublish import`` given a Word document as a hostile or careless author
writes it (issue 24): text that looks like Markdown stays the author's words,
and what the document holds is refused or said with the paragraph or part."""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx.enum.text import WD_BREAK

from klpublish.__main__ import main
from klpublish.letter.nodes import iter_nodes, plain_text
from klpublish.letter.read import read_letter
from word_documents import add_picture, new_document

BREV = Path("source/brev/brev.da.md")

LOOKS_LIKE_MARKDOWN = [
    "---",
    "- - -",
    "-- -",
    "::: {.warning}",
    "Teksten i en boks",
    ":::",
    "&amp; er et tegn, &copy; og &#65; er ikke tegnene",
    "a &lt; b",
    "# ikke en overskrift",
    "% ikke en titel",
    "| a | b |",
    "[^1]: ikke en fodnote",
    "<div>ikke html</div>",
    "$$x$$",
    "<script>alert(1)</script>",
    "1. ikke en liste",
    "title: ikke en titel",
    "{{ ikke en skabelon }}",
]
"""Paragraphs whose text is Markdown syntax: each must come back as these words."""


def imported(document: Path, name: str = "brev", *options: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["import", str(document), "--name", name, *options])
    return code, out.getvalue() + err.getvalue()


def body_paragraphs(path: Path) -> list[tuple[str, str]]:
    letter = read_letter(path)
    return [
        (block["t"], plain_text(block["c"]) if block["t"] in ("Para", "Plain") else "")
        for block in letter.doc["blocks"]
    ]


def test_paragraphs_that_look_like_markdown_stay_the_authors_words(project: Path) -> None:
    document = new_document()
    document.core_properties.title = "Brev"
    for text in LOOKS_LIKE_MARKDOWN:
        document.add_paragraph(text)
    document.save(project / "brev.docx")
    code, said = imported(project / "brev.docx")
    assert code == 0, said
    assert body_paragraphs(BREV) == [("Para", text) for text in LOOKS_LIKE_MARKDOWN]


@pytest.mark.parametrize("line", ["---", "===", "- - -", "::: {.warning}", "&amp;"])
def test_a_line_after_a_soft_return_stays_in_its_paragraph(project: Path, line: str) -> None:
    """A soft return (Shift+Enter) then ``---`` or ``===``: a heading's underline in Markdown."""
    document = new_document()
    document.core_properties.title = "Brev"
    paragraph = document.add_paragraph("Første linje")
    paragraph.add_run().add_break(WD_BREAK.LINE)
    paragraph.add_run(line)
    document.save(project / "brev.docx")
    code, said = imported(project / "brev.docx")
    assert code == 0, said
    letter = read_letter(BREV)
    assert [block["t"] for block in letter.doc["blocks"]] == ["Para"]
    kinds = [node["t"] for node in iter_nodes(letter.doc["blocks"])]
    assert "LineBreak" in kinds
    assert plain_text(letter.doc["blocks"][0]["c"]) == f"Første linje {line}"


def rewritten(document: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """``document`` with each part passed through ``change`` (name, data) -> data."""
    out = document.with_name(f"changed-{document.name}")
    with zipfile.ZipFile(document) as old, zipfile.ZipFile(out, "w") as new:
        for name in old.namelist():
            new.writestr(name, change(name, old.read(name)))
    return out


def in_part(part: str, old: bytes, new: bytes) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        assert old in data, (part, old)
        return data.replace(old, new, 1)

    return change


def letter_with_picture(project: Path) -> Path:
    document = new_document()
    document.core_properties.title = "Brev"
    document.add_paragraph("Kære borger")
    add_picture(document, project, "Et kort over kommunerne")
    document.add_paragraph("Venlig hilsen fra os")
    document.save(project / "brev.docx")
    return project / "brev.docx"


def test_a_body_line_that_begins_with_title_is_not_the_title(project: Path) -> None:
    """A document without a title property whose text has a line 'title: ...':
    the letter is written with its title to fill in, not refused for lacking one."""
    document = new_document()
    document.add_paragraph("Kære borger")
    document.add_paragraph("title: et ord i brevet")
    document.save(project / "brev.docx")
    code, said = imported(project / "brev.docx")
    assert code == 0, said
    assert "not found, left as commented lines to fill in: title" in said
    assert ("Para", "title: et ord i brevet") in body_paragraphs_without_title(BREV)


def body_paragraphs_without_title(path: Path) -> list[tuple[str, str]]:
    filled = path.read_text(encoding="utf-8").replace("---\n", "---\ntitle: Brev\n", 1)
    path.write_text(filled, encoding="utf-8")
    return body_paragraphs(path)


RELS = "word/_rels/document.xml.rels"
CHUNK = (
    b'<Relationship Id="rIdChunk" Type="http://schemas.openxmlformats.org/officeDocument/'
    b'2006/relationships/aFChunk" Target="chunk.html"/></Relationships>'
)


def test_an_embedded_html_chunk_is_refused_not_lost(project: Path) -> None:
    """``w:altChunk``: HTML pasted whole, which pandoc skips: its words would vanish."""
    document = letter_with_picture(project)
    chunk = in_part("word/document.xml", b"<w:sectPr", b'<w:altChunk r:id="rIdChunk"/><w:sectPr')
    rels = in_part(RELS, b"</Relationships>", CHUNK)
    changed = rewritten(document, lambda name, data: rels(name, chunk(name, data)))
    with zipfile.ZipFile(changed, "a") as archive:
        archive.writestr("word/chunk.html", "<html><body><p>Skjult tekst</p></body></html>")
    code, said = imported(changed)
    assert code == 1
    assert "paragraph after 'Venlig hilsen fra os': an embedded chunk (chunk.html" in said
    assert not BREV.exists()


def test_a_subdocument_is_refused(project: Path) -> None:
    document = letter_with_picture(project)
    sub = (
        b'<Relationship Id="rIdSub" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/subDocument" Target="file:///etc/passwd" TargetMode="External"/>'
        b"</Relationships>"
    )
    paragraph = b'<w:p><w:subDoc r:id="rIdSub"/></w:p><w:sectPr'
    body = in_part("word/document.xml", b"<w:sectPr", paragraph)
    rels = in_part(RELS, b"</Relationships>", sub)
    code, said = imported(rewritten(document, lambda name, data: rels(name, body(name, data))))
    assert code == 1
    assert "paragraph 4, after 'Venlig hilsen fra os': a subdocument (file:///etc/passwd)" in said
    assert not BREV.exists()


@pytest.mark.parametrize("target", [b"../../../etc/passwd", b"media/absent.png"])
def test_a_picture_whose_part_is_not_in_the_document_is_refused(
    project: Path, target: bytes
) -> None:
    """pandoc drops a picture it cannot find: the letter would lose it unsaid."""
    document = letter_with_picture(project)
    changed = rewritten(document, in_part(RELS, b"media/image1.png", target))
    code, said = imported(changed)
    assert code == 1
    assert (
        f"paragraph 2, after 'Kære borger': picture 'Picture 1' points at {target.decode()}, "
        "which is not in the document"
    ) in said
    assert not BREV.exists()


def test_a_macro_content_type_in_another_case_is_refused(project: Path) -> None:
    document = letter_with_picture(project)
    macro = b'<Default Extension="bin" ContentType="application/vnd.ms-office.VBAPROJECT"/></Types>'
    changed = rewritten(document, in_part("[Content_Types].xml", b"</Types>", macro))
    code, said = imported(changed)
    assert code == 1
    assert "is a Word document with macros (.docm)" in said


@pytest.mark.parametrize("name", ["../x", "a/b", "x.da", "", "../../etc/brev"])
def test_a_name_with_a_folder_or_a_dot_is_refused(project: Path, name: str) -> None:
    """``--name a/b`` wrote ``source/a/b/a/b.da.md``; ``../x`` reached outside ``source/``."""
    document = letter_with_picture(project)
    before = sorted(project.rglob("*"))
    code, said = imported(document, name)
    assert code == 1
    assert f"brev.docx: --name {name!r} is not a plain name" in said
    assert sorted(project.rglob("*")) == before


def with_body(project: Path, body: str) -> Path:
    document = letter_with_picture(project)
    start = f"<w:body>{body}".encode()
    return rewritten(document, in_part("word/document.xml", b"<w:body>", start))


def test_a_document_of_many_paragraphs_is_refused_before_pandoc_reads_it(project: Path) -> None:
    """30,000 paragraphs: pandoc and the letter's checks took a minute and more than
    a GB on 100,000 before the letter was refused for its size."""
    code, said = imported(with_body(project, "<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 30_000))
    assert code == 1
    assert "part word/document.xml holds 30003 paragraphs: expected at most 20000" in said
    assert not BREV.exists()


def test_a_paragraph_of_megabytes_is_refused_before_pandoc_reads_it(project: Path) -> None:
    words = " ".join(f"ord{n}" for n in range(400_000))
    code, said = imported(with_body(project, f"<w:p><w:r><w:t>{words}</w:t></w:r></w:p>"))
    assert code == 1
    assert "part word/document.xml holds 3 MB of text: expected at most 2 MB" in said
    assert not BREV.exists()


ODT_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def opendocument(path: Path, body: str) -> Path:
    """An .odt as LibreOffice writes one, its body's XML ``body``."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NAMESPACES} '
        f'office:version="1.2"><office:body><office:text><text:p>Kære borger</text:p>{body}'
        "</office:text></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
        archive.writestr(
            "styles.xml",
            f'<office:document-styles {ODT_NAMESPACES} office:version="1.2">'
            "<office:styles/></office:document-styles>",
        )
        archive.writestr(
            "meta.xml",
            f"<office:document-meta {ODT_NAMESPACES}><office:meta><dc:title>Brev</dc:title>"
            "</office:meta></office:document-meta>",
        )
    return path


CHANGE_INFO = (
    "<office:change-info><dc:creator>Forfatter</dc:creator>"
    "<dc:date>2018-01-09T10:00:00</dc:date></office:change-info>"
)
ODT_CHANGES = (
    '<text:tracked-changes><text:changed-region text:id="c1"><text:insertion>'
    f"{CHANGE_INFO}</text:insertion></text:changed-region>"
    f'<text:changed-region text:id="c2"><text:deletion>{CHANGE_INFO}'
    "<text:p>Slettet tekst</text:p></text:deletion></text:changed-region></text:tracked-changes>"
    '<text:p>En <text:change-start text:change-id="c1"/>ny<text:change-end text:change-id="c1"/>'
    ' tekst<text:change text:change-id="c2"/>.</text:p>'
)


def test_tracked_changes_in_an_odt_are_refused_unless_accepted(project: Path) -> None:
    """pandoc accepts an .odt's tracked changes unsaid; a .docx's are refused."""
    document = opendocument(project / "brev.odt", ODT_CHANGES)
    code, said = imported(document)
    assert code == 1
    assert "paragraph 2 ('En ny tekst.'): holds tracked changes (2 in the document)" in said
    assert not BREV.exists()
    code, said = imported(document, "brev", "--accept-changes")
    assert code == 0, said
    assert "accepted 2 tracked changes" in said


def test_a_section_linked_to_a_file_in_an_odt_is_refused(project: Path) -> None:
    linked = (
        '<text:section text:name="s"><text:section-source xlink:href="file:///etc/passwd" '
        'xlink:type="simple"/><text:p>En kopi</text:p></text:section>'
    )
    code, said = imported(opendocument(project / "brev.odt", linked))
    assert code == 1
    assert "brev.odt: a section is linked to file:///etc/passwd" in said
    assert not BREV.exists()


def test_comments_in_an_odt_are_counted(project: Path) -> None:
    annotation = (
        "<text:p>Tekst<office:annotation><dc:creator>x</dc:creator>"
        "<text:p>En kommentar</text:p></office:annotation> mere</text:p>"
    )
    code, said = imported(opendocument(project / "brev.odt", annotation))
    assert code == 0, said
    assert "dropped 1 comments" in said


@pytest.mark.parametrize(
    "title",
    ["*fed* tekst", "[klik](javascript:alert(1))", "&amp; co", "a \\ b", "<b>x</b>", "x^2^", "---"],
)
def test_a_title_from_the_documents_properties_is_read_as_its_words(
    project: Path, title: str
) -> None:
    """The front matter's values are Markdown to the letter: the title Word's
    properties hold must come back as its words, not emphasis, a link or raw HTML."""
    document = new_document()
    document.core_properties.title = title
    document.core_properties.author = title
    document.add_paragraph("Kære borger")
    document.save(project / "brev.docx")
    code, said = imported(project / "brev.docx")
    assert code == 0, said
    meta = read_letter(BREV).doc["meta"]
    assert plain_text(meta["title"]["c"]) == title
    assert [plain_text(author["c"]) for author in meta["author"]["c"]] == [title]
