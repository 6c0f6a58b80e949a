"""PO text for a Babel catalog, as GNU gettext's msgmerge writes it, keeping what
the file on disk says that the catalog does not hold.

What the catalog did not change is written as the file has it: an entry whose
comments, references, flags, previous msgid and strings are the same stays as it
was, and in an entry that changed (its ``#:`` line numbers, say) each part that
did not change keeps its lines. So another tool's wrapping, flags in their order,
unknown flags and previous msgids (``#|``, ``#~|``) stay, and the entries keep
the file's order (see ``po_order``). What is new or changed is laid out by GNU
gettext itself (see ``gettext_layout``): a catalog msgmerge wrote is updated as
msgmerge would update it. An existing header is the translator's: only its
POT-Creation-Date follows the template (as msgmerge does), and its other fields,
ours or another tool's, stay where they are; a new file's header has msgmerge's
order. An obsolete entry without a translation is dropped, as gettext drops it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message

from klpublish.catalogs.gettext_layout import (
    MINIMAL_HEADER,
    comment_lines,
    flags_line,
    header_fields,
    laid_out,
    plain,
    quoted,
    reference_lines,
)
from klpublish.catalogs.po_file import Key, PoFile, babel_catalog
from klpublish.catalogs.po_order import key_of, ordered

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
    there is one): what the catalog did not change, as the file has it; what it
    changed, as GNU gettext writes it (see ``gettext_layout``)."""
    entries = [(m, False) for m in catalog if m.id]
    entries += [(m, True) for m in catalog.obsolete.values() if m.string]
    entries = ordered(entries, over.po.order if over is not None else None)
    changed = [
        (m, o)
        for m, o in entries
        if over is None or over.contents.get(key_of(m, o)) != content(m, o)
    ]
    if over is not None and not changed and [key_of(*e) for e in entries] == list(over.po.order):
        return over.po.data  # dates aside, the file says what the catalog says
    head, written = _laid_out(catalog, changed, over)
    texts = []
    for message, obsolete in entries:
        key = key_of(message, obsolete)
        if over is not None and key not in written:
            texts.append(over.po.texts[key])
            continue
        before = over.contents.get(key) if over is not None else None
        now = content(message, obsolete)
        lines = _parts(over.po.texts[key]) if over is not None and before is not None else {}
        same = {part for part in PARTS if before is not None and before.get(part) == now.get(part)}
        chosen = (line for part in PARTS for line in _chosen(part, same, lines, written[key]))
        texts.append("".join(chosen))
    return _joined([head, *texts]).encode("utf-8")


def _laid_out(
    catalog: Catalog, changed: list[tuple[Message, bool]], over: Kept | None
) -> tuple[str, dict[Key, dict[str, list[str]]]]:
    """The header, and each changed entry's parts, as GNU gettext writes them:
    active and obsolete entries laid out apart (an entry may be both)."""
    head = _new_head(catalog) if over is None else _head(catalog, over)
    written: dict[Key, dict[str, list[str]]] = {}
    for obsolete in (False, True):
        batch = [m for m, o in changed if o is obsolete]
        new_head = over is None and not obsolete  # laid out with the first batch
        if not batch and not new_head:
            continue
        plain = ["".join(entry_lines(m, obsolete, catalog.num_plurals)) for m in batch]
        laid_head, texts = laid_out(plain, head if new_head else MINIMAL_HEADER)
        head = laid_head if new_head else head
        for message, text in zip(batch, texts, strict=True):
            parts = _parts(text)
            parts["flags"] = flags_line(message.flags, bool(message.string))
            if not obsolete:
                parts["locations"] = reference_lines(_locations(message))
            written[key_of(message, obsolete)] = parts
    return head, written


def content(message: Message, obsolete: bool) -> Content:
    """What each part of ``message`` says (to tell which parts changed)."""
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


def entry_lines(message: Message, obsolete: bool, plurals: int) -> list[str]:
    """One entry written plainly, one line a string, for gettext to lay out (see
    ``gettext_layout``); an obsolete entry keeps its flags and previous msgid as
    gettext's tools keep them."""
    lines = comment_lines(message.user_comments, "")
    if not obsolete:
        lines += comment_lines(message.auto_comments, ".")
    if message.flags:  # gettext wraps by them (no-wrap, a format's directives)
        lines.append(f"#, {', '.join(sorted(message.flags))}\n")
    if message.fuzzy and message.previous_id:
        previous = zip(("msgid", "msgid_plural"), message.previous_id, strict=False)
        lines += plain(list(previous), "#~| " if obsolete else "#| ")
    return lines + plain(_message_fields(message, plurals), "#~ " if obsolete else "")


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


def _new_head(catalog: Catalog) -> str:
    """A new file's header comment and entry, plainly: its fields in msgmerge's
    order (see ``header_fields``)."""
    comment = "".join(f"{line}\n" for line in catalog.header_comment.splitlines())
    fields = header_fields(list(catalog.mime_headers))
    strings = Message("", "".join(f"{name}: {value}\n" for name, value in fields))
    flags = ["#, fuzzy\n"] if catalog.fuzzy else []
    return "".join([comment, *flags, *plain(_message_fields(strings, 1), "")])


def _head(catalog: Catalog, over: Kept) -> str:
    """The file's header comment and entry, with the template's POT-Creation-Date
    (as msgmerge sets it): only that field's lines are written anew."""
    old = over.po.header
    created = dict(catalog.mime_headers).get("POT-Creation-Date")
    fields = [
        (name, created if created and name.lower() == "pot-creation-date" else value)
        for name, value in old.fields
    ]
    if fields == list(old.fields):
        return over.po.head
    lines = over.po.head.splitlines(keepends=True)
    start = old.lines.get("pot-creation-date", 0)
    after = [line for line in old.lines.values() if line > start]
    end = min(after) if after else _last_string(lines) + 1
    name = next(name for name, _ in fields if name.lower() == "pot-creation-date")
    ours = [f'{quoted(f"{name}: {created}")[:-1]}\\n"\n']
    if start and lines[start - 1].lstrip().startswith(f'"{name}:'):
        return "".join([*lines[: start - 1], *ours, *lines[end - 1 :]])
    above = lines[: old.line - 1]  # its comment and flags
    strings = Message("", "".join(f"{name}: {value}\n" for name, value in fields))
    head, _ = laid_out([], "".join([*above, *plain(_message_fields(strings, 1), "")]))
    return head


def _last_string(lines: list[str]) -> int:
    """The line number of the header's last string line."""
    return max((n for n, line in enumerate(lines, 1) if line.lstrip().startswith('"')), default=0)


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
