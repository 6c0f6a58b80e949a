"""Text in another language than its mark: a Danish paragraph left in the German
page with no mark of its own, Russian in the Ukrainian page, Arabic in the
Persian one. The gate's ``language`` check fails on each, at the ``.po`` line (or
the source line) the text came from, and passes every shipped translation, the
second test letter and a Danish fallback marked as Danish; lint says the same as
a warning. An identifier that cannot load fails the check, never passes it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from helpers import SECOND, SECOND_ENGLISH, translate_entries
from klpublish.__main__ import main
from klpublish.build.assessment import Translated, assess_languages
from klpublish.catalogs.po import load_catalog
from klpublish.errors import Location
from klpublish.gate.findings import CHECKERS, Finding, GateReport
from klpublish.gate.languages import language_findings
from klpublish.gate.published import PublishedLetter, read_published
from klpublish.letter.read import read_letter
from klpublish.project import DEFAULT_SOURCE, Layout
from klpublish.segments.messages import letter_messages
from klpublish.translation.language_id import (
    LEAST_WORDS,
    Block,
    judged_words,
    language_problems,
    load_identifier,
    names_in,
    texts_by_language,
    translated_blocks,
)

FIXTURE = Path(__file__).parent / "language-id" / "blocks"
SOURCE = Path("source") / "blocks" / "blocks.da.md"
GERMAN = {
    "Nyt om affaldsindsamlingen i kommunen": "Neues zur Müllabfuhr in der Gemeinde",
    "Til alle husstande i kommunen": "An alle Haushalte der Gemeinde",
    "KL – Kommunernes Landsforening": "KL – Kommunernes Landsforening (Verband der "
    "dänischen Kommunen)",
    "Venlig hilsen": "Mit freundlichen Grüßen",
    "Formand": "Vorsitzender",
    "Brevet har en overskrift for hvert afsnit, en fast læserækkefølge og "
    "tekstalternativer til alt indhold.": "Der Brief hat für jeden Abschnitt eine "
    "Überschrift, eine feste Lesereihenfolge und Textalternativen für alle Inhalte.",
    "Fra næste måned bliver affaldet hentet på nye dage, og vi beder jer om at sortere "
    "madaffald for sig.": "Ab nächstem Monat wird der Müll an neuen Tagen abgeholt, und "
    "wir bitten Sie, Lebensmittelabfälle getrennt zu sammeln.",
    "Hvad skal du gøre nu, når du har fået den nye spand": "Was Sie jetzt tun sollten, "
    "wenn Sie die neue Tonne bekommen haben",
    "Sæt den grønne spand ud til vejen aftenen før tømning.": "Stellen Sie die grüne "
    "Tonne am Abend vor der Leerung an die Straße.",
    "Læg kun madaffald i den brune pose, og luk posen godt.": "Legen Sie nur "
    "Lebensmittelabfälle in den braunen Beutel, und verschließen Sie den Beutel gut.",
    "Affald": "Abfall",
    "Hvornår bliver det hentet": "Wann wird er abgeholt",
    "Madaffald og restaffald fra køkkenet": "Lebensmittel- und Restabfälle aus der Küche",
    "hver anden onsdag om morgenen": "jeden zweiten Mittwoch am Morgen",
    "Tømningsdage for de forskellige slags affald i hele kommunen": "Abholtage für die "
    "verschiedenen Abfallarten in der ganzen Gemeinde",
    "Kort over de nye ruter for skraldebilerne i hele kommunen": "Karte der neuen Routen "
    "der Müllwagen in der ganzen Gemeinde",
    "![Kort over de nye ruter for skraldebilerne i hele kommunen](kort.png)": "![Karte der "
    "neuen Routen der Müllwagen in der ganzen Gemeinde](kort.png)",
    "Waste that is sorted well can be recycled, and that saves the municipality money.": (
        "Waste that is sorted well can be recycled, and that saves the municipality money."
    ),
    "Læs mere om sortering på kommunens hjemmeside, hvor du også finder [Waste sorting "
    'made simple: a short guide]{lang="en"}.': "Mehr über die Mülltrennung lesen Sie auf der "
    'Website der Gemeinde, wo Sie auch [Waste sorting made simple: a short guide]{lang="en"} '
    "finden.",
}
"""The fixture letter in German: every block kind the check judges (front matter,
paragraph, heading, list items, table cells and caption, figure caption and alt
text), an English block (``::: {lang=en}``) and an English span kept in English."""


def the_project(root: Path, german: dict[str, str]) -> Layout:
    """The fixture letter in ``source/``, with a German catalog of ``german``."""
    shutil.copytree(FIXTURE, root / SOURCE.parent)
    layout = Layout(root / SOURCE, root / "locale", root / "build")
    messages = letter_messages(read_letter(layout.source))
    assert {m.msgid for m in messages} == set(GERMAN)
    catalog = Catalog(locale="de", project="klpublish letter", fuzzy=False)
    for m in messages:
        catalog.add(m.msgid, german.get(m.msgid, ""), context=m.context)
    layout.po_path("de").parent.mkdir(parents=True)
    with layout.po_path("de").open("wb") as handle:
        write_po(handle, catalog, width=76)
    return layout


def published(layout: Layout) -> PublishedLetter:
    """The letter's pages published (HTML, enough for the gate to know which
    languages are there), read back as the gate reads them."""
    assert main(["publish", "--format", "html"]) == 0
    return read_published(layout)


def entry_line(layout: Layout, msgid: str) -> int:
    entry = load_catalog(layout.po_path("de"), "de").get(msgid)
    assert entry is not None and entry.lineno
    return int(entry.lineno)


def verdicts(letter: PublishedLetter) -> dict[str, Finding]:
    found = {f.lang: f for f in language_findings([letter])}
    assert all((f.checker, f.fmt, f.error) == ("language", "all", "") for f in found.values())
    return found


@pytest.fixture
def fixture_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- no false alarm -------------------------------------------------------------------


def test_the_shipped_letter_passes_in_all_eight_languages(project: Path) -> None:
    letter = published(Layout(project / DEFAULT_SOURCE, project / "locale", project / "build"))
    found = verdicts(letter)
    assert sorted(found) == ["ar", "da", "de", "en", "fa", "pl", "tr", "uk"]
    assert [f for f in found.values() if not f.passed] == []
    # Judged, not skipped: most blocks of every translation are long enough.
    for lang in found:
        assessed = letter.assessed[lang]
        if isinstance(assessed, Translated):
            assert judged(translated_blocks(assessed.placed, "da"), lang) >= 18, lang


def judged(blocks: list[Block], page: str) -> int:
    """How many of ``blocks`` have enough words to be judged."""
    return sum(
        len(judged_words(text, names_in(one.source))) >= LEAST_WORDS
        for one in blocks
        for text in texts_by_language(one.inlines, one.mark or page).values()
    )


def test_the_second_letter_passes_with_its_english_translation(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(SECOND, project / "source" / "second")
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    translate_entries(project / "locale" / "en" / "LC_MESSAGES" / "second.po", SECOND_ENGLISH)
    layout = Layout(project / "source" / "second" / "second.da.md")
    letter = read_letter(layout.source)
    assessed = assess_languages(letter, layout, 0.0)
    langs = [lang for lang, a in assessed.items() if a.publishable]
    assert sorted(langs) == ["ar", "da", "de", "en", "fa", "pl", "tr", "uk"]
    outputs = {lang: layout.output(lang, "html") for lang in langs}
    states = {lang: a for lang, a in assessed.items() if isinstance(a, Translated) or lang == "da"}
    one = PublishedLetter(layout, letter, states, outputs, {}, {}, {})
    assert [f for f in verdicts(one).values() if not f.passed] == []
    capsys.readouterr()
    assert main(["lint"]) == 0
    assert "is marked" not in capsys.readouterr().err


def test_every_block_kind_in_german_and_an_english_block_pass(fixture_dir: Path) -> None:
    found = verdicts(published(the_project(fixture_dir, GERMAN)))
    assert sorted(found) == ["da", "de"]
    assert [f for f in found.values() if not f.passed] == []


def test_a_danish_fallback_marked_danish_passes(fixture_dir: Path) -> None:
    """An untranslated paragraph stands in Danish, marked ``da``: no finding."""
    paragraph = next(m for m in GERMAN if m.startswith("Fra næste måned"))
    letter = published(the_project(fixture_dir, {**GERMAN, paragraph: ""}))
    page = (fixture_dir / "build" / "de" / "blocks.de.html").read_text(encoding="utf-8")
    assert '<span lang="da">Fra næste måned' in page
    assert verdicts(letter)["de"].passed


# -- text in another language than its mark --------------------------------------------

PASTED = {
    "paragraph": "Fra næste måned",
    "heading": "Hvad skal du gøre nu",
    "list item": "Læg kun madaffald",
    "table cell": "Madaffald og restaffald",
    "table caption": "Tømningsdage for",
    "figure caption": "Kort over de nye ruter",
    "alt text": "![Kort over de nye ruter",
    "accessibility summary": "Brevet har en overskrift",
    "title": "Nyt om affaldsindsamlingen",
}
"""A block of each kind whose msgstr a translator made the Danish msgid."""


@pytest.mark.parametrize("kind", PASTED)
def test_danish_pasted_into_a_german_block_fails_at_its_po_line(
    fixture_dir: Path, kind: str
) -> None:
    msgid = next(m for m in GERMAN if m.startswith(PASTED[kind]))
    layout = the_project(fixture_dir, {**GERMAN, msgid: msgid})
    found = verdicts(published(layout))
    assert found["da"].passed
    [problem] = found["de"].problems
    line = entry_line(layout, msgid)
    heard, said = problem.split(" is marked ")
    assert heard.startswith(f"locale/de/LC_MESSAGES/blocks.po:{line}: text in ")
    assert "Danish" in heard  # perhaps after Norwegian: the two split the belief
    assert said.startswith("German (de), so a screen reader reads it with a German voice")
    assert found["de"].file == str(SOURCE)


def test_lint_says_it_as_a_warning_at_the_same_line(
    fixture_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    msgid = next(m for m in GERMAN if m.startswith("Fra næste måned"))
    layout = the_project(fixture_dir, {**GERMAN, msgid: msgid})
    assert main(["lint", "de"]) == 0
    line = entry_line(layout, msgid)
    out = capsys.readouterr()
    said = out.out + out.err
    assert f"locale/de/LC_MESSAGES/blocks.po:{line}: warning: text in Danish (da " in said


def test_german_text_in_a_block_marked_english_fails(fixture_dir: Path) -> None:
    """The source marks a block English (``::: {lang=en}``): a translator who puts
    German there gives German text an English voice."""
    msgid = next(m for m in GERMAN if m.startswith("Waste that is"))
    german = "Gut getrennter Abfall kann wiederverwertet werden, und das spart der Gemeinde Geld."
    layout = the_project(fixture_dir, {**GERMAN, msgid: german})
    [problem] = verdicts(published(layout))["de"].problems
    line = entry_line(layout, msgid)
    assert problem.startswith(f"locale/de/LC_MESSAGES/blocks.po:{line}: text in German (de ")
    assert "is marked English (en)" in problem


def test_english_left_unmarked_in_the_source_fails_at_its_source_line(
    fixture_dir: Path,
) -> None:
    """The author's own text: the Danish page is judged too, at the source's line."""
    layout = the_project(fixture_dir, GERMAN)
    text = layout.source.read_text(encoding="utf-8")
    text = text.replace("::: {lang=en}\n", "").replace("money.\n:::\n", "money.\n")
    layout.source.write_text(text, encoding="utf-8")
    letter = read_letter(layout.source)
    assessed = {"da": assess_languages(letter, layout, 0.0)["da"]}
    one = PublishedLetter(layout, letter, assessed, {"da": Path()}, {}, {}, {})
    [problem] = verdicts(one)["da"].problems
    lines = text.split("\n")
    line = 1 + next(n for n, one in enumerate(lines) if one.startswith("Waste that is sorted"))
    assert problem.startswith(f"{SOURCE}:{line}: text in English (en "), problem
    assert "is marked Danish (da)" in problem and "{lang=en}" in problem


def with_entry(po: Path, prefix: str, msgstr: str) -> int:
    """Set one entry's msgstr in ``po``; return its line there."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    [message] = [m for m in catalog if m.id and str(m.id).startswith(prefix)]
    message.string = msgstr
    with po.open("wb") as handle:
        write_po(handle, catalog, width=76)
    entry = load_catalog(po).get(message.id, message.context)
    assert entry is not None
    return int(entry.lineno)


RUSSIAN = (
    "Начался новый избирательный период. Это всегда нечто особенное. Впереди вас ждут "
    "как возможности, которые нужно использовать, так и трудности, с которыми нужно "
    "справиться."
)
ARABIC = (
    "لقد بدأت دورة انتخابية جديدة، وهذا أمر له دائمًا طابع خاص. فأمامكم فرص يجب "
    "اغتنامها وتحديات يجب التعامل معها."
)


@pytest.mark.parametrize(
    ("lang", "text", "heard"),
    [("uk", RUSSIAN, "Russian (ru"), ("fa", ARABIC, "Arabic (ar")],
    ids=["russian-in-ukrainian", "arabic-in-persian"],
)
def test_a_neighbours_text_in_the_shipped_letter_fails(
    project: Path, lang: str, text: str, heard: str
) -> None:
    po = project / "locale" / lang / "LC_MESSAGES" / "letter.po"
    line = with_entry(po, "En ny valgperiode", text)
    layout = Layout(project / DEFAULT_SOURCE)
    letter = read_letter(layout.source)
    assessed = assess_languages(letter, layout, 0.0)[lang]
    one = PublishedLetter(layout, letter, {lang: assessed}, {lang: Path()}, {}, {}, {})
    [problem] = verdicts(one)[lang].problems
    assert problem.startswith(f"locale/{lang}/LC_MESSAGES/letter.po:{line}: text in {heard} ")


# -- what is not judged: names, numbers, addresses, short blocks ------------------------


def block(text: str, source: str) -> Block:
    """A segment of the page's language as the translation places it."""

    def inlines(words: str) -> list[dict[str, object]]:
        return [n for w in words.split() for n in ({"t": "Str", "c": w}, {"t": "Space"})][:-1]

    return Block(inlines(text), inlines(source), "", Location("en.po", 1))


def test_names_the_translation_keeps_from_the_source_are_not_judged() -> None:
    """The summit and its venue keep their Danish names in English: without them
    the sentence is still English; with them the identifier leans Danish."""
    source = "Kommunalpolitisk Topmøde holdes i Aalborg Kongres & Kultur Center."
    text = "The Kommunalpolitisk Topmøde takes place at Aalborg Kongres & Kultur Center."
    identifier = load_identifier()
    assert identifier.other_language(text, "en") is not None  # what judging the names says
    assert list(language_problems([block(text, source)], "en", identifier)) == []


def test_a_block_of_fewer_than_four_words_is_not_judged() -> None:
    """A table cell "Hotel" in the English page: the identifier takes it for Norwegian."""
    identifier = load_identifier()
    assert identifier.other_language("Hotel", "en") is not None
    assert list(language_problems([block("Hotel", "Overnatning")], "en", identifier)) == []


def test_numbers_addresses_and_abbreviations_are_not_words_of_a_language() -> None:
    text = "Schreiben Sie an kl@kl.dk, www.kl.dk oder Tel. 3370 3370 (KL, KKR, bl.a.)"
    assert judged_words(text, frozenset()) == ["Schreiben", "Sie", "an", "oder", "Tel"]


# -- the check is in the gate, and fails closed ------------------------------------------


def test_the_gate_names_the_check_in_its_table_and_reports(fixture_dir: Path) -> None:
    msgid = next(m for m in GERMAN if m.startswith("Fra næste måned"))
    layout = the_project(fixture_dir, {**GERMAN, msgid: msgid})
    report = GateReport(language_findings([published(layout)]))
    assert "language" in CHECKERS
    head, *rows = report.table()
    assert head.split()[-1] == "language"
    assert [row.split()[:4] for row in rows] == [
        ["blocks", "da", "all", "pass"],
        ["blocks", "de", "all", "FAIL"],
    ]
    layout.project.reports.mkdir(parents=True)
    report.write(layout)
    assert "blocks.po" in (fixture_dir / "build" / "reports" / "language.json").read_text("utf-8")


BROKEN = "raise ImportError('py3langid is broken in this installation')\n"

RUN_CHECK = """
import sys
from pathlib import Path
from klpublish.gate.languages import language_findings
[finding] = language_findings([])
print(finding.checker, finding.lang, finding.fmt, finding.passed, finding.error, sep="|")
"""


def without_identifier(tmp_path: Path) -> dict[str, str]:
    """An environment whose ``py3langid`` cannot be imported (an install gone bad)."""
    (tmp_path / "broken" / "py3langid").mkdir(parents=True)
    (tmp_path / "broken" / "py3langid" / "__init__.py").write_text(BROKEN, encoding="utf-8")
    return {**os.environ, "PYTHONPATH": str(tmp_path / "broken")}


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_gate_fails_when_the_identifier_cannot_load(tmp_path: Path) -> None:
    done = run([sys.executable, "-c", RUN_CHECK], without_identifier(tmp_path), tmp_path)
    checker, lang, fmt, passed, error = done.stdout.strip().split("|")
    assert (checker, lang, fmt, passed) == ("language", "all", "all", "False"), done.stderr
    assert "py3langid is broken in this installation" in error


def test_lint_fails_when_the_identifier_cannot_load(project: Path, tmp_path: Path) -> None:
    lint = [sys.executable, "-m", "klpublish", "lint", "de"]
    done = run(lint, without_identifier(tmp_path), project)
    assert done.returncode == 1, done.stderr
    said = done.stderr + done.stdout
    assert "error: language of each block not checked: the language identifier" in said
    assert said.count("not checked") == 1  # said once, not for each catalog


def test_the_identifier_is_offline_and_answers_from_its_wheel(tmp_path: Path) -> None:
    """The model is read from the installed package: with every socket refused and
    no cache or home folder, the identifier still loads and judges."""
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise RuntimeError('network use')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from klpublish.translation.language_id import load_identifier\n"
        "heard = load_identifier().other_language("
        "'Vi glæder os til samarbejdet i den nye valgperiode', 'de')\n"
        "print(heard.lang)\n"
    )
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    done = run([sys.executable, "-c", code], env, tmp_path)
    assert done.stdout.strip() == "da", done.stderr
