"""The word-level difference between the Danish a translation was made for and the
Danish of today, as the review page shows it: removed words in ``<del>``, added ones
in ``<ins>``, each said aloud with a word of the reviewer's language before it
(a screen reader may not say that text is inserted or deleted by itself)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from klpublish.render.review_text import Html

Change = tuple[str, str]
"""``("equal" | "delete" | "insert", words)``."""


def word_diff(old: str, new: str) -> list[Change]:
    """``old`` turned into ``new``, word by word, runs of one kind joined."""
    before, after = old.split(), new.split()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    changes: list[Change] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            changes.append(("delete", " ".join(before[a0:a1])))
        if op in ("insert", "replace"):
            changes.append(("insert", " ".join(after[b0:b1])))
        if op == "equal":
            changes.append(("equal", " ".join(before[a0:a1])))
    return changes


@dataclass(frozen=True)
class Spoken:
    """The words said before a change, in the reviewer's language."""

    inserted: str
    deleted: str
    lang: str
    """Their language, as a BCP 47 tag."""


def diff_html(changes: Sequence[Change], spoken: Spoken) -> Html:
    """The changes as HTML, every word escaped; the spoken words visually hidden."""
    lang = escape(spoken.lang, quote=True)
    parts = []
    for op, text in changes:
        words = escape(text, quote=False)
        if op == "equal":
            parts.append(words)
            continue
        tag, said = ("ins", spoken.inserted) if op == "insert" else ("del", spoken.deleted)
        hidden = f'<span class="vh" lang="{lang}">{escape(said, quote=False)}</span>'
        parts.append(f"<{tag}>{hidden} {words}</{tag}>")
    return Html(" ".join(parts))
