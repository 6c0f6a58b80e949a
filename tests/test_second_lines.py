"""Second lines of defence, each on its own: checks that an earlier check makes hard to
reach through a whole run, pinned here so that weakening one is seen at once."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from klpublish.catalogs.po import merge
from klpublish.errors import SourceError
from klpublish.letter.front_matter import load_front_matter
from klpublish.letter.policy import TargetError, Use, judge, load_image, scheme
from klpublish.translation.translate import sanitise

FRONT = "title: Brev\nlang: da\nsender:\n  name: KL\n  web: {web}\n"


@pytest.mark.parametrize(
    "web",
    [
        "'https://www.kl.dk/ x'",
        "'https://www.kl.dk/\"onmouseover=\"x'",
        "'https://www.kl.dk/<b>'",
        '"https://www.kl.dk/\'x"',
        "'https://www.kl.dk/\\\\x'",
        "'javascript:alert(1)//https://www.kl.dk'",
        "'www.kl.dk'",
        "'https://'",
    ],
)
def test_the_senders_web_address_is_a_whole_address(web: str) -> None:
    with pytest.raises(SourceError, match="must be a web address"):
        load_front_matter(FRONT.format(web=web), "letter.da.md", 2)


def test_a_plain_web_address_passes() -> None:
    meta = load_front_matter(FRONT.format(web="https://www.kl.dk/om-kl"), "letter.da.md", 2)
    assert meta["sender"]["web"] == "https://www.kl.dk/om-kl"


@pytest.mark.parametrize(
    "url",
    [
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "java\rscript:alert(1)",
        " javascript:alert(1)",
        "\x01javascript:alert(1)",
        "JAVA\tSCRIPT:alert(1)",
        "vb\tscript:msgbox(1)",
        "da\nta:text/html,<script>alert(1)</script>",
    ],
)
def test_a_scheme_split_by_what_browsers_drop_is_still_that_scheme(url: str) -> None:
    assert scheme(url) in ("javascript", "vbscript", "data")
    with pytest.raises(TargetError, match="is not allowed"):
        judge(url, Use.LINK)


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}</svg>'


@pytest.mark.parametrize(
    "inner",
    [
        '<foreignObject width="10" height="10"><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
        "</foreignObject>",
        "<script>alert(1)</script>",
        '<rect width="1" height="1" onclick="alert(1)"/>',
    ],
)
def test_an_svg_that_embeds_or_runs_something_is_refused(inner: str, tmp_path: Path) -> None:
    (tmp_path / "x.svg").write_text(SVG.format(inner), encoding="utf-8")
    with pytest.raises(TargetError):
        load_image("x.svg", tmp_path)


@pytest.mark.parametrize(
    ("inner", "named"),
    [
        ('<foreignObject width="10" height="10"/>', "<foreignObject>"),
        ("<foreignObject>Tekst</foreignObject>", "<foreignObject>"),
        ('<set attributeName="fill" to="red"/>', "<set>"),
    ],
)
def test_an_svg_element_outside_the_allowlist_is_named(
    inner: str, named: str, tmp_path: Path
) -> None:
    """Even empty, or holding only text: the element itself is refused, by name."""
    (tmp_path / "x.svg").write_text(SVG.format(inner), encoding="utf-8")
    with pytest.raises(TargetError, match=f"SVG element {named} is not allowed"):
        load_image("x.svg", tmp_path)


def test_a_plain_svg_passes(tmp_path: Path) -> None:
    (tmp_path / "x.svg").write_text(SVG.format('<rect width="1" height="1"/>'), encoding="utf-8")
    assert load_image("x.svg", tmp_path).mime == "image/svg+xml"


def _link(url: str) -> dict[str, object]:
    return {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "her"}], [url, ""]]}


def _image(url: str) -> dict[str, object]:
    return {"t": "Image", "c": [["", [], []], [{"t": "Str", "c": "kort"}], [url, ""]]}


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "DATA:text/html,x",
    ],
)
def test_the_sanitiser_strips_every_unsafe_target(url: str) -> None:
    source = [{"t": "Str", "c": "Tekst"}]
    assert sanitise([_link(url)], source) == [{"t": "Str", "c": "her"}]
    assert sanitise([_image(url)], source) == [{"t": "Str", "c": "kort"}]


@pytest.mark.parametrize("url", ["https://www.kl.dk", "mailto:kl@kl.dk", "tel:+4533703370", "#a"])
def test_the_sanitiser_keeps_safe_targets(url: str) -> None:
    assert sanitise([_link(url)], [{"t": "Str", "c": "Tekst"}]) == [_link(url)]


def test_an_older_obsolete_translation_is_not_replaced_by_an_untranslated_one() -> None:
    """Babel's update overwrites an obsolete entry with the active entry of the same key
    that the template dropped. A catalog holding both is refused by msgfmt (below), so
    only a caller of ``merge`` can reach this; it must still lose no translation."""
    catalog = Catalog(locale="de")
    catalog.add("Gammel tekst", "")
    catalog.obsolete["Gammel tekst"] = catalog["Gammel tekst"].__class__(
        "Gammel tekst", "Alter Text"
    )
    template = Catalog(locale="de")
    template.add("Ny tekst")
    merge(catalog, template)
    assert catalog.obsolete["Gammel tekst"].string == "Alter Text"


def test_a_catalog_with_an_active_and_an_obsolete_entry_of_one_key_is_refused(
    tmp_path: Path,
) -> None:
    po = tmp_path / "de.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: de\\n"\n\n'
        'msgid "X"\nmsgstr ""\n\n#~ msgid "X"\n#~ msgstr "Y"\n',
        encoding="utf-8",
    )
    proc = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode != 0 and "duplicate message definition" in proc.stderr
