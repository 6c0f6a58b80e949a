"""The gate's findings: one per checker and file, the table they make, and their reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from klpublish.errors import KlpublishError, display_path
from klpublish.gate import tools
from klpublish.gate.published import CheckedPage
from klpublish.project import Layout

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
    "language",
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

    def write(self, layout: Layout) -> None:
        """One JSON report per checker, under the layout's reports folder."""
        for checker in CHECKERS:
            mine = [asdict(f) for f in self.findings if f.checker == checker]
            layout.project.gate_report(checker).write_text(
                json.dumps({"checker": checker, "results": mine}, ensure_ascii=False, indent=2),
                encoding="utf-8",
            )


def guard(finding: Finding, work: Callable[[], list[str]]) -> Finding:
    """``finding`` with what ``work`` found, or with why it could not run."""
    try:
        finding.problems = work()
    except (KlpublishError, OSError, ValueError) as exc:
        finding.error = str(exc)
    return finding


def per_page_findings(
    checker: str,
    rows: list[CheckedPage],
    check: Callable[[list[CheckedPage]], dict[str, list[str]]],
) -> list[Finding]:
    """One finding per page of a checker that takes many pages at once. A page the
    checker gave no result for failed: silence is never a pass."""
    try:
        found = check(rows)
    except KlpublishError as exc:
        return [CheckerFailed(checker, "html", str(exc))]
    findings = []
    for row in rows:
        finding = Finding(checker, row.lang, row.fmt, display_path(row.path))
        result = found.get(tools.page_key(str(row.path)))
        if result is None:
            finding.error = f"{checker} gave no result for this file"
        else:
            finding.problems = result
        findings.append(finding)
    return findings
