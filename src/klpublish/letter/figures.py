"""A figure's two texts, its caption and its image's alternative text, and the one rule
every format follows for them.

The rule: the image is announced with its alternative text, then the caption is read;
where the two say the same, the text is read once, as the image's. Pandoc's HTML writer
already does this in the web page and the EPUB (an ``aria-hidden`` caption when it says
what ``alt`` says); the PDF follows it (``render.pdf_figures``), and the gate checks it
(``gate.reading_order``, ``gate.structure``, ``gate.pdf_rules``, ``gate.page_text``).

"The same" is what pandoc's HTML writer compares, both texts through pandoc's
``stringify``, so that every format and every checker decides alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from klpublish.letter.nodes import Blocks, Node, nodes

_QUOTES = {"SingleQuote": ("\u2018", "\u2019"), "DoubleQuote": ("\u201c", "\u201d")}


def stringify(value: object) -> str:
    """The text of AST nodes as pandoc's ``stringify`` gives it: words, spaces
    (line breaks too), code and math as written, quotation marks of a quotation;
    no footnote's text, no raw markup."""
    out: list[str] = []

    def walk(item: object) -> None:
        for node in nodes(item, skip=lambda n: n["t"] in ("Note", "Quoted", "RawInline")):
            kind = node["t"]
            if kind == "Str":
                out.append(str(node["c"]))
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                out.append(" ")
            elif kind in ("Code", "Math"):
                out.append(str(node["c"][-1]))
            elif kind == "RawInline" and node["c"][0] == "html" and node["c"][1].startswith("<br"):
                out.append(" ")
            elif kind == "Quoted":
                opening, closing = _QUOTES.get(node["c"][0]["t"], ("", ""))
                out.append(opening)
                walk(node["c"][1])
                out.append(closing)

    walk(value)
    return "".join(out)


@dataclass(frozen=True)
class FigureText:
    """The texts of one figure that shows one image under a caption."""

    caption: str
    alt: str

    @property
    def read_once(self) -> bool:
        """The caption says what the alternative text says: one text, read once."""
        return self.caption == self.alt


def _image(figure: Node) -> Node | None:
    """The figure's image, when the figure is one image and nothing else."""
    body = figure["c"][2]
    if len(body) == 1 and body[0]["t"] in ("Plain", "Para"):
        inlines = body[0]["c"]
        if len(inlines) == 1 and inlines[0]["t"] == "Image":
            image: Node = inlines[0]
            return image
    return None


def captioned_image(figure: Node) -> FigureText | None:
    """The texts of a figure of one image with a caption; None for any other node."""
    if figure.get("t") != "Figure":
        return None
    image = _image(figure)
    caption = stringify(figure["c"][1][1])
    if image is None or not caption:
        return None
    return FigureText(caption, stringify(image["c"][1]))


def captioned_images(blocks: Blocks) -> list[FigureText]:
    """Every figure of one image with a caption, in document order."""
    return [text for node in nodes(blocks) if (text := captioned_image(node)) is not None]


def has_captioned_table(blocks: Blocks) -> bool:
    """Whether a table of the letter has a caption (pandoc's ``Table``: its caption's
    long blocks are the second part of its second field)."""
    return any(node["t"] == "Table" and node["c"][1][1] for node in nodes(blocks))


def figures_and_tables(blocks: Blocks) -> tuple[list[FigureText], bool]:
    """``captioned_images`` and ``has_captioned_table`` in one walk."""
    figures: list[FigureText] = []
    table = False
    for node in nodes(blocks):
        if node["t"] == "Table":
            table = table or bool(node["c"][1][1])
        elif (text := captioned_image(node)) is not None:
            figures.append(text)
    return figures, table


def as_read(blocks: Blocks) -> Blocks:
    """The blocks in the order a reader meets them: each figure of one image with a
    caption becomes its image, then its caption, the caption left out where it says
    what the image's alternative text says (it is read once, as the image's)."""

    def visit(value: object) -> object:
        if isinstance(value, list):
            out: list[object] = []
            for item in value:
                text = captioned_image(item) if isinstance(item, dict) else None
                if text is None:
                    out.append(visit(item))
                    continue
                assert isinstance(item, dict)
                out.extend(item["c"][2])
                if not text.read_once:
                    out.extend(item["c"][1][1])
            return out
        if isinstance(value, dict):
            return {key: visit(item) for key, item in value.items()}
        return value

    result = visit(blocks)
    assert isinstance(result, list)
    return result
