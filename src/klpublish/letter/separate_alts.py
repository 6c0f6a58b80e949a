"""Which figures of a letter give their image an alt text apart from the caption.

Pandoc reads a lone image as a figure: ``![X](map.png)`` has one text, the caption
and the image's description alike (a reader hears it once), while
``![Caption](map.png){alt="..."}`` gives the description apart. Once read, the
``alt`` attribute is gone into the image's description, so ``{alt="X"}`` and no
``alt`` make the same figure. Read again without implicit figures, each lone
image keeps its ``alt`` attribute, and what the author wrote is seen.
"""

from __future__ import annotations

from klpublish import pandoc
from klpublish.letter.body import BODY_READER
from klpublish.letter.nodes import Node, nodes
from klpublish.letter.read import Letter


def _figure_image(block: Node) -> Node | None:
    """The image of a paragraph that pandoc makes a figure: one image, with a description."""
    if block["t"] != "Para" or len(block["c"]) != 1:
        return None
    image: Node = block["c"][0]
    return image if image["t"] == "Image" and image["c"][1] else None


def alts_given(letter: Letter) -> list[bool]:
    """For each figure of the letter's body, in document order, whether its image's
    alt text was written apart from its caption (an ``alt`` attribute)."""
    if not any(n["t"] == "Figure" for n in nodes(letter.doc["blocks"])):
        return []
    body = "\n".join(letter.lines[letter.body_start :])
    reader = f"{BODY_READER}-implicit_figures"
    doc = pandoc.markdown_to_ast(body, letter.path, reader)
    found = []
    for block in nodes(doc["blocks"]):
        image = _figure_image(block)
        if image is not None:
            found.append(any(key == "alt" for key, _ in image["c"][0][2]))
    return found
