"""The build reads only the letter's own files and fetches nothing: whatever
document reaches a renderer (through the source, a translation or a footnote),
pandoc and Typst are handed no path and no address they could read or fetch."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from helpers import PNG, WebServer, hang_bound
from klpublish import pandoc
from klpublish.__main__ import main
from klpublish.errors import SourceError, ToolError
from klpublish.letter.read import parse_letter
from klpublish.render import epub, html, pdf
from klpublish.render.context import RenderContext, with_context

SECRET = b"root:x:0:0:SECRET-LINE:/root:/bin/bash\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A letter's folder, with a secret beside it (outside) and a real image in it."""
    (tmp_path / "secret.png").write_bytes(PNG + SECRET)  # looks like an image
    (tmp_path / "passwd").write_bytes(SECRET)
    inside = tmp_path / "letter"
    inside.mkdir()
    (inside / "logo.png").write_bytes(PNG)
    (inside / "notes.png").write_bytes(SECRET)  # named like an image, is not one
    (inside / "link.png").symlink_to(tmp_path / "secret.png")
    return inside


def letter_with(folder: Path, body: str) -> tuple[dict[str, object], RenderContext, object]:
    text = f"---\ntitle: Et brev\nlang: da\n---\n\n{body}\n"
    letter = parse_letter(text, str(folder / "letter.da.md"))
    ctx = RenderContext("da", None, (), "urn:x", "da", 0)
    return with_context(letter.doc, ctx), ctx, letter


def image_doc(folder: Path, url: str, in_note: bool = False) -> tuple[object, object, object]:
    """A document whose image (in a footnote, as a translator can add) names ``url``:
    built as an AST, as a translation reaches the renderers."""
    doc, ctx, letter = letter_with(folder, "Tekst.")
    image = {"t": "Image", "c": [["", [], []], [{"t": "Str", "c": "billede"}], [url, ""]]}
    inline = {"t": "Note", "c": [{"t": "Para", "c": [image]}]} if in_note else image
    doc["blocks"].append({"t": "Para", "c": [{"t": "Str", "c": "Se"}, inline]})  # type: ignore[index]
    return doc, ctx, letter


def render_all(doc: object, ctx: object, letter: object, folder: Path) -> list[str]:
    """Each renderer's refusal (a renderer that writes the document is a failure)."""
    refusals = []
    for name, call in (
        ("html", lambda: html.render_html(doc, str(folder))),  # type: ignore[arg-type]
        ("epub", lambda: epub.render_epub(doc, ctx, letter)),  # type: ignore[arg-type]
        ("pdf", lambda: pdf.render_pdf(doc, ctx, letter)),  # type: ignore[arg-type]
    ):
        with pytest.raises(ToolError) as caught:
            call()
        refusals.append(f"{name}: {caught.value}")
    return refusals


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("../secret.png", "points outside the letter's folder"),
        ("../passwd", "points outside the letter's folder"),
        ("/etc/passwd", "expected a file beside the letter"),
        ("..%2Fsecret.png", "points outside the letter's folder"),
        ("file:///etc/passwd", "images are never fetched"),
        ("link.png", "points outside the letter's folder"),  # a symlink leading out
        ("notes.png", "is not a PNG, JPEG, GIF, WebP or SVG image"),
        ("missing.png", "is not there: expected a file beside the letter"),
    ],
)
@pytest.mark.parametrize("in_note", [False, True], ids=["body", "footnote"])
def test_no_renderer_reads_a_file_outside_the_letter(
    folder: Path, url: str, why: str, in_note: bool
) -> None:
    doc, ctx, letter = image_doc(folder, url, in_note)
    for refusal in render_all(doc, ctx, letter, folder):
        assert why in refusal, refusal


@pytest.mark.parametrize("in_note", [False, True], ids=["body", "footnote"])
def test_no_renderer_fetches_an_image(folder: Path, web_server: WebServer, in_note: bool) -> None:
    server = web_server.url
    for url in (f"{server}/a.png", f"//{server.removeprefix('http://')}/b.png"):
        doc, ctx, letter = image_doc(folder, url, in_note)
        for refusal in render_all(doc, ctx, letter, folder):
            assert "images are never fetched" in refusal, refusal
    assert web_server.requests == []


def test_images_in_the_folder_reach_every_format_as_data(folder: Path) -> None:
    doc, ctx, letter = image_doc(folder, "logo.png", in_note=True)
    page = html.render_html(doc, str(folder))  # type: ignore[arg-type]
    assert b'src="data:image/png;base64,' in page
    book = zipfile.ZipFile(io.BytesIO(epub.render_epub(doc, ctx, letter)))  # type: ignore[arg-type]
    media = [n for n in book.namelist() if n.startswith("EPUB/media/")]
    assert [book.read(n) for n in media] == [PNG]
    assert pdf.render_pdf(doc, ctx, letter).startswith(b"%PDF")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("svg", "accepted"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>', True),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            '<image x:href="file:///etc/passwd"/></svg>',
            False,
        ),
        ('<svg xmlns="http://www.w3.org/2000/svg"><image href="http://x/y.png"/></svg>', False),
        ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', False),
        ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', False),
        (
            '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
            False,
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><style>@import "http://x/";</style></svg>',
            False,
        ),
    ],
)
def test_svg_images_refer_to_nothing_outside_themselves(
    folder: Path, svg: str, accepted: bool
) -> None:
    (folder / "figur.svg").write_text(svg, encoding="utf-8")
    doc, ctx, letter = image_doc(folder, "figur.svg")
    if accepted:
        assert b"data:image/svg+xml;base64," in html.render_html(doc, str(folder))  # type: ignore[arg-type]
    else:
        for refusal in render_all(doc, ctx, letter, folder):
            assert "image figur.svg is refused: SVG " in refusal, refusal


@pytest.mark.parametrize(
    ("raw", "fmt"),
    [
        ('#read("/etc/passwd")', "typst"),
        ("<script>alert(1)</script>", "html"),
        ('<img src="/etc/passwd">', "html"),
        ("\\input{/etc/passwd}", "latex"),
    ],
)
def test_no_renderer_writes_raw_markup(folder: Path, raw: str, fmt: str) -> None:
    doc, ctx, letter = letter_with(folder, "Tekst.")
    doc["blocks"].append({"t": "RawBlock", "c": [fmt, raw]})  # type: ignore[index]
    for refusal in render_all(doc, ctx, letter, folder):
        assert f"raw {fmt} markup is not written" in refusal, refusal


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x"])
def test_no_renderer_writes_a_live_link(folder: Path, url: str) -> None:
    doc, ctx, letter = letter_with(folder, "Tekst.")
    link = {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "her"}], [url, ""]]}
    doc["blocks"].append({"t": "Para", "c": [link]})  # type: ignore[index]
    for refusal in render_all(doc, ctx, letter, folder):
        assert f"link {url} is not allowed" in refusal, refusal


def test_metadata_that_makes_writers_read_files_is_dropped(folder: Path) -> None:
    doc, ctx, letter = letter_with(folder, "Tekst.")
    for key in ("cover-image", "css", "stylesheet"):
        doc["meta"][key] = {"t": "MetaString", "c": "../secret.png"}  # type: ignore[index]
    doc["meta"]["header-includes"] = {  # type: ignore[index]
        "t": "MetaBlocks",
        "c": [{"t": "Plain", "c": [{"t": "Str", "c": "INCLUDED"}]}],
    }
    data = epub.render_epub(doc, ctx, letter)  # type: ignore[arg-type]
    assert SECRET not in data
    book = zipfile.ZipFile(io.BytesIO(data))
    assert not [n for n in book.namelist() if "media" in n or "cover" in n]
    assert all(b"INCLUDED" not in book.read(n) for n in book.namelist())


def test_a_yaml_block_in_the_body_is_refused_never_metadata(tmp_path: Path) -> None:
    """A second YAML block in the body never reaches the metadata: it is refused at
    its first line (no reader would see its text, see ``letter.body``)."""
    (tmp_path / "letter.da.md").write_text(
        "---\ntitle: Et brev\nlang: da\n---\n\nKære læser\n\n"
        "---\nheader-includes: <script>alert(1)</script>\ncover-image: /etc/passwd\n---\n\n"
        "Slut.\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as refused:
        parse_letter((tmp_path / "letter.da.md").read_text(), "letter.da.md")
    assert str(refused.value).startswith("letter.da.md:8: lines between two '---' lines")


@pytest.mark.slow
def test_a_translation_cannot_make_the_build_read_or_fetch(
    project: Path, web_server: WebServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """End to end: a translator's footnote with an image of a system file and an
    image on the web. Whatever check refuses it, nothing is read or fetched."""
    Path("secret.png").write_bytes(PNG + SECRET)
    po = Path("locale/de/LC_MESSAGES/letter.po")
    with po.open("rb") as handle:
        catalog = read_po(handle)
    message = next(m for m in catalog if m.id and m.string and "[" not in m.id)
    # Inside a footnote: the place no translation check looked at.
    message.string = f"{message.string}^[![x](../secret.png) ![y]({web_server.url}/y.png)]"
    out = io.BytesIO()
    write_po(out, catalog, width=76)
    po.write_bytes(out.getvalue())
    assert main(["publish"]) == 1
    capsys.readouterr()
    for path in Path("build").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".epub":
                book = zipfile.ZipFile(io.BytesIO(data))
                data = b"".join(book.read(n) for n in book.namelist())
            assert b"SECRET-LINE" not in data, path
            assert base64.b64encode(PNG + SECRET)[:40] not in data, path
    assert web_server.requests == []
    assert Path("build/en/letter.en.html").is_file()


def test_engine_reads_no_yaml_alias_bomb_in_time(tmp_path: Path) -> None:
    """The 900-byte alias bomb is refused before pandoc sees it, never expanded."""
    bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{x}: &{x} [{', '.join([f'*{y}'] * 9)}]\n"
        for x, y in zip("bcdefghi", "abcdefgh", strict=True)
    )
    text = f"---\ntitle: Brev\nlang: da\n{bomb}subtitle: *i\n---\n\nTekst.\n"
    assert len(text.encode()) < 1000
    (tmp_path / "bomb.md").write_text(text, encoding="utf-8")
    with hang_bound("extract of the alias bomb"):
        assert main(["extract", "--source", str(tmp_path / "bomb.md"), "--output", "x.pot"]) == 1
    assert pandoc.engine().alive


@pytest.mark.slow
def test_an_image_in_the_front_matter_is_read_once_and_published(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Metadata the e-book also shows in its body is one node in two places: the
    guard reads and names its image once."""
    letter = Path("source/letter.da.md")
    Path("source/logo.png").write_bytes(PNG)
    text = letter.read_text(encoding="utf-8")
    letter.write_text(
        text.replace(
            "recipient: Til alle kommunalbestyrelsesmedlemmer",
            'recipient: "![KL logo](logo.png) Til alle kommunalbestyrelsesmedlemmer"',
        ),
        encoding="utf-8",
    )
    assert main(["publish", "--lang", "da"]) == 0, capsys.readouterr().err
    for fmt in ("html", "epub", "pdf"):
        assert Path(f"build/da/letter.da.{fmt}").is_file()
