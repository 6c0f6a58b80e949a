"""The checks of the books and PDFs: EPUBCheck and Ace each on every EPUB at once, our
PDF rules and the pdfua package on each PDF."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from klpublish.errors import display_path
from klpublish.gate import tools
from klpublish.gate.findings import Finding, Progress, guard, per_page_findings
from klpublish.gate.pdf_rules import check_pdf
from klpublish.gate.published import CheckedPage, PublishedLetter
from klpublish.letter.figures import FigureText, captioned_images
from klpublish.letter.nodes import Node, iter_nodes, plain_text


def image_alts(doc: Node | None) -> list[str]:
    """The alternative text of each image of a translated letter, in order."""
    nodes = iter_nodes(doc["blocks"]) if doc is not None else []
    return [plain_text(node["c"][1]) for node in nodes if node["t"] == "Image"]


def figure_texts(doc: Node | None) -> tuple[list[str], list[FigureText]]:
    """What the PDF's figures must say: each image's alternative text, and each
    captioned image's two texts."""
    captioned = captioned_images(doc["blocks"]) if doc is not None else []
    return image_alts(doc), captioned


def _books(letters: list[PublishedLetter]) -> list[tuple[CheckedPage, Path]]:
    """Every letter's every EPUB, each with the folder of its Ace report."""
    return [
        (
            CheckedPage(lang, "epub", book, "letter", letter.layout.name),
            letter.layout.ace_report(lang),
        )
        for letter in letters
        for lang, book in letter.epub.items()
    ]


def epubcheck_findings(letters: list[PublishedLetter], progress: Progress) -> list[Finding]:
    """EPUBCheck on every letter's every EPUB, in one run."""
    books = [book for book, _ in _books(letters)]
    progress(f"epubcheck: {len(books)} books")
    return per_page_findings(
        "epubcheck", books, lambda rows: tools.epubcheck_books([row.path for row in rows])
    )


def ace_findings(
    letters: list[PublishedLetter], project: Path, progress: Progress
) -> list[Finding]:
    """Ace on every letter's every EPUB, in one run; each book's report in its place."""
    pairs = _books(letters)
    reports = {book.path: report for book, report in pairs}
    progress(f"ace: {len(pairs)} books")
    return per_page_findings(
        "ace",
        [book for book, _ in pairs],
        lambda rows: tools.ace_books([(row.path, reports[row.path]) for row in rows], project),
    )


def pdf_findings(letter: PublishedLetter, progress: Progress) -> list[Finding]:
    """Our own checks and the pdfua package's rules on each PDF."""
    name = letter.layout.name
    findings = []
    for lang, file in letter.pdf.items():
        progress(f"pdf, pdfua: {display_path(file)}")
        findings.append(
            guard(
                Finding("pdf", lang, "pdf", display_path(file), letter=name),
                partial(check_pdf, file, *figure_texts(letter.assessed[lang].doc)),
            )
        )
        findings.append(
            guard(
                Finding("pdfua", lang, "pdf", display_path(file), letter=name),
                partial(tools.pdfua, file),
            )
        )
    return findings
