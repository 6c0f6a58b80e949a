"""Each segment's ``#:`` line is the line its text stands on in the letter, also
for a table whose caption follows its rows and whose short cells repeat words of
the paragraphs and footnotes before it."""

from __future__ import annotations

from pathlib import Path

from klpublish.letter.read import parse_document
from klpublish.segments.messages import letter_messages

THIRD = Path(__file__).parent / "letters" / "third" / "third.da.md"

LETTER = """\
---
title: Regionerne
lang: da
---

Hver region har sit råd, og kommuner mødes der.[^1]

[^1]: Et råd samler kommunerne i en region.
    Kommuner vælger medlemmerne.

| Region      | Kommuner |
|-------------|---------:|
| Hovedstaden |       29 |
| Sjælland    |       17 |

: Antal kommuner i hver region

Region og kommuner igen.
"""


def lines_of(text: str, name: str) -> dict[str, int]:
    return {m.msgid: m.line for m in letter_messages(parse_document(text, name))}


def test_table_cells_are_found_in_the_table_not_in_the_text_before_it() -> None:
    assert lines_of(LETTER, "letter.da.md") == {
        "Regionerne": 2,
        "Hver region har sit råd, og kommuner mødes der.[^1]": 6,
        "Et råd samler kommunerne i en region. Kommuner vælger medlemmerne.": 8,
        "Region": 11,
        "Kommuner": 11,
        "Hovedstaden": 13,
        "Sjælland": 14,
        "Antal kommuner i hver region": 16,
        "Region og kommuner igen.": 18,
    }


def test_the_third_test_letter_s_table_and_figure() -> None:
    text = THIRD.read_text(encoding="utf-8")
    found = lines_of(text, THIRD.name)
    lines = text.splitlines()
    for msgid in ("Region", "Hovedstaden", "Nordjylland", "Antal kommuner i hver region"):
        assert msgid in lines[found[msgid] - 1], (msgid, found[msgid])
    figure = [m for m in found if m.startswith("![")]
    assert len(figure) == 1 and "kommuner.png" in lines[found[figure[0]] - 1]
