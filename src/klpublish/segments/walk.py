"""The one walk over a Pandoc AST: find translatable segments, put translations back.

Extraction and translation call the same :func:`walk`, with a different callback,
so the segments a translator sees are exactly the ones that are put back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from klpublish.letter.nodes import Blocks, Inlines, Node, copy_tree, iter_nodes, nodes

META_FIELDS: tuple[tuple[str, ...], ...] = (
    ("title",),
    ("subtitle",),
    ("recipient",),
    ("sender", "name"),
    ("closing",),
    ("signatories", "role"),
    ("abstract",),
    ("description",),
    ("keywords",),
    ("accessibility-summary",),
)
"""Translatable metadata, as key paths (lists are walked through). Everything else
in the front matter (dates, ids, addresses, URLs, names of people such as
``author``) is data. Each is shown to readers (tests/test_metadata.py): title,
subtitle, recipient, sender, closing, signatories and abstract in the letter in
every format; description and keywords in the page's and the book's metadata;
the accessibility summary in the page's footer and the book's metadata."""

NOTE_MARK = "klpublish-note:"


@dataclass(frozen=True)
class Site:
    """One translatable segment, as the walk meets it."""

    index: int
    kind: str
    """Coarse role ("heading", "paragraph", "metadata: title"); becomes msgctxt
    where the same text plays two roles."""
    description: str
    """What the segment is, for the translator's ``#.`` comment."""
    inlines: Inlines
    in_note: bool
    is_meta: bool
    lang: str = ""
    """The ``lang`` of the nearest ``Div`` around it; "" for the document's language."""


Translate = Callable[[Site], Inlines | None]
"""Given a site, return its new inlines, or None to keep the source's."""


def note_ref(number: int) -> Node:
    """A stand-in Note meaning "footnote ``number`` of this segment goes here"."""
    return {"t": "Note", "c": [{"t": "Plain", "c": [{"t": "Str", "c": f"{NOTE_MARK}{number}"}]}]}


def note_ref_number(node: Node) -> int | None:
    if node.get("t") != "Note":
        return None
    blocks = node["c"]
    if len(blocks) == 1 and blocks[0]["t"] == "Plain" and len(blocks[0]["c"]) == 1:
        text = blocks[0]["c"][0]
        if text.get("t") == "Str" and str(text["c"]).startswith(NOTE_MARK):
            tail = str(text["c"])[len(NOTE_MARK) :]
            return int(tail) if tail.isdigit() else None
    return None


def notes_in(inlines: Inlines) -> list[Node]:
    """The notes of a segment, not the notes inside them (those belong to the
    note's own segments)."""
    return [n for n in nodes(inlines, skip=lambda n: n["t"] == "Note") if n["t"] == "Note"]


def _replace_notes(inlines: Inlines, notes: list[Blocks]) -> Inlines:
    """Put the (translated) note bodies in place of the Note inlines: stand-ins by
    number, genuine Note nodes (an unchanged segment) by order."""
    inlines = copy_tree(inlines)
    order = iter(range(1, len(notes) + 1))

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            if value.get("t") == "Note":
                number = note_ref_number(value)
                if number is None:
                    number = next(order, 0)
                if 1 <= number <= len(notes):
                    value["c"] = notes[number - 1]
                return
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)

    visit(inlines)
    return inlines


def _raw_inlines(inlines: Inlines) -> list[Node]:
    """The segment's own raw inlines (a footnote's belong to the footnote)."""
    return [
        node
        for node in iter_nodes([n for n in inlines if n.get("t") != "Note"])
        if node["t"] == "RawInline" and node["c"][0] != "markdown" and node["c"][1].strip()
    ]


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def restore_raw(inlines: Inlines, source: Inlines) -> Inlines:
    """A translation's text that repeats raw HTML or TeX of its source segment
    becomes that raw inline again, at most as often as the source has it.

    Translations are read with raw HTML and TeX off (they are untrusted), so the
    ``<b>`` a translator copied from the msgid arrives as text. Only the author's
    own raw inlines come back; a translation can add none."""
    left = [(_squeezed(n["c"][1]), n) for n in _raw_inlines(source)]
    for node in _raw_inlines(inlines):
        found = next(
            (i for i, (text, _) in enumerate(left) if text == _squeezed(node["c"][1])), None
        )
        if found is not None:
            del left[found]
    if not left:
        return inlines
    result: Inlines = _restore_nested(copy_tree(inlines), left)
    return result


def _is_inlines(value: list[Any]) -> bool:
    return bool(value) and all(isinstance(v, dict) and "t" in v for v in value)


def _restore_nested(value: Any, left: list[tuple[str, Node]]) -> Any:
    if isinstance(value, list):
        if _is_inlines(value):
            return _restore_in_run(value, left)
        return [_restore_nested(v, left) for v in value]
    return value


def _restore_in_run(inlines: Inlines, left: list[tuple[str, Node]]) -> Inlines:
    """Within ``inlines``, each stretch of words and spaces is searched for the
    raw texts still ``left`` (earliest first, longest first where two start
    together), which become raw inlines."""
    out: Inlines = []
    run: Inlines = []

    def flush() -> None:
        text = "".join(str(n["c"]) if n["t"] == "Str" else " " for n in run)
        pieces: Inlines = []
        while left:
            hits = [(text.find(raw), -len(raw), i) for i, (raw, _) in enumerate(left)]
            found = [hit for hit in hits if hit[0] >= 0]
            if not found:
                break
            at, minus_length, i = min(found)
            pieces.extend(_words(text[:at]))
            pieces.append(copy_tree(left[i][1]))
            text = text[at - minus_length :]
            del left[i]
        out.extend([*pieces, *_words(text)] if pieces else run)
        run.clear()

    for node in inlines:
        if node.get("t") in ("Str", "Space", "SoftBreak"):
            run.append(node)
            continue
        flush()
        if node.get("t") not in ("Note", "Code", "Math", "RawInline"):
            node = {k: _restore_nested(v, left) for k, v in node.items()}
        out.append(node)
    flush()
    return out


def _words(text: str) -> Inlines:
    """Text as pandoc's reader gives it: words (Str) between single Spaces."""
    out: Inlines = []
    for n, word in enumerate(text.split(" ")):
        if n:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


@dataclass(frozen=True)
class _Where:
    """Where blocks stand: said for the translator (``list item 2 of 3, in block
    quote``), and the kind of the container that holds them, whose name tight
    content (a list item's or a table cell's ``Plain``) takes as its own."""

    text: str = ""
    kind: str = "paragraph"

    def inside(self, text: str, kind: str = "paragraph") -> _Where:
        return _Where(f"{text}, in {self.text}" if self.text else text, kind)


class _Walker:
    def __init__(self, translate: Translate) -> None:
        self.translate = translate
        self.sites: list[Site] = []
        self.footnotes = 0
        self.note_depth = 0
        self.lang = ""  # of the nearest Div around the blocks being walked, if any

    # -- segments ---------------------------------------------------------
    def segment(
        self, inlines: Inlines, kind: str, description: str, is_meta: bool = False
    ) -> Inlines:
        if not inlines:
            return inlines
        notes = []
        lang, self.lang = self.lang, ""  # a footnote stands apart, in the document's language
        for note in notes_in(inlines):
            self.footnotes += 1
            self.note_depth += 1
            notes.append(self.blocks(note["c"], _Where(f"footnote {self.footnotes}", "footnote")))
            self.note_depth -= 1
        self.lang = lang
        site = Site(
            index=len(self.sites),
            kind=kind,
            description=description,
            inlines=inlines,
            in_note=self.note_depth > 0,
            is_meta=is_meta,
            lang=self.lang,
        )
        self.sites.append(site)
        result = self.translate(site)
        if result is None:
            return _replace_notes(inlines, notes)
        return _replace_notes(restore_raw(result, inlines), notes)

    # -- blocks -----------------------------------------------------------
    def blocks(self, blocks: Blocks, where: _Where) -> Blocks:
        return [self.block(b, where) for b in blocks]

    def block(self, block: Node, where: _Where) -> Node:
        t = block["t"]
        c: Any = block.get("c")
        suffix = f", in {where.text}" if where.text else ""
        if t == "Plain" and where.text:
            # Tight content (a list item, a table cell) is named after its container.
            desc = where.text[0].upper() + where.text[1:]
            return {"t": t, "c": self.segment(c, where.kind, desc)}
        if t in ("Para", "Plain"):
            return {"t": t, "c": self.segment(c, "paragraph", f"Paragraph{suffix}")}
        if t == "Header":
            level, attr, inlines = c
            new = self.segment(inlines, "heading", f"Heading, level {level}{suffix}")
            return {"t": t, "c": [level, attr, new]}
        if t == "BlockQuote":
            return {"t": t, "c": self.blocks(c, where.inside("block quote", "block quote"))}
        if t == "Div":
            attr, inner = c
            outer, self.lang = self.lang, str(dict(attr[2]).get("lang", self.lang))
            inner = self.blocks(inner, where)
            self.lang = outer
            return {"t": t, "c": [attr, inner]}
        if t == "BulletList":
            return {"t": t, "c": self._items(c, where)}
        if t == "OrderedList":
            attrs, items = c
            return {"t": t, "c": [attrs, self._items(items, where)]}
        if t == "DefinitionList":
            out = []
            for n, (term, definitions) in enumerate(c, start=1):
                label = where.inside(f"definition {n} of {len(c)}", "definition")
                new_term = self.segment(term, "term", f"Term of {label.text}")
                new_defs = [self.blocks(d, label) for d in definitions]
                out.append([new_term, new_defs])
            return {"t": t, "c": out}
        if t == "LineBlock":
            return {
                "t": t,
                "c": [
                    self.segment(line, "line", f"Line {n} of {len(c)} of a line block{suffix}")
                    for n, line in enumerate(c, start=1)
                ],
            }
        if t == "Table":
            return {"t": t, "c": self._table(c, where)}
        if t == "Figure":
            attr, caption, inner = c
            return {
                "t": t,
                "c": [
                    attr,
                    self._caption(caption, where.inside("figure caption", "figure caption")),
                    self.blocks(inner, where.inside("figure")),
                ],
            }
        # CodeBlock, RawBlock, HorizontalRule: not translatable.
        return block

    def _items(self, items: list[Blocks], where: _Where) -> list[Blocks]:
        return [
            self.blocks(item, where.inside(f"list item {n} of {len(items)}", "list item"))
            for n, item in enumerate(items, start=1)
        ]

    def _caption(self, caption: list[Any], where: _Where) -> list[Any]:
        short, blocks = caption
        if short:
            short = self.segment(short, "caption", f"Short caption, in {where.text}")
        return [short, self.blocks(blocks, where)]

    def _table(self, c: list[Any], where: _Where) -> list[Any]:
        attr, caption, colspecs, head, bodies, foot = c
        # A caption's tight text is said to stand in the table.
        caption = self._caption(caption, where.inside("table caption", "table"))
        row_no = 0

        def rows(rows: list[Any], part: str) -> list[Any]:
            nonlocal row_no
            out = []
            for row_attr, cells in rows:
                row_no += 1
                new_cells = []
                for col, (cattr, align, rspan, cspan, blocks) in enumerate(cells, start=1):
                    cell = f"table {part} cell, row {row_no}, column {col}"
                    label = where.inside(cell, "table cell")
                    new_cells.append([cattr, align, rspan, cspan, self.blocks(blocks, label)])
                out.append([row_attr, new_cells])
            return out

        head = [head[0], rows(head[1], "header")]
        new_bodies = []
        for battr, rhc, hrows, brows in bodies:
            new_bodies.append([battr, rhc, rows(hrows, "header"), rows(brows, "body")])
        foot = [foot[0], rows(foot[1], "footer")]
        return [attr, caption, colspecs, head, new_bodies, foot]

    # -- metadata ---------------------------------------------------------
    def meta(self, meta: dict[str, Any]) -> dict[str, Any]:
        meta = copy_tree(meta)
        for path in META_FIELDS:
            if path[0] in meta:
                meta[path[0]] = self._meta_value(meta[path[0]], path[1:], path[0], ".".join(path))
        return meta

    def _meta_value(self, value: Node, rest: tuple[str, ...], label: str, field: str) -> Node:
        t = value["t"]
        if t == "MetaList":
            return {
                "t": t,
                "c": [
                    self._meta_value(v, rest, f"{label}, item {n}", field)
                    for n, v in enumerate(value["c"], start=1)
                ],
            }
        if rest:
            if t == "MetaMap" and rest[0] in value["c"]:
                inner = dict(value["c"])
                inner[rest[0]] = self._meta_value(
                    inner[rest[0]], rest[1:], f"{label}: {rest[0]}", field
                )
                return {"t": t, "c": inner}
            return value
        kind = f"metadata: {field}"
        if t == "MetaInlines":
            return {"t": t, "c": self.segment(value["c"], kind, f"Metadata: {label}", True)}
        if t == "MetaString":
            new = self.segment([{"t": "Str", "c": value["c"]}], kind, f"Metadata: {label}", True)
            return {"t": "MetaInlines", "c": new}
        if t == "MetaBlocks":
            return {"t": t, "c": self.blocks(value["c"], _Where(f"metadata {label}"))}
        return value


def walk(doc: Node, translate: Translate) -> tuple[Node, list[Site]]:
    """Walk ``doc`` (a Pandoc JSON AST); return the rebuilt document and its sites.

    Metadata comes first, then the body in document order; footnote segments
    come just before the segment that holds the footnote.
    """
    walker = _Walker(translate)
    meta = walker.meta(doc.get("meta", {}))
    blocks = walker.blocks(doc["blocks"], _Where())
    return {**doc, "meta": meta, "blocks": blocks}, walker.sites


def sites_of(doc: Node) -> list[Site]:
    """The segments of ``doc``, unchanged: extraction is the walk with identity."""
    return walk(doc, lambda site: None)[1]
