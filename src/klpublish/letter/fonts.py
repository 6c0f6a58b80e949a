"""Which characters the PDF's fonts can show: read from the fonts' own character
maps (``cmap``), so that a character no font has is a located error before
Typst runs, in ``lint`` and ``status`` as in ``publish``."""

from __future__ import annotations

import struct
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog

from klpublish.errors import Location, SourceError, TranslationError


@cache
def font_paths() -> tuple[str, ...]:
    """The folders of the fonts the PDF embeds (Noto Sans, Noto Sans Arabic)."""
    import fontpkg_noto_sans
    import fontpkg_noto_sans_arabic

    return tuple(str(Path(m.ROOT) / "files") for m in (fontpkg_noto_sans, fontpkg_noto_sans_arabic))


def _cmap_ranges(font: bytes) -> list[tuple[int, int]]:
    """The code point ranges a TrueType/OpenType font maps to glyphs."""
    (tables,) = struct.unpack_from(">H", font, 4)
    offset = None
    for n in range(tables):
        tag, _, start, _ = struct.unpack_from(">4sIII", font, 12 + 16 * n)
        if tag == b"cmap":
            offset = start
    if offset is None:
        return []
    (count,) = struct.unpack_from(">H", font, offset + 2)
    subtables = {}
    for n in range(count):
        platform, encoding, start = struct.unpack_from(">HHI", font, offset + 4 + 8 * n)
        subtables[(platform, encoding)] = offset + start
    for key in ((3, 10), (0, 4), (3, 1), (0, 3)):
        if key in subtables:
            return _subtable(font, subtables[key])
    return []


def _subtable(font: bytes, at: int) -> list[tuple[int, int]]:
    (fmt,) = struct.unpack_from(">H", font, at)
    ranges = []
    if fmt == 12:
        (groups,) = struct.unpack_from(">I", font, at + 12)
        for n in range(groups):
            first, last, glyph = struct.unpack_from(">III", font, at + 16 + 12 * n)
            if glyph or first != last:
                ranges.append((first, last))
    elif fmt == 4:
        (seg_x2,) = struct.unpack_from(">H", font, at + 6)
        ends = struct.unpack_from(f">{seg_x2 // 2}H", font, at + 14)
        starts = struct.unpack_from(f">{seg_x2 // 2}H", font, at + 16 + seg_x2)
        ranges = [(s, e) for s, e in zip(starts, ends, strict=True) if s != 0xFFFF]
    return ranges


@cache
def covered() -> frozenset[int]:
    """Every code point some font the PDF embeds has (Typst falls back across them)."""
    points: set[int] = set()
    for folder in font_paths():
        for path in sorted(Path(folder).glob("*.[ot]tf")):
            for first, last in _cmap_ranges(path.read_bytes()):
                points.update(range(first, last + 1))
    return frozenset(points)


def _needs_glyph(ch: str) -> bool:
    # Spaces, controls and format characters are laid out, not drawn.
    return unicodedata.category(ch) not in ("Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me")


def missing(text: str) -> list[str]:
    """The characters of ``text`` no font of the PDF has, each once, in order."""
    have = covered()
    return list(dict.fromkeys(ch for ch in text if ord(ch) not in have and _needs_glyph(ch)))


def added_missing(translation: str, source: str) -> list[str]:
    """The characters of ``translation`` no font of the PDF has and ``source``
    has not. What the source has, the letter's own check judged (a task list's
    ☐ is pandoc's, not the author's): copying the source is never refused."""
    return [ch for ch in missing(translation) if ch not in source]


def describe(chars: list[str]) -> str:
    shown = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in chars[:5])
    more = f" and {len(chars) - 5} more" if len(chars) > 5 else ""
    return (
        f"no font of the PDF has {shown}{more}: expected characters of the shipped "
        "fonts (Latin, Greek, Cyrillic, Arabic); write them another way or leave them out"
    )


def catalog_problems(
    catalog: Catalog, keys: Iterable[tuple[str, str | None]], po: str
) -> list[TranslationError]:
    """Each translation the PDF could not show, at its entry's line of ``po``."""
    problems = []
    for key in dict.fromkeys(keys):
        message = catalog.get(*key)
        if message is None or not message.string or message.fuzzy:
            continue
        chars = added_missing(str(message.string), str(message.id))
        if chars:
            problems.append(TranslationError(describe(chars), Location(po, message.lineno or 0)))
    return problems


def text_problem(text: str, path: str) -> SourceError | None:
    """The first line of a letter with a character the PDF could not show."""
    chars = missing(text)
    if not chars:
        return None
    line = next(n for n, line in enumerate(text.splitlines(), start=1) if chars[0] in line)
    return SourceError(describe(chars), Location(path, line))
