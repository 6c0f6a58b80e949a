"""Every caller of the link and image policy gives its answer: the letter's
checks (body and front matter), the translation checks, memory, the sanitiser
behind the checks, the renderers, the build cache and the front matter's web
address. One table of addresses, the policy's verdict on each hard-coded, and
each caller held to it, message included: a caller that judged for itself
(or not at all) fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from klpublish.build.cache import source_digest
from klpublish.catalogs.memory import Unit, refusals
from klpublish.errors import Location, SourceError, ToolError
from klpublish.letter.front_matter import load_front_matter
from klpublish.letter.policy import TargetError, Use, judge
from klpublish.letter.read import parse_letter, read_letter
from klpublish.render.guard import guarded
from klpublish.segments import markdown as segment_markdown
from klpublish.translation.checkers import check_pair
from klpublish.translation.pair import Pair
from klpublish.translation.translate import sanitise
from test_target_meaning import DECOY, SHOWN

HEAD = "---\ntitle: Et brev\nlang: da\n---\n\nKære læser\n\n"

LINKS = {
    "https://www.kl.dk/om-kl?a=1#b": True,
    "mailto:kl@kl.dk": True,
    "tel:+4533703370": True,
    "bilag.pdf?v=2": True,
    "bilag%20nr%202.pdf": True,
    "#slut": True,
    "javascript:alert(1)": False,
    "../bilag.pdf": False,
    "..%2fbilag.pdf": False,
    "%252e%252e/bilag.pdf": False,
    "//evil.example/x": False,
    "file:///etc/passwd": False,
    "https://www.kl.dk@evil.example/": False,
}
IMAGES = {
    "map%20x.png": True,
    "map%2520x.png": True,
    "q.png?v=2": True,
    "./q.png#top": True,
    "https://www.kl.dk/q.png": False,
    "?v=2": False,
    "..%2fq.png": False,
    "data:image/png;base64,iVBORw0KGgo": False,
    "mailto:kl@kl.dk": False,
}
PICTURES = ("map x.png", "map%20x.png", "q.png")
"""The files beside the letter, each a picture of its own."""

CASES = [(Use.LINK, url) for url in LINKS] + [(Use.IMAGE, url) for url in IMAGES]
KIND = {Use.LINK: "link", Use.IMAGE: "image"}


def allowed(use: Use, url: str) -> bool:
    return (LINKS if use is Use.LINK else IMAGES)[url]


def why(use: Use, url: str) -> str:
    """The policy's word on ``url``, which every caller must say."""
    with pytest.raises(TargetError) as refused:
        judge(url, use)
    return str(refused.value)


PLACE = "\n[Slut]{#slut}.\n"
"""The place ``#slut`` names: a link to a place the letter lacks is refused."""


def markdown(use: Use, url: str, words: str = "Kort") -> str:
    return f"![{words}]({url})" if use is Use.IMAGE else f"[{words}]({url})"


def node(use: Use, url: str) -> dict[str, object]:
    kind = "Image" if use is Use.IMAGE else "Link"
    return {"t": kind, "c": [["", [], []], [{"t": "Str", "c": "Kort"}], [url, ""]]}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for n, name in enumerate(PICTURES):
        (tmp_path / name).write_bytes(SHOWN if n % 2 else DECOY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("use", "url"), CASES)
def test_the_policy_itself(use: Use, url: str) -> None:
    if allowed(use, url):
        judge(url, use)
    else:
        assert why(use, url)


@pytest.mark.parametrize(("use", "url"), CASES)
def test_the_letters_body(folder: Path, use: Use, url: str) -> None:
    text = HEAD + f"Se {markdown(use, url)} her.\n" + PLACE
    if allowed(use, url):
        parse_letter(text, "letter.da.md")
        return
    with pytest.raises(SourceError) as refused:
        parse_letter(text, "letter.da.md")
    assert str(refused.value) == f"letter.da.md:8: {KIND[use]} {url} {why(use, url)}"


@pytest.mark.parametrize(("use", "url"), CASES)
def test_the_letters_front_matter(folder: Path, use: Use, url: str) -> None:
    head = f'---\ntitle: Et brev\nlang: da\nabstract: "Se {markdown(use, url)}."\n---\n\n'
    text = head + "Tekst.\n" + PLACE
    Path("letter.da.md").write_text(text, encoding="utf-8")
    if allowed(use, url):
        read_letter(Path("letter.da.md"))
        return
    with pytest.raises(SourceError) as refused:
        read_letter(Path("letter.da.md"))
    assert str(refused.value) == f"letter.da.md:4: {KIND[use]} {url} {why(use, url)}"


def _pair(use: Use, url: str) -> Pair:
    msgid, msgstr = f"Se {markdown(use, url)} her.", f"See {markdown(use, url, 'Map')} here."
    source, translation = segment_markdown.parse([msgid, msgstr], [0, 0], "test")
    assert isinstance(source, list) and isinstance(translation, list)
    return Pair(msgid, source, msgstr, translation)


@pytest.mark.parametrize(("use", "url"), CASES)
def test_the_translation_checks(use: Use, url: str) -> None:
    found = [p.message for p in check_pair(_pair(use, url))]
    unsafe = [m for m in found if "unsafe URL" in m]
    if allowed(use, url):
        assert not unsafe, found
    else:
        assert unsafe == [f"msgstr links to an unsafe URL {url[:40]!r}: {why(use, url)}"]


@pytest.mark.parametrize(("use", "url"), CASES)
def test_memory(use: Use, url: str) -> None:
    """Memory offers only what a translator could publish: its translations go
    through the same checks (``memory.refusals``), so through the policy."""
    msgid, msgstr = f"Se {markdown(use, url)} her.", f"See {markdown(use, url, 'Map')} here."
    unit = Unit(msgid, None, msgstr, Location("compendium.po", 3))
    found = refusals([unit])
    if allowed(use, url):
        assert found == {}
    else:
        assert found == {unit: f"msgstr links to an unsafe URL {url[:40]!r}: {why(use, url)}"}


@pytest.mark.parametrize(("use", "url"), CASES)
def test_the_sanitiser_behind_the_checks(use: Use, url: str) -> None:
    kept = sanitise([node(use, url)], [])
    assert (kept == [node(use, url)]) is allowed(use, url), kept


@pytest.mark.parametrize(("use", "url"), CASES)
def test_the_renderers(folder: Path, use: Use, url: str) -> None:
    doc = {"meta": {}, "blocks": [{"t": "Para", "c": [node(use, url)]}]}
    if allowed(use, url):
        _, pictures = guarded(doc, folder, "HTML")
        if use is Use.IMAGE:
            [picture] = pictures.values()
            assert picture.data == judge(url, use).path(folder).read_bytes()
        return
    with pytest.raises(ToolError) as refused:
        guarded(doc, folder, "HTML")
    assert str(refused.value) == f"HTML: {KIND[use]} {url} {why(use, url)}"


@pytest.mark.parametrize("url", [url for url, ok in IMAGES.items() if ok])
def test_the_build_cache_hashes_the_file_the_renderers_read(folder: Path, url: str) -> None:
    Path("letter.da.md").write_text(HEAD + f"![Kort]({url})\n", encoding="utf-8")
    letter = read_letter(Path("letter.da.md"))
    _, pictures = guarded(letter.doc, folder, "HTML")
    [shown] = pictures.values()
    named = judge(url, Use.IMAGE).path(folder)
    assert shown.data == named.read_bytes()
    before = source_digest(letter)
    for name in PICTURES:
        path = folder / name
        old = path.read_bytes()
        path.write_bytes(DECOY if old == SHOWN else SHOWN)
        changed = source_digest(read_letter(Path("letter.da.md"))) != before
        path.write_bytes(old)
        assert changed is (path == named), name


WEB = {
    "https://www.kl.dk": True,
    "http://kl.dk/om-kl?a=1": True,
    "www.kl.dk": False,
    "mailto:kl@kl.dk": False,
    "https://www.kl.dk@evil.example/": False,
    " https://www.kl.dk": False,
    "https://www.kl.dk/a b": False,
}


@pytest.mark.parametrize("url", sorted(WEB))
def test_the_front_matter_web_address(url: str) -> None:
    yaml = f'title: Et brev\nlang: da\nsender:\n  name: KL\n  web: "{url}"\n'
    if WEB[url]:
        assert load_front_matter(yaml, "letter.da.md", 2)["sender"]["web"] == url
        judge(url, Use.WEB)
        return
    with pytest.raises(SourceError) as refused:
        load_front_matter(yaml, "letter.da.md", 2)
    expected = re.escape(
        "letter.da.md:6: front matter 'sender.web' must be a web address such as "
        f"https://www.kl.dk: {why(Use.WEB, url)}"
    )
    assert re.fullmatch(expected, str(refused.value))
