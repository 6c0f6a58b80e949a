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
import hashlib
from pathlib import Path
from typing import Any

from klpublish.errors import ToolError
from klpublish.letter.nodes import Node
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


class Guarded:
    """A document checked once for every format of one language: ``named`` has
    each image target replaced by a picture's name (for Typst, which reads the
    pictures from a folder of their own), ``inline`` by a ``data:`` URI (for the
    HTML and EPUB writers, made once and shared: the writers only read it)."""

    def __init__(self, doc: Node, folder: Path, what: str) -> None:
        self.pictures: dict[str, Picture] = {}
        self._folder, self._what = folder, what
        self._loaded: dict[str, str] = {}
        # Unsafe metadata is dropped before the walk: it is not written, so not refused.
        meta = {k: v for k, v in doc["meta"].items() if k not in UNSAFE_META}
        self.named: Node = self._copy({**doc, "meta": meta})
        self._inline: Node | None = None

    @property
    def inline(self) -> Node:
        if self._inline is None:
            self._inline = _with_uris(self.named, self.pictures)
        return self._inline

    def _copy(self, value: Any) -> Any:
        """``value`` copied, and each node checked on the way: one walk, one copy.
        Recursive, as ``copy.deepcopy`` was, at one frame per level."""
        if isinstance(value, list):
            return [self._copy(item) for item in value]
        if not isinstance(value, dict):
            return value  # str, number, bool, None: never changed in place
        out = {key: self._copy(item) for key, item in value.items()}
        t = out.get("t")
        if t in ("RawBlock", "RawInline"):
            raise ToolError(
                f"{self._what}: raw {out['c'][0]} markup is not written (see SECURITY.md)"
            )
        if t == "Link":
            url = out["c"][2][0]
            try:
                judge(url, Use.LINK)
            except TargetError as exc:
                raise ToolError(f"{self._what}: link {url} {exc}") from exc
        elif t == "Image":
            out["c"][2][0] = self._picture(out["c"][2][0])
        return out

    def _picture(self, url: str) -> str:
        """The name of the picture ``url`` shows, read and checked once per run."""
        if url not in self._loaded:
            try:
                picture = load_image(url, self._folder)
            except TargetError as exc:
                raise ToolError(f"{self._what}: image {url} {exc}") from exc
            name = hashlib.sha256(picture.data).hexdigest()[:16] + picture.suffix
            self.pictures[name] = picture
            self._loaded[url] = name
        return self._loaded[url]


def _with_uris(value: Any, pictures: dict[str, Picture]) -> Any:
    """A copy of a guarded ``value`` with each picture's name as a ``data:`` URI."""
    if isinstance(value, list):
        return [_with_uris(item, pictures) for item in value]
    if not isinstance(value, dict):
        return value
    out = {key: _with_uris(item, pictures) for key, item in value.items()}
    if out.get("t") == "Image" and out["c"][2][0] in pictures:
        picture = pictures[out["c"][2][0]]
        encoded = base64.b64encode(picture.data).decode("ascii")
        out["c"][2][0] = f"data:{picture.mime};base64,{encoded}"
    return out


def guard(doc: Node | Guarded, folder: Path, what: str) -> Guarded:
    """``doc`` checked (see :class:`Guarded`), unless it already was."""
    return doc if isinstance(doc, Guarded) else Guarded(doc, folder, what)


def guarded(doc: Node, folder: Path, what: str) -> tuple[Node, dict[str, Picture]]:
    """A copy of ``doc`` whose image targets are names of pictures (returned with
    it, read and checked); refuses raw markup and unsafe links."""
    checked = Guarded(doc, folder, what)
    return checked.named, checked.pictures


def with_data_uris(doc: Node, folder: Path, what: str) -> Node:
    """``doc`` with every image as a ``data:`` URI: nothing left for the writer to read."""
    return Guarded(doc, folder, what).inline
