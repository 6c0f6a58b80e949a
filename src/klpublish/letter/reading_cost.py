"""What reading a text will cost pandoc's Markdown reader, estimated without it.

Pandoc's reader backtracks: from an opening ``[``, ``<``, ``&`` or run of
backticks it reads on for the closing one, and when there is none it reads the
same text again as something else. Most of this is cheap; a few shapes make it
quadratic or exponential, and a text of a few kilobytes then keeps pandoc busy
for minutes (pandoc 3.9; figures from ``bench/hostile_budgets.py``):

- brackets nested in brackets, and ``<span>`` left open: each level reads what
  is inside again (16 nested ``[`` took 14 s; 20 open ``<span>``, minutes); with
  citations on, each ``[`` left open multiplies it too;
- a ``[`` never closed reads the rest of its paragraph with every link parser
  (one, then 20 KB of words: 2 s);
- each ``<`` looks for its ``>``, each ``&`` inside a word for the end of an
  entity, each ``(`` in a link's address for its ``)``, each ``\\begin{`` for
  its ``\\end``: 8000 ``<a `` took over a minute;
- a run of backticks looks for a closing run of the same length, reading every
  run between: runs of 1 to 299 backticks never finished;
- block markers nested at the start of a line (``> > > ...``, ``- - - ...``)
  and many headings of one name are quadratic.

The unit is one character read once (about 4 µs here). The weights over-count
rather than under-count: what people write costs a few thousand units.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

LINEAR = ("length", "lines")
"""Kinds whose cost grows only with the text's length."""


@dataclass
class Finding:
    """One kind of costly markup in a text: its cost, how often it occurs and
    where it costs most, and its largest measure (a depth, a number of lengths)."""

    kind: str
    cost: float = 0.0
    count: int = 0
    offset: int = -1
    """Where its costliest occurrence begins (the first of equals)."""
    detail: int = 0
    most: float = -1.0

    def add(self, cost: float, offset: int, detail: int = 0) -> None:
        self.cost += cost
        self.count += 1
        if cost > self.most:
            self.offset, self.most = offset, cost
        self.detail = max(self.detail, detail)


@dataclass
class Estimate:
    """A text's cost: ``linear`` grows with its length, ``extra`` faster."""

    linear: float = 0.0
    extra: float = 0.0
    found: dict[str, Finding] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return self.linear + self.extra

    def add(self, kind: str, cost: float, offset: int, detail: int = 0) -> None:
        self.found.setdefault(kind, Finding(kind)).add(cost, offset, detail)
        if kind in LINEAR:
            self.linear += cost
        else:
            self.extra += cost

    def worst(self, *, linear: bool = True) -> Finding:
        """The kind that costs most (of the superlinear ones, without ``linear``)."""
        kinds = [f for f in self.found.values() if linear or f.kind not in LINEAR]
        return max(kinds, key=lambda f: f.cost, default=Finding("length"))


_BLANK = re.compile(r"\n[ \t]*\n")


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Each run of non-blank lines, with its offset: inline markup never reaches
    past a blank line, so no opener reads past one either."""
    start = 0
    for match in _BLANK.finditer(text):
        yield start, text[start : match.start()]
        start = match.end()
    yield start, text[start:]


def estimate(text: str, *, citations: bool = False, stop: float = float("inf")) -> Estimate:
    """What reading ``text`` costs, by kind. Counting stops once ``extra`` is
    past ``stop``: the text is refused then, and need not be measured to its end."""
    found = Estimate()
    found.add("length", len(text), 0)
    for offset in _starts(_NEWLINE, text):
        found.add("lines", LINE, offset)
    _line_starts(text, found)
    for base, paragraph in paragraphs(text):
        if found.extra > stop:
            break
        for scan in _SCANS:
            scan(paragraph, base, found, citations)
    return found


# -- the weights (units per character read again), from the bench's timings ------

LINE = 50.0
"""Each line (a block may begin there: 16,000 list items took 3.2 s)."""
NESTED = 2.2
"""Each level of brackets or open ``<span>`` around a character reads it again,
and then some (16 nested ``[`` took 2.1 times as long as 15)."""
NESTING = 20.0
"""Each character read again for its nesting, times this: every link parser tries it."""
CITED = 3.0
"""With citations on, each ``[`` around a character, open or closed, multiplies again."""
UNCLOSED = 20.0
"""Each character after a ``[`` that is never closed, per such ``[``."""
SCAN = 0.5
"""Each character a ``<`` or ``&`` reads on for its end."""
TICK = 6.0
"""Each backtick that a run reads past, looking for its closing run."""
PAREN = 3.0
"""Each character after a ``(`` never closed in a link's address."""
TEX = 15.0
"""Each character after a ``\\begin{`` without ``\\end{``."""
MARKERS = 0.1
"""Times the square of the block markers nested at one line's start."""
HEADINGS = 0.05
"""Times the square of the heading lines (each name is checked against the others')."""
GRID = 0.02
"""Times the square of a grid table's columns (4,000 took 0.8 s, 16,000 took 8 s)."""
LONG_RUN = 0.05
"""Times the square of a run of backticks' length (4,000 took 3 s)."""

_NEWLINE = re.compile(r"\n")


def _starts(pattern: re.Pattern[str], text: str) -> list[int]:
    return [m.start() for m in pattern.finditer(text)]


def _next_after(sorted_positions: list[int], offset: int, default: int) -> int:
    """The first position in ``sorted_positions`` after ``offset``, else ``default``."""
    k = bisect.bisect_right(sorted_positions, offset)
    return sorted_positions[k] if k < len(sorted_positions) else default


# -- brackets and spans: nesting ----------------------------------------------------

_NEST = re.compile(r"(?<!\\)[\[\]]|<(/?)span\b", re.IGNORECASE)


def _pairs(paragraph: str) -> tuple[list[tuple[int, str]], set[int]]:
    """The paragraph's brackets and span tags in order (``[``, ``]``, ``<``,
    ``>`` for ``<span`` and ``</span``), and the offsets of those opened and
    never closed."""
    events: list[tuple[int, str]] = []
    brackets: list[int] = []
    spans: list[int] = []
    for match in _NEST.finditer(paragraph):
        token = match.group(0)
        kind = token if token in "[]" else (">" if match.group(1) else "<")
        events.append((match.start(), kind))
        stack = brackets if kind in "[]" else spans
        if kind in "[<":
            stack.append(match.start())
        elif stack:
            stack.pop()
    return events, set(brackets) | set(spans)


def _nesting(paragraph: str, base: int, found: Estimate, citations: bool) -> None:
    """Between two brackets or span tags, every character is read once for each
    enclosing level: the cost of a stretch is its length times the product."""
    events, unclosed = _pairs(paragraph)
    open_brackets = open_spans = deepest = 0
    brackets: list[int] = []  # the closed brackets open here (each closes later)
    innermost = 0  # where the innermost level began: the place to name
    previous = 0
    for offset, kind in [*events, (len(paragraph), "")]:
        length = offset - previous
        depth = len(brackets)
        levels = min(depth + open_spans, 200)
        times = NESTED**levels * (CITED ** min(depth + open_brackets, 200) if citations else 1)
        if length and times > 1:
            found.add("nesting", NESTING * (times - 1) * length, base + innermost, deepest)
        if length and open_brackets:
            found.add("unclosed", UNCLOSED * open_brackets * length, base + offset, open_brackets)
        previous = offset
        if kind == "[" and offset in unclosed:
            open_brackets += 1
        elif kind == "[":
            brackets.append(offset)
            innermost, deepest = offset, max(deepest, len(brackets) + open_spans)
        elif kind == "]" and brackets:
            brackets.pop()
        elif kind == "<" and offset in unclosed:
            open_spans += 1
            innermost, deepest = offset, max(deepest, len(brackets) + open_spans)


# -- openers that read on for their end ------------------------------------------

_ANGLE, _ANGLE_END = re.compile(r"<"), re.compile(r">")
_AMP, _AMP_END = re.compile(r"&(?=\S)"), re.compile(r"[\s;]")


def _reads_on(paragraph: str, base: int, found: Estimate, _citations: bool) -> None:
    """Each ``<`` reads on to its ``>``, each ``&`` in a word to the word's end."""
    for kind, opener, closer in (("angle", _ANGLE, _ANGLE_END), ("amp", _AMP, _AMP_END)):
        ends = _starts(closer, paragraph)
        for offset in _starts(opener, paragraph):
            end = _next_after(ends, offset, len(paragraph))
            found.add(kind, SCAN * (end - offset), base + offset)


_TICKS = re.compile(r"`+")


def _ticks(paragraph: str, base: int, found: Estimate, _citations: bool) -> None:
    """A run of backticks reads every later run until one of its own length
    closes it; a run that is never closed reads every run to the paragraph's end."""
    runs = [(m.start(), len(m.group(0))) for m in _TICKS.finditer(paragraph)]
    passed = [0]  # backticks in the runs before each run
    for _, length in runs:
        passed.append(passed[-1] + length)
    closer: dict[int, int] = {}  # run index -> index of the next run of its length
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        closer[index] = last.get(runs[index][1], len(runs))
        last[runs[index][1]] = index
    lengths = len({length for _, length in runs})
    index = 0
    while index < len(runs):
        offset, length = runs[index]
        end = closer[index]
        between = passed[end] - passed[index + 1] if end > index + 1 else 0
        found.add("ticks", TICK * between, base + offset, lengths)
        if length > 3:  # a fence's length, or more
            found.add("long run", LONG_RUN * length * length, base + offset, length)
        index = end + 1 if end < len(runs) else index + 1


_PAREN = re.compile(r"[()]")


def _parens(paragraph: str, base: int, found: Estimate, _citations: bool) -> None:
    """After a link's ``](``, each ``(`` never closed reads to the paragraph's end."""
    start = paragraph.find("](")
    if start < 0:
        return
    stack: list[int] = []
    for match in _PAREN.finditer(paragraph, start + 2):
        if match.group(0) == "(":
            stack.append(match.start())
        elif stack:
            stack.pop()
    for offset in stack:
        found.add("parens", PAREN * (len(paragraph) - offset), base + offset)


_BEGIN, _END = re.compile(r"\\begin\{"), re.compile(r"\\end\{")


def _tex(paragraph: str, base: int, found: Estimate, _citations: bool) -> None:
    """Each ``\\begin{`` beyond the ``\\end{`` reads to the paragraph's end."""
    begins = _starts(_BEGIN, paragraph)
    for offset in begins[len(_starts(_END, paragraph)) :]:
        found.add("tex", TEX * (len(paragraph) - offset), base + offset)


_SCANS: tuple[Callable[[str, int, Estimate, bool], None], ...] = (
    _nesting,
    _reads_on,
    _ticks,
    _parens,
    _tex,
)


# -- the starts of lines ---------------------------------------------------------

_MARKERS = re.compile(r"^[ \t]*(?:(?:[>*+-]|\d{1,9}[.)]|#{1,6}|\|)[ \t]+)+", re.MULTILINE)
_MARKER = re.compile(r"[>*+-]|\d{1,9}[.)]|#{1,6}|\|")
_GRID_RULE = re.compile(r"^[ \t]*\+[-=:+]*\+[ \t]*$", re.MULTILINE)
_HEADING = re.compile(r"^[ \t]{0,3}(?:#{1,6}(?:[ \t]|$)|(?:=+|-+)[ \t]*$)", re.MULTILINE)


def _line_starts(text: str, found: Estimate) -> None:
    """Block markers nested at a line's start, heading lines and the columns
    of grid tables: quadratic."""
    for match in _MARKERS.finditer(text):
        count = len(_MARKER.findall(match.group(0)))
        if count > 1:
            found.add("markers", MARKERS * count * count, match.start(), count)
    for match in _GRID_RULE.finditer(text):
        columns = match.group(0).count("+") - 1
        found.add("grid", GRID * columns * columns, match.start(), columns)
    headings = _starts(_HEADING, text)
    if len(headings) > 1:
        found.add("headings", HEADINGS * len(headings) ** 2, headings[0], len(headings))
