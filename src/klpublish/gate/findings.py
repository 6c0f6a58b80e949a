"""The gate's findings: one per checker and file, the table they make, and their reports."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from klpublish.errors import KlpublishError, display_path
from klpublish.gate import tools
from klpublish.gate.published import CheckedPage
from klpublish.project import Layout

CHECKERS = (
    "pa11y",
    "layout",
    "vnu",
    "epubcheck",
    "ace",
    "pdf",
    "pdfua",
    "reading-order",
    "structure",
    "screen-reader",
    "content",
    "msgfmt",
    "language",
)


Progress = Callable[[str], None]
"""Where the gate says which checker runs on what, line by line."""

ALL = "all"
"""A finding's letter, language or format when it stands for several."""


@dataclass
class Finding:
    checker: str
    lang: str
    fmt: str
    file: str
    problems: list[str] = field(default_factory=list)
    error: str = ""
    """The checker itself could not run (counts as a failure)."""
    letter: str = field(kw_only=True)
    """The letter whose file was checked: its name (a catalog's too), or
    ``published.INDEX`` for the index page, which shows every letter."""

    @property
    def passed(self) -> bool:
        return not self.problems and not self.error


class CheckerFailed(Finding):
    """A checker that could not run at all, so that none of the ``pages`` it was to
    check has a verdict of it: one finding for them all. Its letter, language and
    format are theirs where they share one, else ``ALL``."""

    def __init__(self, checker: str, error: str, pages: Iterable[CheckedPage]) -> None:
        rows = list(pages)
        super().__init__(
            checker,
            _shared(row.lang for row in rows),
            _shared(row.fmt for row in rows),
            "",
            [],
            error,
            letter=_shared(row.letter for row in rows),
        )


def _shared(values: Iterable[str]) -> str:
    """The one value all of ``values`` have, else ``ALL`` (none at all included)."""
    found = set(values)
    return found.pop() if len(found) == 1 else ALL


@dataclass
class GateReport:
    findings: list[Finding] = field(default_factory=list)

    @property
    def failed(self) -> list[Finding]:
        return [f for f in self.findings if not f.passed]

    def table(self) -> list[str]:
        """A row per letter, language and format, a column per checker."""
        rows = sorted({(f.letter, f.lang, f.fmt) for f in self.findings})
        checkers = [c for c in CHECKERS if any(f.checker == c for f in self.findings)]
        head = ["letter", "lang", "format", *checkers]
        body = []
        for row in rows:
            cells = list(row)
            for checker in checkers:
                mine = [
                    f
                    for f in self.findings
                    if (f.letter, f.lang, f.fmt) == row and f.checker == checker
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
        return [CheckerFailed(checker, str(exc), rows)]
    findings = []
    for row in rows:
        finding = Finding(checker, row.lang, row.fmt, display_path(row.path), letter=row.letter)
        result = found.get(tools.page_key(str(row.path)))
        if result is None:
            finding.error = f"{checker} gave no result for this file"
        else:
            finding.problems = result
        findings.append(finding)
    return findings
