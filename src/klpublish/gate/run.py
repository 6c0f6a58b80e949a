"""Run every checker on everything ``publish`` made; write ``OUT/reports/``."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from ..assessment import Source, Translated, assess_languages
from ..errors import KlpublishError, display_path
from ..layout import Layout
from ..locales import language_facts
from ..locations import plain_text
from ..segments import sites_of
from ..source import read_letter
from . import tools
from .pdf import check_pdf, structure_blocks
from .reading_order import order_in_pdf, order_in_text, snapshot_text

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


def _pdf_order(pdf: Path, segments: list[str], rtl: bool) -> list[str]:
    return order_in_pdf(segments, structure_blocks(pdf), rtl)


def unpack_epub(book: Path, into: Path) -> list[Path]:
    """The EPUB's XHTML documents, unpacked for the browser-based checkers."""
    if into.exists():
        shutil.rmtree(into)
    with zipfile.ZipFile(book) as archive:
        archive.extractall(into)
    return sorted(into.rglob("*.xhtml"))


def _msgfmt(layout: Layout, lang: str) -> list[str]:
    """msgfmt on a catalog known to be a file in the tree (never a link out of it)."""
    try:
        po = layout.catalog(lang)
    except KlpublishError as exc:
        return [str(exc)]
    return tools.msgfmt(po)


def run_gate(layout: Layout, project: Path, progress: Callable[[str], None]) -> GateReport:
    report = GateReport()
    reports = layout.reports
    reports.mkdir(parents=True, exist_ok=True)
    letter = read_letter(layout.source)
    assessed = {
        k: a
        for k, a in assess_languages(letter, layout, 0.0).items()
        if isinstance(a, Source | Translated)
    }
    langs = [lang for lang in assessed if layout.output(lang, "html").is_file()]

    html = {lang: layout.output(lang, "html") for lang in langs}
    epub = {
        lang: layout.output(lang, "epub") for lang in langs if layout.output(lang, "epub").is_file()
    }
    pdf = {
        lang: layout.output(lang, "pdf") for lang in langs if layout.output(lang, "pdf").is_file()
    }
    xhtml = {lang: unpack_epub(book, reports / "epub" / lang) for lang, book in epub.items()}
    index = layout.index_page

    pages: list[tuple[str, str, Path]] = [(lang, "html", p) for lang, p in html.items()]
    pages += [(lang, "epub", p) for lang, files in xhtml.items() for p in files]
    if index.is_file():
        pages.append(("index", "html", index))

    for checker, config in (
        ("pa11y", "pa11y.config.js"),
        ("pa11y-wcag22", "pa11y-wcag22.config.js"),
    ):
        progress(f"{checker}: {len(pages)} pages")
        try:
            found = tools.pa11y([p for _, _, p in pages], project, config)
            for lang, fmt, page in pages:
                report.findings.append(
                    Finding(
                        checker, lang, fmt, display_path(page), found.get(str(page.resolve()), [])
                    )
                )
        except KlpublishError as exc:
            report.findings.append(Finding(checker, "all", "html", "", error=str(exc)))

    progress("layout: reflow at 320 px and 200 %, contrast in light and dark")
    html_pages = [*html.values(), *([index] if index.is_file() else [])]
    try:
        found = tools.layout(html_pages, project)
        for page in html_pages:
            lang = page.parent.name if page != index else "index"
            report.findings.append(
                Finding(
                    "layout", lang, "html", display_path(page), found.get(str(page.resolve()), [])
                )
            )
    except KlpublishError as exc:
        report.findings.append(Finding("layout", "all", "html", "", error=str(exc)))

    progress("vnu: HTML validity")
    try:
        found = tools.vnu(html_pages, project)
        for page in html_pages:
            lang = page.parent.name if page != index else "index"
            report.findings.append(
                Finding("vnu", lang, "html", display_path(page), found.get(str(page.resolve()), []))
            )
    except KlpublishError as exc:
        report.findings.append(Finding("vnu", "all", "html", "", error=str(exc)))

    for lang, book in epub.items():
        progress(f"epubcheck, ace: {display_path(book)}")
        report.findings.append(
            _guard(
                Finding("epubcheck", lang, "epub", display_path(book)),
                partial(tools.epubcheck, book),
            )
        )
        report.findings.append(
            _guard(
                Finding("ace", lang, "epub", display_path(book)),
                partial(tools.ace, book, project, reports / "ace" / lang),
            )
        )

    for lang, file in pdf.items():
        progress(f"pdf, pdfua: {display_path(file)}")
        report.findings.append(
            _guard(Finding("pdf", lang, "pdf", display_path(file)), partial(check_pdf, file))
        )
        report.findings.append(
            _guard(Finding("pdfua", lang, "pdf", display_path(file)), partial(tools.pdfua, file))
        )

    progress("reading order: HTML, EPUB, PDF")
    snapshot_pages = [
        *html.values(),
        *[p for files in xhtml.values() for p in files if "/text/" in str(p)],
    ]
    try:
        snapshots = tools.aria_snapshots(snapshot_pages, project)
    except KlpublishError as exc:
        snapshots = {}
        report.findings.append(Finding("reading-order", "all", "html", "", error=str(exc)))
    for lang in langs:
        doc = assessed[lang].doc
        assert doc is not None
        segments = [plain_text(s.inlines) for s in sites_of(doc) if not s.is_meta]
        if snapshots:
            text = snapshot_text(snapshots.get(str(html[lang].resolve()), ""))
            report.findings.append(
                Finding(
                    "reading-order",
                    lang,
                    "html",
                    display_path(html[lang]),
                    order_in_text(segments, text),
                )
            )
            chapters = [p for p in xhtml.get(lang, []) if "/text/" in str(p)]
            if chapters:
                text = "".join(snapshot_text(snapshots.get(str(p.resolve()), "")) for p in chapters)
                report.findings.append(
                    Finding(
                        "reading-order",
                        lang,
                        "epub",
                        display_path(epub[lang]),
                        order_in_text(segments, text),
                    )
                )
        rtl = language_facts(lang).direction == "rtl"
        rtl = language_facts(lang).direction == "rtl"
        if lang in pdf:
            report.findings.append(
                _guard(
                    Finding("reading-order", lang, "pdf", display_path(pdf[lang])),
                    partial(_pdf_order, pdf[lang], segments, rtl),
                )
            )

    for lang in layout.languages():
        po = layout.po_path(lang)
        finding = Finding("msgfmt", lang, "po", display_path(po))
        report.findings.append(_guard(finding, partial(_msgfmt, layout, lang)))

    for checker in CHECKERS:
        mine = [asdict(f) for f in report.findings if f.checker == checker]
        (reports / f"{checker}.json").write_text(
            json.dumps({"checker": checker, "results": mine}, ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
    return report
