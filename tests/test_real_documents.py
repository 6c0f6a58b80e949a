"""What real documents and real translators' tools met (issue 22), each case from
the document that showed it (``real-documents/``): percent signs that Babel takes
for format strings, numbers beside words, a control character written as a
character reference, a front matter field a letter does not have, a letter added
without ``extract``, and a header a tool wrapped."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po, write_po

from helpers import ROOT
from klpublish.__main__ import main
from klpublish.catalogs.po import load_catalog
from klpublish.errors import Problem
from klpublish.segments import markdown
from klpublish.translation.checkers import numbers_kept
from klpublish.translation.pair import Pair

DOCS = Path(__file__).parent / "real-documents"
EN = Path("locale/en/LC_MESSAGES/deltagelse.po")
MSGFMT_DEADLINE = 60

ENGLISH = {
    "Retningslinjer for deltagelse i borgermøder": "Guidelines for taking part in town meetings",
    "Mindst 50 % skal være med, før mødet kan træffe beslutninger.": "At least 50% must "
    "take part before the meeting can take decisions.",
    "Udgifterne dækkes 100 % i 2022.": "The costs are covered 100% in 2022.",
    "Skriv {navn} og adresse på blanketten.": "Write your name and address on the form.",
    "Vi følger covid-19 og retningslinjerne i Default1 nøje.": "We follow COVID-19 and the "
    "guidelines in DEFAULT1 closely.",
    "I 2018 faldt antallet af deltagere med -5 %.": "In 2018 the number of participants "
    "fell by -5%.",
}
"""A correct English translation of ``deltagelse.da.md``."""


def _letters(root: Path, *names: str) -> None:
    (root / "source").mkdir(exist_ok=True)
    (root / "locale").mkdir(exist_ok=True)
    for name in names:
        shutil.copy(DOCS / f"{name}.da.md", root / "source" / f"{name}.da.md")


def _said(capsys: pytest.CaptureFixture[str]) -> str:
    out = capsys.readouterr()
    return out.out + out.err


def _translate(
    po: Path, strings: dict[str, str], flags: dict[str, list[str]] | None = None
) -> None:
    """A translator's edit, saved by polib as Poedit saves (what the other tools
    write is ``test_translator_tools``')."""
    catalog = polib.pofile(str(po))
    for entry in catalog:
        if entry.msgid in strings:
            entry.msgstr = strings[entry.msgid]
        if flags is not None and entry.msgid in flags:
            entry.flags = list(flags[entry.msgid])
    catalog.save()


def _msgfmt_check(po: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        timeout=MSGFMT_DEADLINE,
        check=False,
    )


def _line_of(po: Path, msgid: str) -> int:
    """The line of the entry's msgid, where klpublish says its problems."""
    entry = load_catalog(po).get(msgid)
    assert entry is not None
    return int(entry.lineno)


# -- 1. percent signs: a letter's text is never a format string ----------------------


def test_percent_signs_are_no_format_strings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``Mindst 50 % skal være med`` holds ``% s``, ``100 % i`` holds ``% i`` and
    ``{navn}`` is a brace field to Babel, which flags them ``python-format`` and
    ``python-brace-format``: msgfmt then refused the correct "At least 50% must".
    No entry of a letter is flagged; the translation passes msgfmt, lint and
    publish. The numbers beside words pass as the same numbers."""
    _letters(tmp_path, "deltagelse")
    monkeypatch.chdir(tmp_path)
    assert main(["extract"]) == 0
    assert main(["init", "en"]) == 0
    for path in (Path("locale/deltagelse.pot"), EN):
        flagged = [(e.msgid, e.flags) for e in polib.pofile(str(path)) if e.flags]
        assert flagged == [], f"{path}: {flagged}"
    _translate(EN, ENGLISH)
    checked = _msgfmt_check(EN)
    assert checked.returncode == 0, checked.stderr
    capsys.readouterr()
    assert main(["lint", "en"]) == 0, _said(capsys)
    assert main(["publish", "--lang", "en", "--format", "html", "--no-index"]) == 0
    page = Path("build/en/deltagelse.en.html").read_text(encoding="utf-8")
    assert "At least 50% must take part" in page
    assert "COVID-19 and the guidelines in DEFAULT1" in page
    # A number really changed is still refused, at its line.
    changed = "I 2018 faldt antallet af deltagere med -5 %."
    _translate(EN, {changed: "In 2019 the number of participants fell by -5%."})
    capsys.readouterr()
    assert main(["lint", "en"]) == 1
    assert f"{EN}:{_line_of(EN, changed)}: msgstr drops the number 2018" in _said(capsys)


def test_update_takes_off_the_format_flags_babel_guessed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Catalogs made before, which carry ``#, python-format`` on letter entries
    (Babel's guess, copied by every tool from the template): lint and publish
    take the correct "50%" (msgfmt does not judge a letter's entries as format
    strings), ``init`` does not copy the flag from the template, ``update``
    takes it off the catalog and ``extract`` off the template, keeping every
    other flag (``fuzzy``, ``no-wrap``, one of its own a tool added):
    ``msgfmt -c --check-format`` then passes, and ``extract`` and ``update`` a
    day later change nothing (Babel's guess read back from a file that lacks
    the flag is no change)."""
    _letters(tmp_path, "deltagelse")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert main(["extract"]) == 0
    assert main(["init", "en"]) == 0
    percent, hundred, brace = list(ENGLISH)[1:4]
    guessed = {percent: ["python-format"], brace: ["python-brace-format"]}
    _translate(Path("locale/deltagelse.pot"), {}, guessed)
    # A language added from that template (``pybabel extract`` writes it so too).
    assert main(["init", "de"]) == 0
    assert not [e for e in polib.pofile("locale/de/LC_MESSAGES/deltagelse.po") if e.flags]
    flags = {**guessed, hundred: ["fuzzy", "python-format", "no-wrap", "x-reviewed"]}
    _translate(EN, ENGLISH, flags)
    assert "is not a valid Python format string" in _msgfmt_check(EN).stderr
    capsys.readouterr()
    assert main(["lint", "en"]) == 0, _said(capsys)
    assert main(["update"]) == 0, _said(capsys)
    after = {e.msgid: sorted(e.flags) for e in polib.pofile(str(EN)) if e.flags}
    assert after == {hundred: ["fuzzy", "no-wrap", "x-reviewed"]}
    checked = _msgfmt_check(EN)
    assert checked.returncode == 0, checked.stderr
    assert main(["extract"]) == 0  # the template's own flags: extraction's
    assert not [e for e in polib.pofile("locale/deltagelse.pot") if e.flags]
    capsys.readouterr()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700086400")
    assert main(["extract"]) == 0 and main(["update"]) == 0
    said = _said(capsys)
    assert "locale/deltagelse.pot: not changed" in said
    assert f"{EN}: not changed" in said
    assert main(["publish", "--lang", "en", "--format", "html", "--no-index"]) == 0


# -- 2. numbers compared as numbers ---------------------------------------------------


def _pair(msgid: str, msgstr: str) -> Pair:
    source, translation = markdown.parse([msgid, msgstr], [0, 0], "a test")
    assert isinstance(source, list) and isinstance(translation, list)
    return Pair(msgid, source, msgstr, translation)


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Vi følger covid-19 nøje.", "We follow COVID-19 closely."),
        ("retningslinjerne i Default1", "the guidelines in DEFAULT1"),
        ("Vi følger covid-19 nøje.", "We follow Covid 19 closely."),
        ("sagen SAG-2017-06094", "case sag-2017-06094"),
        ("i årene 2018-2019", "in the years 2018–2019"),
        ("faldt med -5 %", "fell by −5%"),
        ("U-18-holdet", "the U18 team"),
        ("1.000 kr.", "DKK 1,000"),
    ],
)
def test_numbers_beside_words_are_the_same_numbers(msgid: str, msgstr: str) -> None:
    numbers_kept(_pair(msgid, msgstr))


@pytest.mark.parametrize(
    ("msgid", "msgstr", "dropped"),
    [
        ("I 2018 faldt antallet.", "In 2019 the number fell.", "2018"),
        ("faldt med -5 %", "fell by 5%", "-5"),
        ("faldt med −5 %", "fell by 5%", "-5"),
        ("Vi følger covid-19 nøje.", "We follow COVID-18 closely.", "19"),
        ("retningslinjerne i Default1", "the guidelines in DEFAULT2", "1"),
        ("1.000 kr.", "DKK 100", "1000"),
        ("sagen SAG-2017-06094", "case SAG-2017-06095", "2017-06094"),
    ],
)
def test_a_number_dropped_or_changed_is_refused(msgid: str, msgstr: str, dropped: str) -> None:
    with pytest.raises(Problem) as found:
        numbers_kept(_pair(msgid, msgstr))
    assert found.value.message == f"msgstr drops the number {dropped}"


# -- 3 and 5. a letter that cannot be read fails alone; a new letter is extracted -----


KONTROL = (
    "source/kontrol.da.md:9: the letter contains a control character (U+0004), "
    "written &#x4;: expected visible text"
)


def test_a_control_character_from_an_entity_fails_its_letter_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``h&#x4;i`` in one letter: ``extract``, ``init``, ``update`` and ``publish``
    say where it is and what was expected, exit 1, and do the other letter."""
    _letters(tmp_path, "deltagelse", "kontrol")
    monkeypatch.chdir(tmp_path)
    for command in (["init", "en"], ["update"], ["extract"]):
        capsys.readouterr()
        assert main(command) == 1, command
        said = _said(capsys)
        assert KONTROL in said, (command, said)
        assert "locale/kontrol.pot" in said, (command, said)
    assert Path("locale/deltagelse.pot").is_file() and EN.is_file()
    assert not Path("locale/kontrol.pot").exists()
    assert not Path("locale/en/LC_MESSAGES/kontrol.po").exists()
    capsys.readouterr()
    assert main(["publish", "--format", "html", "--no-index"]) == 1
    assert KONTROL in _said(capsys)
    assert Path("build/da/deltagelse.da.html").is_file()
    assert not Path("build/da/kontrol.da.html").exists()


def test_update_extracts_a_letter_added_to_source(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A letter put in ``source/`` and ``update`` run (not ``make update``): the
    letter gets its template and a catalog in every language, as it would after
    ``extract``; ``init`` does the same. Templates named with ``--template``
    are the only ones used."""
    languages = sorted(p.name for p in (project / "locale").iterdir() if p.is_dir())
    _letters(project, "deltagelse", "omdirigering")
    assert main(["update", "--template", "locale/letter.pot"]) == 0
    assert not Path("locale/deltagelse.pot").exists()
    capsys.readouterr()
    assert main(["update"]) == 0
    said = _said(capsys)
    assert "locale/deltagelse.pot: updated\n  a new letter: its template extracted from " in said
    # What publish will refuse in the new letter is said as extract says it.
    assert "source/omdirigering.da.md:5: warning: unknown front matter field" in said
    for lang in languages:
        for name in ("deltagelse", "omdirigering"):
            assert Path(f"locale/{lang}/LC_MESSAGES/{name}.po").is_file(), (lang, name)
    capsys.readouterr()
    assert main(["update"]) == 0
    assert "a new letter" not in _said(capsys)
    Path("source/deltagelse.da.md").rename("source/igen.da.md")
    assert main(["init", "sv"]) == 0
    assert Path("locale/igen.pot").is_file()
    for name in ("letter", "igen", "deltagelse"):
        assert Path(f"locale/sv/LC_MESSAGES/{name}.po").is_file(), name


# -- 6. what publish refuses in the front matter, extract says ------------------------


FRONT = "---\ntitle: Nyt om affaldssortering\nlang: da\ndate: 2021-10-01\n"
BODY = "---\n\nFra 1. januar sorterer alle husstande madaffald for sig.\n"


@pytest.mark.parametrize(
    ("text", "line", "said"),
    [
        (None, 5, "unknown front matter field 'redirect_from': expected one of title, "),
        (f"{FRONT}css: print.css\n{BODY}", 5, "unknown front matter field 'css'"),
        (f"{FRONT}sender:\n  name: KL\n  fax: 33703370\n{BODY}", 7, "field 'fax' in 'sender'"),
        (f"{FRONT}keywords: affald\n{BODY}", 5, "front matter 'keywords' must be a list"),
        (FRONT.replace("lang: da", "lang: dansk") + BODY, 3, "'dansk'"),
        ("---\nlang: da\n" + BODY, 1, "front matter has no 'title'"),
    ],
)
def test_extract_says_what_publish_refuses_in_the_front_matter(
    text: str | None,
    line: int,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Extraction takes the document (a translator may start), and says, at its
    line, what ``publish`` will refuse, in publish's words."""
    _letters(tmp_path, "omdirigering")
    monkeypatch.chdir(tmp_path)
    if text is not None:
        Path("source/omdirigering.da.md").write_text(text, encoding="utf-8")
    assert main(["extract"]) == 0
    warning = _said(capsys)
    assert Path("locale/omdirigering.pot").is_file()
    where = f"source/omdirigering.da.md:{line}: "
    assert f"{where}warning: " in warning and said in warning, warning
    assert main(["publish", "--format", "html", "--no-index", "--locales", "none"]) == 1
    refusal = _said(capsys)
    assert where in refusal and said in refusal, refusal
    stated = warning.split(f"{where}warning: ")[1].split(" (publish refuses")[0]
    assert f"{where}{stated}" in refusal


def test_extract_says_nothing_of_a_front_matter_publish_takes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _letters(tmp_path, "deltagelse")
    monkeypatch.chdir(tmp_path)
    assert main(["extract"]) == 0
    assert "warning" not in _said(capsys)


# -- 4. a header a tool wrapped is read by the parser ---------------------------------


def _msgcat_40(po: Path, out: Path) -> None:
    subprocess.run(
        ["msgcat", "-w", "40", "-o", str(out), str(po)], check=True, timeout=MSGFMT_DEADLINE
    )


def _babel_40(po: Path, out: Path) -> None:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    with out.open("wb") as handle:
        write_po(handle, catalog, width=40)


@pytest.mark.slow
@pytest.mark.parametrize("tool", [_msgcat_40, _babel_40], ids=["msgcat -w 40", "babel width 40"])
def test_a_header_a_tool_wrapped_is_read_by_the_parser(
    tool: Callable[[Path, Path], None], project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every shipped catalog (each language's letter and the package's words, as
    the project's own) wrapped at 40 columns, which splits ``Content-Type``
    between two strings: update, lint and publish take each."""
    shipped = sorted((ROOT / "locale").glob("*/LC_MESSAGES/letter.po"))
    assert len(shipped) == 7
    for po in shipped:
        lang = po.parent.parent.name
        here = project / "locale" / lang / "LC_MESSAGES"
        tool(po, here / "letter.po")
        words = ROOT / "src" / "klpublish" / "locale" / lang / "LC_MESSAGES" / "klpublish.po"
        tool(words, here / "klpublish.po")
        for written in (here / "letter.po", here / "klpublish.po"):
            text = written.read_text(encoding="utf-8")
            assert '"Content-Type: text/plain; "\n"charset=' in text, written
            assert _msgfmt_check(written).returncode == 0
    capsys.readouterr()
    assert main(["update"]) == 0, _said(capsys)
    assert main(["lint"]) == 0, _said(capsys)
    assert main(["publish", "--format", "html", "--no-index"]) == 0, _said(capsys)
    said = _said(capsys)
    assert "charset" not in said, said
    for po in shipped:
        lang = po.parent.parent.name
        assert Path(f"build/{lang}/letter.{lang}.html").is_file(), lang


def test_a_wrong_charset_in_a_wrapped_header_is_said_at_its_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The parser reads the wrapped field whole: a charset that is not UTF-8 is
    still refused, at the line its field starts on."""
    po = Path("locale/de/LC_MESSAGES/letter.po")
    _msgcat_40(po, po)
    text = po.read_text(encoding="utf-8")
    wrong = re.sub(r'"charset=utf-8\\n"', r'"charset=ISO-8859-1\\n"', text, flags=re.I)
    assert wrong != text
    po.write_text(wrong, encoding="utf-8")
    line = text.splitlines().index('"Content-Type: text/plain; "') + 1
    assert main(["lint", "de"]) == 1
    assert f"{po}:{line}: header declares charset ISO-8859-1: expected UTF-8" in _said(capsys)
