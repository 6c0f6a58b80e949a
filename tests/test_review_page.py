"""``klpublish review``: the Danish and a translation side by side, for a reviewer who
never opens a ``.po`` file (issue 25). Real pandoc, msgfmt, Babel; Orca where marked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import html

from helpers import copy_project
from klpublish.__main__ import main, run
from klpublish.catalogs import labels
from klpublish.gate.published import review_pages
from klpublish.gate.screen_reader import heard_words
from klpublish.project import Layout, package_label_languages
from klpublish.render.review import Words
from klpublish.render.review_diff import word_diff

OLD = "En ny valgperiode er begyndt. Det er altid noget særligt."
NEW = "En ny valgperiode er netop begyndt. Det er noget helt særligt."
DE = Path("locale/de/LC_MESSAGES/letter.po")


def _page(root: Path, lang: str, name: str = "letter") -> Any:
    return html.fromstring((root / "build" / "review" / f"{name}.{lang}.html").read_bytes())


def _row(page: Any, danish: str) -> Any:
    """The segment whose Danish holds ``danish``."""
    found = [
        row
        for row in page.xpath("//section[contains(@class, 'row')]")
        if danish in row.xpath("string(.//dd[1])")
    ]
    assert len(found) == 1, f"{len(found)} rows hold {danish!r}"
    return found[0]


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The project with one Danish paragraph changed, then ``extract`` and ``update``
    (``make update``), then ``review de ar``."""
    root = copy_project(tmp_path_factory.mktemp("review"))
    letter = root / "source" / "letter.da.md"
    text = letter.read_text(encoding="utf-8")
    assert OLD in text
    letter.write_text(text.replace(OLD, NEW), encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.chdir(root)
    try:
        assert main(["extract"]) == 0
        assert main(["update"]) == 0
        assert main(["review", "de", "ar"]) == 0
        yield root
    finally:
        mp.undo()


def test_a_changed_paragraph_is_fuzzy_with_its_words_marked(changed: Path) -> None:
    page = _page(changed, "de")
    row = _row(page, "netop begyndt")
    assert "fuzzy" in row.get("class").split()
    assert _text(row.find("h3")).endswith("Uklar (skal gennemses)")
    inserted = [_text(e) for e in row.iter("ins")]
    deleted = [_text(e) for e in row.iter("del")]
    # Each change says what it is, in the reviewer's words, to a screen reader.
    assert inserted == ["indsat: netop", "indsat: helt"], inserted
    assert deleted == ["slettet: altid"], deleted
    said = row.xpath(".//ins/span[@class='vh'] | .//del/span[@class='vh']")
    assert len(said) == 3 and all(s.get("lang") == "da" for s in said)
    # The reader gets the Danish, marked as Danish; the old translation is shown apart.
    translation = row.xpath(".//div[@class='text'][2]/dd")[0]
    assert translation.get("lang") == "de"
    assert translation.xpath(".//p[@class='fallback'][@lang='da'][@dir='ltr']")
    assert "Eine neue Wahlperiode hat begonnen" in _text(translation)


def test_the_summary_counts_the_fuzzy_row_and_jumps_to_it(changed: Path) -> None:
    page = _page(changed, "de")
    counts = [_text(li) for li in page.xpath("//ul[@class='counts']/li")]
    assert "Uklar (skal gennemses): 1" in counts, counts
    assert "Ikke oversat: 0" in counts, counts
    row = _row(page, "netop begyndt")
    jumps = page.xpath("//ul[@class='attention']//a/@href")
    assert jumps == [f"#{row.get('id')}"], jumps


def test_each_column_has_its_language_and_direction(changed: Path) -> None:
    page = _page(changed, "ar")
    assert page.get("lang") == "da" and page.get("dir") == "ltr"
    for row in page.xpath("//section[contains(@class, 'row')]"):
        danish, arabic = row.xpath(".//div[@class='text']/dd")
        assert (danish.get("lang"), danish.get("dir")) == ("da", "ltr")
        assert (arabic.get("lang"), arabic.get("dir")) == ("ar", "rtl")


def test_rows_are_numbered_in_the_letters_order(changed: Path) -> None:
    page = _page(changed, "de")
    headings = [_text(h) for h in page.xpath("//section[contains(@class, 'row')]/h3")]
    numbers = [int(re.match(r"Segment (\d+):", h)[1]) for h in headings]  # type: ignore[index]
    assert numbers == list(range(1, len(numbers) + 1))
    lines = [int(_text(dd).rsplit(":", 1)[1]) for dd in page.xpath("//div[dt='Dansk kilde']/dd")]
    assert lines == sorted(lines)


def test_the_index_links_every_review_page(changed: Path) -> None:
    index = html.fromstring((changed / "build" / "index.html").read_bytes())
    links = index.xpath("//section[@aria-labelledby='reviews']//a/@href")
    assert links == ["review/letter.ar.html", "review/letter.de.html"], links


@pytest.mark.slow
@pytest.mark.orca
def test_orca_reads_the_inserted_and_deleted_words(changed: Path, tmp_path: Path) -> None:
    from klpublish.gate import orca

    page = (changed / "build" / "review" / "letter.de.html").resolve()
    report = tmp_path / "heard.txt"
    # Orca's own short folder: the speech server's socket lies under it (107 bytes at
    # most), and pytest's folder for this test under xdist is longer.
    found = orca.check_pages([orca.Page(page, report)])
    assert found[page] == [], found[page]
    heard = report.read_text(encoding="utf-8").splitlines()
    assert "indsat: netop" in heard and "slettet: altid" in heard, heard


# -- an error and a glossary warning, on their rows, at their lines ----------------


@pytest.fixture(scope="module")
def flawed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str]]]:
    """German with a translation that drops a link (an error) and one that misses the
    glossary's term (a warning); what ``lint de`` says of it."""
    root = copy_project(tmp_path_factory.mktemp("flawed"))
    po = root / DE
    text = po.read_text(encoding="utf-8")
    broken = text.replace(
        '[www.kl.dk]"\n"(https://www.kl.dk) zu abonnieren."', 'www.kl.dk"\n" zu abonnieren."'
    )
    glossary = 'msgstr "Wir freuen uns auf die Zusammenarbeit in der neuen Wahlperiode."'
    broken = broken.replace(glossary, glossary.replace("Wahlperiode", "Legislatur"))
    assert broken.count("Legislatur") == 1 and 'www.kl.dk"\n" zu abonnieren' in broken
    po.write_text(broken, encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.chdir(root)
    try:
        said, code = run(["lint", "de"])
        assert code == 1
        assert main(["review", "de"]) == 0
        yield root, said
    finally:
        mp.undo()


def _lint_finding(said: list[str], part: str) -> tuple[str, str]:
    line = next(x for x in said if part in x)
    where, _, message = line.partition(": ")
    return where, message.removeprefix("warning: ")


def test_an_error_is_on_its_row_with_its_po_line(flawed: tuple[Path, list[str]]) -> None:
    root, said = flawed
    where, message = _lint_finding(said, "drops the link")
    page = _page(root, "de")
    row = _row(page, "KL's daglige nyhedsbrev")
    assert "error" in row.get("class").split()
    findings = _text(row.xpath(".//div[dt='Fund']/dd")[0])
    assert f"Fejl: {message} ({where})" in findings, findings
    assert _text(row.xpath(".//div[dt='Rettes i']/dd")[0]) == where
    assert where.startswith(f"{DE}:")
    assert "Fejl, der forhindrer udgivelse: 1." in _text(page)
    assert "Sproget udgives ikke" in _text(page)


def test_a_glossary_warning_is_on_its_row_with_its_po_line(flawed: tuple[Path, list[str]]) -> None:
    root, said = flawed
    where, message = _lint_finding(said, "glossary's translation of 'valgperiode'")
    row = _row(_page(root, "de"), "Vi glæder os til samarbejdet")
    findings = _text(row.xpath(".//div[dt='Fund']/dd")[0])
    assert f"Advarsel: {message} ({where})" in findings, findings
    assert _text(row.xpath(".//div[dt='Rettes i']/dd")[0]) == where
    terms = _text(row.xpath(".//div[dt='Ordliste']/dd")[0])
    assert terms == "valgperiode: Wahlperiode mangler", terms


def test_a_row_without_findings_lists_none(flawed: tuple[Path, list[str]]) -> None:
    root, _ = flawed
    row = _row(_page(root, "de"), "Til alle kommunalbestyrelsesmedlemmer")
    assert not row.xpath(".//div[dt='Fund']")
    assert "translated" in row.get("class").split()


# -- the page's words ----------------------------------------------------------------


@pytest.mark.parametrize("lang", package_label_languages())
def test_every_shipped_language_has_the_review_pages_words(lang: str) -> None:
    words = labels.resolve_labels(lang, review=True)
    assert words.total > 30
    assert words.translated == words.total, [k for k, w in words.items if w.lang != lang]


def test_the_review_pages_words_are_not_the_readers() -> None:
    """The reader never sees them: not counted with the layout's words, not given to a
    project's catalog of them."""
    assert not [key for key in labels.template_keys() if key.startswith(labels.REVIEW)]
    assert {str(m.context) for m in labels.review_template() if m.id} == {
        str(m.context)
        for m in labels._whole_template()
        if m.id and str(m.context).startswith("review-")
    }


def test_word_diff_marks_words_not_characters() -> None:
    assert word_diff("a b c", "a x c") == [
        ("equal", "a"),
        ("delete", "b"),
        ("insert", "x"),
        ("equal", "c"),
    ]
    assert word_diff("same text", "same text") == [("equal", "same text")]


def test_a_percentage_is_rounded_down() -> None:
    """79.6 % is below an 80 % threshold, and must not read as 80 %."""
    say = Words(labels.resolve_labels("da", review=True), "da")
    assert say.percent(79.6) == say.percent(79.0) != say.percent(80.0)


def test_orcas_own_words_for_insertions_and_deletions_are_not_the_pages() -> None:
    said = [
        {"text": "Det er", "lang": "da"},
        {"text": "deletion start", "lang": "da"},
        {"text": "slettet: altid", "lang": "da"},
        {"text": "deletion end", "lang": "da"},
        {"text": "insertion start", "lang": "da"},
        {"text": "indsat: helt", "lang": "da"},
        {"text": "insertion end", "lang": "da"},
    ]
    assert [w.text for w in heard_words(said)] == [
        "Det",
        "er",
        "slettet:",
        "altid",
        "indsat:",
        "helt",
    ]


def test_the_gate_checks_the_review_pages(changed: Path) -> None:
    layout = Layout(changed / "source" / "letter.da.md", changed / "locale", changed / "build")
    found = review_pages([layout])
    assert [(page.lang, page.path.name) for page, _ in found] == [
        ("ar", "letter.ar.html"),
        ("de", "letter.de.html"),
    ]
    assert all(page.fmt == "html" and page.letter == "letter" for page, _ in found)


def test_a_second_run_rewrites_nothing(changed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(changed)
    said, code = run(["review", "de", "ar"])
    assert code == 0
    assert "de: unchanged build/review/letter.de.html" in said, said
    assert "ar: unchanged build/review/letter.ar.html" in said, said
    assert "unchanged build/index.html" in said, said
