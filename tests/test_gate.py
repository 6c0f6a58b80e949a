"""Every checker of the accessibility gate is shown to fail on a broken fixture."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
import typst
from lxml import html as lxml_html

from helpers import ROOT, copy_project
from klpublish.__main__ import main
from klpublish.catalog import load_catalog
from klpublish.gate import tools
from klpublish.gate.pdf import check_pdf, structure_blocks
from klpublish.gate.reading_order import order_in_pdf, order_in_text, snapshot_text
from klpublish.locations import plain_text
from klpublish.render.pdf import font_paths
from klpublish.segments import sites_of
from klpublish.source import read_letter
from klpublish.translate import translate_letter


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("gate"))
    mp = pytest.MonkeyPatch()
    mp.chdir(root)
    try:
        assert main(["publish", "--lang", "en", "--lang", "ar", "--no-index"]) == 0
    finally:
        mp.undo()
    return root / "build"


def english_segments() -> list[str]:
    letter = read_letter(ROOT / "source" / "letter.da.md")
    catalog = load_catalog(ROOT / "locale" / "en" / "LC_MESSAGES" / "letter.po", "en")
    doc, _ = translate_letter(letter, catalog, "en.po")
    return [plain_text(s.inlines) for s in sites_of(doc) if not s.is_meta]


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


def test_the_real_outputs_pass(site: Path) -> None:
    for lang in ("en", "ar"):
        assert check_pdf(site / lang / f"letter.{lang}.pdf") == []
        assert tools.epubcheck(site / lang / f"letter.{lang}.epub") == []


def test_pa11y_rejects_a_page_without_lang(site: Path, tmp_path: Path) -> None:
    page = tmp_path / "no-lang.html"
    text = (site / "en" / "letter.en.html").read_text(encoding="utf-8")
    page.write_text(text.replace('<html lang="en" dir="ltr">', "<html>"), encoding="utf-8")
    found = tools.pa11y([page], ROOT, "pa11y.config.js")[str(page.resolve())]
    assert any("html-has-lang" in f or "H57.2" in f for f in found), found


def test_pa11y_wcag22_run_rejects_small_targets(tmp_path: Path) -> None:
    page = tmp_path / "small-targets.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>Targets</title></head><body><main>'
        '<h1>Targets</h1><p><button style="width:8px;height:8px;padding:0"'
        ' aria-label="one"></button><button style="width:8px;height:8px;padding:0"'
        ' aria-label="two"></button></p></main></body></html>',
        encoding="utf-8",
    )
    found = tools.pa11y([page], ROOT, "pa11y-wcag22.config.js")[str(page.resolve())]
    assert any("target-size" in f for f in found), found


def test_vnu_rejects_invalid_html(site: Path, tmp_path: Path) -> None:
    page = tmp_path / "invalid.html"
    text = (site / "en" / "letter.en.html").read_text(encoding="utf-8")
    page.write_text(text.replace("<main", '<main id="letter"><p><div>x</div></p'), encoding="utf-8")
    found = tools.vnu([page], ROOT)[str(page.resolve())]
    assert found and all(f.startswith("error") for f in found), found


def test_epubcheck_rejects_a_broken_package(site: Path, tmp_path: Path) -> None:
    broken = rewrite_epub(
        site / "en" / "letter.en.epub",
        tmp_path / "broken.epub",
        {"EPUB/content.opf": (b"<dc:language>en</dc:language>", b"")},
    )
    found = tools.epubcheck(broken)
    assert any("ERROR" in f for f in found), found


def test_ace_rejects_an_epub_without_summary(site: Path, tmp_path: Path) -> None:
    book = site / "en" / "letter.en.epub"
    with zipfile.ZipFile(book) as archive:
        opf = archive.read("EPUB/content.opf").decode("utf-8")
    start = opf.index('<meta property="schema:accessibilitySummary">')
    end = opf.index("</meta>", start) + len("</meta>")
    broken = rewrite_epub(
        book, tmp_path / "no-summary.epub", {"EPUB/content.opf": (opf[start:end].encode(), b"")}
    )
    found = tools.ace(broken, ROOT, tmp_path / "ace")
    assert any("metadata-accessibilitysummary" in f for f in found), found


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
    assert tools.pdfua(pdf), "pdfua found nothing wrong with an untagged PDF"


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


def test_reading_order_catches_a_swap_in_pdf(site: Path) -> None:
    segments = english_segments()
    blocks = structure_blocks(site / "en" / "letter.en.pdf")
    assert order_in_pdf(segments, blocks) == []
    swapped = list(segments)
    swapped[3], swapped[4] = swapped[4], swapped[3]
    assert any("earlier than expected" in p for p in order_in_pdf(swapped, blocks))


def test_msgfmt_rejects_a_broken_catalog(tmp_path: Path) -> None:
    po = tmp_path / "letter.po"
    shutil.copy(Path(__file__).parent / "bad-catalogs" / "unterminated-string.po", po)
    assert any("end-of-line within string" in line for line in tools.msgfmt(po))


def test_make_check_report_and_exit_code(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The gate end to end on a published site with one page made inaccessible."""
    monkeypatch.chdir(site.parent)
    page = site / "en" / "letter.en.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b'<html lang="en" dir="ltr">', b"<html>"))
    try:
        assert main(["check"]) == 1
    finally:
        page.write_bytes(original)
    out = capsys.readouterr()
    assert "pa11y en html build/en/letter.en.html:" in out.err
    for checker in (
        "pa11y",
        "layout",
        "vnu",
        "epubcheck",
        "ace",
        "pdf",
        "pdfua",
        "reading-order",
        "msgfmt",
    ):
        assert (site / "reports" / f"{checker}.json").is_file(), checker
    assert "FAIL" in out.err and "pass" in out.err


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
    found = tools.layout([page], ROOT)[str(page.resolve())]
    assert "scrolls sideways by 288px at 320px wide" in found, found  # 600 + 8 margin - 320
    assert any(f.startswith("dark scheme: color-contrast") for f in found), found
    assert not any(f.startswith("light scheme") for f in found), found
