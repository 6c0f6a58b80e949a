"""States held as data, not recovered from sentinels or from English text: which
languages an assessment weighs, a segment's kind, the source's status row, a
checker that could not run at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from klpublish.build.need import EveryLanguage, OnlyThese, TheseAndCachedVerdicts, only
from klpublish.segments.walk import sites_of


def test_need_says_which_languages_are_weighed_and_which_may_come_from_the_cache() -> None:
    assert only(()) == EveryLanguage()
    assert only(["en"]) == OnlyThese(frozenset({"en"}))
    every, these = EveryLanguage(), OnlyThese(frozenset({"en"}))
    cached = TheseAndCachedVerdicts(frozenset({"en"}))
    assert every.wanted("de") and every.fresh("de")
    assert these.wanted("en") and not these.wanted("de") and these.fresh("en")
    assert cached.wanted("de") and not cached.fresh("de") and cached.fresh("en")
    assert not TheseAndCachedVerdicts().fresh("en")


def _plain(text: str) -> dict[str, Any]:
    return {"t": "Plain", "c": [{"t": "Str", "c": text}]}


def _cell(text: str) -> list[Any]:
    return [["", [], []], {"t": "AlignDefault"}, 1, 1, [_plain(text)]]


def _table() -> dict[str, Any]:
    head = [["", [], []], [[["", [], []], [_cell("head")]]]]
    body = [["", [], []], 0, [], [[["", [], []], [_cell("body")]]]]
    caption = [None, [_plain("caption")]]
    colspecs = [[{"t": "AlignDefault"}, {"t": "ColWidthDefault"}]]
    return {"t": "Table", "c": [["", [], []], caption, colspecs, head, [body], [["", [], []], []]]}


def test_a_segment_s_kind_is_its_container_s_whatever_its_description_says() -> None:
    """Tight text is named after the container that holds it, carried down the walk."""
    note = {"t": "Note", "c": [_plain("in a note")]}
    doc = {
        "meta": {},
        "blocks": [
            _plain("alone"),
            {"t": "BlockQuote", "c": [_plain("quoted"), {"t": "BulletList", "c": [[_plain("i")]]}]},
            {"t": "Para", "c": [{"t": "Str", "c": "noted"}, note]},
            _table(),
            {"t": "DefinitionList", "c": [[[{"t": "Str", "c": "term"}], [[_plain("means")]]]]},
            {"t": "Figure", "c": [["", [], []], [None, [_plain("figure caption")]], [_plain("x")]]},
        ],
    }
    kinds = {s.inlines[0]["c"]: (s.kind, s.description) for s in sites_of(doc)}
    assert kinds == {
        "alone": ("paragraph", "Paragraph"),
        "quoted": ("block quote", "Block quote"),
        "i": ("list item", "List item 1 of 1, in block quote"),
        "in a note": ("footnote", "Footnote 1"),
        "noted": ("paragraph", "Paragraph"),
        "caption": ("table", "Table caption"),
        "head": ("table cell", "Table header cell, row 1, column 1"),
        "body": ("table cell", "Table body cell, row 2, column 1"),
        "term": ("term", "Term of definition 1 of 1"),
        "means": ("definition", "Definition 1 of 1"),
        "figure caption": ("figure caption", "Figure caption"),
        "x": ("paragraph", "Figure"),
    }


def test_the_source_s_row_is_marked_as_the_source(project: Path) -> None:
    from klpublish.build.status import collect_status, format_table
    from klpublish.project import DEFAULT_SOURCE, Layout

    rows = collect_status(Layout(DEFAULT_SOURCE), 80.0)
    assert [r.source for r in rows] == [True] + [False] * (len(rows) - 1)
    assert rows[0].as_dict()["reason"] == "source" and "source" not in rows[0].as_dict()
    assert rows[1].as_dict()["reason"] == ""
    assert format_table(rows)[1].split()[7] == "source"


def test_a_checker_that_could_not_run_is_its_own_kind_of_finding() -> None:
    from klpublish.errors import ToolError
    from klpublish.gate.findings import CheckerFailed, GateReport, per_page_findings
    from klpublish.gate.published import CheckedPage

    def cannot_run(pages: list[CheckedPage]) -> dict[str, list[str]]:
        raise ToolError("pa11y-ci is not installed")

    rows = [
        CheckedPage("en", "html", Path("a.html"), "letter", "letter"),
        CheckedPage("de", "html", Path("b.html"), "letter", "letter"),
    ]
    [finding] = per_page_findings("pa11y", rows, cannot_run)
    assert isinstance(finding, CheckerFailed) and not finding.passed
    assert finding.error == "pa11y-ci is not installed"
    assert GateReport([finding]).table()[1].split() == ["letter", "all", "html", "FAIL", "1"]


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_a_checker_failure_is_said_for_every_page(fmt: str) -> None:
    from dataclasses import asdict

    from klpublish.gate.findings import CheckerFailed
    from klpublish.gate.published import CheckedPage

    pages = [CheckedPage(lang, fmt, Path(lang), "letter", "letter") for lang in ("de", "en")]
    said = asdict(CheckerFailed("ace", "Ace gave no report", pages))
    assert said == {
        "checker": "ace",
        "lang": "all",
        "fmt": fmt,
        "file": "",
        "problems": [],
        "error": "Ace gave no report",
        "letter": "letter",
    }
