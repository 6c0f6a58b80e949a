"""Where a translation filled from memory came from, read back from the translator
comment ``memory.comment`` wrote on its entry (for the review page)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_OURS = "memory: "
_ORIGIN = re.compile(
    r"memory: (?:exact match|same text in context .*|near match \((?P<percent>\d+)%\)) "
    r"from (?P<where>.+)"
)
"""The three forms of ``memory.comment``."""


@dataclass(frozen=True)
class Origin:
    where: str
    """The file and line of the memory (``locale/de/LC_MESSAGES/other.po:12``)."""
    ratio: float | None
    """How similar its Danish text was; None: the same text."""


def origin_of(comments: Sequence[str]) -> Origin | None:
    """The origin among an entry's translator comments, if memory filled it."""
    for text in comments:
        found = _ORIGIN.fullmatch(text)
        if found:
            percent = found.group("percent")
            return Origin(found.group("where"), int(percent) / 100 if percent else None)
    return None


def translator_comments(comments: Sequence[str]) -> list[str]:
    """An entry's translator comments, less the one memory wrote."""
    return [text for text in comments if not text.startswith(_OURS)]
