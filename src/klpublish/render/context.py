"""What every writer needs besides the translated text: language facts, labels,
dates, the other languages. Added to the AST's metadata, as plain text nodes,
so pandoc escapes every value for the format it writes; the web page's values
for attributes are made apart, escaped for that place (``page_attributes``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from klpublish.catalogs.labels import Labels, project_labels
from klpublish.letter.nodes import Node
from klpublish.locales import LanguageFacts, bcp47, language_facts
from klpublish.render.escape import html_attribute, token, url

Meta = dict[str, Any]


@dataclass(frozen=True)
class Alternate:
    """Another published language, for the switcher and ``hreflang`` links."""

    code: str
    name: str
    html: str
    current: bool


@dataclass(frozen=True)
class RenderContext:
    """Everything a language's outputs depend on besides its text; its ``repr``
    is part of the outputs' build-cache key."""

    lang: str
    date: dt.date | None
    alternates: tuple[Alternate, ...]
    identifier: str
    """A stable identifier for the EPUB (reproducible builds)."""
    source_lang: str = "da"
    epoch: int = 0
    """Time stamp written into outputs: SOURCE_DATE_EPOCH, else the letter's date,
    so that the same input always gives the same bytes."""
    labels_po: str = ""
    """The project's catalog of the layout's words for ``lang``, if it has one;
    its content is part of the language's verdict key."""

    @cached_property
    def facts(self) -> LanguageFacts:
        # Loaded where the outputs are made: Babel's locale data is slow to load.
        return language_facts(self.lang)

    @cached_property
    def labels(self) -> Labels:
        return project_labels(self.lang, Path(self.labels_po) if self.labels_po else None)


def text(value: str) -> Node:
    """A metadata value that every writer escapes: words and spaces only."""
    inlines: list[Node] = []
    for n, word in enumerate(value.split(" ")):
        if n:
            inlines.append({"t": "Space"})
        if word:
            inlines.append({"t": "Str", "c": word})
    return {"t": "MetaInlines", "c": inlines}


def code(value: str) -> Node:
    """A language tag or a direction: ``text`` once it is known to be one, as
    templates write it into attributes and Typst code without escaping."""
    return text(token(value))


def attribute(value: str) -> Node:
    """A value for the inside of an attribute of the web page, escaped for that
    place and passed through by pandoc as it stands (raw HTML): pandoc escapes
    ``< > &`` in a template variable, not ``"``. Only ``page_attributes`` makes
    these, for ``letter.html`` alone (Typst and the EPUB never see them)."""
    return {"t": "MetaInlines", "c": [{"t": "RawInline", "c": ["html", html_attribute(value)]}]}


def flag(value: bool) -> Node:
    return {"t": "MetaBool", "c": value}


def mapping(values: dict[str, Node]) -> Node:
    return {"t": "MetaMap", "c": values}


def with_context(doc: Node, ctx: RenderContext) -> Node:
    """The document with the layout's variables in its metadata."""
    facts = ctx.facts
    meta: Meta = dict(doc["meta"])
    web = plain_meta(meta.get("sender", {}).get("c", {}).get("web"))
    # Each word with its own language: one the catalog lacks is in the
    # template's language, and marked so.
    labels = {
        key: mapping(
            {
                "text": text(label.text),
                "lang": code(bcp47(label.lang)),
                "language": code(language_facts(label.lang).language),
            }
        )
        for key, label in ctx.labels.items
    }
    meta.update(
        {
            "lang": code(facts.tag),
            "dir": code(facts.direction),
            "labels": mapping(labels),
            "source-lang": code(bcp47(ctx.source_lang)),
            "source-dir": code(language_facts(ctx.source_lang).direction),
            "sender-web-text": text(web.removeprefix("https://").removeprefix("http://")),
            "identifier": text(ctx.identifier),
            "languages": {
                "t": "MetaList",
                "c": [
                    mapping(
                        {
                            "code": code(bcp47(a.code)),
                            "name": text(a.name),
                            "html": text(a.html),
                            "current": flag(a.current),
                        }
                    )
                    for a in ctx.alternates
                ],
            },
        }
    )
    if ctx.date is not None:
        meta["date-iso"] = text(ctx.date.isoformat())
        meta["date-long"] = text(facts.long_date(ctx.date))
    if facts.direction == "rtl":
        meta["page-progression-direction"] = code("rtl")
    return {**doc, "meta": meta}


def plain_meta(value: Node | None) -> str:
    """A metadata field's text, as a title or a label shows it."""
    if not value:
        return ""
    if value["t"] == "MetaString":
        return str(value["c"])
    from klpublish.letter.nodes import plain_text

    if value["t"] == "MetaBlocks":
        return " ".join(plain_text([block]) for block in value["c"])
    return plain_text(value["c"]) if value["t"] == "MetaInlines" else ""


def _at(meta: Meta, *path: str) -> Node | None:
    """The value at ``path`` through maps (``sender``, ``web``), if there is one."""
    value: Node | None = {"t": "MetaMap", "c": meta}
    for key in path:
        value = value["c"].get(key) if value is not None and value["t"] == "MetaMap" else None
    return value


def _items(value: Node | None) -> list[Node]:
    if value is None:
        return []
    return list(value["c"]) if value["t"] == "MetaList" else [value]


PAGE_ATTRIBUTES = ("lang", "dir", "source-lang", "source-dir", "date-iso", "description")
"""Values of the web page's metadata (made by ``with_context`` or the letter's
own) that ``letter.html`` puts into an attribute."""


def page_attributes(meta: Meta) -> Node:
    """The ``attr`` map of ``letter.html``: every value the web page's template
    puts into an attribute, from ``meta`` (a document through ``with_context``),
    each escaped for that place by ``attribute`` and, for a link, by ``url``."""
    values = {key: attribute(plain_meta(meta[key])) for key in PAGE_ATTRIBUTES if key in meta}
    authors = [attribute(plain_meta(a)) for a in _items(meta.get("author"))]
    if authors:
        values["author"] = {"t": "MetaList", "c": authors}
    keywords = [plain_meta(k) for k in _items(meta.get("keywords"))]
    if keywords:
        values["keywords"] = attribute(", ".join(keywords))
    web = plain_meta(_at(meta, "sender", "web"))
    if web:
        values["sender-web"] = attribute(url(web))
    labels = _at(meta, "labels")
    values["labels"] = mapping(
        {
            key: mapping(
                {
                    part: attribute(plain_meta(_at(meta, "labels", key, part)))
                    for part in ("lang", "text")
                }
            )
            for key in (labels["c"] if labels is not None else {})
        }
    )
    values["languages"] = {
        "t": "MetaList",
        "c": [
            mapping(
                {
                    "code": attribute(plain_meta(language["c"]["code"])),
                    "href": attribute(url(plain_meta(language["c"]["html"]))),
                    "current": language["c"]["current"],
                    "name": language["c"]["name"],  # text: pandoc escapes it
                }
            )
            for language in _items(meta.get("languages"))
        ],
    }
    return mapping(values)
