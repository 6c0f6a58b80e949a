"""What an OpenDocument (.odt) letter holds beyond what pandoc shows, read from
its ``content.xml`` before pandoc reads it, as :mod:`inspect` reads a .docx:
tracked changes refused unless accepted (pandoc accepts them unsaid), a section
linked to another file refused (its text is a copy the file would replace),
annotations (comments) counted and dropped."""

from __future__ import annotations

import re

from lxml import etree

from klpublish.word.archive import Package
from klpublish.word.inspect import TEXT, Findings

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CHANGE_MARKS = (f"{TEXT}change", f"{TEXT}change-start")


def _where(root: etree._Element, node: etree._Element) -> str:
    """The paragraph holding ``node``, by its number and first words."""
    # A deleted paragraph is kept in the change's record, not in the text.
    paragraphs = [
        p
        for p in root.iter(f"{TEXT}p", f"{TEXT}h")
        if next(p.iterancestors(f"{TEXT}tracked-changes"), None) is None
    ]
    holder = next((a for a in node.iterancestors(f"{TEXT}p", f"{TEXT}h")), None)
    if holder is None:
        return "content.xml"
    words = re.sub(r"\s+", " ", "".join(str(t) for t in holder.itertext())).strip()
    shown = f" ('{words[:40]}')" if words else ""
    if holder not in paragraphs:  # a paragraph of deleted text, in the changes' record
        return f"the tracked changes{shown}"
    return f"paragraph {paragraphs.index(holder) + 1}{shown}"


def inspect_odt(package: Package, accept_changes: bool) -> Findings:
    """Refuse what a letter may not take from ``package`` (an .odt); count the rest."""
    findings = Findings()
    root = package.xml("content.xml")
    if root is None:
        return findings
    findings.comments = sum(1 for _ in root.iter(f"{OFFICE}annotation"))
    source = next(root.iter(f"{TEXT}section-source"), None)
    if source is not None:
        target = str(source.get("{http://www.w3.org/1999/xlink}href", "?"))
        raise package.error(
            f"a section is linked to {target[:80]}: its text is a copy that file replaces: "
            "expected the text itself (in LibreOffice: Format > Sections, remove the link)"
        )
    findings.changes = sum(1 for _ in root.iter(f"{TEXT}changed-region"))
    if findings.changes and not accept_changes:
        mark = next(root.iter(*_CHANGE_MARKS), None)
        where = _where(root, mark) if mark is not None else "content.xml"
        raise package.error(
            f"{where}: holds tracked changes ({findings.changes} in the document): expected "
            "them accepted or rejected in LibreOffice, or import with --accept-changes"
        )
    return findings
