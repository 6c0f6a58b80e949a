"""The letter's front matter from the document: its properties
(``docProps/core.xml``: title, author) and the letter's own opening and closing
where they follow KL's layout (recipient, date, case and document ids; closing
and signatories), taken out of the body. What is not found becomes a commented
line for the author to fill in."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from klpublish.letter.fill_in import FILL_IN
from klpublish.letter.nodes import plain_text
from klpublish.word.archive import Package

DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"

MONTHS = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]
_DATE_WORDS = re.compile(r"(\d{1,2})\.?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})", re.IGNORECASE)
_DATE_NUMBERS = re.compile(r"(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_LABELS = (
    ("date", re.compile(r"(?:dato|date)\s*:?\s*(.+)", re.IGNORECASE)),
    ("case-id", re.compile(r"(?:sags?\s*(?:id|nr\.?|nummer)|sagsnr\.?)\s*:?\s*(\S.*)", re.I)),
    ("document-id", re.compile(r"(?:dok(?:ument)?\.?\s*(?:id|nr\.?|nummer))\s*:?\s*(\S.*)", re.I)),
    ("recipient", re.compile(r"(til\s+\S.*)", re.IGNORECASE)),
)
_CLOSINGS = re.compile(r"(?:med\s+)?venlig(?:st)?\s+hilsen|de\s+bedste\s+hilsner", re.IGNORECASE)

ORDER = (
    "title",
    "lang",
    "date",
    "recipient",
    "sender",
    "case-id",
    "document-id",
    "closing",
    "signatories",
    "author",
    "accessibility-summary",
)
TO_FILL = {
    "date": "YYYY-MM-DD (the letter's date)",
    "recipient": "who the letter is to",
    "case-id": "the case's id",
    "document-id": "the document's id",
    "sender": "{name: ..., address: [...], web: https://...}",
    "accessibility-summary": "how the letter can be read (headings, reading order, alt text)",
}
"""Fields a letter in KL's layout has, and what to write when the document lacks them."""


@dataclass
class Found:
    fields: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def parse_date(text: str) -> dt.date | None:
    """A date as KL writes it: '10. januar 2018', '10-01-2018', '2018-01-10'."""
    try:
        if m := _DATE_WORDS.search(text):
            return dt.date(int(m[3]), MONTHS.index(m[2].lower()) + 1, int(m[1]))
        if m := _ISO.search(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DATE_NUMBERS.search(text):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def _lines(block: dict[str, Any]) -> list[str]:
    """A paragraph's lines (Word's soft returns split them)."""
    lines: list[list[Any]] = [[]]
    for inline in block["c"]:
        if inline["t"] == "LineBreak":
            lines.append([])
        else:
            lines[-1].append(inline)
    return [plain_text(line).strip() for line in lines if plain_text(line).strip()]


def _opening_field(line: str, found: dict[str, Any]) -> bool:
    if len(line) > 100:  # a sentence of the letter, not a field of its opening
        return False
    for key, pattern in _LABELS:
        m = pattern.fullmatch(line)
        if m and key not in found:
            if key == "date":
                date = parse_date(m[1])
                if date is None:
                    return False
                found[key] = date
            else:
                found[key] = m[1].strip()
            return True
    date = parse_date(line)
    if date is not None and "date" not in found and len(line) < 40:
        found["date"] = date
        return True
    return False


def take_opening(blocks: list[dict[str, Any]], found: dict[str, Any]) -> list[dict[str, Any]]:
    """The body without the paragraphs before the first heading or salutation
    that are wholly KL's opening fields (recipient, date, case and document ids),
    nor the title as a first paragraph (pandoc's .odt reader leaves it there)."""
    kept: list[dict[str, Any]] = []
    first = blocks[0] if blocks else None
    if first and first["t"] == "Para" and plain_text(first["c"]).strip() == found.get("title"):
        blocks = blocks[1:]
    for n, block in enumerate(blocks):
        if block["t"] not in ("Para", "Plain"):
            return kept + blocks[n:]
        lines = _lines(block)
        trial: dict[str, Any] = dict(found)
        if lines and all(_opening_field(line, trial) for line in lines):
            found.update(trial)
            continue
        if re.match(r"kære\b", plain_text(block["c"]).strip(), re.IGNORECASE):
            return kept + blocks[n:]
        kept.append(block)
    return kept


def take_closing(blocks: list[dict[str, Any]], found: dict[str, Any]) -> list[dict[str, Any]]:
    """The body without its closing phrase and the signatories after it (a
    paragraph each: a name, and the role after a soft return)."""
    for n in range(len(blocks) - 1, max(len(blocks) - 8, -1), -1):
        block = blocks[n]
        if block["t"] not in ("Para", "Plain") or not _CLOSINGS.fullmatch(
            plain_text(block["c"]).strip().rstrip(",")
        ):
            continue
        signatories = []
        for after in blocks[n + 1 :]:
            lines = _lines(after) if after["t"] in ("Para", "Plain") else []
            if not 1 <= len(lines) <= 2:
                return blocks
            signatory = {"name": lines[0]}
            if len(lines) == 2:
                signatory["role"] = lines[1]
            signatories.append(signatory)
        found["closing"] = plain_text(block["c"]).strip().rstrip(",")
        if signatories:
            found["signatories"] = signatories
        return blocks[:n]
    return blocks


def properties(package: Package) -> dict[str, Any]:
    """Title and author from the document's properties (a .docx's
    ``docProps/core.xml``, an .odt's ``meta.xml``)."""
    core = package.xml("docProps/core.xml" if package.reader == "docx" else "meta.xml")
    out: dict[str, Any] = {}
    if core is None:
        return out
    title = core.findtext(f".//{DC}title")
    creator = core.findtext(f".//{DC}creator")
    if title and title.strip():
        out["title"] = title.strip()
    if creator and creator.strip():
        out["author"] = [creator.strip()]
    return out


def yaml_text(fields: dict[str, Any]) -> tuple[str, list[str]]:
    """The front matter's YAML, in the order of a KL letter, with a commented
    line for each field a letter in KL's layout has and this one lacks; and
    those fields' names."""
    lines: list[str] = []
    missing: list[str] = []
    for key in ORDER:
        if key in fields:
            dumped = yaml.safe_dump(
                {key: fields[key]}, allow_unicode=True, sort_keys=False, width=1000
            )
            lines.append(dumped.rstrip("\n"))
        elif key in TO_FILL:
            missing.append(key)
            lines.append(f"# {key}: {TO_FILL[key]}{FILL_IN}")
    return "\n".join(lines) + "\n", missing
