"""A translator's text stays text: what a msgstr may hold, how it is read, and
catalogs that are files in the tree. (Single hostile strings are the cases in
``bad-translations/``; these are the ones that need more than one entry.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po, write_po

from helpers import ROOT, translated_letter
from klpublish.__main__ import main
from klpublish.catalogs.po import load_catalog
from klpublish.translation.translate import sanitise
from test_translation_checks import EN, put_translation

CORPUS = Path(__file__).parent / "corpus"
DE = Path("locale/de/LC_MESSAGES/letter.po")


def lint_report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["lint", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


# -- how a translation is read ------------------------------------------------------


@pytest.mark.slow
def test_brackets_do_not_hang_the_reader(project: Path) -> None:
    """Pandoc's citation parser is exponential on nested brackets (25 never
    finished) and its link parser worse than quadratic (1,600 took 35 s):
    translations are read without the first, and refused, located, before
    pandoc reads them when they hold many more brackets than their source."""
    for count, refused in ((18, False), (40, True), (3000, True)):
        line = put_translation("Vi glæder os", "We look forward " + "[" * count + " to it.")
        proc = subprocess.run(
            [sys.executable, "-m", "klpublish", "lint", "en"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == int(refused), proc.stdout + proc.stderr
        if refused:
            assert (
                f"locale/en/LC_MESSAGES/letter.po:{line}: msgstr has {count} more '[' than the "
                "source" in proc.stderr
            ), proc.stderr


@pytest.mark.parametrize(
    ("msgstr", "shown", "not_made"),
    [
        ("it costs between $5 and 10$.", "it costs between $5 and 10$.", 'class="math'),
        ("see [@kl; @doe] and @kl.", "see [@kl; @doe] and @kl.", 'class="citation'),
    ],
    ids=["dollars are money, not math", "an at sign is not a citation"],
)
def test_read_as_text(project: Path, msgstr: str, shown: str, not_made: str) -> None:
    put_translation("Vi glæder os", f"We look forward to it: {msgstr}")
    assert main(["publish", "--lang", "en", "--format", "html"]) == 0
    page = Path("build/en/letter.en.html").read_text(encoding="utf-8")
    assert shown in page
    assert not_made not in page


@pytest.mark.slow
def test_a_letter_with_math_keeps_math_in_its_translations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the letter itself uses comes back to its translations' reader."""
    monkeypatch.chdir(tmp_path)
    text = "---\ntitle: Regnestykke\nlang: da\n---\n\nArealet er $a^2$ kvadratmeter.\n"
    translated_letter(
        text, lambda msgid: "Sum" if msgid == "Regnestykke" else "The area is $a^2$ square metres."
    )
    code, report = lint_report(capsys, "en")
    assert code == 0, report
    assert main(["publish", "--format", "pdf"]) == 0  # PDF/UA: each formula has alt text
    with pikepdf.open("build/en/letter.en.pdf") as pdf:
        alts = [
            str(node.get("/Alt"))
            for node in _struct_nodes(pdf.Root.StructTreeRoot)
            if node.get("/S") == "/Formula"
        ]
    assert alts == ["a^2"]


def _struct_nodes(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    found: list[pikepdf.Dictionary] = []
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found.append(kid)
            found.extend(_struct_nodes(kid))
    return found


# -- what a translation may hold, inside footnotes too -------------------------------


def test_a_footnote_translation_may_not_add_an_image(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    note = "Fodnotens tekst med *vægt*."
    translated_letter(
        (CORPUS / "notes-quotes.md").read_text(encoding="utf-8"),
        lambda msgid: (
            "The note's text with *weight* ![x](/etc/passwd)." if msgid == note else msgid
        ),
    )
    line = load_catalog(EN).get("Fodnotens tekst med *vægt*.").lineno
    code, report = lint_report(capsys, "en")
    assert code == 1
    assert (
        f"locale/en/LC_MESSAGES/letter.po:{line}: msgstr adds the image /etc/passwd, "
        "which the source does not have" in report
    ), report


def test_sanitise_strips_what_lint_would_refuse() -> None:
    """The second line of defence, on its own: attributes the source segment
    lacks are dropped, unsafe links lose their target, raw content is text."""
    source = [{"t": "Str", "c": "Tekst"}]
    hostile = [
        {"t": "Span", "c": [["x", ["evil"], [["onclick", "alert(1)"]]], [{"t": "Str", "c": "a"}]]},
        {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "b"}], ["javascript:alert(1)", ""]]},
        {
            "t": "Image",
            "c": [["", [], [["onerror", "x"]]], [{"t": "Str", "c": "c"}], ["x.png", ""]],
        },
        {"t": "RawInline", "c": ["html", "<script>alert(1)</script>"]},
        {
            "t": "Link",
            "c": [["", [], [["style", "x"]]], [{"t": "Str", "c": "d"}], ["https://www.kl.dk", ""]],
        },
    ]
    clean = sanitise(hostile, source)
    assert clean == [
        {"t": "Span", "c": [["", [], []], [{"t": "Str", "c": "a"}]]},
        {"t": "Str", "c": "b"},
        {"t": "Image", "c": [["", [], []], [{"t": "Str", "c": "c"}], ["x.png", ""]]},
        {"t": "Str", "c": "<script>alert(1)</script>"},
        {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "d"}], ["https://www.kl.dk", ""]]},
    ]


def test_sanitise_keeps_the_source_segments_own_attributes() -> None:
    attr = ["", [], [["lang", "en"]]]
    source = [{"t": "Span", "c": [attr, [{"t": "Str", "c": "Tekst"}]]}]
    translated = [{"t": "Span", "c": [attr, [{"t": "Str", "c": "Text"}]]}]
    assert sanitise(translated, source) == translated


# -- catalogs are files in the tree ---------------------------------------------------

SECRET = "SECRET-LINE-do-not-print"


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path.parent / f"{tmp_path.name}-secret.po"
    secret.write_text(f'msgid "{SECRET}"\nmsgstr "{SECRET}" broken\n', encoding="utf-8")
    return secret


def _refused(capsys: pytest.CaptureFixture[str], message: str) -> None:
    assert main(["publish", "--format", "html"]) == 1
    out = capsys.readouterr()
    report = out.out + out.err
    assert message in report, report
    assert SECRET not in report
    for lang in ("da", "en", "uk", "ar"):  # the others are still built
        assert Path(f"build/{lang}/letter.{lang}.html").is_file()
    assert not Path("build/de").exists()
    assert Path("build/index.html").is_file()
    for command in (["lint"], ["status"], ["update"]):
        main(command)
        out = capsys.readouterr()
        assert SECRET not in out.out + out.err, command


def test_a_catalog_linked_out_of_the_tree_is_refused_unread(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    DE.unlink()
    DE.symlink_to(_secret(tmp_path))
    _refused(
        capsys,
        "locale/de/LC_MESSAGES/letter.po: leads outside locale/ (a symbolic link): "
        "expected a .po file inside it",
    )
    assert main(["update"]) == 1


def test_a_language_folder_linked_out_of_the_tree_is_refused_unread(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    (outside / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(_secret(tmp_path), outside / "LC_MESSAGES" / "letter.po")
    shutil.rmtree("locale/de")
    os.symlink(outside, "locale/de")
    _refused(
        capsys,
        "locale/de/LC_MESSAGES/letter.po: leads outside locale/ (a symbolic link): "
        "expected a .po file inside it",
    )


def test_a_link_inside_the_tree_is_a_catalog_like_any_other(project: Path) -> None:
    shutil.move("locale/de", "locale/de-real")
    os.symlink("de-real", "locale/de")
    assert main(["publish", "--format", "html", "--lang", "de"]) == 0


def test_a_folder_where_a_catalog_should_be_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    DE.unlink()
    DE.mkdir()
    assert main(["publish", "--format", "html"]) == 1
    out = capsys.readouterr()
    assert "locale/de/LC_MESSAGES/letter.po: is a folder: expected a .po file" in out.err
    assert Path("build/en/letter.en.html").is_file()
    assert main(["status"]) == 0
    assert "de: locale/de/LC_MESSAGES/letter.po: is a folder" in capsys.readouterr().out


def test_a_plural_entry_is_a_located_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with DE.open("rb") as handle:
        catalog = read_po(handle)
    [greeting] = [m for m in catalog if m.id == "Venlig hilsen"]
    catalog.delete(greeting.id)
    catalog[("Venlig hilsen", "Venlige hilsener")] = Message(
        ("Venlig hilsen", "Venlige hilsener"), ("Mit freundlichen Grüßen", "Grüße")
    )
    with DE.open("wb") as handle:
        write_po(handle, catalog)
    line = next(
        n
        for n, text in enumerate(DE.read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith('msgid "Venlig hilsen"')
    )
    assert main(["publish", "--format", "html"]) == 1
    err = capsys.readouterr().err
    assert f"locale/de/LC_MESSAGES/letter.po:{line}: entry has msgid_plural" in err, err
    assert "('Mit freundlichen" not in Path("build/index.html").read_text(encoding="utf-8")
    assert not Path("build/de").exists()


# -- bounded work -------------------------------------------------------------------


def test_update_is_not_slowed_by_a_huge_obsolete_entry(project: Path) -> None:
    """Babel's line wrapping is quadratic in the length of one unbroken word: a
    200 000-character obsolete entry took minutes."""
    with DE.open("rb") as handle:
        catalog = read_po(handle)
    huge = Message("a" * 200_000, "b" * 200_000)
    catalog.obsolete[huge.id] = huge
    with DE.open("wb") as handle:
        write_po(handle, catalog, width=0)
    proc = subprocess.run(
        [sys.executable, "-m", "klpublish", "update"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "b" * 200_000 in DE.read_text(encoding="utf-8")  # kept, not dropped


@pytest.mark.parametrize(
    ("msgstr", "message"),
    [
        ("A note[^1] and another[^2] and[^1].", "msgstr repeats a footnote reference"),
        (
            "A paragraph with a note[^1] and another[^2] and[^3].",
            "msgstr refers to footnote [^3], which the source lacks",
        ),
        ("A paragraph with a note[^1] and another.", "msgstr drops the footnote reference [^2]"),
    ],
    ids=["repeated", "stray", "dropped"],
)
def test_footnote_references_are_kept_as_the_source_has_them(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    msgstr: str,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    paragraph = "Et afsnit med en fodnote[^1] og en til[^2]."
    translated_letter(
        (CORPUS / "notes-quotes.md").read_text(encoding="utf-8"),
        lambda msgid: msgstr if msgid == paragraph else msgid,
    )
    line = load_catalog(EN).get(paragraph).lineno
    code, report = lint_report(capsys, "en")
    assert code == 1
    assert f"locale/en/LC_MESSAGES/letter.po:{line}: {message}" in report, report


def test_a_link_may_be_written_as_an_autolink(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``<https://...>`` is a form of link, not an attribute the translator added."""
    with EN.open("rb") as handle:
        catalog = read_po(handle)
    [message] = [m for m in catalog if m.id and "[www.kl.dk](https://www.kl.dk)" in str(m.id)]
    put_translation(
        str(message.id)[:20],
        str(message.string).replace("[www.kl.dk](https://www.kl.dk)", "<https://www.kl.dk>"),
    )
    code, report = lint_report(capsys, "en")
    assert code == 0, report
    assert "<https://www.kl.dk>" in EN.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_layout_word_no_font_has_is_refused_by_lint_too(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """lint, status and publish agree on the layout's words as on the letter's."""
    ours = Path("locale/en/LC_MESSAGES/klpublish.po")
    shipped = ROOT / "src" / "klpublish" / "locale" / "en" / "LC_MESSAGES" / "klpublish.po"
    text = shipped.read_text(encoding="utf-8")
    assert 'msgstr "Page {page} of {total}"' in text
    ours.write_text(text.replace("Page {page}", "页 {page}"), encoding="utf-8")
    line = next(n for n, s in enumerate(ours.read_text().splitlines(), 1) if "页" in s) - 1
    code, report = lint_report(capsys, "en")
    assert code == 1
    assert f"locale/en/LC_MESSAGES/klpublish.po:{line}: no font of the PDF has 页" in report
    assert main(["publish", "--format", "pdf"]) == 1
    assert not Path("build/en").exists() and Path("build/de/letter.de.pdf").is_file()
