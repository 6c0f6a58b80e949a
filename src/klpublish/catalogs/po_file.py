"""A PO file read through its parsers: polib for what Babel's catalog does not hold
(previous msgids, the header's fields, the text each entry had in the file), Babel
for the catalog the pipeline works on. Nothing here reads PO syntax by itself."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import polib
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po

from klpublish.errors import CatalogError, Location

Key = tuple[str | None, str, bool]
"""An entry's msgctxt, its msgid (the singular of a plural one) and whether it is
obsolete (``#~``): one entry of a file each."""

EXPECTED = (
    "expected a comment (#, #., #:, #, or #| before an entry), a keyword (msgctxt, "
    "msgid, msgid_plural, msgstr) with one quoted string, or one quoted string that "
    "continues the line above"
)
_POLIB_LINE = re.compile(r"\(line (\d+)\)(?::\s*(.*))?")


@dataclass(frozen=True)
class Previous:
    """What an entry said before the template changed (``#|``), as msgmerge kept it."""

    msgctxt: str | None
    msgid: str | None
    msgid_plural: str | None
    comments: frozenset[str]
    """The entry's translator comments: Babel reads ``#|`` lines as comments too."""


@dataclass(frozen=True)
class Header:
    """The header entry's fields, in the file's order, with the line each starts on."""

    fields: tuple[tuple[str, str], ...]
    lines: dict[str, int]
    """Field name, lower-cased -> the line it starts on."""
    line: int
    """The header entry's ``msgid ""`` line (1 when the file has none)."""
    comment: str
    """The comment above it, as polib reads it (one line per line, ``#`` taken off)."""
    fuzzy: bool

    def value(self, name: str) -> str | None:
        """The field's value (names compare as gettext's tools compare them, in any case)."""
        found = [value for field, value in self.fields if field.lower() == name.lower()]
        return found[0] if found else None

    def line_of(self, name: str) -> int:
        """The line ``name`` starts on, else the header's."""
        return self.lines.get(name.lower(), self.line)


@dataclass(frozen=True)
class PoFile:
    """A PO file as read: its bytes, the header, and each entry's text and previous msgid."""

    shown: str
    data: bytes
    header: Header
    head: str
    """The text before the first entry: the header comment and the header entry."""
    texts: dict[Key, str]
    """Each entry's lines as the file has them, with the blank lines after it."""
    order: tuple[Key, ...]
    previous: dict[Key, Previous]
    flags: dict[Key, frozenset[str]]
    """Each entry's flags as the file has them (Babel adds ``python-format`` to
    any entry whose text holds ``% s``, whatever the file says)."""


LONG_STRING = 100
"""Lines of one string beyond which polib is given them as one (see ``_PolibLines``):
a translation of 20,000 characters, the most a msgstr may have, takes 260."""


def _lines(text: str) -> list[str]:
    """The lines of a PO file's text, each with its newline, ended at a newline only,
    as GNU gettext, Babel and every location we give count them."""
    lines = [f"{line}\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


class _PolibLines(str):
    """A PO file's text as polib is given it. polib splits its text with
    ``str.splitlines``, which also ends a line at a form feed, U+0085 or U+2028
    inside a string, and would misread it: here lines end at a newline only. And
    polib adds each line of a string to the string by copying it (a 12 MB msgstr of
    160,000 lines took it 83 s): the lines of a long string are given to it as one
    line, with a blank line (which it passes over) for each line joined, so that
    its line numbers stay the file's."""

    def splitlines(self, keepends: bool = False) -> list[str]:
        lines, out = _lines(str(self)), []
        n = 0
        while n < len(lines):
            end, mark = n + 1, _continued(lines[n])
            while mark is not None and end < len(lines) and _continued(lines[end]) == mark:
                end += 1
            if mark is None or end - n <= LONG_STRING:
                out += lines[n:end]
            else:
                quoted = [line.strip()[len(mark) :] for line in lines[n:end]]
                out.append(f'{mark}"{"".join(q[1:-1] for q in quoted)}"\n')
                out += ["\n"] * (end - n - 1)
            n = end
        return out


def _continued(line: str) -> str | None:
    """What opens a line that continues a string (``"``, ``#| "``, ``#~ "``): its
    mark, when the line is one whole string; else None."""
    stripped = line.strip()
    for mark in ("", "#| ", "#~ "):
        quoted = stripped[len(mark) :]
        if stripped.startswith(mark + '"') and len(quoted) >= 2 and quoted.endswith('"'):
            escapes = len(quoted[:-1]) - len(quoted[:-1].rstrip("\\"))
            return mark if escapes % 2 == 0 else None
    return None


def read_po_file(data: bytes, shown: str) -> PoFile:
    """``data``, the bytes of ``shown``, read by polib; a file it cannot read, or
    one that is not UTF-8, is a located ``CatalogError`` saying what was expected."""
    text = _decoded(data, shown)
    parsed = _polib(text, shown)
    lines = _lines(text)
    entries = list(parsed)  # in the file's order, obsolete ones among them
    starts = _starts([entry.linenum or 1 for entry in entries], lines)
    bounds = [*starts, len(lines) + 1]
    texts: dict[Key, str] = {}
    previous: dict[Key, Previous] = {}
    flags: dict[Key, frozenset[str]] = {}
    for entry, start, end in zip(entries, bounds, bounds[1:], strict=False):
        key = (entry.msgctxt, entry.msgid, bool(entry.obsolete))
        texts.setdefault(key, "".join(lines[start - 1 : end - 1]))
        flags.setdefault(key, frozenset(entry.flags))
        if entry.previous_msgid is not None or entry.previous_msgctxt is not None:
            previous.setdefault(
                key,
                Previous(
                    entry.previous_msgctxt,
                    entry.previous_msgid,
                    entry.previous_msgid_plural,
                    frozenset(line.strip() for line in entry.tcomment.split("\n")),
                ),
            )
    head = lines[: bounds[0] - 1]
    field_lines, line = _field_lines(head)
    header = Header(
        tuple(parsed.metadata.items()),
        field_lines,
        line or 1,
        parsed.header,
        bool(parsed.metadata_is_fuzzy),
    )
    return PoFile(shown, data, header, "".join(head), texts, tuple(texts), previous, flags)


def _decoded(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(
            f"byte {data[exc.start]:#04x} is not UTF-8: expected a UTF-8 file",
            Location(shown, line),
        ) from exc


def _polib(text: str, shown: str) -> polib.POFile:
    # polib reads a string as a file name when a file of that name exists: the
    # text is given with a newline in it, which no file name in a project has.
    try:
        return polib.pofile(_PolibLines(text if "\n" in text else text + "\n"))
    except (OSError, ValueError, IndexError, KeyError) as exc:
        found = _POLIB_LINE.search(str(exc))
        line = int(found.group(1)) if found else 0
        said = found.group(2) if found and found.group(2) else "syntax error"
        raise CatalogError(
            f"polib cannot read this line ({said}): {EXPECTED}", Location(shown, line)
        ) from exc


def _starts(linenums: list[int], lines: list[str]) -> list[int]:
    """The line each entry's text starts on. polib counts an entry from its first
    line, but passes over an obsolete entry's previous msgid (``#~|``) without a
    word: those lines belong to the entry below them."""
    starts: list[int] = []
    for linenum in linenums:
        start, floor = linenum, (starts[-1] if starts else 0)
        while start - 1 > floor and lines[start - 2].lstrip().startswith("#~|"):
            start -= 1
        starts.append(max(start, floor + 1))
    return starts


def _field_lines(head: list[str]) -> tuple[dict[str, int], int]:
    """The line each header field starts on, and the header's ``msgid`` line.

    Only places the fields (their values are polib's): the header's strings are
    taken in order and a field starts after each newline they hold."""
    pieces: list[str] = []
    starts: list[tuple[int, int]] = []
    size, entry, in_msgstr, at_start = 0, 0, False, True
    for number, line in enumerate(head, start=1):
        keyword, _, rest = line.strip().partition(" ")
        if keyword == "msgid":
            entry, in_msgstr = entry or number, False
            continue
        quoted = rest.strip() if keyword == "msgstr" else line.strip()
        in_msgstr = in_msgstr or keyword == "msgstr"
        if not in_msgstr or len(quoted) < 2 or quoted[0] != '"' or quoted[-1] != '"':
            continue
        piece = polib.unescape(quoted[1:-1])
        for n, part in enumerate(piece.split("\n")):
            if part and (n or at_start):
                starts.append((size, number))
            size += len(part) + 1
        size -= 1  # the split took one newline more than the piece has
        pieces.append(piece)
        at_start = piece.endswith("\n") if piece else at_start
    text = "".join(pieces)
    lines: dict[str, int] = {}
    for offset, number in starts:
        end = text.find("\n", offset) % (len(text) + 1)  # no newline: the text's end
        colon = text.find(":", offset, end)
        lines.setdefault(text[offset : end if colon < 0 else colon].strip().lower(), number)
    return lines, entry


def babel_catalog(po: PoFile, locale: str | None) -> Catalog:
    """The catalog Babel reads from the file, with each entry's flags as the file
    has them and its previous msgid (``#|``), which Babel takes for a
    translator's comment."""
    try:
        catalog = read_po(_babel_lines(po.data), locale=locale, abort_invalid=True)
    except PoFileError as exc:
        said = str(exc).removesuffix(f" on {exc.lineno}")
        raise CatalogError(
            f"Babel cannot read this entry ({said}): {EXPECTED}", Location(po.shown, exc.lineno + 1)
        ) from exc
    except (UnicodeDecodeError, LookupError, ValueError) as exc:
        raise CatalogError(f"cannot read: {exc}", Location(po.shown, 0)) from exc
    for obsolete, message in _entries(catalog):
        key = (
            message.context,
            str(message.id[0] if message.pluralizable else message.id),
            obsolete,
        )
        message.flags = set(po.flags.get(key, message.flags))
        if obsolete:
            continue
        earlier = po.previous.get(key)
        if earlier is None:
            continue
        message.user_comments = [
            c for c in message.user_comments if not c.startswith("|") or c in earlier.comments
        ]
        if earlier.msgid is not None:
            plural = [earlier.msgid_plural] if earlier.msgid_plural is not None else []
            message.previous_id = [earlier.msgid, *plural]
    return catalog


def _entries(catalog: Catalog) -> Iterator[tuple[bool, Message]]:
    """Each entry of ``catalog`` but the header, and whether it is obsolete."""
    yield from ((False, m) for m in catalog if m.id)
    yield from ((True, m) for m in catalog.obsolete.values())


def _babel_lines(data: bytes) -> Iterator[bytes]:
    """The file's lines for Babel, which stops at an obsolete entry's previous msgid
    (``#~|``, written by ``msgmerge --previous``): those lines are left blank for it,
    so its line numbers stay the file's. polib reads the rest of the entry."""
    for line in io.BytesIO(data):
        yield b"\n" if line.lstrip().startswith(b"#~|") else line
