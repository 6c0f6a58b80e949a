"""Run every checker on everything ``publish`` made; write ``OUT/reports/``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from klpublish.build.content import check_content
from klpublish.catalogs.po import msgfmt_problems
from klpublish.errors import KlpublishError, ToolError, display_path
from klpublish.gate import book_findings, orca, tools
from klpublish.gate.findings import (
    CheckerFailed,
    Finding,
    GateReport,
    Progress,
    guard,
    per_page_findings,
)
from klpublish.gate.languages import language_findings
from klpublish.gate.pdf_text import structure_blocks
from klpublish.gate.published import (
    CheckedPage,
    PublishedLetter,
    index_page,
    known_parts,
    read_published,
    review_pages,
)
from klpublish.gate.reading_order import (
    note_segments,
    page_order,
    pdf_order,
    reading_segments,
    snapshot_text,
)
from klpublish.gate.structure import (
    Structure,
    html_languages,
    pdf_structure,
    snapshot_parts,
    structure_problems,
)
from klpublish.gate.tools import PageKind
from klpublish.locales import language_facts
from klpublish.project import Layout

PageCheck = Callable[[list[CheckedPage]], dict[str, list[str]]]


def run_gate(layouts: Sequence[Layout], project: Path, progress: Progress) -> GateReport:
    """Every checker on the outputs of every letter in ``layouts`` (which share one
    output folder), and on the index page; ``project`` holds the Node checkers."""
    layouts = [one.absolute() for one in layouts]
    layouts[0].project.reports.mkdir(parents=True, exist_ok=True)
    letters = [read_published(layout) for layout in layouts]
    index = index_page(layouts, letters[0].letter.lang)
    reviews = review_pages(layouts)
    report = GateReport()
    heard = _heard_pages(letters, index, reviews)
    progress(f"screen-reader: Orca reads {len(heard)} pages, while the others check")
    # Orca mostly waits on its talk with Chromium over AT-SPI; the others use the processor.
    with orca.reading([listened for _, listened in heard]) as screen_reader:
        report.findings += _browser_findings(letters, index, project, progress, reviews)
        report.findings += book_findings.epubcheck_findings(letters, progress)
        report.findings += book_findings.ace_findings(letters, project, progress)
        for letter in letters:
            report.findings += book_findings.pdf_findings(letter, progress)
        report.findings += _tree_findings(letters, project, progress)
        progress("screen-reader: waiting for Orca")
        report.findings += _screen_reader_findings(heard, screen_reader)
    progress("content: headings, link texts, alt texts, accessibility summary")
    report.findings += [found for letter in letters for found in content_findings(letter)]
    report.findings += [
        guard(
            Finding(
                "msgfmt",
                lang,
                "po",
                display_path(letter.layout.po_path(lang)),
                letter=letter.layout.name,
            ),
            partial(_msgfmt, letter.layout, lang),
        )
        for letter in letters
        for lang in letter.layout.languages()
    ]
    progress("language: which language each block reads as")
    report.findings += language_findings(letters)
    report.write(layouts[0])
    return report


Reviews = Sequence[tuple[CheckedPage, Path]]
"""The review pages, each with where its screen-reader transcript goes."""


def _browser_findings(
    letters: list[PublishedLetter],
    index: CheckedPage | None,
    project: Path,
    progress: Progress,
    reviews: Reviews = (),
) -> list[Finding]:
    """The checkers that take every page at once: pa11y, layout and vnu."""
    pages = [page for letter in letters for page in letter.pages]
    html = [page for page in pages if page.fmt == "html"]
    others = [*([index] if index is not None else []), *(page for page, _ in reviews)]
    pages += others
    html += others

    per_page: tuple[tuple[str, list[CheckedPage], PageCheck], ...] = (
        ("pa11y", pages, lambda rows: tools.pa11y(_kinds(rows), project, "pa11y.config.js")),
        ("layout", html, lambda rows: tools.layout([row.path for row in rows], project)),
        ("vnu", html, lambda rows: tools.vnu([row.path for row in rows], project)),
    )
    findings = []
    for checker, rows, check in per_page:
        progress(f"{checker}: {len(rows)} pages")
        findings += per_page_findings(checker, rows, check)
    return findings


def _kinds(rows: list[CheckedPage]) -> list[tuple[Path, PageKind]]:
    return [(row.path, row.kind) for row in rows]


def _tree_findings(
    letters: list[PublishedLetter], project: Path, progress: Progress
) -> list[Finding]:
    """Reading order and structure, from Chromium's accessibility tree of the HTML and
    the EPUB and from the PDF's tags."""
    progress("reading order: HTML, EPUB, PDF")
    findings: list[Finding] = []
    pages = [
        page
        for letter in letters
        for page in letter.pages
        if page.fmt == "html" or page.path in letter.chapters(page.lang)
    ]
    try:
        snapshots = tools.aria_snapshots([page.path for page in pages], project)
    except KlpublishError as exc:
        snapshots = {}
        findings.append(CheckerFailed("reading-order", str(exc), pages))
    for letter in letters:
        findings += _order_findings(letter, snapshots)
    progress("structure: HTML, EPUB, PDF")
    for letter in letters:
        for lang in letter.langs:
            findings += _structure_findings(
                lang,
                letter.html[lang],
                (letter.epub.get(lang), letter.chapters(lang)),
                letter.pdf.get(lang),
                snapshots,
                letter=letter.layout.name,
            )
    return findings


Heard = list[tuple[CheckedPage, orca.Page]]


def _heard_pages(
    letters: list[PublishedLetter], index: CheckedPage | None, reviews: Reviews
) -> Heard:
    """Every page Orca reads, where its transcript goes, the parts of known language."""
    heard = [
        (
            page,
            orca.Page(
                page.path,
                letter.layout.transcript(page.lang, page.fmt, page.path),
                known_parts(letter),
            ),
        )
        for letter in letters
        for page in letter.pages
    ]
    if index is not None:
        every = tuple(dict.fromkeys(part for letter in letters for part in known_parts(letter)))
        transcript = letters[0].layout.project.index_transcript
        heard.append((index, orca.Page(index.path, transcript, every)))
    heard += [(page, orca.Page(page.path, transcript)) for page, transcript in reviews]
    return heard


def _screen_reader_findings(
    heard: Heard, screen_reader: Callable[[], dict[Path, list[str]]]
) -> list[Finding]:
    """What Orca heard on every page, one session for them all (``orca.reading``); a
    transcript of each goes to the reports."""
    try:
        found = screen_reader()
    except KlpublishError as exc:
        return [CheckerFailed("screen-reader", str(exc), [page for page, _ in heard])]
    return [
        Finding(
            "screen-reader",
            page.lang,
            page.fmt,
            display_path(page.path),
            found[page.path],
            letter=page.letter,
        )
        for page, _ in heard
    ]


def content_findings(letter: PublishedLetter) -> list[Finding]:
    """The content checks (``build.content``) on each language's letter: one finding
    for each format the language was published in, with what that format shows (the
    accessibility summary is not in the PDF), each problem said at its ``.po`` or
    source line. A check that cannot run fails every format of the language."""
    findings = []
    for lang in letter.langs:
        files = {"html": letter.html.get(lang), "epub": letter.epub.get(lang)}
        files["pdf"] = letter.pdf.get(lang)
        outputs = {fmt: display_path(path) for fmt, path in files.items() if path is not None}
        try:
            found = check_content(letter.letter, letter.layout, letter.assessed[lang])
        except (KlpublishError, OSError, ValueError) as exc:
            findings += [
                Finding("content", lang, fmt, f, error=str(exc), letter=letter.layout.name)
                for fmt, f in outputs.items()
            ]
            continue
        findings += [
            Finding(
                "content",
                lang,
                fmt,
                file,
                [str(p) for p in found if fmt in p.formats],
                letter=letter.layout.name,
            )
            for fmt, file in outputs.items()
        ]
    return findings


def _msgfmt(layout: Layout, lang: str) -> list[str]:
    """msgfmt on a catalog known to be a file in the tree (never a link out of it)."""
    try:
        po = layout.catalog(lang)
    except KlpublishError as exc:
        return [str(exc)]
    return msgfmt_problems(po)


def _structure_findings(
    lang: str,
    page: Path,
    book: tuple[Path | None, list[Path]],
    pdf_file: Path | None,
    snapshots: dict[str, str],
    *,
    letter: str,
) -> list[Finding]:
    """The EPUB's and the PDF's structure against the HTML's, of ``letter``."""

    def tree(path: Path) -> str:
        found = snapshots.get(tools.page_key(str(path)))
        if found is None:
            raise ToolError(f"no accessibility tree of {display_path(path)}")
        return found

    def html_structure() -> Structure:
        return snapshot_parts(tree(page)), html_languages(page)

    def epub_structure(chapters: list[Path]) -> list[str]:
        parts = [part for p in chapters for part in snapshot_parts(tree(p))]
        langs = [lang for p in chapters for lang in html_languages(p)]
        return structure_problems(html_structure(), (parts, langs), "EPUB")

    def pdf_structure_problems(file: Path) -> list[str]:
        found = pdf_structure(file)
        return structure_problems(html_structure(), (found.parts, found.languages), "PDF")

    findings = []
    if book[0] is not None:
        findings.append(
            guard(
                Finding("structure", lang, "epub", display_path(book[0]), letter=letter),
                partial(epub_structure, book[1]),
            )
        )
    if pdf_file is not None:
        findings.append(
            guard(
                Finding("structure", lang, "pdf", display_path(pdf_file), letter=letter),
                partial(pdf_structure_problems, pdf_file),
            )
        )
    return findings


def _pdf_order(pdf: Path, segments: list[str], notes: list[str], rtl: bool) -> list[str]:
    return pdf_order(segments, notes, structure_blocks(pdf), rtl)


def _order_findings(letter: PublishedLetter, snapshots: dict[str, str]) -> list[Finding]:
    """Each letter's segments, in order, in what a browser exposes and in the PDF's tags."""
    name = letter.layout.name
    findings: list[Finding] = []
    for lang in letter.langs:
        doc = letter.assessed[lang].doc
        assert doc is not None
        segments, notes = reading_segments(doc), note_segments(doc)
        html = letter.html[lang]
        if snapshots:
            text = snapshot_text(snapshots.get(tools.page_key(str(html)), ""))
            order = page_order(segments, notes, text)
            findings.append(
                Finding("reading-order", lang, "html", display_path(html), order, letter=name)
            )
            chapters = letter.chapters(lang)
            if chapters:
                text = "".join(
                    snapshot_text(snapshots.get(tools.page_key(str(p)), "")) for p in chapters
                )
                findings.append(
                    Finding(
                        "reading-order",
                        lang,
                        "epub",
                        display_path(letter.epub[lang]),
                        page_order(segments, notes, text),
                        letter=name,
                    )
                )
        rtl = language_facts(lang).direction == "rtl"
        if lang in letter.pdf:
            findings.append(
                guard(
                    Finding(
                        "reading-order", lang, "pdf", display_path(letter.pdf[lang]), letter=name
                    ),
                    partial(_pdf_order, letter.pdf[lang], segments, notes, rtl),
                )
            )
    return findings
