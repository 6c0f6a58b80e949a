"""A PDF/UA-1 checker of our own, on pikepdf: the machine-checkable rules that
matter for a screen reader. Each check is a small function ``(pdf) -> problems``."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pikepdf

from klpublish.gate.pdf_text import element_text, marked_text, pdf_name, struct_elements
from klpublish.letter.figures import FigureText

STANDARD_TYPES = {
    "Document",
    "Part",
    "Art",
    "Sect",
    "Div",
    "BlockQuote",
    "Caption",
    "TOC",
    "TOCI",
    "Index",
    "NonStruct",
    "Private",
    "P",
    "H",
    "H1",
    "H2",
    "H3",
    "H4",
    "H5",
    "H6",
    "L",
    "LI",
    "Lbl",
    "LBody",
    "Table",
    "TR",
    "TH",
    "TD",
    "THead",
    "TBody",
    "TFoot",
    "Span",
    "Quote",
    "Note",
    "Reference",
    "BibEntry",
    "Code",
    "Link",
    "Annot",
    "Ruby",
    "RB",
    "RT",
    "RP",
    "Warichu",
    "WT",
    "WP",
    "Figure",
    "Formula",
    "Form",
}
PAINTING = {
    b"Tj",
    b"TJ",
    b"'",
    b'"',
    b"Do",
    b"S",
    b"s",
    b"f",
    b"F",
    b"f*",
    b"B",
    b"B*",
    b"b",
    b"b*",
    b"sh",
    b"INLINE IMAGE",
}


def _marked_ids(pdf: pikepdf.Pdf) -> dict[int, set[int]]:
    """MCIDs the structure tree refers to, per page object number."""
    found: dict[int, set[int]] = {}
    for element in struct_elements(pdf):
        page = element.get("/Pg")
        kids = element.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in items:
            if isinstance(kid, int):
                if page is not None:
                    found.setdefault(page.objgen[0], set()).add(int(kid))
            elif isinstance(kid, pikepdf.Dictionary) and pdf_name(kid.get("/Type")) == "MCR":
                kid_page = kid.get("/Pg", page)
                if kid_page is not None:
                    found.setdefault(kid_page.objgen[0], set()).add(int(kid.MCID))
    return found


def check_catalog(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    mark = pdf.Root.get("/MarkInfo")
    if mark is None or not bool(mark.get("/Marked", False)):
        problems.append("not tagged: /MarkInfo /Marked is not true")
    if "/StructTreeRoot" not in pdf.Root:
        problems.append("no structure tree (/StructTreeRoot)")
    if not str(pdf.Root.get("/Lang", "")).strip():
        problems.append("no document language (/Lang)")
    prefs = pdf.Root.get("/ViewerPreferences")
    if prefs is None or not bool(prefs.get("/DisplayDocTitle", False)):
        problems.append("the window does not show the title (/DisplayDocTitle)")
    with pdf.open_metadata() as xmp:
        if xmp.get("pdfuaid:part") != "1":
            problems.append("no PDF/UA-1 identification (pdfuaid:part) in XMP metadata")
        if not xmp.get("dc:title"):
            problems.append("no title (dc:title) in XMP metadata")
    return problems


def check_content_marked(pdf: pikepdf.Pdf) -> list[str]:
    """Every piece of page content is in the structure tree or an artifact."""
    problems = []
    referenced = _marked_ids(pdf)
    page: Any
    for number, page in enumerate(pdf.pages, start=1):
        stack: list[tuple[str, int | None]] = []
        used: set[int] = set()
        loose = 0
        for instruction in pikepdf.parse_content_stream(page):
            operands: Any = instruction.operands
            op = bytes(instruction.operator)
            if op == b"BDC":
                tag = pdf_name(operands[0])
                props = operands[1] if len(operands) > 1 else None
                mcid = None
                if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    mcid = int(props.MCID)
                    used.add(mcid)
                stack.append((tag, mcid))
            elif op == b"BMC":
                stack.append((pdf_name(operands[0]), None))
            elif op == b"EMC":
                if stack:
                    stack.pop()
            elif op in PAINTING and not any(t == "Artifact" or m is not None for t, m in stack):
                loose += 1
        if loose:
            problems.append(
                f"page {number}: {loose} piece(s) of content neither tagged nor artifact"
            )
        missing = used - referenced.get(page.objgen[0], set())
        if missing:
            problems.append(
                f"page {number}: marked content {sorted(missing)[:5]} is not in the structure tree"
            )
    return problems


def check_structure_types(pdf: pikepdf.Pdf) -> list[str]:
    root = pdf.Root.get("/StructTreeRoot")
    role_map: Any = root.get("/RoleMap", {}) if root is not None else {}
    problems = []
    for element in struct_elements(pdf):
        kind = pdf_name(element.S)
        if kind not in STANDARD_TYPES:
            mapped = role_map.get(f"/{kind}")
            if mapped is None or pdf_name(mapped) not in STANDARD_TYPES:
                problems.append(f"structure type /{kind} is neither standard nor role-mapped")
    return sorted(set(problems))


def _heading_level(element: pikepdf.Dictionary) -> int | None:
    kind = pdf_name(element.S)
    return int(kind[1]) if len(kind) == 2 and kind[0] == "H" and kind[1].isdigit() else None


def headings(pdf: pikepdf.Pdf) -> list[int]:
    return [level for e in struct_elements(pdf) if (level := _heading_level(e)) is not None]


def check_headings(pdf: pikepdf.Pdf) -> list[str]:
    levels = headings(pdf)
    if not levels:
        return ["no headings in the structure tree"]
    problems = []
    if levels[0] != 1:
        problems.append(f"the first heading is H{levels[0]}, not H1")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"heading H{after} follows H{before}: a level is skipped")
    texts = marked_text(pdf)
    for element in struct_elements(pdf):
        level = _heading_level(element)
        if level is not None and not element_text(element, texts).strip():
            problems.append(f"an empty heading H{level}")
    return problems


def check_links_and_figures(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        for annot in page.get("/Annots", []):
            if pdf_name(annot.get("/Subtype")) == "Link" and not str(annot.get("/Contents", "")):
                problems.append(f"page {number}: a link without a description (/Contents)")
    for element in struct_elements(pdf):
        if pdf_name(element.S) == "Figure" and not str(element.get("/Alt", "")).strip():
            problems.append("a figure without alternative text (/Alt)")
    return problems


def figure_alts(pdf: pikepdf.Pdf) -> list[str]:
    return [str(e.get("/Alt", "")) for e in struct_elements(pdf) if pdf_name(e.S) == "Figure"]


def check_figure_alts(pdf: pikepdf.Pdf, expected: Sequence[str]) -> list[str]:
    """Each figure says what the translated letter's image says, in order."""
    found = figure_alts(pdf)
    if len(found) != len(expected):
        return [
            f"{len(found)} figure(s) in the structure tree, {len(expected)} image(s) in the letter"
        ]
    return [
        f"figure {n}: alternative text {alt!r}, not the letter's {want!r}"
        for n, (alt, want) in enumerate(zip(found, expected, strict=True), start=1)
        if alt.strip() != want.strip()
    ]


def _structure_kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in items if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def caption_place(figure: Any) -> str:
    """Where a Figure's Caption is: "inside" it, "after" or "before" it beside it in
    its parent, or "none"."""
    if any(pdf_name(k.S) == "Caption" for k in _structure_kids(figure)):
        return "inside"
    parent = figure.get("/P")
    siblings = _structure_kids(parent) if isinstance(parent, pikepdf.Dictionary) else []
    at = next((n for n, k in enumerate(siblings) if k.objgen == figure.objgen), None)
    if at is None:
        return "none"
    if at + 1 < len(siblings) and pdf_name(siblings[at + 1].S) == "Caption":
        return "after"
    if at > 0 and pdf_name(siblings[at - 1].S) == "Caption":
        return "before"
    return "none"


_CAPTION_PROBLEMS = {
    (True, "before"): "its caption repeats the alternative text beside the Figure: read twice",
    (True, "after"): "its caption repeats the alternative text beside the Figure: read twice",
    (False, "inside"): (
        "its caption is inside the Figure, whose /Alt a screen reader reads in place of "
        "everything the Figure holds: the caption is never heard"
    ),
    (False, "before"): "its caption comes before the Figure: read before the image it captions",
}


def check_figure_captions(pdf: pikepdf.Pdf, expected: Sequence[FigureText]) -> list[str]:
    """Each captioned image of the letter is a Figure with its Caption placed as the rule
    says (``letter.figures``): inside the Figure where the caption says what the
    alternative text says (read once, as the /Alt), after it where they differ."""
    figures = [e for e in struct_elements(pdf) if pdf_name(e.S) == "Figure"]
    problems = []
    cursor = 0
    for n, text in enumerate(expected, start=1):
        want = " ".join(text.alt.split())
        found = next(
            (
                i
                for i in range(cursor, len(figures))
                if " ".join(str(figures[i].get("/Alt", "")).split()) == want
            ),
            None,
        )
        if found is None:
            problems.append(f"captioned figure {n} ({want[:50]!r}) is not in the structure tree")
            continue
        cursor = found + 1
        place = caption_place(figures[found])
        if place == "none":
            problems.append(
                f"captioned figure {n} ({want[:50]!r}) has no Caption in the structure tree"
            )
        elif (text.read_once, place) in _CAPTION_PROBLEMS:
            problems.append(
                f"captioned figure {n} ({want[:50]!r}): {_CAPTION_PROBLEMS[text.read_once, place]}"
            )
    return problems


def check_fonts(pdf: pikepdf.Pdf) -> list[str]:
    problems = set()
    for page in pdf.pages:
        resources: Any = page.get("/Resources", {})
        for name, font in resources.get("/Font", {}).items():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            if descriptor is None or not any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                problems.add(f"font {name} ({pdf_name(font.get('/BaseFont'))}) is not embedded")
            if "/ToUnicode" not in font:
                problems.add(
                    f"font {name} ({pdf_name(font.get('/BaseFont'))}) has no ToUnicode map"
                )
    return sorted(problems)


CHECKS: tuple[Callable[[pikepdf.Pdf], list[str]], ...] = (
    check_catalog,
    check_content_marked,
    check_structure_types,
    check_headings,
    check_links_and_figures,
    check_fonts,
)


def check_pdf(
    path: Path,
    alt_texts: Sequence[str] | None = None,
    figures: Sequence[FigureText] = (),
) -> list[str]:
    """Every check's problems; with ``alt_texts`` (the images' alternative texts in
    the translated letter) also that the figures carry exactly those, and with
    ``figures`` (its captioned images) that each caption is where it is read once."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PdfError as exc:
        return [f"cannot be read as a PDF: {exc}"]
    with pdf:
        problems = [problem for check in CHECKS for problem in check(pdf)]
        if alt_texts is not None:
            problems += check_figure_alts(pdf, alt_texts)
        problems += check_figure_captions(pdf, figures)
        return problems
