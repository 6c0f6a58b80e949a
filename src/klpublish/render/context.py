"""What every writer needs besides the translated text: language facts, labels,
dates, the other languages. Added to the AST's metadata, as plain text nodes,
so pandoc escapes every value for the format it writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..labels import Labels, project_labels
from ..locales import LanguageFacts, bcp47, language_facts
from ..segments import Node

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
                "lang": text(bcp47(label.lang)),
                "language": text(language_facts(label.lang).language),
            }
        )
        for key, label in ctx.labels.items
    }
    meta.update(
        {
            "lang": text(facts.tag),
            "dir": text(facts.direction),
            "labels": mapping(labels),
            "source-lang": text(bcp47(ctx.source_lang)),
            "source-dir": text(language_facts(ctx.source_lang).direction),
            "sender-web-text": text(web.removeprefix("https://").removeprefix("http://")),
            "identifier": text(ctx.identifier),
            "languages": {
                "t": "MetaList",
                "c": [
                    mapping(
                        {
                            "code": text(bcp47(a.code)),
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
        meta["page-progression-direction"] = text("rtl")
    return {**doc, "meta": meta}


def plain_meta(value: Node | None) -> str:
    """A metadata field's text, as a title or a label shows it."""
    if not value:
        return ""
    if value["t"] == "MetaString":
        return str(value["c"])
    from ..locations import plain_text

    return plain_text(value["c"]) if value["t"] == "MetaInlines" else ""
