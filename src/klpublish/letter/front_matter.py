"""The letter's front matter, read as data: plain YAML (no anchors or aliases),
only the fields a letter has, each of its own type, every error at its line.

Pandoc reads the same block afterwards; it sees only what passed here, so a
900-byte alias bomb or a ``css:``/``header-includes:`` field never reaches it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import yaml

from klpublish.errors import Location, SourceError
from klpublish.letter.characters import first_error, visible
from klpublish.letter.policy import TargetError, Use, judge

FIRST_YEAR = 1980
LAST_YEAR = 2099
"""A letter's date becomes the EPUB's zip timestamps (which end in 2107 and
start in 1980) and the outputs' creation time: a typo such as 2108 must stop here."""

MAX_FRONT_MATTER = 64 * 1024
"""Bytes of YAML: a letter's front matter is a few hundred."""


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: a letter needs neither, and aliases
    nest into a document billions of nodes large (the 'billion laughs')."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None,
                None,
                f"aliases (*{event.anchor}) are not allowed",
                event.start_mark,  # type: ignore[arg-type]
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise yaml.composer.ComposerError(
                None, None, f"anchors (&{anchor}) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


class _TextDatesLoader(_NoAliasLoader):
    """For extraction: a date that is no date (2018-02-30) stays text, as pandoc reads it."""


_TextDatesLoader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    yaml.SafeLoader.construct_yaml_str,  # type: ignore[type-var]
)


Check = Callable[[yaml.Node, str, "_Where"], None]


class _Where:
    def __init__(self, path: str, first_line: int) -> None:
        self.path = path
        self.first_line = first_line

    def error(self, node: yaml.Node, message: str) -> SourceError:
        return SourceError(message, Location(self.path, node.start_mark.line + self.first_line))


_STR = "tag:yaml.org,2002:str"
_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def _text(node: yaml.Node, name: str, where: _Where) -> None:
    if not isinstance(node, yaml.ScalarNode) or node.tag not in (_STR, *_NUMBERS):
        raise where.error(node, f"front matter '{name}' must be text, not {_kind(node)}")
    if not visible(str(node.value)):
        raise where.error(node, f"front matter '{name}' is empty: expected text")


def _web(node: yaml.Node, name: str, where: _Where) -> None:
    _text(node, name, where)
    try:
        judge(str(node.value), Use.WEB)
    except TargetError as exc:
        raise where.error(
            node, f"front matter '{name}' must be a web address such as https://www.kl.dk: {exc}"
        ) from exc


def _date(node: yaml.Node, name: str, where: _Where) -> None:
    value = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        shown = repr(value) if isinstance(node, yaml.ScalarNode) else _kind(node)
        raise where.error(
            node, f"front matter '{name}' must be an ISO date such as 2018-01-10, not {shown}"
        )
    try:
        date = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise where.error(node, f"front matter '{name}' {value} is not a date: {exc}") from exc
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise where.error(
            node,
            f"front matter '{name}' {value} is out of range: expected a year from "
            f"{FIRST_YEAR} to {LAST_YEAR}",
        )


def _list(item: Check) -> Check:
    def check(node: yaml.Node, name: str, where: _Where) -> None:
        if not isinstance(node, yaml.SequenceNode):
            raise where.error(node, f"front matter '{name}' must be a list, not {_kind(node)}")
        for n, child in enumerate(node.value, start=1):
            item(child, f"{name} {n}", where)

    return check


def _map(fields: dict[str, Check], required: tuple[str, ...] = ()) -> Check:
    def check(node: yaml.Node, name: str, where: _Where) -> None:
        if not isinstance(node, yaml.MappingNode):
            raise where.error(node, f"front matter '{name}' must be a mapping, not {_kind(node)}")
        seen = set()
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.value not in fields:
                known = ", ".join(fields)
                shown = key.value if isinstance(key, yaml.ScalarNode) else _kind(key)
                inside = f" in '{name}'" if name else ""
                raise where.error(
                    key, f"unknown front matter field '{shown}'{inside}: expected one of {known}"
                )
            if key.value in seen:
                raise where.error(key, f"front matter field '{key.value}' is given twice")
            seen.add(key.value)
            fields[key.value](value, f"{name}.{key.value}" if name else key.value, where)
        for key in required:
            if key not in seen:
                raise where.error(node, f"front matter has no '{key}': expected {_NEEDED[key]}")

    return check


def _characters(node: yaml.Node, name: str, where: _Where) -> None:
    """The character policy on every value as YAML decodes it: ``"\\u202E"``,
    ``"\\x04"`` or ``"\\L"`` in double quotes is the character itself once read,
    though the file holds only ASCII. Field names too, and in any document
    extraction reads, whose fields are not checked."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _refuse(key, f"a field name in '{name}'" if name else "a field name", where)
            field = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
            _characters(value, f"{name}.{field}" if name else field, where)
    elif isinstance(node, yaml.SequenceNode):
        for n, child in enumerate(node.value, start=1):
            _characters(child, f"{name} {n}", where)
    else:
        _refuse(node, f"'{name}'", where)


def _refuse(node: yaml.Node, what: str, where: _Where) -> None:
    if isinstance(node, yaml.ScalarNode) and (problem := first_error(str(node.value))):
        raise where.error(
            node, f"front matter {what} {problem.message}: expected visible text (see SECURITY.md)"
        )


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return {
        "tag:yaml.org,2002:bool": f"yes/no ({node.value})",
        "tag:yaml.org,2002:null": "empty",
        "tag:yaml.org,2002:timestamp": f"a date ({node.value})",
    }.get(node.tag, f"{node.value!r}")


_NEEDED = {"title": "the letter's title", "lang": "the source language, e.g. 'lang: da'"}

LETTER_FIELDS = _map(
    {
        "title": _text,
        "subtitle": _text,
        "lang": _text,
        "date": _date,
        "recipient": _text,
        "sender": _map({"name": _text, "address": _list(_text), "web": _web}),
        "case-id": _text,
        "document-id": _text,
        "closing": _text,
        "signatories": _list(_map({"name": _text, "role": _text})),
        "abstract": _text,
        "description": _text,
        "keywords": _list(_text),
        "author": _list(_text),
        "accessibility-summary": _text,
    },
)
"""Every field a letter may have (see SECURITY.md)."""


def load_front_matter(
    yaml_text: str, path: str, first_line: int, *, checked: bool = True
) -> dict[str, Any]:
    """The front matter as data; ``first_line`` is the file line of the YAML's first
    line. Unless ``checked`` (extraction reads any document), only YAML without
    aliases is asked of it, not the fields of a letter."""
    where = _Where(path, first_line)
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER:
        raise SourceError(
            f"front matter is larger than {MAX_FRONT_MATTER // 1024} KB", Location(path, first_line)
        )
    loader = _NoAliasLoader(yaml_text) if checked else _TextDatesLoader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _characters(node, "", where)
        if not checked:
            data = loader.construct_document(node) if node is not None else {}
            if not isinstance(data, dict):
                raise SourceError("front matter must be a YAML mapping", Location(path, 2))
            return data
        if node is None:  # only comments, or nothing: no field at all
            raise SourceError(
                f"front matter has no 'title': expected {_NEEDED['title']}", Location(path, 1)
            )
        if not isinstance(node, yaml.MappingNode):
            raise SourceError("front matter must be a YAML mapping", Location(path, first_line))
        LETTER_FIELDS(node, "", where)
        for key in _NEEDED:
            if not any(k.value == key for k, _ in node.value):
                raise SourceError(
                    f"front matter has no '{key}': expected {_NEEDED[key]}",
                    Location(path, 1),
                )
        meta: dict[str, Any] = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError(f"invalid YAML front matter: {problem}", Location(path, line)) from exc
    except RecursionError as exc:
        raise SourceError("front matter is nested too deeply", Location(path, first_line)) from exc
    finally:
        loader.dispose()
    return meta
