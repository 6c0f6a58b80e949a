"""A run with nothing to do reads records, not letters.

Each publish run of a letter ends by recording, under ``OUT/.cache``, what it
found (title, date, each language's verdict) and the digest of every input it
read, taken before it read them: the letter's text, each image it shows, each
language's catalog, layout words and glossary, the package's code and the tools
(``cache.code_digest``) and ``SOURCE_DATE_EPOCH``. The next run computes that
digest from the files alone, without pandoc; when it is the same and every
output is still the file the run wrote (its SHA-256), the letter is up to date
and nothing else is read. Any difference, or any file that cannot be read as the
build would read it, sends the run the long way, which says why.

This module is imported before the readers and writers are (and often instead of
them): it imports none of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from klpublish.build import cache
from klpublish.build.output_folder import claim
from klpublish.build.report import LanguageResult, Report, Wanted, output_epoch
from klpublish.catalogs.label import Label
from klpublish.errors import KlpublishError, display_path
from klpublish.fileio import build_lock, write_record
from klpublish.files import MAX_CATALOG_BYTES, MAX_LETTER_BYTES, Reading, read_inside
from klpublish.letter.fill_in import fill_in_warnings
from klpublish.letter.nodes import Node, iter_nodes
from klpublish.project import Layout, catalog_tree, letter_root

Facts = dict[str, Any]
LETTER = "letter"
STATUS = "status"
WARNING_TOOLS = ("py3langid", "snowballstemmer", "polib")
"""What the glossary's and the language check's warnings are found with."""
ALL = "all"


def _read(path: Path, reading: Reading) -> bytes:
    return read_inside(path, reading)


def _catalog_bytes(find: Callable[[str], Path | None], lang: str, what: str) -> bytes:
    """The file's bytes, or why it cannot be read (that language's error, which the
    run reports: a recorded error is never taken as up to date)."""
    try:
        path = find(lang)
        if path is None:
            return b"none\0"
        data = _read(path, Reading(catalog_tree(path), MAX_CATALOG_BYTES, what))
    except (KlpublishError, OSError) as exc:
        return f"unreadable: {exc}\0".encode()
    return b"%d\0" % len(data) + data


def inputs_digest(
    layout: Layout,
    text: bytes,
    images: Iterable[str],
    source_lang: str,
    epoch: int,
    kind: str = LETTER,
) -> str:
    """The digest of everything a letter's outputs and verdicts are made from,
    computed from the files (``KlpublishError``/``OSError`` when one cannot be read
    as the build reads it). ``images`` and ``source_lang`` are the letter's, as
    the run that parsed it found them; ``epoch`` the outputs' time stamp."""
    digest = hashlib.sha256(cache.code_digest().encode())
    if kind == STATUS:  # and the warnings' tools, which only status counts with
        from importlib import metadata  # 12 ms to import, for status alone

        digest.update(json.dumps({k: metadata.version(k) for k in WARNING_TOOLS}).encode())
    digest.update(f"{epoch}\0{len(text)}\0".encode())
    digest.update(text)
    for url, image in zip(images, cache.image_digests(images, layout.source.parent), strict=True):
        digest.update(f"\0image {url}\0{image}".encode())
    project = layout.project
    for lang in [source_lang, *layout.languages()]:
        digest.update(f"\0language {lang}\0".encode())
        if lang != source_lang:
            digest.update(_catalog_bytes(lambda code: layout.catalog(code), lang, "a .po file"))
        digest.update(_catalog_bytes(project.labels_catalog, lang, "a .po file"))
        digest.update(_catalog_bytes(project.glossary, lang, "a TBX file"))
    return digest.hexdigest()


def images_of(doc: Node) -> list[str]:
    """The target of each image a parsed letter shows, in order."""
    return [n["c"][2][0] for n in iter_nodes([doc["meta"], doc["blocks"]]) if n["t"] == "Image"]


def letter_bytes(layout: Layout) -> bytes:
    return _read(layout.source, Reading(letter_root(layout.source), MAX_LETTER_BYTES, "a letter"))


def _path(layout: Layout, kind: str) -> Path:
    return layout.cache_record(kind, ALL)


def _pandoc_known(data: Facts) -> None:
    """What a recorded run learnt of pandoc's version, so that it is not asked again."""
    known = data.get("pandoc")
    if isinstance(known, list) and len(known) == 2 and all(isinstance(k, str) for k in known):
        cache.KNOWN_VERSIONS.setdefault(known[0], known[1])


def _pandoc_learnt() -> list[str]:
    from klpublish.pandoc import pandoc_path

    binary = pandoc_path()
    identity = cache.binary_identity(binary)
    return [identity, cache.KNOWN_VERSIONS.get(identity) or cache.pandoc_version(binary)]


def current(layout: Layout, kind: str, threshold: float) -> Facts | None:
    """The facts recorded of ``kind`` for this letter, when its inputs are still
    those recorded with them (else None: the long way, which says why)."""
    data = cache.load_record(_path(layout, kind))
    if data.get("threshold") != threshold or not isinstance(data.get("inputs"), str):
        return None
    _pandoc_known(data)
    try:
        now = inputs_digest(
            layout,
            letter_bytes(layout),
            data.get("images", []),
            str(data.get("source_lang")),
            output_epoch(_date(data)),
            kind,
        )
    except (KlpublishError, OSError, TypeError, ValueError):
        return None
    return data if now == data["inputs"] else None


def remember(layout: Layout, kind: str, threshold: float, inputs: str, facts: Facts) -> None:
    """Record ``facts`` of this letter, found by a run whose inputs had the digest
    ``inputs`` (taken before it read them: a file changed during the run is then
    found changed by the next one)."""
    data = {**facts, "threshold": threshold, "inputs": inputs, "pandoc": _pandoc_learnt()}
    write_record(_path(layout, kind), json.dumps(data, sort_keys=True).encode())


def sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def recorded(layout: Layout, wanted: Wanted, progress: Callable[[str], None]) -> Report | None:
    """The letter as the build's records say it is, when nothing is to be done."""
    if not layout.out.is_dir():
        return None
    try:
        claim(layout.out)
        with build_lock(layout.out):
            said: list[str] = []
            known = up_to_date(layout, wanted, said.append)
            if known is not None:
                # What the long way says before it publishes, from the text alone.
                text = letter_bytes(layout).decode("utf-8", "replace")
                for line in [*fill_in_warnings(display_path(layout.source), text), *said]:
                    progress(line)
            return known
    except KlpublishError:  # said by the long way, in its order
        return None
    except (ValueError, TypeError, KeyError, AttributeError):  # a damaged record is none
        return None


def up_to_date(layout: Layout, wanted: Wanted, progress: Callable[[str], None]) -> Report | None:
    """What a publish run would find of this letter when nothing changed: every
    wanted output up to date. None when anything is to be done or said again (a
    language that failed says why again)."""
    facts = current(layout, LETTER, wanted.threshold)
    if facts is None:
        return None
    languages: dict[str, Facts] = facts.get("languages", {})
    every: list[str] = facts.get("every", [])
    if any(lang not in every for lang in wanted.langs) and not wanted.missing_ok:
        return None
    chosen = [lang for lang in every if not wanted.langs or lang in wanted.langs]
    if any(lang not in languages for lang in chosen):
        return None  # a language the recorded run was not asked for
    outputs: dict[str, dict[str, str]] = facts.get("outputs", {})
    results = []
    for lang in chosen:
        known = languages[lang]
        if known.get("errors"):
            return None
        result = LanguageResult(lang, float(known["percent"]), note=str(known.get("note", "")))
        if known.get("published"):
            for fmt in wanted.formats:
                path = layout.output(lang, fmt)
                made = outputs.get(lang, {}).get(fmt)
                if not made or sha256(path) != made:
                    return None
                result.unchanged.append(path)
            result.published = True
        results.append(result)
    for result in results:
        for path in result.unchanged:
            progress(f"up to date {display_path(path)}")
    return report_of(layout, facts, results)


def _date(facts: Facts) -> dt.date | None:
    return dt.date.fromisoformat(facts["date"]) if facts.get("date") else None


def report_of(layout: Layout, facts: Facts, results: list[LanguageResult]) -> Report:
    title = facts.get("title", ["", ""])
    return Report(
        layout,
        Label(str(title[0]), str(title[1])),
        _date(facts),
        results,
        publishable=[str(lang) for lang in facts.get("publishable", [])],
        inputs=str(facts["inputs"]),
    )


def publish_facts(report: Report, images: list[str], source_lang: str, every: list[str]) -> Facts:
    """What ``up_to_date`` needs of a publish run's ``report``."""
    outputs: dict[str, dict[str, str]] = {}
    for result in report.languages:
        if result.published:
            made = {path.suffix[1:]: sha256(path) for path in result.written + result.unchanged}
            outputs[result.lang] = made
    return {
        "images": images,
        "source_lang": source_lang,
        "title": [report.title.text, report.title.lang],
        "date": report.date.isoformat() if report.date else None,
        "publishable": report.publishable,
        "languages": {
            r.lang: {
                "percent": r.percent,
                "published": r.published,
                "note": r.note,
                "errors": bool(r.errors),
            }
            for r in report.languages
        },
        "outputs": {lang: made for lang, made in outputs.items() if all(made.values())},
        "every": every,
    }
