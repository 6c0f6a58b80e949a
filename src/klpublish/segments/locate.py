"""Source line numbers for segments.

Pandoc's Markdown reader keeps no positions, so each segment's text is looked up
in the source: letters and digits only, so that markup, escapes and line wrapping
in the source do not matter. Body segments are searched in order (a cursor moves
on past each one found whole), footnotes and metadata each within their own
stretch. Footnote definitions stand apart from the text that refers to them, so
the body's search skips them; a table's caption may stand after its rows, so
finding it does not move the cursor past the rows.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from klpublish.letter.nodes import plain_text
from klpublish.segments.walk import Site

_PREFIX = 24
_NOTE_START = re.compile(r"\s{0,3}\[\^[^\]\s]+\]:")
TABLE_CAPTION = "table"
"""The kind the walk gives a table caption's text (it stands in the table)."""


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def footnote_lines(lines: Sequence[str]) -> set[int]:
    """The 0-based lines of footnote definitions: the ``[^x]:`` line and what
    follows it indented or blank, as pandoc reads a definition's blocks."""
    found: set[int] = set()
    inside = False
    for number, line in enumerate(lines):
        if _NOTE_START.match(line):
            inside = True
        elif line.strip() and not line.startswith((" ", "\t")):
            inside = False
        if inside:
            found.add(number)
    return found


class _Index:
    """The source as one string of letters and digits, mapped back to lines;
    ``skip`` lines count as empty."""

    def __init__(self, lines: Sequence[str], skip: set[int] | None = None) -> None:
        chars: list[str] = []
        self.starts: list[int] = []
        for number, line in enumerate(lines):
            self.starts.append(len(chars))
            if not skip or number not in skip:
                chars.extend(_squash(line))
        self.text = "".join(chars)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)  # 1-based line

    def offset_of_line(self, line_index: int) -> int:
        return self.starts[line_index] if line_index < len(self.starts) else len(self.text)

    def find(self, needle: str, start: int, end: int) -> tuple[int, int]:
        """Where ``needle``, or failing that its longest prefix tried, first
        stands in ``start:end``, and how much of it was found there."""
        for size in (len(needle), _PREFIX, 12, 6, 3):
            if len(needle) >= size or size == 3:
                found = self.text.find(needle[:size], start, end)
                if found >= 0:
                    return found, min(size, len(needle))
        return -1, 0


_MARK = re.compile(r"^\s*(#{1,6}|[-*+]|\d{1,9}[.)]|>)\s+")


def _alone(lines: Sequence[str], text: str, first: int) -> int | None:
    """The 1-based line, from the 0-based ``first`` on, that holds ``text`` and
    nothing else but a heading's, a list item's or a quote's mark."""
    want = " ".join(text.split())
    for number in range(max(first, 0), len(lines)):
        if want and _MARK.sub("", lines[number]).rstrip("# \t").strip() == want:
            return number + 1
    return None


def locate(sites: Sequence[Site], lines: Sequence[str], body_start: int) -> list[int]:
    """The 1-based source line of each site (0 where the text cannot be found)."""
    index = _Index(lines)
    text = _Index(lines, footnote_lines(lines))
    body = index.offset_of_line(body_start)
    cursor = body
    meta_cursor = 0
    result: list[int] = []
    for site in sites:
        needle = _squash(plain_text(site.inlines))
        if site.is_meta:
            if not needle:
                result.append(0)
                continue
            found, _ = index.find(needle, meta_cursor, body)
            if found < 0:
                found, _ = index.find(needle, 0, body)
            if found >= 0:
                meta_cursor = found + 1
            result.append(index.line_of(found) if found >= 0 else 0)
            continue
        if not needle:  # no letters nor digits: "." alone, or an image without alt text
            # From the previous segment's line: the cursor may stand past blank
            # lines and this very line, which squash to nothing.
            after = result[-1] - 1 if result and result[-1] > 0 else body_start
            alone = _alone(lines, plain_text(site.inlines), after)
            result.append(alone or (result[-1] if result else body_start + 1))
            continue
        searched = index if site.in_note else text
        found, size = searched.find(needle, body if site.in_note else cursor, len(searched.text))
        if found < 0:
            found, size = searched.find(needle, body, len(searched.text))
        if found >= 0 and not site.in_note and site.kind != TABLE_CAPTION:
            # Past the whole text when it was found whole: a short segment after
            # it (a table cell) is not found inside it.
            cursor = found + (size if size == len(needle) else 1)
        result.append(searched.line_of(found) if found >= 0 else 0)
    return result
