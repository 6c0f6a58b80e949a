"""A source segment and its translation, as the checks (``checkers``) read
them: each side walked once, and what every check asks of it kept."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from klpublish.letter.characters import CharacterProblem, character_problems
from klpublish.letter.nodes import Inlines, Node, nodes_and_text
from klpublish.segments.walk import note_ref_number


class Side:
    """One side of a pair, walked once for every check: the segment's own nodes
    in document order, its readable text (as ``plain_text`` reads it), its
    running words (``Str`` only: no code, no link targets), and how many nodes
    of each kind it has."""

    def __init__(self, inlines: Inlines, *, translated: bool = False) -> None:
        self.nodes, self.text = _own(inlines, translated=translated)
        self.kinds = Counter(node["t"] for node in self.nodes)
        self.prose = " ".join(node["c"] for node in self.nodes if node["t"] == "Str")


@dataclass
class Pair:
    """A source segment and its translation (text as written, inlines as parsed)."""

    msgid: str
    source: Inlines
    msgstr: str
    translation: Inlines

    @cached_property
    def ours(self) -> Side:
        return Side(self.translation, translated=True)

    @cached_property
    def theirs(self) -> Side:
        """The source segment's side."""
        return Side(self.source)

    @cached_property
    def written_problems(self) -> list[CharacterProblem]:
        """The character policy's findings in the msgstr as written (two checks read them)."""
        return character_problems(self.msgstr)


def _own(inlines: Inlines, *, translated: bool) -> tuple[list[Node], str]:
    """The segment's own nodes, and its readable text: a footnote's text is a
    segment of its own, and no part of the text.

    In a translation only the stand-ins for the source's footnotes are skipped:
    a footnote the translator wrote is the translator's text, checked as such
    (its nodes are walked; its words, as ``plain_text`` has it, are not text)."""
    return nodes_and_text(
        inlines, enter_note=lambda note: translated and note_ref_number(note) is None
    )
