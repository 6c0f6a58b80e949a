"""The text and tags of a tagged PDF, read from the PDF itself with pikepdf: structure
elements in reading order, and the text of each one's marked content.

Poppler shows Typst's Arabic runs reversed and scattered, so the text is decoded here:
each font's ToUnicode map, each marked-content sequence by its MCID."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pikepdf


def pdf_name(value: Any) -> str:
    """A PDF name without its slash (``/H1`` is ``H1``); any other value as text."""
    return str(value)[1:] if str(value).startswith("/") else str(value)


def struct_elements(
    pdf: pikepdf.Pdf, enters: Callable[[pikepdf.Dictionary], bool] = lambda _: True
) -> Iterator[pikepdf.Dictionary]:
    """Structure elements in document (reading) order; what an element holds only
    where ``enters`` says so (a stack, not recursion)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    stack: list[Any] = [root.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node
            if "/K" in node and enters(node):
                stack.append(node.K)


_BFCHAR = re.compile(r"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(r"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(r"<([0-9A-Fa-f]*)>")


def _utf16(hexstr: str) -> str:
    return bytes.fromhex(hexstr).decode("utf-16-be", "replace")


def to_unicode(font: pikepdf.Dictionary) -> tuple[dict[int, str], int]:
    """A font's code-to-text map and its code width in bytes."""
    width = 2 if pdf_name(font.get("/Subtype")) == "Type0" else 1
    table: dict[int, str] = {}
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return table, width
    data = cmap.read_bytes().decode("latin-1")
    for block in _BFCHAR.findall(data):
        codes = _HEX.findall(block)
        for src, dst in zip(codes[::2], codes[1::2], strict=False):
            table[int(src, 16)] = _utf16(dst)
    for block in _BFRANGE.findall(data):
        for line in block.strip().splitlines():
            parts = _HEX.findall(line)
            if len(parts) < 3:
                continue
            low, high = int(parts[0], 16), int(parts[1], 16)
            if "[" in line:
                for offset, dst in enumerate(parts[2:]):
                    table[low + offset] = _utf16(dst)
            else:
                start = int(parts[2], 16)
                for code in range(low, high + 1):
                    table[code] = chr(start + code - low)
    return table, width


def _decode(data: bytes, table: dict[int, str], width: int) -> str:
    codes = [int.from_bytes(data[i : i + width], "big") for i in range(0, len(data), width)]
    return "".join(table.get(code, "") for code in codes)


def marked_text(pdf: pikepdf.Pdf) -> dict[tuple[int, int], str]:
    """Text of every marked-content sequence, keyed by (page object, MCID)."""
    found: dict[tuple[int, int], str] = {}
    page: Any
    for page in pdf.pages:
        resources: Any = page.get("/Resources", {})
        fonts = {str(k): to_unicode(v) for k, v in resources.get("/Font", {}).items()}
        current: tuple[dict[int, str], int] = ({}, 1)
        stack: list[int | None] = []
        for instruction in pikepdf.parse_content_stream(page):
            operands: Any = instruction.operands
            op = bytes(instruction.operator)
            if op == b"Tf":
                current = fonts.get(str(operands[0]), ({}, 1))
            elif op == b"BDC":
                props: Any = operands[1] if len(operands) > 1 else None
                has_id = isinstance(props, pikepdf.Dictionary) and "/MCID" in props
                stack.append(int(props.MCID) if has_id else None)
            elif op == b"BMC":
                stack.append(None)
            elif op == b"EMC" and stack:
                stack.pop()
            elif op in (b"Tj", b"TJ", b"'", b'"'):
                mcid = next((m for m in reversed(stack) if m is not None), None)
                if mcid is None:
                    continue
                strings = operands[-1] if op == b"TJ" else [operands[-1]]
                text = "".join(
                    _decode(bytes(s), *current) for s in strings if isinstance(s, pikepdf.String)
                )
                key = (page.objgen[0], mcid)
                found[key] = found.get(key, "") + text
    return found


BLOCK_TYPES = {"P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "Caption", "TD", "TH", "Lbl"}
READ_TYPES = BLOCK_TYPES | {"BlockQuote", "LBody", "Note"}
"""What a reading-order comparison reads as blocks. A quote or a list item's body may
hold its text with no P inside (Typst's ``quote``, a link list); a footnote is a
``Note`` inside the paragraph that refers to it (PDF/UA-1, 7.9), read as one block
of its own."""


def element_text(element: pikepdf.Dictionary, texts: dict[tuple[int, int], str]) -> str:
    """The text an element's marked content holds (``texts`` from ``marked_text``)."""
    return own_text(element, texts, set())


def own_text(
    element: pikepdf.Dictionary, texts: dict[tuple[int, int], str], apart: set[str]
) -> str:
    """An element's text without that of the elements inside it whose type is in
    ``apart`` (read as blocks of their own): a paragraph without its footnote."""

    def collect(node: Any, page: Any) -> str:
        if isinstance(node, int):
            return texts.get((page.objgen[0], node), "") if page is not None else ""
        if isinstance(node, pikepdf.Array):
            return "".join(collect(k, page) for k in node)
        if isinstance(node, pikepdf.Dictionary):
            if pdf_name(node.get("/Type")) == "MCR":
                return collect(int(node.MCID), node.get("/Pg", page))
            if "/S" in node and pdf_name(node.S) not in apart:
                return collect(node.get("/K"), node.get("/Pg", page))
        return ""

    return collect(element.get("/K"), element.get("/Pg"))


def read_elements(
    pdf: pikepdf.Pdf, whole: frozenset[str] = frozenset()
) -> Iterator[pikepdf.Dictionary]:
    """Structure elements as a screen reader meets them: in reading order, and an
    element with an alternative description (``/Alt``, a figure's) in place of
    everything it holds, which is then not read (ISO 32000-1, 14.9.3). Elements of
    a type in ``whole`` are met as one, without what they hold."""
    yield from struct_elements(
        pdf, lambda node: "/Alt" not in node and pdf_name(node.S) not in whole
    )


def _block_text(element: pikepdf.Dictionary, kind: str, texts: dict[tuple[int, int], str]) -> str:
    if kind == "Figure":
        return str(element.get("/Alt", ""))
    if kind == "Note":
        # The note's number is its label, not its text (the letter's note has none).
        return own_text(element, texts, {"Lbl"})
    return own_text(element, texts, READ_TYPES)


def structure_blocks(path: Path) -> list[tuple[str, str]]:
    """(type, text) of each block of the structure tree as a screen reader reads it,
    in reading order: a figure's text is its alternative description, a footnote is
    one ``Note`` block, and a block's text leaves out the blocks inside it (each is a
    block of its own: a paragraph's footnote, a list item's label)."""
    with pikepdf.open(path) as pdf:
        texts = marked_text(pdf)
        return [
            (kind, _block_text(element, kind, texts))
            for element in read_elements(pdf, frozenset({"Note"}))
            if (kind := pdf_name(element.S)) in READ_TYPES or kind == "Figure"
        ]
