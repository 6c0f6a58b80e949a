"""The screen-reader comparisons on a recorded session: what Orca said and the text runs
of the accessibility tree while it read ``screen-reader/sound.html``
(``sound.record.json``, recorded with ``gate.orca.listening``). Each test changes the
record the way a broken page would change it and names the problem the checker must
report; the unchanged record passes (the control)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from klpublish.gate.page_text import parse_page
from klpublish.gate.screen_reader import check_listening
from klpublish.gate.spoken_symbols import read_symbols

FIXTURES = Path(__file__).parent / "screen-reader"
RECORDED = json.loads((FIXTURES / "sound.record.json").read_text(encoding="utf-8"))
PARTS = (
    ("Weidekampsgade 10", "da"),
    ("2300 København S", "da"),
    ("Dansk", "da"),
    ("العربية", "ar"),
)


def problems(record: dict[str, Any]) -> list[str]:
    root = parse_page((FIXTURES / RECORDED["page"]).read_bytes(), False)
    return check_listening(root, record, read_symbols(RECORDED["symbols"]), PARTS)


@pytest.fixture
def record() -> dict[str, Any]:
    return copy.deepcopy(RECORDED["record"])


def _said(record: dict[str, Any], text: str) -> int:
    return next(n for n, u in enumerate(record["said"]) if u["text"].strip() == text)


def test_the_recorded_session_passes(record: dict[str, Any]) -> None:
    assert problems(record) == []


def test_a_wrong_page_summary_fails(record: dict[str, Any]) -> None:
    n = _said(record, "Page has 4 landmarks, 1 heading, 2 unvisited links.")
    record["said"][n]["text"] = "Page has 4 landmarks, 1 heading, 3 unvisited links."
    found = problems(record)
    assert any(p.startswith("page summary: Orca says") for p in found), found


def test_no_page_summary_fails(record: dict[str, Any]) -> None:
    del record["said"][_said(record, "Page has 4 landmarks, 1 heading, 2 unvisited links.")]
    assert "Orca announced no page summary (did the page load?)" in problems(record)


def test_a_word_heard_that_is_not_on_the_page_fails(record: dict[str, Any]) -> None:
    # A word of its own between two of the page's: an insertion, nothing replaced.
    n = _said(record, "الرسالة")
    record["said"].insert(n + 1, {"text": "Hemmeligt", "lang": "en-US"})
    found = problems(record)
    assert any(p.startswith("heard but not on the page") and "[Hemmeligt]" in p for p in found), (
        found
    )


def test_a_word_heard_otherwise_fails(record: dict[str, Any]) -> None:
    n = _said(record, "hygge")
    record["said"][n]["text"] = "hyggelig"
    found = problems(record)
    assert any(p.startswith("heard otherwise") and "hyggelig" in p for p in found), found


def test_a_word_not_heard_fails(record: dict[str, Any]) -> None:
    del record["said"][_said(record, "hygge")]
    found = problems(record)
    assert any(p.startswith("not heard") and "hygge" in p for p in found), found


def test_a_run_handed_over_with_no_language_fails(record: dict[str, Any]) -> None:
    n = next(i for i, r in enumerate(record["runs"]) if r["text"] == "hygge")
    record["runs"][n]["lang"] = ""
    found = problems(record)
    assert "'hygge' is handed to the screen reader as '(none)', the page marks it 'da'" in found, (
        found
    )


def test_a_known_part_missing_from_the_tree_fails(record: dict[str, Any]) -> None:
    # The address is in the letterhead and in the footer: gone from both runs.
    record["runs"] = [r for r in record["runs"] if "Weidekampsgade" not in r["text"]]
    found = problems(record)
    assert "'Weidekampsgade 10' is not in the accessibility tree" in found, found


def test_a_known_part_in_another_language_fails(record: dict[str, Any]) -> None:
    for run in record["runs"]:
        if run["text"] == "Dansk":
            run["lang"] = "ar"
    found = problems(record)
    assert "'Dansk' is handed to the screen reader as 'ar', expected 'da'" in found, found


def test_an_empty_accessibility_tree_fails(record: dict[str, Any]) -> None:
    record["runs"] = []
    assert "the accessibility tree held no text" in problems(record)


def test_something_said_before_the_page_fails(record: dict[str, Any]) -> None:
    record["said"].insert(0, {"text": "Translate this page?", "lang": ""})
    assert "heard before the page was read: 'Translate this page?'" in problems(record)


def test_a_page_announced_by_another_title_fails(record: dict[str, Any]) -> None:
    n = next(i for i, u in enumerate(record["said"]) if u["text"].startswith("Finished loading"))
    record["said"][n]["text"] = "Finished loading ch001.xhtml."
    found = problems(record)
    assert any("the page is announced as 'ch001.xhtml'" in p for p in found), found
