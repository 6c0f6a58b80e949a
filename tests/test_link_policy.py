"""One policy for links, images and files (``targets.py``), asked by the letter's
checks, the translation checks, the build cache and the renderers: what one
accepts the others accept, what one refuses the others refuse.

SECURITY.md says link paths leading out of the letter's folder are refused: a
relative link is read as a browser reads it (``%2f`` decoded, ``./`` and
``..`` followed) and refused when it climbs above the folder, in a letter and
in a translation alike. HTML that pandoc would drop without a trace (a block
tag in a line block, a table cell, a footnote) is refused at its line."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from helpers import PNG
from klpublish.__main__ import main
from klpublish.build.cache import source_digest
from klpublish.errors import ToolError
from klpublish.letter.read import parse_letter, read_letter
from klpublish.render import html
from klpublish.render.context import RenderContext, with_context
from klpublish.translation.translate import safe_target, sanitise
from test_translation_checks import put_translation

HEAD = "---\ntitle: Et brev\nlang: da\n---\n\nKære læser\n\n"
"""A letter's first seven lines: its body goes on from line 8."""

OTHER_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC"
)


def publish(tmp_path: Path, body: str, *args: str) -> int:
    (tmp_path / "letter.da.md").write_text(HEAD + body + "\n", encoding="utf-8")
    return main(["publish", "--source", "letter.da.md", "--locales", "none", *args])


# -- links that climb out of the letter's folder ---------------------------------------

OUTSIDE = "points outside the letter's folder: expected a web address or a file beside the letter"

CLIMBING = {
    "up-three": ("../../../etc/passwd", OUTSIDE),
    "encoded-slashes": ("..%2f..%2fetc/passwd", OUTSIDE),
    "encoded-dots": ("%2e%2e/bilag.pdf", OUTSIDE),
    "encoded-twice": ("%252e%252e/bilag.pdf", OUTSIDE),
    "dot-first": ("./../bilag.pdf", OUTSIDE),
    "down-then-up-twice": ("bilag/../../bilag.pdf", OUTSIDE),
    "with-a-fragment": ("../index.html#top", OUTSIDE),
    "backslashes": ("..%5C..%5Cbilag.pdf", "holds a backslash: expected / between folder names"),
    "site-root": ("/etc/passwd", "starts at the web site's root"),
    "user-before-host": ("https://www.kl.dk@evil.example/", "names a user before its host"),
}


@pytest.mark.parametrize("case", sorted(CLIMBING))
def test_a_link_out_of_the_letters_folder_is_refused_at_its_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: str,
) -> None:
    url, why = CLIMBING[case]
    monkeypatch.chdir(tmp_path)
    assert publish(tmp_path, f"Se [her]({url}).") == 1
    err = capsys.readouterr().err
    assert re.search(rf"letter\.da\.md:8: link \S+ {re.escape(why)}", err), err
    assert not Path("build").exists()


def test_links_inside_the_folder_are_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    body = (
        "Se [bilaget](bilag.pdf), [det samme](bilag/../bilag.pdf), [her](./#slut), "
        "[på engelsk](?lang=en) og [KL](https://www.kl.dk/om-kl?a=1#b).\n\n## Slut {#slut}\n\nTak."
    )
    assert publish(tmp_path, body, "--format", "html") == 0
    page = Path("build/da/letter.da.html").read_text(encoding="utf-8")
    for href in ("bilag.pdf", "bilag/../bilag.pdf", "./#slut", "?lang=en"):
        assert f'href="{href}"' in page, href


def test_the_front_matter_web_address_follows_the_same_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "letter.da.md").write_text(
        "---\ntitle: Et brev\nlang: da\nsender:\n  name: KL\n  web: https://www.kl.dk@evil.example/\n"
        "---\n\nTekst.\n",
        encoding="utf-8",
    )
    assert main(["publish", "--source", "letter.da.md", "--locales", "none"]) == 1
    assert (
        "letter.da.md:6: front matter 'sender.web' must be a web address such as "
        "https://www.kl.dk: names a user before its host" in capsys.readouterr().err
    )


def test_a_link_in_the_front_matter_follows_the_same_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "letter.da.md").write_text(
        "---\ntitle: Et brev\nlang: da\nabstract: Se [her](../../etc/passwd).\n---\n\nTekst.\n",
        encoding="utf-8",
    )
    assert main(["publish", "--source", "letter.da.md", "--locales", "none"]) == 1
    err = capsys.readouterr().err
    assert f"letter.da.md:4: link ../../etc/passwd {OUTSIDE}" in err, err


def test_a_translation_may_not_link_out_of_the_letters_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for url in ("../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "./../letter.da.md"):
        line = put_translation(
            "Vi vil desuden opfordre",
            "We would also ask you to follow KL on Twitter and on KL’s Facebook page "
            "[www.facebook.com/kommunerne](https://www.facebook.com/kommunerne) and to sign "
            f"up for KL’s daily newsletter at [www.kl.dk]({url}).",
        )
        assert main(["lint", "en"]) == 1
        report = capsys.readouterr()
        expected = f"letter.po:{line}: msgstr links to an unsafe URL '{url}': {OUTSIDE}"
        assert expected in report.out + report.err, report


@pytest.mark.parametrize("url", ["../../../etc/passwd", "..%2fx.html", "/etc/passwd"])
def test_behind_the_checks_a_link_out_of_the_folder_loses_its_target(url: str) -> None:
    """The translation's second line of defence (``translate.sanitise``) and the
    renderers' (``render/guard.py``) ask the same policy."""
    assert not safe_target(url)
    link = {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "her"}], [url, ""]]}
    assert sanitise([link], [{"t": "Str", "c": "her"}]) == [{"t": "Str", "c": "her"}]


def test_no_renderer_writes_a_link_out_of_the_folder(tmp_path: Path) -> None:
    letter = parse_letter(HEAD + "Tekst.\n", str(tmp_path / "letter.da.md"))
    doc = with_context(letter.doc, RenderContext("da", None, (), "urn:x", "da", 0))
    link = {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "her"}], ["../../x.html", ""]]}
    doc["blocks"].append({"t": "Para", "c": [link]})
    with pytest.raises(ToolError, match=re.escape(f"link ../../x.html {OUTSIDE}")):
        html.render_html(doc, str(tmp_path))


# -- images named as a browser names them ---------------------------------------------

ENCODED = "![Kortet](kort%20over%20byen.png)\n\n![Logoet](logo.png?v=2)"


@pytest.mark.slow
def test_encoded_names_and_queries_name_the_image_beside_the_letter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``targets.load_image`` read these while the letter's check said "not there"."""
    (tmp_path / "kort over byen.png").write_bytes(PNG)
    (tmp_path / "logo.png").write_bytes(OTHER_PNG)
    monkeypatch.chdir(tmp_path)
    assert publish(tmp_path, ENCODED) == 0
    page = Path("build/da/letter.da.html").read_text(encoding="utf-8")
    for data in (PNG, OTHER_PNG):
        assert f"data:image/png;base64,{base64.b64encode(data).decode()}" in page
    assert Path("build/da/letter.da.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("changed", ["kort over byen.png", "logo.png"])
def test_the_build_cache_reads_the_image_the_letter_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: str
) -> None:
    """The cache key changes with the image the outputs show, however it is named."""
    (tmp_path / "kort over byen.png").write_bytes(PNG)
    (tmp_path / "logo.png").write_bytes(PNG)
    (tmp_path / "letter.da.md").write_text(HEAD + ENCODED + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = source_digest(read_letter(Path("letter.da.md")))
    (tmp_path / changed).write_bytes(OTHER_PNG)
    assert source_digest(read_letter(Path("letter.da.md"))) != before


# -- HTML pandoc drops without a trace ----------------------------------------------------

DROPPED = {
    "line-block": ("| Første linje\n| <script>alert(1)</script>\n| Tredje linje", 9),
    "line-block-div": ("| a <div>b</div> c", 8),
    "table-cell": ("| <script>x</script> | b |\n|---|---|\n| c | d |", 8),
    "footnote": ("Tekst.^[En note <script>alert(1)</script> her.]", 8),
    "link-text": ("[a <div>b</div> c](https://www.kl.dk)", 8),
    "div-written-in-html": ("Tekst.\n\n<div>skjult</div>", 10),
    "form-in-a-line-block": ('| Linje\n| <form action="https://example.org">x</form>', 9),
}


@pytest.mark.parametrize("case", sorted(DROPPED))
def test_html_pandoc_would_drop_is_refused_at_its_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: str,
) -> None:
    body, line = DROPPED[case]
    monkeypatch.chdir(tmp_path)
    assert publish(tmp_path, body) == 1
    err = capsys.readouterr().err
    assert f"letter.da.md:{line}: raw HTML is not allowed in a letter (<" in err, err
    assert not Path("build").exists()


def test_a_tag_written_as_text_in_a_line_block_is_published_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    body = "| Første linje\n| \\<script> som tekst, og 3 \\< 4\n| `<b>` i kode"
    assert publish(tmp_path, body, "--format", "html") == 0
    page = Path("build/da/letter.da.html").read_text(encoding="utf-8")
    assert "&lt;script&gt; som tekst, og 3 &lt; 4" in page
    assert "<code>&lt;b&gt;</code>" in page
