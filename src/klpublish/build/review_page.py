"""``klpublish review``: a review page for each letter and language, the Danish and
the translation side by side (``render.review``), and the index's links to them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from klpublish.build.assessment import Refused, Translated, assess_languages
from klpublish.build.commands import Scope
from klpublish.build.need import only
from klpublish.build.output_folder import claim
from klpublish.build.publish import letter_title
from klpublish.build.review_rows import make_rows, read_entries
from klpublish.catalogs.labels import Labels, project_labels
from klpublish.errors import KlpublishError, display_path
from klpublish.fileio import write_if_changed
from klpublish.letter.read import read_letter
from klpublish.project import Layout, check_lang_code
from klpublish.render.review import image_text, render_review
from klpublish.render.review_model import ReviewPage
from klpublish.segments.messages import letter_messages

Said = tuple[list[str], int]


@dataclass(frozen=True)
class ReviewRequest:
    scope: Scope
    langs: tuple[str, ...]
    """Only these languages (none: every one)."""
    ui: str
    """The reviewer's language: the page's own words are in it."""
    threshold: float

    def run(self, progress: Callable[[str], None]) -> Said:
        return review_letters(self)


def review_letters(request: ReviewRequest) -> Said:
    """Every letter's review pages; a letter or language that fails is said, the others
    are written; then the index, which links them."""
    from klpublish.build.index_page import index_layouts, write_index

    letters = request.scope.letters()
    claim(letters.out)  # the build cache records each verdict there
    ui = check_lang_code(request.ui)
    project = letters.layouts[0].project
    labels = project_labels(ui, project.labels_catalog(ui), review=True)
    lines: list[str] = []
    failed = [str(exc) for exc in letters.refused]
    written: set[str] = set()
    for one, done in letters.each(lambda one: review_letter(one, request, labels)):
        if isinstance(done, KlpublishError):
            failed.append(f"{one.name}: no review pages: {done}")
            continue
        for lang, said, ok in done:
            written.add(lang)
            (lines if ok else failed).append(letters.named(one, f"{lang}: {said}"))
    missing = [lang for lang in request.langs if lang not in written]
    if missing:
        failed.append(f"no letter has a catalog for {', '.join(missing)}")
    path, changed, problems = write_index(index_layouts(letters.layouts), request.threshold)
    lines.append(f"{'wrote' if changed else 'unchanged'} {display_path(path)}")
    failed += problems
    return ([*lines, "failed:", *(f"  {f}" for f in failed)], 1) if failed else (lines, 0)


def review_letter(
    layout: Layout, request: ReviewRequest, labels: Labels
) -> list[tuple[str, str, bool]]:
    """One letter's pages: what was done in each language (a page written or left
    as it was, or why there is none), and whether it was done."""
    letter = read_letter(layout.source)
    messages = letter_messages(letter)
    assessed = assess_languages(letter, layout, 0.0, only(request.langs), messages=messages)
    title = letter_title(letter).text
    done = []
    for lang, found in assessed.items():
        if lang == letter.lang:
            continue
        try:
            if not isinstance(found, Translated | Refused):
                raise KlpublishError(f"{lang}: not translated in this run")
            entries, elsewhere = read_entries(layout, lang, found)
            rows = make_rows(letter, messages, entries, found, image_text(labels))
        except KlpublishError as exc:
            done.append((lang, f"no review page: {exc}", False))
            continue
        page = ReviewPage(
            layout.name,
            title,
            letter.lang,
            lang,
            entries.po,
            found.percent,
            request.threshold,
            len(found.errors),
            tuple(rows),
            tuple(elsewhere),
        )
        path = layout.review_page(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        changed = write_if_changed(path, render_review(page, labels, request.ui))
        done.append((lang, f"{'wrote' if changed else 'unchanged'} {display_path(path)}", True))
    return done
