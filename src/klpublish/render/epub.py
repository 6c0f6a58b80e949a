"""The EPUB 3: pandoc writes it, then the package gets what pandoc cannot say
(``dcterms:conformsTo``, a real ``<title>`` in every content document)."""

from __future__ import annotations

import io
import re
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from klpublish import pandoc
from klpublish.errors import ToolError
from klpublish.letter.nodes import Node, plain_text
from klpublish.letter.read import Letter
from klpublish.locales import bcp47
from klpublish.project import package_template
from klpublish.render.context import RenderContext, text
from klpublish.render.guard import Guarded, guard

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
OPF = "http://www.idpf.org/2007/opf"
XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"


def _attr(classes: list[str], **kv: str) -> list[Any]:
    return ["", classes, [[k, v] for k, v in kv.items()]]


def _para(inlines: list[Node]) -> Node:
    return {"t": "Para", "c": inlines}


def _meta_inlines(meta: dict[str, Any], *path: str | int) -> list[Node]:
    value: Any = meta
    for key in path:
        if isinstance(key, int):
            value = value["c"][key] if value and value["t"] == "MetaList" else None
        else:
            value = (
                value.get(key)
                if isinstance(value, dict) and "t" not in value
                else (value["c"].get(key) if value and value["t"] == "MetaMap" else None)
            )
        if value is None:
            return []
    if value["t"] == "MetaInlines":
        return list(value["c"])
    if value["t"] == "MetaString":
        return list(text(str(value["c"]))["c"])
    return []


def letter_blocks(doc: Node, ctx: RenderContext) -> list[Node]:
    """The letter as blocks: title, letterhead, reference data, body, closing.

    The title opens the book: pandoc splits chapters at level-1 headings, and a
    letterhead before the title would become a chapter of its own."""
    meta = doc["meta"]
    title: list[Node] = [{"t": "Header", "c": [1, _attr(["title"]), _meta_inlines(meta, "title")]}]
    if "subtitle" in meta:
        title.append(_div("subtitle", [_para(_meta_inlines(meta, "subtitle"))]))
    rest = [_letterhead(meta, ctx)]
    if "recipient" in meta:
        rest.append(_div("recipient", [_para(_meta_inlines(meta, "recipient"))]))
    rest += _reference_data(meta, ctx)
    abstract = meta.get("abstract")
    if abstract is not None:
        inner = (
            abstract["c"]
            if abstract["t"] == "MetaBlocks"
            else [_para(_meta_inlines(meta, "abstract"))]
        )
        rest.append(_div("abstract", inner))
    return title + rest + list(doc["blocks"]) + _closing(meta)


def _div(kind: str, blocks: list[Node]) -> Node:
    return {"t": "Div", "c": [_attr([kind]), blocks]}


def _letterhead(meta: Node, ctx: RenderContext) -> Node:
    """The sender's name, and the postal address: Danish data, marked so in
    every language."""
    sender = meta.get("sender", {"t": "MetaMap", "c": {}})
    address = sender["c"].get("address", {"t": "MetaList", "c": []})
    lines = [list(a["c"]) for a in address["c"] if a["t"] == "MetaInlines"]
    postal = {
        "t": "Div",
        "c": [
            _attr(["address"], lang=ctx.source_lang, dir="ltr"),
            [{"t": "LineBlock", "c": lines}],
        ],
    }
    return _div("letterhead", [_para(_meta_inlines(meta, "sender", "name")), postal])


def _reference_data(meta: Node, ctx: RenderContext) -> list[Node]:
    """The date and the case and document numbers, each with its label."""

    def label(key: str) -> list[Node]:
        word = ctx.labels[key]
        return [{"t": "Span", "c": [_attr([], lang=bcp47(word.lang)), text(word.text)["c"]]}]

    rows: list[Any] = []
    if ctx.date is not None:
        rows.append([label("date"), [[_para(text(ctx.facts.long_date(ctx.date))["c"])]]])
    for field in ("case-id", "document-id"):
        if field in meta:
            rows.append([label(field), [[_para(_meta_inlines(meta, field))]]])
    return [{"t": "DefinitionList", "c": rows}] if rows else []


def _closing(meta: Node) -> list[Node]:
    """The closing words and each signatory's name and role."""
    if "closing" not in meta:
        return []
    tail = [_para(_meta_inlines(meta, "closing"))]
    signatories = meta.get("signatories", {"t": "MetaList", "c": []})
    for n in range(len(signatories["c"])):
        name = {"t": "Strong", "c": _meta_inlines(meta, "signatories", n, "name")}
        tail.append(
            _para([name, {"t": "LineBreak"}, *_meta_inlines(meta, "signatories", n, "role")])
        )
    return [_div("closing", tail)]


def render_epub(doc: Node | Guarded, ctx: RenderContext, letter: Letter) -> bytes:
    # Guarded first: what is built below from its metadata is checked already.
    safe = guard(doc, Path(letter.path).parent, "EPUB").inline
    meta = dict(safe["meta"])
    if "accessibility-summary" in meta:
        meta["accessibilitySummary"] = meta["accessibility-summary"]
    contents = ctx.labels["contents"]
    meta["toc-title"] = text(contents.text)
    if "keywords" in meta and "subject" not in meta:
        meta["subject"] = meta["keywords"]  # pandoc's EPUB writer says dc:subject
    css = str(package_template("epub.css"))
    book = {**safe, "meta": meta, "blocks": letter_blocks(safe, ctx)}
    options = {
        "epub_title_page": False,
        "split_level": 1,
        "table_of_contents": True,
        "toc_depth": 2,
        "variables": {"css": [css]},
    }
    # Images arrive as data: the writer runs in an empty folder, with nothing to read.
    with tempfile.TemporaryDirectory(prefix="klpublish-epub-") as empty:
        data = pandoc.ast_to_bytes(
            book,
            "epub3",
            "EPUB",
            options,
            standalone=True,
            env={"SOURCE_DATE_EPOCH": str(ctx.epoch)},
            cwd=empty,
        )
    title = plain_text(_meta_inlines(meta, "title"))
    # A word the catalog lacks is in the template's language: marked so.
    contents_lang = "" if contents.lang == ctx.lang else bcp47(contents.lang)
    return finish_package(
        data, title, ctx.facts.direction, (contents.text, contents_lang), ctx.epoch
    )


def _zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    stamp = time.gmtime(epoch)
    return (
        max(stamp.tm_year, 1980),
        stamp.tm_mon,
        stamp.tm_mday,
        stamp.tm_hour,
        stamp.tm_min,
        stamp.tm_sec,
    )


def finish_package(
    data: bytes, title: str, direction: str, contents: tuple[str, str], epoch: int
) -> bytes:
    """Add conformance metadata and real document titles; re-zip reproducibly."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ToolError("pandoc wrote no valid EPUB") from exc
    out = io.BytesIO()
    when = _zip_time(epoch)
    with zipfile.ZipFile(out, "w") as target:
        names = source.namelist()
        ordered = ["mimetype"] + [n for n in names if n != "mimetype"]
        for name in ordered:
            content = source.read(name)
            if name.endswith("content.opf"):
                content = _add_conformance(content)
            elif name.endswith(".xhtml"):
                content = _fix_document(content, title, direction, contents)
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, content)
    return out.getvalue()


def _add_conformance(opf: bytes) -> bytes:
    if b"dcterms:conformsTo" in opf:
        return opf
    meta = f'<meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>\n'.encode()
    return opf.replace(b"</metadata>", meta + b"</metadata>", 1)


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _both_language_attributes(tree: Any) -> None:
    """Every language mark as ``lang`` and as ``xml:lang``, with one value: pandoc
    writes ``lang`` alone on a span (a Danish fallback part), which browsers read but
    reading systems that go by XML's own attribute do not."""
    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue
        lang = node.get(XML_LANG) or node.get("lang")
        if lang:
            node.set("lang", lang)
            node.set(XML_LANG, lang)


def _fix_document(xhtml: bytes, title: str, direction: str, contents: tuple[str, str]) -> bytes:
    """A real ``<title>`` (not ``ch001.xhtml``), the text direction, and the
    navigation's landmark label in the book's language. ``contents``: the
    table of contents' title, and its language when not the book's."""
    tree = etree.fromstring(xhtml)
    tree.set("dir", direction)
    node = tree.find(f"{{{XHTML}}}head/{{{XHTML}}}title")
    if node is not None and re.fullmatch(r"ch\d+\.xhtml|", (node.text or "").strip()):
        node.text = title
    words, lang = contents
    marked = []
    for link in tree.iter(f"{{{XHTML}}}a"):
        if link.get(f"{{{EPUB_NS}}}type") == "toc":
            link.text = words
            marked.append(link)
    marked += [h for h in tree.iter(f"{{{XHTML}}}h1") if h.get("id") == "toc-title"]
    for node in marked if lang else []:
        node.set("lang", lang)
    _both_language_attributes(tree)
    # One main landmark per document, as on the web page (axe: landmark-one-main).
    body = tree.find(f"{{{XHTML}}}body")
    if body is not None and body.find(f"{{{XHTML}}}main") is None:
        main = etree.SubElement(body, f"{{{XHTML}}}main")
        for child in list(body):
            if child is not main:
                main.append(child)
        main.text, body.text = body.text, "\n"
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
