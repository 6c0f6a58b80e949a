"""The document read by pandoc and made a letter's body: Word's styles that are
not structure dropped, runs in another language made ``lang`` spans, Word's
heading levels from the letter's sections (level 2) down, pictures renamed
and checked as the letter policy checks an image."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from klpublish import pandoc
from klpublish.letter.characters import visible
from klpublish.letter.nodes import iter_nodes, plain_text
from klpublish.letter.policy import Picture, TargetError, checked_picture
from klpublish.word.archive import Package
from klpublish.word.languages import language_of

Node = dict[str, Any]


@dataclass
class Body:
    """The converted document: its AST and the pictures to write beside the letter."""

    doc: pandoc.PandocDoc
    pictures: dict[str, Picture] = field(default_factory=dict)
    """File name beside the letter -> the checked picture."""


def convert(package: Package) -> pandoc.PandocDoc:
    """The document as pandoc reads it (tracked changes accepted: :mod:`inspect`
    refused them unless the author asked for that)."""
    reader = "docx+styles" if package.reader == "docx" else package.reader
    options = {"track_changes": "accept-changes"}
    return pandoc.document_to_ast(package.packed(), reader, package.path, options)


def _attr_without_style(attr: list[Any]) -> list[Any]:
    return [attr[0], attr[1], [kv for kv in attr[2] if kv[0] != "custom-style"]]


def _style_of(attr: list[Any]) -> str | None:
    return next((str(v) for k, v in attr[2] if k == "custom-style"), None)


def _empty(attr: list[Any]) -> bool:
    return not attr[0] and not attr[1] and not attr[2]


def empty_headings(blocks: list[Node]) -> int:
    """The headings with nothing to read, which :func:`tidy` drops."""
    return sum(
        1 for n in iter_nodes(blocks) if n["t"] == "Header" and not visible(plain_text(n["c"][2]))
    )


def tidy(blocks: list[Node]) -> list[Node]:
    """The blocks without Word's own styles, unused bookmarks and empty headings, with languages
    and heading levels as the letter has them."""
    targets = {
        str(n["c"][2][0])[1:]
        for n in iter_nodes(blocks)
        if n["t"] == "Link" and str(n["c"][2][0]).startswith("#")
    }
    return _list(blocks, targets)


def _list(items: list[Any], targets: set[str]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        out.extend(_one(item, targets))
    return _merge_languages(out)


def _one(node: Any, targets: set[str]) -> list[Any]:
    if isinstance(node, list):
        return [_list(node, targets)]
    if not isinstance(node, dict) or "t" not in node:
        return [node]
    t: str = node["t"]
    c: Any = node.get("c")
    if t in ("Div", "Span"):
        attr, content = c
        lang = language_of(_style_of(attr) or "")
        attr = _attr_without_style(attr)
        if attr[0] and attr[0] not in targets:
            attr = ["", attr[1], attr[2]]  # a bookmark nothing links to
        if lang:
            attr = [attr[0], attr[1], [*attr[2], ["lang", lang]]]
        content = _list(content, targets)
        if _empty(attr):
            return list(content)
        return [{"t": t, "c": [attr, content]}]
    if t == "Header":
        level, attr, inlines = c
        if not visible(plain_text(inlines)):
            return []  # Word shows a heading style on an empty paragraph as nothing
        return [{"t": t, "c": [level, _attr_without_style(attr), _list(inlines, targets)]}]
    if t == "Image":
        attr, alt, target = c
        kept = [kv for kv in attr[2] if kv[0] not in ("width", "height", "custom-style")]
        return [{"t": t, "c": [[attr[0], attr[1], kept], _list(alt, targets), target]}]
    if c is None:
        return [node]
    return [{"t": t, "c": _one(c, targets)[0] if isinstance(c, list) else c}]


def _merge_languages(items: list[Any]) -> list[Any]:
    """Neighbouring spans of one language (Word splits a run at each formatting
    change) as one span."""
    out: list[Any] = []
    for item in items:
        previous = out[-1] if out else None
        if (
            isinstance(item, dict)
            and item.get("t") == "Span"
            and isinstance(previous, dict)
            and previous.get("t") == "Span"
            and previous["c"][0] == item["c"][0]
            and any(k == "lang" for k, _ in item["c"][0][2])
        ):
            previous["c"][1] = previous["c"][1] + item["c"][1]
            continue
        out.append(item)
    return out


def set_heading_levels(blocks: list[Node], error: Callable[[str], Exception]) -> None:
    """Word's heading levels as the letter needs them: the shallowest level Word
    used is the letter's sections (level 2: the title is level 1), whether the author
    began at Heading 1 or, under a Title, at Heading 2; no level skipped after it."""
    headers = [node for node in iter_nodes(blocks) if node["t"] == "Header"]
    if not headers:
        return
    top = min(int(node["c"][0]) for node in headers)
    previous = top - 1
    for node in headers:
        level, _, inlines = node["c"]
        if level > previous + 1:
            raise error(
                f"heading '{plain_text(inlines)}' is Heading {level} after Heading {previous}: "
                f"expected Heading {previous + 1} at most (a level skipped is the author's "
                "to fix in Word)"
            )
        previous = level
    for node in headers:
        node["c"][0] = node["c"][0] - top + 2


def pictures(
    doc: pandoc.PandocDoc,
    package: Package,
    places: dict[str, str],
    error: Callable[[str], Exception],
) -> dict[str, Picture]:
    """Each image's part read, checked and given a readable name from its alt
    text; its address in ``doc`` set to that name."""
    named: dict[str, Picture] = {}
    by_part: dict[str, str] = {}
    for number, node in enumerate((n for n in iter_nodes(doc["blocks"]) if n["t"] == "Image"), 1):
        _, alt, target = node["c"]
        part = str(target[0])
        where = places.get(part, f"picture {number} ({part})")
        text = plain_text(alt).strip()
        if not text:
            raise error(
                f"{where}: the picture has no description (alt text): expected one, "
                "written in Word or LibreOffice"
            )
        if part not in by_part:
            data = package.parts.get(part) or package.parts.get(f"word/{part}")
            if data is None:
                raise error(f"{where}: the picture {part} is not in the document")
            try:
                picture = checked_picture(data)
            except TargetError as exc:
                raise error(f"{where}: the picture {part} {exc}") from exc
            name = _free_name(_slug(text), picture.suffix, named)
            named[name] = picture
            by_part[part] = name
        target[0] = by_part[part]
    return named


def _slug(text: str) -> str:
    folded = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    ascii_text = unicodedata.normalize("NFKD", folded)
    words = re.findall(r"[a-z0-9]+", ascii_text.encode("ascii", "ignore").decode())
    return "-".join(words)[:40].strip("-") or "picture"


def _free_name(stem: str, suffix: str, taken: dict[str, Picture]) -> str:
    name, n = f"{stem}{suffix}", 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}{suffix}"
    return name
