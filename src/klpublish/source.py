"""Read the Markdown letter: its front matter (checked) and its Pandoc AST."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import pandoc
from .errors import Location, SourceError, display_path

READER = "markdown-smart"
"""Smart punctuation off: the source's own typography reaches the msgid unchanged."""


@dataclass(frozen=True)
class Letter:
    path: str
    text: str
    meta: dict[str, Any]
    doc: pandoc.PandocDoc
    body_start: int
    """Index of the first body line (0-based), after the front matter."""

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @property
    def lang(self) -> str:
        return str(self.meta["lang"])


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], int]:
    """Parse the YAML front matter; return it and the first body line index."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise SourceError(
            "expected YAML front matter opening with '---' (title, lang, date ...)",
            Location(path, 1),
        )
    closing = [n for n, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "...")]
    if not closing:
        raise SourceError("front matter is never closed with '---'", Location(path, 1))
    end = closing[0]
    try:
        meta = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        lineno = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError(f"invalid YAML front matter: {problem}", Location(path, lineno)) from exc
    if not isinstance(meta, dict):
        raise SourceError("front matter must be a YAML mapping", Location(path, 2))
    return meta, end + 1


def _require(meta: dict[str, Any], key: str, path: str, what: str) -> None:
    value = meta.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise SourceError(f"front matter has no '{key}': expected {what}", Location(path, 1))


def parse_letter(text: str, path: str) -> Letter:
    """Parse a letter's text. Pure apart from running pandoc."""
    meta, body_start = split_front_matter(text, path)
    _require(meta, "title", path, "the letter's title")
    _require(meta, "lang", path, "the source language, e.g. 'lang: da'")
    body = "\n".join(text.splitlines()[body_start:])
    if not body.strip():
        raise SourceError("the letter has no body text", Location(path, body_start + 1))
    doc = pandoc.markdown_to_ast(text, path, READER)
    return Letter(path=path, text=text, meta=meta, doc=doc, body_start=body_start)


def read_letter(path: Path) -> Letter:
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read the letter: {exc.strerror}", Location(shown, 0)) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError("not valid UTF-8", Location(shown, line)) from exc
    return parse_letter(text, shown)
