"""The screen-reader comparison reads each page with the names Orca says for the
characters it names itself, where those characters stand and nowhere else.

Orca 43 names a few characters itself (``·`` is " middle dot ") in the locale it runs
in, and leaves the rest (``&``, ``–``) to the speech server, so that its utterance holds
the character. A real word that equals a name ("and", "middle dot", Danish "og") is a
word of the page like any other: heard, it passes; hidden from the screen reader, it
fails. The tables come from Orca itself (``orca_session/orca_symbols.py``)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html

from helpers import ROOT, SECOND, SECOND_ENGLISH, copy_project, translate_entries
from klpublish.__main__ import main
from klpublish.errors import ToolError
from klpublish.gate import orca
from klpublish.gate.page_text import page_words, words
from klpublish.gate.screen_reader import compare_words
from klpublish.gate.spoken_symbols import SpokenSymbols, read_symbols

FIXTURES = Path(__file__).parent / "spoken-symbols"
SYMBOLS = ROOT / "src" / "klpublish" / "gate" / "orca_session" / "orca_symbols.py"
LANGS = ("da", "en", "de", "uk", "ar", "tr", "pl", "fa")


def orca_table(locale: str) -> SpokenSymbols:
    """Orca's own table for ``locale``, as Orca would use it running in that locale."""
    proc = subprocess.run(
        ["/usr/bin/python3", str(SYMBOLS)],
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LANGUAGE": locale},
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    data = json.loads(proc.stdout)
    assert data["locale"] == locale
    return read_symbols(data)


def page(body: str, lang: str) -> object:
    return html.document_fromstring(f'<html lang="{lang}"><body><main>{body}</main></body></html>')


@pytest.mark.parametrize("lang", LANGS)
def test_orca_names_few_characters_itself_and_leaves_the_ampersand(lang: str) -> None:
    table = orca_table(lang)
    assert "&" not in table.replaced  # the speech server speaks it: the utterance holds "&"
    assert "–" not in table.replaced and "-" not in table.replaced
    assert table.replaced["·"].strip() and table.replaced["•"].strip()
    assert set(table.replaced) <= set("←→·•‣⁃■□◦○◆●✓✔✗➔➢\ue00a\ue00c⁺⁻⁼⁽⁾₊₋₌₍₎")


def test_orca_names_characters_in_its_own_language() -> None:
    assert orca_table("en").replaced["·"] == " middle dot "
    assert orca_table("da").replaced["·"] == " prik "
    assert orca_table("de").replaced["·"] == " Mittelpunkt "
    assert orca_table("de").replaced["→"] == " Pfeil nach rechts "


def test_a_name_is_heard_only_where_its_character_stands() -> None:
    """Orca running in Danish says "prik" for ``·``: a real "prik" elsewhere on the page
    must be heard as itself."""
    danish = orca_table("da")
    shown = page("<p>Kongres · Kultur, en prik på kortet.</p>", "da")
    expected = page_words(shown, danish.say)
    assert [w.text for w in expected] == [
        "Kongres",
        "prik",
        "Kultur,",
        "en",
        "prik",
        "på",
        "kortet.",
    ]
    assert compare_words(expected, words("Kongres  prik  Kultur, en prik på kortet.")) == []
    missing = compare_words(expected, words("Kongres  prik  Kultur, en på kortet."))
    assert missing and missing[0].startswith("not heard") and "[prik]" in missing[0], missing
    # The name where the character stands must be heard too.
    assert compare_words(expected, words("Kongres Kultur, en prik på kortet.")) != []


def test_an_ellipsis_is_said_as_orca_says_it() -> None:
    english = orca_table("en")
    said = [w.text for w in page_words(page("<p>Vent... og se…</p>", "da"), english.say)]
    # Orca 43's pattern for the one-character ellipsis is written as octal UTF-8
    # bytes in a str, so it matches three dots only: "…" reaches the speech server.
    assert said == ["Vent", "dot", "dot", "dot", "og", "se…"]


@pytest.mark.parametrize(
    "data",
    [None, {}, {"locale": "en", "replaced": {"·": 3}, "ellipsis": None}, {"locale": "en"}],
)
def test_a_session_without_a_usable_table_fails(data: object) -> None:
    with pytest.raises(ToolError, match="no usable table of names"):
        read_symbols(data)


# -- real Orca: one session reads the fixtures and the second letter's English page ----


@pytest.fixture(scope="module")
def english_second(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The second test letter's English page, translated as in ``helpers.add_second_letter``: it
    says "Aalborg Congress & Culture Centre" and "and" three times besides."""
    root = copy_project(tmp_path_factory.mktemp("second") / "project")
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    shutil.copytree(SECOND, root / "source" / "second")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        assert main(["extract"]) == 0
        assert main(["update"]) == 0
        translate_entries(root / "locale" / "en" / "LC_MESSAGES" / "second.po", SECOND_ENGLISH)
        assert main(["publish", "--lang", "en", "--format", "html"]) == 0
    return root / "build" / "en" / "second.en.html"


@pytest.fixture(scope="module")
def heard(english_second: Path) -> Iterator[dict[str, list[str]]]:
    pages = [*sorted(FIXTURES.glob("*.html")), english_second]
    with tempfile.TemporaryDirectory(prefix="klp-orca-") as work:
        found = orca.check_pages(
            [orca.Page(p, Path(work) / "reports" / f"{p.stem}.txt") for p in pages], Path(work)
        )
        said = (Path(work) / "reports" / "second.en.txt").read_text("utf-8")
    assert "Aalborg Congress & Culture Centre" in said  # the "&" reached the speech server
    yield {path.stem: problems for path, problems in found.items()}


def _not_heard(problems: list[str], word: str) -> bool:
    return any(p.startswith("not heard") and f"[{word}]" in p for p in problems)


@pytest.mark.slow
@pytest.mark.orca
def test_the_english_second_letter_page_passes(heard: dict[str, list[str]]) -> None:
    # The figure's caption repeats its alternative text, which Orca says once: that
    # false alarm is the figures' (another part of issue 21), left out here.
    own = [p for p in heard["second.en"] if "[Map of the way" not in p]
    assert own == [], heard["second.en"]


@pytest.mark.slow
@pytest.mark.orca
def test_a_heard_and_beside_an_ampersand_passes(heard: dict[str, list[str]]) -> None:
    assert heard["and-heard.en"] == []


@pytest.mark.slow
@pytest.mark.orca
def test_a_hidden_and_beside_an_ampersand_fails(heard: dict[str, list[str]]) -> None:
    assert _not_heard(heard["and-hidden.en"], "and"), heard["and-hidden.en"]


@pytest.mark.slow
@pytest.mark.orca
def test_the_words_of_a_name_heard_elsewhere_pass(heard: dict[str, list[str]]) -> None:
    assert heard["dot-words.en"] == []


@pytest.mark.slow
@pytest.mark.orca
def test_the_words_of_a_name_hidden_beside_its_character_fail(
    heard: dict[str, list[str]],
) -> None:
    assert _not_heard(heard["dot-hidden.en"], "middle dot"), heard["dot-hidden.en"]


@pytest.mark.slow
@pytest.mark.orca
def test_a_danish_page_with_its_og_heard_passes(heard: dict[str, list[str]]) -> None:
    assert heard["og-heard.da"] == []


@pytest.mark.slow
@pytest.mark.orca
def test_a_danish_page_with_its_og_hidden_beside_an_ampersand_fails(
    heard: dict[str, list[str]],
) -> None:
    assert _not_heard(heard["og-hidden.da"], "og"), heard["og-hidden.da"]
