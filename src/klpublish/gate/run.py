"""Run every checker on everything ``publish`` made; write ``OUT/reports/``."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from ..errors import KlpublishError, ToolError, display_path
from ..layout import Layout
from ..locales import language_facts
from ..locations import plain_text
from ..segments import Node, iter_nodes, sites_of
from . import orca, tools
from .pdf import check_pdf, structure_blocks
from .reading_order import order_in_pdf, order_in_text, snapshot_text
from .site import Site, known_parts, read_site
from .structure import html_languages, pdf_structure, snapshot_parts, structure_problems

CHECKERS = (
    "pa11y",
    "pa11y-wcag22",
    "layout",
    "vnu",
    "epubcheck",
    "ace",
    "pdf",
    "pdfua",
    "reading-order",
    "structure",
    "screen-reader",
    "msgfmt",
)


@dataclass
class Finding:
    checker: str
    lang: str
    fmt: str
    file: str
    problems: list[str] = field(default_factory=list)
    error: str = ""
    """The checker itself could not run (counts as a failure)."""

    @property
    def passed(self) -> bool:
        return not self.problems and not self.error


class CheckerFailed(Finding):
    """A checker that could not run at all, so that no page has a verdict of it:
    one finding for every page, whose row in the table and the report is "all"."""

    def __init__(self, checker: str, fmt: str, error: str) -> None:
        super().__init__(checker, "all", fmt, "", [], error)


@dataclass
class GateReport:
    findings: list[Finding] = field(default_factory=list)

    @property
    def failed(self) -> list[Finding]:
        return [f for f in self.findings if not f.passed]

    def table(self) -> list[str]:
        rows = sorted({(f.lang, f.fmt) for f in self.findings})
        checkers = [c for c in CHECKERS if any(f.checker == c for f in self.findings)]
        head = ["lang", "format", *checkers]
        body = []
        for lang, fmt in rows:
            cells = [lang, fmt]
            for checker in checkers:
                mine = [
                    f for f in self.findings if (f.lang, f.fmt, f.checker) == (lang, fmt, checker)
                ]
                if not mine:
                    cells.append("-")
                    continue
                bad = sum(len(f.problems) + bool(f.error) for f in mine)
                cells.append(f"FAIL {bad}" if bad else f"pass {len(mine)}")
            body.append(cells)
        widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
        return [
            "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
            for r in [head, *body]
        ]


def _guard(finding: Finding, work: Callable[[], list[str]]) -> Finding:
    try:
        finding.problems = work()
    except (KlpublishError, OSError, ValueError) as exc:
        finding.error = str(exc)
    return finding


def _per_page_findings(
    checker: str,
    rows: list[tuple[str, str, Path]],
    check: Callable[[list[Path]], dict[str, list[str]]],
) -> list[Finding]:
    """One finding per page of a checker that takes many pages at once. A page the
    checker gave no result for failed: silence is never a pass."""
    try:
        found = check([page for _, _, page in rows])
    except KlpublishError as exc:
        return [CheckerFailed(checker, "html", str(exc))]
    findings = []
    for lang, fmt, page in rows:
        finding = Finding(checker, lang, fmt, display_path(page))
        result = found.get(tools.page_key(str(page)))
        if result is None:
            finding.error = f"{checker} gave no result for this file"
        else:
            finding.problems = result
        findings.append(finding)
    return findings


def image_alts(doc: Node | None) -> list[str]:
    """The alternative text of each image of a translated letter, in order."""
    nodes = iter_nodes(doc["blocks"]) if doc is not None else []
    return [plain_text(node["c"][1]) for node in nodes if node["t"] == "Image"]


def _structure_findings(
    lang: str,
    page: Path,
    book: tuple[Path | None, list[Path]],
    pdf_file: Path | None,
    snapshots: dict[str, str],
) -> list[Finding]:
    """The EPUB's and the PDF's structure against the HTML's."""

    def tree(path: Path) -> str:
        found = snapshots.get(tools.page_key(str(path)))
        if found is None:
            raise ToolError(f"no accessibility tree of {display_path(path)}")
        return found

    def html_structure() -> tuple[list[str], list[str]]:
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
            _guard(
                Finding("structure", lang, "epub", display_path(book[0])),
                partial(epub_structure, book[1]),
            )
        )
    if pdf_file is not None:
        findings.append(
            _guard(
                Finding("structure", lang, "pdf", display_path(pdf_file)),
                partial(pdf_structure_problems, pdf_file),
            )
        )
    return findings


def _pdf_order(pdf: Path, segments: list[str], rtl: bool) -> list[str]:
    return order_in_pdf(segments, structure_blocks(pdf), rtl)


Heard = tuple[str, str, Path, tuple[tuple[str, str], ...], str]
"""A page Orca reads: language, format, file, its known parts, its transcript's name."""


def screen_reader_findings(pages: Sequence[Heard], out: Path) -> list[Finding]:
    """Orca reads every page in one session; a transcript of each goes to ``out``."""
    listened = [
        orca.Page(p, out / lang / f"{name}.{fmt}.txt", parts) for lang, fmt, p, parts, name in pages
    ]
    try:
        found = orca.check_pages(listened)
    except KlpublishError as exc:
        return [CheckerFailed("screen-reader", "html", str(exc))]
    return [
        Finding("screen-reader", lang, fmt, display_path(p), found[p])
        for lang, fmt, p, _, _ in pages
    ]


def _msgfmt(layout: Layout, lang: str) -> list[str]:
    """msgfmt on a catalog known to be a file in the tree (never a link out of it)."""
    try:
        po = layout.catalog(lang)
    except KlpublishError as exc:
        return [str(exc)]
    return tools.msgfmt(po)


def _transcript_name(site: Site, fmt: str, page: Path) -> str:
    """An EPUB's documents have the same names in every letter's book."""
    return page.stem if fmt == "html" else f"{site.layout.name}.{page.stem}"


def run_gate(
    layouts: Sequence[Layout], project: Path, progress: Callable[[str], None]
) -> GateReport:
    """Every checker on the outputs of every letter in ``layouts`` (which share one
    output folder), and on the index page."""
    # The checkers run in the Node project's folder: they are given absolute paths.
    layouts = [Layout(one.source, one.locales, one.out.absolute()) for one in layouts]
    report = GateReport()
    reports = layouts[0].reports
    reports.mkdir(parents=True, exist_ok=True)
    sites = [read_site(layout) for layout in layouts]
    index = layouts[0].index_page

    pages = [row for site in sites for row in site.pages]
    html_rows = [(lang, "html", p) for site in sites for lang, p in site.html.items()]
    if index.is_file():
        pages.append(("index", "html", index))
        html_rows.append(("index", "html", index))
    per_page = (
        ("pa11y", pages, partial(tools.pa11y, config="pa11y.config.js")),
        ("pa11y-wcag22", pages, partial(tools.pa11y, config="pa11y-wcag22.config.js")),
        ("layout", html_rows, tools.layout),
        ("vnu", html_rows, tools.vnu),
    )
    for checker, rows, check in per_page:
        progress(f"{checker}: {len(rows)} pages")
        report.findings += _per_page_findings(checker, rows, partial(check, project=project))

    for site in sites:
        report.findings += _book_findings(site, project, reports, progress)

    progress("reading order: HTML, EPUB, PDF")
    snapshot_pages = [
        p for site in sites for p in [*site.html.values(), *(
            p for lang in site.xhtml for p in site.chapters(lang))]
    ]  # fmt: skip
    try:
        snapshots = tools.aria_snapshots(snapshot_pages, project)
    except KlpublishError as exc:
        snapshots = {}
        report.findings.append(CheckerFailed("reading-order", "html", str(exc)))
    for site in sites:
        report.findings += _order_findings(site, snapshots)

    progress("structure: HTML, EPUB, PDF")
    for site in sites:
        for lang in site.langs:
            report.findings += _structure_findings(
                lang,
                site.html[lang],
                (site.epub.get(lang), site.chapters(lang)),
                site.pdf.get(lang),
                snapshots,
            )

    progress(f"screen-reader: Orca reads {len(pages)} pages")
    heard: list[Heard] = [
        (lang, fmt, p, known_parts(site), _transcript_name(site, fmt, p))
        for site in sites
        for lang, fmt, p in site.pages
    ]
    if index.is_file():
        every = tuple(dict.fromkeys(part for site in sites for part in known_parts(site)))
        heard.append(("index", "html", index, every, index.stem))
    report.findings += screen_reader_findings(heard, reports / "screen-reader")

    for site in sites:
        layout = site.layout
        for lang in layout.languages():
            finding = Finding("msgfmt", lang, "po", display_path(layout.po_path(lang)))
            report.findings.append(_guard(finding, partial(_msgfmt, layout, lang)))

    for checker in CHECKERS:
        mine = [asdict(f) for f in report.findings if f.checker == checker]
        (reports / f"{checker}.json").write_text(
            json.dumps({"checker": checker, "results": mine}, ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
    return report


def _book_findings(
    site: Site, project: Path, reports: Path, progress: Callable[[str], None]
) -> list[Finding]:
    """EPUBCheck and Ace on each EPUB; our own checks and veraPDF's rules on each PDF."""
    findings = []
    for lang, book in site.epub.items():
        progress(f"epubcheck, ace: {display_path(book)}")
        findings.append(
            _guard(
                Finding("epubcheck", lang, "epub", display_path(book)),
                partial(tools.epubcheck, book),
            )
        )
        findings.append(
            _guard(
                Finding("ace", lang, "epub", display_path(book)),
                partial(tools.ace, book, project, reports / "ace" / site.layout.name / lang),
            )
        )
    for lang, file in site.pdf.items():
        progress(f"pdf, pdfua: {display_path(file)}")
        findings.append(
            _guard(
                Finding("pdf", lang, "pdf", display_path(file)),
                partial(check_pdf, file, image_alts(site.assessed[lang].doc)),
            )
        )
        findings.append(
            _guard(Finding("pdfua", lang, "pdf", display_path(file)), partial(tools.pdfua, file))
        )
    return findings


def _order_findings(site: Site, snapshots: dict[str, str]) -> list[Finding]:
    """Each letter's segments, in order, in what a browser exposes and in the PDF's tags."""
    findings: list[Finding] = []
    for lang in site.langs:
        doc = site.assessed[lang].doc
        assert doc is not None
        segments = [plain_text(s.inlines) for s in sites_of(doc) if not s.is_meta]
        html = site.html[lang]
        if snapshots:
            text = snapshot_text(snapshots.get(tools.page_key(str(html)), ""))
            order = order_in_text(segments, text)
            findings.append(Finding("reading-order", lang, "html", display_path(html), order))
            chapters = site.chapters(lang)
            if chapters:
                text = "".join(
                    snapshot_text(snapshots.get(tools.page_key(str(p)), "")) for p in chapters
                )
                findings.append(
                    Finding(
                        "reading-order",
                        lang,
                        "epub",
                        display_path(site.epub[lang]),
                        order_in_text(segments, text),
                    )
                )
        rtl = language_facts(lang).direction == "rtl"
        if lang in site.pdf:
            findings.append(
                _guard(
                    Finding("reading-order", lang, "pdf", display_path(site.pdf[lang])),
                    partial(_pdf_order, site.pdf[lang], segments, rtl),
                )
            )
    return findings
