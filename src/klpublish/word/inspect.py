"""What a Word document holds beyond what pandoc shows, read from its XML
before pandoc reads it: each refusal names the paragraph (a .docx has no
lines) by its number and its first words.

Refused: tracked changes (unless accepted), a picture without a description,
a linked (not embedded) picture, an embedded (OLE) object, a link the letter
policy refuses (``javascript:``), and fields that fetch content from elsewhere
(INCLUDETEXT, INCLUDEPICTURE, LINK, DDE ...). Said and dropped: comments,
charts and diagrams. Said and kept: text boxes (pandoc reads their text where
the box is anchored)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from klpublish.files import MAX_LETTER_BYTES
from klpublish.letter.policy import TargetError, Use, judge
from klpublish.word.archive import Package

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"

CHANGES = (f"{W}ins", f"{W}del", f"{W}moveFrom", f"{W}moveTo")
"""Tracked insertions, deletions and moves (formatting changes alter no text)."""

REFUSED_FIELDS = frozenset(
    {"INCLUDETEXT", "INCLUDEPICTURE", "LINK", "DDE", "DDEAUTO", "IMPORT", "EMBED", "AUTOTEXT"}
)
"""Fields whose result comes from another file or program, updated when Word opens it."""

_PICTURE = "http://schemas.openxmlformats.org/drawingml/2006/picture"
NOTE_PARTS = {"word/footnotes.xml": "footnote paragraph", "word/endnotes.xml": "endnote paragraph"}


MAX_PARAGRAPHS = 20_000
"""Paragraphs in a document's body: a 300-page report has some 6,000; pandoc and the
letter's checks take a minute and more than a GB on 100,000."""
_TEXT = {"docx": (f"{W}p", f"{W}t"), "odt": (f"{TEXT}p", None)}


def check_length(package: Package, main: str) -> None:
    """Refuse a document longer than a letter before pandoc reads it (a letter's
    file is refused above :data:`MAX_LETTER_BYTES` after all the work)."""
    root = package.xml(main)
    if root is None:
        return
    paragraph, run_text = _TEXT[package.reader]
    count = sum(1 for _ in root.iter(paragraph, f"{TEXT}h"))
    if count > MAX_PARAGRAPHS:
        raise package.error(
            f"part {main} holds {count} paragraphs: expected at most {MAX_PARAGRAPHS} in a letter"
        )
    texts = root.iter(run_text) if run_text else [root]
    size = sum(len(str(text).encode("utf-8")) for node in texts for text in node.itertext())
    if size > MAX_LETTER_BYTES:
        raise package.error(
            f"part {main} holds {size // 2**20} MB of text: expected at most "
            f"{MAX_LETTER_BYTES // 2**20} MB in a letter"
        )


@dataclass
class Findings:
    """What the document holds that the import reports."""

    changes: int = 0
    first_change: str = ""
    comments: int = 0
    warnings: list[str] = field(default_factory=list)
    pictures: dict[str, str] = field(default_factory=dict)
    """Each embedded picture's part name (``media/image1.png``) and where it stands."""


def main_part(package: Package) -> str:
    """The document's main part, as ``_rels/.rels`` names it."""
    rels = package.xml("_rels/.rels")
    for rel in rels.iter(f"{PR}Relationship") if rels is not None else ():
        if str(rel.get("Type", "")).endswith("/officeDocument"):
            target = str(rel.get("Target", "")).lstrip("/")
            if target in package.parts:
                return target
    return "word/document.xml"


def relationships(package: Package, part: str) -> dict[str, tuple[str, bool]]:
    """Each relationship id of ``part``: its target, and whether it is external."""
    folder, _, name = part.rpartition("/")
    rels = package.xml(f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels")
    out: dict[str, tuple[str, bool]] = {}
    for rel in rels.iter(f"{PR}Relationship") if rels is not None else ():
        out[str(rel.get("Id"))] = (str(rel.get("Target", "")), rel.get("TargetMode") == "External")
    return out


def text_of(paragraph: etree._Element) -> str:
    return "".join(str(t.text or "") for t in paragraph.iter(f"{W}t"))


class _Places:
    """Where a paragraph is, in words: its number and first words, or the words
    before it (a picture alone in its paragraph has none)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.number = 0
        self.previous = ""
        self.words = ""

    def enter(self, paragraph: etree._Element) -> None:
        if self.words:
            self.previous = self.words
        self.number += 1
        self.words = re.sub(r"\s+", " ", text_of(paragraph)).strip()

    def __str__(self) -> str:
        if self.words:
            return f"{self.label} {self.number} ({_quoted(self.words)})"
        after = f", after {_quoted(self.previous)}" if self.previous else ""
        return f"{self.label} {self.number}{after}"


def _quoted(words: str) -> str:
    return f"'{words[:40]}…'" if len(words) > 40 else f"'{words}'"


def inspect(package: Package, accept_changes: bool) -> Findings:
    """Refuse what a letter may not take from ``package`` (a .docx); say the rest."""
    findings = Findings()
    main = main_part(package)
    comments = package.xml(f"{main.rpartition('/')[0]}/comments.xml")
    if comments is not None:
        findings.comments = len(comments.findall(f"{W}comment"))
    for part, label in ((main, "paragraph"), *NOTE_PARTS.items()):
        root = package.xml(part)
        if root is not None:
            _walk(package, part, root, _Places(label), findings)
            _chunks(package, part, root, label)
    if findings.changes and not accept_changes:
        raise package.error(
            f"{findings.first_change}: holds tracked changes ({findings.changes} in the "
            "document): expected them accepted or rejected in Word, or import with "
            "--accept-changes"
        )
    return findings


def _paragraphs(root: etree._Element) -> Iterator[etree._Element]:
    # Paragraphs inside a text box are the box's own: the box is said at its anchor.
    for paragraph in root.iter(f"{W}p"):
        if not any(a.tag == f"{W}txbxContent" for a in paragraph.iterancestors()):
            yield paragraph


def _walk(package: Package, part: str, root: etree._Element, at: _Places, found: Findings) -> None:
    rels = relationships(package, part)
    for paragraph in _paragraphs(root):
        at.enter(paragraph)
        for node in paragraph.iter():
            tag = node.tag
            if tag in CHANGES:
                found.changes += 1
                found.first_change = found.first_change or str(at)
            elif tag == f"{WP}docPr":
                _picture(package, node, rels, at, found)
            elif tag == f"{V}imagedata":
                _linked(package, node.get(f"{R}id"), rels, at, "picture", found)
            elif tag in (f"{W}object",):
                raise package.error(
                    f"{at}: holds an embedded object (OLE: a sheet, a chart or a file from "
                    "another program): expected a picture with a description instead"
                )
            elif tag == f"{W}txbxContent":
                found.warnings.append(
                    f"{at}: a text box: its text is imported as paragraphs where the box "
                    "is anchored: check its place in the letter"
                )
            elif tag == f"{W}hyperlink" and node.get(f"{R}id"):
                target, _ = rels.get(str(node.get(f"{R}id")), ("", False))
                _link(package, target, at)
            elif tag == f"{W}subDoc":
                target, _ = rels.get(str(node.get(f"{R}id")), ("?", True))
                raise package.error(
                    f"{at}: a subdocument ({target[:80]}) takes its text from another file: "
                    "expected the text itself (in Word: open the subdocument and copy its text in)"
                )
            elif tag in (f"{W}instrText", f"{W}fldSimple"):
                code = node.text if tag == f"{W}instrText" else node.get(f"{W}instr")
                _field(package, str(code or ""), at)


def _chunks(package: Package, part: str, root: etree._Element, label: str) -> None:
    """Refuse an ``altChunk``: HTML, RTF or another document pasted in whole,
    which pandoc does not read, so its text would be lost without a word."""
    chunk = next(root.iter(f"{W}altChunk"), None)
    if chunk is None:
        return
    target, _ = relationships(package, part).get(str(chunk.get(f"{R}id")), ("?", False))
    before = [p for p in chunk.itersiblings(f"{W}p", preceding=True) if text_of(p).strip()]
    where = f"after '{text_of(before[0]).strip()[:40]}'" if before else "at the start"
    raise package.error(
        f"{label} {where}: an embedded chunk ({target[:80]}: HTML, RTF or another document "
        "pasted whole) is not read, and its text would be lost: expected its text in the "
        "document (in Word: Paste Special > Unformatted text, or save the document again)"
    )


def _picture(
    package: Package,
    doc_pr: etree._Element,
    rels: dict[str, tuple[str, bool]],
    at: _Places,
    found: Findings,
) -> None:
    drawing = doc_pr.getparent()
    assert drawing is not None
    data = drawing.find(f".//{A}graphicData")
    uri = str(data.get("uri", "")) if data is not None else ""
    name = str(doc_pr.get("name", "")) or "a picture"
    if uri != _PICTURE:
        if not uri.endswith("wordprocessingShape"):
            kind = uri.rpartition("/")[2] or "drawing"
            found.warnings.append(
                f"{at}: {name} is a {kind}, not a picture, and is dropped: paste it as a "
                "picture with a description to keep it"
            )
        return
    for blip in drawing.iter(f"{A}blip"):
        if blip.get(f"{R}link"):
            target, _ = rels.get(str(blip.get(f"{R}link")), ("?", True))
            raise package.error(
                f"{at}: picture '{name}' is linked to {target}, not embedded: expected the "
                "picture inside the document (in Word: Insert > Pictures, without 'Link to File')"
            )
        _linked(package, blip.get(f"{R}embed"), rels, at, f"picture '{name}'", found)
    if not str(doc_pr.get("descr", "")).strip():
        raise package.error(
            f"{at}: picture '{name}' has no description (alt text): expected one, written "
            "in Word (right-click the picture, View Alt Text)"
        )


def _linked(
    package: Package,
    rid: object,
    rels: dict[str, tuple[str, bool]],
    at: _Places,
    what: str,
    found: Findings,
) -> None:
    target, external = rels.get(str(rid), ("", False))
    if external:
        raise package.error(
            f"{at}: {what} is linked to {target}, not embedded: expected the picture inside "
            "the document"
        )
    if not target:
        return
    part = target.lstrip("/").removeprefix("word/")
    if f"word/{part}" not in package.parts and part not in package.parts:
        # pandoc drops a picture whose part is missing: the letter would lose it unsaid.
        raise package.error(
            f"{at}: {what} points at {target[:80]}, which is not in the document: expected "
            "the picture inside it (insert the picture again in Word)"
        )
    found.pictures.setdefault(part, str(at))


def _link(package: Package, target: str, at: _Places) -> None:
    try:
        judge(target, Use.LINK)
    except TargetError as exc:
        raise package.error(f"{at}: link {target[:80]} {exc}") from exc


def _field(package: Package, code: str, at: _Places) -> None:
    words = code.split()
    if not words:
        return
    kind = words[0].upper()
    if kind in REFUSED_FIELDS:
        raise package.error(
            f"{at}: a {kind} field takes its content from another file or program: "
            "expected the content itself (in Word: select the field and press Ctrl+Shift+F9)"
        )
    if kind == "HYPERLINK" and len(words) > 1 and not words[1].startswith("\\"):
        _link(package, words[1].strip('"'), at)
