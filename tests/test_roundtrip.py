"""The one walk: identity translation rebuilds the source; pseudo-translation keeps structure."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import golden
from helpers import (
    CORPUS_DOCS,
    all_messages,
    blocks_skeleton,
    catalog_with,
    load,
    pseudo_strings,
    targets,
)
from klpublish.segments import iter_nodes, soft_breaks_to_spaces
from klpublish.source import parse_letter
from klpublish.translate import translate_letter


def identity_roundtrip(text: str) -> None:
    letter = parse_letter(text, "doc.md")
    messages = all_messages(letter)
    catalog = catalog_with(messages, [m.msgid for m in messages])
    doc, outcome = translate_letter(letter, catalog, "doc.po")
    assert not outcome.problems, [str(p) for p in outcome.problems]
    assert outcome.untranslated == 0
    assert doc == soft_breaks_to_spaces(letter.doc)


def pseudo_roundtrip(text: str) -> None:
    letter = parse_letter(text, "doc.md")
    messages = all_messages(letter)
    catalog = catalog_with(messages, pseudo_strings(messages))
    doc, outcome = translate_letter(letter, catalog, "doc.po")
    assert not outcome.problems, [str(p) for p in outcome.problems]
    source = soft_breaks_to_spaces(letter.doc)
    assert blocks_skeleton(doc["blocks"]) == blocks_skeleton(source["blocks"])
    assert targets(doc) == targets(source)
    # Every translatable word was replaced; untranslatable text stayed as it was.
    for node in iter_nodes(doc["blocks"]):
        if node["t"] in ("CodeBlock", "RawBlock", "Code"):
            assert "⟦" not in str(node["c"])
    words = [
        n["c"]
        for n in iter_nodes(doc["blocks"])
        if n["t"] == "Str" and any(ch.isalpha() for ch in n["c"])
    ]
    assert all(w.startswith("⟦") and w.endswith("⟧") for w in words), words
    title = [n["c"] for n in iter_nodes(doc["meta"]["title"]) if n["t"] == "Str"]
    assert title and all(w.startswith("⟦") for w in title), title


@pytest.mark.parametrize("path", CORPUS_DOCS, ids=lambda p: p.stem)
def test_identity_translation_rebuilds_the_source(path: Path) -> None:
    identity_roundtrip(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CORPUS_DOCS, ids=lambda p: p.stem)
def test_pseudo_translation_keeps_blocks_links_and_notes(path: Path) -> None:
    pseudo_roundtrip(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CORPUS_DOCS, ids=lambda p: p.stem)
def test_extraction_matches_golden_template(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", golden.EPOCH)
    expected = golden.golden_path(path).read_bytes()
    assert b"Generated-By" not in expected, "golden files do not pin Babel's version"
    assert golden.extracted(path).decode("utf-8") == expected.decode("utf-8")


def test_corpus_covers_every_construct() -> None:
    kinds = set()
    descriptions = []
    for path in CORPUS_DOCS:
        for m in all_messages(load(path)):
            kinds.add(m.site.kind)
            descriptions.append(m.comment)
    assert {
        "heading",
        "paragraph",
        "list item",
        "term",
        "line",
        "metadata: title",
        "metadata: subtitle",
        "metadata: abstract",
    } <= kinds
    joined = "\n".join(descriptions).lower()
    for needle in (
        "table body cell",
        "table header cell",
        "table caption",
        "footnote 1",
        "footnote 2",
        "block quote",
        "figure caption",
        "list item 1 of 2, in list item 2 of 3",
    ):
        assert needle in joined, needle


# -- generated documents -------------------------------------------------------

WORDS = st.sampled_from(
    ["kommune", "råd", "KL", "98", "velfærd", "borgere", "æble", "Ø-land", "vækst", "2018"]
)


@st.composite
def inline_text(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        word = draw(WORDS)
        style = draw(st.sampled_from(["plain", "plain", "emph", "strong", "link", "code"]))
        if style == "emph":
            word = f"*{word}*"
        elif style == "strong":
            word = f"**{word}**"
        elif style == "link":
            word = f"[{word}](https://example.org/{draw(st.integers(0, 9))})"
        elif style == "code":
            word = f"`{word}`"
        parts.append(word)
    return " ".join(parts)


@st.composite
def block(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(
        st.sampled_from(
            ["para", "heading", "list", "quote", "note"] if depth < 2 else ["para", "heading"]
        )
    )
    if kind == "heading":
        return "## " + draw(inline_text())  # levels may not skip: the title is level 1
    if kind == "list":
        items = draw(
            st.lists(block(depth + 1) if depth < 1 else inline_text(), min_size=1, max_size=3)
        )
        lines = []
        for item in items:
            first, *rest = item.splitlines() or [""]
            lines.append(f"- {first}")
            lines.extend(f"  {r}" if r else "" for r in rest)
        return "\n".join(lines)
    if kind == "quote":
        return "\n".join(f"> {line}" for line in draw(inline_text()).splitlines())
    if kind == "note":
        return f"{draw(inline_text())}^[{draw(inline_text())}]"
    return draw(inline_text())


@st.composite
def document(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(block(), min_size=1, max_size=6))
    return "---\ntitle: Prøve\nlang: da\n---\n\n" + "\n\n".join(blocks) + "\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document())
def test_generated_documents_round_trip(text: str) -> None:
    identity_roundtrip(text)
    pseudo_roundtrip(text)
