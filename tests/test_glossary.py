"""The glossary per language: terms found in any inflection, warnings located in
the catalog, counted by status, and a hostile glossary file refused with its line,
unread beyond itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from helpers import ROOT, copy_project
from klpublish.__main__ import run
from klpublish.catalogs.glossary import (
    MAX_BYTES,
    Entry,
    Glossary,
    Term,
    missing_terms,
    parse_glossary,
    read_glossary,
    terms_held,
    uses_form,
    xml_parser,
)
from klpublish.catalogs.po import load_catalog
from klpublish.errors import CatalogError, Location
from klpublish.project import DEFAULT_SOURCE, Layout

EN = Path("locale/en/LC_MESSAGES/letter.po")
GLOSSARY = Path("locale/en/glossary.tbx")
SHIPPED = sorted(p.name for p in (ROOT / "locale").iterdir() if p.is_dir())
COUNCILS = "Selvom de 98 kommunalbestyrelser"


def entry(danish: str, *allowed: str, name: bool = False) -> Entry:
    return Entry(
        (Term(danish, name),), tuple(Term(a, name) for a in allowed), "", Location("g.tbx", 1)
    )


def set_translation(prefix: str, change: tuple[str, str]) -> int:
    """Change one English msgstr (``old`` -> ``new`` in it); return the entry's line."""
    with EN.open("rb") as handle:
        catalog = read_po(handle)
    [message] = [m for m in catalog if m.id and m.id.startswith(prefix)]
    assert change[0] in message.string
    message.string = message.string.replace(*change)
    with EN.open("wb") as handle:
        write_po(handle, catalog, width=76)
    found = load_catalog(EN).get(message.id, message.context)
    assert found is not None
    return int(found.lineno)


def status_rows() -> dict[str, dict[str, object]]:
    lines, code = run(["status", "--json"])
    assert code == 0, lines
    return {r["lang"]: r for r in json.loads(lines[0])}


# -- the shipped glossaries -------------------------------------------------------


def test_every_shipped_language_has_a_glossary_its_catalog_passes(project: Path) -> None:
    layout = Layout(DEFAULT_SOURCE)
    for lang in SHIPPED:
        path = layout.project.glossary(lang)
        assert path is not None, lang
    lines, code = run(["lint"])
    assert code == 0, lines
    assert not [x for x in lines if "glossary" in x], lines
    rows = status_rows()
    assert {lang: rows[lang]["glossary"] for lang in SHIPPED} == dict.fromkeys(SHIPPED, 0)
    assert all(rows[lang]["glossary_error"] == "" for lang in SHIPPED)


def test_shipped_glossaries_check_the_letter_and_open_in_translate_toolkit(
    project: Path,
) -> None:
    """Not vacuous: each glossary's terms are held by many of the letter's
    segments, and Translate Toolkit reads the same terms from the file."""
    from translate.storage import tbx

    for lang in SHIPPED:
        data = Path(f"locale/{lang}/glossary.tbx").read_bytes()
        glossary = parse_glossary(data, "g", lang)
        catalog = load_catalog(Path(f"locale/{lang}/LC_MESSAGES/letter.po"), lang)
        held = sum(len(terms_held(glossary, str(m.id))) for m in catalog if m.id)
        assert held >= 40, (lang, held)
        units = tbx.tbxfile(data).units
        assert [u.source for u in units] == [e.source[0].text for e in glossary.entries]
        assert [u.target for u in units] == [e.targets[0].text for e in glossary.entries]


# -- lint and status --------------------------------------------------------------


def test_lint_names_the_line_of_a_planted_violation_and_status_counts_it(
    project: Path,
) -> None:
    # The Danish says "kommunalbestyrelser" and "kommunalbestyrelserne": inflected.
    line = set_translation(COUNCILS, ("municipal councils", "local boards"))
    lines, code = run(["lint", "en"])
    expected = (
        f"{EN}:{line}: warning: msgstr does not use the glossary's translation of "
        "'kommunalbestyrelse': expected 'municipal council' (see locale/en/glossary.tbx:"
    )
    assert code == 0, lines  # a warning: publishing goes on
    found = [x for x in lines if "glossary" in x]
    assert len(found) == 1 and found[0].startswith(expected), lines
    rows = status_rows()
    assert rows["en"]["glossary"] == 1 and rows["en"]["published"] is True
    assert rows["de"]["glossary"] == 0
    table, _ = run(["status"])
    assert table[0].split()[-1] == "glossary"
    assert next(x for x in table if x.startswith("en ")).split()[-1] == "1"


def test_a_fuzzy_or_untranslated_entry_is_not_checked(project: Path) -> None:
    set_translation(COUNCILS, ("municipal councils", "local boards"))
    with EN.open("rb") as handle:
        catalog = read_po(handle)
    [message] = [m for m in catalog if m.id and m.id.startswith(COUNCILS)]
    message.flags.add("fuzzy")
    with EN.open("wb") as handle:
        write_po(handle, catalog, width=76)
    lines, code = run(["lint", "en"])
    assert code == 0 and not [x for x in lines if "glossary" in x], lines


def test_no_glossary_is_no_glossary(project: Path) -> None:
    set_translation(COUNCILS, ("municipal councils", "local boards"))
    GLOSSARY.unlink()
    lines, code = run(["lint", "en"])
    assert code == 0 and not [x for x in lines if "glossary" in x], lines
    assert status_rows()["en"]["glossary"] == 0


# -- matching ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "danish",
    [
        "Kære kommunalbestyrelse",
        "kommunalbestyrelsen mødes",
        "alle kommunalbestyrelserne",
        "kommunalbestyrelsernes forening",
        "KOMMUNALBESTYRELSER",
    ],
)
def test_the_danish_holds_a_term_in_any_inflection(danish: str) -> None:
    glossary = Glossary("en", (entry("kommunalbestyrelse", "municipal council"),))
    assert terms_held(glossary, danish) == list(glossary.entries)
    assert missing_terms(glossary, danish, "the boards") == list(glossary.entries)
    assert missing_terms(glossary, danish, "the municipal councils’ association") == []


@pytest.mark.parametrize(
    ("danish", "held"),
    [
        ("KL's opgave", True),
        ("KL er til for jer", True),
        ("mødet kl. 10", False),  # klokken: a name matches only as written
        ("på Christiansborg", True),
        ("Christiansborgs rolle", True),  # Danish genitive
        ("kommunalbestyrelsesmedlemmer", False),  # a compound is its own term
        ("[www.facebook.com/kommunerne](https://www.facebook.com/kommunerne)", False),
    ],
)
def test_names_match_as_written_and_addresses_are_not_words(danish: str, held: bool) -> None:
    glossary = Glossary(
        "en",
        (
            entry("KL", "KL", name=True),
            entry("Christiansborg", "Christiansborg", name=True),
            entry("kommunalbestyrelse", "municipal council"),
            entry("kommune", "municipality"),
        ),
    )
    assert bool(terms_held(glossary, danish)) is held


def test_a_term_inside_a_longer_held_term_does_not_count() -> None:
    name = entry("Kommunernes Landsforening", "Local Government Denmark", name=True)
    glossary = Glossary("en", (entry("kommune", "municipality"), name))
    assert terms_held(glossary, "KL – Kommunernes Landsforening") == [name]
    assert missing_terms(glossary, "Kommunernes Landsforening", "Local Government Denmark") == []
    assert len(terms_held(glossary, "kommunerne og Kommunernes Landsforening")) == 2


@pytest.mark.parametrize(
    ("lang", "form", "translation", "uses"),
    [
        ("en", "municipal council", "the 98 municipal councils", True),
        ("en", "municipal council", "the local boards", False),
        ("en", "member of the municipal council", "members of the new municipal councils", True),
        ("de", "Kommunalvertretung", "der Kommunalvertretungen", True),
        ("de", "Kommunalvertretung", "der Gemeinderäte", False),
        ("pl", "rada gminy", "rad gmin", True),
        ("pl", "członkowie rad gmin", "do wszystkich członków rad gmin", True),
        ("pl", "rada gminy", "radnych", False),
        ("tr", "belediye", "belediyelerin", True),
        ("tr", "belediye", "komün", False),
        ("ar", "التشغيل", "والنمو والتشغيل", True),
        ("ar", "التشغيل", "والنمو والتوظيف", False),
        ("fa", "شهرداری", "همهٔ شهرداری‌ها", True),
        ("fa", "اشتغال", "کار", False),
        # Ukrainian: no Snowball stemmer; the form less its final vowels begins a word.
        ("uk", "муніципальна рада", "членам муніципальних рад", True),
        ("uk", "громада", "громади", True),
        ("uk", "муніципальна рада", "членам місцевих рад", False),
    ],
)
def test_a_translation_uses_an_allowed_form_in_any_inflection(
    lang: str, form: str, translation: str, uses: bool
) -> None:
    assert uses_form(form, translation, lang) is uses


# -- a glossary file is untrusted input ------------------------------------------

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
TERMS = (
    '<martif type="TBX" xml:lang="da"><text><body>\n'
    '<termEntry><langSet xml:lang="da"><tig><term>{da}</term></tig></langSet>\n'
    '<langSet xml:lang="en"><tig><term>{en}</term></tig></langSet></termEntry>\n'
    "</body></text></martif>\n"
)
SECRET = "glossary-canary-7f3a9c"


def canary(tmp_path: Path) -> Path:
    path = tmp_path / "canary.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


CASES: dict[str, tuple[str, int, str]] = {
    # name: (file text, line, what the error says)
    "not-xml": ("kommune = municipality\n", 1, "not well-formed XML"),
    "unclosed": (HEAD + "<martif>\n<text>\n", 4, "not well-formed XML"),
    "entities": (
        HEAD
        + '<!DOCTYPE martif [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;">\n]>\n'
        + TERMS.format(da="&b;", en="x"),
        2,
        "has a DOCTYPE with declarations: expected TBX without entities or a DTD subset",
    ),
    "passwd": (
        HEAD
        + '<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + TERMS.format(da="kommune", en="&xxe;"),
        2,
        "has a DOCTYPE",
    ),
    "canary": (
        HEAD
        + '<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://CANARY">]>\n'
        + TERMS.format(da="&xxe;", en="x"),
        2,
        "has a DOCTYPE",
    ),
    "wrong-root": (HEAD + "<tbx>\n</tbx>\n", 2, "unexpected <tbx>: expected <martif> (TBX)"),
    # An entry that cannot be used is left out with its line: tests/test_tbx_tools.py.
    "huge": (HEAD + "<martif>" + " " * MAX_BYTES + "</martif>", 0, "larger than"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_broken_or_hostile_glossary_is_refused_with_its_line(project: Path, name: str) -> None:
    text, line, says = CASES[name]
    GLOSSARY.write_text(text.replace("CANARY", str(canary(project))), encoding="utf-8")
    lines, code = run(["lint", "en"])
    where = f"{GLOSSARY}:{line}: " if line else f"{GLOSSARY}: "
    refused = [x for x in lines if x.startswith(where + "glossary not used: ")]
    assert code == 1 and len(refused) == 1 and says in refused[0], lines
    assert SECRET not in "\n".join(lines) and "root:" not in "\n".join(lines)
    rows = status_rows()
    assert says in str(rows["en"]["glossary_error"]) and rows["en"]["published"] is True
    table, _ = run(["status"])
    assert next(x for x in table if x.startswith("en ")).split()[-1] == "refused"


def test_the_parser_expands_no_entity_and_reads_no_other_file(tmp_path: Path) -> None:
    """Below the DOCTYPE refusal: the parser the glossary is read with leaves a
    named file unread (a canary stands for /etc/passwd)."""
    from lxml import etree

    text = (
        HEAD
        + f'<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://{canary(tmp_path)}">]>\n'
        + TERMS.format(da="kommune", en="&xxe;")
    )
    tree = etree.fromstring(text.encode(), xml_parser())
    assert SECRET not in etree.tostring(tree).decode()
    with pytest.raises(CatalogError) as caught:
        parse_glossary(text.encode(), "g.tbx", "en")
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    ("doctype", "refused"),
    [
        ('<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://{fifo}">]>', True),
        ('<!DOCTYPE martif SYSTEM "file://{fifo}">', False),
    ],
)
def test_a_file_the_glossary_names_is_never_opened(
    tmp_path: Path, doctype: str, refused: bool
) -> None:
    """An entity or an external DTD naming a FIFO no one writes: a parser that
    opened it would wait forever. The run must end well within its deadline."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    project = copy_project(tmp_path / "p")
    term = "&xxe;" if refused else "municipal council"
    (project / GLOSSARY).write_text(
        HEAD + doctype.format(fifo=fifo) + "\n" + TERMS.format(da="kommunalbestyrelse", en=term),
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "klpublish", "lint", "en"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if refused:
        assert proc.returncode == 1 and "has a DOCTYPE with declarations" in proc.stderr
    else:
        assert proc.returncode == 0 and "glossary" not in proc.stdout, proc.stdout


def test_a_glossary_as_translate_toolkit_writes_it_is_read(project: Path) -> None:
    """Its DOCTYPE (an external DTD, never loaded) and notes are accepted."""
    from translate.storage import tbx

    written = tbx.tbxfile(sourcelanguage="da", targetlanguage="en")
    unit = written.addsourceunit("kommunalbestyrelse")
    unit.target = "local board"
    unit.addnote("The elected council of a municipality.", origin="translator")
    GLOSSARY.write_bytes(bytes(written))
    assert b"<!DOCTYPE martif PUBLIC" in GLOSSARY.read_bytes()
    lines, code = run(["lint", "en"])
    found = [x for x in lines if "glossary" in x]
    assert code == 0 and len(found) == 4, lines  # every segment says "municipal council"
    assert all("expected 'local board'" in x for x in found)


@pytest.mark.parametrize("kind", ["symlink-out", "fifo", "folder"])
def test_a_glossary_that_is_not_a_file_inside_locale_is_refused_unread(
    project: Path, kind: str
) -> None:
    GLOSSARY.unlink()
    if kind == "symlink-out":
        GLOSSARY.symlink_to(canary(project))
        says = "leads outside locale/ (a symbolic link): expected a TBX file inside it"
    elif kind == "fifo":
        os.mkfifo(GLOSSARY)
        says = "is a FIFO (named pipe), not a regular file: expected a TBX file"
    else:
        GLOSSARY.mkdir()
        says = "is a folder: expected a TBX file"
    lines, code = run(["lint", "en"])
    assert code == 1 and f"{GLOSSARY}: glossary not used: {says}" in lines, lines
    assert SECRET not in "\n".join(lines)


def test_a_fifo_swapped_in_after_the_check_is_not_waited_on(tmp_path: Path) -> None:
    """``read_glossary`` itself, as when a FIFO replaces the file between the
    layout's check and the read: refused at once, never waited on."""
    import threading

    fifo = tmp_path / "glossary.tbx"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def read() -> None:
        try:
            read_glossary(fifo, "g.tbx", "en")
            outcome.append(None)
        except CatalogError as exc:
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # release the reader, then fail
        with open(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK), "wb"):
            pass
        reader.join(10)
        pytest.fail("read_glossary waited on a FIFO")
    [error] = outcome
    assert isinstance(error, CatalogError)
    assert str(error) == "g.tbx: is a FIFO (named pipe), not a regular file: expected a TBX file"


@pytest.mark.parametrize(
    "msgstr",
    ["KL" + "x" * 400_000, "KL " + "a@" * 200_000, "KL " + "](" * 200_000, "KL " + "`" * 200_001],
)
def test_a_huge_translation_is_weighed_in_linear_time(msgstr: str) -> None:
    """A translator's long msgstr (still under the length limit of a long source) must
    not make the word search try every start against every end: it would hang lint."""
    script = (
        "import sys; from klpublish.catalogs.glossary import missing_terms, parse_glossary\n"
        "g = parse_glossary(open(sys.argv[1], 'rb').read(), 'g.tbx', 'en')\n"
        "missing_terms(g, 'KL ' + 'ord ' * 100_000, sys.stdin.read())\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(ROOT / "locale" / "en" / "glossary.tbx")],
        input=msgstr,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def _tbx(entries: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f'<termEntry id="e{n}"><langSet xml:lang="da"><tig><term>{da}</term></tig></langSet>'
        f'<langSet xml:lang="en"><tig><term>{en}</term></tig></langSet></termEntry>'
        for n, (da, en) in enumerate(entries)
    )
    return (
        '<?xml version="1.0"?><martif type="TBX" xml:lang="da"><martifHeader><fileDesc>'
        f"<sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader><text><body>{body}"
        "</body></text></martif>"
    ).encode()


@pytest.mark.parametrize(
    ("entries", "danish", "translation"),
    [
        # A long allowed form whose words repeat in the translation: tried place by
        # place without memory, the search doubles with every word.
        ([("kommune", " ".join(["aa"] * 24 + ["zz"]))], "kommune", " ".join(["aa"] * 400)),
        # Thousands of entries of one short term, all held by one sentence.
        ([("og", f"and{n}") for n in range(6000)], "og " * 8, "and"),
    ],
)
def test_a_hostile_glossary_is_weighed_in_polynomial_time(
    tmp_path: Path, entries: list[tuple[str, str]], danish: str, translation: str
) -> None:
    (tmp_path / "g.tbx").write_bytes(_tbx(entries))
    script = (
        "import sys; from klpublish.catalogs.glossary import missing_terms, parse_glossary\n"
        "g = parse_glossary(open(sys.argv[1], 'rb').read(), 'g.tbx', 'en')\n"
        "print(len(missing_terms(g, sys.argv[2], sys.argv[3])))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "g.tbx"), danish, translation],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) >= 1  # the term is held, and its form is missing
