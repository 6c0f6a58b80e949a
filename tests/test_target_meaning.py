"""An image's address names the file pandoc and a browser would name: the query
and fragment left out, the rest percent-decoded once. The letter's checks, the
translation checks, the renderers and the build cache all read that one file.

Each case here is one where a caller once named another file than the policy
(``targets.judge``), or judged what was no address at all."""

from __future__ import annotations

import base64
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from helpers import translated_letter
from klpublish.__main__ import main
from klpublish.build.cache import source_digest
from klpublish.letter.read import read_letter
from klpublish.translation.translate import sanitise

HEAD = "---\ntitle: Et brev\nlang: da\n---\n\nKære læser\n\n"
"""A letter's first seven lines: its body goes on from line 8."""


def png(red: int, green: int, blue: int) -> bytes:
    """A one-pixel RGB PNG of that colour."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixel = zlib.compress(bytes((0, red, green, blue)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")
    )


SHOWN = png(0, 128, 255)
"""The picture the address names."""
DECOY = png(255, 0, 0)
"""Another picture, under the name a wrong reading of the address gives."""


def pdf_pixels(path: Path) -> set[bytes]:
    """The pixels of every image in a PDF (each picture here is one pixel)."""
    with pikepdf.open(path) as pdf:
        return {
            bytes(obj.read_bytes())
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        }


def epub_media(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as book:
        return [book.read(n) for n in book.namelist() if n.startswith("EPUB/media/")]


# -- the letter: every output shows the file the address names -------------------------

SPELLINGS = {
    # address in the letter: (the file it names, a file a wrong reading would name)
    "percent-encoded-space": ("map%20x.png", "map x.png", None),
    "angle-brackets": ("<map x.png>", "map x.png", None),
    "escaped-space": ("map\\ x.png", "map x.png", None),
    "query": ("q.png?v=2", "q.png", "q.png%3Fv=2"),
    "query-and-fragment": ("map%20x.png?v=2#kort", "map x.png", None),
    "encoded-percent": ("map%2520x.png", "map%20x.png", None),
    "encoded-percent-beside-its-decoded-name": ("map%2520x.png", "map%20x.png", "map x.png"),
    "encoded-question-mark": ("q%3Fv=2.png", "q?v=2.png", "q"),
}


@pytest.mark.parametrize("case", sorted(SPELLINGS))
def test_an_image_named_as_pandoc_and_browsers_name_it_is_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    url, name, decoy = SPELLINGS[case]
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_bytes(SHOWN)
    if decoy:
        (tmp_path / decoy).write_bytes(DECOY)
    (tmp_path / "letter.da.md").write_text(HEAD + f"![Kort over byen]({url})\n", encoding="utf-8")
    assert main(["publish", "--source", "letter.da.md", "--locales", "none"]) == 0
    page = Path("build/da/letter.da.html").read_text(encoding="utf-8")
    assert re.findall(r"data:image/png;base64,([^\"')]+)", page) == [
        base64.b64encode(SHOWN).decode()
    ]
    assert epub_media(Path("build/da/letter.da.epub")) == [SHOWN]
    assert pdf_pixels(Path("build/da/letter.da.pdf")) == {bytes((0, 128, 255))}


def test_the_build_cache_reads_the_file_the_address_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``map%2520x.png`` names ``map%20x.png``: the key changes with it, and not
    with ``map x.png``, which the outputs do not show."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "map%20x.png").write_bytes(SHOWN)
    (tmp_path / "map x.png").write_bytes(SHOWN)
    (tmp_path / "letter.da.md").write_text(HEAD + "![Kort](map%2520x.png)\n", encoding="utf-8")
    before = source_digest(read_letter(Path("letter.da.md")))
    (tmp_path / "map x.png").write_bytes(DECOY)
    assert source_digest(read_letter(Path("letter.da.md"))) == before
    (tmp_path / "map%20x.png").write_bytes(DECOY)
    assert source_digest(read_letter(Path("letter.da.md"))) != before


def test_an_image_without_alt_text_is_refused_at_the_line_it_is_written_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pandoc gives ``<map x.png>`` as ``map%20x.png``: the line is found either way."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "map x.png").write_bytes(SHOWN)
    body = "Se kortet:\n\n![](<map x.png>)\n\nOg [bilaget](<../bilag 1.pdf>).\n"
    (tmp_path / "letter.da.md").write_text(HEAD + body, encoding="utf-8")
    assert main(["publish", "--source", "letter.da.md", "--locales", "none"]) == 1
    assert "letter.da.md:10: image map%20x.png has no alt text" in capsys.readouterr().err
    (tmp_path / "letter.da.md").write_text(HEAD + body.replace("![]", "![Kort]"), encoding="utf-8")
    assert main(["publish", "--source", "letter.da.md", "--locales", "none"]) == 1
    assert "letter.da.md:12: link ../bilag%201.pdf points outside" in capsys.readouterr().err


def test_a_missing_image_by_reference_is_refused_at_its_definition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The address is written on the reference's definition (``<map x.png>``), where
    pandoc reads ``map%20x.png`` from: that line is the one to mend, not the image's."""
    monkeypatch.chdir(tmp_path)
    body = "[kort]: <map x.png>\n\n![Kort][kort]\n"
    (tmp_path / "letter.da.md").write_text(HEAD + body, encoding="utf-8")
    assert main(["publish", "--source", "letter.da.md", "--locales", "none"]) == 1
    assert "letter.da.md:8: image map%20x.png is not there" in capsys.readouterr().err


# -- a translation may name the same picture its own way -------------------------------

LETTER = HEAD + "Se kortet ![Kort over byen](map%20x.png) og logoet ![Logo](q.png?v=2) her.\n"
SOURCE_SEGMENT = "Se kortet ![Kort over byen](map%20x.png) og logoet ![Logo](q.png?v=2) her."


def _translate(images: str) -> Callable[[str], str]:
    def translate(msgid: str) -> str:
        if msgid == SOURCE_SEGMENT:
            return f"See the map {images} here."
        return {"Kære læser": "Dear reader", "Et brev": "A letter"}.get(msgid, msgid)

    return translate


@pytest.mark.parametrize(
    "images",
    [
        "![Map of the town](map%20x.png) and the logo ![Logo](q.png)",
        "![Map of the town](./map%20x.png) and the logo ![Logo](q.png?v=3#top)",
        "![Map of the town](map%20x.png#kort) and the logo ![Logo](./q.png?v=2)",
    ],
)
def test_a_translation_that_names_the_same_pictures_otherwise_is_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], images: str
) -> None:
    monkeypatch.chdir(tmp_path)
    translated_letter(LETTER, _translate(images))
    Path("source/map x.png").write_bytes(SHOWN)
    Path("source/q.png").write_bytes(DECOY)
    capsys.readouterr()
    assert main(["lint", "en"]) == 0
    report = capsys.readouterr()
    assert "drops the image" not in report.out + report.err, report
    assert main(["publish", "--lang", "en"]) == 0
    page = Path("build/en/letter.en.html").read_text(encoding="utf-8")
    assert 'alt="Map of the town"' in page
    for picture in (SHOWN, DECOY):
        assert base64.b64encode(picture).decode() in page
    assert sorted(epub_media(Path("build/en/letter.en.epub"))) == sorted([SHOWN, DECOY])
    assert pdf_pixels(Path("build/en/letter.en.pdf")) == {bytes((0, 128, 255)), bytes((255, 0, 0))}


def test_a_translation_that_shows_another_picture_is_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    images = "![Map of the town](map%20x.png) and the logo ![Logo](other.png?v=2)"
    po = translated_letter(LETTER, _translate(images))
    Path("source/map x.png").write_bytes(SHOWN)
    Path("source/q.png").write_bytes(DECOY)
    Path("source/other.png").write_bytes(DECOY)
    capsys.readouterr()
    assert main(["lint", "en"]) == 1
    report = capsys.readouterr()
    assert re.search(rf"{po}:\d+: msgstr drops the image q\.png\?v=2", report.err), report


# -- only addresses are judged ----------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "danish", "translation"),
    [
        ("pl", "Dato: 10. januar 2018.", "Data: 10 stycznia 2018."),
        ("en", "Sagsnummer: SAG-2017-06094.", "File: SAG-2017-06094."),
        ("en", "Se bilaget (data: 2018).", "See the appendix (data: 2018)."),
    ],
)
def test_words_that_look_like_a_scheme_are_not_an_address(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    danish: str,
    translation: str,
) -> None:
    """Polish for a date is "Data"; no link is in these translations."""
    monkeypatch.chdir(tmp_path)
    words = {danish: translation, "Kære læser": "Dear reader", "Et brev": "A letter"}
    translated_letter(HEAD + danish + "\n", lambda msgid: words.get(msgid, msgid), lang)
    capsys.readouterr()
    assert main(["lint", lang]) == 0, capsys.readouterr()
    assert main(["publish", "--lang", lang, "--format", "html"]) == 0
    page = Path(f"build/{lang}/letter.{lang}.html").read_text(encoding="utf-8")
    assert translation.split(":")[0] in page


@pytest.mark.parametrize(
    "url",
    ["https://www.kl.dk/logo.png", "mailto:kl@kl.dk", "?v=2", "#top", "tel:+4533703370"],
)
def test_behind_the_checks_an_image_keeps_only_an_address_images_may_have(url: str) -> None:
    """``translate.sanitise`` asks the image rule for an image (the link rule
    let a web address through, which no image may have)."""
    image = {"t": "Image", "c": [["", [], []], [{"t": "Str", "c": "Logo"}], [url, ""]]}
    assert sanitise([image], []) == [{"t": "Str", "c": "Logo"}]
