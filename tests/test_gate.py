"""Every checker of the accessibility gate is shown to fail on a broken fixture."""

from __future__ import annotations

import contextlib
import itertools
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import typst
from lxml import html as lxml_html

from helpers import AWKWARD, ROOT, copy_project, copy_published, three_letter_project
from klpublish.__main__ import main
from klpublish.catalogs.po import load_catalog, msgfmt_problems
from klpublish.errors import ToolError, display_path
from klpublish.gate import tools
from klpublish.gate.book_findings import image_alts
from klpublish.gate.findings import CHECKERS, Finding, GateReport, guard, per_page_findings
from klpublish.gate.pdf_rules import check_pdf
from klpublish.gate.pdf_text import structure_blocks
from klpublish.gate.published import CheckedPage
from klpublish.gate.reading_order import order_in_pdf, order_in_text, snapshot_text
from klpublish.gate.run import _structure_findings
from klpublish.letter.fonts import font_paths
from klpublish.letter.nodes import plain_text
from klpublish.letter.read import read_letter
from klpublish.segments.walk import sites_of
from klpublish.translation.translate import translate_letter


@pytest.fixture(autouse=True)
def node_checkers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The project copies the gate runs in have no node_modules: this checkout's serve."""
    monkeypatch.setenv(tools.NODE_PROJECT_VARIABLE, str(ROOT))


@pytest.fixture(scope="module")
def site(baseline: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A path with a space and a non-ASCII letter: checkers report such files
    # under percent-encoded URLs, which the gate must still match. A copy: the
    # gate writes its reports into the build.
    root = copy_published(baseline, tmp_path_factory.mktemp("gate") / AWKWARD)
    return root / "build"


@pytest.fixture(scope="module")
def three_letters(baseline: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The gate's acceptance project, published: the shipped letter, the second test
    letter (a figure whose caption is its alt text, an "&", Danish fallback) and the
    third (a figure whose caption differs from its alt, a table, a footnote, a quote,
    a link list; Polish below 100 %), in all 8 languages, in an awkward path."""
    root = three_letter_project(tmp_path_factory.mktemp("three") / AWKWARD, baseline)
    with contextlib.chdir(root):
        assert main(["publish"]) == 0
    return root / "build"


def translated_segments(lang: str) -> list[str]:
    letter = read_letter(ROOT / "source" / "letter.da.md")
    catalog = load_catalog(ROOT / "locale" / lang / "LC_MESSAGES" / "letter.po", lang)
    doc, _ = translate_letter(letter, catalog, f"{lang}.po")
    return [plain_text(s.inlines) for s in sites_of(doc) if not s.is_meta]


def english_segments() -> list[str]:
    return translated_segments("en")


def rewrite_epub(book: Path, target: Path, edit: dict[str, tuple[bytes, bytes]]) -> Path:
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in edit:
                old, new = edit[info.filename]
                assert old in data, (info.filename, old)
                data = data.replace(old, new)
            out.writestr(info, data)
    return target


@pytest.mark.slow
@pytest.mark.orca
def test_make_check_passes_the_real_outputs_and_reports_every_page(
    three_letters: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make check` on everything `klpublish publish` made of three letters: every
    checker runs on every page and file of every letter, and all pass (a low-contrast
    colour or an invalid page fails `make test` too). The reports say so page by page.
    This is where EPUBCheck accepts every book (each run is seconds of Java)."""
    site = three_letters
    monkeypatch.chdir(site.parent)
    assert main(["check"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "FAIL" not in out and "pass" in out
    findings = [
        Finding(**result)
        for checker in CHECKERS
        for result in json.loads((site / "reports" / f"{checker}.json").read_text("utf-8"))[
            "results"
        ]
    ]
    assert [f for f in findings if not f.passed] == []
    assert {f.checker for f in findings} == set(CHECKERS)
    pages = [p for p in site.rglob("*.html") if "reports" not in p.parts]
    for checker in ("pa11y", "layout", "vnu", "screen-reader"):
        checked = {f.file for f in findings if f.checker == checker}
        assert all(display_path(p) in checked for p in pages), (
            checker,
            checked,
        )
    for letter, lang in itertools.product(
        ("letter", "second", "third"), ("da", "en", "de", "uk", "ar", "tr", "pl", "fa")
    ):
        for checker, fmt in (
            ("language", "all"),
            ("epubcheck", "epub"),
            ("ace", "epub"),
            ("pdf", "pdf"),
            ("pdfua", "pdf"),
            ("reading-order", "pdf"),
            ("reading-order", "html"),
            ("structure", "pdf"),
            ("screen-reader", "epub"),
            ("content", "html"),
            ("content", "epub"),
            ("content", "pdf"),
        ):
            assert any(
                (f.letter, f.checker, f.lang, f.fmt) == (letter, checker, lang, fmt)
                for f in findings
            ), (letter, checker, lang)


def awkward_page(site: Path, tmp_path: Path, edit: Callable[[str], str]) -> Path:
    folder = tmp_path / AWKWARD
    folder.mkdir(exist_ok=True)
    page = folder / "æble side.html"
    page.write_text(edit((site / "en" / "letter.en.html").read_text(encoding="utf-8")), "utf-8")
    return page


@pytest.mark.slow
def test_pa11y_rejects_a_page_without_lang(site: Path, tmp_path: Path) -> None:
    page = awkward_page(site, tmp_path, lambda t: t.replace('<html lang="en" dir="ltr">', "<html>"))
    found = tools.pa11y([(page, "letter")], ROOT, "pa11y.config.js")[tools.page_key(str(page))]
    assert any(f.startswith("error: html-has-lang:") for f in found), found
    assert any("H57.2" in f for f in found), found


def test_results_are_matched_to_files_by_their_decoded_url(tmp_path: Path) -> None:
    page = tmp_path / AWKWARD / "æ.html"
    assert page.as_uri().count("%") >= 3  # the URL a checker reports is encoded
    found = tools._keyed("vnu", [page], {page.as_uri(): ["error: x"]})
    assert found == {str(page.resolve()): ["error: x"]}
    with pytest.raises(ToolError, match="none of the files checked"):
        tools._keyed("vnu", [page], {(tmp_path / "other.html").as_uri(): ["error: x"]})


def test_pa11y_answers_only_for_the_pages_it_reported_on(tmp_path: Path) -> None:
    pages = [tmp_path / AWKWARD / "a.html", tmp_path / "b.html"]
    report = {"results": {pages[0].as_uri(): [{"type": "error", "code": "x", "message": "m"}]}}
    assert tools.pa11y_results(report, pages) == {tools.page_key(str(pages[0])): ["error: x: m ()"]}


def test_vnu_failing_without_a_report_fails(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    message = {"url": page.as_uri(), "type": "error", "lastLine": 3, "message": "m"}
    report = json.dumps({"messages": [message]})
    assert tools.vnu_results(report, 1, [page]) == {str(page): ["error: line 3: m"]}
    assert tools.vnu_results('{"messages": []}', 0, [page]) == {str(page): []}
    with pytest.raises(ToolError, match="reported nothing"):
        tools.vnu_results('{"messages": []}', 1, [page])
    with pytest.raises(ToolError, match="gave no report"):
        tools.vnu_results("Error: Unable to access jarfile", 1, [page])


def test_a_pdfua_rule_that_could_not_run_fails_unless_we_check_it_ourselves() -> None:
    report = {
        "findings": [{"severity": "error", "rule_id": "UA-01-005", "message": "untagged"}],
        "skipped": [
            {"rule_id": "UA-14-001", "reason": "rule raised ValueError"},
            {"rule_id": "UA-09-001", "reason": "rule raised KeyError"},
        ],
    }
    assert tools.pdfua_results(report) == [
        "error: UA-01-005: untagged",
        "error: pdfua could not run rule UA-09-001: rule raised KeyError",
    ]


def test_a_checker_that_raises_is_a_failure_not_a_pass() -> None:
    def crash() -> list[str]:
        raise ToolError("Ace exited 3")

    finding = guard(Finding("ace", "en", "epub", "letter.en.epub", letter="letter"), crash)
    assert finding.error == "Ace exited 3" and not finding.passed


def test_the_structure_check_without_an_accessibility_tree_fails(site: Path) -> None:
    [finding] = _structure_findings(
        "en",
        site / "en" / "letter.en.html",
        (None, []),
        site / "en" / "letter.en.pdf",
        {},
        letter="letter",
    )
    assert finding.error.startswith("no accessibility tree of "), finding


def test_the_images_alt_texts_are_read_from_the_translated_letter() -> None:
    image = {"t": "Image", "c": [["", [], []], [{"t": "Str", "c": "Kort"}], ["k.png", ""]]}
    doc = {"blocks": [{"t": "Para", "c": [{"t": "Str", "c": "Se"}, image]}], "meta": {}}
    assert image_alts(doc) == ["Kort"]
    assert image_alts(None) == []


def test_a_page_the_checker_gave_no_result_for_fails_the_gate(tmp_path: Path) -> None:
    rows = [
        CheckedPage("en", "html", tmp_path / "a.html", "letter", "letter"),
        CheckedPage("de", "html", tmp_path / "b.html", "letter", "letter"),
    ]
    findings = per_page_findings(
        "pa11y", rows, lambda pages: {tools.page_key(str(rows[0].path)): []}
    )
    assert [f.passed for f in findings] == [True, False]
    assert findings[1].error == "pa11y gave no result for this file"
    assert GateReport(findings).failed == [findings[1]]


def test_a_checker_that_cannot_run_fails_the_gate(site: Path, tmp_path: Path) -> None:
    rows = [CheckedPage("en", "html", site / "en" / "letter.en.html", "letter", "letter")]
    checks: list[tuple[str, Callable[[list[CheckedPage]], dict[str, list[str]]]]] = [
        (
            "pa11y",
            lambda rows: tools.pa11y([(r.path, r.kind) for r in rows], tmp_path, "pa11y.config.js"),
        ),
        ("vnu", lambda rows: tools.vnu([r.path for r in rows], tmp_path)),
    ]
    for checker, check in checks:
        [finding] = per_page_findings(checker, rows, check)
        assert "is not installed" in finding.error, finding
        assert not finding.passed
        report = GateReport([finding, Finding("pdf", "en", "pdf", "x.pdf", letter="letter")])
        assert report.failed == [finding]
        assert "FAIL 1" in "\n".join(report.table())
    with pytest.raises(ToolError, match="pdfua could not check the file"):
        tools.pdfua(_write(tmp_path / "garbage.pdf", b"%PDF-1.7\nnot a PDF"))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.slow
def test_pa11y_runs_html_codesniffer_and_axes_wcag22_rules_in_one_run(tmp_path: Path) -> None:
    """One pa11y run: HTML_CodeSniffer still runs beside axe (its codes start with
    the standard's name), and axe adds its WCAG 2.2 rule for small targets."""
    page = tmp_path / "small-targets.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>Targets</title></head><body><main>'
        '<h1>Targets</h1><p><button style="width:8px;height:8px;padding:0"'
        ' aria-label="one"></button><button style="width:8px;height:8px;padding:0"'
        ' aria-label="two"></button></p><p style="color:#767676">Grey text.</p></main>'
        "</body></html>",
        encoding="utf-8",
    )
    found = tools.pa11y([(page, "navigation")], ROOT, "pa11y.config.js")
    found = found[str(page.resolve())]
    assert any(": target-size: " in f for f in found), found
    assert any(": WCAG2AA.Principle1.Guideline1_4.1_4_3" in f for f in found), found


@pytest.mark.slow
def test_vnu_rejects_invalid_html(site: Path, tmp_path: Path) -> None:
    page = awkward_page(site, tmp_path, lambda t: t.replace("<main", "<main><p><div>x</div></p"))
    found = tools.vnu([page], ROOT)[tools.page_key(str(page))]
    assert any("No “p” element in scope but a “p” end tag seen." in f for f in found), found
    assert all(f.startswith("error") for f in found), found


@pytest.mark.slow
def test_epubcheck_rejects_a_broken_package(site: Path, tmp_path: Path) -> None:
    broken = rewrite_epub(
        site / "en" / "letter.en.epub",
        tmp_path / "broken.epub",
        {"EPUB/content.opf": (b"<dc:language>en</dc:language>", b"")},
    )
    found = tools.epubcheck(broken)
    assert any(f.startswith("ERROR: RSC-005:") and "dc:language" in f for f in found), found


@pytest.mark.slow
def test_epubcheck_checks_many_books_in_one_run_each_on_its_own(site: Path, tmp_path: Path) -> None:
    """The gate checks every book in one Java process: a broken book among sound ones
    has its errors, and only it; a file that is no book has its own verdict."""
    sound = [site / lang / f"letter.{lang}.epub" for lang in ("da", "en", "ar")]
    broken = rewrite_epub(
        sound[1],
        tmp_path / "broken.epub",
        {"EPUB/content.opf": (b"<dc:language>en</dc:language>", b"")},
    )
    not_a_book = tmp_path / "not a book.epub"
    not_a_book.write_bytes(b"PK no zip")
    books = [sound[0], broken, sound[1], not_a_book, sound[2]]
    found = tools.epubcheck_books(books)
    assert set(found) == {tools.page_key(str(book)) for book in books}
    assert [found[tools.page_key(str(book))] for book in sound] == [[], [], []]
    assert any("dc:language" in f for f in found[tools.page_key(str(broken))])
    assert any(f.startswith("FATAL") for f in found[tools.page_key(str(not_a_book))])


def without_summary(book: Path, target: Path) -> Path:
    """``book`` less its accessibility summary, written to ``target``."""
    with zipfile.ZipFile(book) as archive:
        opf = archive.read("EPUB/content.opf").decode("utf-8")
    start = opf.index('<meta property="schema:accessibilitySummary">')
    end = opf.index("</meta>", start) + len("</meta>")
    return rewrite_epub(book, target, {"EPUB/content.opf": (opf[start:end].encode(), b"")})


@pytest.mark.slow
def test_ace_rejects_an_epub_without_summary(site: Path, tmp_path: Path) -> None:
    broken = without_summary(site / "en" / "letter.en.epub", tmp_path / "no-summary.epub")
    found = tools.ace(broken, ROOT, tmp_path / "ace")
    assert any("metadata-accessibilitysummary" in f for f in found), found


@pytest.mark.slow
def test_ace_checks_many_books_in_one_run_each_on_its_own(site: Path, tmp_path: Path) -> None:
    """One Node process for every book: each book gets its own verdict and report, a
    broken book and a file that is no book among sound ones."""
    sound = site / "en" / "letter.en.epub"
    broken = without_summary(sound, tmp_path / "no-summary.epub")
    no_book = _write(tmp_path / "no-book.epub", b"not a zip")
    books = [sound, broken, no_book, site / "ar" / "letter.ar.epub"]
    folders = [tmp_path / "reports" / str(n) for n in range(len(books))]
    found = tools.ace_books(list(zip(books, folders, strict=True)), ROOT)
    verdicts = [found[tools.page_key(str(book))] for book in books]
    assert verdicts[0] == [] and verdicts[3] == [], verdicts
    assert any("metadata-accessibilitysummary" in f for f in verdicts[1]), verdicts[1]
    assert len(verdicts[2]) == 1 and verdicts[2][0].startswith("error: "), verdicts[2]
    assert (folders[1] / "report.json").is_file() and (folders[3] / "report.json").is_file()


def _typst_pdf(tmp_path: Path, name: str, source: str, tagged: bool) -> Path:
    out = tmp_path / name
    out.write_bytes(
        typst.compile(
            source.encode(),
            format="pdf",
            pdf_tags=tagged,
            ignore_system_fonts=True,
            font_paths=[Path(p) for p in font_paths()],
        )
    )
    return out


def test_pdf_checker_rejects_an_untagged_pdf(tmp_path: Path) -> None:
    pdf = _typst_pdf(
        tmp_path, "untagged.pdf", '#set text(font: "Noto Sans")\n= Title\n\nText.', tagged=False
    )
    problems = check_pdf(pdf)
    assert "not tagged: /MarkInfo /Marked is not true" in problems
    assert any("neither tagged nor artifact" in p for p in problems), problems
    assert any("pdfuaid" in p for p in problems), problems


def test_pdf_checker_rejects_a_heading_skip(tmp_path: Path) -> None:
    pdf = _typst_pdf(
        tmp_path,
        "skip.pdf",
        '#set document(title: "T")\n#set text(font: "Noto Sans", lang: "en")\n'
        "= Title\n\n=== Too deep\n\nText.",
        tagged=True,
    )
    assert "heading H3 follows H1: a level is skipped" in check_pdf(pdf)


def test_pdfua_second_opinion_flags_an_untagged_pdf(tmp_path: Path) -> None:
    pdf = _typst_pdf(
        tmp_path, "untagged.pdf", '#set text(font: "Noto Sans")\n= Title\n\nText.', tagged=False
    )
    rules = {f.split(": ")[1] for f in tools.pdfua(pdf)}
    assert rules == {"UA-01-002", "UA-01-005", "UA-07-001", "UA-07-002", "UA-28-004"}, rules


# -- each of the own PDF checker's checks, on a real PDF broken in just that way ----


def _first(pdf: pikepdf.Pdf, kind: str) -> Any:
    from klpublish.gate.pdf_text import struct_elements

    return next(e for e in struct_elements(pdf) if str(e.S) == kind)


def _no_font_file(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            descriptor = font.DescendantFonts[0].FontDescriptor
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in descriptor:
                    del descriptor[key]


def _no_to_unicode(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            if "/ToUnicode" in font:
                del font["/ToUnicode"]


def _link_without_contents(pdf: pikepdf.Pdf) -> None:
    annot = next(a for a in pdf.pages[0].Annots if a.Subtype == "/Link")
    del annot["/Contents"]


def _no_title(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        del xmp["dc:title"]


BREAKS: dict[str, tuple[Callable[[pikepdf.Pdf], None], str]] = {
    "structure-type": (
        lambda pdf: setattr(_first(pdf, "/P"), "S", pikepdf.Name("/Para")),
        "structure type /Para is neither standard nor role-mapped",
    ),
    "marked-false": (
        lambda pdf: pdf.Root.MarkInfo.__setitem__("/Marked", False),
        "not tagged: /MarkInfo /Marked is not true",
    ),
    "link-contents": (_link_without_contents, "page 1: a link without a description (/Contents)"),
    "font-embedded": (_no_font_file, "is not embedded"),
    "font-to-unicode": (_no_to_unicode, "has no ToUnicode map"),
    "first-heading": (
        lambda pdf: setattr(_first(pdf, "/H1"), "S", pikepdf.Name("/H2")),
        "the first heading is H2, not H1",
    ),
    "empty-heading": (
        lambda pdf: setattr(_first(pdf, "/H2"), "K", pikepdf.Array()),
        "an empty heading H2",
    ),
    "language": (lambda pdf: pdf.Root.__delitem__("/Lang"), "no document language (/Lang)"),
    "title": (_no_title, "no title (dc:title) in XMP metadata"),
    "display-title": (
        lambda pdf: pdf.Root.ViewerPreferences.__setitem__("/DisplayDocTitle", False),
        "the window does not show the title (/DisplayDocTitle)",
    ),
}


CONSEQUENCES = {
    # The heading's marked content is left outside the tree.
    "empty-heading": ("is not in the structure tree",),
    # Text that cannot be read back: every heading reads as empty.
    "font-to-unicode": ("an empty heading",),
}
"""Problems that follow from a break, besides the one it is made to show."""


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_pdf_checker_rejects_a_pdf_broken_one_way(site: Path, tmp_path: Path, case: str) -> None:
    edit, expected = BREAKS[case]
    broken = tmp_path / f"{case}.pdf"
    with pikepdf.open(site / "en" / "letter.en.pdf") as pdf:
        edit(pdf)
        pdf.save(broken)
    problems = [p for p in check_pdf(broken) if not any(c in p for c in CONSEQUENCES.get(case, ()))]
    assert problems, case
    assert all(expected in p for p in problems), problems


def test_to_unicode_reads_single_codes_and_ranges() -> None:
    from klpublish.gate.pdf_text import to_unicode

    cmap = (
        b"begincmap\n2 beginbfchar\n<0003> <0020>\n<0004> <00E6>\nendbfchar\n"
        b"2 beginbfrange\n<0041> <0043> <0061>\n<0050> <0051> [<0078> <0079>]\nendbfrange\n"
        b"endcmap\n"
    )
    with pikepdf.new() as pdf:
        font = pikepdf.Dictionary(
            Subtype=pikepdf.Name("/Type0"), ToUnicode=pikepdf.Stream(pdf, cmap)
        )
        table, width = to_unicode(font)
    assert width == 2
    assert table == {3: " ", 4: "æ", 0x41: "a", 0x42: "b", 0x43: "c", 0x50: "x", 0x51: "y"}


FIGURE = (
    '#set document(title: "T")\n#set text(font: "Noto Sans", lang: "en")\n= Title\n\n'
    '#image("dot.svg", alt: "A red dot")\n'
)


def test_pdf_checker_wants_each_figure_to_say_the_letters_alt_text(tmp_path: Path) -> None:
    (tmp_path / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<circle cx="5" cy="5" r="4" fill="red"/></svg>',
        encoding="utf-8",
    )
    pdf = tmp_path / "figure.pdf"
    pdf.write_bytes(
        typst.compile(
            FIGURE.encode(),
            format="pdf",
            root=tmp_path,
            pdf_standards=["ua-1"],
            ignore_system_fonts=True,
            font_paths=[Path(p) for p in font_paths()],
        )
    )
    assert check_pdf(pdf, ["A red dot"]) == []
    assert check_pdf(pdf, ["En rød prik"]) == [
        "figure 1: alternative text 'A red dot', not the letter's 'En rød prik'"
    ]
    assert check_pdf(pdf, []) == ["1 figure(s) in the structure tree, 0 image(s) in the letter"]
    with pikepdf.open(pdf) as doc:
        del _first(doc, "/Figure")["/Alt"]
        doc.save(tmp_path / "no-alt.pdf")
    problems = check_pdf(tmp_path / "no-alt.pdf")
    assert problems == ["a figure without alternative text (/Alt)"], problems


@pytest.mark.slow
def test_reading_order_catches_a_swap_in_html(site: Path, tmp_path: Path) -> None:
    source = site / "en" / "letter.en.html"
    tree = lxml_html.fromstring(source.read_bytes())
    paragraphs = tree.xpath("//article/p")
    first, second = paragraphs[2], paragraphs[3]
    first.addprevious(second)  # the 4th paragraph now comes before the 3rd
    swapped = tmp_path / "swapped.html"
    swapped.write_bytes(lxml_html.tostring(tree, doctype="<!DOCTYPE html>", encoding="utf-8"))
    snapshots = tools.aria_snapshots([source, swapped], ROOT)
    segments = english_segments()
    assert order_in_text(segments, snapshot_text(snapshots[str(source.resolve())])) == []
    problems = order_in_text(segments, snapshot_text(snapshots[str(swapped.resolve())]))
    assert problems and "comes earlier than expected" in problems[0], problems


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_reading_order_catches_a_swap_in_pdf(site: Path, lang: str) -> None:
    segments = translated_segments(lang)
    blocks = structure_blocks(site / lang / f"letter.{lang}.pdf")
    rtl = lang == "ar"
    assert order_in_pdf(segments, blocks, rtl) == []
    swapped = list(segments)
    swapped[3], swapped[4] = swapped[4], swapped[3]
    assert any("earlier than expected" in p for p in order_in_pdf(swapped, blocks, rtl))


def test_msgfmt_rejects_a_broken_catalog(tmp_path: Path) -> None:
    po = tmp_path / "letter.po"
    shutil.copy(Path(__file__).parent / "bad-catalogs" / "unterminated-string.po", po)
    assert any("end-of-line within string" in line for line in msgfmt_problems(po))


@pytest.mark.slow
@pytest.mark.orca
def test_make_check_report_and_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The gate end to end on a small published site with its page made inaccessible:
    exit 1, the failing checker, file and rule said, every report written."""
    root = copy_project(tmp_path / AWKWARD)
    monkeypatch.chdir(root)
    assert main(["publish", "--lang", "en", "--format", "html"]) == 0
    page = root / "build" / "en" / "letter.en.html"
    page.write_bytes(page.read_bytes().replace(b'<html lang="en" dir="ltr">', b"<html>"))
    capsys.readouterr()
    assert main(["check"]) == 1
    out = capsys.readouterr()
    assert "pa11y letter en html build/en/letter.en.html:" in out.err
    assert "html-has-lang" in out.err
    for checker in (
        "pa11y",
        "layout",
        "vnu",
        "reading-order",
        "structure",
        "screen-reader",
        "msgfmt",
    ):
        assert (root / "build" / "reports" / f"{checker}.json").is_file(), checker
    assert "FAIL" in out.err and "pass" in out.err
    assert "could not run" not in out.err  # every checker ran: the page failed them


@pytest.mark.slow
def test_layout_check_rejects_sideways_scroll_and_dark_contrast(tmp_path: Path) -> None:
    page = tmp_path / "bad-layout.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta name="viewport" '
        'content="width=device-width"><title>Layout</title><style>'
        "@media (prefers-color-scheme: dark) { body { background: #000; color: #222; } }"
        '</style></head><body><main><h1>Layout</h1><div style="width:600px">Wide</div>'
        "</main></body></html>",
        encoding="utf-8",
    )
    sound = tmp_path / "sound.html"
    sound.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta name="viewport" '
        'content="width=device-width"><title>Sound</title><style>'
        "@media (prefers-color-scheme: light) { body { background: #fff; color: #ddd; } }"
        '</style></head><body><main><h1>Sound</h1><div style="width:300px">Narrow</div>'
        "</main></body></html>",
        encoding="utf-8",
    )
    # One browser page checks every file in turn: each is checked from the start,
    # at each width and in each scheme.
    checked = tools.layout([page, sound, page], ROOT)
    found = checked[str(page.resolve())]
    assert "scrolls sideways by 288px at 320px wide" in found, found  # 600 + 8 margin - 320
    assert not any("at 640px" in f for f in found), found
    assert any(f.startswith("dark scheme: color-contrast") for f in found), found
    assert not any(f.startswith("light scheme") for f in found), found
    # Pale grey on white in the light scheme only, and narrow enough.
    pale = checked[str(sound.resolve())]
    assert pale and all(f.startswith("light scheme: color-contrast: ") for f in pale), pale


# -- the same structure in every format ------------------------------------------

PAGE = (
    '<!DOCTYPE html><html lang="da"><head><title>T</title></head><body><main>'
    "<h1>Velkommen</h1>{}</main></body></html>"
)
PDF_HEAD = '#set document(title: "T")\n#set text(lang: "da", font: "Noto Sans")\n= Velkommen\n'
REFERENCE_HTML = "<dl><dt>Dato</dt><dd>10. januar 2018</dd><dt>Sags-ID</dt><dd>SAG-1</dd></dl>"
STRUCTURES = {
    # name: (HTML, Typst of the same, Typst that differs, what the check says)
    "date-as-list": (
        REFERENCE_HTML + "<p>Tekst.</p>",
        '#terms(terms.item[Dato][#"10. januar 2018";], terms.item[Sags-ID][SAG-1])\n\nTekst.',
        "#terms(terms.item[Dato][10. januar 2018], terms.item[Sags-ID][SAG-1])\n\nTekst.",
        "after 'terms 2' (part 2): the HTML has nothing, the PDF has list 1",
    ),
    "heading-level": (
        "<h2>Afsnit</h2><p>Tekst.</p>",
        "== Afsnit\n\nTekst.",
        "=== Afsnit\n\nTekst.",
        "after 'h1' (part 1): the HTML has h2, the PDF has h3",
    ),
    "list-items": (
        "<ul><li>en</li><li>to</li><li>tre</li></ul>",
        "- en\n- to\n- tre\n",
        "- en\n- to tre\n",
        "after 'h1' (part 1): the HTML has list 3, the PDF has list 2",
    ),
    "table-headers": (
        "<table><thead><tr><th>A</th><th>B</th></tr></thead>"
        "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
        "#table(columns: 2, table.header[A][B], [1], [2])",
        "#table(columns: 2, [A], [B], [1], [2])",
        "after 'h1' (part 1): the HTML has table 2x2 th 2, the PDF has table 2x2 th 0",
    ),
    "language": (
        '<p>Tekst <span lang="en">in English</span> og mere.</p>',
        'Tekst #text(lang: "en")[in English] og mere.',
        "Tekst in English og mere.",
        "language: 'in English' is in 'en' in the HTML, in 'da' in the PDF",
    ),
}


def test_structure_and_language_differences_are_both_reported() -> None:
    from klpublish.gate.page_text import Word
    from klpublish.gate.structure import structure_problems

    html = [Word("Tekst", "da"), Word("English", "en")]
    pdf = [Word("Tekst", "da"), Word("English", "da")]
    problems = structure_problems((["h1", "h2"], html), (["h1", "h3"], pdf), "PDF")
    assert problems == [
        "after 'h1' (part 1): the HTML has h2, the PDF has h3",
        "language: 'English' is in 'en' in the HTML, in 'da' in the PDF",
    ]


@pytest.mark.slow
def test_structure_check_compares_html_with_pdf(tmp_path: Path) -> None:
    from klpublish.gate.structure import (
        html_languages,
        pdf_structure,
        snapshot_parts,
        structure_problems,
    )

    pages = {}
    for name, (html, *_) in STRUCTURES.items():
        pages[name] = tmp_path / f"{name}.html"
        pages[name].write_text(PAGE.format(html), encoding="utf-8")
    snapshots = tools.aria_snapshots(list(pages.values()), ROOT)
    for name, (_, same, different, expected) in STRUCTURES.items():
        page = pages[name]
        html = (snapshot_parts(snapshots[tools.page_key(str(page))]), html_languages(page))
        results = []
        for typst_source in (same, different):
            pdf = pdf_structure(
                _typst_pdf(tmp_path, f"{name}.pdf", PDF_HEAD + typst_source, tagged=True)
            )
            results.append(structure_problems(html, (pdf.parts, pdf.languages), "PDF"))
        assert results == [[], [expected]], (name, results)
