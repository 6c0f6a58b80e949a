from __future__ import annotations

import base64
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from klpublish.letter.nodes import Inlines, iter_nodes
from klpublish.letter.read import Letter, parse_document
from klpublish.segments import markdown
from klpublish.segments.messages import Message, letter_messages

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"
CORPUS_DOCS = sorted(CORPUS.glob("*.md"))


def copy_project(root: Path) -> Path:
    """The project's letter and catalogs, copied under ``root``."""
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "locale", root / "locale")
    return root


def load(path: Path) -> Letter:
    """A corpus document as extraction reads it."""
    return parse_document(path.read_text(encoding="utf-8"), path.name)


def catalog_with(messages: list[Message], strings: list[str], locale: str = "en") -> Catalog:
    catalog = Catalog(locale=locale)
    for message, string in zip(messages, strings, strict=True):
        catalog.add(message.msgid, string, context=message.context)
    return catalog


def pseudo(inlines: Inlines) -> Inlines:
    """A pseudo-translation: every word bracketed, markup and targets untouched."""

    def visit(value: object) -> object:
        if isinstance(value, dict):
            if value.get("t") == "Str":
                return {"t": "Str", "c": f"‹{value['c']}›"}
            if value.get("t") in ("Code", "RawInline", "Math", "Note"):
                return value
            return {k: visit(v) for k, v in value.items()}
        if isinstance(value, list):
            return [visit(v) for v in value]
        return value

    result = visit(inlines)
    assert isinstance(result, list)
    return result


def pseudo_strings(messages: list[Message]) -> list[str]:
    return markdown.render([pseudo(m.site.inlines) for m in messages], "pseudo")


def all_messages(letter: Letter) -> list[Message]:
    return letter_messages(letter)


def blocks_skeleton(value: object) -> list[str]:
    """Block and container node types in document order (text ignored)."""
    kinds = {
        "Para",
        "Plain",
        "Header",
        "BulletList",
        "OrderedList",
        "DefinitionList",
        "Table",
        "BlockQuote",
        "LineBlock",
        "Div",
        "Figure",
        "CodeBlock",
        "RawBlock",
        "HorizontalRule",
        "Note",
        "Link",
        "Image",
        "Emph",
        "Strong",
    }
    return [str(n["t"]) for n in iter_nodes(value) if n["t"] in kinds]


def targets(value: object) -> list[str]:
    """Link and image targets in document order."""
    return [n["c"][2][0] for n in iter_nodes(value) if n["t"] in ("Link", "Image")]


def translated_letter(text: str, translate: Callable[[str], str], lang: str = "en") -> Path:
    """In the working directory: ``text`` as the letter, its template, and a
    catalog for ``lang`` whose every msgstr is ``translate(msgid)``."""
    from babel.messages.pofile import read_po, write_po

    from klpublish.__main__ import main

    Path("source").mkdir()
    Path("source/letter.da.md").write_text(text, encoding="utf-8")
    assert main(["extract"]) == 0
    assert main(["init", lang]) == 0
    po = Path(f"locale/{lang}/LC_MESSAGES/letter.po")
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            message.string = translate(str(message.id))
    with po.open("wb") as handle:
        write_po(handle, catalog)
    return po


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)
"""A one-pixel image: what the server answers, so that a fetch would succeed."""


@dataclass
class WebServer:
    url: str
    requests: list[str] = field(default_factory=list)
