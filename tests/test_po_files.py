"""PO files through their parsers: a file another tool wrote (GNU msgcat and
msgmerge, run here) is read as that tool meant it and keeps what it wrote through
our extract, update and publish; a file polib cannot read is refused at its line
and never written over."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from babel.messages.catalog import Catalog, Message

from klpublish.__main__ import main
from klpublish.catalogs.po import load_catalog, write_catalog
from klpublish.catalogs.po_file import babel_catalog, read_po_file
from klpublish.errors import CatalogError

DE = Path("locale/de/LC_MESSAGES/letter.po")
EN = Path("locale/en/LC_MESSAGES/letter.po")
SHOWN_DE = "locale/de/LC_MESSAGES/letter.po"
LETTER = Path("source/letter.da.md")
SENTENCE = "En ny valgperiode er begyndt."
CHANGED = "En ny valgperiode er netop begyndt."
OPENING = "Kære kommunalbestyrelser\n"


def gettext(*args: str) -> None:
    """Run a GNU gettext tool, as a translator would."""
    subprocess.run(list(args), check=True, timeout=60, capture_output=True)


def msgmerge(po: Path) -> None:
    gettext(
        "msgmerge",
        "--quiet",
        "--previous",
        "--update",
        "--backup=off",
        str(po),
        "locale/letter.pot",
    )


def publish_html(lang: str, out: str) -> bytes:
    argv = ["publish", "--lang", lang, "--format", "html", "--no-index", "--out", out]
    assert main(argv) == 0
    return Path(f"{out}/{lang}/letter.{lang}.html").read_bytes()


def line_of(path: Path, text: str) -> int:
    """The first line that holds ``text`` (that is ``text``, when it ends the line)."""
    lines = path.read_text("utf-8").splitlines()
    if text.endswith("\n"):
        return next(n for n, line in enumerate(lines, 1) if line == text[:-1])
    return next(n for n, line in enumerate(lines, 1) if text in line)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def previous_msgids(path: Path) -> dict[str, str | None]:
    return {e.msgid: e.previous_msgid for e in polib.pofile(str(path)) if e.previous_msgid}


# -- headers, however a tool wrapped them ---------------------------------------------


@pytest.mark.parametrize("width", [40, 10])
def test_a_header_msgcat_wrapped_is_read_published_and_left_as_it_was(
    project: Path, width: int
) -> None:
    before = publish_html("de", "before")
    gettext("msgcat", f"--width={width}", str(DE), "-o", str(DE))
    wrapped = DE.read_bytes()
    assert b'\n"charset=UTF-8\\n"\n' in wrapped  # the charset on a line of its own
    assert main(["lint", "de"]) == 0
    assert publish_html("de", "after") == before
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    assert DE.read_bytes() == wrapped  # nothing changed: nothing rewrapped


def test_a_header_on_one_line_is_read(project: Path) -> None:
    """``msgstr "Language: de\\nContent-Type: ...\\n"``: valid PO, one string."""
    before = publish_html("de", "before")
    text = DE.read_text(encoding="utf-8")
    fields = polib.pofile(text).metadata
    one = "".join(f"{name}: {value}\\n" for name, value in fields.items())
    body = text[text.index("\n\n") + 2 :]
    DE.write_text(f'msgid ""\nmsgstr "{one}"\n\n{body}', encoding="utf-8")
    assert main(["lint", "de"]) == 0
    assert publish_html("de", "after") == before


@pytest.mark.parametrize(
    ("old", "new", "field", "said"),
    [
        (
            "charset=UTF-8",
            "charset=ISO-8859-1",
            '"Content-Type: ',
            "header declares charset ISO-8859-1: expected UTF-8",
        ),
        (
            "nplurals=2",
            "nplurals=3",
            '"Plural-Forms: ',
            'Plural-Forms "nplurals=3; plural=(n != 1);" does not fit de: expected '
            '"nplurals=2; plural=(n != 1);"',
        ),
    ],
)
def test_a_wrapped_header_is_checked_and_located_field_by_field(
    project: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, field: str, said: str
) -> None:
    gettext("msgcat", "--width=40", str(DE), "-o", str(DE))
    edit(DE, old, new)
    capsys.readouterr()
    assert main(["lint", "de"]) == 1
    assert f"{SHOWN_DE}:{line_of(DE, field)}: {said}" in capsys.readouterr().err


def test_a_compendium_whose_header_is_on_one_line_fills_a_catalog(
    project: Path, tmp_path: Path
) -> None:
    comp = tmp_path / "memory.po"
    header = (
        "Language: de\\nContent-Type: text/plain; charset=UTF-8\\n"
        "Plural-Forms: nplurals=2; plural=(n != 1);\\n"
    )
    comp.write_text(
        f'msgid ""\nmsgstr "{header}"\n\nmsgid "Venlig hilsen"\nmsgstr "Herzliche Grüße"\n',
        encoding="utf-8",
    )
    edit(DE, 'msgstr "Mit freundlichen Grüßen"', 'msgstr ""')
    assert main(["update", "--compendium", str(comp)]) == 0
    assert load_catalog(DE, "de").get("Venlig hilsen").string == "Herzliche Grüße"


# -- previous msgids and obsolete entries msgmerge wrote -------------------------------


def test_previous_msgids_msgmerge_wrote_stay_through_extract_update_and_publish(
    project: Path,
) -> None:
    edit(LETTER, SENTENCE, CHANGED)
    assert main(["extract"]) == 0
    msgmerge(EN)
    merged = EN.read_text(encoding="utf-8")
    [block] = [b for b in merged.split("\n\n") if "#| msgid" in b]
    previous = previous_msgids(EN)
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    publish_html("en", "out")
    assert EN.read_text(encoding="utf-8") == merged
    # Our update writes the catalog for a new paragraph; msgmerge's lines stay.
    edit(LETTER, "Vi glæder os til", "Et nyt afsnit til sidst.\n\nVi glæder os til")
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    after = EN.read_text(encoding="utf-8")
    assert after != merged and "Et nyt afsnit til sidst." in after
    assert f"\n\n{block}\n\n" in after
    assert previous_msgids(EN) == previous


def test_obsolete_entries_msgmerge_wrote_are_read_kept_and_restored(project: Path) -> None:
    """``#~|``: the previous msgid of a fuzzy entry that became obsolete."""
    edit(LETTER, SENTENCE, CHANGED)
    assert main(["extract"]) == 0
    msgmerge(EN)
    paragraph = LETTER.read_text(encoding="utf-8").split("\n\n")
    [changed] = [p for p in paragraph if p.startswith(CHANGED)]
    edit(LETTER, changed + "\n\n", "")
    assert main(["extract"]) == 0
    msgmerge(EN)
    merged = EN.read_bytes()
    assert b"\n#~| msgid" in merged
    assert main(["update"]) == 0
    assert EN.read_bytes() == merged
    edit(LETTER, "Vi vil gerne benytte", changed + "\n\nVi vil gerne benytte")
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    [back] = [m for m in load_catalog(EN, "en") if str(m.id).startswith(CHANGED)]
    assert back.fuzzy and back.string.startswith("A new electoral term has begun.")


def test_a_fuzzy_translation_made_obsolete_comes_back_fuzzy(project: Path) -> None:
    """Left unchecked, it would be published as though a translator had reviewed it."""
    catalog = load_catalog(EN, "en")
    [entry] = [m for m in catalog if str(m.id).startswith(SENTENCE)]
    entry.flags.add("fuzzy")
    write_catalog(catalog, EN)
    paragraph = next(p for p in LETTER.read_text("utf-8").split("\n\n") if p.startswith(SENTENCE))
    edit(LETTER, paragraph + "\n\n", "")
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    assert "fuzzy" in load_catalog(EN, "en").obsolete[str(entry.id)].flags
    edit(LETTER, "Vi vil gerne benytte", paragraph + "\n\nVi vil gerne benytte")
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    assert load_catalog(EN, "en").get(str(entry.id)).fuzzy


OTHERS = {
    "header field": (
        '"Language-Team: English <https://www.kl.dk>\\n"\n',
        '"X-Generator: Poedit 3.4\\n"\n',
    ),
    "long translator comment": (
        "#. Paragraph\n#: source/letter.da.md:29\n",
        "# A reviewer's note, longer than the 76 columns Babel wraps comments at, "
        "on one line as Poedit keeps it.\n",
    ),
    "flags in their order, one unknown": (
        'msgid "Kære kommunalbestyrelser"\n',
        "#, no-wrap, kl-checked\n",
    ),
    "previous msgctxt": (
        'msgid "Til alle kommunalbestyrelsesmedlemmer"\n',
        '#, fuzzy\n#| msgctxt "recipient"\n#| msgid "Til alle kommunalbestyrelser"\n',
    ),
}
OBSOLETE = (
    "# Kept from the letter of 2017.\n#, fuzzy\n"
    '#~| msgid "Kære kommunalbestyrelse"\n'
    '#~ msgid "Kære kommunalbestyrelser i 2017"\n#~ msgstr "Dear municipal councils of 2017"\n'
)


def test_what_other_tools_wrote_stays_when_our_update_writes(project: Path) -> None:
    for anchor, added in OTHERS.values():
        edit(EN, anchor, anchor + added if anchor.startswith('"') else added + anchor)
    EN.write_text(EN.read_text(encoding="utf-8") + "\n" + OBSOLETE, encoding="utf-8")
    gettext("msgfmt", "-c", "-o", "/dev/null", str(EN))
    # A paragraph before all others: every paragraph's #: line changes.
    edit(LETTER, OPENING, "Et nyt første afsnit.\n\n" + OPENING)
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    after = EN.read_text(encoding="utf-8")
    assert 'msgid "Et nyt første afsnit."' in after
    # The opening moved two lines down: its #: line is ours, its flags the file's.
    assert '#: source/letter.da.md:29\n#, no-wrap, kl-checked\nmsgid "Kære' in after
    for name, (_, added) in OTHERS.items():
        assert added in after, name
    assert OBSOLETE in after


# -- files a parser cannot read ---------------------------------------------------------

UNREADABLE = {
    "a bare #| line": ('msgid "Venlig hilsen"\n', '#|\nmsgid "Venlig hilsen"\n', "#|\n"),
    "two strings on one line": (
        'msgstr "Mit freundlichen Grüßen"',
        'msgstr "Mit freundlichen " "Grüßen"',
        '"Mit freundlichen " "Grüßen"',
    ),
}


@pytest.mark.parametrize("case", UNREADABLE)
def test_a_catalog_polib_cannot_read_is_refused_at_its_line_and_left_as_it_was(
    project: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    """msgfmt accepts both; Babel misreads the second (its msgstr would hold the quotes)."""
    old, new, marker = UNREADABLE[case]
    edit(
        DE,
        'msgid "Til alle kommunalbestyrelsesmedlemmer"\n',
        '#, fuzzy\n#| msgid "Til alle"\nmsgid "Til alle kommunalbestyrelsesmedlemmer"\n',
    )
    edit(DE, old, new)
    gettext("msgfmt", "-c", "-o", "/dev/null", str(DE))
    broken = DE.read_bytes()
    said = f"{SHOWN_DE}:{line_of(DE, marker)}: polib cannot read this line ("
    capsys.readouterr()
    assert main(["publish", "--lang", "de", "--format", "html", "--no-index"]) == 1
    err = capsys.readouterr().err
    assert said in err and "expected a comment" in err, err
    assert main(["update"]) == 1
    assert said in capsys.readouterr().err
    assert DE.read_bytes() == broken


def test_a_catalog_polib_cannot_read_is_never_written_over(tmp_path: Path) -> None:
    po = tmp_path / "de" / "LC_MESSAGES" / "letter.po"
    po.parent.mkdir(parents=True)
    po.write_bytes(b'msgid ""\nmsgstr "Language: de\\n"\n\n#, fuzzy\n#|\nmsgid "a"\nmsgstr "b"\n')
    broken = po.read_bytes()
    with pytest.raises(CatalogError, match=r"letter\.po:5: polib cannot read this line"):
        write_catalog(Catalog(locale="de"), po)
    assert po.read_bytes() == broken


def test_an_obsolete_translation_keeps_its_text_and_flags(tmp_path: Path) -> None:
    """Babel's writer ends a long obsolete string that ends with a space with a
    newline, and drops an obsolete entry's flags."""
    po = tmp_path / "de.po"
    string = "Eine neue Wahlperiode hat begonnen, und sie bringt viel Neues mit sich. " * 3
    catalog = Catalog(locale="de", fuzzy=False)
    catalog.add("Kommunalvalg", "Kommunalwahl")
    catalog.obsolete["Gammel"] = Message("Gammel", string, flags=["fuzzy"])
    write_catalog(catalog, po)
    [obsolete] = load_catalog(po, "de").obsolete.values()
    assert obsolete.string == string
    assert obsolete.fuzzy


def test_each_entry_keeps_the_lines_it_had() -> None:
    """What is kept of a file is its own lines, each entry's where the entry is: an
    obsolete entry's previous msgid (which polib passes over) with the entry below
    it, and a line separator inside a string (where polib alone would end a line)
    inside its string, as GNU gettext reads it."""
    head = '# A header comment.\nmsgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
    entry = '#. Paragraph\n#: letter.da.md:3\nmsgid "Ja"\nmsgstr "Ja\u2028nej"\n\n'
    first = '#~ msgid "Gammel"\n#~ msgstr "Alt"\n'
    second = '#~| msgid "Ældre"\n#~ msgid "Gammel nok"\n#~ msgstr "Alt genug"\n'
    po = read_po_file((head + entry + first + second).encode(), "de.po")
    assert po.head == head
    assert po.texts == {
        (None, "Ja", False): entry,
        (None, "Gammel", True): first,
        (None, "Gammel nok", True): second,
    }
    assert po.header.line_of("Language") == 4
    assert babel_catalog(po, "de").get("Ja").string == "Ja\u2028nej"


def test_a_catalog_that_became_unreadable_since_it_was_read_fails_alone(tmp_path: Path) -> None:
    """Between ``update`` reading a catalog and writing it, a tool may save it again."""
    from klpublish.catalogs.tasks import Outcome, _write

    broken = tmp_path / "de" / "LC_MESSAGES" / "letter.po"
    sound = tmp_path / "en" / "LC_MESSAGES" / "letter.po"
    for po in (broken, sound):
        po.parent.mkdir(parents=True)
    broken.write_bytes(
        b'msgid ""\nmsgstr "Language: de\\n"\n\n#, fuzzy\n#|\nmsgid "a"\nmsgstr "b"\n'
    )
    before = broken.read_bytes()
    outcome = Outcome()
    _write([(Catalog(locale="de"), broken, ()), (Catalog(locale="en"), sound, ())], outcome)
    [failed] = outcome.failed
    assert failed.path == broken and "letter.po:5: polib cannot read this line" in str(failed)
    assert broken.read_bytes() == before
    assert [w.path for w in outcome.written] == [sound] and sound.is_file()
