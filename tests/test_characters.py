"""The character policy knows the scripts: what is spelling in one script is a
trick in another."""

from __future__ import annotations

import pytest

from klpublish.errors import Severity
from klpublish.letter.characters import character_problems, visible

ERROR, WARNING = Severity.ERROR, Severity.WARNING


def verdicts(text: str) -> list[tuple[str, str]]:
    return [(f"U+{ord(p.char):04X}", p.severity) for p in character_problems(text)]


def named(text: str) -> list[str]:
    return [p.message for p in character_problems(text)]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("می\u200cخواهم", "ZWNJ in Persian spelling"),
        ("نامه\u200cها", "ZWNJ between Persian letters"),
        ("क्\u200dष", "ZWJ in a Devanagari conjunct"),
        ("ل\u200dا", "ZWJ in Arabic"),
        ("\U0001f469\u200d\U0001f4bb", "ZWJ in an emoji sequence"),
        ("สวัสดี\u200bครับ", "ZWSP between Thai words"),
        ("ᠮᠣᠩᠭᠣᠯ\u180eᠠ", "Mongolian vowel separator in Mongolian"),
        (
            "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
            "flag of Scotland",
        ),
        ("مرحبا \u200fKL\u200f", "RLM in right-to-left text"),
        ("الرقم \u061c123", "ALM in Arabic"),
        ("Tab\tand\nnew line", "tab and line feed"),
        ("क्\u200cष", "ZWNJ after a virama (a mark) in Devanagari"),
        ("ك\u200c\u064eب", "ZWNJ before a vowel sign in Arabic"),
        ("\u2764\u200d\U0001f525", "ZWJ between emoji of the symbols block"),
        ("\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f mid-text", "flag"),
        ("Kære \u00e6\u00f8\u00e5 \u2013 \u201cquotes\u201d \u00a0", "Danish and typography"),
    ],
)
def test_allowed(text: str, why: str) -> None:
    assert verdicts(text) == [], why


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("work\u200cing", [("U+200C", WARNING)]),
        ("work\u200ding", [("U+200D", WARNING)]),
        ("two\u200bwords", [("U+200B", ERROR)]),
        ("a\u180eb", [("U+180E", ERROR)]),
        ("tag\U000e0041", [("U+E0041", ERROR)]),
        ("\U000e007f", [("U+E007F", ERROR)]),
        ("text\u200e", [("U+200E", WARNING)]),
        ("text\u200f", [("U+200F", WARNING)]),
        ("a\u202eb", [("U+202E", ERROR)]),
        ("a\u2066b\u2069", [("U+2066", ERROR), ("U+2069", ERROR)]),
        ("a\u2028b", [("U+2028", ERROR)]),
        ("a\u2029b", [("U+2029", ERROR)]),
        ("a\ufeffb", [("U+FEFF", ERROR)]),
        ("a\ufffeb", [("U+FFFE", ERROR)]),
        ("a\uffffb", [("U+FFFF", ERROR)]),
        ("a\ufdd0b", [("U+FDD0", ERROR)]),
        (
            "a\x00b\x1fc\x7fd\x85",
            [("U+0000", ERROR), ("U+001F", ERROR), ("U+007F", ERROR), ("U+0085", ERROR)],
        ),
        ("a\rb", [("U+000D", ERROR)]),
        ("a\u2062b", [("U+2062", ERROR)]),
        ("a\u3164b", [("U+3164", ERROR)]),
        ("a\ufff9b\ufffac\ufffb", [("U+FFF9", ERROR), ("U+FFFA", ERROR), ("U+FFFB", ERROR)]),
        ("a\ufffcb", [("U+FFFC", ERROR)]),
        ("a\u206ab", [("U+206A", ERROR)]),
        ("soft\u00adhyphen", [("U+00AD", WARNING)]),
        ("word\u2060joiner", [("U+2060", WARNING)]),
        ("private\ue000use", [("U+E000", WARNING)]),
        ("mojibake\ufffd", [("U+FFFD", WARNING)]),
        ("\u200c\u0645", [("U+200C", WARNING)]),  # at the start: nothing to join
    ],
)
def test_refused_or_warned(text: str, expected: list[tuple[str, str]]) -> None:
    assert verdicts(text) == expected


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        ("a\x00", ["contains a control character (U+0000)"]),
        ("a\x7f", ["contains a control character (U+007F)"]),
        ("a\uffff", ["contains a character XML cannot hold (U+FFFF)"]),
        ("a\ufdd0", ["contains a noncharacter (U+FDD0)"]),
        ("a\U0001fffe", ["contains a noncharacter (U+1FFFE)"]),
        ("a\u2067", ["contains a bidi isolate character (U+2067)"]),
        ("a\u202a", ["contains a bidi control character (U+202A)"]),
        ("a\u206f", ["contains a deprecated format character (U+206F)"]),
        ("a\u2064", ["contains an invisible operator (U+2064)"]),
        ("a\ufffb", ["contains an interlinear annotation character (U+FFFB)"]),
        ("a\ufffc", ["contains an object replacement character (U+FFFC)"]),
        ("a\u2028", ["contains a line separator (U+2028)"]),
        ("a\u2029", ["contains a paragraph separator (U+2029)"]),
        ("a\ufeff", ["contains a byte order mark (U+FEFF)"]),
        (
            "a\u3164\uffa0\u115f\u1160",
            ["contains a Hangul filler (U+3164)"] * 1
            + [
                "contains a Hangul filler (U+FFA0)",
                "contains a Hangul filler (U+115F)",
                "contains a Hangul filler (U+1160)",
            ],
        ),
        ("a\u034f", ["contains a combining grapheme joiner (U+034F)"]),
        ("a\U000e0041", ["contains a tag character (U+E0041)"]),
        (
            "\U0001f3f4\U000e0067\U000e0062",
            ["contains a tag character (U+E0067)", "contains a tag character (U+E0062)"],
        ),
        (
            "x\U000e0067\U000e007f",
            ["contains a tag character (U+E0067)", "contains a tag character (U+E007F)"],
        ),
        ("a\u200cb", ["contains a zero-width non-joiner outside a script that uses it (U+200C)"]),
        ("a\u200db", ["contains a zero-width joiner outside a script that uses it (U+200D)"]),
        ("a\u200bb", ["contains a zero-width space outside a script that uses it (U+200B)"]),
        (
            "a\u180eb",
            ["contains a Mongolian vowel separator outside a script that uses it (U+180E)"],
        ),
        ("ب\u200bب", ["contains a zero-width space outside a script that uses it (U+200B)"]),
        (
            "a\u200e",
            ["contains a left-to-right mark in text with no right-to-left letters (U+200E)"],
        ),
        (
            "a\u200f",
            ["contains a right-to-left mark in text with no right-to-left letters (U+200F)"],
        ),
        (
            "a\u061c",
            ["contains an Arabic letter mark in text with no right-to-left letters (U+061C)"],
        ),
        ("a\u00ad", ["contains a soft hyphen (U+00AD)"]),
        ("a\u2060", ["contains a word joiner (U+2060)"]),
        (
            "a\ufffd",
            [
                "contains a replacement character (U+FFFD: text decoded with a wrong "
                "encoding?) (U+FFFD)"
            ],
        ),
        ("a\u0600", ["contains an invisible format character (U+0600)"]),
        ("a\ue000", ["contains a private-use character (U+E000)"]),
        ("a\U000e01f0", ["contains an unassigned code point (U+E01F0)"]),
        ("\u05d0\u200e", []),
        ("a\ufffe", ["contains a character XML cannot hold (U+FFFE)"]),
        ("a\ud800", ["contains a character XML cannot hold (U+D800)"]),
        ("a\U0001ffff", ["contains a noncharacter (U+1FFFF)"]),
        ("a\ufdef\ufdf0", ["contains a noncharacter (U+FDEF)"]),
        ("a\U000e0000", ["contains a tag character (U+E0000)"]),
        ("a\U000e0080", ["contains an unassigned code point (U+E0080)"]),
        (
            "\U000e0067\U000e007f",
            ["contains a tag character (U+E0067)", "contains a tag character (U+E007F)"],
        ),
        ("\U0001f3f4\U000e0020\U000e007e\U000e007f", []),
        (
            "a\u200d\U0001f600",
            ["contains a zero-width joiner outside a script that uses it (U+200D)"],
        ),
        (
            "\U0001f600\u200da",
            ["contains a zero-width joiner outside a script that uses it (U+200D)"],
        ),
        ("ب\u0301\u200cب", []),  # a mark of another script between: still Arabic letters
        ("ب\u20dd\u200cب", []),
        ("ب\u1b35\u200cب", []),
        ("ب\u2060\u200cب", ["contains a word joiner (U+2060)"]),
        ("ۿ\u200cۿ", []),  # U+06FF: the last letter of the Arabic block
        ("ༀ\u200cༀ", []),  # U+0F00: the first letter of the Tibetan block
        ("ب\u200c", ["contains a zero-width non-joiner outside a script that uses it (U+200C)"]),
    ],
)
def test_each_problem_is_named(text: str, messages: list[str]) -> None:
    assert named(text) == messages


def test_a_problem_says_what_and_where() -> None:
    [problem] = character_problems("ab\u202ec")
    assert problem.index == 2
    assert problem.message == "contains a bidi control character (U+202E)"
    text = "\x00\uffff\ufdd0\U000e0041\u200c\u200e\u00ad\u0600\ue000\U000e01f0"
    assert [p.index for p in character_problems(text)] == list(range(len(text)))
    assert [p.severity for p in character_problems(text)] == [ERROR] * 4 + [WARNING] * 6


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("", False),
        ("   ", False),
        ("\u00a0\u00a0", False),
        ("\u2060\u200b \u3164", False),
        ("\t\n", False),
        ("\x00\x1b", False),
        ("X", True),
        ("a", True),
        ("\u00a0x\u00a0", True),
        ("۱", True),
    ],
)
def test_visible(text: str, seen: bool) -> None:
    assert visible(text) is seen


@pytest.mark.parametrize(
    ("allowed", "refused", "char"),
    [
        ("می\u200cخواهم", "Hello\u200cworld", "\u200c"),
        ("ل\u200dا", "A\u200dB", "\u200d"),
        ("مرحبا \u200fKL\u200f", "Hello \u200fKL", "\u200f"),
        (
            "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
            "hidden\U000e0067 text",
            "\U000e0067",
        ),
        (  # the cancel tag ends a flag, and is refused anywhere else
            "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
            "end\U000e007f here",
            "\U000e007f",
        ),
    ],
)
def test_a_character_allowed_by_its_neighbours_is_judged_again_elsewhere(
    allowed: str, refused: str, char: str
) -> None:
    """The policy remembers the characters that are harmless wherever they stand,
    and passes a text of those at once; one its neighbours allowed is not one of them."""
    assert character_problems(allowed) == []
    assert character_problems(allowed) == []  # judged twice, remembered or not
    assert [p.char for p in character_problems(refused)] == [char]
    assert [p.char for p in character_problems(refused)] == [char]


def test_a_harmless_letter_once_met_does_not_hide_its_neighbours() -> None:
    """A text of known letters with one bad character among them is still refused."""
    assert character_problems("Привет мир") == []
    assert [p.char for p in character_problems("При\u202eвет мир")] == ["\u202e"]


def test_the_memory_of_harmless_characters_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text holding every code point fills the memory up to its bound, and a
    character met past the bound is still judged, one by one."""
    from klpublish.letter import characters

    monkeypatch.setattr(characters, "_HARMLESS", {c for c in characters._HARMLESS if c.isascii()})
    assert character_problems("жук") == []
    assert {"ж", "у", "к"} <= characters._HARMLESS  # remembered, so passed at once next time
    for start in range(0, 0x110000, 0x1000):
        character_problems(
            "".join(chr(c) for c in range(start, start + 0x1000) if c < 0xD800 or c > 0xDFFF)
        )
    assert len(characters._HARMLESS) <= characters.HARMLESS_MOST
    assert "一" not in characters._HARMLESS  # met past the bound
    assert character_problems("一二") == []
    assert [p.char for p in character_problems("一\u202e二")] == ["\u202e"]
    assert character_problems("می\u200cخواهم") == []
