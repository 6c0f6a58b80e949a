"""The content checks (``translation.content``) on one letter in one language,
with their words from the layout's catalogs: what ``lint`` warns of, and what the
gate fails on (see ``gate.run``)."""

from __future__ import annotations

from collections.abc import Mapping

from klpublish.build.assessment import Assessment, Source, Translated
from klpublish.catalogs.phrases import phrases_for
from klpublish.errors import KlpublishError
from klpublish.letter.read import Letter
from klpublish.letter.separate_alts import alts_given
from klpublish.project import Layout
from klpublish.segments.walk import sites_of
from klpublish.translation.content import ContentProblem, Page, content_problems, figures_of
from klpublish.translation.translate import source_placed


def check_content(
    letter: Letter, layout: Layout, assessment: Source | Translated
) -> list[ContentProblem]:
    """What the checks find in the letter as published in ``assessment``'s language.
    A check that cannot run raises (:class:`~klpublish.errors.KlpublishError`,
    ``OSError`` or ``ValueError``): never a pass."""
    if isinstance(assessment, Translated):
        placed = assessment.placed
        if len(placed) != len(sites_of(letter.doc)):
            raise ValueError(
                f"{assessment.lang}: {len(placed)} segment(s) recorded of the letter's "
                f"{len(sites_of(letter.doc))}: cannot tell where its text came from"
            )
    else:
        placed = tuple(source_placed(letter))
    langs = dict.fromkeys((assessment.lang, letter.lang))
    words = {lang: phrases_for(lang, layout.project) for lang in langs}
    page = Page(assessment.lang, letter.lang, placed, words)
    return content_problems(page, figures_of(letter.doc, alts_given(letter)), letter.path)


def content_lines(
    letter: Letter, layout: Layout, assessed: Mapping[str, Assessment], source: bool
) -> tuple[list[str], int]:
    """What ``lint`` says of each published language's letter (the source's too when
    ``source``): the findings as warnings, once each, and a check that could not
    run as an error; with how many errors."""
    lines: list[str] = []
    errors = 0
    for lang, assessment in assessed.items():
        if not isinstance(assessment, Source | Translated) or (lang == letter.lang and not source):
            continue
        try:
            found = check_content(letter, layout, assessment)
        except (KlpublishError, OSError, ValueError) as exc:
            lines.append(f"{letter.path}: {lang}: the content checks could not run: {exc}")
            errors += 1
            continue
        for problem in found:
            line = f"{problem.location}: warning: {problem.message}"
            if line not in lines:  # the source's text, the same in every language
                lines.append(line)
    return lines, errors
