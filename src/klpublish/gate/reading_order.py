"""The same segments, in the same order, in every format.

HTML and EPUB are read from Chromium's accessibility tree; the PDF from its
structure tree. Text is compared as letters and digits only. In the PDF each
segment is matched to a structure element by its letters as a multiset, since
extractors show right-to-left runs reversed (see TOOLCHAIN notes)."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

from klpublish.gate.structure import unquoted
from klpublish.letter.figures import as_read
from klpublish.letter.nodes import Node, plain_text
from klpublish.segments.walk import sites_of

PREFIX = 32


def _body_segments(doc: Node, in_note: bool) -> list[str]:
    shown = {**doc, "blocks": as_read(doc["blocks"])}
    return [
        plain_text(site.inlines)
        for site in sites_of(shown)
        if not site.is_meta and site.in_note == in_note
    ]


def reading_segments(doc: Node) -> list[str]:
    """The letter's body segments in the order a reader meets them, without its
    footnotes: a figure's image (its alternative text) before its caption, and a
    caption that says what the image's alternative text says once, as the image's
    (``letter.figures``).

    Footnotes are left out because each format puts them elsewhere: HTML and EPUB at
    the end (pandoc's endnotes, the EPUB's ``aside``), the PDF in a ``Note`` right
    after its reference; ``note_segments`` are checked in their own order."""
    return _body_segments(doc, in_note=False)


def note_segments(doc: Node) -> list[str]:
    """The text of the letter's footnotes, in the order of their references."""
    return _body_segments(doc, in_note=True)


def squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


_SNAPSHOT_LINE = re.compile(r'^\s*- [a-z]+(?: "(?P<name>(?:[^"\\]|\\.)*)")?(?: \[[^\]]*\])*:? ?')


def snapshot_text(snapshot: str) -> str:
    """The words of an ariaSnapshot, without link targets and other properties,
    and without its role words: ``- link "x":`` inside a paragraph must not put
    "link" between the paragraph's words."""
    words = []
    for line in map(unquoted, snapshot.splitlines()):
        if line.strip().startswith("- /"):
            continue
        match = _SNAPSHOT_LINE.match(line)
        if match:
            words.append(f"{match.group('name') or ''} {line[match.end() :]}")
        else:
            words.append(line)
    return squash("\n".join(words))


def order_in_text(segments: Sequence[str], text: str, label: str = "segment") -> list[str]:
    """Problems, if the segments do not occur in ``text`` in their order."""
    problems = []
    cursor = 0
    for n, segment in enumerate(segments, start=1):
        needle = squash(segment)[:PREFIX]
        if not needle:
            continue
        found = text.find(needle, cursor)
        if found < 0:
            earlier = text.find(needle)
            where = "earlier than expected" if 0 <= earlier < cursor else "not at all"
            problems.append(f"{label} {n} ('{segment[:50]}') comes {where}")
            continue
        cursor = found + len(needle)
    return problems


_SHAPES = ("بتثنيىئپی", "جحخچ", "دذ", "رزژ", "سش", "صض", "طظ", "عغ", "فق", "ةه", "كکگ")
_SHAPE = {letter: group[0] for group in _SHAPES for letter in group}
"""Arabic-script letters by their shape without dots. The PDF's fonts draw a letter
as its dotless shape plus dot glyphs, and their ToUnicode maps decode those parts as
other letters (``ن`` as ``بض``, ``ز`` as ``رض``, ``ي`` as ``يي``): compared by shape,
with the dot glyphs' ``ض`` left out and a shape's repeats as one, both sides agree."""


_SHAPES_SET = frozenset(_SHAPE.values())


def _skeleton(text: str) -> str:
    shapes = [_SHAPE.get(ch, ch) for ch in squash(text)]
    kept = [ch for ch in shapes if ch != "ص"]
    return "".join(
        ch for i, ch in enumerate(kept) if not (ch in _SHAPES_SET and i and kept[i - 1] == ch)
    )


def _bigrams(text: str) -> set[tuple[str, str]]:
    """Unordered letter-shape pairs: the same whichever way a run of text was stored."""
    letters = _skeleton(text)
    return {(a, b) if a <= b else (b, a) for a, b in itertools.pairwise(letters)}


def _same_letters(segment: str, block: str) -> float:
    """How far two texts hold the same letters, whatever their order (0 to 1)."""
    a, b = Counter(squash(segment)), Counter(squash(block))
    larger = max(sum(a.values()), sum(b.values()))
    return sum((a & b).values()) / larger if larger else 0.0


def _resemblance(segment: str, block: str) -> float:
    a, b = _bigrams(segment), _bigrams(block)
    return len(a & b) / len(a | b) if a | b else 0.0


def order_in_pdf(
    segments: Sequence[str],
    blocks: Sequence[tuple[str, str]],
    rtl: bool = False,
    label: str = "segment",
) -> list[str]:
    """Problems, if the body segments are not the structure tree's body blocks
    (those after the title, H1) in order.

    Left to right, a block must hold the segment's letters and no others. Right to left, the
    PDF's text is stored in visual order, with shaped glyphs some of which decode
    twice; there each segment goes to the block whose unordered letter pairs
    resemble it most, and those blocks must come in order."""
    titles = [i for i, (kind, _) in enumerate(blocks) if kind == "H1"]
    body = [text for _, text in blocks[titles[0] + 1 :]] if titles else [t for _, t in blocks]
    problems = []
    last = 0
    for n, segment in enumerate(segments, start=1):
        if not squash(segment):
            continue
        if rtl:
            scores = [_resemblance(segment, b) for b in body]
            best = max(range(len(body)), key=lambda i: scores[i], default=-1)
            if best < 0 or scores[best] < 0.25:
                problems.append(f"{label} {n} ('{segment[:50]}') is not in the structure tree")
            elif best < last:
                problems.append(f"{label} {n} ('{segment[:50]}') comes earlier than expected")
            else:
                last = best
            continue
        later = [i for i in range(last, len(body)) if _same_letters(segment, body[i]) >= 0.9]
        if later:
            last = later[0]
        elif any(_same_letters(segment, b) >= 0.9 for b in body[:last]):
            problems.append(f"{label} {n} ('{segment[:50]}') comes earlier than expected")
        else:
            problems.append(f"{label} {n} ('{segment[:50]}') is not in the structure tree")
    return problems


def page_order(segments: Sequence[str], notes: Sequence[str], text: str) -> list[str]:
    """Problems with a page's reading order: the letter's flow in order, and each
    footnote's text, in order, wherever the page puts its notes."""
    return order_in_text(segments, text) + order_in_text(notes, text, "footnote")


def pdf_order(
    segments: Sequence[str], notes: Sequence[str], blocks: Sequence[tuple[str, str]], rtl: bool
) -> list[str]:
    """Problems with a PDF's reading order: the flow among the blocks that are not
    footnotes, and the footnotes' text among the ``Note`` blocks, each in order."""
    flow = [block for block in blocks if block[0] != "Note"]
    noted = [block for block in blocks if block[0] == "Note"]
    return order_in_pdf(segments, flow, rtl) + order_in_pdf(notes, noted, rtl, "footnote")
