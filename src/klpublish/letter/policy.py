"""The one policy for what a letter or a translation may point to and show (see
SECURITY.md). :func:`judge` says what an address means and whether it is
allowed, for each :class:`Use`; the letter's checks, the translation checks,
memory, the build cache, the front matter and the renderers all ask it.

- ``Use.LINK``: ``https:`` or ``http:`` with a host, ``mailto:``, ``tel:``, or a
  relative address that stays in the letter's folder (a place in the letter, a
  file beside it). The build never reads a link, so it is judged by its text.
- ``Use.IMAGE``: a file in the letter's folder, never fetched; :func:`load_image`
  reads it and checks it from its header before any engine sees it.
- ``Use.WEB``: an ``https://`` or ``http://`` address with a host, as written
  (the front matter's ``sender.web``).

A relative address names a file as pandoc and a browser's request to a web
server do: the query and fragment left out (``q.png?v=2`` is ``q.png``) and the
rest percent-decoded once (``map%20x.png`` is ``map x.png``, ``map%2520x.png`` is
``map%20x.png``). A server may decode more than once, so an address whose
repeated decoding climbs above the folder (``%252e%252e/``), starts at the
site's root (``/x``) or holds a backslash (``/`` to a browser) is refused.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import unquote

from klpublish.files import MAX_IMAGE_BYTES, FileRefused, Reading, leads_outside, read_inside
from klpublish.letter.image_headers import (
    PNG_MAGIC,
    Frame,
    MalformedImage,
    gif_frames,
    jpeg_frames,
    png_frames,
    webp_frames,
)
from klpublish.letter.svg_policy import SvgRefused, check_svg, declared_sizes, parse_svg

LINK_SCHEMES = ("https", "http", "mailto", "tel")

MAX_SIDE = 10_000
MAX_PIXELS = 50_000_000
MAX_DECODED_BYTES = 200_000_000
"""Caps on what an image declares, far above any letter's picture: an A4 page
scanned at 600 dpi is 4961 x 7016 pixels (35 megapixels), a 48-megapixel phone
photo 8000 x 6000. 200 MB is 50 megapixels at 4 bytes a pixel (RGBA), what a
renderer holds for one picture; 16-bit samples reach it from 25 megapixels.
Beyond these, a 200-byte PNG of 100000 x 100000 pixels makes Typst ask for
10 GB and abort the process."""

OUTSIDE = "points outside the letter's folder: expected a web address or a file beside the letter"


class TargetError(ValueError):
    """A link or image outside the policy; the message says what was expected."""


class Use(StrEnum):
    """What an address is asked for: each use has its own rule (see the module)."""

    LINK = "link"
    IMAGE = "image"
    WEB = "web"


NODE_USES = {"Link": Use.LINK, "Image": Use.IMAGE}
"""The use of the address of each Pandoc AST node that has one."""


@dataclass(frozen=True)
class Target:
    """What an allowed address means."""

    url: str
    scheme: str | None
    """``https``, ``http``, ``mailto`` or ``tel``; None for a relative address."""
    parts: tuple[str, ...] = ()
    """For a relative address: the folders and file under the letter's folder it
    names (none for the letter itself, or a place in it)."""

    def path(self, folder: Path) -> Path:
        """The file it names in ``folder`` (not read, links not followed)."""
        return folder.joinpath(*self.parts)


def judge(url: str, use: Use) -> Target:
    """What ``url`` means used as ``use``, when the policy allows it; else a
    ``TargetError`` whose message says what was expected. Judged by its text
    alone: :func:`load_image` reads the file an image names."""
    return _RULES[use](url)


def _clean(url: str) -> str:
    # Browsers drop tabs and newlines anywhere in a URL and controls and spaces at
    # its ends: "java\tscript:" is "javascript:" to them.
    return re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))) + "\x7f")


def scheme(url: str) -> str | None:
    found = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", _clean(url))
    return found.group(1).lower() if found else None


_WEB = re.compile(r"https?://([^/?#]*)(.*)", re.IGNORECASE | re.DOTALL)
_NOT_IN_WEB = re.compile(r"[\x00-\x20\x7f\"'<>\\]")


def check_web_address(url: str) -> None:
    """Raise ``TargetError`` unless ``url`` is an ``https://`` or ``http://``
    address with a host, as written (nothing a browser would drop or mend)."""
    found = _WEB.fullmatch(url)
    if not found or not found.group(1):
        raise TargetError("is not an https:// or http:// address with a host")
    if _NOT_IN_WEB.search(url):
        raise TargetError(
            "holds a space, a control character, a quote, < > or a backslash: "
            "expected them written %xx"
        )
    if "@" in found.group(1):
        raise TargetError("names a user before its host (user@host), which hides the host")


def _web(url: str) -> Target:
    check_web_address(url)
    return Target(url, scheme(url))


def _link(url: str) -> Target:
    if not _clean(url):
        raise TargetError(
            "has no address: expected [text](https://...), [text](#heading-id), "
            "or the text without brackets"
        )
    found = scheme(url)
    if found == "file":
        raise TargetError(
            "names a file on this computer: expected a web address or a file beside the letter"
        )
    if found in ("https", "http"):
        check_web_address(_clean(url))
    elif found is not None and found not in LINK_SCHEMES:
        raise TargetError(
            f"is not allowed ({found}:): expected an https:, http:, mailto: or tel: address, "
            "or a file beside the letter"
        )
    elif found is None:
        if _clean(url).startswith("//"):
            raise TargetError("has no scheme: expected an https:// or http:// address")
        return Target(url, None, _inside_parts(url))
    return Target(url, found)


def _image(url: str) -> Target:
    if scheme(url) is not None or _clean(url).startswith("//"):
        raise TargetError(
            "is not a file in the letter's folder: images are never fetched; "
            "expected a file beside the letter"
        )
    parts = _inside_parts(url)
    if not parts:
        raise TargetError("names no file: expected a file beside the letter")
    return Target(url, None, parts)


_RULES: dict[Use, Callable[[str], Target]] = {Use.LINK: _link, Use.IMAGE: _image, Use.WEB: _web}


def _inside_parts(url: str) -> tuple[str, ...]:
    """The folders and file under the letter's folder that a relative address
    names, decoded once; refused when decoding it over and over leads out (what
    that allows, decoding once allows too: it has no more ``..`` nor fewer names)."""
    path = _clean(url).split("#", 1)[0].split("?", 1)[0]
    _parts(_decoded(path))
    return _parts(unquote(path))


def _parts(path: str) -> tuple[str, ...]:
    if "\\" in path or "\x00" in path:
        raise TargetError("holds a backslash: expected / between folder names")
    if path.startswith("/"):
        raise TargetError(
            "starts at the web site's root: expected a file beside the letter, named relative to it"
        )
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if not parts:
                raise TargetError(OUTSIDE)
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return tuple(parts)


def _decoded(path: str) -> str:
    # A server may decode more than once: %252e%252e is %2e%2e is "..".
    for _ in range(4):
        decoded = unquote(path)
        if decoded == path:
            return path
        path = decoded
    raise TargetError("is percent-encoded over and over: expected a plain file name")


def spellings(url: str) -> tuple[str, ...]:
    """How a letter may have written the address pandoc gives as ``url``:
    pandoc writes ``<map x.png>`` and ``map\\ x.png`` as ``map%20x.png``."""
    return tuple(dict.fromkeys((url, unquote(url))))


@dataclass(frozen=True)
class Picture:
    data: bytes
    mime: str
    suffix: str


def load_image(url: str, folder: Path) -> Picture:
    """The image ``url`` names (see :func:`judge`), read from ``folder`` and
    checked; else ``TargetError``."""
    path = judge(url, Use.IMAGE).path(folder)
    if os.path.lexists(path) and leads_outside(path, folder):
        raise TargetError(OUTSIDE.replace(":", " (a symbolic link):", 1))
    try:
        data = read_inside(path, Reading(folder, MAX_IMAGE_BYTES, "a file beside the letter"))
    except FileRefused as exc:
        raise TargetError(exc.message) from exc
    return checked_picture(data)


_RASTER: tuple[tuple[Callable[[bytes], bool], str, str, Callable[[bytes], list[Frame]]], ...] = (
    (lambda d: d.startswith(PNG_MAGIC), "PNG", ".png", png_frames),
    (lambda d: d.startswith(b"\xff\xd8\xff"), "JPEG", ".jpg", jpeg_frames),
    (lambda d: d[:6] in (b"GIF87a", b"GIF89a"), "GIF", ".gif", gif_frames),
    (lambda d: d[:4] == b"RIFF" and d[8:12] == b"WEBP", "WebP", ".webp", webp_frames),
)


def checked_picture(data: bytes) -> Picture:
    """``data`` as a picture, once its header and (for SVG) its content pass."""
    for sniff, name, suffix, frames_of in _RASTER:
        if sniff(data):
            try:
                frames = frames_of(data)
            except MalformedImage as exc:
                raise TargetError(f"is a malformed {name}: {exc}") from exc
            _check_sizes(frames)
            return Picture(data, f"image/{name.lower()}", suffix)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        try:
            root = parse_svg(data)
            check_svg(root)
            sizes = [
                Frame(round(w), round(h), 4, what=f" ({where})")
                for w, h, where in declared_sizes(root)
            ]
        except SvgRefused as exc:
            raise TargetError(f"is refused: {exc}") from exc
        _check_sizes(sizes)
        return Picture(data, "image/svg+xml", ".svg")
    raise TargetError("is not a PNG, JPEG, GIF, WebP or SVG image")


def _check_sizes(frames: list[Frame]) -> None:
    for frame in frames:
        size = f"{frame.width} x {frame.height} pixels{frame.what}"
        if max(frame.width, frame.height) > MAX_SIDE:
            raise TargetError(f"is {size}: expected at most {MAX_SIDE} pixels a side")
        if frame.pixels > MAX_PIXELS:
            raise TargetError(
                f"is {size}, {frame.pixels / 1e6:.0f} megapixels: expected at most "
                f"{MAX_PIXELS // 10**6} megapixels"
            )
        if frame.decoded_bytes > MAX_DECODED_BYTES:
            raise TargetError(
                f"takes {frame.decoded_bytes / 1e6:.0f} MB decoded ({size}, "
                f"{frame.channels} channels of {8 * frame.sample_bytes} bits): expected at "
                f"most {MAX_DECODED_BYTES // 10**6} MB"
            )
