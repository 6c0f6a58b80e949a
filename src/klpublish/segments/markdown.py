"""Segments as single-line Pandoc Markdown, in both directions, many per pandoc call."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from klpublish import pandoc
from klpublish.errors import ToolError, TranslationError
from klpublish.letter import budgets
from klpublish.letter.nodes import Inlines, Node, soft_breaks_to_spaces
from klpublish.segments.walk import NOTE_MARK, note_ref

WRITER = "markdown-smart"
READER = (
    "markdown-smart-implicit_figures-raw_html-raw_tex-raw_attribute-citations-tex_math_dollars"
    "-inline_notes-yaml_metadata_block-pandoc_title_block-implicit_header_references"
)
"""Translations are untrusted, so they are read with only what a translator
needs: raw HTML, TeX and ``{=format}`` are plain text; no citations (pandoc's
citation parser is exponential on nested brackets: 20 ``[`` took 33 s), no
``$...$`` math (``$5 and $10`` is money), no inline notes, metadata blocks or
title blocks (a YAML alias bomb), no links made from bracketed heading names. A
segment is running text: a lone image in it is an image, not a figure. What the
letter itself uses comes back (see ``reader_for``)."""

_FOR_KIND = {"Math": "+tex_math_dollars", "Cite": "+citations"}


def reader_for(kinds: set[str]) -> str:
    """The reader for translations of a letter whose nodes are of ``kinds``: a
    letter with math or citations needs them in its msgids, so its translations
    are read with them (bounded then by the engine's deadline)."""
    return READER + "".join(ext for kind, ext in _FOR_KIND.items() if kind in kinds)


SEPARATOR = "klpublish-segment-separator-3f9c2e"
_NOTE_REF = re.compile(r"\[\^(\d+)\]")
API_VERSION = [1, 23, 1, 1]


def _with_note_placeholders(inlines: Inlines) -> Inlines:
    """Replace each top-level-of-segment Note with a raw ``[^k]``: the note's own
    text is a segment of its own."""
    count = 0

    def visit(value: Any) -> Any:
        nonlocal count
        if isinstance(value, dict):
            if value.get("t") == "Note":
                count += 1
                return {"t": "RawInline", "c": ["markdown", f"[^{count}]"]}
            return {k: visit(v) for k, v in value.items()}
        if isinstance(value, list):
            return [visit(v) for v in value]
        return value

    result: Inlines = visit(inlines)
    return result


TOKEN = "klpublishtoken7d1e"
"""Stands, in what pandoc is given to write, for text that this module writes
itself; letters and digits only, so pandoc writes it unchanged."""


class _StandIns:
    """What pandoc's Markdown writer gets wrong, written here instead, so that
    every msgid reads back as the inlines it came from ("copy the source to the
    translation" always gives a valid translation that loses nothing):

    - a link or image title is written with ``"`` and ``\\`` escaped (pandoc
      writes ``"a " b"``, which reads back as text, not a link);
    - a link whose text is its address is written ``[url](url "title")`` unless
      pandoc's ``<url>`` reads back the same (it drops the title and attributes);
    - a link's or image's address with a ``\\`` or unpaired parentheses is
      written with them escaped (pandoc writes ``(/a))``, which ends the link early);
    - raw inline HTML or TeX of the source is written as the author wrote it,
      without pandoc's ``{=html}``, which a translation cannot use (see
      :func:`klpublish.segments.walk.restore_raw`);
    - an ``&`` that would begin a character reference (text the author wrote
      ``&amp;lt;``) is written ``\\&`` (pandoc writes ``&lt;``, which reads back as ``<``);
    - math that begins or ends with a space (``$x\\ $``) is written as it is
      (pandoc trims it to ``$x\\$``, which reads back as text);
    - a span without attributes is written ``[...]{}`` (pandoc writes its
      text alone, which reads back without the span);
    - a line that begins with ``:::`` has its first colon escaped (pandoc
      writes ``::: A :::``, which reads back as a fenced div: see ``_FENCE``).
    """

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.contents: list[tuple[str, Inlines]] = []

    def token(self) -> str:
        return f"{TOKEN}n{len(self.texts) + len(self.contents)}x"

    def written(self, text: str) -> Node:
        """A stand-in for ``text``, which is put into the line as it is."""
        token = self.token()
        self.texts[token] = text
        return {"t": "Str", "c": token}

    def visit(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.visit(v) for v in value]
        if not isinstance(value, dict):
            return value
        t = value.get("t")
        if t == "RawInline" and value["c"][0] != "markdown":
            return self.written(str(value["c"][1]))
        if t == "Str" and REFERENCE_LIKE.search(value["c"]):
            # The text around each such ``&`` stays a Str: pandoc escapes it.
            pieces: Inlines = []
            for n, part in enumerate(REFERENCE_LIKE.split(value["c"])):
                if n:
                    pieces.append(self.written("\\&"))
                if part:
                    pieces.append({"t": "Str", "c": part})
            return {"t": "Span", "c": [["", [], []], pieces]}
        if t == "Math" and value["c"][1] != value["c"][1].strip():
            fence = "$$" if value["c"][0]["t"] == "DisplayMath" else "$"
            return self.written(f"{fence}{value['c'][1]}{fence}")
        if t == "Span" and value["c"][0] == ["", [], []]:
            content = [self.written("["), *self.visit(value["c"][1]), self.written("]{}")]
            return {"t": "Span", "c": [["", [], []], content]}
        if t in ("Link", "Image"):
            attr, content, (url, title) = value["c"]
            content = self.visit(content)
            if title:
                token = self.token()
                self.texts[f'"{token}"'] = '"' + _escape_title(title) + '"'
                title = token
            if t == "Link" and _autolink_loses(attr, value["c"][1], url, title):
                token = self.token()
                self.contents.append((token, content))
                content = [{"t": "Str", "c": token}]
            if "\\" in url or not _balanced(url):
                token = self.token()
                self.texts[token] = re.sub(r"([\\()])", r"\\\1", url)
                url = token
            return {"t": t, "c": [attr, content, [url, title]]}
        return {k: self.visit(v) for k, v in value.items()}


_FENCE = re.compile(r"^(:{3,})")
"""Colons that would open a fenced div at the start of a msgid."""
REFERENCE_LIKE = re.compile(r"&(?=#[0-9]+;|#[xX][0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]*;)")
"""An ``&`` that Pandoc Markdown would read as the start of a character reference."""


def _balanced(url: str) -> bool:
    """Whether the parentheses in ``url`` pair up (pandoc writes them unescaped)."""
    depth = 0
    for ch in url:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _escape_title(title: str) -> str:
    escaped = title.replace("\\", "\\\\").replace('"', '\\"')
    return REFERENCE_LIKE.sub("\\\\&", escaped)


def _autolink_loses(attr: list[Any], content: Inlines, url: str, title: str) -> bool:
    """Whether pandoc would write this link as ``<url>`` and lose something:
    ``<url>`` reads back with the class ``uri`` (``email`` for mail) and no title."""
    if len(content) != 1 or content[0].get("t") != "Str":
        return False
    text = str(content[0]["c"])
    if text not in (url, url.removeprefix("mailto:")):
        return False
    expected = ["", ["email" if url.startswith("mailto:") else "uri"], []]
    return bool(title) or attr != expected


def render(segments: Sequence[Inlines], what: str) -> list[str]:
    """Each segment's inlines as one line of Pandoc Markdown (one pandoc run)."""
    if not segments:
        return []
    if TOKEN in json.dumps(segments, ensure_ascii=False):
        raise TranslationError(f"{what}: the text holds {TOKEN}, which this program reserves")
    stand_ins = _StandIns()
    prepared = [stand_ins.visit(_with_note_placeholders(inlines)) for inlines in segments]
    contents = [content for _, content in stand_ins.contents]
    written = _write([*prepared, *contents], what)
    texts = dict(stand_ins.texts)
    tokens = [token for token, _ in stand_ins.contents]
    texts.update(zip(tokens, written[len(prepared) :], strict=True))
    out = []
    for line in written[: len(prepared)]:
        for token, text in texts.items():
            line = line.replace(token, text)
        if TOKEN in line:  # pragma: no cover - pandoc writes a title and a text as given
            raise TranslationError(f"{what}: pandoc did not write {line!r} as expected")
        out.append(_FENCE.sub(r"\\\1", line))
    return out


def _write(segments: Sequence[Inlines], what: str) -> list[str]:
    blocks: list[Node] = []
    for n, inlines in enumerate(segments):
        if n:
            blocks.append({"t": "RawBlock", "c": ["markdown", SEPARATOR]})
        blocks.append({"t": "Para", "c": inlines})
    doc = {"pandoc-api-version": API_VERSION, "meta": {}, "blocks": blocks}
    out = pandoc.ast_to_text(doc, WRITER, what, options={"wrap_text": "wrap-none"})
    parts = out.strip("\n").split(f"\n\n{SEPARATOR}\n\n")
    if len(parts) != len(segments):  # pragma: no cover - pandoc writes what we gave it
        raise TranslationError(f"pandoc returned {len(parts)} segments for {len(segments)}")
    return [p.strip("\n") for p in parts]


def _prepare(text: str, index: int, notes: int) -> str:
    """Give this segment's footnote references labels of their own, and define
    each as a stand-in that the walk later fills with the note's text."""

    def relabel(match: re.Match[str]) -> str:
        k = int(match.group(1))
        return f"[^s{index}n{k}]" if 1 <= k <= notes else match.group(0)

    body = _NOTE_REF.sub(relabel, text)
    defs = "".join(f"\n\n[^s{index}n{k}]: {NOTE_MARK}{k}" for k in range(1, notes + 1))
    return body + defs


MAX_DEPTH = 40
"""Deepest inline nesting accepted from a translation (emphasis in a link in ...)."""


def depth(value: Any) -> int:
    """Nesting depth of AST nodes, counted without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            level += 1 if "t" in item else 0
            deepest = max(deepest, level)
            stack.extend((v, level) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level) for v in item)
    return deepest


def _as_inlines(blocks: list[Node]) -> Inlines:
    if not blocks:
        return []
    if depth(blocks) > MAX_DEPTH:
        raise TranslationError(f"markup is nested more than {MAX_DEPTH} levels deep")
    if len(blocks) == 1 and blocks[0]["t"] in ("Para", "Plain"):
        inlines: Inlines = soft_breaks_to_spaces(blocks[0]["c"])
        return _normalise_note_refs(inlines)
    kinds = ", ".join(b["t"] for b in blocks)
    raise TranslationError(
        f"expected running text (one paragraph of inline Markdown), but it reads as: {kinds}"
    )


def _normalise_note_refs(inlines: Inlines) -> Inlines:
    def visit(value: Any) -> Any:
        if isinstance(value, dict):
            if value.get("t") == "Note":
                text = json.dumps(value["c"])
                match = re.search(re.escape(NOTE_MARK) + r"(\d+)", text)
                if match and len(value["c"]) == 1:
                    return note_ref(int(match.group(1)))
                return value
            return {k: visit(v) for k, v in value.items()}
        if isinstance(value, list):
            return [visit(v) for v in value]
        return value

    result: Inlines = visit(inlines)
    return result


def _split(blocks: list[Node]) -> list[list[Node]]:
    parts: list[list[Node]] = [[]]
    for block in blocks:
        if block["t"] == "Para" and block["c"] == [{"t": "Str", "c": SEPARATOR}]:
            parts.append([])
        else:
            parts[-1].append(block)
    return parts


class ReadTimedOut(ToolError):
    """Pandoc's deadline of ``seconds`` passed while it read ``texts`` (their
    indices in the call), together in one request."""

    def __init__(self, timed_out: pandoc.TimedOut, texts: Sequence[int]) -> None:
        super().__init__(timed_out.message)
        self.seconds = timed_out.seconds
        self.texts = list(texts)


def parse(
    texts: Sequence[str], notes: Sequence[int], what: str, reader: str = READER
) -> list[Inlines | TranslationError]:
    """Parse translated segments back to inlines (one pandoc run when it can).

    ``notes[i]`` is the number of footnotes the source segment ``i`` holds. A text
    that is not running text, or that would cost pandoc more than any text may
    (``budgets.text_problem``, not sent to pandoc), gives a
    :class:`TranslationError` in its place. Raises :class:`ReadTimedOut`.
    """
    out: list[Inlines | TranslationError] = [[] for _ in texts]
    todo = []
    for index, text in enumerate(texts):
        problem = budgets.text_problem(text, reader)
        if problem is None:
            todo.append(index)
        else:
            out[index] = TranslationError(problem)
    try:
        parsed = _parse_all([texts[i] for i in todo], [notes[i] for i in todo], what, reader)
    except ReadTimedOut as exc:
        exc.texts = [todo[i] for i in exc.texts]
        raise
    for index, result in zip(todo, parsed, strict=True):
        out[index] = result
    return out


def _parse_all(
    texts: Sequence[str], notes: Sequence[int], what: str, reader: str
) -> list[Inlines | TranslationError]:
    if not texts:
        return []
    if any(SEPARATOR in t for t in texts):
        return [_parse_one(t, i, notes[i], what, reader) for i, t in enumerate(texts)]
    joined = f"\n\n{SEPARATOR}\n\n".join(_prepare(t, i, notes[i]) for i, t in enumerate(texts))
    try:
        doc = pandoc.markdown_to_ast(joined, what, reader)
    except pandoc.TooDeep:
        return [_parse_one(t, i, notes[i], what, reader) for i, t in enumerate(texts)]
    except pandoc.TimedOut as exc:
        raise ReadTimedOut(exc, range(len(texts))) from exc
    parts = _split(doc["blocks"])
    if len(parts) != len(texts):
        # One text swallowed a separator (an unclosed fence, say): go one by one.
        return [_parse_one(t, i, notes[i], what, reader) for i, t in enumerate(texts)]
    out: list[Inlines | TranslationError] = []
    for part in parts:
        try:
            out.append(_as_inlines(part))
        except TranslationError as exc:
            out.append(exc)
    return out


def _parse_one(
    text: str, index: int, notes: int, what: str, reader: str
) -> Inlines | TranslationError:
    try:
        doc = pandoc.markdown_to_ast(_prepare(text, index, notes), what, reader)
    except pandoc.TooDeep:
        return TranslationError(f"markup is nested more than {MAX_DEPTH} levels deep")
    except pandoc.TimedOut as exc:
        raise ReadTimedOut(exc, [index]) from exc
    try:
        return _as_inlines(doc["blocks"])
    except TranslationError as exc:
        return exc
