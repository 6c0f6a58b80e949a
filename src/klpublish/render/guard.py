"""The last word before a writer: the document pandoc and Typst get refers to no
file and no address they could read or fetch.

The source check and the translation checks refuse these things with a line
number; this module makes sure that, whatever got past them, a writer is never
handed raw markup, a link outside the policy, or an image it would have to read:
each image is read here from the letter's folder (``targets.load_image``) and
given to the writer as data.
"""

from __future__ import annotations

import base64
import copy
import hashlib
from pathlib import Path

from klpublish.errors import ToolError
from klpublish.letter.nodes import Node, iter_nodes
from klpublish.letter.policy import Picture, TargetError, Use, judge, load_image

UNSAFE_META = (
    "header-includes",
    "include-before",
    "include-after",
    "css",
    "stylesheet",
    "cover-image",
    "epub-cover-image",
    "bibliography",
    "csl",
    "references",
)
"""Metadata pandoc's writers would read files for, or put into the output unescaped."""


def guarded(doc: Node, folder: Path, what: str) -> tuple[Node, dict[str, Picture]]:
    """A copy of ``doc`` whose image targets are names of pictures (returned with
    it, read and checked); refuses raw markup and unsafe links."""
    out = copy.deepcopy(doc)
    for key in UNSAFE_META:
        out["meta"].pop(key, None)
    pictures: dict[str, Picture] = {}
    seen: set[int] = set()
    for node in iter_nodes([out["meta"], out["blocks"]]):
        if id(node) in seen:  # one node in two places (metadata shown in the body)
            continue
        seen.add(id(node))
        t = node["t"]
        if t in ("RawBlock", "RawInline"):
            raise ToolError(f"{what}: raw {node['c'][0]} markup is not written (see SECURITY.md)")
        if t == "Link":
            url = node["c"][2][0]
            try:
                judge(url, Use.LINK)
            except TargetError as exc:
                raise ToolError(f"{what}: link {url} {exc}") from exc
        elif t == "Image":
            url = node["c"][2][0]
            try:
                picture = load_image(url, folder)
            except TargetError as exc:
                raise ToolError(f"{what}: image {url} {exc}") from exc
            name = hashlib.sha256(picture.data).hexdigest()[:16] + picture.suffix
            pictures[name] = picture
            node["c"][2][0] = name
    return out, pictures


def with_data_uris(doc: Node, folder: Path, what: str) -> Node:
    """``doc`` with every image as a ``data:`` URI: nothing left for the writer to read."""
    out, pictures = guarded(doc, folder, what)
    for node in iter_nodes([out["meta"], out["blocks"]]):
        if node["t"] == "Image" and node["c"][2][0] in pictures:  # each node once
            picture = pictures[node["c"][2][0]]
            encoded = base64.b64encode(picture.data).decode("ascii")
            node["c"][2][0] = f"data:{picture.mime};base64,{encoded}"
    return out
