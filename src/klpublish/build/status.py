"""Where each language stands: counts, completeness, and whether it is published."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from klpublish.build import record
from klpublish.project import Layout

if TYPE_CHECKING:
    from klpublish.build.assessment import Assessment

# The readers and checkers are imported where they are used: a letter whose
# inputs are as recorded is answered from the record (see ``record``).


@dataclass(frozen=True)
class LanguageStatus:
    lang: str
    name: str
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int
    percent: float
    published: bool
    reason: str
    """Why it is not published (empty when it is)."""
    glossary: int = 0
    """Translations that miss a term of the language's glossary (warnings)."""
    glossary_error: str = ""
    """Why the language's glossary is not used (its file is refused), located."""
    source: bool = False
    """The letter's own language: nothing to translate, and always published."""

    def as_dict(self) -> dict[str, object]:
        """The row as ``status --json`` gives it, where the source's reason says "source"."""
        row = asdict(self)
        del row["source"]
        if self.source:
            row["reason"] = "source"
        return row


def collect_status(layout: Layout, threshold: float) -> list[LanguageStatus]:
    facts = record.current(layout, record.STATUS, threshold)
    if facts is not None:
        try:
            return [LanguageStatus(**row) for row in facts["rows"]]
        except (TypeError, KeyError):  # a damaged record is none: the long way
            pass
    from klpublish.build.assessment import Source, assess_languages
    from klpublish.build.report import output_epoch
    from klpublish.catalogs.labels import template_keys
    from klpublish.letter.read import letter_date, read_letter
    from klpublish.segments.messages import letter_messages

    letter = read_letter(layout.source)
    images = record.images_of(letter.doc)
    date = letter_date(letter) if "date" in letter.meta else None
    inputs = record.inputs_digest(
        layout, letter.text.encode("utf-8"), images, letter.lang, output_epoch(date), record.STATUS
    )
    messages = letter_messages(letter)
    # The layout's words are entries too (see ``labels``): the reader sees them.
    unique = len(dict.fromkeys((m.msgid, m.context) for m in messages)) + len(template_keys())
    rows = []
    for lang, a in assess_languages(letter, layout, threshold, messages=messages).items():
        if isinstance(a, Source):
            rows.append(LanguageStatus(lang, a.name, unique, 0, 0, 0, 100.0, True, "", source=True))
            continue
        rows.append(_row(a))
    facts = {
        "images": images,
        "source_lang": letter.lang,
        "date": date.isoformat() if date else None,
        "rows": [asdict(r) for r in rows],
    }
    record.remember(layout, record.STATUS, threshold, inputs, facts)
    return rows


def _row(a: Assessment) -> LanguageStatus:
    """A translated language's row."""
    from klpublish.build.assessment import BelowThreshold, Counts, Refused, Translated
    from klpublish.catalogs.glossary import GlossaryUnreadable, GlossaryWarning

    counts = a.counts if isinstance(a, Translated | BelowThreshold | Refused) else Counts()
    reason = a.note or "; ".join(a.errors[:1])
    if len(a.errors) > 1:
        reason += f" (and {len(a.errors) - 1} more: run 'klpublish lint {a.lang}')"
    return LanguageStatus(
        a.lang,
        a.name,
        counts.translated,
        counts.fuzzy,
        counts.untranslated,
        counts.obsolete,
        round(a.percent, 1),
        a.publishable,
        reason,
        sum(isinstance(w, GlossaryWarning) for w in a.warnings),
        "; ".join(str(w) for w in a.warnings if isinstance(w, GlossaryUnreadable)),
    )


def format_table(rows: list[LanguageStatus]) -> list[str]:
    head = (
        "lang",
        "language",
        "translated",
        "fuzzy",
        "untranslated",
        "obsolete",
        "done",
        "published",
        "glossary",
    )
    body = [
        (
            r.lang,
            r.name,
            str(r.translated),
            str(r.fuzzy),
            str(r.untranslated),
            str(r.obsolete),
            f"{r.percent:.0f}%",
            "source" if r.source else ("yes" if r.published else "no"),
            "-" if r.source else ("refused" if r.glossary_error else str(r.glossary)),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [head, *body]
    ]
    lines.extend(f"{r.lang}: {r.reason}" for r in rows if not r.published and r.reason)
    lines.extend(
        f"{r.lang}: glossary not used: {r.glossary_error}" for r in rows if r.glossary_error
    )
    return lines
