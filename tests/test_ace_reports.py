"""Ace's word on each book, read from its report: anything but a report that names
its failures, or a pass, is an error (a failure of the gate, never a pass)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from klpublish.errors import ToolError
from klpublish.gate import tools

FAILED = {
    "earl:result": {"earl:outcome": "fail", "dct:description": "no summary"},
    "earl:test": {"earl:impact": "serious", "dct:title": "metadata-accessibilitysummary"},
}


def report(folder: Path, assertions: list[dict[str, object]]) -> Path:
    folder.mkdir(exist_ok=True)
    document = {"earl:testSubject": {"url": "EPUB/content.opf"}, "assertions": assertions}
    (folder / "report.json").write_text(json.dumps({"assertions": [document]}), "utf-8")
    return folder


def test_a_failed_assertion_is_named_with_its_document(tmp_path: Path) -> None:
    found = tools._ace_report(report(tmp_path, [FAILED]), "fail")
    assert found == ["serious: metadata-accessibilitysummary: no summary (EPUB/content.opf)"]


def test_a_pass_with_nothing_failed_has_no_findings(tmp_path: Path) -> None:
    """Only "fail" is a finding: Ace also says "pass", "cantTell" (a person should
    look; it does not fail the book) and "inapplicable"."""
    others = [
        {**FAILED, "earl:result": {"earl:outcome": outcome}}
        for outcome in ("pass", "cantTell", "inapplicable")
    ]
    assert tools._ace_report(report(tmp_path, others), "pass") == []


@pytest.mark.parametrize(
    ("verdict", "written", "expected"),
    [
        (None, False, "error: Ace gave no verdict on this book"),
        ("error: Ace could not open the book", False, "error: Ace could not open the book"),
        ("pass", False, "error: Ace's report could not be read"),
        ("fail", True, "error: Ace failed the book, and its report names no failed"),
    ],
)
def test_a_book_without_a_verdict_or_a_readable_report_fails(
    tmp_path: Path, verdict: str | None, written: bool, expected: str
) -> None:
    folder = report(tmp_path / "r", []) if written else tmp_path / "none"
    found = tools._ace_report(folder, verdict)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_a_report_that_is_no_json_fails(tmp_path: Path) -> None:
    (tmp_path / "report.json").write_text("{not json", "utf-8")
    found = tools._ace_report(tmp_path, "pass")
    assert len(found) == 1 and found[0].startswith("error: Ace's report could not be read")


def test_report_folders_that_cannot_be_made_are_the_checkers_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("", "utf-8")
    with pytest.raises(ToolError, match="report folders could not be made ready"):
        tools.ace_books([(tmp_path / "book.epub", blocker / "ace")], tmp_path)
