"""PO text for a Babel catalog, in the layout of Babel's ``write_po``, keeping what
the file on disk says that the catalog does not hold.

What the catalog did not change is written as the file has it: an entry whose
comments, references, flags, previous msgid and strings are the same stays as it
was, and in an entry that changed (its ``#:`` line numbers, say) each part that
did not change keeps its lines. So another tool's wrapping, flags in their order,
unknown flags and previous msgids (``#|``, ``#~|``) stay. An existing header is
the translator's: only its POT-Creation-Date follows the template (as msgmerge
does), and its other fields, ours or another tool's, stay. Previous msgids are
written as GNU gettext writes them, a ``#|`` line for each field, its strings
wrapped as Babel wraps a msgid."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from textwrap import TextWrapper

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import normalize

from klpublish.catalogs.po_file import Key, PoFile, babel_catalog
from klpublish.catalogs.po_order import key_of, ordered

WIDTH = 76
"""Babel's default: the layout of the catalogs we make."""
UNWRAPPED = 20_000
"""Babel's wrapping is quadratic in the length of an unbroken word: a catalog with
an entry this long (1 MB, say) is written unwrapped rather than hang the run."""

PARTS = ("comments", "auto", "locations", "flags", "previous", "message")
"""The parts of an entry, in the order GNU gettext and Babel write them."""
_MARKS = {"#.": "auto", "#:": "locations", "#,": "flags", "#|": "previous", "#~|": "previous"}
_KEYWORDS = ("msgctxt", "msgid")

Content = dict[str, tuple[object, ...]]
"""What each part of an entry says, as Babel read it."""


@dataclass(frozen=True)
class Kept:
    """The file a catalog is written over: what it says, and what each entry held."""

    po: PoFile
    contents: dict[Key, Content]


def kept(po: PoFile, locale: str | None) -> Kept:
    """``po``, with what Babel reads in each entry (to tell what changed)."""
    catalog = babel_catalog(po, locale)
    contents = {key_of(m, False): content(m, False) for m in catalog if m.id}
    contents.update((key_of(m, True), content(m, True)) for m in catalog.obsolete.values())
    return Kept(po, contents)


def render(catalog: Catalog, over: Kept | None = None) -> bytes:
    """The PO text of ``catalog``, to be written over the file ``over`` holds (when
    there is one): what the catalog did not change, as the file has it."""
    width = _width(catalog)
    entries = [(m, False) for m in catalog if m.id]
    entries += [(m, True) for m in catalog.obsolete.values()]
    entries = ordered(entries, over.po.order if over is not None else None)
    texts, unchanged = [], over is not None
    for message, obsolete in entries:
        key = key_of(message, obsolete)
        now = content(message, obsolete)
        before = over.contents.get(key) if over is not None else None
        if over is not None and before == now:
            texts.append(over.po.texts[key])
            continue
        unchanged = False
        lines = _parts(over.po.texts[key]) if over is not None and before is not None else {}
        same = {part for part in PARTS if before is not None and before.get(part) == now.get(part)}
        written = entry_parts(message, obsolete, catalog.num_plurals, width)
        chosen = (line for part in PARTS for line in _chosen(part, same, lines, written))
        texts.append("".join([*chosen, "\n"]))
    if over is not None and unchanged and [key_of(m, o) for m, o in entries] == list(over.po.order):
        return over.po.data  # dates aside, the file says what the catalog says
    return _joined([_head(catalog, over, width), *texts]).encode("utf-8")


def content(message: Message, obsolete: bool) -> Content:
    """What each part of ``message`` says, as ``entry_parts`` writes it."""
    said: Content = {
        "comments": tuple(message.user_comments),
        "flags": tuple(sorted(message.flags)),
        "previous": tuple(message.previous_id) if message.fuzzy else (),
        "message": (_frozen(message.id), _frozen(message.string or ""), message.context),
    }
    if not obsolete:
        said["auto"] = tuple(message.auto_comments)
        said["locations"] = tuple(_locations(message))
    return said


def entry_text(message: Message, obsolete: bool, plurals: int, width: int) -> str:
    """One entry as Babel's ``write_po`` writes it (see ``entry_parts``), and the
    blank line after it."""
    parts = entry_parts(message, obsolete, plurals, width)
    return "".join([*(line for part in PARTS for line in parts.get(part, [])), "\n"])


def entry_parts(message: Message, obsolete: bool, plurals: int, width: int) -> dict[str, list[str]]:
    """The lines of each part of an entry as Babel's ``write_po`` writes them, and,
    for a fuzzy one, its previous msgid as GNU gettext does; an obsolete entry keeps
    its flags and previous msgid as gettext's tools keep them."""
    parts = {
        "comments": [line for c in message.user_comments for line in _comment(c, "", width)],
        "flags": [f"#{', '.join(['', *sorted(message.flags)])}\n"] if message.flags else [],
        "previous": [],
    }
    if not obsolete:
        parts["auto"] = [line for c in message.auto_comments for line in _comment(c, ".", width)]
        parts["locations"] = _comment(" ".join(_locations(message)), ":", width)
    if message.fuzzy and message.previous_id:
        previous = zip(("msgid", "msgid_plural"), message.previous_id, strict=False)
        parts["previous"] = _fields(previous, "#~| " if obsolete else "#| ", width)
    parts["message"] = _fields(_message_fields(message, plurals), "#~ " if obsolete else "", width)
    return parts


def _chosen(
    part: str, same: set[str], lines: dict[str, list[str]], written: dict[str, list[str]]
) -> list[str]:
    """A part's lines: the file's when the part did not change, else ours."""
    return lines.get(part, []) if part in same else written.get(part, [])


def _parts(text: str) -> dict[str, list[str]]:
    """An entry's lines as the file has them, by part: each comment line by the
    mark PO gives it, and the msgctxt, msgid and msgstr lines from the first
    keyword on. The parts' contents are Babel's and polib's; this only keeps
    the lines that said them."""
    parts: dict[str, list[str]] = {part: [] for part in PARTS}
    part = ""
    for line in text.splitlines(keepends=True):
        words = line.split(None, 2)
        if not words:
            continue  # the blank lines after the entry are the file's separator
        keyword = words[1] if words[0] == "#~" and len(words) > 1 else words[0]
        if part != "message":
            part = "message" if keyword in _KEYWORDS else _MARKS.get(words[0], "comments")
        parts[part].append(line)
    return parts


def _message_fields(message: Message, plurals: int) -> list[tuple[str, str]]:
    fields = [("msgctxt", message.context)] if message.context is not None else []
    if not message.pluralizable:
        return [*fields, ("msgid", str(message.id)), ("msgstr", str(message.string or ""))]
    string = message.string or ()
    strings = [string] if isinstance(string, str) else list(string)
    fields += [("msgid", message.id[0]), ("msgid_plural", message.id[1])]
    return fields + [
        (f"msgstr[{n}]", strings[n] if n < len(strings) else "") for n in range(plurals)
    ]


def _fields(fields: Iterable[tuple[str, str]], prefix: str, width: int) -> list[str]:
    """``keyword "string"`` lines, each string wrapped as Babel wraps a msgid, every
    line opened with ``prefix``. Babel's own ``prefix`` is not used: given one, its
    wrapping adds a newline to a long string that ends with a space."""
    return [
        f"{prefix}{line}\n"
        for keyword, value in fields
        for line in f"{keyword} {normalize(value, width=width)}".split("\n")
    ]


def _comment(text: str, kind: str, width: int = WIDTH) -> list[str]:
    """Comment lines as Babel writes them: wrapped even when strings are not."""
    wrapper = TextWrapper(width=width if width > 0 else WIDTH, break_long_words=False)
    return [f"#{kind} {line.strip()}\n" for line in wrapper.wrap(text)]


def _locations(message: Message) -> list[str]:
    """``#:`` references as Babel writes them: sorted, each once, a file name with
    a space in it enclosed in Unicode isolates (as GNU gettext does)."""
    try:
        ordered = sorted(
            message.locations, key=lambda x: (x[0], (isinstance(x[1], int) and x[1]) or -1)
        )
    except TypeError:  # a location without a line among ones with a line
        ordered = list(message.locations)
    found: dict[str, None] = {}
    for filename, lineno in ordered:
        name = filename.replace(os.sep, "/")
        if " " in name or "\t" in name:
            name = ("" if name.startswith("\u2068") else "\u2068") + name
            name += "" if name.endswith("\u2069") else "\u2069"
        found[f"{name}:{lineno:d}" if lineno else name] = None
    return list(found)


def _head(catalog: Catalog, over: Kept | None, width: int) -> str:
    """The header comment and entry: the file's, with the template's POT-Creation-Date,
    or for a new file Babel's, from the catalog."""
    header = next(iter(catalog))
    if over is None:
        comment = catalog.header_comment
        if width > 0:
            wrapper = TextWrapper(width=width, subsequent_indent="# ", break_long_words=False)
            comment = "\n".join(line for one in comment.splitlines() for line in wrapper.wrap(one))
        return f"{comment}\n" + entry_text(header, False, catalog.num_plurals, width)
    old = over.po.header
    created = dict(catalog.mime_headers).get("POT-Creation-Date")
    fields = [
        (name, created if created and name.lower() == "pot-creation-date" else value)
        for name, value in old.fields
    ]
    if fields == list(old.fields):
        return over.po.head
    above = over.po.head.splitlines(keepends=True)[: old.line - 1]  # its comment and flags
    strings = Message("", "".join(f"{name}: {value}\n" for name, value in fields))
    return "".join([*above, *_fields(_message_fields(strings, 1), "", width), "\n"])


def _joined(texts: Sequence[str]) -> str:
    """Entries one blank line apart; each keeps the blank lines it had."""
    out = []
    for n, text in enumerate(texts):
        if n + 1 < len(texts) and text:
            text += "" if text.endswith("\n") else "\n"
            text += "" if text.endswith("\n\n") else "\n"
        out.append(text)
    return "".join(out)


def _frozen(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def _width(catalog: Catalog) -> int:
    entries = [*catalog, *catalog.obsolete.values()]
    longest = max((len(str(m.string or "")) + len(str(m.id)) for m in entries), default=0)
    return WIDTH if longest < UNWRAPPED else 0
