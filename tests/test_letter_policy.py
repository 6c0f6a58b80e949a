"""What a letter may hold is published as it stands; the limits of the policy
(dates, fonts) are where SECURITY.md says they are; lint, status and publish agree."""

from __future__ import annotations

import base64
import http.server
import json
import os
import shutil
import threading
import time
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers import hang_bound
from klpublish.__main__ import main
from klpublish.errors import ToolError
from klpublish.letter.read import parse_letter
from klpublish.render import pdf
from klpublish.render.context import RenderContext, with_context

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)

ALLOWED = """---
title: Et brev
lang: da
date: {date}
sender:
  name: KL
  address:
    - Weidekampsgade 10
  web: https://www.kl.dk
---

Kære læser

Skriv til [os](mailto:kl@kl.dk), ring på [33 70 33 70](tel:+4533703370), læs
[hjemmesiden](https://www.kl.dk) eller [bilaget](bilag.pdf), eller se
[afsnittet](#slut).

Et ord på [English]{{lang=en}} og [عربي]{{lang=ar dir=rtl}}, et billede:

![KL's logo](logo.png){{width=40%}}

Første linje\\
anden linje, og \\<script\\> som tekst.

## Slut {{#slut}}

Tak.
"""


@pytest.mark.slow
@pytest.mark.parametrize("date", ["1980-01-01", "2018-01-10", "2099-12-31"])
def test_what_a_letter_may_hold_is_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, date: str
) -> None:
    (tmp_path / "letter.da.md").write_text(ALLOWED.format(date=date), encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(PNG)
    (tmp_path / "bilag.pdf").write_bytes(b"%PDF-1.4\n")
    monkeypatch.chdir(tmp_path)
    assert main(["publish", "--source", "letter.da.md", "--locales", "none"]) == 0
    page = Path("build/da/letter.da.html").read_text(encoding="utf-8")
    for expected in (
        'href="mailto:kl@kl.dk"',
        'href="tel:+4533703370"',
        'href="bilag.pdf"',
        'lang="en"',
        "&lt;script&gt; som tekst",
        "data:image/png;base64,",
    ):
        assert expected in page, expected
    assert "<script" not in page
    assert Path("build/da/letter.da.pdf").read_bytes().startswith(b"%PDF")
    assert Path("build/da/letter.da.epub").stat().st_size > 0


def test_a_typst_error_names_the_language_and_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG)
    letter = parse_letter("---\ntitle: Brev\nlang: da\n---\n\nTekst.\n", str(tmp_path / "l.md"))
    ctx = RenderContext("de", None, (), "urn:x", "da", 0)
    doc = with_context(letter.doc, ctx)
    # An image with no alt text, which PDF/UA forbids (the checks refuse it earlier).
    image = {"t": "Image", "c": [["", [], []], [], ["logo.png", ""]]}
    doc["blocks"].append({"t": "Para", "c": [image]})
    with pytest.raises(ToolError) as caught:
        pdf.render_pdf(doc, ctx, letter)
    message = str(caught.value)
    assert message.startswith("de: Typst could not make the PDF from block 2 of the letter: ")
    assert "klpublish lint" in message


@pytest.mark.slow
def test_lint_status_and_publish_agree_on_characters_no_font_has(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = Path("locale/de/LC_MESSAGES/letter.po")
    text = po.read_text(encoding="utf-8")
    old = 'msgstr "Sehr geehrte Mitglieder der Kommunalvertretungen,"'
    assert old in text
    po.write_text(
        text.replace(old, 'msgstr "Sehr geehrte Mitglieder der Kommunalvertretungen 🎉 漢字,"'),
        encoding="utf-8",
    )
    lines = po.read_text(encoding="utf-8").splitlines()
    msgid_line = next(n for n, line in enumerate(lines, start=1) if "🎉" in line) - 1
    expected = f"locale/de/LC_MESSAGES/letter.po:{msgid_line}: no font of the PDF has 🎉 (U+1F389)"
    capsys.readouterr()
    assert main(["lint", "de"]) == 1
    assert expected in capsys.readouterr().err
    assert main(["status", "--json"]) == 0
    rows = {row["lang"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["de"]["published"] is False
    assert expected in rows["de"]["reason"]
    assert main(["publish"]) == 1
    err = capsys.readouterr().err
    assert expected in err
    assert "Typst" not in err
    assert Path("build/en/letter.en.pdf").is_file()
    assert not Path("build/de").exists()


@pytest.mark.slow
def test_a_word_in_another_shipped_script_reaches_the_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typst falls back across the shipped fonts: Arabic in a Danish letter is shown."""
    shutil.copy(Path(__file__).parent / "bad-sources" / "cjk-in-letter.md", tmp_path / "l.md")
    source = tmp_path / "l.md"
    source.write_text(source.read_text().replace("谢谢", "شكرا"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["publish", "--source", "l.md", "--locales", "none", "--format", "pdf"]) == 0


def test_nested_brackets_in_a_letter_take_no_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pandoc's citation parser is exponential in nested brackets; a letter is
    read without it."""
    (tmp_path / "l.md").write_text(f"---\ntitle: T\nlang: da\n---\n\n{'[' * 40} x\n")
    monkeypatch.chdir(tmp_path)
    with hang_bound("publish of 40 nested brackets"):
        assert main(["publish", "--source", "l.md", "--locales", "none", "--format", "html"]) == 0


HOSTILE = st.lists(
    st.sampled_from(
        [
            *"[]()$#@\\<>&*_`{}!^~|:/=\"' \n",
            "\u200b",
            "\u200d",
            "\u202e",
            "\u2066",
            "\u00a0",
            "𝕏",
            "😀",
            "漢",
            "ش",
            "<script>",
            "onclick=",
            "javascript:",
            "data:",
            "file:///etc/passwd",
            "{=html}",
            "{=typst}",
            "```",
            "---",
            "&#106;",
            "![a](",
            "[b](",
            "^[",
            "SERVER/x.png",
            "../../etc/passwd",
            "\\input{x}",
            "#read(",
            "*a",
        ]
    ),
    min_size=1,
    max_size=60,
).map("".join)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=HOSTILE)
@example(body="Tekst <script>alert(1)</script> her.")
@example(body='Se <a href="#" onmouseover="alert(1)">her</a>.')
@example(body="[klik](javascript:alert(1)) og [x]{onclick=alert(1)}")
@example(body="![et billede](SERVER/x.png)")
@example(body="[" * 30 + "x")
def test_hostile_letter_text_is_refused_or_published_inert(tmp_path: Path, body: str) -> None:
    """No traceback, no hang, no live markup, nothing read or fetched."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    work = tmp_path / f"case-{time.monotonic_ns()}"
    work.mkdir()
    server = f"http://127.0.0.1:{httpd.server_address[1]}"
    text = "---\ntitle: Et brev\nlang: da\n---\n\nKære læser\n\n" + body.replace("SERVER", server)
    (work / "l.md").write_text(text + "\n", encoding="utf-8")
    old = Path.cwd()
    os.chdir(work)
    try:
        with hang_bound("publish of a hostile letter"):
            code = main(["publish", "--source", "l.md", "--locales", "none", "--no-index"])
    finally:
        os.chdir(old)
        httpd.shutdown()
        httpd.server_close()
    assert code in (0, 1)
    assert requests == []
    page = work / "build/da/l.da.html"  # a letter's outputs are named after it
    if code == 0:
        tree = lxml.html.fromstring(page.read_bytes())
        assert not tree.xpath("//script | //iframe | //object | //embed")
        for element in tree.iter():
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (name, value)
                if name in ("href", "src"):
                    assert not value.lower().startswith(("javascript:", "file:", "vbscript:"))
                    assert not value.startswith(server)
        assert b"root:x:0:0" not in page.read_bytes()
