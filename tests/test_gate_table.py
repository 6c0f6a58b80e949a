"""The gate's table has a row per letter, language and format, and every finding
names its letter: the index page's says it is the index, a catalog's the letter
it translates, a checker that could not run what it was to check."""

from __future__ import annotations

from pathlib import Path

import pytest

from klpublish.errors import ToolError
from klpublish.gate.findings import ALL, CheckerFailed, Finding, GateReport, per_page_findings
from klpublish.gate.published import INDEX, CheckedPage


def page(letter: str, lang: str, fmt: str = "html") -> CheckedPage:
    return CheckedPage(lang, fmt, Path(f"{letter}.{lang}.{fmt}"), "letter", letter)


def cannot_run(pages: list[CheckedPage]) -> dict[str, list[str]]:
    raise ToolError("pa11y-ci is not installed")


def passes(pages: list[CheckedPage]) -> dict[str, list[str]]:
    from klpublish.gate.tools import page_key

    return {page_key(str(p.path)): [] for p in pages}


def test_two_letters_in_one_language_and_format_are_two_rows() -> None:
    found = per_page_findings("pa11y", [page("letter", "de"), page("third", "de")], passes)
    found[1].problems = ["heading has no letters"]
    found.append(Finding("msgfmt", "de", "po", "locale/de/LC_MESSAGES/third.po", letter="third"))
    table = GateReport(found).table()
    assert [line.split() for line in table] == [
        ["letter", "lang", "format", "pa11y", "msgfmt"],
        ["letter", "de", "html", "pass", "1", "-"],
        ["third", "de", "html", "FAIL", "1", "-"],
        ["third", "de", "po", "-", "pass", "1"],
    ]


def test_the_index_page_is_its_own_row() -> None:
    index = CheckedPage("da", "html", Path("index.html"), "navigation", INDEX)
    [finding] = per_page_findings("vnu", [index], passes)
    assert (finding.letter, finding.lang, finding.fmt) == (INDEX, "da", "html")
    assert GateReport([finding]).table()[1].split() == [INDEX, "da", "html", "pass", "1"]


@pytest.mark.parametrize(
    ("pages", "said"),
    [
        ([page("third", "pl")], ("third", "pl", "html")),
        ([page("third", "pl"), page("third", "pl", "epub")], ("third", "pl", ALL)),
        ([page("third", "pl"), page("third", "ar")], ("third", ALL, "html")),
        ([page("third", "pl"), page("second", "pl")], (ALL, "pl", "html")),
        ([page("third", "pl"), page("second", "ar", "epub")], (ALL, ALL, ALL)),
        ([], (ALL, ALL, ALL)),
    ],
)
def test_a_checker_that_could_not_run_names_what_it_was_to_check(
    pages: list[CheckedPage], said: tuple[str, str, str]
) -> None:
    [finding] = per_page_findings("pa11y", pages, cannot_run)
    assert isinstance(finding, CheckerFailed)
    assert (finding.letter, finding.lang, finding.fmt) == said
    assert finding.error == "pa11y-ci is not installed" and not finding.passed
