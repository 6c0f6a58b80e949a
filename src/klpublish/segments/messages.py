"""From a letter to its messages: the segments as msgids with locations and comments.

Also the Babel extractor (entry point ``klpublish``), so ``pybabel extract`` with
the project's mapping gives the same messages as ``klpublish extract``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from klpublish.errors import SourceError
from klpublish.letter.nodes import plain_text
from klpublish.letter.read import Letter, parse_document
from klpublish.segments import markdown
from klpublish.segments.locate import locate
from klpublish.segments.walk import Site, sites_of


@dataclass(frozen=True)
class Message:
    """One segment occurrence, ready for a catalog."""

    msgid: str
    context: str | None
    line: int
    comment: str
    site: Site


def contexts(msgids: list[str], kinds: list[str]) -> list[str | None]:
    """msgctxt only where the same text plays different roles (a heading and a
    sender name, say), since those may need different translations."""
    roles: dict[str, set[str]] = {}
    for msgid, kind in zip(msgids, kinds, strict=True):
        roles.setdefault(msgid, set()).add(kind)
    return [kind if len(roles[m]) > 1 else None for m, kind in zip(msgids, kinds, strict=True)]


def letter_messages(letter: Letter) -> list[Message]:
    """The messages of a letter, in source order."""
    sites = sites_of(letter.doc)
    msgids = markdown.render([s.inlines for s in sites], letter.path)
    lines = locate(sites, letter.lines, letter.body_start)
    ctxs = contexts(msgids, [s.kind for s in sites])
    messages = [
        Message(msgid, ctx, line, site.description, site)
        for msgid, ctx, line, site in zip(msgids, ctxs, lines, sites, strict=True)
        if any(ch.isalpha() for ch in plain_text(_without_raw(site.inlines)))
    ]
    return sorted(messages, key=lambda m: (m.line, m.site.index))


def _without_raw(value: Any) -> Any:
    """Raw HTML or TeX is markup, not text: a segment of nothing else (an
    ``<img>`` tag alone in a paragraph) has nothing to translate."""
    if isinstance(value, list):
        return [
            _without_raw(v)
            for v in value
            if not (isinstance(v, dict) and v.get("t") == "RawInline")
        ]
    if isinstance(value, dict):
        return {k: _without_raw(v) for k, v in value.items()}
    return value


def babel_extract(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str | tuple[str, str], list[str]]]:
    """Babel extraction method for Pandoc Markdown letters."""
    name = str(getattr(fileobj, "name", "<letter>"))
    try:
        text = fileobj.read().decode(str(options.get("encoding", "utf-8")))
    except UnicodeDecodeError as exc:
        raise SourceError(f"{name}: not valid UTF-8") from exc
    for message in letter_messages(parse_document(text, name)):
        if message.context is None:
            yield message.line, None, message.msgid, [message.comment]
        else:
            yield message.line, "pgettext", (message.context, message.msgid), [message.comment]
