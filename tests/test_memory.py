"""Translation memory: a second letter's catalog filled from the first letter's
translations and from compendia; fuzzy suggestions never published; hostile
compendia refused, located."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import write_po

from klpublish.__main__ import main
from klpublish.build.assessment import Translated, assess_languages
from klpublish.catalogs.memory import NEAR, Unit, choose, similarity
from klpublish.catalogs.po import load_catalog, write_catalog
from klpublish.errors import Location, display_path
from klpublish.letter.read import read_letter
from klpublish.project import Layout

SECOND = """\
---
title: Invitation til Kommunalpolitisk Topmøde
lang: da
date: 2018-02-01
recipient: Til alle kommunalbestyrelsesmedlemmer
sender:
  name: KL – Kommunernes Landsforening
  address:
    - Weidekampsgade 10
    - 2300 København S
  web: https://www.kl.dk
closing: Venlig hilsen
signatories:
  - name: Martin Damm
    role: Formand
---

Kære kommunalbestyrelse

Et helt nyt afsnit om topmødets program og tilmelding.

## Dialog og erfaringsudveksling

Vi glæder os til samarbejdet i den nye valgperiode.
"""
"""A second letter: shares sentences with the first (recipient, closing, role,
last paragraph), has near ones (salutation, a heading) and one of its own."""

FIRST = "locale/de/LC_MESSAGES/letter.po"
PO = "locale/de/LC_MESSAGES/second.po"
POT = "locale/second.pot"
LETTER_TITLE = "Velkommen til det kommunalpolitiske arbejde og til KL"
OWN = "Et helt nyt afsnit om topmødets program og tilmelding."
EXACT = [
    "Til alle kommunalbestyrelsesmedlemmer",
    "Venlig hilsen",
    "Formand",
    "Vi glæder os til samarbejdet i den nye valgperiode.",
]
NEAR_MATCHES = {
    "Kære kommunalbestyrelse": "Kære kommunalbestyrelser",
    "Dialog og erfaringsudveksling": "Dialog, inspiration og erfaringsudveksling",
}


@pytest.fixture
def second(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project (letter one translated into German, as shipped) with a
    second letter and its template."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1515542400")
    Path("source/second.da.md").write_text(SECOND, encoding="utf-8")
    assert main(["extract", "--source", "source/second.da.md", "--output", POT]) == 0
    return project


def entry(path: str, msgid: str, context: str | None = None):  # type: ignore[no-untyped-def]
    found = load_catalog(Path(path)).get(msgid, context)
    assert found is not None, f"{path}: no entry {msgid!r}"
    return found


def write_compendium(path: Path, entries: dict[str, str], lang: str = "de") -> Path:
    catalog = Catalog(locale=lang, fuzzy=False)
    for msgid, msgstr in entries.items():
        catalog.add(msgid, msgstr)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*.po*"))}


def test_init_fills_shared_sentences_exact_and_near_ones_fuzzy(
    second: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "de", "--template", POT]) == 0
    out = capsys.readouterr().out
    assert "memory: 4 exact, 3 near (fuzzy), 2 left untranslated" in out
    for msgid in EXACT:
        filled, origin = entry(PO, msgid), entry(FIRST, msgid)
        assert filled.string == origin.string and not filled.fuzzy
        assert filled.user_comments == [f"memory: exact match from {FIRST}:{origin.lineno}"]
    text = Path(PO).read_text(encoding="utf-8")
    for msgid, before in NEAR_MATCHES.items():
        filled, origin = entry(PO, msgid), entry(FIRST, before)
        assert filled.fuzzy and filled.string == origin.string
        assert filled.previous_id == [before]
        assert f'#| msgid "{before}"' in text
        assert filled.user_comments[0].startswith("memory: near match (")
        assert filled.user_comments[0].endswith(f"from {FIRST}:{origin.lineno}")
    # The same words in another context (letter one tells the sender's name from
    # a heading with the same text) are a suggestion, not a translation.
    sender = entry(PO, "KL – Kommunernes Landsforening")
    assert sender.fuzzy
    assert "context 'metadata: sender.name'" in sender.user_comments[0]
    # Below the cutoff nothing is offered: letter two's own paragraph, the title.
    assert entry(PO, OWN).string == ""
    assert entry(PO, "Invitation til Kommunalpolitisk Topmøde").string == ""
    # Reproducible: the same inputs give the same bytes.
    data = Path(PO).read_bytes()
    Path(PO).unlink()
    Path("locale/de/LC_MESSAGES/klpublish.po").unlink()
    assert main(["init", "de", "--template", POT]) == 0
    assert Path(PO).read_bytes() == data


def test_update_fills_new_entries_and_never_touches_the_translators(
    second: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "de", "--template", POT]) == 0
    catalog = load_catalog(Path(PO))
    catalog[OWN].string = "Ein ganz neuer Abschnitt."  # the translator's own work
    catalog["Venlig hilsen"].string = "Viele Grüße"  # changed from what memory gave
    title = catalog["Invitation til Kommunalpolitisk Topmøde"]
    title.string, title.flags = "Einladung (Entwurf)", {"fuzzy"}  # marked fuzzy by hand
    write_catalog(catalog, Path(PO))
    letter = Path("source/second.da.md")
    letter.write_text(
        letter.read_text(encoding="utf-8")
        + "\n## En stærk kommunal stemme\n\nVelkommen til det kommunalpolitiske arbejde i KL.\n"
        + "\nVi glæder os til samarbejdet i den nye periode.\n",
        encoding="utf-8",
    )
    assert main(["extract", "--source", str(letter), "--output", POT]) == 0
    capsys.readouterr()
    assert main(["update", "--template", POT]) == 0
    out = capsys.readouterr().out
    assert f"{PO}: updated\n  memory: 1 exact, 1 near (fuzzy), 0 left untranslated" in out
    # Babel's merge guessed the salutation's translation for the heading (0.64
    # alike): the exact match in letter one wins over that guess.
    heading = entry(PO, "En stærk kommunal stemme")
    assert heading.string == "Eine starke kommunale Stimme"
    assert not heading.fuzzy and not heading.previous_id
    near = entry(PO, "Velkommen til det kommunalpolitiske arbejde i KL.")
    assert near.fuzzy and near.string == entry(FIRST, LETTER_TITLE).string
    assert near.previous_id == [LETTER_TITLE]
    # The merge's own guess from this catalog, as alike as memory's: kept.
    guess = entry(PO, "Vi glæder os til samarbejdet i den nye periode.")
    assert guess.fuzzy and not guess.user_comments
    assert guess.previous_id == ["Vi glæder os til samarbejdet i den nye valgperiode."]
    assert entry(PO, OWN).string == "Ein ganz neuer Abschnitt."
    assert entry(PO, "Venlig hilsen").string == "Viele Grüße"
    kept = entry(PO, "Invitation til Kommunalpolitisk Topmøde")
    assert kept.string == "Einladung (Entwurf)" and kept.fuzzy and not kept.user_comments
    # Letter one's catalog is not the second template's: it is left alone.
    assert entry(FIRST, "Venlig hilsen").string == "Mit freundlichen Grüßen"
    before = snapshot(second / "locale")
    assert main(["update", "--template", POT]) == 0
    assert snapshot(second / "locale") == before


def test_fuzzy_and_obsolete_entries_are_never_memory(second: Path) -> None:
    catalog = load_catalog(Path(FIRST))
    catalog["Formand"].flags.add("fuzzy")
    catalog.obsolete[OWN] = Message(OWN, "Veraltet")
    write_catalog(catalog, Path(FIRST))
    assert f'#~ msgid "{OWN}"' in Path(FIRST).read_text(encoding="utf-8")
    assert main(["init", "de", "--template", POT]) == 0
    assert entry(PO, "Formand").string == ""
    assert entry(PO, OWN).string == ""
    assert entry(PO, "Venlig hilsen").string == "Mit freundlichen Grüßen"


def test_compendium_fills_what_the_catalogs_do_not(
    second: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    comp = write_compendium(
        tmp_path / "exported.po",
        {"Venlig hilsen": "Beste Grüße", OWN: "Ein ganz neuer Abschnitt über das Programm."},
    )
    assert main(["init", "de", "--template", POT, "--compendium", str(comp)]) == 0
    assert "memory: 5 exact" in capsys.readouterr().out
    filled = entry(PO, OWN)
    assert filled.string == "Ein ganz neuer Abschnitt über das Programm." and not filled.fuzzy
    line = next(
        n
        for n, text in enumerate(comp.read_text(encoding="utf-8").splitlines(), 1)
        if text == f'msgid "{OWN}"'
    )
    assert filled.user_comments == [f"memory: exact match from {display_path(comp)}:{line}"]
    # The project's own catalogs come first.
    assert entry(PO, "Venlig hilsen").string == "Mit freundlichen Grüßen"


HOSTILE_TRANSLATIONS = {
    "raw HTML": ("Ein <script>alert(1)</script> Abschnitt.", "msgstr contains raw HTML"),
    "script link": ("Ein [Abschnitt](javascript:alert(1)).", "msgstr adds a link to"),
    "bidi override": ("Ein \u202eAbschnitt.", "msgstr contains a bidi control character"),
    "a link of its own": ("Ein [Abschnitt](https://evil.example).", "adds a link"),
    "brackets for pandoc to chew on": ("Ein " + "[" * 30 + "Abschnitt.", "more '[' than"),
}


@pytest.mark.parametrize("case", HOSTILE_TRANSLATIONS)
def test_hostile_translation_in_a_compendium_is_skipped_and_said(
    second: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    msgstr, reason = HOSTILE_TRANSLATIONS[case]
    comp = write_compendium(tmp_path / "hostile.po", {OWN: msgstr})
    assert main(["init", "de", "--template", POT, "--compendium", str(comp)]) == 0
    out = capsys.readouterr().out
    assert (
        f"{display_path(comp)}:" in out and "warning: not used as memory:" in out and reason in out
    )
    assert entry(PO, OWN).string == ""
    assert msgstr not in Path(PO).read_text(encoding="utf-8")


BROKEN_COMPENDIA = {
    "unterminated string": (
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"'
        f'\n\nmsgid "{OWN}"\nmsgstr "Ein ganz\n',
        8,  # msgfmt names the line after the unterminated string
    ),
    "another language": (
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"'
        f'\n\nmsgid "{OWN}"\nmsgstr "Un paragraphe."\n',
        3,
    ),
    "no language": (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"'
        f'\n\nmsgid "{OWN}"\nmsgstr "Ein Abschnitt."\n',
        0,
    ),
}


@pytest.mark.parametrize("case", BROKEN_COMPENDIA)
@pytest.mark.parametrize("command", ["init", "update"])
def test_broken_compendium_is_refused_located_and_changes_nothing(
    second: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, command: str
) -> None:
    text, line = BROKEN_COMPENDIA[case]
    comp = tmp_path / "broken.po"
    comp.write_text(text, encoding="utf-8")
    if command == "update":
        assert main(["init", "de", "--template", POT]) == 0
    before = snapshot(second / "locale")
    argv = [command, "--template", POT, "--compendium", str(comp)]
    assert main([*argv, "de"] if command == "init" else argv) == 1
    err = capsys.readouterr().err
    shown = display_path(comp)
    assert f"{shown}:{line}: " in err if line else f"{shown}: " in err, err
    assert snapshot(second / "locale") == before


def test_a_catalog_that_leads_outside_is_refused_unread(second: Path, tmp_path: Path) -> None:
    secret = write_compendium(tmp_path / "secret.po", {OWN: "Geheim."})
    Path("locale/de/LC_MESSAGES/other.po").symlink_to(secret)
    assert main(["init", "de", "--template", POT]) == 1
    assert not Path(PO).exists()


def test_nothing_fuzzy_is_published(second: Path) -> None:
    assert main(["init", "de", "--template", POT]) == 0
    # The second letter's German catalog as the letter's catalog in a folder of
    # its own (as letter.po and under its own domain's name).
    locales = Path("second-locale/de/LC_MESSAGES")
    locales.mkdir(parents=True)
    for name in ("letter.po", "second.po"):
        shutil.copy(PO, locales / name)
    shutil.copy("locale/de/LC_MESSAGES/klpublish.po", locales)
    layout = Layout(source=Path("source/second.da.md"), locales=Path("second-locale"))
    verdict = assess_languages(read_letter(layout.source), layout, threshold=0.0)["de"]
    assert isinstance(verdict, Translated)
    assert verdict.counts.fuzzy == 3
    counts = verdict.counts
    # Fuzzy counts as untranslated: the layout's words count too, all translated.
    assert verdict.percent == pytest.approx(
        100.0 * counts.translated / (counts.translated + counts.fuzzy + counts.untranslated)
    )
    argv = ["publish", "--source", "source/second.da.md", "--locales", "second-locale"]
    argv += ["--out", "out", "--threshold", "0", "--lang", "de", "--format", "html"]
    assert main(argv) == 0
    html = next(Path("out/de").glob("*.de.html")).read_text(encoding="utf-8")
    assert "Wir freuen uns auf die Zusammenarbeit in der neuen Wahlperiode." in html
    for msgid in [*NEAR_MATCHES, "KL – Kommunernes Landsforening"]:
        fuzzy = entry(PO, msgid)
        assert fuzzy.fuzzy and fuzzy.string
        assert str(fuzzy.string) not in html
    assert "Verband der dänischen Kommunen" not in html


def test_update_prints_what_it_filled(second: Path) -> None:
    assert main(["init", "de", "--template", POT]) == 0
    catalog = load_catalog(Path(PO))
    catalog["Formand"].string, catalog["Formand"].user_comments = "", []
    write_catalog(catalog, Path(PO))
    done = subprocess.run(
        [sys.executable, "-m", "klpublish", "update", "--template", POT],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert f"{PO}: updated\n  memory: 1 exact, 0 near (fuzzy), 2 left untranslated" in done.stdout


# -- the core, on data ---------------------------------------------------------


def unit(msgid: str, msgstr: str, line: int, context: str | None = None) -> Unit:
    return Unit(msgid, context, msgstr, Location("memory.po", line))


def test_choice_is_exact_first_then_nearest_then_first_given() -> None:
    catalog = Catalog(locale="de")
    catalog.add("Venlig hilsen")
    catalog.add("En ny valgperiode er begyndt.")
    catalog.add("Til alle kommunalbestyrelsesmedlemmer")
    memory = [
        unit("Med venlig hilsen", "Mit freundlichen Grüßen", 1),
        unit("Venlig hilsen", "Viele Grüße", 2),
        unit("Venlig hilsen", "Beste Grüße", 3),
        unit("En ny valgperiode er startet.", "A", 4),
        unit("En ny valgperiode er startet!", "B", 5),
        unit("Kære kommunalbestyrelser", "Liebe Kommunalvertretungen", 6),
    ]
    chosen = {m.msgid: m for m in choose(catalog, memory)}
    assert chosen["Venlig hilsen"].unit.origin.line == 2
    assert chosen["Venlig hilsen"].exact
    assert chosen["En ny valgperiode er begyndt."].unit.origin.line == 4  # a tie: first given
    assert not chosen["En ny valgperiode er begyndt."].exact
    # 0.69 alike: below the cutoff, not offered.
    assert similarity("Til alle kommunalbestyrelsesmedlemmer", "Kære kommunalbestyrelser") < NEAR
    assert "Til alle kommunalbestyrelsesmedlemmer" not in chosen
