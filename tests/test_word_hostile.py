"""``klpublish import`` given a Word document as a hostile or careless author
writes it (issue 24): text that looks like Markdown stays the author's words,
and what the document holds is refused or said with the paragraph or part."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from docx.enum.text import WD_BREAK

from klpublish.__main__ import main
from klpublish.letter.nodes import iter_nodes, plain_text
from klpublish.letter.read import read_letter
from word_documents import new_document

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


def imported(document: Path, name: str = "brev") -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["import", str(document), "--name", name])
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
