"""Random text over a hostile alphabet, as a translator could write it, through
lint and publish: never a traceback, never a hang, never live markup, never a
file from outside the letter, never a request to the network. (How long such
text takes: ``bench/hostile_scale.py``.)"""

from __future__ import annotations

import base64
import zipfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from helpers import WebServer, hang_bound
from klpublish.__main__ import main

EN = Path("locale/en/LC_MESSAGES/letter.po")
SECRET = "SECRET-CONTENT-7f3a"
TARGET = "Vi glæder os"
"""The entry filled at random: a paragraph with no links or numbers, so that a
hostile text that passes the checks is published and its outputs examined."""


def _alphabet(base: str) -> st.SearchStrategy[str]:
    fragments = [
        *"[]()$#@\\<>&!*_`^~{}=:|\"'%-+.,;/",
        "\n",
        "\n\n",
        " ",
        "\x00",
        "\x07",
        "\x1b",
        "\u200b",
        "\u200c",
        "\u200d",
        "\u202e",
        "\u2066",
        "\u2028",
        "\ufeff",
        "\ufffe",
        "\uffff",
        "\U000e0041",
        "\u3164",
        "\U0001d518",
        "\U0001f600",
        "\U00010348",
        "\u00a0",
        "ﷺ",
        "![x](",
        "](",
        f"{base}/x.png",
        f"{base}/x.css",
        "../secret.txt",
        "secret.txt",
        "/etc/passwd",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        " onmouseover=alert(1)",
        "{=html}",
        "{=typst}",
        "{onclick=x}",
        "[^1]",
        "[^2]: ",
        "^[",
        "---",
        "&#x3c;",
        "@cite",
        '#read("../secret.txt")',
        "$x$",
        "\\begin{x}",
        "::: {.x}",
        "```",
        "KL ",
        "og ",
    ]
    text = st.lists(st.sampled_from(fragments) | st.text(max_size=3), min_size=1, max_size=12).map(
        "".join
    )
    urls = st.sampled_from(
        [
            f"{base}/x.png",
            f"{base}/x.svg",
            "../secret.txt",
            "secret.txt",
            "/etc/passwd",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "https://www.kl.dk",
        ]
    )

    def markup(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        """Markdown constructs wrapped around hostile text: how a translator
        would smuggle an image, a link, a note or an attribute in."""
        return st.one_of(
            st.builds("![{}]({})".format, inner, urls),
            st.builds("[{}]({})".format, inner, urls),
            st.builds("^[{}]".format, inner),
            st.builds("x[^9] {}\n\n[^9]: {}".format, inner, inner),
            st.builds("[{}]{{{}}}".format, inner, st.sampled_from(["onclick=x", ".c", "#i"])),
            st.builds("`{}`{{=html}}".format, inner),
            st.builds("{} {}".format, inner, inner),
        )

    return st.recursive(text, markup, max_leaves=6)


def _put(text: str) -> None:
    with EN.open("rb") as handle:
        catalog = read_po(handle)
    [message] = [m for m in catalog if m.id and str(m.id).startswith(TARGET)]
    message.string = text
    with EN.open("wb") as handle:
        write_po(handle, catalog, width=0)


def _bounded(argv: list[str]) -> int:
    with hang_bound(f"klpublish {' '.join(argv)}"):
        code = main(argv)  # an exception here is a traceback: the test fails on it
    assert code in (0, 1)
    return code


def _live_markup(page: bytes, name: str) -> None:
    tree = lxml_html.fromstring(page)
    assert not tree.xpath("//script | //iframe | //object | //embed | //base | //form"), name
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for attr, value in element.attrib.items():
            assert not attr.lower().startswith("on"), (name, attr)
            if value.startswith("data:") and ";base64," in value:
                payload = base64.b64decode(value.split(",", 1)[1] + "==")
                assert SECRET.encode() not in payload, name
            if attr in ("href", "src", "xlink:href", "action"):
                scheme = value.strip().lower()
                assert not scheme.startswith(("javascript:", "vbscript:", "file:")), (name, value)
                assert not scheme.startswith("data:") or attr == "src", (name, value)


def _outputs_are_safe(build: Path) -> None:
    for path in build.rglob("*"):
        if not path.is_file() or path.suffix not in (".html", ".epub", ".pdf"):
            continue
        if path.suffix == ".html":
            data = path.read_bytes()
            _live_markup(data, str(path))
            assert SECRET.encode() not in data
        elif path.suffix == ".epub":
            with zipfile.ZipFile(path) as book:
                for name in book.namelist():
                    data = book.read(name)
                    assert SECRET.encode() not in data, name
                    if name.endswith(".xhtml"):
                        _live_markup(data, f"{path}:{name}")
        else:
            assert SECRET.encode() not in path.read_bytes()


@pytest.mark.slow
def test_random_hostile_translations(project: Path, web_server: WebServer) -> None:
    server = web_server.url
    for place in (project / "secret.txt", project / "source" / ".." / ".." / "secret.txt"):
        place.resolve().write_text(SECRET, encoding="utf-8")

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(_alphabet(server))
    @example(f"We look forward^[![x]({server}/x.png)] to it.")
    @example("We look forward[^9] to it.\n\n[^9]: ![y](../secret.txt)")
    @example("We look forward to [it]{onclick=alert(1)}.")
    def attempt(text: str) -> None:
        web_server.requests.clear()
        _put(text)
        _bounded(["lint", "en"])
        _bounded(["publish", "--lang", "en"])
        _outputs_are_safe(project / "build")
        assert web_server.requests == [], web_server.requests

    attempt()
