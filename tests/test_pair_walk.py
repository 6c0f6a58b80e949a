"""The checks read each side of a pair from one walk (``translation.pair``): what
that walk gives must be what the letter's own readers give, for any inlines a
source or a translator could write."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from klpublish.letter.nodes import Node, nodes, plain_text
from klpublish.segments.walk import NOTE_MARK, note_ref_number
from klpublish.translation.pair import Side

WORDS = st.sampled_from(["a", "b c", "2018", "۲۰۱۸", "[^1]", "`", "<b>", "\u202e", ""])
ATTR = st.sampled_from([["", [], []], ["id", ["x"], [["k", "v"]]], ["", ["uri"], []]])


def _inlines(children: st.SearchStrategy[list[Node]]) -> st.SearchStrategy[Node]:
    """One inline node whose children (if any) come from ``children``."""
    return st.one_of(
        st.builds(
            lambda kind, c: {"t": kind, "c": c}, st.sampled_from(["Emph", "Strong"]), children
        ),
        st.builds(lambda a, c: {"t": "Span", "c": [a, c]}, ATTR, children),
        st.builds(
            lambda kind, a, c, url: {"t": kind, "c": [a, c, [url, "title"]]},
            st.sampled_from(["Link", "Image"]),
            ATTR,
            children,
            st.sampled_from(["https://kl.dk/", "javascript:x", "#top"]),
        ),
        st.builds(lambda c: {"t": "Quoted", "c": [{"t": "DoubleQuote"}, c]}, children),
        st.builds(
            lambda prefix, c: {
                "t": "Cite",
                "c": [
                    [
                        {
                            "citationId": "x",
                            "citationPrefix": prefix,
                            "citationSuffix": [],
                            "citationMode": {"t": "NormalCitation"},
                            "citationNoteNum": 1,
                            "citationHash": 0,
                        }
                    ],
                    c,
                ],
            },
            children,
            children,
        ),
        # A translator's own footnote, and the stand-in for one of the source's.
        st.builds(lambda c: {"t": "Note", "c": [{"t": "Para", "c": c}]}, children),
        st.builds(
            lambda n: {
                "t": "Note",
                "c": [{"t": "Plain", "c": [{"t": "Str", "c": f"{NOTE_MARK}{n}"}]}],
            },
            st.integers(1, 3),
        ),
    )


LEAVES = st.one_of(
    st.builds(lambda w: {"t": "Str", "c": w}, WORDS),
    st.sampled_from([{"t": "Space"}, {"t": "SoftBreak"}, {"t": "LineBreak"}]),
    st.builds(lambda a, w: {"t": "Code", "c": [a, w]}, ATTR, WORDS),
    st.builds(lambda w: {"t": "Math", "c": [{"t": "InlineMath"}, w]}, WORDS),
    st.builds(lambda w: {"t": "RawInline", "c": ["html", w]}, WORDS),
)
INLINES = st.recursive(
    st.lists(LEAVES, max_size=4), lambda c: st.lists(_inlines(c), max_size=3), max_leaves=12
)


def _reference_nodes(inlines: list[Any], translated: bool) -> list[Node]:
    """The segment's own nodes by the letter's one visitor: a footnote's are its
    own segment's, but for a translator's own footnote in a translation."""

    def skip(node: Node) -> bool:
        return node["t"] == "Note" and (not translated or note_ref_number(node) is not None)

    return list(nodes(inlines, skip))


@settings(max_examples=400, deadline=None)
@given(INLINES, st.booleans())
def test_one_walk_gives_the_letters_own_text_and_nodes(
    inlines: list[Node], translated: bool
) -> None:
    side = Side(inlines, translated=translated)
    assert side.text == plain_text(inlines)
    assert [id(n) for n in side.nodes] == [id(n) for n in _reference_nodes(inlines, translated)]
    reference = _reference_nodes(inlines, translated)
    assert side.prose == " ".join(n["c"] for n in reference if n["t"] == "Str")
    assert side.kinds == Counter(n["t"] for n in reference)


def test_a_translators_own_footnote_is_walked_but_is_no_text() -> None:
    """Its nodes are the translator's to be checked; its words are not the segment's."""
    note = {"t": "Note", "c": [{"t": "Para", "c": [{"t": "Str", "c": "2019"}]}]}
    inlines = [{"t": "Str", "c": "2018"}, note]
    side = Side(inlines, translated=True)
    assert side.text == "2018"
    assert {"t": "Str", "c": "2019"} in side.nodes
    assert Side(inlines).nodes == [inlines[0], note]  # in a source, a note is its own segment


def test_words_after_a_note_within_a_translators_note_are_no_text() -> None:
    """A note inside a note (``^[a ^[b] c]``): leaving the inner one is not leaving both."""
    inner = {"t": "Note", "c": [{"t": "Para", "c": [{"t": "Str", "c": "b"}]}]}
    outer = {"t": "Note", "c": [{"t": "Para", "c": [inner, {"t": "Str", "c": "2019"}]}]}
    inlines = [{"t": "Str", "c": "2018"}, outer]
    assert Side(inlines, translated=True).text == plain_text(inlines) == "2018"
