"""``klpublish import DOCUMENT [--name NAME] [--accept-changes]``: a Word or
OpenDocument letter written as ``source/<name>/<name>.da.md`` with its pictures
beside it, once the letter it makes passes the letter policy. Nothing is
written before that; the letter is written last, in one rename."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klpublish import pandoc
from klpublish.errors import KlpublishError, Location, SourceError, display_path
from klpublish.files import MAX_LETTER_BYTES, Reading, read_inside
from klpublish.letter.fill_in import FILL_IN
from klpublish.letter.nodes import plain_text
from klpublish.letter.read import read_letter
from klpublish.project import SOURCES, letter_files, letter_in_folder, letter_name
from klpublish.word import front_matter
from klpublish.word.archive import Package, open_document
from klpublish.word.escape import escape_text, front_matter_markdown
from klpublish.word.inspect import Findings, check_length, inspect, main_part
from klpublish.word.languages import default_language, mark_languages
from klpublish.word.opendocument import inspect_odt
from klpublish.word.read import convert, empty_headings, pictures, set_heading_levels, tidy

LETTER_LANG = "da"
WRITER = "markdown-smart-raw_html"
"""As the letter is read (``letter/read.py``): the text's own typography, unchanged."""


@dataclass(frozen=True)
class ImportRequest:
    document: Path
    name: str | None = None
    accept_changes: bool = False
    sources: Path = SOURCES

    def run(self, progress: Any) -> tuple[list[str], int]:
        name = self.name if self.name is not None else _name_from(self.document)
        # letter_name reads a file's name: a folder or a dot in NAME would pass it unseen.
        if not _plain(name):
            raise SourceError(
                f"--name {name!r} is not a plain name: expected lowercase letters, digits, "
                "'-' and '_' (no folder, no dot)",
                Location(display_path(self.document), 0),
            )
        target = letter_in_folder(name, self.sources)
        _check_no_other_letter(name, target, self.sources)
        package = open_document(self.document)
        check_length(package, main_part(package) if package.reader == "docx" else "content.xml")
        findings = Findings()
        notes: list[str] = []
        if package.reader == "odt":
            findings = inspect_odt(package, self.accept_changes)
        if package.reader == "docx":
            findings = inspect(package, self.accept_changes)
            document_lang = default_language(package)
            if document_lang and not document_lang.lower().startswith(LETTER_LANG):
                notes.append(
                    f"the document's language is {document_lang}: it is imported as a Danish letter"
                )
            if any(name.startswith(("word/header", "word/footer")) for name in package.parts):
                notes.append("page headers and footers (the letterhead) are not imported")
            package, langs = mark_languages(package, LETTER_LANG)
            if langs:
                notes.append(f"kept runs marked in another language: {', '.join(langs)}")
        text, names, missing = _letter(package, findings)
        existed = target.exists()
        if existed:
            notes.extend(_no_longer_used(target, names))
        _write(text, names, target, package)
        return _report(target, existed, names, missing, findings, notes), 0


def _plain(name: str) -> bool:
    try:
        return letter_name(Path(f"{name}.da.md")) == name
    except KlpublishError:
        return False


def _no_longer_used(target: Path, names: dict[str, Any]) -> list[str]:
    """The pictures the letter being rewritten showed and the new one does not:
    left where they are (the author may want them), and said."""
    raw = read_inside(target, Reading(target.parent, MAX_LETTER_BYTES, "a letter"), SourceError)
    old = raw.decode("utf-8", "replace")
    shown = set(re.findall(r"!\[[^\]]*\]\(([^)\s/]+)\)", old))
    unused = sorted(shown - set(names))
    if not unused:
        return []
    return [f"pictures the letter no longer shows, left beside it: {', '.join(unused)}"]


def _name_from(document: Path) -> str:
    name = re.sub(r"[^a-z0-9_-]+", "-", document.name.partition(".")[0].lower()).strip("-_")
    return name[:64] or "letter"


def _check_no_other_letter(name: str, target: Path, sources: Path) -> None:
    """Refuse a name another letter has, and a letter folder that is a link (the
    letter and its pictures would be written wherever it leads)."""
    for folder in (sources, target.parent):
        if os.path.lexists(folder) and (folder.is_symlink() or not folder.is_dir()):
            raise SourceError(
                "is a symbolic link or not a folder: expected a folder of letters",
                Location(display_path(folder), 0),
            )
    for path in letter_files(sources) if sources.is_dir() else []:
        if path.name.partition(".")[0] == name and path != target:
            raise SourceError(
                f"a letter named '{name}' is there already: expected another --name",
                Location(display_path(path), 0),
            )


def _letter(package: Package, findings: Findings) -> tuple[str, dict[str, Any], list[str]]:
    """The letter's text, its pictures by file name, and the fields it lacks."""
    doc = convert(package)
    if empty := empty_headings(doc["blocks"]):
        findings.warnings.append(
            f"dropped {empty} empty heading(s): a heading style on a paragraph without text"
        )
    blocks = tidy(doc["blocks"])
    set_heading_levels(blocks, package.error)
    fields: dict[str, Any] = front_matter.properties(package)
    for key in ("title", "subtitle"):
        value = doc["meta"].get(key)
        if value and plain_text(value["c"]).strip():
            fields[key] = plain_text(value["c"]).strip()
    fields["lang"] = LETTER_LANG
    blocks = front_matter.take_opening(blocks, fields)
    blocks = front_matter.take_closing(blocks, fields)
    doc = {**doc, "meta": {}, "blocks": blocks}
    names = pictures(doc, package, findings.pictures, package.error)
    body = pandoc.ast_to_text(
        {**doc, "blocks": escape_text(doc["blocks"])}, WRITER, package.path, options={"columns": 80}
    )
    fields = front_matter_markdown(fields, doc["pandoc-api-version"], package.path)
    head, missing = front_matter.yaml_text(fields)
    if "title" not in fields:
        head = f"# title: the letter's title{FILL_IN}\n" + head
        missing.insert(0, "title")
    return f"---\n{head}---\n\n{body}", names, missing


def _write(text: str, names: dict[str, Any], target: Path, package: Package) -> None:
    """Write the letter and its pictures in a hidden folder beside the letters,
    check the letter as publishing would, then move them into place."""
    target.parent.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".import-", dir=target.parent.parent))
    try:
        trial = scratch / target.parent.name / target.name
        trial.parent.mkdir()
        for file_name, picture in names.items():
            (trial.parent / file_name).write_bytes(picture.data)
        # The front matter's own title: a body line "title: ..." is the author's text.
        front = text.removeprefix("---\n").partition("\n---\n")[0]
        checked = (
            text if "\ntitle:" in f"\n{front}" else text.replace("---\n", "---\ntitle: Letter\n", 1)
        )
        trial.write_text(checked, encoding="utf-8")
        try:
            read_letter(trial)
        except KlpublishError as exc:
            raise _refused(exc, checked, package) from exc
        trial.write_text(text, encoding="utf-8")
        target.parent.mkdir(exist_ok=True)
        for file_name in names:
            os.replace(trial.parent / file_name, target.parent / file_name)
        os.replace(trial, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _refused(exc: KlpublishError, text: str, package: Package) -> SourceError:
    line = exc.location.line if exc.location else 0
    lines = text.splitlines()
    shown = (
        f" (in the imported text: '{lines[line - 1].strip()[:60]}')"
        if 0 < line <= len(lines)
        else ""
    )
    return package.error(f"the letter it makes is refused: {exc.message}{shown}")


def _report(
    target: Path,
    existed: bool,
    names: dict[str, Any],
    missing: list[str],
    findings: Findings,
    notes: list[str],
) -> list[str]:
    verb = "rewrote" if existed else "wrote"
    lines = [f"{verb} {display_path(target)}"]
    if names:
        lines.append(f"  pictures beside it: {', '.join(sorted(names))}")
    if findings.changes:
        lines.append(f"  accepted {findings.changes} tracked changes")
    if findings.comments:
        lines.append(f"  dropped {findings.comments} comments")
    lines.extend(f"  {note}" for note in [*notes, *findings.warnings])
    if missing:
        lines.append(f"  not found, left as commented lines to fill in: {', '.join(missing)}")
    return lines
