"""``klpublish import``: a Word document made a letter (issue 24). The documents
are built as Word writes them (``word_documents.py``), imported through the
command line, and the letter they make is read by the rest of the pipeline."""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

import polib
import pytest
from docx.oxml.ns import qn

import docx
from klpublish.__main__ import main
from word_documents import (
    LETTER,
    add_footnote,
    add_link,
    add_picture,
    in_language,
    letter_body,
    letter_document,
    linked_picture,
    new_document,
    png,
    tracked_insertion,
)

ROOT = Path(__file__).resolve().parents[1]
BREV = Path("source/brev/brev.da.md")


def imported(document: Path, *options: str) -> tuple[int, str]:
    """The exit code and what ``klpublish import`` printed."""
    return imported_as(document, "brev", *options)


def imported_as(document: Path, name: str, *options: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["import", str(document), "--name", name, *options])
    return code, out.getvalue() + err.getvalue()


def messages(pot: Path) -> dict[tuple[str | None, str], polib.POEntry]:
    return {(e.msgctxt, e.msgid): e for e in polib.pofile(str(pot))}


def test_the_shipped_letter_from_word_has_the_shipped_catalog(project: Path) -> None:
    """The shipped letter written in Word in KL's layout comes back with the
    same segments, but for the two fields a Word letter does not hold: the
    sender (in KL's letterhead, a header pandoc does not read) and the
    accessibility summary (a sentence klpublish's letters add)."""
    code, said = imported(letter_document(project / "brev.docx"))
    assert code == 0, said
    assert "not found, left as commented lines to fill in: sender, accessibility-summary" in said
    assert main(["extract", "--source", str(BREV), "--output", "brev.pot"]) == 0
    shipped = messages(ROOT / "locale" / "letter.pot")
    ours = messages(project / "brev.pot")
    assert {msgid for _, msgid in ours} <= {msgid for _, msgid in shipped}
    missing = {shipped[key].comment for key in set(shipped) - set(ours)}
    # The sender's name is the text of a heading too: beside the sender the
    # heading's entry has a context ("heading"), alone it needs none.
    assert missing == {
        "Metadata: sender: name",
        "Metadata: accessibility-summary",
        "Heading, level 2",
    }
    assert set(ours) - set(shipped) == {(None, "KL – Kommunernes Landsforening")}
    assert (
        "heading",
        "KL – Kommunernes Landsforening",
    ) in shipped
    text = BREV.read_text(encoding="utf-8")
    for line in ("date: 2018-01-10", "case-id: SAG-2017-06094", "document-id: '2435847'"):
        assert f"\n{line}\n" in text
    assert "# sender: " in text and "# accessibility-summary: " in text


def test_structure_pictures_and_languages_are_kept(project: Path) -> None:
    document = new_document()
    document.add_paragraph("Brev om kort", "Title")
    document.add_heading("Kortet", level=1)
    paragraph = document.add_paragraph("Han sagde ")
    in_language(paragraph, "yes, we can", "en-GB")
    paragraph.add_run(" til mødet.")
    add_picture(document, project, "Kort over de 98 kommuner")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(
        table.rows[0].cells + table.rows[1].cells,
        ["Kommune", "Borgere", "Aalborg", "220000"],
        strict=True,
    ):
        cell.text = text
    table.rows[0]._tr.get_or_add_trPr().append(
        docx.oxml.parse_xml(
            '<w:tblHeader xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
        )
    )
    document.add_paragraph("Første punkt", "List Bullet")
    document.add_paragraph("Andet punkt", "List Bullet")
    document.add_heading("Undersektion", level=2)
    add_footnote(document, document.add_paragraph("Tekst\u00a0med hårdt mellemrum."), "Kilde: KL.")
    document.save(str(project / "kort.docx"))
    code, said = imported(project / "kort.docx")
    assert code == 0, said
    text = BREV.read_text(encoding="utf-8")
    assert "## Kortet" in text and "### Undersektion" in text
    assert '[yes, we can]{lang="en-GB"}' in text
    assert "![Kort over de 98 kommuner](kort-over-de-98-kommuner.png)" in text
    assert (BREV.parent / "kort-over-de-98-kommuner.png").read_bytes().startswith(b"\x89PNG")
    assert "-   Første punkt" in text or "- Første punkt" in text
    assert "Kommune" in text and "Aalborg" in text
    assert "Tekst\u00a0med hårdt mellemrum.[^1]" in text
    assert "[^1]: Kilde: KL." in text
    assert main(["publish", "--source", str(BREV), "--format", "html", "--no-index"]) == 0


def _refused(project: Path, document: docx.document.Document, *options: str) -> str:
    document.save(str(project / "brev.docx"))
    code, said = imported(project / "brev.docx", *options)
    assert code == 1, said
    assert not BREV.exists(), "nothing is written when the document is refused"
    assert not [p for p in (project / "source").iterdir() if p.name.startswith(".")]
    return said


def _opening(title: str = "Brev") -> docx.document.Document:
    document = new_document()
    document.add_paragraph(title, "Title")
    document.add_paragraph("Kære alle")
    return document


def test_a_picture_without_description_is_refused_at_its_paragraph(project: Path) -> None:
    document = _opening()
    document.add_paragraph("Se kortet herunder.")
    add_picture(document, project, None)
    said = _refused(project, document)
    assert (
        "brev.docx: paragraph 4, after 'Se kortet herunder.': picture 'Picture 1' has no "
        "description (alt text)" in said
    )


def test_tracked_changes_are_refused_unless_accepted(project: Path) -> None:
    document = _opening()
    tracked_insertion(document.add_paragraph("Mødet er "), "flyttet til ")
    said = _refused(project, document)
    assert "paragraph 3 ('Mødet er flyttet til'): holds tracked changes (1 in the document)" in said
    assert "--accept-changes" in said
    code, said = imported(project / "brev.docx", "--accept-changes")
    assert code == 0, said
    assert "accepted 1 tracked changes" in said
    assert "Mødet er flyttet til" in BREV.read_text(encoding="utf-8")


def test_a_linked_picture_is_refused(project: Path) -> None:
    document = _opening()
    document.add_paragraph("Kortet:")
    linked_picture(document, project, "https://example.org/kort.png")
    said = _refused(project, document)
    assert (
        "paragraph 4, after 'Kortet:': picture 'Picture 1' is linked to "
        "https://example.org/kort.png, not embedded" in said
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("javascript:alert(1)", "is not allowed (javascript:)"),
        ("JaVaScRiPt:alert(1)", "is not allowed (javascript:)"),
        ("file:///etc/passwd", "names a file on this computer"),
        ("data:text/html,<script>x</script>", "is not allowed (data:)"),
    ],
)
def test_a_link_the_policy_refuses_is_refused_at_its_paragraph(
    project: Path, url: str, expected: str
) -> None:
    document = _opening()
    add_link(document.add_paragraph("Klik "), "her", url)
    said = _refused(project, document)
    assert f"brev.docx: paragraph 3 ('Klik her'): link {url} {expected}" in said


def test_a_hyperlink_field_the_policy_refuses_is_refused(project: Path) -> None:
    document = _opening()
    paragraph = document.add_paragraph("Klik ")
    paragraph._p.append(
        docx.oxml.parse_xml(
            '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            "w:instr=' HYPERLINK \"javascript:alert(1)\" '><w:r><w:t>her</w:t></w:r></w:fldSimple>"
        )
    )
    said = _refused(project, document)
    assert "paragraph 3 ('Klik her'): link javascript:alert(1) is not allowed (javascript:)" in said


def test_a_field_that_fetches_content_is_refused(project: Path) -> None:
    document = _opening()
    paragraph = document.add_paragraph("Bilag: ")
    field = docx.oxml.parse_xml(
        '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        "w:instr='INCLUDETEXT \"C:\\\\bilag.docx\"'><w:r><w:t>x</w:t></w:r></w:fldSimple>"
    )
    paragraph._p.append(field)
    said = _refused(project, document)
    assert (
        "paragraph 3 ('Bilag: x'): a INCLUDETEXT field takes its content from another file" in said
    )


def test_comments_are_dropped_with_a_count(project: Path) -> None:
    document = _opening()
    paragraph = document.add_paragraph("Tekst med en kommentar.")
    document.add_comment(paragraph.runs, text="Skal dette med?", author="Læser")
    document.save(str(project / "brev.docx"))
    code, said = imported(project / "brev.docx")
    assert code == 0, said
    assert "dropped 1 comments" in said
    assert "Skal dette med" not in BREV.read_text(encoding="utf-8")


def _docx_with(project: Path, name: str, data: bytes, extra: dict[str, bytes]) -> Path:
    path = project / name
    base = project / "base.docx"
    _opening().save(str(base))
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, source.read(info))
        for part, content in extra.items():
            out.writestr(part, content)
    return path


@pytest.mark.parametrize(
    ("part", "content", "expected"),
    [
        ("../../evil.txt", b"x", "holds a part named '../../evil.txt'"),
        ("/etc/evil", b"x", "holds a part named '/etc/evil'"),
        ("word/vbaProject.bin", b"x", "holds macros (word/vbaProject.bin)"),
        (
            "word/glossary.xml",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;&a;</x>',
            "part word/glossary.xml declares a DOCTYPE or entities",
        ),
        ("word/media/bomb.xml", b"\0" * (300 * 2**20), "part word/media/bomb.xml unpacks to more"),
        ("word/media/dense.xml", b"\0" * (20 * 2**20), "times larger than it is packed"),
    ],
)
def test_an_unsafe_archive_is_refused_before_pandoc(
    project: Path, part: str, content: bytes, expected: str
) -> None:
    path = _docx_with(project, "brev.docx", b"", {part: content})
    code, said = imported(path)
    assert code == 1, said
    assert expected in said
    assert not BREV.exists()


def test_a_docm_is_refused(project: Path) -> None:
    _opening().save(str(project / "brev.docm"))
    code, said = imported(project / "brev.docm")
    assert code == 1
    assert "a Word file with macros" in said


def test_reimport_marks_exactly_the_changed_segment_fuzzy(project: Path) -> None:
    """A newer version of the document with one paragraph changed: after
    ``update``, one fuzzy entry in each language, with the old text as ``#|``,
    and every other translation as it was."""
    assert imported(letter_document(project / "brev.docx"))[0] == 0
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    catalogs = sorted(Path("locale").glob("*/LC_MESSAGES/brev.po"))
    assert len(catalogs) >= 2
    for po_path in catalogs:
        po = polib.pofile(str(po_path))
        for entry in po:
            entry.msgstr = f"<{po_path.parts[1]}> {entry.msgid}"
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save()
    old = next(b for b in letter_body() if b.startswith("Vi glæder os"))
    new = "Vi glæder os meget til samarbejdet i den nye valgperiode."
    code, said = imported(letter_document(project / "brev.docx", (old, new)))
    assert code == 0 and said.startswith("rewrote source/brev/brev.da.md"), said
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    for po_path in catalogs:
        po = polib.pofile(str(po_path))
        fuzzy = [e for e in po if "fuzzy" in e.flags]
        assert [(e.msgid, e.previous_msgid) for e in fuzzy] == [(new, old)], po_path
        assert all(e.msgstr == f"<{po_path.parts[1]}> {e.msgid}" for e in po if e not in fuzzy)
    assert LETTER.exists()


def test_a_skipped_heading_level_is_the_authors_to_fix(project: Path) -> None:
    document = _opening()
    document.add_heading("Baggrund", level=1)
    document.add_heading("Detaljer", level=3)
    said = _refused(project, document)
    assert "brev.docx: heading 'Detaljer' is Heading 3 after Heading 1: expected Heading 2" in said


def test_an_embedded_object_is_refused(project: Path) -> None:
    document = _opening()
    paragraph = document.add_paragraph("Regnearket:")
    paragraph.add_run()._r.append(
        docx.oxml.parse_xml(
            '<w:object xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
        )
    )
    said = _refused(project, document)
    assert "paragraph 3 ('Regnearket:'): holds an embedded object (OLE" in said


def test_a_picture_too_large_is_refused_at_its_paragraph(project: Path) -> None:
    document = _opening()
    add_picture(document, project, "En meget bred stribe")
    blip = document.paragraphs[-1]._p.findall(".//" + qn("a:blip"))[-1]
    document.part.related_parts[blip.get(qn("r:embed"))]._blob = png(20_001, 1)
    said = _refused(project, document)
    assert (
        "paragraph 3, after 'Kære alle': the picture media/image1.png is 20001 x 1 pixels" in said
    )


def test_what_the_letter_policy_refuses_is_refused_before_anything_is_written(
    project: Path,
) -> None:
    document = _opening()
    document.add_paragraph("Hilsen på kinesisk: 世界")
    said = _refused(project, document)
    assert "brev.docx: the letter it makes is refused: no font of the PDF has 世 (U+4E16)" in said


def test_an_existing_letter_of_that_name_is_not_replaced(project: Path) -> None:
    _opening().save(str(project / "letter.docx"))
    before = LETTER.read_bytes()
    code, said = imported_as(project / "letter.docx", "letter")
    assert code == 1
    assert "source/letter.da.md: a letter named 'letter' is there already" in said
    assert (project / "source" / "letter.da.md").read_bytes() == before


def test_an_opendocument_letter_is_imported(project: Path) -> None:
    """An .odt (here written by pandoc from a small letter) imports like a .docx."""
    from klpublish import pandoc

    doc = pandoc.markdown_to_ast(
        "---\ntitle: Brev fra LibreOffice\n---\n\nKære alle\n\n# Mødet\n\nVi ses.\n", "odt"
    )
    (project / "brev.odt").write_bytes(pandoc.ast_to_bytes(doc, "odt", "odt", standalone=True))
    code, said = imported(project / "brev.odt")
    assert code == 0, said
    text = BREV.read_text(encoding="utf-8")
    assert "title: Brev fra LibreOffice" in text and "## Mødet" in text


def test_reimport_says_which_pictures_the_letter_no_longer_shows(project: Path) -> None:
    document = _opening()
    add_picture(document, project, "Kort over kommunerne")
    document.save(str(project / "brev.docx"))
    assert imported(project / "brev.docx")[0] == 0
    assert (BREV.parent / "kort-over-kommunerne.png").exists()
    _opening().save(str(project / "brev.docx"))
    code, said = imported(project / "brev.docx")
    assert code == 0, said
    assert "pictures the letter no longer shows, left beside it: kort-over-kommunerne.png" in said
    assert "kort-over-kommunerne" not in BREV.read_text(encoding="utf-8")


def test_a_letter_folder_that_is_a_link_is_refused(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / "source" / "brev").symlink_to(elsewhere, target_is_directory=True)
    _opening().save(str(project / "brev.docx"))
    code, said = imported(project / "brev.docx")
    assert code == 1
    assert "source/brev: is a symbolic link or not a folder" in said
    assert list(elsewhere.iterdir()) == []


def test_sections_under_a_title_style_begin_at_heading_2(project: Path) -> None:
    """A document whose title has Word's Title style and whose sections begin at
    Heading 2 (as pandoc, and many templates, write one) is the same letter as one
    whose sections begin at Heading 1."""
    document = _opening()
    document.add_heading("Baggrund", level=2)
    document.add_heading("Detaljer", level=3)
    document.add_heading("Videre", level=2)
    document.save(str(project / "brev.docx"))
    code, said = imported(project / "brev.docx")
    assert code == 0, said
    body = BREV.read_text(encoding="utf-8")
    assert "\n## Baggrund\n" in body and "\n### Detaljer\n" in body and "\n## Videre\n" in body


def test_an_empty_heading_is_dropped_with_a_warning(project: Path) -> None:
    """Word shows a heading style on an empty paragraph as nothing: the letter does
    not get a heading without words (which it would refuse), and the author is told."""
    document = _opening()
    document.add_heading("", level=1)
    document.add_paragraph("Tekst.")
    document.save(str(project / "brev.docx"))
    code, said = imported(project / "brev.docx")
    assert code == 0, said
    assert "dropped 1 empty heading(s)" in said
    assert "#" not in BREV.read_text(encoding="utf-8").split("---")[2]


def test_lint_and_publish_name_each_field_left_to_fill_in(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fields import could not find are commented lines in the front matter:
    the letter publishes without them, and lint and publish name each at its line
    until the author fills it in or removes the line."""
    document = _opening()
    document.add_paragraph("Tekst.")
    document.save(str(project / "brev.docx"))
    assert imported(project / "brev.docx")[0] == 0
    lines = BREV.read_text(encoding="utf-8").splitlines()
    expected = {
        f"{BREV}:{n}: warning: '{line[2:].partition(':')[0]}' is not filled in"
        for n, line in enumerate(lines, start=1)
        if line.startswith("# ")
    }
    assert len(expected) >= 5, lines
    capsys.readouterr()
    main(["lint"])
    said = capsys.readouterr()
    assert expected <= {line.partition(": the line")[0] for line in said.out.splitlines()}, said
    assert main(["publish", "--source", str(BREV), "--format", "html", "--no-index"]) == 0
    said = capsys.readouterr()
    published = said.out + said.err
    assert expected <= {line.partition(": the line")[0] for line in published.splitlines()}
    date = next(n for n, line in enumerate(lines) if line.startswith("# date:"))
    lines[date] = "date: 2018-01-10"
    BREV.write_text("\n".join(lines) + "\n", encoding="utf-8")
    main(["lint"])
    assert "'date' is not filled in" not in capsys.readouterr().out
