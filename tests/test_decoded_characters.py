"""The character policy on text as it is read, not as it is written: YAML's
``"\\u202E"`` and HTML's ``&#x202E;`` or ``&#x4;`` are ASCII in the file and a
bidi override or a control character in every output and catalog. Each is a
located error that fails its letter or its language alone."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from klpublish.__main__ import main
from klpublish.catalogs.po import load_catalog
from klpublish.errors import Location, SourceError
from klpublish.letter.read import parse_document, parse_letter
from klpublish.segments.messages import letter_messages
from klpublish.translation.translate import translate_letter

HERE = Path(__file__).parent
CASES = HERE / "decoded-characters"
BASE = CASES / "brev.da.md"
BASE_TEXT = BASE.read_text(encoding="utf-8")
SECOND = HERE / "letters" / "second"

BIDI = "contains a bidi control character (U+202E)"
CONTROL = "contains a control character (U+0004)"

# (what the base letter says, what the case says instead, line, message)
FRONT_MATTER = [
    pytest.param("title: Prøve", r'title: "Prøve\u202Eevil"', 2, f"'title' {BIDI}", id="title-u"),
    pytest.param(
        "title: Prøve", r'title: "\uFEFFPrøve"', 2, "'title' contains a byte order mark", id="bom"
    ),
    pytest.param(
        "title: Prøve",
        r'title: "Prøve\U000E0041"',
        2,
        "'title' contains a tag character",
        id="title-U-tag",
    ),
    pytest.param(
        "subtitle: Et brev til test",
        r'subtitle: "Et\x04brev"',
        3,
        f"'subtitle' {CONTROL}",
        id="subtitle-x",
    ),
    pytest.param(
        "recipient: Til alle",
        r'recipient: "Til\Nalle" #',
        6,
        "'recipient' contains a control character (U+0085)",
        id="recipient-N",
    ),
    pytest.param(
        "closing: Venlig hilsen",
        r'closing: "Venlig\Lhilsen"',
        14,
        "'closing' contains a line separator (U+2028)",
        id="closing-L",
    ),
    pytest.param(
        "  name: KL –",
        r'  name: "KL\u2066" #',
        8,
        "'sender.name' contains a bidi isolate",
        id="sender-name",
    ),
    pytest.param(
        "    - 2300 København S",
        r'    - "2300\u202D København S"',
        11,
        "'sender.address 2' contains a bidi control character (U+202D)",
        id="address-item",
    ),
    pytest.param(
        "  web: https://www.kl.dk",
        r'  web: "https://www.kl.dk/\u202E"',
        12,
        f"'sender.web' {BIDI}",
        id="sender-web",
    ),
    pytest.param(
        "case-id: SAG-2017-06094",
        r'case-id: "SAG\u2062-2017"',
        13,
        "'case-id' contains an invisible operator (U+2062)",
        id="case-id",
    ),
    pytest.param(
        "    role: Administrerende direktør",
        r'    role: "Administrerende\u202E direktør"',
        19,
        f"'signatories 2.role' {BIDI}",
        id="signatory-role",
    ),
    pytest.param(
        "\n  - Martin Damm",
        '\n  - "Martin\\u200BDamm"',
        22,
        "'author 1' contains a zero-width space outside a script that uses it (U+200B)",
        id="author-item",
    ),
    pytest.param(
        "keywords: [KL, brev]",
        r'keywords: [KL, "br\uFFFEev"]',
        20,
        "'keywords 2' contains a character XML cannot hold (U+FFFE)",
        id="keywords-flow",
    ),
    pytest.param(
        "date: 2018-01-10",
        r'date: "2018-01-10\u202E"',
        5,
        f"'date' {BIDI}",
        id="date",
    ),
    pytest.param(
        "lang: da",
        r'"la\u202Eng": da',
        4,
        f"a field name {BIDI}",
        id="field-name",
    ),
    pytest.param(
        "title: Prøve",
        'title: "Prøve &#x202E;evil"',
        2,
        f"{BIDI}, written &#x202E;",
        id="title-entity",
    ),
]

BODY = [
    pytest.param(
        "Kære kommunalbestyrelser", "Kære h&#x4;i", 26, f"{CONTROL}, written &#x4;", id="issue-hex"
    ),
    pytest.param("Kære", "Kære&#4;", 26, f"{CONTROL}, written &#4;", id="decimal"),
    pytest.param("Kære", "Kære&#x04;", 26, f"{CONTROL}, written &#x04;", id="hex-zero"),
    pytest.param("Kære", "Kære&#X4;", 26, f"{CONTROL}, written &#X4;", id="hex-upper-x"),
    pytest.param("Kære", "Kære&#0004;", 26, f"{CONTROL}, written &#0004;", id="decimal-zeros"),
    pytest.param(
        "Kære",
        "Kære&InvisibleTimes;",
        26,
        "contains an invisible operator (U+2062), written &InvisibleTimes;",
        id="named",
    ),
    pytest.param(
        "Kære",
        "Kære&ZeroWidthSpace;x",
        26,
        "contains a zero-width space outside a script that uses it (U+200B), written "
        "&ZeroWidthSpace;",
        id="named-zwsp",
    ),
    pytest.param(
        '"KL\'s hjemmeside")',
        '"KL&#x202E;s hjemmeside")',
        28,
        f"{BIDI}, written &#x202E;",
        id="link-title",
    ),
    pytest.param(
        "(https://www.kl.dk ",
        "(https://www.kl.dk/&#x202E; ",
        28,
        BIDI,
        id="link-target",
    ),
    pytest.param(
        "![Kort over",
        "![Kort&#x202E; over",
        30,
        f"{BIDI}, written &#x202E;",
        id="image-alt",
    ),
    pytest.param(
        "## Om KL",
        "## Om&#x2066; KL",
        32,
        "contains a bidi isolate character (U+2066), written &#x2066;",
        id="heading",
    ),
    pytest.param(
        "[^1]: KL blev",
        "[^1]: KL&#xE0041; blev",
        46,
        "contains a tag character (U+E0041), written &#xE0041;",
        id="footnote-tag",
    ),
    pytest.param(
        "](kort.png)",
        '](kort.png){title="x&#x202E;"}',
        30,
        BIDI,
        id="attribute-value",
    ),
    pytest.param("| Aalborg |", "| Aal&#x202E;borg |", 38, BIDI, id="table-cell"),
    pytest.param("Valgperiode", "Valg&#x202E;periode", 40, BIDI, id="definition-term"),
    pytest.param("| 2300 København S", "| 2300 K&#x4;benhavn S", 44, CONTROL, id="line-block"),
]


def _case(old: str, new: str) -> str:
    assert BASE_TEXT.count(old) >= 1, old
    return BASE_TEXT.replace(old, new, 1)


def test_the_base_letter_passes() -> None:
    parse_letter(BASE_TEXT, str(BASE))
    parse_document(BASE_TEXT, str(BASE))


@pytest.mark.parametrize(("old", "new", "line", "message"), FRONT_MATTER + BODY)
def test_a_decoded_character_is_refused_at_its_line(
    old: str, new: str, line: int, message: str
) -> None:
    text = _case(old, new)
    # To publish, and to extract: no catalog may carry what no output may.
    for parse in (parse_letter, parse_document):
        with pytest.raises(SourceError) as caught:
            parse(text, str(BASE))
        assert caught.value.location == Location(str(BASE), line), (parse, str(caught.value))
        assert message in caught.value.message, (parse, str(caught.value))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param("Kære kommunalbestyrelser", "Kære می&zwnj;خواهم", id="zwnj-in-persian"),
        pytest.param("Kære kommunalbestyrelser", "Kære می&#x200C;خواهم", id="zwnj-hex"),
        pytest.param("Kære kommunalbestyrelser", "Kære ภาษา&#x200B;ไทย", id="zwsp-in-thai"),
        pytest.param("Kære kommunalbestyrelser", "Kære العربية&rlm; (KL)", id="rlm-in-arabic"),
        pytest.param("Kære kommunalbestyrelser", "Kære &amp;#x202E; er tekst", id="escaped-amp"),
        pytest.param("Kære kommunalbestyrelser", "Kære `&#x202E;` er kode", id="code-span"),
        pytest.param(
            "Kære kommunalbestyrelser",
            "Kære &#x1F3F4;&#xE0067;&#xE0062;&#xE0073;&#xE0063;&#xE0074;&#xE007F;",
            id="emoji-flag-tags",
        ),
        pytest.param("case-id: SAG-2017-06094", r"case-id: 'SAG\u202E'", id="single-quoted"),
        pytest.param("title: Prøve", r'title: "Prøve\u00E6\x41"', id="harmless-escapes"),
    ],
)
def test_what_the_policy_allows_still_passes_once_decoded(old: str, new: str) -> None:
    text = _case(old, new)
    parse_letter(text, str(BASE))
    parse_document(text, str(BASE))


@pytest.mark.parametrize(
    ("escape", "message"),
    [
        (r"\u202E", BIDI),
        (r"\x04", CONTROL),
        (r"\U000E0041", "contains a tag character (U+E0041)"),
        (r"\N", "contains a control character (U+0085)"),
        (r"\P", "contains a paragraph separator (U+2029)"),
    ],
)
def test_extraction_checks_a_metadata_block_pandoc_finds_later_in_the_document(
    escape: str, message: str
) -> None:
    text = f'Tekst.\n\n---\ntitle: "Prøve{escape}evil"\n---\n\nMere tekst.\n'
    with pytest.raises(SourceError) as caught:
        parse_document(text, "notes.da.md")
    assert str(caught.value).startswith(f"notes.da.md:4: the letter {message}, written {escape}")


# -- translations ----------------------------------------------------------------


def _translate(prefix: str, msgstr: str) -> tuple[list[str], list[str]]:
    """The errors and warnings of the base letter translated with one msgstr."""
    letter = parse_document(BASE_TEXT, str(BASE))
    messages = letter_messages(letter)
    catalog = Catalog(locale="en")
    [message] = [m for m in messages if m.msgid.startswith(prefix)]
    catalog.add(message.msgid, msgstr, context=message.context)
    _, outcome = translate_letter(letter, catalog, "en.po", messages)
    return [p.message for p in outcome.problems], [w.message for w in outcome.warnings]


@pytest.mark.parametrize(
    ("prefix", "msgstr", "message"),
    [
        pytest.param(
            "Kære", "Dear &#x202E;councils", f"msgstr {BIDI}, written &#x202E;", id="text"
        ),
        pytest.param(
            "Kære", "Dear h&#x4;i councils", f"msgstr {CONTROL}, written &#x4;", id="control"
        ),
        pytest.param(
            "Læs mere",
            "Read more on [KL's website](https://www.kl.dk \"KL&#x202E;'s website\") today.",
            f"msgstr {BIDI}, written &#x202E;",
            id="link-title",
        ),
        pytest.param(
            "![Kort",
            "![Map of the way&#x202E; to Aalborg](kort.png)",
            f"msgstr {BIDI}, written &#x202E;",
            id="image-alt",
        ),
        pytest.param(
            "Om KL",
            "About&#x2066; KL",
            "msgstr contains a bidi isolate character (U+2066), written &#x2066;",
            id="heading-isolate",
        ),
        pytest.param(
            "KL blev stiftet",
            "KL was founded in 1970&#xE0041;.",
            "msgstr contains a tag character (U+E0041), written &#xE0041;",
            id="footnote-tag",
        ),
        pytest.param(
            "Prøve",
            "Test&InvisibleTimes;",
            "msgstr contains an invisible operator (U+2062), written &InvisibleTimes;",
            id="metadata-named",
        ),
        pytest.param(
            "KL er til",
            "KL is there for you&#X202e;.[^1]",
            f"msgstr {BIDI}, written &#X202e;",
            id="with-footnote-ref",
        ),
    ],
)
def test_a_decoded_character_in_a_translation_is_refused(
    prefix: str, msgstr: str, message: str
) -> None:
    errors, _ = _translate(prefix, msgstr)
    assert message in errors, errors


def test_a_decoded_warning_is_a_warning() -> None:
    errors, warnings = _translate("Kære", "Dear coun&shy;cils")
    assert not errors, errors
    assert "msgstr contains a soft hyphen (U+00AD), written &shy;" in warnings, warnings


def test_a_character_written_as_itself_is_reported_once() -> None:
    errors, _ = _translate("Kære", "Dear \u202ecouncils")
    assert errors == [f"msgstr {BIDI}"], errors


# -- the command line: a letter or a language fails alone --------------------------


def _set_msgstr(po: Path, prefix: str, change: Callable[[str], str]) -> int:
    """Change one entry's msgstr (``change(old) -> new``); return its line."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    [message] = [m for m in catalog if m.id and str(m.id).startswith(prefix)]
    message.string = change(str(message.string))
    with po.open("wb") as handle:
        write_po(handle, catalog, width=76)
    entry = load_catalog(po).get(message.id, message.context)
    assert entry is not None
    return int(entry.lineno)


def _outputs(build: Path) -> str:
    """Every page and book file built, as text."""
    return "".join(p.read_text("utf-8", "replace") for p in build.rglob("*") if p.is_file())


@pytest.mark.parametrize("escape", [r"\u202E", r"\uFEFF", r"\U000E0041"])
def test_issue_an_escaped_title_is_refused_not_published(
    escape: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = project / "source" / "letter.da.md"
    text = letter.read_text("utf-8")
    letter.write_text(
        re.sub("^title: .*$", lambda _: f'title: "Prøve{escape}evil"', text, count=1, flags=re.M),
        "utf-8",
    )
    assert main(["publish", "--lang", "da", "--format", "html"]) == 1
    err = capsys.readouterr().err
    assert "source/letter.da.md:2: front matter 'title' contains" in err, err
    assert not (project / "build" / "da").exists()


def test_issue_an_entity_in_the_body_is_refused_by_extract_and_publish(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = project / "source" / "letter.da.md"
    text = letter.read_text("utf-8")
    letter.write_text(text.replace("Kære kommunalbestyrelser", "Kære h&#x4;i", 1), "utf-8")
    line = text.split("\n").index("Kære kommunalbestyrelser") + 1
    expected = f"source/letter.da.md:{line}: the letter {CONTROL}, written &#x4;"
    template = (project / "locale" / "letter.pot").read_bytes()
    assert main(["extract"]) == 1
    assert expected in capsys.readouterr().err
    assert (project / "locale" / "letter.pot").read_bytes() == template
    assert main(["publish", "--lang", "da", "--format", "epub"]) == 1  # once, a crash
    assert expected in capsys.readouterr().err
    assert main(["lint"]) == 1
    assert expected in capsys.readouterr().err


@pytest.mark.parametrize("reference", ["&#x202E;", "&#x4;"])
def test_issue_a_reference_in_a_msgstr_refuses_that_language_alone(
    reference: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = project / "locale" / "en" / "LC_MESSAGES" / "letter.po"
    line = _set_msgstr(po, "Vi glæder os", lambda old: old.replace(" ", f" {reference}", 1))
    assert main(["lint", "en"]) == 1
    out = capsys.readouterr().err
    assert f"locale/en/LC_MESSAGES/letter.po:{line}: msgstr contains" in out, out
    assert f"written {reference}" in out
    assert main(["publish", "--format", "html", "--no-index"]) == 1
    err = capsys.readouterr().err
    assert "en: not published" in err, err
    assert not (project / "build" / "en").exists()
    for lang in ("da", "de", "ar", "fa"):
        assert (project / "build" / lang / f"letter.{lang}.html").is_file()
    assert "\u202e" not in _outputs(project / "build")
    assert "\x04" not in _outputs(project / "build")


@pytest.mark.parametrize(
    ("lang", "written", "reference"),
    [
        pytest.param("fa", "\u200c", "&zwnj;", id="zwnj-named-in-persian"),
        pytest.param("fa", "\u200c", "&#x200C;", id="zwnj-hex-in-persian"),
        pytest.param("ar", " ", "&rlm; ", id="rlm-in-arabic"),
    ],
)
def test_a_reference_the_policy_allows_in_its_script_passes_lint(
    lang: str, written: str, reference: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = project / "locale" / lang / "LC_MESSAGES" / "letter.po"
    with po.open("rb") as handle:
        prefix = next(str(m.id) for m in read_po(handle) if m.id and written in str(m.string))
    line = _set_msgstr(po, prefix, lambda old: old.replace(written, reference, 1))
    assert main(["lint", lang]) == 0
    out = capsys.readouterr().out
    assert f"letter.po:{line}:" not in out, out


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("title: Invitation til", r'title: "Invitation\u202E til" #', 2),
        ("Kære kommunalbestyrelser", "Kære h&#x4;i", 23),
    ],
    ids=["front-matter", "body"],
)
def test_a_letter_with_a_decoded_character_fails_alone(
    old: str, new: str, line: int, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(SECOND, project / "source" / "second")
    second = project / "source" / "second" / "second.da.md"
    text = second.read_text("utf-8")
    second.write_text(text.replace(old, new, 1), "utf-8")
    assert main(["publish", "--lang", "en", "--format", "html"]) == 1
    err = capsys.readouterr().err
    assert "second: not published" in err, err
    assert f"source/second/second.da.md:{line}: " in err, err
    assert (project / "build" / "en" / "letter.en.html").is_file()
    assert not list((project / "build").glob("*/second.*"))
    for command in (["lint", "en"], ["status"]):
        assert main(command) == 1
        out = capsys.readouterr()
        assert f"source/second/second.da.md:{line}: " in out.out + out.err
