"""The order a catalog's entries are written in: the file's own.

msgmerge writes a catalog in its template's order, unless told to sort it
(``--sort-output``, ``--sort-by-file``); msgcat, Poedit and Weblate may save it
sorted. Whatever order the file has, its entries keep it, so that saving a
catalog with one tool and updating it with another is no diff. An entry new to
the file goes where msgmerge would put it: in a sorted file, at its place in
that sort (as ``msgmerge --sort-output`` or ``--sort-by-file`` would); in any
other file, after the entry that comes before it in the template. Obsolete
entries follow the active ones, as gettext writes them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from babel.messages.catalog import Message

from klpublish.catalogs.po_file import Key

Entry = tuple[Message, bool]
"""A message and whether it is obsolete."""
SortKey = Callable[[Entry], tuple[object, ...]]


def key_of(message: Message, obsolete: bool) -> Key:
    """The entry's msgctxt, msgid (the singular of a plural one), and whether it
    is obsolete: one entry of a file each."""
    msgid = message.id[0] if message.pluralizable else message.id
    return (message.context, str(msgid), obsolete)


def ordered(entries: Sequence[Entry], file_order: Sequence[Key] | None) -> list[Entry]:
    """``entries`` (in the template's order, obsolete ones last) in the order of
    the file they are written over (``file_order``, its keys; None: no file)."""
    if file_order is None:
        return list(entries)
    rank = {key: n for n, key in enumerate(file_order)}
    active = [entry for entry in entries if not entry[1]]
    obsolete = [entry for entry in entries if entry[1]]
    return [*_placed(active, rank), *_placed(obsolete, rank)]


def _placed(entries: list[Entry], rank: dict[Key, int]) -> list[Entry]:
    """``entries`` (in the template's order): those the file has in its order,
    the others where msgmerge would put them."""
    kept = sorted((e for e in entries if key_of(*e) in rank), key=lambda e: rank[key_of(*e)])
    if len(kept) == len(entries):
        return kept
    in_template = [e for e in entries if key_of(*e) in rank]
    if kept != in_template and len(kept) > 1:
        for sort_key in (by_msgid, by_file):
            if kept == sorted(kept, key=sort_key):
                return sorted(entries, key=sort_key)
    return _after_predecessors(entries, kept, rank)


def _after_predecessors(
    entries: list[Entry], kept: list[Entry], rank: dict[Key, int]
) -> list[Entry]:
    """``kept`` in its order, each new entry right after the entry before it in
    the template (the first ones first)."""
    following: dict[Key | None, list[Entry]] = {}
    anchor: Key | None = None
    for entry in entries:
        key = key_of(*entry)
        if key in rank:
            anchor = key
        else:
            following.setdefault(anchor, []).append(entry)
    out = list(following.get(None, []))
    for entry in kept:
        out += [entry, *following.get(key_of(*entry), [])]
    return out


def by_msgid(entry: Entry) -> tuple[object, ...]:
    """``--sort-output``: by msgid as bytes (gettext compares them with strcmp),
    then by msgctxt, none before any."""
    context, msgid, _ = key_of(*entry)
    return (msgid.encode("utf-8"), context is not None, (context or "").encode("utf-8"))


def by_file(entry: Entry) -> tuple[object, ...]:
    """``--sort-by-file``: an entry without a reference first, then by its first
    reference (file name, then line), then as ``by_msgid``."""
    places = sorted((str(name).encode("utf-8"), line or 0) for name, line in entry[0].locations)
    first: tuple[object, ...] = (1, *places[0]) if places else (0,)
    return (*first, *by_msgid(entry))
