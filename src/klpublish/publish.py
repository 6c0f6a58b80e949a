"""Publishing: every language, every format, and the index page.

Each language is parsed and translated once, then written in each format. A
language that fails leaves its earlier outputs as they were; the others go on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog

from .catalog import load_catalog
from .errors import KlpublishError, Location, display_path
from .extract import Message, letter_messages
from .fileio import remove_stale_temporaries, write_if_changed
from .layout import Layout, check_lang_code
from .locales import language_facts
from .render.context import Alternate, RenderContext, with_context
from .segments import Node
from .source import Letter, letter_date, read_letter
from .translate import Outcome, translate_letter

FORMATS = ("html", "epub", "pdf")
DEFAULT_THRESHOLD = 80.0


@dataclass
class LanguageResult:
    lang: str
    percent: float = 0.0
    published: bool = False
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class Report:
    languages: list[LanguageResult] = field(default_factory=list)

    @property
    def failed(self) -> list[LanguageResult]:
        return [r for r in self.languages if r.errors]


def catalog_completeness(catalog: Catalog, template_ids: set[tuple[str, str | None]]) -> float:
    """Share of the template's entries with a usable (non-fuzzy) translation."""
    if not template_ids:
        return 100.0
    done = sum(
        1
        for key in template_ids
        if (m := catalog.get(*key)) is not None and m.string and not m.fuzzy
    )
    return 100.0 * done / len(template_ids)


def output_path(out: Path, lang: str, fmt: str) -> Path:
    return out / lang / f"letter.{lang}.{fmt}"


def renderer(fmt: str) -> Callable[[Node, RenderContext, Letter], bytes]:
    from .render import epub, html, pdf

    return {
        "html": lambda doc, ctx, letter: html.render_html(doc, str(Path(letter.path).parent)),
        "epub": epub.render_epub,
        "pdf": pdf.render_pdf,
    }[fmt]


def output_epoch(letter_date: dt.date | None) -> int:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return int(epoch)
    if letter_date is None:
        return 0
    return int(dt.datetime.combine(letter_date, dt.time(), dt.UTC).timestamp())


@dataclass
class Assessment:
    """One language, translated and checked: whether it can be published."""

    lang: str
    doc: Node | None
    outcome: Outcome | None
    percent: float
    errors: list[str]
    note: str = ""
    catalog: Catalog | None = None
    known_publishable: bool | None = None
    """From the cache, for a language that was not translated in this run."""

    @property
    def publishable(self) -> bool:
        if self.known_publishable is not None:
            return self.known_publishable
        return self.doc is not None and not self.errors and not self.note


@cache
def _code_digest() -> str:
    """Changes whenever the package's code or templates change."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".typ", ".html", ".css", ".lua"):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _cache_key(letter: Letter, layout: Layout, lang: str, threshold: float) -> str:
    digest = hashlib.sha256(_code_digest().encode())
    digest.update(letter.text.encode("utf-8"))
    digest.update(f"{lang}:{threshold}".encode())
    try:
        digest.update(layout.po_path(lang).read_bytes())
    except OSError:
        digest.update(b"missing")
    return digest.hexdigest()


def _cache_path(layout: Layout, lang: str) -> Path:
    return layout.out / ".cache" / f"assessment.{lang}.json"


def _cached(layout: Layout, lang: str, key: str) -> Assessment | None:
    try:
        data = json.loads(_cache_path(layout, lang).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("key") != key:
        return None
    return Assessment(
        lang, None, None, float(data["percent"]), [], known_publishable=bool(data["publishable"])
    )


def _remember(layout: Layout, assessment: Assessment, key: str) -> None:
    data = {"key": key, "percent": assessment.percent, "publishable": assessment.publishable}
    write_if_changed(_cache_path(layout, assessment.lang), json.dumps(data).encode())


def assess_languages(
    letter: Letter,
    layout: Layout,
    threshold: float,
    only: Sequence[str] = (),
    messages: list[Message] | None = None,
) -> dict[str, Assessment]:
    """Translate and check every language once; the source language comes first.

    With ``only``, the other languages need just their verdict (for the language
    switcher): it comes from a cache kept beside the outputs, keyed by the source,
    the catalog and this code, so N languages built one by one cost N checks, not N².
    """
    found = {letter.lang: _assess_source(letter)}
    for lang in layout.languages():
        if lang == letter.lang:
            continue
        key = _cache_key(letter, layout, lang, threshold)
        if only and lang not in only and (cached := _cached(layout, lang, key)):
            found[lang] = cached
            continue
        if messages is None:
            messages = letter_messages(letter)  # one pandoc run for every language
        found[lang] = _assess_one(letter, layout, lang, threshold, messages)
        _remember(layout, found[lang], key)
    return found


def _assess_source(letter: Letter) -> Assessment:
    return Assessment(letter.lang, letter.doc, None, 100.0, [])


def _assess_one(
    letter: Letter, layout: Layout, lang: str, threshold: float, messages: list[Message]
) -> Assessment:
    try:
        check_lang_code(lang, Location(display_path(layout.locales / lang), 0))
        catalog = load_catalog(layout.po_path(lang), locale=lang)
    except KlpublishError as exc:
        return Assessment(lang, None, None, 0.0, [str(exc)])
    percent = catalog_completeness(catalog, {(m.msgid, m.context) for m in messages})
    if percent < threshold:
        note = f"not published: {percent:.0f}% translated, below the {threshold:.0f}% threshold"
        return Assessment(lang, None, None, percent, [], note, catalog)
    po = display_path(layout.po_path(lang))
    doc, outcome = translate_letter(letter, catalog, po, messages)
    errors = [str(p) for p in outcome.problems]
    return Assessment(lang, doc, outcome, percent, errors, catalog=catalog)


def publish(
    layout: Layout,
    langs: Sequence[str] = (),
    formats: Sequence[str] = FORMATS,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[str], None] = lambda line: None,
) -> Report:
    letter = read_letter(layout.source)
    source_lang = check_lang_code(letter.lang, Location(letter.path, letter.key_line("lang")))
    date = letter_date(letter) if "date" in letter.meta else None
    assessed = assess_languages(letter, layout, threshold, only=langs)
    for lang in langs:
        if lang not in assessed:
            raise KlpublishError(
                f"no catalog for '{lang}': expected {display_path(layout.po_path(lang))}"
            )
    alternates = [
        Alternate(code, language_facts(code).name, f"../{code}/letter.{code}.html", False)
        for code, a in assessed.items()
        if a.publishable
    ]
    report = Report()
    for lang, assessment in assessed.items():
        if langs and lang not in langs:
            continue
        result = LanguageResult(lang, assessment.percent, errors=list(assessment.errors))
        result.note = assessment.note
        report.languages.append(result)
        if assessment.outcome is not None:
            for warning in assessment.outcome.warnings:
                progress(f"warning: {warning}")
        if not assessment.publishable or assessment.doc is None:
            continue
        ctx = RenderContext(
            facts=language_facts(lang),
            date=date,
            alternates=tuple(Alternate(a.code, a.name, a.html, a.code == lang) for a in alternates),
            identifier=f"urn:klpublish:{Path(letter.path).stem}:{lang}",
            source_lang=source_lang,
            epoch=output_epoch(date),
        )
        try:
            prepared = with_context(assessment.doc, ctx)
            rendered = {fmt: renderer(fmt)(prepared, ctx, letter) for fmt in formats}
        except KlpublishError as exc:
            result.errors.append(str(exc))
            continue
        # Written only once every format rendered: a failure leaves the old files.
        remove_stale_temporaries(layout.out / lang, "letter.")
        for fmt, data in rendered.items():
            path = output_path(layout.out, lang, fmt)
            changed = write_if_changed(path, data)
            (result.written if changed else result.unchanged).append(path)
            progress(f"{'wrote' if changed else 'unchanged'} {display_path(path)}")
        result.published = True
    return report


def published_languages(layout: Layout, threshold: float = DEFAULT_THRESHOLD) -> list[str]:
    """The source language, then every language that passes the threshold and checks."""
    letter = read_letter(layout.source)
    verdicts = assess_languages(letter, layout, threshold, only=[letter.lang])
    return [a.lang for a in verdicts.values() if a.publishable]


def write_index(layout: Layout, threshold: float = DEFAULT_THRESHOLD) -> tuple[Path, bool]:
    from .render.index import render_index

    langs = published_languages(layout, threshold)
    present = [code for code in langs if (layout.out / code).is_dir()]
    path = layout.out / "index.html"
    return path, write_if_changed(path, render_index(layout.out, present, langs[0]))
