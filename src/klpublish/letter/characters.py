"""Which characters a letter or a translation may hold: one policy for both.

Invisible characters are how text says one thing to a reader and another to a
machine (a bidi override reorders what is shown, a tag character hides text),
and characters XML cannot hold stop the EPUB writer. Yet some invisible
characters are correct spelling in their scripts: the zero-width non-joiner in
Persian (``می‌خواهم``), the zero-width joiner in Arabic and Indic scripts and
in emoji sequences, the zero-width space between Thai words. So a character is
judged by its neighbours: allowed where its script uses it, refused elsewhere.

The policy (also in SECURITY.md):

- error: characters XML 1.0 cannot hold (C0 controls but tab and line feed,
  U+FFFE, U+FFFF, other noncharacters), other control characters, bidi
  embeddings, overrides and isolates (the layout sets the direction), tag
  characters, invisible operators, Hangul fillers, interlinear annotations,
  the object replacement character, line and paragraph separators, the byte
  order mark, deprecated format characters; a zero-width space, joiner,
  non-joiner or Mongolian vowel separator outside the scripts that use it
  is an error too, except ZWJ/ZWNJ, which are only warnings there;
- warning: left-to-right, right-to-left and Arabic letter marks in text with
  no right-to-left letters (they do nothing there), a soft hyphen, a word
  joiner, other format characters, private-use and unassigned code points,
  and U+FFFD (text that went through a wrong encoding).
"""

from __future__ import annotations

import html.entities
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import Any

from klpublish.errors import Problem, Severity
from klpublish.letter.nodes import iter_nodes

_JOINING_SCRIPTS = (
    (0x0600, 0x06FF),  # Arabic (Persian, Urdu, Pashto ...)
    (0x0700, 0x074F),  # Syriac
    (0x0750, 0x077F),  # Arabic Supplement
    (0x07C0, 0x07FF),  # N'Ko
    (0x0860, 0x08FF),  # Syriac Supplement, Arabic Extended
    (0x0900, 0x0DFF),  # Devanagari to Sinhala
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x1800, 0x18AF),  # Mongolian
    (0xA8E0, 0xA8FF),  # Devanagari Extended
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B
)
"""Scripts whose letters join or form conjuncts: where ZWJ and ZWNJ are spelling."""

_WORD_SPACING_SCRIPTS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
)
"""Scripts written without spaces, where U+200B marks a word boundary."""

_MONGOLIAN = ((0x1800, 0x18AF),)

_RTL_LETTERS = ("R", "AL")

_NAMED_ERRORS: dict[str, str] = {
    **{chr(c): "a bidi control character" for c in range(0x202A, 0x202F)},
    **{chr(c): "a bidi isolate character" for c in range(0x2066, 0x206A)},
    **{chr(c): "a deprecated format character" for c in range(0x206A, 0x2070)},
    **{chr(c): "an invisible operator" for c in range(0x2061, 0x2065)},
    **{chr(c): "an interlinear annotation character" for c in range(0xFFF9, 0xFFFC)},
    "\ufffc": "an object replacement character",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
    "\ufeff": "a byte order mark",
    **{ch: "a Hangul filler" for ch in "\u3164\uffa0\u115f\u1160"},
    "\u034f": "a combining grapheme joiner",
}

_NAMED_WARNINGS: dict[str, str] = {
    "\u00ad": "a soft hyphen",
    "\u2060": "a word joiner",
    "\ufffd": "a replacement character (U+FFFD: text decoded with a wrong encoding?)",
}

_MARKS = {
    "\u200e": "a left-to-right mark",
    "\u200f": "a right-to-left mark",
    "\u061c": "an Arabic letter mark",
}

_CONTEXTUAL = {
    "\u200c": ("a zero-width non-joiner", _JOINING_SCRIPTS, Severity.WARNING),
    "\u200d": ("a zero-width joiner", _JOINING_SCRIPTS, Severity.WARNING),
    "\u200b": ("a zero-width space", _WORD_SPACING_SCRIPTS, Severity.ERROR),
    "\u180e": ("a Mongolian vowel separator", _MONGOLIAN, Severity.ERROR),
}


class CharacterProblem(Problem):
    """A character the policy refuses (or warns about), at ``index`` in the text."""

    def __init__(self, index: int, char: str, what: str, severity: Severity) -> None:
        super().__init__(f"contains {what} (U+{ord(char):04X})", severity)
        self.index = index
        self.char = char
        self.what = what


def _noncharacter(code: int) -> bool:
    """U+FDD0-FDEF and the last two code points of every plane (U+FFFE,
    U+FFFF ...): never for interchange, and the BMP's two are not XML."""
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _in(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in ranges)


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character before (step -1) or after (+1) that is not a mark
    or format character: ZWNJ often sits beside a vowel sign."""
    index += step
    while 0 <= index < len(text):
        if unicodedata.category(text[index]) not in ("Mn", "Mc", "Me", "Cf"):
            return text[index]
        index += step
    return ""


def _emoji(ch: str) -> bool:
    return bool(ch) and (ord(ch) >= 0x1F000 or unicodedata.category(ch) == "So")


def _contextual(text: str, index: int) -> CharacterProblem | None:
    ch = text[index]
    what, ranges, severity = _CONTEXTUAL[ch]
    before, after = _neighbour(text, index, -1), _neighbour(text, index, 1)
    if before and after and _in(before, ranges) and _in(after, ranges):
        return None
    if ch == "\u200d" and _emoji(before) and _emoji(after):
        return None  # an emoji sequence (family, profession, flag)
    return CharacterProblem(index, ch, f"{what} outside a script that uses it", severity)


def _tag_sequence(text: str, index: int) -> bool:
    """Tag characters are allowed only in an emoji flag of a subdivision
    (U+1F3F4 followed by tags, ended by U+E007F)."""
    start = index
    while start > 0 and 0xE0020 <= ord(text[start - 1]) <= 0xE007F:
        start -= 1
    end = index
    while end < len(text) and 0xE0020 <= ord(text[end]) <= 0xE007E:
        end += 1
    return (
        start > 0
        and text[start - 1] == "\U0001f3f4"
        and end < len(text)
        and text[end] == "\U000e007f"
    )


_HARMLESS = set(" \n\t" + "".join(chr(c) for c in range(0x21, 0x7F)))
"""Characters the policy has judged harmless wherever they stand: every letter,
digit, mark and sign it has met that no rule names (grown as text is judged, so
a text of known characters is passed at once, not character by character)."""

HARMLESS_MOST = 10_000
"""How many characters ``_HARMLESS`` keeps: a catalog of every code point (4 MB)
would otherwise make it hold 144,000 (16 MB) for as long as the process runs."""

_TAGS = range(0xE0000, 0xE0080)
"""The Tags block: its characters are allowed only in a flag's tag sequence."""

_NEIGHBOURLY = frozenset(_CONTEXTUAL) | frozenset(_MARKS)
"""Characters judged by what stands around them: never harmless on their own."""


def _judged_alone(ch: str) -> bool:
    """Whether the policy's verdict on ``ch`` is the same wherever it stands."""
    return ch not in _NEIGHBOURLY and ord(ch) not in _TAGS


def character_problems(text: str) -> list[CharacterProblem]:
    """Every character of ``text`` the policy refuses or warns about, in order."""
    if _HARMLESS.issuperset(text):
        return []
    found: list[CharacterProblem] = []
    has_rtl: bool | None = None
    for index, ch in enumerate(text):
        if ch in _HARMLESS:
            continue
        code = ord(ch)
        category = unicodedata.category(ch)
        problem: CharacterProblem | None = None
        if category == "Cc":  # tab and line feed took the quick path above
            problem = CharacterProblem(index, ch, "a control character", Severity.ERROR)
        elif code in (0xFFFE, 0xFFFF) or category == "Cs":
            problem = CharacterProblem(index, ch, "a character XML cannot hold", Severity.ERROR)
        elif _noncharacter(code):
            problem = CharacterProblem(index, ch, "a noncharacter", Severity.ERROR)
        elif ch in _NAMED_ERRORS:
            problem = CharacterProblem(index, ch, _NAMED_ERRORS[ch], Severity.ERROR)
        elif code in _TAGS:
            if not _tag_sequence(text, index):
                problem = CharacterProblem(index, ch, "a tag character", Severity.ERROR)
        elif ch in _CONTEXTUAL:
            problem = _contextual(text, index)
        elif ch in _MARKS:
            if has_rtl is None:
                has_rtl = any(
                    unicodedata.bidirectional(c) in _RTL_LETTERS and c not in _MARKS for c in text
                )
            if not has_rtl:
                what = f"{_MARKS[ch]} in text with no right-to-left letters"
                problem = CharacterProblem(index, ch, what, Severity.WARNING)
        elif ch in _NAMED_WARNINGS:
            problem = CharacterProblem(index, ch, _NAMED_WARNINGS[ch], Severity.WARNING)
        elif category == "Cf":
            problem = CharacterProblem(index, ch, "an invisible format character", Severity.WARNING)
        elif category == "Co":
            problem = CharacterProblem(index, ch, "a private-use character", Severity.WARNING)
        elif category == "Cn":
            problem = CharacterProblem(index, ch, "an unassigned code point", Severity.WARNING)
        if problem is not None:
            found.append(problem)
        elif _judged_alone(ch) and len(_HARMLESS) < HARMLESS_MOST:
            _HARMLESS.add(ch)
    return found


def first_error(text: str) -> CharacterProblem | None:
    """The first character of ``text`` the policy refuses (warnings aside)."""
    return next((p for p in character_problems(text) if p.severity == Severity.ERROR), None)


def _own_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _own_strings(item)
    elif isinstance(value, dict) and "t" not in value:  # a MetaMap's fields
        for item in value.values():
            yield from _own_strings(item)


def node_strings(node: dict[str, Any]) -> Iterator[str]:
    """The strings a Pandoc AST node holds itself (its children's are theirs):
    text, code, link targets and titles, attribute names and values."""
    yield from _own_strings(node.get("c"))


def decoded_text(value: Any) -> str:
    """Every string of a Pandoc AST (``value``: a document, blocks or inlines),
    one per line. Pandoc decodes character references (``&#x202E;``,
    ``&InvisibleTimes;``) and YAML escapes as it reads, so this is the text the
    outputs get, which the policy must judge: the source only says ``&#x4;``."""
    return "\n".join(s for node in iter_nodes(value) for s in node_strings(node))


@cache
def _entity_names() -> dict[str, tuple[str, ...]]:
    names: dict[str, list[str]] = {}
    for name, value in html.entities.html5.items():
        if name.endswith(";") and len(value) == 1:
            names.setdefault(value, []).append(name)
    return {char: tuple(sorted(found)) for char, found in names.items()}


_YAML_ESCAPES = {
    "\0": "0",
    "\a": "a",
    "\b": "b",
    "\x1b": "e",
    "\f": "f",
    "\r": "r",
    "\v": "v",
    "\x85": "N",
    "\u2028": "L",
    "\u2029": "P",
}


def references_to(char: str) -> re.Pattern[str]:
    """How a text may write ``char`` without the character itself: an HTML
    character reference, decimal (``&#4;``), hexadecimal (``&#x04;``, ``&#X4;``)
    or named (``&zwnj;``), or an escape of YAML's double-quoted strings
    (``\\u202E``, ``\\x04``, ``\\L``), which pandoc decodes in metadata."""
    code = ord(char)
    forms = [f"&#0*{code};", f"&#[xX]0*(?i:{code:x});"]
    forms += [re.escape(f"&{name}") for name in _entity_names().get(char, ())]
    forms.append(f"\\\\U(?i:{code:08x})")
    if code <= 0xFFFF:
        forms.append(f"\\\\u(?i:{code:04x})")
    if code <= 0xFF:
        forms.append(f"\\\\x(?i:{code:02x})")
    if char in _YAML_ESCAPES:
        forms.append(f"\\\\{_YAML_ESCAPES[char]}")
    return re.compile("|".join(forms))


_FILLERS = "\u3164\uffa0\u115f\u1160"
"""Hangul fillers: letters by category, blank on the page."""


def visible(text: str) -> bool:
    """Whether ``text`` holds anything a reader sees (not only spaces, no-break
    spaces and invisible characters)."""
    return any(
        not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc") and ch not in _FILLERS
        for ch in text
    )
