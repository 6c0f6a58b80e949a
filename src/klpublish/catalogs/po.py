"""The .pot and .po files, through their parsers (Babel, polib, msgfmt): build,
check, write without churn, update, init."""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import subprocess
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, parse_separated_header

from klpublish.catalogs.po_file import Header, PoFile, babel_catalog, read_po_file
from klpublish.catalogs.po_writer import Kept, kept, render
from klpublish.errors import CatalogError, Location, ToolError, display_path
from klpublish.fileio import write_atomic
from klpublish.files import MAX_CATALOG_BYTES, Reading, read_inside
from klpublish.project import LABELS_DOMAIN, catalog_tree
from klpublish.segments.messages import Message
from klpublish.settings import MSGFMT_DEADLINE, source_date_epoch

PROJECT = "klpublish letter"
VERSION = "1.0"
BUGS_ADDRESS = "https://www.kl.dk"
COPYRIGHT = "KL – Kommunernes Landsforening"
HEADER = """\
# Translations of a letter from KL – Kommunernes Landsforening.
# Copyright (C) KL – Kommunernes Landsforening
# This file is distributed under the same license as the klpublish letter project.
#"""


def build_date() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = source_date_epoch()
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def template_catalog(messages: list[Message], source_path: str) -> Catalog:
    catalog = Catalog(
        project=PROJECT,
        version=VERSION,
        copyright_holder=COPYRIGHT,
        msgid_bugs_address=BUGS_ADDRESS,
        creation_date=build_date(),
        header_comment=HEADER,
        charset="utf-8",
        fuzzy=False,
    )
    # Babel merges a message added again into the one it has by copying the
    # lists of both, so k occurrences of one text would cost k squared: each
    # text's occurrences are gathered first, and the catalog given each text once.
    gathered: dict[tuple[str, str | None], tuple[list[tuple[str, int]], list[str]]] = {}
    for m in messages:
        locations, comments = gathered.setdefault((m.msgid, m.context), ([], []))
        locations.append((source_path, m.line))
        comments.append(m.comment)
    for (msgid, context), (locations, comments) in gathered.items():
        catalog.add(
            msgid,
            locations=list(dict.fromkeys(locations)),
            auto_comments=list(dict.fromkeys(comments)),
            context=context,
        )
    drop_format_claims(catalog)
    return catalog


def format_claim(flag: str) -> bool:
    """Whether ``flag`` says its entry is a format string (``python-format``,
    ``c-format``; not ``no-python-format``)."""
    return flag.endswith("-format") and not flag.startswith("no-")


def drop_format_claims(catalog: Catalog) -> None:
    """A letter's text is never a format string: Babel flags any entry whose
    text holds ``% s`` (``Mindst 50 % skal være med``) ``python-format``, and
    msgfmt then refuses the correct "At least 50% must ...". The flag is taken
    off every letter entry, whichever tool put it there (they all copy it from a
    template, where only Babel's guess can have put it); other flags stay."""
    for message in (*catalog, *catalog.obsolete.values()):
        if message.id:
            message.flags = {flag for flag in message.flags if not format_claim(flag)}


def serialise(catalog: Catalog) -> bytes:
    """The catalog as PO text, as Babel's writer lays it out, with each fuzzy
    entry's previous msgid (``#|``) as GNU gettext writes it (see ``po_writer``)."""
    return render(catalog)


def write_catalog(catalog: Catalog, path: Path) -> bool:
    """Write ``catalog`` to ``path`` unless the file there already says the same,
    dates aside; keep what the file says that the catalog does not hold (see
    ``po_writer``). A language's catalog that polib or Babel cannot read is
    refused, never written over: what it holds would be lost. Returns whether
    the file was written."""
    over = _over(path, catalog)
    data = render(catalog, over)
    if over is not None and data == over.po.data:
        return False
    write_atomic(path, data)
    return True


def _over(path: Path, catalog: Catalog) -> Kept | None:
    """The file a catalog is written over, read; a template that cannot be read
    (the template is made from the letter, nobody else's) is made anew."""
    if not os.path.lexists(path):
        return None
    locale = str(catalog.locale) if catalog.locale is not None else None
    try:
        data = read_catalog(path)
        return kept(read_po_file(data, display_path(path)), locale)
    except CatalogError:
        if locale is None:
            return None
        raise


def check_header(data: bytes, shown: str, lang: str) -> list[CatalogError]:
    """``check_fields`` on the header of the PO file ``data`` (read from ``shown``)."""
    return check_fields(read_po_file(data, shown).header, shown, lang)


def check_fields(header: Header, shown: str, lang: str) -> list[CatalogError]:
    """What msgfmt only warns about, but a published language needs: UTF-8 and
    the language the directory says. A missing ``Plural-Forms`` (msgfmt accepts
    a catalog without plural entries that lacks it) takes Babel's rule for the
    language: returned as a warning, located, as is every warning here. Fields
    are read as the parser read them, however a tool wrapped their lines."""
    charset = parse_separated_header(header.value("Content-Type") or "").get("charset", "")
    if charset.lower().replace("_", "-") != "utf-8":
        raise CatalogError(
            f"header declares charset {charset or '(none)'}: expected UTF-8",
            Location(shown, header.line_of("Content-Type")),
        )
    declared = (header.value("Language") or "").strip()
    if declared.replace("-", "_") != lang:
        raise CatalogError(
            f"header says Language: {declared or '(none)'}, but the file is in the '{lang}' "
            "directory",
            Location(shown, header.line_of("Language")),
        )
    expected = Catalog(locale=Locale.parse(lang)).plural_forms
    found = header.value("Plural-Forms")
    if found is None:
        return [
            CatalogError(
                f'header has no Plural-Forms: Babel\'s rule for {lang} is used, "{expected}"',
                Location(shown, header.line_of("Language")),
            )
        ]
    nplurals = parse_separated_header(f" ;{found}").get("nplurals", "").strip()
    if not nplurals.isdigit() or int(nplurals) != Catalog(locale=lang).num_plurals:
        raise CatalogError(
            f'Plural-Forms "{found.strip()}" does not fit {lang}: expected "{expected}"',
            Location(shown, header.line_of("Plural-Forms")),
        )
    return []


def refuse_plural_entries(catalog: Catalog, shown: str) -> None:
    """A letter's segments are sentences, never counted: an entry with
    ``msgid_plural`` in its catalog is a mistake (or a trick), not a translation."""
    for message in catalog:
        if message.pluralizable:
            raise CatalogError(
                "entry has msgid_plural: a letter's catalog holds no plural forms; expected "
                "msgid and msgstr only",
                Location(shown, message.lineno or 0),
            )


def read_catalog(path: Path, cap: int = MAX_CATALOG_BYTES) -> bytes:
    """The bytes of a .po or .pot file: a regular file inside its tree (see
    ``layout.catalog_tree``), opened without waiting, at most ``cap`` bytes; a
    link out of the tree, a FIFO, a device or a larger file is a located
    ``CatalogError`` naming ``path`` as given."""
    return read_inside(path, Reading(catalog_tree(path), cap, "a .po file"), CatalogError)


def load_catalog(path: Path, locale: str | None = None, *, plurals: bool = False) -> Catalog:
    """Read a .po/.pot strictly (see ``read_catalog`` and ``parse_catalog``)."""
    return parse_catalog(read_catalog(path), display_path(path), locale, plurals=plurals)


def parse_catalog(
    data: bytes, shown: str, locale: str | None = None, *, plurals: bool = False
) -> Catalog:
    """A catalog from its bytes (read from ``shown``), strictly (see ``checked_po``
    and ``catalog_of``)."""
    return catalog_of(checked_po(data, shown), locale, plurals=plurals)


def checked_po(data: bytes, shown: str) -> PoFile:
    """The PO file ``data`` (read from ``shown``) once msgfmt has passed it (it
    catches what Babel and polib let pass), read by polib: a line polib cannot
    read is a located error, never passed over. The bytes checked are the bytes
    parsed: msgfmt reads them from its standard input, never the file again."""
    _msgfmt(data, shown)
    return read_po_file(data, shown)


def catalog_of(po: PoFile, locale: str | None = None, *, plurals: bool = False) -> Catalog:
    """Babel's catalog of ``po``; for a language's catalog, its header checked
    first. ``plurals``: whether entries with ``msgid_plural`` may be there (never
    in a letter's catalog)."""
    if locale is not None:
        check_fields(po.header, po.shown, locale)
    catalog = babel_catalog(po, locale)
    if not plurals:
        refuse_plural_entries(catalog, po.shown)
    return catalog


_MSGFMT_LINE = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+):(?:\d+:)?\s*(?!warning:)(?P<msg>.*)$", re.M
)
_STDIN = re.compile(r"^((?:msgfmt: )?)<stdin>(?=:)", re.M)


def check_with_msgfmt(path: Path, data: bytes | None = None) -> None:
    """Run GNU ``msgfmt`` (the checks of ``_checks``) on ``data``, the bytes of ``path``
    (read through ``read_catalog`` when not given); raise with its first located
    complaint, said of ``path``."""
    _msgfmt(read_catalog(path) if data is None else data, display_path(path))


def msgfmt_problems(path: Path) -> list[str]:
    """What msgfmt says of the catalog ``path`` (read through ``read_catalog``),
    line by line and said of ``path``; none when it accepts it. For the gate,
    which lists every complaint where a build stops at the first."""
    shown = display_path(path)
    said = _run_msgfmt(read_catalog(path), shown)
    return [] if said is None else _said_of(said, shown).splitlines()


def _msgfmt(data: bytes, shown: str) -> None:
    said = _run_msgfmt(data, shown)
    if said is None:
        return
    stderr = _said_of(said, shown)
    match = _MSGFMT_LINE.search(said)  # "<stdin>" holds no colon; a file name may
    if match:
        raise CatalogError(
            f"msgfmt: {match.group('msg')}\n{stderr}", Location(shown, int(match.group("line")))
        )
    raise ToolError(f"{shown}: msgfmt rejected the file:\n{stderr}")


def _run_msgfmt(data: bytes, shown: str) -> str | None:
    """msgfmt's stderr on ``data`` (the bytes of ``shown``), or None when it
    accepts them. The one place msgfmt runs: from its standard input, so the
    bytes checked are the bytes parsed, never the file read again."""
    deadline = MSGFMT_DEADLINE.seconds()
    try:
        proc = subprocess.run(
            ["msgfmt", *_checks(shown), "-o", os.devnull, "-"],
            input=data,
            capture_output=True,
            check=False,
            timeout=deadline,
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolError(f"{shown}: msgfmt took more than {deadline:g} s and was stopped") from exc
    if proc.returncode == 0:
        return None
    return proc.stderr.decode("utf-8", "replace").strip()


def _checks(shown: str) -> list[str]:
    """msgfmt's checks for the catalog ``shown``: all of them (``-c``) for the
    layout's words, whose placeholders are format strings; for a letter's
    catalog, all but the format check, since letter text is never a format
    string and a ``python-format`` flag Babel guessed (see ``drop_format_claims``,
    which ``update`` applies) would refuse a correct translation."""
    if Path(shown).stem == LABELS_DOMAIN:
        return ["-c"]
    return ["--check-header", "--check-domain"]


def _said_of(said: str, shown: str) -> str:
    """msgfmt names its input "<stdin>": said of the file, as the user knows it."""
    return _STDIN.sub(lambda found: found.group(1) + shown, said)


def _own(template: Catalog) -> Catalog:
    """A copy of the template for one catalog: Babel's update puts the template's
    own entries into the catalog, so a template merged into several languages would
    share them, and filling one language's entry would fill the others'."""
    return copy.deepcopy(template)


def merge(catalog: Catalog, template: Catalog) -> None:
    """Babel's update, made loss-free for obsolete entries.

    Babel only matches against active entries and overwrites an obsolete entry of
    the same key. So: an obsolete translation whose text is back in the template
    becomes active again; an older obsolete translation is never replaced by an
    untranslated one.
    """
    template_keys = {(m.id, m.context) for m in template if m.id}
    active_keys = {(m.id, m.context) for m in catalog if m.id}
    for key, old in list(catalog.obsolete.items()):
        if (old.id, old.context) in template_keys - active_keys:
            catalog[old.id] = old  # Babel keys it with the message's own context
            del catalog.obsolete[key]
    earlier = dict(catalog.obsolete)
    previous = {(m.id, m.context): m.previous_id for m in catalog if m.id and m.previous_id}
    catalog.update(_own(template), update_header_comment=False, keep_user_comments=True)
    for message in catalog:
        if message.fuzzy and not message.previous_id:
            message.previous_id = previous.get((message.id, message.context), [])
    for key, old in earlier.items():
        now = catalog.obsolete.get(key)
        if now is None or (old.string and not now.string):
            catalog.obsolete[key] = old


def new_catalog(template: Catalog, lang: str) -> Catalog:
    locale = Locale.parse(lang)
    catalog = Catalog(
        locale=locale,
        project=PROJECT,
        version=VERSION,
        copyright_holder=COPYRIGHT,
        msgid_bugs_address=BUGS_ADDRESS,
        header_comment=HEADER,
        creation_date=template.creation_date,
        revision_date=build_date(),
        language_team=f"{locale.english_name} <{BUGS_ADDRESS}>",
        last_translator=f"{locale.english_name} translators <{BUGS_ADDRESS}>",
        charset="utf-8",
        fuzzy=False,
    )
    catalog.update(_own(template))
    return catalog
