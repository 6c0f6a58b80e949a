"""The one walk: identity translation rebuilds the source; pseudo-translation keeps structure."""

from __future__ import annotations

import re
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
from klpublish.letter.nodes import iter_nodes, soft_breaks_to_spaces
from klpublish.letter.read import parse_document, parse_letter
from klpublish.translation.translate import translate_letter


def identity_roundtrip(text: str) -> None:
    letter = parse_document(text, "doc.md")
    messages = all_messages(letter)
    catalog = catalog_with(messages, [m.msgid for m in messages])
    doc, outcome = translate_letter(letter, catalog, "doc.po")
    assert not outcome.problems, [str(p) for p in outcome.problems]
    assert outcome.untranslated == 0
    assert doc == soft_breaks_to_spaces(letter.doc)


def pseudo_roundtrip(text: str) -> None:
    letter = parse_document(text, "doc.md")
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
            assert "‹" not in str(node["c"])
    words = [
        n["c"]
        for n in iter_nodes(doc["blocks"])
        if n["t"] == "Str" and any(ch.isalpha() for ch in n["c"])
    ]
    assert all(w.startswith("‹") and w.endswith("›") for w in words), words
    title = [n["c"] for n in iter_nodes(doc["meta"]["title"]) if n["t"] == "Str"]
    assert title and all(w.startswith("‹") for w in title), title


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


# -- other tools' test documents: copy source to translation -------------------------

ROUNDTRIP_DOCS = sorted((Path(__file__).parent / "roundtrip-docs").rglob("*.md"))
REFUSED_AT_PUBLISH = {
    "markuptext-ul-with-others": "link file://Python names a file on this computer",
    "po2md-ul": "link file://Python names a file on this computer",
    "markuptext-images": "image /assets/images/tux.png starts at the web site's root",
    "plaintext-images": "image /assets/images/tux.png starts at the web site's root",
    "po2md-images": "image /assets/images/tux.png starts at the web site's root",
    "link-titles": "image ikon.png is not there",
    "plaintext-links": "image /url has no alt text",
    "no-front-matter": "expected YAML front matter",
    "front-matter-only-comments": "front matter has no 'title'",
    "headings-and-escapes": "heading 'Dybt niveau' is level 4, after level 2",
}
"""Documents that extraction takes and publishing refuses, with the reason."""


def _comparable(value: object) -> object:
    """What a reader can tell apart: pandoc numbers citations by their place in
    the whole document (``citationNoteNum``), and writes nothing for an empty
    ``H~~O`` subscript."""
    if isinstance(value, list):
        return [
            _comparable(v)
            for v in value
            if not (isinstance(v, dict) and v.get("t") in _EMPTY_ABLE and v.get("c") == [])
        ]
    if isinstance(value, dict):
        return {k: 0 if k == "citationNoteNum" else _comparable(v) for k, v in value.items()}
    return value


_EMPTY_ABLE = ("Emph", "Strong", "Subscript", "Superscript", "Strikeout", "Underline", "SmallCaps")


def test_roundtrip_documents_are_there() -> None:
    assert len(ROUNDTRIP_DOCS) >= 70
    stems = {p.stem for p in ROUNDTRIP_DOCS}
    assert set(REFUSED_AT_PUBLISH) <= stems


@pytest.mark.parametrize("path", ROUNDTRIP_DOCS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_copying_the_source_gives_a_valid_translation(path: Path, tmp_path: Path) -> None:
    """Every msgid, copied as it is into its msgstr, is a valid translation that
    rebuilds the document: nothing dropped, nothing read as something else."""
    import dataclasses

    from klpublish.catalogs.po import load_catalog, serialise, template_catalog
    from klpublish.letter.read import parse_document

    letter = parse_document(path.read_text(encoding="utf-8"), str(path))
    letter = dataclasses.replace(letter, meta={"lang": "da", **letter.meta})
    messages = all_messages(letter)
    pot = tmp_path / "doc.pot"
    pot.write_bytes(serialise(template_catalog(messages, path.name)))
    load_catalog(pot)  # msgfmt -c
    po = tmp_path / "doc.po"
    po.write_bytes(serialise(catalog_with(messages, [m.msgid for m in messages])))
    catalog = load_catalog(po)
    reason = REFUSED_AT_PUBLISH.get(path.stem)
    if reason is not None:
        _assert_refused_at_publish(path, reason)
        if _policy_refuses_a_target(letter.doc):
            return  # nor may a translation hold that link or image (checks.safe_urls)
    doc, outcome = translate_letter(letter, catalog, str(po))
    assert not outcome.problems, [str(p) for p in outcome.problems]
    assert outcome.translated == len(messages) and outcome.untranslated == 0
    assert _comparable(doc) == _comparable(letter.doc)


def _policy_refuses_a_target(doc: object) -> bool:
    from klpublish.letter.policy import NODE_USES, TargetError, judge

    for node in iter_nodes(doc):
        try:
            if node["t"] in NODE_USES:
                judge(node["c"][2][0], NODE_USES[node["t"]])
        except TargetError:
            return True
    return False


def _assert_refused_at_publish(path: Path, reason: str) -> None:
    from klpublish.errors import SourceError

    text = path.read_text(encoding="utf-8")
    if path.parent.name == "mdpo":
        text = "---\ntitle: Prøve\nlang: da\n---\n\n" + text
    with pytest.raises(SourceError, match=re.escape(reason)):
        parse_letter(text, str(path))


@pytest.mark.parametrize(
    ("msgstr", "problem"),
    [
        ("Jetzt <b>fett</b> Text.", None),
        ("Jetzt <b>fett</b> <b>Text</b>.", "msgstr contains raw HTML '<b>'"),
        ("<script>alert(1)</script> <b>fett</b>.", "msgstr contains raw HTML '<script>'"),
        ("Jetzt fett Text.", "msgstr has 0 raw inline(s), the source has 2"),
    ],
)
def test_a_translation_gets_back_the_source_raw_html_and_no_more(
    msgstr: str, problem: str | None
) -> None:
    letter = parse_letter("---\ntitle: Brev\nlang: da\n---\n\nNu <b>fed</b> tekst.\n", "d.md")
    messages = all_messages(letter)
    assert [m.msgid for m in messages] == ["Brev", "Nu <b>fed</b> tekst."]
    doc, outcome = translate_letter(letter, catalog_with(messages, ["Brief", msgstr]), "d.po")
    raw = [n["c"] for n in iter_nodes(doc["blocks"]) if n["t"] == "RawInline"]
    if problem is None:
        assert not outcome.problems
        assert raw == [["html", "<b>"], ["html", "</b>"]]
        assert "fett" in str(doc["blocks"])
    else:
        assert [p.message for p in outcome.problems] == [problem]
        assert "fett" not in str(doc["blocks"])  # the source, marked as Danish


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
        style = draw(
            st.sampled_from(
                ["plain", "plain", "emph", "strong", "link", "code", "titled", "autolink", "raw"]
            )
        )
        if style == "emph":
            word = f"*{word}*"
        elif style == "strong":
            word = f"**{word}**"
        elif style == "link":
            word = f"[{word}](https://example.org/{draw(st.integers(0, 9))})"
        elif style == "code":
            word = f"`{word}`"
        elif style == "titled":
            title = draw(st.sampled_from(['a \\" b', "a \\\\ b", "(x)", "'q'"]))
            word = f'[{word}](sti/{draw(st.sampled_from(["a)", "b(", "c"]))} "{title}")'
            word = word.replace("/a)", "/a\\)").replace("/b(", "/b\\(")
        elif style == "autolink":
            word = f'[https://kl.dk/{word}](https://kl.dk/{word} "{word}")'
        elif style == "raw":
            word = f"<b>{word}</b>"
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
