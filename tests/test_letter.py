"""The real letter: faithful to the seed, complete catalogs, real line numbers."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from helpers import ROOT
from klpublish.letter.nodes import plain_text
from klpublish.letter.read import read_letter
from klpublish.project import DEFAULT_SOURCE, Layout
from klpublish.segments.messages import letter_messages

SEED = Path(__file__).parent / "data" / "seed-letter.txt"
FURNITURE = re.compile(
    r"^(Side \d+ af \d+|Dato: .*|Sags ID: .*|Dok\. ID: .*|Weidekampsgade 10|Postboks 3370|"
    r"2300 København S|www\.kl\.dk|Martin Damm|Kristian Wendelboe|Venlig hilsen|"
    r"Til alle kommunalbestyrelsesmedlemmer)$"
)
"""Page furniture, and the address, closing and signatures the layout places."""
PUBLISHED = ["ar", "de", "en", "uk"]


def seed_body() -> tuple[list[str], list[str]]:
    """The seed's body sentences and its page-furniture lines."""
    blocks = re.split(r"\n\s*\n", SEED.read_text(encoding="utf-8"))
    lines = [[line.strip() for line in block.splitlines() if line.strip()] for block in blocks]
    furniture = [line for block in lines for line in block if FURNITURE.match(line)]
    paragraphs = [" ".join(x for x in block if not FURNITURE.match(x)) for block in lines]
    body: list[str] = []
    carry = ""
    for para in paragraphs:
        if not para or FURNITURE.match(para) or para.startswith(("Dato:", "Weidekampsgade")):
            continue
        para = f"{carry} {para}".strip()
        carry = ""
        if para.endswith(" af"):  # a paragraph broken by the page end
            carry = para
            continue
        body.append(para)
    sentences = [s for p in body for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])", p)]
    return sentences, furniture


@pytest.fixture(scope="module")
def texts() -> list[str]:
    letter = read_letter(ROOT / "source" / "letter.da.md")
    return [plain_text(m.site.inlines) for m in letter_messages(letter) if not m.site.is_meta]


def test_every_seed_sentence_is_in_exactly_one_msgid(texts: list[str]) -> None:
    sentences, _ = seed_body()
    assert len(sentences) > 40
    for sentence in sentences:
        holders = [t for t in texts if sentence in t]
        assert len(holders) == 1, (sentence, holders)


def test_no_page_furniture_is_body_text(texts: list[str]) -> None:
    _, furniture = seed_body()
    assert any(f.startswith("Side ") for f in furniture)
    for line in furniture:
        assert line not in texts, line  # no furniture line is a segment
        if not line.startswith("www."):  # the web address is also named in the body
            assert not any(line in t for t in texts), line


def test_letter_parts_are_metadata() -> None:
    letter = read_letter(ROOT / "source" / "letter.da.md")
    meta = letter.meta
    assert meta["date"].isoformat() == "2018-01-10"
    assert meta["case-id"] == "SAG-2017-06094"
    assert str(meta["document-id"]) == "2435847"
    assert meta["recipient"] == "Til alle kommunalbestyrelsesmedlemmer"
    assert meta["closing"] == "Venlig hilsen"
    assert [s["name"] for s in meta["signatories"]] == ["Martin Damm", "Kristian Wendelboe"]
    assert meta["sender"]["address"] == ["Weidekampsgade 10", "Postboks 3370", "2300 København S"]
    assert meta["accessibility-summary"]


def test_template_is_current(tmp_path: Path) -> None:
    out = tmp_path / "letter.pot"
    from klpublish.catalogs.tasks import extract_template

    extract_template(ROOT / "source" / "letter.da.md", out)
    strip = re.compile(r'^"POT-Creation-Date: .*$', re.M)
    expected = (ROOT / "locale" / "letter.pot").read_text(encoding="utf-8")
    assert strip.sub("", out.read_text(encoding="utf-8")) == strip.sub("", expected)


def test_locations_point_at_the_segment() -> None:
    letter = read_letter(ROOT / "source" / "letter.da.md")
    lines = letter.lines
    for message in letter_messages(letter):
        words = re.findall(r"\w+", plain_text(message.site.inlines))
        assert words[0] in lines[message.line - 1], (message.line, message.msgid)


@pytest.mark.parametrize("lang", PUBLISHED)
def test_catalog_complete_and_accepted_by_msgfmt(lang: str) -> None:
    po = Layout(DEFAULT_SOURCE, locales=ROOT / "locale").po_path(lang)
    proc = subprocess.run(
        ["msgfmt", "-c", "--check-format", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "fuzzy" not in proc.stderr and "untranslated" not in proc.stderr, proc.stderr
    with po.open("rb") as handle:
        catalog = read_po(handle)
    template = ROOT / "locale" / "letter.pot"
    with template.open("rb") as handle:
        pot = read_po(handle)
    assert {(m.id, m.context) for m in catalog if m.id} == {(m.id, m.context) for m in pot if m.id}
    assert all(m.string and not m.fuzzy for m in catalog if m.id)


def test_pybabel_extract_gives_the_same_messages(project: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-o",
            "pybabel.pot",
            "--no-wrap",
            ".",
        ],
        check=True,
        capture_output=True,
    )
    from klpublish.__main__ import main

    assert main(["extract", "--output", "ours.pot"]) == 0
    with open("pybabel.pot", "rb") as a, open("ours.pot", "rb") as b:
        theirs, ours = read_po(a), read_po(b)

    def view(catalog: object) -> list[tuple[object, ...]]:
        return [
            (m.id, m.context, m.locations, m.auto_comments)
            for m in catalog  # type: ignore[attr-defined]
            if m.id
        ]

    assert view(theirs) == view(ours)
    assert len(view(ours)) > 20
