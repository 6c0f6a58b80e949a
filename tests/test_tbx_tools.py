"""The glossary both ways with Translate Toolkit's TBX storage (``translate.storage.tbx``):
what it writes, klpublish reads (a term added without languages, regions, other
languages, ``ntig``, TBX's administrative elements), an unusable entry is left
out with its line instead of the whole glossary; what klpublish ships, it reads
with the preferred term first and every alternative."""

from __future__ import annotations

from pathlib import Path

import pytest
from translate.storage import tbx

from helpers import ROOT
from klpublish.__main__ import run
from klpublish.catalogs.glossary import MAX_SKIPPED_SAID, parse_glossary
from klpublish.catalogs.glossary_terms import Glossary
from klpublish.catalogs.po import load_catalog
from test_glossary import set_translation

EN = Path("locale/en/LC_MESSAGES/letter.po")
GLOSSARY = Path("locale/en/glossary.tbx")
SHIPPED = sorted(p.name for p in (ROOT / "locale").iterdir() if p.is_dir())
SUMMIT = "I år ligger topmødet"
"""A segment whose Danish says "topmødet" and whose English says "summit"; no
shipped glossary has the term."""


def glossary_lines(lines: list[str]) -> list[str]:
    return [x for x in lines if "glossary" in x]


# -- done when: a glossary edited through Translate Toolkit, used by lint -----------


@pytest.mark.parametrize(
    "languages",
    [
        {},  # as a translator opens it: Translate Toolkit writes 'en' and 'xx'
        {"sourcelanguage": "da", "targetlanguage": "en"},
        {"sourcelanguage": "da", "targetlanguage": "en-GB"},
    ],
    ids=["no-languages", "da-en", "da-en-GB"],
)
def test_a_term_added_through_translate_toolkit_is_used_by_lint(
    project: Path, languages: dict[str, str]
) -> None:
    store = tbx.tbxfile(GLOSSARY.read_bytes(), **languages)
    unit = store.addsourceunit("topmøde")
    unit.target = "summit"
    unit.addnote("KL's yearly meeting of local politicians.", origin="translator")
    GLOSSARY.write_bytes(bytes(store))
    lines, code = run(["lint", "en"])
    assert code == 0 and not glossary_lines(lines), lines  # every segment says "summit"

    line = set_translation(SUMMIT, ("the summit will take place", "the meeting will be held"))
    lines, code = run(["lint", "en"])
    expected = (
        f"{EN}:{line}: warning: msgstr does not use the glossary's translation of "
        f"'topmøde': expected 'summit' (see {GLOSSARY}:"
    )
    found = glossary_lines(lines)
    assert code == 0 and len(found) == 1 and found[0].startswith(expected), lines


def test_a_term_translate_toolkit_wrote_without_languages_is_located(project: Path) -> None:
    """The placeholder languages are read by place, not matched by name: in the
    English glossary the 'en' langSet Translate Toolkit writes holds the Danish."""
    store = tbx.tbxfile(GLOSSARY.read_bytes())
    store.addsourceunit("topmøde").target = "top meeting"
    GLOSSARY.write_bytes(bytes(store))
    assert b'<langSet xml:lang="en"><tig><term>topm\xc3\xb8de' in GLOSSARY.read_bytes()
    assert b'<langSet xml:lang="xx">' in GLOSSARY.read_bytes()
    lines, code = run(["lint", "en"])
    found = glossary_lines(lines)
    # "topmødet"; the other segment's "Topmøde" is in a longer term, the summit's name.
    assert code == 0 and len(found) == 1, lines
    line = next(int(m.lineno) for m in load_catalog(EN) if str(m.id).startswith(SUMMIT))
    assert found[0].startswith(f"{EN}:{line}: warning: msgstr does not use the glossary's "), lines
    assert "of 'topmøde': expected 'top meeting'" in found[0], lines


# -- what Translate Toolkit and other TBX tools write, read leniently ---------------

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX" xml:lang="da"><text><body>\n'
TAIL = "</body></text></martif>\n"


def tig(term: str, *notes: str) -> str:
    return f"<tig><term>{term}</term>{''.join(notes)}</tig>"


def lang_set(code: str, *terms: str) -> str:
    return f'<langSet xml:lang="{code}">{"".join(terms)}</langSet>'


def entry(*parts: str) -> str:
    return f"<termEntry>{''.join(parts)}</termEntry>\n"


def read(lang: str, *entries: str) -> Glossary:
    return parse_glossary((HEAD + "".join(entries) + TAIL).encode(), "g.tbx", lang)


def pairs(glossary: Glossary) -> list[tuple[list[str], list[str]]]:
    return [([t.text for t in e.source], [t.text for t in e.targets]) for e in glossary.entries]


ADMIN = (
    '<admin type="source">KL</admin>'
    '<adminGrp><admin type="responsibility">x</admin><adminNote type="x">y</adminNote></adminGrp>'
    '<descripGrp><descrip type="definition">A council.</descrip>'
    '<admin type="source">z</admin></descripGrp>'
    '<transacGrp><transac type="transactionType">origination</transac>'
    '<date>2024-01-01</date><transacNote type="responsibility">me</transacNote></transacGrp>'
    '<ref type="crossReference" target="e2">see</ref><xref target="https://kl.dk">KL</xref>'
    '<note>n</note><descrip type="context">c</descrip>'
)

LENIENT = {
    "region-subtags": (
        "de",
        entry(lang_set("da-DK", tig("kommune")), lang_set("de-DE", tig("Gemeinde"))),
        (["kommune"], ["Gemeinde"]),
    ),
    "region-subtag-case": (
        "pt_BR",
        entry(lang_set("DA", tig("kommune")), lang_set("pt-br", tig("município"))),
        (["kommune"], ["município"]),
    ),
    "language-of-a-regional-glossary": (
        "de_AT",
        entry(lang_set("da", tig("kommune")), lang_set("de", tig("Gemeinde"))),
        (["kommune"], ["Gemeinde"]),
    ),
    "other-region-ignored": (
        "pt_BR",
        entry(
            lang_set("da", tig("kommune")),
            lang_set("pt-PT", tig("concelho")),
            lang_set("pt-BR", tig("município")),
        ),
        (["kommune"], ["município"]),
    ),
    "third-language-ignored": (
        "de",
        entry(
            lang_set("da", tig("kommune")),
            lang_set("sv", tig("kommun")),
            lang_set("de", tig("Gemeinde")),
            lang_set("en", tig("municipality")),
        ),
        (["kommune"], ["Gemeinde"]),
    ),
    "ntig": (
        "de",
        entry(
            lang_set("da", "<ntig><termGrp><term>kommune</term></termGrp></ntig>"),
            lang_set(
                "de",
                "<ntig><termGrp><term>Gemeinde</term>"
                '<termNote type="partOfSpeech">noun</termNote></termGrp>'
                '<admin type="source">x</admin><note>n</note></ntig>',
                tig("Kommune"),
            ),
        ),
        (["kommune"], ["Gemeinde", "Kommune"]),
    ),
    "admin-elements": (
        "de",
        entry(
            ADMIN,
            lang_set("da", ADMIN, tig("kommune", ADMIN)),
            lang_set("de", tig("Gemeinde", '<termNote type="grammaticalGender">f</termNote>')),
            ADMIN,
        ),
        (["kommune"], ["Gemeinde"]),
    ),
    "translate-toolkit-notes": (
        "de",
        entry(
            lang_set("da", tig("kommune")),
            lang_set("de", tig("Gemeinde")),
            '<note from="translator">hi</note><descrip>def</descrip>',
        ),
        (["kommune"], ["Gemeinde"]),
    ),
    "no-languages-by-place": (
        "de",
        entry(lang_set("en", tig("kommune")), lang_set("xx", tig("Gemeinde"))),
        (["kommune"], ["Gemeinde"]),
    ),
    "no-languages-in-the-english-glossary": (
        "en",
        entry(lang_set("en", tig("kommune")), lang_set("xx", tig("municipality"))),
        (["kommune"], ["municipality"]),
    ),
    "no-target-language": (
        "de",
        entry(lang_set("da", tig("kommune")), lang_set("xx", tig("Gemeinde"))),
        (["kommune"], ["Gemeinde"]),
    ),
    "deprecated-term-not-allowed": (
        "de",
        entry(
            lang_set("da", tig("kommune")),
            lang_set(
                "de",
                tig(
                    "Kommune",
                    '<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>',
                ),
                tig(
                    "Gemeinde",
                    '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>',
                ),
                "<ntig><termGrp><term>Stadt</term></termGrp>"
                '<termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></ntig>',
            ),
        ),
        (["kommune"], ["Gemeinde"]),
    ),
    "only-another-language": (
        "en",
        entry(lang_set("da", tig("kommune")), lang_set("de", tig("Gemeinde"))),
        (["kommune"], []),  # no English term: not checked
    ),
}


@pytest.mark.parametrize("name", sorted(LENIENT))
def test_what_tbx_tools_write_is_read(name: str) -> None:
    lang, text, expected = LENIENT[name]
    glossary = read(lang, text)
    assert pairs(glossary) == [expected] and not glossary.skipped


def test_a_name_marked_in_an_ntig_is_a_name() -> None:
    name = '<termNote type="partOfSpeech">properNoun</termNote>'
    glossary = read(
        "de",
        entry(
            lang_set("da", f"<ntig><termGrp><term>KL</term>{name}</termGrp></ntig>"),
            lang_set("de", f"<ntig><termGrp><term>KL</term></termGrp>{name}</ntig>"),
        ),
    )
    [one] = glossary.entries
    assert one.source[0].name and one.targets[0].name


# -- an unusable entry: left out with its line, the rest used -------------------------

UNUSABLE = {
    # name: (entry, its line in the file, what the warning says)
    "languages-not-given": (
        entry(lang_set("en", tig("kommune")), lang_set("de", tig("Gemeinde"))),
        'entry has no Danish term: expected <langSet xml:lang="da"> with a <tig><term> '
        "(its languages: 'en', 'de')",
    ),
    "no-language": (
        entry("<langSet>" + tig("kommune") + "</langSet>", lang_set("de", tig("Gemeinde"))),
        "entry has no Danish term",
    ),
    "empty-term": (
        entry(lang_set("da", tig("kommune")), lang_set("de", tig("  "))),
        "<term> is empty: expected its text",
    ),
    "no-letters": (
        entry(lang_set("da", tig("–")), lang_set("de", tig("x"))),
        "<term> has no letters or digits",
    ),
    "stray-element": (
        entry(lang_set("da", tig("kommune")), lang_set("de", tig("x<b>y</b>"))),
        "unexpected <b>: expected only text in <term>",
    ),
    "ntig-without-termGrp": (
        entry(lang_set("da", "<ntig><term>kommune</term></ntig>"), lang_set("de", tig("x"))),
        "unexpected <term>: expected <termGrp>",
    ),
    "too-long": (
        entry(lang_set("da", tig("kommune")), lang_set("de", tig("x" * 201))),
        "<term> is longer than 200 characters",
    ),
}


@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_an_unusable_entry_is_left_out_with_its_line(name: str) -> None:
    bad, says = UNUSABLE[name]
    good = entry(lang_set("da", tig("borgmester")), lang_set("de", tig("Bürgermeister")))
    glossary = read("de", good, bad, good)
    assert pairs(glossary) == [(["borgmester"], ["Bürgermeister"])] * 2
    [skipped] = glossary.skipped
    assert skipped.location is not None and str(skipped.location) == "g.tbx:4"
    assert says in skipped.message


def test_lint_names_an_unusable_entry_and_uses_the_rest(project: Path) -> None:
    """Given English as the target and no source language, Translate Toolkit writes
    the source as 'en' and then the target over it: an entry with no Danish, named
    at its line; the glossary's other terms still check the catalog, and lint
    passes (a warning)."""
    store = tbx.tbxfile(GLOSSARY.read_bytes(), targetlanguage="en")
    store.addsourceunit("topmøde").target = "summit"
    GLOSSARY.write_bytes(bytes(store))
    text = GLOSSARY.read_text("utf-8").splitlines()
    line = next(n for n, x in enumerate(text, 1) if "<term>summit</term>" in x)
    council = set_translation("Selvom de 98 kommunalbestyrelser", ("municipal councils", "boards"))
    lines, code = run(["lint", "en"])
    found = glossary_lines(lines)
    assert code == 0, lines
    assert found[0].startswith(
        f"{GLOSSARY}:{line - 1}: warning: glossary entry not used: entry has no Danish term"
    ), lines
    assert found[0].endswith("(its languages: 'en')"), lines
    assert found[1].startswith(f"{EN}:{council}: warning: msgstr does not use"), lines
    assert len(found) == 2, lines


def test_thousands_of_unusable_entries_are_counted_not_listed(project: Path) -> None:
    bad = entry(lang_set("da", tig("–")), lang_set("en", tig("x")))
    GLOSSARY.write_text(HEAD + bad * 5000 + TAIL, encoding="utf-8")
    lines, code = run(["lint", "en"])
    found = glossary_lines(lines)
    assert code == 0 and len(found) == MAX_SKIPPED_SAID + 1, lines[:30]
    assert found[-1] == (
        f"{GLOSSARY}:{MAX_SKIPPED_SAID + 3}: warning: and {5000 - MAX_SKIPPED_SAID} "
        "more glossary entries not used"
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (HEAD.replace("<text><body>", "<text><body><foo/>") + TAIL, "unexpected <foo>"),
        (HEAD.replace("<text>", "<text><body/>") + TAIL, "expected one <body>"),
        (HEAD.replace("martif", "tbx", 1) + TAIL.replace("martif", "tbx"), "unexpected <tbx>"),
    ],
)
def test_the_frame_of_the_file_is_still_held(project: Path, text: str, says: str) -> None:
    """Leniency is inside entries: a file that is not TBX is refused whole."""
    GLOSSARY.write_text(text, encoding="utf-8")
    lines, code = run(["lint", "en"])
    refused = [x for x in lines if "glossary not used" in x]
    assert code == 1 and len(refused) == 1 and says in refused[0], lines


# -- what klpublish ships, Translate Toolkit reads, alternatives included -----------


@pytest.mark.parametrize("lang", SHIPPED)
@pytest.mark.parametrize("languages", [False, True], ids=["as-opened", "languages-given"])
def test_translate_toolkit_reads_the_shipped_glossary_preferred_term_first(
    lang: str, languages: bool
) -> None:
    """Translate Toolkit and Weblate show a langSet's first term: it is the
    preferred one klpublish names first; every alternative is there for both."""
    data = (ROOT / "locale" / lang / "glossary.tbx").read_bytes()
    ours = parse_glossary(data, "g", lang)
    kwargs = {"sourcelanguage": "da", "targetlanguage": lang} if languages else {}
    units = tbx.tbxfile(data, **kwargs).units
    assert [u.source for u in units] == [e.source[0].text for e in ours.entries]
    assert [u.target for u in units] == [e.targets[0].text for e in ours.entries]
    theirs = [
        ([t.text for t in u.get_source_terms()], [t.text for t in u.get_target_terms()])
        for u in units
    ]
    assert theirs == pairs(ours)
    assert any(len(s) > 1 or len(t) > 1 for s, t in theirs)  # alternatives shipped


@pytest.mark.parametrize("lang", SHIPPED)
def test_the_shipped_glossary_saved_by_translate_toolkit_reads_the_same(lang: str) -> None:
    """Translate Toolkit re-indents the file and keeps every element: klpublish then
    reads the same terms, alternatives and names."""
    data = (ROOT / "locale" / lang / "glossary.tbx").read_bytes()
    saved = bytes(tbx.tbxfile(data, sourcelanguage="da", targetlanguage=lang))
    assert saved != data
    before, after = parse_glossary(data, "g", lang), parse_glossary(saved, "g", lang)
    assert [(e.source, e.targets) for e in after.entries] == [
        (e.source, e.targets) for e in before.entries
    ]
    assert not after.skipped


@pytest.mark.parametrize("languages", [False, True], ids=["as-opened", "languages-given"])
def test_alternatives_added_through_translate_toolkit_are_read(
    project: Path, languages: bool
) -> None:
    kwargs = {"sourcelanguage": "da", "targetlanguage": "en"} if languages else {}
    store = tbx.tbxfile(GLOSSARY.read_bytes(), **kwargs)
    [council] = [u for u in store.units if u.source == "kommunalbestyrelse"]
    council.set_target_terms(["municipal council", "local council"])
    added = store.addsourceunit("topmøde")
    added.target = "summit"
    added.set_target_terms(["summit", "top meeting"])
    GLOSSARY.write_bytes(bytes(store))

    ours = parse_glossary(GLOSSARY.read_bytes(), "g", "en")
    theirs = tbx.tbxfile(GLOSSARY.read_bytes(), **kwargs).units
    assert [u.target for u in theirs] == [e.targets[0].text for e in ours.entries]
    got = {e.source[0].text: [t.text for t in e.targets] for e in ours.entries}
    assert got["kommunalbestyrelse"] == ["municipal council", "local council"]
    assert got["topmøde"] == ["summit", "top meeting"]
    # An alternative will do: "local councils" for "municipal councils".
    set_translation("Selvom de 98 kommunalbestyrelser", ("municipal councils", "local councils"))
    set_translation(SUMMIT, ("the summit will", "the top meeting will"))
    lines, code = run(["lint", "en"])
    assert code == 0 and not glossary_lines(lines), lines


def test_an_unusable_entry_is_said_once_for_every_letter(project: Path) -> None:
    """Every letter of a language is checked against one glossary: its line once."""
    Path("source/copy.da.md").write_bytes(Path("source/letter.da.md").read_bytes())
    Path("locale/en/LC_MESSAGES/copy.po").write_bytes(EN.read_bytes())
    GLOSSARY.write_text(HEAD + entry(lang_set("en", tig("x"))) + TAIL, encoding="utf-8")
    lines, code = run(["lint", "en"])
    assert code == 0 and glossary_lines(lines) == [
        f"{GLOSSARY}:3: warning: glossary entry not used: entry has no Danish term: expected "
        "<langSet xml:lang=\"da\"> with a <tig><term> (its languages: 'en')"
    ], lines
