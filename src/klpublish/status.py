"""Where each language stands: counts, completeness, and whether it is published."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .extract import letter_messages
from .labels import template_keys
from .layout import Layout
from .locales import language_facts
from .publish import assess_languages
from .source import read_letter


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

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def collect_status(layout: Layout, threshold: float) -> list[LanguageStatus]:
    letter = read_letter(layout.source)
    messages = letter_messages(letter)
    keys = [(m.msgid, m.context) for m in messages]
    unique = list(dict.fromkeys(keys))
    rows = []
    for lang, a in assess_languages(letter, layout, threshold, messages=messages).items():
        name = language_facts(lang).name if not a.errors or a.catalog else lang
        if lang == letter.lang:
            total = len(unique) + len(template_keys())
            rows.append(LanguageStatus(lang, name, total, 0, 0, 0, 100.0, True, "source"))
            continue
        translated = fuzzy = obsolete = 0
        if a.catalog is not None:
            for key in unique:
                message = a.catalog.get(*key)
                if message is not None and message.string:
                    if message.fuzzy:
                        fuzzy += 1
                    else:
                        translated += 1
            obsolete = len(a.catalog.obsolete)
        # The layout's words are entries too (see ``labels``): the reader sees them.
        total = len(unique)
        if a.labels is not None:
            translated += a.labels.translated
            fuzzy += a.labels.fuzzy
            total += a.labels.total
        reason = a.note or "; ".join(a.errors[:1])
        if a.errors and len(a.errors) > 1:
            reason += f" (and {len(a.errors) - 1} more: run 'klpublish lint {lang}')"
        rows.append(
            LanguageStatus(
                lang,
                name,
                translated,
                fuzzy,
                total - translated - fuzzy,
                obsolete,
                round(a.percent, 1),
                a.publishable,
                reason,
            )
        )
    return rows


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
            "source" if r.reason == "source" else ("yes" if r.published else "no"),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [head, *body]
    ]
    lines.extend(f"{r.lang}: {r.reason}" for r in rows if not r.published and r.reason)
    return lines
