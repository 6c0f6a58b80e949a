"""The gate's language check: whether each block of each published letter, in each
language, reads as the language it is marked in (``translation/language_id.py``).

One finding per letter and language, of format "all": the HTML, the EPUB and the
PDF are made from one translated document and carry its marks (the page's
language, and ``da`` on the source text that stands in a translation), which the
structure checker compares across the formats; judging the document once says
each fault once, at the ``.po`` line or source line its text came from."""

from __future__ import annotations

from klpublish.build.assessment import Translated
from klpublish.errors import ToolError
from klpublish.gate.findings import CheckerFailed, Finding
from klpublish.gate.published import PublishedLetter
from klpublish.translation.language_id import (
    language_problems,
    load_identifier,
    source_blocks,
    translated_blocks,
)

CHECKER = "language"


def language_findings(letters: list[PublishedLetter]) -> list[Finding]:
    """A finding per letter and published language; when the identifier cannot
    load, one that failed for every page (never a pass unjudged)."""
    try:
        identifier = load_identifier()
    except ToolError as exc:
        pages = [page for letter in letters for page in letter.pages]
        return [CheckerFailed(CHECKER, str(exc), pages)]
    findings = []
    for letter in letters:
        for lang in letter.langs:
            assessed = letter.assessed[lang]
            if isinstance(assessed, Translated):
                blocks = translated_blocks(assessed.placed, letter.letter.lang)
            else:  # the source language: the author's own text
                blocks = source_blocks(letter.letter)
            problems = language_problems(blocks, lang, identifier)
            findings.append(
                Finding(
                    CHECKER,
                    lang,
                    "all",
                    letter.letter.path,
                    [str(p) for p in problems],
                    letter=letter.layout.name,
                )
            )
    return findings
