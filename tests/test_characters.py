"""The character policy knows the scripts: what is spelling in one script is a
trick in another."""

from __future__ import annotations

import pytest

from klpublish.characters import ERROR, WARNING, character_problems, visible


def verdicts(text: str) -> list[tuple[str, str]]:
    return [(f"U+{ord(p.char):04X}", p.severity) for p in character_problems(text)]


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


def test_a_problem_says_what_and_where() -> None:
    [problem] = character_problems("ab\u202ec")
    assert problem.index == 2
    assert problem.message == "contains a bidi control character (U+202E)"


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("", False),
        ("   ", False),
        ("\u00a0\u00a0", False),
        ("\u2060\u200b \u3164", False),
        ("\t\n", False),
        ("a", True),
        ("\u00a0x\u00a0", True),
        ("۱", True),
    ],
)
def test_visible(text: str, seen: bool) -> None:
    assert visible(text) is seen
