"""Budgets before parsing: a translation or a letter whose reading would keep
pandoc busy for seconds or minutes is refused at its line before pandoc reads
it (``budgets``, ``reading_cost``). Each case runs klpublish in a subprocess
with a deadline far above its normal time (under 3 s): a hang fails the test
instead of stalling it. Speed figures are in ``bench/hostile_budgets.py``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from klpublish import pandoc
from klpublish.catalogs.po import load_catalog
from klpublish.errors import TranslationError
from klpublish.letter.read import read_letter
from klpublish.segments.messages import letter_messages
from klpublish.translation.translate import translate_letter

DE = Path("locale/de/LC_MESSAGES/letter.po")
LETTER = Path("source/letter.da.md")
ENTRY = "Vi glæder os"
"""The start of the msgid whose German msgstr each case replaces."""
DEADLINE = 40
"""Seconds a run may take before the test fails: lint takes under 3 s."""


def put_de(msgstr: str, prefix: str = ENTRY) -> int:
    """Set one entry's German msgstr; return the entry's line in the catalog."""
    with DE.open("rb") as handle:
        catalog = read_po(handle)
    [message] = [m for m in catalog if m.id and str(m.id).startswith(prefix)]
    message.string = msgstr
    with DE.open("wb") as handle:  # unwrapped: Babel's wrapping is slow on huge words
        write_po(handle, catalog, width=76 if len(msgstr) < 20_000 else 0)
    entry = load_catalog(DE).get(message.id, message.context)
    assert entry is not None and entry.lineno is not None
    return entry.lineno


def klpublish(*args: str) -> tuple[int, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "klpublish", *args],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    return proc.returncode, proc.stdout + proc.stderr


# -- translations: the cases found on main ------------------------------------------

BACKTICK_RUNS = "".join("`" * k + " " for k in range(1, 300))
"""Runs of 1 to 299 backticks (45 KB): pandoc never finished."""


@pytest.mark.parametrize(
    ("msgstr", "message"),
    [
        (BACKTICK_RUNS, "msgstr is 45,149 characters, 885 times as long as the source"),
        ("<a " * 8000, "msgstr is 24,000 characters, 470 times as long as the source"),
        ("ord " * 1_250_000, "msgstr is 5,000,000 characters, 98039 times as long as the source"),
    ],
    ids=["backtick runs of 1 to 299", "<a x 8000", "five megabytes"],
)
def test_found_cases_are_refused_before_reading(project: Path, msgstr: str, message: str) -> None:
    line = put_de(msgstr)
    code, report = klpublish("lint", "de")
    assert code == 1, report
    assert f"{DE}:{line}: {message}: expected at most 20,000" in report, report[-2000:]


@pytest.mark.slow
def test_publish_refuses_the_language_and_builds_the_others(project: Path) -> None:
    line = put_de("<a " * 8000)
    code, report = klpublish("publish", "--format", "html")
    assert code == 1, report
    assert "de: not published" in report, report
    assert f"{DE}:{line}: msgstr is 24,000 characters" in report, report
    assert not Path("build/de/letter.de.html").exists()
    for lang in ("da", "en", "uk"):
        assert Path(f"build/{lang}/letter.{lang}.html").is_file(), lang


# -- translations: shapes that cost pandoc much in a few kilobytes ------------------

COSTLY = {
    "backtick runs of 90 lengths": (
        "".join("`" * k + " " for k in range(1, 91)),
        "90 runs of backticks of 90 different lengths",
    ),
    "one run of 4000 backticks": ("`" * 4000 + "\nWir", "a run of 4000 backticks"),
    "<a x 1600": ("<a " * 1600, "1,600 '<'"),
    "autolinks never closed": ("<https://kl.dk " * 300, "300 '<'"),
    "&# x 2400": ("&#" * 2400, "2,400 '&' inside words"),
    "& x 4900": ("&" * 4900 + "Wir", "4,900 '&' inside words"),
    "<span> x 20": ("<span>" * 20 + "Wir", "brackets or <span> nested 20 deep"),
    "brackets nested 18 deep": ("[" * 18 + "Wir" + "]" * 18, "brackets or <span> nested 18 deep"),
    "links nested 18 deep": ("[" * 18 + "Wir" + "](u)" * 18, "brackets or <span> nested 18 deep"),
    "'[' never closed": ("[Wir " * 15 + "freuen uns " * 400, "15 '[' never closed"),
    "'(' in a link address": ("[Wir](" + "(" * 2000, "2,000 '(' never closed in a link's address"),
    "quotes in quotes": ("> " * 2400 + "Wir", "block markers nested 2400 deep at the start"),
    "lists in lists": ("- " * 1200 + "1. " * 800 + "Wir", "block markers nested 2000 deep at the"),
}
"""Each under 5,000 characters, which any msgstr may have (see ``budgets``)."""


@pytest.mark.parametrize(("msgstr", "message"), COSTLY.values(), ids=COSTLY.keys())
def test_costly_markup_is_refused_before_reading(project: Path, msgstr: str, message: str) -> None:
    assert len(msgstr) <= 5000
    line = put_de(msgstr)
    code, report = klpublish("lint", "de")
    assert code == 1, report
    assert f"{DE}:{line}: msgstr is too costly to read: {message}" in report, report


def test_a_catalog_of_costly_msgstrs_is_refused_before_reading(project: Path) -> None:
    """Each within its own budget, five together cost more than a catalog may:
    the costliest are refused, unread, until the others fit."""
    costly = "- " * 700 + "Wir"
    with DE.open("rb") as handle:
        catalog = read_po(handle)
    chosen = [m for m in catalog if m.id][:5]
    for message in chosen:
        message.string = costly
    with DE.open("wb") as handle:
        write_po(handle, catalog)
    lines = {m.lineno for m in load_catalog(DE) if m.id in {c.id for c in chosen}}
    code, report = klpublish("lint", "de")
    assert code == 1, report
    said = "msgstr is too costly to read with this catalog's other costly msgstrs: block markers"
    refused = {int(line.split(":")[1]) for line in report.splitlines() if said in line}
    assert refused and refused < lines, report


def test_a_hard_ceiling_for_any_text_read_as_a_translation() -> None:
    """Whoever asks (translation memory reads a compendium's texts): a text past
    ``budgets.TEXT_BUDGET`` comes back refused, unread, even with citations on."""
    script = (
        "from klpublish.segments import markdown as m\n"
        "hangs = '[' * 30 + 'x'\n"
        "spans = '<span>' * 20\n"
        "out = m.parse([hangs, spans, 'Tak.'], [0, 0, 0], 'memory', m.READER + '+citations')\n"
        "print([getattr(r, 'message', 'read') for r in out])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=DEADLINE
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("text is too costly to read: brackets or <span> nested") == 2
    assert "'read'" in proc.stdout


# -- a timed-out request names its entries -----------------------------------------


def _translate_with_no_time(monkeypatch: pytest.MonkeyPatch, keep: int | None) -> str:
    """Lint's translation of German with a deadline of 1 ns: every request times
    out. ``keep``: the one entry left translated (None: all of them)."""
    letter = read_letter(LETTER)
    messages = letter_messages(letter)
    catalog = load_catalog(DE, locale="de")
    for message in catalog:
        if keep is not None and message.id and message.lineno != keep:
            message.string = ""
    pandoc.close_engine()  # the next engine gets the deadline below
    monkeypatch.setenv("KLPUBLISH_PANDOC_DEADLINE", "0.000000001")
    with pytest.raises(TranslationError) as caught:
        translate_letter(letter, catalog, str(DE), messages)
    pandoc.close_engine()
    return str(caught.value)


def test_a_timed_out_entry_is_named(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    line = put_de("Wir freuen uns auf die Zusammenarbeit.")
    said = _translate_with_no_time(monkeypatch, keep=line)
    assert said.startswith(f"{DE}:{line}: pandoc took more than 1e-09 s reading this msgstr"), said


def test_a_timed_out_request_names_every_entry_in_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = put_de("Wir freuen uns " * 100)  # costlier than any other, by its length
    translated = {m.lineno for m in load_catalog(DE) if m.id and m.string and not m.fuzzy}
    said = _translate_with_no_time(monkeypatch, keep=None)
    head, _, rest = said.partition(" together (costliest first)")
    listed = head.split("reading the msgstrs at lines ")[1].split(", ")
    assert head.startswith(f"{DE}:{line}: pandoc took more than 1e-09 s"), said  # costliest
    assert {int(n) for n in listed} == translated, said
    assert "and was stopped" in rest


# -- letters ----------------------------------------------------------------------

LETTER_COSTLY = {
    "backtick runs of 1 to 299": (BACKTICK_RUNS, "299 runs of backticks of 299 different lengths"),
    "<a x 8000": ("<a " * 8000, "8,000 '<'"),
    "<span> x 20": ("<span>" * 20 + "Tak", "brackets or <span> nested 20 deep"),
    "\\begin x 300": ("\\begin{a}" * 300, "300 '\\begin{' without '\\end{'"),
    "80,000 list items": ("- a\n" * 80_000, "line breaks"),
    "6000 headings": ("# a\n\n" * 6000, "heading lines"),
    "a grid table 10,000 columns wide": (
        "+-" * 10_000 + "+\n" + "|a" * 10_000 + "|\n" + "+-" * 10_000 + "+",
        "a grid table 10000 columns wide",
    ),
}


@pytest.mark.parametrize(("body", "message"), LETTER_COSTLY.values(), ids=LETTER_COSTLY.keys())
def test_a_costly_letter_is_refused_before_reading(project: Path, body: str, message: str) -> None:
    text = LETTER.read_text(encoding="utf-8")
    written = text + "\n" + body + "\n"
    LETTER.write_text(written, encoding="utf-8")
    line = text.count("\n") + 2
    body_start = text.splitlines().index("---", 1) + 1  # the front matter's last line
    if message == "line breaks":  # the body's: said at its start
        line, message = body_start + 1, f"{written.count(chr(10)) - body_start:,} line breaks"
    elif message == "heading lines":  # said at the letter's first heading
        line = next(n for n, t in enumerate(written.splitlines(), 1) if t.startswith("#"))
        message = f"{sum(t.startswith('#') for t in written.splitlines())} heading lines"
    code, report = klpublish("extract")
    assert code == 1, report
    assert f"{LETTER}:{line}: the letter is too costly to read: {message}" in report, report


def test_lint_names_the_costly_line_of_a_letter(project: Path) -> None:
    text = LETTER.read_text(encoding="utf-8")
    LETTER.write_text(text.replace("Kære kommunalbestyrelser", "Kære " + "<a " * 8000), "utf-8")
    line = text.splitlines().index("Kære kommunalbestyrelser") + 1
    code, report = klpublish("lint")
    assert code == 1, report
    assert f"{LETTER}:{line}: the letter is too costly to read: 8,000 '<'" in report, report
