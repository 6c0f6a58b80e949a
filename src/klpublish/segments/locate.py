"""Source line numbers for segments.

Pandoc's Markdown reader keeps no positions, so each segment's text is looked up
in the source: letters and digits only, so that markup, escapes and line wrapping
in the source do not matter. Body segments are searched in order (a cursor moves
on), footnotes and metadata each within their own stretch.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from klpublish.letter.nodes import plain_text
from klpublish.segments.walk import Site

_PREFIX = 24


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class _Index:
    """The source as one string of letters and digits, mapped back to lines."""

    def __init__(self, lines: Sequence[str]) -> None:
        chars: list[str] = []
        self.starts: list[int] = []
        for line in lines:
            self.starts.append(len(chars))
            chars.extend(_squash(line))
        self.text = "".join(chars)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)  # 1-based line

    def offset_of_line(self, line_index: int) -> int:
        return self.starts[line_index] if line_index < len(self.starts) else len(self.text)

    def find(self, needle: str, start: int, end: int) -> int:
        for size in (_PREFIX, 12, 6, 3):
            if len(needle) >= size or size == 3:
                found = self.text.find(needle[:size], start, end)
                if found >= 0:
                    return found
        return -1


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
            found = index.find(needle, meta_cursor, body)
            if found < 0:
                found = index.find(needle, 0, body)
            if found >= 0:
                meta_cursor = found + 1
        else:
            if not needle:  # no letters nor digits: "." alone, or an image without alt text
                alone = _alone(lines, plain_text(site.inlines), index.line_of(cursor) - 1)
                result.append(alone or (result[-1] if result else body_start + 1))
                continue
            start = body if site.in_note else cursor
            found = index.find(needle, start, len(index.text))
            if found < 0:
                found = index.find(needle, body, len(index.text))
            if found >= 0 and not site.in_note:
                cursor = found + 1
        result.append(index.line_of(found) if found >= 0 else 0)
    return result
