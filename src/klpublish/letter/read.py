"""Read the Markdown letter: its front matter (checked) and its Pandoc AST."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klpublish import pandoc
from klpublish.errors import KlpublishError, Location, Severity, SourceError, display_path
from klpublish.files import MAX_LETTER_BYTES, Reading, read_inside
from klpublish.letter.body import READER, check_no_metadata, read_ast
from klpublish.letter.budgets import check_letter
from klpublish.letter.characters import (
    character_problems,
    decoded_text,
    first_error,
    references_to,
    visible,
)
from klpublish.letter.front_matter import load_front_matter
from klpublish.letter.markup import check_body, check_nothing_dropped, check_target, located
from klpublish.letter.nodes import Node, iter_nodes, plain_text, soft_breaks_to_spaces
from klpublish.letter.places import check_formulas, check_places
from klpublish.project import check_lang_code, letter_root


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

    def key_line(self, key: str) -> int:
        """The line of a top-level front matter key (1 when it is not there)."""
        for number, line in enumerate(self.lines[: self.body_start], start=1):
            if line.startswith(f"{key}:"):
                return number
        return 1


def split_front_matter(text: str, path: str, *, checked: bool = True) -> tuple[dict[str, Any], int]:
    """Parse the YAML front matter as data; return it and the first body line index."""
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
    return load_front_matter("\n".join(lines[1:end]), path, 2, checked=checked), end + 1


def check_characters(text: str, path: str) -> None:
    """The character policy of ``characters.py`` (the author's errors; its
    warnings are for translators, whose text is checked against the author's)."""
    for number, line in enumerate(text.split("\n"), start=1):
        for problem in character_problems(line):
            if problem.severity is Severity.ERROR:
                raise SourceError(
                    f"the letter {problem.message}: expected visible text (see SECURITY.md)",
                    Location(path, number),
                )


def check_decoded_characters(letter: Letter) -> None:
    """The character policy on the text as pandoc decoded it: ``h&#x4;i`` is
    ASCII in the file and U+0004 in every output and catalog. Located at the
    first line that writes the refused character as a reference."""
    problem = first_error(decoded_text(letter.doc))
    if problem is None:
        return
    lines = letter.text.split("\n")
    reference = references_to(problem.char)
    for number, line in enumerate(lines, start=1):
        if found := reference.search(line):
            raise SourceError(
                f"the letter {problem.message}, written {found.group(0)}: expected visible "
                "text (see SECURITY.md)",
                Location(letter.path, number),
            )
    # Written as itself, where its neighbours allowed it: the policy judges it
    # beside the neighbours it has in the outputs.
    number = next((n for n, line in enumerate(lines, start=1) if problem.char in line), 1)
    raise SourceError(
        f"the letter {problem.message}: expected visible text (see SECURITY.md)",
        Location(letter.path, number),
    )


def parse_document(text: str, path: str) -> Letter:
    """Any document pandoc reads as Markdown, as extraction needs it: front
    matter is optional and nothing is required of it (publishing requires it).
    The character policy holds here too: no catalog carries what it refuses."""
    check_characters(text, path)
    lines = text.splitlines()
    has_front_matter = (
        len(lines) > 1
        and lines[0].strip() == "---"
        and bool(lines[1].strip())  # pandoc's rule: '---' and a blank line is a rule
        and any(line.strip() in ("---", "...") for line in lines[2:])
    )
    meta, body_start = (
        split_front_matter(text, path, checked=False) if has_front_matter else ({}, 0)
    )
    letter = _with_ast(text, path, meta, body_start)
    check_decoded_characters(letter)
    return letter


def front_matter_refusal(letter: Letter) -> KlpublishError | None:
    """What publishing refuses in the front matter of a document extraction
    took (``parse_document`` asks nothing of it): a field no letter has
    (``redirect_from``), a value of the wrong kind, a missing title, a language
    code that is none; and metadata in the body; None when publishing takes it."""
    try:
        meta, _ = split_front_matter(letter.text, letter.path)
        check_lang_code(str(meta["lang"]), Location(letter.path, letter.key_line("lang")))
        check_no_metadata(letter.lines, letter.body_start, letter.path, letter.doc)
    except KlpublishError as exc:
        return exc
    return None


def _with_ast(text: str, path: str, meta: dict[str, Any], body_start: int) -> Letter:
    # Before pandoc reads it: a letter that would cost pandoc minutes is refused cheaply.
    check_letter(text, path, body_start)
    lines = text.splitlines()
    # A document without front matter is read as pandoc reads it; with front
    # matter, as a letter is published (``body.py``).
    doc = (
        read_ast(lines, body_start, path)
        if body_start
        else soft_breaks_to_spaces(pandoc.markdown_to_ast(text, path, READER))
    )
    return Letter(path=path, text=text, meta=meta, doc=doc, body_start=body_start)


def parse_letter(text: str, path: str) -> Letter:
    """Parse a letter to publish, with everything its outputs need. Pure apart
    from running pandoc."""
    check_characters(text, path)
    meta, body_start = split_front_matter(text, path)
    lines = text.splitlines()
    body = "\n".join(lines[body_start:])
    if not body.strip():
        raise SourceError("the letter has no body text", Location(path, body_start + 1))
    # Before pandoc reads it: a letter that would cost pandoc minutes is refused cheaply.
    check_letter(text, path, body_start)
    # The checked front matter alone, and the body with no metadata of its own.
    doc = read_ast(lines, body_start, path)
    check_no_metadata(lines, body_start, path, doc)
    letter = Letter(path=path, text=text, meta=meta, doc=doc, body_start=body_start)
    check_decoded_characters(letter)
    check_lang_code(letter.lang, Location(path, letter.key_line("lang")))
    if "date" in meta:
        letter_date(letter)
    check_structure(letter)
    return letter


def letter_date(letter: Letter) -> dt.date:
    """The letter's date, which the front matter gives as an ISO date."""
    value = letter.meta.get("date")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise SourceError(
            f"front matter 'date' must be an ISO date such as 2018-01-10, not {value!r}",
            Location(letter.path, letter.key_line("date")),
        ) from exc


def _blank_heading_line(letter: Letter) -> int:
    for number, line in enumerate(letter.lines[letter.body_start :], start=letter.body_start + 1):
        if re.match(r"^#+(\s|$)", line) and not visible(line.lstrip("#")):
            return number
    return letter.body_start + 1


def check_structure(letter: Letter) -> None:
    """What every output needs from the source: headings that do not skip a level
    (the title is level 1), alt text on every image, and links and images as
    ``targets.py`` allows them (those of the front matter: ``check_publishable``)."""
    where = located(letter.path, letter.lines, letter.body_start, letter.key_line, letter.doc)
    previous = 1
    for node in iter_nodes(letter.doc["blocks"]):
        t = node["t"]
        if t == "Header":
            level, _, inlines = node["c"]
            if not visible(plain_text(inlines)):
                raise SourceError(
                    "a heading has no visible text (only spaces or invisible characters): "
                    "expected words, or no heading",
                    Location(letter.path, _blank_heading_line(letter)),
                )
            if level > previous + 1:
                text = plain_text(inlines)
                raise SourceError(
                    f"heading '{text}' is level {level}, after level {previous}: expected "
                    f"level {previous + 1} at most (the title is level 1)",
                    where(None, text, node, lambda n, s=text: _is_heading(n, s)),
                )
            previous = level
        elif t == "Image":
            _, alt, (url, _) = node["c"]
            if not plain_text(alt).strip():
                raise SourceError(
                    f"image {url} has no alt text: expected ![what it shows]({url})",
                    where(None, url, node, lambda n, u=url: _has_target(n, "Image", u)),
                )
        if t in ("Link", "Image"):
            check_target(node, Path(letter.path).parent, _target_place(where, node))
    check_places(letter.doc, where)
    check_formulas(letter.doc, where, letter.path)


def _is_heading(node: Node, text: str) -> bool:
    return bool(node["t"] == "Header" and plain_text(node["c"][2]) == text)


def _target_place(where: Any, node: Node) -> Callable[[], Location]:
    """Where a link or image is, asked only when it is refused."""
    kind, url = node["t"], node["c"][2][0]
    return lambda: where(None, url, node, lambda other: _has_target(other, kind, url))


def _has_target(node: Node, kind: str, url: str) -> bool:
    return bool(node["t"] == kind and node["c"][2][0] == url)


def read_letter(path: Path) -> Letter:
    """The letter to publish (see :func:`parse_letter`)."""
    letter = parse_letter(*_read_text(path))
    check_publishable(letter)
    return letter


def read_document(path: Path) -> Letter:
    """A document to extract messages from (see :func:`parse_document`)."""
    return parse_document(*_read_text(path))


def _read_text(path: Path) -> tuple[str, str]:
    """The file's text and the path to show in messages."""
    shown = display_path(path)
    raw = read_inside(path, Reading(letter_root(path), MAX_LETTER_BYTES, "a letter"), SourceError)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError("not valid UTF-8", Location(shown, line)) from exc
    return text, shown


def check_publishable(letter: Letter) -> None:
    """What a letter the build reads may hold (raw markup, attributes, link
    targets, images: see SECURITY.md). Apart from ``parse_document``, which reads
    any Pandoc Markdown document for extraction."""
    folder = Path(letter.path).parent  # as the renderers and the build cache name it
    where = located(letter.path, letter.lines, letter.body_start, letter.key_line, letter.doc)
    check_body(letter.doc, folder, where, letter.lines)
    check_nothing_dropped(letter.path, letter.lines, letter.body_start, letter.doc, READER, where)
    from klpublish.letter.fonts import text_problem

    problem = text_problem(letter.text, letter.path)
    if problem is not None:
        raise problem
