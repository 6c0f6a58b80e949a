"""Each language ends in exactly one explicit state."""

from __future__ import annotations

from pathlib import Path

import pytest

from klpublish.build.assessment import (
    BelowThreshold,
    Cached,
    Refused,
    Source,
    Translated,
    assess_languages,
    document,
)
from klpublish.build.need import EveryLanguage, Need, TheseAndCachedVerdicts
from klpublish.letter.read import read_letter
from klpublish.project import DEFAULT_SOURCE, Layout
from test_translation_checks import put_translation


def assess(threshold: float = 80.0, need: Need = EveryLanguage()) -> dict[str, object]:  # noqa: B008
    layout = Layout(DEFAULT_SOURCE)
    return dict(assess_languages(read_letter(layout.source), layout, threshold, need=need))


def test_each_state(project: Path) -> None:
    Path("locale/de/LC_MESSAGES/letter.po").write_text("msgid broken", encoding="utf-8")
    put_translation("Vi glæder os", "We look forward <b>to it</b>.")
    found = assess()
    source, en, de, uk = found["da"], found["en"], found["de"], found["uk"]
    assert isinstance(source, Source) and source.publishable and source.name == "Dansk"
    assert isinstance(uk, Translated) and uk.publishable and uk.percent == 100.0
    assert uk.counts.translated > 0 and uk.counts.fuzzy == 0 and uk.counts.untranslated == 0
    assert isinstance(en, Refused) and not en.publishable and en.name == "English"
    assert en.errors and "msgstr contains raw HTML" in en.errors[0]
    assert isinstance(de, Refused) and de.name == "de" and "msgfmt" in de.errors[0]
    assert document(uk)["meta"] and document(source) is source.doc
    with pytest.raises(TypeError, match="en: no document in state Refused"):
        document(en)


def test_below_threshold_says_why(project: Path) -> None:
    found = assess(threshold=101.0)
    uk = found["uk"]
    assert isinstance(uk, BelowThreshold) and not uk.publishable and not uk.errors
    assert uk.note == "not published: 100% translated, below the 101% threshold"


def test_a_verdict_not_needed_comes_from_the_cache(project: Path) -> None:
    first = assess()
    again = assess(need=TheseAndCachedVerdicts(frozenset({"uk"})))
    assert isinstance(again["uk"], Translated)
    assert isinstance(again["ar"], Cached) and again["ar"].publishable
    assert again["ar"].key == first["ar"].key and again["ar"].name == first["ar"].name
    Path("locale/ar/LC_MESSAGES/letter.po").write_bytes(b"changed")
    fresh = TheseAndCachedVerdicts(frozenset({"uk"}))
    assert isinstance(assess(need=fresh)["ar"], Refused)  # a changed catalog is looked at
